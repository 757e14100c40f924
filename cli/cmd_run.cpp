#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "runtime/audit/audit_recorder.hpp"
#include "runtime/audit/audit_store.hpp"
#include "runtime/explain/explain.hpp"
#include "runtime/io/atomic_file.hpp"
#include "runtime/io/csv_writer.hpp"
#include "runtime/report/summary_text.hpp"
#include "support/diagnostics.hpp"
#include "support/lang.hpp"

namespace po = boost::program_options;

namespace tamis::cli {

namespace {

const char* kUsage =
    "usage : tamis run RÈGLES CAMPAGNE.csv [--output RÉSULTATS.csv] [--rejects REJETS.csv]\n"
    "                  [--trace EXPLICATIONS.jsonl] [--db AUDIT.sqlite] [--strict]\n"
    "                  [--coverage] [--threads N]   (N de 1 à 256 ; 0 ou absent : un fil par "
    "cœur ;\n"
    "                                                résultats identiques)\n"
    "                  [--sep ,|;|auto] [--encoding auto|utf-8|windows-1252]\n";

const char* kUsageEn =
    "usage: tamis run RULES CAMPAIGN.csv [--output RESULTS.csv] [--rejects REJECTS.csv]\n"
    "                 [--trace EXPLANATIONS.jsonl] [--db AUDIT.sqlite] [--strict]\n"
    "                 [--coverage] [--threads N]   (N from 1 to 256; 0 or absent: one thread\n"
    "                                              per core; same results)\n"
    "                 [--sep ,|;|auto] [--encoding auto|utf-8|windows-1252]\n";

// Every rejected row with its line, its reasons and its cells as read, so that
// staff can correct the export and run again.
void write_rejects(std::ostream& out, const runtime::CampaignReport& report) {
  std::vector<std::string> row = {"ligne", "raisons"};
  row.insert(row.end(), report.header.begin(), report.header.end());
  io::write_csv_row(out, row);
  for (const auto& r : report.rejected) {
    row = {std::to_string(r.line), fmt::format("{}", fmt::join(r.reasons, " ; "))};
    row.insert(row.end(), r.fields.begin(), r.fields.end());
    io::write_csv_row(out, row);
  }
}

}  // namespace

int cmd_run(const std::vector<std::string>& args) {
  po::options_description options;
  std::string output, trace, db, rejects, threads = "0";
  InputOptions input_options;
  options.add_options()("output,o", po::value<std::string>(&output))(
      "trace", po::value<std::string>(&trace))("db", po::value<std::string>(&db))(
      "rejects", po::value<std::string>(&rejects))("strict", "")(
      "threads", po::value<std::string>(&threads))("coverage", "");
  input_options.add_to(options);
  po::variables_map vm;
  const std::string usage = current_lang() == Lang::En ? kUsageEn : kUsage;
  const auto positional = parse(args, options, vm, usage);
  const auto thread_count = static_cast<std::size_t>(parse_integer_option(
      "--threads", threads, usage, 0, static_cast<long>(runtime::kMaxThreads)));
  const bool strict = vm.count("strict") > 0;
  if (positional.size() != 2) {
    std::cerr << usage;
    return kInputErrors;
  }
  const std::string& campaign = positional[1];
  // The fingerprint is written only in the explanations and the audit store.
  auto c = compile_and_report(positional[0], {.fingerprint = !trace.empty() || !db.empty()});
  if (c->diagnostics.has_errors()) return compile_failure(*c);

  io::CampaignInput input;
  runtime::CampaignOptions campaign_options;
  if (!open_input(campaign, input_options, input, campaign_options)) return kInputErrors;
  campaign_options.threads = thread_count;
  campaign_options.summaries = 1;  // the headline table, the only one shown below
  runtime::Coverage coverage;
  if (vm.count("coverage") > 0) campaign_options.coverage = &coverage;

  // Outputs are written beside their target and renamed only when the run succeeds.
  std::vector<std::unique_ptr<io::AtomicFile>> files;
  auto open_output = [&](const std::string& path) -> io::AtomicFile* {
    if (path.empty()) return nullptr;
    files.push_back(std::make_unique<io::AtomicFile>(path));
    if (!files.back()->ok())
      throw std::runtime_error(tr("impossible d'écrire « {} »", "cannot write '{}'", path));
    return files.back().get();
  };
  io::AtomicFile* results = nullptr;
  io::AtomicFile* traces = nullptr;
  io::AtomicFile* rejected = nullptr;
  try {
    results = open_output(output);
    traces = open_output(trace);
    rejected = open_output(rejects);
  } catch (const std::runtime_error& e) {
    std::cerr << tr("tamis : {}\n", "tamis: {}\n", e.what());
    return kInputErrors;  // an unwritable output is a problem of the command line, not a crash
  }

  const std::string campaign_name = campaign_file_name(campaign);
  runtime::ObserverFanout observers;
  // The explanations are written by the worker threads (runtime::TraceOptions).
  std::unique_ptr<runtime::ExplanationWriter> explanation_writer;
  runtime::TraceOptions trace_options;
  if (traces != nullptr) {
    explanation_writer = std::make_unique<runtime::ExplanationWriter>(*c->graph);
    trace_options = {explanation_writer.get(), campaign_name, &traces->stream()};
    campaign_options.trace = &trace_options;
  }
  std::unique_ptr<audit::AuditStore> store;
  std::unique_ptr<audit::AuditRecorder> recorder;
  std::int64_t run = 0;
  if (!db.empty()) {
    try {
      store = std::make_unique<audit::AuditStore>(db);
      run = store->begin_run(audit::describe_run(*c->graph, campaign));
    } catch (const audit::StoreError& e) {  // missing folder, not an audit database, locked…
      std::cerr << tr("tamis : {}\n", "tamis: {}\n", e.what());
      return kInputErrors;
    }
    recorder = std::make_unique<audit::AuditRecorder>(*c->graph, *store, run, campaign_name);
    observers.add(recorder.get());
  }
  const auto report = runtime::run_campaign(
      *c->graph, *input.stream, results != nullptr ? &results->stream() : nullptr,
      observers.empty() ? nullptr : &observers, campaign_options);
  if (!report.fatal_errors.empty()) {
    for (const auto& e : report.fatal_errors) std::cerr << tr("{} : {}\n", "{}: {}\n", campaign, e);
    return kInputErrors;  // nothing is committed: no output file appears
  }
  if (report.workers_started < report.workers_wanted) {
    // The results are the same with any number of threads; only the time differs.
    std::cerr << tr(
        "tamis : note : le système a refusé de démarrer certains fils : campagne classée avec "
        "{} fil(s) au lieu de {}\n",
        "tamis: note: the system refused to start some threads: campaign classified with {} "
        "thread(s) instead of {}\n",
        report.workers_started + 1, report.workers_wanted + 1);
  }
  // Reasons quote the cells as read: shown printable (no raw control byte on a terminal).
  for (const auto& r : report.rejected) {
    std::cerr << tr("{}:{}: ligne rejetée (dossier {}) : {}\n",
                    "{}:{}: row rejected (dossier {}): {}\n", campaign, r.line,
                    r.id.empty() ? "?" : printable(r.id),
                    printable(fmt::format("{}", fmt::join(r.reasons, " ; "))));
  }
  const std::string invariant = tr("{} ligne(s) lue(s) = {} classée(s) + {} rejetée(s)",
                                   "{} row(s) read = {} classified + {} rejected", report.rows_read,
                                   report.rows_classified, report.rows_rejected);
  if (strict && report.rows_rejected > 0) {
    std::cerr << tr("{}\n--strict : {} ligne(s) rejetée(s), aucun résultat écrit\n",
                    "{}\n--strict: {} row(s) rejected, no result written\n", invariant,
                    report.rows_rejected);
    return kInputErrors;
  }
  if (rejected != nullptr) write_rejects(rejected->stream(), report);
  // The audit record first: a result file never exists without its recorded run.
  if (store) {
    try {
      store->finish_run(run, report,
                        c->graph->decisions.empty() ? "" : c->graph->decisions[0].name);
    } catch (const audit::StoreError& e) {  // disk full, I/O error: nothing is committed
      std::cerr << tr("tamis : {}\n", "tamis: {}\n", e.what());
      return kInputErrors;
    }
  }
  for (auto& f : files) {
    if (!f->commit()) {
      std::cerr << tr("tamis : erreur d'écriture de « {} »\n", "tamis: error writing '{}'\n",
                      f->path());
      return kInputErrors;
    }
  }

  // The first summary is the campaign's headline table; `tamis report` shows them all.
  if (!report.summaries.empty())
    std::cout << runtime::render_summary_text(report.summaries[0]) << "\n";
  std::cout << tr("lecture : {}{}, séparateur « {} »\n", "input: {}{}, separator '{}'\n",
                  io::encoding_name(input.encoding),
                  input_options.encoding == "auto" ? tr(" (détecté)", " (detected)") : "",
                  report.separator);
  if (campaign_options.coverage != nullptr) {
    std::cout << runtime::render_coverage_text(coverage,
                                               tr("dossiers classés", "classified dossiers"))
              << "\n";
  }
  std::cout << invariant << "\n";
  for (const auto& u : report.unrecognised) {
    if (u.dossiers == 0) continue;
    std::cout << tr(
        "dont {} dossier(s) classé(s) citant des libellés inconnus de la table {} dans « {} » "
        "(gardés à part, non_reconnus)\n",
        "of which {} classified dossier(s) cite labels unknown to the table {} in '{}' (kept "
        "apart, unrecognised)\n",
        u.dossiers, u.table, u.column);
  }
  if (results != nullptr)
    std::cout << tr("résultats écrits dans {}\n", "results written to {}\n", output);
  if (rejected != nullptr)
    std::cout << tr("lignes rejetées écrites dans {}\n", "rejected rows written to {}\n", rejects);
  if (traces != nullptr)
    std::cout << tr("explications écrites dans {}\n", "explanations written to {}\n", trace);
  if (store)
    std::cout << tr("exécution n° {} enregistrée dans {}\n", "run {} recorded in {}\n", run, db);
  return kOk;
}

}  // namespace tamis::cli
