/* xlsx_read.c - cell values of an XLSX workbook, read with libzip and expat. */
#include "xlsx_read.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>
#include <zip.h>

#include "util.h"

#define NS_SEP '\x01'      /* expat: "namespace<NS_SEP>local" */
#define MAX_DEPTH 256      /* element nesting of one part */
#define MAX_ENTRIES 100000 /* files in the archive */
#define MAX_SHEETS 4096

typedef struct xsheet {
    char *name;
    char *rid;
    char *part; /* the sheet's part name in the archive */
} xsheet;

struct rk_xbook {
    char *path;
    zip_t *z;
    xsheet *sheets;
    size_t nsheets;
    int date1904;
    char **strings; /* shared strings */
    size_t nstrings, cap;
    size_t string_bytes;
};

/* ---- parts -------------------------------------------------------------------------- */

/* The state every part parser shares: the element path, a text buffer, the outcome. */
typedef struct xparse {
    XML_Parser p;
    rk_xbook *b;
    const char *part;
    rk_diag *d;
    int depth;   /* element nesting */
    int failed;  /* d is filled */
    int stopped; /* stopped on purpose (enough read) */
    void *ctx;
} xparse;

static const char *local_name(const char *name)
{
    const char *s = strrchr(name, NS_SEP);
    return s ? s + 1 : name;
}

static int has_ns(const char *name)
{
    return strchr(name, NS_SEP) != NULL;
}

static const char *attr(const char **atts, const char *local, int want_ns)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (!strcmp(local_name(atts[i]), local) && (want_ns < 0 || has_ns(atts[i]) == want_ns))
            return atts[i + 1];
    return NULL;
}

