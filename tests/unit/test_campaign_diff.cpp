// tamis diff: every change of the rules that can change a result or an output is listed,
// and each dossier whose deciding rule changed says why.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "runtime/diff/campaign_diff.hpp"
#include "runtime/diff/diff_render.hpp"
#include "runtime/explain/explain.hpp"

using tamis::runtime::CampaignDiff;
using tamis::runtime::diff_campaign;
using tamis::runtime::diff_rules;
using tamis::runtime::RuleChange;

namespace {

const std::string kRules = R"tamis(
énumération Cat { haut "Haut"  moyen "Moyen"  bas "Bas" }
énumération Dep { nord "Nord (59)" alias "59"  somme "Somme (80)" alias "80" }
table Levier ( secteur : texte ) {
  "Vélo"    | "Transports"
  "Haies"   | "Agriculture"
  "Solaire" | "Énergie"
}
schéma D {
  id      : entier             colonne "ID"
  montant : entier             colonne "Montant"
  aide    : booléen?           colonne "Aide"
  dep     : Dep?               colonne "Département"
  leviers : ensemble de Levier colonne "Leviers"
}
soit gros "montant élevé" = montant > 1000
soit aide_demandee "aide demandée" = aide = oui
décision cat : Cat première {
  règle "R1 gros" si gros alors haut
  règle "R2 aidé" si aide_demandee alors moyen
  sinon "R3 reste" alors bas
}
sortie {
  "ID"        = id
  "categorie" = cat
  "regle"     = nom_regle(cat)
  "dep"       = dep
  "leviers"   = leviers
  "secteurs"  = leviers.secteur
}
synthèse "Bilan" lignes cat colonnes dep
synthèse "Leviers" lignes leviers
)tamis";

const std::string kCampaign =
    "ID,Montant,Aide,Département,Autre,Leviers\n"
    "1,5000,non,59,x,Vélo\n"     // R1 on both sides unless R1 changes
    "2,500,oui,80,y,Haies\n"     // R2
    "3,2000,oui,59,z,Solaire\n"  // R1, R2 would apply too
    "4,10,non,80,t,\n";          // R3

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

struct Sets {
  tamis::Compilation before, after;
};

Sets compile_both(const std::string& after_text) {
  Sets s{tamis::testing::compile(kRules), tamis::testing::compile(after_text)};
  INFO(tamis::testing::render_all(s.before) << tamis::testing::render_all(s.after));
  REQUIRE_FALSE(s.before.diagnostics.has_errors());
  REQUIRE_FALSE(s.after.diagnostics.has_errors());
  return s;
}

std::vector<RuleChange> rule_changes(const std::string& after_text) {
  const Sets s = compile_both(after_text);
  return diff_rules(*s.before.graph, *s.after.graph);
}

CampaignDiff campaign_diff(const std::string& after_text, const std::string& campaign = kCampaign) {
  const Sets s = compile_both(after_text);
  std::istringstream in(campaign);
  CampaignDiff d = diff_campaign(*s.before.graph, *s.after.graph, in);
  REQUIRE(d.fatal_errors.empty());
  return d;
}

const tamis::runtime::DossierChange* dossier(const CampaignDiff& d, const std::string& id) {
  for (const auto& c : d.changes) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

std::string kinds(const std::vector<RuleChange>& changes) {
  std::string out;
  for (const auto& c : changes) out += c.kind + " " + c.name + " " + c.change + "\n";
  return out;
}

}  // namespace

TEST_CASE("diff: the same rules, nothing to report") {
  CHECK(rule_changes(kRules).empty());
  const auto d = campaign_diff(kRules);
  CHECK(d.rows_read == 4);
  CHECK(d.changes.empty());
}

