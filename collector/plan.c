/* plan.c - probe plan parser: one probe a line, strict fields, bounded sizes. */
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
        tmp[k++] = (c >= 0x21 && c < 0x7f) ? (char)c : '?';
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

/* Parses one non-comment line of n bytes (no newline). */
static int parse_line(const char *s, size_t n, int line, rkc_plan_item *it, char *err,
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

int rkc_plan_parse(const char *buf, size_t len, rkc_plan *out, char *err, size_t errlen)
{
    size_t pos = 0, cap = 0;
    int line = 0;
    rkc_plan p = {NULL, 0};
    if (errlen)
        err[0] = '\0';
    out->items = NULL;
    out->n = 0;
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
        int rc = rkc_plan_parse(u, n, out, err, errlen);
        free(u);
        return rc;
    }
    while (pos < len) {
        const char *s = buf + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        int rc;
        pos += n + (nl ? 1 : 0);
        if (++line > RKC_PLAN_MAX_LINES) {
            rc = fail(err, errlen, line, "too many lines (expected at most %d)",
                      RKC_PLAN_MAX_LINES);
            goto bad;
        }
        if (n > 0 && s[n - 1] == '\r')
            n--;
        if (n > RKC_PLAN_MAX_LINE) {
            rc = fail(err, errlen, line, "line is longer than %d bytes (expected one "
                      "short probe line)", RKC_PLAN_MAX_LINE);
            goto bad;
        }
        if (memchr(s, '\0', n) || memchr(s, '\r', n)) {
            rc = fail(err, errlen, line, "control character in line (expected plain text)");
            goto bad;
        }
        size_t i = 0;
        while (i < n && is_space(s[i]))
            i++;
        if (i == n || s[i] == '#')
            continue;
        if (p.n == RKC_PLAN_MAX_PROBES) {
            rc = fail(err, errlen, line, "too many probes (expected at most %d)",
                      RKC_PLAN_MAX_PROBES);
            goto bad;
        }
        if (p.n == cap) {
            cap = cap ? cap * 2 : 16;
            p.items = rkc_xrealloc(p.items, cap * sizeof *p.items);
        }
        rc = parse_line(s, n, line, &p.items[p.n], err, errlen);
        if (rc)
            goto bad;
        p.n++;
        continue;
    bad:
        rkc_plan_free(&p);
        return rc;
    }
    *out = p;
    return 0;
}

void rkc_plan_free(rkc_plan *p)
{
    free(p->items);
    p->items = NULL;
    p->n = 0;
}
