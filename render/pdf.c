/* pdf.c - the PDF writer: lays the neutral document model out on pages with libharu. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "doc.h"
#include "pdf_attach.h"
#include "util.h"

/* ---- Page geometry and type scale, in points ----------------------------------- */

#define RK_PDF_MM (72.0 / 25.4)
#define RK_PDF_MARGIN (18.0 * RK_PDF_MM)
#define RK_PDF_BAND_H 24.0 /* header band on the pages after the cover */
#define RK_PDF_FOOT_H 20.0 /* footer: rule, assessment id, page n of N */

#define RK_PDF_SZ_TITLE 22.0
#define RK_PDF_SZ_SUBTITLE 13.0
#define RK_PDF_SZ_H0 14.0
#define RK_PDF_SZ_H1 12.0
#define RK_PDF_SZ_HEADING 10.5
#define RK_PDF_SZ_BODY 9.0
#define RK_PDF_SZ_SMALL 7.5
#define RK_PDF_SZ_TABLE 8.0
#define RK_PDF_SZ_VERDICT 13.0
#define RK_PDF_SZ_BAND 7.5

#define RK_PDF_CAP 0.73        /* cap height of DejaVu Sans, in em */
#define RK_PDF_UNMEASURED (-1) /* width cache: not looked up yet */
#define RK_PDF_NOGLYPH (-2)    /* width cache: the font has no glyph */
#define RK_PDF_DEFAULT_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define RK_PDF_DEFAULT_BOLD "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

typedef struct rk_pdf_rgb {
    float r, g, b;
} rk_pdf_rgb;

#define RK_PDF_HEX(h)                                                                              \
    {                                                                                              \
        (float)(((h) >> 16) & 255) / 255.0f, (float)(((h) >> 8) & 255) / 255.0f,                   \
            (float)((h)&255) / 255.0f                                                              \
    }

static const rk_pdf_rgb RK_PDF_INK = RK_PDF_HEX(0x1E2329);
static const rk_pdf_rgb RK_PDF_NAVY = RK_PDF_HEX(0x1F3A5F);
static const rk_pdf_rgb RK_PDF_GREY = RK_PDF_HEX(0x5B6573);
static const rk_pdf_rgb RK_PDF_RULE = RK_PDF_HEX(0xB3BBC5);
static const rk_pdf_rgb RK_PDF_HEAD_FILL = RK_PDF_HEX(0xDCE3EB);
static const rk_pdf_rgb RK_PDF_KEY_FILL = RK_PDF_HEX(0xEEF1F5);
static const rk_pdf_rgb RK_PDF_ZEBRA = RK_PDF_HEX(0xF6F8FA);
static const rk_pdf_rgb RK_PDF_GROUP_FILL = RK_PDF_HEX(0xE8EDF3);
static const rk_pdf_rgb RK_PDF_NOTE_FILL = RK_PDF_HEX(0xF3F6F9);
static const rk_pdf_rgb RK_PDF_ZONE_FILL = RK_PDF_HEX(0xF4F7FA);
static const rk_pdf_rgb RK_PDF_WHITE = RK_PDF_HEX(0xFFFFFF);
static const rk_pdf_rgb RK_PDF_WIRE = RK_PDF_HEX(0x37474F);

/* How a tone looks: a light cell fill, a stronger bar colour for charts and the ink.
 * The fills differ in lightness too, and the status word is always printed, so a grey
 * print still reads. */
typedef struct rk_pdf_tonestyle {
    int filled;
    rk_pdf_rgb fill, bar, ink;
    int bold;
} rk_pdf_tonestyle;

static rk_pdf_tonestyle rk_pdf_tone(rk_tone t)
{
    static const rk_pdf_tonestyle styles[] = {
        [RK_TONE_NONE] = {0, RK_PDF_HEX(0xFFFFFF), RK_PDF_HEX(0x7F8C9A), RK_PDF_HEX(0x1E2329), 0},
        [RK_TONE_PASS] = {1, RK_PDF_HEX(0xDDEFD6), RK_PDF_HEX(0x5A9E55), RK_PDF_HEX(0x1D4A1E), 0},
        [RK_TONE_FAIL] = {1, RK_PDF_HEX(0xF5CFCF), RK_PDF_HEX(0xC0392B), RK_PDF_HEX(0x7A1410), 1},
        [RK_TONE_WARN] = {1, RK_PDF_HEX(0xFBE3A6), RK_PDF_HEX(0xE0A030), RK_PDF_HEX(0x5E4100), 0},
        [RK_TONE_UNKNOWN] = {1, RK_PDF_HEX(0xDAE2EC), RK_PDF_HEX(0x7F96B2), RK_PDF_HEX(0x253649),
                             0},
        [RK_TONE_INFO] = {1, RK_PDF_HEX(0xE9E9E9), RK_PDF_HEX(0xA5A5A5), RK_PDF_HEX(0x383838), 0},
        [RK_TONE_MUTED] = {0, RK_PDF_HEX(0xFFFFFF), RK_PDF_HEX(0xC9C9C9), RK_PDF_HEX(0x7A7A7A), 0},
    };
    if ((int)t < 0 || (size_t)t >= sizeof(styles) / sizeof(styles[0])) t = RK_TONE_NONE;
    return styles[t];
}

/* ---- Writer context ------------------------------------------------------------ */

typedef struct rk_pdf_font {
    HPDF_Font font;
    HPDF_FontDef def;
    int16_t *w;    /* advance width per BMP code point in 1/1000 em, or RK_PDF_* */
    uint32_t repl; /* what a missing character becomes: U+FFFD, or '?' */
    int fake_bold; /* no bold face: draw bold by filling and stroking the outline */
} rk_pdf_font;

typedef struct rk_pdf_line {
    size_t start, len; /* into rk_pdf.cp */
    double w;
} rk_pdf_tline;

typedef struct rk_pdf_page {
    HPDF_Page page;
    int landscape;
} rk_pdf_page;

typedef struct rk_pdf {
    const rk_doc *doc;
    HPDF_Doc pdf;
    HPDF_Encoder utf8;
    /* The first libharu error, recorded by rk_pdf_on_error. */
    int failed;
    HPDF_STATUS status, detail;
    int err_no;

    rk_pdf_font reg, bold;
    /* The page's current fill and stroke colours, font and size, so that a drawing call
     * repeating them is not sent again: libharu clears a 2 KB buffer on every state
     * call, which was a fifth of the instructions of a large document. Valid only while
     * state_page is the current page (a new or revisited page starts unknown). */
    HPDF_Page state_page;
    int have_fill, have_stroke;
    rk_pdf_rgb fill, stroke;
    HPDF_Font font;
    double font_size;
    int letter;
    int cover; /* the first page is a cover (no running header) */

    rk_pdf_page *pages;
    size_t npages, cappages;
    HPDF_Page page;
    int landscape;
    double pw, ph;              /* page size */
    double x0, x1, top, bottom; /* content box */
    double y;                   /* top of the free space on the current page */

    HPDF_Outline outline_top; /* last level-0 bookmark, parent of level-1 ones */
    HPDF_Page heading_page;   /* where the last section heading ended */
    double heading_y;

    /* Scratch reused by every block: code points, wrapped lines, UTF-8 bytes. */
    uint32_t *cp;
    size_t ncp, capcp;
    rk_pdf_tline *lines;
    size_t nlines, caplines;
    char *u8;
    size_t capu8;
} rk_pdf;

static void rk_pdf_on_error(HPDF_STATUS status, HPDF_STATUS detail, void *user)
{
    rk_pdf *c = user;
    if (c->failed) return;
    c->failed = 1;
    c->status = status;
    c->detail = detail;
    c->err_no = errno;
}

static const char *rk_pdf_s(const char *s)
{
    return s ? s : "";
}

/* ---- Text: decoding, glyph checks, widths -------------------------------------- */

/* Decodes one UTF-8 character at *p (p < end) and advances *p. Invalid sequences,
 * overlongs and surrogates decode to U+FFFD, consuming one byte. Written by hand
 * because we need code points to measure and to check glyphs, and libharu's own
 * parser silently drops what it cannot encode. */
static uint32_t rk_pdf_utf8_next(const unsigned char **p, const unsigned char *end)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    size_t n;
    uint32_t min;
    if (c < 0x80) {
        *p = s + 1;
        return c;
    } else if ((c & 0xE0) == 0xC0) {
        n = 2, c &= 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, c &= 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, c &= 0x07, min = 0x10000;
    } else {
        *p = s + 1;
        return 0xFFFD;
    }
    if ((size_t)(end - s) < n) {
        *p = s + 1;
        return 0xFFFD;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + 1;
            return 0xFFFD;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *p = s + 1;
        return 0xFFFD;
    }
    *p = s + n;
    return c;
}

/* Appends the UTF-8 encoding of BMP code point cp to out; returns the bytes written. */
static size_t rk_pdf_utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

/* Advance width of cp in 1/1000 em, or RK_PDF_NOGLYPH. Widths are cached per font
 * and code point: libharu looks glyphs up by a linear walk over the cmap segments,
 * which is far too slow for tables of tens of thousands of rows. */
static int rk_pdf_glyph_w(rk_pdf_font *f, uint32_t cp)
{
    if (cp > 0xFFFF) return RK_PDF_NOGLYPH;
    int16_t v = f->w[cp];
    if (v == RK_PDF_UNMEASURED) {
        if (HPDF_TTFontDef_GetGlyphid(f->def, (HPDF_UINT16)cp) == 0) {
            v = RK_PDF_NOGLYPH;
        } else {
            v = HPDF_TTFontDef_GetCharWidth(f->def, (HPDF_UINT16)cp);
            if (v < 0) v = 0;
        }
        f->w[cp] = v;
    }
    return v;
}

static double rk_pdf_cw(rk_pdf_font *f, uint32_t cp, double size)
{
    int v = rk_pdf_glyph_w(f, cp);
    return v < 0 ? 0 : v * size / 1000.0;
}

static void rk_pdf_cp_push(rk_pdf *c, uint32_t cp)
{
    if (c->ncp == c->capcp) {
        c->capcp = c->capcp ? c->capcp * 2 : 1024;
        c->cp = rk_xrealloc(c->cp, c->capcp * sizeof(*c->cp));
    }
    c->cp[c->ncp++] = cp;
}

/* Appends the code points of UTF-8 text s to the scratch, ready for font f: tabs
 * become spaces, line feeds stay (forced breaks), other control characters, invalid
 * bytes, characters beyond the Basic Multilingual Plane (libharu 2.3.0 drops them)
 * and characters the font has no glyph for become the font's visible replacement.
 * Returns the offset of the first appended code point. */
static size_t rk_pdf_shape(rk_pdf *c, rk_pdf_font *f, const char *s)
{
    size_t start = c->ncp;
    const unsigned char *p = (const unsigned char *)rk_pdf_s(s);
    const unsigned char *end = p + strlen((const char *)p);
    while (p < end) {
        uint32_t cp = rk_pdf_utf8_next(&p, end);
        if (cp == '\r') continue;
        if (cp == '\t') cp = ' ';
        if (cp != '\n' && (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || rk_pdf_glyph_w(f, cp) < 0))
            cp = f->repl;
        rk_pdf_cp_push(c, cp);
    }
    return start;
}

static double rk_pdf_width(rk_pdf_font *f, double size, const uint32_t *cp, size_t n)
{
    double w = 0;
    for (size_t i = 0; i < n; i++)
        w += rk_pdf_cw(f, cp[i], size);
    return w;
}

static void rk_pdf_line_push(rk_pdf *c, size_t start, size_t end, double size, rk_pdf_font *f)
{
    while (end > start && c->cp[end - 1] == ' ')
        end--;
    if (c->nlines == c->caplines) {
        c->caplines = c->caplines ? c->caplines * 2 : 256;
        c->lines = rk_xrealloc(c->lines, c->caplines * sizeof(*c->lines));
    }
    rk_pdf_tline *l = &c->lines[c->nlines++];
    l->start = start;
    l->len = end - start;
    l->w = rk_pdf_width(f, size, c->cp + start, end - start);
}

