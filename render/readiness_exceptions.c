/* readiness_exceptions.c - the readiness report's sections on waivers and attestations:
 * risk accepted (readiness_risk.c), the entries themselves, and the waiver register. */
#include <stdlib.h>
#include <string.h>

#include "readiness_doc.h"
#include "explain.h"
#include "util.h"

static void requirement_cell(const rk_schema *s, rk_cell *c, const char *id)
{
    const rk_requirement *r = rk_schema_req(s, id);
    if (r)
        rk_readiness_req_cell(c, r);
    else
        rk_cell_set(c, id, RK_TONE_NONE);
}

/* Findings listed one per line in an entry's cell; above this the cell counts them and
 * says where they are listed (a fleet-wide waiver covers hundreds of findings, more than
 * a page, and more than a workbook cell holds). */
#define RK_COVERED_LIST_MAX 30

static int covers(const rk_finding *f, const rk_waiver *w, const rk_attestation *at)
{
    return !((w && f->waiver != w) || (at && f->attestation != at));
}

/* The findings an entry covers: "HOST (status before)" lines, in findings order, or their
 * count by host and status when there are more than RK_COVERED_LIST_MAX. */
static char *covered(const rk_assessment *a, const rk_waiver *w, const rk_attestation *at,
                     rk_tmpl *t)
{
    size_t n = 0, nhosts = 0, by[RK_ST_COUNT] = {0};
    unsigned char *seen = rk_xcalloc(a->project->nhosts ? a->project->nhosts : 1, 1);
    for (size_t i = 0; i < a->nfindings; i++) {
        const rk_finding *f = &a->findings[i];
        if (!covers(f, w, at)) continue;
        n++;
        by[f->original]++;
        if (!seen[f->host]) seen[f->host] = 1, nhosts++;
    }
    free(seen);
    rk_buf b = {0};
    if (n > RK_COVERED_LIST_MAX) {
        for (int st = 0; st < RK_ST_COUNT; st++)
            if (by[st]) rk_buf_printf(&b, "%s%s %zu", b.len ? ", " : "", rk_status_word(t, (rk_status)st), by[st]);
        char nf[24], nh[24];
        snprintf(nf, sizeof nf, "%zu", n);
        snprintf(nh, sizeof nh, "%zu", nhosts);
        char *text = rk_tmpl_fmt(t, "exc.covered_many", "findings", nf, "hosts", nh, "statuses",
                                 b.data, "sheet", rk_tmpl_get(t, "sheet.findings"), "column",
                                 rk_tmpl_get(t, "col.exception"), NULL);
        rk_buf_free(&b);
        return text;
    }
    for (size_t i = 0; i < a->nfindings; i++) {
        const rk_finding *f = &a->findings[i];
        if (!covers(f, w, at)) continue;
        if (b.len) rk_buf_putc(&b, '\n');
        rk_buf_puts(&b, a->project->hosts[f->host].name);
        if (f->flow >= 0 && (size_t)f->flow < a->nflows)
            rk_buf_printf(&b, " %s", a->flows[f->flow].id);
        rk_buf_printf(&b, " (%s)", rk_status_word(t, f->original));
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

/* A table's columns: template keys and widths. */
typedef struct col_def {
    const char *key;
    double width;
} col_def;

static rk_table *table_with(rk_section *s, const char *name, rk_tmpl *t, const col_def *cols,
                            size_t n)
{
    rk_table *x = rk_section_table(s, name, n);
    for (size_t i = 0; i < n; i++) rk_table_col(x, i, rk_tmpl_get(t, cols[i].key), cols[i].width);
    return x;
}

/* The applied waivers, one row each. */
static void applied_waivers(rk_section *s, const rk_assessment *a, rk_tmpl *t, size_t applied)
{
    rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE, rk_tmpl_get(t, "exc.waivers"));
    if (!applied) {
        rk_section_para(
            s, RK_PARA_NORMAL, RK_TONE_NONE,
            rk_tmpl_get(t, a->nwaivers ? "exc.waivers.none_applied" : "exc.waivers.none"));
        return;
    }
    static const col_def cols[] = {
        {"exc.col.requirement", 26}, {"exc.col.hosts", 12},   {"exc.col.justification", 30},
        {"exc.col.approved_by", 15}, {"exc.col.expires", 14}, {"exc.col.reference", 16},
        {"exc.col.covered", 20}};
    rk_table *x = table_with(s, "Waivers", t, cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; i < a->nwaivers; i++) {
        const rk_waiver *w = &a->waivers[i];
        if (!w->used || w->expired) continue;
        rk_cell *row = rk_table_row(x);
        requirement_cell(a->schema, &row[0], w->requirement);
        rk_cell_set(&row[1], w->hosts, RK_TONE_NONE);
        rk_cell_set(&row[2], w->justification, RK_TONE_NONE);
        rk_cell_set(&row[3], w->approved_by, RK_TONE_NONE);
        if (w->expiring) {
            char days[16];
            snprintf(days, sizeof days, "%d", RK_EXPIRING_DAYS);
            char *flag = rk_tmpl_fmt(t, "exc.expiring", "days", days, NULL);
            rk_cell_setf(&row[4], RK_TONE_WARN, "%s\n%s", w->expires, flag);
            free(flag);
        } else {
            rk_cell_set(&row[4], w->expires, RK_TONE_INFO);
        }
        rk_cell_set(&row[5], w->ticket ? w->ticket : "", RK_TONE_NONE);
        char *cov = covered(a, w, NULL, t);
        rk_cell_set(&row[6], cov, RK_TONE_INFO);
        free(cov);
    }
}

/* The applied attestations, one row each. */
static void applied_attestations(rk_section *s, const rk_assessment *a, rk_tmpl *t, size_t applied)
{
    rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE, rk_tmpl_get(t, "exc.attestations"));
    if (!applied) {
        rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE,
                        rk_tmpl_get(t, a->nattestations ? "exc.attestations.none_applied"
                                                        : "exc.attestations.none"));
        return;
    }
    static const col_def cols[] = {
        {"exc.col.requirement", 26}, {"exc.col.hosts", 12},    {"exc.col.attested_by", 15},
        {"exc.col.date", 14},        {"exc.col.evidence", 30}, {"exc.col.expires", 14},
        {"exc.col.covered", 20}};
    rk_table *x = table_with(s, "Attestations", t, cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; i < a->nattestations; i++) {
        const rk_attestation *at = &a->attestations[i];
        if (!at->used || at->expired) continue;
        rk_cell *row = rk_table_row(x);
        requirement_cell(a->schema, &row[0], at->requirement);
        rk_cell_set(&row[1], at->hosts ? at->hosts : rk_tmpl_get(t, "exc.all_hosts"), RK_TONE_NONE);
        rk_cell_set(&row[2], at->attested_by, RK_TONE_NONE);
        rk_cell_set(&row[3], at->date, RK_TONE_NONE);
        rk_cell_set(&row[4], at->evidence, RK_TONE_NONE);
        rk_cell_set(&row[5], at->expires, RK_TONE_INFO);
        char *cov = covered(a, NULL, at, t);
        rk_cell_set(&row[6], cov, RK_TONE_INFO);
        free(cov);
    }
}

