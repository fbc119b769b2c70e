#!/usr/bin/python3
"""check_exports.py - the import files for firewall tools read back with Python's csv,
ipaddress and openpyxl, never with readykit's code.

  check_exports.py READYKIT PROJECT WORKDIR [--golden DIR] [--families] [--no-repeat]

Renders PROJECT with --firewall-export all and checks every file: RFC 4180 (CRLF, a
header row, quoting read back strictly), UTF-8 without a byte-order mark, no cell a
spreadsheet would take for a formula, the column layout of each tool, and the property
that matters: the union of the lines of each file is exactly the flows of the rules in
findings.json (nothing widened, nothing lost), every line of one address family. The
workbook holds the same lines as the CSV file. A second render gives byte-identical
files (--no-repeat skips it). --golden DIR compares the CSV files with DIR
(RK_UPDATE_GOLDEN=1 rewrites them, refused under CI). --families also checks what the
IPv6 sample shows: dual-stack flows, flows whose ends share no family (a warning, a
finding and no rule). Exit 0 pass, 1 fail."""
import argparse
import csv
import io
import ipaddress
import json
import os
import shutil
import subprocess
import sys

import openpyxl

FAILS = []

TRAFFIC = ["Source", "Destination", "Service", "Action", "Comment", "Requestor", "Subject", "Due",
           "Expires"]
NETBOX = ["device", "virtual_machine", "name", "protocol", "ports", "ipaddresses", "description",
          "comments"]
PANOS = ["#Name", "Type", "Description", "Tags", "SourceZones", "SourceAddresses", "NegateSource",
         "SourceUsers", "HipProfiles", "DestinationZones", "DestinationAddresses",
         "NegateDestination", "Applications", "Services", "Categories", "Action", "LogSetting",
         "LogStart", "LogEnd", "Disabled", "Schedule", "IcmpUnreachable",
         "DisableServerResponseInspection", "Group", "Virus", "Spyware", "Vulnerability",
         "UrlFiltering", "FileBlocking", "WildFireAnalysis", "DataFiltering"]
OBJECTS = ["#Name", "Type", "Value", "Description", "Tags", "Device Group/Vsys"]
FILES = ["firewall-traffic.csv", "firewall-netbox-services.csv", "firewall-panos.csv",
         "firewall-panos-objects.csv"]


def check(cond, what):
    if not cond:
        FAILS.append(what)
    return cond


def family(token):
    """4, 6 or 'name' for an address, a CIDR block or a name."""
    try:
        return ipaddress.ip_network(token, strict=True).version
    except ValueError:
        return "name"


def merge(ranges):
    out = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [tuple(r) for r in out]


def normal(d):
    return {k: tuple(merge(v)) for k, v in d.items()}


def same(got, want, what):
    """got == want, else one failure naming the first difference each way."""
    if got == want:
        return True
    extra = sorted(k for k in got if got[k] != want.get(k))
    lost = sorted(k for k in want if want[k] != got.get(k))
    check(False, "%s: %d widened or extra, %d lost; e.g. %s / %s" % (
        what, len(extra), len(lost), [(k, got[k]) for k in extra[:1]],
        [(k, want[k]) for k in lost[:1]]))
    return False


def add(d, key, lo, hi):
    d.setdefault(key, []).append((lo, hi))


def read_csv(path, header):
    raw = open(path, "rb").read()
    check(not raw.startswith(b"\xef\xbb\xbf"), f"{path}: byte-order mark")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        check(False, f"{path}: not UTF-8: {e}")
        return []
    check(text.endswith("\r\n"), f"{path}: last line does not end in CRLF")
    check("\n" not in text.replace("\r\n", "") or '"' in text, f"{path}: a bare LF outside quotes")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    check(rows and rows[0] == header, f"{path}: header {rows[0] if rows else None} != {header}")
    for i, row in enumerate(rows[1:], 2):
        check(len(row) == len(header), f"{path}:{i}: {len(row)} fields, expected {len(header)}")
        for v in row:
            check(not (v[:1] in ("=", "+", "-", "@", "\t", "\r")),
                  f"{path}:{i}: cell {v[:40]!r} would be read as a formula")
    # every record ends in CRLF: count records against CRLFs outside quoted fields
    check(text.count("\r\n") >= len(rows), f"{path}: {len(rows)} records, fewer CRLFs")
    return [dict(zip(header, r)) for r in rows[1:]]


