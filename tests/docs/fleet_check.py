#!/usr/bin/python3
"""fleet_check.py - the documents of an assessment above the PDF's host-detail limit,
read back with independent tools (qpdf, pdftotext, openpyxl, json).

Usage: fleet_check.py READYKIT WORK      (exit 0 pass, 1 fail)

Generates a synthetic assessment of 60 hosts with probes (tests/bench/render/
gen_assessment.py, the benchmarks' generator) and renders it grouped (the default limit
of 50 hosts), in German, and with --pdf-host-detail-max 100 (host by host). Checks:

- readiness.pdf groups: the fleet note, findings by zone, the host groups with their
  "N × roles: outcome" titles, no per-host section; fewer pages than host by host;
- the groups partition the hosts: their host counts add up to the hosts;
- readiness.xlsx and findings.json are byte-identical grouped or not, and the Findings
  sheet has one row per finding;
- the project key pdf_host_detail_max turns grouping off as the option does, and the
  option wins over it;
- German documents use the German wording;
- firewall.pdf leaves flows and probe results to the workbook, whose Flows sheet has one
  row per flow carrying its probe (time and when, as findings.json has them), and whose
  Probe results sheet says so and lists no flow;
- a second render gives the same bytes;
- the sample and the Unicode project grouped too (--pdf-host-detail-max 0) make valid
  PDFs in both languages;
- 200 hosts (large workbooks, whose sheets are filled at the same time) give the same
  bytes on one processor (taskset -c 0) as on all of them, with one row per flow.

Wording comes from templates/*.yaml with a line parser of its own.
"""
import json
import os
import re
import shutil
import subprocess
import sys

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
GEN = os.path.join(ROOT, "tests", "bench", "render", "gen_assessment.py")
DOCS = ["findings.json", "readiness.pdf", "readiness.xlsx", "firewall.pdf", "firewall.xlsx",
        "firewall.csv"]
HOSTS = 60

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


def env():
    e = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LANG", "TZ")}
    e.update({"SOURCE_DATE_EPOCH": "1763625600", "LC_ALL": "C", "TZ": "UTC",
              "READYKIT_DATA": ROOT})
    return e


