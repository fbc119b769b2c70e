/* test_remedy.c - the remediation plan (remedy.c) and what a script may carry: quoting
 * rules, the REG_MULTI_SZ separator, plain ASCII, and the plan of every fix kind over
 * tests/remediation/data (fixlab-1: every way a step is made, shared, skipped or left
 * to a person). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "pipeline.h"
#include "remediation_script.h"
#include "remedy.h"
#include "util.h"

static const char *src(void)
{
    const char *s = getenv("RK_SOURCE");
    return s ? s : RK_SOURCE_DIR;
}

static void cmd_safe(void **state)
{
    (void)state;
    assert_true(rk_cmd_safe(""));
    assert_true(rk_cmd_safe("M/d/yyyy"));
    assert_true(rk_cmd_safe("SOFTWARE\\Microsoft\\Active Setup\\{A509B1A7-37EF}"));
    assert_true(rk_cmd_safe("C:\\Program Files (x86)\\Lab"));
    static const char *const bad[] = {"a\"b", "100%",   "a!b", "a^b",        "a&b",
                                      "a|b",  "a<b",    "a>b", "a\rb",       "a\nb",
                                      "a\tb", "Zürich", "/x",  "C:\\Temp\\", "\x7f"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (rk_cmd_safe(bad[i])) fail_msg("'%s' passed as safe", bad[i]);
    }
    assert_false(rk_cmd_safe(NULL));
}

static void cmd_line_safe(void **state)
{
    (void)state;
    assert_true(rk_cmd_line_safe(
        "netsh advfirewall firewall set rule group=\"Remote Service Management\" new enable=yes"));
    assert_true(
        rk_cmd_line_safe("powershell.exe -Command \"Get-X | Select-Object -First 1 > $null\""));
    assert_false(rk_cmd_line_safe("a & b"));
    assert_false(rk_cmd_line_safe("a | b"));
    assert_false(rk_cmd_line_safe("a > b"));
    assert_false(rk_cmd_line_safe("a ^ b"));
    assert_false(rk_cmd_line_safe("echo %PATH%"));
    assert_false(rk_cmd_line_safe("echo \"unbalanced"));
    assert_false(rk_cmd_line_safe("line\nbreak"));
    assert_false(rk_cmd_line_safe("grün"));
    assert_false(rk_cmd_line_safe(""));
}

static void separator(void **state)
{
    (void)state;
    assert_int_equal(rk_multi_sz_separator("a\nb"), '~');
    assert_int_equal(rk_multi_sz_separator("a~\nb"), '#');
    assert_int_equal(rk_multi_sz_separator("~#+@$*"), 0);
}

static void ascii(void **state)
{
    (void)state;
    rk_buf b = {0};
    rk_script_ascii("Änderung für Zürich – größer ≥ 5 → fertig „ok“ 日本\x01", &b);
    assert_string_equal(b.data, "Aenderung fuer Zuerich - groesser >= 5 -> fertig \"ok\" ?? ");
    rk_buf_free(&b);
    rk_script_ascii("", &b);
    assert_string_equal(b.data, "");
    rk_buf_free(&b);
}

/* ---- the plan over fixlab-1 ----------------------------------------------------------- */

static char *workdir;

static rk_assessment *load_lab(void)
{
    char *dir = rk_xasprintf("%s/schemas-XXXXXX", workdir);
    assert_non_null(mkdtemp(dir));
    char *a = rk_xasprintf("%s/schemas/facts.schema.json", src()),
         *b = rk_xasprintf("%s/facts.schema.json", dir);
    char *c = rk_xasprintf("%s/tests/remediation/data/fixlab-1.yaml", src()),
         *e = rk_xasprintf("%s/fixlab-1.yaml", dir);
    assert_int_equal(symlink(a, b), 0);
    assert_int_equal(symlink(c, e), 0);
    char *project = rk_xasprintf("%s/tests/remediation/data/project.yaml", src());
    rk_load_opts lo = {project, dir, NULL, NULL, NULL, NULL, 0, NULL};
    rk_assessment *as = NULL;
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_warnings w = {0};
    if (rk_assess_load(&lo, &as, &d, &w) != RK_OK)
        fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
    rk_warnings_free(&w);
    unlink(b);
    unlink(e);
    rmdir(dir);
    free(a);
    free(b);
    free(c);
    free(e);
    free(dir);
    free(project);
    return as;
}

static const rk_remedy_item *item(const rk_assessment *a, const rk_remedy_host *h, const char *req)
{
    for (size_t k = 0; k < h->nitems; k++)
        if (!strcmp(a->schema->reqs[a->findings[h->items[k].finding].req].id, req))
            return &h->items[k];
    return NULL;
}

static const rk_remedy_step *step(const rk_remedy_host *h, const rk_remedy_item *it, size_t k)
{
    assert_true(k < it->count);
    return &h->steps[it->first + k];
}

