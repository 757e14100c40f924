// The hand-written lexer: the lexer rules of grammar/Tamis.g4, same tokens as the
// generated lexer (checked by lexer_check.cpp in the unit tests). ANTLR's semantics: at
// each position the longest match of any rule; on equal lengths, the rule written first
// (the grammar's implicit literal tokens, then its lexer rules in order, so a keyword
// before IDENT).
#include "compiler/syntax/lexer.hpp"

#include <TamisLexer.h>

#include <array>
#include <vector>

#include "support/text.hpp"

namespace tamis::syntax {
namespace {

using grammar::TamisLexer;

// ---- characters

bool is_continuation(unsigned char b) {
  return (b & 0xC0u) == 0x80u;
}

// Decodes the code point at `pos` of valid UTF-8; `length` gets its byte length.
char32_t decode(std::string_view s, std::size_t pos, std::size_t& length) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80u) {
    length = 1;
    return b0;
  }
  auto at = [&](std::size_t k) -> char32_t {
    return pos + k < s.size() ? static_cast<unsigned char>(s[pos + k]) & 0x3Fu : 0u;
  };
  if (b0 < 0xE0u) {
    length = 2;
    return (static_cast<char32_t>(b0 & 0x1Fu) << 6) | at(1);
  }
  if (b0 < 0xF0u) {
    length = 3;
    return (static_cast<char32_t>(b0 & 0x0Fu) << 12) | (at(1) << 6) | at(2);
  }
  length = 4;
  return (static_cast<char32_t>(b0 & 0x07u) << 18) | (at(1) << 12) | (at(2) << 6) | at(3);
}

// LETTER of the grammar: Latin, Greek and Cyrillic letters.
bool is_letter(char32_t c) {
  if (c < 0x80u) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return (c >= 0xC0u && c <= 0xD6u) || (c >= 0xD8u && c <= 0xF6u) || (c >= 0xF8u && c <= 0x24Fu) ||
         (c >= 0x1E00u && c <= 0x1EFFu) || c == 0x386u || (c >= 0x388u && c <= 0x38Au) ||
         c == 0x38Cu || (c >= 0x38Eu && c <= 0x3A1u) || (c >= 0x3A3u && c <= 0x3CEu) ||
         (c >= 0x400u && c <= 0x481u) || (c >= 0x48Au && c <= 0x4FFu);
}

bool is_digit(char32_t c) {
  return c >= '0' && c <= '9';
}

// WS of the grammar.
bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0u || c == 0x202Fu ||
         c == 0xFEFFu;
}

// ---- keywords

struct Keyword {
  std::size_t type;
  // The spelling; ' ' stands for SP ([ \t]+) and '\'' for APOS (' or ’).
  std::string_view pattern;
};

