/* readiness_fleet.c - the readiness report's PDF at fleet scale: hosts grouped by their
 * roles and findings, and findings grouped by requirement and status. A change board
 * reads "41 × Web server: all pass" and the rows that differ; every host's own findings
 * stay in the workbook and findings.json. */
#include "readiness_fleet.h"

#include <stdlib.h>
#include <string.h>

#include "readiness_doc.h"
#include "explain.h"
#include "util.h"

#define NAMES_IN_CELL 8   /* host names shown in a table cell before "and N more" */
#define NAMES_IN_GROUP 40 /* host names shown in a group's own section */

typedef struct fgroup {
    size_t *hosts; /* project indexes, ascending */
    size_t nhosts;
    char *sig; /* what its hosts share (see signature) */
} fgroup;

struct rk_fleet {
    const rk_assessment *a;
    rk_tmpl *t;
    const size_t *by_host, *host_start;
    size_t detail_max;
    fgroup *groups; /* in reading order: worst verdict, then largest, then first host */
    size_t ngroups;
};

/* Findings of (requirement, status) over a set of hosts: one row of a grouped table. */
typedef struct agg {
    size_t req;
    rk_status status;
    const rk_finding *first;
    size_t nfindings;
    size_t *hosts; /* distinct, in the order met (ascending when the hosts were) */
    size_t nhosts;
    int same_text;      /* every finding has the first one's actual and message */
    int same_expected;  /* ... and its expected */
    int same_exception; /* ... and its waiver or attestation */
} agg;

static const char *T(const rk_fleet *f, const char *key)
{
    return rk_tmpl_get(f->t, key);
}

/* The reading order of statuses, as in the rest of the report: what fails first. */
static int status_rank(rk_status s)
{
    static const int rank[RK_ST_COUNT] = {
        [RK_ST_FAIL] = 0,   [RK_ST_WARN] = 1,     [RK_ST_UNKNOWN] = 2, [RK_ST_WAIVED] = 3,
        [RK_ST_MANUAL] = 4, [RK_ST_ATTESTED] = 5, [RK_ST_PASS] = 6,    [RK_ST_NA] = 7};
    return s < RK_ST_COUNT ? rank[s] : 8;
}

static void count_cell(rk_cell *c, size_t n)
{
    char num[32];
    snprintf(num, sizeof num, "%zu", n);
    rk_cell_number(c, (double)n, num);
}

static int same_str(const char *x, const char *y)
{
    return (!x && !y) || (x && y && !strcmp(x, y));
}

/* ---- host names ------------------------------------------------------------------ */

static char *names_text(const rk_assessment *a, rk_tmpl *t, const size_t *hosts, size_t n,
                        size_t max)
{
    rk_buf b = {0};
    for (size_t i = 0; i < n && i < max; i++)
        rk_buf_printf(&b, "%s%s", i ? ", " : "", a->project->hosts[hosts[i]].name);
    if (n > max) {
        char more[32];
        snprintf(more, sizeof more, "%zu", n - max);
        char *m = rk_tmpl_fmt(t, "fleet.more", "count", more, NULL);
        rk_buf_printf(&b, " %s", m);
        free(m);
    }
    if (!b.data) rk_buf_puts(&b, "");
    return rk_buf_take(&b);
}

static char *hosts_text(const rk_assessment *a, rk_tmpl *t, const size_t *hosts, size_t n,
                        size_t max)
{
    char *names = names_text(a, t, hosts, n, max);
    char count[32];
    snprintf(count, sizeof count, "%zu", n);
    char *s = rk_tmpl_fmt(t, n == 1 ? "fleet.hosts_one" : "fleet.hosts", "count", count, "names",
                          names, NULL);
    free(names);
    return s;
}

char *rk_fleet_hosts_text(const rk_assessment *a, rk_tmpl *t, const size_t *hosts, size_t n)
{
    return hosts_text(a, t, hosts, n, NAMES_IN_CELL);
}

/* ---- grouping hosts ---------------------------------------------------------------- */

