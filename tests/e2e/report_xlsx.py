#!/usr/bin/env python3
"""The XLSX campaign report, read back with openpyxl, has the numbers of the CSV report.

Runs, on the example campaign and on the trap campaign,

    tamis report rules/cop2024 CAMPAIGN --format csv  --output WORK/csv
    tamis report rules/cop2024 CAMPAIGN --format xlsx --output WORK/rapport.xlsx

and opens the workbook with openpyxl (Debian's python3-openpyxl). Checks:
  - one sheet per table of index.csv, in the same order; each sheet's title row starts with
    the table's number and title, row 3 is the header (bold, filled), panes frozen below it;
  - every number is a real number (not text), and equals the CSV report's: counts, totals
    and ranks exactly, shares (fractions formatted as %) to the CSV's one decimal, the
    catalogue figures exactly;
  - rows are in the same order with the same codes (or labels when the sheet has no Code
    column), the missing value labelled "Non renseigné";
  - the label columns are given a width.
The same runs on a rule set extending cop2024 with two tables that cross a set-valued axis
(leviers.axes): the workbook's totals and shares are the CSV report's dossier counts.

    report_xlsx.py --tamis build/tamis [--work DIR]

Needs openpyxl: when the running Python has none, the script runs itself again with
Debian's /usr/bin/python3. Exit status 0 when every check passes, 1 otherwise.
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import openpyxl
except ImportError:  # e.g. a pyenv Python first in PATH: Debian's has python3-openpyxl
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("report_xlsx: openpyxl is missing (apt-get install python3-openpyxl)")
    sys.exit(1)

ROOT = Path(__file__).resolve().parent.parent.parent
RULES = "rules/cop2024"
CAMPAIGNS = ["examples/campagne-2024.csv", "tests/reference/pieges-2024.csv"]
HEADER_ROW = 3
CUT_WORDS = {"à", "au", "aux", "de", "des", "du", "la", "le", "les", "et", "ou", "par", "pour",
             "en", "sur", "dans", "un", "une", "non", "pas", "sans", "ni", "hors", "mais"}
TOLERANCE = 0.05 + 1e-9

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)
    return ok


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def cells(ws, row):
    """The values of a sheet row, trailing empty cells dropped."""
    values = [c.value for c in ws[row]]
    while values and values[-1] is None:
        values.pop()
    return values


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def same_count(name, got, want):
    check(is_number(got) and int(want) == got, f"{name}: {got!r}, CSV {want!r}")


def same_share(name, got, want):
    check(is_number(got) and abs(100.0 * got - float(want)) <= TOLERANCE,
          f"{name}: {got!r}, CSV {want}%")


def first_cells(ws, start, stop_label=None):
    """Rows from `start` until an empty row (or, included, the row labelled stop_label)."""
    rows = []
    r = start
    while r <= ws.max_row:
        values = cells(ws, r)
        if not values:
            break
        rows.append(values)
        if stop_label is not None and stop_label in values[:2]:
            break
        r += 1
    return rows, r


def check_cross(name, ws, counts_csv, shares_csv):
    header = cells(ws, HEADER_ROW)
    codes = header[0] == "Code"
    label_col = 1 if codes else 0
    first = label_col + 1
    rows, end = first_cells(ws, HEADER_ROW + 1, "TOTAL")
    body = counts_csv[1:]
    check(len(rows) == len(body), f"{name}: {len(rows)} rows, CSV {len(body)}")
    width = len(counts_csv[0]) - 2  # columns + total (after code and label)
    for values, line in zip(rows, body):
        key = values[0] if codes else values[label_col]
        if codes or line[0] == "TOTAL":
            check((key or "") == line[0], f"{name}: row code {key!r}, CSV {line[0]!r}")
        if line[0] != "TOTAL":
            check(values[label_col] == line[1], f"{name}: row label {values[label_col]!r}, "
                                                f"CSV {line[1]!r}")
        if line[0] == "":
            check(values[label_col] == "Non renseigné", f"{name}: missing value labelled "
                                                        f"{values[label_col]!r}")
        numbers = values[first:first + width]
        check(len(numbers) == width, f"{name}: row {line[0]!r} has {len(numbers)} numbers")
        for k, (got, want) in enumerate(zip(numbers, line[2:])):
            same_count(f"{name}: row {line[0]!r} column {counts_csv[0][k + 2]!r}", got, want)
    # The "Poids en %" block: a title row, the header, the rows, TOTAL.
    title = cells(ws, end + 2)
    check(title and str(title[0]).startswith("Poids en % par"), f"{name}: no Poids block: {title}")
    shares, _ = first_cells(ws, end + 4, "TOTAL")
    check(len(shares) == len(shares_csv) - 1, f"{name}: {len(shares)} share rows, CSV "
                                              f"{len(shares_csv) - 1}")
    for values, line in zip(shares, shares_csv[1:]):
        for k, (got, want) in enumerate(zip(values[first:first + width], line[2:])):
            same_share(f"{name}: share {line[0]!r} x {shares_csv[0][k + 2]!r}", got, want)


def check_list(name, ws, table):
    header = cells(ws, HEADER_ROW)
    codes = header[0] == "Code"
    label_col = 1 if codes else 0
    first = label_col + 1
    csv_header = table[0]
    extra = csv_header[4:]  # rang and the catalogue figures
    check(header[first:first + 2] == ["Dossiers", "Part"], f"{name}: header {header}")
    check([("rang" if h == "Rang" else h) for h in header[first + 2:]] == extra,
          f"{name}: extra columns {header[first + 2:]}, CSV {extra}")
    rows, _ = first_cells(ws, HEADER_ROW + 1)
    check(len(rows) == len(table) - 1, f"{name}: {len(rows)} rows, CSV {len(table) - 1}")
    for values, line in zip(rows, table[1:]):
        values = values + [None] * (first + 2 + len(extra) - len(values))
        key = values[0] if codes else values[label_col]
        want = line[0] if codes else line[1]
        check((key or "") == want, f"{name}: row {key!r}, CSV {want!r}")
        check(values[label_col] == line[1], f"{name}: label {values[label_col]!r}, CSV {line[1]!r}")
        same_count(f"{name}: {line[1]!r} dossiers", values[first], line[2])
        same_share(f"{name}: {line[1]!r} part", values[first + 1], line[3])
        for k, column in enumerate(extra):
            got, want_value = values[first + 2 + k], line[4 + k]
            if want_value == "":
                check(got is None, f"{name}: {line[1]!r} {column}: {got!r}, CSV empty")
            else:
                check(is_number(got) and abs(got - float(want_value)) < 1e-9,
                      f"{name}: {line[1]!r} {column}: {got!r}, CSV {want_value}")


# A rule set that extends cop2024 with two tables crossing a set-valued axis (a dossier
# falls in several cells): the workbook must show the CSV report's dossier totals.
SET_AXES = """règles "cop2024-axes" version "1" étend "{parent}"

