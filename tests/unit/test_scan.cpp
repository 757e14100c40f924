// support/scan.hpp's searches against a byte-by-byte search, for every length up to
// past two 16-byte steps (past two 64-byte steps for find_quote_or_newline) and every
// position of the byte looked for. Each text is a
// buffer of exactly its length, so that the sanitizer build fails a read past its end.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "support/scan.hpp"

using namespace tamis;

namespace {

std::size_t naive_find(std::string_view text, std::string_view wanted) {
  const std::size_t at = text.find_first_of(wanted);
  return at == std::string_view::npos ? text.size() : at;
}

std::size_t naive_ascii_prefix(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0x80u) return i;
  }
  return text.size();
}

// Calls check(text) on texts of every length 0..max_length of filler bytes, with `hit`
// at one position, and at that position and a later one.
template <class Check>
void for_texts(char hit, Check check, std::size_t max_length = 70) {
  for (std::size_t n = 0; n <= max_length; ++n) {
    for (std::size_t first = 0; first <= n; ++first) {
      for (std::size_t second : {n, first + 1, n - (n > 0 ? 1 : 0)}) {
        const auto bytes = std::make_unique<char[]>(n == 0 ? 1 : n);
        for (std::size_t i = 0; i < n; ++i) bytes[i] = static_cast<char>('a' + i % 26);
        if (first < n) bytes[first] = hit;
        if (second < n && second > first) bytes[second] = hit;
        check(std::string_view(bytes.get(), n));
      }
    }
  }
}

}  // namespace

TEST_CASE("scan::find_any_of finds the first of four bytes at any length", "[scan]") {
  for (char hit : {',', '"', '\n', '\r'}) {
    for_texts(hit, [](std::string_view text) {
      INFO("length " << text.size());
      CHECK(scan::find_any_of(text.data(), text.size(), ',', '"', '\n', '\r') ==
            naive_find(text, ",\"\n\r"));
    });
  }
}

TEST_CASE("scan::find_quote_or_newline at any length, with each instruction set", "[scan]") {
  // Up to 140 bytes: AVX2's steps of 64 bytes, then of 32, then the last bytes.
  for (char hit : {'"', '\n'}) {
    for_texts(
        hit,
        [](std::string_view text) {
          INFO("length " << text.size());
          const std::size_t expected = naive_find(text, "\"\n");
          CHECK(scan::find_quote_or_newline(text.data(), text.size()) == expected);
#if defined(TAMIS_AVX512_DISPATCH)
          if (scan::cpu_has_avx2()) {
            CHECK(scan::avx2::find_quote_or_newline(text.data(), text.size()) == expected);
          }
          if (scan::cpu_has_avx512bw()) {
            CHECK(scan::avx512::find_quote_or_newline(text.data(), text.size()) == expected);
          }
#endif
        },
        140);
  }
}

TEST_CASE("scan::ascii_prefix stops at the first byte above 0x7F at any length", "[scan]") {
  for (char hit : {'\xC3', '\x80', '\xFF'}) {
    for_texts(hit, [](std::string_view text) {
      INFO("length " << text.size());
      CHECK(scan::ascii_prefix(text.data(), text.size()) == naive_ascii_prefix(text));
    });
  }
}

TEST_CASE("scan::utf8_masks marks every byte value rightly, with each instruction set", "[scan]") {
  // Each of the 256 byte values at each of the 64 positions, among ASCII bytes: a lead
  // byte of a two-byte sequence is C2..DF, a continuation byte 80..BF.
  for (unsigned value = 0; value < 256; ++value) {
    for (std::size_t at = 0; at < 64; ++at) {
      char bytes[64];
      for (std::size_t i = 0; i < 64; ++i) bytes[i] = static_cast<char>('a' + i % 26);
      bytes[at] = static_cast<char>(value);
      const std::uint64_t bit = std::uint64_t{1} << at;
      const std::uint64_t lead2 = value >= 0xC2 && value <= 0xDF ? bit : 0;
      const std::uint64_t continuation = value >= 0x80 && value <= 0xBF ? bit : 0;
      INFO("byte " << value << " at " << at);
      const scan::Utf8Masks sse2 = scan::utf8_masks(bytes);
      CHECK(sse2.lead2 == lead2);
      CHECK(sse2.continuation == continuation);
#if defined(TAMIS_AVX512_DISPATCH)
      if (scan::cpu_has_avx2()) {
        const scan::Utf8Masks avx2 = scan::avx2::utf8_masks(bytes);
        CHECK(avx2.lead2 == lead2);
        CHECK(avx2.continuation == continuation);
      }
      if (scan::cpu_has_avx512bw()) {
        const scan::Utf8Masks avx512 = scan::avx512::utf8_masks(bytes);
        CHECK(avx512.lead2 == lead2);
        CHECK(avx512.continuation == continuation);
      }
#endif
    }
  }
}

