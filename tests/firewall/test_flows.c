/* test_flows.c - flow expansion on hand-checked inventories, rule consolidation
 * (never wider, nothing lost, stable numbers), probe-result matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "fixture.h"
#include "eval.h"
#include "flows.h"
#include "util.h"

#define TCP RK_PROTO_TCP
#define UDP RK_PROTO_UDP

/* One host per role: migration and SQL server in their own zone and the target
 * forest, everything else in its forest. */
static const fx_host one_per_role[] = {
    {"MIG01", "mig", "migration-server", "10.0.0.10", "mig01.fabrikam.example"},
    {"WRK01", "mig", "worker", "10.0.0.20", NULL},
    {"SQL01", "tgt", "sql-server", "10.2.0.30", "sql01.fabrikam.example"},
    {"SDC01", "src", "source-dc", "10.1.0.10", "sdc01.contoso.example"},
    {"SDNS01", "src", "source-dns", "10.1.0.53", NULL},
    {"SEX01", "src", "source-exchange", "10.1.0.20", "sex01.contoso.example"},
    {"TDC01", "tgt", "target-dc", "10.2.0.10", "tdc01.fabrikam.example"},
    {"TDNS01", "tgt", "target-dns", NULL, "tdns01.fabrikam.example"},
    {"TEX01", "tgt", "target-exchange", "10.2.0.20", NULL},
    {"CAS01", "tgt", "target-cas", "10.2.0.21", NULL},
    {"SMTP01", "tgt", "target-smtp", NULL, NULL},
};
#define N_ONE (sizeof one_per_role / sizeof one_per_role[0])

static rk_assessment *expand(const fx_host *h, size_t n)
{
    rk_assessment *a = fx_seed_assessment(h, n, 1);
    rk_flows_expand(a);
    rk_flows_rules(a);
    return a;
}

static size_t count_from(const rk_assessment *a, const char *from, const char *to)
{
    size_t f = fx_host_index(a, from), t = fx_host_index(a, to), n = 0;
    for (size_t i = 0; i < a->nflows; i++)
        n += a->flows[i].from_host == f && a->flows[i].to_host == t;
    return n;
}

/* Per pair of roles, the seed's distinct (protocol, port) entries, counted by hand:
 * mig->sdc 16 (15 tcp + udp 389), mig->cas 1, mig->sdns 1, mig->sex 3, mig->smtp 1,
 * mig->tdc 17 (13 tcp + 4 udp), mig->tdns 1, mig->tex 8, sdc->tdc 1, sdc->tex 3,
 * sex->tdc 2, sex->tex 6, sql->tdc 15 (11 tcp + 4 udp), tex->sdc 5, tex->sex 6:
 * 86 in all. Rows 42/46, 45/47 and the tcp and udp flows of 52/58 and 53/59 are
 * identical flows (92 row-flows give 86 flows). */
static void test_one_per_role(void **state)
{
    (void)state;
    rk_assessment *a = expand(one_per_role, N_ONE);
    assert_int_equal(a->nflows, 86);
    assert_int_equal(count_from(a, "MIG01", "SDC01"), 16);
    assert_int_equal(count_from(a, "MIG01", "TDC01"), 17);
    assert_int_equal(count_from(a, "SQL01", "TDC01"), 15);
    assert_int_equal(count_from(a, "TEX01", "SEX01"), 6);
    for (size_t i = 0; i < a->nflows; i++) assert_true(a->flows[i].from_host != 1); /* worker */

    /* ids follow seed row, then hosts, then protocol */
    const rk_flow *f = &a->flows[0];
    assert_string_equal(f->id, "F0001");
    assert_int_equal(f->from_host, fx_host_index(a, "MIG01"));
    assert_int_equal(f->to_host, fx_host_index(a, "SDC01"));
    assert_int_equal(f->protocol, TCP);
    assert_int_equal(f->port_from, 25);
    assert_int_equal(f->nrows, 1);
    assert_int_equal(f->rows[0], 1);
    assert_string_equal(f->service, "Profile Outlook");
    assert_true(f->cross_zone);
    assert_string_equal(a->flows[4].id, "F0005");
    assert_int_equal(a->flows[4].rows[0], 5); /* "TCP/IP" 53 is tcp */
    assert_int_equal(a->flows[4].protocol, TCP);
    assert_int_equal(a->flows[4].port_from, 53);

    /* "TCP/UDP" gives both, tcp first */
    size_t t88 = fx_flow(a, "MIG01", "TDC01", TCP, 88), u88 = fx_flow(a, "MIG01", "TDC01", UDP, 88);
    assert_true(t88 != SIZE_MAX && u88 == t88 + 1);
    assert_int_equal(a->flows[t88].rows[0], 13);

    /* identical flows from two rows are one flow citing both */
    size_t i = fx_flow(a, "MIG01", "TDC01", TCP, 445);
    assert_true(i != SIZE_MAX);
    assert_int_equal(a->flows[i].nrows, 2);
    assert_int_equal(a->flows[i].rows[0], 53);
    assert_int_equal(a->flows[i].rows[1], 59);
    assert_string_equal(a->flows[i].service, "AD");
    assert_string_equal(a->flows[i].remark,
                        "Replication, User and Computer Authentication, Group Policy, Trusts "
                        "(Domain integration); Kerberos Change/set Password (Domain integration)");
    i = fx_flow(a, "TEX01", "SDC01", TCP, 443);
    assert_int_equal(a->flows[i].nrows, 2);
    assert_int_equal(a->flows[i].rows[0], 45);
    assert_int_equal(a->flows[i].rows[1], 47);
    assert_string_equal(a->flows[i].service, "SSL");
    assert_null(a->flows[i].note);

    /* "1024>65535" is 1024-65535, dynamic, with the row's note */
    i = fx_flow(a, "SEX01", "TEX01", TCP, 1024);
    assert_int_equal(a->flows[i].port_to, 65535);
    assert_true(a->flows[i].dynamic);
    assert_non_null(a->flows[i].note);
    assert_false(rk_flows_probeable(&a->flows[i]));

    /* zones: SQL01 and TDC01 share the target zone */
    i = fx_flow(a, "SQL01", "TDC01", TCP, 88);
    assert_false(a->flows[i].cross_zone);
    for (size_t k = 0; k < a->nflows; k++) {
        char want[32];
        snprintf(want, sizeof want, "F%04zu", k + 1);
        assert_string_equal(a->flows[k].id, want);
        assert_int_equal(a->flows[k].cross_zone,
                         strcmp(a->project->hosts[a->flows[k].from_host].zone,
                                a->project->hosts[a->flows[k].to_host].zone) != 0);
        if (k) assert_true(a->flows[k - 1].rows[0] <= a->flows[k].rows[0]);
    }
    fx_free(a);
}

