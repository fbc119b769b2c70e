#!/usr/bin/env python3
"""check_requirements.py SCHEMA [FACTS_SCHEMA] - the requirement schema follows
schemas/README.md: top-level keys, the product's roles and scenarios, every requirement
with all required keys, a unique and stable id, valid roles, scenarios and severity, and a
well-formed check whose fact paths are documented in facts.schema.json."""
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schemacheck as sc  # noqa: E402

TOP_REQUIRED = ("format", "id", "title", "product", "version", "source", "roles", "scenarios",
                "requirements", "flows")
TOP_OPTIONAL = ("parameters", "collect", "endpoints", "host_details")
PARAMETERS = {"mailbox_count": "integer", "large_public_folders": "boolean"}
ENDPOINTS = ["exchange-online", "m365-identity"]
ROLES = ["migration-server", "worker", "sql-server", "source-dc", "target-dc",
         "source-exchange", "target-exchange", "target-cas", "target-smtp", "source-dns",
         "target-dns"]
SCENARIOS = ["mailbox-inter-org", "mailbox-to-o365", "pf-inter-org", "pf-to-o365",
             "pf-to-o365-groups"]
REQ_REQUIRED = ("id", "title", "section", "seed", "applies_to", "severity", "expected",
                "check", "remediation", "refs")
REQ_OPTIONAL = ("when", "note", "fix")
WHEN_KEYS = ("scenarios", "all", "any")
OPS = ("above", "at_least", "below", "at_most", "equals", "in")
ID_RE = re.compile(r"^MPE-[A-Z0-9]+(-[A-Z0-9]+)+$")

# Ids shipped so far: an id is never renamed or removed once shipped (schemas/README.md).
SHIPPED_IDS = """
MPE-SRV-NOT-EXCHANGE MPE-SRV-CPU-CORES MPE-SRV-CPU-CLOCK MPE-SRV-ARCH MPE-SRV-MEM
MPE-SRV-MEM-LARGE MPE-SRV-DISK MPE-SQL-DISK MPE-SRV-DISPLAY MPE-SRV-INPUT MPE-PATH-MAILBOX
MPE-PATH-PF MPE-SRV-OS MPE-SRV-POWERSHELL MPE-SRV-IIS MPE-SRV-DOTNET MPE-SRV-BROWSER
MPE-O365-DATEFMT MPE-NET-INTERNET MPE-SQL-VERSION MPE-SQL-BROWSER MPE-SQL-NETWORK
MPE-SRV-OUTLOOK MPE-OUTLOOK-2019-GROUPS MPE-OUTLOOK-ONLINE-MODE MPE-TLS12-SCHANNEL
MPE-TLS12-DOTNET MPE-EXCH-CERTIFIED MPE-EXCH-REMOTING MPE-EXCH-FQDN MPE-SQL-FQDN
MPE-SRV-IEESC MPE-EXCH2013-PF-CU5 MPE-SRV-UAC MPE-ACCT-SERVICES MPE-ACCT-ORGMGMT
MPE-ACCT-ORGMGMT-TOKEN MPE-ACCT-LOCALADMIN MPE-ACCT-DELETED-OBJECTS MPE-PF-TARGET-ACCOUNT
MPE-PF-SOURCE-ACCOUNT MPE-PF-LOGON-FIRST MPE-O365-PF-ROLES MPE-ACCT-MAILBOX-SERVICE
MPE-O365-MBX-ADMIN MPE-O365-GROUPS-GA MPE-O365-GROUPS-MAPI MPE-SQL-LOGINS
MPE-SQL-SETUP-DBCREATOR MPE-SQL-APP-ROLES MPE-SQL-PF-IDENTITY MPE-WRK-OS MPE-WRK-ARCH
MPE-WRK-CPU MPE-WRK-MEM MPE-WRK-DISK MPE-WRK-DOTNET MPE-WRK-UPDATES MPE-WRK-OUTLOOK
MPE-WRK-DOMAIN MPE-WRK-LOGON MPE-WRK-LOCALADMIN MPE-WRK-UAC MPE-NET-FLOWS
""".split()

# Per check kind: (required keys, optional keys). `kind` and `format` are always allowed.
KINDS = {
    "min": (("fact", "value"), ("of",)),
    "max": (("fact", "value"), ("of",)),
    "equals": (("fact", "value"), ()),
    "flag": (("fact", "expect"), ("null_means", "on_value")),
    "match": (("fact", "patterns"), ()),
    "version": (("fact",), ("min", "branches", "otherwise")),
    "contains": (("fact", "patterns"), ()),
    "absent": (("fact",), ()),
    "present": (("fact",), ()),
    "any": (("fact", "check"), ("empty", "where")),
    "all": (("fact", "check"), ("empty", "where")),
    "not": (("check",), ()),
    "any_of": (("checks",), ()),
    "all_of": (("checks",), ()),
    "same_as": (("fact", "role"), ()),
    "not_role": (("roles",), ()),
    "manual": (("steps",), ()),
    "flows": ((), ()),
}
FORMATS = ("bytes", "mhz", "dword", "plain")


