/* util.c - memory, growable strings, files, UTF-8, SHA-256, dates and atomic output. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

static void oom(void)
{
    fputs("readykit: out of memory\n", stderr);
    abort();
}

void *rk_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *rk_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *rk_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom();
    return q;
}

char *rk_xstrdup(const char *s)
{
    if (!s) return NULL;
    return rk_xstrndup(s, strlen(s));
}

void rk_strv_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) free(v[i]);
    free(v);
}

char *rk_xstrndup(const char *s, size_t n)
{
    char *p = rk_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

int rk_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

char *rk_xstrtrim(const char *s)
{
    while (rk_is_space(*s)) s++;
    size_t n = strlen(s);
    while (n && rk_is_space(s[n - 1])) n--;
    return rk_xstrndup(s, n);
}

char *rk_xvasprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *s = rk_xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *rk_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = rk_xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

/* Room for extra more bytes and the NUL; the text stays NUL-terminated (a buffer
 * reserved and never added to reads as ""). */
static void buf_reserve(rk_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) cap *= 2;
    b->data = rk_xrealloc(b->data, cap);
    b->cap = cap;
    b->data[b->len] = '\0';
}

void rk_buf_add(rk_buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void rk_buf_puts(rk_buf *b, const char *s) { rk_buf_add(b, s, strlen(s)); }

void rk_buf_putc(rk_buf *b, char c) { rk_buf_add(b, &c, 1); }

void rk_buf_printf(rk_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = rk_xvasprintf(fmt, ap);
    va_end(ap);
    rk_buf_puts(b, s);
    free(s);
}

char *rk_ints_join(const int *v, size_t n, const char *sep)
{
    rk_buf b = {0};
    for (size_t k = 0; k < n; k++) rk_buf_printf(&b, "%s%d", k ? sep : "", v[k]);
    return rk_buf_take(&b);
}

char *rk_buf_take(rk_buf *b)
{
    char *s = b->data ? b->data : rk_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void rk_buf_free(rk_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int rk_read_file(const char *path, size_t max_bytes, char **data, size_t *len, char *err,
                 size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot read: %s", strerror(errno));
        close(fd);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "is a folder, expected a file");
        close(fd);
        return -1;
    }
    if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max_bytes) {
        snprintf(err, errlen, "file is %lld bytes, more than the limit of %zu bytes",
                 (long long)st.st_size, max_bytes);
        close(fd);
        return -1;
    }
    rk_buf b = {0};
    buf_reserve(&b, S_ISREG(st.st_mode) ? (size_t)st.st_size : 4096);
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR) continue;
            snprintf(err, errlen, "cannot read: %s", strerror(errno));
            rk_buf_free(&b);
            close(fd);
            return -1;
        }
        if (n == 0) break;
        if (b.len + (size_t)n > max_bytes) {
            snprintf(err, errlen, "file is more than the limit of %zu bytes", max_bytes);
            rk_buf_free(&b);
            close(fd);
            return -1;
        }
        rk_buf_add(&b, chunk, (size_t)n);
    }
    close(fd);
    *len = b.len;
    *data = rk_buf_take(&b);
    return 0;
}

void rk_buf_put_utf8(rk_buf *b, unsigned long cp)
{
    char o[4];
    if (cp < 0x80) {
        o[0] = (char)cp;
        rk_buf_add(b, o, 1);
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        rk_buf_add(b, o, 2);
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        rk_buf_add(b, o, 3);
    } else {
        o[0] = (char)(0xF0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        rk_buf_add(b, o, 4);
    }
}

/* UTF-16 with a byte-order mark is what Windows PowerShell 5.1's `>` writes; iconv
 * would do, but the conversion is twenty lines and must map unpaired surrogates to
 * U+FFFD rather than fail, so it is written here. */
int rk_text_normalise(char **data, size_t *len)
{
    unsigned char *p = (unsigned char *)*data;
    size_t n = *len;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        memmove(p, p + 3, n - 3);
        *len = n - 3;
        p[*len] = '\0';
        return 0;
    }
    int le;
    if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE)
        le = 1;
    else if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
        le = 0;
    else
        return 0;
    if (n % 2) return -1;
    rk_buf b = {0};
    for (size_t i = 2; i + 1 < n; i += 2) {
        unsigned long u = le ? (unsigned long)(p[i] | (p[i + 1] << 8))
                             : (unsigned long)((p[i] << 8) | p[i + 1]);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            unsigned long v = le ? (unsigned long)(p[i + 2] | (p[i + 3] << 8))
                                 : (unsigned long)((p[i + 2] << 8) | p[i + 3]);
            if (v >= 0xDC00 && v <= 0xDFFF) {
                rk_buf_put_utf8(&b, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
                i += 2;
                continue;
            }
            u = 0xFFFD;
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            u = 0xFFFD;
        }
        rk_buf_put_utf8(&b, u);
    }
    free(*data);
    *len = b.len;
    *data = rk_buf_take(&b);
    return 0;
}

