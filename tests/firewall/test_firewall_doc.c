/* test_firewall_doc.c - the firewall-rule request's document model and firewall.csv
 * table: sections, rule and flow tables, change block, diagram, probe results, and
 * template keys present in English and German. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "firewall_doc.h"
#include "fixture.h"
#include "flows.h"
#include "util.h"

static const fx_host inventory[] = {
    {"MIG01", "mig", "migration-server", "10.0.0.10", "mig01.fabrikam.example"},
    {"SQL01", "tgt", "sql-server", "10.2.0.30", NULL},
    {"SDC01", "src", "source-dc,source-dns", "10.1.0.10", NULL},
    {"SEX01", "src", "source-exchange", "10.1.0.20", NULL},
    {"SEX02", "src", "source-exchange", "10.1.0.21", NULL},
    {"TDC01", "tgt", "target-dc,target-dns", "10.2.0.10", NULL},
    {"TEX01", "tgt", "target-exchange", "10.2.0.20", NULL},
    {"TEX02", "tgt", "target-exchange", NULL, "tex02.fabrikam.example"},
    {"CAS01", "tgt", "target-cas", "10.2.0.21", NULL},
    {"SMTP01", "tgt", "target-smtp", "10.2.0.25", NULL},
};
#define N_INV (sizeof inventory / sizeof inventory[0])

static rk_assessment *assess(int with_change)
{
    rk_assessment *a = fx_seed_assessment(inventory, N_INV, with_change);
    rk_flows_expand(a);
    rk_flows_rules(a);
    return a;
}

static rk_tmpl *templates(const char *lang, rk_warnings *w)
{
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_tmpl *t = rk_tmpl_load(RK_FW_TEMPLATES_DIR, lang, &d, w);
    if (!t) fail_msg("templates: %s: %s", d.file, d.msg);
    return t;
}

static const rk_section *section(const rk_doc *d, const char *sheet)
{
    for (size_t i = 0; i < d->nsections; i++)
        if (d->sections[i].sheet && strcmp(d->sections[i].sheet, sheet) == 0) return &d->sections[i];
    fail_msg("no section with sheet %s", sheet);
    return NULL;
}

/* The first table of that name in a section written to target (RK_TARGET_PDF or _XLSX). */
static const rk_table *table_for(const rk_doc *d, const char *name, unsigned target)
{
    for (size_t i = 0; i < d->nsections; i++) {
        const rk_section *s = &d->sections[i];
        if (!(s->targets & target)) continue;
        for (size_t b = 0; b < s->nblocks; b++)
            if (s->blocks[b].type == RK_BLOCK_TABLE && strcmp(s->blocks[b].table->name, name) == 0)
                return s->blocks[b].table;
    }
    return NULL;
}

static const rk_table *table(const rk_section *s, const char *name)
{
    for (size_t i = 0; i < s->nblocks; i++)
        if (s->blocks[i].type == RK_BLOCK_TABLE && strcmp(s->blocks[i].table->name, name) == 0)
            return s->blocks[i].table;
    return NULL;
}

static const char *cell(const rk_table *t, size_t row, size_t col)
{
    assert_true(row < t->nrows && col < t->ncols);
    return t->cells[row * t->ncols + col].text;
}

static size_t column(const rk_table *t, const char *header)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c].header, header) == 0) return c;
    fail_msg("no column %s in %s", header, t->name);
    return 0;
}

/* Every text of the document, one a line: for "no template key is missing" and for
 * comparing two builds. */
