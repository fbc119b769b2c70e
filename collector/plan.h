/* plan.h - the probe plan (plain text from `readykit plan`): probes, collect items, limits. */
#ifndef RKC_PLAN_H
#define RKC_PLAN_H

#include <stddef.h>

#define RKC_PLAN_MAX_BYTES (1024u * 1024u) /* the file as a whole */
#define RKC_PLAN_MAX_LINE 4096             /* bytes in one line, without the newline */
#define RKC_PLAN_MAX_LINES 20000           /* lines, comments included */
#define RKC_PLAN_MAX_PROBES 4096           /* probe lines */
#define RKC_PLAN_MAX_ITEMS 1024            /* collect lines */
#define RKC_PLAN_MAX_HOST 253              /* a DNS name or an address */
#define RKC_PLAN_MAX_FLOW 128              /* a FLOW-ID */
#define RKC_PLAN_MAX_ID 64                 /* a collect item's ID */

typedef enum rkc_proto { RKC_TCP = 0, RKC_UDP = 1 } rkc_proto;

/* A line `PROTOCOL PORT ADDRESS-OR-NAME FLOW-ID`. */
typedef struct rkc_plan_probe {
    rkc_proto proto;
    int port;                          /* 1..65535 */
    char host[RKC_PLAN_MAX_HOST + 1];  /* ADDRESS-OR-NAME as written */
    char flow[RKC_PLAN_MAX_FLOW + 1];  /* FLOW-ID as written */
    int line;                          /* 1-based line in the plan */
} rkc_plan_probe;

/* The kinds of `collect` lines, generated with their plan word and their arguments
 * (the words of the usage message) from one list. */
#define RKC_KIND_MAP(X)                                        \
    X(REGISTRY, "registry", 2, "KEY VALUE")                    \
    X(PROGRAM, "program", 1, "NAME-GLOB")                      \
    X(FILE_VERSION, "file_version", 1, "PATH")                 \
    X(SERVICE, "service", 1, "NAME")                           \
    X(WINDOWS_FEATURE, "windows_feature", 1, "NAME")           \
    X(FILE, "file", 1, "PATH")

typedef enum rkc_kind {
#define RKC_KIND_ENUM(name, word, nargs, usage) RKC_KIND_##name,
    RKC_KIND_MAP(RKC_KIND_ENUM)
#undef RKC_KIND_ENUM
    RKC_KIND_COUNT
} rkc_kind;

/* The plan word of a kind ("file_version"). */
const char *rkc_kind_name(rkc_kind k);

/* The hive of a registry item's KEY. */
typedef enum rkc_hive { RKC_HKLM = 0, RKC_HKCU = 1 } rkc_hive;

/* A line `collect ID KIND ARG [ARG]`, its arguments unquoted, as UTF-8. */
typedef struct rkc_plan_collect {
    char id[RKC_PLAN_MAX_ID + 1]; /* the key under "collected" */
    rkc_kind kind;
    char *arg;          /* owned: KEY, NAME-GLOB, PATH or NAME, never empty */
    char *value;        /* owned: registry VALUE ("" = the key's default value); else NULL */
    rkc_hive hive;      /* registry: the hive KEY names */
    const char *subkey; /* registry: KEY after its hive and backslash (points into arg) */
    int line;           /* 1-based line in the plan */
} rkc_plan_collect;

typedef struct rkc_plan {
    rkc_plan_probe *probes;     /* owned; rkc_plan_free releases */
    size_t nprobes;
    rkc_plan_collect *collect;  /* owned, in plan order */
    size_t ncollect;
} rkc_plan;

/* Parses a plan held in buf[0..len) (need not be NUL-terminated). Probe lines are
 * `PROTOCOL PORT ADDRESS-OR-NAME FLOW-ID`, collect lines `collect ID KIND ARG [ARG]`
 * (an ARG is a bare word or a double-quoted string in which "" stands for one "),
 * fields separated by spaces or tabs; `#` starts a comment line; blank lines are
 * skipped; CRLF endings, a UTF-8 byte-order mark and UTF-16 with a byte-order mark
 * (Windows PowerShell 5.1's `>`) are accepted. On success returns 0 and fills *out (the
 * caller frees it with rkc_plan_free). On the first malformed line returns its 1-based
 * line number, leaves *out empty and writes "LINE: what is wrong (expected ...)" into
 * err (printable ASCII only). Pure: touches nothing but its arguments, for fuzzing. */
int rkc_plan_parse(const char *buf, size_t len, rkc_plan *out, char *err, size_t errlen);

/* Releases probes and items; rkc_plan_free on an empty plan is a no-op. */
void rkc_plan_free(rkc_plan *p);

#endif
