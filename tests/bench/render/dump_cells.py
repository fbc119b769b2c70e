#!/usr/bin/python3
"""dump_cells.py BOOK.xlsx... > CELLS - the cells of workbooks as plain lines for
xlsx_floor: "W name" starts a workbook, "S name" a sheet, then "ROW COL s TEXT" or
"ROW COL n NUMBER" (0-based; in TEXT, backslash, tab and line feed are escaped)."""
import sys

import openpyxl


def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def main():
    out = sys.stdout
    for path in sys.argv[1:]:
        wb = openpyxl.load_workbook(path, read_only=True)
        out.write("W %s\n" % path.rsplit("/", 1)[-1])
        for ws in wb.worksheets:
            out.write("S %s\n" % esc(ws.title))
            for r, row in enumerate(ws.iter_rows(values_only=True)):
                for c, v in enumerate(row):
                    if v is None:
                        continue
                    if isinstance(v, bool):
                        out.write("%d\t%d\tn\t%d\n" % (r, c, int(v)))
                    elif isinstance(v, (int, float)):
                        out.write("%d\t%d\tn\t%r\n" % (r, c, v))
                    else:
                        out.write("%d\t%d\ts\t%s\n" % (r, c, esc(str(v))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
