/* main.c - the readykit command line: wires loaders, evaluator, builders and writers. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attest_template.h"
#include "diff.h"
#include "diff_print.h"
#include "doc.h"
#include "eval.h"
#include "evidence.h"
#include "explain.h"
#include "facts.h"
#include "factschema.h"
#include "findings.h"
#include "firewall_doc.h"
#include "fw_export.h"
#include "inventory.h"
#include "jobs.h"
#include "junit.h"
#include "outset.h"
#include "pipeline.h"
#include "progress.h"
#include "host_plan.h"
#include "readiness_doc.h"
#include "remediation.h"
#include "schema.h"
#include "schema_text.h"
#include "sums.h"
#include "template.h"
#include "util.h"
#include "verify.h"
#include "waivers.h"
#include "xlsx_read.h"
#include "yaml_tree.h"

static const char *prog = "readykit";
static int quiet = 0;

static void errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rk_progress_clear();
    fprintf(stderr, "%s: error: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warnf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rk_progress_clear();
    fprintf(stderr, "%s: warning: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Everything printed on standard output reached it: a full disk or a closed pipe is an
 * output failure, not a success (jq's and curl's closing check). */
static rk_err finish_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        errorf("standard output: %s", strerror(errno));
        return RK_OUTPUT;
    }
    return RK_OK;
}

static void print_diag(const rk_diag *d)
{
    char out[2200];
    rk_diag_format(d, out, sizeof out);
    errorf("%s", out);
}

/* English templates for what the command line prints (warnings are template keys). */
static rk_tmpl *cli_words;

static void print_warnings(const rk_warnings *w)
{
    for (size_t i = 0; i < w->count; i++) {
        char *text = cli_words ? rk_tmpl_warning(cli_words, &w->items[i]) : rk_xstrdup(w->items[i].key);
        warnf("%s", text);
        free(text);
    }
}

static const char USAGE[] =
    "usage: readykit COMMAND [options]\n"
    "\n"
    "Commands:\n"
    "  render PROJECT.yaml [-o DIR]   evaluate the project and write readiness.pdf,\n"
    "                                 readiness.xlsx, firewall.pdf, firewall.xlsx,\n"
    "                                 firewall.csv and findings.json into DIR (default .),\n"
    "                                 and remediation/HOST.cmd for hosts a script can fix\n"
    "  validate FILE...               check project, schema, fact, waiver and\n"
    "                                 attestation files and say exactly what is wrong\n"
    "  plan PROJECT.yaml --host NAME  print the probe plan of one host\n"
    "  diff OLD.json NEW.json         compare two findings.json files\n"
    "  attestations-template PROJECT.yaml\n"
    "                                 print an attestations file listing every manual check\n"
    "  inventory PROJECT.yaml         print an Ansible inventory of the project's hosts\n"
    "  verify PDF-OR-DIR              check a PDF against the inputs embedded in it, or an\n"
    "                                 output folder against its SHA256SUMS and the input\n"
    "                                 files findings.json names; exit 1 when one differs\n"
    "\n"
    "Options:\n"
    "  -o, --output DIR         output folder (render; created when missing)\n"
    "      --lang LANG          document language (en, de); default: the project's\n"
    "      --paper a4|letter    PDF paper size (default a4)\n"
    "      --font FILE          a TrueType font for the PDF instead of DejaVu Sans\n"
    "      --waivers FILE       waivers (overrides the project's waivers:)\n"
    "      --attestations FILE  attestations (overrides the project's attestations:)\n"
    "      --baseline FILE      an earlier findings.json: adds the changes section\n"
    "      --pdf-host-detail-max N\n"
    "                           readiness.pdf details each host up to N hosts and groups\n"
    "                           hosts with the same findings above (default: the\n"
    "                           project's pdf_host_detail_max, else 50)\n"
    "      --fail-on WHAT       render: exit 1 when the verdict is at or below WHAT\n"
    "                           (not-ready, incomplete, ready-with-exceptions);\n"
    "                           diff: 'new' exits 1 when NEW has a failure OLD had not\n"
    "      --expiring-as-expired\n"
    "                           render --fail-on: judge the verdict as if the waivers\n"
    "                           expiring within 30 days had expired already\n"
    "      --format text|json   diff output (default text)\n"
    "      --firewall-export KIND[,KIND...]\n"
    "                           render: import files for firewall tools next to\n"
    "                           firewall.csv: traffic, netbox-services, panos, all or\n"
    "                           none (overrides the project's firewall_exports:)\n"
    "      --junit FILE         render: the verdict per host and requirement as JUnit XML\n"
    "      --host NAME          plan: the host\n"
    "      --project PATH       verify: the project file (or its folder) whose folder the\n"
    "                           recorded input paths are relative to (default .)\n"
    "      --schemas DIR        where schemas are found\n"
    "      --templates DIR      where templates are found\n"
    "  -q, --quiet              print only errors\n"
    "  -h, --help               this help\n"
    "  -V, --version            the version\n"
    "\n"
    "Exit codes:\n"
    "  0  success\n"
    "  1  the verdict or the difference fails the --fail-on threshold; verify: a file\n"
    "     differs from what was recorded\n"
    "  2  bad command line\n"
    "  3  bad input file (the message names the file, line and column); verify: a file\n"
    "     cannot be read\n"
    "  4  output could not be written (previous documents are left untouched)\n"
    "  5  internal error\n"
    "\n"
    "Environment: SOURCE_DATE_EPOCH sets the assessment date (default: the newest\n"
    "collected_at of the fact files); READYKIT_DATA names the folder holding\n"
    "schemas/ and templates/.\n";

