#!/usr/bin/python3
"""Tests of collector/ansible: syntax, lint, and a real run against this machine.

  ansible_test.py syntax   --playbook-dir DIR --workdir DIR
  ansible_test.py windows  --playbook-dir DIR --workdir DIR   (needs ansible.windows)
  ansible_test.py lint     --playbook-dir DIR --workdir DIR   (needs ansible-lint)
  ansible_test.py run      --playbook-dir DIR --workdir DIR --readykit EXE --collector EXE
                           --schema facts.schema.json

Exit 0 on success, 1 on failure, 77 when the tool a test needs is not installed.

The run builds a project whose first host is this machine under its own host name
(reached with the local connection), a second host nothing answers for (SSH to a closed
port: unreachable) and a third that answers but is the wrong machine (its fact file
names another host: failed). It generates the inventory with `readykit inventory`, runs
collect.yml, and checks that this machine's fact file came back, validates against the
JSON Schema and holds the probes of its plan; that the two others are reported per host;
that nothing is left in the temporary folder; and that `readykit render` reads the result.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

SKIP = 77


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def env_for(work):
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("ANSIBLE_"):
            del env[k]
    env.update({
        "ANSIBLE_LOCAL_TEMP": os.path.join(work, "ansible-local"),
        "ANSIBLE_REMOTE_TEMP": os.path.join(work, "ansible-remote"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_HOST_KEY_CHECKING": "False",
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "PYTHONDONTWRITEBYTECODE": "1",
        "LC_ALL": "C.UTF-8",
    })
    return env


def run(cmd, env, cwd=None, timeout=120):
    print("$ " + " ".join(cmd), flush=True)
    p = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout


def need(tool):
    path = shutil.which(tool)
    if not path:
        print("SKIP: %s is not installed" % tool)
        sys.exit(SKIP)
    return path


def fresh(work):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)


def cmd_syntax(a):
    need("ansible-playbook")
    fresh(a.workdir)
    rc, out = run(["ansible-playbook", "-i", "localhost,", "--syntax-check",
                   os.path.join(a.playbook_dir, "collect.yml")], env_for(a.workdir))
    print(out)
    if rc != 0:
        fail("syntax check of collect.yml: exit %d" % rc)
    print("ok: collect.yml syntax")


def cmd_windows(a):
    """The Windows and Linux task files are included at run time, so the syntax check of
    collect.yml does not read them: import both statically here and check them."""
    need("ansible-playbook")
    fresh(a.workdir)
    env = env_for(a.workdir)
    rc, out = run(["ansible-doc", "-t", "module", "ansible.windows.win_command"], env)
    if rc != 0:
        print("SKIP: the ansible.windows collection is not installed (Debian package ansible); "
              "the Windows tasks were not syntax-checked")
        sys.exit(SKIP)
    tasks = os.path.join(os.path.abspath(a.playbook_dir), "roles", "readykit_collect", "tasks")
    book = os.path.join(a.workdir, "platform_tasks.yml")
    with open(book, "w") as f:
        f.write("---\n"
                "- name: Platform tasks of readykit_collect\n"
                "  hosts: all\n"
                "  gather_facts: false\n"
                "  tasks:\n"
                "    - name: Windows\n"
                "      ansible.builtin.import_tasks: %s/windows.yml\n"
                "    - name: Linux\n"
                "      ansible.builtin.import_tasks: %s/linux.yml\n" % (tasks, tasks))
    rc, out = run(["ansible-playbook", "-i", "localhost,", "--syntax-check", book], env)
    print(out)
    if rc != 0:
        fail("syntax check of windows.yml and linux.yml: exit %d" % rc)
    print("ok: windows.yml and linux.yml syntax")


def cmd_lint(a):
    lint = need("ansible-lint")
    fresh(a.workdir)
    env = env_for(a.workdir)
    env["HOME"] = a.workdir  # its cache, not the user's
    rc, out = run([lint, "--offline", "--nocolor", "-p", "collect.yml", "roles/readykit_collect"],
                  env, cwd=a.playbook_dir, timeout=240)
    print(out)
    if rc != 0:
        fail("ansible-lint: exit %d" % rc)
    print("ok: ansible-lint")


PROJECT = """\
format: readykit-project/1
customer: Lab
project: Collection over Ansible
assessment_id: LAB-ANSIBLE-1
schema: migrator-pro-exchange-20.11
language: en
parameters:
  scenarios: [mailbox-inter-org]
  mailbox_count: 10
  large_public_folders: false
