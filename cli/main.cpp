// The `tamis` command. Exit codes: 0 success, 1 rule errors, 2 input errors,
// 3 internal error.
#include <fmt/format.h>

#include <iostream>

#include "cli/common.hpp"

namespace {

const char* kUsage =
    "usage : tamis <commande> [options]\n"
    "\n"
    "commandes :\n"
    "  check RÈGLES                         vérifie les fichiers de règles d'un dossier\n"
    "  test RÈGLES [--coverage]             passe les tests écrits à côté des règles\n"
    "  run RÈGLES CAMPAGNE.csv              classe chaque dossier de la campagne\n"
    "      --output RÉSULTATS.csv           une ligne de résultat par ligne lue\n"
    "      --trace EXPLICATIONS.jsonl       l'explication de chaque dossier (JSON par ligne)\n"
    "      --db AUDIT.sqlite                enregistre l'exécution dans la base d'audit\n"
    "  explain RÈGLES CAMPAGNE.csv --id ID  explique le classement d'un dossier\n"
    "      --format text|json|html\n"
    "  explain --db AUDIT.sqlite --run N --id ID   ré-affiche une explication enregistrée\n"
    "  history --db AUDIT.sqlite --id ID    le dossier dans chaque exécution enregistrée\n"
    "  report RÈGLES CAMPAGNE.csv           le rapport de campagne (tableaux des synthèses)\n"
    "      --format text|csv|xlsx|html --output SORTIE\n"
    "  diff RÈGLES_AVANT RÈGLES_APRÈS CAMPAGNE.csv   ce qui change d'un jeu de règles à l'autre\n"
    "      --format text|csv|json|html --output FICHIER --fail-on-change\n"
    "\n"
    "codes de sortie : 0 succès, 1 erreurs dans les règles, 2 erreurs dans les données,\n"
    "                  3 erreur interne\n";

}  // namespace

int main(int argc, char** argv) {
  namespace cli = tamis::cli;
  try {
    if (argc < 2) {
      std::cerr << kUsage;
      return cli::kInputErrors;
    }
    const std::string command = argv[1];
    const std::vector<std::string> args(argv + 2, argv + argc);
    if (command == "check") return cli::cmd_check(args);
    if (command == "run") return cli::cmd_run(args);
    if (command == "explain") return cli::cmd_explain(args);
    if (command == "history") return cli::cmd_history(args);
    if (command == "report") return cli::cmd_report(args);
    if (command == "diff") return cli::cmd_diff(args);
    if (command == "test") return cli::cmd_test(args);
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << kUsage;
      return cli::kOk;
    }
    std::cerr << fmt::format("tamis : commande inconnue « {} »\n\n{}", command, kUsage);
    return cli::kInputErrors;
  } catch (const boost::program_options::error& e) {
    std::cerr << fmt::format("tamis : option invalide : {}\n\n{}", e.what(), kUsage);
    return cli::kInputErrors;
  } catch (const std::exception& e) {
    std::cerr << fmt::format("tamis : {}\n", e.what());
    return cli::kInternalError;
  }
}
