#include "runtime/io/csv_writer.hpp"

#include <string>

namespace tamis::io {

namespace {

// Appends what `put` writes of `field` at the end of `line`, given room for its longest.
template <typename Put>
void append_put(std::string& line, std::string_view field, std::size_t room, Put put) {
  const std::size_t old = line.size();
  line.resize(old + room);
  line.resize(static_cast<std::size_t>(put(line.data() + old, field) - line.data()));
}

}  // namespace

void append_csv_escaped(std::string& line, std::string_view field) {
  append_put(line, field, 2 * field.size(), put_csv_escaped);
}

void append_csv_field(std::string& line, std::string_view field) {
  append_put(line, field, 2 * field.size() + 2, put_csv_field);
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
