#include "compiler/format/cursor.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "compiler/format/spelling.hpp"
#include "support/lang.hpp"

namespace tamis::format {

Cursor::Cursor(std::vector<Token> tokens) : all_(std::move(tokens)) {
  std::vector<std::size_t> pending;  // comments waiting for the next code token
  for (std::size_t i = 0; i < all_.size(); ++i) {
    const Token& t = all_[i];
    if (t.is_comment()) {
      // On the line where the previous code token (or its trailing comments) ended.
      if (!code_.empty() && pending.empty() && t.newlines_before == 0) {
        trivia_.back().trailing.push_back(i);
      } else {
        pending.push_back(i);
      }
      continue;
    }
    code_.push_back(i);
    trivia_.push_back({std::move(pending), {}, false, false, false});
    pending.clear();
  }
  if (code_.empty() || all_[code_.back()].kind != TokKind::End) {
    throw std::runtime_error(tr("jetons sans fin de fichier", "tokens without an end of file"));
  }
}

const Token& Cursor::peek(std::size_t ahead) const {
  const std::size_t i = std::min(pos_ + ahead, code_.size() - 1);
  return all_[code_[i]];
}

bool Cursor::at_kw(Kw kw, std::size_t ahead) const {
  const Token& t = peek(ahead);
  return t.kind == TokKind::Keyword && t.kw == kw;
}

bool Cursor::at_punct(std::string_view p, std::size_t ahead) const {
  const Token& t = peek(ahead);
  return t.kind == TokKind::Punct && t.text == p;
}

std::size_t Cursor::take() {
  if (at_end()) throw std::runtime_error(tr("fin de fichier inattendue", "unexpected end of file"));
  return pos_++;
}

std::size_t Cursor::take(TokKind kind) {
  if (!at(kind)) {
    throw std::runtime_error(
        tr("ligne {} : « {} » inattendu", "line {}: unexpected '{}'", peek().line, peek().text));
  }
  return take();
}

std::size_t Cursor::take_kw(Kw kw) {
  if (!at_kw(kw)) {
    throw std::runtime_error(
        tr("ligne {} : « {} » inattendu", "line {}: unexpected '{}'", peek().line, peek().text));
  }
  return take();
}

std::size_t Cursor::take_punct(std::string_view p) {
  if (!at_punct(p)) {
    throw std::runtime_error(tr("ligne {} : « {} » inattendu, « {} » attendu",
                                "line {}: unexpected '{}', expected '{}'", peek().line, peek().text,
                                p));
  }
  return take();
}

std::string Cursor::spelling(const Token& t) const {
  switch (t.kind) {
    case TokKind::Keyword:
      return canonical_keyword(t);
    case TokKind::String:
      return quote_string(unescape_string(t.text));
    default:
      return t.text;
  }
}

Doc Cursor::comment_text(std::size_t comment) const {
  std::string s = all_[comment].text;
  if (all_[comment].kind == TokKind::LineComment) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  }
  return text(std::move(s));
}

Doc Cursor::comment_run(const std::vector<std::size_t>& comments,
                        std::uint32_t newlines_after) const {
  Doc out;
  for (std::size_t k = 0; k < comments.size(); ++k) {
    append(out, comment_text(comments[k]));
    const std::uint32_t next =
        k + 1 < comments.size() ? all_[comments[k + 1]].newlines_before : newlines_after;
    if (all_[comments[k]].kind == TokKind::LineComment || next >= 1) {
      append(out, next >= 2 ? blankline() : hardline());
    } else {
      append(out, space());
    }
  }
  return out;
}

Doc Cursor::leading(std::size_t index) {
  Trivia& t = trivia_[index];
  if (t.leading_held || t.leading.empty()) return {};
  t.leading_held = true;
  return cat({hardline(), comment_run(t.leading, token(index).newlines_before)});
}

Doc Cursor::trailing_now(std::size_t index) {
  Trivia& t = trivia_[index];
  if (t.trailing_held || t.trailing_done) return {};
  t.trailing_done = true;
  Doc out;
  for (std::size_t c : t.trailing) {
    if (all_[c].kind == TokKind::LineComment) {
      append(out, text("  "));
      append(out, comment_text(c));
      append(out, hardline());
    } else {
      append(out, space());
      append(out, comment_text(c));
    }
  }
  return out;
}

Doc Cursor::tok(std::size_t index) {
  return tok_as(index, spelling(token(index)));
}

Doc Cursor::tok_as(std::size_t index, std::string s) {
  return cat({leading(index), text(std::move(s)), trailing_now(index)});
}

bool Cursor::blank_before(std::size_t index) const {
  const Trivia& t = trivia_[index];
  const Token& first = t.leading.empty() ? token(index) : all_[t.leading.front()];
  return first.newlines_before >= 2;
}

Doc Cursor::item_start(std::size_t index, bool blank) {
  Trivia& t = trivia_[index];
  Doc out;
  if (blank) append(out, blankline());
  if (!t.leading_held && !t.leading.empty()) {
    append(out, comment_run(t.leading, token(index).newlines_before));
  }
  t.leading_held = true;
  return out;
}

void Cursor::hold_trailing(std::size_t index) {
  trivia_[index].trailing_held = true;
}

Doc Cursor::trailing(std::size_t index) {
  trivia_[index].trailing_held = false;
  return trailing_now(index);
}

Doc Cursor::dangling(std::size_t index, bool first_in_block) {
  Trivia& t = trivia_[index];
  if (t.leading_held || t.leading.empty()) return {};
  t.leading_held = true;
  Doc out;
  append(out, hardline());
  if (!first_in_block && all_[t.leading.front()].newlines_before >= 2) append(out, blankline());
  append(out, comment_run(t.leading, 1));
  return out;
}

}  // namespace tamis::format
