#pragma once
// Runs the tests written beside the rules: each builds a dossier from export
// cells (decoded exactly as a campaign row would be), evaluates it, and compares
// with what the test expects. Also counts which rules and definitions the tests
// exercised, true and false.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/graph/rule_graph.hpp"

namespace tamis::runtime {

struct TestResult {
  std::string name;
  SourceRange range;
  std::vector<std::string> failures;  // French; empty when the test passed
  nlohmann::json explanation;         // of the test's dossier, for failures
};

// Times each rule applied / was tried without applying, and each boolean
// definition was true / false, over the dossiers evaluated.
struct Coverage {
  struct Counts {
    std::string name;
    SourceRange range;
    std::size_t true_count = 0;
    std::size_t false_count = 0;
  };
  std::vector<Counts> rules;        // every rule of every decision, fallback included
  std::vector<Counts> definitions;  // boolean `soit` definitions
};

std::vector<TestResult> run_tests(const graph::RuleGraph& graph, Coverage* coverage = nullptr);

// Adds the current record of an interpreter to a coverage count.
class Interpreter;
void init_coverage(const graph::RuleGraph& graph, Coverage& coverage);
void add_coverage(const graph::RuleGraph& graph, Interpreter& interpreter, Coverage& coverage);
// The same in two steps, for parallel runs: a worker appends one mark per rule and per
// boolean definition (in Coverage order) for the record it evaluated; the thread that
// owns the Coverage adds the marks of the rows it keeps, in input order.
inline constexpr std::uint8_t kNotReached = 0;
inline constexpr std::uint8_t kTrue = 1;
inline constexpr std::uint8_t kFalse = 2;
void coverage_marks(const graph::RuleGraph& graph, Interpreter& interpreter,
                    std::vector<std::uint8_t>& marks);
void add_marks(Coverage& coverage, const std::uint8_t* marks);
std::string render_coverage_text(const Coverage& coverage, const std::string& unit);

}  // namespace tamis::runtime
