#include "runtime/audit/audit_store.hpp"

#include <sqlite3.h>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

#include "support/lang.hpp"
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

// The error of an SQLite call on the audit file `path`, as StoreError when it is a problem of
// the file that the person can fix (see audit_store.hpp), otherwise std::runtime_error.
[[noreturn]] void fail(int rc, const std::string& detail, const std::string& path) {
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
      throw StoreError(tr("« {} » n'est pas une base d'audit Tamis : ce n'est pas une base SQLite",
                          "'{}' is not a Tamis audit database: it is not an SQLite database",
                          path));
    case SQLITE_CORRUPT:
      throw StoreError(tr("la base d'audit « {} » est endommagée ({})",
                          "the audit database '{}' is damaged ({})", path, detail));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw StoreError(
          tr("la base d'audit « {} » est occupée par une autre commande depuis plus de 5 s : "
             "réessayez quand elle aura fini",
             "the audit database '{}' has been in use by another command for more than 5 s: "
             "try again when it has finished",
             path));
    case SQLITE_READONLY:
      throw StoreError(tr("impossible d'écrire dans la base d'audit « {} » ({})",
                          "cannot write to the audit database '{}' ({})", path, detail));
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      throw StoreError(tr("impossible d'ouvrir la base d'audit « {} » ({})",
                          "cannot open the audit database '{}' ({})", path, detail));
    case SQLITE_FULL:
      throw StoreError(tr("disque plein : la base d'audit « {} » n'a pas pu être écrite",
                          "disk full: the audit database '{}' could not be written", path));
    case SQLITE_IOERR:
      throw StoreError(tr("erreur de lecture ou d'écriture de la base d'audit « {} » ({})",
                          "error reading or writing the audit database '{}' ({})", path, detail));
    default:
      throw std::runtime_error(fmt::format("base d'audit « {} » : {}", path, detail));
  }
}

// The last error of `db`.
[[noreturn]] void fail(sqlite3* db, const std::string& path) {
  fail(sqlite3_extended_errcode(db), sqlite3_errmsg(db), path);
}

class Statement {
 public:
  Statement(sqlite3* db, const std::string& path, const char* sql) : db_(db), path_(path) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      fail(db, path_);
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
    fail(db_, path_);
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
  const std::string& path_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::int64_t count(std::size_t n) {
  return static_cast<std::int64_t>(n);
}

// The tables of a Tamis audit database (schema version 1).
constexpr std::array<const char*, 5> kTables = {"meta", "runs", "rule_files", "run_counts",
                                                "dossiers"};

// Opens `path`; throws (having closed the handle) when SQLite cannot.
sqlite3* open_database(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
    return db;
  }
  if (db == nullptr) throw std::bad_alloc();
  const int code = sqlite3_extended_errcode(db);
  const std::string detail = sqlite3_errmsg(db);
  sqlite3_close(db);
  fail(code, detail, path);
}

// The names of the tables of `db`; SQLite's error code in `rc` (SQLITE_OK when read).
std::set<std::string> table_names(sqlite3* db, int& rc) {
  std::set<std::string> names;
  sqlite3_stmt* stmt = nullptr;
  rc = sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &stmt,
                          nullptr);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      names.emplace(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
  }
  if (rc != SQLITE_OK) rc = sqlite3_extended_errcode(db);
  sqlite3_finalize(stmt);
  return names;
}

}  // namespace

