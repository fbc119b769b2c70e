/* facts.c - loads fact files written by readykit-collect; every byte is untrusted. */
#include "facts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    free(f);
}

void rk_offset_to_linecol(const char *buf, size_t len, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    if (off > len) off = len;
    for (size_t i = 0; i < off; i++) {
        if (buf[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* A fragment of untrusted input for a message: at most max bytes of one line, cut at a
 * character boundary, control characters and invalid UTF-8 shown as U+FFFD, so that a
 * hostile file cannot put line breaks or terminal escapes into what is printed. */
static void show_input(const char *s, size_t max, char *out, size_t outlen)
{
    size_t n = 0;
    while (n < max && s[n] && s[n] != '\n' && s[n] != '\r') n++;
    if (n == max)
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    char *cut = rk_xstrndup(s, n);
    char *clean = rk_utf8_sanitize(cut, 0, NULL);
    snprintf(out, outlen, "%s", clean);
    free(cut);
    free(clean);
}

/* One pass over the raw text before cJSON sees it: nesting depth (cJSON's own limit
 * is 1000, far beyond any real fact file), NUL bytes and the \u0000 escape, which
 * cJSON would silently truncate. All are reported with their line and column. *open
 * says whether the text ends inside a string or an unclosed { or [. */
static int prescan(const char *path, const char *buf, size_t len, rk_diag *d, int *open)
{
    int depth = 0, in_str = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = buf[i];
        if (ch == '\0') {
            /* inside a string too: cJSON would cut the string short there */
            int l, c;
            rk_offset_to_linecol(buf, len, i, &l, &c);
            rk_diag_set(d, path, l, c, "a NUL byte; expected JSON text");
            return -1;
        }
        if (in_str) {
            if (ch == '\\') {
                if (i + 5 < len && buf[i + 1] == 'u' && buf[i + 2] == '0' && buf[i + 3] == '0' &&
                    buf[i + 4] == '0' && buf[i + 5] == '0') {
                    int l, c;
                    rk_offset_to_linecol(buf, len, i, &l, &c);
                    rk_diag_set(d, path, l, c,
                                "a \\u0000 escape in a string cannot be represented; expected "
                                "text without NUL characters");
                    return -1;
                }
                i++;
            } else if (ch == '"') {
                in_str = 0;
            }
            continue;
        }
        if (ch == '"') {
            in_str = 1;
        } else if (ch == '{' || ch == '[') {
            if (++depth > RK_FACTS_MAX_DEPTH) {
                int l, c;
                rk_offset_to_linecol(buf, len, i, &l, &c);
                rk_diag_set(d, path, l, c,
                            "nested more than %d levels deep; expected a fact file as "
                            "readykit-collect writes it",
                            RK_FACTS_MAX_DEPTH);
                return -1;
            }
        } else if (ch == '}' || ch == ']') {
            depth--;
        }
    }
    *open = in_str || depth > 0; /* ends inside a string, object or list: truncated */
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void path_join(char *out, size_t outlen, const char *base, const char *key, int index)
{
    if (index >= 0)
        snprintf(out, outlen, "%s[%d]", base, index);
    else if (base[0])
        snprintf(out, outlen, "%s.%s", base, key);
    else
        snprintf(out, outlen, "%s", key);
    /* a long path is cut short: not inside a character, which messages would show */
    size_t bad;
    if (!rk_utf8_valid(out, strlen(out), &bad)) out[bad] = '\0';
}

/* The path of child c (at index in node) into p, built on first use. */
static const char *child_path(char *p, size_t plen, int *have, const char *where,
                              const cJSON *node, const cJSON *c, int index)
{
    if (!*have) {
        if (cJSON_IsObject(node) && c->string)
            path_join(p, plen, where, c->string, -1);
        else
            path_join(p, plen, where, NULL, index);
        *have = 1;
    }
    return p;
}

/* 1 when s is printable ASCII (tab, LF and CR allowed when keep_newlines): nothing to
 * replace, so the common case needs no copy. */
static int plain_text(const char *s, int keep_newlines)
{
    for (const unsigned char *q = (const unsigned char *)s; *q; q++)
        if (*q >= 0x7F || (*q < 0x20 && !(keep_newlines && (*q == '\t' || *q == '\n' || *q == '\r'))))
            return 0;
    return 1;
}

/* Walks the tree: duplicate keys are an error; numbers must be finite; strings (and
 * keys) with invalid UTF-8 or control characters are replaced and warned about. */
static int walk(const char *path, cJSON *node, const char *where, rk_diag *d, rk_warnings *w)
{
    if (cJSON_IsObject(node)) {
        size_t n = 0;
        for (cJSON *c = node->child; c; c = c->next) n++;
        if (n > 1) {
            const char **names = rk_xmalloc(n * sizeof(char *));
            size_t i = 0;
            for (cJSON *c = node->child; c; c = c->next) names[i++] = c->string ? c->string : "";
            qsort(names, n, sizeof(char *), cmp_str);
            for (i = 1; i < n; i++)
                if (strcmp(names[i - 1], names[i]) == 0) {
                    char p[512], shown[200];
                    show_input(names[i], 60, shown, sizeof shown);
                    path_join(p, sizeof p, where, shown, -1);
                    rk_diag_set(d, path, 0, 0, "duplicate key '%s'; expected each key once", p);
                    free(names);
                    return -1;
                }
            free(names);
        }
    }
    int index = 0;
    for (cJSON *c = node->child; c; c = c->next, index++) {
        char p[512];
        int have_p = 0; /* the path is built only when a message or a child needs it */
        if (cJSON_IsObject(node) && c->string && !plain_text(c->string, 0)) {
            int changed = 0;
            char *clean = rk_utf8_sanitize(c->string, 0, &changed);
            if (changed) {
                path_join(p, sizeof p, where, clean, -1);
                rk_warn(w, path, 0, 0, "key '%s' had invalid UTF-8 or control characters; replaced with U+FFFD", p);
                if (!(c->type & cJSON_StringIsConst)) {
                    cJSON_free(c->string);
                    c->string = (char *)cJSON_malloc(strlen(clean) + 1);
                    if (!c->string) {
                        free(clean);
                        return -1;
                    }
                    strcpy(c->string, clean);
                }
            }
            free(clean);
        }
        if (cJSON_IsNumber(c) && !isfinite(c->valuedouble)) {
            rk_diag_set(d, path, 0, 0, "'%s' is a number too large to represent; expected a finite number",
                        child_path(p, sizeof p, &have_p, where, node, c, index));
            return -1;
        }
        /* beyond 2^53 a double no longer holds every integer: 2^53 + 1 would be read
         * as 2^53 without a word, so such numbers are refused rather than altered */
        if (cJSON_IsNumber(c) && fabs(c->valuedouble) >= 9007199254740992.0) {
            rk_diag_set(d, path, 0, 0,
                        "'%s' is a number beyond 2^53, which cannot be read exactly; expected "
                        "a number from -9007199254740991 to 9007199254740991",
                        child_path(p, sizeof p, &have_p, where, node, c, index));
            return -1;
        }
        if (cJSON_IsString(c) && c->valuestring && !plain_text(c->valuestring, 1)) {
            int changed = 0;
            char *clean = rk_utf8_sanitize(c->valuestring, 1, &changed);
            if (changed) {
                rk_warn(w, path, 0, 0,
                        "'%s' had invalid UTF-8 or control characters; replaced with U+FFFD",
                        child_path(p, sizeof p, &have_p, where, node, c, index));
                if (!cJSON_SetValuestring(c, clean)) {
                    /* longer than the original: replace the node's buffer */
                    cJSON_free(c->valuestring);
                    c->valuestring = (char *)cJSON_malloc(strlen(clean) + 1);
                    if (!c->valuestring) {
                        free(clean);
                        return -1;
                    }
                    strcpy(c->valuestring, clean);
                }
            }
            free(clean);
        }
        if (c->child && walk(path, c, child_path(p, sizeof p, &have_p, where, node, c, index), d, w) != 0)
            return -1;
    }
    return 0;
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
        /* below a null (collected, absent: no Outlook) everything is absent too */
        if (cJSON_IsNull(node)) return node;
        if (!cJSON_IsObject(node)) return NULL;
        node = cJSON_GetObjectItemCaseSensitive(node, key);
        p = dot ? dot + 1 : p + n;
    }
    return node;
}

/* Types of the documented keys: checked when present, so a wrong type is an input
 * error that names the key rather than a surprise in evaluation. */
typedef enum { T_STR, T_NUM, T_BOOL, T_ARR, T_OBJ } ftype;
static const struct {
    const char *key;
    ftype type;
    int nullable;
} KEYS[] = {
    {"host.fqdn", T_STR, 1},
    {"host.domain", T_STR, 1},
    {"host.domain_joined", T_BOOL, 1},
    {"host.addresses", T_ARR, 1},
    {"os", T_OBJ, 0},
    {"os.name", T_STR, 1},
    {"os.version", T_STR, 1},
    {"os.build", T_NUM, 1},
    {"os.installation_type", T_STR, 1},
    {"os.arch", T_STR, 1},
    {"os.short_date_format", T_STR, 1},
    {"hardware", T_OBJ, 0},
    {"hardware.cpu_model", T_STR, 1},
    {"hardware.cpu_cores", T_NUM, 1},
    {"hardware.cpu_logical", T_NUM, 1},
    {"hardware.cpu_mhz", T_NUM, 1},
    {"hardware.memory_bytes", T_NUM, 1},
    {"hardware.display_width", T_NUM, 1},
    {"hardware.display_height", T_NUM, 1},
    {"hardware.disks", T_ARR, 1},
    {"software", T_OBJ, 0},
    {"software.powershell_versions", T_ARR, 1},
    {"software.dotnet_release", T_NUM, 1},
    {"software.iis_version", T_STR, 1},
    {"software.ie_version", T_STR, 1},
    {"software.firefox_version", T_STR, 1},
    {"software.outlook", T_OBJ, 1},
    {"software.sql_instances", T_ARR, 1},
    {"software.exchange", T_OBJ, 1},
    {"settings", T_OBJ, 0},
    {"settings.uac_enable_lua", T_NUM, 1},
    {"settings.ie_esc_admins", T_NUM, 1},
    {"settings.ie_esc_users", T_NUM, 1},
    {"settings.tls12", T_OBJ, 1},
    {"settings.dotnet_strong_crypto", T_NUM, 1},
    {"settings.dotnet_system_default_tls", T_NUM, 1},
    {"services", T_OBJ, 0},
    {"identity", T_OBJ, 0},
    {"identity.user", T_STR, 1},
    {"identity.local_admin", T_BOOL, 1},
    {"identity.groups", T_ARR, 1},
    {"probes", T_ARR, 0},
    {"errors", T_ARR, 0},
};

static const char *type_word(ftype t)
{
    static const char *w[] = {"a string", "a number", "true or false", "a list", "an object"};
    return w[t];
}

static const char *json_kind(const cJSON *j)
{
    if (cJSON_IsNull(j)) return "null";
    if (cJSON_IsString(j)) return "a string";
    if (cJSON_IsNumber(j)) return "a number";
    if (cJSON_IsBool(j)) return "a boolean";
    if (cJSON_IsArray(j)) return "a list";
    if (cJSON_IsObject(j)) return "an object";
    return "invalid";
}

static int type_ok(const cJSON *j, ftype t)
{
    switch (t) {
    case T_STR:
        return cJSON_IsString(j);
    case T_NUM:
        return cJSON_IsNumber(j) && j->valuedouble >= 0;
    case T_BOOL:
        return cJSON_IsBool(j);
    case T_ARR:
        return cJSON_IsArray(j);
    default:
        return cJSON_IsObject(j);
    }
}

static char *get_str(const cJSON *o, const char *key)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(j) ? rk_xstrdup(j->valuestring) : NULL;
}

static int load_probes(rk_facts *f, rk_diag *d)
{
    const cJSON *pr = cJSON_GetObjectItemCaseSensitive(f->root, "probes");
    if (!pr) return 0;
    int n = cJSON_GetArraySize(pr);
    f->probes = rk_xcalloc((size_t)(n > 0 ? n : 1), sizeof(rk_probe));
    int i = 0;
    for (const cJSON *p = pr->child; p; p = p->next, i++) {
        if (!cJSON_IsObject(p)) {
            rk_diag_set(d, f->path, 0, 0, "'probes[%d]' is %s; expected an object", i, json_kind(p));
            return -1;
        }
        const cJSON *port = cJSON_GetObjectItemCaseSensitive(p, "port");
        const cJSON *res = cJSON_GetObjectItemCaseSensitive(p, "result");
        if (!cJSON_IsNumber(port) || port->valuedouble < 0 || port->valuedouble > 65535 ||
            !cJSON_IsString(res)) {
            rk_diag_set(d, f->path, 0, 0,
                        "'probes[%d]' needs 'port' (0-65535) and 'result' (open, closed, "
                        "filtered, error or not-verifiable)",
                        i);
            return -1;
        }
        rk_probe *q = &f->probes[f->nprobes++];
        q->port = (int)port->valuedouble;
        q->result = rk_xstrdup(res->valuestring);
        q->to = get_str(p, "to");
        q->address = get_str(p, "address");
        q->protocol = get_str(p, "protocol");
        q->flow = get_str(p, "flow");
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(p, "ms");
        q->ms = cJSON_IsNumber(ms) ? ms->valuedouble : -1;
    }
    return 0;
}

static int validate(rk_facts *f, rk_diag *d)
{
    const cJSON *root = f->root;
    const char *path = f->path;
    if (!cJSON_IsObject(root)) {
        rk_diag_set(d, path, 1, 1, "the file is %s; expected a JSON object with format \"readykit-facts/1\"",
                    json_kind(root));
        return -1;
    }
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
    if (!fmt) {
        rk_diag_set(d, path, 0, 0, "missing required key 'format'; expected \"readykit-facts/1\"");
        return -1;
    }
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "readykit-facts/1") != 0) {
        char shown[200];
        if (cJSON_IsString(fmt)) show_input(fmt->valuestring, 60, shown, sizeof shown);
        rk_diag_set(d, path, 0, 0, "unknown format %s%s%s; expected \"readykit-facts/1\"",
                    cJSON_IsString(fmt) ? "'" : "", cJSON_IsString(fmt) ? shown : json_kind(fmt),
                    cJSON_IsString(fmt) ? "'" : "");
        return -1;
    }
    const cJSON *col = cJSON_GetObjectItemCaseSensitive(root, "collector");
    if (!cJSON_IsObject(col)) {
        rk_diag_set(d, path, 0, 0, "%s 'collector'; expected an object {name, version, platform}",
                    col ? "wrong type of" : "missing required key");
        return -1;
    }
    f->collector_name = get_str(col, "name");
    f->collector_version = get_str(col, "version");
    f->collector_platform = get_str(col, "platform");
    if (!f->collector_name || !f->collector_version || !f->collector_platform) {
        rk_diag_set(d, path, 0, 0, "'collector' needs the strings 'name', 'version' and 'platform'");
        return -1;
    }
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(root, "collected_at");
    if (!cJSON_IsString(at) || rk_parse_date(at->valuestring, &f->collected_epoch) != 0 ||
        strlen(at->valuestring) <= 10) {
        rk_diag_set(d, path, 0, 0,
                    "%s 'collected_at'%s; expected an RFC 3339 time such as 2026-11-20T09:14:03Z",
                    at ? "invalid" : "missing required key",
                    cJSON_IsString(at) ? "" : "");
        return -1;
    }
    f->collected_at = rk_xstrdup(at->valuestring);
    const cJSON *host = cJSON_GetObjectItemCaseSensitive(root, "host");
    if (!cJSON_IsObject(host)) {
        rk_diag_set(d, path, 0, 0, "%s 'host'; expected an object {name, fqdn, domain, domain_joined, addresses}",
                    host ? "wrong type of" : "missing required key");
        return -1;
    }
    f->host_name = get_str(host, "name");
    if (!f->host_name || !*f->host_name) {
        rk_diag_set(d, path, 0, 0, "'host.name' must be a non-empty string");
        return -1;
    }
    /* the name is matched against the project and quoted in messages: a line break
     * there (tab, LF and CR survive the sanitising) would forge lines of output */
    if (strpbrk(f->host_name, "\t\n\r")) {
        rk_diag_set(d, path, 0, 0, "'host.name' contains a tab or line break; expected the "
                    "computer's name");
        return -1;
    }
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++) {
        const cJSON *j = rk_facts_get(root, KEYS[i].key);
        if (!j) continue;
        if (cJSON_IsNull(j) && KEYS[i].nullable) continue;
        if (!type_ok(j, KEYS[i].type)) {
            rk_diag_set(d, path, 0, 0, "'%s' is %s%s; expected %s%s", KEYS[i].key, json_kind(j),
                        cJSON_IsNumber(j) && j->valuedouble < 0 ? " below zero" : "",
                        KEYS[i].type == T_NUM ? "a number of zero or more" : type_word(KEYS[i].type),
                        KEYS[i].nullable ? " or null" : "");
            return -1;
        }
    }
    return load_probes(f, d);
}

