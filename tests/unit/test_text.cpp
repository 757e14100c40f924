#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "support/text.hpp"

using namespace tamis::text;

TEST_CASE("first_invalid_utf8 accepts valid text", "[text][utf8]") {
  CHECK_FALSE(first_invalid_utf8(""));
  CHECK_FALSE(first_invalid_utf8("plain ASCII text, long enough for the fast path"));
  CHECK_FALSE(first_invalid_utf8("Électricité – œuvre € 𝄞 ’"));
  CHECK_FALSE(first_invalid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST_CASE("first_invalid_utf8 reports the offset of the first bad sequence", "[text][utf8]") {
  CHECK(first_invalid_utf8("abc\xFF") == std::optional<std::size_t>{3});
  CHECK(first_invalid_utf8("\x80") == std::optional<std::size_t>{0});
  CHECK(first_invalid_utf8("caf\xE9 au lait") == std::optional<std::size_t>{3});   // Latin-1 é
  CHECK(first_invalid_utf8("0123456789\xC3") == std::optional<std::size_t>{10});   // truncated
  CHECK(first_invalid_utf8("\xC0\xAF") == std::optional<std::size_t>{0});          // overlong
  CHECK(first_invalid_utf8("\xE0\x80\xAF") == std::optional<std::size_t>{0});      // overlong
  CHECK(first_invalid_utf8("ok\xED\xA0\x80") == std::optional<std::size_t>{2});    // surrogate
  CHECK(first_invalid_utf8("\xF4\x90\x80\x80") == std::optional<std::size_t>{0});  // > U+10FFFF
  CHECK(first_invalid_utf8("é\xE2\x82") == std::optional<std::size_t>{2});
}

TEST_CASE("count_code_points", "[text][utf8]") {
  CHECK(count_code_points("") == 0);
  CHECK(count_code_points("abc") == 3);
  CHECK(count_code_points("Électricité") == 11);
  CHECK(count_code_points("€𝄞") == 2);
}

TEST_CASE("trim removes ASCII whitespace and no-break spaces", "[text]") {
  CHECK(trim("") == "");
  CHECK(trim("   ") == "");
  CHECK(trim(" \t a b \r\n") == "a b");
  CHECK(trim("\xC2\xA0"
             "12\xE2\x80\xAF") == "12");
  CHECK(trim("\xE2\x80\xAF\xC2\xA0 x \xC2\xA0") == "x");
  CHECK(trim("é") == "é");
}

TEST_CASE("normalize_label folds case, accents and spaces", "[text][normalize]") {
  CHECK(normalize_label("Électricité renouvelable") == "electricite renouvelable");
  CHECK(normalize_label("  Électricité  RENOUVELABLE ") == "electricite renouvelable");
  CHECK(normalize_label("electricite  RENOUVELABLE") ==
        normalize_label("Électricité renouvelable"));
  CHECK(normalize_label("ÇA VA À L'ÉCOLE") == "ca va a l'ecole");
  CHECK(normalize_label("Straße") == "strasse");
  CHECK(normalize_label("Ἀθῆναι") == "αθηναι");
  CHECK(normalize_label("a\xC2\xA0\xE2\x80\xAF"
                        "b\t\n c") == "a b c");
  CHECK(normalize_label("") == "");
  CHECK(normalize_label(" \t ") == "");
}

TEST_CASE("normalize_label unifies typographic apostrophes", "[text][normalize]") {
  CHECK(normalize_label("l’eau") == "l'eau");
  CHECK(normalize_label("l‘eau") == "l'eau");
  CHECK(normalize_label("lʼeau") == "l'eau");
  CHECK(normalize_label("L’Éau") == normalize_label("l'eau"));
}

TEST_CASE("normalize_label keeps ligatures, only case-folded", "[text][normalize]") {
  CHECK(normalize_label("ŒUVRE") == "œuvre");
  CHECK(normalize_label("Æther") == "æther");
  CHECK(normalize_label("œuvre") != normalize_label("oeuvre"));
}

TEST_CASE("normalize_label on invalid UTF-8 keeps the bytes", "[text][normalize]") {
  CHECK(normalize_label("CAF\xC9  Noir") == "caf\xC9 noir");
}

TEST_CASE("normalize_label is usable from several threads", "[text][normalize]") {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (std::size_t t = 0; t < ok.size(); ++t) {
    threads.emplace_back([&ok, t] {
      int good = 0;
      for (int i = 0; i < 200; ++i) {
        good +=
            normalize_label(" Électricité  RENOUVELABLE ") == "electricite renouvelable" ? 1 : 0;
      }
      ok[t] = good;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int good : ok) CHECK(good == 200);
}

TEST_CASE("days_from_civil and format_date", "[text][date]") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(1970, 1, 2) == 1);
  CHECK(days_from_civil(1969, 12, 31) == -1);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  CHECK(days_from_civil(2024, 2, 29) == 19782);
  CHECK(format_date(0) == "1970-01-01");
  CHECK(format_date(-1) == "1969-12-31");
  CHECK(format_date(19782) == "2024-02-29");
  CHECK(format_date(days_from_civil(1, 1, 1)) == "0001-01-01");
  // Every 997th day from 0001-01-01 to 9999-12-31 round-trips.
  CHECK(days_from_civil(9999, 12, 31) == 2932896);
  for (std::int32_t d = days_from_civil(1, 1, 1); d <= 2932896; d += 997) {
    const std::string text = format_date(d);
    REQUIRE(parse_date(text) == std::optional<std::int32_t>{d});
  }
}

TEST_CASE("parse_date accepts ISO and French dates", "[text][date]") {
  CHECK(parse_date("2024-02-29") == std::optional<std::int32_t>{19782});
  CHECK(parse_date("29/02/2024") == std::optional<std::int32_t>{19782});
  CHECK(parse_date("  2024-02-29 ") == std::optional<std::int32_t>{19782});
  CHECK(parse_date("\xC2\xA0"
                   "01/01/1970\t") == std::optional<std::int32_t>{0});
  CHECK(parse_date("2000-02-29"));
  CHECK(parse_date("31/12/1999"));
}

TEST_CASE("parse_date rejects bad calendars and other formats", "[text][date]") {
  CHECK_FALSE(parse_date("2025-02-29"));
  CHECK_FALSE(parse_date("29/02/2025"));
  CHECK_FALSE(parse_date("1900-02-29"));
  CHECK_FALSE(parse_date("2025-02-30"));
  CHECK_FALSE(parse_date("2025-04-31"));
  CHECK_FALSE(parse_date("2025-13-01"));
  CHECK_FALSE(parse_date("2025-00-10"));
  CHECK_FALSE(parse_date("2025-01-00"));
  CHECK_FALSE(parse_date("2025-1-01"));
  CHECK_FALSE(parse_date("1/02/2025"));
  CHECK_FALSE(parse_date("2025/01/01"));
  CHECK_FALSE(parse_date("01-01-2025"));
  CHECK_FALSE(parse_date("2025-01-01T00:00"));
  CHECK_FALSE(parse_date("2025-01-01 x"));
  CHECK_FALSE(parse_date("+025-01-01"));
  CHECK_FALSE(parse_date(""));
}

TEST_CASE("parse_integer", "[text][number]") {
  CHECK(parse_integer("0") == std::optional<std::int64_t>{0});
  CHECK(parse_integer("42") == std::optional<std::int64_t>{42});
  CHECK(parse_integer(" -17 ") == std::optional<std::int64_t>{-17});
  CHECK(parse_integer("+8") == std::optional<std::int64_t>{8});
  CHECK(parse_integer("1 234 567") == std::optional<std::int64_t>{1234567});
  CHECK(parse_integer("1\xC2\xA0"
                      "234") == std::optional<std::int64_t>{1234});
  CHECK(parse_integer("12\xE2\x80\xAF"
                      "345") == std::optional<std::int64_t>{12345});
  CHECK(parse_integer("9223372036854775807") == std::optional<std::int64_t>{INT64_MAX});
  CHECK(parse_integer("-9223372036854775808") == std::optional<std::int64_t>{INT64_MIN});
  CHECK_FALSE(parse_integer("9223372036854775808"));
  CHECK_FALSE(parse_integer(""));
  CHECK_FALSE(parse_integer("-"));
  CHECK_FALSE(parse_integer("12a"));
  CHECK_FALSE(parse_integer("1.5"));
  CHECK_FALSE(parse_integer("12 34"));
  CHECK_FALSE(parse_integer("1234 567"));
  CHECK_FALSE(parse_integer("1  234"));
  CHECK_FALSE(parse_integer("- 5"));
}

TEST_CASE("parse_decimal accepts English and French forms", "[text][number]") {
  CHECK(parse_decimal("1234.56") == Approx(1234.56));
  CHECK(parse_decimal("1234,56") == Approx(1234.56));
  CHECK(parse_decimal("1 234,56") == Approx(1234.56));
  CHECK(parse_decimal("1\xC2\xA0"
                      "234,56") == Approx(1234.56));
  CHECK(parse_decimal("1\xE2\x80\xAF"
                      "234,56\xC2\xA0\xE2\x82\xAC") == Approx(1234.56));
  CHECK(parse_decimal("1234,56 €") == Approx(1234.56));
  CHECK(parse_decimal("1 234 €") == Approx(1234.0));
  CHECK(parse_decimal("12€") == Approx(12.0));
  CHECK(parse_decimal("-0,5") == Approx(-0.5));
  CHECK(parse_decimal(" 42 ") == Approx(42.0));
  CHECK(parse_decimal("1.234") == Approx(1.234));
  CHECK(parse_decimal("1,234") == Approx(1.234));
  CHECK(parse_decimal("1 234.5") == Approx(1234.5));
  CHECK(parse_decimal("0.1") == 0.1);  // from_chars rounds correctly
}

TEST_CASE("parse_decimal rejects ambiguous or malformed text", "[text][number]") {
  CHECK_FALSE(parse_decimal("1,234.56"));
  CHECK_FALSE(parse_decimal("1.234,56"));
  CHECK_FALSE(parse_decimal("1.234.567"));
  CHECK_FALSE(parse_decimal("1,234,567"));
  CHECK_FALSE(parse_decimal(""));
  CHECK_FALSE(parse_decimal("€"));
  CHECK_FALSE(parse_decimal(",5"));
  CHECK_FALSE(parse_decimal("5,"));
  CHECK_FALSE(parse_decimal("1e5"));
  CHECK_FALSE(parse_decimal("abc"));
  CHECK_FALSE(parse_decimal("12 34,5"));
  CHECK_FALSE(parse_decimal("nan"));
  CHECK_FALSE(parse_decimal("€ 12"));
}

TEST_CASE("label_distance counts code points of normalised forms", "[text][suggest]") {
  CHECK(label_distance("", "") == 0);
  CHECK(label_distance("abc", "") == 3);
  CHECK(label_distance("kitten", "sitting") == 3);
  CHECK(label_distance("Électricité", "electricite") == 0);
  CHECK(label_distance("électricité", "électricitè") == 0);
  CHECK(label_distance("œuvre", "œuvra") == 1);  // one code point, two bytes
  CHECK(label_distance("l’eau", "l'eau") == 0);
}

TEST_CASE("closest_match suggests plausible typos only", "[text][suggest]") {
  const std::vector<std::string> levers = {"chauffage", "isolation", "Électricité renouvelable"};
  CHECK(closest_match("chaufage", levers) == std::optional<std::string>{"chauffage"});
  CHECK(closest_match("ISOLATON", levers) == std::optional<std::string>{"isolation"});
  CHECK(closest_match("electricite renouvelabl", levers) ==
        std::optional<std::string>{"Électricité renouvelable"});
  CHECK_FALSE(closest_match("transport", levers));
  CHECK_FALSE(closest_match("anything", {}));
  // Short words: at most one edit.
  CHECK(closest_match("ab", {"ac"}) == std::optional<std::string>{"ac"});
  CHECK_FALSE(closest_match("ab", {"cd"}));
  // Ties go to the first candidate.
  CHECK(closest_match("cat", {"bat", "cot"}) == std::optional<std::string>{"bat"});
  // Limit: 9 code points → 3 edits allowed.
  CHECK(closest_match("abcdefghi", {"abcdefxyz"}));
  CHECK_FALSE(closest_match("abcdefghi", {"abcdewxyz"}));
}
