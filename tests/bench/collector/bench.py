#!/usr/bin/python3
"""bench.py - readykit-collect's figures: size of the Windows exe, collection time without
probes (median of several runs) natively on Linux and under Wine, the Windows collector
under Wine with a plan of 200 collect items against the same run without them, and the
duration of a probe plan of a few hundred filtered ports (in a network namespace, when one
can be made). Budgets, reported (and the exit code 1 when missed) but never a unit test:
the exe under 256 KiB, 200 collect items at most twice the time of none."""
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


EXE_BUDGET = 256 * 1024
ITEMS_BUDGET = 2.0


def bench_plan(n=200):
    """A plan of n collect items of every kind, against what a fresh Wine prefix holds
    (registry values, Wine's services and DLLs), so that most items find something."""
    reg = [("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", v) for v in
           ("ProductName", "CurrentBuild", "CurrentBuildNumber", "CurrentVersion", "SystemRoot",
            "RegisteredOwner", "InstallationType", "EditionID", "UBR", "Missing")]
    svcs = ["BITS", "Eventlog", "LanmanServer", "MountMgr", "MSIServer", "PlugPlay", "RpcSs",
            "Schedule", "Spooler", "Winmgmt", "wuauserv", "NoSuchService"]
    dlls = ["kernel32.dll", "advapi32.dll", "user32.dll", "ws2_32.dll", "version.dll",
            "bcrypt.dll", "netapi32.dll", "iphlpapi.dll", "ole32.dll", "shell32.dll"]
    kinds = ["registry"] * 6 + ["program"] * 3 + ["file_version"] * 4 + ["service"] * 3 + \
            ["windows_feature"] + ["file"] * 3
    lines = ["# benchmark plan: %d collect items" % n]
    seen = {}
    for item in range(n):
        k = kinds[item % len(kinds)]
        i = seen[k] = seen.get(k, -1) + 1
        if k == "registry":
            key, val = reg[i % len(reg)]
            arg = '"%s" %s' % (key, val)
        elif k == "program":
            arg = '"%s*"' % ("Microsoft Visual C++ 20%02d" % (i % 20))
        elif k == "file_version":
            arg = '"%%SystemRoot%%\\system32\\%s"' % dlls[i % len(dlls)]
        elif k == "service":
            arg = svcs[i % len(svcs)]
        elif k == "windows_feature":
            arg = "Web-Server"
        else:
            arg = '"%%SystemRoot%%\\system32\\%s"' % dlls[(i + 3) % len(dlls)]
        lines.append("collect item%03d %s %s" % (item, k, arg))
    return "\n".join(lines) + "\n"


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
    missed = []
    print("readykit-collect.exe: %d bytes (%.1f KiB; budget < %d KiB)"
          % (size, size / 1024, EXE_BUDGET // 1024))
    if size >= EXE_BUDGET:
        missed.append("exe size")
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
            with open(os.path.join(pfx, "drive_c", "bench.plan"), "w") as f:
                f.write(bench_plan(200))
            plain = [wine, args.exe]
            planned = [wine, args.exe, "--probe-plan", "C:\\bench.plan"]
            doc = json.loads(subprocess.run(planned, env=env, stdout=subprocess.PIPE,
                                            stderr=subprocess.DEVNULL, check=True).stdout)
            # The two alternate, so that a change in the machine's load weighs on both.
            runs = max(5, args.runs)
            t = {"plain": ([], []), "planned": ([], [])}
            for _ in range(runs):
                for name, cmd in (("plain", plain), ("planned", planned)):
                    wall, inner = timed(cmd, env=env, runs=1)
                    t[name][0].append(wall)
                    t[name][1].append(inner)
            wall, inner = (statistics.median(x) for x in t["plain"])
            wall_i, inner_i = (statistics.median(x) for x in t["planned"])
            print("Wine, no plan: median %.0f ms wall (Wine starting a process: %.0f ms), "
                  "%.0f ms inside the collector (%d runs)"
                  % (wall * 1000, statistics.median(base) * 1000, inner, runs))
            ratio = wall_i / wall
            print("Wine, 200 collect items: median %.0f ms wall, %.0f ms inside the collector "
                  "(%d runs; %d collected, %d in errors[])" % (
                      wall_i * 1000, inner_i, runs, len(doc["collected"]),
                      sum(e["fact"].startswith("collected.") for e in doc["errors"])))
            print("200 collect items: %.2fx the wall time of a run without them (budget %.1fx); "
                  "inside the collector +%.0f ms, %.2f ms an item"
                  % (ratio, ITEMS_BUDGET, inner_i - inner, (inner_i - inner) / 200))
            if ratio > ITEMS_BUDGET:
                missed.append("200 collect items")
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
    if missed:
        print("OVER BUDGET: %s" % ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
