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

/* ---- the document, into a tree or onto a stream --------------------------------------- */

/* Where the members of the document go: a cJSON tree (rk_findings_json) or a file,
 * list by list (rk_findings_write), so that a fleet's findings.json is never held in
 * memory whole. One member list serves both, so they cannot differ. */
typedef struct sink {
    cJSON *root;       /* the tree, or NULL when streaming */
    FILE *fp;
    char *buf;         /* printed, not yet written (streaming): len of cap bytes */
    size_t len, cap;
    rk_sha256 *sha;    /* of everything written (streaming) */
    int nmembers;      /* members written so far (streaming) */
    int no_flows;      /* the tree without flows[] and rules[] */
} sink;

#define RK_FINDINGS_PIECE (1u << 20) /* bytes printed before they are written */

/* Writes what is printed so far and adds it to the digest: the document is printed into
 * memory and leaves in 1 MB pieces, hashed on the way, so a fleet's hundreds of MB are
 * never read back to be hashed. A write error shows in ferror at the end. */
static void drain(sink *k)
{
    if (!k->len) return;
    fwrite(k->buf, 1, k->len, k->fp);
    rk_sha256_update(k->sha, k->buf, k->len);
    k->len = 0;
}

/* Appends n bytes; a piece too large for the buffer goes straight through. */
static inline void put(sink *k, const char *s, size_t n)
{
    if (k->len + n > k->cap) {
        drain(k);
        if (n > k->cap) {
            fwrite(s, 1, n, k->fp);
            rk_sha256_update(k->sha, s, n);
            return;
        }
    }
    memcpy(k->buf + k->len, s, n);
    k->len += n;
}
#define PUT(k, lit) put((k), lit, sizeof lit - 1)

/* ---- printing as cJSON_Print does ----------------------------------------------------
 * Byte for byte the formatted output of cJSON 1.7.15 (cJSON_Print), printed straight
 * into the document: its own printer builds every element in a buffer, prints numbers
 * twice and reads them back, which was most of the time of a fleet's findings.json. */

static void put_string(sink *k, const char *s)
{
    PUT(k, "\"");
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    const unsigned char *run = p;
    for (; *p; p++) {
        unsigned char c = *p;
        if (c > 31 && c != '"' && c != '\\') continue;
        put(k, (const char *)run, (size_t)(p - run));
        run = p + 1;
        switch (c) {
        case '"': PUT(k, "\\\""); break;
        case '\\': PUT(k, "\\\\"); break;
        case '\b': PUT(k, "\\b"); break;
        case '\f': PUT(k, "\\f"); break;
        case '\n': PUT(k, "\\n"); break;
        case '\r': PUT(k, "\\r"); break;
        case '\t': PUT(k, "\\t"); break;
        default: {
            char u[8];
            snprintf(u, sizeof u, "\\u%04x", c);
            put(k, u, 6);
            break;
        }
        }
    }
    put(k, (const char *)run, (size_t)(p - run));
    PUT(k, "\"");
}

/* The doubles cJSON 1.7.15 takes for equal when it checks that "%1.15g" was enough. */
static int same_double(double a, double b)
{
    double most = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= most * DBL_EPSILON;
}

static void put_number(sink *k, double d)
{
    if (isnan(d) || isinf(d)) {
        PUT(k, "null");
        return;
    }
    char buf[32];
    /* a whole number below 10^15 prints as its digits under "%1.15g" */
    if (d == floor(d) && fabs(d) < 1e15 && (d != 0 || !signbit(d))) {
        /* digits by hand: printf's machinery was a tenth of a fleet's findings.json */
        long long v = (long long)d;
        unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
        char *e = buf + sizeof buf, *q = e;
        do *--q = (char)('0' + u % 10); while (u /= 10);
        if (v < 0) *--q = '-';
        put(k, q, (size_t)(e - q));
        return;
    }
    double test = 0;
    snprintf(buf, sizeof buf, "%1.15g", d);
    if (sscanf(buf, "%lg", &test) != 1 || !same_double(test, d))
        snprintf(buf, sizeof buf, "%1.17g", d);
    put(k, buf, strlen(buf));
}

