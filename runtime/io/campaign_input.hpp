#pragma once
// Opens a campaign file whatever the spreadsheet did to it: UTF-8 with or without
// BOM, Windows-1252 or UTF-16 (Excel « Texte Unicode »), detected or forced,
// converted to UTF-8 as it is read.
#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tamis::io {

enum class Encoding { Auto, Utf8, Windows1252, Utf16Le, Utf16Be };

struct CampaignInput {
  std::unique_ptr<std::istream> stream;  // UTF-8 bytes
  Encoding encoding = Encoding::Utf8;    // what was read (after detection)
  std::uint64_t bytes = 0;               // the file's size, before any conversion (0 when unknown)
  std::string error;                     // set when the file cannot be opened
};

// `requested` Auto looks at the first 64 KiB: UTF-16 when it starts with a UTF-16 BOM or
// has the NUL bytes of UTF-16 text; else UTF-8 when the header line is valid UTF-8
// with accented letters; else Windows-1252 when its non-ASCII bytes are
// mostly not UTF-8 (no valid multi-byte sequence, or far more invalid bytes than valid
// sequences); else UTF-8, where rows with invalid bytes are rejected one by one.
// A forced encoding is used as it is (no detection).
CampaignInput open_campaign(const std::string& path, Encoding requested);

// What auto-detection decides for the first bytes of a file (never Auto).
Encoding detect_encoding(std::string_view sample);

// Parses "auto", "utf-8"/"utf8", "windows-1252"/"cp1252"/"latin-1"/"latin1"/"iso-8859-1".
std::optional<Encoding> parse_encoding(const std::string& name);

const char* encoding_name(Encoding e);

}  // namespace tamis::io
