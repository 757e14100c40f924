#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/common.hpp"
#include "runtime/audit/audit_recorder.hpp"
#include "runtime/campaign.hpp"
#include "runtime/explain/explain.hpp"
#include "runtime/report/summary_text.hpp"

namespace po = boost::program_options;

namespace tamis::cli {

namespace {

// Writes the explanation of every dossier as one JSON object per line.
class TraceWriter : public runtime::CampaignObserver {
 public:
  TraceWriter(const graph::RuleGraph& graph, std::ostream& out, std::string campaign)
      : graph_(graph), out_(out), campaign_(std::move(campaign)) {}

  void classified(std::size_t line, std::size_t, const runtime::Record& record,
                  runtime::Interpreter& interpreter) override {
    out_ << runtime::explain(graph_, interpreter, record, {campaign_, line}).dump() << '\n';
  }

  void rejected(const runtime::RejectedRow& row) override {
    nlohmann::json j = {{"schema", runtime::kExplanationSchema},
                        {"dossier", {{"id", row.id}, {"ligne", row.line}, {"fichier", campaign_}}},
                        {"rejet", row.reasons}};
    out_ << j.dump() << '\n';
  }

 private:
  const graph::RuleGraph& graph_;
  std::ostream& out_;
  std::string campaign_;
};

}  // namespace

int cmd_run(const std::vector<std::string>& args) {
  po::options_description options;
  std::string output, trace, db;
  options.add_options()("output,o", po::value<std::string>(&output))(
      "trace", po::value<std::string>(&trace))("db", po::value<std::string>(&db));
  po::variables_map vm;
  const auto positional = parse(args, options, vm);
  if (positional.size() != 2) {
    std::cerr
        << "usage : tamis run RÈGLES CAMPAGNE.csv [--output RÉSULTATS.csv] [--trace TRACES.jsonl] "
           "[--db AUDIT.sqlite]\n";
    return kInputErrors;
  }
  const std::string& campaign = positional[1];
  auto c = compile_and_report(positional[0]);
  if (c->diagnostics.has_errors()) return kRuleErrors;

  std::ifstream input(campaign, std::ios::binary);
  if (!input) {
    std::cerr << fmt::format("tamis : impossible de lire « {} »\n", campaign);
    return kInputErrors;
  }
  std::ofstream results, traces;
  if (!output.empty()) {
    results.open(output, std::ios::binary | std::ios::trunc);
    if (!results) {
      std::cerr << fmt::format("tamis : impossible d'écrire « {} »\n", output);
      return kInputErrors;
    }
  }
  std::unique_ptr<TraceWriter> tracer;
  if (!trace.empty()) {
    traces.open(trace, std::ios::binary | std::ios::trunc);
    if (!traces) {
      std::cerr << fmt::format("tamis : impossible d'écrire « {} »\n", trace);
      return kInputErrors;
    }
    tracer = std::make_unique<TraceWriter>(*c->graph, traces,
                                           std::filesystem::path(campaign).filename().string());
  }
  runtime::ObserverFanout observers;
  observers.add(tracer.get());
  std::unique_ptr<audit::AuditStore> store;
  std::unique_ptr<audit::AuditRecorder> recorder;
  std::int64_t run = 0;
  if (!db.empty()) {
    store = std::make_unique<audit::AuditStore>(db);
    run = store->begin_run(audit::describe_run(*c->graph, campaign));
    recorder = std::make_unique<audit::AuditRecorder>(
        *c->graph, *store, run, std::filesystem::path(campaign).filename().string());
    observers.add(recorder.get());
  }
  const auto report = runtime::run_campaign(*c->graph, input, output.empty() ? nullptr : &results,
                                            observers.empty() ? nullptr : &observers);
  if (!report.fatal_errors.empty()) {
    for (const auto& e : report.fatal_errors) std::cerr << campaign << " : " << e << "\n";
    return kInputErrors;
  }
  if (store) store->finish_run(run, report);
  for (const auto& r : report.rejected) {
    std::cerr << fmt::format("{}:{}: ligne rejetée (dossier {}) : {}\n", campaign, r.line,
                             r.id.empty() ? "?" : r.id, fmt::join(r.reasons, " ; "));
  }
  for (const auto& s : report.summaries)
    std::cout << runtime::render_summary_text(*c->graph, s) << "\n";
  std::cout << fmt::format("{} ligne(s) lue(s) = {} classée(s) + {} rejetée(s)\n", report.rows_read,
                           report.rows_classified, report.rows_rejected);
  for (auto* stream : {&results, &traces}) {
    if (stream->is_open()) {
      stream->close();
      if (!*stream) {
        std::cerr << "tamis : erreur d'écriture des résultats\n";
        return kInputErrors;
      }
    }
  }
  if (!output.empty()) std::cout << fmt::format("résultats écrits dans {}\n", output);
  if (!trace.empty()) std::cout << fmt::format("explications écrites dans {}\n", trace);
  if (store) std::cout << fmt::format("exécution n° {} enregistrée dans {}\n", run, db);
  return kOk;
}

}  // namespace tamis::cli
