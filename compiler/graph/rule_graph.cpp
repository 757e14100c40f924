#include "compiler/graph/rule_graph.hpp"

namespace tamis::graph {

std::string type_name(const RuleGraph& graph, const Type& type) {
  std::string base;
  switch (type.base) {
    case Base::Boolean:
      base = "booléen";
      break;
    case Base::Integer:
      base = "entier";
      break;
    case Base::Decimal:
      base = "décimal";
      break;
    case Base::Text:
      base = "texte";
      break;
    case Base::Date:
      base = "date";
      break;
    case Base::Enum:
      base = type.ref < graph.enums.size() ? graph.enums[type.ref].name : "?";
      break;
    case Base::Row:
      base = type.ref < graph.tables.size() ? graph.tables[type.ref].name : "?";
      break;
    case Base::Error:
      return "(erreur)";
  }
  if (type.set) return "ensemble de " + base;
  return type.optional ? base + "?" : base;
}

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

std::vector<NodeId> operands(const RuleGraph& graph, const Node& node) {
  std::vector<NodeId> out;
  if (a_is_node(node.op)) out.push_back(node.a);
  if (b_is_node(node.op)) out.push_back(node.b);
  if (has_args(node.op)) {
    const auto first = graph.args.begin() + node.first_arg;
    out.insert(out.end(), first, first + node.arg_count);
  }
  return out;
}

std::vector<bool> dossier_dependent_nodes(const RuleGraph& graph) {
  // Nodes are added operands first, but a Let node may name a definition declared later:
  // repeat until nothing changes (each pass only turns nodes to true).
  std::vector<bool> depends(graph.nodes.size(), false);
  for (bool changed = true; changed;) {
    changed = false;
    for (NodeId n = 0; n < graph.nodes.size(); ++n) {
      if (depends[n]) continue;
      const Node& node = graph.nodes[n];
      bool d = false;
      switch (node.op) {
        case Op::Field:
        case Op::Unknowns:
        case Op::Decision:
        case Op::RuleName:
          d = true;
          break;
        case Op::Let:
          d = node.a < graph.lets.size() && graph.lets[node.a].root != kNoNode &&
              depends[graph.lets[node.a].root];
          break;
        default:
          for (const NodeId o : operands(graph, node)) d = d || depends[o];
      }
      if (d) {
        depends[n] = true;
        changed = true;
      }
    }
  }
  return depends;
}

}  // namespace tamis::graph
