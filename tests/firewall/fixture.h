/* fixture.h - hand-built assessments for the firewall tests: the seed's network table
 * or random tables, an inventory, probe results; no loader involved. */
#ifndef RK_TEST_FW_FIXTURE_H
#define RK_TEST_FW_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "assess.h"

/* One host of a fixture inventory: roles comma-separated; address/fqdn may be NULL. */
typedef struct fx_host {
    const char *name, *zone, *roles, *address, *fqdn;
} fx_host;

/* The roles every fixture schema knows, in bit order. */
extern const char *const fx_roles[];
#define FX_NROLES 11

/* An assessment over the seed's 82-row network table and the given inventory, with
 * zones "mig", "src", "tgt" (in that order, titled), a change block when with_change,
 * and an empty fact file per host (no probes yet). Flows are not expanded. */
rk_assessment *fx_seed_assessment(const fx_host *hosts, size_t n, int with_change);

/* Same inventory over a schema of nrows random rows (fixed seed) with ports in
 * 1..max_port, for the property tests. Hosts get random roles and zones too when
 * hosts is NULL (nhosts of them). */
rk_assessment *fx_random_assessment(uint64_t seed, size_t nrows, size_t nhosts,
                                    int max_port);

/* Adds a probe to the fact file of host. */
void fx_probe(rk_assessment *a, size_t host, const char *flow, const char *protocol,
              int port, const char *to, const char *address, const char *result,
              double ms);

/* Index of a host by name (aborts when missing). */
size_t fx_host_index(const rk_assessment *a, const char *name);
/* Index of the flow from -> to with protocol and first port, or SIZE_MAX. */
size_t fx_flow(const rk_assessment *a, const char *from, const char *to, uint32_t proto,
               int port_from);

void fx_free(rk_assessment *a);

/* Reads a whole file into a NUL-terminated buffer (NULL when missing). */
char *fx_read(const char *path, size_t *len);

#endif
