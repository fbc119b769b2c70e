/* waivers.h - waivers (readykit-waivers/1) and attestations (readykit-attestations/1):
 * loading, matching against findings, expiry. */
#ifndef RK_WAIVERS_H
#define RK_WAIVERS_H

#include <stdio.h>
#include "assess.h"

/* Loads a waivers file into a->waivers (appending). sha256 receives the file's hash.
 * Refuses, with file:line:col, a waiver without justification, approver or expiry,
 * or naming a requirement the schema does not have. */
rk_err rk_waivers_load(rk_assessment *a, const char *path, char sha256[65], rk_diag *d);
/* Loads an attestations file into a->attestations (appending). Refuses an attestation
 * for a requirement that is not a manual check. */
rk_err rk_attestations_load(rk_assessment *a, const char *path, char sha256[65], rk_diag *d);
/* Applies waivers (fail/warn/unknown -> waived) and attestations (manual -> attested)
 * to the findings, honouring expiry at the assessment date; marks used/expired. */
void rk_waivers_apply(rk_assessment *a);

/* `readykit validate` of a waivers or attestations file on its own: checked against
 * the schema named by `schema:` in the file, or the only schema in schema_dir. */
rk_err rk_validate_standalone(const char *path, const char *format, const char *schema_dir,
                              rk_diag *d);
/* Writes a ready-to-fill attestations file (readykit-attestations/1) listing every
 * manual check of the project, one entry per requirement and host. */
void rk_attestations_template(const rk_assessment *a, FILE *fp);

#endif
