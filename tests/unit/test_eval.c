/* test_eval.c - data-driven evaluator cases: requirement, parameters, facts, probe
 * results; expected status, actual value and message in words
 * (tests/unit/data/eval_cases.json), over a schema of every check kind and over the
 * product schema's thresholds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "assess.h"
#include "eval.h"
#include "explain.h"
#include "flows.h"
#include "template.h"
#include "util.h"
#include "when.h"
#include "yaml_tree.h"

static rk_tmpl *words; /* English, as findings.json words findings */

static const char *src(void)
{
    const char *s = getenv("RK_SOURCE");
    return s ? s : RK_SOURCE_DIR;
}

static rk_schema *load_schema(const char *name)
{
    char *p = !strcmp(name, "mpe") ? rk_xasprintf("%s/schemas/migrator-pro-exchange-20.11.yaml", src())
                                   : rk_xasprintf("%s/tests/unit/data/%s.yaml", src(), name);
    rk_diag d;
    rk_schema *s = rk_schema_load(p, &d);
    if (!s) fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
    free(p);
    return s;
}

/* Recursively merges object b into a (b wins). */
static void merge(cJSON *a, const cJSON *b)
{
    for (const cJSON *c = b->child; c; c = c->next) {
        cJSON *x = cJSON_GetObjectItemCaseSensitive(a, c->string);
        if (x && cJSON_IsObject(x) && cJSON_IsObject(c)) {
            merge(x, c);
        } else {
            cJSON_DeleteItemFromObjectCaseSensitive(a, c->string);
            cJSON_AddItemToObject(a, c->string, cJSON_Duplicate(c, 1));
        }
    }
}

static rk_facts *make_facts(const char *host, const cJSON *partial)
{
    if (!partial || cJSON_IsNull(partial)) return NULL;
    cJSON *base = cJSON_Parse("{\"format\":\"readykit-facts/1\",\"collector\":{\"name\":\"readykit-collect\","
                              "\"version\":\"0.1.0\",\"platform\":\"windows\"},\"collected_at\":"
                              "\"2026-11-20T09:00:00Z\",\"host\":{}}");
    cJSON_AddStringToObject(cJSON_GetObjectItem(base, "host"), "name", host);
    merge(base, partial);
    char *text = cJSON_PrintUnformatted(base);
    cJSON_Delete(base);
    rk_diag d;
    rk_warnings w = {0};
    rk_facts *f = rk_facts_parse("case.json", text, strlen(text), NULL, &d, &w);
    if (!f) fail_msg("facts: %s", d.msg);
    rk_warnings_free(&w);
    free(text);
    return f;
}

static uint32_t mask_of(const rk_schema *s, const cJSON *arr, const char *def)
{
    uint32_t m = 0;
    if (!arr) {
        int r = rk_schema_role(s, def);
        return r >= 0 ? 1u << r : 0;
    }
    for (const cJSON *c = arr->child; c; c = c->next) {
        int r = rk_schema_role(s, c->valuestring);
        if (r < 0) fail_msg("unknown role %s", c->valuestring);
        m |= 1u << r;
    }
    return m;
}

/* The case's parameters, typed by the schema's declarations through the project
 * loader's own parser (a YAML scalar or list per value). */
