#!/usr/bin/env python3
"""Generates the malformed-campaign corpus of tests/bad_input/campaigns/.

Deterministic: the same script always writes the same bytes (invalid UTF-8,
BOMs, CRLF, NUL are spelled out below byte by byte). Each case is a CSV file
`NN-name.csv` and an expectation file `NN-name.json` read by run_bad_input.py.

  python3 make_campaigns.py            rewrite campaigns/ from this script
  python3 make_campaigns.py --check    exit 1 if campaigns/ differs from this script

Large inputs (1 MB field, 50,000 columns, > 64 KiB file) are not committed: their
expectation file says {"generated": NAME} and the harness calls generate(NAME).

Expectation keys (all optional except "exit"), see README.md:
  rules            "cop2024" (rules/cop2024) or a folder of tests/bad_input/rules/
  args             extra arguments of `tamis run` ({out} and {rejects} are the
                   output paths the harness gives; it adds --output/--rejects itself)
  exit             expected exit code
  stderr / stdout  substrings that must appear ({name} = the campaign's file name)
  stderr_absent    substrings that must not appear in stderr
  stderr_regex     regular expressions (case-insensitive) that must match stderr
  stderr_printable stderr must be valid UTF-8 without control characters
  invariant        the exact `N ligne(s) lue(s) = C classée(s) + R rejetée(s)` line
  results_contains substrings of the results file
  rejects_exact    the exact content of the --rejects file
  max_seconds      CPU-time limit (user + system) for the run: insensitive to the load
  timeout          wall-clock limit in seconds (default 20): a hang
  xfail            the case documents a known defect: reason (expected to fail)
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "campaigns")

# The columns rules/cop2024 maps, plus three it ignores, in an export-like order.
COLUMNS = [
    "ID", "État du dossier", "Déposé le", "Intitulé du projet", "Département",
    "Thématique", "Levier(s) de la planification écologique", "Impact significatif attendu",
    "Projet réplicable sur d'autres territoires", "Maturité du projet",
    "Maître d'ouvrage identifié", "Prochaines étapes", "Date prévisionnelle de démarrage",
    "Coût total du projet (€ HT)", "Financements sollicités", "GES évités (tCO2e/an)",
]
DEFAULTS = {
    "ID": "1001",
    "État du dossier": "En instruction",
    "Déposé le": "2024-05-15 10:23:45 +0200",
    "Intitulé du projet": "Rénovation de l'école",
    "Département": "Somme",
    "Thématique": "Bâtiments",
    "Levier(s) de la planification écologique": "Rénovation (tertiaire)",
    "Impact significatif attendu": "Oui",
    "Projet réplicable sur d'autres territoires": "Non",
    "Maturité du projet": "Avant-projet",
    "Maître d'ouvrage identifié": "Commune d'Amiens",
    "Prochaines étapes": "Consultation des entreprises",
    "Date prévisionnelle de démarrage": "2025-06-01",
    "Coût total du projet (€ HT)": "250000",
    "Financements sollicités": "DSIL",
    "GES évités (tCO2e/an)": "12.5",
}
ALIASES = {  # short keyword → column
    "id": "ID", "etat": "État du dossier", "titre": "Intitulé du projet",
    "dep": "Département", "theme": "Thématique",
    "leviers": "Levier(s) de la planification écologique",
    "impact": "Impact significatif attendu",
    "replicable": "Projet réplicable sur d'autres territoires",
    "maturite": "Maturité du projet", "mo": "Maître d'ouvrage identifié",
    "etapes": "Prochaines étapes", "date": "Date prévisionnelle de démarrage",
    "cout": "Coût total du projet (€ HT)", "fin": "Financements sollicités",
}


def header(sep=",", columns=COLUMNS):
    return sep.join(columns)


def row(sep=",", columns=COLUMNS, **values):
    """One data row as text: DEFAULTS overridden by keyword (raw cell text, quotes included)."""
    cells = dict(DEFAULTS)
    for key, value in values.items():
        cells[ALIASES[key]] = value
    out = []
    for c in columns:
        v = cells[c]
        # A default containing the separator or a quote is quoted; overrides are raw.
        if c not in {ALIASES[k] for k in values} and (sep in v or '"' in v):
            v = '"' + v.replace('"', '""') + '"'
        out.append(v)
    return sep.join(out)


def lines(*items, eol="\n", final=True):
    text = eol.join(items)
    return text + (eol if final else "")


def utf8(text):
    return text.encode("utf-8")


MONTANTS_HEADER = "ID;État du dossier;Montant (€ HT);Nombre de logements;Date de démarrage"

# ---------------------------------------------------------------------------
# Large inputs, generated at test time.


def generate(name):
    if name == "long_field":
        title = "Projet " + "x" * (1024 * 1024) + " FIN-DU-CHAMP-LONG"
        return utf8(lines(header(), row(), row(id="1002", titre=title), row(id="1003")))
    if name in ("columns_50000", "columns_50000_missing"):
        extra = [f"Colonne {i}" for i in range(50000 - len(COLUMNS))]
        cols = list(COLUMNS)
        if name == "columns_50000_missing":
            cols.remove("Maturité du projet")
            extra.append("Colonne en plus")
        all_cols = cols + extra
        cells = ["v"] * len(extra)
        return utf8(lines(",".join(all_cols),
                          ",".join([row(columns=cols)] + cells),
                          ",".join([row(columns=cols, id="1002")] + cells)))
    if name == "utf8_invalid_after_64k":
        rows = [header()] + [row(id=str(2000 + i)) for i in range(400)]
        good = utf8(lines(*rows))
        assert len(good) > 64 * 1024
        bad = utf8(row(id="9999", titre="Caf")) + b""
        bad = bad.replace(b"Caf", b"Caf\xe9", 1)  # Latin-1 é in a UTF-8 file
        return good + bad + b"\n" + utf8(row(id="10000")) + b"\n"
    raise KeyError(name)


# ---------------------------------------------------------------------------
# The cases. Each: (name, data or None, expectation).

CASES = []


def case(name, data, **expect):
    CASES.append((name, data, expect))


def inv(read, classified, rejected):
    return f"{read} ligne(s) lue(s) = {classified} classée(s) + {rejected} rejetée(s)"


case("01-maturite-inconnue",
     utf8(lines(header(), row(), row(id="1002", maturite="Etudes"), row(id="1003"))),
     exit=0,
     stderr=["{name}:3: ligne rejetée (dossier 1002)", "colonne « Maturité du projet »",
             "valeur « Etudes » : valeur inconnue (attendu :",
             "Étude / faisabilité"],
     invariant=inv(3, 2, 1))

case("02-dates-illisibles",
     utf8(lines(header(), row(id="1", date="31/02/2025"), row(id="2", date="2025-13-01"),
                row(id="3", date="demain"), row(id="4", date="29/02/2024"),
                row(id="5", date="2025-02-29"), row(id="6"))),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 1)", "valeur « 31/02/2025 »",
             "{name}:3: ligne rejetée (dossier 2)", "valeur « 2025-13-01 »",
             "{name}:4: ligne rejetée (dossier 3)", "valeur « demain »",
             "{name}:6: ligne rejetée (dossier 5)", "valeur « 2025-02-29 »",
             "colonne « Date prévisionnelle de démarrage »", "date illisible"],
     stderr_absent=["{name}:5:", "(dossier 4)", "(dossier 6)"],
     invariant=inv(6, 2, 4))

case("03-date-inexistante-message",
     utf8(lines(header(), row(id="1", date="31/02/2025"), row(id="2"))),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 1) : colonne « Date prévisionnelle de "
             "démarrage », valeur « 31/02/2025 » : cette date n'existe pas : février 2025 "
             "n'a que 28 jours"],
     stderr_absent=["illisible"],
     invariant=inv(2, 1, 1))

case("03b-date-inexistante-mois-jour",
     utf8(lines(header(), row(id="1", date="2025-13-01"), row(id="2", date="00/01/2025"),
                row(id="3", date="29/02/2024"), row(id="4", date="2023-02-29"),
                row(id="5", date="31/04/2025"), row(id="6", date="2025-1-1"))),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 1)",
             "valeur « 2025-13-01 » : cette date n'existe pas : il n'y a pas de mois 13",
             "{name}:3: ligne rejetée (dossier 2)",
             "valeur « 00/01/2025 » : cette date n'existe pas : il n'y a pas de jour 00",
             "{name}:5: ligne rejetée (dossier 4)",
             "valeur « 2023-02-29 » : cette date n'existe pas : février 2023 n'a que 28 jours",
             "{name}:6: ligne rejetée (dossier 5)",
             "valeur « 31/04/2025 » : cette date n'existe pas : avril 2025 n'a que 30 jours",
             "{name}:7: ligne rejetée (dossier 6)",
             "valeur « 2025-1-1 » : date illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)"],
     stderr_absent=["(dossier 3)"],
     invariant=inv(6, 1, 5))

case("04-id-non-numerique",
     utf8(lines(header(), row(id="12a"), row(id="1e3"), row(id="0x1F"), row(id="-"),
                row(id="1002"))),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 12a) : colonne « ID », valeur « 12a » : "
             "nombre entier illisible",
             "{name}:3: ligne rejetée (dossier 1e3)", "{name}:4: ligne rejetée (dossier 0x1F)",
             "{name}:5: ligne rejetée (dossier -)"],
     invariant=inv(5, 1, 4))

case("05-id-trop-grand-message",
     utf8(lines(header(), row(id="99999999999999999999"), row(id="1002"))),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 99999999999999999999) : colonne « ID », "
             "valeur « 99999999999999999999 » : nombre trop grand (au plus "
             "9 223 372 036 854 775 807)"],
     stderr_absent=["illisible"],
     invariant=inv(2, 1, 1))

case("05b-id-trop-grand-groupes-et-signe",
     utf8(lines(header(), row(id="-9 223 372 036 854 775 809"), row(id="9223372036854775807"),
                row(id="9 999 999 999 999 999 999x"), row(id="1002"))),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier -9 223 372 036 854 775 809)",
             "valeur « -9 223 372 036 854 775 809 » : nombre trop grand",
             "{name}:4: ligne rejetée (dossier 9 999 999 999 999 999 999x)",
             "valeur « 9 999 999 999 999 999 999x » : nombre entier illisible"],
     stderr_absent=["(dossier 9223372036854775807)"],
     invariant=inv(4, 2, 2))

case("06-point-virgule-decimales-francaises",
     utf8(lines(MONTANTS_HEADER,
                "1;Accepté;1 234,56;12;2025-01-31",
                "2;En instruction;\"12,5\";1 200;31/01/2025",
                "3;Accepté;1\u00a0234,56 €;;",
                "4;Accepté;1\u202f234,56;;",
                "5;Accepté;1.234,56;;",
                "6;Accepté;1,234.56;;",
                "7;Accepté;12 euros;;",
                "8;Accepté;;3,5;",
                eol="\r\n")),
     rules="montants",
     exit=0,
     stdout=["séparateur « ; »"],
     stderr=["{name}:6: ligne rejetée (dossier 5) : colonne « Montant (€ HT) », "
             "valeur « 1.234,56 » : nombre illisible",
             "{name}:7: ligne rejetée (dossier 6)", "valeur « 1,234.56 »",
             "{name}:8: ligne rejetée (dossier 7)", "valeur « 12 euros »",
             "{name}:9: ligne rejetée (dossier 8) : colonne « Nombre de logements », "
             "valeur « 3,5 » : nombre entier illisible"],
     results_contains=["1,1234.56,12,2025-01-31,grand,", "2,12.5,1200,2025-01-31,petit,",
                       "3,1234.56,,,grand,", "4,1234.56,,,grand,"],
     invariant=inv(8, 4, 4))

case("07-nombre-illisible",
     utf8(lines("ID,État du dossier,Montant (€ HT),Nombre de logements,Date de démarrage",
                "1,Accepté,inf,,", "2,Accepté,nan,,", "3,Accepté,1e5,,", "4,Accepté,0x10,,",
                "5,Accepté,12.,,", "6,Accepté,.5,,", "7,Accepté,١٢٣,,",
                "8,Accepté,,12 logements,", "9,Accepté,-0,,", "10,Accepté,+5,1 000,")),
     rules="montants",
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 1)", "valeur « inf » : nombre illisible",
             "valeur « nan »", "valeur « 1e5 »", "valeur « 0x10 »", "valeur « 12. »",
             "valeur « .5 »", "valeur « ١٢٣ »",
             "{name}:9: ligne rejetée (dossier 8) : colonne « Nombre de logements », "
             "valeur « 12 logements » : nombre entier illisible"],
     results_contains=["10,5,1000,,petit,"],
     invariant=inv(10, 2, 8))

case("08-trop-ou-pas-assez-de-champs",
     utf8(lines(header(), row(id="1") + ",en trop", row(id="2").rsplit(",", 1)[0],
                row(id="3"), row(id="4") + ",,,")),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 1) : 17 champ(s) au lieu des 16 de l'en-tête : "
             "un texte contient sans doute le séparateur sans être entre guillemets ; mettez ce "
             "texte entre guillemets",
             "{name}:3: ligne rejetée (dossier 2) : 15 champ(s) au lieu des 16 de l'en-tête : "
             "la ligne est coupée ou des champs manquent ; corrigez-la dans l'export",
             "{name}:5: ligne rejetée (dossier 4) : 19 champ(s) au lieu des 16 de l'en-tête : "
             "la ligne finit par 3 séparateur(s) en trop (souvent ajouté(s) par un tableur) ; "
             "supprimez-le(s) en fin de ligne"],
     invariant=inv(4, 1, 3))

case("09-guillemet-non-ferme-derniere-ligne",
     utf8(lines(header(), row(id="1"), row(id="2", titre='"Projet sans fin'))),
     exit=0,
     stderr=["{name}:3: ligne rejetée (dossier 2) : guillemet non fermé (ouvert ligne 3)"],
     invariant=inv(2, 1, 1))

case("10-guillemet-non-ferme-milieu",
     utf8(lines(header(), row(id="1"), row(id="2", titre='"Projet sans fin'), row(id="3"),
                row(id="4"))),
     exit=0,
     stderr=["{name}:3: ligne rejetée (dossier 2) : guillemet non fermé (ouvert ligne 3)"],
     stderr_absent=["(dossier 3)", "(dossier 4)"],
     invariant=inv(4, 3, 1))

case("11-guillemet-non-ferme-milieu-puis-champ-cite",
     utf8(lines(header(), row(id="1"), row(id="2", titre='"Projet sans fin'),
                row(id="3", mo='"Commune, Amiens"'), row(id="4"))),
     exit=0,
     stderr=["{name}:3: ligne rejetée (dossier 2)", "guillemet non fermé (ouvert ligne 3)"],
     stdout=["4 ligne(s) lue(s)"])

case("12-guillemet-parasite",
     utf8(lines(header(), row(id="1", titre='Projet "vert" de la ville'),
                row(id="2", titre='"Projet" vert'), row(id="3"))),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 1) : colonne « Intitulé du projet », "
             "valeur « Projet \"vert\" de la ville » : guillemet inattendu",
             "{name}:3: ligne rejetée (dossier 2) : colonne « Intitulé du projet », "
             "valeur « Projet » : texte après le guillemet fermant"],
     invariant=inv(3, 1, 2))

case("13-guillemet-parasite-message",
     utf8(lines(header(), row(id="1", titre='Projet "vert" de la ville'), row(id="3"))),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 1)", "« Intitulé du projet »"],
     invariant=inv(2, 1, 1))

case("14-utf8-invalide-une-ligne",
     utf8(lines(header(), row(id="1"))) + utf8(row(id="2", titre="Café"))
     .replace("Café".encode(), b"Caf\xe9") + b"\n" + utf8(lines(row(id="3"))),
     exit=0,
     stderr=["{name}:3: ligne rejetée (dossier 2)", "octets invalides en UTF-8"],
     stdout=["lecture : UTF-8 (détecté)"],
     stderr_absent=["absente", "(dossier 1)", "(dossier 3)"],
     results_contains=["\n1,Rénovation de l'école,", "\n3,Rénovation de l'école,"],
     invariant=inv(3, 2, 1))

case("14b-utf8-quelques-octets-latin-1",
     utf8(lines(header(), row(id="1", titre="Café"), row(id="2"), row(id="3", titre="Crêpe"),
                row(id="4"))).replace("Café".encode(), b"Caf\xe9").replace("Crêpe".encode(),
                                                                           b"Cr\xeape"),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 1)", "{name}:4: ligne rejetée (dossier 3)",
             "octets invalides en UTF-8"],
     stdout=["lecture : UTF-8 (détecté)"],
     stderr_absent=["absente"],
     invariant=inv(4, 2, 2))

case("15-utf8-invalide-apres-64k", None, generated="utf8_invalid_after_64k",
     exit=0,
     stderr=["{name}:402: ligne rejetée (dossier 9999)",
             "colonne « Intitulé du projet » : octets invalides en UTF-8"],
     stdout=["UTF-8 (détecté)"],
     invariant=inv(402, 401, 1))

case("16-windows-1252-complet",
     lines(header(), row(id="1"),
           row(id="2", leviers="Électricité renouvelable", titre="Œuvre – « Cœur » 5 €"),
           eol="\r\n").encode("cp1252"),
     exit=0,
     stdout=["lecture : Windows-1252 (détecté)"],
     results_contains=["\n2,Œuvre – « Cœur » 5 €,", "ctricité renouvelable"],
     stderr_absent=["ligne rejetée"],
     invariant=inv(2, 2, 0))

# « É» » is C9 BB in Windows-1252, a valid UTF-8 sequence (U+027B) by chance: the many
# accented letters that are not UTF-8 still make the file Windows-1252.
case("16b-windows-1252-sequence-utf8-fortuite",
     lines(header(), row(id="1", titre="« CAFÉ»"), row(id="2"), eol="\r\n").encode("cp1252"),
     exit=0,
     stdout=["lecture : Windows-1252 (détecté)"],
     results_contains=["\n1,« CAFÉ»,"],
     stderr_absent=["ligne rejetée"],
     invariant=inv(2, 2, 0))

case("17-excel-point-virgule-cp1252-crlf",
     lines(header(";"), row(";", id="1", cout="1 234,56"),
           row(";", id="2", cout="37 597,82 €", mo="Commune; Amiens"),
           eol="\r\n").encode("cp1252"),
     exit=0,
     stdout=["lecture : Windows-1252 (détecté), séparateur « ; »"],
     stderr=["{name}:3: ligne rejetée (dossier 2) : 17 champ(s) au lieu des 16"],
     invariant=inv(2, 1, 1))

case("18-bom-crlf",
     b"\xef\xbb\xbf" + utf8(lines(header(), row(id="1"), row(id="2"), eol="\r\n")),
     exit=0,
     stdout=["lecture : UTF-8 (détecté), séparateur « , »"],
     stderr_absent=["ligne rejetée", "absente"],
     results_contains=["ID,intitule,", "\n1,Rénovation de l'école,", "\n2,Rénovation de l'école,"],
     invariant=inv(2, 2, 0))

case("19-id-en-double",
     utf8(lines(header(), row(id="42"), row(id="43"), row(id="42"))),
     exit=0,
     stderr=["{name}:4: ligne rejetée (dossier 42) : identifiant « 42 » déjà présent ligne 2 "
             ": un dossier par identifiant"],
     invariant=inv(3, 2, 1))

# The first row with the identifier is rejected for another reason: the second is still a
# second dossier under one identifier (before, it was classified, and correcting the first
# row then rejected it instead). A third row, also wrong, gets both reasons.
case("19b-id-en-double-premier-rejete",
     utf8(lines(header(), row(id="42", maturite="Etudes"), row(id="43"), row(id="42"),
                row(id="042", maturite="Etudes"))),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 42) : colonne « Maturité du projet »",
             "{name}:4: ligne rejetée (dossier 42) : identifiant « 42 » déjà présent ligne 2 "
             ": un dossier par identifiant",
             "{name}:5: ligne rejetée (dossier 042) : colonne « Maturité du projet »",
             "identifiant « 042 » déjà présent ligne 2"],
     invariant=inv(4, 1, 3))

case("20-id-en-double-autre-ecriture",
     utf8(lines(header(), row(id="1234"), row(id="1 234"), row(id=" 1234"), row(id="01234"))),
     exit=0,
     stderr=["{name}:3: ligne rejetée (dossier 1 234) : identifiant « 1 234 » déjà présent "
             "ligne 2 : un dossier par identifiant",
             "{name}:4: ligne rejetée (dossier 1234) : identifiant « 1234 » déjà présent",
             "{name}:5: ligne rejetée (dossier 01234) : identifiant « 01234 » déjà présent"],
     invariant=inv(4, 1, 3))

case("21-colonne-absente",
     utf8(lines(header(columns=[c for c in COLUMNS if c != "Maturité du projet"]),
                row(columns=[c for c in COLUMNS if c != "Maturité du projet"]))),
     exit=2,
     stderr=["{name} : colonne obligatoire « Maturité du projet » absente de l'en-tête "
             "(champ maturite)"],
     stderr_absent=["ligne rejetée"])

case("22-colonne-mal-orthographiee",
     utf8(lines(header().replace("Maturité du projet", "Maturté du projet"), row())),
     exit=2,
     stderr=["{name} : colonne obligatoire « Maturité du projet » absente de l'en-tête "
             "(champ maturite) ; colonne la plus proche : « Maturté du projet »"])

case("23-colonne-sans-accent-ni-casse",
     utf8(lines(header().replace("Maturité du projet", "MATURITE  du projet")
                .replace("État du dossier", "etat du dossier"), row(), row(id="1002"))),
     exit=0,
     stderr_absent=["absente", "ligne rejetée"],
     invariant=inv(2, 2, 0))

case("24-fichier-vide", b"",
     exit=2,
     stderr=["{name} : fichier vide : aucune ligne d'en-tête"])

case("25-en-tete-seul", utf8(lines(header())),
     exit=2,
     stderr=["{name} : aucune ligne de données après l'en-tête"])

case("26-lignes-vides", b"\n\n\r\n\n\r\n",
     exit=2,
     stderr=["{name} : fichier vide : aucune ligne d'en-tête"])

case("27-lignes-d-espaces", b"   \n \t \n",
     exit=2,
     stderr=["{name} : colonne obligatoire « ID » absente de l'en-tête",
             "colonne obligatoire « Date prévisionnelle de démarrage » absente"])

case("28-octets-nuls",
     utf8(lines(header(), row(id="1"), row(id="7\x008"), row(id="3"))),
     exit=0,
     stderr=["{name}:3: ligne rejetée", "colonne « ID » : octet nul (0x00)"],
     stderr_printable=True,
     invariant=inv(3, 2, 1))

case("29-octets-nuls-signales",
     utf8(lines(header(), row(id="1", titre="Projet\x00\x00\x00 nul"), row(id="7\x008"),
                row(id="3"))),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 1)", "{name}:3: ligne rejetée"],
     stderr_printable=True,
     invariant=inv(3, 1, 2))

# Excel « Texte Unicode »: UTF-16 little-endian with a BOM, converted as it is read.
case("30-utf16",
     lines(header(), row(id="1"), row(id="2", titre="Œuvre – « Cœur » 𝄞 5 €"),
           eol="\r\n").encode("utf-16"),
     exit=0,
     stdout=["lecture : UTF-16LE (détecté)"],
     stderr_absent=["ligne rejetée", "absente"],
     stderr_printable=True,
     results_contains=["ID,intitule,", "\n1,Rénovation de l'école,",
                       "\n2,Œuvre – « Cœur » 𝄞 5 €,"],
     invariant=inv(2, 2, 0))

case("30b-utf16-big-endian",
     b"\xfe\xff" + lines(header(), row(id="1"), row(id="2", maturite="Etudes"),
                         eol="\r\n").encode("utf-16-be"),
     exit=0,
     stdout=["lecture : UTF-16BE (détecté)"],
     stderr=["{name}:3: ligne rejetée (dossier 2)", "valeur « Etudes »"],
     results_contains=["\n1,Rénovation de l'école,"],
     invariant=inv(2, 1, 1))

case("30c-utf16-sans-bom",
     lines(header(), row(id="1"), eol="\r\n").encode("utf-16-le"),
     exit=0,
     stdout=["lecture : UTF-16LE (détecté)"],
     stderr_absent=["ligne rejetée", "absente"],
     results_contains=["\n1,Rénovation de l'école,"],
     invariant=inv(1, 1, 0))

case("30d-utf16-coupe",
     lines(header(), row(id="1"), row(id="2", titre="Fin"), final=False,
           eol="\r\n").encode("utf-16") + b"\x00",
     exit=0,
     stdout=["lecture : UTF-16LE (détecté)"],
     stderr=["{name}:3: ligne rejetée (dossier 2)", "octets invalides en UTF-8"],
     stderr_printable=True,
     invariant=inv(2, 1, 1))

case("31-champ-tres-long", None, generated="long_field",
     exit=0,
     results_contains=["\n1002,Projet " + "x" * 1000, "x" * 1000 + " FIN-DU-CHAMP-LONG,"],
     stderr_absent=["ligne rejetée"],
     timeout=60, max_seconds=10,
     invariant=inv(3, 3, 0))

case("32-50000-colonnes", None, generated="columns_50000",
     exit=0,
     stderr_absent=["ligne rejetée"],
     timeout=60, max_seconds=10,
     invariant=inv(2, 2, 0))

case("33-50000-colonnes-une-absente", None, generated="columns_50000_missing",
     exit=2,
     stderr=["{name} : colonne obligatoire « Maturité du projet » absente de l'en-tête"],
     timeout=60, max_seconds=10)

case("34-id-vide",
     utf8(lines(header(), row(id=""), row(id="1002"))),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier ?) : colonne « ID », valeur «  » : "
             "valeur obligatoire manquante"],
     invariant=inv(2, 1, 1))

case("35-etat-vide",
     utf8(lines(header(), row(id="1", etat=""), row(id="2", etat="   "), row(id="3"))),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 1) : colonne « État du dossier », valeur «  » : "
             "valeur obligatoire manquante",
             "{name}:3: ligne rejetée (dossier 2) : colonne « État du dossier », "
             "valeur «     » : valeur obligatoire manquante"],
     invariant=inv(3, 1, 2))

case("36-lf-crlf-melanges",
     utf8(header() + "\r\n" + row(id="1") + "\n" + row(id="2") + "\r\n" + row(id="3") + "\n"
          + row(id="4", date="2025-13-01") + "\r\n" + row(id="5")),
     exit=0,
     stderr=["{name}:5: ligne rejetée (dossier 4)", "valeur « 2025-13-01 »"],
     stderr_absent=["\r"],
     invariant=inv(5, 4, 1))

case("37-retours-ligne-dans-champ-cite",
     utf8(lines(header(), row(id="1", titre='"Ligne 1\nLigne 2, suite\r\nLigne ""3"""'),
                row(id="2", maturite="Etudes"), row(id="3"))),
     exit=0,
     stderr=["{name}:5: ligne rejetée (dossier 2)", "valeur « Etudes »"],
     results_contains=['\n1,"Ligne 1\nLigne 2, suite\r\nLigne ""3""",'],
     invariant=inv(3, 2, 1))

