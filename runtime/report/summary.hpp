#pragma once
// Campaign summaries (`synthèse`): dossiers counted by the values of one or two
// expressions, as in the source document's tables. Enumerations and tables list
// every value, even those no dossier has (the document's "levers no project
// activated"); texts list the values met, in French alphabetical order (accents and
// case ignored, then the bytes). A set counts the
// dossier under each member, an empty set or a missing value under "(non renseigné)".
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/interpreter.hpp"

namespace tamis::runtime {

// What an axis's values are, in the rules' own words, for a table header: a schema
// field's column label ("Département"), a table column's name ("Secteur"), a
// definition's label, a decision's name; else the enumeration's or table's name, or
// the expression as written.
std::string axis_title(const graph::RuleGraph& graph, graph::NodeId node);

struct SummaryTable {
  std::string title;
  std::string row_title;               // what the rows are (axis_title)
  std::string column_title;            // empty when there is a single column of totals
  std::vector<std::string> row_codes;  // value names, row keys or texts; "" for "(non renseigné)"
  std::vector<std::string> row_labels;
  std::vector<std::string> column_codes;
  std::vector<std::string> column_labels;
  std::vector<std::vector<std::size_t>> counts;  // rows × columns
  std::size_t dossiers = 0;                      // dossiers counted (those meeting the condition)
  // Dossiers per row and per column, each counted once whatever its number of set
  // members: with a set-valued axis a dossier falls in several cells, and the sums
  // of the counts would count it several times.
  std::vector<std::size_t> row_dossiers;
  std::vector<std::size_t> column_dossiers;
  bool row_set = false;     // the rows' expression is a set
  bool column_set = false;  // the columns' expression is a set
};

inline constexpr const char* kMissingLabel = "(non renseigné)";

// What one record contributes to every summary, extracted where the record is
// evaluated (a worker thread) and counted later, in input order, by the thread
// that owns the counters. Per summary: the number of row keys, the row keys, the
// number of column keys, the column keys; a record that does not meet the
// summary's condition has "0, 0". A text key is kTextKey | its index in `texts`.
// A summary whose axes are neither sets nor texts has two keys a record instead: its
// row key and its column key, or UINT32_MAX and 0 when the condition does not hold.
inline constexpr std::uint32_t kTextKey = 0x80000000u;
// A text the rules hold themselves (a table's text cell, a literal) needs no copy:
// its key is kRuleTextKey | its index among them, copied like an enum key and
// turned into the axis's text key when counted.
inline constexpr std::uint32_t kRuleTextKey = 0x40000000u;

// A record's keys, appended (push_back) or written through a pointer after append():
// not zero-filled, so that a row whose keys are a fixed number of words (every counted
// summary single_keys) makes room for them once and writes them, with no capacity check
// a key. Only grows.
class KeyBuffer {
 public:
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const std::uint32_t* data() const { return words_.get(); }
  std::uint32_t& operator[](std::size_t i) { return words_[i]; }
  std::uint32_t operator[](std::size_t i) const { return words_[i]; }
  void clear() { size_ = 0; }
  // Takes back the keys after the first `n` (n <= size()).
  void resize(std::size_t n) { size_ = n; }
  void push_back(std::uint32_t key) {
    if (size_ == capacity_) [[unlikely]]
      grow(size_ + 1);
    words_[size_++] = key;
  }
  // `count` keys at the end, left as they were, for the caller to write.
  std::uint32_t* append(std::size_t count) {
    if (size_ + count > capacity_) [[unlikely]]
      grow(size_ + count);
    std::uint32_t* p = words_.get() + size_;
    size_ += count;
    return p;
  }
  // Room for `n` keys in all, made before appending them with append_reserved().
  void reserve(std::size_t n) {
    if (n > capacity_) grow(n);
  }
  // append(), within room reserve() made: no capacity check.
  std::uint32_t* append_reserved(std::size_t count) {
    std::uint32_t* p = words_.get() + size_;
    size_ += count;
    return p;
  }

 private:
  [[gnu::noinline]] void grow(std::size_t n);
  std::unique_ptr<std::uint32_t[]> words_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

struct SummaryKeys {
  KeyBuffer keys;
  std::string texts_storage;                               // the texts, copied
  std::vector<std::pair<std::size_t, std::size_t>> texts;  // offset, size in texts_storage
  void clear() {
    keys.clear();
    texts_storage.clear();
    texts.clear();
  }
  std::string_view text(std::uint32_t key) const;
  // Copies `text` and returns its key (kTextKey | index).
  std::uint32_t add_text(std::string_view text);
  // What the keys hold at one time, to take back what was added since (truncate).
  struct Mark {
    std::size_t keys, texts_storage, texts;
  };
  Mark mark() const { return {keys.size(), texts_storage.size(), texts.size()}; }
  void truncate(const Mark& m) {
    keys.resize(m.keys);
    texts_storage.resize(m.texts_storage);
    texts.resize(m.texts);
  }
};

class SummaryCounter {
 public:
  SummaryCounter(const graph::RuleGraph& graph, std::size_t summary);

