#include "runtime/report/summary.hpp"

#include <algorithm>
#include <bit>

#include "runtime/eval/program.hpp"
#include "support/text.hpp"

namespace tamis::runtime {

using graph::Base;

SummaryCounter::SummaryCounter(const graph::RuleGraph& graph, std::size_t summary)
    : graph_(graph), summary_(summary) {
  const auto& s = graph.summaries[summary];
  auto init = [&](Axis& axis, graph::NodeId node) {
    axis.node = node;
    if (node == graph::kNoNode) return;
    axis.type = graph.nodes[node].type;
    const graph::Node& n = graph.nodes[node];
    if (n.op == graph::Op::Field) axis.source = Axis::Source::Field;
    if (n.op == graph::Op::Decision) axis.source = Axis::Source::Decision;
    axis.index = n.a;
    if (axis.type.base == Base::Enum) axis.finite = graph.enums[axis.type.ref].values.size();
    if (axis.type.base == Base::Row) axis.finite = graph.tables[axis.type.ref].rows.size();
  };
  init(rows_, s.rows);
  init(columns_, s.columns);
  condition_ = s.condition;
  may_fail_ = may_fail_after_decisions(graph, s.condition) ||
              may_fail_after_decisions(graph, s.rows) || may_fail_after_decisions(graph, s.columns);
  single_keys_ = !rows_.type.set && rows_.type.base != Base::Text && !columns_.type.set &&
                 columns_.type.base != Base::Text;
  // Keys 0 … finite (« missing »), or the single key 0 of an axis without expression.
  count_rows_ = rows_.finite + 1;
  stride_ = columns_.finite + 1;
  counts_.assign(count_rows_ * stride_, 0);
  counts_margins_ = columns_.node != graph::kNoNode && (rows_.type.set || columns_.type.set);
  if (rows_.type.base != Base::Text && columns_.type.base != Base::Text) return;
  auto add = [&](std::string_view text) {
    if (rule_text_index_.emplace(text.data(), rule_texts_.size()).second) {
      rule_texts_.push_back(text);
    }
  };
  for (const auto& text : graph.text_storage) add(text);
  for (const auto& list : graph.text_set_storage) {
    for (const auto text : list) add(text);
  }
  for (const auto& table : graph.tables) {
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const graph::Type type = table.columns[c].type;
      if (type.base != Base::Text) continue;
      for (const auto& row : table.rows) {
        const graph::Value& cell = row.cells[c];
        if (!cell.present) continue;
        if (!type.set) {
          add(cell.as_text());
        } else {
          for (std::uint32_t i = 0; i < cell.size; ++i) add(cell.texts[i]);
        }
      }
    }
  }
  rows_.rule_text_keys.assign(rule_texts_.size(), kNoKey);
  columns_.rule_text_keys.assign(rule_texts_.size(), kNoKey);
}

// A rule text by its index, any other text copied into `out`.
std::uint32_t SummaryCounter::text_key_of(std::string_view text, SummaryKeys& out) const {
  if (const auto it = rule_text_index_.find(text.data());
      it != rule_text_index_.end() && rule_texts_[it->second].size() == text.size()) {
    return kRuleTextKey | it->second;
  }
  return out.add_text(text);
}

std::uint32_t SummaryCounter::resolve(Axis& axis, const SummaryKeys& keys, std::uint32_t key) {
  if ((key & kTextKey) != 0) return text_key(axis, keys.text(key));
  if ((key & kRuleTextKey) == 0) return key;
  std::uint32_t& resolved = axis.rule_text_keys[key & ~kRuleTextKey];
  if (resolved == kNoKey) resolved = text_key(axis, rule_texts_[key & ~kRuleTextKey]);
  return resolved;
}

std::uint32_t SummaryCounter::text_key(Axis& axis, std::string_view text) {
  // Looked up before inserting: most texts are met again, and a key is not copied then.
  if (const auto it = axis.texts.find(text); it != axis.texts.end()) return it->second;
  const auto key = static_cast<std::uint32_t>(axis.finite + 1 + axis.text_of.size());
  axis.texts.emplace(std::string(text), key);
  axis.text_of.emplace_back(text);
  return key;
}

