#pragma once
// Byte scanning for the CSV hot paths: the position of the first byte equal to one
// of a few given bytes (memchr only looks for one; a CSV field ends at the separator,
// a quote or a line end, whichever comes first), and masks of what 64 bytes hold, for
// the splitter. With SSE2 (part of every x86-64 processor), 16 bytes a compare; one
// byte a step elsewhere; and for the callers that choose them at run time, with AVX2
// (namespace avx2, 32 bytes a compare: cpu_has_avx2) and AVX-512 (namespace avx512,
// 64 bytes: cpu_has_avx512bw).
#include <cstddef>
#include <cstdint>

#include "support/bytes.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
// AVX2 and AVX-512 (BW) are not part of x86-64's baseline: the functions that use
// them are compiled for them alone (a target attribute), and called only when the
// processor has them (cpu_has_avx2, cpu_has_avx512bw). The AVX2 ones also use BMI1 and
// BMI2, which every processor with AVX2 has (tzcnt, blsr, shrx: the splitter's loop over
// a chunk's field ends in fewer instructions): 4,969 → 4,916 instructions per dossier on
// the bench's campaign (callgrind; split_regular_avx2 with what it calls, 1,732 → 1,659);
// and PCLMULQDQ, which they have too (prefix_xor in one carry-less multiply).
#define TAMIS_AVX512_DISPATCH 1
#define TAMIS_TARGET_AVX2 __attribute__((target("avx2,bmi,bmi2,pclmul")))
#define TAMIS_TARGET_AVX512 __attribute__((target("avx512f,avx512bw,bmi,bmi2,pclmul")))
#endif

namespace tamis::scan {

#if defined(__SSE2__)
namespace detail {

inline __m128i load16(const char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}
inline std::size_t ctz(unsigned mask) {
  return static_cast<std::size_t>(__builtin_ctz(mask));
}

// Index of the first byte of [p, p + n) that `hits` marks (bit i of hits(x): byte i of
// the 16 bytes x); n when none is. 16 bytes a step; the bytes after the last whole
// step are read by two loads that overlap and end at p + n (16 bytes when n >= 16, 8
// or 4 bytes when fewer), so that no byte past p + n is read and no tail is scanned a
// byte at a time: the texts looked at are short (CSV cells), and the byte loop cost
// more than the steps. Bytes the overlap reads twice were clean the first time.
template <class Hits>
[[gnu::always_inline]] inline std::size_t first_hit(const char* p, std::size_t n, Hits hits) {
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const unsigned mask = hits(load16(p + i));
    if (mask != 0) return i + ctz(mask);
  }
  if (i == n) return n;
  if (n >= 16) {
    const unsigned mask = hits(load16(p + n - 16));
    return mask != 0 ? n - 16 + ctz(mask) : n;
  }
  unsigned mask = 0;
  std::size_t half = 0;  // bytes [0, half) are bits [0, half), [n - half, n) the next half bits
  if (n >= 8) {
    half = 8;
    mask = hits(_mm_set_epi64x(0, static_cast<long long>(load_word<std::uint64_t>(p)))) & 0xFFu;
    mask |= (hits(_mm_set_epi64x(0, static_cast<long long>(load_word<std::uint64_t>(p + n - 8)))) &
             0xFFu)
            << 8;
  } else if (n >= 4) {
    half = 4;
    mask = hits(_mm_cvtsi32_si128(static_cast<int>(load_word<std::uint32_t>(p)))) & 0xFu;
    mask |= (hits(_mm_cvtsi32_si128(static_cast<int>(load_word<std::uint32_t>(p + n - 4)))) & 0xFu)
            << 4;
  } else {
    // 1 to 3 bytes: bit b stands for byte at[b] (0, n / 2, n - 1: in order).
    const std::size_t at[3] = {0, n / 2, n - 1};
    const auto byte = [&](std::size_t b) { return static_cast<unsigned char>(p[at[b]]); };
    mask = hits(_mm_cvtsi32_si128(byte(0) | byte(1) << 8 | byte(2) << 16)) & 0x7u;
    return mask != 0 ? at[ctz(mask)] : n;
  }
  if (mask == 0) return n;
  const std::size_t b = ctz(mask);
  return b < half ? b : n - half + (b - half);
}

}  // namespace detail
#endif

