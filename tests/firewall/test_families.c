/* test_families.c - address families: dual-stack flows are one flow per family, rules
 * never mix IPv4, IPv6 and names, ends without a common family give flows in no rule
 * with one warning per pair, probes count only on the flow's family; strict address
 * validation and comparison by value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "fixture.h"
#include "flows.h"
#include "util.h"

static const fx_host inventory[] = {
    {"MIG01", "mig", "migration-server", "10.0.0.10", NULL},
    {"SQL01", "mig", "sql-server", "10.0.0.30", NULL},
    {"SDC01", "src", "source-dc", "10.1.0.10", NULL},
    {"TDC01", "tgt", "target-dc", "10.2.0.10", NULL},
    {"TEX01", "tgt", "target-exchange", "10.2.0.20", NULL},
    {"CAS01", "tgt", "target-cas", NULL, "cas01.fabrikam.example"},
};
#define N_INV (sizeof inventory / sizeof inventory[0])

/* Replaces a host's addresses (before flows are expanded). */
static void set_addresses(rk_assessment *a, const char *name, const char *const *v, size_t n)
{
    rk_host *h = &a->project->hosts[fx_host_index(a, name)];
    rk_strv_free(h->addresses, h->naddresses);
    h->addresses = rk_xcalloc(n ? n : 1, sizeof(char *));
    h->naddresses = n;
    rk_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        h->addresses[i] = rk_xstrdup(v[i]);
        rk_buf_printf(&b, "%s%s", i ? ", " : "", v[i]);
    }
    free(h->address);
    h->address = b.data ? rk_buf_take(&b) : rk_xstrdup("");
}

static rk_assessment *mixed(void)
{
    rk_assessment *a = fx_seed_assessment(inventory, N_INV, 1);
    static const char *const mig[] = {"10.0.0.10", "2001:db8:0:1::10"};
    static const char *const tdc[] = {"10.2.0.10", "2001:db8:2::10"};
    static const char *const tex[] = {"2001:db8:2::20"};
    set_addresses(a, "MIG01", mig, 2);
    set_addresses(a, "TDC01", tdc, 2);
    set_addresses(a, "TEX01", tex, 1);
    rk_flows_expand(a);
    rk_flows_rules(a);
    return a;
}

static unsigned target_family(const char *s) { return rk_addr_family(s); }

static void test_flows_by_family(void **state)
{
    (void)state;
    rk_assessment *a = mixed();
    size_t mig = fx_host_index(a, "MIG01"), sql = fx_host_index(a, "TDC01");
    size_t sdc = fx_host_index(a, "SDC01"), tex = fx_host_index(a, "TEX01");
    size_t cas = fx_host_index(a, "CAS01");
    size_t v4 = 0, v6 = 0, none = 0, names = 0;
    for (size_t i = 0; i < a->nflows; i++) {
        const rk_flow *f = &a->flows[i];
        const char *t[16];
        unsigned fam = rk_flow_family(f);
        if (f->from_host == mig && f->to_host == sql) *(fam == RK_FAM_V4 ? &v4 : &v6) += 1;
        if (f->from_host == sdc && f->to_host == tex) {
            assert_int_equal(fam, 0); /* IPv4-only to IPv6-only */
            none++;
        }
        if (f->to_host == cas) {
            assert_int_equal(f->dst_family, RK_FAM_NAME); /* no address: its FQDN */
            names++;
        }
        if (!fam) continue;
        size_t n = rk_end_targets(&a->ends[f->from_host], f->src_family, t, 16);
        assert_true(n > 0);
        for (size_t k = 0; k < n; k++) assert_int_equal(target_family(t[k]), f->src_family);
        n = rk_end_targets(&a->ends[f->to_host], f->dst_family, t, 16);
        assert_true(n > 0);
        for (size_t k = 0; k < n; k++) assert_int_equal(target_family(t[k]), f->dst_family);
    }
    assert_true(v4 > 0);
    assert_int_equal(v4, v6); /* one flow per family for each port */
    assert_true(none > 0);
    assert_true(names > 0);

    /* rules: one family pair each, every flow of a family in exactly one rule, the flows
     * without a common family in none */
    size_t *of = rk_flows_rule_of(a);
    for (size_t i = 0; i < a->nflows; i++) {
        if (!rk_flow_family(&a->flows[i])) {
            assert_int_equal(of[i], SIZE_MAX);
            continue;
        }
        assert_true(of[i] < a->nrules);
        const rk_rule *r = &a->rules[of[i]];
        assert_int_equal(r->src_family, a->flows[i].src_family);
        assert_int_equal(r->dst_family, a->flows[i].dst_family);
    }
    free(of);
    for (size_t r = 0; r < a->nrules; r++)
        assert_true(rk_family_of(a->rules[r].src_family, a->rules[r].dst_family) != 0);

    /* one warning per pair of hosts that share no family */
    size_t warned = 0;
    for (size_t w = 0; w < a->warnings.count; w++)
        if (!strcmp(a->warnings.items[w].key, "warn.no_common_family")) warned++;
    size_t pairs = 0;
    for (size_t i = 0; i < a->nflows; i++) {
        if (a->flows[i].src_family) continue;
        size_t j = 0;
        while (j < i && (a->flows[j].src_family || a->flows[j].from_host != a->flows[i].from_host ||
                         a->flows[j].to_host != a->flows[i].to_host))
            j++;
        pairs += j == i;
    }
    assert_int_equal(warned, pairs);
    fx_free(a);
}

