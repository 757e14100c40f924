// The hand-written lexer (compiler/syntax/lexer.cpp) gives exactly the tokens of the lexer
// ANTLR generates from grammar/Tamis.g4: on every rule file of the repository, on the
// fuzzing seeds, and on random text made of the grammar's tricky pieces.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "compiler/syntax/lexer_check.hpp"
#include "support/source.hpp"
#include "support/text.hpp"

namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string utf8(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
  return s;
}

// As parse_file() gives it to the lexer: valid UTF-8, lone CRs made LFs.
bool lexable(const std::string& text) {
  return !tamis::text::first_invalid_utf8(text).has_value();
}

}  // namespace

TEST_CASE("hand-written lexer = generated lexer on the repository's rule files", "[lexer]") {
  std::size_t files = 0;
  for (const char* folder : {"rules", "tests", "examples", "bench"}) {
    const fs::path root = fs::path(TAMIS_SOURCE_DIR) / folder;
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      const auto ext = entry.path().extension();
      const bool fuzz_input = entry.path().string().find("fuzz_rules") != std::string::npos;
      if (ext != ".tamis" && !fuzz_input) continue;
      if (entry.file_size() > 512 * 1024) continue;
      const std::string text = read(entry.path());
      if (!lexable(text)) continue;
      INFO(entry.path().string());
      CHECK(tamis::syntax::lexer_differences(tamis::lone_cr_to_lf(text)) == "");
      ++files;
    }
  }
  CHECK(files > 100);
}

// Every quoted literal of grammar/Tamis.g4 ('règle', '\u2019', '<=' …), so that a keyword
// added to the grammar and not to lexer.cpp shows up here.
std::vector<std::string> grammar_literals() {
  const std::string g = read(fs::path(TAMIS_SOURCE_DIR) / "grammar" / "Tamis.g4");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (g[i] == '/' && i + 1 < g.size() && g[i + 1] == '/') {  // a comment: to the line end
      while (i < g.size() && g[i] != '\n') ++i;
      continue;
    }
    if (g[i] != '\'') continue;
    std::string literal;
    for (++i; i < g.size() && g[i] != '\''; ++i) {
      if (g[i] == '\\' && i + 1 < g.size()) {
        ++i;
        if (g[i] == 'u' && i + 4 < g.size()) {
          const auto cp = static_cast<char32_t>(std::stoul(g.substr(i + 1, 4), nullptr, 16));
          literal += utf8(cp);
          i += 4;
        } else {
          literal += g[i];
        }
      } else {
        literal += g[i];
      }
    }
    out.push_back(literal);
  }
  return out;
}

TEST_CASE("hand-written lexer = generated lexer on random text", "[lexer]") {
  std::vector<std::string> pieces = {"soit",
                                     "règle",
                                     "regle",
                                     "règles",
                                     "si",
                                     "sinon",
                                     "siège",
                                     "alors",
                                     "décision",
                                     "schéma",
                                     "énumération",
                                     "table",
                                     "synthèse",
                                     "ensemble de",
                                     "ensemble  de",
                                     "ensemble\tde",
                                     "ensemble",
                                     "de",
                                     "set of",
                                     "est renseigné",
                                     "est renseigne",
                                     "est  vide",
                                     "est",
                                     "n'est pas renseigné",
                                     "n’est pas vide",
                                     "n'est",
                                     "n’",
                                     "non renseigné",
                                     "non vide",
                                     "non",
                                     "not in",
                                     "not",
                                     "no",
                                     "pas dans",
                                     "pas",
                                     "par défaut",
                                     "par defaut",
                                     "par",
                                     "parce que",
                                     "parce",
                                     "is not set",
                                     "is set",
                                     "is empty",
                                     "is not empty",
                                     "is",
                                     "in",
                                     "dans",
                                     "contient",
                                     "et",
                                     "ou",
                                     "oui",
                                     "vrai",
                                     "faux",
                                     "vide",
                                     "empty",
                                     "_x1",
                                     "x_1",
                                     "maturité",
                                     "Ωmega",
                                     "Яблоко",
                                     "ǅ",
                                     "ª",
                                     "×",
                                     "÷",
                                     "中",
                                     "ʼ",
                                     "’",
                                     "'",
                                     "{",
                                     "}",
                                     "(",
                                     ")",
                                     ",",
                                     ":",
                                     "?",
                                     "|",
                                     "=",
                                     "==",
                                     ".",
                                     "-",
                                     "*",
                                     "/",
                                     "+",
                                     "<",
                                     ">",
                                     "<=",
                                     ">=",
                                     "<>",
                                     "!=",
                                     "!",
                                     "≠",
                                     "≤",
                                     "≥",
                                     ";",
                                     "&",
                                     "2025-12-31",
                                     "2025-12-3",
                                     "12345-12-31",
                                     "12",
                                     "3.5",
                                     "1.",
                                     ".5",
                                     "0",
                                     "\"texte\"",
                                     "\"é\\\"\"",
                                     "\"a\\\nb\"",
                                     "\"non fermé",
                                     "\"",
                                     "\"\\",
                                     "\\",
                                     "// commentaire é",
                                     "/* bloc */",
                                     "/* ** / */",
                                     "/*/",
                                     "/*",
                                     "*/",
                                     " ",
                                     "\t",
                                     "\n",
                                     "\r\n",
                                     "\u00A0",
                                     "\uFEFF",
                                     std::string(1, '\0'),
                                     "\x01",
                                     "é",
                                     "Œuvre"};
  const auto literals = grammar_literals();
  CHECK(literals.size() > 150);
  pieces.insert(pieces.end(), literals.begin(), literals.end());
  for (const auto& literal : literals) {  // each alone, and before a letter and a space
    INFO(literal);
    CHECK(tamis::syntax::lexer_differences(literal) == "");
    CHECK(tamis::syntax::lexer_differences(literal + "x " + literal + " ") == "");
  }
  std::mt19937 random(20241206);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> glue(0, 3);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (int i = 0; i < 25; ++i) {
      text += pieces[pick(random)];
      if (glue(random) == 0) text += ' ';
    }
    INFO(text);
    REQUIRE(tamis::syntax::lexer_differences(tamis::lone_cr_to_lf(text)) == "");
  }
}
