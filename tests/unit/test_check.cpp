// Semantic checks: names, types, guards on optional values, cycles, lowering.
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "runtime/eval/interpreter.hpp"

using tamis::Compilation;
using tamis::graph::Value;
using tamis::testing::bits_of;
using tamis::testing::compile;
using tamis::testing::count_code;
using tamis::testing::find_code;
using tamis::testing::has_code;
using tamis::testing::let_index;
using tamis::testing::record_of;
using tamis::testing::render_all;
using tamis::testing::row_index;

namespace {

// Declarations shared by the tests below; each test appends a few lines.
const std::string kPrelude = R"(
énumération Maturite {
  idee         "Idée"
  avant_projet "Avant-projet" alias "AVP"
  travaux      "Travaux en cours"
}
énumération Axe { climat "Climat"  sante "Santé" }
table Levier (secteur : texte, axes : ensemble de Axe) {
  "Vélo" alias "Report modal"                 | "Transports" | {climat, sante}
  "Transports en commun" alias "Report modal" | "Transports" | {climat}
  "Électricité renouvelable" alias "Électricité verte" | "Énergie" | {climat}
}
schéma Dossier {
  id       : entier             colonne "ID"
  montant  : décimal?           colonne "Montant"
  n        : entier?            colonne "N"
  maturite : Maturite?          colonne "Maturité"
  levier   : Levier?            colonne "Levier principal"
  leviers  : ensemble de Levier colonne "Leviers"
  impact   : booléen?           colonne "Impact"
  titre    : texte?             colonne "Titre"
}
)";

// The shipped rules, found from this file's location (tests/unit/ → rules/cop2024).
const std::filesystem::path kRulesDir =
    std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "rules" / "cop2024";

Compilation check(const std::string& body) {
  return compile(kPrelude + body);
}

// Evaluates a `soit` of a compiled rule set on a record.
Value eval_let(const Compilation& c, const std::string& name,
               const tamis::runtime::Record& record) {
  tamis::runtime::Interpreter interpreter(*c.graph);
  interpreter.load(record);
  const Value v = interpreter.evaluate(c.graph->lets[let_index(*c.graph, name)].root);
  INFO(interpreter.error());
  CHECK(interpreter.error().empty());
  return v;
}

bool eval_bool(const Compilation& c, const std::string& name, const tamis::runtime::Record& r) {
  const Value v = eval_let(c, name, r);
  REQUIRE(v.present);
  return v.boolean;
}

}  // namespace

TEST_CASE("check: the prelude alone compiles", "[check]") {
  TAMIS_COMPILE_OK(c, kPrelude);
  CHECK(c.graph->schema.fields.size() == 8);
  CHECK(c.graph->tables.size() == 1);
}

TEST_CASE("check: the shipped cop2024 rules compile without errors", "[check]") {
  const Compilation c = tamis::compile_directory(kRulesDir);
  INFO(render_all(c));
  REQUIRE_FALSE(c.diagnostics.has_errors());
  CHECK(c.graph->name == "cop2024");
  CHECK(c.graph->decisions.size() == 1);
}

// ------------------------------------------------------------------ types

TEST_CASE("check: arithmetic on a text is a type error", "[check][types]") {
  const Compilation c = check("soit v = 1 + \"a\"\n");
  REQUIRE(has_code(c.diagnostics, "E0201"));
  CHECK(find_code(c.diagnostics, "E0201").message.find("types incompatibles") != std::string::npos);
}

TEST_CASE("check: `et` between an integer and a condition is a type error", "[check][types]") {
  const Compilation c = check("soit v = id et vrai\n");
  REQUIRE(has_code(c.diagnostics, "E0201"));
  CHECK(find_code(c.diagnostics, "E0201").message.find("entier") != std::string::npos);
}

TEST_CASE("check: = between two sets says it is not offered and what to write", "[check][types]") {
  const Compilation c = check("soit v = leviers = {\"Vélo\", \"Transports en commun\"}\n");
  REQUIRE(has_code(c.diagnostics, "E0201"));
  const auto& d = find_code(c.diagnostics, "E0201");
  CHECK(d.message == "« = » ne compare pas deux ensembles");
  CHECK(d.hint.find("« leviers contient \"Vélo\" et leviers contient \"Transports en commun\" »") !=
        std::string::npos);
  const Compilation empty = check("soit v = leviers ≠ {}\n");
  REQUIRE(has_code(empty.diagnostics, "E0201"));
  CHECK(find_code(empty.diagnostics, "E0201").hint == "écrivez « leviers n'est pas vide »");
}

