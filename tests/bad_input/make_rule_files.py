#!/usr/bin/env python3
"""Generates the corpus of byte-level / structural garbage in rule folders
(tests/bad_input/rule_files/). Authoring mistakes are covered elsewhere
(tests/golden/diagnostics); here: empty and binary files, bad encodings, sizes,
nesting, pathological lexing, odd paths.

  python3 make_rule_files.py            rewrite rule_files/ from this script
  python3 make_rule_files.py --check    exit 1 if rule_files/ differs from this script

Each case is a folder `NN-name/` of .tamis files and `NN-name.json`. The harness
copies the folder to its work directory, adds tests/bad_input/rules/montants as
`base.tamis` when "with_base" is true (so that an error can only come from the
garbage, not from a missing schema), then runs `tamis check` on it.
Large inputs are not committed: {"generated": NAME} → generate(NAME, folder).
Paths that cannot be committed (missing folder, unreadable file…) are
{"special": KIND}, built by the harness.

Expectation keys: see make_campaigns.py; in addition
  with_base    copy the valid base rule set beside the case's files
  no_position  the expected diagnostic has no file:line:col (path problems, no schema)
  max_stderr_bytes  stderr must stay below this size
"""
import json
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "rule_files")


def utf8(text):
    return text.encode("utf-8")


