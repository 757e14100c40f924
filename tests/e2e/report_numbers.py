#!/usr/bin/env python3
"""Every number of the CSV campaign report, recomputed from the results file of the same run.

For each campaign (default: the example campaign, the trap campaign and a copy of the
example campaign with a rejected row and missing departments and levers) this runs

    tamis report RULES CAMPAIGN --format csv --output WORK/csv --results WORK/resultats.csv

with RULES a copy of rules/cop2024 whose `sortie` block also writes the dossier's theme
(column "thematique": the results file has no theme otherwise), and recomputes, from the
results rows that were classified (empty `rejet`), each table the rule set declares:

  1 departement x categorie        every dossier            (the "Bilan")
  2 leviers                        categorie in {a_remonter, a_travailler}
  3 axes                           same
  4 secteurs                       same
  5 thematique x categorie         every dossier
  6 leviers_inconnus               every dossier

A set-valued cell counts the dossier once under each member; an empty cell counts it under
the missing value (code "", label "Non renseigné"). A two-axis table's row, column and grand
totals count dossiers, once each whatever their number of set members (the workshop rule set
below has one such table with a set in the columns and one with a set in the rows). Checked, for every table: the count in
every cell, the totals, the shares (part_pct, the .poids file), the number of dossiers in
index.csv, the ranks and the catalogue rows without dossiers (the 50 levers of
tests/reference/leviers.csv), the catalogue figures, and the exact shape of the Bilan: one
row per department code plus TOTAL, one column per category code plus total.

Two reports written one after the other in one folder (COP, then the workshop below) leave
only the second's tables and index.csv there, and the files Tamis did not write.

The same checks then run on a small rule set of another domain written here (other
enumerations with codes, a catalogue with an integer column, a rejected region): the report
is driven by the rule set's `synthèse` declarations, not by COP.

    report_numbers.py --tamis build/tamis [--work DIR] [CAMPAIGN.csv ...]

Python 3 standard library only. Exit status 0 when every check passes, 1 otherwise.
"""

import argparse
import collections
import csv
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RULES = ROOT / "rules" / "cop2024"
CAMPAIGNS = ["examples/campagne-2024.csv", "tests/reference/pieges-2024.csv"]
CATALOGUE = ROOT / "tests" / "reference" / "leviers.csv"
ACTIVE = {"a_remonter", "a_travailler"}
DEPARTMENTS = ["02", "59", "60", "62", "80"]
CATEGORIES = ["a_remonter", "a_travailler", "hors_cop_mais_crte", "non_remonte"]

def active(row):
    return row["categorie"] in ACTIVE


SECTIONS = [  # (number, row column, column column or None, which dossiers (None: all))
    (1, "departement", "categorie", None),
    (2, "leviers", None, active),
    (3, "axes", None, active),
    (4, "secteurs", None, active),
    (5, "thematique", "categorie", None),
    (6, "leviers_inconnus", None, None),
]
TOLERANCE = 0.05 + 1e-9  # shares are written with one decimal
# The missing value's label: for unrecognised labels, none means all were recognised.
MISSING_LABELS = {"leviers_inconnus": "Aucun libellé non reconnu (tous reconnus)",
                  "inconnus": "Aucun libellé non reconnu (tous reconnus)"}

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)
    return ok


# Text axes list the values met in French alphabetical order: accents, case and
# typographic apostrophes ignored first, then the bytes ("Industrie, Énergie, Transports").
TEXT_COLUMNS = {"secteurs", "leviers_inconnus", "familles", "inconnus"}


