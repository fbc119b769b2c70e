#!/bin/sh
# cli.sh - golden CLI tests of waivers, attestations and diff. Each file in golden/*.t
# is one case: its first line is the command ("$ readykit ARGS", run in data/, words
# separated by spaces), then the exit code, the standard output and the standard error
# exactly as expected. UPDATE=1 rewrites the files from what the commands now print
# (refused when CI is set: CI never regenerates expectations).
# usage: cli.sh READYKIT TESTDIR WORKDIR
set -u
if [ -n "${UPDATE:-}" ] && [ -n "${CI:-}" ]; then
    echo "FAIL: UPDATE is set and so is CI: golden files are never rewritten in CI;" \
        "regenerate them on a developer machine and review the diff"
    exit 1
fi
rk=$1
src=$2
work=$3
mkdir -p "$work" || exit 1
unset SOURCE_DATE_EPOCH READYKIT_DATA
LC_ALL=C
export LC_ALL
fails=0
count=0
for case in "$src"/golden/*.t; do
    name=$(basename "$case" .t)
    cmdline=$(sed -n '1s/^\$ readykit //p' "$case")
    if [ -z "$cmdline" ]; then
        echo "FAIL $name: the first line must be '\$ readykit ARGS'"
        fails=$((fails + 1))
        continue
    fi
    # shellcheck disable=SC2086 # word splitting of the recorded command is intended
    (set -f && cd "$src/data" && "$rk" $cmdline >"$work/$name.out" 2>"$work/$name.err")
    rc=$?
    {
        printf '$ readykit %s\n' "$cmdline"
        printf 'exit %s\n' "$rc"
        printf -- '--- stdout\n'
        cat "$work/$name.out"
        printf -- '--- stderr\n'
        cat "$work/$name.err"
    } >"$work/$name.t"
    count=$((count + 1))
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$work/$name.t" "$case"
    elif ! cmp -s "$case" "$work/$name.t"; then
        echo "FAIL $name"
        diff -u "$case" "$work/$name.t" | head -40
        fails=$((fails + 1))
    fi
done
echo "$count cases, $fails failed"
[ "$count" -gt 0 ] || { echo "FAIL: no case in $src/golden"; exit 1; }
[ "$fails" -eq 0 ]
