#pragma once
// The campaign report (`tamis report`): every `synthèse` of the rule set turned into
// one presentation-ready section, in declaration order, whatever the rule set is.
// The presentation rules are generic:
//  - a two-axis table gets row and column totals and, per row, each column's share
//    of the row total ("Poids en %");
//  - a single-column table gets each row's count and its share of the dossiers
//    counted; when its rows are the rows of a table (a catalogue), the most and
//    least activated rows and the rows no dossier has are listed too;
//  - rows that are table rows carry the table's numeric columns that have values
//    (the catalogue's figures, e.g. regional objectives).
// The missing-value row is labelled "Non renseigné" (for unrecognised labels: "Aucun
// libellé non reconnu") and shown only when not empty.
// The renderers (text, CSV, XLSX, HTML) only lay this model out.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/campaign.hpp"

namespace tamis::runtime::report {

inline constexpr const char* kNotFilled = "Non renseigné";
// The missing value of the labels a set-of-rows field did not recognise
// (`non_reconnus(leviers)`): no such label, i.e. every label was recognised.
inline constexpr const char* kAllRecognised = "Aucun libellé non reconnu (tous reconnus)";
// How many rows the "most activated" and "least activated" lists hold.
inline constexpr std::size_t kRankedCount = 10;

enum class AxisKind { Enum, Table, Text };

struct ReportRow {
  std::string code;  // value code, row key or text; "" for the missing value
  std::string label;
  std::vector<std::size_t> counts;  // one per column (a single one for one-column tables)
  std::size_t total = 0;  // dossiers of the row, each once (the count of a one-column table)
  std::vector<std::optional<double>> figures;  // one per ReportSection::figure_names
  // 1 = most activated, equal counts ranked equally (1, 2, 2, 4); 0 = not ranked (no
  // dossier, missing value)
  std::size_t rank = 0;
};

struct ReportSection {
  std::size_t number = 0;  // 1-based, declaration order
  std::string title;
  std::string slug;  // ASCII file-name form of the title
  std::string row_title;
  std::string column_title;  // empty for a one-column table
  std::string condition;     // source text of the `si` clause; empty: every classified dossier
  // The `si` clause for people: "Categorie : À remonter COP 2024 ou À travailler COP 2025"
  // when it chooses enumeration values, else "si " and its source text.
  std::string condition_words;
  std::string missing_label = kNotFilled;  // the label of the rows' missing value
  AxisKind row_kind = AxisKind::Text;
  bool cross = false;  // two axes
  // A set-valued axis: a dossier may count in several rows (columns); the totals
  // still count it once.
  bool several_rows = false;
  bool several_columns = false;
  std::vector<std::string> column_codes;
  std::vector<std::string> column_labels;
  std::vector<ReportRow> rows;
  std::vector<std::size_t> column_totals;  // cross tables: dossiers of each column
  std::size_t total = 0;                   // dossiers counted (cross tables)
  std::size_t dossiers = 0;                // dossiers counted
  std::vector<std::string> figure_names;   // numeric table columns shown beside the rows
  // Table-row single-column tables only: indices into `rows`.
  std::vector<std::size_t> most;   // up to kRankedCount, most dossiers first
  std::vector<std::size_t> least;  // up to kRankedCount among rows with dossiers, fewest first
  // The place of each row of `most` (of `least`): equal counts share a place (1, 2, 2, 4).
  std::vector<std::size_t> most_ranks, least_ranks;
  std::vector<std::size_t> never;  // rows no dossier has, in declaration order

  bool ranked() const { return !cross && row_kind == AxisKind::Table; }
  // Cross tables: the share of column `c` in row `r`'s total, in [0, 1].
  double row_share(std::size_t r, std::size_t c) const;
  // Cross tables: the share of column `c` in the grand total.
  double total_share(std::size_t c) const;
  // One-column tables: the share of the dossiers counted that row `r` holds.
  double share(std::size_t r) const;
  // Whether codes say something the labels do not (enumeration codes).
  bool codes_differ() const;
};

struct Report {
  std::string campaign;  // file name of the campaign
  std::string rules_name;
  std::string rules_version;
  std::string fingerprint;
  std::size_t rows_read = 0;
  std::size_t rows_classified = 0;
  std::size_t rows_rejected = 0;
  std::vector<ReportSection> sections;
};

// The French wording every format shares.
namespace wording {
inline constexpr const char* kReportTitle = "Rapport de campagne";
inline constexpr const char* kTotal = "Total";
inline constexpr const char* kDossiers = "Dossiers";
inline constexpr const char* kShare = "Part";
inline constexpr const char* kRank = "Rang";
inline constexpr const char* kCode = "Code";
inline constexpr const char* kMost = "Les 10 plus activés";
inline constexpr const char* kLeast =
    "Les 10 moins activés (parmi ceux qui ont au moins un dossier)";
inline constexpr const char* kNever = "Jamais activés (aucun dossier)";
// "Poids en % par Categorie"
std::string weights_title(const ReportSection& section);
// "1 114 dossiers pris en compte (Categorie : À remonter COP 2024 ou À travailler COP 2025)"
std::string scope(const ReportSection& section);
// For a two-axis table with a set-valued axis, that a dossier may count in several
// cells but once in each total; empty otherwise.
std::string several_cells(const ReportSection& section);
// "1 279 ligne(s) lue(s) = 1 279 classée(s) + 0 rejetée(s)"
std::string rows_summary(const Report& report);
// "Règles cop2024 version 2024.1 (empreinte 24061bf27833)"
std::string rules(const Report& report);
// "Valeurs de objectif_ktco2e renseignées au catalogue"
std::string figure_title(const std::string& figure);
}  // namespace wording

// Rows of `section` that have a value for figure `f`, in declaration order.
std::vector<std::size_t> rows_with_figure(const ReportSection& section, std::size_t f);

Report build_report(const graph::RuleGraph& graph, const CampaignReport& campaign,
                    const std::string& campaign_name);

// "bilan-des-projets-cop-par-departement" for a title (lower-case ASCII, dashes).
std::string slugify(std::string_view title);

// French number formatting for people: "1 279" (narrow no-break space), "21,1 %".
std::string format_count(std::size_t n);
std::string format_percent(double fraction);  // 0.211 → "21,1 %"
// The same with a plain space: a no-break space looks like any space in a terminal.
std::string format_percent_plain(double fraction);
std::string format_figure(double value);  // 174 → "174", 12.5 → "12,5"

}  // namespace tamis::runtime::report