def rule_flows(d):
    """(source, destination, protocol) -> port ranges, over the flows of every rule."""
    want, by_host = {}, {}
    for f in d["flows"]:
        if "rule" not in f:
            check(f["address_family"] == "none", f"{f['id']}: in no rule but family {f['address_family']}")
            continue
        for s in f["from_family_addresses"]:
            for t in f["to_family_addresses"]:
                add(want, (s, t, f["protocol"]), f["port_from"], f["port_to"])
    return normal(want)


def ports(text):
    out = []
    for part in text.split(","):
        lo, _, hi = part.strip().partition("-")
        out.append((int(lo), int(hi or lo)))
    return out


def one_family(where, sources, destinations):
    fs = {family(x) for x in sources}
    fd = {family(x) for x in destinations}
    check(len(fs) == 1 and len(fd) == 1, f"{where}: mixes families {fs} / {fd}")
    if len(fs) == 1 and len(fd) == 1:
        a, b = next(iter(fs)), next(iter(fd))
        check(a == b or "name" in (a, b), f"{where}: IPv{a} to IPv{b}")


def check_traffic(out, d, change, want):
    rows = read_csv(os.path.join(out, "firewall-traffic.csv"), TRAFFIC)
    got = {}
    for i, r in enumerate(rows, 2):
        src, dst = r["Source"].split(";"), r["Destination"].split(";")
        one_family(f"traffic:{i}", src, dst)
        check(r["Action"] == "allow", f"traffic:{i}: action {r['Action']}")
        check(r["Comment"].startswith("R"), f"traffic:{i}: comment {r['Comment'][:30]!r}")
        for key in ("Source", "Destination", "Comment", "Subject"):
            check(len(r[key]) <= 32767, f"traffic:{i}: {key} longer than a cell")
        if change:
            check(r["Requestor"] == change.get("requester", ""), f"traffic:{i}: requestor")
            check(r["Expires"] == change.get("review_date", ""), f"traffic:{i}: expires {r['Expires']}")
            check(r["Due"] == change.get("due", ""), f"traffic:{i}: due {r['Due']} != {change.get('due')}")
        for svc in r["Service"].split(";"):
            proto, _, p = svc.partition("/")
            check(proto in ("tcp", "udp"), f"traffic:{i}: service {svc}")
            for lo, hi in ports(p):
                for s in src:
                    for t in dst:
                        add(got, (s, t, proto), lo, hi)
    got = normal(got)
    same(got, want, "traffic lines against the rules' flows")
    # the workbook holds the same lines
    wb = openpyxl.load_workbook(os.path.join(out, "firewall-traffic.xlsx"), read_only=True)
    check(len(wb.worksheets) == 1, f"traffic workbook has {len(wb.worksheets)} sheets")
    ws = wb.worksheets[0]
    cells = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
    check(cells and cells[0] == TRAFFIC, f"traffic workbook header {cells[:1]}")
    check([dict(zip(TRAFFIC, c)) for c in cells[1:]] == rows, "traffic workbook differs from the CSV")
    return len(rows)


