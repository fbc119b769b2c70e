#!/usr/bin/python3
"""wine_test.py - runs readykit-collect.exe under Wine against seeded registry profiles.

For each profile (profiles/<name>.reg with profiles/<name>.expect.json) it makes a
throw-away WINEPREFIX, sets the Windows version, imports the profile, restarts Wine so
the seeded services start, exports the registry, runs the collector, exports again and
checks: the registry is unchanged, the output validates against facts.schema.json,
every expected fact equals the profile's value, nothing landed in errors[].
Exit 0 pass, 1 fail, 77 skip (no Wine or no cross compiler)."""
import argparse
import concurrent.futures
import difflib
import json
import os
import shutil
import socket
import subprocess
import sys
import time

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))


def find_wine():
    for c in ("/usr/lib/wine/wine64", shutil.which("wine64"), shutil.which("wine")):
        if c and os.access(c, os.X_OK):
            return c
    return None


def wineserver_for(wine):
    d = os.path.dirname(wine)
    for c in (os.path.join(d, "wineserver"), shutil.which("wineserver")):
        if c and os.access(c, os.X_OK):
            return c
    return None


class Wine:
    def __init__(self, wine, prefix):
        self.wine, self.server = wine, wineserver_for(wine)
        self.env = dict(os.environ, WINEPREFIX=prefix, WINEDEBUG="-all",
                        WINEDLLOVERRIDES="mscoree,mshtml=", WINEARCH="win64")
        self.env.pop("DISPLAY", None)
        self.prefix = prefix

    def run(self, *args, check=True, timeout=120, capture=True):
        r = subprocess.run([self.wine, *args], env=self.env, timeout=timeout,
                           stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        if check and r.returncode != 0:
            raise RuntimeError("wine %s failed (%d): %s" % (" ".join(args), r.returncode,
                                                           r.stderr.decode(errors="replace")[-500:]))
        return r

    def stop(self):
        subprocess.run([self.server, "-k"], env=self.env, stderr=subprocess.DEVNULL)
        subprocess.run([self.server, "-w"], env=self.env, stderr=subprocess.DEVNULL, timeout=60)


def clone_prefix(base, dest):
    """Copies a prefix; the large DLL folders are hard-linked (Wine never writes them)."""
    def copy(src, dst):
        if "/drive_c/windows/system32/" in src or "/drive_c/windows/syswow64/" in src \
                or "/drive_c/windows/winsxs/" in src:
            os.link(src, dst)
        else:
            shutil.copy2(src, dst)
    shutil.copytree(base, dest, symlinks=True, copy_function=copy)


# What Wine itself rewrites while any program runs, whatever that program does. HKLM\SOFTWARE
# is compared in full; these subtrees of HKLM\SYSTEM and HKCU are left out of the comparison:
WINE_OWN = (
    "\\Control\\Video\\{",           # display driver state, rewritten when Wine's desktop starts
    "\\Control\\Video]",             # ... and the key itself, created on a first display query
    "\\Hardware Profiles\\Current\\",  # Wine's display-driver profile, created with it
    "\\Control\\ServiceCurrent]",      # the SCM's volatile counter (Wine starts drivers on demand)
    "\\Control\\DeviceClasses\\",      # Wine's plug-and-play links for its virtual HID devices
    "HKEY_CURRENT_USER\\Software\\Wine",  # Wine's own scratch keys (desktop metrics, debugger)
)


def wine_noise_removed(text):
    """The export without WINE_OWN subtrees and the display adapter's DriverDateData
    (a time stamp Wine writes whenever its desktop process starts)."""
    out, skip = [], False
    for line in text.splitlines():
        if line.startswith("["):
            skip = any(w in line for w in WINE_OWN)
        if skip or line.startswith('"DriverDateData"='):
            continue
        out.append(line)
    return out


def registry_snapshot(w, tag):
    out = {}
    for key in ("HKLM\\SOFTWARE", "HKLM\\SYSTEM", "HKCU"):
        path = os.path.join(w.prefix, "snap-%s-%s.reg" % (tag, key.replace("\\", "_")))
        w.run("reg", "export", key, path, "/y")
        with open(path, "rb") as f:
            out[key] = f.read()
        os.unlink(path)
    return out


def get(doc, dotted):
    node = doc
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(dotted)
        node = node[part]
    return node


def check_profile(name, args, wine, base, schema, problems, timings):
    say = lambda m: problems.append("%s: %s" % (name, m))
    pfx = os.path.join(args.workdir, name)
    clone_prefix(base, pfx)
    os.makedirs(os.path.join(pfx, "drive_c", "readykit-test"), exist_ok=True)
    os.makedirs(os.path.join(pfx, "drive_c", "readykit-out"), exist_ok=True)
    shutil.copy2(args.fake_service, os.path.join(pfx, "drive_c", "readykit-test", "fake_service.exe"))
    w = Wine(wine, pfx)
    try:
        w.run("reg", "import", os.path.join(args.profiles, name + ".reg"))
        w.stop()  # the next start reads the seeded services and starts the automatic ones
        with open(os.path.join(args.profiles, name + ".expect.json")) as f:
            expect = json.load(f)
        for key, val in expect.items():
            if key.startswith("services.") and val == "running":
                svc = key.split(".", 1)[1]
                for _ in range(100):
                    if b"RUNNING" in w.run("sc", "query", svc, check=False).stdout:
                        break
                    time.sleep(0.2)
        before = registry_snapshot(w, "before")
        t0 = time.monotonic()
        r = w.run(args.exe, timeout=60)
        timings.append(time.monotonic() - t0)
        r2 = w.run(args.exe, "--out", "C:\\readykit-out\\facts.json", timeout=60)
        after = registry_snapshot(w, "after")
        for key in before:
            if before[key] != after[key]:
                a = before[key].decode("utf-16", errors="replace").splitlines()
                b = after[key].decode("utf-16", errors="replace").splitlines()
                if key != "HKLM\\SOFTWARE":
                    a, b = wine_noise_removed("\n".join(a)), wine_noise_removed("\n".join(b))
                diff = list(difflib.unified_diff(a, b, lineterm="", n=1))[2:14]
                if diff:
                    say("registry %s changed while collecting:\n  %s" % (key, "\n  ".join(diff)))
        if r2.stdout:
            say("--out still printed %d bytes on stdout" % len(r2.stdout))
        outdir = os.path.join(pfx, "drive_c", "readykit-out")
        left = sorted(os.listdir(outdir))
        if left != ["facts.json"]:
            say("--out left %s" % left)
        try:
            doc = json.loads(r.stdout)
        except ValueError as e:
            say("stdout is not JSON: %s" % e)
            return
        with open(os.path.join(outdir, "facts.json"), "rb") as f:
            doc2 = json.loads(f.read())
        if set(doc2) != set(doc):
            say("--out file has other groups than stdout")
        if args.save:
            os.makedirs(args.save, exist_ok=True)
            with open(os.path.join(args.save, name + ".json"), "wb") as f:
                f.write(r.stdout)
        try:
            jsonschema.validate(doc, schema)
        except jsonschema.ValidationError as e:
            say("schema: %s at %s" % (e.message, "/".join(map(str, e.path))))
        if doc["collector"]["platform"] != "windows":
            say("platform is %r" % doc["collector"]["platform"])
        for key, val in expect.items():
            try:
                got = get(doc, key)
            except KeyError:
                say("%s missing (errors: %s)" % (key, [e for e in doc.get("errors", []) if e["fact"].startswith(key)]))
                continue
            if got != val:
                say("%s = %s, profile holds %s" % (key, json.dumps(got), json.dumps(val)))
        if doc.get("errors"):
            say("errors[] not empty: %s" % json.dumps(doc["errors"]))
        want_name = socket.gethostname().split(".")[0].upper()[:15]
        if doc["host"]["name"].upper() != want_name:
            say("host.name %r, expected %r" % (doc["host"]["name"], want_name))
        if not any(d["path"] == "C:\\" and d["total_bytes"] > 0 for d in doc["hardware"]["disks"]):
            say("no C:\\ in hardware.disks")
        for key in ("cpu_model", "cpu_cores", "cpu_logical", "cpu_mhz", "memory_bytes"):
            if key not in doc["hardware"]:
                say("hardware.%s missing" % key)
        if doc["hardware"].get("cpu_logical") != os.cpu_count():
            say("cpu_logical %s, this machine has %s" % (doc["hardware"].get("cpu_logical"), os.cpu_count()))
        if "BUILTIN\\Administrators" not in doc["identity"].get("groups", []):
            say("identity.groups lacks BUILTIN\\Administrators: %s" % doc["identity"].get("groups"))
        if not doc["identity"].get("user"):
            say("identity.user empty")
    finally:
        w.stop()


def probe_child(args):
    """Inside a fresh network namespace: the Windows probe code (select(), Winsock error
    codes) against an open, a closed and 200 filtered loopback ports."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["iptables", "-A", "INPUT", "-p", "tcp", "--dport", "20000:20999", "-j", "DROP"],
                   check=True)
    ls = socket.socket()
    ls.bind(("127.0.0.1", 31000))
    ls.listen(16)
    plan = os.path.join(args.workdir, "wine-probe.plan")
    with open(plan, "w") as f:
        f.write("tcp 31000 127.0.0.1 OPEN\ntcp 31010 127.0.0.1 CLOSED\nudp 53 127.0.0.1 UDP\n")
        f.write("".join("tcp %d 127.0.0.1 F%d\n" % (20000 + i, i) for i in range(200)))
    w = Wine(args.wine, args.probe_prefix)
    try:
        w.run("cmd", "/c", "exit")  # start Wine before timing
        t0 = time.monotonic()
        r = w.run(args.exe, "--probe-plan", "Z:" + plan.replace("/", "\\"), "--timeout-ms", "1000")
        took = time.monotonic() - t0
    finally:
        w.stop()
    doc = json.loads(r.stdout)
    res = {p["flow"]: p["result"] for p in doc["probes"]}
    problems = []
    if (res.get("OPEN"), res.get("CLOSED"), res.get("UDP")) != ("open", "closed", "not-verifiable"):
        problems.append("open/closed/udp gave %s" % [res.get(k) for k in ("OPEN", "CLOSED", "UDP")])
    if sum(1 for k, v in res.items() if k.startswith("F") and v == "filtered") != 200:
        problems.append("not all 200 filtered: %s" % sorted(set(res.values())))
    probe_s = doc["collector"]["probes_elapsed_ms"] / 1000
    # One timeout plus Wine's socket overhead; one timeout each would be 200 s.
    if probe_s > 2.5:
        problems.append("200 filtered probes under Wine took %.2f s (timeout 1 s)" % probe_s)
    print("wine probes: 200 filtered + open + closed: probe phase %.2f s (%.2f s with Wine start)"
          % (probe_s, took))
    for p in problems:
        print("FAIL: wine probes:", p)
    return 1 if problems else 0


def wine_probes(args, wine, prefix):
    for pre in ([["unshare", "-n"]] if os.geteuid() == 0 else []) + [["unshare", "-rn"]]:
        if subprocess.run(pre + ["true"], stderr=subprocess.DEVNULL).returncode == 0:
            return subprocess.run(pre + [sys.executable, os.path.abspath(__file__), "--probe-child",
                                         "--exe", args.exe, "--schema", args.schema,
                                         "--workdir", args.workdir, "--probe-prefix", prefix,
                                         "--wine", wine], timeout=120).returncode
    print("note: no network namespace, Windows probes not tested")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--probe-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--probe-prefix", help=argparse.SUPPRESS)
    ap.add_argument("--wine", help=argparse.SUPPRESS)
    ap.add_argument("--exe", required=True)
    ap.add_argument("--fake-service-src", default=os.path.join(HERE, "fake_service.c"))
    ap.add_argument("--profiles", default=os.path.join(HERE, "profiles"))
    ap.add_argument("--schema", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--keep", action="store_true", help="keep the prefixes afterwards")
    ap.add_argument("--save", help="folder to copy each profile's facts to (<profile>.json)")
    args = ap.parse_args()
    if args.probe_child:
        return probe_child(args)
    wine = find_wine()
    cc = shutil.which("x86_64-w64-mingw32-gcc")
    if not wine or not wineserver_for(wine) or not cc:
        print("SKIP: wine64 or x86_64-w64-mingw32-gcc not installed")
        return 77
    if not os.path.exists(args.exe):
        print("FAIL: %s does not exist (build it with collector/build-windows.sh)" % args.exe)
        return 1
    args.exe = os.path.abspath(args.exe)
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    args.fake_service = os.path.join(args.workdir, "fake_service.exe")
    subprocess.run([cc, "-municode", "-Os", "-s", "-o", args.fake_service, args.fake_service_src,
                    "-ladvapi32"], check=True)
    with open(args.schema) as f:
        schema = json.load(f)

    t0 = time.monotonic()
    base = os.path.join(args.workdir, "base")
    w = Wine(wine, base)
    w.run("wineboot", "-i", timeout=300)
    # The version first: winecfg -v rewrites ProductName and the build, so the profile
    # imported afterwards has the last word.
    w.run("winecfg", "-v", "win10")
    w.stop()
    print("prefix ready in %.1f s" % (time.monotonic() - t0))

    names = sorted(f[:-4] for f in os.listdir(args.profiles) if f.endswith(".reg"))
    problems, timings = [], []
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as ex:
        futs = {ex.submit(check_profile, n, args, wine, base, schema, problems, timings): n for n in names}
        for fut in concurrent.futures.as_completed(futs):
            try:
                fut.result()
            except Exception as e:  # a crash in one profile is a failure, not a stop
                problems.append("%s: %s" % (futs[fut], e))
    if wine_probes(args, wine, base) != 0:
        problems.append("probes under Wine failed")
    for p in problems:
        print("FAIL:", p)
    print("profiles: %s; collection %s s; total %.1f s" % (
        ", ".join(names), ", ".join("%.2f" % t for t in sorted(timings)), time.monotonic() - t0))
    if not args.keep:
        shutil.rmtree(os.path.join(args.workdir, "base"), ignore_errors=True)
        for n in names:
            shutil.rmtree(os.path.join(args.workdir, n), ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
