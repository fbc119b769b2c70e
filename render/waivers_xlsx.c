/* waivers_xlsx.c - a workbook's waiver register as the tree of a waivers file. */
#include "waivers_xlsx.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xlsx_read.h"

#define FIND_ROWS 40 /* the format row is looked for this far down each sheet */

static const char *const KEYS[] = {
    "requirement", "hosts",     "justification", "approved_by", "approved_on", "risk",
    "ticket",      "reference", "scope",         "expires",     NULL};
/* in the order waivers.c checks them: an entry is placed at the first one missing */
static const char *const REQUIRED[] = {"requirement", "hosts",   "justification",
                                       "approved_by", "expires", NULL};

/* The key a heading names: "Words (key)" or "key"; *bracketed says which (caller
 * frees). */
static char *heading_key(const char *text, int *bracketed)
{
    char *t = rk_xstrtrim(text);
    size_t n = strlen(t);
    char *open = n && t[n - 1] == ')' ? strrchr(t, '(') : NULL;
    *bracketed = open != NULL;
    char *key;
    if (open) {
        t[n - 1] = '\0';
        key = rk_xstrtrim(open + 1);
    } else {
        key = rk_xstrdup(t);
    }
    free(t);
    return key;
}

static int key_index(const char *k)
{
    for (int i = 0; KEYS[i]; i++)
        if (!strcmp(KEYS[i], k)) return i;
    return -1;
}

static rk_node *scalar(const char *text, unsigned row, unsigned col)
{
    rk_node *n = rk_xcalloc(1, sizeof(*n));
    n->type = RK_NODE_SCALAR;
    n->value = rk_xstrdup(text);
    n->quoted = 1; /* a cell's text is text: never null, a number or a boolean */
    n->line = (int)row;
    n->col = (int)col;
    return n;
}

static rk_node *container(rk_node_type type, unsigned row, unsigned col)
{
    rk_node *n = rk_xcalloc(1, sizeof(*n));
    n->type = type;
    n->line = (int)row;
    n->col = (int)col;
    return n;
}

static void map_add(rk_node *m, const char *key, rk_node *value)
{
    m->keys = rk_xrealloc(m->keys, (m->count + 1) * sizeof(rk_node *));
    m->items = rk_xrealloc(m->items, (m->count + 1) * sizeof(rk_node *));
    m->keys[m->count] = scalar(key, (unsigned)value->line, (unsigned)value->col);
    m->items[m->count++] = value;
}

static void seq_add(rk_node *s, rk_node *item)
{
    s->items = rk_xrealloc(s->items, (s->count + 1) * sizeof(rk_node *));
    s->items[s->count++] = item;
}

/* The cell at (row, col) among cells sorted by row then column, or NULL. */
static const rk_xcell *cell_at(const rk_xcell *c, size_t n, unsigned row, unsigned col)
{
    for (size_t i = 0; i < n && c[i].row <= row; i++)
        if (c[i].row == row && c[i].col == col) return &c[i];
    return NULL;
}

static int cmp_cells(const void *x, const void *y)
{
    const rk_xcell *a = x, *b = y;
    if (a->row != b->row) return a->row < b->row ? -1 : 1;
    return a->col < b->col ? -1 : a->col > b->col;
}

/* The row of the register's format cell among cells, or 0: a heading ending in
 * "(format)" (or "format") with a readykit format beside it. */
static unsigned find_format(const rk_xcell *c, size_t n, unsigned *col)
{
    for (size_t i = 0; i < n; i++) {
        int br;
        char *k = heading_key(c[i].text, &br);
        int hit = !strcmp(k, "format");
        free(k);
        if (!hit) continue;
        const rk_xcell *v = cell_at(c, n, c[i].row, c[i].col + 1);
        if (v && !strncmp(v->text, "readykit-", 9)) {
            *col = c[i].col + 1;
            return c[i].row;
        }
    }
    return 0;
}

