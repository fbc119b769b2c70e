/* schema.c - loads and validates a requirement schema (format readykit-schema/1). */
#include "schema.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"
#include "util.h"

#define TRY(expr)                                                                      \
    do {                                                                               \
        if ((expr) != RK_OK) return RK_INPUT;                                          \
    } while (0)

static void check_free(rk_check *c)
{
    free(c->fact);
    free(c->string);
    rk_strv_free(c->patterns, c->npatterns);
    for (size_t i = 0; i < c->nbranches; i++) {
        free(c->branches[i].prefix);
        free(c->branches[i].min);
        free(c->branches[i].name);
    }
    free(c->branches);
    if (c->sub) {
        check_free(c->sub);
        free(c->sub);
    }
    for (size_t i = 0; i < c->nchecks; i++) check_free(&c->checks[i]);
    free(c->checks);
    free(c->role);
    rk_strv_free(c->steps, c->nsteps);
}

void rk_schema_free(rk_schema *s)
{
    if (!s) return;
    free(s->path);
    free(s->id);
    free(s->title);
    free(s->product);
    free(s->version);
    free(s->source);
    for (size_t i = 0; i < s->nroles; i++) {
        free(s->roles[i].id);
        free(s->roles[i].title);
    }
    free(s->roles);
    for (size_t i = 0; i < s->nscenarios; i++) {
        free(s->scenarios[i].id);
        free(s->scenarios[i].title);
    }
    free(s->scenarios);
    for (size_t i = 0; i < s->nreqs; i++) {
        rk_requirement *r = &s->reqs[i];
        free(r->id);
        free(r->title);
        free(r->section);
        free(r->seed);
        free(r->expected);
        free(r->remediation);
        free(r->note);
        rk_strv_free(r->refs, r->nrefs);
        check_free(&r->check);
    }
    free(s->reqs);
    for (size_t i = 0; i < s->nflows; i++) {
        rk_flow_row *f = &s->flows[i];
        free(f->from_label);
        free(f->to_label);
        free(f->component);
        free(f->protocol);
        free(f->port);
        free(f->remark);
        free(f->note);
    }
    free(s->flows);
    free(s);
}

int rk_schema_role(const rk_schema *s, const char *id)
{
    for (size_t i = 0; i < s->nroles; i++)
        if (strcmp(s->roles[i].id, id) == 0) return (int)i;
    return -1;
}

int rk_schema_scenario(const rk_schema *s, const char *id)
{
    for (size_t i = 0; i < s->nscenarios; i++)
        if (strcmp(s->scenarios[i].id, id) == 0) return (int)i;
    return -1;
}

const rk_requirement *rk_schema_req(const rk_schema *s, const char *id)
{
    for (size_t i = 0; i < s->nreqs; i++)
        if (strcmp(s->reqs[i].id, id) == 0) return &s->reqs[i];
    return NULL;
}

void rk_schema_roles_str(const rk_schema *s, uint32_t mask, char *out, size_t outlen)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < s->nroles; i++) {
        if (!(mask & (1u << i))) continue;
        int n = snprintf(out + used, outlen - used, "%s%s", used ? ", " : "", s->roles[i].id);
        if (n < 0 || (size_t)n >= outlen - used) break;
        used += (size_t)n;
    }
}

static int ieq(const char *a, const char *b)
{
    while (*a && *b) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
        a++, b++;
    }
    return *a == *b;
}

int rk_flow_parse_protocol(const char *text, uint32_t *protocols, int *dynamic)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", text);
    *dynamic = 0;
    char *sp = strchr(buf, ' ');
    if (sp) {
        *sp = '\0';
        if (!ieq(sp + 1, "Dynamic")) return -1;
        *dynamic = 1;
    }
    if (ieq(buf, "TCP") || ieq(buf, "TCP/IP"))
        *protocols = RK_PROTO_TCP;
    else if (ieq(buf, "UDP"))
        *protocols = RK_PROTO_UDP;
    else if (ieq(buf, "TCP/UDP") || ieq(buf, "UDP/TCP"))
        *protocols = RK_PROTO_TCP | RK_PROTO_UDP;
    else
        return -1;
    return 0;
}