rk_facts *rk_facts_parse(const char *path, const char *buf, size_t len, rk_diag *d, rk_warnings *w)
{
    if (len == 0) {
        rk_diag_set(d, path, 0, 0, "the file is empty; expected a JSON fact file from readykit-collect");
        return NULL;
    }
    int open = 0;
    if (prescan(path, buf, len, d, &open) != 0) return NULL;
    const char *end = NULL;
    /* cJSON 1.7.15's trailing-garbage check reads the terminating NUL as part of the
     * buffer, so the length passed includes it (buf[len] is always '\0' here and the
     * prescan refused NUL bytes inside). */
    cJSON *root = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 1);
    if (!root) {
        size_t off = end && end >= buf && end <= buf + len ? (size_t)(end - buf) : 0;
        if (!end) {
            const char *e = cJSON_GetErrorPtr();
            if (e && e >= buf && e <= buf + len) off = (size_t)(e - buf);
        }
        int l, c;
        rk_offset_to_linecol(buf, len, off, &l, &c);
        if (off >= len)
            rk_diag_set(d, path, l, c, "invalid JSON: the file ends too early (truncated?)");
        else {
            char shown[64];
            size_t skip = off;
            while (skip < len && strchr(" \t\r\n", buf[skip])) skip++;
            show_input(buf + skip, 12, shown, sizeof shown);
            rk_diag_set(d, path, l, c, "invalid JSON near '%s'; expected a JSON value%s", shown,
                        open ? " (the file ends inside a string or an open { or [: truncated?)"
                             : "");
        }
        return NULL;
    }
    rk_facts *f = rk_xcalloc(1, sizeof(*f));
    f->path = rk_xstrdup(path);
    f->root = root;
    rk_sha256_hex(buf, len, f->sha256);
    if (walk(path, root, "", d, w) != 0 || validate(f, d) != 0) {
        rk_facts_free(f);
        return NULL;
    }
    return f;
}

rk_facts *rk_facts_load(const char *path, rk_diag *d, rk_warnings *w)
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
    rk_facts *f = rk_facts_parse(path, buf, len, d, w);
    free(buf);
    if (f) memcpy(f->sha256, sha, sizeof sha); /* the hash of the bytes as mailed in */
    return f;
}
