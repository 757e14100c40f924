// The audit store (runtime/audit): how it opens a file (read-only, never creating one;
// refusing what is not a Tamis audit database), the rows of a dossier with a repeated
// identifier, how two runs' rule files compare, and the check of the rule files that a
// stored explanation's positions name.
#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "runtime/audit/audit_store.hpp"
#include "runtime/audit/provenance.hpp"
#include "support/sha256.hpp"

namespace fs = std::filesystem;
using tamis::audit::AuditStore;
using tamis::audit::FileHash;
using tamis::audit::StoreError;

namespace {

// A fresh, empty directory for one test case.
fs::path scratch_directory(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("tamis-audit-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string hash_of(const std::string& content) {
  return tamis::sha256_hex(content);
}

// The message of the StoreError that `f` throws ("" when it throws none).
template <typename F>
std::string store_error(F f) {
  try {
    f();
  } catch (const StoreError& e) {
    return e.what();
  }
  return "";
}

tamis::audit::RunInfo run_info(const std::string& name) {
  tamis::audit::RunInfo info;
  info.started_at = "2025-01-14T09:30:12Z";
  info.tool_version = "test";
  info.ruleset_name = name;
  info.ruleset_version = "1";
  info.ruleset_hash = std::string(64, 'a');
  info.rule_files = {{"classement.tamis", std::string(64, 'b')}};
  info.input_path = "campagne.csv";
  info.input_hash = std::string(64, 'c');
  return info;
}

}  // namespace

TEST_CASE("audit store: a read-only open never creates the file", "[audit]") {
  const auto dir = scratch_directory("missing");
  const auto path = (dir / "nope.sqlite").string();
  const auto message = store_error([&] { AuditStore store(path, AuditStore::Mode::Read); });
  CHECK(message == "base d'audit introuvable : " + path);
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(path + "-journal"));
  fs::remove_all(dir);
}

TEST_CASE("audit store: what is not an audit database is refused, and left as it was", "[audit]") {
  const auto dir = scratch_directory("refused");
  SECTION("a text file") {
    const auto path = (dir / "campagne.csv").string();
    const std::string campaign = "ID,État\n1,Déposé\n";
    write_file(path, campaign);
    for (auto mode : {AuditStore::Mode::Read, AuditStore::Mode::Write}) {
      CHECK(store_error([&] { AuditStore store(path, mode); }) ==
            "« " + path + " » n'est pas une base d'audit Tamis : ce n'est pas une base SQLite");
    }
    CHECK(fs::file_size(path) == campaign.size());
  }
  SECTION("the SQLite database of another application") {
    const auto path = (dir / "other.sqlite").string();
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    const auto size = fs::file_size(path);
    for (auto mode : {AuditStore::Mode::Read, AuditStore::Mode::Write}) {
      CHECK(store_error([&] { AuditStore store(path, mode); }) ==
            "« " + path +
                " » n'est pas une base d'audit Tamis : c'est une base SQLite sans "
                "table « meta »");
    }
    CHECK(fs::file_size(path) == size);
  }
  SECTION("an empty file, for reading") {
    const auto path = (dir / "empty.sqlite").string();
    write_file(path, "");
    CHECK(store_error([&] { AuditStore store(path, AuditStore::Mode::Read); }) ==
          "« " + path + " » n'est pas une base d'audit Tamis : le fichier est vide");
    CHECK(fs::file_size(path) == 0);
  }
  SECTION("a folder") {
    CHECK(store_error([&] { AuditStore store(dir.string(), AuditStore::Mode::Read); }) ==
          "« " + dir.string() + " » est un dossier, pas une base d'audit");
  }
  SECTION("a file to create in a folder that does not exist") {
    const auto path = (dir / "missing" / "audit.sqlite").string();
    CHECK(store_error([&] { AuditStore store(path); }) ==
          "impossible de créer la base d'audit « " + path + " » : le dossier « " +
              (dir / "missing").string() + " » n'existe pas");
    CHECK_FALSE(fs::exists(dir / "missing"));
  }
  fs::remove_all(dir);
}

