/* fuzz_plan.c - libFuzzer target: the collector's probe-plan parser (rkc_plan_parse),
 * which reads a plan a customer may have edited by hand: probe and collect lines. */
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
        if (p.ncollect > RKC_PLAN_MAX_ITEMS) abort();
        for (size_t i = 0; i < p.ncollect; i++) {
            const rkc_plan_collect *c = &p.collect[i];
            size_t idlen = strlen(c->id);
            if (idlen == 0 || idlen > RKC_PLAN_MAX_ID || c->line < 1) abort();
            if ((unsigned)c->kind >= RKC_KIND_COUNT || !c->arg || !c->arg[0]) abort();
            if ((c->kind == RKC_KIND_REGISTRY) != (c->value != NULL)) abort();
            if (c->kind == RKC_KIND_REGISTRY &&
                (!c->subkey || c->subkey <= c->arg || !c->subkey[0] || c->subkey[-1] != '\\'))
                abort();
            for (size_t k = 0; k < i; k++) /* ids are unique */
                if (strcmp(p.collect[k].id, c->id) == 0) abort();
            if (i > 0 && c->line <= p.collect[i - 1].line) abort();
        }
    } else {
        if (rc < 0 || p.probes || p.nprobes || p.collect || p.ncollect) abort();
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
