/* export_kinds.h - the kinds of import file for firewall-management tools that a
 * render can write besides firewall.csv (`--firewall-export`, `firewall_exports:`). */
#ifndef RK_EXPORT_KINDS_H
#define RK_EXPORT_KINDS_H

#include <stddef.h>

/* Kind words are a contract (command line, project file). */
#define RK_FWX_TRAFFIC 1u /* firewall-traffic.csv and .xlsx: change-request traffic lines */
#define RK_FWX_NETBOX 2u  /* firewall-netbox-services.csv: NetBox services import */
#define RK_FWX_PANOS 4u   /* firewall-panos.csv and firewall-panos-objects.csv */
#define RK_FWX_ALL 7u

/* The words: "traffic", "netbox-services", "panos" (and "all", "none" when parsing). */
const char *rk_fwx_kind_str(unsigned kind);

/* Adds the kinds a comma-separated text names to *mask ("traffic,panos", "all"; "none"
 * clears it). Returns 0, or -1 with the first unknown word copied into bad. */
int rk_fwx_parse(const char *text, unsigned *mask, char *bad, size_t badlen);

/* "traffic, netbox-services, panos, all or none": what a message lists as expected. */
const char *rk_fwx_expected(void);

#endif
