/* test_plan.c - unit tests for the probe plan parser: accepted forms, golden errors, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan.h"

static int parse(const char *s, size_t n, rkc_plan *p, char *err)
{
    return rkc_plan_parse(s, n, p, err, 512);
}

static void accepts_a_readykit_plan(void **state)
{
    (void)state;
    const char *s = "\xEF\xBB\xBF# readykit probe plan\r\n"
                    "# PROTOCOL PORT ADDRESS-OR-NAME FLOW-ID\r\n"
                    "\r\n"
                    "tcp 25 10.1.0.10 F0001\r\n"
                    "  TCP\t443\t  exch01.contoso.local   row12-mig/exch\n"
                    "Udp 1434 sql01 F0009\n"
                    "tcp 65535 fe80::1%eth0 F(1)\n"
                    "   # indented comment\n"
                    "tcp 1 ::1 a@b=c+d:e_f.g"; /* no final newline */
    rkc_plan p;
    char err[512];
    assert_int_equal(parse(s, strlen(s), &p, err), 0);
    assert_string_equal(err, "");
    assert_int_equal(p.nprobes, 5);
    assert_int_equal(p.probes[0].proto, RKC_TCP);
    assert_int_equal(p.probes[0].port, 25);
    assert_string_equal(p.probes[0].host, "10.1.0.10");
    assert_string_equal(p.probes[0].flow, "F0001");
    assert_int_equal(p.probes[0].line, 4);
    assert_string_equal(p.probes[1].host, "exch01.contoso.local");
    assert_string_equal(p.probes[1].flow, "row12-mig/exch");
    assert_int_equal(p.probes[2].proto, RKC_UDP);
    assert_int_equal(p.probes[3].port, 65535);
    assert_string_equal(p.probes[3].host, "fe80::1%eth0");
    assert_int_equal(p.probes[4].line, 9);
    assert_string_equal(p.probes[4].flow, "a@b=c+d:e_f.g");
    rkc_plan_free(&p);
    rkc_plan_free(&p); /* freeing an empty plan is a no-op */
}

static void empty_plans_are_valid(void **state)
{
    (void)state;
    rkc_plan p;
    char err[512];
    assert_int_equal(parse("", 0, &p, err), 0);
    assert_int_equal(p.nprobes, 0);
    assert_int_equal(parse("# only comments\n\n  \t\n", 20, &p, err), 0);
    assert_int_equal(p.nprobes, 0);
    rkc_plan_free(&p);
}

/* Golden errors: the line and message the user sees after "PLAN:". */
static const struct {
    const char *plan;
    int line;
    const char *err;
} bad[] = {
    {"tcp 0 h F\n", 1, "1: bad port '0' (expected a number from 1 to 65535)"},
    {"tcp 65536 h F\n", 1, "1: bad port '65536' (expected a number from 1 to 65535)"},
    {"tcp 080x h F\n", 1, "1: bad port '080x' (expected a number from 1 to 65535)"},
    {"tcp +80 h F\n", 1, "1: bad port '+80' (expected a number from 1 to 65535)"},
    {"tcp 000000080 h F\n", 1, "1: bad port '000000080' (expected a number from 1 to 65535)"},
    {"icmp 80 h F\n", 1, "1: unknown protocol 'icmp' (expected tcp or udp)"},
    {"tcp/udp 80 h F\n", 1, "1: unknown protocol 'tcp/udp' (expected tcp or udp)"},
    {"tcp 80 h\n", 1, "1: too few fields (expected PROTOCOL PORT ADDRESS-OR-NAME FLOW-ID)"},
    {"tcp 80 h F extra\n", 1, "1: too many fields (expected PROTOCOL PORT ADDRESS-OR-NAME FLOW-ID)"},
    {"tcp 80 h F # comment\n", 1, "1: too many fields (expected PROTOCOL PORT ADDRESS-OR-NAME FLOW-ID)"},
    {"tcp 80 -oProxyCommand F\n", 1,
     "1: bad address or name '-oProxyCommand' (expected an IPv4 or IPv6 address or a DNS name of "
     "at most 253 characters: letters, digits, . - _ : %)"},
    {"tcp 80 h\"x F\n", 1,
     "1: bad address or name 'h\"x' (expected an IPv4 or IPv6 address or a DNS name of at most "
     "253 characters: letters, digits, . - _ : %)"},
    {"tcp 80 h F;rm\n", 1,
     "1: bad flow id 'F;rm' (expected at most 128 characters: letters, digits, . - _ : / + = @ ( ))"},
    {"tcp 80 h \xC3\xA9t\xC3\xA9\n", 1,
     "1: bad flow id '?\?t?\?' (expected at most 128 characters: letters, digits, . - _ : / + = @ ( ))"},
    {"# c\n\ntcp 80 h F\nudp x h F\n", 4, "4: bad port 'x' (expected a number from 1 to 65535)"},
    {"tcp 80 h F\ntcp 8\r0 h F\n", 2, "2: control character in line (expected plain text)"},
    {"tcp 80 h F\n\n# x\0y\n", 3, "3: control character in line (expected plain text)"},
};

static void golden_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        rkc_plan p;
        char err[512];
        size_t n = strlen(bad[i].plan);
        if (i == sizeof bad / sizeof *bad - 1)
            n = 17; /* the embedded NUL */
        int rc = parse(bad[i].plan, n, &p, err);
        if (rc != bad[i].line || strcmp(err, bad[i].err) != 0)
            fail_msg("case %lu: got %d '%s', want %d '%s'", (unsigned long)i, rc, err,
                     bad[i].line, bad[i].err);
        assert_null(p.probes);
        assert_int_equal(p.nprobes, 0);
    }
}

