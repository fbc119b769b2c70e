/* diff.c - compares two findings files: each read with positions (json.h), then the
 * changes classified per host, requirement and flow. Data only: diff_print.c and
 * readiness_changes.c put them into words. */
#include "diff.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "assess.h"
#include "json.h"
#include "util.h"

const char *rk_change_kind_str(rk_change_kind k)
{
    static const char *const names[RK_CHG_COUNT] = {
        "new-failure",  "fixed",        "still-failing",  "new-unknown", "host-added",
        "host-removed", "waiver-added", "waiver-expired", "other"};
    return (size_t)k < RK_CHG_COUNT ? names[k] : "other";
}

/* ---- one side: a findings document ------------------------------------------- */

typedef struct frow {
    char *host, *req, *flow; /* flow may be NULL */
    rk_status status;
    char *actual, *message; /* may be NULL */
    char *waiver_by, *waiver_expires;
    char *attested_by, *attested_on;
    size_t index; /* position in findings[] */
} frow;

typedef struct shost {
    char *name, *verdict; /* verdict may be NULL */
    size_t order;         /* first mention wins among duplicates */
} shost;

typedef struct side {
    const char *path;  /* for messages */
    const rk_json *doc; /* positions; NULL for an in-memory document */
    char *verdict, *date;
    char digest[65];
    struct shost *hosts; /* sorted by name ignoring case, each once */
    size_t nhosts, hcap;
    frow *rows;
    size_t nrows;
} side;

static void side_free(side *s)
{
    free(s->verdict);
    free(s->date);
    for (size_t i = 0; i < s->nhosts; i++) {
        free(s->hosts[i].name);
        free(s->hosts[i].verdict);
    }
    free(s->hosts);
    for (size_t i = 0; i < s->nrows; i++) {
        frow *r = &s->rows[i];
        free(r->host);
        free(r->req);
        free(r->flow);
        free(r->actual);
        free(r->message);
        free(r->waiver_by);
        free(r->waiver_expires);
        free(r->attested_by);
        free(r->attested_on);
    }
    free(s->rows);
}

/* Fills d for a problem at root[key][index][key2] (each part optional: NULL / -1),
 * pointing at the deepest part that exists in the document. */
static rk_err bad(rk_diag *d, const side *s, const char *key, long index, const char *key2,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static rk_err bad(rk_diag *d, const side *s, const char *key, long index, const char *key2,
                  const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!s->doc) return rk_diag_set(d, s->path, 0, 0, "%s", msg);
    const cJSON *at = rk_json_root(s->doc), *p;
    if (key && (p = cJSON_GetObjectItemCaseSensitive(at, key))) {
        at = p;
        if (index >= 0 && cJSON_IsArray(at) && (p = cJSON_GetArrayItem(at, (int)index))) {
            at = p;
            if (key2 && (p = cJSON_GetObjectItemCaseSensitive(at, key2))) at = p;
        }
    }
    return rk_json_error(s->doc, at, d, "%s", msg);
}

static char *clean(const char *v)
{
    int changed = 0;
    return rk_utf8_sanitize(v, 0, &changed);
}

static const cJSON *get(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* An optional string member; NULL when absent or null. -1 when of another type. */
static int opt_string(const cJSON *o, const char *key, const char **out)
{
    const cJSON *v = get(o, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v)) return 0;
    if (!cJSON_IsString(v) || !v->valuestring) return -1;
    *out = v->valuestring;
    return 0;
}

static const char STATUS_WORDS[] =
    "pass, fail, warn, unknown, not-applicable, manual, waived or attested";