/* Several hosts per role: 1 mig, 1 sql, 2 sdc, 3 tdc, 2 sex, 2 tex, 1 cas, 1 smtp, 1
 * sdns, 1 tdns. Per role pair: entries x sources x destinations = mig->sdc 16x2,
 * mig->cas 1, mig->sdns 1, mig->sex 3x2, mig->smtp 1, mig->tdc 17x3, mig->tdns 1,
 * mig->tex 8x2, sdc->tdc 1x2x3, sdc->tex 3x2x2, sex->tdc 2x2x3, sex->tex 6x2x2,
 * sql->tdc 15x3, tex->sdc 5x2x2, tex->sex 6x2x2 = 252. */
static const fx_host several[] = {
    {"MIG01", "mig", "migration-server", "10.0.0.10", NULL},
    {"SQL01", "mig", "sql-server", "10.0.0.30", NULL},
    {"SDC01", "src", "source-dc", "10.1.0.10", NULL},
    {"SDC02", "src", "source-dc", "10.1.0.11", NULL},
    {"TDC01", "tgt", "target-dc", "10.2.0.10", NULL},
    {"TDC02", "tgt", "target-dc", "10.2.0.11", NULL},
    {"TDC03", "tgt", "target-dc", "10.2.0.12", NULL},
    {"SEX01", "src", "source-exchange", "10.1.0.20", NULL},
    {"SEX02", "src", "source-exchange", "10.1.0.21", NULL},
    {"TEX01", "tgt", "target-exchange", "10.2.0.20", NULL},
    {"TEX02", "tgt", "target-exchange", "10.2.0.21", NULL},
    {"CAS01", "tgt", "target-cas", "10.2.0.30", NULL},
    {"SMTP01", "tgt", "target-smtp", "10.2.0.25", NULL},
    {"SDNS01", "src", "source-dns", "10.1.0.53", NULL},
    {"TDNS01", "tgt", "target-dns", "10.2.0.53", NULL},
};

static const rk_rule *rule_with(const rk_assessment *a, const char *src, uint32_t proto,
                                int port)
{
    size_t s = fx_host_index(a, src);
    for (size_t r = 0; r < a->nrules; r++) {
        const rk_rule *x = &a->rules[r];
        if (x->protocol != proto) continue;
        int has_src = 0, has_port = 0;
        for (size_t k = 0; k < x->nsrc; k++) has_src |= x->src_hosts[k] == s;
        for (size_t k = 0; k < x->nports; k++)
            has_port |= x->ports[k][0] <= port && port <= x->ports[k][1];
        if (has_src && has_port) return x;
    }
    return NULL;
}

static char *ports_of(const rk_rule *r)
{
    rk_buf b = {0};
    rk_flows_ports_str(&b, (const int(*)[2])r->ports, r->nports);
    return rk_buf_take(&b);
}

static void test_several_per_role(void **state)
{
    (void)state;
    rk_assessment *a = expand(several, sizeof several / sizeof several[0]);
    assert_int_equal(a->nflows, 252);
    /* row 3 (sex->tex): source host order, then destination host order */
    size_t k = 0;
    while (a->flows[k].rows[0] != 3) k++;
    const char *want[4][2] = {{"SEX01", "TEX01"}, {"SEX01", "TEX02"}, {"SEX02", "TEX01"},
                              {"SEX02", "TEX02"}};
    for (size_t j = 0; j < 4; j++) {
        assert_int_equal(a->flows[k + j].from_host, fx_host_index(a, want[j][0]));
        assert_int_equal(a->flows[k + j].to_host, fx_host_index(a, want[j][1]));
    }

    /* the migration server's tcp to the three target DCs: one rule, a destination group */
    const rk_rule *r = rule_with(a, "MIG01", TCP, 9389);
    assert_non_null(r);
    assert_int_equal(r->nsrc, 1);
    assert_int_equal(r->ndst, 3);
    char *p = ports_of(r);
    assert_string_equal(p, "80,88,123,135,389,443,445,636,3268-3269,5722,9389,49152-65535");
    free(p);
    assert_int_equal(r->nflows, 13 * 3);
    assert_true(r->cross_zone);
    assert_string_equal(r->src_zone, "mig");
    assert_string_equal(r->dst_zone, "tgt");

    /* source and target Exchange both ways: 2 x 2 hosts, one rule each way */
    r = rule_with(a, "SEX02", TCP, 808);
    assert_int_equal(r->nsrc, 2);
    assert_int_equal(r->ndst, 2);
    p = ports_of(r);
    assert_string_equal(p, "25,135,443,445,808,1024-65535");
    free(p);
    assert_int_equal(r->nflows, 6 * 4);
    assert_int_equal(r->nrows, 6);
    assert_int_equal(r->rows[0], 3);

    /* the SQL server's udp to target DCs */
    r = rule_with(a, "SQL01", UDP, 88);
    p = ports_of(r);
    assert_string_equal(p, "88,389,445,49152-65535");
    free(p);
    assert_int_equal(r->ndst, 3);
    assert_string_equal(r->purpose, "Kerberos; LDAP (domain integration); Replication, User "
                                    "and Computer Authentication, Group Policy, Trusts "
                                    "(Domain integration); Kerberos Change/set Password "
                                    "(Domain integration); Domain integration");
    fx_free(a);
}

