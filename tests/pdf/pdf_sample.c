/* pdf_sample.c - builds a synthetic document that exercises every part of the PDF
 * writer and writes it; the CTest scripts beside it read the result back. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "doc.h"
#include "util.h"

#define SAMPLE_ID "RK-2024-0042"

static const char *const STATUS_WORDS[] = {"pass",   "fail",   "warn",     "unknown",
                                           "manual", "waived", "attested", "not-applicable"};
static const rk_tone STATUS_TONES[] = {RK_TONE_PASS,    RK_TONE_FAIL, RK_TONE_WARN, RK_TONE_UNKNOWN,
                                       RK_TONE_UNKNOWN, RK_TONE_INFO, RK_TONE_INFO, RK_TONE_MUTED};

/* A requirement table like the readiness report's per-host tables. */
static rk_table *findings_table(rk_section *s, const char *name)
{
    rk_table *t = rk_section_table(s, name, 5);
    rk_table_col(t, 0, "Requirement", 2.4);
    rk_table_col(t, 1, "Expected", 1.6);
    rk_table_col(t, 2, "Actual", 1.6);
    rk_table_col(t, 3, "Status", 0.9);
    rk_table_col(t, 4, "Remediation", 2.4);
    t->cols[3].status = 1;
    return t;
}

static void finding(rk_table *t, const char *req, const char *exp, const char *act, size_t st,
                    const char *rem)
{
    rk_cell *r = rk_table_row(t);
    rk_cell_set(&r[0], req, RK_TONE_NONE);
    rk_cell_set(&r[1], exp, RK_TONE_NONE);
    rk_cell_set(&r[2], act, RK_TONE_NONE);
    rk_cell_set(&r[3], STATUS_WORDS[st], STATUS_TONES[st]);
    rk_cell_set(&r[4], rem, RK_TONE_NONE);
}

static void kv(rk_table *t, const char *k, const char *v)
{
    rk_cell *r = rk_table_row(t);
    rk_cell_set(&r[0], k, RK_TONE_NONE);
    rk_cell_set(&r[1], v, RK_TONE_NONE);
}

static void host_section(rk_doc *d, const char *host, size_t rows, int long_strings)
{
    rk_section *s = rk_doc_section(d, host, 1, NULL, RK_TARGET_ALL);
    rk_section_para(s, RK_PARA_SMALL, RK_TONE_NONE,
                    "Windows Server 2019 Datacenter (10.0.17763), 8 cores, 32 GiB memory. "
                    "Roles: migration-server, worker.");
    rk_table *t = findings_table(s, "Host");
    finding(t, "Operating system is a supported Windows Server version",
            "Windows Server 2012 R2, 2016, 2019 or 2022", "Windows Server 2019 Datacenter", 0, "");
    finding(t, ".NET Framework 4.7.2 or later", "release >= 461808", "release 394802 (4.6.2)", 1,
            "Install .NET Framework 4.8 from the Microsoft download centre and restart.");
    finding(t, "TLS 1.2 enabled for the .NET Framework (SchUseStrongCrypto)", "1", "0", 2,
            "Set HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319\\SchUseStrongCrypto=1");
    finding(t, "PowerShell 5.1", "5.1", "(not collected)", 3,
            "Re-run the collector as an "
            "administrator.");
    finding(t, "Migration account is a member of Organization Management", "attested",
            "awaiting attestation", 4, "Attach the group membership export.");
    finding(t, "Internet Explorer Enhanced Security Configuration off for administrators", "off",
            "on", 5, "Waived until 2024-06-30 by J. Smith: managed by GPO.");
    finding(t, "Outlook 2016 or later (32-bit) on workers", "16.0 x86", "n/a", 7, "");
    if (long_strings) {
        finding(t, "Path of the SQL data directory",
                "D:\\Data\\BinaryTree\\MigratorProForExchange\\Databases\\Primary\\"
                "MigratorProForExchangeData_Instance01_ReallyLongFolderNameWithoutAnySpaces",
                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                "FEDCBA9876543210FEDCBA9876543210",
                0,
                "https://support.example.com/kb/articles/0000000000000000000000000000000"
                "000000000000000000000000000000000001");
    }
    for (size_t i = 0; i < rows; i++) {
        rk_cell *r = rk_table_row(t);
        rk_cell_setf(&r[0], RK_TONE_NONE,
                     "Port TCP %zu reachable from the migration server "
                     "(probe %zu of %zu)",
                     1000 + i * 7, i + 1, rows);
        rk_cell_set(&r[1], "open", RK_TONE_NONE);
        rk_cell_set(&r[2], i % 5 == 3 ? "filtered after 3000 ms" : "open (2 ms)", RK_TONE_NONE);
        size_t st = i % 5 == 3 ? 1 : 0;
        rk_cell_set(&r[3], STATUS_WORDS[st], STATUS_TONES[st]);
        rk_cell_set(&r[4],
                    st ? "Ask the firewall team to open the port (see the firewall "
                         "request)."
                       : "",
                    RK_TONE_NONE);
    }
}

