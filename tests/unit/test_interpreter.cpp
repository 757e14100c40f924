// Evaluation of the rule graph for one record at a time.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "runtime/eval/arena.hpp"
#include "runtime/eval/interpreter.hpp"
#include "runtime/eval/program.hpp"
#include "runtime/testing/test_runner.hpp"
#include "support/lang.hpp"
#include "support/text.hpp"

using tamis::Compilation;
using tamis::graph::Value;
using tamis::runtime::Interpreter;
using tamis::runtime::Record;
using tamis::testing::bits_of;
using tamis::testing::decision_index;
using tamis::testing::enum_value;
using tamis::testing::let_index;
using tamis::testing::output_node;
using tamis::testing::record_of;
using tamis::testing::row_index;
using tamis::testing::texts_of;

namespace {

const std::string kPrelude = R"(
énumération Cat { a "Catégorie A"  b "Catégorie B"  c "Catégorie C" }
énumération Axe { climat "Climat"  sante "Santé"  eau "Eau" }
table Levier (secteur : texte?, axes : ensemble de Axe, principal : Axe?) {
  "Vélo"        | "Transports" | {climat, sante} | "Santé"
  "Bus"         | "Transports" | {climat}         | "Climat"
  "Eau potable" | "Eau"        | {eau}            | vide
  "Divers"      | vide         | {}               | vide
}
schéma D {
  id      : entier             colonne "ID"
  n       : entier             colonne "N"
  m       : entier             colonne "M"
  x       : décimal            colonne "X"
  leviers : ensemble de Levier colonne "Leviers"
  cat     : Cat?               colonne "Cat"
  jour    : date?              colonne "Jour"
}
)";

// A bitset of table rows, kept alive by the test.
struct Rows {
  std::vector<std::uint64_t> words;
  Rows(const tamis::graph::RuleGraph& g, std::initializer_list<const char*> keys)
      : words(tamis::graph::words_for(g.tables[0].rows.size()), 0) {
    for (const char* k : keys) {
      const auto r = row_index(g, "Levier", k);
      words[r / 64] |= std::uint64_t{1} << (r % 64);
    }
  }
  Value value() const {
    return Value::of_words(words.data(), static_cast<std::uint32_t>(words.size()));
  }
};

// A record with the required fields set (n, m, x given), leviers empty unless given.
Record base_record(const tamis::graph::RuleGraph& g, std::int64_t n, std::int64_t m,
                   std::string_view x, const Rows& leviers) {
  return record_of(g, {{"id", Value::of_integer(1)},
                       {"n", Value::of_integer(n)},
                       {"m", Value::of_integer(m)},
                       {"x", tamis::testing::decimal_of(x)},
                       {"leviers", leviers.value()}});
}

Value eval_let(Interpreter& in, const tamis::graph::RuleGraph& g, const std::string& name) {
  return in.evaluate(g.lets[let_index(g, name)].root);
}

std::string show(const tamis::graph::RuleGraph& g, const Value& v, const std::string& let) {
  return tamis::runtime::format_value(g, g.lets[let_index(g, let)].type, v);
}

}  // namespace

TEST_CASE("interpreter: `et` and `ou` short-circuit", "[interpreter]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit f = faux et (1 / 0 > 0)\n"
                          "soit t = vrai ou (n / 0 > 0)\n"
                          "soit chain = n > 100 et m > 100 et (n / m > 0)\n");
  const auto& g = *c.graph;
  const Rows none(g, {});
  const Record r = base_record(g, 1, 0, "0", none);
  Interpreter in(g);
  in.load(r);
  const Value f = eval_let(in, g, "f");
  REQUIRE(f.present);
  CHECK_FALSE(f.boolean);
  const Value t = eval_let(in, g, "t");
  REQUIRE(t.present);
  CHECK(t.boolean);
  CHECK_FALSE(eval_let(in, g, "chain").boolean);
  CHECK(in.error().empty());
}

