#!/usr/bin/env python3
"""The diff's transition matrix equals, cell by cell, the one obtained by running
the two rule sets separately and comparing their results files; every dossier
whose category or rule differs is listed in the CSV diff; --fail-on-change works.

usage: diff_matrix.py --tamis PATH [--campaign FILE]"""
import argparse
import collections
import csv
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(cmd, expect=0):
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if p.returncode != expect:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode}, expected {expect}\n{p.stderr}")
    return p.stdout


def results(path):
    with open(path, encoding="utf-8", newline="") as f:
        return {r["ID"]: r for r in csv.DictReader(f)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tamis", required=True)
    ap.add_argument("--campaign", default="examples/campagne-2024.csv")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        r24, r25 = os.path.join(tmp, "r24.csv"), os.path.join(tmp, "r25.csv")
        run([a.tamis, "run", "rules/cop2024", a.campaign, "--output", r24])
        run([a.tamis, "run", "rules/cop2025", a.campaign, "--output", r25])
        before, after = results(r24), results(r25)
        expected = collections.Counter()
        changed = set()
        for id_, row in before.items():
            other = after[id_]
            cat_a = row["categorie"] if not row["rejet"] else "rejeté"
            cat_b = other["categorie"] if not other["rejet"] else "rejeté"
            expected[(cat_a, cat_b)] += 1
            if cat_a != cat_b or row["regle"] != other["regle"]:
                changed.add(id_)

        diff = json.loads(run([a.tamis, "diff", "rules/cop2024", "rules/cop2025", a.campaign, "--format", "json"]))
        actual = collections.Counter({(m["avant"], m["apres"]): m["dossiers"] for m in diff["matrice"]})
        failures = 0
        for key in sorted(set(expected) | set(actual)):
            if expected[key] != actual[key]:
                print(f"FAIL matrix {key}: separate runs {expected[key]}, diff {actual[key]}")
                failures += 1
        # The text matrix ends with a TOTAL row: each category's count under the rules
        # after (the TOTAL column gives it under the rules before).
        text = run([a.tamis, "diff", "rules/cop2024", "rules/cop2025", a.campaign])
        matrix = text.split("Matrice de passage", 1)[1].split("\n\n", 2)[1].splitlines()
        columns = matrix[0].split()
        rows = {l.split()[0]: [int(x) for x in l.split()[1:]] for l in matrix[2:] if not l.startswith("-")}
        before_counts = collections.Counter(k[0] for k in expected.elements())
        after_counts = collections.Counter(k[1] for k in expected.elements())
        want_total = [after_counts[c] for c in columns[:-1]] + [sum(after_counts.values())]
        if rows.get("TOTAL") != want_total:
            print(f"FAIL text matrix TOTAL row {rows.get('TOTAL')}, separate runs {want_total}")
            failures += 1
        for cat, values in rows.items():
            if cat != "TOTAL" and values[-1] != before_counts[cat]:
                print(f"FAIL text matrix {cat} TOTAL {values[-1]}, separate runs {before_counts[cat]}")
                failures += 1
        # A constant of the rules (horizon_demarrage) changes the same way for every
        # dossier: listed once among the differences of the rules, not under each dossier;
        # a definition that reads the dossier (levier_reconnu) still is.
        per_dossier = text.split("Dossiers dont le résultat change", 1)[1]
        if "      horizon_demarrage (date limite de démarrage) :" in per_dossier:
            print("FAIL the constant horizon_demarrage is listed under a dossier")
            failures += 1
        if "      levier_reconnu (au moins un levier du catalogue) : non → oui" not in per_dossier:
            print("FAIL levier_reconnu's change is no longer listed under its dossiers")
            failures += 1
        if "définition « horizon_demarrage » modifiée" not in text:
            print("FAIL horizon_demarrage is not among the differences of the rules")
            failures += 1
        html = run([a.tamis, "diff", "rules/cop2024", "rules/cop2025", a.campaign, "--format", "html"])
        html_total = "<tr><th scope=\"row\">TOTAL</th>" + "".join(f'<td class="n">{n}</td>' for n in want_total)
        if html_total not in html:
            print(f"FAIL html matrix lacks {html_total}")
            failures += 1
        out_csv = os.path.join(tmp, "diff.csv")
        run([a.tamis, "diff", "rules/cop2024", "rules/cop2025", a.campaign, "--format", "csv", "--output", out_csv])
        with open(out_csv, encoding="utf-8", newline="") as f:
            listed = {r["ID"]: r for r in csv.DictReader(f)}
        for id_ in sorted(changed):
            row = listed.get(id_)
            if row is None:
                print(f"FAIL dossier {id_} changes category or rule but is not in the CSV diff")
                failures += 1
            elif (row["categorie_avant"], row["categorie_apres"]) != (before[id_]["categorie"], after[id_]["categorie"]):
                print(f"FAIL dossier {id_}: CSV diff says {row['categorie_avant']}→{row['categorie_apres']}")
                failures += 1
        run([a.tamis, "diff", "rules/cop2024", "rules/cop2025", a.campaign, "--fail-on-change"], expect=1)
        run([a.tamis, "diff", "rules/cop2024", "rules/cop2024", a.campaign, "--fail-on-change"], expect=0)
        print(f"{len(expected)} matrix cells, {len(changed)} dossiers changing category or rule")
        print(f"{1 if failures == 0 else 0} passed, {1 if failures else 0} failed")
        sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
