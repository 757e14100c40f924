#pragma once
// Values as the runtime sees them, for the analysis: the comparison semantics of
// the interpreter (a missing operand compares false), and the finite list of
// candidate values that stands for an infinite domain once it is cut by the
// constants the rules compare it with.
#include <deque>
#include <string>
#include <vector>

#include "compiler/graph/rule_graph.hpp"

namespace tamis::analysis {

// `a op b` (op one of Eq, Ne, Lt, Le, Gt, Ge) exactly as runtime/eval does it.
bool compare(const graph::Value& a, graph::Base ab, const graph::Value& b, graph::Base bb,
             graph::Op op);

// Whether a cell of the export can hold this text: decoding trims the cell and an
// empty cell is a missing value, so " x" or "" can never be read.
bool readable_text(std::string_view s);

// Values of `type` (not a set; the missing value excluded) such that every value of
// the type behaves like one of them in every comparison with one of `points`:
// each point, and a value in every non-empty interval between and around them.
// Enumerations, tables and booleans give their whole domain. New texts are kept in
// `storage`.
std::vector<graph::Value> candidates(
    const graph::RuleGraph& graph, const graph::Type& type,
    const std::vector<std::pair<graph::Value, graph::Base>>& points,
    std::deque<std::string>& storage);

}  // namespace tamis::analysis
