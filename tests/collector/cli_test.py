#!/usr/bin/python3
"""cli_test.py - golden command-line tests for readykit-collect (cases in cli_cases.txt):
arguments, exit code, stdout and exact stderr; a failed run leaves no file behind (not
the output named with --out, nor a temporary one)."""
import argparse
import codecs
import os
import shutil
import subprocess
import sys


def load(path):
    cases, cur = [], None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                if cur:
                    cases.append(cur)
                cur = None
                continue
            key, _, val = line.partition(":")
            val = val[1:] if val.startswith(" ") else val
            cur = cur or {"plan": []}
            if key == "plan":
                cur["plan"].append(val)
            else:
                cur[key] = val
    if cur:
        cases.append(cur)
    return cases


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exe", required=True)
    ap.add_argument("--cases", required=True)
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    version = subprocess.run([args.exe, "--version"], stdout=subprocess.PIPE, text=True).stdout.split()[-1]
    failures = 0
    for i, c in enumerate(load(args.cases)):
        d = os.path.join(args.workdir, "case%02d" % i)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        plan = os.path.join(d, "probe.plan")
        if c["plan"]:
            data = "".join(codecs.decode(p, "unicode_escape") + "\n" for p in c["plan"])
            with open(plan, "wb") as f:
                f.write(data.encode("latin-1"))
        sub = lambda s: s.replace("{plan}", plan).replace("{dir}", d).replace("{version}", version)
        argv = [sub(a) for a in c["args"].split()]
        r = subprocess.run([args.exe, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           cwd=d, timeout=30)
        problems = []
        if r.returncode != int(c["exit"]):
            problems.append("exit %d, expected %s" % (r.returncode, c["exit"]))
        want_err = sub(c.get("stderr", ""))
        got_err = r.stderr.decode("utf-8", errors="replace")
        if got_err != (want_err + "\n" if want_err else ""):
            problems.append("stderr %r, expected %r" % (got_err, want_err))
        out = c.get("stdout", "empty")
        if out == "empty" and r.stdout:
            problems.append("stdout not empty: %r" % r.stdout[:200])
        elif out.startswith("starts ") and not r.stdout.decode().startswith(sub(out[7:])):
            problems.append("stdout %r does not start with %r" % (r.stdout[:200], sub(out[7:])))
        left = sorted(f for f in os.listdir(d) if ".tmp-" in f)
        if left:
            problems.append("temporary files left: %s" % left)
        made = sorted(set(os.listdir(d)) - {"probe.plan", "ok.json"})
        if r.returncode != 0 and made:
            problems.append("a failed run left files: %s" % made)
        if c["case"] == "output written":
            with open(os.path.join(d, "ok.json")) as f:
                if '"format": "readykit-facts/1"' not in f.read():
                    problems.append("ok.json is not a fact file")
        for p in problems:
            print("FAIL %s: %s" % (c["case"], p))
        failures += bool(problems)
        if not problems:
            print("ok   %s" % c["case"])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
