#include "support/diagnostics.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "support/text.hpp"

namespace tamis {

void DiagnosticSink::report(Diagnostic d) {
  if (d.severity == Severity::Error) ++errors_;
  diagnostics_.push_back(std::move(d));
}

void DiagnosticSink::error(std::string code, SourceRange range, std::string message,
                           std::string hint) {
  report({Severity::Error, std::move(code), range, std::move(message), std::move(hint), {}});
}

void DiagnosticSink::warning(std::string code, SourceRange range, std::string message,
                             std::string hint) {
  report({Severity::Warning, std::move(code), range, std::move(message), std::move(hint), {}});
}

void DiagnosticSink::sort() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     if (a.range.file != b.range.file) return a.range.file < b.range.file;
                     if (a.range.line != b.range.line) return a.range.line < b.range.line;
                     return a.range.column < b.range.column;
                   });
}

namespace {

const char* severity_word(Severity s) {
  switch (s) {
    case Severity::Error:
      return "erreur";
    case Severity::Warning:
      return "avertissement";
    case Severity::Note:
      return "note";
  }
  return "erreur";
}

// Replaces control characters so a NUL or escape byte never reaches the terminal raw.
std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\t') {
      out += ' ';
    } else if (u < 0x20 || u == 0x7f) {
      out += '?';
    } else {
      out += c;
    }
  }
  return out;
}

std::string location(const SourceRange& r, const SourceSet& sources) {
  if (r.file >= sources.size()) return "tamis";
  const auto& path = sources.file(r.file).path;
  if (!r.valid()) return path;
  return fmt::format("{}:{}:{}", path, r.line, r.column);
}

void append_excerpt(std::string& out, const SourceRange& r, const SourceSet& sources) {
  if (!r.valid() || r.file >= sources.size()) return;
  const auto line = sources.file(r.file).line_text(r.line);
  const std::string shown = printable(line);
  const std::string gutter = fmt::format("{:>5} | ", r.line);
  out += gutter + shown + "\n";
  const std::size_t width = text::count_code_points(shown);
  std::size_t start = r.column > 0 ? r.column - 1 : 0;
  if (start > width) start = width;
  std::size_t length = 1;
  if (r.end_line == r.line && r.end_column >= r.column) {
    length = r.end_column - r.column + 1;
  } else if (r.end_line > r.line) {
    length = width > start ? width - start : 1;
  }
  out += std::string(gutter.size() - 2, ' ') + "| " + std::string(start, ' ') + "^" +
         std::string(length > 1 ? length - 1 : 0, '~') + "\n";
}

}  // namespace

std::string render(const Diagnostic& d, const SourceSet& sources) {
  std::string out = fmt::format("{}: {}[{}]: {}\n", location(d.range, sources),
                                severity_word(d.severity), d.code, printable(d.message));
  append_excerpt(out, d.range, sources);
  if (!d.hint.empty()) out += fmt::format("      = aide : {}\n", printable(d.hint));
  for (const auto& [range, text] : d.notes) {
    out += fmt::format("{}: note : {}\n", location(range, sources), printable(text));
    append_excerpt(out, range, sources);
  }
  return out;
}

}  // namespace tamis