TEST_CASE("interpreter: division by zero in an evaluated branch sets error()", "[interpreter]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit q = n / m\n"
                          "soit cond = vrai et (n / m > 0)\n"
                          "soit dq = x / 0.0\n");
  const auto& g = *c.graph;
  const Rows none(g, {});
  Interpreter in(g);
  const Record r = base_record(g, 7, 0, "1.5", none);
  in.load(r);
  CHECK(in.error().empty());
  eval_let(in, g, "cond");
  CHECK(in.error().find("division par zéro") != std::string::npos);

  // A new record clears the error.
  const Record ok = base_record(g, 7, 2, "1.5", none);
  in.load(ok);
  const Value q = eval_let(in, g, "q");
  CHECK(in.error().empty());
  REQUIRE(q.present);
  CHECK(tamis::testing::decimal_text(q) ==
        "3.5");  // `/` gives a decimal, never an integer division

  in.load(ok);
  eval_let(in, g, "dq");
  CHECK_FALSE(in.error().empty());
}

TEST_CASE("interpreter: what can fail once the decisions are decided", "[interpreter]") {
  // Arithmetic, division and negation can, directly or through definitions; tests,
  // sets, table columns and decisions (decided before, failing then if at all) cannot.
  TAMIS_COMPILE_OK(c, kPrelude +
                          "décision d : Cat { règle \"R\" si n / m > 1 alors a  sinon b }\n"
                          "soit somme = n + m\n"
                          "soit via = somme > 3 et cat dans {a, b}\n"
                          "soit oppose = -n\n"
                          "soit ratio = x / 2.0\n"
                          "soit axes = leviers.axes\n"
                          "soit teste = d dans {a} ou (cat est renseigné et n > 2)\n"
                          "soit nb = nombre(leviers.axes) >= 2\n");
  const auto& g = *c.graph;
  const auto may_fail = [&](const char* let) {
    return tamis::runtime::may_fail_after_decisions(g, g.lets[let_index(g, let)].root);
  };
  CHECK(may_fail("somme"));
  CHECK(may_fail("via"));
  CHECK(may_fail("oppose"));
  CHECK(may_fail("ratio"));
  CHECK_FALSE(may_fail("axes"));
  CHECK_FALSE(may_fail("teste"));
  CHECK_FALSE(may_fail("nb"));
  CHECK_FALSE(tamis::runtime::may_fail_after_decisions(g, tamis::graph::kNoNode));
}

TEST_CASE("interpreter: integer overflow is an error, not undefined behaviour", "[interpreter]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit plus = n + m\n"
                          "soit moins = n - m\n"
                          "soit fois = n * m\n"
                          "soit oppose = - n\n"
                          "soit litteral = 9223372036854775807 + 1\n");
  const auto& g = *c.graph;
  const Rows none(g, {});
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  Interpreter in(g);
  struct Case {
    const char* let;
    std::int64_t n, m;
  };
  for (const Case& k :
       {Case{"plus", kMax, 1}, Case{"moins", kMin, 1}, Case{"fois", kMax / 2 + 1, 2},
        Case{"fois", kMin, -1}, Case{"oppose", kMin, 0}, Case{"litteral", 0, 0}}) {
    INFO(k.let << " " << k.n << " " << k.m);
    const Record r = base_record(g, k.n, k.m, "0", none);
    in.load(r);
    const Value v = eval_let(in, g, k.let);
    CHECK_FALSE(v.present);
    CHECK(in.error().find("dépassement") != std::string::npos);
  }
  // Just inside the range is fine.
  const Record edge = base_record(g, kMax - 1, 1, "0", none);
  in.load(edge);
  const Value v = eval_let(in, g, "plus");
  CHECK(in.error().empty());
  REQUIRE(v.present);
  CHECK(v.integer == kMax);
}

TEST_CASE("interpreter: hit policy `première` takes the first rule that applies",
          "[interpreter][decision]") {
  TAMIS_COMPILE_OK(c, kPrelude + R"(
décision d : Cat première {
  règle "R1" si n > 10 alors a
  règle "R2" si n > 5 alors b
  sinon "R3 reste" alors c
}
sortie { "d" = d  "regle" = nom_regle(d) }
)");
  const auto& g = *c.graph;
  const Rows none(g, {});
  const auto d = decision_index(g, "d");
  Interpreter in(g);
  struct Case {
    std::int64_t n;
    const char* value;
    std::int32_t rule;
    const char* name;
  };
  for (const Case& k : {Case{20, "a", 0, "R1"}, Case{7, "b", 1, "R2"},
                        Case{1, "c", tamis::runtime::kFallbackRule, "R3 reste"}}) {
    INFO(k.n);
    const Record r = base_record(g, k.n, 0, "0", none);
    in.load(r);
    const auto& out = in.decide(d);
    CHECK(out.rule == k.rule);
    CHECK(tamis::runtime::format_value(g, g.decisions[d].type, out.value) == k.value);
    CHECK(in.evaluate(output_node(g, "regle")).as_text() == k.name);
    CHECK(in.error().empty());
  }
}