TEST_CASE("diff: a schema field's column, type or optionality is a change of the rules") {
  auto changes = rule_changes(replaced(kRules, "colonne \"Aide\"", "colonne \"Autre\""));
  INFO(kinds(changes));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == "champ");
  CHECK(changes[0].owner == "D");
  CHECK(changes[0].name == "aide");
  CHECK(changes[0].change == "modifiée");
  CHECK(changes[0].before == "aide : booléen? colonne \"Aide\"");
  CHECK(changes[0].after == "aide : booléen? colonne \"Autre\"");

  changes = rule_changes(replaced(kRules, "dep     : Dep?", "dep     : Dep "));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].after == "dep : Dep colonne \"Département\"");

  // The first field is the identifier: the order of the fields is compared.
  changes =
      rule_changes(replaced(replaced(kRules, "  id      : entier             colonne \"ID\"\n", ""),
                            "  montant : entier             colonne \"Montant\"\n",
                            "  montant : entier             colonne \"Montant\"\n"
                            "  id      : entier             colonne \"ID\"\n"));
  INFO(kinds(changes));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == "ordre");
  CHECK(changes[0].name == "champs");
  CHECK(changes[0].before == "id › montant › aide › dep › leviers");
  CHECK(changes[0].after == "montant › id › aide › dep › leviers");
}

TEST_CASE("diff: the order of the rules of a first-hit decision and its policy are compared") {
  const std::string swapped =
      replaced(replaced(kRules, "  règle \"R1 gros\" si gros alors haut\n", ""),
               "  règle \"R2 aidé\" si aide_demandee alors moyen\n",
               "  règle \"R2 aidé\" si aide_demandee alors moyen\n"
               "  règle \"R1 gros\" si gros alors haut\n");
  auto changes = rule_changes(swapped);
  INFO(kinds(changes));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == "ordre");
  CHECK(changes[0].owner == "cat");
  CHECK(changes[0].name == "règles");
  CHECK(changes[0].before == "R1 gros › R2 aidé › R3 reste");
  CHECK(changes[0].after == "R2 aidé › R1 gros › R3 reste");

  // Dossier 3: both rules apply on both sides; R2 now comes first.
  const auto d = campaign_diff(swapped);
  REQUIRE(d.changes.size() == 1);
  const auto* c = dossier(d, "3");
  REQUIRE(c != nullptr);
  CHECK(c->rule_before == "R1 gros");
  CHECK(c->rule_after == "R2 aidé");
  REQUIRE(c->reasons.size() == 1);
  CHECK(c->reasons[0].kind == "ordre");
  CHECK(c->reasons[0].rule == "R2 aidé");
  CHECK(c->reasons[0].other == "R1 gros");

  changes =
      rule_changes(replaced(kRules, "décision cat : Cat première", "décision cat : Cat toutes"));
  INFO(kinds(changes));
  REQUIRE_FALSE(changes.empty());
  CHECK(changes[0].kind == "décision");
  CHECK(changes[0].before == "cat : Cat première");
  CHECK(changes[0].after == "cat : ensemble de Cat toutes");
}

TEST_CASE("diff: a definition's label, type or body is a change; its layout is not") {
  auto changes = rule_changes(replaced(kRules, "\"montant élevé\"", "\"gros montant\""));
  INFO(kinds(changes));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == "définition");
  CHECK(changes[0].name == "gros");
  CHECK(changes[0].before == "soit gros \"montant élevé\" = montant > 1000");
  CHECK(changes[0].after == "soit gros \"gros montant\" = montant > 1000");

  CHECK(rule_changes(replaced(kRules, "= montant > 1000", "=\n  montant   >   1000")).empty());
  CHECK(rule_changes(replaced(kRules, "soit gros \"montant élevé\" =",
                              "soit gros \"montant élevé\" : booléen ="))
            .empty());
  changes = rule_changes(replaced(kRules, "montant > 1000", "montant > 2000"));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].after == "soit gros \"montant élevé\" = montant > 2000");
}

