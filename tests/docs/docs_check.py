#!/usr/bin/python3
"""docs_check.py - renders projects with readykit and reads the documents back with
independent tools only: qpdf and poppler-utils for the PDF, openpyxl, zipfile and
LibreOffice for the XLSX, Python's json, csv and hashlib for the rest.

Usage: docs_check.py CHECK ARGS...     (exit 0 pass, 1 fail, 77 skipped)

  render READYKIT OUT SAMPLE UNICODE     render the projects the read-back checks use
  pdf DIR PROJECT LANG [a4|letter]       readiness.pdf of one render
  textlayer DIR                          poppler reads the PDFs' text without complaint
  xlsx DIR PROJECT LANG                  readiness.xlsx (and the firewall workbook and CSV)
  findings DIR PROJECT [sample]          findings.json; 'sample' adds the sample README's
  libreoffice NAME=DIR:LANG:PROJECT...   LibreOffice opens the workbooks (one run)
  reproducible READYKIT WORK SAMPLE UNICODE
  dates READYKIT WORK SAMPLE
  atomic READYKIT WORK SAMPLE
  atomic-output READYKIT WORK SAMPLE

Wording (titles, status words, sheet names) is read from templates/<lang>.yaml under
$READYKIT_DATA with a line parser of its own, so the checks follow wording changes but
still catch a document that does not use the templates.
"""
import calendar
import csv
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
import xml.etree.ElementTree as ET

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("READYKIT_DATA") or os.path.abspath(os.path.join(HERE, "..", ".."))
OUTPUTS = ["findings.json", "readiness.pdf", "readiness.xlsx", "firewall.pdf",
           "firewall.xlsx", "firewall.csv", "SHA256SUMS"]
# The sample's wrk02 fails MPE-WRK-UAC, whose fix a script makes: its scripts are written too.
SAMPLE_SCRIPTS = ["remediation/wrk02-undo.cmd", "remediation/wrk02.cmd"]


def scripts_in(d):
    """The remediation scripts a render wrote into d, as remediation/NAME."""
    r = os.path.join(d, "remediation")
    return sorted("remediation/" + n for n in os.listdir(r)) if os.path.isdir(r) else []
STATUSES = ["pass", "fail", "warn", "unknown", "not-applicable", "manual", "waived",
            "attested"]
VERDICTS = ["not-ready", "incomplete", "ready-with-exceptions", "ready"]
EX_BAD_INPUT, EX_OUTPUT = 3, 4
HEX64 = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


def note(msg):
    print(msg, flush=True)


def run(args, env=None, cwd=None, check=True, timeout=300):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                       cwd=cwd, timeout=timeout)
    if check and p.returncode != 0:
        fail("%s exited %d: %s" % (" ".join(args), p.returncode,
                                   p.stderr.decode("utf-8", "replace")[:800]))
    return p


