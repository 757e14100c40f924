#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test (CTest + Catch2).
# TAMIS_SANITIZE=1 ./test.sh builds and tests under AddressSanitizer + UBSan instead.
set -euo pipefail
cd "$(dirname "$0")"
tools/setup-debian.sh
build=build-tests
flags=(-DCMAKE_BUILD_TYPE=Release)
if [ "${TAMIS_SANITIZE:-0}" = "1" ]; then
  build=build-asan
  flags=(-DCMAKE_BUILD_TYPE=Debug -DTAMIS_SANITIZE=ON)
fi
cmake -S . -B "$build" -G Ninja "${flags[@]}" > /dev/null
cmake --build "$build"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
