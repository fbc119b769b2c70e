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

/* The sections on waivers and attestations (readiness_exceptions.c): "Risk accepted",
 * then "Waivers and attestations" (applied waivers and attestations with the findings they
 * cover, then expired and unused ones), then the workbook's waiver register. */
void rk_readiness_exceptions(rk_doc *doc, const rk_assessment *a, rk_tmpl *t);
/* The section "Changes since the previous assessment" (readiness_changes.c). */
void rk_readiness_changes(rk_doc *doc, const rk_diff *x, rk_tmpl *t);

/* Tone of a status and of a verdict (shared by every document model). */
rk_tone rk_status_tone(rk_status s);
rk_tone rk_verdict_tone(rk_verdict v);

/* "Risk accepted" (readiness_risk.c): findings by status without and with the waivers,
 * overall and per host they change, and every waiver with approver, risk and expiry;
 * waivers expiring within RK_EXPIRING_DAYS are flagged. */
void rk_readiness_risk(rk_doc *doc, const rk_assessment *a, rk_tmpl *t);
/* The workbook-only waiver register: the format and schema rows, then one row per waiver
 * with the columns of readykit-waivers/1, so that the sheet can be read back as a waivers
 * file (--waivers FILE.xlsx). */
void rk_readiness_register(rk_doc *doc, const rk_assessment *a, rk_tmpl *t);
/* "DATE: N days after the assessment date" for an expiring waiver (caller frees). */
char *rk_risk_expiry_text(rk_tmpl *t, const rk_waiver *w, int64_t date);

#endif
