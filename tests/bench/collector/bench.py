#!/usr/bin/python3
"""bench.py - readykit-collect's figures: size of the Windows exe, collection time without
probes (median of several runs) natively on Linux and under Wine, and the duration of a
probe plan of a few hundred filtered ports (in a network namespace, when one can be made)."""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def timed(cmd, env=None, runs=11):
    """Median wall time (s) and median collector.elapsed_ms over runs."""
    walls, inner = [], []
    for _ in range(runs):
        t0 = time.monotonic()
        r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
        walls.append(time.monotonic() - t0)
        inner.append(json.loads(r.stdout)["collector"]["elapsed_ms"])
    return statistics.median(walls), statistics.median(inner)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--native", default=os.path.join(TOP, "build", "collector", "readykit-collect"))
    ap.add_argument("--exe", help="the Windows exe (default: build it with collector/build-windows.sh)")
    ap.add_argument("--runs", type=int, default=11)
    args = ap.parse_args()

    if not args.exe:
        args.exe = subprocess.run(["sh", os.path.join(TOP, "collector", "build-windows.sh")],
                                  stdout=subprocess.PIPE, check=True, text=True).stdout.split()[-1]
    size = os.path.getsize(args.exe)
    print("readykit-collect.exe: %d bytes (%.1f KiB; target < 512 KiB)" % (size, size / 1024))
    try:
        load = os.getloadavg()[0]
        print("machine: %d CPUs, load average %.1f" % (os.cpu_count(), load))
    except OSError:
        pass

    if os.path.exists(args.native):
        wall, inner = timed([args.native], runs=args.runs)
        print("Linux, no probes: median %.1f ms wall, %.0f ms inside the collector (%d runs)"
              % (wall * 1000, inner, args.runs))
    else:
        print("Linux: %s not built (make build)" % args.native)

    wine = next((w for w in ("/usr/lib/wine/wine64", shutil.which("wine64") or "") if w and os.access(w, os.X_OK)), None)
    if wine:
        with tempfile.TemporaryDirectory(prefix="rkc-bench-wine-") as pfx:
            env = dict(os.environ, WINEPREFIX=pfx, WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=")
            env.pop("DISPLAY", None)
            server = os.path.join(os.path.dirname(wine), "wineserver")
            subprocess.run([wine, "wineboot", "-i"], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=True)
            subprocess.run([wine, "winecfg", "-v", "win10"], env=env, check=True)
            subprocess.run([wine, args.exe], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=True)  # warm: Wine's desktop and services up
            base = []
            for _ in range(5):
                t0 = time.monotonic()
                subprocess.run([wine, "cmd", "/c", "exit"], env=env, check=True)
                base.append(time.monotonic() - t0)
            wall, inner = timed([wine, args.exe], env=env, runs=max(5, args.runs // 2))
            print("Wine, no probes: median %.0f ms wall (Wine starting a process: %.0f ms), "
                  "%.0f ms inside the collector (%d runs)"
                  % (wall * 1000, statistics.median(base) * 1000, inner, max(5, args.runs // 2)))
            subprocess.run([server, "-k"], env=env, stderr=subprocess.DEVNULL)
            subprocess.run([server, "-w"], env=env, stderr=subprocess.DEVNULL)
    else:
        print("Wine: not installed")

    if os.path.exists(args.native):
        probe = os.path.join(TOP, "tests", "collector", "probe_test.py")
        r = subprocess.run([sys.executable, probe, "--exe", args.native, "--schema",
                            os.path.join(TOP, "schemas", "facts.schema.json")],
                           stdout=subprocess.PIPE, text=True)
        for line in r.stdout.splitlines():
            if "filtered probes" in line or line.startswith(("SKIP", "FAIL")):
                print("Probes (Linux, network namespace):", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