/* What a host's group is decided by: its roles, whether it has a fact file, and its
 * (requirement, status) pairs in reading order. Several findings of one requirement
 * with one status (one per blocked flow) count once, so that hosts differing only in
 * which flows are blocked still group together. */
static char *signature(const rk_fleet *f, size_t h)
{
    const rk_assessment *a = f->a;
    rk_buf b = {0};
    rk_buf_printf(&b, "%x/%d", (unsigned)a->project->hosts[h].roles, a->facts[h] != NULL);
    size_t last_req = SIZE_MAX;
    rk_status last_st = RK_ST_COUNT;
    for (size_t k = f->host_start[h]; k < f->host_start[h + 1]; k++) {
        const rk_finding *x = &a->findings[f->by_host[k]];
        if (x->req == last_req && x->status == last_st) continue;
        rk_buf_printf(&b, ";%zx:%d", x->req, (int)x->status);
        last_req = x->req;
        last_st = x->status;
    }
    return rk_buf_take(&b);
}

typedef struct host_sig {
    const char *sig;
    size_t host;
} host_sig;

static int cmp_host_sig(const void *x, const void *y)
{
    const host_sig *p = x, *q = y;
    int c = strcmp(p->sig, q->sig);
    if (c) return c;
    return p->host < q->host ? -1 : p->host > q->host;
}

typedef struct group_key {
    const rk_fleet *f;
    size_t g;
} group_key;

static int cmp_group(const void *x, const void *y)
{
    const group_key *p = x, *q = y;
    const fgroup *a = &p->f->groups[p->g], *b = &q->f->groups[q->g];
    rk_verdict va = p->f->a->host_verdicts[a->hosts[0]], vb = p->f->a->host_verdicts[b->hosts[0]];
    if (va != vb) return va < vb ? -1 : 1; /* the enum runs from not-ready to ready */
    if (a->nhosts != b->nhosts) return a->nhosts > b->nhosts ? -1 : 1;
    return a->hosts[0] < b->hosts[0] ? -1 : a->hosts[0] > b->hosts[0];
}

rk_fleet *rk_fleet_new(const rk_assessment *a, rk_tmpl *t, const size_t *by_host,
                       const size_t *host_start, size_t detail_max)
{
    rk_fleet *f = rk_xcalloc(1, sizeof(*f));
    f->a = a;
    f->t = t;
    f->by_host = by_host;
    f->host_start = host_start;
    f->detail_max = detail_max;
    size_t nh = a->project->nhosts;
    host_sig *hs = rk_xcalloc(nh ? nh : 1, sizeof(*hs));
    for (size_t h = 0; h < nh; h++)
        hs[h] = (host_sig){signature(f, h), h};
    qsort(hs, nh, sizeof(*hs), cmp_host_sig);
    f->groups = rk_xcalloc(nh ? nh : 1, sizeof(fgroup));
    for (size_t i = 0; i < nh;) {
        fgroup *g = &f->groups[f->ngroups++];
        size_t n = 1;
        while (i + n < nh && !strcmp(hs[i + n].sig, hs[i].sig))
            n++;
        g->sig = (char *)hs[i].sig;
        g->hosts = rk_xcalloc(n, sizeof(size_t));
        for (size_t k = 0; k < n; k++) {
            g->hosts[g->nhosts++] = hs[i + k].host;
            if (k) free((char *)hs[i + k].sig);
        }
        i += n;
    }
    free(hs);
    /* reading order */
    group_key *keys = rk_xcalloc(f->ngroups ? f->ngroups : 1, sizeof(*keys));
    for (size_t g = 0; g < f->ngroups; g++)
        keys[g] = (group_key){f, g};
    qsort(keys, f->ngroups, sizeof(*keys), cmp_group);
    fgroup *ordered = rk_xcalloc(f->ngroups ? f->ngroups : 1, sizeof(fgroup));
    for (size_t g = 0; g < f->ngroups; g++)
        ordered[g] = f->groups[keys[g].g];
    free(keys);
    free(f->groups);
    f->groups = ordered;
    return f;
}

