#!/usr/bin/env python3
"""Writes the trap-focused campaign tests/reference/pieges-2024.csv and its
hand-written expectations.

    python3 tests/reference/make_pieges.py        # rewrites the three files below

Outputs (deterministic, committed):
  pieges-2024.csv                  ~70 synthetic dossiers, each one exercising one trap or
                                   one rule boundary; columns in a shuffled order plus
                                   two extra columns (one whose label merely starts like
                                   the lever column); valid per the data contract.
  pieges-2024.expected-2024.csv    expected result under the COP 2024 rules
  pieges-2024.expected-2025.csv    expected result under the 2025 round rules

The expectations (category, recognised levers, unrecognised labels) are written
BY HAND below, not computed by oracle.py, so the oracle is itself checked:
    python3 tests/reference/oracle.py tests/reference/pieges-2024.csv > /tmp/p.csv
    python3 tests/reference/compare.py tests/reference/pieges-2024.expected-2024.csv /tmp/p.csv
Only the axes column and the catalogue ordering of the lever list are derived
(by plain lookup) from leviers*.csv.
"""

import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

HEADERS = (
    "ID", "État du dossier", "Déposé le", "Intitulé du projet", "Collectivité porteuse",
    "Type de porteur", "EPCI", "EPCI (Code)", "Département", "Département (Code)", "Thématique",
    "Levier(s) de la planification écologique", "Nature du projet", "Impact significatif attendu",
    "Projet réplicable sur d'autres territoires", "Maturité du projet", "Maître d'ouvrage identifié",
    "Partenaires mobilisés", "Prochaines étapes", "Date prévisionnelle de démarrage",
    "Coût total du projet (€ HT)", "Financements sollicités", "Besoin d'ingénierie",
    "Inscrit au PCAET", "GES évités (tCO2e/an)",
)
EXTRA = ("Motivation de la décision", "Levier(s) de la planification écologique (précisions)")
AXES = ("climat", "biodiversite", "ressources", "adaptation", "sante")

COMMA = ("Prévention des inondations par débordement de cours d'eau, "
         "notamment via restauration des milieux aquatiques")
COMMA_ALIAS = "Prévention des inondations par débordement de cours d'eau"
COMMA_P1 = COMMA_ALIAS
COMMA_P2 = "notamment via restauration des milieux aquatiques"

TERT = "Sobriété des bâtiments (tertiaire)"
ELEC = "Electricité renouvelable"
VELO = "Vélo"
TC = "Transports en commun"
EAU = "Sobriété dans l'utilisation de la ressource en eau"
EGALIM = "Respect d'Egalim pour la restauration collective"
PHYTO = "Réduction de l'usage des produits phytosanitaires"
FONCIER = "Sobriété foncière"
RDC = "Réseaux de chaleur décarbonés"
DESIMPER = "Désimperméabilisation des sols"
ILOT = "Renaturation des villes et réduction de l'effet d'îlot de chaleur urbain"

BASE = {
    "État du dossier": "En instruction",
    "Déposé le": "2024-06-12 09:30:00 +0200",
    "Intitulé du projet": "Rénovation énergétique de la mairie d'Amiens",
    "Collectivité porteuse": "Commune d'Amiens",
    "Type de porteur": "Commune",
    "EPCI": "CA Amiens Métropole",
    "EPCI (Code)": "200012342",
    "Département": "Somme",
    "Département (Code)": "80",
    "Thématique": "Bâtiments",
    "Levier(s) de la planification écologique": TERT,
    "Nature du projet": "Innovation",
    "Impact significatif attendu": "Oui",
    "Projet réplicable sur d'autres territoires": "Oui",
    "Maturité du projet": "Avant-projet",
    "Maître d'ouvrage identifié": "Commune d'Amiens",
    "Partenaires mobilisés": "ADEME",
    "Prochaines étapes": "Consultation des entreprises",
    "Date prévisionnelle de démarrage": "2025-06-01",
    "Coût total du projet (€ HT)": "250000",
    "Financements sollicités": "DSIL, Fonds vert",
    "Besoin d'ingénierie": "Non",
    "Inscrit au PCAET": "on",
    "GES évités (tCO2e/an)": "12.5",
}

R, T, H, N = "a_remonter", "a_travailler", "hors_cop_mais_crte", "non_remonte"
L = "Levier(s) de la planification écologique"
IMP = "Impact significatif attendu"
REP = "Projet réplicable sur d'autres territoires"
MAT = "Maturité du projet"
MO = "Maître d'ouvrage identifié"
ETP = "Prochaines étapes"
DATE = "Date prévisionnelle de démarrage"
FIN = "Financements sollicités"
THEME = "Thématique"
ETAT = "État du dossier"