static int rk_pdf_digit(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

/* May a line break after t[i] (the text is t[start..end))? After a hyphen only inside
 * words, so that port ranges such as 49152-65535 and negative numbers stay whole; after
 * a comma or semicolon unless it groups thousands (15,000 but not 443,445,636). */
static int rk_pdf_break_after(const uint32_t *t, size_t start, size_t i, size_t end)
{
    uint32_t cp = t[i], prev = i > start ? t[i - 1] : ' ';
    if (i + 1 >= end || t[i + 1] == ' ') return 0;
    if (cp == '-')
        return (prev >= 'A' && prev <= 'Z') || (prev >= 'a' && prev <= 'z') || prev >= 0xC0;
    if (cp == ',' || cp == ';') {
        if (!rk_pdf_digit(prev) || i + 3 >= end) return 1;
        int three = rk_pdf_digit(t[i + 1]) && rk_pdf_digit(t[i + 2]) && rk_pdf_digit(t[i + 3]);
        uint32_t after = i + 4 < end ? t[i + 4] : ' ';
        return !(three && !rk_pdf_digit(after) && after != ',' && after != ';');
    }
    return cp == '/' || cp == '\\' || cp == '|';
}

/* Wraps the n code points at scratch offset off into lines no wider than maxw: breaks
 * at spaces and after - / \ , ; |, and breaks a word that does not fit a line by
 * characters. Appends the lines to the scratch and returns how many (at least one).
 * Linear in n: every character is measured at most twice. Written by hand because
 * HPDF_Font_MeasureText only breaks at spaces (a long path or digest would overflow
 * its cell) and measures through libharu's slow glyph lookup. */
static size_t rk_pdf_wrap(rk_pdf *c, rk_pdf_font *f, double size, size_t off, size_t n, double maxw)
{
    size_t first = c->nlines;
    size_t end = off + n;
    size_t i = off;
    int wrapped = 0;
    for (;;) {
        if (wrapped)
            while (i < end && c->cp[i] == ' ')
                i++;
        size_t start = i, brk = 0, next = 0;
        double w = 0;
        int done = 0;
        for (;;) {
            if (i == end) {
                rk_pdf_line_push(c, start, i, size, f);
                done = 1;
                break;
            }
            uint32_t cp = c->cp[i];
            if (cp == '\n') {
                rk_pdf_line_push(c, start, i, size, f);
                i++;
                wrapped = 0;
                break;
            }
            double cw = rk_pdf_cw(f, cp, size);
            if (w + cw > maxw && i > start && cp != ' ') {
                if (brk > start) {
                    rk_pdf_line_push(c, start, brk, size, f);
                    i = next;
                } else {
                    rk_pdf_line_push(c, start, i, size, f);
                }
                wrapped = 1;
                break;
            }
            w += cw;
            if (cp == ' ') {
                brk = i, next = i + 1;
            } else if (rk_pdf_break_after(c->cp, start, i, end)) {
                brk = i + 1, next = i + 1;
            }
            i++;
        }
        if (done) break;
    }
    return c->nlines - first;
}

/* UTF-8 of the n code points at scratch offset off, in a scratch buffer valid until
 * the next call. */
static const char *rk_pdf_u8(rk_pdf *c, size_t off, size_t n)
{
    if (c->capu8 < n * 3 + 1) {
        c->capu8 = n * 3 + 64;
        c->u8 = rk_xrealloc(c->u8, c->capu8);
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += rk_pdf_utf8_put(c->u8 + k, c->cp[off + i]);
    c->u8[k] = 0;
    return c->u8;
}

/* UTF-8 for metadata and bookmarks (no font involved): characters beyond the BMP
 * become U+FFFD, control characters are dropped. Valid until the next call. */
static const char *rk_pdf_meta(rk_pdf *c, const char *s)
{
    size_t mark = c->ncp;
    const unsigned char *p = (const unsigned char *)rk_pdf_s(s);
    const unsigned char *end = p + strlen((const char *)p);
    while (p < end) {
        uint32_t cp = rk_pdf_utf8_next(&p, end);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) continue;
        rk_pdf_cp_push(c, cp > 0xFFFF ? 0xFFFD : cp);
    }
    const char *out = rk_pdf_u8(c, mark, c->ncp - mark);
    c->ncp = mark;
    return out;
}

/* ---- Drawing primitives -------------------------------------------------------- */

static void rk_pdf_state_sync(rk_pdf *c)
{
    if (c->state_page == c->page) return;
    c->state_page = c->page;
    c->have_fill = c->have_stroke = 0;
    c->font = NULL;
}

static int rk_pdf_same_rgb(rk_pdf_rgb a, rk_pdf_rgb b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

static void rk_pdf_fill_rgb(rk_pdf *c, rk_pdf_rgb k)
{
    rk_pdf_state_sync(c);
    if (c->have_fill && rk_pdf_same_rgb(c->fill, k)) return;
    HPDF_Page_SetRGBFill(c->page, k.r, k.g, k.b);
    c->fill = k;
    c->have_fill = 1;
}
static void rk_pdf_stroke_rgb(rk_pdf *c, rk_pdf_rgb k)
{
    rk_pdf_state_sync(c);
    if (c->have_stroke && rk_pdf_same_rgb(c->stroke, k)) return;
    HPDF_Page_SetRGBStroke(c->page, k.r, k.g, k.b);
    c->stroke = k;
    c->have_stroke = 1;
}

static void rk_pdf_fill_rect(rk_pdf *c, double x, double y, double w, double h, rk_pdf_rgb k)
{
    rk_pdf_fill_rgb(c, k);
    HPDF_Page_Rectangle(c->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
    HPDF_Page_Fill(c->page);
}

static void rk_pdf_stroke_rect(rk_pdf *c, double x, double y, double w, double h, rk_pdf_rgb k,
                               double lw)
{
    rk_pdf_stroke_rgb(c, k);
    HPDF_Page_SetLineWidth(c->page, (HPDF_REAL)lw);
    HPDF_Page_Rectangle(c->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
    HPDF_Page_Stroke(c->page);
}

static void rk_pdf_line(rk_pdf *c, double xa, double ya, double xb, double yb, rk_pdf_rgb k,
                        double lw)
{
    rk_pdf_stroke_rgb(c, k);
    HPDF_Page_SetLineWidth(c->page, (HPDF_REAL)lw);
    HPDF_Page_MoveTo(c->page, (HPDF_REAL)xa, (HPDF_REAL)ya);
    HPDF_Page_LineTo(c->page, (HPDF_REAL)xb, (HPDF_REAL)yb);
    HPDF_Page_Stroke(c->page);
}

/* Adds a rounded rectangle to the current path (lower-left x, y); libharu 2.3.0 has
 * none, so four Bézier quarter circles. */
static void rk_pdf_round_rect(rk_pdf *c, double x, double y, double w, double h, double r)
{
    const double k = 0.5523 * r;
    HPDF_Page p = c->page;
    if (r > w / 2) r = w / 2;
    if (r > h / 2) r = h / 2;
    HPDF_Page_MoveTo(p, (HPDF_REAL)(x + r), (HPDF_REAL)y);
    HPDF_Page_LineTo(p, (HPDF_REAL)(x + w - r), (HPDF_REAL)y);
    HPDF_Page_CurveTo(p, (HPDF_REAL)(x + w - r + k), (HPDF_REAL)y, (HPDF_REAL)(x + w),
                      (HPDF_REAL)(y + r - k), (HPDF_REAL)(x + w), (HPDF_REAL)(y + r));
    HPDF_Page_LineTo(p, (HPDF_REAL)(x + w), (HPDF_REAL)(y + h - r));
    HPDF_Page_CurveTo(p, (HPDF_REAL)(x + w), (HPDF_REAL)(y + h - r + k), (HPDF_REAL)(x + w - r + k),
                      (HPDF_REAL)(y + h), (HPDF_REAL)(x + w - r), (HPDF_REAL)(y + h));
    HPDF_Page_LineTo(p, (HPDF_REAL)(x + r), (HPDF_REAL)(y + h));
    HPDF_Page_CurveTo(p, (HPDF_REAL)(x + r - k), (HPDF_REAL)(y + h), (HPDF_REAL)x,
                      (HPDF_REAL)(y + h - r + k), (HPDF_REAL)x, (HPDF_REAL)(y + h - r));
    HPDF_Page_LineTo(p, (HPDF_REAL)x, (HPDF_REAL)(y + r));
    HPDF_Page_CurveTo(p, (HPDF_REAL)x, (HPDF_REAL)(y + r - k), (HPDF_REAL)(x + r - k), (HPDF_REAL)y,
                      (HPDF_REAL)(x + r), (HPDF_REAL)y);
    HPDF_Page_ClosePath(p);
}

/* Draws the n scratch code points at off with the baseline at y. */
static void rk_pdf_show(rk_pdf *c, rk_pdf_font *f, double size, rk_pdf_rgb ink, double x, double y,
                        size_t off, size_t n)
{
    if (n == 0) return;
    const char *s = rk_pdf_u8(c, off, n);
    rk_pdf_fill_rgb(c, ink);
    if (f->fake_bold) {
        rk_pdf_stroke_rgb(c, ink);
        HPDF_Page_SetLineWidth(c->page, (HPDF_REAL)(size * 0.03));
        HPDF_Page_SetTextRenderingMode(c->page, HPDF_FILL_THEN_STROKE);
    }
    HPDF_Page_BeginText(c->page);
    rk_pdf_state_sync(c);
    if (c->font != f->font || c->font_size != size) {
        HPDF_Page_SetFontAndSize(c->page, f->font, (HPDF_REAL)size);
        c->font = f->font;
        c->font_size = size;
    }
    HPDF_Page_TextOut(c->page, (HPDF_REAL)x, (HPDF_REAL)y, s);
    HPDF_Page_EndText(c->page);
    if (f->fake_bold) HPDF_Page_SetTextRenderingMode(c->page, HPDF_FILL);
}

/* Baseline of a line of the given size whose line box (height lead) starts at top. */
static double rk_pdf_baseline(double top, double size, double lead)
{
    return top - (lead + RK_PDF_CAP * size) / 2.0;
}

/* Draws lines [l0, l0+n) of the scratch from top down, aligned 0 left, 1 right,
 * 2 centre within [x, x+w]. */
static void rk_pdf_show_lines(rk_pdf *c, rk_pdf_font *f, double size, double lead, rk_pdf_rgb ink,
                              double x, double w, double top, size_t l0, size_t n, int align)
{
    for (size_t i = 0; i < n; i++) {
        const rk_pdf_tline *l = &c->lines[l0 + i];
        double lx = x;
        if (align == 1) lx = x + w - l->w;
        if (align == 2) lx = x + (w - l->w) / 2;
        rk_pdf_show(c, f, size, ink, lx, rk_pdf_baseline(top - i * lead, size, lead), l->start,
                    l->len);
    }
}

/* One line of text, cut with an ellipsis to maxw; aligned as in rk_pdf_show_lines.
 * Returns the width drawn. */
static double rk_pdf_text_fit(rk_pdf *c, rk_pdf_font *f, double size, rk_pdf_rgb ink, double x,
                              double y, const char *s, double maxw, int align)
{
    size_t mark = c->ncp;
    size_t off = rk_pdf_shape(c, f, s);
    size_t n = c->ncp - off;
    for (size_t i = 0; i < n; i++)
        if (c->cp[off + i] == '\n') c->cp[off + i] = ' ';
    double w = rk_pdf_width(f, size, c->cp + off, n);
    if (w > maxw && n > 0) {
        uint32_t ell = rk_pdf_glyph_w(f, 0x2026) >= 0 ? 0x2026 : '.';
        double ew = rk_pdf_cw(f, ell, size);
        while (n > 0 && w + ew > maxw)
            w -= rk_pdf_cw(f, c->cp[off + --n], size);
        c->cp[off + n] = ell;
        n++;
        w += ew;
    }
    double lx = align == 1 ? x - w : align == 2 ? x - w / 2 : x;
    rk_pdf_show(c, f, size, ink, lx, y, off, n);
    c->ncp = mark;
    return w;
}

/* ---- Pages --------------------------------------------------------------------- */

/* Starts a page. Pages after the first carry the header band with the document title;
 * footers are drawn at the end, when the page count is known. */
static void rk_pdf_add_page(rk_pdf *c, int landscape)
{
    HPDF_Page p = HPDF_AddPage(c->pdf);
    if (!p) return;
    HPDF_Page_SetSize(p, c->letter ? HPDF_PAGE_SIZE_LETTER : HPDF_PAGE_SIZE_A4,
                      landscape ? HPDF_PAGE_LANDSCAPE : HPDF_PAGE_PORTRAIT);
    if (c->npages == c->cappages) {
        c->cappages = c->cappages ? c->cappages * 2 : 32;
        c->pages = rk_xrealloc(c->pages, c->cappages * sizeof(*c->pages));
    }
    c->pages[c->npages].page = p;
    c->pages[c->npages].landscape = landscape;
    c->npages++;
    c->page = p;
    c->landscape = landscape;
    c->pw = HPDF_Page_GetWidth(p);
    c->ph = HPDF_Page_GetHeight(p);
    c->x0 = RK_PDF_MARGIN;
    c->x1 = c->pw - RK_PDF_MARGIN;
    c->bottom = RK_PDF_MARGIN + RK_PDF_FOOT_H;
    if (c->npages == 1 && c->cover) {
        /* Cover: an accent band along the top edge, no running header. */
        rk_pdf_fill_rect(c, 0, c->ph - 7 * RK_PDF_MM, c->pw, 7 * RK_PDF_MM, RK_PDF_NAVY);
        c->top = c->ph - RK_PDF_MARGIN - 14 * RK_PDF_MM;
    } else {
        double base = c->ph - RK_PDF_MARGIN + 2;
        double right = c->x1;
        double cw = 0;
        if (c->doc->company && *c->doc->company)
            cw = rk_pdf_text_fit(c, &c->reg, RK_PDF_SZ_BAND, RK_PDF_GREY, right, base,
                                 c->doc->company, (c->x1 - c->x0) * 0.4, 1);
        rk_pdf_text_fit(c, &c->bold, RK_PDF_SZ_BAND, RK_PDF_NAVY, c->x0, base, c->doc->title,
                        c->x1 - c->x0 - cw - 12, 0);
        rk_pdf_line(c, c->x0, base - 5, c->x1, base - 5, RK_PDF_NAVY, 0.6);
        c->top = c->ph - RK_PDF_MARGIN - RK_PDF_BAND_H + 4;
    }
    c->y = c->top;
}

static int rk_pdf_page_fresh(const rk_pdf *c)
{
    return c->page && c->y >= c->top - 0.01;
}

/* True when nothing but a section heading is on the page: moving on would orphan it. */
static int rk_pdf_only_heading(const rk_pdf *c)
{
    return c->page && c->page == c->heading_page && fabs(c->y - c->heading_y) < 0.01;
}

/* Makes sure h points are free on the current page; starts a new page otherwise
 * (unless the page is still empty, so that an oversized block cannot loop). */
static void rk_pdf_ensure(rk_pdf *c, double h)
{
    if (!c->page) {
        rk_pdf_add_page(c, 0);
        return;
    }
    if (c->y - h < c->bottom && !rk_pdf_page_fresh(c)) rk_pdf_add_page(c, c->landscape);
}

/* Replaces {n} and {N} in fmt. Caller frees. */
static char *rk_pdf_page_label(const char *fmt, size_t n, size_t total)
{
    rk_buf b = {0};
    for (const char *p = fmt; *p; p++) {
        if (p[0] == '{' && (p[1] == 'n' || p[1] == 'N') && p[2] == '}') {
            rk_buf_printf(&b, "%zu", p[1] == 'n' ? n : total);
            p += 2;
        } else {
            rk_buf_putc(&b, *p);
        }
    }
    return rk_buf_take(&b);
}

/* Footers on every page, once the page count is known: a rule, footer_left on the
 * left and page_format with {n} and {N} on the right. */
static void rk_pdf_footers(rk_pdf *c)
{
    const char *fmt = c->doc->page_format ? c->doc->page_format : "{n} / {N}";
    for (size_t i = 0; i < c->npages && !c->failed; i++) {
        c->page = c->pages[i].page;
        double pw = HPDF_Page_GetWidth(c->page);
        double x0 = RK_PDF_MARGIN, x1 = pw - RK_PDF_MARGIN;
        double y = RK_PDF_MARGIN;
        rk_pdf_line(c, x0, y + 9, x1, y + 9, RK_PDF_RULE, 0.5);
        char *label = rk_pdf_page_label(fmt, i + 1, c->npages);
        double lw = rk_pdf_text_fit(c, &c->reg, RK_PDF_SZ_BAND, RK_PDF_GREY, x1, y, label,
                                    (x1 - x0) / 2, 1);
        free(label);
        rk_pdf_text_fit(c, &c->reg, RK_PDF_SZ_BAND, RK_PDF_GREY, x0, y, c->doc->footer_left,
                        x1 - x0 - lw - 16, 0);
    }
}

/* ---- Paragraphs and headings --------------------------------------------------- */

typedef struct rk_pdf_pstyle {
    rk_pdf_font *f;
    double size, lead, before, after;
    rk_pdf_rgb ink;
    int boxed; /* 0 none, 1 note, 2 verdict */
    double pad;
} rk_pdf_pstyle;

static rk_pdf_pstyle rk_pdf_para_style(rk_pdf *c, rk_para_style st, rk_tone tone)
{
    rk_pdf_pstyle s = {&c->reg, RK_PDF_SZ_BODY, RK_PDF_SZ_BODY * 1.4, 0, 6, RK_PDF_INK, 0, 0};
    if (tone != RK_TONE_NONE) s.ink = rk_pdf_tone(tone).ink;
    switch (st) {
    case RK_PARA_TITLE:
        s.f = &c->bold, s.size = RK_PDF_SZ_TITLE, s.lead = RK_PDF_SZ_TITLE * 1.2;
        s.ink = RK_PDF_NAVY, s.after = 8;
        break;
    case RK_PARA_SUBTITLE:
        s.size = RK_PDF_SZ_SUBTITLE, s.lead = RK_PDF_SZ_SUBTITLE * 1.3;
        s.ink = RK_PDF_GREY, s.after = 18;
        break;
    case RK_PARA_HEADING:
        s.f = &c->bold, s.size = RK_PDF_SZ_HEADING, s.lead = RK_PDF_SZ_HEADING * 1.3;
        s.ink = RK_PDF_NAVY, s.before = 8, s.after = 4;
        break;
    case RK_PARA_SMALL:
        s.size = RK_PDF_SZ_SMALL, s.lead = RK_PDF_SZ_SMALL * 1.35;
        if (tone == RK_TONE_NONE) s.ink = RK_PDF_GREY;
        break;
    case RK_PARA_NOTE:
        s.boxed = 1, s.pad = 7, s.before = 2, s.after = 10;
        break;
    case RK_PARA_VERDICT:
        s.f = &c->bold, s.size = RK_PDF_SZ_VERDICT, s.lead = RK_PDF_SZ_VERDICT * 1.3;
        s.boxed = 2, s.pad = 9, s.before = 4, s.after = 12;
        s.ink = tone == RK_TONE_NONE ? RK_PDF_INK : rk_pdf_tone(tone).ink;
        break;
    default:
        break;
    }
    return s;
}

/* The fewest lines of a split table row on either page. */
#define RK_PDF_MIN_SPLIT 3

/* Lays out text in style s over the content width and draws it, splitting across
 * pages line by line; boxed styles get a box per page part. */
static void rk_pdf_flow_text(rk_pdf *c, const rk_pdf_pstyle *s, rk_tone tone, const char *text)
{
    double inset = s->boxed ? s->pad + (s->boxed == 1 ? 3 : 0) : 0;
    double x = c->x0 + inset;
    double w = c->x1 - c->x0 - 2 * inset;
    size_t mark_cp = c->ncp, mark_ln = c->nlines;
    size_t off = rk_pdf_shape(c, s->f, text);
    size_t l0 = c->nlines;
    size_t n = rk_pdf_wrap(c, s->f, s->size, off, c->ncp - off, w);
    double vpad = s->boxed ? s->pad : 0;

    if (!rk_pdf_page_fresh(c)) c->y -= s->before;
    size_t i = 0;
    while (i < n && !c->failed) {
        double avail = c->y - c->bottom - 2 * vpad;
        size_t fit = avail > 0 ? (size_t)(avail / s->lead) : 0;
        size_t want = n - i < 2 ? n - i : 2; /* no single orphan line */
        if (fit < want && !rk_pdf_page_fresh(c)) {
            rk_pdf_add_page(c, c->landscape);
            continue;
        }
        if (fit < 1) fit = 1;
        size_t k = n - i < fit ? n - i : fit;
        double h = k * s->lead + 2 * vpad;
        if (s->boxed == 1) {
            rk_pdf_fill_rect(c, c->x0, c->y - h, c->x1 - c->x0, h, RK_PDF_NOTE_FILL);
            rk_pdf_fill_rect(c, c->x0, c->y - h, 2.5, h, RK_PDF_NAVY);
        } else if (s->boxed == 2) {
            rk_pdf_tonestyle ts = rk_pdf_tone(tone);
            rk_pdf_fill_rgb(c, ts.filled ? ts.fill : RK_PDF_NOTE_FILL);
            rk_pdf_stroke_rgb(c, ts.filled ? ts.bar : RK_PDF_RULE);
            HPDF_Page_SetLineWidth(c->page, 1.2f);
            rk_pdf_round_rect(c, c->x0, c->y - h, c->x1 - c->x0, h, 4);
            HPDF_Page_FillStroke(c->page);
        }
        rk_pdf_show_lines(c, s->f, s->size, s->lead, s->ink, x, w, c->y - vpad, l0 + i, k, 0);
        c->y -= h;
        i += k;
        if (i < n) rk_pdf_add_page(c, c->landscape);
    }
    c->y -= s->after;
    c->ncp = mark_cp, c->nlines = mark_ln;
}

/* A paragraph block; headings inside a section keep two lines of what follows. */
static void rk_pdf_para(rk_pdf *c, const rk_block *b)
{
    rk_pdf_pstyle s = rk_pdf_para_style(c, b->style, b->tone);
    if (b->style == RK_PARA_HEADING) rk_pdf_ensure(c, s.before + s.lead * 2 + 40);
    rk_pdf_flow_text(c, &s, b->tone, b->text);
}

/* Section heading with its bookmark; keep_h is the height of what must follow it on
 * the same page. */
static void rk_pdf_heading(rk_pdf *c, const rk_section *sec, double keep_h)
{
    rk_pdf_pstyle s = {
        &c->bold, sec->level > 0 ? RK_PDF_SZ_H1 : RK_PDF_SZ_H0, 0, 0, 0, RK_PDF_NAVY, 0, 0};
    s.lead = s.size * 1.3;
    s.before = rk_pdf_page_fresh(c) ? 0 : (sec->level > 0 ? 12 : 16);
    s.after = sec->level > 0 ? 6 : 4;
    rk_pdf_ensure(c, s.before + s.lead + 8 + keep_h);
    if (!rk_pdf_page_fresh(c)) c->y -= s.before;
    s.before = 0;

    HPDF_Outline parent = sec->level > 0 ? c->outline_top : NULL;
    HPDF_Outline o = HPDF_CreateOutline(c->pdf, parent, rk_pdf_meta(c, sec->title), c->utf8);
    if (o) {
        HPDF_Destination d = HPDF_Page_CreateDestination(c->page);
        if (d) {
            double t = c->y + 4;
            HPDF_Destination_SetFitH(d, (HPDF_REAL)(t > c->ph ? c->ph : t));
            HPDF_Outline_SetDestination(o, d);
        }
        if (sec->level <= 0) {
            HPDF_Outline_SetOpened(o, HPDF_TRUE);
            c->outline_top = o;
        }
    }
    rk_pdf_flow_text(c, &s, RK_TONE_NONE, sec->title);
    if (sec->level <= 0) {
        rk_pdf_line(c, c->x0, c->y + 1, c->x1, c->y + 1, RK_PDF_NAVY, 0.8);
        c->y -= 8;
    }
    c->heading_page = c->page;
    c->heading_y = c->y;
}

/* ---- Tables -------------------------------------------------------------------- */

typedef struct rk_pdf_cellbox {
    rk_pdf_font *f;
    rk_pdf_rgb ink;
    size_t l0, n; /* lines in the scratch */
    int align;
} rk_pdf_cellbox;

typedef struct rk_pdf_tab {
    const rk_table *t;
    size_t *vis; /* visible columns (the group column moves into sub-headings) */
    size_t nvis;
    double *x, *w;
    double size, lead, padx, pady;
    int header; /* draws a header row */
    int input;  /* has input columns */
    const char *group;
    size_t zebra;
} rk_pdf_tab;

/* Width of the longest unbreakable run of text s in font f: the least width at which a
 * column shows it without breaking a word. */
static double rk_pdf_word_w(rk_pdf *c, rk_pdf_font *f, const char *s, double size)
{
    size_t mark = c->ncp;
    size_t off = rk_pdf_shape(c, f, s);
    double best = 0, w = 0;
    for (size_t i = off; i < c->ncp; i++) {
        if (c->cp[i] == ' ' || c->cp[i] == '\n') {
            w = 0;
            continue;
        }
        w += rk_pdf_cw(f, c->cp[i], size);
        if (w > best) best = w;
        if (rk_pdf_break_after(c->cp, off, i, c->ncp)) w = 0;
    }
    c->ncp = mark;
    return best;
}

/* Column widths: shares of the content width by rk_column.width, but never narrower
 * than the longest word of the header or of a cell (a word up to a quarter of the line;
 * longer ones, such as digests, break anyway), when the line has room for that. */
static void rk_pdf_tab_init(rk_pdf *c, rk_pdf_tab *tb, const rk_table *t)
{
    memset(tb, 0, sizeof(*tb));
    tb->t = t;
    tb->vis = rk_xcalloc(t->ncols, sizeof(size_t));
    tb->x = rk_xcalloc(t->ncols, sizeof(double));
    tb->w = rk_xcalloc(t->ncols, sizeof(double));
    tb->size = RK_PDF_SZ_TABLE;
    tb->lead = RK_PDF_SZ_TABLE * 1.28;
    tb->padx = 3.5;
    tb->pady = 3;
    int grouped = t->group_col >= 0 && (size_t)t->group_col < t->ncols && t->ncols > 1;
    for (size_t i = 0; i < t->ncols; i++) {
        if (grouped && i == (size_t)t->group_col) continue;
        tb->vis[tb->nvis++] = i;
        if (t->cols[i].input) tb->input = 1;
    }
    tb->header = 0;
    for (size_t k = 0; k < tb->nvis && !t->kv; k++)
        if (t->cols[tb->vis[k]].header && *t->cols[tb->vis[k]].header) tb->header = 1;

    double W = c->x1 - c->x0;
    double *minw = rk_xcalloc(tb->nvis + 1, sizeof(double));
    int *fixed = rk_xcalloc(tb->nvis + 1, sizeof(int));
    double *headw = rk_xcalloc(tb->nvis + 1, sizeof(double));
    double summin = 0, sumhead = 0;
    for (size_t k = 0; k < tb->nvis; k++) {
        size_t col = tb->vis[k];
        double pad = 2 * tb->padx + 1, cellw = 0;
        if (tb->header) headw[k] = rk_pdf_word_w(c, &c->bold, t->cols[col].header, tb->size) + pad;
        for (size_t r = 0; r < t->nrows; r++) {
            const rk_cell *cell = &t->cells[r * t->ncols + col];
            int bold = (t->kv && k == 0) || rk_pdf_tone(cell->tone).bold;
            cellw = fmax(cellw, rk_pdf_word_w(c, bold ? &c->bold : &c->reg, cell->text, tb->size));
        }
        minw[k] = fmax(headw[k], fmin(cellw, W / 4) + pad);
        summin += minw[k];
        sumhead += headw[k];
    }
    /* No room for every word: settle for the headers, else plain shares. */
    if (summin > W) memcpy(minw, headw, (tb->nvis + 1) * sizeof(double));
    if (summin > W && sumhead > W) memset(minw, 0, (tb->nvis + 1) * sizeof(double));
    free(headw);
    /* Columns whose share is below their minimum get the minimum; the others share
     * what is left, until no share falls short. */
    for (int changed = 1; changed;) {
        changed = 0;
        double room = W, total = 0;
        for (size_t k = 0; k < tb->nvis; k++) {
            double rel = t->cols[tb->vis[k]].width > 0 ? t->cols[tb->vis[k]].width : 1;
            if (fixed[k])
                room -= minw[k];
            else
                total += rel;
        }
        for (size_t k = 0; k < tb->nvis; k++) {
            double rel = t->cols[tb->vis[k]].width > 0 ? t->cols[tb->vis[k]].width : 1;
            tb->w[k] = fixed[k] ? minw[k] : (total > 0 ? room * rel / total : 0);
            if (!fixed[k] && tb->w[k] < minw[k]) fixed[k] = 1, changed = 1;
        }
    }
    double x = c->x0;
    for (size_t k = 0; k < tb->nvis; k++) {
        tb->x[k] = x;
        x += tb->w[k];
    }
    free(minw);
    free(fixed);
}

static void rk_pdf_tab_free(rk_pdf_tab *tb)
{
    free(tb->vis);
    free(tb->x);
    free(tb->w);
}

/* Shapes and wraps one row into the scratch; returns its natural height. */
static double rk_pdf_row_layout(rk_pdf *c, rk_pdf_tab *tb, const rk_cell *row, int header,
                                rk_pdf_cellbox *bx)
{
    size_t maxn = 1;
    for (size_t k = 0; k < tb->nvis; k++) {
        size_t col = tb->vis[k];
        const rk_column *cd = &tb->t->cols[col];
        const rk_cell *cell = header ? NULL : &row[col];
        rk_pdf_tonestyle ts = rk_pdf_tone(cell ? cell->tone : RK_TONE_NONE);
        rk_pdf_cellbox *b = &bx[k];
        b->f = (header || (tb->t->kv && k == 0) || ts.bold) ? &c->bold : &c->reg;
        b->ink = header ? RK_PDF_NAVY : ts.ink;
        b->align = 0;
        if (cell && cell->is_number) b->align = 1;
        if (cell && cd->status && cell->tone != RK_TONE_NONE) b->align = 2;
        if (header && tb->t->nrows && tb->t->cells[col].is_number) b->align = 1;
        if (header && cd->status) b->align = 2;
        size_t off = rk_pdf_shape(c, b->f, header ? cd->header : cell->text);
        b->l0 = c->nlines;
        b->n = rk_pdf_wrap(c, b->f, tb->size, off, c->ncp - off, tb->w[k] - 2 * tb->padx);
        if (b->n > maxn) maxn = b->n;
    }
    double h = maxn * tb->lead + 2 * tb->pady;
    if (!header && tb->input && h < 24) h = 24;
    return h;
}

/* Draws lines [from, from+nl) of a laid-out row as a row of height h at c->y. */
static void rk_pdf_row_draw(rk_pdf *c, rk_pdf_tab *tb, const rk_cell *row, int header,
                            rk_pdf_cellbox *bx, size_t from, size_t nl, double h, int zebra)
{
    double yt = c->y, yb = c->y - h;
    for (size_t k = 0; k < tb->nvis; k++) {
        const rk_cell *cell = header ? NULL : &row[tb->vis[k]];
        rk_pdf_tonestyle ts = rk_pdf_tone(cell ? cell->tone : RK_TONE_NONE);
        if (header)
            rk_pdf_fill_rect(c, tb->x[k], yb, tb->w[k], h, RK_PDF_HEAD_FILL);
        else if (ts.filled)
            rk_pdf_fill_rect(c, tb->x[k], yb, tb->w[k], h, ts.fill);
        else if (tb->t->kv && k == 0)
            rk_pdf_fill_rect(c, tb->x[k], yb, tb->w[k], h, RK_PDF_KEY_FILL);
        else if (zebra)
            rk_pdf_fill_rect(c, tb->x[k], yb, tb->w[k], h, RK_PDF_ZEBRA);
        if (!header && tb->t->cols[tb->vis[k]].input && h > 10 && !*cell->text) {
            /* An empty box to fill in by hand. */
            rk_pdf_fill_rect(c, tb->x[k] + 2.5, yb + 2.5, tb->w[k] - 5, h - 5, RK_PDF_WHITE);
            rk_pdf_stroke_rect(c, tb->x[k] + 2.5, yb + 2.5, tb->w[k] - 5, h - 5, RK_PDF_RULE, 0.5);
        }
    }
    /* Thin grid: one path for the whole row. */
    rk_pdf_stroke_rgb(c, RK_PDF_RULE);
    HPDF_Page_SetLineWidth(c->page, 0.4f);
    for (size_t k = 0; k < tb->nvis; k++)
        HPDF_Page_Rectangle(c->page, (HPDF_REAL)tb->x[k], (HPDF_REAL)yb, (HPDF_REAL)tb->w[k],
                            (HPDF_REAL)h);
    HPDF_Page_Stroke(c->page);
    for (size_t k = 0; k < tb->nvis; k++) {
        rk_pdf_cellbox *b = &bx[k];
        if (from >= b->n) continue;
        size_t n = b->n - from < nl ? b->n - from : nl;
        rk_pdf_show_lines(c, b->f, tb->size, tb->lead, b->ink, tb->x[k] + tb->padx,
                          tb->w[k] - 2 * tb->padx, yt - tb->pady, b->l0 + from, n, b->align);
    }
    c->y = yb;
}

static void rk_pdf_tab_header(rk_pdf *c, rk_pdf_tab *tb)
{
    if (!tb->header) return;
    size_t mark_cp = c->ncp, mark_ln = c->nlines;
    rk_pdf_cellbox *hb = rk_xcalloc(tb->nvis, sizeof(*hb));
    double h = rk_pdf_row_layout(c, tb, NULL, 1, hb);
    rk_pdf_row_draw(c, tb, NULL, 1, hb, 0, (size_t)-1, h, 0);
    free(hb);
    c->ncp = mark_cp, c->nlines = mark_ln;
}

static double rk_pdf_tab_header_h(rk_pdf *c, rk_pdf_tab *tb)
{
    if (!tb->header) return 0;
    size_t mark_cp = c->ncp, mark_ln = c->nlines;
    rk_pdf_cellbox *hb = rk_xcalloc(tb->nvis, sizeof(*hb));
    double h = rk_pdf_row_layout(c, tb, NULL, 1, hb);
    free(hb);
    c->ncp = mark_cp, c->nlines = mark_ln;
    return h;
}

/* A sub-heading row spanning the table: "Column: value". */
static void rk_pdf_tab_group(rk_pdf *c, rk_pdf_tab *tb, const char *value)
{
    const rk_column *gc = &tb->t->cols[tb->t->group_col];
    double h = RK_PDF_SZ_TABLE * 1.3 + 2 * tb->pady + 1;
    double x0 = tb->x[0], W = c->x1 - c->x0;
    rk_pdf_fill_rect(c, x0, c->y - h, W, h, RK_PDF_GROUP_FILL);
    rk_pdf_stroke_rect(c, x0, c->y - h, W, h, RK_PDF_RULE, 0.4);
    double base =
        rk_pdf_baseline(c->y - tb->pady - 0.5, RK_PDF_SZ_TABLE + 0.5, RK_PDF_SZ_TABLE * 1.3);
    double lw = 0;
    if (gc->header && *gc->header) {
        char *lab = rk_xasprintf("%s:", gc->header);
        lw = rk_pdf_text_fit(c, &c->reg, RK_PDF_SZ_TABLE, RK_PDF_GREY, x0 + tb->padx, base, lab,
                             W / 3, 0) +
             4;
        free(lab);
    }
    rk_pdf_text_fit(c, &c->bold, RK_PDF_SZ_TABLE + 0.5, RK_PDF_NAVY, x0 + tb->padx + lw, base,
                    value, W - lw - 2 * tb->padx, 0);
    c->y -= h;
}

static double rk_pdf_tab_group_h(const rk_pdf_tab *tb)
{
    return RK_PDF_SZ_TABLE * 1.3 + 2 * tb->pady + 1;
}

/* Continues the table on a new page: header row again, and the current group. */
static void rk_pdf_tab_break(rk_pdf *c, rk_pdf_tab *tb, int with_group)
{
    rk_pdf_add_page(c, c->landscape);
    rk_pdf_tab_header(c, tb);
    if (with_group && tb->group) rk_pdf_tab_group(c, tb, tb->group);
}

/* Draws a table from c->y down: a header row (none for key/value lists), rows wrapped
 * per column, a sub-heading whenever the group changes; split across pages with the
 * header and the current group repeated; a row taller than a page splits by lines. */
static void rk_pdf_table(rk_pdf *c, const rk_table *t)
{
    if (t->ncols == 0) return;
    rk_pdf_tab tb;
    rk_pdf_tab_init(c, &tb, t);
    rk_pdf_cellbox *bx = rk_xcalloc(tb.nvis, sizeof(*bx));
    int grouped = tb.nvis < t->ncols;
    double head_h = rk_pdf_tab_header_h(c, &tb);
    /* Room for a row on a fresh page, below the header and a group sub-heading. */
    double fresh = c->top - c->bottom - head_h - (grouped ? rk_pdf_tab_group_h(&tb) : 0);
    int started = 0;

    if (t->nrows == 0) {
        rk_pdf_ensure(c, head_h);
        rk_pdf_tab_header(c, &tb);
    }
    for (size_t r = 0; r < t->nrows && !c->failed; r++) {
        const rk_cell *row = &t->cells[r * t->ncols];
        c->ncp = 0, c->nlines = 0;
        double rh = rk_pdf_row_layout(c, &tb, row, 0, bx);
        /* What must follow the header or a sub-heading on its page: the whole row, or
         * for a row taller than a page its first lines. */
        double keep_rh = rh <= fresh ? rh : 3 * tb.lead + 2 * tb.pady;
        int newgroup = grouped && (!tb.group || strcmp(tb.group, row[t->group_col].text) != 0);
        double gh = newgroup ? rk_pdf_tab_group_h(&tb) : 0;

        if (!started) {
            if (c->y - (head_h + gh + keep_rh) < c->bottom && !rk_pdf_page_fresh(c))
                rk_pdf_add_page(c, c->landscape);
            rk_pdf_tab_header(c, &tb);
            started = 1;
        }
        if (newgroup) {
            if (c->y - (gh + keep_rh) < c->bottom) rk_pdf_tab_break(c, &tb, 0);
            tb.group = row[t->group_col].text;
            tb.zebra = 0;
            rk_pdf_tab_group(c, &tb, tb.group);
        }
        int zebra = !t->kv && (tb.zebra++ % 2 == 1);
        if (c->y - rh >= c->bottom) {
            rk_pdf_row_draw(c, &tb, row, 0, bx, 0, (size_t)-1, rh, zebra);
            continue;
        }
        /* A row that does not fit moves whole to the next page when it is short (under
         * a quarter page) or when less than half of this page is left; a tall row that
         * would leave half of this page empty splits by lines instead and continues below
         * the repeated header, never leaving fewer than RK_PDF_MIN_SPLIT lines on either
         * side. */
        double avail = c->y - c->bottom;
        if (rh <= fresh && (avail < fresh / 2 || rh < fresh / 4 ||
                            avail < (RK_PDF_MIN_SPLIT + 1) * tb.lead + 2 * tb.pady)) {
            rk_pdf_tab_break(c, &tb, 1);
            rk_pdf_row_draw(c, &tb, row, 0, bx, 0, (size_t)-1, rh, zebra);
            continue;
        }
        size_t maxn = 0;
        for (size_t k = 0; k < tb.nvis; k++)
            if (bx[k].n > maxn) maxn = bx[k].n;
        size_t from = 0;
        while (from < maxn && !c->failed) {
            double room = c->y - c->bottom - 2 * tb.pady;
            size_t fit = room > 0 ? (size_t)(room / tb.lead) : 0;
            if (fit < 2) {
                rk_pdf_tab_break(c, &tb, 1);
                continue;
            }
            size_t k = maxn - from < fit ? maxn - from : fit;
            /* no widow: the part left for the next page has RK_PDF_MIN_SPLIT lines */
            if (from + k < maxn && maxn - from - k < RK_PDF_MIN_SPLIT) {
                size_t keep = maxn - from > RK_PDF_MIN_SPLIT ? maxn - from - RK_PDF_MIN_SPLIT : 0;
                if (keep < RK_PDF_MIN_SPLIT) {
                    rk_pdf_tab_break(c, &tb, 1);
                    continue;
                }
                k = keep;
            }
            rk_pdf_row_draw(c, &tb, row, 0, bx, from, k, k * tb.lead + 2 * tb.pady, zebra);
            from += k;
            if (from < maxn) rk_pdf_tab_break(c, &tb, 1);
        }
    }
    c->ncp = 0, c->nlines = 0;
    c->y -= 10;
    free(bx);
    rk_pdf_tab_free(&tb);
}

/* ---- Status chart -------------------------------------------------------------- */

/* Formats a chart value without the C locale's help (LC_NUMERIC must not change a
 * document): integers as such, other values with one decimal. */
static void rk_pdf_number(double v, char *out, size_t len)
{
    if (!isfinite(v)) v = 0;
    if (fabs(v) >= 1e15) {
        snprintf(out, len, "%.0e", v); /* no decimal point, so no locale either */
        return;
    }
    double r = floor(fabs(v) * 10 + 0.5);
    long long whole = (long long)(r / 10);
    int tenth = (int)fmod(r, 10);
    const char *sign = v < 0 && r > 0 ? "-" : "";
    if (tenth)
        snprintf(out, len, "%s%lld.%d", sign, whole, tenth);
    else
        snprintf(out, len, "%s%lld", sign, whole);
}

static double rk_pdf_chart_h(const rk_chart *ch)
{
    return (ch->title && *ch->title ? 20 : 0) + ch->n * 17.0 + 14;
}

/* Horizontal bars: label, bar in the tone's colour, count. */
static void rk_pdf_chart(rk_pdf *c, const rk_chart *ch)
{
    double h = rk_pdf_chart_h(ch);
    rk_pdf_ensure(c, h);
    double W = c->x1 - c->x0;
    double cw = W < 400 ? W : 400;
    double x = c->x0, top = c->y;
    rk_pdf_stroke_rect(c, x, top - h + 4, cw, h - 4, RK_PDF_RULE, 0.5);
    double y = top - 8;
    if (ch->title && *ch->title) {
        rk_pdf_text_fit(c, &c->bold, 9.5, RK_PDF_NAVY, x + 10, y - 9, ch->title, cw - 20, 0);
        y -= 20;
    }
    double labw = 0, vmax = 0;
    for (size_t i = 0; i < ch->n; i++) {
        size_t off = rk_pdf_shape(c, &c->reg, ch->labels[i]);
        double w = rk_pdf_width(&c->reg, 8.5, c->cp + off, c->ncp - off);
        c->ncp = off;
        if (w > labw) labw = w;
        if (ch->values[i] > vmax) vmax = ch->values[i];
    }
    if (labw > cw * 0.4) labw = cw * 0.4;
    double bx = x + 10 + labw + 8;
    double bmax = x + cw - 44 - bx;
    rk_pdf_line(c, bx, y, bx, y - ch->n * 17.0, RK_PDF_GREY, 0.6);
    for (size_t i = 0; i < ch->n; i++) {
        double ry = y - i * 17.0;
        double base = ry - 8.5 - RK_PDF_CAP * 8.5 / 2;
        rk_pdf_text_fit(c, &c->reg, 8.5, RK_PDF_INK, x + 10, base, ch->labels[i], labw, 0);
        double v = ch->values[i] > 0 ? ch->values[i] : 0;
        double bw = vmax > 0 ? bmax * v / vmax : 0;
        rk_pdf_tonestyle ts = rk_pdf_tone(ch->tones[i]);
        if (bw > 0) {
            rk_pdf_fill_rgb(c, ts.bar);
            rk_pdf_stroke_rgb(c, RK_PDF_WIRE);
            HPDF_Page_SetLineWidth(c->page, 0.3f);
            HPDF_Page_Rectangle(c->page, (HPDF_REAL)bx, (HPDF_REAL)(ry - 14), (HPDF_REAL)bw, 11);
            HPDF_Page_FillStroke(c->page);
        }
        char num[48];
        rk_pdf_number(ch->values[i], num, sizeof(num));
        rk_pdf_text_fit(c, &c->bold, 8.5, RK_PDF_INK, bx + bw + 5, base, num, 40, 0);
    }
    c->y = top - h - 8;
}

/* ---- Sign-off ------------------------------------------------------------------ */

/* A label and a line to write on, from x to x+w, baseline y; the line starts at x+lw
 * (or after the label when that is wider). */
static void rk_pdf_write_line(rk_pdf *c, double x, double y, double w, double lw, const char *label)
{
    double tw = 0;
    if (label && *label)
        tw = rk_pdf_text_fit(c, &c->reg, 8, RK_PDF_GREY, x, y, label, w / 2, 0) + 6;
    if (lw < tw) lw = tw;
    rk_pdf_line(c, x + lw, y - 2, x + w, y - 2, RK_PDF_INK, 0.6);
}

static double rk_pdf_label_w(rk_pdf *c, const char *label)
{
    if (!label || !*label) return 0;
    size_t off = rk_pdf_shape(c, &c->reg, label);
    double w = rk_pdf_width(&c->reg, 8, c->cp + off, c->ncp - off);
    c->ncp = off;
    return w + 8;
}

/* Places each decision's tick box between x0 and x1, wrapping onto more rows when
 * needed: xs[d] and rows[d] receive its x and row. Returns the number of rows. */
static size_t rk_pdf_decisions_place(rk_pdf *c, const rk_signoff *so, double x0, double x1,
                                     double *xs, size_t *rows)
{
    size_t nrow = 1;
    double dx = x0;
    for (size_t d = 0; d < so->ndecisions; d++) {
        size_t off = rk_pdf_shape(c, &c->reg, so->decisions[d]);
        double tw = rk_pdf_width(&c->reg, 8.5, c->cp + off, c->ncp - off);
        c->ncp = off;
        if (dx + 14 + tw > x1 && dx > x0) {
            dx = x0;
            nrow++;
        }
        xs[d] = dx;
        rows[d] = nrow - 1;
        dx += 14 + tw + 24;
    }
    return nrow;
}

/* The statement, the digest, then one block per role: the role, the decisions as tick
 * boxes, lines for name, date and signature, and for a comment. A block never splits. */
static void rk_pdf_signoff(rk_pdf *c, const rk_signoff *so)
{
    if (so->statement && *so->statement) {
        rk_pdf_pstyle s = rk_pdf_para_style(c, RK_PARA_NORMAL, RK_TONE_NONE);
        rk_pdf_flow_text(c, &s, RK_TONE_NONE, so->statement);
    }
    if (so->digest && *so->digest) {
        rk_pdf_pstyle s = rk_pdf_para_style(c, RK_PARA_NOTE, RK_TONE_NONE);
        char *t = rk_xasprintf("%s%s%s", rk_pdf_s(so->digest_label),
                               so->digest_label && *so->digest_label ? "\n" : "", so->digest);
        rk_pdf_flow_text(c, &s, RK_TONE_NONE, t);
        free(t);
    }
    double W = c->x1 - c->x0;
    double ix = c->x0 + 10, iw = W - 20;
    double lab = rk_pdf_label_w(c, so->decision_label);
    lab = fmax(lab, rk_pdf_label_w(c, so->comment_label));
    if (lab > iw / 4) lab = iw / 4;
    double *xs = rk_xcalloc(so->ndecisions + 1, sizeof(double));
    size_t *rows = rk_xcalloc(so->ndecisions + 1, sizeof(size_t));
    size_t nrow = so->ndecisions ? rk_pdf_decisions_place(c, so, ix + lab, ix + iw, xs, rows) : 0;
    double h = 20 + (nrow ? 8 + 16.0 * (double)nrow : 0) + 26 + 30 + 18 + 10;

    for (size_t r = 0; r < so->nroles && !c->failed; r++) {
        rk_pdf_ensure(c, h + 10);
        double x = c->x0, top = c->y;
        rk_pdf_fill_rect(c, x, top - 20, W, 20, RK_PDF_HEAD_FILL);
        rk_pdf_stroke_rect(c, x, top - h, W, h, RK_PDF_RULE, 0.6);
        rk_pdf_text_fit(c, &c->bold, 10, RK_PDF_NAVY, x + 8, top - 14, so->roles[r], W - 16, 0);
        double y = top - 20;
        if (nrow) {
            y -= 8;
            if (so->decision_label && *so->decision_label)
                rk_pdf_text_fit(c, &c->reg, 8, RK_PDF_GREY, ix, y - 10, so->decision_label, lab - 6,
                                0);
            for (size_t d = 0; d < so->ndecisions; d++) {
                double by = y - 10 - 16.0 * (double)rows[d];
                rk_pdf_fill_rect(c, xs[d], by - 1.5, 9, 9, RK_PDF_WHITE);
                rk_pdf_stroke_rect(c, xs[d], by - 1.5, 9, 9, RK_PDF_INK, 0.7);
                rk_pdf_text_fit(c, &c->reg, 8.5, RK_PDF_INK, xs[d] + 14, by, so->decisions[d],
                                ix + iw - xs[d] - 14, 0);
            }
            y -= 16.0 * (double)nrow;
        }
        /* Name, date and signature side by side, each a line with its label below. */
        double gap = 14, wn = (iw - 2 * gap) * 0.36, wd = (iw - 2 * gap) * 0.2;
        double ws = iw - 2 * gap - wn - wd;
        double xn = ix, xd = xn + wn + gap, xsig = xd + wd + gap;
        y -= 26;
        rk_pdf_line(c, xn, y, xn + wn, y, RK_PDF_INK, 0.6);
        rk_pdf_line(c, xd, y, xd + wd, y, RK_PDF_INK, 0.6);
        rk_pdf_line(c, xsig, y, xsig + ws, y, RK_PDF_INK, 0.6);
        rk_pdf_text_fit(c, &c->reg, 7.5, RK_PDF_GREY, xn, y - 9, so->name_label, wn, 0);
        rk_pdf_text_fit(c, &c->reg, 7.5, RK_PDF_GREY, xd, y - 9, so->date_label, wd, 0);
        rk_pdf_text_fit(c, &c->reg, 7.5, RK_PDF_GREY, xsig, y - 9, so->signature_label, ws, 0);
        y -= 30;
        rk_pdf_write_line(c, ix, y, iw, lab, so->comment_label);
        y -= 18;
        rk_pdf_line(c, ix + lab, y - 2, ix + iw, y - 2, RK_PDF_INK, 0.6);
        c->y = top - h - 10;
    }
    free(xs);
    free(rows);
}

/* ---- Flow diagram -------------------------------------------------------------- */

/* Layout: zones side by side as rounded boxes, host lines inside; below them horizontal
 * lanes, so that every arrow runs down from its source zone, along its lane and up into
 * its target zone. Edges share a lane only when the zones they span do not overlap, so
 * labels never collide. Flows inside a zone are listed in its box. */
typedef struct rk_pdf_dzl {
    size_t t0, tn, h0, hn, s0, sn; /* title, host and within-zone lines shown */
    int hmore, smore;              /* lines left out: an ellipsis line follows */
} rk_pdf_dzl;

typedef struct rk_pdf_del {
    size_t e;          /* edge index */
    size_t lo, hi;     /* zones spanned */
    size_t lane, rank; /* lane, and place in the span order */
    size_t l0, ln;     /* label lines */
    double lw, xs, xt, y, lx;
    int knockout;
} rk_pdf_del;

typedef struct rk_pdf_dlay {
    double s, tsz, hsz, lsz, tlead, hlead, llead, pad, gap, bw, box_h, title_h;
    rk_pdf_dzl *z;
    rk_pdf_del *e; /* in lane order */
    size_t ne;
    double *lane_h; /* per lane */
    size_t nlanes;
    int truncated; /* some zone could not show all its lines */
} rk_pdf_dlay;

static double rk_pdf_span(const rk_diagram *g, size_t e)
{
    size_t a = g->edges[e].from, b = g->edges[e].to;
    return a > b ? (double)(a - b) : (double)(b - a);
}

static void rk_pdf_diagram_ports(rk_pdf *c, const rk_diagram *g, rk_pdf_dlay *L);

/* Lays the zones and the edges eidx[0..ne) out at scale s into the scratch (reset
 * first); returns the total height. */
static double rk_pdf_diagram_layout(rk_pdf *c, const rk_diagram *g, const size_t *eidx, size_t ne,
                                    double s, double max_box, rk_pdf_dlay *L)
{
    c->ncp = 0, c->nlines = 0;
    double W = c->x1 - c->x0;
    size_t nz = g->nzones;
    L->s = s;
    L->tsz = 9.5 * s, L->hsz = 7.8 * s, L->lsz = 7.3 * s;
    L->tlead = L->tsz * 1.25, L->hlead = L->hsz * 1.3, L->llead = L->lsz * 1.25;
    L->pad = 7 * s;
    L->gap = nz > 1 ? fmin(36.0, W * 0.3 / (double)(nz - 1)) : 0;
    L->bw = nz ? (W - L->gap * (double)(nz - 1)) / (double)nz : W;
    L->title_h = g->title && *g->title ? 22 : 0;
    double iw = L->bw - 2 * L->pad;
    uint32_t loop = rk_pdf_glyph_w(&c->reg, 0x21BB) >= 0 ? 0x21BB : 0;

    L->box_h = 0;
    L->truncated = 0;
    for (size_t z = 0; z < nz; z++) {
        rk_pdf_dzl *zl = &L->z[z];
        size_t off = rk_pdf_shape(c, &c->bold, g->zones[z].title);
        zl->t0 = c->nlines;
        zl->tn = rk_pdf_wrap(c, &c->bold, L->tsz, off, c->ncp - off, iw);
        zl->h0 = c->nlines;
        for (size_t i = 0; i < g->zones[z].nlines; i++) {
            off = rk_pdf_shape(c, &c->reg, g->zones[z].lines[i]);
            rk_pdf_wrap(c, &c->reg, L->hsz, off, c->ncp - off, iw);
        }
        zl->hn = c->nlines - zl->h0;
        zl->s0 = c->nlines;
        for (size_t e = 0; e < g->nedges; e++) {
            if (g->edges[e].from != z || g->edges[e].to != z) continue;
            off = c->ncp;
            if (loop) {
                rk_pdf_cp_push(c, loop);
                rk_pdf_cp_push(c, ' ');
            }
            rk_pdf_shape(c, &c->reg, g->edges[e].label);
            rk_pdf_wrap(c, &c->reg, L->lsz, off, c->ncp - off, iw);
        }
        zl->sn = c->nlines - zl->s0;
        zl->hmore = zl->smore = 0;
        double fixed = 2 * L->pad + zl->tn * L->tlead + 5 + (zl->sn ? 6 : 0);
        double budget = max_box - fixed;
        if (zl->hn * L->hlead + zl->sn * L->llead > budget) {
            /* Too many lines for the box: hosts first give way, then flows inside
             * the zone; an ellipsis line marks what is left out. */
            L->truncated = 1;
            double hroom = budget - zl->sn * L->llead - L->hlead;
            if (hroom >= L->hlead) {
                zl->hn = (size_t)(hroom / L->hlead);
                zl->hmore = 1;
            } else {
                if (zl->hn > 1) zl->hn = 1, zl->hmore = 1;
                double sroom = budget - (double)(zl->hn + (size_t)zl->hmore) * L->hlead - L->llead;
                size_t keep = sroom > 0 ? (size_t)(sroom / L->llead) : 0;
                if (keep < zl->sn) zl->sn = keep, zl->smore = 1;
            }
        }
        double h = fixed + (double)(zl->hn + (size_t)zl->hmore) * L->hlead +
                   (double)(zl->sn + (size_t)zl->smore) * L->llead;
        if (h > L->box_h) L->box_h = h;
    }

    /* Lanes: first fit, in span order; then the edges in lane order. */
    L->ne = ne;
    L->nlanes = 0;
    for (size_t i = 0; i < ne; i++) {
        rk_pdf_del *d = &L->e[i];
        const rk_dedge *e = &g->edges[eidx[i]];
        d->e = eidx[i];
        d->rank = i;
        d->lo = e->from < e->to ? e->from : e->to;
        d->hi = e->from < e->to ? e->to : e->from;
        for (d->lane = 0;; d->lane++) {
            int clash = 0;
            for (size_t j = 0; j < i && !clash; j++)
                if (L->e[j].lane == d->lane && L->e[j].lo <= d->hi && d->lo <= L->e[j].hi)
                    clash = 1;
            if (!clash) break;
        }
        if (d->lane + 1 > L->nlanes) L->nlanes = d->lane + 1;
    }
    for (size_t i = 1; i < ne; i++)
        for (size_t j = i;
             j > 0 && (L->e[j - 1].lane > L->e[j].lane ||
                       (L->e[j - 1].lane == L->e[j].lane && L->e[j - 1].rank > L->e[j].rank));
             j--) {
            rk_pdf_del t = L->e[j];
            L->e[j] = L->e[j - 1];
            L->e[j - 1] = t;
        }
    rk_pdf_diagram_ports(c, g, L);
    for (size_t l = 0; l < L->nlanes; l++)
        L->lane_h[l] = 0;
    for (size_t i = 0; i < ne; i++) {
        rk_pdf_del *d = &L->e[i];
        double room = (double)(d->hi - d->lo) * (L->bw + L->gap) + L->bw - 4;
        double maxw = fmin(fmax(fabs(d->xt - d->xs) - 12, 90 * s), room);
        size_t off = rk_pdf_shape(c, &c->reg, g->edges[d->e].label);
        d->l0 = c->nlines;
        d->ln = rk_pdf_wrap(c, &c->reg, L->lsz, off, c->ncp - off, maxw);
        d->lw = 0;
        for (size_t k = 0; k < d->ln; k++)
            d->lw = fmax(d->lw, c->lines[d->l0 + k].w);
        L->lane_h[d->lane] = fmax(L->lane_h[d->lane], d->ln * L->llead + 9 * s + 4);
    }
    double total = L->title_h + L->box_h + 12;
    for (size_t l = 0; l < L->nlanes; l++)
        total += L->lane_h[l];
    return total + 6;
}

static double rk_pdf_zone_x(const rk_pdf *c, const rk_pdf_dlay *L, size_t z)
{
    return c->x0 + (double)z * (L->bw + L->gap);
}

/* Ports along the bottom of each zone: edges leaving to the left first (upper lanes
 * outermost), then edges to the right (upper lanes outermost), so that the arrows of
 * one zone never cross each other. */
static void rk_pdf_diagram_ports(rk_pdf *c, const rk_diagram *g, rk_pdf_dlay *L)
{
    for (size_t z = 0; z < g->nzones; z++) {
        size_t m = 0;
        for (size_t i = 0; i < L->ne; i++) {
            const rk_dedge *e = &g->edges[L->e[i].e];
            if (e->from == z || e->to == z) m++;
        }
        if (!m) continue;
        size_t k = 0;
        double zx = rk_pdf_zone_x(c, L, z);
        /* left-going: lane order ascending */
        for (size_t i = 0; i < L->ne; i++) {
            const rk_dedge *e = &g->edges[L->e[i].e];
            size_t other = e->from == z ? e->to : e->from;
            if ((e->from != z && e->to != z) || other > z) continue;
            double x = zx + L->bw * (double)(k + 1) / (double)(m + 1);
            if (e->from == z)
                L->e[i].xs = x;
            else
                L->e[i].xt = x;
            k++;
        }
        /* right-going: lane order descending */
        for (size_t j = L->ne; j-- > 0;) {
            const rk_dedge *e = &g->edges[L->e[j].e];
            size_t other = e->from == z ? e->to : e->from;
            if ((e->from != z && e->to != z) || other < z) continue;
            double x = zx + L->bw * (double)(k + 1) / (double)(m + 1);
            if (e->from == z)
                L->e[j].xs = x;
            else
                L->e[j].xt = x;
            k++;
        }
    }
}

/* Chooses where each label sits on its lane: inside the lane's span and clear of the
 * vertical wires of the lanes below it; a label with no clear place gets a white
 * background instead. Labels stay within the zones their edge spans, which no other
 * edge of the lane touches. */
static void rk_pdf_diagram_labels(rk_pdf *c, rk_pdf_dlay *L)
{
    for (size_t i = 0; i < L->ne; i++) {
        rk_pdf_del *d = &L->e[i];
        double a = fmin(d->xs, d->xt), b = fmax(d->xs, d->xt);
        double lo = a + 6, hi = b - 6 - d->lw;
        d->knockout = 1;
        d->lx = (a + b) / 2 - d->lw / 2;
        if (hi >= lo) {
            double mid = (lo + hi) / 2;
            for (double step = 0; step <= (hi - lo) / 2 + 0.01; step += 2) {
                for (int sgn = -1; sgn <= 1; sgn += 2) {
                    double x = mid + sgn * step;
                    if (x < lo - 0.01 || x > hi + 0.01) continue;
                    int clear = 1;
                    for (size_t j = i + 1; j < L->ne && clear; j++) {
                        if (L->e[j].lane == d->lane) continue;
                        double p[2] = {L->e[j].xs, L->e[j].xt};
                        for (int q = 0; q < 2; q++)
                            if (p[q] > x - 4 && p[q] < x + d->lw + 4) clear = 0;
                    }
                    if (clear) {
                        d->lx = x;
                        d->knockout = 0;
                        step = hi;
                        break;
                    }
                }
            }
        }
        /* Stay within the zones this edge spans: they are the lane's own. */
        double ea = rk_pdf_zone_x(c, L, d->lo) + 2;
        double eb = rk_pdf_zone_x(c, L, d->hi) + L->bw - 2;
        if (d->lx + d->lw > eb) d->lx = eb - d->lw;
        if (d->lx < ea) d->lx = ea;
    }
}

/* A line saying that lines were left out. */
static void rk_pdf_ellipsis(rk_pdf *c, double size, double x, double base)
{
    size_t mark = c->ncp;
    rk_pdf_cp_push(c, rk_pdf_glyph_w(&c->reg, 0x2026) >= 0 ? 0x2026 : '.');
    rk_pdf_show(c, &c->reg, size, RK_PDF_GREY, x, base, mark, 1);
    c->ncp = mark;
}

static void rk_pdf_diagram_draw(rk_pdf *c, const rk_diagram *g, rk_pdf_dlay *L)
{
    double top = c->y;
    if (L->title_h > 0)
        rk_pdf_text_fit(c, &c->bold, 11, RK_PDF_NAVY, c->x0, top - 12, g->title, c->x1 - c->x0, 0);
    double bt = top - L->title_h, bb = bt - L->box_h;
    double iw = L->bw - 2 * L->pad;
    for (size_t z = 0; z < g->nzones; z++) {
        rk_pdf_dzl *zl = &L->z[z];
        double x = rk_pdf_zone_x(c, L, z);
        rk_pdf_fill_rgb(c, RK_PDF_ZONE_FILL);
        rk_pdf_stroke_rgb(c, RK_PDF_NAVY);
        HPDF_Page_SetLineWidth(c->page, 0.9f);
        rk_pdf_round_rect(c, x, bb, L->bw, L->box_h, 7 * L->s);
        HPDF_Page_FillStroke(c->page);
        double y = bt - L->pad;
        rk_pdf_show_lines(c, &c->bold, L->tsz, L->tlead, RK_PDF_NAVY, x + L->pad, iw, y, zl->t0,
                          zl->tn, 2);
        y -= zl->tn * L->tlead + 2;
        rk_pdf_line(c, x + L->pad, y, x + L->bw - L->pad, y, RK_PDF_RULE, 0.5);
        y -= 3;
        rk_pdf_show_lines(c, &c->reg, L->hsz, L->hlead, RK_PDF_INK, x + L->pad, iw, y, zl->h0,
                          zl->hn, 0);
        y -= zl->hn * L->hlead;
        if (zl->hmore) {
            rk_pdf_ellipsis(c, L->hsz, x + L->pad, rk_pdf_baseline(y, L->hsz, L->hlead));
            y -= L->hlead;
        }
        if (zl->sn || zl->smore) {
            y -= 3;
            HPDF_Page_SetDash(c->page, (const HPDF_UINT16[]){2, 2}, 2, 0);
            rk_pdf_line(c, x + L->pad, y, x + L->bw - L->pad, y, RK_PDF_RULE, 0.5);
            HPDF_Page_SetDash(c->page, NULL, 0, 0);
            y -= 3;
            rk_pdf_show_lines(c, &c->reg, L->lsz, L->llead, RK_PDF_GREY, x + L->pad, iw, y, zl->s0,
                              zl->sn, 0);
            y -= zl->sn * L->llead;
            if (zl->smore)
                rk_pdf_ellipsis(c, L->lsz, x + L->pad, rk_pdf_baseline(y, L->lsz, L->llead));
        }
    }
    /* Lanes. */
    double y = bb - 8;
    for (size_t l = 0; l < L->nlanes; l++) {
        for (size_t i = 0; i < L->ne; i++)
            if (L->e[i].lane == l) L->e[i].y = y - L->lane_h[l] + 5 * L->s;
        y -= L->lane_h[l];
    }
    double lw = 0.8;
    for (size_t i = 0; i < L->ne; i++) {
        rk_pdf_del *d = &L->e[i];
        rk_pdf_stroke_rgb(c, RK_PDF_WIRE);
        HPDF_Page_SetLineWidth(c->page, (HPDF_REAL)lw);
        HPDF_Page_MoveTo(c->page, (HPDF_REAL)d->xs, (HPDF_REAL)bb);
        HPDF_Page_LineTo(c->page, (HPDF_REAL)d->xs, (HPDF_REAL)d->y);
        HPDF_Page_LineTo(c->page, (HPDF_REAL)d->xt, (HPDF_REAL)d->y);
        HPDF_Page_LineTo(c->page, (HPDF_REAL)d->xt, (HPDF_REAL)(bb - 6));
        HPDF_Page_Stroke(c->page);
        /* source dot, arrowhead into the target zone */
        rk_pdf_fill_rgb(c, RK_PDF_WIRE);
        HPDF_Page_Circle(c->page, (HPDF_REAL)d->xs, (HPDF_REAL)bb, 2.0f);
        HPDF_Page_Fill(c->page);
        HPDF_Page_MoveTo(c->page, (HPDF_REAL)d->xt, (HPDF_REAL)bb);
        HPDF_Page_LineTo(c->page, (HPDF_REAL)(d->xt - 3.2), (HPDF_REAL)(bb - 7));
        HPDF_Page_LineTo(c->page, (HPDF_REAL)(d->xt + 3.2), (HPDF_REAL)(bb - 7));
        HPDF_Page_ClosePath(c->page);
        HPDF_Page_Fill(c->page);
    }
    for (size_t i = 0; i < L->ne; i++) {
        rk_pdf_del *d = &L->e[i];
        double lh = d->ln * L->llead;
        if (d->knockout)
            rk_pdf_fill_rect(c, d->lx - 2, d->y + 1.5, d->lw + 4, lh + 1, RK_PDF_WHITE);
        rk_pdf_show_lines(c, &c->reg, L->lsz, L->llead, RK_PDF_INK, d->lx, d->lw, d->y + 2 + lh,
                          d->l0, d->ln, 0);
    }
    c->y = y - 6;
}

static int rk_pdf_edge_cmp_g(const rk_diagram *g, size_t a, size_t b)
{
    double sa = rk_pdf_span(g, a), sb = rk_pdf_span(g, b);
    if (sa != sb) return sa < sb ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* Draws the diagram on landscape pages: shrinks the type (down to 60 %) until all of
 * it fits the free space; when even that is too tall, draws as many lanes as fit and
 * continues with the remaining edges on the next page, zones repeated. */
static void rk_pdf_diagram(rk_pdf *c, const rk_diagram *g)
{
    if (!c->landscape) rk_pdf_add_page(c, 1);
    size_t n = 0;
    size_t *order = rk_xcalloc(g->nedges + 1, sizeof(size_t));
    for (size_t e = 0; e < g->nedges; e++)
        if (g->edges[e].from < g->nzones && g->edges[e].to < g->nzones &&
            g->edges[e].from != g->edges[e].to)
            order[n++] = e;
    /* insertion sort: short spans on the upper lanes; stable, so deterministic */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && rk_pdf_edge_cmp_g(g, order[j - 1], order[j]) > 0; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    rk_pdf_dlay L;
    memset(&L, 0, sizeof(L));
    L.z = rk_xcalloc(g->nzones + 1, sizeof(rk_pdf_dzl));
    L.e = rk_xcalloc(n + 1, sizeof(rk_pdf_del));
    L.lane_h = rk_xcalloc(n + 1, sizeof(double));
    size_t done = 0;
    double smax = 1.0; /* continuation pages keep the scale of the first */
    while (!c->failed) {
        size_t left = n - done;
        double avail = c->y - c->bottom;
        double max_box = (c->top - c->bottom) * 0.45;
        int fresh = rk_pdf_page_fresh(c) || rk_pdf_only_heading(c);
        /* The largest scale at which all of it fits with nothing cut short; else the
         * smallest scale, if all of it fits there. */
        double s = -1;
        for (double t = smax; t > 0.595; t -= 0.05)
            if (rk_pdf_diagram_layout(c, g, order + done, left, t, max_box, &L) <= avail &&
                !L.truncated) {
                s = t;
                break;
            }
        if (s < 0 && rk_pdf_diagram_layout(c, g, order + done, left, 0.6, max_box, &L) <= avail)
            s = 0.6;
        if (s < 0 && !fresh) {
            rk_pdf_add_page(c, 1);
            continue;
        }
        if (s < 0) {
            /* A fresh page and still too much: as many lanes as fit, the rest next. */
            s = 0.6;
            size_t k = left;
            while (k > 1 && rk_pdf_diagram_layout(c, g, order + done, k, s, max_box, &L) > avail)
                k--;
            rk_pdf_diagram_layout(c, g, order + done, k, s, max_box, &L);
        }
        smax = s;
        rk_pdf_diagram_labels(c, &L);
        rk_pdf_diagram_draw(c, g, &L);
        done += L.ne;
        if (done >= n) break;
        rk_pdf_add_page(c, 1);
    }
    c->ncp = 0, c->nlines = 0;
    free(L.z);
    free(L.e);
    free(L.lane_h);
    free(order);
}

/* ---- Sections ------------------------------------------------------------------ */

/* Height that must follow a heading on its page (keep with next). */
static double rk_pdf_block_keep(rk_pdf *c, const rk_block *b)
{
    switch (b->type) {
    case RK_BLOCK_PARA:
        return rk_pdf_para_style(c, b->style, b->tone).lead * 2 + 12;
    case RK_BLOCK_TABLE:
        return 50;
    case RK_BLOCK_CHART:
        return rk_pdf_chart_h(b->chart);
    case RK_BLOCK_SIGNOFF:
        return 60;
    default:
        return 30;
    }
}

static int rk_pdf_has_diagram(const rk_section *s)
{
    for (size_t i = 0; i < s->nblocks; i++)
        if (s->blocks[i].type == RK_BLOCK_DIAGRAM) return 1;
    return 0;
}

/* One section: a landscape or new page when asked (sections with a diagram are
 * landscape), the heading and bookmark, then its blocks. */
static void rk_pdf_section(rk_pdf *c, const rk_section *s)
{
    int landscape = s->landscape || rk_pdf_has_diagram(s);
    if (!c->page)
        rk_pdf_add_page(c, landscape);
    else if (landscape != c->landscape || (s->new_page && !rk_pdf_page_fresh(c)))
        rk_pdf_add_page(c, landscape);
    if (s->title) {
        double keep = s->nblocks ? rk_pdf_block_keep(c, &s->blocks[0]) : 0;
        rk_pdf_heading(c, s, keep);
    }
    for (size_t i = 0; i < s->nblocks && !c->failed; i++) {
        const rk_block *b = &s->blocks[i];
        switch (b->type) {
        case RK_BLOCK_PARA:
            rk_pdf_para(c, b);
            break;
        case RK_BLOCK_TABLE:
            if (b->table) rk_pdf_table(c, b->table);
            break;
        case RK_BLOCK_CHART:
            if (b->chart) rk_pdf_chart(c, b->chart);
            break;
        case RK_BLOCK_SIGNOFF:
            if (b->signoff) rk_pdf_signoff(c, b->signoff);
            break;
        case RK_BLOCK_DIAGRAM:
            if (b->diagram) rk_pdf_diagram(c, b->diagram);
            break;
        case RK_BLOCK_PAGEBREAK:
            if (!rk_pdf_page_fresh(c)) rk_pdf_add_page(c, c->landscape);
            break;
        case RK_BLOCK_SPACE:
            c->y -= 8;
            if (c->y < c->bottom) c->y = c->bottom;
            break;
        }
    }
}

/* ---- Set-up and output --------------------------------------------------------- */

/* Replaces the ToUnicode map libharu 2.3.0 writes for a UTF-8 font: it uses
 * begincidrange, which a ToUnicode map may not (poppler warns on every run), where the
 * codes are simply the Unicode code points. The correct map says so with bfrange
 * entries: identity over the Basic Multilingual Plane, surrogates left out, at most 100
 * entries a block as the CMap format requires. */
static void rk_pdf_fix_tounicode(rk_pdf *c, rk_pdf_font *f)
{
    HPDF_Dict tu = HPDF_Dict_GetItem(f->font, "ToUnicode", HPDF_OCLASS_DICT);
    if (!tu || !tu->stream) return;
    rk_buf b = {0};
    rk_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    unsigned hi[256], n = 0;
    for (unsigned h = 0; h < 256; h++)
        if (h < 0xD8 || h > 0xDF) hi[n++] = h;
    for (unsigned i = 0; i < n; i += 100) {
        unsigned k = n - i < 100 ? n - i : 100;
        rk_buf_printf(&b, "%u beginbfrange\n", k);
        for (unsigned j = i; j < i + k; j++)
            rk_buf_printf(&b, "<%02X00> <%02XFF> <%02X00>\n", hi[j], hi[j], hi[j]);
        rk_buf_puts(&b, "endbfrange\n");
    }
    rk_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    HPDF_MemStream_FreeData(tu->stream);
    HPDF_Stream_Write(tu->stream, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    /* Keys of an encoding CMap, out of place in a ToUnicode stream. A key that is not
     * there leaves a silent error code in the document (no callback), which would fail
     * the next call: clear it, as nothing else can have set it here. */
    const char *keys[] = {"Type", "CMapName", "CIDSystemInfo", "WMode"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        HPDF_Dict_RemoveElement(tu, keys[i]);
    if (!c->failed) HPDF_ResetError(c->pdf);
    rk_buf_free(&b);
}

/* Loads and embeds a TrueType font for UTF-8 text. Returns RK_INPUT with a message
 * naming the file when it cannot be read or is not a font libharu can embed. */
static rk_err rk_pdf_font_load(rk_pdf *c, rk_pdf_font *f, const char *path, char *err,
                               size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: cannot read font: %s", path, strerror(errno));
        return RK_INPUT;
    }
    fclose(fp);
    const char *name = HPDF_LoadTTFontFromFile(c->pdf, path, HPDF_TRUE);
    if (name) f->font = HPDF_GetFont(c->pdf, name, "UTF-8");
    if (name) f->def = HPDF_Doc_FindFontDef(c->pdf, name);
    if (!name || !f->font || !f->def || c->failed) {
        snprintf(err, errlen,
                 "%s: cannot load font (not a TrueType font libharu can embed; error 0x%04X)", path,
                 (unsigned)c->status);
        return RK_INPUT;
    }
    rk_pdf_fix_tounicode(c, f);
    f->w = rk_xmalloc(65536 * sizeof(int16_t));
    for (size_t i = 0; i < 65536; i++)
        f->w[i] = RK_PDF_UNMEASURED;
    f->repl = rk_pdf_glyph_w(f, 0xFFFD) >= 0 ? 0xFFFD : '?';
    return RK_OK;
}

/* Document information: title, subject, author, keywords, creator and the dates. */
static void rk_pdf_info(rk_pdf *c)
{
    const rk_doc *d = c->doc;
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_TITLE, rk_pdf_meta(c, d->title));
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_SUBJECT, rk_pdf_meta(c, d->subject));
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_AUTHOR, rk_pdf_meta(c, d->author));
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_KEYWORDS, rk_pdf_meta(c, d->keywords));
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_CREATOR, "readykit");
    /* The catalog's /Lang (screen readers, hyphenation in viewers): libharu 2.3.0 has
     * no call for it, so the entry is added to the catalog dictionary directly. */
    if (d->lang && *d->lang) {
        HPDF_String lang = HPDF_String_New(c->pdf->mmgr, rk_pdf_meta(c, d->lang), NULL);
        if (lang) HPDF_Dict_Add(c->pdf->catalog, "Lang", lang);
    }
    /* Dates from the assessment, in UTC, never from the clock. */
    char iso[21];
    rk_format_datetime(d->created, iso);
    int Y = 1970, M = 1, D = 1, h = 0, m = 0, s = 0;
    if (sscanf(iso, "%d-%d-%dT%d:%d:%d", &Y, &M, &D, &h, &m, &s) == 6) {
        HPDF_Date dt;
        memset(&dt, 0, sizeof(dt));
        dt.year = Y, dt.month = M, dt.day = D, dt.hour = h, dt.minutes = m, dt.seconds = s;
        dt.ind = 'Z';
        HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, dt);
        HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, dt);
    }
}