void rk_fleet_free(rk_fleet *f)
{
    if (!f) return;
    for (size_t g = 0; g < f->ngroups; g++) {
        free(f->groups[g].hosts);
        free(f->groups[g].sig);
    }
    free(f->groups);
    free(f);
}

/* ---- findings by requirement and status --------------------------------------------- */

typedef int (*keep_fn)(const rk_assessment *a, const rk_finding *x);

static int keep_all(const rk_assessment *a, const rk_finding *x)
{
    (void)a, (void)x;
    return 1;
}

/* Blocking as the summary counts it: a failure, or a required check left unknown. */
static int keep_blocking(const rk_assessment *a, const rk_finding *x)
{
    return x->status == RK_ST_FAIL ||
           (x->status == RK_ST_UNKNOWN && a->schema->reqs[x->req].severity == RK_SEV_REQUIRED);
}

static int keep_remediation(const rk_assessment *a, const rk_finding *x)
{
    (void)a;
    return x->status == RK_ST_FAIL || x->status == RK_ST_WARN || x->status == RK_ST_UNKNOWN;
}

static int cmp_agg(const void *x, const void *y)
{
    const agg *p = x, *q = y;
    int rp = status_rank(p->status), rq = status_rank(q->status);
    if (rp != rq) return rp < rq ? -1 : 1;
    return p->req < q->req ? -1 : p->req > q->req;
}

/* The findings of hosts[0..nhosts) that keep accepts, one agg per (requirement,
 * status), in reading order. Free with aggs_free. */
static agg *aggregate(const rk_fleet *f, const size_t *hosts, size_t nhosts, keep_fn keep,
                      size_t *n)
{
    const rk_assessment *a = f->a;
    size_t nreq = a->schema->nreqs;
    size_t *slot = rk_xmalloc((nreq ? nreq : 1) * RK_ST_COUNT * sizeof(size_t));
    for (size_t i = 0; i < nreq * RK_ST_COUNT; i++)
        slot[i] = SIZE_MAX;
    agg *v = NULL;
    size_t nv = 0, cap = 0;
    for (size_t i = 0; i < nhosts; i++) {
        size_t h = hosts[i];
        for (size_t k = f->host_start[h]; k < f->host_start[h + 1]; k++) {
            const rk_finding *x = &a->findings[f->by_host[k]];
            if (!keep(a, x)) continue;
            size_t *s = &slot[x->req * RK_ST_COUNT + x->status];
            if (*s == SIZE_MAX) {
                if (nv == cap) {
                    cap = cap ? cap * 2 : 16;
                    v = rk_xrealloc(v, cap * sizeof(agg));
                }
                *s = nv;
                v[nv++] = (agg){x->req, x->status, x, 0, NULL, 0, 1, 1, 1};
            }
            agg *g = &v[*s];
            if (!g->nhosts || g->hosts[g->nhosts - 1] != h) {
                g->hosts = rk_xrealloc(g->hosts, (g->nhosts + 1) * sizeof(size_t));
                g->hosts[g->nhosts++] = h;
            }
            g->nfindings++;
            const rk_finding *r = g->first;
            if (g->same_text &&
                (!same_str(x->actual, r->actual) || !same_str(x->message, r->message)))
                g->same_text = 0;
            if (g->same_expected && !same_str(x->expected, r->expected)) g->same_expected = 0;
            if (g->same_exception && (x->waiver != r->waiver || x->attestation != r->attestation))
                g->same_exception = 0;
        }
    }
    free(slot);
    if (nv) qsort(v, nv, sizeof(agg), cmp_agg);
    *n = nv;
    return v;
}

static void aggs_free(agg *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].hosts);
    free(v);
}

/* What was found: the text all the findings share, else a word that it differs (or,
 * for one finding per flow, how many there are). with_message adds the detail as the
 * host sections do. */
