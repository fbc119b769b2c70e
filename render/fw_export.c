/* fw_export.c - builds the import files for firewall-management tools (traffic lines,
 * NetBox services, PAN-OS rules and objects) from the rules and flows as tables of the
 * document model; the CSV and XLSX writers write them. */
#include "fw_export.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "flows.h"
#include "util.h"

/* ------------------------------------------------------------------- helpers */

typedef struct strv {
    const char **v;
    size_t n, cap;
} strv;

/* Appends the targets of every end of one side of a rule (its family there). */
static void side_targets(const rk_assessment *a, const size_t *ends, size_t n, unsigned fam,
                         strv *out)
{
    for (size_t k = 0; k < n; k++) {
        const rk_end *e = &a->ends[ends[k]];
        size_t m = rk_end_targets(e, fam, NULL, 0);
        if (out->n + m > out->cap) {
            out->cap = out->n + m + 16;
            out->v = rk_xrealloc(out->v, out->cap * sizeof(char *));
        }
        out->n += rk_end_targets(e, fam, out->v + out->n, m);
    }
}

static char *join(const char *const *v, size_t n, const char *sep)
{
    rk_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (i) rk_buf_puts(&b, sep);
        rk_buf_puts(&b, v[i]);
    }
    return rk_buf_take(&b);
}

/* The change the files belong to: the change ID, else the assessment ID. */
static const char *change_ref(const rk_assessment *a)
{
    const rk_change *ch = &a->project->change;
    return ch->present && ch->id && *ch->id ? ch->id : a->project->assessment_id;
}

/* Cuts s after max characters (code points), ending it in "…" when cut. */
static char *cut(char *s, size_t max)
{
    size_t chars = 0;
    for (char *p = s; *p; p++) {
        if (((unsigned char)*p & 0xC0) == 0x80) continue;
        if (chars == max - 1) {
            size_t rest = 0;
            for (char *q = p; *q; q++) rest += ((unsigned char)*q & 0xC0) != 0x80;
            if (rest <= 1) return s;
            *p = '\0';
            char *r = rk_xasprintf("%s\xe2\x80\xa6", s);
            free(s);
            return r;
        }
        chars++;
    }
    return s;
}

static rk_table *new_table(const char *name, const char *const *headers, size_t n)
{
    rk_table *tb = rk_table_new(name, n);
    for (size_t c = 0; c < n; c++) rk_table_col(tb, c, headers[c], 1);
    return tb;
}

static void set(rk_cell *c, const char *text) { rk_cell_set(c, text ? text : "", RK_TONE_NONE); }

static void set_own(rk_cell *c, char *text)
{
    rk_cell_set(c, text, RK_TONE_NONE);
    free(text);
}

static char *flows_str(const rk_assessment *a, const size_t *flows, size_t n)
{
    rk_buf b = {0};
    for (size_t k = 0; k < n; k++) rk_buf_printf(&b, "%s%s", k ? ", " : "", a->flows[flows[k]].id);
    return rk_buf_take(&b);
}

void rk_fwx_window_start(const char *window, char out[11])
{
    out[0] = '\0';
    for (const char *p = window; p && *p; p++) {
        if (strlen(p) < 10) return;
        int shape = 1;
        for (int i = 0; i < 10 && shape; i++)
            shape = (i == 4 || i == 7) ? p[i] == '-' : isdigit((unsigned char)p[i]) != 0;
        if (!shape || (p > window && isdigit((unsigned char)p[-1])) ||
            isdigit((unsigned char)p[10]))
            continue;
        char d[11];
        memcpy(d, p, 10);
        d[10] = '\0';
        int64_t t;
        if (rk_parse_date(d, &t) == 0) {
            memcpy(out, d, 11);
            return;
        }
    }
}

