#!/usr/bin/env python3
"""The command line as staff meet it: option errors said in French (or English with
--lang en), naming the option and its value, with the usage of that command only and
exit 2; --help/-h for every command (exit 0); the summary of `tamis test`; the line
that explains exit 1 of `diff --fail-on-change`; exit 2 (not 3) for paths that cannot
be opened; `explain` of a rejected row; `--threads` validated, and a run whose threads
cannot all start finishes with the same results, says so and leaves no temporary file.

usage: cli_options.py --tamis PATH"""
import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CAMPAIGN = "examples/campagne-2024.csv"
COMMANDS = ["check", "test", "run", "explain", "history", "report", "diff", "fmt"]
failures = []


def tamis(*args, limit=None):
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.run([TAMIS, *args], cwd=ROOT, capture_output=True, text=True,
                          preexec_fn=cap if limit else None)


def check(condition, what, p=None):
    if not condition:
        detail = f"\n  exit {p.returncode}\n  stdout: {p.stdout[-600:]}\n  stderr: {p.stderr[-600:]}" if p else ""
        failures.append(what + detail)


def expect_option_error(args, message, usage_start):
    p = tamis(*args)
    name = " ".join(args)
    check(p.returncode == 2, f"{name}: exit 2", p)
    check(message in p.stderr, f"{name}: says {message!r}", p)
    check(usage_start in p.stderr, f"{name}: shows {usage_start!r}", p)
    # The usage of the command only, and none of program_options' English.
    for foreign in ("commandes :", "commands:", "the argument", "unrecognised", "is missing",
                    "invalid"):
        check(foreign not in p.stderr, f"{name}: no {foreign!r}", p)
    check(p.stdout == "", f"{name}: nothing on stdout", p)


def option_errors():
    usage_run = "usage : tamis run RÈGLES"
    expect_option_error(["run", "rules/cop2024", CAMPAIGN, "--threads", "abc"],
                        "tamis : --threads attend un nombre entier de 0 à 256, pas « abc »",
                        usage_run)
    for bad in ("-1", "257", "100000", "2.5", "3x"):
        expect_option_error(["run", "rules/cop2024", CAMPAIGN, f"--threads={bad}"],
                            f"pas « {bad} »", usage_run)
    # An option's beginning is no abbreviation of it: a typo is named, with a suggestion.
    expect_option_error(["run", "rules/cop2024", CAMPAIGN, "--coverag"],
                        "option inconnue « --coverag » : vouliez-vous dire « --coverage » ?",
                        usage_run)
    expect_option_error(["run", "rules/cop2024", CAMPAIGN, "--out", "x.csv"],
                        "option inconnue « --out » : vouliez-vous dire « --output » ?", usage_run)
    expect_option_error(["run", "rules/cop2024", CAMPAIGN, "--threads="],
                        "--threads attend une valeur", usage_run)
    expect_option_error(["run", "rules/cop2024", CAMPAIGN, "-o"], "--output attend une valeur",
                        usage_run)
    expect_option_error(["run", "rules/cop2024", CAMPAIGN, "--strict=oui"],
                        "--strict ne prend pas de valeur", usage_run)
    expect_option_error(["check", "rules/cop2024", "--coverag"], "option inconnue « --coverag »",
                        "usage : tamis check RÈGLES")
    expect_option_error(["test", "rules/cop2024", "--coverge"],
                        "option inconnue « --coverge » : vouliez-vous dire « --coverage » ?",
                        "usage : tamis test RÈGLES")
    expect_option_error(["diff", "rules/cop2024", "rules/cop2025", CAMPAIGN, "--format"],
                        "--format attend une valeur", "usage : tamis diff")
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "x.sqlite")
        expect_option_error(["explain", "--db", db, "--run", "abc", "--id", "1"],
                            "--run attend un nombre entier à partir de 1, pas « abc »",
                            "usage : tamis explain")
        check(not os.path.exists(db), "explain --run abc: the database is not created")
    p = tamis("run", "rules/cop2024", CAMPAIGN, "--threads", "abc", "--lang", "en")
    check(p.returncode == 2 and
          "tamis: --threads expects a whole number from 0 to 256, not 'abc'" in p.stderr and
          "usage: tamis run RULES" in p.stderr, "--lang en: the message in English", p)
    p = tamis("--lang", "en", "check", "rules/cop2024", "--coverag")
    check(p.returncode == 2 and "unknown option '--coverag'" in p.stderr, "--lang en: unknown", p)


