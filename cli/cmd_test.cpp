#include <fmt/format.h>

#include <iostream>

#include "cli/common.hpp"
#include "runtime/explain/explain.hpp"
#include "runtime/testing/test_runner.hpp"
#include "support/lang.hpp"

namespace po = boost::program_options;

namespace tamis::cli {

int cmd_test(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("coverage", "");
  po::variables_map vm;
  const std::string usage =
      tr("usage : tamis test RÈGLES [--coverage]\n", "usage: tamis test RULES [--coverage]\n");
  const auto positional = parse(args, options, vm, usage);
  if (positional.size() != 1) {
    std::cerr << usage;
    return kInputErrors;
  }
  auto c = compile_and_report(positional[0]);
  if (c->diagnostics.has_errors()) return compile_failure(*c);
  runtime::Coverage coverage;
  const auto results =
      runtime::run_tests(*c->graph, vm.count("coverage") > 0 ? &coverage : nullptr);
  std::size_t passed = 0;
  for (const auto& r : results) {
    const std::string where =
        r.range.valid() ? fmt::format("{}:{}", c->sources->file(r.range.file).path, r.range.line)
                        : "";
    if (r.failures.empty()) {
      ++passed;
      std::cout << fmt::format("✔ {}\n", r.name);
      continue;
    }
    std::cout << fmt::format("✘ {} ({})\n", r.name, where);
    for (const auto& f : r.failures) std::cout << "    " << f << "\n";
    if (!r.explanation.is_null()) {
      std::string text = runtime::render_explanation_text(r.explanation);
      std::string indented;
      for (std::size_t start = 0; start < text.size();) {
        const std::size_t end = text.find('\n', start);
        indented += "    │ " + text.substr(start, end - start) + "\n";
        start = end == std::string::npos ? text.size() : end + 1;
      }
      std::cout << indented;
    }
  }
  if (vm.count("coverage") > 0)
    std::cout << "\n"
              << runtime::render_coverage_text(coverage, tr("cas de test", "test cases")) << "\n";
  if (results.empty()) std::cout << tr("aucun test dans {}\n", "no test in {}\n", positional[0]);
  std::cout << tr("{} réussi(s), {} échoué(s)\n", "{} passed, {} failed\n", passed,
                  results.size() - passed);
  return passed == results.size() ? kOk : kRuleErrors;
}

}  // namespace tamis::cli