TEST_CASE("interpreter: hit policy `unique` reports two rules that apply, naming both",
          "[interpreter][decision]") {
  // `n + 0`: arithmetic the static analysis only says « may overlap » about (W0604),
  // so the overlap reaches the run-time check this test is about.
  TAMIS_COMPILE_OK(c, kPrelude + R"(
décision d : Cat unique {
  règle "Grand" si n + 0 > 10 alors a
  règle "Moyen" si n + 0 > 5 alors b
  règle "Petit" si n + 0 < 0 alors b
  sinon c
}
)");
  const auto& g = *c.graph;
  const Rows none(g, {});
  const auto d = decision_index(g, "d");
  Interpreter in(g);

  const Record one = base_record(g, 7, 0, "0", none);
  in.load(one);
  CHECK(in.decide(d).rule == 1);
  CHECK(in.decide(d).value.id == enum_value(g, "Cat", "b"));
  CHECK(in.error().empty());

  const Record two = base_record(g, 20, 0, "0", none);
  in.load(two);
  const auto& out = in.decide(d);
  CHECK(out.rule == 0);
  CHECK(out.conflicting_rule == 1);
  const std::string& e = in.error();
  CHECK(e.find("« Grand »") != std::string::npos);
  CHECK(e.find("« Moyen »") != std::string::npos);
  CHECK(e.find("« d »") != std::string::npos);

  const Record none_applies = base_record(g, 1, 0, "0", none);
  in.load(none_applies);
  CHECK(in.decide(d).rule == tamis::runtime::kFallbackRule);
  CHECK(in.decide(d).value.id == enum_value(g, "Cat", "c"));
  CHECK(in.error().empty());
}

TEST_CASE("interpreter: hit policy `toutes` collects every result", "[interpreter][decision]") {
  TAMIS_COMPILE_OK(c, kPrelude + R"(
décision tout : Cat toutes {
  règle "A" si n > 10 alors a
  règle "B" si n > 5 alors b
  règle "A bis" si n > 0 alors a
}
décision repli : Cat toutes {
  règle "A" si n > 10 alors a
  sinon c
}
)");
  const auto& g = *c.graph;
  const Rows none(g, {});
  const auto tout = decision_index(g, "tout");
  const auto repli = decision_index(g, "repli");
  const auto a = enum_value(g, "Cat", "a");
  const auto b = enum_value(g, "Cat", "b");
  const auto cc = enum_value(g, "Cat", "c");
  Interpreter in(g);

  const Record big = base_record(g, 20, 0, "0", none);
  in.load(big);
  CHECK(bits_of(in.decide(tout).value) == std::vector<std::uint32_t>{a, b});
  CHECK(in.decide(tout).rule == 0);
  CHECK(bits_of(in.decide(repli).value) == std::vector<std::uint32_t>{a});
  CHECK(tamis::runtime::format_value(g, g.decisions[tout].type, in.decide(tout).value) == "a | b");

  const Record small = base_record(g, -1, 0, "0", none);
  in.load(small);
  CHECK(in.decide(tout).value.present);
  CHECK(bits_of(in.decide(tout).value).empty());
  CHECK(in.decide(tout).rule == tamis::runtime::kNoRule);
  CHECK(bits_of(in.decide(repli).value) == std::vector<std::uint32_t>{cc});
  CHECK(in.decide(repli).rule == tamis::runtime::kFallbackRule);
  CHECK(in.error().empty());
}

