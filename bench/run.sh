#!/usr/bin/env bash
# Measures Tamis on generated campaigns and prints one table: figure, target,
# measured, pass/fail. Data is generated deterministically (tools/gen_campaign.py).
# usage: bench/run.sh [ROWS]   (default 1000000; the example campaign is also measured)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=${BENCH_DIR:-build-bench/data}
mkdir -p "$work"
tools/setup-debian.sh
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DTAMIS_TESTS=OFF > /dev/null
cmake --build build-bench --target tamis > /dev/null
tamis=build-bench/tamis

campaign="$work/campagne-$rows.csv"
[ -f "$campaign" ] || python3 tools/gen_campaign.py --rows "$rows" --seed 424242 --output "$campaign"
small="$work/campagne-10000.csv"
[ -f "$small" ] || python3 tools/gen_campaign.py --rows 10000 --seed 424242 --output "$small"

seconds() { python3 - "$@" <<'PY'
import subprocess, sys, time
t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(f"{time.perf_counter() - t:.4f}")
PY
}
peak_rss_mb() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1/1024}'; }

cat "$campaign" > /dev/null  # page cache
wc_s=$(seconds wc -l "$campaign")
run_s=$(seconds "$tamis" run rules/cop2024 "$campaign" --output "$work/r.csv")
trace_s=$(seconds "$tamis" run rules/cop2024 "$small" --trace "$work/t.jsonl")
check_s=$(seconds "$tamis" check rules/cop2024)
example_s=$(seconds "$tamis" run rules/cop2024 examples/campagne-2024.csv --output "$work/e.csv")
rss_big=$(peak_rss_mb "$tamis" run rules/cop2024 "$campaign" --output "$work/r.csv")
rss_example=$(peak_rss_mb "$tamis" run rules/cop2024 examples/campagne-2024.csv --output "$work/e.csv")

# Instructions per dossier: callgrind on two sizes, the difference divided by the extra rows.
instr() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/Collected/ {print $4}'; }
head -2001 "$small" > "$work/c2k.csv"; head -6001 "$small" > "$work/c6k.csv"
i2=$(instr "$tamis" run rules/cop2024 "$work/c2k.csv" --output "$work/x.csv")
i6=$(instr "$tamis" run rules/cop2024 "$work/c6k.csv" --output "$work/x.csv")

python3 - "$rows" "$wc_s" "$run_s" "$trace_s" "$check_s" "$example_s" "$rss_big" "$rss_example" "$i2" "$i6" <<'PY'
import sys
rows, wc_s, run_s, trace_s, check_s, ex_s, rss_big, rss_ex, i2, i6 = sys.argv[1:]
rows = int(rows); wc_s, run_s, trace_s, check_s, ex_s = map(float, (wc_s, run_s, trace_s, check_s, ex_s))
per_row = (int(i6) - int(i2)) / 4000
figures = [
    ("bout en bout (dossiers/s)", ">= 1 000 000", rows / run_s, lambda v: v >= 1e6, "{:,.0f}"),
    ("bout en bout / lecture brute (wc -l)", "<= 10x", run_s / wc_s, lambda v: v <= 10, "{:.1f}x"),
    ("avec --trace (dossiers/s)", ">= 150 000", 10000 / trace_s, lambda v: v >= 150000, "{:,.0f}"),
    ("check rules/cop2024 (ms)", "<= 50", check_s * 1000, lambda v: v <= 50, "{:.0f}"),
    ("campagne d'exemple, processus entier (ms)", "<= 20", ex_s * 1000, lambda v: v <= 20, "{:.0f}"),
    (f"RSS max, {rows:,} dossiers (Mo)", "<= 100", float(rss_big), lambda v: v <= 100, "{:.1f}"),
    ("RSS max, campagne d'exemple (Mo)", "<= 30", float(rss_ex), lambda v: v <= 30, "{:.1f}"),
    ("instructions par dossier (callgrind)", "<= 2 000", per_row, lambda v: v <= 2000, "{:,.0f}"),
]
print(f"{'mesure':45} {'cible':>14} {'mesuré':>14}  résultat")
for name, target, value, ok, fmt in figures:
    print(f"{name:45} {target:>14} {fmt.format(value):>14}  {'ok' if ok(value) else 'ÉCHEC'}")
print("(non mesurés ici : évaluation seule par cœur, comparaison GoRules Zen, passage à 2 fils — voir bench/README.md)")
PY