/* One host (SRV01) is source DC, source DNS and source Exchange. mig->SRV01 is the
 * union of mig->sdc (16), mig->sdns (tcp 53) and mig->sex (tcp 80 and 135 already
 * there, tcp 587 new) = 18; SRV01->tdc = 137, 443, 445 = 3; SRV01->tex = 3 + 6 = 9;
 * tex->SRV01 = 5 + 6 - 2 (443, 445) = 9; mig->cas, smtp, tdns 1 each, mig->tdc 17,
 * mig->tex 8, sql->tdc 15: 82 in all. */
static void test_host_with_several_roles(void **state)
{
    (void)state;
    static const fx_host h[] = {
        {"MIG01", "mig", "migration-server", "10.0.0.10", NULL},
        {"SQL01", "mig", "sql-server", "10.0.0.30", NULL},
        {"SRV01", "src", "source-dc,source-dns,source-exchange", "10.1.0.10", NULL},
        {"TDC01", "tgt", "target-dc", "10.2.0.10", NULL},
        {"TEX01", "tgt", "target-exchange", "10.2.0.20", NULL},
        {"CAS01", "tgt", "target-cas", "10.2.0.30", NULL},
        {"SMTP01", "tgt", "target-smtp", "10.2.0.25", NULL},
        {"TDNS01", "tgt", "target-dns", "10.2.0.53", NULL},
    };
    rk_assessment *a = expand(h, sizeof h / sizeof h[0]);
    assert_int_equal(a->nflows, 82);
    assert_int_equal(count_from(a, "MIG01", "SRV01"), 18);
    assert_int_equal(count_from(a, "SRV01", "TDC01"), 3);
    assert_int_equal(count_from(a, "SRV01", "TEX01"), 9);
    assert_int_equal(count_from(a, "TEX01", "SRV01"), 9);
    size_t i = fx_flow(a, "MIG01", "SRV01", TCP, 80);
    assert_int_equal(a->flows[i].nrows, 2);
    assert_int_equal(a->flows[i].rows[0], 7);
    assert_int_equal(a->flows[i].rows[1], 9);
    assert_string_equal(a->flows[i].service, "Outlook RPC over HTTP(S)");
    assert_string_equal(a->flows[i].remark, "Profile Outlook");
    /* SRV01 -> TEX01 tcp 25 comes from row 3 only (a source messaging server) */
    i = fx_flow(a, "SRV01", "TEX01", TCP, 25);
    assert_int_equal(a->flows[i].rows[0], 3);
    fx_free(a);
}

/* No target CAS and no target SMTP server: rows 2 and 40 give nothing, 86 - 2 = 84. */
static void test_empty_role(void **state)
{
    (void)state;
    static const fx_host h[] = {
        {"MIG01", "mig", "migration-server", "10.0.0.10", NULL},
        {"SQL01", "mig", "sql-server", "10.0.0.30", NULL},
        {"SDC01", "src", "source-dc", "10.1.0.10", NULL},
        {"SEX01", "src", "source-exchange", "10.1.0.20", NULL},
        {"SDNS01", "src", "source-dns", "10.1.0.53", NULL},
        {"TDC01", "tgt", "target-dc", "10.2.0.10", NULL},
        {"TEX01", "tgt", "target-exchange", "10.2.0.20", NULL},
        {"TDNS01", "tgt", "target-dns", "10.2.0.53", NULL},
    };
    rk_assessment *a = expand(h, sizeof h / sizeof h[0]);
    assert_int_equal(a->nflows, 84);
    for (size_t k = 0; k < a->nflows; k++)
        for (size_t j = 0; j < a->flows[k].nrows; j++)
            assert_true(a->flows[k].rows[j] != 2 && a->flows[k].rows[j] != 40);
    fx_free(a);

    /* no host at all, and an inventory nobody talks to */
    a = expand(NULL, 0);
    assert_int_equal(a->nflows, 0);
    assert_int_equal(a->nrules, 0);
    fx_free(a);
    static const fx_host lonely[] = {{"WRK01", "mig", "worker", NULL, NULL}};
    a = expand(lonely, 1);
    assert_int_equal(a->nflows, 0);
    assert_int_equal(a->nrules, 0);
    fx_free(a);
}

/* EX01 is source and target Exchange: rows between the two (6 + 6 entries) would be
 * flows to itself and give none; mig->EX01 = mig->sex (80, 135, 587) U mig->tex (80,
 * 135, 137, 138, 139, 389, 443, 445) = 9. 86 - 12 - 3 - 8 + 9 = 72. */
static void test_no_flow_to_itself(void **state)
{
    (void)state;
    static const fx_host h[] = {
        {"MIG01", "mig", "migration-server", "10.0.0.10", NULL},
        {"SQL01", "mig", "sql-server", "10.0.0.30", NULL},
        {"SDC01", "src", "source-dc", "10.1.0.10", NULL},
        {"SDNS01", "src", "source-dns", "10.1.0.53", NULL},
        {"EX01", "tgt", "source-exchange,target-exchange", "10.2.0.20", NULL},
        {"TDC01", "tgt", "target-dc", "10.2.0.10", NULL},
        {"CAS01", "tgt", "target-cas", "10.2.0.30", NULL},
        {"SMTP01", "tgt", "target-smtp", "10.2.0.25", NULL},
        {"TDNS01", "tgt", "target-dns", "10.2.0.53", NULL},
    };
    rk_assessment *a = expand(h, sizeof h / sizeof h[0]);
    assert_int_equal(a->nflows, 72);
    assert_int_equal(count_from(a, "MIG01", "EX01"), 9);
    for (size_t k = 0; k < a->nflows; k++) assert_true(a->flows[k].from_host != a->flows[k].to_host);
    for (size_t r = 0; r < a->nrules; r++)
        for (size_t s = 0; s < a->rules[r].nsrc; s++)
            for (size_t d = 0; d < a->rules[r].ndst; d++)
                assert_true(a->rules[r].src_hosts[s] != a->rules[r].dst_hosts[d]);
    fx_free(a);
}

