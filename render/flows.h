/* flows.h - the schema's network table expanded over the inventory into concrete flows
 * and consolidated into firewall rules, with the helpers the documents share. */
#ifndef RK_FLOWS_H
#define RK_FLOWS_H

#include <stddef.h>
#include <stdint.h>
#include "addr.h"
#include "assess.h"
#include "util.h"

/* Verification state of a flow. The words are a contract (findings.json, CSV). The
 * order is the severity order: a rule shows the first state any of its flows has. */
#define RK_FW_STATE_MAP(X)                                                           \
    X(CLOSED, "closed")                                                              \
    X(FILTERED, "filtered")                                                          \
    X(ERROR, "error")                                                                \
    X(NOT_PROBED, "not-probed")                                                      \
    X(NOT_VERIFIABLE, "not-verifiable")                                              \
    X(OPEN, "open")

typedef enum rk_fw_state {
#define RK_FW_STATE_ENUM(name, str) RK_FW_##name,
    RK_FW_STATE_MAP(RK_FW_STATE_ENUM)
#undef RK_FW_STATE_ENUM
    RK_FW_STATE_COUNT
} rk_fw_state;

/* "closed", "filtered", ... for a state; "?" for an out-of-range value. */
const char *rk_fw_state_str(rk_fw_state s);

/* "tcp" or "udp" for RK_PROTO_TCP / RK_PROTO_UDP; "?" otherwise. */
const char *rk_flows_proto_str(uint32_t protocol);

/* 1 when a TCP connect can verify the flow: TCP, one port, not a dynamic range. */
int rk_flows_probeable(const rk_flow *f);

/* The flow's state, the one judge of probe evidence: not-verifiable for any flow a TCP
 * connect cannot verify (UDP, dynamic or a range), whatever a fact file says; else its
 * probe result, or not-probed. */
rk_fw_state rk_flows_state(const rk_flow *f);

/* Expands the schema's flow rows (those whose `when` is not false) over the project's
 * hosts and the schema's endpoints into a->ends and a->flows, and merges the probe
 * evidence of the fact files. */
void rk_flows_expand(rk_assessment *a);
/* Consolidates the flows into a->rules. */
void rk_flows_rules(rk_assessment *a);

/* What a probe or a firewall rule names first for an end: its first address, else the
 * host's FQDN, else its name. Borrowed. */
const char *rk_end_target(const rk_end *e);
/* 1 when an address can be probed by a TCP connect: not a wildcard name or CIDR block. */
int rk_end_probeable_name(const char *s);

/* The targets of end e on a side whose family is fam (RK_FAM_*, addr.h): its addresses
 * of that family; for RK_FAM_NAME the names among them, or the FQDN (else the name) of a
 * host without addresses. Writes at most max borrowed pointers into out (out may be
 * NULL when max is 0) and returns how many there are. */
size_t rk_end_targets(const rk_end *e, unsigned fam, const char **out, size_t max);
/* Appends the targets of e in fam to b, separated by sep (nothing when none). */
void rk_end_targets_str(rk_buf *b, const rk_end *e, unsigned fam, const char *sep);
/* The family of a flow: ipv4, ipv6, name (a side is a name) or 0 when its ends share
 * no address family (see rk_flow). */
unsigned rk_flow_family(const rk_flow *f);

/* Zone order of each end (an array of a->nends entries, caller frees): the index of
 * its zone among the project's zones, in their order; zones the project does not list
 * follow, in order of first use; then one external zone for all endpoints. Rules and
 * documents order zone pairs by it. */
size_t *rk_flows_zone_order(const rk_assessment *a);
/* Number of zone indexes rk_flows_zone_order used. */
size_t rk_flows_zone_count(const rk_assessment *a, const size_t *hz);

/* Sorts port ranges ({from, to}) and joins overlapping or touching ones in place, so
 * that no port is added or lost; returns the new count. */
size_t rk_flows_ports_merge(int (*ports)[2], size_t n);

/* Appends port ranges as a list, "88,135,389,445,49152-65535", to out. */
void rk_flows_ports_str(rk_buf *out, const int (*ports)[2], size_t n);

/* Indexes (into a->flows, ascending) of the flows a probe showed blocked: a probeable
 * TCP flow whose matching probe result is closed or filtered. Writes at most max
 * indexes into out (out may be NULL when max is 0) and returns how many flows are
 * blocked in all, so a caller can size a second call. */
size_t rk_flows_blocked(const rk_assessment *a, size_t *out, size_t max);

/* For each flow, the index of the rule (into a->rules) that covers it, or SIZE_MAX
 * when rules were not built. Returns an array of a->nflows entries; the caller frees
 * it (NULL when there are no flows). */
size_t *rk_flows_rule_of(const rk_assessment *a);

/* Frees a->flows and a->rules and sets both counts to 0. rk_flows_expand and
 * rk_flows_rules call it for what they replace; rk_assessment_free calls it. */
void rk_flows_free(rk_assessment *a);

#endif
