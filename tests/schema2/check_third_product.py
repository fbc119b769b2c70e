#!/usr/bin/python3
"""check_third_product.py - a product the engine has never seen, from its schema file
alone: tests/schema2/data/lab-appliance-3.yaml (written from schemas/README.md), its
German text lab-appliance-3.de.yaml, a project with one host per role and hand-written
fact files. readykit renders it in English and in German (--schemas tests/schema2/data,
where the translation is found beside the schema), and the check reads the results back:

- every finding (host, requirement, status), every flow and the verdict of findings.json
  are those of data/expected-status.txt, and the German render's are the same;
- the requirement that depends on the unset parameter `edition` is unknown and its
  message names the parameter and the project key (parameters.edition), in both
  languages;
- the German render used the translation (an input of kind schema-text) and readykit did
  not warn that it is missing or incomplete (the only warning is the unset parameter);
- the German PDFs and workbooks (pdftotext, openpyxl) hold no English text of the schema
  or of templates/en.yaml and templates/*.en.yaml (leftovers.py says what is compared
  and what is left out), while the English ones show the applicable requirements' titles
  and expected values that the same search looks for.

--self-test shows that the leftover check can fail: it drops entries of the translation
(a remediation, a title, manual steps, a host detail's label) and puts English into two
German templates, renders again and requires that exactly those texts are reported (and
that readykit warns, and `readykit validate` lists the dropped entries).

usage: check_third_product.py READYKIT WORKDIR [--self-test]   (exit 0 pass, 1 fail)
"""
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import leftovers  # noqa: E402

DATA = os.path.join(HERE, "data")
SOURCE = leftovers.SOURCE
TEMPLATES = os.path.join(SOURCE, "templates")
SCHEMA = os.path.join(DATA, "lab-appliance-3.yaml")
OVERLAY = os.path.join(DATA, "lab-appliance-3.de.yaml")
UNSET = ("LAB-EDITION", "edition", "parameters.edition")

from leftovers import fail, failures, render_env as env  # noqa: E402


def render(readykit, out, data_dir, lang=None, templates=None):
    """Renders data_dir/project.yaml into out; returns standard error."""
    if os.path.isdir(out):
        shutil.rmtree(out)
    args = [readykit, "render", os.path.join(data_dir, "project.yaml"), "-o", out,
            "--schemas", data_dir]
    if lang:
        args += ["--lang", lang]
    if templates:
        args += ["--templates", templates]
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(),
                       timeout=300)
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode != 0:
        fail("%s exited %d: %s" % (" ".join(args), p.returncode, err[:800]))
    return err


def load_findings(out):
    with open(os.path.join(out, "findings.json"), encoding="utf-8") as f:
        return json.load(f)


def expected():
    """(verdict, [finding lines], [flow lines]) of expected-status.txt, comments dropped."""
    verdict, finds, flows = None, [], []
    with open(os.path.join(DATA, "expected-status.txt"), encoding="utf-8") as f:
        for line in f:
            w = line.split("#", 1)[0].split()
            if not w:
                continue
            if w[0] == "verdict" and len(w) == 2:
                verdict = w[1]
            elif w[0] == "finding" and len(w) == 4:
                finds.append(" ".join(w[1:]))
            elif w[0] == "flow" and len(w) in (5, 6):
                flows.append(" ".join(w[1:]))
            else:
                fail("expected-status.txt: cannot read %r" % line.strip())
    return verdict, finds, flows


def got(fj):
    finds = ["%s %s %s" % (f["host"], f["requirement"], f["status"]) for f in fj["findings"]]
    flows = []
    for fl in fj["flows"]:
        port = "%d" % fl["port_from"] if fl["port_from"] == fl["port_to"] else \
            "%d-%d" % (fl["port_from"], fl["port_to"])
        w = [fl["from_host"], fl["to_host"], "%s/%s" % (fl["protocol"], port),
             fl.get("verification") or "none"]
        if fl.get("depends_on"):
            w.append(",".join(fl["depends_on"]))
        flows.append(" ".join(w))
    return fj["verdict"], finds, flows


def compare(what, want, have):
    missing = sorted(set(want) - set(have))
    extra = sorted(set(have) - set(want))
    for x in missing:
        fail("%s: expected %r, not found" % (what, x))
    for x in extra:
        fail("%s: %r found, not expected" % (what, x))
    if not missing and not extra and sorted(want) != sorted(have):
        fail("%s: duplicates differ: %r vs %r" % (what, sorted(want), sorted(have)))


