/* main.c - readykit-collect's command line: options, fact groups in order, probes, output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collect.h"
#include "emit.h"
#include "json.h"
#include "plan.h"
#include "platform.h"
#include "probe.h"
#include "xalloc.h"

#ifndef RK_VERSION
#define RK_VERSION "0.1.0"
#endif

#define PROG "readykit-collect"

/* Exit codes, generated with their meaning from one list (also printed by --help). */
#define RKC_EXIT_MAP(X)                                                              \
    X(OK, 0, "success (facts that could not be read are listed in errors[])")       \
    X(USAGE, 2, "bad command line")                                                  \
    X(PLAN, 3, "bad probe plan (unreadable or malformed; nothing was read or probed)") \
    X(OUTPUT, 4, "output could not be written")                                      \
    X(INTERNAL, 5, "internal error")

enum {
#define RKC_EXIT_ENUM(name, code, text) RKC_EXIT_##name = code,
    RKC_EXIT_MAP(RKC_EXIT_ENUM)
#undef RKC_EXIT_ENUM
};

static void usage(FILE *f)
{
    fputs("Usage: " PROG " [--out FILE] [--probe-plan FILE] [--timeout-ms N] [--parallel N]\n"
          "       " PROG " --help | --version\n"
          "\n"
          "Collects this host's facts for a readykit readiness assessment and prints them\n"
          "as JSON (format readykit-facts/1) on standard output. It only reads: it changes\n"
          "no setting, writes no file but its output, and records no password, key or\n"
          "token.\n"
          "\n"
          "Options:\n"
          "  --out FILE         write the facts to FILE instead of standard output; FILE is\n"
          "                     replaced atomically (a temporary file in the same folder,\n"
          "                     then renamed)\n"
          "  --probe-plan FILE  test the TCP connections and read the collect items listed\n"
          "                     in FILE (from `readykit plan`): lines `PROTOCOL PORT\n"
          "                     ADDRESS-OR-NAME FLOW-ID` and `collect ID KIND ARG [ARG]`.\n"
          "                     Only the plan's addresses are contacted; UDP lines are\n"
          "                     reported as not verifiable and nothing is sent to them\n"
          "  --timeout-ms N     time allowed to each TCP probe, 1 to 600000 (default 2000)\n"
          "  --parallel N       probes in flight at once, 1 to 4096 (default 512)\n"
          "  --help             show this help and exit\n"
          "  --version          show the version and exit\n"
          "\n"
          "Exit codes:\n",
          f);
#define RKC_EXIT_HELP(name, code, text) fprintf(f, "  %d  %s\n", code, text);
    RKC_EXIT_MAP(RKC_EXIT_HELP)
#undef RKC_EXIT_HELP
}

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, PROG ": %s%s%s%s (try --help)\n", what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "");
    return RKC_EXIT_USAGE;
}

/* Parses a decimal number in [lo, hi]; returns 0 on success. */
static int parse_num(const char *s, long lo, long hi, long *out)
{
    long v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
        if (v > hi)
            return -1;
    }
    if (v < lo)
        return -1;
    *out = v;
    return 0;
}

typedef struct options {
    const char *out, *plan;
    long timeout_ms, parallel;
} options;

/* Returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, options *o)
{
    o->out = o->plan = NULL;
    o->timeout_ms = RKC_PROBE_DEFAULT_TIMEOUT_MS;
    o->parallel = RKC_PROBE_DEFAULT_PARALLEL;
    int have_timeout = 0, have_parallel = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        char name[32];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return fflush(stdout) == 0 ? RKC_EXIT_OK : RKC_EXIT_OUTPUT;
        }
        if (strcmp(a, "--version") == 0) {
            fputs(PROG " " RK_VERSION "\n", stdout);
            return fflush(stdout) == 0 ? RKC_EXIT_OK : RKC_EXIT_OUTPUT;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0')
            return usage_error("unexpected argument", a);
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
        if (nlen >= sizeof name)
            return usage_error("unknown option", a);
        memcpy(name, a, nlen);
        name[nlen] = '\0';
        if (strcmp(name, "--out") && strcmp(name, "--probe-plan") &&
            strcmp(name, "--timeout-ms") && strcmp(name, "--parallel"))
            return usage_error("unknown option", name);
        if (eq)
            val = eq + 1;
        else if (i + 1 < argc)
            val = argv[++i];
        else
            return usage_error("missing value for", name);
        if (strcmp(name, "--out") == 0) {
            if (o->out || !*val)
                return usage_error(o->out ? "repeated option" : "empty value for", name);
            o->out = val;
        } else if (strcmp(name, "--probe-plan") == 0) {
            if (o->plan || !*val)
                return usage_error(o->plan ? "repeated option" : "empty value for", name);
            o->plan = val;
        } else if (strcmp(name, "--timeout-ms") == 0) {
            if (have_timeout++)
                return usage_error("repeated option", name);
            if (parse_num(val, 1, 600000, &o->timeout_ms))
                return usage_error("--timeout-ms expects a number from 1 to 600000, not", val);
        } else {
            if (have_parallel++)
                return usage_error("repeated option", name);
            if (parse_num(val, 1, 4096, &o->parallel))
                return usage_error("--parallel expects a number from 1 to 4096, not", val);
        }
    }
    return -1;
}

/* The SHA-256 of the plan file as read, or why there is none. */
typedef struct plan_hash {
    char hex[65];
    int ok;
    char err[200];
} plan_hash;

/* Reads, hashes and parses the plan; prints the error and returns RKC_EXIT_PLAN on
 * failure. */
static int load_plan(const char *path, rkc_plan *plan, plan_hash *hash)
{
    char *buf = NULL, err[512];
    size_t len = 0;
    if (rkc_read_file(path, RKC_PLAN_MAX_BYTES, &buf, &len, err, sizeof err) != 0) {
        fprintf(stderr, PROG ": %s: %s\n", path, err);
        return RKC_EXIT_PLAN;
    }
    int rc = rkc_plan_parse(buf, len, plan, err, sizeof err);
    if (rc == 0)
        hash->ok = rkc_sha256_hex(buf, len, hash->hex, hash->err, sizeof hash->err) == 0;
    free(buf);
    if (rc != 0) {
        fprintf(stderr, PROG ": %s:%s\n", path, err);
        return RKC_EXIT_PLAN;
    }
    return 0;
}

/* Writes probes[]; returns how long probing took in ms. */
static uint64_t write_probes(rkc_emit *e, const rkc_plan *plan, int timeout_ms, size_t parallel)
{
    uint64_t took = 0;
    rkc_emit_array_begin(e, "probes");
    if (plan->nprobes) {
        rkc_probe_result *res = rkc_xcalloc(plan->nprobes, sizeof *res);
        uint64_t t0 = rkc_clock_ms();
        rkc_probe_run(plan, timeout_ms, parallel, res);
        took = rkc_clock_ms() - t0;
        for (size_t i = 0; i < plan->nprobes; i++) {
            const rkc_plan_probe *it = &plan->probes[i];
            rkc_emit_elem_object(e, i);
            rkc_emit_str(e, "to", it->host);
            rkc_emit_str(e, "address", res[i].address[0] ? res[i].address : NULL);
            rkc_emit_str(e, "protocol", it->proto == RKC_TCP ? "tcp" : "udp");
            rkc_emit_int(e, "port", it->port);
            rkc_emit_str(e, "result", res[i].result);
            rkc_emit_uint(e, "ms", res[i].ms);
            rkc_emit_str(e, "flow", it->flow);
            rkc_emit_int(e, "line", it->line);
            if (res[i].error[0])
                rkc_emit_str(e, "error", res[i].error);
            if (res[i].note)
                rkc_emit_str(e, "note", res[i].note);
            rkc_emit_object_end(e);
        }
        free(res);
    }
    rkc_emit_array_end(e);
    return took;
}

static void group(rkc_emit *e, const char *name, void (*collect)(rkc_emit *))
{
    rkc_emit_object_begin(e, name);
    collect(e);
    rkc_emit_object_end(e);
}

