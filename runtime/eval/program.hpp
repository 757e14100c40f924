#pragma once
// What the interpreter runs: the rule graph with everything resolved that does not
// depend on the record. One step per graph node, numbered like the nodes, where
// - structurally identical expressions share one step (`leviers.axes` written in an
//   output and in a summary, `categorie dans {…}` in three summary conditions), so a
//   node is evaluated through the step of its first twin (step_of);
// - a reference to a definition (`soit`) is the step of the definition's expression;
// - operand types, constants and table columns are at hand in the step;
// - a step is remembered per record only when several steps, rules or outputs use it.
// Built once per Interpreter, read-only afterwards.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/table_column.hpp"

namespace tamis::runtime {

struct Step {
  graph::Value constant;  // Const: its value
  graph::Op op = graph::Op::Const;
  graph::Base base = graph::Base::Error;    // of the result
  graph::Base a_base = graph::Base::Error;  // of operand a / b, when they are nodes
  graph::Base b_base = graph::Base::Error;
  bool memo = false;  // remembered per record
  // Operands that are nodes are step ids; otherwise the graph's index (field, decision…).
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  std::uint32_t first_arg = 0;  // into Program::args (step ids), for And / Or / SetOf
  std::uint32_t arg_count = 0;
  std::uint32_t words = 0;   // words of the bitset built by SetOf / MemberOfSet
  std::uint32_t column = 0;  // Member / MemberOfSet: into Program::columns
  std::uint32_t ref = 0;     // Label: the enumeration or table of the operand
};

// A decision with its rules' conditions and results as step ids.
struct DecisionPlan {
  std::vector<graph::NodeId> conditions;
  std::vector<graph::NodeId> results;
  graph::NodeId fallback = graph::kNoNode;  // the fallback's result
  std::uint32_t words = 0;                  // `toutes`: words of the collected set
};

class Program {
 public:
  explicit Program(const graph::RuleGraph& graph);

  graph::NodeId step_of(graph::NodeId node) const { return step_of_[node]; }
  const Step& step(graph::NodeId step) const { return steps_[step]; }
  const std::vector<Step>& steps() const { return steps_; }
  const std::vector<graph::NodeId>& args() const { return args_; }
  const TableColumn& column(std::uint32_t c) const { return columns_[c]; }
  const DecisionPlan& decision(std::uint32_t d) const { return decisions_[d]; }
  // Most distinct texts of any text column (scratch size for `rows.column`).
  std::size_t most_texts() const { return most_texts_; }

 private:
  void lower(graph::NodeId node, std::unordered_map<std::string, graph::NodeId>& twins);
  std::uint32_t column_index(std::uint32_t table, std::uint32_t column);
  void count_uses();

  const graph::RuleGraph& graph_;
  std::vector<graph::NodeId> step_of_;  // node → step (its own id, a twin's, a definition's)
  std::vector<Step> steps_;
  std::vector<graph::NodeId> args_;
  std::vector<TableColumn> columns_;
  std::vector<DecisionPlan> decisions_;
  std::size_t most_texts_ = 0;
};

}  // namespace tamis::runtime
