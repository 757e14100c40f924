#pragma once
// Yearly revisions: the same campaign evaluated under two rule sets in one pass,
// and every change explained — the transition matrix of the first decision, each
// dossier whose outcome changed with the rules responsible on each side and the
// definitions whose values differ, and the differences of the rule sets themselves.
#include <istream>
#include <map>
#include <nlohmann/json.hpp>
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

// Why the deciding rule of the compared decision changed for one dossier, from the
// explanation of a rule on one side (runtime/explain's explain_rule()):
//   "ne s'applique plus"  — the rule that decided before does not apply after;
//   "ne s'appliquait pas" — the rule that decides after did not apply before;
//   "ordre"               — both applied on both sides, `rule` now comes before `other`;
//   "ajoutée" / "retirée" — the rule that decides after is new / the one before is gone;
//   "résultat"            — the same rule decides on both sides but gives another value.
struct RuleReason {
  std::string kind;
  std::string rule;   // the rule's name
  std::string other;  // "ordre": the rule it now comes before
  std::string side;   // "avant" / "après": the rule set `explanation` was made under
  // explain_rule()'s object ({"applique", "condition_en_echec" | "conditions", "regle"}),
  // null when the reason needs none ("ordre", "retirée", "résultat").
  nlohmann::json explanation;
};

struct DossierChange {
  std::string id;
  std::size_t line = 0;
  std::string category_before, category_after;  // first decision's codes ("" when rejected)
  std::string rule_before, rule_after;
  std::string rejected_before, rejected_after;  // reasons, when a side rejected the row
  std::vector<ValueChange> outputs;      // output columns present on both sides whose values differ
  std::vector<ValueChange> definitions;  // definitions present on both sides whose values differ
  std::vector<RuleReason> reasons;       // when the deciding rule or its result changed
};

struct RuleChange {
  // "règle", "décision" (its hit policy and type), "définition", "champ" (of the schema),
  // "sortie" (an output column), "synthèse", "colonne" (of a table), "ligne", "valeur",
  // "ordre" (of the rules of a `première` decision, fields, output columns, summaries,
  // table rows or enumeration values: `name` says which)
  std::string kind;
  // decision, schema, table or enumeration name ("" for definitions, outputs, summaries)
  std::string owner;
  std::string name;
  std::string change;                     // "ajoutée", "retirée", "modifiée"
  std::string before, after;              // source text or cells, when modified
  std::string where_before, where_after;  // file:line
};

struct CampaignDiff {
  std::string before_name, after_name;                // rule-set name and version
  std::string before_fingerprint, after_fingerprint;  // RuleGraph::fingerprint
  std::string decision;                               // the compared decision (the first)
  std::vector<std::string> categories;                // codes, in the order of the matrix
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

// Differences of the rule sets themselves, independent of any data: everything of the
// rule files that can change a result or an output, compared by name (rules on their text,
// definitions on their label, type and body, schema fields on their type and column, …),
// and the order of what is ordered. Tests and comments are not compared.
std::vector<RuleChange> diff_rules(const graph::RuleGraph& before, const graph::RuleGraph& after);

}  // namespace tamis::runtime
