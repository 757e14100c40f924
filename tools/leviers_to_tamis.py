#!/usr/bin/env python3
"""Turns a lever catalogue CSV (the SGPE list: levier;secteur;axes…;alias;…) into
the rows of a Tamis `table Levier`, so that the catalogue lives in a rule file
people can read and edit. Used once to write rules/cop2024/leviers.tamis and the
adaptation rows of rules/cop2025; kept to redo it when the official list changes.

usage: tools/leviers_to_tamis.py CATALOGUE.csv > rows.tamis
"""
import csv
import sys

AXES = ["climat", "biodiversite", "ressources", "adaptation", "sante"]


def quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def number(s: str) -> str:
    s = s.strip()
    return s if s else "vide"


def main() -> None:
    with open(sys.argv[1], encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    for r in rows:
        axes = [a for a in AXES if r[a].strip() == "X"]
        aliases = [a for a in r["alias"].split("|") if a.strip()]
        print(f"  {quote(r['levier'])}")
        if aliases:
            print("      alias " + ", ".join(quote(a) for a in aliases))
        origin = "document" if r["source_axes"] == "document" else "déduit"
        print(f"      | {quote(r['secteur'])} | {{{', '.join(axes)}}}"
              f" | {number(r['part_reduction_secteur_hdf_pct'])}"
              f" | {number(r['objectif_hdf_ktco2e'])} | {quote(origin)}")


if __name__ == "__main__":
    main()
