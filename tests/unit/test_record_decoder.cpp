// Campaign rows → typed records, following the rule set's schema.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "runtime/io/record_decoder.hpp"
#include "support/text.hpp"

using tamis::graph::Value;
using tamis::io::CsvRecord;
using tamis::io::FieldError;
using tamis::io::RecordDecoder;
using tamis::runtime::Record;
using tamis::testing::bits_of;
using tamis::testing::enum_value;
using tamis::testing::field_index;
using tamis::testing::row_index;
using tamis::testing::texts_of;

namespace {

const std::string kRules = R"(
énumération Maturite {
  idee         "Idée"
  avant_projet "Avant-projet" alias "AVP"
  travaux      "Travaux en cours"
}
énumération Financement { detr "DETR"  fonds_vert "Fonds vert"  region "Région" }
table Levier (secteur : texte) {
  "Vélo" alias "Report modal"                 | "Transports"
  "Transports en commun" alias "Report modal" | "Transports"
  "Agriculture, forêts et sols"               | "Agriculture"
  "Agriculture"                               | "Agriculture"
  "Forêts et sols"                            | "Agriculture"
  "Eau"                                       | "Eau"
}
schéma Dossier {
  id           : entier                  colonne "ID"
  montant      : décimal?                colonne "Montant"
  impact       : booléen?                colonne "Impact significatif"
  debut        : date?                   colonne "Date de démarrage"
  maturite     : Maturite?               colonne "Maturité du projet"
  leviers      : ensemble de Levier      colonne "Leviers"
  financements : ensemble de Financement colonne "Financements"
  titre        : texte?                  colonne "Intitulé"
  mots         : ensemble de texte       colonne "Mots-clés"
  principal    : Levier?                 colonne "Levier principal"
}
)";

const std::vector<std::string> kHeader = {"ID",
                                          "Montant",
                                          "Impact significatif",
                                          "Date de démarrage",
                                          "Maturité du projet",
                                          "Leviers",
                                          "Financements",
                                          "Intitulé",
                                          "Mots-clés",
                                          "Levier principal"};

CsvRecord row_of(const std::vector<std::string>& cells) {
  CsvRecord r;
  for (const auto& c : cells) r.fields.emplace_back(c);
  r.line = 2;
  r.number = 1;
  return r;
}

// A data row with every column empty except the given ones (by header label).
std::vector<std::string> cells(std::initializer_list<std::pair<const char*, const char*>> values) {
  std::vector<std::string> out(kHeader.size());
  out[0] = "1";
  for (const auto& [column, value] : values) {
    const auto it = std::find(kHeader.begin(), kHeader.end(), column);
    REQUIRE(it != kHeader.end());
    out[static_cast<std::size_t>(it - kHeader.begin())] = value;
  }
  return out;
}

std::string describe(const std::vector<FieldError>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.column + " | " + e.value + " | " + e.reason + "\n";
  return out;
}

struct Fixture {
  tamis::Compilation c = tamis::testing::compile(kRules);
  const tamis::graph::RuleGraph& g() const { return *c.graph; }
};

}  // namespace

TEST_CASE("decoder: the test schema compiles", "[decoder]") {
  TAMIS_COMPILE_OK(c, kRules);
}

TEST_CASE("decoder: header matched by label in any order, case and accents ignored",
          "[decoder][header]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  const std::vector<std::string> header = {"Autre colonne",     "mots-cles",
                                           "INTITULE",          "financements",
                                           "leviers",           "maturite du projet",
                                           "date de demarrage", "impact  significatif",
                                           "montant",           "id",
                                           "LEVIER PRINCIPAL"};
  const auto missing = decoder.bind(header);
  INFO(missing.size());
  REQUIRE(missing.empty());
  CHECK(decoder.column_of(field_index(f.g(), "id")) == 9);
  CHECK(decoder.column_of(field_index(f.g(), "titre")) == 2);
  CHECK(decoder.column_of(field_index(f.g(), "maturite")) == 5);
  CHECK(decoder.column_of(field_index(f.g(), "mots")) == 1);

  std::vector<std::string> data = {"x",          "a, b", "Mon projet", "DETR", "Eau", "AVP",
                                   "01/02/2025", "Oui",  "12,5",       "42",   "eau"};
  Record record(f.g().schema.fields.size());
  std::vector<FieldError> errors;
  REQUIRE(decoder.decode(row_of(data), record, errors));
  CHECK(record.fields[field_index(f.g(), "id")].integer == 42);
  CHECK(record.fields[field_index(f.g(), "titre")].as_text() == "Mon projet");
  CHECK(record.fields[field_index(f.g(), "maturite")].id ==
        enum_value(f.g(), "Maturite", "avant_projet"));
  CHECK(record.fields[field_index(f.g(), "montant")].decimal == 12'500'000);
  CHECK(record.fields[field_index(f.g(), "principal")].id == row_index(f.g(), "Levier", "Eau"));
}

TEST_CASE("decoder: an exact header spelling wins over a folded one", "[decoder][header]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  std::vector<std::string> header = kHeader;
  header.insert(header.begin(), "intitule");  // folded duplicate before the exact one
  REQUIRE(decoder.bind(header).empty());
  CHECK(decoder.column_of(field_index(f.g(), "titre")) == 8);
}

TEST_CASE("decoder: a missing column is reported with the closest header", "[decoder][header]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  std::vector<std::string> header = kHeader;
  header[4] = "Maturité projet";
  const auto missing = decoder.bind(header);
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].find("« Maturité du projet »") != std::string::npos);
  CHECK(missing[0].find("maturite") != std::string::npos);  // the field name
  CHECK(missing[0].find("colonne la plus proche : « Maturité projet »") != std::string::npos);
}

TEST_CASE("decoder: a missing column with nothing close has no hint", "[decoder][header]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  std::vector<std::string> header = kHeader;
  header.erase(header.begin());  // no "ID"
  const auto missing = decoder.bind(header);
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].find("« ID »") != std::string::npos);
  CHECK(missing[0].find("plus proche") == std::string::npos);
}

