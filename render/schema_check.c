/* schema_check.c - loads a requirement's check: its kind, the fact it reads and the
 * keys of that kind, checked against the rest of the schema. */
#include <stdlib.h>
#include <string.h>

#include "schema_load.h"

static const char *const KINDS[] = {
#define RK_CK_WORD(name, word) word,
    RK_CHECK_KIND_MAP(RK_CK_WORD)
#undef RK_CK_WORD
        NULL};

const char *rk_check_kind_str(rk_check_kind k)
{
    return (unsigned)k < RK_CHECK_KIND_COUNT ? KINDS[k] : "?";
}

void rk_check_free(rk_check *c)
{
    free(c->fact);
    free(c->of);
    free(c->string);
    rk_strv_free(c->patterns, c->npatterns);
    for (size_t i = 0; i < c->nbranches; i++) {
        free(c->branches[i].prefix);
        free(c->branches[i].min);
        free(c->branches[i].name);
    }
    free(c->branches);
    rk_check *one[2] = {c->sub, c->where};
    for (int i = 0; i < 2; i++)
        if (one[i]) {
            rk_check_free(one[i]);
            free(one[i]);
        }
    for (size_t i = 0; i < c->nchecks; i++) rk_check_free(&c->checks[i]);
    free(c->checks);
    free(c->role);
    rk_strv_free(c->steps, c->nsteps);
}

static const rk_node *at(const rk_node *n, const char *key)
{
    const rk_node *k = rk_node_get(n, key);
    return k ? k : n;
}

/* A fact under collected.<id> must name a collect item of the schema; `relative` facts
 * (inside any/all) are relative to a list element and are not checked. */
static rk_err check_fact(rk_sctx *c, const rk_node *n, const char *fact, int relative)
{
    if (relative || strncmp(fact, "collected.", 10) != 0) return RK_OK;
    const char *id = fact + 10;
    size_t len = strcspn(id, ".");
    char buf[80];
    if (len < sizeof buf) {
        memcpy(buf, id, len);
        buf[len] = '\0';
        if (rk_schema_collect_item(c->s, buf) >= 0) return RK_OK;
    }
    const rk_node *f = at(n, "fact");
    return rk_diag_set(c->d, c->file, f->line, f->col,
                       "fact '%s' names no collect item of this schema; expected "
                       "collected.<id> of an item under 'collect'",
                       fact);
}

static rk_err load_equals(rk_sctx *c, const rk_node *n, rk_check *k)
{
    const rk_node *v = rk_node_get(n, "value");
    if (!v || v->type != RK_NODE_SCALAR)
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "'equals' needs 'value' (a string, number or boolean)");
    char *end;
    if (!v->quoted && (!strcmp(v->value, "true") || !strcmp(v->value, "false"))) {
        k->value_type = RK_VT_BOOL;
        k->boolean = !strcmp(v->value, "true");
    } else if (!v->quoted && v->value[0] && (strtod(v->value, &end), *end == '\0')) {
        k->value_type = RK_VT_NUMBER;
        TRY(rk_sctx_number(c, n, "value", &k->number));
    } else {
        k->value_type = RK_VT_STRING;
        k->string = rk_xstrdup(v->value);
    }
    return RK_OK;
}

static rk_err one_of(rk_sctx *c, const rk_node *n, const char *key, const char *const *words,
                     int *out, const char *expected)
{
    const char *v = NULL;
    TRY(rk_node_str(c->file, n, key, 0, &v, c->d));
    if (!v) return RK_OK;
    for (int i = 0; words[i]; i++)
        if (!strcmp(words[i], v)) {
            *out = i;
            return RK_OK;
        }
    const rk_node *vn = rk_node_get(n, key);
    return rk_diag_set(c->d, c->file, vn->line, vn->col, "'%s' is '%s'; expected %s", key, v,
                       expected);
}

static rk_err load_flag(rk_sctx *c, const rk_node *n, rk_check *k)
{
    static const char *const onoff[] = {"off", "on", NULL};
    static const char *const on[] = {"nonzero", "one", NULL};
    int e = -1;
    TRY(one_of(c, n, "expect", onoff, &e, "on or off"));
    if (e < 0) return rk_diag_set(c->d, c->file, n->line, n->col,
                                  "missing required key 'expect'; expected on or off");
    k->expect_on = e;
    TRY(one_of(c, n, "null_means", onoff, &k->null_means, "on or off"));
    return one_of(c, n, "on_value", on, &k->on_one, "nonzero or one");
}

