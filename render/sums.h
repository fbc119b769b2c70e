/* sums.h - SHA256SUMS: the SHA-256 of every document of a render, in the format GNU
 * coreutils' sha256sum writes and `sha256sum -c` checks, written as part of the set. */
#ifndef RK_SUMS_H
#define RK_SUMS_H

#include <stddef.h>
#include "diag.h"
#include "outset.h"

#define RK_SUMS_NAME "SHA256SUMS"

/* Hashes the staged bytes of every document staged in o so far (or takes the hash its
 * writer gave, rk_outset_set_sha256) and stages
 * RK_SUMS_NAME beside them: one "HASH  NAME" line per document, sorted by name, names
 * as the documents will be called once the set is committed (a name holding a backslash
 * or a line break is escaped as coreutils does, the line starting with a backslash).
 * Call it after the last document is complete and before rk_outset_commit. RK_OUTPUT
 * with a message in err when a staged document cannot be read or the file written. */
rk_err rk_sums_write(rk_outset *o, char *err, size_t errlen);

#endif
