/* lsan_probe.c - leaks on purpose, for xlsx_lsan_suppression: lxw_strdup or rk_xstrdup
 * memory dropped by our own code (must be reported with lsan.supp active), or only the
 * list-validation range string libxlsxwriter itself leaks (must be suppressed). */
#include <stdio.h>
#include <string.h>

#include <xlsxwriter.h>

#include "util.h"

/* Where the leaked copies pass through, so that the compiler keeps the allocations. */
char *volatile lsan_probe_keep;

/* Our own helper that copies with the library's allocator. */
static char *our_copy(const char *s) { return lxw_strdup(s); }

static int library_leak(const char *path)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb) return 2;
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    lxw_data_validation dv = {0};
    char range[] = "=$A$1:$A$3";
    dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    dv.value_formula = range;
    if (worksheet_data_validation_range(ws, 0, 1, 9, 1, &dv) != LXW_NO_ERROR) return 2;
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 2;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "ours-lxw") == 0) {
        lsan_probe_keep = our_copy("leaked by our code through lxw_strdup");
        lsan_probe_keep = NULL; /* the copy is now unreachable: a leak */
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "ours-rk") == 0) {
        lsan_probe_keep = rk_xstrdup("leaked by our code through rk_xstrdup");
        lsan_probe_keep = NULL;
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "library") == 0) return library_leak(argv[2]);
    fprintf(stderr, "usage: lsan_probe ours-lxw | ours-rk | library FILE.xlsx\n");
    return 2;
}