typedef struct opts {
    const char *output;
    const char *lang;
    int letter;
    const char *font;
    const char *waivers;
    const char *attestations;
    const char *baseline;
    const char *fail_on;
    const char *format;
    const char *host;
    const char *schemas;
    const char *templates;
    long pdf_host_detail_max; /* -1: not given */
    const char *firewall_export;
    const char *junit;
    int expiring_as_expired;
    const char *project;
    char **args;
    int nargs;
} opts;

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Finds a data folder (schemas or templates): the option, $READYKIT_DATA, beside the
 * executable's ../share/readykit (an installed copy), the source tree of a build,
 * then the compiled-in install prefix. */
static char *data_dir(const char *opt, const char *what)
{
    if (opt) return rk_xstrdup(opt);
    const char *env = getenv("READYKIT_DATA");
    if (env && *env) return rk_xasprintf("%s/%s", env, what);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char *p = rk_xasprintf("%s/../share/readykit/%s", exe, what);
            if (is_dir(p)) return p;
            free(p);
        }
    }
    char *p = rk_xasprintf("%s/%s", RK_SOURCE_DIR, what);
    if (is_dir(p)) return p;
    free(p);
    return rk_xasprintf("%s/%s", RK_DATA_DIR, what);
}

/* facts.schema.json describes what a collector writes, not a product: a --schemas
 * folder without one (a product's schema and translations alone) uses the data folder's
 * that readykit finds without the option. */
static char *facts_schema_path(const char *opt, const char *schemas)
{
    char *p = rk_xasprintf("%s/facts.schema.json", schemas);
    struct stat st;
    if (!opt || stat(p, &st) == 0) return p;
    free(p);
    char *dflt = data_dir(NULL, "schemas");
    p = rk_xasprintf("%s/facts.schema.json", dflt);
    free(dflt);
    return p;
}

static int parse_opts(int argc, char **argv, opts *o)
{
    static const struct option longopts[] = {
        {"output", required_argument, 0, 'o'},  {"lang", required_argument, 0, 'l'},
        {"paper", required_argument, 0, 'p'},   {"font", required_argument, 0, 'f'},
        {"waivers", required_argument, 0, 'w'}, {"attestations", required_argument, 0, 'a'},
        {"baseline", required_argument, 0, 'b'}, {"fail-on", required_argument, 0, 'F'},
        {"format", required_argument, 0, 'T'},  {"host", required_argument, 0, 'H'},
        {"schemas", required_argument, 0, 'S'}, {"templates", required_argument, 0, 'M'},
        {"firewall-export", required_argument, 0, 'X'}, {"junit", required_argument, 0, 'J'},
        {"quiet", no_argument, 0, 'q'},         {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},       {"pdf-host-detail-max", required_argument, 0, 'D'},
        {"expiring-as-expired", no_argument, 0, 'E'}, {"project", required_argument, 0, 'P'},
        {0, 0, 0, 0}};
    memset(o, 0, sizeof(*o));
    o->pdf_host_detail_max = -1;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "o:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o->output = optarg; break;
        case 'l': o->lang = optarg; break;
        case 'p':
            if (!strcmp(optarg, "letter")) o->letter = 1;
            else if (!strcmp(optarg, "a4")) o->letter = 0;
            else {
                errorf("--paper '%s': expected a4 or letter", optarg);
                return -1;
            }
            break;
        case 'f': o->font = optarg; break;
        case 'w': o->waivers = optarg; break;
        case 'a': o->attestations = optarg; break;
        case 'b': o->baseline = optarg; break;
        case 'F': o->fail_on = optarg; break;
        case 'T': o->format = optarg; break;
        case 'H': o->host = optarg; break;
        case 'S': o->schemas = optarg; break;
        case 'M': o->templates = optarg; break;
        case 'D': {
            char *end;
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || errno || v < 0 || v > 1000000) {
                errorf("--pdf-host-detail-max '%s': expected a number of hosts from 0 to 1000000", optarg);
                return -1;
            }
            o->pdf_host_detail_max = v;
            break;
        }
        case 'X': o->firewall_export = optarg; break;
        case 'J': o->junit = optarg; break;
        case 'q': quiet = 1; break;
        case 'E': o->expiring_as_expired = 1; break;
        case 'P': o->project = optarg; break;
        case 'h': fputs(USAGE, stdout); exit(0);
        case 'V': printf("readykit %s\n", RK_VERSION); exit(0);
        default:
            if (optopt)
                errorf("option -%c needs a value or is unknown; see 'readykit --help'", optopt);
            else
                errorf("unknown option '%s'; see 'readykit --help'", argv[optind - 1]);
            return -1;
        }
    }
    o->args = argv + optind;
    o->nargs = argc - optind;
    return 0;
}

