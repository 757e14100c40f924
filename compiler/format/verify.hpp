#pragma once
// The formatter's guarantee, checked on every file: the formatted text parses to
// the same AST as the original (positions aside; built-in type and function names
// compared in their canonical spelling) and keeps every comment, in order.
#include <string>
#include <string_view>

#include "compiler/syntax/ast.hpp"

namespace tamis::format {

// Empty when both files say the same thing; else what differs, for the report.
std::string compare_ast(const ast::File& before, const ast::File& after);

// Empty when both texts have the same comments in the same order.
std::string compare_comments(std::string_view before, std::string_view after);

}  // namespace tamis::format
