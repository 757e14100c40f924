#include "runtime/campaign.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <deque>
#include <limits>
#include <memory>
#include <stdexcept>
#include <thread>

#include "runtime/classifier.hpp"
#include "runtime/eval/interpreter.hpp"
#include "runtime/io/csv_reader.hpp"
#include "runtime/io/csv_writer.hpp"
#include "runtime/io/record_decoder.hpp"
#include "runtime/parallel/batch_pipeline.hpp"
#include "support/bytes.hpp"
#include "support/flat_integer_map.hpp"
#include "support/flat_string_map.hpp"
#include "support/huge_page_allocator.hpp"
#include "support/lang.hpp"
#include "support/text.hpp"

// How a campaign is classified
// ----------------------------
// The calling thread frames the export's records (finds where each ends, without
// splitting it: CsvReader::next_raws) into batches of rows, which refer to their
// bytes where they were read, queues each batch for the worker threads, and commits
// finished batches in input order; while the oldest is not finished, it processes
// queued batches itself. A worker (or the calling thread), with its own splitter and
// Classifier, splits, checks, decodes and evaluates every row of its batch and formats
// its result line and summary keys. Committing does what depends on the rows before:
// the duplicate-identifier check, the summary counts, the rejections, the results file.
// So the output is the same, byte for byte, with one thread or eight. `--threads N`
// is the calling thread and N - 1 workers. The first rows are classified on the
// calling thread alone, in smaller batches: worker threads start only when the
// campaign is long enough to repay them.

namespace tamis::runtime {

namespace {

constexpr std::size_t kRowsPerBatch = 1024;
// With explanations (several kilobytes a row), smaller batches: their buffers stay
// in cache and are reused, instead of growing to megabytes page by page.
constexpr std::size_t kRowsPerTracedBatch = 64;
// On the calling thread, nothing is handed over: smaller batches, whose buffers stay
// in cache.
constexpr std::size_t kRowsPerInlineBatch = 128;
constexpr std::size_t kBatchesBeforeThreads = 4;
// Rows read before the number of rows of the campaign is estimated (CampaignOptions::
// input_bytes), or fewer when worker threads start earlier.
constexpr std::size_t kRowsToEstimate = 512;
// A batch also ends once its records reach this many bytes (rows of long texts). Its
// buffers are reserved at this size when it is made, so that filling them does not
// reallocate: each reallocation wrote the bytes again into pages never touched, and
// page faults were most of the time of a small campaign. Reserved pages that are not
// written cost nothing.
constexpr std::size_t kBatchBytes = std::size_t{512} << 10;

// The dossier identifiers of the campaign (io::identifier_key), to refuse a second
// dossier with the same one. Tens of megabytes for a million dossiers, looked up at
// random: on huge pages.
// Each with the line of its first row (kUnknownLine past 2^32 - 1 lines), for the message
// that rejects a second one.
using IdSet = FlatStringMap<std::uint32_t, HugePageAllocator>;
// The same for `entier` identifiers (io::integer_identifier), whose keys are numbers.
using NumberIdSet = FlatIntegerMap<std::uint32_t, HugePageAllocator>;
constexpr std::uint32_t kUnknownLine = UINT32_MAX;

std::uint32_t line32(std::size_t line) {
  return line < kUnknownLine ? static_cast<std::uint32_t>(line) : kUnknownLine;
}

// A row as read: its record's bytes (in one of Batch::buffers), line and number.
using InputRow = io::RawRecord;

// What a worker found for one row, read back by the committing thread: 16 bytes, four
// rows a cache line, as these lines are written on one core and read on another (64
// bytes a row, the committing thread still waited for each row's line). The rest is
// found by running offsets: the identifier keys, result lines, rejections and summary
// keys of the rows are adjacent in the batch's buffers, in row order.
constexpr std::uint32_t kRejected = UINT32_MAX;  // RowResult::out_size of a rejected row

struct RowResult {
  std::uint64_t id_hash = 0;           // IdSet::hash of the identifier key (classified rows);
                                       // NumberIdSet::hash of the identifier when key_size is
                                       // kNumberKey
  std::uint32_t key_size = 0;          // the identifier key (io::identifier_key), in Batch::id_keys
  std::uint32_t out_size = kRejected;  // the result line in Batch::out; else the row's reasons
                                       // are the next of Batch::rejections
};
static_assert(sizeof(RowResult) == 16);
// RowResult::key_size of a classified row whose `entier` identifier is in id_hash: no key
// in Batch::id_keys (size32 never gives it).
constexpr std::uint32_t kNumberKey = UINT32_MAX;

// A classified row with labels naming no row (Worker::unrecognised_mask, not 0). Only such
// rows are kept, in row order: most rows have none, and a mask a row cost a store a row, and
// a test a row when committed (commit_classified 23.1 -> 17.9 instructions a dossier).
struct UnrecognisedRow {
  std::size_t row = 0;  // in the batch
  std::uint64_t mask = 0;
};

// `n` as a 32-bit size (of a row's identifier key or result line).
std::uint32_t size32(std::size_t n) {
  if (n >= kRejected) throw std::length_error("a dossier identifier or result line of 4 GiB");
  return static_cast<std::uint32_t>(n);
}

struct Batch {
  // Filled by the reader: records as read, not split into fields, where they were read
  // (io::CsvReader::next_raws): the buffers they are in are held until the batch is
  // cleared. Copied into the batch, they cost 131 instructions per dossier (memcpy, on
  // the bench's campaign).
  std::vector<std::shared_ptr<const void>> buffers;
  std::size_t bytes = 0;  // of the rows
  std::vector<InputRow> rows;
  // Filled by the worker.
  // Each row's, written whole by process(), rejected or not: not cleared, nor made anew
  // for each batch and then written again (process 166.0 -> 163.0 instructions a dossier).
  // Only the first rows.size() are the batch's.
  std::vector<RowResult> results;
  std::string id_keys;                               // RowResult::key_size
  std::vector<std::vector<std::string>> rejections;  // of the rejected rows, in order
  ByteSink out;                                      // the result lines
  SummaryKeys keys;
  std::vector<UnrecognisedRow> unrecognised;  // in row order
  std::vector<std::uint8_t> marks;            // coverage marks, when asked for
  std::vector<std::size_t> marks_begin;       // each row's in `marks`
  std::string trace;                          // explanations of classified rows, when asked for
  std::vector<std::pair<std::size_t, std::size_t>> trace_range;  // each row's in `trace`
  // Pipeline state.
  bool done = true;
  std::exception_ptr failure;

