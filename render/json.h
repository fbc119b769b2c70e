/* json.h - JSON files read with cJSON, keeping the position of every value so that
 * every message names a line and column; bounded, and sanitised for untrusted input.
 * One reader serves fact files, findings files and the fact-file schema. */
#ifndef RK_JSON_H
#define RK_JSON_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "diag.h"

typedef struct rk_json rk_json;

typedef struct rk_json_opts {
    int max_depth;       /* nesting limit of objects and lists */
    int sanitize;        /* 1: invalid UTF-8 and control characters in strings and keys
                            are replaced by U+FFFD with a warning (untrusted files);
                            0: they are an error */
    const char *expect;  /* what the file should be, for messages: "a JSON fact file
                            from readykit-collect" */
    const char *inexact_ok; /* a key path prefix ("collected"): numbers beyond 2^53 under
                               it are kept, rounded, with a warning (values read as they
                               are, such as a registry QWORD), instead of refused;
                               NULL: refused everywhere */
    const char *const *skip; /* top-level members whose values are not read (NULL-
                                terminated; NULL: none): blanked before parsing, their
                                lines kept, so every other position is unchanged. Such a
                                member reads as an empty list or object, and nothing
                                inside it is checked; a fleet's flows are never a tree */
} rk_json_opts;

/* Parses buf[0..len) (buf[len] must be NUL; text already normalised to UTF-8). Refuses,
 * with file:line:col: syntax errors (naming a truncated file as such), NUL bytes and the
 * \u0000 escape, nesting deeper than o->max_depth, duplicate keys (compared after any
 * replacement, so two keys that become equal are refused too), numbers that are not
 * finite or beyond 2^53 (a double would alter them). Returns the document or NULL with
 * d filled; warnings (replacements) go to w. */
rk_json *rk_json_parse(const char *path, const char *buf, size_t len, const rk_json_opts *o,
                       rk_diag *d, rk_warnings *w);
/* The same, taking buf (malloc'd, buf[len] NUL) instead of copying it: a file of hundreds
 * of MB is held once. buf is freed with the document, or at once on failure. */
rk_json *rk_json_parse_owned(const char *path, char *buf, size_t len, const rk_json_opts *o,
                             rk_diag *d, rk_warnings *w);
/* Reads the file (at most max_bytes; a byte-order mark or UTF-16 with one is accepted)
 * and parses it. sha256, when not NULL, receives the hash of the bytes as read. */
rk_json *rk_json_load(const char *path, size_t max_bytes, const rk_json_opts *o,
                      char sha256[65], rk_diag *d, rk_warnings *w);
void rk_json_free(rk_json *j); /* NULL is a no-op */

/* The parsed tree; owned by j. rk_json_take hands it to the caller (who then frees it
 * with cJSON_Delete); positions stay readable until rk_json_free. */
const cJSON *rk_json_root(const rk_json *j);
cJSON *rk_json_take(rk_json *j);
const char *rk_json_path(const rk_json *j);

/* 1-based line and column where node's value starts (for an object member, where its
 * key starts); 0 and 0 for a node that is not from this document. */
void rk_json_where(const rk_json *j, const cJSON *node, int *line, int *col);
/* Fills d at node's position and returns RK_INPUT. */
rk_err rk_json_error(const rk_json *j, const cJSON *node, rk_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A short word for a value's type in messages: "a string", "a number", "null", ... */
const char *rk_json_kind(const cJSON *v);
/* Up to max bytes of untrusted text for a message: one line, cut at a character
 * boundary, control characters and invalid UTF-8 shown as U+FFFD. */
void rk_json_show(const char *s, size_t max, char *out, size_t outlen);

/* 1-based line and column of byte offset off in buf. */
void rk_offset_to_linecol(const char *buf, size_t len, size_t off, int *line, int *col);

#endif
