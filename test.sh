#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test (CTest + Catch2).
# TAMIS_SANITIZE=1 ./test.sh builds and tests under AddressSanitizer + UBSan instead
# (clang, build-asan/: tools/configure-sanitized.sh).
set -euo pipefail
cd "$(dirname "$0")"
if [ "${TAMIS_SANITIZE:-0}" = "1" ]; then
  build=build-asan
  tools/configure-sanitized.sh
else
  build=build-tests
  tools/setup-debian.sh
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
fi
cmake --build "$build"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