  Batch() { out.reserve(kBatchBytes); }

  void clear() {
    buffers.clear();
    bytes = 0;
    rows.clear();
    id_keys.clear();
    rejections.clear();
    out.clear();
    keys.clear();
    unrecognised.clear();
    marks.clear();
    marks_begin.clear();
    trace.clear();
    trace_range.clear();
  }

  // Records from `reader` until the batch is full; false at end of input.
  bool fill(io::CsvReader& reader, std::size_t max_rows) {
    return reader.next_raws(rows, max_rows, bytes, kBatchBytes, buffers);
  }
};

// A dossier identifier to check for duplicates: an `entier` one as its number's hash
// (io::integer_identifier, NumberIdSet::hash), any other as its key
// (io::append_identifier_key) and hash.
struct Identifier {
  bool is_number = false;
  std::string_view key;
  std::uint64_t hash = 0;
};

// The dossier identifiers met so far, each with the line of its first row (kUnknownLine
// past 2^32 - 1 lines): numbers and keys in a table each.
class SeenIdentifiers {
 public:
  explicit SeenIdentifiers(bool numbers) : numbers_(numbers) {}

  // A classified row's identifier as its worker handed it over: the number in id_hash,
  // or the key at `key_at` in the batch's id_keys.
  static Identifier of_result(const RowResult& result, std::string_view id_keys,
                              std::size_t key_at) {
    if (result.key_size == kNumberKey) return {true, {}, result.id_hash};
    return {false, id_keys.substr(key_at, result.key_size), result.id_hash};
  }
  // The identifier of a key made by io::append_identifier_key: the 8 bytes of an
  // `entier` identifier's key are its number.
  Identifier of_key(std::string_view key) const {
    if (numbers_ && key.size() == sizeof(std::int64_t))
      return {true, {}, NumberIdSet::hash(load_word<std::int64_t>(key.data()))};
    return {false, key, IdSet::hash(key)};
  }

  // Starts loading the slot the identifier of `result` is looked up in. Always inline, as
  // FlatIntegerMap::prefetch: out of line, GCC 12 removed every call to it.
  [[gnu::always_inline]] void prefetch(const RowResult& result) const {
    if (result.key_size == kNumberKey) {
      numbers_seen_.prefetch_hashed(result.id_hash);
    } else {
      keys_seen_.prefetch(result.id_hash);
    }
  }
  // Adds `id`, met on `line`: false when it was met before.
  bool insert(const Identifier& id, std::uint32_t line) {
    return id.is_number ? numbers_seen_.insert_hashed(id.hash, line)
                        : keys_seen_.insert(id.key, id.hash, line);
  }
  // insert() of `more` `entier` identifiers in a row, room made for them at once: each
  // number inserted with its line (insert), its slot prefetched (prefetch), then done() with
  // the count inserted.
  using NumberInserter = NumberIdSet::ReservedInserter;
  NumberInserter number_inserter(std::size_t more) { return numbers_seen_.reserved_inserter(more); }
  // Whether the identifiers are `entier` ones (io::integer_identifier).
  bool numbers() const { return numbers_; }
  // The line of the first row with `id`, inserted before (kUnknownLine: unknown).
  std::uint32_t first_line(const Identifier& id) const {
    return id.is_number ? *numbers_seen_.find_hashed(id.hash) : *keys_seen_.find(id.key);
  }

  // Sizes the table for `rows` dossiers, from the identifiers met so far.
  void expect_rows(std::size_t rows) {
    if (numbers_) {  // the other table holds one key at most: an empty cell's
      if (numbers_seen_.size() != 0 && rows > numbers_seen_.size()) numbers_seen_.reserve(rows);
      return;
    }
    const std::size_t seen = keys_seen_.size();
    if (seen == 0 || rows <= seen) return;
    keys_seen_.reserve(rows, (keys_seen_.key_bytes() / seen + 1) * rows);  // + 1: the rounding
  }