static void actual_cell(const rk_fleet *f, rk_cell *c, const agg *g, int with_message)
{
    const rk_finding *x = g->first;
    if (g->nfindings > g->nhosts) {
        char n[32];
        snprintf(n, sizeof n, "%zu", g->nfindings);
        char *s = rk_tmpl_fmt(f->t, "fleet.per_flow", "count", n, NULL);
        rk_cell_set(c, s, RK_TONE_NONE);
        free(s);
    } else if (!g->same_text) {
        rk_cell_set(c, T(f, "fleet.varies"), RK_TONE_NONE);
    } else if (with_message && x->message && x->status != RK_ST_PASS && x->status != RK_ST_NA &&
               x->status != RK_ST_MANUAL && strcmp(x->message, x->actual) != 0) {
        rk_cell_setf(c, RK_TONE_NONE, "%s\n(%s)", x->actual, x->message);
    } else {
        rk_cell_set(c, x->actual, RK_TONE_NONE);
    }
}

static void hosts_cell(const rk_fleet *f, rk_cell *c, const agg *g)
{
    char *s = hosts_text(f->a, f->t, g->hosts, g->nhosts, NAMES_IN_CELL);
    rk_cell_set(c, s, RK_TONE_NONE);
    free(s);
}

/* ---- summary parts ------------------------------------------------------------------ */

void rk_fleet_note(const rk_fleet *f, rk_section *s)
{
    char hosts[32], max[32];
    snprintf(hosts, sizeof hosts, "%zu", f->a->project->nhosts);
    snprintf(max, sizeof max, "%zu", f->detail_max);
    char *text = rk_tmpl_fmt(f->t, "fleet.note", "hosts", hosts, "max", max, NULL);
    rk_section_para(s, RK_PARA_NOTE, RK_TONE_NONE, text);
    free(text);
}

static size_t *all_hosts(const rk_assessment *a)
{
    size_t n = a->project->nhosts;
    size_t *v = rk_xcalloc(n ? n : 1, sizeof(size_t));
    for (size_t h = 0; h < n; h++)
        v[h] = h;
    return v;
}

void rk_fleet_blocking(const rk_fleet *f, rk_section *s)
{
    const rk_assessment *a = f->a;
    size_t *hosts = all_hosts(a), n;
    agg *v = aggregate(f, hosts, a->project->nhosts, keep_blocking, &n);
    free(hosts);
    rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE, T(f, "report.blocking"));
    if (!n) {
        rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, T(f, "report.no_blocking"));
        aggs_free(v, n);
        return;
    }
    rk_table *b = rk_section_table(s, "Blocking", 5);
    rk_table_col(b, 0, T(f, "col.requirement"), 28);
    rk_table_col(b, 1, T(f, "col.status"), 10);
    rk_table_col(b, 2, T(f, "col.hosts"), 26);
    rk_table_col(b, 3, T(f, "col.actual"), 22);
    rk_table_col(b, 4, T(f, "col.remediation"), 40);
    b->cols[1].status = 1;
    for (size_t i = 0; i < n; i++) {
        rk_cell *row = rk_table_row(b);
        rk_readiness_req_cell(&row[0], &f->a->schema->reqs[v[i].req]);
        rk_cell_set(&row[1], rk_status_word(f->t, v[i].status), rk_status_tone(v[i].status));
        hosts_cell(f, &row[2], &v[i]);
        actual_cell(f, &row[3], &v[i], 0);
        rk_cell_set(&row[4], a->schema->reqs[v[i].req].remediation, RK_TONE_NONE);
    }
    aggs_free(v, n);
}

