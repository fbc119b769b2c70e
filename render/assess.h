/* assess.h - one assessment as data: the loaded inputs, the findings of every
 * requirement on every host (with the evaluated reason, not words), the concrete flows
 * and firewall rules, waivers, attestations and verdicts. */
#ifndef RK_ASSESS_H
#define RK_ASSESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "diag.h"
#include "facts.h"
#include "project.h"
#include "schema.h"
#include "waivers.h"

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

/* ---- why a check came out as it did ------------------------------------------------- */

typedef enum rk_result { RK_R_PASS, RK_R_FAIL, RK_R_UNKNOWN, RK_R_NA } rk_result;

/* The reasons, each with its word in findings.json (`reason`) and its sentence in the
 * templates (`eval.<word with _>`). */
#define RK_REASON_MAP(X)                                                             \
    X(MET, "met")                                                                    \
    X(NO_FACT_FILE, "no-fact-file")                                                  \
    X(NOT_COLLECTED, "not-collected")                                                \
    X(COLLECT_ERROR, "collect-error")                                                \
    X(WRONG_TYPE, "wrong-type")                                                      \
    X(NOT_PRESENT, "not-present")                                                    \
    X(BELOW, "below")                                                                \
    X(ABOVE, "above")                                                                \
    X(NOT_EQUAL, "not-equal")                                                        \
    X(FLAG_WRONG, "flag-wrong")                                                      \
    X(NO_MATCH, "no-match")                                                          \
    X(VERSION_BELOW, "version-below")                                                \
    X(VERSION_UNSUPPORTED, "version-unsupported")                                    \
    X(NONE_MATCHING, "none-matching")                                                \
    X(PRESENT, "present")                                                            \
    X(EMPTY, "empty")                                                                \
    X(ELEMENTS, "elements")                                                          \
    X(COMBINED, "combined")                                                          \
    X(NEGATED, "negated")                                                            \
    X(DIFFERS, "differs")                                                            \
    X(NO_ROLE_HOLDER, "no-role-holder")                                              \
    X(OTHER_NOT_COLLECTED, "other-not-collected")                                    \
    X(ROLE_CONFLICT, "role-conflict")                                                \
    X(FLOWS_BLOCKED, "flows-blocked")                                                \
    X(FLOWS_INCOMPLETE, "flows-incomplete")                                          \
    X(NOT_PROBED, "not-probed")                                                      \
    X(NOT_APPLICABLE, "not-applicable")                                              \
    X(PARAMETER_NOT_SET, "parameter-not-set")                                        \
    X(MANUAL, "manual")                                                              \
    X(FLOW_BLOCKED, "flow-blocked")                                                  \
    X(NO_COMMON_FAMILY, "no-common-family")

typedef enum rk_reason {
#define RK_RS_ENUM(name, str) RK_RS_##name,
    RK_REASON_MAP(RK_RS_ENUM)
#undef RK_RS_ENUM
    RK_RS_COUNT
} rk_reason;

const char *rk_reason_str(rk_reason r);

/* The evaluated check: a tree that follows the check's own (sub-checks, list
 * elements). Pointers are borrowed from the schema, the project and the fact files,
 * which outlive it; `subs` is owned. */
typedef struct rk_outcome rk_outcome;
struct rk_outcome {
    rk_result result;
    rk_reason reason;
    const rk_check *check;    /* NULL for outcomes that come from no check */
    const char *fact;         /* the fact path read (NULL: none) */
    const cJSON *value;       /* its value as collected; NULL when not collected */
    const char *label;        /* a list element's name, a host's name, a parameter id */
    double limit;             /* min/max: the threshold (a ratio already applied) */
    const rk_version_branch *branch; /* version below this branch's minimum */
    const char *detail;       /* collect-error: the collector's message; wrong-type: what
                                 was expected ("a number", "a dotted version", ...) */
    uint32_t roles;           /* role-conflict: the roles that clash */
    size_t count, total;      /* flows: blocked (or unfinished) and probed flows */
    rk_outcome *subs;
    size_t nsubs;
};

void rk_outcome_free(rk_outcome *o); /* frees subs, not o itself */

/* ---- findings, flows, rules, inputs ----------------------------------------------------- */

typedef struct rk_finding {
    size_t host;          /* index into project hosts */
    size_t req;           /* index into schema requirements */
    rk_status status;     /* final status */
    rk_status original;   /* before waivers/attestations */
    rk_outcome why;       /* the evaluated reason (owned) */
    int flow;             /* >= 0: the finding is about this one blocked flow */
    const rk_waiver *waiver;          /* borrowed, when waived */
    const rk_attestation *attestation;/* borrowed, when attested */
    /* Words, filled by rk_explain_findings (document stage) in the document's
     * language; NULL before. */
    char *expected, *actual, *message;
} rk_finding;

