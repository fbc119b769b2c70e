/* flows.c - expands the schema's network table over the inventory (and the schema's
 * endpoints) into concrete flows, matches probe results to them, and consolidates them
 * into firewall rules. */
#include "flows.h"

#include "when.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GROW(arr, n, cap)                                                            \
    do {                                                                             \
        if ((n) == (cap)) {                                                          \
            (cap) = (cap) ? (cap) * 2 : 16;                                          \
            (arr) = rk_xrealloc((arr), (cap) * sizeof(*(arr)));                      \
        }                                                                            \
    } while (0)

/* ---------------------------------------------------------------- small helpers */

static int ieq(const char *a, const char *b)
{
    if (!a || !b) return 0;
    while (*a && *b) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
        a++, b++;
    }
    return *a == *b;
}

static int cmp_size(size_t a, size_t b) { return a < b ? -1 : a > b; }
static int cmp_int(int a, int b) { return a < b ? -1 : a > b; }

static int qcmp_size(const void *a, const void *b)
{
    return cmp_size(*(const size_t *)a, *(const size_t *)b);
}

static int qcmp_int(const void *a, const void *b)
{
    return cmp_int(*(const int *)a, *(const int *)b);
}

/* A stable merge sort of an index array whose comparator gets a context (C11 has no
 * qsort_r). Stability plus total keys keep every order reproducible. */
typedef int (*idx_cmp)(const void *ctx, size_t a, size_t b);

static void msort_rec(size_t *v, size_t *tmp, size_t n, idx_cmp cmp, const void *ctx)
{
    if (n <= 12) {
        for (size_t i = 1; i < n; i++) {
            size_t x = v[i], j = i;
            while (j > 0 && cmp(ctx, v[j - 1], x) > 0) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    msort_rec(v, tmp, h, cmp, ctx);
    msort_rec(v + h, tmp, n - h, cmp, ctx);
    if (cmp(ctx, v[h - 1], v[h]) <= 0) return;
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = cmp(ctx, v[j], v[i]) < 0 ? v[j++] : v[i++];
    while (i < h) tmp[k++] = v[i++];
    while (j < n) tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof(size_t));
}

static void idx_sort(size_t *v, size_t n, idx_cmp cmp, const void *ctx)
{
    if (n < 2) return;
    size_t *tmp = rk_xmalloc(n * sizeof(size_t));
    msort_rec(v, tmp, n, cmp, ctx);
    free(tmp);
}

static size_t *idx_identity(size_t n)
{
    size_t *v = rk_xmalloc((n ? n : 1) * sizeof(size_t));
    for (size_t i = 0; i < n; i++) v[i] = i;
    return v;
}

/* Appends text to a "; "-joined list unless the list already holds it. */
static void join_distinct(rk_buf *b, const char **seen, size_t *nseen, const char *text)
{
    if (!text || !*text) return;
    for (size_t i = 0; i < *nseen; i++)
        if (strcmp(seen[i], text) == 0) return;
    seen[(*nseen)++] = text;
    if (b->len) rk_buf_puts(b, "; ");
    rk_buf_puts(b, text);
}

/* Schema flow indexes in seed-row order (stable for equal row numbers). */
static int cmp_schema_row(const void *ctx, size_t a, size_t b)
{
    const rk_schema *s = ctx;
    return cmp_int(s->flows[a].row, s->flows[b].row);
}

static size_t *schema_rows_sorted(const rk_schema *s)
{
    size_t *v = idx_identity(s->nflows);
    idx_sort(v, s->nflows, cmp_schema_row, s);
    return v;
}

/* ------------------------------------------------------------- public helpers */

const char *rk_fw_state_str(rk_fw_state s)
{
    switch (s) {
#define RK_FW_STATE_CASE(name, str)                                                    \
    case RK_FW_##name:                                                                 \
        return str;
        RK_FW_STATE_MAP(RK_FW_STATE_CASE)
#undef RK_FW_STATE_CASE
    default:
        return "?";
    }
}

static int state_parse(const char *s, rk_fw_state *out)
{
#define RK_FW_STATE_PARSE(name, str)                                                   \
    if (s && strcmp(s, str) == 0 && RK_FW_##name != RK_FW_NOT_PROBED) {               \
        *out = RK_FW_##name;                                                           \
        return 0;                                                                      \
    }
    RK_FW_STATE_MAP(RK_FW_STATE_PARSE)
#undef RK_FW_STATE_PARSE
    return -1;
}

const char *rk_flows_proto_str(uint32_t protocol)
{
    return protocol == RK_PROTO_TCP ? "tcp" : protocol == RK_PROTO_UDP ? "udp" : "?";
}

int rk_flows_probeable(const rk_flow *f)
{
    return f->protocol == RK_PROTO_TCP && !f->dynamic && f->port_from == f->port_to &&
           f->src_family && f->dst_family;
}

unsigned rk_flow_family(const rk_flow *f) { return rk_family_of(f->src_family, f->dst_family); }

size_t rk_end_targets(const rk_end *e, unsigned fam, const char **out, size_t max)
{
    size_t n = 0;
    if (!e->naddresses) {
        if (fam != RK_FAM_NAME) return 0;
        if (max) out[0] = rk_end_target(e);
        return 1;
    }
    for (size_t i = 0; i < e->naddresses; i++) {
        if (!e->address_families || e->address_families[i] != fam) continue;
        if (n < max) out[n] = e->addresses[i];
        n++;
    }
    return n;
}

void rk_end_targets_str(rk_buf *b, const rk_end *e, unsigned fam, const char *sep)
{
    if (!e->naddresses) {
        if (fam == RK_FAM_NAME) rk_buf_puts(b, rk_end_target(e));
        return;
    }
    int first = 1;
    for (size_t i = 0; i < e->naddresses; i++) {
        if (!e->address_families || e->address_families[i] != fam) continue;
        if (!first) rk_buf_puts(b, sep);
        rk_buf_puts(b, e->addresses[i]);
        first = 0;
    }
}

rk_fw_state rk_flows_state(const rk_flow *f)
{
    rk_fw_state s;
    /* one judge of probe evidence: a TCP connect verifies only a single-port TCP flow,
     * whatever a fact file claims for any other */
    if (!rk_flows_probeable(f)) return RK_FW_NOT_VERIFIABLE;
    if (f->probe_result && state_parse(f->probe_result, &s) == 0) return s;
    return RK_FW_NOT_PROBED;
}

const char *rk_end_target(const rk_end *e)
{
    if (e->naddresses) return e->addresses[0];
    if (e->host && e->host->fqdn && *e->host->fqdn) return e->host->fqdn;
    return e->host ? e->host->name : e->name;
}

int rk_end_probeable_name(const char *s)
{
    return s && *s && !strchr(s, '*') && !strchr(s, '/');
}

/* The zone index of each end: the project's zones in their order, zones the project does
 * not list in order of first use, then one external zone for every endpoint. */
size_t *rk_flows_zone_order(const rk_assessment *a)
{
    const rk_project *p = a->project;
    size_t n = a->nends;
    size_t *hz = rk_xmalloc((n ? n : 1) * sizeof(size_t));
    size_t extra = p->nzones;
    for (size_t i = 0; i < p->nhosts && i < n; i++) {
        const char *z = p->hosts[i].zone ? p->hosts[i].zone : "";
        size_t k = 0;
        while (k < p->nzones && strcmp(p->zones[k].id ? p->zones[k].id : "", z) != 0) k++;
        if (k == p->nzones) {
            size_t j = 0;
            while (j < i && strcmp(p->hosts[j].zone ? p->hosts[j].zone : "", z) != 0) j++;
            k = j < i ? hz[j] : extra++;
        }
        hz[i] = k;
    }
    for (size_t i = p->nhosts; i < n; i++) hz[i] = extra;
    return hz;
}

size_t rk_flows_zone_count(const rk_assessment *a, const size_t *hz)
{
    size_t m = 0;
    for (size_t i = 0; i < a->nends; i++)
        if (hz[i] + 1 > m) m = hz[i] + 1;
    return m;
}

static int cmp_range(const void *x, const void *y)
{
    const int *a = x, *b = y;
    return a[0] != b[0] ? cmp_int(a[0], b[0]) : cmp_int(a[1], b[1]);
}

size_t rk_flows_ports_merge(int (*ports)[2], size_t n)
{
    if (n < 2) return n;
    qsort(ports, n, sizeof(*ports), cmp_range);
    size_t u = 0;
    for (size_t i = 1; i < n; i++) {
        if (ports[i][0] <= ports[u][1] + 1) {
            if (ports[i][1] > ports[u][1]) ports[u][1] = ports[i][1];
        } else {
            u++;
            ports[u][0] = ports[i][0];
            ports[u][1] = ports[i][1];
        }
    }
    return u + 1;
}

void rk_flows_ports_str(rk_buf *out, const int (*ports)[2], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) rk_buf_putc(out, ',');
        if (ports[i][0] == ports[i][1])
            rk_buf_printf(out, "%d", ports[i][0]);
        else
            rk_buf_printf(out, "%d-%d", ports[i][0], ports[i][1]);
    }
}

