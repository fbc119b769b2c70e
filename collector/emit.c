/* emit.c - the fact emitter: path bookkeeping, null-versus-missing rules, errors[]. */
#include "emit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xalloc.h"

static const char *const status_msg[] = {
#define RKC_STATUS_MSG(name, msg, code) msg,
    RKC_STATUS_MAP(RKC_STATUS_MSG)
#undef RKC_STATUS_MSG
};
static const char *const status_code[] = {
#define RKC_STATUS_CODE(name, msg, code) code,
    RKC_STATUS_MAP(RKC_STATUS_CODE)
#undef RKC_STATUS_CODE
};

const char *rkc_status_message(rkc_status st)
{
    return (unsigned)st < sizeof status_msg / sizeof *status_msg ? status_msg[st] : "failed";
}

const char *rkc_status_code(rkc_status st)
{
    return (unsigned)st < sizeof status_code / sizeof *status_code ? status_code[st] : "failed";
}

void rkc_emit_init(rkc_emit *e, rkc_json *j)
{
    memset(e, 0, sizeof *e);
    e->json = j;
}

void rkc_emit_free(rkc_emit *e)
{
    for (size_t i = 0; i < e->nerrors; i++) {
        free(e->errors[i].fact);
        free(e->errors[i].message);
    }
    free(e->errors);
    e->errors = NULL;
    e->nerrors = e->caperrors = 0;
}

/* Appends ".key" (or "key" at the top) to the path and remembers where it ended. */
static void push(rkc_emit *e, const char *seg, int bracket)
{
    size_t len = strlen(e->path);
    if (e->depth < RKC_JSON_MAX_DEPTH)
        e->plen[e->depth] = len;
    e->depth++;
    if (bracket)
        snprintf(e->path + len, sizeof e->path - len, "%s", seg);
    else
        snprintf(e->path + len, sizeof e->path - len, "%s%s", len ? "." : "", seg);
}

static void pop(rkc_emit *e)
{
    if (e->depth == 0)
        return;
    e->depth--;
    if (e->depth < RKC_JSON_MAX_DEPTH)
        e->path[e->plen[e->depth]] = '\0';
}

static void key(rkc_emit *e, const char *k)
{
    if (k)
        rkc_json_key(e->json, k);
}

void rkc_emit_object_begin(rkc_emit *e, const char *k)
{
    key(e, k);
    rkc_json_begin_object(e->json);
    push(e, k ? k : "", 0);
}

void rkc_emit_object_end(rkc_emit *e)
{
    rkc_json_end_object(e->json);
    pop(e);
}

void rkc_emit_array_begin(rkc_emit *e, const char *k)
{
    key(e, k);
    rkc_json_begin_array(e->json);
    push(e, k ? k : "", 0);
}

void rkc_emit_array_end(rkc_emit *e)
{
    rkc_json_end_array(e->json);
    pop(e);
}

void rkc_emit_elem_object(rkc_emit *e, size_t idx)
{
    char seg[32];
    snprintf(seg, sizeof seg, "[%lu]", (unsigned long)idx);
    rkc_json_begin_object(e->json);
    push(e, seg, 1);
}

void rkc_emit_str(rkc_emit *e, const char *k, const char *v)
{
    key(e, k);
    rkc_json_string(e->json, v);
}

void rkc_emit_int(rkc_emit *e, const char *k, int64_t v)
{
    key(e, k);
    rkc_json_int(e->json, v);
}

void rkc_emit_uint(rkc_emit *e, const char *k, uint64_t v)
{
    key(e, k);
    rkc_json_uint(e->json, v);
}

void rkc_emit_bool(rkc_emit *e, const char *k, int v)
{
    key(e, k);
    rkc_json_bool(e->json, v);
}

void rkc_emit_null(rkc_emit *e, const char *k)
{
    key(e, k);
    rkc_json_null(e->json);
}

void rkc_emit_elem_str(rkc_emit *e, const char *v)
{
    rkc_json_string(e->json, v);
}

void rkc_emit_fail(rkc_emit *e, const char *k, rkc_status st, const char *detail)
{
    char fact[600], msg[600];
    if (st == RKC_OK || st == RKC_NOT_FOUND)
        st = RKC_FAILED;
    snprintf(fact, sizeof fact, "%s%s%s", e->path, (*e->path && k) ? "." : "", k ? k : "");
    if (detail && *detail)
        snprintf(msg, sizeof msg, "%s: %s", rkc_status_message(st), detail);
    else
        snprintf(msg, sizeof msg, "%s", rkc_status_message(st));
    if (e->nerrors == e->caperrors) {
        size_t cap = e->caperrors ? e->caperrors * 2 : 16;
        rkc_fact_error *n = rkc_xrealloc(e->errors, cap * sizeof *n);
        e->errors = n;
        e->caperrors = cap;
    }
    e->errors[e->nerrors].fact = rkc_xstrdup(fact);
    e->errors[e->nerrors].message = rkc_xstrdup(msg);
    e->errors[e->nerrors].status = st;
    e->nerrors++;
}

void rkc_emit_unsupported(rkc_emit *e, const char *k)
{
    rkc_emit_fail(e, k, RKC_UNSUPPORTED, NULL);
}

void rkc_emit_str_st(rkc_emit *e, const char *k, rkc_status st, const char *v,
                     const char *detail)
{
    if (st == RKC_OK)
        rkc_emit_str(e, k, v);
    else if (st == RKC_NOT_FOUND)
        rkc_emit_null(e, k);
    else
        rkc_emit_fail(e, k, st, detail);
}

void rkc_emit_uint_st(rkc_emit *e, const char *k, rkc_status st, uint64_t v,
                      const char *detail)
{
    if (st == RKC_OK)
        rkc_emit_uint(e, k, v);
    else if (st == RKC_NOT_FOUND)
        rkc_emit_null(e, k);
    else
        rkc_emit_fail(e, k, st, detail);
}

void rkc_emit_errors(rkc_emit *e)
{
    rkc_json_key(e->json, "errors");
    rkc_json_begin_array(e->json);
    for (size_t i = 0; i < e->nerrors; i++) {
        rkc_json_begin_object(e->json);
        rkc_json_key(e->json, "fact");
        rkc_json_string(e->json, e->errors[i].fact);
        rkc_json_key(e->json, "message");
        rkc_json_string(e->json, e->errors[i].message);
        rkc_json_key(e->json, "code");
        rkc_json_string(e->json, rkc_status_code(e->errors[i].status));
        rkc_json_end_object(e->json);
    }
    rkc_json_end_array(e->json);
}