TEST_CASE("audit store: runs and the rows of a repeated identifier", "[audit]") {
  const auto dir = scratch_directory("rows");
  const auto path = (dir / "audit.sqlite").string();
  {
    AuditStore store(path);  // created
    CHECK(store.runs().count == 0);
    const auto run = store.begin_run(run_info("cop2024"));
    tamis::audit::DossierRow rejected;
    rejected.number = 1;
    rejected.line = 2;
    rejected.dossier_id = "X";
    rejected.rejected = true;
    rejected.rejection = "colonne « État du dossier » : valeur inconnue";
    store.add_dossier(run, rejected);
    tamis::audit::DossierRow classified;
    classified.number = 2;
    classified.line = 3;
    classified.dossier_id = "X";
    classified.decision = "a_remonter";
    classified.rule = "R1";
    classified.explanation = "{}";
    store.add_dossier(run, classified);
    tamis::audit::DossierRow duplicate = rejected;
    duplicate.number = 3;
    duplicate.line = 4;
    duplicate.rejection = "identifiant « X » déjà présent plus haut dans le fichier";
    store.add_dossier(run, duplicate);
    tamis::runtime::CampaignReport report;
    report.rows_read = 3;
    report.rows_classified = 1;
    report.rows_rejected = 2;
    store.finish_run(run, report, "categorie");
  }
  AuditStore store(path, AuditStore::Mode::Read);
  const auto range = store.runs();
  CHECK((range.count == 1 && range.first == 1 && range.last == 1));
  CHECK_FALSE(store.run(2).has_value());
  const auto run = store.run(1);
  REQUIRE(run.has_value());
  CHECK(run->info.ruleset_name == "cop2024");
  CHECK(run->info.input_hash == std::string(64, 'c'));
  CHECK(run->rows_read == 3);
  // The classified row stands for the dossier, whatever its place; then the others in order.
  const auto rows = store.dossier_rows(1, "X");
  REQUIRE(rows.size() == 3);
  CHECK((!rows[0].rejected && rows[0].line == 3));
  CHECK((rows[1].rejected && rows[1].line == 2));
  CHECK((rows[2].rejected && rows[2].line == 4));
  CHECK(store.dossier(1, "X")->line == 3);
  CHECK(store.history("X").size() == 3);
  CHECK(store.dossier_rows(1, "Y").empty());
  // Writing through a read-only store is refused.
  CHECK_THROWS_AS(store.begin_run(run_info("cop2024")), StoreError);
  fs::remove_all(dir);
}

TEST_CASE("rule files: an identity that does not depend on the folder on the command line",
          "[audit]") {
  using tamis::audit::rule_file_identity;
  CHECK(rule_file_identity("cop2024", "classement.tamis") == "cop2024/classement.tamis");
  CHECK(rule_file_identity("cop2025", "classement.tamis") == "cop2025/classement.tamis");
  CHECK(rule_file_identity("cop2025", "../cop2024/classement.tamis") == "cop2024/classement.tamis");
  CHECK(rule_file_identity("", "classement.tamis") == "classement.tamis");
}

