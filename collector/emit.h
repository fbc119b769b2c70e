/* emit.h - how fact collectors report: values into the JSON writer, failures into errors[]. */
#ifndef RKC_EMIT_H
#define RKC_EMIT_H

#include <stddef.h>
#include <stdint.h>
#include "json.h"

/* Outcome of reading one fact, generated with its message from one list. */
#define RKC_STATUS_MAP(X)                                                    \
    X(OK, "ok", "ok")                                                        \
    X(NOT_FOUND, "not present", "absent")                                    \
    X(UNSUPPORTED, "not supported on this platform", "unsupported")          \
    X(ACCESS_DENIED, "access denied", "access-denied")                       \
    X(FAILED, "failed", "failed")

typedef enum rkc_status {
#define RKC_STATUS_ENUM(name, msg, code) RKC_##name,
    RKC_STATUS_MAP(RKC_STATUS_ENUM)
#undef RKC_STATUS_ENUM
} rkc_status;

/* Human message and errors[].code for a status. */
const char *rkc_status_message(rkc_status st);
const char *rkc_status_code(rkc_status st);

typedef struct rkc_fact_error {
    char *fact, *message;
    rkc_status status;
} rkc_fact_error;

/* The fact emitter: the JSON writer plus the dotted path of the object being filled,
 * so that a failure is recorded under its full key ("settings.tls12.server_enabled"). */
typedef struct rkc_emit {
    rkc_json *json;
    char path[512];
    size_t plen[RKC_JSON_MAX_DEPTH + 1];
    int depth;
    rkc_fact_error *errors;
    size_t nerrors, caperrors;
} rkc_emit;

void rkc_emit_init(rkc_emit *e, rkc_json *j);
/* Frees the recorded errors (not the writer). */
void rkc_emit_free(rkc_emit *e);

/* Objects and arrays. key is NULL for an element of an array (its path gets "[i]"
 * with i given by the caller through rkc_emit_elem_object). */
void rkc_emit_object_begin(rkc_emit *e, const char *key);
void rkc_emit_object_end(rkc_emit *e);
void rkc_emit_array_begin(rkc_emit *e, const char *key);
void rkc_emit_array_end(rkc_emit *e);
/* Begins the object that is element idx of the current array. */
void rkc_emit_elem_object(rkc_emit *e, size_t idx);

/* Values. A NULL string is written as null. */
void rkc_emit_str(rkc_emit *e, const char *key, const char *v);
void rkc_emit_int(rkc_emit *e, const char *key, int64_t v);
void rkc_emit_uint(rkc_emit *e, const char *key, uint64_t v);
void rkc_emit_bool(rkc_emit *e, const char *key, int v);
void rkc_emit_null(rkc_emit *e, const char *key);
/* An array element string. */
void rkc_emit_elem_str(rkc_emit *e, const char *v);

/* Records that key could not be read: the key is left out and {fact, message, code}
 * goes to errors[]. detail (may be NULL) is appended to the status message. */
void rkc_emit_fail(rkc_emit *e, const char *key, rkc_status st, const char *detail);
/* Shorthand for rkc_emit_fail(e, key, RKC_UNSUPPORTED, NULL). */
void rkc_emit_unsupported(rkc_emit *e, const char *key);

/* Write a read result: RKC_OK writes the value, RKC_NOT_FOUND writes null (collected,
 * absent), anything else is rkc_emit_fail with detail. */
void rkc_emit_str_st(rkc_emit *e, const char *key, rkc_status st, const char *v,
                     const char *detail);
void rkc_emit_uint_st(rkc_emit *e, const char *key, rkc_status st, uint64_t v,
                      const char *detail);

/* Writes errors[] (the key and its array) at the current position. */
void rkc_emit_errors(rkc_emit *e);

#endif
