#pragma once
// Writes RFC 4180 CSV: comma separator, fields quoted only when they must be.
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace tamis::io {

// Appends one field to `line`, quoted only when it holds a comma, a quote or a line break.
void append_csv_field(std::string& line, std::string_view field);
// Whether a field must be quoted: it holds a comma, a quote or a line break.
bool csv_needs_quotes(std::string_view field);
// Appends what goes between a quoted field's quotes: `field`, each quote doubled.
void append_csv_escaped(std::string& line, std::string_view field);
void write_csv_field(std::ostream& out, std::string_view field);
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);

}  // namespace tamis::io
