/* eval.c - evaluates every requirement on every host into findings and verdicts. */
#include "assess.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

const char *rk_status_str(rk_status s) { return s < RK_ST_COUNT ? STATUS_NAMES[s] : "?"; }
const char *rk_verdict_str(rk_verdict v) { return v < RK_V_COUNT ? VERDICT_NAMES[v] : "?"; }

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

/* The outcome of one check. */
typedef enum { R_PASS, R_FAIL, R_UNKNOWN, R_NA } result;

typedef struct outcome {
    result r;
    rk_buf actual;  /* the value as collected, formatted */
    rk_buf detail;  /* why it failed, in words */
} outcome;

typedef struct ectx {
    const rk_assessment *a;
    size_t host;
} ectx;

static void fmt_number(const rk_check *k, double v, rk_buf *b);

/* A collected byte count in the units both people and Windows use: "8.59 GB (8.0 GiB)". */
static void fmt_bytes_actual(double v, rk_buf *b)
{
    char tmp[64];
    rk_format_bytes(v, tmp, sizeof tmp);
    if (v >= 1e9)
        rk_buf_printf(b, "%.2f GB (%s)", v / 1e9, tmp);
    else
        rk_buf_puts(b, tmp);
}

static void fmt_number(const rk_check *k, double v, rk_buf *b)
{
    char tmp[64];
    switch (k->format) {
    case RK_FMT_BYTES:
        /* thresholds written in decimal units ("8 GB" = 8e9) read best as such */
        if (v >= 1e8 && fmod(v, 1e8) == 0)
            rk_buf_printf(b, "%g GB", v / 1e9);
        else {
            rk_format_bytes(v, tmp, sizeof tmp);
            rk_buf_puts(b, tmp);
        }
        break;
    case RK_FMT_MHZ:
        rk_buf_printf(b, "%.2f GHz", v / 1000.0);
        break;
    case RK_FMT_DWORD:
        if (v >= 0 && v <= 4294967295.0)
            rk_buf_printf(b, "%.0f (0x%08lx)", v, (unsigned long)v);
        else
            rk_buf_printf(b, "%.15g", v);
        break;
    default:
        rk_buf_printf(b, "%.15g", v);
    }
}

/* Formats any fact value for the "actual" column. */
static void fmt_value(const rk_check *k, const cJSON *j, rk_buf *b)
{
    if (!j) {
        rk_buf_puts(b, "not collected");
    } else if (cJSON_IsNull(j)) {
        rk_buf_puts(b, "not present");
    } else if (cJSON_IsNumber(j)) {
        if (k->format == RK_FMT_BYTES)
            fmt_bytes_actual(j->valuedouble, b);
        else
            fmt_number(k, j->valuedouble, b);
    } else if (cJSON_IsString(j)) {
        rk_buf_puts(b, j->valuestring[0] ? j->valuestring : "(empty)");
    } else if (cJSON_IsBool(j)) {
        rk_buf_puts(b, cJSON_IsTrue(j) ? "yes" : "no");
    } else if (cJSON_IsArray(j)) {
        if (!j->child) rk_buf_puts(b, "none");
        for (const cJSON *c = j->child; c; c = c->next) {
            if (c != j->child) rk_buf_puts(b, ", ");
            fmt_value(k, c, b);
        }
    } else if (cJSON_IsObject(j)) {
        int first = 1;
        for (const cJSON *c = j->child; c; c = c->next) {
            if (cJSON_IsObject(c) || cJSON_IsArray(c)) continue;
            rk_buf_printf(b, "%s%s ", first ? "" : ", ", c->string ? c->string : "");
            fmt_value(k, c, b);
            first = 0;
        }
        if (first) rk_buf_puts(b, "present");
    }
}

