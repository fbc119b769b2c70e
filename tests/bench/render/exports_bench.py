#!/usr/bin/python3
"""exports_bench.py - what the import files for firewall tools and the JUnit report add
to a render: wall time of `readykit render` on a synthetic assessment (200 hosts by
default), medians of several runs, without and with `--firewall-export all --junit`.

  exports_bench.py --readykit BIN --work DIR [--hosts 200] [--runs 7]

Prints both medians and the difference; exit 0 (a figure, not a test)."""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1763625600", LC_ALL="C")


def wall(argv):
    t0 = time.monotonic()
    r = subprocess.run(argv, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode not in (0, 1):
        sys.exit("render failed (exit %d): %s" % (r.returncode, " ".join(argv)))
    return time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--readykit", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--hosts", type=int, default=200)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    d = os.path.join(a.work, "exports-%d" % a.hosts)
    proj = os.path.join(d, "project.yaml")
    if not os.path.exists(proj):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_assessment.py"), str(a.hosts), d],
                       check=True, stdout=subprocess.DEVNULL)
    out = os.path.join(a.work, "exports-out")
    os.makedirs(out, exist_ok=True)
    plain = [a.readykit, "render", proj, "-o", out, "-q"]
    full = plain + ["--firewall-export", "all", "--junit", os.path.join(out, "junit.xml")]
    wall(plain)  # warm the page cache
    base, more = [], []
    for _ in range(a.runs):  # interleaved, so that drift hits both alike
        base.append(wall(plain))
        more.append(wall(full))
    mb, mm = statistics.median(base), statistics.median(more)
    print("%d hosts, %d runs: render %.3f s; with all exports and JUnit %.3f s (+%.1f %%)" % (
        a.hosts, a.runs, mb, mm, 100.0 * (mm - mb) / mb))
    return 0


if __name__ == "__main__":
    sys.exit(main())
