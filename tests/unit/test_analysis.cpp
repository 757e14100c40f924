// The static rule analysis: the propositional form, the solver and its budget, the
// candidate values that make numeric, date and text domains finite, and the
// diagnostics of compiler/analysis on small rule sets and on the shipped rules.
#include <fmt/format.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "compiler/analysis/abstraction.hpp"
#include "compiler/analysis/analyze.hpp"
#include "compiler/analysis/formula.hpp"
#include "compiler/analysis/solver.hpp"
#include "compiler/analysis/values.hpp"
#include "helpers.hpp"
#include "runtime/eval/interpreter.hpp"
#include "support/text.hpp"

using namespace tamis;
using namespace tamis::analysis;
using tamis::testing::compile;
using tamis::testing::count_code;
using tamis::testing::find_code;
using tamis::testing::has_code;

namespace {

Budget large_budget() {
  return {1'000'000, 10'000'000};
}

Answer answer_of(const Problem& p, FormulaId f) {
  Budget b = large_budget();
  return solve(p, f, b).answer;
}

const std::filesystem::path kRules =
    std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "rules";

const std::string kPrelude = R"(
schéma D {
  id       : entier             colonne "ID"
  etat     : Etat               colonne "État"
  maturite : Maturite?          colonne "Maturité"
  leviers  : ensemble de Levier colonne "Leviers"
  impact   : booléen?           colonne "Impact"
  debut    : date?              colonne "Début"
  cout     : décimal?           colonne "Coût"
  titre    : texte?             colonne "Titre"
  porteur  : texte?             colonne "Porteur"
}
énumération Etat { depose "Déposé"  instruit "En instruction"  classe "Classé" }
énumération Maturite { idee "Idée"  etude "Étude"  travaux "Travaux" }
énumération Axe { climat "Climat"  sante "Santé" }
énumération Cat { a "A"  b "B"  c "C" }
table Levier (axes : ensemble de Axe) {
  "Vélo"   | {climat, sante}
  "Biogaz" | {climat}
  "Haies"  | {}
}
)";

// The condition of the rule `rule` of decision `d` in a compiled rule set, with its abstraction.
struct Conditions {
  Compilation c;
  Abstraction abstraction;
  explicit Conditions(const std::string& body)
      : c(compile(kPrelude + body)), abstraction(*c.graph) {
    INFO(tamis::testing::render_all(c));
    REQUIRE_FALSE(c.diagnostics.has_errors());
    for (const auto& d : c.graph->decisions) {
      for (const auto& r : d.rules) abstraction.add(r.condition);
    }
    abstraction.finish();
  }
  FormulaId rule(std::size_t decision, std::size_t rule) const {
    return abstraction.formula(c.graph->decisions[decision].rules[rule].condition);
  }
  Answer both(std::size_t r1, std::size_t r2) {
    return answer_of(abstraction.problem(),
                     abstraction.problem().all_of({rule(0, r1), rule(0, r2)}));
  }
};

}  // namespace

