#pragma once
// Writes RFC 4180 CSV: comma separator, fields quoted only when they must be.
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "support/bytes.hpp"
#include "support/scan.hpp"

namespace tamis::io {

// Whether a field must be quoted: it holds a comma, a quote or a line break. Inline:
// result rows ask it of several texts each.
inline bool csv_needs_quotes(std::string_view field) {
  return scan::find_any_of(field.data(), field.size(), ',', '"', '\n', '\r') != field.size();
}

// Writes what goes between a quoted field's quotes at `p` (room: 2 × its size): `field`,
// each quote doubled, a run at a time from quote to quote. Returns the end.
inline char* put_csv_escaped(char* p, std::string_view field) {
  for (std::size_t start = 0;;) {
    const std::size_t quote = field.find('"', start);
    const std::size_t end = quote == std::string_view::npos ? field.size() : quote + 1;
    p = copy_bytes(p, field.data() + start, end - start);
    if (quote == std::string_view::npos) return p;
    *p++ = '"';
    start = end;
  }
}
// Writes `field` at `p` (room: 2 × its size + 2), quoted only when it holds a comma, a
// quote or a line break. Returns the end.
inline char* put_csv_field(char* p, std::string_view field) {
  if (!csv_needs_quotes(field)) return copy_bytes(p, field.data(), field.size());
  *p++ = '"';
  p = put_csv_escaped(p, field);
  *p++ = '"';
  return p;
}

// The same, appended to `line`.
void append_csv_field(std::string& line, std::string_view field);
void append_csv_escaped(std::string& line, std::string_view field);
void write_csv_field(std::ostream& out, std::string_view field);
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);

}  // namespace tamis::io
