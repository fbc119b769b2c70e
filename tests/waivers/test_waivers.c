/* test_waivers.c - waivers and attestations: loading (with the governance keys), refusals
 * with positions, glob matching, expiry on the day itself, expiring waivers, unused and
 * expired lists, verdicts, the attestations template, standalone validation and the
 * report sections (risk accepted, waivers and attestations, the waiver register). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "assess.h"
#include "attest_template.h"
#include "doc.h"
#include "eval.h"
#include "pipeline.h"
#include "readiness_doc.h"
#include "template.h"
#include "util.h"
#include "waivers.h"
#include "xlsx_read.h"
#include "yaml_tree.h"

#define DATA RK_WAIVERS_DATA

/* ---- fixture: a hand-built assessment over the test schema ---------------------- */

typedef struct fx_host {
    const char *name, *fqdn;
    uint32_t roles; /* 1 app, 2 db */
} fx_host;

static const fx_host HOSTS[] = {{"web01", NULL, 1},
                                {"WEB02", NULL, 1},
                                {"db01", "db01.example.com", 2},
                                {"app03", "app03.example.com", 1}};

static int64_t when(const char *s)
{
    int64_t t = 0;
    assert_int_equal(rk_parse_date(s, &t), 0);
    return t;
}

static rk_assessment *fx_new(const char *date)
{
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_assessment *a = rk_xcalloc(1, sizeof(*a));
    a->schema = rk_schema_load(DATA "/schemas/rk-test.yaml", &d);
    if (!a->schema) fail_msg("schema: %s", d.msg);
    rk_project *p = rk_xcalloc(1, sizeof(*p));
    p->path = rk_xstrdup(DATA "/project.yaml");
    p->dir = rk_xstrdup(DATA);
    p->customer = rk_xstrdup("Contoso Ltd");
    p->project = rk_xstrdup("Test migration");
    p->assessment_id = rk_xstrdup("T-1");
    p->schema_id = rk_xstrdup("rk-test");
    p->language = rk_xstrdup("en");
    p->nhosts = sizeof HOSTS / sizeof HOSTS[0];
    p->hosts = rk_xcalloc(p->nhosts, sizeof(rk_host));
    for (size_t i = 0; i < p->nhosts; i++) {
        p->hosts[i].name = rk_xstrdup(HOSTS[i].name);
        p->hosts[i].fqdn = rk_xstrdup(HOSTS[i].fqdn);
        p->hosts[i].roles = HOSTS[i].roles;
    }
    a->project = p;
    a->facts = rk_xcalloc(p->nhosts, sizeof(rk_facts *));
    a->date = when(date);
    return a;
}

static size_t req_index(const rk_assessment *a, const char *id)
{
    for (size_t i = 0; i < a->schema->nreqs; i++)
        if (!strcmp(a->schema->reqs[i].id, id)) return i;
    fail_msg("no requirement %s", id);
    return 0;
}

static size_t host_index(const rk_assessment *a, const char *name)
{
    for (size_t i = 0; i < a->project->nhosts; i++)
        if (!strcmp(a->project->hosts[i].name, name)) return i;
    fail_msg("no host %s", name);
    return 0;
}

static void add_finding(rk_assessment *a, const char *host, const char *req, rk_status st)
{
    a->findings = rk_xrealloc(a->findings, (a->nfindings + 1) * sizeof(rk_finding));
    rk_finding *f = &a->findings[a->nfindings++];
    memset(f, 0, sizeof(*f));
    f->host = host_index(a, host);
    f->req = req_index(a, req);
    f->status = f->original = st;
    f->expected = rk_xstrdup("expected");
    f->actual = rk_xstrdup("actual");
    f->message = rk_xstrdup("message");
    f->flow = -1;
}

/* The scenario the data files are written for. */
static rk_assessment *scenario(const char *date)
{
    rk_assessment *a = fx_new(date);
    add_finding(a, "web01", "T-MEM", RK_ST_FAIL);
    add_finding(a, "web01", "T-DISK", RK_ST_PASS);
    add_finding(a, "web01", "T-OS", RK_ST_PASS);
    add_finding(a, "web01", "T-ACCT", RK_ST_MANUAL);
    add_finding(a, "web01", "T-ORG", RK_ST_MANUAL);
    add_finding(a, "WEB02", "T-MEM", RK_ST_UNKNOWN);
    add_finding(a, "WEB02", "T-DISK", RK_ST_WARN);
    add_finding(a, "WEB02", "T-OS", RK_ST_FAIL);
    add_finding(a, "WEB02", "T-ACCT", RK_ST_MANUAL);
    add_finding(a, "WEB02", "T-ORG", RK_ST_MANUAL);
    add_finding(a, "db01", "T-MEM", RK_ST_FAIL);
    add_finding(a, "db01", "T-DISK", RK_ST_WARN);
    add_finding(a, "db01", "T-OS", RK_ST_FAIL);
    add_finding(a, "db01", "T-ORG", RK_ST_MANUAL);
    add_finding(a, "app03", "T-MEM", RK_ST_PASS);
    add_finding(a, "app03", "T-DISK", RK_ST_WARN);
    add_finding(a, "app03", "T-OS", RK_ST_NA);
    add_finding(a, "app03", "T-ACCT", RK_ST_MANUAL);
    add_finding(a, "app03", "T-ORG", RK_ST_MANUAL);
    return a;
}

static const rk_finding *finding(const rk_assessment *a, const char *host, const char *req)
{
    size_t h = host_index(a, host), r = req_index(a, req);
    for (size_t i = 0; i < a->nfindings; i++)
        if (a->findings[i].host == h && a->findings[i].req == r) return &a->findings[i];
    fail_msg("no finding %s %s", host, req);
    return NULL;
}

/* The loaders, as the pipeline calls them: entries name their file relative to the
 * project folder. */
static rk_err wload(rk_assessment *a, const char *path, char sha[65], rk_diag *d)
{
    char *display = rk_input_display_path(a->project, path);
    rk_err e = rk_waivers_load(path, display, a->schema, &a->waivers, &a->nwaivers, sha,
                               &a->warnings, d);
    free(display);
    return e;
}

static rk_err aload(rk_assessment *a, const char *path, char sha[65], rk_diag *d)
{
    char *display = rk_input_display_path(a->project, path);
    rk_err e = rk_attestations_load(path, display, a->schema, &a->attestations,
                                    &a->nattestations, sha, d);
    free(display);
    return e;
}