// Index of the first byte of [p, p + n) equal to a, b, c or d; n when none is.
inline std::size_t find_any_of(const char* p, std::size_t n, char a, char b, char c, char d) {
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a);
  const __m128i vb = _mm_set1_epi8(b);
  const __m128i vc = _mm_set1_epi8(c);
  const __m128i vd = _mm_set1_epi8(d);
  return detail::first_hit(p, n, [&](__m128i x) {
    return static_cast<unsigned>(_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
                     _mm_or_si128(_mm_cmpeq_epi8(x, vc), _mm_cmpeq_epi8(x, vd)))));
  });
#else
  for (std::size_t i = 0; i < n; ++i) {
    const char x = p[i];
    if (x == a || x == b || x == c || x == d) return i;
  }
  return n;
#endif
}

// Index of the first '"' or line feed of [p, p + n), n when there is none: where a CSV
// record's framing has something to decide.
inline std::size_t find_quote_or_newline(const char* p, std::size_t n) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i newline = _mm_set1_epi8('\n');
  return detail::first_hit(p, n, [&](__m128i x) {
    return static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, newline))));
  });
#else
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] == '"' || p[i] == '\n') return i;
  }
  return n;
#endif
}

// Length of the ASCII prefix of [p, p + n): the index of the first byte >= 0x80, or n.
inline std::size_t ascii_prefix(const char* p, std::size_t n) {
#if defined(__SSE2__)
  return detail::first_hit(p, n,
                           [](__m128i x) { return static_cast<unsigned>(_mm_movemask_epi8(x)); });
#else
  for (std::size_t i = 0; i < n; ++i) {
    if (static_cast<unsigned char>(p[i]) >= 0x80u) return i;
  }
  return n;
#endif
}

#if defined(__SSE2__)
// Of the 16 bytes x: bit i of `lead2` set when byte i is the lead byte of a two-byte
// UTF-8 sequence (C2–DF: the Latin letters with accents), of `continuation` when it is
// a continuation byte (80–BF).
inline void utf8_block_masks(__m128i x, unsigned& lead2, unsigned& continuation) {
  // As signed bytes, C2..DF are greater than C1 and less than E0; 80..BF are those
  // less than C0.
  lead2 = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(static_cast<char>(0xC1))),
                                      _mm_cmpgt_epi8(_mm_set1_epi8(static_cast<char>(0xE0)), x))));
  continuation = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_cmplt_epi8(x, _mm_set1_epi8(static_cast<char>(0xC0)))));
}
#endif

// True when the 16 bytes at p are ASCII and complete two-byte UTF-8 sequences, nothing
// else. False says nothing: the bytes are then checked one sequence at a time.
inline bool ascii_or_two_byte_utf8_block(const char* p) {
#if defined(__SSE2__)
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const auto high = static_cast<unsigned>(_mm_movemask_epi8(x));
  unsigned lead = 0;
  unsigned cont = 0;
  utf8_block_masks(x, lead, cont);
  return (lead | cont) == high && (lead << 1) == cont;
#else
  (void)p;
  return false;
#endif
}

// What the 64 bytes at p hold, for splitting CSV records: bit i stands for byte p[i].
// 64 bytes a step rather than 16: a record of 400 bytes is 7 steps, and the loop over
// a step's separators ends (a branch that mispredicts) 7 times instead of 27.
struct ChunkMasks {
  std::uint64_t separator;
  std::uint64_t high;  // 0x80 and above (not ASCII); and 0x00 from chunk_masks_nul_high
};