static void limits(void **state)
{
    (void)state;
    rkc_plan p;
    char err[512];
    /* a long line */
    char *s = malloc(RKC_PLAN_MAX_BYTES + 2);
    memset(s, 'a', RKC_PLAN_MAX_LINE + 1);
    memcpy(s, "# ", 2);
    assert_int_equal(parse(s, RKC_PLAN_MAX_LINE, &p, err), 0); /* exactly the limit */
    assert_int_equal(parse(s, RKC_PLAN_MAX_LINE + 1, &p, err), 1);
    assert_string_equal(err, "1: line is longer than 1024 bytes (expected one short probe line)");
    /* a long name */
    snprintf(s, 600, "tcp 1 %0254d F\n", 0);
    assert_int_equal(parse(s, strlen(s), &p, err), 1);
    /* too many probes */
    size_t off = 0;
    for (int i = 0; i <= RKC_PLAN_MAX_PROBES; i++)
        off += (size_t)sprintf(s + off, "tcp 1 h F%d\n", i);
    assert_int_equal(parse(s, off, &p, err), RKC_PLAN_MAX_PROBES + 1);
    assert_string_equal(err, "4097: too many probes (expected at most 4096)");
    off -= strlen("tcp 1 h F4096\n");
    assert_int_equal(parse(s, off, &p, err), 0);
    assert_int_equal(p.nprobes, RKC_PLAN_MAX_PROBES);
    rkc_plan_free(&p);
    /* too many lines */
    memset(s, '\n', RKC_PLAN_MAX_LINES + 1);
    assert_int_equal(parse(s, RKC_PLAN_MAX_LINES, &p, err), 0);
    assert_int_equal(parse(s, RKC_PLAN_MAX_LINES + 1, &p, err), RKC_PLAN_MAX_LINES + 1);
    assert_string_equal(err, "20001: too many lines (expected at most 20000)");
    /* too large */
    memset(s, '#', RKC_PLAN_MAX_BYTES + 1);
    assert_int_equal(parse(s, RKC_PLAN_MAX_BYTES + 1, &p, err), 1);
    assert_string_equal(err, "1: plan is larger than 1048576 bytes (expected a plan from readykit plan)");
    free(s);
}

/* UTF-16 with a byte-order mark (what PowerShell 5.1's `>` writes) is read as text. */
static size_t utf16(const char *ascii, int le, char *out)
{
    size_t n = 0;
    out[n++] = le ? '\xFF' : '\xFE';
    out[n++] = le ? '\xFE' : '\xFF';
    for (const char *c = ascii; *c; c++) {
        out[n++] = le ? *c : 0;
        out[n++] = le ? 0 : *c;
    }
    return n;
}

static void accepts_utf16_with_bom(void **state)
{
    (void)state;
    char buf[256], err[512];
    rkc_plan p;
    for (int le = 0; le < 2; le++) {
        size_t n = utf16("# plan\r\ntcp 443 10.0.0.1 F1\r\nudp 53 dns F2\r\n", le, buf);
        assert_int_equal(parse(buf, n, &p, err), 0);
        assert_int_equal(p.nprobes, 2);
        assert_string_equal(p.probes[0].host, "10.0.0.1");
        assert_int_equal(p.probes[1].line, 3);
        rkc_plan_free(&p);
        n = utf16("# plan\r\n\r\ntcp 0 h F\r\n", le, buf);
        assert_int_equal(parse(buf, n, &p, err), 3);
        assert_string_equal(err, "3: bad port '0' (expected a number from 1 to 65535)");
        assert_int_equal(parse(buf, n - 1, &p, err), 1);
        assert_string_equal(err, "1: UTF-16 text with an odd number of bytes (expected a plan "
                                 "from readykit plan, saved as UTF-8 or UTF-16)");
    }
    /* a UTF-16 NUL is a control character, as in UTF-8 */
    memcpy(buf, "\xFF\xFEt\0c\0p\0 \0\0\0", 12);
    assert_int_equal(parse(buf, 12, &p, err), 1);
    assert_string_equal(err, "1: control character in line (expected plain text)");
}

/* Random and mutated input never crashes (run under the sanitizers) and either parses
 * or names a line within the input. */
static void survives_garbage(void **state)
{
    (void)state;
    const char *seed = "tcp 25 10.1.0.10 F1\n# c\nudp 53 dns F2\n";
    char buf[256];
    unsigned x = 12345;
    for (int round = 0; round < 20000; round++) {
        size_t n = strlen(seed);
        memcpy(buf, seed, n);
        for (int k = 0; k < 4; k++) {
            x = x * 1103515245u + 12345u;
            buf[(x >> 8) % n] = (char)(x >> 16);
        }
        rkc_plan p;
        char err[64]; /* short: messages are cut, never overflow */
        int rc = rkc_plan_parse(buf, n, &p, err, sizeof err);
        assert_true(rc >= 0 && rc <= 4);
        rkc_plan_free(&p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_a_readykit_plan),
        cmocka_unit_test(empty_plans_are_valid),
        cmocka_unit_test(golden_errors),
        cmocka_unit_test(limits),
        cmocka_unit_test(accepts_utf16_with_bom),
        cmocka_unit_test(survives_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