static int parse_port_num(const char *s, const char **end)
{
    long v = 0;
    const char *p = s;
    if (!isdigit((unsigned char)*p)) return -1;
    while (isdigit((unsigned char)*p)) {
        v = v * 10 + (*p - '0');
        if (v > 65535) return -1;
        p++;
    }
    *end = p;
    return (int)v;
}

int rk_flow_parse_port(const char *text, int *from, int *to)
{
    const char *e;
    int a = parse_port_num(text, &e);
    if (a < 1) return -1;
    if (*e == '\0') {
        *from = *to = a;
        return 0;
    }
    /* the seed writes ranges as "1024>65535"; "-" is accepted too */
    if (*e != '>' && *e != '-') return -1;
    int b = parse_port_num(e + 1, &e);
    if (b < a || *e) return -1;
    *from = a;
    *to = b;
    return 0;
}

typedef struct ctx {
    const char *file;
    rk_schema *s;
    rk_diag *d;
} ctx;

static rk_err dup_str(ctx *c, const rk_node *map, const char *key, int required, char **out)
{
    return rk_node_strdup(c->file, map, key, required, out, c->d);
}

static rk_err str_list(ctx *c, const rk_node *map, const char *key, int required, char ***out,
                       size_t *n)
{
    return rk_node_strlist(c->file, map, key, required, out, n, c->d);
}

static rk_err role_mask(ctx *c, const rk_node *map, const char *key, uint32_t *mask)
{
    const rk_node *n = rk_node_get(map, key);
    if (!n) return rk_diag_set(c->d, c->file, map->line, map->col,
                               "missing required key '%s'; expected a role or a list of roles", key);
    *mask = 0;
    const rk_node *one = n;
    size_t count = n->type == RK_NODE_SEQ ? n->count : 1;
    if (n->type == RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "'%s' is a mapping; expected a role or a list of roles", key);
    if (count == 0)
        return rk_diag_set(c->d, c->file, n->line, n->col, "'%s' is empty; expected a role", key);
    for (size_t i = 0; i < count; i++) {
        if (n->type == RK_NODE_SEQ) one = n->items[i];
        if (one->type != RK_NODE_SCALAR)
            return rk_diag_set(c->d, c->file, one->line, one->col, "expected a role id");
        int r = rk_schema_role(c->s, one->value);
        if (r < 0) {
            rk_buf b = {0};
            for (size_t j = 0; j < c->s->nroles; j++)
                rk_buf_printf(&b, "%s%s", j ? ", " : "", c->s->roles[j].id);
            rk_diag_set(c->d, c->file, one->line, one->col, "unknown role '%s'; expected one of: %s",
                        one->value, b.data ? b.data : "");
            rk_buf_free(&b);
            return RK_INPUT;
        }
        *mask |= 1u << r;
    }
    return RK_OK;
}

static rk_err number_of(ctx *c, const rk_node *map, const char *key, double *out)
{
    const rk_node *n = rk_node_get(map, key);
    if (!n) return rk_diag_set(c->d, c->file, map->line, map->col,
                               "missing required key '%s'; expected a number", key);
    char *end;
    if (n->type != RK_NODE_SCALAR || n->quoted || !n->value[0])
        return rk_diag_set(c->d, c->file, n->line, n->col, "'%s' must be a number", key);
    double v = strtod(n->value, &end);
    if (*end)
        return rk_diag_set(c->d, c->file, n->line, n->col, "'%s' is '%s'; expected a number", key,
                           n->value);
    /* strtod also reads "nan", "inf" and overflows such as 1e999 to infinity: a
     * threshold no fact can meet or fail in a meaningful way */
    if (!isfinite(v))
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "'%s' is '%s'; expected a finite number", key, n->value);
    *out = v;
    return RK_OK;
}

