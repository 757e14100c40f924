#pragma once
// Writes the values of one output column as CSV cells, byte for byte what
// io::append_csv_field(format_value(…)) writes, without formatting and scanning
// the same few texts for every record: the codes of an enumeration and the keys of
// a table are escaped once, at construction, and a set of them is quoted when one
// of its members needs it; a set of texts is written member by member, not joined
// into a text first.
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "support/byte_sink.hpp"

namespace tamis::runtime {

class CsvCellWriter {
 public:
  CsvCellWriter(const graph::RuleGraph& graph, const graph::Type& type);

  // Appends the cell, then `after` (the separator or the line end): room is made once for
  // the longest the cell can be, and the bytes written through a pointer.
  void append(ByteSink& out, const graph::Value& value, char after) const;
  // Appends the cells of `values` (one per writer, in order), each followed by `after`:
  // one call a result row, each column's writing inlined in it.
  static void append_all(ByteSink& out, const std::vector<CsvCellWriter>& writers,
                         const graph::Value* values, char after);

 private:
  void append_cell(ByteSink& out, const graph::Value& value, char after) const;
  char* members(char* p, const graph::Value& value) const;
  void texts(ByteSink& out, const graph::Value& value, char after) const;

  const graph::RuleGraph& graph_;
  graph::Type type_;
  // Enumeration values or table rows: each one's text, escaped for CSV. Alone, a
  // value is written as `cells_`; in a set, members are `escaped_` joined by " | ",
  // the whole quoted when a member is in `quoted_` (it holds , " or a line break).
  bool finite_ = false;
  std::vector<std::string> cells_;
  std::vector<std::string> escaped_;
  std::vector<std::uint64_t> quoted_;
  std::size_t longest_cell_ = 0;  // of cells_
  std::size_t whole_set_ = 0;     // all of escaped_ joined, quoted: a set's longest cell

  // Cells of one-word sets already written, by their word: a campaign names a few
  // hundred combinations of levers, each written again and again. Direct-mapped: a
  // slot keeps the first set that lands in it, and no cell is kept once `set_bytes_`
  // holds kSetBytesLimit bytes, so memory stays bounded. Mutable: a cache, and a
  // writer belongs to one Classifier, used by one thread.
  // The cells are kept 16 bytes apart and copied by blocks (copy_blocks).
  struct SetCell {
    std::uint64_t word = 0;
    std::uint32_t at = 0;    // in set_bytes_
    std::uint32_t size = 0;  // 1 + the cell's size; 0: an empty slot
  };
  static constexpr unsigned kSetCellBits = 10;
  static std::size_t set_slot(std::uint64_t word) {
    // Fibonacci hashing: the multiplication spreads the word's bits into the top ones.
    return (word * 0x9e3779b97f4a7c15u) >> (64 - kSetCellBits);
  }
  static constexpr std::size_t kSetBytesLimit = std::size_t{1} << 18;
  mutable std::vector<SetCell> set_cells_;
  mutable std::string set_bytes_;
  // The cell of `value` (one word) written at `p`, kept in `slot` (its slot) when free.
  char* write_and_keep(char* p, const graph::Value& value, SetCell& slot) const;
};

}  // namespace tamis::runtime
