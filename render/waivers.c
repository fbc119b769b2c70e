/* waivers.c - waivers and attestations: the two file formats, loaded and checked. */
#include "waivers.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"
#include "waivers_xlsx.h"
#include "xlsx_read.h"
#include "yaml_tree.h"

#define DAY_SECONDS 86400

int rk_waivers_expired_at(int64_t expires_epoch, int64_t at)
{
    return at >= expires_epoch + DAY_SECONDS;
}

/* ---- the two file formats --------------------------------------------------- */

typedef enum kind { K_WAIVER, K_ATTESTATION } kind;

typedef struct spec {
    const char *format; /* value of `format:` */
    const char *list;   /* key of the entry list */
    const char *noun;   /* "waiver", used in messages */
    const char *const *keys;
} spec;

static const char *const waiver_keys[] = {
    "requirement", "hosts", "justification", "approved_by", "approved_on", "risk",
    "ticket",      "reference", "scope",     "expires",     NULL};
static const char *const attestation_keys[] = {"requirement", "hosts",  "attested_by", "date",
                                               "evidence",    "ticket", "expires",     NULL};
const char *const rk_waiver_columns[RK_WAIVER_NCOLS] = {
    "requirement", "hosts", "justification", "approved_by", "approved_on",
    "risk",        "ticket", "scope",        "expires"};

static const spec specs[2] = {
    {"readykit-waivers/1", "waivers", "waiver", waiver_keys},
    {"readykit-attestations/1", "attestations", "attestation", attestation_keys}};

/* Entries of one file; they join the assessment only when the whole file is good. */
typedef struct parsed {
    rk_waiver *w;
    size_t nw;
    rk_attestation *t;
    size_t nt;
} parsed;

static void waiver_clear(rk_waiver *w)
{
    free(w->requirement);
    free(w->hosts);
    free(w->justification);
    free(w->approved_by);
    free(w->expires);
    free(w->approved_on);
    free(w->risk);
    free(w->ticket);
    free(w->scope);
    free(w->file);
}

static void attestation_clear(rk_attestation *t)
{
    free(t->requirement);
    free(t->hosts);
    free(t->attested_by);
    free(t->date);
    free(t->evidence);
    free(t->expires);
    free(t->ticket);
    free(t->file);
}

void rk_waivers_free(rk_waiver *w, size_t n)
{
    for (size_t i = 0; i < n; i++) waiver_clear(&w[i]);
    free(w);
}

void rk_attestations_free(rk_attestation *t, size_t n)
{
    for (size_t i = 0; i < n; i++) attestation_clear(&t[i]);
    free(t);
}

static void parsed_free(parsed *p)
{
    for (size_t i = 0; i < p->nw; i++)
        waiver_clear(&p->w[i]);
    for (size_t i = 0; i < p->nt; i++)
        attestation_clear(&p->t[i]);
    free(p->w);
    free(p->t);
    memset(p, 0, sizeof(*p));
}

static int is_null(const rk_node *n)
{
    return n->type == RK_NODE_SCALAR && !n->quoted &&
           (n->value[0] == '\0' || !strcmp(n->value, "~") || !strcmp(n->value, "null") ||
            !strcmp(n->value, "Null") || !strcmp(n->value, "NULL"));
}

/* Position of the first control character (other than tab and line breaks), or -1. */
static long control_at(const char *s)
{
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return p - s;
    }
    return -1;
}

/* A text field of an entry. Absent: "<noun> without '<key>'" at the entry when
 * required. Present but empty: "'<key>' is empty" at the value. Optional fields that
 * are null count as absent. *at receives the value's node when there is one. */