case("38-strict-une-ligne-rejetee",
     utf8(lines(header(), row(id="1"), row(id="2", maturite="Etudes"), row(id="3"))),
     args=["--strict"],
     exit=2,
     stderr=["{name}:3: ligne rejetée (dossier 2)",
             "3 ligne(s) lue(s) = 2 classée(s) + 1 rejetée(s)",
             "--strict : 1 ligne(s) rejetée(s), aucun résultat écrit"])

case("39-strict-sans-rejet",
     utf8(lines(header(), row(id="1"), row(id="2"))),
     args=["--strict"],
     exit=0,
     invariant=inv(2, 2, 0))

case("40-fichier-des-rejets",
     utf8(lines("ID,État du dossier,Montant (€ HT),Nombre de logements,Date de démarrage",
                "1,Accepté,12,,",
                '2,Accepté,"1,234.56",,',
                "3,Inconnu,5,,2025-02-30",
                '4,Accepté,"5 ""euros""",,',
                "5,Accepté,7,,")),
     rules="montants",
     exit=0,
     rejects_exact=(
         "ligne,raisons,ID,État du dossier,Montant (€ HT),Nombre de logements,Date de démarrage\n"
         "3,\"colonne « Montant (€ HT) », valeur « 1,234.56 » : nombre illisible (attendu par "
         "exemple 1234.56 ou 1 234,56)\",2,Accepté,\"1,234.56\",,\n"
         "4,\"colonne « État du dossier », valeur « Inconnu » : valeur inconnue "
         "(attendu : En construction, En instruction, Accepté) ; colonne « Date de démarrage », "
         "valeur « 2025-02-30 » : cette date n'existe pas : février 2025 n'a que 28 jours\","
         "3,Inconnu,5,"
         ",2025-02-30\n"
         "5,\"colonne « Montant (€ HT) », valeur « 5 \"\"euros\"\" » : nombre illisible (attendu "
         "par exemple 1234.56 ou 1 234,56)\",4,Accepté,\"5 \"\"euros\"\"\",,\n"),
     invariant=inv(5, 2, 3))

