#include <random>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "support/bytes.hpp"
#include "support/exact_spellings.hpp"

using tamis::ExactSpellings;
using Spellings = std::vector<std::pair<std::string, std::uint32_t>>;

TEST_CASE("ExactSpellings: each text found with its number, nothing else found",
          "[exact_spellings]") {
  // Département spellings as the COP rules give them: names, labels, codes, aliases of
  // equal sizes (« Nord », « Oise », « nord », « oise »).
  const Spellings spellings{
      {"aisne", 0},         {"Aisne (02)", 0},         {"Aisne", 0},        {"02", 0},
      {"nord", 1},          {"Nord (59)", 1},          {"Nord", 1},         {"59", 1},
      {"oise", 2},          {"Oise (60)", 2},          {"Oise", 2},         {"60", 2},
      {"pas_de_calais", 3}, {"Pas-de-Calais (62)", 3}, {"Pas-de-Calais", 3}};
  const ExactSpellings index(spellings);
  CHECK(index.size() == spellings.size());
  for (const auto& [text, id] : spellings) {
    INFO(text);
    REQUIRE(index.find(text) == id);
  }
  for (const char* other : {"", "N", "Nor", "NORD", "Nord ", " Nord", "Oise (61)",
                            "Pas-de-Calais (63)", "pas-de-calais", "Aisne (02) ", "0", "020"}) {
    INFO(other);
    CHECK(index.find(other) == ExactSpellings::kAbsent);
  }
}

TEST_CASE("ExactSpellings: a text given twice keeps its first number; none held finds nothing",
          "[exact_spellings]") {
  const ExactSpellings index(Spellings{{"Vélo", 4}, {"Vélo", 9}, {"", 1}});
  CHECK(index.size() == 1);
  CHECK(index.find("Vélo") == 4u);
  CHECK(ExactSpellings().find("Vélo") == ExactSpellings::kAbsent);
  CHECK(ExactSpellings(Spellings{{"", 3}}).find("") == ExactSpellings::kAbsent);
  // An empty text is never found, in an empty table or in one whose slot it meets holds
  // a text (find() tests neither the text nor the table).
  CHECK(ExactSpellings().find("") == ExactSpellings::kAbsent);
  CHECK(index.find("") == ExactSpellings::kAbsent);
  for (std::uint32_t n = 1; n <= 40; ++n) {
    Spellings spellings;
    for (std::uint32_t i = 0; i < n; ++i)
      spellings.emplace_back(std::string(i % 7 + 1, static_cast<char>('a' + i % 26)), i);
    CHECK(ExactSpellings(spellings).find("") == ExactSpellings::kAbsent);
  }
  // A text numbered kAbsent is not held: find() answers kAbsent only when it finds nothing.
  const ExactSpellings absent(Spellings{{"Eau", ExactSpellings::kAbsent}, {"Air", 2}});
  CHECK(absent.size() == 1);
  CHECK(absent.find("Eau") == ExactSpellings::kAbsent);
  CHECK(absent.find("Air") == 2u);
}

TEST_CASE("ExactSpellings: texts alike in size and first and last eight bytes",
          "[exact_spellings]") {
  // The probe cannot tell these apart: the first is held, the second is not found (the
  // decoder then looks it up by its normalised form), and neither is mistaken.
  const ExactSpellings index(
      Spellings{{"Consultation des entreprises", 1}, {"Consultation aux entreprises", 2}});
  CHECK(index.size() == 1);
  CHECK(index.find("Consultation des entreprises") == 1u);
  CHECK(index.find("Consultation aux entreprises") == ExactSpellings::kAbsent);
}

TEST_CASE("ExactSpellings: texts alike at both ends but of other sizes, or of eight bytes, held",
          "[exact_spellings]") {
  // The fingerprint adds the size, and the tail doubled: labels that differ only in the
  // middle and in size (a table's keys and aliases), and texts of eight bytes (first and
  // last eight bytes one word), each get one.
  Spellings spellings{{"Sobriété des bâtiments (tertiaire)", 0},
                      {"Sobriété et isolation des bâtiments (tertiaire)", 1},
                      {"Changement chaudières fioul + rénovation (tertiaire)", 2},
                      {"Changement de chaudière à fioul (tertiaire)", 3},
                      {"Changement chaudières gaz + rénovation (tertiaire)", 4},
                      {"Changement de chaudière à gaz (tertiaire)", 5},
                      {"Réduction des déplacements", 6},
                      {"Réduction du besoin de déplacements", 7}};
  for (std::uint32_t i = 0; i < 40; ++i)
    spellings.emplace_back("Choix " + std::to_string(10 + i), 8 + i);  // eight bytes
  const ExactSpellings index(spellings);
  CHECK(index.size() == spellings.size());
  for (const auto& [text, id] : spellings) {
    INFO(text);
    CHECK(index.find(text) == id);
  }
}

