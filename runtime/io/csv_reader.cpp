#include "runtime/io/csv_reader.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstring>
#include <type_traits>

#include "support/lang.hpp"
#include "support/scan.hpp"
#include "support/text.hpp"

// How the reader works
// --------------------
// Bytes are read into one buffer; [begin, end) is the part not consumed yet.
// parse() splits one record starting at `begin` into field spans (offsets into
// the buffer) using memchr to jump to quotes and line ends. When the record is
// not complete in the buffer it returns NeedMore: refill() moves the unconsumed
// tail to the front, doubles the buffer only when that tail already fills it (a
// record longer than the buffer), reads more, and the record is parsed again
// from its start. Nothing is committed (position, line counter) until a record
// is complete, so a retry is always safe. Once next_raws is called, records stay
// where they were read (a campaign's batches refer to them there): refill() then moves
// nothing, and reads into what is left of the buffer, else into another one (one that
// no batch holds any more, or a new one), to which only the unconsumed tail is copied.
// Fields without "" escapes are views into the buffer; escaped fields are unescaped
// into one reusable string whose capacity is reserved beforehand, so views never
// dangle within a record.
//
// Lines are counted by LF. Outside quotes a record ends at LF or CRLF (a lone
// CR is ordinary data); inside quotes CR, LF and CRLF are all kept as data.
// Empty lines between records are skipped (they are not records).
// A quote left open must not swallow the records after it: a quoted field that
// spans lines is cut at the end of its first line when it closes on a later line
// followed by text, or when one of its inner lines reads as a record of its own
// (likely_swallowed_record); the next record starts on the following line.

namespace tamis::io {
namespace {

enum class ParseStatus { Record, NeedMore, End };

constexpr std::size_t kMinBufferSize = 1;  // tiny sizes are useful in tests

std::string unterminated_reason(std::size_t open_line) {
  return tr("guillemet non fermé (ouvert ligne {})", "unclosed quote (opened on line {})",
            open_line);
}

std::string likely_unclosed_reason(std::size_t open_line) {
  return tr("guillemet probablement non fermé (ouvert ligne {})",
            "quote probably left open (opened on line {})", open_line);
}

std::string stray_quote_reason() {
  return tr("guillemet inattendu", "unexpected quote");
}

std::string text_after_quote_reason() {
  return tr("texte après le guillemet fermant", "text after the closing quote");
}

std::string invalid_utf8_reason() {
  return tr("octets invalides en UTF-8", "bytes that are not valid UTF-8");
}

std::string nul_byte_reason() {
  return tr("octet nul (0x00) : fichier abîmé, ou enregistré en UTF-16",
            "NUL byte (0x00): damaged file, or saved as UTF-16");
}

std::string in_field(const std::string& reason, std::size_t field) {
  return tr("{} dans le champ {}", "{} in field {}", reason, field);
}

// The first NUL byte of `s`, if any.
std::optional<std::size_t> first_nul(std::string_view s) {
  const auto* nul = static_cast<const char*>(std::memchr(s.data(), 0, s.size()));
  if (nul == nullptr) return std::nullopt;
  return static_cast<std::size_t>(nul - s.data());
}

// No NUL byte and valid UTF-8: a record whose bytes are clean has clean fields
// (separators, quotes and line ends are ASCII, so they never split a sequence).
bool bytes_are_clean(std::string_view s) {
  return !first_nul(s) && !text::first_invalid_utf8(s);
}

// Appends the content of a quoted field to `out`, turning "" into ".
void append_unescaped(std::string& out, const char* from, const char* to) {
  while (from < to) {
    const auto* quote =
        static_cast<const char*>(std::memchr(from, '"', static_cast<std::size_t>(to - from)));
    if (quote == nullptr) {
      out.append(from, to);
      return;
    }
    out.append(from, quote + 1);
    from = quote + 1;
    if (from < to && *from == '"') ++from;
  }
}

// Where parse_record() reads: [base + begin, base + end), `eof` when no byte
// follows `end`, `line` the physical line at `begin`.
struct Cursor {
  const char* base;
  std::size_t begin;
  std::size_t end;
  bool eof;
  std::size_t line;
  // The header's field count, to find quotes left open (likely_swallowed_record);
  // 0: no such check (the header itself, and a record already framed).
  std::size_t header_fields = 0;
  // The record was cut by its framer at a quote likely left open (RawRecord::quote_cut):
  // a quote open at end of input is reported as QuoteLikelyUnclosed.
  bool quote_cut = false;
};

// What kind of identifier a first field is: a dossier number (digits), a code
// (letters, digits, '-', '_', '.', '/', with a digit), or anything else.
enum class IdShape { Digits, Code, Other };

constexpr std::size_t kLongestIdentifier = 40;

// A letter, '-', '_', '.' or '/': what an identifier holds besides digits.
bool is_identifier_mark(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' || c == '.' ||
         c == '/';
}

IdShape id_shape(std::string_view s) {
  if (s.empty() || s.size() > kLongestIdentifier) return IdShape::Other;
  bool digit = false;
  bool other = false;
  for (const char c : s) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (is_identifier_mark(c)) {
      other = true;
    } else {
      return IdShape::Other;
    }
  }
  if (!digit) return IdShape::Other;
  return other ? IdShape::Code : IdShape::Digits;
}

// Whether `line` (one physical line, without its line end), read from its start,
// is a complete record of `fields` fields whose first field is an identifier of
// shape `first` (any identifier when `first` is Other). A quote opens a field only at
// its start and must close on this line; other quotes count as text, so that the line
// holding the closing quote of a field left open still reads as the record it was.
// From separator to quote, 16 bytes a step (scan::find_any_of): a byte loop cost about
// 1,000 instructions a field over several lines in the bench's campaign.
bool reads_as_record(std::string_view line, char separator, std::size_t fields, IdShape first) {
  const char* const p = line.data();
  const std::size_t n = line.size();
  std::size_t count = 1;
  std::size_t first_end = std::string_view::npos;
  bool field_start = true;
  for (std::size_t i = 0; i < n;) {
    if (field_start && p[i] == '"') {
      const std::size_t close = line.find('"', i + 1);  // "" pairs: the next one opens again
      if (close == std::string_view::npos) return false;
      i = close + 1;
      field_start = false;
      continue;
    }
    const std::size_t at = i + scan::find_any_of(p + i, n - i, separator, '"', separator, '"');
    if (at == n) break;
    i = at + 1;
    field_start = p[at] == separator;  // a quote after a field's start is text
    if (field_start) {
      if (count == 1) first_end = at;
      if (++count > fields) return false;
    }
  }
  if (count != fields) return false;
  const IdShape shape = id_shape(line.substr(0, first_end));
  return shape != IdShape::Other && (first == IdShape::Other || shape == first);
}

// Whether `line` may read as a record (reads_as_record), by what is seen in its first
// bytes: its first field (to its first separator) is an identifier of shape `first`.
// False for a line that begins with a quote (the first field's text reads_as_record
// takes holds it), and at the first byte no identifier holds: the inner lines of a text
// written on several lines are mostly turned down at their first space. reads_as_record
// on each of them cost about 700 instructions a multi-line field on the bench's
// campaign: 4,168 -> 4,156 instructions per dossier (callgrind; likely_swallowed_record
// 16 -> 4).
bool may_read_as_record(std::string_view line, char separator, IdShape first) {
  std::size_t end = 0;
  for (; end < line.size() && line[end] != separator; ++end) {
    const char c = line[end];
    const bool id_char = (c >= '0' && c <= '9') || is_identifier_mark(c);
    if (!id_char || end == kLongestIdentifier) return false;  // not one, or longer than one
  }
  const IdShape shape = id_shape(line.substr(0, end));
  return shape != IdShape::Other && (first == IdShape::Other || shape == first);
}

enum class Swallowed { No, Yes, NeedMore };

// The shape of a record's first field as parse_record sees it (its first span) when the
// field at `field` spans lines: none yet when that field is the first; else the text up to
// the first separator, or between the quotes of a quoted first field: to its closing
// quote, the first quote after the opening one that is not half of a "" pair (found here,
// not kept while framing: this is only asked for fields over several lines, and keeping
// it cost 6 instructions per dossier, measured).
IdShape first_field_shape(const char* start, const char* field, char separator) {
  if (field == start) return IdShape::Other;
  if (*start == '"') {
    const char* close = start + 1;
    for (;;) {
      close = std::find(close, field, '"');
      if (close + 1 >= field || close[1] != '"') break;
      close += 2;
    }
    return id_shape({start + 1, static_cast<std::size_t>(close - start - 1)});
  }
  return id_shape({start, static_cast<std::size_t>(std::find(start, field, separator) - start)});
}

// A quoted field that spans lines, from `content` to its closing quote `close`, most
// likely had its quote left open when one of its inner lines (after a line end within
// it; the last one runs past `close` to its own end) reads as a record of the
// header's field count whose first field is an identifier like the record's own
// (reads_as_record). A text written on several lines does not look like that.
// `first_shape()` gives the record's first field's shape, asked only of an inner line whose
// first field is an identifier (may_read_as_record with any shape): few are.
template <class FirstShape>
Swallowed swallowed_record(const char* content, const char* close, const char* e, bool eof,
                           char separator, std::size_t header_fields, FirstShape first_shape) {
  const char* lf = static_cast<const char*>(
      std::memchr(content, '\n', static_cast<std::size_t>(close - content)));
  while (lf != nullptr) {
    const char* start = lf + 1;
    const char* stop =
        static_cast<const char*>(std::memchr(start, '\n', static_cast<std::size_t>(e - start)));
    if (stop == nullptr) {
      if (!eof) return Swallowed::NeedMore;
      stop = e;
    }
    const char* text_end = stop > start && stop[-1] == '\r' ? stop - 1 : stop;
    const std::string_view text(start, static_cast<std::size_t>(text_end - start));
    if (may_read_as_record(text, separator, IdShape::Other)) {
      const IdShape first = first_shape();
      if (may_read_as_record(text, separator, first) &&
          reads_as_record(text, separator, header_fields, first))
        return Swallowed::Yes;
    }
    lf = stop < close ? stop : nullptr;
  }
  return Swallowed::No;
}

Swallowed likely_swallowed_record(const char* content, const char* close, const char* e, bool eof,
                                  char separator, std::size_t header_fields, IdShape first) {
  return swallowed_record(content, close, e, eof, separator, header_fields,
                          [first] { return first; });
}

// As likely_swallowed_record, for the field at `field` of the record at `start`, whose first
// field's shape (first_field_shape) is found only if asked: 3.2 instructions per dossier on
// the bench's campaign where it was found for each field over several lines.
Swallowed likely_swallowed_field(const char* content, const char* close, const char* e, bool eof,
                                 char separator, std::size_t header_fields, const char* start,
                                 const char* field) {
  return swallowed_record(content, close, e, eof, separator, header_fields,
                          [=] { return first_field_shape(start, field, separator); });
}

// Whether the inner line after the line feed at `lf`, in a quoted field, may read as a record
// (may_read_as_record, any identifier): when none of a field's inner lines may, and the field
// closes before a record's end in the bytes read, likely_swallowed_field says No without asking
// more (frame_stream's records with a field over several lines). A line that the end of the
// bytes read (`e`) cuts before it is known may: frame_regular decides for its record.
bool inner_line_may_read(const char* lf, const char* e, char separator) {
  const char* const start = lf + 1;
  // Most are turned down where their first word ends, before a byte that is neither a
  // separator nor a line end (may_read_as_record's loop stops there too): without a search
  // for the line's end, 2,020.8 -> 2,018.3 instructions per dossier (callgrind; memchr 3.0
  // -> 1.7, may_read_as_record 2.3 -> 0, inner_line_may_read 2.7 now out of line,
  // frame_multi_line_avx2 7.5 -> 6.9, frame_stream_avx2 219.3 -> 218.3).
  const char* p = start;
  while (p != e && p - start < static_cast<std::ptrdiff_t>(kLongestIdentifier) &&
         ((*p >= '0' && *p <= '9') || is_identifier_mark(*p)))
    ++p;
  if (p == e) return true;  // cut: no byte read past the end of the bytes read
  if (*p != separator && *p != '\r' && *p != '\n') return false;
  const char* const stop =
      static_cast<const char*>(std::memchr(start, '\n', static_cast<std::size_t>(e - start)));
  if (stop == nullptr) return true;  // cut before its line end
  const char* const text_end = stop > start && stop[-1] == '\r' ? stop - 1 : stop;
  return may_read_as_record({start, static_cast<std::size_t>(text_end - start)}, separator,
                            IdShape::Other);
}

// Splits the record at `at.begin` into `spans`. On Record, consumes it (advances
// `at`) and sets `record_line` and possibly `error`; on End, the input is exhausted.
// Reads nothing past the record's end but to find a quote that would close a field
// (and a field so closed on a later line is cut at its first line): parsing the
// record's own bytes alone, with `eof` set, gives the same fields and error.
ParseStatus parse_record(Cursor& at, char separator, std::vector<FieldSpan>& spans,
                         std::size_t& record_line, std::optional<CsvError>& error) {
  const char* const base = at.base;
  const char* p = base + at.begin;
  const char* const e = base + at.end;
  const bool eof = at.eof;
  std::size_t ln = at.line;

  // Empty lines are not records.
  for (;;) {
    if (p == e || (*p == '\r' && p + 1 == e)) {
      if (!eof) return ParseStatus::NeedMore;
      at.begin = at.end;
      at.line = ln;
      return ParseStatus::End;
    }
    if (*p == '\n') {
      ++p;
      ++ln;
    } else if (*p == '\r' && p[1] == '\n') {
      p += 2;
      ++ln;
    } else {
      break;
    }
  }

  spans.clear();
  error.reset();
  record_line = ln;
  const char* line_end = nullptr;  // next LF at or after p (or e at end of input)
  std::size_t field = 0;
  // `reason` says what is wrong; the message adds the field position, except for an
  // unclosed quote, whose message says where it opened.
  const auto fail = [&](CsvErrorKind kind, std::size_t at_line, std::string reason) {
    if (error) return;
    std::string message =
        kind == CsvErrorKind::UnterminatedQuote ? reason : in_field(reason, field);
    error = CsvError{kind, at_line, field, std::move(message), std::move(reason)};
  };
  const auto push = [&](const char* from, const char* to, bool escaped) {
    spans.push_back(
        {static_cast<std::size_t>(from - base), static_cast<std::size_t>(to - from), escaped});
  };
  // Updates line_end for the current position; false when more input is needed.
  const auto find_line_end = [&]() {
    if (line_end != nullptr && line_end >= p) return true;
    const auto* lf =
        static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(e - p)));
    if (lf == nullptr && !eof) return false;
    line_end = lf != nullptr ? lf : e;
    return true;
  };
  // Ends the record at line_end (which is at or after p).
  const auto finish_line = [&]() {
    if (line_end < e) {
      p = line_end + 1;
      ++ln;
    } else {
      p = e;
    }
  };

  for (;;) {
    ++field;
    if (p < e && *p == '"') {
      // Quoted field: jump from quote to quote.
      const std::size_t open_line = ln;
      const char* const content = p + 1;
      const char* q = content;
      const char* close = nullptr;
      bool escaped = false;
      for (;;) {
        const auto* quote =
            static_cast<const char*>(std::memchr(q, '"', static_cast<std::size_t>(e - q)));
        if (quote == nullptr) break;
        if (quote + 1 == e && !eof) return ParseStatus::NeedMore;
        if (quote + 1 < e && quote[1] == '"') {
          escaped = true;
          q = quote + 2;
          continue;
        }
        close = quote;
        break;
      }
      // A quote left open: report where it opened, cut the field at the end of that
      // physical line and resume on the next line, so the rows after it are read.
      const auto cut_unterminated = [&](bool likely) {
        if (likely) {
          fail(CsvErrorKind::QuoteLikelyUnclosed, open_line, likely_unclosed_reason(open_line));
        } else {
          fail(CsvErrorKind::UnterminatedQuote, open_line, unterminated_reason(open_line));
        }
        p = content;
        line_end = nullptr;
        ln = open_line;
        find_line_end();  // the line's end is before the closing quote, or at eof
        const char* content_end = line_end;
        if (content_end > content && content_end[-1] == '\r') --content_end;
        push(content, content_end,
             std::memchr(content, '"', static_cast<std::size_t>(content_end - content)) != nullptr);
        finish_line();
      };
      if (close == nullptr) {
        if (!eof) return ParseStatus::NeedMore;
        cut_unterminated(at.quote_cut);  // open at end of input
        break;
      }
      const std::size_t spanned_lines = static_cast<std::size_t>(std::count(content, close, '\n'));
      const char* after = close + 1;
      const bool field_ends = after == e || *after == separator || *after == '\n' ||
                              (*after == '\r' && (after + 1 == e || after[1] == '\n'));
      if (spanned_lines > 0 && !field_ends) {
        // A field over several lines whose closing quote is followed by text: the quote
        // that "closes" it is really the opening quote of a later field, and this one
        // was never closed (an unclosed quote must not swallow the rows after it).
        cut_unterminated(false);
        break;
      }
      if (spanned_lines > 0 && at.header_fields > 0) {
        // Closed on a later line, but maybe by the stray quote of a later row.
        const IdShape first =
            spans.empty() ? IdShape::Other : id_shape({base + spans[0].offset, spans[0].size});
        const Swallowed swallowed =
            likely_swallowed_record(content, close, e, eof, separator, at.header_fields, first);
        if (swallowed == Swallowed::NeedMore) return ParseStatus::NeedMore;
        if (swallowed == Swallowed::Yes) {
          cut_unterminated(true);
          break;
        }
      }
      ln += spanned_lines;
      push(content, close, escaped);
      p = close + 1;
      if (p == e) break;  // end of input (otherwise NeedMore above)
      if (*p == separator) {
        ++p;
        continue;
      }
      if (*p == '\n') {
        ++p;
        ++ln;
        break;
      }
      if (*p == '\r') {
        if (p + 1 == e) {
          if (!eof) return ParseStatus::NeedMore;
          p = e;
          break;
        }
        if (p[1] == '\n') {
          p += 2;
          ++ln;
          break;
        }
      }
      // Text between the closing quote and the next separator: report it and skip it.
      fail(CsvErrorKind::StrayQuote, ln, text_after_quote_reason());
      if (!find_line_end()) return ParseStatus::NeedMore;
      const char* s = p;
      while (s < line_end && *s != separator) ++s;
      if (s < line_end) {
        p = s + 1;
        continue;
      }
      finish_line();
      break;
    }

    // Unquoted field: it cannot span lines.
    if (!find_line_end()) return ParseStatus::NeedMore;
    const char* q = p;
    for (;;) {
      q += scan::find_any_of(q, static_cast<std::size_t>(line_end - q), separator, '"', separator,
                             '"');
      if (q < line_end && *q == '"') {
        fail(CsvErrorKind::StrayQuote, ln, stray_quote_reason());
        ++q;
        continue;
      }
      break;
    }
    if (q < line_end) {  // separator
      push(p, q, false);
      p = q + 1;
      continue;
    }
    const char* field_end = q;
    if (field_end > p && field_end[-1] == '\r') --field_end;  // CRLF
    push(p, field_end, false);
    finish_line();
    break;
  }

  at.begin = static_cast<std::size_t>(p - base);
  at.line = ln;
  return ParseStatus::Record;
}

}  // namespace

