#!/bin/sh
# render.sh - the sample rendered with waivers, attestations and a baseline, end to end:
# exit codes, findings.json, the new sections read back from the PDF (pdftotext) and the
# workbook (openpyxl), refusals with their exact message, diff --fail-on on real output,
# and the attestations template. Exits 77 (skipped) when pdftotext or openpyxl is not
# installed; the sample is part of the repository, so without it the test fails.
# usage: render.sh READYKIT SOURCE_DIR WORK_DIR PYTHON
set -u
rk=$1
top=$2
work=$3
py=${4:-/usr/bin/python3}
project=samples/contoso-fabrikam/project.yaml
data=tests/waivers/data/sample

cd "$top" || exit 1
if [ ! -f "$project" ]; then
    echo "FAIL: $project is missing"
    exit 1
fi
for tool in pdftotext; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing"; exit 77; }
done
"$py" -c 'import openpyxl' 2>/dev/null || { echo "SKIP: $py has no openpyxl"; exit 77; }

unset READYKIT_DATA
LC_ALL=C
export LC_ALL
# 2026-11-18T12:00:00Z: the day the first waiver expires on, the day after another
SOURCE_DATE_EPOCH=1795003200
export SOURCE_DATE_EPOCH

fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

# expect CODE NAME ARGS...: runs readykit, checks the exit code, keeps out/err
expect() {
    want=$1
    name=$2
    shift 2
    "$rk" "$@" >"$work/$name.out" 2>"$work/$name.err"
    rc=$?
    [ "$rc" = "$want" ] || { fail "$name: exit $rc, expected $want"; cat "$work/$name.err"; }
}

# contains FILE TEXT...: each TEXT appears in FILE, compared without white space (table
# cells wrap anywhere in the PDF, and pdftotext drops the hyphen at a break)
contains() {
    f=$1
    shift
    flat=$(tr -d ' \n\t-' <"$f")
    for s in "$@"; do
        t=$(printf '%s' "$s" | tr -d ' \n\t-')
        case "$flat" in
        *"$t"*) ;;
        *) fail "$f does not contain '$s'" ;;
        esac
    done
}

rm -rf "$work"
mkdir -p "$work/base" "$work/full" "$work/de" "$work/failon" "$work/refused"

# 1. the previous assessment: no waivers
expect 0 base render "$project" -q -o "$work/base"

# 2. with waivers, attestations and the baseline
expect 0 full render "$project" -o "$work/full" --waivers "$data/waivers.yaml" \
    --attestations "$data/attestations.yaml" --baseline "$work/base/findings.json"
contains "$work/full.out" "verdict: ready-with-exceptions"

# 3. findings.json keeps the original status and the waiver or attestation
"$py" - "$work/base/findings.json" "$work/full/findings.json" <<'EOF' || fail "findings.json"
import json, sys
base = json.load(open(sys.argv[1]))
full = json.load(open(sys.argv[2]))
assert base["verdict"] == "not-ready", base["verdict"]
# waived findings count as exceptions, never as passes
assert full["verdict"] == "ready-with-exceptions", full["verdict"]
f = {(x["host"], x["requirement"]): x for x in full["findings"]}
w = f[("wrk02", "MPE-WRK-UAC")]  # expires on the assessment day itself
assert w["status"] == "waived" and w["original_status"] == "fail", w
assert w["waiver"]["approved_by"] == "Lotte Visser (CAB)", w
assert w["waiver"]["expires"] == "2026-11-18" and w["waiver"]["reference"] == "CHG-2026-11-0412"
assert f[("sql01", "MPE-SQL-VERSION")]["waiver"]["hosts"] == "SQL*"
assert f[("fex16", "MPE-EXCH-CERTIFIED")]["status"] == "waived"
m = f[("mpe01", "MPE-SRV-MEM-LARGE")]
assert m["status"] == "waived" and m["original_status"] == "warn", m
a = f[("mpe01", "MPE-SRV-INPUT")]  # the expired attestation is skipped, the next applies
assert a["status"] == "attested" and a["original_status"] == "manual", a
assert a["attestation"]["attested_by"] == "Sanne de Vries", a
assert a["attestation"]["expires"] == "2027-05-17", a
assert f[("wrk02", "MPE-WRK-LOGON")]["attestation"]["hosts"] == "wrk01, wrk02"
assert not any(x["status"] in ("fail", "manual", "unknown") for x in full["findings"])
assert [x["hosts"] for x in full["waivers"]["expired"]] == ["wrk01"], full["waivers"]
assert [x["hosts"] for x in full["waivers"]["unused"]] == ["cex19*"], full["waivers"]
assert [x["hosts"] for x in full["attestations"]["expired"]] == ["mpe01"]
assert [x["hosts"] for x in full["attestations"]["unused"]] == ["fex13"]
kinds = [i["kind"] for i in full["inputs"]]
assert "waivers" in kinds and "attestations" in kinds, kinds
EOF

