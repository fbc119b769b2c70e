/* test_plan.c - probe plans compared byte for byte with the files in
 * tests/firewall/golden (RK_UPDATE_GOLDEN=1 rewrites them, refused when CI is set), and
 * plans that must not carry a probe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "flows.h"
#include "host_plan.h"
#include "util.h"

static const fx_host inventory[] = {
    {"MIG01", "mig", "migration-server", "10.0.0.10", "mig01.fabrikam.example"},
    {"SQL01", "tgt", "sql-server", "10.2.0.30", "sql01.fabrikam.example"},
    {"SDC01", "src", "source-dc", "10.1.0.10", "sdc01.contoso.example"},
    {"SDC02", "src", "source-dc,source-dns", "10.1.0.11", "sdc02.contoso.example"},
    {"SEX01", "src", "source-exchange", "10.1.0.20", "sex01.contoso.example"},
    {"TDC01", "tgt", "target-dc,target-dns", NULL, "tdc01.fabrikam.example"},
    {"TEX01", "tgt", "target-exchange", "10.2.0.20", NULL},
    {"CAS01", "tgt", "target-cas", "10.2.0.21", NULL},
    {"SMTP01", "tgt", "target-smtp", NULL, NULL},
};

static char *plan_of(const rk_assessment *a, const char *host)
{
    FILE *fp = tmpfile();
    assert_non_null(fp);
    assert_int_equal(rk_plan_write(a, fx_host_index(a, host), fp), RK_OK);
    rewind(fp);
    rk_buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) rk_buf_add(&b, chunk, n);
    fclose(fp);
    return rk_buf_take(&b);
}

static void check_golden(const rk_assessment *a, const char *host, const char *file)
{
    char *got = plan_of(a, host);
    char *path = rk_xasprintf("%s/%s", RK_FW_GOLDEN_DIR, file);
    const char *update = getenv("RK_UPDATE_GOLDEN");
    const char *ci = getenv("CI");
    if (update && *update && ci && *ci)
        fail_msg("RK_UPDATE_GOLDEN is set and so is CI: golden files are never rewritten "
                 "in CI; regenerate them on a developer machine and review the diff");
    if (update && *update == '1') {
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        fputs(got, fp);
        assert_int_equal(fclose(fp), 0);
    }
    size_t len = 0;
    char *want = fx_read(path, &len);
    if (!want) fail_msg("missing golden file %s (RK_UPDATE_GOLDEN=1 writes it)", path);
    if (len != strlen(got) || memcmp(want, got, len) != 0) {
        fprintf(stderr, "--- %s\n+++ produced\n%s", path, got);
        fail_msg("plan of %s differs from %s", host, path);
    }
    free(want);
    free(path);
    free(got);
}

/* A target a plan line can carry: not empty, no blank or control character, not "#". */
static int usable(const char *t)
{
    if (!*t || *t == '#') return 0;
    for (; *t; t++)
        if ((unsigned char)*t <= ' ') return 0;
    return 1;
}

/* Every line is a comment or exactly four fields: tcp, a port, a target, a flow id of a
 * probeable flow starting at the host; every probeable flow with a usable target is
 * there. */
static void check_shape(const rk_assessment *a, const char *host)
{
    char *plan = plan_of(a, host);
    size_t h = fx_host_index(a, host), probes = 0, expected = 0;
    for (size_t i = 0; i < a->nflows; i++)
        expected += a->flows[i].from_host == h && rk_flows_probeable(&a->flows[i]) &&
                    usable(rk_end_target(&a->ends[a->flows[i].to_host]));
    char *save = NULL;
    for (char *line = strtok_r(plan, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#') continue;
        char proto[8], target[256], id[32], extra[8];
        int port;
        assert_int_equal(sscanf(line, "%7s %d %255s %31s %7s", proto, &port, target, id, extra), 4);
        assert_string_equal(proto, "tcp");
        size_t f = 0;
        while (f < a->nflows && strcmp(a->flows[f].id, id) != 0) f++;
        assert_true(f < a->nflows);
        assert_int_equal(a->flows[f].from_host, h);
        assert_true(rk_flows_probeable(&a->flows[f]));
        assert_int_equal(a->flows[f].port_from, port);
        assert_string_equal(target, rk_end_target(&a->ends[a->flows[f].to_host]));
        probes++;
    }
    assert_int_equal(probes, expected);
    free(plan);
}

static void test_golden(void **state)
{
    (void)state;
    rk_assessment *a = fx_seed_assessment(inventory, sizeof inventory / sizeof inventory[0], 1);
    rk_flows_expand(a);
    rk_flows_rules(a);
    /* the migration server: probes to addresses and to an FQDN, UDP and dynamic
     * flows as comments */
    check_golden(a, "MIG01", "mig01.plan");
    /* the SQL server: TCP probes, UDP and 49152-65535 as comments */
    check_golden(a, "SQL01", "sql01.plan");
    /* a source Exchange server: a dynamic 1024-65535 range listed, not probed */
    check_golden(a, "SEX01", "sex01.plan");
    /* a host from which no flow starts */
    check_golden(a, "CAS01", "cas01.plan");
    for (size_t i = 0; i < sizeof inventory / sizeof inventory[0]; i++)
        check_shape(a, inventory[i].name);
    fx_free(a);
}

/* No text of the project can add a line to the plan, a destination without a usable
 * address is listed as a comment, and a host outside the project is refused. */
static void test_hostile_text(void **state)
{
    (void)state;
    static const fx_host h[] = {
        {"MIG01", "mig", "migration-server", "10.0.0.10", NULL},
        {"SDC01", "src", "source-dc", "10.1.0.10 #x", NULL},
        {"TDC01", "tgt", "target-dc", NULL, NULL},
    };
    rk_assessment *a = fx_seed_assessment(h, 3, 0);
    free(a->project->customer);
    a->project->customer = rk_xstrdup("Contoso\ntcp 445 10.6.6.6 F0001\r\n");
    free(a->project->assessment_id);
    a->project->assessment_id = rk_xstrdup("A\rB");
    free(a->project->hosts[2].name);
    a->project->hosts[2].name = rk_xstrdup("#TDC01");
    rk_flows_expand(a);
    char *plan = plan_of(a, "MIG01");
    assert_null(strstr(plan, "\ntcp 445 10.6.6.6"));
    assert_null(strstr(plan, "\r"));
    assert_null(strstr(plan, "\ntcp 25 10.1.0.10"));
    assert_non_null(strstr(plan, "# tcp 25 10.1.0.10 #x F0001 (no address or name a connect can reach)"));
    assert_null(strstr(plan, "\ntcp 80 #TDC01"));
    assert_non_null(strstr(plan, "# tcp 80 #TDC01 "));
    free(plan);
    check_shape(a, "MIG01");

    FILE *fp = tmpfile();
    assert_int_equal(rk_plan_write(a, 3, fp), RK_USAGE);
    fclose(fp);
    fx_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_hostile_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
