// ANTLR is boxed in here: lexing, a bracket/nesting pre-pass, parsing with our
// own error listener, and conversion of the parse tree to the AST. The tree is
// freed when this function returns.
#include "compiler/syntax/parse.hpp"

#include <TamisLexer.h>
#include <TamisParser.h>
#include <antlr4-runtime.h>

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <optional>
#include <set>
#include <typeinfo>

#include "compiler/syntax/keywords.hpp"
#include "compiler/syntax/lexer.hpp"
#include "support/decimal.hpp"
#include "support/lang.hpp"
#include "support/text.hpp"

namespace tamis::syntax {
namespace {

using grammar::TamisLexer;
using grammar::TamisParser;

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

// ------------------------------------------------------------------ errors

class ErrorListener : public antlr4::BaseErrorListener {
 public:
  ErrorListener(FileId file, DiagnosticSink& sink) : file_(file), sink_(sink) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line,
                   size_t column, const std::string& /*antlr_message*/,
                   std::exception_ptr /*e*/) override {
    auto* parser = dynamic_cast<TamisParser*>(recognizer);
    // One error per line, at most 20 per file: later ones are mostly echoes. The end of
    // the file counts as the line of the last token: recovery from an error on that line
    // often runs into it.
    std::size_t echo_line = line;
    if (offending != nullptr && offending->getType() == antlr4::Token::EOF && parser != nullptr) {
      if (const antlr4::Token* last = parser->getTokenStream()->LT(-1)) echo_line = last->getLine();
    }
    if (echo_line == last_line_ || count_ >= 20) return;
    last_line_ = echo_line;
    ++count_;
    SourceRange range = token_range(file_, offending);
    if (offending == nullptr)
      range = {file_, u32(line), u32(column + 1), u32(line), u32(column + 1)};

    std::vector<std::string> expected;
    if (parser != nullptr) {
      for (auto type : parser->getExpectedTokens().toList()) {
        expected.push_back(
            describe_token_type(static_cast<std::size_t>(type), parser->getVocabulary()));
      }
    }
    // In dictionary order, accents aside: « règle » before « remplace ».
    std::sort(expected.begin(), expected.end(), [](const std::string& a, const std::string& b) {
      return text::normalize_label(a) < text::normalize_label(b);
    });
    expected.erase(std::unique(expected.begin(), expected.end()), expected.end());

    // `re` + U+0300 + `gle`: the parser stumbles on the word before the accent; the accent
    // is the mistake.
    if (antlr4::Token* mark = special_character_after(parser, offending)) {
      offending = mark;
      range = token_range(file_, mark);
    }
    if (const antlr4::Token* keyword = capitalised_keyword_before(parser, offending)) {
      // `et Non mature`: `Non` is read as a name and the parser stumbles on `mature`, but
      // the capitals are the mistake: reported at `Non`.
      sink_.error("E0001", token_range(file_, keyword),
                  tr("mot-clé {} écrit avec des majuscules", "keyword {} written with capitals",
                     quote_token(keyword)),
                  lower_case_keyword_hint(capitalised_keyword(keyword).value_or("")));
      return;
    }
    if (const antlr4::Token* pas = negating_pas_before(parser, offending)) {
      // `et pas mature`: the French negation, where the language writes `non`.
      sink_.error("E0001", token_range(file_, pas),
                  tr("{} n'est pas un mot-clé du langage", "{} is not a keyword of the language",
                     quote_token(pas)),
                  tr("pour une négation, écrivez « non {} »", "for a negation, write 'non {}'",
                     offending->getText()));
      return;
    }
    const std::size_t type = offending != nullptr ? offending->getType() : 0;
    if (type == TamisLexer::UNTERMINATED_STRING) {
      sink_.error("E0002", range,
                  tr("texte entre guillemets non fermé", "unterminated quoted text"),
                  tr("ajoutez le guillemet fermant « \" » avant la fin de la ligne",
                     "add the closing quote '\"' before the end of the line"));
      return;
    }
    if (type == TamisLexer::ERROR_CHAR) {
      if (auto special = special_character(text::first_code_point(offending->getText()))) {
        // Invisible or combining: quoting it shows nothing, so it is named.
        sink_.error("E0003", range,
                    tr("caractère inattendu : {} (U+{:04X})", "unexpected character: {} (U+{:04X})",
                       special->name, static_cast<std::uint32_t>(special->code_point)),
                    special->hint);
        return;
      }
      std::string hint = stray_character_hint(offending->getText());
      if (is_other_script_letter(offending->getText())) {
        hint =
            tr("les noms s'écrivent avec des lettres latines (accents permis), grecques ou "
               "cyrilliques, des chiffres et « _ » : renommez {} ou, si c'est un libellé, "
               "mettez-le entre guillemets droits « \" »",
               "names are written with Latin (accents allowed), Greek or Cyrillic letters, "
               "digits and '_': rename {} or, if it is a label, put it between straight "
               "quotes '\"'",
               quote_word(word_around(parser, offending)));
      }
      sink_.error("E0003", range,
                  tr("caractère inattendu {}", "unexpected character {}", quote_token(offending)),
                  hint);
      return;
    }
    if (auto hint = missing_then_after_fallback_label(parser, offending)) {
      // `sinon "R4 …" non_remonte`: the label was read as the result; `}` is not the fix.
      sink_.error("E0001", range,
                  tr("{} inattendu ici ; attendu : « alors »",
                     "unexpected {} here; expected: 'then'", quote_token(offending)),
                  *hint);
      return;
    }
    if (type == antlr4::Token::EOF) {
      // `soit a =` as the file's last words: « la fin du fichier » is feminine.
      std::string message = tr("fin du fichier inattendue", "unexpected end of the file");
      if (!expected.empty() && expected.size() <= 8) {
        message += tr(" ; attendu : {}", "; expected: {}", join_alternatives(expected));
      }
      sink_.error("E0001", range, message,
                  tr("la dernière déclaration du fichier est inachevée : complétez-la",
                     "the last declaration of the file is unfinished: complete it"));
      return;
    }
    std::string message = tr("{} inattendu ici", "unexpected {} here", quote_token(offending));
    if (!expected.empty() && expected.size() <= 8) {
      message += tr(" ; attendu : {}", "; expected: {}", join_alternatives(expected));
    }
    sink_.error("E0001", range, message, unexpected_token_hint(parser, offending, expected));
  }

 private:
  // The capitalised keyword (`Non`, `ET`) right before `offending` on its line, when
  // `offending` starts an operand: a name followed by an operand is never valid, a keyword
  // there is (`et Non mature`). Null otherwise.
  static const antlr4::Token* capitalised_keyword_before(TamisParser* parser,
                                                         const antlr4::Token* offending) {
    if (parser == nullptr || offending == nullptr || !starts_operand(offending)) return nullptr;
    const std::size_t index = offending->getTokenIndex();
    if (index == 0) return nullptr;
    const antlr4::Token* previous = parser->getTokenStream()->get(index - 1);
    if (previous->getLine() != offending->getLine() || !capitalised_keyword(previous)) {
      return nullptr;
    }
    return previous;
  }

