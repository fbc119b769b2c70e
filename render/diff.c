/* diff.c - compares two findings files: loading with positions, classifying changes
 * per host and requirement, text and JSON output, the report's changes section. */
#include "diff.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "assess.h"
#include "facts.h"
#include "report.h"
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
    const char *path; /* for messages */
    const char *buf;  /* the text, for line:col; NULL for an in-memory document */
    size_t len;
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

/* Positions in JSON text cJSON has already accepted (so it is well formed): enough of
 * a scanner to find the value of a member or an array element. */
#define NOPOS ((size_t)-1)

static size_t skip_ws(const char *b, size_t n, size_t i)
{
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r'))
        i++;
    return i;
}

static size_t skip_string(const char *b, size_t n, size_t i)
{
    for (i++; i < n && b[i] != '"'; i++)
        if (b[i] == '\\') i++;
    return i < n ? i + 1 : n;
}

static size_t skip_value(const char *b, size_t n, size_t i)
{
    i = skip_ws(b, n, i);
    if (i >= n) return n;
    if (b[i] == '"') return skip_string(b, n, i);
    if (b[i] == '{' || b[i] == '[') {
        size_t depth = 0;
        while (i < n) {
            char c = b[i];
            if (c == '"') {
                i = skip_string(b, n, i);
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if ((c == '}' || c == ']') && --depth == 0)
                return i + 1;
            i++;
        }
        return n;
    }
    while (i < n && !strchr(",]} \t\r\n", b[i]))
        i++;
    return i;
}

static size_t member_at(const char *b, size_t n, size_t i, const char *key)
{
    if (i == NOPOS) return NOPOS;
    i = skip_ws(b, n, i);
    if (i >= n || b[i] != '{') return NOPOS;
    i++;
    size_t kl = strlen(key);
    for (;;) {
        i = skip_ws(b, n, i);
        if (i >= n || b[i] != '"') return NOPOS;
        size_t ks = i + 1, ke = skip_string(b, n, i);
        int match = ke - 1 - ks == kl && memcmp(b + ks, key, kl) == 0;
        i = skip_ws(b, n, ke);
        if (i < n && b[i] == ':') i++;
        i = skip_ws(b, n, i);
        if (match) return i;
        i = skip_ws(b, n, skip_value(b, n, i));
        if (i >= n || b[i] != ',') return NOPOS;
        i++;
    }
}

static size_t element_at(const char *b, size_t n, size_t i, size_t index)
{
    if (i == NOPOS) return NOPOS;
    i = skip_ws(b, n, i);
    if (i >= n || b[i] != '[') return NOPOS;
    i++;
    for (size_t k = 0;; k++) {
        i = skip_ws(b, n, i);
        if (i >= n || b[i] == ']') return NOPOS;
        if (k == index) return i;
        i = skip_ws(b, n, skip_value(b, n, i));
        if (i >= n || b[i] != ',') return NOPOS;
        i++;
    }
}

/* Fills d for a problem at root[key][index][key2] (each part optional: NULL / -1),
 * pointing at the deepest part found in the text. */
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
    int line = 0, col = 0;
    if (s->buf) {
        size_t off = skip_ws(s->buf, s->len, 0), p;
        if (key && (p = member_at(s->buf, s->len, off, key)) != NOPOS) {
            off = p;
            if (index >= 0 && (p = element_at(s->buf, s->len, off, (size_t)index)) != NOPOS) {
                off = p;
                if (key2 && (p = member_at(s->buf, s->len, off, key2)) != NOPOS) off = p;
            }
        }
        rk_offset_to_linecol(s->buf, s->len, off, &line, &col);
    }
    return rk_diag_set(d, s->path, line, col, "%s", msg);
}

static char *clean(const char *v)
{
    int changed = 0;
    return rk_utf8_sanitize(v, 0, &changed);
}

