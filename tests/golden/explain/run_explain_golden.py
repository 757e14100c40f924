#!/usr/bin/env python3
"""Golden tests of Tamis explanations: what an auditor reads for one dossier.

Each case is a folder tests/golden/explain/<NN-short-name>/ holding

    campagne.csv    a small campaign (the export's header + the dossier, sometimes
                    preceded by other rows), copied byte for byte from a source campaign
    case.json       {"id": dossier ID, "categorie": expected category, "regle": expected
                    deciding rule, "piege": what the case checks, "source": where the row
                    comes from}; category and rule are written by hand (from
                    tests/reference/pieges-2024.expected-2024.csv or the oracle)
    expected.txt    tamis explain ... --format text
    expected.json   tamis explain ... --format json
    expected.html   (optional) tamis explain ... --format html

The harness runs, with the repository root as working directory,

    tamis explain rules/cop2024 tests/golden/explain/<case>/campagne.csv --id ID --format F

so every path inside an explanation is the stable relative "rules/cop2024/….tamis" and the
campaign is named "campagne.csv". Besides the byte comparison it checks, independently of
the expectations, that the JSON document gives the category and rule of case.json, the
dossier's ID, and the physical line where the row starts in campagne.csv (computed here).
Those checks also guard --update: a case whose outcome is wrong is never rewritten.

    run_explain_golden.py --tamis build/tamis              run every case
    run_explain_golden.py --tamis build/tamis 08 date      cases whose name contains 08 or date
    run_explain_golden.py --tamis build/tamis --update     rewrite differing expectations
                                                           (then READ the git diff)

Python 3 standard library only. Exit status: 0 all passed, 1 a case failed, 2 usage error.
"""

import argparse
import concurrent.futures
import csv
import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
RULES = "rules/cop2024"
CAMPAIGN = "campagne.csv"
CASE = "case.json"
FORMATS = (("text", "expected.txt", True), ("json", "expected.json", True),
           ("html", "expected.html", False))  # (format, file, required)
TIMEOUT_SECONDS = 30


def list_cases(filters):
    cases = sorted(p for p in HERE.iterdir() if p.is_dir() and (p / CASE).exists())
    if filters:
        cases = [c for c in cases if any(f in c.name for f in filters)]
    return cases


def run_tamis(tamis, args):
    """Standard output of tamis, or a description of the failure (compared like output)."""
    env = dict(os.environ)
    env["LC_ALL"] = "C.UTF-8"  # explanations must not depend on the reviewer's locale
    try:
        proc = subprocess.run([tamis] + args, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return f"(tamis did not finish within {TIMEOUT_SECONDS} s)\n", False
    out = proc.stdout.decode("utf-8", errors="backslashreplace")
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", errors="backslashreplace")
        return out + err + f"exit: {proc.returncode}\n", False
    return out, True


def row_start_line(campaign, ident):
    """Physical line (1-based) where the row of dossier `ident` starts, or None."""
    with open(campaign, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        column = header.index("ID")
        start = reader.line_num + 1
        for row in reader:
            if row and row[column].strip() == ident:
                return start
            start = reader.line_num + 1
    return None


def check_outcome(case, spec, document):
    """Checks that do not depend on the frozen expectations. Returns a list of problems."""
    problems = []
    try:
        doc = json.loads(document)
    except ValueError as e:
        return [f"--format json is not JSON: {e}"]
    if doc.get("schema") != "tamis.explication/1":
        problems.append(f"schema is {doc.get('schema')!r}")
    dossier = doc.get("dossier", {})
    if dossier.get("id") != spec["id"]:
        problems.append(f"dossier.id is {dossier.get('id')!r}, expected {spec['id']!r}")
    if dossier.get("fichier") != CAMPAIGN:
        problems.append(f"dossier.fichier is {dossier.get('fichier')!r}, expected {CAMPAIGN!r}")
    line = row_start_line(case / CAMPAIGN, spec["id"])
    if dossier.get("ligne") != line:
        problems.append(f"dossier.ligne is {dossier.get('ligne')!r}, the row starts on line {line}")
    decisions = doc.get("decisions") or [{}]
    first = decisions[0]
    if first.get("valeur") != spec["categorie"]:
        problems.append(f"decisions[0].valeur is {first.get('valeur')!r}, "
                        f"expected {spec['categorie']!r}")
    rule = first.get("regle") if isinstance(first.get("regle"), dict) else {}
    if rule.get("nom") != spec["regle"]:
        problems.append(f"decisions[0].regle.nom is {rule.get('nom')!r}, expected {spec['regle']!r}")
    if rule.get("id") != f"{first.get('decision')}/{spec['regle']}":
        problems.append(f"decisions[0].regle.id is {rule.get('id')!r}")
    return problems


def run_case(tamis, case):
    """Returns (name, problems, {file: (expected or None, actual)})."""
    spec = json.loads((case / CASE).read_text(encoding="utf-8"))
    campaign = (case / CAMPAIGN).relative_to(ROOT).as_posix()
    results, problems = {}, []
    for fmt, filename, required in FORMATS:
        expected_file = case / filename
        if not required and not expected_file.exists():
            continue
        actual, ok = run_tamis(tamis, ["explain", RULES, campaign, "--id", spec["id"],
                                       "--format", fmt])
        if not ok:
            problems.append(f"tamis explain --format {fmt} failed")
        if fmt == "json" and ok:
            problems += check_outcome(case, spec, actual)
        expected = expected_file.read_text(encoding="utf-8") if expected_file.exists() else None
        results[filename] = (expected, actual)
    return case.name, problems, results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tamis", required=True, help="path to the tamis executable")
    parser.add_argument("--update", action="store_true",
                        help="rewrite the expectations of every case that differs")
    parser.add_argument("filters", nargs="*", help="run only cases whose name contains one of these")
    args = parser.parse_args()

    tamis = str(Path(args.tamis).resolve())
    if not os.access(tamis, os.X_OK):
        print(f"run_explain_golden: {args.tamis} is not an executable", file=sys.stderr)
        return 2
    cases = list_cases(args.filters)
    if not cases:
        print("run_explain_golden: no case matches", file=sys.stderr)
        return 2

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        outcomes = list(pool.map(lambda c: run_case(tamis, c), cases))

    passed, failed, updated = 0, [], []
    for name, problems, results in outcomes:
        differing = [f for f, (exp, act) in results.items() if exp != act]
        if not problems and not differing:
            passed += 1
            continue
        if args.update and not problems:
            for filename in differing:
                (HERE / name / filename).write_text(results[filename][1], encoding="utf-8")
            updated.append(f"{name} ({', '.join(differing)})")
            continue
        failed.append(name)
        print(f"FAIL {name}")
        for p in problems:
            print(f"  {p}")
        if args.update and problems:
            print("  not updated: the outcome itself is wrong (see case.json)")
        for filename in differing:
            expected, actual = results[filename]
            if expected is None:
                print(f"  no {filename}; run with --update to create it, then read it")
            sys.stdout.writelines(difflib.unified_diff(
                (expected or "").splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"{name}/{filename}",
                tofile=f"{name} (actual)"))
        print()

    for u in updated:
        print(f"updated {u}")
    summary = f"{passed} passed, {len(failed)} failed"
    if updated:
        summary += f", {len(updated)} updated"
    print(summary)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
