#!/usr/bin/env bash
# Configures build-asan/, the sanitizer build: clang, AddressSanitizer + UBSan and libFuzzer
# coverage on every library of the build, libstdc++ assertions, -O1 with line tables (as
# OSS-Fuzz builds), assertions on. `TAMIS_SANITIZE=1 ./test.sh` runs every test in it and
# `tools/fuzz.sh` builds the fuzz targets in it: one build for both. Against a g++ -O0 build
# for the tests and a separate one for the fuzz targets (measured on this project's 2-core
# machine): builds 295 s + 155 s → 318 s, tests 212 s → 109 s.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup-debian.sh fuzz
CC=clang CXX=clang++ cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" -DTAMIS_FUZZ=ON -DTAMIS_WERROR=OFF \
  > /dev/null