static void load_ok(rk_assessment *a, const char *waivers, const char *attestations)
{
    rk_diag d;
    memset(&d, 0, sizeof d);
    char sha[65];
    if (waivers && wload(a, waivers, sha, &d) != RK_OK)
        fail_msg("%s: %s", waivers, d.msg);
    if (waivers) assert_int_equal(strlen(sha), 64);
    if (attestations && aload(a, attestations, sha, &d) != RK_OK)
        fail_msg("%s: %s", attestations, d.msg);
}

/* ---- loading ---------------------------------------------------------------------- */

static void test_load_fields(void **state)
{
    (void)state;
    rk_assessment *a = scenario("2024-06-30T12:00:00Z");
    load_ok(a, DATA "/waivers-ok.yaml", DATA "/attestations-ok.yaml");
    assert_int_equal(a->nwaivers, 5);
    const rk_waiver *w = &a->waivers[0];
    assert_string_equal(w->requirement, "T-MEM");
    assert_string_equal(w->hosts, "WEB*");
    assert_string_equal(w->justification,
                        "The web servers get more memory in the August maintenance window.");
    assert_string_equal(w->approved_by, "Jane Doe (CAB)");
    assert_string_equal(w->expires, "2024-06-30");
    assert_int_equal(w->expires_epoch, when("2024-06-30"));
    assert_string_equal(w->ticket, "CHG0042137"); /* read from the older name, reference */
    assert_string_equal(w->file, "waivers-ok.yaml"); /* relative to the project folder */
    assert_int_equal(w->line, 5);
    assert_null(a->waivers[1].ticket);
    assert_string_equal(a->waivers[2].hosts, "db01, *.example.com");
    assert_string_equal(a->waivers[2].expires, "2024-09-30"); /* quoted date */
    assert_int_equal(a->nattestations, 4);
    assert_null(a->attestations[0].hosts); /* organisation-wide */
    assert_string_equal(a->attestations[0].attested_by, "Max Mustermann");
    assert_string_equal(a->attestations[0].date, "2024-06-01");
    assert_string_equal(a->attestations[1].hosts, "web01");
    rk_assessment_free(a);
}

/* Appending a second file keeps the first's entries; a refused file adds nothing. */
static void test_load_appends_and_is_atomic(void **state)
{
    (void)state;
    rk_assessment *a = scenario("2024-06-30T12:00:00Z");
    load_ok(a, DATA "/waivers-ok.yaml", NULL);
    rk_diag d;
    memset(&d, 0, sizeof d);
    char sha[65];
    assert_int_equal(wload(a, DATA "/bad/missing-expires.yaml", sha, &d), RK_INPUT);
    assert_int_equal(a->nwaivers, 5);
    load_ok(a, DATA "/waivers-ok.yaml", NULL);
    assert_int_equal(a->nwaivers, 10);
    rk_assessment_free(a);
}

/* ---- refusals: exact messages with line and column -------------------------------- */

typedef struct refusal {
    const char *file;
    int attestations;
    const char *message; /* without the data folder prefix */
} refusal;

static const refusal REFUSALS[] = {
    {"missing-justification.yaml", 0,
     "bad/missing-justification.yaml:6:5: waiver without 'justification'; expected the reason "
     "the gap is accepted, in words"},
    {"empty-justification.yaml", 0,
     "bad/empty-justification.yaml:5:20: 'justification' is empty; expected the reason the gap "
     "is accepted, in words"},
    {"missing-approver.yaml", 0,
     "bad/missing-approver.yaml:3:5: waiver without 'approved_by'; expected the name of the "
     "person who approved it"},
    {"missing-expires.yaml", 0,
     "bad/missing-expires.yaml:3:5: waiver without 'expires'; expected a date YYYY-MM-DD"},
    {"missing-hosts.yaml", 0,
     "bad/missing-hosts.yaml:3:5: waiver without 'hosts'; expected a host name or glob such as "
     "\"CEX*\", or a list of them"},
    {"bad-date.yaml", 0,
     "bad/bad-date.yaml:7:14: 'expires' is '2024-02-30'; expected a date YYYY-MM-DD"},
    {"bad-date-format.yaml", 0,
     "bad/bad-date-format.yaml:7:14: 'expires' is '30.06.2024'; expected a date YYYY-MM-DD"},
    {"unknown-requirement.yaml", 0,
     "bad/unknown-requirement.yaml:3:18: waiver for requirement 'T-MEMORY', which schema "
     "'rk-test' does not have; expected a requirement id of that schema (did you mean T-MEM?)"},
    {"unknown-requirement-far.yaml", 0,
     "bad/unknown-requirement-far.yaml:3:18: waiver for requirement 'MPE-SRV-MEM', which schema "
     "'rk-test' does not have; expected a requirement id of that schema"},
    {"unknown-key.yaml", 0,
     "bad/unknown-key.yaml:6:5: unknown key 'aproved_by'; expected one of: requirement, hosts, "
     "justification, approved_by, approved_on, risk, ticket, reference, scope, expires"},
    {"unknown-top-key.yaml", 0,
     "bad/unknown-top-key.yaml:2:1: unknown key 'waiver'; expected one of: format, schema, "
     "waivers"},
    {"wrong-format.yaml", 0,
     "bad/wrong-format.yaml:1:9: unknown format 'readykit-waiver/1'; expected "
     "readykit-waivers/1"},
    {"no-format.yaml", 0,
     "bad/no-format.yaml:1:1: missing 'format'; expected format: readykit-waivers/1"},
    {"att-as-waivers.yaml", 0,
     "bad/att-as-waivers.yaml:1:9: this is an attestations file (format "
     "readykit-attestations/1); expected readykit-waivers/1 (pass it with --attestations)"},
    {"alias.yaml", 0,
     "bad/alias.yaml:10:20: YAML alias '*why' is not allowed; write the value out in full"},
    {"duplicate-key.yaml", 0,
     "bad/duplicate-key.yaml:7:5: duplicate key 'approved_by' (first at line 6); expected each "
     "key once"},
    {"hosts-empty-list.yaml", 0,
     "bad/hosts-empty-list.yaml:4:12: 'hosts' is an empty list; expected a host name or glob "
     "such as \"CEX*\", or a list of them"},
    {"schema-mismatch.yaml", 0,
     "bad/schema-mismatch.yaml:2:9: written for schema 'migrator-pro-exchange-20.11'; expected "
     "'rk-test', the schema of this assessment"},
    {"not-a-list.yaml", 0,
     "bad/not-a-list.yaml:3:3: 'waivers' is a mapping; expected a list of waivers"},
    {"entry-scalar.yaml", 0,
     "bad/entry-scalar.yaml:3:5: waiver 1 is a scalar; expected a mapping of requirement, "
     "hosts, justification, approved_by, expires and optionally approved_on, risk, ticket and scope"},
    {"invalid-utf8.yaml", 0,
     "bad/invalid-utf8.yaml:5:29: invalid UTF-8 (byte 0xFC); expected UTF-8 text"},
    {"att-machine-check.yaml", 1,
     "bad/att-machine-check.yaml:3:18: attestation for 'T-MEM', a machine check (min): facts, "
     "not people, decide machine checks; expected a manual check ('readykit "
     "attestations-template' lists them)"},
    {"att-date-after-expiry.yaml", 1,
     "bad/att-date-after-expiry.yaml:7:14: 'expires' (2024-05-31) is before 'date' "
     "(2024-06-01); expected an expiry on or after the day it was attested"},
    {"att-missing-evidence.yaml", 1,
     "bad/att-missing-evidence.yaml:3:5: attestation without 'evidence'; expected what was "
     "checked and where the proof is, in words"},
    {"att-blank-template.yaml", 1,
     "bad/att-blank-template.yaml:6:18: 'attested_by' is empty; expected the name of the "
     "person who verified it"},
};

