/* doc.h - the neutral document model both documents are built into and every writer
 * (PDF, XLSX, CSV) reads. Builders fill it; writers never evaluate anything. */
#ifndef RK_DOC_H
#define RK_DOC_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"

/* How a cell or paragraph is coloured. Writers map tones to colours that also read
 * in grey print (fill plus the status word itself, never colour alone). */
typedef enum rk_tone {
    RK_TONE_NONE,
    RK_TONE_PASS,
    RK_TONE_FAIL,
    RK_TONE_WARN,
    RK_TONE_UNKNOWN,  /* unknown and manual: needs attention, not a failure */
    RK_TONE_INFO,     /* waived, attested, not-applicable */
    RK_TONE_MUTED
} rk_tone;

typedef struct rk_cell {
    char *text;       /* valid UTF-8, never NULL */
    rk_tone tone;
    int is_number;    /* XLSX writes a number; PDF/CSV write text */
    double number;
} rk_cell;

typedef struct rk_column {
    char *header;
    double width;     /* relative width (PDF share of the line; XLSX column width in
                         characters) */
    int wrap;         /* long text wraps (always true in PDF) */
    int status;       /* a status column: XLSX adds conditional formats by cell text */
    int input;        /* a column for the reader to fill in (empty, outlined) */
    char **choices;   /* XLSX data-validation list (short ASCII-safe words), or NULL */
    size_t nchoices;
    int date;         /* XLSX: date validation / format for an input column */
} rk_column;

typedef struct rk_rowbuf rk_rowbuf;

/* Makes row r of a generated table (see rk_table_generate) into cells[0..ncols), which
 * arrive empty (text ""). A text is either borrowed from data that outlives the table
 * or made with rk_rowbuf_printf. */
typedef void (*rk_row_fn)(void *ctx, size_t r, rk_cell *cells, rk_rowbuf *b);

typedef struct rk_table {
    char *name;       /* identifier (XLSX table name: letters, digits, _) */
    rk_column *cols;
    size_t ncols;
    rk_cell *cells;   /* row-major, nrows * ncols; NULL for a generated table: read
                         rows with rk_table_cells */
    size_t nrows;
    size_t cap;
    int kv;           /* a key/value list: no header row, first column bold */
    int group_col;    /* >= 0: rows are grouped by this column (XLSX outline, PDF
                         sub-headings); -1 none */
    rk_row_fn gen;    /* generated rows: made when read, never stored */
    void *gen_ctx;
    void (*gen_free)(void *ctx);
    rk_rowbuf *gen_row; /* the row last made, with its texts */
} rk_table;

typedef struct rk_chart {
    char *title;
    char **labels;
    double *values;
    rk_tone *tones;
    size_t n;
} rk_chart;

typedef struct rk_signoff {
    char **roles;     /* one block per role */
    size_t nroles;
    char *statement;  /* what signing means */
    char *role_label; /* XLSX: header of the role column (NULL: "Column1") */
    char *digest_label, *digest;   /* repeated document digest */
    char *name_label, *decision_label, *date_label, *signature_label, *comment_label;
    char **decisions; /* Approved / Approved with conditions / Rejected */
    size_t ndecisions;
} rk_signoff;

typedef struct rk_dzone {
    char *title;
    char **lines;     /* hosts with roles and addresses */
    size_t nlines;
} rk_dzone;

typedef struct rk_dedge {
    size_t from, to;  /* zone indexes; from == to is a flow inside a zone */
    char *label;      /* protocols and ports */
} rk_dedge;

typedef struct rk_diagram {
    char *title;
    rk_dzone *zones;
    size_t nzones;
    rk_dedge *edges;
    size_t nedges;
} rk_diagram;

typedef enum rk_para_style {
    RK_PARA_NORMAL,
    RK_PARA_TITLE,     /* cover title */
    RK_PARA_SUBTITLE,  /* cover subtitle */
    RK_PARA_HEADING,   /* a heading inside a section (not a bookmark) */
    RK_PARA_VERDICT,   /* the verdict sentence, coloured by tone */
    RK_PARA_SMALL,
    RK_PARA_NOTE       /* boxed note */
} rk_para_style;