/* Decodes one UTF-8 sequence at s (n bytes left). Returns its length and the code
 * point, or 0 when the sequence is invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len;
    unsigned long c, min;
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2;
        c = s[0] & 0x1F;
        min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3;
        c = s[0] & 0x0F;
        min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4;
        c = s[0] & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = c;
    return len;
}

int rk_utf8_valid(const char *s, size_t n, size_t *bad_offset)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned long cp;
        size_t l = utf8_decode(p + i, n - i, &cp);
        if (!l) {
            if (bad_offset) *bad_offset = i;
            return 0;
        }
        i += l;
    }
    return 1;
}

char *rk_utf8_sanitize(const char *s, int keep_newlines, int *changed)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    rk_buf b = {0};
    int ch = 0;
    size_t i = 0;
    while (i < n) {
        unsigned long cp;
        size_t l = utf8_decode(p + i, n - i, &cp);
        if (!l) {
            rk_buf_puts(&b, "\xEF\xBF\xBD");
            ch = 1;
            i++;
            continue;
        }
        int ctl = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
        if (ctl && keep_newlines && (cp == '\t' || cp == '\n' || cp == '\r')) ctl = 0;
        if (ctl) {
            rk_buf_puts(&b, "\xEF\xBF\xBD");
            ch = 1;
        } else {
            rk_buf_add(&b, s + i, l);
        }
        i += l;
    }
    if (changed) *changed = ch;
    return rk_buf_take(&b);
}

static _Noreturn void no_sha256(void)
{
    fputs("readykit: SHA-256 is not available from libcrypto\n", stderr);
    abort();
}

static void sha256_to_hex(const unsigned char *md, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

void rk_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) no_sha256();
    sha256_to_hex(md, out);
}

rk_sha256 *rk_sha256_new(void)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) no_sha256();
    return (rk_sha256 *)ctx;
}

void rk_sha256_update(rk_sha256 *h, const void *data, size_t len)
{
    if (len && !EVP_DigestUpdate((EVP_MD_CTX *)h, data, len)) no_sha256();
}

void rk_sha256_final(rk_sha256 *h, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_DigestFinal_ex((EVP_MD_CTX *)h, md, &mdlen) || mdlen != 32) no_sha256();
    EVP_MD_CTX_free((EVP_MD_CTX *)h);
    sha256_to_hex(md, out);
}

/* fnmatch(3) has no portable case-insensitive flag and treats '/' and '[' specially;
 * host-name globs need only * and ?, so the matcher is written here (iterative, with
 * one backtrack point: linear in practice, never exponential). */
int rk_glob(const char *pattern, const char *s, int nocase)
{
    const char *p = pattern, *star = NULL, *mark = NULL;
    while (*s) {
        int pc = (unsigned char)*p, sc = (unsigned char)*s;
        if (nocase) {
            pc = tolower(pc);
            sc = tolower(sc);
        }
        if (*p == '*') {
            star = ++p;
            mark = s;
        } else if (*p && (*p == '?' || pc == sc)) {
            p++;
            s++;
        } else if (star) {
            p = star;
            s = ++mark;
        } else {
            return 0;
        }
    }
    while (*p == '*') p++;
    return *p == '\0';
}

/* One component of a dotted version: *p advances past it and its dot. A numeric
 * component is returned without its leading zeros ("004" -> "4", "000" -> "0"), so
 * that comparison and prefix matching read "15.02.1544.004" as 15.2.1544.4. */
typedef struct vpart {
    const char *s;
    size_t n;
    int numeric;
} vpart;

static vpart version_part(const char **p)
{
    vpart v = {*p, 0, 1};
    while ((*p)[0] && (*p)[0] != '.') (*p)++;
    v.n = (size_t)(*p - v.s);
    for (size_t i = 0; i < v.n; i++)
        if (!isdigit((unsigned char)v.s[i])) v.numeric = 0;
    if (v.numeric)
        while (v.n > 1 && v.s[0] == '0') v.s++, v.n--;
    if (**p == '.') (*p)++;
    return v;
}

/* A missing component counts as 0; numbers compare by value, other text as bytes. */
static int vpart_cmp(vpart a, vpart b)
{
    static const char zero[] = "0";
    if (!a.n) a = (vpart){zero, 1, 1};
    if (!b.n) b = (vpart){zero, 1, 1};
    if (a.numeric && b.numeric && a.n != b.n) return a.n < b.n ? -1 : 1;
    size_t m = a.n < b.n ? a.n : b.n;
    int c = memcmp(a.s, b.s, m);
    if (c) return c < 0 ? -1 : 1;
    return a.n == b.n ? 0 : a.n < b.n ? -1 : 1;
}

int rk_version_cmp(const char *a, const char *b)
{
    while (*a || *b) {
        int c = vpart_cmp(version_part(&a), version_part(&b));
        if (c) return c;
    }
    return 0;
}

