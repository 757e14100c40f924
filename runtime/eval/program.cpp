#include "runtime/eval/program.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "support/decimal.hpp"

namespace tamis::runtime {

using graph::Base;
using graph::NodeId;
using graph::Op;
using graph::Value;

namespace {

// Cheaper to recompute than to remember (a decision's outcome is remembered apart).
bool cheap(Op op) {
  return op == Op::Const || op == Op::Field || op == Op::Decision || op == Op::RuleName ||
         op == Op::Unknowns;
}

Kind kind_of(Op op) {
  switch (op) {
    case Op::Const:
      return Kind::Const;
    case Op::Field:
      return Kind::Field;
    case Op::Decision:
      return Kind::Decision;
    default:
      return Kind::Computed;
  }
}

bool numeric(Base base) {
  return base == Base::Integer || base == Base::Decimal;
}

// The field test comparing values of these bases, as compare_values() orders them.
Kind comparison_kind(Base a, Base b) {
  if (a == Base::Integer && b == Base::Integer) return Kind::FieldVsInteger;
  if (numeric(a) && numeric(b)) return Kind::FieldVsDecimal;
  switch (a) {
    case Base::Date:
      return Kind::FieldVsDate;
    case Base::Text:
      return Kind::Computed;  // byte-wise, through compare_values()
    case Base::Boolean:
      return Kind::FieldVsBoolean;
    default:
      return Kind::FieldVsId;
  }
}

std::uint8_t accepted_orders(Op op) {
  switch (op) {
    case Op::Eq:
      return kAcceptEqual;
    case Op::Ne:
      return kAcceptLess | kAcceptGreater;
    case Op::Lt:
      return kAcceptLess;
    case Op::Le:
      return kAcceptLess | kAcceptEqual;
    case Op::Gt:
      return kAcceptGreater;
    default:
      return kAcceptEqual | kAcceptGreater;
  }
}

// The accepted orders of (b, a) when (a, b) accepts `accept`.
std::uint8_t mirrored(std::uint8_t accept) {
  return static_cast<std::uint8_t>((accept & kAcceptEqual) |
                                   ((accept & kAcceptLess) != 0 ? kAcceptGreater : 0) |
                                   ((accept & kAcceptGreater) != 0 ? kAcceptLess : 0));
}

bool is_comparison(Op op) {
  return op == Op::Eq || op == Op::Ne || op == Op::Lt || op == Op::Le || op == Op::Gt ||
         op == Op::Ge;
}

template <typename T>
void put(std::string& key, const T& x) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &x, sizeof(T));
  key.append(bytes, sizeof(T));
}

void put_text(std::string& key, std::string_view text) {
  put(key, text.size());
  key += text;
}

// A constant by its content, so that equal literals written twice are one step.
void put_constant(std::string& key, const graph::Type& type, const Value& v) {
  put(key, v.present);
  if (!v.present) return;
  if (type.set && type.base == Base::Text) {
    put(key, v.size);
    for (std::uint32_t i = 0; i < v.size; ++i) put_text(key, v.texts[i]);
  } else if (type.set) {
    put(key, v.size);
    for (std::uint32_t i = 0; i < v.size; ++i) put(key, v.words[i]);
  } else if (type.base == Base::Text) {
    put_text(key, v.as_text());
  } else {
    put(key, v.integer);  // every scalar's bits (the rest of the union is zero)
  }
}

std::size_t universe(const graph::RuleGraph& graph, const graph::Type& element) {
  return element.base == Base::Enum ? graph.enums[element.ref].values.size()
                                    : graph.tables[element.ref].rows.size();
}

}  // namespace