/* Many zones, a crowded zone and many flows: the diagram must shrink and continue on
 * further pages rather than overflow. */
static void dense_diagram(rk_doc *d)
{
    rk_section *s = rk_doc_section(d, "Dense flow diagram", 0, NULL, RK_TARGET_PDF);
    s->landscape = 1;
    s->new_page = 1;
    rk_diagram *g = rk_section_diagram(s, "Seven zones, forty flows");
    const char *zones[] = {"Head office",       "Branch Łódź",       "Branch Москва", "DMZ",
                           "Target datacenter", "Backup site Αθήνα", "Microsoft 365"};
    for (size_t z = 0; z < 7; z++) {
        rk_diagram_zone(g, zones[z]);
        size_t n = z == 0 ? 45 : z + 1;
        for (size_t i = 0; i < n; i++) {
            char line[128];
            snprintf(line, sizeof(line), "HOST%zu-%02zu.corp.example — worker, 10.%zu.0.%zu", z, i,
                     z, i + 10);
            rk_diagram_zone_line(g, z, line);
        }
    }
    for (size_t e = 0; e < 40; e++) {
        size_t from = (e * 3) % 7, to = (e * 5 + 1) % 7;
        char label[160];
        snprintf(label, sizeof(label), "TCP %zu, %zu-%zu (service %zu with a longer name)", 100 + e,
                 49152 + e, 65535 - e, e);
        rk_diagram_edge(g, from, to, label);
    }
    rk_diagram_edge(g, 3, 3, "TCP 25 inside the DMZ");
}

/* Degenerate input: empty and NULL parts, out-of-range indexes, oversized content. The
 * writer must neither crash nor draw outside the page. */
