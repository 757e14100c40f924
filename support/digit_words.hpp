#pragma once
// Digits and dates read a machine word at a time, inline: the shapes exports write on
// every row (eight-digit identifiers, YYYY-MM-DD dates) are read by these in a few
// dozen instructions, without a call; text::parse_integer and text::parse_date go
// another way for anything else.
#include <array>
#include <cstdint>

namespace tamis::text::digit_words {

// Eight bytes as a machine word, by SWAR ("SIMD within a register").
constexpr std::uint64_t each_byte(std::uint8_t b) {
  return std::uint64_t{b} * 0x0101010101010101u;
}

// Whether the bytes `mask` selects (0xFF each) of `w` are ASCII digits.
constexpr bool digits_in_word(std::uint64_t w, std::uint64_t mask) {
  // High nibble 3, and low nibble below 10 (adding 6 to it does not reach 0x10; the
  // nibbles are added alone, so no carry crosses into the next byte).
  return ((w & each_byte(0xF0)) & mask) == (each_byte(0x30) & mask) &&
         ((((w & each_byte(0x0F)) + each_byte(0x06)) & each_byte(0xF0)) & mask) == 0;
}

// The number of 8 digit values, one a byte (0 to 9), first digit in the lowest byte.
constexpr std::uint32_t eight_values_number(std::uint64_t v) {
  v = v * 10 + (v >> 8);  // bytes 0, 2, 4, 6: two digits each
  // Then pairs into fours (16-bit lanes 0 and 2) and fours into the number: a mask, a
  // multiplication and a shift each, where both pairs' masks and the two products summed
  // took two instructions more (2,072.1 -> 2,070.1 instructions per dossier, measured).
  v = ((v & 0x00FF00FF00FF00FFu) * (1 + (100u << 16))) >> 16;
  v = ((v & 0x0000FFFF0000FFFFu) * (1 + (10000ull << 32))) >> 32;
  return static_cast<std::uint32_t>(v);
}

// Whether a byte of `v`, each byte an ASCII character less the one it should be ('0' for
// a digit), is no digit's value: one below borrows and gets its high bit, one above 9 gets
// it once 0x76 is added (a byte without it is at most 0x7F: no carry). A borrow into the
// next byte only happens from a byte that is no digit, so it changes no answer.
constexpr bool any_not_digit(std::uint64_t v) {
  return (((v + each_byte(0x76)) | v) & each_byte(0x80)) != 0;
}

// Whether the 8 bytes of `w` are ASCII digits, and if so their number in `value`, with
// any_not_digit's test: fewer instructions than digits_in_word's and the digits' values
// apart (2,999 -> 2,994 instructions a dossier, measured).
constexpr bool eight_digits(std::uint64_t w, std::uint32_t& value) {
  const std::uint64_t v = w - each_byte(0x30);  // each byte its digit
  if (any_not_digit(v)) return false;
  value = eight_values_number(v);
  return true;
}

// A date's year, month and day.
struct DateFields {
  int year;
  unsigned month;
  unsigned day;
};

// The date YYYY-MM-DD whose dashes (bytes 4 and 7) were checked, from its first eight bytes
// (`head`, YYYY-MM-) and its last eight (`tail`, YY-MM-DD): false when another byte is no
// digit. Each byte less the '0' or '-' it should be (a dash gives 0), tested by
// any_not_digit, then the digits' pairs made in one word as eight_values_number does, not
// digit by digit: 8 instructions a date fewer than digits_in_word's tests and the pairs
// made from masked digits (3,011 -> 2,999 instructions a dossier, measured: decode 652.5
// -> 640.5).
constexpr bool iso_date_fields(std::uint64_t head, std::uint64_t tail, DateFields& date) {
  const std::uint64_t v = head - 0x2D30302D30303030u;              // YYYY-MM- less 0000-00-
  const unsigned d = static_cast<unsigned>(tail >> 48) - 0x3030u;  // DD less 00
  if (any_not_digit(v) || any_not_digit(d)) return false;
  const std::uint64_t pairs = v * 10 + (v >> 8);  // bytes 0, 2 and 5: Y1Y2, Y3Y4, M1M2
  date = {static_cast<int>((pairs & 0xFF) * 100 + ((pairs >> 16) & 0xFF)),
          static_cast<unsigned>(pairs >> 40) & 0xFFu, (d & 0xFFu) * 10 + (d >> 8)};
  return true;
}

// The same of a date DD/MM/YYYY, from `head` (DD/MM/YY) and `tail` (/MM/YYYY): bytes 0,
// 3 and 6 of the pairs' word are DD, MM and Y1Y2.
constexpr DateFields day_first_date_fields(std::uint64_t head, std::uint64_t tail) {
  std::uint64_t v = head & 0x0F0F000F0F000F0Fu;
  v = v * 10 + (v >> 8);
  const unsigned y = static_cast<unsigned>(tail >> 48) & 0x0F0Fu;  // Y3, Y4
  return {static_cast<int>(((v >> 48) & 0xFF) * 100 + (y & 0xFFu) * 10 + (y >> 8)),
          static_cast<unsigned>(v >> 24) & 0xFFu, static_cast<unsigned>(v) & 0xFFu};
}

constexpr bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Tables at namespace scope: a table local to a function was built on the stack at
// every call (six instructions a date).
inline constexpr unsigned kDaysInMonth[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
// Days from March 1st to the first of each month (January and February end the year
// days_from_civil counts from March): (153 * m + 2) / 5 with m counted from March.
inline constexpr unsigned kDaysFromMarch[12] = {306, 337, 0,   31,  61,  92,
                                                122, 153, 184, 214, 245, 275};

constexpr unsigned days_in_month(int y, unsigned m) {
  return m == 2 && is_leap(y) ? 29 : kDaysInMonth[m - 1];
}

// Days since 1970-01-01 for a civil date (proleptic Gregorian): Hinnant's
// days_from_civil (http://howardhinnant.github.io/date_algorithms.html), for any year.
[[gnu::noinline]] constexpr std::int32_t days_from_civil_any_year(int year, unsigned month,
                                                                  unsigned day) {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int32_t>(era * 146097 + static_cast<std::int64_t>(doe) - 719468);
}

// The same, the years four digits write (but 0000) inline, in unsigned numbers, with the
// divisions written as the multiplications a compiler makes of them: GCC judged the
// decoder's date path cold and kept two divide instructions there, about 40 of a date's
// 80 instructions (measured). x * 5243 >> 21 is x / 400 for x below 43,999, and
// x * 5243 >> 19 is x / 100 for x below 400 (test_text checks every day of these years).
// Always inline: the decoder's loop, once it grew, called it (24 instructions a dossier).
[[gnu::always_inline]] constexpr std::int32_t days_from_civil(int year, unsigned month,
                                                              unsigned day) {
  if (year < 1 || year > 9999) return days_from_civil_any_year(year, month, day);
  const unsigned y = static_cast<unsigned>(year) - (month <= 2 ? 1U : 0U);
  const unsigned era = (y * 5243U) >> 21;
  const unsigned yoe = y - era * 400;
  const unsigned doe =
      yoe * 365 + (yoe >> 2) - ((yoe * 5243U) >> 19) + kDaysFromMarch[month - 1] + day - 1;
  return static_cast<std::int32_t>(era * 146097 + doe) - 719468;
}

// Days since 1970-01-01 of the first of each month of the years kTableFirstYear to
// kTableFirstYear + kTableYears - 1, then of the month after the last: a date of those
// years is its month's start plus its day, the month's length the next start less its
// own, two loads where days_in_month and days_from_civil took about 20 instructions
// (decode 699 -> 683 instructions a dossier, measured). 12 KB.
inline constexpr int kTableFirstYear = 1900;
inline constexpr unsigned kTableYears = 256;
inline constexpr auto kMonthStarts = [] {
  std::array<std::int32_t, kTableYears * 12 + 1> starts{};
  for (unsigned i = 0; i < starts.size(); ++i)
    starts[i] = days_from_civil(kTableFirstYear + static_cast<int>(i / 12), i % 12 + 1, 1);
  return starts;
}();

// Whether the date exists, and if so its days since 1970-01-01 in `days`.
[[gnu::always_inline]] constexpr bool existing_date(const DateFields& date, std::int32_t& days) {
  const auto year = static_cast<unsigned>(date.year - kTableFirstYear);  // wraps below
  const unsigned month = date.month - 1;                                 // wraps for 0
  if (year < kTableYears && month < 12) {
    const unsigned at = year * 12 + month;
    const std::int32_t start = kMonthStarts[at];
    if (date.day - 1 >= static_cast<unsigned>(kMonthStarts[at + 1] - start)) return false;
    days = start + static_cast<std::int32_t>(date.day) - 1;
    return true;
  }
  if (date.month < 1 || date.month > 12 || date.day < 1 ||
      date.day > days_in_month(date.year, date.month))
    return false;
  days = days_from_civil(date.year, date.month, date.day);
  return true;
}

}  // namespace tamis::text::digit_words
