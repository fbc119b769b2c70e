/* readiness_risk.c - the readiness report's "Risk accepted" view (what the waivers change,
 * who accepted which risk until when) and the workbook's waiver register sheet. */
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "readiness_doc.h"
#include "explain.h"
#include "util.h"

#define DAY 86400

static const char *T(rk_tmpl *t, const char *key)
{
    return rk_tmpl_get(t, key);
}

/* The status a finding has without waivers: its original status when a waiver applies,
 * its status otherwise (attestations stay applied: they record checks, not risk). */
static rk_status without_waivers(const rk_finding *f)
{
    return f->waiver ? f->original : f->status;
}

static void number(rk_cell *c, size_t v, rk_tone tone)
{
    char s[32];
    snprintf(s, sizeof s, "%zu", v);
    rk_cell_number(c, (double)v, s);
    c->tone = tone;
}

char *rk_risk_expiry_text(rk_tmpl *t, const rk_waiver *w, int64_t date)
{
    int64_t day = date - ((date % DAY) + DAY) % DAY;
    int64_t days = (w->expires_epoch - day) / DAY;
    if (days <= 0) return rk_tmpl_fmt(t, "risk.expires_today", "date", w->expires, NULL);
    if (days == 1) return rk_tmpl_fmt(t, "risk.expires_in_one", "date", w->expires, NULL);
    char n[32];
    snprintf(n, sizeof n, "%lld", (long long)days);
    return rk_tmpl_fmt(t, "risk.expires_in", "date", w->expires, "days", n, NULL);
}

/* Counts by status without and with the waivers. */
static void overall(rk_section *s, const rk_assessment *a, rk_tmpl *t)
{
    size_t before[RK_ST_COUNT] = {0}, after[RK_ST_COUNT] = {0};
    for (size_t i = 0; i < a->nfindings; i++) {
        before[without_waivers(&a->findings[i])]++;
        after[a->findings[i].status]++;
    }
    rk_table *x = rk_section_table(s, "RiskOverall", 3);
    rk_table_col(x, 0, T(t, "risk.col.status"), 30);
    rk_table_col(x, 1, T(t, "risk.col.without"), 20);
    rk_table_col(x, 2, T(t, "risk.col.with"), 20);
    /* the reading order of the report: blocking first */
    static const rk_status order[] = {RK_ST_FAIL,   RK_ST_WARN,     RK_ST_UNKNOWN, RK_ST_WAIVED,
                                      RK_ST_MANUAL, RK_ST_ATTESTED, RK_ST_PASS,    RK_ST_NA};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        rk_status st = order[k];
        rk_cell *row = rk_table_row(x);
        rk_cell_set(&row[0], rk_status_word(t, st), rk_status_tone(st));
        number(&row[1], before[st], RK_TONE_NONE);
        number(&row[2], after[st], before[st] != after[st] ? RK_TONE_INFO : RK_TONE_NONE);
    }
}

