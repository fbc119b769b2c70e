#!/usr/bin/python3
"""check_german.py - the shipped samples' German documents hold no English text of their
schema or of the engine's templates.

- samples/contoso-fabrikam rendered with --lang de (schema migrator-pro-exchange-20.11
  with its translation migrator-pro-exchange-20.11.de.yaml);
- samples/exchange-2019-target, German by its project (language: de; schema
  exchange-server-2019 with exchange-server-2019.de.yaml), with its attestations.

Each German render is read back with pdftotext and openpyxl and searched for the English
texts of its schema and of templates/en.yaml and templates/*.en.yaml (leftovers.py says
what is compared and what is left out: names, versions, paths and commands that every
language keeps, the citations of the English source, the project's and facts' own text).
Each sample is also rendered in English, where the same search must find every
applicable requirement's title and expected value: the check reads what the documents
show. A translation that keeps English prose word for word fails too.

--self-test drops the German remediation of a requirement the contoso sample fails and
the German title of a requirement that applies, from a copy of the schemas folder, and
requires that exactly those two English texts are found.

usage: check_german.py READYKIT WORKDIR [--self-test]   (exit 0 pass, 1 fail)
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

SOURCE = leftovers.SOURCE
SCHEMAS = os.path.join(SOURCE, "schemas")
TEMPLATES = os.path.join(SOURCE, "templates")
SAMPLES = [
    # name, project, schema id, extra arguments of the German render
    ("contoso-fabrikam", "samples/contoso-fabrikam/project.yaml",
     "migrator-pro-exchange-20.11", ["--lang", "de"]),
    ("exchange-2019-target", "samples/exchange-2019-target/project.yaml",
     "exchange-server-2019", []),
]

from leftovers import fail, failures, render_env as env  # noqa: E402


def render(readykit, project, out, args):
    """Renders project into out; returns findings.json (None when the render failed)."""
    if os.path.isdir(out):
        shutil.rmtree(out)
    cmd = [readykit, "render", "-q", os.path.join(SOURCE, project), "-o", out] + args
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(),
                       timeout=600)
    if p.returncode != 0:
        fail("%s exited %d: %s" % (" ".join(cmd), p.returncode,
                                   p.stderr.decode("utf-8", "replace")[:800]))
        return None
    with open(os.path.join(out, "findings.json"), encoding="utf-8") as f:
        return json.load(f)


def texts_of(schema_id, schemas=SCHEMAS):
    schema = os.path.join(schemas, schema_id + ".yaml")
    overlay = os.path.join(schemas, schema_id + ".de.yaml")
    return (leftovers.schema_texts(schema, overlay) + leftovers.template_texts(TEMPLATES, "de"),
            leftovers.schema_citations(schema))


def leftover_hits(out, schema_id, what, schemas=SCHEMAS):
    texts, citations = texts_of(schema_id, schemas)
    search, kept = leftovers.split_kept(texts)
    for t in kept:
        fail("%s: the translation keeps English prose word for word: %r" % (what, t))
    return leftovers.find(search, leftovers.document_texts(out, citations))


def check_english_found(out, fj, schema_id, name):
    """The search finds the applicable requirements' titles and expected values in the
    English render."""
    applied = {f["requirement"] for f in fj["findings"] if f["status"] != "not-applicable"}
    want = {}
    for t in leftovers.schema_texts(os.path.join(SCHEMAS, schema_id + ".yaml"), None):
        m = re.match(r"requirements\.([A-Z0-9-]+)\.(title|expected)$", t.where)
        if m and m.group(1) in applied:
            want[t.where] = t
    docs = leftovers.document_texts(out, leftovers.schema_citations(
        os.path.join(SCHEMAS, schema_id + ".yaml")))
    found = {t.where for t, _, _ in leftovers.find(list(want.values()), docs)}
    for w in sorted(set(want) - found):
        fail("%s, English render: %s %r not found by the leftover search"
             % (name, w, want[w].english))
    if len(want) < 20:
        fail("%s, English render: only %d titles and expected values to look for"
             % (name, len(want)))
    return len(want)


def main_check(readykit, work):
    for name, project, schema_id, args in SAMPLES:
        de = os.path.join(work, name + "-de")
        en = os.path.join(work, name + "-en")
        fde = render(readykit, project, de, args)
        fen = render(readykit, project, en, ["--lang", "en"])
        if fde is None or fen is None:
            continue
        if fde.get("language") != "de":
            fail("%s: the German render's findings.json says language %r"
                 % (name, fde.get("language")))
        if not any(i.get("kind") == "schema-text" for i in fde["inputs"]):
            fail("%s: the German render did not use the schema's translation" % name)
        n = check_english_found(en, fen, schema_id, name)
        hits = leftover_hits(de, schema_id, name)
        for t, doc, excerpt in hits:
            fail("%s: German %s keeps English %s %r: ...%s..."
                 % (name, doc, t.where, t.english, excerpt))
        if not hits:
            print("ok: %s: no English text of %s or the templates in the German PDFs and "
                  "workbooks (the search finds all %d applicable titles and expected "
                  "values in the English ones)" % (name, schema_id, n))


def self_test(readykit, work):
    name, project, schema_id, args = SAMPLES[0]
    base = os.path.join(work, "self-test")
    if os.path.isdir(base):
        shutil.rmtree(base)
    schemas = os.path.join(base, "schemas")
    shutil.copytree(SCHEMAS, schemas)
    # which requirements fail and apply, from an unchanged render
    fj = render(readykit, project, os.path.join(base, "before"), args)
    if fj is None:
        return
    failed = [f["requirement"] for f in fj["findings"] if f["status"] == "fail"]
    applies = [f["requirement"] for f in fj["findings"] if f["status"] == "pass"]
    if not failed or not applies:
        fail("self-test: the sample has no failed or passed requirement to work with")
        return
    overlay = os.path.join(schemas, schema_id + ".de.yaml")
    with open(overlay, encoding="utf-8") as f:
        o = yaml.safe_load(f)
    del o["requirements"][failed[0]]["remediation"]
    del o["requirements"][applies[0]]["title"]
    with open(overlay, "w", encoding="utf-8") as f:
        yaml.safe_dump(o, f, allow_unicode=True, sort_keys=False)
    out = os.path.join(base, "de")
    if render(readykit, project, out, args + ["--schemas", schemas]) is None:
        return
    # compared with the real translation: the two dropped texts are English now
    hits = leftover_hits(out, schema_id, "self-test")
    found = sorted({t.where for t, _, _ in hits})
    want = sorted(["requirements.%s.remediation" % failed[0],
                   "requirements.%s.title" % applies[0]])
    for t, doc, excerpt in hits:
        print("found, as it should be: %s in %s: ...%s..." % (t.where, doc, excerpt))
    if found != want:
        fail("self-test: the leftover check reported %r; expected exactly %r" % (found, want))
    elif not failures:
        print("ok: self-test: the dropped remediation and title are found, and nothing else")


def main(argv):
    return leftovers.check_main(argv, __doc__, main_check, self_test, failures)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
