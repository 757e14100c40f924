// The `tamis` command. Exit codes: 0 success, 1 rule errors, 2 usage or input errors
// (a bad option, a file that cannot be opened, rejected rows with --strict), 3 internal error.
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <new>

#include "cli/common.hpp"
#include "support/lang.hpp"

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
    "      --coverage                       combien de dossiers chaque règle a classés\n"
    "      --rejects REJETS.csv             les lignes rejetées et leurs raisons\n"
    "      --strict                         aucun résultat écrit si une ligne est rejetée\n"
    "      --threads N                      fils de calcul (par défaut : un par cœur)\n"
    "  explain RÈGLES CAMPAGNE.csv --id ID  explique le classement d'un dossier\n"
    "      --format text|json|html\n"
    "  explain --db AUDIT.sqlite --run N --id ID   ré-affiche une explication enregistrée\n"
    "  history --db AUDIT.sqlite --id ID    le dossier dans chaque exécution enregistrée\n"
    "  report RÈGLES CAMPAGNE.csv           le rapport de campagne (tableaux des synthèses)\n"
    "      --format text|csv|xlsx|html --output SORTIE\n"
    "  diff RÈGLES_AVANT RÈGLES_APRÈS CAMPAGNE.csv   ce qui change d'un jeu de règles à l'autre\n"
    "      --format text|csv|json|html --output FICHIER --fail-on-change\n"
    "  fmt RÈGLES [--check]                 met les règles en forme (--check : vérifie)\n"
    "\n"
    "options de toutes les commandes :\n"
    "  --help, -h                           l'aide de la commande\n"
    "  --lang fr|en                         langue des messages (sinon TAMIS_LANG, sinon fr)\n"
    "options des commandes qui lisent une campagne (run, explain, report, diff) :\n"
    "  --sep ,|;|auto                       séparateur de la campagne (par défaut : détecté)\n"
    "  --encoding auto|utf-8|windows-1252   encodage de la campagne (par défaut : détecté)\n"
    "\n"
    "codes de sortie : 0 succès (les lignes rejetées sont signalées et comptées), 1 erreurs\n"
    "                  dans les règles, tests en échec ou diff --fail-on-change, 2 erreur\n"
    "                  d'utilisation ou dans les données (option, fichier illisible, campagne\n"
    "                  illisible, ligne rejetée avec --strict), 3 erreur interne\n";

const char* kUsageEn =
    "usage: tamis <command> [options]\n"
    "\n"
    "commands:\n"
    "  check RULES                          checks the rule files of a folder\n"
    "  test RULES [--coverage]              runs the tests written beside the rules\n"
    "  run RULES CAMPAIGN.csv               classifies every dossier of the campaign\n"
    "      --output RESULTS.csv             one result row per row read\n"
    "      --trace EXPLANATIONS.jsonl       the explanation of every dossier (JSON lines)\n"
    "      --db AUDIT.sqlite                records the run in the audit database\n"
    "      --coverage                       how many dossiers each rule classified\n"
    "      --rejects REJECTS.csv            the rejected rows and their reasons\n"
    "      --strict                         no result written when a row is rejected\n"
    "      --threads N                      worker threads (default: one per core)\n"
    "  explain RULES CAMPAIGN.csv --id ID   explains how one dossier was classified\n"
    "      --format text|json|html\n"
    "  explain --db AUDIT.sqlite --run N --id ID   shows a recorded explanation again\n"
    "  history --db AUDIT.sqlite --id ID    the dossier in every recorded run\n"
    "  report RULES CAMPAIGN.csv            the campaign report (tables of the summaries)\n"
    "      --format text|csv|xlsx|html --output OUTPUT\n"
    "  diff RULES_BEFORE RULES_AFTER CAMPAIGN.csv   what changes from one rule set to another\n"
    "      --format text|csv|json|html --output FILE --fail-on-change\n"
    "  fmt RULES [--check]                  formats the rule files (--check: only checks)\n"
    "\n"
    "options of every command:\n"
    "  --help, -h                           the help of the command\n"
    "  --lang fr|en                         language of messages (else TAMIS_LANG, else fr)\n"
    "options of the commands that read a campaign (run, explain, report, diff):\n"
    "  --sep ,|;|auto                       the campaign's separator (default: detected)\n"
    "  --encoding auto|utf-8|windows-1252   the campaign's encoding (default: detected)\n"
    "\n"
    "exit codes: 0 success (rejected rows are reported and counted), 1 errors in the rules,\n"
    "            failing tests or diff --fail-on-change, 2 usage error or errors in the data\n"
    "            (an option, an unreadable file or campaign, a rejected row with --strict),\n"
    "            3 internal error\n";

