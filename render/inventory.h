/* inventory.h - an Ansible inventory (YAML) of the project's hosts, grouped by role
 * and zone, so the project file stays the one source of truth for fleet collection. */
#ifndef RK_INVENTORY_H
#define RK_INVENTORY_H

#include <stdio.h>
#include "assess.h"

/* Writes the inventory to fp. Groups: role_<role> and zone_<zone> (ids with '-'
 * turned into '_'), all under `readykit`. Host variables: ansible_host (the address,
 * else the FQDN), readykit_fqdn, readykit_zone, readykit_roles, readykit_facts_file. */
void rk_inventory_write(const rk_assessment *a, FILE *fp);

#endif