static rk_fwx_file *add_file(rk_fwx *x, const char *name)
{
    x->files = rk_xrealloc(x->files, (x->n + 1) * sizeof(rk_fwx_file));
    rk_fwx_file *f = &x->files[x->n++];
    memset(f, 0, sizeof(*f));
    f->name = rk_xstrdup(name);
    return f;
}

/* Splits v into parts whose joined text (with sep) stays within RK_FWX_CELL_MAX bytes;
 * writes the start index of each part into starts (n + 1 entries at most) and returns
 * the number of parts (at least 1). */
static size_t parts(const strv *v, size_t seplen, size_t *starts)
{
    size_t np = 0, len = 0;
    starts[np++] = 0;
    for (size_t i = 0; i < v->n; i++) {
        size_t add = strlen(v->v[i]) + (i > starts[np - 1] ? seplen : 0);
        if (len + add > RK_FWX_CELL_MAX && i > starts[np - 1]) {
            starts[np++] = i;
            len = strlen(v->v[i]);
        } else {
            len += add;
        }
    }
    starts[np] = v->n;
    return np;
}

/* ------------------------------------------------------------- traffic lines */

enum { TC_SOURCE, TC_DESTINATION, TC_SERVICE, TC_ACTION, TC_COMMENT, TC_REQUESTOR, TC_SUBJECT,
       TC_DUE, TC_EXPIRES, TC_COUNT };

/* "tcp/443;tcp/49152-65535": the rule's services as change-request tools take them. */
static char *services(const rk_rule *r, const char *sep)
{
    rk_buf b = {0};
    const char *proto = rk_flows_proto_str(r->protocol);
    for (size_t k = 0; k < r->nports; k++) {
        if (k) rk_buf_puts(&b, sep);
        if (r->ports[k][0] == r->ports[k][1])
            rk_buf_printf(&b, "%s/%d", proto, r->ports[k][0]);
        else
            rk_buf_printf(&b, "%s/%d-%d", proto, r->ports[k][0], r->ports[k][1]);
    }
    return rk_buf_take(&b);
}

/* The comment of a rule's lines: rule, purpose, flows (or their count when the list
 * would not fit a cell) and seed rows. */
static char *rule_comment(const rk_assessment *a, rk_tmpl *t, const rk_rule *r)
{
    char *rows = rk_ints_join(r->rows, r->nrows, ", ");
    char *flows = flows_str(a, r->flows, r->nflows);
    char *s;
    if (strlen(flows) > RK_FWX_CELL_MAX / 4) {
        char count[32];
        snprintf(count, sizeof count, "%zu", r->nflows);
        s = rk_tmpl_fmt(t, "fwx.comment_many", "rule", r->id, "purpose", r->purpose, "count",
                        count, "rows", rows, NULL);
    } else {
        s = rk_tmpl_fmt(t, "fwx.comment", "rule", r->id, "purpose", r->purpose, "flows", flows,
                        "rows", rows, NULL);
    }
    free(rows);
    free(flows);
    return s;
}

