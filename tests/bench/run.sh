#!/usr/bin/env bash
# tests/bench/run.sh - the benchmarks (figures, not pass/fail tests).
#
# Renderer: wall time and peak memory of `readykit render` (median of several runs) on
# the sample, a synthetic assessment of 200 hosts and one of 2,000 hosts, and the XLSX
# writing against libxlsxwriter alone writing the same cells. Then the collector's
# figures, when its benchmark is present.
#
# Environment: BUILD (default <repo>/build, a plain RelWithDebInfo build), BENCH_WORK
# (default $BUILD/bench), BENCH_SIZES (default sample,200,2000), BENCH_RUNS (5),
# BENCH_CALLGRIND (sizes to profile with callgrind, default sample,60; empty: none).
set -eu -o pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
work=${BENCH_WORK:-$build/bench}
readykit=$build/render/readykit
[ -x "$readykit" ] || { echo "run.sh: no $readykit; build first (make build)" >&2; exit 1; }
mkdir -p "$work"

# the floor program: libxlsxwriter and nothing else
cc=${CC:-cc}
$cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra "$here/render/xlsx_floor.c" \
    $(pkg-config --cflags --libs xlsxwriter) -o "$work/xlsx_floor"

cg=${BENCH_CALLGRIND-sample,60}
if [ -n "$cg" ] && ! command -v valgrind >/dev/null; then
    echo "run.sh: valgrind not installed: no callgrind profile"
    cg=""
fi
sizes=${BENCH_SIZES:-sample,200,2000}
for s in ${cg//,/ }; do
    case ",$sizes," in *",$s,"*) ;; *) sizes="$sizes,$s" ;; esac
done
status=0
/usr/bin/python3 "$here/render/measure.py" --readykit "$readykit" --floor "$work/xlsx_floor" \
    --work "$work" --sizes "$sizes" --runs "${BENCH_RUNS:-5}" --callgrind "$cg" \
    --json "$work/render.json" || status=$?

if [ -x "$here/collector/run.sh" ] || [ -f "$here/collector/run.sh" ]; then
    echo
    echo "== collector"
    sh "$here/collector/run.sh" --native "$build/collector/readykit-collect" ||
        echo "run.sh: the collector benchmark failed" >&2
fi
exit $status