TEST_CASE("interpreter: a member of a set of rows unions set columns", "[interpreter][table]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit axes = leviers.axes\n"
                          "soit principaux = leviers.principal\n");
  const auto& g = *c.graph;
  const auto climat = enum_value(g, "Axe", "climat");
  const auto sante = enum_value(g, "Axe", "sante");
  const auto eau = enum_value(g, "Axe", "eau");
  Interpreter in(g);

  const Rows some(g, {"Bus", "Eau potable", "Divers"});
  const Record r = base_record(g, 0, 0, "0", some);
  in.load(r);
  CHECK(bits_of(eval_let(in, g, "axes")) == std::vector<std::uint32_t>{climat, eau});
  // A scalar enum column is collected, its missing cells skipped.
  CHECK(bits_of(eval_let(in, g, "principaux")) == std::vector<std::uint32_t>{climat});

  const Rows all(g, {"Vélo", "Bus", "Eau potable", "Divers"});
  const Record r2 = base_record(g, 0, 0, "0", all);
  in.load(r2);
  CHECK(bits_of(eval_let(in, g, "axes")) == std::vector<std::uint32_t>{climat, sante, eau});
  CHECK(bits_of(eval_let(in, g, "principaux")) == std::vector<std::uint32_t>{climat, sante});
  CHECK(show(g, eval_let(in, g, "axes"), "axes") == "climat | sante | eau");

  const Rows none(g, {});
  const Record r3 = base_record(g, 0, 0, "0", none);
  in.load(r3);
  CHECK(bits_of(eval_let(in, g, "axes")).empty());
}

TEST_CASE("interpreter: a member of a set of rows collects distinct texts in row order",
          "[interpreter][table]") {
  TAMIS_COMPILE_OK(c, kPrelude + "soit secteurs = leviers.secteur\n");
  const auto& g = *c.graph;
  Interpreter in(g);
  const Rows all(g, {"Vélo", "Bus", "Eau potable", "Divers"});
  const Record r = base_record(g, 0, 0, "0", all);
  in.load(r);
  const Value v = eval_let(in, g, "secteurs");
  CHECK(texts_of(v) == std::vector<std::string>{"Transports", "Eau"});
  CHECK(show(g, v, "secteurs") == "Transports | Eau");

  const Rows divers(g, {"Divers"});
  const Record r2 = base_record(g, 0, 0, "0", divers);
  in.load(r2);
  CHECK(texts_of(eval_let(in, g, "secteurs")).empty());
}

TEST_CASE("interpreter: nombre() counts members of every kind of set", "[interpreter][builtin]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit nl = nombre(leviers)\n"
                          "soit na = nombre(leviers.axes)\n"
                          "soit ns = nombre(leviers.secteur)\n"
                          "soit nu = nombre(non_reconnus(leviers))\n"
                          "soit plusieurs = nombre(leviers) ≥ 2\n");
  const auto& g = *c.graph;
  Interpreter in(g);
  const Rows three(g, {"Vélo", "Bus", "Eau potable"});
  Record r = base_record(g, 0, 0, "0", three);
  r.unknown_labels[tamis::testing::field_index(g, "leviers")] = {"Tram", "Fusée"};
  in.load(r);
  CHECK(eval_let(in, g, "nl").integer == 3);
  CHECK(eval_let(in, g, "na").integer == 3);
  CHECK(eval_let(in, g, "ns").integer == 2);
  CHECK(eval_let(in, g, "nu").integer == 2);
  CHECK(eval_let(in, g, "plusieurs").boolean);
  CHECK(g.lets[let_index(g, "nl")].type.base == tamis::graph::Base::Integer);
}

TEST_CASE("interpreter: libelle() gives an enum label or a row key", "[interpreter][builtin]") {
  TAMIS_COMPILE_OK(c, kPrelude + R"(
décision d : Levier { règle "R" si n > 0 alors "Vélo" sinon "bus" }
sortie { "cat" = libelle(cat)  "levier" = libelle(d) }
)");
  const auto& g = *c.graph;
  Interpreter in(g);
  const Rows none(g, {});
  Record r = base_record(g, 1, 0, "0", none);
  r.fields[tamis::testing::field_index(g, "cat")] = Value::of_id(enum_value(g, "Cat", "b"));
  in.load(r);
  CHECK(in.evaluate(output_node(g, "cat")).as_text() == "Catégorie B");
  CHECK(in.evaluate(output_node(g, "levier")).as_text() == "Vélo");

  Record missing = base_record(g, 0, 0, "0", none);
  in.load(missing);
  CHECK_FALSE(in.evaluate(output_node(g, "cat")).present);
  CHECK(in.evaluate(output_node(g, "levier")).as_text() == "Bus");
}