/* One row per host whose findings the waivers change. Returns the number of rows. */
static size_t by_host(rk_section *s, const rk_assessment *a, rk_tmpl *t)
{
    size_t nh = a->project->nhosts;
    size_t(*c)[2][RK_ST_COUNT] = rk_xcalloc(nh ? nh : 1, sizeof(*c));
    size_t *waived = rk_xcalloc(nh ? nh : 1, sizeof(size_t));
    size_t *start = rk_xcalloc(nh + 1, sizeof(size_t));
    for (size_t i = 0; i < a->nfindings; i++) {
        const rk_finding *f = &a->findings[i];
        if (f->host >= nh) continue;
        c[f->host][0][without_waivers(f)]++;
        c[f->host][1][f->status]++;
        if (f->waiver) waived[f->host]++;
        start[f->host + 1]++;
    }
    for (size_t h = 0; h < nh; h++)
        start[h + 1] += start[h];
    /* each host's findings, to give its verdict without the waivers */
    rk_finding *copy = rk_xcalloc(a->nfindings ? a->nfindings : 1, sizeof(rk_finding));
    size_t *fill = rk_xcalloc(nh ? nh : 1, sizeof(size_t));
    for (size_t i = 0; i < a->nfindings; i++) {
        const rk_finding *f = &a->findings[i];
        if (f->host >= nh) continue;
        rk_finding *g = &copy[start[f->host] + fill[f->host]++];
        *g = *f;
        g->status = without_waivers(f);
    }
    size_t rows = 0;
    rk_table *x = NULL;
    for (size_t h = 0; h < nh; h++) {
        if (!waived[h]) continue;
        if (!x) {
            x = rk_section_table(s, "RiskByHost", 10);
            static const char *const cols[10] = {
                "risk.col.host",         "risk.col.fail_without", "risk.col.fail_with",
                "risk.col.warn_without", "risk.col.warn_with",    "risk.col.unknown_without",
                "risk.col.unknown_with", "risk.col.waived",       "risk.col.verdict_without",
                "risk.col.verdict_with"};
            static const double widths[10] = {16, 9, 9, 9, 9, 9, 9, 9, 18, 18};
            for (size_t k = 0; k < 10; k++)
                rk_table_col(x, k, T(t, cols[k]), widths[k]);
        }
        rk_cell *row = rk_table_row(x);
        rk_cell_set(&row[0], a->project->hosts[h].name, RK_TONE_NONE);
        static const rk_status st[3] = {RK_ST_FAIL, RK_ST_WARN, RK_ST_UNKNOWN};
        for (size_t k = 0; k < 3; k++) {
            number(&row[1 + 2 * k], c[h][0][st[k]],
                   c[h][0][st[k]] ? rk_status_tone(st[k]) : RK_TONE_NONE);
            number(&row[2 + 2 * k], c[h][1][st[k]],
                   c[h][1][st[k]] ? rk_status_tone(st[k]) : RK_TONE_NONE);
        }
        number(&row[7], waived[h], RK_TONE_INFO);
        rk_verdict vb = rk_verdict_of(a, &copy[start[h]], start[h + 1] - start[h]);
        for (size_t i = start[h]; i < start[h + 1]; i++) /* and with them */
            if (copy[i].waiver) copy[i].status = RK_ST_WAIVED;
        rk_verdict va = rk_verdict_of(a, &copy[start[h]], start[h + 1] - start[h]);
        rk_cell_set(&row[8], rk_verdict_word(t, vb), rk_verdict_tone(vb));
        rk_cell_set(&row[9], rk_verdict_word(t, va), rk_verdict_tone(va));
        rows++;
    }
    free(fill);
    free(copy);
    free(start);
    free(waived);
    free(c);
    return rows;
}

/* The hosts whose findings a waiver covers. */
static size_t hosts_changed(const rk_assessment *a)
{
    size_t nh = a->project->nhosts, n = 0;
    unsigned char *seen = rk_xcalloc(nh ? nh : 1, 1);
    for (size_t i = 0; i < a->nfindings; i++) {
        const rk_finding *f = &a->findings[i];
        if (f->waiver && f->host < nh && !seen[f->host]) seen[f->host] = 1, n++;
    }
    free(seen);
    return n;
}

/* The per-host table, or the sentence that there is none, and how many hosts are left. */
static void by_host_part(rk_section *s, const rk_assessment *a, rk_tmpl *t)
{
    size_t rows = by_host(s, a, t);
    if (!rows) {
        rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, T(t, "risk.by_host.none"));
    } else if (rows < a->project->nhosts) {
        char n[32];
        snprintf(n, sizeof n, "%zu", a->project->nhosts - rows);
        char *u = rk_tmpl_fmt(t, "risk.hosts_unchanged", "count", n, NULL);
        rk_section_para(s, RK_PARA_SMALL, RK_TONE_NONE, u);
        free(u);
    }
}

