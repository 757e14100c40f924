#include "cli/common.hpp"
#include "support/lang.hpp"
#include "support/text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>

namespace po = boost::program_options;

namespace tamis::cli {

std::unique_ptr<Compilation> compile_and_report(const std::string& rules_dir,
                                                const CompileOptions& options) {
  auto c = std::make_unique<Compilation>(compile_directory(rules_dir, options));
  for (const auto& d : c->diagnostics.all()) std::cerr << render(d, *c->sources);
  return c;
}

namespace {

// The long names of a command's options, as typed ("--output"), and --help.
std::vector<std::string> option_names(const po::options_description& options) {
  std::vector<std::string> names;
  for (const auto& o : options.options()) {
    if (!o->long_name().empty()) names.push_back("--" + o->long_name());
  }
  names.push_back("--help");
  return names;
}

// The option `token` begins, when it begins only one (« --out » for --output): what
// was meant, as boost would have guessed it had abbreviations been allowed.
std::optional<std::string> completed(const std::string& token,
                                     const std::vector<std::string>& names) {
  std::optional<std::string> found;
  for (const auto& name : names) {
    if (name.size() <= token.size() || name.compare(0, token.size(), token) != 0) continue;
    if (found) return std::nullopt;
    found = name;
  }
  return found;
}

std::string describe_unknown(const std::string& token, const po::options_description& options) {
  const auto names = option_names(options);
  auto guess = completed(token, names);
  if (!guess) guess = text::closest_match(token, names);
  if (guess) {
    return tr("option inconnue « {} » : vouliez-vous dire « {} » ?",
              "unknown option '{}': did you mean '{}'?", token, *guess);
  }
  return tr("option inconnue « {} »", "unknown option '{}'", token);
}

std::string describe_syntax(const po::invalid_command_line_syntax& e) {
  const std::string option = e.get_option_name();
  switch (e.kind()) {
    case po::invalid_syntax::missing_parameter:
    case po::invalid_syntax::empty_adjacent_parameter:
      return tr("{} attend une valeur", "{} expects a value", option);
    case po::invalid_syntax::extra_parameter:
      return tr("{} ne prend pas de valeur", "{} takes no value", option);
    default:
      return tr("option « {} » mal écrite (--nom valeur ou --nom=valeur)",
                "option '{}' is badly written (--name value or --name=value)", option);
  }
}

// The reason of an option error, in the current language, from the fields of the
// exception (never its English what()).
std::string describe(const po::error& error, const po::options_description& options) {
  if (const auto* e = dynamic_cast<const po::unknown_option*>(&error))
    return describe_unknown(e->get_option_name(), options);
  if (const auto* e = dynamic_cast<const po::ambiguous_option*>(&error)) {
    std::vector<std::string> quoted;
    for (const auto& a : e->alternatives()) quoted.push_back(tr("« --{} »", "'--{}'", a));
    return tr("option « {} » ambiguë : {} ?", "ambiguous option '{}': {}?", e->get_option_name(),
              fmt::join(quoted, tr(" ou ", " or ")));
  }
  if (const auto* e = dynamic_cast<const po::invalid_command_line_syntax*>(&error))
    return describe_syntax(*e);
  if (const auto* e = dynamic_cast<const po::multiple_occurrences*>(&error))
    return tr("{} est donnée plusieurs fois", "{} is given more than once", e->get_option_name());
  if (const auto* e = dynamic_cast<const po::error_with_option_name*>(&error))
    return tr("valeur invalide pour {}", "invalid value for {}", e->get_option_name());
  return tr("ligne de commande invalide", "invalid command line");
}

}  // namespace

void command_line_error(const std::string& reason, const std::string& usage) {
  throw CommandLineExit{kInputErrors, tr("tamis : {}\n\n{}", "tamis: {}\n\n{}", reason, usage)};
}

std::vector<std::string> parse(const std::vector<std::string>& args,
                               const po::options_description& options, po::variables_map& vm,
                               const std::string& usage) {
  std::vector<std::string> positional;
  po::options_description hidden;
  hidden.add_options()("positional", po::value<std::vector<std::string>>(&positional));
  po::options_description help;
  help.add_options()("help,h", "");
  po::options_description all;
  all.add(options).add(help).add(hidden);
  po::positional_options_description pos;
  pos.add("positional", -1);
  try {
    // No abbreviations: boost would take « --coverag » for --coverage and « --out » for
    // --output, so a typo would run silently instead of being named with a suggestion.
    const auto style =
        po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(args).options(all).positional(pos).style(style).run(), vm);
    if (vm.count("help") > 0) throw CommandLineExit{kOk, usage};
    po::notify(vm);
  } catch (const po::error& e) {
    command_line_error(describe(e, options), usage);
  }
  return positional;
}

long parse_integer_option(const std::string& option, const std::string& text,
                          const std::string& usage, long min, long max) {
  long value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error == std::errc() && stop == end && value >= min && value <= max) return value;
  if (max == std::numeric_limits<long>::max()) {
    command_line_error(tr("{} attend un nombre entier à partir de {}, pas « {} »",
                          "{} expects a whole number from {} up, not '{}'", option, min, text),
                       usage);
  }
  command_line_error(
      tr("{} attend un nombre entier de {} à {}, pas « {} »",
         "{} expects a whole number from {} to {}, not '{}'", option, min, max, text),
      usage);
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

int diff_exit_code(bool fail_on_change, std::size_t rows_changed, std::size_t rules_changed) {
  if (!fail_on_change || (rows_changed == 0 && rules_changed == 0)) return kOk;
  std::cerr << tr(
      "tamis : {} dossier(s) changent de résultat, {} différence(s) des règles : code de sortie "
      "1 (--fail-on-change)\n",
      "tamis: {} dossier(s) change result, {} difference(s) in the rules: exit code 1 "
      "(--fail-on-change)\n",
      rows_changed, rules_changed);
  return kRuleErrors;
}

std::string campaign_file_name(const std::string& path) {
  return text::valid_utf8(std::filesystem::path(path).filename().string());
}

}  // namespace tamis::cli
