#!/usr/bin/env python3
"""Golden tests of Tamis diagnostics: what a rule author sees for a mistake.

Each case is a folder tests/golden/diagnostics/<NN-short-name>/ holding a small
rule set (*.tamis) and expected.txt. The harness runs

    tamis check .            (working directory = the case folder)

so the paths in the messages are the ones an author sees after `cd` into the
rules folder: "./regles.tamis:12:5: erreur[E0101]: ...". No path is rewritten.
expected.txt is the exact standard error of that run followed by one line
"exit: <code>". An optional file `arguments.txt` replaces the argument "." (for
a folder that does not exist, say).

Each case is also run in English, `tamis --lang en check .`, against
expected.en.txt. The English output must then have the same shape as the French
one (same lines, codes, positions, source excerpts and carets: only the words
differ) and no French left in it (see french_leaks: accented or French words,
« », outside quoted code and outside words of the case's own rule files).

    run_golden.py --tamis build/tamis               run every case, in French and English
    run_golden.py --tamis build/tamis 07 cycle      run the cases whose name contains 07 or cycle
    run_golden.py --tamis build/tamis --lang en     English only (or --lang fr)
    run_golden.py --tamis build/tamis --update      rewrite expected*.txt (review the git diff!)

Python 3 standard library only. Exit status 1 when any case fails.
"""

import argparse
import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "diagnostics"
EXPECTED = {"fr": "expected.txt", "en": "expected.en.txt"}
ARGUMENTS = "arguments.txt"
TIMEOUT_SECONDS = 30

# ---------------------------------------------------------------- English checks

EXCERPT = re.compile(r"^ +\d+ \| ")  # "   35 | soit mature = …": a line of the rule file
CARET = re.compile(r"^ +\| ")  # "      |               ^~~~"
HEADER = {
    "fr": re.compile(r"^(.*?): (erreur|avertissement)\[(\w+)\]: "),
    "en": re.compile(r"^(.*?): (error|warning)\[(\w+)\]: "),
}
NOTE = {"fr": re.compile(r"^(.*?): note : "), "en": re.compile(r"^(.*?): note: ")}
HINT = {"fr": "      = aide : ", "en": "      = help: "}
TOTALS = {
    "fr": re.compile(r"^(\d+) erreur\(s\), (\d+) avertissement\(s\)$"),
    "en": re.compile(r"^(\d+) error\(s\), (\d+) warning\(s\)$"),
}
# Code quoted in an English message: 'a_remonter', 'is set', "Avant-projet" (a quote
# not inside a word, so that an apostrophe does not open one).
QUOTED = re.compile(r"(?<![\w])'[^'\n]*'(?![\w])|\"[^\"\n]*\"")
WORD = re.compile(r"[^\W\d_][\w'-]*")
ACCENTED = re.compile(r"[àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ]")
# Words of the French messages that no English message should contain.
FRENCH_WORDS = {
    "erreur", "avertissement", "aide", "vouliez", "vous", "dire", "attendu", "inattendu",
    "ici", "inconnu", "inconnue", "nom", "est", "et", "ou", "pas", "dans", "une", "un", "des",
    "les", "le", "la", "de", "du", "pour", "avec", "sans", "ajoutez", "écrivez", "supprimez",
    "déclaré", "déclarée", "valeur", "ligne", "colonne", "fichier", "règle", "règles",
    "définition", "décision", "ensemble", "texte", "entier", "booléen", "décimal", "sinon",
    "alors", "soit", "ni", "n'est", "d'abord", "renseigné", "vide", "guillemets", "doit",
}
COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)


def source_words(case):
    """Words of the case's rule files outside comments: names and labels that messages
    rightly repeat (a table Levier, a row « Vélo », rule names), whatever the language."""
    words = set()
    for f in case.glob("*.tamis"):
        text = COMMENT.sub(" ", f.read_bytes().decode("utf-8", errors="replace"))
        words.update(w.lower() for w in WORD.findall(text))
    return words


def is_source_line(line):
    return bool(EXCERPT.match(line) or CARET.match(line))


def french_leaks(output, allowed):
    """French left in an English output: « », accented words or French message words
    outside source excerpts, quoted code, file paths and the case's own names."""
    leaks = []
    for number, line in enumerate(output.splitlines(), 1):
        if is_source_line(line) or line.startswith("exit: "):
            continue
        m = HEADER["en"].match(line) or NOTE["en"].match(line)
        prose = line[m.end():] if m else line  # the location is a file path
        prose = QUOTED.sub(" ", prose)
        bad = [c for c in "«»" if c in prose]
        for w in WORD.findall(prose):
            lw = w.lower()
            if lw in allowed:
                continue
            if ACCENTED.search(w) or lw in FRENCH_WORDS or lw.split("'")[0] in ("l", "d", "n", "qu"):
                bad.append(w)
        if bad:
            leaks.append(f"line {number}: {', '.join(sorted(set(bad)))}: {line}")
    return leaks


