#pragma once
// What the interpreter runs: the rule graph with everything resolved that does not
// depend on the record. One step per graph node, numbered like the nodes, where
// - structurally identical expressions share one step (`leviers.axes` written in an
//   output and in a summary, `categorie dans {…}` in three summary conditions), so a
//   node is evaluated through the step of its first twin (step_of);
// - a reference to a definition (`soit`) is the step of the definition's expression;
// - operand types, constants and table columns are at hand in the step;
// - a step is remembered per record only when several steps, rules or outputs use it;
// - a set written with constants only (`{a, b}`) is built once, as a constant;
// - a test of one field against a constant (`x dans {…}`, `x est renseigné`,
//   `x <= 2025-12-31`) has its own kind, run without a call inside `et` / `ou` and
//   a decision's rules, with no switch on the operands' types at run time;
// - an `et` (`ou`) operand that is itself an `et` (`ou`) used nowhere else has its
//   operands spliced into its parent's, in the same order (same short-circuit).
// Built once per Interpreter, read-only afterwards.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/table_column.hpp"

namespace tamis::runtime {

// How the interpreter runs a step.
enum class Kind : std::uint8_t {
  Computed,  // by its graph operation (Interpreter::run)
  Const,     // Step::constant
  Field,     // the record's field `a`
  Decision,  // the outcome of decision `a`
  // Tests of the record's field `a` (its type in a_base) against Step::constant (every
  // kind from FieldIn on is one: Interpreter::condition relies on this order):
  FieldIn,        // `a` present and one of the constant set's members
  FieldNotIn,     // the negation of FieldIn
  FieldSet,       // `a` present
  FieldNotSet,    // `a` missing
  FieldEmpty,     // the set `a` has no member
  FieldNotEmpty,  // the set `a` has a member
  // `a` and the constant both present and ordered as Step::accept says:
  FieldVsInteger,
  FieldVsDecimal,  // the constant as a decimal; `a` an integer or a decimal
  FieldVsDate,
  FieldVsBoolean,
  FieldVsId,  // enum values and rows, by declaration order
};

// Which orders of (a, b) a comparison accepts, as bits: 1 a < b, 2 a == b, 4 a > b.
// `(accept >> (order + 1)) & 1` is its result for an order of -1, 0 or 1.
inline constexpr std::uint8_t kAcceptLess = 1;
inline constexpr std::uint8_t kAcceptEqual = 2;
inline constexpr std::uint8_t kAcceptGreater = 4;

struct Step {
  Kind kind = Kind::Computed;
  graph::Op op = graph::Op::Const;
  graph::Base base = graph::Base::Error;    // of the result
  graph::Base a_base = graph::Base::Error;  // of operand a / b, when they are nodes
  graph::Base b_base = graph::Base::Error;
  std::uint8_t accept = 0;  // comparisons: see kAcceptLess
  bool memo = false;        // remembered per record, in slot `slot`
  // Operands that are nodes are step ids; otherwise the graph's index (field, decision…).
  // Field tests: `a` is the field.
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  graph::Value constant;        // Const: its value; field tests: the constant operand
  std::uint32_t first_arg = 0;  // into Program::args (step ids), for And / Or / SetOf
  std::uint32_t arg_count = 0;
  // Words of the bitset built by SetOf / MemberOfSet; field tests of an enumeration or
  // table field (or a set of them): the words its ids need (0: another type).
  std::uint32_t words = 0;
  std::uint32_t column = 0;  // Member / MemberOfSet: into Program::columns
  std::uint32_t ref = 0;     // Label: the enumeration or table of the operand
  std::uint32_t slot = 0;    // memo: into the interpreter's remembered values
};

// A decision with its rules' conditions and results as step ids.
struct DecisionPlan {
  std::vector<graph::NodeId> conditions;
  std::vector<graph::NodeId> results;
  graph::NodeId fallback = graph::kNoNode;  // the fallback's result
  std::uint32_t words = 0;                  // `toutes`: words of the collected set
  bool first = false;                       // `première`: the first rule that holds decides
};

class Program {
 public:
  explicit Program(const graph::RuleGraph& graph);
  // Steps point into folded_sets_: a copy would point into the original's.
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;
  Program(Program&&) = default;

  graph::NodeId step_of(graph::NodeId node) const { return step_of_[node]; }
  const Step& step(graph::NodeId step) const { return steps_[step]; }
  const std::vector<Step>& steps() const { return steps_; }
  const std::vector<graph::NodeId>& args() const { return args_; }
  const TableColumn& column(std::uint32_t c) const { return columns_[c]; }
  const DecisionPlan& decision(std::uint32_t d) const { return decisions_[d]; }
  const std::vector<DecisionPlan>& decisions() const { return decisions_; }
  // Most distinct texts of any text column (scratch size for `rows.column`).
  std::size_t most_texts() const { return most_texts_; }
  // Steps remembered per record (their Step::slot is below this).
  std::uint32_t memo_slots() const { return memo_slots_; }
  // Per step: read by an output, a summary or a rule's result (not only by conditions).
  const std::vector<bool>& read_by_values() const { return read_by_values_; }

 private:
  void lower(graph::NodeId node, std::unordered_map<std::string, graph::NodeId>& twins);
  std::uint32_t column_index(std::uint32_t table, std::uint32_t column);
  void count_uses();
  void fold_constant_sets();
  void splice_nested_args();
  void append_spliced(graph::NodeId step, graph::Op op, std::vector<graph::NodeId>& out) const;
  void specialise_field_tests();
  void specialise_test(Step& s) const;
  void specialise_comparison(Step& s) const;

  const graph::RuleGraph& graph_;
  std::vector<graph::NodeId> step_of_;  // node → step (its own id, a twin's, a definition's)
  std::vector<Step> steps_;
  std::vector<graph::NodeId> args_;
  std::vector<TableColumn> columns_;
  std::vector<DecisionPlan> decisions_;
  std::vector<std::vector<std::uint64_t>> folded_sets_;  // the words of folded SetOf steps
  std::size_t most_texts_ = 0;
  std::uint32_t memo_slots_ = 0;
  std::vector<bool> read_by_values_;
};

// Marks in `read` (one per step) `step` and every step its value reads, definitions included.
void mark_read(const std::vector<Step>& steps, const std::vector<graph::NodeId>& args,
               graph::NodeId step, std::vector<bool>& read);

// Whether evaluating `node` can fail once every decision is decided (a decision fails,
// if at all, when it is decided): integer arithmetic (overflow), division (by zero) and
// negation (overflow), in the node or its operands, definitions included.
bool may_fail_after_decisions(const graph::RuleGraph& graph, graph::NodeId node);

// For each node, the name of what holds it in the rule files: the definition, rule,
// output column or summary whose expression it is part of ("" for none). A node
// shared by several (a definition used in many rules) belongs to the first of them,
// in that order: definitions first, so an error inside `soit` names the definition.
// Built only when an evaluation error is reported (rare), for its message.
std::vector<std::string_view> node_owners(const graph::RuleGraph& graph);

}  // namespace tamis::runtime
