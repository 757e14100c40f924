#pragma once
// Words of the language as people read them in messages.
#include <optional>
#include <string>
#include <string_view>

namespace antlr4::dfa {
class Vocabulary;
}

namespace tamis::syntax {

// "le mot-clé « règle »", "un identifiant", "« { »" … for a token type of the lexer.
std::string describe_token_type(std::size_t token_type, const antlr4::dfa::Vocabulary& vocabulary);

// The French keyword closest to a misspelt word ("décison" → "décision"), if any.
std::optional<std::string> closest_keyword(std::string_view word);

}  // namespace tamis::syntax