TEST_CASE("decoder: booleans Oui/Non/on/off and friends", "[decoder][values]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const auto field = field_index(f.g(), "impact");
  Record record(f.g().schema.fields.size());
  for (const char* yes : {"Oui", "OUI", " oui ", "on", "On", "vrai", "true", "yes"}) {
    INFO(yes);
    std::vector<FieldError> errors;
    REQUIRE(decoder.decode(row_of(cells({{"Impact significatif", yes}})), record, errors));
    REQUIRE(record.fields[field].present);
    CHECK(record.fields[field].boolean);
  }
  for (const char* no : {"Non", "NON", "off", "Off", "faux", "false", "no"}) {
    INFO(no);
    std::vector<FieldError> errors;
    REQUIRE(decoder.decode(row_of(cells({{"Impact significatif", no}})), record, errors));
    REQUIRE(record.fields[field].present);
    CHECK_FALSE(record.fields[field].boolean);
  }
  std::vector<FieldError> errors;
  REQUIRE(decoder.decode(row_of(cells({})), record, errors));
  CHECK_FALSE(record.fields[field].present);  // optional and empty

  CHECK_FALSE(
      decoder.decode(row_of(cells({{"Impact significatif", "Peut-être"}})), record, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].column == "Impact significatif");
  CHECK(errors[0].value == "Peut-être");
  CHECK(errors[0].reason.find("Oui ou Non") != std::string::npos);
}

TEST_CASE("decoder: French and English decimals", "[decoder][values]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const auto field = field_index(f.g(), "montant");
  Record record(f.g().schema.fields.size());
  struct Case {
    const char* text;
    const char* value;  // as result files write it
  };
  for (const Case& k :
       {Case{"1234.56", "1234.56"}, Case{"1234,56", "1234.56"}, Case{"1 234,56", "1234.56"},
        Case{"1\u00a0234,5", "1234.5"}, Case{"12 €", "12"}, Case{"-3,5", "-3.5"},
        Case{"0,1", "0.1"}, Case{"1234.5600000000002", "1234.56"}}) {
    INFO(k.text);
    std::vector<FieldError> errors;
    REQUIRE(decoder.decode(row_of(cells({{"Montant", k.text}})), record, errors));
    CHECK(tamis::testing::decimal_text(record.fields[field]) == k.value);
  }
  for (const char* bad : {"1,234.56", "1.234,56", "douze"}) {
    INFO(bad);
    std::vector<FieldError> errors;
    CHECK_FALSE(decoder.decode(row_of(cells({{"Montant", bad}})), record, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].column == "Montant");
    CHECK(errors[0].value == bad);
  }
}

TEST_CASE("decoder: integers, and a required value that is missing", "[decoder][values]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  Record record(f.g().schema.fields.size());
  std::vector<std::string> row = cells({});
  row[0] = "1 234";
  std::vector<FieldError> errors;
  REQUIRE(decoder.decode(row_of(row), record, errors));
  CHECK(record.fields[field_index(f.g(), "id")].integer == 1234);

  row[0] = "  ";
  CHECK_FALSE(decoder.decode(row_of(row), record, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].column == "ID");
  CHECK(errors[0].reason.find("obligatoire") != std::string::npos);

  errors.clear();
  row[0] = "12a";
  CHECK_FALSE(decoder.decode(row_of(row), record, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].reason.find("entier") != std::string::npos);
}

TEST_CASE("decoder: dates as DD/MM/YYYY and YYYY-MM-DD, checked", "[decoder][values]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const auto field = field_index(f.g(), "debut");
  Record record(f.g().schema.fields.size());
  const auto expected = tamis::text::days_from_civil(2025, 3, 31);
  for (const char* text : {"31/03/2025", "2025-03-31", " 31/03/2025 "}) {
    INFO(text);
    std::vector<FieldError> errors;
    REQUIRE(decoder.decode(row_of(cells({{"Date de démarrage", text}})), record, errors));
    CHECK(record.fields[field].date == expected);
  }
  std::vector<FieldError> errors;
  CHECK_FALSE(decoder.decode(row_of(cells({{"Date de démarrage", "31/02/2025"}})), record, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].column == "Date de démarrage");
  CHECK(errors[0].value == "31/02/2025");
  CHECK(errors[0].reason == "cette date n'existe pas : février 2025 n'a que 28 jours");
}

TEST_CASE("decoder: a date cell read again is the day it was read as, in any order",
          "[decoder][values]") {
  // Ten-byte date cells are kept in one slot each, picked by their bytes, a cell replacing
  // the one there: 16 years of days are more cells than slots, so cells share slots and
  // replace one another; each must still read as its own day, whatever was read before.
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const auto field = field_index(f.g(), "debut");
  Record record(f.g().schema.fields.size());
  struct Day {
    std::string iso, day_first;
    std::int32_t days;
  };
  std::vector<Day> days;
  for (int y = 2015; y <= 2030; ++y) {
    for (unsigned m = 1; m <= 12; ++m) {
      for (unsigned d = 1; d <= tamis::text::digit_words::days_in_month(y, m); ++d) {
        char iso[11], day_first[11];
        std::snprintf(iso, sizeof iso, "%04d-%02u-%02u", y, m, d);
        std::snprintf(day_first, sizeof day_first, "%02u/%02u/%04d", d, m, y);
        days.push_back({iso, day_first, tamis::text::days_from_civil(y, m, d)});
      }
    }
  }
  const auto read = [&](const std::string& text) -> std::optional<std::int32_t> {
    std::vector<FieldError> errors;
    if (!decoder.decode(row_of(cells({{"Date de démarrage", text.c_str()}})), record, errors))
      return std::nullopt;
    if (!record.fields[field].present) return std::nullopt;
    return record.fields[field].date;
  };
  for (int pass = 0; pass < 3; ++pass) {
    for (std::size_t k = 0; k < days.size(); ++k) {
      // In order, backwards, then by a stride that visits every day.
      const std::size_t i = pass == 0   ? k
                            : pass == 1 ? days.size() - 1 - k
                                        : k * 7919 % days.size();
      const Day& day = days[i];
      const std::string& text =
          (i + static_cast<std::size_t>(pass)) % 3 == 0 ? day.day_first : day.iso;
      INFO(text);
      REQUIRE(read(text) == day.days);
    }
  }
  // Ten-byte cells that are no dates are refused each time they are met; ten zero bytes
  // (what slots not yet written hold) are no date either (spaces to trim: missing).
  for (int again = 0; again < 2; ++again) {
    for (const std::string& text :
         {std::string("2025-13-01"), std::string("31/02/2025"), std::string("2025-1-1  "),
          std::string(10, '\0'), std::string("0000000000")}) {
      INFO(again << " " << text);
      CHECK_FALSE(read(text));
    }
  }
  // Cells alike but for their first two bytes (the century) are apart.
  for (int again = 0; again < 2; ++again) {
    for (const int y : {2025, 1925, 2125}) {
      const std::string text = std::to_string(y) + "-03-31";
      INFO(text);
      CHECK(read(text) == tamis::text::days_from_civil(y, 3, 31));
    }
  }
}

