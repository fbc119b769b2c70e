/* xlsx.c - writes the neutral document model as an XLSX workbook with libxlsxwriter. */

/*
 * How the document model maps onto a workbook
 * -------------------------------------------
 * Sheets    Each section with RK_TARGET_XLSX and a non-NULL `sheet` starts a worksheet;
 *           a section with a NULL sheet is appended to the previous worksheet after an
 *           empty row (the first one, if no sheet was started yet, gets one named
 *           "Sheet1"). Sections without RK_TARGET_XLSX are skipped. Sheet names are
 *           made valid (no []:*?/\, no apostrophe at either end, at most 31 UTF-16
 *           units) and unique.
 * Rows      A section title is a bold heading row. Each paragraph is one row in a
 *           style-dependent format (title 18 pt, heading bold, verdict bold with the
 *           fill of its tone); text wider than the first column is merged across the
 *           sheet's columns, wrapped, and given an estimated row height. An empty
 *           block (RK_BLOCK_SPACE) is an empty row; page breaks are PDF only.
 * Tables    A `kv` table is a key/value list without a header (first column bold).
 *           Any other table is an Excel table (worksheet_add_table, style Medium 2,
 *           autofilter) whose name is made valid and unique in the workbook and whose
 *           headers are made unique; a table without rows gets one empty row (Excel
 *           requires one). The sheet's main table (the non-kv table with the most
 *           rows, first on ties) has its header row frozen and repeated on every
 *           printed page, provided it starts within the first 15 rows.
 *           Cells: `is_number` -> a number; any other text -> a string, never a
 *           formula. A tone outside a status column -> a static fill. Status columns
 *           -> one conditional format per distinct status text, filled by that text's
 *           tone (pass green, fail red, warn amber, unknown/manual blue-grey, info
 *           grey). `input` columns -> unlocked cells with a light-yellow fill and an
 *           outline; `date` input columns also get a date validation and the
 *           yyyy-mm-dd format (a prefilled YYYY-MM-DD value becomes a date).
 *           `choices` -> a drop-down list validation: inline when every choice is
 *           printable ASCII without comma or quote and the list fits in 255
 *           characters (libxlsxwriter 1.1.4 can overflow a heap buffer on UTF-8
 *           lists), otherwise the choices are written into hidden helper columns of
 *           the sheet's first row and the validation points at that range.
 *           `group_col` is ignored: the grouping value is already a column of every
 *           row, and extra group rows inside an Excel table would break its sorting,
 *           filtering and row count (the PDF prints them as sub-headings).
 *           Column widths come from `width` (characters); a width <= 1.5 (the model's
 *           default relative width) is estimated from the content. `wrap` columns wrap,
 *           and a row whose wrapped text needs several lines gets an estimated height
 *           (LibreOffice does not fit rows to wrapped text when it opens a file).
 *           An empty row separates a table, sign-off or diagram from what follows.
 * Chart     A title row, then one row per entry (label with its tone's fill, value as
 *           a number) and a horizontal bar chart over those cells beside them; rows
 *           are reserved so that the chart covers no other content.
 * Sign-off  Statement paragraph, a digest row (label, digest), then an Excel table
 *           "Signoff": role, name, decision (drop-down of the decisions), date,
 *           comment, one row per role; all but the role are input cells. The
 *           signature column is PDF only.
 * Diagram   Title row, one row per zone (zone, hosts one a line), an empty row, then
 *           one row per edge (from zone, to zone, protocols and ports).
 * Workbook  Every sheet: landscape, fit to one page wide, the main table's header row
 *           (else the first row) repeated on each page, header with the document
 *           title, footer with footer_left and the page number from page_format.
 *           Document properties: title, subject, author, company, keywords, and
 *           created = doc->created (a fixed time keeps output byte-identical; 0, which
 *           libxlsxwriter would take as "now", becomes 1980-01-01T00:00:00Z). No
 *           setlocale anywhere: libxlsxwriter prints numbers with "%.16G".
 * Text      Every string is guarded before it reaches the XML: invalid UTF-8, control
 *           characters other than tab/LF/CR, and U+FFFE/U+FFFF become U+FFFD; a literal
 *           "_xHHHH_" is escaped as "_x005F_xHHHH_" so Excel shows it as written; a
 *           cell is capped at Excel's 32,767 characters (UTF-16 units) ending in
 *           "…[truncated]".
 * Large     When the document has more than RK_XLSX_CONSTANT_MEMORY_ROWS rows the
 *           workbook uses libxlsxwriter's constant_memory mode. Its constraints: rows
 *           must be written in order (this writer always writes top-down, and the
 *           helper lists live in row 0 for that reason), worksheet tables are not
 *           supported (tables become a bold header row plus, for the main table, a
 *           worksheet autofilter), and merges are avoided (paragraphs are written
 *           into the first cell without wrapping). Such a workbook's zip entries are
 *           deflated at zlib level 1 instead of 6 (xlsx_zip.c): a fleet's sheets hold
 *           hundreds of MB of XML, deflated 4 times as fast for about 15 % more bytes.
 *           Generated tables (rk_table_generate) are read once, row by row. Such a
 *           workbook's sheets are filled at the same time, one per processor (each
 *           writes its own row file; sheets with a chart on the calling thread, as
 *           charts belong to the workbook); every format is made and numbered first,
 *           in one fixed order, so the bytes do not depend on which sheet is written
 *           first (styles.xml lists formats no cell uses).
 */

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "doc.h"
#include "jobs.h"
#include "util.h"
#include "xlsx_zip.h"

#if !defined(LXW_VERSION_ID) || LXW_VERSION_ID < 114
#error "readykit needs libxlsxwriter 1.1.4 or later"
#endif

#define RK_XLSX_CONSTANT_MEMORY_ROWS 50000 /* rows above which constant_memory is used */
#define RK_XLSX_CELL_MAX 32767             /* Excel's limit per cell, UTF-16 units */
#define RK_XLSX_FREEZE_MAX_ROW 15          /* freeze only a header this near the top */
#define RK_XLSX_MAX_STATUSES 64            /* distinct status texts given a colour */
#define RK_XLSX_WIDTH_SAMPLE 1000          /* rows looked at to estimate a width */
#define RK_XLSX_CHART_ROWS 14              /* rows reserved for a chart */
#define RK_XLSX_ROW_BUFFER (1u << 20)      /* stdio buffer of a constant_memory row file */
#define RK_XLSX_FALLBACK_CREATED 315532800 /* 1980-01-01T00:00:00Z */
#define RK_TRUNC_MARK "\xE2\x80\xA6[truncated]"
#define RK_TRUNC_MARK_UNITS 12

#define NTONES 7
#define NSTYLES 7

/* Fill and font colours per tone: fill plus the status word, never colour alone. */
static const lxw_color_t tone_fill[NTONES] = {
    0, 0xC6EFCE, 0xFFC7CE, 0xFFEB9C, 0xD9E1F2, 0xE7E6E6, 0xF2F2F2};
static const lxw_color_t tone_font[NTONES] = {
    0, 0x006100, 0x9C0006, 0x9C5700, 0x1F3864, 0x3A3A3A, 0x808080};
#define INPUT_FILL 0xFFF2CC
#define INPUT_BORDER 0xBFBFBF
#define HEADER_FILL 0xDDEBF7

static pthread_mutex_t close_lock = PTHREAD_MUTEX_INITIALIZER;

/* A hidden helper range holding the choices of one column. */
typedef struct helper_list {
    const rk_column *col;
    lxw_col_t first, last;
} helper_list;

/* One worksheet being written. */
typedef struct sheet {
    lxw_worksheet *ws;
    char *name;
    lxw_row_t row;          /* next row to write */
    lxw_col_t ncols;        /* columns used by the content, at least 1 */
    double *widths;         /* ncols column widths */
    size_t wcap;
    const void *main;       /* the block whose header row is frozen (rk_table or
                               rk_signoff), or NULL */
    int repeat_set;         /* a header row is repeated on printed pages */
    helper_list *helpers;
    size_t nhelpers;
} sheet;