def clean_env(**extra):
    """The environment of a render: no SOURCE_DATE_EPOCH unless asked for."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("SOURCE_DATE_EPOCH", "TZ", "LC_ALL", "LANG", "LANGUAGE", "LOCPATH")}
    env.update({"TZ": "UTC", "LC_ALL": "C", "READYKIT_DATA": DATA})
    env.update(extra)
    return env


def render(readykit, project, out, args=(), env=None, cwd=None):
    os.makedirs(out, exist_ok=True)
    return run([readykit, "render", "-q", project, "-o", out] + list(args),
               env=env or clean_env(), cwd=cwd, check=False)


def templates(lang):
    """key -> text of templates/LANG.yaml ('key: "text"' lines)."""
    t = {}
    with open(os.path.join(DATA, "templates", lang + ".yaml"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r'^([A-Za-z0-9_.\-]+):\s*(".*")\s*$', line)
            if m:
                t[m.group(1)] = json.loads(m.group(2))
    if "report.title" not in t:
        fail("templates/%s.yaml: no report.title" % lang)
    return t


def load_project(path):
    with open(path, encoding="utf-8") as f:
        p = yaml.safe_load(f)
    base = os.path.dirname(os.path.abspath(path))
    for h in p["hosts"]:
        h["facts_path"] = os.path.join(base, h.get("facts") or "facts/%s.json" % h["name"])
    return p


def load_findings(d):
    with open(os.path.join(d, "findings.json"), encoding="utf-8") as f:
        return json.load(f)


def iso_instant(s):
    """An RFC 3339 / ISO 8601 string as a UTC epoch, or None."""
    if not s:
        return None
    s = s.strip().replace("Z", "+00:00")
    try:
        dt = datetime.datetime.fromisoformat(s)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return int(dt.timestamp())


def utc_iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def squash(s):
    return re.sub(r"\s+", " ", s)


# ---- PDF --------------------------------------------------------------------------

def pdf_pages(pdf):
    """Text of every page (pdftotext -raw, content order, whitespace squashed)."""
    p = run(["pdftotext", "-q", "-raw", "-enc", "UTF-8", pdf, "-"])
    pages = p.stdout.decode("utf-8", "replace").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [squash(x) for x in pages]


def pdf_info(pdf, *extra):
    out = run(["pdfinfo"] + list(extra) + [pdf], env=clean_env()).stdout.decode("utf-8", "replace")
    info = {}
    for line in out.splitlines():
        k, _, v = line.partition(":")
        info.setdefault(k.strip(), v.strip())
    return info, out


def pdf_outline(pdf):
    p = run(["qpdf", "--json", "--json-key=outlines", pdf])
    try:
        data = json.loads(p.stdout.decode("utf-8"))
    except ValueError:
        fail("qpdf --json: not JSON")
        return []
    flat = []

    def walk(items, depth):
        for o in items:
            flat.append((depth, o.get("title", ""), o.get("destpageposfrom1")))
            walk(o.get("kids", []), depth + 1)

    walk(data.get("outlines", []), 0)
    return flat


def check_pdf(d, project_file, lang, paper="a4"):
    pdf = os.path.join(d, "readiness.pdf")
    T = templates(lang)
    proj = load_project(project_file)
    fj = load_findings(d)

    # qpdf: structure
    p = run(["qpdf", "--check", pdf], check=False)
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0 or "No syntax or stream encoding errors found" not in out:
        fail("qpdf --check: exit %d\n%s%s" % (p.returncode, out[-1500:],
                                             p.stderr.decode("utf-8", "replace")[-800:]))

    # pdffonts: every font embedded, with a Unicode map
    lines = run(["pdffonts", pdf]).stdout.decode("utf-8").splitlines()
    if len(lines) < 3:
        fail("pdffonts lists no fonts")
    else:
        spans = [m.span() for m in re.finditer(r"-+", lines[1])]
        heads = [lines[0][a:b].strip() for a, b in spans]
        for line in lines[2:]:
            cols = dict(zip(heads, [line[a:b].strip() for a, b in spans]))
            if cols.get("emb") != "yes":
                fail("font not embedded: %s" % line)
            if cols.get("uni") != "yes":
                fail("font without a ToUnicode map: %s" % line)

    # pdfinfo: title, paper
    info, _ = pdf_info(pdf)
    if info.get("Title") != T["report.title"]:
        fail("pdfinfo Title %r, expected %r" % (info.get("Title"), T["report.title"]))
    want = {"a4": (595, 842), "letter": (612, 792)}[paper]
    _, pages_out = pdf_info(pdf, "-f", "1", "-l", "100000")
    sizes = [(round(float(a)), round(float(b))) for a, b in
             re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", pages_out, re.M)]
    if not sizes:
        fail("pdfinfo gives no page sizes")
    elif sizes[0] != want:
        fail("page 1 is %dx%d pt, expected %dx%d (%s portrait)" % (sizes[0] + want + (paper,)))
    for i, s in enumerate(sizes, 1):
        if s not in (want, want[::-1]):
            fail("page %d is %dx%d pt, not %s in either orientation" % ((i,) + s + (paper,)))

    # pdftotext: content
    pages = pdf_pages(pdf)
    n = len(pages)
    if n != len(sizes):
        fail("pdftotext gives %d pages, pdfinfo %d" % (n, len(sizes)))
    if not n:
        return
    doc = " ".join(pages)
    flat = re.sub(r"\s+", "", doc)
    if "\ufffd" in doc:
        fail("U+FFFD in the extracted text: %s" % doc[max(0, doc.find("\ufffd") - 80):][:160])

    cover = pages[0]
    for what, value in (("customer", proj["customer"]), ("assessment id", proj["assessment_id"]),
                        ("title", T["report.title"]),
                        ("verdict", T["verdict." + fj["verdict"]])):
        if squash(value) not in cover:
            fail("cover: %s %r not found" % (what, value))
    if squash(proj["project"]) not in doc:
        fail("project %r not in the text" % proj["project"])

    digest = fj.get("digest", "")
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        fail("findings.json digest %r is not 64 hex digits" % digest)
    cover_hex = set(HEX64.findall(cover))
    if cover_hex != {digest}:
        fail("cover: 64-hex values %s, expected only the digest %s" % (sorted(cover_hex), digest))

    outline = pdf_outline(pdf)
    titles = {t: pg for _, t, pg in outline}
    signoff_page = titles.get(T["report.signoff"])
    if not signoff_page:
        fail("outline has no %r entry" % T["report.signoff"])
        signoff_page = n
    signoff_text = " ".join(pages[signoff_page - 1:])
    so_hex = set(HEX64.findall(signoff_text))
    if so_hex != {digest}:
        fail("sign-off pages: 64-hex values %s, expected only the digest %s" % (sorted(so_hex), digest))
    for r in proj.get("signoff") or []:
        if squash(r["role"]) not in signoff_text:
            fail("sign-off role %r not on the sign-off page(s) %d-%d" % (r["role"], signoff_page, n))
    for w in ("signoff.approved", "signoff.approved_conditions", "signoff.rejected"):
        if T[w] not in signoff_text:
            fail("sign-off: decision %r missing" % T[w])

    # every input's SHA-256 (a cell may wrap a hash over two lines)
    for inp in fj.get("inputs", []):
        if inp.get("sha256") and inp["sha256"] not in flat:
            fail("input %s: SHA-256 %s not in the text" % (inp.get("path"), inp["sha256"]))

    for h in proj["hosts"]:
        if not re.search(r"(?<![\w.-])%s(?![\w-])" % re.escape(h["name"]), doc):
            fail("host %s not in the text" % h["name"])
    for z in proj.get("zones") or []:
        if squash(z["title"]) in doc:
            continue
        if re.sub(r"\s+", "", z["title"]) in flat:
            fail("zone title %r is in the text only broken mid-word" % z["title"])
        else:
            fail("zone title %r not in the text" % z["title"])
    # fact strings, formula-looking ones included, print as collected (a token too long
    # for its column may wrap, so compare without white space)
    for h in proj["hosts"]:
        try:
            with open(h["facts_path"], encoding="utf-8") as f:
                osname = (json.load(f).get("os") or {}).get("name")
        except (OSError, ValueError):
            continue
        if osname and re.sub(r"\s+", "", osname) not in flat:
            fail("%s: operating system %r not in the text" % (h["name"], osname))
    used = {f["status"] for f in fj["findings"]}
    for st in sorted(used):
        if squash(T["status." + st]) not in doc:
            fail("status word %r (%s) not in the text" % (T["status." + st], st))
    for hv in {h["verdict"] for h in fj.get("hosts", [])} | {fj["verdict"]}:
        if T["verdict." + hv] not in doc:
            fail("verdict word %r not in the text" % T["verdict." + hv])

    # footers: "Page n of N" and the assessment id on every page
    for i, t in enumerate(pages, 1):
        want_footer = T["page_format"].replace("{n}", str(i)).replace("{N}", str(n))
        if want_footer not in t:
            fail("page %d: footer %r missing" % (i, want_footer))
        if proj["assessment_id"] not in t:
            fail("page %d: assessment id %s missing" % (i, proj["assessment_id"]))

    # outline: every host's section, pointing at the page that holds it
    for h in proj["hosts"]:
        title = T["report.host_title"].replace("{host}", h["name"])
        pg = titles.get(title)
        if not pg:
            fail("outline: no entry %r" % title)
        elif not 1 <= pg <= n or title not in pages[pg - 1]:
            fail("outline: %r points at page %s, which does not hold it" % (title, pg))
    for key in ("report.summary", "report.hosts", "report.remediation", "report.manual",
                "report.inputs", "report.requirements", "report.signoff"):
        pg = titles.get(T[key])
        if not pg:
            fail("outline: no entry %r" % T[key])
        elif not 1 <= pg <= n or squash(T[key]) not in pages[pg - 1]:
            fail("outline: %r points at page %s, which does not hold it" % (T[key], pg))
    note("%s: %d pages, %d outline entries checked" % (pdf, n, len(outline)))


def check_textlayer(d):
    """Poppler reads the text layer of both PDFs without a syntax complaint."""
    for name in ("readiness.pdf", "firewall.pdf"):
        pdf = os.path.join(d, name)
        p = run(["pdftotext", "-enc", "UTF-8", pdf, "-"], check=False)
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode != 0:
            fail("pdftotext %s exited %d" % (name, p.returncode))
        bad = [l for l in err.splitlines() if l.strip()]
        if bad:
            kinds = sorted(set(bad))
            fail("pdftotext %s: %d complaints, e.g. %s" % (name, len(bad), "; ".join(kinds[:3])))


# ---- XLSX -------------------------------------------------------------------------

def find_header(ws, *labels):
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 12)):
        vals = [c.value for c in row]
        if all(l in vals for l in labels):
            return row[0].row, {v: i + 1 for i, v in reversed(list(enumerate(vals))) if v is not None}
    return None, {}


def data_rows(ws, hdr):
    for row in ws.iter_rows(min_row=hdr + 1, max_row=ws.max_row, values_only=True):
        if any(v is not None and v != "" for v in row):
            yield row


def col_letter(i):
    s = ""
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def cells_of(sqref):
    """(column, row) pairs of a space-separated A1 range list."""
    out = set()
    for part in str(sqref).split():
        m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?", part)
        if not m:
            continue
        c1, r1 = m.group(1), int(m.group(2))
        c2, r2 = m.group(3) or c1, int(m.group(4) or r1)

        def num(c):
            v = 0
            for ch in c:
                v = v * 26 + ord(ch) - 64
            return v

        for c in range(num(c1), num(c2) + 1):
            for r in range(r1, r2 + 1):
                out.add((c, r))
    return out


def check_no_formulas(path, wb, zf):
    """No cell is a formula: not in openpyxl's reading, not in the sheet XML."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("=")
                                          and c.data_type != "s"):
                    fail("%s %s!%s is a formula: %r" % (os.path.basename(path), ws.title,
                                                         c.coordinate, c.value))
    for name in zf.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            xml = zf.read(name).decode("utf-8")
            m = re.search(r"<f[\s>/]", xml)
            if m:
                fail("%s %s holds a formula element: %s" % (os.path.basename(path), name,
                                                              xml[m.start():m.start() + 120]))