TEST_CASE("decoder: a date that does not exist says why, an unreadable one how to write it",
          "[decoder][values]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  Record record(f.g().schema.fields.size());
  const std::pair<const char*, const char*> cases[] = {
      {"30/02/2024", "cette date n'existe pas : février 2024 n'a que 29 jours"},
      {"2023-02-29", "cette date n'existe pas : février 2023 n'a que 28 jours"},
      {"1900-02-29", "cette date n'existe pas : février 1900 n'a que 28 jours"},
      {"31/04/2025", "cette date n'existe pas : avril 2025 n'a que 30 jours"},
      {"2025-13-01", "cette date n'existe pas : il n'y a pas de mois 13"},
      {"01/00/2025", "cette date n'existe pas : il n'y a pas de mois 00"},
      {" 00/01/2025 ", "cette date n'existe pas : il n'y a pas de jour 00"},
      {"2025-1-1", "date illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)"},
      {"demain", "date illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)"},
      {"32.01.2025", "date illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)"},
      {"3a/01/2025", "date illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)"},
  };
  for (const auto& [text, reason] : cases) {
    INFO(text);
    std::vector<FieldError> errors;
    CHECK_FALSE(decoder.decode(row_of(cells({{"Date de démarrage", text}})), record, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].value == text);
    CHECK(errors[0].reason == reason);
  }
  // 2000 is a leap year: the 29th of February exists.
  std::vector<FieldError> errors;
  CHECK(decoder.decode(row_of(cells({{"Date de démarrage", "29/02/2000"}})), record, errors));
}

TEST_CASE("decoder: an integer beyond 64 bits is too large, not unreadable", "[decoder][values]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  Record record(f.g().schema.fields.size());
  const std::string too_large = "nombre trop grand (au plus 9 223 372 036 854 775 807)";
  const std::pair<const char*, std::string> cases[] = {
      {"99999999999999999999", too_large},
      {"9223372036854775808", too_large},
      {"-9 223 372 036 854 775 809", too_large},
      {"+18 446 744 073 709 551 616", too_large},
      {"99999999999999999999x", "nombre entier illisible"},
      {"1 23", "nombre entier illisible"},
      {"12,5", "nombre entier illisible"},
  };
  for (const auto& [text, reason] : cases) {
    INFO(text);
    std::vector<FieldError> errors;
    CHECK_FALSE(decoder.decode(row_of({text, "", "", "", "", "", "", "", "", ""}), record, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].column == "ID");
    CHECK(errors[0].reason == reason);
  }
  for (const char* text : {"9223372036854775807", "-9 223 372 036 854 775 808"}) {
    INFO(text);
    std::vector<FieldError> errors;
    CHECK(decoder.decode(row_of({text, "", "", "", "", "", "", "", "", ""}), record, errors));
  }
}

TEST_CASE("decoder: a whole number read from a cell as long as its own digits is those digits",
          "[decoder][values]") {
  // A result row copies a number's cell as read when it has as many bytes as the number's
  // digits and sign (CsvCellWriter::put_integer_at): so every other spelling read as a
  // number (spaces around it, a sign, leading zeros, grouped digits) must be longer. Checked
  // over those spellings and every cell of up to three bytes from digits, signs, spaces and
  // what other notations use (an exponent, hexadecimal, separators).
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  Record record(f.g().schema.fields.size());
  std::vector<std::string> spellings = {"0",
                                        "7",
                                        "-0",
                                        "+0",
                                        "00",
                                        "+7",
                                        "07",
                                        " 7",
                                        "7 ",
                                        "\xc2\xa0"
                                        "7",
                                        "-7",
                                        "- 7",
                                        "\xe2\x88\x92"
                                        "7",
                                        "-07",
                                        "1 234",
                                        "1\xc2\xa0"
                                        "234",
                                        "1\xe2\x80\xaf"
                                        "234",
                                        "01 234",
                                        "12345678",
                                        "00000012",
                                        "+1234567",
                                        "1e2",
                                        "1E2",
                                        "1e10",
                                        "0x10",
                                        "0b11",
                                        "1_000",
                                        "1,000",
                                        "1.000",
                                        "1'000",
                                        "9223372036854775807",
                                        "-9223372036854775808",
                                        "-9 223 372 036 854 775 808",
                                        "09223372036854775807"};
  const std::string alphabet = "0159-+ .,e'x_";
  for (const char a : alphabet) {
    spellings.emplace_back(1, a);
    for (const char b : alphabet) {
      spellings.push_back(std::string{a, b});
      for (const char c : alphabet) spellings.push_back(std::string{a, b, c});
    }
  }
  std::size_t read = 0;
  std::size_t longer = 0;
  for (const auto& spelling : spellings) {
    std::vector<FieldError> errors;
    // The cells outlive the row, whose fields are views into them (and raw's into those).
    const std::vector<std::string> cells = {spelling, "", "", "", "", "", "", "", "", ""};
    const CsvRecord row = row_of(cells);
    if (!decoder.decode(row, record, errors)) continue;
    ++read;
    const std::size_t id = field_index(f.g(), "id");
    const std::string own = std::to_string(record.fields[id].integer);
    INFO("« " << spelling << " » read as " << own);
    REQUIRE(record.raw[id] == spelling);
    if (spelling.size() == own.size()) {
      CHECK(spelling == own);
    } else {
      CHECK(spelling.size() > own.size());
      ++longer;
    }
  }
  CHECK(read > 100);
  CHECK(longer > 50);
}