/* The writer's state; the first libxlsxwriter error stops further writing. */
typedef struct xw {
    lxw_workbook *wb;
    const rk_doc *doc;
    int cm;                 /* constant_memory mode */
    lxw_error err;
    char where[200];
    char **names[2];        /* sheet names and table names used, for uniqueness */
    size_t nnames[2];
    lxw_format *cell[NTONES][2][2][2][2]; /* tone, wrap, input, date, bold */
    lxw_format *para[NSTYLES][NTONES][2]; /* style, tone, wrap */
    lxw_format *section[2];               /* level 0, deeper */
    lxw_format *cf[NTONES];
    lxw_format *header, *header_cm;
    lxw_chart_fill *fills;  /* chart point fills, kept until the workbook is closed */
    size_t nfills;
    char **bufs;            /* stdio buffers of the row files, kept until then too */
    size_t nbufs;
} xw;

/* ---- text guard ---------------------------------------------------------------- */

/* Decodes one UTF-8 sequence of s[0..n): its length, or 0 when invalid. */
static size_t u8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len;
    uint32_t c, min;
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2, c = s[0] & 0x1Fu, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, c = s[0] & 0x0Fu, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4, c = s[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = c;
    return len;
}

static int is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* 1 when s (n bytes left) starts with "_xHHHH_", which Excel would decode. */
static int is_xescape(const unsigned char *s, size_t n)
{
    return n >= 7 && s[0] == '_' && (s[1] == 'x' || s[1] == 'X') && is_hex(s[2]) &&
           is_hex(s[3]) && is_hex(s[4]) && is_hex(s[5]) && s[6] == '_';
}

/* 1 when the code point may not reach the XML as is. */
static int is_bad_cp(uint32_t cp, int keep_newlines)
{
    if (cp == '\t' || cp == '\n' || cp == '\r') return !keep_newlines;
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xFFFE ||
           cp == 0xFFFF;
}

/* The text as it may go into a cell: see "Text" at the top of the file. With
 * keep_newlines 0, tab/LF/CR become spaces (headers, names). max_units caps the
 * length in UTF-16 units (0: no cap). Returns s itself when nothing had to change,
 * else a new string that is also stored in *owned for the caller to free. */
static const char *clean_text(const char *s, int keep_newlines, size_t max_units,
                              char **owned)
{
    *owned = NULL;
    if (!s) return "";
    const unsigned char *p = (const unsigned char *)s;
    /* most cells are printable ASCII without '_': nothing to change */
    size_t ascii = 0;
    while (p[ascii] >= 0x20 && p[ascii] < 0x7F && p[ascii] != '_') ascii++;
    if (!p[ascii] && (!max_units || ascii <= max_units)) return s;
    size_t n = ascii + strlen(s + ascii), units = 0, i = 0;
    int dirty = 0;
    while (i < n && !dirty) {
        uint32_t cp;
        size_t l = u8_next(p + i, n - i, &cp);
        if (!l || is_bad_cp(cp, keep_newlines) || (p[i] == '_' && is_xescape(p + i, n - i)))
            dirty = 1;
        else
            units += cp >= 0x10000 ? 2 : 1;
        i += l ? l : 1;
    }
    if (!dirty && (!max_units || units <= max_units)) return s;

    rk_buf b = {0};
    size_t cut = 0; /* byte offset where the cap falls, once known */
    int cut_known = 0;
    units = 0;
    for (i = 0; i < n;) {
        uint32_t cp;
        size_t l = u8_next(p + i, n - i, &cp);
        size_t before = b.len;
        if (!l) {
            rk_buf_puts(&b, "\xEF\xBF\xBD");
            cp = 0xFFFD;
            l = 1;
        } else if (is_bad_cp(cp, keep_newlines)) {
            if (cp == '\t' || cp == '\n' || cp == '\r')
                rk_buf_putc(&b, ' ');
            else
                rk_buf_puts(&b, "\xEF\xBF\xBD");
        } else if (p[i] == '_' && is_xescape(p + i, n - i)) {
            rk_buf_puts(&b, "_x005F_");
            l = 1; /* the rest of "xHHHH_" is copied as it is */
            units += 6;
        } else {
            rk_buf_add(&b, s + i, l);
        }
        units += cp >= 0x10000 ? 2 : 1;
        if (max_units && !cut_known && units > max_units - RK_TRUNC_MARK_UNITS) {
            cut = before;
            cut_known = 1;
        }
        i += l;
    }
    if (!b.data) rk_buf_puts(&b, "");
    if (max_units && units > max_units) {
        b.len = cut;
        b.data[cut] = '\0';
        rk_buf_puts(&b, RK_TRUNC_MARK);
    }
    *owned = rk_buf_take(&b);
    return *owned;
}

/* Code points on the longest line of s (a rough display width). */
static size_t text_width(const char *s)
{
    size_t best = 0, cur = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n') {
            if (cur > best) best = cur;
            cur = 0;
        } else if ((*p & 0xC0) != 0x80) {
            cur++;
        }
    }
    return cur > best ? cur : best;
}

/* Number of display lines of s in a cell that holds about cpl characters a line; CJK
 * and other characters from U+2E80 on count as two. Stops counting at max. */
static size_t text_lines(const char *s, double cpl, size_t max)
{
    size_t lines = 0, cur = 0;
    if (cpl < 1) cpl = 1;
    /* one line without a break and no more bytes than a line holds characters (a
     * character is at least as many bytes as it counts) */
    size_t n = strcspn(s, "\n");
    if (!s[n] && (double)n <= cpl && max) return 1;
    for (const unsigned char *p = (const unsigned char *)s; lines < max; p++) {
        if (!*p || *p == '\n') {
            size_t l = (size_t)ceil((double)cur / cpl);
            lines += l ? l : 1;
            cur = 0;
            if (!*p) break;
        } else if ((*p & 0xC0) != 0x80) {
            /* lead bytes: 0xE2 0xBA 0x80 is U+2E80; 4-byte sequences are wide too */
            cur += (*p > 0xE2 || (*p == 0xE2 && p[1] >= 0xBA)) ? 2 : 1;
        }
    }
    return lines;
}

/* Height in points for a row whose tallest wrapped cell has the given lines, or
 * LXW_DEF_ROW_HEIGHT for one line. Rows are given an explicit height because
 * LibreOffice does not fit rows to wrapped text when it opens a file (Excel does). */
static double lines_height(size_t lines)
{
    if (lines <= 1) return LXW_DEF_ROW_HEIGHT;
    double h = (double)lines * 15.0;
    return h > 409 ? 409 : h;
}

#define ROW_MAX_LINES 28 /* 28 * 15 pt > 409 pt, Excel's tallest row */

/* ---- errors and names ------------------------------------------------------------ */

/* Records the first libxlsxwriter error with where it happened. */
static void chk(xw *w, lxw_error e, const sheet *sh, lxw_row_t row, lxw_col_t col,
                const char *what)
{
    if (e == LXW_NO_ERROR || w->err != LXW_NO_ERROR) return;
    w->err = e;
    if (sh) {
        char cell[32];
        lxw_rowcol_to_cell(cell, row, col);
        snprintf(w->where, sizeof w->where, "%s, sheet '%s' cell %s", what, sh->name, cell);
    } else {
        snprintf(w->where, sizeof w->where, "%s", what);
    }
}

static int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z') ca += 32;
        if (cb >= 'A' && cb <= 'Z') cb += 32;
        if (ca != cb || !ca) return ca - cb;
    }
}

enum { SHEET_NAMES, TABLE_NAMES };

static int name_used(const xw *w, int kind, const char *name)
{
    for (size_t i = 0; i < w->nnames[kind]; i++)
        if (!ascii_casecmp(w->names[kind][i], name)) return 1;
    return 0;
}

static void name_add(xw *w, int kind, const char *name)
{
    w->names[kind] = rk_xrealloc(w->names[kind], (w->nnames[kind] + 1) * sizeof(char *));
    w->names[kind][w->nnames[kind]++] = rk_xstrdup(name);
}

/* Byte length of the longest prefix of s with at most max UTF-16 units (s is valid). */
static size_t prefix_units(const char *s, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, units = 0;
    while (i < n) {
        uint32_t cp;
        size_t l = u8_next(p + i, n - i, &cp);
        if (!l) l = 1, cp = 0;
        size_t u = cp >= 0x10000 ? 2 : 1;
        if (units + u > max) break;
        units += u;
        i += l;
    }
    return i;
}

