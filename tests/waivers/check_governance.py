#!/usr/bin/env python3
"""check_governance.py - waiver governance end to end, read back with independent tools
(pdftotext, openpyxl, json, PyYAML), never with readykit's code:

  risk      the "Risk accepted" view in readiness.pdf and readiness.xlsx (English and
            German): statuses without and with the waivers and the hosts they change,
            recounted here from findings.json; every waiver with approver, approval date,
            risk, ticket and state.
  expiring  which waivers expire within 30 days, recomputed from their dates: flagged in
            findings.json (expiring_soon), the PDF and the workbook; render --fail-on with
            --expiring-as-expired judges them as expired (exit code and message), and the
            flag without --fail-on is a usage error.
  register  the workbook's waiver register has the columns and values of the waivers file;
            edited with openpyxl (an expiry renewed as a date, a row added with one host a
            line, a row removed, a risk changed) and saved, it is read back with --waivers
            FILE.xlsx and `readykit validate`, in English and German workbooks; broken
            registers are refused with the file, row, column and cell.

usage: check_governance.py READYKIT SOURCE_DIR WORK_DIR   (exit 0 pass, 1 fail, 77 skip)
"""
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

try:
    import openpyxl
    import yaml
except ImportError as e:
    print("SKIP: %s" % e)
    sys.exit(77)
if not shutil.which("pdftotext"):
    print("SKIP: pdftotext is missing")
    sys.exit(77)

PROJECT = "samples/contoso-fabrikam/project.yaml"
DATA = "tests/waivers/data/sample"
DATE = datetime.date(2026, 11, 18)
EPOCH = "1795003200"  # 2026-11-18T12:00:00Z
STATUSES = ["fail", "warn", "unknown", "waived", "manual", "attested", "pass", "not-applicable"]

failures = []


def fail(what):
    failures.append(what)
    print("FAIL: %s" % what)


def run(rk, *args, env_extra=None):
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, LC_ALL="C")
    env.pop("READYKIT_DATA", None)
    env.update(env_extra or {})
    return subprocess.run([rk] + list(args), capture_output=True, text=True, env=env)


