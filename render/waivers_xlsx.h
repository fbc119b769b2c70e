/* waivers_xlsx.h - a waiver register kept in a workbook (the Waivers sheet of
 * readiness.xlsx, edited and saved, or any sheet laid out like it) read as the tree of a
 * readykit-waivers/1 file, so that one set of rules checks both. waivers.c reads a file
 * whose name ends in .xlsx this way. */
#ifndef RK_WAIVERS_XLSX_H
#define RK_WAIVERS_XLSX_H

#include "diag.h"
#include "yaml_tree.h"

/* The layout read (every other cell is ignored):
 *
 *   ...                   rows above: title, notes
 *   Format (format)       readykit-waivers/1     the first sheet with such a row (a
 *                                                heading ending in "(format)", or "format")
 *                                                within its first 40 rows is the register
 *   Schema (schema)       <schema id>            optional
 *   Requirement (requirement) | Hosts (hosts) | ... the heading row: the first row below
 *                                                that names a waiver key, "Words (key)"
 *                                                or the bare key, in any column order
 *   one waiver a row                             rows without a value in a key column
 *                                                are skipped
 *
 * A heading in brackets that names no key is refused (a mistyped key); a heading without
 * brackets that is no key is a column of notes and ignored. Empty cells leave the key
 * out. Dates saved as dates (serial numbers) become YYYY-MM-DD; line breaks in a hosts
 * cell separate hosts like commas. Each node's line and column are its cell's row and
 * column; an entry sits at the cell of the first required key it lacks, else at the
 * start of its row.
 *
 * Returns the tree (format, schema, waivers) or NULL with d filled. sha256 (may be NULL)
 * receives the SHA-256 of the workbook's bytes; *sheet the register's sheet name (caller
 * frees). */
rk_node *rk_waivers_xlsx_tree(const char *path, char sha256[65], char **sheet, rk_diag *d);

/* Adds the sheet and cell to a message about a node of such a tree:
 * "... (sheet 'Waivers', cell D9)". */
void rk_waivers_xlsx_where(rk_diag *d, const char *sheet);

#endif
