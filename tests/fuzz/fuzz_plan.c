/* fuzz_plan.c - libFuzzer target: the collector's probe-plan parser (rkc_plan_parse),
 * which reads a plan a customer may have edited by hand. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rkc_plan p;
    char err[256];
    int rc = rkc_plan_parse((const char *)data, size, &p, err, sizeof err);
    if (rc == 0) {
        if (p.nprobes > RKC_PLAN_MAX_PROBES) abort();
        for (size_t i = 0; i < p.nprobes; i++) {
            const rkc_plan_probe *it = &p.probes[i];
            if (it->port < 1 || it->port > 65535 || it->line < 1) abort();
            if (!it->host[0] || strlen(it->host) > RKC_PLAN_MAX_HOST) abort();
            if (!it->flow[0] || strlen(it->flow) > RKC_PLAN_MAX_FLOW) abort();
        }
    } else {
        if (rc < 0 || p.probes || p.nprobes) abort();
        /* "LINE: what is wrong": the message starts with the line it reports */
        char want[32];
        snprintf(want, sizeof want, "%d: ", rc);
        if (strncmp(err, want, strlen(want)) != 0) {
            fprintf(stderr, "message '%s' does not start with line %d\n", err, rc);
            abort();
        }
        for (const unsigned char *c = (const unsigned char *)err; *c; c++)
            if (*c < 0x20 || *c >= 0x7f) {
                fprintf(stderr, "message with byte 0x%02X: %s\n", *c, err);
                abort();
            }
    }
    rkc_plan_free(&p);
    /* with a tiny message buffer the parser must still stay inside it */
    char small[4];
    rc = rkc_plan_parse((const char *)data, size, &p, small, sizeof small);
    rkc_plan_free(&p);
    return 0;
}
