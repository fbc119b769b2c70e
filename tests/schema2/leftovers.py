"""leftovers.py - finds English text of a schema and of the engine's templates left in
documents that should be in another language, reading the documents back with
poppler-utils (pdftotext, pdfinfo), qpdf (bookmarks) and openpyxl only.

The English strings come from the files themselves, so the check follows every change
of wording:
- the schema: its title, the titles of roles, scenarios, parameters (and their
  descriptions), collect items, endpoints (and their notes) and host details, section
  names, and of every requirement its title, seed, expected value, remediation, note
  and manual steps; the flow table's labels, components, remarks and notes;
- templates/en.yaml and templates/*.en.yaml: every value with three words or more
  outside its {placeholders}, searched with its placeholders standing for any text.

How a string is searched:
- a template, or a schema string that reads as English prose (an English function word
  such as "the", "of", "at", "with" outside the product's name): anywhere in the text of
  a PDF page or a workbook cell, whitespace and line breaks ignored;
- a schema string without one (a title or label such as "Memory (8 GB)", "Operator
  account"): standing on its own, as a workbook cell (or a line or list item of one),
  and a host detail's label also at the start of a PDF line (the workbook does not show
  host details). Inside a sentence such a string is usually the name of something ("the
  Mailbox Replication Proxy Service", "(Update Forest)") that a translation quotes on
  purpose, and a narrow PDF column starts a line with any word of a sentence, so titles
  are not looked for in PDF text: the workbook, from the same document model, shows
  them.

Left out, because they stay as they are in every language: a string the translation
keeps word for word when it is a name, a version, a path or a command (no English
function word in it once the product's name is taken out, or a path, registry key or
command line; a kept string that reads as prose is reported instead), the schema's
`source` and the requirements' `refs` (they cite the English source document by its
headings; they are blanked out of the documents' text before searching), and the
project's and facts' own text (customer, zones, host names, values as collected), which
no schema or template holds. A schema string of one word is a name, never a sentence,
and is not searched.
"""
import glob
import json
import os
import re
import subprocess

import yaml

# Words that make a kept string English prose rather than a name or a command.
FUNCTION_WORDS = set("""a an and are as at be by each every for from has have if in is it
its least less more most must no not of on one or should than that the their this to
was when where which while with without""".split())
PLACEHOLDER = re.compile(r"\{[A-Za-z0-9_.]+\}")
WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")


def words(s):
    return WORD.findall(PLACEHOLDER.sub(" ", s))


def looks_technical(s):
    """A path, registry key, command line, URL or version rather than a sentence."""
    return bool(re.search(r"[\\/]|HKLM|HKCU|\.exe\b|^[A-Z][a-z]+-[A-Z]\w+|^\S+\s+-\w|"
                          r"^[\d.]+$|https?:", s))


def strip_names(s, names):
    for n in names:
        s = s.replace(n, " ")
    return s


def is_prose(s, names=()):
    """English prose: at least two words and one English function word once the names are
    taken out (a step that quotes a command is prose all the same)."""
    w = [x.lower() for x in words(strip_names(s, names))]
    return len(w) >= 2 and any(x in FUNCTION_WORDS for x in w)


def product_names(product):
    """The product's name and its tails of two words or more, longest first ("Binary Tree
    Migrator Pro for Exchange", ..., "Migrator Pro for Exchange", ...)."""
    w = (product or "").split()
    return [" ".join(w[i:]) for i in range(len(w) - 1)]


class Text:
    """One English string, where it comes from, and its translation (None: none)."""

    def __init__(self, where, english, translated, template=False, names=(), label=False):
        self.where = where
        self.english = " ".join(english.split())
        self.translated = " ".join(translated.split()) if isinstance(translated, str) else None
        self.template = template
        self.prose = is_prose(self.english, names)
        # templates and prose anywhere in a text; titles and labels standing on their own
        self.anywhere = template or self.prose
        self.label = label  # a host detail's label: in the PDF, "label value" on a line
        self.pattern = self._pattern()

    def _pattern(self):
        parts = PLACEHOLDER.split(self.english) if self.template else [self.english]
        lits = [p.strip() for p in parts]
        # leading and trailing placeholders may stand for anything: drop them
        while lits and not lits[0]:
            lits.pop(0)
        while lits and not lits[-1]:
            lits.pop()
        # a placeholder's value may run over a line break of the PDF text
        rx = r"[\s\S]{0,200}?".join(r"\s+".join(re.escape(t) for t in lit.split()) for lit in lits)
        return re.compile(rx) if rx else None

    def __repr__(self):
        return "%s: %r" % (self.where, self.english)


def _str(v):
    return v if isinstance(v, str) else None


