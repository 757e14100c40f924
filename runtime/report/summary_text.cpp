#include "runtime/report/summary_text.hpp"

#include <fmt/format.h>

#include "runtime/report/header_lines.hpp"
#include "runtime/report/report_model.hpp"
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
  // Totals count dossiers once each, as the report does (a set may put one in several cells).
  const std::vector<std::size_t>& row_total = t.row_dossiers;
  const std::vector<std::size_t>& col_total = t.column_dossiers;
  const std::size_t total = t.dossiers;
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
  // Long column labels are set on several lines (as in `tamis report`), not replaced
  // by codes.
  constexpr std::size_t kHeaderWidth = 16;
  std::vector<std::size_t> widths;
  std::vector<std::vector<std::string>> headers;
  std::size_t header_height = 1;
  for (auto c : cols) {
    std::size_t digits = 6;
    for (auto r : rows) digits = std::max(digits, std::to_string(t.counts[r][c]).size());
    digits = std::max(digits, std::to_string(col_total[c]).size());
    widths.push_back(header_width(t.column_labels[c], digits, kHeaderWidth));
    headers.push_back(header_lines(t.column_labels[c], widths.back()));
    header_height = std::max(header_height, headers.back().size());
  }
  constexpr std::size_t kTotalWidth = 6;

  std::string out = t.title + "\n\n";
  std::string line;
  for (std::size_t k = 0; k < (single ? 1 : header_height); ++k) {
    const bool last = single || k + 1 == header_height;
    line = pad_right(last ? t.row_title : std::string(), first);
    if (single) {
      line += "  " + pad_left("dossiers", 8) + "  " + pad_left("part", 7);
    } else {
      for (std::size_t i = 0; i < cols.size(); ++i) {
        const std::size_t blank = header_height - headers[i].size();
        line += "  " + pad_left(k < blank ? std::string() : headers[i][k - blank], widths[i]);
      }
      line += "  " + pad_left(last ? "TOTAL" : "", kTotalWidth);
    }
    if (!last) {
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
  }
  out += line + "\n" + std::string(text::count_code_points(line), '-') + "\n";
  for (auto r : rows) {
    line = pad_right(t.row_labels[r], first);
    if (single) {
      const double share = t.dossiers > 0
                               ? static_cast<double>(row_total[r]) / static_cast<double>(t.dossiers)
                               : 0.0;
      // A decimal comma, as in `tamis report`.
      line += "  " + pad_left(std::to_string(row_total[r]), 8) + "  " +
              pad_left(report::format_percent_plain(share), 7);
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
  if (t.row_set || t.column_set) {
    out += "(un dossier peut compter dans plusieurs cellules ; les totaux le comptent une fois)\n";
  }
  return out;
}

}  // namespace tamis::runtime
