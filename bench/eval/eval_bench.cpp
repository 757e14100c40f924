// Evaluation core figure of bench/run.sh: the rule graph alone, on records
// already decoded. Reads a campaign once, decodes every row into a record that
// owns its memory, then times passes of "load, decide every decision, evaluate
// every output column" over all records on one thread.
// usage: tamis_eval_bench RULES_DIR CAMPAIGN.csv [PASSES]
// prints: EVAL records=N passes=P seconds=S per_second=R checksum=<hash of the results>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "compiler/compile.hpp"
#include "runtime/eval/interpreter.hpp"
#include "runtime/io/csv_reader.hpp"
#include "runtime/io/record_decoder.hpp"

namespace {

using tamis::graph::Base;
using tamis::graph::Value;

// Where the decoded records' texts, bitsets and lists are copied (the decoder's
// views point into the reader's buffer and its own scratch, both reused for the
// next row): one block after another, so that the records lie in memory in input
// order, as a record being classified lies in cache, rather than scattered over
// small allocations mixed with the next records'.
class Store {
 public:
  template <typename T>
  T* copy(const T* from, std::size_t count) {
    if (count == 0) return nullptr;
    const std::size_t bytes = (count * sizeof(T) + 7) / 8 * 8;
    if (blocks_.empty() || used_ + bytes > kBlock) {
      blocks_.push_back(std::make_unique<std::uint64_t[]>(std::max(kBlock, bytes) / 8));
      used_ = 0;
    }
    auto* at = reinterpret_cast<char*>(blocks_.back().get()) + used_;
    std::memcpy(at, from, count * sizeof(T));
    used_ += bytes;
    return reinterpret_cast<T*>(at);
  }
  std::string_view keep(std::string_view s) { return {copy(s.data(), s.size()), s.size()}; }

 private:
  static constexpr std::size_t kBlock = std::size_t{1} << 20;
  std::vector<std::unique_ptr<std::uint64_t[]>> blocks_;
  std::size_t used_ = 0;
};

// What evaluation reads of a record (values, lists of unknown labels) is copied into
// `hot`; the raw cells, which only explanations read, into `cold`.
tamis::runtime::Record freeze(const tamis::graph::RuleGraph& graph,
                              const tamis::runtime::Record& in, Store& hot, Store& cold) {
  tamis::runtime::Record out(0);
  out.fields = in.fields;
  out.unknown_labels.resize(in.fields.size());
  for (std::size_t f = 0; f < in.fields.size(); ++f) {
    Value& v = out.fields[f];
    const auto& type = graph.schema.fields[f].type;
    for (const auto label : in.unknown_labels[f]) {
      out.unknown_labels[f].push_back(cold.keep(label));
    }
    if (!v.present) continue;
    if (type.set && type.base == Base::Text) {
      std::vector<std::string_view> list;
      for (std::uint32_t i = 0; i < v.size; ++i) list.push_back(cold.keep(v.texts[i]));
      v.texts = hot.copy(list.data(), list.size());
    } else if (type.set) {
      v.words = hot.copy(v.words, v.size);
    } else if (type.base == Base::Text) {
      v.text = cold.keep(v.as_text()).data();
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
  Store hot, cold;
  std::deque<tamis::runtime::Record> decoded;
  tamis::io::CsvRecord row;
  std::optional<tamis::io::CsvError> error;
  std::vector<tamis::io::FieldError> field_errors;
  tamis::runtime::Record scratch(graph.schema.fields.size());
  while (reader.next(row, error)) {
    field_errors.clear();
    if (!error && decoder.decode(row, scratch, field_errors)) {
      auto& frozen = decoded.emplace_back(freeze(graph, scratch, hot, cold));
      frozen.raw.reserve(scratch.raw.size());
      for (const auto cell : scratch.raw) frozen.raw.push_back(cold.keep(cell));
    }
  }
  // The records' values, which evaluation reads first, one record after the other in
  // input order, as `hot` holds the rest: copied in one pass, so that no other
  // allocation (lists of labels, raw cells, the reading's own) lies between them.
  std::vector<tamis::runtime::Record> records(decoded.size());
  for (std::size_t i = 0; i < decoded.size(); ++i) records[i].fields = decoded[i].fields;
  for (std::size_t i = 0; i < decoded.size(); ++i) {
    records[i].unknown_labels = std::move(decoded[i].unknown_labels);
    records[i].raw = std::move(decoded[i].raw);
  }
  decoded.clear();

  tamis::runtime::Interpreter interpreter(graph);
  std::uint64_t checksum = 0;  // keeps the work observable; also compared across passes
  const auto start = std::chrono::steady_clock::now();
  for (int p = 0; p < passes; ++p) {
    std::uint64_t pass_sum = 0;
    for (const auto& r : records) {
      interpreter.load(r);
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
