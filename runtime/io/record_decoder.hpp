#pragma once
// Turns campaign rows into typed records following the rule set's schema:
// columns matched by header label (any order, extra columns ignored), values
// parsed by field type, multiple-choice cells split against tables with the
// longest match. Every refusal says which column, which raw value and why.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/record.hpp"
#include "runtime/io/csv_reader.hpp"
#include "runtime/io/label_matcher.hpp"
#include "runtime/io/set_cell_cache.hpp"
#include "support/exact_spellings.hpp"
#include "support/flat_string_map.hpp"

namespace tamis::io {

struct FieldError {
  std::string column;  // header label
  std::string value;   // raw cell text
  std::string reason;  // French: "date illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)"
};

// Whether dossiers are identified by a whole number (the first schema field's type):
// their identifiers are then compared as numbers (append_identifier_key).
bool integer_identifier(const graph::RuleGraph& graph);
// The key under which a dossier's identifier (the schema's first field) must be unique
// in a campaign, appended to `out`: for an `entier` identifier the decoded number (its 8
// bytes), so that « 1234 », « 1 234 » and « 01234 » are one dossier; otherwise the cell
// without surrounding spaces. Keys of one campaign are only compared with each other.
// For a record decode() accepted, from its decoded identifier (the cell is not parsed
// again).
void append_identifier_key(std::string& out, const graph::RuleGraph& graph,
                           const runtime::Record& record);
// The same key from the identifier's cell as written, for a row decode() refused: false
// (nothing appended) when the cell gives none (empty, or not a whole number where
// identifiers are).
bool append_identifier_key(std::string& out, const graph::RuleGraph& graph, std::string_view cell);
// Why a row whose identifier_key was already met is rejected (`id` as written), with the
// line of the first row that had it (0: unknown).
std::string duplicate_identifier_reason(std::string_view id, std::size_t first_line = 0);

class RecordDecoder {
 public:
  explicit RecordDecoder(const graph::RuleGraph& graph);

  // Maps schema fields to header positions. Returns one French message per
  // schema column absent from the header, with the closest header as a hint.
  std::vector<std::string> bind(const std::vector<std::string>& header);

  // Decodes one CSV record. Returns false (and fills `errors`) when a value cannot
  // be read; `record` is then incomplete and must not be evaluated. The record's texts
  // are views into `row`'s cells, its sets into the decoder: valid until the next call.
  bool decode(const CsvRecord& row, runtime::Record& record, std::vector<FieldError>& errors);

  // Index of the header column bound to a field (after bind()).
  std::size_t column_of(std::size_t field) const { return plan_[field].column; }

  // Which fields' cells decode() keeps in `record.raw`: every one (the default: what
  // explanations, traces and observers read), or only those of `fields` and the
  // identifier's (field 0: audit and messages read it); the others are left as they
  // are. A cell not kept is two instructions a field fewer (keep_cells).
  void keep_every_cell() { keep_cells({}, true); }
  void keep_only_cells(const std::vector<std::size_t>& fields) { keep_cells(fields, false); }
  bool keeps_cell(std::size_t field) const { return plan_[field].keep; }

 private:
  // An enum value by any of its spellings; exports repeat a few spellings, so each
  // distinct cell text is normalised once. kNoEnumValue when none. The exact spellings
  // inline; the others out of line, so that the usual path saves no registers.
  std::uint32_t enum_value(std::uint32_t enum_index, std::string_view text) {
    const std::uint32_t id = spellings_[enum_index].find(text);
    return id != kNoEnumValue ? id : enum_value_otherwise(enum_index, text);
  }
  [[gnu::noinline]] std::uint32_t enum_value_otherwise(std::uint32_t enum_index,
                                                       std::string_view text);
  static constexpr std::uint32_t kNoEnumValue = ExactSpellings::kAbsent;
  // The one row of a table a label names (up to case, accents and spaces); kNoEnumValue
  // when it names none or several. Out of line: it normalises into a string.
  [[gnu::noinline]] std::uint32_t table_row(std::uint32_t table, std::string_view text) const;
  // How decode() reads a field's cell first: the shapes exports write on every row
  // (text, eight-digit identifiers, YYYY-MM-DD or DD/MM/YYYY dates, Oui / Non, an enumeration value
  // spelt as the rules spell it, a set cell met before) are read inline; any other cell,
  // and every cell of the other kinds, goes through decode_field, the general way, which
  // alone refuses cells (so the messages are those of one place); a set cell not met
  // before goes straight to decode_set_and_keep, which decode_field calls for it too.
  // A set met before: of table rows (with labels naming nothing), of enumeration values.
  enum class Usual : std::uint8_t {
    Text,
    Integer,
    Date,
    Boolean,
    Enum,
    KnownRows,
    KnownValues,
    General,
    End,  // after the last field: the plan's end (decode()'s table of readings: in_enum_order)
  };
  // What decode() reads of a schema field, for every field of every row, side by side;
  // the plan ends with one more entry, Usual::End, so that the loop needs no count.
  // 64 bytes, so that a step through the plan is a step through the record's values times
  // four (decode()).
  struct alignas(64) FieldPlan {
    // decode()'s label for `usual` (set by decode() after each bind()): the field's
    // reading reached by one indirect jump, with no table to index.
    const void* reading = nullptr;
    // A set field's cache (set_cells_[field]); a date field's, the decoder's DateSlots.
    void* table = nullptr;
    // The field's cell in the row decode() reads (set by decode() when a row's cells are
    // not where the last row's were): one instruction a field less than its place among
    // the cells (decode 574.6 -> 562.0 instructions a dossier, measured).
    const std::string_view* cell = nullptr;
    std::uint32_t column = 0;  // the header column bound (bind())
    std::uint32_t field = 0;   // the schema field's index
    std::uint32_t ref = 0;     // the enumeration or table
    Usual usual = Usual::General;
    graph::Base base = graph::Base::Text;
    bool optional = false;
    bool keep = true;  // the cell is kept in record.raw (keep_cells)
    // An enumeration's spellings (spellings_[ref]) as find_wide() reads them: a load an
    // enumeration cell fewer than through a pointer to them (decode 543.4 -> 536.5
    // instructions a dossier, measured).
    ExactSpellings::Probe spellings{};
  };
  static_assert(sizeof(FieldPlan) == 64);

