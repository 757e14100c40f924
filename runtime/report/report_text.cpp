#include "runtime/report/report_text.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/report/header_lines.hpp"
#include "support/text.hpp"

namespace tamis::runtime::report {

namespace {

// A plain-text table: the first `text_columns` columns left-aligned, the others right-aligned.
struct TextTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> rule_before;  // one per row: a dashed line precedes it
  std::size_t text_columns = 1;
};

std::string pad(const std::string& s, std::size_t width, bool left) {
  const std::size_t w = text::count_code_points(s);
  const std::string fill(width > w ? width - w : 0, ' ');
  return left ? s + fill : fill + s;
}

// Numeric columns are at least this wide when their header is: longer headers wrap.
constexpr std::size_t kHeaderWidth = 16;

std::string render(const TextTable& t) {
  std::vector<std::size_t> widths(t.header.size(), 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size() && c < widths.size(); ++c)
      widths[c] = std::max(widths[c], text::count_code_points(cells[c]));
  };
  for (const auto& row : t.rows) measure(row);
  // The header's lines, the last one against the rule below.
  std::vector<std::vector<std::string>> header(t.header.size());
  std::size_t header_height = 1;
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    if (c < t.text_columns) {
      widths[c] = std::max(widths[c], text::count_code_points(t.header[c]));
      header[c] = {t.header[c]};
    } else {
      widths[c] = header_width(t.header[c], widths[c], kHeaderWidth);
      header[c] = header_lines(t.header[c], widths[c]);
    }
    header_height = std::max(header_height, header[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < cells.size() && c < widths.size(); ++c) {
      if (c > 0) out += "  ";
      out += pad(cells[c], widths[c], c < t.text_columns);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::size_t width = 0;
  for (auto w : widths) width += w + 2;
  const std::string rule = std::string(width > 2 ? width - 2 : 0, '-') + "\n";
  std::string out;
  for (std::size_t k = 0; k < header_height; ++k) {
    std::vector<std::string> cells;
    for (const auto& lines : header) {
      const std::size_t blank = header_height - lines.size();
      cells.push_back(k < blank ? std::string() : lines[k - blank]);
    }
    out += line(cells);
  }
  out += rule;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (r < t.rule_before.size() && t.rule_before[r]) out += rule;
    out += line(t.rows[r]);
  }
  return out;
}

std::string figure_cell(const std::optional<double>& v) {
  return v ? format_figure(*v) : "";
}

std::string render_cross(const ReportSection& s) {
  // Column labels, long ones on several lines (see render): no codes for people to decode.
  std::vector<std::string> header = {s.row_title};
  header.insert(header.end(), s.column_labels.begin(), s.column_labels.end());
  header.emplace_back("TOTAL");
  TextTable counts{header, {}, {}};
  TextTable shares{header, {}, {}};
  for (const auto& n : s.figure_names) counts.header.push_back(n);
  for (std::size_t r = 0; r < s.rows.size(); ++r) {
    const auto& row = s.rows[r];
    std::vector<std::string> cells = {row.label}, share_cells = {row.label};
    for (std::size_t c = 0; c < row.counts.size(); ++c) {
      cells.push_back(std::to_string(row.counts[c]));
      share_cells.push_back(format_percent_plain(s.row_share(r, c)));
    }
    cells.push_back(std::to_string(row.total));
    share_cells.push_back(format_percent_plain(row.total > 0 ? 1.0 : 0.0));
    for (const auto& f : row.figures) cells.push_back(figure_cell(f));
    counts.rows.push_back(cells);
    shares.rows.push_back(share_cells);
  }
  std::vector<std::string> total = {"TOTAL"}, total_shares = {"TOTAL"};
  for (std::size_t c = 0; c < s.column_totals.size(); ++c) {
    total.push_back(std::to_string(s.column_totals[c]));
    total_shares.push_back(format_percent_plain(s.total_share(c)));
  }
  total.push_back(std::to_string(s.total));
  total_shares.push_back(format_percent_plain(s.total > 0 ? 1.0 : 0.0));
  counts.rows.push_back(total);
  shares.rows.push_back(total_shares);
  counts.rule_before.assign(counts.rows.size(), false);
  counts.rule_before.back() = true;
  shares.rule_before = counts.rule_before;

  std::string out = render(counts);
  out += "\n" + wording::weights_title(s) + "\n\n" + render(shares);
  return out;
}

std::string render_list(const ReportSection& s) {
  TextTable t{{s.row_title, "dossiers", "part"}, {}, {}};
  if (s.ranked()) t.header.emplace_back("rang");
  for (const auto& n : s.figure_names) t.header.push_back(n);
  for (std::size_t r = 0; r < s.rows.size(); ++r) {
    const auto& row = s.rows[r];
    std::vector<std::string> cells = {row.label, std::to_string(row.total),
                                      format_percent_plain(s.share(r))};
    if (s.ranked()) cells.push_back(row.rank > 0 ? std::to_string(row.rank) : "");
    for (const auto& f : row.figures) cells.push_back(figure_cell(f));
    t.rows.push_back(cells);
  }
  std::string out = render(t);
  if (!s.ranked()) return out;

  auto ranked = [&](const char* title, const std::vector<std::size_t>& rows,
                    const std::vector<std::size_t>& ranks) {
    out += fmt::format("\n{}\n\n", title);
    TextTable l{{"", s.row_title, "dossiers", "part"}, {}, {}, 2};
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const auto& row = s.rows[rows[k]];
      l.rows.push_back({std::to_string(ranks[k]) + ".", row.label, std::to_string(row.total),
                        format_percent_plain(s.share(rows[k]))});
    }
    out += render(l);
  };
  ranked(wording::kMost, s.most, s.most_ranks);
  ranked(wording::kLeast, s.least, s.least_ranks);
  out += fmt::format("\n{}\n\n", wording::kNever);
  if (s.never.empty()) out += "  (aucun)\n";
  for (auto r : s.never) out += "  - " + s.rows[r].label + "\n";
  for (std::size_t f = 0; f < s.figure_names.size(); ++f) {
    out += fmt::format("\n{}\n\n", wording::figure_title(s.figure_names[f]));
    TextTable l{{s.row_title, s.figure_names[f], "dossiers"}, {}, {}};
    for (auto r : rows_with_figure(s, f)) {
      l.rows.push_back(
          {s.rows[r].label, figure_cell(s.rows[r].figures[f]), std::to_string(s.rows[r].total)});
    }
    out += render(l);
  }
  return out;
}

}  // namespace

std::string render_report_text(const Report& report) {
  std::string out = fmt::format("{} — {}\n{}\n{}\n", wording::kReportTitle, report.campaign,
                                wording::rules(report), wording::rows_summary(report));
  for (const auto& s : report.sections) {
    const std::string title = fmt::format("{}. {}", s.number, s.title);
    out += fmt::format("\n\n{}\n{}\n{}\n", title, std::string(text::count_code_points(title), '='),
                       wording::scope(s));
    if (const std::string note = wording::several_cells(s); !note.empty()) out += note + "\n";
    out += "\n";
    out += s.cross ? render_cross(s) : render_list(s);
  }
  return out;
}

}  // namespace tamis::runtime::report
