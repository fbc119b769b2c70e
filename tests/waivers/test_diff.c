/* test_diff.c - readykit diff on hand-made pairs of findings files: classification,
 * keys with flows, the --fail-on count, refusals with positions, text and JSON output,
 * and the report's changes section. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "diff.h"
#include "diff_print.h"
#include "readiness_doc.h"
#include "doc.h"
#include "template.h"
#include "util.h"

#define DIFF_DATA RK_WAIVERS_DATA "/diff"

static rk_diff *diff_ok(const char *old_name, const char *new_name)
{
    char o[1024], n[1024];
    snprintf(o, sizeof o, "%s/%s", DIFF_DATA, old_name);
    snprintf(n, sizeof n, "%s/%s", DIFF_DATA, new_name);
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_diff *x = rk_diff_files(o, n, &d);
    if (!x) fail_msg("%s", d.msg);
    return x;
}

typedef struct expect {
    rk_change_kind kind;
    const char *host, *req, *flow, *old_status, *new_status;
} expect;

static void str_eq(const char *got, const char *want, size_t i, const char *what)
{
    if (!got && !want) return;
    if (!got || !want || strcmp(got, want) != 0)
        fail_msg("item %zu %s: got %s, expected %s", i, what, got ? got : "NULL",
                 want ? want : "NULL");
}

static void check_items(const rk_diff *x, const expect *e, size_t n)
{
    assert_int_equal(x->nitems, n);
    for (size_t i = 0; i < n; i++) {
        const rk_change_item *it = &x->items[i];
        if (it->kind != e[i].kind)
            fail_msg("item %zu: kind %s, expected %s", i, rk_change_kind_str(it->kind),
                     rk_change_kind_str(e[i].kind));
        str_eq(it->host, e[i].host, i, "host");
        str_eq(it->requirement, e[i].req, i, "requirement");
        str_eq(it->flow, e[i].flow, i, "flow");
        str_eq(it->old_status, e[i].old_status, i, "old status");
        str_eq(it->new_status, e[i].new_status, i, "new status");
    }
}

static const expect OLD_NEW[] = {
    {RK_CHG_STILL_FAILING, "h1", "R-A", NULL, "fail", "fail"},
    {RK_CHG_NEW_FAILURE, "h1", "R-B", NULL, "pass", "fail"},
    {RK_CHG_FIXED, "h1", "R-C", NULL, "fail", "pass"},
    {RK_CHG_FIXED, "h1", "R-D", NULL, "warn", "pass"},
    {RK_CHG_NEW_UNKNOWN, "h1", "R-E", NULL, "pass", "unknown"},
    {RK_CHG_WAIVER_ADDED, "h1", "R-F", NULL, "fail", "waived"},
    {RK_CHG_WAIVER_EXPIRED, "h1", "R-G", NULL, "waived", "fail"},
    {RK_CHG_OTHER, "h1", "R-H", NULL, "manual", "attested"},
    {RK_CHG_WAIVER_EXPIRED, "h2", "R-J", NULL, "waived", "warn"},
    {RK_CHG_STILL_FAILING, "h2", "R-NET", "F0001", "fail", "fail"},
    {RK_CHG_NEW_FAILURE, "h2", "R-NET", "F0002", NULL, "fail"},
    {RK_CHG_OTHER, "h2", "R-NET", "F0003", "fail", NULL},
    {RK_CHG_HOST_REMOVED, "h3", NULL, NULL, NULL, NULL},
    {RK_CHG_HOST_ADDED, "h4", NULL, NULL, NULL, NULL},
    {RK_CHG_NEW_FAILURE, "h4", "R-A", NULL, NULL, "fail"},
};

static void test_pair(void **state)
{
    (void)state;
    rk_diff *x = diff_ok("old.json", "new.json");
    check_items(x, OLD_NEW, sizeof OLD_NEW / sizeof OLD_NEW[0]);
    /* three new failures, and a waiver that expired onto a failure */
    assert_int_equal(x->new_failures, 4);
    assert_int_equal(x->counts[RK_CHG_NEW_FAILURE], 3);
    assert_int_equal(x->counts[RK_CHG_WAIVER_EXPIRED], 2);
    assert_int_equal(x->counts[RK_CHG_HOST_ADDED], 1);
    assert_string_equal(x->old_verdict, "not-ready");
    assert_string_equal(x->old_date, "2024-05-02T09:00:00Z");
    assert_string_equal(x->new_date, "2024-06-30T09:00:00Z");
    assert_string_equal(x->old_digest,
                        "1111111111111111111111111111111111111111111111111111111111111111");
    assert_int_equal(strlen(x->old_sha256), 64);
    /* details */
    assert_string_equal(x->items[1].detail, "the service is stopped");
    assert_string_equal(x->items[2].detail, "Windows Server 2019");
    assert_string_equal(x->items[5].waiver_by, "Jane Doe");
    assert_string_equal(x->items[5].waiver_expires, "2024-09-30");
    assert_string_equal(x->items[6].detail,
                        "waiver approved by Jane Doe has expired (valid until 2024-05-31)");
    assert_string_equal(x->items[8].detail,
                        "waiver approved by John Roe is no longer given (valid until 2024-12-31)");
    assert_string_equal(x->items[7].detail, "attested by Max on 2024-06-01");
    assert_string_equal(x->items[7].attested_by, "Max");
    assert_string_equal(x->items[13].host_verdict, "not-ready");
    rk_diff_free(x);
}

