#include "support/text.hpp"

#include "support/decimal.hpp"

#include "support/bytes.hpp"
#include "support/scan.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <locale>
#include <system_error>

#include <boost/locale/conversion.hpp>
#include <boost/locale/generator.hpp>
#include <boost/locale/localization_backend.hpp>

namespace tamis::text {
namespace {

// ---------------------------------------------------------------------------
// UTF-8 decoding helpers

constexpr char32_t kInvalidUnit = 0xFFFFFFFFu;

// Decodes the code point at s[i] and advances i. Invalid bytes decode to a value
// outside the Unicode range (one per byte) so that distances stay meaningful.
char32_t decode_at(std::string_view s, std::size_t& i) {
  const std::size_t n = utf8_sequence_length(s, i);
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (n == 0) {
    ++i;
    return kInvalidUnit - b0;
  }
  char32_t cp = 0;
  switch (n) {
    case 1:
      cp = b0;
      break;
    case 2:
      cp = b0 & 0x1Fu;
      break;
    case 3:
      cp = b0 & 0x0Fu;
      break;
    default:
      cp = b0 & 0x07u;
      break;
  }
  for (std::size_t k = 1; k < n; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
  }
  i += n;
  return cp;
}

// Writes code point `cp` as UTF-8 at `at`, which has room for it; returns its end.
char* put_utf8(char* at, char32_t cp) {
  if (cp < 0x80u) {
    *at++ = static_cast<char>(cp);
  } else if (cp < 0x800u) {
    *at++ = static_cast<char>(0xC0u | (cp >> 6));
    *at++ = static_cast<char>(0x80u | (cp & 0x3Fu));
  } else if (cp < 0x10000u) {
    *at++ = static_cast<char>(0xE0u | (cp >> 12));
    *at++ = static_cast<char>(0x80u | ((cp >> 6) & 0x3Fu));
    *at++ = static_cast<char>(0x80u | (cp & 0x3Fu));
  } else {
    *at++ = static_cast<char>(0xF0u | (cp >> 18));
    *at++ = static_cast<char>(0x80u | ((cp >> 12) & 0x3Fu));
    *at++ = static_cast<char>(0x80u | ((cp >> 6) & 0x3Fu));
    *at++ = static_cast<char>(0x80u | (cp & 0x3Fu));
  }
  return at;
}

std::u32string to_code_points(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) out.push_back(decode_at(s, i));
  return out;
}

constexpr bool is_ascii_space(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\v' || c == U'\f' || c == U'\r';
}

// Whitespace collapsed by normalize_label: ASCII whitespace plus the Unicode
// space separators found in pasted text (no-break, thin, ideographic...).
constexpr bool is_label_space(char32_t c) {
  return is_ascii_space(c) || c == 0x00A0u || c == 0x1680u || (c >= 0x2000u && c <= 0x200Au) ||
         c == 0x2028u || c == 0x2029u || c == 0x202Fu || c == 0x205Fu || c == 0x3000u;
}

// Combining marks left by NFD that carry accents (the Unicode "Combining ..." blocks).
constexpr bool is_combining_mark(char32_t c) {
  return (c >= 0x0300u && c <= 0x036Fu) || (c >= 0x1AB0u && c <= 0x1AFFu) ||
         (c >= 0x1DC0u && c <= 0x1DFFu) || (c >= 0x20D0u && c <= 0x20FFu) ||
         (c >= 0xFE20u && c <= 0xFE2Fu);
}

constexpr bool is_typographic_apostrophe(char32_t c) {
  return c == 0x2019u || c == 0x2018u || c == 0x02BCu;  // ’ ‘ ʼ
}

// The locale used for case folding and normalisation. The ICU backend is chosen
// explicitly: it carries its own Unicode data (libicu72), so the locale does not
// need to be installed on the system (`locale -a` may list only C and C.utf8),
// unlike the "posix"/"std" backends which would silently fall back to ASCII-only
// rules. Initialisation of a function-local static is thread-safe, and the
// conversion functions only read the (immutable) locale facets afterwards.
const std::locale& label_locale() {
  static const std::locale locale = [] {
    boost::locale::localization_backend_manager manager =
        boost::locale::localization_backend_manager::global();
    manager.select("icu");
    boost::locale::generator generator(manager);
    // Only the case-folding and normalisation facets are used: generating the others
    // (collation, formatting, boundaries…) cost every run a few milliseconds.
    generator.categories(boost::locale::convert_facet);
    return generator("en_US.UTF-8");
  }();
  return locale;
}

// A label's folded text, written into a buffer as long as the text it comes from: folding
// never lengthens a label (a letter's fold is as long as it or shorter, ß gives "ss" for
// two bytes, ’ gives ' for three, marks are dropped, and a run of spaces gives one space
// before the next visible character), so no write tests for room (a label not written as
// its table writes it is normalised when first met: about 10 instructions a dossier).
class LabelWriter {
 public:
  explicit LabelWriter(std::size_t source_size) : out_(source_size, '\0'), at_(out_.data()) {}

