/* pipeline.c - the assessment up to its data: load every input, expand flows, evaluate,
 * apply waivers and attestations, decide verdicts. */
#include "pipeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "diff.h"
#include "eval.h"
#include "factschema.h"
#include "flows.h"
#include "jobs.h"
#include "progress.h"
#include "schema_text.h"
#include "util.h"
#include "waivers.h"

char *rk_input_display_path(const rk_project *p, const char *path)
{
    size_t dl = strlen(p->dir);
    if (dl && strncmp(path, p->dir, dl) == 0 && (path[dl] == '/' || p->dir[dl - 1] == '/'))
        return rk_xstrdup(path + dl + (path[dl] == '/'));
    return rk_xstrdup(path);
}

static rk_input *add_input(rk_assessment *a, const char *kind, const char *path, const char *sha)
{
    a->inputs = rk_xrealloc(a->inputs, (a->ninputs + 1) * sizeof(rk_input));
    rk_input *in = &a->inputs[a->ninputs++];
    memset(in, 0, sizeof(*in));
    in->kind = rk_xstrdup(kind);
    in->path = rk_input_display_path(a->project, path);
    in->file = rk_xstrdup(path);
    memcpy(in->sha256, sha ? sha : "", sha ? 65 : 1);
    return in;
}

/* SOURCE_DATE_EPOCH as the reproducible-builds specification defines it: a decimal
 * count of seconds; anything else is refused rather than guessed. */
static int source_date_epoch(int64_t *out, rk_diag *d)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s) return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno || v < 0 || v > 253402300799LL) {
        rk_diag_set(d, "SOURCE_DATE_EPOCH", 0, 0,
                    "'%s' is not a number of seconds since 1970; expected e.g. 1763625600", s);
        return -1;
    }
    *out = v;
    return 1;
}

