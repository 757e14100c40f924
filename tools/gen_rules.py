#!/usr/bin/env python3
"""Générateur de jeux de règles Tamis *synthétiques*, pour mesurer le compilateur.

    python3 tools/gen_rules.py [--rules N] [--seed S] --output DOSSIER

Écrit dans DOSSIER un jeu de règles complet qui se compile sans erreur
(`tamis check DOSSIER`, quelques avertissements au plus), de la forme des règles COP
(rules/cop2024) mais bien plus grand : N règles dans les décisions intermédiaires
(par décisions de 200), plus la décision finale (au plus 42 règles) :

  regles.tamis        la déclaration du jeu de règles
  dossier.tamis       le schéma (une vingtaine de champs : énumérations, booléens,
                      montants, dates, ensembles de leviers et de financements)
                      et ses énumérations (100 départements…)
  leviers.tamis       une table de leviers (secteur, axes, part, objectif), avec alias
  criteres.tamis      les définitions « soit » : critères sur les champs, listes de
                      valeurs, critères composés d'autres critères
  decisions_NNN.tamis les décisions : « première » (la plupart), « unique » (règles
                      disjointes deux à deux), « toutes » (ensemble d'axes) et des
                      décisions qui choisissent une ligne de la table ; une décision
                      finale qui combine les autres
  sorties.tamis       la sortie et les synthèses
  tests.tamis         quelques tests de dossiers que la règle C0 dit non remontés
                      (« tamis test » les passe tous)

Textes, commentaires et noms de règles en français accentué, comme les vraies règles
(le lexer traite les caractères non ASCII plus lentement). Déterministe : mêmes
arguments, mêmes fichiers octet pour octet (random.Random initialisé par la graine).
"""

import argparse
import os
import random
import sys

DEPARTEMENTS = 100
MATURITES = ["idee", "etude", "avant_projet", "consultation", "travaux", "realise"]
MATURITE_LABELS = ["Idée", "Étude / faisabilité", "Avant-projet",
                   "Consultation des entreprises", "Travaux en cours", "Réalisé"]
AXES = [("climat", "Climat"), ("biodiversite", "Biodiversité"), ("ressources", "Ressources"),
        ("adaptation", "Adaptation"), ("sante", "Santé"), ("air", "Qualité de l'air")]
SECTEURS = ["Transports", "Bâtiments", "Énergie", "Agriculture, forêts et sols", "Industrie",
            "Déchets", "Eau et milieux aquatiques", "Aménagement"]
MOTS = ["rénovation", "énergétique", "réseau", "chaleur", "mobilité", "vélo", "école",
        "équipement", "sobriété", "forêt", "haie", "prairie", "éclairage", "public",
        "bâtiment", "collège", "biodiversité", "étang", "zone", "humide", "désartificialisation",
        "friche", "piste", "cyclable", "covoiturage", "méthanisation", "géothermie", "îlot",
        "fraîcheur", "cantine", "circuit", "court", "réemploi", "ressourcerie", "gymnase"]
THEMES = [("mobilites", "Mobilités"), ("batiments", "Bâtiments"), ("energie", "Énergie"),
          ("eau", "Eau"), ("biodiversite", "Biodiversité et espaces naturels"),
          ("agriculture", "Agriculture et alimentation"), ("dechets", "Déchets"),
          ("amenagement", "Aménagement et sobriété foncière"), ("industrie", "Industrie"),
          ("cohesion", "Cohésion sociale"), ("sante", "Santé"), ("culture", "Culture et patrimoine"),
          ("sport", "Équipements sportifs"), ("numerique", "Numérique")]
FINANCEMENTS = [("detr", "DETR"), ("dsil", "DSIL"), ("fonds_vert", "Fonds vert"),
                ("ademe", "ADEME"), ("agence_eau", "Agence de l'eau"), ("region", "Région"),
                ("conseil_departemental", "Département"), ("feder", "FEDER"), ("cee", "CEE"),
                ("autofinancement", "Autofinancement")]
