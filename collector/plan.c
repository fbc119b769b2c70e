/* plan.c - probe plan parser: probe and collect lines, strict fields, bounded sizes. */
#include "plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xalloc.h"

static int fail(char *err, size_t errlen, int line, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (errlen)
        snprintf(err, errlen, "%d: %s", line, msg);
    return line;
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

/* Copies a field for a message, replacing what is not printable ASCII and cutting
 * it short so messages stay one readable line. */
static const char *show(const char *s, size_t n, char *tmp, size_t tmplen)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 4 < tmplen; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i == 40) {
            memcpy(tmp + k, "...", 3);
            k += 3;
            break;
        }
        tmp[k++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    tmp[k] = '\0';
    return tmp;
}

static int eq_nocase(const char *s, size_t n, const char *lit)
{
    if (strlen(lit) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != lit[i])
            return 0;
    }
    return 1;
}

/* Letters, digits and . - _ : % (IPv6 and scope ids), not starting with '-'. */
static int valid_host(const char *s, size_t n)
{
    if (n == 0 || n > RKC_PLAN_MAX_HOST || s[0] == '-' || s[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_' || c == ':' || c == '%'))
            return 0;
    }
    return 1;
}

/* Letters, digits and . - _ : / + = @ ( ) */
static int valid_flow(const char *s, size_t n)
{
    if (n == 0 || n > RKC_PLAN_MAX_FLOW)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr(".-_:/+=@()", c)))
            return 0;
    }
    return 1;
}

/* Parses a probe line of n bytes (no newline). */
static int parse_probe(const char *s, size_t n, int line, rkc_plan_probe *it, char *err,
                       size_t errlen)
{
    const char *f[5];
    size_t fl[5];
    int nf = 0;
    char tmp[64];
    size_t i = 0;
    while (i < n) {
        while (i < n && is_space(s[i]))
            i++;
        if (i >= n)
            break;
        size_t st = i;
        while (i < n && !is_space(s[i]))
            i++;
        if (nf == 5)
            break;
        f[nf] = s + st;
        fl[nf] = i - st;
        nf++;
    }
    if (nf != 4)
        return fail(err, errlen, line,
                    "%s fields (expected PROTOCOL PORT ADDRESS-OR-NAME FLOW-ID)",
                    nf < 4 ? "too few" : "too many");
    if (eq_nocase(f[0], fl[0], "tcp"))
        it->proto = RKC_TCP;
    else if (eq_nocase(f[0], fl[0], "udp"))
        it->proto = RKC_UDP;
    else
        return fail(err, errlen, line, "unknown protocol '%s' (expected tcp or udp)",
                    show(f[0], fl[0], tmp, sizeof tmp));
    long port = 0;
    int digits_ok = fl[1] > 0 && fl[1] <= 5;
    for (size_t k = 0; digits_ok && k < fl[1]; k++) {
        if (f[1][k] < '0' || f[1][k] > '9')
            digits_ok = 0;
        else
            port = port * 10 + (f[1][k] - '0');
    }
    if (!digits_ok || port < 1 || port > 65535)
        return fail(err, errlen, line, "bad port '%s' (expected a number from 1 to 65535)",
                    show(f[1], fl[1], tmp, sizeof tmp));
    it->port = (int)port;
    if (!valid_host(f[2], fl[2]))
        return fail(err, errlen, line,
                    "bad address or name '%s' (expected an IPv4 or IPv6 address or a DNS "
                    "name of at most %d characters: letters, digits, . - _ : %%)",
                    show(f[2], fl[2], tmp, sizeof tmp), RKC_PLAN_MAX_HOST);
    memcpy(it->host, f[2], fl[2]);
    it->host[fl[2]] = '\0';
    if (!valid_flow(f[3], fl[3]))
        return fail(err, errlen, line,
                    "bad flow id '%s' (expected at most %d characters: letters, digits, "
                    ". - _ : / + = @ ( ))",
                    show(f[3], fl[3], tmp, sizeof tmp), RKC_PLAN_MAX_FLOW);
    memcpy(it->flow, f[3], fl[3]);
    it->flow[fl[3]] = '\0';
    it->line = line;
    return 0;
}

static const struct {
    const char *word;
    int nargs;
    const char *usage;
} kinds[] = {
#define RKC_KIND_ROW(name, word, nargs, usage) {word, nargs, usage},
    RKC_KIND_MAP(RKC_KIND_ROW)
#undef RKC_KIND_ROW
};

const char *rkc_kind_name(rkc_kind k)
{
    return (unsigned)k < RKC_KIND_COUNT ? kinds[k].word : "unknown";
}