/* The collector's own member of the document. */
static void collector_member(rkc_json *j, const options *o, uint64_t elapsed, uint64_t probe_ms)
{
    rkc_json_key(j, "collector");
    rkc_json_begin_object(j);
    rkc_json_key(j, "name");
    rkc_json_string(j, PROG);
    rkc_json_key(j, "version");
    rkc_json_string(j, RK_VERSION);
    rkc_json_key(j, "platform");
    rkc_json_string(j, rkc_platform_name());
    rkc_json_key(j, "elapsed_ms");
    rkc_json_uint(j, elapsed);
    if (o->plan) {
        rkc_json_key(j, "probe_plan");
        rkc_json_string(j, o->plan);
        rkc_json_key(j, "timeout_ms");
        rkc_json_int(j, o->timeout_ms);
        rkc_json_key(j, "probes_elapsed_ms");
        rkc_json_uint(j, probe_ms);
    }
    rkc_json_end_object(j);
}

/* The finished document to --out (atomically) or standard output. Returns the exit
 * code. */
static int write_document(const options *o, rkc_json *j)
{
    const char *text;
    size_t len;
    char err[512];
    if (rkc_json_finish(j, &text, &len) != 0) {
        fputs(PROG ": internal error: the fact document is malformed\n", stderr);
        return RKC_EXIT_INTERNAL;
    }
    if (o->out && strcmp(o->out, "-") != 0) {
        if (rkc_write_file_atomic(o->out, text, len, err, sizeof err) != 0) {
            fprintf(stderr, PROG ": %s: %s\n", o->out, err);
            return RKC_EXIT_OUTPUT;
        }
        return RKC_EXIT_OK;
    }
    if (rkc_write_stdout(text, len) != 0) {
        fputs(PROG ": cannot write to standard output\n", stderr);
        return RKC_EXIT_OUTPUT;
    }
    return RKC_EXIT_OK;
}

/* Collects everything and writes the document. Returns the exit code. */
static int collect(const options *o, const rkc_plan *plan, const plan_hash *hash)
{
    time_t now = time(NULL);
    struct tm *tm = gmtime(&now);
    char stamp[32] = "1970-01-01T00:00:00Z";
    if (tm)
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", tm);

    /* The groups first, into a member writer, so that collector.elapsed_ms (which covers
     * them) can stand at the top of the document. */
    uint64_t t0 = rkc_clock_ms();
    rkc_json body, j;
    rkc_emit e;
    rkc_json_init_members(&body, 2, 1);
    rkc_emit_init(&e, &body);
    if (o->plan)
        rkc_collect_plan_summary(&e, plan, hash->ok ? hash->hex : NULL, hash->err);
    group(&e, "host", rkc_collect_host);
    group(&e, "os", rkc_collect_os);
    group(&e, "hardware", rkc_collect_hardware);
    group(&e, "software", rkc_collect_software);
    group(&e, "settings", rkc_collect_settings);
    group(&e, "services", rkc_collect_services);
    group(&e, "identity", rkc_collect_identity);
    if (o->plan)
        rkc_collect_items(&e, plan);
    uint64_t probe_ms = write_probes(&e, plan, (int)o->timeout_ms, (size_t)o->parallel);
    rkc_emit_errors(&e);
    uint64_t elapsed = rkc_clock_ms() - t0;

    rkc_json_init(&j, 2);
    rkc_json_begin_object(&j);
    rkc_json_key(&j, "format");
    rkc_json_string(&j, "readykit-facts/1");
    collector_member(&j, o, elapsed, probe_ms);
    rkc_json_key(&j, "collected_at");
    rkc_json_string(&j, stamp);
    rkc_json_splice(&j, &body);
    rkc_json_end_object(&j);
    int rc = write_document(o, &j);
    rkc_emit_free(&e);
    rkc_json_free(&body);
    rkc_json_free(&j);
    return rc;
}

int rkc_main(int argc, char **argv)
{
    options o;
    rkc_plan plan = {NULL, 0, NULL, 0};
    plan_hash hash = {"", 0, ""};
    char err[512];
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (rkc_platform_init(err, sizeof err) != 0) {
        fprintf(stderr, PROG ": cannot start: %s\n", err);
        return RKC_EXIT_INTERNAL;
    }
    if (!o.plan || (rc = load_plan(o.plan, &plan, &hash)) == 0)
        rc = collect(&o, &plan, &hash);
    rkc_plan_free(&plan);
    rkc_platform_done();
    return rc;
}
