#!/usr/bin/env bash
# Classifies a campaign with tamis and with the independent Python oracle of the
# reference rules (tests/reference/oracle.py), then compares them cell by cell.
# usage: check_against_oracle.sh TAMIS RULES_DIR YEAR CAMPAIGN.csv WORKDIR
set -euo pipefail
tamis=$1 rules=$2 year=$3 campaign=$4 work=$5
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"
name=$(basename "$campaign" .csv)
"$tamis" run "$rules" "$campaign" --output "$work/$name.tamis.csv" > "$work/$name.summary.txt"
python3 "$here/reference/oracle.py" --year "$year" "$campaign" > "$work/$name.oracle.csv"
python3 "$here/reference/compare.py" "$work/$name.oracle.csv" "$work/$name.tamis.csv"