typedef enum rk_block_type {
    RK_BLOCK_PARA,
    RK_BLOCK_TABLE,
    RK_BLOCK_CHART,
    RK_BLOCK_SIGNOFF,
    RK_BLOCK_DIAGRAM,
    RK_BLOCK_PAGEBREAK, /* PDF only */
    RK_BLOCK_SPACE      /* vertical space (PDF) / an empty row (XLSX) */
} rk_block_type;

typedef struct rk_block {
    rk_block_type type;
    rk_para_style style;
    rk_tone tone;
    char *text;        /* para */
    rk_table *table;
    rk_chart *chart;
    rk_signoff *signoff;
    rk_diagram *diagram;
} rk_block;

#define RK_TARGET_PDF 1u
#define RK_TARGET_XLSX 2u
#define RK_TARGET_ALL 3u

typedef struct rk_section {
    char *title;       /* heading and PDF bookmark; NULL for the cover */
    int level;         /* bookmark level: 0 top, 1 under the previous level-0 section */
    char *sheet;       /* XLSX worksheet name (<= 31 chars, unique) or NULL: sections
                          without a sheet are appended to the previous sheet */
    unsigned targets;  /* RK_TARGET_* */
    int new_page;      /* PDF: start on a new page */
    int landscape;     /* PDF: landscape pages (wide tables) */
    rk_block *blocks;
    size_t nblocks;
} rk_section;

/* A file embedded in the PDF (the evidence a document was made from): the bytes of
 * `file`, which must still have the SHA-256 `sha256` when the PDF is written, or `data`.
 * XLSX and CSV writers ignore attachments. */
typedef struct rk_attachment {
    char *name;        /* file name in the PDF: no folders, unique in the document */
    char *description; /* e.g. "facts:facts/mpe01.json" */
    char *file;        /* read from this path (NULL: data) */
    char *sha256;      /* what file's bytes must hash to */
    char *data;        /* the bytes when file is NULL */
    size_t len;
} rk_attachment;

typedef struct rk_doc {
    /* Metadata: every string valid UTF-8. */
    char *title;        /* "Readiness report" */
    char *subject;
    char *author;       /* "readykit 0.1.0" */
    char *company;      /* customer */
    char *keywords;
    char *lang;         /* "en", "de" */
    int64_t created;    /* the assessment date, seconds since the epoch */
    char *footer_left;  /* e.g. assessment id and document title */
    char *page_format;  /* "Page {n} of {N}" */
    int letter;         /* US Letter paper instead of A4 (the XLSX print setup; the PDF
                           writer takes it from rk_pdf_options) */
    rk_section *sections;
    size_t nsections;
    rk_attachment *attachments; /* PDF: embedded files, in the order added */
    size_t nattachments;
} rk_doc;

rk_doc *rk_doc_new(void);
void rk_doc_free(rk_doc *d);                /* rk_doc_free(NULL) is a no-op */

/* Builders. Strings are copied; returned pointers are borrowed and stay valid until
 * the next call that adds to the same parent (sections) or until rk_doc_free. */
rk_section *rk_doc_section(rk_doc *d, const char *title, int level, const char *sheet,
                           unsigned targets);
void rk_section_para(rk_section *s, rk_para_style style, rk_tone tone, const char *text);
void rk_section_pagebreak(rk_section *s);
void rk_section_space(rk_section *s);
rk_table *rk_section_table(rk_section *s, const char *name, size_t ncols);
rk_chart *rk_section_chart(rk_section *s, const char *title);
rk_signoff *rk_section_signoff(rk_section *s);
rk_diagram *rk_section_diagram(rk_section *s, const char *title);

