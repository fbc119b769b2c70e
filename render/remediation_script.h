/* remediation_script.h - the remediation plan as scripts a customer's administrator can
 * read and run: remediation/<host>.cmd makes the changes, <host>-undo.cmd puts back the
 * values as collected. Plain ASCII cmd.exe text with CRLF line ends, worded from the
 * templates (script.*) in the document's language. */
#ifndef RK_REMEDIATION_SCRIPT_H
#define RK_REMEDIATION_SCRIPT_H

#include <stddef.h>
#include "assess.h"
#include "remedy.h"
#include "template.h"
#include "util.h"

typedef struct rk_script {
    size_t host;            /* project host index */
    char *name;             /* "remediation/wrk02.cmd": the document's name in the output set */
    char *undo_name;        /* "remediation/wrk02-undo.cmd" */
    char *text, *undo_text; /* the scripts' bytes (NUL-terminated) */
    size_t len, undo_len;
    char sha256[65], undo_sha256[65];
    size_t changes;      /* changes the script makes (Windows features count as one) */
    size_t undo_changes; /* of those, the ones the undo script puts back */
    size_t findings;     /* findings it fixes, wholly or in part */
} rk_script;

typedef struct rk_scripts {
    rk_script *s; /* one per host with a change to make, project order */
    size_t n;
} rk_scripts;

/* Words the plan as scripts. Deterministic: the same assessment, plan and templates give
 * the same bytes. Borrows nothing after it returns. */
rk_scripts *rk_scripts_build(const rk_assessment *a, const rk_remedy *plan, rk_tmpl *t);
void rk_scripts_free(rk_scripts *s); /* NULL is a no-op */
const rk_script *rk_scripts_for_host(const rk_scripts *s, size_t host);

/* The remediation plan's "fixed by" words for finding i: the script's name, "a person",
 * or the script in part with the reason for the rest. Caller frees. */
char *rk_remedy_fixed_by(const rk_assessment *a, const rk_remedy *plan, const rk_scripts *s,
                         rk_tmpl *t, size_t i);

/* Text in plain ASCII as the scripts carry it: letters with diacritics in their base or
 * two-letter form (ae, ss), typographic punctuation as its ASCII look-alike, control
 * characters as spaces, anything else as '?'. Appended to out. */
void rk_script_ascii(const char *utf8, rk_buf *out);

#endif
