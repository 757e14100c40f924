#pragma once
// The campaign report as CSV files (`tamis report --format csv --output DIR`), for
// spreadsheets and scripts: one file per `synthèse`, named "NN-slug.csv" after its
// number and title, so that the files sort in declaration order (the headline
// table, the "Bilan", first); a two-axis table also gets "NN-slug.poids.csv", the
// share of each column in each row's total; "index.csv" lists every file.
//
//  - two-axis table: header `<row title>, <column code>…, total[, <figure>…]`, one row
//    per row code, then `TOTAL`; counts only (shares in the .poids file, in %);
//  - one-column table: header `code, libelle, dossiers, part_pct[, rang][, <figure>…]`,
//    `part_pct` the share of the dossiers counted, `rang` the rank by dossiers (table
//    rows only; empty for rows without dossiers).
// The missing value has the empty code (as in the results file) and the label
// "Non renseigné". Comma separator, UTF-8, '.' as decimal point, RFC 4180 quoting.
#include <string>
#include <vector>

#include "runtime/report/report_model.hpp"

namespace tamis::runtime::report {

struct CsvFile {
  std::string name;  // file name, no folder
  std::string content;
};

std::vector<CsvFile> render_report_csv(const Report& report);

}  // namespace tamis::runtime::report
