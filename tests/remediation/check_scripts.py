#!/usr/bin/python3
"""check_scripts.py - the remediation scripts readykit render writes, read back without
readykit's code: for tests/remediation/data (fixlab-1, every kind of fix and every way a
step is left to a person) and both samples.

  - form: plain ASCII, CRLF line ends, the mark every script starts with, no line
    longer than cmd reads;
  - cmd safety, by reading each line as cmd.exe does: in comments every % is doubled and
    no line ends in a caret; in echo lines every & | < > ^ outside double quotes is
    escaped and every % doubled; in command lines a % only starts one of the script's
    own variables, and no value from a fact file appears (the fixlab facts hold values
    with & and non-ASCII characters, the schema data with & and %, a command with %);
  - every change is preceded by a comment naming the requirement (its id) and the
    finding; the scripts of a host with only HKCU changes do not ask for administrator
    rights, the others do;
  - the report's "Fixed by" column and findings.json's fixed_by agree with the plan,
    and the Scripts sheet names each script with its SHA-256;
  - a second render into the same folder retires the scripts it no longer writes and
    leaves files readykit did not write alone; the same inputs give the same bytes;
  - the scripts match tests/remediation/golden (digests and the version masked);
    UPDATE=1 rewrites the golden files (refused when CI is set).
Exit 0 pass, 1 fail."""
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import json

import openpyxl
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
MARK = b"@echo off\r\nrem readykit-remediation/1\r\n"
OWN_VARS = {"RK_LOG", "RK_PS", "RK_MODE", "RK_STEP", "RK_RC", "RK_RESTART", "RK_RUN", "SystemRoot",
            "COMPUTERNAME", "errorlevel", "RANDOM", "TIME", "DATE", "~dp0", "~1", "~2"}
# Values of the fixlab inputs that must never reach a command line.
UNSAFE = ["slow & steady", "Zürich", "grün", "gruen", "C:\\Lab & Co", "100%", "%PATH%", "lab.txt"]

problems = []


def fail(msg):
    problems.append(msg)
    print("FAIL:", msg)


def render(args, project, out, *extra, schemas=None):
    r = subprocess.run([args.readykit, "render", project, "-o", out, "-q",
                        "--schemas", schemas or os.path.join(args.source, "schemas"),
                        "--templates", os.path.join(args.source, "templates"), *extra],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       env=dict(os.environ, SOURCE_DATE_EPOCH="1795000000"), timeout=120)
    if r.returncode != 0:
        fail("render %s: exit %d: %s" % (project, r.returncode, r.stderr[-1500:]))
        return None
    with open(os.path.join(out, "findings.json"), encoding="utf-8") as f:
        return json.load(f)


def unescaped(line, chars):
    """Characters of chars that cmd would read as operators: outside double quotes and not
    preceded by a caret (cmd's own reading of a line)."""
    found, quoted, i = [], False, 0
    while i < len(line):
        c = line[i]
        if c == '"':
            quoted = not quoted
        elif c == "^" and not quoted:
            i += 2
            continue
        elif c in chars and not quoted:
            found.append(c)
        i += 1
    return found


def single_percents(line):
    """% signs that cmd would expand: pairs %% are literal; %NAME% is a variable."""
    out, i = [], 0
    while i < len(line):
        if line[i] == "%":
            if line[i + 1:i + 2] == "%":
                i += 2
                continue
            m = re.match(r"%(~dp0|~1|~2|[A-Za-z_]+)%?", line[i:])
            out.append(m.group(1) if m else line[i:i + 8])
            i += len(m.group(0)) if m else 1
            continue
        i += 1
    return out


