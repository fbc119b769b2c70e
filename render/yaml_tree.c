/* yaml_tree.c - YAML files read into a bounded tree with source positions (libyaml events). */
#include "yaml_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util.h"

void rk_node_free(rk_node *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->count; i++) {
        rk_node_free(n->items[i]);
        if (n->keys) rk_node_free(n->keys[i]);
    }
    free(n->items);
    free(n->keys);
    free(n->value);
    free(n);
}

static rk_node *node_new(rk_node_type type, const yaml_mark_t *m)
{
    rk_node *n = rk_xcalloc(1, sizeof(*n));
    n->type = type;
    n->line = (int)m->line + 1;
    n->col = (int)m->column + 1;
    return n;
}

static void node_append(rk_node *parent, rk_node *key, rk_node *value)
{
    /* capacity grows in powers of two: count is a power of two when full */
    size_t c = parent->count;
    if ((c & (c - 1)) == 0) {
        size_t cap = c ? c * 2 : 1;
        parent->items = rk_xrealloc(parent->items, cap * sizeof(rk_node *));
        if (parent->type == RK_NODE_MAP)
            parent->keys = rk_xrealloc(parent->keys, cap * sizeof(rk_node *));
    }
    parent->items[c] = value;
    if (parent->type == RK_NODE_MAP) parent->keys[c] = key;
    parent->count++;
}

typedef struct frame {
    rk_node *node;
    rk_node *pending_key; /* maps: a key waiting for its value */
} frame;

/* Duplicate keys are found with a sort of the map's keys when the map closes, so a
 * map of n keys costs n log n, not n^2. */
static int cmp_keyp(const void *a, const void *b)
{
    const rk_node *x = *(rk_node *const *)a, *y = *(rk_node *const *)b;
    int c = strcmp(x->value, y->value);
    if (c) return c;
    return x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->col < y->col ? -1 : x->col > y->col);
}

static const rk_node *find_duplicate(const rk_node *map, const rk_node **first)
{
    if (map->count < 2) return NULL;
    rk_node **k = rk_xmalloc(map->count * sizeof(rk_node *));
    memcpy(k, map->keys, map->count * sizeof(rk_node *));
    qsort(k, map->count, sizeof(rk_node *), cmp_keyp);
    const rk_node *dup = NULL;
    for (size_t i = 1; i < map->count; i++) {
        if (strcmp(k[i - 1]->value, k[i]->value) == 0) {
            if (!dup || k[i]->line < dup->line ||
                (k[i]->line == dup->line && k[i]->col < dup->col)) {
                dup = k[i];
                *first = k[i - 1];
            }
        }
    }
    free(k);
    return dup;
}

/* The first C0 or C1 control character (other than tab, LF, CR) or DEL in valid UTF-8
 * text s, or 0. */
static unsigned has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7F) return *p;
        if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) return p[1];
    }
    return 0;
}

