#!/usr/bin/env python3
"""check_evidence.py - the evidence a render leaves, checked with independent tools
(pdfdetach, qpdf, sha256sum, openssl, gpg, Python's hashlib), never with readykit's code.

  attachments  every input of the inputs appendix is embedded in readiness.pdf and
               firewall.pdf: pdfdetach -list shows each under its display path with
               folders flattened (non-ASCII names too) plus inputs.sha256, -saveall
               extracts bytes identical to the input files, inputs.sha256 is exactly the
               digest's text (its SHA-256 is the digest), a missing fact file is listed
               as missing and not embedded; qpdf --check passes, two renders are
               byte-identical, and no file specification carries a date.
  sums         SHA256SUMS lists every other document, sorted, in coreutils' format:
               sha256sum -c passes in the folder and fails after a byte changes.
  verify       readykit verify: exit 0 on a fresh render (folder and each PDF); an input
               changed on disk, a document changed after the render, an embedded file
               changed inside a PDF: exit 1 naming that file; an input deleted or a file
               that is no PDF: exit 3; usage errors: exit 2.
  signature    the README's detached signatures over SHA256SUMS: openssl cms and gpg sign
               and verify, and both refuse a changed SHA256SUMS.

usage: check_evidence.py CHECK READYKIT SOURCE_DIR WORK_DIR   (exit 0 pass, 1 fail, 77 skip)
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys

EPOCH = "1795003200"  # 2026-11-18T12:00:00Z
SAMPLE = "samples/contoso-fabrikam"
DOCS = ["SHA256SUMS", "findings.json", "firewall.csv", "firewall.pdf", "firewall.xlsx",
        "readiness.pdf", "readiness.xlsx"]

failures = []


def fail(what):
    failures.append(what)
    print("FAIL: %s" % what)


def need(*tools):
    for t in tools:
        if not shutil.which(t):
            print("SKIP: %s is missing" % t)
            sys.exit(77)


def env(**extra):
    e = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, LC_ALL="C", TZ="UTC")
    e.pop("READYKIT_DATA", None)
    e.update(extra)
    return e


def run(cmd, cwd=None, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env(), **kw)


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def project_copy(src, work):
    """The sample in a folder of its own, with one host's fact file under a non-ASCII name
    and wrk01's fact file missing: the two cases the attachment names must handle."""
    proj = os.path.join(work, "project")
    shutil.rmtree(proj, ignore_errors=True)
    shutil.copytree(os.path.join(src, SAMPLE), proj)
    os.makedirs(os.path.join(proj, "fakten"))
    os.rename(os.path.join(proj, "facts", "mpe01.json"),
              os.path.join(proj, "fakten", "mpe01 (Zürich).json"))
    os.remove(os.path.join(proj, "facts", "wrk01.json"))
    text = open(os.path.join(proj, "project.yaml"), encoding="utf-8").read()
    text = text.replace("    roles: [migration-server]\n",
                        "    roles: [migration-server]\n    facts: \"fakten/mpe01 (Zürich).json\"\n", 1)
    open(os.path.join(proj, "project.yaml"), "w", encoding="utf-8").write(text)
    shutil.copy(os.path.join(src, "tests/waivers/data/sample/waivers.yaml"), proj)
    return proj


def render(rk, proj, out, *args):
    p = run([rk, "render", os.path.join(proj, "project.yaml"), "-q", "-o", out,
             "--waivers", os.path.join(proj, "waivers.yaml")] + list(args))
    if p.returncode != 0:
        fail("render: exit %d: %s" % (p.returncode, p.stderr))
    return p


def findings(out):
    import json
    return json.load(open(os.path.join(out, "findings.json"), encoding="utf-8"))


def flat(path):
    return re.sub(r"[/\\\x00-\x1f\x7f]", "_", re.sub(r"^\.", "_", path))


# ---- attachments -------------------------------------------------------------------

