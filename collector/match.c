/* match.c - DisplayName globs on UTF-16 text and dotted-version ordering, for program items. */
#include "match.h"

#include <string.h>

/* Code units of the character at s[i]: 2 for a surrogate pair, else 1. */
static size_t char_len(const uint16_t *s, size_t n, size_t i)
{
    if (s[i] >= 0xD800 && s[i] <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF)
        return 2;
    return 1;
}

/* The usual greedy matcher with one back-tracking point (the last star): when a later
 * part fails, the last star takes one more character. Hand-written because the
 * collector carries no regular-expression library and fnmatch() is not on Windows. */
int rkc_glob_match16(const uint16_t *pat, size_t pn, const uint16_t *s, size_t sn)
{
    size_t p = 0, i = 0, star = (size_t)-1, star_i = 0;
    while (i < sn) {
        if (p < pn && pat[p] == '*') {
            star = p++;
            star_i = i;
        } else if (p < pn && pat[p] == '?') {
            i += char_len(s, sn, i);
            p++;
        } else if (p < pn && pat[p] == s[i]) {
            i++;
            p++;
        } else if (star != (size_t)-1) {
            star_i += char_len(s, sn, star_i);
            i = star_i;
            p = star + 1;
        } else
            return 0;
    }
    while (p < pn && pat[p] == '*')
        p++;
    return p == pn;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Hand-written: strverscmp() is a GNU extension that the Windows C runtime lacks. */
int rkc_version_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return a ? -1 : b ? 1 : 0;
    while (*a && *b) {
        if (is_digit(*a) && is_digit(*b)) {
            while (*a == '0' && is_digit(a[1]))
                a++;
            while (*b == '0' && is_digit(b[1]))
                b++;
            size_t na = 0, nb = 0;
            while (is_digit(a[na]))
                na++;
            while (is_digit(b[nb]))
                nb++;
            if (na != nb)
                return na < nb ? -1 : 1;
            int c = memcmp(a, b, na);
            if (c)
                return c;
            a += na;
            b += nb;
        } else {
            if (*a != *b)
                return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
            a++;
            b++;
        }
    }
    return *a ? 1 : *b ? -1 : 0;
}