static void traffic(const rk_assessment *a, rk_tmpl *t, rk_table *tb)
{
    static const char *const hdr[TC_COUNT] = {"Source", "Destination", "Service", "Action",
                                              "Comment", "Requestor", "Subject", "Due",
                                              "Expires"};
    static const double widths[TC_COUNT] = {30, 30, 24, 8, 50, 24, 40, 12, 12};
    for (size_t c = 0; c < TC_COUNT; c++) rk_table_col(tb, c, hdr[c], widths[c]);
    const rk_change *ch = &a->project->change;
    char due[11] = "";
    if (ch->present) rk_fwx_window_start(ch->window, due);
    char *subject = ch->present && ch->justification && *ch->justification
                        ? rk_tmpl_fmt(t, "fwx.subject", "change", change_ref(a), "justification",
                                      ch->justification, NULL)
                        : rk_tmpl_fmt(t, "fwx.subject_plain", "change", change_ref(a),
                                      "project", a->project->project, NULL);
    strv src = {0}, dst = {0};
    size_t *ss = NULL, *ds = NULL;
    for (size_t i = 0; i < a->nrules; i++) {
        const rk_rule *r = &a->rules[i];
        src.n = dst.n = 0;
        side_targets(a, r->src_hosts, r->nsrc, r->src_family, &src);
        side_targets(a, r->dst_hosts, r->ndst, r->dst_family, &dst);
        ss = rk_xrealloc(ss, (src.n + 2) * sizeof(size_t));
        ds = rk_xrealloc(ds, (dst.n + 2) * sizeof(size_t));
        size_t nss = parts(&src, 1, ss), nds = parts(&dst, 1, ds);
        char *svc = services(r, ";");
        char *comment = rule_comment(a, t, r);
        for (size_t p = 0; p < nss; p++)
            for (size_t q = 0; q < nds; q++) {
                rk_cell *c = rk_table_row(tb);
                set_own(&c[TC_SOURCE], join(src.v + ss[p], ss[p + 1] - ss[p], ";"));
                set_own(&c[TC_DESTINATION], join(dst.v + ds[q], ds[q + 1] - ds[q], ";"));
                set(&c[TC_SERVICE], svc);
                set(&c[TC_ACTION], "allow");
                set(&c[TC_COMMENT], comment);
                set(&c[TC_REQUESTOR], ch->present ? ch->requester : "");
                set(&c[TC_SUBJECT], subject);
                set(&c[TC_DUE], due);
                set(&c[TC_EXPIRES], ch->present ? ch->review_date : "");
            }
        free(svc);
        free(comment);
    }
    free(ss);
    free(ds);
    free(src.v);
    free(dst.v);
    free(subject);
}

static void traffic_files(rk_fwx *x, const rk_assessment *a, rk_tmpl *t, const char *version)
{
    rk_doc *d = rk_doc_new();
    d->title = rk_xstrdup(rk_tmpl_get(t, "fwx.title"));
    d->subject = rk_tmpl_fmt(t, "fwx.doc_subject", "change", change_ref(a), "customer",
                             a->project->customer, "project", a->project->project, NULL);
    d->author = rk_xasprintf("readykit %s", version ? version : "");
    d->company = rk_xstrdup(a->project->customer ? a->project->customer : "");
    d->keywords = rk_xstrdup(rk_tmpl_get(t, "fwx.keywords"));
    d->lang = rk_xstrdup(rk_tmpl_lang(t));
    d->created = a->date;
    d->footer_left = rk_xasprintf("%s · %s", a->project->assessment_id, d->title);
    d->page_format = rk_xstrdup(rk_tmpl_get(t, "fw.page"));
    rk_section *sec = rk_doc_section(d, NULL, 0, rk_tmpl_get(t, "fwx.sheet"), RK_TARGET_XLSX);
    rk_table *tb = rk_section_table(sec, "Traffic", TC_COUNT);
    traffic(a, t, tb);
    rk_fwx_file *csv = add_file(x, "firewall-traffic.csv");
    csv->table = tb;
    rk_fwx_file *xl = add_file(x, "firewall-traffic.xlsx");
    xl->doc = d;
    xl->table = tb;
}

/* ----------------------------------------------------------- NetBox services */

enum { NC_DEVICE, NC_VM, NC_NAME, NC_PROTOCOL, NC_PORTS, NC_IPS, NC_DESCRIPTION, NC_COMMENTS,
       NC_COUNT };

/* NetBox's field limits (ipam.Service: name 100, description 200 characters). */
#define NETBOX_NAME_MAX 100
#define NETBOX_DESCRIPTION_MAX 200

static const rk_assessment *sort_a;

