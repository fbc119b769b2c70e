/* firewall_doc.c - builds the firewall-rule request and the firewall.csv table from an
 * assessment's flows and rules, with wording from the fw.* template keys. */
#include "firewall_doc.h"

#include <stdlib.h>
#include <string.h>

#include "flows.h"
#include "util.h"

/* A zone holding more hosts than this is drawn with role counts, not host lines. */
#define FW_DIAGRAM_MAX_HOSTS 12

/* ------------------------------------------------------------------- helpers */

static char *fmt_size(size_t n) { return rk_xasprintf("%zu", n); }

static void kv_row(rk_table *t, const char *key, const char *value, rk_tone tone)
{
    rk_cell *c = rk_table_row(t);
    rk_cell_set(&c[0], key, RK_TONE_NONE);
    rk_cell_set(&c[1], value ? value : "", tone);
}

static void cell_count(rk_cell *c, size_t n, rk_tone tone)
{
    char *s = fmt_size(n);
    rk_cell_number(c, (double)n, s);
    c->tone = tone;
    free(s);
}

static rk_tone state_tone(rk_fw_state s)
{
    switch (s) {
    case RK_FW_OPEN: return RK_TONE_PASS;
    case RK_FW_CLOSED:
    case RK_FW_FILTERED: return RK_TONE_FAIL;
    case RK_FW_ERROR: return RK_TONE_WARN;
    case RK_FW_NOT_PROBED: return RK_TONE_UNKNOWN;
    default: return RK_TONE_INFO;
    }
}

/* The translated word of a state: key fw.state.<state>. */
static const char *state_word(rk_tmpl *t, rk_fw_state s)
{
    char key[64];
    snprintf(key, sizeof key, "fw.state.%s", rk_fw_state_str(s));
    return rk_tmpl_get(t, key);
}

static const char *proto_word(rk_tmpl *t, uint32_t proto)
{
    return rk_tmpl_get(t, proto == RK_PROTO_UDP ? "fw.proto.udp" : "fw.proto.tcp");
}

/* Zone titles by zone order (see rk_flows_zone_order): the project's titles, then the
 * ids of zones it does not list. Borrowed strings. */
typedef struct zones {
    size_t *of_host; /* zone order per host */
    const char **title;
    const char **id;
    size_t n;
} zones;

/* Zone titles of every end: the project's zones, zones only hosts name, then the
 * external zone of the schema's endpoints. */
static void zones_init(zones *z, const rk_assessment *a, rk_tmpl *t)
{
    const rk_project *p = a->project;
    z->of_host = rk_flows_zone_order(a);
    z->n = rk_flows_zone_count(a, z->of_host);
    if (z->n < p->nzones) z->n = p->nzones;
    z->title = rk_xcalloc(z->n ? z->n : 1, sizeof(char *));
    z->id = rk_xcalloc(z->n ? z->n : 1, sizeof(char *));
    for (size_t k = 0; k < p->nzones; k++) {
        z->id[k] = p->zones[k].id ? p->zones[k].id : "";
        z->title[k] = p->zones[k].title && *p->zones[k].title ? p->zones[k].title : z->id[k];
    }
    for (size_t h = 0; h < a->nends; h++) {
        size_t k = z->of_host[h];
        if (z->id[k]) continue;
        if (a->ends[h].endpoint) {
            z->id[k] = "";
            z->title[k] = rk_tmpl_get(t, "fw.zone.external");
        } else {
            z->id[k] = z->title[k] = a->ends[h].zone ? a->ends[h].zone : "";
        }
    }
}

static void zones_free(zones *z)
{
    free(z->of_host);
    free(z->title);
    free(z->id);
}

/* "NAME (addresses)", or "NAME" when the host has neither address nor FQDN; an
 * endpoint by its title and addresses. */
static void put_host(rk_buf *b, const rk_end *e)
{
    const char *target = e->naddresses ? e->address_text : rk_end_target(e);
    rk_buf_puts(b, e->title);
    if (strcmp(target, e->title) != 0) rk_buf_printf(b, " (%s)", target);
}

/* "NAME (addresses)" with only the addresses of one family (a rule's or a flow's side);
 * fam 0 (a flow whose ends share no family) shows them all. */
static void put_host_fam(rk_buf *b, const rk_end *e, unsigned fam)
{
    if (!fam) {
        put_host(b, e);
        return;
    }
    rk_buf t = {0};
    rk_end_targets_str(&t, e, fam, ", ");
    rk_buf_puts(b, e->title);
    if (t.len && strcmp(t.data, e->title) != 0) rk_buf_printf(b, " (%s)", t.data);
    rk_buf_free(&t);
}

static char *hosts_cell(const rk_assessment *a, const size_t *hosts, size_t n, unsigned fam)
{
    rk_buf b = {0};
    for (size_t k = 0; k < n; k++) {
        if (k) rk_buf_putc(&b, '\n');
        put_host_fam(&b, &a->ends[hosts[k]], fam);
    }
    return rk_buf_take(&b);
}

/* The translated word of an address family: key fw.family.<ipv4|ipv6|name|none>. */
static const char *family_word(rk_tmpl *t, unsigned fam)
{
    char key[64];
    snprintf(key, sizeof key, "fw.family.%s", rk_family_str(fam));
    return rk_tmpl_get(t, key);
}

/* "depends on <parameter>": a flow the project's unset parameters may not need. */
static char *depends_text(const rk_assessment *a, rk_tmpl *t, const rk_flow *f)
{
    if (!f->nundecided) return NULL;
    rk_buf b = {0};
    for (size_t k = 0; k < f->nundecided; k++)
        rk_buf_printf(&b, "%s%s", k ? ", " : "", a->schema->params[f->undecided[k]].title);
    char *s = rk_tmpl_fmt(t, "fw.flows.depends", "parameters", b.data, NULL);
    rk_buf_free(&b);
    return s;
}

static char *ports_str(const int (*ports)[2], size_t n)
{
    rk_buf b = {0};
    rk_flows_ports_str(&b, ports, n);
    return rk_buf_take(&b);
}

/* The zone-pair heading of a group: "Source → Target" or "within Target". */
static char *pair_title(rk_tmpl *t, const zones *z, size_t from, size_t to)
{
    if (from == to) return rk_tmpl_fmt(t, "fw.group.within", "zone", z->title[from], NULL);
    return rk_tmpl_fmt(t, "fw.group.pair", "from", z->title[from], "to", z->title[to], NULL);
}

typedef struct counts {
    size_t state[RK_FW_STATE_COUNT];
    size_t network_rules, host_rules, network_flows, host_flows, probeable;
} counts;

static void count_all(const rk_assessment *a, counts *c)
{
    memset(c, 0, sizeof(*c));
    for (size_t i = 0; i < a->nflows; i++) {
        const rk_flow *f = &a->flows[i];
        c->state[rk_flows_state(f)]++;
        c->probeable += rk_flows_probeable(f);
        if (f->cross_zone)
            c->network_flows++;
        else
            c->host_flows++;
    }
    for (size_t r = 0; r < a->nrules; r++)
        if (a->rules[r].cross_zone)
            c->network_rules++;
        else
            c->host_rules++;
}

/* The rule's verification as "word n, word n" in severity order (or just the word when
 * all its flows share one state), with the tone of the worst state. */
