/* check.c - evaluates one check against one host's facts into an outcome tree: the
 * result and the reason, with the values it read. No words: explain.c words them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eval.h"
#include "flows.h"
#include "util.h"

typedef struct cctx {
    const rk_assessment *a;
    size_t host;
    int top;                /* the fact is read from the host's root (not a list element) */
    const size_t *from;     /* the flows starting at host, or NULL: scan every flow */
    size_t nfrom;
} cctx;

void rk_outcome_free(rk_outcome *o)
{
    for (size_t i = 0; i < o->nsubs; i++) rk_outcome_free(&o->subs[i]);
    free(o->subs);
    o->subs = NULL;
    o->nsubs = 0;
}

static void set(rk_outcome *o, rk_result r, rk_reason why)
{
    o->result = r;
    o->reason = why;
}

static void wrong_type(rk_outcome *o, rk_result r, const char *expected)
{
    set(o, r, RK_RS_WRONG_TYPE);
    o->detail = expected;
}

static rk_outcome *add_sub(rk_outcome *o, size_t cap)
{
    if (!o->subs) o->subs = rk_xcalloc(cap ? cap : 1, sizeof(rk_outcome));
    return &o->subs[o->nsubs++];
}

static const cJSON *host_root(const rk_assessment *a, size_t host)
{
    const rk_facts *f = a->facts ? a->facts[host] : NULL;
    return f ? f->root : NULL;
}

static void eval_check(const cctx *c, const rk_check *k, const cJSON *base, rk_outcome *o);

/* ---- number, text and flag checks ---------------------------------------------------- */

static void eval_minmax(const cctx *c, const rk_check *k, const cJSON *base, rk_outcome *o)
{
    const cJSON *j = o->value;
    if (cJSON_IsNull(j)) return set(o, RK_R_FAIL, RK_RS_NOT_PRESENT);
    if (!cJSON_IsNumber(j)) return wrong_type(o, RK_R_UNKNOWN, "number");
    o->limit = k->number;
    if (k->of) {
        const cJSON *of = rk_facts_get(base, k->of);
        if (!cJSON_IsNumber(of)) {
            /* the ratio's base is missing: undecided, naming that fact */
            o->fact = k->of;
            o->value = of;
            if (!of) return set(o, RK_R_UNKNOWN, RK_RS_NOT_COLLECTED);
            return wrong_type(o, RK_R_UNKNOWN, "number");
        }
        o->limit = k->number * of->valuedouble;
    }
    double v = j->valuedouble;
    int ok = k->kind == RK_CHECK_MIN ? v >= o->limit : v <= o->limit;
    if (ok) return set(o, RK_R_PASS, RK_RS_MET);
    set(o, RK_R_FAIL, k->kind == RK_CHECK_MIN ? RK_RS_BELOW : RK_RS_ABOVE);
    (void)c;
}

static void eval_equals(const rk_check *k, rk_outcome *o)
{
    const cJSON *j = o->value;
    int ok = 0;
    if (k->value_type == RK_VT_NUMBER) ok = cJSON_IsNumber(j) && j->valuedouble == k->number;
    else if (k->value_type == RK_VT_STRING)
        ok = cJSON_IsString(j) && strcasecmp(j->valuestring, k->string) == 0;
    else if (k->value_type == RK_VT_BOOL) ok = cJSON_IsBool(j) && (cJSON_IsTrue(j) ? 1 : 0) == k->boolean;
    set(o, ok ? RK_R_PASS : RK_R_FAIL, ok ? RK_RS_MET : RK_RS_NOT_EQUAL);
}

static void eval_flag(const rk_check *k, rk_outcome *o)
{
    const cJSON *j = o->value;
    int on;
    if (cJSON_IsNull(j)) {
        if (k->null_means < 0) return set(o, RK_R_FAIL, RK_RS_NOT_PRESENT);
        on = k->null_means;
    } else if (cJSON_IsNumber(j)) {
        /* as the reader of the value reads it: any non-zero (SCHANNEL) or exactly 1 (.NET) */
        on = k->on_one ? j->valuedouble == 1 : j->valuedouble != 0;
    } else if (cJSON_IsBool(j)) {
        on = cJSON_IsTrue(j);
    } else {
        return wrong_type(o, RK_R_UNKNOWN, "dword");
    }
    int ok = on == k->expect_on;
    set(o, ok ? RK_R_PASS : RK_R_FAIL, ok ? RK_RS_MET : RK_RS_FLAG_WRONG);
}

static int matches(const rk_check *k, const char *s)
{
    for (size_t i = 0; i < k->npatterns; i++)
        if (rk_glob(k->patterns[i], s, 1)) return 1;
    return 0;
}

