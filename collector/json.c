/* json.c - streaming JSON writer: structure bookkeeping, UTF-8 repair, escaping. */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xalloc.h"

void rkc_buf_add(rkc_buf *b, const void *p, size_t n)
{
    if (n == 0)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = rkc_xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void rkc_buf_adds(rkc_buf *b, const char *s)
{
    rkc_buf_add(b, s, strlen(s));
}

void rkc_buf_free(rkc_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 if invalid; *bad is
 * then the length of the maximal invalid subpart to replace. */
static size_t utf8_valid(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        need = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        *bad = 1;
        return 0;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= n || s[i] < lo || s[i] > hi) {
            *bad = i;
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
    }
    return need + 1;
}

size_t rkc_json_escape(rkc_buf *b, const char *str, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, run = 0, replaced = 0;
    while (i < n) {
        unsigned char c = s[i];
        const char *esc = NULL;
        char u[7];
        size_t bad = 0, ok;
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F && c < 0x80) {
            i++;
            run++;
            continue;
        }
        if (c >= 0x80 && (ok = utf8_valid(s + i, n - i, &bad)) > 0) {
            i += ok;
            run += ok;
            continue;
        }
        rkc_buf_add(b, s + i - run, run);
        run = 0;
        if (c >= 0x80 || c == 0) {
            rkc_buf_add(b, "\xEF\xBF\xBD", 3);
            replaced++;
            i += c ? bad : 1;
            continue;
        }
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            memcpy(u, "\\u00", 4);
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
            u[6] = '\0';
            esc = u;
        }
        rkc_buf_adds(b, esc);
        i++;
    }
    rkc_buf_add(b, s + i - run, run);
    return replaced;
}

void rkc_json_init(rkc_json *j, int indent)
{
    memset(j, 0, sizeof *j);
    j->indent = indent;
}

void rkc_json_free(rkc_json *j)
{
    rkc_buf_free(&j->out);
}

static void newline(rkc_json *j)
{
    if (!j->indent)
        return;
    rkc_buf_add(&j->out, "\n", 1);
    for (int i = 0; i < j->depth * j->indent; i++)
        rkc_buf_add(&j->out, " ", 1);
}

/* Writes what must precede a value: separators and indentation, or flags misuse. */
static int before_value(rkc_json *j)
{
    if (j->done) {
        j->error = 1;
        return -1;
    }
    if (j->depth > 0 && j->in_object[j->depth]) {
        if (!j->have_key) {
            j->error = 1;
            return -1;
        }
        j->have_key = 0;
        return 0;
    }
    if (j->depth > 0) {
        if (j->count[j->depth])
            rkc_buf_add(&j->out, ",", 1);
        j->count[j->depth] = 1;
        newline(j);
    }
    return 0;
}

static void after_value(rkc_json *j)
{
    if (j->depth == 0)
        j->done = 1;
}

/* A member writer may not close the object it was made for. */
static int below_base(const rkc_json *j)
{
    return j->base && j->depth <= j->base;
}

void rkc_json_key(rkc_json *j, const char *key)
{
    if (j->depth == 0 || !j->in_object[j->depth] || j->have_key || !key) {
        j->error = 1;
        return;
    }
    if (j->count[j->depth])
        rkc_buf_add(&j->out, ",", 1);
    j->count[j->depth] = 1;
    newline(j);
    rkc_buf_add(&j->out, "\"", 1);
    rkc_json_escape(&j->out, key, strlen(key));
    rkc_buf_adds(&j->out, j->indent ? "\": " : "\":");
    j->have_key = 1;
}

static void begin(rkc_json *j, int object)
{
    if (before_value(j) < 0)
        return;
    if (j->depth >= RKC_JSON_MAX_DEPTH) {
        j->error = 1;
        return;
    }
    rkc_buf_add(&j->out, object ? "{" : "[", 1);
    j->depth++;
    j->in_object[j->depth] = (unsigned char)object;
    j->count[j->depth] = 0;
}

static void end(rkc_json *j, int object)
{
    if (j->depth == 0 || j->in_object[j->depth] != object || j->have_key || below_base(j)) {
        j->error = 1;
        return;
    }
    int empty = !j->count[j->depth];
    j->depth--;
    if (!empty)
        newline(j);
    rkc_buf_add(&j->out, object ? "}" : "]", 1);
    after_value(j);
}

void rkc_json_begin_object(rkc_json *j) { begin(j, 1); }
void rkc_json_end_object(rkc_json *j) { end(j, 1); }
void rkc_json_begin_array(rkc_json *j) { begin(j, 0); }
void rkc_json_end_array(rkc_json *j) { end(j, 0); }

void rkc_json_string_len(rkc_json *j, const char *s, size_t n)
{
    if (!s) {
        rkc_json_null(j);
        return;
    }
    if (before_value(j) < 0)
        return;
    rkc_buf_add(&j->out, "\"", 1);
    rkc_json_escape(&j->out, s, n);
    rkc_buf_add(&j->out, "\"", 1);
    after_value(j);
}

void rkc_json_string(rkc_json *j, const char *s)
{
    rkc_json_string_len(j, s, s ? strlen(s) : 0);
}

static void raw_value(rkc_json *j, const char *text, size_t n)
{
    if (before_value(j) < 0)
        return;
    rkc_buf_add(&j->out, text, n);
    after_value(j);
}

void rkc_json_uint(rkc_json *j, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    raw_value(j, tmp + i, sizeof tmp - i);
}

void rkc_json_int(rkc_json *j, int64_t v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[--i] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    if (v < 0)
        tmp[--i] = '-';
    raw_value(j, tmp + i, sizeof tmp - i);
}

void rkc_json_bool(rkc_json *j, int v)
{
    if (v)
        raw_value(j, "true", 4);
    else
        raw_value(j, "false", 5);
}

void rkc_json_null(rkc_json *j)
{
    raw_value(j, "null", 4);
}

void rkc_json_init_members(rkc_json *j, int indent, int depth)
{
    rkc_json_init(j, indent);
    if (depth < 1 || depth > RKC_JSON_MAX_DEPTH) {
        j->error = 1;
        return;
    }
    j->depth = depth;
    j->in_object[depth] = 1;
    j->count[depth] = 1; /* the first member follows the host writer's own members */
    j->base = depth;
}

void rkc_json_splice(rkc_json *j, const rkc_json *m)
{
    if (m->error || m->base == 0 || m->depth != m->base || m->have_key || j->depth != m->base ||
        !j->in_object[j->depth] || j->have_key) {
        j->error = 1;
        return;
    }
    const char *text = m->out.data ? m->out.data : "";
    size_t len = m->out.len;
    if (!j->count[j->depth] && len > 0 && text[0] == ',') { /* first member: no comma */
        text++;
        len--;
    }
    rkc_buf_add(&j->out, text, len);
    if (len > 0)
        j->count[j->depth] = 1;
}

int rkc_json_finish(rkc_json *j, const char **text, size_t *len)
{
    if (j->error || !j->done || j->depth != 0)
        return -1;
    rkc_buf_add(&j->out, "\n", 1);
    j->error = 1; /* nothing may follow */
    *text = j->out.data;
    *len = j->out.len;
    return 0;
}
