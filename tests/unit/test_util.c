/* test_util.c - unit tests of versions, globs, dates, UTF-8 and hashing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "util.h"

static void test_version_cmp(void **state)
{
    (void)state;
    assert_int_equal(rk_version_cmp("15.2.330.5", "15.2.330.5"), 0);
    assert_true(rk_version_cmp("15.2.330.4", "15.2.330.5") < 0);
    assert_true(rk_version_cmp("15.2.330.6", "15.2.330.5") > 0);
    assert_true(rk_version_cmp("15.2.1118.7", "15.2.330.5") > 0); /* numeric, not text */
    assert_true(rk_version_cmp("13.0.5026.0", "13.0.5216.0") < 0);
    assert_true(rk_version_cmp("14.0.3038.14", "14.0.3038.2") > 0);
    assert_int_equal(rk_version_cmp("16.0", "16.0.0.0"), 0);
    assert_true(rk_version_cmp("16", "16.0.1") < 0);
    assert_int_equal(rk_version_cmp("007.1", "7.1"), 0);
    /* one parser for comparison and prefixes: leading zeros never change a result */
    assert_int_equal(rk_version_cmp("15.02.1544.004", "15.2.1544.4"), 0);
    assert_true(rk_version_has_prefix("15.02.1544.004", "15.2"));
    assert_true(rk_version_has_prefix("15.2.1544.4", "15.02"));
    assert_true(rk_version_has_prefix("15.2", "15.2"));
    assert_false(rk_version_has_prefix("15.20.1.1", "15.2"));
    assert_false(rk_version_has_prefix("15", "15.2"));
    assert_true(rk_version_has_prefix("15.0.000", "15.0.0"));
    assert_true(rk_version_valid("15.02.1544.004"));
    assert_false(rk_version_valid("15..2"));
    assert_false(rk_version_valid("15.2."));
    assert_false(rk_version_valid("v15"));
}

static void test_glob(void **state)
{
    (void)state;
    assert_true(rk_glob("*Server 2019*", "Windows Server 2019 Datacenter", 1));
    assert_false(rk_glob("*Server 2019*", "Windows Server 2016 Standard", 1));
    assert_true(rk_glob("wrk*", "WRK01", 1));
    assert_false(rk_glob("wrk*", "WRK01", 0));
    assert_true(rk_glob("ex??", "ex13", 0));
    assert_false(rk_glob("ex??", "ex131", 0));
    assert_true(rk_glob("*", "", 0));
    assert_true(rk_glob("a*b*c", "axxbyyc", 0));
    /* no exponential blow-up on many stars */
    assert_false(rk_glob("*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0));
}

static void test_dates(void **state)
{
    (void)state;
    int64_t t;
    assert_int_equal(rk_parse_date("1970-01-01", &t), 0);
    assert_int_equal(t, 0);
    assert_int_equal(rk_parse_date("2026-11-20T09:14:03Z", &t), 0);
    assert_int_equal(t, 1795166043);
    char d[11], dt[21];
    rk_format_date(t, d);
    assert_string_equal(d, "2026-11-20");
    rk_format_datetime(t, dt);
    assert_string_equal(dt, "2026-11-20T09:14:03Z");
    assert_int_equal(rk_parse_date("2026-11-20T10:14:03+01:00", &t), 0);
    assert_int_equal(t, 1795166043);
    assert_int_equal(rk_parse_date("2024-02-29", &t), 0);
    assert_int_not_equal(rk_parse_date("2023-02-29", &t), 0);
    assert_int_not_equal(rk_parse_date("2026-13-01", &t), 0);
    assert_int_not_equal(rk_parse_date("2026-11-20T25:00:00Z", &t), 0);
    assert_int_not_equal(rk_parse_date("2026-11-20 junk", &t), 0);
    assert_int_not_equal(rk_parse_date("20261120", &t), 0);
}

static void test_utf8(void **state)
{
    (void)state;
    size_t bad = 0;
    assert_true(rk_utf8_valid("Z\xc3\xbcrich \xd0\x9c", 10, &bad));
    assert_false(rk_utf8_valid("ab\xc3", 3, &bad));
    assert_int_equal(bad, 2);
    assert_false(rk_utf8_valid("\xc0\xaf", 2, &bad));         /* overlong */
    assert_false(rk_utf8_valid("\xed\xa0\x80", 3, &bad));     /* surrogate */
    int changed = 0;
    char *s = rk_utf8_sanitize("ok\x01\xff", 0, &changed);
    assert_true(changed);
    assert_string_equal(s, "ok\xef\xbf\xbd\xef\xbf\xbd");
    free(s);
    s = rk_utf8_sanitize("line\nnext", 1, &changed);
    assert_false(changed);
    free(s);
}

static void test_text_normalise(void **state)
{
    (void)state;
    /* UTF-16LE with BOM: "{}" */
    char *b = malloc(7);
    memcpy(b, "\xff\xfe{\0}\0", 6);
    b[6] = 0;
    size_t n = 6;
    assert_int_equal(rk_text_normalise(&b, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(b, "{}");
    free(b);
    b = malloc(6);
    memcpy(b, "\xef\xbb\xbf{}", 6);
    n = 5;
    assert_int_equal(rk_text_normalise(&b, &n), 0);
    assert_string_equal(b, "{}");
    free(b);
}

static void test_sha256(void **state)
{
    (void)state;
    char h[65];
    rk_sha256_hex("abc", 3, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* An empty file reads as "" with length 0: the buffer is terminated although nothing
 * was added to it (run with MALLOC_PERTURB_, so fresh memory is never zero by luck). */
static void test_read_empty(void **state)
{
    (void)state;
    char path[] = "/tmp/rk-test-empty-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char *data = NULL;
    size_t len = 99;
    char err[256];
    assert_int_equal(rk_read_file(path, 1024, &data, &len, err, sizeof err), 0);
    unlink(path);
    assert_int_equal(len, 0);
    assert_non_null(data);
    assert_int_equal(data[0], '\0');
    free(data);
}

static void test_bytes(void **state)
{
    (void)state;
    char b[32];
    rk_format_bytes(8589934592.0, b, sizeof b);
    assert_string_equal(b, "8.0 GiB");
    rk_format_bytes(512, b, sizeof b);
    assert_string_equal(b, "512 bytes");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_cmp), cmocka_unit_test(test_glob),
        cmocka_unit_test(test_dates),       cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_text_normalise), cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_bytes),       cmocka_unit_test(test_read_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