/* Length of the well-formed UTF-8 sequence at s (n bytes left), 0 when it is not one:
 * no overlong forms, surrogates or code points above U+10FFFF. Written here rather than
 * shared with json.c so that this file stays one self-contained unit for the fuzzer. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t need;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        need = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    for (size_t i = 1; i <= need; i++) {
        if (i >= n || s[i] < lo || s[i] > hi)
            return 0;
        lo = 0x80;
        hi = 0xBF;
    }
    return need + 1;
}

static int valid_utf8(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq((const unsigned char *)s + i, n - i);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

/* One field of a collect line: its bytes as written (for a quoted field, the text
 * between the quotes, with "" not yet collapsed). */
typedef struct field {
    const char *s;
    size_t n;
    int quoted;
} field;

#define COLLECT_USAGE "collect ID KIND ARG [ARG]"

/* Splits a collect line into fields: bare words (no whitespace, no ") and
 * double-quoted strings ("" stands for one "). Stores at most max fields and counts
 * all in *nf. Returns 0, or the line number with err filled. */
static int split_fields(const char *s, size_t n, int line, field *f, int max, int *nf,
                        char *err, size_t errlen)
{
    size_t i = 0;
    *nf = 0;
    for (;;) {
        while (i < n && is_space(s[i]))
            i++;
        if (i >= n)
            return 0;
        field cur = {s + i, 0, s[i] == '"'};
        if (cur.quoted) {
            size_t st = ++i;
            for (;; i++) {
                if (i >= n)
                    return fail(err, errlen, line, "unterminated quoted argument (expected a "
                                "closing \" on the same line, \"\" for a quote inside)");
                if (s[i] == '"' && i + 1 < n && s[i + 1] == '"')
                    i++;
                else if (s[i] == '"')
                    break;
            }
            cur.s = s + st;
            cur.n = i - st;
            i++;
            if (i < n && !is_space(s[i]))
                return fail(err, errlen, line, "text after a closing quote (expected a space "
                            "or tab after the closing \", \"\" for a quote inside)");
        } else {
            while (i < n && !is_space(s[i])) {
                if (s[i] == '"')
                    return fail(err, errlen, line, "quote inside an unquoted argument "
                                "(expected the whole argument in double quotes, \"\" for a "
                                "quote inside)");
                i++;
            }
            cur.n = (size_t)(s + i - cur.s);
        }
        if (*nf < max)
            f[*nf] = cur;
        (*nf)++;
    }
}

/* The field's text with "" collapsed, as a malloc'ed string. */
static char *unquote(const field *f)
{
    char *o = rkc_xmalloc(f->n + 1);
    size_t k = 0;
    for (size_t i = 0; i < f->n; i++) {
        o[k++] = f->s[i];
        if (f->quoted && f->s[i] == '"')
            i++;
    }
    o[k] = '\0';
    return o;
}

/* A letter, then letters, digits, _ or -, at most RKC_PLAN_MAX_ID. */
static int valid_id(const field *f)
{
    if (f->quoted || f->n == 0 || f->n > RKC_PLAN_MAX_ID)
        return 0;
    for (size_t i = 0; i < f->n; i++) {
        char c = f->s[i];
        int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '_' || c == '-')))
            return 0;
    }
    return 1;
}

/* Whether key starts with prefix (ASCII, any case); then *rest is what follows. */
static int has_prefix(const char *key, const char *prefix, const char **rest)
{
    size_t n = strlen(prefix);
    if (strlen(key) < n || !eq_nocase(key, n, prefix))
        return 0;
    *rest = key + n;
    return 1;
}

/* Splits a registry KEY into its hive and key path: a hive, a backslash, then names
 * separated by single backslashes. Returns 0, or -1 when KEY is not of that form. */
static int split_hive(const char *key, rkc_hive *hive, const char **subkey)
{
    static const struct { const char *prefix; rkc_hive hive; } hives[] = {
        {"hklm\\", RKC_HKLM}, {"hkey_local_machine\\", RKC_HKLM},
        {"hkcu\\", RKC_HKCU}, {"hkey_current_user\\", RKC_HKCU}};
    for (size_t i = 0; i < sizeof hives / sizeof *hives; i++) {
        const char *rest;
        if (!has_prefix(key, hives[i].prefix, &rest))
            continue;
        size_t n = strlen(rest);
        if (n == 0 || rest[0] == '\\' || rest[n - 1] == '\\' || strstr(rest, "\\\\"))
            return -1;
        *hive = hives[i].hive;
        *subkey = rest;
        return 0;
    }
    return -1;
}

