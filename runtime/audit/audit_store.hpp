#pragma once
// The audit store: an SQLite file that keeps every run (rule-file and input
// hashes, tool version, time, counts) and every dossier's outcome with its full
// explanation, so that a result can be explained and compared months later.
// Runs are appended, never overwritten. Schema: docs/audit-db.md.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/campaign.hpp"

struct sqlite3;

namespace tamis::audit {

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

struct HistoryEntry {
  std::int64_t run = 0;
  std::string started_at;
  std::string ruleset_name;
  std::string ruleset_version;
  std::string ruleset_hash;
  std::string input_path;
  DossierRow row;
};

class AuditStore {
 public:
  // Opens (creating if needed) the database; throws std::runtime_error with a French message.
  explicit AuditStore(const std::string& path);
  ~AuditStore();
  AuditStore(const AuditStore&) = delete;
  AuditStore& operator=(const AuditStore&) = delete;

  // Starts a run in a transaction; nothing is visible until finish_run().
  std::int64_t begin_run(const RunInfo& info);
  void add_dossier(std::int64_t run, const DossierRow& row);
  // Counts per value of `decision` (the first decision: the one `dossiers.decision` holds).
  void finish_run(std::int64_t run, const runtime::CampaignReport& report,
                  const std::string& decision);

  std::vector<HistoryEntry> history(const std::string& dossier_id);
  std::vector<FileHash> rule_files(std::int64_t run);
  std::optional<DossierRow> dossier(std::int64_t run, const std::string& dossier_id);

 private:
  void exec(const char* sql);
  sqlite3* db_ = nullptr;
};

// Hashes the rule files of a compilation and the input file into a RunInfo.
RunInfo describe_run(const graph::RuleGraph& graph, const std::string& input_path);

}  // namespace tamis::audit
