#!/usr/bin/env python3
"""The same rules and input give byte-identical outputs whatever the number of threads.

For each campaign this runs, from the repository root,

    tamis run RULES CAMPAIGN --output r.csv --rejects j.csv --trace t.jsonl --coverage
              --threads N

for N = 1, 2, 3 and 8, and compares the results, rejects and trace files, standard output
and the exit status byte for byte with the single-thread run. Campaigns: the example, the
trap campaign (rejected rows, duplicate IDs), and a generated campaign large enough for
several batches (tools/gen_campaign.py, 6,000 rows, fixed seed) into which rejected rows and
duplicate identifiers are spliced at batch boundaries.

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
    subprocess.run([sys.executable, str(ROOT / "tools/gen_campaign.py"), "--rows", "6000",
                    "--seed", "31", "--output", str(path)], check=True, cwd=ROOT)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    # A duplicate of the first row far away (crosses batches), an unreadable date and a
    # row with too few fields, around the 1,024-row batch size.
    rows.insert(1023, rows[0])
    rows.insert(2048, rows[5].replace("2025-", "2025-13-", 1) if "2025-" in rows[5] else "x\n")
    rows.insert(3000, "12345678,En instruction\n")
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def run(tamis: str, rules: str, campaign: Path, out: Path, threads: int):
    out.mkdir(parents=True, exist_ok=True)
    p = subprocess.run([tamis, "run", rules, str(campaign), "--output", str(out / "r.csv"),
                        "--rejects", str(out / "j.csv"), "--trace", str(out / "t.jsonl"),
                        "--coverage", "--threads", str(threads)],
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
    for index, (rules, campaign) in enumerate(campaigns):
        reference = run(args.tamis, rules, campaign, work / f"{index}-t1", 1)
        if reference[0] not in (0,) or reference[2]["r.csv"] is None:
            print(f"FAIL: {rules} {campaign.name}: single-thread run exited {reference[0]}")
            failures += 1
            continue
        before = failures
        for threads in THREADS[1:]:
            got = run(args.tamis, rules, campaign, work / f"{index}-t{threads}", threads)
            for what, a, b in (("exit status", reference[0], got[0]),
                               ("standard output", reference[1], got[1]),
                               ("results file", reference[2]["r.csv"], got[2]["r.csv"]),
                               ("rejects file", reference[2]["j.csv"], got[2]["j.csv"]),
                               ("trace file", reference[2]["t.jsonl"], got[2]["t.jsonl"])):
                if a != b:
                    print(f"FAIL: {rules} {campaign.name}: {what} differs with --threads "
                          f"{threads} from --threads 1")
                    failures += 1
        rejected = reference[2]["j.csv"].count(b"\n") - 1
        if failures == before:
                print(f"ok: {rules} {campaign.name}: identical for --threads {THREADS} "
                  f"({rejected} rejected row(s))")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
