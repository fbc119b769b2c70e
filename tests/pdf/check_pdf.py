#!/usr/bin/python3
"""check_pdf.py - reads the sample PDF back with qpdf and poppler-utils and checks it.

Usage: check_pdf.py CHECK ARGS...   (exit 0 pass, 1 fail, 77 skipped)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

MARGIN = 18 * 72 / 25.4
SAMPLE_ID = "RK-2024-0042"
LONG_HEX = ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            "FEDCBA9876543210FEDCBA9876543210")
RK_INPUT, RK_OUTPUT = 3, 4

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(args, env=None, check=True):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if check and p.returncode != 0:
        fail("%s exited %d: %s" % (" ".join(args), p.returncode,
                                   p.stderr.decode("utf-8", "replace")[:500]))
    return p


def text(pdf, first=None, last=None, extra=()):
    args = ["pdftotext", "-q", "-enc", "UTF-8"] + list(extra)
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return run(args + [pdf, "-"]).stdout.decode("utf-8")


def info(pdf, pages=False):
    args = ["pdfinfo"]
    if pages:
        args += ["-f", "1", "-l", "100000"]
    out = run(args + [pdf]).stdout.decode("utf-8")
    return out


def npages(pdf):
    m = re.search(r"^Pages:\s+(\d+)", info(pdf), re.M)
    return int(m.group(1)) if m else 0


def page_sizes(pdf):
    sizes = []
    for m in re.finditer(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info(pdf, True), re.M):
        sizes.append((round(float(m.group(1))), round(float(m.group(2)))))
    return sizes


def check_qpdf(pdf):
    p = run(["qpdf", "--check", pdf], check=False)
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0 or "No syntax or stream encoding errors found" not in out:
        fail("qpdf --check: exit %d\n%s%s" % (p.returncode, out,
                                             p.stderr.decode("utf-8", "replace")))


def check_fonts(pdf, expect=("DejaVuSans", "DejaVuSans-Bold")):
    lines = run(["pdffonts", pdf]).stdout.decode("utf-8").splitlines()
    if len(lines) < 3:
        fail("pdffonts lists no fonts")
        return
    # Columns are fixed-width: take them from the dashes under the header.
    spans = [m.span() for m in re.finditer(r"-+", lines[1])]
    names = set()
    for line in lines[2:]:
        cols = [line[a:b + 1].strip() for a, b in spans]
        name, ftype, emb = cols[0], cols[1], cols[3]
        names.add(name.split("+")[-1].split(",")[0])
        if emb != "yes":
            fail("font %s is not embedded" % name)
        if "TrueType" not in ftype:
            fail("font %s has type %s, expected an embedded TrueType" % (name, ftype))
    for e in expect:
        if e not in names:
            fail("font %s missing; fonts are %s" % (e, sorted(names)))


def check_info(pdf, size=(595, 842), title="Readiness report"):
    out = info(pdf)
    for key, want in (("Title", title), ("Creator", "readykit"),
                      ("Author", "readykit 0.1.0"),
                      ("Subject", "Pre-migration readiness assessment")):
        m = re.search(r"^%s:\s+(.*)$" % key, out, re.M)
        if not m or m.group(1).strip() != want:
            fail("%s is %r, expected %r" % (key, m.group(1) if m else None, want))
    if not re.search(r"^CreationDate:\s+Fri Mar 15 09:30:00 2024 UTC", out, re.M):
        fail("CreationDate is not the assessment date 2024-03-15 09:30 UTC:\n" + out)
    if re.search(r"^Encrypted:\s+yes", out, re.M):
        fail("the document is encrypted")
    sizes = page_sizes(pdf)
    if not sizes:
        fail("no page sizes")
    portrait, landscape = size, (size[1], size[0])
    for i, s in enumerate(sizes, 1):
        if s not in (portrait, landscape):
            fail("page %d is %dx%d, expected %dx%d or landscape" % (i, s[0], s[1], *size))
    if sizes and sizes[0] != portrait:
        fail("the cover is %dx%d, expected %dx%d" % (*sizes[0], *portrait))
    if landscape not in sizes:
        fail("no landscape page for the landscape sections")


def check_catalog(pdf):
    """The catalog names the language and opens the bookmarks."""
    j = json.loads(run(["qpdf", "--json", "--json-key=qpdf", pdf]).stdout.decode("utf-8"))
    objs = j["qpdf"][1]
    catalog = objs["obj:" + objs["trailer"]["value"]["/Root"]]["value"]
    if catalog.get("/Lang") != "u:en":
        fail("catalog /Lang is %r, expected 'en'" % catalog.get("/Lang"))
    if catalog.get("/PageMode") != "/UseOutlines":
        fail("catalog /PageMode is %r, expected /UseOutlines" % catalog.get("/PageMode"))


def check_text(pdf):
    n = npages(pdf)
    all_text = text(pdf)
    complaints = run(["pdftotext", pdf, os.devnull]).stderr.decode("utf-8", "replace").strip()
    if complaints:
        fail("pdftotext complains about the text layer: " + complaints.splitlines()[0])
    for word in ("Zürich", "Łódź", "Москва", "Αθήνα", "Müller & Søn AG",
                 "Executive summary", "Sign-off", "Approved with conditions",
                 "LAB-\ufffd-01", "TOKYO-\ufffd\ufffd"):
        if word not in all_text:
            fail("text %r does not extract" % word)
    if "\U0001F680" in all_text or "\u6771" in all_text:
        fail("a character no font has was passed through instead of replaced")
    if "XLSX-ONLY-MARKER" in all_text:
        fail("a section without the PDF target was rendered")
    if LONG_HEX not in re.sub(r"\s+", "", all_text):
        fail("the long unbreakable string lost characters when wrapped")
    for i in range(1, n + 1):
        t = text(pdf, i)
        if "Page %d of %d" % (i, n) not in t:
            fail("page %d lacks the footer 'Page %d of %d'" % (i, i, n))
        if SAMPLE_ID not in t:
            fail("page %d lacks the assessment ID in its footer" % i)
        if i > 1 and "Readiness report" not in t:
            fail("page %d lacks the header band with the document title" % i)
    # The long host table splits with its header row repeated on every page.
    header = re.compile(r"^\s*Requirement\s+Expected\s+Actual\s+Status\s+Remediation\s*$", re.M)
    heads = [i for i in range(1, n + 1) if header.search(text(pdf, i, extra=["-layout"]))]
    runs = [i for i in heads if i - 1 in heads]
    if len(runs) < 3:
        fail("the long host table does not repeat its header on the following pages: %r"
             % heads)


def check_outline(pdf):
    out = run(["qpdf", "--json", "--json-key=outlines", pdf]).stdout.decode("utf-8")
    outlines = json.loads(out).get("outlines", [])
    top = [o["title"] for o in outlines]
    want = ["Readiness report", "Executive summary", "Hosts", "Findings by requirement group",
            "Manual checks", "Firewall rules", "Flow diagram", "Sign-off"]
    if top != want:
        fail("top-level bookmarks are %r, expected %r" % (top, want))
    hosts = next((o for o in outlines if o["title"] == "Hosts"), None)
    kids = [k["title"] for k in hosts.get("kids", [])] if hosts else []
    want_kids = ["EXCH01.zürich.example", "SRV-Łódź-01", "MOSKVA-DC (Москва)",
                 "ATHENS-SQL (Αθήνα)", "LAB-\ufffd-01", "TOKYO-東京"]
    # Bookmarks are drawn by the viewer with its own fonts, so CJK stays; only what
    # libharu cannot encode (beyond the BMP) is replaced.
    if kids != want_kids:
        fail("host bookmarks are %r, expected %r" % (kids, want_kids))
    n = npages(pdf)
    signoff = next((o for o in outlines if o["title"] == "Sign-off"), {})
    if signoff.get("destpageposfrom1") != n:
        fail("the Sign-off bookmark points at page %r, expected %d"
             % (signoff.get("destpageposfrom1"), n))
    pages = [o.get("destpageposfrom1", 0) for o in outlines]
    if pages != sorted(pages) or 0 in pages:
        fail("bookmarks do not point at ascending pages: %r" % pages)


def check_bounds(pdf):
    """Every word lies inside the page margins (header band and footer excepted)."""
    out = text(pdf, extra=["-bbox"])
    page = None
    bad = words = 0
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">|'
                         r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                         r'yMax="([\d.]+)">([^<]*)</word>', out):
        if m.group(1):
            page = (float(m.group(1)), float(m.group(2)))
            continue
        words += 1
        x0, y0, x1, y1 = (float(m.group(i)) for i in range(3, 7))
        w, h = page
        if x0 < MARGIN - 1 or x1 > w - MARGIN + 1 or y0 < MARGIN - 14 or y1 > h - MARGIN + 4:
            bad += 1
            if bad <= 10:
                fail("word %r at (%.1f,%.1f)-(%.1f,%.1f) leaves the margins of a %.0fx%.0f page"
                     % (m.group(7), x0, y0, x1, y1, w, h))
    if page is None or words < 1000:
        fail("pdftotext -bbox found too few words (%d)" % words)


def check_letter(pdf):
    check_info(pdf, size=(612, 792))
    check_qpdf(pdf)
    check_catalog(pdf)
    t = text(pdf)
    if "Page 1 of %d" % npages(pdf) not in t:
        fail("letter: no 'Page 1 of N' footer")


def check_reproducible(sample, workdir):
    os.makedirs(workdir, exist_ok=True)
    a, b = os.path.join(workdir, "a.pdf"), os.path.join(workdir, "b.pdf")
    env_a = dict(os.environ, TZ="UTC", LC_ALL="C")
    env_b = dict(os.environ, TZ="Pacific/Chatham", LC_ALL="de_DE.UTF-8", LANG="de_DE.UTF-8")
    run([sample, a], env=env_a)
    time.sleep(1.1)  # a clock that leaked into the file would now differ
    run([sample, b], env=env_b)
    with open(a, "rb") as fa, open(b, "rb") as fb:
        da, db = fa.read(), fb.read()
    if da != db:
        fail("two runs under different TZ/LC_ALL differ (%d vs %d bytes)" % (len(da), len(db)))
    if b"/ID" in da:
        fail("the trailer has an /ID (time-based in libharu)")


def leftovers(folder):
    return [f for f in os.listdir(folder) if ".tmp-" in f]


def expect_failure(p, code, path, what):
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode != code:
        fail("%s: exit %d, expected %d (%s)" % (what, p.returncode, code, err.strip()))
    if path not in err:
        fail("%s: the message does not name %s: %r" % (what, path, err.strip()))


def check_atomic(sample, workdir):
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    previous = b"%PDF-1.3\nprevious document\n"

    # A folder that does not exist.
    missing = os.path.join(workdir, "no-such-folder", "report.pdf")
    expect_failure(run([sample, missing], check=False), RK_OUTPUT, missing, "missing folder")
    if os.path.exists(os.path.dirname(missing)):
        fail("missing folder: the folder was created")

    # The target is a folder: the temporary is written, the rename fails.
    target = os.path.join(workdir, "is-a-folder.pdf")
    os.makedirs(target)
    expect_failure(run([sample, target], check=False), RK_OUTPUT, target, "target is a folder")
    if not os.path.isdir(target) or leftovers(workdir):
        fail("target is a folder: left %r" % leftovers(workdir))

    # The disk fills up while writing (RLIMIT_FSIZE): the old document stays.
    report = os.path.join(workdir, "report.pdf")
    with open(report, "wb") as f:
        f.write(previous)
    expect_failure(run([sample, "--fsize-limit", "20000", report], check=False), RK_OUTPUT,
                   report, "disk full")
    with open(report, "rb") as f:
        if f.read() != previous:
            fail("disk full: the previous document was changed")
    if leftovers(workdir):
        fail("disk full: temporary files left: %r" % leftovers(workdir))

    # A font that cannot be loaded is bad input; nothing is touched.
    font = os.path.join(workdir, "missing-font.ttf")
    expect_failure(run([sample, "--font", font, report], check=False), RK_INPUT, font,
                   "missing font")
    notfont = os.path.join(workdir, "not-a-font.ttf")
    with open(notfont, "wb") as f:
        f.write(b"this is not a TrueType font" * 10)
    expect_failure(run([sample, "--font", notfont, report], check=False), RK_INPUT, notfont,
                   "not a font")
    with open(report, "rb") as f:
        if f.read() != previous:
            fail("bad font: the previous document was changed")

    # A folder we may not write to. Root may write anywhere, so root runs the sample as
    # nobody (setpriv, util-linux); without setpriv the case fails rather than drop out.
    as_user = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            fail("read-only folder: setpriv (util-linux) is needed to run this case as root")
        as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    if os.geteuid() != 0 or as_user:
        ro = os.path.join(workdir, "read-only")
        os.makedirs(ro)
        os.chmod(workdir, 0o755)
        ro_report = os.path.join(ro, "report.pdf")
        with open(ro_report, "wb") as f:
            f.write(previous)
        os.chmod(ro_report, 0o644)
        os.chmod(ro, 0o555)
        try:
            expect_failure(run(as_user + [sample, ro_report], check=False), RK_OUTPUT,
                           ro_report, "read-only folder")
            with open(ro_report, "rb") as f:
                if f.read() != previous:
                    fail("read-only folder: the previous document was changed")
        finally:
            os.chmod(ro, 0o755)

    # Success replaces the previous document.
    run([sample, report])
    with open(report, "rb") as f:
        if not f.read().startswith(b"%PDF-1."):
            fail("success: the document was not replaced")
    if leftovers(workdir):
        fail("success: temporary files left: %r" % leftovers(workdir))


def check_font_override(sample, workdir):
    os.makedirs(workdir, exist_ok=True)
    serif = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
    if not os.path.exists(serif):
        print("skip: %s not installed" % serif)
        sys.exit(77)
    out = os.path.join(workdir, "serif.pdf")
    run([sample, "--font", serif, out])  # no bold face: bold is drawn from the regular
    check_fonts(out, expect=("DejaVuSerif",))
    check_qpdf(out)
    if "Москва" not in text(out):
        fail("font override: Cyrillic does not extract")


def check_dense(sample, workdir):
    """A diagram too big for one page shrinks, then continues; every flow is drawn."""
    os.makedirs(workdir, exist_ok=True)
    out = os.path.join(workdir, "dense.pdf")
    run([sample, "--dense", out])
    check_qpdf(out)
    check_bounds(out)
    flat = re.sub(r"\s+", "", text(out))
    missing = [e for e in range(40) if "TCP%d," % (100 + e) not in flat]
    if missing:
        fail("dense diagram: flows %r are not drawn" % missing)
    if "TCP25insidetheDMZ" not in flat:
        fail("dense diagram: the flow inside a zone is not listed")


def check_edge_cases(sample, workdir):
    """Empty, NULL, out-of-range and oversized parts: a valid PDF inside its margins."""
    os.makedirs(workdir, exist_ok=True)
    out = os.path.join(workdir, "edge.pdf")
    run([sample, "--edge-cases", out])
    check_qpdf(out)
    check_bounds(out)
    check_fonts(out)
    t = text(out)
    if "1e+300" not in t or "-5" not in t:
        fail("edge cases: chart values are not printed")
    if "\ufffd" not in t:
        fail("edge cases: invalid UTF-8 and control characters are not shown as U+FFFD")


def check_large(sample, out, limit):
    t0 = time.monotonic()
    p = run([sample, "--time", "--rows", "20000", out])
    wall = time.monotonic() - t0
    print(p.stderr.decode("utf-8").strip())
    print("20,000 rows: %.2f s wall, %d pages, %d bytes" % (wall, npages(out),
                                                          os.path.getsize(out)))
    if wall > limit:
        fail("20,000 rows took %.1f s, more than %.0f s" % (wall, limit))
    check_qpdf(out)
    last = text(out, npages(out))
    if "Sign-off" not in last and "Security officer" not in last:
        fail("the large document does not end with the sign-off")


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    check, args = argv[1], argv[2:]
    fn = {
        "qpdf": check_qpdf, "fonts": check_fonts, "info": check_info, "text": check_text,
        "outline": check_outline, "catalog": check_catalog, "bounds": check_bounds, "letter": check_letter,
        "reproducible": check_reproducible, "atomic": check_atomic,
        "font-override": check_font_override, "dense": check_dense,
        "edge-cases": check_edge_cases,
        "large": lambda s, o, lim="20": check_large(s, o, float(lim)),
    }.get(check)
    if not fn:
        print("unknown check " + check)
        return 2
    fn(*args)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok: " + check)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