def check_csv_safe(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if len(rows) < 2:
        fail("%s: %d rows" % (path, len(rows)))
    for i, row in enumerate(rows, 1):
        for v in row:
            if v[:1] in ("=", "+", "@", "\t", "\r") or re.match(r"-[^\d]", v):
                fail("%s line %d: field %r would be read as a formula" % (path, i, v))


def check_xlsx(d, project_file, lang):
    import openpyxl
    path = os.path.join(d, "readiness.xlsx")
    T = templates(lang)
    proj = load_project(project_file)
    fj = load_findings(d)
    wb = openpyxl.load_workbook(path)
    zf = zipfile.ZipFile(path)
    word = {s: T["status." + s] for s in STATUSES}

    names = [T[k] for k in ("sheet.summary", "sheet.hosts", "sheet.findings", "sheet.remediation",
                            "sheet.manual", "sheet.inputs", "sheet.requirements", "sheet.signoff")]
    have = wb.sheetnames
    missing = [n for n in names if n not in have]
    if missing:
        fail("sheets %s missing; the workbook has %s" % (missing, have))
    elif [n for n in have if n in names] != names:
        fail("sheet order %s, expected %s" % (have, names))
    if lang != "en":
        english = templates("en")
        for k in ("sheet.summary", "sheet.hosts", "sheet.findings", "sheet.remediation",
                  "sheet.manual", "sheet.inputs", "sheet.requirements", "sheet.signoff"):
            if english[k] != T[k] and english[k] in have:
                fail("sheet %r keeps its English name in a %s workbook" % (english[k], lang))
    for ws in wb.worksheets:
        if ws.max_row < 2 and ws.title in names:
            fail("sheet %s is empty" % ws.title)

    # every table header is a real heading, not a generated ColumnN
    for ws in wb.worksheets:
        for tname, tab in ws.tables.items():
            ref = tab.ref if hasattr(tab, "ref") else tab
            hdr_cells = sorted(cells_of(ref))
            hdr_row = min(r for _, r in hdr_cells)
            for c, r in hdr_cells:
                if r != hdr_row:
                    continue
                v = ws.cell(row=r, column=c).value
                if v is None or str(v).strip() == "" or re.fullmatch(r"Column\d+", str(v)):
                    fail("sheet %s table %s: column %s has no header (%r)" %
                         (ws.title, tname, col_letter(c), v))

    # print setup on every sheet
    for ws in wb.worksheets:
        ps = ws.page_setup
        if ps.orientation != "landscape":
            fail("sheet %s: orientation %r" % (ws.title, ps.orientation))
        pr = ws.sheet_properties.pageSetUpPr
        if not (pr and pr.fitToPage):
            fail("sheet %s: not fit to page" % ws.title)
        if ps.fitToWidth not in (None, 1, "1"):
            fail("sheet %s: fitToWidth %r" % (ws.title, ps.fitToWidth))
        if ps.fitToHeight not in (0, "0"):
            fail("sheet %s: fitToHeight %r (0 lets long tables run over pages)" %
                 (ws.title, ps.fitToHeight))

    def table_sheet(sheet_key, *labels):
        if T[sheet_key] not in have:
            return None, None, {}
        ws = wb[T[sheet_key]]
        hdr, cols = find_header(ws, *labels)
        if not hdr:
            fail("sheet %s: no header row with %s" % (ws.title, labels))
            return ws, None, {}
        ptr = (ws.print_title_rows or "").replace("$", "")
        if ptr != "%d:%d" % (hdr, hdr):
            fail("sheet %s: print title rows %r, expected the header row %d" % (ws.title, ptr, hdr))
        if ws.freeze_panes != "A%d" % (hdr + 1):
            fail("sheet %s: frozen at %r, expected below the header (A%d)" %
                 (ws.title, ws.freeze_panes, hdr + 1))
        return ws, hdr, cols

    def check_table(ws, hdr, ncols, nrows):
        refs = [(t.ref if hasattr(t, "ref") else t) for t in ws.tables.values()]
        want = "A%d:%s%d" % (hdr, col_letter(ncols), hdr + nrows)
        if want not in refs:
            fail("sheet %s: no table over %s (tables: %s)" % (ws.title, want, refs))

    def check_cf(ws, hdr, col, words):
        rng = {(col, r) for r in range(hdr + 1, ws.max_row + 1)}
        found = set()
        for cf in ws.conditional_formatting:
            if cells_of(cf.sqref) & rng:
                for rule in cf.rules:
                    for f in rule.formula or []:
                        found.add(f.strip('"'))
        for w in sorted(words - found):
            fail("sheet %s column %s: no conditional format for %r (rules for %s)" %
                 (ws.title, col_letter(col), w, sorted(found)))

    # Findings: one row per finding, same host/requirement/status
    ws, hdr, cols = table_sheet("sheet.findings", T["col.host"], T["col.requirement_id"],
                                T["col.status"])
    if hdr:
        ch, cr, cs = cols[T["col.host"]], cols[T["col.requirement_id"]], cols[T["col.status"]]
        rows = list(data_rows(ws, hdr))
        got = sorted((r[ch - 1], r[cr - 1], r[cs - 1]) for r in rows)
        want = sorted((f["host"], f["requirement"], word[f["status"]]) for f in fj["findings"])
        if got != want:
            extra = [x for x in got if x not in want][:5]
            lost = [x for x in want if x not in got][:5]
            fail("Findings sheet: %d rows vs %d findings; not in findings.json %s; missing %s" %
                 (len(got), len(want), extra, lost))
        check_table(ws, hdr, len(cols), len(rows))
        check_cf(ws, hdr, cs, {r[cs - 1] for r in rows})
        co = cols.get(T["col.original_status"])
        if co:
            check_cf(ws, hdr, co, {r[co - 1] for r in rows})

    # Hosts: one row per project host with its verdict
    ws, hdr, cols = table_sheet("sheet.hosts", T["col.host"], T["col.verdict"])
    if hdr:
        verdicts = {h["name"]: T["verdict." + h["verdict"]] for h in fj.get("hosts", [])}
        zones = {z["id"]: z["title"] for z in proj.get("zones") or []}
        rows = {r[0]: r for r in data_rows(ws, hdr)}
        cv, cz = cols[T["col.verdict"]], cols.get(T["col.zone"])
        for h in proj["hosts"]:
            r = rows.get(h["name"])
            if not r:
                fail("Hosts sheet: no row for %s" % h["name"])
                continue
            if r[cv - 1] != verdicts.get(h["name"]):
                fail("Hosts sheet %s: verdict %r, findings.json says %r" %
                     (h["name"], r[cv - 1], verdicts.get(h["name"])))
            if cz and r[cz - 1] != zones.get(h.get("zone")):
                fail("Hosts sheet %s: zone %r, expected %r" % (h["name"], r[cz - 1],
                                                               zones.get(h.get("zone"))))
        if len(rows) != len(proj["hosts"]):
            fail("Hosts sheet: %d rows for %d hosts" % (len(rows), len(proj["hosts"])))
        check_table(ws, hdr, len(cols), len(rows))
        check_cf(ws, hdr, cv, {r[cv - 1] for r in rows.values()})
        # hostile fact strings show as the text collected
        co = cols.get(T["col.os"])
        for h in proj["hosts"]:
            try:
                with open(h["facts_path"], encoding="utf-8") as f:
                    osname = json.load(f).get("os", {}).get("name")
            except (OSError, ValueError):
                continue
            if co and h["name"] in rows and osname is not None:
                cell = ws.cell(row=hdr + 1 + list(rows).index(h["name"]), column=co)
                if cell.value != osname or cell.data_type != "s":
                    fail("Hosts sheet %s: operating system %r (type %s), fact file says %r" %
                         (h["name"], cell.value, cell.data_type, osname))

    # Remediation: every fail, warn and unknown finding
    ws, hdr, cols = table_sheet("sheet.remediation", T["col.host"], T["col.requirement"],
                                T["col.action"], T["col.status"])
    if hdr:
        ch, cq = cols[T["col.host"]], cols[T["col.requirement"]]
        rows = list(data_rows(ws, hdr))
        cs = cols[T["col.status"]]
        check_cf(ws, hdr, cs, {r[cs - 1] for r in rows if r[cs - 1]})
        got = {(r[ch - 1], str(r[cq - 1]).split("\n")[0]) for r in rows if r[cq - 1]}
        want = {(f["host"], f["requirement"]) for f in fj["findings"]
                if f["status"] in ("fail", "warn", "unknown")}
        if got != want:
            fail("Remediation sheet: rows %s, expected %s" % (sorted(got ^ want), sorted(want)))

    # Manual checks: every requirement left to a person
    ws, hdr, cols = table_sheet("sheet.manual", T["col.title"], T["col.steps"], T["col.status"])
    if hdr:
        rows = list(data_rows(ws, hdr))
        cs = cols[T["col.status"]]
        check_cf(ws, hdr, cs, {r[cs - 1] for r in rows if r[cs - 1]})
        got = {r[0] for r in rows}
        want = {f["requirement"] for f in fj["findings"] if f["status"] in ("manual", "attested")}
        if got != want:
            fail("Manual checks sheet: requirements %s, expected %s" % (sorted(got), sorted(want)))

    # Inputs: every input with its SHA-256
    ws, hdr, cols = table_sheet("sheet.inputs", T["col.file"], "SHA-256")
    if hdr:
        cf_, cs = cols[T["col.file"]], cols["SHA-256"]
        got = {(r[cf_ - 1], r[cs - 1]) for r in data_rows(ws, hdr)}
        for inp in fj["inputs"]:
            if (inp["path"], inp["sha256"]) not in got:
                fail("Inputs sheet: no row %s %s" % (inp["path"], inp["sha256"]))

    # Requirements: every requirement evaluated
    ws, hdr, cols = table_sheet("sheet.requirements", T["col.requirement"], T["col.severity"])
    if hdr:
        got = {str(r[0]).split("\n")[0] for r in data_rows(ws, hdr) if r[0]}
        lost = {f["requirement"] for f in fj["findings"]} - got
        if lost:
            fail("Requirements sheet: missing %s" % sorted(lost))

    # Sign-off: digest, one row per role, a decision list
    ws, hdr, cols = table_sheet("sheet.signoff", T["signoff.name"], T["signoff.decision"])
    if hdr:
        text = [c for row in ws.iter_rows(max_row=hdr, values_only=True) for c in row if c]
        if fj["digest"] not in text:
            fail("Sign-off sheet: digest %s not in a cell above the table" % fj["digest"])
        if not any(isinstance(c, str) and proj["customer"] in c for c in text):
            fail("Sign-off sheet: customer not in the statement")
        roles = [r["role"] for r in proj.get("signoff") or []] or [T["signoff.default_role"]]
        got = [r[0] for r in data_rows(ws, hdr)]
        if got != roles:
            fail("Sign-off sheet: roles %s, expected %s" % (got, roles))
        cd = cols[T["signoff.decision"]]
        need = {(cd, hdr + 1 + i) for i in range(len(roles))}
        words = [T["signoff.approved"], T["signoff.approved_conditions"], T["signoff.rejected"]]
        ok = False
        for dv in ws.data_validations.dataValidation:
            if dv.type != "list" or not need <= cells_of(dv.sqref):
                continue
            items = [x.strip() for x in (dv.formula1 or "").strip('"').split(",")]
            if items == words:
                ok = True
            else:
                fail("Sign-off sheet: decision list %r, expected %r" % (items, words))
        if not ok:
            fail("Sign-off sheet: no list validation %s over %s%d:%s%d" %
                 (words, col_letter(cd), hdr + 1, col_letter(cd), hdr + len(roles)))

    # Summary: the verdict
    if T["sheet.summary"] in have:
        cells = [c for row in wb[T["sheet.summary"]].iter_rows(values_only=True) for c in row
                 if isinstance(c, str)]
        vl = T["report.verdict_line"].replace("{verdict}", T["verdict." + fj["verdict"]])
        if vl not in cells:
            fail("Summary sheet: no cell %r" % vl)

    # document properties
    props = wb.properties
    if props.title != T["report.title"]:
        fail("title property %r, expected %r" % (props.title, T["report.title"]))
    if not props.creator or "readykit" not in props.creator:
        fail("creator property %r" % props.creator)
    core = zf.read("docProps/core.xml").decode("utf-8")
    m = re.search(r"<dcterms:created[^>]*>([^<]*)<", core)
    created = m.group(1) if m else None
    if iso_instant(created) is None or iso_instant(created) != iso_instant(fj["assessment_date"]):
        fail("created property %r, expected the assessment date %s" % (created, fj["assessment_date"]))
    app = ET.fromstring(zf.read("docProps/app.xml"))
    company = [e.text for e in app.iter() if e.tag.endswith("}Company")]
    if company != [proj["customer"]]:
        fail("company property %r, expected %r" % (company, proj["customer"]))

    # no formulas anywhere; hostile strings as text; no replacement characters
    check_no_formulas(path, wb, zf)
    strings = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
               if isinstance(c.value, str)]
    for c in strings:
        if "\ufffd" in c.value:
            fail("%s!%s holds U+FFFD: %r" % (c.parent.title, c.coordinate, c.value))
        if c.value[:1] in "=+-@" and c.data_type != "s":
            fail("%s!%s: %r stored as %s" % (c.parent.title, c.coordinate, c.value, c.data_type))
    for z in proj.get("zones") or []:
        if not any(c.value == z["title"] for c in strings):
            fail("zone title %r not in a cell" % z["title"])
    for h in proj["hosts"]:
        try:
            with open(h["facts_path"], encoding="utf-8") as f:
                fact = json.load(f)
        except (OSError, ValueError):
            continue
        for inst in (fact.get("software") or {}).get("sql_instances") or []:
            ed = inst.get("edition")
            if ed and not any(ed in c.value for c in strings):
                fail("SQL edition %r of %s not in a cell" % (ed, h["name"]))

    fw = os.path.join(d, "firewall.xlsx")
    fwb = openpyxl.load_workbook(fw)
    check_no_formulas(fw, fwb, zipfile.ZipFile(fw))
    check_csv_safe(os.path.join(d, "firewall.csv"))
    note("%s: %d sheets, %d findings checked" % (path, len(have), len(fj["findings"])))