case("41-sep-invalide",
     utf8(lines(header(), row())),
     args=["--sep", "|"],
     exit=2,
     stderr=["séparateur « | » non pris en charge"])

case("42-encodage-inconnu",
     utf8(lines(header(), row())),
     args=["--encoding", "utf-16"],
     exit=2,
     stderr=["encodage « utf-16 » inconnu"])

case("43-sep-force-point-virgule-sur-virgules",
     utf8(lines(header(), row())),
     args=["--sep", ";"],
     exit=2,
     stderr=["{name} : colonne obligatoire « ID » absente de l'en-tête"],
     stderr_regex=[r"s[ée]parateur"])

case("44-utf8-force-sur-windows-1252",
     lines(header(), row(id="1"), eol="\r\n").encode("cp1252"),
     args=["--encoding", "utf-8"],
     exit=2,
     stderr=["{name} : ligne d'en-tête illisible : octets invalides en UTF-8 dans le champ 2 : "
             "le fichier semble être en Windows-1252 : relancez avec --encoding windows-1252"])

case("44b-windows-1252-force-sur-utf8",
     utf8(lines(header(), row(id="1"))),
     args=["--encoding", "windows-1252"],
     exit=2,
     stderr=["{name} : l'en-tête semble mal décodé (« Ã‰ », « Ã© »…) : le fichier semble être en "
             "UTF-8 : relancez avec --encoding utf-8",
             "colonne obligatoire « État du dossier » absente"])

