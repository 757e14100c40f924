#pragma once
// The campaign report as one self-contained HTML page (`tamis report --format html`):
// inline CSS and SVG only (no script, no font, no network), readable on screen and
// printable on A4. Every `synthèse` is a section, in declaration order: two-axis
// tables with totals, a "Poids en %" stacked-bar chart (one bar per row and one for
// the total) and the shares table; one-column tables with a horizontal-bar chart
// and the table of counts and shares; catalogue tables also with the most / least /
// never activated lists and the catalogue figures. Tables have captions and header
// cells with scopes; charts are `role="img"` with a title and a text description,
// and every bar has a tooltip. Number cells carry their raw value in `data-value`.
#include <string>

#include "runtime/report/report_model.hpp"

namespace tamis::runtime::report {

std::string render_report_html(const Report& report);

}  // namespace tamis::runtime::report