void KeyBuffer::grow(std::size_t n) {
  const std::size_t capacity = std::max<std::size_t>({n, 2 * capacity_, 64});
  auto words = std::make_unique_for_overwrite<std::uint32_t[]>(capacity);
  std::copy(words_.get(), words_.get() + size_, words.get());
  words_ = std::move(words);
  capacity_ = capacity;
}

std::uint32_t SummaryKeys::add_text(std::string_view text) {
  const auto key = kTextKey | static_cast<std::uint32_t>(texts.size());
  texts.emplace_back(texts_storage.size(), text.size());
  texts_storage += text;
  return key;
}

std::string_view SummaryKeys::text(std::uint32_t key) const {
  const auto [offset, size] = texts[key & ~kTextKey];
  return std::string_view(texts_storage).substr(offset, size);
}

// The keys a record has on an axis: one per set member, or the missing key;
// preceded by their number. Inlined in extract(), which runs for every dossier.
[[gnu::always_inline]] inline void SummaryCounter::extract_axis(const Axis& axis,
                                                                Interpreter& interpreter,
                                                                SummaryKeys& out) const {
  const auto missing = static_cast<std::uint32_t>(axis.finite);
  const std::size_t count_at = out.keys.size();
  out.keys.push_back(0);
  auto push_text = [&](std::string_view text) { out.keys.push_back(text_key_of(text, out)); };
  if (axis.node == graph::kNoNode) {
    out.keys.push_back(0);
  } else if (const graph::Value v = interpreter.evaluate(axis.node); !v.present) {
    out.keys.push_back(missing);
  } else if (axis.type.set) {
    if (axis.type.base == Base::Text) {
      for (std::uint32_t i = 0; i < v.size; ++i) push_text(v.texts[i]);
    } else {
      for (std::uint32_t w = 0; w < v.size; ++w) {
        for (std::uint64_t bits = v.words[w]; bits != 0; bits &= bits - 1) {
          const auto i = w * 64 + static_cast<std::uint32_t>(std::countr_zero(bits));
          if (i < axis.finite) out.keys.push_back(i);
        }
      }
    }
    if (out.keys.size() == count_at + 1) out.keys.push_back(missing);
  } else if (axis.type.base == Base::Text) {
    push_text(v.as_text());
  } else {
    out.keys.push_back(v.id);
  }
  out.keys[count_at] = static_cast<std::uint32_t>(out.keys.size() - count_at - 1);
}

void SummaryCounter::extract_sets_or_texts(Interpreter& interpreter, SummaryKeys& out) const {
  if (!holds(interpreter)) {
    out.keys.push_back(0);
    out.keys.push_back(0);
    return;
  }
  extract_axis(rows_, interpreter, out);
  extract_axis(columns_, interpreter, out);
}

bool SummaryCounter::key_reads(const graph::Value* fields, const Interpreter& interpreter,
                               KeyRead out[2]) const {
  // The key of an axis without expression: 0 (decided_key).
  static const graph::Value kKeyZero = graph::Value::of_id(0);
  if (!single_keys_ || condition_ != graph::kNoNode) return false;
  const Axis* axes[2] = {&rows_, &columns_};
  for (int a = 0; a < 2; ++a) {
    const Axis& axis = *axes[a];
    out[a].missing = static_cast<std::uint32_t>(axis.finite);
    if (axis.node == graph::kNoNode) {
      out[a].value = &kKeyZero;
    } else if (axis.source == Axis::Source::Field) {
      out[a].value = &fields[axis.index];
    } else if (axis.source == Axis::Source::Decision) {
      out[a].value = &interpreter.decided(axis.index).value;
    } else {
      return false;
    }
  }
  return true;
}

void SummaryCounter::check(Interpreter& interpreter) const {
  const auto& s = graph_.summaries[summary_];
  if (s.condition != graph::kNoNode && !interpreter.evaluate(s.condition).boolean) return;
  for (const Axis* axis : {&rows_, &columns_}) {
    if (axis->node != graph::kNoNode) interpreter.evaluate(axis->node);
  }
}

