/* factschema.h - the types of fact-file keys, read from schemas/facts.schema.json (the
 * one description of the fact file), so that no key of any product is typed in C. */
#ifndef RK_FACTSCHEMA_H
#define RK_FACTSCHEMA_H

#include "diag.h"
#include "json.h"

typedef struct rk_factschema rk_factschema;

/* Loads a JSON Schema (2020-12) file. The subset applied to fact files: `type` (one or a
 * list; `integer` means a number without a fraction), `enum`, `minimum`, `maximum`,
 * `properties`, `additionalProperties` (a schema, or false), `items`, and `$ref` to
 * `#/$defs/<name>`. `required` is not applied: in a fact file a missing key means "not
 * collected" (the check is unknown), and the loader itself requires the keys every file
 * has. Other keywords (descriptions, examples) are ignored.
 * Returns NULL with d filled when the file is not such a schema. */
rk_factschema *rk_factschema_load(const char *path, rk_diag *d);
void rk_factschema_free(rk_factschema *s); /* NULL is a no-op */

/* Checks a parsed fact file against the schema. The first value that does not fit is
 * an error at its line and column naming its key path and what was expected
 * ("'hardware.cpu_cores' is 2.5; expected an integer of at least 0"). */
rk_err rk_factschema_check(const rk_factschema *s, const rk_json *doc, rk_diag *d);

#endif