static rk_err load_check(ctx *c, const rk_node *n, rk_check *k, int depth);

static const char *const KINDS[] = {"min",     "max",    "equals", "flag",   "match",
                                    "version", "contains", "absent", "present", "any",
                                    "all",     "any_of", "all_of", "same_as", "not_role",
                                    "manual",  "flows", NULL};

static rk_err load_check(ctx *c, const rk_node *n, rk_check *k, int depth)
{
    memset(k, 0, sizeof(*k));
    k->null_means = -1;
    if (n->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, n->line, n->col, "a check is %s; expected a mapping",
                           rk_node_kind(n));
    if (depth > 8)
        return rk_diag_set(c->d, c->file, n->line, n->col, "checks nested too deeply");
    const char *kind = NULL;
    TRY(rk_node_str(c->file, n, "kind", 1, &kind, c->d));
    int ki = -1;
    for (int i = 0; KINDS[i]; i++)
        if (strcmp(KINDS[i], kind) == 0) ki = i;
    if (ki < 0) {
        const rk_node *kn = rk_node_get(n, "kind");
        return rk_diag_set(c->d, c->file, kn->line, kn->col,
                           "unknown check kind '%s'; expected one of: min, max, equals, flag, "
                           "match, version, contains, absent, present, any, all, any_of, "
                           "all_of, same_as, not_role, manual, flows",
                           kind);
    }
    k->kind = (rk_check_kind)ki;
    static const char *const allowed[] = {"kind",  "fact",  "value",    "expect",   "null_means",
                                          "patterns", "min", "branches", "otherwise", "check",
                                          "checks", "role",  "roles",    "steps",    "format",
                                          "empty", NULL};
    TRY(rk_node_only_keys(c->file, n, allowed, c->d));
    const char *fmt = NULL;
    TRY(rk_node_str(c->file, n, "format", 0, &fmt, c->d));
    if (fmt) {
        if (!strcmp(fmt, "bytes")) k->format = RK_FMT_BYTES;
        else if (!strcmp(fmt, "mhz")) k->format = RK_FMT_MHZ;
        else if (!strcmp(fmt, "dword")) k->format = RK_FMT_DWORD;
        else if (!strcmp(fmt, "plain")) k->format = RK_FMT_PLAIN;
        else {
            const rk_node *fn = rk_node_get(n, "format");
            return rk_diag_set(c->d, c->file, fn->line, fn->col,
                               "unknown format '%s'; expected bytes, mhz, dword or plain", fmt);
        }
    }
    int needs_fact = k->kind != RK_CHECK_ANY_OF && k->kind != RK_CHECK_ALL_OF &&
                     k->kind != RK_CHECK_NOT_ROLE && k->kind != RK_CHECK_MANUAL &&
                     k->kind != RK_CHECK_FLOWS;
    if (needs_fact) TRY(dup_str(c, n, "fact", 1, &k->fact));
    switch (k->kind) {
    case RK_CHECK_MIN:
    case RK_CHECK_MAX:
        TRY(number_of(c, n, "value", &k->number));
        break;
    case RK_CHECK_EQUALS: {
        const rk_node *v = rk_node_get(n, "value");
        if (!v || v->type != RK_NODE_SCALAR)
            return rk_diag_set(c->d, c->file, n->line, n->col,
                               "'equals' needs 'value' (a string, number or boolean)");
        char *end;
        if (!v->quoted && (!strcmp(v->value, "true") || !strcmp(v->value, "false"))) {
            k->value_type = 3;
            k->boolean = !strcmp(v->value, "true");
        } else if (!v->quoted && v->value[0] && (strtod(v->value, &end), *end == '\0')) {
            k->value_type = 1;
            k->number = strtod(v->value, NULL);
        } else {
            k->value_type = 2;
            k->string = rk_xstrdup(v->value);
        }
        break;
    }
    case RK_CHECK_FLAG: {
        const char *e = NULL, *nm = NULL;
        TRY(rk_node_str(c->file, n, "expect", 1, &e, c->d));
        if (strcmp(e, "on") && strcmp(e, "off"))
            return rk_diag_set(c->d, c->file, rk_node_get(n, "expect")->line,
                               rk_node_get(n, "expect")->col, "'expect' is '%s'; expected on or off", e);
        k->expect_on = !strcmp(e, "on");
        TRY(rk_node_str(c->file, n, "null_means", 0, &nm, c->d));
        if (nm) {
            if (strcmp(nm, "on") && strcmp(nm, "off"))
                return rk_diag_set(c->d, c->file, rk_node_get(n, "null_means")->line,
                                   rk_node_get(n, "null_means")->col,
                                   "'null_means' is '%s'; expected on or off", nm);
            k->null_means = !strcmp(nm, "on");
        }
        break;
    }
    case RK_CHECK_MATCH:
    case RK_CHECK_CONTAINS:
        TRY(str_list(c, n, "patterns", 1, &k->patterns, &k->npatterns));
        break;
    case RK_CHECK_VERSION: {
        const rk_node *br = NULL;
        TRY(rk_node_seq(c->file, n, "branches", 0, &br, c->d));
        const char *min = NULL;
        TRY(rk_node_str(c->file, n, "min", 0, &min, c->d));
        if (!br == !min)
            return rk_diag_set(c->d, c->file, n->line, n->col,
                               "a version check needs either 'min' or 'branches'");
        k->string = rk_xstrdup(min);
        if (br) {
            k->branches = rk_xcalloc(br->count, sizeof(rk_version_branch));
            for (size_t i = 0; i < br->count; i++) {
                const rk_node *b = br->items[i];
                if (b->type != RK_NODE_MAP)
                    return rk_diag_set(c->d, c->file, b->line, b->col,
                                       "a branch is %s; expected {prefix, min, name}", rk_node_kind(b));
                static const char *const bk[] = {"prefix", "min", "name", NULL};
                TRY(rk_node_only_keys(c->file, b, bk, c->d));
                rk_version_branch *vb = &k->branches[k->nbranches++];
                TRY(dup_str(c, b, "prefix", 1, &vb->prefix));
                TRY(dup_str(c, b, "min", 1, &vb->min));
                TRY(dup_str(c, b, "name", 1, &vb->name));
            }
        }
        const char *o = NULL;
        TRY(rk_node_str(c->file, n, "otherwise", 0, &o, c->d));
        if (o) {
            if (!strcmp(o, "fail")) k->otherwise = RK_OTHERWISE_FAIL;
            else if (!strcmp(o, "pass")) k->otherwise = RK_OTHERWISE_PASS;
            else if (!strcmp(o, "not-applicable")) k->otherwise = RK_OTHERWISE_NA;
            else
                return rk_diag_set(c->d, c->file, rk_node_get(n, "otherwise")->line,
                                   rk_node_get(n, "otherwise")->col,
                                   "'otherwise' is '%s'; expected fail, pass or not-applicable", o);
        }
        break;
    }
    case RK_CHECK_ANY:
    case RK_CHECK_ALL: {
        const rk_node *sub = NULL;
        TRY(rk_node_map(c->file, n, "check", 1, &sub, c->d));
        k->sub = rk_xcalloc(1, sizeof(rk_check));
        TRY(load_check(c, sub, k->sub, depth + 1));
        const char *e = NULL;
        TRY(rk_node_str(c->file, n, "empty", 0, &e, c->d));
        k->otherwise = RK_OTHERWISE_FAIL;
        if (e) {
            if (!strcmp(e, "fail")) k->otherwise = RK_OTHERWISE_FAIL;
            else if (!strcmp(e, "not-applicable")) k->otherwise = RK_OTHERWISE_NA;
            else if (!strcmp(e, "pass")) k->otherwise = RK_OTHERWISE_PASS;
            else
                return rk_diag_set(c->d, c->file, rk_node_get(n, "empty")->line,
                                   rk_node_get(n, "empty")->col,
                                   "'empty' is '%s'; expected fail, pass or not-applicable", e);
        }
        break;
    }
    case RK_CHECK_ANY_OF:
    case RK_CHECK_ALL_OF: {
        const rk_node *cs = NULL;
        TRY(rk_node_seq(c->file, n, "checks", 1, &cs, c->d));
        if (cs->count == 0)
            return rk_diag_set(c->d, c->file, cs->line, cs->col, "'checks' is empty; expected checks");
        k->checks = rk_xcalloc(cs->count, sizeof(rk_check));
        for (size_t i = 0; i < cs->count; i++) {
            k->nchecks++;
            TRY(load_check(c, cs->items[i], &k->checks[i], depth + 1));
        }
        break;
    }
    case RK_CHECK_SAME_AS: {
        TRY(dup_str(c, n, "role", 1, &k->role));
        if (rk_schema_role(c->s, k->role) < 0)
            return rk_diag_set(c->d, c->file, rk_node_get(n, "role")->line,
                               rk_node_get(n, "role")->col, "unknown role '%s'", k->role);
        break;
    }
    case RK_CHECK_NOT_ROLE:
        TRY(role_mask(c, n, "roles", &k->roles));
        break;
    case RK_CHECK_MANUAL:
        TRY(str_list(c, n, "steps", 1, &k->steps, &k->nsteps));
        break;
    default:
        break;
    }
    return RK_OK;
}

