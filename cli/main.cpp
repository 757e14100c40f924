// The `tamis` command: check rule files, classify a campaign.
// Exit codes: 0 success, 1 rule errors, 2 input errors, 3 internal error.
#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "compiler/compile.hpp"
#include "runtime/campaign.hpp"
#include "runtime/report/summary_text.hpp"

namespace po = boost::program_options;

namespace {

constexpr int kOk = 0;
constexpr int kRuleErrors = 1;
constexpr int kInputErrors = 2;
constexpr int kInternalError = 3;

const char* kUsage =
    "usage : tamis <commande> [options]\n"
    "\n"
    "commandes :\n"
    "  check RÈGLES                      vérifie les fichiers de règles d'un dossier\n"
    "  run RÈGLES CAMPAGNE.csv [options] classe chaque dossier de la campagne\n"
    "      --output FICHIER.csv          écrit une ligne de résultat par ligne lue\n"
    "\n"
    "codes de sortie : 0 succès, 1 erreurs dans les règles, 2 erreurs dans les données,\n"
    "                  3 erreur interne\n";

// Compiles and prints diagnostics on stderr; returns null when there are errors.
std::unique_ptr<tamis::Compilation> compile(const std::string& rules_dir) {
  auto c = std::make_unique<tamis::Compilation>(tamis::compile_directory(rules_dir));
  for (const auto& d : c->diagnostics.all()) std::cerr << tamis::render(d, *c->sources);
  return c;
}

int cmd_check(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::cerr << kUsage;
    return kInputErrors;
  }
  auto c = compile(args[0]);
  std::size_t warnings = 0;
  for (const auto& d : c->diagnostics.all()) warnings += d.severity == tamis::Severity::Warning;
  if (c->diagnostics.has_errors()) {
    std::cerr << fmt::format("{} erreur(s), {} avertissement(s)\n", c->diagnostics.error_count(), warnings);
    return kRuleErrors;
  }
  std::cout << fmt::format("{} : {} fichier(s) de règles, aucune erreur, {} avertissement(s)\n",
                           args[0], c->sources->size(), warnings);
  return kOk;
}

int cmd_run(const std::vector<std::string>& args) {
  po::options_description options;
  std::string output;
  options.add_options()("output,o", po::value<std::string>(&output));
  po::options_description hidden;
  std::vector<std::string> positional;
  hidden.add_options()("positional", po::value<std::vector<std::string>>(&positional));
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description pos;
  pos.add("positional", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  if (positional.size() != 2) {
    std::cerr << kUsage;
    return kInputErrors;
  }
  auto c = compile(positional[0]);
  if (c->diagnostics.has_errors()) return kRuleErrors;

  std::ifstream input(positional[1], std::ios::binary);
  if (!input) {
    std::cerr << fmt::format("tamis : impossible de lire « {} »\n", positional[1]);
    return kInputErrors;
  }
  std::ofstream results;
  if (!output.empty()) {
    results.open(output, std::ios::binary | std::ios::trunc);
    if (!results) {
      std::cerr << fmt::format("tamis : impossible d'écrire « {} »\n", output);
      return kInputErrors;
    }
  }
  const auto report = tamis::runtime::run_campaign(*c->graph, input, output.empty() ? nullptr : &results);
  if (!report.fatal_errors.empty()) {
    for (const auto& e : report.fatal_errors) std::cerr << positional[1] << " : " << e << "\n";
    return kInputErrors;
  }
  for (const auto& r : report.rejected) {
    std::cerr << fmt::format("{}:{}: ligne rejetée (dossier {}) : {}\n", positional[1], r.line,
                             r.id.empty() ? "?" : r.id, fmt::join(r.reasons, " ; "));
  }
  for (const auto& s : report.summaries) {
    std::cout << tamis::runtime::render_summary_text(*c->graph, s) << "\n";
  }
  std::cout << fmt::format("{} ligne(s) lue(s) = {} classée(s) + {} rejetée(s)\n", report.rows_read,
                           report.rows_classified, report.rows_rejected);
  if (!output.empty()) {
    results.close();
    if (!results) {
      std::cerr << fmt::format("tamis : erreur d'écriture dans « {} »\n", output);
      return kInputErrors;
    }
    std::cout << fmt::format("résultats écrits dans {}\n", output);
  }
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 2) {
      std::cerr << kUsage;
      return kInputErrors;
    }
    const std::string command = argv[1];
    const std::vector<std::string> args(argv + 2, argv + argc);
    if (command == "check") return cmd_check(args);
    if (command == "run") return cmd_run(args);
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << kUsage;
      return kOk;
    }
    std::cerr << fmt::format("tamis : commande inconnue « {} »\n\n{}", command, kUsage);
    return kInputErrors;
  } catch (const po::error& e) {
    std::cerr << fmt::format("tamis : option invalide : {}\n\n{}", e.what(), kUsage);
    return kInputErrors;
  } catch (const std::exception& e) {
    std::cerr << fmt::format("tamis : erreur interne : {}\n", e.what());
    return kInternalError;
  }
}
