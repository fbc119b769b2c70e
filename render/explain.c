/* explain.c - the words of findings: the expected value, the actual value as collected
 * and the sentence saying why, in the document's language (templates `eval.*`,
 * `value.*`, `number.*`). Evaluation decided; this only words it. */
#include "explain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "flows.h"
#include "util.h"

typedef struct wctx {
    const rk_assessment *a;
    rk_tmpl *t;
} wctx;

static const char *T(const wctx *c, const char *key) { return rk_tmpl_get(c->t, key); }

/* ---- numbers and values ------------------------------------------------------------------ */

/* printf output with the language's decimal separator (number.decimal) */
static void put_number(const wctx *c, rk_buf *b, const char *fmt, double v)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, fmt, v);
    const char *sep = T(c, "number.decimal");
    for (const char *p = tmp; *p; p++) {
        if (*p == '.') rk_buf_puts(b, sep);
        else rk_buf_putc(b, *p);
    }
}

static void put_bytes_iec(const wctx *c, rk_buf *b, double v)
{
    static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int u = 0;
    while (v >= 1024 && u < 5) v /= 1024, u++;
    put_number(c, b, u == 0 || v >= 100 ? "%.0f" : "%.1f", v);
    rk_buf_printf(b, " %s", units[u]);
}

void rk_explain_number(const rk_assessment *a, rk_tmpl *t, double v, rk_value_format f, int limit,
                       rk_buf *b)
{
    wctx c = {a, t};
    switch (f) {
    case RK_FMT_BYTES:
        if (limit && v >= 1e8 && fmod(v, 1e8) == 0) { /* "8 GB", as requirements state it */
            put_number(&c, b, "%g", v / 1e9);
            rk_buf_puts(b, " GB");
        } else if (!limit && v >= 1e9) { /* "8.59 GB (8.0 GiB)": both units people use */
            put_number(&c, b, "%.2f", v / 1e9);
            rk_buf_puts(b, " GB (");
            put_bytes_iec(&c, b, v);
            rk_buf_putc(b, ')');
        } else {
            put_bytes_iec(&c, b, v);
        }
        return;
    case RK_FMT_MHZ: /* 1799 MHz is 1.799 GHz, not a rounded 1.80 */
        put_number(&c, b, "%.4g", v / 1000.0);
        rk_buf_puts(b, " GHz");
        return;
    case RK_FMT_DWORD:
        if (v >= 0 && v <= 4294967295.0)
            rk_buf_printf(b, "%.0f (0x%08lx)", v, (unsigned long)v);
        else
            put_number(&c, b, "%.15g", v);
        return;
    default:
        put_number(&c, b, "%.15g", v);
    }
}

void rk_explain_value(const rk_assessment *a, rk_tmpl *t, const cJSON *j, rk_value_format f,
                      rk_buf *b)
{
    wctx c = {a, t};
    if (!j) return rk_buf_puts(b, T(&c, "value.not_collected"));
    if (cJSON_IsNull(j)) return rk_buf_puts(b, T(&c, "value.not_present"));
    if (cJSON_IsNumber(j)) return rk_explain_number(a, t, j->valuedouble, f, 0, b);
    if (cJSON_IsString(j)) return rk_buf_puts(b, j->valuestring[0] ? j->valuestring : T(&c, "value.empty"));
    if (cJSON_IsBool(j)) return rk_buf_puts(b, T(&c, cJSON_IsTrue(j) ? "value.yes" : "value.no"));
    if (cJSON_IsArray(j)) {
        if (!j->child) rk_buf_puts(b, T(&c, "value.none"));
        for (const cJSON *e = j->child; e; e = e->next) {
            if (e != j->child) rk_buf_puts(b, cJSON_IsObject(e) ? "; " : ", ");
            rk_explain_value(a, t, e, f, b);
        }
        return;
    }
    /* an object: its scalar members as "name value" */
    int first = 1;
    for (const cJSON *m = j->child; m; m = m->next) {
        if (cJSON_IsObject(m) || cJSON_IsArray(m)) continue;
        rk_buf_printf(b, "%s%s ", first ? "" : ", ", m->string ? m->string : "");
        rk_explain_value(a, t, m, f, b);
        first = 0;
    }
    if (first) rk_buf_puts(b, T(&c, "value.present"));
}

