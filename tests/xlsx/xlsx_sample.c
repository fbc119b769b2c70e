/* xlsx_sample.c - writes a synthetic readiness workbook and CSV for the XLSX/CSV tests. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "doc.h"
#include "util.h"

/* 2024-06-01T12:00:00Z, the assessment date of the sample. */
#define SAMPLE_CREATED 1717243200

static const char *const hostile[] = {
    "=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "=1+1", "\tTAB", "\rCR",
    "a,b \"quoted\"\nsecond line", "_x0041_ stays as written", "<b>&amp; not markup</b>",
    "Zürich", "Łódź", "Москва", "東京 ☃ 😀",
};
#define NHOSTILE (sizeof hostile / sizeof hostile[0])

static const char *const statuses[] = {"pass", "fail", "warn", "unknown", "manual",
                                       "waived", "attested", "not-applicable"};
static const rk_tone status_tones[] = {RK_TONE_PASS, RK_TONE_FAIL, RK_TONE_WARN,
                                       RK_TONE_UNKNOWN, RK_TONE_UNKNOWN, RK_TONE_INFO,
                                       RK_TONE_INFO, RK_TONE_INFO};
static const char *const hosts[] = {"mig01", "sql01", "Zürich-dc01", "Łódź-ex01",
                                    "Москва-ex02", "cas01", "smtp01", "dns01"};
#define NHOSTS 8

static char *long_string(const char *unit, size_t repeat)
{
    size_t n = strlen(unit);
    char *s = rk_xmalloc(n * repeat + 1);
    for (size_t i = 0; i < repeat; i++) memcpy(s + i * n, unit, n);
    s[n * repeat] = '\0';
    return s;
}

/* Fills the findings table: host, requirement, status, expected, actual, message, ms. */
static void fill_findings(rk_table *t, size_t rows)
{
    static const char *const heads[] = {"Host", "Requirement", "Status", "Expected",
                                        "Actual", "Message", "Duration ms"};
    static const double widths[] = {18, 16, 12, 22, 22, 60, 12};
    for (size_t c = 0; c < 7; c++) {
        rk_table_col(t, c, heads[c], widths[c]);
        t->cols[c].wrap = c >= 3 && c <= 5;
    }
    t->cols[2].status = 1;
    char *big = long_string("Zürich ", 40000 / 7 + 1); /* > 40,000 characters */
    char *emoji = long_string("\xF0\x9F\x98\x80", 20000); /* 40,000 UTF-16 units */
    for (size_t r = 0; r < rows; r++) {
        rk_cell *row = rk_table_row(t);
        size_t s = (r * 7 + r / 3) % 8;
        rk_cell_set(&row[0], hosts[r % NHOSTS], RK_TONE_NONE);
        rk_cell_setf(&row[1], RK_TONE_NONE, "REQ-%03zu", r % 120 + 1);
        rk_cell_set(&row[2], statuses[s], status_tones[s]);
        rk_cell_setf(&row[3], RK_TONE_NONE, ">= %zu", 4 + r % 5);
        if (r < NHOSTILE)
            rk_cell_set(&row[4], hostile[r], RK_TONE_NONE);
        else
            rk_cell_setf(&row[4], RK_TONE_NONE, "%zu", r % 9);
        if (r == 0)
            rk_cell_set(&row[5], big, RK_TONE_NONE);
        else if (r == 1)
            rk_cell_set(&row[5], emoji, RK_TONE_NONE);
        else if (r == 2)
            rk_cell_set(&row[5], "bad \xff\xfe bytes and a \x01 control", RK_TONE_NONE);
        else
            rk_cell_setf(&row[5], RK_TONE_NONE,
                         "Requirement %zu on %s: install the prerequisite and run the check "
                         "again; see the schema for the exact version.",
                         r % 120 + 1, hosts[r % NHOSTS]);
        char num[32];
        snprintf(num, sizeof num, "%d", (int)(r % 500) - 3);
        rk_cell_number(&row[6], (double)(r % 500) - 3, num);
    }
    free(big);
    free(emoji);
}

