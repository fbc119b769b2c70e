/* findings.c - writes findings.json (format readykit-findings/1). */
#include "findings.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flows.h"
#include "remedy.h"
#include "util.h"

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v) cJSON_AddStringToObject(o, k, v);
    else cJSON_AddNullToObject(o, k);
}

static cJSON *roles_array(const rk_schema *s, uint32_t mask)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < s->nroles; i++)
        if (mask & (1u << i)) cJSON_AddItemToArray(arr, cJSON_CreateString(s->roles[i].id));
    return arr;
}

static cJSON *int_array(const int *v, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) cJSON_AddItemToArray(arr, cJSON_CreateNumber(v[i]));
    return arr;
}

static cJSON *strs(const char *const *v, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) cJSON_AddItemToArray(arr, cJSON_CreateString(v[i]));
    return arr;
}

/* The targets of ends on one side of a flow or rule in its family (addresses, or names). */
static cJSON *targets(const rk_assessment *a, const size_t *ends, size_t n, unsigned fam)
{
    cJSON *arr = cJSON_CreateArray();
    const char *one[64];
    for (size_t k = 0; k < n && fam; k++) {
        const rk_end *e = &a->ends[ends[k]];
        size_t m = rk_end_targets(e, fam, one, 64);
        if (m > 64) {
            const char **all = rk_xmalloc(m * sizeof(char *));
            rk_end_targets(e, fam, all, m);
            for (size_t i = 0; i < m; i++) cJSON_AddItemToArray(arr, cJSON_CreateString(all[i]));
            free(all);
            continue;
        }
        for (size_t i = 0; i < m; i++) cJSON_AddItemToArray(arr, cJSON_CreateString(one[i]));
    }
    return arr;
}

static cJSON *waiver_json(const rk_waiver *w)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "requirement", w->requirement);
    add_str(o, "hosts", w->hosts);
    add_str(o, "justification", w->justification);
    add_str(o, "approved_by", w->approved_by);
    add_str(o, "approved_on", w->approved_on);
    add_str(o, "risk", w->risk);
    add_str(o, "ticket", w->ticket);
    add_str(o, "reference", w->ticket); /* the older name of ticket */
    add_str(o, "scope", w->scope);
    add_str(o, "expires", w->expires);
    cJSON_AddBoolToObject(o, "expiring_soon", w->expiring);
    return o;
}

static cJSON *attestation_json(const rk_attestation *t)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "requirement", t->requirement);
    add_str(o, "hosts", t->hosts);
    add_str(o, "attested_by", t->attested_by);
    add_str(o, "date", t->date);
    add_str(o, "evidence", t->evidence);
    add_str(o, "ticket", t->ticket);
    add_str(o, "expires", t->expires);
    return o;
}

/* ---- one element of each list ----------------------------------------------------- */

