#!/usr/bin/env bash
# Golden CLI tests: each case in cases.txt states a command, its exit code and its
# exact standard error (after the temporary output folder's path is replaced by OUT).
#   == name         starts a case
#   $ ARGS          readykit's arguments, run in tests/cli/data (OUT = a fresh folder)
#   ? CODE          expected exit code
#   ! LINE          one expected line of standard error, in order (none: stderr empty)
#   ~ TEXT          standard output contains TEXT
#   % VAR=VALUE     environment for the command
set -u
READYKIT=$1
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/data"
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run_case() {
  local name=$1 args=$2 rc_want=$3 err_want=$4 out_want=$5 env=$6
  local out="$tmp/$name"
  rm -rf "$out"; mkdir -p "$out"
  args=${args//OUT/$out}
  local rc=0
  eval "env $env \"$READYKIT\" $args" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
  sed -i "s|$out|OUT|g" "$tmp/stderr"
  local ok=1
  [ "$rc" = "$rc_want" ] || { echo "FAIL $name: exit $rc, expected $rc_want"; ok=0; }
  if [ "$(cat "$tmp/stderr")" != "$err_want" ]; then
    echo "FAIL $name: standard error differs"; diff <(printf '%s\n' "$err_want") "$tmp/stderr" | sed 's/^/    /'; ok=0
  fi
  if [ -n "$out_want" ] && ! grep -qF -- "$out_want" "$tmp/stdout"; then
    echo "FAIL $name: standard output lacks '$out_want'"; ok=0
  fi
  if grep -q -e 'AddressSanitizer' -e 'runtime error:' "$tmp/stderr"; then ok=0; fi
  if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}

name="" args="" rc="" err="" out="" envs=""
flush() {
  if [ -n "$name" ]; then run_case "$name" "$args" "$rc" "$err" "$out" "$envs"; fi
  name="" args="" rc="" err="" out="" envs=""
}
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    "== "*) flush; name=${line#== } ;;
    "\$ "*) args=${line#\$ } ;;
    "? "*) rc=${line#? } ;;
    "! "*) if [ -n "$err" ]; then err="$err"$'\n'"${line#! }"; else err=${line#! }; fi ;;
    "~ "*) out=${line#\~ } ;;
    "% "*) envs="$envs ${line#% }" ;;
  esac
done < "$HERE/cases.txt"
flush
echo "$pass passed, $fail failed"
[ $((pass + fail)) -gt 0 ] || { echo "FAIL: no case in $HERE/cases.txt"; exit 1; }
[ $fail = 0 ]
