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
cmake --build build-bench --target tamis tamis_eval_bench > /dev/null
tamis=build-bench/tamis

campaign="$work/campagne-$rows.csv"
[ -f "$campaign" ] || python3 tools/gen_campaign.py --rows "$rows" --seed 424242 --output "$campaign"
small="$work/campagne-10000.csv"
[ -f "$small" ] || python3 tools/gen_campaign.py --rows 10000 --seed 424242 --output "$small"
# --trace's throughput on 100,000 dossiers (about 700 MB of explanations): on 10,000, the
# process's start-up and compile were a fifth of the time (both figures are printed).
traced="$work/campagne-100000.csv"
[ -f "$traced" ] || python3 tools/gen_campaign.py --rows 100000 --seed 424242 --output "$traced"

# runs_seconds N COMMAND… [-- COMMAND…]…: the median of N runs of each command, in seconds,
# one line each. This VM's speed drifts by a quarter from one run to the next
# (bench/README.md): a single run is a draw. Several commands run in turn (A B A B…), so
# that a ratio between them compares runs of the same moment.
runs_seconds() { python3 - "$@" <<'PY'
import os, subprocess, sys, time
n, args = int(sys.argv[1]), sys.argv[2:]
commands = [[]]
for a in args:
    if a == "--": commands.append([])
    else: commands[-1].append(a)
runs = [[] for _ in commands]
for _ in range(n):
    for command, times in zip(commands, runs):
        # What the runs before left, dealt with untimed. Their outputs (hundreds of MB)
        # written to disk first: else their writeback lands in this run (--trace on
        # 100,000 rows: 0.29 s of system time after a sync, 0.7 s after other runs, on
        # one binary). And this run's output file removed: Tamis writes a new file and
        # renames it over the old one, and the rename frees the old file's pages and
        # blocks (0.33 s for the 723 MB of a 100,000-row --trace, 0.02 s for 225 MB of
        # results), work of the file system's and not of the run's.
        for flag, path in zip(command, command[1:]):
            if flag in ("--output", "--trace") and os.path.exists(path):
                os.remove(path)
        os.sync()
        t = time.perf_counter(); subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
for times in runs:
    print(f"{sorted(times)[len(times) // 2]:.4f}")
PY
}
seconds() { runs_seconds 3 "$@"; }  # the campaigns of 100,000 dossiers and more
# Commands of a few milliseconds, whose single runs vary by a few: the median of 11.
median_seconds() { runs_seconds 11 "$@"; }
peak_rss_mb() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1/1024}'; }

cat "$campaign" > /dev/null  # page cache
# The read floor and the run in turn (wc, run, wc, run…), the median of 5 each: their
# ratio compares runs of the same moment (measured apart, wc -l alone drifted from 0.04
# to 0.06 s from one bench run to the next).
{ read -r wc_s; read -r run_s; } < <(runs_seconds 5 wc -l "$campaign" -- "$tamis" run rules/cop2024 "$campaign" --output "$work/r.csv")
# The median of 5: writing 700 MB, a run now and then waits on the disk's writeback (0.18 s
# usually, 0.75 s at times: a median of 3 once read 133,565 dossiers/s).
trace_s=$(runs_seconds 5 "$tamis" run rules/cop2024 "$traced" --trace "$work/t.jsonl")
# 10,000 traced dossiers take about 30 ms: the median of 5. A single run is a draw (261,000
# dossiers/s in one bench run; medians of 5 gave 322,000-327,000 in the three after it).
trace10k_s=$(runs_seconds 5 "$tamis" run rules/cop2024 "$small" --trace "$work/t.jsonl")
rm -f "$work/t.jsonl"
export TRACE10K_S="$trace10k_s"
check_s=$(median_seconds "$tamis" check rules/cop2024)
# A generated rule set of 10,000 rules (tools/gen_rules.py, deterministic), compiled by check.
rules10k="$work/regles-10000"
python3 tools/gen_rules.py --rules 10000 --seed 20241206 --output "$rules10k"
check10k_s=$(runs_seconds 1 "$tamis" check "$rules10k")
example_s=$(median_seconds "$tamis" run rules/cop2024 examples/campagne-2024.csv --output "$work/e.csv")
rss_big=$(peak_rss_mb "$tamis" run rules/cop2024 "$campaign" --output "$work/r.csv")
rss_example=$(peak_rss_mb "$tamis" run rules/cop2024 examples/campagne-2024.csv --output "$work/e.csv")

