/* yaml_tree.c - YAML files read into a bounded tree with source positions (libyaml events). */
#include "yaml_tree.h"

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

rk_node *rk_yaml_parse(const char *file, const char *buf, size_t len, rk_diag *d)
{
    size_t bad;
    if (!rk_utf8_valid(buf, len, &bad)) {
        int line, col = 1;
        line = 1;
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
        return NULL;
    }
    if (memchr(buf, '\0', len)) {
        rk_diag_set(d, file, 0, 0, "contains a NUL byte; expected UTF-8 text");
        return NULL;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        rk_diag_set(d, file, 0, 0, "cannot start the YAML parser");
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

    frame stack[RK_YAML_MAX_DEPTH + 1];
    size_t depth = 0;
    size_t nodes = 0;
    int docs = 0;
    rk_node *root = NULL;
    int ok = 0, done = 0;

    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            const yaml_mark_t *m = &parser.problem_mark;
            if (m->index < len && buf[m->index] == '\t')
                rk_diag_set(d, file, (int)m->line + 1, (int)m->column + 1,
                            "invalid YAML: a tab character; YAML indents with spaces");
            else if (parser.context)
                rk_diag_set(d, file, (int)m->line + 1, (int)m->column + 1,
                            "invalid YAML: %s %s", parser.problem ? parser.problem : "error",
                            parser.context);
            else
                rk_diag_set(d, file, (int)m->line + 1, (int)m->column + 1,
                            "invalid YAML: %s", parser.problem ? parser.problem : "error");
            goto out;
        }
        const yaml_mark_t *m = &ev.start_mark;
        rk_node *made = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            ok = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                rk_diag_set(d, file, (int)m->line + 1, (int)m->column + 1,
                            "a second YAML document; expected exactly one");
                yaml_event_delete(&ev);
                goto out;
            }
            break;
        case YAML_ALIAS_EVENT:
            rk_diag_set(d, file, (int)m->line + 1, (int)m->column + 1,
                        "YAML alias '*%s' is not allowed; write the value out in full",
                        (const char *)ev.data.alias.anchor);
            yaml_event_delete(&ev);
            goto out;
        case YAML_SCALAR_EVENT:
            made = node_new(RK_NODE_SCALAR, m);
            made->value = rk_xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
            made->quoted = ev.data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                           ev.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
                           ev.data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                           ev.data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
            if (memchr(made->value, '\0', ev.data.scalar.length)) {
                rk_diag_set(d, file, made->line, made->col,
                            "a NUL character in a string; expected text");
                rk_node_free(made);
                yaml_event_delete(&ev);
                goto out;
            }
            /* escapes such as "\e" or "\x07" would carry control characters into
             * messages and documents: refused like NUL (tab and line breaks are text) */
            if (has_control(made->value)) {
                rk_diag_set(d, file, made->line, made->col,
                            "a control character (U+%04X) in a string; expected text",
                            has_control(made->value));
                rk_node_free(made);
                yaml_event_delete(&ev);
                goto out;
            }
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (depth >= RK_YAML_MAX_DEPTH) {
                rk_diag_set(d, file, (int)m->line + 1, (int)m->column + 1,
                            "nested more than %d levels deep; expected a flatter file",
                            RK_YAML_MAX_DEPTH);
                yaml_event_delete(&ev);
                goto out;
            }
            made = node_new(ev.type == YAML_SEQUENCE_START_EVENT ? RK_NODE_SEQ : RK_NODE_MAP, m);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: {
            rk_node *n = stack[--depth].node;
            if (n->type == RK_NODE_MAP) {
                const rk_node *first = NULL;
                const rk_node *dup = find_duplicate(n, &first);
                if (dup) {
                    rk_diag_set(d, file, dup->line, dup->col,
                                "duplicate key '%s' (first at line %d); expected each key once",
                                dup->value, first->line);
                    rk_node_free(n);
                    yaml_event_delete(&ev);
                    goto out;
                }
            }
            made = n; /* attach the finished container to its parent below */
            break;
        }
        default:
            break;
        }
        int is_start = ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT;
        yaml_event_delete(&ev);
        if (!made) continue;
        if (is_start || made->type == RK_NODE_SCALAR) {
            if (++nodes > RK_YAML_MAX_NODES) {
                rk_diag_set(d, file, made->line, made->col,
                            "more than %u values; expected a smaller file", RK_YAML_MAX_NODES);
                rk_node_free(made);
                goto out;
            }
        }
        if (is_start) {
            stack[depth].node = made;
            stack[depth].pending_key = NULL;
            depth++;
            continue;
        }
        /* a finished node: attach to the parent, or it is the root */
        if (depth == 0) {
            root = made;
            continue;
        }
        frame *f = &stack[depth - 1];
        if (f->node->type == RK_NODE_SEQ) {
            node_append(f->node, NULL, made);
        } else if (!f->pending_key) {
            if (made->type != RK_NODE_SCALAR) {
                rk_diag_set(d, file, made->line, made->col,
                            "a %s used as a mapping key; expected a plain key",
                            made->type == RK_NODE_SEQ ? "list" : "mapping");
                rk_node_free(made);
                goto out;
            }
            f->pending_key = made;
        } else {
            node_append(f->node, f->pending_key, made);
            f->pending_key = NULL;
        }
    }
out:
    yaml_parser_delete(&parser);
    if (!ok) {
        for (size_t i = 0; i < depth; i++) {
            rk_node_free(stack[i].pending_key);
            rk_node_free(stack[i].node);
        }
        rk_node_free(root);
        return NULL;
    }
    if (!root) {
        yaml_mark_t m0 = {0, 0, 0};
        root = node_new(RK_NODE_MAP, &m0);
    }
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
