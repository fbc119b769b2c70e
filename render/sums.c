/* sums.c - SHA256SUMS over the staged documents of a render. */
#include "sums.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct sum {
    const char *name;
    char *line;
} sum;

static int cmp_name(const void *x, const void *y)
{
    return strcmp(((const sum *)x)->name, ((const sum *)y)->name);
}

/* One line as sha256sum writes it: "HASH  NAME\n", or with a leading backslash and the
 * name escaped when it holds a backslash, line feed or carriage return. */
static char *sum_line(const char *hash, const char *name)
{
    if (!strpbrk(name, "\\\n\r")) return rk_xasprintf("%s  %s\n", hash, name);
    rk_buf b = {0};
    rk_buf_printf(&b, "\\%s  ", hash);
    for (const char *p = name; *p; p++) {
        if (*p == '\\')
            rk_buf_puts(&b, "\\\\");
        else if (*p == '\n')
            rk_buf_puts(&b, "\\n");
        else if (*p == '\r')
            rk_buf_puts(&b, "\\r");
        else
            rk_buf_putc(&b, *p);
    }
    rk_buf_putc(&b, '\n');
    return rk_buf_take(&b);
}

rk_err rk_sums_write(rk_outset *o, char *err, size_t errlen)
{
    size_t n = rk_outset_count(o);
    sum *lines = rk_xcalloc(n ? n : 1, sizeof(sum));
    size_t k = 0;
    rk_err rc = RK_OK;
    for (size_t i = 0; i < n && rc == RK_OK; i++) {
        const char *name = rk_outset_name(o, i);
        if (!strcmp(name, RK_SUMS_NAME)) continue;
        char hash[65];
        const char *known = rk_outset_sha256(o, i);
        if (known) {
            memcpy(hash, known, 65);
        } else if (rk_sha256_file(rk_outset_staged(o, i), hash, err, errlen) != 0) {
            rc = RK_OUTPUT;
            break;
        }
        lines[k].name = name;
        lines[k++].line = sum_line(hash, name);
    }
    /* sorted by name: the same documents give the same file, whatever order they were
     * written in */
    qsort(lines, k, sizeof(sum), cmp_name);
    if (rc == RK_OK) {
        rk_out out;
        const char *path = rk_outset_stage(o, RK_SUMS_NAME);
        if (rk_out_open(&out, path, err, errlen) != 0) {
            rc = RK_OUTPUT;
        } else {
            for (size_t i = 0; i < k; i++)
                fputs(lines[i].line, out.fp);
            if (rk_out_commit(&out, err, errlen) != 0) rc = RK_OUTPUT;
        }
    }
    for (size_t i = 0; i < k; i++)
        free(lines[i].line);
    free(lines);
    return rc;
}
