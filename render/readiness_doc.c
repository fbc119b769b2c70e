/* readiness_doc.c - the readiness report's document model (readiness.pdf and
 * readiness.xlsx): cover, summary, hosts, findings, remediation, manual checks,
 * appendices and sign-off. Words come from the templates and the schema, judgements from
 * the evaluated assessment. */
#include "readiness_doc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "facts.h"
#include "readiness_fleet.h"
#include "util.h"

rk_tone rk_status_tone(rk_status s)
{
    switch (s) {
    case RK_ST_PASS:
        return RK_TONE_PASS;
    case RK_ST_FAIL:
        return RK_TONE_FAIL;
    case RK_ST_WARN:
        return RK_TONE_WARN;
    case RK_ST_UNKNOWN:
    case RK_ST_MANUAL:
        return RK_TONE_UNKNOWN;
    default:
        return RK_TONE_INFO;
    }
}

rk_tone rk_verdict_tone(rk_verdict v)
{
    switch (v) {
    case RK_V_NOT_READY:
        return RK_TONE_FAIL;
    case RK_V_INCOMPLETE:
        return RK_TONE_UNKNOWN;
    case RK_V_EXCEPTIONS:
        return RK_TONE_WARN;
    default:
        return RK_TONE_PASS;
    }
}

typedef struct bctx {
    const rk_assessment *a;
    rk_tmpl *t;
    rk_doc *doc;
    size_t *sorted;     /* finding indexes in reading order */
    size_t *by_host;    /* the same, grouped by host (stable) */
    size_t *host_start; /* by_host[host_start[h] .. host_start[h + 1]) are host h's */
    rk_fleet *fleet;    /* more hosts than the PDF details one by one: its parts are
                           grouped (readiness_fleet.c); NULL otherwise */
} bctx;

static const char *T(bctx *c, const char *key) { return rk_tmpl_get(c->t, key); }

static void kv(rk_table *t, const char *k, const char *v)
{
    rk_cell *row = rk_table_row(t);
    rk_cell_set(&row[0], k, RK_TONE_NONE);
    rk_cell_set(&row[1], v ? v : "", RK_TONE_NONE);
}

static rk_table *kv_table(rk_section *s, const char *name)
{
    rk_table *t = rk_section_table(s, name, 2);
    t->kv = 1;
    rk_table_col(t, 0, "", 40);
    rk_table_col(t, 1, "", 80);
    return t;
}

static void roles_titles(const rk_schema *s, uint32_t mask, rk_buf *b)
{
    for (size_t i = 0; i < s->nroles; i++)
        if (mask & (1u << i)) {
            if (b->len) rk_buf_puts(b, ", ");
            rk_buf_puts(b, s->roles[i].title);
        }
}

/* ---- cover ---------------------------------------------------------------- */

/* A parameter's value in words: numbers as the documents write them, lists joined. */
static void param_text(bctx *c, const rk_parameter *par, const rk_pvalue *v, rk_buf *b)
{
    switch (par->type) {
    case RK_PT_BOOLEAN: rk_buf_puts(b, T(c, v->boolean ? "value.yes" : "value.no")); break;
    case RK_PT_INTEGER: {
        /* grouped in thousands as the language writes them: 18,000 / 18.000 */
        char digits[32];
        snprintf(digits, sizeof digits, "%.0f", v->number < 0 ? -v->number : v->number);
        size_t n = strlen(digits);
        if (v->number < 0) rk_buf_putc(b, '-');
        for (size_t k = 0; k < n; k++) {
            if (k && (n - k) % 3 == 0 && n > 4) rk_buf_puts(b, T(c, "number.group"));
            rk_buf_putc(b, digits[k]);
        }
        break;
    }
    case RK_PT_NUMBER: rk_explain_number(c->a, c->t, v->number, RK_FMT_PLAIN, 0, b); break;
    case RK_PT_STRING: rk_buf_puts(b, v->string ? v->string : ""); break;
    case RK_PT_LIST:
        for (size_t k = 0; k < v->nlist; k++) rk_buf_printf(b, "%s%s", k ? ", " : "", v->list[k]);
        break;
    }
}

/* The cover's rows for what the project decided: its scenarios and every parameter
 * the schema declares (set, defaulted or not set, the last marked unknown: findings
 * that depend on it are undecided). */
static void cover_parameters(bctx *c, rk_table *t)
{
    const rk_schema *sc = c->a->schema;
    const rk_project *p = c->a->project;
    if (sc->nscenarios) {
        rk_buf b = {0};
        for (size_t i = 0; i < sc->nscenarios; i++)
            if (p->scenarios & (1u << i))
                rk_buf_printf(&b, "%s%s", b.len ? "; " : "", sc->scenarios[i].title);
        kv(t, T(c, "label.scenarios"), b.len ? b.data : T(c, "report.scenarios_none"));
        rk_buf_free(&b);
    }
    for (size_t i = 0; i < sc->nparams && i < p->nparams; i++) {
        const rk_parameter *par = &sc->params[i];
        const rk_pvalue *v = &p->params[i];
        rk_buf b = {0};
        if (v->set) param_text(c, par, v, &b);
        char *text = !v->set ? rk_xstrdup(T(c, "report.param_not_set"))
                     : p->params_given[i]
                         ? rk_xstrdup(b.data ? b.data : "")
                         : rk_tmpl_fmt(c->t, "report.param_default", "value", b.data ? b.data : "", NULL);
        rk_buf_free(&b);
        char *label = rk_tmpl_fmt(c->t, "label.parameter", "title", par->title, "id", par->id, NULL);
        kv(t, label, text);
        if (!v->set) t->cells[(t->nrows - 1) * t->ncols + 1].tone = RK_TONE_UNKNOWN;
        free(label);
        free(text);
    }
}