size_t rk_flows_blocked(const rk_assessment *a, size_t *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nflows; i++) {
        const rk_flow *f = &a->flows[i];
        if (!rk_flows_probeable(f)) continue;
        rk_fw_state s = rk_flows_state(f);
        if (s != RK_FW_CLOSED && s != RK_FW_FILTERED) continue;
        if (n < max) out[n] = i;
        n++;
    }
    return n;
}

size_t *rk_flows_rule_of(const rk_assessment *a)
{
    if (!a->nflows) return NULL;
    size_t *of = rk_xmalloc(a->nflows * sizeof(size_t));
    for (size_t i = 0; i < a->nflows; i++) of[i] = SIZE_MAX;
    for (size_t r = 0; r < a->nrules; r++)
        for (size_t k = 0; k < a->rules[r].nflows; k++)
            if (a->rules[r].flows[k] < a->nflows) of[a->rules[r].flows[k]] = r;
    return of;
}

static void rules_free(rk_assessment *a)
{
    for (size_t i = 0; i < a->nrules; i++) {
        rk_rule *r = &a->rules[i];
        free(r->id);
        free(r->src_zone);
        free(r->dst_zone);
        free(r->src_hosts);
        free(r->dst_hosts);
        free(r->ports);
        free(r->flows);
        free(r->rows);
        free(r->services);
        free(r->purpose);
        free(r->verification);
    }
    free(a->rules);
    a->rules = NULL;
    a->nrules = 0;
}

void rk_flows_free(rk_assessment *a)
{
    rules_free(a);
    for (size_t i = 0; i < a->nflows; i++) {
        rk_flow *f = &a->flows[i];
        free(f->id);
        free(f->service);
        free(f->remark);
        free(f->note);
        free(f->rows);
        free(f->probe_result);
        free(f->probe_at);
        free(f->undecided);
    }
    free(a->flows);
    a->flows = NULL;
    a->nflows = 0;
    for (size_t i = 0; i < a->nends; i++) {
        free(a->ends[i].name);
        free(a->ends[i].address_text);
        free(a->ends[i].address_families);
    }
    free(a->ends);
    a->ends = NULL;
    a->nends = 0;
}