AuditStore::AuditStore(const std::string& path, Mode mode) : path_(path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (fs::is_directory(status)) {
    throw StoreError(tr("« {} » est un dossier, pas une base d'audit",
                        "'{}' is a folder, not an audit database", path));
  }
  if (status.type() == fs::file_type::not_found) {
    if (mode == Mode::Read) {
      throw StoreError(tr("base d'audit introuvable : {}", "audit database not found: {}", path));
    }
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty() && fs::status(parent, ec).type() == fs::file_type::not_found) {
      throw StoreError(
          tr("impossible de créer la base d'audit « {} » : le dossier « {} » "
             "n'existe pas",
             "cannot create the audit database '{}': the folder '{}' does not exist", path,
             parent.string()));
    }
  }
  db_ = open_database(
      path, mode == Mode::Read ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  try {
    exec("PRAGMA foreign_keys = ON");
    check_audit_database(mode);
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

// Makes sure the file is a Tamis audit database of schema version 1, creating the schema in
// an empty file opened for writing.
void AuditStore::check_audit_database(Mode mode) {
  int rc = SQLITE_OK;
  auto tables = table_names(db_, rc);
  if (mode == Mode::Read && (rc == SQLITE_READONLY_ROLLBACK || rc == SQLITE_READONLY_RECOVERY)) {
    // A run was interrupted (crash, power cut) and its journal is still beside the file: a
    // read-only connection cannot roll it back. Opening the (existing) file for writing once
    // does, leaving the file as it was before that run (docs/audit-db.md); nothing else is
    // written, and never a new file.
    sqlite3_close(db_);
    db_ = nullptr;
    db_ = open_database(path_, SQLITE_OPEN_READWRITE);
    table_names(db_, rc);
    sqlite3_close(db_);
    db_ = nullptr;
    db_ = open_database(path_, SQLITE_OPEN_READONLY);
    tables = table_names(db_, rc);
  }
  if (rc != SQLITE_OK) fail(db_, path_);
  if (tables.empty() && mode == Mode::Write) {
    exec("BEGIN IMMEDIATE");
    tables = table_names(db_, rc);  // another run may have created it meanwhile
    if (rc != SQLITE_OK) fail(db_, path_);
    if (tables.empty()) {
      exec(kSchema);
      tables = table_names(db_, rc);
    }
    exec("COMMIT");
  }
  if (tables.empty()) {
    std::error_code ec;
    const bool empty_file = std::filesystem::file_size(path_, ec) == 0 && !ec;
    throw StoreError(empty_file
                         ? tr("« {} » n'est pas une base d'audit Tamis : le fichier est vide",
                              "'{}' is not a Tamis audit database: the file is empty", path_)
                         : tr("« {} » n'est pas une base d'audit Tamis : c'est une base "
                              "SQLite sans aucune table",
                              "'{}' is not a Tamis audit database: it is an SQLite "
                              "database without any table",
                              path_));
  }
  for (const char* table : kTables) {
    if (tables.count(table) == 0) {
      // Never write into another application's database.
      throw StoreError(
          tr("« {} » n'est pas une base d'audit Tamis : c'est une base SQLite sans "
             "table « {} »",
             "'{}' is not a Tamis audit database: it is an SQLite database without "
             "a table '{}'",
             path_, table));
    }
  }
  Statement version(db_, path_, "SELECT value FROM meta WHERE key = 'schema_version'");
  const std::string found = version.step() ? version.text(0) : std::string();
  if (found != "1") {
    throw StoreError(
        tr("la base d'audit « {} » est au format « {} » ; cette version de Tamis "
           "lit et écrit le format 1",
           "the audit database '{}' has format '{}'; this version of Tamis reads "
           "and writes format 1",
           path_, found));
  }
}

AuditStore::~AuditStore() {
  sqlite3_close(db_);
}

void AuditStore::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const int code = sqlite3_extended_errcode(db_);
    const std::string message = error != nullptr ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    fail(code, message, path_);
  }
}

std::int64_t AuditStore::begin_run(const RunInfo& info) {
  exec("BEGIN IMMEDIATE");
  Statement insert(
      db_, path_,
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
  Statement file(db_, path_, "INSERT INTO rule_files (run_id, path, sha256) VALUES (?, ?, ?)");
  for (const auto& f : info.rule_files) file.bind(1, run).bind(2, f.path).bind(3, f.sha256).run();
  return run;
}

void AuditStore::add_dossier(std::int64_t run, const DossierRow& row) {
  static constexpr const char* kInsert =
      "INSERT INTO dossiers (run_id, row_number, line, dossier_id, status, decision, rule, "
      "results, "
      "explanation, rejection) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  Statement insert(db_, path_, kInsert);
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
      db_, path_,
      "UPDATE runs SET rows_read = ?, rows_classified = ?, rows_rejected = ?, finished = 1 "
      "WHERE run_id = ?");
  update.bind(1, count(report.rows_read))
      .bind(2, count(report.rows_classified))
      .bind(3, count(report.rows_rejected))
      .bind(4, run)
      .run();
  Statement counts(
      db_, path_,
      "INSERT INTO run_counts (run_id, decision, value, count) SELECT run_id, ?, "
      "decision, COUNT(*) FROM dossiers WHERE run_id = ? AND status = 'classé' GROUP BY decision");
  counts.bind(1, decision).bind(2, run).run();
  exec("COMMIT");
}

