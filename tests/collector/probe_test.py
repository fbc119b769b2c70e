#!/usr/bin/python3
"""probe_test.py - readykit-collect's probes in a network namespace this test creates
(unshare -n as root, else unshare -rn): loopback listeners for open, an unused port for
closed, an iptables DROP rule for filtered; IPv6 literals and a name that resolves only
to ::1 (an /etc/hosts bound in a mount namespace). Proves that hundreds of filtered probes take
about one timeout, that concurrency is bounded, that a malformed plan (a probe line or a
collect line) sends nothing and writes nothing, and that nothing outside the plan (and no
UDP) is sent. Exit 77 only without namespaces."""
import argparse
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import time

import jsonschema

FILTERED = (20000, 20999)   # iptables drops SYNs to these
PLANNED = (31000, 31099)    # listeners and the closed port live here
N_FILTERED = 300


def in_namespace(argv):
    """Runs this script again inside a fresh network namespace; returns its exit code."""
    env = dict(os.environ, RKC_IN_NETNS="1")
    for prefix in ([["unshare", "-n"]] if os.geteuid() == 0 else []) + [["unshare", "-rn"]]:
        if subprocess.run(prefix + ["true"], stderr=subprocess.DEVNULL).returncode == 0:
            return subprocess.run(prefix + [sys.executable, os.path.abspath(__file__)] + argv,
                                  env=env).returncode
    print("SKIP: cannot create a network namespace (unshare -n / -rn)")
    return 77


def sh(*cmd):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout


def counters():
    """Packet counters of the OUTPUT rules, in order, IPv4 then IPv6."""
    out = []
    for tool in ("iptables", "ip6tables"):
        for line in sh(tool, "-L", "OUTPUT", "-v", "-x", "-n").splitlines()[2:]:
            out.append(int(line.split()[0]))
    return out


