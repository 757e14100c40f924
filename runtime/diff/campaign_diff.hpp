#pragma once
// Yearly revisions: the same campaign evaluated under two rule sets in one pass,
// and every change explained — the transition matrix of the first decision, each
// dossier whose outcome changed with the rules responsible on each side and the
// definitions whose values differ, and the differences of the rule sets themselves.
#include <istream>
#include <map>
#include <string>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/campaign.hpp"

namespace tamis::runtime {

struct ValueChange {
  std::string name;   // definition name (soit)
  std::string label;  // its words, if any
  std::string before, after;
};

struct DossierChange {
  std::string id;
  std::size_t line = 0;
  std::string category_before, category_after;  // first decision's codes ("" when rejected)
  std::string rule_before, rule_after;
  std::string rejected_before, rejected_after;  // reasons, when a side rejected the row
  std::vector<ValueChange> outputs;      // output columns present on both sides whose values differ
  std::vector<ValueChange> definitions;  // definitions present on both sides whose values differ
};

struct RuleChange {
  std::string kind;   // "règle", "définition", "ligne", "valeur"
  std::string owner;  // decision, table or enumeration name ("" for definitions)
  std::string name;
  std::string change;                     // "ajoutée", "retirée", "modifiée"
  std::string before, after;              // source text or cells, when modified
  std::string where_before, where_after;  // file:line
};

struct CampaignDiff {
  std::string before_name, after_name;  // rule-set name and version
  std::string decision;                 // the compared decision (the first)
  std::vector<std::string> categories;  // codes, in the order of the matrix
  std::map<std::pair<std::string, std::string>, std::size_t> matrix;  // (before, after) → dossiers
  std::vector<DossierChange> changes;                                 // in input order
  std::vector<RuleChange> rule_changes;
  std::size_t rows_read = 0;
  std::size_t rows_changed = 0;
  std::vector<std::string> fatal_errors;
};

// Evaluates `input` under both graphs (read once). Rows rejected on one side only
// appear as changes; the matrix uses "rejeté" for them.
CampaignDiff diff_campaign(const graph::RuleGraph& before, const graph::RuleGraph& after,
                           std::istream& input, const CampaignOptions& options = {});

// Differences of the rule sets themselves, independent of any data.
std::vector<RuleChange> diff_rules(const graph::RuleGraph& before, const graph::RuleGraph& after);

}  // namespace tamis::runtime
