#pragma once
// Two byte strings of the same size, at least 16 bytes, compared 16 bytes a step (SSE2),
// the last step overlapping the one before and ending at the strings' end. The hot
// comparisons of decoding (a set cell met before, an enumeration's or a table's spelling
// of more than 16 bytes) are of 17 to 64 bytes, where same_bytes's 8-byte loop takes
// 3 to 8 steps.
#include <cstddef>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "support/bytes.hpp"

namespace tamis {

// [a, a + n) == [b, b + n), for n >= 16.
inline bool same_blocks(const char* a, const char* b, std::size_t n) {
#if defined(__SSE2__)
  const auto load = [](const char* p) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  };
  __m128i diff = _mm_xor_si128(load(a + n - 16), load(b + n - 16));
  for (std::size_t i = 0; i + 16 < n; i += 16)
    diff = _mm_or_si128(diff, _mm_xor_si128(load(a + i), load(b + i)));
  return _mm_movemask_epi8(_mm_cmpeq_epi8(diff, _mm_setzero_si128())) == 0xFFFF;
#else
  return std::memcmp(a, b, n) == 0;
#endif
}

}  // namespace tamis
