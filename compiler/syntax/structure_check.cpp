// The bracket and nesting pre-pass (structure_check.hpp).
#include "compiler/syntax/structure_check.hpp"

#include <TamisLexer.h>

#include <string>
#include <vector>

#include "compiler/syntax/token_helpers.hpp"
#include "support/lang.hpp"

namespace tamis::syntax {
namespace {

using grammar::TamisLexer;

// Brackets must balance and nesting must stay shallow before the recursive
// parser sees the file (deep input would overflow its stack).
// The declarations whose body is a block between braces (grammar/Tamis.g4).
bool opens_block(std::size_t type) {
  return type == TamisLexer::ENUM || type == TamisLexer::SCHEMA || type == TamisLexer::TABLE ||
         type == TamisLexer::DECISION || type == TamisLexer::OUTPUT || type == TamisLexer::TEST;
}

// `décision categorie : Categorie première` with no `{`, found at the `}` that closes the
// block: reported on the header's line, where the brace goes, not at that `}`.
void missing_block_brace(FileId file, antlr4::CommonTokenStream& tokens,
                         const antlr4::Token* header, const antlr4::Token* columns_end,
                         const antlr4::Token* closer, DiagnosticSink& sink) {
  // The header ends with its line, or, for a table, with the line of its columns' `)`.
  const antlr4::Token* end_line = columns_end != nullptr ? columns_end : header;
  std::size_t last = end_line->getTokenIndex();
  while (last + 1 < tokens.size() && tokens.get(last + 1)->getLine() == end_line->getLine() &&
         tokens.get(last + 1)->getType() != antlr4::Token::EOF) {
    ++last;
  }
  SourceRange range = token_range(file, header);
  const SourceRange end = token_range(file, tokens.get(last));
  range.end_line = end.end_line;
  range.end_column = end.end_column;
  Diagnostic d{Severity::Error,
               "E0005",
               range,
               tr("il manque « {{ » pour ouvrir le bloc de {}",
                  "'{{' is missing to open the block of {}", quote_token(header)),
               tr("ajoutez « {{ » à la fin de la ligne {}", "add '{{' at the end of line {}",
                  end_line->getLine()),
               {}};
  d.notes.push_back({token_range(file, closer), tr("la « }} » qui ferme ce bloc est ici",
                                                   "the '}}' that closes this block is here")});
  sink.report(std::move(d));
}

// The block a header opens, for messages: « la décision « categorie » », « le bloc « sortie » ».
std::string block_description(antlr4::CommonTokenStream& tokens, const antlr4::Token* header) {
  const auto index = header->getTokenIndex();
  const std::string name =
      index + 1 < tokens.size() ? tokens.get(index + 1)->getText() : std::string();
  switch (header->getType()) {
    case TamisLexer::DECISION:
      return tr("la décision « {} »", "decision '{}'", name);
    case TamisLexer::SCHEMA:
      return tr("le schéma « {} »", "schema '{}'", name);
    case TamisLexer::ENUM:
      return tr("l'énumération « {} »", "enumeration '{}'", name);
    case TamisLexer::TABLE:
      return tr("la table « {} »", "table '{}'", name);
    case TamisLexer::TEST: {
      // The title without its quotes, inside French ones.
      const bool quoted = name.size() >= 2 && name.front() == '"' && name.back() == '"';
      const std::string title = quoted ? name.substr(1, name.size() - 2) : name;
      return tr("le test « {} »", "test '{}'", title);
    }
    default:
      return tr("le bloc « {} »", "the '{}' block", header->getText());
  }
}

// A `}` too many inside a block (`règle "R0" … }` then more rules): the block closes there,
// what follows is read at top level, and the block's own `}` comes out as the stray one.
// Reported at the early `}`, where the mistake is, with the line where the block really ends.
void block_closed_early(FileId file, antlr4::CommonTokenStream& tokens, const antlr4::Token* header,
                        const antlr4::Token* early, const antlr4::Token* first_outside,
                        const antlr4::Token* real_end, DiagnosticSink& sink) {
  const std::string block = block_description(tokens, header);
  Diagnostic d{Severity::Error,
               "E0005",
               token_range(file, early),
               tr("cette « }} » ferme {} : la suite est lue hors du bloc",
                  "this '}}' closes {}: what follows is read outside the block", block),
               tr("accolade fermante en trop ? {} se termine ligne {}",
                  "extra closing brace? {} ends at line {}", block, real_end->getLine()),
               {}};
  d.notes.push_back({token_range(file, first_outside),
                     tr("{} se retrouve hors du bloc", "{} ends up outside the block",
                        quote_token(first_outside))});
  d.notes.push_back({token_range(file, real_end), tr("{} se termine ici", "{} ends here", block)});
  sink.report(std::move(d));
}

}  // namespace

bool check_structure(FileId file, antlr4::CommonTokenStream& tokens, DiagnosticSink& sink,
                     const ParseLimits& limits) {
  struct Open {
    const antlr4::Token* token;
    char closer;
    bool in_expression;  // `(` or a set `{a, b}`, as opposed to a block `Nom {`
  };
  std::vector<Open> stack;
  bool ok = true;
  std::size_t prefix_run = 0;
  std::size_t previous_type = antlr4::Token::INVALID_TYPE;
  std::string previous_text;
  // A keyword (or `|`) that cannot appear inside the innermost open bracket shows where
  // it should have been closed: report it there, not at the end of the file.
  auto unclosed_before = [&](const antlr4::Token* keyword) {
    const Open& open = stack.back();
    // Where the closer goes: before the keyword when both are on one line, else at the
    // end of the last line before the one that holds the keyword.
    const auto& all = tokens.getTokens();
    const std::size_t open_index = open.token->getTokenIndex();
    if (open.token->getText() == "{" && open_index >= 2 &&
        all[open_index - 1]->getType() == TamisLexer::STRING &&
        (all[open_index - 2]->getType() == TamisLexer::RULE ||
         all[open_index - 2]->getType() == TamisLexer::OTHERWISE)) {
      // `règle "R1" {`, as a decision opens its block: a rule has no braces, the `{` is
      // the mistake, not a missing `}`.
      sink.error("E0005", token_range(file, open.token),
                 tr("« {{ » inattendue après le nom de la règle",
                    "unexpected '{{' after the name of the rule"),
                 tr("supprimez cette « {{ » (et la « }} » qui la ferme, s'il y en a une) : une "
                    "règle s'écrit sans accolades, « règle \"…\" si … alors … »",
                    "remove this '{{' (and the '}}' that closes it, if any): a rule is written "
                    "without braces, 'règle \"…\" si … alors …'"));
      return;
    }
    std::size_t first_on_line = keyword->getTokenIndex();
    while (first_on_line > 0 && all[first_on_line - 1]->getLine() == keyword->getLine()) {
      --first_on_line;
    }
    const bool same_line = open.token->getLine() == keyword->getLine();
    const std::string where = same_line || first_on_line == 0
                                  ? tr("avant « {} »", "before '{}'", keyword->getText())
                                  : tr("à la fin de la ligne {}", "at the end of line {}",
                                       all[first_on_line - 1]->getLine());
    Diagnostic d{
        Severity::Error,
        "E0005",
        token_range(file, open.token),
        tr("« {} » ouverte ici n'est pas fermée avant « {} »",
           "'{}' opened here is not closed before '{}'", open.token->getText(), keyword->getText()),
        tr("ajoutez « {} » {}", "add '{}' {}", open.closer, where),
        {}};
    d.notes.push_back(
        {token_range(file, keyword), tr("« {} » ne peut pas figurer entre « {} » et « {} »",
                                        "'{}' cannot appear between '{}' and '{}'",
                                        keyword->getText(), open.token->getText(), open.closer)});
    sink.report(std::move(d));
  };
  std::size_t stray_closers = 0;
  // The last declaration that opens a block (`décision … {`) seen outside any bracket, and
  // whether its `{` came: a stray `}` after a header without it is that brace missing.
  const antlr4::Token* block_header = nullptr;
  const antlr4::Token* columns_end = nullptr;  // the `)` after a table's columns
  bool block_opened = false;
  // The `}` that last closed a block, while no declaration has started since, and the first
  // token after it: a stray `}` then shows the block was closed too early (block_closed_early).
  const antlr4::Token* block_close = nullptr;
  const antlr4::Token* block_close_header = nullptr;
  const antlr4::Token* after_close = nullptr;
  // The first `règle` outside any bracket since the last declaration started.
  const antlr4::Token* rule_outside = nullptr;
  for (auto* t : tokens.getTokens()) {
    if (t->getType() == TamisLexer::UNTERMINATED_COMMENT) {
      const SourceRange at = token_range(file, t);
      sink.error(
          "E0002", {file, at.line, at.column, at.line, at.column + 1},
          tr("commentaire « /* » jamais fermé : tout le reste du fichier serait ignoré",
             "comment '/*' never closed: all the rest of the file would be ignored"),
          tr("ajoutez « */ » à la fin du commentaire", "add '*/' at the end of the comment"));
      return false;
    }
    const std::string& s = t->getText();
    const auto type = t->getType();
    const bool starts_declaration =
        type == TamisLexer::RULESET || type == TamisLexer::ENUM || type == TamisLexer::SCHEMA ||
        type == TamisLexer::TABLE || type == TamisLexer::LET || type == TamisLexer::DECISION ||
        type == TamisLexer::OUTPUT || type == TamisLexer::SUMMARY || type == TamisLexer::TEST;
    // Never inside `( … )` or a set `{ … }`: rule keywords, the parts of a table row or a field.
    const bool outside_expressions = type == TamisLexer::RULE || type == TamisLexer::IF ||
                                     type == TamisLexer::THEN || type == TamisLexer::OTHERWISE ||
                                     type == TamisLexer::BECAUSE || type == TamisLexer::ALIAS ||
                                     type == TamisLexer::COLUMN || s == "|";
    if (starts_declaration) rule_outside = nullptr;
    if (stack.empty() && type == TamisLexer::RULE && rule_outside == nullptr) rule_outside = t;
    if (block_close != nullptr && t != block_close) {
      if (starts_declaration) {
        block_close = nullptr;
      } else if (after_close == nullptr && s != "}" && type != antlr4::Token::EOF) {
        after_close = t;
      }
    }
    if (!stack.empty() &&
        (starts_declaration || (outside_expressions && stack.back().in_expression))) {
      // `si non_depose et test`: a keyword where an operand goes, on the operator's line,
      // is a name that happens to be reserved, not the end of a block left open.
      const auto index = t->getTokenIndex();
      if (keyword_as_operand(index > 0 ? tokens.get(index - 1) : nullptr, t)) {
        sink.error("E0001", token_range(file, t),
                   tr("{} inattendu ici", "unexpected {} here", quote_token(t)),
                   reserved_word_hint(t));
        return false;
      }
      unclosed_before(t);
      return false;
    }
    if (type == TamisLexer::IDENT && s.size() > limits.max_identifier_length) {
      sink.error(
          "E0006", token_range(file, t),
          tr("identifiant trop long ({} octets, au plus {})",
             "identifier too long ({} bytes, at most {})", s.size(), limits.max_identifier_length),
          tr("choisissez un nom plus court", "choose a shorter name"));
      ok = false;
    }
    if (type == TamisLexer::NOT || s == "-") {
      if (++prefix_run > limits.max_nesting) {
        sink.error(
            "E0004", token_range(file, t),
            tr("expression trop imbriquée (plus de {} opérateurs préfixes)",
               "expression nested too deeply (more than {} prefix operators)", limits.max_nesting),
            tr("simplifiez l'expression ou découpez-la avec des définitions « soit »",
               "simplify the expression or split it with 'let' definitions"));
        return false;
      }
    } else {
      prefix_run = 0;
    }
    if (stack.empty() && opens_block(type)) {
      block_header = t;
      columns_end = nullptr;
      block_opened = false;
    }
    if (s == "(" || s == "{") {
      // A block brace follows a name (`Dossier {`), a hit policy, `sortie`, a table's columns
      // or a test's title (`test "…" {`).
      const bool test_block = stack.empty() && block_header != nullptr &&
                              block_header->getType() == TamisLexer::TEST &&
                              previous_type == TamisLexer::STRING;
      const bool block =
          s == "{" &&
          (previous_type == TamisLexer::IDENT || previous_type == TamisLexer::FIRST ||
           previous_type == TamisLexer::UNIQUE || previous_type == TamisLexer::COLLECT ||
           previous_type == TamisLexer::OUTPUT || previous_text == ")" || test_block);
      if (block && stack.empty()) block_opened = true;
      stack.push_back({t, s == "(" ? ')' : '}', !block});
      if (stack.size() > limits.max_nesting) {
        sink.error("E0004", token_range(file, t),
                   tr("imbrication trop profonde (plus de {} niveaux)",
                      "nesting too deep (more than {} levels)", limits.max_nesting),
                   tr("simplifiez l'expression ou découpez-la avec des définitions « soit »",
                      "simplify the expression or split it with 'let' definitions"));
        return false;
      }
    } else if (s == ")" || s == "}") {
      if (stack.empty() && s == "}" && block_header != nullptr && !block_opened) {
        missing_block_brace(file, tokens, block_header, columns_end, t, sink);
        return false;
      }
      // Only a block a declaration opened (`2t{}t}` has a `{` after a name and none).
      if (stack.empty() && s == "}" && block_close != nullptr && after_close != nullptr &&
          block_close_header != nullptr) {
        block_closed_early(file, tokens, block_close_header, block_close, after_close, t, sink);
        block_close = nullptr;
        ok = false;
        if (++stray_closers >= 20) return false;
      } else if (stack.empty() && s == "}" && rule_outside != nullptr) {
        // Rules, then the `}` of a decision whose header line is missing.
        Diagnostic d{
            Severity::Error,
            "E0005",
            token_range(file, rule_outside),
            tr("{} hors de toute décision", "{} outside any decision", quote_token(rule_outside)),
            tr("il manque l'en-tête de la décision avant la ligne {} : « décision nom : "
               "Type {{ »",
               "the header of the decision is missing before line {}: 'décision name : "
               "Type {{'",
               rule_outside->getLine()),
            {}};
        d.notes.push_back({token_range(file, t), tr("la « }} » qui ferme la décision est ici",
                                                    "the '}}' that closes the decision is here")});
        sink.report(std::move(d));
        rule_outside = nullptr;
        block_close = nullptr;
        ok = false;
        if (++stray_closers >= 20) return false;
      } else if (stack.empty()) {
        block_close = nullptr;
        sink.error("E0005", token_range(file, t),
                   tr("« {} » fermante sans ouvrante correspondante",
                      "closing '{}' without a matching opening one", s),
                   tr("supprimez-la ou ajoutez l'ouvrante qui manque",
                      "remove it or add the missing opening one"));
        ok = false;
        // Like the parser (20 errors per file): a flood of stray closers says nothing more.
        if (++stray_closers >= 20) return false;
      } else if (stack.back().closer != s[0]) {
        Diagnostic d{Severity::Error,
                     "E0005",
                     token_range(file, t),
                     tr("« {} » ne ferme pas « {} »", "'{}' does not close '{}'", s,
                        stack.back().token->getText()),
                     tr("attendu « {} »", "expected '{}'", stack.back().closer),
                     {}};
        d.notes.push_back(
            {token_range(file, stack.back().token), tr("ouverte ici", "opened here")});
        sink.report(std::move(d));
        return false;
      } else {
        if (stack.size() == 1 && s == "}" && !stack.back().in_expression) {
          block_close = t;
          block_close_header = block_header;
          after_close = nullptr;
        }
        stack.pop_back();
        if (stack.empty() && s == ")" && block_header != nullptr &&
            block_header->getType() == TamisLexer::TABLE && columns_end == nullptr) {
          columns_end = t;
        }
      }
    }
    previous_type = type;
    previous_text = s;
  }
  if (stack.size() == 1 && !stack.front().in_expression && block_header != nullptr &&
      tokens.size() >= 2) {
    // A block left open at the end of the file (its last `}` forgotten): where it goes.
    const std::string block = block_description(tokens, block_header);
    sink.error("E0005", token_range(file, stack.front().token),
               tr("{} n'est jamais fermé{} : il manque sa « }} »",
                  "{} is never closed: its '}}' is missing", block,
                  block_header->getType() == TamisLexer::SCHEMA ||
                          block_header->getType() == TamisLexer::TEST ||
                          block_header->getType() == TamisLexer::OUTPUT
                      ? ""
                      : "e"),
               tr("ajoutez « }} » après la dernière ligne du bloc (ligne {})",
                  "add '}}' after the last line of the block (line {})",
                  tokens.get(tokens.size() - 2)->getLine()));
    return false;
  }
  for (const auto& open : stack) {
    sink.error(
        "E0005", token_range(file, open.token),
        tr("« {} » ouverte ici n'est jamais fermée", "'{}' opened here is never closed",
           open.token->getText()),
        tr("ajoutez « {} » à la fin du bloc", "add '{}' at the end of the block", open.closer));
    ok = false;
  }
  return ok;
}

}  // namespace tamis::syntax
