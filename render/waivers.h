/* waivers.h - waivers (readykit-waivers/1) and attestations (readykit-attestations/1):
 * the two file formats, loaded and checked against the schema. Applying them to
 * findings is evaluation (eval.h). */
#ifndef RK_WAIVERS_H
#define RK_WAIVERS_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "schema.h"

/* The two file formats (YAML, bounded by yaml.h's limits; aliases, duplicate keys and
 * unknown keys are refused):
 *
 *   format: readykit-waivers/1
 *   schema: <schema id>                 optional; must be the project's schema
 *   waivers:
 *     - requirement: MPE-SRV-MEM        a requirement id of the schema
 *       hosts: "CEX19*"                 glob (* and ?), or a list of globs; matched
 *                                       case-insensitively against host name or FQDN
 *       justification: ...              required, non-empty
 *       approved_by: ...                required, non-empty: who accepted the risk
 *       approved_on: 2024-05-02         optional, YYYY-MM-DD, not after expires
 *       risk: medium                    optional: low, medium or high
 *       ticket: CHG0042137              optional change or risk ticket (`reference`, the
 *                                       older name, is read as the same)
 *       scope: ...                      optional note on what the acceptance covers
 *       expires: 2024-09-30             required, YYYY-MM-DD
 *
 *   format: readykit-attestations/1
 *   schema: <schema id>                 optional
 *   attestations:
 *     - requirement: MPE-ACC-...        must be a manual check of the schema
 *       hosts: "MPE01"                  optional: absent means every host
 *       attested_by: ...                required
 *       date: 2024-05-02                required, YYYY-MM-DD, not after expires
 *       evidence: ...                   required
 *       ticket: ...                     optional
 *       expires: 2025-05-02             required, YYYY-MM-DD
 *
 * Expiry: an entry expiring on day D applies through the whole of D (UTC): it applies
 * when the assessment date is before D+1 00:00:00Z and is expired from D+1 on. */

typedef struct rk_waiver {
    char *requirement, *hosts, *justification, *approved_by, *expires;
    char *approved_on, *risk, *ticket, *scope; /* optional (NULL) */
    int64_t expires_epoch;
    int line;
    char *file;     /* display path */
    int used;       /* matched at least one finding */
    int expired;    /* past its expiry at the assessment date */
    int expiring;   /* expires within RK_EXPIRING_DAYS of the assessment date */
} rk_waiver;

typedef struct rk_attestation {
    char *requirement, *hosts, *attested_by, *date, *evidence, *expires;
    char *ticket;   /* optional */
    int64_t expires_epoch;
    int line;
    char *file;
    int used;
    int expired;
} rk_attestation;

#define RK_EXPIRING_DAYS 30

#define RK_WAIVERS_FORMAT "readykit-waivers/1"
/* The keys of a waiver in documentation order: the columns of the workbook's waiver
 * register, which --waivers FILE.xlsx reads back (`reference`, the older name of
 * `ticket`, is not a column). */
#define RK_WAIVER_NCOLS 9
extern const char *const rk_waiver_columns[RK_WAIVER_NCOLS];

/* Loads a waivers file and appends its entries to *w / *n (only when the whole file is
 * good). display is the path the entries name (documents show it); sha256 receives the
 * file's hash. Refuses, with file:line:col, a waiver without justification, approver or
 * expiry, or naming a requirement the schema does not have. warn may be NULL. */
rk_err rk_waivers_load(const char *path, const char *display, const rk_schema *s,
                       rk_waiver **w, size_t *n, char sha256[65], rk_warnings *warn, rk_diag *d);
/* Loads an attestations file likewise. Refuses an attestation for a requirement that is
 * not a manual check. */
rk_err rk_attestations_load(const char *path, const char *display, const rk_schema *s,
                            rk_attestation **t, size_t *n, char sha256[65], rk_diag *d);
void rk_waivers_free(rk_waiver *w, size_t n);
void rk_attestations_free(rk_attestation *t, size_t n);

/* `readykit validate` of a waivers or attestations file on its own: checked against
 * the schema named by `schema:` in the file, or the only schema in schema_dir. */
rk_err rk_validate_standalone(const char *path, const char *format, const char *schema_dir,
                              rk_diag *d);

/* True when the entry expiring at expires_epoch (00:00:00Z of its last day) no longer
 * applies at time `at`. */
int rk_waivers_expired_at(int64_t expires_epoch, int64_t at);
/* hosts: NULL (every host) or globs joined by commas; each is matched, ignoring case,
 * against the host's name and its FQDN (may be NULL). */
int rk_hosts_match(const char *hosts, const char *name, const char *fqdn);

#endif
