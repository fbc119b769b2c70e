#!/usr/bin/python3
"""run_corpus.py - runs readykit (and readykit-collect) on every broken input of the
corpus and checks what a user would see.

A case is a file under CASES/<kind>/ with a CASE.expect beside it. Kinds and what is run:

  facts         readykit validate CASE; readykit render of the base project whose host
                mpe01 has CASE as its fact file
  project       readykit validate CASE; readykit render CASE (sample fact files beside it)
  schema        readykit validate CASE; readykit render --schemas DIR of the base project,
                with CASE as DIR/migrator-pro-exchange-20.11.yaml
  waivers       readykit validate CASE; readykit render --waivers CASE of the base project
  attestations  readykit validate CASE; readykit render --attestations CASE
  plan          readykit-collect --probe-plan CASE --out OUT/facts.json

Each run must: exit with the expected code (3, bad input, unless the .expect says
otherwise), print on stderr every line of the .expect that is not a directive
({file} is the path of the case as given to the program, {dir} its folder), finish
within the time limit, print no sanitizer report, print a short message (not the
input back) in UTF-8 without control characters (untrusted fact files and plans: not
even a tab), and leave the output folder exactly as it was: the same bytes in the
same files, no temporary file left.

.expect directives (lines starting with a word and a colon):
  exit: N            expected exit code (default 3)
  mode: validate|render|both   which commands to run (default both; plan: collect)
  [MODE] TEXT        TEXT is expected on stderr only when running MODE
  # ...              a comment

Expected failures (defects known and reported, not yet fixed) are listed with their
reasons in expected-failures.txt beside this script: such a case is reported XFAIL
while it fails and XPASS (remove it from the list) once it passes.
"""
import argparse
import concurrent.futures
import fnmatch
import hashlib
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DOC_NAMES = ["findings.json", "readiness.pdf", "readiness.xlsx", "firewall.pdf",
             "firewall.xlsx", "firewall.csv", "SHA256SUMS"]
