#!/usr/bin/env python3
"""check_ex2019_sample.py - renders samples/exchange-2019-target and checks what its
README promises: each host's verdict and the findings that are not a pass (the README's
"Findings to expect" table, read from the README itself), the problems the sample was
built around as the right findings, every planned collect item returned, and no warning.

Usage: check_ex2019_sample.py READYKIT SOURCE_DIR
"""
import json
import os
import re
import subprocess
import sys
import tempfile

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAIL: " + msg)


def readme_table(path):
    """{host: (verdict, {requirement: status})} from the "Findings to expect" table."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^## Findings to expect\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    if not m:
        raise SystemExit("FAIL: %s has no 'Findings to expect' section" % path)
    section = m.group(1)
    overall = re.search(r"Overall verdict: \*\*([a-z-]+)\*\*", section)
    hosts = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("host", "") or set(cells[0]) <= set("-"):
            continue
        host, verdict, failing, others = cells
        expect = {}
        for rid in re.findall(r"EX19-[A-Z0-9-]+", failing):
            expect[rid] = "fail"
        for rid, status in re.findall(r"(EX19-[A-Z0-9-]+) ([a-z-]+)", others):
            expect[rid] = status
        hosts[host] = (verdict, expect)
    return (overall.group(1) if overall else None), hosts


def main():
    readykit, source = sys.argv[1], sys.argv[2]
    sample = os.path.join(source, "samples", "exchange-2019-target")
    overall, table = readme_table(os.path.join(sample, "README.md"))
    if set(table) != {"exmbx01", "exmbx02", "exedge01", "dc01", "admin01"}:
        fail("README table names hosts %s" % sorted(table))

    with tempfile.TemporaryDirectory() as out:
        p = subprocess.run([readykit, "render", os.path.join(sample, "project.yaml"), "-o", out],
                           capture_output=True, text=True,
                           env=dict(os.environ, LC_ALL="C", TZ="UTC"))
        if p.returncode != 0:
            raise SystemExit("FAIL: render exited %d: %s" % (p.returncode, p.stderr))
        if p.stderr:
            fail("render warned: %r" % p.stderr)
        with open(os.path.join(out, "findings.json"), encoding="utf-8") as f:
            fj = json.load(f)

    facts = {}
    for h in fj["hosts"]:
        with open(os.path.join(sample, "facts", h["name"] + ".json"), encoding="utf-8") as f:
            facts[h["name"]] = json.load(f)
    status = {(x["host"], x["requirement"]): x["status"] for x in fj["findings"]}
    by_host = {}
    for x in fj["findings"]:
        by_host.setdefault(x["host"], {})[x["requirement"]] = x["status"]

    # 1. verdicts and the findings that are not a pass, exactly as the README states them
    if fj["verdict"] != overall:
        fail("overall verdict %s, the README says %s" % (fj["verdict"], overall))
    for h in fj["hosts"]:
        name = h["name"]
        want_verdict, want = table.get(name, (None, {}))
        if h["verdict"] != want_verdict:
            fail("%s: verdict %s, the README says %s" % (name, h["verdict"], want_verdict))
        got = {r: s for r, s in by_host.get(name, {}).items()
               if s not in ("pass", "not-applicable", "attested")}
        if got != want:
            fail("%s: findings that are not a pass %s, the README says %s" % (name, got, want))

    # 2. the problems the sample was built around, as the findings that name them
    def expect(host, req, want, why):
        got = status.get((host, req))
        if got != want:
            fail("%s %s is %s, expected %s (%s)" % (host, req, got, want, why))

    mbx01, mbx02 = facts["exmbx01"]["collected"], facts["exmbx02"]["collected"]
    # missing UCMA runtime and URL Rewrite module on exmbx02, present on exmbx01
    if mbx02.get("ucma4", 0) is not None or mbx02.get("url_rewrite", 0) is not None:
        fail("exmbx02: ucma4 and url_rewrite are not collected as absent (null)")
    expect("exmbx02", "EX19-SW-UCMA", "fail", "UCMA 4.0 runtime not installed")
    expect("exmbx02", "EX19-SW-URLREWRITE", "fail", "URL Rewrite module absent")
    expect("exmbx01", "EX19-SW-UCMA", "pass", "installed there")
    expect("exmbx01", "EX19-SW-URLREWRITE", "pass", "installed there")
    # page file not set on exmbx01 (managed by Windows), fixed at 25% on exmbx02
    if mbx01.get("paging_files") != ["?:\\pagefile.sys"]:
        fail("exmbx01: PagingFiles is %r, expected Windows-managed ?:\\pagefile.sys"
             % mbx01.get("paging_files"))
    expect("exmbx01", "EX19-HW-PAGEFILE-FIXED", "fail", "page file managed by Windows")
    expect("exmbx01", "EX19-HW-PAGEFILE-SIZE", "fail", "9.5 GiB is not 25% of 128 GiB")
    expect("exmbx02", "EX19-HW-PAGEFILE-FIXED", "pass", "32768 MB fixed")
    expect("exmbx02", "EX19-HW-PAGEFILE-SIZE", "pass", "32 GiB is 25% of 128 GiB")
    # one server a CU behind: exmbx01 on CU14 with its last SU, the others on CU15
    if not mbx01.get("exsetup_version", "").startswith("15.2.1544."):
        fail("exmbx01: ExSetup.exe %r is not a CU14 build" % mbx01.get("exsetup_version"))
    expect("exmbx01", "EX19-BUILD-CU15", "fail", "CU14 is one CU behind the target CU15")
    expect("exmbx01", "EX19-BUILD-SU", "pass", "CU14 with the October 2025 SU is current for CU14")
    for host in ("exmbx02", "exedge01"):
        expect(host, "EX19-BUILD-CU15", "pass", "CU15")
        expect(host, "EX19-BUILD-SU", "pass", "CU15 with the October 2025 SU")
    # the other CUs' variants do not apply to a CU15 project
    for (host, req), st in status.items():
        if re.search(r"-CU1[34]$", req) and st != "not-applicable":
            fail("%s %s is %s with target_cu CU15" % (host, req, st))

    # 3. every planned collect item came back, as the inputs appendix and findings.json say
    counts = {"exmbx01": 45, "exmbx02": 45, "exedge01": 6, "dc01": 0, "admin01": 1}
    for inp in fj["inputs"]:
        if inp["kind"] != "facts":
            continue
        plan = inp.get("plan") or {}
        host = inp["host"]
        if len(plan.get("planned", [])) != counts[host]:
            fail("%s: %d items planned, expected %d" % (host, len(plan.get("planned", [])),
                                                        counts[host]))
        if plan.get("not_returned") or plan.get("old_plan"):
            fail("%s: not returned %s, old plan %s" % (host, plan.get("not_returned"),
                                                        plan.get("old_plan")))
        if plan.get("planned") != facts[host]["plan"]["items"]:
            fail("%s: the fact file's plan items differ from the schema's plan" % host)

    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        return 1
    print("ok: %d hosts, verdict %s, as the sample's README says" % (len(fj["hosts"]), fj["verdict"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