static void set_params(rk_project *p, const rk_schema *s, const cJSON *params)
{
    p->nparams = s->nparams;
    p->params = rk_xcalloc(s->nparams ? s->nparams : 1, sizeof(rk_pvalue));
    p->params_given = rk_xcalloc(s->nparams ? s->nparams : 1, sizeof(int));
    for (const cJSON *c = params ? params->child : NULL; c; c = c->next) {
        int i = rk_schema_param(s, c->string);
        if (i < 0) fail_msg("unknown parameter %s", c->string);
        char *text = cJSON_PrintUnformatted(c); /* JSON is YAML */
        rk_diag d;
        rk_node *n = rk_yaml_parse("case", text, strlen(text), &d);
        if (!n || rk_param_parse("case", n, &s->params[i], &p->params[i], &d) != RK_OK)
            fail_msg("parameter %s: %s", c->string, d.msg);
        p->params_given[i] = 1;
        rk_node_free(n);
        free(text);
    }
    for (size_t i = 0; i < s->nparams; i++)
        if (!p->params[i].set && s->params[i].def.set) {
            p->params[i] = s->params[i].def;
            p->params[i].string = rk_xstrdup(s->params[i].def.string);
            p->params[i].list = s->params[i].def.nlist ? rk_xcalloc(s->params[i].def.nlist, sizeof(char *)) : NULL;
            for (size_t k = 0; k < s->params[i].def.nlist; k++)
                p->params[i].list[k] = rk_xstrdup(s->params[i].def.list[k]); /* as project.c */
        }
}

/* Probe results of flows from the case's host to the next one: one single-port TCP flow
 * per entry ("open", "closed", ..., or null for a flow not probed). */
static void set_flows(rk_assessment *a, const cJSON *flows)
{
    size_t n = flows ? (size_t)cJSON_GetArraySize(flows) : 0;
    a->nends = a->project->nhosts;
    a->ends = rk_xcalloc(a->nends, sizeof(rk_end));
    for (size_t h = 0; h < a->nends; h++) {
        a->ends[h].host = &a->project->hosts[h];
        a->ends[h].name = rk_xstrdup(a->project->hosts[h].name);
        a->ends[h].title = a->project->hosts[h].name;
        a->ends[h].address_text = rk_xstrdup("");
    }
    a->flows = rk_xcalloc(n ? n : 1, sizeof(rk_flow));
    a->nflows = n;
    size_t i = 0;
    for (const cJSON *c = n ? flows->child : NULL; c; c = c->next, i++) {
        rk_flow *f = &a->flows[i];
        f->id = rk_xasprintf("F%04zu", i + 1);
        f->from_host = 0;
        f->to_host = 1;
        f->protocol = RK_PROTO_TCP;
        f->port_from = f->port_to = 1000 + (int)i;
        f->src_family = f->dst_family = RK_FAM_V4; /* two IPv4 hosts */
        f->probe_result = cJSON_IsString(c) ? rk_xstrdup(c->valuestring) : NULL;
    }
}

