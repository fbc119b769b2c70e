/* waivers.c - waivers and attestations: loading, matching findings, expiry, the
 * attestations template and the report's "Waivers and attestations" section. */
#include "waivers.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load.h"
#include "node.h"
#include "report.h"
#include "util.h"

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
    "requirement", "hosts", "justification", "approved_by", "expires", "reference", NULL};
static const char *const attestation_keys[] = {"requirement", "hosts",   "attested_by", "date",
                                               "evidence",    "expires", NULL};
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
    free(w->reference);
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
    free(t->file);
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

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copy of s without leading and trailing white space. */
static char *trimmed(const char *s)
{
    while (is_space(*s))
        s++;
    size_t n = strlen(s);
    while (n && is_space(s[n - 1]))
        n--;
    return rk_xstrndup(s, n);
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
    char *v = trimmed(n->value);
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
        char *v = it->type == RK_NODE_SCALAR ? trimmed(it->value) : NULL;
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

static const char *check_kind_word(rk_check_kind k)
{
    static const char *const words[] = {
        "min", "max", "equals", "flag",   "match",   "version",  "contains", "absent", "present",
        "any", "all", "any_of", "all_of", "same_as", "not_role", "manual",   "flows"};
    return (size_t)k < sizeof words / sizeof words[0] ? words[k] : "?";
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
                    r->id, check_kind_word(r->check.kind));
        free(id);
        return RK_INPUT;
    }
    free(id);
    *out = rk_xstrdup(r->id);
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
    if ((e = text_field(file, n, noun, "reference", 0, "a change ticket id", &w->reference, NULL,
                        d)) != RK_OK)
        return e;
    const rk_requirement *r = rk_schema_req(s, w->requirement);
    if (warn && r && r->check.kind == RK_CHECK_MANUAL)
        rk_warn(warn, file, n->line, n->col,
                "waiver for '%s', a manual check: waivers apply to fail, warn and unknown "
                "findings; attest a manual check instead",
                r->id);
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
                                               "expires and optionally reference"
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

static rk_err load_kind(rk_assessment *a, const char *path, char sha256[65], kind k, rk_diag *d)
{
    sha256[0] = '\0';
    rk_node *root = rk_yaml_load(path, sha256, d);
    if (!root) return RK_INPUT;
    char *display = a->project ? rk_input_display_path(a->project, path) : rk_xstrdup(path);
    parsed p = {0};
    rk_err e = parse_file(path, display, root, k, a->schema, &p, &a->warnings, d);
    rk_node_free(root);
    free(display);
    if (e != RK_OK) {
        parsed_free(&p);
        return e;
    }
    if (k == K_WAIVER && p.nw) {
        a->waivers = rk_xrealloc(a->waivers, (a->nwaivers + p.nw) * sizeof(rk_waiver));
        memcpy(a->waivers + a->nwaivers, p.w, p.nw * sizeof(rk_waiver));
        a->nwaivers += p.nw;
    } else if (k == K_ATTESTATION && p.nt) {
        a->attestations =
            rk_xrealloc(a->attestations, (a->nattestations + p.nt) * sizeof(rk_attestation));
        memcpy(a->attestations + a->nattestations, p.t, p.nt * sizeof(rk_attestation));
        a->nattestations += p.nt;
    }
    free(p.w); /* the entries' strings now belong to the assessment */
    free(p.t);
    return RK_OK;
}

rk_err rk_waivers_load(rk_assessment *a, const char *path, char sha256[65], rk_diag *d)
{
    return load_kind(a, path, sha256, K_WAIVER, d);
}

rk_err rk_attestations_load(rk_assessment *a, const char *path, char sha256[65], rk_diag *d)
{
    return load_kind(a, path, sha256, K_ATTESTATION, d);
}

/* ---- matching ------------------------------------------------------------------ */

/* hosts: NULL (every host) or globs joined by commas; each is matched, ignoring case,
 * against the host's name and its FQDN. */