static void cover(bctx *c)
{
    const rk_assessment *a = c->a;
    const rk_project *p = a->project;
    /* the cover has no heading and no bookmark: its title is the document's title */
    rk_section *s = rk_doc_section(c->doc, NULL, 0, NULL, RK_TARGET_PDF);
    rk_section_para(s, RK_PARA_TITLE, RK_TONE_NONE, T(c, "report.title"));
    char *sub = rk_tmpl_fmt(c->t, "report.subtitle", "customer", p->customer, "project", p->project,
                            "product", a->schema->product, NULL);
    rk_section_para(s, RK_PARA_SUBTITLE, RK_TONE_NONE, sub);
    free(sub);
    rk_section_space(s);
    rk_table *t = kv_table(s, "Cover");
    char date[11];
    rk_format_date(a->date, date);
    kv(t, T(c, "label.customer"), p->customer);
    kv(t, T(c, "label.project"), p->project);
    kv(t, T(c, "label.assessment_id"), p->assessment_id);
    char *schema = rk_xasprintf("%s (%s %s)", a->schema->title, a->schema->id, a->schema->version);
    kv(t, T(c, "label.schema"), schema);
    free(schema);
    kv(t, T(c, "label.assessment_date"), date);
    cover_parameters(c, t);
    kv(t, T(c, "label.generator"), "readykit " RK_VERSION);
    char n[32];
    snprintf(n, sizeof n, "%zu", p->nhosts);
    kv(t, T(c, "label.hosts"), n);
    kv(t, T(c, "label.verdict"), rk_verdict_word(c->t, a->verdict));
    t->cells[(t->nrows - 1) * t->ncols + 1].tone = rk_verdict_tone(a->verdict);
    kv(t, T(c, "label.digest"), a->digest);
    rk_section_space(s);
    rk_section_para(s, RK_PARA_NOTE, RK_TONE_NONE, T(c, "report.digest_note"));
}

/* ---- summary -------------------------------------------------------------- */

static const rk_assessment *g_sort_a; /* qsort has no context argument in C11 */

/* The order a reader wants: what fails, what falls short, what is undecided, what
 * was excepted, what a person must check, then what is fine. */
static int display_rank(rk_status s)
{
    static const int rank[RK_ST_COUNT] = {
        [RK_ST_FAIL] = 0,   [RK_ST_WARN] = 1, [RK_ST_UNKNOWN] = 2, [RK_ST_WAIVED] = 3,
        [RK_ST_MANUAL] = 4, [RK_ST_ATTESTED] = 5, [RK_ST_PASS] = 6, [RK_ST_NA] = 7};
    return s < RK_ST_COUNT ? rank[s] : 8;
}

static int cmp_finding_idx(const void *x, const void *y)
{
    const rk_assessment *a = g_sort_a;
    const rk_finding *f = &a->findings[*(const size_t *)x], *g = &a->findings[*(const size_t *)y];
    int rf = display_rank(f->status), rg = display_rank(g->status);
    if (rf != rg) return rf < rg ? -1 : 1;
    if (f->host != g->host) return f->host < g->host ? -1 : 1;
    if (f->req != g->req) return f->req < g->req ? -1 : 1;
    return f->flow < g->flow ? -1 : f->flow > g->flow;
}

static size_t *sorted_findings(const rk_assessment *a, size_t *n)
{
    size_t *idx = rk_xcalloc(a->nfindings ? a->nfindings : 1, sizeof(size_t));
    for (size_t i = 0; i < a->nfindings; i++) idx[i] = i;
    g_sort_a = a;
    qsort(idx, a->nfindings, sizeof(size_t), cmp_finding_idx);
    *n = a->nfindings;
    return idx;
}

void rk_readiness_req_cell(rk_cell *cell, const rk_requirement *r)
{
    rk_cell_setf(cell, RK_TONE_NONE, "%s\n%s", r->id, r->title);
}

/* Blocking findings, one row each. */
static void blocking(bctx *c, rk_section *s)
{
    const rk_assessment *a = c->a;
    const rk_project *p = a->project;
    const rk_schema *sc = a->schema;
    size_t nidx = a->nfindings;
    const size_t *idx = c->sorted;
    size_t nblock = 0;
    for (size_t i = 0; i < nidx; i++) {
        const rk_finding *f = &a->findings[idx[i]];
        int required = sc->reqs[f->req].severity == RK_SEV_REQUIRED;
        if (f->status == RK_ST_FAIL || (required && f->status == RK_ST_UNKNOWN)) nblock++;
    }
    rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE, T(c, "report.blocking"));
    if (!nblock) {
        rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, T(c, "report.no_blocking"));
        return;
    }
    rk_table *b = rk_section_table(s, "Blocking", 5);
    rk_table_col(b, 0, T(c, "col.host"), 14);
    rk_table_col(b, 1, T(c, "col.requirement"), 30);
    rk_table_col(b, 2, T(c, "col.actual"), 22);
    rk_table_col(b, 3, T(c, "col.status"), 10);
    rk_table_col(b, 4, T(c, "col.remediation"), 44);
    b->cols[3].status = 1;
    for (size_t i = 0; i < nidx; i++) {
        const rk_finding *f = &a->findings[idx[i]];
        int required = sc->reqs[f->req].severity == RK_SEV_REQUIRED;
        if (!(f->status == RK_ST_FAIL || (required && f->status == RK_ST_UNKNOWN))) continue;
        rk_cell *row = rk_table_row(b);
        rk_cell_set(&row[0], p->hosts[f->host].name, RK_TONE_NONE);
        rk_readiness_req_cell(&row[1], &c->a->schema->reqs[f->req]);
        rk_cell_set(&row[2], f->actual, RK_TONE_NONE);
        rk_cell_set(&row[3], rk_status_word(c->t, f->status), rk_status_tone(f->status));
        rk_cell_set(&row[4], sc->reqs[f->req].remediation, RK_TONE_NONE);
    }
}