  // Appends code point `c` following the label rules: a whitespace run is kept pending
  // until a visible character follows it.
  void put(char32_t c) {
    if (is_label_space(c)) {
      space();
      return;
    }
    if (is_combining_mark(c)) return;
    if (is_typographic_apostrophe(c)) c = U'\'';
    if (c < 0x80u) {
      put_ascii(static_cast<char>(c));
      return;
    }
    put_pending_space();
    at_ = put_utf8(at_, c);
  }
  // A visible byte kept as it is: an ASCII letter already folded, or a byte of invalid UTF-8.
  void put_ascii(char c) {
    put_pending_space();
    *at_++ = c;
  }
  // An ASCII or Unicode space: one space before the next visible character, none at the start.
  void space() { pending_space_ = at_ != out_.data(); }

  std::string take() && {
    out_.resize(static_cast<std::size_t>(at_ - out_.data()));
    return std::move(out_);
  }

 private:
  void put_pending_space() {
    if (pending_space_) {
      *at_++ = ' ';
      pending_space_ = false;
    }
  }

  std::string out_;
  char* at_;
  bool pending_space_ = false;
};

// ---------------------------------------------------------------------------
// Number helpers

constexpr std::string_view kNbsp = "\xC2\xA0";       // U+00A0
constexpr std::string_view kNnbsp = "\xE2\x80\xAF";  // U+202F
constexpr std::string_view kEuro = "\xE2\x82\xAC";   // U+20AC
constexpr std::string_view kMinus = "\xE2\x88\x92";  // U+2212 (typographic minus)

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Length of a group separator (space, U+00A0, U+202F) at the start of s, or 0.
std::size_t group_separator_length(std::string_view s) {
  if (!s.empty() && s[0] == ' ') return 1;
  if (s.starts_with(kNbsp)) return kNbsp.size();
  if (s.starts_with(kNnbsp)) return kNnbsp.size();
  return 0;
}

// Consumes an optional sign ('+', '-', U+2212). Returns true when negative.
bool consume_sign(std::string_view& s) {
  if (s.starts_with('-')) {
    s.remove_prefix(1);
    return true;
  }
  if (s.starts_with(kMinus)) {
    s.remove_prefix(kMinus.size());
    return true;
  }
  if (s.starts_with('+')) s.remove_prefix(1);
  return false;
}

// Consumes the integer part: digits, optionally grouped by thousands with a
// space separator ("1 234 567": first group 1-3 digits, then groups of exactly 3).
// Appends the digits to `out`. Returns false when the text is not such a number.
bool consume_grouped_digits(std::string_view& s, std::string& out) {
  std::size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == 0) return false;
  out.append(s.substr(0, i));
  const std::size_t first_group = i;
  s.remove_prefix(i);
  bool grouped = false;
  for (;;) {
    const std::size_t sep = group_separator_length(s);
    if (sep == 0) break;
    const std::string_view after = s.substr(sep);
    std::size_t n = 0;
    while (n < after.size() && is_digit(after[n])) ++n;
    if (n != 3) return false;
    grouped = true;
    out.append(after.substr(0, 3));
    s = after.substr(3);
  }
  return !grouped || first_group <= 3;
}

// Hinnant's civil_from_days (http://howardhinnant.github.io/date_algorithms.html).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
}

