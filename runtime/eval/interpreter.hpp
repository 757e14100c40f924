#pragma once
// Evaluates the rule graph for one record at a time, through the Program built
// from it: steps are evaluated on demand (so `et`/`ou` short-circuit), a step used
// in several places (definitions, shared sub-expressions) and each decision at most
// once per record. One Interpreter per thread: it holds per-record state, the graph
// is shared.
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/arena.hpp"
#include "runtime/eval/condition_code.hpp"
#include "runtime/eval/program.hpp"
#include "runtime/eval/record.hpp"
#include "runtime/eval/value_format.hpp"
#include "support/decimal.hpp"

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

  // Starts a new record; previous values and scratch memory are released. Inline: a
  // call a row cost more than the few stores it makes.
  void load(const Record& record) {
    record_ = &record;
    fields_ = record.fields.data();
    reload();
  }

  // load() of the record loaded last, whose vectors kept their places and whose values are
  // new: the record and its fields not stored again (Classifier::classify_into: 2,150.1 ->
  // 2,147.1 instructions per dossier).
  void reload() {
    if (++epoch_ == 0) restart_epochs();  // wrapped: no stamp may look current
    words_.reset();
    texts_.reset();
    // returns_ is not cleared: every answer() runs to its Exit, and a subroutine's code
    // ends at a Remember that pops what its Recall pushed, so it is empty between them.
    if (!error_.empty()) [[unlikely]]  // a test, no stores, a row (process 191.4 -> 190.5)
      error_.clear();
    // (One flag set by every allocation and error, tested here instead of these three,
    // saved 3.1 instructions per dossier but made evaluation alone about 5 % slower in
    // time: tamis_eval_bench on 1,000,000 records, 6 alternate runs, medians 5.57 M
    // against 5.30 M dossiers/s. Not kept.)
  }

  graph::Value evaluate(graph::NodeId node) { return value_of(program_.step_of(node)); }
  // The loaded record's field `f`: what evaluating a Field node of it gives.
  const graph::Value& field(std::uint32_t f) const { return fields_[f]; }
  // The outcome of a decision decide() already gave for the loaded record: read without
  // asking whether it is decided (Classifier's output columns, after every decision is).
  const DecisionOutcome& decided(std::uint32_t decision) const {
    return decision_values_[decision];
  }
  const DecisionOutcome& decide(std::uint32_t decision) {
    if (decision_epoch_[decision] == epoch_) return decision_values_[decision];
    return decide_now(decision);
  }
  // Decides the first `decisions` decisions in order, right after load(): the first is
  // not asked whether it is decided, as none is yet (Classifier's rows: process 205 -> 196
  // instructions a dossier).
  // The first one, when it runs alone (ConditionCode::FirstCode), handed to answer<true>
  // here: no call to decide_now() a row (process + decide_now 3 + 15 -> 8 a dossier).
  void decide_all(std::uint32_t decisions) {
    if (decisions == 0) return;
    decision_epoch_[0] = epoch_;
    const ConditionCode::FirstCode& code = conditions_.first_code(0);
    if (code.alone) [[likely]] {
      answer<true>(code.entry, &decision_values_[0]);
    } else {
      decide_elsewise(0, code);
    }
    if (decisions > 1) [[unlikely]]
      decide_from(1, decisions);
  }

  // A program of one decision, which runs alone (ConditionCode::FirstCode): decide_sole()
  // then does what decide_all(1) does, with no test of the count nor of the decision's
  // code, one load for this test and the code's entry (COP 2024's: 2,066.1 -> 2,060.1
  // instructions per dossier).
  bool sole_alone() const { return sole_entry_ != nullptr; }
  void decide_sole() {
    decision_epoch_[0] = epoch_;
    answer<true>(sole_entry_, decision_values_.data());
  }

  // A problem found while evaluating this record (division by zero, overflow,
  // two rules of a `unique` decision applying); empty when all went well.
  const std::string& error() const { return error_; }

 private:
  struct Remembered {
    graph::Value value;
    std::uint32_t epoch = 0;  // value valid when == epoch_
  };

  // The value of a step: a constant, a field, a test, a remembered value, or computed.
  graph::Value value_of(graph::NodeId step) {
    const Step& s = program_.step(step);
    switch (s.kind) {
      case Kind::Computed:
        break;
      case Kind::Const:
        return s.constant;
      case Kind::Field:
        return fields_[s.a];
      case Kind::Decision:
        return decide(s.a).value;
      default:
        return graph::Value::of_bool(field_test(s));
    }
    if (!s.memo) return run(s);
    Remembered& r = remembered_[s.slot];
    if (r.epoch == epoch_) return r.value;
    const graph::Value v = run(s);
    r = {v, epoch_};
    return v;
  }
  // Whether a boolean step holds; field tests without a call.
  bool condition(graph::NodeId step) {
    const Step& s = program_.step(step);
    if (s.kind >= Kind::FieldIn) return field_test(s);
    if (s.kind == Kind::Computed && !s.memo) return run(s).boolean;
    return value_of(step).boolean;
  }
  // A field test (Kind::FieldIn and after).
  bool field_test(const Step& s) const {
    const graph::Value& v = fields_[s.a];
    switch (s.kind) {
      case Kind::FieldIn:
        return v.present && s.constant.has_bit(v.id);
      case Kind::FieldNotIn:
        return !(v.present && s.constant.has_bit(v.id));
      case Kind::FieldSet:
        return v.present;
      case Kind::FieldNotSet:
        return !v.present;
      case Kind::FieldEmpty:
        return is_empty_set(v, s.a_base);
      case Kind::FieldNotEmpty:
        return !is_empty_set(v, s.a_base);
      case Kind::FieldVsInteger:
        return v.present && accepts(s, order_of(v.integer, s.constant.integer));
      case Kind::FieldVsDecimal:
        return v.present &&
               accepts(s, s.a_base == graph::Base::Decimal
                              ? order_of(v.decimal, s.constant.decimal)
                              : decimal::compare_integer(v.integer, s.constant.decimal));
      case Kind::FieldVsDate:
        return v.present && accepts(s, order_of(v.date, s.constant.date));
      case Kind::FieldVsBoolean:
        return v.present && accepts(s, order_of(v.boolean, s.constant.boolean));
      case Kind::FieldVsId:
        return v.present && accepts(s, order_of(v.id, s.constant.id));
      default:  // not a field test: never asked (each caller checks the kind). Said so
        // that the jump on the kind has no range check: answer() 312 -> 297 a dossier.
        __builtin_unreachable();
    }
  }
  template <typename T>
  static int order_of(T x, T y) {
    return (x > y) - (x < y);
  }
  static bool accepts(const Step& s, int order) { return ((s.accept >> (order + 1)) & 1) != 0; }
  static bool is_empty_set(const graph::Value& v, graph::Base element) {
    if (element == graph::Base::Text) return v.size == 0;
    for (std::uint32_t w = 0; w < v.size; ++w) {
      if (v.words[w] != 0) return false;
    }
    return true;
  }
  const DecisionOutcome& decide_now(std::uint32_t decision);
  // decide_all() of the decisions from `first` on: out of line, so that a row of one
  // decision sets up no loop (2 instructions a dossier).
  [[gnu::noinline]] void decide_from(std::uint32_t first, std::uint32_t decisions) {
    for (std::uint32_t d = first; d < decisions; ++d) decide(d);
  }
  // decide_now() of a decision that does not run alone (ConditionCode::FirstCode): out of
  // line, so that decide_now() saves no register (decide_now 24 -> 15).
  [[gnu::noinline]] const DecisionOutcome& decide_elsewise(std::uint32_t decision,
                                                           const ConditionCode::FirstCode& code);
  // decide_now() of a `unique` decision, a `toutes` one; `out` cleared.
  [[gnu::noinline]] const DecisionOutcome& decide_unique(std::uint32_t decision,
                                                         DecisionOutcome& out);
  [[gnu::noinline]] const DecisionOutcome& decide_collect(std::uint32_t decision,
                                                          DecisionOutcome& out);
  // No rule decided: the fallback's outcome, if any.
  const DecisionOutcome& decide_fallback(const DecisionPlan& plan, DecisionOutcome& out);
  [[gnu::noinline]] void restart_epochs();
  // Runs the code that starts at branch `b` (ConditionCode) to its Exit, whose `a` is
  // the answer: for a rule's condition 1 when it holds, else 0; for a decision's rules
  // in turn, 1 + the rule that holds first, else 0. kAlone: the code of a decision that
  // runs alone (ConditionCode::FirstCode), with no call, so that no register is saved
  // on the way in and out (the other branches' code is left out of that copy: answer
  // 137 -> 123 instructions a dossier); its branches' code is set from this copy's table.
  // answer<true> ends the decision too: it writes the outcome ready in the Exit to
  // `out` (decide_result() when not ready) and returns `out`, so that decide_now() hands
  // over to it without keeping a register across a call.
  template <bool kAlone = false>
  std::conditional_t<kAlone, const DecisionOutcome*, const Branch*> answer(
      const Branch* b, DecisionOutcome* out = nullptr);
  // decide_now() of a `première` decision once rule `hit` - 1 held (0: none) and its
  // outcome is not ready in its Exit.
  [[gnu::noinline]] const DecisionOutcome& decide_result(std::uint32_t decision, std::uint32_t hit,
                                                         DecisionOutcome& out);
  const void* const* alone_code_ = nullptr;  // answer<true>'s table, for set_code
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
  // fail() with `what` went wrong at step `s`, said with where it is written:
  // « division par zéro dans « ratio » (classement.tamis:12) ».
  void fail_at(const Step& s, std::string_view what);
  // " (classement.tamis:12)", or "" when the range is unknown.
  std::string where_written(const SourceRange& range) const;
  // The decimal, or an overflow error (missing value) at step `s` when a calculation
  // left the range.
  graph::Value decimal_or_fail(const Step& s, std::optional<std::int64_t> d);

  const graph::RuleGraph& graph_;
  Program program_;
  ConditionCode conditions_;
  // Where each subroutine running in answer() returns: its Recall's on_true, on_false.
  std::vector<std::pair<const Branch*, const Branch*>> returns_;
  const graph::Value* fields_ = nullptr;
  const Record* record_ = nullptr;
  std::uint32_t epoch_ = 1;
  std::vector<Remembered> remembered_;  // one per Step::slot
  std::vector<DecisionOutcome> decision_values_;
  std::vector<std::uint32_t> decision_epoch_;
  std::vector<std::uint32_t> text_seen_;  // `rows.column` over texts: seen when == text_mark_
  std::uint32_t text_mark_ = 0;
  Arena<std::uint64_t> words_;
  Arena<std::string_view> texts_;
  std::string error_;
  const Branch* sole_entry_ = nullptr;         // sole_alone()'s entry, else nullptr
  std::vector<std::string_view> node_owners_;  // node_owners(), built at the first error
};

// Instantiated in interpreter.cpp, where answer() is defined (decide_all calls it).
extern template const DecisionOutcome* Interpreter::answer<true>(const Branch*, DecisionOutcome*);

// Orders two present values of comparable types: -1, 0 or 1 (numbers across
// integer/decimal, dates, texts byte-wise, enum values and rows by declaration order).
int compare_values(const graph::Value& a, graph::Base a_base, const graph::Value& b,
                   graph::Base b_base);

}  // namespace tamis::runtime