TEST_CASE("check: a soit whose written value does not fit its use is reported at its value",
          "[check][types]") {
  for (const char* value : {"31/12/2025", "\"2025-12-31\"", "2025-6-30"}) {
    const Compilation c =
        check(std::string("soit horizon = ") + value +
              "\nsoit d : date = 2025-01-01\nsoit v = d <= horizon\nsoit w = d > horizon\n");
    INFO(value << "\n" << render_all(c));
    REQUIRE(count_code(c.diagnostics, "E0201") == 1);
    const auto& e = find_code(c.diagnostics, "E0201");
    CHECK(e.range.line == 23);  // the soit's line: the prelude takes 22
    CHECK(e.message.find("la définition « horizon » vaut") != std::string::npos);
    REQUIRE(e.notes.size() == 1);
    CHECK(e.notes[0].first.line == 25);
  }
}

TEST_CASE("check: a date written between quotes is told to be written without", "[check][types]") {
  for (const char* body : {"soit h = 2025-12-31\nsoit v = h < \"2025-12-31\"\n",
                           "soit h = 2025-12-31\nsoit v = \"2025-12-31\" = h\n"}) {
    INFO(body);
    const Compilation c = check(body);
    REQUIRE(has_code(c.diagnostics, "E0201"));
    CHECK(find_code(c.diagnostics, "E0201").hint.find("sans guillemets") != std::string::npos);
  }
}

TEST_CASE("check: `non` of a number is a type error", "[check][types]") {
  CHECK(has_code(check("soit v = non id\n").diagnostics, "E0201"));
}

TEST_CASE("check: comparing an enum with an integer is a type error", "[check][types]") {
  CHECK(has_code(check("soit v = maturite est renseigné et maturite = 3\n").diagnostics, "E0201"));
}

TEST_CASE("check: a rule condition must be a condition", "[check][types]") {
  const Compilation c =
      check("décision d : Maturite { règle \"R\" si id alors idee sinon travaux }\n");
  REQUIRE(has_code(c.diagnostics, "E0201"));
  CHECK(find_code(c.diagnostics, "E0201").message.find("condition") != std::string::npos);
}

TEST_CASE("check: a rule result must have the decision's type", "[check][types]") {
  const Compilation c =
      check("décision d : Maturite { règle \"R\" si vrai alors 3 sinon travaux }\n");
  CHECK(has_code(c.diagnostics, "E0201"));
}

TEST_CASE("check: a declared `soit` type must match its value", "[check][types]") {
  const Compilation c = check("soit v : texte = 1\nsoit w = v\n");
  REQUIRE(has_code(c.diagnostics, "E0201"));
  CHECK(find_code(c.diagnostics, "E0201").message.find("« v »") != std::string::npos);
}

TEST_CASE("check: an integer is accepted where a decimal is declared", "[check][types]") {
  TAMIS_COMPILE_OK(c, kPrelude + "soit v : décimal = 1\nsoit w = v > 0.5\n");
  CHECK(c.graph->lets[let_index(*c.graph, "v")].type.base == tamis::graph::Base::Decimal);
}

TEST_CASE("check: an integer table cell too large for a decimal column is E0007",
          "[check][types][decimal]") {
  const Compilation ok =
      check("table Cout (montant : décimal) {\n  \"a\" | 9223372036854\n  \"b\" | 0.5\n}\n");
  CHECK_FALSE(has_code(ok.diagnostics, "E0007"));
  const Compilation c = check("table Cout (montant : décimal) {\n  \"a\" | 9223372036855\n}\n");
  REQUIRE(has_code(c.diagnostics, "E0007"));
  CHECK(find_code(c.diagnostics, "E0007").message.find("9223372036855") != std::string::npos);
}

