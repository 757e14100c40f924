#include "compiler/syntax/keywords.hpp"

#include <TamisLexer.h>
#include <antlr4-runtime.h>

#include <fmt/format.h>
#include <map>

#include "support/lang.hpp"
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

// Every keyword also has an English spelling: with --lang en, messages show it.
const std::vector<std::string>& english_keywords() {
  static const std::vector<std::string> words = {
      "ruleset", "version", "enumeration", "enum",      "alias",  "schema",  "column",
      "table",   "empty",   "let",         "decision",  "first",  "unique",  "collect",
      "rule",    "if",      "then",        "otherwise", "output", "summary", "rows",
      "columns", "in",      "contains",    "and",       "or",     "not",     "true",
      "false",   "extends", "extend",      "replace",   "remove", "expect",  "because"};
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

const std::map<std::string, std::string, std::less<>>& english_spellings() {
  static const std::map<std::string, std::string, std::less<>> spellings = {
      {"RULESET", "ruleset"},
      {"EXTENDS", "extends"},
      {"EXTEND", "extend"},
      {"REPLACE", "replace"},
      {"REMOVE", "remove"},
      {"VERSION", "version"},
      {"CODE", "code"},
      {"TEST", "test"},
      {"EXPECT", "expect"},
      {"BY", "by"},
      {"ENUM", "enumeration"},
      {"ALIAS", "alias"},
      {"SCHEMA", "schema"},
      {"COLUMN", "column"},
      {"TABLE", "table"},
      {"EMPTY", "empty"},
      {"LET", "let"},
      {"DECISION", "decision"},
      {"FIRST", "first"},
      {"UNIQUE", "unique"},
      {"COLLECT", "collect"},
      {"RULE", "rule"},
      {"IF", "if"},
      {"THEN", "then"},
      {"OTHERWISE", "otherwise"},
      {"OUTPUT", "output"},
      {"SUMMARY", "summary"},
      {"ROWS", "rows"},
      {"COLUMNS", "columns"},
      {"IN", "in"},
      {"CONTAINS", "contains"},
      {"AND", "and"},
      {"OR", "or"},
      {"NOT", "not"},
      {"TRUE", "true"},
      {"FALSE", "false"},
      {"NEQ", "≠"},
      {"LE", "≤"},
      {"GE", "≥"}};
  return spellings;
}

}  // namespace

std::string describe_token_type(std::size_t type, const antlr4::dfa::Vocabulary& vocabulary) {
  switch (type) {
    case TamisLexer::IDENT:
      return tr("un nom", "a name");
    case TamisLexer::STRING:
      return tr("un texte entre guillemets", "a text between quotes");
    case TamisLexer::INTEGER:
      return tr("un entier", "an integer");
    case TamisLexer::DECIMAL:
      return tr("un nombre décimal", "a decimal number");
    case TamisLexer::DATE:
      return tr("une date", "a date");
    case TamisLexer::SET_OF:
      return quote_word(tr("ensemble de", "set of"));
    case TamisLexer::IS_SET:
      return quote_word(tr("est renseigné", "is set"));
    case TamisLexer::IS_NOT_SET:
      return quote_word(tr("n'est pas renseigné", "is not set"));
    case TamisLexer::IS_EMPTY:
      return quote_word(tr("est vide", "is empty"));
    case TamisLexer::IS_NOT_EMPTY:
      return quote_word(tr("n'est pas vide", "is not empty"));
    case TamisLexer::NOT_IN:
      return quote_word(tr("pas dans", "not in"));
    case TamisLexer::DEFAULT:
      return quote_word(tr("par défaut", "default"));
    case TamisLexer::BECAUSE:
      return quote_word(tr("parce que", "because"));
    case static_cast<std::size_t>(-1):  // antlr4::Token::EOF
      return tr("la fin du fichier", "the end of the file");
    default:
      break;
  }
  const auto& spellings = current_lang() == Lang::En ? english_spellings() : french_spellings();
  if (auto it = spellings.find(vocabulary.getSymbolicName(type)); it != spellings.end()) {
    return quote_word(it->second);
  }
  std::string literal = vocabulary.getLiteralName(type);
  if (literal.size() >= 2 && literal.front() == '\'')
    literal = literal.substr(1, literal.size() - 2);
  if (literal.empty()) literal = vocabulary.getSymbolicName(type);
  return quote_word(literal);
}

std::string quote_word(std::string_view word) {
  return tr("« {} »", "'{}'", word);
}

std::optional<std::string> closest_keyword(std::string_view word) {
  std::vector<std::string> keywords = french_keywords();
  if (current_lang() == Lang::En) {  // French first: ties go to the French spelling
    keywords.insert(keywords.end(), english_keywords().begin(), english_keywords().end());
  }
  auto match = text::closest_match(word, keywords);
  // A word of one or two letters is one typo away from too many keywords ("en" is
  // not "et"): suggest only when it differs by case or accents ("ET", "où").
  if (match && text::count_code_points(word) < 3 && text::label_distance(word, *match) > 0) {
    return std::nullopt;
  }
  return match;
}

}  // namespace tamis::syntax
