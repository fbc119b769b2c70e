/* readiness_remedy.c - the remediation plan's part about scripts: which script fixes a
 * finding ("fixed by"), and the list of scripts with their SHA-256, so that the signed
 * report names exactly the scripts that will run. */
#include "readiness_doc.h"

#include <stdlib.h>

#include "remediation_script.h"
#include "remedy.h"
#include "util.h"

struct rk_readiness_remedy {
    rk_remedy *plan;
    rk_scripts *scripts;
};

rk_readiness_remedy *rk_readiness_remedy_new(const rk_assessment *a, rk_tmpl *t)
{
    rk_readiness_remedy *r = rk_xcalloc(1, sizeof(*r));
    r->plan = rk_remedy_plan(a);
    r->scripts = rk_scripts_build(a, r->plan, t);
    return r;
}

void rk_readiness_remedy_free(rk_readiness_remedy *r)
{
    if (!r) return;
    rk_scripts_free(r->scripts);
    rk_remedy_free(r->plan);
    free(r);
}

void rk_readiness_fixed_by(const rk_readiness_remedy *r, const rk_assessment *a, rk_tmpl *t,
                           size_t finding, rk_cell *cell)
{
    char *s = rk_remedy_fixed_by(a, r->plan, r->scripts, t, finding);
    /* a finding the script fixes whole is marked as done-able; the others stay plain */
    rk_cell_set(cell, s, r->plan->how[finding] == RK_HOW_SCRIPT ? RK_TONE_PASS : RK_TONE_NONE);
    free(s);
}

void rk_readiness_scripts(const rk_readiness_remedy *r, const rk_assessment *a, rk_tmpl *t,
                          rk_doc *doc)
{
    /* a section of its own: its sheet holds one table, as every sheet does */
    const char *title = rk_tmpl_get(t, "report.remediation_scripts");
    rk_section *s = rk_doc_section(
        doc, title, 1, r->scripts->n ? rk_tmpl_get(t, "sheet.remediation_scripts") : NULL,
        r->scripts->n ? RK_TARGET_ALL : RK_TARGET_PDF);
    s->landscape = 1;
    if (!r->scripts->n) {
        rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE,
                        rk_tmpl_get(t, "report.no_remediation_scripts"));
        return;
    }
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE,
                    rk_tmpl_get(t, "report.remediation_scripts_intro"));
    rk_table *tb = rk_section_table(s, "RemediationScripts", 4);
    rk_table_col(tb, 0, rk_tmpl_get(t, "col.host"), 14);
    rk_table_col(tb, 1, rk_tmpl_get(t, "col.script"), 36);
    rk_table_col(tb, 2, rk_tmpl_get(t, "col.changes"), 12);
    rk_table_col(tb, 3, rk_tmpl_get(t, "col.script_sha256"), 76);
    for (size_t i = 0; i < r->scripts->n; i++) {
        const rk_script *sc = &r->scripts->s[i];
        for (int undo = 0; undo < 2; undo++) {
            rk_cell *row = rk_table_row(tb);
            rk_cell_set(&row[0], a->project->hosts[sc->host].name, RK_TONE_NONE);
            rk_cell_set(&row[1], undo ? sc->undo_name : sc->name, RK_TONE_NONE);
            size_t n = undo ? sc->undo_changes : sc->changes;
            char num[32];
            snprintf(num, sizeof num, "%zu", n);
            rk_cell_number(&row[2], (double)n, num);
            rk_cell_set(&row[3], undo ? sc->undo_sha256 : sc->sha256, RK_TONE_NONE);
        }
    }
}
