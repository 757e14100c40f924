#include "runtime/eval/interpreter.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <bit>
#include <iterator>

#include "support/decimal.hpp"
#include "support/label_table.hpp"
#include "support/lang.hpp"

namespace tamis::runtime {

using graph::Base;
using graph::NodeId;
using graph::Op;
using graph::Value;

Interpreter::Interpreter(const graph::RuleGraph& graph)
    : graph_(graph),
      program_(graph),
      conditions_(program_.steps(), program_.args(), program_.decisions(),
                  program_.read_by_values(), program_.memo_slots()),
      remembered_(program_.memo_slots()),
      decision_values_(graph.decisions.size()),
      decision_epoch_(graph.decisions.size(), 0),
      text_seen_(program_.most_texts(), 0) {
  answer<true>(nullptr);  // sets alone_code_
  answer(nullptr);        // sets the branches' code
  if (decision_values_.size() == 1 && conditions_.first_code(0).alone)
    sole_entry_ = conditions_.first_code(0).entry;
}

void Interpreter::restart_epochs() {
  for (auto& r : remembered_) r.epoch = 0;
  std::fill(decision_epoch_.begin(), decision_epoch_.end(), 0);
  epoch_ = 1;
}

void Interpreter::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
}

void Interpreter::fail_at(const Step& s, std::string_view what) {
  if (!error_.empty()) return;  // only the first problem of a record is reported
  const auto node = static_cast<NodeId>(&s - program_.steps().data());
  if (node_owners_.empty()) node_owners_ = node_owners(graph_);
  const std::string_view owner = node_owners_[node];
  const std::string where = where_written(graph_.nodes[node].range);
  error_ = owner.empty() ? fmt::format("{}{}", what, where)
                         : tr("{} dans « {} »{}", "{} in '{}'{}", what, owner, where);
}

std::string Interpreter::where_written(const SourceRange& range) const {
  if (!range.valid() || !graph_.sources || range.file >= graph_.sources->size()) return {};
  return fmt::format(" ({}:{})", graph_.sources->file(range.file).path, range.line);
}

// `première`, the usual policy, here; the others out of line (decide_unique,
// decide_collect), so that this path keeps a small frame: with their messages and sets
// inlined, it saved and restored six registers and 264 bytes of stack a decision. The
// usual outcome, a constant's, is ready in the Exit reached (ConditionCompiler::
// decision_exit): copied without reading the rule's result; a decision that runs alone
// is handed over to answer<true>, which writes it (decide_now 50 -> 15 instructions a
// dossier, answer 137 -> 131 with the outcome written).
const DecisionOutcome& Interpreter::decide_now(std::uint32_t index) {
  decision_epoch_[index] = epoch_;
  const ConditionCode::FirstCode& code = conditions_.first_code(index);
  if (code.alone) return *answer<true>(code.entry, &decision_values_[index]);
  return decide_elsewise(index, code);
}

const DecisionOutcome& Interpreter::decide_elsewise(std::uint32_t index,
                                                    const ConditionCode::FirstCode& code) {
  DecisionOutcome& out = decision_values_[index];
  if (code.entry == nullptr) {
    out = {};
    return graph_.decisions[index].policy == graph::HitPolicy::Unique ? decide_unique(index, out)
                                                                      : decide_collect(index, out);
  }
  const Branch* const exit = answer(code.entry);
  if (!exit->value) return decide_result(index, exit->a, out);
  out.value = exit->constant;
  out.rule = exit->rule;
  out.conflicting_rule = -1;
  return out;
}

const DecisionOutcome& Interpreter::decide_result(std::uint32_t index, std::uint32_t hit,
                                                  DecisionOutcome& out) {
  out = {};
  const DecisionPlan& plan = program_.decision(index);
  if (hit != 0) {
    out.value = value_of(plan.results[hit - 1]);
    out.rule = static_cast<std::int32_t>(hit - 1);
    return out;
  }
  return decide_fallback(plan, out);
}

const DecisionOutcome& Interpreter::decide_fallback(const DecisionPlan& plan,
                                                    DecisionOutcome& out) {
  if (plan.fallback != graph::kNoNode) {
    out.value = value_of(plan.fallback);
    out.rule = kFallbackRule;
  }
  return out;
}

