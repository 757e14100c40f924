#pragma once
// Text utilities shared by the compiler and the runtime: UTF-8 checks, label
// normalisation for accent/case-insensitive matching, parsing of the value
// formats found in campaign exports, and "did you mean" suggestions.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/bytes.hpp"
#include "support/digit_words.hpp"

namespace tamis::text {

// Length of the well-formed UTF-8 sequence starting at s[i] (1 for ASCII), or 0 when it
// is ill-formed: overlong forms, surrogates and values above U+10FFFF are (RFC 3629, and
// what nlohmann's decoder accepts). Inline: JSON output calls it for every non-ASCII
// character.
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  const std::size_t left = s.size() - i;
  const auto cont = [&](std::size_t k) { return k < s.size() && (byte(k) & 0xC0u) == 0x80u; };
  if (b0 < 0x80u) return 1;
  if (b0 >= 0xC2u && b0 <= 0xDFu) return left >= 2 && cont(i + 1) ? 2 : 0;
  if (b0 >= 0xE0u && b0 <= 0xEFu) {
    if (left < 3 || !cont(i + 1) || !cont(i + 2)) return 0;
    const unsigned char b1 = byte(i + 1);
    if (b0 == 0xE0u && b1 < 0xA0u) return 0;   // overlong
    if (b0 == 0xEDu && b1 >= 0xA0u) return 0;  // UTF-16 surrogates
    return 3;
  }
  if (b0 >= 0xF0u && b0 <= 0xF4u) {
    if (left < 4 || !cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    const unsigned char b1 = byte(i + 1);
    if (b0 == 0xF0u && b1 < 0x90u) return 0;   // overlong
    if (b0 == 0xF4u && b1 >= 0x90u) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// Byte offset of the first invalid UTF-8 sequence, or nullopt when `s` is valid UTF-8.
std::optional<std::size_t> first_invalid_utf8(std::string_view s);

// `s` with each byte that is not part of a well-formed UTF-8 sequence replaced by
// U+FFFD (�): for outside text written where UTF-8 is required (JSON documents), such
// as a file name or the identifier of a row rejected for its bytes.
std::string valid_utf8(std::string_view s);

// Number of Unicode code points in valid UTF-8 `s` (used for 1-based columns).
std::size_t count_code_points(std::string_view s);
// The first code point of `s` (0 when empty; a byte that starts no valid sequence gives a
// value outside Unicode).
char32_t first_code_point(std::string_view s);

// Removes leading/trailing ASCII whitespace and U+00A0 / U+202F (no-break spaces).
std::string_view trim_edges(std::string_view s);  // trim's work, out of line
namespace detail {
// The bytes a trimmed text cannot start or end with: ASCII spaces and controls (up to
// 0x20), and the first and last bytes of U+00A0 (C2 A0) and U+202F (E2 80 AF). A table,
// not five comparisons: trim runs on every cell of every row.
inline constexpr auto kTrimEdge = [] {
  std::array<std::uint8_t, 256> edge{};  // bytes, not bools: or-ed without a branch
  for (unsigned u = 0; u <= 0x20u; ++u) edge[u] = 1;
  for (const unsigned u : {0xC2u, 0xE2u, 0xA0u, 0xAFu}) edge[u] = 1;
  return edge;
}();
}  // namespace detail
inline std::string_view trim(std::string_view s) {
  // Most cells start and end with a letter or digit: nothing to look at then.
  if (s.empty() || (detail::kTrimEdge[static_cast<unsigned char>(s.front())] |
                    detail::kTrimEdge[static_cast<unsigned char>(s.back())]) == 0) {
    return s;
  }
  return trim_edges(s);
}

// Appends `s` on one line: runs of spaces, tabs and line breaks become one space,
// none at either end (source text of conditions that span lines).
void append_one_line(std::string& out, std::string_view s);
std::string one_line(std::string_view s);

// `s` escaped for HTML text and double-quoted attributes (& < > "); with
// `apostrophe`, ' too (for single-quoted attributes).
std::string escape_html(std::string_view s, bool apostrophe = false);

// Key used to compare labels written by people: Unicode case folding, accents
// removed (NFD, combining marks dropped), typographic apostrophes (’ ‘ ʼ) turned
// into ', runs of whitespace collapsed to one space, surrounding space trimmed.
// "  Électricité  RENOUVELABLE " and "electricite renouvelable" give the same key.
std::string normalize_label(std::string_view s);

namespace detail {
// normalize_label's two ways for valid UTF-8, exposed for the test that checks they
// agree: without ICU, for the code points French labels use (nullopt when `s` holds
// another), and through ICU.
std::optional<std::string> normalize_label_common(std::string_view s);
std::string normalize_label_icu(std::string_view s);
}  // namespace detail

// The choices of a multiple-choice cell: split at every ',', ';', '|' and line feed
// (exports join choices with ", "; a spreadsheet or a person also writes "; ", " | ",
// "," or one choice a line), each trimmed, empty ones kept. A label that itself holds
// one of these characters is found again as a run of adjacent pieces: the text from
// the first piece's start to the last one's end, as written.
void split_choices(std::string_view cell, std::vector<std::string_view>& pieces);
// How many pieces split_choices makes of `label`: the longest run a label needs.
std::size_t count_choices(std::string_view label);
// The pieces [i, j) of `cell` (split_choices) as written, separators included.
std::string_view choice_run(std::string_view cell, const std::vector<std::string_view>& pieces,
                            std::size_t i, std::size_t j);

// Days since 1970-01-01 for a civil date (proleptic Gregorian).
inline std::int32_t days_from_civil(int year, unsigned month, unsigned day) {
  return digit_words::days_from_civil(year, month, day);
}
// "YYYY-MM-DD" for a day number.
std::string format_date(std::int32_t days);

namespace detail {
// parse_date's and parse_integer's every form, out of line.
std::optional<std::int32_t> parse_date_general(std::string_view s);
std::optional<std::int64_t> parse_integer_general(std::string_view s);
}  // namespace detail

// A date written YYYY-MM-DD or DD/MM/YYYY alone, as exports write dates, read without a
// call: a word of its first eight bytes and one of its last eight. nullopt for anything
// else (surrounding spaces included): parse_date reads those. Always inline: the
// decoder's loop, once it grew, called it (91 instructions a dossier more, measured).
[[gnu::always_inline]] inline std::optional<std::int32_t> parse_exported_date(std::string_view s) {
  using namespace digit_words;
  if (s.size() != 10) return std::nullopt;
  const auto head = load_word<std::uint64_t>(s.data());      // YYYY-MM- or DD/MM/YY
  const auto tail = load_word<std::uint64_t>(s.data() + 2);  // YY-MM-DD or /MM/YYYY
  DateFields date{};
  if (s[4] == '-' && s[7] == '-') {
    if (!iso_date_fields(head, tail, date)) return std::nullopt;
  } else if (s[2] == '/' && s[5] == '/') {
    // Some exports (and spreadsheets) write the day first: about 5 % of the bench's
    // dates, which the general way read for 8 instructions a dossier more (measured).
    if (!digits_in_word(head, 0xFFFF00FFFF00FFFFu) || !digits_in_word(tail, 0xFFFF000000000000u))
      return std::nullopt;
    date = day_first_date_fields(head, tail);
  } else {
    return std::nullopt;
  }
  std::int32_t days = 0;
  if (!existing_date(date, days)) return std::nullopt;
  return days;
}

// Parses "YYYY-MM-DD" or "DD/MM/YYYY" (surrounding spaces allowed), checking the
// calendar (no 2025-02-30). Returns days since epoch.
inline std::optional<std::int32_t> parse_date(std::string_view s) {
  if (const auto days = parse_exported_date(s)) return days;
  return detail::parse_date_general(s);
}

// A whole number written as eight digits alone, as identifiers are written, read as one
// word without a call. nullopt for anything else: parse_integer reads the other forms.
inline std::optional<std::int64_t> parse_exported_integer(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  std::uint32_t value = 0;
  if (!digit_words::eight_digits(load_word<std::uint64_t>(s.data()), value)) return std::nullopt;
  return std::int64_t{value};
}

// Parses an integer: optional sign, digits; spaces (incl. no-break) between digit groups allowed.
inline std::optional<std::int64_t> parse_integer(std::string_view s) {
  if (const auto value = parse_exported_integer(s)) return value;
  return detail::parse_integer_general(s);
}

// Parses a decimal written the English way ("1234.56") or the French way
// ("1 234,56", "1234,56 €", "1 234 €"). Rejects anything ambiguous such as
// "1,234.56" or "1.234,56" rather than guessing. Returns millionths (support/decimal.hpp):
// digits past the sixth after the separator are rounded half to even (a spreadsheet's
// 1234.5600000000002 reads 1234.56); a value beyond the decimal range is rejected.
std::optional<std::int64_t> parse_decimal(std::string_view s);

// Levenshtein distance between the normalised forms (see normalize_label) of a and b,
// counted in code points.
std::size_t label_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a plausible typo
// (distance <= max(1, len/3)), ties broken by candidate order; nullopt otherwise.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

}  // namespace tamis::text
