#!/usr/bin/python3
"""ex2019_roundtrip.py - plan, collect under Wine, render, for exmbx01 of the Exchange 2019
sample (samples/exchange-2019-target).

  1. `readykit plan samples/exchange-2019-target/project.yaml --host exmbx01` writes the
     plan: the schema's 45 collect items for a Mailbox server and 3 TCP probes.
  2. A throw-away WINEPREFIX gets ex2019-exmbx01.reg (the registry of an Exchange 2019
     CU14 Mailbox server, see the file), a stand-in ExSetup.exe whose version resource
     says 15.2.1544.36 where ExchangeInstallPath points, and a C:\\pagefile.sys;
     readykit-collect.exe runs that plan, unchanged, in a network namespace whose loopback
     holds the plan's destinations, listening on the probed ports, and a UTS namespace
     named exmbx01 (nothing leaves the machine).
  3. The fact file: valid against facts.schema.json; the plan's SHA-256, probe count and
     item ids; every item came back (none in errors[]) with the values the sample's
     exmbx01.json holds (the page file's size and date excepted: made here); the probes
     open; the registry unchanged by the run.
  4. A copy of the sample with that fact file for exmbx01 is rendered: findings.json's
     inputs and the readiness workbook's inputs sheet show the 45 items planned and all
     returned, no old-plan warning, and every finding that reads only collect items and
     the Exchange Setup values has the status the sample's exmbx01 has (the build a CU
     behind, the page file managed by Windows, the prerequisites and features passing).

Exit 0 pass, 1 fail, 77 skip (no Wine, cross compiler or namespaces)."""
import argparse
import calendar
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "collector"))
import wine_test  # noqa: E402  (the Wine helpers and registry comparison of the collector tests)

HOST = "exmbx01"
PROBLEMS = []

STANDIN_C = "int main(void) { return 0; }\n"
STANDIN_RC = """1 VERSIONINFO
FILEVERSION 15,2,1544,36
PRODUCTVERSION 15,2,1544,36
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904B0"
    BEGIN
      VALUE "FileDescription", "Stand-in for ExSetup.exe (readykit test)"
      VALUE "FileVersion", "15.02.1544.036"
      VALUE "ProductVersion", "15.02.1544.036"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
"""
PAGEFILE_MTIME = "2026-02-14T03:12:44Z"


def fail(msg):
    PROBLEMS.append(msg)
    print("FAIL: " + msg, flush=True)


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if r.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), r.returncode,
                                                r.stderr.decode(errors="replace")[-1500:]))
    return r


def facts_read(check):
    """The fact paths a check reads, recursively."""
    out = set()
    if isinstance(check, dict):
        for k in ("fact", "of"):
            if isinstance(check.get(k), str):
                out.add(check[k])
        for v in check.values():
            out |= facts_read(v)
    elif isinstance(check, list):
        for v in check:
            out |= facts_read(v)
    return out


def listen(addr, port, stop):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(16)
    s.settimeout(0.2)
    while not stop.is_set():
        try:
            c, _ = s.accept()
            c.close()
        except OSError:
            pass
    s.close()


def build_helpers(args, work):
    cc, windres = shutil.which("x86_64-w64-mingw32-gcc"), shutil.which("x86_64-w64-mingw32-windres")
    helpers = os.path.join(work, "helpers")
    os.makedirs(helpers)
    run([cc, "-municode", "-Os", "-s", "-o", os.path.join(helpers, "fake_service.exe"),
         os.path.join(HERE, "..", "collector", "fake_service.c"), "-ladvapi32"])
    with open(os.path.join(helpers, "standin.c"), "w") as f:
        f.write(STANDIN_C)
    with open(os.path.join(helpers, "standin.rc"), "w") as f:
        f.write(STANDIN_RC)
    run([windres, os.path.join(helpers, "standin.rc"), "-O", "coff", "-o",
         os.path.join(helpers, "standin.res")])
    run([cc, "-Os", "-s", "-o", os.path.join(helpers, "ExSetup.exe"),
         os.path.join(helpers, "standin.c"), os.path.join(helpers, "standin.res")])
    return helpers