static void set_fail(outcome *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_fail(outcome *o, const char *fmt, ...)
{
    o->r = R_FAIL;
    va_list ap;
    va_start(ap, fmt);
    char *s = rk_xvasprintf(fmt, ap);
    va_end(ap);
    rk_buf_free(&o->detail);
    rk_buf_puts(&o->detail, s);
    free(s);
}

static const cJSON *host_facts(const ectx *e, size_t host)
{
    const rk_facts *f = e->a->facts ? e->a->facts[host] : NULL;
    return f ? f->root : NULL;
}

/* A dotted version prefix matches whole components: "15.2" matches "15.2.330.5" but
 * not "15.20.1". */
static int version_has_prefix(const char *v, const char *prefix)
{
    size_t n = strlen(prefix);
    if (n == 0) return 1;
    return strncmp(v, prefix, n) == 0 && (v[n] == '\0' || v[n] == '.');
}

static int valid_version(const char *v)
{
    if (!isdigit((unsigned char)*v)) return 0;
    for (; *v; v++)
        if (!isdigit((unsigned char)*v) && *v != '.') return 0;
    return 1;
}

static void eval_check(const ectx *e, const rk_check *k, const cJSON *base, outcome *o);

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

static int probe_blocked(const char *result)
{
    return !strcmp(result, "closed") || !strcmp(result, "filtered");
}

/* Probed and blocked TCP flows that start at host (probe results a TCP connect cannot
 * give, such as not-verifiable, do not count). */
static void count_probes(const rk_assessment *a, size_t host, size_t *probed, size_t *blocked)
{
    *probed = *blocked = 0;
    for (size_t i = 0; i < a->nflows; i++) {
        const rk_flow *f = &a->flows[i];
        if (f->from_host != host || !f->probe_result || !strcmp(f->probe_result, "not-verifiable")) continue;
        (*probed)++;
        if (probe_blocked(f->probe_result)) (*blocked)++;
    }
}

static void eval_elements(const ectx *e, const rk_check *k, const cJSON *arr, outcome *o)
{
    int any = k->kind == RK_CHECK_ANY;
    int npass = 0, nfail = 0, nunk = 0, n = 0;
    rk_buf fails = {0};
    for (const cJSON *el = arr->child; el; el = el->next, n++) {
        outcome sub = {0};
        eval_check(e, k->sub, el, &sub);
        const cJSON *name = cJSON_IsObject(el) ? cJSON_GetObjectItemCaseSensitive(el, "name") : NULL;
        if (!name && cJSON_IsObject(el)) name = cJSON_GetObjectItemCaseSensitive(el, "path");
        if (o->actual.len) rk_buf_puts(&o->actual, "; ");
        if (cJSON_IsString(name)) rk_buf_printf(&o->actual, "%s: ", name->valuestring);
        rk_buf_puts(&o->actual, sub.actual.data ? sub.actual.data : "");
        if (sub.r == R_PASS || sub.r == R_NA) npass++;
        else if (sub.r == R_FAIL) {
            nfail++;
            if (fails.len) rk_buf_puts(&fails, "; ");
            if (cJSON_IsString(name)) rk_buf_printf(&fails, "%s: ", name->valuestring);
            rk_buf_puts(&fails, sub.detail.data ? sub.detail.data : "");
        } else nunk++;
        rk_buf_free(&sub.actual);
        rk_buf_free(&sub.detail);
    }
    if (n == 0) {
        rk_buf_puts(&o->actual, "none");
        if (k->otherwise == RK_OTHERWISE_PASS) o->r = R_PASS;
        else if (k->otherwise == RK_OTHERWISE_NA) o->r = R_NA;
        else set_fail(o, "none found");
    } else if (any) {
        if (npass) o->r = R_PASS;
        else if (nunk) o->r = R_UNKNOWN;
        else set_fail(o, "%s", fails.data ? fails.data : "no element meets it");
    } else {
        if (nfail) set_fail(o, "%s", fails.data ? fails.data : "an element does not meet it");
        else if (nunk) o->r = R_UNKNOWN;
        else o->r = R_PASS;
    }
    rk_buf_free(&fails);
}

static void eval_check(const ectx *e, const rk_check *k, const cJSON *base, outcome *o)
{
    o->r = R_UNKNOWN;
    const cJSON *j = k->fact ? rk_facts_get(base, k->fact) : NULL;
    int needs_fact = k->fact != NULL;
    if (needs_fact && !base) {
        rk_buf_puts(&o->actual, "not collected (no fact file)");
        return;
    }
    if (needs_fact && !j && k->kind != RK_CHECK_SAME_AS) {
        rk_buf_puts(&o->actual, "not collected");
        return;
    }
    switch (k->kind) {
    case RK_CHECK_MIN:
    case RK_CHECK_MAX: {
        fmt_value(k, j, &o->actual);
        if (cJSON_IsNull(j)) {
            set_fail(o, "not present");
            return;
        }
        if (!cJSON_IsNumber(j)) {
            rk_buf_puts(&o->detail, "not a number");
            return;
        }
        double v = j->valuedouble;
        int ok = k->kind == RK_CHECK_MIN ? v >= k->number : v <= k->number;
        if (ok) {
            o->r = R_PASS;
        } else {
            rk_buf lim = {0};
            fmt_number(k, k->number, &lim);
            set_fail(o, "%s is %s %s", o->actual.data, k->kind == RK_CHECK_MIN ? "below" : "above",
                     lim.data);
            rk_buf_free(&lim);
        }
        return;
    }
    case RK_CHECK_EQUALS: {
        fmt_value(k, j, &o->actual);
        int ok = 0;
        if (k->value_type == 1) ok = cJSON_IsNumber(j) && j->valuedouble == k->number;
        else if (k->value_type == 2) ok = cJSON_IsString(j) && strcasecmp(j->valuestring, k->string) == 0;
        else if (k->value_type == 3) ok = cJSON_IsBool(j) && (cJSON_IsTrue(j) ? 1 : 0) == k->boolean;
        if (ok) o->r = R_PASS;
        else if (k->value_type == 2) set_fail(o, "%s is not %s", o->actual.data, k->string);
        else if (k->value_type == 3) set_fail(o, "%s, expected %s", o->actual.data, k->boolean ? "yes" : "no");
        else set_fail(o, "%s is not %.15g", o->actual.data, k->number);
        return;
    }
    case RK_CHECK_FLAG: {
        int on;
        if (cJSON_IsNull(j)) {
            if (k->null_means < 0) {
                rk_buf_puts(&o->actual, "value not set");
                set_fail(o, "the value is not set");
                return;
            }
            on = k->null_means;
            rk_buf_printf(&o->actual, "not set (Windows treats it as %s)", on ? "on" : "off");
        } else if (cJSON_IsNumber(j)) {
            on = j->valuedouble != 0; /* any non-zero DWORD is on, as Windows reads it */
            fmt_value(k, j, &o->actual);
            rk_buf_printf(&o->actual, ", %s", on ? "on" : "off");
        } else if (cJSON_IsBool(j)) {
            on = cJSON_IsTrue(j);
            rk_buf_puts(&o->actual, on ? "on" : "off");
        } else {
            fmt_value(k, j, &o->actual);
            rk_buf_puts(&o->detail, "not a registry DWORD");
            return;
        }
        if (on == k->expect_on) o->r = R_PASS;
        else set_fail(o, "%s, expected %s", on ? "on" : "off", k->expect_on ? "on" : "off");
        return;
    }
    case RK_CHECK_MATCH: {
        fmt_value(k, j, &o->actual);
        if (!cJSON_IsString(j)) {
            set_fail(o, "%s", cJSON_IsNull(j) ? "not present" : "not text");
            return;
        }
        for (size_t i = 0; i < k->npatterns; i++)
            if (rk_glob(k->patterns[i], j->valuestring, 1)) {
                o->r = R_PASS;
                return;
            }
        set_fail(o, "%s is not one of the supported values", j->valuestring);
        return;
    }
    case RK_CHECK_VERSION: {
        fmt_value(k, j, &o->actual);
        if (cJSON_IsNull(j)) {
            set_fail(o, "not installed");
            return;
        }
        if (!cJSON_IsString(j) || !valid_version(j->valuestring)) {
            rk_buf_puts(&o->detail, "not a dotted version number");
            return;
        }
        const char *v = j->valuestring;
        if (!k->nbranches) {
            if (rk_version_cmp(v, k->string) >= 0) o->r = R_PASS;
            else set_fail(o, "%s is below %s", v, k->string);
            return;
        }
        for (size_t i = 0; i < k->nbranches; i++) {
            const rk_version_branch *b = &k->branches[i];
            if (!version_has_prefix(v, b->prefix)) continue;
            if (rk_version_cmp(v, b->min) >= 0) {
                o->r = R_PASS;
            } else {
                set_fail(o, "%s is below %s (%s)", v, b->name, b->min);
            }
            return;
        }
        if (k->otherwise == RK_OTHERWISE_PASS) o->r = R_PASS;
        else if (k->otherwise == RK_OTHERWISE_NA) o->r = R_NA;
        else set_fail(o, "%s is not a supported version", v);
        return;
    }
    case RK_CHECK_CONTAINS: {
        fmt_value(k, j, &o->actual);
        if (!cJSON_IsArray(j)) {
            set_fail(o, "%s", cJSON_IsNull(j) ? "not present" : "not a list");
            return;
        }
        for (const cJSON *c = j->child; c; c = c->next)
            for (size_t i = 0; cJSON_IsString(c) && i < k->npatterns; i++)
                if (rk_glob(k->patterns[i], c->valuestring, 1)) {
                    o->r = R_PASS;
                    rk_buf_free(&o->actual);
                    rk_buf_puts(&o->actual, c->valuestring);
                    return;
                }
        set_fail(o, "none of the listed values matches");
        return;
    }
    case RK_CHECK_ABSENT:
        fmt_value(k, j, &o->actual);
        if (cJSON_IsNull(j)) o->r = R_PASS;
        else set_fail(o, "present: %s", o->actual.data);
        return;
    case RK_CHECK_PRESENT:
        fmt_value(k, j, &o->actual);
        if (!cJSON_IsNull(j) && !(cJSON_IsString(j) && !j->valuestring[0])) o->r = R_PASS;
        else set_fail(o, "not present");
        return;
    case RK_CHECK_ANY:
    case RK_CHECK_ALL:
        if (cJSON_IsNull(j)) {
            rk_buf_puts(&o->actual, "none");
            if (k->otherwise == RK_OTHERWISE_PASS) o->r = R_PASS;
            else if (k->otherwise == RK_OTHERWISE_NA) o->r = R_NA;
            else set_fail(o, "none found");
            return;
        }
        if (!cJSON_IsArray(j)) {
            fmt_value(k, j, &o->actual);
            rk_buf_puts(&o->detail, "not a list");
            return;
        }
        eval_elements(e, k, j, o);
        return;
    case RK_CHECK_ANY_OF:
    case RK_CHECK_ALL_OF: {
        int any = k->kind == RK_CHECK_ANY_OF;
        int npass = 0, nfail = 0, nunk = 0, nna = 0;
        for (size_t i = 0; i < k->nchecks; i++) {
            outcome sub = {0};
            eval_check(e, &k->checks[i], base, &sub);
            if (sub.actual.len) append_unique(&o->actual, sub.actual.data);
            if (sub.r == R_PASS) npass++;
            else if (sub.r == R_NA) nna++;
            else if (sub.r == R_FAIL) {
                nfail++;
                if (sub.detail.len) {
                    if (o->detail.len) rk_buf_puts(&o->detail, "; ");
                    rk_buf_puts(&o->detail, sub.detail.data);
                }
            } else nunk++;
            rk_buf_free(&sub.actual);
            rk_buf_free(&sub.detail);
        }
        if (any) {
            if (npass) o->r = R_PASS;
            else if (nunk) o->r = R_UNKNOWN;
            else if (nfail) o->r = R_FAIL;
            else o->r = R_NA;
        } else {
            if (nfail) o->r = R_FAIL;
            else if (nunk) o->r = R_UNKNOWN;
            else if (npass) o->r = R_PASS;
            else o->r = R_NA;
        }
        if (o->r == R_PASS) rk_buf_free(&o->detail);
        return;
    }
    case RK_CHECK_SAME_AS: {
        const rk_assessment *a = e->a;
        int role = rk_schema_role(a->schema, k->role);
        if (!j) {
            rk_buf_puts(&o->actual, "not collected");
            return;
        }
        fmt_value(k, j, &o->actual);
        int others = 0, unknown = 0, differ = 0;
        rk_buf who = {0};
        for (size_t h = 0; h < a->project->nhosts; h++) {
            if (h == e->host || role < 0 || !(a->project->hosts[h].roles & (1u << role))) continue;
            others++;
            const cJSON *oj = host_facts(e, h) ? rk_facts_get(host_facts(e, h), k->fact) : NULL;
            if (!oj || !cJSON_IsString(oj)) {
                unknown++;
                continue;
            }
            if (!cJSON_IsString(j) || strcasecmp(oj->valuestring, j->valuestring) != 0) {
                differ++;
                rk_buf_printf(&who, "%s%s has %s", who.len ? ", " : "", a->project->hosts[h].name,
                              oj->valuestring);
            }
        }
        if (differ) set_fail(o, "%s", who.data);
        else if (unknown || others == 0) {
            rk_buf_printf(&o->detail, others ? "the %s's value was not collected"
                                             : "no host holds the role %s", k->role);
        } else o->r = R_PASS;
        rk_buf_free(&who);
        return;
    }
    case RK_CHECK_NOT_ROLE: {
        uint32_t clash = e->a->project->hosts[e->host].roles & k->roles;
        if (!clash) {
            o->r = R_PASS;
            rk_buf_puts(&o->actual, "no conflicting role");
        } else {
            char roles[512];
            rk_schema_roles_str(e->a->schema, clash, roles, sizeof roles);
            rk_buf_printf(&o->actual, "also holds %s", roles);
            set_fail(o, "the host also holds the role %s", roles);
        }
        return;
    }
    case RK_CHECK_MANUAL:
        o->r = R_UNKNOWN;
        return;
    case RK_CHECK_FLOWS: {
        /* probe evidence for the TCP flows that start at this host */
        const rk_assessment *a = e->a;
        size_t probed = 0, blocked = 0;
        if (a->probed_from) {
            probed = a->probed_from[e->host];
            blocked = a->blocked_from[e->host];
        } else {
            count_probes(a, e->host, &probed, &blocked);
        }
        if (!host_facts(e, e->host)) {
            rk_buf_puts(&o->actual, "not collected (no fact file)");
        } else if (!probed) {
            o->r = R_NA;
            rk_buf_puts(&o->actual, "not probed");
        } else if (blocked) {
            rk_buf_printf(&o->actual, "%zu of %zu probed flows blocked", blocked, probed);
            set_fail(o, "%zu of %zu probed flows blocked", blocked, probed);
        } else {
            o->r = R_PASS;
            rk_buf_printf(&o->actual, "%zu probed flows open", probed);
        }
        return;
    }
    }
}

static int when_applies(rk_assessment *a, const rk_requirement *r)
{
    if (!r->has_when) return 1;
    const rk_project *p = a->project;
    if (r->when.scenarios && !(r->when.scenarios & p->scenarios)) return 0;
    int conds = 0, holds = 0;
    if (r->when.mailbox_count_above >= 0) {
        conds++;
        if (p->mailbox_count > r->when.mailbox_count_above) holds = 1;
    }
    if (r->when.large_public_folders) {
        conds++;
        if (p->large_public_folders) holds = 1;
    }
    return conds == 0 || holds;
}

void rk_eval_one(const rk_assessment *a, size_t host, size_t req, rk_finding *out)
{
    const rk_requirement *r = &a->schema->reqs[req];
    memset(out, 0, sizeof(*out));
    out->host = host;
    out->req = req;
    out->flow = -1;
    out->expected = rk_xstrdup(r->expected);
    if (!when_applies((rk_assessment *)a, r)) {
        out->status = out->original = RK_ST_NA;
        out->actual = rk_xstrdup("");
        out->message = rk_xstrdup("does not apply to this project's scenarios and parameters");
        return;
    }
    if (r->check.kind == RK_CHECK_MANUAL) {
        out->status = out->original = RK_ST_MANUAL;
        out->actual = rk_xstrdup("");
        out->message = rk_xstrdup("a person must verify this and attest it");
        return;
    }
    ectx e = {a, host};
    outcome o = {0};
    eval_check(&e, &r->check, host_facts(&e, host), &o);
    rk_status st;
    switch (o.r) {
    case R_PASS:
        st = RK_ST_PASS;
        break;
    case R_FAIL:
        st = r->severity == RK_SEV_REQUIRED ? RK_ST_FAIL : RK_ST_WARN;
        break;
    case R_NA:
        st = RK_ST_NA;
        break;
    default:
        st = RK_ST_UNKNOWN;
    }
    out->status = out->original = st;
    out->actual = rk_buf_take(&o.actual);
    if (st == RK_ST_PASS)
        out->message = rk_xstrdup("meets the requirement");
    else if (st == RK_ST_NA)
        out->message = rk_xstrdup("does not apply to this host");
    else if (st == RK_ST_UNKNOWN)
        out->message = o.detail.len ? rk_xasprintf("cannot be decided: %s", o.detail.data)
                                    : rk_xstrdup("the fact was not collected");
    else
        out->message = rk_buf_take(&o.detail);
    rk_buf_free(&o.detail);
}

void rk_eval_all(rk_assessment *a)
{
    const rk_project *p = a->project;
    const rk_schema *s = a->schema;
    free(a->probed_from);
    free(a->blocked_from);
    a->probed_from = rk_xcalloc(p->nhosts ? p->nhosts : 1, sizeof(size_t));
    a->blocked_from = rk_xcalloc(p->nhosts ? p->nhosts : 1, sizeof(size_t));
    for (size_t i = 0; i < a->nflows; i++) {
        const rk_flow *f = &a->flows[i];
        if (!f->probe_result || !strcmp(f->probe_result, "not-verifiable") || f->from_host >= p->nhosts) continue;
        a->probed_from[f->from_host]++;
        if (probe_blocked(f->probe_result)) a->blocked_from[f->from_host]++;
    }
    size_t cap = 64;
    a->findings = rk_xcalloc(cap, sizeof(rk_finding));
    a->nfindings = 0;
    int warned_mailboxes = 0;
    for (size_t h = 0; h < p->nhosts; h++) {
        for (size_t r = 0; r < s->nreqs; r++) {
            const rk_requirement *req = &s->reqs[r];
            if (!(req->applies_to & p->hosts[h].roles)) continue;
            if (req->has_when && req->when.mailbox_count_above >= 0 && p->mailbox_count < 0 &&
                !warned_mailboxes) {
                rk_warn(&a->warnings, p->path, 0, 0,
                        "parameters.mailbox_count is not given; requirements that depend on it "
                        "(e.g. %s) are treated as not applicable",
                        req->id);
                warned_mailboxes = 1;
            }
            if (a->nfindings == cap) {
                cap *= 2;
                a->findings = rk_xrealloc(a->findings, cap * sizeof(rk_finding));
            }
            rk_eval_one(a, h, r, &a->findings[a->nfindings++]);
        }
    }
}

rk_verdict rk_verdict_of(const rk_assessment *a, const rk_finding *f, size_t n)
{
    int fail = 0, incomplete = 0, exceptions = 0;
    for (size_t i = 0; i < n; i++) {
        int required = a->schema->reqs[f[i].req].severity == RK_SEV_REQUIRED;
        switch (f[i].status) {
        case RK_ST_FAIL:
            fail = 1;
            break;
        case RK_ST_UNKNOWN:
        case RK_ST_MANUAL:
            if (required) incomplete = 1;
            break;
        case RK_ST_WARN:
        case RK_ST_WAIVED:
            exceptions = 1;
            break;
        default:
            break;
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