std::size_t levenshtein(const std::u32string& a, const std::u32string& b) {
  if (a.size() < b.size()) return levenshtein(b, a);
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

// ---------------------------------------------------------------------------

std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    i += scan::ascii_prefix(s.data() + i, n - i);  // ASCII fast path, 16 bytes a step
    while (i + 16 <= n && scan::ascii_or_two_byte_utf8_block(s.data() + i)) i += 16;  // French
    if (i >= n) break;
    const auto lead = static_cast<unsigned char>(s[i]);
    if (lead < 0x80u) {
      ++i;
      continue;
    }
    // Two-byte sequences (Latin letters with accents: « é » is C3 A9) checked inline.
    if (lead >= 0xC2u && lead <= 0xDFu && i + 1 < n &&
        (static_cast<unsigned char>(s[i + 1]) & 0xC0u) == 0x80u) {
      i += 2;
      continue;
    }
    const std::size_t len = utf8_sequence_length(s, i);
    if (len == 0) return i;
    i += len;
  }
  return std::nullopt;
}

std::string valid_utf8(std::string_view s) {
  std::string out;
  while (const auto bad = first_invalid_utf8(s)) {
    out += s.substr(0, *bad);
    out += "\xEF\xBF\xBD";  // U+FFFD
    s.remove_prefix(*bad + 1);
  }
  out += s;
  return out;
}

std::size_t count_code_points(std::string_view s) {
  // Every byte that is not a continuation byte starts a code point.
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u; }));
}

namespace {
bool is_choice_separator(char c) {
  return c == ',' || c == ';' || c == '|' || c == '\n';
}
}  // namespace

void split_choices(std::string_view cell, std::vector<std::string_view>& pieces) {
  pieces.clear();
  for (std::size_t start = 0;;) {
    // 16 bytes a step: a cell not met before is split on every row that has it.
    const std::size_t end =
        start + scan::find_any_of(cell.data() + start, cell.size() - start, ',', ';', '|', '\n');
    pieces.push_back(trim(cell.substr(start, end - start)));
    if (end == cell.size()) return;
    start = end + 1;
  }
}

std::string_view choice_run(std::string_view cell, const std::vector<std::string_view>& pieces,
                            std::size_t i, std::size_t j) {
  const auto begin = static_cast<std::size_t>(pieces[i].data() - cell.data());
  const auto end =
      static_cast<std::size_t>(pieces[j - 1].data() - cell.data()) + pieces[j - 1].size();
  return cell.substr(begin, end - begin);
}

char32_t first_code_point(std::string_view s) {
  std::size_t i = 0;
  return s.empty() ? 0 : decode_at(s, i);
}

std::size_t count_choices(std::string_view label) {
  return 1 +
         static_cast<std::size_t>(std::count_if(label.begin(), label.end(), is_choice_separator));
}

std::string_view trim_edges(std::string_view s) {
  for (;;) {
    if (!s.empty() && is_ascii_space(static_cast<unsigned char>(s.front()))) {
      s.remove_prefix(1);
    } else if (s.starts_with(kNbsp)) {
      s.remove_prefix(kNbsp.size());
    } else if (s.starts_with(kNnbsp)) {
      s.remove_prefix(kNnbsp.size());
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && is_ascii_space(static_cast<unsigned char>(s.back()))) {
      s.remove_suffix(1);
    } else if (s.ends_with(kNbsp)) {
      s.remove_suffix(kNbsp.size());
    } else if (s.ends_with(kNnbsp)) {
      s.remove_suffix(kNnbsp.size());
    } else {
      break;
    }
  }
  return s;
}

