#include "compiler/compile.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "compiler/analysis/analyze.hpp"
#include "compiler/inherit/merge.hpp"
#include "compiler/sema/check.hpp"
#include "compiler/syntax/parse.hpp"
#include "support/lang.hpp"
#include "support/sha256.hpp"

namespace tamis {

namespace {

// Ancestors deeper than this are surely a mistake (cop2024 ← cop2025 ← … is a few).
constexpr std::size_t kMaxInheritanceDepth = 16;

// Errors of one code in one file beyond this are summarised in one note: a garbage file
// (5,000 unknown names, 1,000 over-long identifiers) would otherwise flood the terminal,
// while a real file rarely has more than a few of one kind (the parser also stops at 20).
constexpr std::size_t kMaxSimilarErrors = 20;

std::vector<ast::File> parse_all(Compilation& c, FileId first) {
  std::vector<ast::File> asts;
  for (FileId id = first; id < c.sources->size(); ++id) {
    asts.push_back(syntax::parse_file(*c.sources, id, c.diagnostics));
  }
  return asts;
}

// `ancestry_broken`: a parent named by `étend` could not be loaded (missing folder,
// circular or too deep inheritance). Its error is already reported; merging and checking
// without it would only add errors that follow from it (every `remplace` "missing from the
// parent", every name it declares "unknown"), so their diagnostics are dropped.
void finish(Compilation& c, std::vector<std::vector<ast::File>> levels,
            const std::filesystem::path& root, const CompileOptions& options,
            bool ancestry_broken = false) {
  std::vector<ast::File> merged;
  DiagnosticSink follow_on;
  DiagnosticSink& sink = ancestry_broken ? follow_on : c.diagnostics;
  merged.push_back(inherit::merge(std::move(levels), sink));
  c.graph = sema::check(merged, c.sources, sink);
  // Rule analysis (unreachable rules, overlaps, gaps) needs a graph without errors.
  if (!c.diagnostics.has_errors()) analysis::analyze(*c.graph, c.diagnostics);
  c.diagnostics.sort();
  c.diagnostics.limit_repeated_errors(kMaxSimilarErrors);
  if (!options.fingerprint) return;

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

// The name a file that looks meant as a rule file but is not read should have
// (`classement.tamis.txt`, `classement.TAMIS` → `classement.tamis`), or "" when the
// name does not look like one. Editor backups (`classement.tamis~`) are not: they are
// copies, and a warning on each `check` would be noise.
std::string rule_file_name_meant(const std::string& name) {
  std::string lower = name;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const std::size_t at = lower.rfind(".tamis");
  if (at == std::string::npos || at == 0) return {};
  const std::size_t after = at + 6;
  if (after != lower.size() && lower[after] != '.') return {};  // `x.tamisage`
  return name.substr(0, at) + ".tamis";
}

// A file of the folder whose name looks meant as a rule file is not read: said, since
// the rules it holds would otherwise be missing without a word (W0011).
void warn_not_read(Compilation& c, const std::filesystem::path& path) {
  const std::string meant = rule_file_name_meant(path.filename().string());
  if (meant.empty()) return;
  c.diagnostics.warning(
      "W0011", SourceRange{kNoFile, 0, 0, 0, 0},
      tr("« {} » n'est pas lu : seuls les fichiers dont le nom finit par « .tamis » (en "
         "minuscules) sont des fichiers de règles",
         "'{}' is not read: only files whose name ends in '.tamis' (lower case) are rule files",
         path.string()),
      tr("renommez-le « {} » pour que ses règles soient lues, ou sortez-le du dossier si c'est "
         "une copie",
         "rename it '{}' for its rules to be read, or move it out of the folder if it is a copy",
         meant));
}

// Reads the `*.tamis` files of one folder, sorted by name so that results never
// depend on the file system's order. Returns false (with a diagnostic) when there are none.
bool load_folder(Compilation& c, const std::filesystem::path& directory, SourceRange cited_at) {
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec)) {
    c.diagnostics.error("E0010", cited_at,
                        tr("« {} » n'est pas un dossier de règles", "'{}' is not a rules folder",
                           directory.string()),
                        tr("indiquez le dossier qui contient les fichiers .tamis",
                           "give the folder that holds the .tamis files"));
    return false;
  }
  // Problems with one file of the folder, not with any position in a rule file.
  const SourceRange no_file{kNoFile, 0, 0, 0, 0};
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (entry.path().extension() != ".tamis") {
      if (entry.is_regular_file(ec)) warn_not_read(c, entry.path());
      continue;
    }
    if (entry.is_regular_file(ec)) {
      paths.push_back(entry.path());
    } else if (entry.is_directory(ec)) {
      // Only the folder's own files are read: rules put in there would be silently ignored.
      c.diagnostics.error(
          "E0010", no_file,
          tr("« {} » est un dossier, pas un fichier de règles : son contenu n'est pas lu",
             "'{}' is a folder, not a rule file: its contents are not read", entry.path().string()),
          tr("placez les fichiers .tamis directement dans « {} », ou renommez ce dossier "
             "sans l'extension .tamis",
             "put the .tamis files directly in '{}', or rename this folder without the .tamis "
             "extension",
             directory.string()));
    } else {
      c.diagnostics.error("E0010", no_file,
                          tr("impossible de lire « {} » : ce n'est pas un fichier",
                             "cannot read '{}': it is not a file", entry.path().string()));
    }
  }
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) {
    c.diagnostics.error(
        "E0010", cited_at,
        tr("aucun fichier .tamis dans « {} »", "no .tamis file in '{}'", directory.string()),
        tr("les fichiers de règles portent l'extension .tamis",
           "rule files have the .tamis extension"));
    return false;
  }
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) {
      // Named by its path alone: the file is not among the sources, and no other file
      // is at fault (the folder's first file used to be named here).
      c.diagnostics.error("E0010", no_file,
                          tr("impossible de lire « {} »", "cannot read '{}'", p.string()),
                          tr("vérifiez que le fichier existe et que vous avez le droit de le lire",
                             "check that the file exists and that you may read it"));
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
  finish(c, std::move(levels), {}, {});
  return c;
}