static void rule_verification(const rk_assessment *a, rk_tmpl *t, const rk_rule *r,
                              rk_cell *cell)
{
    size_t n[RK_FW_STATE_COUNT] = {0};
    int kinds = 0, worst = -1;
    for (size_t k = 0; k < r->nflows; k++) n[rk_flows_state(&a->flows[r->flows[k]])]++;
    rk_buf b = {0};
    for (int s = 0; s < RK_FW_STATE_COUNT; s++)
        if (n[s]) {
            kinds++;
            if (worst < 0) worst = s;
        }
    for (int s = 0; s < RK_FW_STATE_COUNT; s++) {
        if (!n[s]) continue;
        if (b.len) rk_buf_puts(&b, ", ");
        rk_buf_puts(&b, state_word(t, (rk_fw_state)s));
        if (kinds > 1) rk_buf_printf(&b, " %zu", n[s]);
    }
    char *text = rk_buf_take(&b);
    rk_cell_set(cell, text, worst < 0 ? RK_TONE_NONE : state_tone((rk_fw_state)worst));
    free(text);
}

/* ---------------------------------------------------------------- sections */

static void cover(rk_doc *d, const rk_assessment *a, rk_tmpl *t, const char *version,
                  const counts *c)
{
    const rk_project *p = a->project;
    const rk_schema *s = a->schema;
    rk_section *sec = rk_doc_section(d, NULL, 0, rk_tmpl_get(t, "fw.sheet.cover"), RK_TARGET_ALL);
    rk_section_para(sec, RK_PARA_TITLE, RK_TONE_NONE, rk_tmpl_get(t, "fw.title"));
    char *sub = rk_tmpl_fmt(t, "fw.cover.subtitle", "customer", p->customer, "project",
                            p->project, NULL);
    rk_section_para(sec, RK_PARA_SUBTITLE, RK_TONE_NONE, sub);
    free(sub);

    rk_table *kv = rk_section_table(sec, "Cover", 2);
    kv->kv = 1;
    rk_table_col(kv, 0, "", 26);
    rk_table_col(kv, 1, "", 66);
    kv_row(kv, rk_tmpl_get(t, "fw.cover.customer"), p->customer, RK_TONE_NONE);
    kv_row(kv, rk_tmpl_get(t, "fw.cover.project"), p->project, RK_TONE_NONE);
    kv_row(kv, rk_tmpl_get(t, "fw.cover.assessment"), p->assessment_id, RK_TONE_NONE);
    char *schema = rk_tmpl_fmt(t, "fw.cover.schema_value", "title", s->title, "id", s->id,
                               "product", s->product, "version", s->version, NULL);
    kv_row(kv, rk_tmpl_get(t, "fw.cover.schema"), schema, RK_TONE_NONE);
    free(schema);
    kv_row(kv, rk_tmpl_get(t, "fw.cover.source"), s->source, RK_TONE_NONE);
    char date[11];
    rk_format_date(a->date, date);
    kv_row(kv, rk_tmpl_get(t, "fw.cover.date"), date, RK_TONE_NONE);
    char *gen = rk_xasprintf("readykit %s", version ? version : "");
    kv_row(kv, rk_tmpl_get(t, "fw.cover.generated"), gen, RK_TONE_NONE);
    free(gen);
    kv_row(kv, rk_tmpl_get(t, "fw.cover.digest"), a->digest, RK_TONE_NONE);

    /* the verification in one sentence */
    size_t blocked = c->state[RK_FW_CLOSED] + c->state[RK_FW_FILTERED];
    size_t open = c->state[RK_FW_OPEN];
    size_t unverified = c->state[RK_FW_NOT_PROBED] + c->state[RK_FW_ERROR];
    char *nb = fmt_size(blocked), *nu = fmt_size(unverified), *no = fmt_size(open),
         *np = fmt_size(c->probeable);
    char *line;
    rk_tone tone;
    if (!a->nflows) {
        line = rk_xstrdup(rk_tmpl_get(t, "fw.cover.no_flows"));
        tone = RK_TONE_INFO;
    } else if (blocked) {
        line = rk_tmpl_fmt(t, "fw.cover.blocked", "blocked", nb, "probeable", np, NULL);
        tone = RK_TONE_FAIL;
    } else if (unverified) {
        line = rk_tmpl_fmt(t, "fw.cover.unverified", "unverified", nu, "open", no,
                           "probeable", np, NULL);
        tone = RK_TONE_UNKNOWN;
    } else {
        line = rk_tmpl_fmt(t, "fw.cover.verified", "open", no, "probeable", np, NULL);
        tone = RK_TONE_PASS;
    }
    rk_section_para(sec, RK_PARA_VERDICT, tone, line);
    free(line);
    rk_section_para(sec, RK_PARA_NORMAL, RK_TONE_NONE, rk_tmpl_get(t, "fw.cover.intro"));
    free(nb);
    free(nu);
    free(no);
    free(np);

    /* the change request */
    rk_section_para(sec, RK_PARA_HEADING, RK_TONE_NONE, rk_tmpl_get(t, "fw.change.heading"));
    const rk_change *ch = &p->change;
    if (ch->present) {
        rk_table *ct = rk_section_table(sec, "Change", 2);
        ct->kv = 1;
        rk_table_col(ct, 0, "", 26);
        rk_table_col(ct, 1, "", 66);
        kv_row(ct, rk_tmpl_get(t, "fw.change.id"), ch->id, RK_TONE_NONE);
        kv_row(ct, rk_tmpl_get(t, "fw.change.requester"), ch->requester, RK_TONE_NONE);
        kv_row(ct, rk_tmpl_get(t, "fw.change.justification"), ch->justification, RK_TONE_NONE);
        kv_row(ct, rk_tmpl_get(t, "fw.change.window"), ch->window, RK_TONE_NONE);
        kv_row(ct, rk_tmpl_get(t, "fw.change.review_date"), ch->review_date, RK_TONE_NONE);
        rk_buf b = {0};
        for (size_t k = 0; k < ch->ncontacts; k++) {
            if (k) rk_buf_putc(&b, '\n');
            rk_buf_puts(&b, ch->contacts[k]);
        }
        char *contacts = rk_buf_take(&b);
        kv_row(ct, rk_tmpl_get(t, "fw.change.contacts"), contacts, RK_TONE_NONE);
        free(contacts);
    } else {
        rk_section_para(sec, RK_PARA_NOTE, RK_TONE_WARN, rk_tmpl_get(t, "fw.change.none"));
    }

    /* what the request holds */
    rk_section_para(sec, RK_PARA_HEADING, RK_TONE_NONE, rk_tmpl_get(t, "fw.summary.heading"));
    rk_table *st = rk_section_table(sec, "Summary", 2);
    st->kv = 1;
    rk_table_col(st, 0, "", 26);
    rk_table_col(st, 1, "", 66);
    char *nr = fmt_size(c->network_rules), *nh = fmt_size(c->host_rules),
         *nf = fmt_size(a->nflows), *nn = fmt_size(c->network_flows),
         *ni = fmt_size(c->host_flows), *hosts = fmt_size(p->nhosts);
    char *v = rk_tmpl_fmt(t, "fw.summary.rules_value", "network", nr, "host", nh, NULL);
    kv_row(st, rk_tmpl_get(t, "fw.summary.rules"), v, RK_TONE_NONE);
    free(v);
    v = rk_tmpl_fmt(t, "fw.summary.flows_value", "flows", nf, "network", nn, "host", ni,
                    "hosts", hosts, NULL);
    kv_row(st, rk_tmpl_get(t, "fw.summary.flows"), v, RK_TONE_NONE);
    free(v);
    free(nr);
    free(nh);
    free(nf);
    free(nn);
    free(ni);
    free(hosts);
    /* the flows' states in one line, worst first, only those that occur */
    rk_buf b = {0};
    rk_tone worst = RK_TONE_NONE;
    for (int s = 0; s < RK_FW_STATE_COUNT; s++) {
        if (!c->state[s]) continue;
        if (!b.len) worst = state_tone((rk_fw_state)s);
        rk_buf_printf(&b, "%s%s %zu", b.len ? " · " : "", state_word(t, (rk_fw_state)s), c->state[s]);
    }
    char *states = rk_buf_take(&b);
    kv_row(st, rk_tmpl_get(t, "fw.summary.verification"), states, worst);
    free(states);
}

