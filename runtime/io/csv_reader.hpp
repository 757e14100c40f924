#pragma once
// Streaming RFC 4180 reader for campaign exports (Démarches simplifiées CSV).
// Reads through a fixed-size buffer: memory does not grow with the file.
#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tamis::io {

// The instruction sets the reader and the splitter can use: SSE2 on every x86-64
// processor, AVX2 (32 bytes a compare) and AVX-512 (64 bytes) on those that have them.
// Same records, fields and errors with each. A level this processor lacks runs as the
// best one below it that it has.
enum class SimdLevel { Sse2, Avx2, Avx512 };
SimdLevel best_simd_level();                    // of this processor
std::vector<SimdLevel> simd_levels_run_here();  // those this processor has, lowest first

struct CsvOptions {
  char separator =
      0;  // 0: detect from the header line (',' or ';', whichever occurs more outside quotes)
  // Size of the read buffer. A record longer than this still works: the buffer
  // grows to hold it (memory follows the longest record, not the file size). Small
  // enough to stay in cache and to cost few page faults on a small campaign (each
  // first touch of a page is one). A large campaign is then read in larger blocks
  // (CsvReader::Impl::refill).
  std::size_t buffer_size = std::size_t{1} << 16;
  // For framing records (next_raw): the best this processor has, unless tests ask for
  // a lower one.
  SimdLevel simd = best_simd_level();
};

// One physical record. Field views stay valid until the next call to CsvReader::next().
struct CsvRecord {
  std::vector<std::string_view> fields;  // unquoted, "" unescaped, not trimmed
  std::size_t line = 0;                  // 1-based physical line where the record starts
  std::size_t number = 0;                // 1-based record number, header excluded (header is 0)
};

enum class CsvErrorKind {
  UnterminatedQuote,  // a quoted field runs to end of file
  // A quoted field that spans lines and closes, but one of whose inner lines reads as a
  // record of its own (likely_swallowed_record): its quote was most likely left open.
  // The record is cut at the end of the line where the quote opened, as for
  // UnterminatedQuote, and the lines after it are read as records.
  QuoteLikelyUnclosed,
  InvalidUtf8,  // the record contains bytes that are not UTF-8
  StrayQuote,   // a quote inside an unquoted field, or text after a closing quote
  NulByte,      // a 0x00 byte: never in a text export (a damaged or UTF-16 file)
  LoneCr,       // the header line ends with CR alone (old Mac line ends)
};

struct CsvError {
  CsvErrorKind kind;
  std::size_t line = 0;    // physical line of the problem
  std::size_t column = 0;  // 1-based field index where it occurs
  std::string message;     // French, for people: "guillemet non fermé (ouvert ligne 12)"
  std::string reason;      // the same without the field position, to pair with a column label
};

// The first NUL byte or invalid UTF-8 sequence of a record, with its field and line
// (fields spanning lines counted), if any. The header gets the same check.
std::optional<CsvError> check_bytes(const CsvRecord& record);

// The message for an error of `error.kind` QuoteLikelyUnclosed, naming its field by
// `column_label`: "guillemet probablement non fermé (ouvert ligne 3, champ « Intitulé »)".
std::string likely_unclosed_message(const CsvError& error, std::string_view column_label);

// A record's bytes as read, not split yet (CsvReader::next_raw, RecordSplitter).
// Reading threads frame records; worker threads split them.
struct RawRecord {
  std::string_view bytes;  // from its first byte to after its line end (or end of input)
  std::size_t line = 0;    // 1-based physical line where the record starts
  std::size_t number = 0;  // 1-based record number, header excluded
  // Quotes only around whole fields, each closing quote followed by a separator or the
  // line end: the common shape, which splits faster.
  bool regular = false;
  // The framer cut this record at the end of the line where a quote opened that was
  // most likely left open (CsvErrorKind::QuoteLikelyUnclosed).
  bool quote_cut = false;
};