def check_netbox(out, d, want):
    rows = read_csv(os.path.join(out, "firewall-netbox-services.csv"), NETBOX)
    hosts = {h["name"]: h for h in d["hosts"]}
    got, exp = {}, {}
    for f in d["flows"]:
        if "rule" in f and not f["to_host"].startswith("endpoint:"):
            add(exp, (f["to_host"], f["protocol"]), f["port_from"], f["port_to"])
    for i, r in enumerate(rows, 2):
        check(r["device"] in hosts and r["virtual_machine"] == "", f"netbox:{i}: device {r['device']}")
        check(r["protocol"] in ("tcp", "udp"), f"netbox:{i}: protocol {r['protocol']}")
        check(0 < len(r["name"]) <= 100, f"netbox:{i}: name length {len(r['name'])}")
        check(len(r["description"]) <= 200, f"netbox:{i}: description length {len(r['description'])}")
        ips = [x for x in r["ipaddresses"].split(",") if x]
        check(set(ips) <= set(hosts.get(r["device"], {}).get("addresses", [])),
              f"netbox:{i}: ipaddresses {ips} not the host's")
        for lo, hi in ports(r["ports"]):
            check(1 <= lo <= hi <= 65535, f"netbox:{i}: ports {r['ports']}")
            add(got, (r["device"], r["protocol"]), lo, hi)
    same(normal(got), normal(exp), "NetBox services against the rules' flows per host")
    return len(rows)


def check_panos(out, d, want):
    objs = read_csv(os.path.join(out, "firewall-panos-objects.csv"), OBJECTS)
    rules = read_csv(os.path.join(out, "firewall-panos.csv"), PANOS)
    svc, fqdn = {}, {}
    for i, o in enumerate(objs, 2):
        check(o["#Name"] not in svc and o["#Name"] not in fqdn, f"objects:{i}: {o['#Name']} twice")
        check(0 < len(o["#Name"]) <= 63, f"objects:{i}: name length")
        if o["Type"] in ("tcp", "udp"):
            svc[o["#Name"]] = (o["Type"], ports(o["Value"]))
        else:
            check(o["Type"] == "fqdn", f"objects:{i}: type {o['Type']}")
            fqdn[o["#Name"]] = o["Value"]
    names, got = set(), {}
    for i, r in enumerate(rules, 2):
        n = r["#Name"]
        check(n not in names and 0 < len(n) <= 63 and
              all(c.isalnum() or c in "_-. " for c in n), f"panos:{i}: name {n!r}")
        names.add(n)
        check(r["Type"] == "universal" and r["Action"] == "allow", f"panos:{i}: type/action")
        check(len(r["Description"]) <= 1023, f"panos:{i}: description too long")
        src = [fqdn.get(x.strip(), x.strip()) for x in r["SourceAddresses"].split(",")]
        dst = [fqdn.get(x.strip(), x.strip()) for x in r["DestinationAddresses"].split(",")]
        for x in src + dst:
            check(family(x) != "name" or x in fqdn.values(), f"panos:{i}: {x} is no object")
        one_family(f"panos:{i}", src, dst)
        for s_name in r["Services"].split(","):
            s_name = s_name.strip()
            if not check(s_name in svc, f"panos:{i}: service {s_name} has no object"):
                continue
            proto, rs = svc[s_name]
            for lo, hi in rs:
                for s in src:
                    for t in dst:
                        add(got, (s, t, proto), lo, hi)
    same(normal(got), want, "PAN-OS rules against the rules' flows")
    return len(rules)