static rk_doc *edge_cases(void)
{
    rk_doc *d = rk_doc_new(); /* no metadata at all */
    d->page_format = rk_xstrdup("{n}/{N} {x} {");
    rk_section *s = rk_doc_section(d, "", 0, NULL, RK_TARGET_PDF);
    s = rk_doc_section(d, NULL, 3, NULL, RK_TARGET_PDF); /* a second untitled section */
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, "");
    rk_section_para(s, RK_PARA_VERDICT, (rk_tone)99, "tone out of range");
    rk_section_para(s, RK_PARA_NOTE, RK_TONE_NONE, "ctrl \x01\x7f tab\tend \xff\xfe bad utf-8");
    char word[3001];
    memset(word, 'W', 3000);
    word[3000] = 0;
    rk_section_para(s, RK_PARA_TITLE, RK_TONE_NONE, word);
    rk_section_table(s, "none", 0);
    rk_table *t = rk_section_table(s, "empty", 3);
    t = rk_section_table(s, "bad-group", 2);
    t->group_col = 7;
    rk_cell *r = rk_table_row(t);
    rk_cell_set(&r[0], word, RK_TONE_FAIL);
    t = rk_section_table(s, "one-kv", 1);
    t->kv = 1;
    rk_cell_set(rk_table_row(t), "only a key", RK_TONE_NONE);
    t = rk_section_table(s, "many-cols", 40);
    for (size_t i = 0; i < 40; i++)
        rk_table_col(t, i, "Header with words", i % 3 ? 1 : -2);
    r = rk_table_row(t);
    for (size_t i = 0; i < 40; i++)
        rk_cell_set(&r[i], "value", (rk_tone)(i % 7));
    t = rk_section_table(s, "page-tall", 2);
    rk_table_col(t, 0, "Key", 1);
    rk_table_col(t, 1, "Value", 1);
    r = rk_table_row(t);
    rk_buf tall = {0};
    for (int i = 0; i < 400; i++)
        rk_buf_printf(&tall, "line %d\n", i);
    rk_cell_set(&r[1], tall.data, RK_TONE_WARN);
    rk_buf_free(&tall);
    rk_section_chart(s, NULL);
    rk_chart *ch = rk_section_chart(s, "odd values");
    rk_chart_add(ch, "negative", -5, RK_TONE_FAIL);
    rk_chart_add(ch, "zero", 0, RK_TONE_PASS);
    rk_chart_add(ch, "half", 0.25, RK_TONE_WARN);
    rk_chart_add(ch, "huge", 1e300, RK_TONE_INFO);
    rk_chart_add(ch, word, 3, RK_TONE_NONE);
    rk_section_signoff(s); /* nothing in it */
    rk_signoff *so = rk_section_signoff(s);
    rk_signoff_role(so, word);
    for (int i = 0; i < 12; i++)
        rk_signoff_decision(so, "A decision with a long name");
    s = rk_doc_section(d, "Diagrams", 1, NULL, RK_TARGET_PDF);
    rk_section_diagram(s, NULL); /* no zones */
    rk_diagram *g = rk_section_diagram(s, "out of range");
    size_t z = rk_diagram_zone(g, "only zone");
    rk_diagram_zone_line(g, 5, "no such zone");
    rk_diagram_edge(g, z, 9, "to nowhere");
    rk_diagram_edge(g, 9, 9, "nowhere to nowhere");
    rk_diagram_edge(g, z, z, word);
    g = rk_section_diagram(s, "many zones");
    for (int i = 0; i < 14; i++)
        rk_diagram_zone(g, "Zone with a long name");
    for (int i = 0; i < 60; i++)
        rk_diagram_edge(g, (size_t)(i % 14), (size_t)(i * 5 % 14), "TCP 1");
    rk_section_pagebreak(s);
    rk_section_pagebreak(s);
    for (int i = 0; i < 200; i++)
        rk_section_space(s);
    return d;
}