ETATS = [("en_construction", "En construction"), ("en_instruction", "En instruction"),
         ("accepte", "Accepté"), ("refuse", "Refusé"), ("classe_sans_suite", "Classé sans suite")]
NIVEAUX = [("tres_haute", "Très haute"), ("haute", "Haute"), ("moyenne", "Moyenne"),
           ("basse", "Basse"), ("nulle", "Nulle")]
CATEGORIES = [("a_remonter", "À remonter"), ("a_travailler", "À travailler"),
              ("hors_cop", "Hors COP, à examiner dans le cadre du CRTE"),
              ("non_remonte", "Non remonté")]
# Extra enumerated answers of the form: field, type, values.
QUESTIONS = [("porteur", "Porteur", ["commune", "epci", "departement", "region", "association",
                                     "entreprise", "etablissement_public"]),
             ("taille", "Taille", ["rurale", "periurbaine", "urbaine", "metropole"]),
             ("phase", "Phase", ["programmation", "conception", "realisation", "exploitation"]),
             ("zonage", "Zonage", ["qpv", "zrr", "acv", "pvd", "aucun"]),
             ("gouvernance", "Gouvernance", ["seule", "partenariat", "groupement"])]


def phrase(r, n):
    return " ".join(r.choice(MOTS) for _ in range(n))