static int cmp_service(const void *x, const void *y)
{
    const rk_flow *f = &sort_a->flows[*(const size_t *)x], *g = &sort_a->flows[*(const size_t *)y];
    if (f->to_host != g->to_host) return f->to_host < g->to_host ? -1 : 1;
    if (f->protocol != g->protocol) return f->protocol < g->protocol ? -1 : 1;
    int c = strcmp(f->service ? f->service : "", g->service ? g->service : "");
    if (c) return c;
    return *(const size_t *)x < *(const size_t *)y ? -1 : *(const size_t *)x > *(const size_t *)y;
}

static int cmp_int(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return a < b ? -1 : a > b;
}

static int cmp_size_t(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return a < b ? -1 : a > b;
}

/* The distinct values of v (sorted) in place; returns the count. */
static size_t uniq(size_t *v, size_t n)
{
    qsort(v, n, sizeof(size_t), cmp_size_t);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || v[u - 1] != v[i]) v[u++] = v[i];
    return u;
}

/* One NetBox service: the flows idx[i .. j) to one host with one protocol and service,
 * gathered into per-flow arrays (each sized for all flows) and merged. */
typedef struct nb_group {
    int (*ports)[2];
    size_t *rules, *srcs, *fl;
    int *rows;
    size_t crows;
    size_t m, np, nr, ns, nrows;
    unsigned fams;
} nb_group;

/* Fills g from the flows idx[i ..] that share the first one's host, protocol and
 * service; returns the index after them. */
static size_t nb_gather(nb_group *g, const rk_assessment *a, const size_t *idx, size_t n, size_t i,
                        const size_t *rule_of)
{
    const rk_flow *f = &a->flows[idx[i]];
    size_t j = i;
    g->fams = 0;
    g->nrows = 0;
    while (j < n && a->flows[idx[j]].to_host == f->to_host &&
           a->flows[idx[j]].protocol == f->protocol &&
           !strcmp(a->flows[idx[j]].service ? a->flows[idx[j]].service : "",
                   f->service ? f->service : "")) {
        const rk_flow *x = &a->flows[idx[j]];
        g->ports[j - i][0] = x->port_from;
        g->ports[j - i][1] = x->port_to;
        g->rules[j - i] = rule_of ? rule_of[idx[j]] : 0;
        g->srcs[j - i] = x->from_host;
        g->fl[j - i] = idx[j];
        g->fams |= x->dst_family;
        if (g->crows < g->nrows + x->nrows) {
            g->crows = (g->nrows + x->nrows) * 2;
            g->rows = rk_xrealloc(g->rows, g->crows * sizeof(int));
        }
        memcpy(g->rows + g->nrows, x->rows, x->nrows * sizeof(int));
        g->nrows += x->nrows;
        j++;
    }
    g->m = j - i;
    g->np = rk_flows_ports_merge(g->ports, g->m);
    g->nr = uniq(g->rules, g->m);
    g->ns = uniq(g->srcs, g->m);
    qsort(g->fl, g->m, sizeof(size_t), cmp_size_t);
    /* seed rows, distinct and ascending */
    qsort(g->rows, g->nrows, sizeof(int), cmp_int);
    size_t ur = 0;
    for (size_t k = 0; k < g->nrows; k++)
        if (!ur || g->rows[ur - 1] != g->rows[k]) g->rows[ur++] = g->rows[k];
    g->nrows = ur;
    return j;
}