static void inputs(rk_doc *d, const rk_assessment *a, rk_tmpl *t)
{
    rk_section *sec = rk_doc_section(d, rk_tmpl_get(t, "fw.inputs.title"), 0,
                                     rk_tmpl_get(t, "fw.sheet.inputs"), RK_TARGET_ALL);
    sec->new_page = 1;
    sec->landscape = 1; /* a SHA-256 on one line */
    rk_section_para(sec, RK_PARA_NORMAL, RK_TONE_NONE, rk_tmpl_get(t, "fw.inputs.intro"));
    rk_table *kv = rk_section_table(sec, "Digest", 2);
    kv->kv = 1;
    rk_table_col(kv, 0, "", 26);
    rk_table_col(kv, 1, "", 66);
    kv_row(kv, rk_tmpl_get(t, "fw.cover.digest"), a->digest, RK_TONE_NONE);
    rk_table *tb = rk_section_table(sec, "Inputs", 5);
    rk_table_col(tb, 0, rk_tmpl_get(t, "fw.col.kind"), 9);
    rk_table_col(tb, 1, rk_tmpl_get(t, "fw.col.path"), 34);
    rk_table_col(tb, 2, rk_tmpl_get(t, "fw.col.host"), 10);
    rk_table_col(tb, 3, rk_tmpl_get(t, "fw.col.collected"), 20);
    rk_table_col(tb, 4, rk_tmpl_get(t, "fw.col.sha256"), 68);
    for (size_t i = 0; i < a->ninputs; i++) {
        const rk_input *in = &a->inputs[i];
        rk_cell *c = rk_table_row(tb);
        char key[64];
        snprintf(key, sizeof key, "fw.input.%s", in->kind ? in->kind : "");
        rk_cell_set(&c[0], rk_tmpl_get(t, key), RK_TONE_NONE);
        rk_cell_set(&c[1], in->path, RK_TONE_NONE);
        rk_cell_set(&c[2], in->host, RK_TONE_NONE);
        rk_cell_set(&c[3], in->collected_at, RK_TONE_NONE);
        if (in->missing)
            rk_cell_set(&c[4], rk_tmpl_get(t, "fw.inputs.missing"), RK_TONE_WARN);
        else
            rk_cell_set(&c[4], in->sha256, RK_TONE_NONE);
    }
}

typedef struct edge_ports {
    int (*r)[2];
    size_t n, cap;
} edge_ports;

static void diagram(rk_doc *d, const rk_assessment *a, rk_tmpl *t, const zones *z)
{
    const rk_project *p = a->project;
    rk_section *sec = rk_doc_section(d, rk_tmpl_get(t, "fw.diagram.title"), 0,
                                     rk_tmpl_get(t, "fw.sheet.diagram"), RK_TARGET_ALL);
    sec->new_page = 1;
    sec->landscape = 1;
    rk_section_para(sec, RK_PARA_NORMAL, RK_TONE_NONE, rk_tmpl_get(t, "fw.diagram.intro"));
    rk_diagram *g = rk_section_diagram(sec, rk_tmpl_get(t, "fw.diagram.caption"));
    for (size_t k = 0; k < z->n; k++) {
        rk_diagram_zone(g, z->title[k]);
        size_t nh = 0;
        for (size_t h = 0; h < a->nends; h++) nh += z->of_host[h] == k;
        if (nh <= FW_DIAGRAM_MAX_HOSTS) {
            for (size_t h = 0; h < a->nends; h++) {
                if (z->of_host[h] != k) continue;
                rk_buf b = {0};
                put_host(&b, &a->ends[h]);
                char *host = rk_buf_take(&b);
                char *line;
                if (a->ends[h].host) {
                    char roles[512];
                    rk_schema_roles_str(a->schema, a->ends[h].host->roles, roles, sizeof roles);
                    line = rk_tmpl_fmt(t, "fw.diagram.host", "host", host, "roles", roles, NULL);
                } else {
                    line = rk_xstrdup(host);
                }
                rk_diagram_zone_line(g, k, line);
                free(line);
                free(host);
            }
        } else {
            for (size_t r = 0; r < a->schema->nroles && r < 32; r++) {
                size_t n = 0;
                for (size_t h = 0; h < p->nhosts; h++)
                    n += z->of_host[h] == k && (p->hosts[h].roles & (1u << r));
                if (!n) continue;
                char *cnt = fmt_size(n);
                char *line = rk_tmpl_fmt(t, "fw.diagram.role_count", "role",
                                         a->schema->roles[r].id, "count", cnt, NULL);
                rk_diagram_zone_line(g, k, line);
                free(line);
                free(cnt);
            }
        }
    }
    /* one edge per zone pair and direction: the ports of its flows, per protocol */
    size_t nb = z->n * z->n * 2;
    edge_ports *e = rk_xcalloc(nb ? nb : 1, sizeof(edge_ports));
    for (size_t i = 0; i < a->nflows; i++) {
        const rk_flow *f = &a->flows[i];
        size_t k = (z->of_host[f->from_host] * z->n + z->of_host[f->to_host]) * 2 +
                   (f->protocol == RK_PROTO_UDP);
        if (e[k].n == e[k].cap) {
            e[k].cap = e[k].cap ? e[k].cap * 2 : 16;
            e[k].r = rk_xrealloc(e[k].r, e[k].cap * sizeof(*e[k].r));
        }
        e[k].r[e[k].n][0] = f->port_from;
        e[k].r[e[k].n][1] = f->port_to;
        e[k].n++;
    }
    for (size_t from = 0; from < z->n; from++)
        for (size_t to = 0; to < z->n; to++) {
            rk_buf label = {0};
            for (size_t pr = 0; pr < 2; pr++) {
                edge_ports *ep = &e[(from * z->n + to) * 2 + pr];
                if (!ep->n) continue;
                ep->n = rk_flows_ports_merge(ep->r, ep->n);
                char *ports = ports_str((const int(*)[2])ep->r, ep->n);
                char *part = rk_tmpl_fmt(t, "fw.diagram.edge", "protocol",
                                         proto_word(t, pr ? RK_PROTO_UDP : RK_PROTO_TCP),
                                         "ports", ports, NULL);
                if (label.len) rk_buf_puts(&label, "; ");
                rk_buf_puts(&label, part);
                free(part);
                free(ports);
            }
            if (label.len) rk_diagram_edge(g, from, to, label.data);
            rk_buf_free(&label);
        }
    for (size_t k = 0; k < nb; k++) free(e[k].r);
    free(e);
}

