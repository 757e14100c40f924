// LabelCache: the rows a multiple-choice cell's labels name, with and without a list of
// pieces (add_rows reads each piece as a label when no label of the table holds a
// separator, and goes through labels() otherwise).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "runtime/io/label_matcher.hpp"

using tamis::io::LabelCache;
using tamis::testing::row_index;
using tamis::testing::table_index;

namespace {

// No label holds a separator: add_rows reads each piece.
const std::string kSimpleRules = R"(
table Levier (secteur : texte) {
  "Vélo" alias "Report modal"                 | "Transports"
  "Transports en commun" alias "Report modal" | "Transports"
  "Gestion des forêts et produits bois"       | "Agriculture"
  "Eau"                                       | "Eau"
}
)";

// A label holds a separator: add_rows goes through labels() (longest run first).
const std::string kRunRules = R"(
table Levier (secteur : texte) {
  "Vélo"                        | "Transports"
  "Agriculture, forêts et sols" | "Agriculture"
  "Agriculture"                 | "Agriculture"
  "Eau"                         | "Eau"
}
)";

struct Read {
  std::vector<std::uint64_t> words;
  std::vector<std::string> unknown;
  bool operator==(const Read&) const = default;
};

// `words`: as many as the table's rows need.
Read by_add_rows(LabelCache& cache, std::string_view cell, std::size_t words = 1) {
  Read out{std::vector<std::uint64_t>(words, 0), {}};
  std::vector<std::string_view> unknown;
  cache.add_rows(cell, out.words.data(), unknown);
  for (const std::string_view label : unknown) {
    // Views into the cell.
    CHECK(label.data() >= cell.data());
    CHECK(label.data() + label.size() <= cell.data() + cell.size());
    out.unknown.emplace_back(label);
  }
  return out;
}

Read by_labels(LabelCache& cache, std::string_view cell, std::size_t words = 1) {
  Read out{std::vector<std::uint64_t>(words, 0), {}};
  for (const auto& label : cache.labels(cell)) {
    if (label.rows == nullptr) {
      out.unknown.emplace_back(label.raw);
      continue;
    }
    for (const auto row : *label.rows) out.words[row / 64] |= std::uint64_t{1} << (row % 64);
  }
  return out;
}

std::uint64_t bit(std::uint32_t row) {
  return std::uint64_t{1} << row;
}

const std::vector<std::string> kCells = {
    "",
    "Vélo",
    "Vélo, Eau",
    "velo,  EAU",
    " Vélo ,Eau ",
    "Eau, Report modal",
    "Tramway , Eau,  Fusée\u00a0",
    ", Vélo, ,  , Eau",
    "Vélo, Eau, ",
    "Vélo; Eau| Tramway\nEau",
    "\u00a0Vélo\u00a0, \u202fEau",
    "Gestion des forêts et produits bois, Eau",
    "Gestion des forets et produits bois",
    "Agriculture, forêts et sols",
    "Eau, AGRICULTURE, Forets et sols, Eau",
    "Agriculture, Eau, forêts et sols",
    "   ",
    " , ",
    // A spelling read from where the piece starts only when a separator or the cell's
    // end follows it (LabelCache::spelled_at).
    "Véloroute, Eau",
    "Vélo électrique",
    "Vélo,Transports en commun;Report modal|Vélo\nEau",
    "Report modal ,Vélo",
    "Transports en communs, Transports",
    "Gestion des forêts et produits bois\u00a0, Vélo",
    "Vélo,Vélo",
    "Vél",
    "Vélo,",
};

}  // namespace

