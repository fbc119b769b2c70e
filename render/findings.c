/* findings.c - writes findings.json (format readykit-findings/1). */
#include "findings.h"

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

cJSON *rk_findings_json(const rk_assessment *a, const char *lang)
{
    const rk_project *p = a->project;
    const rk_schema *s = a->schema;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "format", "readykit-findings/1");
    cJSON_AddStringToObject(root, "generator", "readykit " RK_VERSION);
    char date[21];
    rk_format_datetime(a->date, date);
    cJSON_AddStringToObject(root, "assessment_date", date);
    cJSON_AddStringToObject(root, "customer", p->customer);
    cJSON_AddStringToObject(root, "project", p->project);
    cJSON_AddStringToObject(root, "assessment_id", p->assessment_id);
    cJSON *sch = cJSON_AddObjectToObject(root, "schema");
    cJSON_AddStringToObject(sch, "id", s->id);
    cJSON_AddStringToObject(sch, "version", s->version);
    cJSON_AddStringToObject(sch, "title", s->title);
    cJSON_AddStringToObject(root, "language", lang);
    cJSON_AddStringToObject(root, "verdict", rk_verdict_str(a->verdict));
    cJSON_AddStringToObject(root, "digest", a->digest);

    cJSON *inputs = cJSON_AddArrayToObject(root, "inputs");
    for (size_t i = 0; i < a->ninputs; i++) {
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
        cJSON_AddItemToArray(inputs, o);
    }

    cJSON *hosts = cJSON_AddArrayToObject(root, "hosts");
    for (size_t h = 0; h < p->nhosts; h++) {
        const rk_host *host = &p->hosts[h];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", host->name);
        add_str(o, "fqdn", host->fqdn);
        add_str(o, "address", host->naddresses ? host->addresses[0] : NULL);
        cJSON_AddItemToObject(o, "addresses", strs((const char *const *)host->addresses, host->naddresses));
        add_str(o, "zone", host->zone);
        cJSON_AddItemToObject(o, "roles", roles_array(s, host->roles));
        cJSON_AddStringToObject(o, "verdict", rk_verdict_str(a->host_verdicts[h]));
        cJSON_AddBoolToObject(o, "facts_collected", a->facts[h] != NULL);
        cJSON_AddItemToArray(hosts, o);
    }

    int counts[RK_ST_COUNT] = {0};
    rk_remedy *remedy = rk_remedy_plan(a);
    cJSON *findings = cJSON_AddArrayToObject(root, "findings");
    for (size_t i = 0; i < a->nfindings; i++) {
        const rk_finding *f = &a->findings[i];
        const rk_requirement *r = &s->reqs[f->req];
        counts[f->status]++;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "host", p->hosts[f->host].name);
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
            char *script = rk_remedy_script_name(p->hosts[f->host].name, 0);
            cJSON_AddStringToObject(o, "fixed_by", script);
            free(script);
            if (remedy->how[i] == RK_HOW_PARTLY) cJSON_AddBoolToObject(o, "fixed_in_part", 1);
        }
        cJSON_AddItemToArray(findings, o);
    }
    rk_remedy_free(remedy);
    cJSON *cnt = cJSON_AddObjectToObject(root, "counts");
    for (int st = 0; st < RK_ST_COUNT; st++)
        cJSON_AddNumberToObject(cnt, rk_status_str((rk_status)st), counts[st]);

    size_t *rule_of = rk_flows_rule_of(a);
    cJSON *flows = cJSON_AddArrayToObject(root, "flows");
    for (size_t i = 0; i < a->nflows; i++) {
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
        if (f->nundecided) {
            cJSON *dep = cJSON_AddArrayToObject(o, "depends_on");
            for (size_t k = 0; k < f->nundecided; k++)
                cJSON_AddItemToArray(dep, cJSON_CreateString(s->params[f->undecided[k]].id));
        }
        cJSON_AddItemToArray(flows, o);
    }
    free(rule_of);

    cJSON *rules = cJSON_AddArrayToObject(root, "rules");
    for (size_t i = 0; i < a->nrules; i++) {
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
        cJSON_AddItemToArray(rules, o);
    }

    cJSON *wv = cJSON_AddObjectToObject(root, "waivers");
    cJSON *wexp = cJSON_AddArrayToObject(wv, "expired");
    cJSON *wun = cJSON_AddArrayToObject(wv, "unused");
    for (size_t i = 0; i < a->nwaivers; i++) {
        if (a->waivers[i].expired) cJSON_AddItemToArray(wexp, waiver_json(&a->waivers[i]));
        else if (!a->waivers[i].used) cJSON_AddItemToArray(wun, waiver_json(&a->waivers[i]));
    }
    cJSON *at = cJSON_AddObjectToObject(root, "attestations");
    cJSON *aexp = cJSON_AddArrayToObject(at, "expired");
    cJSON *aun = cJSON_AddArrayToObject(at, "unused");
    for (size_t i = 0; i < a->nattestations; i++) {
        if (a->attestations[i].expired) cJSON_AddItemToArray(aexp, attestation_json(&a->attestations[i]));
        else if (!a->attestations[i].used) cJSON_AddItemToArray(aun, attestation_json(&a->attestations[i]));
    }
    return root;
}

rk_err rk_findings_write(const rk_assessment *a, const char *lang, const char *path, char *err,
                         size_t errlen)
{
    cJSON *root = rk_findings_json(a, lang);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) {
        snprintf(err, errlen, "%s: out of memory while formatting", path);
        return RK_OUTPUT;
    }
    rk_out o;
    if (rk_out_open(&o, path, err, errlen) != 0) {
        cJSON_free(text);
        return RK_OUTPUT;
    }
    fputs(text, o.fp);
    fputc('\n', o.fp);
    cJSON_free(text);
    if (rk_out_commit(&o, err, errlen) != 0) return RK_OUTPUT;
    return RK_OK;
}