def check_script(path, req_ids, admin_expected):
    name = os.path.basename(path)
    data = open(path, "rb").read()
    if not data.startswith(MARK):
        fail("%s does not start with the mark %r" % (name, MARK))
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as e:
        fail("%s is not ASCII: %s" % (name, e))
        return
    if not text.endswith("\r\n") or "\n" in text.replace("\r\n", "") or "\r" in text.replace("\r\n", ""):
        fail("%s: line ends other than CRLF" % name)
    lines = text.split("\r\n")[:-1]
    seen_comment = set()
    for n, line in enumerate(lines, 1):
        where = "%s:%d" % (name, n)
        if len(line) > 8000:
            fail("%s: %d characters" % (where, len(line)))
        if any(ord(c) < 32 for c in line):
            fail("%s: a control character" % where)
        if line == "rem" or line.startswith("rem "):
            if single_percents(line):
                fail("%s: a single %% in a comment: %s" % (where, line))
            if line.endswith("^"):
                fail("%s: a comment ends in a caret (joins the next line)" % where)
            if line.startswith("rem /?") or line.startswith("rem /"):
                fail("%s: rem /... prints help" % where)
            seen_comment.update(r for r in req_ids if r in line)
            continue
        body = line[len('>>"%RK_LOG%" '):] if line.startswith('>>"%RK_LOG%" echo') else line
        if body.startswith("echo"):
            rest = body[5:] if body.startswith("echo ") else body[4:]
            bad = unescaped(rest, "&|<>")
            if bad:
                fail("%s: unescaped %s in an echo line: %s" % (where, bad, line))
            loose = [v for v in single_percents(rest) if v not in ("RK_RC", "RK_RUN", "DATE", "TIME")]
            if loose:
                fail("%s: %% not doubled in an echo line (%s): %s" % (where, loose, line))
            if rest.startswith("/"):
                fail("%s: echo /... prints help" % where)
            continue
        # a command line
        for v in single_percents(line):
            if v not in OWN_VARS:
                fail("%s: %%%s%% is not one of the script's variables: %s" % (where, v, line))
        for u in UNSAFE:
            if u in line:
                fail("%s: a value a command line cannot carry reached one: %s" % (where, line))
        if unescaped(line, "|<") and "<nul" not in line:
            fail("%s: a pipe or an input redirection: %s" % (where, line))
        if line.startswith('set "RK_STEP=') and line != 'set "RK_STEP=0"' and not seen_comment:
            fail("%s: a change without a comment naming its requirement before it" % where)
        if line.startswith('set "RK_STEP='):
            seen_comment = set()
    if re.search(r"\[(script|remedy|report|col)\.[a-z_.]+\]", text):
        fail("%s: a template key without text: %s" % (name, re.search(r"\[(script|remedy|report|col)\.[a-z_.]+\]", text).group(0)))
    admin = "fltmc.exe" in text
    if admin != admin_expected:
        fail("%s: %s the administrator check" % (name, "has" if admin else "lacks"))
    for code in ("exit /b 0", "exit /b 1", "exit /b 2", "exit /b 4", "exit /b 5"):
        if code not in lines:
            fail("%s: no '%s'" % (name, code))
    if admin and "exit /b 3" not in lines:
        fail("%s: no 'exit /b 3'" % name)


def masked(text):
    text = re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", text)
    return re.sub(r"readykit \d+\.\d+\.\d+", "readykit <version>", text)


def compare_golden(args, got_dir, golden_dir, names):
    update = os.environ.get("UPDATE") == "1"
    if update and os.environ.get("CI"):
        fail("UPDATE=1 under CI: golden files are reviewed on a developer machine")
        update = False
    os.makedirs(golden_dir, exist_ok=True)
    for n in names:
        got = masked(open(os.path.join(got_dir, n), "rb").read().decode("ascii", "replace"))
        gpath = os.path.join(golden_dir, n)
        if update:
            with open(gpath, "wb") as f:
                f.write(got.encode("ascii"))
            continue
        if not os.path.exists(gpath):
            fail("no golden file %s (UPDATE=1 writes it)" % os.path.relpath(gpath, args.source))
            continue
        want = open(gpath, "rb").read().decode("ascii", "replace")
        if got != want:
            gl, wl = got.split("\r\n"), want.split("\r\n")
            k = next((i for i in range(min(len(gl), len(wl))) if gl[i] != wl[i]), min(len(gl), len(wl)))
            fail("%s differs from the golden file at line %d:\n  got:  %r\n  want: %r" %
                 (n, k + 1, gl[k] if k < len(gl) else None, wl[k] if k < len(wl) else None))