static cJSON *input_json(const rk_assessment *a, size_t i, const void *arg)
{
    (void)arg;
    const rk_input *in = &a->inputs[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", in->kind);
    cJSON_AddStringToObject(o, "path", in->path);
    if (in->missing) cJSON_AddNullToObject(o, "sha256");
    else cJSON_AddStringToObject(o, "sha256", in->sha256);
    if (in->host) cJSON_AddStringToObject(o, "host", in->host);
    if (in->collector) cJSON_AddStringToObject(o, "collector", in->collector);
    if (in->collected_at) cJSON_AddStringToObject(o, "collected_at", in->collected_at);
    if (!strcmp(in->kind, "facts")) {
        cJSON_AddBoolToObject(o, "stale", in->stale);
        cJSON_AddBoolToObject(o, "missing", in->missing);
        cJSON *plan = cJSON_AddObjectToObject(o, "plan");
        cJSON_AddItemToObject(plan, "planned", strs((const char *const *)in->planned, in->nplanned));
        cJSON_AddItemToObject(plan, "not_returned",
                              strs((const char *const *)in->unanswered, in->nunanswered));
        cJSON_AddBoolToObject(plan, "old_plan", in->old_plan);
    }
    return o;
}

static cJSON *host_json(const rk_assessment *a, size_t h, const void *arg)
{
    (void)arg;
    const rk_host *host = &a->project->hosts[h];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", host->name);
    add_str(o, "fqdn", host->fqdn);
    add_str(o, "address", host->naddresses ? host->addresses[0] : NULL);
    cJSON_AddItemToObject(o, "addresses", strs((const char *const *)host->addresses, host->naddresses));
    add_str(o, "zone", host->zone);
    cJSON_AddItemToObject(o, "roles", roles_array(a->schema, host->roles));
    cJSON_AddStringToObject(o, "verdict", rk_verdict_str(a->host_verdicts[h]));
    cJSON_AddBoolToObject(o, "facts_collected", a->facts[h] != NULL);
    return o;
}

static cJSON *finding_json(const rk_assessment *a, size_t i, const void *arg)
{
    const rk_remedy *remedy = arg;
    const rk_finding *f = &a->findings[i];
    const rk_requirement *r = &a->schema->reqs[f->req];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "host", a->project->hosts[f->host].name);
    cJSON_AddStringToObject(o, "requirement", r->id);
    cJSON_AddStringToObject(o, "status", rk_status_str(f->status));
    cJSON_AddStringToObject(o, "expected", f->expected);
    cJSON_AddStringToObject(o, "actual", f->actual);
    cJSON_AddStringToObject(o, "message", f->message);
    cJSON_AddStringToObject(o, "reason", rk_reason_str(f->why.reason));
    cJSON_AddStringToObject(o, "title", r->title);
    cJSON_AddStringToObject(o, "severity", r->severity == RK_SEV_REQUIRED ? "required" : "recommended");
    cJSON_AddStringToObject(o, "section", r->section);
    if (f->original != f->status)
        cJSON_AddStringToObject(o, "original_status", rk_status_str(f->original));
    if (f->status != RK_ST_PASS && f->status != RK_ST_NA)
        cJSON_AddStringToObject(o, "remediation", r->remediation);
    if (f->flow >= 0 && (size_t)f->flow < a->nflows)
        cJSON_AddStringToObject(o, "flow", a->flows[f->flow].id);
    if (f->waiver) cJSON_AddItemToObject(o, "waiver", waiver_json(f->waiver));
    if (f->attestation) cJSON_AddItemToObject(o, "attestation", attestation_json(f->attestation));
    if (remedy->how[i] == RK_HOW_SCRIPT || remedy->how[i] == RK_HOW_PARTLY) {
        char *script = rk_remedy_script_name(a->project->hosts[f->host].name, 0);
        cJSON_AddStringToObject(o, "fixed_by", script);
        free(script);
        if (remedy->how[i] == RK_HOW_PARTLY) cJSON_AddBoolToObject(o, "fixed_in_part", 1);
    }
    return o;
}

static cJSON *flow_json(const rk_assessment *a, size_t i, const void *arg)
{
    const size_t *rule_of = arg;
    const rk_flow *f = &a->flows[i];
    const rk_end *fh = &a->ends[f->from_host], *th = &a->ends[f->to_host];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", f->id);
    cJSON_AddStringToObject(o, "from_host", fh->name);
    cJSON_AddStringToObject(o, "to_host", th->name);
    cJSON_AddStringToObject(o, "protocol", rk_flows_proto_str(f->protocol));
    cJSON_AddNumberToObject(o, "port_from", f->port_from);
    cJSON_AddNumberToObject(o, "port_to", f->port_to);
    add_str(o, "from_address", fh->address_text);
    add_str(o, "to_address", th->address_text);
    cJSON_AddItemToObject(o, "from_addresses", strs((const char *const *)fh->addresses, fh->naddresses));
    cJSON_AddItemToObject(o, "to_addresses", strs((const char *const *)th->addresses, th->naddresses));
    add_str(o, "from_zone", fh->zone);
    add_str(o, "to_zone", th->zone);
    cJSON_AddStringToObject(o, "scope", f->cross_zone ? "network" : "host");
    add_str(o, "service", f->service);
    add_str(o, "remark", f->remark);
    if (f->note) cJSON_AddStringToObject(o, "note", f->note);
    cJSON_AddBoolToObject(o, "dynamic", f->dynamic);
    cJSON_AddItemToObject(o, "seed_rows", int_array(f->rows, f->nrows));
    cJSON_AddStringToObject(o, "verification", rk_fw_state_str(rk_flows_state(f)));
    if (f->probe_result) {
        cJSON_AddNumberToObject(o, "probe_ms", f->probe_ms);
        add_str(o, "probed_at", f->probe_at);
    }
    if (rule_of && rule_of[i] < a->nrules) cJSON_AddStringToObject(o, "rule", a->rules[rule_of[i]].id);
    cJSON_AddStringToObject(o, "address_family", rk_family_str(rk_flow_family(f)));
    cJSON_AddItemToObject(o, "from_family_addresses", targets(a, &f->from_host, 1, f->src_family));
    cJSON_AddItemToObject(o, "to_family_addresses", targets(a, &f->to_host, 1, f->dst_family));
    if (f->nundecided) {
        cJSON *dep = cJSON_AddArrayToObject(o, "depends_on");
        for (size_t k = 0; k < f->nundecided; k++)
            cJSON_AddItemToArray(dep, cJSON_CreateString(a->schema->params[f->undecided[k]].id));
    }
    return o;
}