const DecisionOutcome& Interpreter::decide_unique(std::uint32_t index, DecisionOutcome& out) {
  const graph::Decision& d = graph_.decisions[index];
  const DecisionPlan& plan = program_.decision(index);
  const std::size_t rules = plan.conditions.size();
  for (std::size_t i = 0; i < rules; ++i) {
    if (answer(conditions_.rule_entry(index, i))->a == 0) continue;
    if (out.rule >= 0) {
      out.conflicting_rule = static_cast<std::int32_t>(i);
      fail(
          tr("les règles « {} » et « {} » s'appliquent toutes deux alors que la "
             "décision « {} » est unique{}",
             "rules '{}' and '{}' both apply but decision '{}' is unique{}",
             d.rules[static_cast<std::size_t>(out.rule)].name, d.rules[i].name, d.name,
             where_written(d.rules[i].range)));
      return out;
    }
    out.value = value_of(plan.results[i]);
    out.rule = static_cast<std::int32_t>(i);
  }
  if (out.rule >= 0) return out;
  return decide_fallback(plan, out);
}

const DecisionOutcome& Interpreter::decide_collect(std::uint32_t index, DecisionOutcome& out) {
  const DecisionPlan& plan = program_.decision(index);
  const std::size_t rules = plan.conditions.size();
  std::uint64_t* words = words_.allocate(plan.words);
  for (std::size_t i = 0; i < rules; ++i) {
    if (answer(conditions_.rule_entry(index, i))->a == 0) continue;
    const std::uint32_t id = value_of(plan.results[i]).id;
    words[id / 64] |= std::uint64_t{1} << (id % 64);
    if (out.rule < 0) out.rule = static_cast<std::int32_t>(i);
  }
  if (out.rule >= 0 || plan.fallback == graph::kNoNode) {
    out.value = Value::of_words(words, plan.words);
    return out;
  }
  const std::uint32_t id = value_of(plan.fallback).id;
  words[id / 64] |= std::uint64_t{1} << (id % 64);
  out.value = Value::of_words(words, plan.words);
  out.rule = kFallbackRule;
  return out;
}