// The read buffer. Not zero-filled: read() writes every byte before it is looked at,
// and a small campaign then touches only the pages it fills.
class ReadBuffer {
 public:
  explicit ReadBuffer(std::size_t size)
      : bytes_(std::make_unique_for_overwrite<char[]>(size)), size_(size) {}
  char* data() { return bytes_.get(); }
  const char* data() const { return bytes_.get(); }
  std::size_t size() const { return size_; }
  // Doubles the size, keeping the first `used` bytes.
  void grow(std::size_t used) {
    auto bigger = std::make_unique_for_overwrite<char[]>(size_ * 2);
    std::memcpy(bigger.get(), bytes_.get(), used);
    bytes_ = std::move(bigger);
    size_ *= 2;
  }

 private:
  std::unique_ptr<char[]> bytes_;
  std::size_t size_;
};

namespace {

// The instruction set to run for the one asked for: the best this processor has that
// is not above it.
SimdLevel level_to_run(SimdLevel asked) {
  if (asked == SimdLevel::Avx512 && !scan::cpu_has_avx512bw()) asked = SimdLevel::Avx2;
  if (asked == SimdLevel::Avx2 && !scan::cpu_has_avx2()) asked = SimdLevel::Sse2;
  return asked;
}

// What frames records: scan::find_quote_or_newline for the instruction set to run.
using QuoteOrNewlineFinder = std::size_t (*)(const char*, std::size_t);
QuoteOrNewlineFinder quote_or_newline_finder(SimdLevel level) {
#if defined(TAMIS_AVX512_DISPATCH)
  switch (level_to_run(level)) {
    case SimdLevel::Avx512:
      return scan::avx512::find_quote_or_newline;
    case SimdLevel::Avx2:
      return scan::avx2::find_quote_or_newline;
    case SimdLevel::Sse2:
      break;
  }
#else
  (void)level;
#endif
  return scan::find_quote_or_newline;
}

// scan::find_quote_or_newline for each instruction set, to inline (CsvReader::Impl::
// frame_batch), with the masks of 64 bytes that frame_stream reads.
struct Sse2Find {
  std::size_t operator()(const char* p, std::size_t n) const {
    return scan::find_quote_or_newline(p, n);
  }
  // The masks of 64 bytes that frame_stream reads, for one separator.
  struct Chunks {
    char separator;
    explicit Chunks(char sep) : separator(sep) {}
    static bool quotes_and_newlines(const char* p, std::uint64_t& quotes, std::uint64_t& newlines) {
      return scan::quote_and_newline_masks(p, quotes, newlines);
    }
    std::uint64_t separators(const char* p) const {
      return scan::chunk_masks(p, separator).separator;
    }
    static std::uint64_t prefix_xor(std::uint64_t x) { return scan::prefix_xor(x); }
  };
};
#if defined(TAMIS_AVX512_DISPATCH)
struct Avx2Find {
  TAMIS_TARGET_AVX2 std::size_t operator()(const char* p, std::size_t n) const {
    return scan::avx2::find_quote_or_newline(p, n);
  }
  struct Chunks {
    __m256i separator;
    TAMIS_TARGET_AVX2 explicit Chunks(char sep) : separator(_mm256_set1_epi8(sep)) {}
    TAMIS_TARGET_AVX2 static bool quotes_and_newlines(const char* p, std::uint64_t& quotes,
                                                      std::uint64_t& newlines) {
      return scan::avx2::quote_and_newline_masks(p, quotes, newlines);
    }
    TAMIS_TARGET_AVX2 std::uint64_t separators(const char* p) const {
      const char* const bytes = scan::avx2::hidden(p);
      return scan::avx2::mask64(scan::avx2::equal_bytes(bytes, separator),
                                scan::avx2::equal_bytes(bytes + 32, separator));
    }
    TAMIS_TARGET_AVX2 static std::uint64_t prefix_xor(std::uint64_t x) {
      return scan::avx2::prefix_xor(x);
    }
  };
};
struct Avx512Find {
  TAMIS_TARGET_AVX512 std::size_t operator()(const char* p, std::size_t n) const {
    return scan::avx512::find_quote_or_newline(p, n);
  }
  struct Chunks {
    __m512i separator;
    TAMIS_TARGET_AVX512 explicit Chunks(char sep) : separator(_mm512_set1_epi8(sep)) {}
    TAMIS_TARGET_AVX512 static bool quotes_and_newlines(const char* p, std::uint64_t& quotes,
                                                        std::uint64_t& newlines) {
      return scan::avx512::quote_and_newline_masks(p, quotes, newlines);
    }
    TAMIS_TARGET_AVX512 std::uint64_t separators(const char* p) const {
      return _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(p), separator);
    }
    TAMIS_TARGET_AVX512 static std::uint64_t prefix_xor(std::uint64_t x) {
      return scan::avx2::prefix_xor(x);
    }
  };
};
#endif

// A record's line and number, counted together (frame_stream): with SSE2 in one register,
// stored in one move (RawRecord holds them side by side), so that the loop keeps one value
// fewer in general registers: 3,044 -> 3,037 instructions per dossier (callgrind).
class LineAndNumber {
 public:
  LineAndNumber(std::size_t line, std::size_t number)
#if defined(__SSE2__)
      : both_(_mm_set_epi64x(static_cast<long long>(number), static_cast<long long>(line)))
#else
      : line_(line),
        number_(number)
#endif
  {
  }
  void next() {
#if defined(__SSE2__)
    both_ = _mm_add_epi64(both_, _mm_set1_epi64x(1));
#else
    ++line_;
    ++number_;
#endif
  }
  // The next record after one of `lines` lines.
  void next(std::size_t lines) {
#if defined(__SSE2__)
    both_ = _mm_add_epi64(both_, _mm_set_epi64x(1, static_cast<long long>(lines)));
#else
    line_ += lines;
    ++number_;
#endif
  }
  void store_into(RawRecord& raw) const {
    static_assert(offsetof(RawRecord, number) == offsetof(RawRecord, line) + sizeof(std::size_t));
#if defined(__SSE2__)
    std::memcpy(reinterpret_cast<char*>(&raw) + offsetof(RawRecord, line), &both_, sizeof both_);
#else
    raw.line = line_;
    raw.number = number_;
#endif
  }
  std::size_t line() const {
#if defined(__SSE2__)
    return static_cast<std::size_t>(_mm_cvtsi128_si64(both_));
#else
    return line_;
#endif
  }
  std::size_t number() const {
#if defined(__SSE2__)
    return static_cast<std::size_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(both_, both_)));