static void test_refusals(void **state)
{
    (void)state;
    /* paths relative to the data folder, as a user types them */
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(DATA), 0);
    for (size_t i = 0; i < sizeof REFUSALS / sizeof REFUSALS[0]; i++) {
        const refusal *r = &REFUSALS[i];
        rk_assessment *a = scenario("2024-06-30T12:00:00Z");
        char path[512], out[2200], sha[65];
        snprintf(path, sizeof path, "bad/%s", r->file);
        rk_diag d;
        memset(&d, 0, sizeof d);
        rk_err e = r->attestations ? aload(a, path, sha, &d)
                                   : wload(a, path, sha, &d);
        rk_diag_format(&d, out, sizeof out);
        if (e != RK_INPUT || strcmp(out, r->message) != 0)
            fail_msg("%s:\n  got      %s\n  expected %s", r->file, out, r->message);
        assert_int_equal(a->nwaivers, 0);
        assert_int_equal(a->nattestations, 0);
        rk_assessment_free(a);
    }
    assert_int_equal(chdir(cwd), 0);
}

/* ---- matching ---------------------------------------------------------------------- */

static void test_apply_globs_and_statuses(void **state)
{
    (void)state;
    rk_assessment *a = scenario("2024-06-30T12:00:00Z");
    load_ok(a, DATA "/waivers-ok.yaml", DATA "/attestations-ok.yaml");
    rk_exceptions_apply(a);
    const rk_waiver *w = a->waivers;

    /* "WEB*" matches web01 and WEB02 whatever the case; fail and unknown become waived */
    const rk_finding *f = finding(a, "web01", "T-MEM");
    assert_int_equal(f->status, RK_ST_WAIVED);
    assert_int_equal(f->original, RK_ST_FAIL);
    assert_ptr_equal(f->waiver, &w[0]);
    f = finding(a, "WEB02", "T-MEM");
    assert_int_equal(f->status, RK_ST_WAIVED);
    assert_int_equal(f->original, RK_ST_UNKNOWN);
    assert_ptr_equal(f->waiver, &w[0]);
    /* the catch-all second waiver takes the rest; the first in file order wins */
    f = finding(a, "db01", "T-MEM");
    assert_ptr_equal(f->waiver, &w[1]);
    /* a list of globs, the second matching the FQDN; warn becomes waived */
    f = finding(a, "db01", "T-DISK");
    assert_int_equal(f->status, RK_ST_WAIVED);
    assert_int_equal(f->original, RK_ST_WARN);
    assert_ptr_equal(f->waiver, &w[2]);
    f = finding(a, "app03", "T-DISK");
    assert_ptr_equal(f->waiver, &w[2]);
    /* WEB02 has no FQDN and is not in the list */
    f = finding(a, "WEB02", "T-DISK");
    assert_int_equal(f->status, RK_ST_WARN);
    assert_null(f->waiver);
    /* pass, not-applicable and manual are never waived */
    assert_int_equal(finding(a, "app03", "T-MEM")->status, RK_ST_PASS);
    assert_null(finding(a, "app03", "T-MEM")->waiver);
    assert_int_equal(finding(a, "app03", "T-OS")->status, RK_ST_NA);
    /* the expired waiver for db* does not apply */
    f = finding(a, "db01", "T-OS");
    assert_int_equal(f->status, RK_ST_FAIL);
    assert_null(f->waiver);

    assert_true(w[0].used && !w[0].expired);
    assert_true(w[1].used && !w[1].expired);
    assert_true(w[2].used && !w[2].expired);
    assert_true(!w[3].used && w[3].expired);
    assert_true(!w[4].used && !w[4].expired); /* unused: matches no host */

    /* attestations: organisation-wide T-ORG on every host */
    const char *hosts[] = {"web01", "WEB02", "db01", "app03"};
    for (size_t i = 0; i < 4; i++) {
        f = finding(a, hosts[i], "T-ORG");
        assert_int_equal(f->status, RK_ST_ATTESTED);
        assert_int_equal(f->original, RK_ST_MANUAL);
        assert_ptr_equal(f->attestation, &a->attestations[0]);
    }
    /* web01's attestation expired the day before; web02 matches WEB02 on its last day */
    assert_int_equal(finding(a, "web01", "T-ACCT")->status, RK_ST_MANUAL);
    assert_int_equal(finding(a, "WEB02", "T-ACCT")->status, RK_ST_ATTESTED);
    assert_ptr_equal(finding(a, "WEB02", "T-ACCT")->attestation, &a->attestations[2]);
    assert_int_equal(finding(a, "app03", "T-ACCT")->status, RK_ST_MANUAL);
    assert_true(a->attestations[1].expired && !a->attestations[1].used);
    assert_true(!a->attestations[3].expired && !a->attestations[3].used); /* unused */
    /* attestations never touch machine checks */
    assert_int_equal(finding(a, "WEB02", "T-OS")->status, RK_ST_FAIL);

    rk_eval_verdicts(a);
    assert_int_equal(a->verdict, RK_V_NOT_READY);
    rk_assessment_free(a);
}