std::size_t SummaryCounter::count_sets_or_texts(const SummaryKeys& keys, std::size_t at) {
  const std::uint32_t* k = keys.keys.data() + at;
  const std::uint32_t row_count = k[0];
  const std::uint32_t* rows = k + 1;
  const std::uint32_t column_count = k[1 + row_count];
  const std::uint32_t* columns = k + 2 + row_count;
  const std::size_t next = at + 2 + row_count + column_count;
  if (row_count == 0) return next;  // the condition does not hold
  ++dossiers_;
  // The usual record: one cell, a finite one (a table with a set axis also counts margins).
  if (row_count == 1 && column_count == 1 && !counts_margins_) {
    const std::uint32_t row = rows[0];
    const std::uint32_t column = columns[0];
    if (((row | column) & (kTextKey | kRuleTextKey)) == 0 && row < count_rows_ &&
        column < stride_) {
      ++counts_[row * stride_ + column];
      return next;
    }
  }
  count_cells(keys, rows, row_count, columns, column_count);
  if (counts_margins_) count_margins(keys, rows, row_count, columns, column_count);
  return next;
}

void SummaryCounter::count_cells(const SummaryKeys& keys, const std::uint32_t* rows,
                                 std::uint32_t row_count, const std::uint32_t* columns,
                                 std::uint32_t column_count) {
  // Most keys are enumeration values or table rows, counted as they are: only texts
  // go through resolve().
  const auto key_on = [&](Axis& axis, std::uint32_t key) {
    return (key & (kTextKey | kRuleTextKey)) == 0 ? key : resolve(axis, keys, key);
  };
  for (std::uint32_t r = 0; r < row_count; ++r) {
    const std::uint32_t row = key_on(rows_, rows[r]);
    for (std::uint32_t c = 0; c < column_count; ++c) {
      const std::uint32_t column = key_on(columns_, columns[c]);
      if (row >= count_rows_ || column >= stride_) grow(row, column);
      ++counts_[row * stride_ + column];
    }
  }
}

// Once per dossier for each distinct row key and each distinct column key it has.
void SummaryCounter::count_margins(const SummaryKeys& keys, const std::uint32_t* rows,
                                   std::uint32_t row_count, const std::uint32_t* columns,
                                   std::uint32_t column_count) {
  const auto add = [&](Axis& axis, std::vector<std::size_t>& dossiers, const std::uint32_t* list,
                       std::uint32_t size) {
    for (std::uint32_t i = 0; i < size; ++i) {
      // A set's members are distinct; a member written twice in a text set is not.
      if (std::find(list, list + i, list[i]) != list + i) continue;
      const std::uint32_t key =
          (list[i] & (kTextKey | kRuleTextKey)) == 0 ? list[i] : resolve(axis, keys, list[i]);
      if (key >= dossiers.size()) dossiers.resize(key + 1, 0);
      ++dossiers[key];
    }
  };
  add(rows_, row_dossiers_, rows, row_count);
  add(columns_, column_dossiers_, columns, column_count);
}

// Room for the key pair (row, column): rows are added at the end; a wider row
// lays the counts out again, twice as wide, so that texts met one by one do not
// lay them out each time.
void SummaryCounter::grow(std::uint32_t row, std::uint32_t column) {
  if (column >= stride_) {
    const std::size_t stride = std::max<std::size_t>(column + 1, 2 * stride_);
    std::vector<std::size_t> wider(count_rows_ * stride, 0);
    for (std::size_t r = 0; r < count_rows_; ++r) {
      std::copy_n(counts_.begin() + static_cast<std::ptrdiff_t>(r * stride_), stride_,
                  wider.begin() + static_cast<std::ptrdiff_t>(r * stride));
    }
    counts_ = std::move(wider);
    stride_ = stride;
  }
  if (row >= count_rows_) {
    count_rows_ = row + 1;
    counts_.resize(count_rows_ * stride_, 0);
  }
}

std::size_t SummaryCounter::skip(const SummaryKeys& keys, std::size_t at) const {
  if (single_keys_) return at + 2;
  const std::uint32_t* k = keys.keys.data() + at;
  const std::uint32_t row_count = k[0];
  return at + 2 + row_count + k[1 + row_count];
}

void SummaryCounter::add(Interpreter& interpreter) {
  scratch_.clear();
  extract(interpreter, scratch_);
  count(scratch_, 0);
}

namespace {

// "Secteur" for "secteur": identifiers start with a lower-case letter, titles do not
// (ASCII and the Latin-1 letters à…þ, which is what French identifiers use).
std::string capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') {
    s[0] = static_cast<char>(s[0] - 'a' + 'A');
  } else if (s.size() > 1 && static_cast<unsigned char>(s[0]) == 0xC3) {
    const auto second = static_cast<unsigned char>(s[1]);
    if (second >= 0xA0 && second <= 0xBE && second != 0xB7) s[1] = static_cast<char>(second - 0x20);
  }
  return s;
}

}  // namespace

