#!/usr/bin/env bash
# scripts/run-fuzzers.sh BUILD_DIR (--runs=N | --seconds=S) [TARGET...]
# Runs the libFuzzer targets of tests/fuzz built in BUILD_DIR (the fuzz
# build, `make fuzz`), each over its seed corpus tests/fuzz/corpus/<target>/.
#   --runs=N     the smoke run of `make test`: N inputs per target after the
#                seeds, from a fresh scratch corpus; fails on the first crash.
#   --seconds=S  `make fuzz`: S seconds per target, going on from what
#                earlier runs found.
# New inputs go to BUILD_DIR/fuzz-corpus/<target>/ (fuzz-smoke-corpus/ for
# --runs; never into the committed seeds), crashes to
# BUILD_DIR/fuzz-artifacts/<target>/.
# Prints each target's last libFuzzer status line (executions, cov:, ft:)
# and writes them all to BUILD_DIR/fuzz-summary.txt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: run-fuzzers.sh BUILD_DIR --runs=N|--seconds=S [TARGET...]}
mode=${2:?usage: run-fuzzers.sh BUILD_DIR --runs=N|--seconds=S [TARGET...]}
shift 2
case "$build" in /*) ;; *) build="$root/$build" ;; esac

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for dir in "$root"/tests/fuzz/corpus/*/; do targets+=("$(basename "$dir")"); done
fi

summary="$build/fuzz-summary.txt"
: >"$summary"
status=0
for target in "${targets[@]}"; do
  binary="$build/tests/fuzz/$target"
  seeds="$root/tests/fuzz/corpus/$target"
  artifacts="$build/fuzz-artifacts/$target"
  log="$build/fuzz-logs/$target.log"
  mkdir -p "$artifacts" "$(dirname "$log")"
  args=(-artifact_prefix="$artifacts/" -print_final_stats=1)
  # libFuzzer adds what it finds to the first corpus directory: a scratch
  # one in the build, so the committed seeds stay as they are.
  # The smoke run's scratch is its own, so it never discards what `make
  # fuzz` has accumulated.
  case "$mode" in
    --runs=*)
      work="$build/fuzz-smoke-corpus/$target"
      rm -rf "$work"
      args+=(-runs="${mode#--runs=}") ;;
    --seconds=*)
      work="$build/fuzz-corpus/$target"
      args+=(-max_total_time="${mode#--seconds=}") ;;
    *) echo "run-fuzzers: unknown mode $mode" >&2; exit 2 ;;
  esac
  mkdir -p "$work"
  corpora=("$work" "$seeds")
  if "$binary" "${args[@]}" "${corpora[@]}" >"$log" 2>&1; then
    line=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    printf '%-26s ok     %s execs; last: %s\n' "$target" "$execs" "$line" |
      tee -a "$summary"
  else
    printf '%-26s FAILED (log %s)\n' "$target" "$log" | tee -a "$summary"
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -5
    status=1
  fi
done
exit $status
