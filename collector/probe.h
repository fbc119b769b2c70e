/* probe.h - runs a probe plan: parallel non-blocking TCP connects, UDP never sent. */
#ifndef RKC_PROBE_H
#define RKC_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include "plan.h"

#define RKC_PROBE_DEFAULT_TIMEOUT_MS 2000
#define RKC_PROBE_DEFAULT_PARALLEL 512

typedef struct rkc_probe_result {
    char address[64];  /* contacted address; empty when none (unresolved, UDP name) */
    const char *result; /* "open", "closed", "filtered", "error", "not-verifiable" */
    uint64_t ms;       /* elapsed from connect to result */
    char error[128];   /* why, for "error" */
    const char *note;  /* explanation for "not-verifiable", else NULL */
} rkc_probe_result;

/* Probes every probe line of plan from this host and fills results[i] for plan->probes[i]
 * (the caller provides plan->nprobes results). TCP: names are resolved (first address),
 * connects run in parallel, at most max_parallel at once (capped by what the system
 * allows), each given timeout_ms. UDP: nothing is sent; an address is only parsed if
 * it is numeric. Nothing outside the plan is contacted. */
void rkc_probe_run(const rkc_plan *plan, int timeout_ms, size_t max_parallel,
                   rkc_probe_result *results);

#endif
