#pragma once
// Explanations: why a dossier got its outcome, built from the rule graph and the
// record's evaluated state (evaluation is pure, so asking the interpreter about
// any node gives the values the decision saw). The explanation is a JSON document
// (schema "tamis.explication/1", docs/explanation-schema.md); the text and HTML
// renderings are made from that document alone, so a stored explanation can be
// re-rendered months later without the rule files.
//
// One implementation writes the document: ExplanationWriter, straight into bytes
// (compact JSON, keys sorted, exactly what nlohmann's dump() gives). `explain()` is
// those bytes parsed back, so the tree and the bytes cannot say different things.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/interpreter.hpp"
#include "runtime/eval/record.hpp"

namespace tamis::runtime {

inline constexpr const char* kExplanationSchema = "tamis.explication/1";

struct ExplainContext {
  std::string campaign;  // file name, for the header of the explanation
  std::size_t line = 0;  // physical line of the row in the campaign file
};

// Writes explanation documents for one rule graph. The constant parts (rules, source
// excerpts, positions, definitions, table rows) are written once, when it is built;
// each document then costs the evaluated values only. Immutable once built: one
// writer may serve several threads at once (each with its own Interpreter and output).
// The graph must outlive the writer.
class ExplanationWriter {
 public:
  explicit ExplanationWriter(const graph::RuleGraph& graph);
  ~ExplanationWriter();
  ExplanationWriter(ExplanationWriter&&) noexcept;
  ExplanationWriter& operator=(ExplanationWriter&&) noexcept;

  // Appends the document then '\n': exactly explain(graph, interpreter, record,
  // context).dump() + '\n', one line of a `--trace` file. `interpreter` must have the
  // record loaded (it may have evaluated it already). On invalid UTF-8 in a string it
  // throws what dump() throws (nlohmann::json::type_error 316) and leaves `out` as it was.
  void append(std::string& out, Interpreter& interpreter, const Record& record,
              const ExplainContext& context) const;
  // The document alone, without the newline: exactly explain(…).dump() (the audit
  // store's `explanation`).
  void append_document(std::string& out, Interpreter& interpreter, const Record& record,
                       const ExplainContext& context) const;

  const graph::RuleGraph& graph() const;

  class Parts;  // the constant parts and the writing logic (explain.cpp)

 private:
  std::unique_ptr<const Parts> parts_;
};

// `interpreter` must have the record loaded (and may have evaluated it already).
nlohmann::json explain(const graph::RuleGraph& graph, Interpreter& interpreter,
                       const Record& record, const ExplainContext& context);

// The `--trace` line of a row that could not be read: exactly the bytes of
// {"schema": …, "dossier": {"id", "ligne", "fichier"}, "rejet": reasons}.dump() + '\n',
// the identifier and the reasons made valid UTF-8 first (text::valid_utf8).
void append_rejection_jsonl(std::string& out, std::string_view campaign, std::string_view id,
                            std::size_t line, const std::vector<std::string>& reasons);

// Why one rule of a decision applies, or not, to the loaded record, with the condition
// trees of the documents (the same Condition objects, docs/explanation-schema.md):
// {"applique": bool, "regle": Rule, and "conditions" (the whole tree) when it applies,
// "condition_en_echec" (down to the first failing condition) when it does not; neither
// for the `sinon` fallback}. `rule`: an index in the decision's rules, or kFallbackRule.
// Whatever the decision's outcome: `tamis diff` asks it of a rule that did not decide.
nlohmann::json explain_rule(const graph::RuleGraph& graph, Interpreter& interpreter,
                            const Record& record, std::uint32_t decision, std::int32_t rule);

// The outcome alone (decision values and deciding rules), for compact traces.
nlohmann::json outcome(const graph::RuleGraph& graph, Interpreter& interpreter);

std::string render_explanation_text(const nlohmann::json& explanation);
std::string render_explanation_html(const nlohmann::json& explanation);

}  // namespace tamis::runtime
