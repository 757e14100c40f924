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

// What a command needs beyond the graph and the diagnostics.
struct CompileOptions {
  // The SHA-256 of every rule file and the rule set's fingerprint (graph::RuleGraph::
  // file_hashes, fingerprint), for the explanations, the audit store and the report.
  // `check`, and `run` without --trace or --db, never show them: hashing costs the set-up
  // of the crypto library at every start.
  bool fingerprint = true;
};

// Compiles every `*.tamis` file of `directory` (sorted by name, so results never
// depend on the file system's order). All errors of all files are collected.
Compilation compile_directory(const std::filesystem::path& directory,
                              const CompileOptions& options = {});

// Compiles the given in-memory files (path, text), for tests and tools.
Compilation compile_sources(const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace tamis
