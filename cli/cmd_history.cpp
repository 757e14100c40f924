#include <fmt/format.h>

#include <iostream>
#include <map>

#include "cli/common.hpp"
#include "runtime/audit/audit_store.hpp"
#include "runtime/explain/explain.hpp"
#include "support/lang.hpp"

namespace po = boost::program_options;

namespace tamis::cli {

int print_explanation(const nlohmann::json& explanation, const std::string& format);

namespace {

// Rule files whose content differs between two runs ("classement.tamis 1a2b3c… → 4d5e6f…").
std::vector<std::string> changed_files(audit::AuditStore& store, std::int64_t before,
                                       std::int64_t after) {
  std::map<std::string, std::pair<std::string, std::string>> files;
  for (const auto& f : store.rule_files(before)) files[f.path].first = f.sha256;
  for (const auto& f : store.rule_files(after)) files[f.path].second = f.sha256;
  std::vector<std::string> out;
  for (const auto& [path, hashes] : files) {
    if (hashes.first == hashes.second) continue;
    const std::string from =
        hashes.first.empty() ? tr("(absent)", "(absent)") : hashes.first.substr(0, 12);
    const std::string to =
        hashes.second.empty() ? tr("(supprimé)", "(removed)") : hashes.second.substr(0, 12);
    out.push_back(fmt::format("{} {} → {}", path, from, to));
  }
  return out;
}

}  // namespace

int cmd_history(const std::vector<std::string>& args) {
  po::options_description options;
  std::string db, id;
  options.add_options()("db", po::value<std::string>(&db))("id", po::value<std::string>(&id));
  po::variables_map vm;
  const std::string usage = tr("usage : tamis history --db AUDIT.sqlite --id ID\n",
                               "usage: tamis history --db AUDIT.sqlite --id ID\n");
  const auto positional = parse(args, options, vm, usage);
  if (db.empty() || id.empty() || !positional.empty()) {
    std::cerr << usage;
    return kInputErrors;
  }
  const auto opened = open_audit_store(db);
  if (!opened) return kInputErrors;
  audit::AuditStore& store = *opened;
  const auto entries = store.history(id);
  if (entries.empty()) {
    std::cerr << tr("tamis : le dossier « {} » n'apparaît dans aucune exécution de {}\n",
                    "tamis: the dossier '{}' appears in no run of {}\n", id, db);
    return kInputErrors;
  }
  std::cout << tr("Dossier {} — {} exécution(s) enregistrée(s) dans {}\n\n",
                  "Dossier {} — {} run(s) recorded in {}\n\n", id, entries.size(), db);
  const audit::HistoryEntry* previous = nullptr;
  for (const auto& e : entries) {
    const std::string outcome = e.row.rejected
                                    ? tr("rejeté : {}", "rejected: {}", e.row.rejection)
                                    : tr("{} par « {} »", "{} by '{}'", e.row.decision, e.row.rule);
    std::cout << tr("exécution {} du {} — règles {} {} ({}) — {} ligne {}\n  {}\n",
                    "run {} of {} — rules {} {} ({}) — {} line {}\n  {}\n", e.run, e.started_at,
                    e.ruleset_name, e.ruleset_version, e.ruleset_hash.substr(0, 12), e.input_path,
                    e.row.line, outcome);
    if (previous != nullptr) {
      const bool changed = previous->row.decision != e.row.decision ||
                           previous->row.rule != e.row.rule ||
                           previous->row.rejected != e.row.rejected;
      if (changed) {
        std::cout << tr("  changement depuis l'exécution {} : {} « {} » → {} « {} »\n",
                        "  change since run {}: {} '{}' → {} '{}'\n", previous->run,
                        previous->row.decision, previous->row.rule, e.row.decision, e.row.rule);
      }
      const auto files = changed_files(store, previous->run, e.run);
      if (!files.empty()) {
        std::cout << tr("  fichiers de règles modifiés :\n", "  rule files changed:\n");
        for (const auto& f : files) std::cout << "    " << f << "\n";
      } else if (changed) {
        std::cout << tr("  règles identiques : le changement vient des données du dossier\n",
                        "  same rules: the change comes from the data of the dossier\n");
      }
    }
    previous = &e;
  }
  return kOk;
}

int cmd_explain_from_db(const std::string& db, long run, const std::string& id,
                        const std::string& format) {
  const auto opened = open_audit_store(db);
  if (!opened) return kInputErrors;
  audit::AuditStore& store = *opened;
  const auto row = store.dossier(run, id);
  if (!row) {
    std::cerr << tr("tamis : pas de dossier « {} » dans l'exécution {} de {}\n",
                    "tamis: no dossier '{}' in run {} of {}\n", id, run, db);
    return kInputErrors;
  }
  if (row->rejected) {
    std::cerr << tr("Dossier {} rejeté à la lecture dans l'exécution {} : {}\n",
                    "Dossier {} rejected when read in run {}: {}\n", id, run, row->rejection);
    return kInputErrors;
  }
  return print_explanation(nlohmann::json::parse(row->explanation), format);
}

}  // namespace tamis::cli
