#!/usr/bin/python3
"""check_accept.py - inputs that look odd but must be accepted:

- files as Windows tools write them: UTF-8 with a byte-order mark, and UTF-16LE with a
  byte-order mark and CRLF line ends (Windows PowerShell 5.1's `>`), for fact files,
  project files, waivers and probe plans;
- a fact file whose string values hold control characters and invalid UTF-8: render
  succeeds, warns naming the file and the key, and the documents show U+FFFD.

usage: check_accept.py --readykit BIN [--collector BIN] --source DIR --work DIR
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SANITIZER_MARKS = ["ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"]
DOCS = ["findings.json", "readiness.pdf", "readiness.xlsx", "firewall.pdf", "firewall.xlsx",
        "firewall.csv", "SHA256SUMS"]
FFFD = "\ufffd"


def windows_utf16(text):
    """What `Get-Content x | Out-String > y` in Windows PowerShell 5.1 writes."""
    return b"\xff\xfe" + text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-16-le")


class Case:
    def __init__(self, a, name):
        self.a = a
        self.name = name
        self.work = os.path.join(a.work, name)
        shutil.rmtree(self.work, ignore_errors=True)
        self.proj = os.path.join(self.work, "proj")
        os.makedirs(os.path.join(self.proj, "facts"))
        os.makedirs(os.path.join(self.work, "out"))
        for h in ("mpe01", "cex19a"):
            shutil.copy(os.path.join(a.source, "samples/contoso-fabrikam/facts/%s.json" % h),
                        os.path.join(self.proj, "facts"))
        shutil.copy(os.path.join(HERE, "base/project.yaml"), self.proj)
        self.problems = []

    def path(self, rel):
        return os.path.join(self.proj, rel)

    def read(self, rel):
        with open(self.path(rel), encoding="utf-8") as f:
            return f.read()

    def write(self, rel, data):
        with open(self.path(rel), "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))

    def run(self, argv):
        env = dict(os.environ, SOURCE_DATE_EPOCH="1763625600")
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
        r = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        err = r.stderr.decode("utf-8", "replace")
        for m in SANITIZER_MARKS:
            if m in err:
                self.problems.append("sanitizer report: " + err[-800:])
        return r.returncode, err

    def render(self, extra=()):
        out = os.path.join(self.work, "out")
        rc, err = self.run([self.a.readykit, "render", self.path("project.yaml"), "-o", out]
                           + list(extra))
        if rc != 0:
            self.problems.append("render exit %d, expected 0: %s" % (rc, err.strip()[-600:]))
        else:
            for d in DOCS:
                if not os.path.exists(os.path.join(out, d)):
                    self.problems.append("render wrote no " + d)
        return rc, err

    def validate(self, rel):
        rc, err = self.run([self.a.readykit, "validate", self.path(rel)])
        if rc != 0:
            self.problems.append("validate %s exit %d: %s" % (rel, rc, err.strip()[-400:]))


def encodings(a):
    cases = []
    for enc in ("utf8-bom", "utf16le-bom"):
        def conv(text, enc=enc):
            return b"\xef\xbb\xbf" + text.encode("utf-8") if enc == "utf8-bom" else windows_utf16(text)
        c = Case(a, "facts-" + enc)
        c.write("facts/mpe01.json", conv(c.read("facts/mpe01.json")))
        c.validate("facts/mpe01.json")
        c.render()
        cases.append(c)
        c = Case(a, "project-" + enc)
        c.write("project.yaml", conv(c.read("project.yaml")))
        c.validate("project.yaml")
        c.render()
        cases.append(c)
        c = Case(a, "waivers-" + enc)
        c.write("waivers.yaml", conv(
            "format: readykit-waivers/1\nschema: migrator-pro-exchange-20.11\nwaivers:\n"
            "  - requirement: MPE-SRV-CPU-CORES\n    hosts: \"mpe*\"\n"
            "    justification: Zwei weitere Kerne kommen mit dem Umzug im Dezember.\n"
            "    approved_by: Jürg Bühler\n    expires: 2027-01-31\n"))
        c.validate("waivers.yaml")
        c.render(["--waivers", c.path("waivers.yaml")])
        cases.append(c)
        if a.collector:
            c = Case(a, "plan-" + enc)
            c.write("plan.txt", conv("# plan for Zürich\ntcp 9 127.0.0.1 F0001\n"))
            out = os.path.join(c.work, "out", "facts.json")
            rc, err = c.run([a.collector, "--probe-plan", c.path("plan.txt"), "--out", out,
                             "--timeout-ms", "200"])
            if rc != 0:
                c.problems.append("collector exit %d: %s" % (rc, err.strip()[-400:]))
            else:
                with open(out, encoding="utf-8") as f:
                    probes = json.load(f).get("probes") or []
                if not any(p.get("flow") == "F0001" for p in probes):
                    c.problems.append("the plan's probe F0001 is not in the facts")
            cases.append(c)
    return cases


def replacement(a):
    """Odd strings from a customer's registry: replaced, warned about, rendered."""
    c = Case(a, "facts-control-and-invalid-utf8")
    text = c.read("facts/mpe01.json")
    text = text.replace('"Windows Server 2019 Standard"', '"Windows Server 2019\\u0007 Standard@@FF@@"')
    text = text.replace('"ProPlus2019Volume"', '"ProPlus@@01@@2019Volume"')
    text = text.replace('"os": {', '"os": {\n    "caption@@FF@@": "x",', 1)
    raw = text.encode("utf-8").replace(b"@@FF@@", b"\xff").replace(b"@@01@@", b"\x01")
    c.write("facts/mpe01.json", raw)
    rc, err = c.render()
    f = c.path("facts/mpe01.json")
    # each warning names the line and column of the value (or key) it replaced
    for want in ("warning: %s:24:13: 'os.name' had invalid UTF-8 or control characters; replaced with U+FFFD" % f,
                 "warning: %s:74:18: 'software.outlook.product' had invalid UTF-8 or control characters" % f,
                 "warning: %s:23:5: key 'os.caption%s' had invalid UTF-8" % (f, FFFD)):
        if want not in err:
            c.problems.append("stderr lacks %r" % want)
    if rc == 0:
        out = os.path.join(c.work, "out")
        shown = "Windows Server 2019%s Standard%s" % (FFFD, FFFD)
        with open(os.path.join(out, "findings.json"), encoding="utf-8") as fh:
            if shown not in fh.read():
                c.problems.append("findings.json does not show %r" % shown)
        with zipfile.ZipFile(os.path.join(out, "readiness.xlsx")) as z:
            xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        if shown not in xml:
            c.problems.append("readiness.xlsx does not show %r" % shown)
        if any(ch in xml for ch in "\x01\x07"):
            c.problems.append("readiness.xlsx holds a control character")
        if not shutil.which("pdftotext"):
            c.problems.append("pdftotext (poppler-utils) is not installed: readiness.pdf "
                              "cannot be read back")
        else:
            r = subprocess.run(["pdftotext", "-enc", "UTF-8", os.path.join(out, "readiness.pdf"), "-"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            txt = r.stdout.decode("utf-8", "replace")
            if "Windows Server 2019" not in txt or FFFD not in txt:
                c.problems.append("readiness.pdf does not show U+FFFD after 'Windows Server 2019'")
    return [c]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--readykit", required=True)
    ap.add_argument("--collector")
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    a.readykit = os.path.abspath(a.readykit)
    a.collector = os.path.abspath(a.collector) if a.collector else None
    a.source = os.path.abspath(a.source)
    a.work = os.path.abspath(a.work)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    failed = 0
    for c in encodings(a) + replacement(a):
        print("%-5s %s" % ("FAIL" if c.problems else "PASS", c.name))
        for p in c.problems:
            print("      " + p)
        failed += bool(c.problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