  // Appends this summary's keys of the record loaded in `interpreter` (read-only:
  // several threads may extract with one counter). Inline, the usual summary's two keys:
  // a call a row to read a field and a decision cost more than the reading (extract 76
  // -> inlined in classify, +52: 4,080 -> 4,056 instructions a dossier).
  void extract(Interpreter& interpreter, SummaryKeys& out) const {
    if (!single_keys_) {
      extract_sets_or_texts(interpreter, out);
      return;
    }
    const bool counted = holds(interpreter);  // the usual summary: two keys (count)
    const std::uint32_t row = counted ? single_key(rows_, interpreter) : kNoKey;
    const std::uint32_t column = counted ? single_key(columns_, interpreter) : 0;
    out.keys.push_back(row);
    out.keys.push_back(column);
  }
  // Whether a record's keys are always two (neither axis a set nor a text).
  bool single_keys() const { return single_keys_; }
  // extract() of a single_keys() summary, its two keys written at `out`, for a record
  // whose decisions are all decided: a decision axis read with decided(), not asked
  // whether it is.
  void extract_single(Interpreter& interpreter, std::uint32_t* out) const {
    const bool counted = holds(interpreter);
    out[0] = counted ? decided_key(rows_, interpreter) : kNoKey;
    out[1] = counted ? decided_key(columns_, interpreter) : 0;
  }
  // Where a record's key on one axis is read when no evaluation is needed: the id of
  // `value` (a field of the record, a decision's outcome, or a constant), else `missing`.
  struct KeyRead {
    const graph::Value* value = nullptr;
    std::uint32_t missing = 0;
    // The key: both read, then chosen (a conditional move, not a jump).
    std::uint32_t key() const {
      const std::uint32_t id = value->id;
      return value->present ? id : missing;
    }
  };
  // For a single_keys() summary without condition whose axes are fields, decisions or
  // none: where extract_single() reads its two keys, in `out`, for records loaded from
  // `fields` into `interpreter` once every decision is decided; false for another.
  bool key_reads(const graph::Value* fields, const Interpreter& interpreter, KeyRead out[2]) const;
  // Whether evaluating its condition or an axis can fail once the decisions are
  // decided (may_fail_after_decisions).
  bool may_fail() const { return may_fail_; }
  // Evaluates what extract() would and keeps nothing: a summary that is not counted
  // but may_fail() still rejects the rows whose evaluation fails on it. For a record
  // whose decisions are decided.
  void check(Interpreter& interpreter) const;
  // Counts one record from its keys, starting at keys.keys[at]; returns the
  // position after this summary's keys. Inline, the usual summary's two keys (as
  // extract: count 39 -> inlined in Committer::commit, +19: 3,996 -> 3,975 a dossier).
  std::size_t count(const SummaryKeys& keys, std::size_t at) {
    if (!single_keys_) return count_sets_or_texts(keys, at);
    // The row's key and the column's; kNoKey: the condition does not hold.
    const std::uint32_t* k = keys.keys.data() + at;
    if (k[0] == kNoKey) return at + 2;
    ++dossiers_;
    if (k[0] < count_rows_ && k[1] < stride_) {
      ++counts_[k[0] * stride_ + k[1]];
    } else {
      count_cells(keys, k, 1, k + 1, 1);
    }
    return at + 2;
  }
  // count() of `rows` records of a single_keys() summary, their keys `stride` apart from
  // keys.keys[at]: the counts' place and sizes and the dossiers counted held here, where
  // count() a row read them again after each count it wrote (commit_classified 30.0 ->
  // 23.1 instructions a dossier).
  void count_single_keys(const SummaryKeys& keys, std::size_t at, std::size_t stride,
                         std::size_t rows) {
    std::size_t* counts = counts_.data();
    std::size_t count_rows = count_rows_;
    std::size_t columns = stride_;
    // The rows counted: all but those whose condition does not hold, taken off (most rows
    // are counted: 2,036.6 -> 2,035.6 instructions per dossier).
    std::size_t dossiers = rows;
    for (const std::uint32_t* k = keys.keys.data() + at; rows != 0; --rows, k += stride) {
      if (k[0] == kNoKey) {  // the condition does not hold
        --dossiers;
        continue;
      }
      if (k[0] < count_rows && k[1] < columns) [[likely]] {
        ++counts[k[0] * columns + k[1]];
        continue;
      }
      count_cells(keys, k, 1, k + 1, 1);  // may grow the counts
      counts = counts_.data();
      count_rows = count_rows_;
      columns = stride_;
    }
    dossiers_ += dossiers;
  }
  // The position after this summary's keys starting at keys.keys[at], not counted.
  std::size_t skip(const SummaryKeys& keys, std::size_t at) const;
  // Counts the record loaded in `interpreter` (extract, then count).
  void add(Interpreter& interpreter);
  SummaryTable table() const;

