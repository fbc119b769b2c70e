/* eval.c - evaluates every requirement on every host into findings, decides `when`
 * over the project's parameters, and computes the verdicts. */
#include "eval.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "flows.h"
#include "progress.h"
#include "util.h"

static const char *const STATUS_NAMES[] = {
#define RK_ST_NAME(name, str) str,
    RK_STATUS_MAP(RK_ST_NAME)
#undef RK_ST_NAME
};

static const char *const VERDICT_NAMES[] = {
#define RK_V_NAME(name, str) str,
    RK_VERDICT_MAP(RK_V_NAME)
#undef RK_V_NAME
};

static const char *const REASON_NAMES[] = {
#define RK_RS_NAME(name, str) str,
    RK_REASON_MAP(RK_RS_NAME)
#undef RK_RS_NAME
};

const char *rk_status_str(rk_status s) { return s < RK_ST_COUNT ? STATUS_NAMES[s] : "?"; }
const char *rk_verdict_str(rk_verdict v) { return v < RK_V_COUNT ? VERDICT_NAMES[v] : "?"; }
const char *rk_reason_str(rk_reason r) { return r < RK_RS_COUNT ? REASON_NAMES[r] : "?"; }

int rk_status_parse(const char *s, rk_status *out)
{
    for (int i = 0; i < RK_ST_COUNT; i++)
        if (!strcmp(STATUS_NAMES[i], s)) {
            *out = (rk_status)i;
            return 0;
        }
    return -1;
}

int rk_verdict_parse(const char *s, rk_verdict *out)
{
    for (int i = 0; i < RK_V_COUNT; i++)
        if (!strcmp(VERDICT_NAMES[i], s)) {
            *out = (rk_verdict)i;
            return 0;
        }
    return -1;
}

/* ---- findings ------------------------------------------------------------------------------ */

static rk_status status_of(const rk_requirement *r, rk_result res)
{
    switch (res) {
    case RK_R_PASS: return RK_ST_PASS;
    case RK_R_FAIL: return r->severity == RK_SEV_REQUIRED ? RK_ST_FAIL : RK_ST_WARN;
    case RK_R_NA: return RK_ST_NA;
    default: return RK_ST_UNKNOWN;
    }
}

/* An undecided `when`: the finding is unknown and names the parameters to set. */
static void undecided_outcome(const rk_assessment *a, const size_t *und, size_t n, rk_outcome *o)
{
    o->result = RK_R_UNKNOWN;
    o->reason = RK_RS_PARAMETER_NOT_SET;
    o->subs = rk_xcalloc(n ? n : 1, sizeof(rk_outcome));
    for (size_t i = 0; i < n && i < 16; i++) {
        rk_outcome *sub = &o->subs[o->nsubs++];
        sub->result = RK_R_UNKNOWN;
        sub->reason = RK_RS_PARAMETER_NOT_SET;
        sub->label = a->schema->params[und[i]].id;
    }
}

/* The flows of an assessment by source: flows[start[h] .. start[h + 1]) are the indexes
 * of those starting at end h, ascending. Built once per evaluation: a `flows` check on
 * every host would otherwise read every flow for each host (quadratic at fleet scale). */
typedef struct flows_from {
    size_t *start, *flows;
} flows_from;

static void flows_from_build(const rk_assessment *a, flows_from *x)
{
    x->start = rk_xcalloc(a->nends + 2, sizeof(size_t));
    x->flows = rk_xcalloc(a->nflows ? a->nflows : 1, sizeof(size_t));
    for (size_t i = 0; i < a->nflows; i++)
        if (a->flows[i].from_host < a->nends) x->start[a->flows[i].from_host + 1]++;
    for (size_t h = 0; h < a->nends; h++) x->start[h + 1] += x->start[h];
    size_t *fill = rk_xcalloc(a->nends + 1, sizeof(size_t));
    for (size_t i = 0; i < a->nflows; i++) {
        size_t h = a->flows[i].from_host;
        if (h < a->nends) x->flows[x->start[h] + fill[h]++] = i;
    }
    free(fill);
}

static void flows_from_free(flows_from *x)
{
    free(x->start);
    free(x->flows);
}

