#pragma once
// A small JSON writer for the explanation documents, byte-compatible with nlohmann's
// compact `dump()`: strings escaped like its serializer (`"` `\` and \b \f \n \r \t
// as two-character escapes, other control characters as \u00xx in lower-case hex,
// everything else, non-ASCII included, as it is), integers in decimal. Invalid
// UTF-8 is refused exactly as `dump()` refuses it: the same nlohmann::json::type_error
// (316) with the same message.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace tamis::runtime::json_out {

// Appends `s` as a JSON string, quotes included: the bytes of nlohmann::json(s).dump().
void append_string(std::string& out, std::string_view s);

// Appends an unsigned integer as nlohmann::json(v).dump() writes it.
inline void append_uint(std::string& out, std::uint64_t v) {
  char buffer[20];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, result.ptr);
}

inline void append_bool(std::string& out, bool v) {
  out += v ? std::string_view("true") : std::string_view("false");
}

}  // namespace tamis::runtime::json_out
