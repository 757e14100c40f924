#include "runtime/eval/program.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace tamis::runtime {

using graph::Base;
using graph::NodeId;
using graph::Op;
using graph::Value;

namespace {

// Whether operand a / b of a node is another node (else an index or unused).
bool a_is_node(Op op) {
  switch (op) {
    case Op::Const:
    case Op::Field:
    case Op::Let:
    case Op::Decision:
    case Op::RuleName:
    case Op::Unknowns:
    case Op::And:
    case Op::Or:
    case Op::SetOf:
      return false;
    default:
      return true;
  }
}

bool b_is_node(Op op) {
  switch (op) {
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
    case Op::In:
    case Op::NotIn:
    case Op::Contains:
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::Default:
      return true;
    default:
      return false;
  }
}

bool has_args(Op op) {
  return op == Op::And || op == Op::Or || op == Op::SetOf;
}

// Cheaper to recompute than to remember (a decision's outcome is remembered apart,
// but a remembered Decision step is read without a call).
bool cheap(Op op) {
  return op == Op::Const || op == Op::Field || op == Op::RuleName || op == Op::Unknowns;
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
      if (a_is_node(n.op)) need(n.a);
      if (b_is_node(n.op)) need(n.b);
      if (has_args(n.op)) {
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
    if (d.policy == graph::HitPolicy::Collect) {
      plan.words = graph::words_for(universe(graph, d.type.element()));
    }
  }
  count_uses();
  for (const auto& c : columns_) most_texts_ = std::max(most_texts_, c.texts.size());
}

void Program::lower(NodeId id, std::unordered_map<std::string, NodeId>& twins) {
  const graph::Node& n = graph_.nodes[id];
  if (n.op == Op::Let && graph_.lets[n.a].root != graph::kNoNode) {
    step_of_[id] = step_of_[graph_.lets[n.a].root];
    return;
  }
  const bool a_node = a_is_node(n.op);
  const bool b_node = b_is_node(n.op);
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
  if (has_args(n.op)) {
    put(key, n.arg_count);
    for (std::uint32_t i = 0; i < n.arg_count; ++i)
      put(key, step_of_[graph_.args[n.first_arg + i]]);
  }
  const auto [twin, inserted] = twins.emplace(std::move(key), id);
  step_of_[id] = twin->second;
  if (!inserted) return;

  Step& s = steps_[id];
  s.op = n.op;
  s.base = n.type.base;
  s.a = a;
  s.b = b;
  if (n.op == Op::Const) s.constant = graph_.constants[n.a];
  if (a_node) {
    s.a_base = graph_.nodes[n.a].type.base;
    s.ref = graph_.nodes[n.a].type.ref;
  }
  if (b_node) s.b_base = graph_.nodes[n.b].type.base;
  if (has_args(n.op)) {
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
    if (a_is_node(s.op)) ++uses[s.a];
    if (b_is_node(s.op)) ++uses[s.b];
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

}  // namespace tamis::runtime