/* The service row of group g, whose first flow is f. */
static void nb_row(rk_table *tb, const rk_assessment *a, rk_tmpl *t, const rk_flow *f,
                   const nb_group *g)
{
    const rk_end *host = &a->ends[f->to_host];
    rk_cell *c = rk_table_row(tb);
    set(&c[NC_DEVICE], host->name);
    set_own(&c[NC_NAME], cut(rk_xstrdup(f->service && *f->service ? f->service
                                                                   : rk_flows_proto_str(f->protocol)),
                             NETBOX_NAME_MAX));
    set(&c[NC_PROTOCOL], rk_flows_proto_str(f->protocol));
    rk_buf b = {0};
    rk_flows_ports_str(&b, (const int(*)[2])g->ports, g->np);
    set(&c[NC_PORTS], b.data);
    rk_buf_free(&b);
    /* the host's addresses the service is reached on: those of the flows' families */
    for (size_t k = 0; k < host->naddresses; k++)
        if (host->address_families[k] & g->fams & (RK_FAM_V4 | RK_FAM_V6))
            rk_buf_printf(&b, "%s%s", b.len ? "," : "", host->addresses[k]);
    set(&c[NC_IPS], b.data ? b.data : "");
    rk_buf_free(&b);
    for (size_t k = 0; k < g->nr; k++)
        if (g->rules[k] < a->nrules) rk_buf_printf(&b, "%s%s", b.len ? ", " : "", a->rules[g->rules[k]].id);
    char *desc = rk_tmpl_fmt(t, "fwx.netbox.description", "change", change_ref(a), "rules",
                             b.data ? b.data : "", NULL);
    rk_buf_free(&b);
    set_own(&c[NC_DESCRIPTION], cut(desc, NETBOX_DESCRIPTION_MAX));
    for (size_t k = 0; k < g->ns; k++)
        rk_buf_printf(&b, "%s%s", k ? ", " : "", a->ends[g->srcs[k]].name);
    char *flows = flows_str(a, g->fl, g->m), *rs = rk_ints_join(g->rows, g->nrows, ", ");
    set_own(&c[NC_COMMENTS], rk_tmpl_fmt(t, "fwx.netbox.comments", "flows", flows, "sources",
                                         b.data ? b.data : "", "rows", rs, NULL));
    free(flows);
    free(rs);
    rk_buf_free(&b);
}

static void netbox(const rk_assessment *a, rk_tmpl *t, rk_table *tb)
{
    size_t nh = a->project->nhosts, n = 0;
    size_t *idx = rk_xmalloc((a->nflows ? a->nflows : 1) * sizeof(size_t));
    for (size_t i = 0; i < a->nflows; i++)
        if (a->flows[i].to_host < nh && rk_flow_family(&a->flows[i])) idx[n++] = i;
    sort_a = a;
    qsort(idx, n, sizeof(size_t), cmp_service);
    size_t *rule_of = rk_flows_rule_of(a);
    size_t cap = n ? n : 1;
    nb_group g = {rk_xmalloc(cap * sizeof(*g.ports)), rk_xmalloc(cap * sizeof(size_t)),
                  rk_xmalloc(cap * sizeof(size_t)), rk_xmalloc(cap * sizeof(size_t)), NULL, 0,
                  0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < n;) {
        size_t j = nb_gather(&g, a, idx, n, i, rule_of);
        nb_row(tb, a, t, &a->flows[idx[i]], &g);
        i = j;
    }
    free(g.rows);
    free(g.fl);
    free(g.srcs);
    free(g.rules);
    free(g.ports);
    free(rule_of);
    free(idx);
}

/* ---------------------------------------------------------------------- PAN-OS */

/* PAN-OS object and rule names: letters, digits, '_', '-', '.' and spaces, at most 63
 * characters, starting with a letter or digit. */
#define PANOS_NAME_MAX 63
#define PANOS_DESCRIPTION_MAX 1023

static char *panos_name(const char *s)
{
    rk_buf b = {0};
    for (const char *p = s; *p && b.len < PANOS_NAME_MAX; p++) {
        unsigned char ch = (unsigned char)*p;
        int ok = isalnum(ch) || ch == '_' || ch == '-' || ch == '.' || ch == ' ';
        if (!b.len && !isalnum(ch)) rk_buf_putc(&b, 'x');
        rk_buf_putc(&b, ok && ch < 0x80 ? (char)ch : '_');
    }
    if (b.len > PANOS_NAME_MAX) b.data[b.len = PANOS_NAME_MAX] = '\0';
    return rk_buf_take(&b);
}