/* The summary for targets. At fleet scale the PDF's copy says that hosts are grouped,
 * groups the blocking findings by requirement and adds findings by zone. */
static void summary(bctx *c, unsigned targets)
{
    const rk_assessment *a = c->a;
    const rk_project *p = a->project;
    const rk_schema *sc = a->schema;
    int grouped = c->fleet && !(targets & RK_TARGET_XLSX);
    rk_section *s = rk_doc_section(c->doc, T(c, "report.summary"), 0,
                                   grouped ? NULL : T(c, "sheet.summary"), targets);
    s->new_page = 1;
    char key[96];
    snprintf(key, sizeof key, "verdict.%s.sentence", rk_verdict_str(a->verdict));
    char n[32];
    snprintf(n, sizeof n, "%zu", p->nhosts);
    char *sentence = rk_tmpl_fmt(c->t, key, "hosts", n, "customer", p->customer, NULL);
    char *head = rk_tmpl_fmt(c->t, "report.verdict_line", "verdict", rk_verdict_word(c->t, a->verdict), NULL);
    rk_section_para(s, RK_PARA_VERDICT, rk_verdict_tone(a->verdict), head);
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, sentence);
    free(sentence);
    free(head);
    if (grouped) {
        rk_fleet_note(c->fleet, s);
        rk_fleet_blocking(c->fleet, s);
    } else {
        blocking(c, s);
    }

    int counts[RK_ST_COUNT] = {0};
    for (size_t i = 0; i < a->nfindings; i++) counts[a->findings[i].status]++;
    rk_chart *ch = rk_section_chart(s, T(c, "report.chart_title"));
    static const rk_status order[] = {RK_ST_FAIL,   RK_ST_WARN,     RK_ST_UNKNOWN, RK_ST_WAIVED,
                                      RK_ST_MANUAL, RK_ST_ATTESTED, RK_ST_PASS,    RK_ST_NA};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        rk_chart_add(ch, rk_status_word(c->t, order[k]), counts[order[k]], rk_status_tone(order[k]));

    /* counts by role */
    rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE, T(c, "report.by_role"));
    static const rk_status cols[] = {RK_ST_FAIL, RK_ST_WARN, RK_ST_UNKNOWN, RK_ST_MANUAL,
                                     RK_ST_WAIVED, RK_ST_PASS};
    size_t ncols = sizeof cols / sizeof cols[0];
    rk_table *t = rk_section_table(s, "ByRole", 2 + ncols);
    rk_table_col(t, 0, T(c, "col.role"), 34);
    rk_table_col(t, 1, T(c, "col.hosts"), 8);
    for (size_t k = 0; k < ncols; k++) rk_table_col(t, 2 + k, rk_status_word(c->t, cols[k]), 10);
    for (size_t r = 0; r < sc->nroles; r++) {
        size_t hosts = 0;
        int cnt[RK_ST_COUNT] = {0};
        for (size_t h = 0; h < p->nhosts; h++)
            if (p->hosts[h].roles & (1u << r)) hosts++;
        if (!hosts) continue;
        for (size_t i = 0; i < a->nfindings; i++)
            if (p->hosts[a->findings[i].host].roles & (1u << r)) cnt[a->findings[i].status]++;
        rk_cell *row = rk_table_row(t);
        rk_cell_set(&row[0], sc->roles[r].title, RK_TONE_NONE);
        char num[32];
        snprintf(num, sizeof num, "%zu", hosts);
        rk_cell_number(&row[1], (double)hosts, num);
        for (size_t k = 0; k < ncols; k++) {
            snprintf(num, sizeof num, "%d", cnt[cols[k]]);
            rk_cell_number(&row[2 + k], cnt[cols[k]], num);
            if (cnt[cols[k]] && cols[k] != RK_ST_PASS) row[2 + k].tone = rk_status_tone(cols[k]);
        }
    }
    if (grouped) rk_fleet_by_zone(c->fleet, s);
}

/* ---- hosts ---------------------------------------------------------------- */

static void host_counts(const bctx *c, size_t h, int cnt[RK_ST_COUNT])
{
    memset(cnt, 0, sizeof(int) * RK_ST_COUNT);
    for (size_t k = c->host_start[h]; k < c->host_start[h + 1]; k++) cnt[c->a->findings[c->by_host[k]].status]++;
}

/* A fact of a host as the reader sees it, in the document's language. */
static char *fact_text(bctx *c, size_t h, const char *path, rk_value_format f)
{
    const rk_facts *fx = c->a->facts[h];
    rk_buf b = {0};
    rk_explain_value(c->a, c->t, fx ? rk_facts_get(fx->root, path) : NULL, f, &b);
    return rk_buf_take(&b);
}