static cJSON *rule_json(const rk_assessment *a, size_t i, const void *arg)
{
    (void)arg;
    const rk_rule *r = &a->rules[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", r->id);
    cJSON_AddStringToObject(o, "scope", r->cross_zone ? "network" : "host");
    add_str(o, "source_zone", *r->src_zone ? r->src_zone : NULL); /* null: an endpoint */
    add_str(o, "destination_zone", *r->dst_zone ? r->dst_zone : NULL);
    cJSON *src = cJSON_AddArrayToObject(o, "source_hosts");
    for (size_t k = 0; k < r->nsrc; k++)
        cJSON_AddItemToArray(src, cJSON_CreateString(a->ends[r->src_hosts[k]].name));
    cJSON *dst = cJSON_AddArrayToObject(o, "destination_hosts");
    for (size_t k = 0; k < r->ndst; k++)
        cJSON_AddItemToArray(dst, cJSON_CreateString(a->ends[r->dst_hosts[k]].name));
    cJSON_AddStringToObject(o, "protocol", rk_flows_proto_str(r->protocol));
    rk_buf ports = {0};
    rk_flows_ports_str(&ports, (const int(*)[2])r->ports, r->nports);
    cJSON_AddStringToObject(o, "ports", ports.data ? ports.data : "");
    rk_buf_free(&ports);
    cJSON *fl = cJSON_AddArrayToObject(o, "flows");
    for (size_t k = 0; k < r->nflows; k++)
        cJSON_AddItemToArray(fl, cJSON_CreateString(a->flows[r->flows[k]].id));
    cJSON_AddItemToObject(o, "seed_rows", int_array(r->rows, r->nrows));
    add_str(o, "services", r->services);
    add_str(o, "purpose", r->purpose);
    add_str(o, "verification", r->verification);
    cJSON_AddStringToObject(o, "address_family",
                            rk_family_str(rk_family_of(r->src_family, r->dst_family)));
    cJSON_AddItemToObject(o, "source_addresses", targets(a, r->src_hosts, r->nsrc, r->src_family));
    cJSON_AddItemToObject(o, "destination_addresses",
                          targets(a, r->dst_hosts, r->ndst, r->dst_family));
    return o;
}

/* ---- the document, into a tree or onto a stream --------------------------------------- */

/* Where the members of the document go: a cJSON tree (rk_findings_json) or a file,
 * list by list (rk_findings_write), so that a fleet's findings.json is never held in
 * memory whole. One member list serves both, so they cannot differ. */
typedef struct sink {
    cJSON *root;       /* the tree, or NULL when streaming */
    FILE *fp;
    int nmembers;      /* members written so far (streaming) */
} sink;

/* ---- printing as cJSON_Print does ----------------------------------------------------
 * Byte for byte the formatted output of cJSON 1.7.15 (cJSON_Print), written straight to
 * the file: its own printer builds every element in a buffer, prints numbers twice and
 * reads them back, which was most of the time of a fleet's findings.json. */

static void put_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    const unsigned char *run = p;
    for (; *p; p++) {
        unsigned char c = *p;
        if (c > 31 && c != '"' && c != '\\') continue;
        fwrite(run, 1, (size_t)(p - run), fp);
        run = p + 1;
        switch (c) {
        case '"': fputs("\\\"", fp); break;
        case '\\': fputs("\\\\", fp); break;
        case '\b': fputs("\\b", fp); break;
        case '\f': fputs("\\f", fp); break;
        case '\n': fputs("\\n", fp); break;
        case '\r': fputs("\\r", fp); break;
        case '\t': fputs("\\t", fp); break;
        default: fprintf(fp, "\\u%04x", c); break;
        }
    }
    fwrite(run, 1, (size_t)(p - run), fp);
    fputc('"', fp);
}