static void build_summary(rk_doc *d)
{
    rk_section *s = rk_doc_section(d, NULL, 0, "Summary", RK_TARGET_ALL);
    rk_section_para(s, RK_PARA_TITLE, RK_TONE_NONE, "Readiness report");
    rk_section_para(s, RK_PARA_SUBTITLE, RK_TONE_NONE,
                    "Zürich Bank AG: Exchange 2016 to Exchange Online (Łódź, Москва sites)");
    rk_section_para(s, RK_PARA_VERDICT, RK_TONE_FAIL, "Not ready: 3 requirements fail.");
    rk_table *kv = rk_section_table(s, "Facts", 2);
    rk_table_col(kv, 0, "Key", 28);
    rk_table_col(kv, 1, "Value", 60);
    kv->kv = 1;
    static const char *const keys[] = {"Customer", "Assessment", "Hosts", "Hostile"};
    static const char *const vals[] = {"Zürich Bank AG", "RK-2024-001", "8",
                                       "=HYPERLINK(\"http://x\")"};
    for (size_t i = 0; i < 4; i++) {
        rk_cell *row = rk_table_row(kv);
        rk_cell_set(&row[0], keys[i], RK_TONE_NONE);
        if (i == 2)
            rk_cell_number(&row[1], 8, "8");
        else
            rk_cell_set(&row[1], vals[i], i == 3 ? RK_TONE_WARN : RK_TONE_NONE);
    }
    rk_chart *ch = rk_section_chart(s, "Findings by status");
    rk_chart_add(ch, "pass", 120, RK_TONE_PASS);
    rk_chart_add(ch, "fail", 3, RK_TONE_FAIL);
    rk_chart_add(ch, "warn", 7, RK_TONE_WARN);
    rk_chart_add(ch, "unknown / manual", 11, RK_TONE_UNKNOWN);
    rk_chart_add(ch, "waived / attested / n/a", 5, RK_TONE_INFO);
    rk_section_para(s, RK_PARA_NOTE, RK_TONE_NONE,
                    "Every finding names the fact it was derived from. Unknown means the fact "
                    "was not collected; manual checks need an attestation before the project "
                    "starts. This note is deliberately long so that it needs more than one "
                    "line on the sheet and is merged across the columns.\nA second line.");
}

static void build_hosts(rk_doc *d)
{
    rk_section *s = rk_doc_section(d, "Hosts", 0, "Hosts", RK_TARGET_ALL);
    rk_table *t = rk_section_table(s, "Hosts", 5);
    static const char *const heads[] = {"Host", "FQDN", "Address", "Zone", "Roles"};
    static const double widths[] = {18, 32, 16, 14, 40};
    for (size_t c = 0; c < 5; c++) rk_table_col(t, c, heads[c], widths[c]);
    for (size_t i = 0; i < NHOSTS; i++) {
        rk_cell *row = rk_table_row(t);
        rk_cell_set(&row[0], hosts[i], RK_TONE_NONE);
        rk_cell_setf(&row[1], RK_TONE_NONE, "%s.corp.example", hosts[i]);
        rk_cell_setf(&row[2], RK_TONE_NONE, "10.0.0.%zu", i + 10);
        rk_cell_set(&row[3], i < 4 ? "source" : "target", RK_TONE_NONE);
        rk_cell_set(&row[4], i == 0 ? "migration-server, worker" : "source-exchange",
                    RK_TONE_NONE);
    }
}

static void build_findings(rk_doc *d, size_t rows)
{
    rk_section *s = rk_doc_section(d, "Findings", 0, "Findings", RK_TARGET_ALL);
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, "One row per requirement and host.");
    fill_findings(rk_section_table(s, "Findings", 7), rows);
    /* Appended to the Findings sheet. */
    rk_section *more = rk_doc_section(d, "Notes", 1, NULL, RK_TARGET_ALL);
    rk_section_para(more, RK_PARA_SMALL, RK_TONE_NONE, "Statuses: pass, fail, warn, unknown.");
}