def check_attachments(rk, src, work):
    need("pdfdetach", "qpdf")
    proj = project_copy(src, work)
    out, again = os.path.join(work, "out"), os.path.join(work, "again")
    render(rk, proj, out)
    render(rk, proj, again)
    fj = findings(out)
    inputs = fj["inputs"]
    missing = [i for i in inputs if i.get("missing")]
    if [i["path"] for i in missing] != ["facts/wrk01.json"]:
        fail("inputs[] missing: %r, expected facts/wrk01.json" % missing)
    manifest = "".join(sorted("%s  %s:%s\n" % ("missing" if i.get("missing") else i["sha256"],
                                               i["kind"], i["path"]) for i in inputs))
    if hashlib.sha256(manifest.encode("utf-8")).hexdigest() != fj["digest"]:
        fail("the digest is not the SHA-256 of the inputs' lines")
    want = sorted([flat(i["path"]) for i in inputs if not i.get("missing")] + ["inputs.sha256"])
    if "fakten_mpe01 (Zürich).json" not in want:
        fail("test setup: the non-ASCII fact file is not an input: %r" % want)
    for pdf in ("readiness.pdf", "firewall.pdf"):
        path = os.path.join(out, pdf)
        p = run(["pdfdetach", "-enc", "UTF-8", "-list", path])
        names = sorted(re.sub(r"^\d+: ", "", l) for l in p.stdout.splitlines()[1:])
        if p.returncode != 0 or names != want:
            fail("%s: pdfdetach -list gives %r (exit %d), expected %r" % (pdf, names, p.returncode, want))
        dest = os.path.join(work, "detached-" + pdf)
        shutil.rmtree(dest, ignore_errors=True)
        os.makedirs(dest)
        p = run(["pdfdetach", "-enc", "UTF-8", "-saveall", "-o", dest, path])
        got = sorted(os.listdir(dest))
        if p.returncode != 0 or got != want:
            fail("%s: pdfdetach -saveall wrote %r (exit %d %s), expected %r" %
                 (pdf, got, p.returncode, p.stderr, want))
        for i in inputs:
            if i.get("missing"):
                continue
            f = os.path.join(dest, flat(i["path"]))
            if os.path.isfile(f) and sha(f) != i["sha256"]:
                fail("%s: embedded %s has SHA-256 %s, the input %s" % (pdf, i["path"], sha(f), i["sha256"]))
            source = (os.path.join(src, "schemas", i["path"][len("schemas/"):])
                      if i["kind"] == "schema" else os.path.join(proj, i["path"]))
            if os.path.isfile(f) and open(f, "rb").read() != open(source, "rb").read():
                fail("%s: embedded %s is not the bytes of %s" % (pdf, i["path"], source))
        m = os.path.join(dest, "inputs.sha256")
        if os.path.isfile(m) and open(m, encoding="utf-8").read() != manifest:
            fail("%s: inputs.sha256 is not the digest's text" % pdf)
        if os.path.isfile(m) and sha(m) != fj["digest"]:
            fail("%s: sha256 of inputs.sha256 is %s, the digest %s" % (pdf, sha(m), fj["digest"]))
        p = run(["qpdf", "--check", path])
        if p.returncode != 0:
            fail("%s: qpdf --check: exit %d %s" % (pdf, p.returncode, p.stdout[-400:]))
        if open(path, "rb").read() != open(os.path.join(again, pdf), "rb").read():
            fail("%s: two renders of the same inputs differ" % pdf)
        # no dates and no document ID anywhere in the file specifications
        p = run(["qpdf", "--qdf", "--object-streams=disable", path, os.path.join(work, "q.pdf")])
        q = open(os.path.join(work, "q.pdf"), "rb").read()
        for obj in re.findall(rb"<<[^<>]*?/Type /Filespec.*?>>\s*endobj", q, re.S):
            if b"Date" in obj:
                fail("%s: a file specification carries a date" % pdf)
        if re.search(rb"/ID\s*\[", open(path, "rb").read()):
            fail("%s: the trailer has a (time-based) /ID" % pdf)
        if q.count(b"/Type /Filespec") != len(want):
            fail("%s: %d file specifications, expected %d" % (pdf, q.count(b"/Type /Filespec"), len(want)))
    print("attachments: %d files in each PDF checked" % len(want))


