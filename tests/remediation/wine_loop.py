#!/usr/bin/python3
"""wine_loop.py - the remediation loop end to end under Wine: collect -> render -> run the
host's script -> collect again -> render, then the undo script.

A throw-away WINEPREFIX gets profiles/mpe-fixable.reg (a server with the problems the
Migrator Pro schema's fixes change); readykit-collect.exe collects its facts; `readykit
render` writes remediation/<host>.cmd and <host>-undo.cmd. Then, with the registry
exported before and after each run (as the collector tests do):

  - a bad argument exits 1, the script of another host exits 2, /check exits 0 and lists
    every change, without administrator rights it exits 3, with a log it cannot write
    it exits 5: each time the registry is unchanged and no log is written;
  - the script exits 0 and changes exactly the registry values the fixes name (and the
    SQLBrowser service's start type), nothing else;
  - collected and rendered again, every fixed finding passes, every other finding keeps
    its status, and no script is written for the host any more;
  - the undo script's /check changes nothing; the undo script puts the registry back
    exactly as it was before the script ran (HKLM\\SOFTWARE byte for byte, HKLM\\SYSTEM
    and HKCU without what Wine rewrites by itself) and stops the service again.

Wine 8's sc.exe has no `config` command; while a script runs, sc_standin.exe (the Service
Control Manager calls Windows' sc.exe makes) takes its place. Wine runs everything as an
administrator; deny.exe plays fltmc.exe and net.exe for the run without rights.
Exit 0 pass, 1 fail, 77 skip (no Wine or no cross compiler)."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "collector"))
import wine_test  # noqa: E402  (the Wine helpers and the registry comparison of the collector tests)

# The findings the profile's problems cause, each fixed by the script.
FIXED = ["MPE-SRV-UAC", "MPE-WRK-UAC", "MPE-SRV-IEESC", "MPE-TLS12-SCHANNEL", "MPE-TLS12-DOTNET",
         "MPE-OUTLOOK-ONLINE-MODE", "MPE-O365-DATEFMT", "MPE-SQL-BROWSER"]
# The registry values the script may change, and must (key, value name; any case).
CHANGED = {
    ("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System", "EnableLUA"),
    ("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Active Setup\\Installed Components\\"
     "{A509B1A7-37EF-4b3f-8CFC-4F3A74704073}", "IsInstalled"),
    ("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Active Setup\\Installed Components\\"
     "{A509B1A8-37EF-4b3f-8CFC-4F3A74704073}", "IsInstalled"),
    ("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\"
     "TLS 1.2\\Client", "Enabled"),
    ("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\"
     "TLS 1.2\\Client", "DisabledByDefault"),
    ("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319", "SystemDefaultTlsVersions"),
    ("HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319", "SchUseStrongCrypto"),
    ("HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319",
     "SystemDefaultTlsVersions"),
    ("HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\16.0\\Outlook\\Cached Mode", "Enable"),
    ("HKEY_CURRENT_USER\\Control Panel\\International", "sShortDate"),
    ("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\SQLBrowser", "Start"),
}
ROLES = ["migration-server", "worker", "sql-server"]

problems = []


def fail(msg):
    problems.append(msg)
    print("FAIL:", msg, flush=True)


def reg_values(snap):
    """{(KEY, NAME): data} of the exports, keys and names upper-cased, without what Wine
    rewrites by itself (wine_test.WINE_OWN) outside HKLM\\SOFTWARE."""
    out = {}
    for part, raw in snap.items():
        text = raw.decode("utf-16", errors="replace")
        lines = text.splitlines() if part == "HKLM\\SOFTWARE" else wine_test.wine_noise_removed(text)
        key, pending = None, ""
        for line in lines:
            line = pending + line
            if line.endswith("\\") and not line.startswith("["):
                pending = line[:-1].strip() if pending else line[:-1]
                continue
            pending = ""
            if line.startswith("[") and line.endswith("]"):
                key = line[1:-1].upper()
                out[(key, None)] = "key"
            elif key and line.startswith(('"', "@")) and "=" in line:
                if line.startswith("@"):
                    name, data = "", line[2:]
                else:
                    end = 1
                    while end < len(line) and not (line[end] == '"' and line[end - 1] != "\\"):
                        end += 1
                    name, data = line[1:end], line[end + 2:]
                out[(key, name.upper())] = data
    return out


WOW = "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432NODE\\"


def differences(a, b):
    return {k for k in set(a) | set(b) if a.get(k) != b.get(k)}


def same_value_other_view(k, d, a, b):
    """A key Wine shares between the registry views (as Windows does with some keys)
    shows a change under Wow6432Node as well: the same value, not another change."""
    if not k[0].startswith(WOW):
        return False
    native = ("HKEY_LOCAL_MACHINE\\SOFTWARE\\" + k[0][len(WOW):], k[1])
    return native in d and a.get(k) == a.get(native) and b.get(k) == b.get(native)


def show(keys, a, b):
    return "; ".join("%s %s: %r -> %r" % (k[0], k[1], a.get(k), b.get(k)) for k in sorted(keys, key=str)[:12])


class Loop:
    def __init__(self, args, wine):
        self.args, self.wine = args, wine
        self.pfx = os.path.join(args.workdir, "prefix")
        self.w = wine_test.Wine(wine, self.pfx)

    def run_script(self, path, *script_args, overrides="", timeout=120):
        """Runs a script with cmd /c; returns (exit code, stdout text)."""
        env = dict(self.w.env)
        if overrides:
            env["WINEDLLOVERRIDES"] = env["WINEDLLOVERRIDES"] + ";" + overrides
        r = subprocess.run([self.wine, "cmd", "/c", path, *script_args], env=env, timeout=timeout,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return r.returncode, r.stdout.decode("utf-8", errors="replace")

    def snapshot(self, tag):
        return reg_values(wine_test.registry_snapshot(self.w, tag))

    def collect(self, dest, plan=None):
        extra = ["--probe-plan", "C:\\rk\\host.plan"] if plan else []
        if plan:
            with open(os.path.join(self.pfx, "drive_c", "rk", "host.plan"), "w", encoding="utf-8") as f:
                f.write(plan)
        r = self.w.run(self.args.exe, *extra, "--out", "C:\\rk\\facts.json", timeout=120)
        if r.returncode != 0:
            raise RuntimeError("collector exited %d" % r.returncode)
        shutil.copy2(os.path.join(self.pfx, "drive_c", "rk", "facts.json"), dest)
        with open(dest, encoding="utf-8") as f:
            return json.load(f)


def render(args, project, out, *extra):
    r = subprocess.run([args.readykit, "render", project, "-o", out, "-q", "--schemas",
                        os.path.join(args.source, "schemas"), "--templates",
                        os.path.join(args.source, "templates"), *extra],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError("render %s: exit %d: %s" % (project, r.returncode, r.stderr[-1500:]))
    with open(os.path.join(out, "findings.json"), encoding="utf-8") as f:
        return json.load(f)


def collect_plan(args, project, host):
    """The host's plan from `readykit plan`, its collect lines only: the probes would
    reach out of the test machine."""
    r = subprocess.run([args.readykit, "plan", project, "--host", host, "--schemas",
                        os.path.join(args.source, "schemas")], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("plan: exit %d: %s" % (r.returncode, r.stderr))
    lines = [l for l in r.stdout.splitlines() if l.startswith("collect ")]
    if not lines:
        raise RuntimeError("the plan has no collect line: %s" % r.stdout)
    return "\n".join(lines) + "\n"


def write_project(path, host, facts, scenarios):
    lines = ["format: readykit-project/1", "customer: Remediation test", "project: Wine loop",
             "assessment_id: RK-REMEDIATION", "schema: migrator-pro-exchange-20.11", "language: en",
             "parameters:", "  scenarios: [%s]" % ", ".join(scenarios), "  mailbox_count: 100",
             "  large_public_folders: false", "zones:", "  - {id: lab, title: Test lab}", "hosts:",
             "  - name: %s" % host, "    fqdn: %s.lab.example" % host, "    address: 192.0.2.10",
             "    zone: lab", "    roles: [%s]" % ", ".join(ROLES), "    facts: %s" % json.dumps(facts)]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def statuses(findings, host):
    return {(f["requirement"], f.get("flow")): f["status"] for f in findings["findings"] if f["host"] == host}


def finding_detail(findings, host, req):
    """What a render said of one requirement on the host (for a failure message)."""
    return ["%s %s: actual %r; %s" % (f["requirement"], f["status"], f.get("actual"), f.get("message"))
            for f in findings["findings"] if f["host"] == host and f["requirement"] == req]


def fact_errors(path):
    """The errors[] a fact file records (the collector's own account of what it missed)."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f).get("errors", [])
    except (OSError, ValueError) as e:
        return ["cannot read %s: %s" % (path, e)]


def expect_unchanged(loop, before, what):
    after = loop.snapshot("".join(ch if ch.isalnum() else "-" for ch in what))
    d = differences(before, after)
    if d:
        fail("%s changed the registry: %s" % (what, show(d, before, after)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--readykit", required=True)
    ap.add_argument("--exe", required=True, help="readykit-collect.exe")
    ap.add_argument("--source", required=True, help="the source tree (schemas/, templates/)")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    wine = wine_test.find_wine()
    cc = shutil.which("x86_64-w64-mingw32-gcc")
    if not wine or not wine_test.wineserver_for(wine) or not cc:
        print("SKIP: wine64 or x86_64-w64-mingw32-gcc not installed")
        return 77
    if not os.path.exists(args.exe):
        print("FAIL: %s does not exist (collector_windows_build makes it)" % args.exe)
        return 1
    args.exe = os.path.abspath(args.exe)
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    t0 = time.monotonic()
    helpers = os.path.join(args.workdir, "helpers")
    os.makedirs(helpers)
    for name, src, libs in (("fake_service.exe", os.path.join(HERE, "..", "collector", "fake_service.c"),
                             ["-municode", "-ladvapi32"]),
                            ("sc_standin.exe", os.path.join(HERE, "sc_standin.c"), ["-municode", "-ladvapi32"]),
                            ("deny.exe", os.path.join(HERE, "deny.c"), [])):
        subprocess.run([cc, "-Os", "-s", "-o", os.path.join(helpers, name), src, *libs], check=True)

    loop = Loop(args, wine)
    w = loop.w
    try:
        w.run("wineboot", "-i", timeout=300)
        w.run("winecfg", "-v", "win10")
        w.stop()
        c = os.path.join(loop.pfx, "drive_c")
        sys32 = os.path.join(c, "windows", "system32")
        for d in ("readykit-test", "rk"):
            os.makedirs(os.path.join(c, d), exist_ok=True)
        shutil.copy2(os.path.join(helpers, "fake_service.exe"), os.path.join(c, "readykit-test"))
        # Wine's own sc.exe and net.exe stay in use unless a run asks for the stand-in
        shutil.copy2(os.path.join(helpers, "sc_standin.exe"), os.path.join(sys32, "sc.exe"))
        wine_test.import_profile(w, os.path.join(HERE, "profiles", "mpe-fixable.reg"), loop.pfx)
        w.stop()  # the next start reads the seeded services and starts the automatic ones
        for svc in ("MSSQLSERVER", "WinRM", "W3SVC"):
            for _ in range(100):
                if b"RUNNING" in w.run("sc", "query", svc, check=False).stdout:
                    break
                time.sleep(0.2)
        print("prefix ready in %.1f s" % (time.monotonic() - t0), flush=True)

        # ---- collect, render
        facts_dir = os.path.join(args.workdir, "facts")
        os.makedirs(facts_dir)
        host = loop.collect(os.path.join(facts_dir, "name.json"))["host"]["name"].lower()
        project = os.path.join(args.workdir, "project.yaml")
        scenarios = ["mailbox-inter-org", "mailbox-to-o365"]
        write_project(project, host, os.path.join(facts_dir, host + ".json"), scenarios)
        plan = collect_plan(args, project, host)
        first = loop.collect(os.path.join(facts_dir, host + ".json"), plan)
        out1 = os.path.join(args.workdir, "out1")
        found1 = render(args, project, out1)
        out_de = os.path.join(args.workdir, "out-de")
        render(args, project, out_de, "--lang", "de")
        before = statuses(found1, host)
        for req in FIXED:
            st = [s for (r, _), s in before.items() if r == req]
            if not st or any(s not in ("fail", "warn") for s in st):
                fail("%s is %s before the script; the profile should make it fail or warn" % (req, st))
        for f in found1["findings"]:
            if f["host"] == host and f["requirement"] in FIXED and f.get("fixed_by") != "remediation/%s.cmd" % host:
                fail("findings.json: %s fixed_by %r" % (f["requirement"], f.get("fixed_by")))
        script_dir = os.path.join(c, "rk", "remediation")
        shutil.copytree(os.path.join(out1, "remediation"), script_dir)
        names = sorted(os.listdir(script_dir))
        if names != sorted([host + ".cmd", host + "-undo.cmd"]):
            fail("render wrote %s into remediation/" % names)
            return 1
        script = "C:\\rk\\remediation\\%s.cmd" % host
        undo = "C:\\rk\\remediation\\%s-undo.cmd" % host
        log = os.path.join(script_dir, host + ".log")

        # another host's script: rendered from the same facts under another name
        other = "otherhost"
        doc = dict(first, host=dict(first["host"], name=other.upper(), fqdn=other + ".lab.example"))
        other_facts = os.path.join(args.workdir, other + ".json")
        with open(other_facts, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        other_project = os.path.join(args.workdir, "other.yaml")
        write_project(other_project, other, other_facts, scenarios)
        render(args, other_project, os.path.join(args.workdir, "out-other"))
        shutil.copy2(os.path.join(args.workdir, "out-other", "remediation", other + ".cmd"), script_dir)

        s0 = loop.snapshot("s0")

        # ---- every refusal changes nothing and writes no log
        rc, out = loop.run_script(script, "/now")
        if rc != 1:
            fail("a bad argument: exit %d, expected 1: %s" % (rc, out))
        rc, out = loop.run_script("C:\\rk\\remediation\\%s.cmd" % other, overrides="sc.exe=n")
        if rc != 2:
            fail("another host's script: exit %d, expected 2: %s" % (rc, out))
        rc, out = loop.run_script(script, "/check")
        lines = [l for l in out.splitlines() if " -> " in l]
        if rc != 0 or len(lines) != len(CHANGED):
            fail("/check: exit %d, %d changes listed (expected exit 0 and %d):\n%s" %
                 (rc, len(lines), len(CHANGED), out))
        if "SQLBrowser: stopped, start type disabled -> running, start type auto" not in out:
            fail("/check does not show the service as collected -> as required:\n%s" % out)
        if "value EnableLUA: 1 (REG_DWORD) -> 0 (REG_DWORD)" not in out:
            fail("/check does not show EnableLUA as collected -> as required:\n%s" % out)
        rc, out = loop.run_script(script, "/CHECK")
        if rc != 0:
            fail("/CHECK: exit %d" % rc)
        deny = os.path.join(helpers, "deny.exe")
        shutil.copy2(deny, os.path.join(sys32, "fltmc.exe"))
        net = os.path.join(sys32, "net.exe")
        shutil.copy2(net, os.path.join(args.workdir, "net.exe.wine"))
        shutil.copy2(deny, net)
        rc, out = loop.run_script(script, overrides="net.exe=n;sc.exe=n")
        os.unlink(os.path.join(sys32, "fltmc.exe"))
        shutil.copy2(os.path.join(args.workdir, "net.exe.wine"), net)
        if rc != 3:
            fail("without administrator rights: exit %d, expected 3: %s" % (rc, out))
        os.mkdir(log)  # a folder where the log goes: it cannot be written
        rc, out = loop.run_script(script, overrides="sc.exe=n")
        os.rmdir(log)
        if rc != 5:
            fail("log not writable: exit %d, expected 5: %s" % (rc, out))
        expect_unchanged(loop, s0, "the refused runs and /check")
        left = sorted(n for n in os.listdir(script_dir) if n.endswith(".log"))
        if left:
            fail("the refused runs and /check wrote %s" % left)

        # ---- the script
        rc, out = loop.run_script(script, overrides="sc.exe=n")
        print(out, flush=True)
        if rc != 0:
            fail("%s.cmd: exit %d:\n%s" % (host, rc, out))
            if os.path.exists(log):
                print(open(log, encoding="utf-8", errors="replace").read())
        s1 = loop.snapshot("s1")
        d = differences(s0, s1)
        want = {(k.upper(), v.upper()) for k, v in CHANGED}
        extra = {k for k in d - want if not same_value_other_view(k, d, s0, s1)}
        if extra:
            fail("the script changed what no fix names: %s" % show(extra, s0, s1))
        if want - d:
            fail("the script did not change %s" % show(want - d, s0, s1))
        if not os.path.isfile(log) or os.path.getsize(log) == 0:
            fail("no log %s" % log)
        else:
            text = open(log, encoding="utf-8", errors="replace").read()
            for needle in ("EnableLUA", "SQLBrowser", "Done"):
                if needle not in text:
                    fail("the log does not mention %s" % needle)
        if b"RUNNING" not in w.run("sc", "query", "SQLBrowser", check=False).stdout:
            fail("SQLBrowser is not running after the script")

        # ---- collect and render again: the fixed findings pass, nothing else moved
        first_facts = os.path.join(args.workdir, "first-facts.json")
        shutil.copy2(os.path.join(facts_dir, host + ".json"), first_facts)
        loop.collect(os.path.join(facts_dir, host + ".json"), plan)
        out2 = os.path.join(args.workdir, "out2")
        found2 = render(args, project, out2)
        after = statuses(found2, host)
        moved = False
        for key, st in sorted(before.items(), key=str):
            if key[0] in FIXED:
                if after.get(key) != "pass":
                    fail("%s is %s after the script, expected pass" % (key[0], after.get(key)))
            elif after.get(key) != st:
                moved = True
                fail("%s was %s, now %s: the script should not touch it\n  before: %s\n  after:  %s"
                     % (key[0], st, after.get(key), finding_detail(found1, host, key[0]),
                        finding_detail(found2, host, key[0])))
        if moved:  # what the collector could not read, each time
            print("errors[] of the first collection: %s" % json.dumps(fact_errors(first_facts)))
            print("errors[] of the second collection: %s"
                  % json.dumps(fact_errors(os.path.join(facts_dir, host + ".json"))), flush=True)
        if os.path.exists(os.path.join(out2, "remediation", host + ".cmd")):
            fail("after the fixes render still writes remediation/%s.cmd" % host)

        # ---- the undo script
        rc, out = loop.run_script(undo, "/check")
        if rc != 0 or out.count(" -> ") != len(CHANGED) or "Not put back" in out:
            fail("undo /check: exit %d, %d steps listed, expected %d, all put back:\n%s" %
                 (rc, out.count(" -> "), len(CHANGED), out))
        expect_unchanged(loop, s1, "undo /check")
        rc, out = loop.run_script(undo, overrides="sc.exe=n")
        print(out, flush=True)
        if rc != 0:
            fail("%s-undo.cmd: exit %d:\n%s" % (host, rc, out))
        s2_raw = wine_test.registry_snapshot(w, "s2")
        s2 = reg_values(s2_raw)
        d = differences(s0, s2)
        if d:
            fail("the undo script did not put the registry back: %s" % show(d, s0, s2))
        for _ in range(50):
            if b"STOPPED" in w.run("sc", "query", "SQLBrowser", check=False).stdout:
                break
            time.sleep(0.2)
        else:
            fail("SQLBrowser still runs after the undo script")
        # the German script says the same in German (in ASCII)
        shutil.copy2(os.path.join(out_de, "remediation", host + ".cmd"), os.path.join(script_dir, "de.cmd"))
        rc, out = loop.run_script("C:\\rk\\remediation\\de.cmd", "/check")
        if rc != 0 or "Aenderung" not in out or out.count(" -> ") != len(CHANGED):
            fail("German /check: exit %d:\n%s" % (rc, out))
    finally:
        w.stop()
        if not args.keep:
            shutil.rmtree(loop.pfx, ignore_errors=True)
    print("remediation loop under Wine: %d registry values and a service, fixed and put back; %.1f s"
          % (len(CHANGED), time.monotonic() - t0))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
