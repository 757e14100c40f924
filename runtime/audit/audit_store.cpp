#include "runtime/audit/audit_store.hpp"

#include <sqlite3.h>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "support/sha256.hpp"

#ifndef TAMIS_VERSION
#define TAMIS_VERSION "dev"
#endif

namespace tamis::audit {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('schema_version', '1');
CREATE TABLE IF NOT EXISTS runs (
  run_id          INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at      TEXT NOT NULL,
  tool_version    TEXT NOT NULL,
  ruleset_name    TEXT NOT NULL,
  ruleset_version TEXT NOT NULL,
  ruleset_hash    TEXT NOT NULL,
  input_path      TEXT NOT NULL,
  input_hash      TEXT NOT NULL,
  rows_read       INTEGER,
  rows_classified INTEGER,
  rows_rejected   INTEGER,
  finished        INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS rule_files (
  run_id INTEGER NOT NULL REFERENCES runs(run_id),
  path   TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (run_id, path)
);
CREATE TABLE IF NOT EXISTS run_counts (
  run_id   INTEGER NOT NULL REFERENCES runs(run_id),
  decision TEXT NOT NULL,
  value    TEXT NOT NULL,
  count    INTEGER NOT NULL,
  PRIMARY KEY (run_id, decision, value)
);
CREATE TABLE IF NOT EXISTS dossiers (
  run_id      INTEGER NOT NULL REFERENCES runs(run_id),
  row_number  INTEGER NOT NULL,
  line        INTEGER NOT NULL,
  dossier_id  TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('classé', 'rejeté')),
  decision    TEXT,
  rule        TEXT,
  results     TEXT,
  explanation TEXT,
  rejection   TEXT,
  PRIMARY KEY (run_id, row_number)
);
CREATE INDEX IF NOT EXISTS dossiers_by_id ON dossiers (dossier_id, run_id);
)sql";

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(fmt::format("base d'audit : {}", sqlite3_errmsg(db)));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& bind_null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // True while a row is available.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(fmt::format("base d'audit : {}", sqlite3_errmsg(db_)));
  }
  void run() {
    while (step()) {
    }
    sqlite3_reset(stmt_);
  }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::int64_t count(std::size_t n) {
  return static_cast<std::int64_t>(n);
}

}  // namespace

AuditStore::AuditStore(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string message =
        fmt::format("impossible d'ouvrir la base d'audit « {} » : {}", path,
                    db_ != nullptr ? sqlite3_errmsg(db_) : "mémoire insuffisante");
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error(message);
  }
  sqlite3_busy_timeout(db_, 5000);
  exec("PRAGMA foreign_keys = ON");
  exec(kSchema);
}

AuditStore::~AuditStore() {
  sqlite3_close(db_);
}

void AuditStore::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message =
        fmt::format("base d'audit : {}", error != nullptr ? error : "erreur inconnue");
    sqlite3_free(error);
    throw std::runtime_error(message);
  }
}