static void hosts_overview(bctx *c)
{
    const rk_assessment *a = c->a;
    const rk_project *p = a->project;
    /* at fleet scale the PDF shows groups of hosts instead (rk_fleet_hosts) */
    rk_section *s = rk_doc_section(c->doc, T(c, "report.hosts"), 0, T(c, "sheet.hosts"),
                                   c->fleet ? RK_TARGET_XLSX : RK_TARGET_ALL);
    s->new_page = 1;
    s->landscape = 1;
    rk_table *t = rk_section_table(s, "Hosts", 10);
    rk_table_col(t, 0, T(c, "col.host"), 11);
    rk_table_col(t, 1, T(c, "col.fqdn"), 22);
    rk_table_col(t, 2, T(c, "col.address"), 14);
    rk_table_col(t, 3, T(c, "col.zone"), 24);
    rk_table_col(t, 4, T(c, "col.roles"), 28);
    rk_table_col(t, 5, a->schema->ndetails ? a->schema->details[0].label : "", 24);
    rk_table_col(t, 6, T(c, "col.verdict"), 14);
    rk_table_col(t, 7, rk_status_word(c->t, RK_ST_FAIL), 8);
    rk_table_col(t, 8, rk_status_word(c->t, RK_ST_WARN), 8);
    rk_table_col(t, 9, T(c, "col.open_checks"), 8);
    t->cols[6].status = 1;
    for (size_t h = 0; h < p->nhosts; h++) {
        const rk_host *host = &p->hosts[h];
        int cnt[RK_ST_COUNT];
        host_counts(c, h, cnt);
        rk_cell *row = rk_table_row(t);
        rk_cell_set(&row[0], host->name, RK_TONE_NONE);
        rk_cell_set(&row[1], host->fqdn, RK_TONE_NONE);
        rk_cell_set(&row[2], host->address, RK_TONE_NONE);
        for (size_t z = 0; z < p->nzones; z++)
            if (host->zone && !strcmp(p->zones[z].id, host->zone)) rk_cell_set(&row[3], p->zones[z].title, RK_TONE_NONE);
        rk_buf roles = {0};
        roles_titles(a->schema, host->roles, &roles);
        rk_cell_set(&row[4], roles.data, RK_TONE_NONE);
        rk_buf_free(&roles);
        /* the schema's first host detail is the one the overview shows */
        if (!a->facts[h]) {
            rk_cell_set(&row[5], T(c, "report.no_facts"), RK_TONE_UNKNOWN);
        } else if (a->schema->ndetails) {
            char *v = fact_text(c, h, a->schema->details[0].fact, a->schema->details[0].format);
            rk_cell_set(&row[5], v, RK_TONE_NONE);
            free(v);
        }
        rk_cell_set(&row[6], rk_verdict_word(c->t, a->host_verdicts[h]), rk_verdict_tone(a->host_verdicts[h]));
        char num[32];
        snprintf(num, sizeof num, "%d", cnt[RK_ST_FAIL]);
        rk_cell_number(&row[7], cnt[RK_ST_FAIL], num);
        snprintf(num, sizeof num, "%d", cnt[RK_ST_WARN]);
        rk_cell_number(&row[8], cnt[RK_ST_WARN], num);
        snprintf(num, sizeof num, "%d", cnt[RK_ST_UNKNOWN] + cnt[RK_ST_MANUAL]);
        rk_cell_number(&row[9], cnt[RK_ST_UNKNOWN] + cnt[RK_ST_MANUAL], num);
    }
}

static void key_facts(bctx *c, rk_section *s, size_t h)
{
    const rk_assessment *a = c->a;
    const rk_host *host = &a->project->hosts[h];
    const rk_facts *f = a->facts[h];
    rk_table *t = kv_table(s, "HostFacts");
    rk_buf b = {0};
    roles_titles(a->schema, host->roles, &b);
    kv(t, T(c, "col.roles"), b.data);
    rk_buf_free(&b);
    rk_buf_printf(&b, "%s%s%s", host->fqdn ? host->fqdn : "", *host->address ? "  " : "",
                  host->address);
    kv(t, T(c, "label.network"), b.data);
    rk_buf_free(&b);
    kv(t, T(c, "label.verdict"), rk_verdict_word(c->t, a->host_verdicts[h]));
    t->cells[(t->nrows - 1) * t->ncols + 1].tone = rk_verdict_tone(a->host_verdicts[h]);
    if (!f) {
        kv(t, T(c, "label.facts"), T(c, "report.no_facts"));
        return;
    }
    for (size_t i = 0; i < a->schema->ndetails; i++) {
        const rk_host_detail *d = &a->schema->details[i];
        char *v = fact_text(c, h, d->fact, d->format);
        kv(t, d->label, v);
        free(v);
    }
    rk_buf_printf(&b, "%s, %s %s (%s)", f->collected_at, f->collector_name, f->collector_version,
                  f->collector_platform);
    kv(t, T(c, "label.collected"), b.data);
    rk_buf_free(&b);
}

static void host_sections(bctx *c)
{
    const rk_assessment *a = c->a;
    const rk_project *p = a->project;
    const rk_schema *sc = a->schema;
    rk_section *top = rk_doc_section(c->doc, T(c, "report.host_details"), 0, NULL, RK_TARGET_PDF);
    top->new_page = 1;
    rk_section_para(top, RK_PARA_NORMAL, RK_TONE_NONE, T(c, "report.host_details_intro"));
    for (size_t h = 0; h < p->nhosts; h++) {
        char *title = rk_tmpl_fmt(c->t, "report.host_title", "host", p->hosts[h].name, NULL);
        rk_section *s = rk_doc_section(c->doc, title, 1, NULL, RK_TARGET_PDF);
        free(title);
        size_t nrows = c->host_start[h + 1] - c->host_start[h];
        /* a host with many findings starts a page; small ones follow each other */
        s->new_page = h > 0 && nrows >= 12;
        key_facts(c, s, h);
        rk_section_space(s);
        if (!nrows) {
            rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, T(c, "report.host_no_requirements"));
            continue;
        }
        rk_table *t = rk_section_table(s, "HostFindings", 5);
        rk_table_col(t, 0, T(c, "col.requirement"), 28);
        rk_table_col(t, 1, T(c, "col.expected"), 24);
        rk_table_col(t, 2, T(c, "col.actual"), 26);
        rk_table_col(t, 3, T(c, "col.status"), 10);
        rk_table_col(t, 4, T(c, "col.remediation"), 36);
        t->cols[3].status = 1;
        for (size_t k = c->host_start[h]; k < c->host_start[h + 1]; k++) {
            const rk_finding *f = &a->findings[c->by_host[k]];
            const rk_requirement *r = &sc->reqs[f->req];
            rk_cell *row = rk_table_row(t);
            rk_readiness_req_cell(&row[0], &c->a->schema->reqs[f->req]);
            rk_cell_set(&row[1], f->expected, RK_TONE_NONE);
            if (f->message && f->status != RK_ST_PASS && f->status != RK_ST_NA && f->status != RK_ST_MANUAL &&
                strcmp(f->message, f->actual) != 0)
                rk_cell_setf(&row[2], RK_TONE_NONE, "%s\n(%s)", f->actual, f->message);
            else
                rk_cell_set(&row[2], f->actual, RK_TONE_NONE);
            rk_cell_set(&row[3], rk_status_word(c->t, f->status), rk_status_tone(f->status));
            if (f->waiver)
                rk_cell_setf(&row[4], RK_TONE_NONE, "%s: %s (%s, %s)", T(c, "label.waived_by"),
                             f->waiver->justification, f->waiver->approved_by, f->waiver->expires);
            else if (f->attestation)
                rk_cell_setf(&row[4], RK_TONE_NONE, "%s: %s, %s — %s", T(c, "label.attested_by"),
                             f->attestation->attested_by, f->attestation->date, f->attestation->evidence);
            else if (f->status == RK_ST_PASS || f->status == RK_ST_NA)
                rk_cell_set(&row[4], "", RK_TONE_NONE);
            else if (f->status == RK_ST_MANUAL)
                rk_cell_set(&row[4], T(c, "report.see_manual"), RK_TONE_NONE);
            else
                rk_cell_set(&row[4], r->remediation, RK_TONE_NONE);
        }
    }
}