TEST_CASE("diff: output columns, summaries, table rows and enumeration values") {
  // An output column's expression, and the order of the columns.
  auto changes = rule_changes(replaced(kRules, "\"dep\"       = dep", "\"dep\"       = aide"));
  INFO(kinds(changes));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == "sortie");
  CHECK(changes[0].name == "dep");
  CHECK(changes[0].before == "\"dep\" = dep");
  CHECK(changes[0].after == "\"dep\" = aide");
  changes = rule_changes(replaced(replaced(kRules, "  \"dep\"       = dep\n", ""),
                                  "  \"secteurs\"  = leviers.secteur\n",
                                  "  \"secteurs\"  = leviers.secteur\n  \"dep\" = dep\n"));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == "ordre");
  CHECK(changes[0].name == "colonnes de sortie");

  // A summary, by title.
  changes = rule_changes(replaced(kRules, "lignes cat colonnes dep", "lignes cat"));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == "synthèse");
  CHECK(changes[0].name == "Bilan");
  CHECK(changes[0].before == "lignes cat colonnes dep");
  CHECK(changes[0].after == "lignes cat");
  changes = rule_changes(kRules + "synthèse \"Par département\" lignes dep\n");
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].change == "ajoutée");

  // The order of a table's rows: the order of the members of a set in the results.
  changes = rule_changes(replaced(replaced(kRules, "  \"Vélo\"    | \"Transports\"\n", ""),
                                  "  \"Solaire\" | \"Énergie\"\n",
                                  "  \"Solaire\" | \"Énergie\"\n  \"Vélo\"    | \"Transports\"\n"));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == "ordre");
  CHECK(changes[0].owner == "Levier");
  CHECK(changes[0].name == "lignes");

  // An enumeration value's alias: how the export's answers are read.
  changes = rule_changes(replaced(kRules, "alias \"59\"", "alias \"59\", \"Nord\""));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == "valeur");
  CHECK(changes[0].after == "nord « Nord (59) » (alias 59, Nord)");
}

TEST_CASE("diff: a dossier whose deciding rule no longer applies says which condition fails") {
  const auto d = campaign_diff(
      replaced(kRules, "si gros alors haut", "si gros et non aide_demandee alors haut"));
  // Dossier 3 (montant 2000, aide oui): R1 no longer applies, R2 decides.
  REQUIRE(d.changes.size() == 1);
  const auto& c = d.changes[0];
  CHECK(c.id == "3");
  CHECK(c.category_before == "haut");
  CHECK(c.category_after == "moyen");
  REQUIRE(c.reasons.size() == 1);
  const auto& r = c.reasons[0];
  CHECK(r.kind == "ne s'applique plus");
  CHECK(r.rule == "R1 gros");
  CHECK(r.side == "après");
  // The explanation is runtime/explain's: the first failing condition, with its values.
  REQUIRE(r.explanation.is_object());
  CHECK(r.explanation.at("applique") == false);
  CHECK(r.explanation.at("regle").at("nom") == "R1 gros");
  const auto& failing = r.explanation.at("condition_en_echec");
  CHECK(failing.at("valeur") == false);
  CHECK(failing.at("enfants").size() == 1);  // the first failing conjunct only
  CHECK(failing.at("enfants")[0].at("texte") == "non aide_demandee");

  const std::string text = tamis::runtime::render_diff_text(d);
  CHECK(text.find("    pourquoi : « R1 gros » ne s'applique plus : ✘ non aide_demandee › ✔ "
                  "aide_demandee (aide demandée) : aide = oui\n") != std::string::npos);
  const auto j = tamis::runtime::diff_to_json(d);
  const auto& why = j.at("dossiers")[0].at("pourquoi");
  REQUIRE(why.size() == 1);
  CHECK(why[0].at("genre") == "ne s'applique plus");
  CHECK(why[0].at("cote") == "apres");
  CHECK(why[0].at("explication").at("condition_en_echec").is_object());
  const std::string csv = tamis::runtime::render_diff_csv(d);
  CHECK(csv.find(",pourquoi\n") != std::string::npos);
  CHECK(csv.find("« R1 gros » ne s'applique plus") != std::string::npos);
  const std::string html = tamis::runtime::render_diff_html(d);
  CHECK(html.find("« R1 gros » ne s&#39;applique plus") == std::string::npos);
  CHECK(html.find("« R1 gros » ne s'applique plus : ✘ non aide_demandee") != std::string::npos);
}

TEST_CASE("diff: a dossier whose deciding rule did not apply before says why") {
  const auto d = campaign_diff(replaced(kRules, "montant > 1000", "montant > 100"));
  // Dossier 2 (montant 500): R1 now applies; before, its condition failed.
  const auto* c = dossier(d, "2");
  REQUIRE(c != nullptr);
  CHECK(c->rule_before == "R2 aidé");
  CHECK(c->rule_after == "R1 gros");
  REQUIRE(c->reasons.size() == 1);
  CHECK(c->reasons[0].kind == "ne s'appliquait pas");
  CHECK(c->reasons[0].rule == "R1 gros");
  CHECK(c->reasons[0].side == "avant");
  const std::string text = tamis::runtime::render_diff_text(d);
  CHECK(text.find("pourquoi : « R1 gros » ne s'appliquait pas avant : ✘ gros (montant élevé) : "
                  "montant = 500 ≤ 1000") != std::string::npos);
  // The changed value of the definition is still listed.
  REQUIRE(c->definitions.size() == 1);
  CHECK(c->definitions[0].name == "gros");
}