std::int64_t AuditStore::begin_run(const RunInfo& info) {
  exec("BEGIN IMMEDIATE");
  Statement insert(
      db_,
      "INSERT INTO runs (started_at, tool_version, ruleset_name, ruleset_version, ruleset_hash, "
      "input_path, input_hash) VALUES (?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, info.started_at)
      .bind(2, info.tool_version)
      .bind(3, info.ruleset_name)
      .bind(4, info.ruleset_version)
      .bind(5, info.ruleset_hash)
      .bind(6, info.input_path)
      .bind(7, info.input_hash)
      .run();
  const std::int64_t run = sqlite3_last_insert_rowid(db_);
  Statement file(db_, "INSERT INTO rule_files (run_id, path, sha256) VALUES (?, ?, ?)");
  for (const auto& f : info.rule_files) file.bind(1, run).bind(2, f.path).bind(3, f.sha256).run();
  return run;
}

void AuditStore::add_dossier(std::int64_t run, const DossierRow& row) {
  static constexpr const char* kInsert =
      "INSERT INTO dossiers (run_id, row_number, line, dossier_id, status, decision, rule, "
      "results, "
      "explanation, rejection) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  Statement insert(db_, kInsert);
  insert.bind(1, run).bind(2, count(row.number)).bind(3, count(row.line)).bind(4, row.dossier_id);
  insert.bind(5, std::string(row.rejected ? "rejeté" : "classé"));
  auto optional = [&](int i, const std::string& s) {
    if (s.empty()) {
      insert.bind_null(i);
    } else {
      insert.bind(i, s);
    }
  };
  optional(6, row.decision);
  optional(7, row.rule);
  optional(8, row.results);
  optional(9, row.explanation);
  optional(10, row.rejection);
  insert.run();
}

void AuditStore::finish_run(std::int64_t run, const runtime::CampaignReport& report,
                            const std::string& decision) {
  Statement update(
      db_,
      "UPDATE runs SET rows_read = ?, rows_classified = ?, rows_rejected = ?, finished = 1 "
      "WHERE run_id = ?");
  update.bind(1, count(report.rows_read))
      .bind(2, count(report.rows_classified))
      .bind(3, count(report.rows_rejected))
      .bind(4, run)
      .run();
  Statement counts(
      db_,
      "INSERT INTO run_counts (run_id, decision, value, count) SELECT run_id, ?, "
      "decision, COUNT(*) FROM dossiers WHERE run_id = ? AND status = 'classé' GROUP BY decision");
  counts.bind(1, decision).bind(2, run).run();
  exec("COMMIT");
}

std::vector<HistoryEntry> AuditStore::history(const std::string& dossier_id) {
  Statement q(db_,
              "SELECT r.run_id, r.started_at, r.ruleset_name, r.ruleset_version, r.ruleset_hash, "
              "r.input_path, "
              "d.row_number, d.line, d.status, d.decision, d.rule, d.results, d.rejection "
              "FROM dossiers d JOIN runs r ON r.run_id = d.run_id "
              "WHERE d.dossier_id = ? AND r.finished = 1 ORDER BY r.run_id, d.row_number");
  q.bind(1, dossier_id);
  std::vector<HistoryEntry> out;
  while (q.step()) {
    HistoryEntry e;
    e.run = q.integer(0);
    e.started_at = q.text(1);
    e.ruleset_name = q.text(2);
    e.ruleset_version = q.text(3);
    e.ruleset_hash = q.text(4);
    e.input_path = q.text(5);
    e.row.number = static_cast<std::size_t>(q.integer(6));
    e.row.line = static_cast<std::size_t>(q.integer(7));
    e.row.dossier_id = dossier_id;
    e.row.rejected = q.text(8) == "rejeté";
    e.row.decision = q.text(9);
    e.row.rule = q.text(10);
    e.row.results = q.text(11);
    e.row.rejection = q.text(12);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<FileHash> AuditStore::rule_files(std::int64_t run) {
  Statement q(db_, "SELECT path, sha256 FROM rule_files WHERE run_id = ? ORDER BY path");
  q.bind(1, run);
  std::vector<FileHash> out;
  while (q.step()) out.push_back({q.text(0), q.text(1)});
  return out;
}

std::optional<DossierRow> AuditStore::dossier(std::int64_t run, const std::string& dossier_id) {
  Statement q(db_,
              "SELECT row_number, line, status, decision, rule, results, explanation, rejection "
              "FROM dossiers "
              "WHERE run_id = ? AND dossier_id = ? ORDER BY row_number LIMIT 1");
  q.bind(1, run).bind(2, dossier_id);
  if (!q.step()) return std::nullopt;
  DossierRow row;
  row.number = static_cast<std::size_t>(q.integer(0));
  row.line = static_cast<std::size_t>(q.integer(1));
  row.dossier_id = dossier_id;
  row.rejected = q.text(2) == "rejeté";
  row.decision = q.text(3);
  row.rule = q.text(4);
  row.results = q.text(5);
  row.explanation = q.text(6);
  row.rejection = q.text(7);
  return row;
}

RunInfo describe_run(const graph::RuleGraph& graph, const std::string& input_path) {
  RunInfo info;
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  info.started_at = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
  info.tool_version = TAMIS_VERSION;
  info.ruleset_name = graph.name;
  info.ruleset_version = graph.version;
  for (const auto& [path, hash] : graph.file_hashes) info.rule_files.push_back({path, hash});
  info.ruleset_hash = graph.fingerprint;
  info.input_path = input_path;
  std::ifstream in(input_path, std::ios::binary);
  info.input_hash = sha256_hex(in);
  return info;
}

}  // namespace tamis::audit
