/* facts.h - fact files (format readykit-facts/1) written by readykit-collect. Every byte
 * is untrusted: bounded, validated, strings sanitised. */
#ifndef RK_FACTS_H
#define RK_FACTS_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "diag.h"

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
} rk_facts;

/* Loads one fact file. Structural errors (syntax, wrong types of the required keys,
 * unknown format, duplicate keys, \u0000, too deep or too large) return NULL and fill
 * d. Invalid UTF-8 and control characters inside strings are replaced by U+FFFD with
 * a warning naming the file and key. */
rk_facts *rk_facts_load(const char *path, rk_diag *d, rk_warnings *w);
/* Parses a fact file already in memory; buf[len] must be a NUL byte. */
rk_facts *rk_facts_parse(const char *path, const char *buf, size_t len, rk_diag *d,
                         rk_warnings *w);
void rk_facts_free(rk_facts *f);

/* Looks up a dotted path ("hardware.memory_bytes") under node. Returns NULL when a
 * component is missing (not collected). A JSON null is returned as the null item, also
 * for paths below it (software.outlook.version when software.outlook is null). */
const cJSON *rk_facts_get(const cJSON *node, const char *path);

/* 1-based line and column of byte offset off in buf. */
void rk_offset_to_linecol(const char *buf, size_t len, size_t off, int *line, int *col);

#endif
