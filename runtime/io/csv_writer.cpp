#include "runtime/io/csv_writer.hpp"

#include <string>

#include "support/scan.hpp"

namespace tamis::io {

bool csv_needs_quotes(std::string_view field) {
  return scan::find_any_of(field.data(), field.size(), ',', '"', '\n', '\r') != field.size();
}

void append_csv_escaped(std::string& line, std::string_view field) {
  // Copied a run at a time, from quote to quote.
  std::size_t start = 0;
  for (std::size_t quote; (quote = field.find('"', start)) != std::string_view::npos;) {
    line.append(field, start, quote + 1 - start);
    line += '"';
    start = quote + 1;
  }
  line.append(field, start);
}

void append_csv_field(std::string& line, std::string_view field) {
  if (!csv_needs_quotes(field)) {
    line += field;
    return;
  }
  line += '"';
  append_csv_escaped(line, field);
  line += '"';
}

void write_csv_field(std::ostream& out, std::string_view field) {
  std::string line;
  append_csv_field(line, field);
  out << line;
}

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  // One write per row: the stream's per-character path is the slow part of CSV output.
  thread_local std::string line;
  line.clear();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    append_csv_field(line, fields[i]);
  }
  line += '\n';
  out.write(line.data(), static_cast<std::streamsize>(line.size()));
}

}  // namespace tamis::io