// Every alternative of every keyword rule of the grammar, in the grammar's order.
constexpr Keyword kKeywords[] = {
    {TamisLexer::RULESET, "règles"},
    {TamisLexer::RULESET, "regles"},
    {TamisLexer::RULESET, "ruleset"},
    {TamisLexer::EXTENDS, "étend"},
    {TamisLexer::EXTENDS, "etend"},
    {TamisLexer::EXTENDS, "extends"},
    {TamisLexer::EXTEND, "complète"},
    {TamisLexer::EXTEND, "complete"},
    {TamisLexer::EXTEND, "extend"},
    {TamisLexer::REPLACE, "remplace"},
    {TamisLexer::REPLACE, "replace"},
    {TamisLexer::REMOVE, "retire"},
    {TamisLexer::REMOVE, "remove"},
    {TamisLexer::VERSION, "version"},
    {TamisLexer::CODE, "code"},
    {TamisLexer::TEST, "test"},
    {TamisLexer::EXPECT, "attendu"},
    {TamisLexer::EXPECT, "expect"},
    {TamisLexer::BY, "par"},
    {TamisLexer::BY, "by"},
    {TamisLexer::ENUM, "énumération"},
    {TamisLexer::ENUM, "enumeration"},
    {TamisLexer::ENUM, "enum"},
    {TamisLexer::ALIAS, "alias"},
    {TamisLexer::SCHEMA, "schéma"},
    {TamisLexer::SCHEMA, "schema"},
    {TamisLexer::COLUMN, "colonne"},
    {TamisLexer::COLUMN, "column"},
    {TamisLexer::SET_OF, "ensemble de"},
    {TamisLexer::SET_OF, "set of"},
    {TamisLexer::TABLE, "table"},
    {TamisLexer::EMPTY, "vide"},
    {TamisLexer::EMPTY, "empty"},
    {TamisLexer::LET, "soit"},
    {TamisLexer::LET, "let"},
    {TamisLexer::DECISION, "décision"},
    {TamisLexer::DECISION, "decision"},
    {TamisLexer::FIRST, "première"},
    {TamisLexer::FIRST, "premiere"},
    {TamisLexer::FIRST, "first"},
    {TamisLexer::UNIQUE, "unique"},
    {TamisLexer::COLLECT, "toutes"},
    {TamisLexer::COLLECT, "collect"},
    {TamisLexer::RULE, "règle"},
    {TamisLexer::RULE, "regle"},
    {TamisLexer::RULE, "rule"},
    {TamisLexer::IF, "si"},
    {TamisLexer::IF, "if"},
    {TamisLexer::THEN, "alors"},
    {TamisLexer::THEN, "then"},
    {TamisLexer::OTHERWISE, "sinon"},
    {TamisLexer::OTHERWISE, "otherwise"},
    {TamisLexer::BECAUSE, "parce que"},
    {TamisLexer::BECAUSE, "because"},
    {TamisLexer::OUTPUT, "sortie"},
    {TamisLexer::OUTPUT, "output"},
    {TamisLexer::SUMMARY, "synthèse"},
    {TamisLexer::SUMMARY, "synthese"},
    {TamisLexer::SUMMARY, "summary"},
    {TamisLexer::ROWS, "lignes"},
    {TamisLexer::ROWS, "rows"},
    {TamisLexer::COLUMNS, "colonnes"},
    {TamisLexer::COLUMNS, "columns"},
    {TamisLexer::IS_NOT_SET, "n'est pas renseigné"},
    {TamisLexer::IS_NOT_SET, "n'est pas renseigne"},
    {TamisLexer::IS_NOT_SET, "non renseigné"},
    {TamisLexer::IS_NOT_SET, "non renseigne"},
    // Agreed forms (« date_demarrage est renseignée »): FILLED in the grammar.
    {TamisLexer::IS_NOT_SET, "n'est pas renseignée"},
    {TamisLexer::IS_NOT_SET, "n'est pas renseignés"},
    {TamisLexer::IS_NOT_SET, "n'est pas renseignées"},
    {TamisLexer::IS_NOT_SET, "n'est pas renseignee"},
    {TamisLexer::IS_NOT_SET, "n'est pas renseignes"},
    {TamisLexer::IS_NOT_SET, "n'est pas renseignees"},
    {TamisLexer::IS_NOT_SET, "non renseignée"},
    {TamisLexer::IS_NOT_SET, "non renseignés"},
    {TamisLexer::IS_NOT_SET, "non renseignées"},
    {TamisLexer::IS_NOT_SET, "non renseignee"},
    {TamisLexer::IS_NOT_SET, "non renseignes"},
    {TamisLexer::IS_NOT_SET, "non renseignees"},
    {TamisLexer::IS_NOT_SET, "is not set"},
    {TamisLexer::IS_SET, "est renseigné"},
    {TamisLexer::IS_SET, "est renseigne"},
    {TamisLexer::IS_SET, "est renseignée"},
    {TamisLexer::IS_SET, "est renseignés"},
    {TamisLexer::IS_SET, "est renseignées"},
    {TamisLexer::IS_SET, "est renseignee"},
    {TamisLexer::IS_SET, "est renseignes"},
    {TamisLexer::IS_SET, "est renseignees"},
    {TamisLexer::IS_SET, "is set"},
    {TamisLexer::IS_NOT_EMPTY, "n'est pas vide"},
    {TamisLexer::IS_NOT_EMPTY, "non vide"},
    {TamisLexer::IS_NOT_EMPTY, "n'est pas vides"},
    {TamisLexer::IS_NOT_EMPTY, "non vides"},
    {TamisLexer::IS_NOT_EMPTY, "is not empty"},
    {TamisLexer::IS_EMPTY, "est vide"},
    {TamisLexer::IS_EMPTY, "est vides"},
    {TamisLexer::IS_EMPTY, "is empty"},
    {TamisLexer::NOT_IN, "pas dans"},
    {TamisLexer::NOT_IN, "not in"},
    {TamisLexer::DEFAULT, "par défaut"},
    {TamisLexer::DEFAULT, "par defaut"},
    {TamisLexer::DEFAULT, "default"},
    {TamisLexer::IN, "dans"},
    {TamisLexer::IN, "in"},
    {TamisLexer::CONTAINS, "contient"},
    {TamisLexer::CONTAINS, "contains"},
    {TamisLexer::AND, "et"},
    {TamisLexer::AND, "and"},
    {TamisLexer::OR, "ou"},
    {TamisLexer::OR, "or"},
    {TamisLexer::NOT, "non"},
    {TamisLexer::NOT, "not"},
    {TamisLexer::TRUE, "oui"},
    {TamisLexer::TRUE, "vrai"},
    {TamisLexer::TRUE, "true"},
    {TamisLexer::TRUE, "yes"},
    {TamisLexer::FALSE, "faux"},
    {TamisLexer::FALSE, "false"},
    {TamisLexer::FALSE, "no"},
};

