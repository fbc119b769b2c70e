#!/usr/bin/python3
"""Installation and Debian package tests.

  packaging_test.py install --build DIR --source DIR --workdir DIR
      `cmake --install` into a staging folder (prefix /usr, and a second one under
      /opt): the expected files are there, and the installed readykit renders the
      installed sample with the installed schemas and templates. The staged schema is
      changed by one comment line, so its SHA-256 in findings.json proves which copy was
      read (the source tree stays where it is and would be found too); a staged template
      removed makes `--lang de` fail naming the staged path.
  packaging_test.py deb --build DIR --workdir DIR
      `cpack -G DEB`: the control fields, the runtime dependencies, the file list; the
      package unpacked with `dpkg -x` renders the sample; with apt's package lists, apt
      resolves the package on a system where nothing is installed.
  packaging_test.py fresh-root --workdir DIR
      (after `deb`) a root folder holding only the package and the files of its
      dependency closure (taken from this machine's installed packages), entered with
      chroot in a private mount namespace: readykit render works on the sample there.
      Needs root and unshare; skipped (77) otherwise.
  packaging_test.py windows-zip --source DIR --workdir DIR
      collector/build-windows.sh: the zip for a customer's administrator holds the exe,
      README-customer.txt (CRLF) and a SHA-256 file that matches the exe, in one folder;
      a second run gives the same zip. Needs mingw-w64; skipped (77) otherwise.
"""
import argparse
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

SKIP = 77
SCHEMA = "migrator-pro-exchange-20.11.yaml"
SAMPLE = "samples/contoso-fabrikam/project.yaml"
RUNTIME = ["libc6", "libyaml-0-2", "libcjson1", "libxlsxwriter4", "libhpdf-2.3.0", "libssl3",
           "fonts-dejavu-core"]
DOCS = ["findings.json", "readiness.pdf", "readiness.xlsx", "firewall.pdf", "firewall.xlsx",
        "firewall.csv", "SHA256SUMS"]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def sh(cmd, env=None, cwd=None, check=True, stderr=subprocess.STDOUT):
    print("$ " + " ".join(cmd), flush=True)
    p = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=stderr, text=True)
    if check and p.returncode != 0:
        print(p.stdout)
        fail("%s: exit %d" % (cmd[0], p.returncode))
    return p


def clean_env():
    env = dict(os.environ)
    env.pop("READYKIT_DATA", None)
    env.pop("DESTDIR", None)
    env["LC_ALL"] = "C.UTF-8"
    env["SOURCE_DATE_EPOCH"] = "1800000000"
    return env


def fresh(d):
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def render_sample(exe, share, out, env, extra=()):
    """Renders the installed sample with the installed exe; returns findings.json."""
    fresh(out)
    p = sh([exe, "render", os.path.join(share, "samples/contoso-fabrikam/project.yaml"), "-o", out]
           + list(extra), env=env)
    for d in DOCS:
        if not os.path.isfile(os.path.join(out, d)) or os.path.getsize(os.path.join(out, d)) == 0:
            print(p.stdout)
            fail("render wrote no %s" % d)
    with open(os.path.join(out, "findings.json")) as f:
        return json.load(f)


def schema_input(findings):
    for i in findings.get("inputs", []):
        if i.get("kind") == "schema":
            return i
    fail("findings.json names no schema input")


def check_tree(root, prefix):
    need = ["bin/readykit", "bin/readykit-collect",
            "share/readykit/schemas/" + SCHEMA, "share/readykit/schemas/facts.schema.json",
            "share/readykit/schemas/README.md",
            "share/readykit/templates/en.yaml", "share/readykit/templates/de.yaml",
            "share/readykit/samples/contoso-fabrikam/project.yaml",
            "share/readykit/samples/contoso-fabrikam/facts/mpe01.json",
            "share/readykit/ansible/collect.yml",
            "share/readykit/ansible/roles/readykit_collect/tasks/main.yml",
            "share/doc/readykit/README.md"]
    for n in need:
        p = os.path.join(root, prefix.lstrip("/"), n)
        if not os.path.isfile(p):
            fail("not installed: %s/%s" % (prefix, n))
    for exe in ("bin/readykit", "bin/readykit-collect"):
        if not os.access(os.path.join(root, prefix.lstrip("/"), exe), os.X_OK):
            fail("not executable: " + exe)


