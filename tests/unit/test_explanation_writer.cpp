// The trace writer (ExplanationWriter) writes, byte for byte, what explain(…).dump()
// writes: on every dossier of the example and trap campaigns, with both shipped rule
// sets, from several threads at once; and its JSON strings and numbers are nlohmann's.
#include <cstdint>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "compiler/compile.hpp"
#include "helpers.hpp"
#include "runtime/campaign.hpp"
#include "runtime/explain/explain.hpp"
#include "runtime/explain/json_writer.hpp"
#include "runtime/io/campaign_input.hpp"

#ifndef TAMIS_SOURCE_DIR
#error "TAMIS_SOURCE_DIR must name the repository root"
#endif

using nlohmann::json;
using tamis::runtime::ExplainContext;
using tamis::runtime::ExplanationWriter;

namespace {

// What dump() makes of `s`, or the message of what it throws.
std::string dumped(const std::string& s) {
  try {
    return json(s).dump();
  } catch (const json::type_error& e) {
    return std::string("throws: ") + e.what();
  }
}

std::string written(const std::string& s) {
  std::string out = "prefix";
  try {
    tamis::runtime::json_out::append_string(out, s);
  } catch (const json::type_error& e) {
    return std::string("throws: ") + e.what();
  }
  REQUIRE(out.rfind("prefix", 0) == 0);
  return out.substr(6);
}

// The bytes of `s` in hex, for failure messages.
std::string hex(const std::string& s) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    out += kDigits[c >> 4];
    out += kDigits[c & 0xF];
    out += ' ';
  }
  return out;
}

std::string root() {
  return TAMIS_SOURCE_DIR;
}

// Every line of the campaign's trace, written by one writer and by explain(…).dump(),
// from a run of `rules` over `campaign` (read as `tamis run` reads it).
struct Traces {
  std::string fast;
  std::string tree;
  std::size_t classified = 0;
  std::size_t rejected = 0;
};

class TraceBoth : public tamis::runtime::CampaignObserver {
 public:
  TraceBoth(const tamis::graph::RuleGraph& g, const ExplanationWriter& writer, std::string name,
            Traces& traces)
      : g_(g), writer_(writer), name_(std::move(name)), t_(traces) {}

  void classified(std::size_t line, std::size_t, const tamis::runtime::Record& record,
                  tamis::runtime::Interpreter& in) override {
    const ExplainContext context{name_, line};
    writer_.append(t_.fast, in, record, context);
    t_.tree += tamis::runtime::explain(g_, in, record, context).dump();
    t_.tree += '\n';
    ++t_.classified;
  }
  void rejected(const tamis::runtime::RejectedRow& row) override {
    tamis::runtime::append_rejection_jsonl(t_.fast, name_, row.id, row.line, row.reasons);
    // As cli/cmd_run.cpp (TraceWriter) writes it.
    const json j = {{"schema", tamis::runtime::kExplanationSchema},
                    {"dossier", {{"id", row.id}, {"ligne", row.line}, {"fichier", name_}}},
                    {"rejet", row.reasons}};
    t_.tree += j.dump();
    t_.tree += '\n';
    ++t_.rejected;
  }

 private:
  const tamis::graph::RuleGraph& g_;
  const ExplanationWriter& writer_;
  std::string name_;
  Traces& t_;
};

Traces trace(const tamis::graph::RuleGraph& g, const ExplanationWriter& writer,
             const std::string& campaign) {
  auto input = tamis::io::open_campaign(root() + "/" + campaign, tamis::io::Encoding::Auto);
  REQUIRE(input.error.empty());
  Traces t;
  TraceBoth observer(g, writer, campaign.substr(campaign.rfind('/') + 1), t);
  const auto report = tamis::runtime::run_campaign(g, *input.stream, nullptr, &observer);
  REQUIRE(report.fatal_errors.empty());
  REQUIRE(t.classified + t.rejected == report.rows_read);
  return t;
}

// Line by line, so that a failure shows the first differing dossier, not 1 MB of text.
void require_same_lines(const std::string& fast, const std::string& tree) {
  std::istringstream a(fast), b(tree);
  std::string la, lb;
  std::size_t n = 0;
  while (std::getline(b, lb)) {
    ++n;
    INFO("trace line " << n);
    REQUIRE(std::getline(a, la));
    REQUIRE(la == lb);
  }
  REQUIRE_FALSE(std::getline(a, la));
  REQUIRE(fast == tree);
}

}  // namespace

