// Fixed-point decimals (support/decimal.hpp): exact parse, format, arithmetic,
// rounding to the millionth, overflow.
#include "support/decimal.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace dec = tamis::decimal;

namespace {

dec::Number d(const char* text) {
  const auto v = dec::parse(text, dec::Excess::Reject);
  REQUIRE(v);
  return {*v, false};
}

dec::Number i(std::int64_t v) {
  return {v, true};
}

std::string text(std::optional<std::int64_t> v) {
  return v ? dec::format(*v) : "overflow";
}

}  // namespace

TEST_CASE("decimal: parse is exact and format writes what was read", "[decimal]") {
  for (const char* s : {"0", "0.3", "1234.5", "-1234.5", "0.000001", "-0.000001", "12", "10000000",
                        "9223372036854.775807", "-9223372036854.775808"}) {
    INFO(s);
    const auto v = dec::parse(s, dec::Excess::Reject);
    REQUIRE(v);
    CHECK(dec::format(*v) == s);
  }
  CHECK(dec::parse("0.10", dec::Excess::Reject) == 100'000);
  CHECK(dec::format(dec::parse("-0.0", dec::Excess::Reject).value()) == "0");
  CHECK(dec::format(dec::parse("1.500000", dec::Excess::Reject).value()) == "1.5");
}

TEST_CASE("decimal: parse refuses malformed text, excess digits and the out of range",
          "[decimal]") {
  for (const char* s : {"", "-", ".5", "5.", "1e5", "1,5", " 1", "1 ", "+1", "--1", "1.2.3"}) {
    INFO(s);
    CHECK_FALSE(dec::parse(s, dec::Excess::Reject));
    CHECK_FALSE(dec::parse(s, dec::Excess::RoundHalfEven));
  }
  CHECK_FALSE(dec::parse("0.0000001", dec::Excess::Reject));
  CHECK_FALSE(dec::parse("9223372036854.775808", dec::Excess::Reject));
  CHECK_FALSE(dec::parse("99999999999999999999999", dec::Excess::Reject));
}

TEST_CASE("decimal: parse rounds excess digits half to even", "[decimal]") {
  const auto round = [](const char* s) { return text(dec::parse(s, dec::Excess::RoundHalfEven)); };
  CHECK(round("0.0000004") == "0");
  CHECK(round("0.0000005") == "0");             // tie, 0 is even
  CHECK(round("0.0000015") == "0.000002");      // tie, 2 is even
  CHECK(round("0.00000050001") == "0.000001");  // above the tie
  CHECK(round("0.0000006") == "0.000001");
  CHECK(round("-0.0000015") == "-0.000002");
  CHECK(round("0.9999995") == "1");
  CHECK(round("9223372036854.7758075") == "overflow");  // rounds out of the range
}

TEST_CASE("decimal: sums and differences are exact", "[decimal]") {
  CHECK(text(dec::add(d("0.1"), d("0.2"))) == "0.3");
  CHECK(dec::compare({*dec::add(d("0.1"), d("0.2")), false}, d("0.3")) == 0);
  CHECK(text(dec::sub(d("1234.56"), d("0.06"))) == "1234.5");
  CHECK(text(dec::add(i(2), d("2.5"))) == "4.5");
  CHECK(text(dec::sub(d("0.3"), i(1))) == "-0.7");
  CHECK(text(dec::add(d("9223372036854.775807"), d("0.000001"))) == "overflow");
  CHECK(text(dec::sub(d("-9223372036854.775808"), d("0.000001"))) == "overflow");
  CHECK(text(dec::add(i(INT64_MAX), d("-1"))) == "overflow");
}

TEST_CASE("decimal: products and quotients round to the millionth, half to even", "[decimal]") {
  CHECK(text(dec::mul(d("1234.5"), d("0.2"))) == "246.9");
  CHECK(text(dec::mul(d("0.001"), d("0.0005"))) == "0");         // 0.0000005: tie to even
  CHECK(text(dec::mul(d("0.003"), d("0.0005"))) == "0.000002");  // 0.0000015: tie to even
  CHECK(text(dec::mul(d("-0.003"), d("0.0005"))) == "-0.000002");
  CHECK(text(dec::mul(i(3), d("0.1"))) == "0.3");
  CHECK(text(dec::mul(d("0.1"), i(3))) == "0.3");
  CHECK(text(dec::mul(i(3), i(4))) == "12");
  CHECK(text(dec::div(d("1"), d("3"))) == "0.333333");
  CHECK(text(dec::div(d("2"), d("3"))) == "0.666667");
  CHECK(text(dec::div(i(7), i(2))) == "3.5");
  CHECK(text(dec::div(d("-1"), i(8))) == "-0.125");
  CHECK(text(dec::div(d("0.000001"), i(2))) == "0");         // 0.0000005: tie to even
  CHECK(text(dec::div(d("0.000003"), i(2))) == "0.000002");  // 0.0000015: tie to even
  CHECK(text(dec::div(d("0.000003"), i(-2))) == "-0.000002");
  // An integer beyond the decimal range still divides exactly into one inside it.
  CHECK(text(dec::div(i(INT64_MAX), i(1'000'000))) == "9223372036854.775807");
  CHECK(text(dec::mul(d("10000000"), d("10000000"))) == "overflow");
  CHECK(text(dec::mul(i(INT64_MAX), i(INT64_MAX))) == "overflow");
  CHECK(text(dec::div(d("1000000000000"), d("0.01"))) == "overflow");
}

TEST_CASE("decimal: integers convert exactly, within the range", "[decimal]") {
  CHECK(dec::from_integer(12) == 12'000'000);
  CHECK(dec::from_integer(-9'223'372'036'854) == -9'223'372'036'854'000'000);
  CHECK_FALSE(dec::from_integer(9'223'372'036'855));
  CHECK(dec::from_integer_clamped(INT64_MAX) == INT64_MAX);
  CHECK(dec::from_integer_clamped(INT64_MIN) == INT64_MIN);
}

TEST_CASE("decimal: comparisons are exact, integers against decimals too", "[decimal]") {
  CHECK(dec::compare(d("0.3"), d("0.30")) == 0);
  CHECK(dec::compare(d("0.3"), d("0.300001")) == -1);
  CHECK(dec::compare(i(2), d("2")) == 0);
  CHECK(dec::compare(i(2), d("2.000001")) == -1);
  CHECK(dec::compare(i(INT64_MAX), d("9223372036854.775807")) == 1);
  CHECK(dec::compare_integer(2, d("2").raw) == 0);
  CHECK(dec::compare_integer(2, d("1.999999").raw) == 1);
  CHECK(dec::compare_integer(-2, d("-1.5").raw) == -1);
  CHECK(dec::compare_integer(-1, d("-1.5").raw) == 1);
  CHECK(dec::compare_integer(INT64_MIN, d("-9223372036854.775808").raw) == -1);
  CHECK(dec::compare_integer(INT64_MAX, 0) == 1);
}
