#!/usr/bin/env python3
"""check_plan_golden.py - the probe-plan golden files are checked against the behaviour
they encode, recomputed here from the seed's network table (seed_rows.h) and the
inventory in test_plan.c without readykit's code, so that a wrong golden file cannot pass
just because it was regenerated.

For each golden plan (its host from the "# host:" line):
  - every probe line is exactly "tcp PORT TARGET F####";
  - the probes are exactly the single-port TCP flows from that host: a network-table row
    whose From role the host holds and whose To role the destination holds, TARGET being
    the destination's address, else its FQDN, else its name;
  - no UDP flow and no port range is a probe; each is listed once as a comment at the end
    ("# udp PORT TARGET F#### (UDP)", "# tcp A-B TARGET F#### (dynamic port range)");
  - the "# probes:" and "# flows a TCP connect cannot verify" counts are right;
  - no flow id appears twice, in one plan or across plans.

usage: check_plan_golden.py TESTS_FIREWALL_DIR     (exit 0 pass, 1 fail)
"""
import os
import re
import sys

CSTR = r'"((?:[^"\\]|\\.)*)"'
failures = []


def fail(where, what):
    failures.append("%s: %s" % (where, what))


def c_strings(text):
    return [bytes(s, "utf-8").decode("unicode_escape") for s in re.findall(CSTR, text)]


def seed_rows(path):
    """(from_role, to_role, protocols, port_from, port_to) of each row of seed_rows.h."""
    text = open(path, encoding="utf-8").read()
    body = text[text.index("seed_rows[] = {"):]
    rows = []
    for m in re.finditer(r"\{\s*((?:%s\s*,\s*){7}%s)\s*\}" % (CSTR, CSTR), body):
        f = c_strings(m.group(1))
        frm, to, proto, port = f[0], f[1], f[5], f[6]
        words = proto.replace("/", " ").split()
        protos = {w.lower() for w in words if w in ("TCP", "UDP")}
        if not protos or not set(words) <= {"TCP", "UDP", "IP", "Dynamic"}:
            raise ValueError("seed_rows.h: protocol %r not understood" % proto)
        m2 = re.fullmatch(r"(\d+)(?:>(\d+))?", port)
        if not m2:
            raise ValueError("seed_rows.h: port %r not understood" % port)
        lo = int(m2.group(1))
        hi = int(m2.group(2) or lo)
        rows.append((frm, to, protos, lo, hi))
    return rows


def inventory(path):
    """name -> (roles, target) from the inventory[] array of test_plan.c."""
    text = open(path, encoding="utf-8").read()
    m = re.search(r"static const fx_host inventory\[\] = \{(.*?)\n\};", text, re.S)
    if not m:
        raise ValueError("test_plan.c: no inventory[] array")
    hosts = {}
    for e in re.finditer(r"\{([^{}]*)\}", m.group(1)):
        # fields are C strings or NULL (a role list "a,b" is one string)
        toks = re.findall(r'"(?:[^"\\]|\\.)*"|NULL', e.group(1))
        vals = [None if t == "NULL" else c_strings(t)[0] for t in toks]
        if len(vals) != 5:
            raise ValueError("test_plan.c: inventory entry %r" % e.group(0))
        name, _zone, roles, address, fqdn = vals
        hosts[name] = (set(roles.split(",")), address or fqdn or name)
    return hosts


def expected(host, hosts, rows):
    """The probes {(port, target)} and the comment flows {(proto, ports, target)}."""
    roles = hosts[host][0]
    probes, comments = set(), set()
    for frm, to, protos, lo, hi in rows:
        if frm not in roles:
            continue
        for dst, (droles, target) in hosts.items():
            if dst == host or to not in droles:
                continue
            ports = str(lo) if lo == hi else "%d-%d" % (lo, hi)
            if "tcp" in protos:
                if lo == hi:
                    probes.add((lo, target))
                else:
                    comments.add(("tcp", ports, target, "dynamic port range"))
            if "udp" in protos:
                comments.add(("udp", ports, target, "UDP"))
    return probes, comments


