#pragma once
// Resolves a multiple-choice cell ("Vélo, Rénovation (tertiaire), Bouclage biomasse")
// against a table's keys and aliases. Choices are joined with ", " in exports but a
// label may itself contain ", ", so the longest run of pieces that names a row wins.
// Matching ignores case, accents, typographic apostrophes and surrounding spaces.
#include <string>
#include <string_view>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "support/exact_spellings.hpp"
#include "support/flat_string_map.hpp"

namespace tamis::io {

struct LabelMatch {
  std::string raw;                  // the label as written in the cell (trimmed)
  std::vector<std::uint32_t> rows;  // rows it names; empty when unrecognised
  std::string spelling;             // the key or alias it matched, as the table writes it
  bool by_alias = false;
  bool exact = false;  // written exactly as `spelling` (not only up to case, accents, spaces)
};

std::vector<LabelMatch> match_labels(const graph::Table& table, std::string_view cell);

// The rows a campaign's cells name in one table, for decoding many rows: what each run
// of pieces names is remembered (exports repeat a few labels in many combinations, and
// normalising a label is the costly part). Bounded memory.
class LabelCache {
 public:
  explicit LabelCache(const graph::Table& table);
  // Out of line: inline, the destruction of the members in the decoder's file made GCC
  // call SetCellCache::find_at_home out of line in RecordDecoder::decode (+28 instructions a
  // dossier, measured).
  LabelCache(LabelCache&&) noexcept;
  ~LabelCache();

  struct Label {
    std::string_view raw;                    // as written (trimmed), a view into the cell
    const std::vector<std::uint32_t>* rows;  // nullptr when it names no row
  };
  // The labels of `cell`, as match_labels() reads them (views valid until the next call).
  const std::vector<Label>& labels(std::string_view cell);
  // The rows `cell`'s labels name, set in `words` (graph::words_for(rows) words, which the
  // caller clears), and the labels naming nothing appended to `unknown` (views into
  // `cell`), in order: what labels() reads, without its list of pieces and labels when no
  // label of the table holds a separator (each piece is then a label).
  void add_rows(std::string_view cell, std::uint64_t* words,
                std::vector<std::string_view>& unknown);

 private:
  // The rows of a run not written as the table writes it (through runs_).
  [[gnu::noinline]] const std::vector<std::uint32_t>* rows_of(std::string_view run);
  struct Start;
  // The spelling written at cell[start…] and followed by a separator or the cell's end
  // (which `end` is then set to), found by its first four bytes; nullptr when none is.
  const Start* spelled_at(std::string_view cell, std::size_t start, std::size_t& end) const;
  // Indexes starts_ (`texts`: exact_'s texts, by their numbers).
  void index_starts(const std::vector<std::string_view>& texts);
  // starts_'s bucket for a text's first four bytes (Fibonacci hashing).
  std::size_t bucket_of(std::uint32_t first) const {
    return static_cast<std::size_t>((std::uint64_t{first} * 0x9e3779b97f4a7c15u) >> bucket_shift_);
  }

  const graph::Table& table_;
  // The table's keys and aliases as written, each with its rows (exact_rows_[id]): a run
  // written so, as exports write them, is found with one probe, before runs_ is hashed.
  ExactSpellings exact_;
  std::vector<const std::vector<std::uint32_t>*> exact_rows_;
  // When each piece is a label: the spellings a piece may be written as (held by exact_,
  // four bytes or more, no separator, nothing text::trim takes off, naming rows of one
  // word), by a hash of their first four bytes, so that add_rows reads a piece written so
  // from where it starts, its end where the spelling ends, without looking for the
  // separator first, and sets its rows as one word (a lever cell not met before: add_rows
  // 58.1 -> 38.5 instructions a dossier, measured).
  struct Start {
    const char* text;  // the table's
    std::uint32_t size;
    std::uint32_t word;  // the rows' word in a set
    std::uint64_t rows;  // their bits in it
  };
  std::vector<Start> starts_;             // bucket by bucket
  std::vector<std::uint32_t> bucket_at_;  // bucket b's: [bucket_at_[b], bucket_at_[b + 1])
  unsigned bucket_shift_ = 63;            // 64 - log2(buckets)
  FlatStringMap<const std::vector<std::uint32_t>*> runs_;  // run as written → rows or nullptr
  std::vector<std::string_view> pieces_;
  std::vector<Label> labels_;
};

}  // namespace tamis::io
