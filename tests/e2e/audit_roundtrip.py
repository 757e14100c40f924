#!/usr/bin/env python3
"""Round trip through the SQLite audit store (docs/audit-db.md), checked with the sqlite3 shell.

In a fresh temporary folder, with the repository root as working directory:

  run 1   tamis run rules/cop2024        examples/campagne-2024.csv --db AUDIT --output r1.csv
  run 2   tamis run TMP/rules-horizon-2026 (copy of rules/cop2024 whose horizon_demarrage is
          2026-12-31)                      same campaign               --db AUDIT --output r2.csv

then checks, reading the database with `sqlite3` (Debian package sqlite3):
  - the tables and the documented columns; `runs` has 2 finished rows with the row counts;
  - input hashes equal the SHA-256 of the campaign; rule-set hashes differ and equal the
    SHA-256 of the sorted "name hash" lines of the rule files; `rule_files` holds one row
    per file name with the file's SHA-256, and only classement.tamis differs between runs;
  - `dossiers` has one row per input row per run whose decision, rule and results equal
    the results CSV; `run_counts` equal the category counts of the results CSVs;
  - `tamis history` of a dossier whose category changed prints both runs, the change and
    classement.tamis (and no other rule file); of an unchanged dossier, no change;
  - `tamis explain --db AUDIT --run N --id X` is `tamis explain RULES CAMPAIGN --id X` with
    the rules of run N plus the run's provenance: the JSON document has the same keys and
    values and one more, `execution` (run number, date, Tamis version, database, input path
    and hash, as in `runs`); the text has the same lines and two more (the run, the input);
    the HTML names the run;
  - run 3 (rules/cop2024 again) has the same hashes and rule files as run 1 and the same
    per-dossier rows (decision, rule, results, explanation);
  - a run that fails (--strict with a rejected row) leaves nothing in the database;
  - read-only commands (`explain --db`, `history`) on a mistyped path say so, exit 2 and
    create no file; a file that is not an audit database and a folder that does not exist
    are reported with exit 2 (never 3), also by `run --db`; a run number that does not exist
    is reported as such, with the runs there are;
  - run 4 (rules/cop2025, which extends ../cop2024): `history` names cop2025's own files as
    added and no cop2024 file (their content is the same), never one file added and another
    removed for the same content;
  - in another database, a dossier rejected (run 1), classified (run 2), rejected again (run
    3): `history` shows « rejeté » and the reason on both change lines;
  - a campaign that repeats an identifier, run once: `history` shows one run, the second row
    with its line as rejected as a duplicate, and no change;
  - a rule file edited after its run: `explain --db` says on stderr that the file:line
    references point to the rule files as they were at the run, naming the file.

    audit_roundtrip.py --tamis build/tamis [--keep DIR]

Python 3 standard library + the sqlite3 shell. Exit status 0 when every check passes.
"""

import argparse
import collections
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RULES = "rules/cop2024"
CAMPAIGN = "examples/campagne-2024.csv"
HORIZON_2024 = 'soit horizon_demarrage "date limite de démarrage" = 2025-12-31'
HORIZON_2026 = 'soit horizon_demarrage "date limite de démarrage" = 2026-12-31'

COLUMNS = {
    "meta": ["key", "value"],
    "runs": ["run_id", "started_at", "tool_version", "ruleset_name", "ruleset_version",
             "ruleset_hash", "input_path", "input_hash", "rows_read", "rows_classified",
             "rows_rejected", "finished"],
    "rule_files": ["run_id", "path", "sha256"],
    "run_counts": ["run_id", "decision", "value", "count"],
    "dossiers": ["run_id", "row_number", "line", "dossier_id", "status", "decision", "rule",
                 "results", "explanation", "rejection"],
}

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print(f"  FAIL {message}")
    return condition


