/* json.h - streaming JSON writer into a growable buffer, with UTF-8 repair and escaping. */
#ifndef RKC_JSON_H
#define RKC_JSON_H

#include <stddef.h>
#include <stdint.h>

#define RKC_JSON_MAX_DEPTH 32

/* A growable byte buffer. Zero-initialised is empty; rkc_buf_free releases it. */
typedef struct rkc_buf {
    char *data;
    size_t len, cap;
} rkc_buf;

/* Appends n bytes (aborts with a message when memory runs out). */
void rkc_buf_add(rkc_buf *b, const void *p, size_t n);
void rkc_buf_adds(rkc_buf *b, const char *s);
void rkc_buf_free(rkc_buf *b);

/* Appends s[0..n) as the inside of a JSON string: '"' and '\\' escaped, control
 * characters as \n \r \t \b \f or \u00XX, DEL as \u007f. Invalid UTF-8 (overlong forms,
 * surrogates, code points above U+10FFFF, truncated sequences, stray continuation
 * bytes) and NUL bytes are replaced by U+FFFD, one per maximal invalid subpart.
 * Returns the number of replacements made. */
size_t rkc_json_escape(rkc_buf *b, const char *s, size_t n);

/* The writer. Values are written in document order; inside an object every value is
 * preceded by rkc_json_key. Misuse (a value without a key inside an object, unbalanced
 * ends, nesting deeper than RKC_JSON_MAX_DEPTH) sets an error that rkc_json_finish
 * reports, so a bug never produces a malformed document silently. */
typedef struct rkc_json {
    rkc_buf out;
    int depth;
    int indent;                              /* spaces per level; 0 = compact */
    int have_key;                            /* a key was written, its value is due */
    int error;                               /* misuse detected */
    int done;                                /* the top-level value is complete */
    int base;                                /* member writer: depth of its object */
    unsigned char in_object[RKC_JSON_MAX_DEPTH + 1];
    unsigned char count[RKC_JSON_MAX_DEPTH + 1]; /* 0 = container still empty */
} rkc_json;

void rkc_json_init(rkc_json *j, int indent);
void rkc_json_free(rkc_json *j);

void rkc_json_key(rkc_json *j, const char *key);
void rkc_json_begin_object(rkc_json *j);
void rkc_json_end_object(rkc_json *j);
void rkc_json_begin_array(rkc_json *j);
void rkc_json_end_array(rkc_json *j);
/* A NULL s writes null. */
void rkc_json_string(rkc_json *j, const char *s);
void rkc_json_string_len(rkc_json *j, const char *s, size_t n);
void rkc_json_int(rkc_json *j, int64_t v);
void rkc_json_uint(rkc_json *j, uint64_t v);
void rkc_json_bool(rkc_json *j, int v);
void rkc_json_null(rkc_json *j);

/* Starts a writer for members of an object nested depth levels deep (1 = the top-level
 * object), to be spliced into another writer's object with rkc_json_splice: lets a
 * caller write members whose values are only known after later members. */
void rkc_json_init_members(rkc_json *j, int indent, int depth);

/* Appends the members written by m (balanced, created by rkc_json_init_members at j's
 * current depth) to the object j is writing. Misuse sets j's error. */
void rkc_json_splice(rkc_json *j, const rkc_json *m);

/* Ends the document with a newline. Returns 0 and the borrowed text (valid until
 * rkc_json_free) when one complete, well-formed value was written, else -1. */
int rkc_json_finish(rkc_json *j, const char **text, size_t *len);

#endif