Compilation compile_directory(const std::filesystem::path& directory,
                              const CompileOptions& options) {
  Compilation c;
  c.sources = std::make_shared<SourceSet>();
  std::vector<std::vector<ast::File>> levels;  // the rule set first, then its ancestors
  std::vector<std::filesystem::path> visited;
  std::filesystem::path current = directory;
  SourceRange cited_at;  // where the current folder was named (étend "…")
  bool ancestry_broken = false;
  while (true) {
    std::error_code ec;
    const auto canonical = std::filesystem::weakly_canonical(current, ec);
    if (std::find(visited.begin(), visited.end(), canonical) != visited.end()) {
      c.diagnostics.error("E0504", cited_at,
                          tr("héritage circulaire : « {} » s'étend lui-même",
                             "circular inheritance: '{}' extends itself", current.string()),
                          tr("un jeu de règles ne peut étendre que des jeux de règles plus anciens",
                             "a rule set can only extend older rule sets"));
      ancestry_broken = true;
      break;
    }
    if (visited.size() >= kMaxInheritanceDepth) {
      c.diagnostics.error("E0504", cited_at,
                          tr("plus de {} niveaux d'héritage", "more than {} levels of inheritance",
                             kMaxInheritanceDepth));
      ancestry_broken = true;
      break;
    }
    visited.push_back(canonical);
    const auto first = static_cast<FileId>(c.sources->size());
    if (!load_folder(c, current, cited_at)) {
      ancestry_broken = visited.size() > 1;  // a parent, not the folder given
      break;
    }
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
  finish(c, std::move(levels), directory, options, ancestry_broken);
  return c;
}

}  // namespace tamis