enum { RC_GROUP, RC_RULE, RC_SZONE, RC_SRC, RC_DZONE, RC_DST, RC_PROTO, RC_FAMILY, RC_PORTS,
       RC_SERVICES, RC_PURPOSE, RC_ROWS, RC_FLOWS, RC_VERIFY, RC_COUNT };

/* Network rules (cross 1) or host-firewall rules (cross 0), grouped by zone pair. */
static void rules_section(rk_doc *d, const rk_assessment *a, rk_tmpl *t, const zones *z,
                          int cross)
{
    rk_section *sec = rk_doc_section(d, rk_tmpl_get(t, cross ? "fw.rules.title" : "fw.host.title"),
                                     0, rk_tmpl_get(t, cross ? "fw.sheet.rules" : "fw.sheet.host"),
                                     RK_TARGET_ALL);
    sec->new_page = 1;
    sec->landscape = 1;
    rk_section_para(sec, RK_PARA_NORMAL, RK_TONE_NONE,
                    rk_tmpl_get(t, cross ? "fw.rules.intro" : "fw.host.intro"));
    size_t n = 0;
    for (size_t r = 0; r < a->nrules; r++) n += a->rules[r].cross_zone == cross;
    if (!n) {
        rk_section_para(sec, RK_PARA_NOTE, RK_TONE_INFO,
                        rk_tmpl_get(t, cross ? "fw.rules.none" : "fw.host.none"));
        return;
    }
    rk_table *tb = rk_section_table(sec, cross ? "NetworkRules" : "HostRules", RC_COUNT);
    static const struct {
        const char *key;
        double width;
    } cols[RC_COUNT] = {
        {"fw.col.zone_pair", 24}, {"fw.col.rule", 8},       {"fw.col.src_zone", 11},
        {"fw.col.src_hosts", 24}, {"fw.col.dst_zone", 11},  {"fw.col.dst_hosts", 24},
        {"fw.col.protocol", 10},  {"fw.col.family", 10},    {"fw.col.ports", 16},
        {"fw.col.services", 22},
        {"fw.col.purpose", 30},   {"fw.col.rows", 9},       {"fw.col.flows", 9},
        {"fw.col.verification", 16},
    };
    for (size_t c = 0; c < RC_COUNT; c++) rk_table_col(tb, c, rk_tmpl_get(t, cols[c].key), cols[c].width);
    tb->cols[RC_VERIFY].status = 1;
    tb->group_col = RC_GROUP;
    for (size_t r = 0; r < a->nrules; r++) {
        const rk_rule *x = &a->rules[r];
        if (x->cross_zone != cross) continue;
        size_t zf = z->of_host[x->src_hosts[0]], zt = z->of_host[x->dst_hosts[0]];
        rk_cell *c = rk_table_row(tb);
        char *s = pair_title(t, z, zf, zt);
        rk_cell_set(&c[RC_GROUP], s, RK_TONE_NONE);
        free(s);
        rk_cell_set(&c[RC_RULE], x->id, RK_TONE_NONE);
        rk_cell_set(&c[RC_SZONE], z->id[zf], RK_TONE_NONE);
        s = hosts_cell(a, x->src_hosts, x->nsrc, x->src_family);
        rk_cell_set(&c[RC_SRC], s, RK_TONE_NONE);
        free(s);
        rk_cell_set(&c[RC_DZONE], z->id[zt], RK_TONE_NONE);
        s = hosts_cell(a, x->dst_hosts, x->ndst, x->dst_family);
        rk_cell_set(&c[RC_DST], s, RK_TONE_NONE);
        free(s);
        rk_cell_set(&c[RC_PROTO], proto_word(t, x->protocol), RK_TONE_NONE);
        rk_cell_set(&c[RC_FAMILY], family_word(t, rk_family_of(x->src_family, x->dst_family)),
                    RK_TONE_NONE);
        s = ports_str((const int(*)[2])x->ports, x->nports);
        rk_cell_set(&c[RC_PORTS], s, RK_TONE_NONE);
        free(s);
        rk_cell_set(&c[RC_SERVICES], x->services, RK_TONE_NONE);
        char *dep = NULL;
        for (size_t k = 0; k < x->nflows && !dep; k++) dep = depends_text(a, t, &a->flows[x->flows[k]]);
        if (dep) rk_cell_setf(&c[RC_PURPOSE], RK_TONE_UNKNOWN, "%s\n(%s)", x->purpose, dep);
        else rk_cell_set(&c[RC_PURPOSE], x->purpose, RK_TONE_NONE);
        free(dep);
        s = rk_ints_join(x->rows, x->nrows, ", ");
        rk_cell_set(&c[RC_ROWS], s, RK_TONE_NONE);
        free(s);
        cell_count(&c[RC_FLOWS], x->nflows, RK_TONE_NONE);
        rule_verification(a, t, x, &c[RC_VERIFY]);
    }
}

/* Flows in document order: network flows first, then by zone pair, then by id. */
typedef struct flow_key {
    int host_only;
    size_t zf, zt, idx;
} flow_key;