  // `pas` (or `Pas`) where an operand goes and before one (`et pas mature`), or null.
  static const antlr4::Token* negating_pas_before(TamisParser* parser,
                                                  const antlr4::Token* offending) {
    if (parser == nullptr || offending == nullptr || !starts_operand(offending)) return nullptr;
    const std::size_t index = offending->getTokenIndex();
    if (index < 2) return nullptr;
    auto* stream = parser->getTokenStream();
    const antlr4::Token* pas = stream->get(index - 1);
    const antlr4::Token* before = stream->get(index - 2);
    if (pas->getType() != TamisLexer::IDENT || text::normalize_label(pas->getText()) != "pas" ||
        pas->getLine() != offending->getLine() || !operand_follows(before)) {
      return nullptr;
    }
    return pas;
  }

  // The last `décision` keyword before `offending`, or null.
  static const antlr4::Token* decision_before(TamisParser* parser, const antlr4::Token* offending) {
    auto* stream = parser->getTokenStream();
    for (std::size_t i = offending->getTokenIndex(); i-- > 0;) {
      if (stream->get(i)->getType() == TamisLexer::DECISION) return stream->get(i);
    }
    return nullptr;
  }

  // A second `sinon` in a decision: where the first one is. Nothing if there is none.
  static std::optional<std::string> second_otherwise_hint(TamisParser* parser,
                                                          const antlr4::Token* offending) {
    if (parser == nullptr) return {};
    const antlr4::Token* decision = decision_before(parser, offending);
    auto* stream = parser->getTokenStream();
    const std::size_t from = decision != nullptr ? decision->getTokenIndex() : 0;
    for (std::size_t i = from; i < offending->getTokenIndex(); ++i) {
      const antlr4::Token* t = stream->get(i);
      if (t->getType() != TamisLexer::OTHERWISE) continue;
      return tr("une décision n'a qu'un « sinon » et le premier est ligne {} : gardez-en un seul",
                "a decision has only one 'otherwise' and the first one is on line {}: keep "
                "only one",
                t->getLine());
    }
    return {};
  }

  // `règle` or `sinon` where a declaration goes: after the `}` that closes the decision
  // before it (a rule added at the end of the file), or with no decision at all.
  static std::string outside_decision_hint(TamisParser* parser, const antlr4::Token* offending) {
    const antlr4::Token* decision = decision_before(parser, offending);
    if (decision != nullptr) {
      // The `}` that closes that decision's block.
      auto* stream = parser->getTokenStream();
      std::size_t depth = 0;
      for (std::size_t i = decision->getTokenIndex(); i < offending->getTokenIndex(); ++i) {
        const std::string text = stream->get(i)->getText();
        if (text == "{") ++depth;
        if (text == "}" && depth > 0 && --depth == 0) {
          const std::string name = stream->get(decision->getTokenIndex() + 1)->getText();
          return tr(
              "la décision « {} » se termine à la « }} » de la ligne {} : écrivez ce qui suit "
              "avant cette accolade",
              "decision '{}' ends at the '}}' on line {}: write what follows before that brace",
              name, stream->get(i)->getLine());
        }
      }
    }
    return tr(
        "{} s'écrit dans une décision, entre ses accolades : « décision nom : Type {{ règle "
        "\"…\" si … alors … }} »",
        "{} is written inside a decision, between its braces: 'décision name : Type {{ règle "
        "\"…\" si … alors … }}'",
        quote_token(offending));
  }

  // `sinon "R4 aucun critère rempli"` then the result without `alors`: a hint, or nothing.
  static std::optional<std::string> missing_then_after_fallback_label(
      TamisParser* parser, const antlr4::Token* offending) {
    if (parser == nullptr || offending == nullptr || !starts_operand(offending)) return {};
    const std::size_t index = offending->getTokenIndex();
    auto* stream = parser->getTokenStream();
    if (index < 2 || stream->get(index - 1)->getType() != TamisLexer::STRING ||
        stream->get(index - 2)->getType() != TamisLexer::OTHERWISE) {
      return {};
    }
    return tr(
        "après le libellé du « sinon », écrivez « alors » puis le résultat : « sinon {} "
        "alors {} »",
        "after the label of 'otherwise', write 'then' and the result: 'otherwise {} then "
        "{}'",
        stream->get(index - 1)->getText(), offending->getText());
  }

  // The special character (special_character) written right after `offending`, or null.
  static antlr4::Token* special_character_after(TamisParser* parser,
                                                const antlr4::Token* offending) {
    if (parser == nullptr || offending == nullptr || offending->getType() == antlr4::Token::EOF) {
      return nullptr;
    }
    auto* stream = parser->getTokenStream();
    const std::size_t next = offending->getTokenIndex() + 1;
    if (next >= stream->size()) return nullptr;
    antlr4::Token* t = stream->get(next);
    if (t->getType() != TamisLexer::ERROR_CHAR ||
        t->getStartIndex() != offending->getStopIndex() + 1 ||
        !special_character(text::first_code_point(t->getText()))) {
      return nullptr;
    }
    return t;
  }

  struct SpecialCharacter {
    char32_t code_point;
    std::string name;
    std::string hint;
  };

