"""check_csv.py - reads the sample findings CSV back with Python's csv module.

usage: check_csv.py FILE.csv ROWS
"""
import csv
import io
import sys

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)


def record_ends_ok(text):
    """Outside quoted fields every line break is CRLF (RFC 4180)."""
    quoted = False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "\n" and (i == 0 or text[i - 1] != "\r"):
            return f"bare LF at offset {i}"
        elif not quoted and ch == "\r" and text[i + 1:i + 2] != "\n":
            return f"bare CR at offset {i}"
    return None if not quoted else "unterminated quoted field"


def main():
    path, rows = sys.argv[1], int(sys.argv[2])
    raw = open(path, "rb").read()
    check(not raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark")
    check(raw.endswith(b"\r\n"), "last record not ended by CRLF")
    text = raw.decode("utf-8")  # raises on invalid UTF-8
    bad = record_ends_ok(text)
    check(bad is None, f"line ends: {bad}")

    table = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    check(table[0] == ["Host", "Requirement", "Status", "Expected", "Actual", "Message",
                       "Duration ms"], f"header {table[0]}")
    check(len(table) == rows + 1, f"{len(table)} records")
    actual = [r[4] for r in table[1:15]]
    want = ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'=1+1", "'\tTAB", "'\rCR",
            'a,b "quoted"\nsecond line', "_x0041_ stays as written",
            "<b>&amp; not markup</b>", "Zürich", "Łódź", "Москва", "東京 ☃ 😀"]
    check(actual == want, f"hostile strings {actual}")
    # Every field that a spreadsheet would read as a formula is neutralised, except
    # number cells holding a plain number.
    for n, rec in enumerate(table):
        for c, field in enumerate(rec):
            if field[:1] in ("=", "+", "-", "@", "\t", "\r"):
                check(c == 6 and field.lstrip("-").isdigit(), f"record {n} field {c}: {field!r}")
    check(table[1][6] == "-3" and table[4][6] == "0", "numbers kept")
    check(len(table[1][5]) > 40000 and table[1][5].startswith("Zürich"), "long field kept")
    check(table[3][5] == "bad \ufffd\ufffd bytes and a \ufffd control", f"guard {table[3][5]!r}")
    # Quoting is minimal: a field without comma, quote, CR or LF is not quoted.
    check("\r\nmig01,REQ-001,pass,>= 4," in text, "unneeded quotes")
    check('"\'=HYPERLINK(""http://x"")"' in text, "quote doubling")

    if FAILURES:
        for f in FAILURES:
            print("FAIL:", f)
        return 1
    print(f"ok: {path} ({rows} records)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