void rk_fleet_by_zone(const rk_fleet *f, rk_section *s)
{
    const rk_assessment *a = f->a;
    const rk_project *p = a->project;
    static const rk_status cols[] = {RK_ST_FAIL,   RK_ST_WARN,   RK_ST_UNKNOWN,
                                     RK_ST_MANUAL, RK_ST_WAIVED, RK_ST_PASS};
    size_t ncols = sizeof cols / sizeof cols[0];
    /* zone of each host: its index in the project's zones, nzones for none */
    size_t nz = p->nzones;
    size_t *zone = rk_xcalloc(p->nhosts ? p->nhosts : 1, sizeof(size_t));
    size_t *hosts = rk_xcalloc(nz + 1, sizeof(size_t));
    size_t(*cnt)[RK_ST_COUNT] = rk_xcalloc(nz + 1, sizeof(*cnt));
    for (size_t h = 0; h < p->nhosts; h++) {
        zone[h] = nz;
        for (size_t z = 0; z < nz && p->hosts[h].zone; z++)
            if (!strcmp(p->zones[z].id, p->hosts[h].zone)) zone[h] = z;
        hosts[zone[h]]++;
    }
    for (size_t i = 0; i < a->nfindings; i++)
        cnt[zone[a->findings[i].host]][a->findings[i].status]++;
    rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE, T(f, "fleet.by_zone"));
    rk_table *t = rk_section_table(s, "ByZone", 2 + ncols);
    rk_table_col(t, 0, T(f, "col.zone"), 34);
    rk_table_col(t, 1, T(f, "col.hosts"), 8);
    for (size_t k = 0; k < ncols; k++)
        rk_table_col(t, 2 + k, rk_status_word(f->t, cols[k]), 10);
    for (size_t z = 0; z <= nz; z++) {
        if (!hosts[z]) continue;
        rk_cell *row = rk_table_row(t);
        rk_cell_set(&row[0], z < nz ? p->zones[z].title : T(f, "fleet.no_zone"), RK_TONE_NONE);
        count_cell(&row[1], hosts[z]);
        for (size_t k = 0; k < ncols; k++) {
            count_cell(&row[2 + k], cnt[z][cols[k]]);
            if (cnt[z][cols[k]] && cols[k] != RK_ST_PASS) row[2 + k].tone = rk_status_tone(cols[k]);
        }
    }
    free(zone);
    free(hosts);
    free(cnt);
}

/* ---- host groups -------------------------------------------------------------------- */

/* "2 fail, 1 manual, 14 pass" over a group's (requirement, status) pairs; "all pass"
 * when nothing but passes and not-applicable; "no requirement applies" when none. */
static char *outcome_text(const rk_fleet *f, const agg *v, size_t n)
{
    static const rk_status order[] = {RK_ST_FAIL,   RK_ST_WARN,     RK_ST_UNKNOWN, RK_ST_WAIVED,
                                      RK_ST_MANUAL, RK_ST_ATTESTED, RK_ST_PASS,    RK_ST_NA};
    size_t cnt[RK_ST_COUNT] = {0};
    for (size_t i = 0; i < n; i++)
        cnt[v[i].status]++;
    if (cnt[RK_ST_PASS] + cnt[RK_ST_NA] == n)
        return rk_xstrdup(T(f, cnt[RK_ST_PASS] ? "fleet.all_pass" : "fleet.no_requirements"));
    rk_buf b = {0};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        if (!cnt[order[k]] || order[k] == RK_ST_NA) continue;
        char num[32];
        snprintf(num, sizeof num, "%zu", cnt[order[k]]);
        char *s = rk_tmpl_fmt(f->t, "fleet.status_count", "count", num, "status",
                              rk_status_word(f->t, order[k]), NULL);
        rk_buf_printf(&b, "%s%s", b.len ? ", " : "", s);
        free(s);
    }
    return rk_buf_take(&b);
}

