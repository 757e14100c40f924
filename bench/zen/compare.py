#!/usr/bin/env python3
"""Checks that GoRules Zen gave the same category as Tamis on every dossier.

    python3 bench/zen/compare.py TAMIS_RESULTS.csv ZEN.csv

TAMIS_RESULTS.csv: `tamis run rules/cop2024 CAMPAIGN --output TAMIS_RESULTS.csv`
(columns ID, …, categorie, …, axes, …, rejet). ZEN.csv: bench/zen/zen_bench.js
--output (ID,categorie[,axes]), written for the first N rows of the same campaign
(--rows N) or all of them.

Checked, dossier by dossier: Zen's rows are Tamis's first N rows, same IDs in the
same order; same `categorie` (a row Tamis rejected must have an empty category on
both sides); same `axes` when ZEN.csv has that column. Prints the first mismatches
(20 at most) and a machine-readable last line

    ZEN_AGREEMENT rows=N identical=K mismatches=M

Exit status: 0 identical on every dossier, 1 any mismatch, 2 unreadable input.
"""

import csv
import sys

MAX_SHOWN = 20


def load(path):
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error, StopIteration) as e:
        print(f"compare.py: cannot read {path}: {e}", file=sys.stderr)
        sys.exit(2)
    return header, rows


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    t_header, t_rows = load(argv[0])
    z_header, z_rows = load(argv[1])
    for name, header in (("Tamis", t_header), ("Zen", z_header)):
        for c in ("ID", "categorie"):
            if c not in header:
                print(f"compare.py: column {c} absent from the {name} file", file=sys.stderr)
                return 2
    tid, tcat = t_header.index("ID"), t_header.index("categorie")
    zid, zcat = z_header.index("ID"), z_header.index("categorie")
    axes = "axes" in z_header and "axes" in t_header
    if axes:
        tax, zax = t_header.index("axes"), z_header.index("axes")
    trej = t_header.index("rejet") if "rejet" in t_header else None

    problems = []
    if len(z_rows) > len(t_rows):
        problems.append(f"Zen has {len(z_rows)} rows, Tamis only {len(t_rows)}")
    identical = 0
    rejected = 0
    for k, (z, t) in enumerate(zip(z_rows, t_rows)):
        row_problems = []
        if z[zid] != t[tid]:
            row_problems.append(f"row {k + 1}: ID {z[zid]!r} in Zen, {t[tid]!r} in Tamis")
        else:
            if trej is not None and t[trej]:
                rejected += 1
            if z[zcat] != t[tcat]:
                row_problems.append(f"ID {t[tid]}: categorie Tamis {t[tcat] or '(rejetée)'!s}, "
                                    f"Zen {z[zcat] or '(rejetée)'}")
            elif axes and z[zax] != t[tax]:
                row_problems.append(f"ID {t[tid]}: axes Tamis {t[tax]!r}, Zen {z[zax]!r}")
        if row_problems:
            problems += row_problems
        else:
            identical += 1
    mismatches = len(z_rows) - identical
    for p in problems[:MAX_SHOWN]:
        print(f"MISMATCH {p}", file=sys.stderr)
    if len(problems) > MAX_SHOWN:
        print(f"... and {len(problems) - MAX_SHOWN} more", file=sys.stderr)
    if not z_rows:
        problems.append("no dossier in the Zen file")
    print(f"ZEN_AGREEMENT rows={len(z_rows)} identical={identical} mismatches={mismatches} "
          f"rejected_both={rejected} axes_checked={'yes' if axes else 'no'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
