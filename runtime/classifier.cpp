#include "runtime/classifier.hpp"

#include <fmt/format.h>

namespace tamis::runtime {

Classifier::Classifier(const graph::RuleGraph& graph)
    : graph_(graph), decoder_(graph), interpreter_(graph), record_(graph.schema.fields.size()) {}

std::vector<std::string> Classifier::bind(const std::vector<std::string>& header) {
  return decoder_.bind(header);
}

std::size_t Classifier::id_column() const {
  return graph_.schema.fields.empty() ? 0 : decoder_.column_of(0);
}

std::vector<std::string> Classifier::classify(const io::CsvRecord& row,
                                              const std::optional<io::CsvError>& csv_error) {
  std::vector<std::string> reasons;
  if (csv_error) {
    reasons.push_back(csv_error->message);
    return reasons;
  }
  field_errors_.clear();
  if (!decoder_.decode(row, record_, field_errors_)) {
    for (const auto& e : field_errors_) {
      if (e.column.empty()) {
        reasons.push_back(e.reason);
      } else {
        reasons.push_back(
            fmt::format("colonne « {} », valeur « {} » : {}", e.column, e.value, e.reason));
      }
    }
    return reasons;
  }
  interpreter_.load(record_);
  for (std::uint32_t d = 0; d < graph_.decisions.size(); ++d) interpreter_.decide(d);
  outputs_.clear();
  for (const auto& o : graph_.outputs) {
    outputs_.push_back(
        format_value(graph_, graph_.nodes[o.node].type, interpreter_.evaluate(o.node)));
  }
  for (const auto& summary : graph_.summaries) {
    for (auto node : {summary.rows, summary.columns, summary.condition}) {
      if (node != graph::kNoNode) interpreter_.evaluate(node);
    }
  }
  if (!interpreter_.error().empty()) reasons.push_back(interpreter_.error());
  return reasons;
}

std::vector<std::string> Classifier::raw_outputs(const io::CsvRecord& row) const {
  std::vector<std::string> out;
  for (const auto& o : graph_.outputs) {
    const auto& n = graph_.nodes[o.node];
    std::string cell;
    if (n.op == graph::Op::Field) {
      const std::size_t column = decoder_.column_of(n.a);
      if (column < row.fields.size()) cell = std::string(row.fields[column]);
    }
    out.push_back(std::move(cell));
  }
  return out;
}

}  // namespace tamis::runtime