static const char *str_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void run_case(const cJSON *cs, rk_schema *schema)
{
    const char *name = str_of(cs, "name");
    const char *req = str_of(cs, "req");
    const char *expect = str_of(cs, "expect");
    const cJSON *others = cJSON_GetObjectItem(cs, "others");
    const cJSON *flows = cJSON_GetObjectItem(cs, "flows");
    size_t nhosts = 1 + (others ? (size_t)cJSON_GetArraySize(others) : 0);
    if (flows && nhosts < 2) nhosts = 2;

    rk_project *p = rk_xcalloc(1, sizeof(*p));
    p->path = rk_xstrdup("case.yaml");
    p->dir = rk_xstrdup("");
    set_params(p, schema, cJSON_GetObjectItem(cs, "parameters"));
    const cJSON *sc = cJSON_GetObjectItem(cs, "scenarios");
    for (const cJSON *c = sc ? sc->child : NULL; c; c = c->next)
        p->scenarios |= 1u << rk_schema_scenario(schema, c->valuestring);
    p->hosts = rk_xcalloc(nhosts, sizeof(rk_host));
    p->nhosts = nhosts;
    rk_assessment a;
    memset(&a, 0, sizeof a);
    a.schema = schema;
    a.project = p;
    a.facts = rk_xcalloc(nhosts, sizeof(rk_facts *));
    const char *defrole = schema->roles[0].id;
    for (size_t h = 0; h < nhosts; h++) {
        char hn[32];
        snprintf(hn, sizeof hn, "H%zu", h);
        p->hosts[h].name = rk_xstrdup(hn);
        p->hosts[h].address = rk_xstrdup("");
        p->hosts[h].facts_path = rk_xstrdup("case.json");
        const cJSON *src_case = h == 0 ? cs : cJSON_GetArrayItem(others, (int)h - 1);
        p->hosts[h].roles = mask_of(schema, src_case ? cJSON_GetObjectItem(src_case, "roles") : NULL,
                                    defrole);
        a.facts[h] = src_case ? make_facts(hn, cJSON_GetObjectItem(src_case, "facts")) : NULL;
    }
    set_flows(&a, flows);
    const rk_requirement *r = rk_schema_req(schema, req);
    if (!r) fail_msg("%s: no requirement %s", name, req);
    a.findings = rk_xcalloc(1, sizeof(rk_finding));
    a.nfindings = 1;
    rk_eval_one(&a, 0, (size_t)(r - schema->reqs), &a.findings[0]);
    rk_explain_findings(&a, words);
    const rk_finding *f = &a.findings[0];
    if (strcmp(rk_status_str(f->status), expect) != 0)
        fail_msg("case '%s' (%s): expected %s, got %s (actual '%s', message '%s')", name, req, expect,
                 rk_status_str(f->status), f->actual, f->message);
    const char *want_actual = str_of(cs, "actual"), *want_message = str_of(cs, "message");
    if (!want_actual || !want_message) fail_msg("case '%s' states no actual value or message", name);
    if (strcmp(f->actual, want_actual) != 0)
        fail_msg("case '%s': actual '%s', expected '%s'", name, f->actual, want_actual);
    if (strcmp(f->message, want_message) != 0)
        fail_msg("case '%s': message '%s', expected '%s'", name, f->message, want_message);
    for (size_t h = 0; h < nhosts; h++) rk_facts_free(a.facts[h]);
    free(a.facts);
    a.facts = NULL;
    a.schema = NULL;
    a.project = NULL;
    rk_findings_free(&a);
    rk_flows_free(&a);
    rk_project_free(p);
}

static void test_cases(void **state)
{
    (void)state;
    char *path = rk_xasprintf("%s/tests/unit/data/eval_cases.json", src());
    char *buf;
    size_t len;
    char err[256];
    assert_int_equal(rk_read_file(path, 1 << 24, &buf, &len, err, sizeof err), 0);
    cJSON *cases = cJSON_Parse(buf);
    assert_non_null(cases);
    rk_schema *checks = load_schema("checks"), *mpe = load_schema("mpe");
    int n = 0;
    for (const cJSON *c = cases->child; c; c = c->next, n++)
        run_case(c, !strcmp(cJSON_GetObjectItem(c, "schema")->valuestring, "mpe") ? mpe : checks);
    assert_true(n > 100);
    /* every check kind has a case */
    int seen[RK_CHECK_KIND_COUNT] = {0};
    for (const cJSON *c = cases->child; c; c = c->next) {
        const rk_requirement *r = rk_schema_req(checks, str_of(c, "req"));
        if (r) seen[r->check.kind] = 1;
    }
    for (int k = 0; k < RK_CHECK_KIND_COUNT; k++)
        if (!seen[k]) fail_msg("check kind %s has no case", rk_check_kind_str((rk_check_kind)k));
    rk_schema_free(checks);
    rk_schema_free(mpe);
    cJSON_Delete(cases);
    free(buf);
    free(path);
}