static void eval_one(const rk_assessment *a, size_t host, size_t req, const flows_from *ff,
                     rk_finding *out)
{
    const rk_requirement *r = &a->schema->reqs[req];
    memset(out, 0, sizeof(*out));
    out->host = host;
    out->req = req;
    out->flow = -1;
    size_t und[16], nund = 0;
    rk_tri applies = rk_when_eval(a->schema, a->project, &r->when, und, 16, &nund);
    if (applies == RK_FALSE) {
        out->why.result = RK_R_NA;
        out->why.reason = RK_RS_NOT_APPLICABLE;
    } else if (applies == RK_UNDECIDED) {
        undecided_outcome(a, und, nund, &out->why);
    } else if (r->check.kind == RK_CHECK_MANUAL) {
        out->why.result = RK_R_UNKNOWN;
        out->why.reason = RK_RS_MANUAL;
        out->why.check = &r->check;
        out->status = out->original = RK_ST_MANUAL;
        return;
    } else {
        const rk_facts *f = a->facts ? a->facts[host] : NULL;
        const size_t *from = ff && host < a->nends ? ff->flows + ff->start[host] : NULL;
        size_t nfrom = from ? ff->start[host + 1] - ff->start[host] : 0;
        rk_check_eval_from(a, host, &r->check, f ? f->root : NULL, from, nfrom, &out->why);
    }
    out->status = out->original = status_of(r, out->why.result);
}

void rk_eval_one(const rk_assessment *a, size_t host, size_t req, rk_finding *out)
{
    eval_one(a, host, req, NULL, out);
}

/* A failed `flows` check becomes one finding per blocked flow from that host, so each
 * closed port is a line a firewall team can act on. */
static void add_blocked_flow(rk_assessment *a, size_t *cap, size_t req, size_t flow)
{
    const rk_flow *f = &a->flows[flow];
    if (a->nfindings == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        a->findings = rk_xrealloc(a->findings, *cap * sizeof(rk_finding));
    }
    rk_finding *x = &a->findings[a->nfindings++];
    memset(x, 0, sizeof(*x));
    x->host = f->from_host;
    x->req = req;
    x->flow = (int)flow;
    x->why.result = RK_R_FAIL;
    x->why.reason = RK_RS_FLOW_BLOCKED;
    x->status = x->original = status_of(&a->schema->reqs[req], RK_R_FAIL);
}

static void eval_host(rk_assessment *a, size_t h, const flows_from *ff, size_t *cap)
{
    const rk_schema *s = a->schema;
    for (size_t r = 0; r < s->nreqs; r++) {
        if (!(s->reqs[r].applies_to & a->project->hosts[h].roles)) continue;
        if (a->nfindings == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            a->findings = rk_xrealloc(a->findings, *cap * sizeof(rk_finding));
        }
        rk_finding *x = &a->findings[a->nfindings];
        eval_one(a, h, r, ff, x);
        if (s->reqs[r].check.kind != RK_CHECK_FLOWS || x->why.reason != RK_RS_FLOWS_BLOCKED) {
            a->nfindings++;
            continue;
        }
        rk_outcome_free(&x->why);
        size_t k0 = h < a->nends ? ff->start[h] : 0, k1 = h < a->nends ? ff->start[h + 1] : 0;
        for (size_t k = k0; k < k1; k++) {
            rk_fw_state st = rk_flows_state(&a->flows[ff->flows[k]]);
            if (st == RK_FW_CLOSED || st == RK_FW_FILTERED) add_blocked_flow(a, cap, r, ff->flows[k]);
        }
    }
}

/* A warning per parameter that requirements depend on and the project leaves unset. */
static void warn_unset_params(rk_assessment *a)
{
    const rk_schema *s = a->schema;
    for (size_t pi = 0; pi < s->nparams; pi++) {
        if (a->project->params[pi].set) continue;
        for (size_t i = 0; i < a->nfindings; i++) {
            const rk_outcome *o = &a->findings[i].why;
            if (o->reason != RK_RS_PARAMETER_NOT_SET) continue;
            int hit = 0;
            for (size_t k = 0; k < o->nsubs; k++) hit |= o->subs[k].label == s->params[pi].id;
            if (!hit) continue;
            rk_warn(&a->warnings, a->project->path, 0, 0, "warn.parameter_not_set", "parameter",
                    s->params[pi].id, "requirement", s->reqs[a->findings[i].req].id, NULL);
            break;
        }
    }
}