#else
    return number_;
#endif
  }

 private:
#if defined(__SSE2__)
  __m128i both_;
#else
  std::size_t line_;
  std::size_t number_;
#endif
};

}  // namespace

struct CsvReader::Impl {
  std::istream& in;
  char separator;
  std::shared_ptr<ReadBuffer> buffer;
  // keep_records(): bytes before `begin` are never moved nor overwritten, as batches hold
  // the buffers their records are in (next_raws). Every buffer made since, to reuse
  // those no batch holds any more.
  bool keeping = false;
  std::vector<std::shared_ptr<ReadBuffer>> buffers;
  std::shared_ptr<const void> record_buffer;  // `buffer`, as the caller holds it
  std::size_t begin = 0;                      // first unconsumed byte
  std::size_t end = 0;                        // end of the bytes read
  std::size_t bytes_read = 0;                 // from the stream, in all
  bool eof = false;
  std::size_t line = 1;    // physical line at `begin`
  std::size_t number = 0;  // data records returned so far
  bool header_read = false;
  bool header_found = false;
  std::vector<std::string> header;
  std::optional<CsvError> header_error;
  std::vector<FieldSpan> spans;
  std::string unescaped;
  QuoteOrNewlineFinder find_quote_or_newline;
  SimdLevel level;  // to run

  Impl(std::istream& stream, const CsvOptions& options)
      : in(stream),
        separator(options.separator),
        buffer(std::make_shared<ReadBuffer>(std::max(options.buffer_size, kMinBufferSize))),
        find_quote_or_newline(quote_or_newline_finder(options.simd)),
        level(level_to_run(options.simd)) {
    if (!in) eof = true;
  }

  // Makes room and reads more bytes; sets `eof` when the stream has no more.
  void refill() {
    if (eof) return;
    if (keeping) {
      make_room_keeping();
    } else {
      make_room();
    }
    in.read(buffer->data() + end, static_cast<std::streamsize>(buffer->size() - end));
    end += static_cast<std::size_t>(in.gcount());
    bytes_read += static_cast<std::size_t>(in.gcount());
    if (!in) eof = true;
  }

  // A campaign that proves large is read 256 KiB at a time: a quarter of the read()
  // calls (1,000,000 rows on two threads, medians of 9 alternate runs: 480 ms with
  // 64 KiB, 470 with 256 KiB, 466 with 1 MiB); a small one touches no more pages than
  // before (a page fault cost about 20 µs on an earlier VM).
  static constexpr std::size_t kLargeCampaign = std::size_t{1} << 20;
  static constexpr std::size_t kLargeBuffer = std::size_t{1} << 18;

  // Room to read into: the unconsumed bytes moved to the front, the buffer doubled when
  // they fill it.
  void make_room() {
    if (begin > 0) {
      std::memmove(buffer->data(), buffer->data() + begin, end - begin);
      end -= begin;
      begin = 0;
    }
    if (end == buffer->size()) buffer->grow(end);
    while (bytes_read >= kLargeCampaign && buffer->size() < kLargeBuffer) buffer->grow(end);
  }

  // Room to read into, with records kept (keep_records): what is left in the buffer,
  // else another buffer, where only the unconsumed bytes (a record begun) are copied.
  void make_room_keeping() {
    const std::size_t wanted =
        bytes_read >= kLargeCampaign ? std::max(buffer->size(), kLargeBuffer) : buffer->size();
    if (end < buffer->size() && buffer->size() >= wanted) return;
    const std::size_t unconsumed = end - begin;
    std::size_t size = wanted;
    while (size <= unconsumed) size *= 2;  // a record longer than the buffer
    const std::shared_ptr<ReadBuffer> next = free_buffer(size);
    std::memcpy(next->data(), buffer->data() + begin, unconsumed);
    buffer = next;
    record_buffer = next;
    begin = 0;
    end = unconsumed;
  }

  // A buffer of `size` bytes that no batch holds: one made before, or a new one.
  std::shared_ptr<ReadBuffer> free_buffer(std::size_t size) {
    for (std::size_t i = 0; i < buffers.size();) {
      if (buffers[i].use_count() > 1) {
        ++i;
      } else if (buffers[i]->size() == size) {
        return buffers[i];
      } else {
        buffers.erase(buffers.begin() + static_cast<std::ptrdiff_t>(i));  // too small, or large
      }
    }
    buffers.push_back(std::make_shared<ReadBuffer>(size));
    return buffers.back();
  }

  void skip_bom() {
    while (end - begin < 3 && !eof) refill();
    if (end - begin >= 3 && std::memcmp(buffer->data() + begin, "\xEF\xBB\xBF", 3) == 0) begin += 3;
  }

  // ';' when it occurs more often than ',' outside quotes on the header line.
  void detect_separator() {
    for (;;) {
      std::size_t commas = 0;
      std::size_t semicolons = 0;
      bool in_quotes = false;
      bool seen_text = false;  // leading empty lines are skipped like in parse()
      bool complete = false;
      for (std::size_t i = begin; i < end && !complete; ++i) {
        const char c = buffer->data()[i];
        if (c == '"') {
          in_quotes = !in_quotes;
          seen_text = true;
        } else if (!in_quotes) {
          if (c == '\n') {
            complete = seen_text;
          } else if (c != '\r') {
            seen_text = true;
            commas += c == ',' ? 1 : 0;
            semicolons += c == ';' ? 1 : 0;
          }
        }
      }
      if (complete || eof) {
        separator = semicolons > commas ? ';' : ',';
        return;
      }
      refill();
    }
  }

  ParseStatus read_record(std::size_t& record_line, std::optional<CsvError>& error) {
    ParseStatus status;
    while ((status = parse(record_line, error)) == ParseStatus::NeedMore) refill();
    return status;
  }

  ParseStatus parse(std::size_t& record_line, std::optional<CsvError>& error) {
    Cursor at{buffer->data(), begin, end, eof, line, header.size()};
    const ParseStatus status = parse_record(at, separator, spans, record_line, error);
    begin = at.begin;
    line = at.line;
    return status;
  }

  // Skips empty lines at `begin`; false when more input is needed to know.
  bool skip_empty_lines() {
    const char* const base = buffer->data();
    const char* p = base + begin;
    const char* const e = base + end;
    for (;;) {
      if (p == e || (*p == '\r' && p + 1 == e)) {
        if (!eof) return false;
        begin = end;  // a CR alone at the very end is no record (as in parse_record)
        return true;
      }
      if (*p == '\n') {
        ++p;
        ++line;
      } else if (*p == '\r' && p[1] == '\n') {
        p += 2;
        ++line;
      } else {
        break;
      }
      begin = static_cast<std::size_t>(p - base);
    }
    return true;
  }

  // Finds where the record at `from` (no empty line before it: `begin`, or a record's start
  // in frame_stream) ends, for the common shapes only: unquoted fields, and quoted fields
  // closed by a quote that a separator or line end follows (over several lines only when
  // none of its inner lines reads as a record: likely_swallowed_record). Returns the end
  // offset and sets `lines` (line ends inside), 0 when more input is needed, npos for any
  // other shape (parse() then frames it). Agrees with parse() on every record it frames.
  // `find`: scan::find_quote_or_newline, or its version for an instruction set.
  template <class Find>
  [[gnu::always_inline]] std::size_t frame_regular(std::size_t from, std::size_t& lines,
                                                   Find find) const {
    const char* const base = buffer->data();
    const char* const start = base + from;
    const char* const e = base + end;
    const char* p = start;
    lines = 0;
    for (;;) {
      const char* hit = p + find(p, static_cast<std::size_t>(e - p));
      if (hit == e) return eof ? static_cast<std::size_t>(e - base) : 0;
      if (*hit == '\n') {
        ++lines;
        return static_cast<std::size_t>(hit + 1 - base);
      }
      // A quote: regular only when it opens a field.
      if (hit != start && hit[-1] != separator) return std::string_view::npos;
      // To the closing quote, counting the line ends on the way in the same scan.
      const char* q = hit + 1;
      const char* close = nullptr;
      std::size_t field_lines = 0;
      for (;;) {
        const char* x = q + find(q, static_cast<std::size_t>(e - q));
        if (x == e) return eof ? std::string_view::npos : 0;
        if (*x == '\n') {
          ++field_lines;
          q = x + 1;
          continue;
        }
        if (x + 1 == e) return eof ? std::string_view::npos : 0;  // a quote, the last byte
        if (x[1] != '"') {
          close = x;
          break;
        }
        q = x + 2;
      }
      const char* after = close + 1;
      // The usual case first: the field ends at a separator, on the line it began on.
      if (*after == separator && field_lines == 0) {
        p = after + 1;
        continue;
      }
      const bool lf = *after == '\n';
      const bool crlf = *after == '\r' && after + 1 < e && after[1] == '\n';
      if (*after != separator && !lf && !crlf)
        return (*after == '\r' && after + 1 == e && !eof) ? 0 : std::string_view::npos;
      if (field_lines > 0) {
        // A field over several lines: regular only when its quote was not likely left
        // open, as parse_record checks (likely_swallowed_record); else parse() frames it.
        switch (
            likely_swallowed_field(hit + 1, close, e, eof, separator, header.size(), start, hit)) {
          case Swallowed::NeedMore:
            return 0;
          case Swallowed::Yes:
            return std::string_view::npos;
          case Swallowed::No:
            lines += field_lines;
            break;
        }
      }
      if (*after == separator) {
        p = after + 1;
        continue;
      }
      ++lines;
      return static_cast<std::size_t>(after + (lf ? 1 : 2) - base);
    }
  }

  // Frames the next record into `raw`; End at end of input. Inlined into next_raws' loop
  // (a call a record: 4,854 against 4,836 instructions per dossier).
  template <class Find>
  [[gnu::always_inline]] ParseStatus frame(RawRecord& raw, Find find) {
    for (;;) {
      if (!skip_empty_lines()) {
        refill();
        continue;
      }
      if (begin == end) return ParseStatus::End;
      std::size_t lines = 0;
      const std::size_t record_end = frame_regular(begin, lines, find);
      if (record_end == 0) {
        refill();
        continue;
      }
      const std::size_t record_begin = begin;
      raw.line = line;
      raw.regular = record_end != std::string_view::npos;
      raw.quote_cut = false;
      if (raw.regular) {
        begin = record_end;
        line += lines;
      } else {
        std::size_t record_line = 0;
        std::optional<CsvError> ignored;  // found again when the record is split
        const ParseStatus status = parse(record_line, ignored);
        if (status == ParseStatus::NeedMore) {
          refill();  // moves the buffer: the record is framed again
          continue;
        }
        if (status == ParseStatus::End) return status;
        raw.quote_cut = ignored && ignored->kind == CsvErrorKind::QuoteLikelyUnclosed;
      }
      raw.bytes = std::string_view(buffer->data() + record_begin, begin - record_begin);
      raw.number = ++number;
      return ParseStatus::Record;
    }
  }

  // The bytes of the chunk at `chunk` (quotes `quotes`, line feeds `newlines`, `inside` the
  // bytes of quoted fields, each opening quote included) that make a record something
  // frame_stream does not frame: a line feed inside a quoted field (a field over several
  // lines: likely_swallowed_record decides), an opening quote that does not begin a field,
  // a closing quote followed by anything but a separator, a line feed or a quote (a CRLF
  // line end included: frame() frames such a record). Before an opening quote and after a
  // closing one, a separator, a line feed (outside quotes: a record's end) or a quote (the
  // other half of a "" pair, or a closing quote before an opening one) keeps it regular.
  template <class Chunks>
  [[gnu::always_inline]] std::uint64_t irregular_bytes(const Chunks& chunks, const char* chunk,
                                                       std::uint64_t quotes, std::uint64_t newlines,
                                                       std::uint64_t inside) const {
    const std::uint64_t neighbours = chunks.separators(chunk) | newlines | quotes;
    const std::uint64_t before = neighbours << 1;  // bit i: byte i - 1 is one
    const std::uint64_t after = neighbours >> 1;   // bit i: byte i + 1 is one
    // Inside (opening quotes, line feeds in quoted fields): the line feeds and the quotes
    // not after a neighbour; outside (closing quotes): the quotes not before one. (One
    // selection by `inside` rather than opening and closing quotes apart, and the ends
    // below the first irregular byte without excluding it: 3,037 -> 3,031 instructions
    // per dossier.)
    const std::uint64_t bad_inside = newlines | (quotes & ~before);
    const std::uint64_t bad_outside = quotes & ~after;
    // So far an opening quote first in the chunk and a closing one last are irregular: the
    // bytes outside the chunk tell (edges_cleared, only when a byte is irregular: most
    // chunks have none).
    return ((bad_inside ^ bad_outside) & inside) ^ bad_outside;
  }