/* Kind-specific checks of the unquoted arguments. Returns 0 or the line number. */
static int check_args(rkc_plan_collect *it, const char *usage, int line, char *err,
                      size_t errlen)
{
    char tmp[64];
    if (it->kind == RKC_KIND_REGISTRY && split_hive(it->arg, &it->hive, &it->subkey) != 0)
        return fail(err, errlen, line, "bad registry key '%s' (expected a hive and a key "
                    "path: HKLM\\KEY or HKCU\\KEY, names separated by single backslashes)",
                    show(it->arg, strlen(it->arg), tmp, sizeof tmp));
    if (it->kind == RKC_KIND_WINDOWS_FEATURE && strchr(it->arg, '\\'))
        return fail(err, errlen, line, "bad feature name '%s' (expected a name such as "
                    "Web-Server, without backslashes: %s)",
                    show(it->arg, strlen(it->arg), tmp, sizeof tmp), usage);
    return 0;
}

/* Parses a collect line of n bytes; earlier holds the n_earlier items before it (for
 * duplicate ids). Returns 0 or the line number; on failure *it owns nothing. */
static int parse_collect(const char *s, size_t n, int line, const rkc_plan_collect *earlier,
                         size_t n_earlier, rkc_plan_collect *it, char *err, size_t errlen)
{
    field f[5];
    int nf, rc;
    char tmp[64], usage[96];
    memset(it, 0, sizeof *it);
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
            return fail(err, errlen, line, "control character in line (expected plain text)");
    if (!valid_utf8(s, n))
        return fail(err, errlen, line, "invalid UTF-8 (expected the plan saved as UTF-8 or "
                    "UTF-16 text)");
    if ((rc = split_fields(s, n, line, f, 5, &nf, err, errlen)) != 0)
        return rc;
    if (nf < 3)
        return fail(err, errlen, line, "too few fields (expected " COLLECT_USAGE ")");
    if (!valid_id(&f[1]))
        return fail(err, errlen, line, "bad id '%s%s%s' (expected a letter, then letters, "
                    "digits, _ or -, at most %d characters)", f[1].quoted ? "\"" : "",
                    show(f[1].s, f[1].n, tmp, sizeof tmp), f[1].quoted ? "\"" : "",
                    RKC_PLAN_MAX_ID);
    int k = 0;
    while (k < RKC_KIND_COUNT &&
           (f[2].quoted || !eq_nocase(f[2].s, f[2].n, kinds[k].word)))
        k++;
    if (k == RKC_KIND_COUNT)
        return fail(err, errlen, line, "unknown kind '%s' (expected registry, program, "
                    "file_version, service, windows_feature or file)",
                    show(f[2].s, f[2].n, tmp, sizeof tmp));
    snprintf(usage, sizeof usage, "collect ID %s %s", kinds[k].word, kinds[k].usage);
    if (nf - 3 != kinds[k].nargs)
        return fail(err, errlen, line, "%s takes %d argument%s, not %d (expected %s)",
                    kinds[k].word, kinds[k].nargs, kinds[k].nargs == 1 ? "" : "s", nf - 3,
                    usage);
    if (f[3].n == 0)
        return fail(err, errlen, line, "empty %.*s (expected %s)",
                    (int)strcspn(kinds[k].usage, " "), kinds[k].usage, usage);
    for (size_t i = 0; i < n_earlier; i++)
        if (strlen(earlier[i].id) == f[1].n && memcmp(earlier[i].id, f[1].s, f[1].n) == 0)
            return fail(err, errlen, line, "duplicate id '%s', first on line %d (expected "
                        "each id once)", earlier[i].id, earlier[i].line);
    memcpy(it->id, f[1].s, f[1].n);
    it->id[f[1].n] = '\0';
    it->kind = (rkc_kind)k;
    it->line = line;
    it->arg = unquote(&f[3]);
    it->value = kinds[k].nargs == 2 ? unquote(&f[4]) : NULL;
    if ((rc = check_args(it, usage, line, err, errlen)) != 0) {
        free(it->arg);
        free(it->value);
        memset(it, 0, sizeof *it);
    }
    return rc;
}

/* Whether the line's first field is the word collect (any case). */
static int is_collect_line(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_space(s[i]))
        i++;
    size_t st = i;
    while (i < n && !is_space(s[i]))
        i++;
    return eq_nocase(s + st, i - st, "collect");
}