static rk_err load_named(ctx *c, const rk_node *root, const char *key, rk_named **out, size_t *n)
{
    const rk_node *seq = NULL;
    TRY(rk_node_seq(c->file, root, key, 1, &seq, c->d));
    if (seq->count > 32)
        return rk_diag_set(c->d, c->file, seq->line, seq->col, "more than 32 %s", key);
    *out = rk_xcalloc(seq->count, sizeof(rk_named));
    for (size_t i = 0; i < seq->count; i++) {
        const rk_node *it = seq->items[i];
        if (it->type != RK_NODE_MAP)
            return rk_diag_set(c->d, c->file, it->line, it->col,
                               "an item of '%s' is %s; expected {id, title}", key, rk_node_kind(it));
        static const char *const nk[] = {"id", "title", NULL};
        TRY(rk_node_only_keys(c->file, it, nk, c->d));
        (*n)++;
        TRY(dup_str(c, it, "id", 1, &(*out)[i].id));
        TRY(dup_str(c, it, "title", 1, &(*out)[i].title));
        for (size_t j = 0; j < i; j++)
            if (!strcmp((*out)[j].id, (*out)[i].id))
                return rk_diag_set(c->d, c->file, it->line, it->col, "duplicate id '%s' in '%s'",
                                   (*out)[i].id, key);
    }
    return RK_OK;
}