static rk_err text_field(const char *file, const rk_node *entry, const char *noun, const char *key,
                         int required, const char *expect, char **out, const rk_node **at,
                         rk_diag *d)
{
    const rk_node *n = rk_node_get(entry, key);
    if (at) *at = n;
    if (!n) {
        if (!required) return RK_OK;
        return rk_diag_set(d, file, entry->line, entry->col, "%s without '%s'; expected %s", noun,
                           key, expect);
    }
    if (n->type != RK_NODE_SCALAR)
        return rk_diag_set(d, file, n->line, n->col, "'%s' is %s; expected %s", key,
                           rk_node_kind(n), expect);
    if (!required && is_null(n)) return RK_OK;
    char *v = rk_xstrtrim(n->value);
    if (!*v || is_null(n)) {
        free(v);
        return rk_diag_set(d, file, n->line, n->col, "'%s' is empty; expected %s", key, expect);
    }
    if (control_at(v) >= 0) {
        free(v);
        return rk_diag_set(d, file, n->line, n->col,
                           "'%s' contains a control character; expected plain text", key);
    }
    *out = v;
    return RK_OK;
}

static rk_err date_field(const char *file, const rk_node *entry, const char *noun, const char *key,
                         char **out, int64_t *epoch, rk_diag *d)
{
    const rk_node *n;
    rk_err e = text_field(file, entry, noun, key, 1, "a date YYYY-MM-DD", out, &n, d);
    if (e != RK_OK) return e;
    if (strlen(*out) != 10 || rk_parse_date(*out, epoch) != 0) {
        rk_diag_set(d, file, n->line, n->col, "'%s' is '%s'; expected a date YYYY-MM-DD", key,
                    *out);
        free(*out);
        *out = NULL;
        return RK_INPUT;
    }
    return RK_OK;
}

static const char HOSTS_EXPECT[] = "a host name or glob such as \"CEX*\", or a list of them";

/* `hosts`: one glob, a comma-separated list or a YAML list, stored joined by ", ". */
static rk_err hosts_field(const char *file, const rk_node *entry, const char *noun, int required,
                          char **out, rk_diag *d)
{
    const rk_node *n = rk_node_get(entry, "hosts");
    if (!n || n->type != RK_NODE_SEQ)
        return text_field(file, entry, noun, "hosts", required, HOSTS_EXPECT, out, NULL, d);
    if (n->count == 0)
        return rk_diag_set(d, file, n->line, n->col, "'hosts' is an empty list; expected %s",
                           HOSTS_EXPECT);
    rk_buf b = {0};
    for (size_t i = 0; i < n->count; i++) {
        const rk_node *it = n->items[i];
        char *v = it->type == RK_NODE_SCALAR ? rk_xstrtrim(it->value) : NULL;
        if (!v || !*v || is_null(it) || control_at(v) >= 0 || strchr(v, ',')) {
            free(v);
            rk_buf_free(&b);
            return rk_diag_set(d, file, it->line, it->col,
                               "a 'hosts' item is %s; expected one host name or glob per item",
                               it->type != RK_NODE_SCALAR       ? rk_node_kind(it)
                               : (is_null(it) || !it->value[0]) ? "empty"
                                                                : "not a single host name");
        }
        if (b.len) rk_buf_puts(&b, ", ");
        rk_buf_puts(&b, v);
        free(v);
    }
    *out = rk_buf_take(&b);
    return RK_OK;
}

/* Edit distance, for "did you mean" on a mistyped requirement id (short ids only). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static const rk_requirement *closest_req(const rk_schema *s, const char *id)
{
    const rk_requirement *best = NULL;
    size_t bd = 4; /* suggest only close spellings */
    for (size_t i = 0; i < s->nreqs; i++) {
        size_t dist = edit_distance(id, s->reqs[i].id);
        if (dist < bd) {
            bd = dist;
            best = &s->reqs[i];
        }
    }
    return best;
}

