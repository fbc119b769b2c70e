#!/usr/bin/env bash
# tests/fuzz/run.sh - builds the libFuzzer targets with clang and runs each for a while.
#
#   bash tests/fuzz/run.sh [SECONDS]     each target for SECONDS (default 300), up to
#                                        FUZZ_JOBS targets at a time (default: CPUs)
#   bash tests/fuzz/run.sh --total SECONDS
#                                        the CTest mode: SECONDS shared by all targets,
#                                        one after another; exits 77 (skipped) when
#                                        clang's libFuzzer runtime is not installed
#
# Environment: FUZZ_BUILD (default <repo>/build-fuzz), FUZZ_TARGETS (names, default
# all), FUZZ_JOBS, CLANG (default clang). Seeds come from samples/, schemas/,
# templates/, tests/robustness/corpus/<kind>/ and tests/fuzz/seeds/<kind>/; what a
# run learns stays in $FUZZ_BUILD/corpus/<target>/ for the next run. A crash, leak,
# timeout or sanitizer report leaves its input in $FUZZ_BUILD/artifacts/<target>/ and
# makes the script exit 1; turn each into a case under tests/robustness/corpus/.
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
total=0
seconds=300
if [ "${1:-}" = "--total" ]; then
    total=1
    seconds=${2:-60}
elif [ -n "${1:-}" ]; then
    seconds=$1
fi
case "$seconds" in
    '' | *[!0-9]*) echo "run.sh: SECONDS must be a whole number, got '$seconds'" >&2; exit 2 ;;
esac

build=${FUZZ_BUILD:-$root/build-fuzz}
clang=${CLANG:-clang}
all_targets="fuzz_facts fuzz_yaml fuzz_project fuzz_schema fuzz_waivers fuzz_plan fuzz_register fuzz_findings"
targets=${FUZZ_TARGETS:-$all_targets}
if [ "$total" = 1 ] && [ -n "${CI:-}" ] && [ "$targets" != "$all_targets" ]; then
    echo "run.sh: FUZZ_TARGETS narrows the CTest run; refused under CI (CI is set)" >&2
    exit 2
fi
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
if [ "$total" = 1 ]; then jobs=1; fi

skip_or_fail() {
    echo "run.sh: $*" >&2
    if [ "$total" = 1 ]; then exit 77; fi
    exit 1
}

mkdir -p "$build/obj" "$build/bin" "$build/logs" || exit 1

# libFuzzer present? (clang's runtime: libclang-rt-14-dev on Debian 12)
command -v "$clang" >/dev/null 2>&1 || skip_or_fail "$clang not found (install clang)"
probe="$build/obj/probe"
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
    >"$probe.c"
if ! "$clang" -fsanitize=fuzzer,address,undefined "$probe.c" -o "$probe" 2>"$probe.log"; then
    skip_or_fail "clang cannot link a libFuzzer target (install libclang-rt-14-dev): $(head -3 "$probe.log")"
fi

# Every target runs: a listed target without its source, or a fuzz_*.c source that the
# list above does not name, is an error (nothing drops out of the run unnoticed).
for f in "$here"/fuzz_*.c; do
    t=$(basename "$f" .c)
    case " $all_targets " in
        *" $t "*) ;;
        *) echo "run.sh: $t.c is not in all_targets; add it to the list" >&2; exit 2 ;;
    esac
done
for t in $targets; do
    [ -f "$here/$t.c" ] || { echo "run.sh: no target $t ($here/$t.c is missing)" >&2; exit 2; }
done
[ -n "$targets" ] || { echo "run.sh: no targets to run" >&2; exit 2; }

cflags=(-g -O1 -fno-omit-frame-pointer -std=c11 -Wall -Wextra
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
    -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DRK_VERSION=\"fuzz\" -DRK_QPDF_SONAME=\"libqpdf.so.29\"
    "-DRK_SOURCE_DIR=\"$root\"" -I"$root/render" -I"$root/collector" -I"$here")
libs=(-lyaml -lcjson -lcrypto -lm)

# The loaders: render (YAML, facts, project, schema) and the collector's plan parser.
core=(render/util.c render/diag.c render/yaml_tree.c render/json.c render/factschema.c
    render/facts.c render/project.c render/schema.c render/schema_params.c render/schema_check.c
    render/schema_items.c render/addr.c render/export_kinds.c collector/plan.c)
