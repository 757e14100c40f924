#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz in the sanitizer build, build-asan/ (clang,
# ASan+UBSan, coverage on every library: tools/configure-sanitized.sh), and runs fuzz_rules
# and fuzz_campaign for SECONDS each (default 60), side by side (one core each).
#   tools/fuzz.sh [SECONDS]
# Inputs that crash, hang (> 10 s) or exhaust memory (> 2 GB) are saved to
# tests/fuzz/crashes/ and the script exits 1: minimise them, fix, and move them
# to tests/fuzz/regressions/<target>/ (replayed by CTest in every build).
# The corpus grown by a run stays in build-asan/corpus/<target>/ for the next one.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=build-asan
max_len=16384

start=$(date +%s)
tools/configure-sanitized.sh
cmake --build "$build" --target fuzz_rules fuzz_campaign
echo "fuzz : compilation en $(($(date +%s) - start)) s"

# Seeds: the committed ones, the shipped rules and example, the bad-input corpora.
extra="$build/seeds"
rm -rf "$extra"
mkdir -p "$extra/fuzz_rules" "$extra/fuzz_campaign" tests/fuzz/crashes \
  "$build/corpus/fuzz_rules" "$build/corpus/fuzz_campaign"
# Known, not yet fixed crashes (regressions/*/xfail/, bad-input cases marked "xfail_crash") are
# not seeds: they would stop the run at once.
copy_seeds() {  # copy_seeds TARGET FOLDER PATTERN
  find "$2" -name "$3" -size -64k -exec sh -c \
    'for f; do cp "$f" "$0/$(echo "$f" | tr / _)"; done' "$extra/$1" {} +
}
copy_seeds fuzz_rules rules '*.tamis'
copy_seeds fuzz_rules tests/bad_input/rules '*.tamis'
for case in tests/bad_input/rule_files/*/; do
  grep -q '"xfail_crash": true' "${case%/}.json" || copy_seeds fuzz_rules "$case" '*.tamis'
done
copy_seeds fuzz_campaign tests/bad_input/campaigns '*.csv'
for target in fuzz_rules fuzz_campaign; do
  find "tests/fuzz/regressions/$target" -path '*/xfail' -prune -o -type f ! -name '*.md' \
    -exec cp {} "$extra/$target/" \;
done
head -n 40 examples/campagne-2024.csv > "$extra/fuzz_campaign/campagne-2024-40-lignes.csv"

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' INT TERM
for target in fuzz_rules fuzz_campaign; do
  "$build/tests/fuzz/$target" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -dict="tests/fuzz/$target.dict" \
    -artifact_prefix="tests/fuzz/crashes/$target-" \
    "$build/corpus/$target" "tests/fuzz/seeds/$target" "$extra/$target" \
    > "$build/$target.log" 2>&1 &
  pids+=($!)
done

status=0
i=0
for target in fuzz_rules fuzz_campaign; do
  if wait "${pids[$i]}"; then
    result="aucun plantage"
  else
    result="ÉCHEC (voir $build/$target.log et tests/fuzz/crashes/)"
    status=1
    grep -E -A40 '^==[0-9]+==ERROR|runtime error|invariant violated|Test unit written' \
      "$build/$target.log" | head -80 || tail -40 "$build/$target.log"
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/$target.log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$build/$target.log")
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$build/$target.log")
  cov=$(grep -E '^#[0-9]+' "$build/$target.log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)
  echo "fuzz : $target : ${execs:-?} exécutions (${rate:-?}/s, ${rss:-?} Mo, ${cov:-cov ?}) :" \
    "$result"
  i=$((i + 1))
done
exit $status
