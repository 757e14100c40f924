// The fast paths of the explanation writer's JSON strings (json_writer.hpp): the
// 16-byte scan, the short tails, the growth of ByteBuffer, and the non-throwing
// variant, against what nlohmann's dump() writes or throws.
#include <random>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/explain/json_writer.hpp"

using nlohmann::json;
using tamis::runtime::json_out::ByteBuffer;
using namespace std::string_view_literals;

namespace {

std::string dumped(const std::string& s) {
  try {
    return json(s).dump();
  } catch (const json::type_error& e) {
    return std::string("throws: ") + e.what();
  }
}

// append_string() into a ByteBuffer holding `prefix`; `out` must be left as it was on throw.
std::string written(ByteBuffer& out, const std::string& prefix, const std::string& s) {
  out.clear();
  out += prefix;
  try {
    tamis::runtime::json_out::append_string(out, s);
  } catch (const json::type_error& e) {
    REQUIRE(out.view() == prefix);
    return std::string("throws: ") + e.what();
  }
  REQUIRE(out.view().substr(0, prefix.size()) == prefix);
  return std::string(out.view().substr(prefix.size()));
}

}  // namespace

TEST_CASE("long json strings are escaped as nlohmann's dump() escapes them", "[explain][json]") {
  std::mt19937 rng(20250115);
  // The control characters, NUL included (hence the string_view literal, which keeps it).
  const std::string alphabet = std::string("abcdefghij ,.-'\"\\\t\n\x01\x1f\x7f\0"sv) +
                               "\xC3\xA9\xE2\x88\x88\xF0\x9F\x98\x80\x80\xBF\xC0\xED\xFF";
  // Mostly plain text, so that runs cross the 16-byte blocks.
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1), plain(0, 9);
  std::uniform_int_distribution<int> rare(0, 15);
  std::uniform_int_distribution<std::size_t> length(0, 90);
  ByteBuffer buffer;
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    for (std::size_t n = length(rng); n > 0; --n)
      s += rare(rng) == 0 ? alphabet[pick(rng)] : alphabet[plain(rng)];
    INFO(s);
    const std::string expected = dumped(s);
    REQUIRE(written(buffer, "prefix", s) == expected);
    std::string out = "prefix";
    try {
      tamis::runtime::json_out::append_string(out, s);
      REQUIRE(out.substr(6) == expected);
    } catch (const json::type_error& e) {
      REQUIRE(out == "prefix");
      REQUIRE(std::string("throws: ") + e.what() == expected);
    }
    // The inside of the string, and the variant that says no instead of throwing.
    buffer.clear();
    const bool utf8 = tamis::runtime::json_out::append_escaped_if_utf8(buffer, s);
    REQUIRE(utf8 == (expected.rfind("throws", 0) != 0));
    if (utf8) {
      REQUIRE(std::string(buffer.view()) == expected.substr(1, expected.size() - 2));
    } else {
      REQUIRE(buffer.size() == 0);
    }
  }
}

TEST_CASE("a ByteBuffer keeps its bytes as it grows", "[explain][json]") {
  ByteBuffer buffer;
  std::string expected;
  for (int i = 0; i < 5000; ++i) {
    const std::string piece(static_cast<std::size_t>(i % 97), static_cast<char>('a' + i % 26));
    buffer += piece;
    buffer += ',';
    expected += piece;
    expected += ',';
  }
  tamis::runtime::json_out::append_string(buffer, std::string(100000, 'x'));
  expected += '"' + std::string(100000, 'x') + '"';
  REQUIRE(buffer.view() == expected);
  buffer.truncate(10);
  REQUIRE(buffer.view() == expected.substr(0, 10));
}