static int cmp_flow_key(const void *x, const void *y)
{
    const flow_key *a = x, *b = y;
    if (a->host_only != b->host_only) return a->host_only - b->host_only;
    if (a->zf != b->zf) return a->zf < b->zf ? -1 : 1;
    if (a->zt != b->zt) return a->zt < b->zt ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* The flows table's columns; the workbook's also carries each flow's probe, after
 * the note (FC_COUNT_XLSX), where the PDF lists probes in a table of their own. */
enum { FC_GROUP, FC_FLOW, FC_RULE, FC_FROM, FC_TO, FC_PROTO, FC_FAMILY, FC_PORT,
       FC_COMPONENT, FC_REMARK, FC_ROWS, FC_VERIFY, FC_NOTE, FC_COUNT,
       FC_MS = FC_COUNT, FC_AT, FC_COUNT_XLSX };
/* The PDF's flows table: protocol, port and address family in one column, so that the
 * others (hosts with their addresses, the note) keep room on a page in every language. */
enum { FP_GROUP, FP_FLOW, FP_RULE, FP_FROM, FP_TO, FP_SERVICE, FP_COMPONENT, FP_REMARK,
       FP_ROWS, FP_VERIFY, FP_NOTE, FP_COUNT };

/* Above this many flows (or probe results) the PDF does not list them one per row
 * (thousands of pages nobody signs page by page, and more memory than the rest of the
 * run); the workbook and findings.json always do, and every rule in the PDF names the
 * flows it covers. */
#define RK_FW_PDF_MAX_FLOWS 1500

enum { PC_HOST, PC_COLLECTED, PC_FLOWS, PC_PROBEABLE, PC_OPEN, PC_CLOSED, PC_FILTERED,
       PC_ERROR, PC_NOT_PROBED, PC_NOT_VERIFIABLE, PC_COUNT };
enum { PD_FLOW, PD_RULE, PD_FROM, PD_TO, PD_PROTO, PD_PORT, PD_RESULT, PD_MS, PD_AT, PD_COUNT };

/* What the rows of the flow and probe tables are made from; the rows themselves are
 * made when written (rk_table_generate) when the tables are workbook-only, as they are
 * at fleet scale, so that hundreds of thousands of rows are never held in memory. */
typedef struct flow_rows {
    const rk_assessment *a;
    rk_tmpl *t;
    size_t *rule_of;  /* owned copy */
    flow_key *order;  /* flows table: document order */
    char **pair;      /* flows table: zone-pair headings by zf * nz + zt, made once */
    size_t nz;
    size_t *probed;   /* probe table: the probed flows, in flow order */
    const char *proto[2], *state[RK_FW_STATE_COUNT];
    const char *family[RK_FAM_NAME + 1]; /* by a flow's one family (0: none) */
} flow_rows;

static void flow_rows_init(flow_rows *fr, const rk_assessment *a, rk_tmpl *t, const size_t *rule_of)
{
    fr->a = a;
    fr->t = t;
    if (rule_of) {
        fr->rule_of = rk_xmalloc(a->nflows * sizeof(size_t));
        memcpy(fr->rule_of, rule_of, a->nflows * sizeof(size_t));
    }
    fr->proto[0] = proto_word(t, RK_PROTO_TCP);
    fr->proto[1] = proto_word(t, RK_PROTO_UDP);
    for (int st = 0; st < RK_FW_STATE_COUNT; st++) fr->state[st] = state_word(t, (rk_fw_state)st);
    static const unsigned fams[] = {0, RK_FAM_V4, RK_FAM_V6, RK_FAM_NAME};
    for (size_t k = 0; k < sizeof fams / sizeof fams[0]; k++)
        fr->family[fams[k]] = family_word(t, fams[k]);
}

static void flow_rows_free(void *ctx)
{
    flow_rows *fr = ctx;
    if (fr->pair)
        for (size_t i = 0; i < fr->nz * fr->nz; i++) free(fr->pair[i]);
    free(fr->pair);
    free(fr->order);
    free(fr->probed);
    free(fr->rule_of);
    free(fr);
}

static void set_text(rk_cell *c, const char *text, rk_tone tone)
{
    c->text = (char *)(text ? text : "");
    c->tone = tone;
}

/* put_host_fam into the row's buffer */
static char *row_host(rk_rowbuf *b, const rk_end *e, unsigned fam)
{
    rk_buf t = {0};
    put_host_fam(&t, e, fam);
    char *s = rk_rowbuf_strdup(b, t.data ? t.data : "");
    rk_buf_free(&t);
    return s;
}

static char *row_port(rk_rowbuf *b, const rk_flow *f)
{
    if (f->port_from == f->port_to) return rk_rowbuf_printf(b, "%d", f->port_from);
    return rk_rowbuf_printf(b, "%d-%d", f->port_from, f->port_to);
}

static const char *row_rule(const flow_rows *fr, size_t flow)
{
    size_t r = fr->rule_of ? fr->rule_of[flow] : SIZE_MAX;
    return r < fr->a->nrules ? fr->a->rules[r].id : "";
}

static void flow_row(void *ctx, size_t k, rk_cell *c, rk_rowbuf *b)
{
    const flow_rows *fr = ctx;
    const rk_assessment *a = fr->a;
    const flow_key *key = &fr->order[k];
    const rk_flow *f = &a->flows[key->idx];
    set_text(&c[FC_GROUP], fr->pair[key->zf * fr->nz + key->zt], RK_TONE_NONE);
    set_text(&c[FC_FLOW], f->id, RK_TONE_NONE);
    set_text(&c[FC_RULE], row_rule(fr, key->idx), RK_TONE_NONE);
    set_text(&c[FC_FROM], row_host(b, &a->ends[f->from_host], f->src_family), RK_TONE_NONE);
    set_text(&c[FC_TO], row_host(b, &a->ends[f->to_host], f->dst_family), RK_TONE_NONE);
    set_text(&c[FC_PROTO], fr->proto[f->protocol == RK_PROTO_UDP], RK_TONE_NONE);
    set_text(&c[FC_FAMILY], fr->family[rk_flow_family(f)],
             rk_flow_family(f) ? RK_TONE_NONE : RK_TONE_FAIL);
    set_text(&c[FC_PORT], row_port(b, f), RK_TONE_NONE);
    set_text(&c[FC_COMPONENT], f->service, RK_TONE_NONE);
    set_text(&c[FC_REMARK], f->remark, RK_TONE_NONE);
    char *rows = rk_ints_join(f->rows, f->nrows, ", ");
    set_text(&c[FC_ROWS], rk_rowbuf_strdup(b, rows), RK_TONE_NONE);
    free(rows);
    rk_fw_state st = rk_flows_state(f);
    set_text(&c[FC_VERIFY], fr->state[st], state_tone(st));
    char *dep = depends_text(a, fr->t, f);
    if (!rk_flow_family(f)) { /* no rule can carry it: say so first */
        char *fam = dep;
        dep = rk_xasprintf("%s%s%s", rk_tmpl_get(fr->t, "fw.flows.no_common_family"),
                           fam ? "\n" : "", fam ? fam : "");
        free(fam);
    }
    rk_tone tone = !rk_flow_family(f) ? RK_TONE_FAIL : RK_TONE_UNKNOWN;
    if (dep && f->note) set_text(&c[FC_NOTE], rk_rowbuf_printf(b, "%s\n%s", dep, f->note), tone);
    else if (dep) set_text(&c[FC_NOTE], rk_rowbuf_strdup(b, dep), tone);
    else set_text(&c[FC_NOTE], f->note, RK_TONE_NONE);
    free(dep);
}

/* A probed flow's connect time (a number in the workbook) and when it was probed. */
static void probe_cells(rk_cell *ms, rk_cell *at, const rk_flow *f, rk_rowbuf *b)
{
    if (!f->probe_result) return;
    set_text(ms, rk_rowbuf_printf(b, "%g", f->probe_ms), RK_TONE_NONE);
    ms->is_number = 1;
    ms->number = f->probe_ms;
    set_text(at, f->probe_at, RK_TONE_NONE);
}

/* A row of the PDF's flows table: flow_row's, protocol and port over the family. */
static void flow_row_pdf(void *ctx, size_t k, rk_cell *c, rk_rowbuf *b)
{
    rk_cell x[FC_COUNT];
    for (size_t i = 0; i < FC_COUNT; i++) x[i] = (rk_cell){(char *)"", RK_TONE_NONE, 0, 0};
    flow_row(ctx, k, x, b);
    static const size_t same[][2] = {{FP_GROUP, FC_GROUP}, {FP_FLOW, FC_FLOW}, {FP_RULE, FC_RULE},
                                     {FP_FROM, FC_FROM}, {FP_TO, FC_TO},
                                     {FP_COMPONENT, FC_COMPONENT}, {FP_REMARK, FC_REMARK},
                                     {FP_ROWS, FC_ROWS}, {FP_VERIFY, FC_VERIFY}, {FP_NOTE, FC_NOTE}};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) c[same[i][0]] = x[same[i][1]];
    set_text(&c[FP_SERVICE],
             rk_rowbuf_printf(b, "%s %s\n%s", x[FC_PROTO].text, x[FC_PORT].text, x[FC_FAMILY].text),
             x[FC_FAMILY].tone);
}