# Instructions per dossier: callgrind on two sizes, the difference divided by the extra rows.
instr() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/Collected/ {print $4}'; }
# The header and the first 2,000 and 6,000 records (not lines: some fields span lines, and
# `head` on lines had given 3,843 more records, not 4,000, so the figure read 4 % low).
first_records() {
  python3 - "$1" "$2" <<'CUT'
import sys
path, count = sys.argv[1], int(sys.argv[2])
records, quotes, out = -1, 0, []
with open(path, "rb") as f:
    for line in f:
        out.append(line)
        quotes += line.count(b'"')
        if quotes % 2 == 0:  # the record ends with this line (generated data: well formed)
            records += 1
            if records == count:
                break
sys.stdout.buffer.write(b"".join(out))
CUT
}
first_records "$small" 2000 > "$work/c2k.csv"; first_records "$small" 6000 > "$work/c6k.csv"
# One thread: the work per dossier, without the pipeline's hand-offs (valgrind runs threads
# one at a time anyway).
i2=$(instr "$tamis" run rules/cop2024 "$work/c2k.csv" --output "$work/x.csv" --threads 1)
i6=$(instr "$tamis" run rules/cop2024 "$work/c6k.csv" --output "$work/x.csv" --threads 1)

# Evaluation alone (records decoded beforehand, one thread): bench/eval/eval_bench.cpp.
eval_line=$(build-bench/tamis_eval_bench rules/cop2024 "$campaign" 3)
eval_rate=$(sed -n 's/.*per_second=\([0-9]*\).*/\1/p' <<<"$eval_line")
# The same on 10,000 records, which stay in the processor's caches, as a record being
# classified does (decoded just before it is evaluated): the figure above also measures
# reading a million decoded records from memory (informative, no target).
eval_cached_line=$(build-bench/tamis_eval_bench rules/cop2024 "$small" 300)
eval_cached_rate=$(sed -n 's/.*per_second=\([0-9]*\).*/\1/p' <<<"$eval_cached_line")
# Scaling and determinism across thread counts (results compared byte for byte).
# One and two threads in turn, 5 runs each: their ratio is taken at the same moments.
scaling=$(runs_seconds 5 \
  "$tamis" run rules/cop2024 "$campaign" --output "$work/t1.csv" --threads 1 -- \
  "$tamis" run rules/cop2024 "$campaign" --output "$work/t2.csv" --threads 2)
t1_s=$(sed -n 1p <<<"$scaling"); t2_s=$(sed -n 2p <<<"$scaling")
"$tamis" run rules/cop2024 "$campaign" --output "$work/t8.csv" --threads 8 > /dev/null
threads_identical=0
cmp -s "$work/t1.csv" "$work/t2.csv" && cmp -s "$work/t1.csv" "$work/t8.csv" && threads_identical=1
export EVAL_RATE="$eval_rate" EVAL_CACHED_RATE="$eval_cached_rate" T1_S="$t1_s" T2_S="$t2_s" THREADS_IDENTICAL="$threads_identical"

