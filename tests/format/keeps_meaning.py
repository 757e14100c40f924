#!/usr/bin/env python3
"""`tamis fmt` never changes what the rules mean.

rules/cop2024 and rules/cop2025 are copied, scrambled (keywords swapped for their
unaccented or English spellings, indentation stripped, lines joined where that is
legal, spacing and blank lines changed, with a fixed seed) and checked to still
compile; then `tamis fmt` formats them. The formatted rules must pass `tamis check`
and `tamis test`, classify examples/campagne-2024.csv into a results file
byte-identical to the one of the original rules, and be stable (`fmt --check` exits 0
and a second `fmt` changes nothing).

  keeps_meaning.py --tamis build/tamis --root . [--work DIR]
"""
import argparse
import pathlib
import random
import re
import shutil
import subprocess
import sys
import tempfile

# Keyword spellings to swap in (longest first: multi-word keywords before their words).
SWAPS = [
    ("n'est pas renseigné", "is not set"), ("n'est pas vide", "is not empty"),
    ("est renseigné", "est renseigne"), ("est vide", "is empty"), ("par défaut", "default"),
    ("parce que", "because"), ("ensemble de", "set of"), ("pas dans", "not in"),
    ("règles", "ruleset"), ("règle", "regle"), ("énumération", "enum"), ("schéma", "schema"),
    ("décision", "decision"), ("première", "premiere"), ("synthèse", "synthese"),
    ("étend", "extends"), ("complète", "complete"), ("remplace", "replace"),
    ("soit", "let"), ("si", "if"), ("alors", "then"), ("sinon", "otherwise"),
    ("et", "and"), ("ou", "or"), ("dans", "in"), ("colonnes", "columns"),
    ("colonne", "column"), ("lignes", "rows"), ("sortie", "output"), ("attendu", "expect"),
    ("par", "by"), ("vide", "empty"), ("oui", "yes"), ("vrai", "true"), ("faux", "false"),
    ("texte", "text"), ("entier", "integer"), ("booléen", "boolean"), ("décimal", "decimal"),
    ("nom_regle", "rule_name"), ("libelle", "label"), ("non_reconnus", "unrecognised"),
]
SEGMENT = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:[^"\\\n]|\\.)*"|[^"/]+|/', re.S)


def swap_keywords(code):
    for french, other in SWAPS:
        words = r"\s+".join(re.escape(w) for w in french.split(" "))
        code = re.sub(r"(?<![\w'])" + words + r"(?!\w)", other, code)
    return code


def scramble(text, rng):
    # Keywords only outside strings and comments.
    parts = []
    for m in SEGMENT.finditer(text):
        s = m.group(0)
        parts.append(s if s.startswith(('"', "//", "/*")) else swap_keywords(s))
    text = "".join(parts)
    out = []
    for line in text.split("\n"):
        line = line.strip()
        # Wider spacing between tokens, outside strings and comments.
        pieces = []
        for m in SEGMENT.finditer(line):
            s = m.group(0)
            if not s.startswith(('"', "//", "/*")):
                s = re.sub(r" +", lambda _: rng.choice([" ", "  ", "\t", " \t "]), s)
            pieces.append(s)
        line = "".join(pieces)
        ends_in_comment = "//" in "".join(
            m.group(0) for m in SEGMENT.finditer(line) if m.group(0).startswith("//"))
        if out and not out[-1][1] and rng.random() < 0.5:
            out[-1] = (out[-1][0] + " " + line, ends_in_comment)  # joined to the previous line
        else:
            indent = rng.choice(["", " ", "      ", "\t"])
            blank = "\n" * rng.choice([0, 0, 0, 1, 2])
            out.append((blank + indent + line, ends_in_comment))
    return "\n".join(l for l, _ in out) + "\n"


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tamis", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--work")
    args = parser.parse_args()
    root = pathlib.Path(args.root)
    work = pathlib.Path(args.work) if args.work else pathlib.Path(tempfile.mkdtemp())
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    campaign = root / "examples" / "campagne-2024.csv"
    rng = random.Random(20240)
    failures = []

    def expect(ok, message):
        if not ok:
            failures.append(message)
        return ok

    for name in ("cop2024", "cop2025"):
        original = root / "rules" / name
        messy = work / "rules" / name
        messy.mkdir(parents=True)
        for f in sorted(original.glob("*.tamis")):
            (messy / f.name).write_text(scramble(f.read_text(encoding="utf-8"), rng), encoding="utf-8")
    for name in ("cop2024", "cop2025"):
        original = root / "rules" / name
        messy = work / "rules" / name
        r = run([args.tamis, "check", str(messy)])
        expect(r.returncode == 0, f"{name}: the scrambled rules do not compile:\n{r.stderr}")
        r = run([args.tamis, "fmt", "--check", str(messy)])
        expect(r.returncode == 1, f"{name}: fmt --check on scrambled rules exited {r.returncode}")
        r = run([args.tamis, "fmt", str(messy)])
        expect(r.returncode == 0, f"{name}: fmt exited {r.returncode}\n{r.stderr}")
        r = run([args.tamis, "check", str(messy)])
        expect(r.returncode == 0, f"{name}: the formatted rules do not compile:\n{r.stderr}")
        r = run([args.tamis, "test", str(messy)])
        expect(r.returncode == 0, f"{name}: tamis test fails on the formatted rules:\n{r.stdout}")
        before = work / f"{name}-original.csv"
        after = work / f"{name}-formatted.csv"
        r1 = run([args.tamis, "run", str(original), str(campaign), "--output", str(before)])
        r2 = run([args.tamis, "run", str(messy), str(campaign), "--output", str(after)])
        if expect(r1.returncode == 0 and r2.returncode == 0,
                  f"{name}: tamis run exited {r1.returncode} / {r2.returncode}\n{r2.stderr}"):
            expect(before.read_bytes() == after.read_bytes(),
                   f"{name}: results differ between the original and the formatted rules")
            expect(r1.stdout.replace(str(before), "OUT") == r2.stdout.replace(str(after), "OUT"),
                   f"{name}: the summary printed by tamis run differs")
        snapshot = {f.name: f.read_bytes() for f in messy.glob("*.tamis")}
        r = run([args.tamis, "fmt", "--check", str(messy)])
        expect(r.returncode == 0 and r.stdout == "",
               f"{name}: fmt --check after fmt exited {r.returncode}: {r.stdout}")
        run([args.tamis, "fmt", str(messy)])
        expect(snapshot == {f.name: f.read_bytes() for f in messy.glob("*.tamis")},
               f"{name}: a second fmt changed the files")
        for f in sorted(original.glob("*.tamis")):
            formatted = (messy / f.name).read_text(encoding="utf-8")
            expect(re.search(r"\b(and|or|rule|let|if|then|ruleset)\b", strip_strings(formatted)) is None,
                   f"{name}/{f.name}: an English keyword survived formatting")
    for f in failures:
        print("FAIL", f)
    print(f"{len(failures)} failure(s); scrambled and formatted rules in {work}")
    return 1 if failures else 0


def strip_strings(text):
    return "".join(m.group(0) for m in SEGMENT.finditer(text)
                   if not m.group(0).startswith(('"', "//", "/*")))


if __name__ == "__main__":
    sys.exit(main())
