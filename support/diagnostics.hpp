#pragma once
// Diagnostics are data: accumulated in a sink by every compiler stage, rendered
// by the CLI. The library never prints and never exits.
#include <string>
#include <vector>

#include "support/source.hpp"

namespace tamis {

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;     // stable, documented in docs/diagnostics.md, e.g. "E0101"
  SourceRange range;    // where the caret goes
  std::string message;  // French, one sentence, no trailing period
  std::string hint;     // optional: what to do ("vouliez-vous dire « a_remonter » ?")
  std::vector<std::pair<SourceRange, std::string>> notes;  // related places
};

class DiagnosticSink {
 public:
  void report(Diagnostic d);
  void error(std::string code, SourceRange range, std::string message, std::string hint = {});
  void warning(std::string code, SourceRange range, std::string message, std::string hint = {});

  const std::vector<Diagnostic>& all() const { return diagnostics_; }
  std::size_t error_count() const { return errors_; }
  bool has_errors() const { return errors_ > 0; }

  // Orders diagnostics by file, then position (stable for equal positions).
  void sort();

  // After sort(): keeps the first `limit` errors of each code in each file and replaces
  // the others by one note "… et N autres erreurs CODE semblables dans ce fichier", so that
  // a garbage file (5,000 unknown names on one line) does not flood the terminal. Warnings,
  // notes and errors about no file (kNoFile) are all kept; error_count() still counts every
  // error.
  void limit_repeated_errors(std::size_t limit);

 private:
  std::vector<Diagnostic> diagnostics_;
  std::size_t errors_ = 0;
};

// "file:line:col: erreur[E0101]: message", the source line, a caret under the
// range, then the hint and notes. The source line is shown as printable text (control
// characters as « ? », bytes that are not UTF-8 as \xNN). A line longer than
// kWholeLineWidth columns (a generated or binary file: 1 MB on one line) is cut to a
// window of kExcerptWidth columns around the caret, with « … » where it is cut. A
// Severity::Note without a code renders as "file: note : message".
inline constexpr std::size_t kWholeLineWidth = 512;
inline constexpr std::size_t kExcerptWidth = 120;
std::string render(const Diagnostic& d, const SourceSet& sources);

// Text as a terminal should show it: valid UTF-8 as it is, control characters as « ? »
// (a tab as a space), bytes that are not UTF-8 as \xNN. For anything quoted from input.
std::string printable(std::string_view s);

}  // namespace tamis
