#!/usr/bin/env python3
"""Générateur de campagnes COP *synthétiques* au format export « Démarches simplifiées ».

Toutes les données produites sont fictives (dossiers, intitulés, montants, SIREN) ;
seuls les noms de départements, de communes et d'EPCI sont des noms de lieux réels.

    python3 tools/gen_campaign.py [--rows N] [--seed S] [--output FILE]
                                  [--year 2024|2025] [--column-order contract|shuffled]

Format (contrat de données du README du domaine) : séparateur virgule, guillemets
RFC 4180 (champ entre guillemets s'il contient une virgule, un guillemet, CR ou LF),
UTF-8 sans BOM, fins de ligne LF, ligne d'en-tête.

Déterministe : mêmes arguments -> fichier identique octet pour octet (random.Random
initialisé par la graine, aucune dépendance à l'heure ni à l'ordre de hachage).
`--column-order shuffled` produit exactement les mêmes dossiers, colonnes permutées
et deux colonnes étrangères ajoutées (un générateur aléatoire séparé s'en charge).

Les catégories visées suivent, par département, le tableau « Bilan au 06 décembre
2024 » du document (788 / 326 / 85 / 80 pour 1 279 dossiers) ; les pièges (voir
examples/README.md) sont répartis par un calendrier mélangé, donc chacun est présent
plusieurs fois dans le fichier par défaut quelle que soit la graine.
"""

import argparse
import datetime
import random
import sys

DEFAULT_ROWS = 1279
DEFAULT_SEED = 20241206

HEADERS = (
    "ID",
    "État du dossier",
    "Déposé le",
    "Intitulé du projet",
    "Collectivité porteuse",
    "Type de porteur",
    "EPCI",
    "EPCI (Code)",
    "Département",
    "Département (Code)",
    "Thématique",
    "Levier(s) de la planification écologique",
    "Nature du projet",
    "Impact significatif attendu",
    "Projet réplicable sur d'autres territoires",
    "Maturité du projet",
    "Maître d'ouvrage identifié",
    "Partenaires mobilisés",
    "Prochaines étapes",
    "Date prévisionnelle de démarrage",
    "Coût total du projet (€ HT)",
    "Financements sollicités",
    "Besoin d'ingénierie",
    "Inscrit au PCAET",
    "GES évités (tCO2e/an)",
)
EXTRA_HEADERS = ("Dernière mise à jour le", "Motivation de la décision")

# ---------------------------------------------------------------------------
# Thèmes
# ---------------------------------------------------------------------------
MOB = "Mobilités"
BAT = "Bâtiments"
ENER = "Énergie"
EAU = "Eau"
BIODIV = "Biodiversité et espaces naturels"
AGRI = "Agriculture et alimentation"
DECH = "Déchets et économie circulaire"
AMEN = "Aménagement et sobriété foncière"
INDUS = "Industrie"
COHESION = "Cohésion sociale"
SANTE = "Santé"
CULTURE = "Culture et patrimoine"
SPORT = "Équipements sportifs et de loisirs"
NUM = "Numérique"
DEVECO = "Développement économique"
SERVICES = "Services au public"
OTHER_THEMES = (COHESION, SANTE, CULTURE, SPORT, NUM, DEVECO, SERVICES)
OTHER_THEME_WEIGHTS = (14, 16, 18, 22, 8, 12, 10)

# ---------------------------------------------------------------------------
# Leviers : (nom canonique, alias « naturels », thème, poids 2024, poids 2025, famille)
# Les alias partagés « Report modal » / « Vélo et transport en commun » ne sont
# utilisés que par les pièges (ils désignent les DEUX leviers Vélo et Transports en
# commun).  Poids 2024 ≈ tableau « Activation des leviers » du document.
# ---------------------------------------------------------------------------
COMMA_LEVER = ("Prévention des inondations par débordement de cours d'eau, "
               "notamment via restauration des milieux aquatiques")
COMMA_ALIAS = "Prévention des inondations par débordement de cours d'eau"

