#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/io/campaign_input.hpp"
#include "support/byte_sink.hpp"
#include "support/text.hpp"

using namespace tamis::text;

namespace {

// UTF-8 of a code point below U+10000.
std::string utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

}  // namespace

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

TEST_CASE("valid_utf8 replaces each stray byte by U+FFFD and keeps the rest", "[text][utf8]") {
  using tamis::text::valid_utf8;
  CHECK(valid_utf8("") == "");
  CHECK(valid_utf8("Café ✓") == "Café ✓");
  CHECK(valid_utf8("caf\xe9.csv") == "caf\uFFFD.csv");  // Latin-1 é
  CHECK(valid_utf8("187\xc3"
                   "59043") ==
        "187\uFFFD"
        "59043");  // a lead byte alone
  CHECK(valid_utf8("\xff\xfe") == "\uFFFD\uFFFD");
  CHECK(valid_utf8("a\xed\xa0\x80z") == "a\uFFFD\uFFFD\uFFFDz");  // a surrogate
  CHECK(valid_utf8("\xc3") == "\uFFFD");                          // cut at the end
  CHECK_FALSE(tamis::text::first_invalid_utf8(valid_utf8("x\x80\xc3\xa9\xe2\x82")));
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

TEST_CASE("normalize_label's folds fill, never overrun, a buffer as long as the label",
          "[text][normalize]") {
  // The folded text is written into a buffer of the label's length (LabelWriter): the
  // folds that keep a label's length exactly.
  CHECK(normalize_label("ßßß") == "ssssss");
  CHECK(normalize_label("ŒŒ") == "œœ");
  CHECK(normalize_label("ÆØÞ×") == "æøþ×");
  CHECK(normalize_label("a\xC3 b\xC3") == "a\xC3 b\xC3");
  CHECK(normalize_label("x ’ y") == "x ' y");
}

TEST_CASE("normalize_label on invalid UTF-8 keeps the bytes", "[text][normalize]") {
  CHECK(normalize_label("CAF\xC9  Noir") == "caf\xC9 noir");
}

TEST_CASE("normalize_label folds French labels without ICU, as ICU would", "[text][normalize]") {
  // Every code point the ICU-free way accepts, alone, between letters and after
  // spaces, must give what ICU's folding and NFD give.
  std::size_t accepted = 0;
  for (char32_t c = 0x80; c < 0x3100; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::string cp = utf8(c);
    for (const std::string& s : {cp, "A" + cp + "b", " \xC3\x89 " + cp + " ", cp + "\xCC\x81Z"}) {
      const auto common = detail::normalize_label_common(s);
      if (!common) continue;
      ++accepted;
      INFO("U+" << std::hex << static_cast<std::uint32_t>(c) << " in «" << s << "»");
      CHECK(*common == detail::normalize_label_icu(s));
    }
  }
  CHECK(accepted > 4 * 200);  // Latin-1, Œ œ, accents, punctuation and spaces
  // The labels of a campaign do not reach ICU; other scripts do.
  CHECK(detail::normalize_label_common("Sobriété des bâtiments (tertiaire) – l’Œuvre") ==
        "sobriete des batiments (tertiaire) – l'œuvre");
  CHECK_FALSE(detail::normalize_label_common("Ἀθῆναι"));
  CHECK_FALSE(detail::normalize_label_common("µ"));
}

TEST_CASE("normalize_label's ASCII bytes, read without decoding, fold as ICU folds them",
          "[text][normalize]") {
  // normalize_label_common reads ASCII bytes on a way of their own: every one of them,
  // alone, between letters, in runs of spaces and next to accented letters, must give
  // what ICU's folding and NFD give.
  for (int b = 1; b < 0x80; ++b) {
    const std::string c(1, static_cast<char>(b));
    for (const std::string& s :
         {c, "A" + c + "b", " \t" + c + "\r\n ", "\xC3\x89" + c + c + "\xC3\xA9", c + "  Z" + c,
          "x \xC2\xA0" + c}) {
      INFO("byte " << b << " in «" << s << "»");
      const auto common = detail::normalize_label_common(s);
      REQUIRE(common);
      CHECK(*common == detail::normalize_label_icu(s));
    }
  }
  CHECK(detail::normalize_label_common("  Transports\tEN   Commun \n") == "transports en commun");
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
  // Plain digits up to 18 are read in place, longer ones the general way: both agree
  // on either side of that length.
  CHECK(parse_integer("999999999999999999") == std::optional<std::int64_t>{999999999999999999});
  CHECK(parse_integer("-999999999999999999") == std::optional<std::int64_t>{-999999999999999999});
  CHECK(parse_integer("1000000000000000000") == std::optional<std::int64_t>{1000000000000000000});
  CHECK(parse_integer("0042") == std::optional<std::int64_t>{42});
  CHECK(parse_integer("-0") == std::optional<std::int64_t>{0});
  CHECK_FALSE(parse_integer("--5"));
  CHECK_FALSE(parse_integer("5-"));
  CHECK_FALSE(parse_integer("1/2"));  // '/' is just below '0'
  CHECK_FALSE(parse_integer("1:2"));  // ':' just above '9'
  CHECK_FALSE(parse_integer(""));
  CHECK_FALSE(parse_integer("-"));
  CHECK_FALSE(parse_integer("12a"));
  CHECK_FALSE(parse_integer("1.5"));
  CHECK_FALSE(parse_integer("12 34"));
  CHECK_FALSE(parse_integer("1234 567"));
  CHECK_FALSE(parse_integer("1  234"));
  CHECK_FALSE(parse_integer("- 5"));
}

TEST_CASE("parse_integer reads the last eight digits as a word", "[text][number]") {
  // Digit strings of every length up to 18, then the same with each position replaced
  // by every byte: a digit gives the new number, any other byte (but the spaces that
  // group digits or surround the number) a refusal, whichever way the digits are read.
  const auto is_space_byte = [](unsigned b) {
    return (b >= 0x09 && b <= 0x0D) || b == 0x20 || b == 0xC2 || b == 0xE2 || b == 0xA0 ||
           b == 0x80 || b == 0xAF;
  };
  const std::string digits = "918273645546372819";
  for (std::size_t n = 1; n <= digits.size(); ++n) {
    const std::string number = digits.substr(0, n);
    REQUIRE(parse_integer(number) == std::optional<std::int64_t>{std::stoll(number)});
    REQUIRE(parse_integer("-" + number) == std::optional<std::int64_t>{-std::stoll(number)});
    for (std::size_t at = 0; at < n; ++at) {
      for (unsigned b = 1; b < 256; ++b) {
        if (is_space_byte(b) || (at == 0 && (b == '-' || b == '+'))) continue;
        std::string changed = number;
        changed[at] = static_cast<char>(b);
        INFO(changed);
        if (b >= '0' && b <= '9') {
          REQUIRE(parse_integer(changed) == std::optional<std::int64_t>{std::stoll(changed)});
        } else {
          REQUIRE_FALSE(parse_integer(changed));
        }
      }
    }
  }
}

TEST_CASE("parse_date reads YYYY-MM-DD a word at a time, byte by byte as strictly",
          "[text][date]") {
  const std::string date = "2024-02-29";
  for (std::size_t at = 0; at < date.size(); ++at) {
    for (unsigned b = 1; b < 256; ++b) {
      std::string changed = date;
      changed[at] = static_cast<char>(b);
      if (changed == date) continue;
      INFO(changed);
      const bool digit = b >= '0' && b <= '9';
      if (!digit || at == 4 || at == 7) {
        // Only spaces at either end may be trimmed away, which leaves 9 bytes: refused.
        REQUIRE_FALSE(parse_date(changed));
        continue;
      }
      const int year = std::stoi(changed.substr(0, 4));
      const unsigned month = static_cast<unsigned>(std::stoi(changed.substr(5, 2)));
      const unsigned day = static_cast<unsigned>(std::stoi(changed.substr(8, 2)));
      const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
      static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      const bool exists = month >= 1 && month <= 12 && day >= 1 &&
                          day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
      REQUIRE(
          parse_date(changed) ==
          (exists ? std::optional<std::int32_t>{days_from_civil(year, month, day)} : std::nullopt));
    }
  }
}

TEST_CASE("parse_exported_integer reads eight digits, byte by byte and by pairs of bytes",
          "[text][integer]") {
  // Its own answers (parse_integer reads what it refuses another way): a number exactly
  // when the eight bytes are digits, whatever byte is changed, alone or with another.
  const auto expected = [](const std::string& s) -> std::optional<std::int64_t> {
    for (const char c : s)
      if (c < '0' || c > '9') return std::nullopt;
    return std::stoll(s);
  };
  const std::string number = "18203305";
  for (std::size_t at = 0; at < number.size(); ++at) {
    for (unsigned b = 0; b < 256; ++b) {
      std::string changed = number;
      changed[at] = static_cast<char>(b);
      INFO(changed);
      REQUIRE(parse_exported_integer(changed) == expected(changed));
    }
  }
  const unsigned bytes[] = {0x00, 0x2F, 0x30, 0x31, 0x39, 0x3A, 0x7F, 0x80, 0xC3, 0xFF};
  for (const std::string base : {"18203305", "00000000", "99999999"}) {
    for (std::size_t i = 0; i < base.size(); ++i) {
      for (std::size_t j = i + 1; j < base.size(); ++j) {
        for (const unsigned a : bytes) {
          for (const unsigned b : bytes) {
            std::string changed = base;
            changed[i] = static_cast<char>(a);
            changed[j] = static_cast<char>(b);
            INFO(changed);
            REQUIRE(parse_exported_integer(changed) == expected(changed));
          }
        }
      }
    }
  }
  CHECK_FALSE(parse_exported_integer("1234567"));
  CHECK_FALSE(parse_exported_integer("123456789"));
}

TEST_CASE("parse_exported_date reads YYYY-MM-DD itself, byte by byte and by pairs of bytes",
          "[text][date]") {
  // parse_date hands what parse_exported_date refuses to the general way: here its own
  // answers, every byte at every place, then pairs of places with bytes about the digits
  // (a byte below '0' borrows from the next one, one above '9' must not carry into it).
  const auto expected = [](const std::string& s) -> std::optional<std::int32_t> {
    for (std::size_t at = 0; at < s.size(); ++at) {
      const bool dash = at == 4 || at == 7;
      if (dash ? s[at] != '-' : (s[at] < '0' || s[at] > '9')) return std::nullopt;
    }
    const int year = std::stoi(s.substr(0, 4));
    const unsigned month = static_cast<unsigned>(std::stoi(s.substr(5, 2)));
    const unsigned day = static_cast<unsigned>(std::stoi(s.substr(8, 2)));
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] + (month == 2 && leap ? 1 : 0))
      return std::nullopt;
    return days_from_civil(year, month, day);
  };
  const std::string date = "2024-02-29";
  for (std::size_t at = 0; at < date.size(); ++at) {
    for (unsigned b = 0; b < 256; ++b) {
      std::string changed = date;
      changed[at] = static_cast<char>(b);
      INFO(changed);
      REQUIRE(parse_exported_date(changed) == expected(changed));
    }
  }
  const unsigned bytes[] = {0x00, 0x2D, 0x2F, 0x30, 0x31, 0x39, 0x3A, 0x7F, 0x80, 0xC3, 0xFF};
  for (const std::string base : {"2024-02-29", "1999-12-31", "0000-00-00", "9999-99-99"}) {
    for (std::size_t i = 0; i < base.size(); ++i) {
      for (std::size_t j = i + 1; j < base.size(); ++j) {
        for (const unsigned a : bytes) {
          for (const unsigned b : bytes) {
            std::string changed = base;
            changed[i] = static_cast<char>(a);
            changed[j] = static_cast<char>(b);
            INFO(changed);
            REQUIRE(parse_exported_date(changed) == expected(changed));
          }
        }
      }
    }
  }
}