// Each branch's code reached through a table of label addresses (a GNU extension), in
// Branch::Op's order, and every exit a branch of its own: a test no longer asks whether
// it is a field's, which switch runs it, nor whether its target ends the code (a loop
// with a switch: 309 instructions a dossier for the 10 branches of COP 2024's decision;
// this, 165). Each branch keeps its label's address (Branch::code), set from the table
// when the interpreter is made: one load a branch less (answer 146 -> 137).
template <bool kAlone>
std::conditional_t<kAlone, const DecisionOutcome*, const Branch*> Interpreter::answer(
    const Branch* b, DecisionOutcome* out) {
  const Value* const fields = fields_;  // in a register: stores could change fields_ else
  bool holds = false;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
  static const void* const kOps[] = {&&field_in,
                                     &&field_not_in,
                                     &&field_set,
                                     &&field_not_set,
                                     &&field_empty,
                                     &&field_not_empty,
                                     &&field_vs_integer,
                                     &&field_vs_decimal,
                                     &&field_vs_date,
                                     &&field_vs_boolean,
                                     &&field_vs_id,
                                     &&field_in_word,
                                     &&field_empty_word,
                                     &&field_not_empty_word,
                                     &&field_date_within,
                                     &&test,
                                     &&recall,
                                     &&remember,
                                     &&recall_or_run,
                                     &&note,
                                     &&exit};
  using BranchOp = Branch::Op;
  static constexpr BranchOp kListed[] = {BranchOp::FieldIn,
                                         BranchOp::FieldNotIn,
                                         BranchOp::FieldSet,
                                         BranchOp::FieldNotSet,
                                         BranchOp::FieldEmpty,
                                         BranchOp::FieldNotEmpty,
                                         BranchOp::FieldVsInteger,
                                         BranchOp::FieldVsDecimal,
                                         BranchOp::FieldVsDate,
                                         BranchOp::FieldVsBoolean,
                                         BranchOp::FieldVsId,
                                         BranchOp::FieldInWord,
                                         BranchOp::FieldEmptyWord,
                                         BranchOp::FieldNotEmptyWord,
                                         BranchOp::FieldDateWithin,
                                         BranchOp::Test,
                                         BranchOp::Recall,
                                         BranchOp::Remember,
                                         BranchOp::RecallOrRun,
                                         BranchOp::Note,
                                         BranchOp::Exit};
  static_assert(std::size(kOps) == std::size(kListed) && in_enum_order(kListed, BranchOp::Exit),
                "kOps lists a label per Branch::Op, in Op's order");
  const auto field = [&]() -> const Value& {
    return *reinterpret_cast<const Value*>(reinterpret_cast<const char*>(fields) + b->a);
  };
  const auto ordered = [&](int order) { return ((b->accept >> (order + 1)) & 1) != 0; };
  if (b == nullptr) [[unlikely]] {  // from the constructor: the labels are known here only
    if constexpr (kAlone) {
      alone_code_ = kOps;
    } else {
      conditions_.set_code(kOps, alone_code_);
    }
    return nullptr;
  }
#define TAMIS_NEXT_BRANCH goto * b->code
  TAMIS_NEXT_BRANCH;
field_in:
  holds = field().present && b->constant.has_bit(field().id);
  goto next;
field_not_in:
  holds = !(field().present && b->constant.has_bit(field().id));
  goto next;
field_set:  // its own ways: through `next`, one jump more (answer<true> 87.5 -> 83.3)
  if (field().present) {
    b = b->on_true;
    TAMIS_NEXT_BRANCH;
  }
  b = b->on_false;
  TAMIS_NEXT_BRANCH;
field_not_set:
  holds = !field().present;
  goto next;
field_empty:
  holds = is_empty_set(field(), b->a_base);
  goto next;
field_not_empty:
  holds = !is_empty_set(field(), b->a_base);
  goto next;
field_vs_integer:
  holds = field().present && ordered(order_of(field().integer, b->constant.integer));
  goto next;
field_vs_decimal:
  holds = field().present &&
          ordered(b->a_base == Base::Decimal
                      ? order_of(field().decimal, b->constant.decimal)
                      : decimal::compare_integer(field().integer, b->constant.decimal));
  goto next;
field_vs_date:
  holds = field().present && ordered(order_of(field().date, b->constant.date));
  goto next;
field_vs_boolean:
  holds = field().present && ((b->accept >> field().boolean) & 1) != 0;
  goto next;
field_vs_id:
  holds = field().present && ordered(order_of(field().id, b->constant.id));
  goto next;
field_in_word:  // the field's ids are below 64
  holds =
      field().present && ((static_cast<std::uint64_t>(b->constant.integer) >> field().id) & 1) != 0;
  goto next;
field_empty_word:  // a missing set has no word
  holds = field().size == 0 || field().words[0] == 0;
  goto next;
field_not_empty_word:
  holds = field().size != 0 && field().words[0] != 0;
  goto next;
field_date_within:  // unsigned: a date before the range's first is far past its end
  holds = field().present &&
          static_cast<std::uint32_t>(field().date) - static_cast<std::uint32_t>(b->constant.date) <=
              b->constant.size;
  goto next;
test:
  if constexpr (kAlone) __builtin_unreachable();  // runs_alone(): none
  holds = condition(b->a);
  goto next;
recall : {
  if constexpr (kAlone) __builtin_unreachable();
  const Remembered& r = remembered_[b->a];
  if (r.epoch != epoch_) {
    returns_.emplace_back(b->on_true, b->on_false);
    b = b->body;
    TAMIS_NEXT_BRANCH;
  }
  holds = r.value.boolean;
  goto next;
}
remember : {
  if constexpr (kAlone) __builtin_unreachable();
  remembered_[b->a] = {Value::of_bool(b->value), epoch_};
  const auto [on_true, on_false] = returns_.back();
  returns_.pop_back();
  b = b->value ? on_true : on_false;
  TAMIS_NEXT_BRANCH;
}
recall_or_run:
  if (remembered_[b->a].epoch != epoch_) {
    b = b->body;
    TAMIS_NEXT_BRANCH;
  }
  holds = remembered_[b->a].value.boolean;
  goto next;
note:
  remembered_[b->a] = {Value::of_bool(b->value), epoch_};
  b = b->on_true;
  TAMIS_NEXT_BRANCH;
next:
  b = holds ? b->on_true : b->on_false;
  TAMIS_NEXT_BRANCH;
exit:
  if constexpr (kAlone) {
    if (!b->value) return &decide_result(static_cast<std::uint32_t>(b->rule), b->a, *out);
    // conflicting_rule is left at -1: a `première` decision's outcome never has another
    // (decide_result() writes a whole outcome).
    out->value = b->constant;
    out->rule = b->rule;
    return out;
  } else {
    (void)out;
    return b;
  }
#undef TAMIS_NEXT_BRANCH
#pragma GCC diagnostic pop
}

