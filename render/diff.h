/* diff.h - compares two findings.json files (readykit diff, render --baseline): the
 * changes per host, requirement and flow, as data. */
#ifndef RK_DIFF_H
#define RK_DIFF_H

#include <stddef.h>
#include <stdio.h>
#include "diag.h"

typedef enum rk_change_kind {
    RK_CHG_NEW_FAILURE, /* fails now, did not before */
    RK_CHG_FIXED,       /* failed or warned before, passes now */
    RK_CHG_STILL_FAILING,
    RK_CHG_NEW_UNKNOWN,
    RK_CHG_HOST_ADDED,
    RK_CHG_HOST_REMOVED,
    RK_CHG_WAIVER_ADDED,
    RK_CHG_WAIVER_EXPIRED,
    RK_CHG_OTHER /* any other status change */
} rk_change_kind;
#define RK_CHG_COUNT (RK_CHG_OTHER + 1)

typedef struct rk_change_item {
    rk_change_kind kind;
    char *host;
    char *requirement; /* NULL for host added/removed */
    char *old_status;  /* NULL when absent */
    char *new_status;
    char *detail;
    /* Added: structured parts of the detail, so documents can word it in their
     * language. Each may be NULL. */
    char *flow;           /* flow id of a finding about one blocked flow */
    char *waiver_by;      /* waiver added/expired: who approved the waiver */
    char *waiver_expires; /* waiver added/expired: its expiry date */
    char *host_verdict;   /* host added/removed: the host's verdict where it exists */
    char *attested_by;    /* a change to attested: who attested it */
    char *attested_on;    /* a change to attested: the attestation's date */
} rk_change_item;

typedef struct rk_diff {
    char *old_verdict, *new_verdict;
    char *old_date, *new_date;
    char *old_path, *new_path; /* new_path is NULL for rk_diff_with */
    char old_sha256[65];
    rk_change_item *items; /* ordered by host, then requirement, then flow */
    size_t nitems;
    size_t new_failures; /* failures in NEW that OLD did not have (--fail-on new):
                            new failures, and expired waivers that fail again */
    /* Added. */
    char old_digest[65], new_digest[65]; /* document digests ("" when not given) */
    size_t counts[RK_CHG_COUNT];         /* items per kind */
} rk_diff;

/* Largest findings file accepted: 2,000 hosts write about 380 MB. Only the findings and
 * hosts are made a tree (the flows and rules are skipped unread). */
#define RK_DIFF_MAX_BYTES (1024u * 1024u * 1024u)

/* Loads two findings files and compares them. NULL with d filled on bad input:
 * "file:line:col: what is wrong; expected ..." (JSON syntax, `format` other than
 * readykit-findings/1, missing or mistyped keys, unknown statuses, duplicate keys or
 * findings). Findings are keyed by (host, requirement, flow id when present). */
rk_diff *rk_diff_files(const char *old_path, const char *new_path, rk_diag *d);
/* Compares a findings file with an in-memory findings document (cJSON). */
struct cJSON;
rk_diff *rk_diff_with(const char *old_path, const struct cJSON *new_doc, rk_diag *d);
void rk_diff_free(rk_diff *x); /* rk_diff_free(NULL) is a no-op */
/* "new-failure", "fixed", "still-failing", "new-unknown", "host-added", "host-removed",
 * "waiver-added", "waiver-expired", "other". */
const char *rk_change_kind_str(rk_change_kind k);

#endif
