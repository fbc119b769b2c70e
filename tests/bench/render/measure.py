#!/usr/bin/python3
"""measure.py - wall time and peak memory of `readykit render` (median of several runs,
/usr/bin/time -v) on the sample and on synthetic assessments, and the XLSX writing
against its floor (libxlsxwriter writing the same cells with nothing else).

  measure.py --readykit BIN --floor XLSX_FLOOR --work DIR [--sizes sample,200,2000]
             [--runs 5] [--callgrind sample,60] [--json OUT.json]

Prints a table of medians, and the wall time and peak memory of one `readykit verify` of
each output folder and one `readykit diff` of its findings.json with itself (a fleet's
file is hundreds of MB). --callgrind SIZES also runs those renders under callgrind:
it prints the functions with the most instructions (inclusive) and compares the
instructions readykit spends in rk_xlsx_write with those xlsx_floor needs for the same
cells."""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DOCS = ["findings.json", "readiness.pdf", "readiness.xlsx", "firewall.pdf", "firewall.xlsx",
        "firewall.csv", "SHA256SUMS"]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1763625600", LC_ALL="C")
FAILED = []  # renders that failed: their figures are up to the failure


def timev(argv):
    """(wall seconds, peak RSS in KiB) of one run under /usr/bin/time -v."""
    r = subprocess.run(["/usr/bin/time", "-v"] + argv, env=ENV, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        msg = [l for l in r.stderr.splitlines() if "error" in l][:1]
        print("failed (exit %d): %s: %s" % (r.returncode, " ".join(argv[:3]), msg[0] if msg else ""))
        FAILED.append((argv, r.returncode, msg[0] if msg else ""))
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", r.stderr)
    h, m, s = wall.groups()
    secs = int(h or 0) * 3600 + int(m) * 60 + float(s)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
    return secs, rss


def pages(pdf):
    """Pages of a PDF (qpdf, else pdfinfo), or None when neither is installed."""
    for argv, pick in ((["qpdf", "--show-npages", pdf], lambda o: o.strip()),
                       (["pdfinfo", pdf], lambda o: re.search(r"^Pages:\s+(\d+)", o, re.M).group(1))):
        if shutil.which(argv[0]):
            r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            if r.returncode == 0:
                return int(pick(r.stdout))
    return None


def prepare(size, work, readykit):
    """The project file of a scenario (generated, with probes, for a number of hosts)."""
    if size == "sample":
        return os.path.join(ROOT, "samples", "contoso-fabrikam", "project.yaml")
    d = os.path.join(work, "hosts-%s" % size)
    proj = os.path.join(d, "project.yaml")
    if os.path.exists(os.path.join(d, ".complete")):
        return proj
    shutil.rmtree(d, ignore_errors=True)
    gen = [sys.executable, os.path.join(HERE, "gen_assessment.py"), str(size), d]
    subprocess.run(gen, check=True)
    first = os.path.join(work, "first-%s" % size)
    os.makedirs(first, exist_ok=True)
    r = subprocess.run([readykit, "render", proj, "-o", first, "-q"], env=ENV,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode == 0:  # probes need the flows of a first render
        subprocess.run(gen + ["--probes", os.path.join(first, "findings.json")], check=True)
    else:
        print("%s hosts: the first render failed (exit %d): fact files without probes"
              % (size, r.returncode))
    shutil.rmtree(first)
    open(os.path.join(d, ".complete"), "w").close()
    return proj


def inclusive(cg_out, names):
    """Inclusive instruction counts of the named functions in a callgrind profile."""
    r = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", cg_out],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out, top = {}, []
    for line in r.stdout.splitlines():
        m = re.match(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)", line)
        if not m:
            continue
        ir = int(m.group(1).replace(",", ""))
        fn = m.group(3)
        top.append((ir, float(m.group(2)), fn))
        for n in names:
            if re.search(r":%s( |$)" % re.escape(n), fn) or fn.endswith(":" + n):
                out[n] = max(out.get(n, 0), ir)
    return out, top


def callgrind(argv, out_file):
    subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out_file] + argv,
                   env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    r = subprocess.run(["callgrind_annotate", out_file], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True)
    m = re.search(r"([\d,]+) \(100.0%\)\s+PROGRAM TOTALS", r.stdout)
    return int(m.group(1).replace(",", ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--readykit", required=True)
    ap.add_argument("--floor", required=True, help="the xlsx_floor program")
    ap.add_argument("--work", required=True)
    ap.add_argument("--sizes", default="sample,200,2000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--callgrind", default="", help="sizes to profile, e.g. sample,60")
    ap.add_argument("--json")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    results = []
    for size in [s for s in a.sizes.split(",") if s]:
        proj = prepare(size, a.work, a.readykit)
        out = os.path.join(a.work, "out-%s" % size)
        os.makedirs(out, exist_ok=True)
        runs = a.runs if size in ("sample",) or not size.isdigit() or int(size) <= 500 else max(3, a.runs // 2)
        nfail = len(FAILED)
        samples = [timev([a.readykit, "render", proj, "-o", out, "-q"]) for _ in range(runs)]
        wall = statistics.median(s[0] for s in samples)
        rss = statistics.median(s[1] for s in samples)
        if len(FAILED) > nfail:
            results.append({"size": size, "runs": runs, "wall_s": round(wall, 3),
                            "peak_rss_mib": round(rss / 1024, 1), "failed": FAILED[-1][2]})
            continue
        docs = sum(os.path.getsize(os.path.join(out, d)) for d in DOCS)
        with open(os.path.join(out, "findings.json"), encoding="utf-8") as fh:
            f = json.load(fh)
        hosts = len(f.get("hosts", []))
        # the floor: the same cells through libxlsxwriter alone
        cells = os.path.join(a.work, "cells-%s.txt" % size)
        with open(cells, "w", encoding="utf-8") as fh:
            subprocess.run([sys.executable, os.path.join(HERE, "dump_cells.py"),
                            os.path.join(out, "readiness.xlsx"), os.path.join(out, "firewall.xlsx")],
                           stdout=fh, check=True)
        fl = os.path.join(a.work, "floor-%s" % size)
        os.makedirs(fl, exist_ok=True)
        fw = statistics.median(timev([a.floor, cells, fl])[0] for _ in range(runs))
        fp = statistics.median(timev([a.floor, cells, fl, "--parse-only"])[0] for _ in range(runs))
        row = {"size": size, "hosts": hosts, "flows": len(f.get("flows", [])),
               "findings": len(f.get("findings", [])), "runs": runs, "wall_s": round(wall, 3),
               "peak_rss_mib": round(rss / 1024, 1), "documents_mib": round(docs / 2**20, 2),
               "xlsx_floor_s": round(max(fw - fp, 0.0), 3),
               "readiness_pages": pages(os.path.join(out, "readiness.pdf")),
               "firewall_pages": pages(os.path.join(out, "firewall.pdf")),
               "wall_runs_s": [round(x[0], 3) for x in samples]}
        # what an auditor and the next assessment do with the output: verify the folder,
        # compare the findings with themselves (a diff reads both files whole)
        v = timev([a.readykit, "verify", out, "--project", proj, "-q"])
        dff = timev([a.readykit, "diff", os.path.join(out, "findings.json"),
                     os.path.join(out, "findings.json")])
        row["verify_s"], row["verify_peak_mib"] = round(v[0], 3), round(v[1] / 1024, 1)
        row["diff_s"], row["diff_peak_mib"] = round(dff[0], 3), round(dff[1] / 1024, 1)
        if size in a.callgrind.split(","):
            prof = os.path.join(a.work, "callgrind-%s.out" % size)
            total = callgrind([a.readykit, "render", proj, "-o", out, "-q"], prof)
            inc, top = inclusive(prof, ["rk_xlsx_write", "rk_pdf_write", "rk_findings_write",
                                        "rk_csv_write", "rk_assess_load", "rk_report_build",
                                        "rk_firewall_build"])
            ftotal = callgrind([a.floor, cells, fl], prof + ".floor")
            fparse = callgrind([a.floor, cells, fl, "--parse-only"], prof + ".parse")
            row["callgrind"] = {"total_ir": total, "stages_ir": inc,
                                "xlsx_floor_ir": ftotal - fparse,
                                "xlsx_over_floor": round(inc.get("rk_xlsx_write", 0) /
                                                         max(ftotal - fparse, 1), 2)}
            row["xlsx_est_s"] = round(wall * inc.get("rk_xlsx_write", 0) / total, 3)
            print("\n== callgrind, %s: %s instructions; the heaviest (inclusive):" % (size, format(total, ",")))
            shown = 0
            for ir, pct, fn in top:
                if "below main" in fn or fn.endswith(":main") or "libc_start" in fn or "0x0000" in fn \
                        or "cmd_render" in fn or "ld-linux" in fn:
                    continue
                print("   %6.2f%%  %s" % (pct, fn[:110]))
                shown += 1
                if shown == 25:
                    break
        results.append(row)

    print("\n%-7s %6s %7s %9s %9s %11s %10s %7s %7s %12s %13s" % (
        "SIZE", "HOSTS", "FLOWS", "FINDINGS", "WALL(s)", "PEAK(MiB)", "DOCS(MiB)", "R.PAGES",
        "F.PAGES", "XLSX floor", "XLSX/floor"))
    for r in results:
        if "failed" in r:
            print("%-7s render FAILED after %.3f s, peak %.1f MiB: %s" % (
                r["size"], r["wall_s"], r["peak_rss_mib"], r["failed"]))
            continue
        cg = r.get("callgrind")
        print("%-7s %6d %7d %9d %9.3f %11.1f %10.2f %7s %7s %11.3fs %13s" % (
            r["size"], r["hosts"], r["flows"], r["findings"], r["wall_s"], r["peak_rss_mib"],
            r["documents_mib"], r["readiness_pages"] if r["readiness_pages"] is not None else "-",
            r["firewall_pages"] if r["firewall_pages"] is not None else "-", r["xlsx_floor_s"],
            ("%.2fx (Ir)" % cg["xlsx_over_floor"]) if cg else "-"))
    print("\n%-7s %9s %11s %9s %11s" % ("SIZE", "VERIFY(s)", "PEAK(MiB)", "DIFF(s)", "PEAK(MiB)"))
    for r in results:
        if "verify_s" in r:
            print("%-7s %9.3f %11.1f %9.3f %11.1f" % (r["size"], r["verify_s"], r["verify_peak_mib"],
                                                    r["diff_s"], r["diff_peak_mib"]))
    print("(one run each: readykit verify of the output folder; readykit diff of its findings.json "
          "with itself)")
    print("(medians of the runs; R.PAGES and F.PAGES: pages of readiness.pdf and firewall.pdf; "
          "XLSX floor = libxlsxwriter writing the same cells, reading subtracted; XLSX/floor = "
          "instructions in rk_xlsx_write over the floor's)")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print("machine: %d CPUs, load average %.2f at the end (other work on the machine lengthens "
          "the wall times)" % (os.cpu_count() or 0, load))
    big = [r for r in results if "failed" not in r and r["size"] != "sample"]
    if len(big) >= 2:
        x, y = big[0], big[-1]
        print("memory per document byte: %s hosts %.1f, %s hosts %.1f (peak RSS / document size)"
              % (x["size"], x["peak_rss_mib"] / x["documents_mib"], y["size"],
                 y["peak_rss_mib"] / y["documents_mib"]))
    if a.json:
        with open(a.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
