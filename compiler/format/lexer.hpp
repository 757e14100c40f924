#pragma once
// A lossless lexer for the formatter. It follows the lexer rules of
// grammar/Tamis.g4 (longest match, keywords before names on a tie) but keeps
// comments and line breaks, which the ANTLR lexer skips.
//
// Why a second lexer rather than sending comments to channel(HIDDEN): ANTLR types
// stay inside compiler/syntax, and its passes walk the whole token stream
// (check_structure() and the error hints look at neighbouring tokens), so hidden
// comment tokens would change what it sees. The formatter only runs on files that
// parse_file() has accepted, and its output is parsed again and compared with the
// input's AST (verify.hpp), so a disagreement between the two lexers can never
// change a file's meaning: it is reported instead.
#include <string>
#include <string_view>
#include <vector>

#include "compiler/format/token.hpp"

namespace tamis::format {

// The tokens of valid UTF-8 `text`, ending with an End token. Throws
// std::runtime_error on a character the grammar would not accept.
std::vector<Token> lex(std::string_view text);

}  // namespace tamis::format