TEST_CASE("decoder: identifier keys compare identifiers as decoded", "[decoder][id]") {
  Fixture f;
  // From the cell as written (a row decode() refused): appended to what `out` holds,
  // or nothing when the cell gives no key.
  const auto cell_key = [](const tamis::graph::RuleGraph& g,
                           const char* id) -> std::optional<std::string> {
    std::string key = "before:";
    if (!tamis::io::append_identifier_key(key, g, std::string_view(id))) {
      REQUIRE(key == "before:");
      return std::nullopt;
    }
    REQUIRE(key.starts_with("before:"));
    return key.substr(7);
  };
  // An `entier` identifier: its value, whatever the spelling.
  const auto key_1234 = cell_key(f.g(), "1234");
  REQUIRE(key_1234);
  for (const char* same : {"1 234", " 01234 ", "1\u00a0234", "+1234"}) {
    INFO(same);
    CHECK(cell_key(f.g(), same) == key_1234);
  }
  CHECK(cell_key(f.g(), "-0") == cell_key(f.g(), "0"));
  CHECK(cell_key(f.g(), "1235") != key_1234);
  // Unreadable or empty: no key (the row is rejected for its ID anyway).
  CHECK_FALSE(cell_key(f.g(), " 12a "));
  CHECK_FALSE(cell_key(f.g(), "99999999999999999999"));
  CHECK_FALSE(cell_key(f.g(), "  "));

  // From a decoded record: the same keys.
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  Record record(f.g().schema.fields.size());
  const auto appended_key = [&](const char* id) {
    INFO(id);
    std::vector<FieldError> errors;
    const std::vector<std::string> row{id, "", "", "", "", "", "", "", "", ""};  // record.raw's
    REQUIRE(decoder.decode(row_of(row), record, errors));
    std::string key = "before:";
    tamis::io::append_identifier_key(key, f.g(), record);
    REQUIRE(key.starts_with("before:"));
    return key.substr(7);
  };
  for (const char* same : {"1234", "1 234", " 01234 ", "1\u00a0234", "+1234"}) {
    CHECK(appended_key(same) == *key_1234);
  }
  CHECK(appended_key("1235") != *key_1234);
  CHECK(appended_key("-1234") != *key_1234);
  CHECK(appended_key("-0") == appended_key("0"));

  // A `texte` identifier: the text without surrounding spaces, case and zeros kept.
  const tamis::Compilation c = tamis::testing::compile(R"tamis(
schéma D {
  numero : texte colonne "Numéro"
  titre  : texte colonne "Titre"
}
)tamis");
  REQUIRE_FALSE(c.diagnostics.has_errors());
  CHECK(cell_key(*c.graph, " DS-0042 ") == "DS-0042");
  CHECK(cell_key(*c.graph, "ds-0042") == "ds-0042");
  CHECK(cell_key(*c.graph, "0042") == "0042");
  CHECK_FALSE(cell_key(*c.graph, " "));
  RecordDecoder text_decoder(*c.graph);
  REQUIRE(text_decoder.bind({"Numéro", "Titre"}).empty());
  Record text_record(c.graph->schema.fields.size());
  std::vector<FieldError> errors;
  const std::vector<std::string> row{" DS-0042 ", "t"};  // text_record.raw points into it
  REQUIRE(text_decoder.decode(row_of(row), text_record, errors));
  std::string key;
  tamis::io::append_identifier_key(key, *c.graph, text_record);
  CHECK(key == "DS-0042");
}

TEST_CASE("decoder: enum values by label, alias or name, case and accents ignored",
          "[decoder][enum]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const auto field = field_index(f.g(), "maturite");
  Record record(f.g().schema.fields.size());
  for (const char* text : {"Avant-projet", "AVANT-PROJET", "avp", "avant_projet"}) {
    INFO(text);
    std::vector<FieldError> errors;
    REQUIRE(decoder.decode(row_of(cells({{"Maturité du projet", text}})), record, errors));
    CHECK(record.fields[field].id == enum_value(f.g(), "Maturite", "avant_projet"));
  }
  std::vector<FieldError> errors;
  REQUIRE(decoder.decode(row_of(cells({{"Maturité du projet", "idee"}})), record, errors));
  CHECK(record.fields[field].id == enum_value(f.g(), "Maturite", "idee"));
}

TEST_CASE("decoder: a set of enum values whose label holds a separator is read as a run",
          "[decoder][enum][choices]") {
  const tamis::Compilation c = tamis::testing::compile(R"tamis(
schéma D {
  id    : entier                  colonne "ID"
  aides : ensemble de Aide       colonne "Aides"
}
énumération Aide {
  etudes "Études, conseil"
  dsil   "DSIL"
}
)tamis");
  REQUIRE_FALSE(c.diagnostics.has_errors());
  RecordDecoder decoder(*c.graph);
  REQUIRE(decoder.bind({"ID", "Aides"}).empty());
  Record record(c.graph->schema.fields.size());
  for (const char* cell :
       {"Études, conseil, DSIL", "DSIL; Études, conseil", "DSIL|Études, conseil"}) {
    INFO(cell);
    std::vector<FieldError> errors;
    const std::vector<std::string> row{"1", cell};
    REQUIRE(decoder.decode(row_of(row), record, errors));
    CHECK(record.fields[1].size == 1);
    CHECK(record.fields[1].words[0] == 0b11);
  }
  // A piece that names nothing is refused by itself; a cell of one piece is not named twice.
  std::vector<FieldError> errors;
  CHECK_FALSE(decoder.decode(row_of({"1", "DSIL, conseil"}), record, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].reason.starts_with("« conseil » : valeur inconnue"));
  errors.clear();
  CHECK_FALSE(decoder.decode(row_of({"1", "conseil"}), record, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].reason.starts_with("valeur inconnue"));
}

TEST_CASE("decoder: an unknown enum value is a FieldError with a did-you-mean reason",
          "[decoder][enum]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  Record record(f.g().schema.fields.size());
  std::vector<FieldError> errors;
  CHECK_FALSE(
      decoder.decode(row_of(cells({{"Maturité du projet", " Avant projt "}})), record, errors));
  INFO(describe(errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].column == "Maturité du projet");
  CHECK(errors[0].value == " Avant projt ");
  // The enumeration's name is the rules' word, not the export's: the column says which.
  CHECK(errors[0].reason.find("Maturite") == std::string::npos);
  CHECK(errors[0].reason.find("vouliez-vous dire « Avant-projet »") != std::string::npos);

  errors.clear();
  CHECK_FALSE(
      decoder.decode(row_of(cells({{"Maturité du projet", "Zzzzzzzzzzzz"}})), record, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].reason.find("attendu : Idée, Avant-projet, Travaux en cours") !=
        std::string::npos);
}

TEST_CASE("decoder: every bad field of a row is reported", "[decoder]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  Record record(f.g().schema.fields.size());
  std::vector<FieldError> errors;
  CHECK_FALSE(decoder.decode(
      row_of(cells(
          {{"Montant", "abc"}, {"Date de démarrage", "demain"}, {"Maturité du projet", "?"}})),
      record, errors));
  INFO(describe(errors));
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].column == "Montant");
  CHECK(errors[1].column == "Date de démarrage");
  CHECK(errors[2].column == "Maturité du projet");
}

TEST_CASE("decoder: a row with the wrong number of fields is refused", "[decoder]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  Record record(f.g().schema.fields.size());
  std::vector<FieldError> errors;
  std::vector<std::string> short_row = cells({});
  short_row.pop_back();
  CHECK_FALSE(decoder.decode(row_of(short_row), record, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].column.empty());
  CHECK(errors[0].reason.find("9 champ(s) au lieu des 10") != std::string::npos);

  errors.clear();
  std::vector<std::string> long_row = cells({});
  long_row.emplace_back("extra");
  CHECK_FALSE(decoder.decode(row_of(long_row), record, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].reason.find("11 champ(s)") != std::string::npos);
}

// ------------------------------------------------------ multiple-choice cells

