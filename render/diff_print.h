/* diff_print.h - `readykit diff` output. */
#ifndef RK_DIFF_PRINT_H
#define RK_DIFF_PRINT_H

#include <stdio.h>
#include "diff.h"

/* Prints the differences as text (grouped by host, a summary line at the end) or as
 * JSON (format readykit-diff/1). */
void rk_diff_print(const rk_diff *x, int json, FILE *fp);

#endif