static rk_err load_req(ctx *c, const rk_node *n, rk_requirement *r)
{
    if (n->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, n->line, n->col, "a requirement is %s; expected a mapping",
                           rk_node_kind(n));
    static const char *const allowed[] = {"id",       "title", "section", "seed",  "applies_to",
                                          "when",     "severity", "expected", "check", "remediation",
                                          "note",     "refs",  NULL};
    TRY(rk_node_only_keys(c->file, n, allowed, c->d));
    r->line = n->line;
    TRY(dup_str(c, n, "id", 1, &r->id));
    TRY(dup_str(c, n, "title", 1, &r->title));
    TRY(dup_str(c, n, "section", 1, &r->section));
    TRY(dup_str(c, n, "seed", 1, &r->seed));
    TRY(role_mask(c, n, "applies_to", &r->applies_to));
    const char *sev = NULL;
    TRY(rk_node_str(c->file, n, "severity", 1, &sev, c->d));
    if (!strcmp(sev, "required")) r->severity = RK_SEV_REQUIRED;
    else if (!strcmp(sev, "recommended")) r->severity = RK_SEV_RECOMMENDED;
    else
        return rk_diag_set(c->d, c->file, rk_node_get(n, "severity")->line,
                           rk_node_get(n, "severity")->col,
                           "'severity' is '%s'; expected required or recommended", sev);
    TRY(dup_str(c, n, "expected", 1, &r->expected));
    TRY(dup_str(c, n, "remediation", 1, &r->remediation));
    TRY(dup_str(c, n, "note", 0, &r->note));
    TRY(str_list(c, n, "refs", 1, &r->refs, &r->nrefs));
    const rk_node *w = NULL;
    TRY(rk_node_map(c->file, n, "when", 0, &w, c->d));
    r->when.mailbox_count_above = -1;
    if (w) {
        r->has_when = 1;
        static const char *const wk[] = {"scenarios", "mailbox_count_above", "large_public_folders",
                                         NULL};
        TRY(rk_node_only_keys(c->file, w, wk, c->d));
        const rk_node *sc = NULL;
        TRY(rk_node_seq(c->file, w, "scenarios", 0, &sc, c->d));
        for (size_t i = 0; sc && i < sc->count; i++) {
            const rk_node *it = sc->items[i];
            int si = it->type == RK_NODE_SCALAR ? rk_schema_scenario(c->s, it->value) : -1;
            if (si < 0)
                return rk_diag_set(c->d, c->file, it->line, it->col, "unknown scenario '%s'",
                                   it->type == RK_NODE_SCALAR ? it->value : "?");
            r->when.scenarios |= 1u << si;
        }
        TRY(rk_node_int(c->file, w, "mailbox_count_above", 0, 0, 100000000,
                        &r->when.mailbox_count_above, c->d));
        TRY(rk_node_bool(c->file, w, "large_public_folders", 0, &r->when.large_public_folders, c->d));
    }
    const rk_node *ck = NULL;
    TRY(rk_node_map(c->file, n, "check", 1, &ck, c->d));
    TRY(load_check(c, ck, &r->check, 0));
    return RK_OK;
}

