/* fw_export.h - import files for firewall-management tools, built from an assessment's
 * rules and flows: change-request traffic lines (firewall-traffic.csv/.xlsx), NetBox
 * services (firewall-netbox-services.csv) and PAN-OS security rules with the objects
 * they use (firewall-panos.csv, firewall-panos-objects.csv). Column names are the
 * tools' own, the same in every language; README.md ("Import files for firewall
 * tools") documents each column and its source. */
#ifndef RK_FW_EXPORT_H
#define RK_FW_EXPORT_H

#include "assess.h"
#include "doc.h"
#include "export_kinds.h"
#include "template.h"

/* One file of an export: a CSV table, or a workbook. */
typedef struct rk_fwx_file {
    char *name;       /* the document's name in the output folder */
    rk_table *table;  /* CSV: the rows (header row = column headers) */
    rk_doc *doc;      /* XLSX: the workbook (NULL for a CSV file) */
    int owns_table;   /* the table is this file's (else the workbook's) */
} rk_fwx_file;

typedef struct rk_fwx {
    rk_fwx_file *files;
    size_t n;
} rk_fwx;

/* Builds the files of the kinds in `kinds` (RK_FWX_*), in a fixed order. Only flows in
 * a rule are exported (a flow whose ends share no address family is in none); every
 * line names addresses of one family on each side, never IPv4 and IPv6 together. Words
 * (comments, descriptions) come from the template keys fwx.* in t's language; version
 * goes into the workbook's metadata. Caller frees with rk_fwx_free. */
rk_fwx *rk_fwx_build(const rk_assessment *a, rk_tmpl *t, unsigned kinds, const char *version);
void rk_fwx_free(rk_fwx *x); /* NULL is a no-op */

/* Excel's limit of a cell is 32,767 characters; a traffic line whose source or
 * destination cell would hold more is split into several lines (the same rule, sources
 * or destinations in parts), so that no address is cut off. */
#define RK_FWX_CELL_MAX 30000

/* The due date of a change window ("2026-12-05 22:00 to ..." -> "2026-12-05"): the
 * first YYYY-MM-DD date in it, into out; "" when it names none. */
void rk_fwx_window_start(const char *window, char out[11]);

#endif
