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

/* The fact file's description, as the renderer reads it (schemas/facts.schema.json). */
static rk_factschema *types;

static rk_facts *parse(const char *text, rk_diag *d, rk_warnings *w)
{
    memset(d, 0, sizeof(*d));
    return rk_facts_parse("f.json", text, strlen(text), types, d, w);
}

static int load_types(void **state)
{
    (void)state;
    const char *src = getenv("RK_SOURCE");
    char path[1024];
    snprintf(path, sizeof path, "%s/schemas/facts.schema.json", src ? src : ".");
    rk_diag d;
    memset(&d, 0, sizeof d);
    types = rk_factschema_load(path, &d);
    if (!types) fail_msg("%s: %s", path, d.msg);
    return 0;
}

static int free_types(void **state)
{
    (void)state;
    rk_factschema_free(types);
    return 0;
}

static void expect_error_at(const char *text, const char *needle, int line, int col)
{
    rk_diag d;
    rk_warnings w = {0};
    rk_facts *f = parse(text, &d, &w);
    if (f) fail_msg("accepted: %s", text);
    if (!strstr(d.msg, needle)) fail_msg("message '%s' lacks '%s'", d.msg, needle);
    if (line && d.line != line) fail_msg("line %d, expected %d (%s)", d.line, line, d.msg);
    if (col && d.col != col) fail_msg("column %d, expected %d (%s)", d.col, col, d.msg);
    assert_string_equal(d.file, "f.json");
    rk_warnings_free(&w);
}

static void expect_error(const char *text, const char *needle, int line)
{
    expect_error_at(text, needle, line, 0);
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
    expect_error(HEAD ",\"hardware\":{\"memory_bytes\":\"8 GB\"}}",
                 "'hardware.memory_bytes' is '8 GB'; expected an integer of at least 0", 0);
    expect_error(HEAD ",\"hardware\":{\"memory_bytes\":-1}}",
                 "'hardware.memory_bytes' is -1; expected an integer of at least 0", 0);
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

/* A fraction where the description says integer is refused, with the key path and the
 * line and column of the value. */
static void test_fractions(void **state)
{
    (void)state;
    expect_error_at(HEAD ",\n\"hardware\": {\n  \"cpu_cores\": 2.5\n}}",
                    "'hardware.cpu_cores' is 2.5; expected an integer", 3, 16);
    expect_error_at(HEAD ",\n\"probes\": [{\"to\": \"a\", \"protocol\": \"tcp\", \"port\": 443.9, "
                         "\"result\": \"open\"}]}",
                    "'probes[0].port' is 443.9; expected an integer from 1 to 65535", 2, 51);
}

/* Structural errors name line and column, like the YAML files. */
static void test_positions(void **state)
{
    (void)state;
    expect_error_at(HEAD ",\n\"os\": {\n  \"name\": \"a\",\n  \"name\": \"b\"}}",
                    "duplicate key 'os.name' (first at line 3)", 4, 3);
    /* cJSON reads any byte up to space as white space: a vertical tab must not put the
     * positions out of step (found by fuzz_facts) */
    expect_error_at(HEAD ",\n\"os\": {\n\v  \"build\": 1,\n  \"arch\": 5}}",
                    "'os.arch' is 5; expected a string", 4, 11);
    expect_error_at(HEAD ",\n\"settings\": {\"uac_enable_lua\": \"1\"}}",
                    "'settings.uac_enable_lua' is '1'; expected an integer from 0 to 4294967295 or null",
                    2, 32);
}

/* A registry QWORD beyond 2^53 under `collected` is kept, rounded, and said; anywhere
 * else such a number is refused. */
static void test_inexact_collected(void **state)
{
    (void)state;
    rk_diag d;
    rk_warnings w = {0};
    rk_facts *f = parse(HEAD ",\"collected\":{\"q\":18446744073709551615}}", &d, &w);
    assert_non_null(f);
    assert_int_equal(w.count, 1);
    assert_string_equal(w.items[0].key, "warn.number_inexact");
    assert_string_equal(w.items[0].args[1], "collected.q");
    rk_facts_free(f);
    rk_warnings_free(&w);
    expect_error(HEAD ",\"hardware\":{\"memory_bytes\":18446744073709551615}}", "beyond 2^53", 1);
}

/* Two keys that differ only in invalid bytes are the same key once replaced. */
static void test_duplicates_after_replacement(void **state)
{
    (void)state;
    expect_error_at(HEAD ",\"services\":{\"x\xff\":\"running\",\"x\xfe\":\"stopped\"}}",
                    "duplicate key 'services.x\xef\xbf\xbd'", 1, 0);
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
    assert_string_equal(w.items[0].file, "f.json");
    assert_string_equal(w.items[0].key, "warn.replaced_value");
    assert_int_equal(w.items[0].nargs, 2);
    assert_string_equal(w.items[0].args[1], "os.name");
    rk_facts_free(f);
    rk_warnings_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),          cmocka_unit_test(test_errors),
        cmocka_unit_test(test_fractions),     cmocka_unit_test(test_positions),
        cmocka_unit_test(test_duplicates_after_replacement),
        cmocka_unit_test(test_inexact_collected),
        cmocka_unit_test(test_sanitised_strings)};
    return cmocka_run_group_tests(tests, load_types, free_types);
}
