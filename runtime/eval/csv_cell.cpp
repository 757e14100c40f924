#include "runtime/eval/csv_cell.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <bit>
#include <iterator>
#include <string_view>

#include "runtime/eval/value_format.hpp"
#include "runtime/io/csv_writer.hpp"

namespace tamis::runtime {

using graph::Base;
using graph::Value;

CsvCellWriter::CsvCellWriter(const graph::RuleGraph& graph, const graph::Type& type)
    : graph_(graph), type_(type) {
  if (type.base != Base::Enum && type.base != Base::Row) return;
  finite_ = true;
  std::vector<std::string_view> texts;
  if (type.base == Base::Enum) {
    for (const auto& v : graph.enums[type.ref].values) texts.emplace_back(v.code);
  } else {
    for (const auto& r : graph.tables[type.ref].rows) texts.emplace_back(r.key);
  }
  if (type.set && texts.size() <= 64) set_cells_.resize(std::size_t{1} << kSetCellBits);
  quoted_.assign(graph::words_for(texts.size()), 0);
  whole_set_ = 2;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::string cell;
    io::append_csv_field(cell, texts[i]);
    longest_cell_ = std::max(longest_cell_, cell.size());
    cells_.push_back(std::move(cell));
    std::string escaped;
    io::append_csv_escaped(escaped, texts[i]);
    whole_set_ += escaped.size() + 3;
    escaped_.push_back(std::move(escaped));
    if (io::csv_needs_quotes(texts[i])) quoted_[i / 64] |= std::uint64_t{1} << (i % 64);
  }
}

// Inlined in append_all(): a call a cell saved and restored registers that most cells do
// not need.
[[gnu::always_inline]] inline void CsvCellWriter::append_cell(ByteSink& out, const Value& v,
                                                              char after) const {
  if (!v.present) {
    out.put(after);
    return;
  }
  if (finite_) {
    // The room beyond the cell is for copy_blocks.
    char* p = out.room((type_.set ? whole_set_ + 16 : longest_cell_) + 1);
    if (type_.set) {
      if (v.size == 1 && !set_cells_.empty()) {
        SetCell& slot = set_cells_[set_slot(v.words[0])];
        p = slot.size != 0 && slot.word == v.words[0]
                ? copy_blocks(p, set_bytes_.data() + slot.at, slot.size - 1)
                : write_and_keep(p, v, slot);
      } else {
        p = members(p, v);
      }
    } else {
      const std::string& cell = cells_[v.id];
      p = copy_bytes(p, cell.data(), cell.size());
    }
    *p++ = after;
    out.commit(p);
    return;
  }
  if (type_.set && type_.base == Base::Text) {
    texts(out, v, after);
    return;
  }
  char* p = nullptr;
  if (!type_.set && type_.base == Base::Boolean) {
    p = copy_bytes(out.room(4), v.boolean ? "oui" : "non", 3);
  } else if (!type_.set && type_.base == Base::Integer) {  // digits and a sign: never quoted
    const fmt::format_int digits(v.integer);
    p = copy_bytes(out.room(digits.size() + 1), digits.data(), digits.size());
  } else if (!type_.set && type_.base == Base::Text) {
    const std::string_view text = v.as_text();
    p = io::put_csv_field(out.room(2 * text.size() + 3), text);
  } else {
    thread_local std::string cell;
    cell.clear();
    append_value(cell, graph_, type_, v);
    p = io::put_csv_field(out.room(2 * cell.size() + 3), cell);
  }
  *p++ = after;
  out.commit(p);
}

void CsvCellWriter::append(ByteSink& out, const Value& v, char after) const {
  append_cell(out, v, after);
}

void CsvCellWriter::append_all(ByteSink& out, const std::vector<CsvCellWriter>& writers,
                               const Value* values, char after) {
  for (std::size_t i = 0; i < writers.size(); ++i) writers[i].append_cell(out, values[i], after);
}

// Members in declaration order, by scanning the set bits.
char* CsvCellWriter::members(char* p, const Value& v) const {
  const std::size_t universe = cells_.size();
  bool quote = false;
  for (std::uint32_t w = 0; w < v.size && w < quoted_.size(); ++w) {
    quote = quote || (v.words[w] & quoted_[w]) != 0;
  }
  if (quote) *p++ = '"';
  bool first = true;
  for (std::uint32_t w = 0; w < v.size; ++w) {
    for (std::uint64_t bits = v.words[w]; bits != 0; bits &= bits - 1) {
      const std::size_t i = w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
      if (i >= universe) break;
      if (!first) p = copy_bytes(p, " | ", 3);
      first = false;
      p = copy_bytes(p, escaped_[i].data(), escaped_[i].size());
    }
  }
  if (quote) *p++ = '"';
  return p;
}

// A one-word set's cell, not kept yet: written, and kept when its slot is free.
char* CsvCellWriter::write_and_keep(char* p, const Value& v, SetCell& slot) const {
  char* const end = members(p, v);
  const auto size = static_cast<std::size_t>(end - p);
  const std::size_t padded = (size + 15) / 16 * 16;
  if (slot.size == 0 && set_bytes_.size() + padded <= kSetBytesLimit) {
    slot = {v.words[0], static_cast<std::uint32_t>(set_bytes_.size()),
            static_cast<std::uint32_t>(size + 1)};
    set_bytes_.append(p, size);
    set_bytes_.append(padded - size, '\0');
  }
  return end;
}

// Texts joined by " | ", quoted when one of them must be (the separator never needs
// it), each quote doubled: what append_csv_field writes of the joined text.
void CsvCellWriter::texts(ByteSink& out, const Value& v, char after) const {
  bool quote = false;
  std::size_t room = 3;
  for (std::uint32_t i = 0; i < v.size; ++i) {
    quote = quote || io::csv_needs_quotes(v.texts[i]);
    room += 2 * v.texts[i].size() + 3;
  }
  char* p = out.room(room);
  if (quote) *p++ = '"';
  for (std::uint32_t i = 0; i < v.size; ++i) {
    if (i > 0) p = copy_bytes(p, " | ", 3);
    p = quote ? io::put_csv_escaped(p, v.texts[i])
              : copy_bytes(p, v.texts[i].data(), v.texts[i].size());
  }
  if (quote) *p++ = '"';
  *p++ = after;
  out.commit(p);
}

}  // namespace tamis::runtime