/* One host per role: 18 (source, destination, protocol) pairs with 18 different port
 * sets and no two of them to share sources or destinations: 18 rules, 16 network rules
 * by zone pair (mig->src, mig->tgt, src->tgt, tgt->src), then the 2 host-firewall
 * rules of SQL01 -> TDC01 inside the target zone. */
static void test_rule_numbering(void **state)
{
    (void)state;
    rk_assessment *a = expand(one_per_role, N_ONE);
    assert_int_equal(a->nrules, 18);
    static const struct {
        const char *src, *dst;
        uint32_t proto;
        const char *ports;
    } want[] = {
        {"MIG01", "SDC01", TCP, "25,80,88,110,135,137-139,389,443,445,993,995,3268,49152-65535"},
        {"MIG01", "SDNS01", TCP, "53"},
        {"MIG01", "SEX01", TCP, "80,135,587"},
        {"MIG01", "SDC01", UDP, "389"},
        {"MIG01", "TDC01", TCP, "80,88,123,135,389,443,445,636,3268-3269,5722,9389,49152-65535"},
        {"MIG01", "TDNS01", TCP, "53"},
        {"MIG01", "TEX01", TCP, "80,135,137-139,389,443,445"},
        {"MIG01", "CAS01", TCP, "443"},
        {"MIG01", "SMTP01", TCP, "25"},
        {"MIG01", "TDC01", UDP, "88,389,445,49152-65535"},
        {"SDC01", "TDC01", TCP, "137"},
        {"SDC01", "TEX01", TCP, "88,389,3268"},
        {"SEX01", "TDC01", TCP, "443,445"},
        {"SEX01", "TEX01", TCP, "25,135,443,445,808,1024-65535"},
        {"TEX01", "SDC01", TCP, "88,389,443,445,3268"},
        {"TEX01", "SEX01", TCP, "25,135,443,445,808,1024-65535"},
        {"SQL01", "TDC01", TCP, "88,123,135,389,445,636,3268-3269,5722,9389,49152-65535"},
        {"SQL01", "TDC01", UDP, "88,389,445,49152-65535"},
    };
    for (size_t r = 0; r < a->nrules; r++) {
        const rk_rule *x = &a->rules[r];
        char id[32];
        snprintf(id, sizeof id, "R%03zu", r + 1);
        assert_string_equal(x->id, id);
        assert_int_equal(x->nsrc, 1);
        assert_int_equal(x->ndst, 1);
        assert_int_equal(x->src_hosts[0], fx_host_index(a, want[r].src));
        assert_int_equal(x->dst_hosts[0], fx_host_index(a, want[r].dst));
        assert_int_equal(x->protocol, want[r].proto);
        char *p = ports_of(x);
        assert_string_equal(p, want[r].ports);
        free(p);
        assert_int_equal(x->cross_zone, r < 16);
    }
    /* the texts of a rule: its rows' components and remarks, in row order, once */
    const rk_rule *x = &a->rules[12]; /* SEX01 -> TDC01 */
    assert_int_equal(x->nrows, 2);
    assert_string_equal(x->services, "SSL; DS Service");
    assert_string_equal(x->purpose, "SSL; Microsoft-DS Service");
    assert_string_equal(x->verification, "not-probed:2");

    size_t *of = rk_flows_rule_of(a);
    for (size_t f = 0; f < a->nflows; f++) {
        assert_true(of[f] < a->nrules);
        const rk_rule *y = &a->rules[of[f]];
        int found = 0;
        for (size_t k = 0; k < y->nflows; k++) found |= y->flows[k] == f;
        assert_true(found);
    }
    free(of);
    fx_free(a);
}

/* ------------------------------------------------------------- property tests */

/* Bit of the tuple (from, to, protocol, port) in a set over small inventories. */
static size_t tuple_bit(size_t nh, int max_port, size_t from, size_t to, uint32_t proto, int port)
{
    return ((from * nh + to) * 2 + (proto == UDP)) * (size_t)(max_port + 1) + (size_t)port;
}

/* Rules of the random runs that merged sources and destinations and ports. */
static size_t merged_rules;