static char *zones_text(const rk_fleet *f, const fgroup *g)
{
    const rk_project *p = f->a->project;
    rk_buf b = {0};
    int none = 0;
    for (size_t z = 0; z < p->nzones; z++) {
        for (size_t i = 0; i < g->nhosts; i++) {
            const char *hz = p->hosts[g->hosts[i]].zone;
            if (hz && !strcmp(hz, p->zones[z].id)) {
                rk_buf_printf(&b, "%s%s", b.len ? ", " : "", p->zones[z].title);
                break;
            }
        }
    }
    for (size_t i = 0; i < g->nhosts && !none; i++) {
        const char *hz = p->hosts[g->hosts[i]].zone;
        int known = 0;
        for (size_t z = 0; z < p->nzones && hz && !known; z++)
            known = !strcmp(hz, p->zones[z].id);
        none = !known;
    }
    if (none) rk_buf_printf(&b, "%s%s", b.len ? ", " : "", T(f, "fleet.no_zone"));
    if (!b.data) rk_buf_puts(&b, "");
    return rk_buf_take(&b);
}

static char *group_title(const rk_fleet *f, const fgroup *g, const char *outcome)
{
    rk_buf roles = {0};
    rk_roles_titles(f->a->schema, f->a->project->hosts[g->hosts[0]].roles, &roles);
    char count[32];
    snprintf(count, sizeof count, "%zu", g->nhosts);
    char *s = rk_tmpl_fmt(f->t, "fleet.group_title", "count", count, "roles",
                          roles.data ? roles.data : "", "outcome", outcome, NULL);
    rk_buf_free(&roles);
    return s;
}

static void kv(rk_table *t, const char *k, const char *v, rk_tone tone)
{
    rk_cell *row = rk_table_row(t);
    rk_cell_set(&row[0], k, RK_TONE_NONE);
    rk_cell_set(&row[1], v ? v : "", tone);
}

/* What a group's hosts were told to do about one (requirement, status), as the host
 * sections say it for one host. */
static void remedy_cell(const rk_fleet *f, rk_cell *c, const agg *g)
{
    const rk_finding *x = g->first;
    const rk_requirement *r = &f->a->schema->reqs[g->req];
    if ((x->waiver || x->attestation) && !g->same_exception)
        rk_cell_set(c, T(f, "fleet.varies"), RK_TONE_NONE);
    else if (x->waiver)
        rk_cell_setf(c, RK_TONE_NONE, "%s: %s (%s, %s)", T(f, "label.waived_by"),
                     x->waiver->justification, x->waiver->approved_by, x->waiver->expires);
    else if (x->attestation)
        rk_cell_setf(c, RK_TONE_NONE, "%s: %s, %s — %s", T(f, "label.attested_by"),
                     x->attestation->attested_by, x->attestation->date, x->attestation->evidence);
    else if (g->status == RK_ST_PASS || g->status == RK_ST_NA)
        rk_cell_set(c, "", RK_TONE_NONE);
    else if (g->status == RK_ST_MANUAL)
        rk_cell_set(c, T(f, "report.see_manual"), RK_TONE_NONE);
    else
        rk_cell_set(c, r->remediation, RK_TONE_NONE);
}

