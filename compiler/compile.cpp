#include "compiler/compile.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <fstream>
#include <sstream>

#include "compiler/inherit/merge.hpp"
#include "compiler/sema/check.hpp"
#include "compiler/syntax/parse.hpp"
#include "support/sha256.hpp"

namespace tamis {

namespace {

// Ancestors deeper than this are surely a mistake (cop2024 ← cop2025 ← … is a few).
constexpr std::size_t kMaxInheritanceDepth = 16;

std::vector<ast::File> parse_all(Compilation& c, FileId first) {
  std::vector<ast::File> asts;
  for (FileId id = first; id < c.sources->size(); ++id) {
    asts.push_back(syntax::parse_file(*c.sources, id, c.diagnostics));
  }
  return asts;
}

void finish(Compilation& c, std::vector<std::vector<ast::File>> levels,
            const std::filesystem::path& root) {
  std::vector<ast::File> merged;
  merged.push_back(inherit::merge(std::move(levels), c.diagnostics));
  c.graph = sema::check(merged, c.sources, c.diagnostics);
  c.diagnostics.sort();

  for (FileId f = 0; f < c.sources->size(); ++f) {
    const auto& file = c.sources->file(f);
    std::filesystem::path path(file.path);
    if (!root.empty()) path = path.lexically_relative(root);
    c.graph->file_hashes.emplace_back(path.generic_string(), sha256_hex(file.text));
  }
  std::sort(c.graph->file_hashes.begin(), c.graph->file_hashes.end());
  std::string manifest;
  for (const auto& [path, hash] : c.graph->file_hashes) manifest += path + " " + hash + "\n";
  c.graph->fingerprint = sha256_hex(manifest);
}

// Reads the `*.tamis` files of one folder, sorted by name so that results never
// depend on the file system's order. Returns false (with a diagnostic) when there are none.
bool load_folder(Compilation& c, const std::filesystem::path& directory, SourceRange cited_at) {
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec)) {
    c.diagnostics.error("E0010", cited_at,
                        fmt::format("« {} » n'est pas un dossier de règles", directory.string()),
                        "indiquez le dossier qui contient les fichiers .tamis");
    return false;
  }
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (entry.is_regular_file(ec) && entry.path().extension() == ".tamis")
      paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) {
    c.diagnostics.error("E0010", cited_at,
                        fmt::format("aucun fichier .tamis dans « {} »", directory.string()),
                        "les fichiers de règles portent l'extension .tamis");
    return false;
  }
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) {
      c.diagnostics.error("E0010", cited_at, fmt::format("impossible de lire « {} »", p.string()));
      continue;
    }
    c.sources->add(p.string(), text.str());
  }
  return true;
}

}  // namespace

Compilation compile_sources(const std::vector<std::pair<std::string, std::string>>& files) {
  Compilation c;
  c.sources = std::make_shared<SourceSet>();
  for (const auto& [path, text] : files) c.sources->add(path, text);
  std::vector<std::vector<ast::File>> levels;
  levels.push_back(parse_all(c, 0));
  finish(c, std::move(levels), {});
  return c;
}

Compilation compile_directory(const std::filesystem::path& directory) {
  Compilation c;
  c.sources = std::make_shared<SourceSet>();
  std::vector<std::vector<ast::File>> levels;  // the rule set first, then its ancestors
  std::vector<std::filesystem::path> visited;
  std::filesystem::path current = directory;
  SourceRange cited_at;  // where the current folder was named (étend "…")
  while (true) {
    std::error_code ec;
    const auto canonical = std::filesystem::weakly_canonical(current, ec);
    if (std::find(visited.begin(), visited.end(), canonical) != visited.end()) {
      c.diagnostics.error(
          "E0504", cited_at,
          fmt::format("héritage circulaire : « {} » s'étend lui-même", current.string()),
          "un jeu de règles ne peut étendre que des jeux de règles plus anciens");
      break;
    }
    if (visited.size() >= kMaxInheritanceDepth) {
      c.diagnostics.error("E0504", cited_at,
                          fmt::format("plus de {} niveaux d'héritage", kMaxInheritanceDepth));
      break;
    }
    visited.push_back(canonical);
    const auto first = static_cast<FileId>(c.sources->size());
    if (!load_folder(c, current, cited_at)) break;
    levels.push_back(parse_all(c, first));

    const ast::RuleSetDecl* declared = nullptr;
    for (const auto& f : levels.back()) {
      for (const auto& d : f.rule_sets) declared = &d;
    }
    if (declared == nullptr || !declared->parent) break;
    cited_at = declared->parent->range;
    current = (current / declared->parent->text).lexically_normal();
  }
  std::reverse(levels.begin(), levels.end());
  finish(c, std::move(levels), directory);
  return c;
}

}  // namespace tamis
