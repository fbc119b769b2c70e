/* waivers.h - waivers (readykit-waivers/1) and attestations (readykit-attestations/1):
 * loading, matching against findings, expiry. */
#ifndef RK_WAIVERS_H
#define RK_WAIVERS_H

#include <stdio.h>
#include "assess.h"
#include "doc.h"
#include "template.h"

/* The two file formats (YAML, bounded by node.h's limits; aliases, duplicate keys and
 * unknown keys are refused):
 *
 *   format: readykit-waivers/1
 *   schema: <schema id>                 optional; must be the project's schema
 *   waivers:
 *     - requirement: MPE-SRV-MEM        a requirement id of the schema
 *       hosts: "CEX19*"                 glob (* and ?), or a list of globs; matched
 *                                       case-insensitively against host name or FQDN
 *       justification: ...              required, non-empty
 *       approved_by: ...                required, non-empty
 *       expires: 2024-09-30             required, YYYY-MM-DD
 *       reference: CHG0042137           optional change ticket
 *
 *   format: readykit-attestations/1
 *   schema: <schema id>                 optional
 *   attestations:
 *     - requirement: MPE-ACC-...        must be a manual check of the schema
 *       hosts: "MPE01"                  optional: absent means every host (an
 *                                       organisation-wide check)
 *       attested_by: ...                required
 *       date: 2024-05-02                required, YYYY-MM-DD, not after expires
 *       evidence: ...                   required
 *       expires: 2025-05-02             required, YYYY-MM-DD
 *
 * Expiry: a waiver or attestation expiring on day D applies through the whole of D
 * (UTC): it applies when the assessment date is before D+1 00:00:00Z, and is listed
 * as expired from D+1 on. When several entries match one finding, the first in file
 * order wins; the others may end up unused. */

/* Loads a waivers file into a->waivers (appending). sha256 receives the file's hash.
 * Refuses, with file:line:col, a waiver without justification, approver or expiry,
 * or naming a requirement the schema does not have. */
rk_err rk_waivers_load(rk_assessment *a, const char *path, char sha256[65], rk_diag *d);
/* Loads an attestations file into a->attestations (appending). Refuses an attestation
 * for a requirement that is not a manual check. */
rk_err rk_attestations_load(rk_assessment *a, const char *path, char sha256[65], rk_diag *d);
/* Applies waivers (fail/warn/unknown -> waived) and attestations (manual -> attested)
 * to the findings, honouring expiry at the assessment date; marks used/expired.
 * Findings then point into a->waivers / a->attestations: neither array may be grown
 * (reallocated) after this call. Calling it again first undoes the previous pass. */
void rk_waivers_apply(rk_assessment *a);

/* `readykit validate` of a waivers or attestations file on its own: checked against
 * the schema named by `schema:` in the file, or the only schema in schema_dir. */
rk_err rk_validate_standalone(const char *path, const char *format, const char *schema_dir,
                              rk_diag *d);
/* Writes a ready-to-fill attestations file (readykit-attestations/1) listing every
 * manual check of the project, one entry per requirement and host. */
void rk_attestations_template(const rk_assessment *a, FILE *fp);

/* True when the entry expiring at expires_epoch (00:00:00Z of its last day) no longer
 * applies at time `at`. */
int rk_waivers_expired_at(int64_t expires_epoch, int64_t at);

/* Adds the section "Waivers and attestations" (level 0, sheet from exc.sheet, both
 * targets) to doc: tables of applied waivers and attestations with the findings they
 * cover, then expired and unused ones; a paragraph when none were given. Wording from
 * the exc.* template keys. */
void rk_report_waivers_section(rk_doc *doc, const rk_assessment *a, rk_tmpl *t);

#endif
