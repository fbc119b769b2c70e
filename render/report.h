/* report.h - builds the readiness report's document model from an evaluated assessment. */
#ifndef RK_REPORT_H
#define RK_REPORT_H

#include "assess.h"
#include "doc.h"
#include "diff.h"
#include "template.h"

/* Builds the readiness report (PDF sections and workbook sheets) with wording from t.
 * baseline may be NULL; when given, a "changes since the previous assessment" section
 * is added (see diff.h). Caller frees with rk_doc_free. */
rk_doc *rk_report_build(const rk_assessment *a, rk_tmpl *t, const rk_diff *baseline);

/* Tone of a status (shared by every document builder). */
rk_tone rk_report_status_tone(rk_status s);
/* Tone of a verdict. */
rk_tone rk_report_verdict_tone(rk_verdict v);

#endif
