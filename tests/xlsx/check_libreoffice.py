"""check_libreoffice.py - LibreOffice opens the sample workbook and reads every sheet.

usage: check_libreoffice.py FILE.xlsx ROWS
Converts each sheet to UTF-8 CSV with a throw-away LibreOffice profile and checks that
the hostile strings come back as the text that was written (never evaluated). Exits 77
(skipped) when LibreOffice is not installed.
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile

SHEETS = ["Summary", "Hosts", "Findings", "Remediation", "Manual checks", "Inputs",
          "Sign-off", "Network"]


def main():
    path, rows = os.path.abspath(sys.argv[1]), int(sys.argv[2])
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        print("skipped: LibreOffice is not installed")
        return 77
    work = tempfile.mkdtemp(prefix="rk-lo-")
    try:
        # 44 = comma, 34 = quote, 76 = UTF-8, ..., -1 = every sheet to its own file.
        flt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
        cmd = [office, f"-env:UserInstallation=file://{work}/profile", "--headless",
               "--convert-to", flt, "--outdir", f"{work}/out", path]
        res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=600, check=False)
        out = res.stdout.decode(errors="replace")
        failures = []
        if res.returncode != 0:
            failures.append(f"soffice exit {res.returncode}: {out}")
        base = os.path.splitext(os.path.basename(path))[0]
        sheets = {}
        for name in SHEETS:
            f = f"{work}/out/{base}-{name}.csv"
            if not os.path.exists(f):
                failures.append(f"sheet {name} not converted: {out}")
                continue
            with open(f, newline="", encoding="utf-8") as fp:
                sheets[name] = list(csv.reader(fp))
        if "Findings" in sheets:
            t = sheets["Findings"]
            hdr = next(i for i, r in enumerate(t) if r[:2] == ["Host", "Requirement"])
            actual = [r[4] for r in t[hdr + 1:hdr + 15]]
            want = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "=1+1", "\tTAB", "\rCR",
                    'a,b "quoted"\nsecond line', "_x0041_ stays as written",
                    "<b>&amp; not markup</b>", "Zürich", "Łódź", "Москва", "東京 ☃ 😀"]
            if actual != want:
                failures.append(f"Findings strings as LibreOffice reads them: {actual}")
            data = [r for r in t[hdr + 1:] if r and r[0]]
            if len(data) < rows:
                failures.append(f"Findings has {len(data)} rows, expected {rows}")
            if not t[hdr + 1][5].endswith("…[truncated]"):
                failures.append("long cell not capped")
        if "Sign-off" in sheets:
            roles = [r[0] for r in sheets["Sign-off"]]
            if "Change advisory board" not in roles:
                failures.append(f"Sign-off roles: {roles}")
        if "Summary" in sheets:
            s = sheets["Summary"]
            if ["pass", "120"] not in [r[:2] for r in s]:
                failures.append(f"Summary counts: {s}")
        for f in failures:
            print("FAIL:", f)
        if not failures:
            print(f"ok: LibreOffice read {len(sheets)} sheets of {path}")
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