static rk_err load_version(rk_sctx *c, const rk_node *n, rk_check *k)
{
    const rk_node *br = NULL;
    TRY(rk_node_seq(c->file, n, "branches", 0, &br, c->d));
    const char *min = NULL;
    TRY(rk_node_str(c->file, n, "min", 0, &min, c->d));
    if (!br == !min)
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "a version check needs either 'min' or 'branches'");
    k->string = rk_xstrdup(min);
    for (size_t i = 0; br && i < br->count; i++) {
        const rk_node *b = br->items[i];
        if (!k->branches) k->branches = rk_xcalloc(br->count, sizeof(rk_version_branch));
        if (b->type != RK_NODE_MAP)
            return rk_diag_set(c->d, c->file, b->line, b->col,
                               "a branch is %s; expected {prefix, min, name}", rk_node_kind(b));
        static const char *const bk[] = {"prefix", "min", "name", NULL};
        TRY(rk_node_only_keys(c->file, b, bk, c->d));
        rk_version_branch *vb = &k->branches[k->nbranches++];
        TRY(rk_sctx_dup(c, b, "prefix", 1, &vb->prefix));
        TRY(rk_sctx_dup(c, b, "min", 1, &vb->min));
        TRY(rk_sctx_dup(c, b, "name", 1, &vb->name));
    }
    static const char *const ow[] = {"fail", "pass", "not-applicable", NULL};
    int o = RK_OTHERWISE_FAIL;
    TRY(one_of(c, n, "otherwise", ow, &o, "fail, pass or not-applicable"));
    k->otherwise = (rk_otherwise)o;
    return RK_OK;
}

static rk_err sub_check(rk_sctx *c, const rk_node *n, const char *key, int required,
                        rk_check **out, int depth, int relative)
{
    const rk_node *sub = NULL;
    TRY(rk_node_map(c->file, n, key, required, &sub, c->d));
    if (!sub) return RK_OK;
    *out = rk_xcalloc(1, sizeof(rk_check));
    return rk_schema_load_check(c, sub, *out, depth + 1, relative);
}

static rk_err load_elements(rk_sctx *c, const rk_node *n, rk_check *k, int depth)
{
    TRY(sub_check(c, n, "check", 1, &k->sub, depth, 1));
    TRY(sub_check(c, n, "where", 0, &k->where, depth, 1));
    static const char *const ew[] = {"fail", "pass", "not-applicable", NULL};
    int o = RK_OTHERWISE_FAIL;
    TRY(one_of(c, n, "empty", ew, &o, "fail, pass or not-applicable"));
    k->otherwise = (rk_otherwise)o;
    return RK_OK;
}

static rk_err load_combined(rk_sctx *c, const rk_node *n, rk_check *k, int depth, int relative)
{
    const rk_node *cs = NULL;
    TRY(rk_node_seq(c->file, n, "checks", 1, &cs, c->d));
    if (cs->count == 0)
        return rk_diag_set(c->d, c->file, cs->line, cs->col, "'checks' is empty; expected checks");
    k->checks = rk_xcalloc(cs->count, sizeof(rk_check));
    for (size_t i = 0; i < cs->count; i++) {
        k->nchecks++;
        TRY(rk_schema_load_check(c, cs->items[i], &k->checks[i], depth + 1, relative));
    }
    return RK_OK;
}

static rk_err load_kind_keys(rk_sctx *c, const rk_node *n, rk_check *k, int depth, int relative)
{
    switch (k->kind) {
    case RK_CHECK_MIN:
    case RK_CHECK_MAX:
        TRY(rk_sctx_number(c, n, "value", &k->number));
        TRY(rk_sctx_dup(c, n, "of", 0, &k->of));
        if (k->of) TRY(check_fact(c, n, k->of, relative));
        return RK_OK;
    case RK_CHECK_EQUALS:
        return load_equals(c, n, k);
    case RK_CHECK_FLAG:
        return load_flag(c, n, k);
    case RK_CHECK_MATCH:
    case RK_CHECK_CONTAINS:
        return rk_sctx_list(c, n, "patterns", 1, &k->patterns, &k->npatterns);
    case RK_CHECK_VERSION:
        return load_version(c, n, k);
    case RK_CHECK_ANY:
    case RK_CHECK_ALL:
        return load_elements(c, n, k, depth);
    case RK_CHECK_ANY_OF:
    case RK_CHECK_ALL_OF:
        return load_combined(c, n, k, depth, relative);
    case RK_CHECK_NOT:
        return sub_check(c, n, "check", 1, &k->sub, depth, relative);
    case RK_CHECK_SAME_AS:
        TRY(rk_sctx_dup(c, n, "role", 1, &k->role));
        if (rk_schema_role(c->s, k->role) < 0)
            return rk_diag_set(c->d, c->file, at(n, "role")->line, at(n, "role")->col,
                               "unknown role '%s'", k->role);
        return RK_OK;
    case RK_CHECK_NOT_ROLE:
        return rk_sctx_roles(c, n, "roles", &k->roles, NULL);
    case RK_CHECK_MANUAL:
        return rk_sctx_list(c, n, "steps", 1, &k->steps, &k->nsteps);
    default:
        return RK_OK;
    }
}

