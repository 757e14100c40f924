#pragma once
// Labels of a table that an export cell could read two ways. (A key that is also
// another row's key or alias is E0305, in sema; an alias shared on purpose by several
// rows, written the same on each, names them all and is fine.)
#include "compiler/graph/rule_graph.hpp"
#include "support/diagnostics.hpp"

namespace tamis::analysis {

// W0606: a label containing ", " that also reads as several labels of other rows
// (the export separates choices with ", ").
// W0607: an alias that another row also carries, spelled differently: the same label
// after normalisation (case, accents, apostrophes, spaces), so it names both rows.
void check_table_labels(const graph::RuleGraph& graph, DiagnosticSink& sink);

}  // namespace tamis::analysis