TEST_CASE("analysis: formulas simplify constants and complements", "[analysis]") {
  Problem p;
  const VarId x = p.add_variable(3, true);
  CHECK(p.in(x, 0) == Problem::kFalse);
  CHECK(p.in(x, 0b111) == Problem::kTrue);
  CHECK(p.in(x, 0b1111) == Problem::kTrue);  // bits beyond the domain mean nothing
  const FormulaId a = p.in(x, 0b001);
  const FormulaId not_a = p.negate(a);
  CHECK(p.formula(not_a).kind == Kind::In);
  CHECK(p.mask(p.formula(not_a)) == std::vector<ClassMask>{0b110});
  // Atoms on one variable merge.
  CHECK(p.all_of({p.in(x, 0b011), p.in(x, 0b110)}) == p.all_of({p.in(x, 0b010)}));
  CHECK(p.all_of({p.in(x, 0b001), p.in(x, 0b110)}) == Problem::kFalse);
  CHECK(p.any_of({p.in(x, 0b001), p.in(x, 0b110)}) == Problem::kTrue);
  // Domains beyond 64 classes.
  const VarId big = p.add_variable(200, true);
  std::vector<ClassMask> high(4, 0);
  high[3] = ClassMask{1} << 7;  // class 199
  const FormulaId last = p.in(big, high);
  CHECK(p.holds(p.formula(last), 199));
  CHECK_FALSE(p.holds(p.formula(last), 7));
  CHECK(p.holds(p.formula(p.negate(last)), 198));
  CHECK(p.negate(p.negate(p.any_of({a, p.in(x, 0b010)}))) == p.any_of({a, p.in(x, 0b010)}));
  CHECK(p.all_of({a, Problem::kTrue}) == a);
  CHECK(p.all_of({a, Problem::kFalse}) == Problem::kFalse);
  CHECK(p.any_of({a, Problem::kTrue}) == Problem::kTrue);
  CHECK(p.any_of({}) == Problem::kFalse);
  CHECK(p.all_of({}) == Problem::kTrue);
}

TEST_CASE("analysis: three-valued evaluation decides as soon as it can", "[analysis]") {
  Problem p;
  const VarId x = p.add_variable(2, true);
  const VarId y = p.add_variable(2, true);
  const FormulaId f = p.all_of({p.in(x, 0b01), p.in(y, 0b10)});
  Evaluator e(p);
  CHECK(e.evaluate(f, {kUnassigned, kUnassigned}) == Truth::Unknown);
  CHECK(e.evaluate(f, {1, kUnassigned}) == Truth::False);
  CHECK(e.evaluate(f, {0, kUnassigned}) == Truth::Unknown);
  CHECK(e.evaluate(f, {0, 1}) == Truth::True);
  const FormulaId g = p.any_of({p.in(x, 0b01), p.in(y, 0b10)});
  Evaluator e2(p);
  CHECK(e2.evaluate(g, {0, kUnassigned}) == Truth::True);
  CHECK(e2.evaluate(p.negate(g), {0, kUnassigned}) == Truth::False);
}

TEST_CASE("analysis: the solver finds an assignment or proves there is none", "[analysis]") {
  Problem p;
  const VarId x = p.add_variable(4, true);
  const VarId y = p.add_variable(2, true);
  const FormulaId f = p.all_of({p.in(x, 0b1000), p.any_of({p.in(y, 0b01), p.in(x, 0b0001)})});
  Budget b = large_budget();
  const Solution s = solve(p, f, b);
  REQUIRE(s.answer == Answer::Sat);
  CHECK(s.assignment[x] == 3);
  CHECK(s.assignment[y] == 0);

  CHECK(answer_of(p, p.all_of({p.in(x, 0b0011), p.in(x, 0b1100)})) == Answer::Unsat);
  // x ∈ {0,1} and (x ∉ {0} and x ∉ {1}): unsatisfiable through an or of negations
  CHECK(answer_of(p, p.all_of({p.in(x, 0b0011), p.negate(p.any_of({p.in(x, 1), p.in(x, 2)}))})) ==
        Answer::Unsat);
}

TEST_CASE("analysis: inexact variables make a solution only possible", "[analysis]") {
  Problem p;
  const VarId x = p.add_variable(2, true);
  const VarId o = p.add_variable(2, false);  // an opaque condition
  const FormulaId opaque = p.in(o, 0b10);

  // Needs the opaque condition to be true: possible, not certain.
  Budget b = large_budget();
  const Solution maybe = solve(p, p.all_of({p.in(x, 0b01), opaque}), b);
  CHECK(maybe.answer == Answer::MaybeSat);
  CHECK(maybe.assignment[o] == 1);

  // True whatever the opaque condition says: certain, and the opaque variable is left out.
  const Solution sure = solve(p, p.any_of({p.in(x, 0b01), opaque}), b);
  REQUIRE(sure.answer == Answer::Sat);
  CHECK(sure.assignment[x] == 0);
  CHECK(sure.assignment[o] == kUnassigned);

  // A condition and its negation: impossible, opaque or not.
  CHECK(answer_of(p, p.all_of({opaque, p.negate(opaque)})) == Answer::Unsat);
}

