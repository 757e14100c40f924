#pragma once
// What every subcommand of the CLI shares: exit codes, compiling a rule folder
// with diagnostics on stderr, option parsing.
#include <boost/program_options.hpp>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "compiler/compile.hpp"
#include "runtime/campaign.hpp"
#include "runtime/io/campaign_input.hpp"

namespace tamis::cli {

inline constexpr int kOk = 0;
inline constexpr int kRuleErrors = 1;
inline constexpr int kInputErrors = 2;
inline constexpr int kInternalError = 3;

// Compiles and prints diagnostics on stderr; check has_errors() on the result.
std::unique_ptr<Compilation> compile_and_report(const std::string& rules_dir,
                                                const CompileOptions& options = {});

// Exit code when a compilation failed: 2 when the rule folder itself could not be
// read (a path problem, E0010), 1 for errors in the rules.
int compile_failure(const Compilation& c);

// What ends a command before it starts, caught by main(): `--help` (exit 0, the
// command's usage on stdout) or a command line it cannot use (exit 2, the reason and
// the command's usage on stderr). `text` is ready to print.
struct CommandLineExit {
  int code;
  std::string text;
};

// Throws the CommandLineExit of a command line error: `reason` (one line, no
// newline), then the usage of the command.
[[noreturn]] void command_line_error(const std::string& reason, const std::string& usage);

// Parses `args` with `options` (plus --help/-h) and positional arguments. Throws
// CommandLineExit for --help and for any option error, in the current language,
// naming the option (program_options' own English messages are never shown).
std::vector<std::string> parse(const std::vector<std::string>& args,
                               const boost::program_options::options_description& options,
                               boost::program_options::variables_map& vm, const std::string& usage);

// The value of an integer option (`text` as given after `option`), which must lie in
// [min, max]; otherwise throws the CommandLineExit that says so.
long parse_integer_option(const std::string& option, const std::string& text,
                          const std::string& usage, long min,
                          long max = std::numeric_limits<long>::max());

// --sep and --encoding, shared by the commands that read a campaign.
struct InputOptions {
  std::string separator = "auto";
  std::string encoding = "auto";
  void add_to(boost::program_options::options_description& options);
};

// Opens the campaign as the options say; prints the problem and returns false on failure.
bool open_input(const std::string& path, const InputOptions& options, io::CampaignInput& input,
                runtime::CampaignOptions& campaign_options);

// The campaign's file name as explanations and reports show it: valid UTF-8 (a file
// name is bytes; one that is not UTF-8 gets U+FFFD for its stray bytes).
std::string campaign_file_name(const std::string& path);

// The exit code of `tamis diff`: 1 with --fail-on-change when results or rules change,
// saying so on stderr (the only reason for that 1), else 0.
int diff_exit_code(bool fail_on_change, std::size_t rows_changed, std::size_t rules_changed);

int cmd_check(const std::vector<std::string>& args);
int cmd_run(const std::vector<std::string>& args);
int cmd_explain(const std::vector<std::string>& args);
int cmd_history(const std::vector<std::string>& args);
int cmd_report(const std::vector<std::string>& args);
int cmd_diff(const std::vector<std::string>& args);
int cmd_test(const std::vector<std::string>& args);
int cmd_fmt(const std::vector<std::string>& args);

}  // namespace tamis::cli
