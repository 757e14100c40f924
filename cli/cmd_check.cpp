#include <fmt/format.h>

#include <iostream>

#include "cli/common.hpp"
#include "support/lang.hpp"

namespace tamis::cli {

int cmd_check(const std::vector<std::string>& args) {
  boost::program_options::options_description options;
  boost::program_options::variables_map vm;
  const std::string usage = tr("usage : tamis check RÈGLES\n", "usage: tamis check RULES\n");
  const auto positional = parse(args, options, vm, usage);
  if (positional.size() != 1) {
    std::cerr << usage;
    return kInputErrors;
  }
  auto c = compile_and_report(positional[0], {.fingerprint = false});
  std::size_t warnings = 0;
  for (const auto& d : c->diagnostics.all()) warnings += d.severity == Severity::Warning;
  if (c->diagnostics.has_errors()) {
    std::cerr << tr("{} erreur(s), {} avertissement(s)\n", "{} error(s), {} warning(s)\n",
                    c->diagnostics.error_count(), warnings);
    return compile_failure(*c);
  }
  std::cout << tr("{} : {} fichier(s) de règles, aucune erreur, {} avertissement(s)\n",
                  "{}: {} rule file(s), no error, {} warning(s)\n", positional[0],
                  c->sources->size(), warnings);
  return kOk;
}

}  // namespace tamis::cli
