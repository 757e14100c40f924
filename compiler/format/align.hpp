#pragma once
// Rows of cells laid out in aligned columns: enumeration values, schema fields,
// table rows and columns, output columns.
#include <optional>
#include <vector>

#include "compiler/format/doc.hpp"

namespace tamis::format {

struct AlignedRow {
  Doc lead;                               // blank line and leading comments, own lines
  std::vector<std::optional<Doc>> cells;  // one per column; nullopt: nothing in that column
  Doc trailing;                           // comments after the row
  std::optional<Doc> whole;               // a row outside the columns (`retire "…"`)
};

// Each row on a new line; cell j starts at the same column in every row, `gaps[j]`
// spaces after the widest cell of the previous non-empty column (counting only the
// cells that something follows on their row). A column empty in every row takes no
// room. The last cell of a row is never padded.
Doc aligned_rows(std::vector<AlignedRow> rows, const std::vector<int>& gaps);

// Width of the widest row once aligned (comments excluded).
int aligned_width(const std::vector<AlignedRow>& rows, const std::vector<int>& gaps);

}  // namespace tamis::format
