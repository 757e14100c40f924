#pragma once
// The parser's error listener: every syntax error becomes one French (or English)
// diagnostic built from the expected tokens, with a hint for the usual slips; at most
// one error per line and 20 per file.
#include <antlr4-runtime.h>

#include <memory>

#include "support/diagnostics.hpp"
#include "support/source.hpp"

namespace tamis::syntax {

std::unique_ptr<antlr4::ANTLRErrorListener> make_error_listener(FileId file, DiagnosticSink& sink);

}  // namespace tamis::syntax