# ---- findings.json ----------------------------------------------------------------

SAMPLE_HOST_VERDICTS = {
    "mpe01": "incomplete", "wrk01": "incomplete", "wrk02": "not-ready", "sql01": "not-ready",
    "fex16": "not-ready", "fex13": "ready", "cex19a": "ready", "cex19b": "ready",
    "cdc01": "ready", "fdc01": "ready"}
SAMPLE_PROBLEMS = {("mpe01", "MPE-SRV-MEM-LARGE"): "warn", ("wrk02", "MPE-WRK-UAC"): "fail",
                   ("sql01", "MPE-SQL-VERSION"): "fail", ("fex16", "MPE-EXCH-CERTIFIED"): "fail"}
SAMPLE_EXPECT = {("mpe01", "MPE-SRV-MEM"): "pass", ("wrk01", "MPE-TLS12-SCHANNEL"): "pass",
                 ("wrk02", "MPE-TLS12-SCHANNEL"): "pass", ("sql01", "MPE-SQL-BROWSER"): "pass",
                 ("cex19a", "MPE-EXCH2013-PF-CU5"): "not-applicable",
                 ("cex19b", "MPE-EXCH2013-PF-CU5"): "not-applicable"}
SAMPLE_MANUAL = {"mpe01": 12, "wrk01": 4, "sql01": 4}


