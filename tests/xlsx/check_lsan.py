#!/usr/bin/env python3
"""check_lsan.py - lsan.supp hides only what libxlsxwriter itself leaks: with the
LSAN_OPTIONS the xlsx tests run under (sanitizer build), lsan_probe's leaks through our
own code (lxw_strdup and rk_xstrdup memory) are reported, while the library's
list-validation leak is suppressed - by the narrow rule, which must still be needed.
As a control, the old rule (leak:lxw_strdup) would have hidden our lxw_strdup leak.

usage: check_lsan.py LSAN_PROBE SUPPRESSIONS WORKDIR   (LSAN_OPTIONS from the environment)
"""
import os
import re
import subprocess
import sys


def run(probe, args, lsan_options):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
               LSAN_OPTIONS=lsan_options)
    p = subprocess.run([probe] + args, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def main(argv):
    if len(argv) != 4:
        print(__doc__)
        return 2
    probe, supp, work = argv[1:]
    opts = os.environ.get("LSAN_OPTIONS", "")
    problems = []
    if "suppressions=%s" % supp not in opts:
        problems.append("LSAN_OPTIONS %r does not name %s" % (opts, supp))
    if "fast_unwind_on_malloc=0" not in opts:
        problems.append("LSAN_OPTIONS %r lacks fast_unwind_on_malloc=0: libxlsxwriter's "
                        "frames would be missing from the stacks" % opts)

    # 1. our code leaking lxw_strdup or rk_xstrdup memory is reported
    for mode, frame in (("ours-lxw", "lxw_strdup"), ("ours-rk", "rk_xstrdup")):
        rc, err = run(probe, [mode], opts)
        if rc == 0 or "ERROR: LeakSanitizer" not in err:
            problems.append("%s: our leak was not reported (exit %d)\n%s" % (mode, rc, err))
        elif frame not in err:
            problems.append("%s: reported, but %s is not in the stack\n%s" % (mode, frame, err))
        else:
            print("ok: %s: our leak through %s is reported" % (mode, frame))

    # 2. the library's own leak is suppressed, and the rule is what suppresses it
    os.makedirs(work, exist_ok=True)
    rc, err = run(probe, ["library", os.path.join(work, "probe.xlsx")],
                  opts + ":print_suppressions=1")
    used = re.search(r"^\s*(\d+)\s+\d+\s+worksheet_data_validation_range\s*$", err, re.M)
    if rc != 0 or "ERROR: LeakSanitizer" in err:
        problems.append("library: exit %d, its leak is not suppressed\n%s" % (rc, err))
    elif not used:
        problems.append("library: nothing was suppressed by worksheet_data_validation_range; "
                        "if libxlsxwriter no longer leaks, remove the rule from %s\n%s"
                        % (supp, err))
    else:
        print("ok: library: libxlsxwriter's validation range leak is suppressed (%s)"
              % used.group(1))

    # 3. control: the former rule would have hidden our own lxw_strdup leak
    broad = os.path.join(work, "broad.supp")
    with open(broad, "w") as f:
        f.write("leak:lxw_strdup\n")
    rc, err = run(probe, ["ours-lxw"], re.sub(r"(^|:)suppressions=[^:]*", r"\1suppressions=" + broad, opts))
    if rc != 0:
        problems.append("control: leak:lxw_strdup did not hide the probe's leak, so the probe "
                        "does not leak what that rule matched (exit %d)\n%s" % (rc, err))
    else:
        print("ok: control: the former rule leak:lxw_strdup hides that same leak")

    for p in problems:
        print("FAIL: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
