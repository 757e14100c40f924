#pragma once
// Campaign summaries (`synthèse`): dossiers counted by the values of one or two
// expressions, as in the source document's tables. Enumerations and tables list
// every value, even those no dossier has (the document's "levers no project
// activated"); texts list the values met, in alphabetical order. A set counts the
// dossier under each member, an empty set or a missing value under "(non renseigné)".
#include <map>
#include <string>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/interpreter.hpp"

namespace tamis::runtime {

struct SummaryTable {
  std::string title;
  std::string row_title;  // what the rows are: the enumeration's or table's name, or the expression
  std::string column_title;            // empty when there is a single column of totals
  std::vector<std::string> row_codes;  // value names, row keys or texts; "" for "(non renseigné)"
  std::vector<std::string> row_labels;
  std::vector<std::string> column_codes;
  std::vector<std::string> column_labels;
  std::vector<std::vector<std::size_t>> counts;  // rows × columns
  std::size_t dossiers = 0;                      // dossiers counted (those meeting the condition)
};

inline constexpr const char* kMissingLabel = "(non renseigné)";

class SummaryCounter {
 public:
  SummaryCounter(const graph::RuleGraph& graph, std::size_t summary);

  // Counts the record loaded in `interpreter`.
  void add(Interpreter& interpreter);
  // Adds another counter's counts (same summary), for parallel runs.
  void merge(const SummaryCounter& other);
  SummaryTable table() const;

 private:
  // One axis: finite (enum values or table rows, then "missing") or texts met.
  struct Axis {
    graph::NodeId node = graph::kNoNode;
    graph::Type type;
    std::size_t finite = 0;                      // number of enum values / rows
    std::map<std::string, std::uint32_t> texts;  // text → key (finite + 1 + i)
    std::vector<std::string> text_of;            // key - finite - 1 → text
  };
  void keys(Axis& axis, Interpreter& interpreter, std::vector<std::uint32_t>& out);
  std::uint32_t text_key(Axis& axis, std::string_view text);
  void describe(const Axis& axis, std::vector<std::string>& codes, std::vector<std::string>& labels,
                std::vector<std::uint32_t>& order) const;

  const graph::RuleGraph& graph_;
  std::size_t summary_;
  Axis rows_, columns_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> counts_;
  std::size_t dossiers_ = 0;
  std::vector<std::uint32_t> row_keys_, column_keys_;  // scratch
};

}  // namespace tamis::runtime