static rk_err requirement_field(const char *file, const rk_node *entry, kind k, const rk_schema *s,
                                char **out, rk_diag *d)
{
    const char *noun = specs[k].noun;
    const rk_node *n;
    char *id = NULL;
    rk_err e = text_field(file, entry, noun, "requirement", 1,
                          k == K_WAIVER ? "a requirement id of the schema"
                                        : "the id of a manual check of the schema",
                          &id, &n, d);
    if (e != RK_OK) return e;
    const rk_requirement *r = rk_schema_req(s, id);
    if (!r) {
        const rk_requirement *near = closest_req(s, id);
        if (near)
            rk_diag_set(d, file, n->line, n->col,
                        "%s for requirement '%s', which schema '%s' does not have; expected a "
                        "requirement id of that schema (did you mean %s?)",
                        noun, id, s->id, near->id);
        else
            rk_diag_set(d, file, n->line, n->col,
                        "%s for requirement '%s', which schema '%s' does not have; expected a "
                        "requirement id of that schema",
                        noun, id, s->id);
        free(id);
        return RK_INPUT;
    }
    if (k == K_ATTESTATION && r->check.kind != RK_CHECK_MANUAL) {
        rk_diag_set(d, file, n->line, n->col,
                    "attestation for '%s', a machine check (%s): facts, not people, decide "
                    "machine checks; expected a manual check ('readykit attestations-template' "
                    "lists them)",
                    r->id, rk_check_kind_str(r->check.kind));
        free(id);
        return RK_INPUT;
    }
    free(id);
    *out = rk_xstrdup(r->id);
    return RK_OK;
}

/* Who accepted the risk, when, how high, and under which ticket. */
static rk_err waiver_governance(const char *file, const rk_node *n, rk_waiver *w, rk_diag *d)
{
    const char *noun = specs[K_WAIVER].noun;
    rk_err e;
    const rk_node *at = NULL;
    if ((e = text_field(file, n, noun, "ticket", 0, "a change or risk ticket id", &w->ticket, &at,
                        d)) != RK_OK)
        return e;
    char *ref = NULL;
    if ((e = text_field(file, n, noun, "reference", 0, "a change ticket id", &ref, NULL, d)) != RK_OK)
        return e;
    if (ref && w->ticket) {
        free(ref);
        const rk_node *x = rk_node_get(n, "reference");
        return rk_diag_set(d, file, x->line, x->col,
                           "both 'ticket' and 'reference' are given; expected one ('reference' "
                           "is the older name of 'ticket')");
    }
    if (ref) w->ticket = ref;
    if ((e = text_field(file, n, noun, "scope", 0, "what the acceptance covers, in words",
                        &w->scope, NULL, d)) != RK_OK)
        return e;
    if ((e = text_field(file, n, noun, "risk", 0, "low, medium or high", &w->risk, &at, d)) != RK_OK)
        return e;
    if (w->risk && strcmp(w->risk, "low") && strcmp(w->risk, "medium") && strcmp(w->risk, "high"))
        return rk_diag_set(d, file, at->line, at->col, "'risk' is '%s'; expected low, medium or high",
                           w->risk);
    const rk_node *on_node = rk_node_get(n, "approved_on");
    if (!on_node || is_null(on_node)) return RK_OK; /* optional: null counts as absent */
    int64_t on = 0;
    if ((e = date_field(file, n, noun, "approved_on", &w->approved_on, &on, d)) != RK_OK) return e;
    if (on > w->expires_epoch) {
        const rk_node *x = rk_node_get(n, "approved_on");
        return rk_diag_set(d, file, x->line, x->col,
                           "'approved_on' (%s) is after 'expires' (%s); expected an approval on "
                           "or before the expiry",
                           w->approved_on, w->expires);
    }
    return RK_OK;
}

static rk_err parse_waiver(const char *file, const rk_node *n, const rk_schema *s, rk_waiver *w,
                           rk_warnings *warn, rk_diag *d)
{
    const char *noun = specs[K_WAIVER].noun;
    rk_err e;
    if ((e = rk_node_only_keys(file, n, waiver_keys, d)) != RK_OK) return e;
    w->line = n->line;
    if ((e = requirement_field(file, n, K_WAIVER, s, &w->requirement, d)) != RK_OK) return e;
    if ((e = hosts_field(file, n, noun, 1, &w->hosts, d)) != RK_OK) return e;
    if ((e = text_field(file, n, noun, "justification", 1,
                        "the reason the gap is accepted, in words", &w->justification, NULL, d)) !=
        RK_OK)
        return e;
    if ((e = text_field(file, n, noun, "approved_by", 1, "the name of the person who approved it",
                        &w->approved_by, NULL, d)) != RK_OK)
        return e;
    if ((e = date_field(file, n, noun, "expires", &w->expires, &w->expires_epoch, d)) != RK_OK)
        return e;
    if ((e = waiver_governance(file, n, w, d)) != RK_OK) return e;
    const rk_requirement *r = rk_schema_req(s, w->requirement);
    if (warn && r && r->check.kind == RK_CHECK_MANUAL)
        rk_warn(warn, file, n->line, n->col, "warn.waiver_manual", "requirement", r->id, NULL);
    return RK_OK;
}