def help_for_every_command():
    for command in COMMANDS:
        for flag in ("--help", "-h"):
            p = tamis(command, flag)
            check(p.returncode == 0 and p.stdout.startswith(f"usage : tamis {command}") and
                  p.stderr == "", f"{command} {flag}: its usage on stdout, exit 0", p)
    p = tamis("explain", "--help", "--lang", "en")
    check(p.returncode == 0 and p.stdout.startswith("usage: tamis explain"), "help in English", p)


def summaries():
    p = tamis("test", "rules/cop2024")
    last = p.stdout.splitlines()[-1] if p.stdout else ""
    check(p.returncode == 0 and last.endswith("réussi(s), 0 échoué(s)"),
          "test: the summary line in French", p)
    p = tamis("test", "rules/cop2024", "--lang", "en")
    last = p.stdout.splitlines()[-1] if p.stdout else ""
    check(last.endswith("passed, 0 failed"), "test --lang en: the summary in English", p)
    p = tamis("diff", "rules/cop2024", "rules/cop2025", CAMPAIGN, "--format", "csv",
              "--fail-on-change")
    check(p.returncode == 1 and "code de sortie 1 (--fail-on-change)" in p.stderr and
          "dossier(s) changent de résultat" in p.stderr, "diff --fail-on-change says why", p)
    # The count is of the differences the report lists (« Différences des règles (N) »),
    # not only of rules: definitions, table rows… are counted too.
    listed = tamis("diff", "rules/cop2024", "rules/cop2025", CAMPAIGN)
    count = listed.stdout.split("Différences des règles (", 1)[-1].split(")", 1)[0]
    check(f"{count} différence(s) des règles : code de sortie 1" in p.stderr,
          "diff --fail-on-change counts the differences of the rules", p)
    p = tamis("diff", "rules/cop2024", "rules/cop2024", CAMPAIGN, "--fail-on-change")
    check(p.returncode == 0 and "--fail-on-change" not in p.stderr,
          "diff --fail-on-change without change: exit 0, silent", p)


def unopenable_paths():
    with tempfile.TemporaryDirectory() as tmp:
        missing = os.path.join(tmp, "absent", "audit.sqlite")
        not_a_db = os.path.join(tmp, "texte.sqlite")
        with open(not_a_db, "w", encoding="utf-8") as f:
            f.write("ceci n'est pas une base SQLite\n" * 100)
        for db in (missing, not_a_db):
            p = tamis("history", "--db", db, "--id", "1")
            check(p.returncode == 2 and p.stderr.startswith("tamis : "), f"history {db}: exit 2", p)
            p = tamis("explain", "--db", db, "--run", "1", "--id", "1")
            check(p.returncode == 2, f"explain --db {db}: exit 2", p)
            out = os.path.join(tmp, "r.csv")
            p = tamis("run", "rules/cop2024", CAMPAIGN, "-o", out, "--db", db)
            check(p.returncode == 2, f"run --db {db}: exit 2", p)
            check(os.listdir(tmp) == ["texte.sqlite"], f"run --db {db}: no file left", p)


DIVISION_RULES = """schéma Dossier {
  id        : entier   colonne "ID"
  montant   : décimal  colonne "Montant"
  logements : entier   colonne "Logements"
}

soit par_logement "montant par logement" = montant / logements

énumération Taille {
  petit "Petit"
  grand "Grand"
}

décision taille : Taille première {
  règle "G gros montant par logement"
    si par_logement > 1000
    alors grand
  sinon "P reste"
    alors petit
}

sortie {
  "ID"     = id
  "taille" = taille
}

synthèse "Dossiers par taille"
  lignes taille
"""