// kNulHigh: the NUL bytes (0x00) in `high` too (chunk_masks_nul_high).
template <bool kNulHigh>
inline ChunkMasks separator_and_high_masks(const char* p, char separator) {
  ChunkMasks m{0, 0};
#if defined(__SSE2__)
  const __m128i sep = _mm_set1_epi8(separator);
  const auto mask = [](__m128i v) {
    return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(v)));
  };
  for (unsigned i = 0; i < 4; ++i) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    m.separator |= mask(_mm_cmpeq_epi8(x, sep)) << (16 * i);
    // (Less one, signed and saturated, 0x00 is negative too: avx2::high_or_nul_bytes.)
    m.high |= mask(kNulHigh ? _mm_adds_epi8(x, _mm_set1_epi8(-1)) : x) << (16 * i);
  }
#else
  for (unsigned i = 0; i < 64; ++i) {
    const char c = p[i];
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (c == separator) m.separator |= bit;
    if (static_cast<unsigned char>(c) >= 0x80u || (kNulHigh && c == '\0')) m.high |= bit;
  }
#endif
  return m;
}

inline ChunkMasks chunk_masks(const char* p, char separator) {
  return separator_and_high_masks<false>(p, separator);
}

// As chunk_masks, with the NUL bytes (0x00) in `high` too: for a splitter that hands back
// every chunk whose high bytes the UTF-8 masks do not explain (RecordSplitter), a NUL byte is
// one of them, found with no NulSeen kept over the chunks.
inline ChunkMasks chunk_masks_nul_high(const char* p, char separator) {
  return separator_and_high_masks<true>(p, separator);
}

// The quotes of the 64 bytes at p (bit i for byte p[i]), and whether there is any: most
// chunks of a record have none, and the test alone is cheaper than the mask.
inline std::uint64_t quote_mask(const char* p) {
  std::uint64_t quotes = 0;
#if defined(__SSE2__)
  for (unsigned i = 0; i < 4; ++i) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    quotes |= std::uint64_t{static_cast<unsigned>(
                  _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('"'))))}
              << (16 * i);
  }
#else
  for (unsigned i = 0; i < 64; ++i)
    if (p[i] == '"') quotes |= std::uint64_t{1} << i;
#endif
  return quotes;
}
inline bool any_quote(const char* p) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  __m128i any = _mm_setzero_si128();
  for (unsigned i = 0; i < 4; ++i)
    any = _mm_or_si128(
        any, _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i)), quote));
  return _mm_movemask_epi8(any) != 0;
#else
  return quote_mask(p) != 0;
#endif
}

// Whether any of the 64-byte blocks added holds a NUL byte (0x00): the smallest byte at
// each position, kept over the blocks, and looked at once at the end (no mask a block:
// a NUL byte is rare, and only whether a record has one matters to the splitter).
class NulSeen {
 public:
  void add(const char* p) {
#if defined(__SSE2__)
    for (unsigned i = 0; i < 4; ++i)
      smallest_ =
          _mm_min_epu8(smallest_, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i)));
#else
    for (unsigned i = 0; i < 64; ++i) seen_ = seen_ || p[i] == '\0';
#endif
  }
  bool any() const {
#if defined(__SSE2__)
    return _mm_movemask_epi8(_mm_cmpeq_epi8(smallest_, _mm_setzero_si128())) != 0;
#else
    return seen_;
#endif
  }

 private:
#if defined(__SSE2__)
  __m128i smallest_ = _mm_set1_epi8(-1);
#else
  bool seen_ = false;
#endif
};

// Of the 64 bytes at p: the lead bytes of two-byte UTF-8 sequences (C2–DF: the Latin
// letters with accents) and the continuation bytes (80–BF). When these two masks make
// up all the non-ASCII bytes and each lead byte is followed by a continuation byte and
// each continuation byte preceded by a lead byte, the bytes are valid UTF-8.
struct Utf8Masks {
  std::uint64_t lead2;
  std::uint64_t continuation;
};

inline Utf8Masks utf8_masks(const char* p) {
  Utf8Masks m{0, 0};
#if defined(__SSE2__)
  for (unsigned i = 0; i < 4; ++i) {
    unsigned lead2 = 0;
    unsigned continuation = 0;
    utf8_block_masks(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i)), lead2,
                     continuation);
    m.lead2 |= std::uint64_t{lead2} << (16 * i);
    m.continuation |= std::uint64_t{continuation} << (16 * i);
  }
