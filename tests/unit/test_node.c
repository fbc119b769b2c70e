/* test_node.c - the bounded YAML loader: positions, duplicates, aliases, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "yaml_tree.h"
#include "util.h"

static rk_node *parse(const char *text, rk_diag *d)
{
    memset(d, 0, sizeof(*d));
    return rk_yaml_parse("t.yaml", text, strlen(text), d);
}

static void test_positions(void **state)
{
    (void)state;
    rk_diag d;
    rk_node *n = parse("a: 1\nb:\n  - x\n  - y\n", &d);
    assert_non_null(n);
    const rk_node *b = rk_node_get(n, "b");
    assert_non_null(b);
    assert_int_equal(b->type, RK_NODE_SEQ);
    assert_int_equal(b->count, 2);
    assert_int_equal(b->items[1]->line, 4);
    assert_int_equal(b->items[1]->col, 5);
    rk_node_free(n);
}

static void test_duplicate_key(void **state)
{
    (void)state;
    rk_diag d;
    assert_null(parse("a: 1\nb: 2\na: 3\n", &d));
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 1);
    assert_non_null(strstr(d.msg, "duplicate key 'a'"));
    assert_non_null(strstr(d.msg, "line 1"));
}

static void test_alias_refused(void **state)
{
    (void)state;
    rk_diag d;
    assert_null(parse("a: &x [1, 2]\nb: *x\n", &d));
    assert_int_equal(d.line, 2);
    assert_non_null(strstr(d.msg, "alias"));
    assert_null(parse("a: &x\n  b: *x\n", &d));
}

static void test_depth_limit(void **state)
{
    (void)state;
    rk_buf b = {0};
    for (int i = 0; i < 200; i++) rk_buf_puts(&b, "[");
    rk_diag d;
    assert_null(parse(b.data, &d));
    assert_non_null(strstr(d.msg, "nested"));
    rk_buf_free(&b);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    rk_diag d;
    assert_null(parse("a: ok\nb: \xff\n", &d));
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 4);
    assert_non_null(strstr(d.msg, "UTF-8"));
}

static void test_syntax_error(void **state)
{
    (void)state;
    rk_diag d;
    assert_null(parse("a: [1, 2\nb: 3\n", &d));
    assert_true(d.line > 0);
    assert_non_null(strstr(d.msg, "invalid YAML"));
    assert_null(parse("a: 1\n\tb: 2\n", &d)); /* tab indentation */
    assert_non_null(strstr(d.msg, "invalid YAML"));
}

static void test_accessors(void **state)
{
    (void)state;
    rk_diag d;
    rk_node *n = parse("s: text\nq: \"12\"\ni: 12\nb: true\nl: [1]\n", &d);
    assert_non_null(n);
    const char *s = NULL;
    long long i = 0;
    int b = 0;
    assert_int_equal(rk_node_str("t.yaml", n, "s", 1, &s, &d), RK_OK);
    assert_string_equal(s, "text");
    assert_int_equal(rk_node_int("t.yaml", n, "i", 1, 0, 100, &i, &d), RK_OK);
    assert_int_equal(i, 12);
    assert_int_equal(rk_node_int("t.yaml", n, "q", 1, 0, 100, &i, &d), RK_INPUT);
    assert_int_equal(rk_node_int("t.yaml", n, "i", 1, 0, 5, &i, &d), RK_INPUT);
    assert_non_null(strstr(d.msg, "from 0 to 5"));
    assert_int_equal(rk_node_bool("t.yaml", n, "b", 1, &b, &d), RK_OK);
    assert_true(b);
    assert_int_equal(rk_node_str("t.yaml", n, "l", 1, &s, &d), RK_INPUT);
    assert_int_equal(d.line, 5);
    assert_int_equal(rk_node_str("t.yaml", n, "missing", 1, &s, &d), RK_INPUT);
    assert_non_null(strstr(d.msg, "missing required key 'missing'"));
    static const char *const allowed[] = {"s", "q", "i", "b", NULL};
    assert_int_equal(rk_node_only_keys("t.yaml", n, allowed, &d), RK_INPUT);
    assert_non_null(strstr(d.msg, "unknown key 'l'"));
    rk_node_free(n);
}

static void test_empty_document(void **state)
{
    (void)state;
    rk_diag d;
    rk_node *n = parse("", &d);
    assert_non_null(n);
    assert_int_equal(n->type, RK_NODE_MAP);
    assert_int_equal(n->count, 0);
    rk_node_free(n);
    assert_null(parse("a: 1\n---\nb: 2\n", &d));
    assert_non_null(strstr(d.msg, "second YAML document"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),    cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_alias_refused), cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_invalid_utf8), cmocka_unit_test(test_syntax_error),
        cmocka_unit_test(test_accessors),    cmocka_unit_test(test_empty_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