/* A waiver expiring on D applies through the whole of D and is expired from D+1. */
static void test_expiry_on_the_day(void **state)
{
    (void)state;
    assert_false(rk_waivers_expired_at(when("2024-06-30"), when("2024-06-30T00:00:00Z")));
    assert_false(rk_waivers_expired_at(when("2024-06-30"), when("2024-06-30T23:59:59Z")));
    assert_true(rk_waivers_expired_at(when("2024-06-30"), when("2024-07-01T00:00:00Z")));
    assert_false(rk_waivers_expired_at(when("2024-06-30"), when("2024-06-29T10:00:00Z")));

    rk_assessment *a = scenario("2024-06-30T23:59:59Z");
    load_ok(a, DATA "/waivers-ok.yaml", DATA "/attestations-ok.yaml");
    rk_exceptions_apply(a);
    assert_ptr_equal(finding(a, "web01", "T-MEM")->waiver, &a->waivers[0]);
    assert_int_equal(finding(a, "WEB02", "T-ACCT")->status, RK_ST_ATTESTED);

    /* one second later the first waiver has expired; the catch-all takes over */
    a->date = when("2024-07-01T00:00:00Z");
    rk_exceptions_apply(a);
    assert_true(a->waivers[0].expired);
    assert_false(a->waivers[0].used);
    assert_ptr_equal(finding(a, "web01", "T-MEM")->waiver, &a->waivers[1]);
    assert_int_equal(finding(a, "WEB02", "T-ACCT")->status, RK_ST_MANUAL);
    assert_null(finding(a, "WEB02", "T-ACCT")->attestation);
    assert_true(a->attestations[2].expired);

    /* after every waiver has expired the findings are back to what the facts say */
    a->date = when("2025-02-01T00:00:00Z");
    rk_exceptions_apply(a);
    for (size_t i = 0; i < a->nfindings; i++) {
        assert_int_equal(a->findings[i].status, a->findings[i].original);
        assert_null(a->findings[i].waiver);
        assert_null(a->findings[i].attestation);
    }
    for (size_t i = 0; i < a->nwaivers; i++)
        assert_true(a->waivers[i].expired);
    rk_assessment_free(a);
}

/* Waived findings count as exceptions, never as passes. */
static void test_verdict_counts_waived_as_exceptions(void **state)
{
    (void)state;
    rk_assessment *a = fx_new("2024-06-30T12:00:00Z");
    add_finding(a, "web01", "T-MEM", RK_ST_FAIL);
    add_finding(a, "web01", "T-DISK", RK_ST_PASS);
    add_finding(a, "web01", "T-ACCT", RK_ST_MANUAL);
    add_finding(a, "app03", "T-MEM", RK_ST_PASS);
    add_finding(a, "app03", "T-ACCT", RK_ST_MANUAL);
    rk_eval_verdicts(a);
    assert_int_equal(a->verdict, RK_V_NOT_READY);
    load_ok(a, DATA "/waivers-ok.yaml", DATA "/attestations-ok.yaml");
    rk_exceptions_apply(a);
    rk_eval_verdicts(a);
    /* web01's attestation has expired and app03 has none: still manual */
    assert_int_equal(a->verdict, RK_V_INCOMPLETE);
    a->findings[2].status = a->findings[2].original = RK_ST_PASS;
    a->findings[4].status = a->findings[4].original = RK_ST_PASS;
    rk_exceptions_apply(a);
    rk_eval_verdicts(a);
    assert_int_equal(a->verdict, RK_V_EXCEPTIONS);
    assert_int_equal(a->host_verdicts[host_index(a, "web01")], RK_V_EXCEPTIONS);
    assert_int_equal(a->host_verdicts[host_index(a, "app03")], RK_V_READY);
    rk_assessment_free(a);
}

/* ---- validate on its own ---------------------------------------------------------- */

static void test_validate_standalone(void **state)
{
    (void)state;
    rk_diag d;
    memset(&d, 0, sizeof d);
    char out[2200];
    /* no schema: key, one schema in the folder */
    assert_int_equal(rk_validate_standalone(DATA "/attestations-ok.yaml", "readykit-attestations/1",
                                            DATA "/schemas", &d),
                     RK_OK);
    /* schema: key names it */
    assert_int_equal(
        rk_validate_standalone(DATA "/waivers-ok.yaml", "readykit-waivers/1", DATA "/schemas", &d),
        RK_OK);
    /* unknown requirement reported with its position */
    assert_int_equal(rk_validate_standalone(DATA "/bad/unknown-requirement.yaml",
                                            "readykit-waivers/1", DATA "/schemas", &d),
                     RK_INPUT);
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 18);
    assert_non_null(strstr(d.msg, "did you mean T-MEM?"));
    /* a schema: key naming a schema that is not there */
    assert_int_equal(rk_validate_standalone(DATA "/bad/schema-mismatch.yaml", "readykit-waivers/1",
                                            DATA "/schemas", &d),
                     RK_INPUT);
    rk_diag_format(&d, out, sizeof out);
    assert_non_null(strstr(out, "schema-mismatch.yaml:2:9: schema 'migrator-pro-exchange-20.11' "
                                "not found in "));
    /* no schema: key and several schemas: the file must say which */
    char dir[] = "/tmp/rk-waivers-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *p1 = rk_xasprintf("%s/one.yaml", dir), *p2 = rk_xasprintf("%s/two.yaml", dir);
    fclose(fopen(p1, "w"));
    fclose(fopen(p2, "w"));
    assert_int_equal(
        rk_validate_standalone(DATA "/attestations-ok.yaml", "readykit-attestations/1", dir, &d),
        RK_INPUT);
    assert_non_null(strstr(d.msg, "several schemas in"));
    assert_non_null(strstr(d.msg, "(one, two); expected 'schema:' naming the one"));
    unlink(p1);
    unlink(p2);
    rmdir(dir);
    free(p1);
    free(p2);
}

/* ---- the attestations template ------------------------------------------------------ */

