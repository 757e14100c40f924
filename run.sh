#!/usr/bin/env bash
# Installs what is missing, builds Tamis (Release) and classifies the bundled
# example campaign with the COP 2024 rules. Results: out/resultats-2024.csv.
set -euo pipefail
cd "$(dirname "$0")"
tools/setup-debian.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTAMIS_TESTS=OFF > /dev/null
cmake --build build --target tamis
mkdir -p out
./build/tamis run rules/cop2024 examples/campagne-2024.csv --output out/resultats-2024.csv
