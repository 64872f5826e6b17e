#!/usr/bin/env bash
# Installs every Debian package Constellation needs to build and test, then the pinned
# npm packages of the interop tests (tests/interop).
# Idempotent; run as root (or with sudo available). Debian 12 (bookworm).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config mold git
  # libraries (Boost 1.81, not the default 1.74: see docs/build-notes.md)
  libboost1.81-dev libboost-url1.81-dev
  nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev libavahi-client-dev
  libcli11-dev libspdlog-dev libfmt-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev
  # used by the end-to-end tests and by humans following the README
  jq curl procps
  # tests/docs/troubleshooting_check.py, tests/fuzz/make_corpus.py, bench/run's report
  python3
  # real mDNS in the tests: private dbus + avahi-daemon per network namespace
  avahi-daemon avahi-utils dbus iproute2 util-linux
  # scripts/sanitize.sh and scripts/fuzz.sh: clang 14, its ASan/UBSan/libFuzzer runtimes
  # (not pulled in by clang without recommends) and llvm-symbolizer for stack traces
  clang libclang-rt-14-dev llvm-14
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

export DEBIAN_FRONTEND=noninteractive
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    "${sudo_cmd[@]}" apt-get update -qq
    apt_updated=1
  fi
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@"
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-deps: all ${#packages[@]} packages already installed"
else
  echo "setup-deps: installing ${missing[*]}"
  apt_install "${missing[@]}"
fi

# Interop tests (tests/interop, tests/e2e/interop_test.cc) run the official A2A
# JavaScript SDK, pinned in tests/interop/package-lock.json. Node and npm are checked by
# command rather than by package name: a machine may have Node from another source
# (e.g. NodeSource) whose package is not Debian's `npm`.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "setup-deps: installing nodejs npm"
  apt_install nodejs npm
fi
interop="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/interop" && pwd)"
# The SDK needs Node 20 (its server uses the global `crypto`, which Node 18 lacks), and
# Debian 12's own nodejs is 18. The npm registry carries Node itself as the `node`
# package: install that, pinned, beside the tests; CMake prefers it to the system node.
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ] && [ ! -x "$interop/.node/node_modules/.bin/node" ]; then
  echo "setup-deps: Node $(node --version) is older than 20; installing node@20.20.2 from npm" \
       "into tests/interop/.node"
  (cd "$interop" && npm install --prefix .node --no-audit --no-fund --no-save node@20.20.2)
fi

# `npm ci` wipes and reinstalls node_modules, so run it only when the lock file changed
# since the last install (the stamp holds a copy of the lock it installed).
stamp="$interop/node_modules/.constellation-lock-stamp"
if [ -f "$stamp" ] && cmp -s "$stamp" "$interop/package-lock.json"; then
  echo "setup-deps: tests/interop node modules up to date"
else
  echo "setup-deps: npm ci in tests/interop"
  (cd "$interop" && npm ci --no-audit --no-fund)
  cp "$interop/package-lock.json" "$stamp"
fi