zones:
  - {{id: lab, title: Lab}}
  - {{id: far, title: Elsewhere}}
hosts:
  - name: {me}
    fqdn: {me}.lab.example
    address: 127.0.0.1
    zone: lab
    roles: [migration-server]
  - name: lost01
    fqdn: lost01.lab.example
    address: 127.0.0.2
    zone: far
    roles: [source-dc, source-exchange]
  - name: broken01
    fqdn: broken01.lab.example
    address: 127.0.0.3
    zone: far
    roles: [target-dc, target-exchange]
signoff:
  - role: Tester
"""


def cmd_run(a):
    need("ansible-playbook")
    work = os.path.abspath(a.workdir)
    fresh(work)
    env = env_for(work)

    # The collector's own name for this machine: the fact file must carry the project's
    # host name, and readykit refuses one that names another host.
    out = subprocess.run([a.collector], stdout=subprocess.PIPE, check=True).stdout
    me = json.loads(out)["host"]["name"]
    print("this machine: " + me)
    if me in ("lost01", "broken01"):
        fail("unexpected host name " + me)

    proj_dir = os.path.join(work, "project")
    os.makedirs(os.path.join(proj_dir, "host_vars"))
    project = os.path.join(proj_dir, "project.yaml")
    with open(project, "w") as f:
        f.write(PROJECT.format(me=me))
    inv = subprocess.run([a.readykit, "inventory", project], stdout=subprocess.PIPE, text=True)
    if inv.returncode != 0:
        fail("readykit inventory: exit %d" % inv.returncode)
    inventory = os.path.join(proj_dir, "inventory.yml")
    with open(inventory, "w") as f:
        f.write(inv.stdout)
    local = "ansible_connection: local\nansible_python_interpreter: /usr/bin/python3\n"
    with open(os.path.join(proj_dir, "host_vars", me + ".yml"), "w") as f:
        f.write(local)
    with open(os.path.join(proj_dir, "host_vars", "broken01.yml"), "w") as f:
        f.write(local)
    with open(os.path.join(proj_dir, "host_vars", "lost01.yml"), "w") as f:
        f.write("ansible_connection: ssh\nansible_port: 1\n"
                "ansible_ssh_common_args: -o ConnectTimeout=5 -o BatchMode=yes\n")

    remote_tmp = os.path.join(work, "remote-tmp")
    os.makedirs(remote_tmp)
    env["ANSIBLE_CONFIG"] = os.path.join(a.playbook_dir, "ansible.cfg")
    t0 = time.monotonic()
    rc, out = run(["ansible-playbook", "-i", inventory, os.path.join(a.playbook_dir, "collect.yml"),
                   "-e", "readykit_project=project.yaml",
                   "-e", "readykit_bin=" + a.readykit,
                   "-e", "readykit_collector_linux=" + a.collector,
                   "-e", "readykit_remote_tmp=" + remote_tmp,
                   "-e", "readykit_timeout_ms=500"], env, cwd=proj_dir, timeout=240)
    print(out)
    print("playbook: exit %d after %.1f s" % (rc, time.monotonic() - t0))

    # Two hosts delivered nothing: the run must say so with a failing exit code.
    if rc == 0:
        fail("the playbook succeeded although two hosts delivered no facts")
    facts_dir = os.path.join(proj_dir, "facts")
    mine = os.path.join(facts_dir, me + ".json")
    if not os.path.isfile(mine):
        fail("no fact file came back for " + me)
    left = sorted(os.listdir(facts_dir))
    if left != sorted([me + ".json", "collect-summary.txt"]):
        fail("unexpected files in the facts folder: %r" % left)
    if os.listdir(remote_tmp):
        fail("the temporary folder on the host was not removed: %r" % os.listdir(remote_tmp))

    # The fact file: the JSON Schema, this host, the probes of its plan.
    import jsonschema
    with open(a.schema) as f:
        schema = json.load(f)
    with open(mine) as f:
        facts = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(facts), key=str)
    if errors:
        fail("the fact file does not match facts.schema.json: " +
             "; ".join("%s: %s" % (list(e.absolute_path), e.message) for e in errors[:5]))
    if facts["host"]["name"] != me:
        fail("the fact file names host %r" % facts["host"]["name"])
    plan = subprocess.run([a.readykit, "plan", project, "--host", me], stdout=subprocess.PIPE,
                          text=True, check=True).stdout
    planned = sorted((l.split()[2], int(l.split()[1])) for l in plan.splitlines()
                     if l.strip() and not l.startswith("#"))
    probed = sorted((p["address"], p["port"]) for p in facts.get("probes", [])
                    if p.get("protocol") == "tcp")
    if not planned or probed != planned:
        fail("the probes in the fact file (%d) are not the plan's (%d)" % (len(probed), len(planned)))

    # The summary: one line per host, on the terminal and in the file.
    with open(os.path.join(facts_dir, "collect-summary.txt")) as f:
        summary = f.read()
    print(summary)
    rows = {}
    for line in summary.splitlines()[2:]:
        parts = line.split(None, 2)
        if len(parts) >= 2:
            rows[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else "")
    if rows.get(me, ("",))[0] != "ok":
        fail("summary: %s is not ok: %r" % (me, rows.get(me)))
    if rows.get("lost01", ("",))[0] != "unreachable":
        fail("summary: lost01 is not unreachable: %r" % (rows.get("lost01"),))
    st, msg = rows.get("broken01", ("", ""))
    if st != "failed" or "describes host" not in msg:
        fail("summary: broken01 is not failed for naming another host: %r" % (rows.get("broken01"),))
    if "1 of 3 host(s) delivered facts" not in summary:
        fail("summary: no count line")
    for name in ("lost01", "broken01"):
        if name not in out.split("delivered no facts:")[-1]:
            fail("the closing message does not name " + name)

    # What came back is ready for readykit render.
    docs = os.path.join(work, "docs")
    os.makedirs(docs)
    r = subprocess.run([a.readykit, "render", project, "-o", docs], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    print(r.stdout)
    if r.returncode != 0:
        fail("readykit render on the collected facts: exit %d" % r.returncode)
    with open(os.path.join(docs, "findings.json")) as f:
        findings = json.load(f)
    if not any(i.get("kind") == "facts" and os.path.basename(i.get("path", "")) == me + ".json"
               and i.get("sha256") for i in findings.get("inputs", [])):
        fail("findings.json does not list the collected fact file as an input")

    # The same run with readykit_allow_missing: exit 0, the good file replaced in place.
    rc2, out2 = run(["ansible-playbook", "-i", inventory, os.path.join(a.playbook_dir, "collect.yml"),
                     "-e", "readykit_project=" + project, "-e", "readykit_bin=" + a.readykit,
                     "-e", "readykit_collector_linux=" + a.collector,
                     "-e", "readykit_remote_tmp=" + remote_tmp, "-e", "readykit_allow_missing=true",
                     "-e", "readykit_hosts=" + me], env, cwd=work, timeout=240)
    if rc2 != 0:
        print(out2)
        fail("second run (one host, readykit_allow_missing): exit %d" % rc2)
    if os.listdir(remote_tmp):
        fail("second run left files in the temporary folder")
    print("ok: fact file of %s collected over Ansible, validated, rendered; "
          "lost01 unreachable and broken01 failed reported per host" % me)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["syntax", "windows", "lint", "run"])
    ap.add_argument("--playbook-dir", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--readykit")
    ap.add_argument("--collector")
    ap.add_argument("--schema")
    a = ap.parse_args()
    a.playbook_dir = os.path.abspath(a.playbook_dir)
    {"syntax": cmd_syntax, "windows": cmd_windows, "lint": cmd_lint, "run": cmd_run}[a.what](a)


if __name__ == "__main__":
    main()