static void test_verdicts(void **state)
{
    (void)state;
    rk_schema *s = load_schema("checks");
    rk_assessment a;
    memset(&a, 0, sizeof a);
    a.schema = s;
    const rk_requirement *req = rk_schema_req(s, "T-MIN"), *rec = rk_schema_req(s, "T-MAX");
    size_t ri = (size_t)(req - s->reqs), ci = (size_t)(rec - s->reqs);
    rk_finding f[2];
    memset(f, 0, sizeof f);
    f[0].req = ri;
    f[1].req = ri;
    f[0].status = RK_ST_PASS;
    f[1].status = RK_ST_PASS;
    assert_int_equal(rk_verdict_of(&a, f, 2), RK_V_READY);
    f[1].status = RK_ST_WAIVED;
    assert_int_equal(rk_verdict_of(&a, f, 2), RK_V_EXCEPTIONS);
    f[1].status = RK_ST_WARN;
    assert_int_equal(rk_verdict_of(&a, f, 2), RK_V_EXCEPTIONS);
    f[1].status = RK_ST_ATTESTED;
    assert_int_equal(rk_verdict_of(&a, f, 2), RK_V_READY);
    f[1].status = RK_ST_MANUAL;
    assert_int_equal(rk_verdict_of(&a, f, 2), RK_V_INCOMPLETE);
    f[1].status = RK_ST_UNKNOWN;
    assert_int_equal(rk_verdict_of(&a, f, 2), RK_V_INCOMPLETE);
    f[1].req = ci; /* an unknown recommendation does not make it incomplete */
    assert_int_equal(rk_verdict_of(&a, f, 2), RK_V_READY);
    f[0].status = RK_ST_FAIL;
    assert_int_equal(rk_verdict_of(&a, f, 2), RK_V_NOT_READY);
    f[0].status = RK_ST_NA;
    assert_int_equal(rk_verdict_of(&a, f, 2), RK_V_READY);
    rk_schema_free(s);
}

static int load_words(void **state)
{
    (void)state;
    char *dir = rk_xasprintf("%s/templates", src());
    rk_diag d;
    words = rk_tmpl_load(dir, "en", &d, NULL);
    free(dir);
    if (!words) fail_msg("templates: %s", d.msg);
    return 0;
}

static int free_words(void **state)
{
    (void)state;
    rk_tmpl_free(words);
    return 0;
}

/* tests/schema2/lab_cases.json: the same case format over the schema each case names
 * (tests/schema2/data/<id>.yaml). A case with "flow_row" instead of "req" evaluates that
 * flow row's `when` as the flow expansion does: expect applies, not-applicable or
 * undecided; actual the parameters it depends on; message the firewall documents' note. */
static void run_flow_case(const cJSON *cs, rk_schema *schema)
{
    const char *name = str_of(cs, "name"), *expect = str_of(cs, "expect");
    const rk_flow_row *row = NULL;
    for (size_t i = 0; i < schema->nflows; i++)
        if (schema->flows[i].row == cJSON_GetObjectItem(cs, "flow_row")->valueint) row = &schema->flows[i];
    if (!row) fail_msg("%s: no flow row", name);
    rk_project *p = rk_xcalloc(1, sizeof(*p));
    set_params(p, schema, cJSON_GetObjectItem(cs, "parameters"));
    const cJSON *sc = cJSON_GetObjectItem(cs, "scenarios");
    for (const cJSON *c = sc ? sc->child : NULL; c; c = c->next)
        p->scenarios |= 1u << rk_schema_scenario(schema, c->valuestring);
    size_t und[16], nund = 0;
    rk_tri t = rk_when_eval(schema, p, &row->when, und, 16, &nund);
    rk_buf ids = {0}, titles = {0};
    for (size_t k = 0; k < nund; k++) {
        rk_buf_printf(&ids, "%s%s", k ? ", " : "", schema->params[und[k]].id);
        rk_buf_printf(&titles, "%s%s", k ? ", " : "", schema->params[und[k]].title);
    }
    char *msg = nund ? rk_tmpl_fmt(words, "fw.flows.depends", "parameters", titles.data, NULL) : rk_xstrdup("");
    const char *got = t == RK_TRUE ? "applies" : t == RK_FALSE ? "not-applicable" : "undecided";
    if (!expect || strcmp(got, expect) != 0) fail_msg("case '%s': %s, expected %s", name, got, expect);
    if (!str_of(cs, "actual") || strcmp(ids.data ? ids.data : "", str_of(cs, "actual")) != 0 ||
        !str_of(cs, "message") || strcmp(msg, str_of(cs, "message")) != 0)
        fail_msg("case '%s': actual '%s', message '%s'", name, ids.data ? ids.data : "", msg);
    free(msg);
    free(ids.data);
    free(titles.data);
    rk_project_free(p);
}

