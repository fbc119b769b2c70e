"""check_edge.py - reads the edge-case workbooks of `xlsx_sample --edge DIR` back.

usage: check_edge.py DIR
"""
import datetime
import sys

import openpyxl


def main():
    d = sys.argv[1]
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)

    wb = openpyxl.load_workbook(f"{d}/edge-empty.xlsx")
    check(wb.sheetnames == ["Sheet1"], f"empty document sheets {wb.sheetnames}")
    check(wb.properties.created == datetime.datetime(1980, 1, 1), "created 0 -> 1980-01-01")

    wb = openpyxl.load_workbook(f"{d}/edge-names.xlsx")
    want = ["Sheet1", "Findings", "findings (2)", "a_b_c___x_", "_quoted_", "History 6",
            "A name that is much longer than", "Zürich Łódź Москва 東京 東京 東京 東京"]
    check(wb.sheetnames == want, f"sheet names {wb.sheetnames}")
    for name in wb.sheetnames:
        check(len(name.encode("utf-16-le")) // 2 <= 31, f"sheet name too long: {name}")
    ws = wb.worksheets[-1]
    tables = {t.name: t for t in ws.tables.values()}
    check(sorted(tables) == sorted(["T_Table", "T_1abc", "T_R1C1", "_n_code", "T_XFD1048576",
                                    "T_Print_Area", "ok.name"]), f"table names {sorted(tables)}")
    footer = ws.oddFooter.left.text or ""
    check(footer and set(footer) == {"&"} and len(footer) <= 100, f"footer {footer[:20]!r}")
    check((ws.oddHeader.center.text or "").startswith("ÜÜÜ"), "header")
    for t in tables.values():
        cols = [c.name for c in t.tableColumns]
        check(cols == ["Column1", "Same", "same (2)"], f"{t.name} columns {cols}")
    rows = list(ws.iter_rows(values_only=True))
    check(("not a number", "tone out of range", "=1+1") in rows, f"guarded values {rows}")
    for row in ws.iter_rows():
        for c in row:
            check(c.data_type != "f", f"formula in {c.coordinate}")
            if c.value == "tone out of range":
                check(c.fill.fill_type is None, "fill for an unknown tone")

    for f in failures:
        print("FAIL:", f)
    if not failures:
        print("ok: edge cases")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
