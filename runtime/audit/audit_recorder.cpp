#include "runtime/audit/audit_recorder.hpp"

#include <fmt/format.h>

#include "runtime/explain/explain.hpp"
#include "support/text.hpp"

namespace tamis::audit {

AuditRecorder::AuditRecorder(const graph::RuleGraph& graph, AuditStore& store, std::int64_t run,
                             std::string campaign)
    : graph_(graph), store_(store), run_(run), campaign_(std::move(campaign)), writer_(graph) {}

void AuditRecorder::classified(std::size_t line, std::size_t number, const runtime::Record& record,
                               runtime::Interpreter& interpreter) {
  DossierRow row;
  row.number = number;
  row.line = line;
  row.dossier_id = record.raw.empty() ? std::string() : std::string(text::trim(record.raw[0]));
  nlohmann::json results = nlohmann::json::object();
  for (const auto& o : graph_.outputs) {
    results[o.name] =
        runtime::format_value(graph_, graph_.nodes[o.node].type, interpreter.evaluate(o.node));
  }
  row.results = results.dump();
  const auto outcome = runtime::outcome(graph_, interpreter);
  if (!outcome.empty()) {
    row.decision = outcome[0].value("valeur", "");
    row.rule = outcome[0].value("regle", "");
  }
  writer_.append_document(row.explanation, interpreter, record, {campaign_, line});
  store_.add_dossier(run_, row);
}

void AuditRecorder::rejected(const runtime::RejectedRow& rejected) {
  DossierRow row;
  row.number = rejected.number;
  row.line = rejected.line;
  row.dossier_id = std::string(text::trim(rejected.id));
  row.rejected = true;
  row.rejection = fmt::format("{}", fmt::join(rejected.reasons, " ; "));
  store_.add_dossier(run_, row);
}

}  // namespace tamis::audit