TEST_CASE("interpreter: nom_regle() names the deciding rule or the fallback",
          "[interpreter][builtin]") {
  TAMIS_COMPILE_OK(c, kPrelude + R"(
décision d : Cat { règle "R1 grand" si n > 10 alors a  sinon c }
sortie { "regle" = nom_regle(d) }
)");
  const auto& g = *c.graph;
  Interpreter in(g);
  const Rows none(g, {});
  const Record big = base_record(g, 11, 0, "0", none);
  in.load(big);
  CHECK(in.evaluate(output_node(g, "regle")).as_text() == "R1 grand");
  const Record small = base_record(g, 1, 0, "0", none);
  in.load(small);
  CHECK(in.evaluate(output_node(g, "regle")).as_text() == "sinon");  // unnamed fallback
}

TEST_CASE("interpreter: a soit is computed once per record and again for the next record",
          "[interpreter][memo]") {
  TAMIS_COMPILE_OK(c,
                   kPrelude +
                       "soit double = n * 2\n"
                       "soit axes = leviers.axes\n"
                       "sortie { \"double\" = double  \"axes\" = axes  \"nb\" = nombre(axes) }\n");
  const auto& g = *c.graph;
  Interpreter in(g);
  const Rows velo(g, {"Vélo"});
  const Rows eau(g, {"Eau potable"});
  const Record r1 = base_record(g, 5, 0, "0", velo);
  const Record r2 = base_record(g, 21, 0, "0", eau);
  const auto node = output_node(g, "double");
  REQUIRE(g.nodes[node].op == tamis::graph::Op::Let);

  in.load(r1);
  CHECK(in.evaluate(node).integer == 10);
  CHECK(in.evaluate(node).integer == 10);
  const std::string axes1 = tamis::runtime::format_value(g, g.nodes[output_node(g, "axes")].type,
                                                         in.evaluate(output_node(g, "axes")));
  CHECK(axes1 == "climat | sante");
  CHECK(in.evaluate(output_node(g, "nb")).integer == 2);

  in.load(r2);
  CHECK(in.evaluate(node).integer == 42);
  const std::string axes2 = tamis::runtime::format_value(g, g.nodes[output_node(g, "axes")].type,
                                                         in.evaluate(output_node(g, "axes")));
  CHECK(axes2 == "eau");
  CHECK(in.evaluate(output_node(g, "nb")).integer == 1);

  in.load(r1);
  CHECK(in.evaluate(node).integer == 10);
}

TEST_CASE("interpreter: a decision is decided once per record", "[interpreter][memo]") {
  TAMIS_COMPILE_OK(c, kPrelude + R"(
décision d : Cat { règle "R" si n > 10 alors a  sinon c }
)");
  const auto& g = *c.graph;
  Interpreter in(g);
  const Rows none(g, {});
  const Record big = base_record(g, 11, 0, "0", none);
  const Record small = base_record(g, 1, 0, "0", none);
  in.load(big);
  const auto* first = &in.decide(0);
  CHECK(first->rule == 0);
  CHECK(&in.decide(0) == first);
  in.load(small);
  CHECK(in.decide(0).rule == tamis::runtime::kFallbackRule);
}

TEST_CASE("interpreter: `par défaut` and mixed integer/decimal arithmetic", "[interpreter]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit somme = n + x\n"
                          "soit cmp = x > n\n"
                          "soit egal = x = n\n"
                          "soit jour_ou = jour par défaut 2025-01-01\n"
                          "soit avant = (jour par défaut 2025-01-01) < 2025-06-01\n");
  const auto& g = *c.graph;
  Interpreter in(g);
  const Rows none(g, {});
  Record r = base_record(g, 2, 0, "2.5", none);
  in.load(r);
  CHECK(tamis::testing::decimal_text(eval_let(in, g, "somme")) == "4.5");
  CHECK(eval_let(in, g, "cmp").boolean);
  CHECK_FALSE(eval_let(in, g, "egal").boolean);
  CHECK(show(g, eval_let(in, g, "jour_ou"), "jour_ou") == "2025-01-01");
  CHECK(eval_let(in, g, "avant").boolean);

  Record later = base_record(g, 2, 0, "2.0", none);
  later.fields[tamis::testing::field_index(g, "jour")] =
      Value::of_date(tamis::text::days_from_civil(2025, 7, 14));
  in.load(later);
  CHECK(eval_let(in, g, "egal").boolean);
  CHECK(show(g, eval_let(in, g, "jour_ou"), "jour_ou") == "2025-07-14");
  CHECK_FALSE(eval_let(in, g, "avant").boolean);
}

