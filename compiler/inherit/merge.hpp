#pragma once
// Rule-set inheritance: next year's rules state only what changes. A child rule
// set's declarations are applied onto its parent's, by name: `remplace` replaces a
// definition, rule or row, `complète` adds to a table, enumeration, schema or
// decision, `retire` removes a rule or a row. Declarations keep their source
// ranges, so every rule and row still says which year's file it comes from.
#include <vector>

#include "compiler/syntax/ast.hpp"
#include "support/diagnostics.hpp"

namespace tamis::inherit {

// `levels[0]` holds the files of the oldest ancestor, `levels.back()` those of the
// rule set being compiled. Returns the effective declarations as one file.
ast::File merge(std::vector<std::vector<ast::File>> levels, DiagnosticSink& sink);

}  // namespace tamis::inherit
