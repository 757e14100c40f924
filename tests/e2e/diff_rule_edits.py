#!/usr/bin/env python3
"""tamis diff on edits of rules/cop2024, over the example campaign: every edit that changes
meaning or output is listed among the differences of the rules (and --fail-on-change fails),
each dossier whose deciding rule changed says why, the HTML page shows the output columns
that change, and the header tells two rule sets of the same name and version apart.

usage: diff_rule_edits.py --tamis PATH [--campaign FILE]"""
import argparse
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = 0


def escape(s):
    """As the HTML pages escape text (text::escape_html: & < > and ")."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def fail(message):
    global failures
    failures += 1
    print(f"FAIL {message}")


def check(condition, message):
    if not condition:
        fail(message)


def run(cmd, expect=(0,)):
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if p.returncode not in expect:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode}\n{p.stderr}")
    return p


def edited(tmp, name, edits):
    """A copy of rules/cop2024 with `edits` ((file, old, new) or (file, function))."""
    folder = os.path.join(tmp, name)
    shutil.copytree(os.path.join(ROOT, "rules", "cop2024"), folder)
    for edit in edits:
        path = os.path.join(folder, edit[0])
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if callable(edit[1]):
            new = edit[1](text)
        else:
            if edit[1] not in text:
                sys.exit(f"FAIL: '{edit[1]}' not in {edit[0]}")
            new = text.replace(edit[1], edit[2])
        with open(path, "w", encoding="utf-8") as f:
            f.write(new)
    return folder


def swap_r2_r3(text):
    r2, r3, r4 = (text.index('  règle "R2'), text.index('  règle "R3'), text.index('  sinon "R4'))
    return text[:r2] + text[r3:r4] + text[r2:r3] + text[r4:]


class Diff:
    def __init__(self, tamis, before, after, campaign):
        args = [tamis, "diff", before, after, campaign]
        self.json = json.loads(run(args + ["--format", "json"]).stdout)
        self.text = run(args).stdout
        self.csv = list(csv.DictReader(io.StringIO(run(args + ["--format", "csv"]).stdout)))
        self.html = run(args + ["--format", "html"]).stdout
        self.fail_on_change = run(args + ["--fail-on-change"], expect=(0, 1)).returncode

    def rules(self, genre, nom=None):
        return [r for r in self.json["regles"] if r["genre"] == genre and (nom is None or r["nom"] == nom)]


def check_reasons(name, d):
    """Every dossier whose deciding rule or category changed says why, in every format."""
    csv_rows = {r["ID"]: r for r in d.csv}
    for c in d.json["dossiers"]:
        if c["avant"]["rejet"] or c["apres"]["rejet"]:
            continue
        if c["avant"]["regle"] == c["apres"]["regle"] and c["avant"]["categorie"] == c["apres"]["categorie"]:
            check(not c.get("pourquoi", []), f"{name}: dossier {c['id']} has a reason but its rule did not change")
            continue
        if not c.get("pourquoi", []):
            fail(f"{name}: dossier {c['id']} changes rule or category without a reason")
            continue
        for r in c.get("pourquoi", []):
            check(r["texte"] in d.text, f"{name}: dossier {c['id']}: reason not in the text")
            check(escape(r["texte"]) in d.html, f"{name}: dossier {c['id']}: reason not in the HTML")
            check(r["texte"] in csv_rows[c["id"]].get("pourquoi", ""), f"{name}: dossier {c['id']}: reason not in the CSV")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tamis", required=True)
    ap.add_argument("--campaign", default="examples/campagne-2024.csv")
    a = ap.parse_args()
    base = os.path.join(ROOT, "rules", "cop2024")
    with tempfile.TemporaryDirectory() as tmp:
        # The same rules in another folder: nothing to report.
        same = edited(tmp, "same", [])
        d = Diff(a.tamis, base, same, a.campaign)
        check(d.json["regles"] == [] and d.json["dossiers"] == [], "same rules: differences reported")
        check(d.fail_on_change == 0, "same rules: --fail-on-change fails")
        check(d.json.get("empreinte_avant", "") == d.json.get("empreinte_apres", ""), "same rules: fingerprints differ")

        # A child restating its parent's definition (`remplace soit …`, same label and body).
        parent = edited(tmp, "parent", [])
        child = os.path.join(tmp, "child")
        os.mkdir(child)
        with open(os.path.join(child, "regles.tamis"), "w", encoding="utf-8") as f:
            f.write('règles "cop2024" version "2024.1" étend "../parent"\n')
        with open(os.path.join(child, "classement.tamis"), "w", encoding="utf-8") as f:
            f.write('remplace soit horizon_demarrage "date limite de démarrage" = 2025-12-31\n')
        d = Diff(a.tamis, parent, child, a.campaign)
        check(d.json["regles"] == [], f"restated definition: {d.json['regles']}")

        # 1a: the column a schema field reads.
        d = Diff(a.tamis, base, edited(tmp, "column", [("dossier.tamis", 'colonne "Impact significatif attendu"',
                                                           'colonne "Inscrit au PCAET"')]), a.campaign)
        check(d.json["dossiers_changes"] == 236, f"column: {d.json['dossiers_changes']} changes, expected 236")
        fields = d.rules("champ", "impact_significatif")
        check(len(fields) == 1 and '"Inscrit au PCAET"' in fields[0]["apres"], f"column: {d.json['regles']}")
        check(len(d.json["regles"]) == 1, f"column: {d.json['regles']}")
        check(d.fail_on_change == 1, "column: --fail-on-change passes")
        check_reasons("column", d)
        # The header tells the two apart, by their fingerprints.
        header = d.text.splitlines()[0]
        check(re.fullmatch(r"Comparaison : cop2024 2024\.1 \(empreinte [0-9a-f]{12}\) → "
                           r"cop2024 2024\.1 \(empreinte [0-9a-f]{12}\)", header) is not None, header)
        check(d.json.get("empreinte_avant", "") != d.json.get("empreinte_apres", ""), "column: same fingerprints")
        check(d.json.get("empreinte_avant", "")[:12] in header and d.json.get("empreinte_apres", "")[:12] in header, header)

        # 1b: the order of the rules of a `première` decision.
        d = Diff(a.tamis, base, edited(tmp, "swap", [("classement.tamis", swap_r2_r3)]), a.campaign)
        order = d.rules("ordre", "règles")
        check(len(order) == 1 and order[0]["dans"] == "categorie", f"swap: {d.json['regles']}")
        check(len(d.json["regles"]) == 1, f"swap: {d.json['regles']}")
        check("ordre des règles de categorie modifié" in d.text, "swap: not in the text")
        check(d.fail_on_change == 1, "swap: --fail-on-change passes")

        # 1c: a definition's label only.
        d = Diff(a.tamis, base, edited(tmp, "label", [("classement.tamis", '"prochaines étapes renseignées"',
                                                          '"étapes suivantes renseignées"')]), a.campaign)
        label = d.rules("définition", "prochaines_etapes_dites")
        check(len(label) == 1 and "étapes suivantes renseignées" in label[0]["apres"], f"label: {d.json['regles']}")
        check(len(d.json["regles"]) == 1, f"label: {d.json['regles']}")
        check(d.fail_on_change == 1, "label: --fail-on-change passes")

        # 2: a rule's condition: each dossier says which condition now fails, with its values.
        d = Diff(a.tamis, base, edited(tmp, "condition", [("classement.tamis", "    si thematique dans autres_besoins\n",
                                                              "    si thematique dans autres_besoins et non levier_reconnu\n")]),
                 a.campaign)
        check(d.json["dossiers_changes"] == 24, f"condition: {d.json['dossiers_changes']} changes, expected 24")
        check_reasons("condition", d)
        for c in d.json["dossiers"]:
            why = c.get("pourquoi", [])
            check(len(why) == 1 and why[0]["genre"] == "ne s'applique plus"
                  and why[0]["regle"] == "R3 autre besoin du territoire" and why[0]["cote"] == "apres"
                  and why[0]["explication"]["condition_en_echec"]["enfants"][0]["texte"] == "non levier_reconnu",
                  f"condition: dossier {c['id']}: {why}")
        check("    pourquoi : « R3 autre besoin du territoire » ne s'applique plus : ✘ non levier_reconnu › "
              "✔ levier_reconnu (au moins un levier du catalogue) : leviers = {Sobriété foncière} n'est pas vide\n"
              in d.text, "condition: dossier 18753317's reason")

        # 3 and the yearly revision: cop2024 → cop2025 as before, the HTML with its columns.
        d = Diff(a.tamis, base, os.path.join(ROOT, "rules", "cop2025"), a.campaign)
        changed = d.json["dossiers"]
        category = [c for c in changed if c["avant"]["categorie"] != c["apres"]["categorie"]]
        check(len(changed) == 74, f"cop2025: {len(changed)} changes, expected 74")
        check(len(category) == 38, f"cop2025: {len(category)} category changes, expected 38")
        check_reasons("cop2025", d)
        only_columns = [c for c in changed if c["avant"]["categorie"] == c["apres"]["categorie"]]
        check(len(only_columns) == 36, f"cop2025: {len(only_columns)} output-only changes, expected 36")
        for c in changed:
            for col in c["colonnes"]:
                shown = escape(f"{col['nom']} : « {col['avant']} » → « {col['apres']} »")
                check(shown in d.html, f"cop2025: dossier {c['id']}: column {col['nom']} not in the HTML")
        check(d.fail_on_change == 1, "cop2025: --fail-on-change passes")

    print(f"{1 if failures == 0 else 0} passed, {1 if failures else 0} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