// The plan runs a field tested against a constant without a call (Kind::FieldIn…):
// each such test, with the constant on either side and the field missing or present,
// gives what the general evaluation gives.
TEST_CASE("interpreter: tests of a field against a constant, either side, missing or present",
          "[interpreter]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit gauche = 3 < n\n"
                          "soit droite = n > 3\n"
                          "soit entier_decimal = n >= 2.5\n"
                          "soit decimal_gauche = 2.5 <= x\n"
                          "soit differents = 3 != n\n"
                          "soit cat_dans = cat dans {a, b}\n"
                          "soit cat_hors = cat est renseigné et cat pas dans {a, c}\n"
                          "soit cat_pas_c = cat est renseigné et cat != c\n"
                          "soit b_a_gauche = b = cat\n"
                          "soit c_a_gauche = cat est renseigné et c != cat\n"
                          "soit a_ou_b : ensemble de Cat = {a, b}\n"
                          "soit b_dans = b dans a_ou_b\n"
                          "soit c_hors = c pas dans a_ou_b\n"
                          "soit cat_connue = cat est renseigné\n"
                          "soit cat_inconnue = cat n'est pas renseigné\n"
                          "soit jour_avant = jour est renseigné et jour < 2025-06-01\n"
                          "soit jour_apres = jour est renseigné et 2025-06-01 <= jour\n"
                          "soit sans_levier = leviers est vide\n"
                          "soit un_levier = leviers n'est pas vide\n");
  const auto& g = *c.graph;
  Interpreter in(g);
  auto holds = [&](const char* let) {
    const Value v = eval_let(in, g, let);
    REQUIRE(v.present);
    return v.boolean;
  };

  // cat and jour missing, no lever.
  const Rows none(g, {});
  const Record missing = base_record(g, 3, 0, "2.5", none);
  in.load(missing);
  CHECK_FALSE(holds("gauche"));
  CHECK_FALSE(holds("droite"));
  CHECK(holds("entier_decimal"));
  CHECK(holds("decimal_gauche"));
  CHECK_FALSE(holds("differents"));
  CHECK_FALSE(holds("cat_dans"));
  CHECK_FALSE(holds("cat_hors"));
  CHECK_FALSE(holds("cat_pas_c"));
  CHECK_FALSE(holds("b_a_gauche"));
  CHECK_FALSE(holds("c_a_gauche"));
  CHECK_FALSE(holds("cat_connue"));
  CHECK(holds("cat_inconnue"));
  CHECK_FALSE(holds("jour_avant"));
  CHECK_FALSE(holds("jour_apres"));
  CHECK(holds("sans_levier"));
  CHECK_FALSE(holds("un_levier"));

  // cat and jour present, one lever.
  const Rows velo(g, {"Vélo"});
  Record present = base_record(g, 2, 0, "2.0", velo);
  present.fields[tamis::testing::field_index(g, "cat")] = Value::of_id(enum_value(g, "Cat", "b"));
  present.fields[tamis::testing::field_index(g, "jour")] =
      Value::of_date(tamis::text::days_from_civil(2025, 6, 1));
  in.load(present);
  CHECK_FALSE(holds("gauche"));
  CHECK_FALSE(holds("droite"));
  CHECK_FALSE(holds("entier_decimal"));
  CHECK_FALSE(holds("decimal_gauche"));
  CHECK(holds("differents"));
  CHECK(holds("cat_dans"));
  CHECK(holds("cat_hors"));
  CHECK(holds("cat_pas_c"));
  CHECK(holds("b_a_gauche"));  // a value name on the left takes its type from the right
  CHECK(holds("c_a_gauche"));
  CHECK(holds("b_dans"));  // and on the left of `dans`, from the set's type
  CHECK(holds("c_hors"));
  CHECK(holds("cat_connue"));
  CHECK_FALSE(holds("cat_inconnue"));
  CHECK_FALSE(holds("jour_avant"));
  CHECK(holds("jour_apres"));
  CHECK_FALSE(holds("sans_levier"));
  CHECK(holds("un_levier"));
  CHECK(in.error().empty());
}

