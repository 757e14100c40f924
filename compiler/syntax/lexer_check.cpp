// The differential check of the hand-written lexer against the generated one (tests only:
// nothing of the tamis executable calls it, so the generated lexer and its ATN stay out).
#include "compiler/syntax/lexer_check.hpp"

#include <TamisLexer.h>
#include <antlr4-runtime.h>

#include <fmt/format.h>

#include "compiler/syntax/lexer.hpp"

namespace tamis::syntax {

std::string lexer_differences(const std::string& text) {
  antlr4::ANTLRInputStream input(text);
  grammar::TamisLexer generated(&input);
  generated.removeErrorListeners();
  HandLexer hand(text);
  auto describe = [](const antlr4::Token& t) {
    return fmt::format("type {} « {} » line {} column {} chars {}..{}", t.getType(), t.getText(),
                       t.getLine(), t.getCharPositionInLine(), t.getStartIndex(), t.getStopIndex());
  };
  for (std::size_t i = 0;; ++i) {
    const auto expected = generated.nextToken();
    const auto got = hand.nextToken();
    if (expected->getType() != got->getType() ||
        (expected->getType() != antlr4::Token::EOF && expected->getText() != got->getText()) ||
        expected->getLine() != got->getLine() ||
        expected->getCharPositionInLine() != got->getCharPositionInLine() ||
        expected->getStartIndex() != got->getStartIndex() ||
        expected->getStopIndex() != got->getStopIndex()) {
      return fmt::format("token {}: ANTLR {}, hand-written {}", i, describe(*expected),
                         describe(*got));
    }
    if (expected->getType() == antlr4::Token::EOF) return {};
  }
}

}  // namespace tamis::syntax