static void test_improved_and_identical(void **state)
{
    (void)state;
    rk_diff *x = diff_ok("old.json", "improved.json");
    assert_int_equal(x->new_failures, 0);
    assert_int_equal(x->counts[RK_CHG_FIXED], 5);
    assert_int_equal(x->counts[RK_CHG_NEW_FAILURE], 0);
    assert_int_equal(x->counts[RK_CHG_HOST_REMOVED], 0); /* hosts come from the findings */
    rk_diff_free(x);

    /* the other way round, everything fixed breaks again */
    x = diff_ok("improved.json", "old.json");
    assert_int_equal(x->new_failures, 6);
    assert_int_equal(x->counts[RK_CHG_NEW_FAILURE], 6);
    assert_int_equal(x->counts[RK_CHG_WAIVER_EXPIRED], 0); /* R-G is waived on both sides */
    assert_int_equal(x->counts[RK_CHG_NEW_UNKNOWN], 1);
    rk_diff_free(x);

    x = diff_ok("old.json", "old.json");
    assert_int_equal(x->new_failures, 0);
    assert_int_equal(x->nitems, x->counts[RK_CHG_STILL_FAILING]);
    assert_int_equal(x->nitems, 6);
    rk_diff_free(x);
}

/* The in-memory comparison render --baseline uses gives the same result. */
static void test_with_document(void **state)
{
    (void)state;
    size_t len;
    char *text = NULL, err[256];
    assert_int_equal(rk_read_file(DIFF_DATA "/new.json", 1 << 20, &text, &len, err, sizeof err), 0);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    assert_non_null(doc);
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_diff *x = rk_diff_with(DIFF_DATA "/old.json", doc, &d);
    cJSON_Delete(doc);
    if (!x) fail_msg("%s", d.msg);
    check_items(x, OLD_NEW, sizeof OLD_NEW / sizeof OLD_NEW[0]);
    assert_null(x->new_path);
    assert_int_equal(x->new_failures, 4);
    rk_diff_free(x);
}

typedef struct refusal {
    const char *file, *message;
} refusal;

static const refusal REFUSALS[] = {
    {"bad-syntax.json", "bad-syntax.json:5:59: invalid JSON near '}'; expected a findings.json "
                        "file as 'readykit render' writes it"},
    {"bad-format.json", "bad-format.json:2:13: unknown format 'readykit-findings/2'; expected "
                        "readykit-findings/1"},
    {"bad-status.json", "bad-status.json:7:16: finding 2 has status 'failed'; expected pass, "
                        "fail, warn, unknown, not-applicable, manual, waived or attested"},
    {"bad-verdict.json", "bad-verdict.json:3:14: 'verdict' is 'almost'; expected not-ready, "
                         "incomplete, ready-with-exceptions or ready"},
    {"dup-finding.json", "dup-finding.json:6:5: finding 2 repeats host 'H1', requirement 'R-A' "
                         "(first as finding 1); expected one finding per host, requirement and "
                         "flow"},
    {"dup-key.json", "dup-key.json:5:60: duplicate key 'findings[0].status' (first at line 5); "
                     "expected each key once"},
    {"missing-findings.json", "missing-findings.json:1:1: 'findings' is missing; expected a list "
                              "of findings"},
    {"missing-host.json", "missing-host.json:5:5: finding 1 has no 'host' string; expected a "
                          "finding as 'readykit render' writes it"},
    {"not-object.json", "not-object.json:1:1: the file is not a JSON object; expected a "
                        "findings.json file as 'readykit render' writes it"},
    {"truncated.json", "truncated.json:5:1: invalid JSON: the file ends too early (truncated?)"},
    {"empty.json", "empty.json: the file is empty; expected a findings.json file as 'readykit "
                   "render' writes it"},
    {"no-such.json", "no-such.json: cannot open: No such file or directory"},
};