  // `irregular` (irregular_bytes) without an opening quote first in the chunk or a closing
  // one last that the byte before or after it makes regular. The stream's first chunk,
  // `first`, begins at a record's start; `last` is the last chunk's start in the buffer (the
  // byte after it is not read yet). Asked only where some byte is irregular (about 600
  // chunks of 40,000 on the bench's campaign have a quote at an edge, fewer an irregular
  // byte), so that the chunks with quotes need one test, which also tells where the stream
  // stops.
  [[gnu::always_inline]] std::uint64_t edges_cleared(std::uint64_t irregular, const char* chunk,
                                                     const char* first, const char* last,
                                                     std::uint64_t quotes,
                                                     std::uint64_t inside) const {
    const auto neighbour = [this](char c) { return c == separator || c == '\n' || c == '"'; };
    if ((irregular & quotes & inside & 1) != 0 && (chunk == first || neighbour(chunk[-1])))
      irregular &= ~std::uint64_t{1};
    if ((irregular & quotes & ~inside) >> 63 != 0 && chunk < last && neighbour(chunk[64]))
      irregular &= ~(std::uint64_t{1} << 63);
    return irregular;
  }

  // What frame_stream appends to and up to where.
  struct Batch {
    std::vector<RawRecord>& records;
    std::size_t count;
    std::size_t max_records;
    std::size_t bytes;
    std::size_t max_bytes;
  };

  // Frames the records from `begin` on as frame() would, a chunk of 64 bytes at a time
  // across records (the state of the quotes carried from one chunk to the next), as long
  // as they are regular on one line each (frame_regular's common case) and end within the
  // chunks whole in the buffer, appending them to `batch`. Stops at its limits, or before a
  // record it does not frame (frame() does: one that is not regular, spans lines, follows
  // an empty line or a CR, or does not end in these chunks), leaving `begin`, `line` and
  // `number` as frame() would have left them after the last one.
  // Against frame() for each record (find_quote_or_newline stopping at each quote and line
  // end, each record's scan starting at its own first byte): 3,064 -> 3,044 instructions
  // per dossier on the bench's campaign (callgrind; framing 304 -> 270 + 16 in
  // frame_batch, most of it the records frame() still frames: 188 of 6,000). The chunks
  // read up to a last one found beforehand, the edges of quotes checked only where a byte
  // is irregular, and the records with a field over several lines framed without leaving
  // the stream: 2,590 -> 2,574 (frame_stream 248 -> 237 with find_quote_or_newline 8 it
  // now calls, frame_batch 16 -> under 3).
  template <class Find>
  [[gnu::always_inline]] void frame_stream(Batch& batch) {
    if (end - begin < 64) return;
    // Room for every record this can append (two bytes each at least: a first byte and a
    // line feed): no call to grow the vector in the loop, whose values then stay in
    // registers.
    std::vector<RawRecord>& records = batch.records;
    records.reserve(records.size() + std::min(batch.max_records - batch.count, (end - begin) / 2));
    const typename Find::Chunks chunks(separator);
    for (;;) {
      const std::size_t size = end - begin;
      if (size < 64) return;
      const char* const stream_start = buffer->data() + begin;
      // The chunks are read up to the last one that holds a quote or a line feed (no record
      // ends after it), found from the last whole chunk backwards: the loop over the chunks
      // then stops on such a chunk without testing where it is, most chunks of a record
      // holding neither. Past kTailChunks chunks without one (a long field at the end of the
      // bytes read, that each stream would look at again), the loop tests where it is.
      const char* const last_whole = stream_start + (size - 64) / 64 * 64;
      const char* final_chunk = last_whole;
      bool bounded = false;
      for (std::size_t tail = 0;; ++tail) {
        std::uint64_t quotes = 0;
        std::uint64_t newlines = 0;
        if (chunks.quotes_and_newlines(final_chunk, quotes, newlines)) break;
        if (final_chunk == stream_start) return;  // neither: no record ends here
        if (tail == kTailChunks) {
          bounded = true;
          final_chunk = last_whole;
          break;
        }
        final_chunk -= 64;
      }
      const bool resume = bounded ? frame_chunks<Find, true>(batch, chunks, final_chunk)
                                  : frame_chunks<Find, false>(batch, chunks, final_chunk);
      if (!resume) return;
    }
  }

  static constexpr std::size_t kTailChunks = 16;

  // frame_stream's loop over the chunks from `begin` to `final_chunk`, which holds a quote
  // or a line feed unless `Bounded`. True when it stopped after a record with a field over
  // several lines, that it framed as frame() does (frame_multi_line, or frame_regular where
  // that does not tell, and the batch not full): the stream resumes after it. (Handed to frame(),
  // such a record cost the stream's end and start again and frame()'s own steps: 163 records of
  // 6,000 on the bench's campaign.)
  template <class Find, bool Bounded>
  [[gnu::always_inline]] bool frame_chunks(Batch& batch, const typename Find::Chunks& chunks,
                                           const char* const final_chunk) {
    const std::size_t size = end - begin;
    const char* const base = buffer->data();
    const char* const stream_start = base + begin;
    const char* const last = stream_start + (size - 64);  // the last chunk's start
    LineAndNumber at(line, number + 1);                   // of the next record
    std::vector<RawRecord>& records = batch.records;
    // The batch is full at this many records (or at the room reserved, which the records
    // the bytes left can make do not fill), or once a record ends after `full`.
    const std::size_t count = records.size();
    const RawRecord* const records_full =
        records.data() + std::min(count + (batch.max_records - batch.count), records.capacity());
    const char* const full = stream_start + std::min(batch.max_bytes - batch.bytes - 1, size);
    const char* start = stream_start;  // of the next record
    std::uint64_t carry = 0;           // all ones when the chunk begins inside a quoted field
    const char* chunk = stream_start;
    // The chunk after which the loop stops: `final_chunk`, or the first with an irregular
    // byte, and whether that byte is a line feed in a quoted field (the record at `start`
    // then has a field over several lines).
    const char* stop_chunk = final_chunk;
    bool multi_line = false;
    bool resume = false;
    for (;;) {
      std::uint64_t quotes = 0;
      std::uint64_t newlines = 0;
      // (Most chunks hold neither: said so, GCC keeps the byte limit of a full batch in a
      // register rather than on the stack, 2,168.0 -> 2,166.9 instructions per dossier,
      // callgrind; the loop rotated by hand, its test made twice, spilled the quote carry
      // instead: 2,171.8.)
      while (!chunks.quotes_and_newlines(chunk, quotes, newlines)) [[likely]] {
          if constexpr (Bounded) {
            if (chunk == stop_chunk) goto handed_over;
          }
          chunk += 64;
        }
      std::uint64_t framed = newlines;
      if ((quotes | carry) != 0) {
        const std::uint64_t inside = chunks.prefix_xor(quotes) ^ carry;
        carry = static_cast<std::uint64_t>(static_cast<std::int64_t>(inside) >> 63);
        std::uint64_t irregular = irregular_bytes(chunks, chunk, quotes, newlines, inside);
        if (irregular != 0) [[unlikely]] {
          irregular = edges_cleared(irregular, chunk, stream_start, last, quotes, inside);
          if (irregular != 0) {
            // The ends before the first irregular byte. (No end is an irregular byte: those
            // are quotes and line feeds in quotes.)
            framed &= irregular - 1;
            stop_chunk = chunk;
            multi_line = (irregular & (0 - irregular) & newlines) != 0;
          }
        }
        // The ends outside quotes, taken after the test for irregular bytes: taken before
        // it, GCC kept them on the stack across the test (a store and a load a chunk with
        // quotes): 2,391 -> 2,384 instructions per dossier (frame_stream_avx2 227 -> 220).
        // By one andn from `inside` hidden from GCC (an empty asm, no instruction): seeing it,
        // GCC shared ~inside with edges_cleared's and made it a not, a move and an and a
        // chunk with quotes: 2,018.3 -> 2,013.8 instructions per dossier (callgrind;
        // frame_stream_avx2 218.3 -> 213.8).
        std::uint64_t outside = inside;
#if defined(__GNUC__)
        asm("" : "+r"(outside));
#endif
        framed &= ~outside;
      }
      while (framed != 0) {
        const char* const stop = chunk + std::countr_zero(framed) + 1;
        framed &= framed - 1;
        // An empty line (LF or CRLF) or a CR first: skip_empty_lines' or parse()'s.
        if (static_cast<unsigned char>(*start) <= '\r') [[unlikely]]
          goto handed_over;
        const RawRecord* const records_end = append_framed(records, at, start, stop);
        at.next();
        start = stop;
        if (records_end == records_full || stop > full) [[unlikely]]
          goto handed_over;
      }
      if (chunk == stop_chunk) break;
      chunk += 64;
    }
    if (multi_line && static_cast<unsigned char>(*start) > '\r') [[unlikely]] {
      std::size_t lines = 0;
      const char* stop =
          frame_multi_line_apart<Find>(start, chunk, carry, stream_start, last, final_chunk, lines);
      if (stop == nullptr) {
        const std::size_t record_end =
            frame_regular_apart<Find>(static_cast<std::size_t>(start - base), lines);
        if (record_end == 0 || record_end == std::string_view::npos) goto handed_over;
        stop = base + record_end;
      }
      append_framed(records, at, start, stop);
      at.next(lines);
      start = stop;
      resume = records.data() + records.size() != records_full && stop <= full;
    }
  handed_over:
    batch.count += records.size() - count;
    batch.bytes += static_cast<std::size_t>(start - stream_start);
    begin += static_cast<std::size_t>(start - stream_start);
    line = at.line();
    number = at.number() - 1;
    return resume;
  }

  // The regular record [start, stop) that frame_chunks framed, at `at`'s line and number, in
  // the room frame_stream reserved. Returns the records' new end, taken before the line and
  // number are stored: that store (of a vector type) may alias the vector's end pointer to
  // GCC, which loaded it again a record for the test of a full batch: 2,192.0 -> 2,190.2
  // instructions per dossier (callgrind; frame_stream_avx2 219.1 -> 217.1).
  [[gnu::always_inline]] static const RawRecord* append_framed(std::vector<RawRecord>& records,
                                                               const LineAndNumber& at,
                                                               const char* start,
                                                               const char* stop) {
    if (records.size() == records.capacity()) __builtin_unreachable();  // reserved
    // (Braces: clang 14, which builds the sanitized and fuzzing targets, has no aggregate
    // initialisation from parentheses.)
    RawRecord& raw = records.emplace_back(RawRecord{
        std::string_view(start, static_cast<std::size_t>(stop - start)), 0, 0, true, false});
    const RawRecord* const records_end = &raw + 1;
    at.store_into(raw);
    return records_end;
  }