/* A valid, unused worksheet name from want. Caller frees. */
static char *sheet_name(xw *w, const char *want, size_t index)
{
    char *owned;
    const char *c = clean_text(want ? want : "", 0, 0, &owned);
    char *s = rk_xstrdup(c);
    free(owned);
    for (char *p = s; *p; p++)
        if (strchr("[]:*?/\\", *p)) *p = '_';
    if (s[0] == '\'') s[0] = '_';
    s[prefix_units(s, 31)] = '\0';
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ') s[--n] = '\0';
    if (n && s[n - 1] == '\'') s[n - 1] = '_';
    if (!*s || !ascii_casecmp(s, "History")) {
        char *t = rk_xasprintf("%s%s%zu", *s ? s : "Sheet", *s ? " " : "", index);
        free(s);
        s = t;
        s[prefix_units(s, 31)] = '\0';
    }
    for (unsigned k = 2; name_used(w, SHEET_NAMES, s); k++) {
        char suffix[16];
        snprintf(suffix, sizeof suffix, " (%u)", k);
        size_t keep = prefix_units(s, 31 - strlen(suffix));
        char *t = rk_xasprintf("%.*s%s", (int)keep, s, suffix);
        if (!name_used(w, SHEET_NAMES, t) || k > 9999) {
            free(s);
            s = t;
            break;
        }
        free(t);
    }
    name_add(w, SHEET_NAMES, s);
    return s;
}

/* 1 when name could be read as a cell reference (A1, XFD100, R1C1, R, C). */
static int looks_like_ref(const char *s)
{
    size_t letters = 0, digits = 0;
    while (s[letters] && ((s[letters] | 32) >= 'a' && (s[letters] | 32) <= 'z')) letters++;
    while (s[letters + digits] >= '0' && s[letters + digits] <= '9') digits++;
    if (!s[letters + digits] && letters >= 1 && letters <= 3 && digits >= 1) return 1;
    const char *p = s;
    if ((*p | 32) == 'r') {
        p++;
        while (*p >= '0' && *p <= '9') p++;
    }
    if ((*p | 32) == 'c') {
        p++;
        while (*p >= '0' && *p <= '9') p++;
    }
    return p != s && !*p;
}

/* A valid, unused Excel table name from want: ASCII letters, digits, '_' and '.',
 * starting with a letter or '_', not a cell reference. Caller frees. */
static char *table_name(xw *w, const char *want)
{
    rk_buf b = {0};
    for (const char *p = want ? want : ""; *p && b.len < 200; p++) {
        unsigned char c = (unsigned char)*p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '.';
        if ((c & 0xC0) == 0x80) continue; /* one '_' per non-ASCII character */
        rk_buf_putc(&b, ok ? (char)c : '_');
    }
    char *s = rk_buf_take(&b);
    /* Names Excel keeps for itself (built-in defined names, booleans). */
    static const char *const reserved[] = {
        "Print_Area", "Print_Titles", "_FilterDatabase", "Criteria", "Extract",
        "Consolidate_Area", "Database", "Sheet_Title", "Auto_Open", "Auto_Close",
        "Auto_Activate", "Auto_Deactivate", "Recorder", "TRUE", "FALSE"};
    int bad = !*s || looks_like_ref(s);
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0] && !bad; i++)
        bad = !ascii_casecmp(s, reserved[i]);
    int first_ok = (s[0] | 32) >= 'a' && (s[0] | 32) <= 'z';
    if (bad || (!first_ok && s[0] != '_')) {
        char *t = rk_xasprintf("T_%s", *s ? s : "Table");
        free(s);
        s = t;
    }
    for (unsigned k = 2; name_used(w, TABLE_NAMES, s); k++) {
        char *t = rk_xasprintf("%s_%u", s, k);
        if (!name_used(w, TABLE_NAMES, t)) {
            free(s);
            s = t;
            break;
        }
        free(t);
    }
    name_add(w, TABLE_NAMES, s);
    return s;
}

/* ---- formats --------------------------------------------------------------------- */

static unsigned tone_ix(rk_tone t) { return (unsigned)t < NTONES ? (unsigned)t : 0; }

static void fmt_tone(lxw_format *f, unsigned tone)
{
    if (!tone) return;
    format_set_bg_color(f, tone_fill[tone]);
    format_set_font_color(f, tone_font[tone]);
}

static lxw_format *cell_fmt(xw *w, rk_tone tone, int wrap, int input, int date, int bold)
{
    unsigned t = tone_ix(tone);
    wrap = !!wrap, input = !!input, date = !!date, bold = !!bold;
    lxw_format **slot = &w->cell[t][wrap][input][date][bold];
    if (*slot) return *slot;
    lxw_format *f = workbook_add_format(w->wb);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (wrap) format_set_text_wrap(f);
    if (input) {
        format_set_unlocked(f);
        format_set_bg_color(f, INPUT_FILL);
        format_set_border(f, LXW_BORDER_THIN);
        format_set_border_color(f, INPUT_BORDER);
    }
    fmt_tone(f, t);
    if (date) format_set_num_format(f, "yyyy-mm-dd");
    if (bold) format_set_bold(f);
    *slot = f;
    return f;
}

static double style_size(rk_para_style st)
{
    switch (st) {
    case RK_PARA_TITLE: return 18;
    case RK_PARA_SUBTITLE: return 13;
    case RK_PARA_HEADING: return 12;
    case RK_PARA_VERDICT: return 12;
    case RK_PARA_SMALL: return 9;
    case RK_PARA_NOTE: return 10;
    default: return 11;
    }
}

static lxw_format *para_fmt(xw *w, rk_para_style st, rk_tone tone, int wrap)
{
    unsigned s = (unsigned)st < NSTYLES ? (unsigned)st : 0, t = tone_ix(tone);
    lxw_format **slot = &w->para[s][t][!!wrap];
    if (*slot) return *slot;
    lxw_format *f = workbook_add_format(w->wb);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    format_set_font_size(f, style_size((rk_para_style)s));
    if (wrap) format_set_text_wrap(f);
    switch ((rk_para_style)s) {
    case RK_PARA_TITLE:
    case RK_PARA_HEADING:
    case RK_PARA_VERDICT: format_set_bold(f); break;
    case RK_PARA_SUBTITLE: format_set_font_color(f, 0x404040); break;
    case RK_PARA_SMALL: format_set_font_color(f, 0x595959); break;
    case RK_PARA_NOTE:
        format_set_italic(f);
        format_set_border(f, LXW_BORDER_THIN);
        format_set_border_color(f, INPUT_BORDER);
        break;
    default: break;
    }
    fmt_tone(f, t);
    *slot = f;
    return f;
}

static void make_formats(xw *w)
{
    for (unsigned i = 0; i < 2; i++) {
        w->section[i] = workbook_add_format(w->wb);
        format_set_bold(w->section[i]);
        format_set_font_size(w->section[i], i ? 12 : 14);
    }
    for (unsigned t = 1; t < NTONES; t++) {
        w->cf[t] = workbook_add_format(w->wb);
        fmt_tone(w->cf[t], t);
    }
    w->header = workbook_add_format(w->wb);
    format_set_bold(w->header);
    format_set_text_wrap(w->header);
    format_set_align(w->header, LXW_ALIGN_VERTICAL_TOP);
    w->header_cm = workbook_add_format(w->wb);
    format_set_bold(w->header_cm);
    format_set_text_wrap(w->header_cm);
    format_set_align(w->header_cm, LXW_ALIGN_VERTICAL_TOP);
    format_set_bg_color(w->header_cm, HEADER_FILL);
    format_set_bottom(w->header_cm, LXW_BORDER_THIN);
}

/* ---- planning a sheet ------------------------------------------------------------ */

/* Width for a column of table t whose model width is unset: from the header and the
 * first rows, between 8 and 60 characters. */
static double auto_width(const rk_table *t, size_t c)
{
    size_t best = t->cols[c].header ? text_width(t->cols[c].header) : 0;
    for (size_t r = 0; r < t->nrows && r < RK_XLSX_WIDTH_SAMPLE; r++) {
        size_t l = text_width(rk_table_cells(t, r)[c].text);
        if (l > best) best = l;
    }
    double wd = (double)best + 2;
    return wd < 8 ? 8 : wd > 60 ? 60 : wd;
}

static double col_width(const rk_table *t, size_t c)
{
    double wd = t->cols[c].width;
    if (!(wd > 1.5)) return auto_width(t, c);
    return wd > 120 ? 120 : wd;
}

static void want_width(sheet *sh, size_t c, double wd)
{
    if (c >= 16384) return;
    if (c >= sh->ncols) {
        if (c >= sh->wcap) {
            sh->wcap = c + 1 > 2 * sh->wcap ? c + 1 : 2 * sh->wcap;
            sh->widths = rk_xrealloc(sh->widths, sh->wcap * sizeof(double));
        }
        for (size_t i = sh->ncols; i <= c; i++) sh->widths[i] = 0;
        sh->ncols = (lxw_col_t)(c + 1);
    }
    if (wd > sh->widths[c]) sh->widths[c] = wd;
}