 private:
  bool numbers_;              // io::integer_identifier
  IdSet keys_seen_;           // 12 bytes a slot, the keys in one buffer
  NumberIdSet numbers_seen_;  // 16 bytes a slot
};

// What splits and classifies rows on one thread.
// The schema's fields that are sets of table rows, whose cells may hold labels naming no
// row (UnrecognisedLabels): the first 64, one bit each in a row's mask.
std::vector<std::size_t> label_set_fields(const graph::RuleGraph& graph) {
  std::vector<std::size_t> fields;
  for (std::size_t f = 0; f < graph.schema.fields.size() && fields.size() < 64; ++f) {
    const graph::Type& type = graph.schema.fields[f].type;
    if (type.set && type.base == graph::Base::Row) fields.push_back(f);
  }
  return fields;
}

struct Worker {
  Worker(const graph::RuleGraph& graph, char separator, std::size_t counted_summaries)
      : classifier(graph, counted_summaries),
        splitter(separator),
        integer_ids(io::integer_identifier(graph)) {
    for (const std::size_t field : label_set_fields(graph))
      label_lists.push_back(&classifier.record().unknown_labels[field]);
  }
  Classifier classifier;
  io::RecordSplitter splitter;
  // The unknown labels of each of label_set_fields(), in the classifier's record (whose
  // vectors keep their places): one load a field, not the record's vector and the index
  // (process 163.0 -> 161.0 instructions a dossier).
  std::vector<const std::vector<std::string_view>*> label_lists;
  bool integer_ids;  // io::integer_identifier

  // Binds the classifier to the campaign's header (Classifier::bind); the splitter then
  // stores only the fields the decoder reads (RecordSplitter::read_only). The record keeps
  // every cell as read when `every_cell` (explanations of a trace, observers), else only
  // those the results are written from (Classifier::keep_only_cells_read).
  std::vector<std::string> bind(const std::vector<std::string>& header, bool every_cell) {
    std::vector<std::string> errors = classifier.bind(header);
    if (every_cell) {
      classifier.keep_every_cell();
    } else {
      classifier.keep_only_cells_read();
    }
    std::vector<std::size_t> columns;
    for (std::size_t f = 0; f < classifier.graph().schema.fields.size(); ++f)
      columns.push_back(classifier.decoder().column_of(f));
    splitter.read_only(columns, header.size());
    return errors;
  }

  // Bit k set when the record just classified has labels naming no row in label_lists[k].
  // The fields walked by pointer, their bit shifted along: an index, the vector's size
  // again and a shift by it a field cost process 167.1 -> 166.0 instructions a dossier.
  std::uint64_t unrecognised_mask() const {
    std::uint64_t mask = 0;
    std::uint64_t bit = 1;
    for (const std::vector<std::string_view>* labels : label_lists) {
      if (!labels->empty()) mask |= bit;
      bit <<= 1;
    }
    return mask;
  }
};

// What a worker computes besides the classification itself.
struct Extras {
  bool coverage = false;
  const TraceOptions* trace = nullptr;
};

// Classifies every row of a batch (worker side: nothing here depends on other rows).
void process(Worker& worker, const Extras& extras, Batch& batch) {
  Classifier& classifier = worker.classifier;
  io::CsvRecord record;
  std::optional<io::CsvError> csv_error;  // read only when split_clean() says so
  std::vector<std::string> reasons;       // a rejected row's, moved out: empty for the next
  ExplainContext context;
  if (extras.trace != nullptr) {
    context.campaign = extras.trace->campaign;
    batch.trace.reserve(kBatchBytes);  // as Batch() does for the other buffers
  }
  if (batch.results.size() < batch.rows.size()) batch.results.resize(batch.rows.size());
  if (extras.coverage) batch.marks_begin.resize(batch.rows.size());
  if (extras.trace != nullptr) batch.trace_range.resize(batch.rows.size());
  // Coverage marks or explanations, unrecognised labels: one test a row, of a list that is
  // empty when the row has none of them. A campaign of one field of labels (COP 2024's) and
  // no extras: that field's list, asked whether it is empty (not unrecognised_mask()'s loop
  // set up and run: 2,077.3 -> 2,066.1 instructions per dossier); with no field of labels
  // nor extras, a list always empty; else one never empty, each row taking the rare way
  // (not a test of the list, then of the extras: 2,024.9 -> 2,021.2).
  const bool any_extras = extras.coverage || extras.trace != nullptr;
  static const std::vector<std::string_view> kNever;
  static const std::vector<std::string_view> kAlways(1);
  const std::vector<std::string_view>* const rare =
      any_extras || worker.label_lists.size() > 1 ? &kAlways
      : worker.label_lists.empty()                ? &kNever
                                                  : worker.label_lists[0];
  // Held here: the stores of a row could change the vector's ends, read again a row.
  const std::size_t rows = batch.rows.size();
  classifier.reserve_keys(batch.keys, rows);
  // The rows and their results walked by pointer: not the vectors' starts loaded again and
  // the index scaled for each (2,165.3 -> 2,163.3 instructions per dossier).
  const InputRow* const first_row = batch.rows.data();
  RowResult* result_at = batch.results.data();
  for (const InputRow* row_at = first_row; row_at != first_row + rows; ++row_at, ++result_at) {
    const InputRow& row = *row_at;
    RowResult& result = *result_at;
    // The row's index, for the rare rows that need it: made there, not a division by the
    // rows' size a row (2,159.4 -> 2,153.1 instructions per dossier).
    const auto index = [&] { return static_cast<std::size_t>(row_at - first_row); };
    // A clean split's error not read: nullptr, a constant, whose test goes.
    const bool clean = worker.splitter.split_clean(row, record, csv_error);
    const io::CsvError* const error = clean || !csv_error ? nullptr : &*csv_error;
    const std::size_t out_begin = batch.out.size();
    if (!classifier.classify_into(record, error, reasons, &batch.keys, &batch.out, '\n', true)) {
      batch.rejections.push_back(std::move(reasons));
      reasons.clear();       // moved from: valid, and now surely empty
      result = RowResult{};  // out_size kRejected
      continue;
    }
    // A classified row's identifier key, for the duplicate check when the batch is
    // committed (a rejected row's is made there, from its cell): an `entier` identifier
    // as the number it is (what io::append_identifier_key's 8 bytes hold), hashed here: not
    // again by the committing thread's prefetch and insert (2,043.3 -> 2,042.3 instructions per
    // dossier).
    if (const graph::Value& id = classifier.record().fields[0]; worker.integer_ids && id.present) {
      result.id_hash = NumberIdSet::hash(id.integer);
      result.key_size = kNumberKey;
    } else {
      const std::size_t key_begin = batch.id_keys.size();
      io::append_identifier_key(batch.id_keys, classifier.graph(), classifier.record());
      result.key_size = size32(batch.id_keys.size() - key_begin);
      result.id_hash = IdSet::hash(std::string_view(batch.id_keys).substr(key_begin));
    }
    // The empty `rejet` cell ends the line, written by classify_into() after the row's cells.
    // Its size below 4 GiB: checked once a batch, for all its lines, not by size32 a row
    // (2,168.3 -> 2,165.3 instructions per dossier).
    result.out_size = static_cast<std::uint32_t>(batch.out.size() - out_begin);
    if (rare->empty()) [[likely]]
      continue;
    if (const std::uint64_t mask = worker.unrecognised_mask(); mask != 0)
      batch.unrecognised.push_back({index(), mask});
    if (extras.coverage) {
      batch.marks_begin[index()] = batch.marks.size();
      coverage_marks(classifier.graph(), classifier.interpreter(), batch.marks);
    }
    if (extras.trace != nullptr) {
      context.line = row.line;
      const std::size_t trace_begin = batch.trace.size();
      extras.trace->writer->append(batch.trace, classifier.interpreter(), classifier.record(),
                                   context);
      batch.trace_range[index()] = {trace_begin, batch.trace.size() - trace_begin};
    }
  }
  size32(batch.out.size());  // each of its lines as short: their sizes were not cut
}

// An output written in input order: runs of a batch's buffers, passed on without a
// copy (the results of consecutive rows are adjacent there), and lines made while
// committing (rejections), in between. At any time, only one of the two is pending.
class OrderedWriter {
 public:
  explicit OrderedWriter(std::ostream* out) : out_(out) {}

