/* plan.h - the probe plan (plain text from `readykit plan`): parsing and limits. */
#ifndef RKC_PLAN_H
#define RKC_PLAN_H

#include <stddef.h>

#define RKC_PLAN_MAX_BYTES (1024u * 1024u) /* the file as a whole */
#define RKC_PLAN_MAX_LINE 1024             /* bytes in one line, without the newline */
#define RKC_PLAN_MAX_LINES 20000           /* lines, comments included */
#define RKC_PLAN_MAX_PROBES 4096           /* probe lines */
#define RKC_PLAN_MAX_HOST 253              /* a DNS name or an address */
#define RKC_PLAN_MAX_FLOW 128              /* a FLOW-ID */

typedef enum rkc_proto { RKC_TCP = 0, RKC_UDP = 1 } rkc_proto;

typedef struct rkc_plan_item {
    rkc_proto proto;
    int port;                          /* 1..65535 */
    char host[RKC_PLAN_MAX_HOST + 1];  /* ADDRESS-OR-NAME as written */
    char flow[RKC_PLAN_MAX_FLOW + 1];  /* FLOW-ID as written */
    int line;                          /* 1-based line in the plan */
} rkc_plan_item;

typedef struct rkc_plan {
    rkc_plan_item *items; /* owned; rkc_plan_free releases */
    size_t n;
} rkc_plan;

/* Parses a plan held in buf[0..len) (need not be NUL-terminated). Lines are
 * `PROTOCOL PORT ADDRESS-OR-NAME FLOW-ID` separated by spaces or tabs; `#` starts a
 * comment line; blank lines are skipped; CRLF endings, a UTF-8 byte-order mark and
 * UTF-16 with a byte-order mark (Windows PowerShell 5.1's `>`) are accepted. On
 * success returns 0 and fills *out (the caller frees it with rkc_plan_free). On the
 * first malformed line returns its 1-based line number, leaves *out empty and writes
 * "LINE: what is wrong (expected ...)" into err. Pure: touches nothing but its
 * arguments, for fuzzing. */
int rkc_plan_parse(const char *buf, size_t len, rkc_plan *out, char *err, size_t errlen);

/* Releases the items; rkc_plan_free on an empty plan is a no-op. */
void rkc_plan_free(rkc_plan *p);

#endif