static void test_refusals(void **state)
{
    (void)state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(DIFF_DATA), 0);
    for (size_t i = 0; i < sizeof REFUSALS / sizeof REFUSALS[0]; i++) {
        for (int side = 0; side < 2; side++) {
            rk_diag d;
            memset(&d, 0, sizeof d);
            rk_diff *x = side ? rk_diff_files("old.json", REFUSALS[i].file, &d)
                              : rk_diff_files(REFUSALS[i].file, "old.json", &d);
            assert_null(x);
            char out[2200];
            rk_diag_format(&d, out, sizeof out);
            if (strcmp(out, REFUSALS[i].message) != 0)
                fail_msg("%s:\n  got      %s\n  expected %s", REFUSALS[i].file, out,
                         REFUSALS[i].message);
        }
    }
    assert_int_equal(chdir(cwd), 0);
}

/* not inlined: GCC would otherwise mistake pointers into the text for pointers to the
 * local that open_memstream fills */
__attribute__((noinline)) static char *print(const rk_diff *x, int json)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    rk_diff_print(x, json, fp);
    fclose(fp);
    return text;
}

static void test_json_output(void **state)
{
    (void)state;
    rk_diff *x = diff_ok("old.json", "new.json");
    char *text = print(x, 1);
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(j, "format")->valuestring,
                        "readykit-diff/1");
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(j, "old");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(old, "verdict")->valuestring, "not-ready");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(old, "date")->valuestring,
                        "2024-05-02T09:00:00Z");
    assert_non_null(strstr(cJSON_GetObjectItemCaseSensitive(old, "path")->valuestring, "old.json"));
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(j, "changes");
    assert_int_equal(cJSON_GetArraySize(changes), 15);
    const cJSON *c = cJSON_GetArrayItem(changes, 10);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(c, "kind")->valuestring, "new-failure");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(c, "host")->valuestring, "h2");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(c, "requirement")->valuestring, "R-NET");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(c, "flow")->valuestring, "F0002");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(c, "old_status")));
    c = cJSON_GetArrayItem(changes, 12);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(c, "kind")->valuestring, "host-removed");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(c, "requirement")));
    const cJSON *counts = cJSON_GetObjectItemCaseSensitive(j, "counts");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(counts, "new-failure")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(counts, "fixed")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(counts, "waiver-expired")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(j, "new_failures")->valueint, 4);
    cJSON_Delete(j);
    /* deterministic */
    char *again = print(x, 1);
    assert_string_equal(text, again);
    free(again);
    free(text);
    rk_diff_free(x);
}

static void test_text_output(void **state)
{
    (void)state;
    rk_diff *x = diff_ok("old.json", "new.json");
    char *text = print(x, 0);
    assert_non_null(strstr(text, "\nh1\n  still failing   R-A          fail -> fail        4 GiB"));
    assert_non_null(strstr(text, "\nh3\n  host removed"));
    assert_non_null(strstr(text, "\nsummary: 3 new failures, 2 fixed, 2 still failing, 1 newly "
                                 "unknown, 1 host added, 1 host removed, 1 waiver added, 2 "
                                 "waivers expired, 2 other changes; verdict not-ready -> "
                                 "not-ready\n"));
    /* hosts in order, each once */
    long at[4];
    for (int k = 0; k < 4; k++) {
        char head[8];
        snprintf(head, sizeof head, "\nh%d\n", k + 1);
        const char *p = strstr(text, head);
        assert_non_null(p);
        assert_null(strstr(p + 1, head));
        at[k] = (long)(p - text);
    }
    assert_true(at[0] < at[1] && at[1] < at[2] && at[2] < at[3]);
    free(text);
    rk_diff_free(x);
}

/* ---- the report section -------------------------------------------------------------- */

static const rk_table *table_named(const rk_section *s, const char *name)
{
    for (size_t i = 0; i < s->nblocks; i++)
        if (s->blocks[i].type == RK_BLOCK_TABLE && !strcmp(s->blocks[i].table->name, name))
            return s->blocks[i].table;
    return NULL;
}

static const rk_cell *cell(const rk_table *t, size_t row, size_t col)
{
    assert_true(row < t->nrows && col < t->ncols);
    return &t->cells[row * t->ncols + col];
}