  // Bytes that stay valid until end_batch().
  void pass(std::string_view bytes) {
    if (!run_.empty() && run_.data() + run_.size() == bytes.data()) {
      run_ = std::string_view(run_.data(), run_.size() + bytes.size());
      return;
    }
    write_made();
    write_run();
    run_ = bytes;
  }
  // Where to make bytes that follow everything passed so far.
  std::string& made() {
    write_run();
    return made_;
  }
  // Writes what is pending: the batch's buffers are about to be reused.
  void end_batch() {
    write_run();
    write_made();
  }

 private:
  void write_run() {
    if (out_ != nullptr && !run_.empty())
      out_->write(run_.data(), static_cast<std::streamsize>(run_.size()));
    run_ = {};
  }
  void write_made() {
    if (out_ != nullptr && !made_.empty())
      out_->write(made_.data(), static_cast<std::streamsize>(made_.size()));
    made_.clear();
  }

  std::ostream* out_;
  std::string_view run_;
  std::string made_;
};

// A rejected row's cell as written to the results and rejects files: as read, but for
// each NUL byte and each byte of an invalid UTF-8 sequence, written as U+FFFD, so that
// those files stay valid UTF-8 text (the rejection says what the bytes were).
std::string written_cell(std::string_view cell) {
  if (cell.find('\0') == std::string_view::npos && !text::first_invalid_utf8(cell))
    return std::string(cell);
  std::string without_nul;
  for (const char c : cell) {
    if (c == '\0') {
      without_nul += "\xEF\xBF\xBD";  // U+FFFD
    } else {
      without_nul += c;
    }
  }
  return text::valid_utf8(without_nul);
}

// The calling thread's side: everything that depends on the rows before.
class Committer {
 public:
  Committer(const graph::RuleGraph& graph, const Classifier& reference, char separator,
            std::ostream* results, CampaignObserver* observer, Coverage* coverage,
            const TraceOptions* trace, CampaignReport& report)
      : reference_(reference),
        splitter_(separator),
        results_(results),
        observer_(observer),
        coverage_(coverage),
        trace_(trace),
        report_(report),
        seen_ids_(io::integer_identifier(graph)),
        results_out_(results),
        trace_out_(trace != nullptr ? trace->out : nullptr) {
    for (std::size_t s = 0; s < reference.counted_summaries(); ++s) {
      counters_.emplace_back(graph, s);
      single_key_counters_ = single_key_counters_ && counters_.back().single_keys();
    }
    for (const std::size_t f : label_set_fields(graph)) {
      const graph::Field& field = graph.schema.fields[f];
      report_.unrecognised.push_back({field.column, graph.tables[field.type.ref].name, 0});
    }
  }