# --- GoRules Zen comparison (issue #7; bench/zen/, see bench/README.md) -----------------
# The same rules as a Zen decision graph (bench/zen/cop2024.json), evaluated by
# @gorules/zen-engine on the first ZEN_ROWS dossiers of the generated campaign, pinned to
# one core; categories checked against Tamis's on every dossier (bench/zen/compare.py).
zen_rows=${ZEN_ROWS:-100000}
(( zen_rows > rows )) && zen_rows=$rows
# Tamis's results to compare categories with: the one-thread run above (same file as any
# thread count, checked by threads_identical).
tamis1_results="$work/t1.csv"
# Both sides evaluate records decoded beforehand (Zen's JSON inputs are built untimed):
# Tamis's evaluation-only figure, one thread (wall and CPU time are the same there).
tamis_rate_for_zen=$eval_rate
tamis_cpu_rate_for_zen=$eval_rate
zen_basis="évaluation seule, 1 fil (bout en bout 1 fil : $(python3 -c "print(f'{$rows / $t1_s:,.0f}')") dossiers/s)"
zen_rate=""; zen_cpu_rate=""; zen_identical=""; zen_total=0; zen_note="Zen non mesuré (node/npm absents)"
if command -v node > /dev/null && command -v npm > /dev/null; then
  [ -d bench/zen/node_modules/@gorules/zen-engine ] \
    || npm ci --prefix bench/zen --no-audit --no-fund > /dev/null
  python3 bench/zen/make_jdm.py --check  # cop2024.json still says what rules/cop2024 says
  pin=()
  command -v taskset > /dev/null && pin=(taskset -c 0)
  if ! zen_line=$("${pin[@]}" node bench/zen/zen_bench.js "$campaign" --rows "$zen_rows" \
                   --output "$work/zen.csv" 2> "$work/zen.log" | grep '^ZEN '); then
    cat "$work/zen.log" >&2
    exit 1
  fi
  zen_rate=$(sed -n 's/.*dossiers_per_s=\([0-9]*\).*/\1/p' <<<"$zen_line")
  zen_cpu_rate=$(sed -n 's/.*dossiers_per_cpu_s=\([0-9]*\).*/\1/p' <<<"$zen_line")
  # Zen's dossiers are the first zen_rows of the campaign: compared with the same rows of Tamis.
  if zen_agree=$(python3 bench/zen/compare.py "$tamis1_results" "$work/zen.csv" 2> "$work/zen-compare.log"); then
    :
  else
    echo "bench: Zen et Tamis divergent (premières différences) :" >&2
    cat "$work/zen-compare.log" >&2
  fi
  zen_identical=$(sed -n 's/.*identical=\([0-9]*\).*/\1/p' <<<"$zen_agree")
  zen_total=$(sed -n 's/.*rows=\([0-9]*\).*/\1/p' <<<"$zen_agree")
  zen_note="Tamis / Zen : Tamis $zen_basis ; Zen $(sed -n 's/.*zen=\([^ ]*\).*/\1/p' <<<"$zen_line"), $zen_rows dossiers, ${pin[*]:-non épinglé} : "
  zen_note+=$(sed -n 's/^zen_bench: \(single\|batch[^:]*\): .* = \([0-9]*\) dossiers\/s.*/\1 \2\/s/p' "$work/zen.log" | paste -sd ';' | sed 's/;/ ; /g')
fi
export ZEN_RATE="$zen_rate" ZEN_IDENTICAL="$zen_identical" ZEN_TOTAL="$zen_total" \
       ZEN_TAMIS_RATE="$tamis_rate_for_zen" ZEN_NOTE="$zen_note" \
       ZEN_CPU_RATE="$zen_cpu_rate" ZEN_TAMIS_CPU_RATE="$tamis_cpu_rate_for_zen"
# --- end of the Zen comparison block ------------------------------------------------------