static void test_attestations_template(void **state)
{
    (void)state;
    rk_assessment *a = scenario("2024-06-30T12:00:00Z");
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    rk_attestations_template(a, fp);
    fclose(fp);
    assert_non_null(strstr(text, "format: readykit-attestations/1\nschema: rk-test\n"));
    assert_non_null(strstr(text, "  # T-ACCT: Service account exists\n"));
    assert_non_null(strstr(text, "  #   1. Open Computer Management and check the Administrators"));
    /* one entry per manual check and host: T-ACCT on 3 app hosts, T-ORG on 4 hosts */
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, "  - requirement: ")); p++)
        n++;
    assert_int_equal(n, 7);
    assert_non_null(strstr(text, "  - requirement: T-ACCT\n    hosts: \"WEB02\"\n"));
    assert_null(strstr(text, "requirement: T-MEM"));

    /* as written it is refused (blank fields); filled in, it loads and attests everything */
    char path[] = "/tmp/rk-attest-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "w");
    fputs(text, out);
    fclose(out);
    rk_diag d;
    memset(&d, 0, sizeof d);
    char sha[65];
    assert_int_equal(aload(a, path, sha, &d), RK_INPUT);
    assert_non_null(strstr(d.msg, "'attested_by' is empty"));
    rk_buf filled = {0};
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p + 1) : strlen(p);
        if (!strncmp(p, "    attested_by: \"\"", 19))
            rk_buf_puts(&filled, "    attested_by: QA\n");
        else if (!strncmp(p, "    date: \"\"", 12))
            rk_buf_puts(&filled, "    date: 2024-06-01\n");
        else if (!strncmp(p, "    evidence: \"\"", 16))
            rk_buf_puts(&filled, "    evidence: seen\n");
        else if (!strncmp(p, "    expires: \"\"", 15))
            rk_buf_puts(&filled, "    expires: 2024-12-31\n");
        else
            rk_buf_add(&filled, p, l);
        p += l;
    }
    out = fopen(path, "w");
    fputs(filled.data, out);
    fclose(out);
    if (aload(a, path, sha, &d) != RK_OK) fail_msg("%s", d.msg);
    assert_int_equal(a->nattestations, 7);
    rk_exceptions_apply(a);
    for (size_t i = 0; i < a->nfindings; i++)
        if (a->findings[i].original == RK_ST_MANUAL)
            assert_int_equal(a->findings[i].status, RK_ST_ATTESTED);
    unlink(path);
    rk_buf_free(&filled);
    free(text);
    rk_assessment_free(a);

    /* no manual check: an empty list that loads */
    a = fx_new("2024-06-30T12:00:00Z");
    add_finding(a, "db01", "T-MEM", RK_ST_PASS);
    text = NULL;
    fp = open_memstream(&text, &len);
    rk_attestations_template(a, fp);
    fclose(fp);
    assert_non_null(strstr(text, "# No manual check applies to this project.\nattestations: []\n"));
    free(text);
    rk_assessment_free(a);
}

/* ---- the report section -------------------------------------------------------------- */

static rk_tmpl *templates(const char *lang, rk_warnings *w)
{
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_tmpl *t = rk_tmpl_load(RK_TEMPLATES_DIR, lang, &d, w);
    if (!t) fail_msg("templates: %s", d.msg);
    return t;
}

static const rk_table *table_named(const rk_section *s, const char *name)
{
    for (size_t i = 0; i < s->nblocks; i++)
        if (s->blocks[i].type == RK_BLOCK_TABLE && !strcmp(s->blocks[i].table->name, name))
            return s->blocks[i].table;
    return NULL;
}

static const char *cell(const rk_table *t, size_t row, size_t col)
{
    assert_true(row < t->nrows && col < t->ncols);
    return t->cells[row * t->ncols + col].text;
}

static int section_has_para(const rk_section *s, const char *text)
{
    for (size_t i = 0; i < s->nblocks; i++)
        if (s->blocks[i].type == RK_BLOCK_PARA && strstr(s->blocks[i].text, text)) return 1;
    return 0;
}

/* A template key left unworded shows as "[key]". */
static void no_gap(const char *text)
{
    static const char *const prefixes[] = {"[exc.", "[risk.", "[reg.", "[status.", "[verdict."};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (text && strstr(text, prefixes[i])) fail_msg("unworded template key in %s", text);
}

static void no_gaps(const rk_doc *doc)
{
    for (size_t i = 0; i < doc->nsections; i++) {
        const rk_section *s = &doc->sections[i];
        no_gap(s->title);
        no_gap(s->sheet);
        for (size_t b = 0; b < s->nblocks; b++) {
            const rk_block *bl = &s->blocks[b];
            no_gap(bl->text);
            if (!bl->table) continue;
            for (size_t c = 0; c < bl->table->ncols; c++) no_gap(bl->table->cols[c].header);
            for (size_t c = 0; c < bl->table->nrows * bl->table->ncols; c++)
                no_gap(bl->table->cells[c].text);
        }
    }
}

static const rk_section *section_titled(const rk_doc *doc, const char *title)
{
    for (size_t i = 0; i < doc->nsections; i++)
        if (doc->sections[i].title && !strcmp(doc->sections[i].title, title)) return &doc->sections[i];
    fail_msg("no section %s", title);
    return NULL;
}

