/* diag.c - error code names and diagnostics. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *rk_err_str(rk_err e)
{
    switch (e) {
#define RK_ERR_CASE(name, code, msg)                                                   \
    case RK_##name:                                                                    \
        return msg;
        RK_ERRNO_MAP(RK_ERR_CASE)
#undef RK_ERR_CASE
    }
    return "unknown error";
}

rk_err rk_diag_set(rk_diag *d, const char *file, int line, int col, const char *fmt, ...)
{
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    d->line = line;
    d->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    return RK_INPUT;
}

void rk_diag_format(const rk_diag *d, char *out, size_t outlen)
{
    if (d->file[0] && d->line > 0 && d->col > 0)
        snprintf(out, outlen, "%s:%d:%d: %s", d->file, d->line, d->col, d->msg);
    else if (d->file[0] && d->line > 0)
        snprintf(out, outlen, "%s:%d: %s", d->file, d->line, d->msg);
    else if (d->file[0])
        snprintf(out, outlen, "%s: %s", d->file, d->msg);
    else
        snprintf(out, outlen, "%s", d->msg);
}

void rk_warn(rk_warnings *w, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = rk_xvasprintf(fmt, ap);
    va_end(ap);
    rk_diag d;
    memset(&d, 0, sizeof d);
    snprintf(d.file, sizeof d.file, "%s", file ? file : "");
    d.line = line;
    d.col = col;
    snprintf(d.msg, sizeof d.msg, "%s", msg);
    free(msg);
    char out[2200];
    rk_diag_format(&d, out, sizeof out);
    if (w->count == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 16;
        w->items = rk_xrealloc(w->items, w->cap * sizeof(char *));
    }
    w->items[w->count++] = rk_xstrdup(out);
}

void rk_warnings_free(rk_warnings *w)
{
    rk_strv_free(w->items, w->count);
    memset(w, 0, sizeof(*w));
}
