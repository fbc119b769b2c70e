/* doc.c - builders of the neutral document model. */
#include "doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define GROW(arr, n, cap)                                                            \
    do {                                                                             \
        if ((n) == (cap)) {                                                          \
            (cap) = (cap) ? (cap) * 2 : 8;                                           \
            (arr) = rk_xrealloc((arr), (cap) * sizeof(*(arr)));                      \
        }                                                                            \
    } while (0)

rk_doc *rk_doc_new(void) { return rk_xcalloc(1, sizeof(rk_doc)); }

/* The row a generated table made last: its cells, and its texts in chunks reused for
 * the next row (no allocation per text once the chunks are large enough). */
struct rk_rowbuf {
    rk_cell *cells;
    char **chunk;
    size_t *size;  /* of each chunk */
    size_t nchunk;
    size_t cur;    /* chunk being filled */
    size_t used;   /* bytes used in chunk cur */
};

static void rowbuf_reset(rk_rowbuf *b)
{
    b->cur = 0;
    b->used = 0;
}

static char *rowbuf_alloc(rk_rowbuf *b, size_t n)
{
    while (b->cur < b->nchunk && b->used + n > b->size[b->cur]) {
        b->cur++;
        b->used = 0;
    }
    if (b->cur == b->nchunk) {
        size_t sz = n > 4096 ? n : 4096;
        b->chunk = rk_xrealloc(b->chunk, (b->nchunk + 1) * sizeof(char *));
        b->size = rk_xrealloc(b->size, (b->nchunk + 1) * sizeof(size_t));
        b->chunk[b->nchunk] = rk_xmalloc(sz);
        b->size[b->nchunk++] = sz;
        b->used = 0;
    }
    char *p = b->chunk[b->cur] + b->used;
    b->used += n;
    return p;
}

char *rk_rowbuf_strdup(rk_rowbuf *b, const char *s)
{
    if (!s) s = "";
    size_t n = strlen(s) + 1;
    return memcpy(rowbuf_alloc(b, n), s, n);
}

char *rk_rowbuf_printf(rk_rowbuf *b, const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    /* straight into the chunk being filled when it has room, else measured first */
    size_t room = b->cur < b->nchunk ? b->size[b->cur] - b->used : 0;
    char *at = room ? b->chunk[b->cur] + b->used : NULL;
    int n = vsnprintf(at, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_end(again);
        return rk_rowbuf_strdup(b, "");
    }
    if ((size_t)n < room) {
        b->used += (size_t)n + 1;
        va_end(again);
        return at;
    }
    char *p = rowbuf_alloc(b, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, again);
    va_end(again);
    return p;
}

void rk_table_generate(rk_table *t, size_t nrows, rk_row_fn fn, void *ctx,
                       void (*free_ctx)(void *ctx))
{
    t->nrows = nrows;
    t->gen = fn;
    t->gen_ctx = ctx;
    t->gen_free = free_ctx;
    t->gen_row = rk_xcalloc(1, sizeof(rk_rowbuf));
    t->gen_row->cells = rk_xcalloc(t->ncols ? t->ncols : 1, sizeof(rk_cell));
}

void rk_table_add_rows(rk_table *t, size_t nrows, rk_row_fn fn, void *ctx)
{
    rk_rowbuf b = {0};
    b.cells = rk_xcalloc(t->ncols ? t->ncols : 1, sizeof(rk_cell));
    for (size_t r = 0; r < nrows; r++) {
        rowbuf_reset(&b);
        for (size_t i = 0; i < t->ncols; i++) b.cells[i] = (rk_cell){(char *)"", RK_TONE_NONE, 0, 0};
        fn(ctx, r, b.cells, &b);
        rk_cell *row = rk_table_row(t);
        for (size_t i = 0; i < t->ncols; i++) {
            rk_cell_set(&row[i], b.cells[i].text, b.cells[i].tone);
            row[i].is_number = b.cells[i].is_number;
            row[i].number = b.cells[i].number;
        }
    }
    for (size_t i = 0; i < b.nchunk; i++) free(b.chunk[i]);
    free(b.chunk);
    free(b.size);
    free(b.cells);
}

const rk_cell *rk_table_cells(const rk_table *t, size_t r)
{
    if (!t->gen) return &t->cells[r * t->ncols];
    rk_rowbuf *b = t->gen_row;
    rowbuf_reset(b);
    for (size_t i = 0; i < t->ncols; i++) b->cells[i] = (rk_cell){(char *)"", RK_TONE_NONE, 0, 0};
    t->gen(t->gen_ctx, r, b->cells, b);
    return b->cells;
}

