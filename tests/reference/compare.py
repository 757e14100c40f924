#!/usr/bin/env python3
"""Compare two per-dossier result CSVs (e.g. the oracle's and the engine's) by ID.

Usage:
    python3 tests/reference/compare.py EXPECTED.csv ACTUAL.csv \
        [--columns ID,categorie,leviers,leviers_inconnus,axes]

Rows are matched on the ID column.  Reports every missing ID (in EXPECTED, not in
ACTUAL), every extra ID (in ACTUAL, not in EXPECTED), every duplicate ID and every
differing cell (ID, column, expected, actual); at most 50 report lines are
printed, then a count of the rest.  Cells are compared exactly (no trimming).
Columns of ACTUAL that are not listed are ignored.

Exit status: 0 identical on the listed columns, 1 differences found,
2 usage / input error (unreadable file, a listed column absent from a file).
"""

import argparse
import csv
import io
import sys

DEFAULT_COLUMNS = "ID,categorie,leviers,leviers_inconnus,axes"
MAX_LINES = 50


class InputError(Exception):
    pass


def load(path, columns, role):
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{role} {path}: cannot read: {e}")
    first = text.split("\n", 1)[0]
    delim = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True))
    except csv.Error as e:
        raise InputError(f"{role} {path}: malformed CSV: {e}")
    if not rows:
        raise InputError(f"{role} {path}: empty file")
    header = [h.strip() for h in rows[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(f"{role} {path}: column(s) absent: {', '.join(missing)} "
                         f"(header: {', '.join(header)})")
    pos = {c: header.index(c) for c in columns}
    order, data, dups = [], {}, []
    for n, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise InputError(f"{role} {path}: record {n} has {len(row)} fields, "
                             f"header has {len(header)}")
        key = row[pos["ID"]]
        if key in data:
            dups.append(key)
            continue
        order.append(key)
        data[key] = {c: row[pos[c]] for c in columns}
    return order, data, dups


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("expected")
    ap.add_argument("actual")
    ap.add_argument("--columns", default=DEFAULT_COLUMNS,
                    help=f"comma-separated column list (default {DEFAULT_COLUMNS})")
    args = ap.parse_args(argv)
    columns = [c.strip() for c in args.columns.split(",") if c.strip()]
    if "ID" not in columns:
        columns.insert(0, "ID")
    try:
        e_order, expected, e_dups = load(args.expected, columns, "EXPECTED")
        a_order, actual, a_dups = load(args.actual, columns, "ACTUAL")
    except InputError as e:
        print(f"compare: error: {e}", file=sys.stderr)
        return 2

    lines = []
    for key in e_dups:
        lines.append(f"duplicate ID in EXPECTED: {key}")
    for key in a_dups:
        lines.append(f"duplicate ID in ACTUAL: {key}")
    for key in e_order:
        if key not in actual:
            lines.append(f"missing ID {key} (in EXPECTED, not in ACTUAL)")
    for key in a_order:
        if key not in expected:
            lines.append(f"extra ID {key} (in ACTUAL, not in EXPECTED)")
    ndiff_cells = 0
    for key in e_order:
        got = actual.get(key)
        if got is None:
            continue
        want = expected[key]
        for c in columns:
            if c != "ID" and want[c] != got[c]:
                ndiff_cells += 1
                lines.append(f"ID {key}: {c}: expected {want[c]!r}, actual {got[c]!r}")

    if not lines:
        print(f"compare: identical ({len(e_order)} rows, columns {','.join(columns)})")
        return 0
    for line in lines[:MAX_LINES]:
        print(line)
    if len(lines) > MAX_LINES:
        print(f"... and {len(lines) - MAX_LINES} more difference(s) not shown")
    print(f"compare: {len(lines)} difference(s): {ndiff_cells} differing cell(s), "
          f"{sum(1 for k in e_order if k not in actual)} missing ID(s), "
          f"{sum(1 for k in a_order if k not in expected)} extra ID(s), "
          f"{len(e_dups) + len(a_dups)} duplicate ID(s)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
