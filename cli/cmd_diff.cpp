#include <fmt/format.h>

#include <iostream>

#include "cli/common.hpp"
#include "runtime/diff/diff_render.hpp"
#include "runtime/io/atomic_file.hpp"
#include "support/lang.hpp"

namespace po = boost::program_options;

namespace tamis::cli {

int cmd_diff(const std::vector<std::string>& args) {
  po::options_description options;
  std::string format = "text", output;
  InputOptions input_options;
  options.add_options()("format", po::value<std::string>(&format))(
      "output,o", po::value<std::string>(&output))("fail-on-change", "");
  input_options.add_to(options);
  po::variables_map vm;
  const std::string usage =
      tr("usage : tamis diff RÈGLES_AVANT RÈGLES_APRÈS CAMPAGNE.csv [--format "
         "text|csv|json|html]\n"
         "                   [--output FICHIER] [--fail-on-change]\n"
         "                   [--sep ,|;|auto] [--encoding auto|utf-8|windows-1252]   (lecture de "
         "la campagne)\n",
         "usage: tamis diff RULES_BEFORE RULES_AFTER CAMPAIGN.csv [--format text|csv|json|html]\n"
         "                  [--output FILE] [--fail-on-change]\n"
         "                  [--sep ,|;|auto] [--encoding auto|utf-8|windows-1252]   (reading the "
         "campaign)\n");
  const auto positional = parse(args, options, vm, usage);
  if (positional.size() != 3 ||
      (format != "text" && format != "csv" && format != "json" && format != "html")) {
    std::cerr << usage;
    return kInputErrors;
  }
  auto before = compile_and_report(positional[0]);
  auto after = compile_and_report(positional[1]);
  if (before->diagnostics.has_errors()) return compile_failure(*before);
  if (after->diagnostics.has_errors()) return compile_failure(*after);
  io::CampaignInput input;
  runtime::CampaignOptions campaign_options;
  if (!open_input(positional[2], input_options, input, campaign_options)) return kInputErrors;

  const auto diff =
      runtime::diff_campaign(*before->graph, *after->graph, *input.stream, campaign_options);
  if (!diff.fatal_errors.empty()) {
    for (const auto& e : diff.fatal_errors)
      std::cerr << tr("{} : {}\n", "{}: {}\n", positional[2], e);
    return kInputErrors;
  }
  std::string rendered;
  if (format == "csv") {
    rendered = runtime::render_diff_csv(diff);
  } else if (format == "json") {
    rendered = runtime::diff_to_json(diff).dump(2) + "\n";
  } else if (format == "html") {
    rendered = runtime::render_diff_html(diff);
  } else {
    rendered = runtime::render_diff_text(diff);
  }
  if (output.empty()) {
    std::cout << rendered;
  } else {
    io::AtomicFile file(output);
    file.stream() << rendered;
    if (!file.commit()) {
      std::cerr << tr("tamis : impossible d'écrire « {} »\n", "tamis: cannot write '{}'\n", output);
      return kInputErrors;
    }
    std::cout << tr("{} dossier(s) lu(s), {} changement(s) ; comparaison écrite dans {}\n",
                    "{} dossier(s) read, {} change(s); comparison written to {}\n", diff.rows_read,
                    diff.rows_changed, output);
  }
  return diff_exit_code(vm.count("fail-on-change") > 0, diff.rows_changed,
                        diff.rule_changes.size());
}

}  // namespace tamis::cli