static void waiver_list(rk_section *s, const rk_assessment *a, rk_tmpl *t)
{
    rk_table *x = rk_section_table(s, "RiskWaivers", 10);
    static const char *const cols[10] = {
        "risk.col.requirement", "risk.col.hosts",  "risk.col.approved_by", "risk.col.approved_on",
        "risk.col.risk",        "risk.col.ticket", "risk.col.scope",       "risk.col.expires",
        "risk.col.findings",    "risk.col.state"};
    static const double widths[10] = {22, 11, 15, 11, 10, 17, 22, 18, 7, 14};
    for (size_t k = 0; k < 10; k++)
        rk_table_col(x, k, T(t, cols[k]), widths[k]);
    x->cols[9].status = 1;
    for (size_t i = 0; i < a->nwaivers; i++) {
        const rk_waiver *w = &a->waivers[i];
        size_t covered = 0;
        for (size_t k = 0; k < a->nfindings; k++)
            covered += a->findings[k].waiver == w;
        rk_cell *row = rk_table_row(x);
        const rk_requirement *r = rk_schema_req(a->schema, w->requirement);
        if (r)
            rk_cell_setf(&row[0], RK_TONE_NONE, "%s\n%s", r->id, r->title);
        else
            rk_cell_set(&row[0], w->requirement, RK_TONE_NONE);
        rk_cell_set(&row[1], w->hosts, RK_TONE_NONE);
        rk_cell_set(&row[2], w->approved_by, RK_TONE_NONE);
        rk_cell_set(&row[3], w->approved_on ? w->approved_on : "", RK_TONE_NONE);
        char key[32];
        snprintf(key, sizeof key, "risk.level.%s", w->risk ? w->risk : "none");
        rk_tone rt = !w->risk                     ? RK_TONE_UNKNOWN
                     : !strcmp(w->risk, "high")   ? RK_TONE_FAIL
                     : !strcmp(w->risk, "medium") ? RK_TONE_WARN
                                                  : RK_TONE_NONE;
        rk_cell_set(&row[4], T(t, key), rt);
        rk_cell_set(&row[5], w->ticket ? w->ticket : "", RK_TONE_NONE);
        rk_cell_set(&row[6], w->scope ? w->scope : "", RK_TONE_NONE);
        if (w->expiring) {
            char *e = rk_risk_expiry_text(t, w, a->date);
            rk_cell_set(&row[7], e, RK_TONE_WARN);
            free(e);
        } else {
            rk_cell_set(&row[7], w->expires, w->expired ? RK_TONE_WARN : RK_TONE_NONE);
        }
        number(&row[8], covered, RK_TONE_NONE);
        const char *state = w->expired    ? "risk.state.expired"
                            : !w->used    ? "risk.state.unused"
                            : w->expiring ? "risk.state.expiring"
                                          : "risk.state.applied";
        rk_tone st = w->expired || w->expiring ? RK_TONE_WARN
                     : !w->used                ? RK_TONE_MUTED
                                               : RK_TONE_INFO;
        rk_cell_set(&row[9], T(t, state), st);
    }
}

void rk_readiness_risk(rk_doc *doc, const rk_assessment *a, rk_tmpl *t, size_t pdf_hosts_max)
{
    rk_section *s = rk_doc_section(doc, T(t, "risk.title"), 0, T(t, "risk.sheet"), RK_TARGET_ALL);
    s->new_page = 1;
    char date[11], days[16];
    rk_format_date(a->date, date);
    snprintf(days, sizeof days, "%d", RK_EXPIRING_DAYS);
    char *intro = rk_tmpl_fmt(t, "risk.intro", "days", days, "date", date, NULL);
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, intro);
    free(intro);
    if (!a->nwaivers) {
        rk_section_para(s, RK_PARA_NOTE, RK_TONE_NONE, T(t, "risk.none"));
        return;
    }

    rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE, T(t, "risk.overall"));
    rk_finding *copy = rk_xcalloc(a->nfindings ? a->nfindings : 1, sizeof(rk_finding));
    for (size_t i = 0; i < a->nfindings; i++) {
        copy[i] = a->findings[i];
        copy[i].status = without_waivers(&a->findings[i]);
    }
    rk_verdict before = rk_verdict_of(a, copy, a->nfindings);
    free(copy);
    rk_verdict after = rk_verdict_of(a, a->findings, a->nfindings);
    char *v = rk_tmpl_fmt(t, "risk.verdict", "before", rk_verdict_word(t, before), "after",
                          rk_verdict_word(t, after), NULL);
    rk_section_para(s, RK_PARA_VERDICT, rk_verdict_tone(after), v);
    free(v);
    size_t expiring = 0;
    for (size_t i = 0; i < a->nwaivers; i++)
        expiring += a->waivers[i].expiring && a->waivers[i].used;
    if (expiring) {
        rk_verdict later = rk_verdict_expiring_as_expired(a);
        char *e = rk_tmpl_fmt(t, "risk.verdict_expiring", "verdict", rk_verdict_word(t, later), NULL);
        rk_section_para(s, RK_PARA_NORMAL, later != after ? RK_TONE_WARN : RK_TONE_NONE, e);
        free(e);
    }
    overall(s, a, t);

    rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE, T(t, "risk.by_host"));
    size_t changed = hosts_changed(a);
    if (changed > pdf_hosts_max) {
        /* a fleet: the PDF says how many and where they are, the workbook lists them; each
         * section is filled before the next is added (adding one moves the others) */
        rk_section *note = rk_doc_section(doc, NULL, 0, NULL, RK_TARGET_PDF);
        char n[32];
        snprintf(n, sizeof n, "%zu", changed);
        char *text = rk_tmpl_fmt(t, "risk.by_host.pdf_omitted", "count", n, "sheet",
                                 T(t, "risk.sheet"), NULL);
        rk_section_para(note, RK_PARA_NOTE, RK_TONE_INFO, text);
        free(text);
        by_host_part(rk_doc_section(doc, NULL, 0, NULL, RK_TARGET_XLSX), a, t);
        s = rk_doc_section(doc, NULL, 0, NULL, RK_TARGET_ALL);
    } else {
        by_host_part(s, a, t);
    }
    rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE, T(t, "risk.register"));
    waiver_list(s, a, t);
}

