/* facts.h - fact files (format readykit-facts/1) written by readykit-collect. Every byte
 * is untrusted: bounded, validated against schemas/facts.schema.json, strings sanitised. */
#ifndef RK_FACTS_H
#define RK_FACTS_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "diag.h"
#include "factschema.h"

#define RK_FACTS_MAX_BYTES (32u * 1024u * 1024u)
#define RK_FACTS_MAX_DEPTH 32

typedef struct rk_probe {
    char *to, *address, *protocol, *result, *flow;
    int port;
    double ms;
} rk_probe;

typedef struct rk_facts {
    char *path;
    char sha256[65];
    cJSON *root;             /* owned */
    char *collector_name, *collector_version, *collector_platform;
    char *collected_at;      /* as written */
    int64_t collected_epoch;
    char *host_name;
    rk_probe *probes;
    size_t nprobes;
    /* The plan the collector ran (its `plan` object), when it reports one: the ids of
     * the collect items it was asked for. has_plan 0: no plan object (an older
     * collector, or no plan given). */
    int has_plan;
    char **plan_items;
    size_t nplan_items;
    char plan_sha256[65];    /* "" when not reported */
} rk_facts;

/* Loads one fact file. Structural errors (syntax, a value that does not fit the fact
 * file's description in types, unknown format, duplicate keys, \u0000, too deep or too
 * large) return NULL and fill d with file:line:col. Invalid UTF-8 and control
 * characters inside strings are replaced by U+FFFD with a warning naming the file and
 * key. types may be NULL: then only the keys every file needs are checked. */
rk_facts *rk_facts_load(const char *path, const rk_factschema *types, rk_diag *d,
                        rk_warnings *w);
/* Parses a fact file already in memory; buf[len] must be a NUL byte. */
rk_facts *rk_facts_parse(const char *path, const char *buf, size_t len,
                         const rk_factschema *types, rk_diag *d, rk_warnings *w);
void rk_facts_free(rk_facts *f);

/* Frees the `probes` list of the parsed tree; f->probes keeps every probe. A host's
 * probes are most of its fact file at fleet scale (one per flow from it) and only flow
 * matching reads them, from f->probes: the caller drops the tree's copy when no check
 * or host detail reads a `probes` fact. */
void rk_facts_drop_probe_tree(rk_facts *f);

/* Looks up a dotted path ("hardware.memory_bytes") under node. Returns NULL when a
 * component is missing (not collected). A JSON null is returned as the null item, also
 * for paths below it (a.b.c when a.b is null). */
const cJSON *rk_facts_get(const cJSON *node, const char *path);

/* The collector's message for a fact it could not read (`errors[]` with `fact` equal
 * to path or to one of its parents), or NULL. Borrowed. */
const char *rk_facts_error(const rk_facts *f, const char *path);

#endif
