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

std::vector<NodeId> operands(const RuleGraph& graph, const Node& node) {
  switch (node.op) {
    case Op::Const:
    case Op::Field:
    case Op::Let:
    case Op::Decision:
    case Op::RuleName:
    case Op::Unknowns:
      return {};
    case Op::And:
    case Op::Or:
    case Op::SetOf: {
      const auto first = graph.args.begin() + node.first_arg;
      return {first, first + node.arg_count};
    }
    case Op::Label:
    case Op::Count:
    case Op::Not:
    case Op::Negate:
    case Op::IsSet:
    case Op::IsNotSet:
    case Op::IsEmpty:
    case Op::IsNotEmpty:
    case Op::ToDecimal:
    case Op::Member:       // b: a column index
    case Op::MemberOfSet:  // b: a column index
      return {node.a};
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
      return {node.a, node.b};
  }
  return {};
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
