#pragma once
// The campaign summary as a text table (the source document's "Bilan"): one row
// per value of the row axis, one column per value of the column axis, totals.
#include <string>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/campaign.hpp"

namespace tamis::runtime {

std::string render_summary_text(const graph::RuleGraph& graph, const SummaryCounts& counts);

}  // namespace tamis::runtime