TEST_CASE("check: division always gives a decimal", "[check][types]") {
  TAMIS_COMPILE_OK(c, kPrelude + "soit v = 4 / 2\nsoit w = 4 * 2\nsoit u = v + w\n");
  CHECK(c.graph->lets[let_index(*c.graph, "v")].type.base == tamis::graph::Base::Decimal);
  CHECK(c.graph->lets[let_index(*c.graph, "w")].type.base == tamis::graph::Base::Integer);
}

TEST_CASE("check: an unknown name gets a did-you-mean hint", "[check][names]") {
  const Compilation c = check("soit v = idd = 1\n");
  REQUIRE(has_code(c.diagnostics, "E0101"));
  const auto& d = find_code(c.diagnostics, "E0101");
  CHECK(d.message.find("idd") != std::string::npos);
  CHECK(d.hint.find("« id »") != std::string::npos);
}

TEST_CASE("check: an enumeration value where a field is expected says what it is",
          "[check][names]") {
  const Compilation c = check("soit v = travaux dans {idee}\n");
  REQUIRE(has_code(c.diagnostics, "E0101"));
  const auto& d = find_code(c.diagnostics, "E0101");
  CHECK(d.message.find("travaux") != std::string::npos);
  CHECK(d.hint.find("valeur de Maturite") != std::string::npos);
  CHECK(d.hint.find("« Maturite.travaux »") != std::string::npos);
  CHECK(d.hint.find("« maturite = travaux »") != std::string::npos);
  // A value of an enumeration no field has: its full name, no comparison.
  const Compilation other = check("soit w = {climat}\n");
  REQUIRE(has_code(other.diagnostics, "E0101"));
  const auto& hint = find_code(other.diagnostics, "E0101").hint;
  CHECK(hint.find("« Axe.climat »") != std::string::npos);
  CHECK(hint.find("par exemple") == std::string::npos);
}

TEST_CASE("check: an unknown type gets E0104", "[check][names]") {
  const Compilation c = compile("schéma D { id : entir colonne \"ID\" }\n");
  REQUIRE(has_code(c.diagnostics, "E0104"));
  CHECK(find_code(c.diagnostics, "E0104").hint.find("entier") != std::string::npos);
}

TEST_CASE("check: an unknown function gets E0108", "[check][names]") {
  const Compilation c = check("soit v = nombr(leviers)\n");
  REQUIRE(has_code(c.diagnostics, "E0108"));
  CHECK(find_code(c.diagnostics, "E0108").hint.find("nombre") != std::string::npos);
}

TEST_CASE("check: a name declared twice gets E0105 with a note", "[check][names]") {
  const Compilation c = check("soit v = 1\nsoit v = 2\n");
  REQUIRE(has_code(c.diagnostics, "E0105"));
  CHECK(find_code(c.diagnostics, "E0105").notes.size() == 1);
}

TEST_CASE("check: a table row named without quotes is told to be quoted", "[check][names]") {
  const Compilation c = check("soit v = leviers contient Vélo\n");
  REQUIRE(has_code(c.diagnostics, "E0101"));
  CHECK(find_code(c.diagnostics, "E0101").hint.find("« \"Vélo\" »") != std::string::npos);
}

TEST_CASE("check: a rule set without a schema gets E0303", "[check][names]") {
  CHECK(has_code(compile("soit v = 1\n").diagnostics, "E0303"));
}

TEST_CASE("check: an unknown table column gets E0107", "[check][names]") {
  const Compilation c = check("soit v = levier est renseigné et levier.secteu = \"x\"\n");
  REQUIRE(has_code(c.diagnostics, "E0107"));
  CHECK(find_code(c.diagnostics, "E0107").hint.find("secteur") != std::string::npos);
}

// ----------------------------------------------------------- optional guards

TEST_CASE("check: `x = v` is allowed on an optional value and false when missing",
          "[check][guards]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit a = maturite = avant_projet\n"
                          "soit b = impact = oui\n"
                          "soit e = n = 3\n"
                          "soit f = maturite dans {idee, travaux}\n");
  const auto& g = *c.graph;
  const auto empty = record_of(g, {});
  CHECK_FALSE(eval_bool(c, "a", empty));
  CHECK_FALSE(eval_bool(c, "b", empty));
  CHECK_FALSE(eval_bool(c, "e", empty));
  CHECK_FALSE(eval_bool(c, "f", empty));
  const auto full = record_of(g, {{"maturite", Value::of_id(1)},
                                  {"impact", Value::of_bool(true)},
                                  {"n", Value::of_integer(3)}});
  CHECK(eval_bool(c, "a", full));
  CHECK(eval_bool(c, "b", full));
  CHECK(eval_bool(c, "e", full));
  CHECK_FALSE(eval_bool(c, "f", full));
}

