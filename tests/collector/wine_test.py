#!/usr/bin/python3
"""wine_test.py - runs readykit-collect.exe under Wine against seeded registry profiles.

For each profile (profiles/<name>.reg with profiles/<name>.expect.json, and
profiles/<name>.plan when the profile has collect items) it makes a throw-away
WINEPREFIX, sets the Windows version, imports the profile (as UTF-16, as regedit writes
.reg files), restarts Wine so the seeded services start, exports the registry, runs the
collector (with the plan, when there is one), exports again and checks: the registry is
unchanged, the output validates against facts.schema.json, every expected fact equals
the profile's value, errors[] holds exactly the expected entries, and the plan summary
and collected{} agree with the plan as this script reads it.

Keys of expect.json are dotted fact paths, except:
  "@files": {PATH-IN-PREFIX: {"text": ..., "mtime": RFC 3339}}  files made before the run
  "@errors": [[FACT, CODE, MESSAGE-PART], ...]  the errors[] entries expected (else none)
and a value "@file_version:PATH-IN-PREFIX" or "@file_info:PATH-IN-PREFIX" stands for the
file's version resource or {size, modified}, read here independently of the collector.
Exit 0 pass, 1 fail, 77 skip (no Wine or no cross compiler)."""
import argparse
import calendar
import concurrent.futures
import difflib
import hashlib
import json
import os
import shutil
import socket
import struct
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


def read_plan(text):
    """The collect lines of a plan as [(id, kind, [args])] and the number of probe lines,
    read by the grammar in collector/README.md (independently of the C parser)."""
    items, probes = [], 0
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields, i = [], 0
        while i < len(line):
            if line[i] in " \t":
                i += 1
            elif line[i] == '"':
                j, val = i + 1, ""
                while True:
                    k = line.index('"', j)
                    val += line[j:k]
                    if line[k + 1:k + 2] == '"':
                        val, j = val + '"', k + 2
                    else:
                        break
                fields.append(val)
                i = k + 1
            else:
                j = i
                while j < len(line) and line[j] not in " \t":
                    j += 1
                fields.append(line[i:j])
                i = j
        if fields[0].lower() == "collect":
            items.append((fields[1], fields[2], fields[3:]))
        else:
            probes += 1
    return items, probes


def fixed_file_version(path):
    """a.b.c.d of the VS_FIXEDFILEINFO in a PE file's version resource, found by its
    signature 0xFEEF04BD."""
    with open(path, "rb") as f:
        data = f.read()
    i = data.find(struct.pack("<I", 0xFEEF04BD))
    if i < 0:
        raise ValueError("%s has no version resource" % path)
    ms, ls = struct.unpack("<II", data[i + 8:i + 16])
    return "%d.%d.%d.%d" % (ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF)


def file_info(path):
    st = os.stat(path)
    return {"size": st.st_size,
            "modified": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(st.st_mtime)))}


def expected_value(val, pfx):
    """val, or what an "@file_version:" / "@file_info:" placeholder stands for."""
    if isinstance(val, str) and val.startswith("@file_version:"):
        return fixed_file_version(os.path.join(pfx, val.split(":", 1)[1]))
    if isinstance(val, str) and val.startswith("@file_info:"):
        return file_info(os.path.join(pfx, val.split(":", 1)[1]))
    return val


