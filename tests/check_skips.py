#!/usr/bin/env python3
"""check_skips.py - the skip gate: fails when a CTest run skipped a test (exit 77 with
SKIP_RETURN_CODE, a disabled test, a test that did not run) that tests/allowed-skips.txt
does not list. Reads the JUnit XML that `ctest --output-junit FILE` writes, one file per
run (the plain and the sanitizer build).

usage: check_skips.py --allowed FILE [--report-only] RUN=JUNIT.xml...

  RUN           a name for the run in messages (plain, sanitizer)
  --allowed     the allowed skips: one per line, the test's name, white space, the reason;
                '#' starts a comment; a line without a reason is an error
  --report-only list the skips but exit 0 (a developer without Wine, say); refused when the
                environment variable CI is set
Exit: 0 no unlisted skip, 1 an unlisted skip or a run that cannot be read, 2 bad usage or
a bad allowed-skips file.
"""
import argparse
import os
import sys
import xml.etree.ElementTree as ET


class GateError(Exception):
    """A run or the allowed-skips file cannot be used: the gate fails closed."""


def read_allowed(path):
    """{test name: reason} from the allowed-skips file; GateError on a bad line."""
    allowed = {}
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except OSError as e:
        raise GateError("cannot read %s: %s" % (path, e.strerror)) from None
    for n, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        parts = text.split(None, 1)
        if len(parts) < 2 or not parts[1].strip():
            raise GateError("%s:%d: %r has no reason; write 'TEST-NAME  why it may skip'"
                            % (path, n, parts[0]))
        if parts[0] in allowed:
            raise GateError("%s:%d: %s is listed twice" % (path, n, parts[0]))
        allowed[parts[0]] = parts[1].strip()
    return allowed


def skip_reason(case):
    """The reason a test did not run: CTest's message and the test's own SKIP line."""
    sk = case.find("skipped")
    msg = (sk.get("message") if sk is not None else None) or case.get("status", "")
    out = case.findtext("system-out") or ""
    own = next((l.strip() for l in out.split("\n") if "skip" in l.lower()), None)
    if own is None:
        own = next((l.strip() for l in out.split("\n") if l.strip()), "")
    if not own or msg in own:
        return own[:200] or msg
    return "%s: %s" % (msg, own[:200])


def read_run(path):
    """(number of tests, [(name, reason)] of tests that did not run) of a JUnit file."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        raise GateError("%s: cannot read CTest's JUnit output (%s); run ctest with "
                        "--output-junit" % (path, e)) from None
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    if root.tag not in ("testsuite", "testsuites") or not suites:
        raise GateError("%s: not a JUnit test suite (root <%s>)" % (path, root.tag))
    cases = [c for s in suites for c in s.findall("testcase")]
    if not cases:
        raise GateError("%s: no test ran; a run without tests cannot pass the gate" % path)
    skipped = []
    for c in cases:
        status = c.get("status", "")
        if status in ("notrun", "disabled") or c.find("skipped") is not None:
            skipped.append((c.get("name"), skip_reason(c)))
    return len(cases), skipped


def main(argv):
    ap = argparse.ArgumentParser(prog="check_skips.py", description=__doc__.split("\n")[0])
    ap.add_argument("--allowed", required=True)
    ap.add_argument("--report-only", action="store_true")
    ap.add_argument("runs", nargs="+", metavar="RUN=JUNIT.xml")
    a = ap.parse_args(argv[1:])
    if a.report_only and os.environ.get("CI"):
        print("check_skips: --report-only is refused when CI is set", file=sys.stderr)
        return 2
    try:
        allowed = read_allowed(a.allowed)
    except GateError as e:
        print("check_skips: %s" % e, file=sys.stderr)
        return 2
    unlisted, listed, seen, broken = [], [], set(), []
    for spec in a.runs:
        run, sep, path = spec.partition("=")
        if not sep or not run or not path:
            print("check_skips: %r is not RUN=JUNIT.xml" % spec, file=sys.stderr)
            return 2
        try:
            ntests, skipped = read_run(path)
        except GateError as e:
            broken.append("%s run: %s" % (run, e))
            continue
        print("check_skips: %s run: %d tests, %d did not run" % (run, ntests, len(skipped)))
        for name, reason in skipped:
            seen.add(name)
            (listed if name in allowed else unlisted).append((run, name, reason))
    for run, name, reason in listed:
        print("  allowed skip (%s): %s - %s [listed: %s]" % (run, name, reason, allowed[name]))
    for run, name, reason in unlisted:
        print("  SKIPPED, NOT ALLOWED (%s): %s - %s" % (run, name, reason))
    for b in broken:
        print("  CANNOT CHECK: %s" % b)
    for name in sorted(set(allowed) - seen):
        print("  note: %s is listed in %s but did not skip here" % (name, a.allowed))
    if unlisted:
        print("check_skips: %d skip(s) not listed in %s. Install what the test needs (see "
              "README, Tests) or, if the skip is acceptable, list it there with the reason."
              % (len(unlisted), a.allowed))
    if broken or (unlisted and not a.report_only):
        return 1
    if unlisted:
        print("check_skips: --report-only: not failing")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