def sha256_file(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def ruleset_hash(folder):
    lines = "".join(f"{p.name} {sha256_file(p)}\n" for p in sorted(Path(folder).glob("*.tamis")))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def tamis_full(exe, *args, expect=0):
    """(stdout, stderr) of a tamis command that must exit with status `expect`."""
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.pop("TAMIS_LANG", None)
    proc = subprocess.run([exe, *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env, timeout=120)
    if proc.returncode != expect:
        sys.stdout.write(proc.stderr.decode("utf-8", errors="replace"))
        raise SystemExit(f"tamis {' '.join(map(str, args))}: exit status {proc.returncode}, "
                         f"expected {expect}")
    return proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def tamis(exe, *args, expect=0):
    return tamis_full(exe, *args, expect=expect)[0]


def sql(db, query):
    """Rows of `query` as dicts, read with the sqlite3 shell (read-only)."""
    proc = subprocess.run(["sqlite3", "-bail", "-readonly", "-json", str(db), query],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if proc.returncode != 0:
        raise SystemExit(f"sqlite3 failed on {query!r}: "
                         f"{proc.stderr.decode('utf-8', errors='replace')}")
    out = proc.stdout.decode("utf-8").strip()
    return json.loads(out) if out else []


def results_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def check_schema(db):
    tables = {r["name"] for r in sql(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, columns in COLUMNS.items():
        if not check(table in tables, f"table {table} missing"):
            continue
        actual = [r["name"] for r in sql(db, f"SELECT name FROM pragma_table_info('{table}')")]
        check(actual == columns, f"columns of {table}: {actual}, documented {columns}")
    meta = sql(db, "SELECT value FROM meta WHERE key = 'schema_version'")
    check(meta == [{"value": "1"}], f"meta schema_version: {meta}")


def check_runs(db, rules_by_run, rows):
    runs = sql(db, "SELECT * FROM runs ORDER BY run_id")
    check([r["run_id"] for r in runs] == list(range(1, len(rules_by_run) + 1)),
          f"runs: ids {[r['run_id'] for r in runs]}")
    input_hash = sha256_file(ROOT / CAMPAIGN)
    for run, folder in zip(runs, rules_by_run):
        n = run["run_id"]
        check(run["finished"] == 1, f"run {n} not finished")
        check((run["rows_read"], run["rows_classified"], run["rows_rejected"]) == (rows, rows, 0),
              f"run {n} row counts {run['rows_read']}/{run['rows_classified']}/{run['rows_rejected']}")
        check(run["input_hash"] == input_hash, f"run {n} input_hash {run['input_hash']}")
        check(run["input_path"] == CAMPAIGN, f"run {n} input_path {run['input_path']}")
        check(run["ruleset_hash"] == ruleset_hash(folder),
              f"run {n} ruleset_hash {run['ruleset_hash']} ≠ SHA-256 of the manifest of {folder}")
        check((run["ruleset_name"], run["ruleset_version"]) == ("cop2024", "2024.1"),
              f"run {n} rule set {run['ruleset_name']} {run['ruleset_version']}")
        check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", run["started_at"] or "") is not None,
              f"run {n} started_at {run['started_at']!r}")
        check(bool(run["tool_version"]), f"run {n} tool_version empty")
        files = sql(db, f"SELECT path, sha256 FROM rule_files WHERE run_id = {n} ORDER BY path")
        expected = [{"path": p.name, "sha256": sha256_file(p)}
                    for p in sorted(Path(folder).glob("*.tamis"))]
        check(files == expected, f"run {n} rule_files {files}")
    return runs


def check_dossiers(db, run, results):
    rows = sql(db, "SELECT row_number, line, dossier_id, status, decision, rule, results, "
                   f"explanation IS NOT NULL AS has_explanation, rejection FROM dossiers "
                   f"WHERE run_id = {run} ORDER BY row_number")
    if not check(len(rows) == len(results), f"run {run}: {len(rows)} dossiers rows, "
                                            f"{len(results)} result rows"):
        return
    bad = 0
    for i, (row, result) in enumerate(zip(rows, results), 1):
        expected_results = {k: v for k, v in result.items() if k != "rejet"}
        ok = (row["row_number"] == i and row["dossier_id"] == result["ID"]
              and row["status"] == "classé" and row["decision"] == result["categorie"]
              and row["rule"] == result["regle"] and row["has_explanation"] == 1
              and row["rejection"] is None and json.loads(row["results"]) == expected_results)
        if not ok:
            bad += 1
            if bad <= 5:
                check(False, f"run {run} row {i}: {row} vs results {result}")
    check(bad == 0, f"run {run}: {bad} dossiers rows differ from the results CSV")
    # Counts per category: run_counts.decision is not checked here (see docs/audit-db.md).
    counts = {r["value"]: r["count"] for r in
              sql(db, f"SELECT value, count FROM run_counts WHERE run_id = {run}")}
    expected = dict(collections.Counter(r["categorie"] for r in results))
    check(counts == expected, f"run {run}: run_counts {counts}, results CSV {expected}")


def check_user_errors(exe, work, db):
    print("mistyped paths and run numbers")
    ident = "18753006"
    for args in (("explain", "--db", work / "nope.sqlite", "--run", 1, "--id", ident),
                 ("history", "--db", work / "nope.sqlite", "--id", ident)):
        _, err = tamis_full(exe, *args, expect=2)
        check(f"base d'audit introuvable : {work / 'nope.sqlite'}" in err,
              f"{args[0]} on a missing database: {err!r}")
        check(not (work / "nope.sqlite").exists(), f"{args[0]} created the missing database")
    _, err = tamis_full(exe, "--lang", "en", "history", "--db", work / "nope.sqlite", "--id",
                        ident, expect=2)
    check("audit database not found" in err, f"history --lang en, missing database: {err!r}")
    for args in (("explain", "--db", CAMPAIGN, "--run", 1, "--id", ident),
                 ("history", "--db", CAMPAIGN, "--id", ident),
                 ("run", RULES, CAMPAIGN, "--db", CAMPAIGN)):
        _, err = tamis_full(exe, *args, expect=2)
        check(f"« {CAMPAIGN} » n'est pas une base d'audit Tamis" in err,
              f"{args[0]} --db on a CSV file: {err!r}")
    check(sha256_file(ROOT / CAMPAIGN) == sql(db, "SELECT input_hash FROM runs LIMIT 1")[0][
        "input_hash"], "the campaign was changed by run --db CAMPAIGN")
    for args in (("explain", "--db", "/nonexistent/x.sqlite", "--run", 1, "--id", ident),
                 ("run", RULES, CAMPAIGN, "--db", "/nonexistent/a.sqlite")):
        _, err = tamis_full(exe, *args, expect=2)
        check("/nonexistent/" in err and "unable to open" not in err,
              f"{args[0]} --db /nonexistent/…: {err!r}")
    _, err = tamis_full(exe, "explain", "--db", db, "--run", 99, "--id", ident, expect=2)
    check(f"exécution 99 inexistante dans {db} (exécutions 1 à 3)" in err,
          f"explain --run 99: {err!r}")


def check_extends(exe, db, r1):
    print("run 4: rules/cop2025, which extends ../cop2024")
    tamis(exe, "run", "rules/cop2025", CAMPAIGN, "--db", db)
    out = tamis(exe, "history", "--db", db, "--id", r1[0]["ID"])
    block = out[out.index("exécution 4 "):]
    own = sorted(p.name for p in (ROOT / "rules/cop2025").glob("*.tamis"))
    for name in own:
        check(f"cop2025/{name} : ajouté (" in block, f"history, run 4: cop2025/{name} not added\n"
                                                    f"{block}")
    check("cop2024/" not in block and "(absent)" not in block and "supprimé" not in block
          and "retiré" not in block, f"history, run 4: cop2024 files named\n{block}")
    parent = len(list((ROOT / RULES).glob("*.tamis")))
    check(f"({parent} inchangé(s))" in block, f"history, run 4: not {parent} unchanged\n{block}")


def write_campaign(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def read_campaign():
    with open(ROOT / CAMPAIGN, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def check_rejected_history(exe, work):
    print("a dossier rejected, classified, rejected again")
    rows = read_campaign()
    header, ident = rows[0], rows[2][0]
    bad = [list(r) for r in rows]
    bad[2][header.index("Financements sollicités")] = "<Autre>"
    write_campaign(work / "rejet-financement.csv", bad)
    db = work / "rejected.sqlite"
    for campaign in (work / "rejet-financement.csv", CAMPAIGN, work / "rejet-financement.csv"):
        tamis(exe, "run", RULES, campaign, "--db", db)
    out = tamis(exe, "history", "--db", db, "--id", ident)
    changes = [line for line in out.splitlines() if "changement depuis" in line]
    check(len(changes) == 2, f"history of a rejected dossier: changes {changes}\n{out}")
    if len(changes) == 2:
        check(re.search(r"exécution 1 : rejeté \(.*<Autre>.*\) → \w+ « R", changes[0]),
              f"history: rejected → classified: {changes[0]!r}")
        check(re.search(r"exécution 2 : \w+ « R.* » → rejeté \(.*<Autre>.*\)$", changes[1]),
              f"history: classified → rejected: {changes[1]!r}")
    check(" «  »" not in out, f"history of a rejected dossier: an empty outcome\n{out}")


def check_duplicate(exe, work):
    print("a campaign that repeats an identifier")
    rows = read_campaign()
    header = rows[0]
    copy = list(rows[1])
    copy[header.index("État du dossier")] = "Classé sans suite"
    write_campaign(work / "doublon.csv", rows + [copy])
    db = work / "duplicate.sqlite"
    tamis(exe, "run", RULES, work / "doublon.csv", "--db", db)
    line = sql(db, f"SELECT line FROM dossiers WHERE row_number = {len(rows)}")[0]["line"]
    out = tamis(exe, "history", "--db", db, "--id", copy[0])
    check(f"Dossier {copy[0]} — 1 exécution(s)" in out, f"history of a duplicate: runs\n{out}")
    check(re.search(rf"même identifiant ligne {line} : rejeté : .*déjà présent", out),
          f"history of a duplicate: no line {line} rejected as a duplicate\n{out}")
    check("changement depuis" not in out and "règles identiques" not in out,
          f"history of a duplicate: compares the run with itself\n{out}")
    _, err = tamis_full(exe, "explain", "--db", db, "--run", 1, "--id", copy[0])
    check(f"ligne {line}" in err, f"explain --db of a duplicate: no note on line {line}: {err!r}")


def check_stale_rule_files(exe, work):
    print("rule files edited after their run")
    rules = work / "rules-edited"
    shutil.copytree(ROOT / RULES, rules)
    db = work / "stale.sqlite"
    ident = read_campaign()[2][0]
    tamis(exe, "run", rules, CAMPAIGN, "--db", db)
    _, err = tamis_full(exe, "explain", "--db", db, "--run", 1, "--id", ident)
    check("renvois fichier:ligne" not in err, f"explain --db, rules unchanged: {err!r}")
    with open(rules / "classement.tamis", "a", encoding="utf-8") as f:
        f.write("\n// modifié après l'exécution\n")
    out, err = tamis_full(exe, "explain", "--db", db, "--run", 1, "--id", ident)
    check("les renvois fichier:ligne de cette explication désignent les fichiers de règles "
          "tels qu'ils étaient lors de l'exécution 1" in err
          and f"{rules / 'classement.tamis'} : modifié depuis" in err,
          f"explain --db, classement.tamis edited: {err!r}")
    check(out.startswith("Dossier "), "explain --db, rules edited: no explanation on stdout")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tamis", required=True, help="path to the tamis executable")
    parser.add_argument("--keep", help="work in this folder (emptied first) and keep it")
    args = parser.parse_args()
    exe = str(Path(args.tamis).resolve())
    if not os.access(exe, os.X_OK):
        print(f"audit_roundtrip: {args.tamis} is not an executable", file=sys.stderr)
        return 2
    if shutil.which("sqlite3") is None:
        print("audit_roundtrip: the sqlite3 shell is missing (apt-get install sqlite3)",
              file=sys.stderr)
        return 2

    tmp = tempfile.TemporaryDirectory(prefix="tamis-audit-")
    work = Path(args.keep).resolve() if args.keep else Path(tmp.name)
    if args.keep:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    db = work / "audit.sqlite"

    # Rules of run 2: the same folder with the start-date horizon moved by one year.
    rules2 = work / "rules-horizon-2026"
    shutil.copytree(ROOT / RULES, rules2)
    classement = rules2 / "classement.tamis"
    source = classement.read_text(encoding="utf-8")
    if source.count(HORIZON_2024) != 1:
        raise SystemExit(f"{RULES}/classement.tamis: expected one line «{HORIZON_2024}»")
    classement.write_text(source.replace(HORIZON_2024, HORIZON_2026), encoding="utf-8")

    print("runs 1 and 2")
    tamis(exe, "run", RULES, CAMPAIGN, "--output", work / "r1.csv", "--db", db)
    tamis(exe, "run", rules2, CAMPAIGN, "--output", work / "r2.csv", "--db", db)
    r1, r2 = results_csv(work / "r1.csv"), results_csv(work / "r2.csv")
    check_schema(db)
    runs = check_runs(db, [ROOT / RULES, rules2], len(r1))
    check(len(runs) == 2, f"runs has {len(runs)} rows, expected 2")
    if len(runs) == 2:
        check(runs[0]["input_hash"] == runs[1]["input_hash"], "input hashes differ")
        check(runs[0]["ruleset_hash"] != runs[1]["ruleset_hash"], "rule-set hashes are equal")
    differing = sql(db, "SELECT a.path FROM rule_files a JOIN rule_files b ON b.path = a.path "
                        "AND b.run_id = 2 WHERE a.run_id = 1 AND a.sha256 <> b.sha256")
    check(differing == [{"path": "classement.tamis"}], f"rule files that differ: {differing}")
    check_dossiers(db, 1, r1)
    check_dossiers(db, 2, r2)

    print("history")
    changed = [(a, b) for a, b in zip(r1, r2) if a["categorie"] != b["categorie"]]
    check(changed, "no dossier changed category between the two runs")
    if changed:
        a, b = changed[0]
        out = tamis(exe, "history", "--db", db, "--id", a["ID"])
        check("exécution 1 " in out and "exécution 2 " in out, f"history {a['ID']}: runs\n{out}")
        change = (f"changement depuis l'exécution 1 : {a['categorie']} « {a['regle']} » → "
                  f"{b['categorie']} « {b['regle']} »")
        check(change in out, f"history {a['ID']}: no line «{change}»\n{out}")
        check("classement.tamis" in out, f"history {a['ID']}: classement.tamis not named\n{out}")
        others = [p.name for p in sorted((ROOT / RULES).glob("*.tamis"))
                  if p.name != "classement.tamis" and p.name in out]
        check(not others, f"history {a['ID']}: unchanged rule files named: {others}")
    same = next((a for a, b in zip(r1, r2) if a["categorie"] == b["categorie"]), None)
    if same is not None:
        out = tamis(exe, "history", "--db", db, "--id", same["ID"])
        check("exécution 1 " in out and "exécution 2 " in out and "changement depuis" not in out,
              f"history {same['ID']} (unchanged):\n{out}")

    print("explanations from the database")
    ids = [changed[0][0]["ID"]] if changed else []
    ids += [r1[0]["ID"], r1[-1]["ID"]]
    input_hash = sha256_file(ROOT / CAMPAIGN)
    for run, rules in ((1, RULES), (2, rules2)):
        started = sql(db, f"SELECT started_at, tool_version FROM runs WHERE run_id = {run}")[0]
        provenance = {"numero": run, "date": started["started_at"],
                      "version_tamis": started["tool_version"], "base": str(db),
                      "entree": {"chemin": CAMPAIGN, "empreinte": input_hash}}
        run_line = (f"Exécution : n° {run} du {started['started_at']} dans {db} "
                    f"(Tamis {started['tool_version']})")
        input_line = f"Campagne lue : {CAMPAIGN} (empreinte {input_hash[:12]})"
        for ident in ids:
            stored = json.loads(tamis(exe, "explain", "--db", db, "--run", run, "--id", ident,
                                      "--format", "json"))
            fresh = json.loads(tamis(exe, "explain", rules, CAMPAIGN, "--id", ident,
                                     "--format", "json"))
            check(stored.pop("execution", None) == provenance,
                  f"explain --db run {run} --id {ident}: execution is not {provenance}")
            check(stored == fresh, f"explain --db run {run} --id {ident} --format json differs "
                                   f"from the explanation from the rule files")
            stored = tamis(exe, "explain", "--db", db, "--run", run, "--id", ident)
            fresh = tamis(exe, "explain", rules, CAMPAIGN, "--id", ident)
            lines = stored.split("\n")
            check(lines[2:4] == [run_line, input_line],
                  f"explain --db run {run} --id {ident}: provenance lines {lines[2:4]}")
            check("\n".join(lines[:2] + lines[4:]) == fresh,
                  f"explain --db run {run} --id {ident} --format text differs from the "
                  f"explanation from the rule files (provenance aside)")
        html = tamis(exe, "explain", "--db", db, "--run", run, "--id", ids[-1], "--format", "html")
        check(f"n° {run} du {started['started_at']}" in html and input_hash[:12] in html,
              f"explain --db run {run} --format html: no provenance")

    print("run 3: same rules, same input")
    tamis(exe, "run", RULES, CAMPAIGN, "--output", work / "r3.csv", "--db", db)
    same_run = sql(db, "SELECT a.ruleset_hash = c.ruleset_hash AS rules, "
                       "a.input_hash = c.input_hash AS input FROM runs a, runs c "
                       "WHERE a.run_id = 1 AND c.run_id = 3")
    check(same_run == [{"rules": 1, "input": 1}], f"runs 1 and 3 hashes: {same_run}")
    files = sql(db, "SELECT run_id, path, sha256 FROM rule_files WHERE run_id IN (1, 3) "
                    "ORDER BY path, run_id")
    check(len(files) > 0 and all(files[i]["path"] == files[i + 1]["path"]
                                 and files[i]["sha256"] == files[i + 1]["sha256"]
                                 for i in range(0, len(files), 2)),
          "rule_files of runs 1 and 3 differ")
    diff = sql(db, "SELECT count(*) AS n FROM dossiers a LEFT JOIN dossiers c ON c.run_id = 3 "
                   "AND c.row_number = a.row_number WHERE a.run_id = 1 AND (c.run_id IS NULL "
                   "OR a.line IS NOT c.line OR a.dossier_id IS NOT c.dossier_id "
                   "OR a.status IS NOT c.status OR a.decision IS NOT c.decision "
                   "OR a.rule IS NOT c.rule OR a.results IS NOT c.results "
                   "OR a.explanation IS NOT c.explanation OR a.rejection IS NOT c.rejection)")
    check(diff == [{"n": 0}], f"dossiers of runs 1 and 3 differ: {diff}")
    count3 = sql(db, "SELECT count(*) AS n FROM dossiers WHERE run_id = 3")
    check(count3 == [{"n": len(r1)}], f"run 3 dossiers: {count3}")
    check((work / "r3.csv").read_bytes() == (work / "r1.csv").read_bytes(),
          "results of runs 1 and 3 differ")

    print("a failed run leaves nothing")
    with open(ROOT / CAMPAIGN, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header, first, second = next(reader), next(reader), list(next(reader))
    second[header.index("État du dossier")] = "État inconnu"
    bad = work / "rejet.csv"
    with open(bad, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header, first, second])
    tamis(exe, "run", RULES, bad, "--strict", "--db", db, expect=2)
    after = sql(db, "SELECT (SELECT count(*) FROM runs) AS runs, "
                    "(SELECT count(*) FROM dossiers WHERE run_id > 3) AS dossiers, "
                    "(SELECT count(*) FROM rule_files WHERE run_id > 3) AS files")
    check(after == [{"runs": 3, "dossiers": 0, "files": 0}], f"after a failed run: {after}")
    integrity = sql(db, "PRAGMA integrity_check")
    check(integrity == [{"integrity_check": "ok"}], f"integrity_check: {integrity}")

    check_user_errors(exe, work, db)
    check_extends(exe, db, r1)
    check_rejected_history(exe, work)
    check_duplicate(exe, work)
    check_stale_rule_files(exe, work)

    tmp.cleanup()
    print("audit round trip: " + ("OK" if not failures else f"{len(failures)} failure(s)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