  // The end of the record at `start`, whose first irregular byte (irregular_bytes) is a line
  // feed in a quoted field, in the chunk at `chunk` (`carry` the quote state after it), framed
  // by the chunks' masks up to `final_chunk` at most as frame_regular would, `lines` its line
  // ends: regular when no other byte before its end is irregular and none of its inner lines
  // may read as a record (inner_line_may_read; likely_swallowed_field then says No). Else
  // nullptr: frame_regular decides. `first` and `last` as for edges_cleared.
  // From the chunk of the first line feed on, rather than frame_regular from the record's
  // start (find_quote_or_newline at each quote and line end, then likely_swallowed_field):
  // 2,028.0 -> 2,020.8 instructions per dossier (callgrind; frame_regular_avx2 12.8 and
  // swallowed_record 2.4 -> frame_multi_line_avx2 7.5, memchr 3.8 -> 3.0; frame_stream_avx2
  // 218.0 -> 219.3). Going on in the stream after such a record rather than starting it
  // again: 2,021.8 (the call in the loop cost GCC registers there, 4 instructions a record).
  template <class Find>
  [[gnu::always_inline]] const char* frame_multi_line(const char* start, const char* chunk,
                                                      std::uint64_t carry, const char* first,
                                                      const char* last, const char* final_chunk,
                                                      std::size_t& lines) const {
    const typename Find::Chunks chunks(separator);
    const char* const e = buffer->data() + end;
    std::uint64_t quotes = 0;
    std::uint64_t newlines = 0;
    chunks.quotes_and_newlines(chunk, quotes, newlines);
    carry ^= 0 - static_cast<std::uint64_t>(std::popcount(quotes) & 1);  // before the chunk
    // The bytes from the record's start on (none before it in the chunk is irregular).
    std::uint64_t from = start > chunk ? ~std::uint64_t{0} << (start - chunk) : ~std::uint64_t{0};
    std::size_t count = 1;
    for (;;) {
      const std::uint64_t inside = chunks.prefix_xor(quotes) ^ carry;
      carry = static_cast<std::uint64_t>(static_cast<std::int64_t>(inside) >> 63);
      std::uint64_t irregular = irregular_bytes(chunks, chunk, quotes, newlines, inside);
      if (irregular != 0) irregular = edges_cleared(irregular, chunk, first, last, quotes, inside);
      const std::uint64_t ends = newlines & ~inside & from;
      // The record's irregular bytes, before its end: only line feeds in quoted fields
      // (newlines & irregular), each before an inner line that may not read as a record.
      const std::uint64_t own = irregular & from & ((ends & (0 - ends)) - 1);
      if ((own & ~newlines) != 0) return nullptr;
      for (std::uint64_t lfs = own; lfs != 0; lfs &= lfs - 1)
        if (inner_line_may_read(chunk + std::countr_zero(lfs), e, separator)) return nullptr;
      count += static_cast<std::size_t>(std::popcount(own));
      if (ends != 0) {
        lines = count;
        return chunk + std::countr_zero(ends) + 1;
      }
      if (chunk == final_chunk) return nullptr;
      chunk += 64;
      from = ~std::uint64_t{0};
      quotes = 0;
      newlines = 0;
      chunks.quotes_and_newlines(chunk, quotes, newlines);
    }
  }

  // frame_multi_line out of line (rare: 3 % of the bench's records), for each instruction set.
  template <class Find>
  const char* frame_multi_line_apart(const char* start, const char* chunk, std::uint64_t carry,
                                     const char* first, const char* last, const char* final_chunk,
                                     std::size_t& lines) const {
#if defined(TAMIS_AVX512_DISPATCH)
    if constexpr (std::is_same_v<Find, Avx2Find>) {
      return frame_multi_line_avx2(start, chunk, carry, first, last, final_chunk, lines);
    } else if constexpr (std::is_same_v<Find, Avx512Find>) {
      return frame_multi_line_avx512(start, chunk, carry, first, last, final_chunk, lines);
    } else {
      return frame_multi_line_sse2(start, chunk, carry, first, last, final_chunk, lines);
    }
#else
    return frame_multi_line_sse2(start, chunk, carry, first, last, final_chunk, lines);
#endif
  }
  [[gnu::noinline]] const char* frame_multi_line_sse2(const char* start, const char* chunk,
                                                      std::uint64_t carry, const char* first,
                                                      const char* last, const char* final_chunk,
                                                      std::size_t& lines) const {
    return frame_multi_line<Sse2Find>(start, chunk, carry, first, last, final_chunk, lines);
  }
#if defined(TAMIS_AVX512_DISPATCH)
  [[gnu::noinline]] TAMIS_TARGET_AVX2 const char* frame_multi_line_avx2(
      const char* start, const char* chunk, std::uint64_t carry, const char* first,
      const char* last, const char* final_chunk, std::size_t& lines) const {
    return frame_multi_line<Avx2Find>(start, chunk, carry, first, last, final_chunk, lines);
  }
  [[gnu::noinline]] TAMIS_TARGET_AVX512 const char* frame_multi_line_avx512(
      const char* start, const char* chunk, std::uint64_t carry, const char* first,
      const char* last, const char* final_chunk, std::size_t& lines) const {
    return frame_multi_line<Avx512Find>(start, chunk, carry, first, last, final_chunk, lines);
  }
#endif

  // frame_regular for frame_stream's records with a field over several lines that
  // frame_multi_line does not frame, out of line with `find` inlined (inlined into the stream, it
  // called find_quote_or_newline for each quote and line end): 2,574 -> 2,572 instructions per
  // dossier (frame_stream_avx2 236.6
  // -> 230.1, frame_regular_avx2 13.0 against find_quote_or_newline's 8.4).
  template <class Find>
  std::size_t frame_regular_apart(std::size_t from, std::size_t& lines) const {
#if defined(TAMIS_AVX512_DISPATCH)
    if constexpr (std::is_same_v<Find, Avx2Find>) {
      return frame_regular_avx2(from, lines);
    } else if constexpr (std::is_same_v<Find, Avx512Find>) {
      return frame_regular_avx512(from, lines);
    } else {
      return frame_regular_sse2(from, lines);
    }
#else
    return frame_regular_sse2(from, lines);
#endif
  }
  [[gnu::noinline]] std::size_t frame_regular_sse2(std::size_t from, std::size_t& lines) const {
    return frame_regular(from, lines, Sse2Find{});
  }
#if defined(TAMIS_AVX512_DISPATCH)
  [[gnu::noinline]] TAMIS_TARGET_AVX2 std::size_t frame_regular_avx2(std::size_t from,
                                                                     std::size_t& lines) const {
    return frame_regular(from, lines, Avx2Find{});
  }
  [[gnu::noinline]] TAMIS_TARGET_AVX512 std::size_t frame_regular_avx512(std::size_t from,
                                                                         std::size_t& lines) const {
    return frame_regular(from, lines, Avx512Find{});
  }
#endif

  // frame_stream for each instruction set, out of line: its loop inlined into frame_batch
  // (with frame()) kept fewer of its values in registers (a first version: 371 instructions
  // per dossier inlined, 327 out of line, callgrind).
  [[gnu::noinline]] void frame_stream_sse2(Batch& batch) {
    frame_stream<Sse2Find>(batch);
  }
#if defined(TAMIS_AVX512_DISPATCH)
  [[gnu::noinline]] TAMIS_TARGET_AVX2 void frame_stream_avx2(Batch& batch) {
    frame_stream<Avx2Find>(batch);
  }
  [[gnu::noinline]] TAMIS_TARGET_AVX512 void frame_stream_avx512(Batch& batch) {
    frame_stream<Avx512Find>(batch);
  }
#endif

  // next_raws' loop, with `find` inlined: records framed by `stream` (frame_stream), and
  // those it does not frame by frame(), one at a time.
  template <class Find>
  [[gnu::always_inline]] bool frame_batch(std::vector<RawRecord>& records, std::size_t max_records,
                                          std::size_t& bytes, std::size_t max_bytes,
                                          std::vector<std::shared_ptr<const void>>& held, Find find,
                                          void (Impl::*stream)(Batch&)) {
    // The count, the bytes and the last buffer held in locals, written back at the end.
    Batch batch{records, records.size(), max_records, bytes, max_bytes};
    const void* last_held = held.empty() ? nullptr : held.back().get();
    bool more = true;
    while (batch.count < max_records && batch.bytes < max_bytes) {
      const std::size_t count = batch.count;
      (this->*stream)(batch);
      if (batch.count != count && last_held != buffer.get()) {
        held.push_back(record_buffer);
        last_held = buffer.get();
      }
      if (batch.count >= max_records || batch.bytes >= max_bytes) break;
      // Framed here, then copied in: a record made in place in `records` (and taken back
      // at the end) cost 5 instructions per dossier more.
      RawRecord raw;
      if (frame(raw, find) != ParseStatus::Record) {
        more = false;
        break;
      }
      records.push_back(raw);
      ++batch.count;
      batch.bytes += raw.bytes.size();
      if (last_held != buffer.get()) {
        held.push_back(record_buffer);
        last_held = buffer.get();
      }
    }
    bytes = batch.bytes;
    return more;
  }

  // frame_batch for each instruction set: called through a pointer, find_quote_or_newline
  // cost a call for each quote and line end (4,836 against 4,805 instructions per dossier).
  bool frame_batch_sse2(std::vector<RawRecord>& records, std::size_t max_records,
                        std::size_t& bytes, std::size_t max_bytes,
                        std::vector<std::shared_ptr<const void>>& held) {
    return frame_batch(records, max_records, bytes, max_bytes, held, Sse2Find{},
                       &Impl::frame_stream_sse2);
  }
#if defined(TAMIS_AVX512_DISPATCH)
  TAMIS_TARGET_AVX2 bool frame_batch_avx2(std::vector<RawRecord>& records, std::size_t max_records,
                                          std::size_t& bytes, std::size_t max_bytes,
                                          std::vector<std::shared_ptr<const void>>& held) {
    return frame_batch(records, max_records, bytes, max_bytes, held, Avx2Find{},
                       &Impl::frame_stream_avx2);
  }
  TAMIS_TARGET_AVX512 bool frame_batch_avx512(std::vector<RawRecord>& records,
                                              std::size_t max_records, std::size_t& bytes,
                                              std::size_t max_bytes,
                                              std::vector<std::shared_ptr<const void>>& held) {
    return frame_batch(records, max_records, bytes, max_bytes, held, Avx512Find{},
                       &Impl::frame_stream_avx512);
  }
#endif
};

