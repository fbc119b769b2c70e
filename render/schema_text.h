/* schema_text.h - a schema's translation (readykit-schema-text/1, schemas/<id>.<lang>.yaml):
 * checked against the schema and applied to it, so that every word a document takes
 * from the schema is in the document's language. */
#ifndef RK_SCHEMA_TEXT_H
#define RK_SCHEMA_TEXT_H

#include "diag.h"
#include "schema.h"

/* The translation file of schema s for lang in schema_dir (caller frees), whether or
 * not it exists. */
char *rk_schema_text_path(const char *schema_dir, const rk_schema *s, const char *lang);

/* Loads the translation at path and replaces the schema's English texts with it. An id,
 * row or section the schema does not have, a text the English entry has not (a note on
 * a requirement without one), a different number of steps, or a file for another schema
 * or language is refused with file:line:col. Texts the file leaves out stay English and
 * are named in *missing ("requirements.MPE-SRV-MEM.remediation"), *nmissing of them
 * (caller frees with rk_strv_free). sha256 receives the file's hash. On error the schema
 * is unchanged. */
rk_err rk_schema_text_apply(rk_schema *s, const char *path, const char *lang, char sha256[65],
                            char ***missing, size_t *nmissing, rk_diag *d);

#endif