TEST_CASE("rule files: comparing two runs invents no addition or removal", "[audit]") {
  using tamis::audit::compare_rule_files;
  const std::vector<FileHash> cop2024 = {
      {"classement.tamis", "A"}, {"dossier.tamis", "B"}, {"leviers.tamis", "C"}};
  const std::vector<FileHash> cop2025 = {{"../cop2024/classement.tamis", "A"},
                                         {"../cop2024/dossier.tamis", "B"},
                                         {"../cop2024/leviers.tamis", "C"},
                                         {"classement.tamis", "G"},
                                         {"regles.tamis", "H"}};
  SECTION("cop2024, then cop2025 that extends it") {
    const auto c = compare_rule_files("cop2024", cop2024, "cop2025", cop2025);
    CHECK(c.unchanged == 3);
    REQUIRE(c.changes.size() == 2);
    CHECK((c.changes[0].identity == "cop2025/classement.tamis" && c.changes[0].before.empty() &&
           c.changes[0].after == "G"));
    CHECK((c.changes[1].identity == "cop2025/regles.tamis" && c.changes[1].after == "H"));
  }
  SECTION("and back: cop2025's own files removed") {
    const auto c = compare_rule_files("cop2025", cop2025, "cop2024", cop2024);
    CHECK(c.unchanged == 3);
    REQUIRE(c.changes.size() == 2);
    CHECK((c.changes[0].identity == "cop2025/classement.tamis" && c.changes[0].before == "G" &&
           c.changes[0].after.empty()));
  }
  SECTION("cop2024, then cop2025 over an edited cop2024") {
    auto edited = cop2025;
    edited[0].sha256 = "A2";
    const auto c = compare_rule_files("cop2024", cop2024, "cop2025", edited);
    CHECK(c.unchanged == 2);
    REQUIRE(c.changes.size() == 3);
    // cop2024's classement.tamis changed; cop2025's is another file, added.
    CHECK((c.changes[0].identity == "cop2024/classement.tamis" && c.changes[0].before == "A" &&
           c.changes[0].after == "A2"));
    CHECK((c.changes[1].identity == "cop2025/classement.tamis" && c.changes[1].before.empty()));
  }
  SECTION("a copy of the folder with one file edited (same declared name)") {
    auto copy = cop2024;
    copy[0].sha256 = "A2";
    const auto c = compare_rule_files("cop2024", cop2024, "cop2024", copy);
    CHECK(c.unchanged == 2);
    REQUIRE(c.changes.size() == 1);
    CHECK((c.changes[0].identity == "cop2024/classement.tamis" && c.changes[0].before == "A" &&
           c.changes[0].after == "A2"));
  }
  SECTION("the same files under another name are the same rules") {
    const auto c = compare_rule_files("cop2024", cop2024, "essai", cop2024);
    CHECK(c.unchanged == 3);
    CHECK(c.changes.empty());
  }
  SECTION("a file removed") {
    const std::vector<FileHash> fewer(cop2024.begin(), cop2024.begin() + 2);
    const auto c = compare_rule_files("cop2024", cop2024, "cop2024", fewer);
    REQUIRE(c.changes.size() == 1);
    CHECK((c.changes[0].identity == "cop2024/leviers.tamis" && c.changes[0].before == "C" &&
           c.changes[0].after.empty()));
  }
}

TEST_CASE("provenance: the rule files named by a stored explanation, checked on disk", "[audit]") {
  const auto dir = scratch_directory("stale");
  fs::create_directories(dir / "cop2024");
  fs::create_directories(dir / "cop2025");
  write_file(dir / "cop2024" / "classement.tamis", "2024 v1");
  write_file(dir / "cop2025" / "classement.tamis", "2025 v1");
  write_file(dir / "cop2024" / "leviers.tamis", "leviers");
  // A cop2025 run: its own classement.tamis, and its parent's.
  const std::vector<FileHash> files = {{"../cop2024/classement.tamis", hash_of("2024 v1")},
                                       {"../cop2024/leviers.tamis", hash_of("leviers")},
                                       {"classement.tamis", hash_of("2025 v1")}};
  const auto at = [&](const char* sub) {
    return nlohmann::json{{"fichier", (dir / sub).string()}, {"ligne", 1}};
  };
  const nlohmann::json explanation = {
      {"dossier", {{"fichier", "campagne.csv"}}},
      {"decisions",
       {{{"regle", {{"position", at("cop2024/classement.tamis")}}},
         {"conditions", {{"definition_position", at("cop2025/classement.tamis")}}}}}},
      {"tables", {{{"libelles", {{{"lignes", {{{"position", at("cop2024/leviers.tamis")}}}}}}}}}},
  };
  using tamis::audit::stale_rule_files;
  CHECK(stale_rule_files(explanation, files).empty());
  // cop2025's own file edited: it is not mistaken for cop2024's file of the same name.
  write_file(dir / "cop2025" / "classement.tamis", "2025 v2");
  auto stale = stale_rule_files(explanation, files);
  REQUIRE(stale.size() == 1);
  CHECK((stale[0].path == (dir / "cop2025/classement.tamis").string() && !stale[0].missing));
  fs::remove(dir / "cop2024" / "leviers.tamis");
  stale = stale_rule_files(explanation, files);
  REQUIRE(stale.size() == 2);
  CHECK((stale[1].path == (dir / "cop2024/leviers.tamis").string() && stale[1].missing));
  fs::remove_all(dir);
}