void rk_readiness_register(rk_doc *doc, const rk_assessment *a, rk_tmpl *t)
{
    rk_section *s = rk_doc_section(doc, T(t, "reg.title"), 0, T(t, "reg.sheet"), RK_TARGET_XLSX);
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, T(t, "reg.intro"));
    /* the top level of a waivers file: how a workbook read back is recognised */
    rk_table *k = rk_section_table(s, "RegisterFormat", 2);
    k->kv = 1;
    rk_table_col(k, 0, "", 28);
    rk_table_col(k, 1, "", 40);
    rk_cell *row = rk_table_row(k);
    rk_cell_set(&row[0], T(t, "reg.format"), RK_TONE_NONE);
    rk_cell_set(&row[1], RK_WAIVERS_FORMAT, RK_TONE_NONE);
    row = rk_table_row(k);
    rk_cell_set(&row[0], T(t, "reg.schema"), RK_TONE_NONE);
    rk_cell_set(&row[1], a->schema->id, RK_TONE_NONE);

    /* the columns of readykit-waivers/1, in the order of its documentation */
    static const char *const cols[RK_WAIVER_NCOLS] = {
        "reg.col.requirement", "reg.col.hosts",       "reg.col.justification",
        "reg.col.approved_by", "reg.col.approved_on", "reg.col.risk",
        "reg.col.ticket",      "reg.col.scope",       "reg.col.expires"};
    static const double widths[RK_WAIVER_NCOLS] = {24, 16, 40, 22, 14, 10, 16, 30, 14};
    rk_table *x = rk_section_table(s, "WaiverRegister", RK_WAIVER_NCOLS);
    for (size_t c = 0; c < RK_WAIVER_NCOLS; c++) {
        rk_table_col(x, c, T(t, cols[c]), widths[c]);
        x->cols[c].input = 1;
        x->cols[c].wrap = 1;
    }
    x->cols[4].date = x->cols[8].date = 1;
    static const char *const risks[] = {"low", "medium", "high"};
    rk_column_choices(&x->cols[5], risks, 3);
    for (size_t i = 0; i < a->nwaivers; i++) {
        const rk_waiver *w = &a->waivers[i];
        const char *v[RK_WAIVER_NCOLS] = {w->requirement, w->hosts,       w->justification,
                                          w->approved_by, w->approved_on, w->risk,
                                          w->ticket,      w->scope,       w->expires};
        row = rk_table_row(x);
        for (size_t c = 0; c < RK_WAIVER_NCOLS; c++)
            rk_cell_set(&row[c], v[c] ? v[c] : "", RK_TONE_NONE);
    }
}
