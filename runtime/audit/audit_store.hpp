#pragma once
// The audit store: an SQLite file that keeps every run (rule-file and input
// hashes, tool version, time, counts) and every dossier's outcome with its full
// explanation, so that a result can be explained and compared months later.
// Runs are appended, never overwritten. Schema: docs/audit-db.md.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/campaign.hpp"

struct sqlite3;

namespace tamis::audit {

// A problem with the audit file that the person running the command can fix: the file
// is missing, is not a Tamis audit database, cannot be created or written, is locked by
// another run, the disk is full… The message (French or English, see support/lang.hpp)
// names the file and says what is wrong; the CLI prints it and exits with status 2.
// Any other failure of the store is a std::runtime_error (an internal error).
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct FileHash {
  std::string path;
  std::string sha256;
};

struct RunInfo {
  std::string started_at;  // UTC, ISO 8601
  std::string tool_version;
  std::string ruleset_name;
  std::string ruleset_version;
  std::string ruleset_hash;  // hash over the sorted (file name, file hash) list
  std::vector<FileHash> rule_files;
  std::string input_path;
  std::string input_hash;
};

struct DossierRow {
  std::size_t number = 0;  // data row number
  std::size_t line = 0;
  std::string dossier_id;
  bool rejected = false;
  std::string decision;     // first decision's value code
  std::string rule;         // … and the rule that decided it
  std::string results;      // JSON object: output column → value
  std::string explanation;  // JSON explanation document
  std::string rejection;    // reasons, for rejected rows
};

// A recorded (finished) run, as `runs` holds it.
struct RunRecord {
  std::int64_t run = 0;
  RunInfo info;  // rule_files left empty: AuditStore::rule_files(run)
  std::int64_t rows_read = 0;
  std::int64_t rows_classified = 0;
  std::int64_t rows_rejected = 0;
};

// The numbers of the finished runs: `count` runs from `first` to `last` (0 when none).
struct RunRange {
  std::int64_t count = 0;
  std::int64_t first = 0;
  std::int64_t last = 0;
};

struct HistoryEntry {
  std::int64_t run = 0;
  std::string started_at;
  std::string tool_version;
  std::string ruleset_name;
  std::string ruleset_version;
  std::string ruleset_hash;
  std::string input_path;
  std::string input_hash;
  DossierRow row;
};

// How a stored run's rule files compare with another's. A file is identified across runs
// by `identity()`, not by `rule_files.path` alone (which is relative to the folder named on
// that run's command line: `classement.tamis` is cop2024's own file when cop2024 is run,
// and cop2025's when cop2025, which extends ../cop2024, is run).
struct RuleFileChange {
  std::string identity;  // e.g. "cop2024/classement.tamis"
  std::string before;    // SHA-256; "" when the file was not part of the earlier run
  std::string after;     // SHA-256; "" when the file is not part of the later run
};
struct RuleFileComparison {
  std::vector<RuleFileChange> changes;  // sorted by identity
  std::size_t unchanged = 0;            // files of the later run with the same content before
};

// The stable identity of a rule file of a run: the rule set's declared name (the
// `règles "…"` of the folder given on the command line, `runs.ruleset_name`) joined to the
// file's recorded path and normalised: `classement.tamis` of a cop2025 run is
// "cop2025/classement.tamis", its `../cop2024/classement.tamis` is "cop2024/classement.tamis",
// and `classement.tamis` of a cop2024 run is "cop2024/classement.tamis" again. It depends only
// on the rule files (the names they declare, the `étend` paths they write), never on the
// folder or working directory of the command line. Empty name: the path alone, normalised.
std::string rule_file_identity(const std::string& ruleset_name, const std::string& path);

// Compares two runs' rule files. Files with the same identity and content are unchanged; a
// file whose content is found in the other run under another identity (a copied folder that
// declares another name) is unchanged too, never reported as one file added and one removed.
// What remains is reported by identity: changed (both hashes), added or removed.
RuleFileComparison compare_rule_files(const std::string& before_name,
                                      const std::vector<FileHash>& before,
                                      const std::string& after_name,
                                      const std::vector<FileHash>& after);

class AuditStore {
 public:
  enum class Mode {
    // `tamis run --db`: creates the file (with the schema) when it does not exist; refuses
    // a file that is not a Tamis audit database (an SQLite file of another application is
    // never written to).
    Write,
    // `tamis explain --db`, `tamis history`: opens an existing audit database read-only
    // (SQLITE_OPEN_READONLY); never creates, changes or extends a file.
    Read,
  };
  // Opens the database; throws StoreError (missing file, not an audit database, cannot be
  // created…) with a message that names the file.
  explicit AuditStore(const std::string& path, Mode mode = Mode::Write);
  ~AuditStore();
  AuditStore(const AuditStore&) = delete;
  AuditStore& operator=(const AuditStore&) = delete;

  // Starts a run in a transaction; nothing is visible until finish_run().
  std::int64_t begin_run(const RunInfo& info);
  void add_dossier(std::int64_t run, const DossierRow& row);
  // Counts per value of `decision` (the first decision: the one `dossiers.decision` holds).
  void finish_run(std::int64_t run, const runtime::CampaignReport& report,
                  const std::string& decision);

  // Every row with this identifier in the finished runs, by run then row number (a
  // campaign that repeats an identifier has several rows in one run).
  std::vector<HistoryEntry> history(const std::string& dossier_id);
  std::vector<FileHash> rule_files(std::int64_t run);
  // The finished run `run`, if there is one.
  std::optional<RunRecord> run(std::int64_t run);
  RunRange runs();
  // The rows with this identifier in the run: the classified one first (a campaign has at
  // most one: a repeated identifier is rejected as a duplicate), then by row number.
  std::vector<DossierRow> dossier_rows(std::int64_t run, const std::string& dossier_id);
  // The first of dossier_rows(), if any.
  std::optional<DossierRow> dossier(std::int64_t run, const std::string& dossier_id);

  const std::string& path() const { return path_; }

 private:
  void exec(const char* sql);
  void check_audit_database(Mode mode);
  std::string path_;
  sqlite3* db_ = nullptr;
};

// Hashes the rule files of a compilation and the input file into a RunInfo.
RunInfo describe_run(const graph::RuleGraph& graph, const std::string& input_path);

}  // namespace tamis::audit
