#!/usr/bin/env bash
# Builds the libFuzzer targets (preset fuzz: clang, ASan, UBSan) and runs each for a bounded time
# from its committed corpus tests/fuzz/corpus/<name>/ (read only: what the run finds goes to
# build-fuzz/corpus/<name>/). A crash, a sanitizer report or a slow input (-timeout) fails.
#   FUZZ_SECONDS=60 (per target)  scripts/fuzz.sh [target...]   default: every pmkpi_fuzz_* target
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
bash scripts/build.sh fuzz
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  for exe in build-fuzz/pmkpi_fuzz_*; do
    [ -x "$exe" ] && targets+=("${exe#build-fuzz/pmkpi_fuzz_}")
  done
fi
[ "${#targets[@]}" -gt 0 ] || { echo "fuzz: no target was built" >&2; exit 1; }
for name in "${targets[@]}"; do
  seeds=tests/fuzz/corpus/$name
  found=build-fuzz/corpus/$name
  log=build-fuzz/$name.log
  mkdir -p "$found" "build-fuzz/crashes/$name"
  echo "fuzz: $name for ${seconds} s from $(find -L "$seeds" -type f | wc -l) seeds"
  status=0
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "build-fuzz/pmkpi_fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/crashes/$name/" "$found" "$seeds" >"$log" 2>&1 || status=$?
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log" >&2
    echo "fuzz: $name failed (exit $status); the input is in build-fuzz/crashes/$name/" >&2
    exit 1
  fi
done
