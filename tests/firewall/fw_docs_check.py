#!/usr/bin/python3
"""The firewall-rule request end to end, read back only with independent tools:
findings.json (json), firewall.csv (csv), firewall.xlsx (openpyxl), firewall.pdf (qpdf,
pdftotext). Usage: fw_docs_check.py READYKIT PROJECT WORKDIR"""
import csv
import json
import os
import re
import subprocess
import sys

import openpyxl

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def main():
    readykit, project, work = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(work, exist_ok=True)
    out = os.path.join(work, "fw")
    os.makedirs(out, exist_ok=True)
    r = subprocess.run([readykit, "render", project, "-o", out, "-q"], capture_output=True, text=True)
    if r.returncode != 0:
        print("render failed:", r.stderr)
        return 1
    d = json.load(open(os.path.join(out, "findings.json")))
    flows, rules = d["flows"], d["rules"]
    hosts = {h["name"]: h for h in d["hosts"]}
    proj = open(project, encoding="utf-8").read()
    change_id = re.search(r"^\s+id:\s*(\S+)", proj.split("change:")[1], re.M).group(1)
    review = re.search(r"review_date:\s*(\S+)", proj).group(1)

    # findings.json: every flow in exactly one rule; a rule is exactly its flows (no widening)
    by_id = {f["id"]: f for f in flows}
    covered = {}
    for rule in rules:
        ports = []
        for part in rule["ports"].split(","):
            lo, _, hi = part.partition("-")
            ports.append((int(lo), int(hi or lo)))
        tuples = set()
        for fid in rule["flows"]:
            f = by_id[fid]
            check(fid not in covered, f"flow {fid} in rules {covered.get(fid)} and {rule['id']}")
            covered[fid] = rule["id"]
            check(f["protocol"] == rule["protocol"], f"{fid}: protocol differs from {rule['id']}")
            check(f["from_host"] in rule["source_hosts"] and f["to_host"] in rule["destination_hosts"],
                  f"{fid}: hosts not in {rule['id']}")
            check(any(lo <= f["port_from"] and f["port_to"] <= hi for lo, hi in ports),
                  f"{fid}: ports not in {rule['id']}")
            tuples.add((f["from_host"], f["to_host"], f["port_from"], f["port_to"]))
        # no widening: every source x destination x port range of the rule is a flow
        flow_ranges = {}
        for fid in rule["flows"]:
            f = by_id[fid]
            flow_ranges.setdefault((f["from_host"], f["to_host"]), set()).update(
                range(f["port_from"], f["port_to"] + 1))
        for s in rule["source_hosts"]:
            for t in rule["destination_hosts"]:
                have = flow_ranges.get((s, t), set())
                for lo, hi in ports:
                    check(all(p in have for p in (lo, hi, (lo + hi) // 2)),
                          f"{rule['id']} widens: {s}->{t} {lo}-{hi} is not a flow")
    check(len(covered) == len(flows), f"{len(flows) - len(covered)} flows in no rule")
    for f in flows:
        cross = hosts[f["from_host"]]["zone"] != hosts[f["to_host"]]["zone"]
        check((f["scope"] == "network") == cross, f"{f['id']}: scope {f['scope']} but cross-zone {cross}")
        check(f["from_host"] != f["to_host"], f"{f['id']}: a host never needs a rule to itself")

    # firewall.csv: RFC 4180, one row per rule, change id and review date on every row
    raw = open(os.path.join(out, "firewall.csv"), "rb").read()
    check(raw.count(b"\r\n") >= len(rules) + 1, "CSV lines do not end in CRLF")
    check(not raw.startswith(b"\xef\xbb\xbf"), "CSV has a byte-order mark")
    rows = list(csv.DictReader(open(os.path.join(out, "firewall.csv"), newline="", encoding="utf-8"),
                               strict=True))
    check([r["rule"] for r in rows] == [r["id"] for r in rules], "CSV rules differ from findings.json")
    for row, rule in zip(rows, rules):
        check(row["change_id"] == change_id and row["review_date"] == review,
              f"{row['rule']}: change {row['change_id']} {row['review_date']}")
        check(row["ports"] == rule["ports"], f"{row['rule']}: ports {row['ports']} != {rule['ports']}")
        check(set(row["flows"].split(",")) == set(rule["flows"]), f"{row['rule']}: flows differ")
        check(row["scope"] in ("network", "host"), f"{row['rule']}: scope {row['scope']}")
        for v in row.values():
            check(not (v[:1] in "=+@\t\r" and v), f"{row['rule']}: formula-looking cell {v!r}")

    # firewall.xlsx: the sheets, tables, filters, frozen headers, print setup, no formula
    wb = openpyxl.load_workbook(os.path.join(out, "firewall.xlsx"))
    names = wb.sheetnames
    for want in ("Network rules", "Host firewall rules", "Flows", "Probe results", "Sign-off"):
        check(want in names, f"sheet {want} missing: {names}")
    nrules = 0
    for ws in wb.worksheets:
        check(ws.page_setup.orientation == "landscape", f"{ws.title}: not landscape")
        check(ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None),
              f"{ws.title}: not fit to width")
        for row in ws.iter_rows():
            for c in row:
                check(c.data_type != "f", f"{ws.title}!{c.coordinate} holds a formula")
        if ws.title in ("Network rules", "Host firewall rules", "Flows"):
            check(len(ws.tables) == 1, f"{ws.title}: {len(ws.tables)} tables")
            check(ws.freeze_panes is not None, f"{ws.title}: header not frozen")
            check(ws.print_title_rows, f"{ws.title}: no repeated header row")
            for t in ws.tables.values():
                check(t.autoFilter is not None, f"{ws.title}: table without filter")
                first, last = t.ref.split(":")
                n = int(re.sub(r"\D", "", last)) - int(re.sub(r"\D", "", first))
                if ws.title == "Flows":
                    check(n == len(flows), f"Flows sheet has {n} rows, findings.json {len(flows)}")
                else:
                    nrules += n
    check(nrules == len(rules), f"rule sheets hold {nrules} rows, findings.json {len(rules)}")
    so = wb["Sign-off"]
    dv = [v for v in so.data_validations.dataValidation if v.type == "list"]
    check(dv, "Sign-off has no decision list")

    # firewall.pdf: valid, and it says what the firewall team implements
    pdf = os.path.join(out, "firewall.pdf")
    q = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
    check(q.returncode == 0, "qpdf --check: " + q.stdout[-300:])
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", " ", text)
    check(change_id in flat and review in flat, "change ID or review date missing from the PDF")
    check(d["digest"] in flat, "digest missing from the PDF")
    check(flat.count(d["digest"]) >= 2, "the sign-off page does not repeat the digest")
    for rule in rules:
        check(rule["id"] in flat, f"rule {rule['id']} missing from the PDF")
    for name, h in hosts.items():
        check(name in flat, f"host {name} missing from the PDF")
        if h.get("address"):
            check(h["address"] in flat, f"address of {name} missing from the PDF")
    for role in re.findall(r"^\s*-\s*role:\s*(.+)$", proj, re.M):
        check(role.strip() in flat, f"sign-off role {role.strip()} missing from the PDF")
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True,
                                                           text=True).stdout).group(1))
    check(f"Page {pages} of {pages}" in flat, "footer 'Page N of N' missing")

    # without a change block the documents say so
    noch = os.path.join(work, "nochange.yaml")
    src = open(project, encoding="utf-8").read()
    src = re.sub(r"\nchange:\n(  .*\n|    .*\n)*", "\n", src)
    src = src.replace("facts/", os.path.join(os.path.dirname(os.path.abspath(project)), "facts") + "/")
    open(noch, "w", encoding="utf-8").write(src)
    out2 = os.path.join(work, "fw2")
    os.makedirs(out2, exist_ok=True)
    r = subprocess.run([readykit, "render", noch, "-o", out2, "-q"], capture_output=True, text=True)
    check(r.returncode == 0, "render without a change block failed: " + r.stderr)
    if r.returncode == 0:
        rows2 = list(csv.DictReader(open(os.path.join(out2, "firewall.csv"), newline="", encoding="utf-8")))
        check(all(r["change_id"] == "" and r["review_date"] == "" for r in rows2),
              "CSV carries a change ID without a change block")
        t2 = re.sub(r"\s+", " ", subprocess.run(["pdftotext", os.path.join(out2, "firewall.pdf"), "-"],
                                                capture_output=True, text=True).stdout)
        check(change_id not in t2, "the PDF names a change without a change block")
        check("no change" in t2.lower(), "the PDF does not say that no change was recorded")

    for f in failures[:40]:
        print("FAIL:", f)
    print(f"firewall documents: {len(rules)} rules, {len(flows)} flows, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
