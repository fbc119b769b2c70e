/* fixture.c - hand-built assessments for the firewall tests (see fixture.h). */
#include "fixture.h"

#include <stdlib.h>
#include <string.h>

#include "flows.h"
#include "seed_rows.h"
#include "util.h"

const char *const fx_roles[FX_NROLES] = {
    "migration-server", "worker",          "sql-server", "source-dc",
    "target-dc",        "source-exchange", "target-exchange", "target-cas",
    "target-smtp",      "source-dns",      "target-dns"};

static uint32_t role_bit(const char *id)
{
    for (size_t i = 0; i < FX_NROLES; i++)
        if (strcmp(fx_roles[i], id) == 0) return 1u << i;
    fprintf(stderr, "fixture: unknown role %s\n", id);
    abort();
}

static uint32_t role_mask(const char *list)
{
    uint32_t m = 0;
    char *copy = rk_xstrdup(list), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
        m |= role_bit(t);
    free(copy);
    return m;
}

static rk_schema *schema_base(void)
{
    rk_schema *s = rk_xcalloc(1, sizeof(*s));
    s->path = rk_xstrdup("schemas/test.yaml");
    memset(s->sha256, 'a', 64);
    s->id = rk_xstrdup("migrator-pro-exchange-20.11");
    s->title = rk_xstrdup("Migrator Pro for Exchange 20.11 requirements");
    s->product = rk_xstrdup("Migrator Pro for Exchange");
    s->version = rk_xstrdup("20.11.0");
    s->source = rk_xstrdup("Migrator Pro for Exchange 20.11.0 Requirements");
    s->nroles = FX_NROLES;
    s->roles = rk_xcalloc(FX_NROLES, sizeof(rk_named));
    for (size_t i = 0; i < FX_NROLES; i++) {
        s->roles[i].id = rk_xstrdup(fx_roles[i]);
        s->roles[i].title = rk_xstrdup(fx_roles[i]);
    }
    return s;
}

static rk_schema *seed_schema(void)
{
    rk_schema *s = schema_base();
    s->nflows = SEED_NROWS;
    s->flows = rk_xcalloc(SEED_NROWS, sizeof(rk_flow_row));
    for (size_t i = 0; i < SEED_NROWS; i++) {
        const seed_row *r = &seed_rows[i];
        rk_flow_row *f = &s->flows[i];
        f->row = (int)i + 1;
        f->from_roles = role_bit(r->from);
        f->to_roles = role_bit(r->to);
        f->from_label = rk_xstrdup(r->from_label);
        f->to_label = rk_xstrdup(r->to_label);
        f->component = rk_xstrdup(r->component);
        f->protocol = rk_xstrdup(r->protocol);
        f->port = rk_xstrdup(r->port);
        f->remark = rk_xstrdup(r->remark);
        if (rk_flow_parse_protocol(r->protocol, &f->protocols, &f->dynamic) != 0 ||
            rk_flow_parse_port(r->port, &f->port_from, &f->port_to) != 0) {
            fprintf(stderr, "fixture: row %zu not understood\n", i + 1);
            abort();
        }
        if (strcmp(r->port, "1024>65535") == 0)
            f->note = rk_xstrdup("Microsoft's port reference gives 1024-65535 for "
                                 "the RPC dynamic range of Exchange 2010.");
    }
    return s;
}

static rk_project *project_base(void)
{
    rk_project *p = rk_xcalloc(1, sizeof(*p));
    p->path = rk_xstrdup("samples/test/project.yaml");
    p->dir = rk_xstrdup("samples/test");
    memset(p->sha256, 'b', 64);
    p->customer = rk_xstrdup("Contoso Ltd");
    p->project = rk_xstrdup("Mailbox migration to Fabrikam");
    p->assessment_id = rk_xstrdup("CF-2024-07");
    p->schema_id = rk_xstrdup("migrator-pro-exchange-20.11");
    p->language = rk_xstrdup("en");
    static const char *const zid[] = {"mig", "src", "tgt"};
    static const char *const ztitle[] = {"Migration servers", "Source forest (Contoso)",
                                         "Target forest (Fabrikam)"};
    p->nzones = 3;
    p->zones = rk_xcalloc(3, sizeof(rk_named));
    for (size_t i = 0; i < 3; i++) {
        p->zones[i].id = rk_xstrdup(zid[i]);
        p->zones[i].title = rk_xstrdup(ztitle[i]);
    }
    p->nsignoff = 2;
    p->signoff = rk_xcalloc(2, sizeof(char *));
    p->signoff[0] = rk_xstrdup("Change Advisory Board");
    p->signoff[1] = rk_xstrdup("Firewall team");
    return p;
}

