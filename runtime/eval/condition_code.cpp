#include "runtime/eval/condition_code.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <utility>

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

// Builds a ConditionCode's branches (see there): their targets as indices while they are
// pushed (the vector moves as it grows), made addresses once all are (resolve).
class ConditionCompiler {
 public:
  ConditionCompiler(ConditionCode& code, const std::vector<Step>& steps,
                    const std::vector<NodeId>& args)
      : code_(code), steps_(steps), args_(args), subroutine_of_(steps.size(), kNone) {}

  std::uint32_t emit(NodeId step, std::uint32_t on_true, std::uint32_t on_false) {
    const Step& s = steps_[step];
    if (!combines(s)) {
      Branch test;
      if (s.kind >= Kind::FieldIn) {  // run by Interpreter::answer itself
        test.op = field_test_op(s.kind);
        test.a = s.a * std::uint32_t{sizeof(graph::Value)};
        test.accept = s.kind == Kind::FieldVsBoolean ? booleans_that_hold(s) : s.accept;
        test.a_base = s.a_base;
        test.constant = s.constant;
        if (s.kind == Kind::FieldIn && in_one_word(s)) {
          test.op = Branch::Op::FieldInWord;
          test.constant.integer = static_cast<std::int64_t>(s.constant.words[0]);
        }
        if (s.kind == Kind::FieldVsDate) date_range(test);
        if (s.words == 1 && s.kind == Kind::FieldEmpty) test.op = Branch::Op::FieldEmptyWord;
        if (s.words == 1 && s.kind == Kind::FieldNotEmpty) test.op = Branch::Op::FieldNotEmptyWord;
        if (test.op == Branch::Op::FieldSet && fails_when_missing(on_true, test.a, on_false))
          return on_true;
      } else {
        test.a = step;
      }
      return push(test, {on_true, on_false, kNone});
    }
    if (!s.memo) return emit_body(step, on_true, on_false);
    Branch recall;
    recall.a = s.slot;
    if (copied(step)) {
      recall.op = Branch::Op::RecallOrRun;
      const std::uint32_t copy =
          emit_body(step, note(s.slot, true, on_true), note(s.slot, false, on_false));
      return push(recall, {on_true, on_false, copy});
    }
    recall.op = Branch::Op::Recall;
    return push(recall, {on_true, on_false, subroutine(step)});
  }

  // The branch that ends the code with `answer`, one for each answer.
  std::uint32_t exit(std::uint32_t answer) {
    if (answer >= exits_.size()) exits_.resize(answer + 1, kNone);
    if (exits_[answer] == kNone) {
      Branch exit;
      exit.op = Branch::Op::Exit;
      exit.a = answer;
      exits_[answer] = push(exit, {kNone, kNone, kNone});
    }
    return exits_[answer];
  }

  // The exit of `plan`'s rule r (answer 1 + r), or of none (answer 0): with the outcome
  // when it is a constant's, or nothing (no fallback), as Interpreter::decide_now reads it.
  std::uint32_t decision_exit(const DecisionPlan& plan, std::uint32_t decision,
                              std::uint32_t answer) {
    const std::uint32_t at = exit(answer);
    Branch& b = code_.branches_[at];
    const NodeId result = answer == 0 ? plan.fallback : plan.results[answer - 1];
    if (result == graph::kNoNode) {
      b.value = true;
      b.rule = -2;  // kNoRule (interpreter.hpp)
    } else if (steps_[result].kind == Kind::Const) {
      b.value = true;
      b.constant = steps_[result].constant;
      b.rule = answer == 0 ? -1 : static_cast<std::int32_t>(answer - 1);  // kFallbackRule: -1
    } else {
      b.rule = static_cast<std::int32_t>(decision);  // not ready: the decision, for its result
    }
    return at;
  }