static rk_err load(const opts *o, const char *project, int no_facts, rk_assessment **a)
{
    char *schemas = data_dir(o->schemas, "schemas");
    char *facts_schema = facts_schema_path(o->schemas, schemas);
    rk_load_opts lo = {project, schemas, o->lang, o->waivers, o->attestations, o->baseline, no_facts,
                       facts_schema};
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_warnings w = {0};
    rk_err e = rk_assess_load(&lo, a, &d, &w);
    free(facts_schema);
    free(schemas);
    if (e != RK_OK) {
        if (!quiet) print_warnings(&w);
        rk_warnings_free(&w);
        print_diag(&d);
        return e;
    }
    rk_warnings_free(&w);
    return RK_OK;
}

/* Per-host summary: the table a consultant reads in the terminal. */
static void print_summary(const rk_assessment *a, const rk_outset *out)
{
    const rk_project *p = a->project;
    size_t wname = 4;
    for (size_t h = 0; h < p->nhosts; h++)
        if (strlen(p->hosts[h].name) > wname) wname = strlen(p->hosts[h].name);
    printf("%-*s  %-21s  %4s %4s %4s %4s %4s  %s\n", (int)wname, "HOST", "VERDICT", "FAIL", "WARN",
           "UNKN", "MANL", "PASS", "ROLES");
    int(*counts)[RK_ST_COUNT] = rk_xcalloc(p->nhosts ? p->nhosts : 1, sizeof(*counts));
    for (size_t i = 0; i < a->nfindings; i++) counts[a->findings[i].host][a->findings[i].status]++;
    for (size_t h = 0; h < p->nhosts; h++) {
        const int *c = counts[h];
        char roles[512];
        rk_schema_roles_str(a->schema, p->hosts[h].roles, roles, sizeof roles);
        printf("%-*s  %-21s  %4d %4d %4d %4d %4d  %s\n", (int)wname, p->hosts[h].name,
               rk_verdict_str(a->host_verdicts[h]), c[RK_ST_FAIL], c[RK_ST_WARN], c[RK_ST_UNKNOWN],
               c[RK_ST_MANUAL], c[RK_ST_PASS] + c[RK_ST_ATTESTED], roles);
    }
    free(counts);
    printf("\nverdict: %s  (%zu hosts, %zu findings, %zu flows, %zu firewall rules)\n",
           rk_verdict_str(a->verdict), p->nhosts, a->nfindings, a->nflows, a->nrules);
    printf("digest:  %s\n", a->digest);
    for (size_t i = 0; i < rk_outset_count(out); i++) printf("wrote:   %s\n", rk_outset_path(out, i));
}

static int verdict_threshold(const char *s, rk_verdict *v)
{
    if (rk_verdict_parse(s, v) == 0 && *v != RK_V_READY) return 0;
    if (!strcmp(s, "exceptions")) {
        *v = RK_V_EXCEPTIONS;
        return 0;
    }
    return -1;
}

/* The language's words for an assessment, or NULL with the message printed (pointing
 * at the project's `language:` when the language came from there). */
static rk_tmpl *words_for(const opts *o, rk_assessment *a)
{
    char *tdir = data_dir(o->templates, "templates");
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_tmpl *t = rk_tmpl_load(tdir, o->lang ? o->lang : a->project->language, &d, &a->warnings);
    free(tdir);
    if (t) return t;
    if (!o->lang && a->project->language_line && strstr(d.msg, "no templates for language")) {
        char msg[sizeof d.msg];
        snprintf(msg, sizeof msg, "%s", d.msg);
        rk_diag_set(&d, a->project->path, a->project->language_line, a->project->language_col,
                    "%s", msg);
    }
    print_diag(&d);
    return NULL;
}

/* What one render produces, built in memory before anything is written: an input
 * problem never leaves some documents new and others old. */
typedef struct render_set {
    rk_assessment *a;
    rk_tmpl *t;
    rk_diff *baseline;
    rk_doc *report, *fw;
    rk_table *csv;
    rk_fwx *exports;      /* import files for firewall tools (--firewall-export) */
    char *junit;          /* the JUnit XML (--junit) */
} render_set;

static void render_set_free(render_set *r)
{
    rk_doc_free(r->report);
    rk_doc_free(r->fw);
    rk_firewall_csv_table_free(r->csv);
    rk_fwx_free(r->exports);
    free(r->junit);
    rk_tmpl_free(r->t);
    rk_diff_free(r->baseline);
    rk_assessment_free(r->a);
}

