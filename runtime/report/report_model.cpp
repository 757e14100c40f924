#include "runtime/report/report_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "support/decimal.hpp"
#include "support/text.hpp"

namespace tamis::runtime::report {

using graph::Base;

namespace {

double ratio(std::size_t part, std::size_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

AxisKind kind_of(const graph::Type& type) {
  if (type.base == Base::Enum) return AxisKind::Enum;
  if (type.base == Base::Row) return AxisKind::Table;
  return AxisKind::Text;
}

std::string source_text(const graph::RuleGraph& graph, graph::NodeId node) {
  if (node == graph::kNoNode || !graph.sources) return {};
  const auto& r = graph.nodes[node].range;
  return std::string(graph.sources->file(r.file).slice(r));
}

// The table's numeric columns that have at least one value: the catalogue's figures.
std::vector<std::size_t> figure_columns(const graph::Table& table) {
  std::vector<std::size_t> out;
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    const auto& type = table.columns[c].type;
    if (type.set || !type.numeric()) continue;
    const bool any = std::any_of(table.rows.begin(), table.rows.end(),
                                 [&](const graph::Row& row) { return row.cells[c].present; });
    if (any) out.push_back(c);
  }
  return out;
}

std::optional<double> figure(const graph::Table& table, std::size_t row, std::size_t column) {
  const graph::Value& v = table.rows[row].cells[column];
  if (!v.present) return std::nullopt;
  if (table.columns[column].type.base == Base::Integer) return static_cast<double>(v.integer);
  return decimal::to_double(v.decimal);
}

ReportSection build_section(const graph::RuleGraph& graph, const graph::Summary& summary,
                            const SummaryTable& t, std::size_t number) {
  ReportSection s;
  s.number = number;
  s.title = t.title;
  s.slug = slugify(t.title);
  s.row_title = t.row_title;
  s.column_title = t.column_title;
  s.condition = source_text(graph, summary.condition);
  s.cross = summary.columns != graph::kNoNode;
  s.dossiers = t.dossiers;
  const graph::Type row_type = graph.nodes[summary.rows].type;
  s.row_kind = kind_of(row_type);

  const std::size_t nr = t.counts.size();
  const std::size_t nc = t.column_codes.size();
  std::vector<std::size_t> row_total(nr, 0), column_total(nc, 0);
  for (std::size_t r = 0; r < nr; ++r) {
    for (std::size_t c = 0; c < nc; ++c) {
      row_total[r] += t.counts[r][c];
      column_total[c] += t.counts[r][c];
    }
  }
  // The missing value shows only when some dossier has it.
  std::vector<std::size_t> columns;
  for (std::size_t c = 0; c < nc; ++c) {
    if (!t.column_codes[c].empty() || column_total[c] > 0 || nc == 1) columns.push_back(c);
  }
  for (auto c : columns) {
    s.column_codes.push_back(t.column_codes[c]);
    s.column_labels.push_back(t.column_codes[c].empty() ? kNotFilled : t.column_labels[c]);
    s.column_totals.push_back(column_total[c]);
    s.total += column_total[c];
  }

  const graph::Table* table = s.row_kind == AxisKind::Table ? &graph.tables[row_type.ref] : nullptr;
  std::vector<std::size_t> figures;
  if (table != nullptr) {
    figures = figure_columns(*table);
    for (auto c : figures) s.figure_names.push_back(table->columns[c].name);
  }
  for (std::size_t r = 0; r < nr; ++r) {
    const bool missing = t.row_codes[r].empty();
    if (missing && row_total[r] == 0) continue;
    ReportRow row;
    row.code = t.row_codes[r];
    row.label = missing ? kNotFilled : t.row_labels[r];
    for (auto c : columns) row.counts.push_back(t.counts[r][c]);
    row.total = std::accumulate(row.counts.begin(), row.counts.end(), std::size_t{0});
    // Table rows come first, in table order (see SummaryCounter::describe).
    for (auto c : figures) {
      row.figures.push_back(!missing && table != nullptr && r < table->rows.size()
                                ? figure(*table, r, c)
                                : std::nullopt);
    }
    s.rows.push_back(std::move(row));
  }

  if (s.ranked()) {
    std::vector<std::size_t> active;
    for (std::size_t i = 0; i < s.rows.size(); ++i) {
      if (s.rows[i].code.empty()) continue;
      (s.rows[i].total > 0 ? active : s.never).push_back(i);
    }
    std::stable_sort(active.begin(), active.end(), [&](std::size_t a, std::size_t b) {
      return s.rows[a].total > s.rows[b].total;
    });
    for (std::size_t k = 0; k < active.size(); ++k) s.rows[active[k]].rank = k + 1;
    s.most.assign(active.begin(), active.begin() + static_cast<std::ptrdiff_t>(
                                                       std::min(kRankedCount, active.size())));
    std::stable_sort(active.begin(), active.end(), [&](std::size_t a, std::size_t b) {
      return s.rows[a].total < s.rows[b].total;
    });
    s.least.assign(active.begin(), active.begin() + static_cast<std::ptrdiff_t>(
                                                        std::min(kRankedCount, active.size())));
  }
  return s;
}

}  // namespace

double ReportSection::row_share(std::size_t r, std::size_t c) const {
  return ratio(rows[r].counts[c], rows[r].total);
}

double ReportSection::total_share(std::size_t c) const {
  return ratio(column_totals[c], total);
}

double ReportSection::share(std::size_t r) const {
  return ratio(rows[r].total, dossiers);
}

bool ReportSection::codes_differ() const {
  return std::any_of(rows.begin(), rows.end(),
                     [](const ReportRow& r) { return !r.code.empty() && r.code != r.label; });
}

Report build_report(const graph::RuleGraph& graph, const CampaignReport& campaign,
                    const std::string& campaign_name) {
  if (campaign.summaries.size() != graph.summaries.size())
    throw std::logic_error("les synthèses comptées ne correspondent pas aux règles");
  Report report;
  report.campaign = campaign_name;
  report.rules_name = graph.name;
  report.rules_version = graph.version;
  report.fingerprint = graph.fingerprint;
  report.rows_read = campaign.rows_read;
  report.rows_classified = campaign.rows_classified;
  report.rows_rejected = campaign.rows_rejected;
  for (std::size_t i = 0; i < graph.summaries.size(); ++i) {
    report.sections.push_back(
        build_section(graph, graph.summaries[i], campaign.summaries[i], i + 1));
  }
  return report;
}

namespace wording {

std::string weights_title(const ReportSection& section) {
  return fmt::format("Poids en % par {}", section.column_title);
}

std::string scope(const ReportSection& section) {
  std::string out = fmt::format("{} dossier{} pris en compte", format_count(section.dossiers),
                                section.dossiers > 1 ? "s" : "");
  if (!section.condition.empty()) out += fmt::format(" (si {})", section.condition);
  return out;
}

std::string rows_summary(const Report& report) {
  return fmt::format("{} ligne(s) lue(s) = {} classée(s) + {} rejetée(s)",
                     format_count(report.rows_read), format_count(report.rows_classified),
                     format_count(report.rows_rejected));
}

std::string rules(const Report& report) {
  return fmt::format("Règles {} version {} (empreinte {})", report.rules_name, report.rules_version,
                     report.fingerprint.substr(0, 12));
}

std::string figure_title(const std::string& figure) {
  return fmt::format("Valeurs de « {} » renseignées au catalogue", figure);
}

}  // namespace wording

std::vector<std::size_t> rows_with_figure(const ReportSection& section, std::size_t f) {
  std::vector<std::size_t> out;
  for (std::size_t r = 0; r < section.rows.size(); ++r) {
    if (section.rows[r].figures[f]) out.push_back(r);
  }
  return out;
}

std::string slugify(std::string_view title) {
  const std::string normal = text::normalize_label(title);
  std::string out;
  for (char ch : normal) {
    const bool keep = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (keep) {
      out += ch;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  constexpr std::size_t kMaxSlug = 60;
  if (out.size() > kMaxSlug) {
    out.resize(kMaxSlug);
    const auto dash = out.rfind('-');
    if (dash != std::string::npos && dash > kMaxSlug / 2) out.resize(dash);
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "tableau" : out;
}

std::string format_count(std::size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u202f";
    out += digits[i];
  }
  return out;
}

std::string format_percent(double fraction) {
  std::string s = fmt::format("{:.1f}", 100.0 * fraction);
  std::replace(s.begin(), s.end(), '.', ',');
  return s + "\u00a0%";
}

std::string format_figure(double value) {
  std::string s = std::fabs(value - std::round(value)) < 1e-9 ? fmt::format("{:.0f}", value)
                                                              : fmt::format("{}", value);
  std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

}  // namespace tamis::runtime::report
