/* diag.h - error codes of the renderer and the diagnostics loaders fill in. */
#ifndef RK_DIAG_H
#define RK_DIAG_H

#include <stddef.h>

/* Exit codes of `readykit`, one list so the enum and the messages cannot drift.
 * They are a contract: documented in --help and the README. */
#define RK_ERRNO_MAP(X)                                                              \
    X(OK, 0, "success")                                                              \
    X(THRESHOLD, 1, "the verdict or difference fails the --fail-on threshold")       \
    X(USAGE, 2, "bad command line")                                                  \
    X(INPUT, 3, "bad input file")                                                    \
    X(OUTPUT, 4, "output could not be written")                                      \
    X(INTERNAL, 5, "internal error")

typedef enum rk_err {
#define RK_ERR_ENUM(name, code, msg) RK_##name = code,
    RK_ERRNO_MAP(RK_ERR_ENUM)
#undef RK_ERR_ENUM
} rk_err;

const char *rk_err_str(rk_err e);

/* One diagnostic: where (line/col are 1-based, 0 when unknown) and what. */
typedef struct rk_diag {
    char file[1024];
    int line;
    int col;
    char msg[1024];
} rk_diag;

/* Fills d and returns RK_INPUT. The message says what is wrong and what was expected. */
rk_err rk_diag_set(rk_diag *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* "file:line:col: msg" (parts omitted when unknown) into out. */
void rk_diag_format(const rk_diag *d, char *out, size_t outlen);

/* Warnings collected while loading and evaluating; printed by the CLI (in English) and
 * listed in the documents (in their language), never fatal. A warning is a template key
 * (templates, keys warn.NAME) with named values, so that every language words it. */
typedef struct rk_warning {
    char *file;      /* may be NULL */
    int line, col;   /* 0 when unknown */
    char *key;       /* "warn.stale" */
    char **args;     /* name, value, name, value, ... */
    size_t nargs;    /* strings in args */
} rk_warning;

typedef struct rk_warnings {
    rk_warning *items;
    size_t count;
    size_t cap;
} rk_warnings;

/* Adds a warning: key, then name/value string pairs, then NULL. */
void rk_warn(rk_warnings *w, const char *file, int line, int col, const char *key, ...)
    __attribute__((sentinel));
/* Appends copies of every warning of from to to. */
void rk_warnings_append(rk_warnings *to, const rk_warnings *from);
void rk_warnings_free(rk_warnings *w);

#endif
