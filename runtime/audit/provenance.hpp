#pragma once
// Where a stored explanation comes from: the run that recorded it (number, date, Tamis
// version, input file and its hash), added to the document that `tamis explain --db`
// shows, and a check of the rule files that the document's positions point to against
// the hashes recorded for that run.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/audit/audit_store.hpp"

namespace tamis::audit {

// The `execution` object of an explanation shown from the audit store
// (docs/explanation-schema.md): {"numero", "date", "version_tamis", "base",
// "entree": {"chemin", "empreinte"}}. `database` is the audit file as given to the command.
nlohmann::json run_provenance(const RunRecord& run, const std::string& database);

// A rule file named by the positions of an explanation (`position.fichier`, the path as the
// rule folder was given on the command line of the run) whose content on disk, read from the
// current directory, is no longer the one recorded for the run.
struct StaleRuleFile {
  std::string path;      // as the explanation names it
  bool missing = false;  // no such file (or unreadable); otherwise its content changed
};

// The rule files named by the explanation's positions that are missing or differ from the
// run's recorded `files`, in the order of their first mention. A file the run's record
// does not list is left out (it cannot be checked).
std::vector<StaleRuleFile> stale_rule_files(const nlohmann::json& explanation,
                                            const std::vector<FileHash>& files);

}  // namespace tamis::audit
