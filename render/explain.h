/* explain.h - findings in words: the expected value, the actual value as collected and
 * the sentence saying why, in a document's language (templates, `eval.*`, `value.*`). */
#ifndef RK_EXPLAIN_H
#define RK_EXPLAIN_H

#include "assess.h"
#include "template.h"
#include "util.h"

/* Fills expected, actual and message of every finding (replacing earlier words). */
void rk_explain_findings(rk_assessment *a, rk_tmpl *t);

/* The word for a status or a verdict (templates: status.<status>, verdict.<verdict>). */
const char *rk_status_word(rk_tmpl *t, rk_status s);
const char *rk_verdict_word(rk_tmpl *t, rk_verdict v);
/* The titles of the roles in mask, comma-separated, appended to b (after ", " when b
 * already holds text). */
void rk_roles_titles(const rk_schema *s, uint32_t mask, rk_buf *b);

/* A fact value as a reader wants it: numbers in the format (bytes in GB and GiB, MHz as
 * GHz, DWORDs in decimal and hex) with the language's decimal separator, lists joined,
 * null as "not present", a missing fact as "not collected". Appended to b. */
void rk_explain_value(const rk_assessment *a, rk_tmpl *t, const cJSON *v, rk_value_format f,
                      rk_buf *b);
/* A number in a format; limit 1 words a threshold ("8 GB") rather than a reading. */
void rk_explain_number(const rk_assessment *a, rk_tmpl *t, double v, rk_value_format f, int limit,
                       rk_buf *b);

#endif
