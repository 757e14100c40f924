// The token passes before the parser (token_passes.hpp).
#include "compiler/syntax/token_passes.hpp"

#include <TamisLexer.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>

#include "compiler/syntax/token_helpers.hpp"
#include "support/lang.hpp"

namespace tamis::syntax {

using grammar::TamisLexer;

// `non` is the operator when an operand follows it (`non mature`), and otherwise the
// boolean false (`impact = non`, as the exports write it): each `non` followed by no
// operand becomes a FALSE token, and so does, directly in a `sortie { … }` block, one
// followed by a name and `=`, which start the next column (`"a" = non  "b" = x`), as
// ANTLR read it. Decided here on the next tokens, the parser has no choice left that
// needs more than one; left to the parser, where a name may start both the operand and
// the next column, ANTLR looked ahead to the end of such chains: minutes on a thousand
// `non a =`.
void read_bare_non(antlr4::CommonTokenStream& tokens) {
  const auto& all = tokens.getTokens();
  std::size_t output_depth = 0;  // brackets open in a `sortie` block (0: outside one)
  for (std::size_t i = 0; i + 1 < all.size(); ++i) {
    const antlr4::Token* t = all[i];
    const std::string text = t->getText();
    if (t->getType() == TamisLexer::OUTPUT && all[i + 1]->getText() == "{") {
      output_depth = 1;
      ++i;
      continue;
    }
    if (output_depth > 0 && (text == "(" || text == "{")) ++output_depth;
    if (output_depth > 0 && (text == ")" || text == "}")) --output_depth;
    if (t->getType() != TamisLexer::NOT) continue;
    const antlr4::Token* next = all[i + 1];
    const bool next_column =
        output_depth == 1 && i + 2 < all.size() &&
        (next->getType() == TamisLexer::STRING || next->getType() == TamisLexer::IDENT) &&
        all[i + 2]->getText() == "=";
    if (starts_operand(next) && !next_column) continue;
    if (auto* token = dynamic_cast<antlr4::WritableToken*>(all[i])) {
      token->setType(TamisLexer::FALSE);
    }
  }
}

// `Si`, `ALORS`, `Sinon`: a keyword of a rule written with capitals. It is reported here and
// read as the keyword, so that the rest of the rule parses: left a name, it threw the parser
// out of the rule (`« alors » inattendu ici` on the next line). Only these words, which no
// one uses as names, and never where a name is declared (`soit Si =`, `Si : texte`); `Non`,
// `Et` or `Règle` may be values of an enumeration (they get a hint, see capitalised_keyword).
void read_capitalised_keywords(FileId file, antlr4::CommonTokenStream& tokens,
                               DiagnosticSink& sink) {
  static const std::pair<std::string_view, std::size_t> kFraming[] = {
      {"si", TamisLexer::IF},           {"if", TamisLexer::IF},
      {"alors", TamisLexer::THEN},      {"then", TamisLexer::THEN},
      {"sinon", TamisLexer::OTHERWISE}, {"otherwise", TamisLexer::OTHERWISE}};
  const auto& all = tokens.getTokens();
  // Names this file declares (`soit Si =`, a field or column `Si :`), which stay names.
  std::set<std::string> declared;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i]->getType() != TamisLexer::IDENT) continue;
    if ((i > 0 && all[i - 1]->getType() == TamisLexer::LET) ||
        (i + 1 < all.size() && (all[i + 1]->getText() == ":" || all[i + 1]->getText() == "="))) {
      declared.insert(all[i]->getText());
    }
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    antlr4::Token* t = all[i];
    if (t->getType() != TamisLexer::IDENT || declared.count(t->getText()) > 0) continue;
    std::string lower = t->getText();
    if (std::none_of(lower.begin(), lower.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
      continue;
    for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    for (const auto& [word, type] : kFraming) {
      if (lower != word) continue;
      sink.error("E0001", token_range(file, t),
                 tr("mot-clé {} écrit avec des majuscules", "keyword {} written with capitals",
                    quote_token(t)),
                 lower_case_keyword_hint(lower));
      if (auto* token = dynamic_cast<antlr4::WritableToken*>(t)) token->setType(type);
    }
  }
}