/* A table outside any section (a CSV file's rows, say); free with rk_table_free. */
rk_table *rk_table_new(const char *name, size_t ncols);
void rk_table_free(rk_table *t); /* NULL is a no-op */
void rk_table_col(rk_table *t, size_t i, const char *header, double width);
/* Appends an empty row and returns its first cell. */
rk_cell *rk_table_row(rk_table *t);
/* Makes t a table of nrows generated rows: fn(ctx, r, ...) makes row r whenever a writer
 * reads it, so that a table of hundreds of thousands of rows is never held in memory
 * whole. fn must give the same row each time. Takes ctx; free_ctx (may be NULL) frees
 * it with the table. Only the XLSX writer reads generated tables: use them in sections
 * with targets RK_TARGET_XLSX. */
void rk_table_generate(rk_table *t, size_t nrows, rk_row_fn fn, void *ctx,
                       void (*free_ctx)(void *ctx));
/* Appends nrows rows made by fn(ctx, r, ...) as stored rows (texts copied): the same
 * row function serves a table the PDF reads too. */
void rk_table_add_rows(rk_table *t, size_t nrows, rk_row_fn fn, void *ctx);
/* Row r of t (stored or generated): ncols cells, valid until the next call for t (a
 * generated row) or until t changes (a stored one). */
const rk_cell *rk_table_cells(const rk_table *t, size_t r);
/* For a row function: a text made for the row being made, valid as long as that row. */
char *rk_rowbuf_printf(rk_rowbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *rk_rowbuf_strdup(rk_rowbuf *b, const char *s);
void rk_cell_set(rk_cell *c, const char *text, rk_tone tone);
void rk_cell_setf(rk_cell *c, rk_tone tone, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rk_cell_number(rk_cell *c, double v, const char *text);
void rk_column_choices(rk_column *c, const char *const *choices, size_t n);
void rk_chart_add(rk_chart *c, const char *label, double value, rk_tone tone);
void rk_signoff_role(rk_signoff *s, const char *role);
void rk_signoff_decision(rk_signoff *s, const char *decision);
size_t rk_diagram_zone(rk_diagram *g, const char *title);
void rk_diagram_zone_line(rk_diagram *g, size_t zone, const char *line);
void rk_diagram_edge(rk_diagram *g, size_t from, size_t to, const char *label);
/* Adds an attachment (strings and data are copied): the file at `file` checked against
 * sha256, or, when file is NULL, the len bytes of data. */
void rk_doc_attach(rk_doc *d, const char *name, const char *description, const char *file,
                   const char *sha256, const void *data, size_t len);

/* Writers. Each writes to a temporary file beside path and renames it into place, so
 * an interrupted or failed run leaves the previous document untouched. On failure
 * they return RK_OUTPUT (or RK_INPUT for a bad font) with a message in err. */
typedef struct rk_pdf_pack rk_pdf_pack;

typedef struct rk_pdf_options {
    int letter;               /* US Letter instead of A4 */
    const char *font;         /* regular TTF (default DejaVu Sans) */
    const char *font_bold;    /* bold TTF (default DejaVu Sans Bold; font when --font) */
    rk_pdf_pack *pack;        /* the attachments' files read, checked and deflated once
                                 for all the PDFs given to rk_pdf_pack_new; NULL: each
                                 PDF reads its own */
} rk_pdf_options;

/* Attachment files shared by several PDFs (a render's two PDFs embed the same inputs):
 * each file is read, checked against its SHA-256 and deflated once, by the first PDF
 * that embeds it, however many PDFs are written at the same time. Free after the last
 * PDF is written. */
rk_pdf_pack *rk_pdf_pack_new(const rk_doc *const *docs, size_t ndocs);
void rk_pdf_pack_free(rk_pdf_pack *p); /* NULL is a no-op */

rk_err rk_pdf_write(const rk_doc *doc, const rk_pdf_options *opt, const char *path,
                    char *err, size_t errlen);
rk_err rk_xlsx_write(const rk_doc *doc, const char *path, char *err, size_t errlen);
/* RFC 4180 CSV of one table, UTF-8, header row, formula-looking cells neutralised. */
rk_err rk_csv_write(const rk_table *t, const char *path, char *err, size_t errlen);

#endif