def _steps(check):
    """The manual steps of a check, nested checks included."""
    if not isinstance(check, dict):
        return []
    out = list(check.get("steps") or []) if check.get("kind") == "manual" else []
    for k in ("check", "where"):
        out += _steps(check.get(k))
    for c in check.get("checks") or []:
        out += _steps(c)
    return out


def schema_texts(schema_path, overlay_path):
    """Every English text of a schema, with its translation from the overlay (which may be
    None: no overlay). Only strings of two words or more."""
    with open(schema_path, encoding="utf-8") as f:
        s = yaml.safe_load(f)
    o = {}
    if overlay_path:
        with open(overlay_path, encoding="utf-8") as f:
            o = yaml.safe_load(f) or {}
    out = []
    names = product_names(s.get("product"))

    def add(where, en, de, label=False):
        if isinstance(en, str) and len(words(en)) >= 2:
            out.append(Text(where, en, de, names=names, label=label))

    def sub(section, key):
        v = (o.get(section) or {}).get(key)
        return v if isinstance(v, dict) else {}

    add("title", s.get("title"), o.get("title"))
    for sec, fields in (("roles", ("title",)), ("scenarios", ("title",)),
                        ("parameters", ("title", "description")), ("collect", ("title",)),
                        ("endpoints", ("title", "note"))):
        for item in s.get(sec) or []:
            t = sub(sec, item["id"])
            for fld in fields:
                add("%s.%s.%s" % (sec, item["id"], fld), item.get(fld), _str(t.get(fld)))
    for hd in s.get("host_details") or []:
        add("host_details.%s.label" % hd["fact"], hd.get("label"),
            _str(sub("host_details", hd["fact"]).get("label")), label=True)
    sections = o.get("sections") or {}
    seen_sections = set()
    for r in s.get("requirements") or []:
        t = sub("requirements", r["id"])
        for fld in ("title", "seed", "expected", "remediation", "note"):
            add("requirements.%s.%s" % (r["id"], fld), r.get(fld), _str(t.get(fld)))
        de_steps = t.get("steps") if isinstance(t.get("steps"), list) else []
        for i, st in enumerate(_steps(r.get("check"))):
            add("requirements.%s.steps[%d]" % (r["id"], i), st,
                _str(de_steps[i]) if i < len(de_steps) else None)
        sec = r.get("section")
        if sec and sec not in seen_sections:
            seen_sections.add(sec)
            add("sections.%s" % sec, sec, _str(sections.get(sec)))
    flows = o.get("flows") or {}
    for fl in s.get("flows") or []:
        t = flows.get(fl["row"]) or flows.get(str(fl["row"])) or {}
        for fld in ("from_label", "to_label", "component", "remark", "note"):
            add("flows.%s.%s" % (fl["row"], fld), fl.get(fld), _str(t.get(fld)))
    return out


def schema_citations(schema_path):
    """The schema's `source` and every requirement's `refs`: citations of the English
    source document, which every language keeps."""
    with open(schema_path, encoding="utf-8") as f:
        s = yaml.safe_load(f)
    out = [s["source"]] if isinstance(s.get("source"), str) else []
    for r in s.get("requirements") or []:
        out += [x for x in r.get("refs") or [] if isinstance(x, str)]
    return sorted(set(" ".join(x.split()) for x in out), key=len, reverse=True)


def template_texts(templates_dir, lang):
    """Every English template value of three words or more, with the LANG value of the
    same key."""
    out = []
    for en in sorted(glob.glob(os.path.join(templates_dir, "*.yaml"))):
        base = os.path.basename(en)
        if base != "en.yaml" and not base.endswith(".en.yaml"):
            continue
        other = os.path.join(templates_dir, base[:-len("en.yaml")] + lang + ".yaml")
        with open(en, encoding="utf-8") as f:
            a = yaml.safe_load(f) or {}
        b = {}
        if os.path.exists(other):
            with open(other, encoding="utf-8") as f:
                b = yaml.safe_load(f) or {}
        for k, v in a.items():
            if isinstance(v, str) and len(words(v)) >= 3:
                out.append(Text("templates/%s %s" % (base, k), v, _str(b.get(k)), template=True))
    return out


def split_kept(texts):
    """(to search, kept as prose): a text its translation keeps word for word is not
    searched; when it reads as English prose it is returned as a problem instead."""
    search, kept = [], []
    for t in texts:
        if t.translated is not None and t.translated == t.english:
            if t.prose and not looks_technical(t.english):
                kept.append(t)
            continue
        if t.pattern is not None:
            search.append(t)
    return search, kept


def squash_lines(s):
    """Whitespace squashed within each line; the line breaks kept."""
    lines = (" ".join(x.split()) for x in s.split("\n"))
    return "\n".join(x for x in lines if x)


