#!/usr/bin/env python3
"""The same rules and input give byte-identical outputs whatever the number of threads.

For each campaign this runs, from the repository root,

    tamis run RULES CAMPAIGN --output r.csv --rejects j.csv --trace t.jsonl --coverage
              --threads N

and the same with --output and --rejects only (batches have another size without
explanations), for N = 1, 2, 3 and 8, and compares the results, rejects and trace files,
standard output and the exit status byte for byte with the single-thread run. Campaigns: the
example, the trap campaign (rejected rows, duplicate IDs), and a generated campaign large
enough for worker threads and several of their batches (tools/gen_campaign.py, 12,000 rows,
fixed seed) into which rejected rows and duplicate identifiers are spliced at batch
boundaries, before and after the rows that the calling thread classifies alone.

    threads_determinism.py --tamis build/tamis [--work DIR]

Python 3 standard library only. Exit status 0 when every check passes, 1 otherwise.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
THREADS = [1, 2, 3, 8]


def make_generated(work: Path) -> Path:
    path = work / "generated.csv"
    subprocess.run([sys.executable, str(ROOT / "tools/gen_campaign.py"), "--rows", "12000",
                    "--seed", "31", "--output", str(path)], check=True, cwd=ROOT)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    # Duplicates of earlier rows far away (crossing batches, and from the calling thread's
    # rows into the workers'), unreadable dates and rows with too few fields, around the
    # batch sizes (1,024 rows; 64 with explanations) and after the first 4,096 rows.
    def bad_date(row: str) -> str:
        return row.replace("2025-", "2025-13-", 1) if "2025-" in row else "x\n"
    rows.insert(1023, rows[0])
    rows.insert(2048, bad_date(rows[5]))
    rows.insert(3000, "12345678,En instruction\n")
    rows.insert(5119, rows[7])
    rows.insert(6144, bad_date(rows[9]))
    rows.insert(9000, "87654321,En instruction\n")
    rows.insert(9001, rows[8999])
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def run(tamis: str, rules: str, campaign: Path, out: Path, threads: int, traced: bool):
    out.mkdir(parents=True, exist_ok=True)
    extras = ["--trace", str(out / "t.jsonl"), "--coverage"] if traced else []
    p = subprocess.run([tamis, "run", rules, str(campaign), "--output", str(out / "r.csv"),
                        "--rejects", str(out / "j.csv"), *extras, "--threads", str(threads)],
                       cwd=ROOT, capture_output=True)
    files = {name: (out / name).read_bytes() if (out / name).exists() else None
             for name in ("r.csv", "j.csv", "t.jsonl")}
    # Standard output names the output files: compare it with their folder masked.
    return p.returncode, p.stdout.replace(str(out).encode(), b"OUT"), files


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tamis", required=True)
    ap.add_argument("--work")
    args = ap.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="tamis-threads-"))
    work.mkdir(parents=True, exist_ok=True)
    campaigns = [("rules/cop2024", ROOT / "examples/campagne-2024.csv"),
                 ("rules/cop2025", ROOT / "examples/campagne-2024.csv"),
                 ("rules/cop2024", ROOT / "tests/reference/pieges-2024.csv"),
                 ("rules/cop2024", make_generated(work))]
    failures = 0
    runs = [(index, rules, campaign, traced) for index, (rules, campaign) in enumerate(campaigns)
            for traced in (True, False)]
    for index, rules, campaign, traced in runs:
        mode = "traced" if traced else "plain"
        reference = run(args.tamis, rules, campaign, work / f"{index}-{mode}-t1", 1, traced)
        if reference[0] not in (0,) or reference[2]["r.csv"] is None:
            print(f"FAIL: {rules} {campaign.name} ({mode}): single-thread run exited "
                  f"{reference[0]}")
            failures += 1
            continue
        before = failures
        for threads in THREADS[1:]:
            got = run(args.tamis, rules, campaign, work / f"{index}-{mode}-t{threads}", threads,
                      traced)
            for what, a, b in (("exit status", reference[0], got[0]),
                               ("standard output", reference[1], got[1]),
                               ("results file", reference[2]["r.csv"], got[2]["r.csv"]),
                               ("rejects file", reference[2]["j.csv"], got[2]["j.csv"]),
                               ("trace file", reference[2]["t.jsonl"], got[2]["t.jsonl"])):
                if a != b:
                    print(f"FAIL: {rules} {campaign.name} ({mode}): {what} differs with "
                          f"--threads {threads} from --threads 1")
                    failures += 1
        rejected = reference[2]["j.csv"].count(b"\n") - 1
        if failures == before:
            print(f"ok: {rules} {campaign.name} ({mode}): identical for --threads {THREADS} "
                  f"({rejected} rejected row(s))")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
