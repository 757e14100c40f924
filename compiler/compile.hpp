#pragma once
// The compiler's entry point: a directory of rule files in, a rule graph and
// diagnostics out.
#include <filesystem>
#include <memory>

#include "compiler/graph/rule_graph.hpp"
#include "support/diagnostics.hpp"

namespace tamis {

struct Compilation {
  std::shared_ptr<SourceSet> sources;
  std::unique_ptr<graph::RuleGraph> graph;  // usable only when !diagnostics.has_errors()
  DiagnosticSink diagnostics;
};

// Compiles every `*.tamis` file of `directory` (sorted by name, so results never
// depend on the file system's order). All errors of all files are collected.
Compilation compile_directory(const std::filesystem::path& directory);

// Compiles the given in-memory files (path, text), for tests and tools.
Compilation compile_sources(const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace tamis