static char *dump(const rk_doc *d)
{
    rk_buf b = {0};
    rk_buf_printf(&b, "%s|%s|%s|%s|%s|%s|%s\n", d->title, d->subject, d->author, d->company,
                  d->keywords, d->footer_left, d->page_format);
    for (size_t i = 0; i < d->nsections; i++) {
        const rk_section *s = &d->sections[i];
        rk_buf_printf(&b, "## %s [%s]\n", s->title ? s->title : "", s->sheet ? s->sheet : "");
        for (size_t j = 0; j < s->nblocks; j++) {
            const rk_block *k = &s->blocks[j];
            if (k->text) rk_buf_printf(&b, "%s\n", k->text);
            if (k->table) {
                for (size_t c = 0; c < k->table->ncols; c++)
                    rk_buf_printf(&b, "%s\t", k->table->cols[c].header);
                rk_buf_putc(&b, '\n');
                for (size_t r = 0; r < k->table->nrows; r++) {
                    for (size_t c = 0; c < k->table->ncols; c++)
                        rk_buf_printf(&b, "%s\t", cell(k->table, r, c));
                    rk_buf_putc(&b, '\n');
                }
            }
            if (k->signoff) {
                const rk_signoff *so = k->signoff;
                rk_buf_printf(&b, "%s|%s|%s|%s|%s|%s|%s|%s\n", so->statement, so->role_label,
                              so->digest_label, so->name_label, so->decision_label,
                              so->date_label, so->signature_label, so->comment_label);
                for (size_t r = 0; r < so->nroles; r++) rk_buf_printf(&b, "%s\n", so->roles[r]);
                for (size_t r = 0; r < so->ndecisions; r++) rk_buf_printf(&b, "%s\n", so->decisions[r]);
            }
            if (k->diagram) {
                const rk_diagram *g = k->diagram;
                rk_buf_printf(&b, "%s\n", g->title);
                for (size_t z = 0; z < g->nzones; z++) {
                    rk_buf_printf(&b, "[%s]\n", g->zones[z].title);
                    for (size_t l = 0; l < g->zones[z].nlines; l++)
                        rk_buf_printf(&b, "  %s\n", g->zones[z].lines[l]);
                }
                for (size_t e = 0; e < g->nedges; e++)
                    rk_buf_printf(&b, "%zu>%zu %s\n", g->edges[e].from, g->edges[e].to, g->edges[e].label);
            }
        }
    }
    return rk_buf_take(&b);
}

static const rk_diagram *diagram_of(const rk_doc *d)
{
    const rk_section *s = section(d, "Overview");
    for (size_t i = 0; i < s->nblocks; i++)
        if (s->blocks[i].diagram) return s->blocks[i].diagram;
    fail_msg("no diagram");
    return NULL;
}

