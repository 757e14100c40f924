#pragma once
// Column headers of the plain-text tables (`tamis report`, `tamis run`): a label longer
// than its column is set on several lines, cut between words, rather than replaced
// by a code and a legend.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "support/text.hpp"

namespace tamis::runtime {

// The words of `label` on lines of at most `width` code points (a longer word has
// its own line).
inline std::vector<std::string> header_lines(std::string_view label, std::size_t width) {
  std::vector<std::string> lines(1);
  std::size_t start = 0;
  while (start < label.size()) {
    auto end = label.find(' ', start);
    if (end == std::string_view::npos) end = label.size();
    const std::string_view word = label.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    std::string& line = lines.back();
    if (line.empty()) {
      line = word;
    } else if (text::count_code_points(line) + 1 + text::count_code_points(word) <= width) {
      line += ' ';
      line += word;
    } else {
      lines.emplace_back(word);
    }
  }
  return lines;
}

// The width a numeric column's header needs: its widest value, its longest word, and
// no less than `least` unless the whole label is shorter.
inline std::size_t header_width(std::string_view label, std::size_t values, std::size_t least) {
  std::size_t width = std::max(values, std::min(least, text::count_code_points(label)));
  for (const auto& line : header_lines(label, 0))
    width = std::max(width, text::count_code_points(line));
  return width;
}

}  // namespace tamis::runtime