static rk_value_format fmt_of(const rk_outcome *o)
{
    return o->check ? o->check->format : RK_FMT_PLAIN;
}

static char *value_text(const wctx *c, const cJSON *j, rk_value_format f)
{
    rk_buf b = {0};
    rk_explain_value(c->a, c->t, j, f, &b);
    return rk_buf_take(&b);
}

/* ---- the actual value ------------------------------------------------------------------------ */

/* Appends the "; "-separated parts of list to acc, skipping parts acc already has, so a
 * fact several sub-checks read is shown once. */
static void append_unique(rk_buf *acc, const char *list)
{
    const char *p = list;
    while (*p) {
        const char *end = strstr(p, "; ");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        int seen = 0;
        for (const char *q = acc->data; q && *q && !seen;) {
            const char *qe = strstr(q, "; ");
            size_t qn = qe ? (size_t)(qe - q) : strlen(q);
            if (qn == n && strncmp(q, p, n) == 0) seen = 1;
            q = qe ? qe + 2 : q + qn;
        }
        if (!seen && n) {
            if (acc->len) rk_buf_puts(acc, "; ");
            rk_buf_add(acc, p, n);
        }
        p = end ? end + 2 : p + n;
    }
}

static void actual(const wctx *c, const rk_outcome *o, rk_buf *b);

static void flag_actual(const wctx *c, const rk_outcome *o, rk_buf *b)
{
    const rk_check *k = o->check;
    const cJSON *j = o->value;
    if (cJSON_IsNull(j)) {
        if (k->null_means < 0) return rk_buf_puts(b, T(c, "value.not_set"));
        char *s = rk_tmpl_fmt(c->t, "value.flag_not_set", "state",
                              T(c, k->null_means ? "value.on" : "value.off"), NULL);
        rk_buf_puts(b, s);
        free(s);
        return;
    }
    rk_explain_value(c->a, c->t, j, k->format, b);
    if (cJSON_IsNumber(j)) {
        int on = k->on_one ? j->valuedouble == 1 : j->valuedouble != 0;
        rk_buf_printf(b, ", %s", T(c, on ? "value.on" : "value.off"));
    }
}

static void elements_actual(const wctx *c, const rk_outcome *o, rk_buf *b)
{
    if (!o->nsubs) return rk_buf_puts(b, T(c, "value.none"));
    for (size_t i = 0; i < o->nsubs; i++) {
        rk_buf sub = {0};
        actual(c, &o->subs[i], &sub);
        if (b->len) rk_buf_puts(b, "; ");
        if (o->subs[i].label) rk_buf_printf(b, "%s: ", o->subs[i].label);
        if (sub.data) rk_buf_puts(b, sub.data);
        rk_buf_free(&sub);
    }
}

static void counts_actual(const wctx *c, const rk_outcome *o, rk_buf *b, const char *key)
{
    char n[32], m[32];
    snprintf(n, sizeof n, "%zu", o->count);
    snprintf(m, sizeof m, "%zu", o->total);
    char *s = rk_tmpl_fmt(c->t, key, "count", n, "total", m, NULL);
    rk_buf_puts(b, s);
    free(s);
}

void rk_roles_titles(const rk_schema *s, uint32_t mask, rk_buf *b)
{
    for (size_t i = 0; i < s->nroles; i++)
        if (mask & (1u << i)) rk_buf_printf(b, "%s%s", b->len ? ", " : "", s->roles[i].title);
}