  // The code of a decision that runs alone, branches `begin` to `size`, entered at
  // `entry`, without its RecallOrRun branches: where the copy's value is known on the way
  // (a Note, or the RecallOrRun of the same copy passed before), on to where the value
  // leads; elsewhere, into the copy, whose Notes remember the value for the record unless
  // `note_left_out`[slot] (passed by, their value known on). Exact since such code only
  // tests fields: running a copy again gives the value remembered.
  // Returns the entry, which may have moved. (COP 2024: `contribue`, used by two rules:
  // answer 131 -> 118 instructions a dossier.)
  std::uint32_t skip_recalls(std::uint32_t begin, std::uint32_t size, std::uint32_t entry,
                             const std::vector<bool>& note_left_out) {
    const std::vector<Branch>& branches = code_.branches_;
    // Per branch from `begin`: the slots' values known on every way to it (reached), in
    // (slot, value) pairs sorted by slot.
    using Known = std::vector<std::pair<std::uint32_t, bool>>;
    std::vector<Known> known(size - begin);
    std::vector<bool> reached(size - begin, false);
    const auto value_in = [](const Known& k, std::uint32_t slot) -> const bool* {
      for (const auto& [s, v] : k) {
        if (s == slot) return &v;
      }
      return nullptr;
    };
    const auto with = [](Known k, std::uint32_t slot, bool value) {
      k.emplace_back(slot, value);
      std::sort(k.begin(), k.end());
      return k;
    };
    // The target past RecallOrRun branches, then what it learns on this way.
    const auto go = [&](std::uint32_t& target, Known on_the_way) {
      if (target == kNone) return;
      while (true) {
        const Branch& b = branches[target];
        if (b.op == Branch::Op::RecallOrRun) {
          const bool* value = value_in(on_the_way, b.a);
          target = value == nullptr
                       ? targets_[target].body
                       : (*value ? targets_[target].on_true : targets_[target].on_false);
        } else if (b.op == Branch::Op::Note && note_left_out[b.a]) {
          if (value_in(on_the_way, b.a) == nullptr) on_the_way = with(on_the_way, b.a, b.value);
          target = targets_[target].on_true;
        } else {
          break;
        }
      }
      const std::uint32_t at = target - begin;
      if (!reached[at]) {
        reached[at] = true;
        known[at] = on_the_way;
        return;
      }
      Known both;  // known on both ways
      std::set_intersection(known[at].begin(), known[at].end(), on_the_way.begin(),
                            on_the_way.end(), std::back_inserter(both));
      known[at] = std::move(both);
    };
    Known none;
    go(entry, none);
    // Targets are pushed before the branches that lead to them: from the last branch
    // down, every way to a branch is seen before the branch.
    for (std::uint32_t i = size; i-- > begin;) {
      if (!reached[i - begin]) continue;
      const Known k = known[i - begin];
      Targets& t = targets_[i];
      if (branches[i].op == Branch::Op::Note) {  // a Note kept
        go(t.on_true, with(k, branches[i].a, branches[i].value));
      } else if (branches[i].op != Branch::Op::Exit) {  // a field test (no RecallOrRun reached)
        go(t.on_true, k);
        go(t.on_false, k);
      }
    }
    return entry;
  }

  // Starts a decision's code: its exits are its own (runs_alone).
  void begin_decision() { exits_.clear(); }
  std::uint32_t size() const { return static_cast<std::uint32_t>(code_.branches_.size()); }

  // The targets as addresses, the entries too, once every branch is pushed.
  void resolve(const std::vector<std::vector<std::uint32_t>>& entries) {
    const Branch* const base = code_.branches_.data();
    const auto at = [base](std::uint32_t index) { return index == kNone ? nullptr : base + index; };
    for (std::size_t i = 0; i < code_.branches_.size(); ++i) {
      code_.branches_[i].on_true = at(targets_[i].on_true);
      code_.branches_[i].on_false = at(targets_[i].on_false);
      code_.branches_[i].body = at(targets_[i].body);
    }
    for (const auto& decision : entries) {
      auto& resolved = code_.entries_.emplace_back();
      for (const std::uint32_t entry : decision) resolved.push_back(at(entry));
    }
  }

 private:
  struct Targets {
    std::uint32_t on_true, on_false, body;
  };

  std::uint32_t push(const Branch& b, const Targets& targets) {
    // Indices stay 32-bit: a rule set that large could not be loaded anyway.
    if (code_.branches_.size() >= kNone)
      throw std::length_error("ConditionCode: too many branches");
    code_.branches_.push_back(b);
    targets_.push_back(targets);
    return static_cast<std::uint32_t>(code_.branches_.size() - 1);
  }

  // Whether branch `b` tests the field at `a` and fails, to `on_false`, when it is missing:
  // a FieldSet test of that field going on to `b` when it holds and to `on_false` when
  // not is then left out, `b` testing it (`date_demarrage est renseigné et date_demarrage
  // <= horizon`: one branch less, 2,561 -> 2,557 instructions a dossier).
  bool fails_when_missing(std::uint32_t b, std::uint32_t a, std::uint32_t on_false) const {
    if (b == kNone || targets_[b].on_false != on_false) return false;
    const Branch& test = code_.branches_[b];
    if (test.a != a) return false;
    switch (test.op) {
      case Branch::Op::FieldIn:
      case Branch::Op::FieldSet:
      case Branch::Op::FieldVsInteger:
      case Branch::Op::FieldVsDecimal:
      case Branch::Op::FieldVsDate:
      case Branch::Op::FieldVsBoolean:
      case Branch::Op::FieldVsId:
      case Branch::Op::FieldInWord:
      case Branch::Op::FieldDateWithin:
        return true;
      default:
        return false;
    }
  }