static void eval_match(const rk_check *k, rk_outcome *o)
{
    const cJSON *j = o->value;
    if (cJSON_IsNull(j)) return set(o, RK_R_FAIL, RK_RS_NOT_PRESENT);
    if (!cJSON_IsString(j)) return wrong_type(o, RK_R_FAIL, "text");
    int ok = matches(k, j->valuestring);
    set(o, ok ? RK_R_PASS : RK_R_FAIL, ok ? RK_RS_MET : RK_RS_NO_MATCH);
}

static void eval_contains(const rk_check *k, rk_outcome *o)
{
    const cJSON *j = o->value;
    if (cJSON_IsNull(j)) return set(o, RK_R_FAIL, RK_RS_NOT_PRESENT);
    if (!cJSON_IsArray(j)) return wrong_type(o, RK_R_FAIL, "list");
    for (const cJSON *e = j->child; e; e = e->next)
        if (cJSON_IsString(e) && matches(k, e->valuestring)) {
            o->value = e; /* the element that matched is what the reader wants to see */
            return set(o, RK_R_PASS, RK_RS_MET);
        }
    set(o, RK_R_FAIL, RK_RS_NONE_MATCHING);
}

static void eval_version(const rk_check *k, rk_outcome *o)
{
    const cJSON *j = o->value;
    if (cJSON_IsNull(j)) return set(o, RK_R_FAIL, RK_RS_NOT_PRESENT);
    if (!cJSON_IsString(j) || !rk_version_valid(j->valuestring))
        return wrong_type(o, RK_R_UNKNOWN, "version");
    const char *v = j->valuestring;
    if (!k->nbranches) {
        int ok = rk_version_cmp(v, k->string) >= 0;
        return set(o, ok ? RK_R_PASS : RK_R_FAIL, ok ? RK_RS_MET : RK_RS_VERSION_BELOW);
    }
    for (size_t i = 0; i < k->nbranches; i++) {
        const rk_version_branch *b = &k->branches[i];
        if (!rk_version_has_prefix(v, b->prefix)) continue;
        o->branch = b;
        int ok = rk_version_cmp(v, b->min) >= 0;
        return set(o, ok ? RK_R_PASS : RK_R_FAIL, ok ? RK_RS_MET : RK_RS_VERSION_BELOW);
    }
    if (k->otherwise == RK_OTHERWISE_PASS) return set(o, RK_R_PASS, RK_RS_MET);
    if (k->otherwise == RK_OTHERWISE_NA) return set(o, RK_R_NA, RK_RS_VERSION_UNSUPPORTED);
    set(o, RK_R_FAIL, RK_RS_VERSION_UNSUPPORTED);
}

/* ---- lists and combinations ------------------------------------------------------------ */

static void otherwise(rk_otherwise ow, rk_outcome *o)
{
    if (ow == RK_OTHERWISE_PASS) set(o, RK_R_PASS, RK_RS_EMPTY);
    else if (ow == RK_OTHERWISE_NA) set(o, RK_R_NA, RK_RS_EMPTY);
    else set(o, RK_R_FAIL, RK_RS_EMPTY);
}

static const char *element_label(const cJSON *el)
{
    const cJSON *name = cJSON_IsObject(el) ? cJSON_GetObjectItemCaseSensitive(el, "name") : NULL;
    if (!cJSON_IsString(name) && cJSON_IsObject(el)) name = cJSON_GetObjectItemCaseSensitive(el, "path");
    return cJSON_IsString(name) ? name->valuestring : NULL;
}

/* Combines results: any (one pass is enough) or all (every one must pass). */
static void combine(rk_outcome *o, int any, size_t npass, size_t nfail, size_t nunk, size_t nna,
                    rk_reason failed)
{
    if (any) {
        if (npass) set(o, RK_R_PASS, RK_RS_MET);
        else if (nunk) set(o, RK_R_UNKNOWN, failed);
        else if (nfail) set(o, RK_R_FAIL, failed);
        else set(o, RK_R_NA, failed);
    } else {
        if (nfail) set(o, RK_R_FAIL, failed);
        else if (nunk) set(o, RK_R_UNKNOWN, failed);
        else if (npass) set(o, RK_R_PASS, RK_RS_MET);
        else set(o, RK_R_NA, failed);
    }
    (void)nna;
}