def render(readykit, project, out, *args):
    os.makedirs(out, exist_ok=True)
    p = subprocess.run([readykit, "render", project, "-o", out, "-q"] + list(args), env=env(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        fail("render %s %s exited %d: %s" % (project, " ".join(args), p.returncode,
                                             p.stderr.decode("utf-8", "replace")[:600]))
    return p


def words(part, lang):
    """key -> text of templates/PART.LANG.yaml (or LANG.yaml when part is None)."""
    name = "%s.%s.yaml" % (part, lang) if part else "%s.yaml" % lang
    t = {}
    with open(os.path.join(ROOT, "templates", name), encoding="utf-8") as f:
        for line in f:
            m = re.match(r'^([A-Za-z0-9_.\-]+):\s*(".*")\s*$', line)
            if m:
                t[m.group(1)] = json.loads(m.group(2))
    return t


def before(template):
    """The fixed text of a template up to its first placeholder."""
    return template.split("{")[0]


def pdf_text(pdf):
    p = subprocess.run(["pdftotext", "-q", "-raw", "-enc", "UTF-8", pdf, "-"],
                       stdout=subprocess.PIPE, check=True)
    return re.sub(r"\s+", " ", p.stdout.decode("utf-8", "replace"))


def pdf_npages(pdf):
    p = subprocess.run(["qpdf", "--show-npages", pdf], stdout=subprocess.PIPE, check=True)
    return int(p.stdout)


def qpdf_check(pdf):
    p = subprocess.run(["qpdf", "--check", pdf], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        fail("qpdf --check %s: %s" % (pdf, p.stdout.decode()[-400:]))


def same_files(a, b, names, what):
    for d in names:
        with open(os.path.join(a, d), "rb") as x, open(os.path.join(b, d), "rb") as y:
            if x.read() != y.read():
                fail("%s: %s differs" % (what, d))


def generate(readykit, work, hosts=HOSTS):
    d = os.path.join(work, "hosts-%d" % hosts)
    shutil.rmtree(d, ignore_errors=True)
    subprocess.run([sys.executable, GEN, str(hosts), d], check=True)
    proj = os.path.join(d, "project.yaml")
    first = os.path.join(work, "first-%d" % hosts)
    render(readykit, proj, first)
    subprocess.run([sys.executable, GEN, str(hosts), d, "--probes",
                    os.path.join(first, "findings.json")], check=True)
    return proj


def check_one_processor(readykit, work):
    """200 hosts make both workbooks large (constant_memory: their sheets are filled at
    the same time): one processor (taskset) gives the same bytes as all of them."""
    if not shutil.which("taskset"):
        fail("taskset (util-linux) is not installed")
        return
    proj = generate(readykit, work, 200)
    a = os.path.join(work, "all-processors")
    b = os.path.join(work, "one-processor")
    render(readykit, proj, a)
    os.makedirs(b, exist_ok=True)
    p = subprocess.run(["taskset", "-c", "0", readykit, "render", proj, "-o", b, "-q"], env=env(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        fail("render on one processor exited %d: %s" % (p.returncode, p.stderr[:300]))
        return
    same_files(a, b, DOCS, "one processor against all")
    wb = openpyxl.load_workbook(os.path.join(a, "firewall.xlsx"), read_only=True)
    with open(os.path.join(a, "findings.json"), encoding="utf-8") as f:
        flows = len(json.load(f)["flows"])
    ws = wb[words("firewall", "en")["fw.sheet.flows"]]
    n = sum(1 for r in ws.iter_rows(values_only=True) if r and isinstance(r[1], str) and
            re.match(r"^F\d+$", r[1]))
    if n != flows:
        fail("firewall.xlsx (200 hosts): %d flow rows; findings.json has %d" % (n, flows))
    wb.close()


def check_grouped(out, detail, lang):
    en, fl, fw = words(None, lang), words("fleet", lang), words("firewall", lang)
    pdf = os.path.join(out, "readiness.pdf")
    qpdf_check(pdf)
    text = pdf_text(pdf)
    for key in ("fleet.by_zone", "fleet.groups", "fleet.col.names"):
        if fl[key] not in text:
            fail("%s readiness.pdf: no '%s' (%s)" % (lang, fl[key], key))
    if before(fl["fleet.note"]) not in text:
        fail("%s readiness.pdf: no fleet note" % lang)
    host_title = before(en["report.host_title"])
    if re.search(re.escape(host_title) + r"mpe0001\b", text):
        fail("%s readiness.pdf: a per-host section although grouped" % lang)
    # group titles "N × roles: outcome": their counts add up to the hosts
    sep = fl["fleet.group_title"].split("{count}")[1].split("{roles}")[0]
    counts = [int(m) for m in re.findall(r"(?<![\d.])(\d+)" + re.escape(sep), text)]
    if sum(counts) != HOSTS:
        fail("%s readiness.pdf: group titles count %d hosts (%s); expected %d" % (
            lang, sum(counts), counts, HOSTS))
    if detail:
        n, m = pdf_npages(pdf), pdf_npages(os.path.join(detail, "readiness.pdf"))
        if n >= m:
            fail("%s readiness.pdf: %d pages grouped, %d host by host" % (lang, n, m))
        dtext = pdf_text(os.path.join(detail, "readiness.pdf"))
        if not re.search(re.escape(host_title) + r"mpe0001\b", dtext):
            fail("readiness.pdf host by host: no section for mpe0001")
        if fl["fleet.groups"] in dtext:
            fail("readiness.pdf host by host: has host groups")
        same_files(out, detail, ["readiness.xlsx", "findings.json", "firewall.pdf",
                                 "firewall.xlsx", "firewall.csv"],
                   "grouped against host by host")
    # the firewall request leaves flows and probe results to the workbook
    ftext = pdf_text(os.path.join(out, "firewall.pdf"))
    for key in ("fw.flows.pdf_omitted", "fw.probes.pdf_omitted"):
        if before(fw[key]) not in ftext:
            fail("%s firewall.pdf: no '%s...' (%s)" % (lang, before(fw[key]), key))


def check_workbooks(out, lang):
    en, fw = words(None, lang), words("firewall", lang)
    with open(os.path.join(out, "findings.json"), encoding="utf-8") as f:
        fj = json.load(f)
    wb = openpyxl.load_workbook(os.path.join(out, "readiness.xlsx"), read_only=True)
    ws = wb[en["sheet.findings"]]
    rows = [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]
    hdr = next(i for i, r in enumerate(rows) if en["col.requirement_id"] in r)
    if len(rows) - hdr - 1 != len(fj["findings"]):
        fail("%s readiness.xlsx: %d finding rows; findings.json has %d" % (
            lang, len(rows) - hdr - 1, len(fj["findings"])))
    wb.close()
    probed = {x["id"]: x for x in fj["flows"] if "probe_ms" in x}
    if len(probed) <= 1500:
        fail("%s findings.json: %d probed flows; more than 1,500 expected" % (lang, len(probed)))
    wb = openpyxl.load_workbook(os.path.join(out, "firewall.xlsx"), read_only=True)
    rows = [r for r in wb[fw["fw.sheet.flows"]].iter_rows(values_only=True)]
    hdr = next(i for i, r in enumerate(rows) if fw["fw.col.ms"] in r)
    col = {v: i for i, v in enumerate(rows[hdr]) if v}
    fc, ms, at = col[fw["fw.col.flow"]], col[fw["fw.col.ms"]], col[fw["fw.col.checked_at"]]
    seen = 0
    for r in rows[hdr + 1:]:
        if not r or r[fc] is None:
            continue
        x = probed.get(r[fc])
        want = (x["probe_ms"], x["probed_at"]) if x else (None, None)
        if (r[ms], r[at]) != want:
            fail("%s firewall.xlsx: flow %s has probe %r; findings.json says %r" % (
                lang, r[fc], (r[ms], r[at]), want))
            break
        seen += x is not None
    if seen != len(probed):
        fail("%s firewall.xlsx: %d flows with a probe; findings.json has %d" % (
            lang, seen, len(probed)))
    texts = [v for r in wb[fw["fw.sheet.probes"]].iter_rows(values_only=True) for v in r if v]
    if fw["fw.probes.in_flows"] not in texts or any(v in probed for v in texts):
        fail("%s firewall.xlsx: the Probe results sheet should point to the Flows sheet and "
             "list no flow" % lang)
    wb.close()


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    readykit, work = argv[1], argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    proj = generate(readykit, work)
    out = os.path.join(work, "grouped")
    detail = os.path.join(work, "detail")
    render(readykit, proj, out)
    render(readykit, proj, detail, "--pdf-host-detail-max", "100")
    check_grouped(out, detail, "en")
    check_workbooks(out, "en")

    de = os.path.join(work, "grouped-de")
    render(readykit, proj, de, "--lang", "de")
    check_grouped(de, None, "de")
    check_workbooks(de, "de")
    en_fleet = words("fleet", "en")
    de_text = pdf_text(os.path.join(de, "readiness.pdf"))
    for key in ("fleet.groups", "fleet.by_zone", "fleet.col.names"):
        if en_fleet[key] in de_text:
            fail("German readiness.pdf has the English '%s'" % en_fleet[key])

    again = os.path.join(work, "grouped-again")
    render(readykit, proj, again)
    same_files(out, again, DOCS, "second render")

    # the project key, and the option over it
    with open(proj, encoding="utf-8") as f:
        text = f.read()
    keyed = os.path.join(os.path.dirname(proj), "keyed.yaml")
    with open(keyed, "w", encoding="utf-8") as f:
        f.write(text + "pdf_host_detail_max: 100\n")
    groups_title = words("fleet", "en")["fleet.groups"]
    k1 = os.path.join(work, "keyed")
    render(readykit, keyed, k1)
    if groups_title in pdf_text(os.path.join(k1, "readiness.pdf")):
        fail("pdf_host_detail_max: 100 in the project: readiness.pdf still groups the hosts")
    k2 = os.path.join(work, "keyed-option")
    render(readykit, keyed, k2, "--pdf-host-detail-max", "50")
    if groups_title not in pdf_text(os.path.join(k2, "readiness.pdf")):
        fail("--pdf-host-detail-max 50 over pdf_host_detail_max: 100: readiness.pdf does not group")
    bad = os.path.join(os.path.dirname(proj), "bad.yaml")
    with open(bad, "w", encoding="utf-8") as f:
        f.write(text + "pdf_host_detail_max: -1\n")
    p = subprocess.run([readykit, "validate", bad], env=env(), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    msg = p.stderr.decode("utf-8", "replace")
    if p.returncode != 3 or "pdf_host_detail_max" not in msg:
        fail("pdf_host_detail_max: -1 was not refused with its line (exit %d): %s" % (
            p.returncode, msg[:300]))
    p = subprocess.run([readykit, "render", proj, "-o", os.path.join(work, "x"),
                        "--pdf-host-detail-max", "many"], env=env(), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 2 or b"--pdf-host-detail-max" not in p.stderr:
        fail("--pdf-host-detail-max many: exit %d, %s" % (p.returncode, p.stderr[:200]))

    check_one_processor(readykit, work)

    # grouping small projects too (0): the sample (waivers, attestations, a host without
    # a fact file) and the Unicode project, in both languages
    for name, project in (("sample", os.path.join(ROOT, "samples", "contoso-fabrikam", "project.yaml")),
                          ("unicode", os.path.join(HERE, "data", "unicode", "project.yaml"))):
        for lang in ("en", "de"):
            o = os.path.join(work, "%s-%s-grouped" % (name, lang))
            render(readykit, project, o, "--pdf-host-detail-max", "0", "--lang", lang)
            qpdf_check(os.path.join(o, "readiness.pdf"))
            if words("fleet", lang)["fleet.groups"] not in pdf_text(os.path.join(o, "readiness.pdf")):
                fail("%s (%s) with --pdf-host-detail-max 0: no host groups" % (name, lang))

    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