namespace {

struct Levers {
  std::vector<std::uint32_t> rows;
  std::vector<std::string> unknown;
};

Levers decode_levers(RecordDecoder& decoder, const tamis::graph::RuleGraph& g, const char* cell) {
  Record record(g.schema.fields.size());
  std::vector<FieldError> errors;
  const auto data = cells({{"Leviers", cell}});  // the record's views point into it
  const bool ok = decoder.decode(row_of(data), record, errors);
  INFO(describe(errors));
  REQUIRE(ok);
  const auto field = field_index(g, "leviers");
  Levers out;
  out.rows = bits_of(record.fields[field]);
  for (auto label : record.unknown_labels[field]) out.unknown.emplace_back(label);
  return out;
}

}  // namespace

TEST_CASE("decoder: a lever cell is split on \", \"", "[decoder][levers]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const auto velo = row_index(f.g(), "Levier", "Vélo");
  const auto eau = row_index(f.g(), "Levier", "Eau");
  const Levers l = decode_levers(decoder, f.g(), "Vélo, Eau");
  CHECK(l.rows == std::vector<std::uint32_t>{velo, eau});
  CHECK(l.unknown.empty());
  CHECK(decode_levers(decoder, f.g(), "").rows.empty());
  CHECK(decode_levers(decoder, f.g(), "velo,  EAU").rows == std::vector<std::uint32_t>{velo, eau});
}

TEST_CASE("decoder: the longest label wins over its pieces", "[decoder][levers]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const auto whole = row_index(f.g(), "Levier", "Agriculture, forêts et sols");
  const auto agri = row_index(f.g(), "Levier", "Agriculture");
  const auto forets = row_index(f.g(), "Levier", "Forêts et sols");
  const auto eau = row_index(f.g(), "Levier", "Eau");
  CHECK(decode_levers(decoder, f.g(), "Agriculture, forêts et sols").rows ==
        std::vector<std::uint32_t>{whole});
  CHECK(decode_levers(decoder, f.g(), "Eau, AGRICULTURE, Forets et sols, Eau").rows ==
        std::vector<std::uint32_t>{whole, eau});
  // Pieces that do not form a longer label are matched one by one.
  CHECK(decode_levers(decoder, f.g(), "Agriculture, Eau, Forêts et sols").rows ==
        std::vector<std::uint32_t>{agri, forets, eau});
}

TEST_CASE("decoder: unknown lever labels are collected trimmed", "[decoder][levers]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const auto eau = row_index(f.g(), "Levier", "Eau");
  const Levers l = decode_levers(decoder, f.g(), "Tramway , Eau,  Fusée\u00a0");
  CHECK(l.rows == std::vector<std::uint32_t>{eau});
  CHECK(l.unknown == std::vector<std::string>{"Tramway", "Fusée"});
}

TEST_CASE("decoder: empty lever pieces are ignored", "[decoder][levers]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const auto velo = row_index(f.g(), "Levier", "Vélo");
  const auto eau = row_index(f.g(), "Levier", "Eau");
  const Levers l = decode_levers(decoder, f.g(), ", Vélo, ,  , Eau");
  CHECK(l.rows == std::vector<std::uint32_t>{velo, eau});
  CHECK(l.unknown.empty());
}

TEST_CASE("decoder: a trailing separator in a lever cell is an empty piece", "[decoder][levers]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const auto velo = row_index(f.g(), "Levier", "Vélo");
  const auto eau = row_index(f.g(), "Levier", "Eau");
  const Levers l = decode_levers(decoder, f.g(), "Vélo, Eau, ");
  CHECK(l.rows == std::vector<std::uint32_t>{velo, eau});
  CHECK(l.unknown.empty());
}

TEST_CASE("decoder: an alias naming two rows gives both", "[decoder][levers]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const auto velo = row_index(f.g(), "Levier", "Vélo");
  const auto tc = row_index(f.g(), "Levier", "Transports en commun");
  const auto eau = row_index(f.g(), "Levier", "Eau");
  CHECK(decode_levers(decoder, f.g(), "report modal").rows == std::vector<std::uint32_t>{velo, tc});
  CHECK(decode_levers(decoder, f.g(), "Eau, Report modal, Vélo").rows ==
        std::vector<std::uint32_t>{velo, tc, eau});
}

TEST_CASE("decoder: the same lever cell decoded twice gives the same result", "[decoder][levers]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const Levers a = decode_levers(decoder, f.g(), "Vélo, Inconnu");
  const Levers other = decode_levers(decoder, f.g(), "Eau");
  const Levers b = decode_levers(decoder, f.g(), "Vélo, Inconnu");
  CHECK(a.rows == b.rows);
  CHECK(a.unknown == b.unknown);
  CHECK(b.unknown == std::vector<std::string>{"Inconnu"});
  CHECK(other.rows != a.rows);
}

TEST_CASE("decoder: a set cell not met before is kept where it is looked up again",
          "[decoder][sets][cache]") {
  // A cell decoded the first time has its set in the decoder's scratch words; met again,
  // in the cache's, where it was kept under the hash it is looked up by (a cell kept under
  // another hash would be decoded again, into the scratch words).
  Fixture f;
  for (const char* field : {"leviers", "financements"}) {
    RecordDecoder decoder(f.g());  // its caches empty
    REQUIRE(decoder.bind(kHeader).empty());
    const auto index = field_index(f.g(), field);
    Record record(f.g().schema.fields.size());
    std::vector<FieldError> errors;
    const auto words_of = [&](const char* lever_cell, const char* financing_cell) {
      const auto data = cells({{"Leviers", lever_cell}, {"Financements", financing_cell}});
      REQUIRE(decoder.decode(row_of(data), record, errors));
      return record.fields[index].words;
    };
    // Short and long cells (the hash reads up to 32 bytes as words, beyond another way).
    for (const auto& [levers, financing] :
         {std::pair{"Vélo, Eau", "DETR, Région"},
          std::pair{"Vélo, Eau, Transports en commun, Inconnu, Agriculture",
                    "DETR, Région, Fonds vert, DETR, Région, Fonds vert"}}) {
      INFO(field << ": " << levers << " / " << financing);
      const std::uint64_t* first = words_of(levers, financing);
      const std::uint64_t* again = words_of(levers, financing);
      CHECK(again != first);
      CHECK(words_of(levers, financing) == again);
    }
  }
}

