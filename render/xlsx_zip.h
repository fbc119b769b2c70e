/* xlsx_zip.h - the zlib level of a large workbook's zip entries (see xlsx_zip.c). */
#ifndef RK_XLSX_ZIP_H
#define RK_XLSX_ZIP_H

/* 1: zip entries the calling thread creates from now on are deflated at zlib level 1
 * instead of the default level 6; 0: back to the default. For the XLSX writer only. */
void rk_xlsx_zip_fast(int on);

#endif
