#!/usr/bin/env python3
"""`tamis run --coverage` counts what the results file shows.

Runs `tamis run rules/cop2024 CAMPAIGN --output r.csv --coverage` on the example and
trap campaigns and checks, from the printed coverage table:
  - for each rule of decision `categorie`, "applied" equals the number of result rows whose
    `regle` column names that rule;
  - applied + tried-without-applying of the first rule equals the number of classified rows
    (every dossier tries the first rule), and every later rule is tried by exactly the
    dossiers that no earlier rule took;
  - each definition's true + false equals the number of classified rows.

    run_coverage.py --tamis build/tamis [--work DIR]
"""

import argparse
import collections
import csv
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
LINE = re.compile(r"^\s+(\d+) / (\d+)\s+(.*)$")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tamis", required=True)
    ap.add_argument("--work")
    args = ap.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="tamis-coverage-"))
    work.mkdir(parents=True, exist_ok=True)
    failures = []
    for campaign in ("examples/campagne-2024.csv", "tests/reference/pieges-2024.csv"):
        out = work / "r.csv"
        p = subprocess.run([args.tamis, "run", "rules/cop2024", campaign, "--output", str(out),
                            "--coverage"], cwd=ROOT, capture_output=True, text=True)
        if p.returncode != 0:
            failures.append(f"{campaign}: exit {p.returncode}: {p.stderr}")
            continue
        with out.open(encoding="utf-8", newline="") as f:
            rows = [r for r in csv.DictReader(f) if not r["rejet"]]
        applied = collections.Counter(r["regle"] for r in rows)
        rules, definitions, section = [], [], None
        for line in p.stdout.splitlines():
            if line.strip().startswith("Règles"):
                section = rules
            elif line.strip().startswith("Définitions"):
                section = definitions
            elif (m := LINE.match(line)) and section is not None:
                section.append((int(m.group(1)), int(m.group(2)), m.group(3).strip()))
        if not rules or not definitions:
            failures.append(f"{campaign}: no coverage table in the output")
            continue
        remaining = len(rows)
        for true, false, name in rules:
            rule = name.split(" / ", 1)[1]
            if true != applied.get(rule, 0):
                failures.append(f"{campaign}: {rule}: applied {true}, results say {applied.get(rule, 0)}")
            if true + false != remaining:
                failures.append(f"{campaign}: {rule}: tried {true + false}, expected {remaining}")
            remaining -= true
        for true, false, name in definitions:
            if true + false != len(rows):
                failures.append(f"{campaign}: {name}: {true + false} dossiers, expected {len(rows)}")
        print(f"ok: {campaign}: {len(rules)} rules, {len(definitions)} definitions, "
              f"{len(rows)} classified dossiers" if not failures else f"checked {campaign}")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
