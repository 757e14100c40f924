#pragma once
// A summary table as aligned text for the terminal: counts with row and column
// totals; a single-column summary also shows each row's share of the dossiers.
#include <string>

#include "runtime/report/summary.hpp"

namespace tamis::runtime {

std::string render_summary_text(const SummaryTable& table);

}  // namespace tamis::runtime