  // `evaluated`: the classifier that just evaluated the batch's single row, for observers.
  void commit(Batch& batch, Classifier* evaluated = nullptr) {
    const std::size_t rows = batch.rows.size();
    for (std::size_t i = 0; i < std::min(kPrefetchAhead, rows); ++i)
      seen_ids_.prefetch(batch.results[i]);
    Cursor cursor;
    std::size_t rejection = 0;
    // The result lines of the classified rows since the last rejected one, adjacent in
    // batch.out: passed on at once, not a row at a time.
    std::size_t passed_to = 0;
    const auto pass_classified = [&] {
      if (cursor.out_at > passed_to)
        results_out_.pass(batch.out.view().substr(passed_to, cursor.out_at - passed_to));
    };
    report_.rows_read += rows;
    // What a classified row may have besides its line and its counts.
    const bool extras =
        coverage_ != nullptr || trace_ != nullptr || (observer_ != nullptr && evaluated != nullptr);
    for (std::size_t i = 0; i < rows; ++i) {
      if (!extras) {  // the usual rows in a loop of their own, up to one that is not
        i = commit_classified(batch, i, cursor);
        if (i == rows) break;
      }
      const InputRow& row = batch.rows[i];
      const RowResult& result = batch.results[i];
      if (i + kPrefetchAhead < rows) seen_ids_.prefetch(batch.results[i + kPrefetchAhead]);
      const std::uint64_t unrecognised = take_unrecognised(batch, i, cursor);
      const bool rejected = result.out_size == kRejected;
      bool duplicate = false;
      Identifier classified_id;
      if (!rejected) {
        // The first schema field identifies a dossier: it must be unique in a campaign.
        classified_id = SeenIdentifiers::of_result(result, batch.id_keys, cursor.key_at);
        cursor.key_at += classified_id.key.size();
        duplicate = !seen_ids_.insert(classified_id, line32(row.line));
        if (duplicate) {
          for (const auto& counter : counters_)
            cursor.keys_at = counter.skip(batch.keys, cursor.keys_at);
        }
      }
      if (rejected || duplicate) {
        pass_classified();
        if (duplicate) cursor.out_at += result.out_size;  // its line is not written
        passed_to = cursor.out_at;
        reject_row(row, rejected ? &batch.rejections[rejection++] : nullptr, duplicate,
                   classified_id);
        continue;
      }
      cursor.out_at += result.out_size;
      ++cursor.classified;
      count_unrecognised(unrecognised);
      for (auto& counter : counters_) cursor.keys_at = counter.count(batch.keys, cursor.keys_at);
      if (extras) classified_extras(batch, i, row, evaluated);
    }
    pass_classified();
    report_.rows_classified += cursor.classified;
    results_out_.end_batch();
    trace_out_.end_batch();
  }

  // Sizes the identifier tables for `rows` dossiers, from the identifiers met so far.
  void expect_rows(std::size_t rows) { seen_ids_.expect_rows(rows); }

  void count_unrecognised(std::uint64_t mask) {
    for (; mask != 0; mask &= mask - 1)
      ++report_.unrecognised[static_cast<std::size_t>(std::countr_zero(mask))].dossiers;
  }

  void finish() {
    for (const auto& counter : counters_) report_.summaries.push_back(counter.table());
  }

 private:
  // Identifiers looked up this many rows ahead are prefetched (SeenIdentifiers::prefetch).
  static constexpr std::size_t kPrefetchAhead = 8;

  // Where the next row's parts start in a batch's buffers, and its rows classified so far.
  struct Cursor {
    std::size_t key_at = 0;           // in Batch::id_keys
    std::size_t out_at = 0;           // in Batch::out
    std::size_t keys_at = 0;          // in Batch::keys
    std::size_t unrecognised_at = 0;  // in Batch::unrecognised
    std::size_t classified = 0;
  };

  // The unrecognised labels' mask of row `i` (0: none), the cursor moved past it.
  static std::uint64_t take_unrecognised(const Batch& batch, std::size_t i, Cursor& cursor) {
    if (cursor.unrecognised_at == batch.unrecognised.size() ||
        batch.unrecognised[cursor.unrecognised_at].row != i)
      return 0;
    return batch.unrecognised[cursor.unrecognised_at++].mask;
  }

