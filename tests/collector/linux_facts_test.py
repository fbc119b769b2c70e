#!/usr/bin/python3
"""linux_facts_test.py - readykit-collect's Linux backend against what this machine reports
(/proc/meminfo, nproc, df, uname, id, /etc/os-release): every documented fact is present or
explicitly unavailable (errors[] with a code), and the file validates against the schema.
Then collect items on Linux: file items (present, with spaces and umlauts in the path;
missing; a folder), every Windows-only kind reported as unsupported, and the plan summary."""
import argparse
import calendar
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import jsonschema

# Every documented key of each group (the contract in schemas/facts.schema.json).
DOCUMENTED = {
    "host": ["name", "fqdn", "domain", "domain_joined", "workgroup", "netbios_domain", "addresses"],
    "os": ["name", "version", "build", "ubr", "installation_type", "edition_id", "product_type",
           "arch", "short_date_format", "kernel", "id"],
    "hardware": ["cpu_model", "cpu_sockets", "cpu_cores", "cpu_logical", "cpu_mhz", "memory_bytes",
                 "memory_installed_bytes", "memory_available_bytes", "display_width",
                 "display_height", "disks"],
    "software": ["powershell_versions", "dotnet_release", "iis_version", "ie_version",
                 "ie_registry_version", "ie_svc_version", "firefox_version",
                 "firefox_current_version", "outlook", "sql_instances", "exchange"],
    "settings": ["uac_enable_lua", "ie_esc_admins", "ie_esc_users", "tls10", "tls11", "tls12",
                 "tls13", "dotnet_strong_crypto", "dotnet_system_default_tls",
                 "dotnet_strong_crypto_wow", "dotnet_system_default_tls_wow",
                 "dotnet2_strong_crypto", "dotnet2_system_default_tls",
                 "dotnet2_strong_crypto_wow", "dotnet2_system_default_tls_wow", "winrm_listeners"],
    "services": ["SQLBrowser", "WinRM", "W3SVC"],
    "identity": ["user", "sid", "local_admin", "elevated", "admin_group_member", "groups",
                 "deny_only_groups"],
}


def sh(*cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, check=True, text=True).stdout.strip()


