#include "compiler/format/align.hpp"

#include <algorithm>
#include <string>

namespace tamis::format {
namespace {

// Start column of each column (-1 for a column empty in every row). A column is as
// wide as its widest cell that something follows on its row: the last cell of a row
// pushes nothing to the right.
std::vector<int> column_starts(const std::vector<AlignedRow>& rows, const std::vector<int>& gaps) {
  std::vector<int> widths(gaps.size(), -1);
  for (const auto& row : rows) {
    if (row.whole) continue;
    std::size_t last = 0;
    for (std::size_t j = 0; j < row.cells.size() && j < gaps.size(); ++j) {
      if (row.cells[j]) last = j;
    }
    for (std::size_t j = 0; j < row.cells.size() && j < gaps.size(); ++j) {
      if (row.cells[j]) {
        widths[j] = std::max(widths[j], j < last ? flat_width(*row.cells[j]) : 0);
      }
    }
  }
  std::vector<int> starts(gaps.size(), -1);
  int next = 0;
  bool first = true;
  for (std::size_t j = 0; j < gaps.size(); ++j) {
    if (widths[j] < 0) continue;
    starts[j] = first ? 0 : next + gaps[j];
    // A column that only ever ends its rows takes no room from the next one.
    if (widths[j] > 0 || first) next = starts[j] + widths[j];
    first = false;
  }
  return starts;
}

}  // namespace

Doc aligned_rows(std::vector<AlignedRow> rows, const std::vector<int>& gaps) {
  const std::vector<int> starts = column_starts(rows, gaps);
  Doc out;
  for (auto& row : rows) {
    append(out, hardline());
    append(out, std::move(row.lead));
    if (row.whole) {
      append(out, std::move(*row.whole));
    } else {
      int column = 0;
      for (std::size_t j = 0; j < row.cells.size() && j < gaps.size(); ++j) {
        if (!row.cells[j]) continue;
        const int width = flat_width(*row.cells[j]);
        if (starts[j] > column) {
          append(out, text(std::string(static_cast<std::size_t>(starts[j] - column), ' ')));
        }
        append(out, std::move(*row.cells[j]));
        column = std::max(column, starts[j]) + width;
      }
    }
    append(out, std::move(row.trailing));
  }
  return out;
}

int aligned_width(const std::vector<AlignedRow>& rows, const std::vector<int>& gaps) {
  const std::vector<int> starts = column_starts(rows, gaps);
  int widest = 0;
  for (const auto& row : rows) {
    if (row.whole) {
      widest = std::max(widest, flat_width(*row.whole));
      continue;
    }
    for (std::size_t j = row.cells.size(); j-- > 0;) {
      if (j < gaps.size() && row.cells[j]) {
        widest = std::max(widest, starts[j] + flat_width(*row.cells[j]));
        break;
      }
    }
  }
  return widest;
}

}  // namespace tamis::format