static void test_section(void **state)
{
    (void)state;
    rk_warnings w = {0};
    rk_tmpl *t = templates("en", &w);
    rk_assessment *a = scenario("2024-06-30T12:00:00Z");
    load_ok(a, DATA "/waivers-ok.yaml", DATA "/attestations-ok.yaml");
    rk_exceptions_apply(a);
    rk_doc *doc = rk_doc_new();
    rk_readiness_exceptions(doc, a, t, SIZE_MAX);
    /* risk accepted, the entries, the workbook's register */
    assert_int_equal(doc->nsections, 3);
    assert_string_equal(doc->sections[0].title, "Risk accepted");
    assert_string_equal(doc->sections[2].title, "Waiver register");
    assert_int_equal(doc->sections[2].targets, RK_TARGET_XLSX);
    const rk_section *s = &doc->sections[1];
    assert_string_equal(s->title, "Waivers and attestations");
    assert_string_equal(s->sheet, "Exceptions");
    assert_int_equal(s->level, 0);
    assert_int_equal(s->targets, RK_TARGET_ALL);

    const rk_table *wt = table_named(s, "Waivers");
    assert_non_null(wt);
    assert_int_equal(wt->nrows, 3);
    assert_string_equal(wt->cols[2].header, "Justification");
    assert_string_equal(cell(wt, 0, 0), "T-MEM\nEnough memory");
    assert_string_equal(cell(wt, 0, 1), "WEB*");
    assert_string_equal(cell(wt, 0, 3), "Jane Doe (CAB)");
    /* its last day is the assessment day: flagged, in words and colour */
    assert_string_equal(cell(wt, 0, 4), "2024-06-30\nexpires within 30 days");
    assert_int_equal(wt->cells[4].tone, RK_TONE_WARN);
    assert_string_equal(cell(wt, 2, 4), "2024-09-30"); /* 92 days away: not flagged */
    assert_int_equal(wt->cells[2 * wt->ncols + 4].tone, RK_TONE_INFO);
    assert_string_equal(cell(wt, 0, 5), "CHG0042137");
    assert_string_equal(cell(wt, 0, 6), "web01 (fail)\nWEB02 (unknown)");
    assert_string_equal(cell(wt, 2, 6), "db01 (warn)\napp03 (warn)");

    const rk_table *at = table_named(s, "Attestations");
    assert_non_null(at);
    assert_int_equal(at->nrows, 2);
    assert_string_equal(cell(at, 0, 1), "all hosts");
    assert_string_equal(cell(at, 0, 2), "Max Mustermann");
    assert_string_equal(cell(at, 0, 3), "2024-06-01");
    assert_string_equal(cell(at, 0, 4), "Get-RoleGroupMember output attached to CHG0042137.");
    assert_string_equal(cell(at, 1, 6), "WEB02 (manual)");

    const rk_table *ex = table_named(s, "ExpiredExceptions");
    assert_non_null(ex);
    assert_int_equal(ex->nrows, 2);
    assert_string_equal(cell(ex, 0, 0), "Waiver");
    assert_string_equal(cell(ex, 0, 4), "2024-06-29");
    assert_string_equal(cell(ex, 0, 5), "waivers-ok.yaml:21");
    assert_int_equal(ex->cells[4].tone, RK_TONE_WARN);
    assert_string_equal(cell(ex, 1, 0), "Attestation");
    assert_true(section_has_para(s, "expired by the assessment date (2024-06-30)"));

    const rk_table *un = table_named(s, "UnusedExceptions");
    assert_non_null(un);
    assert_int_equal(un->nrows, 2);
    assert_string_equal(cell(un, 0, 2), "nosuchhost");
    assert_string_equal(cell(un, 1, 0), "Attestation");
    assert_string_equal(cell(un, 1, 5), "attestations-ok.yaml:20");
    no_gaps(doc);
    rk_doc_free(doc);

    /* a waiver covering more findings than a cell lists: counted, by host and status, with
     * where each is listed (copies of its first finding stand for a fleet's) */
    {
        rk_finding *keep = a->findings;
        size_t nkeep = a->nfindings, first = 0;
        while (first < nkeep && keep[first].waiver != &a->waivers[0]) first++;
        assert_true(first < nkeep);
        a->nfindings = 45;
        a->findings = rk_xcalloc(a->nfindings, sizeof(rk_finding));
        for (size_t i = 0; i < a->nfindings; i++) {
            a->findings[i] = keep[first];
            a->findings[i].host = i % 3;
            a->findings[i].original = i < 40 ? RK_ST_FAIL : RK_ST_WARN;
        }
        doc = rk_doc_new();
        rk_readiness_exceptions(doc, a, t, SIZE_MAX);
        assert_string_equal(cell(table_named(&doc->sections[1], "Waivers"), 0, 6),
                            "45 findings on 3 hosts (fail 40, warn 5); each is listed in the "
                            "Findings sheet (column Waiver / attestation) and in findings.json");
        rk_doc_free(doc);
        free(a->findings);
        a->findings = keep;
        a->nfindings = nkeep;
    }

    /* nothing given: one paragraph says so */
    rk_assessment *b = scenario("2024-06-30T12:00:00Z");
    doc = rk_doc_new();
    rk_readiness_exceptions(doc, b, t, SIZE_MAX);
    assert_true(section_has_para(&doc->sections[1],
                                 "No waivers or attestations were given for this assessment."));
    assert_null(table_named(&doc->sections[1], "Waivers"));
    assert_true(section_has_para(&doc->sections[0], "this assessment accepts no risk"));
    rk_doc_free(doc);
    rk_assessment_free(b);
    assert_int_equal(w.count, 0);
    rk_tmpl_free(t);

    /* German: every key present (no English fallback warnings) */
    t = templates("de", &w);
    doc = rk_doc_new();
    rk_readiness_exceptions(doc, a, t, SIZE_MAX);
    assert_string_equal(doc->sections[0].title, "Akzeptierte Risiken");
    assert_string_equal(doc->sections[1].title, "Ausnahmen und Bestätigungen");
    assert_string_equal(doc->sections[1].sheet, "Ausnahmen");
    assert_string_equal(doc->sections[2].sheet, "Ausnahmeregister");
    assert_string_equal(cell(table_named(&doc->sections[1], "Waivers"), 0, 6),
                        "web01 (nicht erfüllt)\nWEB02 (unbekannt)");
    assert_string_equal(cell(table_named(&doc->sections[1], "Waivers"), 0, 4),
                        "2024-06-30\nläuft in 30 Tagen ab");
    assert_string_equal(cell(table_named(&doc->sections[0], "RiskWaivers"), 0, 9),
                        "angewandt, läuft bald ab");
    no_gaps(doc);
    for (size_t i = 0; i < w.count; i++)
        print_error("warning: %s\n", w.items[i].key);
    assert_int_equal(w.count, 0);
    rk_doc_free(doc);
    rk_tmpl_free(t);
    rk_warnings_free(&w);
    rk_assessment_free(a);
}

/* The governance keys: who approved, when, the risk, the ticket (or its older name) and
 * the scope; optional keys left null count as absent. */
static void test_governance_fields(void **state)
{
    (void)state;
    rk_assessment *a = scenario("2024-06-30T12:00:00Z");
    load_ok(a, DATA "/governance-ok.yaml", DATA "/attestations-governance-ok.yaml");
    assert_int_equal(a->nwaivers, 3);
    const rk_waiver *w = &a->waivers[0];
    assert_string_equal(w->approved_by, "Jane Doe (CAB)");
    assert_string_equal(w->approved_on, "2024-05-02");
    assert_string_equal(w->risk, "medium");
    assert_string_equal(w->ticket, "CHG0042137");
    assert_string_equal(w->scope, "Production web servers only; the test farm is out of scope.");
    assert_string_equal(a->waivers[1].approved_on, "2024-09-30"); /* on the day it expires */
    assert_string_equal(a->waivers[1].risk, "low");
    assert_string_equal(a->waivers[1].ticket, "CHG0042138"); /* from `reference` */
    assert_null(a->waivers[1].scope);
    assert_string_equal(a->waivers[2].risk, "high");
    assert_null(a->waivers[2].approved_on);
    assert_null(a->waivers[2].ticket);
    assert_null(a->waivers[2].scope);
    assert_int_equal(a->nattestations, 1);
    assert_string_equal(a->attestations[0].ticket, "RITM0012345");
    rk_assessment_free(a);
}

