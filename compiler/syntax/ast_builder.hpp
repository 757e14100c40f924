#pragma once
// The parse tree to the AST: ast::File, every node with its source range. `et`/`ou`
// chains are flattened iteratively; other nesting is bounded by the structure check and
// by a depth guard here.
#include <TamisParser.h>

#include "compiler/syntax/ast.hpp"
#include "compiler/syntax/parse.hpp"
#include "support/diagnostics.hpp"
#include "support/source.hpp"

namespace tamis::syntax {

ast::File build_ast(grammar::TamisParser::FileContext* tree, FileId file, DiagnosticSink& sink,
                    const ParseLimits& limits);

}  // namespace tamis::syntax
