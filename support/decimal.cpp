#include "support/decimal.hpp"

#include <limits>

namespace tamis::decimal {

namespace {

__extension__ typedef __int128 Wide;

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

std::optional<std::int64_t> narrow(Wide w) {
  if (w > kMax || w < kMin) return std::nullopt;
  return static_cast<std::int64_t>(w);
}

// The operand in millionths; exact, as a Wide holds any int64 × 10^6.
Wide scaled(Number n) {
  return n.integer ? static_cast<Wide>(n.raw) * kScale : static_cast<Wide>(n.raw);
}

Wide magnitude(Wide w) {
  return w < 0 ? -w : w;
}

// num / den rounded to the nearest integer, ties to the even one; den ≠ 0.
Wide divide_half_even(Wide num, Wide den) {
  Wide q = num / den;  // toward zero
  const Wide r = num % den;
  if (r == 0) return q;
  const Wide twice = magnitude(r) * 2;
  const Wide d = magnitude(den);
  const bool away = twice > d || (twice == d && q % 2 != 0);
  if (away) q += (num < 0) == (den < 0) ? 1 : -1;
  return q;
}

}  // namespace

std::optional<std::int64_t> from_integer(std::int64_t i) {
  return narrow(static_cast<Wide>(i) * kScale);
}

std::int64_t from_integer_clamped(std::int64_t i) {
  const Wide w = static_cast<Wide>(i) * kScale;
  if (w > kMax) return kMax;
  if (w < kMin) return kMin;
  return static_cast<std::int64_t>(w);
}

std::optional<std::int64_t> add(Number a, Number b) {
  return narrow(scaled(a) + scaled(b));
}

std::optional<std::int64_t> sub(Number a, Number b) {
  return narrow(scaled(a) - scaled(b));
}

std::optional<std::int64_t> mul(Number a, Number b) {
  // An integer operand is not scaled, so the product of the raw values is already in
  // millionths; both |raw| < 2^63, so the product fits a Wide.
  if (a.integer && b.integer) {
    const auto product = narrow(static_cast<Wide>(a.raw) * b.raw);
    return product ? from_integer(*product) : std::nullopt;
  }
  if (a.integer || b.integer) return narrow(static_cast<Wide>(a.raw) * b.raw);
  return narrow(divide_half_even(static_cast<Wide>(a.raw) * b.raw, kScale));
}

std::optional<std::int64_t> div(Number a, Number b) {
  // |scaled(a)| < 2^63 × 10^6, times 10^6 stays below 2^103.
  return narrow(divide_half_even(scaled(a) * kScale, scaled(b)));
}

int compare(Number a, Number b) {
  if (a.integer == b.integer) return (a.raw > b.raw) - (a.raw < b.raw);
  const Wide x = scaled(a);
  const Wide y = scaled(b);
  return (x > y) - (x < y);
}

std::optional<std::int64_t> parse(std::string_view s, Excess excess) {
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  Wide whole = 0;
  std::size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    whole = whole * 10 + (s[i] - '0');
    if (whole > static_cast<Wide>(kMax)) return std::nullopt;
  }
  if (i == 0) return std::nullopt;
  Wide fraction = 0;
  int digits = 0;
  bool round_up = false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const std::size_t first = i;
    int beyond = 0;     // the first digit past the sixth
    bool rest = false;  // a non-zero digit after that one
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      const int digit = s[i] - '0';
      if (digits < kDigits) {
        fraction = fraction * 10 + digit;
        ++digits;
      } else if (i - first == kDigits) {
        beyond = digit;
      } else if (digit != 0) {
        rest = true;
      }
    }
    if (i == first) return std::nullopt;
    if (i - first > kDigits) {
      if (excess == Excess::Reject) return std::nullopt;
      round_up = beyond > 5 || (beyond == 5 && (rest || fraction % 2 != 0));
    }
  }
  if (i != s.size()) return std::nullopt;
  for (; digits < kDigits; ++digits) fraction *= 10;
  Wide value = whole * kScale + fraction + (round_up ? 1 : 0);
  if (negative) value = -value;
  return narrow(value);
}

void append(std::string& out, std::int64_t d) {
  // Through the unsigned magnitude: -INT64_MIN does not exist.
  const std::uint64_t m = d < 0 ? 0 - static_cast<std::uint64_t>(d) : static_cast<std::uint64_t>(d);
  if (d < 0) out += '-';
  out += std::to_string(m / kScale);
  std::uint64_t fraction = m % kScale;
  if (fraction == 0) return;
  char digits[kDigits];
  for (int k = kDigits - 1; k >= 0; --k) {
    digits[k] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  int n = kDigits;
  while (digits[n - 1] == '0') --n;
  out += '.';
  out.append(digits, static_cast<std::size_t>(n));
}

std::string format(std::int64_t d) {
  std::string out;
  append(out, d);
  return out;
}

double to_double(std::int64_t d) {
  return static_cast<double>(d) / kScale;
}

}  // namespace tamis::decimal