# ---- SHA256SUMS --------------------------------------------------------------------

def check_sums(rk, src, work):
    need("sha256sum")
    proj = project_copy(src, work)
    out = os.path.join(work, "out")
    render(rk, proj, out)
    if sorted(os.listdir(out)) != DOCS:
        fail("the folder holds %r, expected %r" % (sorted(os.listdir(out)), DOCS))
    lines = open(os.path.join(out, "SHA256SUMS"), encoding="utf-8").read().splitlines()
    names = [l[66:] for l in lines]
    if names != sorted(d for d in DOCS if d != "SHA256SUMS"):
        fail("SHA256SUMS names %r" % names)
    for l in lines:
        if not re.fullmatch(r"[0-9a-f]{64}  \S+", l):
            fail("SHA256SUMS line %r is not coreutils' 'HASH  NAME'" % l)
        elif sha(os.path.join(out, l[66:])) != l[:64]:
            fail("SHA256SUMS: %s is not the file's SHA-256" % l[66:])
    p = run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=out)
    if p.returncode != 0 or p.stdout.count(": OK") != len(DOCS) - 1:
        fail("sha256sum -c: exit %d %r" % (p.returncode, p.stdout))
    with open(os.path.join(out, "firewall.csv"), "ab") as f:
        f.write(b"\n")
    p = run(["sha256sum", "-c", "SHA256SUMS"], cwd=out)
    if p.returncode == 0 or "firewall.csv: FAILED" not in p.stdout:
        fail("sha256sum -c after a change: exit %d %r" % (p.returncode, p.stdout))
    print("sums: %d documents" % len(lines))


# ---- verify ------------------------------------------------------------------------

def expect(rk, args, code, name, cwd=None, out_has=(), err_has=()):
    p = run([rk, "verify"] + args, cwd=cwd)
    if p.returncode != code:
        fail("%s: verify %s: exit %d, expected %d\n%s%s" % (name, " ".join(args), p.returncode, code,
                                                           p.stdout[-1500:], p.stderr))
    for s in out_has:
        if s not in p.stdout:
            fail("%s: stdout lacks %r:\n%s" % (name, s, p.stdout[-1500:]))
    for s in err_has:
        if s not in p.stderr:
            fail("%s: stderr lacks %r: %r" % (name, s, p.stderr))
    return p