def collect(args, wine, work, plan_bytes, helpers):
    """Steps 2 and 3: the fact file's path."""
    pfx = os.path.join(work, "prefix")
    w = wine_test.Wine(wine, pfx)
    try:
        w.run("wineboot", "-i", timeout=300)
        w.run("winecfg", "-v", "win10")
        w.stop()
        c = os.path.join(pfx, "drive_c")
        for d in ("readykit-test", "readykit-out"):
            os.makedirs(os.path.join(c, d), exist_ok=True)
        shutil.copy2(os.path.join(helpers, "fake_service.exe"), os.path.join(c, "readykit-test"))
        bindir = os.path.join(c, "Program Files", "Microsoft", "Exchange Server", "V15", "bin")
        os.makedirs(bindir)
        shutil.copy2(os.path.join(helpers, "ExSetup.exe"), bindir)
        # the page file: 7.4% of this machine's memory, as on the sample's exmbx01
        # (sparse: it takes no disk space)
        with open("/proc/meminfo") as f:
            mem = int(re.search(r"MemTotal:\s+(\d+) kB", f.read()).group(1)) * 1024
        pagefile = os.path.join(c, "pagefile.sys")
        with open(pagefile, "wb") as f:
            f.truncate(int(mem * 0.074))
        t = calendar.timegm(time.strptime(PAGEFILE_MTIME, "%Y-%m-%dT%H:%M:%SZ"))
        os.utime(pagefile, (t, t))
        with open(os.path.join(c, "readykit-test", HOST + ".plan"), "wb") as f:
            f.write(plan_bytes)
        wine_test.import_profile(w, os.path.join(HERE, "ex2019-exmbx01.reg"), pfx)
        w.stop()  # the next start reads the seeded service and the system environment
        for _ in range(100):
            if b"RUNNING" in w.run("sc", "query", "RemoteRegistry", check=False).stdout:
                break
            time.sleep(0.2)
        before = wine_test.registry_snapshot(w, "before")
        t0 = time.monotonic()
        r = w.run(args.exe, "--probe-plan", "C:\\readykit-test\\%s.plan" % HOST,
                  "--out", "C:\\readykit-out\\%s.json" % HOST, timeout=120)
        took = time.monotonic() - t0
        after = wine_test.registry_snapshot(w, "after")
        for key in before:
            a = before[key].decode("utf-16", errors="replace")
            b = after[key].decode("utf-16", errors="replace")
            if key != "HKLM\\SOFTWARE":
                a, b = wine_test.wine_noise_removed(a), wine_test.wine_noise_removed(b)
            else:
                a, b = a.splitlines(), b.splitlines()
            if a != b:
                fail("registry %s changed while collecting" % key)
        if r.stdout:
            fail("--out still printed %d bytes" % len(r.stdout))
        dest = os.path.join(work, HOST + ".json")
        shutil.copy2(os.path.join(c, "readykit-out", HOST + ".json"), dest)
        print("collected %s under Wine in %.2f s (prefix and profile ready before)" % (HOST, took),
              flush=True)
        return dest, int(mem * 0.074)
    finally:
        w.stop()


def check_facts(args, doc, plan_bytes, pagefile_size, sample_facts):
    with open(os.path.join(args.source, "schemas", "facts.schema.json")) as f:
        try:
            jsonschema.validate(doc, json.load(f))
        except jsonschema.ValidationError as e:
            fail("facts.schema.json: %s at %s" % (e.message, "/".join(map(str, e.path))))
    if doc["host"]["name"].lower() != HOST:
        fail("host.name %r, expected %s (the UTS namespace's name)" % (doc["host"]["name"], HOST))
    items, nprobes = wine_test.read_plan(plan_bytes.decode("utf-8"))
    ids = [i[0] for i in items]
    plan = doc.get("plan", {})
    if plan.get("sha256") != hashlib.sha256(plan_bytes).hexdigest():
        fail("plan.sha256 %r is not the plan's SHA-256" % plan.get("sha256"))
    if plan.get("items") != ids or plan.get("probes") != nprobes:
        fail("plan summary %s; the plan has %d probes and items %s" % (plan, nprobes, ids))
    item_errors = [e for e in doc.get("errors", []) if e["fact"].startswith("collected.")]
    if item_errors:
        fail("collect items in errors[]: %s" % item_errors)
    got = doc.get("collected", {})
    if list(got) != ids:
        fail("collected{} holds %s, the plan %s" % (list(got), ids))
    want = dict(sample_facts["collected"])
    want["pagefile"] = {"size": pagefile_size, "modified": PAGEFILE_MTIME}
    for k in ids:
        if got.get(k, "missing") != want.get(k):
            fail("collected.%s = %s; the sample's exmbx01 has %s" % (
                k, json.dumps(got.get(k, "missing"), ensure_ascii=False),
                json.dumps(want.get(k), ensure_ascii=False)))
    ex = doc.get("software", {}).get("exchange") or {}
    if ex.get("version") != "15.2.1544.4" or \
            sorted(ex.get("roles", [])) != ["ClientAccess", "FrontendTransport", "HubTransport", "Mailbox"]:
        fail("software.exchange %s, expected 15.2.1544.4 with the four roles of the profile" % ex)
    probes = {(p["flow"], p["port"]): p["result"] for p in doc.get("probes", [])}
    want_probes = {(f[3], int(f[1])) for f in (l.split() for l in plan_bytes.decode().splitlines())
                   if f and f[0] == "tcp"}
    if set(probes) != want_probes or set(probes.values()) != {"open"}:
        fail("probes %s; the plan's %s, all open" % (probes, sorted(want_probes)))