static void eval_elements(const cctx *c, const rk_check *k, rk_outcome *o)
{
    const cJSON *arr = o->value;
    if (cJSON_IsNull(arr)) return otherwise(k->otherwise, o);
    if (!cJSON_IsArray(arr)) return wrong_type(o, RK_R_UNKNOWN, "list");
    cctx inner = *c;
    inner.top = 0;
    size_t n = (size_t)cJSON_GetArraySize(arr), counts[4] = {0};
    for (const cJSON *el = arr->child; el; el = el->next) {
        if (k->where) {
            rk_outcome w = {0};
            eval_check(&inner, k->where, el, &w);
            rk_result wr = w.result;
            rk_outcome_free(&w);
            if (wr == RK_R_FAIL || wr == RK_R_NA) continue;
            if (wr == RK_R_UNKNOWN) {
                counts[RK_R_UNKNOWN]++;
                continue;
            }
        }
        rk_outcome *sub = add_sub(o, n);
        eval_check(&inner, k->sub, el, sub);
        sub->label = element_label(el);
        counts[sub->result]++;
    }
    if (!o->nsubs && !counts[RK_R_UNKNOWN]) return otherwise(k->otherwise, o);
    combine(o, k->kind == RK_CHECK_ANY, counts[RK_R_PASS] + counts[RK_R_NA], counts[RK_R_FAIL],
            counts[RK_R_UNKNOWN], 0, RK_RS_ELEMENTS);
}

static void eval_combined(const cctx *c, const rk_check *k, const cJSON *base, rk_outcome *o)
{
    size_t counts[4] = {0};
    for (size_t i = 0; i < k->nchecks; i++) {
        rk_outcome *sub = add_sub(o, k->nchecks);
        eval_check(c, &k->checks[i], base, sub);
        counts[sub->result]++;
    }
    combine(o, k->kind == RK_CHECK_ANY_OF, counts[RK_R_PASS], counts[RK_R_FAIL],
            counts[RK_R_UNKNOWN], counts[RK_R_NA], RK_RS_COMBINED);
}

static void eval_not(const cctx *c, const rk_check *k, const cJSON *base, rk_outcome *o)
{
    rk_outcome *sub = add_sub(o, 1);
    eval_check(c, k->sub, base, sub);
    if (sub->result == RK_R_PASS) set(o, RK_R_FAIL, RK_RS_NEGATED);
    else if (sub->result == RK_R_FAIL) set(o, RK_R_PASS, RK_RS_MET);
    else set(o, sub->result, sub->reason);
}

/* ---- the project: other hosts, roles, flows ------------------------------------------------ */

static void eval_same_as(const cctx *c, const rk_check *k, rk_outcome *o)
{
    const rk_assessment *a = c->a;
    const cJSON *j = o->value;
    int role = rk_schema_role(a->schema, k->role);
    size_t others = 0, unknown = 0;
    for (size_t h = 0; h < a->project->nhosts; h++) {
        if (h == c->host || role < 0 || !(a->project->hosts[h].roles & (1u << role))) continue;
        others++;
        const cJSON *root = host_root(a, h);
        const cJSON *oj = root ? rk_facts_get(root, k->fact) : NULL;
        if (!cJSON_IsString(oj)) {
            unknown++;
            continue;
        }
        if (cJSON_IsString(j) && strcasecmp(oj->valuestring, j->valuestring) == 0) continue;
        rk_outcome *sub = add_sub(o, a->project->nhosts);
        sub->label = a->project->hosts[h].name;
        sub->value = oj;
        sub->fact = k->fact;
        set(sub, RK_R_FAIL, RK_RS_DIFFERS);
    }
    o->label = k->role;
    if (o->nsubs) set(o, RK_R_FAIL, RK_RS_DIFFERS);
    else if (!others) set(o, RK_R_UNKNOWN, RK_RS_NO_ROLE_HOLDER);
    else if (unknown) set(o, RK_R_UNKNOWN, RK_RS_OTHER_NOT_COLLECTED);
    else set(o, RK_R_PASS, RK_RS_MET);
}

static void eval_not_role(const cctx *c, const rk_check *k, rk_outcome *o)
{
    o->roles = c->a->project->hosts[c->host].roles & k->roles;
    set(o, o->roles ? RK_R_FAIL : RK_R_PASS, o->roles ? RK_RS_ROLE_CONFLICT : RK_RS_MET);
}

/* The flows starting at this host that a probe verified: blocked when closed or filtered,
 * unfinished when the probe ended in an error. rk_flows_state is the one judge. */
