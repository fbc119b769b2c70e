#!/usr/bin/env python3
"""check_inventory.py - nothing drops out of the test suite unnoticed: every test area is
named in tests/CMakeLists.txt, no CMakeLists.txt under tests/ adds tests only when a file
happens to exist (if(EXISTS), file(GLOB), continue()), every C source of an area is built,
every fuzz target is in tests/fuzz/run.sh's list and every probe-plan golden file is read
by a test.

usage: check_inventory.py SOURCE_DIR      (exit 0 pass, 1 fail)
"""
import os
import re
import sys

problems = []


def problem(where, what):
    problems.append("%s: %s" % (where, what))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def cmake_code(text):
    """CMake text without comments (a '#' outside quotes up to the end of the line)."""
    return "\n".join(re.sub(r'#(?=(?:[^"]*"[^"]*")*[^"]*$).*', "", l) for l in text.split("\n"))


def areas_listed(tests_cmake):
    return re.findall(r"^\s*add_subdirectory\(\s*([\w.-]+)\s*\)", cmake_code(tests_cmake), re.M)


def built_sources(cmake):
    """Names of C sources a CMakeLists.txt builds: literal file names, and test_${v}.c over
    the items of foreach(v ...)."""
    code = cmake_code(cmake)
    names = set(re.findall(r"([\w.-]+\.c)\b", code))
    for var, items in re.findall(r"foreach\(\s*(\w+)\s+([^)]*)\)", code):
        for m in re.finditer(r"([\w-]*)\$\{%s\}([\w-]*)\.c\b" % re.escape(var), code):
            for item in items.split():
                names.add("%s%s%s.c" % (m.group(1), item, m.group(2)))
    return names


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    src = os.path.abspath(argv[1])
    tests = os.path.join(src, "tests")
    top = read(os.path.join(tests, "CMakeLists.txt"))

    # 1. every area with a CMakeLists.txt is named, each exactly once
    listed = areas_listed(top)
    for a in sorted(set(listed)):
        if listed.count(a) > 1:
            problem("tests/CMakeLists.txt", "area %s is added %d times" % (a, listed.count(a)))
    present = sorted(d for d in os.listdir(tests)
                     if os.path.isfile(os.path.join(tests, d, "CMakeLists.txt")))
    for a in present:
        if a not in listed:
            problem("tests/CMakeLists.txt", "tests/%s has a CMakeLists.txt but is not added "
                    "(add_subdirectory(%s))" % (a, a))
    if len(listed) < 5:
        problem("tests/CMakeLists.txt", "only %d areas added: %r" % (len(listed), listed))

    # 2. no conditional registration on the presence of a file, no globbing
    for root, _dirs, files in os.walk(tests):
        if "CMakeLists.txt" not in files:
            continue
        path = os.path.join(root, "CMakeLists.txt")
        rel = os.path.relpath(path, src)
        code = cmake_code(read(path))
        for pat, what in ((r"\bif\s*\(\s*(NOT\s+)?EXISTS\b", "if(EXISTS ...)"),
                          (r"\bfile\s*\(\s*GLOB", "file(GLOB ...)"),
                          (r"\bcontinue\s*\(\s*\)", "continue()")):
            for m in re.finditer(pat, code):
                line = code.count("\n", 0, m.start()) + 1
                problem("%s:%d" % (rel, line), "%s: tests must be listed explicitly, not "
                        "depend on which files exist" % what)

    # 3. every C source at the top of an area is built by that area's CMakeLists.txt
    #    (fuzz targets by run.sh, the collector's Windows helper by wine_test.py)
    fuzz_sh = read(os.path.join(tests, "fuzz", "run.sh"))
    m = re.search(r'^all_targets="([^"]*)"', fuzz_sh, re.M)
    fuzz_targets = m.group(1).split() if m else []
    if not fuzz_targets:
        problem("tests/fuzz/run.sh", "no all_targets=\"...\" list")
    for a in present:
        adir = os.path.join(tests, a)
        cm = read(os.path.join(adir, "CMakeLists.txt"))
        built = built_sources(cm)
        scripts = "".join(read(os.path.join(adir, f)) for f in sorted(os.listdir(adir))
                          if f.endswith((".py", ".sh")))
        for f in sorted(os.listdir(adir)):
            if not f.endswith(".c"):
                continue
            if a == "fuzz" and f.startswith("fuzz_"):
                if f[:-2] not in fuzz_targets:
                    problem("tests/fuzz/%s" % f, "not in run.sh's all_targets")
                continue
            if f in built or re.search(r"\b%s\b" % re.escape(f), scripts):
                continue
            problem("tests/%s/%s" % (a, f), "no test builds this source (name it in "
                    "tests/%s/CMakeLists.txt)" % a)
    for t in fuzz_targets:
        if not os.path.isfile(os.path.join(tests, "fuzz", t + ".c")):
            problem("tests/fuzz/run.sh", "target %s has no source %s.c" % (t, t))

    # 4. every probe-plan golden file is compared by test_plan.c
    plan_c = read(os.path.join(tests, "firewall", "test_plan.c"))
    gdir = os.path.join(tests, "firewall", "golden")
    goldens = sorted(g for g in os.listdir(gdir) if not g.startswith("."))
    if not goldens:
        problem("tests/firewall/golden", "empty")
    for g in goldens:
        if '"%s"' % g not in plan_c:
            problem("tests/firewall/golden/%s" % g, "no test compares it (test_plan.c)")

    for p in problems:
        print("FAIL " + p)
    if problems:
        print("%d problem(s)" % len(problems))
        return 1
    print("ok: %d areas, %d fuzz targets, %d plan golden files" %
          (len(listed), len(fuzz_targets), len(goldens)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
