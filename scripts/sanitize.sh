#!/usr/bin/env bash
# Builds the whole project, tests and the `constellation` binary the end-to-end tests
# spawn, with AddressSanitizer (LeakSanitizer included) and UBSan under clang, and runs
# every test in it:
#
#   scripts/sanitize.sh              # configure + build build-san, then ctest
#
# Build directory build-san (override with BUILD_DIR); the libFuzzer targets are
# configured in the same directory, so scripts/fuzz.sh afterwards only builds those.
# JOBS sets the build's parallelism (default: every core), CTEST_JOBS the tests'
# (default: 2 x JOBS). Any sanitizer report fails the test that triggered it: UBSan does
# not recover, ASan and LSan end the process with an error. Leaks in third-party libraries are suppressed in tests/sanitizer/lsan.supp.
#
# Why -O0 -gline-tables-only: with ASan + UBSan, clang spends most of its time optimising
# the instrumented code; a Beast TU takes 40 s of CPU at -O0 against 132 s at -O1 (and
# 178 s with g++ -O1), which is what keeps CI within its time. Line tables cost nothing
# measurable and give file:line stack traces. The fuzzed codecs are built at -O1
# (tests/fuzz/CMakeLists.txt), where execution speed matters more.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

build="${BUILD_DIR:-build-san}"
jobs="${JOBS:-$(nproc)}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCONSTELLATION_FUZZ=ON \
    -DCONSTELLATION_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG="-O0 -gline-tables-only"
fi
cmake --build "$build" -- -j"$jobs"

symbolizer="$(command -v llvm-symbolizer || command -v llvm-symbolizer-14 || true)"
if [ -n "$symbolizer" ]; then export ASAN_SYMBOLIZER_PATH="$symbolizer"; fi
# Inherited by every process a test starts, the daemons of the end-to-end tests included.
export ASAN_OPTIONS="detect_leaks=1:strict_init_order=1:check_initialization_order=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$repo/tests/sanitizer/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# The end-to-end tests' deadlines assume a normal build; sanitized daemons start and
# answer a few times slower (tests/e2e/process.h reads this).
export CONSTELLATION_TEST_TIME_SCALE="${CONSTELLATION_TEST_TIME_SCALE:-3}"

# Twice as many tests as cores: the end-to-end tests mostly wait on their daemons, and the
# whole suite took 193 s at -j4 against 300 s at -j2 on two busy cores, without failures.
ctest --test-dir "$build" --output-on-failure -j"${CTEST_JOBS:-$((2 * jobs))}"
