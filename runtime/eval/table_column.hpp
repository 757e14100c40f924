#pragma once
// One column of a table laid out for evaluation: `row.column` is one index, and
// `rows.column` over a set of rows walks the set's bits and reads per-row data
// prepared once (an enumeration column's bits, a text column's interned text),
// instead of looking at every row's cells for every record.
#include <cstdint>
#include <string_view>
#include <vector>

#include "compiler/graph/rule_graph.hpp"

namespace tamis::runtime {

inline constexpr std::uint32_t kNoText = UINT32_MAX;

struct TableColumn {
  TableColumn(const graph::RuleGraph& graph, std::uint32_t table, std::uint32_t column);

  std::uint32_t table = 0;
  std::uint32_t column = 0;
  std::uint32_t rows = 0;           // rows in the table
  std::vector<graph::Value> cells;  // one per row (`row.column`)

  // Enumeration column: `words` words per row, the bit of its value or the bits of its
  // set of values (none when the cell is empty); `words` covers the enumeration.
  std::uint32_t words = 0;
  std::vector<std::uint64_t> bits;

  // Text column: each row's text as an index into `texts` (kNoText when the cell is
  // empty); `texts` holds each distinct text once.
  std::vector<std::uint32_t> text_of_row;
  std::vector<std::string_view> texts;
};

}  // namespace tamis::runtime
