// `tamis report`: classifies a campaign and lays out every `synthèse` of the rule
// set as a report, in text, CSV, XLSX or HTML.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/common.hpp"
#include "runtime/io/atomic_file.hpp"
#include "runtime/report/report_csv.hpp"
#include "runtime/report/report_html.hpp"
#include "runtime/report/report_model.hpp"
#include "runtime/report/report_text.hpp"
#include "runtime/report/report_xlsx.hpp"
#include "support/lang.hpp"

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
    "  --format csv    --output est un dossier : un fichier CSV par tableau et index.csv ;\n"
    "                  les tableaux d'un rapport précédent qu'il liste et que celui-ci\n"
    "                  n'écrit pas sont supprimés (rien d'autre)\n"
    "  --results       écrit aussi le fichier de résultats de la même exécution\n";

const char* kUsageEn =
    "usage: tamis report RULES CAMPAIGN.csv [--format text|csv|xlsx|html] [--output OUTPUT]\n"
    "                    [--results RESULTS.csv] [--sep ,|;|auto]\n"
    "                    [--encoding auto|utf-8|windows-1252]\n"
    "  --format text   (default) the report as text, on standard output without --output\n"
    "  --format html   a self-contained page (tables and charts), on standard output without "
    "--output\n"
    "  --format xlsx   a workbook, one sheet per table (--output required)\n"
    "  --format csv    --output is a folder: one CSV file per table and index.csv;\n"
    "                  the tables of an earlier report that its index.csv lists and this\n"
    "                  one does not write are removed (nothing else)\n"
    "  --results       also writes the results file of the same run\n";

const char* usage() {
  return current_lang() == Lang::En ? kUsageEn : kUsage;
}

// Writes `content` to `path` whole or not at all.
bool write_file(const std::string& path, const std::string& content) {
  io::AtomicFile file(path);
  if (!file.ok()) return false;
  file.stream() << content;
  return file.commit();
}