static void actual(const wctx *c, const rk_outcome *o, rk_buf *b)
{
    const rk_check *k = o->check;
    switch (o->reason) {
    case RK_RS_NO_FACT_FILE: return rk_buf_puts(b, T(c, "value.no_fact_file"));
    case RK_RS_NOT_COLLECTED:
    case RK_RS_COLLECT_ERROR: return rk_buf_puts(b, T(c, "value.not_collected"));
    case RK_RS_NOT_APPLICABLE:
    case RK_RS_PARAMETER_NOT_SET:
    case RK_RS_MANUAL: return;
    case RK_RS_ROLE_CONFLICT: {
        rk_buf r = {0};
        rk_roles_titles(c->a->schema, o->roles, &r);
        char *s = rk_tmpl_fmt(c->t, "value.also_holds", "roles", r.data, NULL);
        rk_buf_puts(b, s);
        free(s);
        rk_buf_free(&r);
        return;
    }
    case RK_RS_FLOWS_BLOCKED: return counts_actual(c, o, b, "value.flows_blocked");
    case RK_RS_FLOWS_INCOMPLETE: return counts_actual(c, o, b, "value.flows_incomplete");
    case RK_RS_NOT_PROBED: return rk_buf_puts(b, T(c, "value.not_probed"));
    default: break;
    }
    if (!k) return;
    switch (k->kind) {
    case RK_CHECK_FLAG: return flag_actual(c, o, b);
    case RK_CHECK_NOT_ROLE: return rk_buf_puts(b, T(c, "value.no_conflict"));
    case RK_CHECK_FLOWS: return counts_actual(c, o, b, "value.flows_open");
    case RK_CHECK_ANY:
    case RK_CHECK_ALL:
        if (cJSON_IsArray(o->value)) return elements_actual(c, o, b);
        break;
    case RK_CHECK_ANY_OF:
    case RK_CHECK_ALL_OF:
    case RK_CHECK_NOT:
        for (size_t i = 0; i < o->nsubs; i++) {
            rk_buf sub = {0};
            actual(c, &o->subs[i], &sub);
            if (sub.len) append_unique(b, sub.data);
            rk_buf_free(&sub);
        }
        return;
    default: break;
    }
    if (o->value || o->fact) rk_explain_value(c->a, c->t, o->value, fmt_of(o), b);
}

/* ---- the sentence ------------------------------------------------------------------------------ */

static char *message(const wctx *c, const rk_outcome *o);

static char *fmt1(const wctx *c, const char *key, const char *n1, const char *v1)
{
    return rk_tmpl_fmt(c->t, key, n1, v1, NULL);
}

/* The messages of the subs that came out as `which`, each once; list elements
 * labelled with their name. */
static char *joined_subs(const wctx *c, const rk_outcome *o, rk_result which, int labels)
{
    rk_buf b = {0};
    for (size_t i = 0; i < o->nsubs; i++) {
        if (o->subs[i].result != which) continue;
        char *m = message(c, &o->subs[i]);
        if (labels && o->subs[i].label) {
            if (b.len) rk_buf_puts(&b, "; ");
            rk_buf_printf(&b, "%s: %s", o->subs[i].label, m);
        } else {
            append_unique(&b, m);
        }
        free(m);
    }
    return b.data ? rk_buf_take(&b) : rk_xstrdup("");
}

/* The leading number of a formatted value ("8.00" of "8.00 GB (7.5 GiB)"). */
static size_t number_part(const char *s)
{
    size_t n = 0;
    while (s[n] && s[n] != ' ') n++;
    return n;
}

static char *limit_message(const wctx *c, const rk_outcome *o)
{
    rk_buf v = {0}, l = {0};
    rk_explain_value(c->a, c->t, o->value, fmt_of(o), &v);
    rk_explain_number(c->a, c->t, o->limit, fmt_of(o), 1, &l);
    /* "8.00 GB is below 8 GB": rounding hid the difference, so say it exactly */
    char *end;
    double shown = strtod(v.data, &end), limit = strtod(l.data, NULL);
    if (fmt_of(o) == RK_FMT_BYTES && (shown == limit || strstr(v.data, l.data)) &&
        number_part(v.data) && cJSON_IsNumber(o->value)) {
        rk_buf_free(&v);
        put_number(c, &v, "%.0f", o->value->valuedouble);
        rk_buf_puts(&v, " bytes");
        rk_buf_free(&l);
        put_number(c, &l, "%.0f", o->limit);
        rk_buf_puts(&l, " bytes");
    }
    char *s = rk_tmpl_fmt(c->t, o->reason == RK_RS_BELOW ? "eval.below" : "eval.above", "actual",
                          v.data, "limit", l.data, NULL);
    rk_buf_free(&v);
    rk_buf_free(&l);
    return s;
}