static void eval_flows(const cctx *c, rk_outcome *o)
{
    const rk_assessment *a = c->a;
    if (!host_root(a, c->host)) return set(o, RK_R_UNKNOWN, RK_RS_NO_FACT_FILE);
    size_t probed = 0, blocked = 0, errors = 0;
    size_t n = c->from ? c->nfrom : a->nflows;
    for (size_t i = 0; i < n; i++) {
        const rk_flow *f = &a->flows[c->from ? c->from[i] : i];
        if (f->from_host != c->host) continue;
        rk_fw_state st = rk_flows_state(f);
        if (st == RK_FW_NOT_PROBED || st == RK_FW_NOT_VERIFIABLE) continue;
        probed++;
        blocked += st == RK_FW_CLOSED || st == RK_FW_FILTERED;
        errors += st == RK_FW_ERROR;
    }
    o->total = probed;
    o->count = blocked ? blocked : errors;
    if (!probed) set(o, RK_R_NA, RK_RS_NOT_PROBED);
    else if (blocked) set(o, RK_R_FAIL, RK_RS_FLOWS_BLOCKED);
    else if (errors) set(o, RK_R_UNKNOWN, RK_RS_FLOWS_INCOMPLETE);
    else set(o, RK_R_PASS, RK_RS_MET);
}

/* ---- dispatch ------------------------------------------------------------------------------ */

/* Reads the check's fact; 0 when the outcome is already decided (not collected). */
static int read_fact(const cctx *c, const rk_check *k, const cJSON *base, rk_outcome *o)
{
    o->fact = k->fact;
    if (c->top && !base) {
        set(o, RK_R_UNKNOWN, RK_RS_NO_FACT_FILE);
        return 0;
    }
    o->value = rk_facts_get(base, k->fact);
    if (o->value || k->kind == RK_CHECK_SAME_AS) return 1;
    const rk_facts *f = c->top && c->a->facts ? c->a->facts[c->host] : NULL;
    o->detail = f ? rk_facts_error(f, k->fact) : NULL;
    set(o, RK_R_UNKNOWN, o->detail ? RK_RS_COLLECT_ERROR : RK_RS_NOT_COLLECTED);
    return 0;
}

static void eval_check(const cctx *c, const rk_check *k, const cJSON *base, rk_outcome *o)
{
    memset(o, 0, sizeof(*o));
    o->check = k;
    set(o, RK_R_UNKNOWN, RK_RS_NOT_COLLECTED);
    if (k->fact && !read_fact(c, k, base, o)) return;
    switch (k->kind) {
    case RK_CHECK_MIN:
    case RK_CHECK_MAX: return eval_minmax(c, k, base, o);
    case RK_CHECK_EQUALS: return eval_equals(k, o);
    case RK_CHECK_FLAG: return eval_flag(k, o);
    case RK_CHECK_MATCH: return eval_match(k, o);
    case RK_CHECK_VERSION: return eval_version(k, o);
    case RK_CHECK_CONTAINS: return eval_contains(k, o);
    case RK_CHECK_ABSENT:
        return set(o, cJSON_IsNull(o->value) ? RK_R_PASS : RK_R_FAIL,
                   cJSON_IsNull(o->value) ? RK_RS_MET : RK_RS_PRESENT);
    case RK_CHECK_PRESENT: {
        const cJSON *j = o->value;
        int ok = !cJSON_IsNull(j) && !(cJSON_IsString(j) && !j->valuestring[0]);
        return set(o, ok ? RK_R_PASS : RK_R_FAIL, ok ? RK_RS_MET : RK_RS_NOT_PRESENT);
    }
    case RK_CHECK_ANY:
    case RK_CHECK_ALL: return eval_elements(c, k, o);
    case RK_CHECK_ANY_OF:
    case RK_CHECK_ALL_OF: return eval_combined(c, k, base, o);
    case RK_CHECK_NOT: return eval_not(c, k, base, o);
    case RK_CHECK_SAME_AS:
        if (!o->value) return set(o, RK_R_UNKNOWN, RK_RS_NOT_COLLECTED);
        return eval_same_as(c, k, o);
    case RK_CHECK_NOT_ROLE: return eval_not_role(c, k, o);
    case RK_CHECK_FLOWS: return eval_flows(c, o);
    case RK_CHECK_MANUAL: return set(o, RK_R_UNKNOWN, RK_RS_MANUAL);
    default: return;
    }
}

void rk_check_eval(const rk_assessment *a, size_t host, const rk_check *k, const cJSON *base,
                   rk_outcome *out)
{
    rk_check_eval_from(a, host, k, base, NULL, 0, out);
}

void rk_check_eval_from(const rk_assessment *a, size_t host, const rk_check *k,
                        const cJSON *base, const size_t *from, size_t nfrom, rk_outcome *out)
{
    cctx c = {a, host, 1, from, nfrom};
    eval_check(&c, k, base, out);
}
