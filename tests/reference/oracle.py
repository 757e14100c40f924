#!/usr/bin/env python3
"""Independent reference oracle for the Tamis COP rules (plain Python, stdlib only).

This is a deliberately simple, second implementation of the reference rules of
the domain README ("The reference COP 2024 rules" and "The 2025 round"), used by
the tests to check the C++ engine.  It shares no code with the engine.

Usage:
    python3 tests/reference/oracle.py [--year 2024|2025] CAMPAIGN.csv > expected.csv

Input: a campaign export (comma or ';' separator, UTF-8 with or without BOM),
columns matched by header label.  Output (stdout): CSV, comma separator,
RFC 4180 quoting, UTF-8, LF, header ``ID,categorie,leviers,leviers_inconnus,axes``,
one row per dossier in input order.

Team decisions implemented here (see tests/reference/README.md):
  * every cell is trimmed (ASCII whitespace + U+00A0 / U+202F no-break spaces);
    a blank cell is a missing value;
  * lever cell: split on ", ", then longest match of consecutive pieces against
    the normalised canonical names and aliases of the catalogue; an alias listed
    on several levers resolves to all of them; a lever recognised twice counts
    once; unrecognised pieces are reported trimmed, as written, in order of
    appearance (an identical unrecognised label repeated in one cell is reported
    once);
  * normalisation: NFD, drop combining marks, casefold, typographic apostrophes
    -> ', whitespace runs -> one space, trim;
  * R0 / R1 / R2 / R3 / else, in that order (see classify()).

Exit status: 0 on success, 2 on unreadable input (encoding, missing column,
malformed CSV).
"""

import argparse
import csv
import datetime
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

AXES = ("climat", "biodiversite", "ressources", "adaptation", "sante")

# Whitespace for trimming and for collapsing: ASCII whitespace and the two
# Unicode no-break spaces (U+00A0 NO-BREAK SPACE, U+202F NARROW NO-BREAK SPACE).
WS_CHARS = " \t\n\v\f\r\u00a0\u202f"
WS_RUN = re.compile("[" + re.escape(WS_CHARS) + "]+")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})

HORIZON = {2024: datetime.date(2025, 12, 31), 2025: datetime.date(2026, 12, 31)}

COL_ID = "ID"
COL_ETAT = "État du dossier"
COL_THEME = "Thématique"
COL_LEVIERS = "Levier(s) de la planification écologique"
COL_IMPACT = "Impact significatif attendu"
COL_REPLICABLE = "Projet réplicable sur d'autres territoires"
COL_MATURITE = "Maturité du projet"
COL_MO = "Maître d'ouvrage identifié"
COL_ETAPES = "Prochaines étapes"
COL_DATE = "Date prévisionnelle de démarrage"
COL_FINANCEMENTS = "Financements sollicités"
REQUIRED = (COL_ID, COL_ETAT, COL_THEME, COL_LEVIERS, COL_IMPACT, COL_REPLICABLE,
            COL_MATURITE, COL_MO, COL_ETAPES, COL_DATE, COL_FINANCEMENTS)

OUT_HEADER = ("ID", "categorie", "leviers", "leviers_inconnus", "axes")


def trim(s):
    return s.strip(WS_CHARS)