def render(args, project, out):
    r = subprocess.run([args.readykit, "render", project, "-o", out, "--lang", "en"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError("render %s: exit %d: %s" % (project, r.returncode, r.stderr[-1500:]))
    with open(os.path.join(out, "findings.json"), encoding="utf-8") as f:
        return json.load(f), r.stderr


def check_render(args, work, facts_path, sample):
    # the sample as it is, for the statuses to compare with
    ref, _ = render(args, os.path.join(sample, "project.yaml"), os.path.join(work, "out-sample"))
    copy = os.path.join(work, "project")
    shutil.copytree(sample, copy)
    shutil.copy2(facts_path, os.path.join(copy, "facts", HOST + ".json"))
    out = os.path.join(work, "out")
    fj, stderr = render(args, os.path.join(copy, "project.yaml"), out)

    for line in stderr.splitlines():
        if "collect items the schema plans" in line:
            fail("render warned about an old plan: %s" % line)
    with open(os.path.join(args.source, "schemas", "exchange-server-2019.yaml"), encoding="utf-8") as f:
        schema = yaml.safe_load(f)
    planned = [c["id"] for c in schema["collect"] if "mailbox" in c.get("roles", ["mailbox"])]
    inp = next((i for i in fj["inputs"] if i.get("host") == HOST), None)
    with open(facts_path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    if inp is None or inp["sha256"] != sha:
        fail("findings.json inputs do not name the collected fact file (%s)" % inp)
    elif inp["plan"] != {"planned": planned, "not_returned": [], "old_plan": False}:
        fail("findings.json inputs: plan %s; expected all %d planned returned" % (inp["plan"], len(planned)))

    import openpyxl  # the inputs sheet of the workbook, read independently
    wb = openpyxl.load_workbook(os.path.join(out, "readiness.xlsx"), read_only=True)
    rows = [[c for c in row if c is not None] for ws in wb.worksheets for row in ws.iter_rows(values_only=True)]
    row = next((r for r in rows if "facts/%s.json" % HOST in r), None)
    if row is None or "%d planned, all returned" % len(planned) not in row:
        fail("readiness.xlsx: the inputs row of %s is %s; expected '%d planned, all returned'"
             % (HOST, row, len(planned)))

    # statuses: every requirement for a Mailbox server that reads only collect items and
    # the Exchange Setup values is as on the sample's exmbx01; the sample's problems of
    # exmbx01 are there by name
    mine = {f["requirement"]: f["status"] for f in fj["findings"] if f["host"] == HOST}
    theirs = {f["requirement"]: f["status"] for f in ref["findings"] if f["host"] == HOST}
    compared = 0
    for req in schema["requirements"]:
        facts = facts_read(req["check"])
        if "mailbox" not in req["applies_to"] or not facts or \
                not all(p.startswith("collected.") or p.startswith("software.exchange") for p in facts):
            continue
        compared += 1
        if mine.get(req["id"]) != theirs.get(req["id"]):
            fail("%s: %s after the round trip, %s in the sample" % (req["id"], mine.get(req["id"]),
                                                                   theirs.get(req["id"])))
    want = {"EX19-BUILD-CU15": "fail", "EX19-BUILD-SU": "pass", "EX19-HW-PAGEFILE-FIXED": "fail",
            "EX19-HW-PAGEFILE-SIZE": "fail", "EX19-SW-UCMA": "pass", "EX19-SW-URLREWRITE": "pass",
            "EX19-SW-VCREDIST2012": "pass", "EX19-SW-VCREDIST2013": "pass",
            "EX19-SW-REMOTE-REGISTRY": "pass", "EX19-NET-FLOWS": "pass", "EX19-DOTNET-CU15": "pass",
            "EX19-DOTNET-LATEST": "pass", "EX19-OS-CU15": "pass"}
    want.update({r["id"]: "pass" for r in schema["requirements"]
                 if r["id"].startswith("EX19-FEAT-") and "mailbox" in r["applies_to"]})
    for req, st in sorted(want.items()):
        if mine.get(req) != st:
            fail("%s is %s after the round trip, expected %s" % (req, mine.get(req), st))
    verdict = next(h["verdict"] for h in fj["hosts"] if h["name"] == HOST)
    if verdict != "not-ready":
        fail("%s verdict %s, expected not-ready (the build a CU behind, the page file)" % (HOST, verdict))
    print("rendered: %d requirements compared with the sample's %s, %d checked by name; verdict %s"
          % (compared, HOST, len(want), verdict), flush=True)


def child(args):
    """Inside the network and UTS namespaces: everything."""
    socket.sethostname(HOST)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    sample = os.path.join(args.source, "samples", "exchange-2019-target")
    plan_bytes = run([args.readykit, "plan", os.path.join(sample, "project.yaml"), "--host", HOST]).stdout
    targets = sorted({(f[2], int(f[1])) for f in (l.split() for l in plan_bytes.decode().splitlines())
                      if f and f[0] == "tcp"})
    if not targets:
        fail("the plan has no TCP probe")
    for addr in sorted({a for a, _ in targets}):
        subprocess.run(["ip", "addr", "add", addr + "/32", "dev", "lo"], check=True)
    stop = threading.Event()
    threads = [threading.Thread(target=listen, args=(a, p, stop), daemon=True) for a, p in targets]
    for t in threads:
        t.start()
    work = args.workdir
    try:
        helpers = build_helpers(args, work)
        facts_path, pagefile_size = collect(args, args.wine, work, plan_bytes, helpers)
        with open(facts_path, encoding="utf-8") as f:
            doc = json.load(f)
        with open(os.path.join(sample, "facts", HOST + ".json"), encoding="utf-8") as f:
            sample_facts = json.load(f)
        check_facts(args, doc, plan_bytes, pagefile_size, sample_facts)
        check_render(args, work, facts_path, sample)
    finally:
        stop.set()
    return 1 if PROBLEMS else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--wine", help=argparse.SUPPRESS)
    ap.add_argument("--readykit", required=True)
    ap.add_argument("--exe", required=True, help="readykit-collect.exe")
    ap.add_argument("--source", required=True, help="the source tree")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--keep", action="store_true", help="keep the prefix and outputs")
    args = ap.parse_args()
    if args.child:
        try:
            return child(args)
        except Exception as e:  # a crash is a failure with its reason
            fail("%s: %s" % (type(e).__name__, e))
            return 1
    wine = wine_test.find_wine()
    if not wine or not wine_test.wineserver_for(wine) or not shutil.which("x86_64-w64-mingw32-gcc") \
            or not shutil.which("x86_64-w64-mingw32-windres"):
        print("SKIP: wine64 or the mingw-w64 cross tools (gcc, windres) not installed")
        return 77
    if not os.path.exists(args.exe):
        print("FAIL: %s does not exist (collector_windows_build makes it)" % args.exe)
        return 1
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    t0 = time.monotonic()
    rc = None
    for pre in ([["unshare", "-nu"]] if os.geteuid() == 0 else []) + [["unshare", "-rnu"]]:
        if subprocess.run(pre + ["true"], stderr=subprocess.DEVNULL).returncode != 0:
            continue
        rc = subprocess.run(pre + [sys.executable, os.path.abspath(__file__), "--child",
                                   "--wine", wine, "--readykit", os.path.abspath(args.readykit),
                                   "--exe", os.path.abspath(args.exe),
                                   "--source", os.path.abspath(args.source),
                                   "--workdir", os.path.abspath(args.workdir)],
                            timeout=600).returncode
        break
    if rc is None:
        print("SKIP: no network and UTS namespace (unshare -nu as root, or -rnu)")
        return 77
    if not args.keep:
        shutil.rmtree(os.path.join(args.workdir, "prefix"), ignore_errors=True)
    print("%s in %.1f s" % ("ok" if rc == 0 else "FAILED", time.monotonic() - t0))
    return 1 if rc else 0


if __name__ == "__main__":
    sys.exit(main())