static int hosts_match(const char *hosts, const rk_host *h)
{
    if (!hosts) return 1;
    const char *p = hosts;
    while (*p) {
        while (*p == ',' || is_space(*p))
            p++;
        if (!*p) break;
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        while (n && is_space(p[n - 1]))
            n--;
        char *glob = rk_xstrndup(p, n);
        int hit = rk_glob(glob, h->name, 1) || (h->fqdn && rk_glob(glob, h->fqdn, 1));
        free(glob);
        if (hit) return 1;
        p = end ? end + 1 : p + strlen(p);
    }
    return 0;
}

void rk_waivers_apply(rk_assessment *a)
{
    for (size_t i = 0; i < a->nwaivers; i++) {
        a->waivers[i].used = 0;
        a->waivers[i].expired = rk_waivers_expired_at(a->waivers[i].expires_epoch, a->date);
    }
    for (size_t i = 0; i < a->nattestations; i++) {
        a->attestations[i].used = 0;
        a->attestations[i].expired =
            rk_waivers_expired_at(a->attestations[i].expires_epoch, a->date);
    }
    for (size_t i = 0; i < a->nfindings; i++) {
        rk_finding *f = &a->findings[i];
        if (f->waiver || f->attestation) f->status = f->original;
        f->waiver = NULL;
        f->attestation = NULL;
    }
    for (size_t i = 0; i < a->nfindings; i++) {
        rk_finding *f = &a->findings[i];
        const char *req = a->schema->reqs[f->req].id;
        const rk_host *h = &a->project->hosts[f->host];
        if (f->status == RK_ST_FAIL || f->status == RK_ST_WARN || f->status == RK_ST_UNKNOWN) {
            for (size_t k = 0; k < a->nwaivers; k++) {
                rk_waiver *w = &a->waivers[k];
                if (w->expired || strcmp(w->requirement, req) != 0 || !hosts_match(w->hosts, h))
                    continue;
                f->status = RK_ST_WAIVED;
                f->waiver = w;
                w->used = 1;
                break;
            }
        } else if (f->status == RK_ST_MANUAL) {
            for (size_t k = 0; k < a->nattestations; k++) {
                rk_attestation *t = &a->attestations[k];
                if (t->expired || strcmp(t->requirement, req) != 0 || !hosts_match(t->hosts, h))
                    continue;
                f->status = RK_ST_ATTESTED;
                f->attestation = t;
                t->used = 1;
                break;
            }
        }
    }
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
    rk_node *root = rk_yaml_load(path, NULL, d);
    if (!root) return RK_INPUT;
    char *spath = standalone_schema(path, root, schema_dir, d);
    if (!spath) {
        rk_node_free(root);
        return RK_INPUT;
    }
    rk_schema *s = rk_schema_load(spath, d);
    free(spath);
    if (!s) {
        rk_node_free(root);
        return RK_INPUT;
    }
    parsed p = {0};
    rk_err e = parse_file(path, path, root, k, s, &p, NULL, d);
    parsed_free(&p);
    rk_schema_free(s);
    rk_node_free(root);
    return e;
}

/* ---- the attestations template ---------------------------------------------------- */

