/* test_json.c - unit tests for the collector's JSON writer, UTF-8 repair and fact emitter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emit.h"
#include "json.h"

/* Escapes n bytes of in and compares with want; returns the replacement count. */
static size_t esc(const char *in, size_t n, const char *want)
{
    rkc_buf b = {0};
    size_t r = rkc_json_escape(&b, in, n);
    assert_string_equal(b.data ? b.data : "", want);
    rkc_buf_free(&b);
    return r;
}

#define FFFD "\xEF\xBF\xBD"

static void escape_plain_and_specials(void **state)
{
    (void)state;
    assert_int_equal(esc("hello", 5, "hello"), 0);
    esc("", 0, "");
    esc("a\"b\\c/d", 7, "a\\\"b\\\\c/d");
    esc("\n\r\t\b\f", 5, "\\n\\r\\t\\b\\f");
    esc("\x01\x1f\x7f", 3, "\\u0001\\u001f\\u007f");
    esc("CONTOSO\\Domain Users", 20, "CONTOSO\\\\Domain Users");
}

static void escape_valid_utf8_passes(void **state)
{
    (void)state;
    /* é (2 bytes), € (3), U+10FFFF (4), U+FFFD itself, ü in Zürich */
    const char *s = "\xC3\xA9\xE2\x82\xAC\xF4\x8F\xBF\xBF" FFFD "Z\xC3\xBCrich";
    assert_int_equal(esc(s, strlen(s), s), 0);
    /* the smallest forms just above the overlong ranges */
    esc("\xC2\x80\xE0\xA0\x80\xF0\x90\x80\x80", 9, "\xC2\x80\xE0\xA0\x80\xF0\x90\x80\x80");
}

