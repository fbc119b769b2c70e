/* facts.c - loads fact files written by readykit-collect; every byte is untrusted. */
#include "facts.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

void rk_facts_free(rk_facts *f)
{
    if (!f) return;
    free(f->path);
    cJSON_Delete(f->root);
    free(f->collector_name);
    free(f->collector_version);
    free(f->collector_platform);
    free(f->collected_at);
    free(f->host_name);
    for (size_t i = 0; i < f->nprobes; i++) {
        free(f->probes[i].to);
        free(f->probes[i].address);
        free(f->probes[i].protocol);
        free(f->probes[i].result);
        free(f->probes[i].flow);
    }
    free(f->probes);
    rk_strv_free(f->plan_items, f->nplan_items);
    free(f);
}

void rk_facts_drop_probe_tree(rk_facts *f)
{
    if (f && cJSON_IsObject(f->root)) cJSON_DeleteItemFromObjectCaseSensitive(f->root, "probes");
}

const cJSON *rk_facts_get(const cJSON *node, const char *path)
{
    char key[256];
    const char *p = path;
    while (node && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof key) return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        /* below a null (collected, absent) everything is absent too */
        if (cJSON_IsNull(node)) return node;
        if (!cJSON_IsObject(node)) return NULL;
        node = cJSON_GetObjectItemCaseSensitive(node, key);
        p = dot ? dot + 1 : p + n;
    }
    return node;
}

const char *rk_facts_error(const rk_facts *f, const char *path)
{
    const cJSON *errs = f ? cJSON_GetObjectItemCaseSensitive(f->root, "errors") : NULL;
    for (const cJSON *e = cJSON_IsArray(errs) ? errs->child : NULL; e; e = e->next) {
        const cJSON *fact = cJSON_GetObjectItemCaseSensitive(e, "fact");
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(e, "message");
        if (!cJSON_IsString(fact)) continue;
        size_t n = strlen(fact->valuestring);
        /* the error names the fact or a group above it ("a.b" for "a.b.c") */
        if (strncmp(path, fact->valuestring, n) == 0 && (path[n] == '\0' || path[n] == '.'))
            return cJSON_IsString(msg) ? msg->valuestring : "";
    }
    return NULL;
}

static char *get_str(const cJSON *o, const char *key)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(j) ? rk_xstrdup(j->valuestring) : NULL;
}

