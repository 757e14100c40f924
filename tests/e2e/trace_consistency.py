#!/usr/bin/env python3
"""The explanation trace (--trace) agrees with the results file, row for row.

For each campaign (default: the example campaign and the trap campaign) this runs, with
the repository root as working directory,

    tamis run rules/cop2024 CAMPAIGN --output WORK/r.csv --trace WORK/t.jsonl

twice, and checks:
  - both runs give byte-identical results and traces (no clock, no address, no hash order);
  - the trace has exactly one JSON line per data row of the input, in input order, and the
    results file one row per data row, in input order (IDs compared with the input's);
  - every trace line has schema "tamis.explication/1", dossier.fichier = the campaign's file
    name and dossier.ligne = the physical line where the row starts (computed here);
  - for a classified row: decisions[0].valeur = results' `categorie` and
    decisions[0].regle.nom = results' `regle`; results' `rejet` is empty;
  - for a rejected row: the trace line has a non-empty `rejet` list and no `decisions`,
    and results' `rejet` is not empty.

    trace_consistency.py --tamis build/tamis [--work DIR] [CAMPAIGN.csv ...]

Python 3 standard library only. Exit status 0 when every check passes, 1 otherwise.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RULES = "rules/cop2024"
CAMPAIGNS = ["examples/campagne-2024.csv", "tests/reference/pieges-2024.csv"]
SCHEMA = "tamis.explication/1"
MAX_REPORTED = 20


class Checker:
    def __init__(self):
        self.failures = 0

    def fail(self, message):
        self.failures += 1
        if self.failures <= MAX_REPORTED:
            print(f"  FAIL {message}")
        elif self.failures == MAX_REPORTED + 1:
            print("  … (further failures not shown)")


def run(tamis, campaign, results, trace):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    proc = subprocess.run([tamis, "run", RULES, campaign, "--output", str(results),
                           "--trace", str(trace)],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                          timeout=120)
    if proc.returncode != 0:
        sys.stdout.write(proc.stderr.decode("utf-8", errors="replace"))
        raise SystemExit(f"tamis run {campaign} failed with exit status {proc.returncode}")


def input_rows(campaign):
    """[(physical start line, ID)] of the data rows of the campaign."""
    rows = []
    with open(ROOT / campaign, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        column = header.index("ID")
        start = reader.line_num + 1
        for row in reader:
            rows.append((start, row[column].strip() if column < len(row) else ""))
            start = reader.line_num + 1
    return rows


def check_campaign(tamis, campaign, work, check):
    name = Path(campaign).stem
    outputs = []
    for attempt in (1, 2):
        results, trace = work / f"{name}.{attempt}.csv", work / f"{name}.{attempt}.jsonl"
        run(tamis, campaign, results, trace)
        outputs.append((results.read_bytes(), trace.read_bytes()))
    if outputs[0][0] != outputs[1][0]:
        check.fail(f"{campaign}: two runs give different results files")
    if outputs[0][1] != outputs[1][1]:
        check.fail(f"{campaign}: two runs give different traces")

    expected = input_rows(campaign)
    results = list(csv.DictReader(outputs[0][0].decode("utf-8").splitlines(keepends=True)))
    trace_text = outputs[0][1].decode("utf-8")
    if not trace_text.endswith("\n"):
        check.fail(f"{campaign}: the trace does not end with a newline")
    trace_lines = trace_text.split("\n")[:-1] if trace_text else []
    if len(trace_lines) != len(expected):
        check.fail(f"{campaign}: {len(trace_lines)} trace lines for {len(expected)} input rows")
    if len(results) != len(expected):
        check.fail(f"{campaign}: {len(results)} result rows for {len(expected)} input rows")

    file_name = Path(campaign).name
    classified = rejected = 0
    for i, ((line, ident), result, text) in enumerate(zip(expected, results, trace_lines), 1):
        where = f"{campaign} row {i} (line {line}, ID {ident})"
        try:
            doc = json.loads(text)
        except ValueError as e:
            check.fail(f"{where}: trace line is not JSON: {e}")
            continue
        dossier = doc.get("dossier", {})
        if doc.get("schema") != SCHEMA:
            check.fail(f"{where}: schema {doc.get('schema')!r}")
        if dossier.get("id") != ident:
            check.fail(f"{where}: trace dossier.id {dossier.get('id')!r} (order or ID differs)")
        if result.get("ID") != ident:
            check.fail(f"{where}: results ID {result.get('ID')!r} (order or ID differs)")
        if dossier.get("ligne") != line:
            check.fail(f"{where}: trace dossier.ligne {dossier.get('ligne')!r}")
        if dossier.get("fichier") != file_name:
            check.fail(f"{where}: trace dossier.fichier {dossier.get('fichier')!r}")
        if "rejet" in doc:
            rejected += 1
            if not doc["rejet"] or "decisions" in doc:
                check.fail(f"{where}: rejected row with an empty `rejet` or with decisions")
            if not result.get("rejet"):
                check.fail(f"{where}: rejected in the trace but not in the results")
            continue
        classified += 1
        decisions = doc.get("decisions") or []
        if not decisions:
            check.fail(f"{where}: no decisions in the trace")
            continue
        first = decisions[0]
        rule = first.get("regle") if isinstance(first.get("regle"), dict) else {}
        if first.get("valeur") != result.get("categorie"):
            check.fail(f"{where}: trace valeur {first.get('valeur')!r} "
                       f"≠ results categorie {result.get('categorie')!r}")
        if rule.get("nom") != result.get("regle"):
            check.fail(f"{where}: trace regle.nom {rule.get('nom')!r} "
                       f"≠ results regle {result.get('regle')!r}")
        if result.get("rejet"):
            check.fail(f"{where}: classified in the trace but rejected in the results")
    print(f"{campaign}: {len(expected)} rows, {classified} classified, {rejected} rejected")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tamis", required=True, help="path to the tamis executable")
    parser.add_argument("--work", help="folder for the outputs (default: a temporary folder)")
    parser.add_argument("campaigns", nargs="*", default=CAMPAIGNS,
                        help="campaigns, relative to the repository root")
    args = parser.parse_args()
    tamis = str(Path(args.tamis).resolve())
    if not os.access(tamis, os.X_OK):
        print(f"trace_consistency: {args.tamis} is not an executable", file=sys.stderr)
        return 2

    check = Checker()
    with tempfile.TemporaryDirectory(prefix="tamis-trace-") as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for campaign in args.campaigns:
            check_campaign(tamis, campaign, work, check)
    print("trace consistency: " + ("OK" if check.failures == 0 else f"{check.failures} failure(s)"))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