// A field of a record: where it lies in the bytes parsed.
struct FieldSpan {
  std::size_t offset;
  std::size_t size;
  bool escaped;  // contains "" pairs to unescape
};

// The fields a splitter stores (RecordSplitter::read_only): bit i for field i, of the
// first 64.
struct WantedFields {
  std::uint64_t bits = 0;
  std::size_t limit = 0;  // the last wanted field's index + 1
  std::size_t count = 0;  // the fields a record so split has (any other is split whole)
  // The bytes of `count` views: the splitter checks the field vector's size against it,
  // with no shift.
  std::size_t count_bytes = 0;
};

// What a splitter's functions read besides the record (RecordSplitter): passed as one
// reference rather than three arguments, fewer registers set up by the caller and saved by
// the splitter, a record: 2,545.6 -> 2,539.1 instructions per dossier (callgrind;
// split_wanted_to_end_avx2 737.4 -> 733.9, process 187.5 -> 184.5).
struct SplitState {
  char separator;
  WantedFields wanted;    // none: every field stored
  std::string unescaped;  // scratch: the fields with "" pairs, unescaped
  // Scratch: a record shorter than 64 bytes, copied to the end of this block to be read as a
  // chunk. Here rather than on the splitter's stack (a smaller frame; GCC still aligns it on
  // 32 bytes, for its 256-bit values, and allocates the registers otherwise): 2,166.0 ->
  // 2,165.0 instructions per dossier (callgrind; split_wanted_to_end_avx2 706.1 -> 705.1).
  char short_record[64];
};

// Splits framed records into fields exactly as CsvReader::next() would have, and
// checks their bytes. One per thread (it owns scratch memory).
class RecordSplitter {
 public:
  // `level`: the best this processor has, unless tests ask for a lower one.
  explicit RecordSplitter(char separator, SimdLevel level = best_simd_level());
  // From now on, of a regular record with clean bytes and `field_count` fields, only the
  // fields at `columns` are stored in CsvRecord::fields (its size is still the record's
  // field count; the other views are left as they were: not to be read). Any other record
  // is split whole, as before, so that messages and checks see every field. The bench's
  // decoder reads 13 of its 25 fields: 4,254 -> 4,206 instructions per dossier
  // (callgrind; the splitter 1,120 -> 1,049). Only the first 64 fields can be left out:
  // with a column after them in `columns`, every field is stored.
  void read_only(const std::vector<std::size_t>& columns, std::size_t field_count);
  // Field views point into raw.bytes and into this splitter (valid until the next
  // call); `error` as next() sets it (byte checks included).
  // Inline: a campaign splits every row here (out of line, 4,916 against 4,895
  // instructions per dossier on the bench's campaign, callgrind).
  void split(const RawRecord& raw, CsvRecord& record, std::optional<CsvError>& error) {
    if (split_clean(raw, record, error)) error.reset();
  }
  // split(), but true, `error` left as it was, for a regular record split whole by the
  // wanted fields' splitter (no error there); else false with `error` set as split() does.
  // For a caller that then reads `error` only when false: not reset a row, nor tested
  // (2,037.3 -> 2,036.6 instructions per dossier).
  bool split_clean(const RawRecord& raw, CsvRecord& record, std::optional<CsvError>& error) {
    record.number = raw.number;
    if (!raw.regular) [[unlikely]] {
      error.reset();
      split_other(raw, record, error);
      return false;
    }
    record.line = raw.line;
    if (const WantedLeft left = split_wanted_(raw.bytes, state_, record.fields);
        left != WantedLeft::None) [[unlikely]] {
      error.reset();
      finish_wanted(left, raw, record, error);
      return false;
    }
    return true;
  }

