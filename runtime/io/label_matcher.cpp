#include "runtime/io/label_matcher.hpp"

#include <algorithm>
#include <array>
#include <bit>

#include "support/bytes.hpp"
#include "support/scan.hpp"
#include "support/text.hpp"

namespace tamis::io {

namespace {

// Whether `c` ends a piece (text::split_choices's separators), by a table: a byte after a
// spelling is tested for each spelling that starts as the piece does.
constexpr auto kSeparator = [] {
  std::array<bool, 256> separator{};
  for (const char c : {',', ';', '|', '\n'}) separator[static_cast<unsigned char>(c)] = true;
  return separator;
}();
bool is_separator(char c) {
  return kSeparator[static_cast<unsigned char>(c)];
}

// Reads the labels of `cell` (pieces: text::split_choices): from each piece, the
// longest run of pieces that names rows (`rows_of(run)`, nullptr when none) wins; a piece no run
// starting at it names is a label naming nothing. Calls found(trimmed run, rows) for each, in
// order.
template <typename RowsOf, typename Found>
void read_labels(const graph::Table& table, std::string_view cell,
                 std::vector<std::string_view>& pieces, RowsOf&& rows_of, Found&& found) {
  text::split_choices(cell, pieces);
  for (std::size_t i = 0; i < pieces.size();) {
    if (pieces[i].empty()) {
      ++i;
      continue;
    }
    const std::size_t longest = std::min(pieces.size(), i + table.longest_label_pieces);
    bool matched = false;
    for (std::size_t j = longest; j > i && !matched; --j) {
      // A run of one piece is the piece (most labels): no call.
      const std::string_view run = j == i + 1 ? pieces[i] : text::choice_run(cell, pieces, i, j);
      const std::vector<std::uint32_t>* rows = rows_of(run);
      if (rows == nullptr) continue;
      found(text::trim(run), rows);
      i = j;
      matched = true;
    }
    if (!matched) {
      found(text::trim(pieces[i]), nullptr);
      ++i;
    }
  }
}

// Which of the row's spellings the label is: an exact spelling first (so that an
// export writing an alias exactly is told so), then its key or an alias up to case,
// accents and spaces.
void find_spelling(const graph::Table& table, std::uint32_t row, std::string_view raw,
                   const std::string& key, LabelMatch& m) {
  const graph::Row& r = table.rows[row];
  if (raw == r.key) {
    m.spelling = r.key;
    m.exact = true;
    return;
  }
  for (const auto& alias : r.aliases) {
    if (raw == alias) {
      m.spelling = alias;
      m.by_alias = true;
      m.exact = true;
      return;
    }
  }
  if (text::normalize_label(r.key) == key) {
    m.spelling = r.key;
    return;
  }
  for (const auto& alias : r.aliases) {
    if (text::normalize_label(alias) == key) {
      m.spelling = alias;
      m.by_alias = true;
      return;
    }
  }
}

}  // namespace

std::vector<LabelMatch> match_labels(const graph::Table& table, std::string_view cell) {
  std::vector<LabelMatch> out;
  std::vector<std::string_view> pieces;
  std::string key;
  const auto rows_of = [&](std::string_view run) -> const std::vector<std::uint32_t>* {
    key = text::normalize_label(run);
    const auto it = table.by_label.find(key);
    return it == table.by_label.end() ? nullptr : &it->second;
  };
  read_labels(table, cell, pieces, rows_of,
              [&](std::string_view raw, const std::vector<std::uint32_t>* rows) {
                LabelMatch m;
                m.raw = std::string(raw);
                if (rows != nullptr) {
                  m.rows = *rows;
                  // `key` is still the normalised form of the run that matched.
                  find_spelling(table, rows->front(), m.raw, key, m);
                }
                out.push_back(std::move(m));
              });
  return out;
}

LabelCache::LabelCache(const graph::Table& table) : table_(table) {
  std::vector<std::pair<std::string, std::uint32_t>> spellings;
  std::vector<std::string_view> spelt;  // the same texts, the table's
  for (const graph::Row& row : table.rows) {
    std::vector<std::string_view> texts{row.key};
    texts.insert(texts.end(), row.aliases.begin(), row.aliases.end());
    for (const std::string_view text : texts) {
      // What the normalised lookup gives the text (the rows of every row it names).
      const auto it = table.by_label.find(text::normalize_label(text));
      if (text.empty() || it == table.by_label.end()) continue;
      spellings.emplace_back(text, static_cast<std::uint32_t>(exact_rows_.size()));
      spelt.push_back(text);
      exact_rows_.push_back(&it->second);
    }
  }
  exact_ = ExactSpellings(spellings);
  if (table.longest_label_pieces == 1) index_starts(spelt);
}

LabelCache::LabelCache(LabelCache&&) noexcept = default;
LabelCache::~LabelCache() = default;

void LabelCache::index_starts(const std::vector<std::string_view>& texts) {
  std::vector<Start> starts;
  for (std::uint32_t id = 0; id < texts.size(); ++id) {
    const std::string_view text = texts[id];
    // exact_ finds it as itself (not a text it does not hold, nor the second of two
    // alike), and a piece, cut at separators and trimmed, can be it.
    if (exact_.find(text) != id || text.size() < 4 || text::trim(text).size() != text.size() ||
        scan::find_any_of(text.data(), text.size(), ',', ';', '|', '\n') != text.size()) {
      continue;
    }
    const std::vector<std::uint32_t>& rows = *exact_rows_[id];
    Start start{text.data(), static_cast<std::uint32_t>(text.size()), rows.front() / 64, 0};
    for (const std::uint32_t row : rows) {
      if (row / 64 == start.word) start.rows |= std::uint64_t{1} << (row % 64);
    }
    if (std::popcount(start.rows) == static_cast<int>(rows.size())) starts.push_back(start);
  }
  // At least two buckets a spelling, each spelling in the bucket of its first four bytes.
  const std::size_t buckets = std::bit_ceil(std::max<std::size_t>(2 * starts.size(), 2));
  bucket_shift_ = 64 - static_cast<unsigned>(std::countr_zero(buckets));
  const auto bucket = [&](const Start& start) {
    return bucket_of(load_word<std::uint32_t>(start.text));
  };
  bucket_at_.assign(buckets + 1, 0);
  for (const Start& start : starts) ++bucket_at_[bucket(start) + 1];
  for (std::size_t b = 0; b < buckets; ++b) bucket_at_[b + 1] += bucket_at_[b];
  starts_.resize(starts.size());
  std::vector<std::uint32_t> next(bucket_at_.begin(), bucket_at_.end() - 1);
  for (const Start& start : starts) starts_[next[bucket(start)]++] = start;
}

const std::vector<LabelCache::Label>& LabelCache::labels(std::string_view cell) {
  labels_.clear();
  // A run written as the table writes a key or alias (as exports do) with one probe,
  // inline; the others out of line.
  const auto rows_named = [&](std::string_view run) {
    const std::uint32_t id = exact_.find(run);
    return id != ExactSpellings::kAbsent ? exact_rows_[id] : rows_of(run);
  };
  read_labels(table_, cell, pieces_, rows_named,
              [&](std::string_view raw, const std::vector<std::uint32_t>* rows) {
                labels_.push_back({raw, rows});
              });
  return labels_;
}

void LabelCache::add_rows(std::string_view cell, std::uint64_t* words,
                          std::vector<std::string_view>& unknown) {
  const auto add = [&](std::string_view label, const std::vector<std::uint32_t>* rows) {
    if (rows == nullptr) {
      unknown.push_back(label);
      return;
    }
    for (const auto row : *rows) words[row / 64] |= std::uint64_t{1} << (row % 64);
  };
  if (table_.longest_label_pieces != 1) {
    for (const auto& label : labels(cell)) add(label.raw, label.rows);
    return;
  }
  // Each piece a label: read as split_choices cuts it, without keeping the pieces (a
  // lever cell not met before cost about 1,300 instructions through labels(), measured).
  for (std::size_t start = 0;;) {
    // The space after each ", " skipped first (no separator is a space): text::trim
    // leaves any space at the edges to a call (10 instructions a dossier, measured).
    while (start < cell.size() && cell[start] == ' ') ++start;
    std::size_t end;
    if (const Start* spelling = spelled_at(cell, start, end)) {
      // The piece is the spelling: it ends where a separator or the cell's end follows
      // it, and it has nothing to trim.
      words[spelling->word] |= spelling->rows;
    } else {
      end =
          start + scan::find_any_of(cell.data() + start, cell.size() - start, ',', ';', '|', '\n');
      if (const std::string_view piece = text::trim(cell.substr(start, end - start));
          !piece.empty()) {
        const std::uint32_t exact = exact_.find(piece);
        add(piece, exact != ExactSpellings::kAbsent ? exact_rows_[exact] : rows_of(piece));
      }
    }
    if (end == cell.size()) return;
    start = end + 1;
  }
}

[[gnu::always_inline]] inline const LabelCache::Start* LabelCache::spelled_at(
    std::string_view cell, std::size_t start, std::size_t& end) const {
  if (cell.size() - start < 4) return nullptr;
  const std::size_t bucket = bucket_of(load_word<std::uint32_t>(cell.data() + start));
  for (std::uint32_t at = bucket_at_[bucket]; at != bucket_at_[bucket + 1]; ++at) {
    const Start& spelling = starts_[at];
    const std::size_t after = start + spelling.size;
    if (after > cell.size() || (after != cell.size() && !is_separator(cell[after])) ||
        !same_bytes(std::string_view(spelling.text, spelling.size),
                    std::string_view(cell.data() + start, spelling.size))) {
      continue;
    }
    end = after;
    return &spelling;
  }
  return nullptr;
}

const std::vector<std::uint32_t>* LabelCache::rows_of(std::string_view run) {
  const std::uint64_t hash = decltype(runs_)::hash(run);
  if (const auto* known = runs_.find(run, hash)) return *known;
  const auto it = table_.by_label.find(text::normalize_label(run));
  const std::vector<std::uint32_t>* rows = it == table_.by_label.end() ? nullptr : &it->second;
  constexpr std::size_t kLimit = 10000;  // distinct runs remembered; past it, looked up each time
  if (runs_.size() < kLimit) runs_.insert(run, hash, rows);
  return rows;
}

}  // namespace tamis::io