namespace {

// Latin-1 letters U+00C0..U+00FF after case folding, NFD and the removal of combining
// marks: one code point each, but ß (0: "ss"). × and ÷ are no letters; Æ Ð Ø Þ have
// no decomposition and are only folded.
constexpr char32_t kLatin1Letters[64] = {
    U'a', U'a', U'a', U'a', U'a', U'a', U'æ', U'c', U'e', U'e', U'e', U'e', U'i', U'i', U'i', U'i',
    U'ð', U'n', U'o', U'o', U'o', U'o', U'o', U'×', U'ø', U'u', U'u', U'u', U'u', U'y', U'þ', 0,
    U'a', U'a', U'a', U'a', U'a', U'a', U'æ', U'c', U'e', U'e', U'e', U'e', U'i', U'i', U'i', U'i',
    U'ð', U'n', U'o', U'o', U'o', U'o', U'o', U'÷', U'ø', U'u', U'u', U'u', U'u', U'y', U'þ', U'y'};

// What case folding and NFD make of `c` when it is one of the code points French labels
// use: ASCII, Latin-1, Œ œ, the combining accents, typographic quotes, dashes and
// spaces, €. Returns false for any other, which normalize_label leaves to ICU.
bool fold_common(char32_t c, LabelWriter& out) {
  if (c < 0x80u) {
    const char32_t lower = (c >= U'A' && c <= U'Z') ? c - U'A' + U'a' : c;
    out.put(lower);
    return true;
  }
  if (c >= 0xC0u && c <= 0xFFu) {
    const char32_t letter = kLatin1Letters[c - 0xC0u];
    if (letter == 0) {  // ß
      out.put(U's');
      out.put(U's');
    } else {
      out.put(letter);
    }
    return true;
  }
  const bool unchanged = (c >= 0xA0u && c < 0xC0u && c != 0xB5u) ||  // symbols; µ folds to μ
                         (c >= 0x0300u && c <= 0x036Fu && c != 0x0345u) ||  // accents; ͅ folds to ι
                         c == 0x02BCu || (c >= 0x2000u && c <= 0x200Au) ||
                         (c >= 0x2010u && c <= 0x2029u) || c == 0x202Fu || c == 0x205Fu ||
                         c == 0x20ACu || c == 0x0153u;
  if (unchanged) {
    out.put(c);  // spaces, marks and apostrophes as there
    return true;
  }
  if (c == 0x0152u) {  // Œ
    out.put(0x0153u);
    return true;
  }
  return false;
}

}  // namespace

namespace detail {

std::optional<std::string> normalize_label_common(std::string_view s) {
  LabelWriter out(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto byte = static_cast<unsigned char>(s[i]);
    if (byte < 0x80u) {
      // ASCII, most of a label's bytes: what fold_common and LabelWriter::put do with it,
      // without decoding a code point (a label not written as its table writes it,
      // normalised when first met, took about 60 instructions a byte).
      ++i;
      if (is_ascii_space(byte)) {
        out.space();
        continue;
      }
      out.put_ascii(static_cast<char>(byte >= 'A' && byte <= 'Z' ? byte - 'A' + 'a' : byte));
      continue;
    }
    if (!fold_common(decode_at(s, i), out)) return std::nullopt;
  }
  return std::move(out).take();
}

std::string normalize_label_icu(std::string_view s) {
  // Full Unicode case folding first ("ß" → "ss", "Σ"/"ς" → "σ"), then NFD so that
  // accents become separate combining marks, which are dropped. Ligatures such as
  // "œ" and "æ" are letters in their own right: they are left as they are (only
  // case-folded, "Œ" → "œ"), so "oeuvre" and "œuvre" stay different keys.
  const std::locale& locale = label_locale();
  const std::string folded = boost::locale::fold_case(s.data(), s.data() + s.size(), locale);
  const std::string decomposed = boost::locale::normalize(
      folded.data(), folded.data() + folded.size(), boost::locale::norm_nfd, locale);
  LabelWriter out(decomposed.size());
  for (std::size_t i = 0; i < decomposed.size();) out.put(decode_at(decomposed, i));
  return std::move(out).take();
}

}  // namespace detail

std::string normalize_label(std::string_view s) {
  if (first_invalid_utf8(s)) {
    // Invalid UTF-8 cannot go through ICU: it is folded for ASCII letters only and its
    // other bytes are kept as they are, so that equal inputs still give equal keys.
    LabelWriter out(s.size());
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x80u) {
        fold_common(u, out);  // ASCII: lower case
      } else {
        out.put_ascii(c);
      }
    }
    return std::move(out).take();
  }
  // The code points of French labels fold without ICU, whose conversions cost about
  // ten thousand instructions a label: a campaign normalises each distinct cell it
  // meets (about 230 in the first 6,000 rows of the bench's campaign).
  if (auto common = detail::normalize_label_common(s)) return std::move(*common);
  return detail::normalize_label_icu(s);
}

