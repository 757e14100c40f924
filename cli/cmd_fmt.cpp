// tamis fmt RULES [--check]: rewrites every .tamis file of a folder in the
// canonical layout (compiler/format), atomically; --check writes nothing and lists
// the files that would change.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/common.hpp"
#include "compiler/format/format.hpp"
#include "runtime/io/atomic_file.hpp"
#include "support/lang.hpp"

namespace tamis::cli {

namespace {

// Where a rule file's new text goes: through a symbolic link to the file it names, so
// the link stays and the shared file is updated (replacing the link would cut it off).
std::filesystem::path written_path(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_symlink(path, ec)) return path;
  const std::filesystem::path target = std::filesystem::canonical(path, ec);
  return ec ? path : target;
}

}  // namespace

int cmd_fmt(const std::vector<std::string>& args) {
  namespace po = boost::program_options;
  namespace fs = std::filesystem;
  po::options_description options;
  bool check = false;
  options.add_options()("check", po::bool_switch(&check));
  po::variables_map vm;
  const std::string usage =
      tr("usage : tamis fmt RÈGLES [--check]\n", "usage: tamis fmt RULES [--check]\n");
  const auto positional = parse(args, options, vm, usage);
  if (positional.size() != 1) {
    std::cerr << usage;
    return kInputErrors;
  }
  const fs::path folder = positional[0];
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    std::cerr << tr("tamis : « {} » n'est pas un dossier de règles\n",
                    "tamis: '{}' is not a rules folder\n", folder.string());
    return kInputErrors;
  }
  // The rule files of this folder only, as `tamis check` reads them (not the parents).
  std::vector<fs::path> paths;
  bool unwritable = false;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (entry.path().extension() != ".tamis") continue;
    if (entry.is_regular_file(ec)) {
      paths.push_back(entry.path());
    } else {
      // A broken symbolic link or a folder: an error for `tamis check` too (E0010).
      std::cerr << (entry.is_directory(ec)
                        ? tr("tamis : « {} » est un dossier, pas un fichier de règles : son "
                             "contenu n'est pas lu\n",
                             "tamis: '{}' is a folder, not a rule file: its contents are not "
                             "read\n",
                             entry.path().string())
                        : tr("tamis : impossible de lire « {} » : ce n'est pas un fichier\n",
                             "tamis: cannot read '{}': it is not a file\n", entry.path().string()));
      unwritable = true;
    }
  }
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) {
    std::cerr << tr("tamis : aucun fichier .tamis dans « {} »\n", "tamis: no .tamis file in '{}'\n",
                    folder.string());
    return kInputErrors;
  }

  SourceSet sources;
  std::size_t changed = 0;
  std::size_t with_errors = 0;
  std::size_t failed = 0;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in && !in.eof()) {
      std::cerr << tr("tamis : impossible de lire « {} »\n", "tamis: cannot read '{}'\n",
                      path.string());
      unwritable = true;
      continue;
    }
    const FileId id = sources.add(path.string(), content.str());
    DiagnosticSink sink;
    const auto result = format::format_file(sources, id, sink);
    for (const auto& d : sink.all()) std::cerr << render(d, sources);
    switch (result.status) {
      case format::FormatResult::Status::SyntaxErrors:
        ++with_errors;
        continue;
      case format::FormatResult::Status::Failed:
        ++failed;
        std::cerr << tr(
            "tamis : {} laissé tel quel : la mise en forme en changerait le sens ({})\n",
            "tamis: {} left as is: formatting would change its meaning ({})\n", path.string(),
            result.problem);
        continue;
      case format::FormatResult::Status::Formatted:
        break;
    }
    if (result.text == sources.file(id).text) continue;
    ++changed;
    std::cout << path.string() << "\n";
    if (check) continue;
    io::AtomicFile out(written_path(path).string());
    if (out.ok()) out.stream() << result.text;
    if (!out.ok() || !out.commit()) {
      std::cerr << tr("tamis : impossible d'écrire « {} »\n", "tamis: cannot write '{}'\n",
                      path.string());
      unwritable = true;
    }
  }

  if (with_errors > 0) {
    std::cerr << tr("{} fichier(s) avec des erreurs de syntaxe, laissé(s) tel(s) quel(s)\n",
                    "{} file(s) with syntax errors, left as they are\n", with_errors);
  }
  if (check) {
    std::cerr << tr("{} : {} fichier(s), {} à mettre en forme\n",
                    "{}: {} file(s), {} to be formatted\n", folder.string(), paths.size(), changed);
  } else {
    std::cerr << tr("{} : {} fichier(s), {} mis en forme\n", "{}: {} file(s), {} formatted\n",
                    folder.string(), paths.size(), changed);
  }
  if (failed > 0) return kInternalError;
  if (unwritable) return kInputErrors;
  if (with_errors > 0 || (check && changed > 0)) return kRuleErrors;
  return kOk;
}

}  // namespace tamis::cli
