#!/usr/bin/env bash
# The one setup command: installs the Debian 12 packages, configures and builds.
# Safe to rerun: packages already present are skipped, and CMake and Ninja redo only
# what changed. Run it from anywhere; it works on the repository it lives in.
# Afterwards the binary is build/constellation and the tests run with the README's
# command: cmake --build build && ctest --test-dir build --output-on-failure -j2
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

./scripts/setup-deps.sh

# A build/ configured earlier with another generator cannot be switched to Ninja in
# place; say so rather than fail with CMake's less direct message.
if [ -f build/CMakeCache.txt ]; then
  generator="$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' build/CMakeCache.txt)"
  if [ -n "$generator" ] && [ "$generator" != "Ninja" ]; then
    echo "setup: build/ was configured with '$generator', not Ninja;" \
         "remove it (rm -rf build) and rerun ./scripts/setup.sh" >&2
    exit 1
  fi
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"

echo
echo "setup: built $repo/build/constellation"
echo "setup: run the tests with: cmake --build build && ctest --test-dir build --output-on-failure -j2"