// decide_all() calls it from the header.
template const DecisionOutcome* Interpreter::answer<true>(const Branch*, DecisionOutcome*);

namespace {

// An integer or decimal operand as support/decimal.hpp takes it.
decimal::Number number(const Value& v, Base base) {
  return base == Base::Integer ? decimal::Number{v.integer, true}
                               : decimal::Number{v.decimal, false};
}

std::string integer_overflow() {
  return tr("dépassement de capacité dans un calcul entier", "integer overflow in a calculation");
}

std::string decimal_overflow() {
  return tr("dépassement de capacité dans un calcul décimal", "decimal overflow in a calculation");
}

}  // namespace

namespace {

inline int order(const Value& a, Base ab, const Value& b, Base bb) {
  if (ab == Base::Integer && bb == Base::Integer)
    return (a.integer > b.integer) - (a.integer < b.integer);
  if ((ab == Base::Integer || ab == Base::Decimal) &&
      (bb == Base::Integer || bb == Base::Decimal)) {
    return decimal::compare(number(a, ab), number(b, bb));
  }
  switch (ab) {
    case Base::Date:
      return (a.date > b.date) - (a.date < b.date);
    case Base::Text: {
      const int c = a.as_text().compare(b.as_text());
      return (c > 0) - (c < 0);
    }
    case Base::Boolean:
      return (a.boolean > b.boolean) - (a.boolean < b.boolean);
    default:
      return (a.id > b.id) - (a.id < b.id);
  }
}

}  // namespace

int compare_values(const Value& a, Base ab, const Value& b, Base bb) {
  return order(a, ab, b, bb);
}

Value Interpreter::compare(const Step& s) {
  const Value a = value_of(s.a);
  const Value b = value_of(s.b);
  // A missing value equals nothing (the checker only lets `=` see one).
  if (!a.present || !b.present) return Value::of_bool(false);
  return Value::of_bool(accepts(s, order(a, s.a_base, b, s.b_base)));
}

Value Interpreter::arithmetic(const Step& s) {
  const Value a = value_of(s.a);
  const Value b = value_of(s.b);
  if (s.base == Base::Integer) {
    std::int64_t r = 0;
    bool overflow = false;
    switch (s.op) {
      case Op::Add:
        overflow = __builtin_add_overflow(a.integer, b.integer, &r);
        break;
      case Op::Sub:
        overflow = __builtin_sub_overflow(a.integer, b.integer, &r);
        break;
      default:
        overflow = __builtin_mul_overflow(a.integer, b.integer, &r);
        break;
    }
    if (overflow) {
      fail_at(s, integer_overflow());
      return Value::missing();
    }
    return Value::of_integer(r);
  }
  const decimal::Number x = number(a, s.a_base);
  const decimal::Number y = number(b, s.b_base);
  std::optional<std::int64_t> r;
  switch (s.op) {
    case Op::Add:
      r = decimal::add(x, y);
      break;
    case Op::Sub:
      r = decimal::sub(x, y);
      break;
    case Op::Mul:
      r = decimal::mul(x, y);
      break;
    default:
      if (y.raw == 0) {
        fail_at(s, tr("division par zéro", "division by zero"));
        return Value::missing();
      }
      r = decimal::div(x, y);
      break;
  }
  return decimal_or_fail(s, r);
}

