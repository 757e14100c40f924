#include "compiler/compile.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <fstream>
#include <sstream>

#include "compiler/sema/check.hpp"
#include "compiler/syntax/parse.hpp"

namespace tamis {

Compilation compile_sources(const std::vector<std::pair<std::string, std::string>>& files) {
  Compilation c;
  c.sources = std::make_shared<SourceSet>();
  for (const auto& [path, text] : files) c.sources->add(path, text);
  std::vector<ast::File> asts;
  for (FileId id = 0; id < c.sources->size(); ++id) {
    asts.push_back(syntax::parse_file(*c.sources, id, c.diagnostics));
  }
  c.graph = sema::check(asts, c.sources, c.diagnostics);
  c.diagnostics.sort();
  return c;
}

Compilation compile_directory(const std::filesystem::path& directory) {
  std::vector<std::pair<std::string, std::string>> files;
  std::error_code ec;
  Compilation failed;
  failed.sources = std::make_shared<SourceSet>();
  if (!std::filesystem::is_directory(directory, ec)) {
    failed.diagnostics.error(
        "E0010", {}, fmt::format("« {} » n'est pas un dossier de règles", directory.string()),
        "indiquez le dossier qui contient les fichiers .tamis");
    return failed;
  }
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".tamis")
      paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) {
    failed.diagnostics.error("E0010", {},
                             fmt::format("aucun fichier .tamis dans « {} »", directory.string()),
                             "les fichiers de règles portent l'extension .tamis");
    return failed;
  }
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    files.emplace_back(p.string(), text.str());
  }
  return compile_sources(files);
}

}  // namespace tamis