  // What a splitter of wanted fields left to do (split_wanted_), after the last chunk.
  enum class WantedLeft : unsigned char {
    None,
    // Quoted fields with "" pairs to unescape (unescape_quoted_fields): by the caller, so that
    // the splitter keeps neither the record's start, nor its size, nor its fields' start to
    // call it (GCC loaded them again after the last chunk for every record; with the line end
    // taken off the last field only: 2,190.2 -> 2,179.3 instructions per dossier, callgrind).
    Unescape,
    SplitWhole,  // another field count, or bytes to check: split whole, as parse() would
  };

 private:
  // split's rare path: what `left` says to do.
  [[gnu::noinline]] void finish_wanted(WantedLeft left, const RawRecord& raw, CsvRecord& record,
                                       std::optional<CsvError>& error);
  // `error` as check_bytes finds it.
  [[gnu::noinline]] static void check_fields(const CsvRecord& record,
                                             std::optional<CsvError>& error);
  // A record that is not regular (RawRecord::regular), as parse() splits it.
  [[gnu::noinline]] void split_other(const RawRecord& raw, CsvRecord& record,
                                     std::optional<CsvError>& error);

  SplitState state_;
  using Split = bool (*)(std::string_view, SplitState&, std::vector<std::string_view>&);
  Split split_regular_;
  // With at most this many fields after the last one read, the splitter passes them one by
  // one rather than testing in each 64-byte chunk whether any field is still read, to count
  // the rest by a popcount: the bench's campaign reads up to field 22 of 25, 2,564 -> 2,550
  // instructions per dossier with the capacity check gone (callgrind; split_wanted_avx2
  // 752.5 -> split_wanted_to_end_avx2 739.4).
  static constexpr std::size_t kFieldsPassedAfterLast = 4;
  using SplitWanted = WantedLeft (*)(std::string_view, SplitState&, std::vector<std::string_view>&);
  // One of the two below (read_only chooses), or one that hands every record back to be
  // split whole while no field is wanted.
  SplitWanted split_wanted_;
  SplitWanted split_wanted_counting_;  // counts the fields after the last one read
  SplitWanted split_wanted_to_end_;    // passes them
  std::vector<FieldSpan> spans_;
};

class CsvReader {
 public:
  explicit CsvReader(std::istream& in, CsvOptions options = {});
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the header (first record), strips a UTF-8 BOM, detects the separator.
  // Returns false on an empty input (no header).
  bool read_header(std::vector<std::string>& header);

  // The problem found in the header line by read_header(), if any (the header
  // fields are still returned).
  const std::optional<CsvError>& header_error() const;

  // Reads the next record. Returns false at end of input.
  // When the record is malformed, `error` is set (error.kind etc.), the record still
  // carries its line/number and whatever fields could be split, and reading resumes
  // at the next line so that one bad row never hides the following ones.
  bool next(CsvRecord& record, std::optional<CsvError>& error);

  // Reads the next record without splitting it (RecordSplitter does, maybe on another
  // thread): the same records as next(), for a fraction of the work on common rows.
  // raw.bytes stays valid until the next call. Returns false at end of input.
  bool next_raw(RawRecord& raw);

  // Frames records as next_raw does, appending them to `records` until it holds
  // `max_records` or they reach `max_bytes` (`bytes` counts them), and the buffers they
  // are in to `buffers` (each once). False at end of input. From the first call on, a
  // record's bytes stay where they were read for as long as `buffers` (or a copy) holds
  // their buffer, instead of until the next call: a campaign's batches refer to them
  // there, without copying them (memcpy cost 131 instructions per dossier on the bench's
  // campaign, callgrind). A batch at a time: a call to next_raw and one to find the
  // buffer a record, 4,895 against 4,854 instructions per dossier.
  bool next_raws(std::vector<RawRecord>& records, std::size_t max_records, std::size_t& bytes,
                 std::size_t max_bytes, std::vector<std::shared_ptr<const void>>& buffers);

  char separator() const;

 private:
  struct Impl;
  // From now on, records' bytes are never moved nor overwritten (next_raws).
  void keep_records();

  std::unique_ptr<Impl> impl_;
};

}  // namespace tamis::io
