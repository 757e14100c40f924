// The parser's error listener and its hints (syntax_hints.hpp).
#include "compiler/syntax/syntax_hints.hpp"

#include <TamisLexer.h>
#include <TamisParser.h>

#include <algorithm>
#include <optional>

#include "compiler/syntax/keywords.hpp"
#include "compiler/syntax/token_helpers.hpp"
#include "support/lang.hpp"
#include "support/text.hpp"

namespace tamis::syntax {
namespace {

using grammar::TamisLexer;
using grammar::TamisParser;

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

  // Whether `t` comes right after `sinon` or after `sinon "label"`.
  static bool after_otherwise(TamisParser* parser, const antlr4::Token* t) {
    if (parser == nullptr) return false;
    auto* stream = parser->getTokenStream();
    const std::size_t index = t->getTokenIndex();
    if (index >= 1 && stream->get(index - 1)->getType() == TamisLexer::OTHERWISE) return true;
    return index >= 2 && stream->get(index - 1)->getType() == TamisLexer::STRING &&
           stream->get(index - 2)->getType() == TamisLexer::OTHERWISE;
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
    if (type == TamisLexer::IF && after_otherwise(parser, offending)) {
      // `sinon si …` or `sinon "R4" si …`, as « else if »: the fallback has no condition.
      return tr(
          "« sinon » n'a pas de condition : il s'applique quand aucune règle ne s'applique ; "
          "pour une condition, écrivez une règle de plus avant lui (« règle \"…\" si … alors "
          "… »)",
          "'otherwise' has no condition: it applies when no rule applies; for a condition, "
          "write one more rule before it ('règle \"…\" si … alors …')");
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

}  // namespace

std::unique_ptr<antlr4::ANTLRErrorListener> make_error_listener(FileId file, DiagnosticSink& sink) {
  return std::make_unique<ErrorListener>(file, sink);
}

}  // namespace tamis::syntax
