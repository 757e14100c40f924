#pragma once
// Digits and dates read a machine word at a time, inline: the shapes exports write on
// every row (eight-digit identifiers, YYYY-MM-DD dates) are read by these in a few
// dozen instructions, without a call; text::parse_integer and text::parse_date go
// another way for anything else.
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

// The number of 8 ASCII digits (checked by digits_in_word), first digit in the lowest byte.
constexpr std::uint32_t eight_digits_value(std::uint64_t w) {
  std::uint64_t v = w - each_byte(0x30);  // each byte its digit
  v = v * 10 + (v >> 8);                  // bytes 0, 2, 4, 6: two digits each
  v = ((v & 0x000000FF000000FFu) * (100 + (1000000ull << 32)) +
       ((v >> 16) & 0x000000FF000000FFu) * (1 + (10000ull << 32))) >>
      32;
  return static_cast<std::uint32_t>(v);
}

constexpr bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr unsigned days_in_month(int y, unsigned m) {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 for a civil date (proleptic Gregorian): Hinnant's
// days_from_civil (http://howardhinnant.github.io/date_algorithms.html).
constexpr std::int32_t days_from_civil(int year, unsigned month, unsigned day) {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int32_t>(era * 146097 + static_cast<std::int64_t>(doe) - 719468);
}

}  // namespace tamis::text::digit_words
