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
// Any other step is a `Test`, run by Interpreter::condition.
#include <cstdint>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/program.hpp"

namespace tamis::runtime {

struct Branch {
  enum class Op : std::uint8_t {
    Test,      // condition(step), or the field test in `test`
    Recall,    // the remembered value of `slot`, else call `body` and come back
    Remember,  // a subroutine's exit: remember `value` in `slot`, return with it
  };
  // Branch indices are below kExit; from kExit on, a target ends the code with an
  // answer: exit(0) / exit(1) for a condition that fails / holds, and for a decision
  // whose first rule that holds decides, exit(1 + r) for rule r, exit(0) for none.
  static constexpr std::uint32_t kExit = 0xF0000000u;
  static constexpr std::uint32_t exit(std::uint32_t answer) { return kExit + answer; }

  Op op = Op::Test;
  bool value = false;      // Remember
  std::uint32_t step = 0;  // Test
  Step test;               // Test: a copy of the step, so that field tests run from here
  std::uint32_t slot = 0;  // Recall, Remember: Step::slot
  std::uint32_t body = 0;  // Recall: the subroutine's first branch
  std::uint32_t on_true = 0;
  std::uint32_t on_false = 0;
};

class ConditionCode {
 public:
  ConditionCode() = default;
  // Compiles the rules' conditions of `decisions` (step ids of `steps` and `args`): for a
  // decision whose first rule that holds decides, one code for all its rules in turn;
  // for the others, a code per rule.
  ConditionCode(const std::vector<Step>& steps, const std::vector<graph::NodeId>& args,
                const std::vector<DecisionPlan>& decisions);

  // Decision `d` (DecisionPlan::first): where its rules' code starts.
  std::uint32_t first_rule_entry(std::uint32_t d) const { return entries_[d][0]; }
  // Decision `d` (not DecisionPlan::first): where rule `r`'s condition starts.
  std::uint32_t rule_entry(std::uint32_t d, std::size_t r) const { return entries_[d][r]; }
  const Branch* branches() const { return branches_.data(); }

 private:
  friend class ConditionCompiler;
  std::vector<Branch> branches_;
  std::vector<std::vector<std::uint32_t>> entries_;  // per decision
};

}  // namespace tamis::runtime
