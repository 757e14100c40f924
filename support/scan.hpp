#pragma once
// Byte scanning for the CSV hot paths: the position of the first byte equal to
// one of a few given bytes, 16 bytes per step with SSE2 (part of every x86-64
// CPU), one byte per step elsewhere. memchr only looks for one byte; a CSV
// field ends at the separator, a quote or a line end, whichever comes first.
#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tamis::scan {

// Index of the first byte of [p, p + n) equal to a, b, c or d; n when none is.
inline std::size_t find_any_of(const char* p, std::size_t n, char a, char b, char c, char d) {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a);
  const __m128i vb = _mm_set1_epi8(b);
  const __m128i vc = _mm_set1_epi8(c);
  const __m128i vd = _mm_set1_epi8(d);
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
                                     _mm_or_si128(_mm_cmpeq_epi8(x, vc), _mm_cmpeq_epi8(x, vd)));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < n; ++i) {
    const char x = p[i];
    if (x == a || x == b || x == c || x == d) return i;
  }
  return n;
}

// Length of the ASCII prefix of [p, p + n): the index of the first byte >= 0x80, or n.
inline std::size_t ascii_prefix(const char* p, std::size_t n) {
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(x));
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < n; ++i) {
    if (static_cast<unsigned char>(p[i]) >= 0x80u) return i;
  }
  return n;
}

// True when the 16 bytes at p are ASCII and complete two-byte UTF-8 sequences (a lead
// byte C2–DF then a continuation byte: the Latin letters with accents), nothing else.
// False says nothing: the bytes are then checked one sequence at a time.
inline bool ascii_or_two_byte_utf8_block(const char* p) {
#if defined(__SSE2__)
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const auto high = static_cast<unsigned>(_mm_movemask_epi8(x));
  const auto cont = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(x, _mm_set1_epi8(static_cast<char>(0xC0))),
                                       _mm_set1_epi8(static_cast<char>(0x80)))));
  // C2..DF as signed bytes: greater than C1 and less than E0.
  const auto lead = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(static_cast<char>(0xC1))),
                                      _mm_cmpgt_epi8(_mm_set1_epi8(static_cast<char>(0xE0)), x))));
  return (lead | cont) == high && (lead << 1) == cont;
#else
  (void)p;
  return false;
#endif
}

// What the 16 bytes at p hold, for splitting CSV records: bit i stands for byte p[i].
struct BlockMasks {
  unsigned separator;
  unsigned quote;
  unsigned nul;   // 0x00
  unsigned high;  // 0x80 and above (not ASCII)
};

inline BlockMasks block_masks(const char* p, char separator) {
#if defined(__SSE2__)
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const auto mask = [](__m128i v) { return static_cast<unsigned>(_mm_movemask_epi8(v)); };
  return {mask(_mm_cmpeq_epi8(x, _mm_set1_epi8(separator))),
          mask(_mm_cmpeq_epi8(x, _mm_set1_epi8('"'))), mask(_mm_cmpeq_epi8(x, _mm_setzero_si128())),
          mask(x)};
#else
  BlockMasks m{0, 0, 0, 0};
  for (unsigned i = 0; i < 16; ++i) {
    const char c = p[i];
    m.separator |= static_cast<unsigned>(c == separator) << i;
    m.quote |= static_cast<unsigned>(c == '"') << i;
    m.nul |= static_cast<unsigned>(c == '\0') << i;
    m.high |= static_cast<unsigned>(static_cast<unsigned char>(c) >= 0x80u) << i;
  }
  return m;
#endif
}

}  // namespace tamis::scan