def check_verify(rk, src, work):
    need("qpdf")
    proj = project_copy(src, work)
    out = os.path.join(work, "out")
    render(rk, proj, out)
    digest = findings(out)["digest"]
    p = expect(rk, [out, "--project", os.path.join(proj, "project.yaml")], 0, "fresh render",
               out_has=["SHA256SUMS: readiness.pdf: OK", "input: fakten/mpe01 (Zürich).json: OK",
                        "input: facts/wrk01.json: OK (missing when assessed, still missing)",
                        "digest: %s: OK (recomputed from the input files)" % digest,
                        "readiness.pdf: facts/sql01.json: OK",
                        "firewall.pdf: fakten/mpe01 (Zürich).json: OK",
                        "digest: %s: OK (recomputed from the files embedded in firewall.pdf)" % digest])
    if p.stderr:
        fail("fresh render: verify printed on stderr: %r" % p.stderr)
    # run from the project folder: the default
    expect(rk, [out, "-q"], 0, "from the project folder", cwd=proj)
    for pdf in ("readiness.pdf", "firewall.pdf"):
        expect(rk, [os.path.join(out, pdf)], 0, pdf,
               out_has=["%s: facts/wrk01.json: OK (missing when assessed: nothing embedded)" % pdf,
                        "digest: %s: OK" % digest])

    # an input changed after the render
    f = os.path.join(proj, "facts", "sql01.json")
    keep = open(f, "rb").read()
    open(f, "ab").write(b" ")
    expect(rk, [out], 1, "changed input", cwd=proj,
           out_has=["input: facts/sql01.json: DIFFERS (./facts/sql01.json has SHA-256 %s; findings.json "
                    "recorded" % sha(f),
                    "digest: %s: DIFFERS (the input files now give" % digest,
                    "readiness.pdf: facts/sql01.json: OK"],
           err_has=["2 of", "(2 differ, 0 unreadable): facts/sql01.json, digest"])
    open(f, "wb").write(keep)
    # a missing fact file that appeared since
    w = os.path.join(proj, "facts", "wrk01.json")
    shutil.copy(os.path.join(src, SAMPLE, "facts", "wrk01.json"), w)
    expect(rk, [out], 1, "appeared input", cwd=proj,
           out_has=["input: facts/wrk01.json: DIFFERS (missing when assessed, but ./facts/wrk01.json is "
                    "there now)"])
    os.remove(w)
    # an input that cannot be read
    os.rename(os.path.join(proj, "waivers.yaml"), os.path.join(proj, "waivers.moved"))
    expect(rk, [out], 3, "unreadable input", cwd=proj,
           out_has=["input: waivers.yaml: UNREADABLE (./waivers.yaml: cannot read: No such file or directory)"],
           err_has=["(0 differ, 2 unreadable): waivers.yaml, digest"])
    os.rename(os.path.join(proj, "waivers.moved"), os.path.join(proj, "waivers.yaml"))
    expect(rk, [out, "-q"], 0, "restored", cwd=proj)

    # a document changed after the render
    bad = os.path.join(work, "changed")
    shutil.rmtree(bad, ignore_errors=True)
    shutil.copytree(out, bad)
    with open(os.path.join(bad, "firewall.csv"), "ab") as fp:
        fp.write(b"x")
    expect(rk, [bad, "-q"], 1, "changed document", cwd=proj,
           out_has=["SHA256SUMS: firewall.csv: DIFFERS (its SHA-256 is %s; SHA256SUMS lists"
                    % sha(os.path.join(bad, "firewall.csv"))],
           err_has=["(1 differ, 0 unreadable): firewall.csv"])
    os.remove(os.path.join(bad, "firewall.csv"))
    expect(rk, [bad, "-q"], 3, "deleted document", cwd=proj,
           out_has=["SHA256SUMS: firewall.csv: UNREADABLE"])

    # an embedded file changed inside the PDF: uncompressed with qpdf, one byte of
    # sql01's fact file replaced by another (same length), written back
    qdf = os.path.join(work, "qdf.pdf")
    run(["qpdf", "--qdf", "--stream-data=uncompress", "--object-streams=disable",
         os.path.join(out, "readiness.pdf"), qdf])
    data = open(qdf, "rb").read()
    facts = open(os.path.join(proj, "facts", "sql01.json"), "rb").read()
    at = data.find(facts[:200])
    if at < 0:
        fail("test setup: sql01.json not found uncompressed in the PDF")
        return
    k = facts.find(b'"sql01')
    tampered = data[:at + k] + b'"sqlXX' + data[at + k + 6:]
    edited = os.path.join(work, "tampered.pdf")
    open(edited, "wb").write(tampered)
    expect(rk, [edited], 1, "tampered attachment",
           out_has=["tampered.pdf: facts/sql01.json: DIFFERS (the embedded file's SHA-256 is",
                    "tampered.pdf: project.yaml: OK",
                    "digest: %s: DIFFERS (tampered.pdf names this digest, its embedded files give" % digest],
           err_has=["(2 differ, 0 unreadable): facts/sql01.json, digest"])
    # the untouched uncompressed copy still verifies: only bytes matter, not the layout
    expect(rk, [qdf, "-q"], 0, "uncompressed copy")

    # not evidence
    expect(rk, [os.path.join(src, "README.md")], 3, "not a PDF",
           err_has=["README.md: neither a PDF nor a folder; expected a PDF or an output folder"])
    plain = os.path.join(work, "plain.pdf")
    run(["qpdf", "--empty", "--pages", os.path.join(out, "readiness.pdf"), "1", "--", plain])
    expect(rk, [plain], 3, "a PDF without evidence", err_has=["names no digest in its keywords"])
    open(os.path.join(work, "broken.pdf"), "wb").write(b"%PDF-1.4\nnothing else")
    expect(rk, [os.path.join(work, "broken.pdf")], 3, "broken PDF",
           err_has=["not a PDF that can be read"])
    expect(rk, [work], 3, "a folder without SHA256SUMS",
           err_has=["SHA256SUMS: No such file or directory; expected an output folder of readykit render"])
    expect(rk, [], 2, "no argument", err_has=["verify takes one PDF or output folder"])
    expect(rk, [os.path.join(out, "readiness.pdf"), "--project", proj], 2, "--project with a PDF",
           err_has=["--project is for an output folder"])
    print("verify: checked")


