#pragma once
// Writes the values of one output column as CSV cells, byte for byte what
// io::append_csv_field(format_value(…)) writes, without formatting and scanning
// the same few texts for every record: the codes of an enumeration and the keys of
// a table are escaped once, at construction, and a set of them is quoted when one
// of its members needs it; a set of texts is written member by member, not joined
// into a text first; and a cell that depends on one value alone (a CellKey) is kept
// and copied when that value is met again.
#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "support/byte_sink.hpp"
#include "support/bytes.hpp"
#include "support/scan.hpp"

namespace tamis::runtime {

// What an output column's cell depends on alone, when a campaign has few distinct
// values of it: the cell is then found by that value, without evaluating the column's
// expression or formatting it again.
struct CellKey {
  enum class Kind : std::uint8_t {
    None,  // the cell is written from the column's value every time
    Id,    // an enumeration value or a row (`categorie`; `libelle(categorie)` of
           // `categorie`): one cell per value, made at construction
    Rule,  // the rule that decided a decision (`nom_regle(categorie)`): likewise
    Word,  // a set of at most 64 enumeration values or rows (`leviers`; `leviers.axes`
           // of `leviers`): its one word, the cell kept when first written
  };
  Kind kind = Kind::None;
  graph::NodeId output = graph::kNoNode;  // the column's expression
  graph::NodeId node = graph::kNoNode;    // Id, Word: the expression the cell depends on
  std::uint32_t decision = 0;             // Rule
};

// The key of output expression `node`: the operand of a label, of a table column read
// from a row or from a one-word set of rows; the decision whose rule it names; its own
// value when it is an enumeration value, a row or a one-word set of them. Only for
// expressions that cannot fail, so that evaluating the key alone checks all that
// evaluating the column would.
CellKey cell_key(const graph::RuleGraph& graph, graph::NodeId node);

// Bytes already written (a cell, or a run of a row's cells), by a 64-bit key: a campaign
// names a few hundred combinations of levers, or of a decision's value and rule, each
// written again and again. Direct-mapped: a slot keeps the first key that lands in it,
// and nothing is kept once kLimit bytes are, so memory stays bounded. Kept 16 bytes apart
// (at least 16 each) and copied by blocks (copy_padded). Empty until open(): a writer that keeps
// nothing allocates nothing.
class KeptCells {
 public:
  // Makes the slots and the buffer; `gaps`: keep() is given each bytes' gap (around_gap).
  void open(bool gaps = false);
  // Writes the bytes kept under `key` at `p`, the caller having made room for ready_room()
  // bytes, and returns their end; nullptr, and nothing written, when none are kept.
  char* put(char* p, std::uint64_t key) const {
    const Slot& slot = slots_[slot_of(key)];
    if (slot.key != key) return nullptr;  // an empty slot's key is never looked up there
    return copy_padded(p, bytes_.get() + slot.at, slot.size);
  }
#if defined(TAMIS_AVX512_DISPATCH)
  // put() 32 bytes at a time (csv_cell_avx2.hpp), for a processor with AVX2.
  TAMIS_TARGET_AVX2 char* put_avx2(char* p, std::uint64_t key) const;
#endif
  // Keeps `bytes` under `key` when its slot is free and the buffer has room; false if not.
  // `gap`, for KeptCells opened with gaps: where a one-byte cell in `bytes` (a separator
  // alone) may be replaced by another (around_gap).
  bool keep(std::uint64_t key, std::string_view bytes, std::uint32_t gap = 0);
  // The bytes kept under `key` (nullptr: none), in two parts around their gap: [0, gap)
  // and [gap + 1, size). Readable 32 bytes past each part's end.
  struct AroundGap {
    const char* bytes = nullptr;
    std::uint32_t gap = 0;
    std::uint32_t size = 0;
  };
  AroundGap around_gap(std::uint64_t key) const {
    const Slot& slot = slots_[slot_of(key)];
    if (slot.key != key) return {};
    return {bytes_.get() + slot.at, gaps_[slot_of(key)], slot.size};
  }
  // The room put() may take: the longest bytes kept and the 32 bytes past them that
  // copy_padded (put_avx2: 32 bytes at a time) may write; 0 while nothing is kept.
  std::size_t ready_room() const {
    return ready_room_;
  }