/* ---- workbook-only findings and remediation -------------------------------- */

static void findings_sheet(bctx *c)
{
    const rk_assessment *a = c->a;
    const rk_schema *sc = a->schema;
    rk_section *s = rk_doc_section(c->doc, T(c, "report.findings"), 0, T(c, "sheet.findings"), RK_TARGET_XLSX);
    rk_table *t = rk_section_table(s, "Findings", 12);
    static const char *keys[] = {"col.host", "col.requirement_id", "col.title", "col.section", "col.severity",
                                 "col.status", "col.original_status", "col.expected", "col.actual",
                                 "col.message", "col.remediation", "col.exception"};
    static const double widths[] = {14, 18, 34, 26, 12, 12, 12, 24, 28, 36, 60, 40};
    for (size_t i = 0; i < 12; i++) rk_table_col(t, i, T(c, keys[i]), widths[i]);
    t->cols[5].status = 1;
    t->cols[6].status = 1;
    for (size_t i = 0; i < a->nfindings; i++) {
        const rk_finding *f = &a->findings[i];
        const rk_requirement *r = &sc->reqs[f->req];
        rk_cell *row = rk_table_row(t);
        rk_cell_set(&row[0], a->project->hosts[f->host].name, RK_TONE_NONE);
        rk_cell_set(&row[1], r->id, RK_TONE_NONE);
        rk_cell_set(&row[2], r->title, RK_TONE_NONE);
        rk_cell_set(&row[3], r->section, RK_TONE_NONE);
        rk_cell_set(&row[4], T(c, r->severity == RK_SEV_REQUIRED ? "severity.required" : "severity.recommended"),
                    RK_TONE_NONE);
        rk_cell_set(&row[5], rk_status_word(c->t, f->status), rk_status_tone(f->status));
        rk_cell_set(&row[6], rk_status_word(c->t, f->original), rk_status_tone(f->original));
        rk_cell_set(&row[7], f->expected, RK_TONE_NONE);
        rk_cell_set(&row[8], f->actual, RK_TONE_NONE);
        rk_cell_set(&row[9], f->message, RK_TONE_NONE);
        rk_cell_set(&row[10], f->status == RK_ST_PASS || f->status == RK_ST_NA ? "" : r->remediation, RK_TONE_NONE);
        if (f->waiver)
            rk_cell_setf(&row[11], RK_TONE_NONE, "%s: %s (%s, %s %s)", T(c, "label.waived_by"), f->waiver->approved_by,
                         f->waiver->justification, T(c, "label.until"), f->waiver->expires);
        else if (f->attestation)
            rk_cell_setf(&row[11], RK_TONE_NONE, "%s: %s, %s: %s", T(c, "label.attested_by"), f->attestation->attested_by,
                         f->attestation->date, f->attestation->evidence);
    }
}