static void test_structure(void **state)
{
    (void)state;
    rk_assessment *a = assess(1);
    rk_warnings w = {0};
    rk_tmpl *t = templates("en", &w);
    rk_doc *d = rk_firewall_build(a, t, "9.9.9");
    assert_string_equal(d->title, "Firewall-rule request");
    assert_string_equal(d->author, "readykit 9.9.9");
    assert_string_equal(d->company, "Contoso Ltd");
    assert_string_equal(d->lang, "en");
    assert_int_equal(d->created, a->date);
    assert_string_equal(d->footer_left, "CF-2024-07 · Firewall-rule request");

    /* one sheet per part; the flows are a PDF section and a sheet of their own (the
     * sheet also carries each flow's probe) */
    static const char *const sheets[] = {"Cover", "Inputs", "Overview", "Network rules",
                                         "Host firewall rules", NULL, "Flows", "Probe results",
                                         "Sign-off"};
    assert_int_equal(d->nsections, 9);
    for (size_t i = 0; i < 9; i++) {
        if (!sheets[i]) {
            assert_null(d->sections[i].sheet);
            assert_string_equal(d->sections[i].title, "Flows");
            assert_int_equal(d->sections[i].targets, RK_TARGET_PDF);
            continue;
        }
        assert_string_equal(d->sections[i].sheet, sheets[i]);
        assert_int_equal(d->sections[i].targets,
                         strcmp(sheets[i], "Flows") ? RK_TARGET_ALL : RK_TARGET_XLSX);
    }
    assert_null(d->sections[0].title);

    /* cover: the change request */
    const rk_table *ch = table(&d->sections[0], "Change");
    assert_non_null(ch);
    assert_string_equal(cell(ch, 0, 1), "CHG0042137");
    assert_string_equal(cell(ch, 4, 1), "2024-09-30");
    assert_string_equal(cell(ch, 5, 1), "jane.doe@contoso.example\nfirewall@contoso.example");

    /* network rules: grouped by zone pair, hosts with addresses */
    const rk_table *nr = table(section(d, "Network rules"), "NetworkRules");
    assert_non_null(nr);
    size_t nnet = 0, nhost = 0;
    for (size_t r = 0; r < a->nrules; r++) *(a->rules[r].cross_zone ? &nnet : &nhost) += 1;
    assert_int_equal(nr->nrows, nnet);
    assert_int_equal(nr->group_col, 0);
    assert_string_equal(cell(nr, 0, 0), "Migration servers → Source forest (Contoso)");
    assert_string_equal(cell(nr, 0, column(nr, "Rule")), "R001");
    assert_string_equal(cell(nr, 0, column(nr, "Source hosts")), "MIG01 (10.0.0.10)");
    assert_string_equal(cell(nr, 0, column(nr, "Destination hosts")), "SDC01 (10.1.0.10)");
    assert_string_equal(cell(nr, 0, column(nr, "Protocol")), "TCP");
    assert_string_equal(cell(nr, 0, column(nr, "Ports")),
                        "25,53,80,88,110,135,137-139,389,443,445,993,995,3268,49152-65535");
    assert_string_equal(cell(nr, 0, column(nr, "Verification")),
                        "not probed 15, not verifiable 1");
    assert_true(nr->cols[column(nr, "Verification")].status);
    for (size_t r = 1; r < nr->nrows; r++) /* groups are contiguous, in zone order */
        assert_true(strcmp(cell(nr, r - 1, 0), cell(nr, r, 0)) == 0 ||
                    strcmp(cell(nr, r - 1, 1), cell(nr, r, 1)) < 0);
    int found = 0;
    for (size_t r = 0; r < nr->nrows; r++)
        if (strcmp(cell(nr, r, column(nr, "Ports")), "25,135,443,445,808,1024-65535") == 0 &&
            strcmp(cell(nr, r, column(nr, "Source zone")), "src") == 0) {
            /* TEX02 has no address: its FQDN is a name, so its flows are a rule of their
             * own (a rule never mixes literal addresses and names) */
            const char *dst = cell(nr, r, column(nr, "Destination hosts"));
            const char *fam = cell(nr, r, column(nr, "Address family"));
            assert_string_equal(cell(nr, r, column(nr, "Source hosts")),
                                "SEX01 (10.1.0.20)\nSEX02 (10.1.0.21)");
            if (found == 0) {
                assert_string_equal(dst, "TEX01 (10.2.0.20)");
                assert_string_equal(fam, "IPv4");
            } else {
                assert_string_equal(dst, "TEX02 (tex02.fabrikam.example)");
                assert_string_equal(fam, "names");
            }
            assert_string_equal(cell(nr, r, column(nr, "Flows")), "12");
            assert_string_equal(cell(nr, r, column(nr, "Seed rows")), "3, 21, 41, 56, 63, 78");
            found++;
        }
    assert_int_equal(found, 2);

    /* host firewall rules: SQL01 -> TDC01 inside the target zone */
    const rk_table *hr = table(section(d, "Host firewall rules"), "HostRules");
    assert_non_null(hr);
    assert_int_equal(hr->nrows, nhost);
    assert_int_equal(nhost, 2);
    assert_string_equal(cell(hr, 0, 0), "within Target forest (Fabrikam)");

    /* flows: one row per flow, network flows first; the workbook's table has every
     * column and the probe after the note, the PDF's protocol, port and family in one */
    const rk_table *fl = table(section(d, "Flows"), "Flows");
    const rk_table *fp = table_for(d, "Flows", RK_TARGET_PDF);
    assert_int_equal(fl->nrows, a->nflows);
    assert_int_equal(fp->nrows, a->nflows);
    assert_int_equal(fp->ncols, 11);
    assert_int_equal(fl->ncols, 15);
    assert_string_equal(fl->cols[12].header, "Note");
    assert_string_equal(fl->cols[13].header, "Time (ms)");
    assert_string_equal(fl->cols[14].header, "Checked at");
    static const char *const shared[] = {"Zones", "Flow", "Rule", "From", "To", "Component",
                                         "Remark", "Seed rows", "Verification", "Note"};
    size_t port = column(fl, "Port"), proto = column(fl, "Protocol"),
           fam = column(fl, "Address family"), svc = column(fp, "Protocol, port"), ranges = 0;
    for (size_t r = 0; r < fl->nrows; r++) {
        for (size_t k = 0; k < sizeof shared / sizeof shared[0]; k++)
            assert_string_equal(cell(fl, r, column(fl, shared[k])), cell(fp, r, column(fp, shared[k])));
        char want[64];
        snprintf(want, sizeof want, "%s %s\n%s", cell(fl, r, proto), cell(fl, r, port), cell(fl, r, fam));
        assert_string_equal(cell(fp, r, svc), want);
        assert_string_equal(cell(fl, r, 13), ""); /* nothing probed */
        assert_string_equal(cell(fl, r, 14), "");
        /* one port is a number in the workbook, a range text; the PDF has text alone */
        const rk_cell *pc = &fl->cells[r * fl->ncols + port];
        assert_false(fp->cells[r * fp->ncols + svc].is_number);
        if (strchr(pc->text, '-')) {
            assert_false(pc->is_number);
            ranges++;
        } else {
            assert_true(pc->is_number);
            assert_true(pc->number == atof(pc->text));
        }
    }
    assert_true(ranges > 0);
    size_t rule_col = column(fl, "Rule"), flow_col = column(fl, "Flow");
    int seen_host = 0;
    for (size_t r = 0; r < fl->nrows; r++) {
        const char *id = cell(fl, r, flow_col);
        size_t i = (size_t)atoi(id + 1) - 1;
        assert_string_equal(a->flows[i].id, id);
        if (!a->flows[i].cross_zone) seen_host = 1;
        assert_false(seen_host && a->flows[i].cross_zone);
        assert_true(cell(fl, r, rule_col)[0] == 'R');
    }
    /* no probes: the probe section says so */
    const rk_section *ps = section(d, "Probe results");
    assert_null(table_for(d, "ProbeResults", RK_TARGET_PDF | RK_TARGET_XLSX));
    assert_non_null(table(ps, "ProbeHosts"));

    /* the diagram: three zones, one edge per zone pair and direction */
    const rk_diagram *g = diagram_of(d);
    assert_int_equal(g->nzones, 3);
    assert_string_equal(g->zones[0].title, "Migration servers");
    assert_string_equal(g->zones[0].lines[0], "MIG01 (10.0.0.10): migration-server");
    assert_string_equal(g->zones[1].lines[0], "SDC01 (10.1.0.10): source-dc, source-dns");
    assert_int_equal(g->nedges, 5); /* mig>src, mig>tgt, src>tgt, tgt>src, tgt>tgt */
    assert_int_equal(g->edges[4].from, 2);
    assert_int_equal(g->edges[4].to, 2);
    assert_string_equal(g->edges[4].label, "TCP 88,123,135,389,445,636,3268-3269,5722,9389,"
                                           "49152-65535; UDP 88,389,445,49152-65535");

    /* sign-off: the project's roles, the digest, the change */
    const rk_section *so = section(d, "Sign-off");
    const rk_signoff *sg = so->blocks[0].signoff;
    assert_non_null(sg);
    assert_int_equal(sg->nroles, 2);
    assert_string_equal(sg->roles[0], "Change Advisory Board");
    assert_string_equal(sg->digest, a->digest);
    assert_int_equal(sg->ndecisions, 3);
    assert_non_null(strstr(sg->statement, "CHG0042137"));

    char *text = dump(d);
    assert_null(strstr(text, "[fw."));
    free(text);
    assert_int_equal(w.count, 0);
    rk_doc_free(d);
    rk_tmpl_free(t);
    rk_warnings_free(&w);
    fx_free(a);
}

