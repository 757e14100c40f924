#pragma once
// Resolves a multiple-choice cell ("Vélo, Rénovation (tertiaire), Bouclage biomasse")
// against a table's keys and aliases. Choices are joined with ", " in exports but a
// label may itself contain ", ", so the longest run of pieces that names a row wins.
// Matching ignores case, accents, typographic apostrophes and surrounding spaces.
#include <string>
#include <string_view>
#include <vector>

#include "compiler/graph/rule_graph.hpp"

namespace tamis::io {

struct LabelMatch {
  std::string raw;                  // the label as written in the cell (trimmed)
  std::vector<std::uint32_t> rows;  // rows it names; empty when unrecognised
  std::string spelling;             // the key or alias it matched, as the table writes it
  bool by_alias = false;
  bool exact = false;  // written exactly as `spelling` (not only up to case, accents, spaces)
};

std::vector<LabelMatch> match_labels(const graph::Table& table, std::string_view cell);

}  // namespace tamis::io