def check_findings(d, project_file, sample=False):
    proj = load_project(project_file)
    fj = load_findings(d)
    base = os.path.dirname(os.path.abspath(project_file))
    if fj.get("format") != "readykit-findings/1":
        fail("format %r" % fj.get("format"))
    if fj.get("verdict") not in VERDICTS:
        fail("verdict %r is not one of %s" % (fj.get("verdict"), VERDICTS))
    names = [h["name"] for h in proj["hosts"]]
    for f in fj.get("findings", []):
        if f.get("status") not in STATUSES:
            fail("finding %s/%s: status %r" % (f.get("host"), f.get("requirement"), f.get("status")))
        if f.get("host") not in names:
            fail("finding for unknown host %r" % f.get("host"))
        if not f.get("requirement"):
            fail("finding without a requirement: %s" % f)
    hv = {h.get("name"): h.get("verdict") for h in fj.get("hosts", [])}
    if sorted(hv) != sorted(names):
        fail("hosts[] %s, project %s" % (sorted(hv), sorted(names)))
    for h, v in hv.items():
        if v not in VERDICTS:
            fail("host %s verdict %r" % (h, v))

    # the overall verdict follows DESIGN's rule from the findings
    st = [f["status"] for f in fj["findings"]]
    required_open = any(f["status"] in ("unknown", "manual") and f.get("severity") == "required"
                        for f in fj["findings"])
    rule = ("not-ready" if "fail" in st else "incomplete" if required_open
            else "ready-with-exceptions" if ("warn" in st or "waived" in st) else "ready")
    if fj["verdict"] != rule:
        fail("verdict %s, but the findings make it %s" % (fj["verdict"], rule))

    # flows
    flows = fj.get("flows")
    if not isinstance(flows, list) or not flows:
        fail("flows[] missing or empty")
        flows = []
    for fl in flows:
        for k in ("from_host", "to_host", "protocol", "port_from", "port_to"):
            if k not in fl:
                fail("flow %s has no %s" % (fl.get("id"), k))
        if fl.get("from_host") not in names or fl.get("to_host") not in names:
            fail("flow %s between %r and %r, not project hosts" %
                 (fl.get("id"), fl.get("from_host"), fl.get("to_host")))
        a, b = fl.get("port_from"), fl.get("port_to")
        if not (isinstance(a, int) and isinstance(b, int) and 0 <= a <= b <= 65535):
            fail("flow %s ports %r-%r" % (fl.get("id"), a, b))
        if not re.fullmatch(r"[a-z][a-z0-9-]*", str(fl.get("protocol"))):
            fail("flow %s protocol %r" % (fl.get("id"), fl.get("protocol")))

    # inputs: SHA-256 of every file, computed here
    seen = set()
    for inp in fj.get("inputs", []):
        rel = inp.get("path", "")
        cands = [os.path.join(base, rel), os.path.join(DATA, rel)]
        f = next((c for c in cands if os.path.isfile(c)), None)
        if not f:
            fail("input %r not found" % rel)
            continue
        with open(f, "rb") as fp:
            h = hashlib.sha256(fp.read()).hexdigest()
        if inp.get("sha256") != h:
            fail("input %s: sha256 %s, the file's is %s" % (rel, inp.get("sha256"), h))
        seen.add(os.path.realpath(f))
    # the digest can be recomputed from inputs[]: SHA-256 over the sorted lines
    # "SHA256  KIND:PATH\n" (the input's hash, or "missing")
    lines = sorted("%s  %s:%s\n" % ("missing" if i.get("missing") else i.get("sha256"),
                                      i.get("kind"), i.get("path")) for i in fj.get("inputs", []))
    if hashlib.sha256("".join(lines).encode("utf-8")).hexdigest() != fj.get("digest"):
        fail("digest %s cannot be recomputed from inputs[]" % fj.get("digest"))
    for f in [os.path.abspath(project_file)] + [h["facts_path"] for h in proj["hosts"]]:
        if os.path.realpath(f) not in seen:
            fail("inputs[] does not list %s" % f)

    if sample:
        if fj["verdict"] != "not-ready":
            fail("sample verdict %r, README says not-ready" % fj["verdict"])
        for h, v in SAMPLE_HOST_VERDICTS.items():
            if hv.get(h) != v:
                fail("sample host %s verdict %r, README says %s" % (h, hv.get(h), v))
        got = {(f["host"], f["requirement"]): f["status"] for f in fj["findings"]}
        for k, v in list(SAMPLE_PROBLEMS.items()) + list(SAMPLE_EXPECT.items()):
            if got.get(k) != v:
                fail("sample %s %s: %r, README says %s" % (k[0], k[1], got.get(k), v))
        problems = {k: v for k, v in got.items() if v in ("fail", "warn", "unknown")}
        if problems != SAMPLE_PROBLEMS:
            fail("sample problem findings %s, README lists %s" % (problems, SAMPLE_PROBLEMS))
        for h, n in SAMPLE_MANUAL.items():
            m = sum(1 for f in fj["findings"] if f["host"] == h and f["status"] == "manual")
            if m != n:
                fail("sample %s: %d manual checks, README says %d" % (h, m, n))
        o365 = [f for f in fj["findings"] if f["host"] == "mpe01" and "O365" in f["requirement"]]
        if not o365 or any(f["status"] != "not-applicable" for f in o365):
            fail("sample mpe01 Office 365 requirements: %s, README says not-applicable" %
                 [(f["requirement"], f["status"]) for f in o365])
        for h in ("cdc01", "fdc01"):
            if any(f["host"] == h and f["status"] != "not-applicable" for f in fj["findings"]):
                fail("sample %s: a requirement applies, README says none does" % h)
    note("%s: %d findings, %d flows checked" % (d, len(fj.get("findings", [])), len(flows)))