static void set_change(rk_project *p)
{
    rk_change *c = &p->change;
    c->present = 1;
    c->id = rk_xstrdup("CHG0042137");
    c->requester = rk_xstrdup("Jane Doe, Messaging");
    c->justification = rk_xstrdup("Mailbox migration from Contoso to Fabrikam");
    c->window = rk_xstrdup("2024-06-01 to 2024-09-30");
    c->review_date = rk_xstrdup("2024-09-30");
    c->ncontacts = 2;
    c->contacts = rk_xcalloc(2, sizeof(char *));
    c->contacts[0] = rk_xstrdup("jane.doe@contoso.example");
    c->contacts[1] = rk_xstrdup("firewall@contoso.example");
}

static void add_host(rk_project *p, const char *name, const char *zone, uint32_t roles,
                     const char *address, const char *fqdn)
{
    p->hosts = rk_xrealloc(p->hosts, (p->nhosts + 1) * sizeof(rk_host));
    rk_host *h = &p->hosts[p->nhosts++];
    memset(h, 0, sizeof(*h));
    h->name = rk_xstrdup(name);
    h->zone = rk_xstrdup(zone);
    h->roles = roles;
    h->address = rk_xstrdup(address ? address : "");
    if (address) {
        h->addresses = rk_xcalloc(1, sizeof(char *));
        h->addresses[h->naddresses++] = rk_xstrdup(address);
    }
    h->fqdn = rk_xstrdup(fqdn);
    h->facts_path = rk_xasprintf("facts/%s.json", name);
}

static rk_assessment *assessment(rk_schema *s, rk_project *p)
{
    rk_assessment *a = rk_xcalloc(1, sizeof(*a));
    a->schema = s;
    a->project = p;
    a->date = 1714640400; /* 2024-05-02T09:00:00Z */
    memset(a->digest, 'c', 64);
    a->facts = rk_xcalloc(p->nhosts ? p->nhosts : 1, sizeof(rk_facts *));
    a->ninputs = 2 + p->nhosts;
    a->inputs = rk_xcalloc(a->ninputs, sizeof(rk_input));
    a->inputs[0].kind = rk_xstrdup("project");
    a->inputs[0].path = rk_xstrdup(p->path);
    memcpy(a->inputs[0].sha256, p->sha256, 65);
    a->inputs[1].kind = rk_xstrdup("schema");
    a->inputs[1].path = rk_xstrdup(s->path);
    memcpy(a->inputs[1].sha256, s->sha256, 65);
    for (size_t i = 0; i < p->nhosts; i++) {
        rk_facts *f = rk_xcalloc(1, sizeof(*f));
        f->path = rk_xstrdup(p->hosts[i].facts_path);
        memset(f->sha256, 'd', 64);
        f->collected_at = rk_xstrdup("2024-05-02T08:30:00Z");
        f->collected_epoch = 1714638600;
        f->host_name = rk_xstrdup(p->hosts[i].name);
        a->facts[i] = f;
        rk_input *in = &a->inputs[2 + i];
        in->kind = rk_xstrdup("facts");
        in->path = rk_xstrdup(f->path);
        memcpy(in->sha256, f->sha256, 65);
        in->host = rk_xstrdup(p->hosts[i].name);
        in->collected_at = rk_xstrdup(f->collected_at);
    }
    return a;
}

rk_assessment *fx_seed_assessment(const fx_host *hosts, size_t n, int with_change)
{
    rk_project *p = project_base();
    if (with_change) set_change(p);
    for (size_t i = 0; i < n; i++)
        add_host(p, hosts[i].name, hosts[i].zone, role_mask(hosts[i].roles),
                 hosts[i].address, hosts[i].fqdn);
    return assessment(seed_schema(), p);
}

static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint32_t pick(uint64_t *s, uint32_t n) { return (uint32_t)(next(s) % n); }

