/* test_eval.c - data-driven evaluator cases: requirement, facts, expected status
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
#include "flows.h"
#include "util.h"

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
    rk_facts *f = rk_facts_parse("case.json", text, strlen(text), &d, &w);
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

static void run_case(const cJSON *cs, rk_schema *schema)
{
    const char *name = cJSON_GetObjectItem(cs, "name")->valuestring;
    const char *req = cJSON_GetObjectItem(cs, "req")->valuestring;
    const char *expect = cJSON_GetObjectItem(cs, "expect")->valuestring;
    const cJSON *others = cJSON_GetObjectItem(cs, "others");
    size_t nhosts = 1 + (others ? (size_t)cJSON_GetArraySize(others) : 0);

    rk_project *p = rk_xcalloc(1, sizeof(*p));
    p->path = rk_xstrdup("case.yaml");
    p->dir = rk_xstrdup("");
    p->mailbox_count = -1;
    const cJSON *mb = cJSON_GetObjectItem(cs, "mailbox_count");
    if (mb) p->mailbox_count = (long long)mb->valuedouble;
    p->large_public_folders = cJSON_IsTrue(cJSON_GetObjectItem(cs, "large_public_folders"));
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
        p->hosts[h].facts_path = rk_xstrdup("case.json");
        const cJSON *src_case = h == 0 ? cs : cJSON_GetArrayItem(others, (int)h - 1);
        p->hosts[h].roles = mask_of(schema, cJSON_GetObjectItem(src_case, "roles"), defrole);
        a.facts[h] = make_facts(hn, cJSON_GetObjectItem(src_case, "facts"));
    }
    const rk_requirement *r = rk_schema_req(schema, req);
    if (!r) fail_msg("%s: no requirement %s", name, req);
    rk_finding f;
    rk_eval_one(&a, 0, (size_t)(r - schema->reqs), &f);
    if (strcmp(rk_status_str(f.status), expect) != 0)
        fail_msg("case '%s' (%s): expected %s, got %s (actual '%s', message '%s')", name, req, expect,
                 rk_status_str(f.status), f.actual, f.message);
    /* the finding always carries expected and actual text */
    assert_non_null(f.expected);
    assert_non_null(f.actual);
    assert_non_null(f.message);
    free(f.expected);
    free(f.actual);
    free(f.message);
    for (size_t h = 0; h < nhosts; h++) rk_facts_free(a.facts[h]);
    free(a.facts);
    a.schema = NULL;
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
    /* every check kind is exercised by the checks schema */
    int seen[RK_CHECK_FLOWS + 1] = {0};
    for (size_t i = 0; i < checks->nreqs; i++) seen[checks->reqs[i].check.kind] = 1;
    for (int k = 0; k < RK_CHECK_FLOWS; k++)
        if (!seen[k]) fail_msg("check kind %d has no case", k);
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

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_cases), cmocka_unit_test(test_verdicts)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
