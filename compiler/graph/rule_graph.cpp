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

}  // namespace tamis::graph