static void remediation(bctx *c)
{
    const rk_assessment *a = c->a;
    const rk_schema *sc = a->schema;
    /* at fleet scale the PDF has one action per requirement instead (rk_fleet_remediation) */
    rk_section *s = rk_doc_section(c->doc, T(c, "report.remediation"), 0, T(c, "sheet.remediation"),
                                   c->fleet ? RK_TARGET_XLSX : RK_TARGET_ALL);
    s->new_page = 1;
    s->landscape = 1;
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, T(c, "report.remediation_intro"));
    rk_readiness_remedy *rm = rk_readiness_remedy_new(a, c->t);
    /* grouped by host (project order), most severe first inside a host */
    rk_table *t = rk_section_table(s, "Remediation", 8);
    rk_table_col(t, 0, T(c, "col.host"), 14);
    rk_table_col(t, 1, T(c, "col.requirement"), 30);
    rk_table_col(t, 2, T(c, "col.status"), 10);
    rk_table_col(t, 3, T(c, "col.action"), 46);
    rk_table_col(t, 4, T(c, "col.fixed_by"), 20);
    rk_table_col(t, 5, T(c, "col.owner"), 16);
    rk_table_col(t, 6, T(c, "col.due"), 12);
    rk_table_col(t, 7, T(c, "col.done"), 8);
    t->cols[2].status = 1;
    t->cols[5].input = 1;
    t->cols[6].input = 1;
    t->cols[6].date = 1;
    t->cols[7].input = 1;
    /* no group rows: the host column already groups, and rows inside an Excel table
     * would break its sorting and filtering */
    size_t n = 0;
    for (size_t h = 0; h < a->project->nhosts; h++)
        for (size_t k = c->host_start[h]; k < c->host_start[h + 1]; k++) {
            const rk_finding *f = &a->findings[c->by_host[k]];
            if (f->status != RK_ST_FAIL && f->status != RK_ST_WARN && f->status != RK_ST_UNKNOWN) continue;
            rk_cell *row = rk_table_row(t);
            rk_cell_set(&row[0], a->project->hosts[h].name, RK_TONE_NONE);
            rk_readiness_req_cell(&row[1], &c->a->schema->reqs[f->req]);
            rk_cell_set(&row[2], rk_status_word(c->t, f->status), rk_status_tone(f->status));
            if (f->status == RK_ST_UNKNOWN)
                rk_cell_setf(&row[3], RK_TONE_NONE, "%s %s", T(c, "report.collect_again"), sc->reqs[f->req].remediation);
            else
                rk_cell_set(&row[3], sc->reqs[f->req].remediation, RK_TONE_NONE);
            rk_readiness_fixed_by(rm, a, c->t, c->by_host[k], &row[4]);
            n++;
        }
    if (!n) rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, T(c, "report.no_remediation"));
    else rk_readiness_scripts(rm, a, c->t, c->doc);
    rk_readiness_remedy_free(rm);
}

/* ---- manual checks ---------------------------------------------------------- */

/* The manual checks for targets. At fleet scale the PDF's copy names a few hosts of
 * each and how many; the workbook's lists them all (an attestations file needs them). */
static void manual_checks(bctx *c, unsigned targets)
{
    const rk_assessment *a = c->a;
    const rk_schema *sc = a->schema;
    int grouped = c->fleet && !(targets & RK_TARGET_XLSX);
    rk_section *s = rk_doc_section(c->doc, T(c, "report.manual"), 0, grouped ? NULL : T(c, "sheet.manual"),
                                   targets);
    s->new_page = 1;
    s->landscape = 1;
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, T(c, "report.manual_intro"));
    /* the columns of readykit-attestations/1, so the sheet can be turned into a file */
    rk_table *t = rk_section_table(s, "ManualChecks", 9);
    rk_table_col(t, 0, T(c, "col.att_requirement"), 20);
    rk_table_col(t, 1, T(c, "col.title"), 24);
    rk_table_col(t, 2, T(c, "col.att_hosts"), 14);
    rk_table_col(t, 3, T(c, "col.steps"), 56);
    rk_table_col(t, 4, T(c, "col.status"), 10);
    rk_table_col(t, 5, T(c, "col.att_attested_by"), 18);
    rk_table_col(t, 6, T(c, "col.att_date"), 14);
    rk_table_col(t, 7, T(c, "col.att_evidence"), 22);
    rk_table_col(t, 8, T(c, "col.att_expires"), 14);
    t->cols[4].status = 1;
    for (size_t k = 5; k <= 8; k++) t->cols[k].input = 1;
    t->cols[6].date = 1;
    t->cols[8].date = 1;
    size_t rows = 0;
    for (size_t r = 0; r < sc->nreqs; r++) {
        const rk_requirement *req = &sc->reqs[r];
        if (req->check.kind != RK_CHECK_MANUAL) continue;
        rk_buf hosts = {0};
        size_t *hidx = grouped ? rk_xcalloc(a->project->nhosts + 1, sizeof(size_t)) : NULL, nh = 0;
        const rk_attestation *att = NULL;
        int any = 0, all_attested = 1;
        for (size_t i = 0; i < a->nfindings; i++) {
            const rk_finding *f = &a->findings[i];
            if (f->req != r || (f->status != RK_ST_MANUAL && f->status != RK_ST_ATTESTED)) continue;
            any = 1;
            if (hidx && nh < a->project->nhosts) hidx[nh++] = f->host;
            if (hosts.len) rk_buf_puts(&hosts, ", ");
            rk_buf_puts(&hosts, a->project->hosts[f->host].name);
            if (f->status == RK_ST_ATTESTED) {
                if (!att) att = f->attestation;
            } else {
                all_attested = 0;
            }
        }
        if (hidx) {
            rk_buf_free(&hosts);
            char *text = rk_fleet_hosts_text(a, c->t, hidx, nh);
            rk_buf_puts(&hosts, text);
            free(text);
            free(hidx);
        }
        if (!any) {
            rk_buf_free(&hosts);
            continue;
        }
        rk_buf steps = {0};
        for (size_t k = 0; k < req->check.nsteps; k++)
            rk_buf_printf(&steps, "%s%zu. %s", k ? "\n" : "", k + 1, req->check.steps[k]);
        rk_cell *row = rk_table_row(t);
        rk_cell_set(&row[0], req->id, RK_TONE_NONE);
        rk_cell_set(&row[1], req->title, RK_TONE_NONE);
        rk_cell_set(&row[2], hosts.data, RK_TONE_NONE);
        rk_cell_set(&row[3], steps.data, RK_TONE_NONE);
        rk_status st = all_attested ? RK_ST_ATTESTED : RK_ST_MANUAL;
        rk_cell_set(&row[4], rk_status_word(c->t, st), rk_status_tone(st));
        if (att && all_attested) {
            rk_cell_set(&row[5], att->attested_by, RK_TONE_NONE);
            rk_cell_set(&row[6], att->date, RK_TONE_NONE);
            rk_cell_set(&row[7], att->evidence, RK_TONE_NONE);
            rk_cell_set(&row[8], att->expires, RK_TONE_NONE);
        }
        rk_buf_free(&hosts);
        rk_buf_free(&steps);
        rows++;
    }
    if (!rows) rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, T(c, "report.no_manual"));
}

