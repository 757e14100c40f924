#include "runtime/eval/table_column.hpp"

#include <algorithm>
#include <unordered_map>

namespace tamis::runtime {

using graph::Base;

TableColumn::TableColumn(const graph::RuleGraph& graph, std::uint32_t table_index,
                         std::uint32_t column_index)
    : table(table_index), column(column_index) {
  const graph::Table& t = graph.tables[table_index];
  const graph::Type type = t.columns[column_index].type;
  rows = static_cast<std::uint32_t>(t.rows.size());
  cells.reserve(rows);
  for (const auto& row : t.rows) cells.push_back(row.cells[column_index]);

  if (type.base == Base::Text) {
    // Interned by content: the union of a set of rows keeps each text once.
    std::unordered_map<std::string_view, std::uint32_t> index;
    text_of_row.assign(rows, kNoText);
    for (std::uint32_t r = 0; r < rows; ++r) {
      if (!cells[r].present) continue;
      const std::string_view text = cells[r].as_text();
      const auto [it, inserted] = index.emplace(text, static_cast<std::uint32_t>(texts.size()));
      if (inserted) texts.push_back(text);
      text_of_row[r] = it->second;
    }
    return;
  }
  if (type.base != Base::Enum) return;  // `rows.column` is only for texts and enumerations
  words = graph::words_for(graph.enums[type.ref].values.size());
  bits.assign(std::size_t{rows} * words, 0);
  for (std::uint32_t r = 0; r < rows; ++r) {
    const graph::Value& cell = cells[r];
    if (!cell.present) continue;
    std::uint64_t* row_bits = bits.data() + std::size_t{r} * words;
    if (type.set) {
      for (std::uint32_t w = 0; w < cell.size && w < words; ++w) row_bits[w] |= cell.words[w];
    } else {
      row_bits[cell.id / 64] |= std::uint64_t{1} << (cell.id % 64);
    }
  }
}

}  // namespace tamis::runtime
