#pragma once
// Classifies one campaign row at a time for one rule graph: decodes the row into
// a typed record, evaluates the decisions, the output columns and the summary
// axes, and says why the row is rejected when it is. One per thread: it owns the
// per-record state; the graph is shared.
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/csv_cell.hpp"
#include "runtime/eval/interpreter.hpp"
#include "runtime/eval/record.hpp"
#include "runtime/io/csv_reader.hpp"
#include "runtime/io/record_decoder.hpp"
#include "runtime/report/summary.hpp"

namespace tamis::runtime {

class Classifier {
 public:
  // `counted_summaries`: how many of the summaries, from the first, classify() extracts
  // keys for; of the others, those that may fail are only checked for errors
  // (SummaryCounter::check).
  // `simd`: the instruction set its result rows are written with, at most (write_outputs).
  explicit Classifier(const graph::RuleGraph& graph,
                      std::size_t counted_summaries = std::numeric_limits<std::size_t>::max(),
                      io::SimdLevel simd = io::best_simd_level());
  // Its plans point into its own vectors.
  Classifier(const Classifier&) = delete;
  Classifier& operator=(const Classifier&) = delete;

  // Maps the schema to the campaign's header; one French message per missing column.
  std::vector<std::string> bind(const std::vector<std::string>& header);
  // Which fields' cells as read (Record::raw) are kept: every one by default (explanations,
  // traces and observers read them), or only those the rows' results are written from
  // (output columns that copy a whole number as written) and the identifier's: for a
  // campaign with no reader of the others (with the decoder's field count by pointers and
  // its plan_cells out of line: decode 530.4 -> 511.7 instructions a dossier, measured).
  void keep_every_cell() { decoder_.keep_every_cell(); }
  void keep_only_cells_read() { decoder_.keep_only_cells(cells_read()); }
  // The fields whose cell write_outputs() reads: the plans with a `raw`.
  std::vector<std::size_t> cells_read() const;
  // Header position of the dossier identifier (the schema's first field).
  std::size_t id_column() const;
  // How many summaries, from the first, classify() extracts keys for.
  std::size_t counted_summaries() const { return counted_.size(); }

  // Returns the reasons the row is rejected, empty when it is classified. Everything
  // the row produces is computed here, so that an evaluation error anywhere (a
  // decision, an output, a summary axis) rejects the row instead of leaving a blank.
  // With `keys`, what the row contributes to each counted summary is appended there
  // (nothing when it is rejected); without, it is only computed, for its errors. With
  // `line`, likewise, the row's output cells in declaration order, each followed by a
  // comma: written as each column is evaluated, taken back when the row is rejected.
  std::vector<std::string> classify(const io::CsvRecord& row,
                                    const std::optional<io::CsvError>& csv_error,
                                    SummaryKeys* keys = nullptr, ByteSink* line = nullptr);
  // The same, the reasons appended to `reasons` (none: the row is classified). For a
  // caller that classifies many rows, without a vector made and destroyed for each (its
  // destructor, a call, cost 14 instructions a dossier). Returns whether the row is
  // classified: known on each way out, where reading `reasons` again cost 5 a dossier.
  // `line_end` (a byte, or kNoLineEnd): written after the row's cells in `line`, in the
  // room made for them (a result line's end: no call of ByteSink to put it, 2,179.3 ->
  // 2,177.3 instructions per dossier).
  // `keys_reserved`: reserve_keys() made room in `keys` for this row's.
  // `csv_error`: the row's CSV error, or nullptr: a caller that knows the row has none
  // passes the constant, and the test goes (the worker's loop, for a clean split: 2,028.0
  // -> 2,024.9 instructions per dossier).
  static constexpr int kNoLineEnd = -1;
  bool classify_into(const io::CsvRecord& row, const io::CsvError* csv_error,
                     std::vector<std::string>& reasons, SummaryKeys* keys = nullptr,
                     ByteSink* line = nullptr, int line_end = kNoLineEnd,
                     bool keys_reserved = false);
  // Room in `keys` for the keys of `rows` rows that classify_into() is then given with
  // `keys_reserved`: made once for a batch, not checked a row (2,177.3 -> 2,170.3
  // instructions per dossier).
  void reserve_keys(SummaryKeys& keys, std::size_t rows) const {
    if (direct_keys_) keys.keys.reserve(keys.keys.size() + rows * fixed_key_count_);
  }

  // After a successful classify(): the formatted output cells, in declaration order.
  std::vector<std::string> outputs();
  // For a rejected row: output columns that copy a schema field show the raw cell.
  std::vector<std::string> raw_outputs(const io::CsvRecord& row) const;

