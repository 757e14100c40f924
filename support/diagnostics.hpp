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

 private:
  std::vector<Diagnostic> diagnostics_;
  std::size_t errors_ = 0;
};

// "file:line:col: erreur[E0101]: message", the source line, a caret under the
// range, then the hint and notes.
std::string render(const Diagnostic& d, const SourceSet& sources);

}  // namespace tamis
