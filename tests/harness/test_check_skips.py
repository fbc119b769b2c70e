#!/usr/bin/env python3
"""test_check_skips.py - the skip gate (tests/check_skips.py) fails when it should: on a
small CTest project that passes, skips (exit 77), disables and misses a test, on
hand-written JUnit files, on bad allowed-skips files, and `make test` wires it to both
CTest runs.

usage: test_check_skips.py SOURCE_DIR WORKDIR
"""
import os
import shutil
import subprocess
import sys
import textwrap
import unittest

SRC = WORK = None
GATE = None

FAKE_PROJECT = """\
cmake_minimum_required(VERSION 3.20)
project(fake_suite NONE)
enable_testing()
add_test(NAME passes COMMAND sh -c "echo fine")
add_test(NAME needs_wine COMMAND sh -c "echo 'SKIP: wine64 not installed'; exit 77")
set_tests_properties(needs_wine PROPERTIES SKIP_RETURN_CODE 77)
add_test(NAME switched_off COMMAND sh -c "exit 0")
set_tests_properties(switched_off PROPERTIES DISABLED TRUE)
add_test(NAME "odd <name> & more" COMMAND sh -c "exit 0")
"""


def gate(*args, env=None):
    e = dict(os.environ)
    e.pop("CI", None)
    e.update(env or {})
    p = subprocess.run([sys.executable, GATE] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, env=e, timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def write(name, text):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(textwrap.dedent(text))
    return path


class FakeSuite(unittest.TestCase):
    """A real CTest run and its JUnit output."""

    @classmethod
    def setUpClass(cls):
        proj = os.path.join(WORK, "fake")
        os.makedirs(proj, exist_ok=True)
        with open(os.path.join(proj, "CMakeLists.txt"), "w") as f:
            f.write(FAKE_PROJECT)
        build = os.path.join(WORK, "fake-build")
        subprocess.run(["cmake", "-S", proj, "-B", build], check=True,
                       stdout=subprocess.DEVNULL)
        cls.junit = os.path.join(WORK, "fake-junit.xml")
        if os.path.exists(cls.junit):
            os.remove(cls.junit)
        p = subprocess.run(["ctest", "--output-junit", cls.junit], cwd=build,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        # CTest itself passes: skipped and disabled tests are not failures to it
        assert p.returncode == 0, p.stdout.decode()
        cls.none = write("allow-none.txt", "# nothing may skip\n\n")

    def test_unlisted_skip_fails_and_says_why(self):
        rc, out = gate("--allowed", self.none, "plain=" + self.junit)
        self.assertEqual(rc, 1, out)
        self.assertIn("SKIPPED, NOT ALLOWED (plain): needs_wine", out)
        self.assertIn("wine64 not installed", out)
        self.assertIn("SKIPPED, NOT ALLOWED (plain): switched_off", out)
        self.assertNotIn("passes", out.replace("plain run", ""))

    def test_listed_skips_pass(self):
        allow = write("allow-both.txt", """\
            # reasons are required
            needs_wine     the build host has no Wine   # trailing comment
            switched_off   disabled until the fixture is rewritten
            """)
        rc, out = gate("--allowed", allow, "plain=" + self.junit)
        self.assertEqual(rc, 0, out)
        self.assertIn("allowed skip (plain): needs_wine", out)

    def test_one_listed_one_not(self):
        allow = write("allow-one.txt", "needs_wine  no Wine here\n")
        rc, out = gate("--allowed", allow, "plain=" + self.junit)
        self.assertEqual(rc, 1, out)
        self.assertIn("NOT ALLOWED (plain): switched_off", out)
        self.assertNotIn("NOT ALLOWED (plain): needs_wine", out)

    def test_every_run_is_checked(self):
        allow = write("allow-both2.txt", "needs_wine  x\nswitched_off  y\n")
        clean = write("clean.xml", """\
            <testsuite tests="1"><testcase name="passes" status="run"/></testsuite>
            """)
        rc, out = gate("--allowed", self.none, "plain=" + clean, "sanitizer=" + self.junit)
        self.assertEqual(rc, 1, out)
        self.assertIn("NOT ALLOWED (sanitizer): needs_wine", out)
        rc, out = gate("--allowed", allow, "plain=" + clean, "sanitizer=" + self.junit)
        self.assertEqual(rc, 0, out)

    def test_missing_run_fails(self):
        rc, out = gate("--allowed", self.none, "plain=" + self.junit,
                       "sanitizer=" + os.path.join(WORK, "no-such.xml"))
        self.assertEqual(rc, 1, out)
        self.assertIn("CANNOT CHECK: sanitizer run", out)

    def test_report_only(self):
        rc, out = gate("--allowed", self.none, "--report-only", "plain=" + self.junit)
        self.assertEqual(rc, 0, out)
        self.assertIn("NOT ALLOWED (plain): needs_wine", out)
        rc, out = gate("--allowed", self.none, "--report-only", "plain=" + self.junit,
                       env={"CI": "1"})
        self.assertEqual(rc, 2, out)
        self.assertIn("refused when CI is set", out)


class HandWritten(unittest.TestCase):
    """JUnit shapes CTest writes, and broken inputs: the gate fails closed."""

    def setUp(self):
        self.none = write("allow-none2.txt", "")

    def test_missing_executable_and_fixture_are_not_run(self):
        j = write("notrun.xml", """\
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuite name="x" tests="3">
              <testcase name="ok" status="run"><system-out/></testcase>
              <testcase name="gone" status="notrun">
                <skipped message="Unable to find executable"/></testcase>
              <testcase name="fixture" status="notrun">
                <skipped message="Fixture dependency failed"/></testcase>
            </testsuite>
            """)
        rc, out = gate("--allowed", self.none, "plain=" + j)
        self.assertEqual(rc, 1, out)
        self.assertIn("gone - Unable to find executable", out)
        self.assertIn("fixture - Fixture dependency failed", out)

    def test_skipped_element_alone_counts(self):
        j = write("skipel.xml", """\
            <testsuites><testsuite tests="1">
              <testcase name="t"><skipped message="SKIP_RETURN_CODE=77"/></testcase>
            </testsuite></testsuites>
            """)
        rc, out = gate("--allowed", self.none, "plain=" + j)
        self.assertEqual(rc, 1, out)
        self.assertIn("NOT ALLOWED (plain): t", out)

    def test_no_tests_fails(self):
        j = write("empty.xml", '<testsuite name="(empty)" tests="0"></testsuite>\n')
        rc, out = gate("--allowed", self.none, "plain=" + j)
        self.assertEqual(rc, 1, out)
        self.assertIn("no test ran", out)

    def test_garbage_fails(self):
        j = write("garbage.xml", "<testsuite><testcase name='a'>\n")
        rc, out = gate("--allowed", self.none, "plain=" + j)
        self.assertEqual(rc, 1, out)
        self.assertIn("CANNOT CHECK", out)

    def test_all_passed_passes(self):
        j = write("pass.xml", """\
            <testsuite tests="2"><testcase name="a" status="run"/>
            <testcase name="b" status="run"/></testsuite>
            """)
        rc, out = gate("--allowed", self.none, "plain=" + j)
        self.assertEqual(rc, 0, out)

    def test_bad_allowed_files(self):
        j = write("pass2.xml", '<testsuite tests="1"><testcase name="a" status="run"/></testsuite>\n')
        for text, what in (("needs_wine\n", "has no reason"),
                           ("needs_wine   # only a comment\n", "has no reason"),
                           ("a  x\na  y\n", "listed twice")):
            allow = write("bad-allow.txt", text)
            rc, out = gate("--allowed", allow, "plain=" + j)
            self.assertEqual(rc, 2, out)
            self.assertIn(what, out)
        rc, out = gate("--allowed", os.path.join(WORK, "no-such.txt"), "plain=" + j)
        self.assertEqual(rc, 2, out)


class Wiring(unittest.TestCase):
    """`make test` writes JUnit for both CTest runs and runs the gate over both."""

    def test_make_test_runs_the_gate(self):
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "CI", "ALLOW_SKIPS")}
        p = subprocess.run(["make", "-n", "-C", SRC, "test", "BUILD=b1", "ASAN_BUILD=b2"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        out = p.stdout.decode()
        self.assertEqual(p.returncode, 0, out)
        cmds = out.replace("\\\n", " ")
        ctests = [l for l in cmds.split("\n") if "ctest " in l]
        self.assertEqual(len(ctests), 2, ctests)
        self.assertIn("--output-junit %s/b1/ctest-junit.xml" % SRC, ctests[0])
        self.assertIn("--output-junit %s/b2/ctest-junit.xml" % SRC, ctests[1])
        gates = [l for l in cmds.split("\n") if "tests/check_skips.py" in l]
        self.assertEqual(len(gates), 1, out)
        self.assertIn("--allowed tests/allowed-skips.txt", gates[0])
        self.assertIn("plain=b1/ctest-junit.xml", gates[0])
        self.assertIn("sanitizer=b2/ctest-junit.xml", gates[0])
        self.assertNotIn("--report-only", gates[0])
        # stale results cannot pass: both files are removed before the runs
        self.assertLess(cmds.index("rm -f b1/ctest-junit.xml b2/ctest-junit.xml"),
                        cmds.index(ctests[0]))

    def test_ci_exports_ci(self):
        with open(os.path.join(SRC, ".ci", "run"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("export CI=1", text)
        self.assertIn("make test", text)

    def test_allowed_file_is_well_formed(self):
        sys.path.insert(0, os.path.dirname(GATE))
        import check_skips
        check_skips.read_allowed(os.path.join(SRC, "tests", "allowed-skips.txt"))


def main():
    global SRC, WORK, GATE
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    SRC = os.path.abspath(sys.argv[1])
    WORK = os.path.abspath(sys.argv[2])
    GATE = os.path.join(SRC, "tests", "check_skips.py")
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    sys.dont_write_bytecode = True
    r = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    return 0 if r.wasSuccessful() and r.testsRun else 1


if __name__ == "__main__":
    sys.exit(main())