static void group_section(const rk_fleet *f, rk_doc *d, const fgroup *g, const agg *v, size_t n,
                          const char *title)
{
    const rk_assessment *a = f->a;
    rk_section *s = rk_doc_section(d, title, 1, NULL, RK_TARGET_PDF);
    s->landscape = 1;
    s->new_page = n >= 12;
    rk_table *k = rk_section_table(s, "GroupFacts", 2);
    k->kv = 1;
    rk_table_col(k, 0, "", 40);
    rk_table_col(k, 1, "", 80);
    rk_buf roles = {0};
    rk_roles_titles(a->schema, a->project->hosts[g->hosts[0]].roles, &roles);
    kv(k, T(f, "col.roles"), roles.data, RK_TONE_NONE);
    rk_buf_free(&roles);
    rk_verdict vd = a->host_verdicts[g->hosts[0]];
    kv(k, T(f, "label.verdict"), rk_verdict_word(f->t, vd), rk_verdict_tone(vd));
    char *zones = zones_text(f, g);
    kv(k, T(f, "col.zone"), zones, RK_TONE_NONE);
    free(zones);
    char *names = hosts_text(a, f->t, g->hosts, g->nhosts, NAMES_IN_GROUP);
    kv(k, T(f, "col.hosts"), names, RK_TONE_NONE);
    free(names);
    if (!a->facts[g->hosts[0]])
        kv(k, T(f, "label.facts"), T(f, "report.no_facts"), RK_TONE_UNKNOWN);
    rk_section_space(s);
    if (!n) {
        rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, T(f, "report.host_no_requirements"));
        return;
    }
    rk_table *t = rk_section_table(s, "GroupFindings", 5);
    rk_table_col(t, 0, T(f, "col.requirement"), 28);
    rk_table_col(t, 1, T(f, "col.expected"), 24);
    rk_table_col(t, 2, T(f, "col.actual"), 26);
    rk_table_col(t, 3, T(f, "col.status"), 10);
    rk_table_col(t, 4, T(f, "col.remediation"), 36);
    t->cols[3].status = 1;
    for (size_t i = 0; i < n; i++) {
        const agg *x = &v[i];
        rk_cell *row = rk_table_row(t);
        rk_readiness_req_cell(&row[0], &f->a->schema->reqs[x->req]);
        if (x->nfindings > x->nhosts)
            rk_cell_set(&row[1], a->schema->reqs[x->req].expected, RK_TONE_NONE);
        else if (!x->same_expected)
            rk_cell_set(&row[1], T(f, "fleet.varies"), RK_TONE_NONE);
        else
            rk_cell_set(&row[1], x->first->expected, RK_TONE_NONE);
        actual_cell(f, &row[2], x, 1);
        rk_cell_set(&row[3], rk_status_word(f->t, x->status), rk_status_tone(x->status));
        remedy_cell(f, &row[4], x);
    }
}

void rk_fleet_hosts(const rk_fleet *f, rk_doc *d)
{
    const rk_assessment *a = f->a;
    size_t ng = f->ngroups;
    agg **v = rk_xcalloc(ng ? ng : 1, sizeof(agg *));
    size_t *nv = rk_xcalloc(ng ? ng : 1, sizeof(size_t));
    char **outcome = rk_xcalloc(ng ? ng : 1, sizeof(char *));
    for (size_t g = 0; g < ng; g++) {
        v[g] = aggregate(f, f->groups[g].hosts, f->groups[g].nhosts, keep_all, &nv[g]);
        outcome[g] = outcome_text(f, v[g], nv[g]);
    }

    rk_section *s = rk_doc_section(d, T(f, "report.hosts"), 0, NULL, RK_TARGET_PDF);
    s->new_page = 1;
    s->landscape = 1;
    char nh[32], ngs[32];
    snprintf(nh, sizeof nh, "%zu", a->project->nhosts);
    snprintf(ngs, sizeof ngs, "%zu", ng);
    char *intro = rk_tmpl_fmt(f->t, "fleet.hosts_intro", "hosts", nh, "groups", ngs, NULL);
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, intro);
    free(intro);
    rk_table *t = rk_section_table(s, "HostGroups", 6);
    rk_table_col(t, 0, T(f, "col.roles"), 24);
    rk_table_col(t, 1, T(f, "col.hosts"), 8);
    rk_table_col(t, 2, T(f, "col.verdict"), 14);
    rk_table_col(t, 3, T(f, "fleet.col.outcome"), 28);
    rk_table_col(t, 4, T(f, "col.zone"), 22);
    rk_table_col(t, 5, T(f, "fleet.col.names"), 40);
    t->cols[2].status = 1;
    for (size_t g = 0; g < ng; g++) {
        const fgroup *gr = &f->groups[g];
        rk_cell *row = rk_table_row(t);
        rk_buf roles = {0};
        rk_roles_titles(a->schema, a->project->hosts[gr->hosts[0]].roles, &roles);
        rk_cell_set(&row[0], roles.data, RK_TONE_NONE);
        rk_buf_free(&roles);
        count_cell(&row[1], gr->nhosts);
        rk_verdict vd = a->host_verdicts[gr->hosts[0]];
        rk_cell_set(&row[2], rk_verdict_word(f->t, vd), rk_verdict_tone(vd));
        rk_cell_set(&row[3], outcome[g], RK_TONE_NONE);
        char *z = zones_text(f, gr);
        rk_cell_set(&row[4], z, RK_TONE_NONE);
        free(z);
        char *names = names_text(a, f->t, gr->hosts, gr->nhosts, NAMES_IN_CELL);
        rk_cell_set(&row[5], names, RK_TONE_NONE);
        free(names);
    }

    rk_section *top = rk_doc_section(d, T(f, "fleet.groups"), 0, NULL, RK_TARGET_PDF);
    top->new_page = 1;
    top->landscape = 1;
    rk_section_para(top, RK_PARA_NORMAL, RK_TONE_NONE, T(f, "fleet.groups_intro"));
    size_t shown = ng < RK_FLEET_GROUP_SECTIONS ? ng : RK_FLEET_GROUP_SECTIONS;
    if (shown < ng) {
        size_t left = 0;
        for (size_t g = shown; g < ng; g++)
            left += f->groups[g].nhosts;
        char ngl[32], nhl[32], nmax[32];
        snprintf(ngl, sizeof ngl, "%zu", ng - shown);
        snprintf(nhl, sizeof nhl, "%zu", left);
        snprintf(nmax, sizeof nmax, "%zu", shown);
        char *note = rk_tmpl_fmt(f->t, "fleet.groups_omitted", "groups", ngl, "hosts", nhl, "shown",
                                 nmax, NULL);
        rk_section_para(top, RK_PARA_NOTE, RK_TONE_INFO, note);
        free(note);
    }
    for (size_t g = 0; g < shown; g++) {
        char *title = group_title(f, &f->groups[g], outcome[g]);
        group_section(f, d, &f->groups[g], v[g], nv[g], title);
        free(title);
    }
    for (size_t g = 0; g < ng; g++) {
        aggs_free(v[g], nv[g]);
        free(outcome[g]);
    }
    free(v);
    free(nv);
    free(outcome);
}