case("45-en-tete-guillemet-non-ferme",
     utf8(lines('ID,"État du dossier', row(id="1"))),
     exit=2,
     stderr=["{name} : ligne d'en-tête illisible : guillemet non fermé (ouvert ligne 1)"])

case("46-fins-de-ligne-cr-seul",
     utf8(lines(header(), row(id="1"), row(id="2"), eol="\r")),
     exit=2,
     stderr_regex=[r"(fin|retour|saut)s? (de |à la )?(ligne|chariot)|\bCR\b"],
     stderr_printable=True)

case("47-colonne-en-double",
     utf8(lines(header() + ",Maturité du projet", row(id="1") + ",Idée")),
     exit=2,
     stderr_regex=[r"Maturité du projet.*(double|deux fois|plusieurs)"])

case("48-campagne-inexistante", None, special="missing",
     exit=2,
     stderr=["tamis : impossible de lire « ", "{name} » : ce fichier n'existe pas"])

case("49-campagne-est-un-dossier", None, special="directory",
     exit=2,
     stderr=["tamis : « ", "{name} » est un dossier, pas un fichier : indiquez le fichier CSV "
             "de la campagne"],
     stderr_absent=["fichier vide"])

case("50-derniere-ligne-sans-fin-de-ligne",
     utf8(lines(header(), row(id="1"), row(id="2"), final=False)) + b"\n" +
     utf8(row(id="3")) + b"\r",
     exit=0,
     stderr_absent=["ligne rejetée"],
     invariant=inv(3, 3, 0))