TEST_CASE("diff: a rule renamed, a rule whose result changed") {
  auto d = campaign_diff(replaced(kRules, "\"R2 aidé\"", "\"R2 aide demandée\""));
  const auto* c = dossier(d, "2");
  REQUIRE(c != nullptr);
  REQUIRE(c->reasons.size() == 2);
  CHECK(c->reasons[0].kind == "retirée");
  CHECK(c->reasons[0].rule == "R2 aidé");
  CHECK(c->reasons[1].kind == "ajoutée");
  CHECK(c->reasons[1].rule == "R2 aide demandée");
  CHECK(c->reasons[1].explanation.at("applique") == true);

  d = campaign_diff(replaced(kRules, "alors moyen", "alors bas"));
  c = dossier(d, "2");
  REQUIRE(c != nullptr);
  REQUIRE(c->reasons.size() == 1);
  CHECK(c->reasons[0].kind == "résultat");
  CHECK(c->reasons[0].rule == "R2 aidé");
}

TEST_CASE("diff: the HTML page shows the output columns that change, escaped") {
  const std::string after =
      replaced(kRules, "\"Solaire\" | \"Énergie\"", "\"Solaire\" | \"<Énergie & co>\"");
  const auto d = campaign_diff(after);
  REQUIRE(d.changes.size() == 1);
  CHECK(d.changes[0].id == "3");
  CHECK(d.changes[0].rule_before == d.changes[0].rule_after);
  const std::string html = tamis::runtime::render_diff_html(d);
  CHECK(html.find("Colonnes qui changent") != std::string::npos);
  CHECK(html.find("secteurs : « Énergie » → « &lt;Énergie &amp; co&gt; »") != std::string::npos);
  CHECK(html.find("<Énergie") == std::string::npos);
}

TEST_CASE("diff: the header tells two rule sets of the same name and version apart") {
  Sets s = compile_both(replaced(kRules, "montant > 1000", "montant > 100"));
  s.before.graph->fingerprint = std::string(64, 'a');
  s.after.graph->fingerprint = std::string(64, 'b');
  std::istringstream in(kCampaign);
  const auto d = diff_campaign(*s.before.graph, *s.after.graph, in);
  const std::string text = tamis::runtime::render_diff_text(d);
  CHECK(text.rfind("Comparaison : (empreinte aaaaaaaaaaaa) → (empreinte bbbbbbbbbbbb)\n", 0) == 0);
  const auto j = tamis::runtime::diff_to_json(d);
  CHECK(j.at("empreinte_avant") == std::string(64, 'a'));
  CHECK(j.at("empreinte_apres") == std::string(64, 'b'));
  CHECK(tamis::runtime::render_diff_html(d).find("(empreinte bbbbbbbbbbbb)") != std::string::npos);
}

TEST_CASE("diff: a long order changed reads as the items that moved") {
  std::string values, moved;
  for (int i = 1; i <= 14; ++i) {
    values += "v" + std::to_string(i) + " \"V" + std::to_string(i) + "\"\n";
    if (i != 3) moved += "v" + std::to_string(i) + " \"V" + std::to_string(i) + "\"\n";
    if (i == 10) moved += "v3 \"V3\"\n";
  }
  const Sets s{tamis::testing::compile(kRules + "énumération E {\n" + values + "}\n"),
               tamis::testing::compile(kRules + "énumération E {\n" + moved + "}\n")};
  REQUIRE_FALSE(s.before.diagnostics.has_errors());
  REQUIRE_FALSE(s.after.diagnostics.has_errors());
  const auto changes = diff_rules(*s.before.graph, *s.after.graph);
  INFO(kinds(changes));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == "ordre");
  CHECK(changes[0].owner == "E");
  CHECK(changes[0].name == "valeurs");
  CHECK(changes[0].before == "« v3 » après « v2 »");
  CHECK(changes[0].after == "« v3 » après « v10 »");
}