static void plan(void **state)
{
    (void)state;
    rk_assessment *a = load_lab();
    rk_remedy *r = rk_remedy_plan(a);
    assert_int_equal(r->nhosts, 2);
    const rk_remedy_host *h = rk_remedy_for_host(r, 0);
    assert_non_null(h);
    assert_string_equal(h->computer, "LAB01");
    assert_true(h->needs_admin);

    /* a base fact named by the fix: exact, so the undo can write it back */
    const rk_remedy_item *it = item(a, h, "FIX-REG-BASE");
    assert_non_null(it);
    assert_int_equal(it->how, RK_HOW_SCRIPT);
    const rk_remedy_step *st = step(h, it, 0);
    assert_int_equal(st->state, RK_RM_CHANGE);
    assert_int_equal(st->coll, RK_COLL_VALUE);
    assert_true(st->exact);
    size_t base_index = it->first;
    /* the same change under another spelling of the key: made once */
    it = item(a, h, "FIX-REG-AGAIN");
    assert_int_equal(it->how, RK_HOW_SCRIPT);
    assert_int_equal(step(h, it, 0)->state, RK_RM_SAME);
    assert_int_equal(step(h, it, 0)->same_as, base_index);
    /* a collect item of the same key and value gives the value as collected; "slow &
     * steady" cannot be carried back, so the change is made and the undo leaves it */
    st = step(h, item(a, h, "FIX-REG-ITEM"), 0);
    assert_int_equal(st->state, RK_RM_CHANGE);
    assert_string_equal(st->fact, "collected.app_mode");
    assert_int_equal(st->unsafe, RK_UNSAFE_COLLECTED);
    assert_false(st->exact);
    /* a list */
    st = step(h, item(a, h, "FIX-REG-MULTI"), 0);
    assert_int_equal(st->state, RK_RM_CHANGE);
    assert_true(st->exact);
    /* data the script cannot carry: left to a person */
    it = item(a, h, "FIX-REG-UNSAFE");
    assert_int_equal(it->how, RK_HOW_PERSON);
    assert_int_equal(step(h, it, 0)->state, RK_RM_UNSAFE);
    assert_int_equal(step(h, it, 0)->unsafe, RK_UNSAFE_DATA);
    /* one step made, one left out */
    it = item(a, h, "FIX-PARTLY");
    assert_int_equal(it->how, RK_HOW_PARTLY);
    assert_int_equal(step(h, it, 0)->state, RK_RM_CHANGE);
    assert_int_equal(step(h, it, 0)->coll, RK_COLL_UNKNOWN);
    assert_int_equal(step(h, it, 1)->state, RK_RM_UNSAFE);
    /* the value the fix sets already passed its part of the check */
    it = item(a, h, "FIX-ALREADY");
    assert_int_equal(it->how, RK_HOW_PERSON);
    assert_int_equal(step(h, it, 0)->state, RK_RM_ALREADY);
    /* a service collected with its start type */
    st = step(h, item(a, h, "FIX-SVC"), 0);
    assert_int_equal(st->state, RK_RM_CHANGE);
    assert_string_equal(st->state_was, "stopped");
    assert_string_equal(st->start_was, "manual");
    assert_true(st->set_start);
    assert_true(st->do_action);
    /* a service that is not there */
    it = item(a, h, "FIX-SVC-GONE");
    assert_int_equal(it->how, RK_HOW_PERSON);
    assert_int_equal(step(h, it, 0)->state, RK_RM_NO_SERVICE);
    /* a service of the base facts: its state only */
    st = step(h, item(a, h, "FIX-SVC-BASE"), 0);
    assert_int_equal(st->state, RK_RM_CHANGE);
    assert_string_equal(st->state_was, "running");
    assert_null(st->start_was);
    /* features, the command, the unsafe command */
    assert_int_equal(step(h, item(a, h, "FIX-FEAT-A"), 0)->state, RK_RM_CHANGE);
    assert_int_equal(step(h, item(a, h, "FIX-FEAT-B"), 0)->state, RK_RM_CHANGE);
    assert_int_equal(item(a, h, "FIX-CMD")->how, RK_HOW_SCRIPT);
    it = item(a, h, "FIX-CMD-UNSAFE");
    assert_int_equal(it->how, RK_HOW_PERSON);
    assert_int_equal(step(h, it, 0)->unsafe, RK_UNSAFE_COMMAND);
    /* unknown findings are not scripted */
    assert_null(item(a, h, "FIX-UNKNOWN"));
    assert_int_equal(h->nchanges, 9); /* features counted one by one here */

    /* lab02: an HKCU value only: no administrator rights needed; a non-ASCII value as
     * collected cannot be written back */
    h = rk_remedy_for_host(r, 1);
    assert_non_null(h);
    assert_false(h->needs_admin);
    st = step(h, item(a, h, "FIX-DESK"), 0);
    assert_int_equal(st->state, RK_RM_CHANGE);
    assert_int_equal(st->unsafe, RK_UNSAFE_COLLECTED);

    /* every finding's entry agrees with the hosts' items */
    for (size_t i = 0; i < a->nfindings; i++) {
        const rk_finding *f = &a->findings[i];
        int planned =
            (f->status == RK_ST_FAIL || f->status == RK_ST_WARN) && a->schema->reqs[f->req].nfixes;
        assert_int_equal(r->how[i] >= 0, planned);
    }
    rk_remedy_free(r);
    rk_assessment_free(a);
}

int main(void)
{
    char tmpl[] = "/tmp/rk-remedy-XXXXXX";
    workdir = mkdtemp(tmpl);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cmd_safe), cmocka_unit_test(cmd_line_safe), cmocka_unit_test(separator),
        cmocka_unit_test(ascii),    cmocka_unit_test(plan),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(workdir);
    return rc;
}
