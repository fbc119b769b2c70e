/* test_facts.c - the fact-file loader on good, odd and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "facts.h"
#include "util.h"

#define HEAD "{\"format\":\"readykit-facts/1\",\"collector\":{\"name\":\"readykit-collect\",\"version\":\"0.1.0\"," \
             "\"platform\":\"windows\"},\"collected_at\":\"2026-11-20T09:00:00Z\",\"host\":{\"name\":\"H1\"}"

static rk_facts *parse(const char *text, rk_diag *d, rk_warnings *w)
{
    memset(d, 0, sizeof(*d));
    return rk_facts_parse("f.json", text, strlen(text), d, w);
}

static void expect_error(const char *text, const char *needle, int line)
{
    rk_diag d;
    rk_warnings w = {0};
    rk_facts *f = parse(text, &d, &w);
    if (f) fail_msg("accepted: %s", text);
    if (!strstr(d.msg, needle)) fail_msg("message '%s' lacks '%s'", d.msg, needle);
    if (line && d.line != line) fail_msg("line %d, expected %d (%s)", d.line, line, d.msg);
    assert_string_equal(d.file, "f.json");
    rk_warnings_free(&w);
}

static void test_good(void **state)
{
    (void)state;
    rk_diag d;
    rk_warnings w = {0};
    rk_facts *f = parse(HEAD ",\"hardware\":{\"memory_bytes\":8589934592},\"probes\":[{\"to\":\"DC1\",\"protocol\":"
                        "\"tcp\",\"port\":389,\"result\":\"open\",\"ms\":2,\"flow\":\"F0001\"}]}",
                        &d, &w);
    assert_non_null(f);
    assert_string_equal(f->host_name, "H1");
    assert_int_equal(f->nprobes, 1);
    assert_int_equal(f->probes[0].port, 389);
    const cJSON *m = rk_facts_get(f->root, "hardware.memory_bytes");
    assert_true(cJSON_IsNumber(m));
    assert_null(rk_facts_get(f->root, "hardware.cpu_cores"));
    assert_int_equal(w.count, 0);
    rk_facts_free(f);
    rk_warnings_free(&w);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("", "empty", 0);
    expect_error("{\"format\":\n\"readykit-facts/1\",\n\"x\": [1, 2", "ends too early", 3);
    expect_error("[]", "expected a JSON object", 0);
    expect_error("{\"format\":\"readykit-facts/2\"}", "unknown format", 0);
    expect_error("{\"collector\":{}}", "missing required key 'format'", 0);
    expect_error(HEAD ",\"hardware\":{\"memory_bytes\":\"8 GB\"}}", "'hardware.memory_bytes' is a string", 0);
    expect_error(HEAD ",\"hardware\":{\"memory_bytes\":-1}}", "below zero", 0);
    expect_error(HEAD ",\"hardware\":{\"memory_bytes\":1e999}}", "too large", 0);
    expect_error(HEAD ",\"os\":{\"name\":\"a\",\"name\":\"b\"}}", "duplicate key 'os.name'", 0);
    expect_error(HEAD ",\"os\":{\"name\":\"a\\u0000b\"}}", "\\u0000", 1);
    expect_error(HEAD ",\"x\":1} trailing", "invalid JSON", 1);
    expect_error("{\"format\":\"readykit-facts/1\",\"collector\":{\"name\":\"c\",\"version\":\"1\",\"platform\":\"p\"},"
                 "\"collected_at\":\"yesterday\",\"host\":{\"name\":\"H1\"}}",
                 "collected_at", 0);
    rk_buf deep = {0};
    rk_buf_puts(&deep, HEAD ",\"x\":");
    for (int i = 0; i < 5000; i++) rk_buf_puts(&deep, "[");
    expect_error(deep.data, "nested more than", 1);
    rk_buf_free(&deep);
}

static void test_sanitised_strings(void **state)
{
    (void)state;
    rk_diag d;
    rk_warnings w = {0};
    rk_facts *f = parse(HEAD ",\"os\":{\"name\":\"Win\\u0007dows \xff Server\"}}", &d, &w);
    assert_non_null(f);
    const cJSON *n = rk_facts_get(f->root, "os.name");
    assert_string_equal(n->valuestring, "Win\xef\xbf\xbd" "dows \xef\xbf\xbd Server");
    assert_int_equal(w.count, 1);
    assert_non_null(strstr(w.items[0], "f.json"));
    assert_non_null(strstr(w.items[0], "'os.name'"));
    rk_facts_free(f);
    rk_warnings_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_good), cmocka_unit_test(test_errors),
                                       cmocka_unit_test(test_sanitised_strings)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
