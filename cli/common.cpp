#include "cli/common.hpp"
#include "support/lang.hpp"
#include "support/text.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

namespace po = boost::program_options;

namespace tamis::cli {

std::unique_ptr<Compilation> compile_and_report(const std::string& rules_dir,
                                                const CompileOptions& options) {
  auto c = std::make_unique<Compilation>(compile_directory(rules_dir, options));
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

int compile_failure(const Compilation& c) {
  for (const auto& d : c.diagnostics.all()) {
    if (d.severity == Severity::Error && d.code != "E0010") return kRuleErrors;
  }
  return kInputErrors;
}

void InputOptions::add_to(po::options_description& options) {
  options.add_options()("sep", po::value<std::string>(&separator))(
      "encoding", po::value<std::string>(&encoding));
}

bool open_input(const std::string& path, const InputOptions& options, io::CampaignInput& input,
                runtime::CampaignOptions& campaign_options) {
  if (options.separator == ";" || options.separator == ",") {
    campaign_options.separator = options.separator[0];
  } else if (options.separator != "auto") {
    std::cerr << tr("tamis : séparateur « {} » non pris en charge (« , », « ; » ou auto)\n",
                    "tamis: separator '{}' not supported (',', ';' or auto)\n", options.separator);
    return false;
  }
  const auto encoding = io::parse_encoding(options.encoding);
  if (!encoding) {
    std::cerr << tr("tamis : encodage « {} » inconnu (auto, utf-8 ou windows-1252)\n",
                    "tamis: unknown encoding '{}' (auto, utf-8 or windows-1252)\n",
                    options.encoding);
    return false;
  }
  input = io::open_campaign(path, *encoding);
  if (!input.error.empty()) {
    std::cerr << tr("tamis : {}\n", "tamis: {}\n", input.error);
    return false;
  }
  campaign_options.input_bytes = input.bytes;
  return true;
}

std::string campaign_file_name(const std::string& path) {
  return text::valid_utf8(std::filesystem::path(path).filename().string());
}

}  // namespace tamis::cli