TEST_CASE("analysis: the budget stops the search without a claim", "[analysis]") {
  // x1 ≠ x2 ≠ … pairwise over 12 variables of 11 classes: unsatisfiable (pigeonhole),
  // and long to prove by enumeration.
  Problem p;
  std::vector<VarId> xs;
  for (int i = 0; i < 12; ++i) xs.push_back(p.add_variable(11, true));
  std::vector<FormulaId> parts;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    for (std::size_t j = i + 1; j < xs.size(); ++j) {
      for (std::uint32_t c = 0; c < 11; ++c) {
        parts.push_back(
            p.negate(p.all_of({p.in(xs[i], ClassMask{1} << c), p.in(xs[j], ClassMask{1} << c)})));
      }
    }
  }
  const FormulaId f = p.all_of(parts);
  Budget b{5'000, 9'000};
  CHECK(solve(p, f, b).answer == Answer::Unknown);
  CHECK(b.total <= 4'000);  // the work done was charged
  CHECK(solve(p, f, b).answer == Answer::Unknown);
  CHECK(b.exhausted());
  CHECK(solve(p, p.in(xs[0], 1), b).answer == Answer::Unknown);  // nothing left at all
}

TEST_CASE("analysis: candidate values cut numbers, dates and texts at the constants",
          "[analysis]") {
  graph::RuleGraph g;
  std::deque<std::string> storage;
  using graph::Base;
  using graph::Value;

  const auto ints =
      candidates(g, {Base::Integer}, {{Value::of_integer(5), Base::Integer}}, storage);
  REQUIRE(ints.size() == 3);
  CHECK(ints[0].integer == 4);
  CHECK(ints[1].integer == 5);
  CHECK(ints[2].integer == 6);

  // An integer compared with 2.5: 1, 2 below, 3, 4 above.
  const auto cut =
      candidates(g, {Base::Integer}, {{tamis::testing::decimal_of("2.5"), Base::Decimal}}, storage);
  REQUIRE(cut.size() == 4);
  CHECK(cut[1].integer == 2);
  CHECK(cut[2].integer == 3);

  const auto decimals = candidates(
      g, {Base::Decimal},
      {{tamis::testing::decimal_of("1"), Base::Decimal}, {Value::of_integer(2), Base::Integer}},
      storage);
  std::vector<std::string> xs;
  for (const auto& v : decimals) xs.push_back(tamis::testing::decimal_text(v));
  CHECK(xs == std::vector<std::string>{"0", "1", "1.5", "2", "3"});

  // Two decimals a millionth apart leave no value between them; the ends stay in range.
  const auto tight = candidates(g, {Base::Decimal},
                                {{tamis::testing::decimal_of("0.000001"), Base::Decimal},
                                 {tamis::testing::decimal_of("0.000002"), Base::Decimal},
                                 {Value::of_integer(INT64_MAX), Base::Integer}},
                                storage);
  std::vector<std::string> ts;
  for (const auto& v : tight) ts.push_back(tamis::testing::decimal_text(v));
  CHECK(ts == std::vector<std::string>{"-0.999999", "0.000001", "0.000002", "4611686018427.387904",
                                       "9223372036854.775807"});

  const auto dates = candidates(g, {Base::Date}, {{Value::of_date(100), Base::Date}}, storage);
  REQUIRE(dates.size() == 3);
  CHECK(dates[0].date == 99);
  CHECK(dates[2].date == 101);

  // Texts: each readable constant and one more; " x" can never be read from a cell.
  const auto texts = candidates(
      g, {Base::Text},
      {{Value::of_text("Commune"), Base::Text}, {Value::of_text(" x"), Base::Text}}, storage);
  REQUIRE(texts.size() == 2);
  CHECK(texts[0].as_text() == "Commune");
  CHECK(texts[1].as_text() != "Commune");
  CHECK(readable_text("a b"));
  CHECK_FALSE(readable_text(""));
  CHECK_FALSE(readable_text("a "));
}

