/* assess.h - one assessment: the loaded inputs, the findings of every requirement on
 * every host, the concrete flows and firewall rules, and the verdicts. */
#ifndef RK_ASSESS_H
#define RK_ASSESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "diag.h"
#include "facts.h"
#include "project.h"
#include "schema.h"

/* Statuses are a contract (DESIGN.md); the order is the severity order used in
 * sorting ("blocking first"). */
#define RK_STATUS_MAP(X)                                                             \
    X(FAIL, "fail")                                                                  \
    X(UNKNOWN, "unknown")                                                            \
    X(MANUAL, "manual")                                                              \
    X(WARN, "warn")                                                                  \
    X(WAIVED, "waived")                                                              \
    X(ATTESTED, "attested")                                                          \
    X(PASS, "pass")                                                                  \
    X(NA, "not-applicable")

typedef enum rk_status {
#define RK_ST_ENUM(name, str) RK_ST_##name,
    RK_STATUS_MAP(RK_ST_ENUM)
#undef RK_ST_ENUM
    RK_ST_COUNT
} rk_status;

#define RK_VERDICT_MAP(X)                                                            \
    X(NOT_READY, "not-ready")                                                        \
    X(INCOMPLETE, "incomplete")                                                      \
    X(EXCEPTIONS, "ready-with-exceptions")                                           \
    X(READY, "ready")

typedef enum rk_verdict {
#define RK_V_ENUM(name, str) RK_V_##name,
    RK_VERDICT_MAP(RK_V_ENUM)
#undef RK_V_ENUM
    RK_V_COUNT
} rk_verdict;

const char *rk_status_str(rk_status s);
int rk_status_parse(const char *s, rk_status *out);
const char *rk_verdict_str(rk_verdict v);
int rk_verdict_parse(const char *s, rk_verdict *out);

/* A waiver or attestation as loaded (issue: waivers and attestations). */
typedef struct rk_waiver {
    char *requirement, *hosts, *justification, *approved_by, *expires, *reference;
    int64_t expires_epoch;
    int line;
    char *file;
    int used;      /* matched at least one finding */
    int expired;   /* past its expiry at the assessment date */
} rk_waiver;

typedef struct rk_attestation {
    char *requirement, *hosts, *attested_by, *date, *evidence, *expires;
    int64_t expires_epoch;
    int line;
    char *file;
    int used;
    int expired;
} rk_attestation;

typedef struct rk_finding {
    size_t host;          /* index into project hosts */
    size_t req;           /* index into schema requirements */
    rk_status status;     /* final status */
    rk_status original;   /* before waivers/attestations */
    char *expected;       /* in words */
    char *actual;         /* as collected, formatted ("7.9 GiB", "not collected") */
    char *message;
    const rk_waiver *waiver;          /* borrowed, when waived */
    const rk_attestation *attestation;/* borrowed, when attested */
    int flow;             /* >= 0 when the finding comes from a blocked probe */
} rk_finding;

/* A concrete flow: one schema flow row (or several identical ones) between two hosts. */
typedef struct rk_flow {
    char *id;             /* stable, e.g. F0001 */
    size_t from_host, to_host;
    uint32_t protocol;    /* exactly one of RK_PROTO_TCP / RK_PROTO_UDP */
    int port_from, port_to;
    int dynamic;
    char *service;        /* components joined */
    char *remark;         /* remarks joined */
    char *note;           /* notes joined (may be NULL) */
    int *rows;            /* seed rows it comes from, ascending */
    size_t nrows;
    int cross_zone;       /* 1: network firewall rule; 0: host firewall only */
    /* Probe evidence from the source host's fact file, if any. */
    char *probe_result;   /* open|closed|filtered|error|not-verifiable|NULL (not probed) */
    double probe_ms;
    char *probe_at;       /* collected_at of the fact file that carried it */
} rk_flow;

/* A firewall rule: consolidated flows that share protocol and, per the grouping,
 * sources, destinations and ports. */
typedef struct rk_rule {
    char *id;             /* stable, e.g. R001 */
    char *src_zone, *dst_zone;
    size_t *src_hosts, *dst_hosts;
    size_t nsrc, ndst;
    uint32_t protocol;
    int (*ports)[2];      /* port ranges, ascending */
    size_t nports;
    size_t *flows;        /* indexes into flows[] */
    size_t nflows;
    int *rows;            /* seed rows covered, ascending */
    size_t nrows;
    int cross_zone;
    char *services;       /* joined */
    char *purpose;        /* joined remarks */
    char *verification;   /* summary of the probe results of its flows */
} rk_rule;

typedef struct rk_input {
    char *kind;           /* project|schema|facts|waivers|attestations|baseline */
    char *path;           /* as given / resolved */
    char sha256[65];
    char *host;           /* facts: host name */
    char *collector;      /* facts: "readykit-collect 0.1.0 (windows)" */
    char *collected_at;   /* facts */
    int stale;            /* facts older than 30 days at the assessment date */
    int missing;          /* facts file that does not exist */
} rk_input;

typedef struct rk_assessment {
    rk_schema *schema;    /* owned */
    rk_project *project;  /* owned */
    rk_facts **facts;     /* per host, NULL when missing; owned */
    rk_input *inputs;
    size_t ninputs;
    rk_finding *findings;
    size_t nfindings;
    rk_flow *flows;
    size_t nflows;
    rk_rule *rules;
    size_t nrules;
    rk_waiver *waivers;
    size_t nwaivers;
    rk_attestation *attestations;
    size_t nattestations;
    rk_verdict verdict;
    rk_verdict *host_verdicts; /* per host */
    int64_t date;         /* assessment date (SOURCE_DATE_EPOCH or newest collected_at) */
    char digest[65];      /* SHA-256 over the sorted "sha256  kind:path" lines of inputs */
    rk_warnings warnings;
    /* Per host: probed and blocked TCP flows starting there (filled by rk_eval_all so
     * that the `flows` check costs one pass over the flows, not one per host). */
    size_t *probed_from, *blocked_from;
} rk_assessment;

/* Evaluates every requirement on every host of the project (facts already loaded). */
void rk_eval_all(rk_assessment *a);
/* Evaluates one requirement on one host; fills status/expected/actual/message. */
void rk_eval_one(const rk_assessment *a, size_t host, size_t req, rk_finding *out);
/* Computes per-host and overall verdicts from the findings. */
void rk_eval_verdicts(rk_assessment *a);
rk_verdict rk_verdict_of(const rk_assessment *a, const rk_finding *f, size_t n);

/* Expands the schema's flow rows over the inventory into a->flows, merges probe
 * evidence from the fact files, consolidates rules into a->rules (render/flows.c). */
void rk_flows_expand(rk_assessment *a);
void rk_flows_rules(rk_assessment *a);
/* Writes the probe plan of one host to fp (render/flows.c). */
rk_err rk_plan_write(const rk_assessment *a, size_t host, FILE *fp);

void rk_assessment_free(rk_assessment *a);

#endif