TEST_CASE("decoder: set cells kept away from the slot they go to first decode as first met",
          "[decoder][sets][cache]") {
  // 48 distinct cells a set field: some are kept further than their first slot, and are
  // read from there (RecordDecoder::read_rows_further, read_values_further), with their
  // unknown labels as views into their own row.
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const auto levers = field_index(f.g(), "leviers");
  const auto financing = field_index(f.g(), "financements");
  Record record(f.g().schema.fields.size());
  std::vector<FieldError> errors;
  const auto decode = [&](const std::string& lever_cell, const std::string& financing_cell) {
    const auto data =
        cells({{"Leviers", lever_cell.c_str()}, {"Financements", financing_cell.c_str()}});
    const CsvRecord row = row_of(data);
    REQUIRE(decoder.decode(row, record, errors));
    std::vector<std::string> unknown;
    for (const std::string_view label : record.unknown_labels[levers]) {
      const std::string_view cell = row.fields[decoder.column_of(levers)];
      CHECK(label.data() >= cell.data());
      CHECK(label.data() + label.size() <= cell.data() + cell.size());
      unknown.emplace_back(label);
    }
    return std::tuple{bits_of(record.fields[levers]), unknown, bits_of(record.fields[financing])};
  };
  const char* const names[] = {"DETR", "Fonds vert", "Région"};
  std::vector<std::pair<std::string, std::string>> rows;
  for (std::size_t i = 0; i < 48; ++i) {
    std::string levers_cell = "Vélo, Inconnu " + std::to_string(i) + (i % 2 == 1 ? ", Eau" : "");
    std::string financing_cell;
    for (std::size_t k = 0; k <= i / 3; ++k)
      financing_cell += (k == 0 ? "" : ", ") + std::string(names[(i + k) % 3]);
    rows.emplace_back(levers_cell, financing_cell);
  }
  std::vector<decltype(decode("", ""))> first;
  for (const auto& [l, c] : rows) first.push_back(decode(l, c));
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      INFO(rows[i].first << " / " << rows[i].second);
      CHECK(decode(rows[i].first, rows[i].second) == first[i]);
      CHECK(std::get<1>(first[i]) == std::vector<std::string>{"Inconnu " + std::to_string(i)});
    }
  }
  CHECK(errors.empty());
}

TEST_CASE("decoder: a set cell met again is read from the cache, views into its own row",
          "[decoder][sets][cache]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const auto levers = field_index(f.g(), "leviers");
  const auto financing = field_index(f.g(), "financements");
  Record record(f.g().schema.fields.size());
  std::vector<FieldError> errors;
  // Each row's cells live in their own strings, freed before the next row is decoded.
  const auto decode = [&](const char* lever_cell, const char* financing_cell) {
    const auto data = cells({{"Leviers", lever_cell}, {"Financements", financing_cell}});
    const CsvRecord row = row_of(data);
    const bool ok = decoder.decode(row, record, errors);
    std::vector<std::string> unknown;
    for (const std::string_view label : record.unknown_labels[levers]) {
      // The label is a view into this row's cell, not into the row that filled the cache.
      const std::string_view cell = row.fields[decoder.column_of(levers)];
      CHECK(label.data() >= cell.data());
      CHECK(label.data() + label.size() <= cell.data() + cell.size());
      unknown.emplace_back(label);
    }
    return std::tuple{ok, bits_of(record.fields[levers]), unknown,
                      bits_of(record.fields[financing])};
  };
  const auto first = decode("Vélo, Inconnu,  Autre inconnu , Eau", "DETR, Région");
  const auto other = decode("Eau", "Fonds vert");
  const auto again = decode("Vélo, Inconnu,  Autre inconnu , Eau", "DETR, Région");
  CHECK(std::get<0>(first));
  CHECK(first == again);
  CHECK(std::get<2>(again) == std::vector<std::string>{"Inconnu", "Autre inconnu"});
  CHECK(std::get<3>(again) ==
        std::vector<std::uint32_t>{enum_value(f.g(), "Financement", "detr"),
                                   enum_value(f.g(), "Financement", "region")});
  CHECK(std::get<1>(other) != std::get<1>(first));
  CHECK(std::get<2>(other).empty());

  // A cell with an unknown choice is refused each time it is met, with its reason.
  errors.clear();
  CHECK_FALSE(std::get<0>(decode("Eau", "DETR, Fond vert")));
  CHECK_FALSE(std::get<0>(decode("Eau", "DETR, Fond vert")));
  INFO(describe(errors));
  CHECK(errors.size() == 2);

  // A cell too long to be remembered decodes the same each time.
  std::string long_cell = "Vélo";
  for (int i = 0; i < 40; ++i) long_cell += ", Eau, inconnu " + std::to_string(i);
  REQUIRE(long_cell.size() > 256);
  const auto long_first = decode(long_cell.c_str(), "");
  const auto long_again = decode(long_cell.c_str(), "");
  CHECK(long_first == long_again);
  CHECK(std::get<2>(long_again).size() == 40);
}

TEST_CASE("decoder: a set of enum values is split on \", \"", "[decoder][sets]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const auto field = field_index(f.g(), "financements");
  Record record(f.g().schema.fields.size());
  std::vector<FieldError> errors;
  REQUIRE(decoder.decode(row_of(cells({{"Financements", "DETR, region, , Fonds vert"}})), record,
                         errors));
  CHECK(bits_of(record.fields[field]) ==
        std::vector<std::uint32_t>{enum_value(f.g(), "Financement", "detr"),
                                   enum_value(f.g(), "Financement", "fonds_vert"),
                                   enum_value(f.g(), "Financement", "region")});
  REQUIRE(decoder.decode(row_of(cells({})), record, errors));
  CHECK(bits_of(record.fields[field]).empty());
  CHECK(record.fields[field].present);

  CHECK_FALSE(decoder.decode(row_of(cells({{"Financements", "DETR, Fond vert"}})), record, errors));
  INFO(describe(errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].column == "Financements");
  CHECK(errors[0].value == "DETR, Fond vert");
  CHECK(errors[0].reason.find("« Fond vert »") != std::string::npos);
  CHECK(errors[0].reason.find("vouliez-vous dire « Fonds vert »") != std::string::npos);
}

TEST_CASE("decoder: a trailing separator in an enum-set cell is an empty piece",
          "[decoder][sets]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  Record record(f.g().schema.fields.size());
  std::vector<FieldError> errors;
  const bool ok = decoder.decode(row_of(cells({{"Financements", "DETR, "}})), record, errors);
  INFO(describe(errors));
  CHECK(ok);
  CHECK(bits_of(record.fields[field_index(f.g(), "financements")]) ==
        std::vector<std::uint32_t>{enum_value(f.g(), "Financement", "detr")});
}

TEST_CASE("decoder: a set of texts is split, trimmed, empty pieces dropped", "[decoder][sets]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  Record record(f.g().schema.fields.size());
  std::vector<FieldError> errors;
  const std::vector<std::string> row = cells({{"Mots-clés", " vélo,  , école , x"}});
  REQUIRE(decoder.decode(row_of(row), record, errors));  // the texts point into `row`
  CHECK(texts_of(record.fields[field_index(f.g(), "mots")]) ==
        std::vector<std::string>{"vélo", "école", "x"});
}