static int cmp_cstr(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The first repeated member name of an object, or NULL. */
static const char *duplicate_key(const cJSON *o)
{
    size_t n = 0;
    for (const cJSON *c = o->child; c; c = c->next)
        n++;
    if (n < 2) return NULL;
    const char **names = rk_xcalloc(n, sizeof(char *));
    size_t k = 0;
    for (const cJSON *c = o->child; c; c = c->next)
        names[k++] = c->string ? c->string : "";
    qsort(names, n, sizeof(char *), cmp_cstr);
    const char *dup = NULL;
    for (size_t i = 1; i < n && !dup; i++)
        if (!strcmp(names[i - 1], names[i])) dup = names[i];
    free(names);
    return dup;
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
    const char *dup = duplicate_key(f);
    if (dup)
        return bad(d, s, "findings", i, dup,
                   "finding %ld has the key '%s' twice; expected each "
                   "key once",
                   i + 1, dup);
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
    const char *dup = duplicate_key(root);
    if (dup)
        return bad(d, s, dup, -1, NULL, "the key '%s' appears twice; expected each key once", dup);
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

static rk_err load_side(side *s, const char *path, char **text, char sha[65], cJSON **root,
                        rk_diag *d)
{
    size_t len;
    char err[512];
    if (rk_read_file(path, RK_DIFF_MAX_BYTES, text, &len, err, sizeof err) != 0)
        return rk_diag_set(d, path, 0, 0, "%s", err);
    rk_sha256_hex(*text, len, sha);
    if (rk_text_normalise(text, &len) != 0)
        return rk_diag_set(d, path, 0, 0,
                           "UTF-16 text with an odd number of bytes; expected UTF-8");
    s->path = path;
    s->buf = *text;
    s->len = len;
    size_t badoff;
    if (!rk_utf8_valid(*text, len, &badoff)) {
        int l, c;
        rk_offset_to_linecol(*text, len, badoff, &l, &c);
        return rk_diag_set(d, path, l, c, "invalid UTF-8; expected UTF-8 text");
    }
    if (len == 0)
        return rk_diag_set(d, path, 0, 0, "the file is empty; expected %s", FINDINGS_EXPECT);
    const char *nul = memchr(*text, '\0', len);
    if (nul) {
        int l, c;
        rk_offset_to_linecol(*text, len, (size_t)(nul - *text), &l, &c);
        return rk_diag_set(d, path, l, c, "a NUL byte; expected JSON text");
    }
    /* cJSON's "nothing after the value" check wants to see the terminating NUL inside
     * the buffer, so the length passed includes it (rk_read_file terminates). */
    const char *end = NULL;
    *root = cJSON_ParseWithLengthOpts(*text, len + 1, &end, 1);
    if (!*root) {
        size_t off = end && end >= *text && end <= *text + len ? (size_t)(end - *text) : 0;
        if (!end) {
            const char *e = cJSON_GetErrorPtr();
            if (e && e >= *text && e <= *text + len) off = (size_t)(e - *text);
        }
        const char *t = *text;
        if (off >= len) {
            int l, c;
            rk_offset_to_linecol(t, len, len, &l, &c);
            return rk_diag_set(d, path, l, c, "invalid JSON: the file ends too early (truncated?)");
        }
        /* cJSON may stop on the white space after the offending token: point at it */
        if (strchr(" \t\r\n", t[off])) {
            while (off > 0 && strchr(" \t\r\n", t[off - 1]))
                off--;
            if (off > 0) off--;
        }
        int l, c;
        rk_offset_to_linecol(t, len, off, &l, &c);
        /* up to 12 bytes of whole UTF-8 characters, not past the end of the line */
        char near[16];
        size_t k = 0;
        while (off + k < len && t[off + k] != '\n' && t[off + k] != '\r') {
            unsigned char ch = (unsigned char)t[off + k];
            size_t n = ch < 0x80 ? 1 : ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : 2;
            if (k + n > 12 || off + k + n > len) break;
            for (size_t m = 0; m < n; m++)
                near[k + m] = ch < 0x20 ? ' ' : t[off + k + m];
            k += n;
        }
        near[k] = '\0';
        return rk_diag_set(d, path, l, c, "invalid JSON near '%s'; expected %s", near,
                           FINDINGS_EXPECT);
    }
    return parse_side(s, *root, d);
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
    char *otext = NULL, *ntext = NULL, osha[65] = "", nsha[65] = "";
    cJSON *oroot = NULL, *nroot = NULL;
    rk_diff *x = NULL;
    if (load_side(&os, old_path, &otext, osha, &oroot, d) == RK_OK &&
        load_side(&ns, new_path, &ntext, nsha, &nroot, d) == RK_OK)
        x = finish(&os, &ns, old_path, new_path, osha);
    side_free(&os);
    side_free(&ns);
    cJSON_Delete(oroot);
    cJSON_Delete(nroot);
    free(otext);
    free(ntext);
    return x;
}

rk_diff *rk_diff_with(const char *old_path, const cJSON *new_doc, rk_diag *d)
{
    side os, ns;
    memset(&os, 0, sizeof os);
    memset(&ns, 0, sizeof ns);
    ns.path = "(this assessment)";
    char *otext = NULL, osha[65] = "";
    cJSON *oroot = NULL;
    rk_diff *x = NULL;
    if (load_side(&os, old_path, &otext, osha, &oroot, d) == RK_OK &&
        parse_side(&ns, new_doc, d) == RK_OK)
        x = finish(&os, &ns, old_path, NULL, osha);
    side_free(&os);
    side_free(&ns);
    cJSON_Delete(oroot);
    free(otext);
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

/* ---- output ------------------------------------------------------------------------ */

static const char *const TEXT_LABEL[RK_CHG_COUNT] = {
    "new failure",  "fixed",        "still failing",  "newly unknown", "host added",
    "host removed", "waiver added", "waiver expired", "other change"};

/* Summary words: singular and plural. */
static const char *const SUMMARY[RK_CHG_COUNT][2] = {
    {"new failure", "new failures"},    {"fixed", "fixed"},
    {"still failing", "still failing"}, {"newly unknown", "newly unknown"},
    {"host added", "hosts added"},      {"host removed", "hosts removed"},
    {"waiver added", "waivers added"},  {"waiver expired", "waivers expired"},
    {"other change", "other changes"}};

static void print_text(const rk_diff *x, FILE *fp)
{
    fprintf(fp, "old: %s (%s, %s)\n", x->old_path ? x->old_path : "-", or_empty(x->old_verdict),
            x->old_date ? x->old_date : "no date");
    fprintf(fp, "new: %s (%s, %s)\n", x->new_path ? x->new_path : "this assessment",
            or_empty(x->new_verdict), x->new_date ? x->new_date : "no date");
    size_t wreq = 11, wst = 4;
    for (size_t i = 0; i < x->nitems; i++) {
        const rk_change_item *it = &x->items[i];
        size_t l = it->requirement ? strlen(it->requirement) : 0;
        if (it->flow) l += 1 + strlen(it->flow);
        if (l > wreq) wreq = l;
        l = strlen(it->old_status ? it->old_status : "-") + 4 +
            strlen(it->new_status ? it->new_status : "-");
        if (l > wst) wst = l;
    }
    const char *host = NULL;
    for (size_t i = 0; i < x->nitems; i++) {
        const rk_change_item *it = &x->items[i];
        if (!host || strcmp(host, it->host) != 0) {
            fprintf(fp, "\n%s\n", it->host);
            host = it->host;
        }
        char req[512], st[128];
        snprintf(req, sizeof req, "%s%s%s", or_empty(it->requirement), it->flow ? " " : "",
                 or_empty(it->flow));
        if (it->old_status || it->new_status)
            snprintf(st, sizeof st, "%s -> %s", it->old_status ? it->old_status : "-",
                     it->new_status ? it->new_status : "-");
        else
            st[0] = '\0';
        int has_detail = it->detail && *it->detail;
        if (has_detail)
            fprintf(fp, "  %-14s  %-*s  %-*s  %s\n", TEXT_LABEL[it->kind], (int)wreq, req, (int)wst,
                    st, it->detail);
        else if (st[0] || req[0])
            fprintf(fp, "  %-14s  %-*s  %s\n", TEXT_LABEL[it->kind], (int)wreq, req, st);
        else
            fprintf(fp, "  %s\n", TEXT_LABEL[it->kind]);
    }
    if (!x->nitems) fputs("\nno changes\n", fp);
    fputs("\nsummary: ", fp);
    for (int k = 0; k < RK_CHG_COUNT; k++)
        fprintf(fp, "%s%zu %s", k ? ", " : "", x->counts[k], SUMMARY[k][x->counts[k] != 1]);
    fprintf(fp, "; verdict %s -> %s\n", or_empty(x->old_verdict), or_empty(x->new_verdict));
}

static void add_str_or_null(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static void print_json(const rk_diff *x, FILE *fp)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "format", "readykit-diff/1");
    cJSON *o = cJSON_AddObjectToObject(root, "old");
    add_str_or_null(o, "path", x->old_path);
    add_str_or_null(o, "verdict", x->old_verdict);
    add_str_or_null(o, "date", x->old_date);
    add_str_or_null(o, "digest", x->old_digest[0] ? x->old_digest : NULL);
    add_str_or_null(o, "sha256", x->old_sha256[0] ? x->old_sha256 : NULL);
    cJSON *n = cJSON_AddObjectToObject(root, "new");
    add_str_or_null(n, "path", x->new_path);
    add_str_or_null(n, "verdict", x->new_verdict);
    add_str_or_null(n, "date", x->new_date);
    add_str_or_null(n, "digest", x->new_digest[0] ? x->new_digest : NULL);
    cJSON *changes = cJSON_AddArrayToObject(root, "changes");
    for (size_t i = 0; i < x->nitems; i++) {
        const rk_change_item *it = &x->items[i];
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "kind", rk_change_kind_str(it->kind));
        cJSON_AddStringToObject(c, "host", it->host);
        add_str_or_null(c, "requirement", it->requirement);
        if (it->flow) cJSON_AddStringToObject(c, "flow", it->flow);
        add_str_or_null(c, "old_status", it->old_status);
        add_str_or_null(c, "new_status", it->new_status);
        add_str_or_null(c, "detail", it->detail);
        cJSON_AddItemToArray(changes, c);
    }
    cJSON *counts = cJSON_AddObjectToObject(root, "counts");
    for (int k = 0; k < RK_CHG_COUNT; k++)
        cJSON_AddNumberToObject(counts, rk_change_kind_str((rk_change_kind)k),
                                (double)x->counts[k]);
    cJSON_AddNumberToObject(root, "new_failures", (double)x->new_failures);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) {
        fputs("{}\n", fp);
        return;
    }
    fputs(text, fp);
    fputc('\n', fp);
    cJSON_free(text);
}