def installed_run(base, work, env, label, source):
    """base is the installed prefix on disk (…/stage/usr or …/opt/readykit)."""
    exe = os.path.join(base, "bin/readykit")
    share = os.path.join(base, "share/readykit")
    p = sh([exe, "--version"], env=env)
    print(p.stdout.strip())
    collect = sh([os.path.join(base, "bin/readykit-collect")], env=env)
    json.loads(collect.stdout)

    # Mark the installed schema: a comment changes its SHA-256, nothing else.
    staged = os.path.join(share, "schemas", SCHEMA)
    with open(staged, "a") as f:
        f.write("\n# installed copy (%s)\n" % label)
    want = sha256(staged)
    if want == sha256(os.path.join(source, "schemas", SCHEMA)):
        fail("the marked schema has the source tree's hash")
    findings = render_sample(exe, share, os.path.join(work, "out-" + label), env)
    got = schema_input(findings).get("sha256")
    if got != want:
        fail("%s: readykit read a schema with SHA-256 %s, not the installed one (%s)"
             % (label, got, want))
    print("ok: %s: the installed readykit read the installed schema" % label)

    # Templates: without the installed de.yaml, --lang de fails and names that file.
    tmpl = os.path.join(share, "templates", "de.yaml")
    os.rename(tmpl, tmpl + ".away")
    try:
        out = os.path.join(work, "out-" + label + "-de")
        fresh(out)
        p = sh([exe, "render", os.path.join(share, "samples/contoso-fabrikam/project.yaml"),
                "-o", out, "--lang", "de"], env=env, check=False)
        looked = [os.path.normpath(m) for m in re.findall(r"(/\S*templates)\b", p.stdout)]
        if p.returncode == 0 or os.path.join(share, "templates") not in looked:
            print(p.stdout)
            fail("%s: readykit did not look for its templates in %s" % (label, share))
    finally:
        os.rename(tmpl + ".away", tmpl)
    findings = render_sample(exe, share, os.path.join(work, "out-" + label + "-de"), env,
                             ["--lang", "de"])
    print("ok: %s: the installed readykit read the installed templates" % label)


def cmd_install(a):
    work = os.path.abspath(a.workdir)
    fresh(work)
    env = clean_env()

    stage = os.path.join(work, "stage")
    denv = dict(env, DESTDIR=stage)
    sh(["cmake", "--install", a.build, "--prefix", "/usr"], env=denv)
    check_tree(stage, "/usr")
    installed_run(os.path.join(stage, "usr"), work, env, "usr", a.source)

    opt = os.path.join(work, "opt", "readykit")
    sh(["cmake", "--install", a.build, "--prefix", opt], env=env)
    check_tree("/", opt)
    installed_run(opt, work, env, "opt", a.source)
    print("ok: cmake --install")


def deb_path(work):
    debs = glob.glob(os.path.join(work, "readykit_*.deb"))
    if len(debs) != 1:
        fail("expected one readykit_*.deb in %s, found %r" % (work, debs))
    return debs[0]