void rk_table_free(rk_table *t)
{
    if (!t) return;
    if (t->gen_free) t->gen_free(t->gen_ctx);
    if (t->gen_row) {
        for (size_t i = 0; i < t->gen_row->nchunk; i++) free(t->gen_row->chunk[i]);
        free(t->gen_row->chunk);
        free(t->gen_row->size);
        free(t->gen_row->cells);
        free(t->gen_row);
    }
    for (size_t i = 0; i < t->ncols; i++) {
        free(t->cols[i].header);
        rk_strv_free(t->cols[i].choices, t->cols[i].nchoices);
    }
    free(t->cols);
    for (size_t i = 0; t->cells && i < t->nrows * t->ncols; i++) free(t->cells[i].text);
    free(t->cells);
    free(t->name);
    free(t);
}

static void block_free(rk_block *b)
{
    free(b->text);
    rk_table_free(b->table);
    if (b->chart) {
        rk_strv_free(b->chart->labels, b->chart->n);
        free(b->chart->values);
        free(b->chart->tones);
        free(b->chart->title);
        free(b->chart);
    }
    if (b->signoff) {
        rk_signoff *s = b->signoff;
        rk_strv_free(s->roles, s->nroles);
        rk_strv_free(s->decisions, s->ndecisions);
        free(s->statement);
        free(s->digest_label);
        free(s->digest);
        free(s->name_label);
        free(s->decision_label);
        free(s->date_label);
        free(s->signature_label);
        free(s->comment_label);
        free(s->role_label);
        free(s);
    }
    if (b->diagram) {
        rk_diagram *g = b->diagram;
        for (size_t i = 0; i < g->nzones; i++) {
            free(g->zones[i].title);
            rk_strv_free(g->zones[i].lines, g->zones[i].nlines);
        }
        free(g->zones);
        for (size_t i = 0; i < g->nedges; i++) free(g->edges[i].label);
        free(g->edges);
        free(g->title);
        free(g);
    }
}

void rk_doc_free(rk_doc *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->nsections; i++) {
        rk_section *s = &d->sections[i];
        for (size_t j = 0; j < s->nblocks; j++) block_free(&s->blocks[j]);
        free(s->blocks);
        free(s->title);
        free(s->sheet);
    }
    free(d->sections);
    free(d->title);
    free(d->subject);
    free(d->author);
    free(d->company);
    free(d->keywords);
    free(d->lang);
    free(d->footer_left);
    free(d->page_format);
    for (size_t i = 0; i < d->nattachments; i++) {
        rk_attachment *a = &d->attachments[i];
        free(a->name);
        free(a->description);
        free(a->file);
        free(a->sha256);
        free(a->data);
    }
    free(d->attachments);
    free(d);
}

rk_section *rk_doc_section(rk_doc *d, const char *title, int level, const char *sheet,
                           unsigned targets)
{
    d->sections = rk_xrealloc(d->sections, (d->nsections + 1) * sizeof(rk_section));
    rk_section *s = &d->sections[d->nsections++];
    memset(s, 0, sizeof(*s));
    s->title = rk_xstrdup(title);
    s->level = level;
    s->sheet = rk_xstrdup(sheet);
    s->targets = targets;
    return s;
}

static rk_block *add_block(rk_section *s, rk_block_type type)
{
    s->blocks = rk_xrealloc(s->blocks, (s->nblocks + 1) * sizeof(rk_block));
    rk_block *b = &s->blocks[s->nblocks++];
    memset(b, 0, sizeof(*b));
    b->type = type;
    return b;
}

void rk_section_para(rk_section *s, rk_para_style style, rk_tone tone, const char *text)
{
    rk_block *b = add_block(s, RK_BLOCK_PARA);
    b->style = style;
    b->tone = tone;
    b->text = rk_xstrdup(text ? text : "");
}

void rk_section_pagebreak(rk_section *s) { add_block(s, RK_BLOCK_PAGEBREAK); }
void rk_section_space(rk_section *s) { add_block(s, RK_BLOCK_SPACE); }

rk_table *rk_table_new(const char *name, size_t ncols)
{
    rk_table *t = rk_xcalloc(1, sizeof(*t));
    t->name = rk_xstrdup(name ? name : "Table");
    t->ncols = ncols;
    t->cols = rk_xcalloc(ncols ? ncols : 1, sizeof(rk_column));
    for (size_t i = 0; i < ncols; i++) {
        t->cols[i].width = 1;
        t->cols[i].wrap = 1;
    }
    t->group_col = -1;
    return t;
}

rk_table *rk_section_table(rk_section *s, const char *name, size_t ncols)
{
    rk_block *b = add_block(s, RK_BLOCK_TABLE);
    b->table = rk_table_new(name, ncols);
    return b->table;
}

rk_chart *rk_section_chart(rk_section *s, const char *title)
{
    rk_block *b = add_block(s, RK_BLOCK_CHART);
    b->chart = rk_xcalloc(1, sizeof(rk_chart));
    b->chart->title = rk_xstrdup(title ? title : "");
    return b->chart;
}