TEST_CASE("label cache: each piece a label when no label holds a separator", "[labels]") {
  const auto c = tamis::testing::compile(kSimpleRules);
  const auto& g = *c.graph;
  const auto& table = g.tables[table_index(g, "Levier")];
  REQUIRE(table.longest_label_pieces == 1);
  LabelCache cache(table);
  const auto velo = row_index(g, "Levier", "Vélo");
  const auto tc = row_index(g, "Levier", "Transports en commun");
  const auto eau = row_index(g, "Levier", "Eau");
  const auto bois = row_index(g, "Levier", "Gestion des forêts et produits bois");
  CHECK(by_add_rows(cache, "Vélo, Eau").words[0] == (bit(velo) | bit(eau)));
  CHECK(by_add_rows(cache, "velo,  EAU").words[0] == (bit(velo) | bit(eau)));
  CHECK(by_add_rows(cache, "Report modal").words[0] == (bit(velo) | bit(tc)));
  CHECK(by_add_rows(cache, "Gestion des forets et produits bois").words[0] == bit(bois));
  const Read unknown = by_add_rows(cache, "Tramway , Eau,  Fusée\u00a0");
  CHECK(unknown.words[0] == bit(eau));
  CHECK(unknown.unknown == std::vector<std::string>{"Tramway", "Fusée"});
  CHECK(by_add_rows(cache, "\u00a0Vélo\u00a0, \u202fEau").words[0] == (bit(velo) | bit(eau)));
  // The same as labels() reads, for every cell, read twice (the second time, the runs
  // not written as the table writes them are remembered).
  for (int pass = 0; pass < 2; ++pass) {
    for (const std::string& cell : kCells) {
      INFO(cell);
      CHECK(by_add_rows(cache, cell) == by_labels(cache, cell));
    }
  }
}

TEST_CASE("label cache: the longest run of pieces when a label holds a separator", "[labels]") {
  const auto c = tamis::testing::compile(kRunRules);
  const auto& g = *c.graph;
  const auto& table = g.tables[table_index(g, "Levier")];
  REQUIRE(table.longest_label_pieces == 2);
  LabelCache cache(table);
  const auto whole = row_index(g, "Levier", "Agriculture, forêts et sols");
  const auto agri = row_index(g, "Levier", "Agriculture");
  const auto eau = row_index(g, "Levier", "Eau");
  CHECK(by_add_rows(cache, "Agriculture, forêts et sols").words[0] == bit(whole));
  const Read pieces = by_add_rows(cache, "Agriculture, Eau, forêts et sols");
  CHECK(pieces.words[0] == (bit(agri) | bit(eau)));
  CHECK(pieces.unknown == std::vector<std::string>{"forêts et sols"});
  for (const std::string& cell : kCells) {
    INFO(cell);
    CHECK(by_add_rows(cache, cell) == by_labels(cache, cell));
  }
}

TEST_CASE("label cache: an alias naming rows of two words", "[labels]") {
  // 70 rows: the alias names the first and the last, in two words of a set.
  std::string rules = "table Levier (secteur : texte) {\n";
  for (int row = 0; row < 70; ++row) {
    rules += "  \"Levier " + std::to_string(row) + "\"";
    if (row == 0 || row == 69) rules += " alias \"Les deux\"";
    rules += " | \"S\"\n";
  }
  rules += "}\n";
  const auto c = tamis::testing::compile(rules);
  const auto& g = *c.graph;
  const auto& table = g.tables[table_index(g, "Levier")];
  REQUIRE(table.longest_label_pieces == 1);
  LabelCache cache(table);
  const auto first = row_index(g, "Levier", "Levier 0");
  const auto last = row_index(g, "Levier", "Levier 69");
  const Read both = by_add_rows(cache, "Les deux, Levier 3", 2);
  CHECK(both.words[first / 64] & (std::uint64_t{1} << (first % 64)));
  CHECK(both.words[last / 64] & (std::uint64_t{1} << (last % 64)));
  for (const std::string cell : {"Les deux", "Levier 69, Les deux", "les deux,Levier 64"}) {
    INFO(cell);
    CHECK(by_add_rows(cache, cell, 2) == by_labels(cache, cell, 2));
  }
}