static void build_remediation(rk_doc *d)
{
    rk_section *s = rk_doc_section(d, "Remediation", 0, "Remediation", RK_TARGET_ALL);
    rk_table *t = rk_section_table(s, "Remediation", 6);
    static const char *const heads[] = {"Host", "Requirement", "Action", "Owner", "Due date",
                                        "Status"};
    static const double widths[] = {18, 14, 60, 20, 12, 10};
    for (size_t c = 0; c < 6; c++) {
        rk_table_col(t, c, heads[c], widths[c]);
        t->cols[c].wrap = c == 2;
    }
    t->cols[3].input = 1;
    t->cols[4].input = 1;
    t->cols[4].date = 1;
    t->cols[5].status = 1;
    t->group_col = 0;
    for (size_t h = 0; h < 5; h++)
        for (size_t k = 0; k < 3 + h; k++) {
            rk_cell *row = rk_table_row(t);
            rk_cell_set(&row[0], hosts[h], RK_TONE_NONE);
            rk_cell_setf(&row[1], RK_TONE_NONE, "REQ-%03zu", k + 1);
            rk_cell_set(&row[2], k == 0 ? "=cmd|' /C calc'!A0" : "Install .NET Framework 4.8",
                        RK_TONE_NONE);
            if (h == 0 && k == 1) rk_cell_set(&row[4], "2024-07-15", RK_TONE_NONE);
            rk_cell_set(&row[5], k % 2 ? "warn" : "fail", k % 2 ? RK_TONE_WARN : RK_TONE_FAIL);
        }
}

static void build_manual(rk_doc *d)
{
    rk_section *s = rk_doc_section(d, "Manual checks", 0, "Manual checks", RK_TARGET_ALL);
    rk_table *t = rk_section_table(s, "Manual checks", 5); /* name made valid */
    static const char *const heads[] = {"Requirement", "Host", "What to check", "Result",
                                        "Result"}; /* duplicate header made unique */
    static const double widths[] = {14, 18, 60, 18, 30};
    for (size_t c = 0; c < 5; c++) rk_table_col(t, c, heads[c], widths[c]);
    static const char *const results[] = {"Erfüllt", "Nicht erfüllt", "Offen"};
    rk_column_choices(&t->cols[3], results, 3);
    t->cols[3].input = 1;
    t->cols[4].input = 1;
    for (size_t i = 0; i < 6; i++) {
        rk_cell *row = rk_table_row(t);
        rk_cell_setf(&row[0], RK_TONE_NONE, "REQ-%03zu", i + 50);
        rk_cell_set(&row[1], hosts[i], RK_TONE_NONE);
        rk_cell_set(&row[2], "The migration account is a member of Organization Management.",
                    RK_TONE_UNKNOWN);
    }
    /* A second table whose name collides with the Findings table and one that looks like
     * a cell reference. */
    rk_table *t2 = rk_section_table(s, "findings", 2);
    rk_table_col(t2, 0, "Attested by", 20);
    rk_table_col(t2, 1, "Date", 12);
    rk_cell_set(rk_table_row(t2), "-2", RK_TONE_NONE);
    rk_table *t3 = rk_section_table(s, "A1", 1);
    rk_table_col(t3, 0, "Empty table", 20);
}

static void build_inputs(rk_doc *d)
{
    rk_section *s = rk_doc_section(d, "Inputs", 0, "Inputs", RK_TARGET_ALL);
    rk_table *t = rk_section_table(s, "Inputs", 4);
    static const char *const heads[] = {"File", "SHA-256", "Collector", "Collected at"};
    static const double widths[] = {40, 66, 24, 22};
    for (size_t c = 0; c < 4; c++) rk_table_col(t, c, heads[c], widths[c]);
    for (size_t i = 0; i < NHOSTS; i++) {
        rk_cell *row = rk_table_row(t);
        rk_cell_setf(&row[0], RK_TONE_NONE, "facts/%s.json", hosts[i]);
        char hex[65];
        rk_sha256_hex(hosts[i], strlen(hosts[i]), hex);
        rk_cell_set(&row[1], hex, RK_TONE_NONE);
        rk_cell_set(&row[2], "readykit-collect 0.1.0 windows", RK_TONE_NONE);
        rk_cell_set(&row[3], "2024-06-01T11:00:00Z", RK_TONE_NONE);
    }
}

static void build_signoff(rk_doc *d)
{
    rk_section *s = rk_doc_section(d, "Sign-off", 0, "Sign-off", RK_TARGET_ALL);
    rk_signoff *so = rk_section_signoff(s);
    so->statement = rk_xstrdup("By signing, the roles below confirm that they have read this "
                               "report and accept its findings as the basis of the project.");
    so->digest_label = rk_xstrdup("Document digest (SHA-256)");
    so->digest = rk_xstrdup("3f1c0a5e9b7d2c4f6a8e0b1d3c5e7f9a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e");
    so->role_label = rk_xstrdup("Role");
    so->name_label = rk_xstrdup("Name");
    so->decision_label = rk_xstrdup("Decision");
    so->date_label = rk_xstrdup("Date");
    so->signature_label = rk_xstrdup("Signature");
    so->comment_label = rk_xstrdup("Comment");
    rk_signoff_role(so, "Migration consultant");
    rk_signoff_role(so, "Customer project manager");
    rk_signoff_role(so, "Change advisory board");
    rk_signoff_decision(so, "Approved");
    rk_signoff_decision(so, "Approved with conditions");
    rk_signoff_decision(so, "Rejected");
}