headers=$(ls "$root"/render/*.h "$root"/collector/*.h "$here"/*.h 2>/dev/null)
newest_header=$(ls -t $headers | head -1)

compile() { # SRC OBJ [extra flags]: when the source or any header is newer
    local src=$1 obj=$2
    shift 2
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_header" -nt "$obj" ]; then
        "$clang" "${cflags[@]}" "$@" -c "$src" -o "$obj" || return 1
    fi
}

objs=()
for src in "${core[@]}"; do
    obj="$build/obj/$(echo "$src" | tr / _).o"
    compile "$root/$src" "$obj" || { echo "run.sh: cannot compile $src" >&2; exit 1; }
    objs+=("$obj")
done
for t in $targets; do
    extra=()
    if [ "$t" = fuzz_waivers ]; then
        # the waiver loader sits among the assessment, report and writer code: the
        # whole renderer but its command line
        for src in "$root"/render/*.c; do
            case " ${core[*]} " in *" render/$(basename "$src") "*) continue ;; esac
            [ "$(basename "$src")" = main.c ] && continue
            obj="$build/obj/render_$(basename "$src").o"
            compile "$src" "$obj" -I/usr/include/hpdf || { echo "run.sh: cannot compile $src" >&2; exit 1; }
            extra+=("$obj")
        done
        extra+=(-lxlsxwriter -lhpdf -lzip -lexpat -lz)
    fi
    if [ "$t" = fuzz_register ]; then
        # the workbook reader and the register's layout, on libzip and expat
        for src in render/xlsx_read.c render/waivers_xlsx.c; do
            obj="$build/obj/$(echo "$src" | tr / _).o"
            compile "$root/$src" "$obj" || { echo "run.sh: cannot compile $src" >&2; exit 1; }
            extra+=("$obj")
        done
        extra+=(-lzip -lexpat)
    fi
    compile "$here/$t.c" "$build/obj/$t.o" -D_GNU_SOURCE || { echo "run.sh: cannot compile $t" >&2; exit 1; }
    "$clang" -fsanitize=fuzzer,address,undefined "$build/obj/$t.o" "${objs[@]}" "${extra[@]}" \
        "${libs[@]}" -o "$build/bin/$t" || { echo "run.sh: cannot link $t" >&2; exit 1; }
done

# Seeds: files of the kinds each target reads (the corpus' .expect files are not inputs).
corpus_kinds() {
    case "$1" in
        fuzz_facts) echo facts ;;
        fuzz_yaml) echo "project schema waivers attestations yaml" ;;
        fuzz_project) echo project ;;
        fuzz_schema) echo schema ;;
        fuzz_waivers) echo "waivers attestations" ;;
        fuzz_plan) echo plan ;;
        fuzz_register) echo register ;;
        fuzz_findings) echo findings ;;
    esac
}
seed_files() {
    case "$1" in
        fuzz_facts) ls "$root"/samples/*/facts/*.json "$root"/tests/collector/profiles/*.json ;;
        fuzz_yaml) ls "$root"/samples/*/*.yaml "$root"/templates/*.yaml "$root"/samples/*/*/*.yaml ;;
        fuzz_project) ls "$root"/samples/*/project.yaml ;;
        fuzz_schema) ls "$root"/schemas/*.yaml ;;
        fuzz_plan) ls "$root"/tests/collector/profiles/*.plan ;;
        fuzz_register) ;; # seeds/register/: stored archives the mutations reach into
        fuzz_findings) ls "$root"/tests/waivers/data/diff/*.json ;;
        fuzz_waivers) ls "$root"/samples/*/*waiver*.yaml "$root"/samples/*/*attestation*.yaml
            find "$root/tests/waivers/data" -name '*.yaml' ;;
    esac 2>/dev/null
    for k in $(corpus_kinds "$1"); do
        for d in "$root/tests/robustness/corpus/$k" "$here/seeds/$k"; do
            [ -d "$d" ] && find "$d" -type f ! -name '*.expect' ! -name '*.md' ! -name '*.sh'
        done
    done
}
max_len() {
    case "$1" in
        fuzz_schema) echo 131072 ;; # the shipped schema is about 110 KB
        fuzz_plan) echo 8192 ;;
        fuzz_register) echo 65536 ;;
        *) echo 32768 ;;
    esac
}
dict() {
    case "$1" in
        fuzz_facts | fuzz_findings) echo "$here/json.dict" ;;
        fuzz_plan) echo "$here/plan.dict" ;;
        fuzz_register) echo "$here/xlsx.dict" ;;
        *) echo "$here/yaml.dict" ;;
    esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

ntargets=$(echo $targets | wc -w)
per=$seconds
if [ "$total" = 1 ]; then
    per=$((seconds / ntargets))
    [ "$per" -ge 1 ] || per=1
fi

run_one() {
    local t=$1
    local seeds="$build/seeds/$t" work="$build/corpus/$t" art="$build/artifacts/$t"
    rm -rf "$seeds"
    mkdir -p "$seeds" "$work" "$art"
    local i=0
    while read -r f; do
        [ -f "$f" ] && cp "$f" "$seeds/$i-$(basename "$f")" && i=$((i + 1))
    done < <(seed_files "$t")
    local d=()
    [ -f "$(dict "$t")" ] && d=(-dict="$(dict "$t")")
    "$build/bin/$t" "$work" "$seeds" -max_total_time="$per" -timeout=10 -rss_limit_mb=2048 \
        -max_len="$(max_len "$t")" -artifact_prefix="$art/" -print_final_stats=1 "${d[@]}" \
        >"$build/logs/$t.log" 2>&1
}

echo "fuzzing $targets: ${per}s each, $jobs at a time; logs in $build/logs/"
pids=()
for t in $targets; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    run_one "$t" &
    pids+=($!)
done
wait

status=0
printf '%-14s %14s %10s %8s %8s  %s\n' TARGET EXECUTIONS EXEC/S COVERAGE CORPUS FINDINGS
for t in $targets; do
    log="$build/logs/$t.log"
    execs=$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    rate=$(grep -a -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    cov=$(grep -a -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    ncorp=$(ls "$build/corpus/$t" | wc -l)
    found=$(ls "$build/artifacts/$t" 2>/dev/null | wc -l)
    what="none"
    if grep -a -q -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|==ERROR|deadly signal' "$log"; then
        what="$(grep -a -m1 -E 'ERROR: |runtime error:|deadly signal' "$log" | cut -c1-100)"
        status=1
    fi
    [ "$found" -gt 0 ] && { what="$found artifact(s) in $build/artifacts/$t: $what"; status=1; }
    printf '%-14s %14s %10s %8s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$ncorp" "$what"
done
exit $status
