#include "support/diagnostics.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <limits>
#include <map>

#include "support/lang.hpp"
#include "support/text.hpp"

namespace tamis {

void DiagnosticSink::report(Diagnostic d) {
  if (d.severity == Severity::Error) ++errors_;
  diagnostics_.push_back(std::move(d));
}

void DiagnosticSink::error(std::string code, SourceRange range, std::string message,
                           std::string hint) {
  report({Severity::Error, std::move(code), range, std::move(message), std::move(hint), {}});
}

void DiagnosticSink::warning(std::string code, SourceRange range, std::string message,
                             std::string hint) {
  report({Severity::Warning, std::move(code), range, std::move(message), std::move(hint), {}});
}

void DiagnosticSink::sort() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     if (a.range.file != b.range.file) return a.range.file < b.range.file;
                     if (a.range.line != b.range.line) return a.range.line < b.range.line;
                     return a.range.column < b.range.column;
                   });
}

namespace {

// 4990 → "4 990" (French) or "4,990" (English).
std::string group_thousands(std::size_t n) {
  const std::string digits = std::to_string(n);
  const char separator = current_lang() == Lang::En ? ',' : ' ';
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += separator;
    out += digits[i];
  }
  return out;
}

}  // namespace

void DiagnosticSink::limit_repeated_errors(std::size_t limit) {
  // (file, code) → number of errors; those beyond `limit` are dropped and summarised.
  // Errors about no file in particular (kNoFile: unreadable files…) are all kept.
  std::map<std::pair<FileId, std::string>, std::size_t> seen;
  for (const auto& d : diagnostics_) {
    if (d.severity == Severity::Error && d.range.file != kNoFile) ++seen[{d.range.file, d.code}];
  }
  if (std::none_of(seen.begin(), seen.end(), [&](const auto& s) { return s.second > limit; })) {
    return;
  }
  std::map<std::pair<FileId, std::string>, std::size_t> kept;
  std::vector<Diagnostic> out;
  for (auto& d : diagnostics_) {
    if (d.severity != Severity::Error || d.range.file == kNoFile) {
      out.push_back(std::move(d));
      continue;
    }
    const std::pair<FileId, std::string> key{d.range.file, d.code};
    const std::size_t n = ++kept[key];
    if (n > limit) continue;
    const FileId file = d.range.file;
    const std::string code = d.code;
    out.push_back(std::move(d));
    if (n == limit && seen[key] > limit) {
      const std::size_t hidden = seen[key] - limit;
      const std::string count = group_thousands(hidden);
      out.push_back(
          {Severity::Note,
           {},
           {file, 0, 0, 0, 0},
           hidden == 1
               ? tr("… et 1 autre erreur {} semblable dans ce fichier (non affichée)",
                    "… and 1 more similar {} error in this file (not shown)", code)
               : tr("… et {} autres erreurs {} semblables dans ce fichier (non "
                    "affichées)",
                    "… and {} more similar {} errors in this file (not shown)", count, code),
           {},
           {}});
    }
  }
  diagnostics_ = std::move(out);
}

namespace {

std::string severity_word(Severity s) {
  switch (s) {
    case Severity::Error:
      return tr("erreur", "error");
    case Severity::Warning:
      return tr("avertissement", "warning");
    case Severity::Note:
      return "note";
  }
  return tr("erreur", "error");
}

// Length of the valid UTF-8 sequence at s[i], 0 when the byte at i does not start one.
std::size_t utf8_length_at(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  if (b < 0x80U) return 1;
  if (b >= 0xC2U && b <= 0xDFU) n = 2;
  if (b >= 0xE0U && b <= 0xEFU) n = 3;
  if (b >= 0xF0U && b <= 0xF4U) n = 4;
  if (n == 0 || i + n > s.size() || text::first_invalid_utf8(s.substr(i, n))) return 0;
  return n;
}

// Appends s[i…] as the terminal should see it and advances i past one unit: a valid
// UTF-8 character as it is, a control character as « ? » (a tab as a space), a byte
// that is not UTF-8 as \xNN (never raw: the terminal would show garbage, or worse).
void append_printable_unit(std::string& out, std::string_view s, std::size_t& i) {
  const auto u = static_cast<unsigned char>(s[i]);
  const std::size_t n = utf8_length_at(s, i);
  if (n == 0) {
    out += fmt::format("\\x{:02x}", u);
    ++i;
  } else if (n > 1) {
    out.append(s.substr(i, n));
    i += n;
  } else {
    out += s[i] == '\t' ? ' ' : (u < 0x20U || u == 0x7FU) ? '?' : s[i];
    ++i;
  }
}

}  // namespace

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) append_printable_unit(out, s, i);
  return out;
}