std::string axis_title(const graph::RuleGraph& graph, graph::NodeId node) {
  if (node == graph::kNoNode) return {};
  const graph::Node& n = graph.nodes[node];
  switch (n.op) {
    case graph::Op::Field: {
      const auto& field = graph.schema.fields[n.a];
      return field.column.empty() ? capitalized(field.name) : field.column;
    }
    case graph::Op::Unknowns:
      return "Libellé non reconnu";
    case graph::Op::Member:
    case graph::Op::MemberOfSet: {
      const graph::Type& of = graph.nodes[n.a].type;
      if (of.base == Base::Row) return capitalized(graph.tables[of.ref].columns[n.b].name);
      break;
    }
    case graph::Op::Decision:
      return capitalized(graph.decisions[n.a].name);
    case graph::Op::Let:
      return graph.lets[n.a].label.empty() ? capitalized(graph.lets[n.a].name)
                                           : graph.lets[n.a].label;
    case graph::Op::Label:
      return axis_title(graph, n.a);
    default:
      break;
  }
  if (n.type.base == Base::Enum) return graph.enums[n.type.ref].name;
  if (n.type.base == Base::Row) return graph.tables[n.type.ref].name;
  const auto& r = n.range;
  return graph.sources ? std::string(graph.sources->file(r.file).slice(r)) : std::string();
}

namespace {

// The texts met in French alphabetical order, without a locale: accents, case and
// typographic apostrophes ignored first (text::normalize_label, "Énergie" between
// "Industrie" and "Transports"), then the bytes, so that the order is total.
template <typename Texts>
std::vector<const typename Texts::value_type*> french_order(const Texts& texts) {
  std::vector<std::pair<std::string, const typename Texts::value_type*>> keyed;
  keyed.reserve(texts.size());
  for (const auto& entry : texts) keyed.emplace_back(text::normalize_label(entry.first), &entry);
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second->first < b.second->first;
  });
  std::vector<const typename Texts::value_type*> out;
  out.reserve(keyed.size());
  for (const auto& k : keyed) out.push_back(k.second);
  return out;
}

}  // namespace

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
  for (const auto* entry : french_order(axis.texts)) {
    codes.push_back(entry->first);
    labels.push_back(entry->first);
    order.push_back(entry->second);
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
  t.row_title = axis_title(graph_, rows_.node);
  t.column_title = axis_title(graph_, columns_.node);
  std::vector<std::uint32_t> row_order, column_order;
  describe(rows_, t.row_codes, t.row_labels, row_order);
  describe(columns_, t.column_codes, t.column_labels, column_order);
  t.counts.assign(row_order.size(), std::vector<std::size_t>(column_order.size(), 0));
  t.row_dossiers.assign(row_order.size(), 0);
  t.column_dossiers.assign(column_order.size(), 0);
  for (std::size_t r = 0; r < row_order.size(); ++r) {
    for (std::size_t c = 0; c < column_order.size(); ++c) {
      const std::uint32_t row = row_order[r];
      const std::uint32_t column = column_order[c];
      t.counts[r][c] = count_at(row, column);
      t.row_dossiers[r] += t.counts[r][c];
      t.column_dossiers[c] += t.counts[r][c];
    }
  }
  t.row_set = rows_.node != graph::kNoNode && rows_.type.set;
  t.column_set = columns_.node != graph::kNoNode && columns_.type.set;
  if (columns_.node == graph::kNoNode) t.column_dossiers.assign(1, dossiers_);
  if (counts_margins_) {
    const auto at = [](const std::vector<std::size_t>& v, std::uint32_t key) {
      return key < v.size() ? v[key] : std::size_t{0};
    };
    for (std::size_t r = 0; r < row_order.size(); ++r)
      t.row_dossiers[r] = at(row_dossiers_, row_order[r]);
    for (std::size_t c = 0; c < column_order.size(); ++c)
      t.column_dossiers[c] = at(column_dossiers_, column_order[c]);
  }
  return t;
}

}  // namespace tamis::runtime
