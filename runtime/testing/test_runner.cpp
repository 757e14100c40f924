#include "runtime/testing/test_runner.hpp"

#include <fmt/format.h>

#include "runtime/classifier.hpp"
#include "runtime/explain/explain.hpp"
#include "support/lang.hpp"

namespace tamis::runtime {

namespace {

// « (À travailler COP 2025) »: the label of one enumeration value, after its code; "" for
// any other value, or a label that only repeats the code.
std::string enum_label(const graph::RuleGraph& graph, const graph::Type& type,
                       const graph::Value& value) {
  if (type.base != graph::Base::Enum || type.set || !value.present ||
      type.ref >= graph.enums.size() || value.id >= graph.enums[type.ref].values.size())
    return "";
  const auto& v = graph.enums[type.ref].values[value.id];
  return v.label.empty() || v.label == v.code ? "" : fmt::format(" ({})", v.label);
}

}  // namespace

void init_coverage(const graph::RuleGraph& graph, Coverage& coverage) {
  coverage = {};
  for (const auto& d : graph.decisions) {
    for (const auto& r : d.rules)
      coverage.rules.push_back({d.name + " / " + r.name, r.range, 0, 0});
    if (d.fallback)
      coverage.rules.push_back({d.name + " / " + d.fallback->name, d.fallback->range, 0, 0});
  }
  for (const auto& l : graph.lets) {
    if (l.type.base == graph::Base::Boolean && !l.type.set)
      coverage.definitions.push_back({l.name, l.range, 0, 0});
  }
}

void coverage_marks(const graph::RuleGraph& graph, Interpreter& interpreter,
                    std::vector<std::uint8_t>& marks) {
  for (std::uint32_t d = 0; d < graph.decisions.size(); ++d) {
    const auto& dec = graph.decisions[d];
    const auto& outcome = interpreter.decide(d);
    // A first-hit rule is tried only when the earlier ones did not apply.
    const std::size_t tried = dec.policy == graph::HitPolicy::First && outcome.rule >= 0
                                  ? static_cast<std::size_t>(outcome.rule) + 1
                                  : dec.rules.size();
    for (std::size_t i = 0; i < dec.rules.size(); ++i) {
      if (i >= tried) {
        marks.push_back(kNotReached);
      } else {
        marks.push_back(interpreter.evaluate(dec.rules[i].condition).boolean ? kTrue : kFalse);
      }
    }
    if (dec.fallback) marks.push_back(outcome.rule == kFallbackRule ? kTrue : kNotReached);
  }
  for (const auto& l : graph.lets) {
    if (l.type.base != graph::Base::Boolean || l.type.set) continue;
    marks.push_back(interpreter.evaluate(l.root).boolean ? kTrue : kFalse);
  }
}

void add_marks(Coverage& coverage, const std::uint8_t* marks) {
  auto add = [&](Coverage::Counts& counts) {
    const std::uint8_t mark = *marks++;
    if (mark == kTrue) ++counts.true_count;
    if (mark == kFalse) ++counts.false_count;
  };
  for (auto& r : coverage.rules) add(r);
  for (auto& d : coverage.definitions) add(d);
}

void add_coverage(const graph::RuleGraph& graph, Interpreter& interpreter, Coverage& coverage) {
  thread_local std::vector<std::uint8_t> marks;
  marks.clear();
  coverage_marks(graph, interpreter, marks);
  add_marks(coverage, marks.data());
}

std::string render_coverage_text(const Coverage& c, const std::string& unit) {
  std::string out =
      tr("Couverture ({} : vrai / faux)\n  Règles (appliquée / essayée sans s'appliquer) :\n",
         "Coverage ({}: true / false)\n  Rules (applied / tried without applying):\n", unit);
  std::vector<std::string> never;
  for (const auto& r : c.rules) {
    out += fmt::format("    {:>5} / {:<5} {}\n", r.true_count, r.false_count, r.name);
    if (r.true_count == 0) never.push_back(r.name);
  }
  out += tr("  Définitions (vraie / fausse) :\n", "  Definitions (true / false):\n");
  for (const auto& d : c.definitions) {
    std::string never_note;
    if (d.true_count == 0) never_note = tr("  ← jamais vraie", "  ← never true");
    if (d.true_count != 0 && d.false_count == 0)
      never_note = tr("  ← jamais fausse", "  ← never false");
    out += fmt::format("    {:>5} / {:<5} {}{}\n", d.true_count, d.false_count, d.name, never_note);
  }
  if (never.empty()) {
    out += tr("  Toutes les règles ont été appliquées au moins une fois.\n",
              "  Every rule was applied at least once.\n");
  } else {
    out += tr("  Règles jamais appliquées : {}\n", "  Rules never applied: {}\n",
              fmt::join(never, " ; "));
  }
  return out;
}

std::vector<TestResult> run_tests(const graph::RuleGraph& graph, Coverage* coverage) {
  std::vector<TestResult> results;
  if (coverage != nullptr) init_coverage(graph, *coverage);
  std::vector<std::string> header;
  for (const auto& f : graph.schema.fields) header.push_back(f.column);
  for (const auto& t : graph.tests) {
    TestResult result{t.name, t.range, {}, {}};
    Classifier classifier(graph, 0);  // tests check decisions and outputs, not summaries
    classifier.bind(header);
    std::vector<std::string> cells(header.size());
    for (const auto& [field, cell] : t.given) cells[field] = cell;
    io::CsvRecord row;
    row.line = t.range.line;
    for (const auto& c : cells) row.fields.emplace_back(c);
    const auto reasons = classifier.classify(row, std::nullopt);
    if (!reasons.empty()) {
      for (const auto& r : reasons)
        result.failures.push_back(
            tr("dossier du test illisible : {}", "the test's dossier cannot be read: {}", r));
      results.push_back(std::move(result));
      continue;
    }
    Interpreter& in = classifier.interpreter();
    if (coverage != nullptr) add_coverage(graph, in, *coverage);
    for (const auto& x : t.expected) {
      std::string actual, expected;
      graph::Type type;
      graph::Value actual_value;  // of a decision, a definition or a field (not an output)
      switch (x.kind) {
        case graph::Expectation::Kind::Output:
          actual = classifier.outputs()[x.index];
          expected = x.text;
          break;
        case graph::Expectation::Kind::Decision: {
          type = graph.decisions[x.index].type;
          const auto& o = in.decide(x.index);
          actual_value = o.value;
          actual = format_value(graph, type, o.value);
          if (!x.rule.empty()) {
            const auto& dec = graph.decisions[x.index];
            std::string rule;
            if (o.rule >= 0) rule = dec.rules[static_cast<std::size_t>(o.rule)].name;
            if (o.rule == kFallbackRule && dec.fallback) rule = dec.fallback->name;
            if (rule != x.rule) {
              result.failures.push_back(
                  tr("ligne {}, {} : règle attendue « {} », règle appliquée « {} »",
                     "line {}, {}: expected rule '{}', applied rule '{}'", x.range.line, x.name,
                     x.rule, rule));
            }
          }
          break;
        }
        case graph::Expectation::Kind::Let:
          type = graph.lets[x.index].type;
          actual_value = in.evaluate(graph.lets[x.index].root);
          actual = format_value(graph, type, actual_value);
          break;
        case graph::Expectation::Kind::Field:
          type = graph.schema.fields[x.index].type;
          actual_value = classifier.record().fields[x.index];
          actual = format_value(graph, type, actual_value);
          break;
      }
      graph::Value expected_value;
      if (x.kind != graph::Expectation::Kind::Output) {
        expected_value = in.evaluate(x.value);
        expected = format_value(graph, type, expected_value);
      }
      if (actual != expected) {
        // Where the expectation is written, and an enumeration value's label beside its
        // code: « a_travailler » alone says little to whoever reads the report's labels.
        const bool labelled = x.kind != graph::Expectation::Kind::Output;
        result.failures.push_back(
            tr("ligne {}, {} : attendu « {} »{}, obtenu « {} »{}",
               "line {}, {}: expected '{}'{}, got '{}'{}", x.range.line, x.name, expected,
               labelled ? enum_label(graph, type, expected_value) : "", actual,
               labelled ? enum_label(graph, type, actual_value) : ""));
      }
    }
    if (!result.failures.empty()) {
      result.explanation = explain(graph, in, classifier.record(),
                                   {tr("test « {} »", "test '{}'", t.name), t.range.line});
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace tamis::runtime
