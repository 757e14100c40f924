#pragma once
// Short byte strings by machine words: unaligned loads, comparison and copy, inline. The
// texts of the hot paths (CSV cells, labels, identifiers) are a few dozen bytes, where a
// call to memcmp or memcpy costs more than the work; the last bytes are taken by a load
// that overlaps the one before and ends at the text's end, never past it.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tamis {

// The `Word` (std::uint32_t or std::uint64_t) at p, whatever its alignment.
template <typename Word>
inline Word load_word(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// [a, a + n) == [b, b + n), for n >= 16: 16 bytes a step (SSE2), the last step
// overlapping the one before and ending at the strings' end. The hot comparisons of
// decoding (a set cell met before, an enumeration's or a table's spelling of more than 16
// bytes) are of 17 to 64 bytes, where 8-byte steps took 3 to 8 (51 instructions a dossier
// more on the bench's campaign, measured).
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

// a == b. Always inline: the decoder's loop compares set cells with it, and GCC called
// it there once the loop's set-cell lookups were split (43 instructions a dossier).
[[gnu::always_inline]] inline bool same_bytes(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  using W8 = std::uint64_t;
  using W4 = std::uint32_t;
  if (n >= 16) return same_blocks(p, q, n);
  if (n >= 8) {
    W8 diff = 0;
    for (std::size_t i = 0; i + 8 < n; i += 8) diff |= load_word<W8>(p + i) ^ load_word<W8>(q + i);
    return (diff | (load_word<W8>(p + n - 8) ^ load_word<W8>(q + n - 8))) == 0;
  }
  if (n >= 4) {
    return ((load_word<W4>(p) ^ load_word<W4>(q)) |
            (load_word<W4>(p + n - 4) ^ load_word<W4>(q + n - 4))) == 0;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

// Copies `n` bytes to `to` and returns the end (memcpy beyond 16 bytes).
inline char* copy_bytes(char* to, const char* from, std::size_t n) {
  const auto copy_two = [&](auto word) {  // two overlapping words of this size
    using Word = decltype(word);
    const Word first = load_word<Word>(from);
    const Word last = load_word<Word>(from + n - sizeof(Word));
    std::memcpy(to, &first, sizeof(Word));
    std::memcpy(to + n - sizeof(Word), &last, sizeof(Word));
  };
  if (n > 16) {
    std::memcpy(to, from, n);
  } else if (n >= 8) {
    copy_two(std::uint64_t{});
  } else if (n >= 4) {
    copy_two(std::uint32_t{});
  } else {
    for (std::size_t i = 0; i < n; ++i) to[i] = from[i];
  }
  return to + n;
}

// Copies `n` bytes to `to` as whole 16-byte blocks and returns to + n: reads and writes
// up to 15 bytes past n, so both sides must have that room (a padded copy, into a
// buffer's spare room). No branch on the size beyond the loop's.
inline char* copy_blocks(char* to, const char* from, std::size_t n) {
  for (std::size_t i = 0; i < n; i += 16) std::memcpy(to + i, from + i, 16);
  return to + n;
}

// What copy_blocks does (at least one block read and written, whatever `n`), for bytes
// often 32 to 128 long (a run of a result row's cells): up to 32 bytes as whole blocks;
// up to 128 as two overlapping halves that end at `n` (4 or 8 loads and stores, no loop:
// 3,414 -> 3,401 instructions per dossier, 16-byte steps taking about 5 instructions a
// block); longer ones by copy_blocks.
inline char* copy_padded(char* to, const char* from, std::size_t n) {
#if defined(__SSE2__)
  const auto load = [](const char* p) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  };
  const auto store = [](char* p, __m128i x) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), x); };
  // Longer than 32 bytes first (a run of cells usually is): two tests for 33 to 64 bytes,
  // three for 65 to 128, not three and four (write_outputs 239 -> 236 instructions a dossier).
  if (n > 32) {
    if (n <= 64) {
      const __m128i a = load(from), b = load(from + 16);
      const __m128i c = load(from + n - 32), d = load(from + n - 16);
      store(to, a);
      store(to + 16, b);
      store(to + n - 32, c);
      store(to + n - 16, d);
    } else if (n <= 128) {
      const __m128i a = load(from), b = load(from + 16), c = load(from + 32), d = load(from + 48);
      const __m128i e = load(from + n - 64), f = load(from + n - 48), g = load(from + n - 32),
                    h = load(from + n - 16);
      store(to, a);
      store(to + 16, b);
      store(to + 32, c);
      store(to + 48, d);
      store(to + n - 64, e);
      store(to + n - 48, f);
      store(to + n - 32, g);
      store(to + n - 16, h);
    } else {
      copy_blocks(to, from, n);
    }
  } else if (n > 16) {
    const __m128i a = load(from), b = load(from + 16);
    store(to, a);
    store(to + 16, b);
  } else {
    store(to, load(from));
  }
  return to + n;
#else
  return copy_blocks(to, from, n);
#endif
}

}  // namespace tamis
