#include "runtime/classifier.hpp"

#include <fmt/format.h>
#include <iterator>
#include <utility>

#include "support/label_table.hpp"
#include "support/lang.hpp"
#include "support/text.hpp"

namespace tamis::runtime {

Classifier::Classifier(const graph::RuleGraph& graph, std::size_t counted_summaries)
    : graph_(graph),
      decoder_(graph),
      interpreter_(graph),
      record_(graph.schema.fields.size()),
      decisions_(static_cast<std::uint32_t>(graph.decisions.size())) {
  for (std::size_t s = 0; s < graph.summaries.size(); ++s) {
    SummaryCounter summary(graph, s);
    if (s < counted_summaries) {
      counted_.push_back(std::move(summary));
    } else if (summary.may_fail()) {
      checked_.push_back(std::move(summary));
    }
  }
  for (const auto& o : graph.outputs) {
    const CellKey key = cell_key(graph, o.node);
    output_plans_.push_back(plan_output(graph, key));
    output_cells_.emplace_back(graph, key);
    if (output_plans_.back().how == OutputPlan::How::UnknownsOfField) ++ready_room_;
    if (output_plans_.back().how == OutputPlan::How::TextOfField) {
      ready_room_ += CsvCellWriter::kTextRoom;
    }
    if (output_plans_.back().how == OutputPlan::How::IntegerOfField) {
      ready_room_ += CsvCellWriter::kIntegerRoom;
    }
    ready_room_ += output_cells_.back().ready_room();
  }
}

std::vector<std::string> Classifier::bind(const std::vector<std::string>& header) {
  header_ = header;
  return decoder_.bind(header);
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
  classify_into(row, csv_error, reasons, keys, line);
  return reasons;
}

void Classifier::classify_into(const io::CsvRecord& row,
                               const std::optional<io::CsvError>& csv_error,
                               std::vector<std::string>& reasons, SummaryKeys* keys,
                               ByteSink* line) {
  if (csv_error) {
    // Named by column label like every other reason; an unclosed quote says where it opened.
    const std::size_t column = csv_error->column;
    const bool column_known = column >= 1 && column <= header_.size();
    if (csv_error->kind == io::CsvErrorKind::QuoteLikelyUnclosed && column_known) {
      reasons.push_back(io::likely_unclosed_message(*csv_error, header_[column - 1]));
    } else if (csv_error->kind == io::CsvErrorKind::StrayQuote && column_known &&
               column <= row.fields.size()) {
      // The cell's beginning shows the quote to fix.
      reasons.push_back(tr("colonne « {} », valeur « {} » : {}", "column '{}', value '{}': {}",
                           header_[column - 1], cell_beginning(row.fields[column - 1]),
                           csv_error->reason));
    } else if (csv_error->kind != io::CsvErrorKind::UnterminatedQuote && column_known) {
      reasons.push_back(
          tr("colonne « {} » : {}", "column '{}': {}", header_[column - 1], csv_error->reason));
    } else {
      reasons.push_back(csv_error->message);
    }
    return;
  }
  field_errors_.clear();
  if (!decoder_.decode(row, record_, field_errors_)) {
    for (const auto& e : field_errors_) {
      if (e.column.empty()) {
        reasons.push_back(e.reason);
      } else {
        reasons.push_back(tr("colonne « {} », valeur « {} » : {}", "column '{}', value '{}': {}",
                             e.column, e.value, e.reason));
      }
    }
    return;
  }
  interpreter_.load(record_);
  for (std::uint32_t d = 0; d < decisions_; ++d) interpreter_.decide(d);
  if (line == nullptr) {
    line_.clear();
    line = &line_;
  }
  const std::size_t line_begin = line->size();
  line->commit(write_outputs(*line, line->room(ready_room_)));
  if (keys == nullptr) {
    summary_keys_.clear();
    keys = &summary_keys_;
  }
  const SummaryKeys::Mark before = keys->mark();
  for (const auto& summary : counted_) summary.extract(interpreter_, *keys);
  for (const auto& summary : checked_) summary.check(interpreter_);
  if (!interpreter_.error().empty()) {
    keys->truncate(before);
    line->truncate(line_begin);
    reasons.push_back(interpreter_.error());
  }
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
char* Classifier::write_outputs(ByteSink& line, char* p) {
  const graph::Value* const fields = record_.fields.data();
  const OutputPlan* plan = output_plans_.data();
  const OutputPlan* const plans_end = plan + output_plans_.size();
  const CsvCellWriter* writer = output_cells_.data();
  char* ready = nullptr;  // a ready cell's end, or nullptr when there is none for the key
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
  static const void* const kHows[] = {
      &&value, &&value_of_field, &&text_of_field,    &&integer_of_field,
      &&id,    &&id_of_field,    &&id_of_decision,   &&rule,
      &&word,  &&word_of_field,  &&unknowns_of_field};
  using How = OutputPlan::How;
  static constexpr How kListed[] = {
      How::Value, How::ValueOfField, How::TextOfField,    How::IntegerOfField,
      How::Id,    How::IdOfField,    How::IdOfDecision,   How::Rule,
      How::Word,  How::WordOfField,  How::UnknownsOfField};
  static_assert(
      std::size(kHows) == std::size(kListed) && in_enum_order(kListed, How::UnknownsOfField),
      "kHows lists a label per OutputPlan::How, in How's order");
  if (plan != plans_end && plan->code == nullptr) [[unlikely]] {
    for (auto& each : output_plans_) each.code = kHows[static_cast<std::size_t>(each.how)];
  }
  for (; plan != plans_end; ++plan, ++writer) {
    goto * plan->code;
  value:
    p = append_value(interpreter_.evaluate(writer->key().output), *writer, line, p);
    continue;
  value_of_field:
    p = append_value(fields[plan->index], *writer, line, p);
    continue;
  text_of_field:  // in the room made for the row, unless too long for it
    if (CsvCellWriter::text_fits(fields[plan->index])) {
      p = CsvCellWriter::put_text_at(p, fields[plan->index], ',');
      continue;
    }
    line.commit(p);
    CsvCellWriter::append_text(line, fields[plan->index], ',');
    p = line.room(ready_room_);
    continue;
  integer_of_field:  // in the room made for the row
    p = CsvCellWriter::put_integer_at(p, fields[plan->index], record_.raw[plan->index], ',');
    continue;
  id:
    ready =
        writer->put_indexed(p, writer->id_index(interpreter_.evaluate(writer->key().node)), ',');
    goto indexed;
  id_of_field:
    ready = writer->put_indexed(p, writer->id_index(fields[plan->index]), ',');
    goto indexed;
  id_of_decision:  // classify_into() decided every decision before
    ready = writer->put_indexed(p, writer->id_index(interpreter_.decided(plan->index).value), ',');
    goto indexed;
  rule:
    // Rule indices from kNoRule (-2) on.
    ready = writer->put_indexed(
        p, static_cast<std::uint64_t>(std::int64_t{interpreter_.decided(plan->index).rule} + 2),
        ',');
    goto indexed;
  indexed:
    p = ready != nullptr
            ? ready
            : append_value(interpreter_.evaluate(writer->key().output), *writer, line, p);
    continue;
  word:
    p = write_set(interpreter_.evaluate(writer->key().node), *writer, line, p);
    continue;
  word_of_field:
    p = write_set(fields[plan->index], *writer, line, p);
    continue;
  unknowns_of_field : {  // as Interpreter::unknowns
    const auto& labels = record_.unknown_labels[plan->index];
    if (labels.empty()) {  // the usual cell: empty (a byte of ready_room_)
      *p++ = ',';
      continue;
    }
    p = append_value(
        graph::Value::of_texts(labels.data(), static_cast<std::uint32_t>(labels.size())), *writer,
        line, p);
    continue;
  }
  }
#pragma GCC diagnostic pop
  return p;
}

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