Program::Program(const graph::RuleGraph& graph)
    : graph_(graph), step_of_(graph.nodes.size(), graph::kNoNode), steps_(graph.nodes.size()) {
  std::unordered_map<std::string, NodeId> twins;
  std::vector<bool> in_progress(graph.nodes.size(), false);
  std::vector<std::pair<NodeId, bool>> stack;  // node, its operands pushed
  for (NodeId root = 0; root < graph.nodes.size(); ++root) {
    // Operands first; a definition's expression may come after its uses.
    stack.push_back({root, false});
    while (!stack.empty()) {
      auto& [id, expanded] = stack.back();
      if (step_of_[id] != graph::kNoNode) {
        stack.pop_back();
        continue;
      }
      if (expanded) {
        const NodeId node = id;
        stack.pop_back();
        in_progress[node] = false;
        lower(node, twins);
        continue;
      }
      expanded = true;
      const NodeId node = id;
      in_progress[node] = true;
      const graph::Node& n = graph.nodes[node];
      auto need = [&](NodeId dep) {
        if (dep == graph::kNoNode || step_of_[dep] != graph::kNoNode) return;
        if (in_progress[dep]) throw std::logic_error("cycle in the rule graph");
        stack.push_back({dep, false});
      };
      if (n.op == Op::Let) need(graph.lets[n.a].root);
      if (graph::a_is_node(n.op)) need(n.a);
      if (graph::b_is_node(n.op)) need(n.b);
      if (graph::has_args(n.op)) {
        for (std::uint32_t i = 0; i < n.arg_count; ++i) need(graph.args[n.first_arg + i]);
      }
    }
  }

  for (const auto& d : graph.decisions) {
    DecisionPlan& plan = decisions_.emplace_back();
    for (const auto& rule : d.rules) {
      plan.conditions.push_back(step_of_[rule.condition]);
      plan.results.push_back(step_of_[rule.result]);
    }
    if (d.fallback) plan.fallback = step_of_[d.fallback->result];
    plan.first = d.policy == graph::HitPolicy::First;
    if (d.policy == graph::HitPolicy::Collect) {
      plan.words = graph::words_for(universe(graph, d.type.element()));
    }
  }
  count_uses();
  fold_constant_sets();
  splice_nested_args();
  specialise_field_tests();
  for (auto& s : steps_) {
    if (s.memo) s.slot = memo_slots_++;
  }
  for (const auto& c : columns_) most_texts_ = std::max(most_texts_, c.texts.size());
  read_by_values_.assign(steps_.size(), false);
  const auto read_node = [&](NodeId node) {
    if (node != graph::kNoNode) mark_read(steps_, args_, step_of_[node], read_by_values_);
  };
  for (const auto& d : graph.decisions) {
    for (const auto& rule : d.rules) read_node(rule.result);
    if (d.fallback) read_node(d.fallback->result);
  }
  for (const auto& o : graph.outputs) read_node(o.node);
  for (const auto& summary : graph.summaries) {
    for (const NodeId n : {summary.rows, summary.columns, summary.condition}) read_node(n);
  }
}

void mark_read(const std::vector<Step>& steps, const std::vector<NodeId>& args, NodeId step,
               std::vector<bool>& read) {
  std::vector<NodeId> pending{step};
  while (!pending.empty()) {
    const NodeId at = pending.back();
    pending.pop_back();
    if (read[at]) continue;
    read[at] = true;
    const Step& s = steps[at];
    if (s.kind != Kind::Computed) continue;  // no step operand (a field test's `a`: a field)
    if (graph::a_is_node(s.op)) pending.push_back(s.a);
    if (graph::b_is_node(s.op)) pending.push_back(s.b);
    if (graph::has_args(s.op)) {
      for (std::uint32_t i = 0; i < s.arg_count; ++i) pending.push_back(args[s.first_arg + i]);
    }
  }
}

void Program::lower(NodeId id, std::unordered_map<std::string, NodeId>& twins) {
  const graph::Node& n = graph_.nodes[id];
  if (n.op == Op::Let && graph_.lets[n.a].root != graph::kNoNode) {
    step_of_[id] = step_of_[graph_.lets[n.a].root];
    return;
  }
  const bool a_node = graph::a_is_node(n.op);
  const bool b_node = graph::b_is_node(n.op);
  const std::uint32_t a = a_node ? step_of_[n.a] : n.a;
  const std::uint32_t b = b_node ? step_of_[n.b] : n.b;

  std::string key;
  put(key, n.op);
  put(key, n.type.base);
  put(key, n.type.optional);
  put(key, n.type.set);
  put(key, n.type.ref);
  if (n.op == Op::Const) {
    put_constant(key, n.type, graph_.constants[n.a]);
  } else {
    put(key, a);
    put(key, b);
  }
  if (graph::has_args(n.op)) {
    put(key, n.arg_count);
    for (std::uint32_t i = 0; i < n.arg_count; ++i)
      put(key, step_of_[graph_.args[n.first_arg + i]]);
  }
  const auto [twin, inserted] = twins.emplace(std::move(key), id);
  step_of_[id] = twin->second;
  if (!inserted) return;

  Step& s = steps_[id];
  s.op = n.op;
  s.kind = kind_of(n.op);
  s.base = n.type.base;
  s.a = a;
  s.b = b;
  if (n.op == Op::Const) s.constant = graph_.constants[n.a];
  if (a_node) {
    s.a_base = graph_.nodes[n.a].type.base;
    s.ref = graph_.nodes[n.a].type.ref;
  }
  if (b_node) s.b_base = graph_.nodes[n.b].type.base;
  if (graph::has_args(n.op)) {
    s.first_arg = static_cast<std::uint32_t>(args_.size());
    s.arg_count = n.arg_count;
    for (std::uint32_t i = 0; i < n.arg_count; ++i) {
      args_.push_back(step_of_[graph_.args[n.first_arg + i]]);
    }
  }
  if (n.op == Op::SetOf) s.words = graph::words_for(universe(graph_, n.type.element()));
  if (n.op == Op::Member || n.op == Op::MemberOfSet) {
    s.column = column_index(graph_.nodes[n.a].type.ref, n.b);
    s.words = columns_[s.column].words;
  }
}