/* The service object name of a port range: tcp-443, udp-49152-65535. */
static char *service_name(uint32_t proto, int from, int to)
{
    if (from == to) return rk_xasprintf("%s-%d", rk_flows_proto_str(proto), from);
    return rk_xasprintf("%s-%d-%d", rk_flows_proto_str(proto), from, to);
}

typedef struct svc {
    uint32_t proto;
    int from, to;
} svc;

static int cmp_svc(const void *x, const void *y)
{
    const svc *a = x, *b = y;
    if (a->proto != b->proto) return a->proto < b->proto ? -1 : 1;
    if (a->from != b->from) return a->from < b->from ? -1 : 1;
    return a->to < b->to ? -1 : a->to > b->to;
}

/* Address objects for names (PAN-OS rules name an FQDN only through an object). */
typedef struct fqdn_obj {
    const char *value;
    char *name;
} fqdn_obj;

static int cmp_fqdn_value(const void *x, const void *y)
{
    return strcmp(((const fqdn_obj *)x)->value, ((const fqdn_obj *)y)->value);
}

static const char *fqdn_name(const fqdn_obj *o, size_t n, const char *value)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(o[mid].value, value);
        if (!c) return o[mid].name;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return value;
}

enum { PO_NAME, PO_TYPE, PO_VALUE, PO_DESCRIPTION, PO_TAGS, PO_VSYS, PO_COUNT };

/* The panco security-rule layout: 31 columns in this order. */
static const char *const PANOS_RULE_COLS[] = {
    "#Name",          "Type",          "Description",     "Tags",
    "SourceZones",    "SourceAddresses", "NegateSource",  "SourceUsers",
    "HipProfiles",    "DestinationZones", "DestinationAddresses", "NegateDestination",
    "Applications",   "Services",      "Categories",      "Action",
    "LogSetting",     "LogStart",      "LogEnd",          "Disabled",
    "Schedule",       "IcmpUnreachable", "DisableServerResponseInspection", "Group",
    "Virus",          "Spyware",       "Vulnerability",   "UrlFiltering",
    "FileBlocking",   "WildFireAnalysis", "DataFiltering"};
#define PANOS_NRULE_COLS (sizeof PANOS_RULE_COLS / sizeof PANOS_RULE_COLS[0])

/* Service objects: every port range of every rule, once. */
static void panos_services(rk_table *objs, const rk_assessment *a, rk_tmpl *t, const char *change)
{
    size_t ns = 0;
    for (size_t i = 0; i < a->nrules; i++) ns += a->rules[i].nports;
    svc *sv = rk_xmalloc((ns ? ns : 1) * sizeof(svc));
    ns = 0;
    for (size_t i = 0; i < a->nrules; i++)
        for (size_t k = 0; k < a->rules[i].nports; k++)
            sv[ns++] = (svc){a->rules[i].protocol, a->rules[i].ports[k][0], a->rules[i].ports[k][1]};
    qsort(sv, ns, sizeof(svc), cmp_svc);
    size_t u = 0;
    for (size_t i = 0; i < ns; i++)
        if (!u || cmp_svc(&sv[u - 1], &sv[i])) sv[u++] = sv[i];
    ns = u;
    for (size_t i = 0; i < ns; i++) {
        rk_cell *c = rk_table_row(objs);
        set_own(&c[PO_NAME], service_name(sv[i].proto, sv[i].from, sv[i].to));
        set(&c[PO_TYPE], rk_flows_proto_str(sv[i].proto));
        if (sv[i].from == sv[i].to) set_own(&c[PO_VALUE], rk_xasprintf("%d", sv[i].from));
        else set_own(&c[PO_VALUE], rk_xasprintf("%d-%d", sv[i].from, sv[i].to));
        set_own(&c[PO_DESCRIPTION], rk_tmpl_fmt(t, "fwx.panos.service", "change", change, NULL));
    }
    free(sv);
}