  static constexpr std::size_t kLimit = std::size_t{1} << 18;

 private:
  // An empty slot's key is one that goes to another slot (slot_of): a key looked up there
  // never equals it, so that put() compares keys only, not the size too (2,153.1 -> 2,150.1
  // instructions per dossier). 0 goes to slot 0, kSlotZeroKey elsewhere.
  static constexpr std::uint64_t kSlotZeroKey = 1;
  // A slot holds bytes when its key goes to it (slot_of): its size is theirs, not one more
  // for an empty slot's 0 (the size taken back at each put: 2,015.1 -> 2,013.4 instructions per
  // dossier).
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t at = 0;    // in bytes_
    std::uint32_t size = 0;  // the bytes'
  };
  // 4,096 slots (64 KB): fewer of a campaign's few hundred combinations share a slot and
  // are written again at each row (COP 2024, 448 combinations in 6,000 rows: 1,024 slots
  // 3,665 instructions per dossier, 4,096 slots 3,655).
  static constexpr unsigned kSlotBits = 12;
  static constexpr std::size_t slot_of(std::uint64_t key) {
    // Fibonacci hashing: the multiplication spreads the key's bits into the top ones.
    return (key * 0x9e3779b97f4a7c15u) >> (64 - kSlotBits);
  }
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> gaps_;  // each slot's, when opened with gaps: apart, as few use them
  // Zeros from the start (calloc: pages untouched until bytes are kept there), so that
  // keeping is one copy, its padding already there, not two string appends with a memcpy
  // and a memset call (3,600 -> 3,580 instructions per dossier).
  struct Free {
    void operator()(char* p) const { std::free(p); }
  };
  std::unique_ptr<char, Free> bytes_;
  std::size_t used_ = 0;  // bytes of bytes_ holding kept bytes, padded to 16
  std::size_t ready_room_ = 0;
};

// The numbers of each count of digits, 0 (none) to 19 (the most a 64-bit number has):
// CsvCellWriter::has_digit_count. The least numbers and the counts in two arrays of one
// object, each read at the count scaled by 8 from one address, not from that of a 16-byte
// pair made first (write_usual_outputs_avx2: 2,021.2 -> 2,018.2 instructions per dossier).
struct DigitRanges {
  static constexpr std::size_t kCounts = 20;
  std::uint64_t least[kCounts] = {};
  std::uint64_t count[kCounts] = {};
};
constexpr DigitRanges make_digit_ranges() {
  DigitRanges ranges;
  ranges.count[1] = 10;
  std::uint64_t least = 10;
  for (std::size_t digits = 2; digits < DigitRanges::kCounts; ++digits) {
    ranges.least[digits] = least;
    ranges.count[digits] = 9 * least;
    if (digits + 1 < DigitRanges::kCounts) least *= 10;
  }
  // 19 digits: up to the largest 64-bit number, not 10^19 - 1 (the cast of a negative number,
  // 2^63 or more, must stay out of every range).
  ranges.count[19] = std::uint64_t{INT64_MAX} - ranges.least[19] + 1;
  return ranges;
}
inline constexpr DigitRanges kDigitRanges = make_digit_ranges();

class CsvCellWriter {
 public:
  // Writes values of `type`, each formatted (append).
  CsvCellWriter(const graph::RuleGraph& graph, const graph::Type& type);
  // Writes the cells of an output column whose cell depends on `key` (cell_key).
  CsvCellWriter(const graph::RuleGraph& graph, const CellKey& key);

  const CellKey& key() const { return key_; }