case("51-oui-non-et-choix-multiples-illisibles",
     utf8(lines(header(), row(id="1", impact="Peut-être"),
                row(id="2", fin='"DSIL, Subvention magique"'), row(id="3"))),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 1) : colonne « Impact significatif attendu », "
             "valeur « Peut-être » : réponse illisible (attendu Oui ou Non)",
             "{name}:3: ligne rejetée (dossier 2) : colonne « Financements sollicités », "
             "valeur « DSIL, Subvention magique » : « Subvention magique » : valeur inconnue ("],
     invariant=inv(3, 1, 2))

# Choices joined otherwise than by the export's ", " (a spreadsheet, a person): "; ",
# " | ", "," and one a line read as the same choices, for levers (a table) and financing
# (an enumeration). Before, such a lever cell was one unknown label (the dossier
# « Non remonté ») and such a financing cell was rejected. The value named in a refusal
# is the piece only when the cell holds several.
case("51b-choix-multiples-autres-separateurs",
     utf8(lines(header(),
                row(id="1", leviers='"Vélo, Covoiturage"', fin='"DSIL, DETR"'),
                row(id="2", leviers="Vélo; Covoiturage", fin="DSIL;DETR"),
                row(id="3", leviers="Vélo | Covoiturage", fin="DSIL | DETR"),
                row(id="4", leviers='"Vélo,Covoiturage"', fin='"DSIL,DETR"'),
                row(id="5", leviers='"Vélo\nCovoiturage"', fin='"DSIL\r\nDETR"'),
                row(id="6", fin="Subvention magique"),
                row(id="7", leviers='"Vélo, Trottinette"'))),
     exit=0,
     stderr=["{name}:9: ligne rejetée (dossier 6) : colonne « Financements sollicités », "
             "valeur « Subvention magique » : valeur inconnue ("],
     # A label naming no lever is kept apart, the dossier classified: the run counts them.
     stdout=["dont 1 dossier(s) classé(s) citant des libellés inconnus de la table Levier dans "
             "« Levier(s) de la planification écologique »"],
     stderr_absent=["dossier 1)", "dossier 2)", "dossier 3)", "dossier 4)", "dossier 5)"],
     results_contains=[f"\n{i},Rénovation de l'école,80,a_remonter,À remonter COP 2024,"
                       "R1 contribue et mature,Covoiturage | Vélo,," for i in range(1, 6)],
     invariant=inv(7, 6, 1))

