/* junit.c - writes the assessment as JUnit XML: a suite per host, a case per
 * requirement, failures, skips with their reasons and warnings as output. */
#include "junit.h"

#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "util.h"

/* Decodes one UTF-8 sequence at s (n bytes left) into *cp; returns its length, or 1
 * with *cp = U+FFFD for an invalid byte (overlong, surrogate, beyond U+10FFFF). */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!len || len > n) return *cp = 0xFFFD, 1;
    unsigned v = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return *cp = 0xFFFD, 1;
        v = v << 6 | (s[i] & 0x3F);
    }
    static const unsigned min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return *cp = 0xFFFD, 1;
    *cp = v;
    return len;
}

/* 1 when XML 1.0 may carry the character (and it is not a C1 control, which XML allows
 * but which no report should hold). */
static int xml_char(unsigned cp)
{
    if (cp == 0x9 || cp == 0xA || cp == 0xD) return 1;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    return cp != 0xFFFE && cp != 0xFFFF && cp <= 0x10FFFF;
}

/* Appends s escaped for XML text (attr 0) or a double-quoted attribute (attr 1): markup
 * characters as entities, line breaks and tabs in attributes as character references
 * (so that attribute normalisation keeps them), anything XML 1.0 cannot carry as U+FFFD. */
static void esc(rk_buf *b, const char *s, int attr)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    while (n) {
        unsigned cp;
        size_t len = utf8_next(p, n, &cp);
        if (!xml_char(cp) || (cp == 0xFFFD && len == 1)) rk_buf_puts(b, "\xef\xbf\xbd");
        else if (cp == '&') rk_buf_puts(b, "&amp;");
        else if (cp == '<') rk_buf_puts(b, "&lt;");
        else if (cp == '>') rk_buf_puts(b, "&gt;");
        else if (cp == '"' && attr) rk_buf_puts(b, "&quot;");
        else if (cp == '\'' && attr) rk_buf_puts(b, "&apos;");
        else if (cp == '\r') rk_buf_puts(b, "&#13;");
        else if (cp == '\n' && attr) rk_buf_puts(b, "&#10;");
        else if (cp == '\t' && attr) rk_buf_puts(b, "&#9;");
        else rk_buf_add(b, (const char *)p, len);
        p += len;
        n -= len;
    }
}

static void attr(rk_buf *b, const char *name, const char *value)
{
    rk_buf_printf(b, " %s=\"", name);
    esc(b, value, 1);
    rk_buf_putc(b, '"');
}

static void attr_n(rk_buf *b, const char *name, size_t v) { rk_buf_printf(b, " %s=\"%zu\"", name, v); }

static void property(rk_buf *b, const char *name, const char *value)
{
    rk_buf_puts(b, "      <property");
    attr(b, "name", name);
    attr(b, "value", value ? value : "");
    rk_buf_puts(b, "/>\n");
}

/* Findings in (host, requirement, position) order: a test case is a run of them. */
static const rk_assessment *order_a;

static int cmp_finding(const void *x, const void *y)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    const rk_finding *f = &order_a->findings[i], *g = &order_a->findings[j];
    if (f->host != g->host) return f->host < g->host ? -1 : 1;
    if (f->req != g->req) return f->req < g->req ? -1 : 1;
    return i < j ? -1 : i > j;
}

typedef struct tcase {
    size_t host, req;
    size_t first, n;   /* run in the ordered index */
    rk_status status;  /* the worst of its findings */
} tcase;

/* "Expected: ...\nActual: ...\nRemediation: ..." of one finding, after its message. */
static void details(rk_buf *b, const rk_assessment *a, rk_tmpl *t, const rk_finding *f)
{
    const rk_requirement *r = &a->schema->reqs[f->req];
    rk_buf_printf(b, "%s\n%s: %s\n%s: %s", f->message ? f->message : "",
                  rk_tmpl_get(t, "junit.expected"), f->expected ? f->expected : "",
                  rk_tmpl_get(t, "junit.actual"), f->actual ? f->actual : "");
    if (f->status != RK_ST_PASS && f->status != RK_ST_NA && r->remediation)
        rk_buf_printf(b, "\n%s: %s", rk_tmpl_get(t, "junit.remediation"), r->remediation);
    if (f->waiver) {
        char *w = rk_tmpl_fmt(t, "junit.waived", "by", f->waiver->approved_by, "expires",
                              f->waiver->expires, "justification", f->waiver->justification, NULL);
        rk_buf_printf(b, "\n%s", w);
        free(w);
    }
    if (f->attestation) {
        char *w = rk_tmpl_fmt(t, "junit.attested", "by", f->attestation->attested_by, "date",
                              f->attestation->date, "evidence", f->attestation->evidence, NULL);
        rk_buf_printf(b, "\n%s", w);
        free(w);
    }
}

