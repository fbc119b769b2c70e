#!/usr/bin/python3
"""render_test.py - what both collector backends write is accepted downstream: each fact
file passes `readykit validate`, a project made of them renders with `readykit render`,
and the probe plan `readykit plan` makes for one of them is accepted by the collector."""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys

ROLES = {"linux": ["worker"], "ws2019-migration": ["migration-server", "sql-server"],
         "ws2016-worker": ["worker"], "exchange2016": ["source-exchange"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--readykit", required=True)
    ap.add_argument("--collect", required=True)
    ap.add_argument("--facts", required=True, help="folder of <name>.json fact files")
    ap.add_argument("--source", required=True, help="the source tree (schemas/, templates/)")
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    out = os.path.join(args.workdir, "out")
    os.makedirs(out)
    problems = []
    common = ["--schemas", os.path.join(args.source, "schemas"),
              "--templates", os.path.join(args.source, "templates")]

    files = sorted(glob.glob(os.path.join(args.facts, "*.json")))
    names = [os.path.basename(f)[:-5] for f in files]
    if "linux" not in names or len(names) < 2:
        print("FAIL: expected Linux and Wine fact files in %s, found %s" % (args.facts, names))
        return 1
    # All files come from this one test machine; each copy gets the host name the project
    # gives it (render checks that they agree). Nothing else is changed.
    copies = []
    for name, f in zip(names, files):
        with open(f) as fh:
            doc = json.load(fh)
        doc["host"]["name"] = name
        doc["host"]["fqdn"] = name + ".lab.example"
        copy = os.path.join(args.workdir, name + ".json")
        with open(copy, "w") as fh:
            json.dump(doc, fh, indent=2)
        copies.append(copy)
    files = copies
    for f in files:
        r = subprocess.run([args.readykit, "validate", f], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            problems.append("validate %s: exit %d: %s" % (os.path.basename(f), r.returncode, r.stderr))

    lines = ["format: readykit-project/1", "customer: Collector test", "project: Round trip",
             "assessment_id: RKC-TEST", "schema: migrator-pro-exchange-20.11", "language: en",
             "parameters:", "  scenarios: [mailbox-inter-org]", "  mailbox_count: 100",
             "  large_public_folders: false", "zones:", "  - id: lab", "    title: Test lab",
             "hosts:"]
    for i, (name, f) in enumerate(zip(names, files)):
        lines += ["  - name: %s" % name, "    fqdn: %s.lab.example" % name,
                  "    address: 192.0.2.%d" % (10 + i), "    zone: lab",
                  "    roles: [%s]" % ", ".join(ROLES.get(name, ["worker"])),
                  "    facts: %s" % json.dumps(f)]
    lines += ["signoff:", "  - role: Migration lead"]
    project = os.path.join(args.workdir, "project.yaml")
    with open(project, "w") as fh:
        fh.write("\n".join(lines) + "\n")

    r = subprocess.run([args.readykit, "render", project, "-o", out, "-q", *common],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    if r.returncode != 0:
        problems.append("render: exit %d: %s" % (r.returncode, r.stderr[-2000:]))
    else:
        for doc in ("readiness.pdf", "readiness.xlsx", "firewall.pdf", "firewall.xlsx",
                    "firewall.csv", "findings.json"):
            if not os.path.getsize(os.path.join(out, doc)):
                problems.append("render wrote an empty %s" % doc)
        with open(os.path.join(out, "findings.json")) as fh:
            findings = json.load(fh)["findings"]
        for name in names:
            st = [f["status"] for f in findings if f["host"] == name]
            if not any(s in ("pass", "fail", "warn") for s in st):
                problems.append("no finding for %s was decided from its facts: %s" % (name, sorted(set(st))))

    # The plan readykit makes for a host is one the collector accepts.
    host = "ws2019-migration" if "ws2019-migration" in names else names[0]
    r = subprocess.run([args.readykit, "plan", project, "--host", host, *common],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        problems.append("plan: exit %d: %s" % (r.returncode, r.stderr))
    else:
        plan = os.path.join(args.workdir, "host.plan")
        with open(plan, "w") as fh:
            fh.write(r.stdout)
        n = sum(1 for l in r.stdout.splitlines() if l.strip() and not l.lstrip().startswith("#")
                and not l.lower().startswith("collect "))  # collect lines read facts, not probes
        # In an empty network namespace nothing leaves the machine; without one, only
        # the parser is exercised through a plan the collector must accept.
        pre = []
        for p in ([["unshare", "-n"]] if os.geteuid() == 0 else []) + [["unshare", "-rn"]]:
            if subprocess.run(p + ["true"], stderr=subprocess.DEVNULL).returncode == 0:
                pre = p
                break
        if pre:
            c = subprocess.run(pre + [args.collect, "--probe-plan", plan, "--timeout-ms", "200"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
            if c.returncode != 0:
                problems.append("collector refused readykit's plan: %s" % c.stderr.decode())
            elif len(json.loads(c.stdout)["probes"]) != n:
                problems.append("collector ran %d probes of %d" % (len(json.loads(c.stdout)["probes"]), n))
        print("readykit plan for %s: %d probes%s" % (host, n, ", run in an empty namespace" if pre else ""))

    for p in problems:
        print("FAIL:", p)
    print("rendered %d fact files: %s" % (len(names), ", ".join(names)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