static void build_network(rk_doc *d)
{
    rk_section *pdf = rk_doc_section(d, "Appendix", 0, "Appendix", RK_TARGET_PDF);
    rk_section_para(pdf, RK_PARA_NORMAL, RK_TONE_NONE, "PDF only.");
    rk_section *s = rk_doc_section(d, "Network", 0, "Network", RK_TARGET_ALL);
    rk_diagram *g = rk_section_diagram(s, "Zones and flows");
    size_t a = rk_diagram_zone(g, "Source (Zürich)");
    size_t b = rk_diagram_zone(g, "Target");
    rk_diagram_zone_line(g, a, "Zürich-dc01 source-dc 10.0.0.12");
    rk_diagram_zone_line(g, a, "Łódź-ex01 source-exchange 10.0.0.13");
    rk_diagram_zone_line(g, b, "cas01 target-cas 10.0.1.15");
    rk_diagram_edge(g, a, b, "TCP 443, 80");
    rk_diagram_edge(g, b, b, "TCP 135, 445");
    rk_section_pagebreak(s);
    rk_section_space(s);
    rk_section_para(s, RK_PARA_SMALL, RK_TONE_NONE, "@SUM(A1)");
}

static rk_doc *build_doc(size_t rows)
{
    rk_doc *d = rk_doc_new();
    d->title = rk_xstrdup("Readiness report");
    d->subject = rk_xstrdup("Pre-migration readiness assessment");
    d->author = rk_xstrdup("readykit 0.1.0");
    d->company = rk_xstrdup("Zürich Bank AG");
    d->keywords = rk_xstrdup("readiness, exchange");
    d->lang = rk_xstrdup("en");
    d->created = SAMPLE_CREATED;
    d->footer_left = rk_xstrdup("RK-2024-001 & Readiness report");
    d->page_format = rk_xstrdup("Page {n} of {N}");
    build_summary(d);
    build_hosts(d);
    build_findings(d, rows);
    build_remediation(d);
    build_manual(d);
    build_inputs(d);
    build_signoff(d);
    build_network(d);
    return d;
}

/* A document of one big findings table, for timings. */
static rk_doc *build_bench(size_t rows)
{
    rk_doc *d = rk_doc_new();
    d->title = rk_xstrdup("Readiness report");
    d->created = SAMPLE_CREATED;
    build_summary(d);
    rk_section *s = rk_doc_section(d, "Findings", 0, "Findings", RK_TARGET_ALL);
    fill_findings(rk_section_table(s, "Findings", 7), rows);
    return d;
}

static int same_file(const char *a, const char *b)
{
    char *x, *y, e[256];
    size_t nx, ny;
    if (rk_read_file(a, 1u << 30, &x, &nx, e, sizeof e)) return 0;
    if (rk_read_file(b, 1u << 30, &y, &ny, e, sizeof e)) {
        free(x);
        return 0;
    }
    int same = nx == ny && !memcmp(x, y, nx);
    free(x);
    free(y);
    return same;
}

static int copy_file(const char *from, const char *to)
{
    char *x, e[256];
    size_t n;
    if (rk_read_file(from, 1u << 30, &x, &n, e, sizeof e)) return -1;
    FILE *fp = fopen(to, "wb");
    int rc = fp && fwrite(x, 1, n, fp) == n ? 0 : -1;
    if (fp && fclose(fp)) rc = -1;
    free(x);
    return rc;
}

static int fail(const char *what)
{
    fprintf(stderr, "xlsx_sample: FAIL: %s\n", what);
    return 1;
}

/* Writes good files, then makes writing fail in two ways and checks that the
 * previous files are untouched and no temporary is left behind. */