void rk_diff_print(const rk_diff *x, int json, FILE *fp)
{
    if (json)
        print_json(x, fp);
    else
        print_text(x, fp);
}

/* ---- the report section ------------------------------------------------------------ */

static rk_tone kind_tone(rk_change_kind k)
{
    switch (k) {
    case RK_CHG_NEW_FAILURE:
    case RK_CHG_STILL_FAILING:
        return RK_TONE_FAIL;
    case RK_CHG_FIXED:
        return RK_TONE_PASS;
    case RK_CHG_NEW_UNKNOWN:
        return RK_TONE_UNKNOWN;
    case RK_CHG_WAIVER_EXPIRED:
        return RK_TONE_WARN;
    case RK_CHG_HOST_REMOVED:
        return RK_TONE_MUTED;
    case RK_CHG_HOST_ADDED:
    case RK_CHG_WAIVER_ADDED:
        return RK_TONE_INFO;
    default:
        return RK_TONE_NONE;
    }
}

/* A status or verdict word of the contract, in the document's language, with its tone. */
static void word_cell(rk_cell *c, rk_tmpl *t, const char *word)
{
    rk_status st;
    rk_verdict v;
    char key[96];
    if (!word) {
        rk_cell_set(c, "", RK_TONE_NONE);
    } else if (rk_status_parse(word, &st) == 0) {
        snprintf(key, sizeof key, "status.%s", word);
        rk_cell_set(c, rk_tmpl_get(t, key), rk_report_status_tone(st));
    } else if (rk_verdict_parse(word, &v) == 0) {
        snprintf(key, sizeof key, "verdict.%s", word);
        rk_cell_set(c, rk_tmpl_get(t, key), rk_report_verdict_tone(v));
    } else {
        rk_cell_set(c, word, RK_TONE_NONE);
    }
}