/* The value of a cell as the key wants it. */
static char *value_of(const rk_xbook *b, const char *key, const rk_xcell *c)
{
    char date[11];
    if (c->is_number && (!strcmp(key, "expires") || !strcmp(key, "approved_on")) &&
        rk_xlsx_serial_date(b, c->value, date) == 0)
        return rk_xstrdup(date);
    char *v = rk_xstrtrim(c->text);
    if (strcmp(key, "hosts") != 0 || !strpbrk(v, "\r\n")) return v;
    /* one host a line in the cell, like commas */
    rk_buf out = {0};
    rk_buf_add(&out, "", 0);
    for (char *p = v; *p;) {
        size_t n = strcspn(p, "\r\n");
        char *part = rk_xstrndup(p, n), *t = rk_xstrtrim(part);
        if (*t) rk_buf_printf(&out, "%s%s", out.len ? ", " : "", t);
        free(t);
        free(part);
        p += n;
        p += strspn(p, "\r\n");
    }
    free(v);
    return rk_buf_take(&out);
}

/* The tree of the register whose format cell is at (frow, fcol); cells sorted. NULL
 * with d filled when the heading row is missing or wrong. */
static rk_node *build(const char *path, const rk_xbook *b, const char *sheet, const rk_xcell *c,
                      size_t n, unsigned frow, unsigned fcol, rk_diag *d)
{
    rk_node *root = container(RK_NODE_MAP, 1, 1);
    const rk_xcell *fv = cell_at(c, n, frow, fcol);
    map_add(root, "format", scalar(fv->text, frow, fcol));

    /* below the format row: the schema row, then the heading row */
    unsigned hrow = 0;
    for (size_t i = 0; i < n && !hrow; i++) {
        if (c[i].row <= frow) continue;
        int br;
        char *k = heading_key(c[i].text, &br);
        if (!strcmp(k, "schema") && !rk_node_get(root, "schema")) {
            const rk_xcell *v = cell_at(c, n, c[i].row, c[i].col + 1);
            if (v) map_add(root, "schema", scalar(v->text, v->row, v->col));
        } else if (key_index(k) >= 0) {
            hrow = c[i].row;
        }
        free(k);
    }
    if (!hrow) {
        rk_node_free(root);
        rk_diag_set(d, path, (int)frow, 1,
                    "sheet '%s' has no heading row below its format row; expected the column "
                    "headings of the register, such as 'Requirement (requirement)'",
                    sheet);
        return NULL;
    }

    /* which key each column holds (-1: none) */
    unsigned ncols = 0;
    for (size_t i = 0; i < n; i++)
        if (c[i].col > ncols) ncols = c[i].col;
    int *col_key = rk_xcalloc(ncols + 1, sizeof(int));
    for (unsigned k = 0; k <= ncols; k++)
        col_key[k] = -1;
    unsigned first_col = 0;
    for (size_t i = 0; i < n; i++) {
        if (c[i].row != hrow) continue;
        int br;
        char *k = heading_key(c[i].text, &br);
        int ki = key_index(k);
        char where[16];
        rk_xlsx_cell_name(c[i].row, c[i].col, where, sizeof where);
        if (ki < 0 && br) {
            int changed; /* a heading may hold control characters: not into a message */
            char *h = rk_utf8_sanitize(c[i].text, 0, &changed),
                 *hk = rk_utf8_sanitize(k, 0, &changed);
            rk_diag_set(d, path, (int)c[i].row, (int)c[i].col,
                        "column heading '%s' names the key '%s', which a waiver does not have; "
                        "expected one of: requirement, hosts, justification, approved_by, "
                        "approved_on, risk, ticket, scope, expires (sheet '%s', cell %s)",
                        h, hk, sheet, where);
            free(h);
            free(hk);
        }
        for (unsigned j = 0; ki >= 0 && j <= ncols && !d->msg[0]; j++) {
            if (col_key[j] != ki) continue;
            char other[16];
            rk_xlsx_cell_name(c[i].row, j, other, sizeof other);
            rk_diag_set(d, path, (int)c[i].row, (int)c[i].col,
                        "the key '%s' heads two columns, %s and %s; expected each key once "
                        "(sheet '%s', cell %s)",
                        k, other, where, sheet, where);
        }
        free(k);
        if (d->msg[0]) {
            free(col_key);
            rk_node_free(root);
            return NULL;
        }
        if (ki >= 0) {
            col_key[c[i].col] = ki;
            if (!first_col) first_col = c[i].col;
        }
    }

    rk_node *list = container(RK_NODE_SEQ, hrow, first_col);
    map_add(root, "waivers", list);
    size_t i = 0;
    while (i < n && c[i].row <= hrow)
        i++;
    while (i < n) {
        unsigned row = c[i].row;
        rk_node *e = container(RK_NODE_MAP, row, first_col);
        for (; i < n && c[i].row == row; i++) {
            int ki = col_key[c[i].col];
            if (ki < 0) continue;
            char *v = value_of(b, KEYS[ki], &c[i]);
            if (*v) map_add(e, KEYS[ki], scalar(v, row, c[i].col));
            free(v);
        }
        if (!e->count) { /* an empty row, or notes only */
            rk_node_free(e);
            continue;
        }
        /* placed at the first required key it lacks, so that the message names that cell */
        for (size_t r = 0; REQUIRED[r]; r++) {
            if (rk_node_get(e, REQUIRED[r])) continue;
            for (unsigned k = 0; k <= ncols; k++)
                if (col_key[k] >= 0 && !strcmp(KEYS[col_key[k]], REQUIRED[r])) e->col = (int)k;
            break;
        }
        seq_add(list, e);
    }
    free(col_key);
    return root;
}