static int xlsx_section(const rk_section *s) { return (s->targets & RK_TARGET_XLSX) != 0; }

/* Collects widths and the main table of sections [first, end) that share a sheet. */
static void plan_sheet(sheet *sh, const rk_doc *d, size_t first, size_t end)
{
    size_t main_rows = 0;
    int have_main = 0;
    for (size_t i = first; i < end; i++) {
        const rk_section *s = &d->sections[i];
        if (!xlsx_section(s)) continue;
        for (size_t j = 0; j < s->nblocks; j++) {
            const rk_block *b = &s->blocks[j];
            if (b->type == RK_BLOCK_TABLE && b->table && b->table->ncols) {
                const rk_table *t = b->table;
                for (size_t c = 0; c < t->ncols; c++) want_width(sh, c, col_width(t, c));
                if (!t->kv && (!have_main || t->nrows > main_rows)) {
                    sh->main = t;
                    main_rows = t->nrows;
                    have_main = 1;
                }
            } else if (b->type == RK_BLOCK_CHART && b->chart) {
                double lw = 12;
                for (size_t k = 0; k < b->chart->n; k++) {
                    double l = (double)text_width(b->chart->labels[k]) + 2;
                    if (l > lw) lw = l;
                }
                want_width(sh, 0, lw > 40 ? 40 : lw);
                want_width(sh, 1, 10);
            } else if (b->type == RK_BLOCK_SIGNOFF && b->signoff) {
                static const double sw[5] = {28, 28, 26, 14, 48};
                for (size_t c = 0; c < 5; c++) want_width(sh, c, sw[c]);
                if (!have_main || b->signoff->nroles > main_rows) {
                    sh->main = b->signoff;
                    main_rows = b->signoff->nroles;
                    have_main = 1;
                }
            } else if (b->type == RK_BLOCK_DIAGRAM && b->diagram) {
                want_width(sh, 0, 28);
                want_width(sh, 1, 40);
                want_width(sh, 2, 40);
            }
        }
    }
    if (!sh->ncols) want_width(sh, 0, 100); /* paragraphs only: one wide column */
    for (size_t c = 0; c < sh->ncols; c++)
        if (sh->widths[c] <= 0) sh->widths[c] = 10;
}

/* 1 when the choices can be given inline to the list validation. */
static int choices_inline(char *const *v, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = (const unsigned char *)v[i];
        if (!*p) return 0;
        for (; *p; p++)
            if (*p < 0x20 || *p > 0x7E || *p == ',' || *p == '"') return 0;
        total += strlen(v[i]) + (i ? 1 : 0);
    }
    return n > 0 && total <= 255;
}

/* Writes the choices that cannot be inline into hidden columns of row 0, right of
 * the content; must run before anything below row 0 is written. */
static void write_helpers(xw *w, sheet *sh, const rk_column *col)
{
    if (!col->nchoices || choices_inline(col->choices, col->nchoices)) return;
    lxw_col_t first = (lxw_col_t)(sh->ncols + 1);
    if (sh->nhelpers) first = (lxw_col_t)(sh->helpers[sh->nhelpers - 1].last + 1);
    if ((size_t)first + col->nchoices > 16384) return;
    lxw_col_t last = (lxw_col_t)(first + col->nchoices - 1);
    for (size_t k = 0; k < col->nchoices; k++) {
        char *owned;
        const char *t = clean_text(col->choices[k], 0, 255, &owned);
        chk(w, worksheet_write_string(sh->ws, 0, (lxw_col_t)(first + k), t, NULL), sh, 0,
            (lxw_col_t)(first + k), "drop-down choices");
        free(owned);
    }
    lxw_row_col_options hide = {.hidden = 1};
    chk(w, worksheet_set_column_opt(sh->ws, first, last, 12, NULL, &hide), sh, 0, first,
        "hidden choices");
    sh->helpers = rk_xrealloc(sh->helpers, (sh->nhelpers + 1) * sizeof(helper_list));
    sh->helpers[sh->nhelpers++] = (helper_list){col, first, last};
}

static const helper_list *find_helper(const sheet *sh, const rk_column *col)
{
    for (size_t i = 0; i < sh->nhelpers; i++)
        if (sh->helpers[i].col == col) return &sh->helpers[i];
    return NULL;
}

/* ---- blocks ---------------------------------------------------------------------- */

static int room(xw *w, sheet *sh, size_t rows)
{
    if ((size_t)sh->row + rows > LXW_ROW_MAX) {
        chk(w, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE, sh, sh->row, 0,
            "more rows than a worksheet holds");
        return 0;
    }
    return w->err == LXW_NO_ERROR;
}

/* One paragraph row; long text is merged across the sheet's columns and wrapped. */
static void write_para(xw *w, sheet *sh, rk_para_style st, rk_tone tone, const char *text,
                       lxw_format *fixed)
{
    if (!room(w, sh, 1)) return;
    char *owned;
    const char *t = clean_text(text, 1, RK_XLSX_CELL_MAX, &owned);
    double size = fixed ? 14 : style_size(st);
    double total = 0;
    for (lxw_col_t c = 0; c < sh->ncols; c++) total += sh->widths[c];
    size_t tw = text_width(t);
    int multi = strchr(t, '\n') != NULL;
    int span = !w->cm && sh->ncols > 1 && (multi || (double)tw * size / 11 > sh->widths[0]);
    int wrap = !w->cm && (span || multi || (double)tw * size / 11 > sh->widths[0]);
    lxw_format *f = fixed ? fixed : para_fmt(w, st, tone, wrap);
    lxw_row_t r = sh->row;
    if (span) {
        chk(w, worksheet_merge_range(sh->ws, r, 0, r, (lxw_col_t)(sh->ncols - 1), t, f), sh,
            r, 0, "paragraph");
    } else {
        chk(w, worksheet_write_string(sh->ws, r, 0, t, f), sh, r, 0, "paragraph");
    }
    double cpl = (span ? total : sh->widths[0]) * 1.1 * 11 / size;
    size_t lines = wrap ? text_lines(t, cpl, 400) : 1;
    if (lines > 1 || size > 12) {
        double h = (double)lines * size * 1.3 + 4;
        chk(w, worksheet_set_row(sh->ws, r, h > 409 ? 409 : h, NULL), sh, r, 0, "row height");
    }
    free(owned);
    sh->row++;
}

/* 1 for a calendar date from 1900-03-01 on (Excel's serial dates are off before). */
static int valid_date(int y, int m, int d)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days[m - 1]) return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 0;
    return y > 1900 || m > 2;
}

/* Writes one cell of the model. A YYYY-MM-DD text in a date input column becomes a
 * date; any other text is written as a string, never as a formula. */
static void put_cell(xw *w, sheet *sh, lxw_row_t r, lxw_col_t c, const rk_cell *cell,
                     const rk_column *col, int bold)
{
    int input = col && col->input, date = input && col->date;
    rk_tone tone = (col && col->status) ? RK_TONE_NONE : cell->tone;
    lxw_format *f = cell_fmt(w, tone, col && col->wrap, input, date, bold);
    if (cell->is_number && isfinite(cell->number)) {
        chk(w, worksheet_write_number(sh->ws, r, c, cell->number, f), sh, r, c, "number");
        return;
    }
    char *owned;
    const char *t = clean_text(cell->text, 1, RK_XLSX_CELL_MAX, &owned), *s = t;
    if (!*t) {
        if (input || tone_ix(tone))
            chk(w, worksheet_write_blank(sh->ws, r, c, f), sh, r, c, "cell");
    } else if (date && strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
               strspn(s, "0123456789-") == 10) {
        lxw_datetime dt = {atoi(s), atoi(s + 5), atoi(s + 8), 0, 0, 0};
        if (valid_date(dt.year, dt.month, dt.day))
            chk(w, worksheet_write_datetime(sh->ws, r, c, &dt, f), sh, r, c, "date");
        else
            chk(w, worksheet_write_string(sh->ws, r, c, t, f), sh, r, c, "cell");
    } else {
        chk(w, worksheet_write_string(sh->ws, r, c, t, f), sh, r, c, "cell");
    }
    free(owned);
}

