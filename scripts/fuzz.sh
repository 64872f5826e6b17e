#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan, and runs each
# for a bounded time, starting from the seed corpus in tests/fuzz/corpus/<target>.
#
#   scripts/fuzz.sh                  # every target for 20 s (CI: --time 10)
#   scripts/fuzz.sh --long           # every target for 10 min
#   scripts/fuzz.sh --time 120 fuzz_sse fuzz_agent_card
#   scripts/fuzz.sh --no-build       # run the targets already built, e.g. during a build
#
# The build directory is build-san (override with BUILD_DIR), the one scripts/sanitize.sh
# uses, so after a sanitizer run only the fuzz targets themselves are left to build.
# JOBS sets the build's parallelism and how many targets run at once (default: every core).
#
# New inputs that reach new code go to $BUILD_DIR/fuzz-corpus/<target>, never into the
# repository; copy the interesting ones to tests/fuzz/corpus/<target> by hand. A crash,
# leak, timeout or broken invariant fails the script, and the input that caused it is
# left in $BUILD_DIR/fuzz-crashes/<target>/ (the script prints the command that replays it).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

seconds=20
build_first=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --long) seconds=600 ;;
    --time) seconds="${2:?--time needs a number of seconds}"; shift ;;
    --no-build) build_first=0 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done

build="${BUILD_DIR:-build-san}"
jobs="${JOBS:-$(nproc)}"
if [ "$build_first" -eq 1 ] && [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCONSTELLATION_FUZZ=ON \
    -DCONSTELLATION_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG="-O0 -gline-tables-only"
fi
if [ "$build_first" -eq 1 ]; then cmake --build "$build" --target fuzzers -- -j"$jobs"; fi

if [ ${#targets[@]} -eq 0 ]; then
  for seeds in tests/fuzz/corpus/*/; do
    t="$(basename "$seeds")"
    [ -x "$build/tests/fuzz/$t" ] && targets+=("$t")
  done
fi

# Readable stack traces when a symbolizer is installed (package llvm-14).
symbolizer="$(command -v llvm-symbolizer || command -v llvm-symbolizer-14 || true)"
if [ -n "$symbolizer" ]; then export ASAN_SYMBOLIZER_PATH="$symbolizer"; fi
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# One target per core at a time (JOBS): each is a single process, and CI has two cores.
run_target() {
  local t="$1" status=0
  # The first corpus directory receives new inputs; the seeds are only read.
  "$build/tests/fuzz/$t" "$build/fuzz-corpus/$t" "tests/fuzz/corpus/$t" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-crashes/$t/" >"$build/fuzz-logs/$t.log" 2>&1 || status=$?
  echo "$status" >"$build/fuzz-logs/$t.status"
}
for t in "${targets[@]}"; do
  mkdir -p "$build/fuzz-corpus/$t" "$build/fuzz-crashes/$t" "$build/fuzz-logs"
  rm -f "$build/fuzz-logs/$t.status"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  echo "fuzz.sh: $t for ${seconds}s"
  run_target "$t" &
done
wait

failed=()
summary=""
for t in "${targets[@]}"; do
  log="$build/fuzz-logs/$t.log"
  status="$(cat "$build/fuzz-logs/$t.status" 2>/dev/null || echo "no status")"
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  time="$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)"
  rate="?"
  if [ -n "$runs" ] && [ -n "$time" ] && [ "$time" -gt 0 ]; then rate=$((runs / time)); fi
  summary+="$(printf '%-24s %10s runs %8s exec/s  corpus %5s' "$t" "${runs:-?}" "$rate" \
    "$(find "$build/fuzz-corpus/$t" -type f | wc -l)")"$'\n'
  if [ "$status" != 0 ]; then
    failed+=("$t")
    echo "fuzz.sh: $t FAILED (exit $status); its log:" >&2
    grep -v '^#' "$log" | tail -60 >&2
    for c in "$build/fuzz-crashes/$t"/*; do
      [ -e "$c" ] && echo "fuzz.sh: reproduce with: $build/tests/fuzz/$t $c" >&2
    done
  fi
done

printf '\n%s' "$summary"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: failed: ${failed[*]} (inputs in $build/fuzz-crashes/, logs in $build/fuzz-logs/)" >&2
  exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, ${seconds}s each, no failures"