synthèse "Axes par département"
  lignes departement
  colonnes leviers.axes

synthèse "Catégories par axe"
  lignes leviers.axes
  colonnes categorie
"""


def set_axes_rules(work):
    rules = work / "regles-axes"
    rules.mkdir(parents=True, exist_ok=True)
    (rules / "regles.tamis").write_text(SET_AXES.format(parent=ROOT / RULES), encoding="utf-8")
    return str(rules)


def run(tamis, campaign, work, rules=RULES):
    out_csv, out_xlsx = work / "csv", work / "rapport.xlsx"
    if out_csv.exists():
        shutil.rmtree(out_csv)
    for fmt, out in (("csv", out_csv), ("xlsx", out_xlsx)):
        proc = subprocess.run([tamis, "report", rules, str(campaign), "--format", fmt,
                               "--output", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=120)
        if not check(proc.returncode == 0, f"{campaign.name}: --format {fmt} exited "
                                          f"{proc.returncode}: {proc.stderr.decode()[-1000:]}"):
            return
    index = read_csv(out_csv / "index.csv")[1:]
    tables = {}
    for line in index:
        tables.setdefault(int(line[1]), []).append(line)
    wb = openpyxl.load_workbook(out_xlsx)  # not read-only: frozen panes and widths are needed
    check(len(wb.worksheets) == len(tables), f"{campaign.name}: {len(wb.worksheets)} sheets, "
                                             f"{len(tables)} tables")
    print(f"{campaign.name}: {len(wb.worksheets)} sheets: "
          + ", ".join(repr(ws.title) for ws in wb.worksheets))
    for ws, number in zip(wb.worksheets, sorted(tables)):
        entries = tables[number]
        name = f"{campaign.name} sheet {ws.title!r}"
        title = ws.cell(1, 1).value or ""
        check(title.startswith(f"{number}. "), f"{name}: title {title!r}")
        # A sheet name is the title, or its beginning cut at a word and marked "…", never
        # ending on a little word or a negation ("6. Libellés de leviers non").
        if ws.title != title:
            head = ws.title[:-1].rstrip()
            check(ws.title.endswith("…") and title.startswith(head + " ") and
                  head.split()[-1] not in CUT_WORDS, f"{name}: sheet name cut as {ws.title!r}")
        check(title.endswith(entries[0][2]), f"{name}: title {title!r}, CSV {entries[0][2]!r}")
        check(ws.freeze_panes in ("B4", "C4"), f"{name}: frozen panes at {ws.freeze_panes}")
        head = ws.cell(HEADER_ROW, 1)
        check(head.font is not None and head.font.b, f"{name}: header not bold")
        check(head.fill is not None and head.fill.fill_type == "solid", f"{name}: header not filled")
        width = ws.column_dimensions["A"].width
        check(width is not None and width > 8, f"{name}: column A width {width}")
        counts = read_csv(out_csv / entries[0][0])
        if len(entries) == 2:
            check_cross(name, ws, counts, read_csv(out_csv / entries[1][0]))
        else:
            check_list(name, ws, counts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tamis", required=True)
    ap.add_argument("--work", default=None)
    args = ap.parse_args()
    work_root = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="tamis-xlsx-"))
    for c in CAMPAIGNS:
        campaign = ROOT / c
        work = work_root / campaign.stem
        work.mkdir(parents=True, exist_ok=True)
        run(str(Path(args.tamis).resolve()), campaign, work)
    work = work_root / "axes"
    work.mkdir(parents=True, exist_ok=True)
    run(str(Path(args.tamis).resolve()), ROOT / CAMPAIGNS[0], work, set_axes_rules(work))
    for f in failures[:40]:
        print("FAIL:", f)
    print(f"report_xlsx: {len(failures)} check(s) failed" if failures else
          "report_xlsx: the workbook has the numbers of the CSV report")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