#else
  for (unsigned i = 0; i < 64; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (c >= 0xC2u && c <= 0xDFu) m.lead2 |= bit;
    if (c >= 0x80u && c <= 0xBFu) m.continuation |= bit;
  }
#endif
  return m;
}

// Of the 64 bytes at p: the lead bytes of three-byte UTF-8 sequences that any two
// continuation bytes may follow (E1–EC and EE–EF: ’, –, €; not E0 nor ED, whose second
// byte has a narrower range). A chunk whose non-ASCII bytes are these, two-byte leads
// and continuation bytes, each continuation byte the first after a lead or the second
// after a three-byte one, and no other, is valid UTF-8. Asked only of the chunks that
// two-byte sequences alone do not explain. With SSE2, 16 bytes a step: E1..EF moved to
// 80..8E, the signed bytes that stay negative once 113 is added, but for ED.
inline std::uint64_t utf8_lead3(const char* p) {
  std::uint64_t lead3 = 0;
#if defined(__SSE2__)
  for (unsigned i = 0; i < 4; ++i) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    const __m128i from_e1 = _mm_add_epi8(x, _mm_set1_epi8(static_cast<char>(0x9F)));
    const __m128i lead = _mm_andnot_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(static_cast<char>(0xED))),
                                          _mm_adds_epi8(from_e1, _mm_set1_epi8(113)));
    lead3 |= std::uint64_t{static_cast<unsigned>(_mm_movemask_epi8(lead))} << (16 * i);
  }
#else
  for (unsigned i = 0; i < 64; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c >= 0xE1u && c <= 0xEFu && c != 0xEDu) lead3 |= std::uint64_t{1} << i;
  }
#endif
  return lead3;
}

// Bit i of the result is the XOR of bits 0..i of x. Of a mask of quotes: the bytes
// from an opening quote (included) to its closing quote (excluded).
inline std::uint64_t prefix_xor(std::uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

#if defined(TAMIS_AVX512_DISPATCH)
// The same masks from AVX2 compares, 32 bytes each: for the processors without AVX-512
// (and valgrind, which runs AVX2 but not AVX-512).
namespace avx2 {

TAMIS_TARGET_AVX2 inline std::uint64_t mask64(__m256i low, __m256i high) {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(low)) |
         (std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(high))} << 32);
}

// Constants of the splitter's chunks, read from memory by the instructions that use them
// (defined in scan.cpp, as utf8_constants below): made in the splitter, the quote was a
// move and a broadcast a record (twice: for the whole chunks and for the last one) and a
// register kept over the chunks.
struct alignas(32) ChunkConstants {
  std::int8_t quote[32];  // '"'
  std::int8_t ones[32];   // all bits set: prefix_xor's multiplier (the first 16), and -1
};
extern const ChunkConstants chunk_constants;

// prefix_xor as one carry-less multiply by all ones: 12 instructions -> 3, on the
// chunks that hold a quote (about 4 a record on the bench's campaign): 4,206 -> 4,168
// instructions per dossier (callgrind).
TAMIS_TARGET_AVX2 inline std::uint64_t prefix_xor(std::uint64_t x) {
  return static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_clmulepi64_si128(
      _mm_cvtsi64_si128(static_cast<long long>(x)),
      _mm_load_si128(reinterpret_cast<const __m128i*>(chunk_constants.ones)), 0)));
}

TAMIS_TARGET_AVX2 inline std::uint64_t separator_mask(__m256i a, __m256i b, char separator) {
  const __m256i sep = _mm256_set1_epi8(separator);
  return mask64(_mm256_cmpeq_epi8(a, sep), _mm256_cmpeq_epi8(b, sep));
}

TAMIS_TARGET_AVX2 inline ChunkMasks chunk_masks(const char* p, char separator) {
  const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  return {separator_mask(a, b, separator), mask64(a, b)};
}

