#pragma once
// One decoded dossier: a value per schema field, in schema order.
#include <string_view>
#include <vector>

#include "compiler/graph/rule_graph.hpp"

namespace tamis::runtime {

struct Record {
  std::vector<graph::Value> fields;
  // For set-of-row fields: the labels of the cell that matched no row (views into
  // the row's cells, like `raw`).
  std::vector<std::vector<std::string_view>> unknown_labels;
  // Each field's cell as written in the export, for explanations.
  std::vector<std::string_view> raw;

  explicit Record(std::size_t field_count = 0)
      : fields(field_count), unknown_labels(field_count), raw(field_count) {}
};

}  // namespace tamis::runtime
