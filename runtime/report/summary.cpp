#include "runtime/report/summary.hpp"

#include <algorithm>

namespace tamis::runtime {

using graph::Base;

SummaryCounter::SummaryCounter(const graph::RuleGraph& graph, std::size_t summary)
    : graph_(graph), summary_(summary) {
  const auto& s = graph.summaries[summary];
  auto init = [&](Axis& axis, graph::NodeId node) {
    axis.node = node;
    if (node == graph::kNoNode) return;
    axis.type = graph.nodes[node].type;
    if (axis.type.base == Base::Enum) axis.finite = graph.enums[axis.type.ref].values.size();
    if (axis.type.base == Base::Row) axis.finite = graph.tables[axis.type.ref].rows.size();
  };
  init(rows_, s.rows);
  init(columns_, s.columns);
}

std::uint32_t SummaryCounter::text_key(Axis& axis, std::string_view text) {
  auto [it, inserted] = axis.texts.emplace(
      std::string(text), static_cast<std::uint32_t>(axis.finite + 1 + axis.text_of.size()));
  if (inserted) axis.text_of.emplace_back(text);
  return it->second;
}

// The keys a record has on an axis: one per set member, or the missing key.
void SummaryCounter::keys(Axis& axis, Interpreter& interpreter, std::vector<std::uint32_t>& out) {
  out.clear();
  const auto missing = static_cast<std::uint32_t>(axis.finite);
  if (axis.node == graph::kNoNode) {
    out.push_back(0);
    return;
  }
  const graph::Value v = interpreter.evaluate(axis.node);
  if (!v.present) {
    out.push_back(missing);
    return;
  }
  if (axis.type.set) {
    if (axis.type.base == Base::Text) {
      for (std::uint32_t i = 0; i < v.size; ++i) out.push_back(text_key(axis, v.texts[i]));
    } else {
      for (std::uint32_t i = 0; i < axis.finite; ++i) {
        if (v.has_bit(i)) out.push_back(i);
      }
    }
    if (out.empty()) out.push_back(missing);
    return;
  }
  out.push_back(axis.type.base == Base::Text ? text_key(axis, v.as_text()) : v.id);
}

void SummaryCounter::add(Interpreter& interpreter) {
  const auto& s = graph_.summaries[summary_];
  if (s.condition != graph::kNoNode && !interpreter.evaluate(s.condition).boolean) return;
  ++dossiers_;
  keys(rows_, interpreter, row_keys_);
  keys(columns_, interpreter, column_keys_);
  for (auto r : row_keys_) {
    for (auto c : column_keys_) ++counts_[{r, c}];
  }
}

void SummaryCounter::merge(const SummaryCounter& other) {
  dossiers_ += other.dossiers_;
  // Text keys differ between counters: translate them through the texts.
  auto translate = [&](Axis& mine, const Axis& theirs, std::uint32_t key) {
    if (key <= theirs.finite) return key;
    return text_key(mine, theirs.text_of[key - theirs.finite - 1]);
  };
  for (const auto& [key, count] : other.counts_) {
    counts_[{translate(rows_, other.rows_, key.first),
             translate(columns_, other.columns_, key.second)}] += count;
  }
}

// Codes and labels of an axis in display order, and the key of each position.
void SummaryCounter::describe(const Axis& axis, std::vector<std::string>& codes,
                              std::vector<std::string>& labels,
                              std::vector<std::uint32_t>& order) const {
  if (axis.node == graph::kNoNode) {
    codes = {"total"};
    labels = {"Total"};
    order = {0};
    return;
  }
  for (std::uint32_t i = 0; i < axis.finite; ++i) {
    if (axis.type.base == Base::Enum) {
      codes.push_back(graph_.enums[axis.type.ref].values[i].code);
      labels.push_back(graph_.enums[axis.type.ref].values[i].label);
    } else {
      codes.push_back(graph_.tables[axis.type.ref].rows[i].key);
      labels.push_back(graph_.tables[axis.type.ref].rows[i].key);
    }
    order.push_back(i);
  }
  for (const auto& [text, key] : axis.texts) {  // std::map: alphabetical
    codes.push_back(text);
    labels.push_back(text);
    order.push_back(key);
  }
  codes.emplace_back();
  labels.emplace_back(kMissingLabel);
  order.push_back(static_cast<std::uint32_t>(axis.finite));
}

SummaryTable SummaryCounter::table() const {
  const auto& s = graph_.summaries[summary_];
  SummaryTable t;
  t.title = s.title;
  t.dossiers = dossiers_;
  auto title = [&](const Axis& axis) -> std::string {
    if (axis.node == graph::kNoNode) return {};
    if (axis.type.base == Base::Enum) return graph_.enums[axis.type.ref].name;
    if (axis.type.base == Base::Row) return graph_.tables[axis.type.ref].name;
    const auto& r = graph_.nodes[axis.node].range;
    return graph_.sources ? std::string(graph_.sources->file(r.file).slice(r)) : std::string();
  };
  t.row_title = title(rows_);
  t.column_title = title(columns_);
  std::vector<std::uint32_t> row_order, column_order;
  describe(rows_, t.row_codes, t.row_labels, row_order);
  describe(columns_, t.column_codes, t.column_labels, column_order);
  t.counts.assign(row_order.size(), std::vector<std::size_t>(column_order.size(), 0));
  for (std::size_t r = 0; r < row_order.size(); ++r) {
    for (std::size_t c = 0; c < column_order.size(); ++c) {
      auto it = counts_.find({row_order[r], column_order[c]});
      if (it != counts_.end()) t.counts[r][c] = it->second;
    }
  }
  return t;
}

}  // namespace tamis::runtime
