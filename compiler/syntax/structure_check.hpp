#pragma once
// The token pre-pass run before the parser: brackets balance, nesting stays shallow
// (deep input would overflow the recursive parser's stack), identifiers stay short.
// An unclosed or stray bracket is reported where the next tokens show the mistake is.
#include <antlr4-runtime.h>

#include "compiler/syntax/parse.hpp"
#include "support/diagnostics.hpp"
#include "support/source.hpp"

namespace tamis::syntax {

// False when the file must not be parsed (its errors are reported).
bool check_structure(FileId file, antlr4::CommonTokenStream& tokens, DiagnosticSink& sink,
                     const ParseLimits& limits);

}  // namespace tamis::syntax
