#include "compiler/syntax/keywords.hpp"

#include <TamisLexer.h>
#include <antlr4-runtime.h>

#include <fmt/format.h>
#include <map>

#include "support/text.hpp"

namespace tamis::syntax {

using grammar::TamisLexer;

namespace {

const std::vector<std::string>& french_keywords() {
  static const std::vector<std::string> words = {
      "règles", "version",  "énumération", "alias",    "schéma",   "colonne", "table",
      "vide",   "soit",     "décision",    "première", "unique",   "toutes",  "règle",
      "si",     "alors",    "sinon",       "sortie",   "synthèse", "lignes",  "colonnes",
      "dans",   "contient", "et",          "ou",       "non",      "oui",     "faux"};
  return words;
}

// Keywords with several spellings have no literal name in the grammar: messages show
// the French spelling, never the grammar's symbol ("THEN"). Keyed by symbol, so a new
// keyword only needs a line here.
const std::map<std::string, std::string, std::less<>>& french_spellings() {
  static const std::map<std::string, std::string, std::less<>> spellings = {
      {"RULESET", "règles"},
      {"EXTENDS", "étend"},
      {"EXTEND", "complète"},
      {"REPLACE", "remplace"},
      {"REMOVE", "retire"},
      {"VERSION", "version"},
      {"CODE", "code"},
      {"TEST", "test"},
      {"EXPECT", "attendu"},
      {"BY", "par"},
      {"ENUM", "énumération"},
      {"ALIAS", "alias"},
      {"SCHEMA", "schéma"},
      {"COLUMN", "colonne"},
      {"TABLE", "table"},
      {"EMPTY", "vide"},
      {"LET", "soit"},
      {"DECISION", "décision"},
      {"FIRST", "première"},
      {"UNIQUE", "unique"},
      {"COLLECT", "toutes"},
      {"RULE", "règle"},
      {"IF", "si"},
      {"THEN", "alors"},
      {"OTHERWISE", "sinon"},
      {"OUTPUT", "sortie"},
      {"SUMMARY", "synthèse"},
      {"ROWS", "lignes"},
      {"COLUMNS", "colonnes"},
      {"IN", "dans"},
      {"CONTAINS", "contient"},
      {"AND", "et"},
      {"OR", "ou"},
      {"NOT", "non"},
      {"TRUE", "oui"},
      {"FALSE", "faux"},
      {"NEQ", "≠"},
      {"LE", "≤"},
      {"GE", "≥"}};
  return spellings;
}

}  // namespace

std::string describe_token_type(std::size_t type, const antlr4::dfa::Vocabulary& vocabulary) {
  switch (type) {
    case TamisLexer::IDENT:
      return "un nom";
    case TamisLexer::STRING:
      return "un texte entre guillemets";
    case TamisLexer::INTEGER:
      return "un entier";
    case TamisLexer::DECIMAL:
      return "un nombre décimal";
    case TamisLexer::DATE:
      return "une date";
    case TamisLexer::SET_OF:
      return "« ensemble de »";
    case TamisLexer::IS_SET:
      return "« est renseigné »";
    case TamisLexer::IS_NOT_SET:
      return "« n'est pas renseigné »";
    case TamisLexer::IS_EMPTY:
      return "« est vide »";
    case TamisLexer::IS_NOT_EMPTY:
      return "« n'est pas vide »";
    case TamisLexer::NOT_IN:
      return "« pas dans »";
    case TamisLexer::DEFAULT:
      return "« par défaut »";
    case TamisLexer::BECAUSE:
      return "« parce que »";
    case static_cast<std::size_t>(-1):  // antlr4::Token::EOF
      return "la fin du fichier";
    default:
      break;
  }
  if (auto it = french_spellings().find(vocabulary.getSymbolicName(type));
      it != french_spellings().end()) {
    return fmt::format("« {} »", it->second);
  }
  std::string literal = vocabulary.getLiteralName(type);
  if (literal.size() >= 2 && literal.front() == '\'')
    literal = literal.substr(1, literal.size() - 2);
  if (literal.empty()) literal = vocabulary.getSymbolicName(type);
  return fmt::format("« {} »", literal);
}

std::optional<std::string> closest_keyword(std::string_view word) {
  auto match = text::closest_match(word, french_keywords());
  // A word of one or two letters is one typo away from too many keywords ("en" is
  // not "et"): suggest only when it differs by case or accents ("ET", "où").
  if (match && text::count_code_points(word) < 3 && text::label_distance(word, *match) > 0) {
    return std::nullopt;
  }
  return match;
}

}  // namespace tamis::syntax