// The keywords by their first byte (of UTF-8: `énumération` under 0xC3).
const std::array<std::vector<const Keyword*>, 256>& keywords_by_first_byte() {
  static const auto table = [] {
    std::array<std::vector<const Keyword*>, 256> t;
    for (const auto& k : kKeywords) t[static_cast<unsigned char>(k.pattern[0])].push_back(&k);
    return t;
  }();
  return table;
}

// Byte length of `pattern` matched at `pos`, or 0.
std::size_t match_keyword(std::string_view text, std::size_t pos, std::string_view pattern) {
  std::size_t i = pos;
  for (char p : pattern) {
    if (p == ' ') {  // SP : [ \t]+
      if (i >= text.size() || (text[i] != ' ' && text[i] != '\t')) return 0;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    } else if (p == '\'') {  // APOS : '\'' | '\u2019'
      if (i < text.size() && text[i] == '\'') {
        ++i;
      } else if (text.substr(i, 3) == "\u2019") {
        i += 3;
      } else {
        return 0;
      }
    } else {
      if (i >= text.size() || text[i] != p) return 0;
      ++i;
    }
  }
  return i - pos;
}

// The implicit tokens of the parser rules' literals (T__0…T__15, numbered in the order
// they first appear in the grammar), or 0.
std::size_t punctuation(char c) {
  switch (c) {
    case '{':
      return TamisLexer::T__0;
    case '}':
      return TamisLexer::T__1;
    case ',':
      return TamisLexer::T__2;
    case ':':
      return TamisLexer::T__3;
    case '?':
      return TamisLexer::T__4;
    case '(':
      return TamisLexer::T__5;
    case ')':
      return TamisLexer::T__6;
    case '|':
      return TamisLexer::T__7;
    case '=':
      return TamisLexer::T__8;
    case '<':
      return TamisLexer::T__9;
    case '>':
      return TamisLexer::T__10;
    case '+':
      return TamisLexer::T__11;
    case '-':
      return TamisLexer::T__12;
    case '*':
      return TamisLexer::T__13;
    case '/':
      return TamisLexer::T__14;
    case '.':
      return TamisLexer::T__15;
    default:
      return 0;
  }
}

}  // namespace

void HandLexer::advance_over(std::size_t end) {
  for (; pos_ < end; ++pos_) {
    const auto b = static_cast<unsigned char>(text_[pos_]);
    if (is_continuation(b)) continue;
    ++index_;
    if (b == '\n') {
      ++line_;
      column_ = 0;
    } else {
      ++column_;
    }
  }
}

