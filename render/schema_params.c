/* schema_params.c - a schema's declared parameters, parameter values (defaults, the
 * project's, condition operands) and `when` conditions. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema_load.h"

static const char *const TYPES[] = {"integer", "number", "boolean", "string", "list", NULL};

const char *rk_param_type_str(rk_param_type t)
{
    return (unsigned)t < 5 ? TYPES[t] : "?";
}

void rk_pvalue_free(rk_pvalue *v)
{
    if (!v) return;
    free(v->string);
    rk_strv_free(v->list, v->nlist);
    memset(v, 0, sizeof(*v));
}

void rk_param_free(rk_parameter *p)
{
    free(p->id);
    free(p->title);
    free(p->description);
    rk_strv_free(p->values, p->nvalues);
    rk_pvalue_free(&p->def);
}

void rk_when_free(rk_when *w)
{
    rk_condition *sets[2] = {w->all, w->any};
    size_t counts[2] = {w->nall, w->nany};
    for (int s = 0; s < 2; s++) {
        for (size_t i = 0; i < counts[s]; i++) {
            for (size_t k = 0; k < sets[s][i].nvalues; k++) rk_pvalue_free(&sets[s][i].values[k]);
            free(sets[s][i].values);
        }
        free(sets[s]);
    }
    memset(w, 0, sizeof(*w));
}

/* ---- values ------------------------------------------------------------------------ */

static const char *type_words(rk_param_type t)
{
    switch (t) {
    case RK_PT_INTEGER:
        return "a whole number";
    case RK_PT_NUMBER:
        return "a number";
    case RK_PT_BOOLEAN:
        return "true or false";
    case RK_PT_STRING:
        return "a string";
    default:
        return "a list of strings";
    }
}

static void allowed_list(const rk_parameter *p, rk_buf *b)
{
    for (size_t i = 0; i < p->nvalues; i++) rk_buf_printf(b, "%s%s", i ? ", " : "", p->values[i]);
}

static rk_err check_allowed(const char *file, const rk_node *n, const rk_parameter *p,
                            const char *v, rk_diag *d)
{
    if (!p->nvalues) return RK_OK;
    for (size_t i = 0; i < p->nvalues; i++)
        if (!strcasecmp(p->values[i], v)) return RK_OK;
    rk_buf b = {0};
    allowed_list(p, &b);
    rk_diag_set(d, file, n->line, n->col, "'%s' is '%s', a value not allowed; expected one of: %s",
                p->id, v, b.data);
    rk_buf_free(&b);
    return RK_INPUT;
}

/* 1 when s is a decimal number as people write one: digits, an optional sign, and for a
 * non-integer a fraction and exponent; never hex, "inf" or "nan" (which strtod takes). */
static int decimal(const char *s, int integer)
{
    if (*s == '+' || *s == '-') s++;
    size_t digits = strspn(s, "0123456789");
    if (integer) return digits && !s[digits];
    if (!digits && *s != '.') return 0;
    s += digits;
    if (*s == '.') s += 1 + strspn(s + 1, "0123456789");
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-') s++;
        if (!isdigit((unsigned char)*s)) return 0;
        s += strspn(s, "0123456789");
    }
    return !*s;
}

static rk_err number_value(const char *file, const rk_node *n, const rk_parameter *p, double *out,
                           rk_diag *d)
{
    if (n->type != RK_NODE_SCALAR)
        return rk_diag_set(d, file, n->line, n->col, "'%s' is %s; expected %s", p->id,
                           rk_node_kind(n), type_words(p->type));
    const char *s = n->value;
    if (n->quoted)
        return rk_diag_set(d, file, n->line, n->col, "'%s' is a quoted string ('%s'); expected %s",
                           p->id, s, type_words(p->type));
    char *end = NULL;
    double v = decimal(s, p->type == RK_PT_INTEGER) ? strtod(s, &end) : 0;
    if (!end || *end || !isfinite(v) || (p->type == RK_PT_INTEGER && floor(v) != v))
        return rk_diag_set(d, file, n->line, n->col, "'%s' is '%s'; expected %s", p->id, s,
                           type_words(p->type));
    /* beyond 2^53 a double no longer holds every integer: refused rather than altered */
    if (fabs(v) >= 9007199254740992.0)
        return rk_diag_set(d, file, n->line, n->col,
                           "'%s' is %s, beyond what can be read exactly; expected a number from "
                           "-9007199254740991 to 9007199254740991",
                           p->id, s);
    if ((p->has_min && v < p->min) || (p->has_max && v > p->max)) {
        if (p->has_min && p->has_max)
            return rk_diag_set(d, file, n->line, n->col,
                               "'%s' is %s, out of range; expected a value from %.15g to %.15g",
                               p->id, s, p->min, p->max);
        return rk_diag_set(d, file, n->line, n->col, "'%s' is %s, out of range; expected %s %.15g",
                           p->id, s, p->has_min ? "at least" : "at most",
                           p->has_min ? p->min : p->max);
    }
    *out = v;
    return RK_OK;
}