/* One end of a flow: a project host, or an endpoint outside the project. */
typedef struct rk_end {
    char *name;                    /* the host's name, or "endpoint:<id>" */
    const char *title;             /* the host's name, or the endpoint's title */
    const rk_host *host;           /* NULL for an endpoint */
    const rk_endpoint *endpoint;   /* NULL for a host */
    char *const *addresses;        /* the host's addresses, or the endpoint's (the project's
                                      replacement when it gives one); borrowed */
    size_t naddresses;
    char *address_text;            /* the addresses joined with ", " ("" when none) */
    const char *zone;              /* the host's zone id; NULL for an endpoint (external) */
    unsigned char *address_families; /* RK_FAM_* (addr.h) of each address; owned */
    unsigned families;             /* the set of them; RK_FAM_NAME for a host without
                                      addresses (its FQDN or name stands in) */
} rk_end;

/* A concrete flow: one schema flow row (or several identical ones) between two ends.
 * An end is a project host (index < nhosts) or an endpoint (index nhosts + e, e into
 * the schema's endpoints); flows.h has the accessors. */
typedef struct rk_flow {
    char *id;             /* stable, e.g. F0001 */
    size_t from_host, to_host;
    uint32_t protocol;    /* exactly one of RK_PROTO_TCP / RK_PROTO_UDP */
    int port_from, port_to;
    int dynamic;
    char *service;        /* components joined */
    char *remark;         /* remarks joined */
    char *note;           /* notes joined (may be NULL) */
    int *rows;            /* schema rows it comes from, ascending */
    size_t nrows;
    int cross_zone;       /* 1: network firewall rule; 0: host firewall only */
    size_t *undecided;    /* parameters (schema indexes) its rows' `when` depends on and the
                             project does not set; the flow may not be needed */
    size_t nundecided;
    /* Probe evidence from the source host's fact file, if any (only for a flow a TCP
     * connect can verify). */
    char *probe_result;   /* open|closed|filtered|error|NULL (not probed) */
    double probe_ms;
    char *probe_at;       /* collected_at of the fact file that carried it */
    /* The address family (RK_FAM_*, addr.h) of each side: the flow uses the source's
     * addresses of src_family towards the destination's of dst_family. A flow never
     * mixes IPv4 and IPv6; one between ends of two families is one flow per family. Both
     * 0: the ends share no address family, no rule can carry the flow (it is in no
     * rule, and a finding says so). */
    unsigned src_family, dst_family;
} rk_flow;

/* A firewall rule: consolidated flows that share protocol and, per the grouping,
 * sources, destinations and ports. Host indexes are flow ends (see rk_flow). */
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
    int *rows;            /* schema rows covered, ascending */
    size_t nrows;
    int cross_zone;
    char *services;       /* joined */
    char *purpose;        /* joined remarks */
    char *verification;   /* summary of the probe results of its flows */
    unsigned src_family, dst_family; /* those of all its flows (never 0) */
} rk_rule;

typedef struct rk_input {
    char *kind;           /* project|schema|schema-text|facts|waivers|attestations|baseline */
    char *path;           /* display path */
    char *file;           /* the path as opened (for verification and attachments) */
    char sha256[65];
    char *host;           /* facts: host name */
    char *collector;      /* facts: "readykit-collect 0.1.0 (windows)" */
    char *collected_at;   /* facts */
    int stale;            /* facts older than 30 days at the assessment date */
    int missing;          /* facts file that does not exist */
    /* facts: the collect items the schema plans for the host, and what came back */
    char **planned;       /* item ids */
    size_t nplanned;
    char **unanswered;    /* planned, but neither in `collected` nor named in `errors` */
    size_t nunanswered;
    int old_plan;         /* the collector ran a plan without some planned items */
} rk_input;

typedef struct rk_assessment {
    rk_schema *schema;    /* owned */
    rk_project *project;  /* owned */
    rk_facts **facts;     /* per host, NULL when missing; owned */
    rk_input *inputs;
    size_t ninputs;
    rk_finding *findings;
    size_t nfindings;
    rk_end *ends;         /* flow ends: the project's hosts, then the schema's endpoints */
    size_t nends;
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
} rk_assessment;

void rk_assessment_free(rk_assessment *a);
/* Frees the findings and their words (rk_eval_all replaces them). */
void rk_findings_free(rk_assessment *a);

#endif