SANITIZER_MARKS = ["ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "SUMMARY: UndefinedBehaviorSanitizer", "Segmentation fault"]
SCHEMA_ID = "migrator-pro-exchange-20.11"
KINDS = ["facts", "project", "schema", "waivers", "attestations", "plan"]
MAX_STDERR = 16384


def sha256_tree(d):
    out = {}
    for name in sorted(os.listdir(d)):
        p = os.path.join(d, name)
        with open(p, "rb") as f:
            out[name] = hashlib.sha256(f.read()).hexdigest()
    return out


def prefill(out):
    """The previous documents a failed run must leave untouched."""
    os.makedirs(out, exist_ok=True)
    for name in DOC_NAMES:
        with open(os.path.join(out, name), "wb") as f:
            f.write(("previous %s from an earlier assessment\n" % name).encode())


def read_expect(path):
    exp = {"exit": None, "mode": "both", "stderr": []}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, sep, val = line.partition(":")
            if sep and key in ("exit", "mode"):
                val = val.strip()
                exp[key] = int(val) if key == "exit" else val
            elif line.startswith("[") and "] " in line:
                mode, _, text = line[1:].partition("] ")
                exp["stderr"].append((mode, text))
            else:
                exp["stderr"].append((None, line))
    return exp


def load_xfail(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            pat, _, reason = line.partition(" ")
            out.append((pat, reason.strip()))
    return out


def xfail_reason(xfails, name):
    for pat, reason in xfails:
        if fnmatch.fnmatchcase(name, pat):
            return reason
    return None


class Runner:
    def __init__(self, args):
        self.a = args
        self.source = os.path.abspath(args.source)
        self.base = os.path.join(HERE, "base")

    def setup(self, work, kind, case):
        """Lays out a fresh folder for one case; returns paths."""
        if os.path.exists(work):
            shutil.rmtree(work)
        proj = os.path.join(work, "proj")
        os.makedirs(os.path.join(proj, "facts"))
        for h in ("mpe01", "cex19a"):
            shutil.copy(os.path.join(self.source, "samples/contoso-fabrikam/facts/%s.json" % h),
                        os.path.join(proj, "facts"))
        shutil.copy(os.path.join(self.base, "project.yaml"), proj)
        out = os.path.join(work, "out")
        prefill(out)
        p = {"work": work, "proj": proj, "project": os.path.join(proj, "project.yaml"),
             "out": out, "schemas": None, "extra": []}
        if kind == "facts":
            p["file"] = os.path.join(proj, "facts", "mpe01.json")
        elif kind == "project":
            p["file"] = p["project"]
        elif kind == "schema":
            p["schemas"] = os.path.join(work, "schemas")
            os.makedirs(p["schemas"])
            p["file"] = os.path.join(p["schemas"], SCHEMA_ID + ".yaml")
            p["extra"] = ["--schemas", p["schemas"]]
        elif kind in ("waivers", "attestations"):
            p["file"] = os.path.join(proj, kind + ".yaml")
            p["extra"] = ["--" + kind, p["file"]]
        elif kind == "plan":
            p["file"] = os.path.join(work, "plan.txt")
            with open(os.path.join(out, "facts.json"), "wb") as f:
                f.write(b"previous facts.json\n")
        if os.path.lexists(p["file"]):
            os.remove(p["file"])
        if os.path.getsize(case) > 1024 * 1024:
            os.symlink(case, p["file"])  # generated cases of megabytes are not copied
        else:
            shutil.copy(case, p["file"])
        return p

    def run(self, argv, cwd):
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        env["SOURCE_DATE_EPOCH"] = "1763625600"
        t0 = time.monotonic()
        try:
            r = subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=self.a.timeout)
            return r.returncode, r.stdout, r.stderr, time.monotonic() - t0
        except subprocess.TimeoutExpired as e:
            return None, e.stdout or b"", e.stderr or b"", time.monotonic() - t0

    def check(self, kind, case):
        name = os.path.relpath(case, self.a.cases)
        exp = read_expect(case + ".expect")
        if kind == "plan":
            modes = ["collect"]
        elif exp["mode"] == "both":
            modes = ["validate", "render"]
        else:
            modes = [exp["mode"]]
        results = []
        for mode in modes:
            work = os.path.join(self.a.work, kind, os.path.basename(case) + "." + mode)
            p = self.setup(work, kind, case)
            before = sha256_tree(p["out"])
            if mode == "validate":
                argv = [self.a.readykit, "validate", p["file"]]
                if p["schemas"]:
                    argv += ["--schemas", p["schemas"]]
            elif mode == "render":
                argv = [self.a.readykit, "render", p["project"], "-o", p["out"]] + p["extra"]
            else:
                if not self.a.collector:
                    results.append((name, mode, "FAIL", 0.0,
                                    ["no readykit-collect given (--collector): a plan case "
                                     "cannot run"]))
                    continue
                argv = [self.a.collector, "--probe-plan", p["file"], "--out",
                        os.path.join(p["out"], "facts.json"), "--timeout-ms", "200"]
            rc, so, se, dt = self.run(argv, work)
            err = se.decode("utf-8", "replace")
            problems = []
            want = exp["exit"] if exp["exit"] is not None else 3
            if rc is None:
                problems.append("did not finish within %ss (killed)" % self.a.timeout)
            elif rc != want:
                problems.append("exit %s, expected %d" % (rc, want))
            if dt > self.a.time_limit:
                problems.append("took %.2fs, more than %.1fs" % (dt, self.a.time_limit))
            for m in SANITIZER_MARKS:
                if m in err:
                    problems.append("sanitizer report: " + m)
                    break
            bad = [c for c in set(se) if (c < 0x20 and c not in (0x0A, 0x09, 0x0D)) or c == 0x7F]
            if kind in ("facts", "plan"):
                bad = [c for c in set(se) if (c < 0x20 and c != 0x0A) or c == 0x7F]
            if bad:
                problems.append("stderr has control characters %s" % sorted(bad))
            try:
                se.decode("utf-8")
            except UnicodeDecodeError as e:
                problems.append("stderr is not UTF-8: %s" % e)
            if len(se) > MAX_STDERR:
                problems.append("stderr is %d bytes; expected a short message" % len(se))
            for only, line in exp["stderr"]:
                if only and only != mode:
                    continue
                s = line.replace("{file}", p["file"]).replace("{dir}", os.path.dirname(p["file"]))
                if s not in err:
                    problems.append("stderr lacks %r" % s)
            after = sha256_tree(p["out"])
            if after != before:
                changed = sorted(set(before) ^ set(after) |
                                 {k for k in before if k in after and before[k] != after[k]})
                problems.append("output folder changed: " + ", ".join(changed))
            if problems:
                problems.append("stderr: " + err.strip()[-600:])
            results.append((name, mode, "FAIL" if problems else "PASS", dt, problems))
            if not problems and not self.a.keep:
                shutil.rmtree(work, ignore_errors=True)
        return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--readykit", required=True)
    ap.add_argument("--collector")
    ap.add_argument("--source", required=True, help="the source tree (samples, schemas)")
    ap.add_argument("--cases", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--work", required=True, help="scratch folder (emptied)")
    ap.add_argument("--xfail", default=os.path.join(HERE, "expected-failures.txt"))
    ap.add_argument("--time-limit", type=float, default=2.0)
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", default="*", help="glob over KIND/CASE")
    ap.add_argument("--keep", action="store_true", help="keep the folders of passing cases")
    ap.add_argument("--generate", action="store_true",
                    help="run the cases gen_huge.py writes (into WORK/cases) instead")
    a = ap.parse_args()
    a.readykit = os.path.abspath(a.readykit)
    if a.collector:
        a.collector = os.path.abspath(a.collector)
    a.work = os.path.abspath(a.work)
    a.cases = os.path.abspath(a.cases)
    if os.path.exists(a.work):
        shutil.rmtree(a.work)
    os.makedirs(a.work)
    if a.generate:
        a.cases = os.path.join(a.work, "cases")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_huge.py"), a.cases], check=True)
    runner = Runner(a)
    xfails = load_xfail(a.xfail)

    cases = []
    for kind in KINDS:
        d = os.path.join(a.cases, kind)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if f.endswith(".expect"):
                continue
            path = os.path.join(d, f)
            if not fnmatch.fnmatchcase(kind + "/" + f, a.only):
                continue
            if not os.path.exists(path + ".expect"):
                print("FAIL  %s/%s: no %s.expect beside it" % (kind, f, f))
                return 1
            cases.append((kind, path))
    if not cases:
        print("no cases under %s" % a.cases)
        return 1

    counts = {"PASS": 0, "FAIL": 0, "XFAIL": 0, "XPASS": 0}
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futs = [ex.submit(runner.check, k, c) for k, c in cases]
        for fut in futs:
            for name, mode, status, dt, problems in fut.result():
                reason = xfail_reason(xfails, name) or xfail_reason(xfails, name + ":" + mode)
                if reason and status == "FAIL":
                    status = "XFAIL"
                elif reason and status == "PASS":
                    status = "XPASS"
                counts[status] += 1
                line = "%-5s %-48s %-8s %5.2fs" % (status, name, mode, dt)
                if status == "XFAIL":
                    line += "  (known: %s)" % reason
                if status == "XPASS":
                    line += "  (passes now: remove it from expected-failures.txt)"
                print(line)
                if status == "FAIL":
                    for p in problems:
                        print("      " + p.replace("\n", "\n      "))
    print("\n%d cases: %d passed, %d failed, %d known failures, %d unexpectedly passed"
          % (len(cases), counts["PASS"], counts["FAIL"], counts["XFAIL"], counts["XPASS"]))
    if a.generate and not counts["FAIL"] and not a.keep:
        shutil.rmtree(a.work, ignore_errors=True)  # hundreds of megabytes
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
