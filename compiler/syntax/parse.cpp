// The front end's driver: size and UTF-8 checks, lexing, the structure check and the
// token passes, then ANTLR's parser with our error listener, and the tree to the AST.
// The tree is freed when parse_file returns. Each step has its file: structure_check,
// token_passes, syntax_hints (the error listener), ast_builder.
#include "compiler/syntax/parse.hpp"

#include <TamisParser.h>
#include <antlr4-runtime.h>

#include <vector>

#include "compiler/syntax/ast_builder.hpp"
#include "compiler/syntax/lexer.hpp"
#include "compiler/syntax/structure_check.hpp"
#include "compiler/syntax/syntax_hints.hpp"
#include "compiler/syntax/token_helpers.hpp"
#include "compiler/syntax/token_passes.hpp"
#include "support/lang.hpp"
#include "support/text.hpp"

namespace tamis::syntax {
namespace {

using grammar::TamisParser;

// The parser, stopped when its rules nest deeper than `limit`, each rule a frame on the
// stack: brackets and runs of prefixes are bounded one by one (check_structure), but
// together they could still overflow it. Counted in enterRule, which every rule calls
// with a context whose parent is the rule that calls it, and enterOuterAlt (ANTLR has no
// virtual exitRule, and a parse listener costs a dynamic_cast a rule and event).
class DepthLimitedParser : public TamisParser {
 public:
  struct TooDeep {
    SourceRange at;  // the token the parse reached (the tokens are gone when this is caught)
  };

  DepthLimitedParser(antlr4::TokenStream* tokens, FileId file, std::size_t limit)
      : TamisParser(tokens), file_(file), limit_(limit) {}

  void enterRule(antlr4::ParserRuleContext* ctx, std::size_t state,
                 std::size_t rule_index) override {
    // The rules still open are those up to ctx's parent; the others have returned.
    while (!open_.empty() && open_.back() != ctx->parent) open_.pop_back();
    open_.push_back(ctx);
    if (open_.size() > limit_) throw TooDeep{token_range(file_, getCurrentToken())};
    TamisParser::enterRule(ctx, state, rule_index);
  }

  // A labelled alternative (`# negExpr`) replaces the rule's context by its own.
  void enterOuterAlt(antlr4::ParserRuleContext* ctx, std::size_t alternative) override {
    if (!open_.empty()) open_.back() = ctx;
    TamisParser::enterOuterAlt(ctx, alternative);
  }

  // For a second parse of the same tokens.
  void restart() {
    reset();
    open_.clear();
  }

 private:
  FileId file_;
  std::size_t limit_;
  std::vector<const antlr4::tree::ParseTree*> open_;
};

// Line and code-point column of a byte offset, for errors found before lexing.
SourceRange byte_position(FileId file, std::string_view text, std::size_t offset) {
  std::uint32_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    // LF, CRLF and a lone CR (classic Mac OS) end a line, as in SourceFile.
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      ++line;
      line_start = i + 1;
    }
  }
  const auto column =
      u32(text::count_code_points(text.substr(line_start, offset - line_start)) + 1);
  return {file, line, column, line, column};
}

}  // namespace

ast::File parse_file(const SourceSet& sources, FileId file, DiagnosticSink& sink,
                     const ParseLimits& limits) {
  const std::string& text = sources.file(file).text;
  ast::File empty;
  empty.file = file;
  if (text.size() > limits.max_file_bytes) {
    sink.error(
        "E0006", {file, 1, 1, 1, 1},
        tr("fichier trop grand ({} octets, au plus {})", "file too large ({} bytes, at most {})",
           text.size(), limits.max_file_bytes),
        tr("découpez les règles en plusieurs fichiers", "split the rules into several files"));
    return empty;
  }
  if (auto bad = text::first_invalid_utf8(text)) {
    sink.error("E0008", byte_position(file, text, *bad),
               tr("octets invalides : le fichier n'est pas en UTF-8",
                  "invalid bytes: the file is not in UTF-8"),
               tr("enregistrez le fichier en UTF-8 depuis votre éditeur",
                  "save the file as UTF-8 from your editor"));
    return empty;
  }
  try {
    // ANTLR counts LF only: a lone CR becomes LF (same offsets), as SourceFile counts lines.
    const std::string lf_text = lone_cr_to_lf(text);
    HandLexer lexer(lf_text);
    antlr4::CommonTokenStream tokens(&lexer);
    tokens.fill();
    if (!check_structure(file, tokens, sink, limits)) return empty;
    read_bare_non(tokens);
    read_capitalised_keywords(file, tokens, sink);
    read_is_not_in(file, tokens, sink);
    read_dangling_connective(file, tokens, sink);
    read_dash_comments(file, tokens, sink);

    // Two stages: the faster SLL prediction, which stops at the first syntax error; only
    // then the full LL prediction again from the start, with error reporting and recovery.
    // (An SLL parse that succeeds is the LL parse: the grammar has no ambiguity.)
    // About five rules a level of brackets, and one a prefix `-` (grammar/Tamis.g4).
    DepthLimitedParser parser(&tokens, file, 40 * limits.max_nesting);
    parser.removeErrorListeners();
    auto* simulator = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
    simulator->setPredictionMode(antlr4::atn::PredictionMode::SLL);
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    TamisParser::FileContext* tree = nullptr;
    const auto listener = make_error_listener(file, sink);
    try {
      tree = parser.file();
    } catch (const antlr4::ParseCancellationException&) {
      parser.restart();
      simulator->setPredictionMode(antlr4::atn::PredictionMode::LL);
      parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
      parser.addErrorListener(listener.get());
      tree = parser.file();
    }
    return build_ast(tree, file, sink, limits);
  } catch (const DepthLimitedParser::TooDeep& e) {
    sink.error("E0004", e.at, tr("expression trop imbriquée", "expression nested too deeply"),
               tr("découpez-la avec des définitions « soit »", "split it with 'let' definitions"));
    return empty;
  } catch (const std::exception& e) {
    // The ANTLR runtime throws on conditions we did not foresee; report, never crash.
    sink.error("E0009", {file, 1, 1, 1, 1},
               tr("erreur interne de l'analyseur : {}", "internal parser error: {}", e.what()),
               tr("signalez ce fichier à l'équipe Tamis", "report this file to the Tamis team"));
    return empty;
  }
}

}  // namespace tamis::syntax