rk_err rk_param_parse(const char *file, const rk_node *n, const rk_parameter *p, rk_pvalue *out,
                      rk_diag *d)
{
    memset(out, 0, sizeof(*out));
    switch (p->type) {
    case RK_PT_INTEGER:
    case RK_PT_NUMBER:
        TRY(number_value(file, n, p, &out->number, d));
        break;
    case RK_PT_BOOLEAN:
        if (n->type != RK_NODE_SCALAR || n->quoted ||
            (strcmp(n->value, "true") && strcmp(n->value, "false")))
            return rk_diag_set(d, file, n->line, n->col, "'%s' is '%s'; expected true or false",
                               p->id, n->type == RK_NODE_SCALAR ? n->value : rk_node_kind(n));
        out->boolean = !strcmp(n->value, "true");
        break;
    case RK_PT_STRING:
        if (n->type != RK_NODE_SCALAR)
            return rk_diag_set(d, file, n->line, n->col, "'%s' is %s; expected a string", p->id,
                               rk_node_kind(n));
        TRY(check_allowed(file, n, p, n->value, d));
        out->string = rk_xstrdup(n->value);
        break;
    case RK_PT_LIST:
        if (n->type != RK_NODE_SEQ)
            return rk_diag_set(d, file, n->line, n->col, "'%s' is %s; expected a list of strings",
                               p->id, rk_node_kind(n));
        out->list = rk_xcalloc(n->count ? n->count : 1, sizeof(char *));
        for (size_t i = 0; i < n->count; i++) {
            const rk_node *it = n->items[i];
            if (it->type != RK_NODE_SCALAR) {
                rk_pvalue_free(out);
                return rk_diag_set(d, file, it->line, it->col,
                                   "an item of '%s' is %s; expected a string", p->id,
                                   rk_node_kind(it));
            }
            if (check_allowed(file, it, p, it->value, d) != RK_OK) {
                rk_pvalue_free(out);
                return RK_INPUT;
            }
            out->list[out->nlist++] = rk_xstrdup(it->value);
        }
        break;
    }
    out->set = 1;
    return RK_OK;
}

/* ---- declarations --------------------------------------------------------------------- */

static rk_err load_type(rk_sctx *c, const rk_node *n, rk_parameter *p)
{
    const char *t = NULL;
    TRY(rk_node_str(c->file, n, "type", 1, &t, c->d));
    for (int i = 0; TYPES[i]; i++)
        if (!strcmp(TYPES[i], t)) {
            p->type = (rk_param_type)i;
            return RK_OK;
        }
    const rk_node *tn = rk_node_get(n, "type");
    return rk_diag_set(c->d, c->file, tn->line, tn->col,
                       "unknown parameter type '%s'; expected integer, number, boolean, string "
                       "or list",
                       t);
}

static rk_err load_bounds(rk_sctx *c, const rk_node *n, rk_parameter *p)
{
    int numeric = p->type == RK_PT_INTEGER || p->type == RK_PT_NUMBER;
    static const char *const keys[] = {"min", "max"};
    for (int i = 0; i < 2; i++) {
        const rk_node *b = rk_node_get(n, keys[i]);
        if (!b) continue;
        if (!numeric)
            return rk_diag_set(c->d, c->file, b->line, b->col,
                               "'%s' applies to integer and number parameters; '%s' is a %s",
                               keys[i], p->id, rk_param_type_str(p->type));
        TRY(rk_sctx_number(c, n, keys[i], i ? &p->max : &p->min));
        *(i ? &p->has_max : &p->has_min) = 1;
    }
    if (p->has_min && p->has_max && p->min > p->max) {
        const rk_node *b = rk_node_get(n, "max");
        return rk_diag_set(c->d, c->file, b->line, b->col, "'max' is below 'min'");
    }
    const rk_node *v = rk_node_get(n, "values");
    if (v && p->type != RK_PT_STRING && p->type != RK_PT_LIST)
        return rk_diag_set(c->d, c->file, v->line, v->col,
                           "'values' applies to string and list parameters; '%s' is a %s", p->id,
                           rk_param_type_str(p->type));
    return rk_sctx_list(c, n, "values", 0, &p->values, &p->nvalues);
}