TEST_CASE("decoder: a single table row by key or alias; an alias naming two rows is ambiguous",
          "[decoder][table]") {
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  const auto field = field_index(f.g(), "principal");
  Record record(f.g().schema.fields.size());
  std::vector<FieldError> errors;
  REQUIRE(decoder.decode(row_of(cells({{"Levier principal", "transports EN COMMUN"}})), record,
                         errors));
  CHECK(record.fields[field].id == row_index(f.g(), "Levier", "Transports en commun"));

  CHECK_FALSE(
      decoder.decode(row_of(cells({{"Levier principal", "Report modal"}})), record, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].column == "Levier principal");
  CHECK(errors[0].reason.find("ambigu") != std::string::npos);

  errors.clear();
  CHECK_FALSE(decoder.decode(row_of(cells({{"Levier principal", "Tramway"}})), record, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].reason.find("Levier") != std::string::npos);
}

TEST_CASE("decoder: clearing the split cache never invalidates the record being decoded",
          "[decoder][cache]") {
  const tamis::Compilation c = tamis::testing::compile(R"tamis(
table Levier (secteur : texte) { "Eau" | "Eau"  "Vélo" | "Transports" }
schéma D {
  a : ensemble de Levier colonne "A"
  b : ensemble de Levier colonne "B"
}
)tamis");
  REQUIRE_FALSE(c.diagnostics.has_errors());
  const auto& g = *c.graph;
  RecordDecoder decoder(g);
  REQUIRE(decoder.bind({"A", "B"}).empty());
  Record record(g.schema.fields.size());
  std::vector<FieldError> errors;
  // Each row brings two new distinct cells: after 50000 rows the cache holds 100000.
  int decoded = 0;
  for (int i = 0; i < 50000; ++i) {
    const std::string a = "Eau, a" + std::to_string(i);
    const std::string b = "Vélo, b" + std::to_string(i);
    CsvRecord row;
    row.fields = {a, b};
    decoded += decoder.decode(row, record, errors) ? 1 : 0;
  }
  REQUIRE(decoded == 50000);
  // A new cell in `a` takes the cache past the limit; `b` then clears it.
  const std::string a = "Eau, dernier a";
  const std::string b = "Vélo, dernier b";
  CsvRecord row;
  row.fields = {a, b};
  REQUIRE(decoder.decode(row, record, errors));
  CHECK(bits_of(record.fields[0]) == std::vector<std::uint32_t>{0});
  REQUIRE(record.unknown_labels[0].size() == 1);
  CHECK(record.unknown_labels[0][0] == "dernier a");
}

TEST_CASE("decoder: an empty cell is missing in an optional field, refused in a required one",
          "[decoder][usual]") {
  // Every shape the usual path reads, required and optional: an empty cell is never of
  // the usual shape, and only an optional field takes it as missing there.
  const tamis::Compilation c = tamis::testing::compile(R"tamis(
énumération E { a "A"  b "B" }
schéma D {
  t  : texte    colonne "T"
  i  : entier   colonne "I"
  d  : date     colonne "D"
  b  : booléen  colonne "B"
  e  : E        colonne "E"
  ot : texte?   colonne "OT"
  oi : entier?  colonne "OI"
  od : date?    colonne "OD"
  ob : booléen? colonne "OB"
  oe : E?       colonne "OE"
}
)tamis");
  REQUIRE_FALSE(c.diagnostics.has_errors());
  const auto& g = *c.graph;
  RecordDecoder decoder(g);
  const std::vector<std::string> header = {"T", "I", "D", "B", "E", "OT", "OI", "OD", "OB", "OE"};
  REQUIRE(decoder.bind(header).empty());
  Record record(g.schema.fields.size());
  std::vector<FieldError> errors;
  CsvRecord full;
  full.fields = {"x", "12345678", "2025-01-31", "Oui", "A",
                 "y", "87654321", "2024-02-29", "Non", "B"};
  REQUIRE(decoder.decode(full, record, errors));
  for (std::size_t f = 0; f < header.size(); ++f) CHECK(record.fields[f].present);
  CHECK(record.fields[1].integer == 12345678);
  CHECK(record.fields[2].date == tamis::text::days_from_civil(2025, 1, 31));
  CHECK(record.fields[3].boolean);
  CHECK(record.fields[4].id == 0u);
  CHECK(record.fields[9].id == 1u);

  CsvRecord empty;
  empty.fields = std::vector<std::string_view>(header.size(), "");
  CHECK_FALSE(decoder.decode(empty, record, errors));
  REQUIRE(errors.size() == 5);  // the required fields, in schema order
  for (std::size_t f = 0; f < 5; ++f) {
    CHECK(errors[f].column == header[f]);
    CHECK(errors[f].reason.find("obligatoire") != std::string::npos);
  }
  for (std::size_t f = 5; f < header.size(); ++f) CHECK_FALSE(record.fields[f].present);
}

TEST_CASE("decoder: the usual readings give what the general path gives", "[decoder][usual]") {
  // Each kind's cell as exports write it (read in decode()'s loop) and in another shape
  // (handed to decode_field): the same values, whole words compared.
  const tamis::Compilation c = tamis::testing::compile(R"tamis(
énumération E { a "A"  b "B" }
schéma D {
  t  : texte?   colonne "T"
  i  : entier   colonne "I"
  d  : date?    colonne "D"
  b  : booléen? colonne "B"
  e  : E?       colonne "E"
}
)tamis");
  REQUIRE_FALSE(c.diagnostics.has_errors());
  const auto& g = *c.graph;
  RecordDecoder decoder(g);
  REQUIRE(decoder.bind({"T", "I", "D", "B", "E"}).empty());
  Record record(g.schema.fields.size());
  std::vector<FieldError> errors;
  const auto decode = [&](std::vector<std::string_view> cells) {
    CsvRecord row;
    row.fields = std::move(cells);
    REQUIRE(decoder.decode(row, record, errors));
    for (std::size_t f = 0; f < row.fields.size(); ++f)
      CHECK(record.raw[f] == row.fields[decoder.column_of(f)]);
    return record.fields;
  };
  const auto same = [](const Value& a, const Value& b) {
    CHECK(a.present == b.present);
    CHECK(a.size == b.size);
    CHECK(a.integer == b.integer);  // the whole eight bytes
  };
  const std::int32_t before_1970 = tamis::text::days_from_civil(1969, 12, 31);
  auto usual = decode({"x", "12345678", "1969-12-31", "Non", "B"});
  same(usual[1], Value::of_integer(12345678));
  same(usual[2], Value::of_date(before_1970));
  same(usual[3], Value::of_bool(false));
  same(usual[4], Value::of_id(1));
  CHECK(std::string_view(usual[0].text, usual[0].size) == "x");
  auto general = decode({" x ", " 1 234 ", "31/12/1969 ", " Non", " B "});
  same(general[1], Value::of_integer(1234));
  same(general[2], Value::of_date(before_1970));
  same(general[3], Value::of_bool(false));
  same(general[4], Value::of_id(1));
  CHECK(std::string_view(general[0].text, general[0].size) == "x");
  // Texts with a byte trimming looks at, at an end: trimmed, or kept whole.
  general = decode({"\xC2\xA0y\xE2\x80\xAF", "12345678", "", "", ""});
  CHECK(std::string_view(general[0].text, general[0].size) == "y");
  general = decode({"\xE2\x82\xAC 5", "12345678", "", "", ""});  // « € 5 »
  CHECK(std::string_view(general[0].text, general[0].size) == "\xE2\x82\xAC 5");
  for (std::size_t f = 2; f < 5; ++f) CHECK_FALSE(general[f].present);

  // Bound again to another order of columns: the cells are read where they now are.
  REQUIRE(decoder.bind({"E", "B", "D", "I", "T"}).empty());
  usual = decode({"A", "Oui", "2025-01-31", "87654321", "z"});
  same(usual[1], Value::of_integer(87654321));
  same(usual[2], Value::of_date(tamis::text::days_from_civil(2025, 1, 31)));
  same(usual[3], Value::of_bool(true));
  same(usual[4], Value::of_id(0));
  CHECK(std::string_view(usual[0].text, usual[0].size) == "z");
  CHECK(record.raw[0] == "z");
}