def check_collect_items(exe, schema, say):
    """Runs the collector with a plan of collect items and checks collected{}, errors[]
    and the plan summary exactly."""
    with tempfile.TemporaryDirectory(prefix="rkc-linux-collect-") as d:
        folder = os.path.join(d, "Grüße aus Köln")
        os.mkdir(folder)
        present = os.path.join(folder, "Datei mit Ümlaut.conf")
        with open(present, "wb") as f:
            f.write(b"key = value\n" * 3)
        stamp = calendar.timegm(time.strptime("2026-11-20T08:15:00Z", "%Y-%m-%dT%H:%M:%SZ"))
        os.utime(present, (stamp, stamp))
        quoted = os.path.join(d, 'say "hi".txt')
        with open(quoted, "wb") as f:
            f.write(b"x")
        os.utime(quoted, (0, 0))
        plan = os.path.join(d, "linux.plan")
        text = ("# collect items on Linux\n"
                "udp 53 127.0.0.1 DNS\n"
                'collect conf file "%s"\n' % present +
                'collect quoted file "%s"\n' % quoted.replace('"', '""') +
                "collect missing file %s/nicht-da.conf\n" % d +
                'collect folder file "%s"\n' % folder +
                'collect reg registry "HKLM\\SOFTWARE\\X" ""\n'
                'collect prog program "Firefox*"\n'
                "collect ver file_version /usr/bin/env\n"
                "collect svc service sshd\n"
                "collect feat windows_feature Web-Server\n")
        with open(plan, "w", encoding="utf-8") as f:
            f.write(text)
        r = subprocess.run([exe, "--probe-plan", plan], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=30)
        if r.returncode != 0 or r.stderr:
            say("with a plan: exit %d, stderr %r" % (r.returncode, r.stderr))
            return
        doc = json.loads(r.stdout)
        jsonschema.validate(doc, schema)
    want = {"conf": {"size": 36, "modified": "2026-11-20T08:15:00Z"},
            "quoted": {"size": 1, "modified": "1970-01-01T00:00:00Z"},
            "missing": None}
    if doc.get("collected") != want or list(doc.get("collected", {})) != list(want):
        say("collected %s, expected %s" % (json.dumps(doc.get("collected"), ensure_ascii=False), want))
    errors = {e["fact"]: e for e in doc["errors"] if e["fact"].startswith("collected.")}
    if errors.get("collected.folder", {}).get("code") != "failed" or \
            "a folder, not a file" not in errors.get("collected.folder", {}).get("message", ""):
        say("a folder as a file item: %s" % errors.get("collected.folder"))
    for item, kind in (("reg", "registry"), ("prog", "program"), ("ver", "file_version"),
                       ("svc", "service"), ("feat", "windows_feature")):
        e = errors.get("collected." + item, {})
        if e.get("code") != "unsupported" or \
                "%s items are not available on linux" % kind not in e.get("message", ""):
            say("%s item on Linux: %s, expected unsupported, not available on linux" % (kind, e))
    if len(errors) != 6:
        say("errors[] for collect items: %s" % sorted(errors))
    summary = {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "probes": 1,
               "items": ["conf", "quoted", "missing", "folder", "reg", "prog", "ver", "svc", "feat"]}
    if doc.get("plan") != summary:
        say("plan %s, expected %s" % (doc.get("plan"), summary))
    if [p["result"] for p in doc["probes"]] != ["not-verifiable"]:
        say("probes with the plan: %s" % doc["probes"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exe", required=True)
    ap.add_argument("--schema", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--save", help="also write the facts here (for the render test)")
    args = ap.parse_args()
    problems = []
    say = problems.append

    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    r = subprocess.run([args.exe], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    after = datetime.datetime.now(datetime.timezone.utc)
    if r.returncode != 0 or r.stderr:
        say("exit %d, stderr %r" % (r.returncode, r.stderr))
    doc = json.loads(r.stdout)
    with open(args.schema) as f:
        schema = json.load(f)
    jsonschema.validate(doc, schema)
    if "plan" in doc or "collected" in doc:
        say("plan or collected written without --probe-plan")
    if args.save:
        os.makedirs(os.path.dirname(args.save), exist_ok=True)
        with open(args.save, "wb") as f:
            f.write(r.stdout)

    c = doc["collector"]
    if (c["name"], c["version"], c["platform"]) != ("readykit-collect", args.version, "linux"):
        say("collector %r" % c)
    at = datetime.datetime.strptime(doc["collected_at"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)
    if not before <= at <= after:
        say("collected_at %s not between %s and %s" % (doc["collected_at"], before, after))

    # Present, or explicitly unavailable: an errors[] entry with a code.
    errors = {e["fact"]: e for e in doc["errors"]}
    for e in doc["errors"]:
        if e.get("code") not in ("unsupported", "access-denied", "failed") or not e.get("message"):
            say("malformed error entry %r" % e)
    for group, keys in DOCUMENTED.items():
        for k in keys:
            fact = group + "." + k
            if k in doc[group] and fact in errors:
                say("%s both present and in errors[]" % fact)
            if k not in doc[group] and fact not in errors:
                say("%s neither present nor in errors[]" % fact)
    for group in ("software", "settings"):
        for k in DOCUMENTED[group]:
            if errors.get(group + "." + k, {}).get("code") != "unsupported":
                say("%s.%s is not marked unsupported on Linux" % (group, k))

    # host
    h = doc["host"]
    if h["name"] != os.uname().nodename.split(".")[0]:
        say("host.name %r, uname says %r" % (h["name"], os.uname().nodename))
    if h["fqdn"] is not None and not h["fqdn"].lower().startswith(h["name"].lower() + "."):
        say("host.fqdn %r does not extend host.name" % h["fqdn"])
    ip = sh("ip", "-o", "addr", "show")
    for a in h["addresses"]:
        if not re.search(r"\sinet6?\s%s/" % re.escape(a), ip):
            say("address %s not in `ip addr`" % a)
        if a in ("127.0.0.1", "::1"):
            say("loopback address listed")

    # os
    osr = {}
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release") as f:
            for line in f:
                k, _, v = line.strip().partition("=")
                osr[k] = v.strip('"')
    o = doc["os"]
    if o["name"] != osr.get("PRETTY_NAME", o["name"]):
        say("os.name %r, os-release %r" % (o["name"], osr.get("PRETTY_NAME")))
    if o["version"] != osr.get("VERSION_ID"):
        say("os.version %r, os-release %r" % (o["version"], osr.get("VERSION_ID")))
    if o["kernel"] != os.uname().release:
        say("os.kernel %r" % o["kernel"])
    arch = {"x86_64": "x64", "aarch64": "arm64", "i686": "x86"}.get(os.uname().machine, os.uname().machine)
    if o["arch"] != arch:
        say("os.arch %r, expected %r" % (o["arch"], arch))

    # hardware
    hw = doc["hardware"]
    with open("/proc/meminfo") as f:
        mem = {l.split(":")[0]: int(l.split()[1]) * 1024 for l in f if l.split()[-1] == "kB"}
    if hw["memory_bytes"] != mem["MemTotal"]:
        say("memory_bytes %d, /proc/meminfo %d" % (hw["memory_bytes"], mem["MemTotal"]))
    if abs(hw["memory_available_bytes"] - mem["MemAvailable"]) > mem["MemTotal"] // 20:
        say("memory_available_bytes %d far from %d" % (hw["memory_available_bytes"], mem["MemAvailable"]))
    nproc = int(sh("nproc", "--all"))
    if hw["cpu_logical"] != nproc:
        say("cpu_logical %d, nproc --all %d" % (hw["cpu_logical"], nproc))
    with open("/proc/cpuinfo") as f:
        cpuinfo = f.read()
    pairs, pkg = set(), "0"
    for line in cpuinfo.splitlines():
        if line.startswith("physical id"):
            pkg = line.split(":")[1].strip()
        elif line.startswith("core id"):
            pairs.add((pkg, line.split(":")[1].strip()))
    if pairs and hw["cpu_cores"] != len(pairs):
        say("cpu_cores %d, /proc/cpuinfo has %d cores" % (hw["cpu_cores"], len(pairs)))
    if not 1 <= hw["cpu_cores"] <= hw["cpu_logical"]:
        say("cpu_cores %d vs cpu_logical %d" % (hw["cpu_cores"], hw["cpu_logical"]))
    m = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    if m and hw["cpu_model"] != m.group(1).strip():
        say("cpu_model %r, /proc/cpuinfo %r" % (hw["cpu_model"], m.group(1)))
    m = re.search(r"^cpu MHz\s*:\s*([0-9.]+)", cpuinfo, re.M)
    freq = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"
    ref = int(open(freq).read()) / 1000 if os.path.exists(freq) else (float(m.group(1)) if m else None)
    if ref and abs(hw["cpu_mhz"] - ref) > 1:
        say("cpu_mhz %d, system says %.0f" % (hw["cpu_mhz"], ref))
    disks = {d["path"]: d for d in hw["disks"]}
    if "/" not in disks:
        say("no / in hardware.disks: %s" % list(disks))
    for path, d in disks.items():
        size, avail = map(int, sh("df", "-B1", "--output=size,avail", path).splitlines()[1].split())
        if d["total_bytes"] != size:
            say("%s total_bytes %d, df %d" % (path, d["total_bytes"], size))
        if abs(d["free_bytes"] - avail) > max(64 << 20, size // 100):
            say("%s free_bytes %d, df %d" % (path, d["free_bytes"], avail))
    if os.path.isdir("/sys/class/drm") is False and hw["display_width"] is not None:
        say("display_width on a host without display")

    # identity
    idn = doc["identity"]
    if idn["user"] != sh("id", "-un"):
        say("identity.user %r" % idn["user"])
    if idn["local_admin"] != (os.geteuid() == 0):
        say("identity.local_admin %r" % idn["local_admin"])
    if set(idn["groups"]) != set(sh("id", "-Gn").split()):
        say("identity.groups %r, id -Gn %r" % (idn["groups"], sh("id", "-Gn")))
    if doc["probes"] != []:
        say("probes without a plan")

    check_collect_items(args.exe, schema, say)

    for p in problems:
        print("FAIL:", p)
    print("checked %d facts, %d errors[] entries (all unsupported-on-Linux or explained)" % (
        sum(len(v) for v in DOCUMENTED.values()), len(doc["errors"])))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
