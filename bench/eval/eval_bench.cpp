// Evaluation core figure of bench/run.sh: the rule graph alone, on records
// already decoded. Reads a campaign once, decodes every row into a record that
// owns its memory, then times passes of "load, decide every decision, evaluate
// every output column" over all records on one thread.
// usage: tamis_eval_bench RULES_DIR CAMPAIGN.csv [PASSES]
// prints: EVAL records=N passes=P seconds=S per_second=R categories=<hash>
#include <fmt/format.h>

#include <chrono>
#include <deque>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "compiler/compile.hpp"
#include "runtime/eval/interpreter.hpp"
#include "runtime/io/csv_reader.hpp"
#include "runtime/io/record_decoder.hpp"

namespace {

using tamis::graph::Base;
using tamis::graph::Value;

// A decoded record whose values point into memory it owns (the decoder's views
// point into the reader's buffer and its own scratch, both reused for the next row).
struct OwnedRecord {
  tamis::runtime::Record record;
  std::deque<std::string> texts;
  std::deque<std::vector<std::uint64_t>> words;
  std::deque<std::vector<std::string_view>> text_lists;
};

std::string_view keep(OwnedRecord& r, std::string_view s) {
  return r.texts.emplace_back(s);
}

OwnedRecord freeze(const tamis::graph::RuleGraph& graph, const tamis::runtime::Record& in) {
  OwnedRecord out;
  out.record = in;
  for (std::size_t f = 0; f < in.fields.size(); ++f) {
    Value& v = out.record.fields[f];
    const auto& type = graph.schema.fields[f].type;
    out.record.raw[f] = keep(out, in.raw[f]);
    for (auto& label : out.record.unknown_labels[f]) label = keep(out, label);
    if (!v.present) continue;
    if (type.set && type.base == Base::Text) {
      auto& list = out.text_lists.emplace_back();
      for (std::uint32_t i = 0; i < v.size; ++i) list.push_back(keep(out, v.texts[i]));
      v.texts = list.data();
    } else if (type.set) {
      v.words = out.words.emplace_back(v.words, v.words + v.size).data();
    } else if (type.base == Base::Text) {
      v.text = keep(out, v.as_text()).data();
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: tamis_eval_bench RULES_DIR CAMPAIGN.csv [PASSES]\n";
    return 2;
  }
  const int passes = argc > 3 ? std::stoi(argv[3]) : 5;
  auto c = tamis::compile_directory(argv[1]);
  if (c.diagnostics.has_errors()) {
    std::cerr << "rule errors\n";
    return 1;
  }
  const auto& graph = *c.graph;
  std::ifstream in(argv[2], std::ios::binary);
  tamis::io::CsvReader reader(in);
  std::vector<std::string> header;
  reader.read_header(header);
  tamis::io::RecordDecoder decoder(graph);
  if (!decoder.bind(header).empty()) {
    std::cerr << "campaign header does not match the schema\n";
    return 2;
  }
  std::deque<OwnedRecord> records;
  tamis::io::CsvRecord row;
  std::optional<tamis::io::CsvError> error;
  std::vector<tamis::io::FieldError> field_errors;
  tamis::runtime::Record scratch(graph.schema.fields.size());
  while (reader.next(row, error)) {
    field_errors.clear();
    if (!error && decoder.decode(row, scratch, field_errors)) {
      records.push_back(freeze(graph, scratch));
    }
  }

  tamis::runtime::Interpreter interpreter(graph);
  std::uint64_t checksum = 0;  // keeps the work observable; also compared across passes
  const auto start = std::chrono::steady_clock::now();
  for (int p = 0; p < passes; ++p) {
    std::uint64_t pass_sum = 0;
    for (const auto& r : records) {
      interpreter.load(r.record);
      for (std::uint32_t d = 0; d < graph.decisions.size(); ++d) {
        pass_sum = pass_sum * 31 + interpreter.decide(d).value.id;
      }
      for (const auto& o : graph.outputs) pass_sum += interpreter.evaluate(o.node).size;
    }
    if (p == 0) checksum = pass_sum;
    if (pass_sum != checksum) {
      std::cerr << "evaluation is not deterministic\n";
      return 3;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double evaluated = static_cast<double>(records.size()) * passes;
  std::cout << fmt::format(
      "EVAL records={} passes={} seconds={:.4f} per_second={:.0f} checksum={}\n", records.size(),
      passes, seconds, evaluated / seconds, checksum);
  return 0;
}