# ---- LibreOffice ------------------------------------------------------------------

def hostile_os_names(project_file):
    """os.name values of the project's fact files that look like formulas."""
    out = []
    for h in load_project(project_file)["hosts"]:
        try:
            with open(h["facts_path"], encoding="utf-8") as f:
                name = (json.load(f).get("os") or {}).get("name") or ""
        except (OSError, ValueError):
            continue
        if name[:1] in ("=", "+", "-", "@"):
            out.append(name)
    return out


def check_libreoffice(specs):
    """specs: NAME=DIR:LANG:PROJECT; every readiness.xlsx converted in one soffice run."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        print("skipped: LibreOffice is not installed")
        return 77
    work = tempfile.mkdtemp(prefix="rk-docs-lo-")
    try:
        books = []
        for spec in specs:
            name, _, rest = spec.partition("=")
            d, lang, project = rest.split(":", 2)
            dst = os.path.join(work, name + ".xlsx")
            shutil.copyfile(os.path.join(d, "readiness.xlsx"), dst)
            books.append((name, dst, lang, d, project))
        # 44 = comma, 34 = quote, 76 = UTF-8, ..., -1 = every sheet to its own file
        flt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
        cmd = [office, "-env:UserInstallation=file://%s/profile" % work, "--headless",
               "--convert-to", flt, "--outdir", work + "/out"] + [b[1] for b in books]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        log = p.stdout.decode("utf-8", "replace")
        if p.returncode != 0:
            fail("soffice exit %d: %s" % (p.returncode, log[-800:]))
        for name, _, lang, d, project in books:
            T = templates(lang)
            fj = load_findings(d)
            sheets = {}
            for key in ("sheet.summary", "sheet.hosts", "sheet.findings", "sheet.remediation",
                        "sheet.manual", "sheet.inputs", "sheet.requirements", "sheet.signoff"):
                f = os.path.join(work, "out", "%s-%s.csv" % (name, T[key]))
                if not os.path.exists(f) or os.path.getsize(f) == 0:
                    fail("%s: sheet %s not converted or empty: %s" % (name, T[key], log[-400:]))
                    continue
                with open(f, newline="", encoding="utf-8") as fp:
                    sheets[key] = list(csv.reader(fp))
            t = sheets.get("sheet.findings")
            if t:
                hdr = next((i for i, r in enumerate(t) if T["col.requirement_id"] in r), None)
                rows = [r for r in t[hdr + 1:] if any(r)] if hdr is not None else []
                if len(rows) != len(fj["findings"]):
                    fail("%s: LibreOffice reads %d Findings rows, findings.json has %d" %
                         (name, len(rows), len(fj["findings"])))
            t = sheets.get("sheet.signoff")
            if t and not any(fj["digest"] in r for r in t):
                fail("%s: LibreOffice does not read the digest on the sign-off sheet" % name)
            t = sheets.get("sheet.hosts")
            if t:
                hdr = next((i for i, r in enumerate(t) if T["col.os"] in r), None)
                if hdr is None:
                    fail("%s: Hosts sheet without the header row" % name)
                    continue
                co = t[hdr].index(T["col.os"])
                seen = [r[co] for r in t[hdr + 1:] if len(r) > co]
                hostile = hostile_os_names(project)
                note("%s: %d formula-looking operating system names" % (name, len(hostile)))
                for s in hostile:
                    if s not in seen:
                        fail("%s: LibreOffice reads the operating systems %s, expected %r as text" %
                             (name, seen, s))
        note("LibreOffice read %d workbooks" % len(books))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


# ---- reproducibility, dates, atomic output ------------------------------------------

def make_locale(work):
    """A German UTF-8 locale: installed, or compiled into WORK with localedef."""
    have = run(["locale", "-a"], check=False).stdout.decode("utf-8", "replace").split()
    for l in have:
        if l.lower().replace("-", "") in ("de_de.utf8",):
            return l, {}
    locpath = os.path.join(work, "locale")
    os.makedirs(locpath, exist_ok=True)
    if shutil.which("localedef"):
        run(["localedef", "-i", "de_DE", "-f", "UTF-8", os.path.join(locpath, "de_DE.UTF-8")],
            check=False)
        if os.path.isdir(os.path.join(locpath, "de_DE.UTF-8")):
            return "de_DE.UTF-8", {"LOCPATH": locpath}
    # no silent fallback to another locale: the check would no longer test one
    fail("no German UTF-8 locale: none installed and localedef could not build de_DE.UTF-8 "
         "(install locales)")
    return "C", {}


def compare_dirs(a, b, what):
    if scripts_in(a) != scripts_in(b):
        fail("%s: remediation scripts %s and %s" % (what, scripts_in(a), scripts_in(b)))
    for name in OUTPUTS + scripts_in(a):
        fa, fb = os.path.join(a, name), os.path.join(b, name)
        if not (os.path.isfile(fa) and os.path.isfile(fb)):
            fail("%s: %s not written" % (what, name))
            continue
        x, y = open(fa, "rb").read(), open(fb, "rb").read()
        if x != y:
            i = next((k for k in range(min(len(x), len(y))) if x[k] != y[k]), min(len(x), len(y)))
            fail("%s: %s differs (%d vs %d bytes, first at offset %d: %r / %r)" %
                 (what, name, len(x), len(y), i, x[max(0, i - 30):i + 30], y[max(0, i - 30):i + 30]))


def check_reproducible(readykit, work, sample, unicode_project):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    loc, extra = make_locale(work)
    if not os.path.isfile("/usr/share/zoneinfo/Pacific/Kiritimati"):
        fail("no time zone data for Pacific/Kiritimati (install tzdata): TZ would be ignored")
    note("second render under TZ=Pacific/Kiritimati LC_ALL=%s %s" % (loc, extra))
    for label, proj, lang in (("sample", sample, "en"), ("unicode", unicode_project, "de")):
        proj = os.path.abspath(proj)
        a = os.path.join(work, label + "-a")
        b = os.path.join(work, label + "-second-render-b")
        # A: UTC, C locale, run from the project folder with a relative project path
        pa = render(readykit, os.path.basename(proj), a, ["--lang", lang],
                    env=clean_env(TZ="UTC", LC_ALL="C", LANG="C"), cwd=os.path.dirname(proj))
        # B: UTC+14, a German locale, run from / with an absolute path
        envb = clean_env(TZ="Pacific/Kiritimati", LC_ALL=loc, LANG=loc, LANGUAGE="de", **extra)
        pb = render(readykit, proj, b, ["--lang", lang], env=envb, cwd="/")
        for p, w in ((pa, "A"), (pb, "B")):
            if p.returncode != 0:
                fail("%s render %s exited %d: %s" % (label, w, p.returncode,
                                                     p.stderr.decode("utf-8", "replace")[:400]))
        compare_dirs(a, b, label)


def newest_collected_at(project_file):
    proj = load_project(project_file)
    best = None
    for h in proj["hosts"]:
        with open(h["facts_path"], encoding="utf-8") as f:
            t = iso_instant(json.load(f).get("collected_at"))
        if t is not None and (best is None or t > best):
            best = t
    return best


def check_dates_of(d, epoch, what):
    fj = load_findings(d)
    pdf = os.path.join(d, "readiness.pdf")
    info, _ = pdf_info(pdf, "-isodates")
    for k in ("CreationDate", "ModDate"):
        if k == "ModDate" and k not in info:
            continue
        if iso_instant(info.get(k)) != epoch:
            fail("%s: PDF %s %r, expected %s" % (what, k, info.get(k), utc_iso(epoch)))
    for name in ("readiness.xlsx", "firewall.xlsx"):
        core = zipfile.ZipFile(os.path.join(d, name)).read("docProps/core.xml").decode("utf-8")
        for k in ("created", "modified"):
            m = re.search(r"<dcterms:%s[^>]*>([^<]*)<" % k, core)
            if k == "created" and not m:
                fail("%s: %s has no created property" % (what, name))
            elif m and iso_instant(m.group(1)) != epoch:
                fail("%s: %s %s %r, expected %s" % (what, name, k, m.group(1), utc_iso(epoch)))
    if iso_instant(fj.get("assessment_date")) != epoch:
        fail("%s: findings.json assessment_date %r, expected %s" %
             (what, fj.get("assessment_date"), utc_iso(epoch)))
    day = time.strftime("%Y-%m-%d", time.gmtime(epoch))
    pages = pdf_pages(pdf)
    if pages and day not in pages[0]:
        fail("%s: the cover does not show the assessment date %s" % (what, day))


def check_dates(readykit, work, sample):
    shutil.rmtree(work, ignore_errors=True)
    newest = newest_collected_at(sample)
    d = os.path.join(work, "default")
    p = render(readykit, sample, d, env=clean_env(TZ="Pacific/Kiritimati"))
    if p.returncode != 0:
        fail("render exited %d" % p.returncode)
    else:
        check_dates_of(d, newest, "without SOURCE_DATE_EPOCH (newest collected_at %s)" % utc_iso(newest))
    # late in the UTC day: the local date in UTC+14 is the next day
    epoch = calendar.timegm((2026, 11, 19, 23, 30, 5, 0, 0, 0))
    d = os.path.join(work, "epoch")
    p = render(readykit, sample, d,
               env=clean_env(TZ="Pacific/Kiritimati", SOURCE_DATE_EPOCH=str(epoch)))
    if p.returncode != 0:
        fail("render with SOURCE_DATE_EPOCH exited %d" % p.returncode)
    else:
        check_dates_of(d, epoch, "SOURCE_DATE_EPOCH=%d" % epoch)


def snapshot(d):
    out = {n: open(os.path.join(d, n), "rb").read() if os.path.isfile(os.path.join(d, n)) else None
           for n in sorted(os.listdir(d)) if n != "remediation"}
    for n in scripts_in(d):
        out[n] = open(os.path.join(d, n), "rb").read()
    return out


def compare_snapshot(before, d, what):
    after = snapshot(d)
    dot = [n for n in after if os.path.basename(n).startswith(".")]
    if dot:
        fail("%s: temporary files left behind: %s" % (what, dot))
    if sorted(after) != sorted(before):
        fail("%s: the folder held %s, now %s" % (what, sorted(before), sorted(after)))
    for n in before:
        if n in after and after[n] != before[n]:
            fail("%s: %s changed" % (what, n))


def copy_sample(sample, dst):
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(os.path.dirname(os.path.abspath(sample)), dst)
    return os.path.join(dst, os.path.basename(sample))


def check_atomic(readykit, work, sample):
    shutil.rmtree(work, ignore_errors=True)
    proj = copy_sample(sample, os.path.join(work, "project"))
    out = os.path.join(work, "out")
    if render(readykit, proj, out).returncode != 0:
        fail("first render failed")
        return
    before = snapshot(out)
    if sorted(before) != sorted(OUTPUTS + SAMPLE_SCRIPTS):
        fail("first render wrote %s" % sorted(before))
    # a render of the same inputs at another date writes other bytes: proof that an
    # overwrite would show
    later = clean_env(SOURCE_DATE_EPOCH=str(calendar.timegm((2026, 11, 20, 8, 0, 0, 0, 0, 0))))
    probe = os.path.join(work, "probe")
    render(readykit, proj, probe, env=later)
    dated = ["findings.json", "readiness.pdf", "readiness.xlsx", "firewall.pdf", "firewall.xlsx"]
    same = [n for n in dated if not os.path.isfile(os.path.join(probe, n))
            or open(os.path.join(probe, n), "rb").read() == before.get(n)]
    if same:
        fail("a render at another date writes the same %s; the check below could not see an "
             "overwrite" % same)

    pdir = os.path.dirname(proj)
    text = open(proj, encoding="utf-8").read()
    first = load_project(proj)["hosts"][0]
    dup = ("hosts:\n  - name: %s\n    fqdn: %s\n    address: %s\n    zone: %s\n    roles: [%s]\n" %
           (first["name"], first["fqdn"], first["address"], first["zone"], ", ".join(first["roles"])))
    with open(os.path.join(pdir, "duplicate.yaml"), "w", encoding="utf-8") as f:
        f.write(text.replace("hosts:\n", dup, 1))
    facts = first["facts_path"]
    good = open(facts, "rb").read()
    cases = [("duplicate host", os.path.join(pdir, "duplicate.yaml"), None, "duplicate.yaml"),
             ("\\u0000 in a fact file", proj,
              good.replace(b'"collected_at"', b'"nul": "a\\u0000b",\n  "collected_at"', 1),
              os.path.basename(facts)),
             ("truncated fact file", proj, good[:len(good) // 2], os.path.basename(facts))]
    for what, p, fact_bytes, named in cases:
        if fact_bytes is not None:
            with open(facts, "wb") as f:
                f.write(fact_bytes)
        r = render(readykit, p, out, env=later)
        err = r.stderr.decode("utf-8", "replace")
        if r.returncode != EX_BAD_INPUT:
            fail("%s: exit %d, expected %d (bad input)" % (what, r.returncode, EX_BAD_INPUT))
        if not re.search(re.escape(named) + r":\d+:\d+: ", err):
            fail("%s: message does not name %s:LINE:COL: %r" % (what, named, err[:300]))
        compare_snapshot(before, out, what)
        with open(facts, "wb") as f:
            f.write(good)
    note("atomic: %d refused renders left the folder as it was" % len(cases))


def check_atomic_output(readykit, work, sample):
    """An output that cannot be written: exit 4 and, as --help promises, the previous
    documents left untouched."""
    shutil.rmtree(work, ignore_errors=True)
    out = os.path.join(work, "out")
    if render(readykit, sample, out).returncode != 0:
        fail("first render failed")
        return
    blocked = "firewall.csv"
    os.remove(os.path.join(out, blocked))
    os.mkdir(os.path.join(out, blocked))
    before = {n: open(os.path.join(out, n), "rb").read() for n in OUTPUTS if n != blocked}
    later = clean_env(SOURCE_DATE_EPOCH=str(calendar.timegm((2026, 11, 20, 8, 0, 0, 0, 0, 0))))
    r = render(readykit, sample, out, env=later)
    if r.returncode != EX_OUTPUT:
        fail("exit %d, expected %d (output could not be written)" % (r.returncode, EX_OUTPUT))
    names = sorted(os.listdir(out))
    dot = [n for n in names if n.startswith(".")]
    if dot:
        fail("temporary files left behind: %s" % dot)
    changed = [n for n in before if open(os.path.join(out, n), "rb").read() != before[n]]
    if changed:
        fail("render failed on %s but replaced %s: the folder now mixes two renders" %
             (blocked, changed))


# ---- the renders the read-back checks share ----------------------------------------

def do_render(readykit, out, sample, unicode_project):
    jobs = [("sample-en", sample, ["--lang", "en"]), ("sample-de", sample, ["--lang", "de"]),
            ("sample-letter", sample, ["--paper", "letter"]),
            ("unicode-en", unicode_project, ["--lang", "en"]),
            ("unicode-de", unicode_project, ["--lang", "de"])]
    for name, proj, args in jobs:
        d = os.path.join(out, name)
        shutil.rmtree(d, ignore_errors=True)
        p = render(readykit, proj, d, args)
        if p.returncode != 0:
            fail("%s: readykit render exited %d: %s" % (name, p.returncode,
                                                       p.stderr.decode("utf-8", "replace")[:600]))
        for f in OUTPUTS:
            if not os.path.isfile(os.path.join(d, f)):
                fail("%s: %s not written" % (name, f))


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd, a = argv[1], argv[2:]
    if cmd == "render":
        do_render(*a)
    elif cmd == "pdf":
        check_pdf(*a)
    elif cmd == "textlayer":
        check_textlayer(*a)
    elif cmd == "xlsx":
        check_xlsx(*a)
    elif cmd == "findings":
        check_findings(a[0], a[1], len(a) > 2 and a[2] == "sample")
    elif cmd == "libreoffice":
        rc = check_libreoffice(a)
        if rc == 77:
            return 77
    elif cmd == "reproducible":
        check_reproducible(*a)
    elif cmd == "dates":
        check_dates(*a)
    elif cmd == "atomic":
        check_atomic(*a)
    elif cmd == "atomic-output":
        check_atomic_output(*a)
    else:
        print("unknown check %r" % cmd)
        return 2
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