static void check_invariants(rk_assessment *a, int max_port)
{
    size_t nh = a->project->nhosts;
    size_t nbits = nh * nh * 2 * (size_t)(max_port + 1);
    unsigned char *expect = calloc(nbits ? nbits : 1, 1);
    unsigned char *flows = calloc(nbits ? nbits : 1, 1);
    unsigned char *rules = calloc(nbits ? nbits : 1, 1);

    /* expansion against a brute force over rows x hosts x hosts */
    for (size_t r = 0; r < a->schema->nflows; r++) {
        const rk_flow_row *row = &a->schema->flows[r];
        for (size_t f = 0; f < nh; f++)
            for (size_t t = 0; t < nh; t++) {
                if (f == t || !(a->project->hosts[f].roles & row->from_roles) ||
                    !(a->project->hosts[t].roles & row->to_roles))
                    continue;
                for (uint32_t pr = TCP; pr <= UDP; pr <<= 1)
                    if (row->protocols & pr)
                        for (int p = row->port_from; p <= row->port_to; p++)
                            expect[tuple_bit(nh, max_port, f, t, pr, p)] = 1;
            }
    }
    for (size_t i = 0; i < a->nflows; i++) {
        const rk_flow *f = &a->flows[i];
        char id[32];
        snprintf(id, sizeof id, "F%04zu", i + 1);
        assert_string_equal(f->id, id);
        assert_true(f->from_host != f->to_host);
        for (size_t j = i + 1; j < a->nflows && j < i + 64; j++)
            assert_false(a->flows[j].from_host == f->from_host &&
                         a->flows[j].to_host == f->to_host &&
                         a->flows[j].protocol == f->protocol &&
                         a->flows[j].port_from == f->port_from &&
                         a->flows[j].port_to == f->port_to);
        for (int p = f->port_from; p <= f->port_to; p++)
            flows[tuple_bit(nh, max_port, f->from_host, f->to_host, f->protocol, p)] = 1;
    }
    assert_memory_equal(expect, flows, nbits);

    /* every flow in exactly one rule, and each rule's product is its flows exactly */
    size_t *seen = calloc(a->nflows ? a->nflows : 1, sizeof(size_t));
    for (size_t r = 0; r < a->nrules; r++) {
        const rk_rule *x = &a->rules[r];
        char id[32];
        snprintf(id, sizeof id, "R%03zu", r + 1);
        assert_string_equal(x->id, id);
        assert_true(x->nsrc && x->ndst && x->nports && x->nflows);
        merged_rules += x->nsrc > 1 && x->ndst > 1 && x->nports > 1;
        if (r) assert_true(a->rules[r - 1].cross_zone >= x->cross_zone);
        unsigned char *own = calloc(nbits, 1);
        for (size_t k = 0; k < x->nflows; k++) {
            const rk_flow *f = &a->flows[x->flows[k]];
            seen[x->flows[k]]++;
            if (k) assert_true(x->flows[k - 1] < x->flows[k]);
            assert_int_equal(f->protocol, x->protocol);
            assert_int_equal(f->cross_zone, x->cross_zone);
            for (int p = f->port_from; p <= f->port_to; p++)
                own[tuple_bit(nh, max_port, f->from_host, f->to_host, f->protocol, p)] = 1;
            for (size_t j = 0; j < f->nrows; j++) {
                int found = 0;
                for (size_t q = 0; q < x->nrows; q++) found |= x->rows[q] == f->rows[j];
                assert_true(found);
            }
        }
        size_t product = 0;
        for (size_t s = 0; s < x->nsrc; s++)
            for (size_t d = 0; d < x->ndst; d++)
                for (size_t q = 0; q < x->nports; q++) {
                    if (q) assert_true(x->ports[q - 1][1] + 1 < x->ports[q][0]);
                    for (int p = x->ports[q][0]; p <= x->ports[q][1]; p++) {
                        size_t bit = tuple_bit(nh, max_port, x->src_hosts[s], x->dst_hosts[d],
                                               x->protocol, p);
                        assert_true(own[bit]);  /* never wider than its flows */
                        assert_true(expect[bit]);
                        rules[bit] = 1;
                        product++;
                    }
                }
        size_t owned = 0;
        for (size_t b = 0; b < nbits; b++) owned += own[b];
        assert_int_equal(product, owned); /* and covers all of them */
        free(own);
        /* nothing two rules could still share: same sources and destinations (would be
         * one port list), or same sources and ports within one zone pair (would be one
         * destination group) */
        for (size_t o = 0; o < r; o++) {
            const rk_rule *y = &a->rules[o];
            if (y->protocol != x->protocol || y->nsrc != x->nsrc ||
                memcmp(y->src_hosts, x->src_hosts, x->nsrc * sizeof(size_t)) != 0)
                continue;
            int same_dst = y->ndst == x->ndst &&
                           memcmp(y->dst_hosts, x->dst_hosts, x->ndst * sizeof(size_t)) == 0;
            assert_false(same_dst);
            int same_ports = y->nports == x->nports &&
                             memcmp(y->ports, x->ports, x->nports * sizeof(*x->ports)) == 0;
            assert_false(same_ports && strcmp(y->dst_zone, x->dst_zone) == 0);
        }
    }
    for (size_t i = 0; i < a->nflows; i++) assert_int_equal(seen[i], 1);
    assert_memory_equal(expect, rules, nbits);
    free(seen);
    free(expect);
    free(flows);
    free(rules);
}

static void test_property_random(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        size_t nrows = 1 + (size_t)(seed * 7 % 40), nhosts = 2 + (size_t)(seed * 5 % 11);
        rk_assessment *a = fx_random_assessment(seed, nrows, nhosts, 40);
        rk_flows_expand(a);
        rk_flows_rules(a);
        check_invariants(a, 40);
        fx_free(a);
    }
    assert_true(merged_rules > 50); /* the inventories do exercise the merging */
}

static char *serialise(const rk_assessment *a)
{
    rk_buf b = {0};
    for (size_t i = 0; i < a->nflows; i++) {
        const rk_flow *f = &a->flows[i];
        rk_buf_printf(&b, "%s %zu %zu %u %d-%d %s|%s\n", f->id, f->from_host, f->to_host,
                      f->protocol, f->port_from, f->port_to, f->service, f->remark);
    }
    for (size_t i = 0; i < a->nrules; i++) {
        const rk_rule *r = &a->rules[i];
        rk_buf_printf(&b, "%s %s>%s %u:", r->id, r->src_zone, r->dst_zone, r->protocol);
        for (size_t k = 0; k < r->nsrc; k++) rk_buf_printf(&b, " s%zu", r->src_hosts[k]);
        for (size_t k = 0; k < r->ndst; k++) rk_buf_printf(&b, " d%zu", r->dst_hosts[k]);
        for (size_t k = 0; k < r->nports; k++) rk_buf_printf(&b, " %d-%d", r->ports[k][0], r->ports[k][1]);
        for (size_t k = 0; k < r->nflows; k++) rk_buf_printf(&b, " f%zu", r->flows[k]);
        rk_buf_printf(&b, " %s|%s|%s\n", r->services, r->purpose, r->verification);
    }
    return rk_buf_take(&b);
}