def shape_differences(french, english):
    """Where the English output does not have the French one's shape: every line must
    be the same kind (message, hint, note, excerpt, caret, totals) with the same file,
    position, code, excerpt and caret; only the words may differ."""
    fr, en = french.splitlines(), english.splitlines()
    if len(fr) != len(en):
        return [f"{len(fr)} lines in French, {len(en)} in English"]
    problems = []
    for number, (a, b) in enumerate(zip(fr, en), 1):
        def kind(line, lang):
            if is_source_line(line) or line.startswith("exit: "):
                return ("same", line)
            for name, pattern in (("message", HEADER[lang]), ("note", NOTE[lang]),
                                  ("totals", TOTALS[lang])):
                m = pattern.match(line)
                if m:
                    groups = m.groups()
                    if name == "message":  # location and code; the severity is translated
                        groups = (groups[0], {"erreur": "error", "avertissement": "warning"}
                                  .get(groups[1], groups[1]), groups[2])
                    return (name, groups)
            if line.startswith(HINT[lang]):
                return ("hint", None)
            return ("other", None)
        ka, kb = kind(a, "fr"), kind(b, "en")
        if ka != kb or ka[0] == "other":
            problems.append(f"line {number}: French {a!r} / English {b!r}")
    return problems


def list_cases(filters):
    cases = sorted(p for p in CASES.iterdir() if p.is_dir())
    if filters:
        cases = [c for c in cases if any(f in c.name for f in filters)]
    return cases


def run_case(tamis, case, lang="fr"):
    """Returns the actual text to compare with the expected text of `lang`."""
    argument = "."
    arguments_file = case / ARGUMENTS
    if arguments_file.exists():
        argument = arguments_file.read_text(encoding="utf-8").strip()
    env = dict(os.environ)
    env["LC_ALL"] = "C.UTF-8"  # messages must not depend on the reviewer's locale
    env.pop("TAMIS_LANG", None)  # the language comes from the command line only
    command = [tamis, "check", argument] if lang == "fr" else [tamis, "--lang", lang, "check", argument]
    try:
        proc = subprocess.run(
            command,
            cwd=case,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        return f"(tamis did not finish within {TIMEOUT_SECONDS} s)\n"
    stderr = proc.stderr.decode("utf-8", errors="backslashreplace")
    if stderr and not stderr.endswith("\n"):
        stderr += "\n"
    code = proc.returncode
    if code < 0:
        return stderr + f"killed by signal {-code}\n"
    return stderr + f"exit: {code}\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tamis", required=True, help="path to the tamis executable")
    parser.add_argument("--update", action="store_true",
                        help="rewrite the expected text of every case that differs")
    parser.add_argument("--lang", choices=["fr", "en", "all"], default="all",
                        help="run the French cases, the English ones, or both (default)")
    parser.add_argument("filters", nargs="*", help="run only cases whose name contains one of these")
    args = parser.parse_args()

    tamis = str(Path(args.tamis).resolve())
    if not os.access(tamis, os.X_OK):
        print(f"run_golden: {args.tamis} is not an executable", file=sys.stderr)
        return 2
    cases = list_cases(args.filters)
    if not cases:
        print("run_golden: no case matches", file=sys.stderr)
        return 2
    langs = ["fr", "en"] if args.lang == "all" else [args.lang]

    passed, failed, updated = 0, [], []
    for case in cases:
        outputs = {}
        for lang in langs:
            name = EXPECTED[lang]
            actual = outputs[lang] = run_case(tamis, case, lang)
            expected_file = case / name
            expected = expected_file.read_text(encoding="utf-8") if expected_file.exists() else None
            problems = []
            if lang == "en":
                problems = [f"French left: {p}" for p in french_leaks(actual, source_words(case))]
                french_file = case / EXPECTED["fr"]
                french = outputs.get("fr")
                if french is None and french_file.exists():
                    french = french_file.read_text(encoding="utf-8")
                if french is not None:
                    problems += [f"not the French shape: {p}"
                                 for p in shape_differences(french, actual)]
            if expected == actual and not problems:
                passed += 1
                continue
            if args.update and expected != actual:
                expected_file.write_text(actual, encoding="utf-8")
                updated.append(f"{case.name}/{name}")
                if not problems:
                    continue
            failed.append(f"{case.name}/{name}")
            print(f"FAIL {case.name}/{name}")
            for p in problems:
                print(f"  {p}")
            if expected is None and not args.update:
                print(f"  no {name}; run with --update to create it, then review it")
            if expected != actual and not args.update:
                diff = difflib.unified_diff(
                    (expected or "").splitlines(keepends=True),
                    actual.splitlines(keepends=True),
                    fromfile=f"{case.name}/{name}",
                    tofile=f"{case.name} (actual, {lang})",
                )
                sys.stdout.writelines(diff)
            print()

    # The French check must catch French: run on the French outputs, it flags every
    # case that prints a message. (Otherwise a broken pattern would pass everything.)
    if "en" in langs and not args.update:
        for case in cases:
            french_file = case / EXPECTED["fr"]
            if not french_file.exists():
                continue
            french = french_file.read_text(encoding="utf-8")
            if french.strip().startswith("exit: "):
                continue  # nothing printed
            if not french_leaks(french, source_words(case)):
                failed.append(f"{case.name} (self-test)")
                print(f"FAIL {case.name}: the French-leak check finds no French in expected.txt")

    for name in updated:
        print(f"updated {name}")
    summary = f"{passed} passed, {len(failed)} failed"
    if updated:
        summary += f", {len(updated)} updated"
    print(summary)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