LEVERS = (
    ("Gestion des forêts et produits bois", ("Gestion des forêts", "Produits bois", "Forêts sous gestion durable"), BIODIV, 4, 4, "foret"),
    ("Changements de pratiques de fertilisation azotée", ("Fertilisation azotée",), AGRI, 0, 1, "agri"),
    ("Elevage durable", ("Élevage durable",), AGRI, 2, 2, "agri"),
    ("Gestion des haies", (), AGRI, 14, 14, "haies"),
    ("Bâtiments & Machines agricoles", ("Bâtiments et machines agricoles",), AGRI, 0, 1, "agri"),
    ("Gestion des prairies", (), AGRI, 2, 2, "agri"),
    ("Pratiques stockantes", (), AGRI, 3, 3, "agri"),
    ("Sobriété foncière", (), AMEN, 42, 40, "foncier"),
    ("Surface en aire protégée", ("Aires protégées",), BIODIV, 5, 5, "aires"),
    ("Résorption des points noirs prioritaires de continuité écologique", ("Continuités écologiques", "Points noirs prioritaires de continuité écologique"), BIODIV, 52, 48, "continuite"),
    ("Restauration des habitats naturels", (), BIODIV, 44, 42, "habitats"),
    ("Réduction de l'usage des produits phytosanitaires", ("Usage des produits phytosanitaires",), AGRI, 1, 2, "phyto"),
    ("Développement de l'agriculture biologique et de HVE", ("Agriculture biologique et de HVE",), AGRI, 4, 4, "bio"),
    ("Respect d'Egalim pour la restauration collective", ("Loi Egalim / climat et résilience", "Loi Egalim / Climat & Résilience"), AGRI, 42, 38, "egalim"),
    ("Sobriété des bâtiments (résidentiel)", ("Rénovation (résidentiel)", "Sobriété et isolation des bâtiments (résidentiel)"), BAT, 56, 50, "residentiel"),
    ("Changement chaudières fioul + rénovation (résidentiel)", ("Changement de chaudière à fioul (résidentiel)",), BAT, 4, 4, "chaudiere"),
    ("Changement chaudières gaz + rénovation (résidentiel)", ("Changement de chaudière à gaz (résidentiel)",), BAT, 6, 6, "chaudiere"),
    ("Rénovation (hors changement chaudières)", (), BAT, 18, 16, "tertiaire"),
    ("Sobriété des bâtiments (tertiaire)", ("Rénovation (tertiaire)", "Sobriété et isolation des bâtiments (tertiaire)"), BAT, 235, 200, "tertiaire"),
    ("Changement chaudières fioul + rénovation (tertiaire)", ("Changement de chaudière à fioul (tertiaire)",), BAT, 6, 5, "chaudiere"),
    ("Changement chaudières gaz + rénovation (tertiaire)", ("Changement de chaudière à gaz (tertiaire)",), BAT, 12, 10, "chaudiere"),
    ("Gaz fluorés résidentiel", (), BAT, 0, 0, "tertiaire"),
    ("Gaz fluorés tertiaire", (), BAT, 1, 1, "tertiaire"),
    ("Captage de méthane dans les ISDND", (), DECH, 0, 1, "dechets"),
    ("Prévention des déchets", (), DECH, 24, 22, "dechets"),
    ("Valorisation matière des déchets", (), DECH, 16, 15, "dechets"),
    ("Moindre stockage en décharge", ("Mise en décharge",), DECH, 1, 1, "dechets"),
    ("Augmentation du taux de collecte", ("Taux de collecte",), DECH, 8, 8, "dechets"),
    ("Sobriété dans l'utilisation de la ressource en eau", ("Sobriété dans l'eau",), EAU, 66, 60, "eau"),
    ("Protection des zones de captage d'eau", (), EAU, 18, 16, "captage"),
    ("Désimperméabilisation des sols", (), EAU, 53, 50, "desimper"),
    ("Electricité renouvelable", ("Électricité renouvelable",), ENER, 76, 70, "enr"),
    ("Biogaz", (), ENER, 3, 3, "biogaz"),
    ("Réseaux de chaleur décarbonés", (), ENER, 28, 26, "rdc"),
    ("Nucléaire", (), ENER, 0, 0, "enr"),
    ("Top 50 sites industriels", ("Grands sites industriels",), INDUS, 2, 2, "indus"),
    ("Industrie diffuse", (), INDUS, 4, 4, "indus"),
    ("Fret décarboné et multimodalité", (), MOB, 7, 7, "fret"),
    ("Efficacité et sobriété logistique", (), MOB, 5, 5, "fret"),
    ("Réduction des déplacements", ("Réduction du besoin de déplacements",), MOB, 12, 12, "deplacements"),
    ("Covoiturage", (), MOB, 16, 15, "covoit"),
    ("Vélo", (), MOB, 66, 60, "velo"),
    ("Transports en commun", (), MOB, 26, 24, "tc"),
    ("Véhicules électriques", (), MOB, 15, 14, "ve"),
    ("Efficacité énergétique des véhicules privés", ("Efficacité et carburants décarbonés des véhicules privés",), MOB, 0, 1, "ve"),
    ("Bus et cars décarbonés", (), MOB, 9, 9, "bus"),
    ("2 roues (élec&efficacité)", (), MOB, 1, 1, "ve"),
    ("Bio-carburants", (), MOB, 0, 0, "bus"),
    ("Efficacité des aéronefs", (), MOB, 0, 0, "bus"),
    ("SAF", (), MOB, 0, 0, "bus"),
    # --- leviers d'adaptation (tour 2025 uniquement) ---
    ("Confort thermique des transports collectifs et des mobilités actives", (), MOB, 0, 4, "adapt_mob"),
    ("Réduction de la vulnérabilité des infrastructures et services de transport", (), MOB, 0, 3, "adapt_mob"),
    ("Intégration du confort d'été dans la rénovation et la construction des bâtiments", ("Confort d'été",), BAT, 0, 16, "confort"),
    ("Réseaux de froid", (), ENER, 0, 3, "rdc"),
    ("Réduction de la vulnérabilité du système énergétique au changement climatique", (), ENER, 0, 2, "enr"),
    ("Adaptation des filières et des exploitations agricoles", (), AGRI, 0, 6, "agri"),
    ("Performance des services publics de l'eau potable et de l'assainissement", (), EAU, 0, 14, "eau"),
    ("Prévention des éboulements et glissement de terrain", (), AMEN, 0, 2, "risques"),
    (COMMA_LEVER, (COMMA_ALIAS,), EAU, 0, 14, "inondation"),
    ("Prévention des inondations par ruissellement", (), EAU, 0, 14, "inondation"),
    ("Renaturation des villes et réduction de l'effet d'îlot de chaleur urbain", ("Îlots de chaleur", "Renaturation des villes"), AMEN, 0, 20, "ilot"),
    ("Conditionnement du développement urbain et économique à la ressource en eau", (), AMEN, 0, 3, "foncier"),
    ("Renforcement de la résilience des services de santé", (), SANTE, 0, 3, "sante"),
    ("Préparation des services de secours", (), SERVICES, 0, 2, "services"),
    ("Résilience des services de communication", (), NUM, 0, 1, "numerique"),
    ("Protection et mise à l'abri des personnes vulnérables", (), COHESION, 0, 3, "cohesion"),
    ("Evolution de l'offre touristique de montagne", (), DEVECO, 0, 0, "deveco"),
    ("Evolution de l'offre touristique littorale", (), DEVECO, 0, 3, "deveco"),
    ("Continuité des activités économiques", (), DEVECO, 0, 2, "deveco"),
    ("Prévention des dégâts causés par le retrait-gonflement des argiles", ("Retrait-gonflement des argiles",), AMEN, 0, 4, "risques"),
    ("Intégration de l'élévation du niveau des mers dans l'aménagement du littoral", ("Élévation du niveau de la mer",), AMEN, 0, 4, "risques"),
    ("Préservation des sites culturels et patrimoniaux", (), CULTURE, 0, 3, "culture"),
)
N_BASE_LEVERS = 50
VELO = "Vélo"
TC = "Transports en commun"

# Libellés absents du catalogue (jamais reconnus), sans « , » interne.
UNKNOWN_LABELS = (
    "Bouclage biomasse",
    "Mobilité douce",
    "Rénovation énergétique",
    "Énergies renouvelables",
    "Économie circulaire",
    "Tourisme durable",
    "Autre : sobriété numérique",
    "Sensibilisation du grand public",
    "Plan de mobilité rurale",
    "Biodiversité",
)