  // A character that shows nothing of itself in a message: a space other than the ones the
  // language reads as spaces, an invisible mark, or an accent typed apart from its letter
  // (text copied from a PDF: `e` + U+0301 for `é`). Decomposed letters are not recomposed:
  // that would shift the columns of every message about the line.
  static std::optional<SpecialCharacter> special_character(char32_t cp) {
    struct Entry {
      char32_t code_point;
      const char* fr;
      const char* en;
    };
    static const Entry kSpaces[] = {{0x2002, "espace demi-cadratin", "en space"},
                                    {0x2003, "espace cadratin", "em space"},
                                    {0x2007, "espace tabulaire", "figure space"},
                                    {0x2009, "espace fine", "thin space"},
                                    {0x200A, "espace ultrafine", "hair space"},
                                    {0x3000, "espace idéographique", "ideographic space"}};
    static const Entry kInvisible[] = {{0x00AD, "trait d'union conditionnel", "soft hyphen"},
                                       {0x200B, "espace sans chasse", "zero-width space"},
                                       {0x200C, "antiliant sans chasse", "zero-width non-joiner"},
                                       {0x200D, "liant sans chasse", "zero-width joiner"},
                                       {0x200E, "marque gauche-à-droite", "left-to-right mark"},
                                       {0x200F, "marque droite-à-gauche", "right-to-left mark"},
                                       {0x2060, "gluon de mots", "word joiner"}};
    const auto in_lang = [](const Entry& e) {
      return std::string(current_lang() == Lang::En ? e.en : e.fr);
    };
    static const Entry kAccents[] = {{0x0300, "accent grave", "grave accent"},
                                     {0x0301, "accent aigu", "acute accent"},
                                     {0x0302, "accent circonflexe", "circumflex accent"},
                                     {0x0308, "tréma", "diaeresis"},
                                     {0x0327, "cédille", "cedilla"}};
    for (const auto& e : kSpaces) {
      if (e.code_point == cp) {
        return SpecialCharacter{
            cp, in_lang(e),
            tr("remplacez-la par une espace ordinaire", "replace it with an ordinary space")};
      }
    }
    for (const auto& e : kInvisible) {
      if (e.code_point == cp) {
        return SpecialCharacter{
            cp, in_lang(e),
            tr("ce caractère invisible vient souvent d'un copier-coller : supprimez-le",
               "this invisible character often comes from copying and pasting: remove it")};
      }
    }
    if (cp >= 0x0300 && cp <= 0x036F) {
      std::string name = tr("accent combinant", "combining accent");
      for (const auto& e : kAccents) {
        if (e.code_point == cp) name = tr("{} combinant", "combining {}", in_lang(e));
      }
      return SpecialCharacter{
          cp, name,
          tr("la lettre qui précède et cet accent forment une lettre accentuée décomposée "
             "(texte copié d'un PDF ?) : effacez les deux et retapez la lettre accentuée au "
             "clavier",
             "the letter before and this accent make a decomposed accented letter (text copied "
             "from a PDF?): delete both and type the accented letter again")};
    }
    return std::nullopt;
  }

  // A letter of a script that names cannot use (Arabic, Hebrew, Armenian, Indic scripts,
  // Chinese, Japanese, Korean…; grammar/Tamis.g4, IDENT): the blocks of letters, by range,
  // since the compiler has no Unicode character database of its own.
  static bool is_other_script_letter(const std::string& c) {
    const char32_t cp = text::first_code_point(c);
    if (cp < 0x80u) return false;
    return cp == 0xAAu || cp == 0xB5u || cp == 0xBAu ||          // ª µ º
           (cp >= 0x0250u && cp <= 0x02AFu) ||                   // IPA extensions
           (cp >= 0x0531u && cp <= 0x1CFFu && cp != 0x0589u) ||  // Armenian … Cyrillic ext-C
           (cp >= 0x1F00u && cp <= 0x1FFFu) ||                   // Greek Extended
           (cp >= 0x2C00u && cp <= 0x2DFFu) ||                   // Glagolitic … Ethiopic ext
           (cp >= 0x3040u && cp <= 0xD7FFu) ||                   // kana, CJK, Hangul
           (cp >= 0xF900u && cp <= 0xFAFFu) ||                   // CJK compatibility
           (cp >= 0xFB1Du && cp <= 0xFDFFu) ||                   // Hebrew, Arabic forms
           (cp >= 0xFE70u && cp <= 0xFEFCu) || cp >= 0x10000u;   // Arabic forms, other planes
  }

  // The word around an offending character: the adjacent names, digits and stray
  // characters, as written (`café名` for the `名` of `soit café名 = …`).
  static std::string word_around(TamisParser* parser, const antlr4::Token* offending) {
    if (parser == nullptr) return offending->getText();
    auto* stream = parser->getTokenStream();
    auto part = [](const antlr4::Token* t) {
      const auto type = t->getType();
      return type == TamisLexer::IDENT || type == TamisLexer::ERROR_CHAR ||
             type == TamisLexer::INTEGER;
    };
    std::size_t first = offending->getTokenIndex();
    std::size_t last = first;
    while (first > 0 && part(stream->get(first - 1)) &&
           stream->get(first - 1)->getStopIndex() + 1 == stream->get(first)->getStartIndex()) {
      --first;
    }
    while (last + 1 < stream->size() && part(stream->get(last + 1)) &&
           stream->get(last)->getStopIndex() + 1 == stream->get(last + 1)->getStartIndex()) {
      ++last;
    }
    std::string word;
    for (std::size_t i = first; i <= last; ++i) word += stream->get(i)->getText();
    if (text::count_code_points(word) > 40) return offending->getText();
    return word;
  }

  // What to do about a character that has no place in the language.
  static std::string stray_character_hint(const std::string& c) {
    if (c == ";")
      return tr("les déclarations ne se terminent pas par « ; » : supprimez-le",
                "declarations do not end with ';': remove it");
    if (c == "&")
      return tr("pour exiger deux conditions, écrivez « et »",
                "to require two conditions, write 'and'");
    if (c == "!")
      return tr("pour la négation, écrivez « non » ; pour « différent de », « ≠ »",
                "for negation, write 'not'; for 'different from', '≠'");
    if (c == "“" || c == "”" || c == "„" || c == "«" || c == "»") {
      return tr(
          "un texte s'écrit entre guillemets droits « \" » (le traitement de texte les a "
          "peut-être remplacés par des guillemets typographiques)",
          "a text is written between straight quotes '\"' (the word processor may have "
          "replaced them with typographic quotes)");
    }
    return tr("ce caractère n'a pas de sens ici ; supprimez-le ou mettez le texte entre guillemets",
              "this character has no meaning here; remove it or put the text between quotes");
  }

  // The tokens of `type` next to one another around `offending` (which is one) on its line,
  // joined by `separator`: the digits of `1 000 000`, the words of `Travaux en cours`.
  static std::string same_line_run(TamisParser* parser, const antlr4::Token* offending,
                                   std::size_t type, std::string_view separator) {
    auto* stream = parser->getTokenStream();
    const auto in_run = [&](std::size_t i) {
      return stream->get(i)->getType() == type && stream->get(i)->getLine() == offending->getLine();
    };
    std::size_t first = offending->getTokenIndex();
    while (first > 0 && in_run(first - 1)) --first;
    std::size_t last = offending->getTokenIndex();
    while (last + 1 < stream->size() && in_run(last + 1)) ++last;
    std::string run;
    for (std::size_t i = first; i <= last; ++i) {
      if (i > first) run += separator;
      run += stream->get(i)->getText();
    }
    return run;
  }

