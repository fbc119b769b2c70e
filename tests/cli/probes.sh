#!/usr/bin/env bash
# Probe evidence end to end: blocked TCP flows become findings, flows show their results.
set -eu
READYKIT=$1
PY=${2:-/usr/bin/python3}
HERE=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$HERE/data"
"$READYKIT" render probed.yaml -o "$out" -q
"$PY" - "$out/findings.json" "$out/firewall.csv" <<'PY'
import csv, json, sys
d = json.load(open(sys.argv[1]))
net = [f for f in d["findings"] if f["requirement"] == "MPE-NET-FLOWS"]
blocked = sorted((f["host"], f["flow"], f["status"]) for f in net if "flow" in f)
assert blocked == [("mpe01", "F0003", "fail"), ("mpe01", "F0011", "fail")], blocked
# the per-host summary finding is replaced by the per-flow ones on mpe01
assert not [f for f in net if f["host"] == "mpe01" and "flow" not in f], net
# sql01 carries no probes: not applicable there
assert [f["status"] for f in net if f["host"] == "sql01"] == ["not-applicable"], net
assert d["verdict"] == "not-ready"
flows = {f["id"]: f for f in d["flows"]}
assert flows["F0001"]["verification"] == "open", flows["F0001"]
assert flows["F0003"]["verification"] == "filtered"
assert flows["F0011"]["verification"] == "closed"
assert flows["F0012"]["verification"] == "not-verifiable"
for f in d["flows"]:
    for k in ("from_host", "to_host", "protocol", "port_from", "port_to"):
        assert k in f, (k, f)
rows = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
assert rows and any("closed" in r["verification"] for r in rows), rows[:2]
print("probe evidence: ok")
PY