static void test_no_change_no_flows(void **state)
{
    (void)state;
    rk_assessment *a = assess(0);
    rk_warnings w = {0};
    rk_tmpl *t = templates("en", &w);
    rk_doc *d = rk_firewall_build(a, t, "1");
    const rk_section *cov = &d->sections[0];
    assert_null(table(cov, "Change"));
    int note = 0;
    for (size_t i = 0; i < cov->nblocks; i++)
        note |= cov->blocks[i].type == RK_BLOCK_PARA && cov->blocks[i].style == RK_PARA_NOTE &&
                strstr(cov->blocks[i].text, "No change request was recorded") != NULL;
    assert_true(note);
    const rk_signoff *sg = section(d, "Sign-off")->blocks[0].signoff;
    assert_non_null(strstr(sg->statement, "(no change recorded)"));
    rk_table *csv = rk_firewall_csv_table(a, t);
    for (size_t r = 0; r < csv->nrows; r++) {
        assert_string_equal(cell(csv, r, 1), "");
        assert_string_equal(cell(csv, r, 2), "");
    }
    rk_firewall_csv_table_free(csv);
    rk_firewall_csv_table_free(NULL);
    rk_doc_free(d);
    fx_free(a);

    /* nobody talks to anybody; no sign-off roles; a missing fact file */
    static const fx_host lonely[] = {{"WRK01", "mig", "worker", NULL, NULL}};
    a = fx_seed_assessment(lonely, 1, 0);
    for (size_t i = 0; i < a->project->nsignoff; i++) free(a->project->signoff[i]);
    a->project->nsignoff = 0;
    a->inputs[2].missing = 1;
    rk_flows_expand(a);
    rk_flows_rules(a);
    d = rk_firewall_build(a, t, "1");
    assert_null(table(section(d, "Network rules"), "NetworkRules"));
    assert_null(table(section(d, "Host firewall rules"), "HostRules"));
    assert_null(table(section(d, "Flows"), "Flows"));
    sg = section(d, "Sign-off")->blocks[0].signoff;
    assert_int_equal(sg->nroles, 1);
    assert_string_equal(sg->roles[0], "Change Advisory Board");
    assert_string_equal(diagram_of(d)->zones[0].lines[0], "WRK01: worker");
    assert_int_equal(diagram_of(d)->nedges, 0);
    csv = rk_firewall_csv_table(a, t);
    assert_int_equal(csv->nrows, 0);
    assert_int_equal(csv->ncols, 18);
    rk_firewall_csv_table_free(csv);
    char *text = dump(d);
    assert_null(strstr(text, "[fw."));
    free(text);
    assert_int_equal(w.count, 0);
    rk_doc_free(d);
    rk_tmpl_free(t);
    rk_warnings_free(&w);
    fx_free(a);
}