def check_unknown_message(fj, lang):
    req, param, key = UNSET
    f = [x for x in fj["findings"] if x["requirement"] == req]
    if not f:
        fail("%s: no finding of %s" % (lang, req))
        return
    msg = f[0]["message"]
    if not re.search(r"\b%s\b" % re.escape(param), msg) or key not in msg:
        fail("%s: %s's message %r does not name the parameter %s and the key %s"
             % (lang, req, msg, param, key))


def check_translation_used(fj, err):
    kinds = [(i.get("kind"), os.path.basename(i.get("path", ""))) for i in fj["inputs"]]
    if ("schema-text", "lab-appliance-3.de.yaml") not in kinds:
        fail("German render: the translation lab-appliance-3.de.yaml is not among its "
             "inputs %r (not found beside the schema with --schemas?)" % kinds)
    for line in err.splitlines():
        if line.strip() and "parameters.edition is not set" not in line:
            fail("German render warns: %s" % line)


def leftover_texts(templates_dir=TEMPLATES, overlay=OVERLAY):
    return leftovers.schema_texts(SCHEMA, overlay) + leftovers.template_texts(templates_dir, "de")


def check_leftovers(out, texts, what):
    """The hits of the English texts in the German documents of out (and problems)."""
    search, kept = leftovers.split_kept(texts)
    for t in kept:
        fail("%s: the translation keeps English prose word for word: %r" % (what, t))
    docs = leftovers.document_texts(out, leftovers.schema_citations(SCHEMA))
    return leftovers.find(search, docs)


def check_english_found(out, fj):
    """The search finds the applicable requirements' titles and expected values in the
    English documents: the check reads what the documents show."""
    s = yaml.safe_load(open(SCHEMA, encoding="utf-8"))
    applied = {f["requirement"] for f in fj["findings"] if f["status"] != "not-applicable"}
    want = {}
    for t in leftovers.schema_texts(SCHEMA, None):
        m = re.match(r"requirements\.([A-Z0-9-]+)\.(title|expected)$", t.where)
        if m and m.group(1) in applied:
            want[t.where] = t
    docs = leftovers.document_texts(out, leftovers.schema_citations(SCHEMA))
    found = {t.where for t, _, _ in leftovers.find(list(want.values()), docs)}
    for w in sorted(set(want) - found):
        fail("English render: %s %r not found by the leftover search" % (w, want[w].english))
    if len(want) < 2 * len([r for r in s["requirements"] if r["id"] in applied]) - 1:
        fail("English render: only %d titles and expected values to look for" % len(want))
    print("ok: the search finds all %d titles and expected values of the applicable "
          "requirements in the English documents" % len(want))


def main_check(readykit, work):
    en, de = os.path.join(work, "en"), os.path.join(work, "de")
    render(readykit, en, DATA)
    err_de = render(readykit, de, DATA, lang="de")
    if failures:
        return
    fen, fde = load_findings(en), load_findings(de)
    verdict, finds, flows = expected()
    if len(finds) < 10 or len(flows) < 3 or not verdict:
        fail("expected-status.txt: too little to compare (%d findings, %d flows)"
             % (len(finds), len(flows)))
    for lang, fj in (("en", fen), ("de", fde)):
        if fj.get("language") != lang:
            fail("%s render: findings.json language is %r" % (lang, fj.get("language")))
        v, fs, fl = got(fj)
        if v != verdict:
            fail("%s render: verdict %s, expected %s" % (lang, v, verdict))
        compare("%s findings" % lang, finds, fs)
        compare("%s flows" % lang, flows, fl)
        check_unknown_message(fj, lang)
    # the same statuses, host by host and requirement by requirement, in the same order
    if got(fen)[1] != got(fde)[1]:
        fail("English and German findings differ: %r vs %r" % (got(fen)[1], got(fde)[1]))
    if [f["verification"] for f in fen["flows"]] != [f["verification"] for f in fde["flows"]]:
        fail("English and German flows differ")
    check_translation_used(fde, err_de)
    check_cover(de)
    check_english_found(en, fen)
    hits = check_leftovers(de, leftover_texts(), "lab-appliance-3.de.yaml")
    for t, doc, excerpt in hits:
        fail("German %s keeps English %s %r: ...%s..." % (doc, t.where, t.english, excerpt))
    if not failures:
        print("ok: %d findings and %d flows as expected in English and German; the unknown "
              "finding names parameters.edition; no English text of the schema or the "
              "templates in the German PDFs and workbooks" % (len(finds), len(flows)))