def cmd_deb(a):
    for tool in ("cpack", "dpkg-deb"):
        if not shutil.which(tool):
            print("SKIP: %s is not installed" % tool)
            sys.exit(SKIP)
    work = os.path.abspath(a.workdir)
    fresh(work)
    env = clean_env()
    sh(["cpack", "-G", "DEB", "--config", os.path.join(a.build, "CPackConfig.cmake"), "-B", work],
       env=env, cwd=work)
    deb = deb_path(work)
    print(deb)

    info = sh(["dpkg-deb", "-I", deb], env=env).stdout
    print(info)
    fields = {}
    for line in info.splitlines():
        m = re.match(r"^ ([A-Za-z-]+): (.*)$", line)
        if m:
            fields[m.group(1)] = m.group(2)
    if fields.get("Package") != "readykit":
        fail("Package is %r" % fields.get("Package"))
    for k in ("Version", "Maintainer", "Description", "Architecture"):
        if not fields.get(k):
            fail("no %s field" % k)
    deps = [d.strip().split()[0] for d in fields.get("Depends", "").split(",") if d.strip()]
    missing = [d for d in RUNTIME if d not in deps]
    if missing:
        fail("Depends lacks %s: %s" % (", ".join(missing), fields.get("Depends")))

    listing = sh(["dpkg-deb", "-c", deb], env=env).stdout
    files = set(l.split()[-1].lstrip(".") for l in listing.splitlines() if l.strip())
    files |= set(l.split()[-3].lstrip(".") for l in listing.splitlines() if " -> " in l)
    for f in ("/usr/bin/readykit", "/usr/bin/readykit-collect",
              "/usr/share/readykit/schemas/" + SCHEMA, "/usr/share/readykit/schemas/facts.schema.json",
              "/usr/share/readykit/templates/en.yaml", "/usr/share/readykit/templates/de.yaml",
              "/usr/share/readykit/samples/contoso-fabrikam/project.yaml",
              "/usr/share/readykit/ansible/collect.yml", "/usr/share/doc/readykit/README.md"):
        if f not in files:
            fail("the package does not contain " + f)
    if any(not f.startswith("/usr/") and f not in ("/", "/usr/") for f in files):
        fail("the package has files outside /usr: %r" % sorted(f for f in files
                                                                 if not f.startswith("/usr/")))

    root = os.path.join(work, "root")
    fresh(root)
    sh(["dpkg-deb", "-x", deb, root], env=env)
    findings = render_sample(os.path.join(root, "usr/bin/readykit"),
                             os.path.join(root, "usr/share/readykit"), os.path.join(work, "out"), env)
    if findings.get("verdict") != "not-ready":
        fail("the sample's verdict is %r" % findings.get("verdict"))
    print("ok: the unpacked package renders the sample")

    # apt resolves the package's dependencies as on a machine where nothing is installed.
    if glob.glob("/var/lib/apt/lists/*_Packages*"):
        empty = os.path.join(work, "empty-status")
        open(empty, "w").close()
        p = sh(["apt-get", "install", "-s", "-o", "Dir::State::status=" + empty, deb],
               env=env, check=False)
        inst = set(re.findall(r"^Inst (\S+)", p.stdout, re.M))
        if p.returncode != 0 or "readykit" not in inst or any(d not in inst for d in RUNTIME):
            print(p.stdout)
            fail("apt cannot install the package on an empty system")
        print("ok: apt resolves the package on an empty system: " + " ".join(sorted(inst)))
    else:
        print("note: no apt package lists (apt-get update); resolution check not run")
    print("ok: cpack -G DEB")


