#include "compiler/format/lexer.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "compiler/format/spelling.hpp"
#include "support/lang.hpp"

namespace tamis::format {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Byte length of the UTF-8 sequence starting at `s[i]` (1 for ASCII).
std::size_t sequence_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  return std::min(n, s.size() - i);
}

// Non-ASCII characters that are not letters for the grammar.
bool is_special(std::string_view s, std::size_t i) {
  const std::string_view c = s.substr(i, sequence_length(s, i));
  return c == "≠" || c == "≤" || c == "≥" || c == "’" || c == "\u00A0" || c == "\u202F" ||
         c == "\uFEFF";
}

// [\p{L}\p{N}_]: in a file the parser accepted, any other non-ASCII character
// outside strings and comments is a letter of a name.
bool is_name_char(std::string_view s, std::size_t i, bool first) {
  const char c = s[i];
  if (static_cast<unsigned char>(c) >= 0x80) return !is_special(s, i);
  return is_ascii_letter(c) || c == '_' || (!first && is_digit(c));
}

std::size_t match_name(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && is_name_char(s, j, j == i)) j += sequence_length(s, j);
  return j - i;
}

// Length of `pattern` (a keyword spelling) matched at `s[i]`, or 0.
std::size_t match_keyword(std::string_view s, std::size_t i, std::string_view pattern) {
  std::size_t j = i;
  for (std::size_t p = 0; p < pattern.size();) {
    if (pattern[p] == ' ') {
      const std::size_t start = j;
      while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
      if (j == start) return 0;
      ++p;
    } else if (pattern[p] == '\'') {
      if (s.substr(j, 1) == "'") {
        j += 1;
      } else if (s.substr(j, 3) == "’") {
        j += 3;
      } else {
        return 0;
      }
      ++p;
    } else {
      if (j >= s.size() || s[j] != pattern[p]) return 0;
      ++j;
      ++p;
    }
  }
  return j - i;
}

std::size_t count_digits(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && is_digit(s[j])) ++j;
  return j - i;
}

}  // namespace

std::vector<Token> lex(std::string_view s) {
  std::vector<Token> tokens;
  std::uint32_t line = 1;
  std::uint32_t newlines = 0;
  std::size_t i = 0;
  auto push = [&](TokKind kind, std::size_t length, Kw kw = Kw::None) {
    Token t;
    t.kind = kind;
    t.kw = kw;
    t.text = std::string(s.substr(i, length));
    t.line = line;
    t.newlines_before = newlines;
    for (char c : t.text) line += c == '\n';
    tokens.push_back(std::move(t));
    newlines = 0;
    i += length;
  };
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\n') {
      ++line;
      ++newlines;
      ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (s.substr(i, 2) == "\u00A0" || s.substr(i, 3) == "\u202F" || s.substr(i, 3) == "\uFEFF") {
      i += sequence_length(s, i);
      continue;
    }
    if (s.substr(i, 2) == "//") {
      std::size_t j = i;
      while (j < s.size() && s[j] != '\n' && s[j] != '\r') ++j;
      push(TokKind::LineComment, j - i);
      continue;
    }
    if (s.substr(i, 2) == "/*") {
      const std::size_t end = s.find("*/", i + 2);
      if (end == std::string_view::npos)
        throw std::runtime_error(tr("commentaire « /* » non fermé", "unterminated /* comment"));
      push(TokKind::BlockComment, end + 2 - i);
      continue;
    }
    if (c == '"') {
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != '"') {
        if (s[j] == '\n' || s[j] == '\r')
          throw std::runtime_error(tr("texte non fermé", "unterminated string"));
        j += s[j] == '\\' ? 1 + sequence_length(s, std::min(j + 1, s.size() - 1)) : 1;
      }
      if (j >= s.size()) throw std::runtime_error(tr("texte non fermé", "unterminated string"));
      push(TokKind::String, j + 1 - i);
      continue;
    }
    if (is_digit(c)) {
      const std::size_t digits = count_digits(s, i);
      // DATE : [0-9]{4} '-' [0-9]{2} '-' [0-9]{2}, longer than the integer it starts with.
      if (digits == 4 && s.size() >= i + 10 && s[i + 4] == '-' && count_digits(s, i + 5) >= 2 &&
          s[i + 7] == '-' && count_digits(s, i + 8) >= 2) {
        push(TokKind::Date, 10);
      } else if (i + digits < s.size() && s[i + digits] == '.' &&
                 count_digits(s, i + digits + 1) > 0) {
        push(TokKind::Decimal, digits + 1 + count_digits(s, i + digits + 1));
      } else {
        push(TokKind::Integer, digits);
      }
      continue;
    }
    // Keywords and names: the longest match wins; a keyword wins a tie.
    std::size_t best = match_name(s, i);
    Kw best_kw = Kw::None;
    for (const auto& k : keyword_spellings()) {
      const std::size_t n = match_keyword(s, i, k.pattern);
      if (n > 0 && (n > best || (n == best && best_kw == Kw::None))) {
        best = n;
        best_kw = k.kw;
      }
    }
    if (best > 0) {
      push(best_kw == Kw::None ? TokKind::Ident : TokKind::Keyword, best, best_kw);
      continue;
    }
    static constexpr std::string_view kLong[] = {"≠", "≤", "≥", "!=", "<>", "<=", ">="};
    bool matched = false;
    for (std::string_view p : kLong) {
      if (s.substr(i, p.size()) == p) {
        push(TokKind::Punct, p.size());
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if (std::string_view("{}(),:=|.?*/+-<>").find(c) != std::string_view::npos) {
      push(TokKind::Punct, 1);
      continue;
    }
    throw std::runtime_error(
        tr("caractère inattendu ligne {}", "unexpected character line {}", line));
  }
  Token end;
  end.kind = TokKind::End;
  end.line = line;
  end.newlines_before = newlines;
  tokens.push_back(std::move(end));
  return tokens;
}

}  // namespace tamis::format