static char *not_equal(const wctx *c, const rk_outcome *o)
{
    const rk_check *k = o->check;
    char *v = value_text(c, o->value, fmt_of(o)), *s;
    if (k->value_type == RK_VT_STRING) {
        s = rk_tmpl_fmt(c->t, "eval.not_equal", "actual", v, "expected", k->string, NULL);
    } else if (k->value_type == RK_VT_BOOL) {
        s = rk_tmpl_fmt(c->t, "eval.not_equal_bool", "actual", v, "expected",
                        T(c, k->boolean ? "value.yes" : "value.no"), NULL);
    } else {
        rk_buf n = {0};
        rk_explain_number(c->a, c->t, k->number, fmt_of(o), 1, &n);
        s = rk_tmpl_fmt(c->t, "eval.not_equal", "actual", v, "expected", n.data, NULL);
        rk_buf_free(&n);
    }
    free(v);
    return s;
}

static char *flag_wrong(const wctx *c, const rk_outcome *o)
{
    const rk_check *k = o->check;
    int on = !k->expect_on;
    return rk_tmpl_fmt(c->t, "eval.flag_wrong", "state", T(c, on ? "value.on" : "value.off"),
                       "expected", T(c, k->expect_on ? "value.on" : "value.off"), NULL);
}

static char *version_message(const wctx *c, const rk_outcome *o)
{
    const char *v = cJSON_IsString(o->value) ? o->value->valuestring : "";
    if (o->reason == RK_RS_VERSION_UNSUPPORTED) return fmt1(c, "eval.version_unsupported", "actual", v);
    if (o->branch)
        return rk_tmpl_fmt(c->t, "eval.version_below_branch", "actual", v, "branch", o->branch->name,
                           "min", o->branch->min, NULL);
    return rk_tmpl_fmt(c->t, "eval.version_below", "actual", v, "min", o->check->string, NULL);
}

static char *differs(const wctx *c, const rk_outcome *o)
{
    rk_buf b = {0};
    for (size_t i = 0; i < o->nsubs; i++) {
        char *v = value_text(c, o->subs[i].value, RK_FMT_PLAIN);
        char *s = rk_tmpl_fmt(c->t, "eval.differs", "host", o->subs[i].label, "value", v, NULL);
        rk_buf_printf(&b, "%s%s", b.len ? ", " : "", s);
        free(s);
        free(v);
    }
    return rk_buf_take(&b);
}

/* The undecided leaf that made a combination (list elements, sub-checks) undecided. */
static const rk_outcome *first_unknown(const rk_outcome *o)
{
    if (o->reason == RK_RS_PARAMETER_NOT_SET) return o;
    for (size_t i = 0; i < o->nsubs; i++)
        if (o->subs[i].result == RK_R_UNKNOWN) return first_unknown(&o->subs[i]);
    return o;
}

static char *parameters_message(const wctx *c, const rk_outcome *o)
{
    rk_buf names = {0}, keys = {0};
    for (size_t i = 0; i < o->nsubs; i++) {
        rk_buf_printf(&names, "%s%s", i ? ", " : "", o->subs[i].label);
        rk_buf_printf(&keys, "%sparameters.%s", i ? ", " : "", o->subs[i].label);
    }
    char *s = rk_tmpl_fmt(c->t, "eval.parameter_not_set", "parameters", names.data, "keys",
                          keys.data, NULL);
    rk_buf_free(&names);
    rk_buf_free(&keys);
    return s;
}

