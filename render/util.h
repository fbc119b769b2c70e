/* util.h - memory, growable strings, files, UTF-8, SHA-256 and atomic output. */
#ifndef RK_UTIL_H
#define RK_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>

/* Allocation that never returns NULL: out of memory prints a message and aborts,
 * as redis' zmalloc and htop's xMalloc do. */
void *rk_xmalloc(size_t n);
void *rk_xcalloc(size_t n, size_t size);
void *rk_xrealloc(void *p, size_t n);
char *rk_xstrdup(const char *s); /* rk_xstrdup(NULL) returns NULL */
/* Frees n strings and the array holding them (NULL is a no-op). */
void rk_strv_free(char **v, size_t n);
char *rk_xstrndup(const char *s, size_t n);
/* Space, tab, CR or LF. */
int rk_is_space(char c);
/* Copy of s without leading and trailing white space (space, tab, CR, LF). */
char *rk_xstrtrim(const char *s);
char *rk_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *rk_xvasprintf(const char *fmt, va_list ap);

/* Growable NUL-terminated byte string. Zero-initialise ({0}) before use. */
typedef struct rk_buf {
    char *data;
    size_t len;
    size_t cap;
} rk_buf;

void rk_buf_add(rk_buf *b, const char *s, size_t n);
/* Appends code point cp (at most 0x10FFFF) in UTF-8. */
void rk_buf_put_utf8(rk_buf *b, unsigned long cp);
void rk_buf_puts(rk_buf *b, const char *s);
void rk_buf_putc(rk_buf *b, char c);
void rk_buf_printf(rk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the string (never NULL) and gives up ownership: the buffer is reset. */
char *rk_buf_take(rk_buf *b);
/* "1, 5, 9": n integers joined with sep. Caller frees. */
char *rk_ints_join(const int *v, size_t n, const char *sep);
void rk_buf_free(rk_buf *b);

/* Reads a whole file of at most max_bytes. Returns 0 and sets *data (NUL-terminated,
 * caller frees) and *len; on failure returns -1 and writes a message into err. */
int rk_read_file(const char *path, size_t max_bytes, char **data, size_t *len, char *err,
                 size_t errlen);

/* Normalises text read from a file written on Windows: strips a UTF-8 byte-order mark
 * and converts UTF-16LE/BE with a byte-order mark to UTF-8 (unpaired surrogates become
 * U+FFFD). Returns 0 on success (buffer replaced in place), -1 if the UTF-16 text has
 * an odd number of bytes. */
int rk_text_normalise(char **data, size_t *len);

/* 1 if s[0..n) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). When not,
 * *bad_offset receives the offset of the first invalid byte. */
int rk_utf8_valid(const char *s, size_t n, size_t *bad_offset);

/* Returns a copy of s in which invalid UTF-8 sequences and C0/C1 control characters
 * (except tab, LF, CR when keep_newlines) are replaced by U+FFFD. *changed is set to 1
 * when anything was replaced. */
char *rk_utf8_sanitize(const char *s, int keep_newlines, int *changed);

/* Lowercase hex SHA-256 (64 chars + NUL) of a buffer, computed with libcrypto. */
void rk_sha256_hex(const void *data, size_t len, char out[65]);

/* The same over bytes given piece by piece: new, update as often as needed, then final
 * (which writes the hex digest and frees). */
typedef struct rk_sha256 rk_sha256;
rk_sha256 *rk_sha256_new(void);
void rk_sha256_update(rk_sha256 *h, const void *data, size_t len);
void rk_sha256_final(rk_sha256 *h, char out[65]);

/* The same of a file's bytes, read in pieces (any size). Returns 0, or -1 with a message
 * naming the file in err. */
int rk_sha256_file(const char *path, char out[65], char *err, size_t errlen);

/* Glob match with * and ?, ASCII case-insensitive when nocase. */
int rk_glob(const char *pattern, const char *s, int nocase);

/* Compares dotted version strings numerically, component by component ("15.2.330.5").
 * Missing components count as 0. Non-numeric components compare as strings. */
int rk_version_cmp(const char *a, const char *b);
/* 1 when version v starts with the whole components of prefix ("15.2" matches
 * "15.02.1544.4", not "15.20.1"); leading zeros never matter. */
int rk_version_has_prefix(const char *v, const char *prefix);
/* 1 when v is a dotted version of digits ("15.2.1544.4"). */
int rk_version_valid(const char *v);

/* Formats a byte count as "7.9 GiB" / "512 MiB". */
void rk_format_bytes(double bytes, char *out, size_t outlen);

/* Dates. Parses "YYYY-MM-DD" or RFC 3339 ("YYYY-MM-DDThh:mm:ssZ", offsets allowed)
 * into seconds since the epoch (UTC). Returns 0 on success. */
int rk_parse_date(const char *s, int64_t *out);
/* "YYYY-MM-DD" and "YYYY-MM-DDThh:mm:ssZ" of a UTC epoch time, locale-independent. */
void rk_format_date(int64_t t, char out[11]);
void rk_format_datetime(int64_t t, char out[21]);

/* Atomic output: the file is written to DIR/.NAME.tmp-PID and renamed over the target
 * by rk_out_commit; rk_out_abort removes the temporary. */
#define RK_OUT_BUFFER (1u << 20) /* stdio buffer of a document being written */

typedef struct rk_out {
    char *path;
    char *tmp;
    FILE *fp;
    char *buf; /* fp's buffer */
} rk_out;

int rk_out_open(rk_out *o, const char *path, char *err, size_t errlen);
/* Flushes, fsyncs, closes and renames. Returns 0 or -1 with a message (temporary removed). */
int rk_out_commit(rk_out *o, char *err, size_t errlen);
void rk_out_abort(rk_out *o);
/* A temporary path beside target for libraries that write files themselves
 * (libxlsxwriter, libharu); commit with rk_rename_into_place. Caller frees. */
char *rk_temp_path_for(const char *path);
int rk_rename_into_place(const char *tmp, const char *path, char *err, size_t errlen);

#endif