static rk_err parse_attestation(const char *file, const rk_node *n, const rk_schema *s,
                                rk_attestation *t, rk_diag *d)
{
    const char *noun = specs[K_ATTESTATION].noun;
    rk_err e;
    if ((e = rk_node_only_keys(file, n, attestation_keys, d)) != RK_OK) return e;
    t->line = n->line;
    if ((e = requirement_field(file, n, K_ATTESTATION, s, &t->requirement, d)) != RK_OK) return e;
    if ((e = hosts_field(file, n, noun, 0, &t->hosts, d)) != RK_OK) return e;
    if ((e = text_field(file, n, noun, "attested_by", 1, "the name of the person who verified it",
                        &t->attested_by, NULL, d)) != RK_OK)
        return e;
    int64_t when = 0;
    if ((e = date_field(file, n, noun, "date", &t->date, &when, d)) != RK_OK) return e;
    if ((e = text_field(file, n, noun, "evidence", 1,
                        "what was checked and where the proof is, in words", &t->evidence, NULL,
                        d)) != RK_OK)
        return e;
    if ((e = date_field(file, n, noun, "expires", &t->expires, &t->expires_epoch, d)) != RK_OK)
        return e;
    if ((e = text_field(file, n, noun, "ticket", 0, "a change ticket id", &t->ticket, NULL, d)) !=
        RK_OK)
        return e;
    if (t->expires_epoch < when) {
        const rk_node *x = rk_node_get(n, "expires");
        return rk_diag_set(d, file, x->line, x->col,
                           "'expires' (%s) is before 'date' (%s); expected an expiry on or after "
                           "the day it was attested",
                           t->expires, t->date);
    }
    return RK_OK;
}

/* Parses a whole file. display is the path stored in entries (as documents show it). */
static rk_err parse_file(const char *file, const char *display, const rk_node *root, kind k,
                         const rk_schema *s, parsed *out, rk_warnings *warn, rk_diag *d)
{
    const spec *sp = &specs[k];
    if (root->type != RK_NODE_MAP)
        return rk_diag_set(d, file, root->line, root->col,
                           "the file is %s; expected a mapping with format: %s", rk_node_kind(root),
                           sp->format);
    const rk_node *fmt = rk_node_get(root, "format");
    if (!fmt)
        return rk_diag_set(d, file, root->line, root->col, "missing 'format'; expected format: %s",
                           sp->format);
    if (fmt->type != RK_NODE_SCALAR || strcmp(fmt->value, sp->format) != 0) {
        const char *v = fmt->type == RK_NODE_SCALAR ? fmt->value : rk_node_kind(fmt);
        if (!strcmp(v, specs[!k].format))
            return rk_diag_set(d, file, fmt->line, fmt->col,
                               "this is %s file (format %s); expected %s (pass it with --%s)",
                               k == K_WAIVER ? "an attestations" : "a waivers", v, sp->format,
                               specs[!k].list);
        return rk_diag_set(d, file, fmt->line, fmt->col, "unknown format '%s'; expected %s", v,
                           sp->format);
    }
    const char *const allowed[] = {"format", "schema", sp->list, NULL};
    rk_err e = rk_node_only_keys(file, root, allowed, d);
    if (e != RK_OK) return e;
    const char *sid = NULL;
    if ((e = rk_node_str(file, root, "schema", 0, &sid, d)) != RK_OK) return e;
    if (sid && strcmp(sid, s->id) != 0) {
        const rk_node *x = rk_node_get(root, "schema");
        return rk_diag_set(d, file, x->line, x->col,
                           "written for schema '%s'; expected '%s', the schema of this assessment",
                           sid, s->id);
    }
    const rk_node *list = rk_node_get(root, sp->list);
    if (!list)
        return rk_diag_set(d, file, root->line, root->col, "missing '%s'; expected a list of %ss",
                           sp->list, sp->noun);
    if (list->type != RK_NODE_SEQ && !is_null(list))
        return rk_diag_set(d, file, list->line, list->col, "'%s' is %s; expected a list of %ss",
                           sp->list, rk_node_kind(list), sp->noun);
    size_t n = list->type == RK_NODE_SEQ ? list->count : 0;
    if (k == K_WAIVER)
        out->w = rk_xcalloc(n ? n : 1, sizeof(rk_waiver));
    else
        out->t = rk_xcalloc(n ? n : 1, sizeof(rk_attestation));
    for (size_t i = 0; i < n; i++) {
        const rk_node *it = list->items[i];
        if (it->type != RK_NODE_MAP)
            return rk_diag_set(d, file, it->line, it->col, "%s %zu is %s; expected a mapping of %s",
                               sp->noun, i + 1, rk_node_kind(it),
                               k == K_WAIVER ? "requirement, hosts, justification, approved_by, "
                                               "expires and optionally approved_on, risk, ticket and scope"
                                             : "requirement, hosts (optional), attested_by, date, "
                                               "evidence and expires");
        if (k == K_WAIVER) {
            rk_waiver *w = &out->w[out->nw++];
            w->file = rk_xstrdup(display);
            if ((e = parse_waiver(file, it, s, w, warn, d)) != RK_OK) return e;
        } else {
            rk_attestation *t = &out->t[out->nt++];
            t->file = rk_xstrdup(display);
            if ((e = parse_attestation(file, it, s, t, d)) != RK_OK) return e;
        }
    }
    return RK_OK;
}

