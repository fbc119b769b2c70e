#!/usr/bin/python3
"""check_junit.py - `readykit render --junit FILE` read back with xmllint and Python's
xml.etree, never with readykit's code.

  check_junit.py READYKIT XSD SAMPLE-PROJECT UNICODE-PROJECT WORKDIR

Checks, on the sample: the file is valid against XSD; one suite per host in the
project's order with the host's verdict and the digest as properties; one case per
(host, requirement) of findings.json named "HOST: TITLE"; failure exactly for fail,
skipped with the reason for manual, unknown, not-applicable, waived and attested, a
passing case with the warning in system-out for warn; a host without findings is an
empty suite; counts add up. Then: the file can be outside the output folder and no
temporary file is left; --fail-on still exits 1 and the file is still written; a
folder that does not exist is refused (exit 4) before any document is written; the
German render keeps "HOST: TITLE" names; hostile fact strings (control characters,
U+FFFE, markup) give a valid file. Exit 0 pass, 1 fail."""
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

FAILS = []
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1763625600", TZ="UTC")


def check(cond, what):
    if not cond:
        FAILS.append(what)
    return cond


def render(readykit, project, out, *extra):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    return subprocess.run([readykit, "render", project, "-o", out, "-q", *extra],
                          capture_output=True, text=True, env=ENV)


def valid(xsd, path):
    r = subprocess.run(["xmllint", "--noout", "--schema", xsd, path], capture_output=True, text=True)
    return check(r.returncode == 0, f"{path}: not valid against {xsd}: {r.stderr[-600:]}")


def semantics(path, findings_path, project_hosts):
    d = json.load(open(findings_path, encoding="utf-8"))
    root = ET.parse(path).getroot()
    check(root.tag == "testsuites", "root is not testsuites")
    suites = root.findall("testsuite")
    check([s.get("name") for s in suites] == project_hosts, "suites are not the hosts in order")
    verdicts = {h["name"]: h["verdict"] for h in d["hosts"]}
    worst = ["fail", "unknown", "manual", "warn", "waived", "attested", "pass", "not-applicable"]
    cases = {}
    for f in d["findings"]:
        key = (f["host"], f["requirement"])
        c = cases.setdefault(key, {"title": f["title"], "status": f["status"]})
        if worst.index(f["status"]) < worst.index(c["status"]):
            c["status"] = f["status"]
    total = fails = 0
    for s in suites:
        host = s.get("name")
        props = {p.get("name"): p.get("value") for p in s.find("properties")}
        check(props.get("verdict") == verdicts.get(host), f"{host}: verdict property")
        check(props.get("digest") == d["digest"], f"{host}: digest property")
        check(props.get("assessment.verdict") == d["verdict"], f"{host}: assessment verdict")
        want = [(k, v) for k, v in cases.items() if k[0] == host]
        got = s.findall("testcase")
        check(len(got) == len(want), f"{host}: {len(got)} cases, {len(want)} requirements")
        check(s.get("tests") == str(len(got)), f"{host}: tests attribute")
        titles = {v["title"] for k, v in want}
        nf = ns = 0
        for tc in got:
            name = tc.get("name")
            check(name.startswith(host + ": ") and tc.get("classname") == host, f"{name}: naming")
            title = name[len(host) + 2:]
            match = [v for k, v in want if v["title"] == title or
                     title == "%s (%s)" % (v["title"], k[1])]
            if not check(len(match) == 1, f"{name}: no single requirement"):
                continue
            st = match[0]["status"]
            fail, skip, out = tc.find("failure"), tc.find("skipped"), tc.find("system-out")
            if st == "fail":
                nf += 1
                check(fail is not None and skip is None, f"{name}: fail without failure")
            elif st in ("manual", "unknown", "not-applicable", "waived", "attested"):
                ns += 1
                check(skip is not None and fail is None and skip.get("message"),
                      f"{name}: {st} without skipped and a reason")
            elif st == "warn":
                check(fail is None and skip is None and out is not None and out.text,
                      f"{name}: warn without system-out")
            else:
                check(fail is None and skip is None, f"{name}: pass with a result element")
        check(s.get("failures") == str(nf) and s.get("skipped") == str(ns), f"{host}: counts")
        check(titles or not got, f"{host}: cases without findings")
        total += len(got)
        fails += nf
    check(root.get("tests") == str(total) and root.get("failures") == str(fails), "root counts")
    check(any(not s.findall("testcase") for s in suites), "no empty suite for a host without findings")
    return d