  // Commits the rows from `i` on that are classified, with nothing but their line and their
  // counts, up to the first that is rejected or whose identifier was met before (left as it
  // was, for commit() to take), or the batch's end; returns where it stopped. In a loop of
  // its own, whose state stays in registers: in commit(), among the rejected rows' and the
  // extras' variables, GCC kept most of it on the stack (commit 99 -> 57 instructions a
  // dossier with it).
  std::size_t commit_classified(const Batch& batch, std::size_t i, Cursor& cursor) {
    return seen_ids_.numbers() ? commit_classified<true>(batch, i, cursor)
                               : commit_classified<false>(batch, i, cursor);
  }
  // `kNumbers`: the identifiers are `entier` ones (io::integer_identifier), each row's number
  // inserted without Identifier's choice (a row without one is left to commit()).
  template <bool kNumbers>
  [[gnu::noinline]] std::size_t commit_classified(const Batch& batch, std::size_t i,
                                                  Cursor& cursor) {
    const std::size_t rows = batch.rows.size();
    const RowResult* const results = batch.results.data();
    const InputRow* const input = batch.rows.data();
    const std::string_view id_keys = batch.id_keys;
    std::size_t key_at = cursor.key_at;
    std::size_t out_at = cursor.out_at;
    std::size_t keys_at = cursor.keys_at;
    // First the rows' identifiers, then their counts: two loops, each with few enough
    // variables for the registers; the first without a call, the identifiers' table grown
    // before it for all the rows left, if needed (number_inserter).
    const std::size_t first = i;
    if constexpr (kNumbers) {
      SeenIdentifiers::NumberInserter numbers = seen_ids_.number_inserter(rows - i);
      // The rows' lines in order: the last one's below kUnknownLine, all are, taken as they
      // are (line32's test a row; else commit() takes the rows, one at a time).
      if (input[rows - 1].line < kUnknownLine)
        i = static_cast<std::size_t>(
            insert_numbers(numbers, results + i, results + rows, input + i) - results);
      // The result lines of the rows classified are adjacent in batch.out, those of the
      // rejected rows written nothing: up to the batch's end, they end where it does; else
      // added up here (not a load and an add a row in insert_numbers).
      if (i == rows) {
        out_at = batch.out.size();
      } else {
        for (std::size_t row = first; row < i; ++row) out_at += results[row].out_size;
      }
      numbers.done(i - first);
    } else {
      for (; i < rows; ++i) {
        const RowResult& result = results[i];
        if (result.out_size == kRejected) break;
        if (i + kPrefetchAhead < rows) seen_ids_.prefetch(results[i + kPrefetchAhead]);
        // The first schema field identifies a dossier: it must be unique in a campaign.
        const Identifier id = SeenIdentifiers::of_result(result, id_keys, key_at);
        if (!seen_ids_.insert(id, line32(input[i].line))) break;
        key_at += id.key.size();
        out_at += result.out_size;
      }
    }
    const std::size_t end = i;
    std::size_t unrecognised_at = cursor.unrecognised_at;
    for (; unrecognised_at < batch.unrecognised.size() &&
           batch.unrecognised[unrecognised_at].row < end;
         ++unrecognised_at)
      count_unrecognised(batch.unrecognised[unrecognised_at].mask);
    // The counters read through pointers kept here: the counts written below could be the
    // vector's ends to the compiler, which would read them again at each row.
    SummaryCounter* const counters = counters_.data();
    SummaryCounter* const counters_end = counters + counters_.size();
    if (single_key_counters_) {
      // Two keys a summary a row (SummaryCounter::single_keys): each summary's rows in a
      // loop of its own, the counter the same at each row.
      const std::size_t stride = 2 * counters_.size();
      for (SummaryCounter* counter = counters; counter != counters_end; ++counter) {
        counter->count_single_keys(batch.keys,
                                   keys_at + 2 * static_cast<std::size_t>(counter - counters),
                                   stride, end - first);
      }
      keys_at += (end - first) * stride;
    } else {
      for (std::size_t row = first; row < end; ++row) {
        for (SummaryCounter* counter = counters; counter != counters_end; ++counter)
          keys_at = counter->count(batch.keys, keys_at);
      }
    }
    cursor = {key_at, out_at, keys_at, unrecognised_at, cursor.classified + (end - first)};
    return end;
  }

  // commit_classified<true>'s identifiers: each row's number from `row` on inserted with its
  // line (`input`, the row's, below kUnknownLine), up to the first that is rejected, has none
  // or was met before, or `end`; returns where it stopped. A function of its own, with few
  // enough variables for the registers: in commit_classified, GCC kept the row's index and the
  // bytes' count on the stack.
  [[gnu::noinline]] static const RowResult* insert_numbers(
      const SeenIdentifiers::NumberInserter& inserter, const RowResult* row,
      const RowResult* const end, const InputRow* input) {
    // A copy of its own: in registers (the one given is in memory, which each slot written
    // may change to the compiler).
    SeenIdentifiers::NumberInserter numbers = inserter;
    // Whether the row is inserted (false: commit() takes it), its slot `kPrefetchAhead`
    // rows ahead prefetched with `prefetch`.
    const auto insert = [&](bool prefetch) {
      // A rejected row's key_size is 0 (RowResult's): one test for both (insert_numbers 33.7
      // -> 31.7 instructions a dossier).
      if (row->key_size != kNumberKey) return false;
      // Any row's: a row whose identifier is not a number has one of no use, but harmless.
      if (prefetch) numbers.prefetch_hashed(row[kPrefetchAhead].id_hash);
      // The first schema field identifies a dossier: it must be unique in a campaign.
      return numbers.insert_hashed(row->id_hash, static_cast<std::uint32_t>(input->line));
    };
    // The rows with one kPrefetchAhead rows ahead, then the others: no test of that a row.
    const RowResult* const prefetched =
        end - row > static_cast<std::ptrdiff_t>(kPrefetchAhead) ? end - kPrefetchAhead : row;
    for (; row != prefetched; ++row, ++input) {
      if (!insert(true)) return row;
    }
    for (; row != end; ++row, ++input) {
      if (!insert(false)) break;
    }
    return row;
  }