TEST_CASE("check: `≠` on an optional value needs a guard", "[check][guards]") {
  const Compilation c = check("soit v = maturite ≠ idee\n");
  REQUIRE(has_code(c.diagnostics, "E0202"));
  const auto& d = find_code(c.diagnostics, "E0202");
  CHECK(d.message.find("Maturite?") != std::string::npos);
  CHECK(d.hint.find("est renseigné") != std::string::npos);
}

TEST_CASE("check: `pas dans` on an optional value needs a guard", "[check][guards]") {
  CHECK(has_code(check("soit v = maturite pas dans {idee}\n").diagnostics, "E0202"));
}

TEST_CASE("check: ordering comparisons on an optional value need a guard", "[check][guards]") {
  CHECK(has_code(check("soit v = n < 3\n").diagnostics, "E0202"));
  CHECK(has_code(check("soit v = 3 ≥ n\n").diagnostics, "E0202"));
  CHECK(has_code(check("soit v = montant > 0.5\n").diagnostics, "E0202"));
}

TEST_CASE("check: arithmetic on an optional value needs a guard", "[check][guards]") {
  CHECK(has_code(check("soit v = n + 1\n").diagnostics, "E0202"));
  CHECK(has_code(check("soit v = id * montant\n").diagnostics, "E0202"));
  CHECK(check("soit v = - n\n").diagnostics.has_errors());
}

TEST_CASE("check: an optional boolean used as a condition needs a guard", "[check][guards]") {
  CHECK(has_code(check("soit v = impact et vrai\n").diagnostics, "E0202"));
  CHECK(has_code(check("soit v = faux ou impact\n").diagnostics, "E0202"));
  CHECK(has_code(check("soit v = non impact\n").diagnostics, "E0202"));
  CHECK(has_code(check("décision d : Maturite { règle \"R\" si impact alors idee sinon travaux }\n")
                     .diagnostics,
                 "E0202"));
}

TEST_CASE("check: `x est renseigné et …` narrows x in what follows", "[check][guards]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit a = n est renseigné et n > 3\n"
                          "soit b = impact est renseigné et impact\n"
                          "soit c = n est renseigné et montant est renseigné et n + montant > 3\n"
                          "soit d = n est renseigné et (vrai et n > 3)\n"
                          "soit e = maturite est renseigné et maturite ≠ idee\n");
  const auto& g = *c.graph;
  CHECK_FALSE(eval_bool(c, "a", record_of(g, {})));
  CHECK(eval_bool(c, "a", record_of(g, {{"n", Value::of_integer(4)}})));
  CHECK_FALSE(eval_bool(c, "e", record_of(g, {})));
  CHECK(eval_bool(c, "e", record_of(g, {{"maturite", Value::of_id(2)}})));
}

TEST_CASE("check: `x n'est pas renseigné ou …` narrows x in what follows", "[check][guards]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit a = n n'est pas renseigné ou n > 3\n"
                          "soit b = impact n’est pas renseigné ou impact\n");
  const auto& g = *c.graph;
  CHECK(eval_bool(c, "a", record_of(g, {})));
  CHECK_FALSE(eval_bool(c, "a", record_of(g, {{"n", Value::of_integer(2)}})));
  CHECK(eval_bool(c, "a", record_of(g, {{"n", Value::of_integer(5)}})));
}

TEST_CASE("check: a guard narrows only in the right direction and only afterwards",
          "[check][guards]") {
  CHECK(has_code(check("soit v = n est renseigné ou n > 3\n").diagnostics, "E0202"));
  CHECK(has_code(check("soit v = n n'est pas renseigné et n > 3\n").diagnostics, "E0202"));
  CHECK(has_code(check("soit v = n > 3 et n est renseigné\n").diagnostics, "E0202"));
  CHECK(has_code(check("soit v = montant est renseigné et n > 3\n").diagnostics, "E0202"));
}