TEST_CASE("decoder: only the cells asked for are kept, the identifier's always",
          "[decoder][usual]") {
  // Each reading, usual or general, with its cell kept in record.raw or not: the same
  // values either way; a cell not kept is left as it was.
  const tamis::Compilation c = tamis::testing::compile(R"tamis(
énumération E { a "A"  b "B" }
table L (x : texte) { "Un" | "1"  "Deux" | "2" }
schéma D {
  i  : entier           colonne "I"
  t  : texte?           colonne "T"
  d  : date?            colonne "D"
  b  : booléen?         colonne "B"
  e  : E?               colonne "E"
  l  : ensemble de L    colonne "L"
  s  : ensemble de E    colonne "S"
  m  : décimal?         colonne "M"
}
)tamis");
  REQUIRE_FALSE(c.diagnostics.has_errors());
  const auto& g = *c.graph;
  const std::size_t n = g.schema.fields.size();
  RecordDecoder decoder(g);
  REQUIRE(decoder.bind({"I", "T", "D", "B", "E", "L", "S", "M"}).empty());
  for (std::size_t f = 0; f < n; ++f) CHECK(decoder.keeps_cell(f));
  std::vector<FieldError> errors;
  const std::vector<std::vector<std::string>> rows = {
      {"12345678", "x", "2024-02-29", "Oui", "A", "Un, Deux", "A, B", "1.5"},
      {" 1 234 ", " x ", "29/02/2024", " Non", " b ", "Un, Trois", "B", ""},
  };
  // The record, and its sets' members (their words are the decoder's, until the next row).
  struct Decoded {
    Record record;
    std::vector<std::vector<std::uint32_t>> members;
  };
  const auto decode = [&](const std::vector<std::string>& cells) {
    Decoded d{Record(n), {}};
    REQUIRE(decoder.decode(row_of(cells), d.record, errors));
    for (std::size_t f = 5; f <= 6; ++f) d.members.push_back(bits_of(d.record.fields[f]));
    return d;
  };
  const auto same = [](const Decoded& a, const Decoded& b) {
    for (std::size_t f = 0; f < a.record.fields.size(); ++f) {
      INFO("field " << f);
      CHECK(a.record.fields[f].present == b.record.fields[f].present);
      CHECK(a.record.fields[f].size == b.record.fields[f].size);
      if (f < 5 || f > 6) CHECK(a.record.fields[f].integer == b.record.fields[f].integer);
    }
    CHECK(a.members == b.members);
    CHECK(a.record.unknown_labels[5] == b.record.unknown_labels[5]);
  };
  for (const auto& cells : rows) {
    INFO(cells[0]);
    const Decoded every = decode(cells);
    for (std::size_t f = 0; f < n; ++f) CHECK(every.record.raw[f] == cells[f]);
    decoder.keep_only_cells({2, 5});
    for (std::size_t f = 0; f < n; ++f)
      CHECK(decoder.keeps_cell(f) == (f == 0 || f == 2 || f == 5));
    const Decoded some = decode(cells);
    for (std::size_t f = 0; f < n; ++f) {
      INFO("field " << f);
      CHECK(some.record.raw[f] ==
            (decoder.keeps_cell(f) ? std::string_view(cells[f]) : std::string_view()));
    }
    same(some, every);
    decoder.keep_only_cells({});  // the identifier's only
    const Decoded least = decode(cells);
    CHECK(least.record.raw[0] == cells[0]);
    for (std::size_t f = 1; f < n; ++f) CHECK(least.record.raw[f].empty());
    same(least, every);
    decoder.keep_every_cell();
    const Decoded again = decode(cells);
    for (std::size_t f = 0; f < n; ++f) CHECK(again.record.raw[f] == cells[f]);
    same(again, every);
  }
}

TEST_CASE("decoder: the same row's cells, fewer or more, are refused", "[decoder]") {
  // A row whose cells start where the last row's did is read without planning its cells
  // again only when they also end there: one of another count, in the same vector, is
  // refused, and the next of the header's count read.
  Fixture f;
  RecordDecoder decoder(f.g());
  REQUIRE(decoder.bind(kHeader).empty());
  Record record(f.g().schema.fields.size());
  std::vector<FieldError> errors;
  const std::vector<std::string> data = cells({});
  CsvRecord row = row_of(data);
  row.fields.reserve(row.fields.size() + 1);  // the cells stay where they are
  const std::string_view* const where = row.fields.data();
  REQUIRE(decoder.decode(row, record, errors));
  row.fields.pop_back();
  CHECK_FALSE(decoder.decode(row, record, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].reason.find("9 champ(s) au lieu des 10") != std::string::npos);
  errors.clear();
  row.fields.push_back(data.back());
  REQUIRE(decoder.decode(row, record, errors));
  row.fields.push_back("extra");
  REQUIRE(row.fields.data() == where);
  CHECK_FALSE(decoder.decode(row, record, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].reason.find("11 champ(s)") != std::string::npos);
  errors.clear();
  row.fields.pop_back();
  CHECK(decoder.decode(row, record, errors));
  CHECK(errors.empty());
}
