/* readiness_fleet.h - the readiness report's PDF at fleet scale: hosts grouped by their
 * roles and findings, and findings grouped by requirement, instead of host by host. */
#ifndef RK_READINESS_FLEET_H
#define RK_READINESS_FLEET_H

#include "assess.h"
#include "doc.h"
#include "template.h"

/* Above this many hosts the readiness PDF groups hosts (README, "Readable at fleet
 * scale"); the project key pdf_host_detail_max and --pdf-host-detail-max change it. */
#define RK_PDF_HOST_DETAIL_MAX 50
/* At most this many host groups get a section of their own; the others are rows of the
 * groups table only. */
#define RK_FLEET_GROUP_SECTIONS 50

typedef struct rk_fleet rk_fleet;

/* Groups the hosts of a: hosts with the same roles and the same (requirement, status)
 * pairs, and with or without a fact file alike, form one group. by_host and
 * host_start are the findings by host in reading order (by_host[host_start[h] ..
 * host_start[h + 1]) are host h's); both must outlive the result, as must a and t.
 * Free with rk_fleet_free. */
rk_fleet *rk_fleet_new(const rk_assessment *a, rk_tmpl *t, const size_t *by_host,
                       const size_t *host_start, size_t detail_max);
void rk_fleet_free(rk_fleet *f); /* NULL is a no-op */

/* What the PDF-only parts say, each added to the section or document given:
 * the note under the verdict saying the report is grouped and where each host's
 * findings are; */
void rk_fleet_note(const rk_fleet *f, rk_section *s);
/* the blocking findings, one row per requirement and status with the hosts concerned; */
void rk_fleet_blocking(const rk_fleet *f, rk_section *s);
/* findings by zone (as findings by role); */
void rk_fleet_by_zone(const rk_fleet *f, rk_section *s);
/* the sections "Hosts" (a table of the groups) and "Host groups" (a section per group:
 * its hosts, then one row per requirement and status); */
void rk_fleet_hosts(const rk_fleet *f, rk_doc *d);
/* the remediation plan, one action per requirement and status with its hosts. */
void rk_fleet_remediation(const rk_fleet *f, rk_doc *d);

/* "63 hosts: wrk0001, wrk0002, ... and 53 more": hosts[0..n) (project indexes), the
 * first few by name. Caller frees. */
char *rk_fleet_hosts_text(const rk_assessment *a, rk_tmpl *t, const size_t *hosts, size_t n);

#endif