# (what it tests, overrides, expected 2024 (cat, levers, unknown), expected 2025 or None = same)
# Levers are listed in any order here; the expected file sorts them in catalogue order.
CASES = [
    # --- lever labels -------------------------------------------------------------
    ("nom canonique", {}, (R, [TERT], []), None),
    ("alias du document", {L: "Rénovation (tertiaire)"}, (R, [TERT], []), None),
    ("alias accentué Électricité", {L: "Électricité renouvelable", THEME: "Énergie"}, (R, [ELEC], []), None),
    ("minuscules sans accents", {L: "electricite renouvelable", THEME: "Énergie"}, (R, [ELEC], []), None),
    ("majuscules", {L: "BIOGAZ", THEME: "Énergie"}, (R, ["Biogaz"], []), None),
    ("majuscules accentuées", {L: "SOBRIÉTÉ FONCIÈRE", THEME: "Aménagement et sobriété foncière"},
     (R, [FONCIER], []), None),
    ("Report modal = Vélo + TC", {L: "Report modal", THEME: "Mobilités"}, (R, [VELO, TC], []), None),
    ("Vélo et transport en commun = les deux", {L: "Vélo et transport en commun", THEME: "Mobilités"},
     (R, [VELO, TC], []), None),
    ("Vélo reconnu deux fois", {L: "Vélo, Report modal", THEME: "Mobilités"}, (R, [VELO, TC], []), None),
    ("alias + canonique du même levier",
     {L: "Rénovation (tertiaire), Sobriété des bâtiments (tertiaire), Réseaux de chaleur décarbonés"},
     (R, [TERT, RDC], []), None),
    ("apostrophe ’", {L: "Sobriété dans l’eau", THEME: "Eau"}, (R, [EAU], []), None),
    ("apostrophe ‘", {L: "Respect d‘Egalim pour la restauration collective",
                      THEME: "Agriculture et alimentation"}, (R, [EGALIM], []), None),
    ("apostrophe ʼ", {L: "Réduction de lʼusage des produits phytosanitaires",
                      THEME: "Agriculture et alimentation"}, (R, [PHYTO], []), None),
    ("alias avec &", {L: "Loi Egalim / Climat & Résilience", THEME: "Agriculture et alimentation"},
     (R, [EGALIM], []), None),
    ("espaces autour de la cellule", {L: "  Vélo  ", THEME: "Mobilités"}, (R, [VELO], []), None),
    ("espace insécable final", {L: "Vélo\u00a0", THEME: "Mobilités"}, (R, [VELO], []), None),
    ("espace doublé interne", {L: "Sobriété  foncière", THEME: "Aménagement et sobriété foncière"},
     (R, [FONCIER], []), None),
    ("espace doublé après la virgule", {L: "Covoiturage,  Vélo", THEME: "Mobilités"},
     (R, ["Covoiturage", VELO], []), None),
    ("ordre inverse du catalogue", {L: "Vélo, Sobriété des bâtiments (tertiaire)"}, (R, [TERT, VELO], []), None),
    ("alias Gestion des forêts", {L: "Gestion des forêts", THEME: "Biodiversité et espaces naturels"},
     (R, ["Gestion des forêts et produits bois"], []), None),
    ("inconnu + connu", {L: "Bouclage biomasse, Réseaux de chaleur décarbonés", THEME: "Énergie"},
     (R, [RDC], ["Bouclage biomasse"]), None),
    ("inconnu seul, thème planification", {L: "Bouclage biomasse", THEME: "Énergie"},
     (N, [], ["Bouclage biomasse"]), None),
    ("texte libre seul, Oui/Oui", {L: "Mobilité douce", THEME: "Mobilités"}, (N, [], ["Mobilité douce"]), None),
    ("quasi-homonyme inconnu + connu", {L: "Vélo électrique, Covoiturage", THEME: "Mobilités"},
     (R, ["Covoiturage"], ["Vélo électrique"]), None),
    ("levier 59 (virgule) seul", {L: COMMA, THEME: "Eau"},
     (N, [], [COMMA_P1, COMMA_P2]), (R, [COMMA], [])),
    ("levier 59 + Biogaz", {L: COMMA + ", Biogaz", THEME: "Eau"},
     (R, ["Biogaz"], [COMMA_P1, COMMA_P2]), (R, ["Biogaz", COMMA], [])),
    ("levier 59 en fin de liste", {L: "Désimperméabilisation des sols, " + COMMA, THEME: "Eau"},
     (R, [DESIMPER], [COMMA_P1, COMMA_P2]), (R, [DESIMPER, COMMA], [])),
    ("alias court du levier 59, thème Santé", {L: COMMA_ALIAS, THEME: "Santé"},
     (H, [], [COMMA_ALIAS]), (R, [COMMA], [])),
    ("levier d'adaptation (alias) en 2024", {L: "Îlots de chaleur", THEME: "Aménagement et sobriété foncière"},
     (N, [], ["Îlots de chaleur"]), (R, [ILOT], [])),
    ("cellule leviers vide, thème planification", {L: ""}, (N, [], []), None),
    ("cellule leviers vide, thème autre besoin", {L: "", THEME: "Santé",
                                                 "Intitulé du projet": "Maison de santé pluriprofessionnelle"},
     (H, [], []), None),
    # --- contribution -------------------------------------------------------------
    ("levier connu, Non/Non, thème autre besoin", {IMP: "Non", REP: "Non", THEME: "Numérique"},
     (H, [TERT], []), None),
    ("levier connu, vide/vide, thème planification", {IMP: "", REP: ""}, (N, [TERT], []), None),
    ("Impact vide, Réplicable Oui", {IMP: "", REP: "Oui"}, (R, [TERT], []), None),
    ("Impact Oui, Réplicable vide", {IMP: "Oui", REP: ""}, (R, [TERT], []), None),
    ("Impact Non, Réplicable Oui", {IMP: "Non", REP: "Oui"}, (R, [TERT], []), None),
    ("Impact Oui, Réplicable Non, pas mûr", {IMP: "Oui", REP: "Non", MAT: "Idée"}, (T, [TERT], []), None),
    # --- maturity -------------------------------------------------------------------
    ("Maturité Idée", {MAT: "Idée"}, (T, [TERT], []), None),
    ("Maturité Étude / faisabilité", {MAT: "Étude / faisabilité"}, (T, [TERT], []), None),
    ("Maturité Réalisé", {MAT: "Réalisé"}, (T, [TERT], []), None),
    ("Maturité vide", {MAT: ""}, (T, [TERT], []), None),
    ("Consultation des entreprises", {MAT: "Consultation des entreprises"}, (R, [TERT], []), None),
    ("Travaux en cours", {MAT: "Travaux en cours"}, (R, [TERT], []), None),
    ("MO vide", {MO: ""}, (T, [TERT], []), None),
    ("MO espaces seuls", {MO: "   "}, (T, [TERT], []), None),
    ("MO espaces insécables seuls", {MO: " \u00a0 "}, (T, [TERT], []), None),
    ("MO avec espaces autour", {MO: "  Commune d'Amiens  "}, (R, [TERT], []), None),
    ("Prochaines étapes vide", {ETP: ""}, (T, [TERT], []), None),
    ("Prochaines étapes blanches avec saut de ligne", {ETP: " \n "}, (T, [TERT], []), None),
    ("Prochaines étapes multilignes, guillemets, virgules",
     {ETP: "1. Délibération, conseil du 12/02\n2. Consultation \"lot unique\"\n3. Travaux"}, (R, [TERT], []), None),
    ("Prochaines étapes avec CRLF interne", {ETP: "Plan de financement validé\r\nTravaux, été 2025"},
     (R, [TERT], []), None),
    ("Financements vides", {FIN: ""}, (T, [TERT], []), None),
    ("Financement unique Autofinancement", {FIN: "Autofinancement"}, (R, [TERT], []), None),
    # --- start date -----------------------------------------------------------------
    ("date = 2025-12-31", {DATE: "2025-12-31"}, (R, [TERT], []), None),
    ("date = 2026-01-01", {DATE: "2026-01-01"}, (T, [TERT], []), (R, [TERT], [])),
    ("date 31/12/2025", {DATE: "31/12/2025"}, (R, [TERT], []), None),
    ("date 01/01/2026", {DATE: "01/01/2026"}, (T, [TERT], []), (R, [TERT], [])),
    ("date = 2026-12-31", {DATE: "2026-12-31"}, (T, [TERT], []), (R, [TERT], [])),
    ("date = 2027-01-01", {DATE: "2027-01-01"}, (T, [TERT], []), None),
    ("date vide", {DATE: ""}, (T, [TERT], []), None),
    ("date passée", {DATE: "2024-03-15"}, (R, [TERT], []), None),
    # --- dossier state ----------------------------------------------------------------
    ("En construction, Déposé le vide, sinon parfait", {ETAT: "En construction", "Déposé le": ""},
     (N, [TERT], []), None),
    ("Classé sans suite, sinon parfait", {ETAT: "Classé sans suite"}, (N, [TERT], []), None),
    ("Refusé, sinon parfait (R0 ne couvre pas Refusé)", {ETAT: "Refusé"}, (R, [TERT], []), None),
    ("Accepté", {ETAT: "Accepté"}, (R, [TERT], []), None),
    ("En construction, thème autre besoin, sans levier (R0 avant R3)",
     {ETAT: "En construction", "Déposé le": "", L: "", THEME: "Santé"}, (N, [], []), None),
    # --- themes -------------------------------------------------------------------------
    ("thème autre besoin mais contribue et mûr (R1 avant R3)", {THEME: "Culture et patrimoine"},
     (R, [TERT], []), None),
    ("thème autre besoin, contribue, pas mûr", {THEME: "Équipements sportifs et de loisirs", MAT: "Idée"},
     (T, [TERT], []), None),
    ("Développement économique sans levier", {THEME: "Développement économique", L: ""}, (H, [], []), None),
    ("Services au public, levier inconnu seul", {THEME: "Services au public", L: "Tourisme durable"},
     (H, [], ["Tourisme durable"]), None),
    ("Cohésion sociale, levier connu mais Non/vide", {THEME: "Cohésion sociale", IMP: "Non", REP: ""},
     (H, [TERT], []), None),
    ("Thématique vide, sans levier", {THEME: "", L: ""}, (N, [], []), None),
    # --- other data traps (no effect on the category) ---------------------------------------
    ("intitulé avec virgules et guillemets, coût 0",
     {"Intitulé du projet": 'Rénovation de l\'école "Les Tilleuls", phase 2, lot "isolation"',
      "Coût total du projet (€ HT)": "0"}, (R, [TERT], []), None),
    ("EPCI avec virgule, partenaires multiples",
     {"EPCI": "CA de Béthune-Bruay, Artois-Lys Romane", "Département": "Pas-de-Calais",
      "Département (Code)": "62", "Collectivité porteuse": "Commune de Béthune",
      "Partenaires mobilisés": "ADEME, Région Hauts-de-France, CAUE"}, (R, [TERT], []), None),
    ("champs facultatifs vides, Aisne 02",
     {"Nature du projet": "", "Partenaires mobilisés": "", "Besoin d'ingénierie": "", "EPCI": "",
      "EPCI (Code)": "", "GES évités (tCO2e/an)": "0", "Coût total du projet (€ HT)": "0",
      "Département": "Aisne", "Département (Code)": "02", "Inscrit au PCAET": "off"}, (R, [TERT], []), None),
]


