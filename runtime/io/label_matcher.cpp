#include "runtime/io/label_matcher.hpp"

#include "support/text.hpp"

namespace tamis::io {

namespace {

constexpr std::string_view kChoiceSeparator = ", ";

std::vector<std::string_view> split_pieces(std::string_view cell) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = cell.find(kChoiceSeparator, start);
    if (pos == std::string_view::npos) {
      pieces.push_back(cell.substr(start));
      return pieces;
    }
    pieces.push_back(cell.substr(start, pos - start));
    start = pos + kChoiceSeparator.size();
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
  const auto pieces = split_pieces(cell);
  for (std::size_t i = 0; i < pieces.size();) {
    if (text::trim(pieces[i]).empty()) {
      ++i;
      continue;
    }
    const std::size_t longest = std::min(pieces.size(), i + table.longest_label_pieces);
    bool matched = false;
    for (std::size_t j = longest; j > i && !matched; --j) {
      // The run of pieces i..j-1 as it was written, separators included.
      const std::size_t begin = static_cast<std::size_t>(pieces[i].data() - cell.data());
      const std::size_t end =
          static_cast<std::size_t>(pieces[j - 1].data() - cell.data()) + pieces[j - 1].size();
      const std::string_view run = cell.substr(begin, end - begin);
      const std::string key = text::normalize_label(run);
      auto it = table.by_label.find(key);
      if (it == table.by_label.end()) continue;
      LabelMatch m;
      m.raw = std::string(text::trim(run));
      m.rows = it->second;
      find_spelling(table, it->second.front(), m.raw, key, m);
      out.push_back(std::move(m));
      i = j;
      matched = true;
    }
    if (!matched) {
      out.push_back({std::string(text::trim(pieces[i])), {}, {}, false});
      ++i;
    }
  }
  return out;
}

}  // namespace tamis::io