/* ------------------------------------------------------------------- expansion */

/* While expanding: the schema rows each flow comes from. */
typedef struct flow_src {
    size_t *rows; /* schema flow indexes, in seed-row order */
    size_t n, cap;
} flow_src;

typedef struct flow_set {
    rk_flow *flows;
    flow_src *src;
    size_t n, cap;
    size_t *slots; /* open addressing: flow index + 1, 0 = empty */
    size_t nslots; /* power of two */
} flow_set;

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t flow_hash(size_t from, size_t to, uint32_t proto, int pf, int pt)
{
    uint64_t h = mix64((uint64_t)from + 0x9e3779b97f4a7c15ULL);
    h = mix64(h ^ (uint64_t)to);
    h = mix64(h ^ ((uint64_t)proto << 34 ^ (uint64_t)(uint32_t)pf << 17 ^ (uint32_t)pt));
    return h;
}

static int flow_same(const rk_flow *f, size_t from, size_t to, uint32_t proto, int pf, int pt,
                     unsigned sf, unsigned df)
{
    return f->from_host == from && f->to_host == to && f->protocol == proto &&
           f->port_from == pf && f->port_to == pt && f->src_family == sf && f->dst_family == df;
}

/* The protocol mixed with the family pair, as the hash sees it. */
static uint32_t hash_proto(uint32_t proto, unsigned sf, unsigned df)
{
    return proto ^ (uint32_t)(sf << 24 | df << 28);
}

static void set_rehash(flow_set *fs)
{
    size_t n = fs->nslots ? fs->nslots * 2 : 1024;
    free(fs->slots);
    fs->slots = rk_xcalloc(n, sizeof(size_t));
    fs->nslots = n;
    for (size_t i = 0; i < fs->n; i++) {
        const rk_flow *f = &fs->flows[i];
        size_t h = (size_t)flow_hash(f->from_host, f->to_host,
                                     hash_proto(f->protocol, f->src_family, f->dst_family),
                                     f->port_from, f->port_to) & (n - 1);
        while (fs->slots[h]) h = (h + 1) & (n - 1);
        fs->slots[h] = i + 1;
    }
}

static void set_add(flow_set *fs, size_t from, size_t to, uint32_t proto, unsigned sf,
                    unsigned df, const rk_flow_row *row, size_t schema_index)
{
    if ((fs->n + 1) * 2 > fs->nslots) set_rehash(fs);
    int pf = row->port_from, pt = row->port_to;
    size_t h = (size_t)flow_hash(from, to, hash_proto(proto, sf, df), pf, pt) & (fs->nslots - 1);
    while (fs->slots[h]) {
        size_t i = fs->slots[h] - 1;
        if (flow_same(&fs->flows[i], from, to, proto, pf, pt, sf, df)) {
            flow_src *src = &fs->src[i];
            if (src->rows[src->n - 1] != schema_index) {
                GROW(src->rows, src->n, src->cap);
                src->rows[src->n++] = schema_index;
            }
            fs->flows[i].dynamic |= row->dynamic;
            return;
        }
        h = (h + 1) & (fs->nslots - 1);
    }
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 256;
        fs->flows = rk_xrealloc(fs->flows, fs->cap * sizeof(rk_flow));
        fs->src = rk_xrealloc(fs->src, fs->cap * sizeof(flow_src));
    }
    rk_flow *f = &fs->flows[fs->n];
    memset(f, 0, sizeof(*f));
    f->from_host = from;
    f->to_host = to;
    f->protocol = proto;
    f->port_from = pf;
    f->port_to = pt;
    f->dynamic = row->dynamic;
    f->src_family = sf;
    f->dst_family = df;
    flow_src *src = &fs->src[fs->n];
    src->cap = 2;
    src->rows = rk_xmalloc(src->cap * sizeof(size_t));
    src->rows[0] = schema_index;
    src->n = 1;
    fs->slots[h] = ++fs->n;
}

/* Fills id, rows and the joined texts of flow i from the schema rows it comes from. */
static void flow_finish(const rk_schema *s, rk_flow *f, const flow_src *src, size_t i,
                        const char **seen)
{
    f->id = rk_xasprintf("F%04zu", i + 1);
    f->rows = rk_xmalloc(src->n * sizeof(int));
    f->nrows = 0;
    for (size_t k = 0; k < src->n; k++) {
        int row = s->flows[src->rows[k]].row;
        if (f->nrows == 0 || f->rows[f->nrows - 1] != row) f->rows[f->nrows++] = row;
    }
    rk_buf b = {0};
    size_t nseen = 0;
    for (size_t k = 0; k < src->n; k++)
        join_distinct(&b, seen, &nseen, s->flows[src->rows[k]].component);
    f->service = rk_buf_take(&b);
    nseen = 0;
    for (size_t k = 0; k < src->n; k++)
        join_distinct(&b, seen, &nseen, s->flows[src->rows[k]].remark);
    f->remark = rk_buf_take(&b);
    nseen = 0;
    for (size_t k = 0; k < src->n; k++)
        join_distinct(&b, seen, &nseen, s->flows[src->rows[k]].note);
    f->note = b.len ? rk_buf_take(&b) : NULL;
    rk_buf_free(&b);
}

/* A probe names the flow's destination when its `to` is one of the end's addresses of
 * the flow's destination family (or the FQDN or name of a host without addresses), or
 * the address it contacted is one of them. */
static int probe_names_end(const rk_end *e, unsigned fam, const rk_probe *p)
{
    for (size_t i = 0; i < e->naddresses; i++)
        if (e->address_families[i] == fam &&
            (rk_addr_same(p->to, e->addresses[i]) || rk_addr_same(p->address, e->addresses[i])))
            return 1;
    return !e->naddresses && fam == RK_FAM_NAME && e->host && p->to &&
           (ieq(p->to, e->host->fqdn) || ieq(p->to, e->host->name));
}