// As scan::chunk_masks_nul_high: the top bits of the bytes less one, signed and saturated
// (0x00 to -1, 0x80 stays -128, the other high bytes stay negative, ASCII stays positive).
TAMIS_TARGET_AVX2 inline __m256i high_or_nul_bytes(__m256i x) {
  return _mm256_adds_epi8(
      x, _mm256_load_si256(reinterpret_cast<const __m256i*>(chunk_constants.ones)));
}
TAMIS_TARGET_AVX2 inline ChunkMasks chunk_masks_nul_high(const char* p, char separator) {
  const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  return {separator_mask(a, b, separator), mask64(high_or_nul_bytes(a), high_or_nul_bytes(b))};
}

// As scan::quote_mask and scan::any_quote: the test one OR of the compares and a vptest,
// where the mask is two movemasks, a shift and an OR.
TAMIS_TARGET_AVX2 inline __m256i quote_bytes(const char* p) {
  return _mm256_cmpeq_epi8(
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)),
      _mm256_load_si256(reinterpret_cast<const __m256i*>(chunk_constants.quote)));
}
TAMIS_TARGET_AVX2 inline std::uint64_t quote_mask(const char* p) {
  return mask64(quote_bytes(p), quote_bytes(p + 32));
}
TAMIS_TARGET_AVX2 inline bool any_quote(const char* p) {
  const __m256i any = _mm256_or_si256(quote_bytes(p), quote_bytes(p + 32));
  return !_mm256_testz_si256(any, any);
}

// As scan::NulSeen, 32 bytes a compare.
class NulSeen {
 public:
  TAMIS_TARGET_AVX2 NulSeen() : smallest_(_mm256_set1_epi8(-1)) {}
  TAMIS_TARGET_AVX2 void add(const char* p) {
    smallest_ = _mm256_min_epu8(
        smallest_, _mm256_min_epu8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)),
                                   _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32))));
  }
  TAMIS_TARGET_AVX2 bool any() const {
    const __m256i zero = _mm256_cmpeq_epi8(smallest_, _mm256_setzero_si256());
    return !_mm256_testz_si256(zero, zero);  // a vptest rather than a movemask and a test
  }

 private:
  __m256i smallest_;
};

// The constants of utf8_masks, 32 bytes each. Defined in scan.cpp, so that its users do
// not see their values: GCC otherwise makes such a constant again where it is used (a move
// and a broadcast) when registers are short, as in the splitter's chunks; read from here,
// each is the memory operand of the instruction that uses it.
struct alignas(32) Utf8Constants {
  std::int8_t to_lead2[32];            // 0xBE: C2..DF to 80..9D
  std::int8_t lead2_limit[32];         // 98
  std::int8_t continuation_limit[32];  // 64
  std::int8_t to_lead3[32];            // 0x9F: E1..EF to 80..8E (utf8_lead3)
  std::int8_t lead3_limit[32];         // 113
  std::int8_t lead3_not[32];           // 0xED
};
extern const Utf8Constants utf8_constants;

// As utf8_block_masks, 32 bytes, as the top bits of saturating sums (movemask reads
// them), without compares (GCC makes each compare with a constant a minimum and an
// equality): C2..DF moved to 80..9D, then the signed bytes below -98 are the ones that stay
// negative once 98 is added; 80..BF are the signed bytes that stay negative once 64 is
// added. 26 instructions a chunk -> 14: 3,548 -> 3,528 instructions per dossier; its
// constants read from memory (utf8_constants), not made again in each chunk: 3,474 -> 3,446
// (callgrind; split_wanted_avx2 940 -> 917).
// (Functions, not lambdas: a lambda does not take its enclosing function's target
// attribute.)
TAMIS_TARGET_AVX2 inline __m256i load_constant(const std::int8_t* bytes) {
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(bytes));
}
TAMIS_TARGET_AVX2 inline __m256i lead2_bytes(__m256i x) {
  return _mm256_adds_epi8(_mm256_add_epi8(x, load_constant(utf8_constants.to_lead2)),
                          load_constant(utf8_constants.lead2_limit));
}
TAMIS_TARGET_AVX2 inline __m256i continuation_bytes(__m256i x) {
  return _mm256_adds_epi8(x, load_constant(utf8_constants.continuation_limit));
}