def nonempty_str(v):
    return isinstance(v, str) and v.strip() != ""


def str_list(v):
    return isinstance(v, list) and len(v) > 0 and all(nonempty_str(x) for x in v)


class FactSchema:
    """Resolves dotted fact paths in facts.schema.json (None: no checking)."""

    def __init__(self, doc):
        self.doc = doc

    def _child(self, node, name):
        if node is None:
            return None
        props = node.get("properties", {})
        if name in props:
            return props[name]
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):  # e.g. services: any service name
            return extra
        return None

    def resolve(self, base, path):
        """Returns the schema node of path under base, or None when undocumented."""
        node = base
        for part in path.split("."):
            node = self._child(node, part)
            if node is None:
                return None
            if "$ref" in node:
                ref = node["$ref"]
                target = self.doc
                for p in ref.lstrip("#/").split("/"):
                    target = target[p]
                node = dict(target, **{k: v for k, v in node.items() if k != "$ref"})
        return node

    def items(self, node):
        return node.get("items") if isinstance(node, dict) else None


def check_check(f, where, k, facts, base, depth=0):
    if not isinstance(k, dict):
        f.add(where, f"check is {type(k).__name__}; expected a mapping")
        return
    kind = k.get("kind")
    if kind not in KINDS:
        f.add(where, f"kind {kind!r}; expected one of {', '.join(KINDS)}")
        return
    required, optional = KINDS[kind]
    for key in required:
        if key not in k:
            f.add(where, f"{kind} check has no {key!r}")
    allowed = set(required) | set(optional) | {"kind", "format"}
    for key in k:
        if key not in allowed:
            f.add(where, f"{kind} check has key {key!r}; allowed: {', '.join(sorted(allowed))}")
    if "format" in k and k["format"] not in FORMATS:
        f.add(where, f"format {k['format']!r}; expected one of {', '.join(FORMATS)}")
    node = None
    if "fact" in k:
        if not nonempty_str(k["fact"]):
            f.add(where, "fact is not a dotted path")
        elif facts is not None and base is not None and not k["fact"].startswith("collected."):
            node = facts.resolve(base, k["fact"])
            if node is None:
                f.add(where, f"fact {k['fact']!r} is not documented in facts.schema.json")
    if kind in ("min", "max") and (isinstance(k.get("value"), bool)
                                  or not isinstance(k.get("value"), (int, float))):
        f.add(where, f"{kind} value {k.get('value')!r} is not a number")
    if kind == "equals" and not isinstance(k.get("value"), (str, int, float, bool)):
        f.add(where, f"equals value {k.get('value')!r} is not a string, number or boolean")
    if kind == "flag":
        if k.get("expect") not in ("on", "off"):
            f.add(where, f"expect {k.get('expect')!r}; expected \"on\" or \"off\" (quoted)")
        if "null_means" in k and k["null_means"] not in ("on", "off"):
            f.add(where, f"null_means {k['null_means']!r}; expected \"on\" or \"off\" (quoted)")
        if "on_value" in k and k["on_value"] not in ("nonzero", "one"):
            f.add(where, f"on_value {k['on_value']!r}; expected nonzero or one")
    if kind in ("match", "contains") and not str_list(k.get("patterns")):
        f.add(where, "patterns is not a non-empty list of strings")
    if kind == "version":
        has_min, has_br = "min" in k, "branches" in k
        if has_min == has_br:
            f.add(where, "version check needs exactly one of 'min' and 'branches'")
        if has_min and not nonempty_str(k["min"]):
            f.add(where, "version min is not a string (quote it: \"8\")")
        if has_br:
            br = k["branches"]
            if not isinstance(br, list) or not br:
                f.add(where, "branches is not a non-empty list")
            else:
                for j, b in enumerate(br):
                    if not isinstance(b, dict) or set(b) != {"prefix", "min", "name"} or \
                            not all(nonempty_str(b[x]) for x in b):
                        f.add(where, f"branch {j + 1} is not {{prefix, min, name}} strings")
                    elif not re.fullmatch(r"\d+(\.\d+)*", b["prefix"]) or \
                            not re.fullmatch(r"\d+(\.\d+)*", b["min"]):
                        f.add(where, f"branch {j + 1}: prefix and min must be dotted numbers")
        if "otherwise" in k and k["otherwise"] not in ("fail", "pass", "not-applicable"):
            f.add(where, f"otherwise {k['otherwise']!r}; expected fail, pass or not-applicable")
    if kind in ("any", "all"):
        if "empty" in k and k["empty"] not in ("fail", "pass", "not-applicable"):
            f.add(where, f"empty {k['empty']!r}; expected fail, pass or not-applicable")
        sub_base = facts.items(node) if (facts is not None and node is not None) else None
        check_check(f, f"{where} > {kind}", k.get("check"),
                    facts if sub_base is not None else None, sub_base, depth + 1)
    if kind == "not":
        check_check(f, f"{where} > not", k.get("check"), facts, base, depth + 1)
    if kind in ("any_of", "all_of"):
        cs = k.get("checks")
        if not isinstance(cs, list) or len(cs) < 2:
            f.add(where, f"{kind} needs a list of at least two checks")
        else:
            for j, c in enumerate(cs):
                check_check(f, f"{where} > {kind}[{j + 1}]", c, facts, base, depth + 1)
    if kind == "same_as" and k.get("role") not in ROLES:
        f.add(where, f"same_as role {k.get('role')!r} is not a role")
    if kind == "not_role":
        rs = k.get("roles")
        if not isinstance(rs, list) or not rs or any(r not in ROLES for r in rs):
            f.add(where, f"not_role roles {rs!r} are not a list of roles")
    if kind == "manual":
        if not str_list(k.get("steps")):
            f.add(where, "manual check without steps (a list of strings)")
        if depth:
            f.add(where, "a manual check cannot be combined with other checks")


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: check_requirements.py SCHEMA [FACTS_SCHEMA]", file=sys.stderr)
        return 2
    path = argv[1]
    f = sc.Failures("check_requirements")
    try:
        s = sc.load_plain_yaml(path)
    except (OSError, ValueError) as e:
        print(f"check_requirements: FAIL {e}", file=sys.stderr)
        return 1
    facts = None
    if len(argv) == 3:
        # given, it must be there: the fact-path checks never drop out unnoticed
        try:
            with open(argv[2], encoding="utf-8") as fp:
                facts = FactSchema(json.load(fp))
        except (OSError, ValueError) as e:
            print(f"check_requirements: FAIL cannot read the facts schema: {e}", file=sys.stderr)
            return 1
    if not isinstance(s, dict):
        f.add(path, "the file is not a mapping")
        return f.finish("")
    for key in TOP_REQUIRED:
        if key not in s:
            f.add(path, f"no top-level {key!r}")
    for key in s:
        if key not in TOP_REQUIRED and key not in TOP_OPTIONAL:
            f.add(path, f"unknown top-level key {key!r}")
    if s.get("format") != "readykit-schema/2":
        f.add(path, f"format {s.get('format')!r}; expected readykit-schema/2")
    params = {p.get("id"): p.get("type") for p in s.get("parameters", []) if isinstance(p, dict)}
    if params != PARAMETERS:
        f.add(path, f"parameters are {params}; expected {PARAMETERS}")
    eps = [e.get("id") for e in s.get("endpoints", []) if isinstance(e, dict)]
    if eps != ENDPOINTS:
        f.add(path, f"endpoints are {eps}; expected {ENDPOINTS}")
    stem = os.path.basename(path)[:-len(".yaml")] if path.endswith(".yaml") else None
    if s.get("id") != stem:
        f.add(path, f"id {s.get('id')!r} does not match the file name ({stem}.yaml)")
    for key in ("title", "product", "version", "source"):
        if key in s and not nonempty_str(s[key]):
            f.add(path, f"{key} is not a non-empty string")

    for key, want in (("roles", ROLES), ("scenarios", SCENARIOS)):
        items = s.get(key)
        if not isinstance(items, list):
            f.add(path, f"{key} is not a list")
            continue
        ids = [x.get("id") if isinstance(x, dict) else None for x in items]
        if ids != want:
            f.add(path, f"{key} are {ids}; expected exactly {want}")
        for x in items:
            if not isinstance(x, dict) or set(x) != {"id", "title"} or \
                    not nonempty_str(x.get("title")):
                f.add(path, f"{key} entry {x!r} is not {{id, title}}")

    reqs = s.get("requirements")
    if not isinstance(reqs, list) or not reqs:
        f.add(path, "requirements is not a non-empty list")
        reqs = []
    base = facts.doc if facts is not None else None
    seen = {}
    for i, r in enumerate(reqs, 1):
        rid = r.get("id") if isinstance(r, dict) else None
        where = f"{path}: requirement {i} ({rid})"
        if not isinstance(r, dict):
            f.add(where, "not a mapping")
            continue
        for key in REQ_REQUIRED:
            if key not in r:
                f.add(where, f"no {key!r}")
        for key in r:
            if key not in REQ_REQUIRED and key not in REQ_OPTIONAL:
                f.add(where, f"unknown key {key!r}")
        if not isinstance(rid, str) or not ID_RE.match(rid):
            f.add(where, "id is not MPE-<AREA>-<NAME> in capitals")
        elif rid in seen:
            f.add(where, f"duplicate id (first is requirement {seen[rid]})")
        else:
            seen[rid] = i
        for key in ("title", "section", "seed", "expected", "remediation", "note"):
            if key in r and not nonempty_str(r[key]):
                f.add(where, f"{key} is not a non-empty string")
        at = r.get("applies_to")
        if not isinstance(at, list) or not at or any(x not in ROLES for x in at):
            f.add(where, f"applies_to {at!r} is not a non-empty list of roles")
        elif len(set(at)) != len(at):
            f.add(where, "applies_to names a role twice")
        if r.get("severity") not in ("required", "recommended"):
            f.add(where, f"severity {r.get('severity')!r}; expected required or recommended")
        if "refs" in r and not str_list(r["refs"]):
            f.add(where, "refs is not a non-empty list of strings")
        if "when" in r:
            w = r["when"]
            if not isinstance(w, dict) or not w:
                f.add(where, "when is not a non-empty mapping")
            else:
                for key in w:
                    if key not in WHEN_KEYS:
                        f.add(where, f"when has key {key!r}; allowed: {', '.join(WHEN_KEYS)}")
                if "scenarios" in w:
                    sc_ = w["scenarios"]
                    if not isinstance(sc_, list) or not sc_ or any(x not in SCENARIOS for x in sc_):
                        f.add(where, f"when.scenarios {sc_!r} is not a list of scenarios")
                for group in ("all", "any"):
                    for cond in w.get(group, []):
                        ops = [o for o in cond if o in OPS] if isinstance(cond, dict) else []
                        if not isinstance(cond, dict) or cond.get("parameter") not in PARAMETERS \
                                or len(ops) != 1 or len(cond) != 2:
                            f.add(where, f"when.{group} condition {cond!r} is not "
                                         "{parameter: ID, OPERATOR: VALUE}")
        if "check" in r:
            check_check(f, where, r["check"], facts, base)
    for rid in SHIPPED_IDS:
        if rid not in seen:
            f.add(path, f"shipped requirement {rid} is missing (ids are never removed or renamed)")

    flows = s.get("flows")
    if not isinstance(flows, list) or not flows:
        f.add(path, "flows is not a non-empty list")
        flows = []
    for i, fl in enumerate(flows, 1):
        where = f"{path}: flow {i}"
        if not isinstance(fl, dict):
            f.add(where, "not a mapping")
            continue
        need = ("row", "from", "to", "from_label", "to_label", "component", "protocol", "port",
                "remark")
        for key in need:
            if key not in fl:
                f.add(where, f"no {key!r}")
        for key in fl:
            if key not in need and key not in ("note", "when"):
                f.add(where, f"unknown key {key!r}")
        if fl.get("row") != i:
            f.add(where, f"row {fl.get('row')!r}; expected {i}")
        for side in ("from", "to"):
            v = fl.get(side)
            vs = v if isinstance(v, list) else [v]
            if not vs or any(x not in ROLES and x not in [f"endpoint:{e}" for e in ENDPOINTS]
                             for x in vs):
                f.add(where, f"{side} {v!r} is not a role or list of roles")
        for key in ("from_label", "to_label", "component", "protocol", "port", "remark", "note"):
            if key in fl and not nonempty_str(fl[key]):
                f.add(where, f"{key} is not a non-empty string (quote numbers: port: \"25\")")
        proto = fl.get("protocol")
        if proto not in ("TCP", "UDP", "TCP/UDP", "TCP/IP", "TCP Dynamic", "TCP/UDP Dynamic"):
            f.add(where, f"protocol {proto!r} is not one the format knows")
        port = fl.get("port")
        m = re.fullmatch(r"(\d+)(?:>(\d+))?", port) if isinstance(port, str) else None
        if not m or not 1 <= int(m.group(1)) <= 65535 or \
                (m.group(2) and not int(m.group(1)) <= int(m.group(2)) <= 65535):
            f.add(where, f"port {port!r} is not a port or range N>M")

    checked = "documented fact paths" if facts is not None else "no fact paths (no facts.schema.json)"
    return f.finish(f"{len(reqs)} requirements and {len(flows)} flows well formed; {checked}")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