static int cmp_lines(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

char *rk_inputs_manifest(const rk_input *inputs, size_t n)
{
    char **lines = rk_xcalloc(n ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        lines[i] = rk_xasprintf("%s  %s:%s\n", inputs[i].missing ? "missing" : inputs[i].sha256,
                                inputs[i].kind, inputs[i].path);
    qsort(lines, n, sizeof(char *), cmp_lines);
    rk_buf b = {0};
    rk_buf_add(&b, "", 0);
    for (size_t i = 0; i < n; i++) {
        rk_buf_puts(&b, lines[i]);
        free(lines[i]);
    }
    free(lines);
    return rk_buf_take(&b);
}

/* The document digest: SHA-256 over the sorted lines "sha256  kind:path", so that it
 * names exactly the inputs and not the order they were given in. */
static void compute_digest(rk_assessment *a)
{
    char *m = rk_inputs_manifest(a->inputs, a->ninputs);
    rk_sha256_hex(m, strlen(m), a->digest);
    free(m);
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Short host name of a fact file's host.name ("EX01.contoso.com" -> "EX01"). */
static int same_host(const char *project_name, const char *facts_name)
{
    if (strcasecmp(project_name, facts_name) == 0) return 1;
    size_t n = strlen(project_name);
    return strncasecmp(project_name, facts_name, n) == 0 && facts_name[n] == '.';
}

const char *rk_assess_lang(const rk_load_opts *o, const rk_assessment *a)
{
    return o->lang ? o->lang : a->project->language;
}

static rk_err load_schema(const rk_load_opts *o, rk_assessment *a, rk_diag *d)
{
    char *sid = rk_project_schema_id(o->project, d);
    if (!sid) return RK_INPUT;
    char *spath = rk_xasprintf("%s/%s.yaml", o->schema_dir, sid);
    if (!file_exists(spath)) {
        rk_diag_set(d, o->project, 0, 0, "schema '%s' not found (looked for %s); expected a schema "
                    "id from the schemas folder", sid, spath);
        free(sid);
        free(spath);
        return RK_INPUT;
    }
    free(sid);
    a->schema = rk_schema_load(spath, d);
    free(spath);
    return a->schema ? RK_OK : RK_INPUT;
}

/* The schema's translation into the documents' language, when there is one. */
static rk_err load_schema_text(const rk_load_opts *o, rk_assessment *a, rk_diag *d)
{
    const char *lang = rk_assess_lang(o, a);
    if (!strcmp(lang, "en")) return RK_OK;
    char *path = rk_schema_text_path(o->schema_dir, a->schema, lang);
    if (!file_exists(path)) {
        rk_warn(&a->warnings, path, 0, 0, "warn.no_translation", "schema", a->schema->id, "lang",
                lang, NULL);
        free(path);
        return RK_OK;
    }
    char sha[65], **missing = NULL;
    size_t nmissing = 0;
    rk_err e = rk_schema_text_apply(a->schema, path, lang, sha, &missing, &nmissing, d);
    if (e == RK_OK) {
        char count[32];
        snprintf(count, sizeof count, "%zu", nmissing);
        if (nmissing)
            rk_warn(&a->warnings, path, 0, 0, "warn.translation_incomplete", "count", count,
                    "first", missing[0], NULL);
        char *name = rk_xasprintf("schemas/%s.%s.yaml", a->schema->id, lang);
        add_input(a, "schema-text", name, sha);
        free(a->inputs[a->ninputs - 1].file);
        a->inputs[a->ninputs - 1].file = rk_xstrdup(path);
        free(name);
    }
    rk_strv_free(missing, nmissing);
    free(path);
    return e;
}

/* The collect items the schema plans for host h, and those its fact file does not
 * answer (neither a value under `collected` nor an error naming it). A fact file whose
 * plan lacked some of them, or that does not answer some, gets one warning naming them. */
static void plan_check(rk_assessment *a, size_t h, rk_input *in)
{
    rk_buf lacking = {0};
    size_t nlacking = 0;
    const rk_schema *s = a->schema;
    const rk_host *host = &a->project->hosts[h];
    const rk_facts *f = a->facts[h];
    const cJSON *col = f ? cJSON_GetObjectItemCaseSensitive(f->root, "collected") : NULL;
    in->planned = rk_xcalloc(s->ncollect ? s->ncollect : 1, sizeof(char *));
    in->unanswered = rk_xcalloc(s->ncollect ? s->ncollect : 1, sizeof(char *));
    for (size_t i = 0; i < s->ncollect; i++) {
        const rk_collect *c = &s->collect[i];
        if (c->roles && !(c->roles & host->roles)) continue;
        in->planned[in->nplanned++] = rk_xstrdup(c->id);
        if (!f) continue;
        char path[96];
        snprintf(path, sizeof path, "collected.%s", c->id);
        int asked = !f->has_plan;
        for (size_t k = 0; k < f->nplan_items && !asked; k++) asked = !strcmp(f->plan_items[k], c->id);
        if (!asked) in->old_plan = 1;
        int answered = cJSON_GetObjectItemCaseSensitive(col, c->id) || rk_facts_error(f, path);
        if (!answered) in->unanswered[in->nunanswered++] = rk_xstrdup(c->id);
        if (!asked || !answered) rk_buf_printf(&lacking, "%s%s", nlacking++ ? ", " : "", c->id);
    }
    if (in->nunanswered && !in->old_plan && f && !f->has_plan) in->old_plan = 1;
    if (nlacking) {
        char count[32];
        snprintf(count, sizeof count, "%zu", nlacking);
        rk_warn(&a->warnings, in->path, 0, 0, "warn.old_plan", "host", host->name, "count", count,
                "items", lacking.data, NULL);
    }
    rk_buf_free(&lacking);
}

static int names_probes(const char *fact)
{
    return fact && !strncmp(fact, "probes", 6) && strchr(".[", fact[6]);
}

/* 1 when a check (or one inside it) reads a fact under `probes`. */
static int check_reads_probes(const rk_check *k)
{
    if (!k) return 0;
    if (names_probes(k->fact) || names_probes(k->of)) return 1;
    if (check_reads_probes(k->sub) || check_reads_probes(k->where)) return 1;
    for (size_t i = 0; i < k->nchecks; i++)
        if (check_reads_probes(&k->checks[i])) return 1;
    return 0;
}

/* 1 when the schema reads the probes of a fact file as a fact; else only flow matching
 * reads them, from rk_facts.probes, and the parsed tree's copy can go. */
static int schema_reads_probes(const rk_schema *s)
{
    for (size_t i = 0; i < s->nreqs; i++)
        if (check_reads_probes(&s->reqs[i].check)) return 1;
    for (size_t i = 0; i < s->ndetails; i++)
        if (names_probes(s->details[i].fact)) return 1;
    return 0;
}

/* One host's fact file, read on any thread: what it gives is taken up in host order. */
typedef struct fact_job {
    const rk_host *host;
    const rk_factschema *types;
    int exists;
    rk_facts *facts;
    rk_diag d;
    rk_warnings w;
} fact_job;

static rk_err read_facts(void *arg, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    fact_job *j = arg;
    j->exists = file_exists(j->host->facts_path);
    if (j->exists) j->facts = rk_facts_load(j->host->facts_path, j->types, &j->d, &j->w);
    rk_progress_advance();
    return RK_OK;
}

static rk_err load_facts(const rk_load_opts *o, rk_assessment *a, rk_diag *d, int64_t *newest)
{
    const rk_project *p = a->project;
    a->facts = rk_xcalloc(p->nhosts ? p->nhosts : 1, sizeof(rk_facts *));
    if (o->no_facts) return RK_OK;
    char *tpath = o->facts_schema ? rk_xstrdup(o->facts_schema)
                                  : rk_xasprintf("%s/facts.schema.json", o->schema_dir);
    rk_factschema *types = rk_factschema_load(tpath, d);
    free(tpath);
    if (!types) return RK_INPUT;
    /* the files are read side by side, one per processor (a fleet's are tens of MB), and
     * taken up in host order as if read one after the other: the same warnings, and the
     * first bad file's error */
    fact_job *jobs = rk_xcalloc(p->nhosts ? p->nhosts : 1, sizeof(fact_job));
    rk_job *run = rk_xcalloc(p->nhosts ? p->nhosts : 1, sizeof(rk_job));
    for (size_t h = 0; h < p->nhosts; h++) {
        jobs[h].host = &p->hosts[h];
        jobs[h].types = types;
        run[h] = (rk_job){read_facts, &jobs[h], RK_OK, ""};
    }
    rk_progress_stage("reading fact files", p->nhosts, "hosts");
    rk_jobs_run(run, p->nhosts, rk_jobs_cpus());
    free(run);
    rk_err e = RK_OK;
    int keep_probes = schema_reads_probes(a->schema);
    for (size_t h = 0; h < p->nhosts; h++) {
        fact_job *j = &jobs[h];
        rk_facts *f = j->facts;
        if (e != RK_OK) { /* after the first bad file: as if never read */
            rk_facts_free(f);
            rk_warnings_free(&j->w);
            continue;
        }
        const rk_host *host = j->host;
        rk_warnings_append(&a->warnings, &j->w);
        rk_warnings_free(&j->w);
        if (!j->exists) {
            rk_warn(&a->warnings, host->facts_path, 0, 0, "warn.no_facts", "host", host->name, NULL);
            rk_input *in = add_input(a, "facts", host->facts_path, NULL);
            in->missing = 1;
            in->host = rk_xstrdup(host->name);
            plan_check(a, h, in);
            continue;
        }
        if (!f) {
            *d = j->d;
            e = RK_INPUT;
            continue;
        }
        if (!same_host(host->name, f->host_name)) {
            rk_diag_set(d, host->facts_path, 0, 0,
                        "the fact file describes host '%s'; expected host '%s' as the project "
                        "file (line %d) says",
                        f->host_name, host->name, host->line);
            rk_facts_free(f);
            e = RK_INPUT;
            continue;
        }
        if (!keep_probes) rk_facts_drop_probe_tree(f);
        a->facts[h] = f;
        rk_input *in = add_input(a, "facts", host->facts_path, f->sha256);
        in->host = rk_xstrdup(host->name);
        in->collector = rk_xasprintf("%s %s (%s)", f->collector_name, f->collector_version,
                                     f->collector_platform);
        in->collected_at = rk_xstrdup(f->collected_at);
        if (f->collected_epoch > *newest) *newest = f->collected_epoch;
        plan_check(a, h, in);
    }
    free(jobs);
    rk_factschema_free(types);
    return e;
}

static void mark_stale(rk_assessment *a)
{
    for (size_t i = 0; i < a->ninputs; i++) {
        rk_input *in = &a->inputs[i];
        int64_t t;
        if (!in->collected_at || rk_parse_date(in->collected_at, &t) != 0 ||
            t >= a->date - (int64_t)RK_STALE_DAYS * 86400)
            continue;
        in->stale = 1;
        char date[11], days[16];
        snprintf(date, sizeof date, "%.10s", in->collected_at);
        snprintf(days, sizeof days, "%d", RK_STALE_DAYS);
        rk_warn(&a->warnings, in->path, 0, 0, "warn.stale", "host", in->host, "date", date, "days",
                days, NULL);
    }
}

static rk_err load_exceptions(const rk_load_opts *o, rk_assessment *a, rk_diag *d)
{
    const rk_project *p = a->project;
    const char *wpath = o->waivers ? o->waivers : p->waivers_path;
    const char *apath = o->attestations ? o->attestations : p->attestations_path;
    char sha[65];
    if (wpath) {
        char *display = rk_input_display_path(p, wpath);
        rk_err e = rk_waivers_load(wpath, display, a->schema, &a->waivers, &a->nwaivers, sha,
                                   &a->warnings, d);
        free(display);
        if (e != RK_OK) return e;
        add_input(a, "waivers", wpath, sha);
    }
    if (apath) {
        char *display = rk_input_display_path(p, apath);
        rk_err e = rk_attestations_load(apath, display, a->schema, &a->attestations,
                                        &a->nattestations, sha, d);
        free(display);
        if (e != RK_OK) return e;
        add_input(a, "attestations", apath, sha);
    }
    if (o->baseline) { /* hashed here; read (and bounded) by the comparison */
        char err[512];
        if (rk_sha256_file(o->baseline, sha, err, sizeof err) != 0) {
            size_t n = strlen(o->baseline); /* the message names the file, as d does */
            const char *why = !strncmp(err, o->baseline, n) && !strncmp(err + n, ": ", 2) ? err + n + 2 : err;
            return rk_diag_set(d, o->baseline, 0, 0, "%s", why);
        }
        add_input(a, "baseline", o->baseline, sha);
    }
    return RK_OK;
}

static void evaluate(rk_assessment *a)
{
    rk_progress_stage("expanding flows", 0, NULL);
    rk_flows_expand(a);
    rk_flows_rules(a);
    rk_eval_all(a);
    rk_exceptions_apply(a);
    rk_eval_verdicts(a);
}

rk_err rk_assess_load(const rk_load_opts *o, rk_assessment **out, rk_diag *d, rk_warnings *w)
{
    *out = NULL;
    rk_assessment *a = rk_xcalloc(1, sizeof(*a));
    int64_t newest = 0;
    if (load_schema(o, a, d) != RK_OK) goto fail;
    a->project = rk_project_load(o->project, a->schema, d);
    if (!a->project) goto fail;
    add_input(a, "project", a->project->path, a->project->sha256);
    {
        char *sname = rk_xasprintf("schemas/%s.yaml", a->schema->id);
        rk_input *in = add_input(a, "schema", sname, a->schema->sha256);
        free(in->file);
        in->file = rk_xstrdup(a->schema->path);
        free(sname);
    }
    if (load_schema_text(o, a, d) != RK_OK) goto fail;
    if (load_facts(o, a, d, &newest) != RK_OK) goto fail;
    int sde = source_date_epoch(&a->date, d);
    if (sde < 0) goto fail;
    if (!sde) a->date = newest;
    mark_stale(a);
    if (o->no_facts) {
        a->host_verdicts = rk_xcalloc(a->project->nhosts ? a->project->nhosts : 1, sizeof(rk_verdict));
        compute_digest(a);
        rk_flows_expand(a);
        rk_flows_rules(a);
        *out = a;
        return RK_OK;
    }
    if (load_exceptions(o, a, d) != RK_OK) goto fail;
    compute_digest(a);
    evaluate(a);
    *out = a;
    return RK_OK;
fail:
    rk_warnings_append(w, &a->warnings);
    rk_assessment_free(a);
    return RK_INPUT;
}

void rk_findings_free(rk_assessment *a)
{
    for (size_t i = 0; i < a->nfindings; i++) {
        rk_outcome_free(&a->findings[i].why);
        free(a->findings[i].expected);
        free(a->findings[i].actual);
        free(a->findings[i].message);
    }
    free(a->findings);
    a->findings = NULL;
    a->nfindings = 0;
}

static void inputs_free(rk_assessment *a)
{
    for (size_t i = 0; i < a->ninputs; i++) {
        rk_input *in = &a->inputs[i];
        free(in->kind);
        free(in->path);
        free(in->file);
        free(in->host);
        free(in->collector);
        free(in->collected_at);
        rk_strv_free(in->planned, in->nplanned);
        rk_strv_free(in->unanswered, in->nunanswered);
    }
    free(a->inputs);
}

void rk_assessment_free(rk_assessment *a)
{
    if (!a) return;
    rk_findings_free(a);
    rk_flows_free(a);
    if (a->facts && a->project)
        for (size_t h = 0; h < a->project->nhosts; h++) rk_facts_free(a->facts[h]);
    free(a->facts);
    inputs_free(a);
    rk_waivers_free(a->waivers, a->nwaivers);
    rk_attestations_free(a->attestations, a->nattestations);
    free(a->host_verdicts);
    rk_warnings_free(&a->warnings);
    rk_project_free(a->project);
    rk_schema_free(a->schema);
    free(a);
}
