#pragma once
// For tests: compares the hand-written lexer (lexer.hpp) with the lexer ANTLR generates
// from grammar/Tamis.g4. Only the tests link it (it brings the generated lexer in).
#include <string>

namespace tamis::syntax {

// The first difference between the two lexers' tokens on `text` (valid UTF-8), described,
// or "" when they give the same tokens (type, text, line, column, character indices).
std::string lexer_differences(const std::string& text);

}  // namespace tamis::syntax
