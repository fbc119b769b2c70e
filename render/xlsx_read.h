/* xlsx_read.h - reads the cell values of an XLSX workbook (Office Open XML): sheet names
 * in workbook order, shared and inline strings, numbers and booleans as the spreadsheet
 * program saved them. Nothing is computed: a formula cell gives the value last saved
 * with it. A workbook is untrusted input: parts, strings and cells are bounded and a
 * DOCTYPE (entities) is refused. */
#ifndef RK_XLSX_READ_H
#define RK_XLSX_READ_H

#include <stddef.h>
#include "diag.h"

#define RK_XLSX_READ_MAX_PART (256u * 1024u * 1024u)    /* bytes of one part, decompressed */
#define RK_XLSX_READ_MAX_STRINGS (128u * 1024u * 1024u) /* bytes of all shared strings */
#define RK_XLSX_READ_MAX_CELLS 2000000u                 /* cells kept of one sheet */
#define RK_XLSX_READ_MAX_TEXT (128u * 1024u)            /* bytes of one cell's text */

typedef struct rk_xcell {
    unsigned row, col; /* 1-based */
    char *text;        /* the value as text, valid UTF-8 ("" never stored) */
    int is_number;     /* a number cell: value holds it, text its shortest form */
    double value;
} rk_xcell;

typedef struct rk_xbook rk_xbook;

/* 1 when the file's name ends in ".xlsx" (any case): the inputs read as a workbook. */
int rk_xlsx_named(const char *path);

/* Opens a workbook: its sheets, their names and the shared strings. NULL with d filled
 * (d->file is path) when it is not a readable workbook. sha256 (may be NULL) receives
 * the SHA-256 of the file's bytes. */
rk_xbook *rk_xlsx_open(const char *path, char sha256[65], rk_diag *d);
void rk_xlsx_close(rk_xbook *b); /* NULL is a no-op */

size_t rk_xlsx_nsheets(const rk_xbook *b);
const char *rk_xlsx_sheet_name(const rk_xbook *b, size_t i);
/* 1 when the workbook counts dates from 1904 (older Mac workbooks), else 1900. */
int rk_xlsx_date1904(const rk_xbook *b);

/* Reads the cells of sheet i in document order (rows top-down, cells left to right).
 * max_row > 0 stops after that row (to look at the top of a large sheet cheaply).
 * Empty cells are left out. On RK_OK *cells (caller frees with rk_xlsx_cells_free)
 * holds *n cells. */
rk_err rk_xlsx_sheet_cells(rk_xbook *b, size_t i, unsigned max_row, rk_xcell **cells, size_t *n,
                           rk_diag *d);
void rk_xlsx_cells_free(rk_xcell *cells, size_t n);

/* "E7" for row 7, column 5 (out holds at least 16 bytes). */
void rk_xlsx_cell_name(unsigned row, unsigned col, char *out, size_t outlen);
/* A serial date of the workbook's date system as YYYY-MM-DD (the time of day, if any, is
 * dropped). Returns 0, or -1 when the number is no date from 1900-03-01 to 9999-12-31. */
int rk_xlsx_serial_date(const rk_xbook *b, double serial, char out[11]);

#endif