TEST_CASE("scan::utf8_lead3 marks every byte value rightly, with each instruction set", "[scan]") {
  // Each of the 256 byte values at each of the 64 positions, among ASCII bytes: a lead
  // byte of a three-byte sequence that any continuation bytes may follow is E1..EC or
  // EE..EF.
  for (unsigned value = 0; value < 256; ++value) {
    for (std::size_t at = 0; at < 64; ++at) {
      char bytes[64];
      for (std::size_t i = 0; i < 64; ++i) bytes[i] = static_cast<char>('a' + i % 26);
      bytes[at] = static_cast<char>(value);
      const std::uint64_t lead3 =
          value >= 0xE1 && value <= 0xEF && value != 0xED ? std::uint64_t{1} << at : 0;
      INFO("byte " << value << " at " << at);
      CHECK(scan::utf8_lead3(bytes) == lead3);
#if defined(TAMIS_AVX512_DISPATCH)
      if (scan::cpu_has_avx2()) CHECK(scan::avx2::utf8_lead3(bytes) == lead3);
      if (scan::cpu_has_avx512bw()) CHECK(scan::avx512::utf8_lead3(bytes) == lead3);
#endif
    }
  }
}

TEST_CASE("scan::quote_mask and any_quote, with each instruction set", "[scan]") {
  // No quote, then a quote at each of the 64 positions, then two (the first and each
  // other), among bytes that are not quotes (0x22 with another top bit, 0xA2, among them).
  for (std::size_t first = 0; first <= 64; ++first) {
    for (std::size_t second = first; second < 64; ++second) {
      char bytes[64];
      for (std::size_t i = 0; i < 64; ++i) bytes[i] = static_cast<char>(i % 2 == 0 ? 0xA2 : 'a');
      std::uint64_t quotes = 0;
      if (first < 64) {
        bytes[first] = bytes[second] = '"';
        quotes = (std::uint64_t{1} << first) | (std::uint64_t{1} << second);
      }
      INFO("quotes at " << first << " and " << second);
      CHECK(scan::quote_mask(bytes) == quotes);
      CHECK(scan::any_quote(bytes) == (quotes != 0));
#if defined(TAMIS_AVX512_DISPATCH)
      if (scan::cpu_has_avx2()) {
        CHECK(scan::avx2::quote_mask(bytes) == quotes);
        CHECK(scan::avx2::any_quote(bytes) == (quotes != 0));
      }
      if (scan::cpu_has_avx512bw()) {
        CHECK(scan::avx512::quote_mask(bytes) == quotes);
        CHECK(scan::avx512::any_quote(bytes) == (quotes != 0));
      }
#endif
      if (first == 64) break;
    }
  }
}

TEST_CASE("scan::prefix_xor: bit i the XOR of bits 0..i, with each instruction set", "[scan]") {
  // One bit, two bits (a quoted run), random masks, none and all: against a bit loop.
  std::uint64_t random = 0x9E3779B97F4A7C15u;
  std::vector<std::uint64_t> masks{0, ~std::uint64_t{0}, std::uint64_t{1} << 63};
  for (unsigned a = 0; a < 64; ++a) {
    masks.push_back(std::uint64_t{1} << a);
    masks.push_back((std::uint64_t{1} << a) | (std::uint64_t{1} << ((a * 7 + 3) % 64)));
  }
  for (int i = 0; i < 200; ++i) {
    random ^= random << 13;
    random ^= random >> 7;
    random ^= random << 17;
    masks.push_back(random);
  }
  for (const std::uint64_t x : masks) {
    std::uint64_t expected = 0;
    unsigned running = 0;
    for (unsigned b = 0; b < 64; ++b) {
      running ^= static_cast<unsigned>(x >> b) & 1u;
      expected |= std::uint64_t{running} << b;
    }
    INFO("mask " << x);
    CHECK(scan::prefix_xor(x) == expected);
#if defined(TAMIS_AVX512_DISPATCH)
    if (scan::cpu_has_avx2()) CHECK(scan::avx2::prefix_xor(x) == expected);
#endif
  }
}