def quote(s):
    if '"' in s or "," in s or "\n" in s or "\r" in s:
        return '"' + s.replace('"', '""') + '"'
    return s


def load_catalogue(year):
    files = ["leviers.csv"] + (["leviers-adaptation.csv"] if year >= 2025 else [])
    order, axes = {}, {}
    for fname in files:
        with open(os.path.join(HERE, fname), encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter=";"):
                order[row["levier"]] = len(order)
                axes[row["levier"]] = {a for a in AXES if row[a] == "X"}
    return order, axes


def expected_rows(year, ids):
    order, axes = load_catalogue(year)
    out = [("ID", "categorie", "leviers", "leviers_inconnus", "axes")]
    for ident, (_, _, e24, e25) in zip(ids, CASES):
        cat, levers, unknown = e25 if (year >= 2025 and e25) else e24
        levers = sorted(set(levers), key=lambda n: order[n])   # KeyError = typo in a case
        ax = set()
        for n in levers:
            ax |= axes[n]
        out.append((str(ident), cat, " | ".join(levers), " | ".join(unknown),
                    " | ".join(a for a in AXES if a in ax)))
    return out


def main():
    rng = random.Random(2024)
    layout = list(HEADERS) + list(EXTRA)
    rng.shuffle(layout)
    ids = [24_000_101 + 7 * k for k in range(len(CASES))]
    lines = [",".join(quote(h) for h in layout) + "\n"]
    for k, (ident, (what, over, _, _)) in enumerate(zip(ids, CASES)):
        rec = dict(BASE)
        rec.update(over)
        rec["ID"] = str(ident)
        rec["Motivation de la décision"] = "Piège : " + what
        # the near-miss column carries a misleading lever on some rows; it must be ignored
        rec[EXTRA[1]] = "Report modal" if (k % 3 == 0 or not rec[L]) else ""
        lines.append(",".join(quote(rec[h]) for h in layout) + "\n")
    with open(os.path.join(HERE, "pieges-2024.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("".join(lines))
    for year in (2024, 2025):
        rows = expected_rows(year, ids)
        with open(os.path.join(HERE, f"pieges-2024.expected-{year}.csv"), "w",
                  encoding="utf-8", newline="") as f:
            f.write("".join(",".join(quote(x) for x in row) + "\n" for row in rows))
    print(f"pieges-2024.csv: {len(CASES)} dossiers, {len(layout)} columns")


if __name__ == "__main__":
    main()