/* The tree of a file: YAML, or, for a name ending in .xlsx, a workbook holding a waiver
 * register (waivers_xlsx.h), in which case *sheet names the register's sheet (caller
 * frees). */
static rk_node *load_tree(const char *path, char sha256[65], char **sheet, rk_diag *d)
{
    *sheet = NULL;
    if (rk_xlsx_named(path)) return rk_waivers_xlsx_tree(path, sha256, sheet, d);
    return rk_yaml_load(path, sha256, d);
}

/* Appends the entries of one file: only when the whole file is good. */
static rk_err load_kind(const char *path, const char *display, const rk_schema *s, kind k,
                        parsed *p, char sha256[65], rk_warnings *warn, rk_diag *d)
{
    sha256[0] = '\0';
    char *sheet;
    rk_node *root = load_tree(path, sha256, &sheet, d);
    if (!root) return RK_INPUT;
    rk_err e = parse_file(path, display, root, k, s, p, warn, d);
    if (e != RK_OK && sheet) rk_waivers_xlsx_where(d, sheet);
    rk_node_free(root);
    free(sheet);
    return e;
}

rk_err rk_waivers_load(const char *path, const char *display, const rk_schema *s,
                       rk_waiver **w, size_t *n, char sha256[65], rk_warnings *warn, rk_diag *d)
{
    parsed p = {0};
    rk_err e = load_kind(path, display, s, K_WAIVER, &p, sha256, warn, d);
    if (e == RK_OK && p.nw) {
        *w = rk_xrealloc(*w, (*n + p.nw) * sizeof(rk_waiver));
        memcpy(*w + *n, p.w, p.nw * sizeof(rk_waiver));
        *n += p.nw;
        p.nw = 0;
    }
    parsed_free(&p);
    return e;
}

rk_err rk_attestations_load(const char *path, const char *display, const rk_schema *s,
                            rk_attestation **t, size_t *n, char sha256[65], rk_diag *d)
{
    parsed p = {0};
    rk_err e = load_kind(path, display, s, K_ATTESTATION, &p, sha256, NULL, d);
    if (e == RK_OK && p.nt) {
        *t = rk_xrealloc(*t, (*n + p.nt) * sizeof(rk_attestation));
        memcpy(*t + *n, p.t, p.nt * sizeof(rk_attestation));
        *n += p.nt;
        p.nt = 0;
    }
    parsed_free(&p);
    return e;
}

/* ---- matching ------------------------------------------------------------------ */