static char *unknown_message(const wctx *c, const rk_outcome *o)
{
    o = first_unknown(o);
    char *v = NULL, *s = NULL;
    switch (o->reason) {
    case RK_RS_COLLECT_ERROR:
        return rk_tmpl_fmt(c->t, "eval.collect_error", "fact", o->fact, "error", o->detail, NULL);
    case RK_RS_WRONG_TYPE: {
        char key[64];
        snprintf(key, sizeof key, "value.a_%s", o->detail ? o->detail : "value");
        v = value_text(c, o->value, fmt_of(o));
        s = rk_tmpl_fmt(c->t, "eval.wrong_type", "actual", v, "expected", T(c, key), NULL);
        free(v);
        return s;
    }
    case RK_RS_NO_ROLE_HOLDER: return fmt1(c, "eval.no_role_holder", "role", o->label);
    case RK_RS_OTHER_NOT_COLLECTED: return fmt1(c, "eval.other_not_collected", "role", o->label);
    case RK_RS_PARAMETER_NOT_SET: return parameters_message(c, o);
    case RK_RS_FLOWS_INCOMPLETE: {
        rk_buf b = {0};
        counts_actual(c, o, &b, "eval.flows_incomplete");
        return rk_buf_take(&b);
    }
    case RK_RS_MANUAL: return rk_xstrdup(T(c, "eval.manual"));
    case RK_RS_ELEMENTS:
        return rk_xstrdup(T(c, "eval.elements_undecided"));
    default: return rk_xstrdup(T(c, "eval.not_collected"));
    }
}

static char *fail_message(const wctx *c, const rk_outcome *o)
{
    switch (o->reason) {
    case RK_RS_NOT_PRESENT:
        if (o->check && o->check->kind == RK_CHECK_VERSION) return rk_xstrdup(T(c, "eval.not_installed"));
        if (o->check && o->check->kind == RK_CHECK_FLAG) return rk_xstrdup(T(c, "eval.not_set"));
        return rk_xstrdup(T(c, "eval.not_present"));
    case RK_RS_BELOW:
    case RK_RS_ABOVE: return limit_message(c, o);
    case RK_RS_NOT_EQUAL: return not_equal(c, o);
    case RK_RS_FLAG_WRONG: return flag_wrong(c, o);
    case RK_RS_NO_MATCH:
        return fmt1(c, "eval.no_match", "actual", cJSON_IsString(o->value) ? o->value->valuestring : "");
    case RK_RS_WRONG_TYPE: return rk_xstrdup(T(c, o->detail && !strcmp(o->detail, "list") ? "eval.not_a_list" : "eval.not_text"));
    case RK_RS_VERSION_BELOW:
    case RK_RS_VERSION_UNSUPPORTED: return version_message(c, o);
    case RK_RS_NONE_MATCHING: return rk_xstrdup(T(c, "eval.none_matching"));
    case RK_RS_PRESENT: {
        char *v = value_text(c, o->value, fmt_of(o));
        char *s = fmt1(c, "eval.present", "actual", v);
        free(v);
        return s;
    }
    case RK_RS_EMPTY: return rk_xstrdup(T(c, "eval.empty"));
    case RK_RS_ELEMENTS: return joined_subs(c, o, RK_R_FAIL, 1);
    case RK_RS_COMBINED: return joined_subs(c, o, RK_R_FAIL, 0);
    case RK_RS_NEGATED: {
        rk_buf v = {0};
        actual(c, o, &v);
        char *s = fmt1(c, "eval.negated", "actual", v.data ? v.data : "");
        rk_buf_free(&v);
        return s;
    }
    case RK_RS_DIFFERS: return differs(c, o);
    case RK_RS_ROLE_CONFLICT: {
        rk_buf r = {0};
        rk_roles_titles(c->a->schema, o->roles, &r);
        char *s = fmt1(c, "eval.role_conflict", "roles", r.data);
        rk_buf_free(&r);
        return s;
    }
    case RK_RS_FLOWS_BLOCKED: {
        rk_buf b = {0};
        counts_actual(c, o, &b, "eval.flows_blocked");
        return rk_buf_take(&b);
    }
    default: return rk_xstrdup(T(c, "eval.not_met"));
    }
}

