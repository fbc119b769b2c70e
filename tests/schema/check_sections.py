#!/usr/bin/env python3
"""check_sections.py SEED SCHEMA - every requirement's `section` is a heading that occurs
verbatim in the seed, and every heading of the seed that carries requirements is used.
Exits 77 (skip) when the seed is not there (it lives outside the repository)."""
import os
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schemacheck as sc  # noqa: E402

# Headings of the seed under which it states requirements: each must be the section of
# at least one requirement, so that no part of the seed is silently left out.
SECTIONS_WITH_REQUIREMENTS = [
    "Hardware Prerequisites",
    "Supported Mailbox Migration Paths",
    "Supported Public Folder Migration Paths",
    "General Installation Requirements",
    "Networking Requirement",
    "SQL Server Installation Requirements",
    "Supported Outlook Versions",
    "TLS 1.2 Certification",
    "Certified Exchange versions",
    "Other Requirements",
    "Account Services",
    "Account Permissions",
    "Inter-Org Public Folder Migration Requirements",
    "Public Folder Migration to Office 365 using PowerShell Requirements",
    "Mailbox Migration Service Account Requirements",
    "Mailbox Migration to Office 365",
    "Public Folder Migration to Office 365 Groups",
    "SQL Accounts and Permissions",
    "Migrator Pro for Exchange Worker Prerequisites",
    "Hardware Requirements",
    "Software Requirements",
]


def main(argv):
    if len(argv) != 3:
        print("usage: check_sections.py SEED SCHEMA", file=sys.stderr)
        return 2
    seed_path, schema_path = argv[1], argv[2]
    if not os.path.exists(seed_path):
        print(f"check_sections: SKIP - seed not found at {seed_path}")
        return sc.SKIP
    f = sc.Failures("check_sections")
    try:
        headings = sc.seed_headings(sc.read_seed(seed_path))
        schema = sc.load_plain_yaml(schema_path)
    except (OSError, ValueError) as e:
        print(f"check_sections: FAIL {e}", file=sys.stderr)
        return 1
    used = set()
    reqs = schema.get("requirements", []) if isinstance(schema, dict) else []
    for i, r in enumerate(reqs, 1):
        if not isinstance(r, dict):
            continue
        section = r.get("section")
        if section not in headings:
            f.add(f"{schema_path}: requirement {i} ({r.get('id')})",
                  f"section {section!r} is not a heading of the seed")
        used.add(section)
    for h in SECTIONS_WITH_REQUIREMENTS:
        if h not in headings:
            f.add(seed_path, f"expected heading {h!r} is not in the seed")
        elif h not in used:
            f.add(schema_path, f"no requirement comes from the seed's section {h!r}")
    return f.finish(f"{len(reqs)} sections are seed headings; "
                    f"{len(SECTIONS_WITH_REQUIREMENTS)} seed sections covered")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
