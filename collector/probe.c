/* probe.c - portable probe scheduler over the platform's socket shim (platform.h). */
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "xalloc.h"

typedef struct slot {
    rkc_sock sock;
    size_t idx;
    uint64_t start;
} slot;

static void finish(rkc_probe_result *r, rkc_conn st, uint64_t ms, const char *msg)
{
    r->ms = ms;
    switch (st) {
    case RKC_CONN_OPEN: r->result = "open"; break;
    case RKC_CONN_REFUSED: r->result = "closed"; break;
    case RKC_CONN_TIMEDOUT: r->result = "filtered"; break;
    default:
        r->result = "error";
        snprintf(r->error, sizeof r->error, "%s", msg && *msg ? msg : "connect failed");
    }
}

void rkc_probe_run(const rkc_plan *plan, int timeout_ms, size_t max_parallel,
                   rkc_probe_result *results)
{
    size_t n = plan->nprobes;
    rkc_addr *addrs = rkc_xcalloc(n, sizeof *addrs);
    size_t *queue = rkc_xcalloc(n, sizeof *queue);
    size_t nqueue = 0, qhead = 0;

    /* Resolve first (each distinct name once), so the timing of the connects is not
     * stretched by the resolver. */
    for (size_t i = 0; i < n; i++) {
        const rkc_plan_probe *it = &plan->probes[i];
        rkc_probe_result *r = &results[i];
        memset(r, 0, sizeof *r);
        int tcp = it->proto == RKC_TCP;
        size_t same = i;
        for (size_t k = 0; k < i; k++)
            if (plan->probes[k].proto == it->proto && strcmp(plan->probes[k].host, it->host) == 0) {
                same = k;
                break;
            }
        int ok;
        if (same < i) {
            ok = results[same].address[0] != '\0';
            if (ok) {
                addrs[i] = addrs[same];
                snprintf(r->address, sizeof r->address, "%s", addrs[i].text);
            } else
                memcpy(r->error, results[same].error, sizeof r->error);
        } else {
            ok = rkc_net_resolve(it->host, !tcp, &addrs[i], r->error, sizeof r->error) == 0;
            if (ok)
                snprintf(r->address, sizeof r->address, "%s", addrs[i].text);
        }
        if (!tcp) {
            r->result = "not-verifiable";
            r->note = "UDP cannot be verified by a connect; nothing was sent";
            r->error[0] = '\0';
            continue;
        }
        if (!ok) {
            r->result = "error";
            continue;
        }
        queue[nqueue++] = i;
    }

    size_t cap = rkc_net_max_parallel();
    if (max_parallel == 0 || max_parallel > cap)
        max_parallel = cap;
    if (max_parallel == 0)
        max_parallel = 1;
    slot *act = rkc_xcalloc(max_parallel, sizeof *act);
    rkc_sock *socks = rkc_xcalloc(max_parallel, sizeof *socks);
    rkc_conn *state = rkc_xcalloc(max_parallel, sizeof *state);
    char(*msgs)[64] = rkc_xcalloc(max_parallel, sizeof *msgs);
    size_t nact = 0;

    while (qhead < nqueue || nact > 0) {
        while (qhead < nqueue && nact < max_parallel) {
            size_t i = queue[qhead++];
            char err[64] = "";
            rkc_sock s = RKC_SOCK_NONE;
            uint64_t t0 = rkc_clock_ms();
            rkc_conn st = rkc_net_connect_start(&addrs[i], plan->probes[i].port, &s, err, sizeof err);
            if (st == RKC_CONN_PENDING) {
                act[nact].sock = s;
                act[nact].idx = i;
                act[nact].start = t0;
                nact++;
            } else {
                finish(&results[i], st, rkc_clock_ms() - t0, err);
                if (s != RKC_SOCK_NONE)
                    rkc_net_close(s);
            }
        }
        if (nact == 0)
            continue;
        uint64_t now = rkc_clock_ms();
        int64_t wait = timeout_ms;
        for (size_t k = 0; k < nact; k++) {
            int64_t left = (int64_t)(act[k].start + (uint64_t)timeout_ms) - (int64_t)now;
            if (left < wait)
                wait = left;
        }
        if (wait < 0)
            wait = 0;
        for (size_t k = 0; k < nact; k++) {
            socks[k] = act[k].sock;
            state[k] = RKC_CONN_PENDING;
            msgs[k][0] = '\0';
        }
        int rc = rkc_net_wait(socks, state, msgs, nact, (int)wait);
        now = rkc_clock_ms();
        size_t keep = 0;
        for (size_t k = 0; k < nact; k++) {
            rkc_probe_result *r = &results[act[k].idx];
            uint64_t ms = now - act[k].start;
            if (rc < 0) {
                finish(r, RKC_CONN_ERROR, ms, "waiting for the connection failed");
            } else if (state[k] != RKC_CONN_PENDING) {
                finish(r, state[k], ms, msgs[k]);
            } else if (ms >= (uint64_t)timeout_ms) {
                finish(r, RKC_CONN_TIMEDOUT, ms, NULL);
            } else {
                act[keep++] = act[k];
                continue;
            }
            rkc_net_close(act[k].sock);
        }
        nact = keep;
    }
    free(msgs);
    free(state);
    free(socks);
    free(act);
    free(queue);
    free(addrs);
}
