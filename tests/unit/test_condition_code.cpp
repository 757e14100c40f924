// Rules' conditions run as jumping code (runtime/eval/condition_code.hpp) give what the
// conditions give evaluated one by one: checked on every record of five yes/no/missing
// answers (243), for the three hit policies, with definitions several rules share
// (remembered: compiled as subroutines), nested in one another and negated.
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "runtime/eval/interpreter.hpp"

using tamis::graph::Value;
using tamis::runtime::Interpreter;
using tamis::runtime::Record;
using tamis::testing::decision_index;
using tamis::testing::let_index;
using tamis::testing::record_of;

namespace {

const char* const kRules = R"tamis(
énumération Cat { a "A"  b "B"  c "C" }
schéma D {
  id : entier   colonne "ID"
  p  : booléen? colonne "P"
  q  : booléen? colonne "Q"
  r  : booléen? colonne "R"
  s  : booléen? colonne "S"
  t  : booléen? colonne "T"
}
soit un = p = oui ou q = oui
soit deux = un et non r = oui
soit trois = non (un ou s = oui) ou (deux et t = oui)
soit quatre = (p = oui et q = oui) ou (r = oui et (s = oui ou non t = oui))
soit cinq = non trois

décision ordre : Cat première {
  règle "P1" si deux et trois alors a
  règle "P2" si non deux et (un ou quatre) alors b
  règle "P3" si cinq alors c
  sinon "P4" alors c
}
décision seule : Cat unique {
  règle "U1" si trois et q = oui alors a
  règle "U2" si quatre et non (non cinq) alors b
  règle "U3" si non (un ou quatre) alors c
  sinon "U4" alors a
}
décision collecte : Cat toutes {
  règle "T1" si un alors a
  règle "T2" si trois ou (quatre et p n'est pas renseigné) alors b
  règle "T3" si non quatre alors c
}
)tamis";

Value answer(int k) {
  return k == 0 ? Value::missing() : Value::of_bool(k == 1);
}

}  // namespace

TEST_CASE("condition code: decisions and definitions as the conditions evaluated one by one",
          "[interpreter][decision]") {
  TAMIS_COMPILE_OK(c, kRules);
  const auto& g = *c.graph;
  Interpreter in(g);     // decides through the conditions' code
  Interpreter alone(g);  // evaluates each condition by itself
  const std::vector<std::string> lets = {"un", "deux", "trois", "quatre", "cinq"};
  std::size_t records = 0;
  std::size_t rules_held = 0;
  for (int code = 0; code < 243; ++code) {
    int k = code;
    const Value p = answer(k % 3), q = answer((k /= 3) % 3), r = answer((k /= 3) % 3),
                s = answer((k /= 3) % 3), t = answer((k /= 3) % 3);
    const Record record = record_of(
        g, {{"id", Value::of_integer(code)}, {"p", p}, {"q", q}, {"r", r}, {"s", s}, {"t", t}});
    INFO("record " << code);
    in.load(record);
    alone.load(record);
    const auto holds = [&](std::uint32_t d, std::size_t rule) {
      return alone.evaluate(g.decisions[d].rules[rule].condition).boolean;
    };
    for (std::uint32_t d = 0; d < g.decisions.size(); ++d) {
      const auto& decision = g.decisions[d];
      std::vector<std::int32_t> held;
      for (std::size_t i = 0; i < decision.rules.size(); ++i) {
        if (holds(d, i)) held.push_back(static_cast<std::int32_t>(i));
      }
      rules_held += held.size();
      const auto& outcome = in.decide(d);
      INFO("decision " << decision.name);
      if (d == decision_index(g, "ordre")) {
        CHECK(outcome.rule == (held.empty() ? tamis::runtime::kFallbackRule : held[0]));
      } else if (d == decision_index(g, "collecte")) {  // no fallback: no rule when none holds
        CHECK(outcome.rule == (held.empty() ? tamis::runtime::kNoRule : held[0]));
      } else {  // unique: the checker makes its rules exclusive; at most one holds
        CHECK(outcome.rule == (held.empty() ? tamis::runtime::kFallbackRule : held[0]));
        CHECK(outcome.conflicting_rule == (held.size() >= 2 ? held[1] : -1));
        CHECK(in.error().empty() == (held.size() < 2));
      }
      if (d == decision_index(g, "collecte")) {
        std::uint64_t expected = 0;
        for (const std::int32_t i : held) expected |= std::uint64_t{1} << i;  // T1 a, T2 b, T3 c
        CHECK(outcome.value.words[0] == expected);
      }
    }
    // The definitions the code remembered on the way read the same afterwards.
    for (const auto& name : lets) {
      INFO("soit " << name);
      const auto root = g.lets[let_index(g, name)].root;
      CHECK(in.evaluate(root).boolean == alone.evaluate(root).boolean);
    }
    ++records;
  }
  CHECK(records == 243);
  CHECK(rules_held > 243);  // the records make rules hold, and not only one a decision
}
