#pragma once
// Evaluates the rule graph for one record at a time, through the Program built
// from it: steps are evaluated on demand (so `et`/`ou` short-circuit), a step used
// in several places (definitions, shared sub-expressions) and each decision at most
// once per record. One Interpreter per thread: it holds per-record state, the graph
// is shared.
#include <optional>
#include <string>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/arena.hpp"
#include "runtime/eval/program.hpp"
#include "runtime/eval/record.hpp"
#include "runtime/eval/value_format.hpp"

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

  graph::Value evaluate(graph::NodeId node) { return value_of(program_.step_of(node)); }
  const DecisionOutcome& decide(std::uint32_t decision);

  // A problem found while evaluating this record (division by zero, overflow,
  // two rules of a `unique` decision applying); empty when all went well.
  const std::string& error() const { return error_; }

 private:
  // The value of a step: a constant, a field, a remembered value, or computed.
  graph::Value value_of(graph::NodeId step) {
    const Step& s = program_.step(step);
    if (s.op == graph::Op::Const) return s.constant;
    if (s.op == graph::Op::Field) return fields_[s.a];
    if (!s.memo) return run(s);
    if (stamp_[step] == epoch_) return slots_[step];
    const graph::Value v = run(s);
    slots_[step] = v;
    stamp_[step] = epoch_;
    return v;
  }
  bool condition(graph::NodeId step) { return value_of(step).boolean; }
  graph::Value run(const Step& s);
  // One per operation (run() dispatches to them).
  [[gnu::noinline]] graph::Value decided(const Step& s);
  [[gnu::noinline]] graph::Value rule_name(const Step& s);
  [[gnu::noinline]] graph::Value unknowns(const Step& s);
  [[gnu::noinline]] graph::Value label(const Step& s);
  [[gnu::noinline]] graph::Value count(const Step& s);
  [[gnu::noinline]] graph::Value negation(const Step& s);
  [[gnu::noinline]] graph::Value minus(const Step& s);
  [[gnu::noinline]] graph::Value is_set(const Step& s);
  [[gnu::noinline]] graph::Value is_empty(const Step& s);
  [[gnu::noinline]] graph::Value all(const Step& s);
  [[gnu::noinline]] graph::Value any(const Step& s);
  [[gnu::noinline]] graph::Value compare(const Step& s);
  [[gnu::noinline]] graph::Value in_set(const Step& s);
  [[gnu::noinline]] graph::Value contains(const Step& s);
  [[gnu::noinline]] graph::Value arithmetic(const Step& s);
  [[gnu::noinline]] graph::Value default_value(const Step& s);
  [[gnu::noinline]] graph::Value to_decimal(const Step& s);
  [[gnu::noinline]] graph::Value set_of(const Step& s);
  [[gnu::noinline]] graph::Value member(const Step& s);
  [[gnu::noinline]] graph::Value member_of_set(const Step& s);
  void fail(std::string message);

  const graph::RuleGraph& graph_;
  Program program_;
  const graph::Value* fields_ = nullptr;
  const Record* record_ = nullptr;
  std::uint32_t epoch_ = 1;
  std::vector<graph::Value> slots_;  // remembered step values, valid when stamp_ == epoch_
  std::vector<std::uint32_t> stamp_;
  std::vector<DecisionOutcome> decision_values_;
  std::vector<std::uint32_t> decision_epoch_;
  std::vector<std::uint32_t> text_seen_;  // `rows.column` over texts: seen when == text_mark_
  std::uint32_t text_mark_ = 0;
  Arena<std::uint64_t> words_;
  Arena<std::string_view> texts_;
  std::string error_;
};

// Orders two present values of comparable types: -1, 0 or 1 (numbers across
// integer/decimal, dates, texts byte-wise, enum values and rows by declaration order).
int compare_values(const graph::Value& a, graph::Base a_base, const graph::Value& b,
                   graph::Base b_base);

}  // namespace tamis::runtime
