// Abstraction::describe: a solver assignment as an example record, in the words of
// the rules (value labels in quotes, as an export would write them).
#include <fmt/format.h>

#include <algorithm>

#include "compiler/analysis/abstraction.hpp"
#include "support/decimal.hpp"
#include "support/lang.hpp"
#include "support/text.hpp"

namespace tamis::analysis {

using graph::Base;
using graph::Value;

std::string Abstraction::value_text(const graph::Type& type, const Value& v) const {
  switch (type.base) {
    case Base::Boolean:
      return v.boolean ? tr("oui", "yes") : tr("non", "no");
    case Base::Integer:
      return fmt::format("{}", v.integer);
    case Base::Decimal:
      return decimal::format(v.decimal);
    case Base::Date:
      return text::format_date(v.date);
    case Base::Text:
      return fmt::format("\"{}\"", v.as_text());
    case Base::Enum:
      return fmt::format("\"{}\"", graph_.enums[type.ref].values[v.id].label);
    case Base::Row:
      return fmt::format("\"{}\"", graph_.tables[type.ref].rows[v.id].key);
    case Base::Error:
      break;
  }
  return "?";
}

std::string Abstraction::source_text(graph::NodeId n) const {
  const auto& range = graph_.node(n).range;
  if (!graph_.sources || !range.valid() || range.file >= graph_.sources->size()) return "…";
  const std::string_view raw = graph_.sources->file(range.file).slice(range);
  std::string out;
  bool space = false;
  for (char c : raw) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string Abstraction::describe(const std::vector<std::int32_t>& assignment) const {
  std::vector<std::string> items;
  auto assigned = [&](VarId v) { return v < assignment.size() && assignment[v] != kUnassigned; };

  auto scalar = [&](const Subject& s, const std::string& name) {
    if (!s.has_var || !assigned(s.var)) return;
    const Value& v = s.representatives[static_cast<std::size_t>(assignment[s.var])];
    if (!v.present) {
      items.push_back(tr("{} non renseigné", "{} not set", name));
      return;
    }
    if (s.type.base == Base::Text && !storage_.empty() && v.text != nullptr &&
        std::any_of(storage_.begin(), storage_.end(),
                    [&](const std::string& made_up) { return made_up.data() == v.text; })) {
      std::vector<std::string> others;
      for (const auto& [p, base] : s.points) {
        if (base == Base::Text) others.push_back(fmt::format("\"{}\"", p.as_text()));
      }
      std::sort(others.begin(), others.end());
      others.erase(std::unique(others.begin(), others.end()), others.end());
      items.push_back(others.empty() ? tr("{} renseigné", "{} set", name)
                                     : tr("{} renseigné (autre que {})", "{} set (other than {})",
                                          name, fmt::join(others, ", ")));
      return;
    }
    if (s.decision && s.type.base == Base::Enum) {
      items.push_back(fmt::format("{} = {}", name, graph_.enums[s.type.ref].values[v.id].name));
      return;
    }
    items.push_back(fmt::format("{} = {}", name, value_text(s.type.required(), v)));
  };

  for (std::uint32_t f = 0; f < graph_.schema.fields.size(); ++f) {
    const std::string& name = graph_.schema.fields[f].name;
    if (auto it = subject_of_.find(f); it != subject_of_.end()) scalar(subjects_[it->second], name);
    auto it = set_of_.find(f);
    if (it == set_of_.end()) continue;
    const SetSubject& s = sets_[it->second];
    bool any_assigned = false;
    std::vector<std::string> members;
    for (std::size_t r = 0; r < s.region_var.size(); ++r) {
      if (!assigned(s.region_var[r])) continue;
      any_assigned = true;
      if (assignment[s.region_var[r]] == 1) {
        members.push_back(s.type.base == Base::Text
                              ? std::string{}
                              : value_text(s.type.element(), Value::of_id(s.region_element[r])));
      }
    }
    if (!any_assigned) continue;
    if (members.empty()) {
      items.push_back(tr("{} vide", "{} empty", name));
    } else if (s.type.base == Base::Text) {
      items.push_back(tr("{} non vide", "{} not empty", name));
    } else {
      items.push_back(fmt::format("{} = {{{}}}", name, fmt::join(members, ", ")));
    }
  }
  for (const Subject& s : subjects_) {
    if (s.decision) scalar(s, graph_.decisions[s.index].name);
  }
  auto assumption = [&](graph::NodeId node, VarId var, bool negated) {
    if (!assigned(var)) return;
    const bool holds = (assignment[var] == 1) != negated;
    items.push_back(holds ? tr("« {} » vrai", "'{}' true", source_text(node))
                          : tr("« {} » faux", "'{}' false", source_text(node)));
  };
  for (const Opaque& o : opaques_) assumption(o.node, o.var, o.negated);
  for (const Test& t : tests_) {
    if (subjects_[t.subject].degraded) assumption(t.node, t.degraded_var, false);
  }
  return fmt::format("{}", fmt::join(items, ", "));
}

}  // namespace tamis::analysis
