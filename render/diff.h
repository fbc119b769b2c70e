/* diff.h - compares two findings.json files (readykit diff, render --baseline). */
#ifndef RK_DIFF_H
#define RK_DIFF_H

#include <stddef.h>
#include "diag.h"

typedef enum rk_change_kind {
    RK_CHG_NEW_FAILURE,   /* fails now, did not before */
    RK_CHG_FIXED,         /* failed or warned before, passes now */
    RK_CHG_STILL_FAILING,
    RK_CHG_NEW_UNKNOWN,
    RK_CHG_HOST_ADDED,
    RK_CHG_HOST_REMOVED,
    RK_CHG_WAIVER_ADDED,
    RK_CHG_WAIVER_EXPIRED,
    RK_CHG_OTHER          /* any other status change */
} rk_change_kind;

typedef struct rk_change_item {
    rk_change_kind kind;
    char *host;
    char *requirement;   /* NULL for host added/removed */
    char *old_status;    /* NULL when absent */
    char *new_status;
    char *detail;
} rk_change_item;

typedef struct rk_diff {
    char *old_verdict, *new_verdict;
    char *old_date, *new_date;
    char *old_path, *new_path;
    char old_sha256[65];
    rk_change_item *items;
    size_t nitems;
    size_t new_failures;
} rk_diff;

/* Loads two findings files and compares them. NULL with d filled on bad input. */
rk_diff *rk_diff_files(const char *old_path, const char *new_path, rk_diag *d);
/* Compares a findings file with an in-memory findings document (cJSON). */
struct cJSON;
rk_diff *rk_diff_with(const char *old_path, const struct cJSON *new_doc, rk_diag *d);
void rk_diff_free(rk_diff *x);
const char *rk_change_kind_str(rk_change_kind k);

/* Prints the differences as text (grouped by host) or JSON. */
#include <stdio.h>
void rk_diff_print(const rk_diff *x, int json, FILE *fp);

#endif
