#pragma once
// The campaign report as CSV files (`tamis report --format csv --output DIR`), for
// spreadsheets and scripts: one file per `synthèse`, named "NN-slug.csv" after its
// number and title, so that the files sort in declaration order (the headline
// table, the "Bilan", first); a two-axis table also gets "NN-slug.poids.csv", the
// share of each column in each row's total; "index.csv" lists every file.
//
//  - two-axis table: header `code, libelle, <column code>…, total[, <figure>…]`, one row
//    per row value (its code and its label), then `TOTAL, Total`; counts only (shares in
//    the .poids file, in %). The totals count dossiers, once each: with a set-valued
//    axis a row's cells can add up to more than its total (index.csv's `remarque` says so);
//  - one-column table: header `code, libelle, dossiers, part_pct[, rang][, <figure>…]`,
//    `part_pct` the share of the dossiers counted, `rang` the rank by dossiers (table
//    rows only; empty for rows without dossiers).
// The missing value has the empty code (as in the results file) and the label
// "Non renseigné". Comma separator, UTF-8, '.' as decimal point, RFC 4180 quoting.
#include <string>
#include <string_view>
#include <vector>

#include "runtime/report/report_model.hpp"

namespace tamis::runtime::report {

struct CsvFile {
  std::string name;  // file name, no folder
  std::string content;
};

std::vector<CsvFile> render_report_csv(const Report& report);

// The files an earlier report listed in its index.csv (`previous_index`, its content)
// that the new report (`files`) does not write: what a second report in the same
// folder must remove so that the folder holds only the tables of index.csv. Only
// names of the form Tamis gives its tables ("NN-slug.csv", "NN-slug.poids.csv") are
// returned: a file Tamis did not write is never named, even when listed.
std::vector<std::string> stale_report_files(std::string_view previous_index,
                                            const std::vector<CsvFile>& files);

}  // namespace tamis::runtime::report