def check_plan(path, hosts, rows, seen_ids):
    name = os.path.basename(path)
    text = open(path, encoding="utf-8").read()
    m = re.search(r"^# host: (\S+)", text, re.M)
    if not m or m.group(1) not in hosts:
        fail(name, "no '# host: NAME' line naming a host of the inventory")
        return
    host = m.group(1)
    want_probes, want_comments = expected(host, hosts, rows)
    probes, comments = [], []
    in_tail = False
    for n, line in enumerate(text.split("\n")[:-1], 1):
        where = "%s:%d" % (name, n)
        if line.startswith("# not verifiable by a TCP connect"):
            in_tail = True
            continue
        if line.startswith("#"):
            c = re.fullmatch(r"# (tcp|udp) (\d+(?:-\d+)?) (\S+) (F\d{4}) \((UDP|dynamic port range)\)",
                             line)
            if c:
                if not in_tail:
                    fail(where, "a flow listed as a comment before the unverifiable section")
                comments.append((c.group(1), c.group(2), c.group(3), c.group(5)))
                ident = c.group(4)
                if ident in seen_ids:
                    fail(where, "flow id %s already in %s" % (ident, seen_ids[ident]))
                seen_ids[ident] = where
            continue
        p = re.fullmatch(r"tcp (\d+) (\S+) (F\d{4})", line)
        if not p:
            fail(where, "not 'tcp PORT TARGET F####': %r" % line)
            continue
        if in_tail:
            fail(where, "a probe in the unverifiable section")
        probes.append((int(p.group(1)), p.group(2)))
        ident = p.group(3)
        if ident in seen_ids:
            fail(where, "flow id %s already in %s" % (ident, seen_ids[ident]))
        seen_ids[ident] = where
    for port, target in sorted(set(probes) - want_probes):
        fail(name, "probe tcp %d %s: no single-port TCP row from %s's roles to a host "
             "whose target that is" % (port, target, host))
    for port, target in sorted(want_probes - set(probes)):
        fail(name, "missing probe tcp %d %s (a single-port TCP flow from %s)"
             % (port, target, host))
    if len(probes) != len(set(probes)):
        fail(name, "a probe appears twice")
    for c in sorted(set(comments) ^ want_comments):
        fail(name, "%s comment %s %s %s (%s)" % ("unexpected" if c in comments else "missing",
                                                  c[0], c[1], c[2], c[3]))
    if len(comments) != len(set(comments)):
        fail(name, "a flow listed twice among the comments")
    m = re.search(r"^# probes: (\d+)$", text, re.M)
    if not m or int(m.group(1)) != len(probes):
        fail(name, "'# probes:' says %s, the plan holds %d" % (m and m.group(1), len(probes)))
    m = re.search(r"^# flows a TCP connect cannot verify .*: (\d+)$", text, re.M)
    if not m or int(m.group(1)) != len(comments):
        fail(name, "the unverifiable count says %s, the plan lists %d"
             % (m and m.group(1), len(comments)))
    return len(probes), len(comments)


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    d = argv[1]
    rows = seed_rows(os.path.join(d, "seed_rows.h"))
    if len(rows) != 82:
        fail("seed_rows.h", "%d rows read, the seed's table has 82" % len(rows))
    hosts = inventory(os.path.join(d, "test_plan.c"))
    gdir = os.path.join(d, "golden")
    plans = sorted(f for f in os.listdir(gdir) if f.endswith(".plan"))
    if not plans:
        fail(gdir, "no golden plan")
    seen, nprobes, ncomments = {}, 0, 0
    for f in plans:
        r = check_plan(os.path.join(gdir, f), hosts, rows, seen)
        if r:
            nprobes += r[0]
            ncomments += r[1]
    for x in failures:
        print("FAIL " + x)
    if failures:
        print("%d problem(s)" % len(failures))
        return 1
    print("ok: %d golden plans, %d probes and %d unverifiable flows agree with the network "
          "table and the inventory" % (len(plans), nprobes, ncomments))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
