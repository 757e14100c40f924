#pragma once
// How a value is written in result files and explanations.
#include <string>

#include "compiler/graph/rule_graph.hpp"

namespace tamis::runtime {

// Enum value codes, table keys, " | " between set members, ISO dates, oui/non; a
// missing value is empty.
std::string format_value(const graph::RuleGraph& graph, const graph::Type& type,
                         const graph::Value& value);
// The same, appended to `out` (no allocation per cell).
void append_value(std::string& out, const graph::RuleGraph& graph, const graph::Type& type,
                  const graph::Value& value);

}  // namespace tamis::runtime
