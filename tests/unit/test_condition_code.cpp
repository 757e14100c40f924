// Rules' conditions run as jumping code (runtime/eval/condition_code.hpp) give what the
// conditions give evaluated one by one: checked on every record of five yes/no/missing
// answers (243), for the three hit policies, with definitions several rules share
// (remembered: copied where used when small, `un` to `cinq`; compiled as subroutines
// when not, `six`), nested in one another (a copy in a subroutine, a subroutine called
// from a copy: `sept`) and negated; `ordre_seul` uses copies only, and runs alone
// (Interpreter::answer<true>), past the copies whose value it knows.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "runtime/eval/interpreter.hpp"
#include "support/text.hpp"

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
soit six = (p = oui et q = oui) ou (p = oui et r = oui) ou (p = oui et s = oui)
  ou (p = oui et t = oui) ou (q = oui et r = oui) ou (q = oui et s = oui)
  ou (q = oui et t = oui) ou (r = oui et s = oui) ou (un et t = non)
soit sept = six ou non (t = oui)

décision ordre : Cat première {
  règle "P1" si deux et trois alors a
  règle "P2" si non deux et (un ou quatre) alors b
  règle "P3" si cinq alors c
  sinon "P4" alors c
}
décision ordre_seul : Cat première {
  règle "S1" si deux et quatre alors a
  règle "S2" si non deux et (un ou t = oui) alors b
  règle "S3" si non un et quatre alors c
  règle "S4" si un et non quatre alors a
  sinon "S5" alors c
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
  règle "T4" si non sept et r = oui alors a
  règle "T5" si sept ou deux alors b
  règle "T6" si non six et (q = oui ou sept) alors c
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
  const std::vector<std::string> lets = {"un", "deux", "trois", "quatre", "cinq", "six", "sept"};
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
      if (d == decision_index(g, "ordre") || d == decision_index(g, "ordre_seul")) {
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
        // T1, T4: a; T2, T5: b; T3, T6: c.
        for (const std::int32_t i : held) expected |= std::uint64_t{1} << (i % 3);
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

namespace {

// One decision per kind of field test (Branch::Op::FieldIn…), each test run inside the
// decision's code by Interpreter::answer. Dates compared as ranges (FieldDateWithin) for
// every comparison but `!=` (FieldVsDate).
const char* const kFieldTests = R"tamis(
énumération Cat { a "A"  b "B"  c "C" }
schéma T {
  id   : entier             colonne "ID"
  n    : entier?            colonne "N"
  x    : décimal?           colonne "X"
  cat  : Cat?               colonne "Cat"
  jour : date?              colonne "Jour"
  ok   : booléen?           colonne "OK"
  cats : ensemble de Cat    colonne "Cats"
  mots : ensemble de texte  colonne "Mots"
  nom  : texte?             colonne "Nom"
}
décision parmi : Cat première { règle "r" si cat dans {a, b} alors a  sinon "s" alors b }
décision hors : Cat première { règle "r" si cat est renseigné et cat pas dans {a, c} alors a  sinon "s" alors b }
décision connu : Cat première { règle "r" si nom est renseigné alors a  sinon "s" alors b }
décision inconnu : Cat première { règle "r" si nom n'est pas renseigné alors a  sinon "s" alors b }
décision sans_cat : Cat première { règle "r" si cats est vide alors a  sinon "s" alors b }
décision plein : Cat première { règle "r" si cats n'est pas vide alors a  sinon "s" alors b }
décision sans_mot : Cat première { règle "r" si mots est vide alors a  sinon "s" alors b }
décision avec_mots : Cat première { règle "r" si mots n'est pas vide alors a  sinon "s" alors b }
décision entier : Cat première { règle "r" si n est renseigné et n > 3 alors a  sinon "s" alors b }
décision entier_bas : Cat première { règle "r" si n est renseigné et 3 >= n alors a  sinon "s" alors b }
décision decimal : Cat première { règle "r" si x est renseigné et x <= 2.5 alors a  sinon "s" alors b }
décision entier_decimal : Cat première { règle "r" si n est renseigné et n < 2.5 alors a  sinon "s" alors b }
décision avant_juin : Cat première { règle "r" si jour est renseigné et jour < 2025-06-01 alors a  sinon "s" alors b }
décision jusqu_au_1 : Cat première { règle "r" si jour est renseigné et jour <= 2025-06-01 alors a  sinon "s" alors b }
décision le_2 : Cat première { règle "r" si jour est renseigné et jour = 2025-06-02 alors a  sinon "s" alors b }
décision des_le_2 : Cat première { règle "r" si jour est renseigné et jour >= 2025-06-02 alors a  sinon "s" alors b }
décision apres_le_1 : Cat première { règle "r" si jour est renseigné et jour > 2025-06-01 alors a  sinon "s" alors b }
décision pas_le_1 : Cat première { règle "r" si jour est renseigné et jour != 2025-06-01 alors a  sinon "s" alors b }
décision est_oui : Cat première { règle "r" si ok est renseigné et ok = oui alors a  sinon "s" alors b }
décision est_non : Cat première { règle "r" si ok est renseigné et ok = non alors a  sinon "s" alors b }
décision pas_non : Cat première { règle "r" si ok est renseigné et ok != non alors a  sinon "s" alors b }
décision pas_c : Cat première { règle "r" si cat est renseigné et cat != c alors a  sinon "s" alors b }
décision est_b : Cat première { règle "r" si cat est renseigné et b = cat alors a  sinon "s" alors b }
)tamis";

}  // namespace

TEST_CASE("condition code: each kind of field test in a decision as evaluated alone",
          "[interpreter][decision]") {
  TAMIS_COMPILE_OK(c, kFieldTests);
  const auto& g = *c.graph;
  Interpreter in(g);     // decides through the conditions' code
  Interpreter alone(g);  // evaluates each condition by itself
  const std::uint64_t none = 0, ab = 0b011;
  const std::string_view words[] = {"un", "deux"};
  const auto day = [](unsigned d) {
    return Value::of_date(tamis::text::days_from_civil(2025, 6, d));
  };
  // Each field's values, the missing one first: record k takes value k of each (wrapping).
  const std::vector<std::vector<Value>> values = {
      {Value::missing(), Value::of_integer(2), Value::of_integer(3), Value::of_integer(4)},
      {Value::missing(), tamis::testing::decimal_of("2.5"), tamis::testing::decimal_of("2.6"),
       tamis::testing::decimal_of("-1")},
      {Value::missing(), Value::of_id(0), Value::of_id(1), Value::of_id(2)},
      {Value::missing(), day(1), day(2), Value::of_date(0)},
      {Value::missing(), Value::of_bool(true), Value::of_bool(false)},
      {Value::missing(), Value::of_words(&none, 1), Value::of_words(&ab, 1)},
      {Value::missing(), Value::of_texts(words, 0), Value::of_texts(words, 2)},
      {Value::missing(), Value::of_text("nom")},
  };
  const std::vector<std::string_view> fields = {"n",  "x",    "cat",  "jour",
                                                "ok", "cats", "mots", "nom"};
  std::vector<unsigned> outcomes(g.decisions.size(), 0);  // bit 0: failed, bit 1: held
  for (std::size_t k = 0; k < 8; ++k) {
    Record record = record_of(g, {{"id", Value::of_integer(static_cast<std::int64_t>(k))}});
    for (std::size_t f = 0; f < fields.size(); ++f)
      record.fields[tamis::testing::field_index(g, fields[f])] = values[f][k % values[f].size()];
    INFO("record " << k);
    in.load(record);
    alone.load(record);
    for (std::uint32_t d = 0; d < g.decisions.size(); ++d) {
      INFO("decision " << g.decisions[d].name);
      const bool holds = alone.evaluate(g.decisions[d].rules[0].condition).boolean;
      CHECK(in.decide(d).rule == (holds ? 0 : tamis::runtime::kFallbackRule));
      outcomes[d] |= holds ? 2U : 1U;
    }
  }
  for (std::uint32_t d = 0; d < g.decisions.size(); ++d) {
    INFO("decision " << g.decisions[d].name);
    CHECK(outcomes[d] == 3U);  // the test both holds and fails on some record
  }
}

namespace {

// `première` decisions whose outcome is ready in the Exit reached (a constant result) or
// read from the rule's result (a field), with definitions read by no value (their Notes
// left out: `seule_copies`), in code that runs
// alone (field tests only: Interpreter::answer<true>) or not (a comparison of two fields
// is a Test, a call).
const char* const kOutcomes = R"tamis(
énumération Cat { a "A"  b "B"  c "C" }
schéma O {
  id  : entier  colonne "ID"
  n   : entier? colonne "N"
  m   : entier? colonne "M"
  cat : Cat     colonne "Cat"
  ok  : booléen? colonne "OK"
}
décision seule_constante : Cat première {
  règle "r1" si n est renseigné et n > 3 alors a
  règle "r2" si ok = oui alors b
  sinon "s" alors c
}
décision seule_champ : Cat première {
  règle "r1" si ok = oui alors cat
  règle "r2" si n est renseigné alors b
  sinon "s" alors cat
}
soit grand = n est renseigné et n > 3
soit retenu = ok = oui ou cat = b
décision seule_copies : Cat première {
  règle "r1" si grand et retenu alors a
  règle "r2" si grand alors b
  règle "r3" si non retenu alors c
  sinon "s" alors cat
}
décision appel_constante : Cat première {
  règle "r1" si n est renseigné et m est renseigné et n > m alors a
  règle "r2" si ok = oui alors b
  sinon "s" alors c
}
décision appel_champ : Cat première {
  règle "r1" si n est renseigné et m est renseigné et n > m alors cat
  sinon "s" alors cat
}
)tamis";

}  // namespace

TEST_CASE("condition code: a première decision's outcome, ready in its exit or not, alone or not",
          "[interpreter][decision]") {
  TAMIS_COMPILE_OK(c, kOutcomes);
  const auto& g = *c.graph;
  Interpreter in(g);     // decides through the conditions' code
  Interpreter alone(g);  // evaluates each condition and result by itself
  const std::vector<Value> numbers = {Value::missing(), Value::of_integer(2), Value::of_integer(5)};
  const std::vector<Value> cats = {Value::of_id(0), Value::of_id(1)};
  const std::vector<Value> oks = {Value::missing(), Value::of_bool(true), Value::of_bool(false)};
  std::vector<std::vector<int>> rules_seen(g.decisions.size());
  for (std::size_t k = 0; k < 54; ++k) {
    const Record record = record_of(g, {{"id", Value::of_integer(static_cast<std::int64_t>(k))},
                                        {"n", numbers[k % 3]},
                                        {"m", numbers[(k / 3) % 3]},
                                        {"cat", cats[(k / 9) % 2]},
                                        {"ok", oks[(k / 18) % 3]}});
    INFO("record " << k);
    in.load(record);
    alone.load(record);
    for (std::uint32_t d = 0; d < g.decisions.size(); ++d) {
      const auto& decision = g.decisions[d];
      INFO("decision " << decision.name);
      std::int32_t rule =
          decision.fallback ? tamis::runtime::kFallbackRule : tamis::runtime::kNoRule;
      for (std::size_t i = 0; i < decision.rules.size(); ++i) {
        if (alone.evaluate(decision.rules[i].condition).boolean) {
          rule = static_cast<std::int32_t>(i);
          break;
        }
      }
      Value expected;
      if (rule >= 0)
        expected = alone.evaluate(decision.rules[static_cast<std::size_t>(rule)].result);
      if (rule == tamis::runtime::kFallbackRule)
        expected = alone.evaluate(decision.fallback->result);
      const auto& outcome = in.decide(d);
      CHECK(outcome.rule == rule);
      CHECK(outcome.conflicting_rule == -1);
      CHECK(outcome.value.present == expected.present);
      if (expected.present) CHECK(outcome.value.id == expected.id);
      rules_seen[d].push_back(rule);
    }
    CHECK(in.error().empty());
  }
  for (std::uint32_t d = 0; d < g.decisions.size(); ++d) {  // every rule, and the fallback
    auto& seen = rules_seen[d];
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    CHECK(seen.size() == g.decisions[d].rules.size() + 1);
  }
}

TEST_CASE("condition code: a field in a set of one word, and of more than one",
          "[interpreter][decision]") {
  // Seventy values: a set of them is two words (v65 is not v1); `petit` (a, b, c) is one
  // (FieldInWord). Whether a set of seventy is empty reads both its words, one of three
  // its word (FieldEmptyWord, FieldNotEmptyWord).
  std::string rules = "énumération Grand {";
  for (int v = 0; v < 70; ++v) rules += fmt::format(" v{} \"V{}\"", v, v);
  rules += R"tamis( }
énumération Petit { a "A"  b "B"  c "C" }
schéma G {
  id     : entier  colonne "ID"
  grand  : Grand?  colonne "Grand"
  petit  : Petit?  colonne "Petit"
  grands : ensemble de Grand  colonne "Grands"
  petits : ensemble de Petit  colonne "Petits"
}
décision deux_mots : Petit première { règle "r" si grand dans {v0, v65} alors a  sinon "s" alors b }
décision un_mot : Petit première { règle "r" si petit dans {a, c} alors a  sinon "s" alors b }
décision un_mot_grand : Petit première { règle "r" si grand dans {v1, v2} alors a  sinon "s" alors b }
décision sans_grand : Petit première { règle "r" si grands est vide alors a  sinon "s" alors b }
décision des_grands : Petit première { règle "r" si grands n'est pas vide alors a  sinon "s" alors b }
décision sans_petit : Petit première { règle "r" si petits est vide alors a  sinon "s" alors b }
décision des_petits : Petit première { règle "r" si petits n'est pas vide alors a  sinon "s" alors b }
)tamis";
  TAMIS_COMPILE_OK(c, rules);
  const auto& g = *c.graph;
  Interpreter in(g);     // decides through the conditions' code
  Interpreter alone(g);  // evaluates each condition by itself
  const std::vector<Value> grands = {Value::missing(), Value::of_id(0), Value::of_id(1),
                                     Value::of_id(65), Value::of_id(69)};
  const std::vector<Value> petits = {Value::missing(), Value::of_id(0), Value::of_id(1),
                                     Value::of_id(2), Value::of_id(1)};
  // Sets of Grand: none (missing), empty, a member in the second word only, in the first.
  const std::uint64_t none[2] = {0, 0}, second[2] = {0, 2}, first[2] = {8, 0};
  const std::vector<Value> grand_sets = {Value::missing(), Value::of_words(none, 2),
                                         Value::of_words(second, 2), Value::of_words(first, 2),
                                         Value::of_words(second, 2)};
  const std::uint64_t no_petit = 0, some_petits = 0b101;
  const std::vector<Value> petit_sets = {Value::missing(), Value::of_words(&no_petit, 1),
                                         Value::of_words(&some_petits, 1),
                                         Value::of_words(&no_petit, 1), Value::missing()};
  std::vector<unsigned> outcomes(g.decisions.size(), 0);  // bit 0: failed, bit 1: held
  for (std::size_t k = 0; k < grands.size(); ++k) {
    const Record record = record_of(g, {{"id", Value::of_integer(static_cast<std::int64_t>(k))},
                                        {"grand", grands[k]},
                                        {"petit", petits[k]},
                                        {"grands", grand_sets[k]},
                                        {"petits", petit_sets[k]}});
    INFO("record " << k);
    in.load(record);
    alone.load(record);
    for (std::uint32_t d = 0; d < g.decisions.size(); ++d) {
      INFO("decision " << g.decisions[d].name);
      const bool holds = alone.evaluate(g.decisions[d].rules[0].condition).boolean;
      CHECK(in.decide(d).rule == (holds ? 0 : tamis::runtime::kFallbackRule));
      outcomes[d] |= holds ? 2U : 1U;
    }
  }
  for (const unsigned o : outcomes) CHECK(o == 3U);
}

TEST_CASE("condition code: every decision decided in order after load, one reading another",
          "[interpreter][decision]") {
  // decide_all() decides the first without asking whether it is decided; the second was
  // decided by the first (it reads it) and is not decided again, the third is decided
  // then: each as decide() alone gives it, record after record.
  TAMIS_COMPILE_OK(c, R"tamis(
énumération Cat { a "A"  b "B"  c "C" }
schéma E {
  id : entier   colonne "ID"
  n  : entier?  colonne "N"
  ok : booléen? colonne "OK"
}
décision initiale : Cat première {
  règle "r1" si seconde = a et ok = oui alors b
  règle "r2" si n est renseigné et n > 2 alors c
  sinon "s" alors a
}
décision seconde : Cat première { règle "r" si n est renseigné alors a  sinon "s" alors c }
décision troisieme : Cat première { règle "r" si ok = oui alors c  sinon "s" alors b }
)tamis");
  const auto& g = *c.graph;
  Interpreter all(g);  // decide_all()
  Interpreter one(g);  // decide(), one decision at a time, in reverse order
  const std::vector<Value> numbers = {Value::missing(), Value::of_integer(1), Value::of_integer(5)};
  const std::vector<Value> oks = {Value::missing(), Value::of_bool(true), Value::of_bool(false)};
  std::vector<std::vector<std::int32_t>> rules_seen(g.decisions.size());
  for (std::size_t k = 0; k < 18; ++k) {
    const Record record = record_of(g, {{"id", Value::of_integer(static_cast<std::int64_t>(k))},
                                        {"n", numbers[k % 3]},
                                        {"ok", oks[(k / 3) % 3]}});
    INFO("record " << k);
    all.load(record);
    one.load(record);
    all.decide_all(static_cast<std::uint32_t>(g.decisions.size()));
    for (std::uint32_t d = static_cast<std::uint32_t>(g.decisions.size()); d-- > 0;) {
      INFO("decision " << g.decisions[d].name);
      const auto& expected = one.decide(d);
      CHECK(all.decided(d).rule == expected.rule);
      CHECK(all.decided(d).value.present == expected.value.present);
      CHECK(all.decided(d).value.id == expected.value.id);
      rules_seen[d].push_back(expected.rule);
    }
  }
  for (auto& seen : rules_seen) {  // every rule and the fallback of each decision
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    CHECK(seen.size() >= 2);
  }
}
