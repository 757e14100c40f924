#pragma once
// Walks the code tokens of a file for the layout, and turns each into a Doc with
// its canonical spelling and the comments around it, so that no comment is lost.
//
// Comments are attached by position: a comment on the line where a token ends is
// a trailing comment of that token; any other comment leads the next token (the
// End token for the comments that close a file). A construct that starts a line
// (a declaration, a block item) prints its first token's leading comments on
// their own lines before it (item_start); one that ends a line prints its last
// token's trailing comments after it (trailing), outside any group, so that a
// comment at the end of a line never forces that line to break.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/format/doc.hpp"
#include "compiler/format/token.hpp"

namespace tamis::format {

class Cursor {
 public:
  explicit Cursor(std::vector<Token> tokens);

  // Code tokens (comments excluded), by index.
  const Token& token(std::size_t index) const { return all_[code_[index]]; }
  std::size_t position() const { return pos_; }
  const Token& peek(std::size_t ahead = 0) const;
  bool at(TokKind kind, std::size_t ahead = 0) const { return peek(ahead).kind == kind; }
  bool at_kw(Kw kw, std::size_t ahead = 0) const;
  bool at_punct(std::string_view p, std::size_t ahead = 0) const;
  bool at_end() const { return at(TokKind::End); }

  // Consume one token and return its index; the typed forms throw
  // std::runtime_error when the token is not the expected one.
  std::size_t take();
  std::size_t take(TokKind kind);
  std::size_t take_kw(Kw kw);
  std::size_t take_punct(std::string_view p);

  // The token in its canonical spelling with its comments.
  Doc tok(std::size_t index);
  // The same with another spelling (built-in type and function names).
  Doc tok_as(std::size_t index, std::string spelling);

  // Whether an item starting at `index` had a blank line before it (before its comments).
  bool blank_before(std::size_t index) const;
  // Leading comments of `index` on their own lines, after a blank line if `blank`.
  // The token's own tok() then prints no leading comment.
  Doc item_start(std::size_t index, bool blank);
  // Keeps the trailing comments of `index` for a later trailing() call, which
  // prints them (once, whoever calls it first).
  void hold_trailing(std::size_t index);
  Doc trailing(std::size_t index);
  // The comments before a closing token (`}`, `)`, end of file), printed as the last
  // items of the block, before the line break that precedes the closing token.
  Doc dangling(std::size_t index, bool first_in_block);
  bool has_leading(std::size_t index) const { return !trivia_[index].leading.empty(); }

 private:
  struct Trivia {
    std::vector<std::size_t> leading;  // indices into all_
    std::vector<std::size_t> trailing;
    bool leading_held = false;
    bool trailing_held = false;
    bool trailing_done = false;  // printed already: a token's comments are printed once
  };

  std::string spelling(const Token& t) const;
  Doc comment_text(std::size_t comment) const;
  // The comments, each followed by what separated it from the next thing.
  Doc comment_run(const std::vector<std::size_t>& comments, std::uint32_t newlines_after) const;
  Doc leading(std::size_t index);
  Doc trailing_now(std::size_t index);

  std::vector<Token> all_;
  std::vector<std::size_t> code_;
  std::vector<Trivia> trivia_;
  std::size_t pos_ = 0;
};

}  // namespace tamis::format