/* A row of the workbook's flows table: flow_row and the flow's probe. One port is a
 * number there (sorted and filtered as one, without Excel's "number stored as text"
 * mark); the PDF keeps ports and ranges alike, as text. */
static void flow_row_xlsx(void *ctx, size_t k, rk_cell *c, rk_rowbuf *b)
{
    const flow_rows *fr = ctx;
    const rk_flow *f = &fr->a->flows[fr->order[k].idx];
    flow_row(ctx, k, c, b);
    if (f->port_from == f->port_to) {
        c[FC_PORT].is_number = 1;
        c[FC_PORT].number = f->port_from;
    }
    probe_cells(&c[FC_MS], &c[FC_AT], f, b);
}

static void probe_row(void *ctx, size_t k, rk_cell *c, rk_rowbuf *b)
{
    const flow_rows *fr = ctx;
    const rk_assessment *a = fr->a;
    size_t i = fr->probed[k];
    const rk_flow *f = &a->flows[i];
    set_text(&c[PD_FLOW], f->id, RK_TONE_NONE);
    set_text(&c[PD_RULE], row_rule(fr, i), RK_TONE_NONE);
    set_text(&c[PD_FROM], a->ends[f->from_host].title, RK_TONE_NONE);
    set_text(&c[PD_TO], row_host(b, &a->ends[f->to_host], f->dst_family), RK_TONE_NONE);
    set_text(&c[PD_PROTO], fr->proto[f->protocol == RK_PROTO_UDP], RK_TONE_NONE);
    set_text(&c[PD_PORT], row_port(b, f), RK_TONE_NONE);
    rk_fw_state st = rk_flows_state(f);
    set_text(&c[PD_RESULT], fr->state[st], state_tone(st));
    probe_cells(&c[PD_MS], &c[PD_AT], f, b);
}

/* The flows table of the section: cols columns (FC_COUNT for the PDF, FC_COUNT_XLSX for
 * the workbook), rows stored when generate is 0, else made as they are written. */
static void flows_table(rk_section *sec, const rk_assessment *a, rk_tmpl *t, const zones *z,
                        const size_t *rule_of, int pdf, int generate)
{
    typedef struct {
        const char *key;
        double width;
    } col;
    static const col xcols[FC_COUNT_XLSX] = {
        {"fw.col.zone_pair", 24}, {"fw.col.flow", 9},     {"fw.col.rule", 8},
        {"fw.col.from", 22},      {"fw.col.to", 22},      {"fw.col.protocol", 9},
        {"fw.col.family", 9},     {"fw.col.port", 11},    {"fw.col.component", 22},
        {"fw.col.remark", 24},
        {"fw.col.rows", 8},       {"fw.col.verification", 14}, {"fw.col.note", 34},
        {"fw.col.ms", 9},         {"fw.col.checked_at", 20},
    };
    static const col pcols[FP_COUNT] = {
        {"fw.col.zone_pair", 24}, {"fw.col.flow", 9},       {"fw.col.rule", 7},
        {"fw.col.from", 22},      {"fw.col.to", 22},        {"fw.col.service", 12},
        {"fw.col.component", 20}, {"fw.col.remark", 22},    {"fw.col.rows", 8},
        {"fw.col.verification", 13}, {"fw.col.note", 38},
    };
    const col *cols = pdf ? pcols : xcols;
    size_t ncols = pdf ? FP_COUNT : FC_COUNT_XLSX;
    rk_table *tb = rk_section_table(sec, "Flows", ncols);
    for (size_t c = 0; c < ncols; c++) rk_table_col(tb, c, rk_tmpl_get(t, cols[c].key), cols[c].width);
    tb->cols[pdf ? FP_VERIFY : FC_VERIFY].status = 1;
    tb->group_col = FC_GROUP;

    flow_rows *fr = rk_xcalloc(1, sizeof(*fr));
    flow_rows_init(fr, a, t, rule_of);
    fr->order = rk_xmalloc(a->nflows * sizeof(flow_key));
    fr->nz = z->n;
    fr->pair = rk_xcalloc(z->n ? z->n * z->n : 1, sizeof(char *));
    for (size_t i = 0; i < a->nflows; i++) {
        const rk_flow *f = &a->flows[i];
        flow_key k = {!f->cross_zone, z->of_host[f->from_host], z->of_host[f->to_host], i};
        fr->order[i] = k;
        char **pt = &fr->pair[k.zf * z->n + k.zt];
        if (!*pt) *pt = pair_title(t, z, k.zf, k.zt);
    }
    qsort(fr->order, a->nflows, sizeof(flow_key), cmp_flow_key);
    rk_row_fn row = pdf ? flow_row_pdf : flow_row_xlsx;
    if (!generate) {
        rk_table_add_rows(tb, a->nflows, row, fr);
        flow_rows_free(fr);
    } else {
        rk_table_generate(tb, a->nflows, row, fr, flow_rows_free);
    }
}

/* The flows: one table in the PDF (up to RK_FW_PDF_MAX_FLOWS), one in the workbook with
 * each flow's probe as well. */
static void flows_section(rk_doc *d, const rk_assessment *a, rk_tmpl *t, const zones *z,
                          const size_t *rule_of)
{
    int pdf_too = a->nflows <= RK_FW_PDF_MAX_FLOWS;
    /* each section filled before the next is added (adding one moves the others) */
    rk_section *pdf = rk_doc_section(d, rk_tmpl_get(t, "fw.flows.title"), 0, NULL, RK_TARGET_PDF);
    pdf->new_page = 1;
    pdf->landscape = 1;
    if (!a->nflows) {
        rk_section_para(pdf, RK_PARA_NORMAL, RK_TONE_NONE, rk_tmpl_get(t, "fw.flows.intro"));
        rk_section_para(pdf, RK_PARA_NOTE, RK_TONE_INFO, rk_tmpl_get(t, "fw.flows.none"));
    } else if (pdf_too) {
        rk_section_para(pdf, RK_PARA_NORMAL, RK_TONE_NONE, rk_tmpl_get(t, "fw.flows.intro"));
        flows_table(pdf, a, t, z, rule_of, 1, 0);
    } else {
        char n[32];
        snprintf(n, sizeof n, "%zu", a->nflows);
        char *text = rk_tmpl_fmt(t, "fw.flows.pdf_omitted", "flows", n, NULL);
        rk_section_para(pdf, RK_PARA_NOTE, RK_TONE_INFO, text);
        free(text);
    }
    rk_section *sec = rk_doc_section(d, rk_tmpl_get(t, "fw.flows.title"), 0,
                                     rk_tmpl_get(t, "fw.sheet.flows"), RK_TARGET_XLSX);
    sec->landscape = 1;
    rk_section_para(sec, RK_PARA_NORMAL, RK_TONE_NONE, rk_tmpl_get(t, "fw.flows.intro"));
    if (!a->nflows) rk_section_para(sec, RK_PARA_NOTE, RK_TONE_INFO, rk_tmpl_get(t, "fw.flows.none"));
    else flows_table(sec, a, t, z, rule_of, 0, !pdf_too);
}

