#!/usr/bin/env python3
"""check_refusal.py - a golden-file rewrite switch is refused under CI: runs COMMAND with
CI=1 and the switch set, and passes only when the command fails, says why (TEXT in its
output) and leaves every file under the watched folder as it was. Files it changed
anyway are put back, and the check fails.

usage: check_refusal.py --watch DIR --set VAR=VALUE --expect TEXT -- COMMAND...
"""
import argparse
import os
import subprocess
import sys


def snapshot(folder):
    out = {}
    for root, _dirs, files in os.walk(folder):
        for f in files:
            p = os.path.join(root, f)
            with open(p, "rb") as fp:
                out[p] = fp.read()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--watch", required=True)
    ap.add_argument("--set", required=True, action="append")
    ap.add_argument("--expect", required=True)
    ap.add_argument("command", nargs="+")
    a = ap.parse_args()
    before = snapshot(a.watch)
    if not before:
        print("FAIL: nothing to watch under %s" % a.watch)
        return 1
    env = dict(os.environ, CI="1")
    for kv in a.set:
        k, _, v = kv.partition("=")
        env[k] = v
    p = subprocess.run(a.command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=300)
    out = p.stdout.decode("utf-8", "replace")
    problems = []
    after = snapshot(a.watch)
    for path in sorted(set(before) | set(after)):
        if before.get(path) != after.get(path):
            problems.append("%s was changed under CI (put back)" % path)
            if path in before:
                with open(path, "wb") as fp:
                    fp.write(before[path])
            else:
                os.remove(path)
    if p.returncode == 0:
        problems.append("the command passed with %s under CI=1; it must refuse" % " ".join(a.set))
    if a.expect not in out:
        problems.append("its output does not say %r" % a.expect)
    if problems:
        print(out[-3000:])
        for x in problems:
            print("FAIL: " + x)
        return 1
    print("ok: %s refused under CI (exit %d), %d files unchanged"
          % (" ".join(a.set), p.returncode, len(before)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
