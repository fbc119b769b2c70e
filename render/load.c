/* load.c - the assessment pipeline up to findings: load, evaluate, expand flows. */
#include "load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "flows.h"
#include "util.h"
#include "waivers.h"

char *rk_input_display_path(const rk_project *p, const char *path)
{
    size_t dl = strlen(p->dir);
    if (dl && strncmp(path, p->dir, dl) == 0 && (path[dl] == '/' || p->dir[dl - 1] == '/'))
        return rk_xstrdup(path + dl + (path[dl] == '/'));
    return rk_xstrdup(path);
}

static void add_input(rk_assessment *a, const char *kind, const char *path, const char *sha)
{
    a->inputs = rk_xrealloc(a->inputs, (a->ninputs + 1) * sizeof(rk_input));
    rk_input *in = &a->inputs[a->ninputs++];
    memset(in, 0, sizeof(*in));
    in->kind = rk_xstrdup(kind);
    in->path = rk_input_display_path(a->project, path);
    memcpy(in->sha256, sha ? sha : "", sha ? 65 : 1);
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

/* The document digest: SHA-256 over the sorted lines "sha256  kind:path", so that it
 * names exactly the inputs and not the order they were given in. */
static void compute_digest(rk_assessment *a)
{
    char **lines = rk_xcalloc(a->ninputs ? a->ninputs : 1, sizeof(char *));
    for (size_t i = 0; i < a->ninputs; i++)
        lines[i] = rk_xasprintf("%s  %s:%s\n", a->inputs[i].missing ? "missing" : a->inputs[i].sha256,
                                a->inputs[i].kind, a->inputs[i].path);
    qsort(lines, a->ninputs, sizeof(char *), cmp_lines);
    rk_buf b = {0};
    for (size_t i = 0; i < a->ninputs; i++) {
        rk_buf_puts(&b, lines[i]);
        free(lines[i]);
    }
    free(lines);
    rk_sha256_hex(b.data ? b.data : "", b.len, a->digest);
    rk_buf_free(&b);
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

/* The schema's `flows` requirement gives one finding per host; where probes showed
 * flows blocked, that finding is replaced by one finding per blocked flow, so each
 * closed port is a line a firewall team can act on. */
static void add_blocked_flow_findings(rk_assessment *a)
{
    size_t n = rk_flows_blocked(a, NULL, 0);
    if (!n) return;
    size_t *idx = rk_xcalloc(n, sizeof(size_t));
    rk_flows_blocked(a, idx, n);
    size_t keep = 0;
    for (size_t i = 0; i < a->nfindings; i++) {
        rk_finding *x = &a->findings[i];
        const rk_requirement *r = &a->schema->reqs[x->req];
        int drop = 0;
        if (r->check.kind == RK_CHECK_FLOWS && x->original == RK_ST_FAIL) {
            for (size_t k = 0; k < n && !drop; k++)
                if (a->flows[idx[k]].from_host == x->host) drop = 1;
        }
        if (drop) {
            free(x->expected);
            free(x->actual);
            free(x->message);
            continue;
        }
        a->findings[keep++] = *x;
    }
    a->nfindings = keep;
    int req = -1;
    for (size_t i = 0; i < a->schema->nreqs; i++)
        if (a->schema->reqs[i].check.kind == RK_CHECK_FLOWS) req = (int)i;
    if (req < 0) {
        free(idx);
        return;
    }
    a->findings = rk_xrealloc(a->findings, (a->nfindings + n) * sizeof(rk_finding));
    for (size_t i = 0; i < n; i++) {
        const rk_flow *f = &a->flows[idx[i]];
        if (!(a->schema->reqs[req].applies_to & a->project->hosts[f->from_host].roles)) continue;
        rk_finding *x = &a->findings[a->nfindings++];
        memset(x, 0, sizeof(*x));
        x->host = f->from_host;
        x->req = (size_t)req;
        x->flow = (int)idx[i];
        x->status = x->original =
            a->schema->reqs[req].severity == RK_SEV_REQUIRED ? RK_ST_FAIL : RK_ST_WARN;
        rk_buf ports = {0};
        int pr[1][2] = {{f->port_from, f->port_to}};
        rk_flows_ports_str(&ports, (const int(*)[2])pr, 1);
        const rk_host *to = &a->project->hosts[f->to_host];
        x->expected = rk_xasprintf("%s: %s/%s to %s open", f->id, rk_flows_proto_str(f->protocol),
                                   ports.data, to->name);
        x->actual = rk_xasprintf("%s after %.0f ms", f->probe_result ? f->probe_result : "blocked",
                                 f->probe_ms);
        x->message = rk_xasprintf("the probe from %s to %s (%s) on %s/%s was %s",
                                  a->project->hosts[f->from_host].name, to->name,
                                  rk_flows_host_target(to), rk_flows_proto_str(f->protocol),
                                  ports.data, f->probe_result ? f->probe_result : "blocked");
        rk_buf_free(&ports);
    }
    free(idx);
}

rk_err rk_assess_load(const rk_load_opts *o, rk_assessment **out, rk_diag *d, rk_warnings *w)
{
    *out = NULL;
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
    rk_assessment *a = rk_xcalloc(1, sizeof(*a));
    a->schema = rk_schema_load(spath, d);
    free(spath);
    if (!a->schema) goto fail;
    a->project = rk_project_load(o->project, a->schema, d);
    if (!a->project) goto fail;
    const rk_project *p = a->project;

    add_input(a, "project", p->path, p->sha256);
    {
        char *sname = rk_xasprintf("schemas/%s.yaml", a->schema->id);
        add_input(a, "schema", sname, a->schema->sha256);
        free(sname);
    }

    a->facts = rk_xcalloc(p->nhosts, sizeof(rk_facts *));
    int64_t newest = 0;
    for (size_t h = 0; h < p->nhosts && !o->no_facts; h++) {
        const rk_host *host = &p->hosts[h];
        if (!file_exists(host->facts_path)) {
            rk_warn(&a->warnings, host->facts_path, 0, 0,
                    "no fact file for host '%s'; its machine checks are unknown", host->name);
            add_input(a, "facts", host->facts_path, NULL);
            a->inputs[a->ninputs - 1].missing = 1;
            a->inputs[a->ninputs - 1].host = rk_xstrdup(host->name);
            continue;
        }
        rk_facts *f = rk_facts_load(host->facts_path, d, &a->warnings);
        if (!f) goto fail;
        if (!same_host(host->name, f->host_name)) {
            rk_diag_set(d, host->facts_path, 0, 0,
                        "the fact file describes host '%s'; expected host '%s' as the project "
                        "file (line %d) says",
                        f->host_name, host->name, host->line);
            rk_facts_free(f);
            goto fail;
        }
        a->facts[h] = f;
        add_input(a, "facts", host->facts_path, f->sha256);
        rk_input *in = &a->inputs[a->ninputs - 1];
        in->host = rk_xstrdup(host->name);
        in->collector = rk_xasprintf("%s %s (%s)", f->collector_name, f->collector_version,
                                     f->collector_platform);
        in->collected_at = rk_xstrdup(f->collected_at);
        if (f->collected_epoch > newest) newest = f->collected_epoch;
    }

    int sde = source_date_epoch(&a->date, d);
    if (sde < 0) goto fail;
    if (!sde) a->date = newest;
    for (size_t i = 0; i < a->ninputs; i++) {
        rk_input *in = &a->inputs[i];
        int64_t t;
        if (in->collected_at && rk_parse_date(in->collected_at, &t) == 0 &&
            t < a->date - (int64_t)RK_STALE_DAYS * 86400) {
            in->stale = 1;
            rk_warn(&a->warnings, in->path, 0, 0,
                    "facts of '%s' were collected on %.10s, more than %d days before the "
                    "assessment date",
                    in->host, in->collected_at, RK_STALE_DAYS);
        }
    }

    const char *wpath = o->waivers ? o->waivers : p->waivers_path;
    const char *apath = o->attestations ? o->attestations : p->attestations_path;
    if (o->no_facts) {
        wpath = apath = NULL;
        a->host_verdicts = rk_xcalloc(p->nhosts ? p->nhosts : 1, sizeof(rk_verdict));
        compute_digest(a);
        rk_flows_expand(a);
        rk_flows_rules(a);
        *out = a;
        return RK_OK;
    }
    if (wpath) {
        char sha[65];
        if (rk_waivers_load(a, wpath, sha, d) != RK_OK) goto fail;
        add_input(a, "waivers", wpath, sha);
    }
    if (apath) {
        char sha[65];
        if (rk_attestations_load(a, apath, sha, d) != RK_OK) goto fail;
        add_input(a, "attestations", apath, sha);
    }
    if (o->baseline) {
        char *buf;
        size_t len;
        char err[512], sha[65];
        if (rk_read_file(o->baseline, 64u * 1024u * 1024u, &buf, &len, err, sizeof err) != 0) {
            rk_diag_set(d, o->baseline, 0, 0, "%s", err);
            goto fail;
        }
        rk_sha256_hex(buf, len, sha);
        free(buf);
        add_input(a, "baseline", o->baseline, sha);
    }
    compute_digest(a);

    rk_flows_expand(a);
    rk_flows_rules(a);
    rk_eval_all(a);
    add_blocked_flow_findings(a);
    rk_waivers_apply(a);
    rk_eval_verdicts(a);
    *out = a;
    return RK_OK;
fail:
    for (size_t i = 0; i < a->warnings.count; i++) rk_warn(w, NULL, 0, 0, "%s", a->warnings.items[i]);
    rk_assessment_free(a);
    return RK_INPUT;
}

void rk_assessment_free(rk_assessment *a)
{
    if (!a) return;
    for (size_t i = 0; i < a->nfindings; i++) {
        free(a->findings[i].expected);
        free(a->findings[i].actual);
        free(a->findings[i].message);
    }
    free(a->findings);
    rk_flows_free(a);
    if (a->facts && a->project)
        for (size_t h = 0; h < a->project->nhosts; h++) rk_facts_free(a->facts[h]);
    free(a->facts);
    for (size_t i = 0; i < a->ninputs; i++) {
        free(a->inputs[i].kind);
        free(a->inputs[i].path);
        free(a->inputs[i].host);
        free(a->inputs[i].collector);
        free(a->inputs[i].collected_at);
    }
    free(a->inputs);
    for (size_t i = 0; i < a->nwaivers; i++) {
        rk_waiver *w = &a->waivers[i];
        free(w->requirement);
        free(w->hosts);
        free(w->justification);
        free(w->approved_by);
        free(w->expires);
        free(w->reference);
        free(w->file);
    }
    free(a->waivers);
    for (size_t i = 0; i < a->nattestations; i++) {
        rk_attestation *t = &a->attestations[i];
        free(t->requirement);
        free(t->hosts);
        free(t->attested_by);
        free(t->date);
        free(t->evidence);
        free(t->expires);
        free(t->file);
    }
    free(a->attestations);
    free(a->host_verdicts);
    free(a->probed_from);
    free(a->blocked_from);
    rk_warnings_free(&a->warnings);
    rk_project_free(a->project);
    rk_schema_free(a->schema);
    free(a);
}