def make_files(pfx, files):
    for rel, spec in files.items():
        path = os.path.join(pfx, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(spec["text"])
        t = calendar.timegm(time.strptime(spec["mtime"], "%Y-%m-%dT%H:%M:%SZ"))
        os.utime(path, (t, t))


def import_profile(w, reg_path, pfx):
    """Imports a .reg file kept as UTF-8 in the tree, converted to UTF-16 with a
    byte-order mark and CRLF (what regedit writes, and what reg import reads as Unicode)."""
    with open(reg_path, encoding="utf-8") as f:
        text = f.read().replace("\r\n", "\n").replace("\n", "\r\n")
    tmp = os.path.join(pfx, "drive_c", "readykit-test", "profile.reg")
    with open(tmp, "wb") as f:
        f.write(b"\xff\xfe" + text.encode("utf-16-le"))
    w.run("reg", "import", "C:\\readykit-test\\profile.reg")
    os.unlink(tmp)


def check_collected(doc, plan_bytes, say):
    """The plan summary and collected{} against the plan: hash, counts, ids in plan
    order, and each item either collected or in errors[], never both nor neither."""
    items, probes = read_plan(plan_bytes.decode("utf-8"))
    ids = [i[0] for i in items]
    p = doc.get("plan", {})
    if p.get("sha256") != hashlib.sha256(plan_bytes).hexdigest():
        say("plan.sha256 %r is not the plan's SHA-256" % p.get("sha256"))
    if p.get("probes") != probes or p.get("items") != ids:
        say("plan summary %s, the plan has %d probes and items %s" % (json.dumps(p), probes, ids))
    failed = {e["fact"][len("collected."):] for e in doc.get("errors", [])
              if e["fact"].startswith("collected.")}
    got = list(doc.get("collected", {}))
    if got != [i for i in ids if i not in failed]:
        say("collected{} holds %s; expected the plan's items in order without the failed %s"
            % (got, sorted(failed)))
    if failed - set(ids):
        say("errors[] names items the plan does not have: %s" % sorted(failed - set(ids)))


def check_profile(name, args, wine, base, schema, problems, timings):
    say = lambda m: problems.append("%s: %s" % (name, m))
    pfx = os.path.join(args.workdir, name)
    clone_prefix(base, pfx)
    os.makedirs(os.path.join(pfx, "drive_c", "readykit-test"), exist_ok=True)
    os.makedirs(os.path.join(pfx, "drive_c", "readykit-out"), exist_ok=True)
    shutil.copy2(args.fake_service, os.path.join(pfx, "drive_c", "readykit-test", "fake_service.exe"))
    w = Wine(wine, pfx)
    try:
        with open(os.path.join(args.profiles, name + ".expect.json"), encoding="utf-8") as f:
            expect = json.load(f)
        plan_file = os.path.join(args.profiles, name + ".plan")
        plan_text, plan_args, items = None, [], []
        if os.path.exists(plan_file):
            with open(plan_file, "rb") as f:
                plan_text = f.read()
            shutil.copy2(plan_file, os.path.join(pfx, "drive_c", "readykit-test", name + ".plan"))
            plan_args = ["--probe-plan", "C:\\readykit-test\\%s.plan" % name]
            items = read_plan(plan_text.decode("utf-8"))[0]
        make_files(pfx, expect.get("@files", {}))
        import_profile(w, os.path.join(args.profiles, name + ".reg"), pfx)
        w.stop()  # the next start reads the seeded services and starts the automatic ones
        running = [k.split(".", 1)[1] for k, v in expect.items()
                   if k.startswith("services.") and v == "running"]
        running += [it[2][0] for it in items if it[1] == "service" and
                    (expect.get("collected." + it[0]) or {}).get("state") == "running"]
        for svc in running:
            for _ in range(100):
                if b"RUNNING" in w.run("sc", "query", svc, check=False).stdout:
                    break
                time.sleep(0.2)
        before = registry_snapshot(w, "before")
        t0 = time.monotonic()
        r = w.run(args.exe, *plan_args, timeout=60)
        timings.append(time.monotonic() - t0)
        r2 = w.run(args.exe, *plan_args, "--out", "C:\\readykit-out\\facts.json", timeout=60)
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
            if key.startswith("@"):
                continue
            try:
                got = get(doc, key)
            except KeyError:
                say("%s missing (errors: %s)" % (key, [e for e in doc.get("errors", []) if e["fact"].startswith(key)]))
                continue
            val = expected_value(val, pfx)
            if got != val:
                say("%s = %s, profile holds %s" % (key, json.dumps(got, ensure_ascii=False),
                                                   json.dumps(val, ensure_ascii=False)))
        want_errors = sorted(tuple(e[:2]) for e in expect.get("@errors", []))
        got_errors = sorted((e["fact"], e.get("code")) for e in doc.get("errors", []))
        if got_errors != want_errors:
            say("errors[] is %s, expected %s" % (json.dumps(doc.get("errors", []), ensure_ascii=False),
                                                  want_errors))
        messages = {e["fact"]: e["message"] for e in doc.get("errors", [])}
        for fact, _, part in expect.get("@errors", []):
            if fact in messages and part not in messages[fact]:
                say("errors[] message of %s is %r, expected it to hold %r" % (fact, messages[fact], part))
        if plan_text is not None:
            check_collected(doc, plan_text, say)
        elif "plan" in doc or "collected" in doc:
            say("plan or collected{} written without a plan")
        exchange_services = [k for k in doc["services"] if k.lower().startswith("msexchange")]
        if exchange_services:
            say("base services name a product's services: %s" % exchange_services)
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