static void test_csv_table(void **state)
{
    (void)state;
    rk_assessment *a = assess(1);
    rk_table *csv = rk_firewall_csv_table(a, NULL);
    static const char *const names[] = {
        "rule", "change_id", "review_date", "source_zone", "source_hosts", "source_addresses",
        "destination_zone", "destination_hosts", "destination_addresses", "protocol", "ports",
        "services", "purpose", "seed_rows", "flows", "scope", "verification", "address_family"};
    assert_int_equal(csv->ncols, 18);
    for (size_t c = 0; c < 18; c++) assert_string_equal(csv->cols[c].header, names[c]);
    assert_int_equal(csv->nrows, a->nrules);
    for (size_t r = 0; r < csv->nrows; r++) {
        const rk_rule *x = &a->rules[r];
        assert_string_equal(cell(csv, r, 0), x->id);
        assert_string_equal(cell(csv, r, 1), "CHG0042137");
        assert_string_equal(cell(csv, r, 2), "2024-09-30");
        assert_string_equal(cell(csv, r, 15), x->cross_zone ? "network" : "host");
        assert_string_equal(cell(csv, r, 16), x->verification);
        /* the flows column lists exactly the rule's flows */
        rk_buf b = {0};
        for (size_t k = 0; k < x->nflows; k++)
            rk_buf_printf(&b, "%s%s", k ? "," : "", a->flows[x->flows[k]].id);
        assert_string_equal(cell(csv, r, 14), b.data);
        rk_buf_free(&b);
    }
    assert_string_equal(cell(csv, 0, 3), "mig");
    assert_string_equal(cell(csv, 0, 4), "MIG01");
    assert_string_equal(cell(csv, 0, 5), "10.0.0.10");
    assert_string_equal(cell(csv, 0, 9), "tcp");
    assert_string_equal(cell(csv, 0, 10),
                        "25,53,80,88,110,135,137-139,389,443,445,993,995,3268,49152-65535");
    assert_string_equal(cell(csv, 0, 13), "1,5,7,15,16,20,27,30,32,34,44,51,65,66,69,82");
    int found = 0;
    for (size_t r = 0; r < csv->nrows; r++)
        if (strcmp(cell(csv, r, 4), "SEX01,SEX02") == 0 && strcmp(cell(csv, r, 10), "443,445") == 0) {
            assert_string_equal(cell(csv, r, 5), "10.1.0.20,10.1.0.21");
            assert_string_equal(cell(csv, r, 7), "TDC01");
            found = 1;
        }
    assert_true(found);

    /* through the CSV writer: a header row and one line per rule */
    char path[] = "/tmp/rk-fw-csv-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char err[256] = "";
    assert_int_equal(rk_csv_write(csv, path, err, sizeof err), RK_OK);
    size_t len = 0;
    char *out = fx_read(path, &len);
    unlink(path);
    assert_non_null(out);
    assert_memory_equal(out, "rule,change_id,review_date,source_zone,source_hosts,", 52);
    assert_non_null(strstr(out, "\r\nR001,CHG0042137,2024-09-30,mig,MIG01,10.0.0.10,src,SDC01,"
                                "10.1.0.10,tcp,\"25,53,80,88,110,135,137-139,389,443,445,993,"
                                "995,3268,49152-65535\","));
    free(out);
    rk_firewall_csv_table_free(csv);
    fx_free(a);
}