// The index.csv an earlier report left in `folder`, or "" when there is none.
std::string read_previous_index(const std::string& folder) {
  std::ifstream in(fs::path(folder) / "index.csv", std::ios::binary);
  if (!in) return {};
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// Removes the regular files `names` of `folder` (a link or a folder is left alone);
// returns how many were removed.
std::size_t remove_stale(const std::string& folder, const std::vector<std::string>& names) {
  std::size_t removed = 0;
  for (const auto& name : names) {
    const fs::path path = fs::path(folder) / name;
    std::error_code error;
    if (!fs::is_regular_file(fs::symlink_status(path, error))) continue;
    if (fs::remove(path, error)) {
      ++removed;
    } else if (error) {
      std::cerr << tr("tamis : « {} » d'un rapport précédent n'a pas pu être supprimé : {}\n",
                      "tamis: '{}' of an earlier report could not be removed: {}\n", path.string(),
                      error.message());
    }
  }
  return removed;
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
  const auto positional = parse(args, options, vm, usage());
  if (positional.size() != 2) {
    std::cerr << usage();
    return kInputErrors;
  }
  if (format != "text" && format != "csv" && format != "xlsx" && format != "html") {
    std::cerr << tr("tamis : format « {} » inconnu (text, csv, xlsx ou html)\n\n{}",
                    "tamis: unknown format '{}' (text, csv, xlsx or html)\n\n{}", format, usage());
    return kInputErrors;
  }
  if ((format == "csv" || format == "xlsx") && output.empty()) {
    std::cerr << tr("tamis : le format {} demande --output{}\n\n{}",
                    "tamis: the format {} needs --output{}\n\n{}", format,
                    format == "csv" ? tr(" DOSSIER", " FOLDER") : tr(" FICHIER.xlsx", " FILE.xlsx"),
                    usage());
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
      std::cerr << tr("tamis : impossible d'écrire « {} »\n", "tamis: cannot write '{}'\n",
                      results_path);
      return kInputErrors;
    }
  }
  const auto campaign_report = runtime::run_campaign(
      *c->graph, *input.stream, results ? &results->stream() : nullptr, nullptr, campaign_options);
  if (!campaign_report.fatal_errors.empty()) {
    for (const auto& e : campaign_report.fatal_errors)
      std::cerr << tr("{} : {}\n", "{}: {}\n", campaign, e);
    return kInputErrors;
  }
  for (const auto& r : campaign_report.rejected) {
    std::cerr << tr("{}:{}: ligne rejetée (dossier {}) : {}\n",
                    "{}:{}: row rejected (dossier {}): {}\n", campaign, r.line,
                    r.id.empty() ? "?" : r.id, fmt::join(r.reasons, " ; "));
  }
  const auto report =
      runtime::report::build_report(*c->graph, campaign_report, campaign_file_name(campaign));

  // With the report on stdout, the messages go to stderr.
  std::ostream& status = output.empty() ? std::cerr : std::cout;
  std::string written;
  if (format == "text" || format == "html") {
    const std::string content = format == "text" ? runtime::report::render_report_text(report)
                                                 : runtime::report::render_report_html(report);
    if (output.empty()) {
      std::cout << content;
    } else if (!write_file(output, content)) {
      std::cerr << tr("tamis : erreur d'écriture de « {} »\n", "tamis: error writing '{}'\n",
                      output);
      return kInputErrors;
    }
    written = output;
  } else if (format == "csv") {
    std::error_code error;
    fs::create_directories(output, error);
    if (!fs::is_directory(output)) {
      std::cerr << tr("tamis : « {} » n'est pas un dossier utilisable\n",
                      "tamis: '{}' is not a usable folder\n", output);
      return kInputErrors;
    }
    const auto files = runtime::report::render_report_csv(report);
    // An earlier report's tables that this one does not write would stay beside it:
    // they are the files its index.csv lists, removed once the new files are written.
    const auto stale = runtime::report::stale_report_files(read_previous_index(output), files);
    for (const auto& f : files) {
      const std::string path = (fs::path(output) / f.name).string();
      if (!write_file(path, f.content)) {
        std::cerr << tr("tamis : erreur d'écriture de « {} »\n", "tamis: error writing '{}'\n",
                        path);
        return kInputErrors;
      }
    }
    written = tr("{} ({} fichiers)", "{} ({} files)", output, files.size());
    if (const std::size_t removed = remove_stale(output, stale); removed > 0) {
      written += tr(" ; {} fichier(s) d'un rapport précédent supprimé(s)",
                    "; {} file(s) of an earlier report removed", removed);
    }
  } else {
    // libxlsxwriter writes the file itself: write beside the target, then rename.
    const std::string temporary = fmt::format("{}.tmp-{}.xlsx", output, ::getpid());
    const std::string problem = runtime::report::write_report_xlsx(report, temporary);
    if (!problem.empty() || std::rename(temporary.c_str(), output.c_str()) != 0) {
      std::remove(temporary.c_str());
      std::cerr << tr("tamis : {}\n", "tamis: {}\n",
                      problem.empty()
                          ? tr("impossible d'écrire « {} »", "cannot write '{}'", output)
                          : problem);
      return kInputErrors;
    }
    written = output;
  }
  if (results && !results->commit()) {
    std::cerr << tr("tamis : erreur d'écriture de « {} »\n", "tamis: error writing '{}'\n",
                    results_path);
    return kInputErrors;
  }

  status << tr("{} ligne(s) lue(s) = {} classée(s) + {} rejetée(s)\n",
               "{} row(s) read = {} classified + {} rejected\n", campaign_report.rows_read,
               campaign_report.rows_classified, campaign_report.rows_rejected);
  if (!written.empty()) status << tr("rapport écrit dans {}\n", "report written to {}\n", written);
  if (results) status << tr("résultats écrits dans {}\n", "results written to {}\n", results_path);
  return kOk;
}

}  // namespace tamis::cli