// `x n'est pas dans E`, as French puts it, for `x pas dans E`: reported at `n`, then
// `n'est` is set aside so that the condition parses as `x pas dans E` (left to the parser,
// the stray apostrophe threw it out of the rule, and the rules after it went unchecked).
void read_is_not_in(FileId file, antlr4::CommonTokenStream& tokens, DiagnosticSink& sink) {
  const auto& all = tokens.getTokens();
  for (std::size_t i = 0; i + 3 < all.size(); ++i) {
    const std::string apostrophe = all[i + 1]->getText();
    if (all[i]->getText() != "n" || (apostrophe != "'" && apostrophe != "\u2019") ||
        all[i + 2]->getText() != "est" || all[i + 3]->getType() != TamisLexer::NOT_IN) {
      continue;
    }
    const antlr4::Token* subject = i > 0 ? all[i - 1] : nullptr;
    const std::string name =
        subject != nullptr && subject->getType() == TamisLexer::IDENT ? subject->getText() : "x";
    sink.error(
        "E0001", token_range(file, all[i]),
        tr("« n'est pas dans » n'existe pas dans le langage",
           "'n'est pas dans' is not part of the language"),
        tr("pour dire qu'une valeur n'est pas dans un ensemble, écrivez « {} pas dans {{…}} »",
           "to say that a value is not in a set, write '{} not in {{…}}'", name));
    for (std::size_t k = i; k < i + 3; ++k) {
      if (auto* token = dynamic_cast<antlr4::CommonToken*>(all[k])) {
        token->setChannel(antlr4::Token::HIDDEN_CHANNEL);
      }
    }
  }
}

// `si a et` then `alors` (a condition left unfinished): reported at the `et`, which is then
// set aside so that the rule still parses (left to the parser, `alors` was unexpected and the
// next rule too).
void read_dangling_connective(FileId file, antlr4::CommonTokenStream& tokens,
                              DiagnosticSink& sink) {
  const auto& all = tokens.getTokens();
  for (std::size_t i = 0; i + 1 < all.size(); ++i) {
    const auto type = all[i]->getType();
    if ((type != TamisLexer::AND && type != TamisLexer::OR) ||
        all[i + 1]->getType() != TamisLexer::THEN) {
      continue;
    }
    sink.error("E0001", token_range(file, all[i]),
               tr("il manque une condition après {}", "a condition is missing after {}",
                  quote_token(all[i])),
               tr("ajoutez la condition après {} avant « alors », ou supprimez {}",
                  "add the condition after {} before 'then', or remove {}", quote_token(all[i]),
                  quote_token(all[i])));
    if (auto* token = dynamic_cast<antlr4::CommonToken*>(all[i])) {
      token->setChannel(antlr4::Token::HIDDEN_CHANNEL);
    }
  }
}

// `-- commentaire`, as in SQL or Ada: reported, and the rest of the line set aside as the
// comment it was meant to be (left to the parser, it read `a - (-commentaire)` and reported
// unknown names).
void read_dash_comments(FileId file, antlr4::CommonTokenStream& tokens, DiagnosticSink& sink) {
  const auto& all = tokens.getTokens();
  for (std::size_t i = 0; i + 1 < all.size(); ++i) {
    if (all[i]->getText() != "-" || all[i + 1]->getText() != "-" ||
        all[i]->getStopIndex() + 1 != all[i + 1]->getStartIndex() ||
        all[i]->getChannel() != antlr4::Token::DEFAULT_CHANNEL) {
      continue;
    }
    SourceRange range = token_range(file, all[i]);
    range.end_column = token_range(file, all[i + 1]).end_column;
    sink.error("E0003", range,
               tr("« -- » ne commence pas un commentaire", "'--' does not start a comment"),
               tr("un commentaire commence par « // » : remplacez « -- » par « // »",
                  "a comment starts with '//': replace '--' with '//'"));
    const std::size_t line = all[i]->getLine();
    for (std::size_t k = i;
         k < all.size() && all[k]->getLine() == line && all[k]->getType() != antlr4::Token::EOF;
         ++k) {
      if (auto* token = dynamic_cast<antlr4::CommonToken*>(all[k])) {
        token->setChannel(antlr4::Token::HIDDEN_CHANNEL);
      }
    }
  }
}

}  // namespace tamis::syntax