/* The flow a probe of host `from` names by its id, or SIZE_MAX. Ids are "F" and the
 * 1-based index, so no lookup table is needed; the id is still compared in full. */
static size_t probe_flow(const rk_assessment *a, const rk_probe *p)
{
    if (!p->flow || p->flow[0] != 'F') return SIZE_MAX;
    const char *d = p->flow + 1;
    size_t idx = 0;
    if (!*d) return SIZE_MAX;
    for (; *d; d++) {
        if (!isdigit((unsigned char)*d) || idx > SIZE_MAX / 10 - 10) return SIZE_MAX;
        idx = idx * 10 + (size_t)(*d - '0');
    }
    if (idx == 0 || idx > a->nflows || strcmp(a->flows[idx - 1].id, p->flow) != 0)
        return SIZE_MAX;
    return idx - 1;
}

/* Why a probe does not count: 0 it counts; 1 it names no flow of this assessment;
 * 2 its flow cannot be verified by a TCP connect (UDP, a port range, a dynamic range). */
static int probe_mismatch(const rk_assessment *a, size_t h, const rk_probe *p, rk_flow **out)
{
    size_t fi = probe_flow(a, p);
    rk_fw_state st;
    rk_flow *f = fi == SIZE_MAX ? NULL : &a->flows[fi];
    *out = f;
    if (!f || f->from_host != h || state_parse(p->result, &st) != 0 ||
        !probe_names_end(&a->ends[f->to_host], f->dst_family, p))
        return 1;
    if (!rk_flows_probeable(f) || !ieq(p->protocol, "tcp") || p->port != f->port_from) return 2;
    return 0;
}

static void warn_probes(rk_assessment *a, const rk_facts *fx, size_t n, const rk_probe *first,
                        const char *key)
{
    char count[32], port[16];
    snprintf(count, sizeof count, "%zu", n);
    snprintf(port, sizeof port, "%d", first->port);
    rk_warn(&a->warnings, fx->path, 0, 0, key, "count", count, "flow",
            first->flow ? first->flow : "(none)", "protocol", first->protocol ? first->protocol : "?",
            "port", port, "to", first->to ? first->to : "?", NULL);
}

/* Matches the probes of every fact file to the flows starting at its host. A probe
 * counts only when its flow id exists, starts at that host, names that flow's
 * destination, and is a TCP connect to the single port of a TCP flow; others are
 * ignored with a warning per fact file. Several probes of one flow: the worst result
 * stands. */
static void match_probes(rk_assessment *a)
{
    if (!a->facts) return;
    for (size_t h = 0; h < a->project->nhosts; h++) {
        const rk_facts *fx = a->facts[h];
        if (!fx) continue;
        size_t ignored[3] = {0};
        const rk_probe *first[3] = {0};
        for (size_t k = 0; k < fx->nprobes; k++) {
            const rk_probe *p = &fx->probes[k];
            rk_flow *f;
            int why = probe_mismatch(a, h, p, &f);
            if (why) {
                if (!ignored[why]++) first[why] = p;
                continue;
            }
            rk_fw_state st;
            state_parse(p->result, &st);
            if (f->probe_result && rk_flows_state(f) <= st) continue;
            free(f->probe_result);
            free(f->probe_at);
            f->probe_result = rk_xstrdup(rk_fw_state_str(st));
            f->probe_ms = p->ms;
            f->probe_at = rk_xstrdup(fx->collected_at);
        }
        if (ignored[1]) warn_probes(a, fx, ignored[1], first[1], "warn.probes_unmatched");
        if (ignored[2]) warn_probes(a, fx, ignored[2], first[2], "warn.probes_not_verifiable");
    }
}

/* The flow ends: every project host, then every schema endpoint with the project's
 * addresses where it replaces them. */
static void build_ends(rk_assessment *a)
{
    const rk_project *p = a->project;
    const rk_schema *s = a->schema;
    a->nends = p->nhosts + s->nendpoints;
    a->ends = rk_xcalloc(a->nends ? a->nends : 1, sizeof(rk_end));
    for (size_t h = 0; h < p->nhosts; h++) {
        rk_end *e = &a->ends[h];
        e->host = &p->hosts[h];
        e->name = rk_xstrdup(e->host->name);
        e->title = e->host->name;
        e->addresses = e->host->addresses;
        e->naddresses = e->host->naddresses;
        e->zone = e->host->zone;
    }
    for (size_t i = 0; i < s->nendpoints; i++) {
        rk_end *e = &a->ends[p->nhosts + i];
        e->endpoint = &s->endpoints[i];
        e->name = rk_xasprintf("endpoint:%s", e->endpoint->id);
        e->title = e->endpoint->title;
        int own = i < p->nendpoints && p->endpoint_addresses[i];
        e->addresses = own ? p->endpoint_addresses[i] : e->endpoint->addresses;
        e->naddresses = own ? p->endpoint_naddresses[i] : e->endpoint->naddresses;
    }
    for (size_t i = 0; i < a->nends; i++) {
        rk_end *e = &a->ends[i];
        rk_buf b = {0};
        e->address_families = rk_xcalloc(e->naddresses ? e->naddresses : 1, 1);
        for (size_t k = 0; k < e->naddresses; k++) {
            rk_buf_printf(&b, "%s%s", k ? ", " : "", e->addresses[k]);
            e->address_families[k] = (unsigned char)rk_addr_family(e->addresses[k]);
            e->families |= e->address_families[k];
        }
        if (!e->naddresses) e->families = RK_FAM_NAME;
        e->address_text = b.data ? rk_buf_take(&b) : rk_xstrdup("");
    }
}