static const char *base_name(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path ? path : "";
}

/* "2024-05-02T09:00:00Z" -> "2024-05-02"; anything else as it is. */
static void date_part(const char *s, char out[64])
{
    int64_t t;
    if (s && rk_parse_date(s, &t) == 0) {
        rk_format_date(t, out);
        return;
    }
    snprintf(out, 64, "%s", s ? s : "");
}

void rk_report_changes_section(rk_doc *doc, const rk_diff *x, rk_tmpl *t)
{
    rk_section *s = rk_doc_section(doc, rk_tmpl_get(t, "chg.title"), 0, rk_tmpl_get(t, "chg.sheet"),
                                   RK_TARGET_ALL);
    s->new_page = 1;
    char *intro =
        rk_tmpl_fmt(t, "chg.intro", "file", base_name(x->old_path), "sha256", x->old_sha256, NULL);
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, intro);
    free(intro);

    rk_table *sum = rk_section_table(s, "ChangesSummary", 3);
    rk_table_col(sum, 0, rk_tmpl_get(t, "chg.col.item"), 30);
    rk_table_col(sum, 1, rk_tmpl_get(t, "chg.col.previous"), 45);
    rk_table_col(sum, 2, rk_tmpl_get(t, "chg.col.now"), 45);
    rk_cell *row = rk_table_row(sum);
    rk_cell_set(&row[0], rk_tmpl_get(t, "chg.row.verdict"), RK_TONE_NONE);
    word_cell(&row[1], t, x->old_verdict);
    word_cell(&row[2], t, x->new_verdict);
    char d1[64], d2[64];
    date_part(x->old_date, d1);
    date_part(x->new_date, d2);
    row = rk_table_row(sum);
    rk_cell_set(&row[0], rk_tmpl_get(t, "chg.row.date"), RK_TONE_NONE);
    rk_cell_set(&row[1], d1, RK_TONE_NONE);
    rk_cell_set(&row[2], d2, RK_TONE_NONE);
    row = rk_table_row(sum);
    rk_cell_set(&row[0], rk_tmpl_get(t, "chg.row.digest"), RK_TONE_NONE);
    rk_cell_set(&row[1], x->old_digest, RK_TONE_NONE);
    rk_cell_set(&row[2], x->new_digest, RK_TONE_NONE);

    char num[RK_CHG_COUNT][24];
    for (int k = 0; k < RK_CHG_COUNT; k++)
        snprintf(num[k], sizeof num[k], "%zu", x->counts[k]);
    char *counts =
        rk_tmpl_fmt(t, "chg.counts", "new_failure", num[RK_CHG_NEW_FAILURE], "fixed",
                    num[RK_CHG_FIXED], "still_failing", num[RK_CHG_STILL_FAILING], "new_unknown",
                    num[RK_CHG_NEW_UNKNOWN], "host_added", num[RK_CHG_HOST_ADDED], "host_removed",
                    num[RK_CHG_HOST_REMOVED], "waiver_added", num[RK_CHG_WAIVER_ADDED],
                    "waiver_expired", num[RK_CHG_WAIVER_EXPIRED], "other", num[RK_CHG_OTHER], NULL);
    rk_section_para(s, RK_PARA_NORMAL, x->new_failures ? RK_TONE_FAIL : RK_TONE_NONE, counts);
    free(counts);

    if (!x->nitems) {
        rk_section_para(s, RK_PARA_NOTE, RK_TONE_NONE, rk_tmpl_get(t, "chg.none"));
        return;
    }
    rk_table *tb = rk_section_table(s, "Changes", 6);
    rk_table_col(tb, 0, rk_tmpl_get(t, "chg.col.host"), 14);
    rk_table_col(tb, 1, rk_tmpl_get(t, "chg.col.requirement"), 24);
    rk_table_col(tb, 2, rk_tmpl_get(t, "chg.col.change"), 16);
    rk_table_col(tb, 3, rk_tmpl_get(t, "chg.col.before"), 13);
    rk_table_col(tb, 4, rk_tmpl_get(t, "chg.col.after"), 13);
    rk_table_col(tb, 5, rk_tmpl_get(t, "chg.col.detail"), 44);
    tb->cols[3].status = 1;
    tb->cols[4].status = 1;
    tb->group_col = 0;
    for (size_t i = 0; i < x->nitems; i++) {
        const rk_change_item *it = &x->items[i];
        char key[64];
        row = rk_table_row(tb);
        rk_cell_set(&row[0], it->host, RK_TONE_NONE);
        rk_cell_setf(&row[1], RK_TONE_NONE, "%s%s%s", or_empty(it->requirement),
                     it->flow ? " " : "", or_empty(it->flow));
        snprintf(key, sizeof key, "chg.kind.%s", rk_change_kind_str(it->kind));
        rk_cell_set(&row[2], rk_tmpl_get(t, key), kind_tone(it->kind));
        if (it->kind == RK_CHG_HOST_ADDED || it->kind == RK_CHG_HOST_REMOVED) {
            word_cell(&row[3], t, it->kind == RK_CHG_HOST_REMOVED ? it->host_verdict : NULL);
            word_cell(&row[4], t, it->kind == RK_CHG_HOST_ADDED ? it->host_verdict : NULL);
            rk_cell_set(&row[5],
                        rk_tmpl_get(t, it->kind == RK_CHG_HOST_ADDED ? "chg.detail.host_added"
                                                                     : "chg.detail.host_removed"),
                        RK_TONE_NONE);
            continue;
        }
        word_cell(&row[3], t, it->old_status);
        word_cell(&row[4], t, it->new_status);
        if (it->kind == RK_CHG_WAIVER_ADDED || it->kind == RK_CHG_WAIVER_EXPIRED) {
            char *txt = rk_tmpl_fmt(t,
                                    it->kind == RK_CHG_WAIVER_ADDED ? "chg.detail.waiver_added"
                                                                    : "chg.detail.waiver_expired",
                                    "by", it->waiver_by ? it->waiver_by : "?", "expires",
                                    it->waiver_expires ? it->waiver_expires : "?", NULL);
            rk_cell_set(&row[5], txt, RK_TONE_NONE);
            free(txt);
        } else if (it->attested_by) {
            char *txt = rk_tmpl_fmt(t, "chg.detail.attested", "by", it->attested_by, "date",
                                    it->attested_on ? it->attested_on : "?", NULL);
            rk_cell_set(&row[5], txt, RK_TONE_NONE);
            free(txt);
        } else {
            rk_cell_set(&row[5], or_empty(it->detail), RK_TONE_NONE);
        }
    }
}