# ---------------------------------------------------------------------------
# Intitulés : {de} = « de X » avec élision, {c} commune, {c2} autre commune, {r} rivière
# ---------------------------------------------------------------------------
TITLES = {
    "tertiaire": (
        "Rénovation énergétique de la mairie {de}",
        "Isolation thermique du groupe scolaire Jules Ferry {de}",
        "Rénovation globale de la salle polyvalente {de}",
        "Rénovation énergétique du gymnase municipal {de}",
        "Réhabilitation thermique de la médiathèque {de}",
        "Plan pluriannuel de sobriété énergétique des bâtiments communaux",
        "Rénovation de l'hôtel communautaire",
        "Remplacement des menuiseries de l'école maternelle {de}",
        "Isolation des combles de la maison des associations {de}",
        "Rénovation du centre technique municipal {de}",
        "Rénovation énergétique de l'école Louise Michel {de}",
        "Relamping LED et GTB des bâtiments publics {de}",
    ),
    "residentiel": (
        "Opération programmée d'amélioration de l'habitat {de}",
        "Plateforme territoriale de rénovation énergétique de l'habitat",
        "Aide intercommunale à la rénovation des logements privés",
        "Rénovation thermique des logements communaux {de}",
        "Lutte contre la précarité énergétique dans le parc privé",
    ),
    "chaudiere": (
        "Remplacement de la chaudière fioul de l'école par une pompe à chaleur",
        "Remplacement des chaudières gaz des bâtiments communaux {de}",
        "Sortie du fioul dans les bâtiments publics {de}",
    ),
    "enr": (
        "Installation de panneaux photovoltaïques sur les toitures communales {de}",
        "Ombrières photovoltaïques sur le parking de la salle des fêtes {de}",
        "Centrale solaire au sol sur l'ancienne décharge {de}",
        "Parc éolien citoyen {de}",
        "Communauté énergétique locale {de}",
        "Autoconsommation collective sur la zone d'activités {de}",
        "Cadastre solaire intercommunal",
    ),
    "rdc": (
        "Création d'un réseau de chaleur biomasse {de}",
        "Extension du réseau de chaleur urbain {de}",
        "Chaufferie bois pour le groupe scolaire et la mairie {de}",
        "Récupération de chaleur sur les eaux usées de la station d'épuration",
    ),
    "biogaz": (
        "Unité de méthanisation territoriale {de}",
        "Étude d'opportunité d'une méthanisation agricole collective",
        "Injection de biométhane dans le réseau {de}",
    ),
    "velo": (
        "Aménagement d'une voie verte entre {c} et {c2}",
        "Schéma directeur cyclable intercommunal",
        "Stationnements vélos sécurisés en gare {de}",
        "Piste cyclable de liaison vers le collège {de}",
        "Service de location de vélos à assistance électrique",
        "Véloroute de la vallée de {r}",
    ),
    "tc": (
        "Création d'un service de transport à la demande",
        "Pôle d'échanges multimodal de la gare {de}",
        "Renforcement de la desserte en car entre {c} et {c2}",
        "Navette urbaine électrique {de}",
    ),
    "covoit": (
        "Aire de covoiturage à l'échangeur {de}",
        "Ligne de covoiturage spontané entre {c} et {c2}",
        "Plateforme de covoiturage domicile-travail",
    ),
    "deplacements": (
        "Tiers-lieu et espace de coworking {de}",
        "Plan de mobilité employeur de la collectivité",
    ),
    "ve": (
        "Déploiement de bornes de recharge pour véhicules électriques {de}",
        "Électrification de la flotte de véhicules municipaux",
    ),
    "bus": (
        "Acquisition de bus à hydrogène",
        "Conversion de la flotte de cars au bioGNV",
    ),
    "fret": (
        "Plateforme logistique multimodale fer-route {de}",
        "Cyclologistique du dernier kilomètre en centre-ville {de}",
    ),
    "eau": (
        "Récupération des eaux de pluie pour l'arrosage des espaces verts {de}",
        "Réduction des fuites sur le réseau d'eau potable",
        "Sectorisation et télérelève du réseau d'eau potable",
        "Économies d'eau dans les bâtiments publics {de}",
    ),
    "captage": (
        "Protection de l'aire d'alimentation du captage {de}",
        "Programme d'actions sur l'aire de captage prioritaire {de}",
    ),
    "desimper": (
        "Désimperméabilisation et végétalisation de la cour d'école {de}",
        "Désimperméabilisation de la place de la mairie {de}",
        "Gestion intégrée des eaux pluviales du centre-bourg {de}",
    ),
    "continuite": (
        "Effacement d'un ouvrage hydraulique sur {r}",
        "Restauration de la continuité écologique de {r}",
        "Trame verte et bleue intercommunale",
    ),
    "habitats": (
        "Restauration des zones humides {de}",
        "Réhabilitation des larris et pelouses calcicoles",
        "Création d'un espace naturel sensible {de}",
        "Restauration d'une mare pédagogique {de}",
    ),
    "aires": (
        "Création d'une réserve naturelle régionale",
        "Extension de l'espace naturel protégé du marais {de}",
    ),
    "foret": (
        "Plan de gestion durable de la forêt communale {de}",
        "Création d'une filière bois-énergie locale",
    ),
    "haies": (
        "Plantation de haies bocagères {de}",
        "Programme de plantation de dix kilomètres de haies",
    ),
    "agri": (
        "Paiements pour services environnementaux agricoles",
        "Couverts végétaux et agriculture de conservation",
        "Maintien des prairies permanentes",
    ),
    "phyto": ("Zéro phyto dans les cimetières et espaces publics {de}",),
    "bio": (
        "Accompagnement à la conversion en agriculture biologique",
        "Installation de maraîchers bio sur des terres communales {de}",
    ),
    "egalim": (
        "Approvisionnement local et bio de la restauration scolaire {de}",
        "Légumerie intercommunale pour la restauration collective",
        "Projet alimentaire territorial",
        "Cuisine centrale en régie {de}",
    ),
    "foncier": (
        "Requalification d'une friche industrielle en logements {de}",
        "Recyclage foncier de l'ancienne sucrerie {de}",
        "Revitalisation du centre-bourg sans extension urbaine {de}",
        "PLUi sobre en foncier",
    ),
    "dechets": (
        "Ressourcerie intercommunale",
        "Généralisation du tri à la source des biodéchets",
        "Recyclerie et atelier de réparation {de}",
        "Plateforme de compostage des déchets verts",
        "Déploiement de points d'apport volontaire enterrés {de}",
        "Tarification incitative de la collecte des déchets",
    ),
    "indus": (
        "Écologie industrielle territoriale sur la zone portuaire",
        "Récupération de chaleur fatale industrielle",
    ),
    "adapt_mob": ("Ombrage et brumisation des arrêts de bus {de}",),
    "confort": ("Confort d'été dans l'école {de} : brise-soleil et végétalisation",),
    "inondation": (
        "Restauration des zones d'expansion de crue de {r}",
        "Programme d'actions de prévention des inondations de {r}",
        "Hydraulique douce contre le ruissellement {de}",
    ),
    "ilot": (
        "Îlot de fraîcheur dans la cour de l'école {de}",
        "Plan de renaturation du centre-ville {de}",
    ),
    "risques": ("Diagnostic de vulnérabilité du bâti aux argiles {de}",),
    # besoins hors planification (thèmes « autres besoins »)
    "cohesion": ("Création d'un centre social {de}", "Épicerie solidaire {de}", "Maison des familles"),
    "sante": ("Maison de santé pluriprofessionnelle {de}", "Centre de santé municipal {de}"),
    "culture": ("Restauration de l'église Saint-Martin {de}", "Réhabilitation du beffroi {de}",
                "Création d'une micro-folie"),
    "sport": ("Construction d'un terrain multisports {de}", "Création d'un skatepark {de}",
              "Salle de sports de combat"),
    "numerique": ("Déploiement du wifi public {de}", "Espace public numérique {de}"),
    "deveco": ("Extension de la zone d'activités {de}", "Pépinière d'entreprises",
               "Revitalisation du commerce de centre-bourg {de}"),
    "services": ("Création d'un espace France services {de}", "Agrandissement de la mairie {de}",
                 "Aménagement du cimetière {de}"),
    # thèmes de la planification, sans levier
    "planif_sans_levier": ("Réfection de la voirie communale {de}", "Création d'un parking en centre-bourg {de}",
                           "Extension du lotissement communal {de}", "Enfouissement des réseaux {de}",
                           "Création d'un giratoire à l'entrée {de}"),
}
OTHER_THEME_FAMILY = {COHESION: "cohesion", SANTE: "sante", CULTURE: "culture", SPORT: "sport",
                      NUM: "numerique", DEVECO: "deveco", SERVICES: "services"}
PLANIF_SANS_LEVIER_THEMES = (MOB, AMEN, BAT, AMEN, MOB)
TITLE_NICKNAMES = ("Cap 2030", "Territoire durable", "Respire", "Bien vivre ensemble", "Horizon vert")

ETAPES = (
    "Lancement de l'appel d'offres travaux",
    "Dépôt du dossier de demande de subvention DSIL",
    "Finalisation de l'avant-projet définitif",
    "Consultation des entreprises au premier trimestre",
    "Délibération du conseil communautaire",
    "Recrutement d'un maître d'œuvre",
    "Signature de la convention de financement",
    "Démarrage des travaux",
    "Réunion publique de présentation du projet",
    "Dépôt du permis de construire",
    "Notification des marchés",
    "Validation du plan de financement en conseil municipal",
    "Lancement de l'étude de faisabilité",
    "Choix du bureau d'études",
)
ETAPES_MULTI = (
    "1. Délibération du conseil municipal\n2. Consultation des entreprises, lot \"gros œuvre\"\n3. Démarrage des travaux",
    "Étapes :\n- choix du maître d'œuvre, en cours\n- dépôt du permis de construire\n- recherche de financements (\"Fonds vert\", DSIL)",
    "Attente de l'arrêté de subvention, puis \"OS\" de démarrage.\nRéception prévue en fin d'année",
    "Validation du plan de financement\r\nLancement des travaux, été",
    "Rencontre avec l'ADEME, la DDT et la Région ; \"note d'opportunité\" à rédiger\n\nPuis consultation",
)
PARTENAIRES = (
    "ADEME", "Région Hauts-de-France", "DDT", "CAUE", "Agence de l'eau Artois-Picardie",
    "Banque des Territoires", "Conservatoire d'espaces naturels des Hauts-de-France",
    "Chambre d'agriculture", "Fédération de pêche", "Associations locales", "Bailleur social",
    "Syndicat d'énergie", "Office français de la biodiversité", "Cerema",
)
FINANCEMENTS = ("DETR", "DSIL", "Fonds vert", "ADEME", "Agence de l'eau", "Région", "Département",
                "FEDER", "Banque des Territoires", "CEE", "Autofinancement", "Autre")