static void put_tabs(sink *k, int n)
{
    static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
    for (; n > 16; n -= 16) put(k, tabs, 16);
    if (n > 0) put(k, tabs, (size_t)n);
}

/* v at nesting depth (the number of objects and lists it is inside). */
static void put_value(sink *k, const cJSON *v, int depth)
{
    if (cJSON_IsString(v)) {
        put_string(k, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        put_number(k, v->valuedouble);
    } else if (cJSON_IsTrue(v)) {
        PUT(k, "true");
    } else if (cJSON_IsFalse(v)) {
        PUT(k, "false");
    } else if (cJSON_IsArray(v)) {
        PUT(k, "[");
        for (const cJSON *c = v->child; c; c = c->next) {
            put_value(k, c, depth + 1);
            if (c->next) PUT(k, ", ");
        }
        PUT(k, "]");
    } else if (cJSON_IsObject(v)) {
        PUT(k, "{\n");
        for (const cJSON *c = v->child; c; c = c->next) {
            put_tabs(k, depth + 1);
            put_string(k, c->string);
            PUT(k, ":\t");
            put_value(k, c, depth + 1);
            if (c->next) PUT(k, ",\n");
            else PUT(k, "\n");
        }
        put_tabs(k, depth);
        PUT(k, "}");
    } else {
        PUT(k, "null");
    }
}

static void member_start(sink *k, const char *key)
{
    if (k->nmembers++) PUT(k, ",\n\t");
    else PUT(k, "{\n\t");
    put_string(k, key);
    PUT(k, ":\t");
}

/* A member whose value is built whole (small). Takes item. */
static void member(sink *k, const char *key, cJSON *item)
{
    if (k->root) {
        cJSON_AddItemToObject(k->root, key, item);
        return;
    }
    member_start(k, key);
    put_value(k, item, 1);
    cJSON_Delete(item);
}

/* ---- an element emitted member by member ---------------------------------------------
 * The flows, hundreds of thousands at fleet scale, are not built as cJSON objects to be
 * printed and freed: the same calls fill the tree's object (rk_findings_json) or print
 * straight onto the stream, so the two cannot differ. Emitted elements sit in a member
 * list of the document, at depth EM_DEPTH. */
#define EM_DEPTH 2

typedef struct em {
    sink *k;      /* streaming */
    cJSON *obj;   /* the tree: the object being filled */
    cJSON *arr;   /* the tree: the list being filled */
    int n;        /* streaming: members so far */
    int nitems;   /* streaming: items of the open list */
} em;

static void em_key(em *e, const char *key)
{
    if (e->n++) PUT(e->k, ",\n");
    put_tabs(e->k, EM_DEPTH + 1);
    put_string(e->k, key);
    PUT(e->k, ":\t");
}

/* A string member; NULL is null. */
static void em_str(em *e, const char *key, const char *v)
{
    if (e->obj) {
        add_str(e->obj, key, v);
        return;
    }
    em_key(e, key);
    if (v) put_string(e->k, v);
    else PUT(e->k, "null");
}

static void em_num(em *e, const char *key, double v)
{
    if (e->obj) {
        cJSON_AddNumberToObject(e->obj, key, v);
        return;
    }
    em_key(e, key);
    put_number(e->k, v);
}

static void em_bool(em *e, const char *key, int v)
{
    if (e->obj) {
        cJSON_AddBoolToObject(e->obj, key, v);
        return;
    }
    em_key(e, key);
    if (v) PUT(e->k, "true");
    else PUT(e->k, "false");
}

/* A list member: opened, given its items, closed. */
static void em_open(em *e, const char *key)
{
    if (e->obj) {
        e->arr = cJSON_AddArrayToObject(e->obj, key);
        return;
    }
    em_key(e, key);
    PUT(e->k, "[");
    e->nitems = 0;
}

static void em_item_str(em *e, const char *v)
{
    if (e->obj) {
        cJSON_AddItemToArray(e->arr, cJSON_CreateString(v));
        return;
    }
    if (e->nitems++) PUT(e->k, ", ");
    put_string(e->k, v);
}

static void em_item_num(em *e, double v)
{
    if (e->obj) {
        cJSON_AddItemToArray(e->arr, cJSON_CreateNumber(v));
        return;
    }
    if (e->nitems++) PUT(e->k, ", ");
    put_number(e->k, v);
}

static void em_close(em *e)
{
    if (e->obj) e->arr = NULL;
    else PUT(e->k, "]");
}

static void em_strs(em *e, const char *key, const char *const *v, size_t n)
{
    em_open(e, key);
    for (size_t i = 0; i < n; i++) em_item_str(e, v[i]);
    em_close(e);
}

static void em_ints(em *e, const char *key, const int *v, size_t n)
{
    em_open(e, key);
    for (size_t i = 0; i < n; i++) em_item_num(e, v[i]);
    em_close(e);
}

/* The targets of ends on one side of a flow or rule in its family (addresses, or names). */
static void em_targets(em *e, const char *key, const rk_assessment *a, const size_t *ends,
                       size_t n, unsigned fam)
{
    em_open(e, key);
    const char *one[64];
    for (size_t k = 0; k < n && fam; k++) {
        const rk_end *end = &a->ends[ends[k]];
        size_t m = rk_end_targets(end, fam, one, 64);
        const char **all = m > 64 ? rk_xmalloc(m * sizeof(char *)) : one;
        if (all != one) rk_end_targets(end, fam, all, m);
        for (size_t i = 0; i < m; i++) em_item_str(e, all[i]);
        if (all != one) free(all);
    }
    em_close(e);
}

static void flow_emit(em *e, const rk_assessment *a, size_t i, const void *arg)
{
    const size_t *rule_of = arg;
    const rk_flow *f = &a->flows[i];
    const rk_end *fh = &a->ends[f->from_host], *th = &a->ends[f->to_host];
    em_str(e, "id", f->id);
    em_str(e, "from_host", fh->name);
    em_str(e, "to_host", th->name);
    em_str(e, "protocol", rk_flows_proto_str(f->protocol));
    em_num(e, "port_from", f->port_from);
    em_num(e, "port_to", f->port_to);
    em_str(e, "from_address", fh->address_text);
    em_str(e, "to_address", th->address_text);
    em_strs(e, "from_addresses", (const char *const *)fh->addresses, fh->naddresses);
    em_strs(e, "to_addresses", (const char *const *)th->addresses, th->naddresses);
    em_str(e, "from_zone", fh->zone);
    em_str(e, "to_zone", th->zone);
    em_str(e, "scope", f->cross_zone ? "network" : "host");
    em_str(e, "service", f->service);
    em_str(e, "remark", f->remark);
    if (f->note) em_str(e, "note", f->note);
    em_bool(e, "dynamic", f->dynamic);
    em_ints(e, "seed_rows", f->rows, f->nrows);
    em_str(e, "verification", rk_fw_state_str(rk_flows_state(f)));
    if (f->probe_result) {
        em_num(e, "probe_ms", f->probe_ms);
        em_str(e, "probed_at", f->probe_at);
    }
    if (rule_of && rule_of[i] < a->nrules) em_str(e, "rule", a->rules[rule_of[i]].id);
    em_str(e, "address_family", rk_family_str(rk_flow_family(f)));
    em_targets(e, "from_family_addresses", a, &f->from_host, 1, f->src_family);
    em_targets(e, "to_family_addresses", a, &f->to_host, 1, f->dst_family);
    if (f->nundecided) {
        em_open(e, "depends_on");
        for (size_t k = 0; k < f->nundecided; k++)
            em_item_str(e, a->schema->params[f->undecided[k]].id);
        em_close(e);
    }
}

static void rule_emit(em *e, const rk_assessment *a, size_t i, const void *arg)
{
    (void)arg;
    const rk_rule *r = &a->rules[i];
    em_str(e, "id", r->id);
    em_str(e, "scope", r->cross_zone ? "network" : "host");
    em_str(e, "source_zone", *r->src_zone ? r->src_zone : NULL); /* null: an endpoint */
    em_str(e, "destination_zone", *r->dst_zone ? r->dst_zone : NULL);
    em_open(e, "source_hosts");
    for (size_t k = 0; k < r->nsrc; k++) em_item_str(e, a->ends[r->src_hosts[k]].name);
    em_close(e);
    em_open(e, "destination_hosts");
    for (size_t k = 0; k < r->ndst; k++) em_item_str(e, a->ends[r->dst_hosts[k]].name);
    em_close(e);
    em_str(e, "protocol", rk_flows_proto_str(r->protocol));
    rk_buf ports = {0};
    rk_flows_ports_str(&ports, (const int(*)[2])r->ports, r->nports);
    em_str(e, "ports", ports.data ? ports.data : "");
    rk_buf_free(&ports);
    em_open(e, "flows");
    for (size_t k = 0; k < r->nflows; k++) em_item_str(e, a->flows[r->flows[k]].id);
    em_close(e);
    em_ints(e, "seed_rows", r->rows, r->nrows);
    em_str(e, "services", r->services);
    em_str(e, "purpose", r->purpose);
    em_str(e, "verification", r->verification);
    em_str(e, "address_family", rk_family_str(rk_family_of(r->src_family, r->dst_family)));
    em_targets(e, "source_addresses", a, r->src_hosts, r->nsrc, r->src_family);
    em_targets(e, "destination_addresses", a, r->dst_hosts, r->ndst, r->dst_family);
}

typedef void (*emit_fn)(em *e, const rk_assessment *a, size_t i, const void *arg);

/* A member that is a list of n objects, each emitted by fn. */
static void member_emitted(sink *k, const char *key, const rk_assessment *a, size_t n,
                           emit_fn fn, const void *arg)
{
    if (k->root) {
        cJSON *arr = cJSON_AddArrayToObject(k->root, key);
        for (size_t i = 0; i < n; i++) {
            em e = {.obj = cJSON_CreateObject()};
            fn(&e, a, i, arg);
            cJSON_AddItemToArray(arr, e.obj);
        }
        return;
    }
    member_start(k, key);
    PUT(k, "[");
    for (size_t i = 0; i < n; i++) {
        if (i) PUT(k, ", ");
        PUT(k, "{\n");
        em e = {.k = k};
        fn(&e, a, i, arg);
        if (e.n) PUT(k, "\n");
        put_tabs(k, EM_DEPTH);
        PUT(k, "}");
    }
    PUT(k, "]");
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
    PUT(k, "[");
    for (size_t i = 0; i < n; i++) {
        cJSON *o = fn(a, i, arg);
        if (i) PUT(k, ", ");
        put_value(k, o, 2);
        cJSON_Delete(o);
    }
    PUT(k, "]");
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

    if (!k->no_flows) {
        size_t *rule_of = rk_flows_rule_of(a);
        member_emitted(k, "flows", a, a->nflows, flow_emit, rule_of);
        free(rule_of);
        member_emitted(k, "rules", a, a->nrules, rule_emit, NULL);
    }

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

cJSON *rk_findings_json(const rk_assessment *a, const char *lang, int flows)
{
    sink k = {.root = cJSON_CreateObject(), .no_flows = !flows};
    document(a, lang, &k);
    return k.root;
}

rk_err rk_findings_write(const rk_assessment *a, const char *lang, const char *path,
                         char sha256[65], char *err, size_t errlen)
{
    rk_out o;
    if (rk_out_open(&o, path, err, errlen) != 0) return RK_OUTPUT;
    sink k = {.fp = o.fp, .sha = rk_sha256_new(), .cap = RK_FINDINGS_PIECE};
    k.buf = rk_xmalloc(k.cap);
    document(a, lang, &k);
    if (k.nmembers) PUT(&k, "\n}\n");
    else PUT(&k, "{\n}\n");
    drain(&k);
    free(k.buf);
    char digest[65];
    rk_sha256_final(k.sha, digest);
    if (rk_out_commit(&o, err, errlen) != 0) return RK_OUTPUT;
    if (sha256) memcpy(sha256, digest, sizeof digest);
    return RK_OK;
}