static void escape_invalid_utf8_replaced(void **state)
{
    (void)state;
    assert_int_equal(esc("\x80", 1, FFFD), 1);                 /* stray continuation */
    assert_int_equal(esc("\xC0\x80", 2, FFFD FFFD), 2);        /* overlong NUL */
    assert_int_equal(esc("\xC1\xBF", 2, FFFD FFFD), 2);        /* overlong */
    assert_int_equal(esc("\xE0\x80\x80", 3, FFFD FFFD FFFD), 3); /* overlong 3-byte */
    assert_int_equal(esc("\xED\xA0\x80", 3, FFFD FFFD FFFD), 3); /* UTF-16 surrogate */
    assert_int_equal(esc("\xF4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD), 4); /* > U+10FFFF */
    assert_int_equal(esc("\xF5\xFF\xFE", 3, FFFD FFFD FFFD), 3);
    assert_int_equal(esc("\xE2\x82", 2, FFFD), 1);             /* truncated at the end */
    assert_int_equal(esc("\xE2\x82" "A", 3, FFFD "A"), 1);     /* truncated mid-string */
    assert_int_equal(esc("\xF0\x9F\x98", 3, FFFD), 1);         /* truncated 4-byte */
    assert_int_equal(esc("a\0b", 3, "a" FFFD "b"), 1);         /* NUL is never written */
    /* Latin-1 text as Windows might hand it over */
    assert_int_equal(esc("Z\xFCrich", 6, "Z" FFFD "rich"), 1);
}

static const char *finish(rkc_json *j)
{
    const char *t = NULL;
    size_t n = 0;
    assert_int_equal(rkc_json_finish(j, &t, &n), 0);
    assert_int_equal(strlen(t), n);
    return t;
}

static void writer_compact_document(void **state)
{
    (void)state;
    rkc_json j;
    rkc_json_init(&j, 0);
    rkc_json_begin_object(&j);
    rkc_json_key(&j, "s");
    rkc_json_string(&j, "x\"y");
    rkc_json_key(&j, "n");
    rkc_json_null(&j);
    rkc_json_key(&j, "null_string");
    rkc_json_string(&j, NULL);
    rkc_json_key(&j, "a");
    rkc_json_begin_array(&j);
    rkc_json_uint(&j, 4294967295u);
    rkc_json_uint(&j, UINT64_MAX);
    rkc_json_int(&j, INT64_MIN);
    rkc_json_int(&j, 0);
    rkc_json_bool(&j, 1);
    rkc_json_bool(&j, 0);
    rkc_json_begin_object(&j);
    rkc_json_end_object(&j);
    rkc_json_begin_array(&j);
    rkc_json_end_array(&j);
    rkc_json_end_array(&j);
    rkc_json_end_object(&j);
    assert_string_equal(finish(&j),
                        "{\"s\":\"x\\\"y\",\"n\":null,\"null_string\":null,\"a\":[4294967295,"
                        "18446744073709551615,-9223372036854775808,0,true,false,{},[]]}\n");
    rkc_json_free(&j);
}

static void writer_indented_document(void **state)
{
    (void)state;
    rkc_json j;
    rkc_json_init(&j, 2);
    rkc_json_begin_object(&j);
    rkc_json_key(&j, "k");
    rkc_json_begin_array(&j);
    rkc_json_string(&j, "v");
    rkc_json_end_array(&j);
    rkc_json_key(&j, "e");
    rkc_json_begin_object(&j);
    rkc_json_end_object(&j);
    rkc_json_end_object(&j);
    assert_string_equal(finish(&j), "{\n  \"k\": [\n    \"v\"\n  ],\n  \"e\": {}\n}\n");
    rkc_json_free(&j);
}

static void writer_refuses_misuse(void **state)
{
    (void)state;
    const char *t;
    size_t n;
    rkc_json j;

    rkc_json_init(&j, 0); /* a value without a key inside an object */
    rkc_json_begin_object(&j);
    rkc_json_string(&j, "v");
    rkc_json_end_object(&j);
    assert_int_equal(rkc_json_finish(&j, &t, &n), -1);
    rkc_json_free(&j);

    rkc_json_init(&j, 0); /* not closed */
    rkc_json_begin_object(&j);
    assert_int_equal(rkc_json_finish(&j, &t, &n), -1);
    rkc_json_free(&j);

    rkc_json_init(&j, 0); /* wrong closer */
    rkc_json_begin_object(&j);
    rkc_json_end_array(&j);
    assert_int_equal(rkc_json_finish(&j, &t, &n), -1);
    rkc_json_free(&j);

    rkc_json_init(&j, 0); /* a key without its value */
    rkc_json_begin_object(&j);
    rkc_json_key(&j, "k");
    rkc_json_end_object(&j);
    assert_int_equal(rkc_json_finish(&j, &t, &n), -1);
    rkc_json_free(&j);

    rkc_json_init(&j, 0); /* two top-level values */
    rkc_json_null(&j);
    rkc_json_null(&j);
    assert_int_equal(rkc_json_finish(&j, &t, &n), -1);
    rkc_json_free(&j);

    rkc_json_init(&j, 0); /* too deep */
    for (int i = 0; i < RKC_JSON_MAX_DEPTH + 1; i++)
        rkc_json_begin_array(&j);
    for (int i = 0; i < RKC_JSON_MAX_DEPTH + 1; i++)
        rkc_json_end_array(&j);
    assert_int_equal(rkc_json_finish(&j, &t, &n), -1);
    rkc_json_free(&j);

    rkc_json_init(&j, 0); /* nothing written */
    assert_int_equal(rkc_json_finish(&j, &t, &n), -1);
    rkc_json_free(&j);
}

static void writer_splices_members(void **state)
{
    (void)state;
    rkc_json m, j;
    rkc_json_init_members(&m, 0, 1);
    rkc_json_key(&m, "b");
    rkc_json_begin_array(&m);
    rkc_json_int(&m, 1);
    rkc_json_end_array(&m);
    rkc_json_key(&m, "c");
    rkc_json_bool(&m, 1);

    rkc_json_init(&j, 0);
    rkc_json_begin_object(&j);
    rkc_json_key(&j, "a");
    rkc_json_int(&j, 0);
    rkc_json_splice(&j, &m);
    rkc_json_end_object(&j);
    assert_string_equal(finish(&j), "{\"a\":0,\"b\":[1],\"c\":true}\n");
    rkc_json_free(&j);

    /* as the first members of an object */
    rkc_json_init(&j, 0);
    rkc_json_begin_object(&j);
    rkc_json_splice(&j, &m);
    rkc_json_end_object(&j);
    assert_string_equal(finish(&j), "{\"b\":[1],\"c\":true}\n");
    rkc_json_free(&j);
    rkc_json_free(&m);

    /* a member writer may not close its host object */
    const char *t;
    size_t n;
    rkc_json_init_members(&m, 0, 1);
    rkc_json_end_object(&m);
    rkc_json_init(&j, 0);
    rkc_json_begin_object(&j);
    rkc_json_splice(&j, &m);
    rkc_json_end_object(&j);
    assert_int_equal(rkc_json_finish(&j, &t, &n), -1);
    rkc_json_free(&j);
    rkc_json_free(&m);
}

static void emitter_null_missing_and_errors(void **state)
{
    (void)state;
    rkc_json j;
    rkc_emit e;
    rkc_json_init(&j, 0);
    rkc_emit_init(&e, &j);
    rkc_json_begin_object(&j);
    rkc_emit_object_begin(&e, "settings");
    rkc_emit_uint_st(&e, "present", RKC_OK, 4294967295u, NULL);
    rkc_emit_uint_st(&e, "absent", RKC_NOT_FOUND, 0, NULL);
    rkc_emit_uint_st(&e, "denied", RKC_ACCESS_DENIED, 0, "HKLM\\X");
    rkc_emit_object_begin(&e, "tls12");
    rkc_emit_str_st(&e, "client_enabled", RKC_FAILED, NULL, "the value is REG_SZ");
    rkc_emit_object_end(&e);
    rkc_emit_object_end(&e);
    rkc_emit_array_begin(&e, "disks");
    rkc_emit_elem_object(&e, 1);
    rkc_emit_unsupported(&e, "filesystem");
    rkc_emit_object_end(&e);
    rkc_emit_array_end(&e);
    rkc_emit_errors(&e);
    rkc_json_end_object(&j);
    assert_string_equal(
        finish(&j),
        "{\"settings\":{\"present\":4294967295,\"absent\":null,\"tls12\":{}},"
        "\"disks\":[{}],\"errors\":["
        "{\"fact\":\"settings.denied\",\"message\":\"access denied: HKLM\\\\X\",\"code\":\"access-denied\"},"
        "{\"fact\":\"settings.tls12.client_enabled\",\"message\":\"failed: the value is REG_SZ\",\"code\":\"failed\"},"
        "{\"fact\":\"disks[1].filesystem\",\"message\":\"not supported on this platform\",\"code\":\"unsupported\"}]}\n");
    rkc_emit_free(&e);
    rkc_json_free(&j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escape_plain_and_specials),
        cmocka_unit_test(escape_valid_utf8_passes),
        cmocka_unit_test(escape_invalid_utf8_replaced),
        cmocka_unit_test(writer_compact_document),
        cmocka_unit_test(writer_indented_document),
        cmocka_unit_test(writer_refuses_misuse),
        cmocka_unit_test(writer_splices_members),
        cmocka_unit_test(emitter_null_missing_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
