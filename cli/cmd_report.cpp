// `tamis report`: classifies a campaign and lays out every `synthèse` of the rule
// set as a report, in text, CSV, XLSX or HTML.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "runtime/io/atomic_file.hpp"
#include "runtime/report/report_csv.hpp"
#include "runtime/report/report_html.hpp"
#include "runtime/report/report_model.hpp"
#include "runtime/report/report_text.hpp"
#include "runtime/report/report_xlsx.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace tamis::cli {

namespace {

const char* kUsage =
    "usage : tamis report RÈGLES CAMPAGNE.csv [--format text|csv|xlsx|html] [--output SORTIE]\n"
    "                     [--results RÉSULTATS.csv] [--sep ,|;|auto]\n"
    "                     [--encoding auto|utf-8|windows-1252]\n"
    "  --format text   (par défaut) le rapport en texte, sur la sortie standard sans --output\n"
    "  --format html   une page autonome (tableaux et graphiques), sur la sortie standard sans "
    "--output\n"
    "  --format xlsx   un classeur, une feuille par tableau (--output obligatoire)\n"
    "  --format csv    --output est un dossier : un fichier CSV par tableau et index.csv\n"
    "  --results       écrit aussi le fichier de résultats de la même exécution\n";

// Writes `content` to `path` whole or not at all.
bool write_file(const std::string& path, const std::string& content) {
  io::AtomicFile file(path);
  if (!file.ok()) return false;
  file.stream() << content;
  return file.commit();
}

}  // namespace

int cmd_report(const std::vector<std::string>& args) {
  po::options_description options;
  std::string format = "text", output, results_path;
  InputOptions input_options;
  options.add_options()("format", po::value<std::string>(&format))(
      "output,o", po::value<std::string>(&output))("results",
                                                   po::value<std::string>(&results_path));
  input_options.add_to(options);
  po::variables_map vm;
  const auto positional = parse(args, options, vm);
  if (positional.size() != 2) {
    std::cerr << kUsage;
    return kInputErrors;
  }
  if (format != "text" && format != "csv" && format != "xlsx" && format != "html") {
    std::cerr << fmt::format("tamis : format « {} » inconnu (text, csv, xlsx ou html)\n\n{}",
                             format, kUsage);
    return kInputErrors;
  }
  if ((format == "csv" || format == "xlsx") && output.empty()) {
    std::cerr << fmt::format("tamis : le format {} demande --output{}\n\n{}", format,
                             format == "csv" ? " DOSSIER" : " FICHIER.xlsx", kUsage);
    return kInputErrors;
  }
  const std::string& campaign = positional[1];
  auto c = compile_and_report(positional[0]);
  if (c->diagnostics.has_errors()) return compile_failure(*c);

  io::CampaignInput input;
  runtime::CampaignOptions campaign_options;
  if (!open_input(campaign, input_options, input, campaign_options)) return kInputErrors;

  std::unique_ptr<io::AtomicFile> results;
  if (!results_path.empty()) {
    results = std::make_unique<io::AtomicFile>(results_path);
    if (!results->ok()) {
      std::cerr << fmt::format("tamis : impossible d'écrire « {} »\n", results_path);
      return kInputErrors;
    }
  }
  const auto campaign_report = runtime::run_campaign(
      *c->graph, *input.stream, results ? &results->stream() : nullptr, nullptr, campaign_options);
  if (!campaign_report.fatal_errors.empty()) {
    for (const auto& e : campaign_report.fatal_errors) std::cerr << campaign << " : " << e << "\n";
    return kInputErrors;
  }
  for (const auto& r : campaign_report.rejected) {
    std::cerr << fmt::format("{}:{}: ligne rejetée (dossier {}) : {}\n", campaign, r.line,
                             r.id.empty() ? "?" : r.id, fmt::join(r.reasons, " ; "));
  }
  const auto report = runtime::report::build_report(*c->graph, campaign_report,
                                                    fs::path(campaign).filename().string());

  // With the report on stdout, the messages go to stderr.
  std::ostream& status = output.empty() ? std::cerr : std::cout;
  std::string written;
  if (format == "text" || format == "html") {
    const std::string content = format == "text" ? runtime::report::render_report_text(report)
                                                 : runtime::report::render_report_html(report);
    if (output.empty()) {
      std::cout << content;
    } else if (!write_file(output, content)) {
      std::cerr << fmt::format("tamis : erreur d'écriture de « {} »\n", output);
      return kInputErrors;
    }
    written = output;
  } else if (format == "csv") {
    std::error_code error;
    fs::create_directories(output, error);
    if (!fs::is_directory(output)) {
      std::cerr << fmt::format("tamis : « {} » n'est pas un dossier utilisable\n", output);
      return kInputErrors;
    }
    const auto files = runtime::report::render_report_csv(report);
    for (const auto& f : files) {
      const std::string path = (fs::path(output) / f.name).string();
      if (!write_file(path, f.content)) {
        std::cerr << fmt::format("tamis : erreur d'écriture de « {} »\n", path);
        return kInputErrors;
      }
    }
    written = fmt::format("{} ({} fichiers)", output, files.size());
  } else {
    // libxlsxwriter writes the file itself: write beside the target, then rename.
    const std::string temporary = fmt::format("{}.tmp-{}.xlsx", output, ::getpid());
    const std::string problem = runtime::report::write_report_xlsx(report, temporary);
    if (!problem.empty() || std::rename(temporary.c_str(), output.c_str()) != 0) {
      std::remove(temporary.c_str());
      std::cerr << fmt::format(
          "tamis : {}\n",
          problem.empty() ? fmt::format("impossible d'écrire « {} »", output) : problem);
      return kInputErrors;
    }
    written = output;
  }
  if (results && !results->commit()) {
    std::cerr << fmt::format("tamis : erreur d'écriture de « {} »\n", results_path);
    return kInputErrors;
  }

  status << fmt::format("{} ligne(s) lue(s) = {} classée(s) + {} rejetée(s)\n",
                        campaign_report.rows_read, campaign_report.rows_classified,
                        campaign_report.rows_rejected);
  if (!written.empty()) status << fmt::format("rapport écrit dans {}\n", written);
  if (results) status << fmt::format("résultats écrits dans {}\n", results_path);
  return kOk;
}

}  // namespace tamis::cli
