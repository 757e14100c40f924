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

std::string render_summary_text(const SummaryTable& t) {
  const std::size_t nr = t.counts.size();
  const std::size_t nc = t.column_labels.size();
  std::vector<std::size_t> row_total(nr, 0), col_total(nc, 0);
  std::size_t total = 0;
  for (std::size_t r = 0; r < nr; ++r) {
    for (std::size_t c = 0; c < nc; ++c) {
      row_total[r] += t.counts[r][c];
      col_total[c] += t.counts[r][c];
      total += t.counts[r][c];
    }
  }
  // "(non renseigné)" shows only when something is in it.
  std::vector<std::size_t> rows, cols;
  for (std::size_t r = 0; r < nr; ++r) {
    if (!t.row_codes[r].empty() || row_total[r] > 0) rows.push_back(r);
  }
  for (std::size_t c = 0; c < nc; ++c) {
    if (!t.column_codes[c].empty() || col_total[c] > 0 || nc == 1) cols.push_back(c);
  }
  const bool single = t.column_title.empty();

  std::size_t first = std::max<std::size_t>(5, text::count_code_points(t.row_title));
  for (auto r : rows) first = std::max(first, text::count_code_points(t.row_labels[r]));
  // Long column labels would make the table too wide for a terminal: the header
  // then shows the codes, and a legend below gives the labels.
  constexpr std::size_t kLongLabel = 24;
  bool legend = false;
  for (auto c : cols) legend = legend || text::count_code_points(t.column_labels[c]) > kLongLabel;
  auto header = [&](std::size_t c) {
    return legend && !t.column_codes[c].empty() ? t.column_codes[c] : t.column_labels[c];
  };
  std::vector<std::size_t> widths;
  for (auto c : cols)
    widths.push_back(std::max<std::size_t>(6, text::count_code_points(header(c))));
  constexpr std::size_t kTotalWidth = 6;

  std::string out = t.title + "\n\n";
  std::string line = pad_right(t.row_title, first);
  if (single) {
    line += "  " + pad_left("dossiers", 8) + "  " + pad_left("part", 7);
  } else {
    for (std::size_t i = 0; i < cols.size(); ++i)
      line += "  " + pad_left(header(cols[i]), widths[i]);
    line += "  " + pad_left("TOTAL", kTotalWidth);
  }
  out += line + "\n" + std::string(text::count_code_points(line), '-') + "\n";
  for (auto r : rows) {
    line = pad_right(t.row_labels[r], first);
    if (single) {
      const double share = t.dossiers > 0 ? 100.0 * static_cast<double>(row_total[r]) /
                                                static_cast<double>(t.dossiers)
                                          : 0.0;
      line += "  " + pad_left(std::to_string(row_total[r]), 8) + "  " +
              pad_left(fmt::format("{:.1f} %", share), 7);
    } else {
      for (std::size_t i = 0; i < cols.size(); ++i) {
        line += "  " + pad_left(std::to_string(t.counts[r][cols[i]]), widths[i]);
      }
      line += "  " + pad_left(std::to_string(row_total[r]), kTotalWidth);
    }
    out += line + "\n";
  }
  out += std::string(text::count_code_points(line), '-') + "\n";
  if (single) {
    out += fmt::format("{} dossier(s) pris en compte\n", t.dossiers);
    return out;
  }
  line = pad_right("TOTAL", first);
  for (std::size_t i = 0; i < cols.size(); ++i)
    line += "  " + pad_left(std::to_string(col_total[cols[i]]), widths[i]);
  line += "  " + pad_left(std::to_string(total), kTotalWidth);
  out += line + "\n";
  if (legend) {
    out += "\n";
    for (auto c : cols) {
      if (!t.column_codes[c].empty())
        out += fmt::format("  {} : {}\n", t.column_codes[c], t.column_labels[c]);
    }
  }
  return out;
}

}  // namespace tamis::runtime
