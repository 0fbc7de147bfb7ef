#!/usr/bin/env bash
# Runs built libFuzzer targets (`make fuzz`, `make fuzz-smoke`; docs/fuzzing.md) one after
# the other and prints, per target, its executions per second and what it found.
#
#   scripts/fuzz.sh BIN_DIR WORK_DIR each SECONDS TARGET...   every target for SECONDS
#   scripts/fuzz.sh BIN_DIR WORK_DIR smoke SECONDS TARGET...  SECONDS shared by all targets,
#                                                             seeds only, nothing kept
#
# A target `t` is the executable BIN_DIR/fuzz-t with its seeds in Fuzz/t/corpus, more seed
# folders listed in Fuzz/t/extra-corpora (one a line, relative to the repository) and an
# optional libFuzzer dictionary Fuzz/t/fuzz.dict and more libFuzzer options in Fuzz/t/options
# (one a line, # for comments). New inputs found by `each` runs are kept
# in WORK_DIR/corpus/t for the next run; crashes go to WORK_DIR/crashes/t/ and the full
# output to WORK_DIR/logs/t.log. Exit status 1 when a target crashed.
set -uo pipefail
cd "$(dirname "$0")/.."

bin_dir="$1" work_dir="$2" mode="$3" seconds="$4"
shift 4
targets=("$@")
if [ "$mode" = smoke ]; then
    seconds=$(( seconds / ${#targets[@]} ))
    [ "$seconds" -ge 1 ] || seconds=1
fi

# A crash must reach libFuzzer and AddressSanitizer, not Swift's interactive backtracer.
export SWIFT_BACKTRACE=enable=no
failed=0
printf '%-20s %8s %12s %10s %8s  %s\n' target seconds executions exec/s new result
for t in "${targets[@]}"; do
    exe="$bin_dir/fuzz-$t"
    [ -x "$exe" ] || { echo "$exe is missing (make fuzz-build)"; exit 2; }
    mkdir -p "$work_dir/logs" "$work_dir/crashes/$t"
    if [ "$mode" = smoke ]; then
        found="$(mktemp -d)"
    else
        found="$work_dir/corpus/$t"
        mkdir -p "$found"
    fi
    corpora=("$found" "Fuzz/$t/corpus")
    if [ -f "Fuzz/$t/extra-corpora" ]; then
        while read -r dir; do [ -n "$dir" ] && corpora+=("$dir"); done < "Fuzz/$t/extra-corpora"
    fi
    options=(-max_total_time="$seconds" -timeout=30 -print_final_stats=1 -artifact_prefix="$work_dir/crashes/$t/")
    [ -f "Fuzz/$t/fuzz.dict" ] && options+=(-dict="Fuzz/$t/fuzz.dict")
    if [ -f "Fuzz/$t/options" ]; then
        while read -r option; do [[ -n "$option" && "$option" != \#* ]] && options+=("$option"); done < "Fuzz/$t/options"
    fi
    log="$work_dir/logs/$t.log"
    "$exe" "${options[@]}" "${corpora[@]}" > "$log" 2>&1
    status=$?
    [ "$mode" = smoke ] && rm -rf "$found"
    stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
    if [ "$status" -eq 0 ]; then
        result="no crash"
    else
        result="FAILED (exit $status): $(sed -n 's/.*Test unit written to //p' "$log" | tail -1), see $log"
        failed=1
    fi
    printf '%-20s %8s %12s %10s %8s  %s\n' "$t" "$seconds" "$(stat number_of_executed_units)" \
        "$(stat average_exec_per_sec)" "$(stat new_units_added)" "$result"
    if [ "$status" -ne 0 ]; then
        grep -E '^(Fatal error|.*precondition|==[0-9]+==ERROR|SUMMARY)' "$log" | head -5 | sed 's/^/    /'
        echo "    replay: SWIFT_BACKTRACE=enable=no $exe <file>"
    fi
done
exit "$failed"