def render(rk, out, *args):
    p = run(rk, "render", PROJECT, "-q", "-o", out, *args)
    if p.returncode != 0:
        fail("render %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr))
    return p


def pdf_text(path):
    p = subprocess.run(["pdftotext", path, "-"], capture_output=True)
    return p.stdout.decode("utf-8", "replace")


def squash(s):
    return re.sub(r"[\s-]+", "", s)


def templates(lang):
    t = {}
    for name in ("%s.yaml" % lang, "waivers.%s.yaml" % lang):
        t.update(yaml.safe_load(open(os.path.join("templates", name), encoding="utf-8")))
    return t


def sheet_rows(ws):
    return [[c for c in row] for row in ws.iter_rows(values_only=True)]


def table_rows(ws, name):
    """The rows of the Excel table `name` (header first), as values."""
    ref = ws.tables[name].ref
    return [[c.value for c in row] for row in ws[ref]]


def expiring(expires):
    """Expires within 30 days of the assessment date: its last day less than 30 days after it."""
    return DATE <= expires < DATE + datetime.timedelta(days=30)


# ---- the risk view -------------------------------------------------------------------

def check_risk(rk, work, lang):
    out = os.path.join(work, "risk-" + lang)
    render(rk, out, "--lang", lang, "--waivers", DATA + "/waivers.yaml",
           "--attestations", DATA + "/attestations.yaml")
    T = templates(lang)
    fj = json.load(open(os.path.join(out, "findings.json"), encoding="utf-8"))
    waivers = yaml.safe_load(open(DATA + "/waivers.yaml", encoding="utf-8"))["waivers"]

    # statuses without the waivers: a waived finding's original status
    def without(f):
        return f["original_status"] if f["status"] == "waived" else f["status"]
    before = {s: 0 for s in STATUSES}
    after = {s: 0 for s in STATUSES}
    for f in fj["findings"]:
        before[without(f)] += 1
        after[f["status"]] += 1
    hosts = {}  # the hosts a waiver changes
    for name in sorted({f["host"] for f in fj["findings"] if f["status"] == "waived"}):
        mine = [f for f in fj["findings"] if f["host"] == name]
        hosts[name] = {"before": {}, "after": {}, "waived": sum(f["status"] == "waived" for f in mine)}
        for f in mine:
            hosts[name]["before"][without(f)] = hosts[name]["before"].get(without(f), 0) + 1
            hosts[name]["after"][f["status"]] = hosts[name]["after"].get(f["status"], 0) + 1

    # findings.json: every waived finding carries the governance fields, expiring_soon
    # as recomputed from its date
    for f in fj["findings"]:
        if f["status"] != "waived":
            continue
        w = f["waiver"]
        for k in ("approved_by", "approved_on", "risk", "ticket", "expires", "expiring_soon"):
            if k not in w:
                fail("%s: finding %s %s waiver has no %s" % (lang, f["host"], f["requirement"], k))
        want = expiring(datetime.date.fromisoformat(w["expires"]))
        if w["expiring_soon"] != want:
            fail("%s: %s %s expiring_soon %r, its expiry %s says %r" %
                 (lang, f["host"], f["requirement"], w["expiring_soon"], w["expires"], want))
    sql = next(f for f in fj["findings"] if f["host"] == "sql01" and f["requirement"] == "MPE-SQL-VERSION")
    if (sql["waiver"]["risk"], sql["waiver"]["approved_on"], sql["waiver"]["ticket"]) != \
            ("high", "2026-11-10", "CHG-2026-11-0398"):
        fail("%s: sql01 waiver %r" % (lang, sql["waiver"]))

    # the PDF
    text = pdf_text(os.path.join(out, "readiness.pdf"))
    flat = squash(text)
    for s in (T["risk.title"], T["risk.by_host"], T["risk.register"],
              T["risk.verdict"].replace("{before}", T["verdict.not-ready"]).replace(
                  "{after}", T["verdict.ready-with-exceptions"]),
              T["risk.verdict_expiring"].replace("{verdict}", T["verdict.not-ready"]),
              T["risk.level.high"], T["risk.state.expiring"], T["risk.state.expired"],
              T["risk.state.unused"], "CHG-2026-11-0398", "RISK-0042", "Jürg Bühler",
              T["exc.expiring"].replace("{days}", "30"),
              T["risk.expires_today"].replace("{date}", "2026-11-18")):
        if squash(s) not in flat:
            fail("%s: readiness.pdf lacks %r" % (lang, s))
    if T["risk.title"] not in subprocess.run(["pdftotext", os.path.join(out, "readiness.pdf"), "-"],
                                             capture_output=True, text=True).stdout:
        fail("%s: no heading %r" % (lang, T["risk.title"]))

    # the workbook: the same counts, as numbers
    wb = openpyxl.load_workbook(os.path.join(out, "readiness.xlsx"))
    if T["risk.sheet"] not in wb.sheetnames or T["reg.sheet"] not in wb.sheetnames:
        fail("%s: sheets %s lack %r or %r" % (lang, wb.sheetnames, T["risk.sheet"], T["reg.sheet"]))
        return
    ws = wb[T["risk.sheet"]]
    overall = table_rows(ws, "RiskOverall")
    if overall[0] != [T["risk.col.status"], T["risk.col.without"], T["risk.col.with"]]:
        fail("%s: RiskOverall header %r" % (lang, overall[0]))
    got = {r[0]: (r[1], r[2]) for r in overall[1:]}
    for s in STATUSES:
        word = T["status." + s]
        if got.get(word) != (before[s], after[s]):
            fail("%s: Risk accepted %s: %r, findings.json gives %r" %
                 (lang, s, got.get(word), (before[s], after[s])))
    byhost = table_rows(ws, "RiskByHost")
    rows = {r[0]: r for r in byhost[1:]}
    if set(rows) != set(hosts):
        fail("%s: RiskByHost hosts %s, findings.json waives on %s" % (lang, sorted(rows), sorted(hosts)))
    for name, h in hosts.items():
        r = rows.get(name)
        if not r:
            continue
        want = [h["before"].get("fail", 0), h["after"].get("fail", 0), h["before"].get("warn", 0),
                h["after"].get("warn", 0), h["before"].get("unknown", 0),
                h["after"].get("unknown", 0), h["waived"]]
        if list(r[1:8]) != want:
            fail("%s: RiskByHost %s %r, findings.json gives %r" % (lang, name, r[1:8], want))
        host_verdict = next(x["verdict"] for x in fj["hosts"] if x["name"] == name)
        if r[9] != T["verdict." + host_verdict]:
            fail("%s: RiskByHost %s verdict %r, findings.json says %s" % (lang, name, r[9], host_verdict))
    if rows.get("wrk02") and rows["wrk02"][8] != T["verdict.not-ready"]:
        fail("%s: wrk02 without waivers %r, its UAC finding fails" % (lang, rows["wrk02"][8]))
    lst = table_rows(ws, "RiskWaivers")
    if len(lst) - 1 != len(waivers):
        fail("%s: RiskWaivers lists %d waivers, the file has %d" % (lang, len(lst) - 1, len(waivers)))
    for r, w in zip(lst[1:], waivers):
        if not str(r[0]).startswith(w["requirement"]) or r[1] != w["hosts"] or r[2] != w["approved_by"]:
            fail("%s: RiskWaivers row %r for %r" % (lang, r, w))
        risk = T["risk.level." + w.get("risk", "none")]
        if r[4] != risk:
            fail("%s: RiskWaivers risk %r, expected %r" % (lang, r[4], risk))
        for col, key in ((3, "approved_on"), (5, "ticket"), (6, "scope")):
            want = w.get(key, w.get("reference") if key == "ticket" else None)
            if (r[col] or None) != (str(want) if want else None):
                fail("%s: RiskWaivers %s %r, the file says %r" % (lang, key, r[col], want))
        exp = w["expires"]
        state = ("expired" if exp < DATE else
                 "expiring" if expiring(exp) and r[8] else "applied" if r[8] else "unused")
        if r[9] != T["risk.state." + state]:
            fail("%s: RiskWaivers %s %s state %r, expected %s" % (lang, w["requirement"], w["hosts"], r[9], state))
    # the entries table flags the expiring waiver too
    exc = [row for row in sheet_rows(wb[T["exc.sheet"]]) if "wrk02" in row]
    flag = "2026-11-18\n" + T["exc.expiring"].replace("{days}", "30")
    if not any(flag in row for row in exc):
        fail("%s: Exceptions sheet does not flag the expiring waiver: %r" % (lang, exc))
    return out


# ---- --expiring-as-expired -------------------------------------------------------------

def check_fail_on(rk, work):
    out = os.path.join(work, "failon")
    common = ["render", PROJECT, "-o", out, "--waivers", DATA + "/waivers.yaml",
              "--attestations", DATA + "/attestations.yaml"]
    p = run(rk, *common, "--fail-on", "not-ready")
    if p.returncode != 0:
        fail("--fail-on not-ready: exit %d, the verdict is ready-with-exceptions" % p.returncode)
    p = run(rk, *common, "--fail-on", "not-ready", "--expiring-as-expired")
    want = ("readykit: verdict ready-with-exceptions (not-ready with the waivers expiring "
            "within 30 days counted as expired) fails --fail-on not-ready\n")
    if p.returncode != 1 or p.stderr != want:
        fail("--expiring-as-expired: exit %d, stderr %r; expected 1 and %r" % (p.returncode, p.stderr, want))
    # a threshold the verdict meets either way: the flag changes nothing
    p = run(rk, *common, "--fail-on", "ready-with-exceptions")
    want = "readykit: verdict ready-with-exceptions fails --fail-on ready-with-exceptions\n"
    if p.returncode != 1 or p.stderr != want:
        fail("--fail-on ready-with-exceptions --expiring-as-expired: exit %d %r" % (p.returncode, p.stderr))
    p = run(rk, *common, "--expiring-as-expired")
    want = "readykit: error: --expiring-as-expired changes what --fail-on judges; give --fail-on too\n"
    if p.returncode != 2 or p.stderr != want:
        fail("--expiring-as-expired alone: exit %d, stderr %r; expected 2 and %r" % (p.returncode, p.stderr, want))
    help_text = run(rk, "--help").stdout
    if "--expiring-as-expired" not in help_text:
        fail("--help does not list --expiring-as-expired")


# ---- the waiver register ---------------------------------------------------------------

KEYS = ["requirement", "hosts", "justification", "approved_by", "approved_on", "risk",
        "ticket", "scope", "expires"]


def register(wb, T):
    """(sheet, heading row index, {key: column index}) of the register, found as a user
    would: by the sheet name and the bracketed keys of the headings."""
    ws = wb[T["reg.sheet"]]
    rows = sheet_rows(ws)
    for i, r in enumerate(rows):
        keys = [re.search(r"\((\w+)\)$", str(c or "")) for c in r]
        if keys and keys[0] and keys[0].group(1) == "requirement":
            return ws, i, {m.group(1): j for j, m in enumerate(keys) if m}
    raise AssertionError("no heading row in %s" % T["reg.sheet"])


def as_text(v):
    if isinstance(v, datetime.datetime):
        return v.date().isoformat()
    return "" if v is None else str(v)


def check_register(rk, work, lang, rendered):
    T = templates(lang)
    path = os.path.join(rendered, "readiness.xlsx")
    wb = openpyxl.load_workbook(path)
    ws, hrow, cols = register(wb, T)
    if list(cols) != KEYS:
        fail("%s: register columns %s, a waivers file has %s" % (lang, list(cols), KEYS))
    rows = sheet_rows(ws)
    fmt = [r for r in rows[:hrow] if r and str(r[0] or "").endswith("(format)")]
    if not fmt or fmt[0][1] != "readykit-waivers/1":
        fail("%s: register format row %r" % (lang, fmt))
    waivers = yaml.safe_load(open(DATA + "/waivers.yaml", encoding="utf-8"))["waivers"]
    body = [r for r in rows[hrow + 1:] if any(c is not None for c in r)]
    if len(body) != len(waivers):
        fail("%s: register has %d rows, the file %d waivers" % (lang, len(body), len(waivers)))
    for r, w in zip(body, waivers):
        for k in KEYS:
            want = w.get(k, w.get("reference") if k == "ticket" else None)
            want = "" if want is None else str(want)
            if as_text(r[cols[k]]) != want:
                fail("%s: register %s %s: %r, the file says %r" % (lang, w["requirement"], k, r[cols[k]], want))
    if not isinstance(body[0][cols["expires"]], datetime.datetime):
        fail("%s: expiry %r is not a date cell" % (lang, body[0][cols["expires"]]))

    # read back unchanged: the same findings as the YAML file gave
    same = os.path.join(work, "register-same-" + lang)
    render(rk, same, "--lang", lang, "--waivers", path, "--attestations", DATA + "/attestations.yaml")
    a = json.load(open(os.path.join(rendered, "findings.json"), encoding="utf-8"))
    b = json.load(open(os.path.join(same, "findings.json"), encoding="utf-8"))
    strip = lambda fs: [{k: v for k, v in f.items() if k != "waiver"} for f in fs]
    if strip(a["findings"]) != strip(b["findings"]) or a["verdict"] != b["verdict"]:
        fail("%s: the register read back gives other findings than the waivers file" % lang)
    for fa, fb in zip(a["findings"], b["findings"]):
        if "waiver" in fa and {k: v for k, v in fa["waiver"].items()} != fb.get("waiver"):
            fail("%s: waiver of %s %s: %r read back as %r" % (lang, fa["host"], fa["requirement"],
                                                               fa["waiver"], fb.get("waiver")))
    inp = [i for i in b["inputs"] if i["kind"] == "waivers"]
    sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if len(inp) != 1 or inp[0]["sha256"] != sha:
        fail("%s: inputs[] waivers %r, the workbook's SHA-256 is %s" % (lang, inp, sha))

    # edited as a CAB secretary would, with another program (openpyxl), and saved
    first = hrow + 2  # 1-based row of the first waiver
    uac = first  # wrk02's UAC waiver, expiring on the assessment day
    ws.cell(uac, cols["expires"] + 1).value = datetime.datetime(2027, 2, 28)
    ws.cell(uac, cols["approved_on"] + 1).value = datetime.datetime(2026, 11, 17)
    ws.cell(uac, cols["risk"] + 1).value = "medium"
    # the MEM-LARGE waiver removed: mpe01's warning comes back
    mem = next(i for i, w in enumerate(waivers) if w["requirement"] == "MPE-SRV-MEM-LARGE")
    ws.delete_rows(first + mem)
    # a new row below the table, hosts one a line
    ws.append({cols["requirement"] + 1: "MPE-SRV-MEM-LARGE", cols["hosts"] + 1: "mpe01\n  mpe02 ",
               cols["justification"] + 1: "Waves of 500 mailboxes.",
               cols["approved_by"] + 1: "Anna Berg (CAB)", cols["risk"] + 1: "low",
               cols["ticket"] + 1: 4711, cols["expires"] + 1: datetime.date(2027, 6, 30)})
    edited = os.path.join(work, "edited-%s.xlsx" % lang)
    wb.save(edited)
    p = run(rk, "validate", edited)
    if p.returncode != 0 or p.stdout != "%s: ok\n" % edited:
        fail("%s: validate edited register: exit %d %r %r" % (lang, p.returncode, p.stdout, p.stderr))
    out = os.path.join(work, "register-edited-" + lang)
    render(rk, out, "--lang", lang, "--waivers", edited, "--attestations", DATA + "/attestations.yaml")
    fj = json.load(open(os.path.join(out, "findings.json"), encoding="utf-8"))
    f = {(x["host"], x["requirement"]): x for x in fj["findings"]}
    w = f[("wrk02", "MPE-WRK-UAC")].get("waiver") or {}
    if (w.get("expires"), w.get("approved_on"), w.get("risk"), w.get("expiring_soon")) != \
            ("2027-02-28", "2026-11-17", "medium", False):
        fail("%s: renewed waiver read back as %r" % (lang, w))
    m = f[("mpe01", "MPE-SRV-MEM-LARGE")]
    if m["status"] != "waived" or m["waiver"]["hosts"] != "mpe01, mpe02" or \
            m["waiver"]["ticket"] != "4711" or m["waiver"]["approved_by"] != "Anna Berg (CAB)":
        fail("%s: the added row read back as %r" % (lang, m))
    if m["waiver"]["expires"] != "2027-06-30":
        fail("%s: the added row's expiry %r" % (lang, m["waiver"]["expires"]))
    # the Source column of the entries names the workbook and the row
    if not any(x["hosts"] == "cex19*" for x in fj["waivers"]["unused"]):
        fail("%s: the unused waiver is gone after the edit" % lang)

    # refusals: file, row, column and cell
    cases = []
    wb = openpyxl.load_workbook(edited)
    ws, hrow, cols = register(wb, T)
    ws.cell(hrow + 3, cols["approved_by"] + 1).value = None
    cases.append(("no-approver", wb, "%s:%d:%d: waiver without 'approved_by'; expected the name of "
                  "the person who approved it (sheet '%s', cell %s%d)" %
                  ("{path}", hrow + 3, cols["approved_by"] + 1, T["reg.sheet"],
                   "ABCDEFGHI"[cols["approved_by"]], hrow + 3)))
    wb = openpyxl.load_workbook(edited)
    ws, hrow, cols = register(wb, T)
    ws.cell(hrow + 2, cols["risk"] + 1).value = "critical"
    cases.append(("risk", wb, "%s:%d:%d: 'risk' is 'critical'; expected low, medium or high "
                  "(sheet '%s', cell %s%d)" % ("{path}", hrow + 2, cols["risk"] + 1, T["reg.sheet"],
                                               "ABCDEFGHI"[cols["risk"]], hrow + 2)))
    wb = openpyxl.load_workbook(edited)
    ws, hrow, cols = register(wb, T)
    ws.cell(hrow + 2, cols["expires"] + 1).value = "31.01.2027"
    cases.append(("date", wb, "%s:%d:%d: 'expires' is '31.01.2027'; expected a date YYYY-MM-DD "
                  "(sheet '%s', cell %s%d)" % ("{path}", hrow + 2, cols["expires"] + 1, T["reg.sheet"],
                                               "ABCDEFGHI"[cols["expires"]], hrow + 2)))
    wb = openpyxl.load_workbook(edited)
    ws, hrow, cols = register(wb, T)
    ws.cell(hrow + 1, cols["approved_by"] + 1).value = "Approved (aproved_by)"
    cases.append(("heading", wb, "%s:%d:%d: column heading 'Approved (aproved_by)' names the key "
                  "'aproved_by', which a waiver does not have; expected one of: requirement, hosts, "
                  "justification, approved_by, approved_on, risk, ticket, scope, expires (sheet "
                  "'%s', cell %s%d)" % ("{path}", hrow + 1, cols["approved_by"] + 1, T["reg.sheet"],
                                        "ABCDEFGHI"[cols["approved_by"]], hrow + 1)))
    for name, book, want in cases:
        p_ = os.path.join(work, "bad-%s-%s.xlsx" % (name, lang))
        book.save(p_)
        want = "readykit: error: %s\n" % want.replace("{path}", p_)
        for args in (["validate", p_], ["render", PROJECT, "-q", "-o", os.path.join(work, "refused"),
                                        "--waivers", p_]):
            p = run(rk, *args)
            if p.returncode != 3 or p.stderr != want:
                fail("%s %s %s: exit %d, stderr %r; expected 3 and %r" %
                     (lang, name, args[0], p.returncode, p.stderr, want))
    if os.path.isdir(os.path.join(work, "refused")) and os.listdir(os.path.join(work, "refused")):
        fail("a refused render left files")


def check_not_registers(rk, work, rendered):
    """A workbook without a register, and zips that are no workbook."""
    fw = os.path.join(rendered, "firewall.xlsx")
    p = run(rk, "validate", fw)
    want = ("readykit: error: %s: no sheet of the workbook holds a waiver register; expected a "
            "sheet with a row 'Format (format)' and readykit-waivers/1 beside it, as the Waivers "
            "sheet of readiness.xlsx has\n" % fw)
    if p.returncode != 3 or p.stderr != want:
        fail("firewall.xlsx as waivers: exit %d %r" % (p.returncode, p.stderr))
    z = os.path.join(work, "not-a-workbook.xlsx")
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("hello.txt", "hello")
    p = run(rk, "validate", z)
    if p.returncode != 3 or "expected a workbook" not in p.stderr:
        fail("a zip without a workbook: exit %d %r" % (p.returncode, p.stderr))
    # entities are refused, not expanded
    bomb = os.path.join(work, "doctype.xlsx")
    with zipfile.ZipFile(rendered + "/readiness.xlsx") as src, zipfile.ZipFile(bomb, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"<workbook ", b'<!DOCTYPE workbook [<!ENTITY a "aaaa">]><workbook ', 1)
            dst.writestr(item, data)
    p = run(rk, "validate", bomb)
    if p.returncode != 3 or "has a DOCTYPE" not in p.stderr:
        fail("a DOCTYPE in a part: exit %d %r" % (p.returncode, p.stderr))
    trunc = os.path.join(work, "truncated.xlsx")
    data = open(rendered + "/readiness.xlsx", "rb").read()
    open(trunc, "wb").write(data[: len(data) // 2])
    p = run(rk, "validate", trunc)
    if p.returncode != 3 or "not a readable zip archive" not in p.stderr:
        fail("a truncated workbook: exit %d %r" % (p.returncode, p.stderr))


def main(argv):
    if len(argv) != 4:
        print(__doc__)
        return 2
    rk, src, work = os.path.abspath(argv[1]), argv[2], os.path.abspath(argv[3])
    os.chdir(src)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    en = check_risk(rk, work, "en")
    de = check_risk(rk, work, "de")
    check_fail_on(rk, work)
    if en:
        check_register(rk, work, "en", en)
        check_not_registers(rk, work, en)
    if de:
        check_register(rk, work, "de", de)
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