/* Lines of the tallest wrapped cell of a row of n cells (cols may be NULL: all wrap). */
static size_t row_lines(const sheet *sh, const rk_cell *row, const rk_column *cols, size_t n)
{
    size_t best = 1;
    for (size_t c = 0; c < n && c < sh->ncols; c++) {
        if ((cols && !cols[c].wrap) || row[c].is_number || !row[c].text[0]) continue;
        size_t l = text_lines(row[c].text, sh->widths[c] * 1.15, ROW_MAX_LINES);
        if (l > best) best = l;
    }
    return best;
}

/* Sets the height of row r from its wrapped cells. */
static void row_setup(xw *w, sheet *sh, lxw_row_t r, size_t lines)
{
    if (lines <= 1) return;
    chk(w, worksheet_set_row(sh->ws, r, lines_height(lines), NULL), sh, r, 0, "row");
}

static void write_kv(xw *w, sheet *sh, const rk_table *t)
{
    if (!room(w, sh, t->nrows)) return;
    for (size_t r = 0; r < t->nrows && !w->err; r++) {
        const rk_cell *row = rk_table_cells(t, r);
        row_setup(w, sh, sh->row, row_lines(sh, row, t->cols, t->ncols));
        for (size_t c = 0; c < t->ncols && c < 16384; c++)
            put_cell(w, sh, sh->row, (lxw_col_t)c, &row[c], &t->cols[c], c == 0);
        sh->row++;
    }
}

/* Table column headers: cleaned, non-empty, unique ignoring ASCII case. */
static char **table_headers(const rk_table *t)
{
    char **h = rk_xcalloc(t->ncols, sizeof(char *));
    for (size_t c = 0; c < t->ncols; c++) {
        char *owned;
        const char *s = clean_text(t->cols[c].header, 0, 255, &owned);
        h[c] = *s ? rk_xstrdup(s) : rk_xasprintf("Column%zu", c + 1);
        free(owned);
        for (unsigned k = 2;; k++) {
            int dup = 0;
            for (size_t i = 0; i < c && !dup; i++) dup = !ascii_casecmp(h[i], h[c]);
            if (!dup) break;
            char *n = rk_xasprintf("%.*s (%u)", (int)prefix_units(h[c], 240), h[c], k);
            int again = 0;
            for (size_t i = 0; i < c && !again; i++) again = !ascii_casecmp(h[i], n);
            if (!again) {
                free(h[c]);
                h[c] = n;
                break;
            }
            free(n);
        }
    }
    return h;
}

/* The distinct texts of a status column and their tones, in the order met, collected
 * while its rows are written (a generated table is read once). */
typedef struct status_set {
    char *texts[RK_XLSX_MAX_STATUSES];
    unsigned tones[RK_XLSX_MAX_STATUSES];
    size_t n;
} status_set;

static void status_note(status_set *st, const rk_cell *cell)
{
    unsigned tone = tone_ix(cell->tone);
    if (st->n >= RK_XLSX_MAX_STATUSES || !tone || cell->is_number || !cell->text[0]) return;
    char *owned;
    const char *s = clean_text(cell->text, 0, 0, &owned);
    /* Skip what a formula string cannot hold or Excel would decode. */
    int usable = strlen(s) <= 200 && !strstr(s, "_x") && !strchr(s, '\n') &&
                 strcmp(s, cell->text) == 0;
    size_t k = 0;
    while (k < st->n && strcmp(st->texts[k], s)) k++;
    if (usable && k == st->n) {
        st->texts[st->n] = rk_xstrdup(s);
        st->tones[st->n++] = tone;
    }
    free(owned);
}

/* Conditional formats of status column c over rows [first, last], one per text in st;
 * frees st's texts. */
static void status_formats(xw *w, sheet *sh, size_t c, lxw_row_t first, lxw_row_t last,
                           status_set *st)
{
    for (size_t k = 0; k < st->n; k++) {
        if (!w->err) {
            rk_buf v = {0};
            rk_buf_putc(&v, '"');
            for (const char *p = st->texts[k]; *p; p++) {
                if (*p == '"') rk_buf_putc(&v, '"');
                rk_buf_putc(&v, *p);
            }
            rk_buf_putc(&v, '"');
            lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_CELL,
                                         .criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
                                         .value_string = v.data,
                                         .format = w->cf[st->tones[k]]};
            chk(w, worksheet_conditional_format_range(sh->ws, first, (lxw_col_t)c, last,
                                                      (lxw_col_t)c, &cf),
                sh, first, (lxw_col_t)c, "status colours");
            rk_buf_free(&v);
        }
        free(st->texts[k]);
    }
    st->n = 0;
}

/* Drop-down lists and date validation of the input columns over rows [first, last]. */
static void validations(xw *w, sheet *sh, const rk_table *t, lxw_row_t first, lxw_row_t last)
{
    for (size_t c = 0; c < t->ncols && c < 16384; c++) {
        const rk_column *col = &t->cols[c];
        lxw_data_validation dv = {0};
        char range[64];
        char **list = NULL;
        if (col->nchoices) {
            const helper_list *h = find_helper(sh, col);
            dv.validate = LXW_VALIDATION_TYPE_LIST;
            if (h) {
                char a[16], b[16];
                lxw_rowcol_to_cell_abs(a, 0, h->first, 1, 1);
                lxw_rowcol_to_cell_abs(b, 0, h->last, 1, 1);
                snprintf(range, sizeof range, "=%s:%s", a, b);
                dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
                dv.value_formula = range;
            } else if (choices_inline(col->choices, col->nchoices)) {
                list = rk_xcalloc(col->nchoices + 1, sizeof(char *));
                for (size_t k = 0; k < col->nchoices; k++) list[k] = col->choices[k];
                dv.value_list = list;
            } else {
                continue;
            }
        } else if (col->input && col->date) {
            dv.validate = LXW_VALIDATION_TYPE_DATE;
            dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
            dv.minimum_datetime = (lxw_datetime){2000, 1, 1, 0, 0, 0};
            dv.maximum_datetime = (lxw_datetime){2099, 12, 31, 0, 0, 0};
        } else {
            continue;
        }
        chk(w, worksheet_data_validation_range(sh->ws, first, (lxw_col_t)c, last,
                                               (lxw_col_t)c, &dv),
            sh, first, (lxw_col_t)c, "data validation");
        free(list);
    }
}

static void write_table(xw *w, sheet *sh, const rk_table *t)
{
    if (!t->ncols || w->err) return;
    if (t->kv) {
        write_kv(w, sh, t);
        return;
    }
    if (t->ncols > 16384) {
        chk(w, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE, sh, sh->row, 0,
            "more columns than a worksheet holds");
        return;
    }
    size_t ndata = t->nrows;
    if (!room(w, sh, ndata + 2)) return;
    lxw_col_t lastc = (lxw_col_t)(t->ncols - 1);
    lxw_row_t hdr = sh->row, first = hdr + 1;
    lxw_row_t last = (lxw_row_t)(hdr + (ndata ? ndata : 1));
    int is_main = sh->main == (const void *)t;
    char **headers = table_headers(t);

    if (!w->cm) {
        lxw_table_column *colv = rk_xcalloc(t->ncols, sizeof(lxw_table_column));
        lxw_table_column **cols = rk_xcalloc(t->ncols + 1, sizeof(lxw_table_column *));
        for (size_t c = 0; c < t->ncols; c++) {
            colv[c].header = headers[c];
            colv[c].header_format = w->header;
            cols[c] = &colv[c];
        }
        char *name = table_name(w, t->name);
        lxw_table_options opt = {.name = name,
                                 .style_type = LXW_TABLE_STYLE_TYPE_MEDIUM,
                                 .style_type_number = 2,
                                 .columns = cols};
        chk(w, worksheet_add_table(sh->ws, hdr, 0, last, lastc, &opt), sh, hdr, 0, "table");
        free(name);
        free(cols);
        free(colv);
    } else {
        for (size_t c = 0; c < t->ncols; c++)
            chk(w, worksheet_write_string(sh->ws, hdr, (lxw_col_t)c, headers[c], w->header_cm),
                sh, hdr, (lxw_col_t)c, "table header");
        if (is_main)
            chk(w, worksheet_autofilter(sh->ws, hdr, 0, last, lastc), sh, hdr, 0, "autofilter");
    }
    size_t hl = 1;
    for (size_t c = 0; c < t->ncols && c < sh->ncols; c++) {
        size_t l = text_lines(headers[c], sh->widths[c] * 1.15, ROW_MAX_LINES);
        if (l > hl) hl = l;
    }
    row_setup(w, sh, hdr, hl);
    for (size_t c = 0; c < t->ncols; c++) free(headers[c]);
    free(headers);
    if (is_main && hdr <= RK_XLSX_FREEZE_MAX_ROW) {
        worksheet_freeze_panes(sh->ws, first, 0);
        chk(w, worksheet_repeat_rows(sh->ws, hdr, hdr), sh, hdr, 0, "print titles");
        sh->repeat_set = 1;
    }

    lxw_row_t r = first;
    status_set *st = rk_xcalloc(t->ncols, sizeof(status_set));
    for (size_t i = 0; i < t->nrows && !w->err; i++) {
        const rk_cell *row = rk_table_cells(t, i);
        row_setup(w, sh, r, row_lines(sh, row, t->cols, t->ncols));
        for (size_t c = 0; c < t->ncols; c++) {
            put_cell(w, sh, r, (lxw_col_t)c, &row[c], &t->cols[c], 0);
            if (t->cols[c].status) status_note(&st[c], &row[c]);
        }
        r++;
    }
    if (!t->nrows) { /* the one empty row a table needs: keep input fills on it */
        rk_cell empty = {.text = ""};
        for (size_t c = 0; c < t->ncols; c++)
            put_cell(w, sh, r, (lxw_col_t)c, &empty, &t->cols[c], 0);
    }
    for (size_t c = 0; c < t->ncols; c++)
        if (t->cols[c].status) status_formats(w, sh, c, first, last, &st[c]);
    free(st);
    if (!w->err) validations(w, sh, t, first, last);
    sh->row = last + 1;
}