static void test_probe_results(void **state)
{
    (void)state;
    rk_assessment *a = assess(1);
    size_t mig = fx_host_index(a, "MIG01");
    size_t f25 = fx_flow(a, "MIG01", "SDC01", RK_PROTO_TCP, 25);
    size_t f80 = fx_flow(a, "MIG01", "SDC01", RK_PROTO_TCP, 80);
    char id25[16], id80[16];
    snprintf(id25, sizeof id25, "%s", a->flows[f25].id);
    snprintf(id80, sizeof id80, "%s", a->flows[f80].id);
    fx_probe(a, mig, id25, "tcp", 25, "10.1.0.10", "10.1.0.10", "open", 4);
    fx_probe(a, mig, id80, "tcp", 80, "10.1.0.10", "10.1.0.10", "filtered", 3000);
    rk_flows_expand(a);
    rk_flows_rules(a);
    rk_warnings w = {0};
    rk_tmpl *t = templates("en", &w);
    rk_doc *d = rk_firewall_build(a, t, "1");

    /* the cover says flows were found blocked */
    const rk_section *cov = &d->sections[0];
    int verdict = 0;
    for (size_t i = 0; i < cov->nblocks; i++)
        if (cov->blocks[i].type == RK_BLOCK_PARA && cov->blocks[i].style == RK_PARA_VERDICT) {
            assert_int_equal(cov->blocks[i].tone, RK_TONE_FAIL);
            assert_non_null(strstr(cov->blocks[i].text, "1 flows were found blocked"));
            verdict = 1;
        }
    assert_true(verdict);

    const rk_section *ps = section(d, "Probe results");
    const rk_table *pr = table_for(d, "ProbeResults", RK_TARGET_PDF);
    assert_non_null(pr);
    /* the workbook has no probe table: each probe is on its flow's row of the Flows sheet */
    assert_null(table_for(d, "ProbeResults", RK_TARGET_XLSX));
    assert_int_equal(pr->nrows, 2);
    assert_string_equal(cell(pr, 0, 0), id25);
    assert_string_equal(cell(pr, 0, column(pr, "From")), "MIG01");
    assert_string_equal(cell(pr, 0, column(pr, "Result")), "verified open");
    assert_int_equal(pr->cells[column(pr, "Result")].tone, RK_TONE_PASS);
    assert_string_equal(cell(pr, 0, column(pr, "Time (ms)")), "4");
    assert_string_equal(cell(pr, 0, column(pr, "Checked at")), "2024-05-02T08:30:00Z");
    assert_string_equal(cell(pr, 1, column(pr, "Result")), "filtered");
    assert_int_equal(pr->cells[pr->ncols + column(pr, "Result")].tone, RK_TONE_FAIL);

    const rk_table *ph = table(ps, "ProbeHosts");
    assert_string_equal(cell(ph, 0, 0), "MIG01");
    assert_string_equal(cell(ph, 0, column(ph, "verified open")), "1");
    assert_string_equal(cell(ph, 0, column(ph, "filtered")), "1");

    const rk_table *nr = table(section(d, "Network rules"), "NetworkRules");
    size_t vc = column(nr, "Verification");
    assert_string_equal(cell(nr, 0, vc), "filtered 1, not probed 13, not verifiable 1, verified open 1");
    assert_int_equal(nr->cells[vc].tone, RK_TONE_FAIL);

    const rk_table *fl = table(section(d, "Flows"), "Flows");
    size_t fc = column(fl, "Flow"), vf = column(fl, "Verification"), ms = column(fl, "Time (ms)"),
           at = column(fl, "Checked at");
    int seen = 0;
    for (size_t r = 0; r < fl->nrows; r++) {
        const rk_cell *c = &fl->cells[r * fl->ncols];
        if (strcmp(cell(fl, r, fc), id80) == 0) {
            assert_string_equal(cell(fl, r, vf), "filtered");
            seen++;
        } else if (strcmp(cell(fl, r, fc), id25) == 0) {
            assert_string_equal(cell(fl, r, vf), "verified open");
            assert_string_equal(cell(fl, r, ms), "4");
            assert_true(c[ms].is_number);
            assert_true(c[ms].number == 4.0);
            assert_string_equal(cell(fl, r, at), "2024-05-02T08:30:00Z");
            seen++;
        } else {
            assert_string_equal(cell(fl, r, ms), "");
            assert_false(c[ms].is_number);
        }
    }
    assert_int_equal(seen, 2);
    assert_int_equal(w.count, 0);
    rk_doc_free(d);
    rk_tmpl_free(t);
    rk_warnings_free(&w);
    fx_free(a);
}