static char *message(const wctx *c, const rk_outcome *o)
{
    switch (o->result) {
    case RK_R_PASS: return rk_xstrdup(T(c, "eval.met"));
    case RK_R_NA:
        return rk_xstrdup(T(c, o->reason == RK_RS_NOT_APPLICABLE ? "eval.not_applicable"
                                                                 : "eval.not_applicable_host"));
    case RK_R_UNKNOWN: return unknown_message(c, o);
    default: return fail_message(c, o);
    }
}

/* ---- one blocked flow ---------------------------------------------------------------------------- */

static void flow_words(const wctx *c, rk_finding *x)
{
    const rk_flow *f = &c->a->flows[x->flow];
    const rk_end *to = &c->a->ends[f->to_host];
    rk_buf ports = {0};
    int pr[1][2] = {{f->port_from, f->port_to}};
    rk_flows_ports_str(&ports, (const int(*)[2])pr, 1);
    const char *proto = rk_flows_proto_str(f->protocol);
    if (x->why.reason == RK_RS_NO_COMMON_FAMILY) {
        const rk_end *from = &c->a->ends[f->from_host];
        x->expected = rk_tmpl_fmt(c->t, "eval.flow_expected", "flow", f->id, "protocol", proto,
                                  "ports", ports.data, "to", to->title, NULL);
        x->actual = rk_xstrdup(T(c, "value.no_common_family"));
        x->message = rk_tmpl_fmt(c->t, "eval.no_common_family", "from", from->title,
                                 "from_addresses", *from->address_text ? from->address_text
                                                                       : rk_end_target(from),
                                 "to", to->title, "to_addresses",
                                 *to->address_text ? to->address_text : rk_end_target(to),
                                 "protocol", proto, "ports", ports.data, NULL);
        rk_buf_free(&ports);
        return;
    }
    const char *result = f->probe_result ? f->probe_result : "closed";
    char key[64], ms[32];
    snprintf(key, sizeof key, "fw.state.%s", result);
    x->expected = rk_tmpl_fmt(c->t, "eval.flow_expected", "flow", f->id, "protocol", proto, "ports",
                              ports.data, "to", to->title, NULL);
    snprintf(ms, sizeof ms, "%.0f", f->probe_ms);
    x->actual = rk_tmpl_fmt(c->t, "value.flow_result", "result", T(c, key), "ms", ms, NULL);
    x->message = rk_tmpl_fmt(c->t, "eval.flow_blocked", "from", c->a->ends[f->from_host].title,
                             "to", to->title, "address", rk_end_target(to), "protocol", proto,
                             "ports", ports.data, "result", T(c, key), NULL);
    rk_buf_free(&ports);
}

void rk_explain_findings(rk_assessment *a, rk_tmpl *t)
{
    wctx c = {a, t};
    for (size_t i = 0; i < a->nfindings; i++) {
        rk_finding *x = &a->findings[i];
        free(x->expected);
        free(x->actual);
        free(x->message);
        if (x->flow >= 0 && (size_t)x->flow < a->nflows) {
            flow_words(&c, x);
            continue;
        }
        x->expected = rk_xstrdup(a->schema->reqs[x->req].expected);
        rk_buf b = {0};
        actual(&c, &x->why, &b);
        x->actual = b.data ? rk_buf_take(&b) : rk_xstrdup("");
        x->message = message(&c, &x->why);
    }
}

const char *rk_status_word(rk_tmpl *t, rk_status s)
{
    char key[64];
    snprintf(key, sizeof key, "status.%s", rk_status_str(s));
    return rk_tmpl_get(t, key);
}

const char *rk_verdict_word(rk_tmpl *t, rk_verdict v)
{
    char key[64];
    snprintf(key, sizeof key, "verdict.%s", rk_verdict_str(v));
    return rk_tmpl_get(t, key);
}
