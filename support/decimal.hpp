#pragma once
// Decimals of the rule language (`décimal`, `montant`): fixed point, a signed 64-bit
// count of millionths. Binary floating point gave 0.1 + 0.2 = 0.30000000000000004 on
// amounts and rates that policy staff check on paper; a fixed point is exact for the
// sums, differences and comparisons rules make, and rounds products and quotients once,
// to the millionth, half to even. The range, ±9 223 372 036 854.775807, is far above any
// project cost in euros or any emission in tonnes; leaving it is an evaluation error,
// never a wrapped or clamped value. An int64 takes the place the double had in
// graph::Value, so values keep their size.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tamis::decimal {

inline constexpr int kDigits = 6;                  // digits after the point
inline constexpr std::int64_t kScale = 1'000'000;  // 10^kDigits

// An operand of a calculation: an integer, or a decimal in millionths.
struct Number {
  std::int64_t raw = 0;
  bool integer = false;
};

// The integer i as a decimal; nullopt beyond the decimal range (|i| > 9 223 372 036 854).
std::optional<std::int64_t> from_integer(std::int64_t i);
// Same, clamped to the range ends: only for reasoning about order (analysis), where a
// huge integer stays above or below every decimal.
std::int64_t from_integer_clamped(std::int64_t i);

// a + b, a − b, a × b, a ÷ b as decimals; nullopt when the result leaves the range.
// × and ÷ round to the millionth, half to even. div requires b ≠ 0 (the caller reports
// « division par zéro »).
std::optional<std::int64_t> add(Number a, Number b);
std::optional<std::int64_t> sub(Number a, Number b);
std::optional<std::int64_t> mul(Number a, Number b);
std::optional<std::int64_t> div(Number a, Number b);
// -1, 0 or 1 as a is below, equal to or above b, exactly.
int compare(Number a, Number b);

// The order of the integer i and the decimal d (millionths), exactly, without
// converting i (which may lie outside the decimal range).
inline int compare_integer(std::int64_t i, std::int64_t d) {
  std::int64_t whole = d / kScale;  // rounded toward zero: floor it
  const std::int64_t rest = d % kScale;
  if (rest < 0) --whole;
  if (i != whole) return i < whole ? -1 : 1;
  return rest != 0 ? -1 : 0;
}

// How parse treats digits beyond the sixth after the point.
enum class Excess { Reject, RoundHalfEven };

// Parses "[-]digits[.digits]" (nothing else: no spaces, no comma, no exponent).
// nullopt when malformed, beyond the range, or with more than 6 decimals under
// Excess::Reject.
std::optional<std::int64_t> parse(std::string_view s, Excess excess);

// The decimal as written on paper: "-1234.5", "0.3", "12" (point, no trailing zeros,
// no exponent, no grouping).
void append(std::string& out, std::int64_t d);
std::string format(std::int64_t d);
// As a double, for figures in reports and charts (not for calculations).
double to_double(std::int64_t d);

}  // namespace tamis::decimal