  // A row rejected (`own_reasons`: its reasons, moved from) or whose classified identifier
  // was met before (`duplicate`): its reasons, said and reported. Out of line, rare.
  // `classified_id` by value: its address taken, commit() made it in memory at each row.
  [[gnu::noinline]] void reject_row(const InputRow& row, std::vector<std::string>* own_reasons,
                                    bool duplicate, Identifier classified_id) {
    io::CsvRecord record;
    std::optional<io::CsvError> ignored;  // already among the reasons
    splitter_.split(row, record, ignored);
    const std::size_t id_column = reference_.id_column();
    const std::string id = id_column < record.fields.size()
                               ? std::string(text::trim(record.fields[id_column]))
                               : std::string();
    std::vector<std::string> reasons;
    if (own_reasons != nullptr) reasons = std::move(*own_reasons);
    // A rejected row's identifier counts too: a later row with the same one is a
    // second dossier under one identifier, whether or not the first could be read.
    std::string made_key;
    std::uint32_t first = 0;
    if (duplicate) {
      first = seen_ids_.first_line(classified_id);
    } else if (io::append_identifier_key(made_key, reference_.graph(), id)) {
      const Identifier made = seen_ids_.of_key(made_key);
      duplicate = !seen_ids_.insert(made, line32(row.line));
      if (duplicate) first = seen_ids_.first_line(made);
    }
    if (duplicate) {
      reasons.push_back(
          io::duplicate_identifier_reason(id, first == kUnknownLine ? 0 : std::size_t{first}));
    }
    reject(record, id, std::move(reasons));
  }

  // A classified row's coverage marks, explanation and observer's call.
  void classified_extras(const Batch& batch, std::size_t i, const InputRow& row,
                         Classifier* evaluated) {
    if (coverage_ != nullptr) add_marks(*coverage_, batch.marks.data() + batch.marks_begin[i]);
    if (trace_ != nullptr) {
      const auto [trace_begin, trace_size] = batch.trace_range[i];
      trace_out_.pass(std::string_view(batch.trace).substr(trace_begin, trace_size));
    }
    if (observer_ != nullptr && evaluated != nullptr) {
      observer_->classified(row.line, row.number, evaluated->record(), evaluated->interpreter());
    }
  }

  void reject(const io::CsvRecord& record, const std::string& id,
              std::vector<std::string> reasons) {
    ++report_.rows_rejected;
    RejectedRow rejected{record.line, record.number, written_cell(id), std::move(reasons), {}};
    for (const auto& f : record.fields) rejected.fields.push_back(written_cell(f));
    if (results_ != nullptr) {
      std::string& out = results_out_.made();
      for (const auto& cell : reference_.raw_outputs(record)) {
        io::append_csv_field(out, written_cell(cell));
        out += ',';
      }
      io::append_csv_field(
          out, fmt::format("ligne {} : {}", record.line, fmt::join(rejected.reasons, " ; ")));
      out += '\n';
    }
    if (trace_ != nullptr) {
      append_rejection_jsonl(trace_out_.made(), trace_->campaign, rejected.id, rejected.line,
                             rejected.reasons);
    }
    if (observer_ != nullptr) observer_->rejected(rejected);
    report_.rejected.push_back(std::move(rejected));
  }

  const Classifier& reference_;  // rejected rows' cells and identifier; the summaries counted
  io::RecordSplitter splitter_;  // rejected rows' cells, for the report
  std::ostream* results_;
  CampaignObserver* observer_;
  Coverage* coverage_;
  const TraceOptions* trace_;
  CampaignReport& report_;
  std::vector<SummaryCounter> counters_;
  // Every counter is SummaryCounter::single_keys(): a row's keys are two a counter.
  bool single_key_counters_ = true;
  SeenIdentifiers seen_ids_;  // every identifier met so far
  OrderedWriter results_out_;
  OrderedWriter trace_out_;
};

// Threads that classify rows, the calling one included.
std::size_t thread_count(const CampaignOptions& options) {
  if (options.threads > 0) return std::min(options.threads, kMaxThreads);
  return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kMaxThreads);
}

}  // namespace

std::string empty_campaign_message() {
  return tr("fichier vide : aucune ligne d'en-tête", "empty file: no header line");
}

std::string no_data_row_message() {
  return tr("aucune ligne de données après l'en-tête", "no data row after the header");
}

