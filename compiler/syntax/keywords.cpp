#include "compiler/syntax/keywords.hpp"

#include <TamisLexer.h>
#include <antlr4-runtime.h>

#include <fmt/format.h>

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
    // Keywords with several spellings have no literal name: show the French one,
    // never the grammar's symbol ("THEN").
    case TamisLexer::RULESET:
      return "« règles »";
    case TamisLexer::VERSION:
      return "« version »";
    case TamisLexer::ENUM:
      return "« énumération »";
    case TamisLexer::ALIAS:
      return "« alias »";
    case TamisLexer::SCHEMA:
      return "« schéma »";
    case TamisLexer::COLUMN:
      return "« colonne »";
    case TamisLexer::TABLE:
      return "« table »";
    case TamisLexer::EMPTY:
      return "« vide »";
    case TamisLexer::LET:
      return "« soit »";
    case TamisLexer::DECISION:
      return "« décision »";
    case TamisLexer::FIRST:
      return "« première »";
    case TamisLexer::UNIQUE:
      return "« unique »";
    case TamisLexer::COLLECT:
      return "« toutes »";
    case TamisLexer::RULE:
      return "« règle »";
    case TamisLexer::IF:
      return "« si »";
    case TamisLexer::THEN:
      return "« alors »";
    case TamisLexer::OTHERWISE:
      return "« sinon »";
    case TamisLexer::OUTPUT:
      return "« sortie »";
    case TamisLexer::SUMMARY:
      return "« synthèse »";
    case TamisLexer::ROWS:
      return "« lignes »";
    case TamisLexer::COLUMNS:
      return "« colonnes »";
    case TamisLexer::IN:
      return "« dans »";
    case TamisLexer::CONTAINS:
      return "« contient »";
    case TamisLexer::AND:
      return "« et »";
    case TamisLexer::OR:
      return "« ou »";
    case TamisLexer::NOT:
      return "« non »";
    case TamisLexer::TRUE:
      return "« oui »";
    case TamisLexer::FALSE:
      return "« faux »";
    case TamisLexer::NEQ:
      return "« ≠ »";
    case TamisLexer::LE:
      return "« ≤ »";
    case TamisLexer::GE:
      return "« ≥ »";
    case static_cast<std::size_t>(-1):  // antlr4::Token::EOF
      return "la fin du fichier";
    default:
      break;
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
