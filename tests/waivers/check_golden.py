#!/usr/bin/env python3
"""check_golden.py - the waiver, attestation and diff golden files (golden/*.t) checked
against the behaviour they encode, recomputed here from the input files with PyYAML and
json, without readykit's code, so that a wrong golden file cannot pass just because it
was regenerated with UPDATE=1.

  validate-*.t  each file the golden calls "ok" passes the rules of README.md (required
                keys, non-empty values, YYYY-MM-DD dates, an attestation's expiry on or
                after its date, a waiver's approval on or before its expiry, risk low,
                medium or high, not both ticket and reference, optional keys left
                null counting as absent, a requirement the schema has, attestations only for
                manual checks, hosts never empty, no alias, duplicate key, control
                character or invalid UTF-8); each file with an error breaks one of them
                at the line the error names; the exit code is 0 only when all are ok.
  diff-*.t      every change line agrees with the two findings files: its statuses are
                theirs, its kind follows from them (new failure, fixed, still failing,
                newly unknown, waiver added, waiver expired - "has expired" exactly when
                the waiver's expiry is before the new assessment's date, "is no longer
                given" otherwise), nothing that changed is left out, the summary counts
                the lines, and --fail-on new exits 1 exactly when NEW has a failure OLD
                did not have. A refused diff names a file that is indeed not a valid
                findings file.

usage: check_golden.py TESTS_WAIVERS_DIR     (exit 0 pass, 1 fail)
"""
import datetime
import glob
import json
import os
import re
import sys

import yaml

STATUSES = {"pass", "fail", "warn", "unknown", "not-applicable", "manual", "waived", "attested"}
WAIVER_KEYS = {"requirement", "hosts", "justification", "approved_by", "expires"}
WAIVER_OPTIONAL = {"approved_on", "risk", "ticket", "reference", "scope"}
ATTEST_KEYS = {"requirement", "attested_by", "date", "evidence", "expires"}
ATTEST_OPTIONAL = {"hosts", "ticket"}
RISKS = {"low", "medium", "high"}
NULLS = {"", "~", "null", "Null", "NULL"}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

failures = []


def fail(where, what):
    failures.append("%s: %s" % (where, what))


# ---- golden files ---------------------------------------------------------------------