static rk_doc *sample(size_t bulk_rows, int dense)
{
    rk_doc *d = rk_doc_new();
    d->title = rk_xstrdup("Readiness report");
    d->subject = rk_xstrdup("Pre-migration readiness assessment");
    d->author = rk_xstrdup("readykit 0.1.0");
    d->company = rk_xstrdup("Müller & Søn AG, Zürich");
    d->keywords = rk_xstrdup("readiness, Migrator Pro for Exchange, " SAMPLE_ID);
    d->lang = rk_xstrdup("en");
    d->created = 1710495000; /* 2024-03-15T09:30:00Z */
    d->footer_left = rk_xstrdup(SAMPLE_ID " · Readiness report · Müller & Søn AG");
    d->page_format = rk_xstrdup("Page {n} of {N}");

    /* Cover */
    rk_section *s = rk_doc_section(d, NULL, 0, "Cover", RK_TARGET_ALL);
    rk_section_para(s, RK_PARA_TITLE, RK_TONE_NONE, "Readiness report");
    rk_section_para(s, RK_PARA_SUBTITLE, RK_TONE_NONE,
                    "Migrator Pro for Exchange 20.11 — pre-migration assessment");
    rk_table *t = rk_section_table(s, "Cover", 2);
    t->kv = 1;
    rk_table_col(t, 0, "Item", 1);
    rk_table_col(t, 1, "Value", 2.6);
    kv(t, "Customer", "Müller & Søn AG, Zürich");
    kv(t, "Project", "Exchange 2013 → Exchange Online (Łódź, Москва, Αθήνα sites)");
    kv(t, "Assessment ID", SAMPLE_ID);
    kv(t, "Schema", "migrator-pro-exchange, version 20.11.0");
    kv(t, "Date of the assessment", "2024-03-15");
    kv(t, "readykit version", "0.1.0");
    kv(t, "Document digest (SHA-256)",
       "3f8a9c0d4b1e27f6a5c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1");
    rk_section_space(s);
    rk_section_para(s, RK_PARA_VERDICT, RK_TONE_FAIL,
                    "Not ready: 12 requirements fail on 3 of 6 hosts.");
    rk_section_para(s, RK_PARA_NOTE, RK_TONE_NONE,
                    "This report states what was collected from each host on the date of the "
                    "assessment. Missing facts are reported as unknown, never as passed. Sign "
                    "the last page to approve the migration to start.");

    /* Executive summary */
    s = rk_doc_section(d, "Executive summary", 0, "Summary", RK_TARGET_ALL);
    s->new_page = 1;
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE,
                    "Six hosts were assessed against 48 requirements of the Migrator Pro for "
                    "Exchange 20.11 schema. The chart counts the findings of all hosts by "
                    "status; the verdicts below use every tone the report knows.");
    rk_chart *ch = rk_section_chart(s, "Findings by status");
    rk_chart_add(ch, "Pass", 214, RK_TONE_PASS);
    rk_chart_add(ch, "Fail", 12, RK_TONE_FAIL);
    rk_chart_add(ch, "Warn", 9, RK_TONE_WARN);
    rk_chart_add(ch, "Unknown", 5, RK_TONE_UNKNOWN);
    rk_chart_add(ch, "Manual", 7, RK_TONE_UNKNOWN);
    rk_chart_add(ch, "Waived / attested", 4, RK_TONE_INFO);
    rk_chart_add(ch, "Not applicable", 31, RK_TONE_MUTED);
    rk_section_para(s, RK_PARA_HEADING, RK_TONE_NONE, "Verdicts by tone");
    rk_section_para(s, RK_PARA_VERDICT, RK_TONE_PASS, "Ready.");
    rk_section_para(s, RK_PARA_VERDICT, RK_TONE_WARN, "Ready with exceptions.");
    rk_section_para(s, RK_PARA_VERDICT, RK_TONE_UNKNOWN, "Incomplete: 5 facts unknown.");
    rk_section_para(s, RK_PARA_VERDICT, RK_TONE_INFO, "Informational verdict.");
    rk_section_para(s, RK_PARA_VERDICT, RK_TONE_NONE, "Neutral verdict.");
    t = rk_section_table(s, "Hosts", 6);
    rk_table_col(t, 0, "Host", 2);
    rk_table_col(t, 1, "Pass", 1);
    rk_table_col(t, 2, "Fail", 1);
    rk_table_col(t, 3, "Warn", 1);
    rk_table_col(t, 4, "Unknown", 1);
    rk_table_col(t, 5, "Verdict", 1.6);
    t->cols[5].status = 1;
    const char *hosts[] = {"EXCH01.zürich.example",   "SRV-Łódź-01",
                           "MOSKVA-DC (Москва)",      "ATHENS-SQL (Αθήνα)",
                           "LAB-\xF0\x9F\x9A\x80-01", "TOKYO-\xE6\x9D\xB1\xE4\xBA\xAC"};
    for (size_t i = 0; i < 6; i++) {
        rk_cell *r = rk_table_row(t);
        rk_cell_set(&r[0], hosts[i], RK_TONE_NONE);
        for (int k = 1; k <= 4; k++) {
            char num[16];
            snprintf(num, sizeof(num), "%d", (int)((i * 7 + (size_t)k * 3) % 40));
            rk_cell_number(&r[k], (double)((i * 7 + (size_t)k * 3) % 40), num);
        }
        size_t st = i % 4 == 0 ? 1 : i % 4 == 1 ? 0 : i % 4 == 2 ? 2 : 3;
        rk_cell_set(&r[5], STATUS_WORDS[st], STATUS_TONES[st]);
    }
    rk_section_para(s, RK_PARA_SMALL, RK_TONE_NONE,
                    "Unknown means the fact was not collected; manual checks need an "
                    "attestation.");

    /* Hosts */
    s = rk_doc_section(d, "Hosts", 0, NULL, RK_TARGET_ALL);
    s->new_page = 1;
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE,
                    "One section per host. Characters no font has are shown as a visible "
                    "replacement: rocket \xF0\x9F\x9A\x80 and \xE6\x9D\xB1 here.");
    host_section(d, hosts[0], 140, 1);
    for (size_t i = 1; i < 6; i++)
        host_section(d, hosts[i], i == 1 ? 3 : 0, 0);

    /* Grouped findings */
    s = rk_doc_section(d, "Findings by requirement group", 0, "Groups", RK_TARGET_ALL);
    s->new_page = 1;
    t = rk_section_table(s, "Groups", 4);
    rk_table_col(t, 0, "Group", 1);
    rk_table_col(t, 1, "Host", 1.4);
    rk_table_col(t, 2, "Requirement", 3);
    rk_table_col(t, 3, "Status", 1);
    t->cols[3].status = 1;
    t->group_col = 0;
    const char *groups[] = {"Operating system", "Software", "Network"};
    for (size_t g = 0; g < 3; g++)
        for (size_t i = 0; i < 4; i++) {
            rk_cell *r = rk_table_row(t);
            rk_cell_set(&r[0], groups[g], RK_TONE_NONE);
            rk_cell_set(&r[1], hosts[i], RK_TONE_NONE);
            rk_cell_setf(&r[2], RK_TONE_NONE, "%s requirement %zu", groups[g], i + 1);
            size_t st = (g + i) % 4;
            rk_cell_set(&r[3], STATUS_WORDS[st], STATUS_TONES[st]);
        }

    /* Manual checks */
    s = rk_doc_section(d, "Manual checks", 0, "Manual", RK_TARGET_ALL);
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE,
                    "No collector can check these. Whoever confirms a check signs its row.");
    t = rk_section_table(s, "Manual", 4);
    rk_table_col(t, 0, "Check", 3);
    rk_table_col(t, 1, "Status", 0.9);
    rk_table_col(t, 2, "Attested by", 1.5);
    rk_table_col(t, 3, "Date", 1);
    t->cols[1].status = 1;
    t->cols[2].input = 1;
    t->cols[3].input = 1;
    t->cols[3].date = 1;
    const char *checks[] = {"Migration account has ApplicationImpersonation on the target",
                            "Source and target tenants have a trust for free/busy",
                            "Public folder administrators named for Αθήνα and Москва",
                            "Backups of the source databases verified within 7 days"};
    for (size_t i = 0; i < 4; i++) {
        rk_cell *r = rk_table_row(t);
        rk_cell_set(&r[0], checks[i], RK_TONE_NONE);
        rk_cell_set(&r[1], "manual", RK_TONE_UNKNOWN);
    }

    /* A wide table on landscape pages */
    s = rk_doc_section(d, "Firewall rules", 0, "Rules", RK_TARGET_ALL);
    s->landscape = 1;
    s->new_page = 1;
    t = rk_section_table(s, "Rules", 9);
    const char *fw[] = {
        "#",     "Source zone", "Source host", "Destination zone", "Destination host", "Protocol",
        "Ports", "Purpose",     "Probe"};
    const double fww[] = {0.4, 1.2, 1.6, 1.2, 1.6, 0.8, 1.2, 2.4, 0.9};
    for (size_t i = 0; i < 9; i++)
        rk_table_col(t, i, fw[i], fww[i]);
    t->cols[8].status = 1;
    for (size_t i = 0; i < 30; i++) {
        rk_cell *r = rk_table_row(t);
        rk_cell_setf(&r[0], RK_TONE_NONE, "%zu", i + 1);
        rk_cell_set(&r[1], i % 2 ? "Target datacenter" : "Source datacenter Zürich", RK_TONE_NONE);
        rk_cell_setf(&r[2], RK_TONE_NONE, "MIG%02zu.corp.example (10.1.%zu.%zu)", i % 4 + 1, i % 3,
                     10 + i);
        rk_cell_set(&r[3], i % 3 ? "Microsoft 365" : "DMZ", RK_TONE_NONE);
        rk_cell_setf(&r[4], RK_TONE_NONE, "EXCH%02zu.target.example", i % 5 + 1);
        rk_cell_set(&r[5], "TCP", RK_TONE_NONE);
        rk_cell_set(&r[6], i % 4 ? "443" : "135, 445, 49152-65535", RK_TONE_NONE);
        rk_cell_set(&r[7], "EWS and MRS proxy traffic of the mailbox migration", RK_TONE_NONE);
        size_t st = i % 6 == 5 ? 1 : i % 6 == 4 ? 3 : 0;
        rk_cell_set(&r[8], st == 1 ? "filtered" : st == 3 ? "unknown" : "open", STATUS_TONES[st]);
    }

    /* Flow diagram */
    s = rk_doc_section(d, "Flow diagram", 0, NULL, RK_TARGET_PDF);
    s->landscape = 1;
    s->new_page = 1;
    rk_diagram *g = rk_section_diagram(s, "Zones and the flows between them");
    size_t z0 = rk_diagram_zone(g, "Source datacenter Zürich");
    rk_diagram_zone_line(g, z0, "EXCH01.zürich.example — source-exchange, 10.1.0.10");
    rk_diagram_zone_line(g, z0, "MOSKVA-DC (Москва) — source-dc, 10.1.0.5");
    rk_diagram_zone_line(g, z0, "MIG01 — migration-server, worker, 10.1.0.20");
    size_t z1 = rk_diagram_zone(g, "Target datacenter");
    rk_diagram_zone_line(g, z1, "EXCH02.target.example — target-exchange, 10.2.0.10");
    rk_diagram_zone_line(g, z1, "ATHENS-SQL (Αθήνα) — sql-server, 10.2.0.30");
    size_t z2 = rk_diagram_zone(g, "DMZ");
    rk_diagram_zone_line(g, z2, "SMTP01 — target-smtp, 192.0.2.25");
    size_t z3 = rk_diagram_zone(g, "Microsoft 365");
    rk_diagram_zone_line(g, z3, "outlook.office365.com");
    rk_diagram_zone_line(g, z3, "login.microsoftonline.com");
    rk_diagram_edge(g, z0, z1, "TCP 443 (EWS), 80 (autodiscover)");
    rk_diagram_edge(g, z1, z0, "TCP 135, 445, 49152-65535 (RPC, SMB)");
    rk_diagram_edge(g, z0, z3, "TCP 443 (Exchange Online, Graph)");
    rk_diagram_edge(g, z1, z2, "TCP 25 (SMTP)");
    rk_diagram_edge(g, z2, z3, "TCP 25 (SMTP relay)");
    rk_diagram_edge(g, z0, z2, "TCP 587");
    rk_diagram_edge(g, z1, z1, "TCP 1433 (SQL Server)");
    rk_diagram_edge(g, z0, z0, "TCP 5985-5986 (WinRM), 389, 636, 3268 (LDAP, GC)");

    if (dense) dense_diagram(d);

    /* Not for the PDF */
    s = rk_doc_section(d, "Spreadsheet only", 0, "Data", RK_TARGET_XLSX);
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, "XLSX-ONLY-MARKER must not reach the PDF");

    /* Bulk rows for timing */
    if (bulk_rows) {
        s = rk_doc_section(d, "Bulk findings", 0, "Bulk", RK_TARGET_ALL);
        s->new_page = 1;
        t = findings_table(s, "Bulk");
        for (size_t i = 0; i < bulk_rows; i++) {
            rk_cell *r = rk_table_row(t);
            rk_cell_setf(&r[0], RK_TONE_NONE,
                         "Requirement %zu: service W3SVC is running on "
                         "host SRV%04zu",
                         i % 48 + 1, i / 48);
            rk_cell_set(&r[1], "running", RK_TONE_NONE);
            rk_cell_set(&r[2], i % 9 == 4 ? "stopped" : "running", RK_TONE_NONE);
            size_t st = i % 9 == 4 ? 1 : i % 13 == 7 ? 2 : 0;
            rk_cell_set(&r[3], STATUS_WORDS[st], STATUS_TONES[st]);
            rk_cell_set(&r[4],
                        st ? "Start the service and set its start type to "
                             "Automatic."
                           : "",
                        RK_TONE_NONE);
        }
    }

    /* Sign-off */
    s = rk_doc_section(d, "Sign-off", 0, "Sign-off", RK_TARGET_ALL);
    s->new_page = 1;
    rk_signoff *so = rk_section_signoff(s);
    so->statement =
        rk_xstrdup("By signing, each role confirms that it has read this report, that the findings "
                   "match the state of the hosts on the date of the assessment, and records its "
                   "decision on whether the migration may start.");
    so->digest_label = rk_xstrdup("Document digest (SHA-256 over the inputs)");
    so->digest = rk_xstrdup("3f8a9c0d4b1e27f6a5c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1");
    so->name_label = rk_xstrdup("Name");
    so->decision_label = rk_xstrdup("Decision");
    so->date_label = rk_xstrdup("Date");
    so->signature_label = rk_xstrdup("Signature");
    so->comment_label = rk_xstrdup("Comment");
    rk_signoff_decision(so, "Approved");
    rk_signoff_decision(so, "Approved with conditions");
    rk_signoff_decision(so, "Rejected");
    rk_signoff_role(so, "Migration consultant");
    rk_signoff_role(so, "Customer project manager");
    rk_signoff_role(so, "Change advisory board (Zürich)");
    rk_signoff_role(so, "Security officer");
    return d;
}

