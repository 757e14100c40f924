#pragma once
// Static analysis of a checked rule graph (run by the compiler only when sema found
// no error): rules that can never apply, rules of a `unique` decision that can apply
// together, records no rule of a decision retains, and table labels that read two
// ways. Exact over finite domains, conservative elsewhere: a claim that is not
// certain says "peut", and when the work budget runs out nothing is claimed.
#include <cstdint>

#include "compiler/graph/rule_graph.hpp"
#include "support/diagnostics.hpp"

namespace tamis::analysis {

struct Limits {
  std::uint64_t work_per_query = 50'000;  // formula nodes evaluated by one solver call
  std::uint64_t work_total = 500'000;     // … by the whole analysis (a few ms)
  std::size_t max_rules = 200;            // larger decisions are not analysed
};

// W0601 rule covered by earlier rules, W0602 condition never true, E0603 / W0604 rules
// of a `unique` decision that (may) apply together, W0605 records no rule retains,
// W0606 / W0607 table labels (tables.hpp). Codes are documented in docs/diagnostics.md.
void analyze(const graph::RuleGraph& graph, DiagnosticSink& sink, const Limits& limits = {});

}  // namespace tamis::analysis