/* Expiring: still applied, flagged from RK_EXPIRING_DAYS before the last day on; with
 * --expiring-as-expired the verdict is judged as if they had expired, the next waiver
 * that applies taking over. */
static void test_expiring(void **state)
{
    (void)state;
    rk_assessment *a = fx_new("2024-09-15T08:00:00Z");
    add_finding(a, "web01", "T-MEM", RK_ST_FAIL); /* waiver 0: last day 09-30 */
    add_finding(a, "db01", "T-OS", RK_ST_FAIL);   /* waiver 2: last day 12-31 */
    add_finding(a, "db01", "T-DISK", RK_ST_PASS);
    load_ok(a, DATA "/governance-ok.yaml", NULL);
    rk_exceptions_apply(a);
    rk_eval_verdicts(a);
    assert_true(a->waivers[0].expiring && a->waivers[0].used && !a->waivers[0].expired);
    assert_true(a->waivers[1].expiring && !a->waivers[1].used);
    assert_false(a->waivers[2].expiring);
    assert_int_equal(a->verdict, RK_V_EXCEPTIONS);
    assert_int_equal(rk_verdict_expiring_as_expired(a), RK_V_NOT_READY);
    assert_int_equal(a->findings[0].status, RK_ST_WAIVED); /* the assessment is unchanged */

    /* it stops applying on 10-01: flagged from 30 days before that, 09-01, on */
    a->date = when("2024-08-31T23:59:59Z");
    rk_exceptions_apply(a);
    assert_false(a->waivers[0].expiring);
    a->date = when("2024-09-01T00:00:00Z");
    rk_exceptions_apply(a);
    assert_true(a->waivers[0].expiring);
    /* on the last day itself: still applied, still flagged */
    a->date = when("2024-09-30T23:59:59Z");
    rk_exceptions_apply(a);
    assert_true(a->waivers[0].expiring && a->waivers[0].used);
    rk_assessment_free(a);

    /* a later waiver that does not expire soon takes over from an expiring one */
    rk_assessment *b = fx_new("2024-06-30T12:00:00Z");
    add_finding(b, "web01", "T-MEM", RK_ST_FAIL);
    load_ok(b, DATA "/waivers-ok.yaml", NULL); /* WEB* expires 06-30, then "*" 12-31 */
    rk_exceptions_apply(b);
    rk_eval_verdicts(b);
    assert_ptr_equal(b->findings[0].waiver, &b->waivers[0]);
    assert_true(b->waivers[0].expiring);
    assert_int_equal(rk_verdict_expiring_as_expired(b), RK_V_EXCEPTIONS);
    rk_assessment_free(b);
}

static double num(const rk_table *t, size_t row, size_t col)
{
    const rk_cell *c = &t->cells[row * t->ncols + col];
    assert_true(c->is_number);
    return c->number;
}

/* "Risk accepted": statuses without and with the waivers, the hosts they change, every
 * waiver with approver, risk and state; and the register's columns. */