TEST_CASE("analysis: conditions become exact formulas over finite domains", "[analysis]") {
  Conditions k(R"(
décision d : Cat toutes {
  règle "0" si maturite dans {idee, etude} alors a
  règle "1" si maturite = travaux alors a
  règle "2" si debut est renseigné et debut <= 2025-12-31 alors a
  règle "3" si debut est renseigné et debut > 2025-12-31 alors a
  règle "4" si debut est renseigné et debut < 2026-01-01 alors a
  règle "5" si cout par défaut 0 > 1.0 alors a
  règle "6" si cout par défaut 0 < 1.5 alors a
  règle "7" si leviers contient "Vélo" alors a
  règle "8" si leviers est vide alors a
  règle "9" si leviers.axes contient sante alors a
  règle "10" si "Haies" dans leviers alors a
  règle "11" si titre = "X" alors a
  règle "12" si titre = "Y" alors a
  règle "13" si titre est renseigné et porteur est renseigné et titre = porteur alors a
  règle "14" si titre est renseigné et porteur est renseigné et titre ≠ porteur alors a
}
)");
  CHECK(k.both(0, 1) == Answer::Unsat);  // enumeration values
  CHECK(k.both(2, 3) == Answer::Unsat);  // date intervals
  CHECK(k.both(3, 4) == Answer::Unsat);  // no day between 2025-12-31 and 2026-01-01
  CHECK(k.both(2, 4) == Answer::Sat);
  CHECK(k.both(5, 6) == Answer::Sat);    // 1.0 < cout < 1.5 exists
  CHECK(k.both(7, 8) == Answer::Unsat);  // a member and empty
  CHECK(k.both(9, 7) == Answer::Sat);    // Vélo has the axis santé
  CHECK(k.both(9, 8) == Answer::Unsat);
  CHECK(k.both(10, 9) == Answer::Sat);     // Haies with Vélo
  CHECK(k.both(11, 12) == Answer::Unsat);  // a text equal to two constants
  CHECK(k.both(13, 14) == Answer::Unsat);  // the same opaque atom, true and false
  CHECK(k.both(13, 11) == Answer::MaybeSat);

  // Example records name the fields in the words of the rules.
  Budget b = large_budget();
  const auto& p = k.abstraction.problem();
  const Solution s = solve(p, k.abstraction.problem().all_of({k.rule(0, 9), k.rule(0, 3)}), b);
  REQUIRE(s.answer == Answer::Sat);
  const std::string text = k.abstraction.describe(s.assignment);
  CHECK(text.find("debut = 2026-01-01") != std::string::npos);
  CHECK(text.find("leviers = {\"Vélo\"}") != std::string::npos);
}

TEST_CASE("analysis: a rule covered by earlier rules, named with the minimal cover", "[analysis]") {
  const auto c = compile(kPrelude + R"(
décision d : Cat première {
  règle "R0" si etat = depose alors a
  règle "R1" si etat = instruit et impact = non alors b
  règle "R2" si etat = instruit et impact = oui alors b
  règle "R3" si etat dans {depose, instruit} et impact = oui alors c
  sinon c
}
)");
  INFO(tamis::testing::render_all(c));
  REQUIRE_FALSE(c.diagnostics.has_errors());
  REQUIRE(count_code(c.diagnostics, "W0601") == 1);
  const auto& d = find_code(c.diagnostics, "W0601");
  CHECK(d.message.find("« R3 »") != std::string::npos);
  // R0 and R2 cover it; R1 (impact = non) does not meet it.
  CHECK(d.message.find("« R0 » et « R2 »") != std::string::npos);
  CHECK(d.notes.size() == 2);
}