static rk_err build_documents(const opts *o, render_set *r)
{
    rk_err e = load(o, o->args[0], 0, &r->a);
    if (e != RK_OK) return e;
    if (!(r->t = words_for(o, r->a))) return RK_INPUT;
    rk_progress_stage("building documents", 0, NULL);
    rk_explain_findings(r->a, r->t);
    if (o->baseline) {
        rk_diag d;
        memset(&d, 0, sizeof d);
        cJSON *now = rk_findings_json(r->a, rk_tmpl_lang(r->t), 0);
        r->baseline = rk_diff_with(o->baseline, now, &d);
        cJSON_Delete(now);
        if (!r->baseline) {
            print_diag(&d);
            return RK_INPUT;
        }
    }
    rk_readiness_opts ro = {o->pdf_host_detail_max};
    r->report = rk_readiness_build_with(r->a, r->t, r->baseline, &ro);
    r->fw = rk_firewall_build(r->a, r->t, RK_VERSION);
    rk_evidence_attach(r->report, r->a); /* each PDF carries the inputs it was made from */
    rk_evidence_attach(r->fw, r->a);
    r->csv = rk_firewall_csv_table(r->a, r->t);
    r->report->letter = r->fw->letter = o->letter;
    unsigned kinds = r->a->project->firewall_exports;
    if (o->firewall_export) {
        kinds = 0;
        rk_fwx_parse(o->firewall_export, &kinds, NULL, 0); /* checked in cmd_render */
    }
    if (o->junit) r->junit = rk_junit_xml(r->a, r->t);
    if (kinds) {
        r->exports = rk_fwx_build(r->a, r->t, kinds, RK_VERSION);
        for (size_t i = 0; i < r->exports->n; i++)
            if (r->exports->files[i].doc) r->exports->files[i].doc->letter = o->letter;
    }
    return RK_OK;
}

/* One document of the set to write. */
typedef enum doc_kind { DOC_FINDINGS, DOC_PDF, DOC_XLSX, DOC_CSV } doc_kind;

typedef struct doc_job {
    doc_kind kind;
    const char *name;
    const rk_doc *doc;
    const render_set *r;
    const rk_pdf_options *po;
    const char *path;
    const rk_table *table; /* DOC_CSV: the rows */
    char sha256[65];       /* of the document written, for SHA256SUMS */
} doc_job;

static rk_err write_doc(void *arg, char *err, size_t errlen)
{
    doc_job *d = arg;
    rk_err e = RK_INTERNAL;
    switch (d->kind) {
    case DOC_FINDINGS:
        e = rk_findings_write(d->r->a, rk_tmpl_lang(d->r->t), d->path, d->sha256, err, errlen);
        break;
    case DOC_PDF: e = rk_pdf_write(d->doc, d->po, d->path, err, errlen); break;
    case DOC_XLSX: e = rk_xlsx_write(d->doc, d->path, err, errlen); break;
    case DOC_CSV: e = rk_csv_write(d->table, d->path, err, errlen); break;
    }
    /* hashed here, while the other documents are still being written, rather than all
     * at the end: a fleet's findings.json alone is hundreds of megabytes */
    if (e == RK_OK && d->kind != DOC_FINDINGS && rk_sha256_file(d->path, d->sha256, err, errlen) != 0)
        e = RK_OUTPUT;
    rk_progress_advance();
    return e;
}

/* Writes the set: each document under its staging name, then all renamed together. The
 * documents are written at the same time, one per processor: each reads the finished
 * models and writes its own file, so the bytes do not depend on which finishes first. */
static rk_err write_documents(const opts *o, const render_set *r, rk_outset *out, char *err,
                              size_t errlen)
{
    const rk_doc *pdfs[] = {r->report, r->fw};
    rk_pdf_options po = {o->letter, o->font, o->font, rk_pdf_pack_new(pdfs, 2)};
    size_t nexp = r->exports ? r->exports->n : 0;
    doc_job fixed[] = {
        {DOC_FINDINGS, "findings.json", NULL, r, &po, NULL, NULL, ""},
        {DOC_PDF, "readiness.pdf", r->report, r, &po, NULL, NULL, ""},
        {DOC_XLSX, "readiness.xlsx", r->report, r, &po, NULL, NULL, ""},
        {DOC_PDF, "firewall.pdf", r->fw, r, &po, NULL, NULL, ""},
        {DOC_XLSX, "firewall.xlsx", r->fw, r, &po, NULL, NULL, ""},
        {DOC_CSV, "firewall.csv", NULL, r, &po, NULL, r->csv, ""},
    };
    enum { NFIXED = sizeof fixed / sizeof fixed[0] };
    size_t ndocs = NFIXED + nexp;
    doc_job *docs = rk_xcalloc(ndocs, sizeof *docs);
    rk_job *jobs = rk_xcalloc(ndocs, sizeof *jobs);
    memcpy(docs, fixed, sizeof fixed);
    for (size_t i = 0; i < nexp; i++) {
        const rk_fwx_file *f = &r->exports->files[i];
        docs[NFIXED + i] = (doc_job){f->doc ? DOC_XLSX : DOC_CSV, f->name, f->doc, r, &po, NULL,
                                     f->table, ""};
    }
    /* the order a free thread takes them in: the firewall workbook, by far the longest
     * at fleet scale, first; the export files last */
    static const size_t start[NFIXED] = {4, 0, 2, 1, 3, 5};
    for (size_t i = 0; i < ndocs; i++) docs[i].path = rk_outset_stage(out, docs[i].name);
    for (size_t k = 0; k < ndocs; k++)
        jobs[k] = (rk_job){write_doc, &docs[k < NFIXED ? start[k] : k], RK_OK, ""};
    rk_progress_stage("writing documents", ndocs, "documents");
    rk_jobs_run(jobs, ndocs, rk_jobs_cpus());
    /* the first failure in document order, whichever thread met it first */
    rk_err e = RK_OK;
    for (size_t i = 0; i < ndocs && e == RK_OK; i++)
        for (size_t k = 0; k < ndocs; k++)
            if (jobs[k].arg == &docs[i] && jobs[k].result != RK_OK) {
                e = jobs[k].result;
                snprintf(err, errlen, "%s", jobs[k].err);
            }
    for (size_t i = 0; i < ndocs && e == RK_OK; i++) rk_outset_set_sha256(out, docs[i].name, docs[i].sha256);
    rk_pdf_pack_free(po.pack);
    free(jobs);
    free(docs);
    if (e == RK_OK) e = rk_remediation_write(r->a, r->t, out, err, errlen);
    /* last before the commit: SHA256SUMS covers every document staged above */
    if (e == RK_OK) e = rk_sums_write(out, err, errlen);
    /* --junit may name a file outside the output folder: written to a temporary file
     * beside it first, renamed only once the documents are in place */
    rk_out junit = {0};
    if (e == RK_OK && r->junit) {
        if (rk_out_open(&junit, o->junit, err, errlen) != 0) {
            junit.fp = NULL;
            e = RK_OUTPUT;
        } else {
            fputs(r->junit, junit.fp);
            if (fflush(junit.fp) != 0 || ferror(junit.fp)) {
                snprintf(err, errlen, "%s: %s", o->junit, strerror(errno));
                rk_out_abort(&junit);
                junit.fp = NULL;
                e = RK_OUTPUT;
            }
        }
    }
    if (e == RK_OK) e = rk_outset_commit(out, err, errlen);
    if (e != RK_OK) rk_outset_explain(out, err, errlen);
    if (junit.fp) {
        if (e != RK_OK) rk_out_abort(&junit);
        else if (rk_out_commit(&junit, err, errlen) != 0) e = RK_OUTPUT;
    }
    return e;
}

