#!/usr/bin/env python3
"""check_samples.py REPO - every sample project under samples/ names a schema that exists,
uses only its roles and scenarios, and every host has a fact file that validates against
schemas/facts.schema.json (JSON Schema 2020-12, read with python3-jsonschema) and
describes that host. facts.schema.json is part of the repository: without it the check
fails."""
import datetime
import glob
import ipaddress
import json
import os
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schemacheck as sc  # noqa: E402

PROJECT_KEYS = {"format", "customer", "project", "assessment_id", "schema", "language",
                "parameters", "zones", "hosts", "signoff", "change", "waivers", "attestations",
                "endpoints", "firewall_exports"}
PROJECT_REQUIRED = ("format", "customer", "project", "assessment_id", "schema", "hosts")
HOST_KEYS = {"name", "fqdn", "address", "zone", "roles", "facts"}
CHANGE_KEYS = {"id", "requester", "justification", "window", "review_date", "contacts"}


def reject_duplicate_keys(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r}")
        out[k] = v
    return out


def check_project(f, repo, project_path, validator):
    where = os.path.relpath(project_path, repo)
    try:
        p = sc.load_plain_yaml(project_path)
    except (OSError, ValueError) as e:
        f.add(where, str(e))
        return 0
    if not isinstance(p, dict):
        f.add(where, "not a mapping")
        return 0
    for key in PROJECT_REQUIRED:
        if key not in p:
            f.add(where, f"no {key!r}")
    for key in p:
        if key not in PROJECT_KEYS:
            f.add(where, f"unknown key {key!r}")
    if p.get("format") != "readykit-project/1":
        f.add(where, f"format {p.get('format')!r}; expected readykit-project/1")
    schema_path = os.path.join(repo, "schemas", f"{p.get('schema')}.yaml")
    try:
        schema = sc.load_plain_yaml(schema_path)
    except (OSError, ValueError) as e:
        f.add(where, f"schema {p.get('schema')!r}: {e}")
        return 0
    roles = {r["id"] for r in schema.get("roles", [])}
    scenarios = {s["id"] for s in schema.get("scenarios", [])}
    par = p.get("parameters", {}) or {}
    for s in par.get("scenarios", []) or []:
        if s not in scenarios:
            f.add(where, f"scenario {s!r} is not one of the schema's")
    zones = {z.get("id") for z in p.get("zones", []) or [] if isinstance(z, dict)}
    for s in p.get("signoff", []) or []:
        if not isinstance(s, dict) or set(s) != {"role"}:
            f.add(where, f"signoff entry {s!r} is not {{role}}")
    if "change" in p:
        ch = p["change"]
        if not isinstance(ch, dict) or not set(ch) <= CHANGE_KEYS or "id" not in ch:
            f.add(where, f"change is not a mapping of {sorted(CHANGE_KEYS)} with an id")
        elif "review_date" in ch:
            try:
                datetime.date.fromisoformat(str(ch["review_date"]))
            except ValueError:
                f.add(where, f"change.review_date {ch['review_date']!r} is not YYYY-MM-DD")
    hosts = p.get("hosts", []) or []
    names = set()
    nfacts = 0
    for h in hosts:
        if not isinstance(h, dict) or "name" not in h:
            f.add(where, f"host {h!r} has no name")
            continue
        hw = f"{where}: host {h['name']}"
        if h["name"].lower() in names:
            f.add(hw, "duplicate host")
        names.add(h["name"].lower())
        for key in h:
            if key not in HOST_KEYS:
                f.add(hw, f"unknown key {key!r}")
        if not h.get("roles") or any(r not in roles for r in h.get("roles", [])):
            f.add(hw, f"roles {h.get('roles')!r} are not roles of the schema")
        if zones and h.get("zone") not in zones:
            f.add(hw, f"zone {h.get('zone')!r} is not one of {sorted(zones)}")
        # one address or a list of them, IPv4 and IPv6
        addrs = h.get("address", [])
        addrs = [str(x) for x in (addrs if isinstance(addrs, list) else [addrs])]
        for a in addrs:
            try:
                ipaddress.ip_address(a)
            except ValueError:
                f.add(hw, f"address {a!r} is not an IP address")
        facts_rel = h.get("facts", f"facts/{h['name']}.json")
        facts_path = os.path.join(os.path.dirname(project_path), facts_rel)
        if not os.path.exists(facts_path):
            f.add(hw, f"no fact file {facts_rel}")
            continue
        nfacts += 1
        fw = os.path.relpath(facts_path, repo)
        try:
            with open(facts_path, "rb") as fp:
                doc = json.loads(fp.read().decode("utf-8"), object_pairs_hook=reject_duplicate_keys)
        except (UnicodeDecodeError, ValueError) as e:
            f.add(fw, f"not valid UTF-8 JSON: {e}")
            continue
        for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
            path = ".".join(str(x) for x in err.absolute_path) or "(top level)"
            f.add(fw, f"{path}: {err.message}")
        host = doc.get("host", {}) if isinstance(doc, dict) else {}
        if str(host.get("name", "")).lower() != h["name"].lower():
            f.add(fw, f"host.name {host.get('name')!r} is not the project's host {h['name']!r}")
        if "fqdn" in h and str(host.get("fqdn", "")).lower() != str(h["fqdn"]).lower():
            f.add(fw, f"host.fqdn {host.get('fqdn')!r} is not the project's {h['fqdn']!r}")
        # the addresses must match where the fact file is this sample's own; a variant
        # that reuses another sample's fact files with other addresses (the IPv6 variant)
        # is checked against its own project only
        own = os.path.dirname(os.path.abspath(facts_path)).startswith(
            os.path.dirname(os.path.abspath(project_path)) + os.sep)
        for a in addrs if own else []:
            if a not in (host.get("addresses") or []):
                f.add(fw, f"the project's address {a} is not in host.addresses")
    return nfacts


def main(argv):
    if len(argv) != 2:
        print("usage: check_samples.py REPO", file=sys.stderr)
        return 2
    repo = argv[1]
    facts_schema_path = os.path.join(repo, "schemas", "facts.schema.json")
    if not os.path.exists(facts_schema_path):
        print(f"check_samples: FAIL {facts_schema_path} not found", file=sys.stderr)
        return 1
    import jsonschema  # python3-jsonschema
    with open(facts_schema_path, encoding="utf-8") as fp:
        facts_schema = json.load(fp)
    jsonschema.Draft202012Validator.check_schema(facts_schema)
    validator = jsonschema.Draft202012Validator(facts_schema)
    f = sc.Failures("check_samples")
    projects = sorted(glob.glob(os.path.join(repo, "samples", "*", "project.yaml")))
    if not projects:
        f.add(os.path.join(repo, "samples"), "no sample project (samples/*/project.yaml)")
    nfacts = sum(check_project(f, repo, p, validator) for p in projects)
    return f.finish(f"{len(projects)} sample project(s), {nfacts} fact files valid")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