def french_key(text):
    text = unicodedata.normalize("NFD", text.replace("\u2019", "'").replace("\u2018", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def members(cell):
    """The members of a results cell: a set written with " | ", or one value; [""] if empty."""
    if cell == "":
        return [""]
    return sorted(set(cell.split(" | ")))


def rules_with_theme(work):
    """A copy of rules/cop2024 whose results file also has the dossier's theme."""
    rules = work / "regles"
    if rules.exists():
        shutil.rmtree(rules)
    shutil.copytree(RULES, rules)
    sorties = rules / "sorties.tamis"
    text = sorties.read_text(encoding="utf-8")
    anchor = '  "secteurs"          = leviers.secteur\n'
    if not check(anchor in text, "sorties.tamis: the `secteurs` output line was not found"):
        return None
    sorties.write_text(text.replace(anchor, anchor + '  "thematique"        = thematique\n'),
                       encoding="utf-8")
    return rules


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def pct(part, whole):
    return 100.0 * part / whole if whole else 0.0


def check_cross(name, rows, table, shares, row_col, col_col):
    counts = collections.Counter()
    for r in rows:
        for a in members(r[row_col]):
            for b in members(r[col_col]):
                counts[(a, b)] += 1
    header, body = table[0], table[1:]
    # Code and label first, as in the one-column tables.
    check(header[:2] == ["code", "libelle"], f"{name}: header starts {header[:2]}, "
                                             "expected ['code', 'libelle']")
    # Then one column per column value, "total", and the catalogue's figures if any.
    if not check("total" in header, f"{name}: no 'total' column: {header}"):
        return [], []
    total_at = header.index("total")
    codes = header[2:total_at]
    check(body and body[-1][:2] == ["TOTAL", "Total"], f"{name}: last row is not TOTAL")
    for line in body[:-1]:
        check(line[1] != "" and (line[0] != "" or line[1] == "Non renseigné"),
              f"{name}: row {line[0]!r} labelled {line[1]!r}")
    seen_rows = {a for a, _ in counts}
    seen_cols = {b for _, b in counts}
    listed_rows = [line[0] for line in body[:-1]]
    check(seen_rows <= set(listed_rows), f"{name}: rows {sorted(seen_rows - set(listed_rows))} "
                                          "have dossiers but are not in the report")
    check(seen_cols <= set(codes), f"{name}: columns {sorted(seen_cols - set(codes))} "
                                   "have dossiers but are not in the report")
    check("" not in listed_rows or any(a == "" for a, _ in counts),
          f"{name}: an empty 'Non renseigné' row is listed")
    # Totals count dossiers: once each, even when a set puts one in several cells.
    row_dossiers = collections.Counter(a for r in rows for a in members(r[row_col]))
    column_dossiers = collections.Counter(b for r in rows for b in members(r[col_col]))
    for line in body[:-1]:
        a = line[0]
        expected = [counts[(a, b)] for b in codes]
        actual = [int(x) for x in line[2:total_at]]
        check(actual == expected, f"{name}: row {a!r}: {actual}, recomputed {expected}")
        check(int(line[total_at]) == row_dossiers[a], f"{name}: row {a!r} total "
              f"{line[total_at]}, recomputed {row_dossiers[a]} dossiers")
    column_totals = [column_dossiers[b] for b in codes]
    total_line = body[-1]
    check([int(x) for x in total_line[2:total_at]] == column_totals,
          f"{name}: TOTAL row {total_line[2:total_at]}, recomputed {column_totals}")
    check(int(total_line[total_at]) == len(rows),
          f"{name}: grand total {total_line[total_at]}, recomputed {len(rows)} dossiers")

    # The shares: each column's part of the row total, the TOTAL row the part of the grand total.
    check(shares[0] == header[:total_at + 1],
          f"{name}.poids: header {shares[0]}, expected {header[:total_at + 1]}")
    check([line[:2] for line in shares[1:]] == [line[:2] for line in body],
          f"{name}.poids: rows differ from the counts file")
    for line, counted in zip(shares[1:], body):
        values = [int(x) for x in counted[2:total_at + 1]]
        whole = values[-1]
        for code, share, part in zip(codes + ["total"], line[2:], values):
            check(abs(float(share) - pct(part, whole)) <= TOLERANCE,
                  f"{name}.poids: {line[0]!r} x {code!r}: {share}, recomputed "
                  f"{pct(part, whole):.3f}")
    return listed_rows, codes


def check_list(name, rows, table, column, catalogue=None):
    counts = collections.Counter()
    for r in rows:
        for m in members(r[column]):
            counts[m] += 1
    header, body = table[0], table[1:]
    check(header[:4] == ["code", "libelle", "dossiers", "part_pct"],
          f"{name}: header {header[:4]}")
    listed = [line[0] for line in body]
    check(len(set(listed)) == len(listed), f"{name}: a code is listed twice")
    check(set(counts) <= set(listed), f"{name}: values {sorted(set(counts) - set(listed))} have "
                                      "dossiers but are not in the report")
    for line in body:
        code, label, n, share = line[0], line[1], int(line[2]), float(line[3])
        check(n == counts[code], f"{name}: {code!r}: {n} dossiers, recomputed {counts[code]}")
        check(abs(share - pct(counts[code], len(rows))) <= TOLERANCE,
              f"{name}: {code!r}: part {share}, recomputed {pct(counts[code], len(rows)):.3f}")
        if code == "":
            want = MISSING_LABELS.get(column, "Non renseigné")
            check(label == want, f"{name}: missing value labelled {label!r}, expected {want!r}")
            check(n > 0, f"{name}: an empty 'Non renseigné' row is listed")
    if column in TEXT_COLUMNS:
        texts = [c for c in listed if c != ""]
        check(texts == sorted(texts, key=lambda t: (french_key(t), t.encode())),
              f"{name}: texts not in French alphabetical order: {texts}")
    if catalogue is None:
        return
    # A catalogue: every row listed, ranks by decreasing count (ties share a rank),
    # the rows without dossiers unranked.
    check([c for c in listed if c != ""] == catalogue,
          f"{name}: rows are not the {len(catalogue)} catalogue rows in catalogue order")
    check("rang" in header, f"{name}: no 'rang' column")
    if "rang" not in header:
        return
    rank_at = header.index("rang")
    # Equal counts share a rank (1, 2, 2, 4): one more than the number of rows ahead.
    active = [c for c in catalogue if counts[c] > 0]
    expected = {c: str(1 + sum(1 for d in active if counts[d] > counts[c])) for c in active}
    for line in body:
        want = expected.get(line[0], "") if line[0] != "" else ""
        check(line[rank_at] == want, f"{name}: {line[0]!r}: rang {line[rank_at]!r}, "
                                     f"recomputed {want!r}")


def catalogue_levers():
    with open(CATALOGUE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    return [r["levier"] for r in rows], {r["levier"]: r["objectif_hdf_ktco2e"] for r in rows}


def check_figures(name, table, figure, values):
    header = table[0]
    if not check(figure in header, f"{name}: no {figure} column"):
        return
    at = header.index(figure)
    for line in table[1:]:
        if line[0] == "":
            continue
        want = values.get(line[0], "")
        got = line[at]
        same = (want == "" and got == "") or (want != "" and got != "" and
                                              abs(float(got) - float(want.replace(",", "."))) < 1e-9)
        check(same, f"{name}: {line[0]!r}: {figure} {got!r}, catalogue {want!r}")


def run_campaign(tamis, rules, campaign, work, spec):
    out = work / "csv"
    if out.exists():
        shutil.rmtree(out)
    results = work / "resultats.csv"
    proc = subprocess.run([tamis, "report", str(rules), str(campaign), "--format", "csv",
                           "--output", str(out), "--results", str(results)],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if not check(proc.returncode == 0, f"{campaign}: tamis report exited {proc.returncode}: "
                                      f"{proc.stderr.decode(errors='replace')[-2000:]}"):
        return
    with open(results, encoding="utf-8", newline="") as f:
        all_rows = list(csv.DictReader(f))
    classified = [r for r in all_rows if r["rejet"] == ""]
    print(f"{campaign.name}: {len(all_rows)} rows, {len(classified)} classified")

    index = read_csv(out / "index.csv")
    files = {}
    for line in index[1:]:
        files.setdefault(int(line[1]), []).append(line)
    sections = spec["sections"]
    check(sorted(files) == [s[0] for s in sections], f"{campaign.name}: tables {sorted(files)}")
    check(sorted(p.name for p in out.iterdir()) == sorted([line[0] for line in index[1:]] +
                                                          ["index.csv"]),
          f"{campaign.name}: the folder's files differ from index.csv")
    catalogue = spec["catalogue"]  # (table number, rows, figure column, {row: figure})
    for number, row_col, col_col, keep in sections:
        rows = [r for r in classified if keep is None or keep(r)]
        entries = files.get(number, [])
        if not check(entries, f"{campaign.name}: table {number} missing from index.csv"):
            continue
        name = f"{campaign.name} table {number}"
        check(all(int(e[3]) == len(rows) for e in entries),
              f"{name}: {entries[0][3]} dossiers counted, recomputed {len(rows)}")
        table = read_csv(out / entries[0][0])
        if col_col is not None:
            if not check(len(entries) == 2 and entries[1][0].endswith(".poids.csv"),
                         f"{name}: no .poids.csv file"):
                continue
            listed_rows, codes = check_cross(name, rows, table, read_csv(out / entries[1][0]),
                                             row_col, col_col)
            if number == 1:
                # The first table's exact shape: one row per row code plus TOTAL, one column
                # per column code plus total (the missing value only when some dossier has it).
                check([c for c in listed_rows if c != ""] == spec["first_rows"],
                      f"{name}: rows {listed_rows}, expected {spec['first_rows']}")
                check([c for c in codes if c != ""] == spec["first_columns"],
                      f"{name}: columns {codes}, expected {spec['first_columns']}")
                check(entries[0][0].startswith("01-"), f"{name}: not the first file")
        else:
            is_catalogue = number == catalogue[0]
            check_list(name, rows, table, row_col, catalogue[1] if is_catalogue else None)
            if is_catalogue:
                check_figures(name, table, catalogue[2], catalogue[3])


# Another rule set, other enumerations, another catalogue with an integer column: the report
# follows its `synthèse` declarations the same way (nothing about COP in the report code).
WORKSHOP_RULES = """règles "atelier" version "1"

énumération Taille {
  petit   "Petit chantier"  code "P"
  grand   "Grand chantier"  code "G"
  inconnu "Taille inconnue" code "X"
}

énumération Region { est "Est"  ouest "Ouest" }

table Outil (
  famille : texte,
  poids   : entier?
) {
  "Marteau"  alias "massette" | "Frappe"  | 3
  "Scie"                      | "Coupe"   | vide
  "Perceuse"                  | "Perçage" | 7
  "Pince"                     | "étau et serrage" | vide
}

schéma Chantier {
  id     : entier            colonne "Numéro"
  region : Region?           colonne "Région"
  outils : ensemble de Outil colonne "Outils"
  budget : décimal?          colonne "Budget"
}

décision taille : Taille première {
  règle "G1 gros budget" si budget est renseigné et budget > 1000 alors grand
  règle "P1 petit budget" si budget est renseigné alors petit
  sinon "X1 sans budget" alors inconnu
}

sortie {
  "Numéro"   = id
  "taille"   = taille
  "region"   = region
  "outils"   = outils
  "inconnus" = non_reconnus(outils)
  "familles" = outils.famille
}

synthèse "Chantiers par région et par taille"
  lignes region
  colonnes taille

synthèse "Outils des grands chantiers"
  lignes outils
  si taille dans {grand}

synthèse "Familles d'outils"
  lignes outils.famille

synthèse "Outils inconnus"
  lignes non_reconnus(outils)

synthèse "Familles d'outils par région"
  lignes region
  colonnes outils.famille

synthèse "Outils par taille"
  lignes outils
  colonnes taille
"""
WORKSHOP_CAMPAIGN = """Numéro,Région,Outils,Budget
1,Est,"Marteau, Scie",1500
2,Ouest,massette,200
3,,"Perceuse, Pince",
4,Est,"Tournevis, Scie",5000
5,Ouest,,3000
6,Est,"Marteau, Perceuse, Clé",2500
7,Nord,Scie,10
8,Ouest,"Scie, Marteau",1200
"""
WORKSHOP = {
    "sections": [(1, "region", "taille", None),
                 (2, "outils", None, lambda r: r["taille"] == "G"),
                 (3, "familles", None, None),
                 (4, "inconnus", None, None),
                 (5, "region", "familles", None),  # a set in the columns
                 (6, "outils", "taille", None)],   # a set in the rows
    "first_rows": ["est", "ouest"],
    "first_columns": ["P", "G", "X"],
    "catalogue": (2, ["Marteau", "Scie", "Perceuse", "Pince"], "poids",
                  {"Marteau": "3", "Perceuse": "7"}),
}


def workshop(work):
    rules = work / "regles-atelier"
    rules.mkdir(parents=True, exist_ok=True)
    (rules / "atelier.tamis").write_text(WORKSHOP_RULES, encoding="utf-8")
    campaign = work / "chantiers.csv"
    campaign.write_text(WORKSHOP_CAMPAIGN, encoding="utf-8")
    return rules, campaign


def damaged_campaign(work):
    """The example campaign with a rejected row, a dossier without department and one
    without lever: the report counts classified dossiers only, and the missing values."""
    with open(ROOT / CAMPAIGNS[0], encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    state, department = header.index("État du dossier"), header.index("Département")
    levers = header.index("Levier(s) de la planification écologique")
    rows[1][state] = "État inconnu"
    rows[2][department] = ""
    rows[3][department] = ""
    rows[4][levers] = ""
    path = work / "campagne-abimee.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


def stale_tables(tamis, cop_rules, cop_campaign, workshop_rules, workshop_campaign, work):
    """Two reports in one folder: the second removes the first's tables it does not write
    (those its index.csv lists), and nothing else."""
    out = work / "meme-dossier"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    mine = ["notes.txt", "99-mon-tableau.csv"]  # not written by Tamis: kept
    for name in mine:
        (out / name).write_text("à moi\n", encoding="utf-8")
    for rules, campaign in ((cop_rules, cop_campaign), (workshop_rules, workshop_campaign)):
        proc = subprocess.run([tamis, "report", str(rules), str(campaign), "--format", "csv",
                               "--output", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=120)
        if not check(proc.returncode == 0, f"same folder: tamis report exited "
                                          f"{proc.returncode}: {proc.stderr.decode()[-2000:]}"):
            return
    listed = [line[0] for line in read_csv(out / "index.csv")[1:]]
    present = sorted(p.name for p in out.iterdir())
    check(present == sorted(listed + ["index.csv"] + mine),
          f"same folder: files {present}, expected index.csv, {listed} and {mine}")
    check("supprimé" in proc.stdout.decode(), "same folder: the removal is not said: "
                                              f"{proc.stdout.decode()!r}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tamis", required=True)
    ap.add_argument("--work", default=None)
    ap.add_argument("campaigns", nargs="*")
    args = ap.parse_args()
    args.campaigns_given = bool(args.campaigns)
    args.campaigns = args.campaigns or CAMPAIGNS
    work_root = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="tamis-report-"))
    work_root.mkdir(parents=True, exist_ok=True)
    rules = rules_with_theme(work_root)
    tamis = str(Path(args.tamis).resolve())
    if rules is not None:
        levers, objectives = catalogue_levers()
        cop = {"sections": SECTIONS, "first_rows": DEPARTMENTS, "first_columns": CATEGORIES,
               "catalogue": (2, levers, "objectif_ktco2e", objectives)}
        campaigns = [(ROOT / c).resolve() for c in args.campaigns]
        if not args.campaigns_given:
            campaigns.append(damaged_campaign(work_root))
        for campaign in campaigns:
            work = work_root / campaign.stem
            work.mkdir(parents=True, exist_ok=True)
            run_campaign(tamis, rules, campaign, work, cop)
    if not args.campaigns_given:
        rules, campaign = workshop(work_root)
        work = work_root / "atelier"
        work.mkdir(parents=True, exist_ok=True)
        run_campaign(tamis, rules, campaign, work, WORKSHOP)
        cop_rules = rules_with_theme(work_root)
        if cop_rules is not None:
            stale_tables(tamis, cop_rules, (ROOT / CAMPAIGNS[0]).resolve(), rules, campaign,
                         work_root)
    for f in failures[:40]:
        print("FAIL:", f)
    if len(failures) > 40:
        print(f"... and {len(failures) - 40} more")
    print(f"report_numbers: {len(failures)} check(s) failed" if failures else
          "report_numbers: every number agrees with the results file")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
