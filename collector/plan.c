/* plan.c - probe plan parser: one probe a line, strict fields, bounded sizes. */
#include "plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
            rkc_plan_item *ni = realloc(p.items, cap * sizeof *ni);
            if (!ni) {
                fputs("readykit-collect: out of memory\n", stderr);
                abort();
            }
            p.items = ni;
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
