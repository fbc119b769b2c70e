"""run_repro.py - the sample writes byte-identical files under different TZ and LC_ALL.

usage: run_repro.py XLSX_SAMPLE OUTDIR [ROWS]
"""
import os
import subprocess
import sys
import time


def run(driver, out, rows, env):
    os.makedirs(out, exist_ok=True)
    cmd = [driver, out] + (["--rows", rows] if rows else [])
    subprocess.run(cmd, env={**os.environ, **env}, check=True)
    return {f: open(os.path.join(out, f), "rb").read()
            for f in ("readiness.xlsx", "findings.csv")}


def main():
    driver, out = sys.argv[1], sys.argv[2]
    rows = sys.argv[3] if len(sys.argv) > 3 else None
    a = run(driver, os.path.join(out, "a"), rows,
            {"TZ": "UTC", "LC_ALL": "C", "LANG": "C"})
    time.sleep(1.1)  # a clock read would now differ
    b = run(driver, os.path.join(out, "b"), rows,
            {"TZ": "Pacific/Chatham", "LC_ALL": "de_DE.UTF-8", "LANG": "de_DE.UTF-8"})
    bad = [f for f in a if a[f] != b[f]]
    for f in bad:
        print(f"FAIL: {f} differs between runs")
    if not bad:
        print("ok: byte-identical under TZ=UTC/LC_ALL=C and TZ=Pacific/Chatham/LC_ALL=de_DE")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