static void probes_section(rk_doc *d, const rk_assessment *a, rk_tmpl *t,
                           const size_t *rule_of)
{
    const rk_project *p = a->project;
    rk_section *sec = rk_doc_section(d, rk_tmpl_get(t, "fw.probes.title"), 0,
                                     rk_tmpl_get(t, "fw.sheet.probes"), RK_TARGET_ALL);
    sec->new_page = 1;
    sec->landscape = 1;
    rk_section_para(sec, RK_PARA_NORMAL, RK_TONE_NONE, rk_tmpl_get(t, "fw.probes.intro"));

    /* per source host */
    size_t (*n)[RK_FW_STATE_COUNT + 2] = rk_xcalloc(a->nends ? a->nends : 1, sizeof(*n));
    size_t probed = 0;
    for (size_t i = 0; i < a->nflows; i++) {
        const rk_flow *f = &a->flows[i];
        n[f->from_host][rk_flows_state(f)]++;
        n[f->from_host][RK_FW_STATE_COUNT]++;
        n[f->from_host][RK_FW_STATE_COUNT + 1] += rk_flows_probeable(f);
        probed += f->probe_result != NULL;
    }
    rk_table *sum = rk_section_table(sec, "ProbeHosts", PC_COUNT);
    static const struct {
        const char *key;
        double width;
    } scols[PC_COUNT] = {
        {"fw.col.host", 16},    {"fw.col.collected", 20}, {"fw.col.flows_from", 9},
        {"fw.col.probeable", 9}, {"fw.state.open", 9},    {"fw.state.closed", 9},
        {"fw.state.filtered", 9}, {"fw.state.error", 9},  {"fw.state.not-probed", 9},
        {"fw.state.not-verifiable", 9},
    };
    for (size_t c = 0; c < PC_COUNT; c++) rk_table_col(sum, c, rk_tmpl_get(t, scols[c].key), scols[c].width);
    static const rk_fw_state cstate[] = {RK_FW_OPEN, RK_FW_CLOSED, RK_FW_FILTERED, RK_FW_ERROR,
                                         RK_FW_NOT_PROBED, RK_FW_NOT_VERIFIABLE};
    for (size_t h = 0; h < a->nends; h++) {
        if (!n[h][RK_FW_STATE_COUNT]) continue;
        rk_cell *c = rk_table_row(sum);
        rk_cell_set(&c[PC_HOST], a->ends[h].title, RK_TONE_NONE);
        const rk_facts *fx = a->facts && h < p->nhosts ? a->facts[h] : NULL;
        if (fx)
            rk_cell_set(&c[PC_COLLECTED], fx->collected_at, RK_TONE_NONE);
        else
            rk_cell_set(&c[PC_COLLECTED], rk_tmpl_get(t, "fw.probes.no_facts"), RK_TONE_UNKNOWN);
        cell_count(&c[PC_FLOWS], n[h][RK_FW_STATE_COUNT], RK_TONE_NONE);
        cell_count(&c[PC_PROBEABLE], n[h][RK_FW_STATE_COUNT + 1], RK_TONE_NONE);
        for (size_t k = 0; k < sizeof cstate / sizeof cstate[0]; k++) {
            size_t v = n[h][cstate[k]];
            cell_count(&c[PC_OPEN + k], v, v ? state_tone(cstate[k]) : RK_TONE_NONE);
        }
    }
    free(n);

    if (!probed) {
        rk_section_para(sec, RK_PARA_HEADING, RK_TONE_NONE, rk_tmpl_get(t, "fw.probes.results"));
        rk_section_para(sec, RK_PARA_NOTE, RK_TONE_UNKNOWN, rk_tmpl_get(t, "fw.probes.none"));
        return;
    }
    /* the workbook has each probe on its flow's row of the Flows sheet; the PDF lists
     * them here, one per row, or says where they are */
    rk_section *wb = rk_doc_section(d, NULL, 0, NULL, RK_TARGET_XLSX);
    rk_section_para(wb, RK_PARA_NOTE, RK_TONE_INFO, rk_tmpl_get(t, "fw.probes.in_flows"));
    rk_section *pdf = rk_doc_section(d, NULL, 0, NULL, RK_TARGET_PDF);
    pdf->landscape = 1;
    rk_section_para(pdf, RK_PARA_HEADING, RK_TONE_NONE, rk_tmpl_get(t, "fw.probes.results"));
    if (probed > RK_FW_PDF_MAX_FLOWS) {
        char n[32];
        snprintf(n, sizeof n, "%zu", probed);
        char *text = rk_tmpl_fmt(t, "fw.probes.pdf_omitted", "probes", n, NULL);
        rk_section_para(pdf, RK_PARA_NOTE, RK_TONE_INFO, text);
        free(text);
        return;
    }
    rk_table *tb = rk_section_table(pdf, "ProbeResults", PD_COUNT);
    static const struct {
        const char *key;
        double width;
    } cols[PD_COUNT] = {
        {"fw.col.flow", 9},    {"fw.col.rule", 8},  {"fw.col.from", 20},
        {"fw.col.to", 22},     {"fw.col.protocol", 9}, {"fw.col.port", 8},
        {"fw.col.result", 14}, {"fw.col.ms", 9},    {"fw.col.checked_at", 20},
    };
    for (size_t c = 0; c < PD_COUNT; c++) rk_table_col(tb, c, rk_tmpl_get(t, cols[c].key), cols[c].width);
    tb->cols[PD_RESULT].status = 1;
    flow_rows *fr = rk_xcalloc(1, sizeof(*fr));
    flow_rows_init(fr, a, t, rule_of);
    fr->probed = rk_xmalloc(probed * sizeof(size_t));
    size_t np = 0;
    for (size_t i = 0; i < a->nflows; i++)
        if (a->flows[i].probe_result) fr->probed[np++] = i;
    rk_table_add_rows(tb, np, probe_row, fr);
    flow_rows_free(fr);
}

static void signoff(rk_doc *d, const rk_assessment *a, rk_tmpl *t, const counts *c)
{
    const rk_project *p = a->project;
    rk_section *sec = rk_doc_section(d, rk_tmpl_get(t, "fw.signoff.title"), 0,
                                     rk_tmpl_get(t, "fw.sheet.signoff"), RK_TARGET_ALL);
    sec->new_page = 1;
    rk_signoff *so = rk_section_signoff(sec);
    char *nr = fmt_size(c->network_rules), *nh = fmt_size(c->host_rules);
    const char *change = p->change.present && p->change.id && *p->change.id
                             ? p->change.id
                             : rk_tmpl_get(t, "fw.signoff.no_change");
    so->statement = rk_tmpl_fmt(t, "fw.signoff.statement", "network", nr, "host", nh,
                                "change", change, "assessment", p->assessment_id, NULL);
    free(nr);
    free(nh);
    so->role_label = rk_xstrdup(rk_tmpl_get(t, "fw.signoff.role"));
    so->digest_label = rk_xstrdup(rk_tmpl_get(t, "fw.cover.digest"));
    so->digest = rk_xstrdup(a->digest);
    so->name_label = rk_xstrdup(rk_tmpl_get(t, "fw.signoff.name"));
    so->decision_label = rk_xstrdup(rk_tmpl_get(t, "fw.signoff.decision"));
    so->date_label = rk_xstrdup(rk_tmpl_get(t, "fw.signoff.date"));
    so->signature_label = rk_xstrdup(rk_tmpl_get(t, "fw.signoff.signature"));
    so->comment_label = rk_xstrdup(rk_tmpl_get(t, "fw.signoff.comment"));
    for (size_t i = 0; i < p->nsignoff; i++) rk_signoff_role(so, p->signoff[i]);
    if (!p->nsignoff) rk_signoff_role(so, rk_tmpl_get(t, "fw.signoff.default_role"));
    rk_signoff_decision(so, rk_tmpl_get(t, "fw.decision.approved"));
    rk_signoff_decision(so, rk_tmpl_get(t, "fw.decision.conditions"));
    rk_signoff_decision(so, rk_tmpl_get(t, "fw.decision.rejected"));
}