/* The first requirement with a `flows` check that applies to project end h, or
 * SIZE_MAX (an endpoint, or no such requirement for its roles). */
static size_t flows_req(const rk_assessment *a, size_t h)
{
    if (h >= a->project->nhosts) return SIZE_MAX;
    for (size_t r = 0; r < a->schema->nreqs; r++)
        if (a->schema->reqs[r].check.kind == RK_CHECK_FLOWS &&
            (a->schema->reqs[r].applies_to & a->project->hosts[h].roles))
            return r;
    return SIZE_MAX;
}

/* A flow whose ends share no address family is a finding of the `flows` requirement:
 * on its source host, or on its destination host when the requirement does not apply
 * to the source (an endpoint, or a role it does not cover). The warning names it too. */
static void add_family_findings(rk_assessment *a, size_t *cap)
{
    for (size_t i = 0; i < a->nflows; i++) {
        const rk_flow *f = &a->flows[i];
        if (f->src_family) continue;
        size_t req = flows_req(a, f->from_host);
        size_t host = f->from_host;
        if (req == SIZE_MAX) {
            req = flows_req(a, f->to_host);
            host = f->to_host;
        }
        if (req == SIZE_MAX) continue;
        if (a->nfindings == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            a->findings = rk_xrealloc(a->findings, *cap * sizeof(rk_finding));
        }
        rk_finding *x = &a->findings[a->nfindings++];
        memset(x, 0, sizeof(*x));
        x->host = host;
        x->req = req;
        x->flow = (int)i;
        x->why.result = RK_R_FAIL;
        x->why.reason = RK_RS_NO_COMMON_FAMILY;
        x->status = x->original = status_of(&a->schema->reqs[req], RK_R_FAIL);
    }
}

void rk_eval_all(rk_assessment *a)
{
    rk_findings_free(a);
    size_t cap = 0;
    flows_from ff;
    flows_from_build(a, &ff);
    rk_progress_stage("evaluating", a->project->nhosts, "hosts");
    for (size_t h = 0; h < a->project->nhosts; h++) {
        eval_host(a, h, &ff, &cap);
        rk_progress_step(h + 1);
    }
    flows_from_free(&ff);
    add_family_findings(a, &cap);
    warn_unset_params(a);
}

/* ---- verdicts ------------------------------------------------------------------------------- */

rk_verdict rk_verdict_of(const rk_assessment *a, const rk_finding *f, size_t n)
{
    int fail = 0, incomplete = 0, exceptions = 0;
    for (size_t i = 0; i < n; i++) {
        int required = a->schema->reqs[f[i].req].severity == RK_SEV_REQUIRED;
        switch (f[i].status) {
        case RK_ST_FAIL: fail = 1; break;
        case RK_ST_UNKNOWN:
        case RK_ST_MANUAL:
            if (required) incomplete = 1;
            break;
        case RK_ST_WARN:
        case RK_ST_WAIVED: exceptions = 1; break;
        default: break;
        }
    }
    if (fail) return RK_V_NOT_READY;
    if (incomplete) return RK_V_INCOMPLETE;
    if (exceptions) return RK_V_EXCEPTIONS;
    return RK_V_READY;
}

void rk_eval_verdicts(rk_assessment *a)
{
    size_t nh = a->project->nhosts;
    free(a->host_verdicts);
    a->host_verdicts = rk_xcalloc(nh ? nh : 1, sizeof(rk_verdict));
    for (size_t h = 0; h < nh; h++) a->host_verdicts[h] = RK_V_READY;
    /* one pass; a verdict only moves towards not-ready (the enum is in that order) */
    for (size_t i = 0; i < a->nfindings; i++) {
        size_t h = a->findings[i].host;
        if (h >= nh) continue;
        rk_verdict v = rk_verdict_of(a, &a->findings[i], 1);
        if (v < a->host_verdicts[h]) a->host_verdicts[h] = v;
    }
    a->verdict = rk_verdict_of(a, a->findings, a->nfindings);
}