rk_signoff *rk_section_signoff(rk_section *s)
{
    rk_block *b = add_block(s, RK_BLOCK_SIGNOFF);
    b->signoff = rk_xcalloc(1, sizeof(rk_signoff));
    return b->signoff;
}

rk_diagram *rk_section_diagram(rk_section *s, const char *title)
{
    rk_block *b = add_block(s, RK_BLOCK_DIAGRAM);
    b->diagram = rk_xcalloc(1, sizeof(rk_diagram));
    b->diagram->title = rk_xstrdup(title ? title : "");
    return b->diagram;
}

void rk_table_col(rk_table *t, size_t i, const char *header, double width)
{
    if (i >= t->ncols) return;
    free(t->cols[i].header);
    t->cols[i].header = rk_xstrdup(header ? header : "");
    t->cols[i].width = width;
}

rk_cell *rk_table_row(rk_table *t)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->cells = rk_xrealloc(t->cells, t->cap * t->ncols * sizeof(rk_cell));
    }
    rk_cell *row = &t->cells[t->nrows * t->ncols];
    for (size_t i = 0; i < t->ncols; i++) {
        memset(&row[i], 0, sizeof(rk_cell));
        row[i].text = rk_xstrdup("");
    }
    t->nrows++;
    return row;
}

void rk_cell_set(rk_cell *c, const char *text, rk_tone tone)
{
    free(c->text);
    c->text = rk_xstrdup(text ? text : "");
    c->tone = tone;
    c->is_number = 0;
}

void rk_cell_setf(rk_cell *c, rk_tone tone, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = rk_xvasprintf(fmt, ap);
    va_end(ap);
    free(c->text);
    c->text = text;
    c->tone = tone;
    c->is_number = 0;
}

void rk_cell_number(rk_cell *c, double v, const char *text)
{
    free(c->text);
    c->text = rk_xstrdup(text ? text : "");
    c->is_number = 1;
    c->number = v;
}

void rk_column_choices(rk_column *c, const char *const *choices, size_t n)
{
    c->choices = rk_xcalloc(n ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++) c->choices[i] = rk_xstrdup(choices[i]);
    c->nchoices = n;
}

void rk_chart_add(rk_chart *c, const char *label, double value, rk_tone tone)
{
    c->labels = rk_xrealloc(c->labels, (c->n + 1) * sizeof(char *));
    c->values = rk_xrealloc(c->values, (c->n + 1) * sizeof(double));
    c->tones = rk_xrealloc(c->tones, (c->n + 1) * sizeof(rk_tone));
    c->labels[c->n] = rk_xstrdup(label);
    c->values[c->n] = value;
    c->tones[c->n] = tone;
    c->n++;
}

void rk_signoff_role(rk_signoff *s, const char *role)
{
    s->roles = rk_xrealloc(s->roles, (s->nroles + 1) * sizeof(char *));
    s->roles[s->nroles++] = rk_xstrdup(role);
}

void rk_signoff_decision(rk_signoff *s, const char *decision)
{
    s->decisions = rk_xrealloc(s->decisions, (s->ndecisions + 1) * sizeof(char *));
    s->decisions[s->ndecisions++] = rk_xstrdup(decision);
}

size_t rk_diagram_zone(rk_diagram *g, const char *title)
{
    g->zones = rk_xrealloc(g->zones, (g->nzones + 1) * sizeof(rk_dzone));
    rk_dzone *z = &g->zones[g->nzones];
    memset(z, 0, sizeof(*z));
    z->title = rk_xstrdup(title);
    return g->nzones++;
}

void rk_diagram_zone_line(rk_diagram *g, size_t zone, const char *line)
{
    if (zone >= g->nzones) return;
    rk_dzone *z = &g->zones[zone];
    z->lines = rk_xrealloc(z->lines, (z->nlines + 1) * sizeof(char *));
    z->lines[z->nlines++] = rk_xstrdup(line);
}

void rk_diagram_edge(rk_diagram *g, size_t from, size_t to, const char *label)
{
    g->edges = rk_xrealloc(g->edges, (g->nedges + 1) * sizeof(rk_dedge));
    g->edges[g->nedges].from = from;
    g->edges[g->nedges].to = to;
    g->edges[g->nedges].label = rk_xstrdup(label);
    g->nedges++;
}

void rk_doc_attach(rk_doc *d, const char *name, const char *description, const char *file,
                   const char *sha256, const void *data, size_t len)
{
    d->attachments = rk_xrealloc(d->attachments, (d->nattachments + 1) * sizeof(rk_attachment));
    rk_attachment *a = &d->attachments[d->nattachments++];
    memset(a, 0, sizeof(*a));
    a->name = rk_xstrdup(name);
    a->description = rk_xstrdup(description);
    a->file = rk_xstrdup(file);
    a->sha256 = rk_xstrdup(sha256);
    if (!file) {
        a->data = rk_xmalloc(len ? len : 1);
        if (len) memcpy(a->data, data, len);
        a->len = len;
    }
}