/* ------------------------------------------------------------------ public */

rk_doc *rk_firewall_build(const rk_assessment *a, rk_tmpl *t, const char *version)
{
    const rk_project *p = a->project;
    const rk_schema *s = a->schema;
    rk_doc *d = rk_doc_new();
    d->title = rk_xstrdup(rk_tmpl_get(t, "fw.title"));
    d->subject = rk_tmpl_fmt(t, "fw.subject", "customer", p->customer, "project", p->project,
                             "product", s->product, "version", s->version, NULL);
    d->author = rk_xasprintf("readykit %s", version ? version : "");
    d->company = rk_xstrdup(p->customer ? p->customer : "");
    d->keywords = rk_xstrdup(rk_tmpl_get(t, "fw.keywords"));
    d->lang = rk_xstrdup(rk_tmpl_lang(t));
    d->created = a->date;
    d->footer_left = rk_tmpl_fmt(t, "fw.footer", "assessment", p->assessment_id, "title",
                                 d->title, NULL);
    d->page_format = rk_xstrdup(rk_tmpl_get(t, "fw.page"));

    counts c;
    count_all(a, &c);
    zones z;
    zones_init(&z, a, t);
    size_t *rule_of = rk_flows_rule_of(a);
    cover(d, a, t, version, &c);
    inputs(d, a, t);
    diagram(d, a, t, &z);
    rules_section(d, a, t, &z, 1);
    rules_section(d, a, t, &z, 0);
    flows_section(d, a, t, &z, rule_of);
    probes_section(d, a, t, rule_of);
    signoff(d, a, t, &c);
    free(rule_of);
    zones_free(&z);
    return d;
}

enum { CC_RULE, CC_CHANGE, CC_REVIEW, CC_SZONE, CC_SHOSTS, CC_SADDR, CC_DZONE, CC_DHOSTS,
       CC_DADDR, CC_PROTO, CC_PORTS, CC_SERVICES, CC_PURPOSE, CC_ROWS, CC_FLOWS, CC_SCOPE,
       CC_VERIFY, CC_FAMILY, CC_COUNT };

/* Names, or addresses (the addresses of the rule's family on that side; for names, the
 * FQDN or name of a host without addresses). */
static char *host_list(const rk_assessment *a, const size_t *hosts, size_t n, int addresses,
                       unsigned fam)
{
    rk_buf b = {0};
    for (size_t k = 0; k < n; k++) {
        const rk_end *e = &a->ends[hosts[k]];
        if (!addresses) {
            rk_buf_printf(&b, "%s%s", k ? "," : "", e->name);
            continue;
        }
        if (b.len) rk_buf_putc(&b, ',');
        rk_end_targets_str(&b, e, fam, ",");
    }
    return rk_buf_take(&b);
}

rk_table *rk_firewall_csv_table(const rk_assessment *a, rk_tmpl *t)
{
    (void)t;
    static const char *const names[CC_COUNT] = {
        "rule",      "change_id",        "review_date",           "source_zone",
        "source_hosts", "source_addresses", "destination_zone",  "destination_hosts",
        "destination_addresses", "protocol", "ports",            "services",
        "purpose",   "seed_rows",        "flows",                 "scope",
        "verification", "address_family"};
    rk_table *tb = rk_table_new("firewall", CC_COUNT);
    for (size_t c = 0; c < CC_COUNT; c++) rk_table_col(tb, c, names[c], 1);
    const rk_project *p = a->project;
    const rk_change *ch = &p->change;
    for (size_t r = 0; r < a->nrules; r++) {
        const rk_rule *x = &a->rules[r];
        rk_cell *c = rk_table_row(tb);
        rk_cell_set(&c[CC_RULE], x->id, RK_TONE_NONE);
        rk_cell_set(&c[CC_CHANGE], ch->present ? ch->id : "", RK_TONE_NONE);
        rk_cell_set(&c[CC_REVIEW], ch->present ? ch->review_date : "", RK_TONE_NONE);
        rk_cell_set(&c[CC_SZONE], x->src_zone, RK_TONE_NONE);
        char *s = host_list(a, x->src_hosts, x->nsrc, 0, 0);
        rk_cell_set(&c[CC_SHOSTS], s, RK_TONE_NONE);
        free(s);
        s = host_list(a, x->src_hosts, x->nsrc, 1, x->src_family);
        rk_cell_set(&c[CC_SADDR], s, RK_TONE_NONE);
        free(s);
        rk_cell_set(&c[CC_DZONE], x->dst_zone, RK_TONE_NONE);
        s = host_list(a, x->dst_hosts, x->ndst, 0, 0);
        rk_cell_set(&c[CC_DHOSTS], s, RK_TONE_NONE);
        free(s);
        s = host_list(a, x->dst_hosts, x->ndst, 1, x->dst_family);
        rk_cell_set(&c[CC_DADDR], s, RK_TONE_NONE);
        free(s);
        rk_cell_set(&c[CC_PROTO], rk_flows_proto_str(x->protocol), RK_TONE_NONE);
        s = ports_str((const int(*)[2])x->ports, x->nports);
        rk_cell_set(&c[CC_PORTS], s, RK_TONE_NONE);
        free(s);
        rk_cell_set(&c[CC_SERVICES], x->services, RK_TONE_NONE);
        rk_cell_set(&c[CC_PURPOSE], x->purpose, RK_TONE_NONE);
        s = rk_ints_join(x->rows, x->nrows, ",");
        rk_cell_set(&c[CC_ROWS], s, RK_TONE_NONE);
        free(s);
        rk_buf b = {0};
        for (size_t k = 0; k < x->nflows; k++)
            rk_buf_printf(&b, "%s%s", k ? "," : "", a->flows[x->flows[k]].id);
        rk_cell_set(&c[CC_FLOWS], b.data, RK_TONE_NONE);
        rk_buf_free(&b);
        rk_cell_set(&c[CC_SCOPE], x->cross_zone ? "network" : "host", RK_TONE_NONE);
        rk_cell_set(&c[CC_VERIFY], x->verification, RK_TONE_NONE);
        rk_cell_set(&c[CC_FAMILY], rk_family_str(rk_family_of(x->src_family, x->dst_family)),
                    RK_TONE_NONE);
    }
    return tb;
}

void rk_firewall_csv_table_free(rk_table *tb)
{
    rk_table_free(tb);
}
