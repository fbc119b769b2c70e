/* schema_load.h - what the parts of the schema loader (schema*.c) share: the loading
 * context and small node helpers. Private to those files. */
#ifndef RK_SCHEMA_LOAD_H
#define RK_SCHEMA_LOAD_H

#include "schema.h"
#include "util.h"
#include "yaml_tree.h"

#define TRY(expr)                                                                      \
    do {                                                                               \
        if ((expr) != RK_OK) return RK_INPUT;                                          \
    } while (0)

typedef struct rk_sctx {
    const char *file;
    rk_schema *s;
    rk_diag *d;
} rk_sctx;

rk_err rk_sctx_dup(rk_sctx *c, const rk_node *map, const char *key, int required, char **out);
rk_err rk_sctx_list(rk_sctx *c, const rk_node *map, const char *key, int required, char ***out,
                    size_t *n);
/* A finite number under key (unquoted). */
rk_err rk_sctx_number(rk_sctx *c, const rk_node *map, const char *key, double *out);
/* An id under key matching the pattern class: 'r' roles/endpoints/scenarios (lowercase,
 * digits, '-'), 'p' parameters (lowercase, digits, '_'), 'c' collect items (a letter,
 * then letters, digits, '_', '-'), 'R' requirement ids (capitals, digits, '-'). */
rk_err rk_sctx_id(rk_sctx *c, const rk_node *map, const char *key, char cls, char **out);
/* A role or list of roles (and endpoint:<id> when endpoints is not NULL) under key. */
rk_err rk_sctx_roles(rk_sctx *c, const rk_node *map, const char *key, uint32_t *roles,
                     uint32_t *endpoints);
/* "bytes", "mhz", "dword", "plain" under key (optional). */
rk_err rk_sctx_format(rk_sctx *c, const rk_node *map, const char *key, rk_value_format *out);

/* schema_params.c */
rk_err rk_schema_load_params(rk_sctx *c, const rk_node *root);
rk_err rk_schema_load_when(rk_sctx *c, const rk_node *map, rk_when *w);
void rk_when_free(rk_when *w);
void rk_param_free(rk_parameter *p);

/* schema_check.c */
rk_err rk_schema_load_check(rk_sctx *c, const rk_node *n, rk_check *k, int depth, int relative);
void rk_check_free(rk_check *k);

/* schema_items.c */
rk_err rk_schema_load_collect(rk_sctx *c, const rk_node *root);
rk_err rk_schema_load_endpoints(rk_sctx *c, const rk_node *root);
rk_err rk_schema_load_details(rk_sctx *c, const rk_node *root);
rk_err rk_schema_load_fixes(rk_sctx *c, const rk_node *req, rk_requirement *r);
void rk_schema_items_free(rk_schema *s);
void rk_fix_free(rk_fix *f);

#endif