TAMIS_TARGET_AVX2 inline Utf8Masks utf8_masks(const char* p) {
  const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  return {mask64(lead2_bytes(a), lead2_bytes(b)),
          mask64(continuation_bytes(a), continuation_bytes(b))};
}

// As scan::utf8_lead3, 32 bytes a step: E1..EF moved to 80..8E, the signed bytes that stay
// negative once 113 is added, but for ED. Checking such a chunk sequence by sequence
// (text::first_invalid_utf8) cost about 180 instructions.
// Its constants read from utf8_constants too: made in the splitter, they were 9
// instructions a record for a mask that few chunks ask for.
TAMIS_TARGET_AVX2 inline __m256i lead3_bytes(__m256i x) {
  const __m256i from_e1 = _mm256_add_epi8(x, load_constant(utf8_constants.to_lead3));
  return _mm256_andnot_si256(_mm256_cmpeq_epi8(x, load_constant(utf8_constants.lead3_not)),
                             _mm256_adds_epi8(from_e1, load_constant(utf8_constants.lead3_limit)));
}
TAMIS_TARGET_AVX2 inline std::uint64_t utf8_lead3(const char* p) {
  return mask64(lead3_bytes(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))),
                lead3_bytes(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32))));
}

// find_quote_or_newline 32 bytes a step; the last bytes (fewer than 32) as above, so
// that no byte past p + n is read.
TAMIS_TARGET_AVX2 inline std::size_t find_quote_or_newline(const char* p, std::size_t n) {
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i newline = _mm256_set1_epi8('\n');
  std::size_t i = 0;
  // 64 bytes a step while they last: one test and branch for two compares of 32. The step
  // by a pointer to its last start: 3 instructions of loop a step, not 5.
  if (n >= 64) {
    const char* const last = p + (n - 64);
    for (const char* q = p; q <= last; q += 64) {
      const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
      const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + 32));
      const __m256i hits_a =
          _mm256_or_si256(_mm256_cmpeq_epi8(a, quote), _mm256_cmpeq_epi8(a, newline));
      const __m256i hits_b =
          _mm256_or_si256(_mm256_cmpeq_epi8(b, quote), _mm256_cmpeq_epi8(b, newline));
      if (_mm256_testz_si256(_mm256_or_si256(hits_a, hits_b), _mm256_or_si256(hits_a, hits_b)))
        continue;
      const std::uint64_t hits = mask64(hits_a, hits_b);
      return static_cast<std::size_t>(q - p) + static_cast<std::size_t>(__builtin_ctzll(hits));
    }
    i = (n / 64) * 64;
  }
  for (; i + 32 <= n; i += 32) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    const auto hits = static_cast<std::uint32_t>(_mm256_movemask_epi8(
        _mm256_or_si256(_mm256_cmpeq_epi8(x, quote), _mm256_cmpeq_epi8(x, newline))));
    if (hits != 0) return i + static_cast<std::size_t>(__builtin_ctz(hits));
  }
  return i + scan::find_quote_or_newline(p + i, n - i);
}

// quote_and_newline_masks' table lookup and compare of the 32 bytes at p, each reading them
// from memory (a memory operand): GCC loads them into a register once for both, a third
// instruction each 32 bytes of every chunk.
TAMIS_TARGET_AVX2 inline __m256i quote_or_newline_bytes(const char* p, __m256i table) {
  const auto& bytes = *reinterpret_cast<const char(*)[32]>(p);
  __m256i looked_up;
  __m256i hits;
  asm("vpshufb %[bytes], %[table], %[looked_up]"
      : [looked_up] "=x"(looked_up)
      : [bytes] "m"(bytes), [table] "x"(table));
  asm("vpcmpeqb %[bytes], %[looked_up], %[hits]"
      : [hits] "=x"(hits)
      : [bytes] "m"(bytes), [looked_up] "x"(looked_up));
  return hits;
}