/* The object name of fq[i]: "fqdn-<name>" as PAN-OS allows it; names that clash after
 * the characters PAN-OS refuses are replaced get a number. Caller frees. */
static char *panos_fqdn_name(const fqdn_obj *fq, size_t i)
{
    char *base = rk_xasprintf("fqdn-%s", fq[i].value);
    char *name = panos_name(base);
    free(base);
    for (int k = 2;; k++) {
        size_t j = 0;
        while (j < i && strcmp(fq[j].name, name)) j++;
        if (j == i) return name;
        char sfx[16];
        snprintf(sfx, sizeof sfx, "-%d", k);
        size_t keep = strlen(name);
        if (keep + strlen(sfx) > PANOS_NAME_MAX) keep = PANOS_NAME_MAX - strlen(sfx);
        char *n2 = rk_xasprintf("%.*s%s", (int)keep, name, sfx);
        free(name);
        name = n2;
    }
}

/* FQDN address objects: every name on a side of a rule, once, sorted. Returns them (free
 * each name, then the array); *nf their number. */
static fqdn_obj *panos_fqdns(rk_table *objs, const rk_assessment *a, rk_tmpl *t, const char *change,
                             size_t *nf)
{
    strv names = {0};
    for (size_t i = 0; i < a->nrules; i++) {
        const rk_rule *r = &a->rules[i];
        if (r->src_family == RK_FAM_NAME) side_targets(a, r->src_hosts, r->nsrc, RK_FAM_NAME, &names);
        if (r->dst_family == RK_FAM_NAME) side_targets(a, r->dst_hosts, r->ndst, RK_FAM_NAME, &names);
    }
    fqdn_obj *fq = rk_xcalloc(names.n ? names.n : 1, sizeof(fqdn_obj));
    size_t n = 0;
    for (size_t i = 0; i < names.n; i++) fq[n++].value = names.v[i];
    free(names.v);
    qsort(fq, n, sizeof(fqdn_obj), cmp_fqdn_value);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || strcmp(fq[u - 1].value, fq[i].value)) fq[u++] = fq[i];
    for (size_t i = 0; i < u; i++) {
        fq[i].name = panos_fqdn_name(fq, i);
        rk_cell *c = rk_table_row(objs);
        set(&c[PO_NAME], fq[i].name);
        set(&c[PO_TYPE], "fqdn");
        set(&c[PO_VALUE], fq[i].value);
        set_own(&c[PO_DESCRIPTION], rk_tmpl_fmt(t, "fwx.panos.fqdn", "change", change, NULL));
    }
    *nf = u;
    return fq;
}

/* One side's addresses of rule r as the rule names them: FQDN objects by name. */
static char *panos_side(const rk_assessment *a, const size_t *hosts, size_t n, unsigned fam,
                        const fqdn_obj *fq, size_t nf)
{
    strv v = {0};
    side_targets(a, hosts, n, fam, &v);
    if (fam == RK_FAM_NAME)
        for (size_t k = 0; k < v.n; k++) v.v[k] = fqdn_name(fq, nf, v.v[k]);
    char *s = join(v.v, v.n, ", ");
    free(v.v);
    return s;
}

