#!/usr/bin/env bash
# Installs the Debian 12 packages Tamis needs to build and test, only those missing.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config clang-format
  antlr4 libantlr4-runtime-dev default-jre-headless
  libboost-dev libboost-locale-dev libboost-program-options-dev libicu-dev
  libfmt-dev libspdlog-dev nlohmann-json3-dev libsqlite3-dev sqlite3 libssl-dev catch2
  python3
  libxlsxwriter-dev python3-openpyxl chromium
)
# `tools/setup-debian.sh fuzz` (tools/fuzz.sh): clang and its runtime libraries with libFuzzer
# (libclang-rt-14-dev is only recommended by clang-14, and recommends are not installed).
if [ "${1:-}" = "fuzz" ]; then
  packages+=(clang libclang-rt-14-dev)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installation des paquets manquants : ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