static rk_err load_param(rk_sctx *c, const rk_node *n, rk_parameter *p)
{
    if (n->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "a parameter is %s; expected {id, type, title, ...}", rk_node_kind(n));
    static const char *const allowed[] = {"id",  "type", "title", "description", "default",
                                          "min", "max",  "values", NULL};
    TRY(rk_node_only_keys(c->file, n, allowed, c->d));
    p->line = n->line;
    TRY(rk_sctx_id(c, n, "id", 'p', &p->id));
    if (!strcmp(p->id, "scenarios")) {
        const rk_node *id = rk_node_get(n, "id");
        return rk_diag_set(c->d, c->file, id->line, id->col,
                           "'scenarios' is reserved for the project's scenario list; expected "
                           "another parameter id");
    }
    TRY(load_type(c, n, p));
    TRY(rk_sctx_dup(c, n, "title", 1, &p->title));
    TRY(rk_sctx_dup(c, n, "description", 0, &p->description));
    TRY(load_bounds(c, n, p));
    const rk_node *def = rk_node_get(n, "default");
    if (def) TRY(rk_param_parse(c->file, def, p, &p->def, c->d));
    return RK_OK;
}

rk_err rk_schema_load_params(rk_sctx *c, const rk_node *root)
{
    const rk_node *seq = NULL;
    TRY(rk_node_seq(c->file, root, "parameters", 0, &seq, c->d));
    if (!seq) return RK_OK;
    rk_schema *s = c->s;
    s->params = rk_xcalloc(seq->count ? seq->count : 1, sizeof(rk_parameter));
    for (size_t i = 0; i < seq->count; i++) {
        s->nparams++;
        TRY(load_param(c, seq->items[i], &s->params[i]));
        for (size_t j = 0; j < i; j++)
            if (!strcmp(s->params[j].id, s->params[i].id))
                return rk_diag_set(c->d, c->file, seq->items[i]->line, seq->items[i]->col,
                                   "duplicate parameter '%s' (first at line %d)", s->params[i].id,
                                   s->params[j].line);
    }
    return RK_OK;
}

/* ---- conditions ------------------------------------------------------------------------ */

static const char *const OPS[] = {"above", "at_least", "below", "at_most", "equals", "in", NULL};

static rk_err cond_param(rk_sctx *c, const rk_node *n, rk_condition *k)
{
    const char *id = NULL;
    TRY(rk_node_str(c->file, n, "parameter", 1, &id, c->d));
    int pi = rk_schema_param(c->s, id);
    if (pi < 0) {
        const rk_node *pn = rk_node_get(n, "parameter");
        rk_buf b = {0};
        for (size_t i = 0; i < c->s->nparams; i++)
            rk_buf_printf(&b, "%s%s", i ? ", " : "", c->s->params[i].id);
        rk_diag_set(c->d, c->file, pn->line, pn->col,
                    "unknown parameter '%s' in a condition; expected a parameter the schema "
                    "declares%s%s",
                    id, b.len ? ": " : " (it declares none)", b.len ? b.data : "");
        rk_buf_free(&b);
        return RK_INPUT;
    }
    k->param = (size_t)pi;
    return RK_OK;
}

static rk_err cond_op(rk_sctx *c, const rk_node *n, const char **word, const rk_node **operand)
{
    *word = NULL;
    for (size_t i = 0; i < n->count; i++) {
        const char *key = n->keys[i]->value;
        if (!strcmp(key, "parameter")) continue;
        int known = 0;
        for (int o = 0; OPS[o]; o++) known |= !strcmp(OPS[o], key);
        if (!known)
            return rk_diag_set(c->d, c->file, n->keys[i]->line, n->keys[i]->col,
                               "unknown condition '%s'; expected one of: above, at_least, below, "
                               "at_most, equals, in",
                               key);
        if (*word)
            return rk_diag_set(c->d, c->file, n->keys[i]->line, n->keys[i]->col,
                               "a condition has one operator; '%s' and '%s' are both given", *word,
                               key);
        *word = key;
        *operand = n->items[i];
    }
    if (!*word)
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "a condition without an operator; expected one of: above, at_least, "
                           "below, at_most, equals, in");
    return RK_OK;
}