  // Appends the cell, then `after` (the separator or the line end): room is made once for
  // the longest the cell can be, and the bytes written through a pointer.
  void append(ByteSink& out, const graph::Value& value, char after) const;
  // What append() writes of a text: for a column known to hold one, without append()'s
  // choice by type.
  static void append_text(ByteSink& out, const graph::Value& text, char after);
  // What append() writes of a text, of a whole number, at `p` in room the caller made,
  // returning the end: a result row makes room once for its text and number cells too,
  // rather than each cell committing and asking for room again (3,655 -> 3,618
  // instructions per dossier). A text goes there when text_fits(), a number always.
  // `written`: the number's cell as read, copied when it is the number's own digits.
  static constexpr std::size_t kTextRoom = 256;    // a text's cell and `after`
  static constexpr std::size_t kIntegerRoom = 21;  // a number's sign, 19 digits, `after`
  static bool text_fits(const graph::Value& text) {
    return !text.present || 2 * text.as_text().size() + 3 <= kTextRoom;
  }
  static char* put_text_at(char* p, const graph::Value& text, char after);
  // What put_text_at writes, for the usual text (16 to kTextRoom - 1 bytes, nothing that
  // needs quotes, no control byte) or a missing one; nullptr for any other, and the room
  // may then hold anything: the caller writes it with put_text_at (text_fits) or apart.
  // 32 bytes a step (AVX2): a title of 30 to 70 bytes in two or three steps, not four
  // to six, and no call nor frame in the usual case (put_text_at 85 -> ~40 instructions a
  // dossier). Only on a processor with AVX2 (text_put).
  static char* put_usual_text_at_avx2(char* p, const graph::Value& text, char after);
  // put_usual_text_at_avx2 with `avx2` (the processor must have it: scan::cpu_has_avx2),
  // else put_text_at for a text that text_fits() and nullptr for another.
  using TextPut = char* (*)(char* p, const graph::Value& text, char after);
  static TextPut text_put(bool avx2);
  // `written` is copied when it is as long as the number's own digits (and sign): every
  // other spelling the decoder reads for a number (text::parse_integer: spaces around, a
  // sign, leading zeros, grouped digits) is longer, so one of that length is those digits
  // (tested where the decoder parses, test_record_decoder.cpp). One comparison with the
  // least and most numbers of that many digits, inline: checking the bytes as digits and
  // the call cost 52 instructions a dossier for an export's eight-digit identifiers.
  static char* put_integer_at(char* p, const graph::Value& integer, std::string_view written,
                              char after) {
    if (integer.present) {
      p = has_digit_count(integer.integer, written.size())
              ? copy_bytes(p, written.data(), written.size())
              : put_integer_apart(p, integer.integer);
    }
    *p++ = after;
    return p;
  }
  // Whether `integer` is written with `digits` digits, no sign: from 0 to 9 for one, from
  // 10^(digits - 1) to 10^digits - 1 for more.
  static bool has_digit_count(std::int64_t integer, std::size_t digits) {
    return digits < DigitRanges::kCounts &&
           static_cast<std::uint64_t>(integer) - kDigitRanges.least[digits] <
               kDigitRanges.count[digits];
  }
  // The same, and keeps the cell under `key` (CellKey::Kind::Word: a one-word set's word)
  // for append_kept().
  void append_and_keep(ByteSink& out, const graph::Value& value, std::uint64_t key,
                       char after) const;