rk_node *rk_waivers_xlsx_tree(const char *path, char sha256[65], char **sheet, rk_diag *d)
{
    *sheet = NULL;
    rk_xbook *b = rk_xlsx_open(path, sha256, d);
    if (!b) return NULL;
    rk_xcell *c = NULL;
    size_t n = 0, si = 0;
    unsigned frow = 0, fcol = 0;
    for (si = 0; si < rk_xlsx_nsheets(b) && !frow; si++) {
        if (rk_xlsx_sheet_cells(b, si, FIND_ROWS, &c, &n, d) != RK_OK) {
            rk_xlsx_close(b);
            return NULL;
        }
        qsort(c, n, sizeof(rk_xcell), cmp_cells);
        frow = find_format(c, n, &fcol);
        rk_xlsx_cells_free(c, n);
        c = NULL;
    }
    if (!frow) {
        rk_diag_set(d, path, 0, 0,
                    "no sheet of the workbook holds a waiver register; expected a sheet with a "
                    "row 'Format (format)' and readykit-waivers/1 beside it, as the Waivers "
                    "sheet of readiness.xlsx has");
        rk_xlsx_close(b);
        return NULL;
    }
    si--;
    if (rk_xlsx_sheet_cells(b, si, 0, &c, &n, d) != RK_OK) {
        rk_xlsx_close(b);
        return NULL;
    }
    qsort(c, n, sizeof(rk_xcell), cmp_cells);
    const char *name = rk_xlsx_sheet_name(b, si);
    d->msg[0] = '\0';
    rk_node *root = build(path, b, name, c, n, frow, fcol, d);
    if (root) *sheet = rk_xstrdup(name);
    rk_xlsx_cells_free(c, n);
    rk_xlsx_close(b);
    return root;
}

void rk_waivers_xlsx_where(rk_diag *d, const char *sheet)
{
    if (d->line <= 0 || d->col <= 0 || strstr(d->msg, "(sheet '")) return;
    char where[16];
    rk_xlsx_cell_name((unsigned)d->line, (unsigned)d->col, where, sizeof where);
    size_t len = strlen(d->msg);
    snprintf(d->msg + len, sizeof d->msg - len, " (sheet '%s', cell %s)", sheet, where);
}