/* One security rule in panco's 31 columns (PANOS_RULE_COLS). */
static void panos_rule(rk_table *rules, const rk_assessment *a, rk_tmpl *t, const char *change,
                       const rk_rule *r, const fqdn_obj *fq, size_t nf)
{
    rk_cell *c = rk_table_row(rules);
    char *base = rk_xasprintf("%s-%s", change, r->id);
    set_own(&c[0], panos_name(base));
    free(base);
    set(&c[1], "universal");
    char *rows = rk_ints_join(r->rows, r->nrows, ", "), *flows = flows_str(a, r->flows, r->nflows);
    if (strlen(flows) > 400) {
        free(flows);
        flows = rk_xasprintf("%zu", r->nflows);
    }
    set_own(&c[2], cut(rk_tmpl_fmt(t, "fwx.panos.description", "change", change, "rule", r->id,
                                   "purpose", r->purpose, "flows", flows, "rows", rows, NULL),
                       PANOS_DESCRIPTION_MAX));
    free(rows);
    free(flows);
    set(&c[4], *r->src_zone ? r->src_zone : "any");
    set_own(&c[5], panos_side(a, r->src_hosts, r->nsrc, r->src_family, fq, nf));
    set(&c[6], "false");
    set(&c[7], "any");
    set(&c[9], *r->dst_zone ? r->dst_zone : "any");
    set_own(&c[10], panos_side(a, r->dst_hosts, r->ndst, r->dst_family, fq, nf));
    set(&c[11], "false");
    set(&c[12], "any");
    rk_buf b = {0};
    for (size_t k = 0; k < r->nports; k++) {
        char *s = service_name(r->protocol, r->ports[k][0], r->ports[k][1]);
        rk_buf_printf(&b, "%s%s", k ? ", " : "", s);
        free(s);
    }
    set(&c[13], b.data ? b.data : "");
    rk_buf_free(&b);
    static const struct { int col; const char *v; } fixed[] = {
        {14, "any"}, {15, "allow"}, {17, "false"}, {18, "true"}, {19, "false"}, {21, "false"},
        {22, "false"}};
    for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++) set(&c[fixed[k].col], fixed[k].v);
}

static void panos(rk_fwx *x, const rk_assessment *a, rk_tmpl *t)
{
    static const char *const ohdr[PO_COUNT] = {"#Name", "Type", "Value", "Description", "Tags",
                                               "Device Group/Vsys"};
    rk_table *objs = new_table("panos_objects", ohdr, PO_COUNT);
    rk_table *rules = new_table("panos_rules", PANOS_RULE_COLS, PANOS_NRULE_COLS);
    const char *change = change_ref(a);
    panos_services(objs, a, t, change);
    size_t nf;
    fqdn_obj *fq = panos_fqdns(objs, a, t, change, &nf);
    for (size_t i = 0; i < a->nrules; i++) panos_rule(rules, a, t, change, &a->rules[i], fq, nf);
    for (size_t i = 0; i < nf; i++) free(fq[i].name);
    free(fq);
    rk_fwx_file *f = add_file(x, "firewall-panos.csv");
    f->table = rules;
    f->owns_table = 1;
    f = add_file(x, "firewall-panos-objects.csv");
    f->table = objs;
    f->owns_table = 1;
}

/* ------------------------------------------------------------------ public */

rk_fwx *rk_fwx_build(const rk_assessment *a, rk_tmpl *t, unsigned kinds, const char *version)
{
    rk_fwx *x = rk_xcalloc(1, sizeof(*x));
    if (kinds & RK_FWX_TRAFFIC) traffic_files(x, a, t, version);
    if (kinds & RK_FWX_NETBOX) {
        static const char *const hdr[NC_COUNT] = {"device",    "virtual_machine", "name",
                                                  "protocol",  "ports",           "ipaddresses",
                                                  "description", "comments"};
        rk_table *tb = new_table("netbox_services", hdr, NC_COUNT);
        netbox(a, t, tb);
        rk_fwx_file *f = add_file(x, "firewall-netbox-services.csv");
        f->table = tb;
        f->owns_table = 1;
    }
    if (kinds & RK_FWX_PANOS) panos(x, a, t);
    return x;
}

void rk_fwx_free(rk_fwx *x)
{
    if (!x) return;
    for (size_t i = 0; i < x->n; i++) {
        if (x->files[i].owns_table) rk_table_free(x->files[i].table);
        rk_doc_free(x->files[i].doc);
        free(x->files[i].name);
    }
    free(x->files);
    free(x);
}
