/* when.h - `when` over the project's parameters and scenarios, three-valued: a
 * requirement or flow row applies, does not, or is undecided for want of a parameter. */
#ifndef RK_WHEN_H
#define RK_WHEN_H

#include <stddef.h>
#include "project.h"
#include "schema.h"

/* Three-valued truth of a `when`: false (not applicable), true, or undecided because
 * of parameters the project does not set. */
typedef enum rk_tri { RK_FALSE, RK_TRUE, RK_UNDECIDED } rk_tri;

/* Evaluates w over the project. When the result is undecided, the indexes of the
 * parameters it depends on (that the project leaves unset) are written into
 * undecided[0..*n) (at most max). w may be absent (present == 0): true. */
rk_tri rk_when_eval(const rk_schema *s, const rk_project *p, const rk_when *w, size_t *undecided,
                    size_t max, size_t *n);

#endif