std::string format_date(std::int32_t days) {
  std::int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  civil_from_days(days, y, m, d);
  std::string out;
  if (y < 0) {
    out.push_back('-');
    y = -y;
  }
  std::string year = std::to_string(y);
  if (year.size() < 4) out.append(4 - year.size(), '0');
  out += year;
  out.push_back('-');
  out.push_back(static_cast<char>('0' + m / 10));
  out.push_back(static_cast<char>('0' + m % 10));
  out.push_back('-');
  out.push_back(static_cast<char>('0' + d / 10));
  out.push_back(static_cast<char>('0' + d % 10));
  return out;
}

std::optional<std::int32_t> detail::parse_date_general(std::string_view s) {
  // The two shapes parse_exported_date reads, with spaces around them.
  return parse_exported_date(trim(s));
}

std::optional<std::int64_t> detail::parse_integer_general(std::string_view s) {
  using namespace digit_words;
  s = trim(s);
  // Plain digits, as identifiers are written: read in place. At most 18 bytes, which
  // always fit; anything else (a sign other than '-', grouped digits, longer numbers)
  // goes the general way.
  if (const std::size_t first = !s.empty() && s[0] == '-' ? 1 : 0;
      s.size() > first && s.size() <= 18) {
    std::int64_t value = 0;
    std::size_t i = first;
    // The last eight digits as a word (identifiers are eight digits long), the others
    // one at a time before them.
    const auto read_digits = [&](std::size_t to) {  // up to `to` or a byte that is no digit
      for (; i < to; ++i) {
        const auto digit = static_cast<unsigned>(static_cast<unsigned char>(s[i]) - '0');
        if (digit > 9) return;
        value = value * 10 + digit;
      }
    };
    const std::size_t word_from = s.size() - first >= 8 ? s.size() - 8 : s.size();
    read_digits(word_from);
    if (i == word_from && word_from < s.size()) {
      const auto word = load_word<std::uint64_t>(s.data() + word_from);
      if (std::uint32_t eight = 0; eight_digits(word, eight)) {
        value = value * 100000000 + eight;
        return first == 1 ? -value : value;
      }
    }
    read_digits(s.size());
    if (i == s.size()) return first == 1 ? -value : value;
  }
  const bool negative = consume_sign(s);
  std::string digits;
  if (!consume_grouped_digits(s, digits) || !s.empty()) return std::nullopt;
  if (negative) digits.insert(digits.begin(), '-');
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_decimal(std::string_view s) {
  s = trim(s);
  if (s.ends_with(kEuro)) {  // "1 234,56 €", "12€"
    s.remove_suffix(kEuro.size());
    s = trim(s);
  }
  std::string number;
  if (consume_sign(s)) number.push_back('-');
  if (!consume_grouped_digits(s, number)) return std::nullopt;
  if (!s.empty() && (s[0] == '.' || s[0] == ',')) {
    // One decimal separator, either kind, followed by digits only. Anything after
    // that ("1,234.56", "1.234,56", "1.234.567") is rejected rather than guessed.
    s.remove_prefix(1);
    std::size_t n = 0;
    while (n < s.size() && is_digit(s[n])) ++n;
    if (n == 0) return std::nullopt;
    number.push_back('.');
    number.append(s.substr(0, n));
    s.remove_prefix(n);
  }
  if (!s.empty()) return std::nullopt;
  return decimal::parse(number, decimal::Excess::RoundHalfEven);
}

std::size_t label_distance(std::string_view a, std::string_view b) {
  return levenshtein(to_code_points(normalize_label(a)), to_code_points(normalize_label(b)));
}

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  const std::u32string key = to_code_points(normalize_label(word));
  const std::size_t limit = std::max<std::size_t>(1, key.size() / 3);
  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = levenshtein(key, to_code_points(normalize_label(candidate)));
    if (best == nullptr || distance < best_distance) {
      best = &candidate;
      best_distance = distance;
    }
  }
  if (best == nullptr || best_distance > limit) return std::nullopt;
  return *best;
}

void append_one_line(std::string& out, std::string_view s) {
  const std::size_t start = out.size();
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = out.size() != start;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
}

std::string one_line(std::string_view s) {
  std::string out;
  append_one_line(out, s);
  return out;
}

std::string escape_html(std::string_view s, bool apostrophe) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += apostrophe ? "&#39;" : "'";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace tamis::text