/* Appends code point cp as UTF-8 to o (room for 4 bytes guaranteed by the caller). */
static size_t put_utf8(unsigned char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* UTF-16 after its byte-order mark (p, n bytes, n even) as UTF-8; unpaired surrogates
 * become U+FFFD. Returns a malloc'ed buffer of *outlen bytes. */
static char *utf16_to_utf8(const unsigned char *p, size_t n, int le, size_t *outlen)
{
    unsigned char *o = rkc_xmalloc(n / 2 * 3 + 4);
    size_t k = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        unsigned long u = le ? (unsigned long)(p[i] | (p[i + 1] << 8))
                             : (unsigned long)((p[i] << 8) | p[i + 1]);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            unsigned long v = le ? (unsigned long)(p[i + 2] | (p[i + 3] << 8))
                                 : (unsigned long)((p[i + 2] << 8) | p[i + 3]);
            if (v >= 0xDC00 && v <= 0xDFFF) {
                k += put_utf8(o + k, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
                i += 2;
                continue;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF)
            u = 0xFFFD;
        k += put_utf8(o + k, u);
    }
    *outlen = k;
    return (char *)o;
}

/* Appends one slot to a growable array of elements of size sz. */
static void *grow(void *arr, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return arr;
    *cap = *cap ? *cap * 2 : 16;
    return rkc_xrealloc(arr, *cap * sz);
}

/* Parses one line that is neither blank nor a comment into p. Returns 0 or the line. */
static int parse_line(const char *s, size_t n, int line, rkc_plan *p, size_t *cap_probes,
                      size_t *cap_collect, char *err, size_t errlen)
{
    int rc;
    if (is_collect_line(s, n)) {
        if (p->ncollect == RKC_PLAN_MAX_ITEMS)
            return fail(err, errlen, line, "too many collect items (expected at most %d)",
                        RKC_PLAN_MAX_ITEMS);
        p->collect = grow(p->collect, p->ncollect, cap_collect, sizeof *p->collect);
        rc = parse_collect(s, n, line, p->collect, p->ncollect, &p->collect[p->ncollect], err,
                           errlen);
        p->ncollect += rc == 0;
        return rc;
    }
    if (p->nprobes == RKC_PLAN_MAX_PROBES)
        return fail(err, errlen, line, "too many probes (expected at most %d)",
                    RKC_PLAN_MAX_PROBES);
    p->probes = grow(p->probes, p->nprobes, cap_probes, sizeof *p->probes);
    rc = parse_probe(s, n, line, &p->probes[p->nprobes], err, errlen);
    p->nprobes += rc == 0;
    return rc;
}

int rkc_plan_parse(const char *buf, size_t len, rkc_plan *out, char *err, size_t errlen)
{
    size_t pos = 0, cap_probes = 0, cap_collect = 0;
    int line = 0, rc = 0;
    rkc_plan p = {NULL, 0, NULL, 0};
    if (errlen)
        err[0] = '\0';
    memset(out, 0, sizeof *out);
    if (len > RKC_PLAN_MAX_BYTES)
        return fail(err, errlen, 1, "plan is larger than %u bytes (expected a plan from "
                    "readykit plan)", RKC_PLAN_MAX_BYTES);
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    /* UTF-16 with a byte-order mark: what Windows PowerShell 5.1's `>` writes when a
     * plan is saved again on the customer's side */
    if (len >= 2 && (memcmp(buf, "\xFF\xFE", 2) == 0 || memcmp(buf, "\xFE\xFF", 2) == 0)) {
        if (len % 2)
            return fail(err, errlen, 1, "UTF-16 text with an odd number of bytes (expected a "
                        "plan from readykit plan, saved as UTF-8 or UTF-16)");
        size_t n;
        char *u = utf16_to_utf8((const unsigned char *)buf + 2, len - 2, buf[0] == '\xFF', &n);
        rc = rkc_plan_parse(u, n, out, err, errlen);
        free(u);
        return rc;
    }
    while (pos < len && rc == 0) {
        const char *s = buf + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl ? 1 : 0);
        if (++line > RKC_PLAN_MAX_LINES) {
            rc = fail(err, errlen, line, "too many lines (expected at most %d)",
                      RKC_PLAN_MAX_LINES);
            break;
        }
        if (n > 0 && s[n - 1] == '\r')
            n--;
        if (n > RKC_PLAN_MAX_LINE)
            rc = fail(err, errlen, line, "line is longer than %d bytes (expected one probe "
                      "or collect line)", RKC_PLAN_MAX_LINE);
        else if (memchr(s, '\0', n) || memchr(s, '\r', n))
            rc = fail(err, errlen, line, "control character in line (expected plain text)");
        else {
            size_t i = 0;
            while (i < n && is_space(s[i]))
                i++;
            if (i < n && s[i] != '#')
                rc = parse_line(s, n, line, &p, &cap_probes, &cap_collect, err, errlen);
        }
    }
    if (rc != 0) {
        rkc_plan_free(&p);
        return rc;
    }
    *out = p;
    return 0;
}

void rkc_plan_free(rkc_plan *p)
{
    for (size_t i = 0; i < p->ncollect; i++) {
        free(p->collect[i].arg);
        free(p->collect[i].value);
    }
    free(p->collect);
    free(p->probes);
    memset(p, 0, sizeof *p);
}