def check_families(d, stderr, out):
    fams = {f["address_family"] for f in d["flows"]}
    check({"ipv4", "ipv6", "name", "none"} <= fams, f"flow families {fams}")
    none = [f for f in d["flows"] if f["address_family"] == "none"]
    check(none and all("rule" not in f for f in none), "flows without a family in a rule")
    reasons = [x for x in d["findings"] if x.get("reason") == "no-common-family"]
    flagged = {x["flow"] for x in reasons}
    check(reasons and all(x["status"] == "fail" for x in reasons), "no-common-family findings")
    check({f["id"] for f in none} == flagged, "a flow without a common family has no finding")
    check("share no address family" in stderr, "no warning about ends without a common family")
    # the findings are in the readiness workbook too, and the flows in the firewall workbook
    cells = set()
    for book in ("readiness.xlsx", "firewall.xlsx"):
        wb = openpyxl.load_workbook(os.path.join(out, book), read_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells.update(v for v in row if isinstance(v, str))
    for x in reasons:
        check(x["message"] in cells, f"{x['host']} {x['flow']}: finding not in readiness.xlsx")
    for f in none:
        check(f["id"] in cells, f"{f['id']}: no row in firewall.xlsx")
    for r in d["rules"]:
        fs = {family(x) for x in r["source_addresses"]}
        fd = {family(x) for x in r["destination_addresses"]}
        check(len(fs) == 1 and len(fd) == 1, f"rule {r['id']} mixes families {fs} {fd}")
    # a dual-stack pair: one flow per family, the same ports
    pairs = {}
    for f in d["flows"]:
        pairs.setdefault((f["from_host"], f["to_host"], f["protocol"], f["port_from"]), set()).add(
            f["address_family"])
    check(any({"ipv4", "ipv6"} <= v for v in pairs.values()), "no dual-stack flow pair")


def render(readykit, project, out, extra=()):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1763625600", TZ="UTC", LC_ALL="C.UTF-8")
    r = subprocess.run([readykit, "render", project, "-o", out, "--firewall-export", "all",
                        *extra], capture_output=True, text=True, env=env)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("readykit")
    ap.add_argument("project")
    ap.add_argument("work")
    ap.add_argument("--golden")
    ap.add_argument("--families", action="store_true")
    ap.add_argument("--no-repeat", action="store_true")
    a = ap.parse_args()
    out = os.path.join(a.work, "out")
    r = render(a.readykit, a.project, out)
    if r.returncode != 0:
        print("render failed (exit %d): %s" % (r.returncode, r.stderr[-2000:]))
        return 1
    d = json.load(open(os.path.join(out, "findings.json"), encoding="utf-8"))
    text = open(a.project, encoding="utf-8").read()
    change = None
    if "\nchange:" in text:
        import yaml
        ch = yaml.safe_load(text).get("change") or {}
        change = {"requester": ch.get("requester", ""), "review_date": str(ch.get("review_date", "")),
                  "due": str(ch.get("window", ""))[:10] if str(ch.get("window", ""))[:4].isdigit() else ""}
    want = rule_flows(d)
    n = check_traffic(out, d, change, want)
    m = check_netbox(out, d, want)
    k = check_panos(out, d, want)
    if a.families:
        check_families(d, r.stderr, out)
    if not a.no_repeat:
        r2 = render(a.readykit, a.project, os.path.join(a.work, "again"))
        check(r2.returncode == 0, "second render failed")
        for f in FILES + ["firewall-traffic.xlsx"]:
            check(open(os.path.join(out, f), "rb").read() ==
                  open(os.path.join(a.work, "again", f), "rb").read(), f"{f} is not reproducible")
    if a.golden:
        update = os.environ.get("RK_UPDATE_GOLDEN") == "1"
        if update and os.environ.get("CI"):
            print("FAIL: golden files are never rewritten in CI (RK_UPDATE_GOLDEN=1 with CI set)")
            return 1
        for f in FILES:
            g = os.path.join(a.golden, f)
            have = open(os.path.join(out, f), "rb").read()
            if update:
                os.makedirs(a.golden, exist_ok=True)
                open(g, "wb").write(have)
            elif check(os.path.exists(g), f"no golden file {g}"):
                check(open(g, "rb").read() == have, f"{f} differs from {g} (RK_UPDATE_GOLDEN=1 to review)")
    for f in FAILS[:40]:
        print("FAIL:", f)
    if FAILS:
        print("%d problem(s)" % len(FAILS))
        return 1
    print("ok: %d flows in %d rules; %d traffic lines, %d NetBox services, %d PAN-OS rules" % (
        len(d["flows"]), len(d["rules"]), n, m, k))
    return 0


if __name__ == "__main__":
    sys.exit(main())