namespace {

// Makes the optimizer forget what it knows of `value`'s contents, with no instruction: where
// a branch's test tells GCC that a variable kept in a register is zero, it writes a zero
// into that register on the branch (a phi made a constant), one instruction each time.
template <class T>
[[gnu::always_inline]] inline void forget_contents(T& value) {
#if defined(__GNUC__)
  asm("" : "+r"(value));
#else
  (void)value;
#endif
}

// `bits` shifted right by one, and whether the bit shifted out was set, in one instruction
// (a shift sets the carry flag to that bit): GCC tests the bit, then shifts, one instruction
// more for each field the splitter passes (2,590 -> 2,569 instructions per dossier,
// callgrind; split_wanted_avx2 778 -> 758).
[[gnu::always_inline]] inline bool shift_out_low_bit(std::uint64_t& bits) {
#if defined(__GCC_ASM_FLAG_OUTPUTS__) && defined(__x86_64__)
  bool carry;
  asm("shr %0" : "+r"(bits), "=@ccc"(carry));
  return carry;
#else
  const bool low = (bits & 1) != 0;
  bits >>= 1;
  return low;
#endif
}

// `a | b` into `a`, and whether it is not zero, from the flags of the OR: GCC, told by its test
// that `b` is zero where it is, wrote that zero again into b's register there.
[[gnu::always_inline]] inline bool or_nonzero(std::uint64_t& a, std::uint64_t b) {
#if defined(__GCC_ASM_FLAG_OUTPUTS__) && defined(__x86_64__)
  bool nonzero;
  asm("or %2, %0" : "+r"(a), "=@ccnz"(nonzero) : "r"(b));
  return nonzero;
#else
  a |= b;
  return a != 0;
#endif
}

// The n bytes at `from` (1 to 63) copied to the end of `block`, spaces before them (no NUL
// byte), by copies of fixed sizes that overlap rather than by calls to memset and memcpy:
// a call in the splitter made it save vector registers on an aligned stack, for every record.
[[gnu::always_inline]] inline void copy_to_block_end(char (&block)[64], const char* from,
                                                     std::size_t n) {
  std::memset(block, ' ', 64);
  char* const to = block + 64 - n;
  const auto copy_ends = [&](auto size) __attribute__((always_inline)) {
    std::memcpy(to, from, size);
    std::memcpy(block + 64 - size, from + n - size, size);
  };
  if (n >= 32) {
    copy_ends(std::integral_constant<std::size_t, 32>{});
  } else if (n >= 16) {
    copy_ends(std::integral_constant<std::size_t, 16>{});
  } else if (n >= 8) {
    copy_ends(std::integral_constant<std::size_t, 8>{});
  } else if (n >= 4) {
    copy_ends(std::integral_constant<std::size_t, 4>{});
  } else {
    to[0] = from[0];  // written out: a loop GCC makes a call to memcpy
    if (n > 1) to[1] = from[1];
    if (n > 2) to[2] = from[2];
  }
}

// The fields among `views[0, count)` that `marked` sets the bit of (all of them when there
// are more than 64) and that were quoted, with "" pairs in their content unescaped into
// `unescaped`: the splitter stores a quoted field's content as the bytes between its quotes, and
// calls this after its last chunk when the record has two quotes side by side. A quoted field's
// view is just after its opening quote; an unquoted one's at the record's start or just after a
// separator (never a quote). In a regular record, a quote within a field's content is the first
// of a "" pair.
// The contents are read and written 16 bytes a step (the bytes past a quote written again by
// the next step), into `unescaped` sized beforehand for the whole record and 16 bytes more, and
// never shrunk here: no memchr call a field nor string append a pair, 2,176.0 -> 2,171.3
// instructions per dossier (callgrind); a step ending at the field's closing quote rather than
// at its size (no mask of the bytes left, no flag of pairs seen), 2,171.3 -> 2,168.0.
[[gnu::noinline]] void unescape_quoted_fields(const char* base, std::size_t record_size,
                                              std::string_view* views, std::size_t count,
                                              std::uint64_t marked, std::string& unescaped) {
  // (No view of this record is in it yet: resized before any.)
  if (unescaped.size() < record_size + 16) unescaped.resize(record_size + 16);
  char* out = unescaped.data();
  const char* const record_end = base + record_size;
  // The last place 16 bytes can be read from (before the record when it is shorter).
  const char* const last16 = record_end - 16;
  const auto unescape = [&](std::size_t i) {
    const std::string_view view = views[i];
    const char* from = view.data();
    if (from[-1] != '"') return;  // (the first field, when at the record's start, left out)
    // The field's closing quote: the first quote at or after `from` that no quote just
    // follows; so a step that reaches it finds a quote, and the one step of most fields ends
    // at the first quote it finds.
    const char* const to = from + view.size();
    char* at = out;
    for (;;) {
#if defined(__SSE2__)
      if (from <= last16) [[likely]] {
        const __m128i bytes = scan::detail::load16(from);
        const auto quotes =
            static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'))));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(at), bytes);
        if (quotes == 0) {
          from += 16;
          at += 16;
          continue;
        }
        const auto k = static_cast<unsigned>(std::countr_zero(quotes));
        at += k;
        if (from + k == to) break;
        from += k + 2;  // past the pair
        ++at;           // one quote kept
        continue;
      }
#endif
      // The record's last bytes (or no SSE2): one at a time.
      if (from == to) break;
      const char c = *from;
      *at++ = c;
      from += c == '"' ? 2 : 1;
    }
    // No pair: a view of the record's bytes, as it was.
    if (static_cast<std::size_t>(at - out) == view.size()) return;
    views[i] = std::string_view(out, static_cast<std::size_t>(at - out));
    out = at;
  };
  // Only the first field's view can be at the record's start, where no byte is before it:
  // tested once rather than for each field (2,166.9 -> 2,166.0 instructions per dossier,
  // callgrind).
  const std::size_t first = count != 0 && views[0].data() == base ? 1 : 0;
  if (count > 64) {
    for (std::size_t i = first; i < count; ++i) unescape(i);
    return;
  }
  if (count < 64) marked &= (std::uint64_t{1} << count) - 1;
  for (marked &= ~std::uint64_t{first}; marked != 0; marked &= marked - 1)
    unescape(static_cast<unsigned>(std::countr_zero(marked)));
}

using WantedLeft = RecordSplitter::WantedLeft;

// Splits a record framed as regular (RawRecord::regular) into `fields`, as
// parse_record would, in one pass over its bytes, 64 at a time (scan::chunk_masks).
// In such a record a quote only opens a field, closes it, or is half of a "" pair
// inside it, so the bytes within quotes are those where the running XOR of the quote
// mask is set (scan::prefix_xor), and the other separators end fields: no branch per
// quote. NUL and non-ASCII bytes are noted on the way.
// UTF-8 is checked on the way too, while the text holds only ASCII and two-byte
// sequences (scan::utf8_masks).
// The only errors such a record can have are in its bytes: returns whether they need
// check_bytes (a NUL byte, or invalid UTF-8).
// Against the previous splitter (16 bytes a step, a branch per quote and per block
// of separators, UTF-8 checked in a second pass): 2,626 → 1,819 instructions per
// dossier on the bench's campaign (callgrind), and 1,000,000 rows on one thread in
// 2.51 → 2.19 s before UTF-8 was checked in the same pass (means of 4 alternate runs).
//
// With kWanted, only the fields that `wanted` marks are stored (WantedFields); the others
// are only counted: `fields` gets the record's field count as its size, and the views of
// the fields not wanted are left as they were (RecordSplitter::read_only). What is left to do
// is returned (RecordSplitter::WantedLeft): SplitWhole for a record of another field count
// than wanted.count, and for a record with a chunk whose bytes the masks do not find valid (a
// sequence of four bytes, a lead E0 or ED, or invalid UTF-8): the caller splits such a record
// whole again to check it; Unescape when the wanted quoted fields may hold "" pairs. So no
// chunk calls a function: the values the loop over chunks keeps stay in registers, none saved
// around a call (3,064 -> 3,040 instructions per dossier, callgrind; split_wanted_avx2 928 ->
// 895).
//
// kCountAfterLast (with kWanted): once no field after is wanted, a chunk's fields are counted
// by a popcount; without it, they are passed one by one as the fields not wanted before: the
// test a chunk costs more than the fields it saves when few fields follow the last wanted one
// (RecordSplitter::read_only chooses).
template <class Scan, bool kWanted = false, bool kCountAfterLast = true>
[[gnu::always_inline]] inline std::conditional_t<kWanted, WantedLeft, bool> split_regular_with(
    std::string_view bytes, char separator, std::string& unescaped,
    std::vector<std::string_view>& fields, char (&short_record)[64],
    const WantedFields& wanted = {}) {
  const char* const base = bytes.data();
  const std::size_t n = bytes.size();
  // The chunks are read to the end of the bytes, line end included: its CR and LF are no
  // separator, quote nor high byte to the masks. The line end ("\n", "\r\n", or "\r" ending
  // the input) is only taken off the last field (content_end), where it is no part of it: no
  // test of the last bytes a record where that field is not read. Bounded by the last field's
  // start, which the loop keeps, rather than by the record's, that the splitter of wanted
  // fields then no longer keeps after its last chunk; with the field count checked against
  // one address made before the chunks (last_view_at) and the "" pairs unescaped by the
  // caller (RecordSplitter::WantedLeft): 2,190.2 -> 2,179.3 instructions per dossier
  // (callgrind; split_wanted_to_end_avx2 721.2 -> 709.4).
  const char* const record_end = base + n;
  const auto content_end = [&](const char* last_field_start) __attribute__((always_inline)) {
    const char* end = record_end;
    if (end != last_field_start && end[-1] == '\n') --end;
    if (end != last_field_start && end[-1] == '\r') --end;
    return end;
  };
  // kWanted: the wanted bits of the fields from the one that ends at the next end on, whose
  // view is at the address `wanted_at` (stored only while it is wanted, below wanted.limit:
  // within `fields`, of wanted.count views; an address rather than a pointer, as it goes on
  // past the last wanted field, and past the vector's end in a record of more fields than
  // wanted.count); `counted`: the fields ended since none is wanted any more.
  std::uint64_t wanted_next = wanted.bits;
  if constexpr (kWanted) {
    // The size a record so split gives `fields`, made here (the last record most often
    // left it so) rather than checked after the last chunk.
    // (In bytes: the vector's size is that of its pointers, with no shifts.)
    if (reinterpret_cast<std::uintptr_t>(fields.data() + fields.size()) -
            reinterpret_cast<std::uintptr_t>(fields.data()) !=
        wanted.count_bytes) [[unlikely]]
      fields.resize(wanted.count);
  }
  auto wanted_at = reinterpret_cast<std::uintptr_t>(fields.data());
  // kWanted: where `wanted_at` is at the last field of a record of wanted.count fields. (One
  // value kept through the chunks: GCC kept the fields' start and wanted.count_bytes apart,
  // 2,179.3 -> 2,177.2 instructions per dossier, callgrind.)
  std::uintptr_t last_view_at = wanted_at + wanted.count_bytes - sizeof(std::string_view);
  if constexpr (kWanted) forget_contents(last_view_at);
  const auto view_at = [](std::uintptr_t address) {
    return reinterpret_cast<std::string_view*>(address);
  };
  std::size_t counted = 0;
  // Fields are written through a cursor into `fields` as the last record left it, grown
  // when a record has more: no size and capacity loaded and stored back per field.
  std::string_view* out = fields.data();
  std::string_view* limit = out + fields.size();
  // Places in the record as pointers, not indexes: a field's view is then its start and
  // the difference to its end, and the loop over chunks keeps one variable (the chunk's
  // first byte) where indexes made it keep two beside the record's start.
  const char* field_start = base;
  // Two quotes side by side so far (a "" pair, or an empty quoted field): until there
  // is one, a quoted field's content is the bytes between its quotes, with nothing to
  // unescape (no call, no search for a quote inside).
  std::uint64_t quote_pairs = 0;
  // The field [start, end) into `*at`, `quoted` when its first byte is a quote: then its
  // content, the bytes between its quotes, with its "" pairs, if any, unescaped after the
  // last chunk (unescape_quoted_fields), so that no chunk calls a function.
  const auto store = [&](std::string_view * at, const char* start, const char* end, bool quoted)
      __attribute__((always_inline)) {
    if (quoted) {
      *at = std::string_view(start + 1, static_cast<std::size_t>(end - start - 2));
    } else {
      *at = std::string_view(start, static_cast<std::size_t>(end - start));
    }
  };
  // The field from field_start to `end`, `quoted` when its first byte is a quote.
  const auto field = [&](const char* end, bool quoted) __attribute__((always_inline)) {
    if (out == limit) [[unlikely]] {
      const auto written = static_cast<std::size_t>(out - fields.data());
      fields.resize(std::max<std::size_t>(2 * written, 32));
      out = fields.data() + written;
      limit = fields.data() + fields.size();
    }
    store(out++, field_start, end, quoted);
    field_start = end + 1;
  };
  // kWanted: the fields that the set bits of `ends` (a chunk's field ends, from `chunk`)
  // end; a field not wanted costs its bit and no store nor quote test, and once no field
  // after is wanted, a chunk's fields are only counted. `may_quote`: false when no field
  // ending here can be quoted.
  const auto take_wanted = [&](std::uint64_t ends, const char* chunk, bool may_quote)
      __attribute__((always_inline)) {
    if (kCountAfterLast && wanted_next == 0) {
      counted += static_cast<unsigned>(std::popcount(ends));
      return;
    }
    for (; ends != 0; ends &= ends - 1) {
      const auto at = static_cast<std::size_t>(std::countr_zero(ends));
      if (shift_out_low_bit(wanted_next))
        store(view_at(wanted_at), field_start, chunk + at, may_quote && *field_start == '"');
      // The next field's start in one address computation from the chunk and the offset, as a
      // stored field's end, rather than from that end (the offset made opaque, so that GCC
      // does not make the end first again): where the end was made first for both, a field
      // not wanted cost an addition more, 2,011.5 -> 2,003.4 instructions per dossier
      // (callgrind); and a stored one a copy of the end, 2,003.4 -> 1,987.5
      // (split_wanted_to_end_avx2 680.5 -> 664.6).
      std::size_t past = at;
      forget_contents(past);
      field_start = chunk + past + 1;
      wanted_at += sizeof(std::string_view);
    }
  };
  // Without kWanted: of all the record's bytes (some read twice: the last ones).
  typename Scan::NulSeen nul;
  // UTF-8 is checked chunk by chunk while the chunk holds only ASCII and two-byte
  // sequences (scan::utf8_masks); a chunk that holds others (’, –, €) is checked
  // sequence by sequence (text::first_invalid_utf8), and the chunks after it by masks
  // again.
  bool utf8_bad = false;
  const char* checked_to = base;  // the end of the last run checked sequence by sequence
  // The continuation bytes expected at the start of the chunk: 1 when the previous chunk
  // ends with a lead byte, or those the run checked with it took.
  std::uint64_t lead_at_end = 0;
  std::uint64_t in_quotes = 0;     // all ones when the chunk starts inside quotes
  std::uint64_t quote_at_end = 0;  // 1 when the previous chunk ends with a quote
  // The 64 bytes at bytes64, whose bits from `shift` on stand for the bytes of the record
  // from `chunk` on. Inlined twice: for whole chunks (no shift) and for the last bytes.
  // False (kWanted only) at the first chunk the masks do not find valid UTF-8: the caller
  // splits such a record again whole to check it (RecordSplitter::split), so its fields here
  // are left unfinished and no chunk tests a flag of bad bytes nor calls the check sequence
  // by sequence: 3,524 -> 3,504 instructions per dossier (callgrind), then 3,046 -> 3,040.
  const auto split_chunk = [&](const char* bytes64, const char* chunk, unsigned shift)
      __attribute__((always_inline)) {
    // kWanted: a NUL byte is a high byte to the masks (scan::chunk_masks_nul_high), which no
    // UTF-8 mask explains: its chunk is handed back too, and no chunk keeps a NulSeen (two
    // minimums and a copy a chunk): 2,394 -> 2,384 instructions per dossier (callgrind;
    // split_wanted_to_end_avx2 733 -> 722.5).
    scan::ChunkMasks m;
    if constexpr (kWanted) {
      m = Scan::chunk_masks_nul_high(bytes64, separator);
    } else {
      m = Scan::chunk_masks(bytes64, separator);
      nul.add(bytes64);
    }
    m = {m.separator >> shift, m.high >> shift};
    // The continuation bytes the chunk must start with are high bytes when it is valid: in
    // `high`, one test says whether the chunk has bytes to check (no copy of either kept).
    // (By or_nonzero: where no byte is high, lead_at_end is zero and kept as it is, not
    // copied again from the OR's zero: 2,013.8 -> 2,011.5 instructions per dossier, callgrind.)
    std::uint64_t high = m.high;
    if (or_nonzero(high, lead_at_end) && (kWanted || !utf8_bad)) {
      const scan::Utf8Masks u = Scan::utf8_masks(bytes64);
      const std::uint64_t lead2 = u.lead2 >> shift;
      const std::uint64_t continuation = u.continuation >> shift;
      // Where continuation bytes must be with two-byte sequences alone; and the carry to the
      // next chunk set before the test, so that a valid chunk (most) has nothing more to do.
      const std::uint64_t expected = (lead2 << 1) | lead_at_end;
      lead_at_end = lead2 >> 63;
      if ((lead2 | continuation) != high || continuation != expected) {
        if (const std::uint64_t lead3 = Scan::utf8_lead3(bytes64) >> shift;
            (lead2 | lead3 | continuation) == high &&
            continuation == (expected | (lead3 << 1) | (lead3 << 2))) {
          // Three-byte sequences too (’, –, €: scan::utf8_lead3), by masks as well: checked
          // sequence by sequence, they cost 3,433 -> 3,446 instructions per dossier (callgrind).
          // The continuation bytes the chunk's last sequence takes from the next one.
          lead_at_end |= (lead3 >> 62) | (lead3 >> 63);
        } else {
          // kWanted: the caller splits the record again whole to check it.
          if constexpr (kWanted) return false;
          // From the start of the sequence the chunk before cut (its lead byte, one or two
          // bytes back), or the end of the run checked with it, through the end of the
          // sequence this chunk cuts (at most three continuation bytes past it). (Bit 0 of
          // `expected` is set when continuation bytes were expected at the chunk's start.)
          const char* from = chunk;
          if (checked_to > chunk) {
            from = checked_to;
          } else if ((expected & 1) != 0) {
            do --from;
            while ((static_cast<unsigned char>(*from) & 0xC0u) == 0x80u);
          }
          const char* to = record_end - chunk > 64 ? chunk + 64 : record_end;
          while (to < record_end && to - chunk < 67 &&
                 (static_cast<unsigned char>(*to) & 0xC0u) == 0x80u)
            ++to;
          utf8_bad =
              text::first_invalid_utf8({from, static_cast<std::size_t>(to - from)}).has_value();
          checked_to = to;
          // The continuation bytes so taken from the next chunk are the ones it expects.
          lead_at_end = to - chunk > 64 ? (std::uint64_t{1} << (to - chunk - 64)) - 1 : 0;
        }
      }
    }
    std::uint64_t ends = m.separator;
    if (in_quotes == quote_at_end && !Scan::any_quote(bytes64)) {
      // No quote in the chunk nor just before it: no field that ends here is quoted (its
      // closing quote would be just before its end). Asked before the quote mask is made,
      // which about two chunks in three do not need: 2,981 -> 2,967 instructions per
      // dossier (callgrind; split_wanted_avx2 838 -> 824). Both quote variables are zero
      // here, kept as they are rather than zeroed again: 2,384.1 -> 2,382.7 (callgrind).
      // Tested as equal (in_quotes is 0 or all ones, quote_at_end 0 or 1: equal only when both
      // are zero), one compare where their OR was a copy and an OR; and from it GCC no longer
      // learns that each is zero, which made it copy the OR's zero into both here: 2,028.0 ->
      // 2,013.8 instructions per dossier (callgrind; split_wanted_to_end_avx2 705 -> 690.9).
      forget_contents(in_quotes);
      forget_contents(quote_at_end);
      if constexpr (kWanted) {
        take_wanted(ends, chunk, false);
        return true;
      }
      for (; ends != 0; ends &= ends - 1) field(chunk + std::countr_zero(ends), false);
      return true;
    }
    // (Bytes before `chunk` read again, in the last chunk, may hold a quote: the mask
    // shifted may have none.)
    const std::uint64_t quote = Scan::quote_mask(bytes64) >> shift;
    quote_pairs |= quote & ((quote << 1) | quote_at_end);
    quote_at_end = quote >> 63;
    const std::uint64_t inside = Scan::prefix_xor(quote) ^ in_quotes;
    in_quotes = std::uint64_t{0} - (inside >> 63);
    ends &= ~inside;
    if constexpr (kWanted) {
      take_wanted(ends, chunk, true);
      return true;
    }
    for (; ends != 0; ends &= ends - 1)
      // A field that a separator ends has a first byte (maybe that separator).
      field(chunk + std::countr_zero(ends), *field_start == '"');
    return true;
  };
  // What a chunk whose bytes the masks do not find valid returns (kWanted only).
  const auto handed_back = [] {
    if constexpr (kWanted) {
      return WantedLeft::SplitWhole;
    } else {
      return true;
    }
  }();
  const char* chunk = base;
  if (n >= 64) {
    const char* const last = record_end - 64;
    do {
      if (!split_chunk(chunk, chunk, 0)) return handed_back;
      chunk += 64;
    } while (chunk <= last);
  }
  if (chunk < record_end) {
    // The last bytes, fewer than 64, are the top bits of the 64 bytes that end the
    // record (read again, never past its end), shifted down to bit 0; a record shorter
    // than 64 bytes is copied first to the end of a 64-byte block.
    const auto shift = static_cast<unsigned>(64 - (record_end - chunk));
    // (One call of split_chunk for both: its code inlined once for them.)
    const char* last64 = short_record;
    if (n >= 64) [[likely]]
      last64 = record_end - 64;
    else
      copy_to_block_end(short_record, base, n);
    if (!split_chunk(last64, chunk, shift)) return handed_back;
  }
  if constexpr (kWanted) {
    if ((wanted_next & 1) != 0) {
      const char* const end = content_end(field_start);
      store(view_at(wanted_at), field_start, end, field_start < end && *field_start == '"');
    }
    // Another field count, checked by the address of the last field's view (no division), or
    // a lead byte that ends the record: one test for both (2,177.2 -> 2,176.0 instructions per
    // dossier, callgrind).
    if ((((wanted_at + counted * sizeof(std::string_view)) ^ last_view_at) | lead_at_end) != 0)
        [[unlikely]]
      return WantedLeft::SplitWhole;
    // (A NUL byte handed its chunk back.)
    return quote_pairs != 0 ? WantedLeft::Unescape : WantedLeft::None;
  } else {
    const char* const end = content_end(field_start);
    field(end, field_start < end && *field_start == '"');
    fields.resize(static_cast<std::size_t>(out - fields.data()));  // smaller or the same: no copy
    if (quote_pairs != 0) [[unlikely]]
      unescape_quoted_fields(base, n, fields.data(), fields.size(), ~std::uint64_t{0}, unescaped);
    if (lead_at_end != 0) utf8_bad = true;  // a lead byte ends the record
    return nul.any() || utf8_bad;
  }
}

// GCC replaces the value a loop over a chunk's field ends leaves in the field cursor by the
// cursor before it plus the popcount of the ends (the final value replacement of its scalar
// evolution pass), which costs a copy of the cursor and of the ends, a popcount, a shift and
// an add a chunk where keeping the cursor's register costs nothing: turned off for the
// splitter, 3,015 -> 2,981 instructions per dossier (callgrind; split_wanted_avx2 872 -> 838).
// The AVX2 splitter reads its constants (scan::avx2::utf8_constants, chunk_constants) as the
// memory operands of the instructions that use them: GCC's loop invariant motion (on GIMPLE,
// then on RTL) loaded five of them into registers before the loop over chunks, five
// instructions a record for no fewer in the loop (2,569 -> 2,564 instructions per dossier,
// callgrind; split_wanted_avx2 757.5 -> 752.5).
#if defined(__GNUC__) && !defined(__clang__)
#define TAMIS_KEEP_LOOP_EXITS __attribute__((optimize("no-tree-scev-cprop")))
#define TAMIS_KEEP_LOOP_EXITS_AND_CONSTANTS \
  __attribute__((optimize("no-tree-scev-cprop", "no-tree-loop-im", "no-move-loop-invariants")))
#else
#define TAMIS_KEEP_LOOP_EXITS
#define TAMIS_KEEP_LOOP_EXITS_AND_CONSTANTS
#endif

// split_regular_with for each instruction set: SSE2 (every x86-64 processor), AVX2
// and AVX-512 when the processor has them (RecordSplitter chooses). AVX-512 against
// SSE2 on 1,000,000 rows, one thread: 1.318 → 1.236 s of user time (means of 5
// alternate runs). Valgrind does not run AVX-512: callgrind counts the AVX2 path.
struct Sse2Scan {
  using NulSeen = scan::NulSeen;
  static std::uint64_t prefix_xor(std::uint64_t x) { return scan::prefix_xor(x); }
  static scan::ChunkMasks chunk_masks(const char* p, char separator) {
    return scan::chunk_masks(p, separator);
  }
  static scan::ChunkMasks chunk_masks_nul_high(const char* p, char separator) {
    return scan::chunk_masks_nul_high(p, separator);
  }
  static std::uint64_t quote_mask(const char* p) { return scan::quote_mask(p); }
  static bool any_quote(const char* p) { return scan::any_quote(p); }
  static scan::Utf8Masks utf8_masks(const char* p) { return scan::utf8_masks(p); }
  static std::uint64_t utf8_lead3(const char* p) { return scan::utf8_lead3(p); }
};

TAMIS_KEEP_LOOP_EXITS bool split_regular_sse2(std::string_view bytes, SplitState& state,
                                              std::vector<std::string_view>& fields) {
  return split_regular_with<Sse2Scan>(bytes, state.separator, state.unescaped, fields,
                                      state.short_record);
}

TAMIS_KEEP_LOOP_EXITS WantedLeft split_wanted_sse2(std::string_view bytes, SplitState& state,
                                                   std::vector<std::string_view>& fields) {
  return split_regular_with<Sse2Scan, true>(bytes, state.separator, state.unescaped, fields,
                                            state.short_record, state.wanted);
}

TAMIS_KEEP_LOOP_EXITS WantedLeft split_wanted_to_end_sse2(std::string_view bytes, SplitState& state,
                                                          std::vector<std::string_view>& fields) {
  return split_regular_with<Sse2Scan, true, false>(bytes, state.separator, state.unescaped, fields,
                                                   state.short_record, state.wanted);
}

#if defined(TAMIS_AVX512_DISPATCH)
struct Avx2Scan {
  using NulSeen = scan::avx2::NulSeen;
  TAMIS_TARGET_AVX2 static std::uint64_t prefix_xor(std::uint64_t x) {
    return scan::avx2::prefix_xor(x);
  }
  TAMIS_TARGET_AVX2 static scan::ChunkMasks chunk_masks(const char* p, char separator) {
    return scan::avx2::chunk_masks(p, separator);
  }
  TAMIS_TARGET_AVX2 static scan::ChunkMasks chunk_masks_nul_high(const char* p, char separator) {
    return scan::avx2::chunk_masks_nul_high(p, separator);
  }
  TAMIS_TARGET_AVX2 static std::uint64_t quote_mask(const char* p) {
    return scan::avx2::quote_mask(p);
  }
  TAMIS_TARGET_AVX2 static bool any_quote(const char* p) { return scan::avx2::any_quote(p); }
  TAMIS_TARGET_AVX2 static scan::Utf8Masks utf8_masks(const char* p) {
    return scan::avx2::utf8_masks(p);
  }
  TAMIS_TARGET_AVX2 static std::uint64_t utf8_lead3(const char* p) {
    return scan::avx2::utf8_lead3(p);
  }
};

TAMIS_TARGET_AVX2 TAMIS_KEEP_LOOP_EXITS_AND_CONSTANTS bool split_regular_avx2(
    std::string_view bytes, SplitState& state, std::vector<std::string_view>& fields) {
  return split_regular_with<Avx2Scan>(bytes, state.separator, state.unescaped, fields,
                                      state.short_record);
}

TAMIS_TARGET_AVX2 TAMIS_KEEP_LOOP_EXITS_AND_CONSTANTS WantedLeft split_wanted_avx2(
    std::string_view bytes, SplitState& state, std::vector<std::string_view>& fields) {
  return split_regular_with<Avx2Scan, true>(bytes, state.separator, state.unescaped, fields,
                                            state.short_record, state.wanted);
}

TAMIS_TARGET_AVX2 TAMIS_KEEP_LOOP_EXITS_AND_CONSTANTS WantedLeft split_wanted_to_end_avx2(
    std::string_view bytes, SplitState& state, std::vector<std::string_view>& fields) {
  return split_regular_with<Avx2Scan, true, false>(bytes, state.separator, state.unescaped, fields,
                                                   state.short_record, state.wanted);
}

struct Avx512Scan {
  using NulSeen = scan::avx512::NulSeen;
  TAMIS_TARGET_AVX512 static std::uint64_t prefix_xor(std::uint64_t x) {
    return scan::avx2::prefix_xor(x);
  }
  TAMIS_TARGET_AVX512 static scan::ChunkMasks chunk_masks(const char* p, char separator) {
    return scan::avx512::chunk_masks(p, separator);
  }
  TAMIS_TARGET_AVX512 static scan::ChunkMasks chunk_masks_nul_high(const char* p, char separator) {
    return scan::avx512::chunk_masks_nul_high(p, separator);
  }
  TAMIS_TARGET_AVX512 static std::uint64_t quote_mask(const char* p) {
    return scan::avx512::quote_mask(p);
  }
  TAMIS_TARGET_AVX512 static bool any_quote(const char* p) { return scan::avx512::any_quote(p); }
  TAMIS_TARGET_AVX512 static scan::Utf8Masks utf8_masks(const char* p) {
    return scan::avx512::utf8_masks(p);
  }
  TAMIS_TARGET_AVX512 static std::uint64_t utf8_lead3(const char* p) {
    return scan::avx512::utf8_lead3(p);
  }
};

TAMIS_TARGET_AVX512 TAMIS_KEEP_LOOP_EXITS bool split_regular_avx512(
    std::string_view bytes, SplitState& state, std::vector<std::string_view>& fields) {
  return split_regular_with<Avx512Scan>(bytes, state.separator, state.unescaped, fields,
                                        state.short_record);
}

TAMIS_TARGET_AVX512 TAMIS_KEEP_LOOP_EXITS WantedLeft split_wanted_avx512(
    std::string_view bytes, SplitState& state, std::vector<std::string_view>& fields) {
  return split_regular_with<Avx512Scan, true>(bytes, state.separator, state.unescaped, fields,
                                              state.short_record, state.wanted);
}

TAMIS_TARGET_AVX512 TAMIS_KEEP_LOOP_EXITS WantedLeft split_wanted_to_end_avx512(
    std::string_view bytes, SplitState& state, std::vector<std::string_view>& fields) {
  return split_regular_with<Avx512Scan, true, false>(bytes, state.separator, state.unescaped,
                                                     fields, state.short_record, state.wanted);
}
#endif

// The splitter of wanted fields while none is wanted (RecordSplitter::read_only not called,
// or no field of the record read): every record is handed back to be split whole. Called
// rather than tested for: one test less a record where fields are wanted.
WantedLeft split_every_field(std::string_view, SplitState&, std::vector<std::string_view>&) {
  return WantedLeft::SplitWhole;
}

// Field views for `spans` of the bytes at `base`: plain fields point into those
// bytes, escaped ones into `unescaped` (reserved beforehand: views never dangle).
void make_views(const char* base, const std::vector<FieldSpan>& spans, std::string& unescaped,
                std::vector<std::string_view>& fields) {
  std::size_t escaped_size = 0;
  for (const FieldSpan& span : spans) escaped_size += span.escaped ? span.size : 0;
  unescaped.clear();
  unescaped.reserve(escaped_size);  // unescaping never grows: no reallocation below
  fields.clear();
  for (const FieldSpan& span : spans) {
    const char* from = base + span.offset;
    if (!span.escaped) {
      fields.emplace_back(from, span.size);
      continue;
    }
    const std::size_t start = unescaped.size();
    append_unescaped(unescaped, from, from + span.size);
    fields.emplace_back(unescaped.data() + start, unescaped.size() - start);
  }
}

}  // namespace

