#pragma once
// Rule-file sources and positions in them. Columns count code points, not bytes,
// so a caret lines up under "é" the way an editor shows it.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace tamis {

using FileId = std::uint32_t;

// A diagnostic about no source file in particular (a folder, an unreadable file):
// rendered as "tamis: …" rather than with the path of an unrelated file.
inline constexpr FileId kNoFile = std::numeric_limits<FileId>::max();

struct SourceRange {
  FileId file = 0;
  std::uint32_t line = 0;  // 1-based; 0 means "no position"
  std::uint32_t column = 0;
  std::uint32_t end_line = 0;  // inclusive end position
  std::uint32_t end_column = 0;

  bool valid() const { return line != 0; }
};

struct SourceFile {
  std::string path;                      // as given by the user, for messages
  std::string text;                      // UTF-8 contents
  std::vector<std::size_t> line_starts;  // byte offset of each line (after LF, CRLF or lone CR)

  SourceFile(std::string path_, std::string text_);
  // The text of a 1-based line without its line terminator.
  std::string_view line_text(std::uint32_t line) const;
  // The exact text a range covers (columns count code points), line breaks kept.
  std::string_view slice(const SourceRange& range) const;
  std::uint32_t line_count() const { return static_cast<std::uint32_t>(line_starts.size()); }
};

// `text` with every lone CR (classic Mac OS line ending) turned into LF: same length,
// so byte offsets are unchanged, and a lexer that counts LF only sees the same lines as
// SourceFile. CRLF is left as it is.
std::string lone_cr_to_lf(std::string_view text);

// All source files of a compilation; FileId indexes into it.
class SourceSet {
 public:
  FileId add(std::string path, std::string text);
  const SourceFile& file(FileId id) const { return files_.at(id); }
  std::size_t size() const { return files_.size(); }

 private:
  std::vector<SourceFile> files_;
};

}  // namespace tamis
