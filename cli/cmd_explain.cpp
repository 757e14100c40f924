#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/common.hpp"
#include "runtime/campaign.hpp"
#include "runtime/explain/explain.hpp"
#include "support/lang.hpp"
#include "support/text.hpp"

namespace po = boost::program_options;

namespace tamis::cli {

namespace {

// Keeps the explanation of the dossier whose identifier is `id`.
class FindDossier : public runtime::CampaignObserver {
 public:
  FindDossier(const graph::RuleGraph& graph, std::string id, std::string campaign)
      : graph_(graph), id_(std::move(id)), campaign_(std::move(campaign)) {}

  void classified(std::size_t line, std::size_t, const runtime::Record& record,
                  runtime::Interpreter& interpreter) override {
    if (found_ || record.raw.empty() || text::trim(record.raw[0]) != id_) return;
    explanation_ = runtime::explain(graph_, interpreter, record, {campaign_, line});
    found_ = true;
  }
  void rejected(const runtime::RejectedRow& row) override {
    if (found_ || row.id != id_) return;
    rejected_ = row;
    found_ = true;
  }

  bool found_ = false;
  nlohmann::json explanation_;
  std::optional<runtime::RejectedRow> rejected_;

 private:
  const graph::RuleGraph& graph_;
  std::string id_;
  std::string campaign_;
};

}  // namespace

int print_explanation(const nlohmann::json& explanation, const std::string& format) {
  if (format == "json") {
    std::cout << explanation.dump(2) << "\n";
  } else if (format == "html") {
    std::cout << runtime::render_explanation_html(explanation);
  } else {
    std::cout << runtime::render_explanation_text(explanation);
  }
  return kOk;
}

int cmd_explain_from_db(const std::string& db, long run, const std::string& id,
                        const std::string& format);

int cmd_explain(const std::vector<std::string>& args) {
  po::options_description options;
  std::string id, format = "text", db, run_text;
  options.add_options()("id", po::value<std::string>(&id))(
      "format", po::value<std::string>(&format))("db", po::value<std::string>(&db))(
      "run", po::value<std::string>(&run_text));
  InputOptions input_options;
  input_options.add_to(options);
  po::variables_map vm;
  const std::string usage =
      tr("usage : tamis explain RÈGLES CAMPAGNE.csv --id ID [--format text|json|html]\n"
         "                     [--sep ,|;|auto] [--encoding auto|utf-8|windows-1252]\n"
         "        tamis explain --db AUDIT.sqlite --run N --id ID [--format text|json|html]\n",
         "usage: tamis explain RULES CAMPAIGN.csv --id ID [--format text|json|html]\n"
         "                     [--sep ,|;|auto] [--encoding auto|utf-8|windows-1252]\n"
         "       tamis explain --db AUDIT.sqlite --run N --id ID [--format text|json|html]\n");
  const auto positional = parse(args, options, vm, usage);
  const long run = run_text.empty() ? 0 : parse_integer_option("--run", run_text, usage, 1);
  if (id.empty() || (format != "text" && format != "json" && format != "html")) {
    std::cerr << usage;
    return kInputErrors;
  }
  if (!db.empty()) {
    if (!positional.empty() || run <= 0) {
      std::cerr << usage;
      return kInputErrors;
    }
    return cmd_explain_from_db(db, run, id, format);
  }
  if (positional.size() != 2) {
    std::cerr << usage;
    return kInputErrors;
  }
  auto c = compile_and_report(positional[0]);
  if (c->diagnostics.has_errors()) return compile_failure(*c);
  io::CampaignInput input;
  runtime::CampaignOptions campaign_options;
  if (!open_input(positional[1], input_options, input, campaign_options)) return kInputErrors;
  campaign_options.summaries = 0;  // no table is shown
  FindDossier finder(*c->graph, id, campaign_file_name(positional[1]));
  const auto report =
      runtime::run_campaign(*c->graph, *input.stream, nullptr, &finder, campaign_options);
  if (!report.fatal_errors.empty()) {
    for (const auto& e : report.fatal_errors)
      std::cerr << tr("{} : {}\n", "{}: {}\n", positional[1], e);
    return kInputErrors;
  }
  if (!finder.found_) {
    std::cerr << tr("tamis : aucun dossier « {} » dans {}\n", "tamis: no dossier '{}' in {}\n", id,
                    positional[1]);
    return kInputErrors;
  }
  if (finder.rejected_) {
    // Rejected when read or when evaluated: the reasons say which.
    std::cerr << tr("Dossier {} (ligne {}) rejeté, sans catégorie : {}\n",
                    "Dossier {} (line {}) rejected, no category: {}\n", id, finder.rejected_->line,
                    fmt::join(finder.rejected_->reasons, " ; "));
    return kInputErrors;
  }
  return print_explanation(finder.explanation_, format);
}

}  // namespace tamis::cli