  Interpreter& interpreter() { return interpreter_; }
  const Record& record() const { return record_; }
  const graph::RuleGraph& graph() const { return graph_; }
  const io::RecordDecoder& decoder() const { return decoder_; }

 private:
  const graph::RuleGraph& graph_;
  io::RecordDecoder decoder_;
  Interpreter interpreter_;
  Record record_;
  // graph_.decisions.size(), kept: one load a row, not the vector's ends read again after
  // each decision and divided by a decision's size.
  std::uint32_t decisions_;
  std::vector<SummaryCounter> counted_;  // the first summaries: their keys are extracted
  std::vector<SummaryCounter> checked_;  // the others that may fail: evaluated for errors
  // How classify() finds an output column's input: what its cell depends on (CellKey),
  // read straight from the record or a decision's outcome when it is a field or a
  // decision, without a call to the interpreter; evaluated otherwise.
  struct OutputPlan {
    enum class How : std::uint8_t {
      Value,            // the column's expression, evaluated
      ValueOfField,     // the column is field `index`
      TextOfField,      // … a text
      IntegerOfField,   // … a whole number
      Id,               // CellKey::Kind::Id: the key expression, evaluated
      IdOfField,        // … the key is field `index`
      IdOfDecision,     // … the key is decision `index`
      Rule,             // CellKey::Kind::Rule
      Word,             // CellKey::Kind::Word: the key expression, evaluated
      WordOfField,      // … the key is field `index`
      UnknownsOfField,  // `non_reconnus(…)` of field `index`
      // A run of adjacent columns that all depend on one small key (plan_runs): the next
      // plans' cells, up to its RunEnd, kept together in `kept` under that key, copied at
      // once (then `past`, the plan after the RunEnd, is next).
      DecisionRun,  // IdOfDecision and Rule columns of decision `index`: its value and rule
      // A DecisionRun with an IdOfField column just before or after its columns, within
      // the run: keyed by the decision's value and rule and that field's id (`field`, its
      // index by `writer`, the IdOfField column's: every decoded value has one). One lookup
      // and copy for both, not two (COP 2024's departement and categorie: 2,192.0 ->
      // 2,179.3 instructions per dossier).
      IdDecisionRun,
      SetRun,  // WordOfField and UnknownsOfField columns of one-word set field `index`:
               // its word, when the cell has no unknown labels; with them, and one
               // UnknownsOfField column (then RunGap, `writer` its writer), the run kept
               // for the word is copied around that column's cell
      RunGap,  // a SetRun's one UnknownsOfField column: where the kept run's gap is
      RunEnd,  // after a run's columns, reached when the run was not kept: keeps it
      End,     // after the last column (the last: write_outputs)
    };
    How how = How::Value;
    std::uint32_t index = 0;
    // write_outputs' code for `how`, set by its first call: one load a column, not the
    // how and then its entry in a table.
    const void* code = nullptr;
    // write_usual_outputs_avx2's, likewise.
    const void* usual = nullptr;
    const CsvCellWriter* writer = nullptr;  // a column's, in output_cells_ (a SetRun's: its
                                            // RunGap column's, or none)
    KeptCells* kept = nullptr;              // a run's, in runs_
    const OutputPlan* past = nullptr;       // a run's: the plan after its RunEnd
    // A plan that reads field `index` (…OfField, SetRun): the record's value, cell as read
    // and unknown labels (record_'s vectors keep their places): one load, not the index,
    // the vector's start (on the stack: write_outputs has few registers left) and their sum
    // (write_outputs_avx2 255.6 -> 238.9 instructions a dossier).
    const graph::Value* field = nullptr;
    const std::string_view* raw = nullptr;  // only for the plans that read it (cells_read)
    const std::vector<std::string_view>* unknowns = nullptr;
    // A plan that reads decision `index`'s outcome (IdOfDecision, Rule, DecisionRun,
    // IdDecisionRun), in the interpreter (its vector keeps its place): one load, not the
    // vector's start and the index scaled (2,163.3 -> 2,159.4 instructions per dossier).
    const DecisionOutcome* outcome = nullptr;
  };
  static OutputPlan plan_output(const graph::RuleGraph& graph, const CellKey& key);
  // A DecisionRun's key: its value (present, id) and rule, in bits 0 to 47 (rule + 2 below
  // 2^15: plan_runs) …
  static std::uint64_t decision_key(const DecisionOutcome& outcome) {
    const std::uint64_t value =
        outcome.value.present ? std::uint64_t{1} << 32 | outcome.value.id : 0;
    return std::uint64_t{static_cast<std::uint32_t>(outcome.rule + 2)} << 33 | value;
  }
  // … and an IdDecisionRun's: the field's id index in bits 48 to 63 (its writer's
  // indexed_count() at most 2^16: plan_runs).
  static constexpr unsigned kIdKeyShift = 48;
  // Each column's plan, with runs (DecisionRun, SetRun … RunEnd) around those of two
  // columns or more that depend on one key: COP 2024's categorie, its label and its rule
  // one copy, its levers, unknown labels, axes and sectors another, not one lookup and
  // copy a column (3,548 -> 3,446 instructions per dossier, write_outputs 364 -> 261).
  void plan_runs(const std::vector<OutputPlan>& columns);
  std::vector<OutputPlan> output_plans_;     // the columns' and the runs', in order, then End
  std::vector<CsvCellWriter> output_cells_;  // one per output column
  std::vector<KeptCells> runs_;              // one per run
  SummaryKeys summary_keys_;                 // classify()'s when it is given none
  // Every counted summary is single_keys(): a row's keys are two a summary, room made for
  // them at once and no texts (SummaryKeys::mark() of three sizes and a capacity check a
  // key cost about 15 instructions a dossier).
  bool fixed_keys_ = true;
  std::size_t fixed_key_count_ = 0;  // then: two a counted summary
  // Every counted summary's keys read from values whose place is known before the row
  // (SummaryCounter::key_reads: fields, decisions; no condition): two a summary, each
  // the id of a value or its `missing` key, with no test of the axis's kind nor call
  // (classify_into 160 -> 132 instructions a dossier).
  std::vector<SummaryCounter::KeyRead> key_reads_;
  const SummaryCounter::KeyRead* key_reads_end_ = nullptr;
  // key_reads_, at least one counted summary and none to check (checked_): the usual rows'
  // one test.
  bool direct_keys_ = false;
  // The usual configuration: a program of one decision run alone (Interpreter::sole_alone),
  // write_usual_outputs_avx2 (avx2_) and direct_keys_. classify_into() tests it alone, the
  // others taken out of line by classify_decoded() (not a test of each a row: 2,042.3 ->
  // 2,037.3 instructions per dossier).
  bool usual_ = false;
  // classify_into() of a decoded row, in any configuration.
  [[gnu::noinline]] bool classify_decoded(std::vector<std::string>& reasons, SummaryKeys* keys,
                                          ByteSink* line, int line_end, bool keys_reserved);
  // The row's `line_end` (unless kNoLineEnd) after its cells, which end at `past`, and the
  // line committed to there.
  static void end_line(ByteSink& line, char* past, int line_end) {
    if (line_end != kNoLineEnd) *past++ = static_cast<char>(line_end);
    line.commit(past);
  }
  // classify_into()'s keys of a row, when direct_keys_; false when the row is rejected
  // (interpreter_.error()), its line from `line_begin` taken back.
  bool put_direct_keys(SummaryKeys& keys, bool keys_reserved, std::vector<std::string>& reasons,
                       ByteSink* line, std::size_t line_begin);
  // A row rejected for a CSV error, for fields that cannot be decoded (field_errors_): its
  // reasons. Out of line, rare: classify_into() keeps fewer registers and less stack.
  [[gnu::noinline]] void reject_csv_error(const io::CsvRecord& row, const io::CsvError& csv_error,
                                          std::vector<std::string>& reasons) const;
  // … and empties field_errors_ for the next row.
  [[gnu::noinline]] void reject_field_errors(std::vector<std::string>& reasons);
  // A row rejected for interpreter_.error(): its line taken back, the error its reason.
  [[gnu::noinline]] void reject_after_error(std::vector<std::string>& reasons, ByteSink* line,
                                            std::size_t line_begin);
  ByteSink line_;  // classify()'s when it is given none
  // Empty between rows: decode() adds to it only when it refuses a row, whose reasons
  // reject_field_errors() makes and then clears it (not cleared a row: 5 instructions).
  std::vector<io::FieldError> field_errors_;
  // The room the columns' cells made or kept before may take in a row (the sum of their
  // writers' ready_room(), a byte for a column of unknown labels, the room of a text or a
  // number read from a field: CsvCellWriter::kTextRoom, kIntegerRoom, and a byte for the
  // line's end: classify_into's `line_end`), made once a row.
  std::size_t ready_room_ = 1;
  // How a text field's cell is written in that room: with AVX2 when the processor has it.
  CsvCellWriter::TextPut put_text_ = nullptr;
  // Writes every output column's cell for this row, each followed by a comma, at `p` in
  // `line` (room made for ready_room_) and returns the end: a cell made or kept before
  // when there is one for its key, else its value appended to `line`, and room made again.
  // Once every decision is decided for the row (decisions read with decided()).
  char* write_outputs(ByteSink& line, char* p);
  // write_outputs with AVX2 (when the processor has it and the constructor's `simd` allows
  // it): a usual text and a run's kept bytes written 32 bytes a step and without a call
  // (2,933 -> 2,921 instructions per dossier, write_outputs with put_usual_text_at_avx2 273
  // -> 259); else with SSE2. Both from one body (runtime/write_outputs.inc).
  // Both from `plan` on (output_plans_.data(): the whole row).
  char* write_outputs_sse2(ByteSink& line, char* p, const OutputPlan* plan);
#if defined(TAMIS_AVX512_DISPATCH)
  TAMIS_TARGET_AVX2 char* write_outputs_avx2(ByteSink& line, char* p, const OutputPlan* plan);
  // write_outputs with AVX2 for the usual row, where every cell is made or kept before, or
  // a usual text or number copied: no call, so no frame nor register saved (those of
  // write_outputs_avx2 cost about 21 instructions a row); at the first column that is not
  // usual, write_outputs_avx2 goes on from its plan (a jump, not a call). 2,239.3 -> 2,215.4
  // instructions per dossier. From the same body, its first parts (TAMIS_USUAL_ONLY:
  // runtime/write_outputs.inc), not a copy of them: 2,165.3 either way.
  TAMIS_TARGET_AVX2 char* write_usual_outputs_avx2(ByteSink& line, char* p);
#endif
  bool avx2_ = false;  // write_outputs_avx2
  // A one-word set's cell kept by `writer`, or the cell written and kept.
  char* write_set(const graph::Value& set, const CsvCellWriter& writer, ByteSink& line, char* p);
  // Appends `value` with `writer` at `p` in `line`, the bytes before it committed; returns
  // where the next cell goes, room made for ready_room_.
  char* append_value(const graph::Value& value, const CsvCellWriter& writer, ByteSink& line,
                     char* p);
  std::vector<std::string> header_;  // the campaign's, to name the column of a CSV error
};

// Inline: the worker's per-row loop (campaign.cpp) keeps its registers, no call a row.
[[gnu::always_inline]] inline bool Classifier::classify_into(const io::CsvRecord& row,
                                                             const io::CsvError* csv_error,
                                                             std::vector<std::string>& reasons,
                                                             SummaryKeys* keys, ByteSink* line,
                                                             int line_end, bool keys_reserved) {
  if (csv_error != nullptr) [[unlikely]] {
    reject_csv_error(row, *csv_error, reasons);
    return false;
  }
  if (!decoder_.decode(row, record_, field_errors_)) [[unlikely]] {
    reject_field_errors(reasons);
    return false;
  }
#if defined(TAMIS_AVX512_DISPATCH)
  if (usual_ && line != nullptr && keys != nullptr) [[likely]] {
    interpreter_.reload();  // of record_, loaded by the constructor
    interpreter_.decide_sole();
    const std::size_t line_begin = line->size();
    end_line(*line, write_usual_outputs_avx2(*line, line->room(ready_room_)), line_end);
    return put_direct_keys(*keys, keys_reserved, reasons, line, line_begin);
  }
#endif
  return classify_decoded(reasons, keys, line, line_end, keys_reserved);
}

[[gnu::always_inline]] inline bool Classifier::put_direct_keys(SummaryKeys& keys,
                                                               bool keys_reserved,
                                                               std::vector<std::string>& reasons,
                                                               ByteSink* line,
                                                               std::size_t line_begin) {
  // Room for the row's keys made once; each summary's two read where they are (a loop
  // a summary, not a key, each a conditional move; one test for the usual rows: 2,570 ->
  // 2,561 instructions a dossier); no summary checked.
  const std::size_t keys_before = keys.keys.size();
  std::uint32_t* k = keys_reserved ? keys.keys.append_reserved(fixed_key_count_)
                                   : keys.keys.append(fixed_key_count_);
  // At least one summary (direct_keys_): its keys read before the loop's test, not after
  // a test of the first against the end (2,170.3 -> 2,168.3 instructions per dossier).
  const SummaryCounter::KeyRead* read = key_reads_.data();
  do {
    k[0] = read[0].key();
    k[1] = read[1].key();
    read += 2;
    k += 2;
  } while (read != key_reads_end_);
  if (!interpreter_.error().empty()) [[unlikely]] {
    keys.keys.resize(keys_before);
    reject_after_error(reasons, line, line_begin);
    return false;
  }
  return true;
}

// Inline: classify_into() calls the one it chooses, not a function that jumps to it (2,356.5
// -> 2,355.5 instructions per dossier).
inline char* Classifier::write_outputs(ByteSink& line, char* p) {
#if defined(TAMIS_AVX512_DISPATCH)
  if (avx2_) return write_usual_outputs_avx2(line, p);
#endif
  return write_outputs_sse2(line, p, output_plans_.data());
}

}  // namespace tamis::runtime