rk_assessment *fx_random_assessment(uint64_t seed, size_t nrows, size_t nhosts,
                                    int max_port)
{
    uint64_t st = seed;
    rk_schema *s = schema_base();
    s->nflows = nrows;
    s->flows = rk_xcalloc(nrows ? nrows : 1, sizeof(rk_flow_row));
    static const char *const comps[] = {"LDAP", "RPC", "SMB", "Kerberos", "DNS"};
    for (size_t i = 0; i < nrows; i++) {
        rk_flow_row *f = &s->flows[i];
        f->row = (int)i + 1;
        /* one or two roles on each side; the same role on both sides sometimes */
        f->from_roles = 1u << pick(&st, 6);
        if (pick(&st, 4) == 0) f->from_roles |= 1u << pick(&st, 6);
        f->to_roles = 1u << pick(&st, 6);
        if (pick(&st, 4) == 0) f->to_roles |= 1u << pick(&st, 6);
        uint32_t pr = pick(&st, 4);
        f->protocols = pr == 0 ? RK_PROTO_UDP : pr == 1 ? (RK_PROTO_TCP | RK_PROTO_UDP)
                                                        : RK_PROTO_TCP;
        f->port_from = 1 + (int)pick(&st, (uint32_t)max_port);
        f->port_to = f->port_from;
        if (pick(&st, 5) == 0) {
            f->port_to = f->port_from + (int)pick(&st, 8);
            if (f->port_to > max_port) f->port_to = max_port;
            f->dynamic = 1;
        }
        f->component = rk_xstrdup(comps[pick(&st, 5)]);
        f->remark = rk_xasprintf("remark %u", pick(&st, 7));
        f->protocol = rk_xstrdup(pr == 0 ? "UDP" : pr == 1 ? "TCP/UDP" : "TCP");
        f->port = rk_xasprintf("%d", f->port_from);
        f->from_label = rk_xstrdup("from");
        f->to_label = rk_xstrdup("to");
    }
    rk_project *p = project_base();
    static const char *const zones[] = {"mig", "src", "tgt"};
    for (size_t i = 0; i < nhosts; i++) {
        uint32_t roles = 1u << pick(&st, 6);
        if (pick(&st, 3) == 0) roles |= 1u << pick(&st, 6);
        char name[32], addr[32];
        snprintf(name, sizeof name, "H%02zu", i + 1);
        snprintf(addr, sizeof addr, "10.0.%u.%zu", pick(&st, 3), i + 1);
        add_host(p, name, zones[pick(&st, 3)], roles, addr, NULL);
    }
    return assessment(s, p);
}

void fx_probe(rk_assessment *a, size_t host, const char *flow, const char *protocol,
              int port, const char *to, const char *address, const char *result, double ms)
{
    rk_facts *f = a->facts[host];
    f->probes = rk_xrealloc(f->probes, (f->nprobes + 1) * sizeof(rk_probe));
    rk_probe *p = &f->probes[f->nprobes++];
    memset(p, 0, sizeof(*p));
    p->flow = rk_xstrdup(flow);
    p->protocol = rk_xstrdup(protocol);
    p->port = port;
    p->to = rk_xstrdup(to);
    p->address = rk_xstrdup(address);
    p->result = rk_xstrdup(result);
    p->ms = ms;
}

size_t fx_host_index(const rk_assessment *a, const char *name)
{
    int i = -1;
    for (size_t k = 0; i < 0 && k < a->project->nhosts; k++)
        if (strcmp(a->project->hosts[k].name, name) == 0) i = (int)k;
    if (i < 0) {
        fprintf(stderr, "fixture: no host %s\n", name);
        abort();
    }
    return (size_t)i;
}

size_t fx_flow(const rk_assessment *a, const char *from, const char *to, uint32_t proto,
               int port_from)
{
    size_t f = fx_host_index(a, from), t = fx_host_index(a, to);
    for (size_t i = 0; i < a->nflows; i++)
        if (a->flows[i].from_host == f && a->flows[i].to_host == t &&
            a->flows[i].protocol == proto && a->flows[i].port_from == port_from)
            return i;
    return SIZE_MAX;
}


void fx_free(rk_assessment *a)
{
    /* the fixture builds everything on the heap, as the loaders do, so the
     * assessment's own release function frees it */
    rk_assessment_free(a);
}

char *fx_read(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    rk_buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) rk_buf_add(&b, chunk, n);
    fclose(fp);
    if (len) *len = b.len;
    return rk_buf_take(&b);
}