/* The same inputs give the same flow and rule numbers, run after run. */
static void test_numbering_stable(void **state)
{
    (void)state;
    for (uint64_t seed = 11; seed <= 20; seed++) {
        rk_assessment *a = fx_random_assessment(seed, 30, 10, 40);
        rk_assessment *b = fx_random_assessment(seed, 30, 10, 40);
        rk_flows_expand(a);
        rk_flows_rules(a);
        rk_flows_expand(b);
        rk_flows_rules(b);
        char *sa = serialise(a), *sb = serialise(b);
        assert_string_equal(sa, sb);
        rk_flows_rules(a); /* again on the same flows */
        char *sc = serialise(a);
        assert_string_equal(sa, sc);
        free(sa);
        free(sb);
        free(sc);
        fx_free(a);
        fx_free(b);
    }
    rk_assessment *a = expand(several, sizeof several / sizeof several[0]);
    char *first = serialise(a);
    rk_flows_expand(a);
    rk_flows_rules(a);
    char *second = serialise(a);
    assert_string_equal(first, second);
    free(first);
    free(second);
    fx_free(a);
}

/* ----------------------------------------------------------------- probes */

static const char *id_of(const rk_assessment *a, const char *from, const char *to,
                         uint32_t proto, int port)
{
    size_t i = fx_flow(a, from, to, proto, port);
    assert_true(i != SIZE_MAX);
    return a->flows[i].id;
}

static void test_probe_matching(void **state)
{
    (void)state;
    rk_assessment *a = fx_seed_assessment(one_per_role, N_ONE, 1);
    rk_flows_expand(a); /* ids are known before the probes are added */
    size_t mig = fx_host_index(a, "MIG01"), sql = fx_host_index(a, "SQL01");
    char id25[16], id80[16], id88[16], id135[16], id389u[16], id445[16], id443[16], id53[16];
    snprintf(id25, sizeof id25, "%s", id_of(a, "MIG01", "SDC01", TCP, 25));
    snprintf(id80, sizeof id80, "%s", id_of(a, "MIG01", "SDC01", TCP, 80));
    snprintf(id88, sizeof id88, "%s", id_of(a, "MIG01", "TDC01", TCP, 88));
    snprintf(id135, sizeof id135, "%s", id_of(a, "MIG01", "SDC01", TCP, 135));
    snprintf(id389u, sizeof id389u, "%s", id_of(a, "MIG01", "SDC01", UDP, 389));
    snprintf(id445, sizeof id445, "%s", id_of(a, "MIG01", "SDC01", TCP, 445));
    snprintf(id443, sizeof id443, "%s", id_of(a, "MIG01", "SDC01", TCP, 443));
    snprintf(id53, sizeof id53, "%s", id_of(a, "MIG01", "TDNS01", TCP, 53));

    fx_probe(a, mig, id25, "tcp", 25, "10.1.0.10", "10.1.0.10", "open", 3);
    fx_probe(a, mig, id80, "tcp", 80, "SDC01.CONTOSO.EXAMPLE", "10.1.0.10", "closed", 1);
    /* written as another name, but the address contacted is the DC's */
    fx_probe(a, mig, id88, "tcp", 88, "dc.fabrikam.example", "10.2.0.10", "filtered", 3000);
    /* mismatches: port, destination, protocol, unknown ids, bad result word */
    fx_probe(a, mig, id135, "tcp", 136, "10.1.0.10", "10.1.0.10", "open", 1);
    fx_probe(a, mig, id135, "tcp", 135, "10.9.9.9", "10.9.9.9", "open", 1);
    fx_probe(a, mig, id135, "udp", 135, "10.1.0.10", "10.1.0.10", "open", 1);
    fx_probe(a, mig, "F9999", "tcp", 135, "10.1.0.10", "10.1.0.10", "open", 1);
    fx_probe(a, mig, "F", "tcp", 135, "10.1.0.10", "10.1.0.10", "open", 1);
    fx_probe(a, mig, "X0001", "tcp", 135, "10.1.0.10", "10.1.0.10", "open", 1);
    fx_probe(a, mig, NULL, "tcp", 135, "10.1.0.10", "10.1.0.10", "open", 1);
    fx_probe(a, mig, id135, "tcp", 135, "10.1.0.10", "10.1.0.10", "maybe", 1);
    /* a UDP flow the collector reports as not verifiable */
    fx_probe(a, mig, id389u, "udp", 389, "10.1.0.10", NULL, "not-verifiable", 0);
    /* probed twice: the worse result stands, whatever the order */
    fx_probe(a, mig, id445, "tcp", 445, "10.1.0.10", "10.1.0.10", "open", 2);
    fx_probe(a, mig, id445, "tcp", 445, "10.1.0.10", "10.1.0.10", "error", 0);
    fx_probe(a, mig, id443, "tcp", 443, "10.1.0.10", "10.1.0.10", "filtered", 3000);
    fx_probe(a, mig, id443, "tcp", 443, "10.1.0.10", "10.1.0.10", "open", 2);
    /* by FQDN, the host having no address; name did not resolve (address null) */
    fx_probe(a, mig, id53, "tcp", 53, "tdns01.fabrikam.example", NULL, "error", 0);
    /* a probe of MIG01's flow found in SQL01's fact file */
    fx_probe(a, sql, id25, "tcp", 25, "10.1.0.10", "10.1.0.10", "open", 3);

    rk_flows_expand(a);
    rk_flows_rules(a);
    const rk_flow *f = &a->flows[fx_flow(a, "MIG01", "SDC01", TCP, 25)];
    assert_string_equal(f->probe_result, "open");
    assert_true(f->probe_ms == 3);
    assert_string_equal(f->probe_at, "2024-05-02T08:30:00Z");
    assert_int_equal(rk_flows_state(f), RK_FW_OPEN);
    assert_int_equal(rk_flows_state(&a->flows[fx_flow(a, "MIG01", "SDC01", TCP, 80)]), RK_FW_CLOSED);
    assert_int_equal(rk_flows_state(&a->flows[fx_flow(a, "MIG01", "TDC01", TCP, 88)]), RK_FW_FILTERED);
    f = &a->flows[fx_flow(a, "MIG01", "SDC01", TCP, 135)];
    assert_null(f->probe_result);
    assert_int_equal(rk_flows_state(f), RK_FW_NOT_PROBED);
    assert_int_equal(rk_flows_state(&a->flows[fx_flow(a, "MIG01", "SDC01", UDP, 389)]),
                     RK_FW_NOT_VERIFIABLE);
    assert_int_equal(rk_flows_state(&a->flows[fx_flow(a, "MIG01", "SDC01", TCP, 445)]), RK_FW_ERROR);
    assert_int_equal(rk_flows_state(&a->flows[fx_flow(a, "MIG01", "SDC01", TCP, 443)]), RK_FW_FILTERED);
    assert_int_equal(rk_flows_state(&a->flows[fx_flow(a, "MIG01", "TDNS01", TCP, 53)]), RK_FW_ERROR);
    /* UDP and dynamic flows nobody probed are not verifiable, others not probed */
    assert_int_equal(rk_flows_state(&a->flows[fx_flow(a, "MIG01", "TDC01", UDP, 88)]),
                     RK_FW_NOT_VERIFIABLE);
    assert_int_equal(rk_flows_state(&a->flows[fx_flow(a, "SEX01", "TEX01", TCP, 1024)]),
                     RK_FW_NOT_VERIFIABLE);

    /* per fact file, one warning for probes that name no flow (6 in MIG01's, 1 in
     * SQL01's) and one for probes that cannot verify theirs (MIG01's UDP probes and its
     * connect to port 136 of the port-135 flow) */
    assert_int_equal(a->warnings.count, 3);
    const rk_warning *w = a->warnings.items;
    assert_string_equal(w[0].file, "facts/MIG01.json");
    assert_string_equal(w[0].key, "warn.probes_unmatched");
    assert_string_equal(w[0].args[1], "6");
    assert_string_equal(w[1].file, "facts/MIG01.json");
    assert_string_equal(w[1].key, "warn.probes_not_verifiable");
    assert_string_equal(w[1].args[1], "3");
    assert_string_equal(w[2].file, "facts/SQL01.json");
    assert_string_equal(w[2].key, "warn.probes_unmatched");
    assert_string_equal(w[2].args[1], "1");

    /* blocked: closed 80, filtered 88 (TDC) and filtered 443 */
    size_t out[8];
    assert_int_equal(rk_flows_blocked(a, out, 8), 3);
    assert_int_equal(out[0], fx_flow(a, "MIG01", "SDC01", TCP, 80));
    assert_int_equal(out[1], fx_flow(a, "MIG01", "TDC01", TCP, 88));
    assert_int_equal(out[2], fx_flow(a, "MIG01", "SDC01", TCP, 443));
    assert_int_equal(rk_flows_blocked(a, out, 1), 3);
    assert_int_equal(rk_flows_blocked(a, NULL, 0), 3);

    /* the rule's summary counts its flows' states, worst first */
    const rk_rule *r = &a->rules[0]; /* MIG01 -> SDC01 tcp, 15 flows */
    assert_int_equal(r->nflows, 15);
    assert_string_equal(r->verification,
                        "closed:1 filtered:1 error:1 not-probed:10 not-verifiable:1 open:1");
    assert_string_equal(a->rules[3].verification, "not-verifiable:1"); /* MIG01 udp 389 */
    fx_free(a);
}

