#!/usr/bin/env python3
"""check_outcomes.py - which waivers and attestations apply, recomputed from the files'
expiry dates and host globs (README.md, "Waivers and attestations") without readykit's
code, and compared with what readykit wrote in findings.json.

A waiver applies to a fail, warn or unknown finding of its requirement when its expiry
is on or after the assessment day and one of its host globs (a string, a
comma-separated string or a list; * and ?, any case) matches the host's name or FQDN;
the first such entry in the file wins. An attestation does the same for a manual
finding (no hosts: every host). Expired entries are listed as expired, entries that
applied to nothing as unused.

usage: check_outcomes.py PROJECT WAIVERS ATTESTATIONS BASE-findings.json FULL-findings.json DATE
"""
import fnmatch
import json
import sys

import yaml


def globs(hosts):
    if hosts is None:
        return None
    items = hosts if isinstance(hosts, list) else str(hosts).split(",")
    return [str(h).strip().lower() for h in items if str(h).strip()]


def matches(entry, names):
    g = globs(entry.get("hosts"))
    if g is None:
        return True
    return any(fnmatch.fnmatchcase(n.lower(), p) for p in g for n in names if n)


def ident(e):
    return (e["requirement"], str(e.get("expires")),
            e.get("justification") or e.get("evidence"))


def main(argv):
    if len(argv) != 7:
        print(__doc__)
        return 2
    project, wpath, apath, base_path, full_path, date = argv[1:]
    hosts = {h["name"]: [h["name"], h.get("fqdn")]
             for h in yaml.safe_load(open(project, encoding="utf-8"))["hosts"]}
    waivers = yaml.safe_load(open(wpath, encoding="utf-8"))["waivers"]
    attests = yaml.safe_load(open(apath, encoding="utf-8"))["attestations"]
    base = json.load(open(base_path, encoding="utf-8"))
    full = json.load(open(full_path, encoding="utf-8"))
    problems = []
    used = set()
    ffull = {(f["host"], f["requirement"], f.get("flow")): f for f in full["findings"]}
    napplied = 0
    for f in base["findings"]:
        key = (f["host"], f["requirement"], f.get("flow"))
        got = ffull.get(key)
        if got is None:
            problems.append("%r: in the render without waivers, not in the one with them" % (key,))
            continue
        names = hosts.get(f["host"], [f["host"]])
        if f["status"] in ("fail", "warn", "unknown"):
            entries, to, field = waivers, "waived", "waiver"
        elif f["status"] == "manual":
            entries, to, field = attests, "attested", "attestation"
        else:
            entries = []
        entry = next((e for e in entries if e["requirement"] == f["requirement"]
                      and str(e["expires"]) >= date and matches(e, names)), None)
        if entry is None:
            if got["status"] != f["status"]:
                problems.append("%r: no entry applies, yet the status went %s -> %s"
                                % (key, f["status"], got["status"]))
            continue
        napplied += 1
        used.add(ident(entry))
        applied = got.get(field) or {}
        if got["status"] != to or got.get("original_status") != f["status"]:
            problems.append("%r: the %s for hosts %r (expires %s) applies, yet the status is %s "
                            "(original %s)" % (key, field, entry.get("hosts"), entry["expires"],
                                               got["status"], got.get("original_status")))
        elif str(applied.get("expires")) != str(entry["expires"]) or \
                (applied.get("justification") or applied.get("evidence")) != \
                (entry.get("justification") or entry.get("evidence")):
            problems.append("%r: the first matching %s is %r (expires %s), findings.json names "
                            "%r (expires %s)" % (key, field, entry.get("hosts"), entry["expires"],
                                                 applied.get("hosts"), applied.get("expires")))
    for kind, entries in (("waivers", waivers), ("attestations", attests)):
        expired = [e for e in entries if str(e["expires"]) < date]
        unused = [e for e in entries if str(e["expires"]) >= date and ident(e) not in used]
        listed = full.get(kind) or {}
        for what, want in (("expired", expired), ("unused", unused)):
            have = sorted(str(x.get("expires")) + " " + x["requirement"] for x in listed.get(what, []))
            exp = sorted(str(e["expires"]) + " " + e["requirement"] for e in want)
            if have != exp:
                problems.append("%s %s: findings.json lists %r, the file's dates and globs give %r"
                                % (kind, what, have, exp))
    for p in problems:
        print("FAIL " + p)
    if problems:
        return 1
    print("ok: %d waivers and attestations applied as their dates and globs say" % napplied)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