std::optional<CsvError> check_bytes(const CsvRecord& record) {
  std::size_t line = record.line;
  for (std::size_t f = 0; f < record.fields.size(); ++f) {
    const std::string_view field = record.fields[f];
    auto bad = first_nul(field);
    const bool nul = bad.has_value();
    if (!nul) bad = text::first_invalid_utf8(field);
    if (bad) {
      line += static_cast<std::size_t>(
          std::count(field.begin(), field.begin() + static_cast<std::ptrdiff_t>(*bad), '\n'));
      std::string reason = nul ? nul_byte_reason() : invalid_utf8_reason();
      std::string message = in_field(reason, f + 1);
      return CsvError{nul ? CsvErrorKind::NulByte : CsvErrorKind::InvalidUtf8, line, f + 1,
                      std::move(message), std::move(reason)};
    }
    line += static_cast<std::size_t>(std::count(field.begin(), field.end(), '\n'));
  }
  return std::nullopt;
}

CsvReader::CsvReader(std::istream& in, CsvOptions options)
    : impl_(std::make_unique<Impl>(in, options)) {}

CsvReader::~CsvReader() = default;

bool CsvReader::read_header(std::vector<std::string>& header) {
  Impl& impl = *impl_;
  if (!impl.header_read) {
    impl.header_read = true;
    impl.skip_bom();
    if (impl.separator == 0) impl.detect_separator();
    std::size_t record_line = 0;
    if (impl.read_record(record_line, impl.header_error) == ParseStatus::Record) {
      impl.header_found = true;
      std::vector<std::string_view> fields;
      make_views(impl.buffer->data(), impl.spans, impl.unescaped, fields);
      if (!impl.header_error) {
        CsvRecord header_record;
        header_record.line = record_line;
        header_record.fields = fields;
        impl.header_error = check_bytes(header_record);
        // Column names are text an export writes in one encoding: bytes that are not
        // UTF-8 there mean the file is in another one, not a damaged row.
        if (impl.header_error && impl.header_error->kind == CsvErrorKind::InvalidUtf8) {
          impl.header_error->message +=
              tr(" : le fichier semble être en Windows-1252 : relancez avec --encoding "
                 "windows-1252",
                 ": the file seems to be in Windows-1252: run again with --encoding windows-1252");
        }
      }
      impl.header.assign(fields.begin(), fields.end());
      // CR alone ends lines in old Mac files: the whole file would be one header line.
      const bool lone_cr = std::any_of(fields.begin(), fields.end(), [](std::string_view f) {
        return f.find('\r') != std::string_view::npos;
      });
      if (lone_cr && !impl.header_error) {
        std::string reason =
            tr("fins de ligne en CR seul (retour chariot, ancien format Mac) : enregistrez le "
               "fichier avec des fins de ligne Windows (CRLF) ou Unix (LF)",
               "lines end with CR alone (carriage return, old Mac format): save the file with "
               "Windows (CRLF) or Unix (LF) line ends");
        impl.header_error = CsvError{CsvErrorKind::LoneCr, record_line, 0, reason, reason};
      }
    }
  }
  header = impl.header;
  return impl.header_found;
}

