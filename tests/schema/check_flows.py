#!/usr/bin/env python3
"""check_flows.py SEED SCHEMA - every row of the seed's network table appears in the
schema's flows, in order, with From/To/Component/Protocol/Port/Remark exactly as the seed
states them, and with the roles its From and To labels name. Exits 77 (skip) when the seed
is not there (it lives outside the repository)."""
import os
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schemacheck as sc  # noqa: E402

# The roles each label of the seed's table names (schemas/README.md, flow rows).
LABEL_ROLE = {
    "Migrator Pro for Exchange": "migration-server",
    "Migrator Pro for Exchange SQL": "sql-server",
    "Source Domain Controller": "source-dc",
    "Source Domain Controllers": "source-dc",
    "Target Domain Controller": "target-dc",
    "Target Domain Controllers": "target-dc",
    "Target Domain controllers": "target-dc",
    "Source Messaging servers": "source-exchange",
    "Source messaging servers": "source-exchange",
    "Target Messaging servers": "target-exchange",
    "Target messaging servers": "target-exchange",
    "Target CAS messaging servers": "target-cas",
    "Target SMTP messaging server": "target-smtp",
    "Source DNS servers": "source-dns",
    "Target DNS servers": "target-dns",
}
FIELDS = ("from_label", "to_label", "component", "protocol", "port", "remark")
EXPECTED_ROWS = 82


def roles_of(value):
    return value if isinstance(value, list) else [value]


def main(argv):
    if len(argv) != 3:
        print("usage: check_flows.py SEED SCHEMA", file=sys.stderr)
        return 2
    seed_path, schema_path = argv[1], argv[2]
    if not os.path.exists(seed_path):
        print(f"check_flows: SKIP - seed not found at {seed_path}")
        return sc.SKIP
    f = sc.Failures("check_flows")
    try:
        rows = sc.seed_network_rows(sc.read_seed(seed_path))
        schema = sc.load_plain_yaml(schema_path)
    except (OSError, ValueError) as e:
        print(f"check_flows: FAIL {e}", file=sys.stderr)
        return 1
    if len(rows) != EXPECTED_ROWS:
        f.add(seed_path, f"the network table has {len(rows)} rows; expected {EXPECTED_ROWS}")
    flows = schema.get("flows") if isinstance(schema, dict) else None
    if not isinstance(flows, list):
        f.add(schema_path, "no 'flows' list")
        return f.finish("")
    if len(flows) < len(rows):
        f.add(schema_path, f"{len(flows)} flows; the seed's table has {len(rows)} rows")
    # rows after the seed's own are the schema's additions: each says so in its note
    for i, flow in enumerate(flows[len(rows):], len(rows) + 1):
        note = flow.get("note", "") if isinstance(flow, dict) else ""
        if not isinstance(note, str) or not note.startswith("Not a row of the source's port table"):
            f.add(f"{schema_path}: flow {i}",
                  "beyond the seed's table, but its note does not say \"Not a row of the "
                  "source's port table\"")
    for i, (row, flow) in enumerate(zip(rows, flows), 1):
        where = f"{schema_path}: flow {i}"
        if not isinstance(flow, dict):
            f.add(where, "not a mapping")
            continue
        if flow.get("row") != i:
            f.add(where, f"row is {flow.get('row')!r}; expected {i} (seed order)")
        for name, seed_value in zip(FIELDS, row):
            value = flow.get(name)
            if not isinstance(value, str):
                f.add(where, f"{name} is {value!r}; expected the string {seed_value!r}")
            elif value != seed_value:
                f.add(where, f"{name} is {value!r}; the seed says {seed_value!r}")
        for side, label in (("from", row[0]), ("to", row[1])):
            want = LABEL_ROLE.get(label)
            if want is None:
                f.add(where, f"the seed's label {label!r} names no known role")
            elif roles_of(flow.get(side)) != [want]:
                f.add(where, f"{side} is {flow.get(side)!r}; {label!r} is role {want!r}")
    return f.finish(f"{len(rows)} rows of the seed's network table match the schema's flows; "
                    f"{len(flows) - len(rows)} rows are marked as the schema's additions")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
