#pragma once
// The lexer of the Tamis language, written by hand for speed; grammar/Tamis.g4 (its lexer
// rules) stays the definition. It gives exactly the tokens of the generated ANTLR lexer
// (types, text, line, column, character indices; skipped whitespace and comments), which
// a unit test checks on every rule file of the repository and on random text
// (lexer_check.hpp).
//
// Why: a process lexes its rule files once, so the generated lexer always runs with a
// cold DFA (about 20 M instructions for rules/cop2024, most of it building DFA states,
// and every non-ASCII character was simulated on the ATN), and its ATN had to be
// deserialised when any command started. This one is a single pass over the bytes.
#include <antlr4-runtime.h>

#include <memory>
#include <string>
#include <string_view>

namespace tamis::syntax {

// The tokens of `text` (valid UTF-8, line ends already LF or CRLF) for a
// CommonTokenStream. Owns nothing but its position: `text` must outlive it.
class HandLexer : public antlr4::TokenSource {
 public:
  // A leading UTF-8 byte order mark is no character, as for ANTLRInputStream.
  explicit HandLexer(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  std::unique_ptr<antlr4::Token> nextToken() override;
  std::size_t getLine() const override { return line_; }
  std::size_t getCharPositionInLine() override { return column_; }
  antlr4::CharStream* getInputStream() override { return nullptr; }
  std::string getSourceName() override { return "tamis"; }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

 private:
  // Advances over `bytes` bytes that hold `code_points` characters and no line end.
  void advance(std::size_t bytes, std::size_t code_points) {
    pos_ += bytes;
    index_ += code_points;
    column_ += code_points;
  }
  // Advances over bytes that may hold line ends.
  void advance_over(std::size_t end);

  std::string_view text_;
  std::size_t pos_ = 0;    // byte offset
  std::size_t index_ = 0;  // code point offset (the token indices of ANTLR's char stream)
  std::size_t line_ = 1;
  std::size_t column_ = 0;  // code points since the last LF
};

}  // namespace tamis::syntax