static rk_err load_flow(ctx *c, const rk_node *n, rk_flow_row *f, int index)
{
    if (n->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, n->line, n->col, "a flow row is %s; expected a mapping",
                           rk_node_kind(n));
    static const char *const allowed[] = {"row",      "from",      "to",     "from_label",
                                          "to_label", "component", "protocol", "port",
                                          "remark",   "note",      NULL};
    TRY(rk_node_only_keys(c->file, n, allowed, c->d));
    long long row = 0;
    TRY(rk_node_int(c->file, n, "row", 1, 1, 100000, &row, c->d));
    if (row != index + 1)
        return rk_diag_set(c->d, c->file, rk_node_get(n, "row")->line, rk_node_get(n, "row")->col,
                           "flow row %lld out of order; expected row %d", row, index + 1);
    f->row = (int)row;
    TRY(role_mask(c, n, "from", &f->from_roles));
    TRY(role_mask(c, n, "to", &f->to_roles));
    TRY(dup_str(c, n, "from_label", 1, &f->from_label));
    TRY(dup_str(c, n, "to_label", 1, &f->to_label));
    TRY(dup_str(c, n, "component", 1, &f->component));
    TRY(dup_str(c, n, "protocol", 1, &f->protocol));
    TRY(dup_str(c, n, "port", 1, &f->port));
    TRY(dup_str(c, n, "remark", 1, &f->remark));
    TRY(dup_str(c, n, "note", 0, &f->note));
    if (rk_flow_parse_protocol(f->protocol, &f->protocols, &f->dynamic) != 0) {
        const rk_node *p = rk_node_get(n, "protocol");
        return rk_diag_set(c->d, c->file, p->line, p->col,
                           "protocol '%s' not understood; expected TCP, UDP, TCP/UDP, TCP/IP, "
                           "optionally followed by 'Dynamic'",
                           f->protocol);
    }
    if (rk_flow_parse_port(f->port, &f->port_from, &f->port_to) != 0) {
        const rk_node *p = rk_node_get(n, "port");
        return rk_diag_set(c->d, c->file, p->line, p->col,
                           "port '%s' not understood; expected a port 1-65535 or a range "
                           "like 1024>65535",
                           f->port);
    }
    return RK_OK;
}