# ---------------------------------------------------------------------------
# Territoires : (code, nom, « de » + nom, rivières, [(EPCI, [communes])],
#                syndicats mixtes, PNR, PETR, autres porteurs)
# ---------------------------------------------------------------------------
DEPTS = (
    ("02", "Aisne", "de l'Aisne", ("l'Oise", "l'Aisne", "la Serre", "l'Ailette"), (
        ("CA du Saint-Quentinois", ("Saint-Quentin", "Gauchy", "Harly")),
        ("CA du Pays de Laon", ("Laon", "Chambry")),
        ("CA GrandSoissons Agglomération", ("Soissons", "Belleu", "Villeneuve-Saint-Germain")),
        ("CA de la Région de Château-Thierry", ("Château-Thierry", "Brasles")),
        ("CC de la Thiérache du Centre", ("Guise", "Le Nouvion-en-Thiérache")),
        ("CC du Pays de la Serre", ("Marle", "Crécy-sur-Serre")),
        ("CC Retz-en-Valois", ("Villers-Cotterêts",)),
        ("CC du Chemin des Dames", ("Craonne", "Corbeny")),
    ), ("USEDA – Union des secteurs d'énergie du département de l'Aisne", "Syndicat mixte de l'Oise moyenne"),
     (), ("PETR du Pays de Thiérache", "PETR Union des communautés de communes du Sud de l'Aisne"),
     ("Agence d'urbanisme de l'Aisne", "Aisne Habitat")),
    ("59", "Nord", "du Nord", ("la Scarpe", "la Selle", "l'Helpe majeure", "la Lys"), (
        ("Métropole Européenne de Lille", ("Lille", "Roubaix", "Tourcoing", "Villeneuve-d'Ascq", "Armentières")),
        ("CU de Dunkerque", ("Dunkerque", "Grande-Synthe", "Gravelines")),
        ("CA Valenciennes Métropole", ("Valenciennes", "Anzin")),
        ("CA de la Porte du Hainaut", ("Denain", "Saint-Amand-les-Eaux")),
        ("CA Maubeuge Val de Sambre", ("Maubeuge", "Jeumont")),
        ("Douaisis Agglo", ("Douai", "Sin-le-Noble")),
        ("CA de Cambrai", ("Cambrai",)),
        ("CC de Flandre Intérieure", ("Hazebrouck", "Bailleul")),
        ("CC Pévèle Carembault", ("Orchies", "Phalempin")),
        ("CC du Cœur de l'Avesnois", ("Avesnes-sur-Helpe", "Landrecies")),
    ), ("USAN – Union des syndicats d'assainissement du Nord", "Syndicat mixte des transports du Douaisis"),
     ("PNR Scarpe-Escaut", "PNR de l'Avesnois"), ("Pôle métropolitain du Hainaut-Cambrésis",),
     ("Agence de développement et d'urbanisme de la Sambre", "Association Nord Nature Environnement")),
    ("60", "Oise", "de l'Oise", ("l'Oise", "le Thérain", "la Brêche", "l'Automne"), (
        ("CA du Beauvaisis", ("Beauvais", "Allonne")),
        ("CA de la Région de Compiègne et de la Basse Automne", ("Compiègne", "Margny-lès-Compiègne")),
        ("CA Creil Sud Oise", ("Creil", "Nogent-sur-Oise", "Montataire")),
        ("CC des Sablons", ("Méru",)),
        ("CC du Clermontois", ("Clermont", "Breuil-le-Vert")),
        ("CC du Pays Noyonnais", ("Noyon",)),
        ("CC Senlis Sud Oise", ("Senlis",)),
        ("CC de l'Aire Cantilienne", ("Chantilly", "Lamorlaye")),
        ("CC du Pays de Bray", ("Saint-Germer-de-Fly",)),
        ("CC des Lisières de l'Oise", ("Attichy",)),
        ("CC du Plateau Picard", ("Saint-Just-en-Chaussée",)),
    ), ("Syndicat mixte Oise-Aronde", "SE60 – Syndicat d'énergie de l'Oise"),
     ("PNR Oise – Pays de France",), ("PETR du Grand Beauvaisis",),
     ("Agence d'urbanisme Oise-la-Vallée", "Oise Habitat")),
    ("62", "Pas-de-Calais", "du Pas-de-Calais", ("la Canche", "l'Authie", "la Liane", "la Lys"), (
        ("CU d'Arras", ("Arras", "Saint-Laurent-Blangy")),
        ("CA de Lens-Liévin", ("Lens", "Liévin")),
        ("CA de Béthune-Bruay, Artois-Lys Romane", ("Béthune", "Bruay-la-Buissière")),
        ("CA du Boulonnais", ("Boulogne-sur-Mer", "Le Portel")),
        ("CA Grand Calais Terres et Mers", ("Calais", "Marck")),
        ("CA des Deux Baies en Montreuillois", ("Berck", "Montreuil-sur-Mer")),
        ("CA du Pays de Saint-Omer", ("Saint-Omer", "Arques")),
        ("CA d'Hénin-Carvin", ("Hénin-Beaumont", "Carvin")),
        ("CC du Ternois", ("Saint-Pol-sur-Ternoise",)),
        ("CC des 7 Vallées", ("Hesdin",)),
    ), ("Syndicat mixte des transports Artois-Gohelle", "Symsageb – Syndicat mixte pour le SAGE de la Canche"),
     ("PNR des Caps et Marais d'Opale",), ("PETR du Pays du Ternois",),
     ("Agence d'urbanisme de l'Artois", "Pas-de-Calais Habitat")),
    ("80", "Somme", "de la Somme", ("la Somme", "l'Avre", "la Selle", "l'Authie"), (
        ("CA Amiens Métropole", ("Amiens", "Longueau", "Camon", "Salouël")),
        ("CA de la Baie de Somme", ("Abbeville", "Saint-Valery-sur-Somme")),
        ("CC Ponthieu-Marquenterre", ("Rue", "Crécy-en-Ponthieu")),
        ("CC du Vimeu", ("Friville-Escarbotin",)),
        ("CC de l'Est de la Somme", ("Ham", "Nesle")),
        ("CC Terre de Picardie", ("Rosières-en-Santerre",)),
        ("CC du Grand Roye", ("Roye",)),
        ("CC Nièvre et Somme", ("Flixecourt",)),
        ("CC du Territoire Nord Picardie", ("Doullens",)),
        ("CC du Val de Somme", ("Corbie", "Villers-Bretonneux")),
        ("CC de la Haute Somme", ("Péronne",)),
        ("CC Somme Sud-Ouest", ("Poix-de-Picardie",)),
        ("CC Avre Luce Noye", ("Moreuil",)),
    ), ("Syndicat mixte Baie de Somme – Grand Littoral Picard", "Fédération départementale d'énergie de la Somme"),
     ("PNR Baie de Somme Picardie maritime",), ("PETR Cœur des Hauts-de-France",),
     ("Aduga – Agence de développement et d'urbanisme du Grand Amiénois", "Somme Habitat")),
)