# 3b. which entries applied, recomputed from their expiry dates and host globs
"$py" "$top/tests/waivers/check_outcomes.py" "$project" "$data/waivers.yaml" \
    "$data/attestations.yaml" "$work/base/findings.json" "$work/full/findings.json" \
    2026-11-18 || fail "waiver and attestation outcomes"

# 4. the PDF: both new sections, who approved, why, until when
pdftotext "$work/full/readiness.pdf" "$work/full.txt" 2>/dev/null || fail "pdftotext"
contains "$work/full.txt" "Waivers and attestations" "Waivers applied" "Attestations applied" \
    "Lotte Visser (CAB)" "UAC stays on until the worker image is rebuilt" "CHG-2026-11-0412" \
    "Jürg Bühler" "Expired, not applied" "Pilot CAB" "Unused" "cex19*" \
    "Changes since the previous assessment" "Previous assessment" "This assessment" \
    "Not ready" "Ready with exceptions" "waiver added" \
    "Waiver approved by Lotte Visser (CAB), expires 2027-01-31." \
    "Attested by Sanne de Vries on 2026-11-17."

# 5. the workbook: the Exceptions and Changes sheets
"$py" - "$work/full/readiness.xlsx" <<'EOF' || fail "readiness.xlsx"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert "Exceptions" in wb.sheetnames and "Changes" in wb.sheetnames, wb.sheetnames
def cells(ws):
    return [[("" if c is None else str(c)) for c in row] for row in ws.iter_rows(values_only=True)]
exc = cells(wb["Exceptions"])
flat = "\n".join("\t".join(r) for r in exc)
for s in ["Waivers applied", "UAC stays on until the worker image is rebuilt in the December window.",
          "Lotte Visser (CAB)", "2026-11-18", "CHG-2026-11-0412", "wrk02 (fail)", "mpe01 (warn)",
          "Sanne de Vries", "Expired, not applied", "Unused", "cex19*", "fex13"]:
    assert s in flat, s
row = next(r for r in exc if any(c.startswith("MPE-WRK-UAC") for c in r) and "wrk02" in r)
assert "Lotte Visser (CAB)" in row and "2026-11-18\nexpires within 30 days" in row, row
chg = cells(wb["Changes"])
flat = "\n".join("\t".join(r) for r in chg)
for s in ["Not ready", "Ready with exceptions", "waiver added", "fail", "waived"]:
    assert s in flat, s
row = next(r for r in chg if "MPE-EXCH-CERTIFIED" in r)
assert "waiver added" in row and "fail" in row and "waived" in row, row
EOF

# 6. German wording and sheet names
expect 0 de render "$project" -q --lang de -o "$work/de" --waivers "$data/waivers.yaml" \
    --attestations "$data/attestations.yaml" --baseline "$work/base/findings.json"
pdftotext "$work/de/readiness.pdf" "$work/de.txt" 2>/dev/null || fail "pdftotext de"
contains "$work/de.txt" "Ausnahmen und Bestätigungen" "Angewandte Ausnahmen" \
    "Änderungen seit der letzten Bewertung" "Ausnahme hinzugekommen"
"$py" -c 'import sys, openpyxl; n = openpyxl.load_workbook(sys.argv[1]).sheetnames; assert "Ausnahmen" in n and "Änderungen" in n, n' \
    "$work/de/readiness.xlsx" || fail "German sheet names"

# 7. diff --fail-on new on real output: better passes, worse fails
expect 0 diff-better diff --fail-on new "$work/base/findings.json" "$work/full/findings.json"
contains "$work/diff-better.out" "0 new failures" "waiver added"
expect 1 diff-worse diff --fail-on new "$work/full/findings.json" "$work/base/findings.json"
contains "$work/diff-worse.out" "waiver expired" "wrk02"
expect 0 diff-json diff --format json "$work/base/findings.json" "$work/full/findings.json"
"$py" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["format"] == "readykit-diff/1" and d["new_failures"] == 0 and d["counts"]["waiver-added"] == 4, d["counts"]' \
    "$work/diff-json.out" || fail "diff json"