std::uint32_t Program::column_index(std::uint32_t table, std::uint32_t column) {
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c].table == table && columns_[c].column == column) return c;
  }
  columns_.emplace_back(graph_, table, column);
  return static_cast<std::uint32_t>(columns_.size() - 1);
}

// A step used by several steps, rules, outputs or summaries is remembered per record.
void Program::count_uses() {
  std::vector<std::uint32_t> uses(steps_.size(), 0);
  auto use = [&](NodeId node) {
    if (node != graph::kNoNode) ++uses[step_of_[node]];
  };
  for (NodeId id = 0; id < steps_.size(); ++id) {
    if (step_of_[id] != id) continue;
    const Step& s = steps_[id];
    if (graph::a_is_node(s.op)) ++uses[s.a];
    if (graph::b_is_node(s.op)) ++uses[s.b];
    for (std::uint32_t i = 0; i < s.arg_count; ++i) ++uses[args_[s.first_arg + i]];
  }
  for (const auto& d : graph_.decisions) {
    for (const auto& rule : d.rules) {
      use(rule.condition);
      use(rule.result);
    }
    if (d.fallback) use(d.fallback->result);
  }
  for (const auto& o : graph_.outputs) use(o.node);
  for (const auto& s : graph_.summaries) {
    use(s.rows);
    use(s.columns);
    use(s.condition);
  }
  for (NodeId id = 0; id < steps_.size(); ++id) {
    steps_[id].memo = step_of_[id] == id && uses[id] >= 2 && !cheap(steps_[id].op);
  }
}

// A set of constants, `{a, b}`, is the same set for every record: built here once.
void Program::fold_constant_sets() {
  for (NodeId id = 0; id < steps_.size(); ++id) {
    Step& s = steps_[id];
    if (step_of_[id] != id || s.op != Op::SetOf) continue;
    std::vector<std::uint64_t> words(s.words, 0);
    bool constant = true;
    for (std::uint32_t i = 0; i < s.arg_count && constant; ++i) {
      const Step& member = steps_[args_[s.first_arg + i]];
      // As Interpreter::set_of, which reads the id of whatever value it is given.
      const std::uint32_t bit = member.constant.id;
      constant = member.kind == Kind::Const && bit / 64 < words.size();
      if (constant) words[bit / 64] |= std::uint64_t{1} << (bit % 64);
    }
    if (!constant) continue;
    const auto& kept = folded_sets_.emplace_back(std::move(words));
    s.kind = Kind::Const;
    s.constant = Value::of_words(kept.data(), s.words);
    s.memo = false;
  }
}

// `a et (b et c)` runs as `a et b et c` when the inner `et` is not remembered: the
// same operands in the same order, without a call for the inner one.
void Program::splice_nested_args() {
  std::vector<NodeId> spliced;
  for (NodeId id = 0; id < steps_.size(); ++id) {
    Step& s = steps_[id];
    if (step_of_[id] != id || (s.op != Op::And && s.op != Op::Or)) continue;
    spliced.clear();
    for (std::uint32_t i = 0; i < s.arg_count; ++i) {
      append_spliced(args_[s.first_arg + i], s.op, spliced);
    }
    if (spliced.size() == s.arg_count) continue;
    s.first_arg = static_cast<std::uint32_t>(args_.size());
    s.arg_count = static_cast<std::uint32_t>(spliced.size());
    args_.insert(args_.end(), spliced.begin(), spliced.end());
  }
}

void Program::append_spliced(NodeId step, Op op, std::vector<NodeId>& out) const {
  const Step& s = steps_[step];
  if (s.op != op || s.memo) {
    out.push_back(step);
    return;
  }
  for (std::uint32_t i = 0; i < s.arg_count; ++i) append_spliced(args_[s.first_arg + i], op, out);
}

void Program::specialise_field_tests() {
  for (NodeId id = 0; id < steps_.size(); ++id) {
    Step& s = steps_[id];
    if (step_of_[id] != id) continue;
    if (is_comparison(s.op)) {
      s.accept = accepted_orders(s.op);
      specialise_comparison(s);
    } else {
      specialise_test(s);
    }
    if (s.kind != Kind::Computed) s.memo = false;  // a test is cheaper than a lookup
  }
}