# ---- signatures (README) -----------------------------------------------------------

def check_signature(rk, src, work):
    need("openssl", "gpg")
    proj = project_copy(src, work)
    out = os.path.join(work, "out")
    render(rk, proj, out)
    sums = os.path.join(out, "SHA256SUMS")
    key, crt = os.path.join(work, "signer.key"), os.path.join(work, "signer.crt")
    cmds = [
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
         "-days", "30", "-subj", "/CN=Consultant"],
        # the README's commands
        ["openssl", "cms", "-sign", "-binary", "-in", sums, "-signer", crt, "-inkey", key,
         "-outform", "DER", "-out", sums + ".p7s"],
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", sums + ".p7s",
         "-content", sums, "-CAfile", crt, "-out", os.devnull],
    ]
    for c in cmds:
        p = run(c)
        if p.returncode != 0:
            fail("%s: exit %d %s" % (" ".join(c[:3]), p.returncode, p.stderr[-400:]))
    home = os.path.join(work, "gnupg")
    shutil.rmtree(home, ignore_errors=True)
    os.makedirs(home, mode=0o700)
    genv = dict(env(), GNUPGHOME=home)
    g = lambda *a: subprocess.run(["gpg", "--batch", "--yes"] + list(a), capture_output=True, text=True, env=genv)
    steps = [g("--passphrase", "", "--quick-gen-key", "Consultant <consultant@example.com>", "ed25519", "sign", "1d"),
             g("--detach-sign", "--armor", sums),
             g("--verify", sums + ".asc", sums)]
    for i, p in enumerate(steps):
        if p.returncode != 0:
            fail("gpg step %d: exit %d %s" % (i, p.returncode, p.stderr[-400:]))
    # the folder still verifies with the signatures beside it
    p = run([rk, "verify", out, "-q"], cwd=proj)
    if p.returncode != 0:
        fail("verify with the signatures beside: exit %d %s" % (p.returncode, p.stderr))
    # a changed SHA256SUMS fails both
    open(sums, "a").write("\n")
    p = run(cmds[2])
    if p.returncode == 0:
        fail("openssl cms -verify accepted a changed SHA256SUMS")
    p = g("--verify", sums + ".asc", sums)
    if p.returncode == 0:
        fail("gpg --verify accepted a changed SHA256SUMS")
    print("signature: openssl cms and gpg")


def main(argv):
    if len(argv) != 5 or argv[1] not in ("attachments", "sums", "verify", "signature"):
        print(__doc__)
        return 2
    check, rk, src, work = argv[1], os.path.abspath(argv[2]), os.path.abspath(argv[3]), os.path.abspath(argv[4])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    globals()["check_" + check](rk, src, work)
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
