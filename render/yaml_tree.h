/* yaml_tree.h - a bounded YAML document tree with source positions, built with libyaml's
 * event API so that depth, node count and aliases are under our control. */
#ifndef RK_YAML_TREE_H
#define RK_YAML_TREE_H

#include <stddef.h>
#include "diag.h"

typedef enum rk_node_type { RK_NODE_SCALAR, RK_NODE_SEQ, RK_NODE_MAP } rk_node_type;

typedef struct rk_node rk_node;
struct rk_node {
    rk_node_type type;
    int line, col;       /* 1-based position of the node in its file */
    char *value;         /* scalars: the text (valid UTF-8) */
    int quoted;          /* scalars: written in quotes (so never a number/bool) */
    size_t count;        /* sequences and maps: number of items / pairs */
    rk_node **items;     /* sequences: items; maps: values */
    rk_node **keys;      /* maps: keys (scalars) */
};

/* Limits every YAML input obeys (also the fuzz targets' bounds). */
#define RK_YAML_MAX_BYTES (16u * 1024u * 1024u)
#define RK_YAML_MAX_DEPTH 64
#define RK_YAML_MAX_NODES 1000000u

/* Parses one YAML document from buf (already normalised to UTF-8). Rejects invalid
 * UTF-8, more than one document, duplicate map keys, non-scalar keys, aliases (the
 * formats have no use for them, and refusing them rules out alias bombs and cycles),
 * nesting deeper than RK_YAML_MAX_DEPTH and more than RK_YAML_MAX_NODES nodes.
 * An empty document gives an empty map. Returns the tree or NULL with d filled. */
rk_node *rk_yaml_parse(const char *file, const char *buf, size_t len, rk_diag *d);
/* Reads the file (bounded, BOM/UTF-16 aware) and parses it. When sha256 is not NULL
 * it receives the SHA-256 of the file's bytes as read. */
rk_node *rk_yaml_load(const char *path, char sha256[65], rk_diag *d);
void rk_node_free(rk_node *n);

/* Map lookup (exact key) or NULL. */
const rk_node *rk_node_get(const rk_node *map, const char *key);

/* Typed accessors used by every loader. Each returns RK_OK, or RK_INPUT with d filled
 * ("file:line:col: 'key' must be a ..., got ..."). `required` 0 leaves *out untouched
 * when the key is absent. */
rk_err rk_node_str(const char *file, const rk_node *map, const char *key, int required,
                   const char **out, rk_diag *d);
rk_err rk_node_int(const char *file, const rk_node *map, const char *key, int required,
                   long long min, long long max, long long *out, rk_diag *d);
rk_err rk_node_bool(const char *file, const rk_node *map, const char *key, int required,
                    int *out, rk_diag *d);
rk_err rk_node_seq(const char *file, const rk_node *map, const char *key, int required,
                   const rk_node **out, rk_diag *d);
rk_err rk_node_map(const char *file, const rk_node *map, const char *key, int required,
                   const rk_node **out, rk_diag *d);
/* Like rk_node_str, but copies the string (caller frees) and, when required, refuses
 * an empty one ("''"). *out stays NULL when the key is absent and not required. */
rk_err rk_node_strdup(const char *file, const rk_node *map, const char *key, int required,
                      char **out, rk_diag *d);
/* A list of strings under key, copied (caller frees each and the array); required
 * refuses an empty list. */
rk_err rk_node_strlist(const char *file, const rk_node *map, const char *key, int required,
                       char ***out, size_t *n, rk_diag *d);
/* Refuses keys of map not in the NULL-terminated list `allowed`. */
rk_err rk_node_only_keys(const char *file, const rk_node *map, const char *const *allowed,
                         rk_diag *d);
/* A short word for the node's type for messages: "a string", "a list", "a mapping". */
const char *rk_node_kind(const rk_node *n);

#endif
