#include "compiler/analysis/tables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "support/lang.hpp"
#include "support/text.hpp"

namespace tamis::analysis {

namespace {

constexpr std::string_view kChoiceSeparator = ", ";  // as runtime/io/label_matcher splits cells
constexpr std::size_t kMaxPieces = 16;  // beyond, a label is not looked into (quadratic)

// Byte offsets where each ", "-separated piece of `label` starts and ends.
std::vector<std::pair<std::size_t, std::size_t>> pieces(std::string_view label) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = label.find(kChoiceSeparator, start);
    if (pos == std::string_view::npos) {
      out.emplace_back(start, label.size());
      return out;
    }
    out.emplace_back(start, pos);
    start = pos + kChoiceSeparator.size();
  }
}

// A reading of `label` as two or more labels of the table (runs of pieces), if any.
std::vector<std::string_view> split_reading(const graph::Table& table, std::string_view label) {
  const auto ps = pieces(label);
  if (ps.size() < 2 || ps.size() > kMaxPieces) return {};
  // from[j] >= 0: pieces [0, j) read as labels, the last run starting at piece from[j].
  std::vector<long> from(ps.size() + 1, -1);
  from[0] = 0;
  for (std::size_t j = 1; j <= ps.size(); ++j) {
    for (std::size_t i = 0; i < j && from[j] < 0; ++i) {
      if (from[i] < 0 || (i == 0 && j == ps.size())) continue;  // the label as a whole
      const std::string_view run = label.substr(ps[i].first, ps[j - 1].second - ps[i].first);
      if (table.by_label.count(text::normalize_label(run)) != 0) from[j] = static_cast<long>(i);
    }
  }
  if (from[ps.size()] < 0) return {};
  std::vector<std::string_view> runs;
  for (std::size_t j = ps.size(); j > 0;) {
    const auto i = static_cast<std::size_t>(from[j]);
    runs.push_back(label.substr(ps[i].first, ps[j - 1].second - ps[i].first));
    j = i;
  }
  std::reverse(runs.begin(), runs.end());
  return runs;
}

void check_split_labels(const graph::Table& table, DiagnosticSink& sink) {
  for (std::uint32_t r = 0; r < table.rows.size(); ++r) {
    const graph::Row& row = table.rows[r];
    std::vector<std::string> labels{row.key};
    labels.insert(labels.end(), row.aliases.begin(), row.aliases.end());
    for (const auto& label : labels) {
      if (label.find(kChoiceSeparator) == std::string::npos) continue;
      const auto runs = split_reading(table, label);
      if (runs.empty()) continue;
      std::vector<std::uint32_t> rows;
      std::vector<std::string> parts;
      for (auto run : runs) {
        const auto& named = table.by_label.at(text::normalize_label(run));
        rows.insert(rows.end(), named.begin(), named.end());
        std::vector<std::string> keys;
        for (auto n : named) keys.push_back(table.rows[n].key);
        parts.push_back(
            fmt::format("{} → {}", tr("« {} »", "'{}'", std::string(run)), fmt::join(keys, ", ")));
      }
      std::sort(rows.begin(), rows.end());
      rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
      if (rows.size() == 1 && rows.front() == r) continue;  // every reading gives this row
      sink.warning(
          "W0606", row.range,
          tr("« {} » se lit aussi comme plusieurs choix de l'export séparés par « , » ({}), "
             "mais Tamis lit une telle cellule comme la seule ligne « {} »",
             "'{}' also reads as several export choices separated by ',' ({}), but Tamis reads "
             "such a cell as the single row '{}'",
             label, fmt::join(parts, tr(" ; ", "; ")), row.key),
          tr("si ces choix peuvent être cochés ensemble, changez ce libellé pour qu'il ne "
             "contienne pas « , »",
             "if these choices can be ticked together, change this label so that it does not "
             "contain ', '"));
    }
  }
}

void check_shared_aliases(const graph::Table& table, DiagnosticSink& sink) {
  for (std::uint32_t r = 0; r < table.rows.size(); ++r) {
    const graph::Row& row = table.rows[r];
    for (const auto& alias : row.aliases) {
      const std::string key = text::normalize_label(alias);
      auto it = table.by_label.find(key);
      if (it == table.by_label.end()) continue;
      for (std::uint32_t other : it->second) {
        if (other >= r) continue;  // reported once, on the later row
        const graph::Row& o = table.rows[other];
        std::vector<std::string> spellings;
        for (const auto& a : o.aliases) {
          if (text::normalize_label(a) == key) spellings.push_back(a);
        }
        if (spellings.empty() ||
            std::find(spellings.begin(), spellings.end(), alias) != spellings.end()) {
          continue;  // the same spelling on both rows: shared on purpose
        }
        Diagnostic d{Severity::Warning,
                     "W0607",
                     row.range,
                     tr("l'alias « {} » de la ligne « {} » désigne aussi la ligne « {} », où il "
                        "s'écrit « {} »",
                        "the alias '{}' of the row '{}' also names the row '{}', where it is "
                        "spelled '{}'",
                        alias, row.key, o.key, spellings.front()),
                     tr("un alias commun à plusieurs lignes s'écrit à l'identique sur chacune : "
                        "corrigez l'écriture, ou retirez l'alias de la ligne qui ne doit pas le "
                        "porter",
                        "an alias shared by several rows is spelled the same on each: fix the "
                        "spelling, or remove the alias from the row that should not carry it"),
                     {}};
        d.notes.push_back(
            {o.range, tr("la ligne « {} » porte l'alias « {} »",
                         "the row '{}' carries the alias '{}'", o.key, spellings.front())});
        sink.report(std::move(d));
        break;
      }
    }
  }
}

}  // namespace

void check_table_labels(const graph::RuleGraph& graph, DiagnosticSink& sink) {
  for (const auto& table : graph.tables) {
    check_split_labels(table, sink);
    check_shared_aliases(table, sink);
  }
}

}  // namespace tamis::analysis