# 8. --fail-on: waived findings are exceptions
expect 1 fail-on render "$project" -q -o "$work/failon" --waivers "$data/waivers.yaml" \
    --attestations "$data/attestations.yaml" --fail-on ready-with-exceptions
expect 0 fail-on-incomplete render "$project" -q -o "$work/failon" --waivers "$data/waivers.yaml" \
    --attestations "$data/attestations.yaml" --fail-on incomplete

# 9. refusals: exact message, exit 3, nothing written
expect 3 refused-waiver render "$project" -o "$work/refused" --waivers "$data/bad-waivers.yaml"
printf '%s\n' "readykit: error: $data/bad-waivers.yaml:3:5: waiver without 'justification'; expected the reason the gap is accepted, in words" >"$work/want.err"
cmp -s "$work/want.err" "$work/refused-waiver.err" || { fail "refused-waiver stderr"; diff "$work/want.err" "$work/refused-waiver.err"; }
expect 3 refused-attestation render "$project" -o "$work/refused" --attestations "$data/bad-attestations.yaml"
printf '%s\n' "readykit: error: $data/bad-attestations.yaml:3:18: attestation for 'MPE-WRK-UAC', a machine check (flag): facts, not people, decide machine checks; expected a manual check ('readykit attestations-template' lists them)" >"$work/want.err"
cmp -s "$work/want.err" "$work/refused-attestation.err" || { fail "refused-attestation stderr"; diff "$work/want.err" "$work/refused-attestation.err"; }
expect 3 refused-baseline render "$project" -o "$work/refused" --baseline tests/waivers/data/diff/bad-status.json
printf '%s\n' "readykit: error: tests/waivers/data/diff/bad-status.json:7:16: finding 2 has status 'failed'; expected pass, fail, warn, unknown, not-applicable, manual, waived or attested" >"$work/want.err"
cmp -s "$work/want.err" "$work/refused-baseline.err" || { fail "refused-baseline stderr"; diff "$work/want.err" "$work/refused-baseline.err"; }
[ -z "$(ls -A "$work/refused")" ] || fail "a refused render left files: $(ls -A "$work/refused")"

# 10. the attestations template lists every manual check and validates once filled in
expect 0 template attestations-template "$project"
n=$(grep -c '^  - requirement: ' "$work/template.out")
manual=$("$py" -c 'import json, sys; print(sum(1 for f in json.load(open(sys.argv[1]))["findings"] if f["status"] == "manual"))' "$work/base/findings.json")
[ "$n" = "$manual" ] || fail "template has $n entries, the project $manual manual checks"
sed -e 's/^    attested_by: ""/    attested_by: QA/' -e 's/^    date: ""/    date: 2026-11-17/' \
    -e 's/^    evidence: ""/    evidence: checked/' -e 's/^    expires: ""/    expires: 2027-11-17/' \
    "$work/template.out" >"$work/filled.yaml"
expect 0 filled render "$project" -q -o "$work/refused" --attestations "$work/filled.yaml"
"$py" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert not [f for f in d["findings"] if f["status"] == "manual"]' \
    "$work/refused/findings.json" || fail "the filled template leaves manual checks"

# 11. waivers: and attestations: in the project file; --waivers overrides the former
mkdir -p "$work/proj" "$work/proj-out"
ln -s "$top/samples/contoso-fabrikam/facts" "$work/proj/facts"
cp "$data/waivers.yaml" "$data/attestations.yaml" "$work/proj/"
{ cat "$project"; printf 'waivers: waivers.yaml\nattestations: attestations.yaml\n'; } >"$work/proj/project.yaml"
expect 0 project-keys render "$work/proj/project.yaml" -q -o "$work/proj-out"
"$py" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["verdict"] == "ready-with-exceptions", d["verdict"]; assert {"waivers.yaml", "attestations.yaml"} <= {i["path"] for i in d["inputs"]}, d["inputs"]' \
    "$work/proj-out/findings.json" || fail "waivers: in the project file"
expect 3 project-keys-override render "$work/proj/project.yaml" -q -o "$work/proj-out" \
    --waivers "$data/bad-waivers.yaml"
contains "$work/project-keys-override.err" "bad-waivers.yaml:3:5: waiver without 'justification'"

echo "$fails failed"
[ "$fails" -eq 0 ]