/* ---- remediation --------------------------------------------------------------------- */

void rk_fleet_remediation(const rk_fleet *f, rk_doc *d)
{
    const rk_assessment *a = f->a;
    rk_section *s = rk_doc_section(d, T(f, "report.remediation"), 0, NULL, RK_TARGET_PDF);
    s->new_page = 1;
    s->landscape = 1;
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, T(f, "fleet.remediation_intro"));
    size_t *hosts = all_hosts(a), n;
    agg *v = aggregate(f, hosts, a->project->nhosts, keep_remediation, &n);
    free(hosts);
    if (!n) {
        rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, T(f, "report.no_remediation"));
        aggs_free(v, n);
        return;
    }
    rk_table *t = rk_section_table(s, "RemediationByRequirement", 5);
    rk_table_col(t, 0, T(f, "col.requirement"), 30);
    rk_table_col(t, 1, T(f, "col.status"), 10);
    rk_table_col(t, 2, T(f, "col.hosts"), 34);
    rk_table_col(t, 3, T(f, "fleet.col.findings"), 10);
    rk_table_col(t, 4, T(f, "col.action"), 56);
    t->cols[1].status = 1;
    for (size_t i = 0; i < n; i++) {
        const agg *x = &v[i];
        rk_cell *row = rk_table_row(t);
        rk_readiness_req_cell(&row[0], &f->a->schema->reqs[x->req]);
        rk_cell_set(&row[1], rk_status_word(f->t, x->status), rk_status_tone(x->status));
        hosts_cell(f, &row[2], x);
        count_cell(&row[3], x->nfindings);
        const char *rem = a->schema->reqs[x->req].remediation;
        if (x->status == RK_ST_UNKNOWN)
            rk_cell_setf(&row[4], RK_TONE_NONE, "%s %s", T(f, "report.collect_again"), rem);
        else
            rk_cell_set(&row[4], rem, RK_TONE_NONE);
    }
    aggs_free(v, n);
}
