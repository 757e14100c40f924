#pragma once
// `tamis fmt`: one canonical layout for rule files. A file with a syntax error is
// never formatted (its diagnostics are reported), and a formatted text is kept
// only if it parses to the same AST with the same comments (verify.hpp).
#include <string>
#include <string_view>

#include "support/diagnostics.hpp"
#include "support/source.hpp"

namespace tamis::format {

struct FormatResult {
  enum class Status {
    Formatted,     // `text` is the canonical form (maybe equal to the input)
    SyntaxErrors,  // reported to the sink; nothing to write
    Failed,        // the formatter could not guarantee the meaning: `problem` says why
  };
  Status status = Status::Failed;
  std::string text;
  std::string problem;
};

// Formats file `file` of `sources`; its syntax errors go to `sink`.
FormatResult format_file(const SourceSet& sources, FileId file, DiagnosticSink& sink);

// The layout alone, without the checks (throws std::runtime_error on a text the
// grammar does not accept).
std::string layout_text(std::string_view text);

}  // namespace tamis::format