  // A date cell of ten bytes read before (YYYY-MM-DD or DD/MM/YYYY, exactly as written),
  // with its day: exports repeat dates (5,440 of the bench's 6,000 rows write one of 1,345),
  // and a date read again is two words compared, not its digits checked and its day made
  // from them (about 60 instructions). One table for every date field of the schema (a
  // cell means one day whatever its field), direct-mapped: a cell goes in the one slot
  // its last eight bytes pick, replacing the one there (no probing, no bound to keep).
  struct DateSlot {
    std::uint64_t tail;  // the cell's bytes 2 to 9
    std::uint16_t head;  // its bytes 0 and 1
    std::uint32_t days;  // as decode() stores a date: its days, as an unsigned number
  };
  static_assert(sizeof(DateSlot) == 16);
  // 8,192 slots, 128 KB a decoder (a worker's): about 75 % of the bench's dates after its
  // 2,000th row found (4,096 slots, 64 KB: 70 %; 2,076.4 -> 2,072.1 instructions per
  // dossier with 8,192, measured; 64 KB more a thread).
  static constexpr unsigned kDateSlotBits = 13;
  static constexpr std::size_t date_slot(std::uint64_t tail) {
    return static_cast<std::size_t>((tail * 0x9E3779B97F4A7C15u) >> (64 - kDateSlotBits));
  }
  // Slots are made zero, and slot 0 given a tail that picks another slot, so that no slot
  // not yet written holds a cell: a slot holds only tails that pick it (the constructor).

