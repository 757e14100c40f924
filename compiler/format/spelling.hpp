#pragma once
// How the formatter writes words: every keyword in its canonical French
// spelling, built-in type and function names in the spelling the engine's own
// messages use, strings quoted one way.
#include <string>
#include <string_view>
#include <vector>

#include "compiler/format/token.hpp"

namespace tamis::format {

// Every spelling of every keyword, as the lexer matches them: in `pattern`, a
// space stands for [ \t]+ and an apostrophe for ' or ’ (grammar fragments SP, APOS).
struct KeywordSpelling {
  std::string_view pattern;
  Kw kw;
};
const std::vector<KeywordSpelling>& keyword_spellings();

// "regle", "rule" → "règle"; "is not set", "non renseigné" → "n'est pas renseigné".
// French truth values stay as written (oui/vrai, faux/non); English ones become
// vrai/faux ("no" → faux, never the ambiguous "non").
std::string canonical_keyword(const Token& token);

// Built-in type names in a type position: text → texte, integer → entier,
// decimal → décimal, boolean/booleen → booléen; any other name unchanged.
std::string canonical_type_name(std::string_view name);

// Built-in function names in a call: count → nombre, label/libellé → libelle,
// rule_name/nom_règle → nom_regle, unrecognised → non_reconnus (the spellings of
// the engine's messages and of the shipped rules); any other name unchanged.
std::string canonical_function_name(std::string_view name);

// The text of a string token, as compiler/syntax unescapes it (\n, \t, \x → x).
std::string unescape_string(std::string_view quoted);
// `text` between double quotes, escaping only \ " newline and tab.
std::string quote_string(std::string_view text);

}  // namespace tamis::format