namespace {

Spellings random_spellings(std::size_t count, unsigned seed) {
  std::mt19937 random(seed);
  Spellings spellings;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::string text(1 + random() % 40, 'a');
    for (auto& c : text) c = static_cast<char>('a' + random() % 26);
    spellings.emplace_back(text + std::to_string(i), i);  // distinct last bytes
  }
  return spellings;
}

}  // namespace

TEST_CASE("ExactSpellings: up to kPerfectUpTo random spellings of every size, all found",
          "[exact_spellings]") {
  const Spellings spellings = random_spellings(ExactSpellings::kPerfectUpTo, 11);
  const ExactSpellings index(spellings);
  CHECK(index.size() == spellings.size());
  for (const auto& [text, id] : spellings) {
    INFO(text);
    REQUIRE(index.find(text) == id);
    CHECK(index.find(text + "x") == ExactSpellings::kAbsent);
    CHECK(index.find(text.substr(1)) == ExactSpellings::kAbsent);
  }
}

TEST_CASE("ExactSpellings: many spellings (a list of communes), most found, none mistaken",
          "[exact_spellings]") {
  // Beyond kPerfectUpTo slots are shared: a text that lost its slot is not found (the
  // decoder then looks it up by its normalised form), and is never taken for another.
  const Spellings spellings = random_spellings(20000, 13);
  const ExactSpellings index(spellings);
  CHECK(index.size() >= spellings.size() * 8 / 10);
  CHECK(index.size() < spellings.size());
  std::size_t found = 0;
  for (const auto& [text, id] : spellings) {
    const std::uint32_t got = index.find(text);
    if (got == ExactSpellings::kAbsent) continue;
    REQUIRE(got == id);
    ++found;
  }
  CHECK(found == index.size());
}

TEST_CASE("ExactSpellings: a text differing in any one byte is not found, at every size",
          "[exact_spellings]") {
  // Up to 16 bytes a text is compared as its size and first and last eight bytes; beyond,
  // the bytes between are compared too, 16 at a time (same_blocks: one to five steps).
  for (std::size_t size = 1; size <= 80; ++size) {
    std::string text(size, 'a');
    for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + i % 26);
    const ExactSpellings index(Spellings{{text, 7}});
    INFO(text);
    REQUIRE(index.find(text) == 7u);
    for (std::size_t i = 0; i < size; ++i) {
      std::string other = text;
      other[i] = '#';
      INFO(other);
      CHECK(index.find(other) == ExactSpellings::kAbsent);
    }
    CHECK(index.find(text + "a") == ExactSpellings::kAbsent);
    CHECK(index.find(text.substr(1)) == ExactSpellings::kAbsent);
  }
}

TEST_CASE("same_blocks: equal strings of 16 to 80 bytes, and a byte differing anywhere",
          "[exact_spellings]") {
  for (std::size_t size = 16; size <= 80; ++size) {
    std::string a(size, 'a');
    for (std::size_t i = 0; i < size; ++i) a[i] = static_cast<char>('a' + i % 26);
    const std::string b = a;  // another copy: other addresses, other alignments
    INFO(size);
    CHECK(tamis::same_blocks(a.data(), b.data(), size));
    for (std::size_t i = 0; i < size; ++i) {
      std::string other = a;
      other[i] = static_cast<char>(other[i] ^ 0x80);  // one bit, at the byte's top
      INFO(i);
      CHECK_FALSE(tamis::same_blocks(a.data(), other.data(), size));
      CHECK_FALSE(tamis::same_blocks(other.data(), a.data(), size));
    }
  }
}

TEST_CASE("ExactSpellings: a text of over 16 bytes is found only by itself, not by its ends",
          "[exact_spellings]") {
  // A long text's slot holds its size inverted: the three words of a text of up to 16
  // bytes never match it, and one of its size is compared in full. Each table holds one
  // long text, so that every text looked up meets its slot (two slots), and the texts
  // looked up have its first and last eight bytes, in every size from 8 to its own.
  for (const std::string& text :
       {std::string("Biodiversité et espaces naturels"), std::string("abcdefghijklmnopq"),
        std::string(17, 'a'), std::string(40, 'b')}) {
    const ExactSpellings index(Spellings{{text, 5}});
    CHECK(index.find(text) == 5);
    for (std::size_t n = 8; n < text.size(); ++n) {
      std::string alike = text.substr(0, 8) + std::string(n - 8, text[8]);
      alike.replace(n - 8, 8, text.substr(text.size() - 8));
      INFO(text << " / " << alike);
      CHECK(index.find(alike) == ExactSpellings::kAbsent);
    }
    std::string other = text;
    other[text.size() / 2] = static_cast<char>(other[text.size() / 2] ^ 1);
    CHECK(index.find(other) == ExactSpellings::kAbsent);
  }
}
