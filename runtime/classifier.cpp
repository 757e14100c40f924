#include "runtime/classifier.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <utility>

#include "runtime/eval/csv_cell_avx2.hpp"
#include "support/label_table.hpp"
#include "support/lang.hpp"
#include "support/text.hpp"

namespace tamis::runtime {

Classifier::Classifier(const graph::RuleGraph& graph, std::size_t counted_summaries,
                       io::SimdLevel simd)
    : graph_(graph),
      decoder_(graph),
      interpreter_(graph),
      record_(graph.schema.fields.size()),
      decisions_(static_cast<std::uint32_t>(graph.decisions.size())) {
#if defined(TAMIS_AVX512_DISPATCH)
  avx2_ = simd != io::SimdLevel::Sse2 && scan::cpu_has_avx2();
#else
  (void)simd;
#endif
  put_text_ = CsvCellWriter::text_put(avx2_);
  interpreter_.load(record_);  // its vectors keep their places: each row reload()s it
  for (std::size_t s = 0; s < graph.summaries.size(); ++s) {
    SummaryCounter summary(graph, s);
    if (s < counted_summaries) {
      fixed_keys_ = fixed_keys_ && summary.single_keys();
      counted_.push_back(std::move(summary));
    } else if (summary.may_fail()) {
      checked_.push_back(std::move(summary));
    }
  }
  fixed_key_count_ = 2 * counted_.size();
  direct_keys_ = fixed_keys_;
  key_reads_.resize(fixed_key_count_);
  for (std::size_t s = 0; s < counted_.size() && direct_keys_; ++s) {
    direct_keys_ = counted_[s].key_reads(record_.fields.data(), interpreter_, &key_reads_[2 * s]);
  }
  if (!direct_keys_) key_reads_.clear();
  key_reads_end_ = key_reads_.data() + key_reads_.size();
  direct_keys_ = direct_keys_ && checked_.empty() && !counted_.empty();
  usual_ = interpreter_.sole_alone() && avx2_ && direct_keys_;
  std::vector<OutputPlan> columns;
  output_cells_.reserve(graph.outputs.size());  // the plans point to them
  for (const auto& o : graph.outputs) {
    const CellKey key = cell_key(graph, o.node);
    columns.push_back(plan_output(graph, key));
    output_cells_.emplace_back(graph, key);
    columns.back().writer = &output_cells_.back();
    if (columns.back().how == OutputPlan::How::UnknownsOfField) ++ready_room_;
    if (columns.back().how == OutputPlan::How::TextOfField) {
      ready_room_ += CsvCellWriter::kTextRoom;
    }
    if (columns.back().how == OutputPlan::How::IntegerOfField) {
      ready_room_ += CsvCellWriter::kIntegerRoom;
    }
    ready_room_ += output_cells_.back().ready_room();
  }
  plan_runs(columns);
  using How = OutputPlan::How;
  for (auto& plan : output_plans_) {
    switch (plan.how) {
      case How::ValueOfField:
      case How::TextOfField:
      case How::IntegerOfField:
      case How::IdOfField:
      case How::WordOfField:
      case How::UnknownsOfField:
      case How::SetRun:
      case How::RunGap:
        plan.field = &record_.fields[plan.index];
        // The cell as read only where write_outputs reads it (a whole number written as
        // read): the other plans' cells need not be kept (cells_read).
        if (plan.how == How::IntegerOfField) plan.raw = &record_.raw[plan.index];
        plan.unknowns = &record_.unknown_labels[plan.index];
        break;
      case How::IdOfDecision:
      case How::Rule:
      case How::DecisionRun:
      case How::IdDecisionRun:
        plan.outcome = &interpreter_.decided(plan.index);
        break;
      default:
        break;
    }
  }
}

namespace {

// What a column's cell depends on, when it may join a run (Classifier::plan_runs): a
// decision, or a one-word set field (UnknownsOfField: of a set field, perhaps not one
// word, so it only joins a run with a WordOfField column of its field).
struct RunSource {
  enum class Kind : std::uint8_t { None, Decision, SetField };
  Kind kind = Kind::None;
  std::uint32_t index = 0;
  bool operator==(const RunSource&) const = default;
};

}  // namespace

void Classifier::plan_runs(const std::vector<OutputPlan>& columns) {
  using How = OutputPlan::How;
  const auto source = [](const OutputPlan& column) -> RunSource {
    switch (column.how) {
      case How::IdOfDecision:
      case How::Rule:
        return {RunSource::Kind::Decision, column.index};
      case How::WordOfField:
      case How::UnknownsOfField:
        return {RunSource::Kind::SetField, column.index};
      default:
        return {};
    }
  };
  // The column that gives a run its key's type: a decision's value (IdOfDecision: an
  // enumeration value or a row), a set field's one word (WordOfField).
  const auto anchors = [](const OutputPlan& column) {
    return column.how == How::IdOfDecision || column.how == How::WordOfField;
  };
  std::vector<std::pair<std::size_t, std::size_t>> runs;  // [begin, end) of columns
  for (std::size_t begin = 0; begin < columns.size();) {
    const RunSource from = source(columns[begin]);
    std::size_t end = begin + 1;
    bool anchored = anchors(columns[begin]);
    while (end < columns.size() && from.kind != RunSource::Kind::None &&
           source(columns[end]) == from) {
      anchored = anchored || anchors(columns[end]);
      ++end;
    }
    if (end - begin >= 2 && anchored) runs.emplace_back(begin, end);
    begin = end;
  }
  // A decision's run takes in an IdOfField column just before it, or else just after, not
  // in another run (IdDecisionRun), when their key fits in 64 bits (decision_key,
  // kIdKeyShift): COP 2024's departement and categorie, its label and rule, one lookup and
  // copy, not two.
  std::vector<std::size_t> id_columns(runs.size(), columns.size());  // none
  for (std::size_t r = 0, free_from = 0; r < runs.size(); ++r) {
    auto& [begin, end] = runs[r];
    const std::size_t free_to = r + 1 < runs.size() ? runs[r + 1].first : columns.size();
    const auto joins = [&](std::size_t c) {
      return columns[c].how == How::IdOfField &&
             columns[c].writer->indexed_count() <= (std::uint64_t{1} << (64 - kIdKeyShift));
    };
    if (source(columns[begin]).kind == RunSource::Kind::Decision &&
        graph_.decisions[columns[begin].index].rules.size() + 2 < (std::size_t{1} << 15)) {
      if (begin > free_from && joins(begin - 1)) {
        id_columns[r] = --begin;
      } else if (end < free_to && joins(end)) {
        id_columns[r] = end++;
      }
    }
    free_from = end;
  }
  runs_.resize(runs.size());  // the plans point to them
  std::size_t next = 0;
  for (std::size_t r = 0; r <= runs.size(); ++r) {
    const std::size_t begin = r < runs.size() ? runs[r].first : columns.size();
    output_plans_.insert(output_plans_.end(), columns.begin() + static_cast<std::ptrdiff_t>(next),
                         columns.begin() + static_cast<std::ptrdiff_t>(begin));
    if (r == runs.size()) break;
    const std::size_t end = runs[r].second;
    const OutputPlan& keyed = columns[id_columns[r] == begin ? begin + 1 : begin];
    OutputPlan run;
    run.how = source(keyed).kind == RunSource::Kind::Decision ? How::DecisionRun : How::SetRun;
    run.index = keyed.index;
    if (id_columns[r] != columns.size()) {
      run.how = How::IdDecisionRun;
      run.field = &record_.fields[columns[id_columns[r]].index];
      run.writer = columns[id_columns[r]].writer;
    }
    run.kept = &runs_[r];
    const std::size_t first = output_plans_.size() + 1;
    output_plans_.push_back(run);
    output_plans_.insert(output_plans_.end(), columns.begin() + static_cast<std::ptrdiff_t>(begin),
                         columns.begin() + static_cast<std::ptrdiff_t>(end));
    // A set's run with one column of its unknown labels: kept with a gap there, copied
    // around that column's cell in a row with unknown labels, not written column by column
    // through each column's kept cells, which then serve no more (COP 2024: 2,380.3 ->
    // 2,373.8 -> 2,358.5 instructions per dossier, the column cells' keeping 15.7 -> 0).
    const auto unknowns = std::count_if(
        output_plans_.begin() + static_cast<std::ptrdiff_t>(first), output_plans_.end(),
        [](const OutputPlan& column) { return column.how == How::UnknownsOfField; });
    const bool gapped = run.how == How::SetRun && unknowns == 1;
    if (gapped) {
      for (auto column = output_plans_.begin() + static_cast<std::ptrdiff_t>(first);
           column != output_plans_.end(); ++column) {
        if (column->how == How::UnknownsOfField) {
          column->how = How::RunGap;
          output_plans_[first - 1].writer = column->writer;
        } else if (column->how == How::WordOfField) {
          // Written column by column only for a word the run has not kept (its first row,
          // or a missing set): a cell kept by the column too would not be met again.
          const CellKey& key = column->writer->key();
          column->how = key.node == key.output ? How::ValueOfField : How::Value;
        }
      }
    }
    runs_[r].open(gapped);
    output_plans_.push_back({How::RunEnd});
    next = end;
  }
  output_plans_.push_back({How::End});
  // Each run's plan, then its columns' up to its RunEnd: `past` is the plan after that.
  // Set once every plan is in place (the vector moves them as it grows).
  for (auto run = output_plans_.begin(); run != output_plans_.end(); ++run) {
    if (run->how != How::DecisionRun && run->how != How::IdDecisionRun && run->how != How::SetRun)
      continue;
    auto run_end = run;
    while (run_end->how != How::RunEnd) ++run_end;
    run->past = &*(run_end + 1);
  }
}

std::vector<std::string> Classifier::bind(const std::vector<std::string>& header) {
  header_ = header;
  return decoder_.bind(header);
}

std::vector<std::size_t> Classifier::cells_read() const {
  std::vector<std::size_t> fields;
  for (const OutputPlan& plan : output_plans_)
    if (plan.raw != nullptr) fields.push_back(plan.index);
  return fields;
}

std::size_t Classifier::id_column() const {
  return graph_.schema.fields.empty() ? 0 : decoder_.column_of(0);
}

namespace {

// The first characters of a cell, on one line, with « … » when cut: to quote it in a message.
std::string cell_beginning(std::string_view cell) {
  constexpr std::size_t kShown = 40;  // code points
  const std::string line = text::one_line(text::valid_utf8(cell));
  std::size_t bytes = 0;
  std::size_t points = 0;
  while (bytes < line.size() && points < kShown) {
    ++bytes;
    while (bytes < line.size() && (static_cast<unsigned char>(line[bytes]) & 0xC0U) == 0x80U)
      ++bytes;
    ++points;
  }
  return bytes < line.size() ? line.substr(0, bytes) + "…" : line;
}

}  // namespace

std::vector<std::string> Classifier::classify(const io::CsvRecord& row,
                                              const std::optional<io::CsvError>& csv_error,
                                              SummaryKeys* keys, ByteSink* line) {
  std::vector<std::string> reasons;
  classify_into(row, csv_error ? &*csv_error : nullptr, reasons, keys, line);
  return reasons;
}

bool Classifier::classify_decoded(std::vector<std::string>& reasons, SummaryKeys* keys,
                                  ByteSink* line, int line_end, bool keys_reserved) {
  interpreter_.reload();  // of record_, loaded by the constructor
  interpreter_.decide_all(decisions_);
  if (line == nullptr) {
    line_.clear();
    line = &line_;
  }
  const std::size_t line_begin = line->size();
  end_line(*line, write_outputs(*line, line->room(ready_room_)), line_end);
  if (keys == nullptr) {
    summary_keys_.clear();
    keys = &summary_keys_;
  }
  if (direct_keys_) return put_direct_keys(*keys, keys_reserved, reasons, line, line_begin);
  if (fixed_keys_) {
    // Room for the row's keys made once, no texts: only the keys' size to take back.
    const std::size_t keys_before = keys->keys.size();
    std::uint32_t* k = keys->keys.append(fixed_key_count_);
    if (!key_reads_.empty()) {
      for (const auto& read : key_reads_) *k++ = read.key();
    } else {
      for (const auto& summary : counted_) {
        summary.extract_single(interpreter_, k);
        k += 2;
      }
    }
    for (const auto& summary : checked_) summary.check(interpreter_);
    if (!interpreter_.error().empty()) [[unlikely]] {
      keys->keys.resize(keys_before);
      reject_after_error(reasons, line, line_begin);
      return false;
    }
    return true;
  }
  const SummaryKeys::Mark before = keys->mark();
  for (const auto& summary : counted_) summary.extract(interpreter_, *keys);
  for (const auto& summary : checked_) summary.check(interpreter_);
  if (!interpreter_.error().empty()) {
    keys->truncate(before);
    reject_after_error(reasons, line, line_begin);
    return false;
  }
  return true;
}

void Classifier::reject_csv_error(const io::CsvRecord& row, const io::CsvError& csv_error,
                                  std::vector<std::string>& reasons) const {
  // Named by column label like every other reason; an unclosed quote says where it opened.
  const std::size_t column = csv_error.column;
  const bool column_known = column >= 1 && column <= header_.size();
  if (csv_error.kind == io::CsvErrorKind::QuoteLikelyUnclosed && column_known) {
    reasons.push_back(io::likely_unclosed_message(csv_error, header_[column - 1]));
  } else if (csv_error.kind == io::CsvErrorKind::StrayQuote && column_known &&
             column <= row.fields.size()) {
    // The cell's beginning shows the quote to fix.
    reasons.push_back(tr("colonne « {} », valeur « {} » : {}", "column '{}', value '{}': {}",
                         header_[column - 1], cell_beginning(row.fields[column - 1]),
                         csv_error.reason));
  } else if (csv_error.kind != io::CsvErrorKind::UnterminatedQuote && column_known) {
    reasons.push_back(
        tr("colonne « {} » : {}", "column '{}': {}", header_[column - 1], csv_error.reason));
  } else {
    reasons.push_back(csv_error.message);
  }
}

void Classifier::reject_field_errors(std::vector<std::string>& reasons) {
  for (const auto& e : field_errors_) {
    if (e.column.empty()) {
      reasons.push_back(e.reason);
    } else {
      reasons.push_back(tr("colonne « {} », valeur « {} » : {}", "column '{}', value '{}': {}",
                           e.column, e.value, e.reason));
    }
  }
  field_errors_.clear();
}

void Classifier::reject_after_error(std::vector<std::string>& reasons, ByteSink* line,
                                    std::size_t line_begin) {
  line->truncate(line_begin);
  reasons.push_back(interpreter_.error());
}

Classifier::OutputPlan Classifier::plan_output(const graph::RuleGraph& graph, const CellKey& key) {
  using How = OutputPlan::How;
  const graph::NodeId from = key.kind == CellKey::Kind::None ? key.output : key.node;
  const graph::Node* n = from == graph::kNoNode ? nullptr : &graph.nodes[from];
  const bool field = n != nullptr && n->op == graph::Op::Field;
  const bool decision = n != nullptr && n->op == graph::Op::Decision;
  switch (key.kind) {
    case CellKey::Kind::None:
      if (n != nullptr && n->op == graph::Op::Unknowns) return {How::UnknownsOfField, n->a};
      if (!field) return {How::Value, 0};
      if (!n->type.set && n->type.base == graph::Base::Text) return {How::TextOfField, n->a};
      if (!n->type.set && n->type.base == graph::Base::Integer) return {How::IntegerOfField, n->a};
      return {How::ValueOfField, n->a};
    case CellKey::Kind::Id:
      if (field) return {How::IdOfField, n->a};
      return decision ? OutputPlan{How::IdOfDecision, n->a} : OutputPlan{How::Id, 0};
    case CellKey::Kind::Rule:
      return {How::Rule, key.decision};
    case CellKey::Kind::Word:
      return field ? OutputPlan{How::WordOfField, n->a} : OutputPlan{How::Word, 0};
  }
  return {};
}

char* Classifier::append_value(const graph::Value& value, const CsvCellWriter& writer,
                               ByteSink& line, char* p) {
  line.commit(p);
  writer.append(line, value, ',');
  return line.room(ready_room_);
}

// Inlined in classify(), once a column.
[[gnu::always_inline]] inline char* Classifier::write_set(const graph::Value& set,
                                                          const CsvCellWriter& writer,
                                                          ByteSink& line, char* p) {
  const bool one_word = set.present && set.size == 1;
  if (one_word) {
    if (char* end = writer.put_kept(p, set.words[0], ',')) return end;
  }
  const graph::Value value =
      writer.key().node == writer.key().output ? set : interpreter_.evaluate(writer.key().output);
  if (!one_word) return append_value(value, writer, line, p);
  line.commit(p);
  const std::size_t room_before = writer.ready_room();
  writer.append_and_keep(line, value, set.words[0], ',');
  ready_room_ += writer.ready_room() - room_before;  // the cell kept may be the longest
  return line.room(ready_room_);
}

// A column whose cell is ready for this row's key is not evaluated: its key is, and the
// key holds all that can fail (cell_key). A field or a decision is read as the
// interpreter would read it (Interpreter::value_of). Each column's code is reached
// through a table of label addresses (a GNU extension), in How's order: a switch, with
// its table of offsets and its loop on an index, cost 3 instructions a column more
// (classify with its columns 623 -> 594 instructions a dossier). Each plan keeps its
// label's address, taken from the table at the first call (OutputPlan::code): one load
// a column less (write_outputs 382 -> 364).
char* Classifier::write_outputs_sse2(ByteSink& line, char* p, const OutputPlan* plan){
#define TAMIS_PUT_USUAL_TEXT(p, text) put_text_(p, text, ',')
#define TAMIS_PUT_KEPT(kept, p, key) (kept)->put(p, key)
#include "runtime/write_outputs.inc"
#undef TAMIS_PUT_KEPT
#undef TAMIS_PUT_USUAL_TEXT
}

#if defined(TAMIS_AVX512_DISPATCH)
TAMIS_TARGET_AVX2
    char* Classifier::write_outputs_avx2(ByteSink& line, char* p, const OutputPlan* plan){
#define TAMIS_PUT_USUAL_TEXT(p, text) avx2::put_usual_text_at(p, text, ',')
#define TAMIS_PUT_KEPT(kept, p, key) (kept)->put_avx2(p, key)
#include "runtime/write_outputs.inc"
#undef TAMIS_PUT_KEPT
#undef TAMIS_PUT_USUAL_TEXT
    }

// The usual cells only, each as write_outputs_avx2 writes it; any other goes there, with
// the plan it is at (TAMIS_USUAL_ONLY).
TAMIS_TARGET_AVX2 char* Classifier::write_usual_outputs_avx2(ByteSink& line, char* p) {
  const OutputPlan* plan = output_plans_.data();
#define TAMIS_USUAL_ONLY
#define TAMIS_PUT_USUAL_TEXT(p, text) avx2::put_usual_text_at(p, text, ',')
#define TAMIS_PUT_KEPT(kept, p, key) (kept)->put_avx2(p, key)
#include "runtime/write_outputs.inc"
#undef TAMIS_PUT_KEPT
#undef TAMIS_PUT_USUAL_TEXT
#undef TAMIS_USUAL_ONLY
}
#endif

std::vector<std::string> Classifier::outputs() {
  std::vector<std::string> cells;
  for (const auto& o : graph_.outputs) {
    cells.push_back(format_value(graph_, graph_.nodes[o.node].type, interpreter_.evaluate(o.node)));
  }
  return cells;
}

std::vector<std::string> Classifier::raw_outputs(const io::CsvRecord& row) const {
  std::vector<std::string> out;
  for (const auto& o : graph_.outputs) {
    const auto& n = graph_.nodes[o.node];
    std::string cell;
    if (n.op == graph::Op::Field) {
      const std::size_t column = decoder_.column_of(n.a);
      if (column < row.fields.size()) cell = std::string(row.fields[column]);
    }
    out.push_back(std::move(cell));
  }
  return out;
}

}  // namespace tamis::runtime