static rk_err load_schema(ctx *c, const rk_node *root)
{
    rk_schema *s = c->s;
    if (root->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, root->line, root->col,
                           "the file is %s; expected a mapping with format: readykit-schema/1",
                           rk_node_kind(root));
    const char *format = NULL;
    TRY(rk_node_str(c->file, root, "format", 1, &format, c->d));
    if (strcmp(format, "readykit-schema/1") != 0) {
        const rk_node *f = rk_node_get(root, "format");
        return rk_diag_set(c->d, c->file, f->line, f->col,
                           "unknown format '%s'; expected readykit-schema/1", format);
    }
    static const char *const allowed[] = {"format", "id", "title", "product", "version", "source",
                                          "roles", "scenarios", "requirements", "flows", NULL};
    TRY(rk_node_only_keys(c->file, root, allowed, c->d));
    TRY(dup_str(c, root, "id", 1, &s->id));
    TRY(dup_str(c, root, "title", 1, &s->title));
    TRY(dup_str(c, root, "product", 1, &s->product));
    TRY(dup_str(c, root, "version", 1, &s->version));
    TRY(dup_str(c, root, "source", 1, &s->source));
    TRY(load_named(c, root, "roles", &s->roles, &s->nroles));
    TRY(load_named(c, root, "scenarios", &s->scenarios, &s->nscenarios));
    const rk_node *reqs = NULL;
    TRY(rk_node_seq(c->file, root, "requirements", 1, &reqs, c->d));
    s->reqs = rk_xcalloc(reqs->count, sizeof(rk_requirement));
    for (size_t i = 0; i < reqs->count; i++) {
        s->nreqs++;
        TRY(load_req(c, reqs->items[i], &s->reqs[i]));
        for (size_t j = 0; j < i; j++)
            if (!strcmp(s->reqs[j].id, s->reqs[i].id))
                return rk_diag_set(c->d, c->file, reqs->items[i]->line, reqs->items[i]->col,
                                   "duplicate requirement id '%s' (first at line %d)",
                                   s->reqs[i].id, s->reqs[j].line);
    }
    const rk_node *flows = NULL;
    TRY(rk_node_seq(c->file, root, "flows", 0, &flows, c->d));
    if (flows) {
        s->flows = rk_xcalloc(flows->count ? flows->count : 1, sizeof(rk_flow_row));
        for (size_t i = 0; i < flows->count; i++) {
            s->nflows++;
            TRY(load_flow(c, flows->items[i], &s->flows[i], (int)i));
        }
    }
    return RK_OK;
}

rk_schema *rk_schema_load(const char *path, rk_diag *d)
{
    char sha[65];
    rk_node *root = rk_yaml_load(path, sha, d);
    if (!root) return NULL;
    rk_schema *s = rk_xcalloc(1, sizeof(*s));
    memcpy(s->sha256, sha, sizeof sha);
    s->path = rk_xstrdup(path);
    ctx c = {path, s, d};
    if (load_schema(&c, root) != RK_OK) {
        rk_node_free(root);
        rk_schema_free(s);
        return NULL;
    }
    rk_node_free(root);
    return s;
}
