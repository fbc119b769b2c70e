/* xlsx_floor.c - the floor for the renderer's XLSX writing: libxlsxwriter writing the
 * same cells (from dump_cells.py) with nothing else, no formats, no widths.
 *
 *   xlsx_floor CELLS OUTDIR [--parse-only]
 *
 * Writes OUTDIR/<name> for each workbook in CELLS; --parse-only reads CELLS and writes
 * nothing, so that the reading can be subtracted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

static void unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            *o++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: xlsx_floor CELLS OUTDIR [--parse-only]\n");
        return 2;
    }
    int write = !(argc > 3 && strcmp(argv[3], "--parse-only") == 0);
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    lxw_workbook *wb = NULL;
    lxw_worksheet *ws = NULL;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long cells = 0;
    while ((n = getline(&line, &cap, in)) > 0) {
        if (line[n - 1] == '\n') line[--n] = '\0';
        if (line[0] == 'W' && line[1] == ' ') {
            if (wb && workbook_close(wb) != LXW_NO_ERROR) return 1;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[2], line + 2);
            wb = write ? workbook_new(path) : NULL;
            ws = NULL;
        } else if (line[0] == 'S' && line[1] == ' ') {
            unescape(line + 2);
            ws = wb ? workbook_add_worksheet(wb, line + 2) : NULL;
        } else {
            char *f[4];
            f[0] = line;
            for (int i = 1; i < 4; i++) {
                f[i] = strchr(f[i - 1], '\t');
                if (!f[i]) {
                    fprintf(stderr, "bad line: %s\n", line);
                    return 1;
                }
                *f[i]++ = '\0';
            }
            lxw_row_t r = (lxw_row_t)strtoul(f[0], NULL, 10);
            lxw_col_t c = (lxw_col_t)strtoul(f[1], NULL, 10);
            cells++;
            if (f[2][0] == 'n') {
                double v = strtod(f[3], NULL);
                if (ws) worksheet_write_number(ws, r, c, v, NULL);
            } else {
                unescape(f[3]);
                if (ws) worksheet_write_string(ws, r, c, f[3], NULL);
            }
        }
    }
    if (wb && workbook_close(wb) != LXW_NO_ERROR) return 1;
    free(line);
    fclose(in);
    fprintf(stderr, "xlsx_floor: %ld cells\n", cells);
    return 0;
}
