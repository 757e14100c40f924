#include "runtime/eval/condition_code.hpp"

#include <stdexcept>

namespace tamis::runtime {

using graph::NodeId;

namespace {

constexpr std::uint32_t kNone = UINT32_MAX;

// The steps compiled into branches rather than tested: `et`, `ou`, `non` computed
// by the interpreter (a field test is already a test).
bool combines(const Step& s) {
  return s.kind == Kind::Computed &&
         (s.op == graph::Op::And || s.op == graph::Op::Or || s.op == graph::Op::Not);
}

}  // namespace

// Builds a ConditionCode's branches (see there).
class ConditionCompiler {
 public:
  ConditionCompiler(ConditionCode& code, const std::vector<Step>& steps,
                    const std::vector<NodeId>& args)
      : code_(code), steps_(steps), args_(args), subroutine_of_(steps.size(), kNone) {}

  std::uint32_t emit(NodeId step, std::uint32_t on_true, std::uint32_t on_false) {
    const Step& s = steps_[step];
    if (!combines(s)) {
      Branch test;
      test.step = step;
      test.test = s;
      test.on_true = on_true;
      test.on_false = on_false;
      return push(test);
    }
    if (!s.memo) return emit_body(step, on_true, on_false);
    Branch recall;
    recall.op = Branch::Op::Recall;
    recall.slot = s.slot;
    recall.body = subroutine(step);
    recall.on_true = on_true;
    recall.on_false = on_false;
    return push(recall);
  }

 private:
  std::uint32_t push(Branch b) {
    // Indices stay below kExit: a rule set that large could not be loaded anyway.
    if (code_.branches_.size() >= Branch::kExit)
      throw std::length_error("ConditionCode: too many branches");
    code_.branches_.push_back(b);
    return static_cast<std::uint32_t>(code_.branches_.size() - 1);
  }

  // Operands are emitted last to first: each one's successors exist when it is emitted.
  std::uint32_t emit_body(NodeId step, std::uint32_t on_true, std::uint32_t on_false) {
    const Step& s = steps_[step];
    if (s.op == graph::Op::Not) return emit(s.a, on_false, on_true);
    const bool all = s.op == graph::Op::And;
    std::uint32_t next = all ? on_true : on_false;
    for (std::uint32_t i = s.arg_count; i-- > 0;) {
      const NodeId arg = args_[s.first_arg + i];
      next = all ? emit(arg, next, on_false) : emit(arg, on_true, next);
    }
    return next;
  }

  // A remembered step's code, compiled the first time a condition uses it.
  std::uint32_t subroutine(NodeId step) {
    if (subroutine_of_[step] != kNone) return subroutine_of_[step];
    Branch exit;
    exit.op = Branch::Op::Remember;
    exit.slot = steps_[step].slot;
    exit.value = true;
    const std::uint32_t remember_true = push(exit);
    exit.value = false;
    const std::uint32_t remember_false = push(exit);
    subroutine_of_[step] = emit_body(step, remember_true, remember_false);
    return subroutine_of_[step];
  }

  ConditionCode& code_;
  const std::vector<Step>& steps_;
  const std::vector<NodeId>& args_;
  std::vector<std::uint32_t> subroutine_of_;  // per step: its first branch, or kNone
};

ConditionCode::ConditionCode(const std::vector<Step>& steps, const std::vector<NodeId>& args,
                             const std::vector<DecisionPlan>& decisions) {
  ConditionCompiler compiler(*this, steps, args);
  for (const DecisionPlan& plan : decisions) {
    auto& entries = entries_.emplace_back();
    const auto rules = static_cast<std::uint32_t>(plan.conditions.size());
    if (plan.first) {  // rule r holds: exit(1 + r); else the next rule
      std::uint32_t next = Branch::exit(0);
      for (std::uint32_t r = rules; r-- > 0;)
        next = compiler.emit(plan.conditions[r], Branch::exit(1 + r), next);
      entries.push_back(next);
      continue;
    }
    for (std::uint32_t r = 0; r < rules; ++r)
      entries.push_back(compiler.emit(plan.conditions[r], Branch::exit(1), Branch::exit(0)));
  }
}

}  // namespace tamis::runtime