def generate(name, folder):
    """Writes the files of a large case into `folder`."""
    os.makedirs(folder, exist_ok=True)

    def put(file, data):
        with open(os.path.join(folder, file), "wb") as f:
            f.write(data)

    if name == "five_mb":
        line = "soit a = vrai // " + "x" * 80 + "\n"
        put("a.tamis", utf8(line * (5 * 1024 * 1024 // len(line) + 1)))
    elif name == "and_chain_20000":
        put("a.tamis", utf8("soit a = " + " et ".join(["vrai"] * 20000) + "\n"))
    elif name == "plus_chain_20000":
        put("a.tamis", utf8("soit a = " + " + ".join(["1"] * 20000) + "\n"))
    elif name == "open_comments_60k":
        put("a.tamis", utf8("/* " * 20000))
    elif name == "string_1m_e_acute":
        put("a.tamis", utf8('soit a = "' + "é" * (1024 * 1024) + '"\n'))
    elif name == "string_2m_e_acute":
        put("a.tamis", utf8('soit a = "' + "é" * (2 * 1024 * 1024) + '"\n'))
    elif name == "line_1mb":
        put("a.tamis", utf8("soit a = " + " ou ".join(["vrai"] * (1024 * 1024 // 8)) + "\n"))
    elif name == "line_1mb_error":
        put("a.tamis", utf8("soit a = " + " ou ".join(["vrai"] * (1024 * 1024 // 8)) + " )\n"))
    elif name == "rules_100000":
        # 10 decisions of 10,000 rules, one per file (one file would pass the 4 MiB limit).
        for d in range(10):
            rules = "".join(f'  règle "R{d}-{i}" si montant = {i} alors grand\n'
                            for i in range(10000))
            put(f"decision{d}.tamis",
                utf8(f"décision taille{d} : Taille {{\n{rules}  sinon petit\n}}\n"))
    elif name == "files_500":
        for i in range(500):
            put(f"f{i:03}.tamis", utf8(f'soit s{i} "définition {i}" = id > {i}\n'))
    elif name == "unknown_names_5000":
        put("a.tamis", utf8("soit a = " + " et ".join(f"inconnu{i}" for i in range(5000)) + "\n"))
    elif name == "long_identifiers_1000":
        put("a.tamis", utf8(" ".join(["i" * 129] * 1000) + "\n"))
    elif name == "token_soup":
        r = random.Random(20241206)
        tokens = ["soit", "règle", "si", "alors", "sinon", "décision", "schéma", "table",
                  "énumération", "{", "}", "(", ")", "=", "et", "ou", "non", '"texte"', "12",
                  "3.5", "2025-01-01", "est renseigné", "dans", "|", ",", ":", "x", "y_1",
                  "ensemble de", "sortie", "synthèse", "lignes", "colonnes", "parce que",
                  "alias", "colonne", "vide", ".", "+", "-", "*", "/", "<=", "≠", "\n", "?",
                  "/*", "*/", "//", '"', "@", "\t", "é"]
        put("a.tamis", utf8(" ".join(r.choice(tokens) for _ in range(12000))))
    else:
        raise KeyError(name)


CASES = []


def case(name, files, **expect):
    CASES.append((name, files, expect))


case("01-fichier-vide", {"a.tamis": b""},
     exit=1, no_position=True,
     stderr=["erreur[E0303]: aucun schéma de dossier n'est déclaré"])

case("02-fichier-vide-a-cote-de-regles", {"a.tamis": b""}, with_base=True,
     exit=0,
     stdout=["2 fichier(s) de règles, aucune erreur"])

case("03-bom-seul", {"a.tamis": b"\xef\xbb\xbf"}, with_base=True,
     exit=0,
     stdout=["2 fichier(s) de règles, aucune erreur"])

# Byte 10 (LF) ends line 1, byte 13 (a lone CR) line 2: the first invalid byte (128, a
# stray continuation byte) is on line 3, column 128 - 14 + 1. The excerpt shows control
# characters as « ? », invalid bytes escaped (a run of stray continuation bytes cut after
# 4), the caret under the first invalid byte.
case("04-binaire", {"a.tamis": bytes(range(256)) * 4}, with_base=True,
     exit=1,
     stderr=["a.tamis:3:115: erreur[E0008]: octets invalides : le fichier n'est pas en UTF-8",
             "    3 | " + "?" * 18 + " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
             "[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~?\\x80\\x81\\x82\\x83…\\xc0\\xc1",
             "\n      | " + " " * 114 + "^\n"],
     stderr_printable=True)

case("05-octets-nuls", {"a.tamis": b"soit a = vrai\n\x00\x00\x00soit b = faux\n"},
     with_base=True,
     exit=1,
     stderr=["a.tamis:2:1: erreur[E0003]: caractère inattendu « ? »"],
     stderr_printable=True)

case("06-utf8-invalide-milieu",
     {"a.tamis": b'soit a = vrai\nsoit b = "caf\xe9"\nsoit c = faux\n'}, with_base=True,
     exit=1,
     stderr=["a.tamis:2:14: erreur[E0008]: octets invalides : le fichier n'est pas en UTF-8",
             "enregistrez le fichier en UTF-8"])

case("07-utf8-invalide-affichage",
     {"a.tamis": b'soit a = vrai\nsoit b = "caf\xe9"\nsoit c = faux\n'}, with_base=True,
     exit=1,
     stderr=["a.tamis:2:14: erreur[E0008]", '    2 | soit b = "caf\\xe9"\n'
             "      |              ^\n"],
     stderr_printable=True)

case("07b-utf8-invalide-affichage-sequences",
     {"a.tamis": b'soit b = "\xc3\xa9t\xc3\xa9 \xe2\x82 \x80\xff\x01\tfin"\n'},
     with_base=True,
     exit=1,
     stderr=["a.tamis:1:15: erreur[E0008]",
             '    1 | soit b = "été \\xe2\\x82 \\x80\\xff? fin"\n'
             "      |               ^\n"],
     stderr_printable=True)

case("08-fichier-de-5-mo", None, generated="five_mb", with_base=True,
     exit=1,
     stderr=["a.tamis:1:1: erreur[E0006]: fichier trop grand (", "au plus 4194304)"])

case("09-identifiant-de-10000-caracteres",
     {"a.tamis": utf8("soit " + "a" * 10000 + " = vrai\n")}, with_base=True,
     exit=1,
     stderr=["a.tamis:1:6: erreur[E0006]: identifiant trop long (10000 octets, au plus 128)"])

case("10-10000-parentheses",
     {"a.tamis": utf8("soit a = " + "(" * 10000 + "vrai" + ")" * 10000 + "\n")},
     with_base=True,
     exit=1,
     stderr=["a.tamis:1:74: erreur[E0004]: imbrication trop profonde (plus de 64 niveaux)"])

case("11-10000-non",
     {"a.tamis": utf8("soit a = " + "non " * 10000 + "vrai\n")}, with_base=True,
     exit=1,
     stderr=["a.tamis:1:266: erreur[E0004]: expression trop imbriquée (plus de 64 opérateurs "
             "préfixes)"])

case("12-chaine-et-de-20000-termes", None, generated="and_chain_20000", with_base=True,
     timeout=60,
     exit=0,
     max_seconds=10,
     stdout=["2 fichier(s) de règles, aucune erreur"])

case("13-chaine-plus-de-20000-termes", None, generated="plus_chain_20000", with_base=True,
     timeout=60,
     exit=1,
     max_seconds=10,
     stderr=["a.tamis:1:10: erreur[E0004]: expression trop imbriquée"])

case("14-5000-accolades",
     {"a.tamis": utf8("soit a = " + "{" * 5000 + "1" + "}" * 5000 + "\n")}, with_base=True,
     exit=1,
     stderr=["a.tamis:1:74: erreur[E0004]: imbrication trop profonde (plus de 64 niveaux)"])

case("15-commentaires-non-fermes-60-ko", None, generated="open_comments_60k", with_base=True,
     exit=[0, 1],
     max_seconds=2)

case("16-commentaire-non-ferme-avale-la-suite",
     {"a.tamis": b"soit a = montant > 10\n/* commentaire sans fin\nsoit b = )\n"},
     with_base=True,
     exit=1,
     stderr=["a.tamis:2:1: erreur["],
     stderr_regex=[r"commentaire.*(non ferm|jamais ferm)"])

case("17-texte-non-ferme-en-fin-de-fichier", {"a.tamis": b'soit a = "abc'}, with_base=True,
     exit=1,
     stderr=["a.tamis:1:10: erreur[E0002]: texte entre guillemets non fermé"])

case("18-texte-de-1-million-de-e-accent", None, generated="string_1m_e_acute",
     with_base=True,
     timeout=60,
     exit=0,
     stdout=["2 fichier(s) de règles, aucune erreur"])

case("19-texte-de-2-millions-de-e-accent", None, generated="string_2m_e_acute",
     with_base=True,
     exit=1,
     stderr=["a.tamis:1:1: erreur[E0006]: fichier trop grand (4194316 octets, au plus "
             "4194304)"])

case("20-fins-de-ligne-cr-seul",
     {"a.tamis": b"soit a = vrai\rsoit b = non a\rsoit c = )\r"}, with_base=True,
     exit=1,
     stderr=["a.tamis:3:10: erreur[E0005]", "    3 | soit c = )\n      |          ^\n"],
     stderr_printable=True)

case("20b-fins-de-ligne-cr-lf-crlf-melangees",
     {"a.tamis": b"soit a = vrai\r\rsoit b = non a\r\nsoit x = 1\n\rsoit c = faux )\r"},
     with_base=True,
     exit=1,
     stderr=["a.tamis:6:15: erreur[E0005]", "    6 | soit c = faux )\n"],
     stderr_printable=True)

case("20c-cr-seul-utf8-invalide",
     {"a.tamis": b"soit a = vrai\rsoit b = \"caf\xe9\"\r"}, with_base=True,
     exit=1,
     stderr=["a.tamis:2:14: erreur[E0008]"],
     stderr_printable=True)

case("20d-cr-seul-nom-inconnu",
     {"a.tamis": b"soit a = vrai\rsoit b = non a\rsoit c = inconnu\r"}, with_base=True,
     exit=1,
     stderr=["a.tamis:3:10: erreur[E0101]: nom inconnu « inconnu »",
             "    3 | soit c = inconnu\n      |          ^~~~~~~\n"],
     stderr_printable=True)

case("21-accolade-seule", {"a.tamis": b"}"}, with_base=True,
     exit=1,
     stderr=["a.tamis:1:1: erreur[E0005]: « } » fermante sans ouvrante correspondante"])

case("22-un-export-csv",
     {"a.tamis": b"".join(open(os.path.join(HERE, "..", "..", "examples", "campagne-2024.csv"),
                               "rb").readlines()[:4])},
     with_base=True,
     exit=1,
     stderr=["a.tamis:1:1: erreur[E0001]: « ID » inattendu ici"])

case("23-en-tete-pdf",
     {"a.tamis": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n"
                 b"endobj\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Root 1 0 R >>\n"
                 b"%%EOF\n"},
     with_base=True,
     exit=1,
     stderr=["a.tamis:2:2: erreur[E0008]"])

case("24-ensembles-imbriques-60",
     {"a.tamis": utf8("soit e = " + "{" * 60 + "1" + "}" * 60 + "\n")}, with_base=True,
     exit=1,
     stderr=["a.tamis:1:70: erreur[E0201]"])

case("25-ensembles-imbriques-1000",
     {"a.tamis": utf8("soit e = " + "{" * 1000 + '"x"' + "}" * 1000 + "\n")},
     with_base=True,
     exit=1,
     stderr=["a.tamis:1:74: erreur[E0004]: imbrication trop profonde"])

case("26-ligne-de-1-mo", None, generated="line_1mb", with_base=True,
     timeout=60,
     exit=0,
     max_seconds=15,
     stdout=["2 fichier(s) de règles, aucune erreur"])

case("27-ligne-de-1-mo-extrait-borne", None, generated="line_1mb_error", with_base=True,
     timeout=60,
     exit=1,
     max_stderr_bytes=64 * 1024,
     stderr=["a.tamis:1:1048583: erreur[E0005]", "    1 | …", "vrai ou vrai ou vrai )\n"],
     stderr_regex=[r"\n {6}\| {121}\^\n"])

case("28-100000-regles", None, generated="rules_100000", with_base=True,
     timeout=60,
     exit=0,
     max_seconds=20,
     stdout=["11 fichier(s) de règles, aucune erreur"])

case("29-500-fichiers", None, generated="files_500", with_base=True,
     exit=0,
     stdout=["501 fichier(s) de règles, aucune erreur, 500 avertissement(s)"])

case("30-dossier-inexistant", None, special="missing",
     exit=2, no_position=True,
     stderr=["erreur[E0010]", "n'est pas un dossier de règles"])

case("31-fichier-au-lieu-d-un-dossier", None, special="file",
     exit=2, no_position=True,
     stderr=["erreur[E0010]", "n'est pas un dossier de règles"])

case("32-dossier-nomme-tamis", None, special="tamis_directory", with_base=True,
     exit=2, no_position=True,
     stderr=["tamis: erreur[E0010]: « ", "/x.tamis » est un dossier, pas un fichier de "
             "règles : son contenu n'est pas lu",
             "= aide : placez les fichiers .tamis directement dans « "])

case("33-fichier-illisible", None, special="unreadable", with_base=True,
     exit=[1, 2], no_position=True,
     stderr=["tamis: erreur[E0010]: impossible de lire « "],
     stderr_regex=[r"impossible de lire.*secret\.tamis"],
     stderr_absent=["base.tamis: erreur"])

case("34-avalanche-de-diagnostics", {"a.tamis": b"}" * 10000}, with_base=True,
     timeout=60,
     exit=1,
     stderr=["a.tamis:1:1: erreur[E0005]"],
     max_stderr_bytes=1024 * 1024)

case("35-soupe-de-mots-cles", None, generated="token_soup", with_base=True,
     timeout=60,
     exit=1,
     max_seconds=10)

case("36-utf16", {"a.tamis": "soit a = vrai\r\n".encode("utf-16")}, with_base=True,
     exit=1,
     stderr=["a.tamis:1:1: erreur[E0008]"])

case("37-windows-1252", {"a.tamis": 'règles "x"\n'.encode("cp1252")}, with_base=True,
     exit=1,
     stderr=["a.tamis:1:2: erreur[E0008]"])


case("38-test-sans-valeur", {"a.tamis": b'test "t" { a }\n'}, with_base=True,
     exit=1,
     stderr=["a.tamis:1:"])


case("39-avalanche-de-noms-inconnus", None, generated="unknown_names_5000", with_base=True,
     timeout=60,
     exit=1,
     stderr=["a.tamis:1:10: erreur[E0101]: nom inconnu « inconnu0 »",
             "a.tamis: note : … et 4 980 autres erreurs E0101 semblables dans ce fichier "
             "(non affichées)\n",
             "5000 erreur(s)"],
     max_stderr_bytes=64 * 1024)

case("40-avalanche-d-identifiants-trop-longs", None, generated="long_identifiers_1000",
     with_base=True,
     timeout=60,
     exit=1,
     stderr=["a.tamis:1:1: erreur[E0006]: identifiant trop long",
             "a.tamis: note : … et 980 autres erreurs E0006 semblables dans ce fichier "
             "(non affichées)\n"],
     max_stderr_bytes=64 * 1024)


# Distinct mistakes in one normal file are all shown: 20 unknown names (the cap) and
# 5 unknown functions, no summary note.
case("41-vingt-noms-inconnus-tous-affiches",
     {"a.tamis": utf8("".join(f"soit d{i} = inconnu{i}\n" for i in range(20))
                      + "".join(f"soit f{i} = fonction{i}(montant)\n" for i in range(5)))},
     with_base=True,
     exit=1,
     stderr=["a.tamis:1:11: erreur[E0101]: nom inconnu « inconnu0 »",
             "a.tamis:20:12: erreur[E0101]: nom inconnu « inconnu19 »",
             "a.tamis:25:11: erreur[E0108]: fonction inconnue « fonction4 »",
             "25 erreur(s)"],
     stderr_absent=["autres erreurs"])


# 30 unknown names on one line in each of two files: each file gets its own summary.
case("42-avalanche-dans-deux-fichiers",
     {"a.tamis": utf8("soit a = " + " et ".join(f"x{i}" for i in range(30)) + "\n"),
      "b.tamis": utf8("soit b = " + " et ".join(f"y{i}" for i in range(30)) + "\n")},
     with_base=True,
     exit=1,
     stderr=["a.tamis: note : … et 10 autres erreurs E0101 semblables dans ce fichier",
             "b.tamis: note : … et 10 autres erreurs E0101 semblables dans ce fichier",
             "60 erreur(s)"])


def expectation(name, files, expect):
    e = {}
    if files is not None:
        e["files"] = sorted(files)
    e.update(expect)
    return e


def render():
    out = {}
    for name, files, expect in CASES:
        for f, data in (files or {}).items():
            out[os.path.join(name, f)] = data
        out[name + ".json"] = (json.dumps(expectation(name, files, expect), ensure_ascii=False,
                                          indent=2) + "\n").encode("utf-8")
    return out


def existing():
    found = set()
    for root, dirs, files in os.walk(OUT):
        for f in files:
            found.add(os.path.relpath(os.path.join(root, f), OUT))
    return found


def main(argv):
    files = render()
    if "--check" in argv:
        bad = [n for n, b in files.items()
               if not os.path.exists(os.path.join(OUT, n))
               or open(os.path.join(OUT, n), "rb").read() != b]
        extra = sorted(existing() - set(files))
        for n in bad:
            print(f"rule_files/{n} differs from make_rule_files.py")
        for n in extra:
            print(f"rule_files/{n} is not produced by make_rule_files.py")
        if bad or extra:
            print("run: python3 tests/bad_input/make_rule_files.py")
            return 1
        print(f"rule_files/: {len(CASES)} cases up to date")
        return 0
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    for n, b in files.items():
        path = os.path.join(OUT, n)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(b)
    print(f"rule_files/: {len(CASES)} cases written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
