#pragma once
// Records every dossier of a run into the audit store, with its explanation.
#include <string>

#include "runtime/audit/audit_store.hpp"
#include "runtime/explain/explain.hpp"

namespace tamis::audit {

class AuditRecorder : public runtime::CampaignObserver {
 public:
  AuditRecorder(const graph::RuleGraph& graph, AuditStore& store, std::int64_t run,
                std::string campaign);

  void classified(std::size_t line, std::size_t number, const runtime::Record& record,
                  runtime::Interpreter& interpreter) override;
  void rejected(const runtime::RejectedRow& row) override;

 private:
  const graph::RuleGraph& graph_;
  AuditStore& store_;
  std::int64_t run_;
  std::string campaign_;
  runtime::ExplanationWriter writer_;  // the same bytes as explain(…).dump(), faster
};

}  // namespace tamis::audit