namespace {

// Columns count code points the way support/source and the parser do: every byte
// that is not a UTF-8 continuation byte starts one.
bool starts_column(char c) {
  return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
}

std::string location(const SourceRange& r, const SourceSet& sources) {
  if (r.file >= sources.size()) return "tamis";
  const auto& path = sources.file(r.file).path;
  if (!r.valid()) return path;
  return fmt::format("{}:{}:{}", path, r.line, r.column);
}

// Stray continuation bytes shown before a column: at most this many, then « … ».
constexpr std::size_t kMaxStrayBytesShown = 4;

void append_excerpt(std::string& out, const SourceRange& r, const SourceSet& sources) {
  if (!r.valid() || r.file >= sources.size()) return;
  const std::string_view line = sources.file(r.file).line_text(r.line);
  const std::size_t width = text::count_code_points(line);  // in source columns
  // The caret covers source columns [start, end).
  std::size_t start = r.column > 0 ? r.column - 1 : 0;
  if (start > width) start = width;
  std::size_t length = 1;
  if (r.end_line == r.line && r.end_column >= r.column) {
    length = r.end_column - r.column + 1;
  } else if (r.end_line > r.line) {
    length = width > start ? width - start : 1;
  }
  const std::size_t end = start + std::max<std::size_t>(length, 1);

  // A line of up to kWholeLineWidth columns (any line a person wrote) is shown whole;
  // of a longer one, at most `budget` display columns around the caret.
  const bool whole = width <= kWholeLineWidth;
  const std::size_t budget = whole ? std::numeric_limits<std::size_t>::max() : kExcerptWidth;
  // Each source column that could be shown (all, or kExcerptWidth either side of the caret)
  // as it is displayed. A byte that continues no sequence is shown with the column after it,
  // where positions computed from byte offsets put it (« \x80\x81 » then the column).
  const std::size_t from = whole || start <= kExcerptWidth ? 0 : start - kExcerptWidth;
  const std::size_t to = whole ? width : std::min(width, start + kExcerptWidth);
  std::vector<std::string> pieces;  // pieces[k] shows column from + k
  std::string stray;
  std::size_t stray_count = 0;
  std::size_t column = 0;
  for (std::size_t i = 0; i < line.size();) {
    if (!starts_column(line[i])) {
      if (column >= from && ++stray_count <= kMaxStrayBytesShown) {
        stray += fmt::format("\\x{:02x}", static_cast<unsigned char>(line[i]));
        if (stray_count == kMaxStrayBytesShown) stray += "…";
      }
      ++i;
      continue;
    }
    if (column >= to) break;
    const std::size_t n = std::max<std::size_t>(utf8_length_at(line, i), 1);
    if (column >= from) {
      pieces.push_back(stray + printable(line.substr(i, n)));
      stray.clear();
      stray_count = 0;
    }
    i += n;
    ++column;
  }
  if (!stray.empty()) pieces.push_back(stray);  // after the last column
  std::vector<std::size_t> widths;
  for (const auto& p : pieces) widths.push_back(text::count_code_points(p));

  // The window [left, right) of pieces: at most `budget` display columns, the caret's
  // column always, a third of the width before it unless the line ends soon after it.
  const std::size_t caret = std::min(start - from, pieces.size());
  std::size_t after = 0;
  for (std::size_t k = caret; k < pieces.size() && after < budget; ++k) after += widths[k];
  const std::size_t before_budget = std::max(budget / 3, after < budget ? budget - after : 0);
  std::size_t left = caret;
  std::size_t used = 0;
  while (left > 0 && used + widths[left - 1] <= before_budget) used += widths[--left];
  std::size_t right = caret;
  while (right < pieces.size() && (right == caret || used + widths[right] <= budget)) {
    used += widths[right++];
  }
  const bool cut_left = from + left > 0;
  const bool cut_right = right < pieces.size() || to < width;

  std::string shown = cut_left ? "…" : "";
  std::size_t shown_width = cut_left ? 1 : 0;
  std::size_t caret_at = 0;
  std::size_t caret_end = 0;
  for (std::size_t k = left; k < right; ++k) {
    if (k == caret) caret_at = shown_width;
    if (from + k == end) caret_end = shown_width;
    shown += pieces[k];
    shown_width += widths[k];
  }
  if (caret >= right) caret_at = shown_width;
  if (end >= from + right) {
    // Past the shown text: up to the end of the line, or over the « … » that cuts it.
    caret_end = shown_width +
                (cut_right ? std::min<std::size_t>(end - from - right, 1) : end - from - right);
  }
  if (cut_right) shown += "…";
  const std::string gutter = fmt::format("{:>5} | ", r.line);
  out += gutter + shown + "\n";
  // A one-column range is one caret, even under a byte shown as \xNN.
  const std::size_t tildes =
      end - start > 1 && caret_end > caret_at + 1 ? caret_end - caret_at - 1 : 0;
  out += std::string(gutter.size() - 2, ' ') + "| " + std::string(caret_at, ' ') + "^" +
         std::string(tildes, '~') + "\n";
}

}  // namespace

std::string render(const Diagnostic& d, const SourceSet& sources) {
  std::string out;
  if (d.severity == Severity::Note && d.code.empty()) {
    out = tr("{}: note : {}\n", "{}: note: {}\n", location(d.range, sources), printable(d.message));
  } else {
    out = fmt::format("{}: {}[{}]: {}\n", location(d.range, sources), severity_word(d.severity),
                      d.code, printable(d.message));
  }
  append_excerpt(out, d.range, sources);
  if (!d.hint.empty()) out += tr("      = aide : {}\n", "      = help: {}\n", printable(d.hint));
  for (const auto& [range, text] : d.notes) {
    out += tr("{}: note : {}\n", "{}: note: {}\n", location(range, sources), printable(text));
    append_excerpt(out, range, sources);
  }
  return out;
}

}  // namespace tamis