const std::optional<CsvError>& CsvReader::header_error() const {
  return impl_->header_error;
}

bool CsvReader::next(CsvRecord& record, std::optional<CsvError>& error) {
  Impl& impl = *impl_;
  error.reset();
  if (!impl.header_read) {
    std::vector<std::string> ignored;
    read_header(ignored);
  }
  std::size_t record_line = 0;
  if (impl.read_record(record_line, error) != ParseStatus::Record) {
    record.fields.clear();
    record.line = 0;
    record.number = 0;
    return false;
  }
  record.line = record_line;
  record.number = ++impl.number;
  make_views(impl.buffer->data(), impl.spans, impl.unescaped, record.fields);
  if (!error) error = check_bytes(record);
  return true;
}

bool CsvReader::next_raw(RawRecord& raw) {
  Impl& impl = *impl_;
  if (!impl.header_read) {
    std::vector<std::string> ignored;
    read_header(ignored);
  }
  if (impl.frame(raw, impl.find_quote_or_newline) != ParseStatus::Record) {
    raw = RawRecord{};
    return false;
  }
  return true;
}

std::string likely_unclosed_message(const CsvError& error, std::string_view column_label) {
  return tr("guillemet probablement non fermé (ouvert ligne {}, champ « {} »)",
            "quote probably left open (opened on line {}, field '{}')", error.line, column_label);
}

SimdLevel best_simd_level() {
  return level_to_run(SimdLevel::Avx512);
}

std::vector<SimdLevel> simd_levels_run_here() {
  std::vector<SimdLevel> levels;
  for (const SimdLevel level : {SimdLevel::Sse2, SimdLevel::Avx2, SimdLevel::Avx512})
    if (level_to_run(level) == level) levels.push_back(level);
  return levels;
}

RecordSplitter::RecordSplitter(char separator, SimdLevel level)
    : state_{separator, {}, {}, {}},
      split_regular_(split_regular_sse2),
      split_wanted_(split_every_field),
      split_wanted_counting_(split_wanted_sse2),
      split_wanted_to_end_(split_wanted_to_end_sse2) {
#if defined(TAMIS_AVX512_DISPATCH)
  switch (level_to_run(level)) {
    case SimdLevel::Avx512:
      split_regular_ = split_regular_avx512;
      split_wanted_counting_ = split_wanted_avx512;
      split_wanted_to_end_ = split_wanted_to_end_avx512;
      break;
    case SimdLevel::Avx2:
      split_regular_ = split_regular_avx2;
      split_wanted_counting_ = split_wanted_avx2;
      split_wanted_to_end_ = split_wanted_to_end_avx2;
      break;
    case SimdLevel::Sse2:
      break;
  }
#else
  (void)level;
#endif
}

void RecordSplitter::read_only(const std::vector<std::size_t>& columns, std::size_t field_count) {
  std::uint64_t bits = 0;
  for (const std::size_t c : columns) {
    if (c >= 64) return;  // every field stored, as before
    if (c < field_count) bits |= std::uint64_t{1} << c;
  }
  const auto limit = static_cast<std::size_t>(std::bit_width(bits));
  state_.wanted = {bits, limit, field_count, field_count * sizeof(std::string_view)};
  split_wanted_ = bits == 0                                       ? split_every_field
                  : field_count - limit <= kFieldsPassedAfterLast ? split_wanted_to_end_
                                                                  : split_wanted_counting_;
}

void RecordSplitter::check_fields(const CsvRecord& record, std::optional<CsvError>& error) {
  error = check_bytes(record);
}

void RecordSplitter::finish_wanted(WantedLeft left, const RawRecord& raw, CsvRecord& record,
                                   std::optional<CsvError>& error) {
  if (left == WantedLeft::Unescape) {
    unescape_quoted_fields(raw.bytes.data(), raw.bytes.size(), record.fields.data(),
                           state_.wanted.limit, state_.wanted.bits, state_.unescaped);
    return;
  }
  // The check field by field (to name the field) only runs on bytes found unclean.
  if (split_regular_(raw.bytes, state_, record.fields)) check_fields(record, error);
}

// Out of line: parse_record inlined here made every call save and restore six registers.
void RecordSplitter::split_other(const RawRecord& raw, CsvRecord& record,
                                 std::optional<CsvError>& error) {
  Cursor at{raw.bytes.data(), 0, raw.bytes.size(), true, raw.line, 0, raw.quote_cut};
  std::size_t record_line = raw.line;
  spans_.clear();
  parse_record(at, state_.separator, spans_, record_line, error);
  make_views(raw.bytes.data(), spans_, state_.unescaped, record.fields);
  record.line = record_line;
  if (!error && !bytes_are_clean(raw.bytes)) error = check_bytes(record);
}

bool CsvReader::next_raws(std::vector<RawRecord>& records, std::size_t max_records,
                          std::size_t& bytes, std::size_t max_bytes,
                          std::vector<std::shared_ptr<const void>>& buffers) {
  Impl& impl = *impl_;
  if (!impl.header_read) {
    std::vector<std::string> ignored;
    read_header(ignored);
  }
  keep_records();
#if defined(TAMIS_AVX512_DISPATCH)
  switch (impl.level) {
    case SimdLevel::Avx512:
      return impl.frame_batch_avx512(records, max_records, bytes, max_bytes, buffers);
    case SimdLevel::Avx2:
      return impl.frame_batch_avx2(records, max_records, bytes, max_bytes, buffers);
    case SimdLevel::Sse2:
      break;
  }
#endif
  return impl.frame_batch_sse2(records, max_records, bytes, max_bytes, buffers);
}

void CsvReader::keep_records() {
  Impl& impl = *impl_;
  if (impl.keeping) return;
  impl.keeping = true;
  impl.buffers.push_back(impl.buffer);
  impl.record_buffer = impl.buffer;
}

char CsvReader::separator() const {
  return impl_->separator;
}

}  // namespace tamis::io
