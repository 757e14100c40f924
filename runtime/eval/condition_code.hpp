#pragma once
// Rule conditions compiled to jumping code: `et`, `ou` and `non` become branches
// between the tests they combine, each test saying where to go when it holds and when
// it does not, so that a rule's condition runs as one loop over tests
// (Interpreter::answer) instead of a call per `et` / `ou` and per definition.
//
//   `a et (b ou non c)`          0  test a   holds → 1      fails → FAILS
//                                1  test b   holds → HOLDS  fails → 2
//                                2  test c   holds → FAILS  fails → HOLDS
//
// The same short-circuit order as Interpreter::all / any: the same tests run, in the
// same order, and the same values result. A remembered `et` / `ou` / `non` (a
// definition several rules use) is a subroutine, compiled once: `Recall` answers from
// the remembered value, or runs the subroutine, whose exits `Remember` the value and
// return where Recall was reached (a small stack: subroutines nest as definitions do).
// A small one (kInlineBranches) is copied where it is used instead: `RecallOrRun` answers
// from the remembered value, or runs the copy, whose exits `Note` the value and go on
// where that use goes, without the stack.
// Any other step is a `Test`, run by Interpreter::condition.
#include <cstdint>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/program.hpp"

namespace tamis::runtime {

struct Branch {
  // What a branch does; Interpreter::answer jumps to each one's code through a table of
  // label addresses, in this order.
  enum class Op : std::uint8_t {
    // A test of the record's field at `a` against `constant`, one per Kind from
    // Kind::FieldIn on, in the same order:
    FieldIn,
    FieldNotIn,
    FieldSet,
    FieldNotSet,
    FieldEmpty,
    FieldNotEmpty,
    FieldVsInteger,
    FieldVsDecimal,
    FieldVsDate,
    FieldVsBoolean,
    FieldVsId,
    // FieldIn of a set of one word (at most 64 members), the word in `constant.integer`,
    // on a field whose ids fit that word (Step::words 1): the test reads no word through
    // a pointer (answer<true> 106 -> 100 instructions a dossier), and checks no range.
    FieldInWord,
    // FieldEmpty, FieldNotEmpty of a set of at most 64 members (Step::words 1): its one
    // word read, no loop on its size nor test of its base. (COP 2024: `leviers`,
    // `financements`.)
    FieldEmptyWord,
    FieldNotEmptyWord,
    // FieldVsDate whose accepted dates are one range: from `constant.date`, `constant.size`
    // days more at most (one subtraction and one comparison, not an order computed and
    // looked up: 2,557 -> 2,553 instructions a dossier).
    FieldDateWithin,
    Test,         // condition(a): any other step
    Recall,       // the remembered value of slot `a`, else call `body` and come back
    Remember,     // a subroutine's exit: remember `value` in slot `a`, return with it
    RecallOrRun,  // the remembered value of slot `a`, else run `body`, a copy ending in Notes
    Note,         // a copy's exit: remember `value` in slot `a`, go on to on_true
    Exit,         // the code ends with answer `a` (and an outcome when `value`); the last
                  // (answer()'s table: in_enum_order)
  };
  // The answers of Exit: for a condition, 0 when it fails, 1 when it holds; for a
  // decision whose first rule that holds decides, 1 + r for rule r, 0 for none.
  Op op = Op::Test;
  // Field comparisons: Step::accept; FieldVsBoolean: the booleans that hold, as bits
  // (bit 1: `oui`, bit 0: `non`), so that the test is one shift of its field's value.
  std::uint8_t accept = 0;
  graph::Base a_base = graph::Base::Error;  // field tests: the field's (Step::a_base)
  bool value = false;                       // Remember, Note
  // Field tests: where the field's value is among the record's, in bytes (no index to
  // scale); the step (Test), the slot (Recall, Remember, RecallOrRun, Note), the answer
  // (Exit).
  std::uint32_t a = 0;
  // Where to go next, as addresses: reached with a load, not an index scaled and added.
  const Branch* on_true = nullptr;
  const Branch* on_false = nullptr;
  const Branch* body = nullptr;  // Recall: the subroutine's first branch; RecallOrRun: the copy's
  // Field tests: Step::constant; the Exit of a `première` decision's rule (or of none)
  // whose result is a constant (or that has no fallback) when `value`: the outcome's
  // value, with `rule` (DecisionOutcome::rule), so that the decision reads no result.
  graph::Value constant;
  std::int32_t rule = 0;
  // Interpreter::answer's code for `op` (ConditionCode::set_code): one load a branch, not
  // the op and then its entry in a table.
  const void* code = nullptr;
};

class ConditionCode {
 public:
  ConditionCode() = default;
  // Compiles the rules' conditions of `decisions` (step ids of `steps` and `args`): for a
  // decision whose first rule that holds decides, one code for all its rules in turn;
  // for the others, a code per rule.
  // `read_by_values`, `slots`: Program::read_by_values(), Program::memo_slots().
  ConditionCode(const std::vector<Step>& steps, const std::vector<graph::NodeId>& args,
                const std::vector<DecisionPlan>& decisions, const std::vector<bool>& read_by_values,
                std::uint32_t slots);
  // Branches point to one another: a copy would point into the original.
  ConditionCode(const ConditionCode&) = delete;
  ConditionCode& operator=(const ConditionCode&) = delete;
  ConditionCode(ConditionCode&&) = default;
  ConditionCode& operator=(ConditionCode&&) = default;

  // A `première` decision's code: where its rules' code starts, and whether it runs
  // alone: field tests, copies (RecallOrRun, Note) and exits only, none shared with
  // another decision, so that it may run in Interpreter::answer<true>, which calls
  // nothing. `entry` is nullptr for a decision of another policy.
  struct FirstCode {
    const Branch* entry = nullptr;
    bool alone = false;
  };
  const FirstCode& first_code(std::uint32_t d) const { return first_[d]; }
  // Decision `d` (not DecisionPlan::first): where rule `r`'s condition starts.
  const Branch* rule_entry(std::uint32_t d, std::size_t r) const { return entries_[d][r]; }
  // Sets each branch's `code` to `by_op`[its op], or `alone_by_op`[its op] for the
  // branches of a decision that runs alone (FirstCode).
  void set_code(const void* const* by_op, const void* const* alone_by_op) {
    for (std::size_t i = 0; i < branches_.size(); ++i) {
      const auto op = static_cast<std::size_t>(branches_[i].op);
      branches_[i].code = branch_alone_[i] ? alone_by_op[op] : by_op[op];
    }
  }

 private:
  friend class ConditionCompiler;
  // Whether the branches from `begin` on, a `première` decision's, run alone (FirstCode).
  bool mark_alone(std::uint32_t begin);
  std::vector<Branch> branches_;
  std::vector<std::vector<const Branch*>> entries_;  // per decision
  std::vector<FirstCode> first_;                     // per decision
  std::vector<bool> branch_alone_;                   // per branch: its decision's alone
};

}  // namespace tamis::runtime