static rk_err cond_operand(rk_sctx *c, const rk_node *on, rk_condition *k)
{
    const rk_parameter *p = &c->s->params[k->param];
    if (k->op <= RK_OP_AT_MOST) {
        if (p->type != RK_PT_INTEGER && p->type != RK_PT_NUMBER)
            return rk_diag_set(c->d, c->file, on->line, on->col,
                               "'%s' compares numbers; parameter '%s' is a %s; expected %s", OPS[k->op],
                               p->id, rk_param_type_str(p->type),
                               p->type == RK_PT_BOOLEAN ? "equals" : "equals or in");
        rk_parameter loose = *p; /* a bound may lie outside the parameter's own range */
        loose.has_min = loose.has_max = 0;
        loose.type = RK_PT_NUMBER;
        return number_value(c->file, on, &loose, &k->number, c->d);
    }
    rk_parameter one = *p; /* an operand of a list parameter is one of its strings */
    if (one.type == RK_PT_LIST) one.type = RK_PT_STRING;
    if (k->op == RK_OP_IN && one.type == RK_PT_BOOLEAN)
        return rk_diag_set(c->d, c->file, on->line, on->col,
                           "'in' does not apply to the boolean parameter '%s'; expected equals",
                           p->id);
    if (k->op == RK_OP_IN && on->type != RK_NODE_SEQ)
        return rk_diag_set(c->d, c->file, on->line, on->col, "'in' is %s; expected a list of values",
                           rk_node_kind(on));
    size_t n = k->op == RK_OP_IN ? on->count : 1;
    k->values = rk_xcalloc(n ? n : 1, sizeof(rk_pvalue));
    for (size_t i = 0; i < n; i++) {
        TRY(rk_param_parse(c->file, k->op == RK_OP_IN ? on->items[i] : on, &one, &k->values[i],
                           c->d));
        k->nvalues++;
    }
    return RK_OK;
}

static rk_err load_condition(rk_sctx *c, const rk_node *n, rk_condition *k)
{
    if (n->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "a condition is %s; expected {parameter: ID, above: N} or another "
                           "operator",
                           rk_node_kind(n));
    TRY(cond_param(c, n, k));
    const char *word = NULL;
    const rk_node *operand = NULL; /* set by cond_op on success; NULL for the compiler */
    TRY(cond_op(c, n, &word, &operand));
    for (int o = 0; OPS[o]; o++)
        if (!strcmp(OPS[o], word)) k->op = (rk_cond_op)o;
    return cond_operand(c, operand, k);
}

static rk_err load_conditions(rk_sctx *c, const rk_node *w, const char *key, rk_condition **out,
                              size_t *n)
{
    const rk_node *seq = NULL;
    TRY(rk_node_seq(c->file, w, key, 0, &seq, c->d));
    if (!seq) return RK_OK;
    if (!seq->count)
        return rk_diag_set(c->d, c->file, seq->line, seq->col,
                           "'%s' is an empty list; expected at least one condition", key);
    *out = rk_xcalloc(seq->count, sizeof(rk_condition));
    for (size_t i = 0; i < seq->count; i++) {
        (*n)++;
        TRY(load_condition(c, seq->items[i], &(*out)[i]));
    }
    return RK_OK;
}

rk_err rk_schema_load_when(rk_sctx *c, const rk_node *map, rk_when *w)
{
    const rk_node *n = NULL;
    TRY(rk_node_map(c->file, map, "when", 0, &n, c->d));
    if (!n) return RK_OK;
    w->present = 1;
    static const char *const allowed[] = {"scenarios", "all", "any", NULL};
    TRY(rk_node_only_keys(c->file, n, allowed, c->d));
    const rk_node *sc = NULL;
    TRY(rk_node_seq(c->file, n, "scenarios", 0, &sc, c->d));
    for (size_t i = 0; sc && i < sc->count; i++) {
        const rk_node *it = sc->items[i];
        int si = it->type == RK_NODE_SCALAR ? rk_schema_scenario(c->s, it->value) : -1;
        if (si < 0)
            return rk_diag_set(c->d, c->file, it->line, it->col,
                               "unknown scenario '%s'; expected a scenario the schema declares",
                               it->type == RK_NODE_SCALAR ? it->value : "?");
        w->scenarios |= 1u << si;
    }
    TRY(load_conditions(c, n, "all", &w->all, &w->nall));
    TRY(load_conditions(c, n, "any", &w->any, &w->nany));
    return RK_OK;
}
