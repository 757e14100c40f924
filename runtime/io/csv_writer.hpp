#pragma once
// Writes RFC 4180 CSV: comma separator, fields quoted only when they must be.
#include <ostream>
#include <string_view>
#include <vector>

namespace tamis::io {

void write_csv_field(std::ostream& out, std::string_view field);
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);

}  // namespace tamis::io