 private:
  // One axis: finite (enum values or table rows, then "missing") or texts met.
  struct Axis {
    graph::NodeId node = graph::kNoNode;
    graph::Type type;
    std::size_t finite = 0;                                   // number of enum values / rows
    std::map<std::string, std::uint32_t, std::less<>> texts;  // text → key (finite + 1 + i)
    std::vector<std::string> text_of;                         // key - finite - 1 → text
    std::vector<std::uint32_t> rule_text_keys;  // rule text index → key (kNoKey: not met yet)
    // What `node` is, for single_key() to read it without a call: a field, a decision.
    enum class Source : std::uint8_t { Node, Field, Decision } source = Source::Node;
    std::uint32_t index = 0;  // the field or the decision
  };
  static constexpr std::uint32_t kNoKey = UINT32_MAX;
  std::uint32_t text_key_of(std::string_view text, SummaryKeys& out) const;
  std::uint32_t resolve(Axis& axis, const SummaryKeys& keys, std::uint32_t key);
  void extract_axis(const Axis& axis, Interpreter& interpreter, SummaryKeys& out) const;
  // count() of a summary with a set or a text axis.
  std::size_t count_sets_or_texts(const SummaryKeys& keys, std::size_t at);
  // extract() of a summary with a set or a text axis.
  void extract_sets_or_texts(Interpreter& interpreter, SummaryKeys& out) const;
  // Whether the record loaded in `interpreter` meets the summary's condition.
  bool holds(Interpreter& interpreter) const {
    return condition_ == graph::kNoNode || interpreter.evaluate(condition_).boolean;
  }
  std::uint32_t text_key(Axis& axis, std::string_view text);
  void describe(const Axis& axis, std::vector<std::string>& codes, std::vector<std::string>& labels,
                std::vector<std::uint32_t>& order) const;

  const graph::RuleGraph& graph_;
  std::size_t summary_;
  Axis rows_, columns_;
  graph::NodeId condition_ = graph::kNoNode;  // the summary's (`si …`), or kNoNode
  bool may_fail_ = false;                     // its condition or an axis (may_fail_after_decisions)
  // Neither axis is a set or a text: a record has one key on each, and only they are kept
  // (SummaryKeys).
  bool single_keys_ = false;
  // An axis's key when it is neither a set nor a text: what extract_axis() finds.
  static std::uint32_t single_key(const Axis& axis, Interpreter& interpreter) {
    if (axis.node == graph::kNoNode) return 0;
    graph::Value v;
    switch (axis.source) {  // read as Interpreter::value_of would
      case Axis::Source::Field:
        v = interpreter.field(axis.index);
        break;
      case Axis::Source::Decision:
        v = interpreter.decide(axis.index).value;
        break;
      case Axis::Source::Node:
        v = interpreter.evaluate(axis.node);
        break;
    }
    return v.present ? v.id : static_cast<std::uint32_t>(axis.finite);
  }
  // single_key() once every decision is decided.
  static std::uint32_t decided_key(const Axis& axis, Interpreter& interpreter) {
    if (axis.node == graph::kNoNode) return 0;
    graph::Value v;
    switch (axis.source) {
      case Axis::Source::Field:
        v = interpreter.field(axis.index);
        break;
      case Axis::Source::Decision:
        v = interpreter.decided(axis.index).value;
        break;
      case Axis::Source::Node:
        v = interpreter.evaluate(axis.node);
        break;
    }
    return v.present ? v.id : static_cast<std::uint32_t>(axis.finite);
  }
  // The rules' texts, by address (only for summaries with a text axis).
  std::unordered_map<const char*, std::uint32_t> rule_text_index_;
  std::vector<std::string_view> rule_texts_;
  // The count of [row key][column key], row by row, `stride_` columns a row: sized at
  // construction for the finite keys (an enumeration's values or a table's rows, and
  // « missing »), so that counting them checks no size; grown when a text key falls
  // outside (grow).
  std::size_t count_at(std::uint32_t row, std::uint32_t column) const {
    return row < count_rows_ && column < stride_ ? counts_[row * stride_ + column] : 0;
  }
  void grow(std::uint32_t row, std::uint32_t column);
  // Counts every pair of a row key and a column key, growing the counts as needed.
  void count_cells(const SummaryKeys& keys, const std::uint32_t* rows, std::uint32_t row_count,
                   const std::uint32_t* columns, std::uint32_t column_count);
  std::vector<std::size_t> counts_;
  std::size_t count_rows_ = 0;
  std::size_t stride_ = 0;
  std::size_t dossiers_ = 0;
  // Two-axis tables with a set-valued axis: the dossiers of each row key and each
  // column key, counted by count_margins (the sums of counts_ are right otherwise).
  bool counts_margins_ = false;
  void count_margins(const SummaryKeys& keys, const std::uint32_t* rows, std::uint32_t row_count,
                     const std::uint32_t* columns, std::uint32_t column_count);
  std::vector<std::size_t> row_dossiers_, column_dossiers_;
  SummaryKeys scratch_;
};

}  // namespace tamis::runtime