/* The doubles cJSON 1.7.15 takes for equal when it checks that "%1.15g" was enough. */
static int same_double(double a, double b)
{
    double most = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= most * DBL_EPSILON;
}

static void put_number(FILE *fp, double d)
{
    if (isnan(d) || isinf(d)) {
        fputs("null", fp);
        return;
    }
    /* a whole number below 10^15 prints as its digits under "%1.15g" */
    if (d == floor(d) && fabs(d) < 1e15 && (d != 0 || !signbit(d))) {
        fprintf(fp, "%lld", (long long)d);
        return;
    }
    char buf[32];
    double test = 0;
    snprintf(buf, sizeof buf, "%1.15g", d);
    if (sscanf(buf, "%lg", &test) != 1 || !same_double(test, d))
        snprintf(buf, sizeof buf, "%1.17g", d);
    fputs(buf, fp);
}

static void put_tabs(FILE *fp, int n)
{
    while (n-- > 0) fputc('\t', fp);
}

/* v at nesting depth (the number of objects and lists it is inside). */
static void put_value(FILE *fp, const cJSON *v, int depth)
{
    if (cJSON_IsString(v)) {
        put_string(fp, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        put_number(fp, v->valuedouble);
    } else if (cJSON_IsTrue(v)) {
        fputs("true", fp);
    } else if (cJSON_IsFalse(v)) {
        fputs("false", fp);
    } else if (cJSON_IsArray(v)) {
        fputc('[', fp);
        for (const cJSON *c = v->child; c; c = c->next) {
            put_value(fp, c, depth + 1);
            if (c->next) fputs(", ", fp);
        }
        fputc(']', fp);
    } else if (cJSON_IsObject(v)) {
        fputs("{\n", fp);
        for (const cJSON *c = v->child; c; c = c->next) {
            put_tabs(fp, depth + 1);
            put_string(fp, c->string);
            fputs(":\t", fp);
            put_value(fp, c, depth + 1);
            fputs(c->next ? ",\n" : "\n", fp);
        }
        put_tabs(fp, depth);
        fputc('}', fp);
    } else {
        fputs("null", fp);
    }
}

static void member_start(sink *k, const char *key)
{
    fprintf(k->fp, "%s\t\"%s\":\t", k->nmembers++ ? ",\n" : "{\n", key);
}

/* A member whose value is built whole (small). Takes item. */
static void member(sink *k, const char *key, cJSON *item)
{
    if (k->root) {
        cJSON_AddItemToObject(k->root, key, item);
        return;
    }
    member_start(k, key);
    put_value(k->fp, item, 1);
    cJSON_Delete(item);
}

typedef cJSON *(*element_fn)(const rk_assessment *a, size_t i, const void *arg);

/* A member that is a list of n elements, each built by fn, streamed one at a time. */
static void member_list(sink *k, const char *key, const rk_assessment *a, size_t n, element_fn fn,
                        const void *arg)
{
    if (k->root) {
        cJSON *arr = cJSON_AddArrayToObject(k->root, key);
        for (size_t i = 0; i < n; i++) cJSON_AddItemToArray(arr, fn(a, i, arg));
        return;
    }
    member_start(k, key);
    fputc('[', k->fp);
    for (size_t i = 0; i < n; i++) {
        cJSON *o = fn(a, i, arg);
        if (i) fputs(", ", k->fp);
        put_value(k->fp, o, 2);
        cJSON_Delete(o);
    }
    fputc(']', k->fp);
}

static void document(const rk_assessment *a, const char *lang, sink *k)
{
    const rk_project *p = a->project;
    const rk_schema *s = a->schema;
    member(k, "format", cJSON_CreateString("readykit-findings/1"));
    member(k, "generator", cJSON_CreateString("readykit " RK_VERSION));
    char date[21];
    rk_format_datetime(a->date, date);
    member(k, "assessment_date", cJSON_CreateString(date));
    member(k, "customer", cJSON_CreateString(p->customer));
    member(k, "project", cJSON_CreateString(p->project));
    member(k, "assessment_id", cJSON_CreateString(p->assessment_id));
    cJSON *sch = cJSON_CreateObject();
    cJSON_AddStringToObject(sch, "id", s->id);
    cJSON_AddStringToObject(sch, "version", s->version);
    cJSON_AddStringToObject(sch, "title", s->title);
    member(k, "schema", sch);
    member(k, "language", cJSON_CreateString(lang));
    member(k, "verdict", cJSON_CreateString(rk_verdict_str(a->verdict)));
    member(k, "digest", cJSON_CreateString(a->digest));
    member_list(k, "inputs", a, a->ninputs, input_json, NULL);
    member_list(k, "hosts", a, p->nhosts, host_json, NULL);
    rk_remedy *remedy = rk_remedy_plan(a);
    member_list(k, "findings", a, a->nfindings, finding_json, remedy);
    rk_remedy_free(remedy);

    int counts[RK_ST_COUNT] = {0};
    for (size_t i = 0; i < a->nfindings; i++) counts[a->findings[i].status]++;
    cJSON *cnt = cJSON_CreateObject();
    for (int st = 0; st < RK_ST_COUNT; st++)
        cJSON_AddNumberToObject(cnt, rk_status_str((rk_status)st), counts[st]);
    member(k, "counts", cnt);

    size_t *rule_of = rk_flows_rule_of(a);
    member_list(k, "flows", a, a->nflows, flow_json, rule_of);
    free(rule_of);
    member_list(k, "rules", a, a->nrules, rule_json, NULL);

    cJSON *wv = cJSON_CreateObject();
    cJSON *wexp = cJSON_AddArrayToObject(wv, "expired");
    cJSON *wun = cJSON_AddArrayToObject(wv, "unused");
    for (size_t i = 0; i < a->nwaivers; i++) {
        if (a->waivers[i].expired) cJSON_AddItemToArray(wexp, waiver_json(&a->waivers[i]));
        else if (!a->waivers[i].used) cJSON_AddItemToArray(wun, waiver_json(&a->waivers[i]));
    }
    member(k, "waivers", wv);
    cJSON *at = cJSON_CreateObject();
    cJSON *aexp = cJSON_AddArrayToObject(at, "expired");
    cJSON *aun = cJSON_AddArrayToObject(at, "unused");
    for (size_t i = 0; i < a->nattestations; i++) {
        if (a->attestations[i].expired) cJSON_AddItemToArray(aexp, attestation_json(&a->attestations[i]));
        else if (!a->attestations[i].used) cJSON_AddItemToArray(aun, attestation_json(&a->attestations[i]));
    }
    member(k, "attestations", at);
}

cJSON *rk_findings_json(const rk_assessment *a, const char *lang)
{
    sink k = {cJSON_CreateObject(), NULL, 0};
    document(a, lang, &k);
    return k.root;
}

rk_err rk_findings_write(const rk_assessment *a, const char *lang, const char *path, char *err,
                         size_t errlen)
{
    rk_out o;
    if (rk_out_open(&o, path, err, errlen) != 0) return RK_OUTPUT;
    sink k = {NULL, o.fp, 0};
    document(a, lang, &k);
    fputs(k.nmembers ? "\n}\n" : "{\n}\n", o.fp);
    if (rk_out_commit(&o, err, errlen) != 0) return RK_OUTPUT;
    return RK_OK;
}
