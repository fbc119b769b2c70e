/* findings.h - findings.json (format readykit-findings/1), the contract other tools read. */
#ifndef RK_FINDINGS_H
#define RK_FINDINGS_H

#include <cjson/cJSON.h>
#include "assess.h"

/* Builds the findings document; its words (expected, actual, message) are in lang, as
 * rk_explain_findings wrote them; flows 0 leaves out flows[] and rules[] (a comparison
 * reads neither). Caller owns the result (cJSON_Delete). */
cJSON *rk_findings_json(const rk_assessment *a, const char *lang, int flows);
/* Writes findings.json atomically; sha256 (may be NULL) receives the SHA-256 of the bytes
 * written. Returns RK_OK or RK_OUTPUT with err filled. */
rk_err rk_findings_write(const rk_assessment *a, const char *lang, const char *path,
                         char sha256[65], char *err, size_t errlen);

#endif