  // A FieldVsDate test made a FieldDateWithin when the dates it accepts are one range,
  // not empty (all but `!=` and a `<` of the first date or `>` of the last).
  static void date_range(Branch& test) {
    constexpr std::int64_t kFirst = INT32_MIN, kLast = INT32_MAX;
    const std::int64_t c = test.constant.date;
    std::int64_t first = 0, last = 0;
    switch (test.accept) {
      case kAcceptLess:
        first = kFirst, last = c - 1;
        break;
      case kAcceptLess | kAcceptEqual:
        first = kFirst, last = c;
        break;
      case kAcceptEqual:
        first = c, last = c;
        break;
      case kAcceptGreater | kAcceptEqual:
        first = c, last = kLast;
        break;
      case kAcceptGreater:
        first = c + 1, last = kLast;
        break;
      case kAcceptLess | kAcceptEqual | kAcceptGreater:
        first = kFirst, last = kLast;
        break;
      default:
        return;
    }
    if (first > last) return;
    test.op = Branch::Op::FieldDateWithin;
    test.constant.date = static_cast<std::int32_t>(first);
    test.constant.size = static_cast<std::uint32_t>(last - first);
  }

  // A FieldIn whose set, of enum values or rows (ids), is one word, as are the field's ids.
  static bool in_one_word(const Step& s) {
    return (s.a_base == graph::Base::Enum || s.a_base == graph::Base::Row) && s.constant.present &&
           s.constant.size == 1 && s.words == 1;
  }

  // Branch::Op lists the field tests in Kind's order.
  static Branch::Op field_test_op(Kind kind) {
    static_assert(static_cast<unsigned>(Kind::FieldVsId) - static_cast<unsigned>(Kind::FieldIn) ==
                  static_cast<unsigned>(Branch::Op::FieldVsId));
    return static_cast<Branch::Op>(static_cast<unsigned>(kind) -
                                   static_cast<unsigned>(Kind::FieldIn));
  }

