/* csv.c - writes one table of the document model as RFC 4180 CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "util.h"

/* 1 when text is a plain decimal number ("-12", "3.5"): a number cell that reads as
 * the same number in any spreadsheet, so it needs no neutralising. */
static int plain_number(const char *s)
{
    if (*s == '-') s++;
    if (*s < '0' || *s > '9') return 0;
    while (*s >= '0' && *s <= '9') s++;
    if (*s == '.') {
        s++;
        if (*s < '0' || *s > '9') return 0;
        while (*s >= '0' && *s <= '9') s++;
    }
    return *s == '\0';
}

/* 1 when s holds a C0 control other than tab/LF/CR, DEL, or a C1 control. */
static int has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7F) return 1;
        if (*p == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0) return 1;
    }
    return 0;
}

/* Writes one field. Invalid UTF-8 and control characters other than tab, LF and CR
 * become U+FFFD (the model should already be clean; this is a guard).
 *
 * Formula injection: a spreadsheet that opens the CSV would evaluate a field that
 * starts with '=', '+', '-' or '@' (and, in some, one starting with tab or CR) as a
 * formula. Following the OWASP "CSV Injection" guidance such a field is neutralised by
 * a leading apostrophe, which spreadsheets show as text and scripts can strip. The one
 * exception is a number cell whose text is a plain decimal number ("-3"): it is data,
 * not a formula, and stays as it is. Then the field is quoted when it contains a
 * comma, a quote, CR or LF, with quotes doubled (RFC 4180). */
static void put_field(FILE *fp, const rk_cell *cell)
{
    const char *text = cell && cell->text ? cell->text : "";
    char *clean = NULL;
    if (!rk_utf8_valid(text, strlen(text), NULL) || has_control(text)) {
        clean = rk_utf8_sanitize(text, 1, NULL);
        text = clean;
    }
    int neutralise = text[0] != '\0' && strchr("=+-@\t\r", text[0]) &&
                     !(cell && cell->is_number && plain_number(text));
    int quote = strpbrk(text, ",\"\r\n") != NULL;
    if (quote) fputc('"', fp);
    if (neutralise) fputc('\'', fp);
    for (const char *p = text; *p; p++) {
        if (*p == '"') fputc('"', fp);
        fputc(*p, fp);
    }
    if (quote) fputc('"', fp);
    free(clean);
}

rk_err rk_csv_write(const rk_table *t, const char *path, char *err, size_t errlen)
{
    rk_out o;
    if (rk_out_open(&o, path, err, errlen)) return RK_OUTPUT;
    for (size_t c = 0; c < t->ncols; c++) {
        rk_cell h = {.text = t->cols[c].header ? t->cols[c].header : ""};
        if (c) fputc(',', o.fp);
        put_field(o.fp, &h);
    }
    if (t->ncols) fputs("\r\n", o.fp);
    for (size_t r = 0; r < t->nrows && !ferror(o.fp); r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            if (c) fputc(',', o.fp);
            put_field(o.fp, &t->cells[r * t->ncols + c]);
        }
        fputs("\r\n", o.fp);
    }
    /* rk_out_commit reports a write error (ferror) and removes the temporary. */
    return rk_out_commit(&o, err, errlen) ? RK_OUTPUT : RK_OK;
}