TEST_CASE("parse_date reads DD/MM/YYYY a word at a time, byte by byte as strictly",
          "[text][date]") {
  const std::string date = "29/02/2024";
  for (std::size_t at = 0; at < date.size(); ++at) {
    for (unsigned b = 1; b < 256; ++b) {
      std::string changed = date;
      changed[at] = static_cast<char>(b);
      if (changed == date) continue;
      INFO(changed);
      const bool digit = b >= '0' && b <= '9';
      if (!digit || at == 2 || at == 5) {
        // Only spaces at either end may be trimmed away, which leaves 9 bytes: refused.
        REQUIRE_FALSE(parse_date(changed));
        continue;
      }
      const unsigned day = static_cast<unsigned>(std::stoi(changed.substr(0, 2)));
      const unsigned month = static_cast<unsigned>(std::stoi(changed.substr(3, 2)));
      const int year = std::stoi(changed.substr(6, 4));
      const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
      static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      const bool exists = month >= 1 && month <= 12 && day >= 1 &&
                          day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
      REQUIRE(
          parse_date(changed) ==
          (exists ? std::optional<std::int32_t>{days_from_civil(year, month, day)} : std::nullopt));
    }
  }
}

TEST_CASE("parse_decimal accepts English and French forms", "[text][number]") {
  // Millionths: support/decimal.hpp.
  CHECK(parse_decimal("1234.56") == 1'234'560'000);
  CHECK(parse_decimal("1234,56") == 1'234'560'000);
  CHECK(parse_decimal("1 234,56") == 1'234'560'000);
  CHECK(parse_decimal("1\xC2\xA0"
                      "234,56") == 1'234'560'000);
  CHECK(parse_decimal("1\xE2\x80\xAF"
                      "234,56\xC2\xA0\xE2\x82\xAC") == 1'234'560'000);
  CHECK(parse_decimal("1234,56 €") == 1'234'560'000);
  CHECK(parse_decimal("1 234 €") == 1'234'000'000);
  CHECK(parse_decimal("12€") == 12'000'000);
  CHECK(parse_decimal("-0,5") == -500'000);
  CHECK(parse_decimal(" 42 ") == 42'000'000);
  CHECK(parse_decimal("1.234") == 1'234'000);
  CHECK(parse_decimal("1,234") == 1'234'000);
  CHECK(parse_decimal("1 234.5") == 1'234'500'000);
  CHECK(parse_decimal("0.1") == 100'000);  // exactly a tenth
}

TEST_CASE("parse_decimal rounds past the sixth decimal, half to even", "[text][number]") {
  CHECK(parse_decimal("1234.5600000000002") == 1'234'560'000);  // a spreadsheet's binary noise
  CHECK(parse_decimal("0,0000005") == 0);                       // a tie: to the even millionth
  CHECK(parse_decimal("0,0000015") == 2);
  CHECK(parse_decimal("0,00000051") == 1);
  CHECK(parse_decimal("-0,0000015") == -2);
  CHECK(parse_decimal("9 223 372 036 854,775807") == INT64_MAX);
  CHECK_FALSE(parse_decimal("9 223 372 036 854,775808"));  // beyond the range
  CHECK_FALSE(parse_decimal("10000000000000"));
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

// ---------------------------------------------------------------------------
// Encodings of campaign files (runtime/io/campaign_input): detection and conversion.

namespace {

using tamis::io::Encoding;

std::string utf16(const std::u16string& s, bool big_endian, bool bom) {
  std::string out;
  if (bom) out = big_endian ? "\xFE\xFF" : "\xFF\xFE";
  for (const char16_t u : s) {
    const auto hi = static_cast<char>(u >> 8);
    const auto lo = static_cast<char>(u & 0xFF);
    out += big_endian ? std::string{hi, lo} : std::string{lo, hi};
  }
  return out;
}

// Writes `bytes` to a temporary file, opens it with `requested` and reads it back.
std::pair<Encoding, std::string> read_back(const std::string& bytes,
                                           Encoding requested = Encoding::Auto) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("tamis-test-encoding-" + std::to_string(std::hash<std::string>{}(bytes)));
  {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
  }
  auto input = tamis::io::open_campaign(path.string(), requested);
  REQUIRE(input.error.empty());
  std::string text((std::istreambuf_iterator<char>(*input.stream)),
                   std::istreambuf_iterator<char>());
  input.stream.reset();
  std::filesystem::remove(path);
  return {input.encoding, text};
}

}  // namespace

TEST_CASE("detect_encoding: UTF-8 with a few invalid bytes stays UTF-8", "[text][encoding]") {
  const std::string header = "ID,État du dossier,Intitulé,Département\n";
  CHECK(tamis::io::detect_encoding(header + "1,Accepté,Café,Somme\n") == Encoding::Utf8);
  // One Latin-1 « é » in one row: that row is damaged, not the file.
  CHECK(tamis::io::detect_encoding(header + "1,Accept\xE9,Caf\xE9,Somme\n") == Encoding::Utf8);
  CHECK(tamis::io::detect_encoding("ID,Titre\n1,abc\n") == Encoding::Utf8);
  CHECK(tamis::io::detect_encoding("") == Encoding::Utf8);
}

TEST_CASE("detect_encoding: a UTF-8 header with accents makes the file UTF-8", "[text][encoding]") {
  // A long paragraph pasted from a Windows-1252 document: far more invalid bytes than
  // valid sequences, but the column names say UTF-8 (only that row is rejected).
  std::string pasted;
  for (int i = 0; i < 60; ++i)
    pasted += "R\xE9union pr\xE9par\xE9\x65, d\xE9lib\xE9ration vot\xE9\x65. ";
  const std::string text =
      "ID,\xC3\x89tat du dossier,Intitul\xC3\xA9\n1,Accept\xC3\xA9,Caf\xC3\xA9\n2,Refus\xC3\xA9," +
      pasted + "\n";
  CHECK(tamis::io::detect_encoding(text) == Encoding::Utf8);
  // Without accents in the header, the body decides as before.
  CHECK(tamis::io::detect_encoding("ID,Titre\n1," + pasted + "\n") == Encoding::Windows1252);
}

TEST_CASE("detect_encoding: Windows-1252 when the high bytes are not UTF-8", "[text][encoding]") {
  CHECK(tamis::io::detect_encoding("ID,\xC9tat\n1,Caf\xE9\n") == Encoding::Windows1252);
  CHECK(tamis::io::detect_encoding("ID,Titre\n1,Caf\xE9\n") == Encoding::Windows1252);
  // « É» » (C9 BB) is a valid UTF-8 sequence by chance; the other accents are not.
  CHECK(tamis::io::detect_encoding("ID,\xC9tat,D\xE9pos\xE9\n1,CAF\xC9\xBB,\xE0 \xE9t\xE9\n") ==
        Encoding::Windows1252);
}

TEST_CASE("detect_encoding: UTF-16 by its BOM or its NUL bytes", "[text][encoding]") {
  const std::u16string text = u"ID,État\r\n1,Café\r\n";
  CHECK(tamis::io::detect_encoding(utf16(text, false, true)) == Encoding::Utf16Le);
  CHECK(tamis::io::detect_encoding(utf16(text, true, true)) == Encoding::Utf16Be);
  CHECK(tamis::io::detect_encoding(utf16(text, false, false)) == Encoding::Utf16Le);
  CHECK(tamis::io::detect_encoding(utf16(text, true, false)) == Encoding::Utf16Be);
  // A few NUL bytes in UTF-8 text are damage, not UTF-16.
  CHECK(tamis::io::detect_encoding(std::string("ID,Titre\n1,Projet\0\0\0 nul\n", 25)) ==
        Encoding::Utf8);
}

TEST_CASE("open_campaign converts UTF-16 and Windows-1252 to UTF-8", "[text][encoding]") {
  const std::u16string text = u"ID,État\r\n1,Œuvre 𝄞 €\r\n";
  const std::string expected = "ID,État\r\n1,Œuvre 𝄞 €\r\n";
  CHECK(read_back(utf16(text, false, true)) == std::pair{Encoding::Utf16Le, expected});
  CHECK(read_back(utf16(text, true, true)) == std::pair{Encoding::Utf16Be, expected});
  CHECK(read_back(utf16(text, false, false)) == std::pair{Encoding::Utf16Le, expected});
  CHECK(read_back("ID,\xC9tat\r\n1,\x8Cuvre \x80\r\n") ==
        std::pair{Encoding::Windows1252, std::string("ID,État\r\n1,Œuvre €\r\n")});
  // A forced encoding is not second-guessed.
  CHECK(read_back("ID,\xC9tat\n", Encoding::Utf8) ==
        std::pair{Encoding::Utf8, std::string("ID,\xC9tat\n")});
}

TEST_CASE("open_campaign: UTF-16 across blocks, with unpaired surrogates and a cut end",
          "[text][encoding]") {
  // 40,000 « 𝄞 » (surrogate pairs) cross the 64 KiB blocks of the converter, one block
  // ending between the two halves of a pair; an unpaired surrogate and a last odd byte become
  // invalid UTF-8 (the row is rejected by the reader), the rest is intact.
  std::u16string text = u"ID\n";
  std::string expected = "ID\n";
  for (int i = 0; i < 40000; ++i) {
    text += u"𝄞";
    expected += "𝄞";
  }
  text += u"\n";
  expected += "\n";
  text += char16_t{0xD800};
  text += u"x\n";
  expected += "\xFFx\n";
  const auto [encoding, got] = read_back(utf16(text, false, true) + "y");
  CHECK(encoding == Encoding::Utf16Le);
  CHECK(got == expected + "\xFF");
}

TEST_CASE("open_campaign: a folder or a missing file is refused with a clear message",
          "[text][encoding]") {
  const auto dir = std::filesystem::temp_directory_path() / "tamis-test-campaign-folder.csv";
  std::filesystem::create_directories(dir);
  const auto folder = tamis::io::open_campaign(dir.string(), Encoding::Auto);
  CHECK(folder.error == "« " + dir.string() +
                            " » est un dossier, pas un fichier : indiquez le fichier CSV de la "
                            "campagne");
  CHECK(folder.stream == nullptr);
  std::filesystem::remove(dir);
  const auto missing = tamis::io::open_campaign(dir.string(), Encoding::Auto);
  CHECK(missing.error == "impossible de lire « " + dir.string() + " » : ce fichier n'existe pas");
}

namespace {

// RFC 3629, one byte at a time: the definition the fast paths must agree with.
std::optional<std::size_t> naive_first_invalid_utf8(std::string_view s) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  for (std::size_t i = 0; i < s.size();) {
    const unsigned b = at(i);
    std::size_t len = 0;
    unsigned lo = 0x80;  // allowed range of the second byte
    unsigned hi = 0xBF;
    if (b < 0x80) {
      len = 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;  // overlong
      if (b == 0xED) hi = 0x9F;  // surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;  // overlong
      if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const unsigned c = at(i + k);
      if (k == 1 ? (c < lo || c > hi) : (c & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("first_invalid_utf8 agrees with the byte-wise definition on French-like text",
          "[text][utf8]") {
  // Pieces that land anywhere relative to 16-byte blocks: ASCII, accents, three- and
  // four-byte characters, and broken sequences.
  const std::vector<std::string> pieces{"a",    "bc",       " ",    "é",        "È",
                                        "ç",    "’",        "€",    "𝄞",        "\xC3",
                                        "\xA9", "\xC0\x80", "\xE9", "\xDF\xBF", "\xED\xA0\x80"};
  std::uint32_t state = 12345;
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const int count = static_cast<int>((state >> 8) % 40);
    for (int k = 0; k < count; ++k) {
      state = state * 1103515245u + 12345u;
      // Broken pieces (index >= 8) are rarer, so that most strings are long and valid.
      const std::size_t pick = (state >> 16) % 64;
      s += pieces[pick < 56 ? pick % 8 : 8 + pick % 7];
    }
    state = state * 1103515245u + 12345u;
    INFO("bytes " << s.size());
    REQUIRE(first_invalid_utf8(s) == naive_first_invalid_utf8(s));
  }
}

TEST_CASE("split_choices splits at , ; | and line feeds, trims, keeps empty pieces",
          "[text][choices]") {
  std::vector<std::string_view> pieces;
  const auto split = [&](std::string_view cell) {
    tamis::text::split_choices(cell, pieces);
    return std::vector<std::string>(pieces.begin(), pieces.end());
  };
  using V = std::vector<std::string>;
  CHECK(split("Vélo, Covoiturage") == V{"Vélo", "Covoiturage"});
  CHECK(split("Vélo;Covoiturage") == V{"Vélo", "Covoiturage"});
  CHECK(split(" Vélo | Covoiturage ") == V{"Vélo", "Covoiturage"});
  CHECK(split("Vélo\r\nCovoiturage") == V{"Vélo", "Covoiturage"});
  CHECK(split("a,,b") == V{"a", "", "b"});
  CHECK(split("") == V{""});
  // Pieces are views into the cell: a run of them is the cell's text between them.
  const std::string_view cell = "a, b; c";
  tamis::text::split_choices(cell, pieces);
  REQUIRE(pieces.size() == 3);
  CHECK(pieces[0].data() == cell.data());
  CHECK(pieces[2].data() + pieces[2].size() == cell.data() + cell.size());
  CHECK(tamis::text::count_choices("Prévention, notamment; ou | puis") == 4);
  CHECK(tamis::text::count_choices("Vélo") == 1);
}

TEST_CASE("days_from_civil: the four-digit years' inline way agrees with the general one",
          "[text][date]") {
  namespace dw = tamis::text::digit_words;
  std::size_t differing = 0;
  for (int year = 1; year <= 9999; ++year) {
    for (unsigned month = 1; month <= 12; ++month) {
      for (unsigned day = 1; day <= dw::days_in_month(year, month); ++day) {
        if (dw::days_from_civil(year, month, day) != dw::days_from_civil_any_year(year, month, day))
          ++differing;
      }
    }
  }
  CHECK(differing == 0);
  CHECK(dw::days_from_civil(0, 12, 31) == -719163);
  CHECK(dw::days_from_civil(10000, 1, 1) == 2932897);
}

TEST_CASE("existing_date: the table of month starts agrees with the calendar", "[text][date]") {
  // Every year the table holds and its neighbours, every month and day a date's two
  // digits can write: found exactly when the date exists, at its days_from_civil.
  namespace dw = tamis::text::digit_words;
  std::size_t differing = 0;
  const int last = dw::kTableFirstYear + static_cast<int>(dw::kTableYears);
  for (int year : {0, 1, 1583, 1899, 1900, 1901, 2000, 2024, 2100, last - 1, last, 9999}) {
    for (unsigned month = 0; month <= 99; ++month) {
      for (unsigned day = 0; day <= 99; ++day) {
        const bool exists =
            month >= 1 && month <= 12 && day >= 1 && day <= dw::days_in_month(year, month);
        std::int32_t days = -1;
        const bool found = dw::existing_date({year, month, day}, days);
        if (found != exists || (exists && days != dw::days_from_civil_any_year(year, month, day)))
          ++differing;
      }
    }
  }
  CHECK(differing == 0);
}

// ByteSink::room: the bytes written there up to the end committed, and only them, kept
// when the sink grows (a result line, its cells and its end: Classifier::classify_into).
TEST_CASE("byte sink: the bytes committed within the room, kept when the sink grows", "[text]") {
  for (std::size_t before = 0; before < 40; ++before) {
    for (std::size_t n = 1; n < 40; ++n) {
      tamis::ByteSink sink;
      const std::string head(before, 'h');
      sink.append(head);
      char* p = sink.room(n);
      const std::string cells(n - 1, 'c');
      std::copy(cells.begin(), cells.end(), p);
      p[n - 1] = '\n';
      sink.commit(p + n);
      sink.room(1000);  // grows: only the bytes within its size are copied
      CHECK(sink.view() == head + cells + "\n");
    }
  }
}