/* Writes the finished document to path atomically. Returns RK_OK or RK_OUTPUT. */
static rk_err rk_pdf_save(rk_pdf *c, const char *path, char *err, size_t errlen)
{
    /* Saved to memory and written with rk_out rather than HPDF_SaveToFile: libharu's
     * file writer ignores the result of fclose, so a full disk could go unnoticed;
     * rk_out checks flush, fsync and close and renames into place atomically. */
    if (HPDF_SaveToStream(c->pdf) != HPDF_OK || c->failed) {
        snprintf(err, errlen, "%s: cannot produce the PDF (libharu error 0x%04X, detail %u)", path,
                 (unsigned)c->status, (unsigned)c->detail);
        return RK_OUTPUT;
    }
    HPDF_UINT32 size = HPDF_GetStreamSize(c->pdf);
    unsigned char *data = rk_xmalloc(size ? size : 1);
    HPDF_UINT32 got = size;
    HPDF_ResetStream(c->pdf);
    if (size && (HPDF_ReadFromStream(c->pdf, data, &got) != HPDF_OK || got != size)) {
        free(data);
        snprintf(err, errlen, "%s: cannot produce the PDF (libharu stream error)", path);
        return RK_OUTPUT;
    }
    rk_out out;
    if (rk_out_open(&out, path, err, errlen) != 0) {
        free(data);
        return RK_OUTPUT;
    }
    if (fwrite(data, 1, size, out.fp) != size) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        rk_out_abort(&out);
        free(data);
        return RK_OUTPUT;
    }
    free(data);
    if (rk_out_commit(&out, err, errlen) != 0) return RK_OUTPUT;
    return RK_OK;
}

