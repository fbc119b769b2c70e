#!/usr/bin/python3
"""gen_assessment.py HOSTS OUT [--probes FINDINGS] - writes a synthetic assessment of
HOSTS hosts into OUT (project.yaml and facts/*.json) for the renderer benchmarks.

The mix of roles is that of a large Exchange-to-Exchange migration: a migration
server and a SQL server per hundred or two hosts, source and target domain
controllers and Exchange servers in the tens (about 140 Exchange servers a side for
2,000 hosts), and workers for the rest; 200 hosts expand to about 50,000 concrete
flows. Fact files are the sample's, one per role, renamed.

With --probes FINDINGS (a findings.json of the same assessment), every host's fact
file gets one probe per TCP flow that starts at it, as readykit-collect would record
after running the host's probe plan: mostly open, some filtered or closed."""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SAMPLE = os.path.join(ROOT, "samples", "contoso-fabrikam", "facts")

# role set, sample fact file, zone, how many of n hosts. Domain controllers and Exchange
# servers grow with the square root of the size (sites are added, not servers per
# site), which gives the tens of each of a 200-host enterprise; workers make up the
# rest. Flows grow with the products of these counts.
MIX = [
    (["migration-server"], "mpe01", "migration", lambda n: max(1, round(n / 100))),
    (["sql-server"], "sql01", "target", lambda n: max(1, round(n / 200))),
    (["source-dc", "source-dns"], "fdc01", "source", lambda n: max(1, round(1.7 * n ** 0.5))),
    (["target-dc", "target-dns"], "cdc01", "target", lambda n: max(1, round(1.7 * n ** 0.5))),
    (["source-exchange"], "fex16", "source", lambda n: max(1, round(3.1 * n ** 0.5))),
    (["target-exchange", "target-cas", "target-smtp"], "cex19a", "target", lambda n: 1),
    (["target-exchange", "target-cas"], "cex19b", "target", lambda n: max(0, round(3.1 * n ** 0.5) - 1)),
    (["worker"], "wrk01", "migration", None),  # the rest
]
SUBNET = {"source": "10.1", "target": "10.2", "migration": "10.3"}
DOMAIN = {"source": "fabrikam.com", "target": "contoso.com", "migration": "contoso.com"}


def plan_hosts(n):
    counts = [count(n) if count else 0 for _, _, _, count in MIX]
    counts[-1] = max(1, n - sum(counts))
    hosts = []
    serial = {}
    for (roles, sample, zone, _), count in zip(MIX, counts):
        for _ in range(count):
            k = serial.get(zone, 0)
            serial[zone] = k + 1
            name = "%s%04d" % (sample[:3], len([h for h in hosts if h["sample"][:3] == sample[:3]]) + 1)
            hosts.append({"name": name, "roles": roles, "sample": sample, "zone": zone,
                          "address": "%s.%d.%d" % (SUBNET[zone], 1 + k // 250, 1 + k % 250),
                          "fqdn": "%s.%s" % (name, DOMAIN[zone])})
    return hosts[:n] if len(hosts) > n else hosts


def project_yaml(hosts):
    out = ["format: readykit-project/1",
           "customer: Contoso Ltd.",
           "project: Synthetic assessment of %d hosts (benchmark)" % len(hosts),
           "assessment_id: BENCH-%d" % len(hosts),
           "schema: migrator-pro-exchange-20.11",
           "language: en",
           "parameters:",
           "  scenarios: [mailbox-inter-org, pf-inter-org]",
           "  mailbox_count: %d" % (len(hosts) * 150),
           "  large_public_folders: false",
           "zones:",
           "  - id: source", "    title: Fabrikam datacentre (source)",
           "  - id: target", "    title: Contoso datacentre (target)",
           "  - id: migration", "    title: Contoso migration subnet",
           "hosts:"]
    for h in hosts:
        out += ["  - name: %s" % h["name"], "    fqdn: %s" % h["fqdn"],
                "    address: %s" % h["address"], "    zone: %s" % h["zone"],
                "    roles: [%s]" % ", ".join(h["roles"])]
    out += ["signoff:", "  - role: Migration consultant", "  - role: Customer IT operations",
            "  - role: Change Advisory Board",
            "change:", "  id: CHG-BENCH-0001", "  requester: Benchmark",
            "  justification: Connections for the migration.", "  window: weekend",
            "  review_date: 2027-03-31", "  contacts:", "    - Network team"]
    return "\n".join(out) + "\n"


def facts_for(h, templates, probes):
    f = json.loads(json.dumps(templates[h["sample"]]))
    f["host"]["name"] = h["name"].upper()
    f["host"]["fqdn"] = h["fqdn"]
    f["host"]["domain"] = DOMAIN[h["zone"]]
    f["host"]["addresses"] = [h["address"]]
    f["probes"] = probes.get(h["name"], [])
    return f


def probes_from(findings_path):
    with open(findings_path, encoding="utf-8") as fh:
        flows = json.load(fh)["flows"]
    out = {}
    for i, fl in enumerate(flows):
        if fl.get("protocol") != "tcp" or fl.get("dynamic"):
            continue
        result = "open" if i % 17 else ("filtered" if i % 2 else "closed")
        out.setdefault(fl["from_host"], []).append({
            "to": fl["to_address"], "address": fl["to_address"], "protocol": "tcp",
            "port": fl["port_from"], "result": result, "ms": 2 + i % 40, "flow": fl["id"]})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("hosts", type=int)
    ap.add_argument("out")
    ap.add_argument("--probes", help="findings.json of a first render, to add probes")
    a = ap.parse_args()
    templates = {}
    for _, sample, _, _ in MIX:
        with open(os.path.join(SAMPLE, sample + ".json"), encoding="utf-8") as fh:
            templates[sample] = json.load(fh)
    hosts = plan_hosts(a.hosts)
    probes = probes_from(a.probes) if a.probes else {}
    os.makedirs(os.path.join(a.out, "facts"), exist_ok=True)
    with open(os.path.join(a.out, "project.yaml"), "w", encoding="utf-8") as fh:
        fh.write(project_yaml(hosts))
    for h in hosts:
        with open(os.path.join(a.out, "facts", h["name"] + ".json"), "w", encoding="utf-8") as fh:
            json.dump(facts_for(h, templates, probes), fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