def normalise(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().translate(APOSTROPHES)
    return WS_RUN.sub(" ", s).strip(" ")


R0_ETATS = {normalise("En construction"), normalise("Classé sans suite")}
MATURE = {normalise(v) for v in ("Avant-projet", "Consultation des entreprises",
                                 "Travaux en cours")}
OTHER_NEEDS = {normalise(v) for v in (
    "Cohésion sociale", "Santé", "Culture et patrimoine",
    "Équipements sportifs et de loisirs", "Numérique",
    "Développement économique", "Services au public")}


class InputError(Exception):
    pass


# --------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------
class Catalogue:
    def __init__(self, year):
        files = ["leviers.csv"] + (["leviers-adaptation.csv"] if year >= 2025 else [])
        self.names = []          # canonical names, catalogue order
        self.axes = []           # per lever: set of axis codes
        self.index = {}          # normalised label -> list of lever indices
        for fname in files:
            with open(os.path.join(HERE, fname), encoding="utf-8-sig", newline="") as f:
                for row in csv.DictReader(f, delimiter=";"):
                    i = len(self.names)
                    name = trim(row["levier"])
                    self.names.append(name)
                    self.axes.append({a for a in AXES if trim(row[a] or "").upper() == "X"})
                    labels = [name] + [trim(a) for a in (row["alias"] or "").split("|")]
                    for label in labels:
                        if not label:
                            continue
                        lst = self.index.setdefault(normalise(label), [])
                        if i not in lst:
                            lst.append(i)
        self._cache = {}

    def parse(self, cell):
        """Return (sorted recognised lever indices, unrecognised labels)."""
        hit = self._cache.get(cell)
        if hit is not None:
            return hit
        pieces = cell.split(", ") if cell else []
        norm = [normalise(p) for p in pieces]
        found = set()
        unknown = []
        i, n = 0, len(pieces)
        while i < n:
            if not trim(pieces[i]):
                i += 1
                continue
            matched = False
            for j in range(n - 1, i - 1, -1):
                key = normalise(", ".join(pieces[i:j + 1])) if j > i else norm[i]
                levers = self.index.get(key)
                if levers:
                    found.update(levers)
                    i = j + 1
                    matched = True
                    break
            if not matched:
                label = trim(pieces[i])
                if label not in unknown:
                    unknown.append(label)
                i += 1
        result = (sorted(found), unknown)
        if len(self._cache) < 200000:
            self._cache[cell] = result
        return result


# --------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------
def read_campaign(path):
    """Yields one dict (required column -> trimmed value) per record, streaming."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            first = f.readline()
            delim = ";" if first.count(";") > first.count(",") else ","
            f.seek(0)                         # the utf-8-sig decoder drops the BOM again
            reader = csv.reader(f, delimiter=delim, strict=True)
            try:
                header = next(reader, None)
                if header is None:
                    raise InputError(f"{path}: empty file")
                header = [trim(h.lstrip("\ufeff")) for h in header]
                col = {}
                for k, h in enumerate(header):
                    if h in col:
                        raise InputError(f"{path}: duplicate column {h!r}")
                    col[h] = k
                # exact label first, then a normalised match (typographic apostrophe, case)
                norm_header = {}
                for k, h in enumerate(header):
                    norm_header.setdefault(normalise(h), k)
                idx = []
                for name in REQUIRED:
                    if name in col:
                        idx.append((name, col[name]))
                    elif normalise(name) in norm_header:
                        idx.append((name, norm_header[normalise(name)]))
                    else:
                        raise InputError(f"{path}: missing column {name!r}")
                width = len(header)
                for row in reader:
                    if not row:
                        continue
                    if len(row) != width:
                        raise InputError(f"{path}: record ending at line {reader.line_num} has "
                                         f"{len(row)} fields, header has {width}")
                    yield {name: row[k].strip(WS_CHARS) for name, k in idx}
            except csv.Error as e:
                raise InputError(f"{path}: malformed CSV near line {reader.line_num}: {e}")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not valid UTF-8 ({e.reason} at byte {e.start} of a read block; "
                         "Windows-1252 export? re-save as UTF-8)")


DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DATE_FR = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def parse_date(s):
    m = DATE_ISO.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = DATE_FR.match(s)
        if not m:
            return None
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return datetime.date(y, mo, d)
    except ValueError:
        return None


def is_oui(s):
    return s.casefold() == "oui"


# --------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------
def classify(rec, catalogue, horizon, warn):
    levers, unknown = catalogue.parse(rec[COL_LEVIERS])
    if normalise(rec[COL_ETAT]) in R0_ETATS:
        cat = "non_remonte"                                   # R0
    else:
        contributes = bool(levers) and (is_oui(rec[COL_IMPACT]) or is_oui(rec[COL_REPLICABLE]))
        date = None
        if rec[COL_DATE]:
            date = parse_date(rec[COL_DATE])
            if date is None:
                warn(f"ID {rec[COL_ID]}: unreadable start date {rec[COL_DATE]!r}, treated as missing")
        mature = (normalise(rec[COL_MATURITE]) in MATURE
                  and rec[COL_MO] != ""
                  and rec[COL_ETAPES] != ""
                  and rec[COL_FINANCEMENTS] != ""
                  and date is not None and date <= horizon)
        if contributes and mature:
            cat = "a_remonter"                                # R1
        elif contributes:
            cat = "a_travailler"                              # R2
        elif normalise(rec[COL_THEME]) in OTHER_NEEDS:
            cat = "hors_cop_mais_crte"                        # R3
        else:
            cat = "non_remonte"
    axes = set()
    for i in levers:
        axes |= catalogue.axes[i]
    return (rec[COL_ID], cat,
            " | ".join(catalogue.names[i] for i in levers),
            " | ".join(unknown),
            " | ".join(a for a in AXES if a in axes))


def csv_line(fields):
    out = []
    for s in fields:
        if '"' in s or "," in s or "\n" in s or "\r" in s:
            s = '"' + s.replace('"', '""') + '"'
        out.append(s)
    return ",".join(out) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--year", type=int, choices=(2024, 2025), default=2024)
    ap.add_argument("campaign")
    args = ap.parse_args(argv)
    catalogue = Catalogue(args.year)

    def warn(msg):
        print(f"oracle: warning: {msg}", file=sys.stderr)

    # Results are buffered in memory and written only once the whole input has
    # been read, so that an input error never leaves a truncated expected file.
    seen = set()
    lines = [csv_line(OUT_HEADER)]
    horizon = HORIZON[args.year]
    try:
        for rec in read_campaign(args.campaign):
            if rec[COL_ID] in seen:
                warn(f"duplicate ID {rec[COL_ID]}")
            seen.add(rec[COL_ID])
            lines.append(csv_line(classify(rec, catalogue, horizon, warn)))
    except (InputError, OSError) as e:
        print(f"oracle: error: {e}", file=sys.stderr)
        return 2
    out = sys.stdout.buffer
    for k in range(0, len(lines), 10000):
        out.write("".join(lines[k:k + 10000]).encode("utf-8"))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