# Explanations are JSON, which must be UTF-8: a row rejected for its bytes, in its very
# identifier, still gets its trace line and audit entry (U+FFFD for the stray byte).
case("52-id-utf8-invalide-avec-trace",
     utf8(lines(header(), row(id="1"))) + utf8(row(id="2")).replace(b"2,", b"2\xc3" b"5,", 1)
     + b"\n" + utf8(lines(row(id="3"))),
     args=["--trace", "{out}.jsonl", "--db", "{out}.sqlite"],
     exit=0,
     stderr=["{name}:3: ligne rejetée", "colonne « ID » : octets invalides en UTF-8"],
     stderr_absent=["json", "erreur interne"],
     invariant=inv(3, 2, 1))

# A file name is bytes: one in Latin-1 is shown in explanations with U+FFFD.
case("53-nom-de-fichier-latin-1",
     utf8(lines(header(), row(id="1"), row(id="2"))),
     special="latin1_name",
     args=["--trace", "{out}.jsonl", "--db", "{out}.sqlite"],
     exit=0,
     stderr_absent=["json", "erreur interne", "ligne rejetée"],
     invariant=inv(2, 2, 0))

# A quote left open that a later row's stray quote "closes": RFC 4180 would read rows
# 2 to 5 as one record (and classify it). Rows 3 and 4 read as dossiers of their own.
case("54-guillemet-probablement-non-ferme",
     utf8(lines(header(), row(id="900001"), row(id="900002", titre='"Création d\'un giratoire'),
                row(id="900003"), row(id="900004"), row(id="900005", titre='Écran 55"'),
                row(id="900006"))),
     exit=0,
     stderr=["{name}:3: ligne rejetée (dossier 900002) : guillemet probablement non fermé "
             "(ouvert ligne 3, champ « Intitulé du projet »)",
             "{name}:6: ligne rejetée (dossier 900005) : colonne « Intitulé du projet », "
             "valeur « Écran 55\" » : guillemet inattendu"],
     stderr_absent=["(dossier 900003)", "(dossier 900004)", "(dossier 900006)"],
     invariant=inv(6, 4, 2))