static const cJSON *get(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static rk_err load_probes(rk_facts *f, const rk_json *doc, rk_diag *d)
{
    const cJSON *pr = get(f->root, "probes");
    if (!pr) return RK_OK;
    if (!cJSON_IsArray(pr))
        return rk_json_error(doc, pr, d, "'probes' is %s; expected a list", rk_json_kind(pr));
    int n = cJSON_GetArraySize(pr);
    f->probes = rk_xcalloc((size_t)(n > 0 ? n : 1), sizeof(rk_probe));
    int i = 0;
    for (const cJSON *p = pr->child; p; p = p->next, i++) {
        if (!cJSON_IsObject(p))
            return rk_json_error(doc, p, d, "'probes[%d]' is %s; expected an object", i,
                                 rk_json_kind(p));
        const cJSON *port = get(p, "port");
        const cJSON *res = get(p, "result");
        if (!cJSON_IsNumber(port) || port->valuedouble < 0 || port->valuedouble > 65535 ||
            port->valuedouble != (int)port->valuedouble || !cJSON_IsString(res))
            return rk_json_error(doc, p, d,
                                 "'probes[%d]' needs 'port' (an integer 0-65535) and 'result' "
                                 "(open, closed, filtered, error or not-verifiable)",
                                 i);
        rk_probe *q = &f->probes[f->nprobes++];
        q->port = (int)port->valuedouble;
        q->result = rk_xstrdup(res->valuestring);
        q->to = get_str(p, "to");
        q->address = get_str(p, "address");
        q->protocol = get_str(p, "protocol");
        q->flow = get_str(p, "flow");
        const cJSON *ms = get(p, "ms");
        q->ms = cJSON_IsNumber(ms) ? ms->valuedouble : -1;
    }
    return RK_OK;
}

static void load_plan(rk_facts *f)
{
    const cJSON *plan = get(f->root, "plan");
    if (!cJSON_IsObject(plan)) return;
    f->has_plan = 1;
    const cJSON *items = get(plan, "items");
    size_t n = cJSON_IsArray(items) ? (size_t)cJSON_GetArraySize(items) : 0;
    f->plan_items = rk_xcalloc(n ? n : 1, sizeof(char *));
    for (const cJSON *it = n ? items->child : NULL; it; it = it->next)
        if (cJSON_IsString(it)) f->plan_items[f->nplan_items++] = rk_xstrdup(it->valuestring);
    const cJSON *sha = get(plan, "sha256");
    if (cJSON_IsString(sha) && strlen(sha->valuestring) == 64)
        memcpy(f->plan_sha256, sha->valuestring, 65);
}

/* The keys every fact file has, whatever the schema: format, collector, collected_at
 * and host.name. */
static rk_err check_envelope(rk_facts *f, const rk_json *doc, rk_diag *d)
{
    const cJSON *root = f->root;
    if (!cJSON_IsObject(root))
        return rk_json_error(doc, root, d,
                             "the file is %s; expected a JSON object with format \"readykit-facts/1\"",
                             rk_json_kind(root));
    const cJSON *fmt = get(root, "format");
    if (!fmt)
        return rk_json_error(doc, root, d,
                             "missing required key 'format'; expected \"readykit-facts/1\"");
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "readykit-facts/1") != 0) {
        char shown[200] = "";
        if (cJSON_IsString(fmt)) rk_json_show(fmt->valuestring, 60, shown, sizeof shown);
        return rk_json_error(doc, fmt, d, "unknown format %s%s%s; expected \"readykit-facts/1\"",
                             cJSON_IsString(fmt) ? "'" : "",
                             cJSON_IsString(fmt) ? shown : rk_json_kind(fmt),
                             cJSON_IsString(fmt) ? "'" : "");
    }
    const cJSON *col = get(root, "collector");
    if (!cJSON_IsObject(col))
        return rk_json_error(doc, col ? col : root, d,
                             "%s 'collector'; expected an object {name, version, platform}",
                             col ? "wrong type of" : "missing required key");
    f->collector_name = get_str(col, "name");
    f->collector_version = get_str(col, "version");
    f->collector_platform = get_str(col, "platform");
    if (!f->collector_name || !f->collector_version || !f->collector_platform)
        return rk_json_error(doc, col, d,
                             "'collector' needs the strings 'name', 'version' and 'platform'");
    const cJSON *at = get(root, "collected_at");
    if (!cJSON_IsString(at) || rk_parse_date(at->valuestring, &f->collected_epoch) != 0 ||
        strlen(at->valuestring) <= 10)
        return rk_json_error(doc, at ? at : root, d,
                             "%s 'collected_at'; expected an RFC 3339 time such as "
                             "2026-11-20T09:14:03Z",
                             at ? "invalid" : "missing required key");
    f->collected_at = rk_xstrdup(at->valuestring);
    const cJSON *host = get(root, "host");
    if (!cJSON_IsObject(host))
        return rk_json_error(doc, host ? host : root, d,
                             "%s 'host'; expected an object {name, fqdn, domain, domain_joined, "
                             "addresses}",
                             host ? "wrong type of" : "missing required key");
    f->host_name = get_str(host, "name");
    if (!f->host_name || !*f->host_name)
        return rk_json_error(doc, get(host, "name") ? get(host, "name") : host, d,
                             "'host.name' must be a non-empty string");
    /* the name is matched against the project and quoted in messages: a line break
     * there (tab, LF and CR survive the sanitising) would forge lines of output */
    if (strpbrk(f->host_name, "\t\n\r"))
        return rk_json_error(doc, get(host, "name"), d,
                             "'host.name' contains a tab or line break; expected the "
                             "computer's name");
    return RK_OK;
}

/* sha: the hash of the file as read, or NULL for that of buf. */
static rk_facts *parse(const char *path, const char *buf, size_t len, const rk_factschema *types,
                       rk_diag *d, rk_warnings *w, const char *sha)
{
    rk_json_opts o = {RK_FACTS_MAX_DEPTH, 1, "a JSON fact file from readykit-collect", "collected", NULL};
    rk_json *doc = rk_json_parse(path, buf, len, &o, d, w);
    if (!doc) return NULL;
    rk_facts *f = rk_xcalloc(1, sizeof(*f));
    f->path = rk_xstrdup(path);
    f->root = rk_json_take(doc);
    if (sha)
        memcpy(f->sha256, sha, sizeof f->sha256);
    else
        rk_sha256_hex(buf, len, f->sha256);
    rk_err e = check_envelope(f, doc, d);
    if (e == RK_OK && types) e = rk_factschema_check(types, doc, d);
    if (e == RK_OK) e = load_probes(f, doc, d);
    if (e == RK_OK) load_plan(f);
    rk_json_free(doc);
    if (e != RK_OK) {
        rk_facts_free(f);
        return NULL;
    }
    return f;
}

rk_facts *rk_facts_parse(const char *path, const char *buf, size_t len,
                         const rk_factschema *types, rk_diag *d, rk_warnings *w)
{
    return parse(path, buf, len, types, d, w, NULL);
}

rk_facts *rk_facts_load(const char *path, const rk_factschema *types, rk_diag *d,
                        rk_warnings *w)
{
    char *buf;
    size_t len;
    char err[512];
    if (rk_read_file(path, RK_FACTS_MAX_BYTES, &buf, &len, err, sizeof err) != 0) {
        rk_diag_set(d, path, 0, 0, "%s", err);
        return NULL;
    }
    char sha[65];
    rk_sha256_hex(buf, len, sha);
    if (rk_text_normalise(&buf, &len) != 0) {
        rk_diag_set(d, path, 0, 0, "UTF-16 text with an odd number of bytes; expected UTF-8 JSON");
        free(buf);
        return NULL;
    }
    rk_facts *f = parse(path, buf, len, types, d, w, sha); /* the hash of the bytes as mailed in */
    free(buf);
    return f;
}
