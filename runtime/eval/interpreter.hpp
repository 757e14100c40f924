#pragma once
// Evaluates the rule graph for one record at a time. Nodes are evaluated on
// demand (so `et`/`ou` short-circuit), definitions and decisions once per record.
// One Interpreter per thread: it holds per-record state, the graph is shared.
#include <optional>
#include <string>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/arena.hpp"
#include "runtime/eval/record.hpp"

namespace tamis::runtime {

// Rule index of a decision outcome when no rule applied and the fallback decided.
inline constexpr std::int32_t kFallbackRule = -1;
// … when nothing decided (a `toutes` decision without fallback where no rule applied).
inline constexpr std::int32_t kNoRule = -2;

struct DecisionOutcome {
  graph::Value value;
  std::int32_t rule = kNoRule;         // index in Decision::rules, or kFallbackRule / kNoRule
  std::int32_t conflicting_rule = -1;  // `unique`: a second rule that also applied
};

class Interpreter {
 public:
  explicit Interpreter(const graph::RuleGraph& graph);

  // Starts a new record; previous values and scratch memory are released.
  void load(const Record& record);

  graph::Value evaluate(graph::NodeId node);
  const DecisionOutcome& decide(std::uint32_t decision);

  // A problem found while evaluating this record (division by zero, overflow,
  // two rules of a `unique` decision applying); empty when all went well.
  const std::string& error() const { return error_; }

 private:
  graph::Value eval(graph::NodeId node);
  graph::Value compare(const graph::Node& n);
  graph::Value arithmetic(const graph::Node& n);
  graph::Value member_of_set(const graph::Node& n);
  graph::Value set_of(const graph::Node& n);
  bool condition(graph::NodeId node) { return eval(node).boolean; }
  void fail(std::string message);

  const graph::RuleGraph& graph_;
  const Record* record_ = nullptr;
  std::uint32_t epoch_ = 0;
  std::vector<graph::Value> let_values_;
  std::vector<std::uint32_t> let_epoch_;
  std::vector<DecisionOutcome> decision_values_;
  std::vector<std::uint32_t> decision_epoch_;
  Arena<std::uint64_t> words_;
  Arena<std::string_view> texts_;
  std::string error_;
};

// Orders two present values of comparable types: -1, 0 or 1 (numbers across
// integer/decimal, dates, texts byte-wise, enum values and rows by declaration order).
int compare_values(const graph::Value& a, graph::Base a_base, const graph::Value& b,
                   graph::Base b_base);

// How a value is written in result files: enum value names, table keys, " | " between
// set members, ISO dates, oui/non; a missing value is empty.
std::string format_value(const graph::RuleGraph& graph, const graph::Type& type,
                         const graph::Value& value);
// The same, appended to `out` (the results writer's path: no allocation per cell).
void append_value(std::string& out, const graph::RuleGraph& graph, const graph::Type& type,
                  const graph::Value& value);

}  // namespace tamis::runtime
