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
    cJSON *tree = rk_findings_json(a, "en");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_escapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
