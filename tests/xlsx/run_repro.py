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


def german_locale(out):
    """Environment for de_DE.UTF-8: installed, or compiled into OUT with localedef. Fails
    rather than run the second pass silently in the C locale."""
    have = subprocess.run(["locale", "-a"], stdout=subprocess.PIPE).stdout.decode().split()
    if any(l.lower().replace("-", "") == "de_de.utf8" for l in have):
        return {}
    path = os.path.join(out, "locale")
    os.makedirs(path, exist_ok=True)
    subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8", os.path.join(path, "de_DE.UTF-8")],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not os.path.isdir(os.path.join(path, "de_DE.UTF-8")):
        sys.exit("FAIL: no de_DE.UTF-8 locale and localedef could not build one (install locales)")
    return {"LOCPATH": path}


def main():
    driver, out = sys.argv[1], sys.argv[2]
    rows = sys.argv[3] if len(sys.argv) > 3 else None
    if not os.path.isfile("/usr/share/zoneinfo/Pacific/Chatham"):
        sys.exit("FAIL: no time zone data for Pacific/Chatham (install tzdata)")
    german = german_locale(out)
    a = run(driver, os.path.join(out, "a"), rows,
            {"TZ": "UTC", "LC_ALL": "C", "LANG": "C"})
    time.sleep(1.1)  # a clock read would now differ
    b = run(driver, os.path.join(out, "b"), rows,
            {"TZ": "Pacific/Chatham", "LC_ALL": "de_DE.UTF-8", "LANG": "de_DE.UTF-8", **german})
    bad = [f for f in a if a[f] != b[f]]
    for f in bad:
        print(f"FAIL: {f} differs between runs")
    if not bad:
        print("ok: byte-identical under TZ=UTC/LC_ALL=C and TZ=Pacific/Chatham/LC_ALL=de_DE")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