static void yaml_quoted(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", fp);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(fp, "\\x%02x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

/* A comment line: line breaks become spaces so the text stays inside the comment. */
static void yaml_comment(FILE *fp, const char *indent, const char *prefix, const char *text)
{
    fprintf(fp, "%s# %s", indent, prefix);
    for (const char *p = text ? text : ""; *p; p++)
        fputc(*p == '\n' || *p == '\r' ? ' ' : *p, fp);
    fputc('\n', fp);
}

void rk_attestations_template(const rk_assessment *a, FILE *fp)
{
    const rk_project *p = a->project;
    const rk_schema *s = a->schema;
    char line[1024];
    snprintf(line, sizeof line, "%s: %s (%s)", p->customer, p->project, p->assessment_id);
    yaml_comment(fp, "", "Attestations for ", line);
    fprintf(fp,
            "# Schema: %s, version %s.\n"
            "# Every manual check that applies to the project, one entry per requirement\n"
            "# and host. No collector can decide these checks; a person verifies each\n"
            "# with the steps given.\n"
            "#\n"
            "# Fill in attested_by, date (YYYY-MM-DD), evidence and expires (YYYY-MM-DD)\n"
            "# for every check that has been verified, and delete the entries that have\n"
            "# not: an entry left empty is refused. Then render with --attestations FILE or\n"
            "# 'attestations: FILE' in the project file. An attestation applies through\n"
            "# the whole day it expires on.\n",
            s->id, s->version);
    fprintf(fp, "format: readykit-attestations/1\nschema: %s\n", s->id);
    /* manual[r * nhosts + h]: requirement r is a manual check on host h */
    size_t nh = p->nhosts;
    size_t cells = s->nreqs * nh;
    unsigned char *manual = rk_xcalloc(cells > 0 ? cells : 1, 1);
    for (size_t i = 0; i < a->nfindings; i++) {
        const rk_finding *f = &a->findings[i];
        if (f->original == RK_ST_MANUAL && f->req < s->nreqs && f->host < nh)
            manual[f->req * nh + f->host] = 1;
    }
    size_t entries = 0;
    for (size_t r = 0; r < s->nreqs; r++) {
        const rk_requirement *req = &s->reqs[r];
        if (req->check.kind != RK_CHECK_MANUAL) continue;
        int first = 1;
        for (size_t h = 0; h < nh; h++) {
            if (!manual[r * nh + h]) continue;
            if (!entries) fputs("attestations:\n", fp);
            if (first) {
                fputc('\n', fp);
                snprintf(line, sizeof line, "%s: ", req->id);
                yaml_comment(fp, "  ", line, req->title);
                yaml_comment(fp, "  ", "Expected: ", req->expected);
                if (req->check.nsteps) fputs("  # Steps:\n", fp);
                for (size_t k = 0; k < req->check.nsteps; k++) {
                    snprintf(line, sizeof line, "  %zu. ", k + 1);
                    yaml_comment(fp, "  ", line, req->check.steps[k]);
                }
                first = 0;
            }
            fprintf(fp, "  - requirement: %s\n    hosts: ", req->id);
            yaml_quoted(fp, p->hosts[h].name);
            fputs(
                "\n    attested_by: \"\"\n    date: \"\"\n    evidence: \"\"\n    expires: \"\"\n",
                fp);
            entries++;
        }
    }
    free(manual);
    if (!entries) fputs("# No manual check applies to this project.\nattestations: []\n", fp);
}

/* ---- the report section ------------------------------------------------------------ */

static const char *status_word(rk_tmpl *t, rk_status s)
{
    char key[64];
    snprintf(key, sizeof key, "status.%s", rk_status_str(s));
    return rk_tmpl_get(t, key);
}

static void requirement_cell(const rk_schema *s, rk_cell *c, const char *id)
{
    const rk_requirement *r = rk_schema_req(s, id);
    if (r)
        rk_cell_setf(c, RK_TONE_NONE, "%s\n%s", r->id, r->title);
    else
        rk_cell_set(c, id, RK_TONE_NONE);
}

/* The findings an entry covers: "HOST (status before)" lines, in findings order. */
static char *covered(const rk_assessment *a, const rk_waiver *w, const rk_attestation *at,
                     rk_tmpl *t)
{
    rk_buf b = {0};
    for (size_t i = 0; i < a->nfindings; i++) {
        const rk_finding *f = &a->findings[i];
        if ((w && f->waiver != w) || (at && f->attestation != at)) continue;
        if (b.len) rk_buf_putc(&b, '\n');
        rk_buf_puts(&b, a->project->hosts[f->host].name);
        if (f->flow >= 0 && (size_t)f->flow < a->nflows)
            rk_buf_printf(&b, " %s", a->flows[f->flow].id);
        rk_buf_printf(&b, " (%s)", status_word(t, f->original));
    }
    return rk_buf_take(&b);
}

static rk_table *exceptions_table(rk_section *s, const char *name, rk_tmpl *t)
{
    rk_table *x = rk_section_table(s, name, 6);
    rk_table_col(x, 0, rk_tmpl_get(t, "exc.col.kind"), 14);
    rk_table_col(x, 1, rk_tmpl_get(t, "exc.col.requirement"), 30);
    rk_table_col(x, 2, rk_tmpl_get(t, "exc.col.hosts"), 16);
    rk_table_col(x, 3, rk_tmpl_get(t, "exc.col.by"), 20);
    rk_table_col(x, 4, rk_tmpl_get(t, "exc.col.expires"), 14);
    rk_table_col(x, 5, rk_tmpl_get(t, "exc.col.source"), 26);
    return x;
}

static void exception_row(const rk_assessment *a, rk_table *x, rk_tmpl *t, const rk_waiver *w,
                          const rk_attestation *at, rk_tone expires_tone)
{
    rk_cell *row = rk_table_row(x);
    rk_cell_set(&row[0], rk_tmpl_get(t, w ? "exc.kind.waiver" : "exc.kind.attestation"),
                RK_TONE_NONE);
    requirement_cell(a->schema, &row[1], w ? w->requirement : at->requirement);
    const char *hosts = w ? w->hosts : at->hosts;
    rk_cell_set(&row[2], hosts ? hosts : rk_tmpl_get(t, "exc.all_hosts"), RK_TONE_NONE);
    rk_cell_set(&row[3], w ? w->approved_by : at->attested_by, RK_TONE_NONE);
    rk_cell_set(&row[4], w ? w->expires : at->expires, expires_tone);
    rk_cell_setf(&row[5], RK_TONE_NONE, "%s:%d", w ? w->file : at->file, w ? w->line : at->line);
}

void rk_report_waivers_section(rk_doc *doc, const rk_assessment *a, rk_tmpl *t)
{
    rk_section *s = rk_doc_section(doc, rk_tmpl_get(t, "exc.title"), 0, rk_tmpl_get(t, "exc.sheet"),
                                   RK_TARGET_ALL);
    s->new_page = 1;
    char date[11];
    rk_format_date(a->date, date);
    char *intro = rk_tmpl_fmt(t, "exc.intro", "date", date, NULL);
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, intro);
    free(intro);
    if (!a->nwaivers && !a->nattestations) {
        rk_section_para(s, RK_PARA_NOTE, RK_TONE_NONE, rk_tmpl_get(t, "exc.none"));
        return;
    }

    size_t applied = 0, expired = 0, unused = 0;
    for (size_t i = 0; i < a->nwaivers; i++) {
        const rk_waiver *w = &a->waivers[i];
        applied += w->used && !w->expired;
        expired += w->expired;
        unused += !w->used && !w->expired;
    }
    rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE, rk_tmpl_get(t, "exc.waivers"));
    if (!applied) {
        rk_section_para(
            s, RK_PARA_NORMAL, RK_TONE_NONE,
            rk_tmpl_get(t, a->nwaivers ? "exc.waivers.none_applied" : "exc.waivers.none"));
    } else {
        rk_table *x = rk_section_table(s, "Waivers", 7);
        rk_table_col(x, 0, rk_tmpl_get(t, "exc.col.requirement"), 26);
        rk_table_col(x, 1, rk_tmpl_get(t, "exc.col.hosts"), 12);
        rk_table_col(x, 2, rk_tmpl_get(t, "exc.col.justification"), 30);
        rk_table_col(x, 3, rk_tmpl_get(t, "exc.col.approved_by"), 15);
        rk_table_col(x, 4, rk_tmpl_get(t, "exc.col.expires"), 14);
        rk_table_col(x, 5, rk_tmpl_get(t, "exc.col.reference"), 16);
        rk_table_col(x, 6, rk_tmpl_get(t, "exc.col.covered"), 20);
        for (size_t i = 0; i < a->nwaivers; i++) {
            const rk_waiver *w = &a->waivers[i];
            if (!w->used || w->expired) continue;
            rk_cell *row = rk_table_row(x);
            requirement_cell(a->schema, &row[0], w->requirement);
            rk_cell_set(&row[1], w->hosts, RK_TONE_NONE);
            rk_cell_set(&row[2], w->justification, RK_TONE_NONE);
            rk_cell_set(&row[3], w->approved_by, RK_TONE_NONE);
            rk_cell_set(&row[4], w->expires, RK_TONE_INFO);
            rk_cell_set(&row[5], w->reference ? w->reference : "", RK_TONE_NONE);
            char *cov = covered(a, w, NULL, t);
            rk_cell_set(&row[6], cov, RK_TONE_INFO);
            free(cov);
        }
    }

    size_t a_applied = 0;
    for (size_t i = 0; i < a->nattestations; i++) {
        const rk_attestation *at = &a->attestations[i];
        a_applied += at->used && !at->expired;
        expired += at->expired;
        unused += !at->used && !at->expired;
    }
    rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE, rk_tmpl_get(t, "exc.attestations"));
    if (!a_applied) {
        rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE,
                        rk_tmpl_get(t, a->nattestations ? "exc.attestations.none_applied"
                                                        : "exc.attestations.none"));
    } else {
        rk_table *x = rk_section_table(s, "Attestations", 7);
        rk_table_col(x, 0, rk_tmpl_get(t, "exc.col.requirement"), 26);
        rk_table_col(x, 1, rk_tmpl_get(t, "exc.col.hosts"), 12);
        rk_table_col(x, 2, rk_tmpl_get(t, "exc.col.attested_by"), 15);
        rk_table_col(x, 3, rk_tmpl_get(t, "exc.col.date"), 14);
        rk_table_col(x, 4, rk_tmpl_get(t, "exc.col.evidence"), 30);
        rk_table_col(x, 5, rk_tmpl_get(t, "exc.col.expires"), 14);
        rk_table_col(x, 6, rk_tmpl_get(t, "exc.col.covered"), 20);
        for (size_t i = 0; i < a->nattestations; i++) {
            const rk_attestation *at = &a->attestations[i];
            if (!at->used || at->expired) continue;
            rk_cell *row = rk_table_row(x);
            requirement_cell(a->schema, &row[0], at->requirement);
            rk_cell_set(&row[1], at->hosts ? at->hosts : rk_tmpl_get(t, "exc.all_hosts"),
                        RK_TONE_NONE);
            rk_cell_set(&row[2], at->attested_by, RK_TONE_NONE);
            rk_cell_set(&row[3], at->date, RK_TONE_NONE);
            rk_cell_set(&row[4], at->evidence, RK_TONE_NONE);
            rk_cell_set(&row[5], at->expires, RK_TONE_INFO);
            char *cov = covered(a, NULL, at, t);
            rk_cell_set(&row[6], cov, RK_TONE_INFO);
            free(cov);
        }
    }

    if (expired) {
        rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE, rk_tmpl_get(t, "exc.expired"));
        char *txt = rk_tmpl_fmt(t, "exc.expired.intro", "date", date, NULL);
        rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, txt);
        free(txt);
        rk_table *x = exceptions_table(s, "ExpiredExceptions", t);
        for (size_t i = 0; i < a->nwaivers; i++)
            if (a->waivers[i].expired) exception_row(a, x, t, &a->waivers[i], NULL, RK_TONE_WARN);
        for (size_t i = 0; i < a->nattestations; i++)
            if (a->attestations[i].expired)
                exception_row(a, x, t, NULL, &a->attestations[i], RK_TONE_WARN);
    }
    if (unused) {
        rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE, rk_tmpl_get(t, "exc.unused"));
        rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, rk_tmpl_get(t, "exc.unused.intro"));
        rk_table *x = exceptions_table(s, "UnusedExceptions", t);
        for (size_t i = 0; i < a->nwaivers; i++)
            if (!a->waivers[i].used && !a->waivers[i].expired)
                exception_row(a, x, t, &a->waivers[i], NULL, RK_TONE_NONE);
        for (size_t i = 0; i < a->nattestations; i++)
            if (!a->attestations[i].used && !a->attestations[i].expired)
                exception_row(a, x, t, NULL, &a->attestations[i], RK_TONE_NONE);
    }
}
