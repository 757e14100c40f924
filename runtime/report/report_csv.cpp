#include "runtime/report/report_csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <utility>

#include "runtime/io/csv_writer.hpp"

namespace tamis::runtime::report {

namespace {

std::string pct(double fraction) {
  return fmt::format("{:.1f}", 100.0 * fraction);
}

std::string figure_cell(const std::optional<double>& v) {
  return v ? fmt::format("{}", *v) : std::string();
}

// The first two cells of every row, as in the one-column tables: code, then label.
constexpr const char* kTotalCode = "TOTAL";

std::string cross_counts(const ReportSection& s) {
  std::ostringstream out;
  std::vector<std::string> cells = {"code", "libelle"};
  cells.insert(cells.end(), s.column_codes.begin(), s.column_codes.end());
  cells.emplace_back("total");
  cells.insert(cells.end(), s.figure_names.begin(), s.figure_names.end());
  io::write_csv_row(out, cells);
  for (const auto& row : s.rows) {
    cells = {row.code, row.label};
    for (auto n : row.counts) cells.push_back(std::to_string(n));
    cells.push_back(std::to_string(row.total));
    for (const auto& f : row.figures) cells.push_back(figure_cell(f));
    io::write_csv_row(out, cells);
  }
  cells = {kTotalCode, wording::kTotal};
  for (auto n : s.column_totals) cells.push_back(std::to_string(n));
  cells.push_back(std::to_string(s.total));
  cells.resize(cells.size() + s.figure_names.size());
  io::write_csv_row(out, cells);
  return out.str();
}

std::string cross_shares(const ReportSection& s) {
  std::ostringstream out;
  std::vector<std::string> cells = {"code", "libelle"};
  cells.insert(cells.end(), s.column_codes.begin(), s.column_codes.end());
  cells.emplace_back("total");
  io::write_csv_row(out, cells);
  for (std::size_t r = 0; r < s.rows.size(); ++r) {
    cells = {s.rows[r].code, s.rows[r].label};
    for (std::size_t c = 0; c < s.column_codes.size(); ++c) cells.push_back(pct(s.row_share(r, c)));
    cells.push_back(pct(s.rows[r].total > 0 ? 1.0 : 0.0));
    io::write_csv_row(out, cells);
  }
  cells = {kTotalCode, wording::kTotal};
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

// "NN-slug.csv" or "NN-slug.poids.csv", as render_report_csv names its tables.
bool is_table_file_name(std::string_view name) {
  constexpr std::string_view kCsv = ".csv", kPoids = ".poids";
  if (name.size() <= kCsv.size() || name.substr(name.size() - kCsv.size()) != kCsv) return false;
  name.remove_suffix(kCsv.size());
  if (name.size() > kPoids.size() && name.substr(name.size() - kPoids.size()) == kPoids)
    name.remove_suffix(kPoids.size());
  std::size_t digits = 0;
  while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9') ++digits;
  if (digits < 2 || digits + 1 >= name.size() || name[digits] != '-') return false;
  return std::all_of(
      name.begin() + static_cast<std::ptrdiff_t>(digits + 1), name.end(),
      [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'; });
}

}  // namespace

std::vector<std::string> stale_report_files(std::string_view previous_index,
                                            const std::vector<CsvFile>& files) {
  std::set<std::string, std::less<>> kept;
  for (const auto& f : files) kept.insert(f.name);
  std::vector<std::string> stale;
  bool header = true;
  while (!previous_index.empty()) {
    const auto end = previous_index.find('\n');
    std::string_view line = previous_index.substr(0, end);
    previous_index =
        end == std::string_view::npos ? std::string_view() : previous_index.substr(end + 1);
    if (std::exchange(header, false)) continue;
    // The file name is the first cell; the names Tamis writes need no quoting.
    std::string_view name = line.substr(0, line.find(','));
    if (!name.empty() && name.back() == '\r') name.remove_suffix(1);
    if (is_table_file_name(name) && kept.count(name) == 0 &&
        std::find(stale.begin(), stale.end(), name) == stale.end())
      stale.emplace_back(name);
  }
  return stale;
}

std::vector<CsvFile> render_report_csv(const Report& report) {
  std::vector<CsvFile> files;
  std::ostringstream index;
  io::write_csv_row(
      index, {"fichier", "tableau", "titre", "dossiers_pris_en_compte", "condition", "remarque"});
  for (const auto& s : report.sections) {
    const std::string base = fmt::format("{:02}-{}", s.number, s.slug);
    auto add = [&](std::string name, std::string title, std::string content) {
      io::write_csv_row(
          index, {name, std::to_string(s.number), std::move(title), std::to_string(s.dossiers),
                  s.condition, wording::several_cells(s)});
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
