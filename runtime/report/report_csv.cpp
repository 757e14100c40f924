#include "runtime/report/report_csv.hpp"

#include <fmt/format.h>

#include <sstream>

#include "runtime/io/csv_writer.hpp"

namespace tamis::runtime::report {

namespace {

std::string pct(double fraction) {
  return fmt::format("{:.1f}", 100.0 * fraction);
}

std::string figure_cell(const std::optional<double>& v) {
  return v ? fmt::format("{}", *v) : std::string();
}

std::string cross_counts(const ReportSection& s) {
  std::ostringstream out;
  std::vector<std::string> cells = {s.row_title};
  cells.insert(cells.end(), s.column_codes.begin(), s.column_codes.end());
  cells.emplace_back("total");
  cells.insert(cells.end(), s.figure_names.begin(), s.figure_names.end());
  io::write_csv_row(out, cells);
  for (const auto& row : s.rows) {
    cells = {row.code};
    for (auto n : row.counts) cells.push_back(std::to_string(n));
    cells.push_back(std::to_string(row.total));
    for (const auto& f : row.figures) cells.push_back(figure_cell(f));
    io::write_csv_row(out, cells);
  }
  cells = {"TOTAL"};
  for (auto n : s.column_totals) cells.push_back(std::to_string(n));
  cells.push_back(std::to_string(s.total));
  cells.resize(cells.size() + s.figure_names.size());
  io::write_csv_row(out, cells);
  return out.str();
}

std::string cross_shares(const ReportSection& s) {
  std::ostringstream out;
  std::vector<std::string> cells = {s.row_title};
  cells.insert(cells.end(), s.column_codes.begin(), s.column_codes.end());
  cells.emplace_back("total");
  io::write_csv_row(out, cells);
  for (std::size_t r = 0; r < s.rows.size(); ++r) {
    cells = {s.rows[r].code};
    for (std::size_t c = 0; c < s.column_codes.size(); ++c) cells.push_back(pct(s.row_share(r, c)));
    cells.push_back(pct(s.rows[r].total > 0 ? 1.0 : 0.0));
    io::write_csv_row(out, cells);
  }
  cells = {"TOTAL"};
  for (std::size_t c = 0; c < s.column_codes.size(); ++c) cells.push_back(pct(s.total_share(c)));
  cells.push_back(pct(s.total > 0 ? 1.0 : 0.0));
  io::write_csv_row(out, cells);
  return out.str();
}

std::string list(const ReportSection& s) {
  std::ostringstream out;
  std::vector<std::string> cells = {"code", "libelle", "dossiers", "part_pct"};
  if (s.ranked()) cells.emplace_back("rang");
  cells.insert(cells.end(), s.figure_names.begin(), s.figure_names.end());
  io::write_csv_row(out, cells);
  for (std::size_t r = 0; r < s.rows.size(); ++r) {
    const auto& row = s.rows[r];
    cells = {row.code, row.label, std::to_string(row.total), pct(s.share(r))};
    if (s.ranked()) cells.push_back(row.rank > 0 ? std::to_string(row.rank) : "");
    for (const auto& f : row.figures) cells.push_back(figure_cell(f));
    io::write_csv_row(out, cells);
  }
  return out.str();
}

}  // namespace

std::vector<CsvFile> render_report_csv(const Report& report) {
  std::vector<CsvFile> files;
  std::ostringstream index;
  io::write_csv_row(index, {"fichier", "tableau", "titre", "dossiers_pris_en_compte", "condition"});
  for (const auto& s : report.sections) {
    const std::string base = fmt::format("{:02}-{}", s.number, s.slug);
    auto add = [&](std::string name, std::string title, std::string content) {
      io::write_csv_row(index, {name, std::to_string(s.number), std::move(title),
                                std::to_string(s.dossiers), s.condition});
      files.push_back({std::move(name), std::move(content)});
    };
    if (s.cross) {
      add(base + ".csv", s.title, cross_counts(s));
      add(base + ".poids.csv", fmt::format("{} — {}", s.title, wording::weights_title(s)),
          cross_shares(s));
    } else {
      add(base + ".csv", s.title, list(s));
    }
  }
  files.push_back({"index.csv", index.str()});
  return files;
}

}  // namespace tamis::runtime::report