TEST_CASE("check: a guard in parentheses or under `non` narrows as if written flat",
          "[check][guards]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit a = (n est renseigné et montant est renseigné) et n + montant > 3\n"
                          "soit b = non (n n'est pas renseigné) et n > 3\n"
                          "soit d = (n n'est pas renseigné ou impact n'est pas renseigné) ou "
                          "(n > 3 et impact)\n"
                          "soit e = non (n est renseigné) ou n > 3\n"
                          "soit f = vrai et (vrai et (n est renseigné et vrai)) et n > 3\n");
  const auto& g = *c.graph;
  const auto none = record_of(g, {});
  const auto n5 = record_of(g, {{"n", Value::of_integer(5)}});
  const auto n1 = record_of(g, {{"n", Value::of_integer(1)}});
  const auto both = record_of(g, {{"n", Value::of_integer(5)}, {"montant", Value::of_decimal(0)}});
  const auto n5_yes = record_of(g, {{"n", Value::of_integer(5)}, {"impact", Value::of_bool(true)}});
  CHECK_FALSE(eval_bool(c, "a", none));
  CHECK_FALSE(eval_bool(c, "a", n5));  // montant missing: the guard fails first
  CHECK(eval_bool(c, "a", both));
  CHECK_FALSE(eval_bool(c, "b", none));
  CHECK(eval_bool(c, "b", n5));
  CHECK(eval_bool(c, "d", none));
  CHECK(eval_bool(c, "d", n5));  // impact missing
  CHECK(eval_bool(c, "d", n5_yes));
  CHECK(eval_bool(c, "e", none));
  CHECK_FALSE(eval_bool(c, "e", n1));
  CHECK(eval_bool(c, "f", n5));
  CHECK_FALSE(eval_bool(c, "f", none));
}

TEST_CASE("check: a guard in parentheses narrows only what it proves", "[check][guards]") {
  // An `ou` that holds, or an `et` that fails, says nothing of its operands.
  CHECK(
      has_code(check("soit v = (n est renseigné ou montant est renseigné) et n > 3\n").diagnostics,
               "E0202"));
  CHECK(has_code(check("soit v = (n est renseigné et vrai) ou n > 3\n").diagnostics, "E0202"));
  CHECK(has_code(check("soit v = non (n est renseigné) et n > 3\n").diagnostics, "E0202"));
  CHECK(has_code(check("soit v = non (n n'est pas renseigné) ou n > 3\n").diagnostics, "E0202"));
  CHECK(has_code(check("soit v = non (n est renseigné et vrai) et n > 3\n").diagnostics, "E0202"));
}

TEST_CASE("check: a guard does not leak into another definition or rule", "[check][guards]") {
  CHECK(has_code(check("soit a = n est renseigné et vrai\nsoit b = a et n > 3\n").diagnostics,
                 "E0202"));
  CHECK(has_code(check("décision d : Maturite {\n"
                       "  règle \"R1\" si n est renseigné et n > 3 alors idee\n"
                       "  règle \"R2\" si n > 5 alors travaux\n"
                       "  sinon idee\n"
                       "}\n")
                     .diagnostics,
                 "E0202"));
}

TEST_CASE("check: a guard narrows an optional `soit` too", "[check][guards]") {
  TAMIS_COMPILE_OK(c, kPrelude + "soit m = n\nsoit v = m est renseigné et m > 3\n");
  CHECK(eval_bool(c, "v", record_of(*c.graph, {{"n", Value::of_integer(7)}})));
}

TEST_CASE("check: `par défaut` gives a present value", "[check][guards]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit a = (n par défaut 0) > 3\n"
                          "soit b = montant par défaut 0\n"
                          "soit c = impact par défaut non\n"
                          "soit d = c et a\n");
  const auto& g = *c.graph;
  CHECK(g.lets[let_index(g, "b")].type.base == tamis::graph::Base::Decimal);
  CHECK_FALSE(g.lets[let_index(g, "b")].type.optional);
  CHECK_FALSE(g.lets[let_index(g, "c")].type.optional);
  CHECK_FALSE(eval_bool(c, "a", record_of(g, {})));
  CHECK(eval_bool(c, "a", record_of(g, {{"n", Value::of_integer(9)}})));
  const Value b = eval_let(c, "b", record_of(g, {}));
  REQUIRE(b.present);
  CHECK(b.decimal == 0);
  CHECK_FALSE(eval_bool(c, "c", record_of(g, {})));
}