/* The one-line reason of a test case: its status word and the message of its worst
 * finding (and how many findings it sums up). */
static char *reason(const rk_assessment *a, rk_tmpl *t, const size_t *idx, const tcase *c)
{
    const rk_finding *worst = NULL;
    size_t nworst = 0;
    for (size_t k = 0; k < c->n; k++) {
        const rk_finding *f = &a->findings[idx[c->first + k]];
        if (f->status != c->status) continue;
        if (!worst) worst = f;
        nworst++;
    }
    rk_buf b = {0};
    rk_buf_printf(&b, "%s: %s", rk_status_word(t, c->status), worst && worst->message ? worst->message : "");
    if (worst && worst->waiver) rk_buf_printf(&b, " (%s)", worst->waiver->justification);
    if (worst && worst->attestation) rk_buf_printf(&b, " (%s)", worst->attestation->evidence);
    if (nworst > 1) {
        char n[32];
        snprintf(n, sizeof n, "%zu", nworst - 1);
        char *more = rk_tmpl_fmt(t, "junit.more", "count", n, NULL);
        rk_buf_printf(&b, " %s", more);
        free(more);
    }
    return rk_buf_take(&b);
}

static void test_case(rk_buf *b, const rk_assessment *a, rk_tmpl *t, const size_t *idx,
                      const tcase *c, const char *name)
{
    const char *host = a->project->hosts[c->host].name;
    rk_buf_puts(b, "    <testcase");
    attr(b, "name", name);
    attr(b, "classname", host);
    rk_buf_puts(b, " time=\"0\"");
    if (c->status == RK_ST_PASS) {
        rk_buf_puts(b, "/>\n");
        return;
    }
    rk_buf_puts(b, ">\n");
    rk_buf body = {0};
    for (size_t k = 0; k < c->n; k++) {
        if (k) rk_buf_puts(&body, "\n\n");
        details(&body, a, t, &a->findings[idx[c->first + k]]);
    }
    char *why = reason(a, t, idx, c);
    const char *elem = c->status == RK_ST_FAIL ? "failure"
                       : c->status == RK_ST_WARN ? NULL
                                                  : "skipped";
    if (elem) {
        rk_buf_printf(b, "      <%s", elem);
        attr(b, "message", why);
        attr(b, "type", rk_status_str(c->status));
        rk_buf_puts(b, ">");
        esc(b, body.data, 0);
        rk_buf_printf(b, "</%s>\n", elem);
    } else { /* warn: the case passes, the warning is its output */
        rk_buf_puts(b, "      <system-out>");
        esc(b, why, 0);
        rk_buf_puts(b, "\n");
        esc(b, body.data, 0);
        rk_buf_puts(b, "</system-out>\n");
    }
    free(why);
    rk_buf_free(&body);
    rk_buf_puts(b, "    </testcase>\n");
}

/* The findings grouped into test cases, one per host and requirement (a requirement
 * judged per flow has several findings; the case takes the worst status). idx is the
 * findings' order (by host, then requirement). Returns the cases; *nc their number. */
static tcase *group_cases(const rk_assessment *a, const size_t *idx, size_t *nc)
{
    tcase *cases = rk_xmalloc((a->nfindings ? a->nfindings : 1) * sizeof(tcase));
    size_t n = 0;
    for (size_t i = 0; i < a->nfindings;) {
        const rk_finding *f = &a->findings[idx[i]];
        tcase *c = &cases[n++];
        c->host = f->host;
        c->req = f->req;
        c->first = i;
        c->status = f->status;
        size_t j = i;
        while (j < a->nfindings && a->findings[idx[j]].host == f->host &&
               a->findings[idx[j]].req == f->req) {
            if (a->findings[idx[j]].status < c->status) c->status = a->findings[idx[j]].status;
            j++;
        }
        c->n = j - i;
        i = j;
    }
    *nc = n;
    return cases;
}