# « Bilan au 06 décembre 2024 » : à remonter, à travailler, hors COP/CRTE, non remontés
DOC_TABLE = {"02": (136, 16, 7, 12), "59": (104, 54, 20, 15), "60": (216, 91, 16, 24),
             "62": (132, 49, 8, 10), "80": (200, 116, 34, 19)}
REMONTER, TRAVAILLER, HORS, NON = 0, 1, 2, 3

# ---------------------------------------------------------------------------
# Calendriers de pièges (chaque type est réparti par un calendrier mélangé)
# ---------------------------------------------------------------------------
LEVER_TRAPS = (
    "report_modal",     # « Report modal » -> Vélo ET Transports en commun
    "velo_tc",          # « Vélo et transport en commun » -> les deux
    "velo_dup",         # « Vélo, Report modal » : Vélo reconnu deux fois, compté une fois
    "lower",            # minuscules sans accents : « electricite renouvelable »
    "upper",            # majuscules : « BIOGAZ », « SOBRIÉTÉ FONCIÈRE »
    "apostrophe",       # apostrophe typographique : « Sobriété dans l’eau »
    "spaces",           # espaces autour / doublés
    "nbsp",             # espace insécable en fin de cellule
    "unknown_plus",     # « Bouclage biomasse, <levier connu> »
    "freetext_plus",    # texte libre + levier connu
    "comma_lever",      # levier 59 (virgule dans le nom) : inconnu en 2024, reconnu en 2025
    "comma_alias",      # « Prévention des inondations par débordement de cours d'eau »
    "three",            # trois leviers
    "elec",             # « Électricité renouvelable » et variantes
    "renov_tertiaire",  # « Rénovation (tertiaire) »
)
REMONTER_TRAPS = ("date_horizon", "date_fr_in", "cost_zero", "etapes_multiline", "title_quotes",
                  "impact_empty_repl_oui", "other_theme", "etat_refuse", "mo_padded", "optional_empty",
                  "impact_non_repl_oui")
TRAVAILLER_FAIL_TRAPS = ("mo_empty", "mo_spaces", "etapes_empty", "etapes_ws", "fin_empty", "date_empty",
                         "date_after", "date_fr_after", "date_late", "maturite_realise", "maturite_idee")
TRAVAILLER_NEUTRAL_TRAPS = ("cost_zero", "etapes_multiline", "title_quotes", "impact_empty_repl_oui")
HORS_VARIANTS = ("no_lever", "no_lever", "unknown_only", "known_no_impact", "known_no_impact",
                 "mature_no_lever", "unknown_only_oui")
NON_VARIANTS = ("en_construction", "en_construction_full", "classe", "classe_full", "planif_no_lever",
                "planif_unknown", "planif_known_no_impact")


def _pool(pairs, scale=1):
    out = []
    for item, w in pairs:
        out.extend([item] * int(w * scale))
    return tuple(out)


H_ASPIRE = ("Ham", "Harly", "Hazebrouck")