static int atomic_test(const char *dir)
{
    char x[4096], c[4096], xs[4096], cs[4096], err[1024];
    snprintf(x, sizeof x, "%s/atomic.xlsx", dir);
    snprintf(c, sizeof c, "%s/atomic.csv", dir);
    snprintf(xs, sizeof xs, "%s/atomic.xlsx.saved", dir);
    snprintf(cs, sizeof cs, "%s/atomic.csv.saved", dir);
    rk_doc *d = build_doc(50);
    const rk_table *ft = d->sections[2].blocks[1].table;
    if (rk_xlsx_write(d, x, err, sizeof err) || rk_csv_write(ft, c, err, sizeof err))
        return fail(err);
    if (copy_file(x, xs) || copy_file(c, cs)) return fail("copy");
    rk_doc_free(d);
    d = build_doc(200); /* different content */
    ft = d->sections[2].blocks[1].table;

    /* 1. The temporary path is taken by a directory: the writer cannot create it. */
    char *tx = rk_temp_path_for(x), *tc = rk_temp_path_for(c);
    if (mkdir(tx, 0700) || mkdir(tc, 0700)) return fail("mkdir");
    err[0] = '\0';
    if (rk_xlsx_write(d, x, err, sizeof err) != RK_OUTPUT) return fail("xlsx write succeeded");
    fprintf(stderr, "expected error: %s\n", err);
    if (!strstr(err, x)) return fail("xlsx error does not name the file");
    if (rk_csv_write(ft, c, err, sizeof err) != RK_OUTPUT) return fail("csv write succeeded");
    fprintf(stderr, "expected error: %s\n", err);
    if (!same_file(x, xs) || !same_file(c, cs)) return fail("previous file changed (1)");
    rmdir(tx);
    rmdir(tc);

    /* 2. The file system refuses to grow the file half-way (file size limit). */
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = 2048;
    if (setrlimit(RLIMIT_FSIZE, &lim)) return fail("setrlimit");
    rk_err ex = rk_xlsx_write(d, x, err, sizeof err);
    fprintf(stderr, "expected error: %s\n", err);
    rk_err ec = rk_csv_write(ft, c, err, sizeof err);
    fprintf(stderr, "expected error: %s\n", err);
    setrlimit(RLIMIT_FSIZE, &old);
    if (ex != RK_OUTPUT || ec != RK_OUTPUT) return fail("write under a size limit succeeded");
    if (!same_file(x, xs) || !same_file(c, cs)) return fail("previous file changed (2)");
    if (access(tx, F_OK) == 0 || access(tc, F_OK) == 0) return fail("temporary left behind");

    /* 3. And a normal write replaces the file. */
    if (rk_xlsx_write(d, x, err, sizeof err) || rk_csv_write(ft, c, err, sizeof err))
        return fail(err);
    if (same_file(x, xs) || same_file(c, cs)) return fail("file not replaced");
    free(tx);
    free(tc);
    unlink(xs);
    unlink(cs);
    rk_doc_free(d);
    return 0;
}

/* Documents at the edges of the model: odd sheet and table names, empty tables, no
 * sheets at all, values the writer must guard against, and documents it must refuse. */
