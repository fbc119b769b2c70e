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

static rk_warning *warn_slot(rk_warnings *w)
{
    if (w->count == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 16;
        w->items = rk_xrealloc(w->items, w->cap * sizeof(rk_warning));
    }
    rk_warning *x = &w->items[w->count++];
    memset(x, 0, sizeof(*x));
    return x;
}

void rk_warn(rk_warnings *w, const char *file, int line, int col, const char *key, ...)
{
    if (!w) return;
    rk_warning *x = warn_slot(w);
    x->file = rk_xstrdup(file);
    x->line = line;
    x->col = col;
    x->key = rk_xstrdup(key);
    va_list ap;
    va_start(ap, key);
    for (;;) {
        const char *name = va_arg(ap, const char *);
        if (!name) break;
        const char *value = va_arg(ap, const char *);
        x->args = rk_xrealloc(x->args, (x->nargs + 2) * sizeof(char *));
        x->args[x->nargs++] = rk_xstrdup(name);
        x->args[x->nargs++] = rk_xstrdup(value ? value : "");
    }
    va_end(ap);
}

void rk_warnings_append(rk_warnings *to, const rk_warnings *from)
{
    for (size_t i = 0; i < from->count; i++) {
        const rk_warning *f = &from->items[i];
        rk_warning *x = warn_slot(to);
        x->file = rk_xstrdup(f->file);
        x->line = f->line;
        x->col = f->col;
        x->key = rk_xstrdup(f->key);
        x->nargs = f->nargs;
        x->args = rk_xcalloc(f->nargs ? f->nargs : 1, sizeof(char *));
        for (size_t k = 0; k < f->nargs; k++) x->args[k] = rk_xstrdup(f->args[k]);
    }
}

void rk_warnings_free(rk_warnings *w)
{
    for (size_t i = 0; i < w->count; i++) {
        free(w->items[i].file);
        free(w->items[i].key);
        rk_strv_free(w->items[i].args, w->items[i].nargs);
    }
    free(w->items);
    memset(w, 0, sizeof(*w));
}