def _de(name):
    """« de Amiens » -> « d'Amiens », « de Le Portel » -> « du Portel »."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("La "):
        return "de la " + name[3:]
    if name[0] in "AEIOUYÉÈÊ" or (name[0] == "H" and name not in H_ASPIRE):
        return "d'" + name
    return "de " + name


def _luhn_siren(body8):
    digits = [int(c) for c in body8]
    total = 0
    for k, d in enumerate(reversed(digits)):
        if k % 2 == 0:      # the check digit will be at position 0
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body8 + str((10 - total % 10) % 10)


def _quote(s):
    if '"' in s or "," in s or "\n" in s or "\r" in s:
        return '"' + s.replace('"', '""') + '"'
    return s


def _allocate(n, weights):
    """Largest-remainder allocation of n over weights (deterministic)."""
    total = sum(weights)
    raw = [n * w / total for w in weights]
    counts = [int(x) for x in raw]
    rest = n - sum(counts)
    order = sorted(range(len(weights)), key=lambda k: (-(raw[k] - counts[k]), k))
    for k in order[:rest]:
        counts[k] += 1
    return counts


def _last_sunday_of_october(year):
    d = datetime.date(year, 10, 31)
    return d - datetime.timedelta(days=(d.weekday() + 1) % 7)


class Generator:
    def __init__(self, year, rng):
        self.year = year
        self.rng = rng
        r = rng.random
        self.horizon = datetime.date(year + 1, 12, 31)
        first = datetime.date(year, 1, 1).toordinal()
        last = datetime.date(year + 3, 12, 31).toordinal()
        self.date_first = first
        self.dates_iso = {}
        self.dates_fr = {}
        for o in range(first - 400, last + 1):
            d = datetime.date.fromordinal(o)
            self.dates_iso[o] = d.isoformat()
            self.dates_fr[o] = d.strftime("%d/%m/%Y")
        self.horizon_o = self.horizon.toordinal()
        self.mature_lo = datetime.date(year, 3, 1).toordinal()
        self.late_hi = last
        # dépôts : du 15 avril au 6 décembre ; +0200 avant le dernier dimanche d'octobre
        dst_end = _last_sunday_of_october(year).toordinal()
        self.deposit_days = tuple(
            (datetime.date.fromordinal(o).isoformat(), "+0200" if o < dst_end else "+0100")
            for o in range(datetime.date(year, 4, 15).toordinal(), datetime.date(year, 12, 6).toordinal() + 1))

        # leviers du catalogue de l'année
        nlev = len(LEVERS) if year >= 2025 else N_BASE_LEVERS
        self.levers = LEVERS[:nlev]
        self.lever_index = {lv[0]: k for k, lv in enumerate(self.levers)}
        wcol = 4 if year >= 2025 else 3
        self.lever_pool = _pool([(k, lv[wcol]) for k, lv in enumerate(self.levers)])
        self.theme_pool = {}
        for k, lv in enumerate(self.levers):
            self.theme_pool.setdefault(lv[2], []).extend([k] * max(1, lv[wcol]) if lv[wcol] else [])
        self.labels = tuple((lv[0],) + lv[1] for lv in self.levers)
        self.apostrophe_labels = tuple(
            (k, lab) for k, labs in enumerate(self.labels) for lab in labs
            if "'" in lab and self.levers[k][wcol] > 0)
        self.unknown_pool = UNKNOWN_LABELS if year >= 2025 else UNKNOWN_LABELS + (COMMA_LEVER, COMMA_ALIAS)

        # territoires
        self.depts = []
        siren_rng = random.Random("tamis-siren")
        used = set()
        for code, name, de_dept, rivers, epcis, synd, pnr, petr, autres in DEPTS:
            places = []
            epci_codes = {}
            for epci, communes in epcis:
                while True:
                    s = _luhn_siren("200" + "%05d" % siren_rng.randrange(100000))
                    if s not in used:
                        used.add(s)
                        break
                epci_codes[epci] = s
                for c in communes:
                    places.append((c, _de(c), _quote(epci), s, epci))
            self.depts.append({
                "code": code, "name": name, "de": de_dept, "rivers": rivers, "places": tuple(places),
                "synd": tuple(_quote(x) for x in synd), "pnr": tuple(_quote(x) for x in (pnr or synd)),
                "petr": tuple(_quote(x) for x in petr), "autres": tuple(_quote(x) for x in autres),
            })
        self.dept_index = {d["code"]: k for k, d in enumerate(self.depts)}

        self.ptype_pool = _pool((("Commune", 460), ("EPCI", 400), ("Syndicat mixte", 60), ("PNR", 20),
                                 ("PETR", 30), ("Département", 3), ("Autre", 27)))
        self.etat_pool = _pool((("En instruction", 110), ("Accepté", 88), ("Refusé", 2)))
        self.etat_non_pool = _pool((("En instruction", 50), ("Accepté", 20), ("Refusé", 30)))
        self.nature_pool = _pool((("Poursuite d'une action engagée", 35), ("Massification d'une action existante", 25),
                                  ("Innovation", 30), ("", 10)))
        self.impact_contrib = _pool(((("Oui", "Oui"), 45), (("Oui", "Non"), 25), (("Non", "Oui"), 15),
                                     (("Oui", ""), 10), (("", "Oui"), 5)))
        self.impact_non = _pool(((("Non", "Non"), 6), (("Non", ""), 2), (("", "Non"), 2), (("", ""), 2)))
        self.impact_any = _pool(((("Oui", "Oui"), 3), (("Oui", "Non"), 2), (("Non", "Non"), 4), (("", ""), 3),
                                 (("Non", "Oui"), 1)))
        self.maturite_mature = _pool((("Avant-projet", 45), ("Consultation des entreprises", 25),
                                      ("Travaux en cours", 30)))
        self.maturite_non = _pool((("Idée", 30), ("Étude / faisabilité", 62), ("Réalisé", 8)))
        self.maturite_any = _pool((("Idée", 20), ("Étude / faisabilité", 35), ("Avant-projet", 20),
                                   ("Consultation des entreprises", 8), ("Travaux en cours", 10), ("Réalisé", 3),
                                   ("", 4)))
        self.besoin_pool = ("Oui", "Oui", "Oui", "Oui", "Non", "Non", "Non", "Non", "", "")
        self.other_theme_pool = _pool(zip(OTHER_THEMES, OTHER_THEME_WEIGHTS))
        # listes multi-choix pré-calculées (ordre du formulaire pour les financements)
        combos = []
        for _ in range(400):
            k = 1 + int(r() * 3)
            picks = sorted(set(int(r() * len(FINANCEMENTS)) for _ in range(k)))
            combos.append(_quote(", ".join(FINANCEMENTS[p] for p in picks)))
        self.fin_pool = tuple(combos)
        combos = []
        for _ in range(400):
            k = 1 + int(r() * 3)
            picks = []
            for _ in range(k):
                p = PARTENAIRES[int(r() * len(PARTENAIRES))]
                if p not in picks:
                    picks.append(p)
            combos.append(_quote(", ".join(picks)))
        self.part_pool = tuple(combos)
        self.etapes_pool = tuple(_quote(e) for e in ETAPES)
        self.etapes_multi_pool = tuple(_quote(e) for e in ETAPES_MULTI)

    # -- leviers ------------------------------------------------------------
    def _natural_label(self, k):
        labs = self.labels[k]
        if len(labs) > 1 and self.rng.random() < 0.5:
            return labs[1 + int(self.rng.random() * (len(labs) - 1))]
        return labs[0]

    def _other_lever(self, k, exclude):
        r = self.rng.random
        pool = self.theme_pool.get(self.levers[k][2]) or self.lever_pool
        for _ in range(4):
            j = pool[int(r() * len(pool))] if r() < 0.7 else self.lever_pool[int(r() * len(self.lever_pool))]
            if j not in exclude:
                return j
        return None

    def _pick_lever(self):
        return self.lever_pool[int(self.rng.random() * len(self.lever_pool))]

    def lever_cell(self, trap):
        """Returns (cell text, primary lever index) for a contributing project."""
        r = self.rng.random
        idx = self.lever_index
        if trap is None:
            k = self._pick_lever()
            labels = [self._natural_label(k)]
            u = r()
            if u < 0.28:
                chosen = [k]
                for _ in range(1 if u < 0.22 else 2):
                    j = self._other_lever(k, chosen)
                    if j is not None:
                        chosen.append(j)
                        labels.append(self._natural_label(j))
                if r() < 0.3:
                    labels.reverse()
            return ", ".join(labels), k
        if trap == "report_modal":
            v = r()
            if v < 0.6:
                return "Report modal", idx[VELO]
            return "Report modal, Covoiturage" if v < 0.8 else "Covoiturage, Report modal", idx[VELO]
        if trap == "velo_tc":
            return ("Vélo et transport en commun" if r() < 0.7
                    else "Vélo et transport en commun, Réduction des déplacements"), idx[TC]
        if trap == "velo_dup":
            v = r()
            cell = ("Vélo, Report modal" if v < 0.4 else
                    "Transports en commun, Vélo et transport en commun" if v < 0.7 else
                    "Report modal, Vélo et transport en commun, Vélo")
            return cell, idx[VELO]
        if trap == "lower":
            k = self._pick_lever()
            return _strip_accents(self._natural_label(k)).lower(), k
        if trap == "upper":
            if r() < 0.5:
                return "BIOGAZ", idx["Biogaz"]
            k = self._pick_lever()
            return self._natural_label(k).upper(), k
        if trap == "apostrophe":
            k, lab = self.apostrophe_labels[int(r() * len(self.apostrophe_labels))]
            return lab.replace("'", "\u2019" if r() < 0.8 else "\u02bc"), k
        if trap == "spaces":
            k = self._pick_lever()
            lab = self._natural_label(k)
            v = r()
            if v < 0.3:
                return "  " + lab + "  ", k
            j = self._other_lever(k, [k])
            if j is None or v < 0.5:
                return lab.replace(" ", "  ", 1) if " " in lab else " " + lab + " ", k
            lab2 = self._natural_label(j)
            return (lab + ",  " + lab2 if v < 0.75 else lab + " , " + lab2), k
        if trap == "nbsp":
            k = self._pick_lever()
            return self._natural_label(k) + "\u00a0", k
        if trap in ("unknown_plus", "freetext_plus"):
            k = self._pick_lever()
            unk = ("Bouclage biomasse" if trap == "unknown_plus" and r() < 0.6
                   else UNKNOWN_LABELS[1 + int(r() * (len(UNKNOWN_LABELS) - 1))])
            lab = self._natural_label(k)
            return (unk + ", " + lab if r() < 0.5 else lab + ", " + unk), k
        if trap in ("comma_lever", "comma_alias"):
            name = COMMA_LEVER if trap == "comma_lever" else COMMA_ALIAS
            if self.year >= 2025:
                k = idx[COMMA_LEVER]
                if r() < 0.5:
                    return name, k
                return name + ", " + self._natural_label(idx["Désimperméabilisation des sols"]), k
            k = idx["Désimperméabilisation des sols"] if r() < 0.5 else idx["Restauration des habitats naturels"]
            lab = self._natural_label(k)
            return (name + ", " + lab if r() < 0.6 else lab + ", " + name), k
        if trap == "three":
            k = self._pick_lever()
            chosen = [k]
            while len(chosen) < 3:
                j = self._other_lever(k, chosen)
                if j is None:
                    j = self._pick_lever()
                if j not in chosen:
                    chosen.append(j)
            return ", ".join(self._natural_label(j) for j in chosen), k
        if trap == "elec":
            v = r()
            lab = ("Électricité renouvelable" if v < 0.5 else "electricite renouvelable" if v < 0.7
                   else "ELECTRICITÉ RENOUVELABLE" if v < 0.85 else "Electricité renouvelable")
            return lab, idx["Electricité renouvelable"]
        if trap == "renov_tertiaire":
            return "Rénovation (tertiaire)", idx["Sobriété des bâtiments (tertiaire)"]
        raise ValueError(trap)

    def unknown_cell(self):
        r = self.rng.random
        pool = self.unknown_pool
        a = pool[int(r() * len(pool))]
        if r() < 0.2:
            b = pool[int(r() * len(pool))]
            if b != a and a not in (COMMA_LEVER, COMMA_ALIAS) and b not in (COMMA_LEVER, COMMA_ALIAS):
                return a + ", " + b
        return a

    # -- lignes ---------------------------------------------------------------
    def title(self, family, place, dept, trap):
        r = self.rng.random
        tpls = TITLES[family]
        t = tpls[int(r() * len(tpls))]
        if "{" in t:
            places = dept["places"]
            c2 = places[int(r() * len(places))][0]
            if c2 == place[0]:
                c2 = places[(places.index(place) + 1) % len(places)][0]
            t = t.format(de=place[1], c=place[0], c2=c2, r=dept["rivers"][int(r() * len(dept["rivers"]))])
        if trap == "title_quotes":
            nick = TITLE_NICKNAMES[int(r() * len(TITLE_NICKNAMES))]
            t = t + ', tranche 2 – projet "' + nick + '"' if r() < 0.6 else '"' + nick + '" : ' + t + ", phase 1"
        elif r() < 0.03:
            t = t.replace("'", "\u2019")
        return _quote(t)

    def row(self, ident, dk, target, ltrap, ftrap):
        rng = self.rng
        r = rng.random
        dept = self.depts[dk]
        places = dept["places"]
        place = places[int(r() * len(places))]
        commune, de_c, epci_q, epci_code, epci_raw = place
        ptype = self.ptype_pool[int(r() * len(self.ptype_pool))]
        if ptype == "Commune":
            porteur = _quote("Commune " + de_c)
        elif ptype == "EPCI":
            porteur = epci_q
        elif ptype == "Syndicat mixte":
            porteur = dept["synd"][int(r() * len(dept["synd"]))]
        elif ptype == "PNR":
            porteur = dept["pnr"][int(r() * len(dept["pnr"]))]
        elif ptype == "PETR":
            porteur = dept["petr"][int(r() * len(dept["petr"]))]
        elif ptype == "Département":
            porteur = "Département " + dept["de"]
        else:
            porteur = dept["autres"][int(r() * len(dept["autres"]))]
        mo = porteur if r() < 0.82 else epci_q

        day, off = self.deposit_days[int(r() * len(self.deposit_days))]
        depose = "%s %02d:%02d:%02d %s" % (day, 7 + int(r() * 15), int(r() * 60), int(r() * 60), off)
        etat = self.etat_pool[int(r() * len(self.etat_pool))]
        nature = self.nature_pool[int(r() * len(self.nature_pool))]
        partenaires = self.part_pool[int(r() * len(self.part_pool))] if r() < 0.88 else ""
        etapes = self.etapes_pool[int(r() * len(self.etapes_pool))]
        fin = self.fin_pool[int(r() * len(self.fin_pool))]
        besoin = self.besoin_pool[int(r() * 10)]
        pcaet = "on" if r() < 0.4 else "off"
        ges = "0" if r() < 0.45 else "%.1f" % (int(r() * 4000) / 10)
        c = int(8000 * 400 ** r())
        cost = str(c - c % 100) if r() < 0.9 else "%d.%02d" % (c, int(r() * 100))
        cell = ""
        family = None
        theme = None

        # --- profil selon la catégorie visée --------------------------------------
        if target == REMONTER or target == TRAVAILLER or ftrap in ("en_construction_full", "classe_full"):
            cell, k = self.lever_cell(ltrap)
            theme, family = self.levers[k][2], self.levers[k][5]
            impact, repl = self.impact_contrib[int(r() * len(self.impact_contrib))]
            if target != TRAVAILLER or ftrap in TRAVAILLER_FAIL_TRAPS:
                maturite = self.maturite_mature[int(r() * len(self.maturite_mature))]
                o = self.mature_lo + int(r() * (self.horizon_o - self.mature_lo + 1))
                date = self.dates_iso[o] if r() < 0.97 else self.dates_fr[o]
            else:
                maturite = self.maturite_non[int(r() * len(self.maturite_non))]
                if r() < 0.22:
                    mo = ""
                if r() < 0.18:
                    etapes = ""
                if r() < 0.25:
                    fin = ""
                if r() < 0.35:
                    date = ""
                else:
                    o = self.date_first + int(r() * (self.late_hi - self.date_first + 1))
                    date = self.dates_iso[o] if r() < 0.97 else self.dates_fr[o]
            if ftrap is not None:
                if ftrap == "date_horizon":
                    date = self.dates_iso[self.horizon_o]
                elif ftrap == "date_fr_in":
                    date = self.dates_fr[self.mature_lo + int(r() * (self.horizon_o - self.mature_lo + 1))]
                elif ftrap == "cost_zero":
                    cost = "0"
                elif ftrap == "etapes_multiline":
                    etapes = self.etapes_multi_pool[int(r() * len(self.etapes_multi_pool))]
                elif ftrap == "impact_empty_repl_oui":
                    impact, repl = "", "Oui"
                elif ftrap == "impact_non_repl_oui":
                    impact, repl = "Non", "Oui"
                elif ftrap == "other_theme":
                    theme = self.other_theme_pool[int(r() * len(self.other_theme_pool))]
                elif ftrap == "etat_refuse":
                    etat = "Refusé"
                elif ftrap == "mo_padded":
                    mo = _quote("  " + (porteur[1:-1].replace('""', '"') if porteur.startswith('"') else porteur) + " ")
                elif ftrap == "optional_empty":
                    nature = partenaires = besoin = ""
                    ges = cost = "0"
                    epci_q = epci_code = ""
                elif ftrap == "mo_empty":
                    mo = ""
                elif ftrap == "mo_spaces":
                    mo = "   " if r() < 0.7 else " \u00a0 "
                elif ftrap == "etapes_empty":
                    etapes = ""
                elif ftrap == "etapes_ws":
                    etapes = '" \n "' if r() < 0.5 else "  "
                elif ftrap == "fin_empty":
                    fin = ""
                elif ftrap == "date_empty":
                    date = ""
                elif ftrap == "date_after":
                    date = self.dates_iso[self.horizon_o + 1]
                elif ftrap == "date_fr_after":
                    date = self.dates_fr[self.horizon_o + 1 + int(r() * 300)]
                elif ftrap == "date_late":
                    date = self.dates_iso[self.horizon_o + 1 + int(r() * (self.late_hi - self.horizon_o))]
                elif ftrap == "maturite_realise":
                    maturite = "Réalisé"
                elif ftrap == "maturite_idee":
                    maturite = "Idée"
                elif ftrap == "en_construction_full":
                    etat, depose = "En construction", ""
                elif ftrap == "classe_full":
                    etat = "Classé sans suite"
        else:
            # projets qui ne contribuent pas (hors COP / non remontés)
            impact, repl = self.impact_any[int(r() * len(self.impact_any))]
            maturite = self.maturite_any[int(r() * len(self.maturite_any))]
            if r() < 0.3:
                mo = ""
            if r() < 0.25:
                etapes = ""
            if r() < 0.3:
                fin = ""
            if r() < 0.4:
                date = ""
            else:
                o = self.date_first + int(r() * (self.late_hi - self.date_first + 1))
                date = self.dates_iso[o]
            v = ftrap
            if target == HORS:
                theme = self.other_theme_pool[int(r() * len(self.other_theme_pool))]
                family = OTHER_THEME_FAMILY[theme]
            else:
                theme = PLANIF_SANS_LEVIER_THEMES[int(r() * len(PLANIF_SANS_LEVIER_THEMES))]
                family = "planif_sans_levier"
                if v in ("en_construction", "classe"):
                    if r() < 0.5:
                        theme = self.other_theme_pool[int(r() * len(self.other_theme_pool))]
                        family = OTHER_THEME_FAMILY[theme]
                    if r() < 0.6:
                        cell, k = self.lever_cell(None)
                        theme, family = self.levers[k][2], self.levers[k][5]
                        impact, repl = self.impact_contrib[int(r() * len(self.impact_contrib))]
                    etat = "En construction" if v == "en_construction" else "Classé sans suite"
                    if v == "en_construction":
                        depose = ""
                else:
                    etat = self.etat_non_pool[int(r() * len(self.etat_non_pool))]
            if v in ("unknown_only", "unknown_only_oui", "planif_unknown"):
                cell = self.unknown_cell()
                if v == "unknown_only_oui":
                    impact, repl = "Oui", "Oui"
            elif v in ("known_no_impact", "planif_known_no_impact"):
                cell, k = self.lever_cell(None)
                impact, repl = self.impact_non[int(r() * len(self.impact_non))]
                if v == "planif_known_no_impact":
                    theme, family = self.levers[k][2], self.levers[k][5]
            elif v == "mature_no_lever":
                maturite = self.maturite_mature[int(r() * len(self.maturite_mature))]
                mo = porteur
                etapes = self.etapes_pool[int(r() * len(self.etapes_pool))]
                fin = self.fin_pool[int(r() * len(self.fin_pool))]
                date = self.dates_iso[self.mature_lo + int(r() * (self.horizon_o - self.mature_lo + 1))]
                impact, repl = "Oui", "Oui"

        title = self.title(family, place, dept, ftrap)
        return (str(ident), etat, depose, title, porteur, ptype, epci_q, epci_code, dept["name"], dept["code"],
                theme, _quote(cell), nature, impact, repl, maturite, mo, partenaires, etapes, date, cost, fin,
                besoin, pcaet, ges)


def _strip_accents(s):
    import unicodedata
    return "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch))


def _schedule(rng, n, kinds, rate):
    k = int(round(n * rate))
    lst = [kinds[i % len(kinds)] for i in range(k)] + [None] * (n - k)
    rng.shuffle(lst)
    return lst


MOTIVATIONS = ("", "", "", "", "Projet cohérent avec les leviers, maturité suffisante",
               "Maturité insuffisante, à retravailler pour le tour 2025",
               "Hors champ COP ; à examiner dans le cadre du CRTE", "Doublon avec le dossier déposé par l'EPCI")


def generate(out, rows, seed, year, column_order):
    rng = random.Random(seed)
    gen = Generator(year, rng)

    # départements x catégories, d'après le tableau du document
    cells = []
    for code, counts in DOC_TABLE.items():
        for cat, w in enumerate(counts):
            cells.append((gen.dept_index[code], cat, w))
    alloc = _allocate(rows, [w for _, _, w in cells])
    plan = []
    for (dk, cat, _), n in zip(cells, alloc):
        plan.extend([dk * 4 + cat] * n)
    rng.shuffle(plan)
    n_by_cat = [0, 0, 0, 0]
    for p in plan:
        n_by_cat[p & 3] += 1

    lever_sched = {
        REMONTER: _schedule(rng, n_by_cat[REMONTER], LEVER_TRAPS, 0.24),
        TRAVAILLER: _schedule(rng, n_by_cat[TRAVAILLER], LEVER_TRAPS, 0.24),
        HORS: [None] * n_by_cat[HORS],
        NON: _schedule(rng, n_by_cat[NON], LEVER_TRAPS, 0.15),
    }
    trav_kinds = TRAVAILLER_FAIL_TRAPS * 4 + TRAVAILLER_NEUTRAL_TRAPS
    field_sched = {
        REMONTER: _schedule(rng, n_by_cat[REMONTER], REMONTER_TRAPS, 0.30),
        TRAVAILLER: _schedule(rng, n_by_cat[TRAVAILLER], trav_kinds, 0.55),
        HORS: _schedule(rng, n_by_cat[HORS], HORS_VARIANTS, 1.0),
        NON: _schedule(rng, n_by_cat[NON], NON_VARIANTS, 1.0),
    }
    pos = [0, 0, 0, 0]

    # colonnes : ordre du contrat ou permutation + colonnes étrangères (RNG séparé)
    ncol = len(HEADERS)
    if column_order == "shuffled":
        crng = random.Random("%s:columns:%d" % (seed, year))
        layout = list(range(ncol)) + [-1, -2]
        crng.shuffle(layout)
        header = [HEADERS[k] if k >= 0 else EXTRA_HEADERS[-k - 1] for k in layout]
    else:
        crng = None
        layout = None
        header = list(HEADERS)
    dst_end = _last_sunday_of_october(year).toordinal()
    upd_days = tuple((datetime.date.fromordinal(o).isoformat(), "+0200" if o < dst_end else "+0100")
                     for o in range(datetime.date(year, 11, 1).toordinal(),
                                    datetime.date(year, 12, 6).toordinal() + 1))
    motivations = tuple(_quote(m) for m in MOTIVATIONS)

    buf = [",".join(_quote(h) for h in header) + "\n"]
    ident = 18_000_000 + int(rng.random() * 900_000)
    for p in plan:
        cat = p & 3
        i = pos[cat]
        pos[cat] = i + 1
        ident += 1 + int(rng.random() * 37)
        fields = gen.row(ident, p >> 2, cat, lever_sched[cat][i], field_sched[cat][i])
        if layout is None:
            buf.append(",".join(fields) + "\n")
        else:
            cr = crng.random
            day, off = upd_days[int(cr() * len(upd_days))]
            extra = ("%s %02d:%02d:%02d %s" % (day, 8 + int(cr() * 10), int(cr() * 60), int(cr() * 60), off),
                     motivations[int(cr() * len(motivations))])
            buf.append(",".join(fields[k] if k >= 0 else extra[-k - 1] for k in layout) + "\n")
        if len(buf) >= 20000:
            out.write("".join(buf).encode("utf-8"))
            buf = []
    out.write("".join(buf).encode("utf-8"))


def main(argv=None):
    ap = argparse.ArgumentParser(description="Génère une campagne COP synthétique (export Démarches simplifiées).")
    ap.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="nombre de dossiers (défaut %(default)s)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help="graine (défaut %(default)s)")
    ap.add_argument("--output", help="fichier de sortie (défaut : sortie standard)")
    ap.add_argument("--year", type=int, choices=(2024, 2025), default=2024,
                    help="catalogue de leviers et calendrier (2025 : + leviers d'adaptation)")
    ap.add_argument("--column-order", choices=("contract", "shuffled"), default="contract",
                    help="ordre des colonnes : celui du contrat, ou permuté avec colonnes étrangères")
    args = ap.parse_args(argv)
    if args.rows < 0:
        ap.error("--rows doit être positif")
    if args.output:
        with open(args.output, "wb") as f:
            generate(f, args.rows, args.seed, args.year, args.column_order)
    else:
        generate(sys.stdout.buffer, args.rows, args.seed, args.year, args.column_order)
        sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
