#include "runtime/report/report_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
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

// How the missing value of an axis reads: for the labels a field did not recognise, an
// empty set means that every label was recognised, not that something is missing.
const char* missing_label(const graph::RuleGraph& graph, graph::NodeId node) {
  return node != graph::kNoNode && graph.nodes[node].op == graph::Op::Unknowns ? kAllRecognised
                                                                               : kNotFilled;
}

// The labels of the enumeration values a constant set (or one value) holds, in
// declaration order; empty when `node` is no such constant.
std::vector<std::string> enum_labels(const graph::RuleGraph& graph, graph::NodeId node,
                                     const graph::Enum& values) {
  const graph::Node& n = graph.nodes[node];
  std::vector<std::string> out;
  if (n.op == graph::Op::Const && n.type.base == Base::Enum) {
    const graph::Value& v = graph.constants[n.a];
    for (std::uint32_t i = 0; i < values.values.size(); ++i) {
      if (n.type.set ? v.has_bit(i) : v.present && v.id == i) out.push_back(values.values[i].label);
    }
  } else if (n.op == graph::Op::SetOf) {
    for (std::uint32_t k = 0; k < n.arg_count; ++k) {
      auto one = enum_labels(graph, graph.args[n.first_arg + k], values);
      if (one.size() != 1) return {};
      out.push_back(std::move(one[0]));
    }
  }
  return out;
}

// The `si` clause in the rules' words when it chooses enumeration values
// ("Categorie : À remonter COP 2024 ou À travailler COP 2025"); else its source text.
std::string condition_words(const graph::RuleGraph& graph, graph::NodeId node) {
  if (node == graph::kNoNode) return {};
  const graph::Node& n = graph.nodes[node];
  if (n.op == graph::Op::In || n.op == graph::Op::Eq) {
    const graph::Type& item = graph.nodes[n.a].type;
    if (item.base == Base::Enum && !item.set) {
      const auto labels = enum_labels(graph, n.b, graph.enums[item.ref]);
      if (!labels.empty()) {
        std::string choice = labels[0];
        for (std::size_t k = 1; k < labels.size(); ++k)
          choice += fmt::format("{}{}", k + 1 == labels.size() ? " ou " : ", ", labels[k]);
        return fmt::format("{} : {}", axis_title(graph, n.a), choice);
      }
    }
  }
  return fmt::format("si {}", source_text(graph, node));
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
  s.condition_words = condition_words(graph, summary.condition);
  s.cross = summary.columns != graph::kNoNode;
  s.dossiers = t.dossiers;
  const graph::Type row_type = graph.nodes[summary.rows].type;
  s.row_kind = kind_of(row_type);
  s.missing_label = missing_label(graph, summary.rows);

  const std::size_t nr = t.counts.size();
  const std::size_t nc = t.column_codes.size();
  // Totals count dossiers, once each, even when a set puts one in several cells.
  const std::vector<std::size_t>& row_total = t.row_dossiers;
  const std::vector<std::size_t>& column_total = t.column_dossiers;
  s.several_rows = t.row_set;
  s.several_columns = s.cross && t.column_set;
  // The missing value shows only when some dossier has it.
  std::vector<std::size_t> columns;
  for (std::size_t c = 0; c < nc; ++c) {
    if (!t.column_codes[c].empty() || column_total[c] > 0 || nc == 1) columns.push_back(c);
  }
  for (auto c : columns) {
    s.column_codes.push_back(t.column_codes[c]);
    s.column_labels.push_back(t.column_codes[c].empty() ? missing_label(graph, summary.columns)
                                                        : t.column_labels[c]);
    s.column_totals.push_back(column_total[c]);
  }
  s.total = t.dossiers;

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
    row.label = missing ? s.missing_label : t.row_labels[r];
    for (auto c : columns) row.counts.push_back(t.counts[r][c]);
    row.total = row_total[r];
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
    // Equal counts share a rank (1, 2, 2, 4): the rank is one more than the number of
    // rows ahead. Rows of equal counts stay in catalogue order.
    const auto ranked = [&](auto ahead, std::vector<std::size_t>& rows,
                            std::vector<std::size_t>& ranks) {
      std::stable_sort(active.begin(), active.end(), [&](std::size_t a, std::size_t b) {
        return ahead(s.rows[a].total, s.rows[b].total);
      });
      std::vector<std::size_t> all(active.size());
      for (std::size_t k = 0; k < active.size(); ++k) {
        const bool tie = k > 0 && s.rows[active[k]].total == s.rows[active[k - 1]].total;
        all[k] = tie ? all[k - 1] : k + 1;
      }
      const auto n = static_cast<std::ptrdiff_t>(std::min(kRankedCount, active.size()));
      rows.assign(active.begin(), active.begin() + n);
      ranks.assign(all.begin(), all.begin() + n);
      return all;
    };
    const auto by_most = ranked(std::greater<>(), s.most, s.most_ranks);
    for (std::size_t k = 0; k < active.size(); ++k) s.rows[active[k]].rank = by_most[k];
    ranked(std::less<>(), s.least, s.least_ranks);
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
  if (!section.condition_words.empty()) out += fmt::format(" ({})", section.condition_words);
  return out;
}

std::string several_cells(const ReportSection& section) {
  if (!section.cross || (!section.several_rows && !section.several_columns)) return {};
  const char* where = section.several_rows && section.several_columns ? "plusieurs cellules"
                      : section.several_rows                          ? "plusieurs lignes"
                                                                      : "plusieurs colonnes";
  return fmt::format(
      "Un dossier peut compter dans {} (un ensemble le compte sous chacun de ses éléments) : "
      "les totaux comptent chaque dossier une fois, et les parts se rapportent à ces totaux "
      "(leur somme peut dépasser 100 %).",
      where);
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

std::string format_percent_plain(double fraction) {
  std::string s = format_percent(fraction);
  const std::string nbsp = "\u00a0";
  const auto at = s.find(nbsp);
  if (at != std::string::npos) s.replace(at, nbsp.size(), " ");
  return s;
}

std::string format_figure(double value) {
  std::string s = std::fabs(value - std::round(value)) < 1e-9 ? fmt::format("{:.0f}", value)
                                                              : fmt::format("{}", value);
  std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

}  // namespace tamis::runtime::report