static void write_chart(xw *w, sheet *sh, const rk_chart *ch)
{
    size_t reserve = ch->n + 1 > RK_XLSX_CHART_ROWS ? ch->n + 1 : RK_XLSX_CHART_ROWS;
    if (!room(w, sh, reserve + 1)) return;
    lxw_row_t start = sh->row;
    int has_title = ch->title && *ch->title;
    if (has_title) write_para(w, sh, RK_PARA_HEADING, RK_TONE_NONE, ch->title, NULL);
    lxw_row_t first = sh->row;
    for (size_t i = 0; i < ch->n && !w->err; i++) {
        rk_cell label = {.text = ch->labels[i], .tone = ch->tones[i]};
        put_cell(w, sh, sh->row, 0, &label, NULL, 0);
        double v = isfinite(ch->values[i]) ? ch->values[i] : 0;
        chk(w, worksheet_write_number(sh->ws, sh->row, 1, v, NULL), sh, sh->row, 1, "chart value");
        sh->row++;
    }
    if (ch->n && !w->err) {
        lxw_chart *c = workbook_add_chart(w->wb, LXW_CHART_BAR);
        if (!c) {
            chk(w, LXW_ERROR_MEMORY_MALLOC_FAILED, sh, first, 0, "chart");
            return;
        }
        lxw_chart_series *s = chart_add_series(c, NULL, NULL);
        lxw_row_t lastr = (lxw_row_t)(first + ch->n - 1);
        chart_series_set_categories(s, sh->name, first, 0, lastr, 0);
        chart_series_set_values(s, sh->name, first, 1, lastr, 1);
        chart_series_set_labels(s);
        /* Point fills live until the workbook is closed. */
        w->fills = rk_xrealloc(w->fills, (w->nfills + ch->n) * sizeof(lxw_chart_fill));
        lxw_chart_fill *fills = &w->fills[w->nfills];
        w->nfills += ch->n;
        lxw_chart_point *pts = rk_xcalloc(ch->n, sizeof(lxw_chart_point));
        lxw_chart_point **pv = rk_xcalloc(ch->n + 1, sizeof(lxw_chart_point *));
        for (size_t i = 0; i < ch->n; i++) {
            unsigned t = tone_ix(ch->tones[i]);
            fills[i] = (lxw_chart_fill){.color = t ? tone_font[t] : 0x4472C4};
            pts[i].fill = &fills[i];
            pv[i] = &pts[i];
        }
        chk(w, chart_series_set_points(s, pv), sh, first, 0, "chart colours");
        free(pv);
        free(pts);
        if (has_title)
            chart_title_set_name_range(c, sh->name, start, 0);
        else
            chart_title_off(c);
        chart_legend_set_position(c, LXW_CHART_LEGEND_NONE);
        chart_axis_set_reverse(c->y_axis); /* first entry on top */
        chart_axis_set_min(c->x_axis, 0);
        lxw_chart_options o = {.x_offset = 8, .y_offset = 2,
                               .y_scale = (double)reserve * 20.0 / 288.0};
        chk(w, worksheet_insert_chart_opt(sh->ws, first, 3, c, &o), sh, first, 3, "chart");
    }
    sh->row = (lxw_row_t)(first + reserve);
}

/* The sign-off table as a model table: role, name, decision, date, comment. */
static rk_table *signoff_table(const rk_signoff *so)
{
    rk_table *t = rk_table_new("Signoff", 5);
    const char *heads[5] = {so->role_label, so->name_label, so->decision_label,
                            so->date_label, so->comment_label};
    static const double widths[5] = {28, 28, 26, 14, 48};
    for (size_t c = 0; c < 5; c++) {
        rk_table_col(t, c, heads[c], widths[c]);
        t->cols[c].wrap = c == 0 || c == 4;
        t->cols[c].input = c > 0;
    }
    t->cols[3].date = 1;
    if (so->ndecisions)
        rk_column_choices(&t->cols[2], (const char *const *)so->decisions, so->ndecisions);
    for (size_t i = 0; i < so->nroles; i++) rk_cell_set(rk_table_row(t), so->roles[i], RK_TONE_NONE);
    return t;
}

static void write_signoff(xw *w, sheet *sh, const rk_signoff *so, rk_table *t)
{
    if (so->statement && *so->statement)
        write_para(w, sh, RK_PARA_NORMAL, RK_TONE_NONE, so->statement, NULL);
    if (so->digest && *so->digest && room(w, sh, 1)) {
        rk_cell label = {.text = so->digest_label ? so->digest_label : ""};
        rk_cell digest = {.text = so->digest};
        put_cell(w, sh, sh->row, 0, &label, NULL, 1);
        put_cell(w, sh, sh->row, 1, &digest, NULL, 0);
        sh->row++;
    }
    if (!w->err) {
        const void *was = sh->main;
        if (sh->main == (const void *)so) sh->main = t;
        write_table(w, sh, t);
        sh->main = was;
    }
}

static void write_diagram(xw *w, sheet *sh, const rk_diagram *g)
{
    if (g->title && *g->title) write_para(w, sh, RK_PARA_HEADING, RK_TONE_NONE, g->title, NULL);
    rk_column wrapcol = {.wrap = 1};
    for (size_t i = 0; i < g->nzones && room(w, sh, 1); i++) {
        const rk_dzone *z = &g->zones[i];
        rk_buf b = {0};
        for (size_t k = 0; k < z->nlines; k++) {
            if (k) rk_buf_putc(&b, '\n');
            rk_buf_puts(&b, z->lines[k]);
        }
        rk_cell zone[2] = {{.text = z->title ? z->title : ""}, {.text = b.data ? b.data : ""}};
        rk_cell title = zone[0], lines = zone[1];
        row_setup(w, sh, sh->row, row_lines(sh, zone, NULL, 2));
        put_cell(w, sh, sh->row, 0, &title, &wrapcol, 1);
        put_cell(w, sh, sh->row, 1, &lines, &wrapcol, 0);
        rk_buf_free(&b);
        sh->row++;
    }
    if (g->nedges) sh->row++;
    for (size_t i = 0; i < g->nedges && room(w, sh, 1); i++) {
        const rk_dedge *e = &g->edges[i];
        rk_cell from = {.text = e->from < g->nzones ? g->zones[e->from].title : ""};
        rk_cell to = {.text = e->to < g->nzones ? g->zones[e->to].title : ""};
        rk_cell label = {.text = e->label ? e->label : ""};
        if (!from.text) from.text = "";
        if (!to.text) to.text = "";
        put_cell(w, sh, sh->row, 0, &from, &wrapcol, 1);
        put_cell(w, sh, sh->row, 1, &to, &wrapcol, 0);
        put_cell(w, sh, sh->row, 2, &label, &wrapcol, 0);
        sh->row++;
    }
}

