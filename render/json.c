/* json.c - JSON with positions: cJSON parses, one pass over the text records where each
 * value starts, one walk over the tree bounds and sanitises it. */
#include "json.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;

/* cJSON keeps no positions and no parent links. Rather than write a second JSON parser,
 * the text cJSON has accepted (so it is well formed) is scanned once more in the same
 * order as the tree, when a message first needs a position, and each node's offset goes
 * into a hash table keyed by the node. */
typedef struct pos_slot {
    const cJSON *node;
    uint32_t off;    /* where the value starts */
    uint32_t keyoff; /* where the member's key starts (== off for elements) */
} pos_slot;

struct rk_json {
    char *path;
    cJSON *root;
    int owns_root;
    char *text; /* a copy of the text, for line and column */
    size_t len;
    pos_slot *slots;
    size_t nslots; /* a power of two */
    size_t used;
    int scanned;   /* positions recorded (see positions()) */
};

void rk_offset_to_linecol(const char *buf, size_t len, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    if (off > len) off = len;
    for (size_t i = 0; i < off; i++) {
        if (buf[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

void rk_json_show(const char *s, size_t max, char *out, size_t outlen)
{
    size_t n = 0;
    while (n < max && s[n] && s[n] != '\n' && s[n] != '\r') n++;
    if (n == max)
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    char *cut = rk_xstrndup(s, n);
    char *clean = rk_utf8_sanitize(cut, 0, NULL);
    snprintf(out, outlen, "%s", clean);
    free(cut);
    free(clean);
}

const char *rk_json_kind(const cJSON *v)
{
    if (!v) return "missing";
    if (cJSON_IsNull(v)) return "null";
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsArray(v)) return "a list";
    if (cJSON_IsObject(v)) return "an object";
    return "invalid";
}

/* ---- positions ------------------------------------------------------------------ */

static size_t slot_of(const rk_json *j, const cJSON *node)
{
    uintptr_t h = (uintptr_t)node;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15ULL;
    return (size_t)(h >> 7) & (j->nslots - 1);
}

static void pos_put(rk_json *j, const cJSON *node, size_t off, size_t keyoff)
{
    if ((j->used + 1) * 2 > j->nslots) {
        pos_slot *old = j->slots;
        size_t n = j->nslots;
        j->nslots = n ? n * 2 : 256;
        j->slots = rk_xcalloc(j->nslots, sizeof(pos_slot));
        j->used = 0;
        for (size_t i = 0; i < n; i++)
            if (old[i].node) pos_put(j, old[i].node, old[i].off, old[i].keyoff);
        free(old);
    }
    size_t h = slot_of(j, node);
    while (j->slots[h].node && j->slots[h].node != node) h = (h + 1) & (j->nslots - 1);
    if (!j->slots[h].node) j->used++;
    j->slots[h] = (pos_slot){node, (uint32_t)off, (uint32_t)keyoff};
}

static size_t scan(rk_json *j, const cJSON *node, size_t i, size_t keyoff);

/* Records every node's position the first time one is asked for: only messages need
 * them, and most files have none to give (a fact file of a fleet's host has hundreds of
 * thousands of values). The tree keeps its shape after parsing, so a later scan finds
 * what an immediate one would; the index is a cache, hence the cast. */
static void positions(const rk_json *cj)
{
    rk_json *j = (rk_json *)cj;
    if (j->scanned || !j->root) return;
    j->scanned = 1;
    scan(j, j->root, 0, SIZE_MAX);
}

static const pos_slot *pos_get(const rk_json *j, const cJSON *node)
{
    positions(j);
    if (!j->nslots || !node) return NULL;
    size_t h = slot_of(j, node);
    while (j->slots[h].node) {
        if (j->slots[h].node == node) return &j->slots[h];
        h = (h + 1) & (j->nslots - 1);
    }
    return NULL;
}

/* White space as cJSON reads it: every byte up to and including space (so a vertical
 * tab or form feed between tokens keeps the two scans in step). */
static size_t skip_ws(const char *b, size_t n, size_t i)
{
    while (i < n && (unsigned char)b[i] <= 0x20) i++;
    return i;
}

static size_t skip_string(const char *b, size_t n, size_t i)
{
    for (i++; i < n && b[i] != '"'; i++)
        if (b[i] == '\\') i++;
    return i < n ? i + 1 : n;
}

static size_t skip_scalar(const char *b, size_t n, size_t i)
{
    if (i < n && b[i] == '"') return skip_string(b, n, i);
    while (i < n && (unsigned char)b[i] > 0x20 && !strchr(",]}", b[i])) i++;
    return i;
}

/* Records node (whose text starts at or after i) and its children; returns the offset
 * just past it. Recursion is bounded by the depth limit checked before. */
static size_t scan(rk_json *j, const cJSON *node, size_t i, size_t keyoff)
{
    const char *b = j->text;
    size_t n = j->len;
    i = skip_ws(b, n, i);
    pos_put(j, node, i, keyoff == SIZE_MAX ? i : keyoff);
    if (i >= n || (b[i] != '{' && b[i] != '[')) return skip_scalar(b, n, i);
    int obj = b[i] == '{';
    i++;
    for (const cJSON *c = node->child; c; c = c->next) {
        i = skip_ws(b, n, i);
        size_t k = SIZE_MAX;
        if (obj) {
            k = i;
            i = skip_ws(b, n, skip_string(b, n, i));
            if (i < n && b[i] == ':') i++;
        }
        i = skip_ws(b, n, scan(j, c, i, k));
        if (i < n && b[i] == ',') i++;
    }
    i = skip_ws(b, n, i);
    return i < n ? i + 1 : n;
}

void rk_json_where(const rk_json *j, const cJSON *node, int *line, int *col)
{
    const pos_slot *s = j ? pos_get(j, node) : NULL;
    if (!s) {
        *line = *col = 0;
        return;
    }
    rk_offset_to_linecol(j->text, j->len, s->off, line, col);
}

static rk_err error_at(const rk_json *j, size_t off, rk_diag *d, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    int line = 0, col = 0;
    if (off != SIZE_MAX) rk_offset_to_linecol(j->text, j->len, off, &line, &col);
    return rk_diag_set(d, j->path, line, col, "%s", msg);
}

rk_err rk_json_error(const rk_json *j, const cJSON *node, rk_diag *d, const char *fmt, ...)
{
    const pos_slot *s = pos_get(j, node);
    va_list ap;
    va_start(ap, fmt);
    rk_err e = error_at(j, s ? s->off : SIZE_MAX, d, fmt, ap);
    va_end(ap);
    return e;
}

static rk_err key_error(const rk_json *j, const cJSON *node, rk_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static rk_err key_error(const rk_json *j, const cJSON *node, rk_diag *d, const char *fmt, ...)
{
    const pos_slot *s = pos_get(j, node);
    va_list ap;
    va_start(ap, fmt);
    rk_err e = error_at(j, s ? s->keyoff : SIZE_MAX, d, fmt, ap);
    va_end(ap);
    return e;
}

/* ---- before cJSON: NUL bytes, \u0000 and depth ------------------------------------ */

static rk_err prescan(rk_json *j, int max_depth, const char *expect, rk_diag *d, int *open)
{
    const char *b = j->text;
    int depth = 0, in_str = 0;
    for (size_t i = 0; i < j->len; i++) {
        char ch = b[i];
        if (ch == '\0') {
            int l, c;
            rk_offset_to_linecol(b, j->len, i, &l, &c);
            return rk_diag_set(d, j->path, l, c, "a NUL byte; expected JSON text");
        }
        if (in_str) {
            if (ch == '\\') {
                if (i + 5 < j->len && !memcmp(b + i + 1, "u0000", 5)) {
                    int l, c;
                    rk_offset_to_linecol(b, j->len, i, &l, &c);
                    return rk_diag_set(d, j->path, l, c,
                                       "a \\u0000 escape in a string cannot be represented; "
                                       "expected text without NUL characters");
                }
                i++;
            } else if (ch == '"') {
                in_str = 0;
            }
        } else if (ch == '"') {
            in_str = 1;
        } else if (ch == '{' || ch == '[') {
            if (++depth > max_depth) {
                int l, c;
                rk_offset_to_linecol(b, j->len, i, &l, &c);
                return rk_diag_set(d, j->path, l, c, "nested more than %d levels deep; expected %s",
                                   max_depth, expect);
            }
        } else if (ch == '}' || ch == ']') {
            depth--;
        }
    }
    *open = in_str || depth > 0;
    return RK_OK;
}

static rk_err syntax_error(rk_json *j, const char *end, int open, const char *expect, rk_diag *d)
{
    const char *t = j->text;
    size_t len = j->len;
    size_t off = end && end >= t && end <= t + len ? (size_t)(end - t) : 0;
    if (!end) {
        const char *e = cJSON_GetErrorPtr();
        if (e && e >= t && e <= t + len) off = (size_t)(e - t);
    }
    int l, c;
    if (off >= len) {
        rk_offset_to_linecol(t, len, len, &l, &c);
        return rk_diag_set(d, j->path, l, c, "invalid JSON: the file ends too early (truncated?)");
    }
    /* cJSON may stop on the white space after the offending token: point at the token */
    if (strchr(" \t\r\n", t[off])) {
        while (off > 0 && strchr(" \t\r\n", t[off - 1])) off--;
        if (off > 0) off--;
    }
    rk_offset_to_linecol(t, len, off, &l, &c);
    char near[64];
    rk_json_show(t + off, 12, near, sizeof near);
    return rk_diag_set(d, j->path, l, c, "invalid JSON near '%s'; expected %s%s", near, expect,
                       open ? " (the file ends inside a string or an open { or [: truncated?)" : "");
}

/* ---- after cJSON: sanitising, duplicates, numbers -------------------------------- */

static int plain_text(const char *s, int keep_newlines)
{
    for (const unsigned char *q = (const unsigned char *)s; *q; q++)
        if (*q >= 0x7F || (*q < 0x20 && !(keep_newlines && (*q == '\t' || *q == '\n' || *q == '\r'))))
            return 0;
    return 1;
}

static int replace_text(char **slot, const char *clean)
{
    char *copy = cJSON_malloc(strlen(clean) + 1);
    if (!copy) return -1;
    strcpy(copy, clean);
    cJSON_free(*slot);
    *slot = copy;
    return 0;
}

/* Where a node sits, as messages name it ("host.addresses[2]"). Built only when a
 * message needs it: a fact file has hundreds of thousands of values, and formatting the
 * path of each was a third of the reading time. */
typedef struct jpath {
    const struct jpath *up; /* the parent's place; NULL for the root's children */
    const cJSON *parent, *node;
    int index;
} jpath;

static void path_text(const jpath *p, rk_buf *out)
{
    if (!p) return;
    path_text(p->up, out);
    if (cJSON_IsObject(p->parent)) {
        if (out->len) rk_buf_putc(out, '.');
        char shown[200];
        rk_json_show(p->node->string ? p->node->string : "", 60, shown, sizeof shown);
        rk_buf_puts(out, shown);
    } else {
        rk_buf_printf(out, "[%d]", p->index);
    }
}

/* The path as text; caller frees. */
static char *path_str(const jpath *p)
{
    rk_buf b = {0};
    path_text(p, &b);
    if (!b.data) rk_buf_puts(&b, "");
    return rk_buf_take(&b);
}

typedef struct walk_ctx {
    rk_json *j;
    const rk_json_opts *o;
    rk_diag *d;
    rk_warnings *w;
} walk_ctx;

static int cmp_node_name(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(x->string ? x->string : "", y->string ? y->string : "");
}

/* A text of the document, replaced when it holds invalid UTF-8 or control characters
 * (sanitize), refused otherwise. */
static rk_err clean_text(walk_ctx *c, const cJSON *node, char **text, int is_key,
                         const jpath *at)
{
    if (!*text || plain_text(*text, !is_key)) return RK_OK;
    int changed = 0;
    char *clean = rk_utf8_sanitize(*text, !is_key, &changed);
    char *where = path_str(at);
    rk_err e = RK_OK;
    if (changed && !c->o->sanitize) {
        e = (is_key ? key_error : rk_json_error)(c->j, node, c->d,
                                                 "'%s' has invalid UTF-8 or control characters; "
                                                 "expected text",
                                                 where);
    } else if (changed) {
        int l = 0, col = 0;
        const pos_slot *ps = pos_get(c->j, node);
        if (ps) rk_offset_to_linecol(c->j->text, c->j->len, is_key ? ps->keyoff : ps->off, &l, &col);
        rk_warn(c->w, c->j->path, l, col, is_key ? "warn.replaced_key" : "warn.replaced_value",
                "path", where, NULL);
        if (replace_text(text, clean) != 0) e = rk_diag_set(c->d, c->j->path, 0, 0, "out of memory");
    }
    free(where);
    free(clean);
    return e;
}

static rk_err check_number(walk_ctx *c, const cJSON *v, const jpath *at)
{
    /* beyond 2^53 a double no longer holds every integer: 2^53 + 1 would be read as 2^53
     * without a word, so such numbers are refused rather than altered; where values are
     * data read as they are (a registry QWORD), they are kept and the rounding said */
    if (isfinite(v->valuedouble) && fabs(v->valuedouble) < 9007199254740992.0) return RK_OK;
    char *where = path_str(at);
    rk_err e = RK_OK;
    const char *lax = c->o->inexact_ok;
    size_t ln = lax ? strlen(lax) : 0;
    if (!isfinite(v->valuedouble)) {
        e = rk_json_error(c->j, v, c->d, "'%s' is a number too large to represent; expected a "
                                         "finite number",
                          where);
    } else if (lax && !strncmp(where, lax, ln) && (where[ln] == '.' || where[ln] == '[')) {
        int l, col;
        rk_json_where(c->j, v, &l, &col);
        rk_warn(c->w, c->j->path, l, col, "warn.number_inexact", "path", where, NULL);
    } else {
        e = rk_json_error(c->j, v, c->d,
                          "'%s' is a number beyond 2^53, which cannot be read exactly; expected "
                          "a number from -9007199254740991 to 9007199254740991",
                          where);
    }
    free(where);
    return e;
}

static rk_err check_duplicates(walk_ctx *c, const cJSON *obj, const jpath *at)
{
    size_t n = 0;
    for (const cJSON *k = obj->child; k; k = k->next) n++;
    if (n < 2) return RK_OK;
    const cJSON **v = rk_xmalloc(n * sizeof(*v));
    n = 0;
    for (const cJSON *k = obj->child; k; k = k->next) v[n++] = k;
    qsort(v, n, sizeof(*v), cmp_node_name);
    rk_err e = RK_OK;
    for (size_t i = 1; i < n && e == RK_OK; i++) {
        if (strcmp(v[i - 1]->string ? v[i - 1]->string : "", v[i]->string ? v[i]->string : ""))
            continue;
        /* the later of the two in the text is the duplicate */
        const pos_slot *a = pos_get(c->j, v[i - 1]), *b = pos_get(c->j, v[i]);
        const cJSON *dup = a && b && a->keyoff > b->keyoff ? v[i - 1] : v[i];
        const cJSON *first = dup == v[i] ? v[i - 1] : v[i];
        jpath here = {at, obj, dup, 0};
        char *p = path_str(&here);
        int fl, fc;
        const pos_slot *fs = pos_get(c->j, first);
        rk_offset_to_linecol(c->j->text, c->j->len, fs ? fs->keyoff : 0, &fl, &fc);
        e = key_error(c->j, dup, c->d, "duplicate key '%s' (first at line %d); expected each key once",
                      p, fl);
        free(p);
    }
    free(v);
    return e;
}

static rk_err walk(walk_ctx *c, cJSON *node, const jpath *at)
{
    int index = 0;
    for (cJSON *k = node->child; k; k = k->next, index++) {
        jpath here = {at, node, k, index};
        rk_err e = RK_OK;
        if (cJSON_IsObject(node) && !(k->type & cJSON_StringIsConst))
            e = clean_text(c, k, &k->string, 1, &here);
        if (e == RK_OK && cJSON_IsNumber(k)) e = check_number(c, k, &here);
        if (e == RK_OK && cJSON_IsString(k)) e = clean_text(c, k, &k->valuestring, 0, &here);
        if (e == RK_OK && k->child) e = walk(c, k, &here);
        if (e != RK_OK) return e;
    }
    return cJSON_IsObject(node) ? check_duplicates(c, node, at) : RK_OK;
}

/* ---- the document ---------------------------------------------------------------- */

void rk_json_free(rk_json *j)
{
    if (!j) return;
    if (j->owns_root) cJSON_Delete(j->root);
    free(j->path);
    free(j->text);
    free(j->slots);
    free(j);
}

const cJSON *rk_json_root(const rk_json *j) { return j->root; }
const char *rk_json_path(const rk_json *j) { return j->path; }

cJSON *rk_json_take(rk_json *j)
{
    j->owns_root = 0;
    return j->root;
}

/* The offset just past the JSON string that starts at b[i] ('"'), or len. */
static size_t string_end(const char *b, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (b[i] == '\\') i++;
        else if (b[i] == '"') return i + 1;
    }
    return len;
}

/* Blanks the values of the top-level members named in skip that are lists or objects:
 * everything between the brackets becomes spaces but line ends, so the value parses as
 * empty and every position after it stays where it was. Text that is not an object, or
 * is malformed, is left to the parser to refuse. */
static void blank_members(char *b, size_t len, const char *const *skip)
{
    size_t i = strspn(b, " \t\r\n");
    if (i >= len || b[i] != '{') return;
    for (i++; i < len;) {
        i += strspn(b + i, " \t\r\n,");
        if (i >= len || b[i] != '"') return;
        size_t kend = string_end(b, len, i), klen = kend - i - 2;
        int wanted = 0;
        for (size_t k = 0; skip[k] && !wanted; k++)
            wanted = strlen(skip[k]) == klen && !memcmp(b + i + 1, skip[k], klen);
        i = kend + strspn(b + kend, " \t\r\n");
        if (i >= len || b[i] != ':') return;
        i += 1 + strspn(b + i + 1, " \t\r\n");
        if (i >= len) return;
        /* the value: a string, a list or object (to its matching bracket), or a scalar */
        size_t start = i;
        int depth = 0;
        for (; i < len; i++) {
            char ch = b[i];
            if (ch == '"') {
                i = string_end(b, len, i) - 1;
                if (!depth) { i++; break; }
            } else if (ch == '{' || ch == '[') {
                depth++;
            } else if (ch == '}' || ch == ']') {
                if (!depth) break; /* the end of the document's object */
                if (!--depth) { i++; break; }
            } else if (!depth && ch == ',') {
                break;
            }
        }
        if (wanted && (b[start] == '[' || b[start] == '{') && i - start >= 2 && !depth)
            for (size_t k = start + 1; k < i - 1; k++)
                if (b[k] != '\n' && b[k] != '\r') b[k] = ' ';
        if (i >= len || b[i] == '}') return;
    }
}

rk_json *rk_json_parse_owned(const char *path, char *buf, size_t len, const rk_json_opts *o,
                             rk_diag *d, rk_warnings *w)
{
    rk_json *j = rk_xcalloc(1, sizeof(*j));
    j->path = rk_xstrdup(path);
    j->text = buf;
    j->len = len;
    j->owns_root = 1;
    const char *expect = o->expect ? o->expect : "JSON";
    int open = 0;
    if (len == strspn(buf, " \t\r\n")) {
        rk_diag_set(d, path, 0, 0, "the file is empty; expected %s", expect);
        goto fail;
    }
    if (!o->sanitize) {
        size_t bad;
        if (!rk_utf8_valid(buf, len, &bad)) {
            int l, col;
            rk_offset_to_linecol(buf, len, bad, &l, &col);
            rk_diag_set(d, path, l, col, "invalid UTF-8; expected UTF-8 text");
            goto fail;
        }
    }
    if (prescan(j, o->max_depth > 0 ? o->max_depth : 64, expect, d, &open) != RK_OK) goto fail;
    if (o->skip && !open) blank_members(j->text, len, o->skip);
    /* cJSON 1.7.15's trailing-garbage check reads the terminating NUL as part of the
     * buffer, so the length passed includes it (j->text[len] is NUL, and the prescan
     * refused NUL bytes inside) */
    const char *end = NULL;
    /* cJSON 1.7.15 records every parse's error in a global (which nothing here reads):
     * one parse at a time, for fact files read on several threads */
    pthread_mutex_lock(&parse_lock);
    j->root = cJSON_ParseWithLengthOpts(j->text, len + 1, &end, 1);
    pthread_mutex_unlock(&parse_lock);
    if (!j->root) {
        syntax_error(j, end, open, expect, d);
        goto fail;
    }
    walk_ctx c = {j, o, d, w};
    if (walk(&c, j->root, NULL) != RK_OK) goto fail;
    return j;
fail:
    rk_json_free(j);
    return NULL;
}

rk_json *rk_json_parse(const char *path, const char *buf, size_t len, const rk_json_opts *o,
                       rk_diag *d, rk_warnings *w)
{
    return rk_json_parse_owned(path, rk_xstrndup(buf, len), len, o, d, w);
}

rk_json *rk_json_load(const char *path, size_t max_bytes, const rk_json_opts *o,
                      char sha256[65], rk_diag *d, rk_warnings *w)
{
    char *buf;
    size_t len;
    char err[512];
    if (rk_read_file(path, max_bytes, &buf, &len, err, sizeof err) != 0) {
        rk_diag_set(d, path, 0, 0, "%s", err);
        return NULL;
    }
    if (sha256) rk_sha256_hex(buf, len, sha256);
    if (rk_text_normalise(&buf, &len) != 0) {
        rk_diag_set(d, path, 0, 0, "UTF-16 text with an odd number of bytes; expected UTF-8");
        free(buf);
        return NULL;
    }
    return rk_json_parse_owned(path, buf, len, o, d, w);
}