def run(args):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=True).stdout.decode("utf-8", "replace")


def pdf_text(path):
    """The PDF's text in content order (pdftotext -raw), one string per page: each line
    of a table cell or paragraph on a line of its own; then its bookmarks (qpdf) and its
    title, subject and keywords (pdfinfo), one string each."""
    out = [squash_lines(pg) for pg in run(["pdftotext", "-q", "-raw", "-enc", "UTF-8", path,
                                           "-"]).split("\f")]

    def walk(items):
        for o in items:
            out.append(" ".join(o.get("title", "").split()))
            walk(o.get("kids", []))

    walk(json.loads(run(["qpdf", "--json", "--json-key=outlines", path])).get("outlines", []))
    for line in run(["pdfinfo", "-enc", "UTF-8", path]).splitlines():
        k, _, v = line.partition(":")
        if k in ("Title", "Subject", "Keywords"):
            out.append(" ".join(v.split()))
    return out


def xlsx_text(path):
    """Every string cell of every sheet, the sheet names, and the workbook's title,
    subject and keywords."""
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True)
    out = [x for x in (wb.properties.title, wb.properties.subject, wb.properties.keywords)
           if isinstance(x, str)]
    for ws in wb.worksheets:
        out.append(ws.title)
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str) and v.strip():
                    out.append(squash_lines(v))
    wb.close()
    return out


def citation_pattern(c):
    """A citation as the documents show it: words separated by any whitespace, and a line
    break (which pdftotext may turn into a space) possible after any character."""
    return re.compile(r"\s+".join(r"\s?".join(re.escape(ch) for ch in tok) for tok in c.split()))


def document_texts(out_dir, citations=()):
    """[(document name, is_workbook, [strings])] of the PDFs and workbooks of one render,
    with the citations blanked out."""
    pats = [citation_pattern(c) for c in citations]

    def blank(strings):
        out = []
        for s in strings:
            for p in pats:
                s = p.sub(" \u2016 ", s)
            out.append(s)
        return out

    docs = []
    for name in ("readiness.pdf", "firewall.pdf"):
        docs.append((name, False, blank(pdf_text(os.path.join(out_dir, name)))))
    for name in ("readiness.xlsx", "firewall.xlsx"):
        docs.append((name, True, blank(xlsx_text(os.path.join(out_dir, name)))))
    return docs


def bounded(t, workbook):
    """The pattern of a title or label standing on its own, or None where it cannot be
    told from a name inside a sentence: in a workbook a whole cell, a line of it, or an
    item of a list ("a, b", "a; b", "a: b", "Title (details)"); in a PDF only a host
    detail's label, at the start of a line (a narrow PDF column starts a line with any
    word of a sentence)."""
    core = t.pattern.pattern
    if workbook:
        return re.compile(r"(?:^|\n|[;,:\u00b7] ?)" + core + r"(?=[ \t]*(?:[;,:\u00b7(\n]|$))")
    if t.label:
        return re.compile(r"(?:^|\n)" + core + r"(?![\w-])")
    return None


def find(texts, docs):
    """[(Text, document, excerpt)] for every text found in a document (its first place)."""
    hits = []
    for t in texts:
        for name, workbook, strings in docs:
            rx = t.pattern if t.anywhere else bounded(t, workbook)
            if rx is None:
                continue
            for s in strings:
                m = rx.search(s)
                if m:
                    a, b = max(0, m.start() - 30), min(len(s), m.end() + 30)
                    hits.append((t, name, " ".join(s[a:b].split())))
                    break
    return hits


# ---- what every check that renders shares --------------------------------------------

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("READYKIT_DATA") or os.path.abspath(os.path.join(HERE, "..", ".."))
failures = []


def fail(msg):
    """Records a failure (check_main reports the count) and says it at once."""
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


def render_env():
    """The environment of a render: UTC, the C locale, this tree's data; no fixed date."""
    e = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "LANGUAGE")}
    e.update({"TZ": "UTC", "LC_ALL": "C", "READYKIT_DATA": SOURCE})
    return e


def check_main(argv, usage, main_check, self_test, failures):
    """The command line of a leftover check: READYKIT WORK [--self-test]. Runs the check
    (or its self-test) and returns the exit code: 0, 1 on a failure, 2 on bad usage."""
    if len(argv) not in (3, 4) or (len(argv) == 4 and argv[3] != "--self-test"):
        print(usage)
        return 2
    readykit, work = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    os.makedirs(work, exist_ok=True)
    if len(argv) == 4:
        self_test(readykit, work)
    else:
        main_check(readykit, work)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    return 0
