#pragma once
// Passes over the token stream between the structure check and the parser: each reads
// a token the way the author meant it (a bare `non` as false, `Si` as `si`…), reporting
// the slip where there is one, so that the parser sees what it can parse.
#include <antlr4-runtime.h>

#include "support/diagnostics.hpp"
#include "support/source.hpp"

namespace tamis::syntax {

void read_bare_non(antlr4::CommonTokenStream& tokens);
void read_capitalised_keywords(FileId file, antlr4::CommonTokenStream& tokens,
                               DiagnosticSink& sink);
void read_is_not_in(FileId file, antlr4::CommonTokenStream& tokens, DiagnosticSink& sink);
void read_dangling_connective(FileId file, antlr4::CommonTokenStream& tokens, DiagnosticSink& sink);
void read_dash_comments(FileId file, antlr4::CommonTokenStream& tokens, DiagnosticSink& sink);

}  // namespace tamis::syntax