TEST_CASE("json strings are escaped as nlohmann's dump() escapes them", "[explain][json]") {
  std::vector<std::string> cases = {
      "",
      "plain",
      "quote \" backslash \\ slash /",
      "tab\tnew\nline\r\ncr form\f back\b",
      std::string("nul \0 inside", 12),
      "del \x7f kept",
      "Électricité – œuvre € 𝄞 ’ « » ⏎ …",
      "\xC2\x80 \xDF\xBF \xE0\xA0\x80 \xED\x9F\xBF \xEE\x80\x80 \xF0\x90\x80\x80 \xF4\x8F\xBF\xBF",
      // Invalid UTF-8: dump() throws, and so must the writer, with the same message.
      "\xFF",
      "abc\x80",
      "trailing \xC3",
      "\xC0\xAF overlong",
      "\xE0\x80\x80 overlong",
      "\xED\xA0\x80 surrogate",
      "\xF4\x90\x80\x80 beyond U+10FFFF",
      "\xF5\x80\x80\x80",
      "ok é then \xE2\x82",
  };
  for (int c = 0; c < 0x20; ++c) cases.push_back(std::string(1, static_cast<char>(c)) + "x");
  for (const auto& s : cases) {
    INFO(hex(s));
    CHECK(written(s) == dumped(s));
  }

  // Random byte strings, biased towards the bytes that matter.
  std::mt19937 rng(20240701);
  const std::string alphabet = std::string("aZ \"\\/\t\n\r\b\f\x01\x1f\x7f", 15) +
                               "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\x80\xBF\xC0\xED\xF4\xFF";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1), length(0, 12);
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    for (std::size_t n = length(rng); n > 0; --n) s += alphabet[pick(rng)];
    INFO(hex(s));
    REQUIRE(written(s) == dumped(s));
  }
}

TEST_CASE("json integers are written as nlohmann's dump() writes them", "[explain][json]") {
  for (std::uint64_t v : {std::uint64_t{0}, std::uint64_t{7}, std::uint64_t{10}, std::uint64_t{99},
                          std::uint64_t{4294967295u}, std::numeric_limits<std::uint64_t>::max()}) {
    std::string out;
    tamis::runtime::json_out::append_uint(out, v);
    CHECK(out == json(v).dump());
  }
}

TEST_CASE("the trace writer writes explain(…).dump() for every dossier of both campaigns",
          "[explain][trace]") {
  for (const char* rules : {"rules/cop2024", "rules/cop2025"}) {
    const tamis::Compilation c = tamis::compile_directory(root() + "/" + rules);
    INFO(rules << "\n" << tamis::testing::render_all(c));
    REQUIRE_FALSE(c.diagnostics.has_errors());
    const ExplanationWriter writer(*c.graph);
    for (const char* campaign : {"examples/campagne-2024.csv", "tests/reference/pieges-2024.csv"}) {
      INFO(campaign);
      const Traces t = trace(*c.graph, writer, campaign);
      REQUIRE(t.classified > 0);
      require_same_lines(t.fast, t.tree);
    }
  }
}

TEST_CASE("one trace writer serves several threads at once", "[explain][trace]") {
  const tamis::Compilation c = tamis::compile_directory(root() + "/rules/cop2024");
  REQUIRE_FALSE(c.diagnostics.has_errors());
  const ExplanationWriter writer(*c.graph);
  const Traces alone = trace(*c.graph, writer, "examples/campagne-2024.csv");
  std::vector<std::string> outputs(3);
  std::vector<std::thread> threads;
  for (auto& out : outputs) {
    threads.emplace_back([&] {
      auto input = tamis::io::open_campaign(root() + "/examples/campagne-2024.csv",
                                            tamis::io::Encoding::Auto);
      struct Fast : tamis::runtime::CampaignObserver {
        const ExplanationWriter& w;
        std::string& out;
        Fast(const ExplanationWriter& w_, std::string& o) : w(w_), out(o) {}
        void classified(std::size_t line, std::size_t, const tamis::runtime::Record& record,
                        tamis::runtime::Interpreter& in) override {
          w.append(out, in, record, {"campagne-2024.csv", line});
        }
        void rejected(const tamis::runtime::RejectedRow& row) override {
          tamis::runtime::append_rejection_jsonl(out, "campagne-2024.csv", row.id, row.line,
                                                 row.reasons);
        }
      } observer(writer, out);
      tamis::runtime::run_campaign(*c.graph, *input.stream, nullptr, &observer);
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& out : outputs) CHECK(out == alone.fast);
}

TEST_CASE("a traced campaign explains every dossier as an observer does, every cell kept",
          "[explain][trace]") {
  // With `--trace` the workers keep every cell as read (the explanations' "brut"); without
  // it, only those the results are written from (Classifier::keep_only_cells_read).
  const tamis::Compilation c = tamis::compile_directory(root() + "/rules/cop2024");
  REQUIRE_FALSE(c.diagnostics.has_errors());
  const ExplanationWriter writer(*c.graph);
  const std::string campaign = "examples/campagne-2024.csv";
  const Traces t = trace(*c.graph, writer, campaign);
  for (const std::size_t threads : {std::size_t{1}, std::size_t{2}}) {
    auto input = tamis::io::open_campaign(root() + "/" + campaign, tamis::io::Encoding::Auto);
    std::ostringstream traced;
    tamis::runtime::TraceOptions trace_options;
    trace_options.writer = &writer;
    trace_options.campaign = "campagne-2024.csv";
    trace_options.out = &traced;
    tamis::runtime::CampaignOptions options;
    options.threads = threads;
    options.trace = &trace_options;
    const auto report =
        tamis::runtime::run_campaign(*c.graph, *input.stream, nullptr, nullptr, options);
    REQUIRE(report.fatal_errors.empty());
    INFO(threads << " threads");
    require_same_lines(traced.str(), t.fast);
  }
}
