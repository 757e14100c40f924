#pragma once
// The campaign report as plain text (`tamis report --format text`): every section
// of the report model, for a terminal or a mail.
#include <string>

#include "runtime/report/report_model.hpp"

namespace tamis::runtime::report {

std::string render_report_text(const Report& report);

}  // namespace tamis::runtime::report
