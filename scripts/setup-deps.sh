#!/usr/bin/env bash
# Installs every Debian package Constellation needs to build and test.
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
  # real mDNS in the tests: private dbus + avahi-daemon per network namespace
  avahi-daemon avahi-utils dbus iproute2 util-linux
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

export DEBIAN_FRONTEND=noninteractive
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-deps: all ${#packages[@]} packages already installed"
  exit 0
fi
echo "setup-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
