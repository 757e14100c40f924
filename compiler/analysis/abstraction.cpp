#include "compiler/analysis/abstraction.hpp"

#include <fmt/format.h>

#include <iterator>
#include <limits>
#include <map>

#include "compiler/analysis/values.hpp"
#include "support/decimal.hpp"

namespace tamis::analysis {

using graph::Base;
using graph::NodeId;
using graph::Op;
using graph::Type;
using graph::Value;

namespace {

// Deeper conditions (long chains of definitions) are not looked into: an inexact variable.
constexpr std::uint32_t kMaxDepth = 512;
constexpr std::uint32_t kUnbuilt = std::numeric_limits<std::uint32_t>::max();

Op mirrored(Op op) {  // c op x  ⇔  x mirrored(op) c
  switch (op) {
    case Op::Lt:
      return Op::Gt;
    case Op::Le:
      return Op::Ge;
    case Op::Gt:
      return Op::Lt;
    case Op::Ge:
      return Op::Le;
    default:
      return op;
  }
}

bool finite(Base b) {
  return b == Base::Boolean || b == Base::Enum || b == Base::Row;
}

bool empty_set(const Value& v) {
  for (std::uint32_t w = 0; w < v.size; ++w) {
    if (v.words[w] != 0) return false;
  }
  return true;
}

}  // namespace

Abstraction::Abstraction(const graph::RuleGraph& graph) : graph_(graph) {}

NodeId Abstraction::resolve(NodeId n) const {
  for (std::size_t guard = 0; guard <= graph_.lets.size(); ++guard) {
    const auto& node = graph_.node(n);
    if (node.op != Op::Let || graph_.lets[node.a].root == graph::kNoNode) return n;
    n = graph_.lets[node.a].root;
  }
  return n;
}

bool Abstraction::constant(NodeId n, Value& value, Type& type) const {
  n = resolve(n);
  const auto& node = graph_.node(n);
  type = node.type;
  if (type.is_error()) return false;
  switch (node.op) {
    case Op::Const:
      value = graph_.constants[node.a];
      return true;
    case Op::ToDecimal: {
      Type inner;
      if (!constant(node.a, value, inner)) return false;
      if (!value.present) return true;
      const auto d = decimal::from_integer(value.integer);
      if (!d) return false;  // an evaluation error at run time, not a constant
      value = Value::of_decimal(*d);
      return true;
    }
    case Op::Negate: {
      Type inner;
      if (!constant(node.a, value, inner) || !value.present) return false;
      if (type.base == Base::Decimal) {
        if (value.decimal == std::numeric_limits<std::int64_t>::min()) return false;
        value = Value::of_decimal(-value.decimal);
        return true;
      }
      if (value.integer == std::numeric_limits<std::int64_t>::min()) return false;
      value = Value::of_integer(-value.integer);
      return true;
    }
    case Op::Default: {
      Type first;
      if (!constant(node.a, value, first)) return false;
      if (!value.present && !constant(node.b, value, first)) return false;
      if (type.base == Base::Decimal && first.base == Base::Integer && value.present) {
        const auto d = decimal::from_integer(value.integer);
        if (!d) return false;
        value = Value::of_decimal(*d);
      }
      return true;
    }
    default:
      return false;
  }
}

std::uint32_t Abstraction::subject(bool decision, std::uint32_t index, const Type& type) {
  const std::uint64_t key = (static_cast<std::uint64_t>(decision) << 32) | index;
  if (auto it = subject_of_.find(key); it != subject_of_.end()) return it->second;
  Subject s;
  s.decision = decision;
  s.index = index;
  s.type = type;
  subjects_.push_back(std::move(s));
  const auto id = static_cast<std::uint32_t>(subjects_.size() - 1);
  subject_of_.emplace(key, id);
  return id;
}

bool Abstraction::term(NodeId n, Term& out) {
  n = resolve(n);
  const auto& node = graph_.node(n);
  if (node.type.is_error()) return false;
  switch (node.op) {
    case Op::Field:
    case Op::Decision: {
      if (node.type.set) return false;
      out.subject = subject(node.op == Op::Decision, node.a, node.type);
      out.steps.clear();
      out.type = node.type;
      return true;
    }
    case Op::ToDecimal:
      if (!term(node.a, out)) return false;
      out.steps.push_back({Step::Kind::ToDecimal, 0, {}, node.type});
      out.type = node.type;
      return true;
    case Op::Default: {
      if (!term(node.a, out)) return false;
      Value c;
      Type ct;
      if (!constant(node.b, c, ct) || !c.present) return false;
      if (node.type.base == Base::Decimal && ct.base == Base::Integer) {
        const auto d = decimal::from_integer(c.integer);
        if (!d) return false;
        c = Value::of_decimal(*d);
      }
      out.steps.push_back({Step::Kind::Default, 0, c, node.type});
      out.type = node.type;
      return true;
    }
    case Op::Member:
      if (!term(node.a, out) || out.type.base != Base::Row) return false;
      out.steps.push_back({Step::Kind::Member, node.b, {}, node.type});
      out.type = node.type;
      return true;
    default:
      return false;
  }
}

bool Abstraction::set_source(NodeId n, std::uint32_t& set, std::uint32_t& column, bool& whole) {
  n = resolve(n);
  const auto& node = graph_.node(n);
  NodeId field = graph::kNoNode;
  if (node.op == Op::Field && node.type.set) {
    field = n;
    whole = true;
  } else if (node.op == Op::MemberOfSet) {
    const NodeId rows = resolve(node.a);
    if (graph_.node(rows).op != Op::Field || graph_.node(rows).type.base != Base::Row) return false;
    field = rows;
    column = node.b;
    whole = false;
  } else {
    return false;
  }
  const auto& f = graph_.node(field);
  if (f.type.base != Base::Enum && f.type.base != Base::Row && f.type.base != Base::Text) {
    return false;
  }
  if (auto it = set_of_.find(f.a); it != set_of_.end()) {
    set = it->second;
    return true;
  }
  SetSubject s;
  s.field = f.a;
  s.type = f.type;
  s.universe = f.type.base == Base::Enum  ? graph_.enums[f.type.ref].values.size()
               : f.type.base == Base::Row ? graph_.tables[f.type.ref].rows.size()
                                          : 1;  // texts: only "empty or not" is modelled
  sets_.push_back(std::move(s));
  set = static_cast<std::uint32_t>(sets_.size() - 1);
  set_of_.emplace(f.a, set);
  return true;
}

std::vector<bool> Abstraction::member_predicate(std::uint32_t set, std::uint32_t column, bool whole,
                                                const Value* item) const {
  const SetSubject& s = sets_[set];
  std::vector<bool> p(s.universe, false);
  for (std::size_t e = 0; e < s.universe; ++e) {
    if (whole) {
      p[e] = item == nullptr || e == item->id;
      continue;
    }
    const graph::Table& table = graph_.tables[s.type.ref];
    const Value& cell = table.rows[e].cells[column];
    const Type ct = table.columns[column].type;
    if (!cell.present) continue;
    if (item == nullptr) {
      p[e] = !ct.set || !empty_set(cell);
    } else if (ct.set) {
      p[e] = cell.has_bit(item->id);
    } else if (ct.base == Base::Text) {
      p[e] = cell.as_text() == item->as_text();
    } else {
      p[e] = cell.id == item->id;
    }
  }
  return p;
}

std::uint32_t Abstraction::predicate(std::uint32_t set, std::vector<bool> elements) {
  auto& preds = sets_[set].predicates;
  for (std::uint32_t i = 0; i < preds.size(); ++i) {
    if (preds[i] == elements) return i;
  }
  preds.push_back(std::move(elements));
  return static_cast<std::uint32_t>(preds.size() - 1);
}

std::uint32_t Abstraction::add_pre(Pre p) {
  pre_.push_back(std::move(p));
  return static_cast<std::uint32_t>(pre_.size() - 1);
}

std::uint32_t Abstraction::test(Term t, Pred pred, Op op, Value constant, Base constant_base,
                                NodeId node) {
  Subject& s = subjects_[t.subject];
  if (pred == Pred::Compare && !finite(s.type.base)) s.points.emplace_back(constant, constant_base);
  Test x;
  x.subject = t.subject;
  x.steps = std::move(t.steps);
  x.pred = pred;
  x.op = op;
  x.constant = constant;
  x.constant_base = constant_base;
  x.node = node;
  tests_.push_back(std::move(x));
  const auto id = static_cast<std::uint32_t>(tests_.size() - 1);
  s.tests.push_back(id);
  return add_pre({Pre::Kind::Test, id, 0, {}});
}

std::uint32_t Abstraction::opaque_keyed(std::string key, NodeId n, bool negated) {
  auto [it, fresh] =
      opaque_of_.emplace(std::move(key), static_cast<std::uint32_t>(opaques_.size()));
  if (fresh) opaques_.push_back({n, negated, problem_.add_variable(2, /*exact=*/false)});
  const std::uint32_t p = add_pre({Pre::Kind::Opaque, it->second, 0, {}});
  return negated ? add_pre({Pre::Kind::Not, 0, 0, {p}}) : p;
}

// Comparisons are put in one form so that a condition and its opposite share a variable:
// a = b and b = a and a ≠ b; a < b and b > a; a ≤ b as not (b < a) when the order is total
// (decimals, floating point until they became fixed point, are still kept apart: less
// precise, never unsound). A comparison whose operand is missing is only ever evaluated
// behind a guard (sema), where the negation is exact.
std::uint32_t Abstraction::opaque(NodeId n) {
  const graph::Node& node = graph_.node(n);
  std::string left;
  std::string right;
  const bool comparison = node.op == Op::Eq || node.op == Op::Ne || node.op == Op::Lt ||
                          node.op == Op::Le || node.op == Op::Gt || node.op == Op::Ge;
  if (comparison && structure(node.a, left) && structure(node.b, right)) {
    const bool total = graph_.node(node.a).type.base != Base::Decimal &&
                       graph_.node(node.b).type.base != Base::Decimal;
    switch (node.op) {
      case Op::Eq:
      case Op::Ne:
        if (right < left) std::swap(left, right);
        return opaque_keyed("=" + left + right, n, node.op == Op::Ne);
      case Op::Lt:
        return opaque_keyed("<" + left + right, n, false);
      case Op::Gt:
        return opaque_keyed("<" + right + left, n, false);
      case Op::Le:
        return total ? opaque_keyed("<" + right + left, n, true)
                     : opaque_keyed("<=" + left + right, n, false);
      default:  // Ge
        return total ? opaque_keyed("<" + left + right, n, true)
                     : opaque_keyed("<=" + right + left, n, false);
    }
  }
  std::string key;
  if (!structure(n, key)) key = fmt::format("#{}", n);
  return opaque_keyed(std::move(key), n, false);
}

// A text that is equal for two expressions exactly when they are written the same way
// (definitions inlined); false when the expression is too large to be worth it.
bool Abstraction::structure(NodeId n, std::string& out) const {
  constexpr std::size_t kMaxKey = 4096;
  n = resolve(n);
  const graph::Node& node = graph_.node(n);
  if (out.size() > kMaxKey) return false;
  fmt::format_to(std::back_inserter(out), "({} {} {} {} {}", static_cast<int>(node.op),
                 static_cast<int>(node.type.base), node.type.ref, node.type.set,
                 node.type.optional);
  auto sub = [&](NodeId m) { return structure(m, out); };
  bool ok = true;
  switch (node.op) {
    case Op::Const: {
      const Value& v = graph_.constants[node.a];
      if (!v.present) {
        out += " -";
      } else if (node.type.set && node.type.base == Base::Text) {
        for (std::uint32_t i = 0; i < v.size; ++i) {
          fmt::format_to(std::back_inserter(out), " {}:{}", v.texts[i].size(), v.texts[i]);
        }
      } else if (node.type.set) {
        for (std::uint32_t w = 0; w < v.size; ++w)
          fmt::format_to(std::back_inserter(out), " {}", v.words[w]);
      } else if (node.type.base == Base::Text) {
        fmt::format_to(std::back_inserter(out), " {}:{}", v.size, v.as_text());
      } else if (node.type.base == Base::Decimal) {
        fmt::format_to(std::back_inserter(out), " {}", v.decimal);
      } else if (node.type.base == Base::Boolean) {
        out += v.boolean ? " 1" : " 0";
      } else {
        fmt::format_to(std::back_inserter(out), " {}", v.integer);
      }
      break;
    }
    case Op::Field:
    case Op::Let:
    case Op::Decision:
    case Op::RuleName:
    case Op::Unknowns:
      fmt::format_to(std::back_inserter(out), " {}", node.a);
      break;
    case Op::Member:
    case Op::MemberOfSet:
      fmt::format_to(std::back_inserter(out), " {}", node.b);
      ok = sub(node.a);
      break;
    case Op::And:
    case Op::Or:
    case Op::SetOf:
      for (std::uint32_t i = 0; i < node.arg_count && ok; ++i)
        ok = sub(graph_.args[node.first_arg + i]);
      break;
    case Op::Label:
    case Op::Count:
    case Op::Not:
    case Op::Negate:
    case Op::IsSet:
    case Op::IsNotSet:
    case Op::IsEmpty:
    case Op::IsNotEmpty:
    case Op::ToDecimal:
      ok = sub(node.a);
      break;
    default:  // binary operators
      ok = sub(node.a) && sub(node.b);
      break;
  }
  out += ")";
  return ok && out.size() <= kMaxKey;
}

void Abstraction::add(NodeId condition) {
  if (condition == graph::kNoNode || finished_) return;
  conditions_.push_back(condition);
  lower(condition);
}

std::uint32_t Abstraction::lower(NodeId n) {
  n = resolve(n);
  if (auto it = lowered_.find(n); it != lowered_.end()) return it->second;
  std::uint32_t p = 0;
  if (depth_ >= kMaxDepth) {
    p = opaque(n);
  } else {
    ++depth_;
    p = lower_uncached(n);
    --depth_;
  }
  lowered_.emplace(n, p);
  return p;
}

std::uint32_t Abstraction::lower_uncached(NodeId n) {
  const graph::Node& node = graph_.node(n);
  auto truth = [&](bool b) { return add_pre({b ? Pre::Kind::True : Pre::Kind::False, 0, 0, {}}); };
  auto negation = [&](std::uint32_t p) { return add_pre({Pre::Kind::Not, 0, 0, {p}}); };
  auto set_hit = [&](std::uint32_t set, std::vector<bool> elements, bool negated) {
    const std::uint32_t pred = predicate(set, std::move(elements));
    const std::uint32_t p = add_pre({Pre::Kind::SetHit, set, pred, {}});
    return negated ? negation(p) : p;
  };
  Value cv;
  Type ct;
  Term t;
  std::uint32_t set = 0;
  std::uint32_t column = 0;
  bool whole = true;

  switch (node.op) {
    case Op::Const:
      if (node.type.base == Base::Boolean && !node.type.set && graph_.constants[node.a].present) {
        return truth(graph_.constants[node.a].boolean);
      }
      break;
    case Op::Not:
      return negation(lower(node.a));
    case Op::And:
    case Op::Or: {
      Pre p{node.op == Op::And ? Pre::Kind::And : Pre::Kind::Or, 0, 0, {}};
      for (std::uint32_t i = 0; i < node.arg_count; ++i) {
        p.operands.push_back(lower(graph_.args[node.first_arg + i]));
      }
      return add_pre(std::move(p));
    }
    case Op::Field:
    case Op::Decision:
      if (node.type.base == Base::Boolean && term(n, t)) {
        return test(std::move(t), Pred::IsTrue, Op::Eq, {}, Base::Error, n);
      }
      break;
    case Op::IsSet:
    case Op::IsNotSet:
      if (graph_.node(node.a).type.set) return truth(node.op == Op::IsSet);  // never missing
      if (term(node.a, t)) {
        return test(std::move(t), node.op == Op::IsSet ? Pred::IsSet : Pred::IsNotSet, Op::Eq, {},
                    Base::Error, n);
      }
      break;
    case Op::IsEmpty:
    case Op::IsNotEmpty:
      if (set_source(node.a, set, column, whole)) {
        return set_hit(set, member_predicate(set, column, whole, nullptr), node.op == Op::IsEmpty);
      }
      if (term(node.a, t) && t.type.set && t.type.base == Base::Enum) {
        return test(std::move(t), node.op == Op::IsEmpty ? Pred::IsEmpty : Pred::IsNotEmpty, Op::Eq,
                    {}, Base::Error, n);
      }
      break;
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: {
      Value other;
      Type other_type;
      if (constant(node.a, cv, ct) && constant(node.b, other, other_type)) {
        return truth(compare(cv, ct.base, other, other_type.base, node.op));
      }
      Op op = node.op;
      NodeId side = node.a;
      if (constant(node.b, cv, ct)) {
        side = node.a;
      } else if (constant(node.a, cv, ct)) {
        side = node.b;
        op = mirrored(op);
      } else {
        break;
      }
      if (!cv.present || !term(side, t) || t.type.set) break;
      const bool exact = finite(subjects_[t.subject].type.base) || t.type.numeric() ||
                         t.type.base == Base::Date ||
                         (t.type.base == Base::Text && (op == Op::Eq || op == Op::Ne));
      if (!exact) break;
      return test(std::move(t), Pred::Compare, op, cv, ct.base, n);
    }
    case Op::In:
    case Op::NotIn:
    case Op::Contains: {
      // item ∈ collection, whichever way it is written
      const NodeId item = node.op == Op::Contains ? node.b : node.a;
      const NodeId collection = node.op == Op::Contains ? node.a : node.b;
      const bool negated = node.op == Op::NotIn;
      Value coll;
      Type coll_type;
      const bool item_const = constant(item, cv, ct) && cv.present;
      const bool coll_const = constant(collection, coll, coll_type) && coll.present;
      if (item_const && coll_const) {
        const bool in = coll_type.base != Base::Text && coll.has_bit(cv.id);
        return truth(negated ? !in : in);
      }
      if (coll_const && coll_type.base != Base::Text && term(item, t) && !t.type.set) {
        return test(std::move(t), negated ? Pred::NotIn : Pred::In, Op::Eq, coll, coll_type.base,
                    n);
      }
      if (!item_const) break;
      if (set_source(collection, set, column, whole) &&
          !(whole && sets_[set].type.base == Base::Text)) {
        return set_hit(set, member_predicate(set, column, whole, &cv), negated);
      }
      if (term(collection, t) && t.type.set && t.type.base == Base::Enum) {
        const std::uint32_t p = test(std::move(t), Pred::Has, Op::Eq, cv, ct.base, n);
        return negated ? negation(p) : p;
      }
      break;
    }
    default:
      break;
  }
  return opaque(n);
}

bool Abstraction::evaluate(const Test& t, const Value& v) const {
  Value cur = v;
  Type type = subjects_[t.subject].type;
  for (const Step& s : t.steps) {
    switch (s.kind) {
      case Step::Kind::Member:
        cur = cur.present ? graph_.tables[type.ref].rows[cur.id].cells[s.column] : Value::missing();
        break;
      case Step::Kind::ToDecimal:
        // Clamped: an integer beyond the decimal range fails at run time; here it only
        // has to stay above (or below) every decimal it is compared with.
        if (cur.present) cur = Value::of_decimal(decimal::from_integer_clamped(cur.integer));
        break;
      case Step::Kind::Default:
        if (!cur.present) {
          cur = s.value;
        } else if (s.type.base == Base::Decimal && type.base == Base::Integer) {
          cur = Value::of_decimal(decimal::from_integer_clamped(cur.integer));
        }
        break;
    }
    type = s.type;
  }
  switch (t.pred) {
    case Pred::Compare:
      return compare(cur, type.base, t.constant, t.constant_base, t.op);
    case Pred::In:
      return cur.present && t.constant.has_bit(cur.id);
    case Pred::NotIn:
      return !(cur.present && t.constant.has_bit(cur.id));
    case Pred::Has:
      return cur.present && cur.has_bit(t.constant.id);
    case Pred::IsEmpty:
      return !cur.present || empty_set(cur);
    case Pred::IsNotEmpty:
      return cur.present && !empty_set(cur);
    case Pred::IsSet:
      return cur.present;
    case Pred::IsNotSet:
      return !cur.present;
    case Pred::IsTrue:
      return cur.present && cur.boolean;
  }
  return false;
}

void Abstraction::build_subject(Subject& s) {
  if (s.tests.empty()) return;
  std::vector<Value> values;
  if (s.type.optional) values.push_back(Value::missing());
  for (const Value& v : candidates(graph_, s.type.required(), s.points, storage_)) {
    values.push_back(v);
  }
  // Values no test tells apart form one class; its first value stands for it.
  std::map<std::vector<bool>, std::uint32_t> classes;
  std::vector<std::vector<bool>> signature_of_class;
  for (const Value& v : values) {
    std::vector<bool> signature;
    signature.reserve(s.tests.size());
    for (std::uint32_t t : s.tests) signature.push_back(evaluate(tests_[t], v));
    auto [it, fresh] =
        classes.emplace(signature, static_cast<std::uint32_t>(s.representatives.size()));
    if (fresh) {
      s.representatives.push_back(v);
      signature_of_class.push_back(std::move(signature));
    }
  }
  if (s.representatives.size() > kMaxClasses) {
    s.degraded = true;
    for (std::uint32_t t : s.tests) {
      tests_[t].degraded_var = problem_.add_variable(2, /*exact=*/false);
      tests_[t].formula = problem_.in(tests_[t].degraded_var, 2);
    }
    return;
  }
  s.has_var = true;
  s.var = problem_.add_variable(static_cast<std::uint32_t>(s.representatives.size()), !s.decision);
  for (std::size_t i = 0; i < s.tests.size(); ++i) {
    std::vector<ClassMask> mask((signature_of_class.size() + 63) / 64, 0);
    for (std::size_t c = 0; c < signature_of_class.size(); ++c) {
      if (signature_of_class[c][i]) mask[c / 64] |= ClassMask{1} << (c % 64);
    }
    tests_[s.tests[i]].formula = problem_.in(s.var, std::move(mask));
  }
}

void Abstraction::build_set(SetSubject& s) {
  if (s.predicates.empty()) return;
  std::map<std::vector<bool>, std::uint32_t> regions;
  for (std::size_t e = 0; e < s.universe; ++e) {
    std::vector<bool> signature;
    bool any = false;
    for (const auto& p : s.predicates) {
      signature.push_back(p[e]);
      any = any || p[e];
    }
    if (!any) continue;  // an element no condition looks at
    auto [it, fresh] =
        regions.emplace(std::move(signature), static_cast<std::uint32_t>(s.region_element.size()));
    if (fresh) s.region_element.push_back(static_cast<std::uint32_t>(e));
  }
  for (std::size_t r = 0; r < s.region_element.size(); ++r) {
    s.region_var.push_back(problem_.add_variable(2, /*exact=*/true));
  }
  s.predicate_regions.resize(s.predicates.size());
  for (std::size_t p = 0; p < s.predicates.size(); ++p) {
    for (std::uint32_t r = 0; r < s.region_element.size(); ++r) {
      if (s.predicates[p][s.region_element[r]]) s.predicate_regions[p].push_back(r);
    }
  }
}

FormulaId Abstraction::build(std::uint32_t pre) {
  if (built_[pre] != kUnbuilt) return built_[pre];
  const Pre& p = pre_[pre];
  FormulaId f = Problem::kTrue;
  switch (p.kind) {
    case Pre::Kind::True:
      f = Problem::kTrue;
      break;
    case Pre::Kind::False:
      f = Problem::kFalse;
      break;
    case Pre::Kind::Not:
      f = problem_.negate(build(p.operands[0]));
      break;
    case Pre::Kind::And:
    case Pre::Kind::Or: {
      std::vector<FormulaId> operands;
      operands.reserve(p.operands.size());
      for (std::uint32_t o : p.operands) operands.push_back(build(o));
      f = p.kind == Pre::Kind::And ? problem_.all_of(operands) : problem_.any_of(operands);
      break;
    }
    case Pre::Kind::Test:
      f = tests_[p.a].formula;
      break;
    case Pre::Kind::SetHit: {
      const SetSubject& s = sets_[p.a];
      std::vector<FormulaId> hits;
      for (std::uint32_t r : s.predicate_regions[p.b])
        hits.push_back(problem_.in(s.region_var[r], 2));
      f = problem_.any_of(hits);
      break;
    }
    case Pre::Kind::Opaque:
      f = problem_.in(opaques_[p.a].var, 2);
      break;
  }
  built_[pre] = f;
  return f;
}

void Abstraction::finish() {
  if (finished_) return;
  finished_ = true;
  for (auto& s : subjects_) build_subject(s);
  for (auto& s : sets_) build_set(s);
  built_.assign(pre_.size(), kUnbuilt);
  for (NodeId c : conditions_) roots_[c] = build(lowered_.at(resolve(c)));
}

FormulaId Abstraction::formula(NodeId condition) const {
  if (auto it = roots_.find(condition); it != roots_.end()) return it->second;
  return Problem::kTrue;  // the fallback: no condition
}

}  // namespace tamis::analysis
