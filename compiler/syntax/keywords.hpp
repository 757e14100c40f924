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

// A word of the language quoted for messages: « règle » in French, 'rule' in English.
std::string quote_word(std::string_view word);

// The French keyword closest to a misspelt word ("décison" → "décision"), if any; with
// --lang en, English keywords are candidates too.
std::optional<std::string> closest_keyword(std::string_view word);

}  // namespace tamis::syntax