def check_cover(out):
    """The German cover names the project's scenario and every parameter by its German
    title, with the value as set, the default marked, and the unset one said to be unset
    (the translations of scenarios and parameters are shown, not only loaded)."""
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout",
                           os.path.join(out, "readiness.pdf"), "-"],
                          capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    want = ["Szenarien Appliances im Cluster", "Parameter: Benutzer 750",
            "Parameter: Lastfaktor 2", "Parameter: Module audit, reports",
            "Parameter: Edition nicht gesetzt"]
    for w in want:
        if w not in flat:
            fail("German cover: %r not found in %r" % (w, flat[:600]))
    if "Nur TLS" not in flat or "(Vorgabe)" not in flat:
        fail("German cover: the defaulted parameter 'Nur TLS ... (Vorgabe)' is missing")


# ---- self-test ----------------------------------------------------------------------

DROP = [("requirements", "LAB-MEM-MANY-USERS", "remediation"),
        ("requirements", "LAB-CONSOLE-ACCOUNT", "title"),
        ("requirements", "LAB-CONSOLE-ACCOUNT", "steps"),
        ("host_details", "hardware.cpu_cores", "label")]
ENGLISH_TEMPLATES = [("findings", "eval.manual"), ("findings", "eval.parameter_not_set")]


def set_template(path_de, path_en, key):
    """Puts the English value of key into the German template file, line by line (the
    rest of the file unchanged)."""
    with open(path_en, encoding="utf-8") as f:
        en = [l for l in f if l.startswith(key + ":")]
    with open(path_de, encoding="utf-8") as f:
        lines = f.readlines()
    n = 0
    for i, l in enumerate(lines):
        if l.startswith(key + ":"):
            lines[i] = en[0]
            n += 1
    if len(en) != 1 or n != 1:
        fail("self-test: template key %s not found once in %s" % (key, path_de))
    with open(path_de, "w", encoding="utf-8") as f:
        f.writelines(lines)


def self_test(readykit, work):
    base = os.path.join(work, "self-test")
    if os.path.isdir(base):
        shutil.rmtree(base)
    data, tdir = os.path.join(base, "data"), os.path.join(base, "templates")
    shutil.copytree(DATA, data)
    shutil.copytree(TEMPLATES, tdir)
    overlay = os.path.join(data, "lab-appliance-3.de.yaml")
    with open(overlay, encoding="utf-8") as f:
        o = yaml.safe_load(f)
    for sec, ident, fld in DROP:
        del o[sec][ident][fld]
    with open(overlay, "w", encoding="utf-8") as f:
        yaml.safe_dump(o, f, allow_unicode=True, sort_keys=False)
    for stem, key in ENGLISH_TEMPLATES:
        set_template(os.path.join(tdir, stem + ".de.yaml"), os.path.join(tdir, stem + ".en.yaml"), key)
    out = os.path.join(base, "de")
    err = render(readykit, out, data, lang="de", templates=tdir)
    if failures:
        return
    if "4 texts of the schema are not translated" not in err:
        fail("self-test: readykit did not warn that the translation is incomplete: %r" % err)
    p = subprocess.run([readykit, "validate", overlay], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env(), timeout=60)
    listed = [l.strip() for l in p.stderr.decode("utf-8", "replace").splitlines()
              if l.startswith("  ")]
    if p.returncode != 0 or sorted(listed) != sorted(".".join(d) for d in DROP):
        fail("self-test: readykit validate exited %d and listed %r; expected the dropped "
             "entries %r" % (p.returncode, listed, [".".join(d) for d in DROP]))
    # the English texts as the real translation and templates define them
    hits = check_leftovers(out, leftover_texts(), "self-test")
    found = sorted({t.where for t, _, _ in hits})
    want = set()
    for t in leftover_texts():
        for sec, ident, fld in DROP:
            if t.where.startswith("%s.%s.%s" % (sec, ident, fld)):
                want.add(t.where)
        for stem, key in ENGLISH_TEMPLATES:
            if t.where == "templates/%s.en.yaml %s" % (stem, key):
                want.add(t.where)
    for t, doc, excerpt in hits:
        print("found, as it should be: %s in %s: ...%s..." % (t.where, doc, excerpt))
    if set(found) != want:
        fail("self-test: the leftover check reported %r; expected exactly %r"
             % (found, sorted(want)))
    elif not failures:
        print("ok: self-test: the %d texts left in English are found, and nothing else"
              % len(want))


def main(argv):
    return leftovers.check_main(argv, __doc__, main_check, self_test, failures)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