/* The <properties> of host h's suite. */
static void host_properties(rk_buf *b, const rk_assessment *a, size_t h)
{
    const rk_project *p = a->project;
    const rk_host *host = &p->hosts[h];
    rk_buf_puts(b, "    <properties>\n");
    property(b, "verdict", rk_verdict_str(a->host_verdicts[h]));
    property(b, "assessment.verdict", rk_verdict_str(a->verdict));
    property(b, "digest", a->digest);
    property(b, "assessment_id", p->assessment_id);
    property(b, "schema", a->schema->id);
    char roles[512];
    rk_schema_roles_str(a->schema, host->roles, roles, sizeof roles);
    property(b, "roles", roles);
    property(b, "addresses", host->address);
    property(b, "zone", host->zone);
    const rk_facts *fx = a->facts ? a->facts[h] : NULL;
    property(b, "facts.collected_at", fx ? fx->collected_at : "");
    rk_buf_puts(b, "    </properties>\n");
}

/* Host h's <testsuite> with its cases cases[k0 .. k). */
static void host_suite(rk_buf *b, const rk_assessment *a, rk_tmpl *t, const size_t *idx,
                       const tcase *cases, size_t k0, size_t k, size_t h, const char *stamp)
{
    const rk_project *p = a->project;
    const rk_host *host = &p->hosts[h];
    size_t hf = 0, hs = 0;
    for (size_t q = k0; q < k; q++) {
        hf += cases[q].status == RK_ST_FAIL;
        hs += cases[q].status != RK_ST_FAIL && cases[q].status != RK_ST_WARN &&
              cases[q].status != RK_ST_PASS;
    }
    rk_buf_puts(b, "  <testsuite");
    attr(b, "name", host->name);
    attr_n(b, "tests", k - k0);
    attr_n(b, "failures", hf);
    rk_buf_puts(b, " errors=\"0\"");
    attr_n(b, "skipped", hs);
    rk_buf_puts(b, " time=\"0\"");
    attr(b, "timestamp", stamp);
    attr(b, "hostname", host->fqdn && *host->fqdn ? host->fqdn : host->name);
    attr_n(b, "id", h);
    attr(b, "package", p->assessment_id);
    rk_buf_puts(b, ">\n");
    host_properties(b, a, h);
    for (size_t q = k0; q < k; q++) {
        const char *title_q = a->schema->reqs[cases[q].req].title;
        int dup = 0; /* two requirements with one title: the id tells them apart */
        for (size_t o = k0; o < k && !dup; o++)
            dup = o != q && !strcmp(a->schema->reqs[cases[o].req].title, title_q);
        char *name = dup ? rk_tmpl_fmt(t, "junit.name_id", "host", host->name, "title", title_q,
                                       "id", a->schema->reqs[cases[q].req].id, NULL)
                         : rk_tmpl_fmt(t, "junit.name", "host", host->name, "title", title_q, NULL);
        test_case(b, a, t, idx, &cases[q], name);
        free(name);
    }
    rk_buf_puts(b, "    <system-out></system-out>\n    <system-err></system-err>\n");
    rk_buf_puts(b, "  </testsuite>\n");
}

char *rk_junit_xml(const rk_assessment *a, rk_tmpl *t)
{
    const rk_project *p = a->project;
    size_t *idx = rk_xmalloc((a->nfindings ? a->nfindings : 1) * sizeof(size_t));
    for (size_t i = 0; i < a->nfindings; i++) idx[i] = i;
    order_a = a;
    qsort(idx, a->nfindings, sizeof(size_t), cmp_finding);
    size_t nc;
    tcase *cases = group_cases(a, idx, &nc);
    size_t failures = 0;
    for (size_t k = 0; k < nc; k++) failures += cases[k].status == RK_ST_FAIL;

    char stamp[21];
    rk_format_datetime(a->date, stamp);
    stamp[19] = '\0'; /* ISO 8601 without a zone, as Ant writes it; the time is UTC */
    rk_buf b = {0};
    rk_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
    char *title = rk_tmpl_fmt(t, "junit.title", "assessment", p->assessment_id, "project",
                              p->project, "verdict", rk_verdict_str(a->verdict), NULL);
    attr(&b, "name", title);
    free(title);
    attr_n(&b, "tests", nc);
    attr_n(&b, "failures", failures);
    rk_buf_puts(&b, " errors=\"0\" time=\"0\">\n"); /* skipped: per suite only (Jenkins) */
    size_t k = 0;
    for (size_t h = 0; h < p->nhosts; h++) {
        size_t k0 = k;
        while (k < nc && cases[k].host == h) k++;
        host_suite(&b, a, t, idx, cases, k0, k, h, stamp);
    }
    rk_buf_puts(&b, "</testsuites>\n");
    free(cases);
    free(idx);
    return rk_buf_take(&b);
}