/* The ends a row names on one side: hosts holding its roles, then its endpoints. */
static size_t row_ends(const rk_assessment *a, uint32_t roles, uint32_t endpoints, size_t *out)
{
    size_t n = 0, nh = a->project->nhosts;
    for (size_t h = 0; h < nh; h++)
        if (a->project->hosts[h].roles & roles) out[n++] = h;
    for (size_t e = 0; e < a->schema->nendpoints; e++)
        if (endpoints & (1u << e)) out[n++] = nh + e;
    return n;
}

/* The family pairs a flow between ends of these family sets takes, in a fixed order:
 * IPv4 to IPv4, IPv6 to IPv6, then the pairs with a name (a name can be reached over
 * either family, so it pairs with every family of the other side). No pair at all
 * gives the one pair {0, 0}: the ends share no family, and the flow is still kept. */
static size_t family_pairs(unsigned from, unsigned to, unsigned out[8][2])
{
    static const unsigned order[7][2] = {
        {RK_FAM_V4, RK_FAM_V4},     {RK_FAM_V6, RK_FAM_V6},     {RK_FAM_V4, RK_FAM_NAME},
        {RK_FAM_V6, RK_FAM_NAME},   {RK_FAM_NAME, RK_FAM_V4},   {RK_FAM_NAME, RK_FAM_V6},
        {RK_FAM_NAME, RK_FAM_NAME}};
    size_t n = 0;
    for (size_t k = 0; k < 7; k++)
        if ((from & order[k][0]) && (to & order[k][1])) {
            out[n][0] = order[k][0];
            out[n][1] = order[k][1];
            n++;
        }
    if (!n) {
        out[0][0] = out[0][1] = 0;
        n = 1;
    }
    return n;
}

/* Records on flow i the parameters its rows' undecided `when` depends on. */
static void note_undecided(rk_flow *f, const size_t *und, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t j = 0;
        while (j < f->nundecided && f->undecided[j] != und[k]) j++;
        if (j < f->nundecided) continue;
        f->undecided = rk_xrealloc(f->undecided, (f->nundecided + 1) * sizeof(size_t));
        f->undecided[f->nundecided++] = und[k];
    }
}

static int cmp_pair_then_index(const void *ctx, size_t x, size_t y)
{
    const rk_flow *a = &((const rk_assessment *)ctx)->flows[x];
    const rk_flow *b = &((const rk_assessment *)ctx)->flows[y];
    int c;
    if ((c = cmp_size(a->from_host, b->from_host))) return c;
    if ((c = cmp_size(a->to_host, b->to_host))) return c;
    return cmp_size(x, y);
}

/* One warning per pair of ends that share no address family, naming how many flows
 * between them no rule can carry and the first of them. */
static void warn_no_common_family(rk_assessment *a)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nflows; i++) n += !a->flows[i].src_family;
    if (!n) return;
    size_t *v = rk_xmalloc(n * sizeof(size_t));
    n = 0;
    for (size_t i = 0; i < a->nflows; i++)
        if (!a->flows[i].src_family) v[n++] = i;
    idx_sort(v, n, cmp_pair_then_index, a);
    for (size_t i = 0; i < n;) {
        const rk_flow *f = &a->flows[v[i]];
        size_t j = i + 1;
        while (j < n && a->flows[v[j]].from_host == f->from_host &&
               a->flows[v[j]].to_host == f->to_host)
            j++;
        const rk_end *from = &a->ends[f->from_host], *to = &a->ends[f->to_host];
        char count[32], port[32];
        snprintf(count, sizeof count, "%zu", j - i);
        if (f->port_from == f->port_to) snprintf(port, sizeof port, "%d", f->port_from);
        else snprintf(port, sizeof port, "%d-%d", f->port_from, f->port_to);
        const rk_host *h = from->host ? from->host : to->host;
        rk_warn(&a->warnings, a->project->path, h ? h->line : 0, 0, "warn.no_common_family",
                "from", from->name, "from_addresses", from->address_text, "to", to->name,
                "to_addresses", to->address_text, "count", count, "flow", f->id, "protocol",
                rk_flows_proto_str(f->protocol), "port", port, NULL);
        i = j;
    }
    free(v);
}

