#pragma once
// The front end: rule-file text in, AST out. The only place that sees ANTLR.
// Every problem becomes a diagnostic; nothing throws past this interface.
#include <optional>

#include "compiler/syntax/ast.hpp"
#include "support/diagnostics.hpp"
#include "support/source.hpp"

namespace tamis::syntax {

// Limits that keep any byte sequence from exhausting stack, memory or time.
struct ParseLimits {
  std::size_t max_file_bytes = 4 * 1024 * 1024;
  std::size_t max_nesting = 64;  // brackets, `non`/`-` prefixes, nested operators
  std::size_t max_identifier_length = 128;
};

// Parses one file. Returns the AST of what could be read; syntax errors are
// reported to `sink` (all of them, with at most one per line to avoid cascades).
ast::File parse_file(const SourceSet& sources, FileId file, DiagnosticSink& sink,
                     const ParseLimits& limits = {});

}  // namespace tamis::syntax
