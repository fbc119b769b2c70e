/* test_match.c - unit tests for program-item matching: DisplayName globs and version order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "match.h"

/* ASCII (and a few explicit code units) to UTF-16 for the cases below. */
static size_t u16(const char *s, uint16_t *out)
{
    size_t n = 0;
    for (; *s; s++)
        out[n++] = (unsigned char)*s;
    return n;
}

static int glob(const char *pat, const char *s)
{
    uint16_t p[256], t[256];
    size_t pn = u16(pat, p), tn = u16(s, t);
    return rkc_glob_match16(p, pn, t, tn);
}

static void globs(void **state)
{
    (void)state;
    static const struct { const char *pat, *s; int want; } cases[] = {
        {"MICROSOFT VISUAL C++ 2013 X64 MINIMUM RUNTIME*",
         "MICROSOFT VISUAL C++ 2013 X64 MINIMUM RUNTIME - 12.0.21005", 1},
        {"MICROSOFT VISUAL C++ 2013 X64 MINIMUM RUNTIME*",
         "MICROSOFT VISUAL C++ 2013 X64 ADDITIONAL RUNTIME - 12.0.21005", 0},
        {"LEGACY TOOL", "LEGACY TOOL", 1},
        {"LEGACY TOOL", "LEGACY TOOL (X86)", 0},    /* no wildcard: the whole name */
        {"LEGACY TOOL", "OLD LEGACY TOOL", 0},
        {"*TOOL*", "OLD LEGACY TOOL (X86)", 1},
        {"*", "", 1},
        {"*", "ANYTHING", 1},
        {"", "", 1},
        {"", "X", 0},
        {"?", "", 0},
        {"?", "X", 1},
        {"??", "X", 0},
        {"A?C", "ABC", 1},
        {"A?C", "AC", 0},
        {"A*B*C", "AXXBYYC", 1},
        {"A*B*C", "AXXBYY", 0},
        {"*AB", "AAB", 1},                           /* needs the star to back-track */
        {"*A*A*A*A*A*B", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0},
        {"**X", "X", 1},
        {"X*", "X", 1},
        {"[X]", "X", 0},                             /* no character classes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (glob(cases[i].pat, cases[i].s) != cases[i].want)
            fail_msg("case %lu: '%s' on '%s' should be %d", (unsigned long)i, cases[i].pat,
                     cases[i].s, cases[i].want);
}

/* '?' takes a whole surrogate pair; other non-ASCII code units match themselves. */
static void globs_beyond_ascii(void **state)
{
    (void)state;
    const uint16_t pat1[] = {'A', '?', 'B'};
    const uint16_t pair[] = {'A', 0xD83D, 0xDE00, 'B'};
    assert_true(rkc_glob_match16(pat1, 3, pair, 4));
    const uint16_t pat2[] = {'A', '?', '?', 'B'};
    assert_false(rkc_glob_match16(pat2, 4, pair, 4));
    const uint16_t pat3[] = {'*', 0xDE00, 'B'};     /* '*' never stops inside a pair */
    assert_false(rkc_glob_match16(pat3, 3, pair, 4));
    const uint16_t pat4[] = {'A', 0xD83D, 0xDE00, '*'};
    assert_true(rkc_glob_match16(pat4, 4, pair, 4));
    const uint16_t mueller_pat[] = {'M', 0xDC, 'L', 'L', 'E', 'R', '*'};
    const uint16_t mueller[] = {'M', 0xDC, 'L', 'L', 'E', 'R', ' ', 'Z'};
    const uint16_t muller[] = {'M', 'U', 'L', 'L', 'E', 'R', ' ', 'Z'};
    assert_true(rkc_glob_match16(mueller_pat, 7, mueller, 8));
    assert_false(rkc_glob_match16(mueller_pat, 7, muller, 8));
}

static void versions(void **state)
{
    (void)state;
    assert_true(rkc_version_cmp("9.8", "10.2") < 0);   /* numbers, not text */
    assert_true(rkc_version_cmp("12.0.9", "12.0.10") < 0);
    assert_true(rkc_version_cmp("12.0.21005", "12.0.21005") == 0);
    assert_true(rkc_version_cmp("1.02", "1.2") == 0);  /* leading zeros do not count */
    assert_true(rkc_version_cmp("1.2", "1.2.1") < 0);
    assert_true(rkc_version_cmp("1.2a", "1.2b") < 0);
    assert_true(rkc_version_cmp("2", "10") < 0);
    assert_true(rkc_version_cmp("99999999999999999999999", "100000000000000000000000") < 0);
    assert_true(rkc_version_cmp("1.0", NULL) < 0);     /* a missing version sorts last */
    assert_true(rkc_version_cmp(NULL, "1.0") > 0);
    assert_true(rkc_version_cmp(NULL, NULL) == 0);
    assert_true(rkc_version_cmp("", "0") < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(globs),
        cmocka_unit_test(globs_beyond_ascii),
        cmocka_unit_test(versions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
