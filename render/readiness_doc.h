/* readiness_doc.h - the readiness report's document model, built from an evaluated
 * assessment whose findings are already in words (explain.h). */
#ifndef RK_READINESS_DOC_H
#define RK_READINESS_DOC_H

#include "assess.h"
#include "diff.h"
#include "doc.h"
#include "template.h"

/* Builds the readiness report (PDF sections and workbook sheets) with wording from t.
 * baseline may be NULL; when given, a "changes since the previous assessment" section
 * is added. Caller frees with rk_doc_free. */
rk_doc *rk_readiness_build(const rk_assessment *a, rk_tmpl *t, const rk_diff *baseline);

typedef struct rk_readiness_opts {
    /* Above this many hosts the PDF groups hosts with the same roles and findings
     * instead of detailing each (the workbook is the same either way); -1: the
     * project's pdf_host_detail_max, else RK_PDF_HOST_DETAIL_MAX (50). */
    long pdf_host_detail_max;
} rk_readiness_opts;

/* rk_readiness_build with options; o may be NULL (the defaults). */
rk_doc *rk_readiness_build_with(const rk_assessment *a, rk_tmpl *t, const rk_diff *baseline,
                                const rk_readiness_opts *o);

/* The sections on waivers and attestations (readiness_exceptions.c): "Risk accepted",
 * then "Waivers and attestations" (applied waivers and attestations with the findings they
 * cover, then expired and unused ones), then the workbook's waiver register. The PDF lists
 * the hosts the waivers change only up to pdf_hosts_max (SIZE_MAX: all, as host by host;
 * at fleet scale the host-detail limit), the workbook always. */
void rk_readiness_exceptions(rk_doc *doc, const rk_assessment *a, rk_tmpl *t, size_t pdf_hosts_max);
/* The section "Changes since the previous assessment" (readiness_changes.c). */
void rk_readiness_changes(rk_doc *doc, const rk_diff *x, rk_tmpl *t);

/* The remediation plan's script parts (readiness_remedy.c): the plan and its scripts,
 * the "fixed by" cell of a finding, and the section listing the scripts with their
 * SHA-256 (its own sheet in the workbook). */
typedef struct rk_readiness_remedy rk_readiness_remedy;
rk_readiness_remedy *rk_readiness_remedy_new(const rk_assessment *a, rk_tmpl *t);
void rk_readiness_remedy_free(rk_readiness_remedy *r);
void rk_readiness_fixed_by(const rk_readiness_remedy *r, const rk_assessment *a, rk_tmpl *t, size_t finding,
                           rk_cell *cell);
void rk_readiness_scripts(const rk_readiness_remedy *r, const rk_assessment *a, rk_tmpl *t, rk_doc *doc);

/* A requirement's cell: its id, then its title on the next line. */
void rk_readiness_req_cell(rk_cell *c, const rk_requirement *r);

/* Tone of a status and of a verdict (shared by every document model). */
rk_tone rk_status_tone(rk_status s);
rk_tone rk_verdict_tone(rk_verdict v);

/* "Risk accepted" (readiness_risk.c): findings by status without and with the waivers,
 * overall and per host they change, and every waiver with approver, risk and expiry;
 * waivers expiring within RK_EXPIRING_DAYS are flagged. pdf_hosts_max: as above. */
void rk_readiness_risk(rk_doc *doc, const rk_assessment *a, rk_tmpl *t, size_t pdf_hosts_max);
/* The workbook-only waiver register: the format and schema rows, then one row per waiver
 * with the columns of readykit-waivers/1, so that the sheet can be read back as a waivers
 * file (--waivers FILE.xlsx). */
void rk_readiness_register(rk_doc *doc, const rk_assessment *a, rk_tmpl *t);
/* "DATE: N days after the assessment date" for an expiring waiver (caller frees). */
char *rk_risk_expiry_text(rk_tmpl *t, const rk_waiver *w, int64_t date);

#endif
