/* project.h - the project file (format readykit-project/1): customer, parameters,
 * zones, hosts with roles, sign-off roles and the firewall change block. */
#ifndef RK_PROJECT_H
#define RK_PROJECT_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "schema.h"

typedef struct rk_host {
    char *name;
    char *fqdn;
    char **addresses; /* IPv4 and IPv6 addresses, in the project's order */
    size_t naddresses;
    char *address;    /* the addresses joined with ", " ("" when none), for display */
    char *zone;       /* zone id */
    uint32_t roles;   /* bit mask over schema roles */
    char *facts_path; /* resolved path of the fact file */
    int line;
} rk_host;

typedef struct rk_change {
    int present;
    char *id, *requester, *justification, *window, *review_date;
    char **contacts;
    size_t ncontacts;
} rk_change;

typedef struct rk_project {
    char *path;
    char *dir;             /* folder of the project file: relative paths start here */
    char sha256[65];
    char *customer, *project, *assessment_id, *schema_id, *language;
    int language_line, language_col; /* where `language` is written (0 when absent) */
    uint32_t scenarios;    /* bit mask over schema scenarios */
    int scenarios_set;     /* parameters.scenarios is given */
    rk_pvalue *params;     /* one per schema parameter, in the schema's order: the
                              project's value, else the default; .set 0 when neither */
    int *params_given;     /* 1 where the project itself sets the parameter */
    char ***endpoint_addresses; /* per schema endpoint: the project's replacement
                                   list (NULL: the schema's) */
    size_t *endpoint_naddresses;
    size_t nparams, nendpoints;
    rk_named *zones;
    size_t nzones;
    rk_host *hosts;
    size_t nhosts;
    char **signoff;        /* sign-off roles, e.g. "Change Advisory Board" */
    size_t nsignoff;
    rk_change change;
    char *waivers_path;    /* optional, resolved */
    char *attestations_path;
    int pdf_host_detail_max_set; /* pdf_host_detail_max: above this many hosts the */
    long pdf_host_detail_max;    /* readiness PDF groups hosts (_set 0: not given) */
    unsigned firewall_exports; /* RK_FWX_* (export_kinds.h): `firewall_exports` */
} rk_project;

/* Reads the project file far enough to know its schema id (so the schema can be
 * found), then validates everything against that schema. schema_dir is where
 * schema files are looked up (<schema_dir>/<id>.yaml). */
rk_project *rk_project_load(const char *path, const rk_schema *schema, rk_diag *d);
/* Returns the `schema` key of a project file (caller frees) or NULL with d filled. */
char *rk_project_schema_id(const char *path, rk_diag *d);
void rk_project_free(rk_project *p);
int rk_project_host(const rk_project *p, const char *name);

#endif