std::vector<HistoryEntry> AuditStore::history(const std::string& dossier_id) {
  Statement q(db_, path_,
              "SELECT r.run_id, r.started_at, r.tool_version, r.ruleset_name, r.ruleset_version, "
              "r.ruleset_hash, r.input_path, r.input_hash, "
              "d.row_number, d.line, d.status, d.decision, d.rule, d.results, d.rejection "
              "FROM dossiers d JOIN runs r ON r.run_id = d.run_id "
              "WHERE d.dossier_id = ? AND r.finished = 1 ORDER BY r.run_id, d.row_number");
  q.bind(1, dossier_id);
  std::vector<HistoryEntry> out;
  while (q.step()) {
    HistoryEntry e;
    e.run = q.integer(0);
    e.started_at = q.text(1);
    e.tool_version = q.text(2);
    e.ruleset_name = q.text(3);
    e.ruleset_version = q.text(4);
    e.ruleset_hash = q.text(5);
    e.input_path = q.text(6);
    e.input_hash = q.text(7);
    e.row.number = static_cast<std::size_t>(q.integer(8));
    e.row.line = static_cast<std::size_t>(q.integer(9));
    e.row.dossier_id = dossier_id;
    e.row.rejected = q.text(10) == "rejeté";
    e.row.decision = q.text(11);
    e.row.rule = q.text(12);
    e.row.results = q.text(13);
    e.row.rejection = q.text(14);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<FileHash> AuditStore::rule_files(std::int64_t run) {
  Statement q(db_, path_, "SELECT path, sha256 FROM rule_files WHERE run_id = ? ORDER BY path");
  q.bind(1, run);
  std::vector<FileHash> out;
  while (q.step()) out.push_back({q.text(0), q.text(1)});
  return out;
}

std::optional<RunRecord> AuditStore::run(std::int64_t run) {
  Statement q(db_, path_,
              "SELECT started_at, tool_version, ruleset_name, ruleset_version, ruleset_hash, "
              "input_path, input_hash, rows_read, rows_classified, rows_rejected "
              "FROM runs WHERE run_id = ? AND finished = 1");
  q.bind(1, run);
  if (!q.step()) return std::nullopt;
  RunRecord r;
  r.run = run;
  r.info.started_at = q.text(0);
  r.info.tool_version = q.text(1);
  r.info.ruleset_name = q.text(2);
  r.info.ruleset_version = q.text(3);
  r.info.ruleset_hash = q.text(4);
  r.info.input_path = q.text(5);
  r.info.input_hash = q.text(6);
  r.rows_read = q.integer(7);
  r.rows_classified = q.integer(8);
  r.rows_rejected = q.integer(9);
  return r;
}

RunRange AuditStore::runs() {
  Statement q(db_, path_,
              "SELECT count(*), coalesce(min(run_id), 0), coalesce(max(run_id), 0) FROM runs "
              "WHERE finished = 1");
  RunRange range;
  if (q.step()) range = {q.integer(0), q.integer(1), q.integer(2)};
  return range;
}

std::vector<DossierRow> AuditStore::dossier_rows(std::int64_t run, const std::string& dossier_id) {
  Statement q(db_, path_,
              "SELECT row_number, line, status, decision, rule, results, explanation, rejection "
              "FROM dossiers WHERE run_id = ? AND dossier_id = ? "
              "ORDER BY status = 'rejeté', row_number");
  q.bind(1, run).bind(2, dossier_id);
  std::vector<DossierRow> out;
  while (q.step()) {
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
    out.push_back(std::move(row));
  }
  return out;
}

std::optional<DossierRow> AuditStore::dossier(std::int64_t run, const std::string& dossier_id) {
  auto rows = dossier_rows(run, dossier_id);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::string rule_file_identity(const std::string& ruleset_name, const std::string& path) {
  std::filesystem::path p(path);
  if (!ruleset_name.empty() && p.is_relative()) p = std::filesystem::path(ruleset_name) / p;
  return p.lexically_normal().generic_string();
}

RuleFileComparison compare_rule_files(const std::string& before_name,
                                      const std::vector<FileHash>& before,
                                      const std::string& after_name,
                                      const std::vector<FileHash>& after) {
  struct File {
    std::string identity;
    std::string sha256;
    bool matched = false;
  };
  auto files = [](const std::string& name, const std::vector<FileHash>& list) {
    std::vector<File> out;
    for (const auto& f : list) out.push_back({rule_file_identity(name, f.path), f.sha256});
    return out;
  };
  std::vector<File> b = files(before_name, before);
  std::vector<File> a = files(after_name, after);
  RuleFileComparison out;
  // Pairs the unmatched files of the later run with unmatched files of the earlier one
  // that `same` says are the same file; returns the pairs.
  auto pair = [&](auto same, auto on_pair) {
    for (auto& x : a) {
      if (x.matched) continue;
      for (auto& y : b) {
        if (y.matched || !same(y, x)) continue;
        x.matched = y.matched = true;
        on_pair(y, x);
        break;
      }
    }
  };
  auto unchanged = [&](const File&, const File&) { ++out.unchanged; };
  // 1. The same file, unchanged. 2. The same content under another identity (a copy of a
  // folder declaring another name, a file renamed): unchanged, not one added and one removed.
  pair(
      [](const File& y, const File& x) { return y.identity == x.identity && y.sha256 == x.sha256; },
      unchanged);
  pair([](const File& y, const File& x) { return y.sha256 == x.sha256; }, unchanged);
  // 3. The same file, changed.
  pair([](const File& y, const File& x) { return y.identity == x.identity; },
       [&](const File& y, const File& x) {
         out.changes.push_back({x.identity, y.sha256, x.sha256});
       });
  for (const auto& x : a) {
    if (!x.matched) out.changes.push_back({x.identity, "", x.sha256});
  }
  for (const auto& y : b) {
    if (!y.matched) out.changes.push_back({y.identity, y.sha256, ""});
  }
  std::sort(
      out.changes.begin(), out.changes.end(),
      [](const RuleFileChange& l, const RuleFileChange& r) { return l.identity < r.identity; });
  return out;
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