case("55-texte-sur-plusieurs-lignes",
     utf8(lines(header(), row(id="1"),
                row(id="2", etapes='"Prochaines étapes :\n- 3 réunions, en mairie\n- travaux"'),
                row(id="3"))),
     exit=0,
     stderr_absent=["ligne rejetée"],
     invariant=inv(3, 3, 0))

# A UTF-8 export with one paragraph pasted from a Windows-1252 document: many more
# invalid bytes than valid sequences, but the header says UTF-8. Only that row is rejected.
case("56-utf8-paragraphe-windows-1252",
     utf8(lines(header(), row(id="1"))) + utf8(row(id="2", etapes="PARAGRAPHE")).replace(
         b"PARAGRAPHE", ("Réunion préparée, étude énergétique achevée. " * 60).encode("cp1252"))
     + b"\n" + utf8(lines(row(id="3"))),
     exit=0,
     stdout=["lecture : UTF-8 (détecté)"],
     stderr=["{name}:3: ligne rejetée (dossier 2) : colonne « Prochaines étapes » : "
             "octets invalides en UTF-8"],
     stderr_absent=["absente"],
     invariant=inv(3, 2, 1))

# Long cells are quoted by their beginning only.
case("57-guillemet-inattendu-valeur-longue",
     utf8(lines(header(), row(id="1", titre='Le projet "' + "très " * 30 + 'long'),
                row(id="2"))),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 1) : colonne « Intitulé du projet », "
             "valeur « Le projet \"très très très très très très… » : guillemet inattendu"],
     invariant=inv(2, 1, 1))