rk_err rk_pdf_write(const rk_doc *doc, const rk_pdf_options *opt, const char *path, char *err,
                    size_t errlen)
{
    if (!doc || !path) {
        snprintf(err, errlen, "rk_pdf_write: no document or path");
        return RK_INTERNAL;
    }
    rk_pdf_options none = {0, NULL, NULL, NULL};
    if (!opt) opt = &none;
    rk_pdf *c = rk_xcalloc(1, sizeof(*c));
    c->doc = doc;
    c->letter = opt->letter;
    rk_err rc = RK_OK;

    c->pdf = HPDF_New(rk_pdf_on_error, c);
    if (!c->pdf) {
        snprintf(err, errlen, "%s: cannot start a PDF document", path);
        free(c);
        return RK_OUTPUT;
    }
    HPDF_SetCompressionMode(c->pdf, HPDF_COMP_ALL);
    /* a tree of page arrays: one flat array holds at most 8,191 pages in libharu */
    HPDF_SetPagesConfiguration(c->pdf, 512);
    HPDF_UseUTFEncodings(c->pdf);
    HPDF_SetCurrentEncoder(c->pdf, "UTF-8");
    c->utf8 = HPDF_GetEncoder(c->pdf, "UTF-8");

    const char *regular = opt->font ? opt->font : RK_PDF_DEFAULT_FONT;
    const char *bold = opt->font_bold ? opt->font_bold
                       : opt->font    ? opt->font
                                      : RK_PDF_DEFAULT_BOLD;
    rc = rk_pdf_font_load(c, &c->reg, regular, err, errlen);
    if (rc == RK_OK) {
        if (strcmp(bold, regular) == 0) {
            c->bold = c->reg; /* shares the width cache, which reg owns */
            c->bold.fake_bold = 1;
        } else {
            rc = rk_pdf_font_load(c, &c->bold, bold, err, errlen);
        }
    }

    if (rc == RK_OK) {
        rk_pdf_info(c);
        HPDF_SetPageMode(c->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
        for (size_t i = 0; i < doc->nsections; i++)
            if (doc->sections[i].targets & RK_TARGET_PDF) {
                c->cover = doc->sections[i].title == NULL;
                break;
            }
        int first = 1;
        for (size_t i = 0; i < doc->nsections && !c->failed; i++) {
            const rk_section *s = &doc->sections[i];
            if (!(s->targets & RK_TARGET_PDF)) continue;
            if (first && !s->title && doc->title) {
                /* The cover has no heading; bookmark it with the document title. */
                if (!c->page) rk_pdf_add_page(c, s->landscape || rk_pdf_has_diagram(s));
                HPDF_Outline o =
                    HPDF_CreateOutline(c->pdf, NULL, rk_pdf_meta(c, doc->title), c->utf8);
                HPDF_Destination d = o ? HPDF_Page_CreateDestination(c->page) : NULL;
                if (d) HPDF_Outline_SetDestination(o, d);
            }
            first = 0;
            rk_pdf_section(c, s);
        }
        if (!c->page) rk_pdf_add_page(c, 0);
        rk_pdf_footers(c);
        if (!c->failed) rc = rk_pdf_attach(c->pdf, doc, opt->pack, path, err, errlen); /* pdf_attach.c */
        if (c->failed)
            snprintf(err, errlen, "%s: cannot lay out the PDF (libharu error 0x%04X, detail %u)",
                     path, (unsigned)c->status, (unsigned)c->detail);
        if (rc == RK_OK) rc = c->failed ? RK_OUTPUT : rk_pdf_save(c, path, err, errlen);
    }

    HPDF_Free(c->pdf);
    free(c->reg.w);
    if (!c->bold.fake_bold) free(c->bold.w);
    free(c->pages);
    free(c->cp);
    free(c->lines);
    free(c->u8);
    free(c);
    return rc;
}
