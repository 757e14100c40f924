#pragma once
// Opens a campaign file whatever the spreadsheet did to it: UTF-8 with or without
// BOM, or Windows-1252 (detected, or forced), converted to UTF-8 as it is read.
#include <istream>
#include <memory>
#include <optional>
#include <string>

namespace tamis::io {

enum class Encoding { Auto, Utf8, Windows1252 };

struct CampaignInput {
  std::unique_ptr<std::istream> stream;  // UTF-8 bytes
  Encoding encoding = Encoding::Utf8;    // what was read (after detection)
  std::string error;                     // French; set when the file cannot be opened
};

// `requested` Auto: UTF-8 when the first 64 KiB are valid UTF-8, else Windows-1252.
CampaignInput open_campaign(const std::string& path, Encoding requested);

// Parses "auto", "utf-8"/"utf8", "windows-1252"/"cp1252"/"latin-1"/"latin1"/"iso-8859-1".
std::optional<Encoding> parse_encoding(const std::string& name);

const char* encoding_name(Encoding e);

}  // namespace tamis::io
