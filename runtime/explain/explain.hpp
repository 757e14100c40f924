#pragma once
// Explanations: why a dossier got its outcome, built from the rule graph and the
// record's evaluated state (evaluation is pure, so asking the interpreter about
// any node gives the values the decision saw). The explanation is a JSON document
// (schema "tamis.explication/1", docs/explanation-schema.md); the text and HTML
// renderings are made from that document alone, so a stored explanation can be
// re-rendered months later without the rule files.
#include <nlohmann/json.hpp>
#include <string>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/interpreter.hpp"
#include "runtime/eval/record.hpp"

namespace tamis::runtime {

inline constexpr const char* kExplanationSchema = "tamis.explication/1";

struct ExplainContext {
  std::string campaign;  // file name, for the header of the explanation
  std::size_t line = 0;  // physical line of the row in the campaign file
};

// `interpreter` must have the record loaded (and may have evaluated it already).
nlohmann::json explain(const graph::RuleGraph& graph, Interpreter& interpreter,
                       const Record& record, const ExplainContext& context);

// The outcome alone (decision values and deciding rules), for compact traces.
nlohmann::json outcome(const graph::RuleGraph& graph, Interpreter& interpreter);

std::string render_explanation_text(const nlohmann::json& explanation);
std::string render_explanation_html(const nlohmann::json& explanation);

}  // namespace tamis::runtime