def closure(names):
    """The installed packages a fresh system would get for these names: Pre-Depends and
    Depends, recursively, the first installed package of each alternative."""
    seen, todo = [], list(names)
    while todo:
        n = todo.pop(0)
        if n in seen:
            continue
        p = subprocess.run(["dpkg-query", "-W", "-f=${Status}\t${Pre-Depends}, ${Depends}", n],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if p.returncode != 0 or not p.stdout.startswith("install ok installed"):
            return None, n
        seen.append(n)
        for dep in p.stdout.split("\t", 1)[1].split(","):
            alts = [x.strip().split()[0].split(":")[0] for x in dep.split("|") if x.strip()]
            if not alts:
                continue
            for alt in alts:
                q = subprocess.run(["dpkg-query", "-W", "-f=${Status}", alt],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                if q.stdout.startswith("install ok installed"):
                    todo.append(alt)
                    break
            else:
                return None, alts[0]
    return seen, None


def copy_package_files(pkg, root):
    out = subprocess.run(["dpkg", "-L", pkg], stdout=subprocess.PIPE, text=True, check=True).stdout
    for path in out.splitlines():
        if not path.startswith("/") or path == "/.":
            continue
        if os.path.islink(path) or os.path.isfile(path):
            dest = os.path.join(root, path.lstrip("/"))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            if os.path.lexists(dest):
                continue
            if os.path.islink(path):
                os.symlink(os.readlink(path), dest)
            else:
                shutil.copy2(path, dest)


def cmd_fresh_root(a):
    work = os.path.abspath(a.workdir)
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("chroot"):
        print("SKIP: needs root, unshare and chroot")
        sys.exit(SKIP)
    deb = deb_path(work)
    info = subprocess.run(["dpkg-deb", "-f", deb, "Depends"], stdout=subprocess.PIPE, text=True,
                          check=True).stdout
    names = [d.strip().split()[0] for d in info.split(",") if d.strip()]
    pkgs, missing = closure(names)
    if pkgs is None:
        print("SKIP: %s is not installed here, so the root cannot be built from this machine"
              % missing)
        sys.exit(SKIP)
    print("dependency closure: " + " ".join(pkgs))

    root = os.path.join(work, "fresh-root")
    fresh(root)
    # Debian 12's merged /usr: /bin, /lib and /lib64 are links into /usr.
    for d in ("bin", "lib", "lib64", "sbin"):
        os.makedirs(os.path.join(root, "usr", d), exist_ok=True)
        os.symlink("usr/" + d, os.path.join(root, d))
    for d in ("proc", "tmp", "out"):
        os.makedirs(os.path.join(root, d))
    for pkg in pkgs:
        copy_package_files(pkg, root)
    sh(["dpkg-deb", "-x", deb, root])
    if os.path.exists(os.path.join(root, "usr/bin/sh")) or os.path.exists(os.path.join(root, "usr/bin/bash")):
        fail("the fresh root holds a shell: the closure is wider than expected")

    script = ('mount --bind /proc "$1/proc" && exec chroot "$1" /usr/bin/readykit render '
              '/usr/share/readykit/samples/contoso-fabrikam/project.yaml -o /out')
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C", "SOURCE_DATE_EPOCH": "1800000000"}
    p = sh(["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", root],
           env=env, check=False)
    print(p.stdout)
    if p.returncode != 0:
        if "mount" in p.stdout and "permission" in p.stdout.lower():
            print("SKIP: mounting /proc is not permitted here")
            sys.exit(SKIP)
        fail("readykit render in the fresh root: exit %d" % p.returncode)
    for d in DOCS:
        if not os.path.isfile(os.path.join(root, "out", d)):
            fail("no %s in the fresh root" % d)
    print("ok: readykit render works in a root holding only the package and its dependencies")


def cmd_windows_zip(a):
    import zipfile
    if not shutil.which("x86_64-w64-mingw32-gcc"):
        print("SKIP: x86_64-w64-mingw32-gcc is not installed (gcc-mingw-w64-x86-64)")
        sys.exit(SKIP)
    work = os.path.abspath(a.workdir)
    os.makedirs(work, exist_ok=True)  # kept between runs: the cross build is incremental
    env = clean_env()
    env["RKC_WIN_BUILD_DIR"] = os.path.join(work, "build-win")
    script = os.path.join(a.source, "collector", "build-windows.sh")
    paths = sh(["sh", script], env=env, stderr=None).stdout.split()
    if len(paths) != 3:
        fail("build-windows.sh printed %r; expected the zip, the .sha256 and the exe" % paths)
    zpath, sumpath, exe = paths
    with open(os.path.join(a.source, "CMakeLists.txt")) as f:
        version = re.search(r"project\(readykit VERSION ([0-9.]+)", f.read()).group(1)
    name = "readykit-collect-%s-windows-x64" % version
    if os.path.basename(zpath) != name + ".zip" or not os.path.isfile(zpath):
        fail("the zip is %s; expected %s.zip" % (zpath, name))
    with open(exe, "rb") as f:
        data = f.read()
    if data[:2] != b"MZ":
        fail("%s is not a Windows executable" % exe)
    digest = hashlib.sha256(data).hexdigest()
    with zipfile.ZipFile(zpath) as z:
        names = sorted(z.namelist())
        want = sorted(name + "/" + n for n in ("readykit-collect.exe", "readykit-collect.exe.sha256",
                                               "README-customer.txt"))
        if names != want:
            fail("the zip holds %r; expected %r" % (names, want))
        if z.read(name + "/readykit-collect.exe") != data:
            fail("the exe in the zip is not the one built")
        line = z.read(name + "/readykit-collect.exe.sha256").decode()
        readme = z.read(name + "/README-customer.txt")
    if line != "%s  readykit-collect.exe\n" % digest:
        fail("the .sha256 in the zip says %r; the exe's SHA-256 is %s" % (line, digest))
    with open(sumpath) as f:
        if f.read() != line:
            fail("the .sha256 beside the zip differs from the one inside")
    if b"\n" in readme.replace(b"\r\n", b""):
        fail("README-customer.txt in the zip has line ends other than CRLF")
    text = readme.decode("ascii")
    for needle in ("It changes nothing", "Get-FileHash", "certutil -hashfile", "--out",
                   "--probe-plan", "EXIT CODES", "WHERE THE OUTPUT GOES", "WHAT IT READS"):
        if needle not in text:
            fail("README-customer.txt does not mention %r" % needle)
    first = sha256(zpath)
    again = sh(["sh", script], env=env, stderr=None).stdout.split()
    if again != paths or sha256(zpath) != first:
        fail("a second run of build-windows.sh gave a different zip")
    print("ok: %s (%d bytes), SHA-256 of the exe %s" % (zpath, os.path.getsize(zpath), digest))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["install", "deb", "fresh-root", "windows-zip"])
    ap.add_argument("--build")
    ap.add_argument("--source")
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    if a.build:
        a.build = os.path.abspath(a.build)
    {"install": cmd_install, "deb": cmd_deb, "fresh-root": cmd_fresh_root,
     "windows-zip": cmd_windows_zip}[a.what](a)


if __name__ == "__main__":
    main()