std::unique_ptr<antlr4::Token> HandLexer::nextToken() {
  const std::string_view s = text_;
  while (true) {
    const std::size_t start = pos_;
    const std::size_t start_index = index_;
    const std::size_t start_line = line_;
    const std::size_t start_column = column_;
    auto make = [&](std::size_t type) {
      auto t = std::make_unique<antlr4::CommonToken>(
          std::pair<antlr4::TokenSource*, antlr4::CharStream*>{this, nullptr}, type,
          antlr4::Token::DEFAULT_CHANNEL, start_index, index_ - 1);
      t->setLine(start_line);
      t->setCharPositionInLine(start_column);
      t->setText(std::string(s.substr(start, pos_ - start)));
      return t;
    };
    if (start >= s.size()) {
      auto t = make(antlr4::Token::EOF);
      t->setText("<EOF>");
      return t;
    }
    std::size_t length = 0;
    const char32_t c = decode(s, start, length);

    if (is_space(c)) {  // WS -> skip
      std::size_t end = start;
      std::size_t n = 0;
      while (end < s.size() && is_space(decode(s, end, n))) end += n;
      advance_over(end);
      continue;
    }
    const char next = start + 1 < s.size() ? s[start + 1] : '\0';
    if (c == '/' && next == '/') {  // LINE_COMMENT -> skip
      std::size_t end = start;
      while (end < s.size() && s[end] != '\n' && s[end] != '\r') ++end;
      advance(end - start, text::count_code_points(s.substr(start, end - start)));
      continue;
    }
    if (c == '/' && next == '*') {
      const std::size_t close = s.find("*/", start + 2);
      if (close != std::string_view::npos) {  // BLOCK_COMMENT -> skip
        advance_over(close + 2);
        continue;
      }
      advance_over(s.size());  // UNTERMINATED_COMMENT: to the end of the file
      return make(TamisLexer::UNTERMINATED_COMMENT);
    }
    if (c == '"') {  // STRING, or UNTERMINATED_STRING at a line end or the end of the file
      std::size_t i = start + 1;
      while (i < s.size()) {
        const char b = s[i];
        if (b == '"') {
          advance_over(i + 1);
          return make(TamisLexer::STRING);
        }
        if (b == '\r' || b == '\n') break;
        if (b == '\\') {
          if (i + 1 >= s.size()) break;  // `'\\' .` needs a character after it
          std::size_t n = 0;
          decode(s, i + 1, n);
          i += 1 + n;  // the escaped character may be a line end
          continue;
        }
        ++i;
      }
      advance_over(i);
      return make(TamisLexer::UNTERMINATED_STRING);
    }
    if (is_digit(c)) {  // DATE, DECIMAL, INTEGER
      auto digits = [&](std::size_t from) {
        std::size_t i = from;
        while (i < s.size() && is_digit(static_cast<unsigned char>(s[i]))) ++i;
        return i - from;
      };
      auto digit_at = [&](std::size_t i) {
        return i < s.size() && is_digit(static_cast<unsigned char>(s[i]));
      };
      const std::size_t integer = digits(start);
      std::size_t end = start + integer;
      std::size_t type = TamisLexer::INTEGER;
      if (integer == 4 && start + 10 <= s.size() && s[start + 4] == '-' && digit_at(start + 5) &&
          digit_at(start + 6) && s[start + 7] == '-' && digit_at(start + 8) &&
          digit_at(start + 9)) {
        end = start + 10;  // [0-9]{4} '-' [0-9]{2} '-' [0-9]{2}: longer than any number here
        type = TamisLexer::DATE;
      } else if (end < s.size() && s[end] == '.' && digit_at(end + 1)) {
        end = end + 1 + digits(end + 1);
        type = TamisLexer::DECIMAL;
      }
      advance(end - start, end - start);
      return make(type);
    }
    // Operators of two characters, or of one non-ASCII character.
    std::size_t two = 0;
    if (c == '<' && next == '=') two = TamisLexer::LE;
    if (c == '<' && next == '>') two = TamisLexer::NEQ;
    if (c == '>' && next == '=') two = TamisLexer::GE;
    if (c == '!' && next == '=') two = TamisLexer::NEQ;
    if (two != 0) {
      advance(2, 2);
      return make(two);
    }
    if (c == 0x2260u || c == 0x2264u || c == 0x2265u) {  // ≠ ≤ ≥
      advance(length, 1);
      return make(c == 0x2260u ? TamisLexer::NEQ : c == 0x2264u ? TamisLexer::LE : TamisLexer::GE);
    }
    if (c < 0x80u) {
      if (const std::size_t type = punctuation(static_cast<char>(c)); type != 0) {
        advance(1, 1);
        return make(type);
      }
    }
    if (is_letter(c) || c == '_') {  // the longest of IDENT and the keywords; a keyword on a tie
      std::size_t end = start + length;
      std::size_t code_points = 1;
      std::size_t n = 0;
      while (end < s.size()) {
        const char32_t d = decode(s, end, n);
        if (!is_letter(d) && !is_digit(d) && d != '_') break;
        end += n;
        ++code_points;
      }
      std::size_t type = TamisLexer::IDENT;
      std::size_t best = end - start;
      for (const Keyword* k : keywords_by_first_byte()[static_cast<unsigned char>(s[start])]) {
        const std::size_t m = match_keyword(s, start, k->pattern);
        // Longer wins; on a tie the rule written first (lower type; IDENT comes after).
        if (m > best || (m == best && m != 0 && k->type < type)) {
          best = m;
          type = k->type;
        }
      }
      if (type == TamisLexer::IDENT) {
        advance(best, code_points);
      } else {
        advance(best, text::count_code_points(s.substr(start, best)));
      }
      return make(type);
    }
    advance(length, 1);  // ERROR_CHAR: any other character
    return make(TamisLexer::ERROR_CHAR);
  }
}

}  // namespace tamis::syntax
