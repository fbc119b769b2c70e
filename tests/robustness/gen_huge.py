#!/usr/bin/python3
"""gen_huge.py OUT - writes the corpus cases too large to commit (tens of megabytes,
deep nesting, alias bombs, a million values) into OUT/<kind>/, each with its .expect,
in the layout run_corpus.py reads."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MB = 1024 * 1024


def put(out, kind, name, data, expect, size=None):
    """size: make the file that long (sparse), for cases about the size limit alone."""
    d = os.path.join(out, kind)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        if isinstance(data, str):
            data = data.encode("utf-8")
        f.write(data)
        if size:
            f.truncate(size)
    with open(path + ".expect", "w", encoding="utf-8") as f:
        f.write(expect.rstrip("\n") + "\n")


def facts_cases(out):
    with open(os.path.join(ROOT, "samples/contoso-fabrikam/facts/mpe01.json"), encoding="utf-8") as f:
        base = json.load(f)
    # over the 32 MiB limit: refused before parsing
    put(out, "facts", "over-limit-40mb.json", json.dumps(base, indent=2),
        "{file}: file is 41943040 bytes, more than the limit of 33554432 bytes", size=40 * MB)
    # 20 MB of errors[] entries, cut off in the middle
    o = dict(base)
    o["errors"] = [{"fact": "software.sql_instances[%d]" % i, "message": "access denied " * 4}
                   for i in range(200000)]
    text = json.dumps(o, indent=1)
    cut = text[: 20 * MB]
    put(out, "facts", "truncated-20mb.json", cut,
        "{file}:%d:\ntruncated?" % (cut.count("\n") + 1))
    # a 5 MB string that ends in a \u0000 escape
    s = json.dumps(dict(base, os=dict(base["os"], name="W" * (5 * MB) + "\\u0000")), indent=2)
    s = s.replace("\\\\u0000", "\\u0000")
    line = s[: s.index("\\u0000")].count("\n") + 1
    put(out, "facts", "string-5mb-then-u0000.json", s, "{file}:%d:\na \\u0000 escape" % line)
    # a 5 MB string of invalid UTF-8 and control characters in a key that appears twice
    key = b"\xff\x01" * (MB // 2)
    raw = b'{"format": "readykit-facts/1", "' + key + b'": 1, "' + key + b'": 2}'
    put(out, "facts", "key-1mb-duplicate.json", raw, "{file}:1:1048615: duplicate key")
    # nesting far beyond any real file
    put(out, "facts", "nesting-100000.json", "[" * 100000 + "]" * 100000,
        "{file}:1:33: nested more than 32 levels deep")
    put(out, "facts", "nesting-1000000-unclosed.json", '{"a":' * MB,
        "{file}:1:161: nested more than 32 levels deep")
    # 300,000 keys in one object, the last a duplicate
    keys = ", ".join('"k%06d": %d' % (i, i) for i in range(300000))
    put(out, "facts", "keys-300000-duplicate.json",
        '{"format": "readykit-facts/1", "services": {' + keys + ', "k000007": 0}}',
        "{file}:1:5588935: duplicate key 'services.k000007' (first at line 1)")
    # two million numbers, the last beyond 2^53
    nums = ",".join(["1"] * 2000000 + ["9007199254740993"])
    o = json.dumps(dict(base, errors="PLACEHOLDER"))
    put(out, "facts", "numbers-2m-last-beyond-2-53.json", o.replace('"PLACEHOLDER"', "[" + nums + "]"),
        "{file}:1:4003073: 'errors[2000000]' is a number beyond 2^53")


def yaml_cases(out):
    with open(os.path.join(HERE, "base/project.yaml"), encoding="utf-8") as f:
        project = f.read()
    for kind, fmt in (("project", "readykit-project/1"), ("schema", "readykit-schema/1"),
                      ("waivers", "readykit-waivers/1"), ("attestations", "readykit-attestations/1")):
        if kind in ("project", "waivers"):  # the size limit is rk_yaml_load's, shared by all
            put(out, kind, "over-limit-20mb.yaml", "format: %s\n" % fmt + "# padding\n" * (2 * MB),
                "{file}: file is 2097\nbytes, more than the limit of 16777216 bytes")
            put(out, kind, "comments-15mb-then-tab.yaml",
                "format: %s\n" % fmt + "# padding\n" * (15 * MB // 10) + "a:\n\tb: 1\n",
                "{file}:%d:1:\ntab" % (15 * MB // 10 + 3))
        put(out, kind, "nesting-200000-flow.yaml", "format: %s\ndeep: " % fmt + "[" * 200000,
            "{file}:2:70: nested more than 64 levels deep")
        put(out, kind, "nesting-2000-block.yaml",
            "format: %s\n" % fmt + "".join("  " * i + "k%d:\n" % i for i in range(2000)),
            "{file}:66:129: nested more than 64 levels deep")
        bomb = "format: %s\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" % fmt
        for i in range(1, 40):
            bomb += "a%d: &a%d [%s]\n" % (i, i, ", ".join(["*a%d" % (i - 1)] * 10))
        put(out, kind, "alias-bomb-40-levels.yaml", bomb,
            "{file}:3:10: YAML alias '*a0' is not allowed")
        put(out, kind, "values-1100000.yaml",
            "format: %s\nmany: [%s]\n" % (fmt, ", ".join(["0"] * 1100000)),
            "{file}:2:\nmore than 1000000 values")
        put(out, kind, "keys-200000-duplicate.yaml",
            "format: %s\nmap:\n" % fmt + "".join("  k%06d: %d\n" % (i, i) for i in range(200000))
            + "  k000003: again\n",
            "{file}:200003:3: duplicate key 'k000003' (first at line 6)")
        put(out, kind, "key-1mb.yaml", "format: %s\n%s: 1\n" % (fmt, "k" * MB),
            "{file}:2:1048577: invalid YAML: could not find expected ':'")
    # project values of megabytes
    put(out, "project", "host-name-5mb.yaml", project.replace("name: mpe01", "name: " + "a" * (5 * MB)),
        "{file}:19:11: host name 'aaaa")
    put(out, "project", "customer-5mb-list.yaml",
        project.replace("customer: Contoso Ltd.", "customer: [" + ", ".join(["x"] * 500000) + "]"),
        "{file}:4:11: 'customer' is a list")
    # 50,000 waivers, the last without a justification
    w = "format: readykit-waivers/1\nschema: migrator-pro-exchange-20.11\nwaivers:\n"
    entry = ("  - requirement: MPE-SRV-CPU-CORES\n    hosts: \"mpe*\"\n    justification: j\n"
             "    approved_by: CAB\n    expires: 2027-01-31\n")
    w += entry * 50000 + entry.replace("    justification: j\n", "")
    put(out, "waivers", "waivers-50000-last-incomplete.yaml", w,
        "{file}:%d:\njustification" % (3 + 5 * 50000 + 1))


def plan_cases(out):
    probe = "tcp 443 192.0.2.10 F0001\n"
    put(out, "plan", "over-1mb.plan", probe, "{file}: file is larger than 1048576 bytes",
        size=2 * MB)
    put(out, "plan", "lines-25000.plan", "# comment\n" * 25000, "{file}:20001: too many lines")
    put(out, "plan", "probes-5000.plan", probe * 5000, "{file}:4097: too many probes")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    facts_cases(out)
    yaml_cases(out)
    plan_cases(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
