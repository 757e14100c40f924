#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "cli/common.hpp"
#include "runtime/audit/audit_store.hpp"
#include "runtime/audit/provenance.hpp"
#include "runtime/explain/explain.hpp"
#include "support/lang.hpp"

namespace po = boost::program_options;

namespace tamis::cli {

int print_explanation(const nlohmann::json& explanation, const std::string& format);

namespace {

// The outcome of a stored row: "a_travailler par « R2 … »" or "rejeté : raisons".
std::string outcome(const audit::DossierRow& row) {
  return row.rejected ? tr("rejeté : {}", "rejected: {}", row.rejection)
                      : tr("{} par « {} »", "{} by '{}'", row.decision, row.rule);
}

// The same, for a change line: "a_travailler « R2 … »" or "rejeté (raisons)".
std::string short_outcome(const audit::DossierRow& row) {
  return row.rejected ? tr("rejeté ({})", "rejected ({})", row.rejection)
                      : tr("{} « {} »", "{} '{}'", row.decision, row.rule);
}

// The lines naming the rule files that differ between two runs, by their identity across
// runs (audit::rule_file_identity): "cop2024/classement.tamis : modifié (dd75da54a40e →
// 45b356309353)", "cop2025/classement.tamis : ajouté (45b356309353)".
std::vector<std::string> changed_files(const audit::RuleFileComparison& comparison) {
  std::vector<std::string> out;
  for (const auto& c : comparison.changes) {
    if (c.before.empty()) {
      out.push_back(tr("{} : ajouté ({})", "{}: added ({})", c.identity, c.after.substr(0, 12)));
    } else if (c.after.empty()) {
      out.push_back(tr("{} : retiré ({})", "{}: removed ({})", c.identity, c.before.substr(0, 12)));
    } else {
      out.push_back(tr("{} : modifié ({} → {})", "{}: changed ({} → {})", c.identity,
                       c.before.substr(0, 12), c.after.substr(0, 12)));
    }
  }
  return out;
}

// The rows of one run for the dossier: the one that stands for the dossier (the classified
// row; a campaign has at most one, the later rows with its identifier being rejected as
// duplicates), then the others.
struct RunRows {
  const audit::HistoryEntry* main = nullptr;
  std::vector<const audit::HistoryEntry*> others;
};

std::vector<RunRows> by_run(const std::vector<audit::HistoryEntry>& entries) {
  std::vector<RunRows> out;
  for (const auto& e : entries) {
    if (out.empty() || out.back().main->run != e.run) {
      out.push_back({&e, {}});
    } else if (out.back().main->row.rejected && !e.row.rejected) {
      out.back().others.insert(out.back().others.begin(), out.back().main);
      out.back().main = &e;
    } else {
      out.back().others.push_back(&e);
    }
  }
  for (auto& r : out) {
    std::sort(r.others.begin(), r.others.end(),
              [](const auto* a, const auto* b) { return a->row.number < b->row.number; });
  }
  return out;
}

// "exécution 99 inexistante dans audit.sqlite (exécutions 1 à 4)".
std::string no_such_run(long run, const std::string& db, const audit::RunRange& range) {
  if (range.count == 0) {
    return tr("exécution {} inexistante dans {} (aucune exécution enregistrée)",
              "run {} does not exist in {} (no run recorded)", run, db);
  }
  if (range.count == 1) {
    return tr("exécution {} inexistante dans {} (une seule exécution : {})",
              "run {} does not exist in {} (one run only: {})", run, db, range.first);
  }
  return tr("exécution {} inexistante dans {} (exécutions {} à {})",
            "run {} does not exist in {} (runs {} to {})", run, db, range.first, range.last);
}

int history(const std::string& db, const std::string& id) {
  audit::AuditStore store(db, audit::AuditStore::Mode::Read);
  const auto entries = store.history(id);
  if (entries.empty()) {
    const auto range = store.runs();
    if (range.count == 0) {
      std::cerr << tr("tamis : aucune exécution enregistrée dans {}\n",
                      "tamis: no run recorded in {}\n", db);
    } else {
      std::cerr << tr(
          "tamis : le dossier « {} » n'apparaît dans aucune des {} exécution(s) de {}\n",
          "tamis: the dossier '{}' appears in none of the {} run(s) of {}\n", id, range.count, db);
    }
    return kInputErrors;
  }
  const auto runs = by_run(entries);
  std::cout << tr("Dossier {} — {} exécution(s) enregistrée(s) dans {}\n\n",
                  "Dossier {} — {} run(s) recorded in {}\n\n", id, runs.size(), db);
  const audit::HistoryEntry* previous = nullptr;
  for (const auto& r : runs) {
    const audit::HistoryEntry& e = *r.main;
    std::cout << tr("exécution {} du {} — règles {} {} ({}) — {} ligne {}\n  {}\n",
                    "run {} of {} — rules {} {} ({}) — {} line {}\n  {}\n", e.run, e.started_at,
                    e.ruleset_name, e.ruleset_version, e.ruleset_hash.substr(0, 12), e.input_path,
                    e.row.line, outcome(e.row));
    for (const auto* other : r.others) {
      std::cout << tr("  même identifiant ligne {} : {}\n", "  same identifier on line {}: {}\n",
                      other->row.line, outcome(other->row));
    }
    if (previous != nullptr) {
      const bool changed = previous->row.rejected != e.row.rejected ||
                           previous->row.decision != e.row.decision ||
                           previous->row.rule != e.row.rule ||
                           (e.row.rejected && previous->row.rejection != e.row.rejection);
      if (changed) {
        std::cout << tr("  changement depuis l'exécution {} : {} → {}\n",
                        "  change since run {}: {} → {}\n", previous->run,
                        short_outcome(previous->row), short_outcome(e.row));
      }
      const auto comparison =
          audit::compare_rule_files(previous->ruleset_name, store.rule_files(previous->run),
                                    e.ruleset_name, store.rule_files(e.run));
      const auto files = changed_files(comparison);
      if (!files.empty()) {
        std::cout << tr("  fichiers de règles différents de l'exécution {} ({} inchangé(s)) :\n",
                        "  rule files that differ from run {} ({} unchanged):\n", previous->run,
                        comparison.unchanged);
        for (const auto& f : files) std::cout << "    " << f << "\n";
      } else if (changed && previous->input_hash != e.input_hash) {
        std::cout << tr("  règles identiques : le changement vient des données du dossier\n",
                        "  same rules: the change comes from the data of the dossier\n");
      } else if (changed && previous->tool_version != e.tool_version) {
        std::cout << tr(
            "  règles et campagne identiques : le changement vient de la version "
            "de Tamis ({} → {})\n",
            "  same rules and campaign: the change comes from the version of Tamis "
            "({} → {})\n",
            previous->tool_version, e.tool_version);
      } else if (changed) {
        std::cout << tr("  règles, campagne et version de Tamis identiques\n",
                        "  same rules, campaign and version of Tamis\n");
      }
    }
    previous = &e;
  }
  return kOk;
}

int explain_from_db(const std::string& db, long run, const std::string& id,
                    const std::string& format) {
  audit::AuditStore store(db, audit::AuditStore::Mode::Read);
  const auto record = store.run(run);
  if (!record) {
    std::cerr << tr("tamis : {}\n", "tamis: {}\n", no_such_run(run, db, store.runs()));
    return kInputErrors;
  }
  const auto rows = store.dossier_rows(run, id);
  if (rows.empty()) {
    std::cerr << tr("tamis : pas de dossier « {} » dans l'exécution {} de {}\n",
                    "tamis: no dossier '{}' in run {} of {}\n", id, run, db);
    return kInputErrors;
  }
  const auto& row = rows.front();
  for (std::size_t i = 1; i < rows.size(); ++i) {
    std::cerr << tr(
        "tamis : note : le même identifiant figure aussi ligne {} de la campagne "
        "de l'exécution {} : {}\n",
        "tamis: note: the same identifier is also on line {} of the campaign of "
        "run {}: {}\n",
        rows[i].line, run, outcome(rows[i]));
  }
  if (row.rejected) {
    std::cerr << tr("Dossier {} (ligne {}) rejeté, sans catégorie, dans l'exécution {} : {}\n",
                    "Dossier {} (line {}) rejected, no category, in run {}: {}\n", id, row.line,
                    run, row.rejection);
    return kInputErrors;
  }
  auto explanation = nlohmann::json::parse(row.explanation);
  explanation["execution"] = audit::run_provenance(*record, db);
  const auto stale = audit::stale_rule_files(explanation, store.rule_files(run));
  if (!stale.empty()) {
    std::cerr << tr(
        "tamis : note : les renvois fichier:ligne de cette explication désignent les "
        "fichiers de règles tels qu'ils étaient lors de l'exécution {} ({}) ; "
        "le raisonnement affiché est bien celui de l'exécution, mais ces fichiers "
        "ne sont plus les mêmes :\n",
        "tamis: note: the file:line references of this explanation point to the "
        "rule files as they were at run {} ({}); the reasoning shown is that of the "
        "run, but these files are no longer the same:\n",
        run, record->info.started_at);
    for (const auto& f : stale) {
      std::cerr << (f.missing ? tr("  {} : introuvable depuis le dossier courant\n",
                                   "  {}: not found from the current folder\n", f.path)
                              : tr("  {} : modifié depuis\n", "  {}: changed since\n", f.path));
    }
  }
  return print_explanation(explanation, format);
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
  try {
    return history(db, id);
  } catch (const audit::StoreError& e) {
    std::cerr << tr("tamis : {}\n", "tamis: {}\n", e.what());
    return kInputErrors;
  }
}

int cmd_explain_from_db(const std::string& db, long run, const std::string& id,
                        const std::string& format) {
  try {
    return explain_from_db(db, run, id, format);
  } catch (const audit::StoreError& e) {
    std::cerr << tr("tamis : {}\n", "tamis: {}\n", e.what());
    return kInputErrors;
  }
}

}  // namespace tamis::cli