Value Interpreter::decimal_or_fail(const Step& s, std::optional<std::int64_t> d) {
  if (d) return Value::of_decimal(*d);
  fail_at(s, decimal_overflow());
  return Value::missing();
}

Value Interpreter::set_of(const Step& s) {
  std::uint64_t* words = words_.allocate(s.words);
  const NodeId* args = program_.args().data() + s.first_arg;
  for (std::uint32_t i = 0; i < s.arg_count; ++i) {
    const std::uint32_t id = value_of(args[i]).id;
    words[id / 64] |= std::uint64_t{1} << (id % 64);
  }
  return Value::of_words(words, s.words);
}

// The rows of the set, by scanning its bits (a dossier names a few of many rows),
// read from the column's per-row data.
Value Interpreter::member_of_set(const Step& s) {
  const Value rows = value_of(s.a);
  const TableColumn& column = program_.column(s.column);
  auto for_each_row = [&](auto&& f) {
    for (std::uint32_t w = 0; w < rows.size; ++w) {
      for (std::uint64_t bits = rows.words[w]; bits != 0; bits &= bits - 1) {
        const auto r =
            static_cast<std::uint32_t>(w * 64 + static_cast<std::uint32_t>(std::countr_zero(bits)));
        if (r < column.rows) f(r);
      }
    }
  };
  if (s.base == Base::Text) {
    // Distinct texts in row order (room for all of them: only those found are written).
    std::string_view* out = texts_.allocate_for_writing(column.texts.size());
    if (++text_mark_ == 0) {  // wrapped: no text may look seen
      std::fill(text_seen_.begin(), text_seen_.end(), 0);
      text_mark_ = 1;
    }
    std::uint32_t found = 0;
    for_each_row([&](std::uint32_t r) {
      const std::uint32_t t = column.text_of_row[r];
      if (t == kNoText || text_seen_[t] == text_mark_) return;
      text_seen_[t] = text_mark_;
      out[found++] = column.texts[t];
    });
    return Value::of_texts(out, found);
  }
  const std::uint64_t* bits = column.bits.data();
  if (column.words == 1) {  // the usual case: an enumeration of at most 64 values
    std::uint64_t word = 0;
    for_each_row([&](std::uint32_t r) { word |= bits[r]; });
    std::uint64_t* words = words_.allocate_for_writing(1);
    words[0] = word;
    return Value::of_words(words, 1);
  }
  std::uint64_t* words = words_.allocate(column.words);
  for_each_row([&](std::uint32_t r) {
    const std::uint64_t* row_bits = bits + std::size_t{r} * column.words;
    for (std::uint32_t w = 0; w < column.words; ++w) words[w] |= row_bits[w];
  });
  return Value::of_words(words, column.words);
}

// Each operation is its own small function and run() only dispatches (tail calls):
// a step then costs a jump, not the save and restore of a large function's registers.
Value Interpreter::run(const Step& s) {
  switch (s.op) {
    case Op::Const:
      return s.constant;
    case Op::Field:
      return fields_[s.a];
    case Op::Let:  // a definition without an expression (never in a checked graph)
      return Value::missing();
    case Op::Decision:
      return decided(s);
    case Op::RuleName:
      return rule_name(s);
    case Op::Unknowns:
      return unknowns(s);
    case Op::Label:
      return label(s);
    case Op::Count:
      return count(s);
    case Op::Not:
      return negation(s);
    case Op::Negate:
      return minus(s);
    case Op::IsSet:
    case Op::IsNotSet:
      return is_set(s);
    case Op::IsEmpty:
    case Op::IsNotEmpty:
      return is_empty(s);
    case Op::And:
      return all(s);
    case Op::Or:
      return any(s);
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
      return compare(s);
    case Op::In:
    case Op::NotIn:
      return in_set(s);
    case Op::Contains:
      return contains(s);
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
      return arithmetic(s);
    case Op::Default:
      return default_value(s);
    case Op::ToDecimal:
      return to_decimal(s);
    case Op::SetOf:
      return set_of(s);
    case Op::Member:
      return member(s);
    case Op::MemberOfSet:
      return member_of_set(s);
  }
  return Value::missing();
}

Value Interpreter::decided(const Step& s) {
  return decide(s.a).value;
}

