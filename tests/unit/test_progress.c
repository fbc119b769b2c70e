/* test_progress.c - unit tests of the progress line: silent for a second, throttled,
 * erased at the end, only on a terminal, and the jobs that write documents side by
 * side. */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "jobs.h"
#include "progress.h"

static double fake_now;
static double fake_clock(void)
{
    return fake_now;
}

/* What fp holds, from the start. Caller frees. */
static char *contents(FILE *fp)
{
    fflush(fp);
    long n = ftell(fp);
    char *s = calloc(1, (size_t)n + 1);
    rewind(fp);
    assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
    fseek(fp, 0, SEEK_END);
    return s;
}

static void test_silent_first_second(void **state)
{
    (void)state;
    FILE *fp = tmpfile();
    fake_now = 100.0;
    rk_progress *p = rk_progress_new(fp, fake_clock);
    rk_progress_install(p);
    rk_progress_stage("reading fact files", 10, "hosts");
    fake_now = 100.9;
    rk_progress_step(5);
    char *s = contents(fp);
    assert_string_equal(s, "");
    free(s);
    rk_progress_free(p); /* nothing shown: nothing to erase */
    s = contents(fp);
    assert_string_equal(s, "");
    free(s);
    fclose(fp);
}

static void test_shown_then_erased(void **state)
{
    (void)state;
    FILE *fp = tmpfile();
    fake_now = 0;
    rk_progress *p = rk_progress_new(fp, fake_clock);
    rk_progress_install(p);
    rk_progress_stage("evaluating", 2000, "hosts");
    fake_now = 1.5;
    rk_progress_step(1200);
    char *s = contents(fp);
    assert_string_equal(s, "\rreadykit: evaluating: 1200 of 2000 hosts");
    free(s);
    /* within a tenth of a second: not redrawn */
    fake_now = 1.55;
    rk_progress_step(1300);
    s = contents(fp);
    assert_string_equal(s, "\rreadykit: evaluating: 1200 of 2000 hosts");
    free(s);
    /* a new stage is drawn at once, over the longer line before it */
    rk_progress_stage("building documents", 0, NULL);
    s = contents(fp);
    char want[128];
    snprintf(want, sizeof want, "\r%s%12s\r%s", "readykit: building documents", "",
             "readykit: building documents");
    assert_non_null(strstr(s, want));
    free(s);
    rk_progress_free(p);
    s = contents(fp);
    size_t n = strlen(s);
    const char *erase = "\r                            \r"; /* the last line's 28 characters */
    assert_true(n > strlen(erase));
    assert_string_equal(s + n - strlen(erase), erase);
    free(s);
    /* uninstalled: reports go nowhere */
    rk_progress_step(1);
    fclose(fp);
}

static void test_only_terminals(void **state)
{
    (void)state;
    FILE *fp = tmpfile();
    assert_null(rk_progress_tty(fp));
    fclose(fp);
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0) {
        if (m >= 0) close(m);
        skip(); /* no pseudo-terminals here */
    }
    FILE *tty = fopen(ptsname(m), "w");
    assert_non_null(tty);
    rk_progress *p = rk_progress_tty(tty);
    assert_non_null(p);
    rk_progress_free(p);
    fclose(tty);
    close(m);
}

static rk_err job_fn(void *arg, char *err, size_t errlen)
{
    int *v = arg;
    if (*v < 0) {
        snprintf(err, errlen, "job %d failed", -*v);
        return RK_OUTPUT;
    }
    *v *= 2;
    return RK_OK;
}

static void test_jobs(void **state)
{
    (void)state;
    int v[7] = {1, 2, 3, -4, 5, 6, 7};
    rk_job jobs[7];
    for (size_t i = 0; i < 7; i++)
        jobs[i] = (rk_job){job_fn, &v[i], RK_INTERNAL, ""};
    rk_jobs_run(jobs, 7, 3);
    for (size_t i = 0; i < 7; i++) {
        if (i == 3) {
            assert_int_equal(jobs[i].result, RK_OUTPUT);
            assert_string_equal(jobs[i].err, "job 4 failed");
        } else {
            assert_int_equal(jobs[i].result, RK_OK);
            assert_int_equal(v[i], 2 * (int)(i + 1));
        }
    }
    rk_jobs_run(jobs, 0, 2); /* nothing to do */
    assert_true(rk_jobs_cpus() >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_silent_first_second),
        cmocka_unit_test(test_shown_then_erased),
        cmocka_unit_test(test_only_terminals),
        cmocka_unit_test(test_jobs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