/* The text before parsing: valid UTF-8 without NUL bytes. 0, or -1 with d set. */
static int check_text(const char *file, const char *buf, size_t len, rk_diag *d)
{
    size_t bad;
    if (!rk_utf8_valid(buf, len, &bad)) {
        int line = 1, col = 1;
        for (size_t i = 0; i < bad; i++) {
            if (buf[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        rk_diag_set(d, file, line, col, "invalid UTF-8 (byte 0x%02X); expected UTF-8 text",
                    (unsigned char)buf[bad]);
        return -1;
    }
    if (memchr(buf, '\0', len)) {
        rk_diag_set(d, file, 0, 0, "contains a NUL byte; expected UTF-8 text");
        return -1;
    }
    return 0;
}

/* The tree under construction: one frame per open sequence or mapping. */
typedef struct builder {
    const char *file;
    rk_diag *d;
    frame stack[RK_YAML_MAX_DEPTH + 1];
    size_t depth;
    size_t nodes;
    int docs;
    rk_node *root;
} builder;

/* A message at a libyaml mark (0-based) with at most one string in it. Returns -1. */
static int fail_at(builder *b, const yaml_mark_t *m, const char *msg, const char *arg)
{
    char text[256];
    snprintf(text, sizeof text, msg, arg ? arg : "");
    rk_diag_set(b->d, b->file, (int)m->line + 1, (int)m->column + 1, "%s", text);
    return -1;
}

static void parse_error(builder *b, const yaml_parser_t *parser, const char *buf, size_t len)
{
    const yaml_mark_t *m = &parser->problem_mark;
    const char *problem = parser->problem ? parser->problem : "error";
    if (m->index < len && buf[m->index] == '\t')
        fail_at(b, m, "invalid YAML: a tab character; YAML indents with spaces", NULL);
    else if (parser->context)
        rk_diag_set(b->d, b->file, (int)m->line + 1, (int)m->column + 1, "invalid YAML: %s %s",
                    problem, parser->context);
    else
        fail_at(b, m, "invalid YAML: %s", problem);
}

/* A scalar event as a node, or NULL (d set) for text a document must not carry. */
static rk_node *scalar_node(builder *b, const yaml_event_t *ev)
{
    rk_node *n = node_new(RK_NODE_SCALAR, &ev->start_mark);
    n->value = rk_xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
    yaml_scalar_style_t st = ev->data.scalar.style;
    n->quoted = st == YAML_SINGLE_QUOTED_SCALAR_STYLE || st == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
                st == YAML_LITERAL_SCALAR_STYLE || st == YAML_FOLDED_SCALAR_STYLE;
    if (memchr(n->value, '\0', ev->data.scalar.length)) {
        rk_diag_set(b->d, b->file, n->line, n->col, "a NUL character in a string; expected text");
        rk_node_free(n);
        return NULL;
    }
    /* escapes such as "\e" or "\x07" would carry control characters into messages and
     * documents: refused like NUL (tab and line breaks are text) */
    unsigned ctl = has_control(n->value);
    if (ctl) {
        rk_diag_set(b->d, b->file, n->line, n->col,
                    "a control character (U+%04X) in a string; expected text", ctl);
        rk_node_free(n);
        return NULL;
    }
    return n;
}

/* Closes the innermost container: a mapping's keys must be unique. Returns it, or NULL
 * (d set). */
static rk_node *close_node(builder *b)
{
    rk_node *n = b->stack[--b->depth].node;
    if (n->type != RK_NODE_MAP) return n;
    const rk_node *first = NULL;
    const rk_node *dup = find_duplicate(n, &first);
    if (!dup) return n;
    rk_diag_set(b->d, b->file, dup->line, dup->col,
                "duplicate key '%s' (first at line %d); expected each key once", dup->value,
                first->line);
    rk_node_free(n);
    return NULL;
}

/* Counts a new node against the limit. 0, or -1 (d set). */
static int count_node(builder *b, const rk_node *n)
{
    if (++b->nodes <= RK_YAML_MAX_NODES) return 0;
    rk_diag_set(b->d, b->file, n->line, n->col, "more than %u values; expected a smaller file",
                RK_YAML_MAX_NODES);
    return -1;
}

/* A finished node into its parent (or as the root). 0, or -1 (d set; n not taken). */
static int attach(builder *b, rk_node *n)
{
    if (b->depth == 0) {
        b->root = n;
        return 0;
    }
    frame *f = &b->stack[b->depth - 1];
    if (f->node->type == RK_NODE_SEQ) {
        node_append(f->node, NULL, n);
    } else if (!f->pending_key) {
        if (n->type != RK_NODE_SCALAR) {
            rk_diag_set(b->d, b->file, n->line, n->col,
                        "a %s used as a mapping key; expected a plain key",
                        n->type == RK_NODE_SEQ ? "list" : "mapping");
            return -1;
        }
        f->pending_key = n;
    } else {
        node_append(f->node, f->pending_key, n);
        f->pending_key = NULL;
    }
    return 0;
}

/* One parser event into the tree. 1 at the end of the stream, 0 to go on, -1 on an
 * error (d set). */
static int on_event(builder *b, const yaml_event_t *ev)
{
    const yaml_mark_t *m = &ev->start_mark;
    rk_node *made = NULL;
    switch (ev->type) {
    case YAML_STREAM_END_EVENT:
        return 1;
    case YAML_DOCUMENT_START_EVENT:
        if (++b->docs > 1) return fail_at(b, m, "a second YAML document; expected exactly one", NULL);
        return 0;
    case YAML_ALIAS_EVENT:
        return fail_at(b, m, "YAML alias '*%s' is not allowed; write the value out in full",
                       (const char *)ev->data.alias.anchor);
    case YAML_SCALAR_EVENT:
        if (!(made = scalar_node(b, ev))) return -1;
        if (count_node(b, made) != 0) break;
        if (attach(b, made) == 0) return 0;
        break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (b->depth >= RK_YAML_MAX_DEPTH) {
            rk_diag_set(b->d, b->file, (int)m->line + 1, (int)m->column + 1,
                        "nested more than %d levels deep; expected a flatter file",
                        RK_YAML_MAX_DEPTH);
            return -1;
        }
        made = node_new(ev->type == YAML_SEQUENCE_START_EVENT ? RK_NODE_SEQ : RK_NODE_MAP, m);
        if (count_node(b, made) != 0) break;
        b->stack[b->depth].node = made;
        b->stack[b->depth].pending_key = NULL;
        b->depth++;
        return 0;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (!(made = close_node(b))) return -1;
        if (attach(b, made) == 0) return 0;
        break;
    default:
        return 0;
    }
    rk_node_free(made);
    return -1;
}

rk_node *rk_yaml_parse(const char *file, const char *buf, size_t len, rk_diag *d)
{
    if (check_text(file, buf, len, d) != 0) return NULL;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        rk_diag_set(d, file, 0, 0, "cannot start the YAML parser");
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    builder *b = rk_xcalloc(1, sizeof(*b));
    b->file = file;
    b->d = d;
    int r = 0;
    while (r == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            parse_error(b, &parser, buf, len);
            r = -1;
            break;
        }
        r = on_event(b, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    rk_node *root = b->root;
    if (r < 0) {
        for (size_t i = 0; i < b->depth; i++) {
            rk_node_free(b->stack[i].pending_key);
            rk_node_free(b->stack[i].node);
        }
        rk_node_free(root);
        root = NULL;
    } else if (!root) {
        yaml_mark_t m0 = {0, 0, 0};
        root = node_new(RK_NODE_MAP, &m0);
    }
    free(b);
    return root;
}

rk_node *rk_yaml_load(const char *path, char sha256[65], rk_diag *d)
{
    char *buf;
    size_t len;
    char err[512];
    if (rk_read_file(path, RK_YAML_MAX_BYTES, &buf, &len, err, sizeof err) != 0) {
        rk_diag_set(d, path, 0, 0, "%s", err);
        return NULL;
    }
    if (sha256) rk_sha256_hex(buf, len, sha256);
    if (rk_text_normalise(&buf, &len) != 0) {
        rk_diag_set(d, path, 0, 0, "UTF-16 text with an odd number of bytes; expected UTF-8");
        free(buf);
        return NULL;
    }
    rk_node *n = rk_yaml_parse(path, buf, len, d);
    free(buf);
    return n;
}

const rk_node *rk_node_get(const rk_node *map, const char *key)
{
    if (!map || map->type != RK_NODE_MAP) return NULL;
    for (size_t i = 0; i < map->count; i++)
        if (strcmp(map->keys[i]->value, key) == 0) return map->items[i];
    return NULL;
}

const char *rk_node_kind(const rk_node *n)
{
    if (!n) return "nothing";
    switch (n->type) {
    case RK_NODE_SEQ:
        return "a list";
    case RK_NODE_MAP:
        return "a mapping";
    default:
        return "a scalar";
    }
}

static int is_null_scalar(const rk_node *n)
{
    return n->type == RK_NODE_SCALAR && !n->quoted &&
           (n->value[0] == '\0' || strcmp(n->value, "~") == 0 || strcmp(n->value, "null") == 0 ||
            strcmp(n->value, "Null") == 0 || strcmp(n->value, "NULL") == 0);
}

static rk_err missing(const char *file, const rk_node *map, const char *key, const char *what,
                      rk_diag *d)
{
    return rk_diag_set(d, file, map ? map->line : 0, map ? map->col : 0,
                       "missing required key '%s'; expected %s", key, what);
}

rk_err rk_node_str(const char *file, const rk_node *map, const char *key, int required,
                   const char **out, rk_diag *d)
{
    const rk_node *n = rk_node_get(map, key);
    if (!n || is_null_scalar(n)) {
        if (required) return missing(file, map, key, "a string", d);
        return RK_OK;
    }
    if (n->type != RK_NODE_SCALAR)
        return rk_diag_set(d, file, n->line, n->col, "'%s' is %s; expected a string", key,
                           rk_node_kind(n));
    *out = n->value;
    return RK_OK;
}

rk_err rk_node_strdup(const char *file, const rk_node *map, const char *key, int required,
                      char **out, rk_diag *d)
{
    const char *v = NULL;
    if (rk_node_str(file, map, key, required, &v, d) != RK_OK) return RK_INPUT;
    if (v && required && !*v) {
        const rk_node *n = rk_node_get(map, key);
        return rk_diag_set(d, file, n->line, n->col, "'%s' is empty; expected a value", key);
    }
    *out = v ? rk_xstrdup(v) : NULL;
    return RK_OK;
}

rk_err rk_node_strlist(const char *file, const rk_node *map, const char *key, int required,
                       char ***out, size_t *n, rk_diag *d)
{
    const rk_node *seq = NULL;
    if (rk_node_seq(file, map, key, required, &seq, d) != RK_OK) return RK_INPUT;
    if (!seq) return RK_OK;
    if (required && seq->count == 0)
        return rk_diag_set(d, file, seq->line, seq->col,
                           "'%s' is an empty list; expected at least one item", key);
    *out = rk_xcalloc(seq->count, sizeof(char *));
    *n = 0;
    for (size_t i = 0; i < seq->count; i++) {
        const rk_node *it = seq->items[i];
        if (it->type != RK_NODE_SCALAR)
            return rk_diag_set(d, file, it->line, it->col, "an item of '%s' is %s; expected a string",
                               key, rk_node_kind(it));
        (*out)[(*n)++] = rk_xstrdup(it->value);
    }
    return RK_OK;
}

rk_err rk_node_int(const char *file, const rk_node *map, const char *key, int required,
                   long long min, long long max, long long *out, rk_diag *d)
{
    const rk_node *n = rk_node_get(map, key);
    if (!n || is_null_scalar(n)) {
        if (required) return missing(file, map, key, "a whole number", d);
        return RK_OK;
    }
    if (n->type != RK_NODE_SCALAR || n->quoted)
        return rk_diag_set(d, file, n->line, n->col, "'%s' is %s; expected a whole number", key,
                           n->type == RK_NODE_SCALAR ? "a quoted string" : rk_node_kind(n));
    const char *s = n->value;
    char *end;
    int neg = s[0] == '-';
    const char *digits = (s[0] == '-' || s[0] == '+') ? s + 1 : s;
    if (!*digits || strspn(digits, "0123456789_") != strlen(digits))
        return rk_diag_set(d, file, n->line, n->col, "'%s' is '%s'; expected a whole number",
                           key, s);
    char clean[64];
    size_t j = 0;
    for (const char *p = digits; *p && j < sizeof clean - 1; p++)
        if (*p != '_') clean[j++] = *p;
    clean[j] = '\0';
    if (j > 18)
        return rk_diag_set(d, file, n->line, n->col,
                           "'%s' is %s; expected a number from %lld to %lld", key, s, min, max);
    long long v = strtoll(clean, &end, 10);
    if (neg) v = -v;
    if (v < min || v > max)
        return rk_diag_set(d, file, n->line, n->col,
                           "'%s' is %lld; expected a number from %lld to %lld", key, v, min, max);
    *out = v;
    return RK_OK;
}

rk_err rk_node_bool(const char *file, const rk_node *map, const char *key, int required,
                    int *out, rk_diag *d)
{
    const rk_node *n = rk_node_get(map, key);
    if (!n || is_null_scalar(n)) {
        if (required) return missing(file, map, key, "true or false", d);
        return RK_OK;
    }
    if (n->type == RK_NODE_SCALAR && !n->quoted) {
        if (!strcmp(n->value, "true") || !strcmp(n->value, "True") || !strcmp(n->value, "TRUE")) {
            *out = 1;
            return RK_OK;
        }
        if (!strcmp(n->value, "false") || !strcmp(n->value, "False") ||
            !strcmp(n->value, "FALSE")) {
            *out = 0;
            return RK_OK;
        }
    }
    return rk_diag_set(d, file, n->line, n->col, "'%s' is '%s'; expected true or false", key,
                       n->type == RK_NODE_SCALAR ? n->value : rk_node_kind(n));
}

static rk_err typed(const char *file, const rk_node *map, const char *key, int required,
                    const rk_node **out, rk_diag *d, rk_node_type type, const char *what)
{
    const rk_node *n = rk_node_get(map, key);
    if (!n || is_null_scalar(n)) {
        if (required) return missing(file, map, key, what, d);
        return RK_OK;
    }
    if (n->type != type)
        return rk_diag_set(d, file, n->line, n->col, "'%s' is %s; expected %s", key,
                           rk_node_kind(n), what);
    *out = n;
    return RK_OK;
}

rk_err rk_node_seq(const char *file, const rk_node *map, const char *key, int required,
                   const rk_node **out, rk_diag *d)
{
    return typed(file, map, key, required, out, d, RK_NODE_SEQ, "a list");
}

rk_err rk_node_map(const char *file, const rk_node *map, const char *key, int required,
                   const rk_node **out, rk_diag *d)
{
    return typed(file, map, key, required, out, d, RK_NODE_MAP, "a mapping");
}

rk_err rk_node_only_keys(const char *file, const rk_node *map, const char *const *allowed,
                         rk_diag *d)
{
    for (size_t i = 0; i < map->count; i++) {
        const char *k = map->keys[i]->value;
        int found = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, k) == 0) {
                found = 1;
                break;
            }
        if (!found) {
            rk_buf b = {0};
            for (const char *const *a = allowed; *a; a++) {
                if (a != allowed) rk_buf_puts(&b, ", ");
                rk_buf_puts(&b, *a);
            }
            rk_diag_set(d, file, map->keys[i]->line, map->keys[i]->col,
                        "unknown key '%s'; expected one of: %s", k, b.data ? b.data : "");
            rk_buf_free(&b);
            return RK_INPUT;
        }
    }
    return RK_OK;
}