static void xfail(xparse *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void xfail(xparse *x, const char *fmt, ...)
{
    if (x->failed) return;
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rk_diag_set(x->d, x->b->path, 0, 0, "%s; expected a workbook saved by a spreadsheet program",
                msg);
    x->failed = 1;
    XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL no_doctype(void *u, const XML_Char *name, const XML_Char *sys,
                               const XML_Char *pub, int internal)
{
    (void)name, (void)sys, (void)pub, (void)internal;
    xparse *x = u;
    xfail(x, "part '%s' has a DOCTYPE, which no workbook part has", x->part);
}

/* The part's name in the archive for a relationship target: relative to the folder of
 * the part that names it, or absolute from the package root ("/xl/..."). NULL when it
 * leaves the package. */
static char *resolve(const char *base_part, const char *target)
{
    rk_buf b = {0};
    if (target[0] != '/' && base_part) {
        const char *slash = strrchr(base_part, '/');
        if (slash) rk_buf_add(&b, base_part, (size_t)(slash - base_part + 1));
    }
    rk_buf_puts(&b, target[0] == '/' ? target + 1 : target);
    /* remove "." and ".." segments */
    char *s = rk_buf_take(&b);
    char **seg = NULL;
    size_t n = 0;
    int bad = 0;
    for (char *tok = strtok(s, "/"); tok; tok = strtok(NULL, "/")) {
        if (!strcmp(tok, ".")) continue;
        if (!strcmp(tok, "..")) {
            if (!n)
                bad = 1;
            else
                n--;
            continue;
        }
        seg = rk_xrealloc(seg, (n + 1) * sizeof(char *));
        seg[n++] = tok;
    }
    rk_buf out = {0};
    for (size_t i = 0; i < n; i++)
        rk_buf_printf(&out, "%s%s", i ? "/" : "", seg[i]);
    free(seg);
    free(s);
    if (bad || !out.len) {
        rk_buf_free(&out);
        return NULL;
    }
    return rk_buf_take(&out);
}

/* Parses part `name` with the handlers already set on x->p. missing_ok: an absent part
 * is not an error (returns 1). Returns 0 when parsed (or stopped on purpose), -1 with
 * x->d filled. */
static int parse_part(xparse *x, const char *name, int missing_ok)
{
    rk_xbook *b = x->b;
    x->part = name;
    zip_int64_t idx = zip_name_locate(b->z, name, ZIP_FL_NOCASE);
    if (idx < 0) {
        if (missing_ok) return 1;
        rk_diag_set(x->d, b->path, 0, 0,
                    "the archive has no part '%s'; expected a workbook saved by a spreadsheet "
                    "program",
                    name);
        return -1;
    }
    zip_file_t *f = zip_fopen_index(b->z, (zip_uint64_t)idx, 0);
    if (!f) {
        rk_diag_set(x->d, b->path, 0, 0,
                    "cannot read part '%s': %s; expected an unencrypted workbook", name,
                    zip_strerror(b->z));
        return -1;
    }
    XML_SetUserData(x->p, x);
    XML_SetStartDoctypeDeclHandler(x->p, no_doctype);
    enum { CHUNK = 65536 };
    char *buf = rk_xmalloc(CHUNK);
    size_t total = 0;
    int rc = 0;
    for (;;) {
        zip_int64_t got = zip_fread(f, buf, CHUNK);
        if (got < 0) {
            rk_diag_set(x->d, b->path, 0, 0,
                        "cannot read part '%s': %s; expected an intact workbook", name,
                        zip_file_strerror(f));
            rc = -1;
            break;
        }
        total += (size_t)got;
        if (total > RK_XLSX_READ_MAX_PART) {
            rk_diag_set(x->d, b->path, 0, 0,
                        "part '%s' is larger than %u MiB decompressed; expected a "
                        "workbook of a sensible size",
                        name, RK_XLSX_READ_MAX_PART >> 20);
            rc = -1;
            break;
        }
        enum XML_Status st = XML_Parse(x->p, buf, (int)got, got == 0);
        if (x->failed) {
            rc = -1;
            break;
        }
        if (x->stopped) break;
        if (st != XML_STATUS_OK) {
            rk_diag_set(x->d, b->path, 0, 0,
                        "part '%s' is not well-formed XML (line %lu, column %lu: %s); expected a "
                        "workbook saved by a spreadsheet program",
                        name, (unsigned long)XML_GetCurrentLineNumber(x->p),
                        (unsigned long)XML_GetCurrentColumnNumber(x->p) + 1,
                        XML_ErrorString(XML_GetErrorCode(x->p)));
            rc = -1;
            break;
        }
        if (got == 0) break;
    }
    zip_fclose(f);
    free(buf);
    return rc;
}

static XML_Parser new_parser(void)
{
    XML_Parser p = XML_ParserCreateNS("UTF-8", NS_SEP);
    if (!p) {
        fputs("readykit: out of memory\n", stderr);
        abort();
    }
    return p;
}

/* Element depth bookkeeping shared by the handlers; returns 0 when too deep. */
static int push(xparse *x)
{
    if (x->depth >= MAX_DEPTH) {
        xfail(x, "part '%s' nests elements more than %d deep", x->part, MAX_DEPTH);
        return 0;
    }
    x->depth++;
    return 1;
}

/* ---- relationships ------------------------------------------------------------------ */

typedef struct rels {
    char **id, **target, **type;
    size_t n;
} rels;

static void rels_free(rels *r)
{
    rk_strv_free(r->id, r->n);
    rk_strv_free(r->target, r->n);
    rk_strv_free(r->type, r->n);
    memset(r, 0, sizeof(*r));
}

static void XMLCALL rels_start(void *u, const XML_Char *name, const XML_Char **atts)
{
    xparse *x = u;
    rels *r = x->ctx;
    if (strcmp(local_name(name), "Relationship") != 0) return;
    const char *id = attr(atts, "Id", 0), *target = attr(atts, "Target", 0),
               *type = attr(atts, "Type", 0), *mode = attr(atts, "TargetMode", 0);
    if (!id || !target || !type || (mode && !strcmp(mode, "External"))) return;
    if (r->n >= MAX_ENTRIES) {
        xfail(x, "part '%s' has more than %d relationships", x->part, MAX_ENTRIES);
        return;
    }
    r->id = rk_xrealloc(r->id, (r->n + 1) * sizeof(char *));
    r->target = rk_xrealloc(r->target, (r->n + 1) * sizeof(char *));
    r->type = rk_xrealloc(r->type, (r->n + 1) * sizeof(char *));
    r->id[r->n] = rk_xstrdup(id);
    r->target[r->n] = rk_xstrdup(target);
    r->type[r->n] = rk_xstrdup(type);
    r->n++;
}

/* Reads the relationships of `part` ("" for the package): from <dir>/_rels/<name>.rels. */
static int read_rels(rk_xbook *b, const char *part, rels *r, rk_diag *d)
{
    char *name;
    const char *slash = strrchr(part, '/');
    if (!*part)
        name = rk_xstrdup("_rels/.rels");
    else if (slash)
        name = rk_xasprintf("%.*s/_rels/%s.rels", (int)(slash - part), part, slash + 1);
    else
        name = rk_xasprintf("_rels/%s.rels", part);
    xparse x = {.p = new_parser(), .b = b, .d = d, .ctx = r};
    XML_SetElementHandler(x.p, rels_start, NULL);
    int rc = parse_part(&x, name, *part != '\0');
    XML_ParserFree(x.p);
    free(name);
    return rc < 0 ? -1 : 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t l = strlen(s), n = strlen(suffix);
    return l >= n && !strcmp(s + l - n, suffix);
}

/* ---- workbook ----------------------------------------------------------------------- */

static void XMLCALL book_start(void *u, const XML_Char *name, const XML_Char **atts)
{
    xparse *x = u;
    rk_xbook *b = x->b;
    const char *l = local_name(name);
    if (!strcmp(l, "workbookPr")) {
        const char *v = attr(atts, "date1904", 0);
        b->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
    } else if (!strcmp(l, "sheet")) {
        const char *sn = attr(atts, "name", 0), *rid = attr(atts, "id", 1);
        if (!sn || !rid) return;
        if (b->nsheets >= MAX_SHEETS) {
            xfail(x, "the workbook has more than %d sheets", MAX_SHEETS);
            return;
        }
        b->sheets = rk_xrealloc(b->sheets, (b->nsheets + 1) * sizeof(xsheet));
        xsheet *s = &b->sheets[b->nsheets++];
        s->name = rk_xstrdup(sn);
        s->rid = rk_xstrdup(rid);
        s->part = NULL;
    }
}

/* ---- text --------------------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int xescape_at(const char *s, size_t n, size_t i, unsigned *unit)
{
    if (i + 7 > n || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return 0;
    unsigned v = 0;
    for (int k = 2; k < 6; k++) {
        int h = hexval(s[i + k]);
        if (h < 0) return 0;
        v = v * 16 + (unsigned)h;
    }
    *unit = v;
    return 1;
}

/* Text as the workbook means it: "_xHHHH_" is one UTF-16 unit (how OOXML writes
 * characters XML cannot hold; "_x005F_" is a literal underscore). A lone surrogate
 * becomes U+FFFD. */
static char *decode_text(const char *s, size_t n)
{
    rk_buf b = {0};
    rk_buf_add(&b, "", 0);
    for (size_t i = 0; i < n;) {
        unsigned u;
        if (!xescape_at(s, n, i, &u)) {
            rk_buf_putc(&b, s[i++]);
            continue;
        }
        i += 7;
        uint32_t cp = u;
        if (u >= 0xD800 && u <= 0xDBFF) {
            unsigned lo;
            if (xescape_at(s, n, i, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 7;
            } else {
                cp = 0xFFFD;
            }
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            cp = 0xFFFD;
        }
        rk_buf_put_utf8(&b, cp);
    }
    return rk_buf_take(&b);
}

/* ---- shared strings ----------------------------------------------------------------- */

typedef struct sst_ctx {
    int in_si, in_t, in_rph;
    rk_buf text;
} sst_ctx;

static void XMLCALL sst_start(void *u, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    xparse *x = u;
    sst_ctx *c = x->ctx;
    const char *l = local_name(name);
    if (!push(x)) return;
    if (!strcmp(l, "si")) {
        c->in_si = 1;
        rk_buf_free(&c->text);
    } else if (!strcmp(l, "rPh")) {
        c->in_rph++;
    } else if (!strcmp(l, "t") && c->in_si && !c->in_rph) {
        c->in_t = 1;
    }
}

static void XMLCALL sst_end(void *u, const XML_Char *name)
{
    xparse *x = u;
    sst_ctx *c = x->ctx;
    rk_xbook *b = x->b;
    const char *l = local_name(name);
    if (x->depth) x->depth--;
    if (!strcmp(l, "t")) {
        c->in_t = 0;
    } else if (!strcmp(l, "rPh")) {
        if (c->in_rph) c->in_rph--;
    } else if (!strcmp(l, "si") && c->in_si) {
        c->in_si = 0;
        char *s = decode_text(c->text.data ? c->text.data : "", c->text.len);
        rk_buf_free(&c->text);
        b->string_bytes += strlen(s) + 1;
        if (b->string_bytes > RK_XLSX_READ_MAX_STRINGS) {
            free(s);
            xfail(x, "the shared strings hold more than %u MiB of text",
                  RK_XLSX_READ_MAX_STRINGS >> 20);
            return;
        }
        if (b->nstrings == b->cap) {
            b->cap = b->cap ? b->cap * 2 : 1024;
            b->strings = rk_xrealloc(b->strings, b->cap * sizeof(char *));
        }
        b->strings[b->nstrings++] = s;
    }
}

static void XMLCALL sst_text(void *u, const XML_Char *s, int len)
{
    xparse *x = u;
    sst_ctx *c = x->ctx;
    if (!c->in_t) return;
    if (c->text.len + (size_t)len > RK_XLSX_READ_MAX_TEXT) {
        xfail(x, "a shared string is longer than %u KiB", RK_XLSX_READ_MAX_TEXT >> 10);
        return;
    }
    rk_buf_add(&c->text, s, (size_t)len);
}

/* ---- opening ------------------------------------------------------------------------ */

int rk_xlsx_named(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && !strcasecmp(path + n - 5, ".xlsx");
}

void rk_xlsx_close(rk_xbook *b)
{
    if (!b) return;
    if (b->z) zip_discard(b->z);
    for (size_t i = 0; i < b->nsheets; i++) {
        free(b->sheets[i].name);
        free(b->sheets[i].rid);
        free(b->sheets[i].part);
    }
    free(b->sheets);
    rk_strv_free(b->strings, b->nstrings);
    free(b->path);
    free(b);
}

rk_xbook *rk_xlsx_open(const char *path, char sha256[65], rk_diag *d)
{
    char err[600];
    if (sha256 && rk_sha256_file(path, sha256, err, sizeof err) != 0) {
        rk_diag_set(d, path, 0, 0, "%s", strchr(err, ':') ? strchr(err, ':') + 2 : err);
        return NULL;
    }
    rk_xbook *b = rk_xcalloc(1, sizeof(*b));
    b->path = rk_xstrdup(path);
    int zerr = 0;
    b->z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!b->z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        rk_diag_set(d, path, 0, 0, "not a readable zip archive (%s); expected an XLSX workbook",
                    zip_error_strerror(&ze));
        zip_error_fini(&ze);
        rk_xlsx_close(b);
        return NULL;
    }
    if (zip_get_num_entries(b->z, 0) > MAX_ENTRIES) {
        rk_diag_set(d, path, 0, 0,
                    "the archive holds more than %d files; expected an XLSX workbook", MAX_ENTRIES);
        rk_xlsx_close(b);
        return NULL;
    }
    /* the package's relationships name the workbook part */
    rels pr = {0};
    if (read_rels(b, "", &pr, d) != 0) {
        rels_free(&pr);
        rk_xlsx_close(b);
        return NULL;
    }
    char *book = NULL;
    for (size_t i = 0; i < pr.n && !book; i++)
        if (ends_with(pr.type[i], "/officeDocument")) book = resolve(NULL, pr.target[i]);
    rels_free(&pr);
    if (!book) {
        rk_diag_set(d, path, 0, 0, "the archive names no workbook part; expected an XLSX workbook");
        rk_xlsx_close(b);
        return NULL;
    }
    xparse x = {.p = new_parser(), .b = b, .d = d};
    XML_SetElementHandler(x.p, book_start, NULL);
    int rc = parse_part(&x, book, 0);
    XML_ParserFree(x.p);
    rels wr = {0};
    if (rc == 0) rc = read_rels(b, book, &wr, d);
    char *sst = NULL;
    for (size_t i = 0; rc == 0 && i < wr.n; i++) {
        if (ends_with(wr.type[i], "/sharedStrings") && !sst) sst = resolve(book, wr.target[i]);
        for (size_t k = 0; k < b->nsheets; k++)
            if (!b->sheets[k].part && !strcmp(b->sheets[k].rid, wr.id[i]) &&
                ends_with(wr.type[i], "/worksheet"))
                b->sheets[k].part = resolve(book, wr.target[i]);
    }
    rels_free(&wr);
    free(book);
    if (rc == 0 && sst) {
        sst_ctx c = {0};
        xparse s = {.p = new_parser(), .b = b, .d = d, .ctx = &c};
        XML_SetElementHandler(s.p, sst_start, sst_end);
        XML_SetCharacterDataHandler(s.p, sst_text);
        rc = parse_part(&s, sst, 1) < 0 ? -1 : 0;
        XML_ParserFree(s.p);
        rk_buf_free(&c.text);
    }
    free(sst);
    if (rc != 0) {
        rk_xlsx_close(b);
        return NULL;
    }
    return b;
}

size_t rk_xlsx_nsheets(const rk_xbook *b)
{
    return b->nsheets;
}
const char *rk_xlsx_sheet_name(const rk_xbook *b, size_t i)
{
    return b->sheets[i].name;
}
int rk_xlsx_date1904(const rk_xbook *b)
{
    return b->date1904;
}

/* ---- sheets ------------------------------------------------------------------------- */

typedef struct sheet_ctx {
    unsigned max_row;
    unsigned row, col; /* current row and cell */
    int in_c, in_v, in_is, in_t, in_rph;
    char type[16];
    rk_buf v, is;
    rk_xcell *cells;
    size_t n, cap;
} sheet_ctx;

/* "E7" -> row 7, col 5. Returns 0 on success. */
static int parse_ref(const char *s, unsigned *row, unsigned *col)
{
    unsigned c = 0, r = 0;
    const char *p = s;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
        c = c * 26 + (unsigned)((*p | 0x20) - 'a' + 1);
        if (c > 16384) return -1;
        p++;
    }
    while (*p >= '0' && *p <= '9') {
        r = r * 10 + (unsigned)(*p - '0');
        if (r > 1048576) return -1;
        p++;
    }
    if (*p || !c || !r) return -1;
    *row = r;
    *col = c;
    return 0;
}

static void XMLCALL sheet_start(void *u, const XML_Char *name, const XML_Char **atts)
{
    xparse *x = u;
    sheet_ctx *c = x->ctx;
    const char *l = local_name(name);
    if (!push(x)) return;
    if (!strcmp(l, "row")) {
        const char *r = attr(atts, "r", 0);
        unsigned next = c->row + 1;
        if (r) {
            char *end;
            unsigned long v = strtoul(r, &end, 10);
            if (*end || !v || v > 1048576) {
                xfail(x, "part '%s' has a row numbered '%s'", x->part, r);
                return;
            }
            next = (unsigned)v;
        }
        if (c->max_row && next > c->max_row) {
            x->stopped = 1;
            XML_StopParser(x->p, XML_FALSE);
            return;
        }
        c->row = next;
        c->col = 0;
    } else if (!strcmp(l, "c")) {
        const char *ref = attr(atts, "r", 0), *t = attr(atts, "t", 0);
        unsigned row = c->row ? c->row : 1, col = c->col + 1;
        if (ref && parse_ref(ref, &row, &col) != 0) {
            xfail(x, "part '%s' has a cell named '%s'", x->part, ref);
            return;
        }
        c->row = row;
        c->col = col;
        c->in_c = 1;
        snprintf(c->type, sizeof c->type, "%s", t ? t : "n");
        rk_buf_free(&c->v);
        rk_buf_free(&c->is);
    } else if (c->in_c && !strcmp(l, "v")) {
        c->in_v = 1;
    } else if (c->in_c && !strcmp(l, "is")) {
        c->in_is = 1;
    } else if (c->in_is && !strcmp(l, "rPh")) {
        c->in_rph++;
    } else if (c->in_is && !c->in_rph && !strcmp(l, "t")) {
        c->in_t = 1;
    }
}

static void add_cell(xparse *x, sheet_ctx *c, char *text, int is_number, double value)
{
    if (!*text) {
        free(text);
        return;
    }
    if (c->n >= RK_XLSX_READ_MAX_CELLS) {
        free(text);
        xfail(x, "a sheet has more than %u cells", RK_XLSX_READ_MAX_CELLS);
        return;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->cells = rk_xrealloc(c->cells, c->cap * sizeof(rk_xcell));
    }
    c->cells[c->n++] = (rk_xcell){c->row, c->col, text, is_number, value};
}

static void end_cell(xparse *x, sheet_ctx *c)
{
    const char *v = c->v.data ? c->v.data : "";
    const char *t = c->type;
    char where[16];
    rk_xlsx_cell_name(c->row, c->col, where, sizeof where);
    if (!strcmp(t, "s")) {
        char *end;
        unsigned long k = strtoul(v, &end, 10);
        if (!*v || *end || k >= x->b->nstrings) {
            xfail(x,
                  "cell %s of part '%s' refers to shared string '%s', which the workbook does "
                  "not have",
                  where, x->part, v);
            return;
        }
        add_cell(x, c, rk_xstrdup(x->b->strings[k]), 0, 0);
    } else if (!strcmp(t, "inlineStr")) {
        add_cell(x, c, decode_text(c->is.data ? c->is.data : "", c->is.len), 0, 0);
    } else if (!strcmp(t, "str") || !strcmp(t, "e")) {
        add_cell(x, c, decode_text(v, c->v.len), 0, 0);
    } else if (!strcmp(t, "b")) {
        if (*v)
            add_cell(x, c, rk_xstrdup(!strcmp(v, "1") || !strcmp(v, "true") ? "TRUE" : "FALSE"), 0,
                     0);
    } else if (!strcmp(t, "d")) {
        /* an ISO 8601 date cell: its day, as a date column wants it */
        size_t n = strlen(v);
        add_cell(x, c, rk_xstrndup(v, n >= 10 && v[4] == '-' && v[7] == '-' ? 10 : n), 0, 0);
    } else if (*v) {
        char *end;
        errno = 0;
        double d = strtod(v, &end);
        if (*end || !isfinite(d)) {
            xfail(x, "cell %s of part '%s' holds '%s', which is no number", where, x->part, v);
            return;
        }
        add_cell(x, c, rk_xasprintf("%.15g", d), 1, d);
    }
}

static void XMLCALL sheet_end(void *u, const XML_Char *name)
{
    xparse *x = u;
    sheet_ctx *c = x->ctx;
    const char *l = local_name(name);
    if (x->depth) x->depth--;
    if (!strcmp(l, "c") && c->in_c) {
        c->in_c = c->in_v = c->in_is = c->in_t = c->in_rph = 0;
        end_cell(x, c);
    } else if (!strcmp(l, "v")) {
        c->in_v = 0;
    } else if (!strcmp(l, "is")) {
        c->in_is = 0;
    } else if (!strcmp(l, "rPh")) {
        if (c->in_rph) c->in_rph--;
    } else if (!strcmp(l, "t")) {
        c->in_t = 0;
    }
}

static void XMLCALL sheet_text(void *u, const XML_Char *s, int len)
{
    xparse *x = u;
    sheet_ctx *c = x->ctx;
    rk_buf *into = c->in_v ? &c->v : (c->in_t && !c->in_rph) ? &c->is : NULL;
    if (!into) return;
    if (into->len + (size_t)len > RK_XLSX_READ_MAX_TEXT) {
        xfail(x, "a cell of part '%s' holds more than %u KiB of text", x->part,
              RK_XLSX_READ_MAX_TEXT >> 10);
        return;
    }
    rk_buf_add(into, s, (size_t)len);
}

rk_err rk_xlsx_sheet_cells(rk_xbook *b, size_t i, unsigned max_row, rk_xcell **cells, size_t *n,
                           rk_diag *d)
{
    *cells = NULL;
    *n = 0;
    if (!b->sheets[i].part)
        return rk_diag_set(d, b->path, 0, 0,
                           "sheet '%s' names no worksheet part; expected a workbook saved by a "
                           "spreadsheet program",
                           b->sheets[i].name);
    sheet_ctx c = {.max_row = max_row};
    xparse x = {.p = new_parser(), .b = b, .d = d, .ctx = &c};
    XML_SetElementHandler(x.p, sheet_start, sheet_end);
    XML_SetCharacterDataHandler(x.p, sheet_text);
    int rc = parse_part(&x, b->sheets[i].part, 0);
    XML_ParserFree(x.p);
    rk_buf_free(&c.v);
    rk_buf_free(&c.is);
    if (rc != 0) {
        rk_xlsx_cells_free(c.cells, c.n);
        return RK_INPUT;
    }
    *cells = c.cells;
    *n = c.n;
    return RK_OK;
}

void rk_xlsx_cells_free(rk_xcell *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(cells[i].text);
    free(cells);
}

void rk_xlsx_cell_name(unsigned row, unsigned col, char *out, size_t outlen)
{
    char letters[8];
    size_t k = sizeof letters - 1;
    letters[k] = '\0';
    while (col && k) {
        unsigned r = (col - 1) % 26;
        letters[--k] = (char)('A' + r);
        col = (col - 1) / 26;
    }
    snprintf(out, outlen, "%s%u", letters + k, row);
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void civil(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

int rk_xlsx_serial_date(const rk_xbook *b, double serial, char out[11])
{
    if (!isfinite(serial)) return -1;
    double day = floor(serial);
    /* 1900 system: serial 61 is 1900-03-01 (Excel counts a 1900-02-29 that never was);
     * 1904 system: serial 0 is 1904-01-01 */
    int64_t unix_days;
    if (b && b->date1904) {
        if (day < 0 || day > 2957003) return -1;
        unix_days = (int64_t)day - 24107;
    } else {
        if (day < 61 || day > 2958465) return -1;
        unix_days = (int64_t)day - 25569;
    }
    int y;
    unsigned m, d;
    civil(unix_days, &y, &m, &d);
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04d-%02u-%02u", y, m, d);
    memcpy(out, tmp, 10);
    out[10] = '\0';
    return 0;
}
