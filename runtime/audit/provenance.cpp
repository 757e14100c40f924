#include "runtime/audit/provenance.hpp"

#include <filesystem>
#include <fstream>
#include <set>

#include "support/sha256.hpp"

namespace tamis::audit {

namespace {

// Every `fichier` of a position object (`position`, `definition_position`) in the document,
// in document order, once each.
void position_files(const nlohmann::json& j, std::vector<std::string>& out,
                    std::set<std::string>& seen) {
  if (j.is_array()) {
    for (const auto& item : j) position_files(item, out, seen);
    return;
  }
  if (!j.is_object()) return;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if ((it.key() == "position" || it.key() == "definition_position") && it->is_object()) {
      const auto file = it->find("fichier");
      if (file != it->end() && file->is_string() && seen.insert(file->get<std::string>()).second)
        out.push_back(file->get<std::string>());
      continue;
    }
    position_files(*it, out, seen);
  }
}

std::string normal(const std::string& path) {
  return std::filesystem::path(path).lexically_normal().generic_string();
}

// The recorded path without its leading "../" steps: "../cop2024/x.tamis" → "cop2024/x.tamis".
std::string without_parent_steps(const std::string& path) {
  std::filesystem::path out;
  bool leading = true;
  for (const auto& part : std::filesystem::path(normal(path))) {
    if (leading && (part == ".." || part == ".")) continue;
    leading = false;
    out /= part;
  }
  return out.generic_string();
}

bool ends_with_path(const std::string& path, const std::string& tail) {
  if (tail.empty() || path.size() < tail.size()) return false;
  if (path.compare(path.size() - tail.size(), tail.size(), tail) != 0) return false;
  return path.size() == tail.size() || path[path.size() - tail.size() - 1] == '/';
}

}  // namespace

nlohmann::json run_provenance(const RunRecord& run, const std::string& database) {
  return {
      {"numero", run.run},
      {"date", run.info.started_at},
      {"version_tamis", run.info.tool_version},
      {"base", database},
      {"entree", {{"chemin", run.info.input_path}, {"empreinte", run.info.input_hash}}},
  };
}

std::vector<StaleRuleFile> stale_rule_files(const nlohmann::json& explanation,
                                            const std::vector<FileHash>& files) {
  std::vector<std::string> named;
  std::set<std::string> seen;
  position_files(explanation, named, seen);
  std::vector<StaleRuleFile> out;
  for (const auto& path : named) {
    // The recorded file whose path, relative to the run's rule folder, ends this one; the
    // longest wins ("rules/cop2024/x.tamis" is "../cop2024/x.tamis" of a cop2025 run, not
    // cop2025's own "x.tamis").
    const std::string full = normal(path);
    const FileHash* recorded = nullptr;
    std::size_t best = 0;
    for (const auto& f : files) {
      const std::string tail = without_parent_steps(f.path);
      if (tail.size() > best && ends_with_path(full, tail)) {
        recorded = &f;
        best = tail.size();
      }
    }
    if (recorded == nullptr) continue;
    std::ifstream in(path, std::ios::binary);
    const std::string hash = in ? sha256_hex(in) : std::string();
    if (hash.empty()) {
      out.push_back({path, true});
    } else if (hash != recorded->sha256) {
      out.push_back({path, false});
    }
  }
  return out;
}

}  // namespace tamis::audit