def explain_rejected():
    """`explain` of a rejected row gives its reasons, whether it was rejected when read or
    when its rules were evaluated (a division by zero), without saying « à la lecture »."""
    with tempfile.TemporaryDirectory() as tmp:
        rules = os.path.join(tmp, "regles")
        os.mkdir(rules)
        with open(os.path.join(rules, "division.tamis"), "w", encoding="utf-8") as f:
            f.write(DIVISION_RULES)
        campaign = os.path.join(tmp, "campagne.csv")
        with open(campaign, "w", encoding="utf-8") as f:
            f.write("ID,Montant,Logements\n1,5000,2\n2,300,0\n3,abc,1\n4,100,1\n")
        for ident, reason in (("2", "division par zéro dans « par_logement »"),
                              ("3", "colonne « Montant », valeur « abc » : nombre illisible")):
            p = tamis("explain", rules, campaign, "--id", ident)
            check(p.returncode == 2, f"explain of rejected dossier {ident}: exit 2", p)
            line = int(ident) + 1
            check(f"Dossier {ident} (ligne {line}) rejeté, sans catégorie : {reason}" in p.stderr,
                  f"explain of rejected dossier {ident}: says why", p)
            check("à la lecture" not in p.stderr, f"explain of dossier {ident}: no « à la lecture »",
                  p)
        # The summary that run prints gives its shares with a decimal comma, as `report` does.
        p = tamis("run", rules, campaign, "-o", os.path.join(tmp, "r.csv"))
        check("50,0 %" in p.stdout and "50.0" not in p.stdout, "run: shares as « 50,0 % »", p)
        p = tamis("explain", rules, campaign, "--id", "2", "--lang", "en")
        check("Dossier 2 (line 3) rejected, no category: division by zero" in p.stderr,
              "explain --lang en of a rejected dossier", p)


def sanitized():
    with open(TAMIS, "rb") as f:
        return b"__asan_init" in f.read()


def threads():
    """Threads the system refuses (no address space for their stacks) are done without."""
    with tempfile.TemporaryDirectory() as tmp:
        big = os.path.join(tmp, "big.csv")
        with open(os.path.join(ROOT, CAMPAIGN), encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        with open(big, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(rows[0])
            for n in range(20000):
                w.writerow([str(30000000 + n)] + rows[1 + n % (len(rows) - 1)][1:])
        one = os.path.join(tmp, "one.csv")
        p = tamis("run", "rules/cop2024", big, "-o", one, "--threads", "1")
        check(p.returncode == 0, "run --threads 1", p)
        if sanitized():
            print("cli_options: the address-space cap is skipped in a sanitized build")
            return
        many = os.path.join(tmp, "many.csv")
        rejects = os.path.join(tmp, "rejects.csv")
        p = tamis("run", "rules/cop2024", big, "-o", many, "--rejects", rejects, "--threads", "256",
                  limit=1 << 30)
        check(p.returncode == 0, "run --threads 256 with 1 GiB of address space: exit 0", p)
        check("le système a refusé de démarrer certains fils" in p.stderr
              and "au lieu de 256" in p.stderr, "run --threads 256 under a cap: says so", p)
        if p.returncode == 0:
            with open(one, "rb") as a, open(many, "rb") as b:
                check(a.read() == b.read(), "--threads 256 under a cap: same results")
        left = [n for n in os.listdir(tmp) if ".tmp-" in n]
        check(not left, f"no temporary file left: {left}")


def main():
    global TAMIS
    ap = argparse.ArgumentParser()
    ap.add_argument("--tamis", required=True)
    TAMIS = os.path.abspath(ap.parse_args().tamis)
    option_errors()
    help_for_every_command()
    summaries()
    unopenable_paths()
    explain_rejected()
    threads()
    for f in failures:
        print("FAIL:", f)
    print(f"cli_options: {len(failures)} failure(s)" if failures else "cli_options: ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