TEST_CASE("analysis: overlaps of a unique decision, certain or possible", "[analysis]") {
  const auto sure = compile(kPrelude + R"(
décision d : Cat unique {
  règle "P1" si leviers contient "Vélo" alors a
  règle "P2" si leviers contient "Biogaz" alors b
  règle "P3" si leviers est vide alors c
  sinon c
}
)");
  REQUIRE(count_code(sure.diagnostics, "E0603") == 1);
  const auto& d = find_code(sure.diagnostics, "E0603");
  CHECK(d.message.find("« P1 » et « P2 »") != std::string::npos);
  CHECK(d.message.find("leviers = {\"Vélo\", \"Biogaz\"}") != std::string::npos);

  const auto maybe = compile(kPrelude + R"(
décision d : Cat unique {
  règle "P1" si titre est renseigné et titre < "M" alors a
  règle "P2" si titre est renseigné et titre >= "N" alors b
  sinon c
}
)");
  INFO(tamis::testing::render_all(maybe));
  CHECK_FALSE(maybe.diagnostics.has_errors());
  CHECK(count_code(maybe.diagnostics, "W0604") == 1);
}

TEST_CASE("analysis: records that no rule of a decision retains", "[analysis]") {
  const auto c = compile(kPrelude + R"(
décision axes : Axe toutes {
  règle "A1" si leviers.axes contient climat alors climat
  règle "A2" si etat = classe alors sante
}
)");
  REQUIRE(count_code(c.diagnostics, "W0605") == 1);
  const auto& d = find_code(c.diagnostics, "W0605");
  CHECK(d.message.find("etat = \"Déposé\"") != std::string::npos);
  CHECK(d.message.find("leviers vide") != std::string::npos);

  const auto complete = compile(kPrelude + R"(
décision axes : Axe toutes {
  règle "A1" si impact = oui alors climat
  règle "A2" si impact = non alors sante
  règle "A3" si impact n'est pas renseigné alors sante
}
)");
  CHECK_FALSE(has_code(complete.diagnostics, "W0605"));
}

TEST_CASE("analysis: the shipped rules have nothing to report", "[analysis]") {
  for (const char* set : {"cop2024", "cop2025"}) {
    const auto c = compile_directory(kRules / set);
    INFO(set << "\n" << tamis::testing::render_all(c));
    CHECK_FALSE(c.diagnostics.has_errors());
    for (const auto& d : c.diagnostics.all()) CHECK(d.code.substr(1, 2) != "06");
  }
}

TEST_CASE("analysis: a large decision stays within the budget", "[analysis]") {
  std::string rules;
  for (int i = 0; i < 150; ++i) {
    rules += "  règle \"R" + std::to_string(i) + "\" si id = " + std::to_string(i) + " alors a\n";
  }
  const auto c = compile(kPrelude + "décision d : Cat unique {\n" + rules + "  sinon b\n}\n");
  INFO(tamis::testing::render_all(c));
  CHECK_FALSE(c.diagnostics.has_errors());
  CHECK(c.diagnostics.all().empty());
}

// ------------------------------------------------------------ against brute force

namespace {

const std::string kSmall = R"(
schéma D {
  b0 : booléen?            colonne "B0"
  b1 : booléen?            colonne "B1"
  e0 : Etat                colonne "E0"
  e1 : Etat?               colonne "E1"
  n  : entier?             colonne "N"
  d  : date?               colonne "D"
  s  : ensemble de Levier  colonne "S"
}
énumération Etat { a "A"  b "B"  c "C" }
énumération Axe { climat "Climat"  sante "Santé" }
énumération Cat { x "X"  y "Y" }
table Levier (axes : ensemble de Axe) {
  "L1" | {climat}
  "L2" | {climat, sante}
  "L3" | {}
}
)";