static rk_err parse_finding(const side *s, const cJSON *f, long i, frow *r, rk_diag *d)
{
    if (!cJSON_IsObject(f))
        return bad(d, s, "findings", i, NULL,
                   "finding %ld is not an object; expected {host, requirement, status, ...}",
                   i + 1);
    static const char *const required[] = {"host", "requirement", "status"};
    const char *v[3];
    for (int k = 0; k < 3; k++) {
        if (opt_string(f, required[k], &v[k]) != 0 || !v[k] || !*v[k])
            return bad(d, s, "findings", i, get(f, required[k]) ? required[k] : NULL,
                       "finding %ld has no '%s' string; expected a finding as 'readykit render' "
                       "writes it",
                       i + 1, required[k]);
    }
    if (rk_status_parse(v[2], &r->status) != 0)
        return bad(d, s, "findings", i, "status", "finding %ld has status '%s'; expected %s", i + 1,
                   v[2], STATUS_WORDS);
    const char *flow, *actual, *message;
    if (opt_string(f, "flow", &flow) != 0)
        return bad(d, s, "findings", i, "flow",
                   "finding %ld: 'flow' is not a string; expected a "
                   "flow id such as F0001",
                   i + 1);
    if (opt_string(f, "actual", &actual) != 0 || opt_string(f, "message", &message) != 0)
        return bad(d, s, "findings", i, NULL, "finding %ld: 'actual' and 'message' must be strings",
                   i + 1);
    const cJSON *w = get(f, "waiver");
    const char *by = NULL, *exp = NULL;
    if (w && !cJSON_IsNull(w)) {
        if (!cJSON_IsObject(w) || opt_string(w, "approved_by", &by) != 0 ||
            opt_string(w, "expires", &exp) != 0)
            return bad(
                d, s, "findings", i, "waiver",
                "finding %ld: 'waiver' is not a waiver; expected {approved_by, expires, ...}",
                i + 1);
    }
    const cJSON *at = get(f, "attestation");
    const char *aby = NULL, *aon = NULL;
    if (at && !cJSON_IsNull(at)) {
        if (!cJSON_IsObject(at) || opt_string(at, "attested_by", &aby) != 0 ||
            opt_string(at, "date", &aon) != 0)
            return bad(d, s, "findings", i, "attestation",
                       "finding %ld: 'attestation' is not an attestation; expected {attested_by, "
                       "date, ...}",
                       i + 1);
    }
    r->attested_by = aby ? clean(aby) : NULL;
    r->attested_on = aon ? clean(aon) : NULL;
    r->host = clean(v[0]);
    r->req = clean(v[1]);
    r->flow = flow && *flow ? clean(flow) : NULL;
    r->actual = actual ? clean(actual) : NULL;
    r->message = message ? clean(message) : NULL;
    r->waiver_by = by ? clean(by) : NULL;
    r->waiver_expires = exp ? clean(exp) : NULL;
    r->index = (size_t)i;
    return RK_OK;
}

static int cmp_null_first(const char *a, const char *b)
{
    if (!a || !b) return a ? 1 : b ? -1 : 0;
    return strcmp(a, b);
}

static int cmp_host(const char *a, const char *b)
{
    if (!a || !b) return a ? 1 : b ? -1 : 0;
    int c = strcasecmp(a, b);
    return c ? c : strcmp(a, b);
}