class Gen:
    def __init__(self, seed, rules, levers):
        self.r = random.Random(seed)
        self.rules = rules
        self.levers = levers
        self.files = {}

    # ------------------------------------------------------------ building blocks
    def dep(self):
        return f"d{self.r.randrange(DEPARTEMENTS):03}"

    def lever(self):
        return f"Levier {self.r.randrange(self.levers) + 1}"

    def enum_set(self, values, k):
        return "{" + ", ".join(sorted(self.r.sample(values, k))) + "}"

    def atom(self, kind):
        """One condition over the schema's fields (types and guards respected)."""
        r = self.r
        if kind == 0:
            return f"departement dans {self.enum_set([f'd{i:03}' for i in range(DEPARTEMENTS)], r.randint(2, 6))}"
        if kind == 1:
            return f"maturite dans {self.enum_set(MATURITES, r.randint(1, 3))}"
        if kind == 2:
            return f'leviers contient "{self.lever()}"'
        if kind == 3:
            return f"nombre(leviers) >= {r.randint(1, 4)}"
        if kind == 4:
            return f"montant est renseigné et montant > {r.randint(1, 400) * 2500}.0"
        if kind == 5:
            return f"population par défaut 0 < {r.randint(1, 200) * 1000}"
        if kind == 6:
            return f"date_demarrage est renseigné et date_demarrage <= 20{r.randint(25, 29)}-{r.randint(1, 12):02}-{r.randint(1, 28):02}"
        if kind == 7:
            field, _, values = r.choice(QUESTIONS)
            return f"{field} = {r.choice(values)}"
        if kind == 8:
            return f"financements contient {r.choice(FINANCEMENTS)[0]}"
        if kind == 9:
            return f"{r.choice(['impact_significatif', 'replicable', 'cofinance'])} = {r.choice(['oui', 'non'])}"
        if kind == 10:
            return f"leviers.axes contient {r.choice(AXES)[0]}"
        return f"thematique dans {self.enum_set([t for t, _ in THEMES], r.randint(1, 4))}"

    def condition(self, lets, max_atoms=3):
        r = self.r
        parts = []
        # Distinct kinds of atoms: two tests of one field in one chain would mostly
        # contradict each other or repeat a guard, which real rules do not do.
        kinds = r.sample(range(12), max_atoms)
        for k in range(r.randint(1, max_atoms)):
            if lets and r.random() < 0.45:
                name = r.choice(lets)
                parts.append(name if r.random() < 0.8 else f"non {name}")
            else:
                parts.append(self.atom(kinds[k]))
        if len(parts) >= 3 and r.random() < 0.3:
            return f"{parts[0]} et ({parts[1]} ou {parts[2]})" + "".join(f" et {p}" for p in parts[3:])
        return " et ".join(parts)

    # ------------------------------------------------------------ files
    def schema(self):
        out = ["// Un dossier tel que l'exporte Démarches simplifiées (jeu généré).", "",
               "schéma Dossier {"]
        fields = [("id", "entier", "ID"), ("etat", "EtatDossier", "État du dossier"),
                  ("intitule", "texte?", "Intitulé du projet"),
                  ("departement", "Departement?", "Département"),
                  ("thematique", "Thematique?", "Thématique"),
                  ("leviers", "ensemble de Levier", "Levier(s) de la planification écologique"),
                  ("financements", "ensemble de Financement", "Financements sollicités"),
                  ("maturite", "Maturite?", "Maturité du projet"),
                  ("impact_significatif", "booléen?", "Impact significatif attendu"),
                  ("replicable", "booléen?", "Projet réplicable sur d'autres territoires"),
                  ("cofinance", "booléen?", "Cofinancement acquis"),
                  ("montant", "montant?", "Montant total du projet (€)"),
                  ("population", "entier?", "Population concernée"),
                  ("date_demarrage", "date?", "Date prévisionnelle de démarrage"),
                  ("maitre_ouvrage", "texte?", "Maître d'ouvrage identifié")]
        for field, typ, _ in QUESTIONS:
            fields.append((field, typ + "?", f"{typ} du projet"))
        width = max(len(f) for f, _, _ in fields)
        twidth = max(len(t) for _, t, _ in fields)
        for f, t, c in fields:
            out.append(f"  {f:{width}} : {t:{twidth}} colonne \"{c}\"")
        out += ["}", ""]

        def enum(name, values, comment=None):
            if comment:
                out.append(f"// {comment}")
            out.append(f"énumération {name} {{")
            w = max(len(v) for v, _ in values)
            for v, label in values:
                out.append(f"  {v:{w}} \"{label}\"")
            out.extend(["}", ""])

        enum("EtatDossier", ETATS)
        deps = []
        for i in range(DEPARTEMENTS):
            deps.append((f"d{i:03}", f"Département n° {i:03} ({phrase(self.r, 1).capitalize()})"))
        enum("Departement", deps, "Les départements (fictifs) du jeu généré.")
        enum("Thematique", THEMES)
        enum("Maturite", list(zip(MATURITES, MATURITE_LABELS)))
        enum("Financement", FINANCEMENTS)
        for _, typ, values in QUESTIONS:
            enum(typ, [(v, v.replace("_", " ").capitalize()) for v in values])
        enum("Niveau", NIVEAUX, "Le niveau de priorité donné par les décisions intermédiaires.")
        enum("Categorie", CATEGORIES, "Les catégories du vivier de projets.")
        self.files["dossier.tamis"] = "\n".join(out)

    def table(self):
        r = self.r
        out = ["// Le catalogue des leviers de la planification écologique (jeu généré).",
               "", "énumération Axe {"]
        out += [f"  {a:12} \"{label}\"" for a, label in AXES]
        out += ["}", "", "table Levier (", "  secteur         : texte,",
                "  axes            : ensemble de Axe,", "  part_reduction  : décimal?,",
                "  objectif_ktco2e : décimal?", ") {"]
        for i in range(1, self.levers + 1):
            alias = ""
            if r.random() < 0.3:
                alias = f' alias "Levier n° {i}", "{phrase(r, 2).capitalize()} {i}"'
            axes = ", ".join(sorted(r.sample([a for a, _ in AXES], r.randint(1, 4))))
            part = str(r.randint(1, 100)) if r.random() < 0.7 else "vide"
            obj = f"{r.randint(1, 999)}.{r.randint(0, 9)}" if r.random() < 0.5 else "vide"
            out.append(f'  "Levier {i}"{alias}')
            out.append(f'      | "{r.choice(SECTEURS)}" | {{{axes}}} | {part} | {obj}')
        out += ["}", ""]
        self.files["leviers.tamis"] = "\n".join(out)

    def lets(self, count):
        r = self.r
        out = ["// Les critères, écrits une fois et employés par les règles des décisions.",
               "// Chaque texte entre guillemets dit en mots ce que vérifie la définition.", ""]
        names = []
        for i in range(count):
            name = f"critere_{i:04}"
            if r.random() < 0.05:
                out.append(f"// {phrase(r, 6).capitalize()} (note de l'instructeur n° {i}).")
            if i % 10 == 9:
                # A list of levers, used with « dans » / « contient ».
                levers = ", ".join(f'"{self.lever()}"' for _ in range(r.randint(2, 5)))
                out.append(f'soit liste_{i:04} "leviers du groupe {i}" : ensemble de Levier = {{{levers}}}')
                out.append(f'soit {name} "{phrase(r, 3)}" = nombre(leviers) >= 1 et '
                           f'"{self.lever()}" dans liste_{i:04}')
            elif names and r.random() < 0.35:
                # Composed of earlier criteria (a DAG, never a cycle).
                a, b = r.sample(names, 2) if len(names) >= 2 else (names[0], names[0])
                op = r.choice(["et", "ou"])
                out.append(f'soit {name} "{phrase(r, 4)}" = {a} {op} {b}')
            else:
                out.append(f'soit {name} "{phrase(r, 4)}" =\n  {self.condition([], 2)}')
            names.append(name)
        out.append("")
        self.files["criteres.tamis"] = "\n".join(out)
        return names

    def decisions(self, lets):
        r = self.r
        per_decision = 200
        count = max(1, self.rules // per_decision)
        sizes = [per_decision] * count
        sizes[-1] += self.rules - per_decision * count  # exactly N rules (final decision aside)
        decisions = []  # (name, type, policy)
        files = {}
        for d, size in enumerate(sizes):
            kind = d % 10
            name = f"decision_{d:03}"
            out = [f"// Décision n° {d} : {phrase(r, 5)}.", ""]
            if kind in (3, 7):
                # unique: rule k matches one (departement, maturite) pair only, so that the
                # rules are pairwise disjoint.
                pairs = [(dep, m) for dep in range(DEPARTEMENTS) for m in MATURITES]
                chosen = r.sample(pairs, size)
                out.append(f"décision {name} : Niveau unique {{")
                for k, (dep, m) in enumerate(chosen):
                    extra = f" et {self.condition(lets, 1)}" if r.random() < 0.5 else ""
                    out.append(f'  règle "U{d}.{k} département {dep:03}, {m.replace("_", " ")}"')
                    out.append(f"    si departement = d{dep:03} et maturite = {m}{extra}")
                    out.append(f"    alors {r.choice(NIVEAUX)[0]}")
                out.append(f"  sinon {NIVEAUX[-1][0]}")
                decisions.append((name, "Niveau", "unique"))
            elif kind == 5:
                out.append(f"décision {name} : Axe toutes {{")
                for k in range(size):
                    out.append(f'  règle "A{d}.{k} {phrase(r, 2)}" si {self.condition(lets)} '
                               f"alors {r.choice(AXES)[0]}")
                decisions.append((name, "Axe", "toutes"))
            elif kind == 8:
                out.append(f"décision {name} : Levier première {{")
                for k in range(size):
                    out.append(f'  règle "L{d}.{k} {phrase(r, 2)}"')
                    out.append(f"    si {self.condition(lets)}")
                    out.append(f'    alors "{self.lever()}"')
                out.append(f'  sinon "{self.lever()}"')
                decisions.append((name, "Levier", "première"))
            else:
                out.append(f"décision {name} : Niveau première {{")
                for k in range(size):
                    out.append(f'  règle "P{d}.{k} {phrase(r, 3)}"')
                    out.append(f"    si {self.condition(lets)}")
                    out.append(f"    alors {r.choice(NIVEAUX)[0]}")
                    if r.random() < 0.3:
                        out.append(f'    parce que "le projet {phrase(r, 6)}"')
                out.append(f'  sinon "P{d} aucun critère" alors {NIVEAUX[-1][0]}')
                decisions.append((name, "Niveau", "première"))
            out += ["}", ""]
            files[f"decisions_{d:03}.tamis"] = "\n".join(out)
        self.files.update(files)
        # The final category combines the intermediate decisions.
        niveaux = [n for n, t, p in decisions if t == "Niveau"]
        out = ["// La catégorie finale combine les décisions intermédiaires.", "",
               "décision categorie : Categorie première {",
               '  règle "C0 non déposé"',
               '    si etat dans {en_construction, classe_sans_suite}',
               "    alors non_remonte"]
        for k, n in enumerate(niveaux[:40]):
            out.append(f'  règle "C{k + 1} priorité de {n}"')
            out.append(f"    si {n} dans {{tres_haute, haute}} et nombre(leviers) >= 1")
            out.append(f"    alors {r.choice(CATEGORIES[:3])[0]}")
        out += ['  sinon "C aucune priorité" alors non_remonte', "}", ""]
        self.files["categorie.tamis"] = "\n".join(out)
        return decisions

    def outputs(self, decisions):
        out = ["// Les colonnes du fichier de résultats et les synthèses.", "", "sortie {",
               '  "ID"        = id', '  "categorie" = categorie',
               '  "regle"     = nom_regle(categorie)', '  "axes"      = leviers.axes']
        for name, _, policy in decisions[:20]:
            out.append(f'  "{name}" = {name}')
        out += ["}", "", 'synthèse "Bilan par département et par catégorie"',
                "  lignes departement", "  colonnes categorie", ""]
        for name, typ, _ in decisions[:10]:
            if typ != "Levier":
                out += [f'synthèse "Répartition de {name}"', f"  lignes {name}",
                        "  si categorie dans {a_remonter, a_travailler}", ""]
        self.files["sorties.tamis"] = "\n".join(out)

    def tests(self):
        # The generator does not evaluate its own rules: its tests expect only what rule
        # C0 of the final decision decides, a dossier not filed or closed without
        # follow-up is « non remonté », so that « tamis test » passes on every set.
        out = ["// Quelques dossiers écrits comme les écrirait l'export, non déposés ou classés",
               "// sans suite : la règle C0 les dit non remontés, quoi que disent les autres.", ""]
        for i in range(20):
            etat = ETATS[0][1] if i % 2 == 0 else "Classé sans suite"
            out += [f'test "dossier type n° {i}" {{', f"  id = {i + 1}",
                    f'  etat = "{etat}"', f'  leviers = "{self.lever()}"',
                    f'  maturite = "{self.r.choice(MATURITE_LABELS)}"',
                    '  attendu categorie = non_remonte par "C0 non déposé"', "}", ""]
        self.files["tests.tamis"] = "\n".join(out)

    def generate(self):
        self.files["regles.tamis"] = (
            "// Jeu de règles généré par tools/gen_rules.py (mesure du compilateur).\n\n"
            f'règles "genere" version "{self.rules}"\n')
        self.schema()
        self.table()
        lets = self.lets(max(10, self.rules // 10))
        decisions = self.decisions(lets)
        self.outputs(decisions)
        self.tests()
        return self.files


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rules", type=int, default=10000, help="nombre de règles (défaut 10000)")
    p.add_argument("--seed", type=int, default=20241206)
    p.add_argument("--levers", type=int, default=80, help="lignes de la table Levier")
    p.add_argument("--output", required=True, help="dossier à écrire (créé au besoin)")
    a = p.parse_args()
    if a.rules < 1:
        sys.exit("gen_rules: --rules doit être au moins 1")
    files = Gen(a.seed, a.rules, a.levers).generate()
    os.makedirs(a.output, exist_ok=True)
    for old in os.listdir(a.output):
        if old.endswith(".tamis") and old not in files:
            os.remove(os.path.join(a.output, old))
    for name, text in sorted(files.items()):
        with open(os.path.join(a.output, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


if __name__ == "__main__":
    main()