static void test_risk_section(void **state)
{
    (void)state;
    rk_warnings w = {0};
    rk_tmpl *t = templates("en", &w);
    rk_assessment *a = scenario("2024-06-30T12:00:00Z");
    load_ok(a, DATA "/waivers-ok.yaml", DATA "/attestations-ok.yaml");
    rk_exceptions_apply(a);
    rk_eval_verdicts(a);
    rk_doc *doc = rk_doc_new();
    rk_readiness_exceptions(doc, a, t, SIZE_MAX);
    const rk_section *s = section_titled(doc, "Risk accepted");
    assert_string_equal(s->sheet, "Risk accepted");
    assert_int_equal(s->targets, RK_TARGET_ALL);

    /* overall: counted here from the findings */
    size_t before[RK_ST_COUNT] = {0}, after[RK_ST_COUNT] = {0};
    for (size_t i = 0; i < a->nfindings; i++) {
        const rk_finding *f = &a->findings[i];
        before[f->waiver ? f->original : f->status]++;
        after[f->status]++;
    }
    const rk_table *o = table_named(s, "RiskOverall");
    assert_non_null(o);
    assert_int_equal(o->nrows, 8);
    assert_string_equal(cell(o, 0, 0), "fail");
    assert_int_equal(num(o, 0, 1), before[RK_ST_FAIL]);
    assert_int_equal(num(o, 0, 2), after[RK_ST_FAIL]);
    assert_string_equal(cell(o, 3, 0), "waived");
    assert_int_equal(num(o, 3, 1), 0);
    assert_int_equal(num(o, 3, 2), after[RK_ST_WAIVED]);
    assert_true(after[RK_ST_WAIVED] > 0);
    assert_true(section_has_para(s, "Verdict without the waivers: Not ready. With them: Not ready."));

    /* per host: only the hosts a waiver changes */
    const rk_table *h = table_named(s, "RiskByHost");
    assert_non_null(h);
    size_t hosts = 0;
    for (size_t k = 0; k < a->project->nhosts; k++) {
        int any = 0;
        for (size_t i = 0; i < a->nfindings; i++) any |= a->findings[i].host == k && a->findings[i].waiver;
        hosts += any;
    }
    assert_int_equal(h->nrows, hosts);
    assert_string_equal(cell(h, 0, 0), "web01");
    assert_int_equal(num(h, 0, 1), 1); /* fail without */
    assert_int_equal(num(h, 0, 2), 0); /* fail with */
    assert_int_equal(num(h, 0, 7), 1); /* waived */

    /* at fleet scale, more hosts than the PDF lists: the PDF says how many and where, the
     * workbook has the same table; the waiver list follows in both */
    {
        rk_doc *fleet = rk_doc_new();
        rk_readiness_exceptions(fleet, a, t, hosts - 1);
        size_t first = 0;
        while (strcmp(fleet->sections[first].title ? fleet->sections[first].title : "", "Risk accepted"))
            first++;
        assert_null(table_named(&fleet->sections[first], "RiskByHost"));
        const rk_section *pdf = &fleet->sections[first + 1], *wb = &fleet->sections[first + 2],
                         *rest = &fleet->sections[first + 3];
        assert_int_equal(pdf->targets, RK_TARGET_PDF);
        char *note = rk_xasprintf("The waivers change the findings of %zu hosts", hosts);
        assert_true(section_has_para(pdf, note));
        assert_true(section_has_para(pdf, "readiness.xlsx (sheet Risk accepted)"));
        free(note);
        assert_int_equal(wb->targets, RK_TARGET_XLSX);
        assert_null(wb->title);
        assert_int_equal(table_named(wb, "RiskByHost")->nrows, hosts);
        assert_int_equal(rest->targets, RK_TARGET_ALL);
        assert_null(rest->title);
        assert_non_null(table_named(rest, "RiskWaivers"));
        no_gaps(fleet);
        rk_doc_free(fleet);
    }

    /* every waiver in file order, with its state */
    const rk_table *l = table_named(s, "RiskWaivers");
    assert_non_null(l);
    assert_int_equal(l->nrows, a->nwaivers);
    assert_string_equal(cell(l, 0, 2), "Jane Doe (CAB)");
    assert_string_equal(cell(l, 0, 4), "not rated");
    assert_string_equal(cell(l, 0, 7), "2024-06-30: the assessment day is its last day");
    assert_string_equal(cell(l, 0, 9), "applied, expires soon");
    assert_int_equal(l->cells[9].tone, RK_TONE_WARN);
    assert_string_equal(cell(l, 2, 9), "applied");
    assert_string_equal(cell(l, 3, 9), "expired, not applied");
    assert_string_equal(cell(l, 4, 9), "unused");
    assert_int_equal(num(l, 4, 8), 0);

    /* the register: format and schema rows, then the waiver file's columns */
    const rk_section *r = section_titled(doc, "Waiver register");
    assert_string_equal(r->sheet, "Waivers");
    const rk_table *k = table_named(r, "RegisterFormat");
    assert_true(k->kv);
    assert_string_equal(cell(k, 0, 1), "readykit-waivers/1");
    assert_string_equal(cell(k, 1, 1), "rk-test");
    const rk_table *g = table_named(r, "WaiverRegister");
    assert_int_equal(g->ncols, RK_WAIVER_NCOLS);
    for (size_t c = 0; c < RK_WAIVER_NCOLS; c++) {
        char *want = rk_xasprintf("(%s)", rk_waiver_columns[c]);
        assert_non_null(strstr(g->cols[c].header, want));
        assert_true(g->cols[c].input);
        free(want);
    }
    assert_true(g->cols[4].date && g->cols[8].date);
    assert_int_equal(g->cols[5].nchoices, 3);
    assert_int_equal(g->nrows, a->nwaivers);
    assert_string_equal(cell(g, 2, 1), "db01, *.example.com");
    assert_string_equal(cell(g, 0, 6), "CHG0042137");
    assert_string_equal(cell(g, 4, 8), "2025-01-31");
    no_gaps(doc);
    rk_doc_free(doc);
    assert_int_equal(w.count, 0);
    rk_tmpl_free(t);
    rk_warnings_free(&w);
    rk_assessment_free(a);
}

/* Workbook cells: names, and serial dates of the 1900 date system (1904 needs a workbook). */
static void test_xlsx_cells(void **state)
{
    (void)state;
    char name[16], date[11];
    rk_xlsx_cell_name(7, 5, name, sizeof name);
    assert_string_equal(name, "E7");
    rk_xlsx_cell_name(1, 27, name, sizeof name);
    assert_string_equal(name, "AA1");
    rk_xlsx_cell_name(1048576, 16384, name, sizeof name);
    assert_string_equal(name, "XFD1048576");
    assert_int_equal(rk_xlsx_serial_date(NULL, 46344, date), 0);
    assert_string_equal(date, "2026-11-18");
    assert_int_equal(rk_xlsx_serial_date(NULL, 46344.75, date), 0); /* a time of day: its day */
    assert_string_equal(date, "2026-11-18");
    assert_int_equal(rk_xlsx_serial_date(NULL, 61, date), 0);
    assert_string_equal(date, "1900-03-01");
    assert_int_equal(rk_xlsx_serial_date(NULL, 2958465, date), 0);
    assert_string_equal(date, "9999-12-31");
    assert_int_equal(rk_xlsx_serial_date(NULL, 60, date), -1); /* Excel's 1900-02-29 */
    assert_int_equal(rk_xlsx_serial_date(NULL, 2958466, date), -1);
    assert_int_equal(rk_xlsx_serial_date(NULL, -1, date), -1);
    assert_true(rk_xlsx_named("register.XLSX"));
    assert_false(rk_xlsx_named(DATA "/waivers-ok.yaml"));
}

/* Both template files define the same keys, each once, all exc.*, chg.*, risk.* or reg.*. */
static void test_template_keys_match(void **state)
{
    (void)state;
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_node *en = rk_yaml_load(RK_TEMPLATES_DIR "/waivers.en.yaml", NULL, &d);
    rk_node *de = rk_yaml_load(RK_TEMPLATES_DIR "/waivers.de.yaml", NULL, &d);
    assert_non_null(en);
    assert_non_null(de);
    assert_int_equal(en->count, de->count);
    for (size_t i = 0; i < en->count; i++) {
        const char *k = en->keys[i]->value;
        assert_true(!strncmp(k, "exc.", 4) || !strncmp(k, "chg.", 4) || !strncmp(k, "risk.", 5) ||
                    !strncmp(k, "reg.", 4));
        if (!rk_node_get(de, k)) fail_msg("waivers.de.yaml lacks %s", k);
    }
    rk_node_free(en);
    rk_node_free(de);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_fields),
        cmocka_unit_test(test_load_appends_and_is_atomic),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_apply_globs_and_statuses),
        cmocka_unit_test(test_expiry_on_the_day),
        cmocka_unit_test(test_verdict_counts_waived_as_exceptions),
        cmocka_unit_test(test_validate_standalone),
        cmocka_unit_test(test_attestations_template),
        cmocka_unit_test(test_section),
        cmocka_unit_test(test_template_keys_match),
        cmocka_unit_test(test_governance_fields),
        cmocka_unit_test(test_expiring),
        cmocka_unit_test(test_risk_section),
        cmocka_unit_test(test_xlsx_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