// `x est renseigné`, `x est vide`, `x dans {…}` on a field.
void Program::specialise_test(Step& s) const {
  if (!graph::a_is_node(s.op) || s.kind != Kind::Computed || steps_[s.a].kind != Kind::Field)
    return;
  const std::uint32_t field = steps_[s.a].a;
  switch (s.op) {
    case Op::IsSet:
      s.kind = Kind::FieldSet;
      break;
    case Op::IsNotSet:
      s.kind = Kind::FieldNotSet;
      break;
    case Op::IsEmpty:
      s.kind = Kind::FieldEmpty;
      break;
    case Op::IsNotEmpty:
      s.kind = Kind::FieldNotEmpty;
      break;
    case Op::In:
    case Op::NotIn:
      if (steps_[s.b].kind != Kind::Const) return;
      s.kind = s.op == Op::In ? Kind::FieldIn : Kind::FieldNotIn;
      s.constant = steps_[s.b].constant;
      break;
    default:
      return;
  }
  // The words a value of the field (or a set of its values) needs: its ids' range, so
  // that ConditionCode knows when a one-word test needs no range check.
  const graph::Type& type = graph_.nodes[s.a].type;
  if (type.base == Base::Enum || type.base == Base::Row)
    s.words = graph::words_for(universe(graph_, type.element()));
  s.a = field;
}

// A field compared with a present constant, on either side.
void Program::specialise_comparison(Step& s) const {
  const Kind kind = comparison_kind(s.a_base, s.b_base);
  if (kind == Kind::Computed) return;
  const Step& a = steps_[s.a];
  const Step& b = steps_[s.b];
  const bool field_first = a.kind == Kind::Field && b.kind == Kind::Const;
  const bool field_second = a.kind == Kind::Const && b.kind == Kind::Field;
  if (!field_first && !field_second) return;
  const Step& field = field_first ? a : b;
  const Step& constant = field_first ? b : a;
  // A missing constant equals nothing: left to the general comparison.
  if (!constant.constant.present) return;
  const Base field_base = field_first ? s.a_base : s.b_base;
  const Base constant_base = field_first ? s.b_base : s.a_base;
  s.constant = constant.constant;
  if (kind == Kind::FieldVsDecimal && constant_base == Base::Integer) {
    // An integer beyond the decimal range is left to the general comparison, exact.
    const auto d = decimal::from_integer(constant.constant.integer);
    if (!d) return;
    s.constant = Value::of_decimal(*d);
  }
  if (field_second) s.accept = mirrored(s.accept);
  s.a_base = field_base;
  s.a = field.a;
  s.kind = kind;
}

bool may_fail_after_decisions(const graph::RuleGraph& graph, NodeId node) {
  std::vector<NodeId> pending{node};
  std::vector<bool> seen(graph.nodes.size(), false);
  while (!pending.empty()) {
    const NodeId n = pending.back();
    pending.pop_back();
    if (n == graph::kNoNode || seen[n]) continue;
    seen[n] = true;
    const graph::Node& g = graph.nodes[n];
    switch (g.op) {
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Div:
      case Op::Negate:
        return true;
      case Op::Let:
        pending.push_back(graph.lets[g.a].root);
        continue;
      default:
        break;
    }
    if (graph::a_is_node(g.op)) pending.push_back(g.a);
    if (graph::b_is_node(g.op)) pending.push_back(g.b);
    if (graph::has_args(g.op)) {
      for (std::uint32_t i = 0; i < g.arg_count; ++i)
        pending.push_back(graph.args[g.first_arg + i]);
    }
  }
  return false;
}

std::vector<std::string_view> node_owners(const graph::RuleGraph& graph) {
  std::vector<std::string_view> owners(graph.nodes.size());
  std::vector<bool> claimed(graph.nodes.size(), false);
  // Claims the unclaimed nodes of `root`'s expression; a reference to a definition
  // stops there (the definition's expression is its own).
  auto claim = [&](NodeId root, std::string_view name) {
    std::vector<NodeId> pending{root};
    while (!pending.empty()) {
      const NodeId n = pending.back();
      pending.pop_back();
      if (n == graph::kNoNode || n >= owners.size() || claimed[n]) continue;
      claimed[n] = true;
      owners[n] = name;
      const graph::Node& g = graph.nodes[n];
      if (graph::a_is_node(g.op)) pending.push_back(g.a);
      if (graph::b_is_node(g.op)) pending.push_back(g.b);
      if (graph::has_args(g.op)) {
        for (std::uint32_t i = 0; i < g.arg_count; ++i)
          pending.push_back(graph.args[g.first_arg + i]);
      }
    }
  };
  for (const auto& let : graph.lets) claim(let.root, let.name);
  for (const auto& d : graph.decisions) {
    for (const auto& rule : d.rules) {
      claim(rule.condition, rule.name);
      claim(rule.result, rule.name);
    }
    if (d.fallback) claim(d.fallback->result, d.fallback->name);
  }
  for (const auto& o : graph.outputs) claim(o.node, o.name);
  for (const auto& s : graph.summaries) {
    for (const NodeId n : {s.rows, s.columns, s.condition}) claim(n, s.title);
  }
  return owners;
}

}  // namespace tamis::runtime