// `p` as GCC sees it no more (an empty asm, no instruction): the address p + 32 of a
// compare after a branch is then not shared with the chunk's compares before it (GCC kept
// it in a register from there, a lea each chunk of the framer's loop: 2,014.7 instructions
// per dossier against 2,011.0 with a move after the branch).
inline const char* hidden(const char* p) {
  asm("" : "+r"(p));
  return p;
}

// The bytes at p (32) equal to those of `value`, each read from memory by the compare (a
// memory operand): where a chunk's bytes are compared twice (quote_and_newline_masks, then
// the framer's separators), GCC loaded them into registers, two moves a chunk: 2,013.8 ->
// 2,011.0 instructions per dossier (callgrind; frame_stream_avx2 213.8 -> 210.8).
TAMIS_TARGET_AVX2 inline __m256i equal_bytes(const char* p, __m256i value) {
  const auto& bytes = *reinterpret_cast<const char(*)[32]>(p);
  __m256i equal;
  asm("vpcmpeqb %[bytes], %[value], %[equal]"
      : [equal] "=x"(equal)
      : [bytes] "m"(bytes), [value] "x"(value));
  return equal;
}

// Of the 64 bytes at p: the quotes and the line feeds (bit i for p[i]), for framing
// records a chunk at a time across records (CsvReader::Impl::frame_stream). False, with
// neither mask made, when the chunk holds neither: most chunks of a record, stepped over
// at the cost of a find's step.
TAMIS_TARGET_AVX2 inline bool quote_and_newline_masks(const char* p, std::uint64_t& quotes,
                                                      std::uint64_t& newlines) {
  // A byte is a quote or a line feed when it equals the entry of this table its low four
  // bits pick (a byte of 0x80 and above picks 0): '"' at 2, '\n' at 10, elsewhere a byte
  // whose low four bits are not the entry's index. One shuffle and one compare for both,
  // rather than two compares and an OR: 2 instructions less a chunk, most of which hold
  // neither.
  const __m256i table =
      _mm256_setr_epi8(-1, -1, '"', -1, -1, -1, -1, -1, -1, -1, '\n', -1, -1, -1, -1, 0, -1, -1,
                       '"', -1, -1, -1, -1, -1, -1, -1, '\n', -1, -1, -1, -1, 0);
  const __m256i hits_a = quote_or_newline_bytes(p, table);
  const __m256i hits_b = quote_or_newline_bytes(p + 32, table);
  const __m256i any = _mm256_or_si256(hits_a, hits_b);
  if (_mm256_testz_si256(any, any)) return false;
  const __m256i quote = _mm256_set1_epi8('"');
  const char* const bytes = hidden(p);
  quotes = mask64(equal_bytes(bytes, quote), equal_bytes(bytes + 32, quote));
  newlines = mask64(hits_a, hits_b) & ~quotes;  // one andn, where ^ took a move and a xor
  return true;
}

}  // namespace avx2

// The same masks from AVX-512 compares, which give 64-bit masks directly: a chunk is
// one load and a few instructions instead of four loads, 32 instructions and shifts.
namespace avx512 {

TAMIS_TARGET_AVX512 inline ChunkMasks chunk_masks(const char* p, char separator) {
  const __m512i x = _mm512_loadu_si512(p);
  return {_mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(separator)), _mm512_movepi8_mask(x)};
}
TAMIS_TARGET_AVX512 inline ChunkMasks chunk_masks_nul_high(const char* p, char separator) {
  const __m512i x = _mm512_loadu_si512(p);
  return {_mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(separator)),
          _mm512_cmple_epi8_mask(x, _mm512_setzero_si512())};
}
TAMIS_TARGET_AVX512 inline std::uint64_t quote_mask(const char* p) {
  return _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(p), _mm512_set1_epi8('"'));
}
TAMIS_TARGET_AVX512 inline bool any_quote(const char* p) {
  return quote_mask(p) != 0;
}

