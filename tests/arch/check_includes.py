#!/usr/bin/python3
"""check_includes.py CC RENDER_DIR [INCLUDE_DIR...] - the include graph of render/ follows
the pipeline: base -> loaders -> evaluation -> document models -> writers -> the command
line. Every header and source is placed in one stage below; a file may depend only on
headers of its own or an earlier stage, and no two modules depend on each other (a
module is a header with the sources that implement it). Dependencies come from the
compiler (-MM), so an include added anywhere is seen."""
import os
import subprocess
import sys

STAGES = ["base", "loaders", "evaluation", "documents", "writers", "cli"]

# header (module) -> stage; a new header must be placed here
MODULES = {
    "util": "base", "diag": "base", "jobs": "base", "progress": "base", "addr": "base",
    "yaml_tree": "loaders", "json": "loaders", "factschema": "loaders", "schema": "loaders",
    "schema_load": "loaders", "schema_text": "loaders", "project": "loaders",
    "facts": "loaders", "waivers": "loaders", "template": "loaders",
    "export_kinds": "loaders", "xlsx_read": "loaders", "waivers_xlsx": "loaders",
    "assess": "evaluation", "when": "evaluation", "eval": "evaluation", "flows": "evaluation", "diff": "evaluation",
    "pipeline": "evaluation", "remedy": "evaluation",
    "explain": "documents", "doc": "documents", "readiness_doc": "documents",
    "firewall_doc": "documents", "readiness_fleet": "documents", "fw_export": "documents",
    "remediation_script": "documents", "evidence": "documents",
    "findings": "writers", "host_plan": "writers", "inventory": "writers",
    "attest_template": "writers", "diff_print": "writers", "outset": "writers", "xlsx_zip": "writers",
    "junit": "writers", "sums": "writers", "pdf_attach": "writers", "remediation": "writers", "verify": "writers",
    "main": "cli",
}
# private headers that belong to another module
HEADER_MODULE = {"schema_load": "schema", "readiness_fleet": "readiness_doc",
                 "pdf_attach": "doc"}
# sources whose module is not their own name
SOURCE_MODULE = {
    "schema_params": "schema", "schema_check": "schema", "schema_items": "schema",
    "check": "eval", "exceptions": "eval",
    "readiness_exceptions": "readiness_doc", "readiness_changes": "readiness_doc",
    "readiness_fleet": "readiness_doc", "readiness_remedy": "readiness_doc",
    "readiness_risk": "readiness_doc",
    "pdf": "writers:doc", "pdf_attach": "writers:doc", "xlsx": "writers:doc", "csv": "writers:doc",
}


def module_of_source(name):
    m = SOURCE_MODULE.get(name, name)
    if m.startswith("writers:"):  # a writer implementing doc.h's declarations
        return m.split(":")[1], "writers"
    if m not in MODULES:
        return None, None
    return m, MODULES[m]


def deps(cc, src, incs):
    out = subprocess.run([cc, "-MM", "-MG", "-std=c11", "-D_POSIX_C_SOURCE=200809L",
                          "-D_DEFAULT_SOURCE"] + ["-I" + i for i in incs] + [src],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("check_includes: %s: %s" % (src, out.stderr.strip()))
    words = out.stdout.replace("\\\n", " ").split()[1:]
    return [w for w in words if w.endswith(".h")]


def self_test(cc, render, incs):
    """A loader made to include a document model, and a cycle made between two modules,
    are each found (else the check cannot fail)."""
    import shutil
    import tempfile
    for plant in (("json.c", '#include "readiness_doc.h"\n'), ("util.h", '#include "json.h"\n')):
        with tempfile.TemporaryDirectory() as d:
            copy = os.path.join(d, "render")
            shutil.copytree(render, copy)
            with open(os.path.join(copy, plant[0]), "a") as fh:
                fh.write(plant[1])
            if main(["x", cc, copy] + incs, quiet=True) == 0:
                print("check_includes: FAIL %s planted in %s was not found" % (plant[1].strip(), plant[0]),
                      file=sys.stderr)
                return 1
    print("check_includes: self-test ok")
    return 0


def main(argv, quiet=False):
    if len(argv) > 1 and argv[1] == "--self-test":
        return self_test(argv[2], argv[3], argv[4:])
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cc, render = argv[1], argv[2]
    incs = [render] + argv[3:]
    problems = []
    headers = sorted(f[:-2] for f in os.listdir(render) if f.endswith(".h"))
    for h in headers:
        if h not in MODULES:
            problems.append("render/%s.h is in no stage; place it in tests/arch/check_includes.py" % h)
    uses = {}  # module -> set of modules its files depend on
    sources = sorted(f for f in os.listdir(render) if f.endswith(".c"))
    for f in sources:
        name = f[:-2]
        mod, stage = module_of_source(name)
        if mod is None:
            problems.append("render/%s is in no stage; place it in tests/arch/check_includes.py" % f)
            continue
        for d in deps(cc, os.path.join(render, f), incs):
            dn = os.path.basename(d)[:-2]
            dn = HEADER_MODULE.get(dn, dn)
            if os.path.dirname(os.path.abspath(d)) != os.path.abspath(render) or dn not in MODULES:
                continue  # a library or system header
            if STAGES.index(MODULES[dn]) > STAGES.index(stage):
                problems.append("render/%s (%s) includes %s.h of a later stage (%s)"
                                % (f, stage, dn, MODULES[dn]))
            if dn != mod:
                uses.setdefault(mod, set()).add(dn)
    # headers depend on what they include, too
    for h in headers:
        if h not in MODULES:
            continue
        hm = HEADER_MODULE.get(h, h)
        for d in deps(cc, os.path.join(render, h + ".h"), incs):
            dn = HEADER_MODULE.get(os.path.basename(d)[:-2], os.path.basename(d)[:-2])
            if dn in MODULES and dn != hm and os.path.dirname(os.path.abspath(d)) == os.path.abspath(render):
                uses.setdefault(hm, set()).add(dn)
                if STAGES.index(MODULES[dn]) > STAGES.index(MODULES[h]):
                    problems.append("render/%s.h (%s) includes %s.h of a later stage (%s)"
                                    % (h, MODULES[h], dn, MODULES[dn]))
    for a, bs in sorted(uses.items()):
        for b in sorted(bs):
            if a in uses.get(b, set()) and a < b:
                problems.append("modules %s and %s include each other" % (a, b))
    for p in problems if not quiet else []:
        print("check_includes: FAIL " + p, file=sys.stderr)
    if problems:
        return 1
    if not quiet:
        print("check_includes: ok - %d sources, %d headers; stages %s; no module cycle"
              % (len(sources), len(headers), " -> ".join(STAGES)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