static rk_doc *section(const rk_diff *x, const char *lang, rk_warnings *w)
{
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_tmpl *t = rk_tmpl_load(RK_TEMPLATES_DIR, lang, &d, w);
    if (!t) fail_msg("templates: %s", d.msg);
    rk_doc *doc = rk_doc_new();
    rk_readiness_changes(doc, x, t);
    rk_tmpl_free(t);
    return doc;
}

static void test_changes_section(void **state)
{
    (void)state;
    rk_warnings w = {0};
    rk_diff *x = diff_ok("old.json", "new.json");
    rk_doc *doc = section(x, "en", &w);
    assert_int_equal(doc->nsections, 1);
    const rk_section *s = &doc->sections[0];
    assert_string_equal(s->title, "Changes since the previous assessment");
    assert_string_equal(s->sheet, "Changes");
    assert_int_equal(s->targets, RK_TARGET_ALL);
    assert_non_null(strstr(s->blocks[0].text, "old.json (SHA-256 "));
    const rk_table *sum = table_named(s, "ChangesSummary");
    assert_non_null(sum);
    assert_string_equal(cell(sum, 0, 1)->text, "Not ready");
    assert_int_equal(cell(sum, 0, 1)->tone, RK_TONE_FAIL);
    assert_string_equal(cell(sum, 1, 1)->text, "2024-05-02");
    assert_string_equal(cell(sum, 1, 2)->text, "2024-06-30");
    assert_string_equal(cell(sum, 2, 2)->text,
                        "2222222222222222222222222222222222222222222222222222222222222222");
    int counts_seen = 0;
    for (size_t i = 0; i < s->nblocks; i++)
        if (s->blocks[i].type == RK_BLOCK_PARA &&
            strstr(s->blocks[i].text, "New failures: 3. Fixed: 2. Still failing: 2."))
            counts_seen = 1;
    assert_true(counts_seen);
    const rk_table *t = table_named(s, "Changes");
    assert_non_null(t);
    assert_int_equal(t->nrows, 15);
    assert_string_equal(t->cols[2].header, "Change");
    assert_string_equal(cell(t, 1, 0)->text, "h1");
    assert_string_equal(cell(t, 1, 2)->text, "new failure");
    assert_int_equal(cell(t, 1, 2)->tone, RK_TONE_FAIL);
    assert_string_equal(cell(t, 1, 3)->text, "pass");
    assert_int_equal(cell(t, 1, 3)->tone, RK_TONE_PASS);
    assert_string_equal(cell(t, 1, 4)->text, "fail");
    assert_int_equal(cell(t, 2, 2)->tone, RK_TONE_PASS); /* fixed */
    assert_string_equal(cell(t, 5, 5)->text, "Waiver approved by Jane Doe, expires 2024-09-30.");
    assert_string_equal(cell(t, 7, 5)->text, "Attested by Max on 2024-06-01.");
    assert_string_equal(cell(t, 10, 1)->text, "R-NET F0002");
    assert_string_equal(cell(t, 10, 3)->text, "");
    assert_string_equal(cell(t, 12, 2)->text, "host removed");
    assert_string_equal(cell(t, 12, 3)->text, "Not ready");
    assert_string_equal(cell(t, 12, 4)->text, "");
    rk_doc_free(doc);

    doc = section(x, "de", &w);
    s = &doc->sections[0];
    assert_string_equal(s->title, "Änderungen seit der letzten Bewertung");
    assert_string_equal(s->sheet, "Änderungen");
    t = table_named(s, "Changes");
    assert_string_equal(cell(t, 1, 2)->text, "neu nicht erfüllt");
    assert_string_equal(cell(t, 1, 4)->text, "nicht erfüllt");
    rk_doc_free(doc);
    rk_diff_free(x);
    for (size_t i = 0; i < w.count; i++)
        print_error("warning: %s\n", w.items[i].key);
    assert_int_equal(w.count, 0);

    /* nothing changed: a note instead of the table */
    x = diff_ok("improved.json", "improved.json");
    doc = section(x, "en", &w);
    s = &doc->sections[0];
    assert_null(table_named(s, "Changes"));
    assert_string_equal(s->blocks[s->nblocks - 1].text,
                        "Nothing changed since the previous assessment.");
    rk_doc_free(doc);
    rk_diff_free(x);
    rk_warnings_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair),
        cmocka_unit_test(test_improved_and_identical),
        cmocka_unit_test(test_with_document),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_json_output),
        cmocka_unit_test(test_text_output),
        cmocka_unit_test(test_changes_section),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