  // A hint for the usual slips behind an unexpected token, or nothing.
  static std::string unexpected_token_hint(TamisParser* parser, const antlr4::Token* offending,
                                           const std::vector<std::string>& expected) {
    if (offending == nullptr) return {};
    const std::size_t type = offending->getType();
    const std::string& text = offending->getText();
    const antlr4::Token* previous = nullptr;
    const antlr4::Token* next = nullptr;
    if (parser != nullptr && offending->getType() != antlr4::Token::EOF) {
      auto* stream = parser->getTokenStream();
      const std::size_t index = offending->getTokenIndex();
      if (index > 0) previous = stream->get(index - 1);
      if (index + 1 < stream->size()) next = stream->get(index + 1);
    }
    if (type == TamisLexer::NOT && next != nullptr && starts_operand(next)) {
      // `a = non b`: `non` stands only where a whole condition may (grammar/Tamis.g4).
      return tr(
          "« non » nie une condition entière : mettez-le entre parenthèses avec ce qu'il "
          "nie, par exemple « (non {}) »",
          "'not' negates a whole condition: put it between brackets with what it "
          "negates, for example '(not {})'",
          next->getText());
    }
    if (text == "=" && previous != nullptr && previous->getText() == "=") {
      return tr("pour comparer, écrivez un seul « = » (par exemple « maturite = travaux »)",
                "to compare, write a single '=' (for example 'maturite = travaux')");
    }
    if (text == "," && previous != nullptr && previous->getType() == TamisLexer::INTEGER &&
        next != nullptr && next->getType() == TamisLexer::INTEGER) {
      return tr("un nombre décimal s'écrit avec un point : {}.{}",
                "a decimal number is written with a point: {}.{}", previous->getText(),
                next->getText());
    }
    if (type == TamisLexer::INTEGER && previous != nullptr &&
        previous->getType() == TamisLexer::INTEGER && previous->getLine() == offending->getLine()) {
      // `1 000 000`: thousands written apart, as in French prose; the digits of the whole run.
      const std::string digits = same_line_run(parser, offending, TamisLexer::INTEGER, "");
      return tr("un nombre s'écrit sans espace entre ses chiffres : {}",
                "a number is written without spaces between its digits: {}", digits);
    }
    if (type == TamisLexer::EMPTY && previous != nullptr &&
        (previous->getText() == "=" || previous->getType() == TamisLexer::NEQ)) {
      // `x = vide`: an empty answer is tested, not compared.
      auto* stream = parser->getTokenStream();
      const std::size_t at = previous->getTokenIndex();
      const std::string name = at > 0 && stream->get(at - 1)->getType() == TamisLexer::IDENT
                                   ? stream->get(at - 1)->getText()
                                   : "…";
      return tr(
          "pour une réponse vide, écrivez « {} n'est pas renseigné » (« {} est renseigné » "
          "pour le contraire) ; pour un ensemble sans élément, « {} est vide »",
          "for an empty answer, write '{} is not set' ('{} is set' for the opposite); for "
          "a set without members, '{} is empty'",
          name, name, name);
    }
    if (keyword_as_operand(previous, offending) ||
        (name_like_keyword(offending) && expected.size() == 1 &&
         expected[0] == tr("un nom", "a name"))) {
      return reserved_word_hint(offending);
    }
    if (type == TamisLexer::RULE && expected.size() == 1 && expected[0] == quote_word("}")) {
      return tr("« sinon » doit venir en dernier, après toutes les règles de la décision",
                "'otherwise' must come last, after all the rules of the decision");
    }
    if (type == TamisLexer::OTHERWISE && expected.size() == 1 && expected[0] == quote_word("}")) {
      if (auto hint = second_otherwise_hint(parser, offending)) return *hint;
    }
    if ((type == TamisLexer::RULE || type == TamisLexer::OTHERWISE) && parser != nullptr &&
        dynamic_cast<TamisParser::FileContext*>(parser->getContext()) != nullptr) {
      return outside_decision_hint(parser, offending);
    }
    if (auto kw = capitalised_keyword(offending)) return lower_case_keyword_hint(*kw);
    if (auto kw = capitalised_keyword(previous);
        kw && previous->getLine() == offending->getLine()) {
      return lower_case_keyword_hint(*kw);  // `et Non mature`: the error falls on `mature`
    }
    if (text == "}" && previous != nullptr && previous->getText() == ",") {
      return tr("supprimez la virgule après la dernière valeur",
                "remove the comma after the last value");
    }
    if (type != TamisLexer::IDENT) return {};
    if (auto hint = negation_or_interval_hint(offending, previous)) return *hint;
    // First words of the multi-word keywords.
    // (French words: the English answer keeps them, and gives the English spelling.)
    if (text == "est")
      return tr("vouliez-vous dire « est renseigné » ou « est vide » ?",
                "did you mean 'est renseigné' (is set) or 'est vide' (is empty)?");
    if (text == "parce")
      return tr("une justification s'écrit « parce que \"…\" »",
                "a justification is written 'parce que \"…\"' (or 'because \"…\"')");
    if (text == "ensemble")
      return tr("un type d'ensemble s'écrit « ensemble de Type »",
                "a set type is written 'ensemble de Type' (or 'set of Type')");
    if (text == "par")
      return tr("une valeur par défaut s'écrit « … par défaut valeur »",
                "a default value is written '… par défaut value' (or '… default value')");
    if (auto kw = closest_keyword(text)) {
      return tr("vouliez-vous dire le mot-clé « {} » ?", "did you mean the keyword '{}'?", *kw);
    }
    if (expected.size() == 1 &&
        expected[0] == tr("un texte entre guillemets", "a text between quotes")) {
      return tr("mettez ce texte entre guillemets droits « \" »",
                "put this text between straight quotes '\"'");
    }
    if (previous != nullptr && previous->getType() == TamisLexer::IDENT &&
        previous->getLine() == offending->getLine() &&
        std::find(expected.begin(), expected.end(), quote_word(",")) != expected.end()) {
      // `{idee travaux}`: two values of a set.
      return tr("séparez les valeurs par une virgule : « {}, {} »",
                "separate the values with a comma: '{}, {}'", previous->getText(), text);
    }
    if (previous != nullptr && previous->getType() == TamisLexer::IDENT &&
        previous->getLine() == offending->getLine()) {
      // `maturite = Travaux en cours`: the words of a label written without quotes.
      const std::string words = same_line_run(parser, offending, TamisLexer::IDENT, " ");
      return tr("pour un libellé de plusieurs mots, écrivez-le entre guillemets : \"{}\"",
                "for a label of several words, write it between quotes: \"{}\"", words);
    }
    return {};
  }

  // French phrasings the language writes otherwise (`x n'est pas dans E`: see
  // read_is_not_in): `E ne contient pas x` (non (E contient x)), `x entre a et b` (two
  // comparisons).
  static std::optional<std::string> negation_or_interval_hint(const antlr4::Token* offending,
                                                              const antlr4::Token* previous) {
    const std::string& text = offending->getText();
    const std::string subject = previous != nullptr && previous->getType() == TamisLexer::IDENT &&
                                        previous->getLine() == offending->getLine()
                                    ? previous->getText()
                                    : "x";
    if (text == "ne") {
      return tr(
          "pour dire qu'un ensemble ne contient pas une valeur, écrivez « non ({} "
          "contient …) » ou « … pas dans {} »",
          "to say that a set does not contain a value, write 'not ({} contains …)' or "
          "'… not in {}'",
          subject, subject);
    }
    if (text == "entre") {
      return tr("pour un intervalle, écrivez deux comparaisons : « {} >= début et {} <= fin »",
                "for an interval, write two comparisons: '{} >= start and {} <= end'", subject,
                subject);
    }
    return std::nullopt;
  }

