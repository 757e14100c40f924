#pragma once
// Semantic checks and lowering: resolves every name, types every expression,
// enforces guards on optional values, detects cycles, and emits the rule graph.
// Checking and lowering share one walk so that no half-typed tree is kept around.
#include <memory>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "compiler/syntax/ast.hpp"
#include "support/diagnostics.hpp"

namespace tamis::sema {

// Returns the graph; it is only safe to evaluate when `sink` holds no error.
std::unique_ptr<graph::RuleGraph> check(const std::vector<ast::File>& files,
                                        std::shared_ptr<const SourceSet> sources,
                                        DiagnosticSink& sink);

}  // namespace tamis::sema