CampaignReport run_campaign(const graph::RuleGraph& graph, std::istream& input,
                            std::ostream* results, CampaignObserver* observer,
                            const CampaignOptions& options) {
  CampaignReport report;
  io::CsvOptions csv_options;
  csv_options.separator = options.separator;
  io::CsvReader reader(input, csv_options);
  std::vector<std::string>& header = report.header;
  if (!reader.read_header(header)) {
    report.fatal_errors.push_back(empty_campaign_message());
    return report;
  }
  report.separator = reader.separator();
  if (const auto& e = reader.header_error()) {
    report.fatal_errors.push_back(
        tr("ligne d'en-tête illisible : {}", "unreadable header line: {}", e->message));
    return report;
  }
  Worker reference(graph, report.separator, options.summaries);
  // Explanations (a trace) and observers read every cell of a record as read.
  const bool every_cell = options.trace != nullptr || observer != nullptr;
  report.fatal_errors = reference.bind(header, every_cell);
  if (!report.fatal_errors.empty()) {
    // A header read as one column: the separator is wrong (given or detected). Said
    // first, as it is what to fix, before the « missing » columns it explains.
    if (header.size() == 1) {
      for (const char other : {',', ';', '\t', '|'}) {
        if (other == report.separator || header[0].find(other) == std::string::npos) continue;
        report.fatal_errors.insert(
            report.fatal_errors.begin(),
            tr("l'en-tête ne forme qu'une seule colonne avec le séparateur « {} », mais contient "
               "des « {} » : le fichier utilise-t-il ce séparateur-là ? (option --sep)",
               "the header is one single column with separator '{}' but contains '{}': does the "
               "file use that separator? (option --sep)",
               report.separator == '\t' ? std::string("tabulation")
                                        : std::string(1, report.separator),
               other == '\t' ? std::string("tabulation") : std::string(1, other)));
        break;
      }
    }
    return report;
  }

  if (results != nullptr) {
    std::vector<std::string> names;
    for (const auto& o : graph.outputs) names.push_back(o.name);
    names.push_back("rejet");
    io::write_csv_row(*results, names);
  }
  if (options.coverage != nullptr) init_coverage(graph, *options.coverage);
  const Extras extras{options.coverage != nullptr, options.trace};
  Committer committer(graph, reference.classifier, report.separator, results, observer,
                      options.coverage, options.trace, report);

  const std::size_t threads = thread_count(options);
  // Rows per batch on worker threads. Observers see each row's evaluated state: one
  // row at a time, on this thread.
  const std::size_t worker_rows = options.trace != nullptr ? kRowsPerTracedBatch : kRowsPerBatch;
  const std::size_t inline_rows =
      observer != nullptr ? 1 : std::min(worker_rows, kRowsPerInlineBatch);
  // The campaign starts on this thread. Worker threads start only once it has more rows
  // than a few of their batches: for a small campaign, they cost more than they save.
  const std::size_t inline_limit = observer != nullptr || threads == 1
                                       ? std::numeric_limits<std::size_t>::max()
                                       : kBatchesBeforeThreads * worker_rows;
  bool more = true;
  {
    Batch batch;
    std::size_t rows = 0;
    std::uint64_t bytes = 0;
    bool estimated = options.input_bytes == 0;
    while (more && rows < inline_limit) {
      batch.clear();
      more = batch.fill(reader, inline_rows);
      rows += batch.rows.size();
      bytes += batch.bytes;
      process(reference, extras, batch);
      committer.commit(batch, &reference.classifier);
      // Once a few batches are read, the rows to come are estimated from the bytes left
      // and the size of the rows so far (a twentieth more), but at most a row per
      // header field's worth of bytes.
      if (!estimated && more && rows >= std::min(inline_limit, kRowsToEstimate)) {
        estimated = true;
        const std::uint64_t left = options.input_bytes > bytes ? options.input_bytes - bytes : 0;
        const std::uint64_t at_this_size = left * rows / bytes;
        const std::uint64_t estimate = at_this_size + at_this_size / 20;
        const std::uint64_t most = left / std::max<std::size_t>(header.size(), 2);
        committer.expect_rows(rows + static_cast<std::size_t>(std::min(estimate, most)));
      }
    }
  }
  if (more) {
    // The threads started besides this one, which works with the reference state.
    const std::size_t workers = threads - 1;
    std::vector<std::unique_ptr<Worker>> worker_state;
    for (std::size_t w = 0; w < workers; ++w) {
      worker_state.push_back(std::make_unique<Worker>(graph, report.separator, options.summaries));
      worker_state.back()->bind(header, every_cell);
    }
    // Declared before the pipeline, so that they outlive it: when an exception leaves
    // this block, the pipeline's destructor waits for the batches being processed.
    std::deque<std::unique_ptr<Batch>> in_flight;
    std::vector<std::unique_ptr<Batch>> spare;
    // This thread, rather than wait for the oldest batch, processes queued ones itself
    // (BatchPipeline::wait_helping), as the worker after the others. With a thread
    // started per core besides it, three threads shared two cores, each batch's bytes
    // and results crossed from one core's cache to the other's, and this thread slept
    // and was woken for every batch: 1,000,000 rows with `--threads 2`, one worker
    // and this thread against two workers: 0.985 → 0.889 s (means of 8 alternate runs).
    BatchPipeline<Batch> pipeline(workers, [&](std::size_t w, Batch& b) {
      process(w < workers ? *worker_state[w] : reference, extras, b);
    });
    report.workers_wanted = workers;
    report.workers_started = pipeline.threads();
    // Four batches a thread: while this thread commits one (or the system runs another
    // thread on its core), the workers still have batches queued. With two threads,
    // two, four and eight a thread gave the same times (0.888, 0.900 and 0.872 s,
    // means of 6 alternate runs each against four); with a worker per core besides
    // this thread, two a worker had left them waiting (1.022 s against 0.988 s).
    const std::size_t max_in_flight = 4 * threads;
    auto commit_oldest = [&] {
      Batch* oldest = in_flight.front().get();
      pipeline.wait_helping(oldest, workers);
      committer.commit(*oldest);
      spare.push_back(std::move(in_flight.front()));
      in_flight.pop_front();
    };
    while (more) {
      std::unique_ptr<Batch> batch;
      if (spare.empty()) {
        batch = std::make_unique<Batch>();
      } else {
        batch = std::move(spare.back());
        spare.pop_back();
      }
      batch->clear();
      more = batch->fill(reader, worker_rows);
      if (batch->rows.empty()) break;
      pipeline.submit(batch.get());
      in_flight.push_back(std::move(batch));
      if (in_flight.size() >= max_in_flight) commit_oldest();
    }
    while (!in_flight.empty()) commit_oldest();
  }
  committer.finish();
  if (report.rows_read == 0) {
    report.fatal_errors.push_back(no_data_row_message());
  }
  return report;
}

}  // namespace tamis::runtime