TEST_CASE("interpreter: format_value spells values as in result files", "[interpreter][format]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit oui_ = n > 0\n"
                          "soit entier_ = n\n"
                          "soit dec = x\n"
                          "soit texte_ = \"a, b\"\n");
  const auto& g = *c.graph;
  Interpreter in(g);
  const Rows none(g, {});
  const Record r = base_record(g, -3, 0, "0.25", none);
  in.load(r);
  CHECK(show(g, eval_let(in, g, "oui_"), "oui_") == "non");
  CHECK(show(g, eval_let(in, g, "entier_"), "entier_") == "-3");
  CHECK(show(g, eval_let(in, g, "dec"), "dec") == "0.25");
  CHECK(show(g, eval_let(in, g, "texte_"), "texte_") == "a, b");
  CHECK(tamis::runtime::format_value(g, g.lets[0].type, Value::missing()).empty());
}

TEST_CASE("interpreter: decimal arithmetic is exact, as on paper", "[interpreter][decimal]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit somme : décimal = 0.1 + 0.2\n"
                          "soit egal = 0.1 + 0.2 = 0.3\n"
                          "soit triple = x * 3\n"
                          "soit triple_egal = x * 3 = 0.3\n"
                          "soit tiers = 1 / 3\n"
                          "soit cout = x + 1234.4\n"
                          "soit plus_que_n = x > n\n");
  const auto& g = *c.graph;
  Interpreter in(g);
  const Rows none(g, {});
  const Record r = base_record(g, 0, 0, "0.1", none);
  in.load(r);
  CHECK(show(g, eval_let(in, g, "somme"), "somme") == "0.3");
  CHECK(eval_let(in, g, "egal").boolean);
  CHECK(show(g, eval_let(in, g, "triple"), "triple") == "0.3");
  CHECK(eval_let(in, g, "triple_egal").boolean);
  CHECK(show(g, eval_let(in, g, "tiers"), "tiers") == "0.333333");
  CHECK(show(g, eval_let(in, g, "cout"), "cout") == "1234.5");
  CHECK(eval_let(in, g, "plus_que_n").boolean);
  CHECK(in.error().empty());
}

TEST_CASE("interpreter: an evaluation error names the definition and its file:line",
          "[interpreter]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit ratio = n / m\n"
                          "soit grand = n * n\n"
                          "décision d : Cat {\n"
                          "  règle \"R\" si ratio > 1 alors a\n"
                          "  sinon b\n"
                          "}\n");
  const auto& g = *c.graph;
  const Rows none(g, {});
  const auto line = std::count(kPrelude.begin(), kPrelude.end(), '\n') + 1;
  Interpreter in(g);
  const Record zero = base_record(g, 7, 0, "1.5", none);
  in.load(zero);
  in.decide(decision_index(g, "d"));
  CHECK(in.error() == fmt::format("division par zéro dans « ratio » (test.tamis:{})", line));

  const Record big = base_record(g, INT64_MAX, 1, "1.5", none);
  tamis::set_lang(tamis::Lang::En);
  in.load(big);
  eval_let(in, g, "grand");
  const std::string english = in.error();
  in.load(zero);
  in.decide(decision_index(g, "d"));
  const std::string english_division = in.error();
  tamis::set_lang(tamis::Lang::Fr);
  CHECK(english ==
        fmt::format("integer overflow in a calculation in 'grand' (test.tamis:{})", line + 1));
  CHECK(english_division == fmt::format("division by zero in 'ratio' (test.tamis:{})", line));
}