def xlsx_rows(path, sheet):
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    hdr = next(i for i, r in enumerate(rows) if r and r[0] and r[0] in ("Host", "Server"))
    return rows[hdr], rows[hdr + 1:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--readykit", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    data = os.path.join(HERE, "data")
    # the lab schema beside the facts' description, as a schemas folder
    schemas = os.path.join(args.workdir, "schemas")
    os.makedirs(schemas)
    shutil.copy2(os.path.join(args.source, "schemas", "facts.schema.json"), schemas)
    shutil.copy2(os.path.join(data, "fixlab-1.yaml"), schemas)
    with open(os.path.join(data, "fixlab-1.yaml"), encoding="utf-8") as f:
        lab = yaml.safe_load(f)
    lab_ids = [r["id"] for r in lab["requirements"]]

    # ---- the scripts' words exist in both languages, and none is missing
    keys = {}
    for lang in ("en", "de"):
        with open(os.path.join(args.source, "templates", "remediation.%s.yaml" % lang), encoding="utf-8") as f:
            keys[lang] = set(yaml.safe_load(f))
    if keys["en"] != keys["de"]:
        fail("templates/remediation.*.yaml: only in en %s, only in de %s" %
             (sorted(keys["en"] - keys["de"]), sorted(keys["de"] - keys["en"])))
    used = set()
    for c in ("remediation_script.c", "readiness_remedy.c"):
        with open(os.path.join(args.source, "render", c), encoding="utf-8") as f:
            used |= set(re.findall(r'"((?:script|remedy|report\.fix|col|sheet\.remediation)[a-z_.]*)"', f.read()))
    used = {k for k in used if not k.endswith(".")}
    base = set()
    for lang in ("en",):
        with open(os.path.join(args.source, "templates", "%s.yaml" % lang), encoding="utf-8") as f:
            base |= set(yaml.safe_load(f))
    missing = sorted(k for k in used if k not in keys["en"] and k not in base and k != "script" and not k.endswith(".h"))
    if missing:
        fail("keys used in C but in no template: %s" % missing)

    # ---- fixlab: every kind of fix
    out = os.path.join(args.workdir, "fixlab")
    found = render(args, os.path.join(data, "project.yaml"), out, schemas=schemas)
    if found is None:
        return 1
    rdir = os.path.join(out, "remediation")
    names = sorted(os.listdir(rdir))
    want = ["lab01-undo.cmd", "lab01.cmd", "lab02-undo.cmd", "lab02.cmd"]
    if names != want:
        fail("fixlab: remediation/ holds %s, expected %s" % (names, want))
    for n in names:
        check_script(os.path.join(rdir, n), lab_ids, n.startswith("lab01"))
    lab01 = open(os.path.join(rdir, "lab01.cmd"), encoding="ascii").read()
    for needle in ("Left out, needs a person: registry HKLM\\SOFTWARE\\Fix Lab\\App, value Path",
                   "Left out, needs a person: service GoneSvc",
                   "Left out, needs a person: command: echo %%PATH%% ^& del",
                   "The same change also fixes: FIX-REG-AGAIN",
                   "Install-WindowsFeature -Name 'Lab-Feature-A','Lab-Feature-B'",
                   'sc.exe" config "WinRM" start= demand',
                   '/t REG_MULTI_SZ /d "lab01~lab02~with space" /s ~'):
        if needle not in lab01:
            fail("lab01.cmd lacks %r" % needle)
    undo01 = open(os.path.join(rdir, "lab01-undo.cmd"), encoding="ascii").read()
    for needle in ("Not put back: registry HKLM\\SOFTWARE\\Fix Lab\\App, value Mode",
                   "Not put back: command: netsh",
                   "Uninstall-WindowsFeature -Name 'Lab-Feature-A','Lab-Feature-B'",
                   'sc.exe" config "LabSvc" start= demand'):
        if needle not in undo01:
            fail("lab01-undo.cmd lacks %r" % needle)
    # the report and findings.json agree with the plan
    how = {}
    for f in found["findings"]:
        how[(f["host"], f["requirement"])] = (f.get("fixed_by"), f.get("fixed_in_part", False))
    expect = {("lab01", "FIX-REG-BASE"): ("remediation/lab01.cmd", False),
              ("lab01", "FIX-REG-AGAIN"): ("remediation/lab01.cmd", False),
              ("lab01", "FIX-PARTLY"): ("remediation/lab01.cmd", True),
              ("lab01", "FIX-REG-UNSAFE"): (None, False), ("lab01", "FIX-SVC-GONE"): (None, False),
              ("lab01", "FIX-ALREADY"): (None, False), ("lab01", "FIX-UNKNOWN"): (None, False),
              ("lab01", "FIX-CMD-UNSAFE"): (None, False), ("lab02", "FIX-DESK"): ("remediation/lab02.cmd", False)}
    for k, v in expect.items():
        if how.get(k) != v:
            fail("findings.json %s: fixed_by %r, expected %r" % (k, how.get(k), v))
    hdr, rows = xlsx_rows(os.path.join(out, "readiness.xlsx"), "Remediation")
    cf, cq = hdr.index("Fixed by"), hdr.index("Requirement")
    cells = {(r[0], str(r[cq]).split("\n")[0]): r[cf] for r in rows if r[0]}
    for (host, req), (script, part) in expect.items():
        cell = cells.get((host, req)) or ""
        ok = (cell.startswith(script) and (("in part" in cell) == part)) if script else cell.startswith("a person")
        if not ok:
            fail("Remediation sheet %s %s: Fixed by %r" % (host, req, cell))
    hdr, rows = xlsx_rows(os.path.join(out, "readiness.xlsx"), "Scripts")
    listed = {r[1]: r[3] for r in rows if r[0]}
    for n in names:
        sha = hashlib.sha256(open(os.path.join(rdir, n), "rb").read()).hexdigest()
        if listed.get("remediation/" + n) != sha:
            fail("Scripts sheet: %s with %r, the file's SHA-256 is %s" % (n, listed.get("remediation/" + n), sha))
    # the same inputs, the same bytes
    again = os.path.join(args.workdir, "fixlab-again")
    render(args, os.path.join(data, "project.yaml"), again, schemas=schemas)
    for n in names:
        if open(os.path.join(rdir, n), "rb").read() != open(os.path.join(again, "remediation", n), "rb").read():
            fail("%s differs between two renders of the same inputs" % n)
    compare_golden(args, rdir, os.path.join(HERE, "golden", "fixlab"), names)
    # German
    out_de = os.path.join(args.workdir, "fixlab-de")
    render(args, os.path.join(data, "project.yaml"), out_de, "--lang", "de", schemas=schemas)
    for n in sorted(os.listdir(os.path.join(out_de, "remediation"))):
        check_script(os.path.join(out_de, "remediation", n), lab_ids, n.startswith("lab01"))
    de = open(os.path.join(out_de, "remediation", "lab01.cmd"), encoding="ascii").read()
    if "Aenderung 1 von" not in de or "Ausgelassen, erfordert eine Person" not in de:
        fail("the German lab01.cmd is not German")

    # ---- a later render into the same folder retires the scripts it does not write
    for n, text in (("notes.txt", "kept\n"), ("lab01.log", "a run\n"), ("mine.cmd", "@echo off\r\necho mine\r\n")):
        with open(os.path.join(rdir, n), "w") as f:
            f.write(text)
    sample = os.path.join(args.source, "samples", "contoso-fabrikam", "project.yaml")
    found = render(args, sample, out)
    left = sorted(os.listdir(rdir))
    if left != ["lab01.log", "mine.cmd", "notes.txt", "wrk02-undo.cmd", "wrk02.cmd"]:
        fail("after a render of the sample into the fixlab folder remediation/ holds %s" % left)

    # ---- the samples
    for sid, sample, scripts in (("contoso-fabrikam", sample, ["wrk02-undo.cmd", "wrk02.cmd"]),
                                 ("exchange-2019-target",
                                  os.path.join(args.source, "samples", "exchange-2019-target", "project.yaml"),
                                  ["exmbx01-undo.cmd", "exmbx01.cmd"])):
        sout = os.path.join(args.workdir, sid)
        found = render(args, sample, sout)
        if found is None:
            continue
        with open(os.path.join(args.source, "schemas", found["schema"]["id"] + ".yaml"), encoding="utf-8") as f:
            ids = [r["id"] for r in yaml.safe_load(f)["requirements"]]
        got = sorted(os.listdir(os.path.join(sout, "remediation")))
        if got != sorted(scripts):
            fail("%s: remediation/ holds %s, expected %s" % (sid, got, scripts))
            continue
        for n in got:
            check_script(os.path.join(sout, "remediation", n), ids, True)
        compare_golden(args, os.path.join(sout, "remediation"), os.path.join(HERE, "golden", sid), got)

    print("remediation scripts: %d problem(s)" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