/* German wording, nothing missing; the same inputs give the same document. */
static void test_german_and_stable(void **state)
{
    (void)state;
    rk_assessment *a = assess(1);
    rk_warnings w = {0};
    rk_tmpl *t = templates("de", &w);
    rk_doc *d1 = rk_firewall_build(a, t, "1");
    rk_doc *d2 = rk_firewall_build(a, t, "1");
    assert_string_equal(d1->title, "Antrag auf Firewall-Regeln");
    assert_string_equal(d1->lang, "de");
    char *x = dump(d1), *y = dump(d2);
    assert_string_equal(x, y);
    assert_null(strstr(x, "[fw."));
    assert_non_null(strstr(x, "innerhalb Target forest (Fabrikam)"));
    for (size_t i = 0; i < w.count; i++) print_message("%s\n", w.items[i].key);
    assert_int_equal(w.count, 0);
    free(x);
    free(y);
    rk_doc_free(d1);
    rk_doc_free(d2);
    rk_tmpl_free(t);
    rk_warnings_free(&w);
    fx_free(a);
}

/* A zone with more hosts than a diagram box can list shows role counts. */
static void test_large_zone_diagram(void **state)
{
    (void)state;
    fx_host h[20];
    char names[20][16];
    for (size_t i = 0; i < 20; i++) {
        snprintf(names[i], sizeof names[i], "TEX%02zu", i + 1);
        h[i] = (fx_host){names[i], "tgt", i < 15 ? "target-exchange" : "target-exchange,target-cas",
                         NULL, NULL};
    }
    h[0] = (fx_host){"MIG01", "mig", "migration-server", NULL, NULL};
    rk_assessment *a = fx_seed_assessment(h, 20, 1);
    rk_flows_expand(a);
    rk_flows_rules(a);
    rk_warnings w = {0};
    rk_tmpl *t = templates("en", &w);
    rk_doc *d = rk_firewall_build(a, t, "1");
    const rk_diagram *g = diagram_of(d);
    assert_int_equal(g->zones[2].nlines, 2);
    assert_string_equal(g->zones[2].lines[0], "target-exchange: 19 hosts");
    assert_string_equal(g->zones[2].lines[1], "target-cas: 5 hosts");
    assert_int_equal(g->zones[1].nlines, 0);
    assert_int_equal(w.count, 0);
    rk_doc_free(d);
    rk_tmpl_free(t);
    rk_warnings_free(&w);
    fx_free(a);
}

/* 200 hosts, tens of thousands of flows: the document and the CSV table in well under
 * a second (a generous bound for sanitizer builds). */
static void test_large_build(void **state)
{
    (void)state;
    fx_host h[200];
    char names[200][16], addrs[200][32];
    static const char *const roles[] = {"source-dc,source-dns", "target-dc,target-dns",
                                        "source-exchange", "target-exchange,target-cas"};
    static const char *const zone[] = {"src", "tgt", "src", "tgt"};
    for (size_t i = 0; i < 200; i++) {
        snprintf(names[i], sizeof names[i], "H%03zu", i + 1);
        snprintf(addrs[i], sizeof addrs[i], "10.%zu.%zu.%zu", i % 4, i / 250, i % 250 + 1);
        h[i] = (fx_host){names[i], zone[i % 4], roles[i % 4], addrs[i], NULL};
    }
    h[0] = (fx_host){"MIG01", "mig", "migration-server", "10.9.0.1", NULL};
    h[1] = (fx_host){"SQL01", "mig", "sql-server", "10.9.0.2", NULL};
    rk_assessment *a = fx_seed_assessment(h, 200, 1);
    rk_flows_expand(a);
    rk_flows_rules(a);
    rk_warnings w = {0};
    rk_tmpl *t = templates("en", &w);
    clock_t t0 = clock();
    rk_doc *d = rk_firewall_build(a, t, "1");
    rk_table *csv = rk_firewall_csv_table(a, t);
    double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    print_message("200 hosts: %zu flows, %zu rules; document and CSV table %.3f s\n", a->nflows,
                  a->nrules, s);
    assert_int_equal(table(section(d, "Flows"), "Flows")->nrows, a->nflows);
    assert_int_equal(csv->nrows, a->nrules);
    assert_true(s < 5.0);
    rk_firewall_csv_table_free(csv);
    rk_doc_free(d);
    rk_tmpl_free(t);
    rk_warnings_free(&w);
    fx_free(a);
}