/* Expired (expired 1) or unused (0) waivers and attestations, in one table. */
static void other_exceptions(rk_section *s, const rk_assessment *a, rk_tmpl *t, int expired,
                             const char *date)
{
    rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE,
                    rk_tmpl_get(t, expired ? "exc.expired" : "exc.unused"));
    char *txt = expired ? rk_tmpl_fmt(t, "exc.expired.intro", "date", date, NULL)
                        : rk_xstrdup(rk_tmpl_get(t, "exc.unused.intro"));
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, txt);
    free(txt);
    rk_table *x = exceptions_table(s, expired ? "ExpiredExceptions" : "UnusedExceptions", t);
    rk_tone tone = expired ? RK_TONE_WARN : RK_TONE_NONE;
    for (size_t i = 0; i < a->nwaivers; i++) {
        const rk_waiver *w = &a->waivers[i];
        if (expired ? w->expired : !w->used && !w->expired) exception_row(a, x, t, w, NULL, tone);
    }
    for (size_t i = 0; i < a->nattestations; i++) {
        const rk_attestation *at = &a->attestations[i];
        if (expired ? at->expired : !at->used && !at->expired)
            exception_row(a, x, t, NULL, at, tone);
    }
}

static void exceptions_section(rk_doc *doc, const rk_assessment *a, rk_tmpl *t)
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
    size_t applied = 0, a_applied = 0, expired = 0, unused = 0;
    for (size_t i = 0; i < a->nwaivers; i++) {
        const rk_waiver *w = &a->waivers[i];
        applied += w->used && !w->expired;
        expired += w->expired;
        unused += !w->used && !w->expired;
    }
    for (size_t i = 0; i < a->nattestations; i++) {
        const rk_attestation *at = &a->attestations[i];
        a_applied += at->used && !at->expired;
        expired += at->expired;
        unused += !at->used && !at->expired;
    }
    applied_waivers(s, a, t, applied);
    applied_attestations(s, a, t, a_applied);
    if (expired) other_exceptions(s, a, t, 1, date);
    if (unused) other_exceptions(s, a, t, 0, date);
}

void rk_readiness_exceptions(rk_doc *doc, const rk_assessment *a, rk_tmpl *t, size_t pdf_hosts_max)
{
    rk_readiness_risk(doc, a, t, pdf_hosts_max);
    exceptions_section(doc, a, t);
    rk_readiness_register(doc, a, t);
}