TEST_CASE("check: `par défaut` on a required value warns W0402", "[check][guards]") {
  const Compilation c = check("soit v = (id par défaut 0) > 1\n");
  CHECK_FALSE(c.diagnostics.has_errors());
  CHECK(has_code(c.diagnostics, "W0402"));
}

TEST_CASE("check: `par défaut` with an optional fallback needs a guard", "[check][guards]") {
  CHECK(has_code(check("soit v = n par défaut n\n").diagnostics, "E0202"));
}

TEST_CASE("check: `est renseigné` on a required value warns W0402", "[check][guards]") {
  const Compilation c = check("soit v = id est renseigné\n");
  CHECK_FALSE(c.diagnostics.has_errors());
  CHECK(has_code(c.diagnostics, "W0402"));
}

// ------------------------------------------------------------ enum values

TEST_CASE("check: enum values by name, label, alias and qualified name", "[check][enum]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit by_name = maturite = avant_projet\n"
                          "soit by_label = maturite = \"Avant-projet\"\n"
                          "soit by_label_folded = maturite = \"AVANT-PROJET\"\n"
                          "soit by_alias = maturite = \"avp\"\n"
                          "soit qualified = maturite = Maturite.avant_projet\n"
                          "soit in_set = maturite dans {\"Idée\", avant_projet, Maturite.travaux}\n"
                          "soit other = maturite = Maturite.idee\n");
  const auto& g = *c.graph;
  const auto record = record_of(g, {{"maturite", Value::of_id(1)}});
  for (const char* name :
       {"by_name", "by_label", "by_label_folded", "by_alias", "qualified", "in_set"}) {
    INFO(name);
    CHECK(eval_bool(c, name, record));
  }
  CHECK_FALSE(eval_bool(c, "other", record));
}

TEST_CASE("check: an unknown enum label gets E0103 with the closest label", "[check][enum]") {
  const Compilation c = check("soit v = maturite = \"Avant projt\"\n");
  REQUIRE(has_code(c.diagnostics, "E0103"));
  const auto& d = find_code(c.diagnostics, "E0103");
  CHECK(d.message.find("Maturite") != std::string::npos);
  CHECK(d.hint.find("Avant-projet") != std::string::npos);
}

TEST_CASE("check: an unknown qualified enum value gets E0103", "[check][enum]") {
  const Compilation c = check("soit v = maturite = Maturite.travau\n");
  REQUIRE(has_code(c.diagnostics, "E0103"));
  CHECK(find_code(c.diagnostics, "E0103").hint.find("travaux") != std::string::npos);
}

TEST_CASE("check: an unknown bare enum value gets E0103", "[check][enum]") {
  const Compilation c = check("soit v = maturite = idée_neuve\n");
  CHECK(has_code(c.diagnostics, "E0103"));
}

TEST_CASE("check: a label shared by two enum values gets E0106", "[check][enum]") {
  const Compilation c = compile(
      "énumération E { a \"A\" alias \"x\"  b \"B\" alias \"X\" }\n"
      "schéma D { id : entier colonne \"ID\" }\n");
  CHECK(has_code(c.diagnostics, "E0106"));
}

// ------------------------------------------------------------- table rows