static void write_section(xw *w, sheet *sh, const rk_section *s,
                          rk_table *const *signoffs)
{
    if (s->title && *s->title)
        write_para(w, sh, RK_PARA_HEADING, RK_TONE_NONE, s->title,
                   w->section[s->level > 0]);
    for (size_t j = 0; j < s->nblocks && !w->err; j++) {
        const rk_block *b = &s->blocks[j];
        switch (b->type) {
        case RK_BLOCK_PARA:
            write_para(w, sh, b->style, b->tone, b->text ? b->text : "", NULL);
            break;
        case RK_BLOCK_TABLE:
            if (b->table) write_table(w, sh, b->table);
            break;
        case RK_BLOCK_CHART:
            if (b->chart) write_chart(w, sh, b->chart);
            break;
        case RK_BLOCK_SIGNOFF:
            if (b->signoff && signoffs[j]) write_signoff(w, sh, b->signoff, signoffs[j]);
            break;
        case RK_BLOCK_DIAGRAM:
            if (b->diagram) write_diagram(w, sh, b->diagram);
            break;
        case RK_BLOCK_SPACE:
            if (room(w, sh, 1)) sh->row++;
            break;
        case RK_BLOCK_PAGEBREAK:
            break;
        }
        /* An empty row between a table, chart, sign-off or diagram and what follows. */
        if (b->type != RK_BLOCK_PARA && b->type != RK_BLOCK_SPACE &&
            b->type != RK_BLOCK_PAGEBREAK && b->type != RK_BLOCK_CHART &&
            j + 1 < s->nblocks && room(w, sh, 1))
            sh->row++;
    }
}

/* ---- sheets and the workbook -------------------------------------------------------- */

/* Appends text to b for a header/footer: '&' doubled, at most max code points written
 * (libxlsxwriter refuses a header or footer of more than 255). */
static void hf_text(rk_buf *b, const char *s, size_t max)
{
    char *owned;
    const char *t = clean_text(s ? s : "", 0, 0, &owned);
    size_t n = 0;
    for (const char *p = t; *p; p++) {
        if ((*p & 0xC0) != 0x80) {
            n += *p == '&' ? 2 : 1;
            if (n > max) break;
        }
        if (*p == '&') rk_buf_putc(b, '&');
        rk_buf_putc(b, *p);
    }
    free(owned);
}

/* Print setup shared by every sheet. */
static void finish_sheet(xw *w, sheet *sh)
{
    worksheet_set_landscape(sh->ws);
    worksheet_set_paper(sh->ws, w->doc->letter ? 1 : 9); /* Excel's codes: 1 Letter, 9 A4 */
    worksheet_fit_to_pages(sh->ws, 1, 0);
    if (!sh->repeat_set)
        chk(w, worksheet_repeat_rows(sh->ws, 0, 0), sh, 0, 0, "print titles");
    rk_buf h = {0}, f = {0};
    if (w->doc->title && *w->doc->title) {
        rk_buf_puts(&h, "&C");
        hf_text(&h, w->doc->title, 100);
        chk(w, worksheet_set_header(sh->ws, h.data), sh, 0, 0, "page header");
    }
    if (w->doc->footer_left && *w->doc->footer_left) {
        rk_buf_puts(&f, "&L");
        hf_text(&f, w->doc->footer_left, 100);
    }
    rk_buf_puts(&f, "&R");
    const char *pf = w->doc->page_format && *w->doc->page_format ? w->doc->page_format
                                                                  : "{n} / {N}";
    rk_buf pb = {0};
    hf_text(&pb, pf, 60);
    for (const char *p = pb.data ? pb.data : ""; *p; p++) {
        if (!strncmp(p, "{n}", 3)) {
            rk_buf_puts(&f, "&P");
            p += 2;
        } else if (!strncmp(p, "{N}", 3)) {
            rk_buf_puts(&f, "&N");
            p += 2;
        } else {
            rk_buf_putc(&f, *p);
        }
    }
    chk(w, worksheet_set_footer(sh->ws, f.data), sh, 0, 0, "page footer");
    rk_buf_free(&pb);
    rk_buf_free(&h);
    rk_buf_free(&f);
}

/* One worksheet being written and the sections [first, end) it holds. */
typedef struct sheet_job {
    xw *w;            /* the writer (a copy of it when filled on another thread) */
    sheet sh;
    size_t first, end;
    rk_table **so;    /* sign-off tables, by block */
    size_t nblk;
    int chart;        /* holds a chart (charts belong to the workbook) */
    size_t rows;      /* rows it will take */
    lxw_error err;    /* the copy's first error, and where */
    char where[200];
} sheet_job;

/* Starts the worksheet: name, row buffer, column widths, the helper lists of row 0 and
 * the sign-off tables. 0 when libxlsxwriter refused it (error recorded). */
static int sheet_open(xw *w, sheet_job *j, size_t index)
{
    const rk_doc *d = w->doc;
    sheet *sh = &j->sh;
    sh->name = sheet_name(w, d->sections[j->first].sheet, index);
    sh->ws = workbook_add_worksheet(w->wb, sh->name);
    if (!sh->ws) {
        chk(w, LXW_ERROR_PARAMETER_VALIDATION, NULL, 0, 0, "a worksheet name was refused");
        snprintf(w->where + strlen(w->where), sizeof w->where - strlen(w->where), " ('%s')",
                 sh->name);
        return 0;
    }
    /* constant_memory keeps the rows in a temporary file until the workbook is closed,
     * written in 4 KB pieces by default: 1 MB pieces take a fleet's sheets of hundreds
     * of MB through far fewer system calls. Nothing has been written to the file yet;
     * the buffer outlives it (libxlsxwriter closes it in workbook_close). */
    if (w->cm && sh->ws->optimize_tmpfile) {
        w->bufs = rk_xrealloc(w->bufs, (w->nbufs + 1) * sizeof(char *));
        w->bufs[w->nbufs] = rk_xmalloc(RK_XLSX_ROW_BUFFER);
        setvbuf(sh->ws->optimize_tmpfile, w->bufs[w->nbufs++], _IOFBF, RK_XLSX_ROW_BUFFER);
    }
    plan_sheet(sh, d, j->first, j->end);
    for (lxw_col_t c = 0; c < sh->ncols; c++)
        chk(w, worksheet_set_column(sh->ws, c, c, sh->widths[c], NULL), sh, 0, c, "column width");

    /* Sign-off tables and helper lists first: helpers live in row 0. */
    for (size_t i = j->first; i < j->end; i++) j->nblk += d->sections[i].nblocks;
    j->so = rk_xcalloc(j->nblk ? j->nblk : 1, sizeof(rk_table *));
    for (size_t i = j->first, k = 0; i < j->end; i++) {
        const rk_section *s = &d->sections[i];
        for (size_t b = 0; b < s->nblocks; b++, k++) {
            if (!xlsx_section(s)) continue;
            const rk_block *bl = &s->blocks[b];
            if (bl->type == RK_BLOCK_SIGNOFF && bl->signoff) {
                j->so[k] = signoff_table(bl->signoff);
                write_helpers(w, sh, &j->so[k]->cols[2]);
            } else if (bl->type == RK_BLOCK_TABLE && bl->table && !bl->table->kv) {
                for (size_t c = 0; c < bl->table->ncols; c++)
                    write_helpers(w, sh, &bl->table->cols[c]);
            } else if (bl->type == RK_BLOCK_CHART && bl->chart) {
                j->chart = 1;
            }
            if (bl->table) j->rows += bl->table->nrows;
        }
    }
    return 1;
}

/* Writes the sections into the worksheet. */
static void sheet_fill(xw *w, sheet_job *j)
{
    const rk_doc *d = w->doc;
    for (size_t i = j->first, k = 0; i < j->end && !w->err; k += d->sections[i].nblocks, i++) {
        const rk_section *s = &d->sections[i];
        if (!xlsx_section(s)) continue;
        if (i != j->first && j->sh.row > 0 && room(w, &j->sh, 1)) j->sh.row++;
        write_section(w, &j->sh, s, &j->so[k]);
    }
}

/* sheet_fill on a copy of the writer (a job of rk_jobs_run): a sheet of a large
 * workbook filled while others are. The copy records its own error; the formats are
 * all made and numbered before (preindex_formats), so nothing the sheets share changes
 * while they are filled. */
static rk_err sheet_fill_job(void *arg, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    sheet_job *j = arg;
    xw copy = *j->w;
    copy.err = LXW_NO_ERROR;
    copy.where[0] = '\0';
    sheet_fill(&copy, j);
    j->err = copy.err;
    memcpy(j->where, copy.where, sizeof j->where);
    return RK_OK;
}