/* The keys each kind takes, besides `kind` and `format`. */
static const char *const *kind_keys(rk_check_kind k)
{
    static const char *const number[] = {"fact", "value", "of", NULL};
    static const char *const equals[] = {"fact", "value", NULL};
    static const char *const flag[] = {"fact", "expect", "on_value", "null_means", NULL};
    static const char *const patterns[] = {"fact", "patterns", NULL};
    static const char *const version[] = {"fact", "min", "branches", "otherwise", NULL};
    static const char *const fact[] = {"fact", NULL};
    static const char *const elements[] = {"fact", "check", "where", "empty", NULL};
    static const char *const checks[] = {"checks", NULL};
    static const char *const negated[] = {"check", NULL};
    static const char *const same_as[] = {"fact", "role", NULL};
    static const char *const roles[] = {"roles", NULL};
    static const char *const steps[] = {"steps", NULL};
    static const char *const none[] = {NULL};
    switch (k) {
    case RK_CHECK_MIN:
    case RK_CHECK_MAX: return number;
    case RK_CHECK_EQUALS: return equals;
    case RK_CHECK_FLAG: return flag;
    case RK_CHECK_MATCH:
    case RK_CHECK_CONTAINS: return patterns;
    case RK_CHECK_VERSION: return version;
    case RK_CHECK_ABSENT:
    case RK_CHECK_PRESENT: return fact;
    case RK_CHECK_ANY:
    case RK_CHECK_ALL: return elements;
    case RK_CHECK_ANY_OF:
    case RK_CHECK_ALL_OF: return checks;
    case RK_CHECK_NOT: return negated;
    case RK_CHECK_SAME_AS: return same_as;
    case RK_CHECK_NOT_ROLE: return roles;
    case RK_CHECK_MANUAL: return steps;
    default: return none;
    }
}

static rk_err only_kind_keys(rk_sctx *c, const rk_node *n, rk_check_kind kind)
{
    const char *allowed[12] = {"kind", "format"};
    size_t na = 2;
    for (const char *const *k = kind_keys(kind); *k; k++) allowed[na++] = *k;
    allowed[na] = NULL;
    return rk_node_only_keys(c->file, n, allowed, c->d);
}

static int needs_fact(rk_check_kind k)
{
    return k != RK_CHECK_ANY_OF && k != RK_CHECK_ALL_OF && k != RK_CHECK_NOT &&
           k != RK_CHECK_NOT_ROLE && k != RK_CHECK_MANUAL && k != RK_CHECK_FLOWS;
}

static rk_err load_kind(rk_sctx *c, const rk_node *n, rk_check *k)
{
    const char *kind = NULL;
    TRY(rk_node_str(c->file, n, "kind", 1, &kind, c->d));
    for (int i = 0; KINDS[i]; i++)
        if (!strcmp(KINDS[i], kind)) {
            k->kind = (rk_check_kind)i;
            return RK_OK;
        }
    rk_buf b = {0};
    for (int i = 0; KINDS[i]; i++) rk_buf_printf(&b, "%s%s", i ? ", " : "", KINDS[i]);
    rk_diag_set(c->d, c->file, at(n, "kind")->line, at(n, "kind")->col,
                "unknown check kind '%s'; expected one of: %s", kind, b.data);
    rk_buf_free(&b);
    return RK_INPUT;
}

rk_err rk_schema_load_check(rk_sctx *c, const rk_node *n, rk_check *k, int depth, int relative)
{
    memset(k, 0, sizeof(*k));
    k->null_means = -1;
    k->line = n->line;
    if (n->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, n->line, n->col, "a check is %s; expected a mapping",
                           rk_node_kind(n));
    if (depth > 8) return rk_diag_set(c->d, c->file, n->line, n->col, "checks nested too deeply");
    TRY(load_kind(c, n, k));
    TRY(only_kind_keys(c, n, k->kind));
    TRY(rk_sctx_format(c, n, "format", &k->format));
    if (needs_fact(k->kind)) {
        TRY(rk_sctx_dup(c, n, "fact", 1, &k->fact));
        TRY(check_fact(c, n, k->fact, relative));
    }
    return load_kind_keys(c, n, k, depth, relative);
}