def read_golden(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    if not lines[0].startswith("$ readykit ") or not lines[1].startswith("exit "):
        raise ValueError("%s: not '$ readykit ARGS' and 'exit N'" % path)
    argv = lines[0][len("$ readykit "):].split(" ")
    rc = int(lines[1][5:])
    text = "\n".join(lines[2:])
    m = re.fullmatch(r"--- stdout\n(.*)--- stderr\n(.*)", text, re.S)
    if not m:
        raise ValueError("%s: no '--- stdout' and '--- stderr' sections" % path)
    return argv, rc, m.group(1), m.group(2)


# ---- an independent validator of waiver and attestation files ------------------------

class Problems:
    def __init__(self):
        self.lines = {}  # line -> [what]

    def add(self, line, what):
        self.lines.setdefault(line, []).append(what)

    def __bool__(self):
        return bool(self.lines)

    def __str__(self):
        return "; ".join("line %s: %s" % (l, ", ".join(w)) for l, w in sorted(
            self.lines.items(), key=lambda x: (x[0] is None, x[0] or 0)))


def line_of(node):
    return node.start_mark.line + 1


def is_date(s):
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return False
    try:
        datetime.date.fromisoformat(s)
    except ValueError:
        return False
    return True


def load_schemas(folder):
    """schema id -> {requirement id: check kind}."""
    out = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.yaml"))):
        s = yaml.safe_load(open(path, encoding="utf-8"))
        if isinstance(s, dict) and "id" in s:
            out[s["id"]] = {r["id"]: (r.get("check") or {}).get("kind")
                            for r in s.get("requirements", [])}
    return out


def check_yaml_file(path, schemas):
    """Problems of a waivers or attestations file, each at the line it is on."""
    p = Problems()
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        p.add(raw[:e.start].count(b"\n") + 1, "invalid UTF-8")
        return p
    try:
        for ev in yaml.parse(text):
            if isinstance(ev, yaml.AliasEvent):
                p.add(ev.start_mark.line + 1, "alias")
            elif getattr(ev, "anchor", None):
                p.add(ev.start_mark.line + 1, "anchor")
        root = yaml.compose(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        p.add(mark.line + 1 if mark else None, "not YAML: %s" % e)
        return p
    if p:
        return p

    def scalars(node):
        if isinstance(node, yaml.ScalarNode):
            yield node
        elif isinstance(node, yaml.SequenceNode):
            for n in node.value:
                yield from scalars(n)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                yield from scalars(k)
                yield from scalars(v)

    def mapping(node):
        """key -> (key node, value node); duplicates are problems."""
        out = {}
        for k, v in node.value:
            if k.value in out:
                p.add(line_of(k), "duplicate key %s" % k.value)
            out[k.value] = (k, v)
        return out

    if root is None:
        p.add(1, "empty file")
        return p
    for s in scalars(root):
        if CONTROL.search(s.value):
            p.add(line_of(s), "control character")
    if not isinstance(root, yaml.MappingNode):
        p.add(line_of(root), "not a mapping")
        return p
    top = mapping(root)
    if "format" not in top:
        p.add(1, "no format")
        return p
    fmt = top["format"][1].value
    if fmt == "readykit-waivers/1":
        kind, listkey, required, optional = "waiver", "waivers", WAIVER_KEYS, WAIVER_OPTIONAL
    elif fmt == "readykit-attestations/1":
        kind, listkey, required, optional = "attestation", "attestations", ATTEST_KEYS, ATTEST_OPTIONAL
    else:
        p.add(None, "unknown format %s" % fmt)  # readykit names no line for this
        p.add(line_of(top["format"][1]), "unknown format %s" % fmt)
        return p
    for k, (kn, _v) in top.items():
        if k not in ("format", "schema", listkey):
            p.add(line_of(kn), "unknown top-level key %s" % k)
    reqs = None
    if "schema" in top:
        sid = top["schema"][1].value
        if sid not in schemas:
            p.add(line_of(top["schema"][1]), "schema %s not there" % sid)
        else:
            reqs = schemas[sid]
    elif len(schemas) == 1:
        reqs = next(iter(schemas.values()))
    if listkey not in top:
        p.add(1, "no %s list" % listkey)
        return p
    entries = top[listkey][1]
    if not isinstance(entries, yaml.SequenceNode):
        p.add(line_of(entries), "%s is not a list" % listkey)
        return p
    for e in entries.value:
        if not isinstance(e, yaml.MappingNode):
            p.add(line_of(e), "%s is not a mapping" % kind)
            continue
        m = mapping(e)
        for k in sorted(required - set(m)):
            p.add(line_of(e), "%s without %s" % (kind, k))
        for k, (kn, v) in m.items():
            if k not in required | optional:
                p.add(line_of(kn), "unknown key %s" % k)
                continue
            if k == "hosts":
                if isinstance(v, yaml.SequenceNode):
                    if not v.value or any(not isinstance(x, yaml.ScalarNode) or not x.value.strip()
                                          for x in v.value):
                        p.add(line_of(v), "hosts empty")
                elif not isinstance(v, yaml.ScalarNode) or not v.value.strip():
                    p.add(line_of(v), "hosts empty")
                continue
            if k in optional and isinstance(v, yaml.ScalarNode) and v.style is None \
                    and v.value in NULLS:
                continue  # an optional key left empty (null) counts as absent
            if not isinstance(v, yaml.ScalarNode) or not v.value.strip() or \
                    (v.style is None and v.value in NULLS):
                p.add(line_of(v), "%s empty" % k)
                continue
            if k in ("expires", "date", "approved_on") and not is_date(v.value):
                p.add(line_of(v), "%s is not a date" % k)
            if k == "risk" and v.value.strip() not in RISKS:
                p.add(line_of(v), "risk is not low, medium or high")
        if "requirement" in m and reqs is not None:
            rn = m["requirement"][1]
            if rn.value not in reqs:
                p.add(line_of(rn), "requirement %s not in the schema" % rn.value)
            elif kind == "attestation" and reqs[rn.value] != "manual":
                p.add(line_of(rn), "attestation for a machine check")
        if kind == "waiver" and "approved_on" in m and "expires" in m:
            d, x = m["approved_on"][1].value, m["expires"][1].value
            if is_date(d) and is_date(x) and d > x:
                p.add(line_of(m["approved_on"][1]), "approved on a day after its expiry")
        if kind == "waiver" and "ticket" in m and "reference" in m:
            tn, rn = m["ticket"][1], m["reference"][1]
            if all(isinstance(x, yaml.ScalarNode) and x.value.strip() and
                   not (x.style is None and x.value in NULLS) for x in (tn, rn)):
                p.add(line_of(rn), "both ticket and its older name reference")
        if kind == "attestation" and "date" in m and "expires" in m:
            d, x = m["date"][1].value, m["expires"][1].value
            if is_date(d) and is_date(x) and x < d:
                p.add(line_of(m["expires"][1]), "expires before date")
    return p


def check_findings_file(path):
    """Problems of a findings.json (line None: JSON has no useful line for most)."""
    p = Problems()
    try:
        raw = open(path, "rb").read()
    except OSError as e:
        p.add(None, str(e))
        return p

    def no_dup(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate key")
        return dict(pairs)
    try:
        d = json.loads(raw.decode("utf-8"), object_pairs_hook=no_dup)
    except (UnicodeDecodeError, ValueError) as e:
        p.add(None, "not JSON: %s" % e)
        return p
    if not isinstance(d, dict) or d.get("format") != "readykit-findings/1":
        p.add(None, "not readykit-findings/1")
        return p
    if not isinstance(d.get("findings"), list):
        p.add(None, "no findings list")
        return p
    seen = set()
    for i, f in enumerate(d["findings"], 1):
        if not isinstance(f, dict) or f.get("status") not in STATUSES:
            p.add(None, "finding %d: status %r" % (i, f.get("status") if isinstance(f, dict) else f))
            continue
        key = (str(f.get("host")).lower(), f.get("requirement"), f.get("flow"))  # host names: any case
        if key in seen:
            p.add(None, "finding %d: %r twice" % (i, key))
        seen.add(key)
    if d.get("verdict") not in ("ready", "ready-with-exceptions", "incomplete", "not-ready"):
        p.add(None, "verdict %r" % d.get("verdict"))
    return p


def check_validate(name, argv, rc, out, err, data):
    args = argv[1:]
    schemas = {}
    if args[:1] == ["--schemas"]:
        schemas = load_schemas(os.path.join(data, args[1]))
        args = args[2:]
    ok = {l[:-len(": ok")] for l in out.split("\n") if l.endswith(": ok")}
    errors = {}
    for l in err.split("\n"):
        m = re.match(r"readykit: error: (.+?)(?::(\d+):(\d+))?: ", l)
        if m:
            errors.setdefault(m.group(1), int(m.group(2)) if m.group(2) else None)
        elif l:
            fail(name, "stderr line not 'readykit: error: FILE:LINE:COL: ...': %r" % l)
    for f in args:
        path = os.path.join(data, f)
        probs = check_findings_file(path) if f.endswith(".json") else check_yaml_file(path, schemas)
        if f in ok and f in errors:
            fail(name, "%s is both ok and refused" % f)
        elif f in ok:
            if probs:
                fail(name, "%s is ok in the golden file, but breaks the rules: %s" % (f, probs))
        elif f in errors:
            if not probs:
                fail(name, "%s is refused in the golden file, but follows every rule" % f)
            elif errors[f] not in probs.lines:
                fail(name, "%s is refused at line %s, but its problems are at: %s"
                     % (f, errors[f], probs))
        else:
            fail(name, "%s is neither ok nor refused" % f)
    want = 0 if all(f in ok for f in args) else 3
    if rc != want:
        fail(name, "exit %d, expected %d" % (rc, want))


# ---- diff ----------------------------------------------------------------------------

TEXT_KINDS = {"still failing": "still-failing", "new failure": "new-failure", "fixed": "fixed",
              "newly unknown": "new-unknown", "waiver added": "waiver-added",
              "waiver expired": "waiver-expired", "other change": "other",
              "host added": "host-added", "host removed": "host-removed"}
SUMMARY = {"new failure": "new-failure", "fixed": "fixed", "still failing": "still-failing",
           "newly unknown": "new-unknown", "host added": "host-added",
           "host removed": "host-removed", "waiver added": "waiver-added",
           "waiver expired": "waiver-expired", "other change": "other"}


def expected_kind(old, new):
    """The kind a change from status old to status new is (None: not listed)."""
    if old == "waived" and new != "waived":
        return "waiver-expired"
    if new == "waived" and old != "waived":
        return "waiver-added"
    if new == "fail":
        return "still-failing" if old == "fail" else "new-failure"
    if new == "unknown" and old != "unknown":
        return "new-unknown"
    if new == "pass" and old in ("fail", "warn"):
        return "fixed"
    if old != new:
        return "other"
    return None


def parse_text_diff(out):
    changes, host = [], None
    summary = None
    for l in out.split("\n"):
        if not l or l.startswith(("old: ", "new: ")) or l == "no changes":
            continue
        if l.startswith("summary: "):
            summary = l
            continue
        if not l.startswith(" "):
            host = l
            continue
        m = re.match(r"  (%s)\s+(.*)$" % "|".join(map(re.escape, TEXT_KINDS)), l)
        if not m:
            raise ValueError("change line not understood: %r" % l)
        kind, rest = TEXT_KINDS[m.group(1)], m.group(2)
        if kind in ("host-added", "host-removed"):
            changes.append({"kind": kind, "host": host, "requirement": None,
                            "old_status": None, "new_status": None, "detail": rest})
            continue
        m = re.match(r"(\S+)(?: (F\d+))?\s+(\S+) -> (\S+)\s*(.*)$", rest)
        if not m:
            raise ValueError("change line not understood: %r" % l)
        c = {"kind": kind, "host": host, "requirement": m.group(1),
             "old_status": None if m.group(3) == "-" else m.group(3),
             "new_status": None if m.group(4) == "-" else m.group(4), "detail": m.group(5)}
        if m.group(2):
            c["flow"] = m.group(2)
        changes.append(c)
    counts = None
    if summary:
        counts = {}
        for n, what in re.findall(r"(\d+) ([a-z ]+?)(?:s)?(?=[,;])", summary):
            what = what.replace("waivers", "waiver").replace("hosts", "host")
            if what.endswith("failure") or what in SUMMARY:
                counts[SUMMARY[what]] = int(n)
    return changes, counts, summary


def findings_by_key(d):
    return {(f["host"], f["requirement"], f.get("flow")): f for f in d["findings"]}


def hosts_of(d):
    if "hosts" in d:
        return [h["name"] for h in d["hosts"]]
    return sorted({f["host"] for f in d["findings"]})


def check_diff(name, argv, rc, out, err, data):
    args = argv[1:]
    fail_on = fmt = None
    while args and args[0].startswith("--"):
        if args[0] == "--fail-on":
            fail_on = args[1]
        elif args[0] == "--format":
            fmt = args[1]
        args = args[2:]
    if rc == 2:
        if fail_on not in (None, "new") or fmt not in (None, "text", "json") or len(args) != 2:
            return  # a usage error, rightly
        fail(name, "exit 2 (usage) for a correct command line")
        return
    paths = [os.path.join(data, a) for a in args]
    bad = [(a, check_findings_file(p)) for a, p in zip(args, paths)]
    bad = [(a, pr) for a, pr in bad if pr]
    if rc == 3:
        if not bad:
            fail(name, "exit 3 but both files are valid findings files")
        elif not any(a in err for a, _ in bad):
            fail(name, "exit 3 but stderr does not name the bad file %s" % bad[0][0])
        return
    if bad:
        fail(name, "exit %d for a bad findings file %s (%s)" % (rc, bad[0][0], bad[0][1]))
        return
    old, new = (json.load(open(p, encoding="utf-8")) for p in paths)
    if fmt == "json":
        doc = json.loads(out)
        changes, counts = doc["changes"], doc["counts"]
        if doc.get("new_failures") is not None:
            nf = doc["new_failures"]
        else:
            nf = None
    else:
        changes, counts, summary = parse_text_diff(out)
        nf = None
        if summary is None:
            fail(name, "no summary line")
            return
        m = re.search(r"verdict (\S+) -> (\S+)$", summary)
        if not m or (m.group(1), m.group(2)) != (old["verdict"], new["verdict"]):
            fail(name, "summary verdicts %s, the files say %s -> %s"
                 % (m and m.groups(), old["verdict"], new["verdict"]))
    fo, fn = findings_by_key(old), findings_by_key(new)
    ho, hn = hosts_of(old), hosts_of(new)
    added, removed = set(hn) - set(ho), set(ho) - set(hn)
    new_date = new["assessment_date"][:10]
    listed = {}
    for c in changes:
        where = "%s: %s %s %s" % (name, c["kind"], c["host"], c.get("requirement") or "")
        if c["kind"] in ("host-added", "host-removed"):
            if c["host"] not in (added if c["kind"] == "host-added" else removed):
                fail(where, "the findings files do not say so")
            listed[(c["host"], c["kind"])] = c
            continue
        key = (c["host"], c["requirement"], c.get("flow"))
        if key in listed:
            fail(where, "listed twice")
        listed[key] = c
        so = fo.get(key, {}).get("status")
        sn = fn.get(key, {}).get("status")
        if (c["old_status"], c["new_status"]) != (so, sn):
            fail(where, "statuses %s -> %s, the files say %s -> %s"
                 % (c["old_status"], c["new_status"], so, sn))
            continue
        if c["kind"] != expected_kind(so, sn):
            fail(where, "%s -> %s is %s, not %s" % (so, sn, expected_kind(so, sn), c["kind"]))
        if c["kind"] == "waiver-expired":
            w = fo[key].get("waiver") or {}
            until = w.get("expires", "")
            if until < new_date:
                want = "waiver approved by %s has expired (valid until %s)" % (w.get("approved_by"), until)
            else:
                want = "waiver approved by %s is no longer given (valid until %s)" % (w.get("approved_by"), until)
            if c["detail"] != want:
                fail(where, "detail %r; the waiver expires %s and the new assessment is of %s, "
                     "so %r" % (c["detail"], until, new_date, want))
        if c["kind"] == "waiver-added":
            w = fn[key].get("waiver") or {}
            want = "waiver approved by %s (valid until %s)" % (w.get("approved_by"), w.get("expires"))
            if c["detail"] != want:
                fail(where, "detail %r, the waiver says %r" % (c["detail"], want))
    # nothing that changed is left out
    for key in sorted(set(fo) | set(fn), key=lambda k: tuple(x or "" for x in k)):
        host = key[0]
        if host in removed:
            continue
        so, sn = fo.get(key, {}).get("status"), fn.get(key, {}).get("status")
        kind = expected_kind(so, sn)
        if host in added and sn != "fail":
            continue  # a new host lists its failures only
        if kind and key not in listed:
            fail(name, "%s %s %s: %s -> %s (%s) is not listed" % (key + (so, sn, kind)))
    for h in added:
        if (h, "host-added") not in listed:
            fail(name, "host %s added, not listed" % h)
    for h in removed:
        if (h, "host-removed") not in listed:
            fail(name, "host %s removed, not listed" % h)
    # the summary counts the lines
    have = {}
    for c in changes:
        have[c["kind"]] = have.get(c["kind"], 0) + 1
    for k in set(SUMMARY.values()):
        if counts is not None and counts.get(k, 0) != have.get(k, 0):
            fail(name, "summary counts %d %s, %d listed" % (counts.get(k, 0), k, have.get(k, 0)))
    # --fail-on new: NEW has a failure OLD did not have
    worse = sum(1 for k, f in fn.items() if f["status"] == "fail" and fo.get(k, {}).get("status") != "fail")
    if nf is not None and nf != worse:
        fail(name, "new_failures %d; NEW has %d failures OLD did not have" % (nf, worse))
    want = 1 if fail_on == "new" and worse else 0
    if rc != want:
        fail(name, "exit %d; expected %d (%d failures OLD did not have%s)"
             % (rc, want, worse, ", --fail-on new" if fail_on else ""))


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    d = argv[1]
    data = os.path.join(d, "data")
    goldens = sorted(glob.glob(os.path.join(d, "golden", "*.t")))
    counts = {"validate": 0, "diff": 0}
    for path in goldens:
        name = os.path.basename(path)
        try:
            argv_, rc, out, err = read_golden(path)
        except ValueError as e:
            fail(name, str(e))
            continue
        if argv_[0] == "validate":
            check_validate(name, argv_, rc, out, err, data)
        elif argv_[0] == "diff":
            check_diff(name, argv_, rc, out, err, data)
        else:
            fail(name, "no independent check for 'readykit %s'" % argv_[0])
            continue
        counts[argv_[0]] += 1
    if not goldens:
        fail(d, "no golden/*.t")
    for f in failures:
        print("FAIL " + f)
    if failures:
        print("%d problem(s)" % len(failures))
        return 1
    print("ok: %d validate and %d diff golden files agree with their inputs"
          % (counts["validate"], counts["diff"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