/* Only a single-port TCP flow can be verified by a connect: a UDP probe reported open,
 * or one connect into a port range, verifies nothing, whatever the fact file says; the
 * fact file is named in a warning. And what the documents call blocked is what the
 * evaluator calls blocked: a UDP probe reported closed fails no flow and no check. */
static void test_probes_cannot_verify(void **state)
{
    (void)state;
    rk_assessment *a = fx_seed_assessment(one_per_role, N_ONE, 1);
    rk_flows_expand(a);
    size_t mig = fx_host_index(a, "MIG01"), sex = fx_host_index(a, "SEX01");
    char udp[16], range[16];
    snprintf(udp, sizeof udp, "%s", id_of(a, "MIG01", "SDC01", UDP, 389));
    snprintf(range, sizeof range, "%s", id_of(a, "SEX01", "TEX01", TCP, 1024));
    fx_probe(a, mig, udp, "udp", 389, "10.1.0.10", "10.1.0.10", "open", 1);
    fx_probe(a, mig, udp, "udp", 389, "10.1.0.10", "10.1.0.10", "closed", 1);
    fx_probe(a, sex, range, "tcp", 50000, "10.2.0.20", "10.2.0.20", "open", 1);
    fx_probe(a, sex, range, "tcp", 50000, "10.2.0.20", "10.2.0.20", "closed", 1);
    rk_flows_expand(a);
    rk_flows_rules(a);
    const rk_flow *f = &a->flows[fx_flow(a, "MIG01", "SDC01", UDP, 389)];
    assert_null(f->probe_result);
    assert_int_equal(rk_flows_state(f), RK_FW_NOT_VERIFIABLE);
    f = &a->flows[fx_flow(a, "SEX01", "TEX01", TCP, 1024)];
    assert_null(f->probe_result);
    assert_int_equal(rk_flows_state(f), RK_FW_NOT_VERIFIABLE);
    assert_int_equal(rk_flows_blocked(a, NULL, 0), 0);
    assert_int_equal(a->warnings.count, 2);
    for (size_t i = 0; i < 2; i++) assert_string_equal(a->warnings.items[i].key, "warn.probes_not_verifiable");
    assert_string_equal(a->warnings.items[0].file, "facts/MIG01.json");
    assert_string_equal(a->warnings.items[0].args[1], "2");
    assert_string_equal(a->warnings.items[1].file, "facts/SEX01.json");
    /* the flows check agrees: nothing that counts was probed */
    rk_check k;
    memset(&k, 0, sizeof k);
    k.kind = RK_CHECK_FLOWS;
    if (!a->facts[mig]->root) a->facts[mig]->root = cJSON_CreateObject();
    rk_outcome o;
    rk_check_eval(a, mig, &k, a->facts[mig]->root, &o);
    assert_int_equal(o.result, RK_R_NA);
    assert_int_equal(o.reason, RK_RS_NOT_PROBED);
    rk_outcome_free(&o);
    fx_free(a);
}