static int usage(void)
{
    fprintf(stderr, "usage: pdf_sample [--letter] [--rows N] [--dense | --edge-cases] [--font TTF] "
                    "[--font-bold TTF] [--fsize-limit BYTES] [--time] OUT.pdf\n");
    return 2;
}

int main(int argc, char **argv)
{
    rk_pdf_options opt = {0, NULL, NULL, NULL};
    size_t rows = 0;
    long fsize = 0;
    int timing = 0, dense = 0, edge = 0;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--letter"))
            opt.letter = 1;
        else if (!strcmp(argv[i], "--time"))
            timing = 1;
        else if (!strcmp(argv[i], "--dense"))
            dense = 1;
        else if (!strcmp(argv[i], "--edge-cases"))
            edge = 1;
        else if (!strcmp(argv[i], "--rows") && i + 1 < argc)
            rows = (size_t)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--font") && i + 1 < argc)
            opt.font = argv[++i];
        else if (!strcmp(argv[i], "--font-bold") && i + 1 < argc)
            opt.font_bold = argv[++i];
        else if (!strcmp(argv[i], "--fsize-limit") && i + 1 < argc)
            fsize = strtol(argv[++i], NULL, 10);
        else if (argv[i][0] == '-' || out)
            return usage();
        else
            out = argv[i];
    }
    if (!out) return usage();
    if (fsize > 0) {
        /* Makes writes beyond fsize bytes fail with EFBIG: a disk that fills up. */
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {(rlim_t)fsize, (rlim_t)fsize};
        setrlimit(RLIMIT_FSIZE, &rl);
    }
    rk_doc *d = edge ? edge_cases() : sample(rows, dense);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char err[2048] = "";
    rk_err rc = rk_pdf_write(d, &opt, out, err, sizeof(err));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (timing)
        fprintf(stderr, "rk_pdf_write: %.3f s\n",
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    rk_doc_free(d);
    if (rc != RK_OK) {
        fprintf(stderr, "pdf_sample: %s\n", err);
        return (int)rc;
    }
    return 0;
}