python3 - "$rows" "$wc_s" "$run_s" "$trace_s" "$check_s" "$example_s" "$rss_big" "$rss_example" "$i2" "$i6" "$check10k_s" <<'PY'
import sys
rows, wc_s, run_s, trace_s, check_s, ex_s, rss_big, rss_ex, i2, i6, check10k_s = sys.argv[1:]
rows = int(rows); wc_s, run_s, trace_s, check_s, ex_s = map(float, (wc_s, run_s, trace_s, check_s, ex_s))
check10k_s = float(check10k_s)
per_row = (int(i6) - int(i2)) / 4000
figures = [
    ("bout en bout (dossiers/s)", ">= 1 000 000", rows / run_s, lambda v: v >= 1e6, "{:,.0f}"),
    ("bout en bout / lecture brute (wc -l)", "<= 10x", run_s / wc_s, lambda v: v <= 10, "{:.2f}x"),
    ("avec --trace, 100 000 dossiers (dossiers/s)", ">= 150 000", 100000 / trace_s,
     lambda v: v >= 150000, "{:,.0f}"),
    ("check rules/cop2024 (ms)", "<= 50", check_s * 1000, lambda v: v <= 50, "{:.1f}"),
    ("check, 10 000 règles générées (ms)", "<= 1 000", check10k_s * 1000, lambda v: v <= 1000, "{:.0f}"),
    ("campagne d'exemple, processus entier (ms)", "<= 20", ex_s * 1000, lambda v: v <= 20, "{:.1f}"),
    (f"RSS max, {rows:,} dossiers (Mo)", "<= 100", float(rss_big), lambda v: v <= 100, "{:.1f}"),
    ("RSS max, campagne d'exemple (Mo)", "<= 30", float(rss_ex), lambda v: v <= 30, "{:.1f}"),
    ("instructions par dossier (callgrind)", "<= 2 000", per_row, lambda v: v <= 2000, "{:,.0f}"),
]
import os
figures += [
    ("évaluation seule, 1 fil (dossiers/s)", ">= 5 000 000", float(os.environ["EVAL_RATE"]),
     lambda v: v >= 5e6, "{:,.0f}"),
    ("évaluation seule, 10 000 dossiers en cache", "", float(os.environ["EVAL_CACHED_RATE"]),
     lambda v: True, "{:,.0f}"),
    ("2 fils / 1 fil (bout en bout)", ">= 1.7x", float(os.environ["T1_S"]) / float(os.environ["T2_S"]),
     lambda v: v >= 1.7, "{:.3f}x"),  # 1.695 is no 1.70
    ("résultats identiques avec 1, 2 et 8 fils", "oui", int(os.environ["THREADS_IDENTICAL"]),
     lambda v: v == 1, "{}"),
    ("avec --trace, 10 000 dossiers (dossiers/s)", "", 10000 / float(os.environ["TRACE10K_S"]),
     lambda v: True, "{:,.0f}"),
]
# --- GoRules Zen comparison rows (bench/zen) ---
import os
zen_rate = os.environ.get("ZEN_RATE", "")
if zen_rate:
    zen_rate, zen_total = float(zen_rate), int(os.environ["ZEN_TOTAL"] or 0)
    zen_ident = int(os.environ["ZEN_IDENTICAL"] or 0)
    figures += [
        ("Zen (dossiers/s)", "", zen_rate, lambda v: True, "{:,.0f}"),
        ("Tamis / Zen (par dossier)", ">= 20x",
         float(os.environ["ZEN_TAMIS_RATE"]) / zen_rate, lambda v: v >= 20, "{:.1f}x"),
        ("Tamis / Zen (par seconde CPU)", "", float(os.environ["ZEN_TAMIS_CPU_RATE"])
         / float(os.environ["ZEN_CPU_RATE"]), lambda v: True, "{:.1f}x"),
        ("catégories identiques à Zen", "toutes", zen_ident,
         lambda v: zen_total > 0 and v == zen_total, "{:,}/" + f"{zen_total:,}"),
    ]
# --- end of the Zen comparison rows ---
print(f"{'mesure':45} {'cible':>14} {'mesuré':>14}  résultat")
for name, target, value, ok, fmt in figures:
    print(f"{name:45} {target:>14} {fmt.format(value):>14}  {('ok' if ok(value) else 'ÉCHEC') if target else ''}")
if os.environ.get("ZEN_NOTE"):
    print(f"({os.environ['ZEN_NOTE']})")
if zen_rate and zen_ident != zen_total:
    sys.exit(1)  # different categories: a correctness failure, not a missed target
PY