static void test_helpers(void **state)
{
    (void)state;
    assert_string_equal(rk_flows_proto_str(TCP), "tcp");
    assert_string_equal(rk_flows_proto_str(UDP), "udp");
    assert_string_equal(rk_flows_proto_str(3), "?");
    assert_string_equal(rk_fw_state_str(RK_FW_NOT_VERIFIABLE), "not-verifiable");
    assert_string_equal(rk_fw_state_str(RK_FW_STATE_COUNT), "?");
    int ports[3][2] = {{88, 88}, {137, 139}, {49152, 65535}};
    rk_buf b = {0};
    rk_flows_ports_str(&b, (const int(*)[2])ports, 3);
    assert_string_equal(b.data, "88,137-139,49152-65535");
    rk_buf_free(&b);
    int r[6][2] = {{445, 445}, {49152, 65535}, {1024, 65535}, {137, 138}, {139, 139}, {88, 88}};
    assert_int_equal(rk_flows_ports_merge(r, 6), 4);
    rk_flows_ports_str(&b, (const int(*)[2])r, 4);
    assert_string_equal(b.data, "88,137-139,445,1024-65535");
    rk_buf_free(&b);
    int r2[3][2] = {{1024, 65535}, {88, 88}, {1, 1023}};
    assert_int_equal(rk_flows_ports_merge(r2, 3), 1);
    assert_int_equal(r2[0][0], 1);
    assert_int_equal(r2[0][1], 65535);
    assert_int_equal(rk_flows_ports_merge(r2, 0), 0);
    rk_host h = {0};
    h.name = "N";
    rk_end e = {0};
    e.host = &h;
    e.name = "N";
    assert_string_equal(rk_end_target(&e), "N");
    h.fqdn = "n.example";
    assert_string_equal(rk_end_target(&e), "n.example");
    char *addrs[] = {"10.0.0.1", "2001:db8::1"};
    e.addresses = addrs;
    e.naddresses = 2;
    assert_string_equal(rk_end_target(&e), "10.0.0.1");
    assert_true(rk_end_probeable_name("outlook.office365.com"));
    assert_false(rk_end_probeable_name("*.protection.outlook.com"));
    assert_false(rk_end_probeable_name("40.96.0.0/13"));
    rk_assessment empty = {0};
    rk_flows_expand(&empty);
    rk_flows_rules(&empty);
    assert_null(rk_flows_rule_of(&empty));
    rk_flows_free(&empty);
}

/* A 200-host enterprise: expansion and consolidation well under a second. */
static void test_large_inventory(void **state)
{
    (void)state;
    static const struct {
        const char *prefix, *zone, *roles;
        int count;
    } plan[] = {
        {"MIG", "mig", "migration-server", 2},  {"SQL", "mig", "sql-server", 2},
        {"WRK", "mig", "worker", 20},           {"SDC", "src", "source-dc,source-dns", 30},
        {"TDC", "tgt", "target-dc,target-dns", 30}, {"SEX", "src", "source-exchange", 50},
        {"TEX", "tgt", "target-exchange", 50},  {"CAS", "tgt", "target-cas", 12},
        {"SMTP", "tgt", "target-smtp", 4},
    };
    fx_host hosts[200];
    char names[200][16], addrs[200][32];
    size_t n = 0;
    for (size_t p = 0; p < sizeof plan / sizeof plan[0]; p++)
        for (int i = 0; i < plan[p].count; i++, n++) {
            snprintf(names[n], sizeof names[n], "%s%02d", plan[p].prefix, i + 1);
            snprintf(addrs[n], sizeof addrs[n], "10.%zu.%d.%d", p, i / 200, i % 200 + 1);
            hosts[n] = (fx_host){names[n], plan[p].zone, plan[p].roles, addrs[n], NULL};
        }
    assert_int_equal(n, 200);
    rk_assessment *a = fx_seed_assessment(hosts, n, 1);
    clock_t t0 = clock();
    rk_flows_expand(a);
    clock_t t1 = clock();
    rk_flows_rules(a);
    clock_t t2 = clock();
    double te = (double)(t1 - t0) / CLOCKS_PER_SEC, tr = (double)(t2 - t1) / CLOCKS_PER_SEC;
    print_message("200 hosts: %zu flows, %zu rules; expansion %.3f s, rules %.3f s\n",
                  a->nflows, a->nrules, te, tr);
    assert_true(a->nflows > 10000);
    /* source and target Exchange both ways: one rule each way over 50 x 50 hosts */
    const rk_rule *r = rule_with(a, "SEX01", TCP, 808);
    assert_int_equal(r->nsrc, 50);
    assert_int_equal(r->ndst, 50);
    /* generous bound: sanitizer builds are several times slower than release */
    assert_true(te + tr < 5.0);
    fx_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_per_role),
        cmocka_unit_test(test_several_per_role),
        cmocka_unit_test(test_host_with_several_roles),
        cmocka_unit_test(test_empty_role),
        cmocka_unit_test(test_no_flow_to_itself),
        cmocka_unit_test(test_rule_numbering),
        cmocka_unit_test(test_property_random),
        cmocka_unit_test(test_numbering_stable),
        cmocka_unit_test(test_probe_matching),
        cmocka_unit_test(test_probes_cannot_verify),
        cmocka_unit_test(test_helpers),
        cmocka_unit_test(test_large_inventory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
