/* exceptions.c - applies waivers and attestations to findings at the assessment date. */
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "util.h"

void rk_exceptions_apply(rk_assessment *a)
{
    for (size_t i = 0; i < a->nwaivers; i++) {
        a->waivers[i].used = 0;
        a->waivers[i].expired = rk_waivers_expired_at(a->waivers[i].expires_epoch, a->date);
        /* still valid, but gone within RK_EXPIRING_DAYS: the CAB should renew or close */
        a->waivers[i].expiring =
            !a->waivers[i].expired &&
            rk_waivers_expired_at(a->waivers[i].expires_epoch,
                                  a->date + (int64_t)RK_EXPIRING_DAYS * 86400);
    }
    for (size_t i = 0; i < a->nattestations; i++) {
        a->attestations[i].used = 0;
        a->attestations[i].expired =
            rk_waivers_expired_at(a->attestations[i].expires_epoch, a->date);
    }
    for (size_t i = 0; i < a->nfindings; i++) {
        rk_finding *f = &a->findings[i];
        if (f->waiver || f->attestation) f->status = f->original;
        f->waiver = NULL;
        f->attestation = NULL;
    }
    for (size_t i = 0; i < a->nfindings; i++) {
        rk_finding *f = &a->findings[i];
        const char *req = a->schema->reqs[f->req].id;
        const rk_host *h = &a->project->hosts[f->host];
        if (f->status == RK_ST_FAIL || f->status == RK_ST_WARN || f->status == RK_ST_UNKNOWN) {
            for (size_t k = 0; k < a->nwaivers; k++) {
                rk_waiver *w = &a->waivers[k];
                if (w->expired || strcmp(w->requirement, req) != 0 || !rk_hosts_match(w->hosts, h->name, h->fqdn))
                    continue;
                f->status = RK_ST_WAIVED;
                f->waiver = w;
                w->used = 1;
                break;
            }
        } else if (f->status == RK_ST_MANUAL) {
            for (size_t k = 0; k < a->nattestations; k++) {
                rk_attestation *t = &a->attestations[k];
                if (t->expired || strcmp(t->requirement, req) != 0 || !rk_hosts_match(t->hosts, h->name, h->fqdn))
                    continue;
                f->status = RK_ST_ATTESTED;
                f->attestation = t;
                t->used = 1;
                break;
            }
        }
    }
}


rk_verdict rk_verdict_expiring_as_expired(const rk_assessment *a)
{
    rk_finding *f = rk_xcalloc(a->nfindings ? a->nfindings : 1, sizeof(rk_finding));
    for (size_t i = 0; i < a->nfindings; i++) {
        f[i] = a->findings[i]; /* shallow: only the status is changed, nothing freed */
        if (!f[i].waiver || !f[i].waiver->expiring) continue;
        const char *req = a->schema->reqs[f[i].req].id;
        const rk_host *h = &a->project->hosts[f[i].host];
        f[i].status = f[i].original;
        for (size_t k = 0; k < a->nwaivers; k++) {
            const rk_waiver *w = &a->waivers[k];
            if (w->expired || w->expiring || strcmp(w->requirement, req) != 0 ||
                !rk_hosts_match(w->hosts, h->name, h->fqdn))
                continue;
            f[i].status = RK_ST_WAIVED;
            break;
        }
    }
    rk_verdict v = rk_verdict_of(a, f, a->nfindings);
    free(f);
    return v;
}
