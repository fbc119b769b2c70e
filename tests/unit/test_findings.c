/* test_findings.c - findings.json streamed (rk_findings_write) is byte for byte what
 * cJSON prints of the same document built as a tree (rk_findings_json, which --baseline
 * compares with), and the digest it reports is that of the bytes written. Run on the
 * three samples and on one whose strings hold every character JSON must escape. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "explain.h"
#include "findings.h"
#include "json.h"
#include "pipeline.h"
#include "template.h"
#include "util.h"

static const char *src(void)
{
    const char *s = getenv("RK_SOURCE");
    return s ? s : ".";
}

static rk_assessment *load_sample(const char *sample)
{
    char *project = rk_xasprintf("%s/samples/%s/project.yaml", src(), sample);
    char *schemas = rk_xasprintf("%s/schemas", src());
    rk_load_opts lo = {project, schemas, NULL, NULL, NULL, NULL, 0, NULL};
    rk_assessment *a = NULL;
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_warnings w = {0};
    if (rk_assess_load(&lo, &a, &d, &w) != RK_OK) fail_msg("%s: %s:%d: %s", sample, d.file, d.line, d.msg);
    rk_warnings_free(&w);
    free(project);
    free(schemas);
    return a;
}

static rk_tmpl *words(void)
{
    char *dir = rk_xasprintf("%s/templates", src());
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_warnings w = {0};
    rk_tmpl *t = rk_tmpl_load(dir, "en", &d, &w);
    if (!t) fail_msg("templates: %s: %s", d.file, d.msg);
    rk_warnings_free(&w);
    free(dir);
    return t;
}

/* Streams a's findings.json and compares it with cJSON's print of the tree. */
static void same_as_tree(rk_assessment *a)
{
    char path[] = "/tmp/rk-findings-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char err[512] = "", sha[65] = "";
    assert_int_equal(rk_findings_write(a, "en", path, sha, err, sizeof err), RK_OK);
    char *got;
    size_t len;
    assert_int_equal(rk_read_file(path, 1u << 30, &got, &len, err, sizeof err), 0);
    cJSON *tree = rk_findings_json(a, "en", 1);
    char *want = cJSON_Print(tree);
    assert_non_null(want);
    /* the file ends with a newline cJSON_Print does not write */
    assert_int_equal(len, strlen(want) + 1);
    assert_memory_equal(got, want, strlen(want));
    assert_int_equal(got[len - 1], '\n');
    char file_sha[65];
    assert_int_equal(rk_sha256_file(path, file_sha, err, sizeof err), 0);
    assert_string_equal(sha, file_sha);
    /* and the tree has the flows and rules the streamed file has */
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(tree, "flows")), (int)a->nflows);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(tree, "rules")), (int)a->nrules);
    cJSON_free(want);
    cJSON_Delete(tree);
    /* for a comparison: the same without flows[] and rules[] */
    tree = rk_findings_json(a, "en", 0);
    assert_null(cJSON_GetObjectItem(tree, "flows"));
    assert_null(cJSON_GetObjectItem(tree, "rules"));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(tree, "findings")), (int)a->nfindings);
    cJSON_Delete(tree);
    free(got);
    unlink(path);
}

static void test_samples(void **state)
{
    (void)state;
    static const char *const samples[] = {"contoso-fabrikam", "contoso-fabrikam-ipv6",
                                          "exchange-2019-target"};
    rk_tmpl *t = words();
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        rk_assessment *a = load_sample(samples[i]);
        assert_true(a->nflows > 0);
        rk_explain_findings(a, t);
        same_as_tree(a);
        rk_assessment_free(a);
    }
    rk_tmpl_free(t);
}

/* Every character JSON escapes, in a flow's strings (the emitted part) and a finding's
 * message (the printed part), and numbers that are not whole. */
static void test_escapes(void **state)
{
    (void)state;
    rk_tmpl *t = words();
    rk_assessment *a = load_sample("contoso-fabrikam");
    rk_explain_findings(a, t);
    static const char odd[] = "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f é € 𝄞 end";
    rk_flow *f = &a->flows[0];
    free(f->note);
    f->note = rk_xstrdup(odd);
    free(f->remark);
    f->remark = NULL; /* null */
    free(a->findings[0].message);
    a->findings[0].message = rk_xstrdup(odd);
    same_as_tree(a);
    rk_assessment_free(a);
    rk_tmpl_free(t);
}

/* A findings file read with some top-level members skipped (diff, verify): those read as
 * empty, nothing inside them is checked or made a tree, and every position after them is
 * where it was. */
static void test_skip_members(void **state)
{
    (void)state;
    static const char *const skip[] = {"flows", "rules", NULL};
    rk_json_opts o = {64, 1, "a findings file", NULL, skip};
    const char *text = "{\n"
                       "\t\"format\":\t\"readykit-findings/1\",\n"
                       "\t\"flows\":\t[{\n\t\t\"id\": \"F1\", \"note\": \"a ] } [ { \\\" tricky\"\n\t}, {\"dup\": 1, \"dup\": 2}],\n"
                       "\t\"findings\":\t[{\"host\": \"a\"}],\n"
                       "\t\"rules\":\t{\"deep\": [[[1]]]},\n"
                       "\t\"counts\":\t{\"pass\": 1},\n"
                       "\t\"bad\":\t1e999\n"
                       "}\n";
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_warnings w = {0};
    /* the error after the skipped members is where it is in the file */
    rk_json *j = rk_json_parse("f.json", text, strlen(text), &o, &d, &w);
    assert_null(j);
    assert_int_equal(d.line, 9);
    assert_int_equal(d.col, 9);
    assert_non_null(strstr(d.msg, "'bad'"));
    /* without it: the skipped members are empty, the others as written (the duplicate key
     * inside flows[] is not looked at) */
    char *good = rk_xstrdup(text);
    strstr(good, "1e999")[0] = '7';
    memcpy(strstr(good, "e999"), "    ", 4);
    memset(&d, 0, sizeof d);
    j = rk_json_parse("f.json", good, strlen(good), &o, &d, &w);
    assert_non_null(j);
    const cJSON *root = rk_json_root(j);
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(root, "flows")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "flows")), 0);
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(root, "rules")));
    assert_null(cJSON_GetObjectItem(root, "rules")->child);
    const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "findings"), 0);
    assert_string_equal(cJSON_GetObjectItem(f, "host")->valuestring, "a");
    int line, col;
    rk_json_where(j, cJSON_GetObjectItem(root, "counts"), &line, &col);
    assert_int_equal(line, 8);
    assert_int_equal(col, 12); /* the value */
    rk_json_free(j);
    /* not skipped, the duplicate inside flows[] is refused */
    rk_json_opts all = {64, 1, "a findings file", NULL, NULL};
    memset(&d, 0, sizeof d);
    assert_null(rk_json_parse("f.json", good, strlen(good), &all, &d, &w));
    assert_non_null(strstr(d.msg, "duplicate key"));
    assert_int_equal(d.line, 5);
    /* a truncated file is still named truncated */
    memset(&d, 0, sizeof d);
    assert_null(rk_json_parse("f.json", good, (size_t)(strstr(good, "tricky") - good), &o, &d, &w));
    assert_non_null(strstr(d.msg, "truncated"));
    free(good);
    rk_warnings_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_skip_members),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