/* The --junit file can be written: not a folder, in a folder that exists and that we
 * may write to (checked before anything is loaded, as the output folder is). */
static rk_err check_junit_path(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (!*path || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
        snprintf(err, errlen, "--junit '%s': is a folder; expected the path of a file", path);
        return RK_OUTPUT;
    }
    char *dir = rk_xstrdup(path), *slash = strrchr(dir, '/');
    if (slash) slash == dir ? (void)(slash[1] = '\0') : (void)(*slash = '\0');
    const char *d = slash ? dir : ".";
    rk_err e = RK_OK;
    if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "--junit '%s': folder '%s' does not exist; expected an existing folder",
                 path, d);
        e = RK_OUTPUT;
    } else if (access(d, W_OK | X_OK) != 0) {
        snprintf(err, errlen, "--junit '%s': folder '%s' cannot be written: %s", path, d,
                 strerror(errno));
        e = RK_OUTPUT;
    }
    free(dir);
    return e;
}

static int cmd_render(const opts *o)
{
    if (o->nargs != 1) {
        errorf("render takes one project file; see 'readykit --help'");
        return RK_USAGE;
    }
    rk_verdict threshold = RK_V_READY;
    if (o->fail_on && verdict_threshold(o->fail_on, &threshold) != 0) {
        errorf("--fail-on '%s': expected not-ready, incomplete or ready-with-exceptions", o->fail_on);
        return RK_USAGE;
    }
    if (o->expiring_as_expired && !o->fail_on) {
        errorf("--expiring-as-expired changes what --fail-on judges; give --fail-on too");
        return RK_USAGE;
    }
    unsigned kinds = 0;
    char bad[80];
    if (o->firewall_export && rk_fwx_parse(o->firewall_export, &kinds, bad, sizeof bad) != 0) {
        errorf("--firewall-export: '%s' is not a kind of export; expected %s", bad, rk_fwx_expected());
        return RK_USAGE;
    }
    const char *dir = o->output ? o->output : ".";
    char err[1024] = "";
    if (rk_outset_check_dir(dir, err, sizeof err) != RK_OK) {
        errorf("%s", err);
        return RK_OUTPUT;
    }
    if (o->junit && check_junit_path(o->junit, err, sizeof err) != RK_OK) {
        errorf("%s", err);
        return RK_OUTPUT;
    }
    render_set r;
    memset(&r, 0, sizeof r);
    /* stage and hosts done on standard error, when that is a terminal and the render
     * takes more than a second */
    rk_progress *progress = quiet ? NULL : rk_progress_tty(stderr);
    rk_progress_install(progress);
    rk_err e = build_documents(o, &r);
    if (e != RK_OK) {
        rk_progress_free(progress);
        render_set_free(&r);
        return e;
    }
    rk_outset *out = rk_outset_new(dir, err, sizeof err);
    rk_err we = out ? write_documents(o, &r, out, err, sizeof err) : RK_OUTPUT;
    rk_progress_free(progress);
    if (!quiet) print_warnings(&r.a->warnings);
    int rc = RK_OK;
    if (we != RK_OK) {
        errorf("%s", err);
        rc = we;
    } else if (!quiet) {
        print_summary(r.a, out);
        rc = finish_stdout();
    }
    rk_verdict judged = r.a->verdict;
    if (o->expiring_as_expired) judged = rk_verdict_expiring_as_expired(r.a);
    if (rc == RK_OK && o->fail_on && judged <= threshold) {
        if (!quiet && judged != r.a->verdict)
            fprintf(stderr, "%s: verdict %s (%s with the waivers expiring within %d days "
                    "counted as expired) fails --fail-on %s\n", prog, rk_verdict_str(r.a->verdict),
                    rk_verdict_str(judged), RK_EXPIRING_DAYS, o->fail_on);
        else if (!quiet)
            fprintf(stderr, "%s: verdict %s fails --fail-on %s\n", prog,
                    rk_verdict_str(r.a->verdict), o->fail_on);
        rc = RK_THRESHOLD;
    }
    rk_outset_free(out);
    render_set_free(&r);
    return rc;
}