TEST_CASE("check: table rows by key and alias, case and accents ignored", "[check][table]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit by_key = levier = \"Vélo\"\n"
                          "soit folded = levier = \"VELO\"\n"
                          "soit accents = levier = \"electricite   RENOUVELABLE\"\n"
                          "soit by_alias = levier = \"ELECTRICITE verte\"\n"
                          "soit has_tc = leviers contient \"transports EN commun\"\n");
  const auto& g = *c.graph;
  const auto velo = row_index(g, "Levier", "Vélo");
  const auto elec = row_index(g, "Levier", "Électricité renouvelable");
  const auto tc = row_index(g, "Levier", "Transports en commun");
  CHECK(eval_bool(c, "by_key", record_of(g, {{"levier", Value::of_id(velo)}})));
  CHECK(eval_bool(c, "folded", record_of(g, {{"levier", Value::of_id(velo)}})));
  CHECK_FALSE(eval_bool(c, "folded", record_of(g, {{"levier", Value::of_id(elec)}})));
  CHECK(eval_bool(c, "accents", record_of(g, {{"levier", Value::of_id(elec)}})));
  CHECK(eval_bool(c, "by_alias", record_of(g, {{"levier", Value::of_id(elec)}})));
  std::uint64_t word = std::uint64_t{1} << tc;
  CHECK(eval_bool(c, "has_tc", record_of(g, {{"leviers", Value::of_words(&word, 1)}})));
}

TEST_CASE("check: an alias shared by two rows gives both rows inside a set literal",
          "[check][table]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit modal : ensemble de Levier = {\"report modal\"}\n"
                          "soit mixte : ensemble de Levier = {\"Report modal\", \"Électricité "
                          "renouvelable\"}\n"
                          "soit dedans = levier dans {\"Report modal\"}\n");
  const auto& g = *c.graph;
  const auto velo = row_index(g, "Levier", "Vélo");
  const auto tc = row_index(g, "Levier", "Transports en commun");
  const auto elec = row_index(g, "Levier", "Électricité renouvelable");
  CHECK(bits_of(eval_let(c, "modal", record_of(g, {}))) == std::vector<std::uint32_t>{velo, tc});
  CHECK(bits_of(eval_let(c, "mixte", record_of(g, {}))) ==
        std::vector<std::uint32_t>{velo, tc, elec});
  CHECK(eval_bool(c, "dedans", record_of(g, {{"levier", Value::of_id(tc)}})));
  CHECK_FALSE(eval_bool(c, "dedans", record_of(g, {{"levier", Value::of_id(elec)}})));
}

TEST_CASE("check: an alias shared by two rows is an error as a single value", "[check][table]") {
  const Compilation c = check("soit v = levier = \"Report modal\"\n");
  REQUIRE(has_code(c.diagnostics, "E0201"));
  const auto& d = find_code(c.diagnostics, "E0201");
  CHECK(d.message.find("plusieurs lignes") != std::string::npos);
  CHECK(d.message.find("Vélo") != std::string::npos);
  CHECK(d.message.find("Transports en commun") != std::string::npos);
  CHECK(has_code(check("soit v = leviers contient \"report modal\"\n").diagnostics, "E0201"));
}

TEST_CASE("check: an unknown row label gets E0102 with the closest label", "[check][table]") {
  const Compilation c = check("soit v = levier = \"Vélos\"\n");
  REQUIRE(has_code(c.diagnostics, "E0102"));
  CHECK(find_code(c.diagnostics, "E0102").hint.find("Vélo") != std::string::npos);
}

TEST_CASE("check: a table key that is another row's alias gets E0305", "[check][table]") {
  const Compilation c = compile(
      "table T (c : texte) { \"A\" alias \"B\" | \"x\"  \"B\" | \"y\" }\n"
      "schéma D { id : entier colonne \"ID\" }\n");
  CHECK(has_code(c.diagnostics, "E0305"));
}

TEST_CASE("check: a table row with the wrong number of cells gets E0304", "[check][table]") {
  const Compilation c = compile(
      "table T (c : texte, d : entier) { \"A\" | \"x\" }\n"
      "schéma D { id : entier colonne \"ID\" }\n");
  CHECK(has_code(c.diagnostics, "E0304"));
}

TEST_CASE("check: a column written twice is one error, not one per row", "[check][table]") {
  const Compilation c = compile(
      "table T (c : texte, c : texte, d : entier) {\n  \"A\" | \"x\" | 1\n  \"B\" | \"y\" | 2\n"
      "  \"C\" | \"z\"\n}\n"
      "schéma D { id : entier colonne \"ID\" }\n");
  INFO(render_all(c));
  CHECK(count_code(c.diagnostics, "E0105") == 1);
  // Rows A and B fit the header without its duplicate; C fits neither.
  CHECK(count_code(c.diagnostics, "E0304") == 1);
}