void rk_flows_expand(rk_assessment *a)
{
    rk_flows_free(a);
    if (!a->schema || !a->project) return;
    build_ends(a);
    const rk_schema *s = a->schema;
    size_t *order = schema_rows_sorted(s);
    size_t *from = rk_xmalloc((a->nends ? a->nends : 1) * sizeof(size_t));
    size_t *to = rk_xmalloc((a->nends ? a->nends : 1) * sizeof(size_t));
    size_t **row_und = rk_xcalloc(s->nflows ? s->nflows : 1, sizeof(size_t *));
    size_t *row_nund = rk_xcalloc(s->nflows ? s->nflows : 1, sizeof(size_t));
    flow_set fs = {0};
    static const uint32_t protos[] = {RK_PROTO_TCP, RK_PROTO_UDP};

    for (size_t r = 0; r < s->nflows; r++) {
        const rk_flow_row *row = &s->flows[order[r]];
        size_t und[16], nund = 0;
        if (rk_when_eval(s, a->project, &row->when, und, 16, &nund) == RK_FALSE) continue;
        row_und[order[r]] = nund ? rk_xmalloc(nund * sizeof(size_t)) : NULL;
        if (nund) memcpy(row_und[order[r]], und, (nund < 16 ? nund : 16) * sizeof(size_t));
        row_nund[order[r]] = nund < 16 ? nund : 16;
        size_t nf = row_ends(a, row->from_roles, row->from_endpoints, from);
        size_t nt = row_ends(a, row->to_roles, row->to_endpoints, to);
        for (size_t i = 0; i < nf; i++)
            for (size_t j = 0; j < nt; j++) {
                if (from[i] == to[j]) continue; /* no host needs a rule to itself */
                unsigned pairs[8][2];
                size_t np = family_pairs(a->ends[from[i]].families, a->ends[to[j]].families, pairs);
                for (size_t k = 0; k < 2; k++)
                    if (row->protocols & protos[k])
                        for (size_t q = 0; q < np; q++)
                            set_add(&fs, from[i], to[j], protos[k], pairs[q][0], pairs[q][1],
                                    row, order[r]);
            }
    }

    size_t *hz = rk_flows_zone_order(a);
    const char **seen = rk_xmalloc((s->nflows ? s->nflows : 1) * sizeof(char *));
    for (size_t i = 0; i < fs.n; i++) {
        rk_flow *f = &fs.flows[i];
        flow_finish(s, f, &fs.src[i], i, seen);
        f->cross_zone = hz[f->from_host] != hz[f->to_host];
        for (size_t k = 0; k < fs.src[i].n; k++)
            note_undecided(f, row_und[fs.src[i].rows[k]], row_nund[fs.src[i].rows[k]]);
        free(fs.src[i].rows);
    }
    a->flows = fs.flows;
    a->nflows = fs.n;
    match_probes(a);
    warn_no_common_family(a);

    for (size_t r = 0; r < s->nflows; r++) free(row_und[r]);
    free(row_und);
    free(row_nund);
    free(seen);
    free(hz);
    free(fs.src);
    free(fs.slots);
    free(from);
    free(to);
    free(order);
}

/* --------------------------------------------------------------- consolidation */

/* Stage 1: the flows of one (source, destination, protocol) with their ports as a
 * sorted union of ranges. Stage 2: one source to a set of destinations in one zone
 * sharing protocol and ports. Stage 3 merges sources sharing all of that. Every
 * stage only joins groups whose other dimensions are equal, so a rule's
 * sources x destinations x ports is exactly the set of flows it covers. */
typedef struct pair_group {
    size_t src, dst;
    uint32_t proto;
    unsigned sf, df; /* the family pair (every stage keeps one) */
    size_t p0, np; /* ranges in ctx.ports */
    size_t f0, nf; /* flows in ctx.flow_order */
} pair_group;

typedef struct dst_group {
    size_t src;
    uint32_t proto;
    unsigned sf, df;
    size_t m0, nm; /* pair groups in ctx.pair_order, by destination */
} dst_group;

typedef struct rules_ctx {
    const rk_assessment *a;
    const size_t *hz;
    int (*ports)[2];
    size_t nports, cports;
    size_t *flow_order;
    pair_group *pairs;
    size_t npairs, cpairs;
    size_t *pair_order;
    dst_group *dsts;
    size_t ndsts, cdsts;
    rk_rule *rules;
    size_t nrules, crules;
} rules_ctx;

static int cmp_flow_pair(const void *ctx, size_t x, size_t y)
{
    const rk_flow *a = &((const rk_assessment *)ctx)->flows[x];
    const rk_flow *b = &((const rk_assessment *)ctx)->flows[y];
    int c;
    if ((c = cmp_size(a->from_host, b->from_host))) return c;
    if ((c = cmp_size(a->to_host, b->to_host))) return c;
    if ((c = cmp_int((int)a->protocol, (int)b->protocol))) return c;
    if ((c = cmp_int((int)a->src_family, (int)b->src_family))) return c;
    if ((c = cmp_int((int)a->dst_family, (int)b->dst_family))) return c;
    if ((c = cmp_int(a->port_from, b->port_from))) return c;
    if ((c = cmp_int(a->port_to, b->port_to))) return c;
    return cmp_size(x, y);
}

static int cmp_portset(const rules_ctx *c, const pair_group *a, const pair_group *b)
{
    size_t n = a->np < b->np ? a->np : b->np;
    for (size_t i = 0; i < n; i++) {
        int r;
        if ((r = cmp_int(c->ports[a->p0 + i][0], c->ports[b->p0 + i][0]))) return r;
        if ((r = cmp_int(c->ports[a->p0 + i][1], c->ports[b->p0 + i][1]))) return r;
    }
    return cmp_size(a->np, b->np);
}

/* Stage 2 order: protocol, source, destination zone, ports, then destination. */
static int cmp_pair_key(const rules_ctx *c, const pair_group *a, const pair_group *b)
{
    int r;
    if ((r = cmp_int((int)a->proto, (int)b->proto))) return r;
    if ((r = cmp_int((int)a->sf, (int)b->sf))) return r;
    if ((r = cmp_int((int)a->df, (int)b->df))) return r;
    if ((r = cmp_size(a->src, b->src))) return r;
    if ((r = cmp_size(c->hz[a->dst], c->hz[b->dst]))) return r;
    return cmp_portset(c, a, b);
}

static int cmp_pair(const void *ctx, size_t x, size_t y)
{
    const rules_ctx *c = ctx;
    int r = cmp_pair_key(c, &c->pairs[x], &c->pairs[y]);
    return r ? r : cmp_size(c->pairs[x].dst, c->pairs[y].dst);
}

/* Stage 3 order: protocol, source zone, destination zone, ports, destination set,
 * then source. */