  // Branch::accept of a FieldVsBoolean test: bit v set when a present `v` holds.
  static std::uint8_t booleans_that_hold(const Step& s) {
    std::uint8_t bits = 0;
    for (const bool v : {false, true}) {
      const int order = (v > s.constant.boolean) - (v < s.constant.boolean);
      if (((s.accept >> (order + 1)) & 1) != 0) bits |= static_cast<std::uint8_t>(1U << v);
    }
    return bits;
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

  // A remembered step whose code is small enough to be copied at each use rather than
  // called: the return stack's push and pop cost COP 2024 ~35 instructions a dossier for
  // `contribue` (3 branches), used by two rules.
  static constexpr std::uint32_t kInlineBranches = 16;
  bool copied(NodeId step) { return body_size(step) <= kInlineBranches; }

  // The number of branches emit_body(step) pushes.
  std::uint32_t body_size(NodeId step) {
    if (body_size_.empty()) body_size_.assign(steps_.size(), kNone);
    if (body_size_[step] != kNone) return body_size_[step];
    const Step& s = steps_[step];
    std::uint32_t size = 0;
    if (s.op == graph::Op::Not) {
      size = code_size(s.a);
    } else {
      for (std::uint32_t i = 0; i < s.arg_count; ++i) size += code_size(args_[s.first_arg + i]);
    }
    body_size_[step] = size;
    return size;
  }
  // The number of branches emit(step) pushes (a subroutine, pushed once, not counted).
  std::uint32_t code_size(NodeId step) {
    const Step& s = steps_[step];
    if (!combines(s)) return 1;
    if (!s.memo) return body_size(step);
    return 1 + (copied(step) ? body_size(step) + 2 : 0);
  }

  // A copy's exit: remembers `value` in `slot`, then goes on to `next`.
  std::uint32_t note(std::uint32_t slot, bool value, std::uint32_t next) {
    Branch note;
    note.op = Branch::Op::Note;
    note.a = slot;
    note.value = value;
    return push(note, {next, kNone, kNone});
  }

  // A remembered step's code, compiled the first time a condition uses it.
  std::uint32_t subroutine(NodeId step) {
    if (subroutine_of_[step] != kNone) return subroutine_of_[step];
    Branch remember;
    remember.op = Branch::Op::Remember;
    remember.a = steps_[step].slot;
    remember.value = true;
    const std::uint32_t remember_true = push(remember, {kNone, kNone, kNone});
    remember.value = false;
    const std::uint32_t remember_false = push(remember, {kNone, kNone, kNone});
    subroutine_of_[step] = emit_body(step, remember_true, remember_false);
    return subroutine_of_[step];
  }

  ConditionCode& code_;
  const std::vector<Step>& steps_;
  const std::vector<NodeId>& args_;
  std::vector<Targets> targets_;              // per branch
  std::vector<std::uint32_t> subroutine_of_;  // per step: its first branch, or kNone
  std::vector<std::uint32_t> exits_;          // per answer: its Exit branch, or kNone
  std::vector<std::uint32_t> body_size_;      // per step: body_size(), or kNone
};

ConditionCode::ConditionCode(const std::vector<Step>& steps, const std::vector<NodeId>& args,
                             const std::vector<DecisionPlan>& decisions,
                             const std::vector<bool>& read_by_values, std::uint32_t slots) {
  ConditionCompiler compiler(*this, steps, args);
  std::vector<std::vector<std::uint32_t>> entries;
  std::vector<bool> alone;            // per decision
  std::vector<std::uint32_t> begins;  // per decision: its first branch
  for (std::uint32_t d = 0; d < decisions.size(); ++d) {
    const DecisionPlan& plan = decisions[d];
    auto& decision = entries.emplace_back();
    const auto rules = static_cast<std::uint32_t>(plan.conditions.size());
    compiler.begin_decision();
    const std::uint32_t begin = compiler.size();
    if (plan.first) {  // rule r holds: exit(1 + r); else the next rule
      std::uint32_t next = compiler.decision_exit(plan, d, 0);
      for (std::uint32_t r = rules; r-- > 0;)
        next = compiler.emit(plan.conditions[r], compiler.decision_exit(plan, d, 1 + r), next);
      decision.push_back(next);
      alone.push_back(mark_alone(begin));
      begins.push_back(begin);
      continue;
    }
    alone.push_back(false);
    begins.push_back(begin);
    for (std::uint32_t r = 0; r < rules; ++r)
      decision.push_back(compiler.emit(plan.conditions[r], compiler.exit(1), compiler.exit(0)));
  }
  // The Notes a decision that runs alone may leave out: those of the steps read only by
  // such decisions' conditions, which run a copy again rather than recall it (COP 2024:
  // `contribue`'s, answer 118 -> 106 instructions a dossier). Another reader (an output,
  // a summary, explanations) computes the value again: the same, fields only.
  std::vector<bool> kept = read_by_values;
  for (std::uint32_t d = 0; d < decisions.size(); ++d) {
    if (alone[d]) continue;
    for (const NodeId c : decisions[d].conditions) mark_read(steps, args, c, kept);
  }
  std::vector<bool> note_left_out(slots, false);
  for (NodeId step = 0; step < steps.size(); ++step) {
    if (steps[step].memo && !kept[step]) note_left_out[steps[step].slot] = true;
  }
  for (std::uint32_t d = 0; d < decisions.size(); ++d) {
    if (alone[d]) {
      const std::uint32_t end = d + 1 < decisions.size() ? begins[d + 1] : compiler.size();
      entries[d][0] = compiler.skip_recalls(begins[d], end, entries[d][0], note_left_out);
    }
  }
  compiler.resolve(entries);
  branch_alone_.resize(branches_.size(), false);
  for (std::uint32_t d = 0; d < decisions.size(); ++d) {
    FirstCode& first = first_.emplace_back();
    if (!decisions[d].first) continue;
    first.entry = entries_[d][0];
    first.alone = alone[d];
  }
}

namespace {

// What Interpreter::answer_alone runs: no Test (a call), no subroutine (Recall,
// Remember: the return stack).
bool runs_without_calls(Branch::Op op) {
  return op != Branch::Op::Test && op != Branch::Op::Recall && op != Branch::Op::Remember;
}

}  // namespace

bool ConditionCode::mark_alone(std::uint32_t begin) {
  bool alone = true;
  for (std::size_t i = begin; i < branches_.size(); ++i)
    alone = alone && runs_without_calls(branches_[i].op);
  branch_alone_.resize(begin, false);
  branch_alone_.resize(branches_.size(), alone);
  return alone;
}

}  // namespace tamis::runtime