/* "12 planned, all returned", or which planned items the fact file does not answer. */
static void plan_cell(bctx *c, rk_cell *cell, const rk_input *in)
{
    char planned[32];
    snprintf(planned, sizeof planned, "%zu", in->nplanned);
    if (!in->nunanswered) {
        char *s = rk_tmpl_fmt(c->t, "report.items_all", "planned", planned, NULL);
        rk_cell_set(cell, s, RK_TONE_PASS);
        free(s);
        return;
    }
    rk_buf ids = {0};
    for (size_t k = 0; k < in->nunanswered; k++)
        rk_buf_printf(&ids, "%s%s", k ? ", " : "", in->unanswered[k]);
    char n[32];
    snprintf(n, sizeof n, "%zu", in->nunanswered);
    char *s = rk_tmpl_fmt(c->t, in->old_plan ? "report.items_old_plan" : "report.items_missing",
                          "planned", planned, "count", n, "items", ids.data, NULL);
    rk_cell_set(cell, s, RK_TONE_WARN);
    free(s);
    rk_buf_free(&ids);
}

/* ---- appendix ----------------------------------------------------------------- */

static void appendix(bctx *c)
{
    const rk_assessment *a = c->a;
    const rk_schema *sc = a->schema;
    rk_section *s = rk_doc_section(c->doc, T(c, "report.inputs"), 0, T(c, "sheet.inputs"), RK_TARGET_ALL);
    s->new_page = 1;
    s->landscape = 1;
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, T(c, "report.inputs_intro"));
    rk_table *t = rk_section_table(s, "Inputs", 8);
    rk_table_col(t, 0, T(c, "col.kind"), 9);
    rk_table_col(t, 1, T(c, "col.file"), 28);
    rk_table_col(t, 2, T(c, "col.host"), 9);
    rk_table_col(t, 3, "SHA-256", 54);
    rk_table_col(t, 4, T(c, "col.collector"), 18);
    rk_table_col(t, 5, T(c, "col.collected_at"), 17);
    rk_table_col(t, 6, T(c, "col.freshness"), 10);
    rk_table_col(t, 7, T(c, "col.collect_items"), 18);
    t->cols[6].status = 1;
    for (size_t i = 0; i < a->ninputs; i++) {
        const rk_input *in = &a->inputs[i];
        rk_cell *row = rk_table_row(t);
        char key[64];
        snprintf(key, sizeof key, "input.%s", in->kind);
        rk_cell_set(&row[0], T(c, key), RK_TONE_NONE);
        rk_cell_set(&row[1], in->path, RK_TONE_NONE);
        rk_cell_set(&row[2], in->host, RK_TONE_NONE);
        rk_cell_set(&row[3], in->missing ? T(c, "report.missing") : in->sha256, in->missing ? RK_TONE_UNKNOWN : RK_TONE_NONE);
        rk_cell_set(&row[4], in->collector, RK_TONE_NONE);
        rk_cell_set(&row[5], in->collected_at, RK_TONE_NONE);
        if (in->stale) rk_cell_set(&row[6], T(c, "report.stale"), RK_TONE_WARN);
        else if (in->missing) rk_cell_set(&row[6], T(c, "report.missing"), RK_TONE_UNKNOWN);
        else if (in->collected_at) rk_cell_set(&row[6], T(c, "report.fresh"), RK_TONE_PASS);
        if (in->nplanned && !in->missing) plan_cell(c, &row[7], in);
    }
    kv(kv_table(s, "Digest"), T(c, "label.digest"), a->digest);
    if (a->warnings.count) {
        rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE, T(c, "report.warnings"));
        rk_table *w = rk_section_table(s, "Warnings", 1);
        rk_table_col(w, 0, T(c, "col.warning"), 120);
        for (size_t i = 0; i < a->warnings.count; i++) {
            char *text = rk_tmpl_warning(c->t, &a->warnings.items[i]);
            rk_cell_set(&rk_table_row(w)[0], text, RK_TONE_WARN);
            free(text);
        }
    }

    rk_section *r = rk_doc_section(c->doc, T(c, "report.requirements"), 0, T(c, "sheet.requirements"), RK_TARGET_ALL);
    r->new_page = 1;
    r->landscape = 1;
    char *intro = rk_tmpl_fmt(c->t, "report.requirements_intro", "source", sc->source, NULL);
    rk_section_para(r, RK_PARA_NORMAL, RK_TONE_NONE, intro);
    free(intro);
    rk_table *q = rk_section_table(r, "Requirements", 6);
    rk_table_col(q, 0, T(c, "col.requirement"), 26);
    rk_table_col(q, 1, T(c, "col.section"), 20);
    rk_table_col(q, 2, T(c, "col.seed"), 44);
    rk_table_col(q, 3, T(c, "col.severity"), 15);
    rk_table_col(q, 4, T(c, "col.applies_to"), 18);
    rk_table_col(q, 5, T(c, "col.note"), 50);
    for (size_t i = 0; i < sc->nreqs; i++) {
        const rk_requirement *req = &sc->reqs[i];
        rk_cell *row = rk_table_row(q);
        rk_cell_setf(&row[0], RK_TONE_NONE, "%s\n%s", req->id, req->title);
        /* the seed references name the section themselves; the bare section is the
         * fallback */
        rk_buf refs = {0};
        for (size_t k = 0; k < req->nrefs; k++) rk_buf_printf(&refs, "%s%s", k ? "\n" : "", req->refs[k]);
        if (!refs.len) rk_buf_puts(&refs, req->section);
        rk_cell_set(&row[1], refs.data, RK_TONE_NONE);
        rk_buf_free(&refs);
        rk_cell_set(&row[2], req->seed, RK_TONE_NONE);
        rk_cell_set(&row[3], T(c, req->severity == RK_SEV_REQUIRED ? "severity.required" : "severity.recommended"),
                    RK_TONE_NONE);
        rk_buf roles = {0};
        roles_titles(sc, req->applies_to, &roles);
        rk_cell_set(&row[4], roles.data, RK_TONE_NONE);
        rk_buf_free(&roles);
        rk_cell_set(&row[5], req->note, RK_TONE_NONE);
    }
}

