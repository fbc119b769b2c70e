/* addr.c - address families, strict validation of host and endpoint addresses, and
 * comparison by value. */
#include "addr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void say(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *why, size_t n, const char *fmt, ...)
{
    if (!why || !n) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
}

/* The address part of s (before a '/') into buf; 0 when it does not fit. */
static int address_part(const char *s, char *buf, size_t n)
{
    const char *slash = strchr(s, '/');
    size_t len = slash ? (size_t)(slash - s) : strlen(s);
    if (len >= n) return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return 1;
}

/* Parses a literal: 4 (16 bytes written, first 4 used) for IPv4, 6 for IPv6, 0 none. */
static int literal(const char *s, unsigned char out[16])
{
    if (inet_pton(AF_INET, s, out) == 1) return 4;
    if (inet_pton(AF_INET6, s, out) == 1) return 6;
    return 0;
}

unsigned rk_addr_family(const char *s)
{
    char buf[64];
    unsigned char b[16];
    if (!s || !address_part(s, buf, sizeof buf)) return RK_FAM_NAME;
    switch (literal(buf, b)) {
    case 4: return RK_FAM_V4;
    case 6: return RK_FAM_V6;
    default: return RK_FAM_NAME;
    }
}

const char *rk_family_str(unsigned fam)
{
    switch (fam) {
    case RK_FAM_V4: return "ipv4";
    case RK_FAM_V6: return "ipv6";
    case RK_FAM_NAME: return "name";
    default: return "none";
    }
}

unsigned rk_family_of(unsigned src, unsigned dst)
{
    if (!src || !dst) return 0;
    if (src == RK_FAM_NAME || dst == RK_FAM_NAME) return RK_FAM_NAME;
    return src == dst ? src : 0;
}

static int all_zero(const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

/* Why a parsed literal cannot name one host or endpoint address (NULL: it can). */
static int bad_literal(int kind, const unsigned char *b, char *why, size_t n)
{
    if (kind == 4) {
        if (all_zero(b, 4)) return say(why, n, "is the unspecified address; expected a host's address"), -1;
        if (b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255)
            return say(why, n, "is the broadcast address; expected a host's address"), -1;
        if (b[0] >= 224 && b[0] <= 239)
            return say(why, n, "is a multicast address; expected a host's address"), -1;
        return 0;
    }
    if (all_zero(b, 16)) return say(why, n, "is the unspecified address; expected a host's address"), -1;
    if (b[0] == 0xff) return say(why, n, "is a multicast address; expected a host's address"), -1;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (!memcmp(b, mapped, 12))
        return say(why, n,
                   "is an IPv4-mapped IPv6 address; write the IPv4 address %u.%u.%u.%u instead",
                   b[12], b[13], b[14], b[15]),
               -1;
    /* ::a.b.c.d (deprecated IPv4-compatible); ::1 is the loopback address */
    if (all_zero(b, 12) && !(all_zero(b + 12, 3) && b[15] <= 1))
        return say(why, n,
                   "is an IPv4-compatible IPv6 address; write the IPv4 address %u.%u.%u.%u "
                   "instead",
                   b[12], b[13], b[14], b[15]),
               -1;
    return 0;
}

int rk_addr_check_host(const char *s, char *why, size_t whylen)
{
    unsigned char b[16];
    if (!s || !*s) return -2;
    if (strchr(s, '/')) {
        char buf[64];
        if (address_part(s, buf, sizeof buf) && literal(buf, b))
            return say(why, whylen, "is a CIDR block; expected one address of the host, e.g. "
                                    "192.0.2.10 or 2001:db8::10"),
                   -1;
        return -2;
    }
    if (strchr(s, '%') && strchr(s, ':'))
        return say(why, whylen, "has an IPv6 zone index; expected a global or unique local "
                                "address without '%%'"),
               -1;
    int kind = literal(s, b);
    if (!kind) return -2;
    return bad_literal(kind, b, why, whylen);
}

/* A DNS name: labels of letters, digits, '-' and '_' (not starting or ending with '-'),
 * at most 63 characters each and 253 in all, at least one letter (all digits and dots
 * is an IPv4 address that did not parse); a leading "*." label when wildcard. */
static int dns_name(const char *s, int wildcard)
{
    size_t n = strlen(s);
    if (wildcard && !strncmp(s, "*.", 2)) s += 2, n -= 2;
    if (!n || n > 253 || s[n - 1] == '.' || s[0] == '.') return 0;
    size_t label = 0;
    int alpha = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.') {
            if (!label || p[-1] == '-') return 0;
            label = 0;
            continue;
        }
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') return 0;
        if (!label && *p == '-') return 0;
        if (isalpha((unsigned char)*p)) alpha = 1;
        if (++label > 63) return 0;
    }
    return alpha && label && s[n - 1] != '-';
}

/* A CIDR block: the address, '/', a prefix length without leading zeros and in range,
 * and no host bits set. */
static int cidr(const char *s, char *why, size_t whylen)
{
    char buf[64];
    unsigned char b[16];
    const char *slash = strchr(s, '/');
    if (!address_part(s, buf, sizeof buf)) return -2;
    int kind = literal(buf, b);
    if (!kind) return -2;
    const char *len = slash + 1;
    int max = kind == 4 ? 32 : 128;
    size_t digits = strspn(len, "0123456789");
    if (!digits || len[digits] || digits > 3 || (len[0] == '0' && digits > 1) || atoi(len) > max)
        return say(why, whylen, "has a prefix length '%s' that is not a number from 0 to %d "
                                "without leading zeros",
                   len, max),
               -1;
    int bits = atoi(len), bytes = kind == 4 ? 4 : 16;
    if (kind == 6 && strchr(buf, '%'))
        return say(why, whylen, "has an IPv6 zone index; expected a CIDR block without '%%'"), -1;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (kind == 6 && bits >= 96 && !memcmp(b, mapped, 12))
        return say(why, whylen, "is an IPv4-mapped IPv6 block; write the IPv4 block instead"), -1;
    for (int i = bits; i < bytes * 8; i++)
        if (b[i / 8] & (0x80u >> (i % 8))) {
            /* the network address the writer probably meant */
            for (int k = bits; k < bytes * 8; k++) b[k / 8] &= (unsigned char)~(0x80u >> (k % 8));
            char net[64];
            inet_ntop(kind == 4 ? AF_INET : AF_INET6, b, net, sizeof net);
            return say(why, whylen, "has host bits set after the prefix length; expected %s/%d",
                       net, bits),
                   -1;
        }
    return 0;
}

int rk_addr_check_entry(const char *s, int wildcard, char *why, size_t whylen)
{
    if (!s || !*s) return -2;
    if (strchr(s, '/')) return cidr(s, why, whylen);
    int r = rk_addr_check_host(s, why, whylen);
    if (r != -2) return r;
    return dns_name(s, wildcard) ? 0 : -2;
}

int rk_addr_same(const char *a, const char *b)
{
    if (!a || !b) return 0;
    char ba[64], bb[64];
    unsigned char xa[16], xb[16];
    const char *sa = strchr(a, '/'), *sb = strchr(b, '/');
    if (address_part(a, ba, sizeof ba) && address_part(b, bb, sizeof bb)) {
        int ka = literal(ba, xa), kb = literal(bb, xb);
        if (ka || kb) {
            if (ka != kb || memcmp(xa, xb, ka == 4 ? 4 : 16) != 0) return 0;
            if (!sa || !sb) return !sa && !sb;
            return atoi(sa + 1) == atoi(sb + 1);
        }
    }
    return strcasecmp(a, b) == 0;
}