TEST_CASE("interpreter: a decimal leaving its range rejects the dossier",
          "[interpreter][decimal]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit produit = x * x\n"
                          "soit oppose = -x\n"
                          "soit n_decimal : décimal = n\n"
                          "soit n_plus = n + 0.5\n");
  const auto& g = *c.graph;
  const Rows none(g, {});
  Interpreter in(g);
  const auto overflows = [&](std::int64_t n, std::string_view x, const char* let) {
    const Record r = base_record(g, n, 0, x, none);
    in.load(r);
    eval_let(in, g, let);
    return in.error().starts_with("dépassement de capacité dans un calcul décimal dans « ");
  };
  CHECK(overflows(0, "10000000", "produit"));
  CHECK_FALSE(overflows(0, "3000000", "produit"));
  CHECK(overflows(0, "-9223372036854.775808", "oppose"));
  CHECK(overflows(9'223'372'036'855, "0", "n_decimal"));
  CHECK_FALSE(overflows(9'223'372'036'854, "0", "n_decimal"));
  CHECK(overflows(INT64_MAX, "0", "n_plus"));
}

TEST_CASE("tests beside the rules compare decimals exactly", "[interpreter][decimal][test]") {
  TAMIS_COMPILE_OK(c, kPrelude +
                          "soit taux_etat \"part de l'État\" : décimal = 0.1 + 0.2\n"
                          "soit part = x + 0.2\n"
                          "test \"taux\" { id = 1  n = 1  m = 1  x = \"0,1\"\n"
                          "  attendu taux_etat = 0.3  attendu part = 0.3 }\n");
  const auto results = tamis::runtime::run_tests(*c.graph);
  REQUIRE(results.size() == 1);
  CHECK(results[0].failures == std::vector<std::string>{});
}

TEST_CASE("a failing expectation names its line, and an enumeration value's label",
          "[interpreter][test]") {
  const std::size_t prelude_lines =
      static_cast<std::size_t>(std::count(kPrelude.begin(), kPrelude.end(), '\n'));
  TAMIS_COMPILE_OK(c,
                   kPrelude +
                       "décision categorie : Cat première {\n"
                       "  règle \"R1\" si n > 1 alors b\n"
                       "  sinon \"R2\" alors a\n"
                       "}\n"
                       "test \"petit\" { id = 1  n = 1  m = 1  x = \"1\"  cat = \"Catégorie A\"\n"
                       "  attendu categorie = b par \"R1\"\n"
                       "  attendu cat = a\n"
                       "  attendu n = 2 }\n");
  const auto results = tamis::runtime::run_tests(*c.graph);
  REQUIRE(results.size() == 1);
  const std::size_t line = prelude_lines + 6;  // « attendu categorie = b par "R1" »
  CHECK(
      results[0].failures ==
      std::vector<std::string>{
          fmt::format("ligne {}, categorie : règle attendue « R1 », règle appliquée « R2 »", line),
          fmt::format("ligne {}, categorie : attendu « b » (Catégorie B), obtenu « a » "
                      "(Catégorie A)",
                      line),
          fmt::format("ligne {}, n : attendu « 2 », obtenu « 1 »", line + 2)});
}

// Arena::reset: nothing to do when the record allocated nothing, else every chunk
// used is emptied; either way the next record's scratch starts at the first chunk again.
TEST_CASE("arena: reset reuses the first chunk, after one chunk or several",
          "[interpreter][arena]") {
  tamis::runtime::Arena<std::uint64_t> arena;
  arena.reset();  // no chunk yet
  std::uint64_t* const first = arena.allocate(10);
  first[0] = 7;
  arena.reset();  // the usual case: the first chunk alone was used
  CHECK(arena.allocate(10) == first);
  CHECK(first[0] == 0);  // allocate() value-initialises
  arena.reset();
  CHECK(arena.allocate(4000) == first);
  std::uint64_t* const second = arena.allocate(200);  // does not fit: the next chunk
  CHECK(second != first + 4000);
  arena.reset();  // two chunks used
  CHECK(arena.allocate(200) == first);
  CHECK(arena.allocate(4000) == second);  // the first is full again: the second, emptied
  arena.reset();
  CHECK(arena.allocate_for_writing(1) == first);
  // A record that allocated nothing: reset() has nothing to empty, the next starts at the
  // first chunk still (reset() tests only whether anything was allocated).
  CHECK(arena.allocate(4000) == first + 1);
  CHECK(arena.allocate(200) == second);
  arena.reset();
  arena.reset();
  CHECK(arena.allocate(4000) == first);
  CHECK(arena.allocate(200) == second);
}
