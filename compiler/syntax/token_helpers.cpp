// Facts about single tokens, shared by the front end's passes (token_helpers.hpp).
#include "compiler/syntax/token_helpers.hpp"

#include <TamisLexer.h>

#include <algorithm>

#include "compiler/syntax/keywords.hpp"
#include "support/lang.hpp"
#include "support/text.hpp"

namespace tamis::syntax {

using grammar::TamisLexer;

std::uint32_t u32(std::size_t v) {
  return static_cast<std::uint32_t>(v);
}

SourceRange token_range(FileId file, const antlr4::Token* t) {
  if (t == nullptr) return {};
  const auto line = u32(t->getLine());
  const auto column = u32(t->getCharPositionInLine() + 1);
  std::size_t length = 1;
  if (t->getType() != antlr4::Token::EOF) {
    // The input stream holds code points: the indices count characters, as columns do
    // (no copy of the text). Tokens made up by error recovery have no indices.
    const std::size_t start = t->getStartIndex();
    const std::size_t stop = t->getStopIndex();
    if (start != INVALID_INDEX && stop != INVALID_INDEX && stop >= start) {
      length = stop - start + 1;
    } else {
      length = std::max<std::size_t>(1, text::count_code_points(t->getText()));
    }
  }
  return {file, line, column, line, u32(column + length - 1)};
}

SourceRange context_range(FileId file, antlr4::ParserRuleContext* ctx) {
  SourceRange r = token_range(file, ctx->getStart());
  const auto* stop = ctx->getStop();
  if (stop != nullptr && stop->getTokenIndex() >= ctx->getStart()->getTokenIndex()) {
    const SourceRange end = token_range(file, stop);
    r.end_line = end.end_line;
    r.end_column = end.end_column;
  }
  return r;
}

// Token text for messages: short, quoted the French way, control characters hidden.
std::string quote_token(const antlr4::Token* t) {
  if (t == nullptr || t->getType() == antlr4::Token::EOF)
    return tr("la fin du fichier", "the end of the file");
  std::string s = t->getText();
  if (text::count_code_points(s) > 40) s = s.substr(0, 40) + "…";
  return quote_word(s);
}

// Whether a token can start an operand of an expression.
bool starts_operand(const antlr4::Token* t) {
  switch (t->getType()) {
    case TamisLexer::IDENT:
    case TamisLexer::STRING:
    case TamisLexer::INTEGER:
    case TamisLexer::DECIMAL:
    case TamisLexer::DATE:
    case TamisLexer::TRUE:
    case TamisLexer::FALSE:
    case TamisLexer::NOT:
      return true;
    default: {
      const std::string s = t->getText();
      return s == "(" || s == "{" || s == "-";
    }
  }
}

// A single-word keyword an author may mean as a name (`test`, `table`, `code`, `version`,
// `colonne`…): not the operators and the yes/no values, which nobody names a field.
bool name_like_keyword(const antlr4::Token* t) {
  switch (t->getType()) {
    case TamisLexer::RULESET:
    case TamisLexer::EXTENDS:
    case TamisLexer::EXTEND:
    case TamisLexer::REPLACE:
    case TamisLexer::REMOVE:
    case TamisLexer::VERSION:
    case TamisLexer::CODE:
    case TamisLexer::TEST:
    case TamisLexer::EXPECT:
    case TamisLexer::ENUM:
    case TamisLexer::ALIAS:
    case TamisLexer::SCHEMA:
    case TamisLexer::COLUMN:
    case TamisLexer::TABLE:
    case TamisLexer::LET:
    case TamisLexer::DECISION:
    case TamisLexer::FIRST:
    case TamisLexer::UNIQUE:
    case TamisLexer::COLLECT:
    case TamisLexer::RULE:
    case TamisLexer::OUTPUT:
    case TamisLexer::SUMMARY:
    case TamisLexer::ROWS:
    case TamisLexer::COLUMNS:
      return true;
    default:
      return false;
  }
}

// Whether an operand must come after `t` (`et`, `ou`, `non`, `si`, `alors`, `=`, `<`, `(`…):
// a keyword there stands for a name.
bool operand_follows(const antlr4::Token* t) {
  switch (t->getType()) {
    case TamisLexer::AND:
    case TamisLexer::OR:
    case TamisLexer::NOT:
    case TamisLexer::IF:
    case TamisLexer::THEN:
    case TamisLexer::IN:
    case TamisLexer::NOT_IN:
    case TamisLexer::CONTAINS:
    case TamisLexer::DEFAULT:
    case TamisLexer::NEQ:
    case TamisLexer::LE:
    case TamisLexer::GE:
      return true;
    default: {
      const std::string s = t->getText();
      return s == "=" || s == "<" || s == ">" || s == "+" || s == "-" || s == "*" || s == "/" ||
             s == "(" || s == ",";
    }
  }
}

// `si a et test`: a name-like keyword where an operand goes, on its operator's line.
bool keyword_as_operand(const antlr4::Token* before, const antlr4::Token* keyword) {
  return name_like_keyword(keyword) && before != nullptr &&
         before->getLine() == keyword->getLine() && operand_follows(before);
}

std::string reserved_word_hint(const antlr4::Token* keyword) {
  return tr(
      "« {} » est un mot réservé du langage et ne peut pas servir de nom : renommez ce que vous "
      "appelez ainsi (par exemple « {}_1 ») ou, pour un libellé, mettez-le entre guillemets",
      "'{}' is a reserved word of the language and cannot be a name: rename what you call so "
      "(for example '{}_1') or, for a label, put it between quotes",
      keyword->getText(), keyword->getText());
}

// `Si`, `ET`, `Non`: a keyword written with capitals (a name, for the lexer). Returns the
// keyword, or nothing.
std::optional<std::string> capitalised_keyword(const antlr4::Token* t) {
  if (t == nullptr || t->getType() != TamisLexer::IDENT) return std::nullopt;
  const std::string& word = t->getText();
  if (std::none_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return std::nullopt;
  }
  auto kw = closest_keyword(word);
  if (!kw || text::label_distance(word, *kw) > 0) return std::nullopt;
  return kw;
}

std::string lower_case_keyword_hint(const std::string& keyword) {
  return tr("les mots-clés s'écrivent en minuscules : « {} »",
            "keywords are written in lower case: '{}'", keyword);
}

}  // namespace tamis::syntax