static void test_schema2_cases(void **state)
{
    (void)state;
    char *path = rk_xasprintf("%s/tests/schema2/lab_cases.json", src());
    char *buf, err[256];
    size_t len;
    assert_int_equal(rk_read_file(path, 1 << 24, &buf, &len, err, sizeof err), 0);
    cJSON *cases = cJSON_Parse(buf);
    assert_non_null(cases);
    rk_schema *s = NULL;
    int n = 0;
    for (const cJSON *c = cases->child; c; c = c->next, n++) {
        const char *id = str_of(c, "schema");
        if (!id) fail_msg("case '%s' names no schema", str_of(c, "name"));
        if (!s || strcmp(s->id, id) != 0) {
            rk_schema_free(s);
            char *sp = rk_xasprintf("%s/tests/schema2/data/%s.yaml", src(), id);
            rk_diag d;
            s = rk_schema_load(sp, &d);
            if (!s) fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
            free(sp);
        }
        if (cJSON_GetObjectItem(c, "flow_row"))
            run_flow_case(c, s);
        else
            run_case(c, s);
    }
    assert_true(n >= 50);
    rk_schema_free(s);
    cJSON_Delete(cases);
    free(buf);
    free(path);
}

/* Runs every case of FILE (relative to the source tree) against the schema
 * schemas/SCHEMA_ID.yaml; each case names that schema and states its status, actual
 * value and message. At least one case, and none for another schema. */
static void run_case_file(const char *file, const char *schema_id)
{
    char *path = rk_xasprintf("%s/%s", src(), file);
    char *buf;
    size_t len;
    char err[256];
    if (rk_read_file(path, 1 << 24, &buf, &len, err, sizeof err) != 0)
        fail_msg("%s: %s", path, err);
    cJSON *cases = cJSON_ParseWithLength(buf, len);
    if (!cases) fail_msg("%s: not valid JSON", path);
    char *sp = rk_xasprintf("%s/schemas/%s.yaml", src(), schema_id);
    rk_diag d;
    rk_schema *schema = rk_schema_load(sp, &d);
    if (!schema) fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
    int n = 0;
    for (const cJSON *c = cases->child; c; c = c->next, n++) {
        const char *id = str_of(c, "schema");
        if (!id || strcmp(id, schema_id) != 0)
            fail_msg("%s: case '%s' is for schema '%s', not '%s'", file, str_of(c, "name"),
                     id ? id : "", schema_id);
        /* "none": the requirement is not for the case's roles, so the host gets no finding */
        const char *expect = str_of(c, "expect");
        uint32_t roles = mask_of(schema, cJSON_GetObjectItem(c, "roles"), schema->roles[0].id);
        const rk_requirement *r = rk_schema_req(schema, str_of(c, "req"));
        if (!r)
            fail_msg("%s: case '%s': no requirement %s", file, str_of(c, "name"), str_of(c, "req"));
        if ((expect && !strcmp(expect, "none")) != !(r->applies_to & roles))
            fail_msg("%s: case '%s': expected %s, but the requirement %s the case's roles", file,
                     str_of(c, "name"), expect ? expect : "",
                     (r->applies_to & roles) ? "applies to" : "does not apply to");
        if (r->applies_to & roles) run_case(c, schema);
    }
    if (n == 0) fail_msg("%s: no cases", file);
    rk_schema_free(schema);
    cJSON_Delete(cases);
    free(sp);
    free(buf);
    free(path);
}

/* The Exchange Server 2019 schema against Microsoft's figures. */
static void test_ex2019_cases(void **state)
{
    (void)state;
    run_case_file("tests/schema2/ex2019_cases.json", "exchange-server-2019");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_cases), cmocka_unit_test(test_verdicts),
                                       cmocka_unit_test(test_schema2_cases),
                                       cmocka_unit_test(test_ex2019_cases)};
    return cmocka_run_group_tests(tests, load_words, free_words);
}
