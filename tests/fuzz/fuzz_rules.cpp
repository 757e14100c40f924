// libFuzzer target: any bytes as rule files.
//
// The input is split at its first form feed (\f) into two files, fuzz.tamis and
// fuzz2.tamis, so that checks across files are reached too. The diagnostics are
// rendered (source excerpt, caret), as `tamis check` does. When the rules
// compile, a small campaign built from their schema (valid, empty, odd and
// duplicate rows) is classified, so the interpreter runs on fuzzed rule graphs, and
// each classified row's decisions are checked against their rules' conditions
// evaluated one by one (DecisionOracle).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/compile.hpp"
#include "fuzz_common.hpp"
#include "runtime/campaign.hpp"
#include "runtime/eval/interpreter.hpp"
#include "support/diagnostics.hpp"

namespace {

using tamis::graph::Base;
using tamis::graph::RuleGraph;
using tamis::graph::Type;

std::string csv_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The text of one cell of a field of type `type`; `variant` 0 is a typical valid
// value, 1 another valid value, 2 an empty cell, 3 garbage.
std::string cell(const RuleGraph& g, const Type& type, int variant) {
  if (variant == 2) return {};
  if (variant == 3) return "x?";
  const bool first = variant == 0;
  switch (type.base) {
    case Base::Boolean:
      return first ? "Oui" : "Non";
    case Base::Integer:
      return first ? "1" : "-1 234";
    case Base::Decimal:
      return first ? "1234.5" : "0,25";
    case Base::Date:
      return first ? "2025-06-01" : "31/12/1999";
    case Base::Text:
      return first ? "texte" : "a, b";
    case Base::Enum: {
      if (type.ref >= g.enums.size() || g.enums[type.ref].values.empty()) return "x";
      const auto& values = g.enums[type.ref].values;
      return first ? values.front().label : values.back().label;
    }
    case Base::Row: {
      if (type.ref >= g.tables.size() || g.tables[type.ref].rows.empty()) return "x";
      const auto& rows = g.tables[type.ref].rows;
      return first ? rows.front().key : rows.back().key + ", inconnu";
    }
    case Base::Error:
      break;
  }
  return "x";
}

std::string campaign_for(const RuleGraph& g) {
  std::string csv;
  const auto& fields = g.schema.fields;
  for (std::size_t f = 0; f < fields.size(); ++f)
    csv += (f ? "," : "") + csv_quoted(fields[f].column);
  csv += "\n";
  for (int variant : {0, 1, 2, 3, 0}) {  // the last row repeats the first: duplicate ID
    for (std::size_t f = 0; f < fields.size(); ++f) {
      csv += (f ? "," : "") + csv_quoted(cell(g, fields[f].type, variant));
    }
    csv += "\n";
  }
  return csv;
}

// Decisions run their rules' conditions as jumping code (runtime/eval/condition_code);
// a second interpreter evaluates each condition by itself, as any other node, in the
// order the hit policy tries them. Both must name the same rule.
class DecisionOracle : public tamis::runtime::CampaignObserver {
 public:
  explicit DecisionOracle(const RuleGraph& g) : graph_(g), alone_(g) {}

  void classified(std::size_t, std::size_t, const tamis::runtime::Record& record,
                  tamis::runtime::Interpreter& interpreter) override {
    alone_.load(record);
    for (std::uint32_t d = 0; d < graph_.decisions.size(); ++d) {
      const auto& decision = graph_.decisions[d];
      std::int32_t expected =
          decision.fallback ? tamis::runtime::kFallbackRule : tamis::runtime::kNoRule;
      for (std::size_t r = 0; r < decision.rules.size(); ++r) {
        if (!alone_.evaluate(decision.rules[r].condition).boolean) continue;
        expected = static_cast<std::int32_t>(r);
        break;  // the first that holds (a classified row has one at most for `unique`)
      }
      tamis::fuzz::require(interpreter.decide(d).rule == expected,
                           "a decision names the first rule whose condition holds");
    }
  }
  void rejected(const tamis::runtime::RejectedRow&) override {}

 private:
  const RuleGraph& graph_;
  tamis::runtime::Interpreter alone_;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<std::pair<std::string, std::string>> files;
  const std::size_t split = bytes.find('\f');
  if (split == std::string_view::npos) {
    files.emplace_back("fuzz.tamis", std::string(bytes));
  } else {
    files.emplace_back("fuzz.tamis", std::string(bytes.substr(0, split)));
    files.emplace_back("fuzz2.tamis", std::string(bytes.substr(split + 1)));
  }
  tamis::Compilation c = tamis::compile_sources(files);
  tamis::fuzz::require(c.sources != nullptr, "compile_sources returned no sources");
  // The first diagnostics only: rendering all of them is quadratic when many errors sit
  // on one long line (each quotes the whole line; tests/bad_input/rule_files/39 and 40,
  // xfail), which would only time out here.
  std::size_t rendered = 0;
  std::size_t shown = 0;
  for (const auto& d : c.diagnostics.all()) {
    if (++shown > 64) break;
    rendered += tamis::render(d, *c.sources).size();
  }
  tamis::fuzz::require(c.diagnostics.all().empty() || rendered > 0, "empty rendering");
  if (c.diagnostics.has_errors() || c.graph == nullptr) return 0;

  std::istringstream campaign(campaign_for(*c.graph));
  tamis::fuzz::NullStream results;
  DecisionOracle oracle(*c.graph);
  const auto report = tamis::runtime::run_campaign(*c.graph, campaign, &results, &oracle);
  tamis::fuzz::require(report.rows_read == report.rows_classified + report.rows_rejected,
                       "rows_read == rows_classified + rows_rejected");
  tamis::fuzz::require(report.rejected.size() == report.rows_rejected,
                       "one RejectedRow per rejected row");
  return 0;
}