  static std::string join_alternatives(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += (i + 1 == items.size()) ? tr(" ou ", " or ") : ", ";
      out += items[i];
    }
    return out;
  }

  FileId file_;
  DiagnosticSink& sink_;
  std::size_t last_line_ = 0;
  std::size_t count_ = 0;
};

// --------------------------------------------------------------- pre-pass

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
      if (stack.empty() && s == "}" && block_close != nullptr && after_close != nullptr) {
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

// ------------------------------------------------------------- conversion

// dynamic_cast<T*>(ctx) for the parse tree's context classes, remembered per dynamic class:
// the answer depends only on the two classes, while libstdc++'s dynamic_cast walks the
// class hierarchy comparing class names (the converter asks for every expression node:
// about a tenth of the time of a 10,000-rule set went there).
template <typename T, typename Base>
T* context_cast(Base* ctx) {
  if (ctx == nullptr) return nullptr;
  thread_local std::vector<std::pair<const std::type_info*, bool>> known;  // one per T
  const std::type_info* dynamic = &typeid(*ctx);
  for (const auto& [type, is_t] : known) {
    if (type == dynamic) return is_t ? static_cast<T*>(ctx) : nullptr;
  }
  T* result = dynamic_cast<T*>(ctx);
  known.emplace_back(dynamic, result != nullptr);
  return result;
}

class Converter {
 public:
  Converter(FileId file, DiagnosticSink& sink, const ParseLimits& limits)
      : file_(file), sink_(sink), limits_(limits) {}

  ast::File convert(TamisParser::FileContext* ctx) {
    ast::File out;
    out.file = file_;
    for (auto* decl : ctx->declaration()) {
      if (auto* d = decl->ruleSetDecl()) out.rule_sets.push_back(rule_set(d));
      if (auto* d = decl->enumDecl()) out.enums.push_back(enum_decl(d));
      if (auto* d = decl->schemaDecl()) out.schemas.push_back(schema(d));
      if (auto* d = decl->tableDecl()) out.tables.push_back(table(d));
      if (auto* d = decl->letDecl()) out.lets.push_back(let(d));
      if (auto* d = decl->decisionDecl()) out.decisions.push_back(decision(d));
      if (auto* d = decl->outputDecl()) out.outputs.push_back(output(d));
      if (auto* d = decl->summaryDecl()) out.summaries.push_back(summary(d));
      if (auto* d = decl->testDecl()) out.tests.push_back(test(d));
    }
    return out;
  }

 private:
  SourceRange range(antlr4::ParserRuleContext* ctx) const { return context_range(file_, ctx); }
  SourceRange range(const antlr4::Token* t) const { return token_range(file_, t); }

  ast::Name name(const antlr4::Token* t) const {
    if (t == nullptr) return {};
    return {t->getText(), range(t)};
  }
  ast::Name name(antlr4::tree::TerminalNode* n) const {
    return n == nullptr ? ast::Name{} : name(n->getSymbol());
  }
  ast::Name string_name(const antlr4::Token* t) const {
    if (t == nullptr) return {};
    return {unescape(t->getText()), range(t)};
  }

  static std::string unescape(const std::string& quoted) {
    std::string out;
    if (quoted.size() < 2) return out;
    for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
      char c = quoted[i];
      if (c == '\\' && i + 2 < quoted.size()) {
        c = quoted[++i];
        if (c == 'n') c = '\n';
        if (c == 't') c = '\t';
      }
      out += c;
    }
    return out;
  }

  ast::RuleSetDecl rule_set(TamisParser::RuleSetDeclContext* ctx) {
    ast::RuleSetDecl d;
    d.name = string_name(ctx->name).text;
    if (ctx->version != nullptr) d.version = string_name(ctx->version).text;
    if (ctx->parent != nullptr) d.parent = string_name(ctx->parent);
    d.range = range(ctx);
    return d;
  }

  std::vector<ast::Name> aliases(TamisParser::AliasListContext* ctx) {
    std::vector<ast::Name> out;
    if (ctx == nullptr) return out;
    for (auto* s : ctx->STRING()) out.push_back(string_name(s->getSymbol()));
    return out;
  }

  ast::EnumDecl enum_decl(TamisParser::EnumDeclContext* ctx) {
    ast::EnumDecl d;
    if (ctx->extend != nullptr) d.change = ast::Change::Extend;
    if (ctx->replace != nullptr) d.change = ast::Change::Replace;
    d.name = name(ctx->name);
    d.range = range(ctx);
    for (auto* v : ctx->enumValue()) {
      ast::EnumValueDecl value;
      value.name = name(v->name);
      if (v->label != nullptr) value.label = string_name(v->label).text;
      if (v->code != nullptr) value.code = string_name(v->code);
      value.aliases = aliases(v->aliasList());
      value.range = range(v);
      d.values.push_back(std::move(value));
    }
    return d;
  }

  ast::TypeRef type_ref(TamisParser::TypeRefContext* ctx) {
    ast::TypeRef t;
    if (ctx == nullptr) return t;
    t.range = range(ctx);
    if (auto* s = context_cast<TamisParser::SetTypeContext>(ctx)) {
      t.name = name(s->elem);
      t.set = true;
    } else if (auto* n = context_cast<TamisParser::NamedTypeContext>(ctx)) {
      t.name = name(n->name);
      t.optional = n->optional != nullptr;
    }
    return t;
  }

  ast::SchemaDecl schema(TamisParser::SchemaDeclContext* ctx) {
    ast::SchemaDecl d;
    if (ctx->extend != nullptr) d.change = ast::Change::Extend;
    if (ctx->replace != nullptr) d.change = ast::Change::Replace;
    d.name = name(ctx->name);
    d.range = range(ctx);
    for (auto* f : ctx->fieldDecl()) {
      d.fields.push_back({name(f->name), type_ref(f->typeRef()), string_name(f->column), range(f)});
    }
    return d;
  }

  // A decimal written in a rule is taken exactly: more than 6 decimals, or a value
  // beyond the decimal range, is an error rather than a rounding the author did not see.
  void decimal_literal(ast::Literal& lit, const antlr4::Token* t) {
    if (auto v = decimal::parse(lit.text, decimal::Excess::Reject)) {
      lit.decimal = *v;
      return;
    }
    const std::size_t point = lit.text.find('.');
    if (lit.text.size() - point - 1 > decimal::kDigits) {
      sink_.error(
          "E0007", range(t),
          tr("nombre « {} » trop précis : un décimal a au plus 6 chiffres après le point",
             "number '{}' too precise: a decimal has at most 6 digits after the point", lit.text));
    } else {
      sink_.error("E0007", range(t),
                  tr("nombre trop grand « {} »", "number too large '{}'", lit.text));
    }
  }

  // A `literal` or a `valueLiteral`: one token.
  ast::Literal literal(antlr4::ParserRuleContext* ctx) {
    ast::Literal lit;
    const antlr4::Token* t = ctx->getStart();
    lit.text = t->getText();
    switch (t->getType()) {
      case TamisLexer::INTEGER: {
        lit.kind = ast::Literal::Kind::Integer;
        const auto [p, ec] =
            std::from_chars(lit.text.data(), lit.text.data() + lit.text.size(), lit.integer);
        if (ec != std::errc{} || p != lit.text.data() + lit.text.size()) {
          sink_.error("E0007", range(t),
                      tr("nombre trop grand « {} »", "number too large '{}'", lit.text));
        }
        break;
      }
      case TamisLexer::DECIMAL: {
        lit.kind = ast::Literal::Kind::Decimal;
        decimal_literal(lit, t);
        break;
      }
      case TamisLexer::STRING:
        lit.kind = ast::Literal::Kind::Text;
        lit.text = unescape(lit.text);
        break;
      case TamisLexer::DATE: {
        lit.kind = ast::Literal::Kind::Date;
        if (auto days = text::parse_date(lit.text)) {
          lit.date = *days;
        } else {
          // The lexer only accepts AAAA-MM-JJ: the day or the month does not exist.
          sink_.error("E0007", range(t),
                      tr("date invalide « {} » : cette date n'existe pas",
                         "invalid date '{}': this date does not exist", lit.text),
                      tr("une date s'écrit AAAA-MM-JJ, avec un mois de 01 à 12 et un jour qui "
                         "existe dans ce mois",
                         "a date is written YYYY-MM-DD, with a month from 01 to 12 and a day "
                         "that exists in that month"));
        }
        break;
      }
      case TamisLexer::TRUE:
        lit.kind = ast::Literal::Kind::Boolean;
        lit.boolean = true;
        break;
      default:  // FALSE, or a bare `non`
        lit.kind = ast::Literal::Kind::Boolean;
        lit.boolean = false;
        break;
    }
    return lit;
  }

  ast::TableDecl table(TamisParser::TableDeclContext* ctx) {
    ast::TableDecl d;
    d.name = name(ctx->name);
    d.range = range(ctx);
    for (auto* c : ctx->columnDecl()) d.columns.push_back({name(c->name), type_ref(c->typeRef())});
    if (ctx->extend != nullptr) d.change = ast::Change::Extend;
    if (ctx->replace != nullptr) d.change = ast::Change::Replace;
    for (auto* entry : ctx->tableEntry()) {
      ast::TableRow row;
      if (entry->REMOVE() != nullptr) {
        row.change = ast::Change::Remove;
        row.key = string_name(entry->key);
        row.range = range(entry);
        d.rows.push_back(std::move(row));
        continue;
      }
      if (entry->replace != nullptr) row.change = ast::Change::Replace;
      auto* r = entry->tableRow();
      row.key = string_name(r->key);
      row.aliases = aliases(r->aliasList());
      row.range = range(r);
      for (auto* c : r->cell()) {
        ast::Cell cell;
        cell.range = range(c);
        if (auto* lc = context_cast<TamisParser::LiteralCellContext>(c)) {
          cell.kind = ast::Cell::Kind::Literal;
          cell.literal = literal(lc->literal());
        } else if (auto* sc = context_cast<TamisParser::SetCellContext>(c)) {
          cell.kind = ast::Cell::Kind::Set;
          for (auto* item : sc->cellItem()) {
            const bool is_label = item->STRING() != nullptr;
            cell.items.push_back(is_label ? string_name(item->STRING()->getSymbol())
                                          : name(item->IDENT()));
            cell.item_is_label.push_back(is_label);
          }
        }
        row.cells.push_back(std::move(cell));
      }
      d.rows.push_back(std::move(row));
    }
    return d;
  }

  ast::LetDecl let(TamisParser::LetDeclContext* ctx) {
    ast::LetDecl d;
    if (ctx->replace != nullptr) d.change = ast::Change::Replace;
    d.name = name(ctx->name);
    if (ctx->label != nullptr) d.label = string_name(ctx->label).text;
    if (ctx->typeRef() != nullptr) d.type = type_ref(ctx->typeRef());
    d.value = expr(ctx->expr(), 0);
    d.range = range(ctx);
    return d;
  }

  ast::DecisionDecl decision(TamisParser::DecisionDeclContext* ctx) {
    ast::DecisionDecl d;
    d.name = name(ctx->name);
    if (ctx->type != nullptr) d.type = name(ctx->type);
    d.range = range(ctx);
    if (auto* p = ctx->hitPolicy()) {
      d.policy = p->UNIQUE() != nullptr    ? ast::HitPolicy::Unique
                 : p->COLLECT() != nullptr ? ast::HitPolicy::Collect
                                           : ast::HitPolicy::First;
    }
    if (ctx->extend != nullptr) d.change = ast::Change::Extend;
    if (ctx->replace != nullptr) d.change = ast::Change::Replace;
    for (auto* entry : ctx->decisionEntry()) {
      ast::RuleDecl rule;
      if (entry->REMOVE() != nullptr) {
        rule.change = ast::Change::Remove;
        rule.name = string_name(entry->name);
        rule.range = range(entry);
        d.rules.push_back(std::move(rule));
        continue;
      }
      if (entry->replace != nullptr) rule.change = ast::Change::Replace;
      auto* r = entry->ruleDecl();
      rule.name = string_name(r->name);
      rule.condition = expr(r->cond, 0);
      rule.result = expr(r->result, 0);
      if (r->reason() != nullptr) rule.reason = string_name(r->reason()->text).text;
      rule.range = range(r);
      d.rules.push_back(std::move(rule));
    }
    if (auto* f = ctx->fallbackDecl()) {
      ast::RuleDecl rule;
      if (f->replace != nullptr) rule.change = ast::Change::Replace;
      rule.name = f->name != nullptr ? string_name(f->name) : ast::Name{"sinon", range(f)};
      rule.result = expr(f->result, 0);
      if (f->reason() != nullptr) rule.reason = string_name(f->reason()->text).text;
      rule.range = range(f);
      d.fallback = std::move(rule);
    }
    return d;
  }

  ast::OutputDecl output(TamisParser::OutputDeclContext* ctx) {
    ast::OutputDecl d;
    if (ctx->replace != nullptr) d.change = ast::Change::Replace;
    d.range = range(ctx);
    for (auto* c : ctx->outputColumn()) {
      ast::OutputColumn col;
      col.name = c->STRING() != nullptr ? string_name(c->STRING()->getSymbol()) : name(c->IDENT());
      col.value = expr(c->expr(), 0);
      d.columns.push_back(std::move(col));
    }
    return d;
  }

  ast::SummaryDecl summary(TamisParser::SummaryDeclContext* ctx) {
    ast::SummaryDecl d;
    d.title = string_name(ctx->title);
    d.rows = expr(ctx->rows, 0);
    if (ctx->cols != nullptr) d.columns = expr(ctx->cols, 0);
    if (ctx->cond != nullptr) d.condition = expr(ctx->cond, 0);
    d.range = range(ctx);
    return d;
  }

  ast::TestDecl test(TamisParser::TestDeclContext* ctx) {
    ast::TestDecl d;
    d.name = string_name(ctx->name);
    d.range = range(ctx);
    for (auto* g : ctx->testGiven()) {
      if (g->value == nullptr) continue;  // a syntax error, already reported
      const ast::Literal lit = literal(g->value);
      // Texts are cells as written; other literals stand for their spelling (2025-12-31, 12).
      std::string cell = lit.kind == ast::Literal::Kind::Text      ? lit.text
                         : lit.kind == ast::Literal::Kind::Boolean ? (lit.boolean ? "Oui" : "Non")
                                                                   : g->value->getText();
      d.given.push_back({name(g->field), std::move(cell), range(g)});
    }
    for (auto* e : ctx->testExpect()) {
      ast::TestExpect x;
      x.output = e->STRING().size() > (e->ruleName != nullptr ? 1U : 0U);
      x.name = x.output ? string_name(e->STRING(0)->getSymbol()) : name(e->IDENT());
      x.value = expr(e->expr(), 0);
      if (e->ruleName != nullptr) x.rule = string_name(e->ruleName);
      x.range = range(e);
      d.expected.push_back(std::move(x));
    }
    return d;
  }

  // ---- expressions

  ast::ExprPtr make(ast::ExprKind kind, antlr4::ParserRuleContext* ctx) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = kind;
    if (ctx != nullptr) e->range = range(ctx);
    return e;
  }

  ast::ExprPtr error_expr(antlr4::ParserRuleContext* ctx) {
    auto e = make(ast::ExprKind::Literal, ctx);
    e->literal.kind = ast::Literal::Kind::Boolean;
    return e;
  }

  // Reports (once per file) an expression nested deeper than the limit; true then.
  bool too_deep(antlr4::ParserRuleContext* ctx, std::size_t depth) {
    if (depth <= 4 * limits_.max_nesting) return false;
    if (!depth_reported_) {
      sink_.error(
          "E0004", range(ctx), tr("expression trop imbriquée", "expression nested too deeply"),
          tr("découpez-la avec des définitions « soit »", "split it with 'let' definitions"));
      depth_reported_ = true;
    }
    return true;
  }

  // Conditions joined by `et` and `ou`: `et` binds tighter, and each run of one
  // operator is one flat node (`a et b et c`), however long.
  ast::ExprPtr expr(TamisParser::ExprContext* ctx, std::size_t depth) {
    if (ctx == nullptr) return std::make_unique<ast::Expr>();
    if (too_deep(ctx, depth)) return error_expr(ctx);
    const auto& children = ctx->children;
    const auto is_or = [&](std::size_t i) {
      auto* t = context_cast<antlr4::tree::TerminalNode>(children[i]);
      return t != nullptr && t->getSymbol()->getType() == TamisLexer::OR;
    };
    // The `et` runs between the `ou`s: [first, last] child indices, conditions at both ends.
    std::vector<std::pair<std::size_t, std::size_t>> runs;
    std::size_t first = 0;
    for (std::size_t i = 1; i < children.size(); i += 2) {
      if (is_or(i)) {
        runs.emplace_back(first, i - 1);
        first = i + 1;
      }
    }
    runs.emplace_back(first, children.size() - 1);
    const std::size_t inner = depth + (runs.size() > 1 ? 1 : 0);
    const auto and_run = [&](std::size_t from, std::size_t to) -> ast::ExprPtr {
      if (from == to) return condition(children[from], inner);
      auto e = make(ast::ExprKind::And, ctx);
      span(*e, children[from], children[to]);
      for (std::size_t i = from; i <= to; i += 2)
        e->args.push_back(condition(children[i], inner + 1));
      return e;
    };
    if (runs.size() == 1) return and_run(runs[0].first, runs[0].second);
    auto e = make(ast::ExprKind::Or, ctx);
    for (const auto& [from, to] : runs) e->args.push_back(and_run(from, to));
    return e;
  }

  // `non non a = b`: each `non` spans from itself to the end of the condition.
  ast::ExprPtr condition(antlr4::tree::ParseTree* node, std::size_t depth) {
    auto* ctx = context_cast<TamisParser::ConditionContext>(node);
    if (ctx == nullptr || ctx->operation() == nullptr) return error_expr(nullptr);
    const auto nots = ctx->NOT();
    if (too_deep(ctx, depth + nots.size())) return error_expr(ctx);
    ast::ExprPtr e = operation(ctx->operation(), depth + nots.size());
    for (std::size_t k = nots.size(); k-- > 0;) {
      const antlr4::Token* op = nots[k]->getSymbol();
      auto node_not = unary(ctx, ast::UnaryOp::Not, op, std::move(e));
      const SourceRange start = range(op);
      node_not->range.line = start.line;
      node_not->range.column = start.column;
      e = std::move(node_not);
    }
    return e;
  }

  // Operands and binary operators, grouped by precedence (grammar/Tamis.g4), each level
  // from the left: `a - b * c + d` is ((a - (b * c)) + d).
  ast::ExprPtr operation(TamisParser::OperationContext* ctx, std::size_t depth) {
    const auto& children = ctx->children;
    const std::size_t operators = children.size() / 2;
    if (too_deep(ctx, depth + operators)) return error_expr(ctx);
    std::size_t next = 0;  // the child to read
    return climb(children, next, 0, depth + operators);
  }

  static int precedence(ast::BinaryOp op) {
    switch (op) {
      case ast::BinaryOp::In:
      case ast::BinaryOp::NotIn:
      case ast::BinaryOp::Contains:
        return 1;
      case ast::BinaryOp::Eq:
      case ast::BinaryOp::Ne:
      case ast::BinaryOp::Lt:
      case ast::BinaryOp::Le:
      case ast::BinaryOp::Gt:
      case ast::BinaryOp::Ge:
        return 2;
      case ast::BinaryOp::Default:
        return 3;
      case ast::BinaryOp::Add:
      case ast::BinaryOp::Sub:
        return 4;
      case ast::BinaryOp::Mul:
      case ast::BinaryOp::Div:
        return 5;
    }
    return 0;
  }

  // Precedence climbing from children[next]: an operand, then the operators of at least
  // `min_precedence` with their right-hand sides (which take only tighter operators).
  // Recurses once per precedence level, not per operator.
  ast::ExprPtr climb(const std::vector<antlr4::tree::ParseTree*>& children, std::size_t& next,
                     int min_precedence, std::size_t depth) {
    auto* first = context_cast<TamisParser::UnaryExprContext>(children[next]);
    ast::ExprPtr e = unary_operand(first, depth);
    ++next;
    while (next + 1 < children.size()) {
      auto* op = context_cast<antlr4::tree::TerminalNode>(children[next]);
      if (op == nullptr) return e;  // error recovery's nodes
      const ast::BinaryOp binary = binary_op(op->getSymbol());
      const int level = precedence(binary);
      if (level < min_precedence) return e;
      ++next;
      ast::ExprPtr rhs = climb(children, next, level + 1, depth);
      auto node = make(ast::ExprKind::Binary, first);
      span(*node, first, children[next - 1]);  // to the last operand the right-hand side read
      node->binary_op = binary;
      node->op_range = range(op->getSymbol());
      node->args.push_back(std::move(e));
      node->args.push_back(std::move(rhs));
      e = std::move(node);
    }
    return e;
  }

  // Makes `e` span from the first token of `from` to the last of `to`.
  void span(ast::Expr& e, antlr4::tree::ParseTree* from, antlr4::tree::ParseTree* to) const {
    auto* start = context_cast<antlr4::ParserRuleContext>(from);
    auto* stop = context_cast<antlr4::ParserRuleContext>(to);
    if (start == nullptr || stop == nullptr) return;
    const SourceRange begin = range(start);
    const SourceRange end = range(stop);
    e.range = begin;
    e.range.end_line = end.end_line;
    e.range.end_column = end.end_column;
  }

  ast::ExprPtr unary_operand(TamisParser::UnaryExprContext* ctx, std::size_t depth) {
    if (ctx == nullptr) return error_expr(nullptr);
    if (too_deep(ctx, depth)) return error_expr(ctx);
    if (auto* c = context_cast<TamisParser::NegExprContext>(ctx)) {
      return unary(c, ast::UnaryOp::Negate, c->getStart(),
                   unary_operand(c->unaryExpr(), depth + 1));
    }
    if (auto* c = context_cast<TamisParser::PostfixExprContext>(ctx)) return postfix(c, depth);
    return error_expr(ctx);
  }

  static ast::BinaryOp binary_op(const antlr4::Token* op) {
    switch (op->getType()) {
      case TamisLexer::IN:
        return ast::BinaryOp::In;
      case TamisLexer::NOT_IN:
        return ast::BinaryOp::NotIn;
      case TamisLexer::CONTAINS:
        return ast::BinaryOp::Contains;
      case TamisLexer::NEQ:
        return ast::BinaryOp::Ne;
      case TamisLexer::LE:
        return ast::BinaryOp::Le;
      case TamisLexer::GE:
        return ast::BinaryOp::Ge;
      case TamisLexer::DEFAULT:
        return ast::BinaryOp::Default;
      default:
        break;
    }
    const std::string s = op->getText();
    if (s == "<") return ast::BinaryOp::Lt;
    if (s == ">") return ast::BinaryOp::Gt;
    if (s == "+") return ast::BinaryOp::Add;
    if (s == "-") return ast::BinaryOp::Sub;
    if (s == "*") return ast::BinaryOp::Mul;
    if (s == "/") return ast::BinaryOp::Div;
    return ast::BinaryOp::Eq;
  }

  ast::ExprPtr unary(antlr4::ParserRuleContext* ctx, ast::UnaryOp op, const antlr4::Token* op_token,
                     ast::ExprPtr operand) {
    auto e = make(ast::ExprKind::Unary, ctx);
    e->unary_op = op;
    e->op_range = range(op_token);
    e->args.push_back(std::move(operand));
    return e;
  }

  // A primary and its suffixes, in order: `a.b est renseigné` is (a.b) est renseigné.
  // Each node spans from the primary to its suffix.
  ast::ExprPtr postfix(TamisParser::PostfixExprContext* ctx, std::size_t depth) {
    const auto suffixes = ctx->suffix();
    if (too_deep(ctx, depth + suffixes.size())) return error_expr(ctx);
    ast::ExprPtr e = primary(ctx->primary(), depth + suffixes.size());
    for (auto* suffix : suffixes) {
      if (auto* m = context_cast<TamisParser::MemberSuffixContext>(suffix)) {
        auto node = make(ast::ExprKind::Member, ctx);
        node->name = name(m->IDENT());
        node->args.push_back(std::move(e));
        e = std::move(node);
      } else if (auto* t = context_cast<TamisParser::TestSuffixContext>(suffix)) {
        ast::UnaryOp op = ast::UnaryOp::IsSet;
        switch (t->test->getType()) {
          case TamisLexer::IS_NOT_SET:
            op = ast::UnaryOp::IsNotSet;
            break;
          case TamisLexer::IS_EMPTY:
            op = ast::UnaryOp::IsEmpty;
            break;
          case TamisLexer::IS_NOT_EMPTY:
            op = ast::UnaryOp::IsNotEmpty;
            break;
          default:
            break;
        }
        e = unary(ctx, op, t->test, std::move(e));
      } else {
        continue;
      }
      span(*e, ctx->primary(), suffix);
    }
    return e;
  }

  ast::ExprPtr primary(TamisParser::PrimaryContext* ctx, std::size_t depth) {
    using P = TamisParser;
    if (ctx == nullptr) return std::make_unique<ast::Expr>();
    if (auto* c = context_cast<P::LiteralPrimaryContext>(ctx)) {
      auto e = make(ast::ExprKind::Literal, c);
      e->literal = literal(c->valueLiteral());
      return e;
    }
    if (auto* c = context_cast<P::ParenPrimaryContext>(ctx)) {
      auto inner = expr(c->expr(), depth + 1);
      inner->range = range(c);
      return inner;
    }
    if (auto* c = context_cast<P::SetPrimaryContext>(ctx)) {
      auto e = make(ast::ExprKind::SetLiteral, c);
      for (auto* item : c->expr()) e->args.push_back(expr(item, depth + 1));
      return e;
    }
    if (auto* c = context_cast<P::NamePrimaryContext>(ctx)) {
      const bool call = c->children.size() > 1;  // IDENT ( … )
      auto e = make(call ? ast::ExprKind::Call : ast::ExprKind::Name, c);
      e->name = name(c->IDENT());
      for (auto* item : c->expr()) e->args.push_back(expr(item, depth + 1));
      return e;
    }
    return error_expr(ctx);
  }

  FileId file_;
  DiagnosticSink& sink_;
  const ParseLimits& limits_;
  bool depth_reported_ = false;
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
    ErrorListener listener(file, sink);
    try {
      tree = parser.file();
    } catch (const antlr4::ParseCancellationException&) {
      parser.restart();
      simulator->setPredictionMode(antlr4::atn::PredictionMode::LL);
      parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
      parser.addErrorListener(&listener);
      tree = parser.file();
    }
    Converter converter(file, sink, limits);
    return converter.convert(tree);
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
