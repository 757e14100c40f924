#include "cli/common.hpp"

#include <iostream>

namespace po = boost::program_options;

namespace tamis::cli {

std::unique_ptr<Compilation> compile_and_report(const std::string& rules_dir) {
  auto c = std::make_unique<Compilation>(compile_directory(rules_dir));
  for (const auto& d : c->diagnostics.all()) std::cerr << render(d, *c->sources);
  return c;
}

std::vector<std::string> parse(const std::vector<std::string>& args,
                               const po::options_description& options, po::variables_map& vm) {
  std::vector<std::string> positional;
  po::options_description hidden;
  hidden.add_options()("positional", po::value<std::vector<std::string>>(&positional));
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description pos;
  pos.add("positional", -1);
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  return positional;
}

}  // namespace tamis::cli
