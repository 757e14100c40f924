#include "support/source.hpp"

#include <algorithm>

namespace tamis {

SourceFile::SourceFile(std::string path_, std::string text_)
    : path(std::move(path_)), text(std::move(text_)) {
  line_starts.push_back(0);
  // LF (Unix), CRLF (Windows) and a lone CR (classic Mac OS) all end a line.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      line_starts.push_back(i + 1);
    } else if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) {
      line_starts.push_back(i + 1);
    }
  }
}

std::string_view SourceFile::line_text(std::uint32_t line) const {
  if (line == 0 || line > line_starts.size()) return {};
  const std::size_t begin = line_starts[line - 1];
  std::size_t end = line < line_starts.size() ? line_starts[line] : text.size();
  if (end > begin && text[end - 1] == '\n') --end;
  if (end > begin && text[end - 1] == '\r') --end;
  return std::string_view(text).substr(begin, end - begin);
}

namespace {

// Byte offset of a 1-based code-point column within a line.
std::size_t column_offset(std::string_view line, std::uint32_t column) {
  std::size_t offset = 0;
  for (std::uint32_t c = 1; c < column && offset < line.size(); ++c) {
    ++offset;
    while (offset < line.size() && (static_cast<unsigned char>(line[offset]) & 0xC0U) == 0x80U) {
      ++offset;
    }
  }
  return offset;
}

}  // namespace

std::string_view SourceFile::slice(const SourceRange& range) const {
  if (!range.valid() || range.line > line_starts.size() || range.end_line < range.line) return {};
  const std::size_t begin =
      line_starts[range.line - 1] + column_offset(line_text(range.line), range.column);
  const std::uint32_t last = std::min<std::uint32_t>(range.end_line, line_count());
  const std::size_t end =
      line_starts[last - 1] + column_offset(line_text(last), range.end_column + 1);
  if (end <= begin || end > text.size()) return {};
  return std::string_view(text).substr(begin, end - begin);
}

std::string lone_cr_to_lf(std::string_view text) {
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\r' && (i + 1 == out.size() || out[i + 1] != '\n')) out[i] = '\n';
  }
  return out;
}

FileId SourceSet::add(std::string path, std::string text) {
  files_.emplace_back(std::move(path), std::move(text));
  return static_cast<FileId>(files_.size() - 1);
}

}  // namespace tamis