static void test_probe_family(void **state)
{
    (void)state;
    rk_assessment *a = mixed();
    size_t mig = fx_host_index(a, "MIG01"), sql = fx_host_index(a, "TDC01");
    size_t f4 = SIZE_MAX, f6 = SIZE_MAX;
    for (size_t i = 0; i < a->nflows; i++) {
        const rk_flow *f = &a->flows[i];
        if (f->from_host != mig || f->to_host != sql || !rk_flows_probeable(f)) continue;
        if (f->dst_family == RK_FAM_V4 && f4 == SIZE_MAX) f4 = i;
        if (f->dst_family == RK_FAM_V6 && f6 == SIZE_MAX && f4 != SIZE_MAX &&
            f->port_from == a->flows[f4].port_from)
            f6 = i;
    }
    assert_true(f4 != SIZE_MAX && f6 != SIZE_MAX);
    int port = a->flows[f4].port_from;
    /* the IPv6 flow's id with the IPv4 address: it does not count; the IPv6 address
     * written in another form does */
    fx_probe(a, mig, a->flows[f6].id, "tcp", port, "10.2.0.10", "10.2.0.10", "closed", 1);
    fx_probe(a, mig, a->flows[f4].id, "tcp", port, "10.2.0.10", "10.2.0.10", "open", 2);
    rk_flows_expand(a);
    assert_string_equal(a->flows[f4].probe_result, "open");
    assert_null(a->flows[f6].probe_result);
    fx_probe(a, mig, a->flows[f6].id, "tcp", port, "2001:DB8:2:0::10", "2001:db8:2::10",
             "filtered", 1000);
    rk_flows_expand(a);
    assert_string_equal(a->flows[f6].probe_result, "filtered");
    fx_free(a);
}

static void test_addresses(void **state)
{
    (void)state;
    char why[160];
    static const char *const good_host[] = {"192.0.2.10", "2001:db8::10", "::1", "10.0.0.1",
                                            "fd00::1"};
    for (size_t i = 0; i < sizeof good_host / sizeof *good_host; i++)
        assert_int_equal(rk_addr_check_host(good_host[i], why, sizeof why), 0);
    static const struct {
        const char *s;
        int r;
        const char *says;
    } bad_host[] = {
        {"010.0.0.1", -2, NULL},          {"192.0.2.300", -2, NULL},
        {"192.0.2.0/24", -1, "CIDR"},     {"fe80::1%eth0", -1, "zone"},
        {"0.0.0.0", -1, "unspecified"},   {"::", -1, "unspecified"},
        {"255.255.255.255", -1, "broadcast"}, {"224.0.0.5", -1, "multicast"},
        {"ff02::1", -1, "multicast"},     {"::ffff:10.0.0.1", -1, "10.0.0.1"},
        {"::10.0.0.1", -1, "IPv4-compatible"}, {"host.example", -2, NULL},
    };
    for (size_t i = 0; i < sizeof bad_host / sizeof *bad_host; i++) {
        why[0] = '\0';
        assert_int_equal(rk_addr_check_host(bad_host[i].s, why, sizeof why), bad_host[i].r);
        if (bad_host[i].says) assert_non_null(strstr(why, bad_host[i].says));
    }
    static const char *const good_entry[] = {"outlook.office365.com", "*.office.com", "10.0.0.0/8",
                                             "2603:1006::/40", "0.0.0.0/0", "192.0.2.10/32"};
    for (size_t i = 0; i < sizeof good_entry / sizeof *good_entry; i++)
        assert_int_equal(rk_addr_check_entry(good_entry[i], 1, why, sizeof why), 0);
    assert_int_equal(rk_addr_check_entry("10.0.0.1/8", 1, why, sizeof why), -1);
    assert_non_null(strstr(why, "10.0.0.0/8"));
    assert_int_equal(rk_addr_check_entry("10.0.0.0/08", 1, why, sizeof why), -1);
    assert_int_equal(rk_addr_check_entry("10.0.0.0/33", 1, why, sizeof why), -1);
    assert_int_equal(rk_addr_check_entry("2001:db8::1/64", 1, why, sizeof why), -1);
    assert_int_equal(rk_addr_check_entry("*.office.com", 0, why, sizeof why), -2);
    assert_int_equal(rk_addr_check_entry("bad_label-.example", 1, why, sizeof why), -2);

    assert_true(rk_addr_same("2001:DB8::1", "2001:db8:0::1"));
    assert_false(rk_addr_same("2001:db8::1", "2001:db8::2"));
    assert_true(rk_addr_same("Outlook.Office365.com", "outlook.office365.com"));
    assert_false(rk_addr_same("10.0.0.0/8", "10.0.0.0/16"));
    assert_int_equal(rk_addr_family("2603:1006::/40"), RK_FAM_V6);
    assert_int_equal(rk_addr_family("40.96.0.0/13"), RK_FAM_V4);
    assert_int_equal(rk_addr_family("*.office.com"), RK_FAM_NAME);
    assert_int_equal(rk_family_of(RK_FAM_V4, RK_FAM_V6), 0);
    assert_int_equal(rk_family_of(RK_FAM_V6, RK_FAM_NAME), RK_FAM_NAME);
    assert_string_equal(rk_family_str(0), "none");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flows_by_family),
        cmocka_unit_test(test_probe_family),
        cmocka_unit_test(test_addresses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