  static Usual usual_reading(const graph::Type& type);
  void keep_cells(const std::vector<std::size_t>& fields, bool every);
  // Sets each plan's reading (from `readings`, or `kept_readings` for a cell kept) and
  // cell for a row whose cells are not where the last row's were; false (nothing set)
  // when the row has not the header's field count. Out of line, with decode()'s labels
  // given: decode() keeps neither the loop nor the count (plan_cells).
  [[gnu::noinline]] bool plan_cells(const std::vector<std::string_view>& cells,
                                    const void* const* readings, const void* const* kept_readings);
  // What decode()'s rare paths need besides the field, in memory (decode() keeps the
  // loop's state in registers, and reads it back from here after a call).
  struct RowContext {
    RecordDecoder* decoder;
    runtime::Record* record;
    std::vector<FieldError>* errors;
    bool ok;  // no field refused so far
    // The loop's state, read back after a call (decode()).
    std::uintptr_t plan;
    std::uintptr_t raws;
    std::uintptr_t at;
  };
  // decode_field for the field `plan` is of, and decode_set_and_keep for a set cell not
  // met before, from decode()'s loop.
  [[gnu::noinline]] static void read_generally(RowContext& context, const FieldPlan& plan,
                                               std::string_view raw, graph::Value& out);
  // The days of a date of ten bytes written as exports write them (as decode() stores a
  // date: an unsigned 32-bit number), kNoDate if it is none.
  static constexpr std::uint64_t kNoDate = ~std::uint64_t{0};
  [[gnu::noinline]] static std::uint64_t exported_days(const char* cell);
  // A set cell not in the slot where it goes first: looked for in the others (find_further:
  // that slot not compared again, 2,025.5 -> 2,023.9 instructions per dossier, measured),
  // then read as new (read_new_rows, read_new_set) if not kept.
  [[gnu::noinline]] static void read_rows_further(RowContext& context, const FieldPlan& plan,
                                                  std::string_view raw, std::uint64_t hash);
  [[gnu::noinline]] static void read_values_further(RowContext& context, const FieldPlan& plan,
                                                    std::string_view raw, std::uint64_t hash);
  [[gnu::noinline]] static void read_new_set(RowContext& context, const FieldPlan& plan,
                                             std::string_view raw, std::uint64_t hash);
  // decode_set_and_keep for a set cell of table rows not met before (which always
  // decodes), without its calls and tests of the field's kind. Inline in read_rows_further,
  // its one caller: a frame fewer a cell not met before (2,028.0 -> 2,025.5 instructions
  // per dossier, measured).
  [[gnu::always_inline]] static void read_new_rows(RowContext& context, const FieldPlan& plan,
                                                   std::string_view raw, std::uint64_t hash);
  // A set field's words, cleared: the first one stored (most sets take one), the others
  // (if any) by a loop GCC makes a call to memset.
  static std::uint64_t* cleared(std::vector<std::uint64_t>& words);
  [[gnu::noinline]] bool decode_field(std::size_t field, const FieldPlan& plan,
                                      std::string_view raw, graph::Value& out,
                                      runtime::Record& record, std::vector<FieldError>& errors);
  // A set cell of table rows met before: its labels naming nothing, put back as views
  // into `raw` (out of line: push_back may call).
  // (The places and their count as values: an Entry by reference was stored to the stack
  // on every hit: 3,017 -> 3,014 instructions a dossier, measured.)
  [[gnu::noinline]] static void keep_unknown(std::string_view raw,
                                             const SetCellCache::Place* places, std::uint32_t count,
                                             std::vector<std::string_view>& unknown);
  [[gnu::noinline]] bool decode_set_and_keep(std::size_t field, std::string_view raw,
                                             std::uint64_t hash, runtime::Record& record,
                                             std::vector<FieldError>& errors);
  bool decode_set_now(std::size_t field, std::string_view raw, runtime::Record& record,
                      std::vector<FieldError>& errors);
  // Records why a row of another field count than the header's was refused; returns false.
  // Out of line, so that decode() keeps no register for it (the row and the errors): decode
  // 562.0 -> 557.5 instructions a dossier (measured), a register fewer saved and restored.
  [[gnu::noinline, gnu::cold]] bool refuse_field_count(const std::vector<std::string_view>& fields,
                                                       std::vector<FieldError>& errors) const;
  // Records why the cell of a single-valued field was refused; returns false.
  bool refuse(std::size_t field, std::string_view raw, std::vector<FieldError>& errors) const;

  const graph::RuleGraph& graph_;
  std::vector<FieldPlan> plan_;  // per field, its header column among the rest; then End
  static constexpr std::string_view kNoCells{};  // no row's cells are here
  // The row's cells plan_'s `cell`s point into, its readings decode()'s labels; kNoCells
  // after bind(), until decode() sets both (a row's cells are most often where the last
  // row's were: the splitter's vector, kept).
  const std::string_view* planned_cells_ = &kNoCells;
  // Their end when the row has the header's field count: a row with its cells where the
  // last row's were and ending there is one of that count (plan_cells).
  const std::string_view* planned_end_ = nullptr;
  std::size_t header_size_ = 0;
  std::vector<LabelCache> label_caches_;  // per table: what each run of pieces names
  // Per enum: distinct cells seen so far, each normalised once. Bounded (enum_value()).
  std::vector<FlatStringMap<std::uint32_t>> enum_cache_;  // value or kNoEnumValue
  // Per enum: its spellings in the rules (name, label, aliases), each with the value
  // normalising it finds. A cell written exactly so, as exports write them, is matched
  // with one probe, before enum_cache_ is hashed.
  std::vector<ExactSpellings> spellings_;
  // Per enum: the most text::split_choices pieces a spelling has (the longest run of a
  // multiple-choice cell's pieces that can name a value).
  std::vector<std::size_t> longest_choice_pieces_;
  // Per field (used by sets of enumeration values or table rows): the cells decoded so
  // far, by their exact bytes, with their set and their labels naming nothing.
  std::vector<SetCellCache> set_cells_;
  // The date cells read before (DateSlot), when the schema has a date field.
  std::unique_ptr<DateSlot[]> date_slots_;
  std::vector<std::vector<std::uint64_t>> set_words_;     // per field, storage for sets
  std::vector<std::vector<std::string_view>> text_sets_;  // per field, text set members
  std::vector<std::string_view> pieces_;                  // scratch: a cell's choices
};

}  // namespace tamis::io