  // Cells made or kept before are written at a pointer, the caller having made room for
  // ready_room() bytes: once a result row, for all of its columns, rather than once a cell.
  // CellKey::Kind::Id, Rule: writes the cell of `index` (id_index, or the rule + 2), then
  // `after`, at `p`, and returns the end; nullptr, and nothing written, when out of range.
  char* put_indexed(char* p, std::uint64_t index, char after) const {
    if (index >= indexed_count_) return nullptr;
    const Span cell = indexed_[index];
    return put_ready(p, indexed_bytes_.data() + cell.at, cell.size, after);
  }
  // The index of a value for put_indexed: its id, or the last index when missing.
  std::uint64_t id_index(const graph::Value& v) const {
    return v.present ? v.id : indexed_count_ - 1;
  }
  // How many cells put_indexed() has: the indices below it.
  std::uint64_t indexed_count() const { return indexed_count_; }
  // CellKey::Kind::Word: writes the cell kept for `word`, then `after`, at `p`, and returns
  // the end; nullptr, and nothing written, when none is kept.
  char* put_kept(char* p, std::uint64_t word, char after) const {
    char* end = kept_.put(p, word);
    if (end == nullptr) return nullptr;
    *end++ = after;
    return end;
  }
  // The room put_indexed() or put_kept() may take: the longest cell, `after` and the 16
  // bytes past them that copy_padded may write. Grows as cells are kept.
  std::size_t ready_room() const { return ready_room_; }

 private:
  // The number's digits and sign, at `p`; returns their end. Out of line: the rare number
  // not written as its own digits.
  static char* put_integer_apart(char* p, std::int64_t integer);
  void init_finite();
  void init_indexed();
  // Writes `size` bytes made before, at `cell` (readable 16 bytes past their end), then
  // `after`, at `p`; returns the end. By copy_padded: a cell of up to 16 bytes (a code, a
  // short label) one block without a loop (write_outputs_avx2 238.9 -> 235.6 instructions a
  // dossier, against copy_blocks).
  static char* put_ready(char* p, const char* cell, std::uint32_t size, char after) {
    p = copy_padded(p, cell, size);
    *p++ = after;
    return p;
  }
  static constexpr std::size_t kReadyRoom = 1 + 16;  // past a ready cell: `after`, copy_padded
  mutable std::size_t ready_room_ = 0;               // ready_room()
  void write_value(ByteSink& out, const graph::Value& value, char after) const;
  char* members(char* p, const graph::Value& value) const;
  void texts(ByteSink& out, const graph::Value& value, char after) const;

  const graph::RuleGraph& graph_;
  graph::Type type_;
  CellKey key_;
  // CellKey::Kind::Id and Rule: every cell the column can have, by index (put_indexed),
  // 16 bytes apart in `indexed_bytes_`.
  struct Span {
    std::uint32_t at = 0;
    std::uint32_t size = 0;
  };

  // Enumeration values or table rows: each one's text, escaped for CSV. Alone, a
  // value is written as `cells_`; in a set, members are escaped and joined by " | ",
  // the whole quoted when a member is in `quoted_` (it holds , " or a line break).
  bool finite_ = false;
  std::vector<std::string> cells_;
  // Each member escaped after " | ", 16 bytes apart in `joined_bytes_` (16 more after the
  // last), by index: a member one padded copy, the first from past its " | " (members
  // 166 -> 143 instructions a set, against copies of " | " and of the text, which called
  // memcpy).
  std::vector<Span> joined_;
  std::string joined_bytes_;
  std::vector<std::uint64_t> quoted_;
  std::size_t longest_cell_ = 0;  // of cells_
  std::size_t whole_set_ = 0;     // all members joined, quoted: a set's longest cell
  std::vector<Span> indexed_;
  // indexed_.size(), kept: one load, not the vector's ends subtracted and divided, for
  // each of a row's indexed cells (4 of COP 2024's 10 columns).
  std::uint64_t indexed_count_ = 0;
  std::string indexed_bytes_;

  // CellKey::Kind::Word: cells already written, by their word: a campaign names a few
  // hundred combinations of levers, each written again and again (KeptCells).
  mutable KeptCells kept_;
  // Keeps `cell` under `key` when KeptCells can, its room counted in ready_room().
  void keep(std::uint64_t key, std::string_view cell) const;
};

}  // namespace tamis::runtime
