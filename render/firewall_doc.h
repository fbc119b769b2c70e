/* firewall_doc.h - builds the firewall-rule request (firewall.pdf / firewall.xlsx) and
 * the firewall.csv table from an assessment's flows and rules. */
#ifndef RK_FIREWALL_DOC_H
#define RK_FIREWALL_DOC_H

#include "assess.h"
#include "doc.h"
#include "template.h"

/* Builds the firewall-rule request: cover with the change request, inputs and their
 * digests, zone diagram, network rules grouped by zone pair, host-firewall rules,
 * flows, probe results and sign-off. Wording comes from the template keys `fw.*`
 * (templates/firewall.<lang>.yaml); version is the readykit version on the cover.
 * Expects rk_flows_expand and rk_flows_rules to have run. Caller frees with
 * rk_doc_free. */
rk_doc *rk_firewall_build(const rk_assessment *a, rk_tmpl *t, const char *version);

/* The firewall.csv table: a header row and one row per rule, in rule order, with the
 * columns rule, change_id, review_date, source_zone, source_hosts, source_addresses,
 * destination_zone, destination_hosts, destination_addresses, protocol, ports,
 * services, purpose, seed_rows, flows, scope, verification, address_family. The
 * addresses are those of the rule's family on each side (a rule never mixes IPv4,
 * IPv6 and names); address_family is ipv4, ipv6 or name. Column names and values
 * are a contract for firewall management tools and do not depend on the language:
 * lists are comma-separated ("88,135,49152-65535"), texts joined with "; ", scope is
 * network|host, verification is the rule's summary ("open:3 not-probed:1"). The
 * change ID and review date repeat on every rule and are empty when the project
 * records no change. t is not read today; it is taken so that a caller need not
 * change if the table ever gains translated columns. Free with
 * rk_firewall_csv_table_free. */
rk_table *rk_firewall_csv_table(const rk_assessment *a, rk_tmpl *t);
void rk_firewall_csv_table_free(rk_table *table); /* NULL is a no-op */

#endif
