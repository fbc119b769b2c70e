/* when.c - decides `when` over the project's parameters and scenarios (Kleene logic). */
#include "when.h"

#include <strings.h>

static int pvalue_equal(const rk_parameter *p, const rk_pvalue *v, const rk_pvalue *x)
{
    switch (p->type) {
    case RK_PT_INTEGER:
    case RK_PT_NUMBER: return v->number == x->number;
    case RK_PT_BOOLEAN: return v->boolean == x->boolean;
    case RK_PT_STRING: return strcasecmp(v->string, x->string) == 0;
    default:
        for (size_t i = 0; i < v->nlist; i++)
            if (!strcasecmp(v->list[i], x->string)) return 1;
        return 0;
    }
}

static rk_tri condition(const rk_schema *s, const rk_project *p, const rk_condition *c)
{
    const rk_pvalue *v = &p->params[c->param];
    if (!v->set) return RK_UNDECIDED;
    const rk_parameter *par = &s->params[c->param];
    double n = v->number;
    switch (c->op) {
    case RK_OP_ABOVE: return n > c->number ? RK_TRUE : RK_FALSE;
    case RK_OP_AT_LEAST: return n >= c->number ? RK_TRUE : RK_FALSE;
    case RK_OP_BELOW: return n < c->number ? RK_TRUE : RK_FALSE;
    case RK_OP_AT_MOST: return n <= c->number ? RK_TRUE : RK_FALSE;
    default:
        for (size_t i = 0; i < c->nvalues; i++)
            if (pvalue_equal(par, v, &c->values[i])) return RK_TRUE;
        return RK_FALSE;
    }
}

static void note_undecided(size_t param, size_t *out, size_t max, size_t *n)
{
    for (size_t i = 0; i < *n && i < max; i++)
        if (out[i] == param) return;
    if (*n < max) out[*n] = param;
    (*n)++;
}

/* Kleene logic over a list: all (and) or any (or). */
static rk_tri conditions(const rk_schema *s, const rk_project *p, const rk_condition *c, size_t nc,
                         int any, size_t *und, size_t max, size_t *n)
{
    rk_tri acc = any ? RK_FALSE : RK_TRUE;
    for (size_t i = 0; i < nc; i++) {
        rk_tri t = condition(s, p, &c[i]);
        if (t == RK_UNDECIDED) note_undecided(c[i].param, und, max, n);
        if (any && t == RK_TRUE) return RK_TRUE;
        if (!any && t == RK_FALSE) return RK_FALSE;
        if (t == RK_UNDECIDED) acc = RK_UNDECIDED;
    }
    return acc;
}

rk_tri rk_when_eval(const rk_schema *s, const rk_project *p, const rk_when *w, size_t *undecided,
                    size_t max, size_t *n)
{
    *n = 0;
    if (!w->present) return RK_TRUE;
    if (w->scenarios && !(w->scenarios & p->scenarios)) return RK_FALSE;
    size_t und[64], nund = 0;
    rk_tri all = w->nall ? conditions(s, p, w->all, w->nall, 0, und, 64, &nund) : RK_TRUE;
    if (all == RK_FALSE) return RK_FALSE;
    rk_tri any = w->nany ? conditions(s, p, w->any, w->nany, 1, und, 64, &nund) : RK_TRUE;
    if (any == RK_FALSE) return RK_FALSE;
    if (all == RK_TRUE && any == RK_TRUE) return RK_TRUE;
    for (size_t i = 0; i < nund && i < 64; i++) note_undecided(und[i], undecided, max, n);
    return RK_UNDECIDED;
}