def collect(args, plan_lines, *extra):
    path = os.path.join(args.tmp, "probe.plan")
    with open(path, "w") as f:
        f.write("# probe test\n" + "".join(l + "\n" for l in plan_lines))
    t0 = time.monotonic()
    r = subprocess.run([args.exe, "--probe-plan", path, *extra], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    return r, time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exe", required=True)
    ap.add_argument("--schema", required=True)
    args = ap.parse_args()
    if os.environ.get("RKC_IN_NETNS") != "1":
        return in_namespace(sys.argv[1:])
    args.exe = os.path.abspath(args.exe)
    args.tmp = "/tmp/rkc-probe-test-%d" % os.getpid()
    os.makedirs(args.tmp, exist_ok=True)
    with open(args.schema) as f:
        schema = json.load(f)
    problems = []
    say = problems.append

    sh("ip", "link", "set", "lo", "up")
    for tool in ("iptables", "ip6tables"):
        sh(tool, "-A", "INPUT", "-p", "tcp", "--dport", "%d:%d" % FILTERED, "-j", "DROP")
        sh(tool, "-A", "OUTPUT", "-p", "tcp", "--syn", "--dport", "%d:%d" % FILTERED, "-j", "ACCEPT")
        sh(tool, "-A", "OUTPUT", "-p", "tcp", "--syn", "--dport", "%d:%d" % PLANNED, "-j", "ACCEPT")
        sh(tool, "-A", "OUTPUT", "-p", "udp", "--dport", "53", "-j", "ACCEPT")  # name lookups
        sh(tool, "-A", "OUTPUT", "-p", "tcp", "--syn")  # counts SYNs anywhere else
        sh(tool, "-A", "OUTPUT", "-p", "udp")           # counts any other UDP

    listeners = []
    for fam, addr, port in ((socket.AF_INET, "127.0.0.1", 31000), (socket.AF_INET, "127.0.0.1", 31001),
                            (socket.AF_INET6, "::1", 31002), (socket.AF_INET, "127.0.0.1", 31003),
                            (socket.AF_INET6, "::1", 31003)):
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if fam == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((addr, port))
        s.listen(64)
        listeners.append(s)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 31050))

    # 1. One of each result.
    plan = ["tcp 31000 127.0.0.1 OPEN4", "TCP 31002 ::1 OPEN6", "tcp 31003 localhost OPENNAME",
            "tcp 31010 127.0.0.1 CLOSED", "tcp 20000 127.0.0.1 FILTERED",
            "udp 31050 127.0.0.1 UDPADDR", "udp 31050 localhost UDPNAME",
            "tcp 31001 no-such-host.invalid UNRESOLVED"]
    r, took = collect(args, plan, "--timeout-ms", "1000")
    if r.returncode != 0 or r.stderr:
        say("run 1: exit %d, stderr %r" % (r.returncode, r.stderr))
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, schema)
    got = {p["flow"]: p for p in doc["probes"]}
    want = {"OPEN4": ("open", "127.0.0.1"), "OPEN6": ("open", "::1"), "OPENNAME": ("open", None),
            "CLOSED": ("closed", "127.0.0.1"), "FILTERED": ("filtered", "127.0.0.1"),
            "UDPADDR": ("not-verifiable", "127.0.0.1"), "UDPNAME": ("not-verifiable", None),
            "UNRESOLVED": ("error", None)}
    if [p["flow"] for p in doc["probes"]] != [l.split()[3] for l in plan]:
        say("probes not in plan order")
    for flow, (result, address) in want.items():
        p = got.get(flow, {})
        if p.get("result") != result:
            say("%s: result %r, expected %r" % (flow, p.get("result"), result))
        if flow != "OPENNAME" and p.get("address") != address:
            say("%s: address %r, expected %r" % (flow, p.get("address"), address))
    if got["OPENNAME"].get("address") not in ("127.0.0.1", "::1"):
        say("localhost resolved to %r" % got["OPENNAME"].get("address"))
    if not 1000 <= got["FILTERED"]["ms"] <= 1500:
        say("filtered probe took %s ms with a 1000 ms timeout" % got["FILTERED"]["ms"])
    if got["CLOSED"]["ms"] > 200 or got["OPEN4"]["ms"] > 200:
        say("loopback answers took %s / %s ms" % (got["CLOSED"]["ms"], got["OPEN4"]["ms"]))
    if "error" not in got["UNRESOLVED"] or got["UDPADDR"].get("ms") != 0:
        say("error text or UDP timing missing: %r %r" % (got["UNRESOLVED"], got["UDPADDR"]))
    if doc["collector"].get("timeout_ms") != 1000:
        say("collector.timeout_ms %r" % doc["collector"].get("timeout_ms"))

    # 1b. IPv6 by name: a name that resolves only to ::1 (an /etc/hosts of this test,
    # bound over the real one in a mount namespace of its own) is connected over IPv6.
    hosts = os.path.join(args.tmp, "hosts")
    with open(hosts, "w") as f:
        f.write("::1 v6only.readykit.test\n")
    plan_path = os.path.join(args.tmp, "v6.plan")
    with open(plan_path, "w") as f:
        f.write("tcp 31002 v6only.readykit.test NAME6\ntcp 31010 v6only.readykit.test NAME6C\n"
                "tcp 31002 2001:db8::1 DOC6\n")
    r = subprocess.run(["unshare", "-m", "sh", "-c", 'mount --bind "$0" /etc/hosts && exec "$1" '
                        '--probe-plan "$2" --timeout-ms 1000', hosts, args.exe, plan_path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if r.returncode != 0:
        say("IPv6 names: exit %d, stderr %r" % (r.returncode, r.stderr[-300:]))
    else:
        got6 = {p["flow"]: p for p in json.loads(r.stdout)["probes"]}
        for flow, result in (("NAME6", "open"), ("NAME6C", "closed")):
            p = got6.get(flow, {})
            if p.get("result") != result or p.get("address") != "::1":
                say("%s: %r, expected %s on ::1" % (flow, p, result))
        # an IPv6 literal without a route in this namespace: an error, never open
        if got6.get("DOC6", {}).get("result") not in ("error", "filtered"):
            say("DOC6: %r, expected error (no IPv6 route)" % got6.get("DOC6"))

    # 2. Hundreds of filtered ports finish in about one timeout, not one each.
    timeout = 1000
    plan = ["tcp %d 127.0.0.1 F%03d" % (FILTERED[0] + i, i) for i in range(N_FILTERED)]
    r, took = collect(args, plan, "--timeout-ms", str(timeout))
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, schema)
    bad = [p for p in doc["probes"] if p["result"] != "filtered" or not timeout <= p["ms"] <= timeout * 1.5]
    if bad:
        say("%d of %d filtered probes wrong, e.g. %r" % (len(bad), N_FILTERED, bad[0]))
    if not timeout / 1000 <= took <= 1.5 * timeout / 1000:
        say("%d filtered probes took %.2f s with a %d ms timeout" % (N_FILTERED, took, timeout))
    phase = doc["collector"]["probes_elapsed_ms"] / 1000
    if not timeout / 1000 <= phase <= 1.5 * timeout / 1000:
        say("probe phase %.2f s" % phase)
    print("%d filtered probes, timeout %d ms: %.2f s in total (probe phase %.2f s)" % (
        N_FILTERED, timeout, took, phase))

    # 3. Concurrency is bounded: 300 probes 100 at a time take three timeouts.
    r, took3 = collect(args, plan, "--timeout-ms", "500", "--parallel", "100")
    if not 1.45 <= took3 <= 2.5:
        say("300 filtered probes, 100 at a time, 500 ms: %.2f s (expected about 1.5 s)" % took3)
    print("%d filtered probes, 100 at a time, timeout 500 ms: %.2f s" % (N_FILTERED, took3))

    # 4. A malformed plan is refused before anything is sent.
    c0 = counters()
    r, _ = collect(args, ["tcp 31000 127.0.0.1 OK", "tcp 31001 127.0.0.1 OK2", "tcp 99999 127.0.0.1 BAD"])
    if r.returncode != 3 or r.stdout or b":4: bad port '99999'" not in r.stderr:
        say("malformed plan: exit %d, stdout %r, stderr %r" % (r.returncode, r.stdout[:80], r.stderr))
    if counters() != c0:
        say("a malformed plan sent packets: %s -> %s" % (c0, counters()))
    # ... and so is one whose collect line is malformed: nothing probed, nothing written.
    c0 = counters()
    out = os.path.join(args.tmp, "facts.json")
    r, _ = collect(args, ["tcp 31000 127.0.0.1 OK", "collect conf file /etc/hostname",
                          'collect key registry "HKLM\\SOFTWARE\\X Enabled'],
                   "--out", out)
    if r.returncode != 3 or r.stdout or b":4: unterminated quoted argument" not in r.stderr:
        say("malformed collect line: exit %d, stdout %r, stderr %r" % (r.returncode, r.stdout[:80], r.stderr))
    if counters() != c0:
        say("a malformed collect line sent packets: %s -> %s" % (c0, counters()))
    if os.path.exists(out) or [f for f in os.listdir(args.tmp) if ".tmp-" in f]:
        say("a malformed collect line left output: %s" % os.listdir(args.tmp))

    # 5. Nothing outside the plan, no UDP.
    c = counters()
    per_family = len(c) // 2
    for fam in (0, 1):
        other_syn, other_udp = c[fam * per_family + 3], c[fam * per_family + 4]
        if other_syn or other_udp:
            say("packets outside the plan (IPv%d): %d SYN, %d UDP" % (4 if fam == 0 else 6, other_syn, other_udp))
    if select.select([udp], [], [], 0)[0]:
        say("a UDP datagram reached the UDP line's port")
    if c[1] == 0 or c[0] < N_FILTERED:
        say("the SYN counters did not count the planned probes: %s" % c)
    shutil.rmtree(args.tmp, ignore_errors=True)

    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