static int cmd_plan(const opts *o)
{
    if (o->nargs != 1 || !o->host) {
        errorf("plan takes one project file and --host NAME; see 'readykit --help'");
        return RK_USAGE;
    }
    rk_assessment *a;
    rk_err e = load(o, o->args[0], 1, &a);
    if (e != RK_OK) return e;
    int h = rk_project_host(a->project, o->host);
    if (h < 0) {
        errorf("%s: no host '%s' in the project; expected one of its host names", o->args[0], o->host);
        rk_assessment_free(a);
        return RK_USAGE;
    }
    e = rk_plan_write(a, (size_t)h, stdout);
    rk_assessment_free(a);
    rk_err fe = finish_stdout();
    return e != RK_OK ? e : fe;
}

/* The kind of an input file from its `format` value ("readykit-<kind>/<version>"):
 * JSON files are read with cJSON, everything else with the YAML loader. Returns the
 * kind ("project", "facts", ...; caller frees) or NULL when the file has no readable
 * format, with d saying why. The version is left to the kind's own loader, which
 * names the line of a version it does not know. */
static char *sniff_kind(const char *path, rk_diag *d)
{
    char *buf;
    size_t len;
    char err[512];
    if (rk_read_file(path, RK_FACTS_MAX_BYTES, &buf, &len, err, sizeof err) != 0) {
        rk_diag_set(d, path, 0, 0, "%s", err);
        return NULL;
    }
    if (rk_text_normalise(&buf, &len) != 0) {
        free(buf);
        rk_diag_set(d, path, 0, 0, "UTF-16 text with an odd number of bytes; expected UTF-8");
        return NULL;
    }
    size_t k = strspn(buf, " \t\r\n");
    char *fmt = NULL;
    int fline = 0, fcol = 0;
    size_t pl = strlen(path);
    int json_name = pl > 5 && !strcmp(path + pl - 5, ".json");
    if (k == len) {
        rk_diag_set(d, path, 0, 0, "the file is empty; expected a readykit file with a 'format' key");
    } else if (buf[k] == '{' || buf[k] == '[' || json_name) {
        cJSON *j = cJSON_ParseWithLength(buf, len);
        const cJSON *f = cJSON_IsObject(j) ? cJSON_GetObjectItemCaseSensitive(j, "format") : NULL;
        if (cJSON_IsString(f)) fmt = rk_xstrdup(f->valuestring);
        cJSON_Delete(j);
        if (!fmt) fmt = rk_xstrdup("readykit-facts/?"); /* let the fact loader explain */
    } else {
        rk_node *n = rk_yaml_parse(path, buf, len, d);
        if (n) {
            const char *f = NULL;
            if (n->type == RK_NODE_MAP && rk_node_str(path, n, "format", 1, &f, d) == RK_OK) {
                fmt = rk_xstrdup(f);
                fline = rk_node_get(n, "format")->line;
                fcol = rk_node_get(n, "format")->col;
            } else if (n->type != RK_NODE_MAP) {
                rk_diag_set(d, path, n->line, n->col, "the file is %s; expected a mapping with a 'format' key",
                            rk_node_kind(n));
            }
            rk_node_free(n);
        }
    }
    free(buf);
    if (!fmt) return NULL;
    char *kind = NULL;
    if (!strncmp(fmt, "readykit-", 9) && strchr(fmt + 9, '/'))
        kind = rk_xstrndup(fmt + 9, (size_t)(strchr(fmt + 9, '/') - (fmt + 9)));
    else
        rk_diag_set(d, path, fline, fcol,
                    "unknown format '%s'; expected readykit-project/1, readykit-schema/2, "
                    "readykit-schema-text/1, readykit-facts/1, readykit-waivers/1, "
                    "readykit-attestations/1 or readykit-findings/1",
                    fmt);
    free(fmt);
    return kind;
}

static rk_err validate_facts(const char *path, const char *facts_schema, rk_diag *d, rk_warnings *w)
{
    rk_factschema *types = rk_factschema_load(facts_schema, d);
    if (!types) return RK_INPUT;
    rk_facts *f = rk_facts_load(path, types, d, w);
    rk_factschema_free(types);
    rk_facts_free(f);
    return f ? RK_OK : RK_INPUT;
}

/* A translation is checked against its schema: the one beside it, else in schemas/.
 * Texts still in English are listed, one line each. */