static void sheet_close(xw *w, sheet_job *j)
{
    if (j->sh.ws) finish_sheet(w, &j->sh);
    for (size_t k = 0; k < j->nblk; k++)
        if (j->so[k]) rk_table_free(j->so[k]);
    free(j->so);
    free(j->sh.helpers);
    free(j->sh.widths);
    free(j->sh.name);
}

/* Makes and numbers every format a large workbook's sheets can ask for, in one fixed
 * order, so that sheets filled at the same time find them ready: libxlsxwriter numbers
 * a format when a row using it is first written, which would otherwise depend on which
 * sheet got there first. Formats no cell uses cost a line each in styles.xml. */
static void preindex_formats(xw *w)
{
    lxw_format_get_xf_index(w->section[0]);
    lxw_format_get_xf_index(w->section[1]);
    lxw_format_get_xf_index(w->header);
    lxw_format_get_xf_index(w->header_cm);
    for (unsigned t = 0; t < NTONES; t++)
        for (int k = 0; k < 16; k++)
            lxw_format_get_xf_index(cell_fmt(w, (rk_tone)t, k & 1, k & 2, k & 4, k & 8));
    for (unsigned st = 0; st < NSTYLES; st++) /* paragraphs never wrap in such a workbook */
        for (unsigned t = 0; t < NTONES; t++)
            lxw_format_get_xf_index(para_fmt(w, (rk_para_style)st, (rk_tone)t, 0));
    for (unsigned t = 1; t < NTONES; t++) lxw_format_get_dxf_index(w->cf[t]);
}

static int cmp_job_rows(const void *x, const void *y)
{
    const sheet_job *a = ((const rk_job *)x)->arg, *b = ((const rk_job *)y)->arg;
    if (a->rows != b->rows) return a->rows > b->rows ? -1 : 1;
    return a->first < b->first ? -1 : a->first > b->first;
}

/* Writes every sheet. A small workbook sheet by sheet. A large one (constant_memory)
 * opens all its sheets, fills those with a chart on this thread, the others at the same
 * time on as many threads as there are processors (each sheet writes its own row file),
 * and records the first error in sheet order. */
static size_t write_sheets(xw *w)
{
    const rk_doc *doc = w->doc;
    sheet_job *jobs = rk_xcalloc(doc->nsections + 1, sizeof(sheet_job));
    size_t n = 0;
    for (size_t i = 0; i < doc->nsections;) {
        if (!xlsx_section(&doc->sections[i])) {
            i++;
            continue;
        }
        size_t end = i + 1;
        while (end < doc->nsections &&
               (!doc->sections[end].sheet || !xlsx_section(&doc->sections[end])))
            end++;
        jobs[n].w = w;
        jobs[n].first = i;
        jobs[n].end = end;
        n++;
        i = end;
    }
    if (!w->cm) {
        for (size_t k = 0; k < n && !w->err; k++) {
            if (sheet_open(w, &jobs[k], k + 1)) sheet_fill(w, &jobs[k]);
            sheet_close(w, &jobs[k]);
        }
        free(jobs);
        return n;
    }
    preindex_formats(w);
    size_t opened = 0;
    while (opened < n && !w->err && sheet_open(w, &jobs[opened], opened + 1)) opened++;
    rk_job *run = rk_xcalloc(n + 1, sizeof(rk_job));
    size_t nrun = 0;
    for (size_t k = 0; k < opened && !w->err; k++) {
        if (jobs[k].chart) sheet_fill(w, &jobs[k]);
        else run[nrun++] = (rk_job){sheet_fill_job, &jobs[k], RK_OK, ""};
    }
    if (!w->err) {
        qsort(run, nrun, sizeof(rk_job), cmp_job_rows);
        rk_jobs_run(run, nrun, rk_jobs_cpus());
        for (size_t k = 0; k < opened && !w->err; k++)
            if (!jobs[k].chart && jobs[k].err) {
                w->err = jobs[k].err;
                memcpy(w->where, jobs[k].where, sizeof w->where);
            }
    }
    free(run);
    for (size_t k = 0; k < n; k++)
        if (k < opened || jobs[k].sh.name) sheet_close(w, &jobs[k]);
    free(jobs);
    return n;
}

/* Rows the document will take, to choose constant_memory mode. */
static size_t doc_rows(const rk_doc *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->nsections; i++) {
        const rk_section *s = &d->sections[i];
        if (!xlsx_section(s)) continue;
        n += 2;
        for (size_t j = 0; j < s->nblocks; j++) {
            const rk_block *b = &s->blocks[j];
            if (b->table) n += b->table->nrows + 1;
            if (b->chart) n += b->chart->n + RK_XLSX_CHART_ROWS;
            if (b->signoff) n += b->signoff->nroles + 3;
            if (b->diagram) n += b->diagram->nzones + b->diagram->nedges + 2;
            n++;
        }
    }
    return n;
}

static char *prop(const char *s)
{
    char *owned;
    const char *t = clean_text(s ? s : "", 0, 0, &owned);
    return owned ? owned : rk_xstrdup(t);
}

rk_err rk_xlsx_write(const rk_doc *doc, const char *path, char *err, size_t errlen)
{
    xw w = {0};
    w.doc = doc;
    w.cm = doc_rows(doc) > RK_XLSX_CONSTANT_MEMORY_ROWS;
    char *tmp = rk_temp_path_for(path);
    lxw_workbook_options opt = {.constant_memory = w.cm ? LXW_TRUE : LXW_FALSE};
    w.wb = workbook_new_opt(tmp, &opt);
    if (!w.wb) {
        snprintf(err, errlen, "%s: cannot write: %s", path,
                 lxw_strerror(LXW_ERROR_MEMORY_MALLOC_FAILED));
        free(tmp);
        return RK_OUTPUT;
    }

    char *title = prop(doc->title), *subject = prop(doc->subject), *author = prop(doc->author),
         *company = prop(doc->company), *keywords = prop(doc->keywords);
    lxw_doc_properties props = {.title = title, .subject = subject, .author = author,
                                .company = company, .keywords = keywords,
                                .created = doc->created > 0 ? (time_t)doc->created
                                                            : (time_t)RK_XLSX_FALLBACK_CREATED};
    chk(&w, workbook_set_properties(w.wb, &props), NULL, 0, 0, "document properties");
    make_formats(&w);

    size_t nsheets = w.err ? 0 : write_sheets(&w);
    if (!nsheets && !w.err) { /* a workbook needs one sheet */
        sheet sh = {0};
        sh.name = sheet_name(&w, NULL, 1);
        sh.ws = workbook_add_worksheet(w.wb, sh.name);
        if (sh.ws) finish_sheet(&w, &sh);
        free(sh.name);
    }

    errno = 0;
    rk_xlsx_zip_fast(w.cm); /* a large workbook's parts deflate at zlib level 1 */
    /* one workbook closes at a time: libxlsxwriter writes the document properties'
     * dates through gmtime, whose result is shared by every thread */
    pthread_mutex_lock(&close_lock);
    lxw_error e = workbook_close(w.wb);
    int close_errno = errno;
    pthread_mutex_unlock(&close_lock);
    rk_xlsx_zip_fast(0);
    free(title);
    free(subject);
    free(author);
    free(company);
    free(keywords);
    free(w.fills);
    for (size_t i = 0; i < w.nbufs; i++) free(w.bufs[i]);
    free(w.bufs);
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < w.nnames[k]; i++) free(w.names[k][i]);
        free(w.names[k]);
    }

    if (w.err || e) {
        if (w.err)
            snprintf(err, errlen, "%s: cannot write: %s (%s)", path, lxw_strerror(w.err), w.where);
        else if (close_errno && (e == LXW_ERROR_CREATING_XLSX_FILE ||
                                 e == LXW_ERROR_CREATING_TMPFILE || e == LXW_ERROR_ZIP_FILE_OPERATION))
            snprintf(err, errlen, "%s: cannot write: %s (%s)", path, strerror(close_errno),
                     lxw_strerror(e));
        else
            snprintf(err, errlen, "%s: cannot write: %s", path, lxw_strerror(e));
        unlink(tmp);
        free(tmp);
        return RK_OUTPUT;
    }
    int rc = rk_rename_into_place(tmp, path, err, errlen);
    free(tmp);
    return rc ? RK_OUTPUT : RK_OK;
}