static int edge_test(const char *dir)
{
    char path[4096], err[1024];
    int rc = 0;

    rk_doc *d = rk_doc_new(); /* no sections: still one sheet */
    snprintf(path, sizeof path, "%s/edge-empty.xlsx", dir);
    if (rk_xlsx_write(d, path, err, sizeof err)) rc = fail(err);
    rk_doc_free(d);

    d = rk_doc_new(); /* created 0, long header and footer texts */
    d->title = long_string("\xC3\x9C", 300);
    d->footer_left = long_string("&", 300);
    d->page_format = long_string("{n}&{N}", 60);
    static const char *const sheets[] = {
        NULL, "Findings", "findings", "a/b:c*?[x]", "'quoted'", "History",
        "A name that is much longer than thirty-one characters",
        "Zürich Łódź Москва 東京 東京 東京 東京 😀😀😀😀"};
    for (size_t i = 0; i < sizeof sheets / sizeof sheets[0]; i++) {
        rk_doc_section(d, "PDF only", 0, "Ignored", RK_TARGET_PDF);
        rk_section *s = rk_doc_section(d, sheets[i] ? sheets[i] : "Untitled", 0, sheets[i],
                                       RK_TARGET_XLSX);
        rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, "text");
    }
    rk_section *s = &d->sections[d->nsections - 1];
    static const char *const names[] = {"",           "1abc",       "R1C1",   "Ünïcode",
                                        "XFD1048576", "Print_Area", "ok.name"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        rk_table *t = rk_section_table(s, names[i], 3);
        rk_table_col(t, 0, "", 10);       /* empty header */
        rk_table_col(t, 1, "Same", 10);
        rk_table_col(t, 2, "same", 10);   /* differs only in case */
        if (i % 2) {
            rk_cell *row = rk_table_row(t);
            rk_cell_number(&row[0], 0.0 / 0.0, "not a number");
            rk_cell_set(&row[1], "tone out of range", (rk_tone)99);
            rk_cell_set(&row[2], "=1+1", RK_TONE_NONE);
        }
    }
    rk_section_table(s, "nocols", 0);
    snprintf(path, sizeof path, "%s/edge-names.xlsx", dir);
    if (rk_xlsx_write(d, path, err, sizeof err)) rc = fail(err);
    rk_doc_free(d);

    d = rk_doc_new(); /* more columns than a worksheet holds: refused, nothing written */
    d->created = SAMPLE_CREATED;
    rk_table *wide = rk_section_table(rk_doc_section(d, "Wide", 0, "Wide", RK_TARGET_ALL),
                                      "Wide", 16385);
    rk_table_row(wide);
    snprintf(path, sizeof path, "%s/edge-wide.xlsx", dir);
    err[0] = '\0';
    if (rk_xlsx_write(d, path, err, sizeof err) != RK_OUTPUT || !strstr(err, path))
        rc = fail("a table of 16,385 columns was not refused");
    fprintf(stderr, "expected error: %s\n", err);
    if (access(path, F_OK) == 0) rc = fail("a refused workbook was left behind");
    rk_doc_free(d);

    d = build_doc(10); /* a good document into a folder that does not exist */
    snprintf(path, sizeof path, "%s/no/such/dir/edge.xlsx", dir);
    if (rk_xlsx_write(d, path, err, sizeof err) != RK_OUTPUT || !strstr(err, path))
        rc = fail("writing into a missing folder did not fail");
    fprintf(stderr, "expected error: %s\n", err);
    if (rk_csv_write(d->sections[2].blocks[1].table, path, err, sizeof err) != RK_OUTPUT ||
        !strstr(err, path))
        rc = fail("CSV into a missing folder did not fail");
    fprintf(stderr, "expected error: %s\n", err);
    rk_doc_free(d);
    return rc;
}

static void usage(void)
{
    fputs("usage: xlsx_sample OUTDIR [--rows N]     readiness.xlsx and findings.csv\n"
          "       xlsx_sample --bench N FILE.xlsx   one findings table of N rows\n"
          "       xlsx_sample --atomic DIR          failing writes keep the old file\n"
          "       xlsx_sample --edge DIR            edge cases: names, empty tables, refusals\n",
          stderr);
}

int main(int argc, char **argv)
{
    char err[1024], path[4096];
    if (argc == 3 && !strcmp(argv[1], "--atomic")) return atomic_test(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "--edge")) return edge_test(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "--bench")) {
        rk_doc *d = build_bench(strtoul(argv[2], NULL, 10));
        struct rusage ru;
        struct timespec t0, t1;
        getrusage(RUSAGE_SELF, &ru);
        long model_kb = ru.ru_maxrss;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        rk_err e = rk_xlsx_write(d, argv[3], err, sizeof err);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        getrusage(RUSAGE_SELF, &ru);
        fprintf(stderr, "rk_xlsx_write: %.2f s; peak RSS %ld KB with the model, %ld KB after\n",
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
                model_kb, ru.ru_maxrss);
        rk_doc_free(d);
        if (e) return fail(err);
        return 0;
    }
    if (argc != 2 && !(argc == 4 && !strcmp(argv[2], "--rows"))) {
        usage();
        return 2;
    }
    size_t rows = argc == 4 ? strtoul(argv[3], NULL, 10) : 1200;
    rk_doc *d = build_doc(rows);
    snprintf(path, sizeof path, "%s/readiness.xlsx", argv[1]);
    if (rk_xlsx_write(d, path, err, sizeof err)) return fail(err);
    snprintf(path, sizeof path, "%s/findings.csv", argv[1]);
    if (rk_csv_write(d->sections[2].blocks[1].table, path, err, sizeof err)) return fail(err);
    rk_doc_free(d);
    return 0;
}