// As scan::NulSeen, 64 bytes a compare.
class NulSeen {
 public:
  TAMIS_TARGET_AVX512 NulSeen() : smallest_(_mm512_set1_epi8(-1)) {}
  TAMIS_TARGET_AVX512 void add(const char* p) {
    smallest_ = _mm512_min_epu8(smallest_, _mm512_loadu_si512(p));
  }
  TAMIS_TARGET_AVX512 bool any() const { return _mm512_testn_epi8_mask(smallest_, smallest_) != 0; }

 private:
  __m512i smallest_;
};

TAMIS_TARGET_AVX512 inline Utf8Masks utf8_masks(const char* p) {
  const __m512i x = _mm512_loadu_si512(p);
  // C2..DF: x - C2 below 1E, unsigned.
  const __m512i from_c2 = _mm512_sub_epi8(x, _mm512_set1_epi8(static_cast<char>(0xC2)));
  return {_mm512_cmplt_epu8_mask(from_c2, _mm512_set1_epi8(0x1E)),
          _mm512_cmplt_epi8_mask(x, _mm512_set1_epi8(static_cast<char>(0xC0)))};
}

// As scan::utf8_lead3: E1..EF (x - E1 below 0F, unsigned), but ED.
TAMIS_TARGET_AVX512 inline std::uint64_t utf8_lead3(const char* p) {
  const __m512i x = _mm512_loadu_si512(p);
  const __m512i from_e1 = _mm512_sub_epi8(x, _mm512_set1_epi8(static_cast<char>(0xE1)));
  return _mm512_cmplt_epu8_mask(from_e1, _mm512_set1_epi8(0x0F)) &
         ~_mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(static_cast<char>(0xED)));
}

// find_quote_or_newline 64 bytes a step; the last bytes (fewer than 64) as above, so
// that no byte past p + n is read.
TAMIS_TARGET_AVX512 inline std::size_t find_quote_or_newline(const char* p, std::size_t n) {
  const __m512i quote = _mm512_set1_epi8('"');
  const __m512i newline = _mm512_set1_epi8('\n');
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m512i x = _mm512_loadu_si512(p + i);
    const std::uint64_t hits =
        _mm512_cmpeq_epi8_mask(x, quote) | _mm512_cmpeq_epi8_mask(x, newline);
    if (hits != 0) return i + static_cast<std::size_t>(_tzcnt_u64(hits));
  }
  return i + scan::find_quote_or_newline(p + i, n - i);
}

// As avx2::quote_and_newline_masks, 64 bytes a compare.
TAMIS_TARGET_AVX512 inline bool quote_and_newline_masks(const char* p, std::uint64_t& quotes,
                                                        std::uint64_t& newlines) {
  const __m512i x = _mm512_loadu_si512(p);
  quotes = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('"'));
  newlines = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\n'));
  return (quotes | newlines) != 0;
}

}  // namespace avx512

// Whether this processor runs the avx2 and avx512 functions (asked once, then remembered).
inline bool cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
                          __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("pclmul");
  return has;
}
inline bool cpu_has_avx512bw() {
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  return has;
}
#else
inline bool cpu_has_avx2() {
  return false;
}
inline bool cpu_has_avx512bw() {
  return false;
}
#endif

// Of the 64 bytes at p: the quotes and the line feeds (bit i for p[i]); false when there
// is neither (avx2::quote_and_newline_masks, 16 bytes a compare).
inline bool quote_and_newline_masks(const char* p, std::uint64_t& quotes, std::uint64_t& newlines) {
  quotes = 0;
  newlines = 0;
#if defined(__SSE2__)
  const auto mask = [](__m128i v) {
    return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(v)));
  };
  for (unsigned i = 0; i < 4; ++i) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    quotes |= mask(_mm_cmpeq_epi8(x, _mm_set1_epi8('"'))) << (16 * i);
    newlines |= mask(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))) << (16 * i);
  }
#else
  for (unsigned i = 0; i < 64; ++i) {
    if (p[i] == '"') quotes |= std::uint64_t{1} << i;
    if (p[i] == '\n') newlines |= std::uint64_t{1} << i;
  }
#endif
  return (quotes | newlines) != 0;
}

}  // namespace tamis::scan