static rk_err validate_schema_text(const char *path, const char *schemas, rk_diag *d)
{
    rk_node *root = rk_yaml_load(path, NULL, d);
    if (!root) return RK_INPUT;
    const char *sid = NULL, *lang = NULL;
    rk_err e = rk_node_str(path, root, "schema", 1, &sid, d);
    if (e == RK_OK) e = rk_node_str(path, root, "language", 1, &lang, d);
    char *dir = rk_xstrdup(path), *slash = strrchr(dir, '/');
    if (slash) *slash = '\0';
    char *spath = e == RK_OK ? rk_xasprintf("%s/%s.yaml", slash ? dir : ".", sid) : NULL;
    struct stat st;
    if (spath && stat(spath, &st) != 0) {
        free(spath);
        spath = rk_xasprintf("%s/%s.yaml", schemas, sid);
    }
    char *l = lang ? rk_xstrdup(lang) : NULL;
    rk_node_free(root);
    free(dir);
    rk_schema *s = spath ? rk_schema_load(spath, d) : NULL;
    free(spath);
    if (s) {
        char sha[65], **missing = NULL;
        size_t n = 0;
        e = rk_schema_text_apply(s, path, l, sha, &missing, &n, d);
        if (e == RK_OK && n && !quiet) {
            warnf("%s: %zu texts are not translated yet:", path, n);
            for (size_t i = 0; i < n; i++) fprintf(stderr, "  %s\n", missing[i]);
        }
        rk_strv_free(missing, n);
    } else {
        e = RK_INPUT;
    }
    rk_schema_free(s);
    free(l);
    return e;
}

static int cmd_validate(const opts *o)
{
    if (o->nargs < 1) {
        errorf("validate takes one or more files; see 'readykit --help'");
        return RK_USAGE;
    }
    int rc = RK_OK;
    char *schemas = data_dir(o->schemas, "schemas");
    char *facts_schema = facts_schema_path(o->schemas, schemas);
    for (int i = 0; i < o->nargs; i++) {
        const char *path = o->args[i];
        rk_diag d;
        memset(&d, 0, sizeof d);
        rk_warnings w = {0};
        rk_err e = RK_OK;
        /* a workbook is read for its waiver register (--waivers FILE.xlsx) */
        char *kind = rk_xlsx_named(path) ? rk_xstrdup("waivers") : sniff_kind(path, &d);
        if (!kind) {
            e = RK_INPUT;
        } else if (!strcmp(kind, "facts")) {
            e = validate_facts(path, facts_schema, &d, &w);
        } else if (!strcmp(kind, "schema-text")) {
            e = validate_schema_text(path, schemas, &d);
        } else if (!strcmp(kind, "schema")) {
            rk_schema *s = rk_schema_load(path, &d);
            e = s ? RK_OK : RK_INPUT;
            rk_schema_free(s);
        } else if (!strcmp(kind, "project")) {
            rk_assessment *a = NULL;
            rk_load_opts lo = {path, schemas, o->lang, NULL, NULL, NULL, 0, facts_schema};
            e = rk_assess_load(&lo, &a, &d, &w);
            if (a) {
                rk_warnings_append(&w, &a->warnings);
                rk_assessment_free(a);
            }
        } else if (!strcmp(kind, "waivers") || !strcmp(kind, "attestations")) {
            char *fmt = rk_xasprintf("readykit-%s/1", kind);
            e = rk_validate_standalone(path, fmt, schemas, &d);
            free(fmt);
        } else if (!strcmp(kind, "findings")) {
            rk_diff *x = rk_diff_files(path, path, &d);
            e = x ? RK_OK : RK_INPUT;
            rk_diff_free(x);
        } else {
            rk_diag_set(&d, path, 0, 0,
                        "unknown format 'readykit-%s'; expected readykit-project/1, readykit-schema/2, "
                        "readykit-schema-text/1, readykit-facts/1, readykit-waivers/1, "
                        "readykit-attestations/1 or readykit-findings/1",
                        kind);
            e = RK_INPUT;
        }
        free(kind);
        if (!quiet) print_warnings(&w);
        rk_warnings_free(&w);
        if (e != RK_OK) {
            print_diag(&d);
            rc = RK_INPUT;
        } else if (!quiet) {
            printf("%s: ok\n", path);
        }
    }
    free(facts_schema);
    free(schemas);
    rk_err fe = finish_stdout();
    return rc != RK_OK ? rc : (int)fe;
}

static int cmd_diff(const opts *o)
{
    if (o->nargs != 2) {
        errorf("diff takes two findings files; see 'readykit --help'");
        return RK_USAGE;
    }
    int json = 0;
    if (o->format) {
        if (!strcmp(o->format, "json")) json = 1;
        else if (strcmp(o->format, "text") != 0) {
            errorf("--format '%s': expected text or json", o->format);
            return RK_USAGE;
        }
    }
    if (o->fail_on && strcmp(o->fail_on, "new") != 0) {
        errorf("--fail-on '%s': diff accepts only 'new'", o->fail_on);
        return RK_USAGE;
    }
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_diff *x = rk_diff_files(o->args[0], o->args[1], &d);
    if (!x) {
        print_diag(&d);
        return RK_INPUT;
    }
    rk_diff_print(x, json, stdout);
    int rc = RK_OK;
    if (finish_stdout() != RK_OK) {
        rc = RK_OUTPUT;
    } else if (o->fail_on && x->new_failures > 0) {
        rc = RK_THRESHOLD;
    }
    rk_diff_free(x);
    return rc;
}