/* hosts: NULL (every host) or globs joined by commas; each is matched, ignoring case,
 * against the host's name and its FQDN. */
int rk_hosts_match(const char *hosts, const char *name, const char *fqdn)
{
    if (!hosts) return 1;
    const char *p = hosts;
    while (*p) {
        while (*p == ',' || rk_is_space(*p))
            p++;
        if (!*p) break;
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        while (n && rk_is_space(p[n - 1]))
            n--;
        char *glob = rk_xstrndup(p, n);
        int hit = rk_glob(glob, name, 1) || (fqdn && rk_glob(glob, fqdn, 1));
        free(glob);
        if (hit) return 1;
        p = end ? end + 1 : p + strlen(p);
    }
    return 0;
}

/* ---- validate on its own -------------------------------------------------------- */

static int has_suffix(const char *s, const char *suffix)
{
    size_t l = strlen(s), n = strlen(suffix);
    return l > n && strcmp(s + l - n, suffix) == 0;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The path of the schema a standalone file is checked against, or NULL with d filled. */
static char *standalone_schema(const char *path, const rk_node *root, const char *schema_dir,
                               rk_diag *d)
{
    const char *sid = NULL;
    if (root->type == RK_NODE_MAP && rk_node_str(path, root, "schema", 0, &sid, d) != RK_OK)
        return NULL;
    if (sid) {
        const rk_node *x = rk_node_get(root, "schema");
        struct stat st;
        char *sp = rk_xasprintf("%s/%s.yaml", schema_dir, sid);
        if (!*sid || strchr(sid, '/') || sid[0] == '.' || stat(sp, &st) != 0) {
            rk_diag_set(d, path, x->line, x->col,
                        "schema '%s' not found in %s; expected the id of a schema there", sid,
                        schema_dir);
            free(sp);
            return NULL;
        }
        return sp;
    }
    DIR *dh = opendir(schema_dir);
    if (!dh) {
        rk_diag_set(d, schema_dir, 0, 0,
                    "cannot read the schemas folder; expected a folder of "
                    "requirement schemas (see --schemas)");
        return NULL;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".yaml")) continue;
        names = rk_xrealloc(names, (n + 1) * sizeof(char *));
        names[n++] = rk_xstrdup(de->d_name);
    }
    closedir(dh);
    if (n > 1) qsort(names, n, sizeof(char *), cmp_str);
    char *out = NULL;
    if (n == 1) {
        out = rk_xasprintf("%s/%s", schema_dir, names[0]);
    } else if (n == 0) {
        rk_diag_set(d, path, 0, 0,
                    "no schema in %s to check it against; expected a schema "
                    "there (see --schemas)",
                    schema_dir);
    } else {
        rk_buf b = {0};
        for (size_t i = 0; i < n; i++) {
            rk_buf_printf(&b, "%s%.*s", i ? ", " : "", (int)(strlen(names[i]) - 5), names[i]);
        }
        rk_diag_set(d, path, root->line, root->col,
                    "several schemas in %s (%s); expected 'schema:' naming the one this file is "
                    "for",
                    schema_dir, b.data);
        rk_buf_free(&b);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return out;
}

rk_err rk_validate_standalone(const char *path, const char *format, const char *schema_dir,
                              rk_diag *d)
{
    kind k = format && !strcmp(format, specs[K_ATTESTATION].format) ? K_ATTESTATION : K_WAIVER;
    char *sheet;
    rk_node *root = load_tree(path, NULL, &sheet, d);
    if (!root) return RK_INPUT;
    char *spath = standalone_schema(path, root, schema_dir, d);
    rk_schema *s = spath ? rk_schema_load(spath, d) : NULL;
    free(spath);
    if (!s) {
        rk_node_free(root);
        free(sheet);
        return RK_INPUT;
    }
    parsed p = {0};
    rk_err e = parse_file(path, path, root, k, s, &p, NULL, d);
    if (e != RK_OK && sheet) rk_waivers_xlsx_where(d, sheet);
    parsed_free(&p);
    rk_schema_free(s);
    rk_node_free(root);
    free(sheet);
    return e;
}

