#include "runtime/report/summary_text.hpp"

#include <fmt/format.h>

#include "support/text.hpp"

namespace tamis::runtime {

namespace {

std::string pad_right(const std::string& s, std::size_t width) {
  const std::size_t w = text::count_code_points(s);
  return s + std::string(width > w ? width - w : 0, ' ');
}

std::string pad_left(const std::string& s, std::size_t width) {
  const std::size_t w = text::count_code_points(s);
  return std::string(width > w ? width - w : 0, ' ') + s;
}

}  // namespace

std::string render_summary_text(const graph::RuleGraph& graph, const SummaryCounts& counts) {
  const auto& summary = graph.summaries[counts.summary];
  const auto& row_enum = graph.enums[graph.nodes[summary.rows].type.ref];
  const auto& col_enum = graph.enums[graph.nodes[summary.columns].type.ref];
  const std::size_t nr = counts.counts.size();
  const std::size_t nc = counts.counts[0].size();

  // Totals; the "non renseigné" row/column only shows when something is in it.
  std::vector<std::size_t> row_total(nr, 0), col_total(nc, 0);
  std::size_t total = 0;
  for (std::size_t r = 0; r < nr; ++r) {
    for (std::size_t c = 0; c < nc; ++c) {
      row_total[r] += counts.counts[r][c];
      col_total[c] += counts.counts[r][c];
      total += counts.counts[r][c];
    }
  }
  std::vector<std::size_t> rows, cols;
  for (std::size_t r = 0; r < nr; ++r) {
    if (r + 1 < nr || row_total[r] > 0) rows.push_back(r);
  }
  for (std::size_t c = 0; c < nc; ++c) {
    if (c + 1 < nc || col_total[c] > 0) cols.push_back(c);
  }
  auto row_label = [&](std::size_t r) {
    return r + 1 < nr ? row_enum.values[r].label : std::string("(non renseigné)");
  };
  auto col_label = [&](std::size_t c) {
    return c + 1 < nc ? col_enum.values[c].label : std::string("(non renseigné)");
  };

  std::size_t first_width = text::count_code_points(row_enum.name);
  for (auto r : rows) first_width = std::max(first_width, text::count_code_points(row_label(r)));
  first_width = std::max<std::size_t>(first_width, 5);
  std::vector<std::size_t> widths;
  for (auto c : cols)
    widths.push_back(std::max<std::size_t>(6, text::count_code_points(col_label(c))));
  const std::size_t total_width = 6;

  std::string out = summary.title + "\n\n";
  std::string line = pad_right(row_enum.name, first_width);
  for (std::size_t i = 0; i < cols.size(); ++i)
    line += "  " + pad_left(col_label(cols[i]), widths[i]);
  line += "  " + pad_left("TOTAL", total_width);
  out += line + "\n";
  out += std::string(text::count_code_points(line), '-') + "\n";
  for (auto r : rows) {
    line = pad_right(row_label(r), first_width);
    for (std::size_t i = 0; i < cols.size(); ++i) {
      line += "  " + pad_left(std::to_string(counts.counts[r][cols[i]]), widths[i]);
    }
    line += "  " + pad_left(std::to_string(row_total[r]), total_width);
    out += line + "\n";
  }
  out += std::string(text::count_code_points(line), '-') + "\n";
  line = pad_right("TOTAL", first_width);
  for (std::size_t i = 0; i < cols.size(); ++i) {
    line += "  " + pad_left(std::to_string(col_total[cols[i]]), widths[i]);
  }
  line += "  " + pad_left(std::to_string(total), total_width);
  out += line + "\n";
  return out;
}

}  // namespace tamis::runtime