/* ---- sign-off ---------------------------------------------------------------- */

static void signoff(bctx *c)
{
    const rk_assessment *a = c->a;
    rk_section *s = rk_doc_section(c->doc, T(c, "report.signoff"), 0, T(c, "sheet.signoff"), RK_TARGET_ALL);
    s->new_page = 1;
    rk_signoff *so = rk_section_signoff(s);
    char date[11];
    rk_format_date(a->date, date);
    so->statement = rk_tmpl_fmt(c->t, "signoff.statement", "customer", a->project->customer, "assessment_id",
                                a->project->assessment_id, "date", date, "verdict", rk_verdict_word(c->t, a->verdict), NULL);
    so->digest_label = rk_xstrdup(T(c, "label.digest"));
    so->digest = rk_xstrdup(a->digest);
    so->name_label = rk_xstrdup(T(c, "signoff.name"));
    so->decision_label = rk_xstrdup(T(c, "signoff.decision"));
    so->date_label = rk_xstrdup(T(c, "signoff.date"));
    so->signature_label = rk_xstrdup(T(c, "signoff.signature"));
    so->comment_label = rk_xstrdup(T(c, "signoff.comment"));
    so->role_label = rk_xstrdup(T(c, "signoff.role"));
    rk_signoff_decision(so, T(c, "signoff.approved"));
    rk_signoff_decision(so, T(c, "signoff.approved_conditions"));
    rk_signoff_decision(so, T(c, "signoff.rejected"));
    if (!a->project->nsignoff) rk_signoff_role(so, T(c, "signoff.default_role"));
    for (size_t i = 0; i < a->project->nsignoff; i++) rk_signoff_role(so, a->project->signoff[i]);
}

rk_doc *rk_readiness_build(const rk_assessment *a, rk_tmpl *t, const rk_diff *baseline)
{
    return rk_readiness_build_with(a, t, baseline, NULL);
}

rk_doc *rk_readiness_build_with(const rk_assessment *a, rk_tmpl *t, const rk_diff *baseline,
                                const rk_readiness_opts *o)
{
    bctx c = {a, t, rk_doc_new(), NULL, NULL, NULL, NULL};
    rk_doc *d = c.doc;
    size_t n, nh = a->project->nhosts;
    c.sorted = sorted_findings(a, &n);
    /* a stable counting sort by host keeps the reading order inside each host */
    c.host_start = rk_xcalloc(nh + 1, sizeof(size_t));
    c.by_host = rk_xcalloc(n ? n : 1, sizeof(size_t));
    for (size_t i = 0; i < n; i++) c.host_start[a->findings[i].host + 1]++;
    for (size_t h = 0; h < nh; h++) c.host_start[h + 1] += c.host_start[h];
    size_t *fill = rk_xcalloc(nh ? nh : 1, sizeof(size_t));
    for (size_t i = 0; i < n; i++) {
        size_t h = a->findings[c.sorted[i]].host;
        c.by_host[c.host_start[h] + fill[h]++] = c.sorted[i];
    }
    free(fill);
    long max = RK_PDF_HOST_DETAIL_MAX;
    if (o && o->pdf_host_detail_max >= 0) max = o->pdf_host_detail_max;
    else if (a->project->pdf_host_detail_max_set) max = a->project->pdf_host_detail_max;
    if (nh > (size_t)max) c.fleet = rk_fleet_new(a, t, c.by_host, c.host_start, (size_t)max);
    d->title = rk_xstrdup(T(&c, "report.title"));
    d->subject = rk_tmpl_fmt(t, "report.subtitle", "customer", a->project->customer, "project",
                             a->project->project, "product", a->schema->product, NULL);
    d->author = rk_xstrdup("readykit " RK_VERSION);
    d->company = rk_xstrdup(a->project->customer);
    d->keywords = rk_xasprintf("%s %s %s", a->project->assessment_id, a->schema->id, a->digest);
    d->lang = rk_xstrdup(rk_tmpl_lang(t));
    d->created = a->date;
    d->footer_left = rk_xasprintf("%s · %s", a->project->assessment_id, T(&c, "report.title"));
    d->page_format = rk_xstrdup(T(&c, "page_format"));
    cover(&c);
    /* at fleet scale the workbook's parts stay as they are and the PDF gets its own */
    summary(&c, c.fleet ? RK_TARGET_XLSX : RK_TARGET_ALL);
    if (c.fleet) summary(&c, RK_TARGET_PDF);
    hosts_overview(&c);
    if (c.fleet) rk_fleet_hosts(c.fleet, d);
    else host_sections(&c);
    findings_sheet(&c);
    remediation(&c);
    if (c.fleet) rk_fleet_remediation(c.fleet, d);
    manual_checks(&c, c.fleet ? RK_TARGET_XLSX : RK_TARGET_ALL);
    if (c.fleet) manual_checks(&c, RK_TARGET_PDF);
    size_t before = d->nsections;
    rk_readiness_exceptions(d, a, t, c.fleet ? (size_t)max : SIZE_MAX);
    if (baseline) rk_readiness_changes(d, baseline, t);
    for (size_t i = before; i < d->nsections; i++) d->sections[i].landscape = 1; /* wide tables */
    appendix(&c);
    signoff(&c);
    rk_fleet_free(c.fleet);
    free(c.sorted);
    free(c.by_host);
    free(c.host_start);
    return d;
}