std::string random_atom(std::mt19937& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  static const char* const kAtoms[] = {"b0 = oui",
                                       "b0 = non",
                                       "b1 = oui",
                                       "b0 est renseigné",
                                       "b1 n'est pas renseigné",
                                       "e0 = a",
                                       "e0 dans {a, b}",
                                       "e0 ≠ c",
                                       "e1 = b",
                                       "e1 dans {b, c}",
                                       "e1 est renseigné",
                                       "(n est renseigné et n > 3)",
                                       "(n est renseigné et n <= 5)",
                                       "(n est renseigné et n = 5)",
                                       "n n'est pas renseigné",
                                       "n par défaut 0 < 4",
                                       "(d est renseigné et d <= 2025-06-01)",
                                       "(d est renseigné et d > 2025-12-31)",
                                       "(d est renseigné et d >= 2025-06-02)",
                                       "d n'est pas renseigné",
                                       "s est vide",
                                       "s contient \"L1\"",
                                       "\"L2\" dans s",
                                       "s.axes contient sante",
                                       "s.axes contient climat",
                                       "nombre(s) >= 2"};
  std::string a = kAtoms[pick(static_cast<int>(std::size(kAtoms)))];
  return pick(5) == 0 ? "non (" + a + ")" : a;
}

std::string random_condition(std::mt19937& rng) {
  const int parts = 1 + static_cast<int>(rng() % 3);
  std::string out;
  for (int i = 0; i < parts; ++i) {
    if (i > 0) out += rng() % 3 == 0 ? " ou " : " et ";
    out += rng() % 4 == 0 ? "(" + random_atom(rng) + " ou " + random_atom(rng) + ")"
                          : random_atom(rng);
  }
  return out;
}

// Every record of a grid that contains a value of every class of every field.
template <typename F>
void for_each_record(const graph::RuleGraph& g, F&& f) {
  using graph::Value;
  const std::vector<Value> booleans{Value::missing(), Value::of_bool(false), Value::of_bool(true)};
  const std::vector<Value> states{Value::of_id(0), Value::of_id(1), Value::of_id(2)};
  std::vector<Value> optional_states{Value::missing()};
  optional_states.insert(optional_states.end(), states.begin(), states.end());
  std::vector<Value> numbers{Value::missing()};
  for (int v = 2; v <= 6; ++v) numbers.push_back(Value::of_integer(v));
  std::vector<Value> dates{Value::missing()};
  for (auto [y, m, day] : {std::tuple{2025, 5u, 31u},
                           {2025, 6u, 1u},
                           {2025, 6u, 2u},
                           {2025, 12u, 31u},
                           {2026, 1u, 1u}}) {
    dates.push_back(Value::of_date(text::days_from_civil(y, m, day)));
  }
  static const std::uint64_t kSets[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  runtime::Record r(g.schema.fields.size());
  for (const auto& b0 : booleans)
    for (const auto& b1 : booleans)
      for (const auto& e0 : states)
        for (const auto& e1 : optional_states)
          for (const auto& n : numbers)
            for (const auto& d : dates)
              for (const auto& set : kSets) {
                r.fields = {b0, b1, e0, e1, n, d, Value::of_words(&set, 1)};
                f(r);
              }
}

}  // namespace

