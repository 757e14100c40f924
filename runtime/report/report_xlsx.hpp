#pragma once
// The campaign report as an Excel workbook (`tamis report --format xlsx`), written
// with libxlsxwriter: one sheet per `synthèse`, in declaration order, numbers as real
// numbers (shares as percentages), styled and frozen header row, sized columns, set
// up to print on A4. Each sheet: the title (row 1), the dossiers counted (row 2),
// the header (row 3), then the rows of the table; the sheets of two-axis tables end
// with the TOTAL row and a "Poids en %" block below; those of catalogue tables with
// the most / least / never activated lists and the catalogue figures.
#include <string>

#include "runtime/report/report_model.hpp"

namespace tamis::runtime::report {

// Writes the workbook to `path`. Returns an empty string on success, else the
// problem in French.
std::string write_report_xlsx(const Report& report, const std::string& path);

}  // namespace tamis::runtime::report
