"""check_xlsx.py - reads the sample workbook back with openpyxl and checks its structure.

usage: check_xlsx.py FILE.xlsx ROWS normal|constant_memory
"""
import datetime
import re
import sys
import zipfile

import openpyxl

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def header_row(ws, first_header):
    """Row number (1-based) whose column A holds first_header and column B is filled."""
    for row in ws.iter_rows(min_col=1, max_col=2):
        if row[0].value == first_header and row[1].value is not None:
            return row[0].row
    return None


def main():
    path, rows, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    cm = mode == "constant_memory"
    wb = openpyxl.load_workbook(path)
    zf = zipfile.ZipFile(path)

    # Sheets: every XLSX section, the PDF-only one skipped.
    expected = ["Summary", "Hosts", "Findings", "Remediation", "Manual checks", "Inputs",
                "Sign-off", "Network"]
    check(wb.sheetnames == expected, f"sheets {wb.sheetnames}")

    # Document properties.
    p = wb.properties
    check(p.title == "Readiness report", f"title {p.title!r}")
    check(p.subject == "Pre-migration readiness assessment", f"subject {p.subject!r}")
    check(p.creator == "readykit 0.1.0", f"creator {p.creator!r}")
    check(p.created == datetime.datetime(2024, 6, 1, 12, 0, 0), f"created {p.created!r}")
    app = zf.read("docProps/app.xml").decode()
    check("<Company>Zürich Bank AG</Company>" in app, "company")

    # No formula anywhere: neither in cells openpyxl reads nor in the raw XML.
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                check(c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula")
    for name in zf.namelist():
        if name.startswith("xl/worksheets/sheet"):
            check(b"<f>" not in zf.read(name) and b"<f " not in zf.read(name),
                  f"{name} has a formula element")

    # Print setup on every sheet.
    for ws in wb.worksheets:
        ps = ws.page_setup
        check(ps.orientation == "landscape", f"{ws.title}: orientation {ps.orientation}")
        check(ws.sheet_properties.pageSetUpPr is not None and
              ws.sheet_properties.pageSetUpPr.fitToPage, f"{ws.title}: fit to page")
        check(str(ps.fitToWidth) in ("1", "None") and str(ps.fitToHeight) == "0",
              f"{ws.title}: fit {ps.fitToWidth}x{ps.fitToHeight}")
        check(ws.print_title_rows is not None, f"{ws.title}: no print title rows")
        check("&P" in (ws.oddFooter.right.text or ""), f"{ws.title}: footer page number")

    # Tables: names valid and unique across the workbook.
    all_tables = []
    for ws in wb.worksheets:
        for tbl in ws.tables.values():
            name = tbl.name
            all_tables.append(name.lower())
            check(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name) is not None,
                  f"table name {name!r}")
            check(tbl.autoFilter is not None, f"table {name} has no autofilter")
    check(len(all_tables) == len(set(all_tables)), f"duplicate table names {all_tables}")
    if cm:
        check(not all_tables, "tables in constant_memory mode")
    else:
        check(len(all_tables) == 8, f"tables {all_tables}")

    # Findings: main table, frozen header, autofilter, status colours, hostile text.
    ws = wb["Findings"]
    hdr = header_row(ws, "Host")
    check(hdr == 3, f"Findings header row {hdr}")
    heads = [ws.cell(hdr, c).value for c in range(1, 8)]
    check(heads == ["Host", "Requirement", "Status", "Expected", "Actual", "Message",
                    "Duration ms"], f"Findings headers {heads}")
    last = hdr + rows
    ref = f"A{hdr}:G{last}"
    if cm:
        check(ws.auto_filter.ref == ref, f"Findings autofilter {ws.auto_filter.ref}")
    else:
        check("Findings" in ws.tables and ws.tables["Findings"].ref == ref,
              f"Findings table {ws.tables.items()}")
        check(ws.tables["Findings"].tableStyleInfo.name == "TableStyleMedium2", "style")
    check(ws.freeze_panes == f"A{hdr + 1}", f"Findings freeze {ws.freeze_panes}")
    check(ws.print_title_rows in (f"{hdr}:{hdr}", f"${hdr}:${hdr}"),
          f"Findings print titles {ws.print_title_rows}")
    check(ws.column_dimensions["F"].width >= 59, "Findings message width")
    check(ws.cell(hdr + 5, 6).alignment.wrap_text, "Findings message wraps")
    cf = {}
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            cf[rule.formula[0] if rule.formula else None] = (str(rng.sqref), rule)
    for status, fill in [("pass", "C6EFCE"), ("fail", "FFC7CE"), ("warn", "FFEB9C"),
                         ("unknown", "D9E1F2"), ("manual", "D9E1F2"), ("waived", "E7E6E6")]:
        key = f'"{status}"'
        check(key in cf, f"no conditional format for {status}")
        if key in cf:
            sq, rule = cf[key]
            check(sq == f"C{hdr + 1}:C{last}", f"{status} range {sq}")
            check(rule.operator == "equal", f"{status} operator")
            colour = rule.dxf.fill.bgColor.rgb if rule.dxf and rule.dxf.fill else None
            check(colour is not None and colour.endswith(fill), f"{status} fill {colour}")
    # Status cells carry no static fill (the conditional format colours them).
    check(ws.cell(hdr + 1, 3).fill.fill_type is None, "status cell has a static fill")
    # Hostile strings are text.
    actual = [ws.cell(hdr + 1 + i, 5).value for i in range(14)]
    # libxlsxwriter stores CR as the escape _x000D_, which Excel and LibreOffice decode
    # and openpyxl does not.
    for want in ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "=1+1", "\tTAB", "_x000D_CR",
                 'a,b "quoted"\nsecond line', "<b>&amp; not markup</b>", "Zürich", "Łódź",
                 "Москва", "東京 ☃ 😀"]:
        check(want in actual, f"hostile string {want!r} not kept: {actual}")
        for i, v in enumerate(actual):
            if v == want:
                check(ws.cell(hdr + 1 + i, 5).data_type == "s", f"{want!r} is not a string")
    # A literal "_x0041_" is stored as "_x005F_x0041_" so that readers that decode
    # _xHHHH_ escapes (Excel, LibreOffice) show it as written. openpyxl decodes that
    # escape in shared strings but not in the inline strings of constant_memory mode.
    check(("_x005F_x0041_ stays as written" if cm else "_x0041_ stays as written") in actual,
          "_xHHHH_ not escaped")
    # 40,000 characters capped at 32,767 UTF-16 units with a marker.
    big = ws.cell(hdr + 1, 6).value
    check(utf16_len(big) <= 32767 and big.endswith("…[truncated]")
          and big.startswith("Zürich Zürich"), f"long string {len(big)}")
    check(utf16_len(big) > 32700, f"long string cut too short {utf16_len(big)}")
    emoji = ws.cell(hdr + 2, 6).value
    check(utf16_len(emoji) <= 32767 and emoji.endswith("…[truncated]")
          and "\ufffd" not in emoji, f"emoji string {utf16_len(emoji)}")
    bad = ws.cell(hdr + 3, 6).value
    check(bad == "bad \ufffd\ufffd bytes and a \ufffd control", f"invalid UTF-8 {bad!r}")
    num = ws.cell(hdr + 1, 7)
    check(num.data_type == "n" and num.value == -3, f"number cell {num.value!r}")
    # The section appended without a sheet follows the table.
    check(ws.cell(last + 3, 1).value == "Statuses: pass, fail, warn, unknown.",
          f"appended section {ws.cell(last + 2, 1).value!r} {ws.cell(last + 3, 1).value!r}")

    # Summary: verdict coloured, key/value list, chart over the counts.
    ws = wb["Summary"]
    check(ws["A1"].value == "Readiness report" and ws["A1"].font.b, "Summary title")
    check(ws["A3"].value == "Not ready: 3 requirements fail."
          and ws["A3"].fill.fgColor.rgb.endswith("FFC7CE"), "verdict fill")
    check(ws["A4"].value == "Customer" and ws["A4"].font.b and ws["B4"].value == "Zürich Bank AG",
          "key/value rows")
    check(ws["B6"].data_type == "n" and ws["B6"].value == 8, "kv number")
    check(ws["B7"].value == '=HYPERLINK("http://x")' and ws["B7"].data_type == "s",
          "kv hostile value")
    check(ws["A8"].value is None, "empty row after the key/value list")
    check(ws["A9"].value == "Findings by status", f"chart title {ws['A9'].value!r}")
    labels = [ws.cell(r, 1).value for r in range(10, 15)]
    counts = [ws.cell(r, 2).value for r in range(10, 15)]
    check(labels[0] == "pass" and counts == [120, 3, 7, 11, 5], f"chart data {labels} {counts}")
    charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
    check(len(charts) == 1, f"charts {charts}")
    if charts:
        xml = zf.read(charts[0]).decode()
        check("<c:barChart>" in xml and "Summary!$B$10:$B$14" in xml and
              "Summary!$A$10:$A$14" in xml and "Summary!$A$9" in xml, "chart series ranges")
    note = [c.value for c in ws["A"] if c.value and str(c.value).startswith("Every finding")]
    check(len(note) == 1, "note paragraph")
    if not cm:
        check(any(str(r).startswith("A") for r in ws.merged_cells.ranges), "merged paragraph")

    # Remediation: one table row per action (the host is a column; no group rows
    # inside the table, which would break sorting and filtering), input columns, dates.
    ws = wb["Remediation"]
    hdr = header_row(ws, "Host")
    check(hdr == 2, f"Remediation header {hdr}")
    check(ws.freeze_panes == f"A{hdr + 1}", f"Remediation freeze {ws.freeze_panes}")
    r = hdr + 1
    for h, n in zip(["mig01", "sql01", "Zürich-dc01", "Łódź-ex01", "Москва-ex02"], range(3, 8)):
        for k in range(n):
            check(ws.cell(r, 1).value == h, f"Remediation A{r} {ws.cell(r, 1).value!r}")
            check(not ws.row_dimensions[r].outline_level, f"Remediation row {r} is outlined")
            r += 1
    check(len(ws.tables) == (0 if cm else 1), f"Remediation tables {list(ws.tables)}")
    for table in ws.tables.values():  # constant_memory mode writes no Excel tables
        check(table.ref.endswith(str(r - 1)), f"Remediation table {table.ref} ends at row {r - 1}")
    owner, due = ws.cell(hdr + 1, 4), ws.cell(hdr + 1, 5)
    check(owner.fill.fgColor.rgb.endswith("FFF2CC") and owner.protection.locked is False,
          "owner input cell")
    check(due.number_format == "yyyy-mm-dd" and due.protection.locked is False, "due date cell")
    prefilled = ws.cell(hdr + 2, 5)
    check(isinstance(prefilled.value, datetime.datetime) and
          prefilled.value.date() == datetime.date(2024, 7, 15), f"date {prefilled.value!r}")
    dvs = {dv.type: dv for dv in ws.data_validations.dataValidation}
    check("date" in dvs and str(dvs["date"].sqref) == f"E{hdr + 1}:E{r - 1}",
          f"date validation {[(d.type, str(d.sqref)) for d in dvs.values()]}")
    check(ws.cell(hdr + 1, 3).value == "=cmd|' /C calc'!A0", "DDE string kept")

    # Manual checks: non-ASCII choices through a hidden helper range.
    ws = wb["Manual checks"]
    hdr = header_row(ws, "Requirement")
    heads = [ws.cell(hdr, c).value for c in range(1, 6)]
    check(heads == ["Requirement", "Host", "What to check", "Result", "Result (2)"],
          f"unique headers {heads}")
    dv = [d for d in ws.data_validations.dataValidation if d.type == "list"]
    check(len(dv) == 1, "manual checks list validation")
    if dv:
        m = re.fullmatch(r"\$([A-Z]+)\$1:\$([A-Z]+)\$1", dv[0].formula1 or "")
        check(m is not None, f"helper formula {dv[0].formula1!r}")
        if m:
            vals = [c.value for c in ws[f"{m.group(1)}1:{m.group(2)}1"][0]]
            check(vals == ["Erfüllt", "Nicht erfüllt", "Offen"], f"helper values {vals}")
            check(ws.column_dimensions[m.group(1)].hidden, "helper column hidden")
        check(str(dv[0].sqref) == f"D{hdr + 1}:D{hdr + 6}", f"list range {dv[0].sqref}")
    check(ws.cell(hdr + 1, 3).fill.fgColor.rgb.endswith("D9E1F2"), "static tone fill")

    # Sign-off: statement, digest, decision drop-down.
    ws = wb["Sign-off"]
    check(ws["A1"].value == "Sign-off" and ws["A1"].font.b, "section heading")
    check(str(ws["A2"].value).startswith("By signing"), "statement")
    check(ws["A3"].value == "Document digest (SHA-256)" and len(ws["B3"].value) == 64, "digest")
    hdr = header_row(ws, "Role")
    check(hdr == 4, f"Sign-off header {hdr}")
    check([ws.cell(hdr, c).value for c in range(1, 6)] ==
          ["Role", "Name", "Decision", "Date", "Comment"], "sign-off headers")
    check([ws.cell(hdr + i, 1).value for i in range(1, 4)] ==
          ["Migration consultant", "Customer project manager", "Change advisory board"], "roles")
    lists = [d for d in ws.data_validations.dataValidation if d.type == "list"]
    check(len(lists) == 1 and lists[0].formula1 ==
          '"Approved,Approved with conditions,Rejected"' and
          str(lists[0].sqref) == f"C{hdr + 1}:C{hdr + 3}",
          f"decision list {[(d.formula1, str(d.sqref)) for d in lists]}")
    check(lists and lists[0].showDropDown in (None, False), "drop-down shown")
    dates = [d for d in ws.data_validations.dataValidation if d.type == "date"]
    check(len(dates) == 1 and str(dates[0].sqref) == f"D{hdr + 1}:D{hdr + 3}", "sign-off date")

    # Network: zones and flows.
    ws = wb["Network"]
    check(ws["A1"].value == "Network" and ws["A2"].value == "Zones and flows", "network title")
    check(ws["A3"].value == "Source (Zürich)" and "Łódź-ex01" in ws["B3"].value, "zone row")
    check([ws["A6"].value, ws["B6"].value, ws["C6"].value] ==
          ["Source (Zürich)", "Target", "TCP 443, 80"], "edge row")
    check(ws["A8"].value is None and ws["A9"].value is None, "empty rows")
    check(ws["A10"].value == "@SUM(A1)" and ws["A10"].data_type == "s", "hostile paragraph")

    if FAILURES:
        for f in FAILURES:
            print("FAIL:", f)
        return 1
    print(f"ok: {path} ({mode}, {rows} findings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