static int cmp_dst_key(const rules_ctx *c, const dst_group *a, const dst_group *b)
{
    const pair_group *fa = &c->pairs[c->pair_order[a->m0]];
    const pair_group *fb = &c->pairs[c->pair_order[b->m0]];
    int r;
    if ((r = cmp_int((int)a->proto, (int)b->proto))) return r;
    if ((r = cmp_int((int)a->sf, (int)b->sf))) return r;
    if ((r = cmp_int((int)a->df, (int)b->df))) return r;
    if ((r = cmp_size(c->hz[a->src], c->hz[b->src]))) return r;
    if ((r = cmp_size(c->hz[fa->dst], c->hz[fb->dst]))) return r;
    if ((r = cmp_portset(c, fa, fb))) return r;
    size_t n = a->nm < b->nm ? a->nm : b->nm;
    for (size_t i = 0; i < n; i++)
        if ((r = cmp_size(c->pairs[c->pair_order[a->m0 + i]].dst,
                          c->pairs[c->pair_order[b->m0 + i]].dst)))
            return r;
    return cmp_size(a->nm, b->nm);
}

static int cmp_dst(const void *ctx, size_t x, size_t y)
{
    const rules_ctx *c = ctx;
    int r = cmp_dst_key(c, &c->dsts[x], &c->dsts[y]);
    return r ? r : cmp_size(c->dsts[x].src, c->dsts[y].src);
}

/* Rule numbering: network rules before host-firewall rules; then zone pair in the
 * project's zone order, first source host, protocol, first destination host, address
 * families, first port and first flow. */
static int cmp_rule(const void *ctx, size_t x, size_t y)
{
    const rules_ctx *c = ctx;
    const rk_rule *a = &c->rules[x], *b = &c->rules[y];
    int r;
    if ((r = cmp_int(b->cross_zone, a->cross_zone))) return r;
    if ((r = cmp_size(c->hz[a->src_hosts[0]], c->hz[b->src_hosts[0]]))) return r;
    if ((r = cmp_size(c->hz[a->dst_hosts[0]], c->hz[b->dst_hosts[0]]))) return r;
    if ((r = cmp_size(a->src_hosts[0], b->src_hosts[0]))) return r;
    if ((r = cmp_int((int)a->protocol, (int)b->protocol))) return r;
    if ((r = cmp_size(a->dst_hosts[0], b->dst_hosts[0]))) return r;
    if ((r = cmp_int((int)a->src_family, (int)b->src_family))) return r;
    if ((r = cmp_int((int)a->dst_family, (int)b->dst_family))) return r;
    if ((r = cmp_int(a->ports[0][0], b->ports[0][0]))) return r;
    return cmp_size(a->flows[0], b->flows[0]);
}

static void build_pairs(rules_ctx *c)
{
    const rk_assessment *a = c->a;
    /* flows whose ends share no address family are in no rule: no rule can carry them */
    size_t n = 0;
    c->flow_order = rk_xmalloc((a->nflows ? a->nflows : 1) * sizeof(size_t));
    for (size_t i = 0; i < a->nflows; i++)
        if (a->flows[i].src_family) c->flow_order[n++] = i;
    idx_sort(c->flow_order, n, cmp_flow_pair, a);
    for (size_t i = 0; i < n;) {
        const rk_flow *f = &a->flows[c->flow_order[i]];
        size_t j = i;
        GROW(c->pairs, c->npairs, c->cpairs);
        pair_group *g = &c->pairs[c->npairs++];
        g->src = f->from_host;
        g->dst = f->to_host;
        g->proto = f->protocol;
        g->sf = f->src_family;
        g->df = f->dst_family;
        g->p0 = c->nports;
        g->f0 = i;
        for (; j < n; j++) {
            const rk_flow *e = &a->flows[c->flow_order[j]];
            if (e->from_host != f->from_host || e->to_host != f->to_host ||
                e->protocol != f->protocol || e->src_family != f->src_family ||
                e->dst_family != f->dst_family)
                break;
            GROW(c->ports, c->nports, c->cports);
            c->ports[c->nports][0] = e->port_from;
            c->ports[c->nports][1] = e->port_to;
            c->nports++;
        }
        g->np = rk_flows_ports_merge(c->ports + g->p0, c->nports - g->p0);
        c->nports = g->p0 + g->np;
        g->nf = j - i;
        i = j;
    }
}

static void build_dst_groups(rules_ctx *c)
{
    c->pair_order = idx_identity(c->npairs);
    idx_sort(c->pair_order, c->npairs, cmp_pair, c);
    for (size_t i = 0; i < c->npairs;) {
        const pair_group *g = &c->pairs[c->pair_order[i]];
        size_t j = i + 1;
        while (j < c->npairs && cmp_pair_key(c, g, &c->pairs[c->pair_order[j]]) == 0) j++;
        GROW(c->dsts, c->ndsts, c->cdsts);
        dst_group *d = &c->dsts[c->ndsts++];
        d->src = g->src;
        d->proto = g->proto;
        d->sf = g->sf;
        d->df = g->df;
        d->m0 = i;
        d->nm = j - i;
        i = j;
    }
}

/* An end's zone id; "" for endpoints (outside every zone). */
static char *zone_of(const rk_assessment *a, size_t end)
{
    const char *z = a->ends[end].zone;
    return rk_xstrdup(z ? z : "");
}

/* Distinct components and remarks of the seed rows a rule covers, in row order. */
static void rule_texts(const rk_schema *s, const size_t *by_row, rk_rule *r, const char **seen)
{
    rk_buf svc = {0}, why = {0};
    size_t nsvc = 0, nwhy = 0;
    const char **seen_why = seen + s->nflows;
    for (size_t k = 0; k < r->nrows; k++) {
        /* first schema entry with this row number (binary search), then its equals */
        size_t lo = 0, hi = s->nflows;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (s->flows[by_row[mid]].row < r->rows[k])
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < s->nflows && s->flows[by_row[lo]].row == r->rows[k]; lo++) {
            join_distinct(&svc, seen, &nsvc, s->flows[by_row[lo]].component);
            join_distinct(&why, seen_why, &nwhy, s->flows[by_row[lo]].remark);
        }
    }
    r->services = rk_buf_take(&svc);
    r->purpose = rk_buf_take(&why);
}