/* ---------------------------------------------------------- template files */

typedef struct keyset {
    char **k;
    size_t n;
} keyset;

static int has(const keyset *s, const char *k)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->k[i], k) == 0) return 1;
    return 0;
}

static void add(keyset *s, const char *k, size_t len)
{
    char *key = rk_xstrndup(k, len);
    if (has(s, key)) {
        free(key);
        return;
    }
    s->k = rk_xrealloc(s->k, (s->n + 1) * sizeof(char *));
    s->k[s->n++] = key;
}

static void keyset_free(keyset *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->k[i]);
    free(s->k);
}

/* Keys of a flat template file: "key:" at the start of a line. */
static void yaml_keys(const char *path, keyset *s)
{
    char *text = fx_read(path, NULL);
    if (!text) fail_msg("cannot read %s", path);
    for (char *line = text; line && *line;) {
        char *end = strchr(line, '\n');
        if (line[0] != '#' && line[0] != ' ' && line[0] != '\n') {
            char *colon = strchr(line, ':');
            if (colon && (!end || colon < end)) add(s, line, (size_t)(colon - line));
        }
        line = end ? end + 1 : NULL;
    }
    free(text);
}

/* Every "fw.*" literal of firewall_doc.c is in both languages, both languages have the
 * same keys, and every key is used (fw.state.* and fw.input.* are looked up by name). */
static void test_template_keys(void **state)
{
    (void)state;
    keyset en = {0}, de = {0}, src = {0};
    yaml_keys(RK_FW_TEMPLATES_DIR "/firewall.en.yaml", &en);
    yaml_keys(RK_FW_TEMPLATES_DIR "/firewall.de.yaml", &de);
    char *code = fx_read(RK_FW_SOURCE_DIR "/render/firewall_doc.c", NULL);
    assert_non_null(code);
    for (char *p = strstr(code, "\"fw."); p; p = strstr(p + 1, "\"fw.")) {
        char *q = strchr(p + 1, '"');
        if (q && q[-1] != '.' && !memchr(p, '%', (size_t)(q - p)))
            add(&src, p + 1, (size_t)(q - p - 1));
    }
    free(code);
    assert_true(src.n > 50);
    for (size_t i = 0; i < src.n; i++) {
        if (!has(&en, src.k[i])) fail_msg("%s missing from firewall.en.yaml", src.k[i]);
        if (!has(&de, src.k[i])) fail_msg("%s missing from firewall.de.yaml", src.k[i]);
    }
    assert_int_equal(en.n, de.n);
    for (size_t i = 0; i < en.n; i++) {
        if (!has(&de, en.k[i])) fail_msg("%s missing from firewall.de.yaml", en.k[i]);
        if (strncmp(en.k[i], "fw.", 3) != 0) fail_msg("%s: keys start with fw.", en.k[i]);
        if (!has(&src, en.k[i]) && strncmp(en.k[i], "fw.state.", 9) != 0 &&
            strncmp(en.k[i], "fw.input.", 9) != 0 && strncmp(en.k[i], "fw.family.", 10) != 0)
            fail_msg("%s is used nowhere", en.k[i]);
    }
    static const char *const families[] = {"fw.family.ipv4", "fw.family.ipv6", "fw.family.name",
                                           "fw.family.none"};
    for (size_t i = 0; i < 4; i++) assert_true(has(&en, families[i]) && has(&de, families[i]));
    for (int s = 0; s < RK_FW_STATE_COUNT; s++) {
        char key[64];
        snprintf(key, sizeof key, "fw.state.%s", rk_fw_state_str((rk_fw_state)s));
        assert_true(has(&en, key));
    }
    keyset_free(&en);
    keyset_free(&de);
    keyset_free(&src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_no_change_no_flows),
        cmocka_unit_test(test_csv_table),
        cmocka_unit_test(test_probe_results),
        cmocka_unit_test(test_german_and_stable),
        cmocka_unit_test(test_large_zone_diagram),
        cmocka_unit_test(test_large_build),
        cmocka_unit_test(test_template_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