def main():
    readykit, xsd, sample, unicode_project, work = sys.argv[1:6]
    os.makedirs(work, exist_ok=True)
    hosts = [l.split(":", 1)[1].strip() for l in open(sample, encoding="utf-8")
             if l.startswith("  - name:")]

    # 1. the sample, the file in another folder than the documents
    out = os.path.join(work, "out")
    side = os.path.join(work, "ci")
    shutil.rmtree(side, ignore_errors=True)
    os.makedirs(side)
    junit = os.path.join(side, "readiness-junit.xml")
    r = render(readykit, sample, out, "--junit", junit)
    check(r.returncode == 0, f"render --junit: exit {r.returncode} {r.stderr[-300:]}")
    if valid(xsd, junit):
        semantics(junit, os.path.join(out, "findings.json"), hosts)
    check(os.listdir(side) == ["readiness-junit.xml"], f"left in the folder: {os.listdir(side)}")

    # 2. --fail-on works as before, and the report is still written
    os.remove(junit)
    r = render(readykit, sample, out, "--junit", junit, "--fail-on", "not-ready")
    check(r.returncode == 1 and os.path.exists(junit), f"--fail-on: exit {r.returncode}")

    # 3. a folder that does not exist: refused before anything is written
    r = render(readykit, sample, out, "--junit", os.path.join(work, "no", "such", "j.xml"))
    check(r.returncode == 4 and os.listdir(out) == [] and "--junit" in r.stderr,
          f"missing folder: exit {r.returncode}, wrote {os.listdir(out)}, {r.stderr!r}")
    r = render(readykit, sample, out, "--junit", side)
    check(r.returncode == 4 and os.listdir(out) == [], f"a folder as --junit: exit {r.returncode}")

    # 4. German: names stay HOST: TITLE, in the document's language
    de = os.path.join(side, "de.xml")
    r = render(readykit, sample, out, "--junit", de, "--lang", "de")
    if check(r.returncode == 0, "German render") and valid(xsd, de):
        semantics(de, os.path.join(out, "findings.json"), hosts)

    # 5. hostile fact strings: control characters, noncharacters, markup
    proj_dir = os.path.join(work, "hostile")
    shutil.rmtree(proj_dir, ignore_errors=True)
    shutil.copytree(os.path.dirname(sample), proj_dir)
    fx = os.path.join(proj_dir, "facts", "mpe01.json")
    facts = json.load(open(fx, encoding="utf-8"))
    facts["os"]["name"] = "Windows\u0001 \ufffe <b>&amp;\"]]>' \u0085\u200b\U0001F600"
    facts["hardware"]["cpu_model"] = "x\u007f\ufffe<cpu>"
    json.dump(facts, open(fx, "w", encoding="utf-8"), ensure_ascii=False)
    hj = os.path.join(side, "hostile.xml")
    r = render(readykit, os.path.join(proj_dir, "project.yaml"), out, "--junit", hj)
    if check(r.returncode in (0, 1), f"hostile render: exit {r.returncode} {r.stderr[-300:]}"):
        valid(xsd, hj)
        raw = open(hj, "rb").read()
        check(b"\xef\xbf\xbe" not in raw and b"\x01" not in raw and b"\x7f" not in raw,
              "a character XML 1.0 cannot carry reached the file")
        ET.parse(hj)

    # 6. the Unicode project
    uj = os.path.join(side, "unicode.xml")
    r = render(readykit, unicode_project, out, "--junit", uj)
    if check(r.returncode == 0, f"unicode render: exit {r.returncode} {r.stderr[-300:]}"):
        valid(xsd, uj)

    for f in FAILS[:40]:
        print("FAIL:", f)
    if FAILS:
        return 1
    print("ok: JUnit valid and consistent with findings.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