static int cmd_attestations_template(const opts *o)
{
    if (o->nargs != 1) {
        errorf("attestations-template takes one project file; see 'readykit --help'");
        return RK_USAGE;
    }
    rk_assessment *a;
    rk_err e = load(o, o->args[0], 0, &a);
    if (e != RK_OK) return e;
    rk_attestations_template(a, stdout);
    rk_assessment_free(a);
    return finish_stdout();
}

static int cmd_inventory(const opts *o)
{
    if (o->nargs != 1) {
        errorf("inventory takes one project file; see 'readykit --help'");
        return RK_USAGE;
    }
    rk_assessment *a;
    rk_err e = load(o, o->args[0], 1, &a);
    if (e != RK_OK) return e;
    rk_inventory_write(a, stdout);
    rk_assessment_free(a);
    return finish_stdout();
}

static const char *const VSTATE[] = {"OK", "DIFFERS", "UNREADABLE"};

/* `verify PDF-OR-DIR`: one line per check on standard output (only the failed ones with
 * -q), a summary naming what differs on standard error; exit 0 when everything matches,
 * 1 when something differs, 3 when something could not be read. */
static int cmd_verify(const opts *o)
{
    if (o->nargs != 1) {
        errorf("verify takes one PDF or output folder; see 'readykit --help'");
        return RK_USAGE;
    }
    const char *target = o->args[0];
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_verify *v = NULL;
    if (is_dir(target)) {
        char *pdir = NULL;
        if (!o->project) pdir = rk_xstrdup(".");
        else if (is_dir(o->project)) pdir = rk_xstrdup(o->project);
        else {
            pdir = rk_xstrdup(o->project);
            char *slash = strrchr(pdir, '/');
            if (slash) *slash = '\0';
            else strcpy(pdir, ".");
        }
        char *schemas = data_dir(o->schemas, "schemas");
        v = rk_verify_dir(target, pdir, schemas, &d);
        free(schemas);
        free(pdir);
    } else if (o->project) {
        errorf("--project is for an output folder; a PDF carries its inputs");
        return RK_USAGE;
    } else if (rk_verify_is_pdf(target)) {
        v = rk_verify_pdf(target, &d);
    } else {
        rk_diag_set(&d, target, 0, 0, "%s; expected a PDF or an output folder of readykit render",
                    access(target, R_OK) != 0 ? strerror(errno) : "neither a PDF nor a folder");
    }
    if (!v) {
        print_diag(&d);
        return RK_INPUT;
    }
    rk_buf bad = {0};
    for (size_t i = 0; i < v->n; i++) {
        const rk_vitem *it = &v->items[i];
        if (it->state != RK_VERIFY_OK)
            rk_buf_printf(&bad, "%s%s", bad.len ? ", " : "", strcmp(it->area, "digest") ? it->name : "digest");
        if (quiet && it->state == RK_VERIFY_OK) continue;
        printf("%s: %s: %s%s%s%s\n", it->area, it->name, VSTATE[it->state], it->detail ? " (" : "",
               it->detail ? it->detail : "", it->detail ? ")" : "");
    }
    int rc = finish_stdout() != RK_OK ? RK_OUTPUT
             : v->differs            ? RK_THRESHOLD
             : v->unreadable         ? RK_INPUT
                                     : RK_OK;
    if (v->differs || v->unreadable)
        fprintf(stderr, "%s: %s: %zu of %zu checks failed (%zu differ, %zu unreadable): %s\n", prog,
                target, v->differs + v->unreadable, v->n, v->differs, v->unreadable, bad.data);
    rk_buf_free(&bad);
    rk_verify_free(v);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        errorf("no command; expected render, validate, plan, diff, attestations-template, "
               "inventory or verify; see 'readykit --help'");
        return RK_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(USAGE, stdout);
        return RK_OK;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("readykit %s\n", RK_VERSION);
        return RK_OK;
    }
    char *tdir = data_dir(NULL, "templates");
    {
        rk_diag d;
        memset(&d, 0, sizeof d);
        cli_words = rk_tmpl_load(tdir, "en", &d, NULL);
    }
    free(tdir);
    static const struct {
        const char *name;
        int (*fn)(const opts *);
    } cmds[] = {{"render", cmd_render},
                {"validate", cmd_validate},
                {"plan", cmd_plan},
                {"diff", cmd_diff},
                {"attestations-template", cmd_attestations_template},
                {"inventory", cmd_inventory},
                {"verify", cmd_verify}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(cmd, cmds[i].name) != 0) continue;
        opts o;
        int rc = parse_opts(argc - 1, argv + 1, &o) != 0 ? RK_USAGE : cmds[i].fn(&o);
        rk_tmpl_free(cli_words);
        return rc;
    }
    rk_tmpl_free(cli_words);
    errorf("unknown command '%s'; expected render, validate, plan, diff, "
           "attestations-template, inventory or verify",
           cmd);
    return RK_USAGE;
}
