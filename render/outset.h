/* outset.h - the documents of one render written as one set: each under a staging name
 * in the output folder, then all renamed into place, so a failure or an interruption
 * leaves the previous set as it was rather than half old and half new. */
#ifndef RK_OUTSET_H
#define RK_OUTSET_H

#include <stddef.h>
#include "diag.h"

typedef struct rk_outset rk_outset;

/* Checks the output folder before anything is loaded: a path that exists and is not a
 * folder, or a folder that cannot be written, is refused (RK_OUTPUT, message in err). A
 * folder that does not exist yet is fine: rk_outset_new creates it. */
rk_err rk_outset_check_dir(const char *dir, char *err, size_t errlen);

/* Starts a set in dir, creating the folder and its parents when missing. NULL with err
 * filled when it cannot. */
rk_outset *rk_outset_new(const char *dir, char *err, size_t errlen);
void rk_outset_free(rk_outset *o); /* removes staging files not committed; NULL no-op */

/* The path a writer writes the document `name` to ("readiness.pdf", or one folder
 * deep: "remediation/HOST.cmd"). Borrowed until rk_outset_free. */
const char *rk_outset_stage(rk_outset *o, const char *name);

/* Renames every staged document into place, having first checked that nothing stands
 * in the way (a folder where a document goes). On failure nothing is renamed when the
 * check fails, and err names the document, not its staging file. */
rk_err rk_outset_commit(rk_outset *o, char *err, size_t errlen);

/* Replaces staging paths in a writer's message by the document's name. */
void rk_outset_explain(const rk_outset *o, char *err, size_t errlen);

/* Marks a file an earlier set left (`name` as for rk_outset_stage) for removal: the
 * commit removes it once every staged document is in place, so a failed render leaves
 * it where it was. A retired name that is also staged is kept. */
void rk_outset_retire(rk_outset *o, const char *name);
/* The output folder. Borrowed. */
const char *rk_outset_dir(const rk_outset *o);

size_t rk_outset_count(const rk_outset *o);
const char *rk_outset_name(const rk_outset *o, size_t i);
/* The final path of document i (dir/name). Borrowed. */
const char *rk_outset_path(const rk_outset *o, size_t i);
/* The staging path document i is written to until the set is committed. Borrowed. */
const char *rk_outset_staged(const rk_outset *o, size_t i);
/* The SHA-256 of a staged document as its writer computed it once complete (so that
 * SHA256SUMS need not read it again), and document i's, or NULL when none was given. */
void rk_outset_set_sha256(rk_outset *o, const char *name, const char sha256[65]);
const char *rk_outset_sha256(const rk_outset *o, size_t i);

#endif