TEST_CASE("check: member access on an optional row needs a guard", "[check][table]") {
  CHECK(has_code(check("soit v = levier.secteur = \"x\"\n").diagnostics, "E0202"));
  TAMIS_COMPILE_OK(c, kPrelude + "soit v = levier est renseigné et levier.secteur = \"Énergie\"\n");
}

// ------------------------------------------------------- cycles, decisions

TEST_CASE("check: a cycle between two definitions is reported as a → b → a", "[check][cycle]") {
  const Compilation c = check("soit a = b et vrai\nsoit b = non a\n");
  REQUIRE(has_code(c.diagnostics, "E0301"));
  const auto& d = find_code(c.diagnostics, "E0301");
  CHECK(d.message.find("a → b → a") != std::string::npos);
  CHECK(d.notes.size() == 1);
}

TEST_CASE("check: a definition using itself is a cycle", "[check][cycle]") {
  const Compilation c = check("soit a = non a\n");
  REQUIRE(has_code(c.diagnostics, "E0301"));
  CHECK(find_code(c.diagnostics, "E0301").message.find("a → a") != std::string::npos);
}

TEST_CASE("check: a cycle through a decision is reported", "[check][cycle]") {
  const Compilation c = check(
      "soit mature = d = idee\n"
      "décision d : Maturite { règle \"R\" si mature alors idee sinon travaux }\n");
  REQUIRE(has_code(c.diagnostics, "E0301"));
  const auto& m = find_code(c.diagnostics, "E0301").message;
  CHECK(m.find("mature → d → mature") != std::string::npos);
}

TEST_CASE("check: a decision without `sinon` gets E0302", "[check][decision]") {
  const Compilation c = check("décision d : Maturite { règle \"R\" si vrai alors idee }\n");
  REQUIRE(has_code(c.diagnostics, "E0302"));
  CHECK(find_code(c.diagnostics, "E0302").message.find("« d »") != std::string::npos);
}

TEST_CASE("check: a `toutes` decision needs no `sinon` and has a set type", "[check][decision]") {
  TAMIS_COMPILE_OK(c,
                   kPrelude + "décision d : Maturite toutes { règle \"R\" si vrai alors idee }\n");
  const auto& d = c.graph->decisions[0];
  CHECK(d.type.set);
  CHECK(d.type.base == tamis::graph::Base::Enum);
  CHECK(d.policy == tamis::graph::HitPolicy::Collect);
}

TEST_CASE("check: two rules with the same name in a decision get E0105", "[check][decision]") {
  const Compilation c = check(
      "décision d : Maturite { règle \"R\" si vrai alors idee règle \"R\" si faux alors idee "
      "sinon travaux }\n");
  CHECK(has_code(c.diagnostics, "E0105"));
}

TEST_CASE("check: nom_regle needs a decision", "[check][decision]") {
  CHECK(has_code(check("sortie { \"x\" = nom_regle(id) }\n").diagnostics, "E0201"));
}

// --------------------------------------------------------------- warnings

TEST_CASE("check: an unused soit gets W0401, a used one does not", "[check][warnings]") {
  const Compilation c = check(
      "soit utilise = 1\n"
      "soit inutile = utilise + 1\n");
  CHECK_FALSE(c.diagnostics.has_errors());
  REQUIRE(count_code(c.diagnostics, "W0401") == 1);
  const auto& d = find_code(c.diagnostics, "W0401");
  CHECK(d.severity == tamis::Severity::Warning);
  CHECK(d.message.find("inutile") != std::string::npos);
}

TEST_CASE("check: a soit used only by an output is used", "[check][warnings]") {
  const Compilation c = check("soit v = id + 1\nsortie { \"v\" = v }\n");
  CHECK_FALSE(c.diagnostics.has_errors());
  CHECK_FALSE(has_code(c.diagnostics, "W0401"));
}

TEST_CASE("check: diagnostics are sorted by position", "[check]") {
  const Compilation c = check("soit b = n < 3\nsoit a = inconnu\n");
  REQUIRE(c.diagnostics.all().size() >= 2);
  for (std::size_t i = 1; i < c.diagnostics.all().size(); ++i) {
    CHECK(c.diagnostics.all()[i - 1].range.line <= c.diagnostics.all()[i].range.line);
  }
}