const char* usage() {
  return tamis::current_lang() == tamis::Lang::En ? kUsageEn : kUsage;
}

// The language of messages: TAMIS_LANG, then `--lang X` or `--lang=X` anywhere on the
// command line (removed from the arguments before the command sees them). Returns
// false, having said why, for an unknown language.
bool take_language(std::vector<std::string>& args) {
  tamis::Lang lang = tamis::Lang::Fr;
  if (const char* env = std::getenv("TAMIS_LANG"); env != nullptr && *env != '\0') {
    if (tamis::parse_lang(env, lang)) {
      tamis::set_lang(lang);
    } else {
      std::cerr << fmt::format(
          "tamis : TAMIS_LANG={} ignoré (fr ou en) / TAMIS_LANG={} ignored (fr or en)\n", env, env);
    }
  }
  for (std::size_t i = 0; i < args.size();) {
    std::string value;
    std::size_t taken = 0;
    if (args[i] == "--lang") {
      if (i + 1 >= args.size()) {
        std::cerr << "tamis : --lang attend fr ou en / --lang expects fr or en\n";
        return false;
      }
      value = args[i + 1];
      taken = 2;
    } else if (args[i].rfind("--lang=", 0) == 0) {
      value = args[i].substr(7);
      taken = 1;
    } else {
      ++i;
      continue;
    }
    if (!tamis::parse_lang(value, lang)) {
      std::cerr << fmt::format(
          "tamis : langue « {} » inconnue (fr ou en) / unknown language '{}' (fr or en)\n", value,
          value);
      return false;
    }
    tamis::set_lang(lang);
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(i),
               args.begin() + static_cast<std::ptrdiff_t>(i + taken));
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  namespace cli = tamis::cli;
  using tamis::tr;
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!take_language(args)) return cli::kInputErrors;
    if (args.empty()) {
      std::cerr << usage();
      return cli::kInputErrors;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "check") return cli::cmd_check(args);
    if (command == "run") return cli::cmd_run(args);
    if (command == "explain") return cli::cmd_explain(args);
    if (command == "history") return cli::cmd_history(args);
    if (command == "report") return cli::cmd_report(args);
    if (command == "diff") return cli::cmd_diff(args);
    if (command == "test") return cli::cmd_test(args);
    if (command == "fmt") return cli::cmd_fmt(args);
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << usage();
      return cli::kOk;
    }
    std::cerr << tr("tamis : commande inconnue « {} »\n\n{}", "tamis: unknown command '{}'\n\n{}",
                    command, usage());
    return cli::kInputErrors;
  } catch (const cli::CommandLineExit& exit) {
    (exit.code == cli::kOk ? std::cout : std::cerr) << exit.text;
    return exit.code;
  } catch (const std::bad_alloc&) {
    // Temporary output files are removed as the stack unwinds to here.
    std::cerr << tr("tamis : mémoire insuffisante (moins de fils avec --threads ?)\n",
                    "tamis: out of memory (fewer threads with --threads?)\n");
    return cli::kInternalError;
  } catch (const std::exception& e) {
    std::cerr << tr("tamis : {}\n", "tamis: {}\n", e.what());
    return cli::kInternalError;
  }
}
