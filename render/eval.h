/* eval.h - evaluation: every requirement on every host into findings (data, no words),
 * `when` over the project's parameters, waivers and attestations applied, verdicts. */
#ifndef RK_EVAL_H
#define RK_EVAL_H

#include "assess.h"
#include "when.h"

/* Evaluates one check on one host's facts into out (caller frees with
 * rk_outcome_free). base is the host's fact root, or NULL when the host has no fact
 * file. */
void rk_check_eval(const rk_assessment *a, size_t host, const rk_check *k, const cJSON *base,
                   rk_outcome *out);
/* The same, given the indexes of the flows that start at host (from[0..nfrom),
 * ascending), so that a `flows` check reads those alone instead of every flow of the
 * assessment; from NULL: every flow is looked at. */
void rk_check_eval_from(const rk_assessment *a, size_t host, const rk_check *k,
                        const cJSON *base, const size_t *from, size_t nfrom, rk_outcome *out);

/* Evaluates every requirement on every host whose roles it applies to (flows already
 * expanded), replacing a->findings. A failed `flows` check becomes one finding per
 * blocked flow. */
void rk_eval_all(rk_assessment *a);
/* Evaluates one requirement on one host into out. */
void rk_eval_one(const rk_assessment *a, size_t host, size_t req, rk_finding *out);

/* Applies waivers (fail/warn/unknown -> waived) and attestations (manual -> attested) at
 * the assessment date; marks used, expired and expiring entries. Calling it again first
 * undoes the previous pass. The arrays must not be reallocated afterwards: findings
 * point into them. */
void rk_exceptions_apply(rk_assessment *a);

/* The overall verdict if the waivers expiring within RK_EXPIRING_DAYS of the assessment
 * date had expired already (render --fail-on ... --expiring-as-expired): their findings
 * fall to the next waiver that applies, else back to their original status. The
 * assessment itself is not changed. */
rk_verdict rk_verdict_expiring_as_expired(const rk_assessment *a);

/* Per-host and overall verdicts from the findings. */
void rk_eval_verdicts(rk_assessment *a);
rk_verdict rk_verdict_of(const rk_assessment *a, const rk_finding *f, size_t n);

#endif