int rk_version_has_prefix(const char *v, const char *prefix)
{
    while (*prefix) {
        if (!*v) return 0;
        if (vpart_cmp(version_part(&v), version_part(&prefix)) != 0) return 0;
    }
    return 1;
}

int rk_version_valid(const char *v)
{
    if (!isdigit((unsigned char)*v)) return 0;
    for (const char *p = v; *p; p++) {
        if (!isdigit((unsigned char)*p) && *p != '.') return 0;
        if (*p == '.' && (p[1] == '.' || p[1] == '\0')) return 0;
    }
    return 1;
}

void rk_format_bytes(double bytes, char *out, size_t outlen)
{
    static const char *units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int u = 0;
    double v = bytes;
    while (v >= 1024 && u < 5) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(out, outlen, "%.0f bytes", v);
    else if (v >= 100)
        snprintf(out, outlen, "%.0f %s", v, units[u]);
    else
        snprintf(out, outlen, "%.1f %s", v, units[u]);
}

/* Days from the civil date (proleptic Gregorian) to 1970-01-01: H. Hinnant's
 * algorithm. timegm() is not in C11 and mktime() depends on TZ. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t yy = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int rk_parse_date(const char *s, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    size_t n = strlen(s);
    if (n < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
        digits(s + 8, 2, &d))
        return -1;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1]) return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap) return -1;
    int64_t t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400;
    const char *p = s + 10;
    if (*p == '\0') {
        *out = t;
        return 0;
    }
    if ((*p != 'T' && *p != 't' && *p != ' ') || strlen(p) < 9 || digits(p + 1, 2, &h) ||
        p[3] != ':' || digits(p + 4, 2, &mi) || p[6] != ':' || digits(p + 7, 2, &se))
        return -1;
    if (h > 23 || mi > 59 || se > 60) return -1;
    p += 9;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p)) return -1;
        while (isdigit((unsigned char)*p)) p++;
    }
    int64_t off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (strlen(p) < 6 || digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) ||
            oh > 23 || om > 59)
            return -1;
        off = (int64_t)(oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;
    }
    if (*p) return -1;
    *out = t + h * 3600 + mi * 60 + se - off;
    return 0;
}

void rk_format_date(int64_t t, char out[11])
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(y < 0 ? 0 : y % 10000), m % 100, d % 100);
}

void rk_format_datetime(int64_t t, char out[21])
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)(y < 0 ? 0 : y % 10000),
             m % 100, d % 100, (unsigned)(secs / 3600) % 100, (unsigned)(secs / 60 % 60),
             (unsigned)(secs % 60));
}

char *rk_temp_path_for(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash)
        return rk_xasprintf("%.*s/.%s.tmp-%ld", (int)(slash - path), path, slash + 1,
                            (long)getpid());
    return rk_xasprintf(".%s.tmp-%ld", path, (long)getpid());
}

int rk_rename_into_place(const char *tmp, const char *path, char *err, size_t errlen)
{
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: cannot rename into place: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int rk_out_open(rk_out *o, const char *path, char *err, size_t errlen)
{
    memset(o, 0, sizeof(*o));
    o->path = rk_xstrdup(path);
    o->tmp = rk_temp_path_for(path);
    int fd = open(o->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        free(o->path);
        free(o->tmp);
        memset(o, 0, sizeof(*o));
        return -1;
    }
    o->fp = fdopen(fd, "wb");
    if (!o->fp) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        close(fd);
        unlink(o->tmp);
        free(o->path);
        free(o->tmp);
        memset(o, 0, sizeof(*o));
        return -1;
    }
    /* documents run to hundreds of MB at fleet scale: write them in 1 MB pieces rather
     * than stdio's 4 KB (a system call each) */
    o->buf = rk_xmalloc(RK_OUT_BUFFER);
    setvbuf(o->fp, o->buf, _IOFBF, RK_OUT_BUFFER);
    return 0;
}

int rk_out_commit(rk_out *o, char *err, size_t errlen)
{
    int rc = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", o->path, strerror(errno));
        rc = -1;
    }
    if (fclose(o->fp) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: cannot write: %s", o->path, strerror(errno));
        rc = -1;
    }
    o->fp = NULL;
    free(o->buf);
    o->buf = NULL;
    if (rc == 0)
        rc = rk_rename_into_place(o->tmp, o->path, err, errlen);
    else
        unlink(o->tmp);
    free(o->path);
    free(o->tmp);
    o->path = o->tmp = NULL;
    return rc;
}

void rk_out_abort(rk_out *o)
{
    if (o->fp) fclose(o->fp);
    if (o->tmp) unlink(o->tmp);
    free(o->buf);
    free(o->path);
    free(o->tmp);
    memset(o, 0, sizeof(*o));
}

int rk_sha256_file(const char *path, char out[65], char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    rk_sha256 *h = rk_sha256_new();
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) rk_sha256_update(h, buf, n);
    int bad = ferror(fp);
    int saved = errno;
    fclose(fp);
    rk_sha256_final(h, out);
    if (bad) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(saved));
        return -1;
    }
    return 0;
}