TEST_CASE("analysis: every claim holds, and nothing exact is missed, on random rule sets",
          "[analysis][brute]") {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    std::string body;
    const char* const policies[] = {"première", "unique", "toutes"};
    bool exact[3] = {true, true, true};  // `nombre(…)` is the one inexact atom used here
    for (int k = 0; k < 3; ++k) {
      body += fmt::format("décision d{} : Cat {} {{\n", k, policies[k]);
      for (int i = 0; i < 5; ++i) {
        const std::string condition = random_condition(rng);
        exact[k] = exact[k] && condition.find("nombre(") == std::string::npos;
        body += fmt::format("  règle \"R{}\" si {} alors x\n", i, condition);
      }
      body += k == 2 ? "}\n" : "  sinon y\n}\n";
    }
    const auto c = compile(kSmall + body);
    INFO("seed " << seed << "\n" << body << tamis::testing::render_all(c));
    // An exact overlap is an error: the graph is still whole, analyse what was found.
    REQUIRE((!c.diagnostics.has_errors() || has_code(c.diagnostics, "E0603")));
    const auto& g = *c.graph;

    // What brute force says, rule by rule.
    struct Facts {
      std::vector<bool> fires_first, holds;  // per rule
      std::vector<std::vector<bool>> both;   // per pair
      bool none = false;                     // a record no rule retains
    };
    std::vector<Facts> facts(3);
    for (auto& f : facts) {
      f.fires_first.assign(5, false);
      f.holds.assign(5, false);
      f.both.assign(5, std::vector<bool>(5, false));
    }
    runtime::Interpreter in(g);
    for_each_record(g, [&](const runtime::Record& r) {
      in.load(r);
      for (std::size_t k = 0; k < 3; ++k) {
        bool value[5];
        for (std::size_t i = 0; i < 5; ++i) {
          value[i] = in.evaluate(g.decisions[k].rules[i].condition).boolean;
        }
        if (!in.error().empty()) FAIL(in.error());
        bool earlier = false;
        for (std::size_t i = 0; i < 5; ++i) {
          facts[k].holds[i] = facts[k].holds[i] || value[i];
          if (value[i] && !earlier) facts[k].fires_first[i] = true;
          earlier = earlier || value[i];
          for (std::size_t j = 0; j < i; ++j) {
            if (value[i] && value[j]) facts[k].both[j][i] = true;
          }
        }
        facts[k].none = facts[k].none || !earlier;
      }
    });

    // The diagnostics of each decision, by code and rule.
    auto claimed = [&](std::size_t k, std::string_view code, std::size_t rule) {
      for (const auto& d : c.diagnostics.all()) {
        const auto& rr =
            (code == "W0605") ? g.decisions[k].range : g.decisions[k].rules[rule].range;
        if (d.code == code && d.range.line == rr.line && d.range.column == rr.column) return true;
      }
      return false;
    };
    auto claimed_pair = [&](std::size_t k, std::string_view code, std::size_t i, std::size_t j) {
      for (const auto& d : c.diagnostics.all()) {
        const auto& rj = g.decisions[k].rules[j].range;
        const auto& ri = g.decisions[k].rules[i].range;
        if (d.code == code && d.range.line == rj.line && !d.notes.empty() &&
            d.notes[0].first.line == ri.line) {
          return true;
        }
      }
      return false;
    };
    // Claims are always true; over exact conditions, nothing true is missed.
    auto agrees = [&](std::size_t k, bool claim, bool fact) {
      if (claim) CHECK(fact);
      if (exact[k]) CHECK(claim == fact);
    };
    for (std::size_t k = 0; k < 3; ++k) {
      for (std::size_t i = 0; i < 5; ++i) {
        agrees(k, claimed(k, "W0602", i), !facts[k].holds[i]);
      }
      if (k == 0) {
        for (std::size_t i = 0; i < 5; ++i) {
          const bool dead = !facts[k].holds[i];
          agrees(k, claimed(k, "W0601", i), !dead && !facts[k].fires_first[i]);
        }
      }
      if (k == 1) {
        for (std::size_t j = 0; j < 5; ++j) {
          for (std::size_t i = 0; i < j; ++i) {
            const bool sure = claimed_pair(k, "E0603", i, j);
            const bool maybe = claimed_pair(k, "W0604", i, j);
            if (sure) CHECK(facts[k].both[i][j]);
            if (facts[k].both[i][j]) CHECK((sure || maybe));  // an overlap is never missed
            if (exact[k]) CHECK_FALSE(maybe);
          }
        }
      }
      if (k == 2) {
        const bool sure = claimed(k, "W0605", 0) && exact[k];
        agrees(k, sure, facts[k].none);
        if (facts[k].none) CHECK(claimed(k, "W0605", 0));
      }
    }
  }
}