case("58-separateur-en-fin-de-ligne",
     utf8(lines(header() + ",", row(id="1") + ",", row(id="2") + ",")),
     exit=0,
     invariant=inv(2, 2, 0))

case("58b-separateur-en-fin-de-ligne-sauf-en-tete",
     utf8(lines(header(), row(id="1") + ",", row(id="2"))),
     exit=0,
     stderr=["{name}:2: ligne rejetée (dossier 1) : 17 champ(s) au lieu des 16 de l'en-tête : "
             "la ligne finit par 1 séparateur(s) en trop"],
     invariant=inv(2, 1, 1))

# A missing column is not said to be close to another field's column.
case("59-colonne-absente-proche-d-une-autre",
     utf8(lines(header(columns=[c for c in COLUMNS if c != "Maturité du projet"]),
                row(columns=[c for c in COLUMNS if c != "Maturité du projet"]))),
     exit=2,
     stderr=["{name} : colonne obligatoire « Maturité du projet » absente de l'en-tête "
             "(champ maturite)"],
     stderr_absent=["colonne la plus proche"])

case("59b-colonne-absente-mal-orthographiee",
     utf8(lines(header(columns=[c if c != "Maturité du projet" else "Maturite du projt"
                                for c in COLUMNS]), row())),
     exit=2,
     stderr=["colonne la plus proche : « Maturite du projt »"])

# A rejected row's NUL and invalid bytes are written as U+FFFD in the results and
# rejects files, which stay valid UTF-8.
case("60-octets-invalides-recopies",
     utf8(lines("ID,État du dossier,Montant (€ HT),Nombre de logements,Date de démarrage",
                "1,Accepté,12,,")) + b"2,Accept\xc3\xa9,12\xe9,,\n3,Accept\xc3\xa9,1\x002,,\n",
     rules="montants",
     exit=0,
     results_contains=["\n2,12\ufffd,", "\n3,1\ufffd2,"],
     rejects_exact=(
         "ligne,raisons,ID,État du dossier,Montant (€ HT),Nombre de logements,Date de démarrage\n"
         "3,colonne « Montant (€ HT) » : octets invalides en UTF-8,2,Accepté,12\ufffd,,\n"
         "4,\"colonne « Montant (€ HT) » : octet nul (0x00) : fichier abîmé, ou enregistré en "
         "UTF-16\",3,Accepté,1\ufffd2,,\n"),
     invariant=inv(3, 1, 2))

# With --lang en, the messages about the file as a whole and each refused value are in
# English too (the column labels and values are quoted as written).
case("61-messages-en-anglais-fichier-vide", b"",
     args=["--lang", "en"],
     exit=2,
     stderr=["{name}: empty file: no header line"],
     stderr_absent=["fichier vide"])

case("61b-messages-en-anglais-en-tete-seul", utf8(lines(header())),
     args=["--lang", "en"],
     exit=2,
     stderr=["{name}: no data row after the header"],
     stderr_absent=["aucune ligne"])

case("61c-messages-en-anglais-en-tete-illisible",
     utf8(lines('ID,"État du dossier', row(id="1"))),
     args=["--lang", "en"],
     exit=2,
     stderr=["{name}: unreadable header line: unclosed quote (opened on line 1)"],
     stderr_absent=["ligne d'en-tête", "guillemet"])

case("61d-messages-en-anglais-valeur-refusee",
     utf8(lines(header(), row(id="1", date="demain"), row(id="2"))),
     args=["--lang", "en"],
     exit=0,
     stderr=["{name}:2: row rejected (dossier 1): column 'Date prévisionnelle de démarrage', "
             "value 'demain': unreadable date"],
     stderr_absent=["colonne «", "valeur «", "ligne rejetée"],
     invariant="2 row(s) read = 1 classified + 1 rejected")


def expectation(name, data, expect):
    e = {"rules": "cop2024"}
    if data is not None:
        e["input"] = name + ".csv"
    e.update(expect)
    return e


def render():
    """{file name: bytes} for the whole committed corpus."""
    files = {}
    for name, data, expect in CASES:
        if data is not None:
            files[name + ".csv"] = data
        files[name + ".json"] = (json.dumps(expectation(name, data, expect), ensure_ascii=False,
                                            indent=2) + "\n").encode("utf-8")
    return files


def main(argv):
    files = render()
    if "--check" in argv:
        stale = [n for n, b in files.items()
                 if not os.path.exists(os.path.join(OUT, n))
                 or open(os.path.join(OUT, n), "rb").read() != b]
        extra = sorted(set(os.listdir(OUT)) - set(files)) if os.path.isdir(OUT) else []
        for n in stale:
            print(f"campaigns/{n} differs from make_campaigns.py")
        for n in extra:
            print(f"campaigns/{n} is not produced by make_campaigns.py")
        if stale or extra:
            print("run: python3 tests/bad_input/make_campaigns.py")
            return 1
        print(f"campaigns/: {len(CASES)} cases up to date")
        return 0
    os.makedirs(OUT, exist_ok=True)
    for n in os.listdir(OUT):
        if n not in files:
            os.remove(os.path.join(OUT, n))
    for n, b in files.items():
        with open(os.path.join(OUT, n), "wb") as f:
            f.write(b)
    print(f"campaigns/: {len(CASES)} cases written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