Value Interpreter::rule_name(const Step& s) {
  const auto& outcome = decide(s.a);
  const auto& d = graph_.decisions[s.a];
  if (outcome.rule >= 0)
    return Value::of_text(d.rules[static_cast<std::size_t>(outcome.rule)].name);
  if (outcome.rule == kFallbackRule && d.fallback) return Value::of_text(d.fallback->name);
  return Value::missing();
}

Value Interpreter::unknowns(const Step& s) {
  const auto& labels = record_->unknown_labels[s.a];
  return Value::of_texts(labels.data(), static_cast<std::uint32_t>(labels.size()));
}

Value Interpreter::label(const Step& s) {
  const Value v = value_of(s.a);
  if (!v.present) return v;
  if (s.a_base == Base::Enum) return Value::of_text(graph_.enums[s.ref].values[v.id].label);
  return Value::of_text(graph_.tables[s.ref].rows[v.id].key);
}

Value Interpreter::count(const Step& s) {
  const Value v = value_of(s.a);
  if (s.a_base == Base::Text) return Value::of_integer(v.size);
  std::int64_t c = 0;
  for (std::uint32_t w = 0; w < v.size; ++w) c += std::popcount(v.words[w]);
  return Value::of_integer(c);
}

Value Interpreter::negation(const Step& s) {
  return Value::of_bool(!condition(s.a));
}

Value Interpreter::minus(const Step& s) {
  const Value v = value_of(s.a);
  if (s.base == Base::Decimal)
    return decimal_or_fail(s, decimal::sub({0, false}, {v.decimal, false}));
  if (v.integer == INT64_MIN) {
    fail_at(s, integer_overflow());
    return Value::missing();
  }
  return Value::of_integer(-v.integer);
}

Value Interpreter::is_set(const Step& s) {
  const bool present = value_of(s.a).present;
  return Value::of_bool(s.op == Op::IsSet ? present : !present);
}

Value Interpreter::is_empty(const Step& s) {
  const Value v = value_of(s.a);
  const bool empty = is_empty_set(v, s.a_base);
  return Value::of_bool(s.op == Op::IsEmpty ? empty : !empty);
}

Value Interpreter::all(const Step& s) {
  const NodeId* args = program_.args().data() + s.first_arg;
  for (std::uint32_t i = 0; i < s.arg_count; ++i) {
    if (!condition(args[i])) return Value::of_bool(false);
  }
  return Value::of_bool(true);
}

Value Interpreter::any(const Step& s) {
  const NodeId* args = program_.args().data() + s.first_arg;
  for (std::uint32_t i = 0; i < s.arg_count; ++i) {
    if (condition(args[i])) return Value::of_bool(true);
  }
  return Value::of_bool(false);
}

Value Interpreter::in_set(const Step& s) {
  const Value item = value_of(s.a);
  const Value set = value_of(s.b);
  const bool in = item.present && set.has_bit(item.id);
  return Value::of_bool(s.op == Op::In ? in : !in);
}

Value Interpreter::contains(const Step& s) {
  const Value set = value_of(s.a);
  const Value item = value_of(s.b);
  if (!item.present) return Value::of_bool(false);
  if (s.a_base == Base::Text) {  // a set of texts is a list of views
    for (std::uint32_t i = 0; i < set.size; ++i) {
      if (set.texts[i] == item.as_text()) return Value::of_bool(true);
    }
    return Value::of_bool(false);
  }
  return Value::of_bool(set.has_bit(item.id));
}

Value Interpreter::default_value(const Step& s) {
  const Value v = value_of(s.a);
  const Value chosen = v.present ? v : value_of(s.b);
  const Base from = v.present ? s.a_base : s.b_base;
  if (s.base == Base::Decimal && from == Base::Integer) {
    return decimal_or_fail(s, decimal::from_integer(chosen.integer));
  }
  return chosen;
}

Value Interpreter::to_decimal(const Step& s) {
  const Value v = value_of(s.a);
  return v.present ? decimal_or_fail(s, decimal::from_integer(v.integer)) : v;
}

Value Interpreter::member(const Step& s) {
  return program_.column(s.column).cells[value_of(s.a).id];
}

}  // namespace tamis::runtime
