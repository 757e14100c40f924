#pragma once
// The canonical layout of a rule file, declaration by declaration (the shipped
// rules' style): 2-space indentation in blocks, one blank line between top-level
// declarations, aligned columns in enumerations, schemas, tables and outputs,
// long conditions broken before `et` / `ou`.
#include "compiler/format/cursor.hpp"
#include "compiler/format/doc.hpp"

namespace tamis::format {

// Lays out the whole file. Throws std::runtime_error when the tokens do not follow
// the grammar (which parse_file() has already checked).
Doc layout_file(Cursor& c);

}  // namespace tamis::format
