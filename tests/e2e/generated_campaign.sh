#!/usr/bin/env bash
# A campaign the rules have never seen: generated with another seed and shuffled
# columns, then checked against the oracle.
# usage: generated_campaign.sh TAMIS RULES_DIR YEAR SEED ROWS WORKDIR
set -euo pipefail
tamis=$1 rules=$2 year=$3 seed=$4 rows=$5 work=$6
here=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$work"
campaign="$work/generated-$year-$seed.csv"
python3 "$here/tools/gen_campaign.py" --year "$year" --seed "$seed" --rows "$rows" \
  --column-order shuffled --output "$campaign"
exec "$here/tests/e2e/check_against_oracle.sh" "$tamis" "$rules" "$year" "$campaign" "$work"