static int same_host(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

static int cmp_key(const frow *a, const frow *b)
{
    int c = strcasecmp(a->host, b->host);
    if (c) return c;
    if ((c = strcmp(a->req, b->req))) return c;
    return cmp_null_first(a->flow, b->flow);
}

static int cmp_frow(const void *x, const void *y)
{
    const frow *a = x, *b = y;
    int c = cmp_key(a, b);
    if (c) return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

static void add_host(side *s, const char *name, const char *verdict)
{
    if (s->nhosts == s->hcap) {
        s->hcap = s->hcap ? s->hcap * 2 : 16;
        s->hosts = rk_xrealloc(s->hosts, s->hcap * sizeof(shost));
    }
    shost *h = &s->hosts[s->nhosts];
    h->name = clean(name);
    h->verdict = verdict ? clean(verdict) : NULL;
    h->order = s->nhosts++;
}

static int cmp_shost(const void *x, const void *y)
{
    const shost *a = x, *b = y;
    int c = strcasecmp(a->name, b->name);
    if (c) return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* Sorts the hosts and keeps the first mention of each (hosts[] before findings). */
static void finish_hosts(side *s)
{
    if (s->nhosts > 1) qsort(s->hosts, s->nhosts, sizeof(shost), cmp_shost);
    size_t keep = 0;
    for (size_t i = 0; i < s->nhosts; i++) {
        if (keep && same_host(s->hosts[keep - 1].name, s->hosts[i].name)) {
            free(s->hosts[i].name);
            free(s->hosts[i].verdict);
            continue;
        }
        s->hosts[keep++] = s->hosts[i];
    }
    s->nhosts = keep;
}

static const char FINDINGS_EXPECT[] = "a findings.json file as 'readykit render' writes it";

static rk_err parse_side(side *s, const cJSON *root, rk_diag *d)
{
    if (!cJSON_IsObject(root))
        return bad(d, s, NULL, -1, NULL, "the file is not a JSON object; expected %s",
                   FINDINGS_EXPECT);
    const cJSON *fmt = get(root, "format");
    if (!fmt)
        return bad(d, s, NULL, -1, NULL,
                   "no 'format'; expected \"format\": "
                   "\"readykit-findings/1\", %s",
                   FINDINGS_EXPECT);
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "readykit-findings/1") != 0)
        return bad(d, s, "format", -1, NULL, "unknown format '%.60s'; expected readykit-findings/1",
                   cJSON_IsString(fmt) ? fmt->valuestring : "(not a string)");
    const char *verdict, *date, *digest;
    rk_verdict vv;
    static const char VERDICTS[] = "not-ready, incomplete, ready-with-exceptions or ready";
    if (!get(root, "verdict"))
        return bad(d, s, NULL, -1, NULL, "no 'verdict'; expected %s", VERDICTS);
    if (opt_string(root, "verdict", &verdict) != 0 || !verdict)
        return bad(d, s, "verdict", -1, NULL, "'verdict' is not a string; expected %s", VERDICTS);
    if (rk_verdict_parse(verdict, &vv) != 0)
        return bad(d, s, "verdict", -1, NULL, "'verdict' is '%.60s'; expected %s", verdict,
                   VERDICTS);
    if (opt_string(root, "assessment_date", &date) != 0)
        return bad(
            d, s, "assessment_date", -1, NULL,
            "'assessment_date' is not a string; expected a date such as 2024-05-02T09:00:00Z");
    if (opt_string(root, "digest", &digest) != 0)
        return bad(d, s, "digest", -1, NULL, "'digest' is not a string; expected a SHA-256 in hex");
    s->verdict = rk_xstrdup(rk_verdict_str(vv));
    s->date = date ? clean(date) : NULL;
    s->digest[0] = '\0';
    if (digest && strlen(digest) == 64 && strspn(digest, "0123456789abcdefABCDEF") == 64)
        memcpy(s->digest, digest, 65);

    const cJSON *hosts = get(root, "hosts");
    if (hosts && !cJSON_IsNull(hosts)) {
        if (!cJSON_IsArray(hosts))
            return bad(d, s, "hosts", -1, NULL, "'hosts' is not a list; expected [{name, ...}]");
        long i = 0;
        for (const cJSON *h = hosts->child; h; h = h->next, i++) {
            const char *name, *hv;
            if (!cJSON_IsObject(h) || opt_string(h, "name", &name) != 0 || !name || !*name ||
                opt_string(h, "verdict", &hv) != 0)
                return bad(d, s, "hosts", i, NULL,
                           "host %ld has no 'name' string; expected {name, verdict, ...}", i + 1);
            add_host(s, name, hv);
        }
    }
    const cJSON *findings = get(root, "findings");
    if (!cJSON_IsArray(findings))
        return bad(d, s, findings ? "findings" : NULL, -1, NULL,
                   "'findings' is %s; expected a list of findings",
                   findings ? "not a list" : "missing");
    size_t n = (size_t)cJSON_GetArraySize(findings);
    s->rows = rk_xcalloc(n ? n : 1, sizeof(frow));
    long i = 0;
    for (const cJSON *f = findings->child; f; f = f->next, i++) {
        rk_err e = parse_finding(s, f, i, &s->rows[s->nrows], d);
        if (e != RK_OK) return e;
        s->nrows++;
    }
    qsort(s->rows, s->nrows, sizeof(frow), cmp_frow);
    for (size_t k = 1; k < s->nrows; k++) {
        const frow *a = &s->rows[k - 1], *b = &s->rows[k];
        if (cmp_key(a, b) == 0)
            return bad(d, s, "findings", (long)b->index, NULL,
                       "finding %zu repeats host '%s', requirement '%s'%s%s (first as finding "
                       "%zu); expected one finding per host, requirement and flow",
                       b->index + 1, b->host, b->req, b->flow ? ", flow " : "",
                       b->flow ? b->flow : "", a->index + 1);
    }
    /* hosts named only by findings (a hand-made file without hosts[]) */
    for (size_t k = 0; k < s->nrows; k++)
        if (k == 0 || !same_host(s->rows[k - 1].host, s->rows[k].host))
            add_host(s, s->rows[k].host, NULL);
    finish_hosts(s);
    return RK_OK;
}

/* Reads one findings file: bounded, UTF-8 (a byte-order mark or UTF-16 accepted), with
 * positions for every message. */
static rk_err load_side(side *s, const char *path, rk_json **doc, char sha[65], rk_diag *d)
{
    /* a comparison reads the findings and hosts: the flows and rules (most of a fleet's
     * file) are never made a tree */
    static const char *const skip[] = {"flows", "rules", NULL};
    rk_json_opts o = {64, 1, FINDINGS_EXPECT, NULL, skip};
    rk_warnings w = {0};
    *doc = rk_json_load(path, RK_DIFF_MAX_BYTES, &o, sha, d, &w);
    rk_warnings_free(&w);
    if (!*doc) return RK_INPUT;
    s->path = path;
    s->doc = *doc;
    return parse_side(s, rk_json_root(*doc), d);
}

/* ---- comparing ------------------------------------------------------------------- */

static int cmp_name_shost(const void *key, const void *elem)
{
    return strcasecmp((const char *)key, ((const shost *)elem)->name);
}

static int has_host(const side *s, const char *name)
{
    return s->nhosts && bsearch(name, s->hosts, s->nhosts, sizeof(shost), cmp_name_shost);
}

static rk_change_item *add_item(rk_diff *x, size_t *cap, rk_change_kind k, const char *host,
                                const frow *o, const frow *n)
{
    if (x->nitems == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        x->items = rk_xrealloc(x->items, *cap * sizeof(rk_change_item));
    }
    rk_change_item *it = &x->items[x->nitems++];
    memset(it, 0, sizeof(*it));
    it->kind = k;
    it->host = rk_xstrdup(host);
    const frow *any = n ? n : o;
    if (any) {
        it->requirement = rk_xstrdup(any->req);
        it->flow = rk_xstrdup(any->flow);
    }
    if (o) it->old_status = rk_xstrdup(rk_status_str(o->status));
    if (n) it->new_status = rk_xstrdup(rk_status_str(n->status));
    x->counts[k]++;
    return it;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static char *waiver_detail(const char *verb, const frow *r)
{
    return rk_xasprintf("waiver approved by %s %s(valid until %s)",
                        r->waiver_by ? r->waiver_by : "?", verb,
                        r->waiver_expires ? r->waiver_expires : "?");
}

/* Classifies one (host, requirement, flow) present on either side of hosts in both. */
static void classify(rk_diff *x, size_t *cap, const side *ns, const frow *o, const frow *n)
{
    const char *host = n ? n->host : o->host;
    rk_change_item *it = NULL;
    if (!o) {
        if (n->status == RK_ST_FAIL) {
            it = add_item(x, cap, RK_CHG_NEW_FAILURE, host, o, n);
            x->new_failures++;
        } else if (n->status == RK_ST_UNKNOWN) {
            it = add_item(x, cap, RK_CHG_NEW_UNKNOWN, host, o, n);
        } else if (n->status == RK_ST_WAIVED) {
            it = add_item(x, cap, RK_CHG_WAIVER_ADDED, host, o, n);
        } else if (n->status != RK_ST_PASS && n->status != RK_ST_NA) {
            it = add_item(x, cap, RK_CHG_OTHER, host, o, n);
            it->detail = rk_xasprintf("newly assessed: %s", or_empty(n->message));
        }
        if (it && !it->detail)
            it->detail =
                n->status == RK_ST_WAIVED ? waiver_detail("", n) : rk_xstrdup(or_empty(n->message));
        if (it && n->status == RK_ST_WAIVED) {
            it->waiver_by = rk_xstrdup(n->waiver_by);
            it->waiver_expires = rk_xstrdup(n->waiver_expires);
        }
        return;
    }
    if (!n) {
        if (o->status != RK_ST_PASS && o->status != RK_ST_NA) {
            it = add_item(x, cap, RK_CHG_OTHER, host, o, n);
            it->detail = rk_xstrdup("no longer assessed");
        }
        return;
    }
    rk_status os = o->status, st = n->status;
    int was_bad = os == RK_ST_FAIL || os == RK_ST_WARN || os == RK_ST_WAIVED;
    if (st == RK_ST_FAIL && os == RK_ST_FAIL) {
        it = add_item(x, cap, RK_CHG_STILL_FAILING, host, o, n);
        it->detail = rk_xstrdup(or_empty(n->message));
    } else if ((st == RK_ST_FAIL || st == RK_ST_WARN || st == RK_ST_UNKNOWN) &&
               os == RK_ST_WAIVED) {
        it = add_item(x, cap, RK_CHG_WAIVER_EXPIRED, host, o, n);
        int64_t ex, now;
        int expired = o->waiver_expires && ns->date && rk_parse_date(o->waiver_expires, &ex) == 0 &&
                      rk_parse_date(ns->date, &now) == 0 && now >= ex + 86400;
        it->detail = waiver_detail(expired ? "has expired " : "is no longer given ", o);
        it->waiver_by = rk_xstrdup(o->waiver_by);
        it->waiver_expires = rk_xstrdup(o->waiver_expires);
        if (st == RK_ST_FAIL) x->new_failures++;
    } else if (st == RK_ST_FAIL) {
        it = add_item(x, cap, RK_CHG_NEW_FAILURE, host, o, n);
        it->detail = rk_xstrdup(or_empty(n->message));
        x->new_failures++;
    } else if (st == RK_ST_WAIVED && os != RK_ST_WAIVED) {
        it = add_item(x, cap, RK_CHG_WAIVER_ADDED, host, o, n);
        it->detail = waiver_detail("", n);
        it->waiver_by = rk_xstrdup(n->waiver_by);
        it->waiver_expires = rk_xstrdup(n->waiver_expires);
    } else if (st == RK_ST_UNKNOWN && os != RK_ST_UNKNOWN) {
        it = add_item(x, cap, RK_CHG_NEW_UNKNOWN, host, o, n);
        it->detail = rk_xstrdup(or_empty(n->message));
    } else if (st == RK_ST_PASS && was_bad) {
        it = add_item(x, cap, RK_CHG_FIXED, host, o, n);
        it->detail = rk_xstrdup(n->actual && *n->actual ? n->actual : or_empty(n->message));
    } else if (st != os) {
        it = add_item(x, cap, RK_CHG_OTHER, host, o, n);
        if (st == RK_ST_ATTESTED) {
            it->detail = rk_xasprintf("attested by %s on %s", n->attested_by ? n->attested_by : "?",
                                      n->attested_on ? n->attested_on : "?");
            it->attested_by = rk_xstrdup(n->attested_by);
            it->attested_on = rk_xstrdup(n->attested_on);
        } else {
            it->detail = rk_xstrdup(or_empty(n->message));
        }
    }
}

static int cmp_item(const void *x, const void *y)
{
    const rk_change_item *a = x, *b = y;
    int c = cmp_host(a->host, b->host);
    if (c) return c;
    if ((c = cmp_null_first(a->requirement, b->requirement))) return c;
    if ((c = cmp_null_first(a->flow, b->flow))) return c;
    return a->kind < b->kind ? -1 : a->kind > b->kind;
}

/* A host item for each host only one side has. */
static void host_items(rk_diff *x, size_t *cap, const side *from, const side *other,
                       rk_change_kind k)
{
    for (size_t i = 0; i < from->nhosts; i++) {
        const shost *h = &from->hosts[i];
        if (has_host(other, h->name)) continue;
        rk_change_item *it = add_item(x, cap, k, h->name, NULL, NULL);
        it->host_verdict = rk_xstrdup(h->verdict);
        it->detail = h->verdict ? rk_xasprintf("verdict %s", h->verdict) : rk_xstrdup("");
    }
}

static void compare(rk_diff *x, const side *os, const side *ns)
{
    size_t cap = 0;
    host_items(x, &cap, ns, os, RK_CHG_HOST_ADDED);
    host_items(x, &cap, os, ns, RK_CHG_HOST_REMOVED);
    size_t i = 0, j = 0;
    while (i < os->nrows || j < ns->nrows) {
        const frow *o = i < os->nrows ? &os->rows[i] : NULL;
        const frow *n = j < ns->nrows ? &ns->rows[j] : NULL;
        int c = !o ? 1 : !n ? -1 : cmp_key(o, n);
        if (c < 0)
            n = NULL, i++;
        else if (c > 0)
            o = NULL, j++;
        else
            i++, j++;
        const char *host = n ? n->host : o->host;
        int in_old = has_host(os, host), in_new = has_host(ns, host);
        if (in_old && in_new) {
            classify(x, &cap, ns, o, n);
        } else if (n && !in_old && n->status == RK_ST_FAIL) {
            /* a failure on an added host is a failure OLD did not have */
            rk_change_item *it = add_item(x, &cap, RK_CHG_NEW_FAILURE, host, NULL, n);
            it->detail = rk_xstrdup(or_empty(n->message));
            x->new_failures++;
        }
    }
    if (x->nitems) qsort(x->items, x->nitems, sizeof(rk_change_item), cmp_item);
}

static rk_diff *finish(const side *os, const side *ns, const char *old_path, const char *new_path,
                       const char sha[65])
{
    rk_diff *x = rk_xcalloc(1, sizeof(*x));
    x->old_path = rk_xstrdup(old_path);
    x->new_path = rk_xstrdup(new_path);
    x->old_verdict = rk_xstrdup(os->verdict);
    x->new_verdict = rk_xstrdup(ns->verdict);
    x->old_date = rk_xstrdup(os->date);
    x->new_date = rk_xstrdup(ns->date);
    memcpy(x->old_sha256, sha, 65);
    memcpy(x->old_digest, os->digest, 65);
    memcpy(x->new_digest, ns->digest, 65);
    compare(x, os, ns);
    return x;
}

rk_diff *rk_diff_files(const char *old_path, const char *new_path, rk_diag *d)
{
    side os, ns;
    memset(&os, 0, sizeof os);
    memset(&ns, 0, sizeof ns);
    char osha[65] = "", nsha[65] = "";
    rk_json *odoc = NULL, *ndoc = NULL;
    rk_diff *x = NULL;
    if (load_side(&os, old_path, &odoc, osha, d) == RK_OK &&
        load_side(&ns, new_path, &ndoc, nsha, d) == RK_OK)
        x = finish(&os, &ns, old_path, new_path, osha);
    side_free(&os);
    side_free(&ns);
    rk_json_free(odoc);
    rk_json_free(ndoc);
    return x;
}

rk_diff *rk_diff_with(const char *old_path, const cJSON *new_doc, rk_diag *d)
{
    side os, ns;
    memset(&os, 0, sizeof os);
    memset(&ns, 0, sizeof ns);
    ns.path = "(this assessment)";
    char osha[65] = "";
    rk_json *odoc = NULL;
    rk_diff *x = NULL;
    if (load_side(&os, old_path, &odoc, osha, d) == RK_OK && parse_side(&ns, new_doc, d) == RK_OK)
        x = finish(&os, &ns, old_path, NULL, osha);
    side_free(&os);
    side_free(&ns);
    rk_json_free(odoc);
    return x;
}

void rk_diff_free(rk_diff *x)
{
    if (!x) return;
    for (size_t i = 0; i < x->nitems; i++) {
        rk_change_item *it = &x->items[i];
        free(it->host);
        free(it->requirement);
        free(it->old_status);
        free(it->new_status);
        free(it->detail);
        free(it->flow);
        free(it->waiver_by);
        free(it->waiver_expires);
        free(it->host_verdict);
        free(it->attested_by);
        free(it->attested_on);
    }
    free(x->items);
    free(x->old_verdict);
    free(x->new_verdict);
    free(x->old_date);
    free(x->new_date);
    free(x->old_path);
    free(x->new_path);
    free(x);
}