static char *rule_verification(const rk_assessment *a, const rk_rule *r)
{
    size_t count[RK_FW_STATE_COUNT] = {0};
    for (size_t k = 0; k < r->nflows; k++) count[rk_flows_state(&a->flows[r->flows[k]])]++;
    rk_buf b = {0};
    for (int st = 0; st < RK_FW_STATE_COUNT; st++)
        if (count[st])
            rk_buf_printf(&b, "%s%s:%zu", b.len ? " " : "", rk_fw_state_str((rk_fw_state)st),
                          count[st]);
    return rk_buf_take(&b);
}

static void build_rules(rules_ctx *c)
{
    const rk_assessment *a = c->a;
    size_t *dorder = idx_identity(c->ndsts);
    idx_sort(dorder, c->ndsts, cmp_dst, c);
    for (size_t i = 0; i < c->ndsts;) {
        const dst_group *d = &c->dsts[dorder[i]];
        size_t j = i + 1;
        while (j < c->ndsts && cmp_dst_key(c, d, &c->dsts[dorder[j]]) == 0) j++;
        const pair_group *first = &c->pairs[c->pair_order[d->m0]];

        GROW(c->rules, c->nrules, c->crules);
        rk_rule *r = &c->rules[c->nrules++];
        memset(r, 0, sizeof(*r));
        r->protocol = d->proto;
        r->src_family = d->sf;
        r->dst_family = d->df;
        r->nsrc = j - i;
        r->src_hosts = rk_xmalloc(r->nsrc * sizeof(size_t));
        for (size_t k = 0; k < r->nsrc; k++) r->src_hosts[k] = c->dsts[dorder[i + k]].src;
        r->ndst = d->nm;
        r->dst_hosts = rk_xmalloc(r->ndst * sizeof(size_t));
        for (size_t k = 0; k < r->ndst; k++)
            r->dst_hosts[k] = c->pairs[c->pair_order[d->m0 + k]].dst;
        r->nports = first->np;
        r->ports = rk_xmalloc(r->nports * sizeof(*r->ports));
        memcpy(r->ports, c->ports[first->p0], r->nports * sizeof(*r->ports));
        r->src_zone = zone_of(a, r->src_hosts[0]);
        r->dst_zone = zone_of(a, r->dst_hosts[0]);
        r->cross_zone = c->hz[r->src_hosts[0]] != c->hz[r->dst_hosts[0]];

        for (size_t k = i; k < j; k++) {
            const dst_group *dk = &c->dsts[dorder[k]];
            for (size_t m = 0; m < dk->nm; m++) r->nflows += c->pairs[c->pair_order[dk->m0 + m]].nf;
        }
        r->flows = rk_xmalloc(r->nflows * sizeof(size_t));
        size_t nf = 0, nrows = 0;
        for (size_t k = i; k < j; k++) {
            const dst_group *dk = &c->dsts[dorder[k]];
            for (size_t m = 0; m < dk->nm; m++) {
                const pair_group *g = &c->pairs[c->pair_order[dk->m0 + m]];
                for (size_t q = 0; q < g->nf; q++) {
                    size_t fi = c->flow_order[g->f0 + q];
                    r->flows[nf++] = fi;
                    nrows += a->flows[fi].nrows;
                }
            }
        }
        qsort(r->flows, r->nflows, sizeof(size_t), qcmp_size);
        r->rows = rk_xmalloc((nrows ? nrows : 1) * sizeof(int));
        for (size_t k = 0; k < r->nflows; k++) {
            const rk_flow *f = &a->flows[r->flows[k]];
            memcpy(r->rows + r->nrows, f->rows, f->nrows * sizeof(int));
            r->nrows += f->nrows;
        }
        qsort(r->rows, r->nrows, sizeof(int), qcmp_int);
        size_t u = 0;
        for (size_t k = 0; k < r->nrows; k++)
            if (u == 0 || r->rows[u - 1] != r->rows[k]) r->rows[u++] = r->rows[k];
        r->nrows = u;
        i = j;
    }
    free(dorder);
}

void rk_flows_rules(rk_assessment *a)
{
    rules_free(a);
    if (!a->nflows || !a->project || !a->schema) return;
    rules_ctx c = {0};
    c.a = a;
    size_t *hz = rk_flows_zone_order(a);
    c.hz = hz;
    build_pairs(&c);
    build_dst_groups(&c);
    build_rules(&c);

    size_t *rorder = idx_identity(c.nrules);
    idx_sort(rorder, c.nrules, cmp_rule, &c);
    size_t *by_row = schema_rows_sorted(a->schema);
    const char **seen = rk_xmalloc((2 * a->schema->nflows + 1) * sizeof(char *));
    a->rules = rk_xmalloc((c.nrules ? c.nrules : 1) * sizeof(rk_rule));
    a->nrules = c.nrules;
    for (size_t i = 0; i < c.nrules; i++) {
        rk_rule *r = &a->rules[i];
        *r = c.rules[rorder[i]];
        r->id = rk_xasprintf("R%03zu", i + 1);
        rule_texts(a->schema, by_row, r, seen);
        r->verification = rule_verification(a, r);
    }
    free(seen);
    free(by_row);
    free(rorder);
    free(c.rules);
    free(c.dsts);
    free(c.pair_order);
    free(c.pairs);
    free(c.flow_order);
    free(c.ports);
    free(hz);
}

