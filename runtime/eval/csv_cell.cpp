#include "runtime/eval/csv_cell.hpp"

#include <fmt/format.h>
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
  quoted_.assign(graph::words_for(texts.size()), 0);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::string cell;
    io::append_csv_field(cell, texts[i]);
    cells_.push_back(std::move(cell));
    std::string escaped;
    io::append_csv_escaped(escaped, texts[i]);
    escaped_.push_back(std::move(escaped));
    if (io::csv_needs_quotes(texts[i])) quoted_[i / 64] |= std::uint64_t{1} << (i % 64);
  }
}

void CsvCellWriter::append(std::string& line, const Value& v) const {
  if (!v.present) return;
  if (finite_) {
    if (type_.set) {
      append_members(line, v);
    } else {
      line += cells_[v.id];
    }
    return;
  }
  if (type_.set && type_.base == Base::Text) {
    append_texts(line, v);
    return;
  }
  if (!type_.set) {
    switch (type_.base) {
      case Base::Boolean:
        line += v.boolean ? "oui" : "non";
        return;
      case Base::Integer: {  // digits and a sign: never quoted
        const fmt::format_int digits(v.integer);
        line.append(digits.data(), digits.size());
        return;
      }
      case Base::Text:
        io::append_csv_field(line, v.as_text());
        return;
      default:
        break;
    }
  }
  thread_local std::string cell;
  cell.clear();
  append_value(cell, graph_, type_, v);
  io::append_csv_field(line, cell);
}

// Members in declaration order, by scanning the set bits.
void CsvCellWriter::append_members(std::string& line, const Value& v) const {
  const std::size_t universe = cells_.size();
  bool quote = false;
  for (std::uint32_t w = 0; w < v.size && w < quoted_.size(); ++w) {
    quote = quote || (v.words[w] & quoted_[w]) != 0;
  }
  if (quote) line += '"';
  bool first = true;
  for (std::uint32_t w = 0; w < v.size; ++w) {
    for (std::uint64_t bits = v.words[w]; bits != 0; bits &= bits - 1) {
      const std::size_t i = w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
      if (i >= universe) break;
      if (!first) line += " | ";
      first = false;
      line += escaped_[i];
    }
  }
  if (quote) line += '"';
}

// Texts joined by " | ", quoted when one of them must be (the separator never needs
// it), each quote doubled: what append_csv_field writes of the joined text.
void CsvCellWriter::append_texts(std::string& line, const Value& v) const {
  bool quote = false;
  for (std::uint32_t i = 0; i < v.size && !quote; ++i) quote = io::csv_needs_quotes(v.texts[i]);
  if (quote) line += '"';
  for (std::uint32_t i = 0; i < v.size; ++i) {
    if (i > 0) line += " | ";
    if (quote) {
      io::append_csv_escaped(line, v.texts[i]);
    } else {
      line += v.texts[i];
    }
  }
  if (quote) line += '"';
}

}  // namespace tamis::runtime
