#pragma once
// What a result row's writing uses with AVX2, for the functions compiled for it (a target
// attribute: support/scan.hpp) and called only on a processor that has it: a usual text's
// cell checked and copied 32 bytes a step (CsvCellWriter::put_usual_text_at_avx2), and
// kept bytes copied 32 bytes at a time. Inline, so that the AVX2 version of the row's
// writing (Classifier::write_outputs_avx2) has them without a call.
#include <cstddef>
#include <string_view>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/csv_cell.hpp"
#include "support/scan.hpp"

#if defined(TAMIS_AVX512_DISPATCH)
namespace tamis::runtime::avx2 {

// The bytes put_text_to sends the general way, 32 of each: , " and 13 (the control bytes up
// to 13 are those whose minimum with 13 is themselves). Read through a pointer GCC does not
// follow (usual_text_constants), so that each is one load, or the memory operand of a
// compare, not a move and a broadcast made again at each call (3 instructions each).
struct alignas(32) UsualTextConstants {
  char comma[32];
  char quote[32];
  char last_control[32];
};
constexpr UsualTextConstants make_usual_text_constants() {
  UsualTextConstants constants{};
  for (std::size_t i = 0; i < 32; ++i) {
    constants.comma[i] = ',';
    constants.quote[i] = '"';
    constants.last_control[i] = 13;
  }
  return constants;
}
inline constexpr UsualTextConstants kUsualTextConstants = make_usual_text_constants();

// Not lambdas: those would not have the target attribute.
TAMIS_TARGET_AVX2 inline __m256i load_constant32(const char* bytes) {
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(bytes));
}
TAMIS_TARGET_AVX2 inline __m128i load_constant16(const char* bytes) {
  return _mm_load_si128(reinterpret_cast<const __m128i*>(bytes));
}
// The bytes of `x` that are not usual (put_text_to), set to all ones.
TAMIS_TARGET_AVX2 inline __m256i unusual_bytes(__m256i x, const UsualTextConstants& k) {
  const __m256i control = _mm256_cmpeq_epi8(_mm256_min_epu8(x, load_constant32(k.last_control)), x);
  return _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(x, load_constant32(k.comma)),
                                         _mm256_cmpeq_epi8(x, load_constant32(k.quote))),
                         control);
}
TAMIS_TARGET_AVX2 inline __m128i unusual_bytes(__m128i x, const UsualTextConstants& k) {
  const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(x, load_constant16(k.last_control)), x);
  return _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, load_constant16(k.comma)),
                                   _mm_cmpeq_epi8(x, load_constant16(k.quote))),
                      control);
}
// Copies the 32 (16) bytes at from + at to to + at; returns those that are not usual.
TAMIS_TARGET_AVX2 inline __m256i copy_checked32(char* to, const char* from, std::size_t at,
                                                const UsualTextConstants& k) {
  const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(from + at));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(to + at), x);
  return unusual_bytes(x, k);
}
TAMIS_TARGET_AVX2 inline __m128i copy_checked16(char* to, const char* from, std::size_t at,
                                                const UsualTextConstants& k) {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + at));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(to + at), x);
  return unusual_bytes(x, k);
}

// CsvCellWriter::put_usual_text_at_avx2: a text of 32 bytes or more 32 bytes a step, the
// last step the 32 bytes that end it (up to 64 bytes, two steps and no loop); one of 16 to
// 31 bytes as two overlapping 16-byte steps. What is not usual is gathered over the steps
// and tested once, at the end.
TAMIS_TARGET_AVX2 inline char* put_usual_text_at(char* p, const graph::Value& v, char after) {
  if (!v.present) {
    *p = after;
    return p + 1;
  }
  const char* const from = v.text;
  const std::size_t n = v.size;
  if (n < 16 || n >= CsvCellWriter::kTextRoom) return nullptr;
  const UsualTextConstants* k = &kUsualTextConstants;
  asm("" : "+r"(k));  // its bytes unknown to GCC: loaded, not made (UsualTextConstants)
  if (n >= 32) {
    __m256i unusual =
        _mm256_or_si256(copy_checked32(p, from, 0, *k), copy_checked32(p, from, n - 32, *k));
    for (std::size_t i = 32; i + 32 < n; i += 32)
      unusual = _mm256_or_si256(unusual, copy_checked32(p, from, i, *k));
    if (!_mm256_testz_si256(unusual, unusual)) return nullptr;
  } else {
    const __m128i unusual =
        _mm_or_si128(copy_checked16(p, from, 0, *k), copy_checked16(p, from, n - 16, *k));
    if (!_mm_testz_si128(unusual, unusual)) return nullptr;
  }
  p[n] = after;
  return p + n + 1;
}

// copy_padded 32 bytes at a time: up to 32 bytes one block, up to 64 two, up to 128 two
// overlapping halves of two blocks each, longer ones by 32-byte blocks. Reads and writes
// up to 31 bytes past n: KeptCells pads its bytes and its room to 32.
TAMIS_TARGET_AVX2 inline char* copy_padded(char* to, const char* from, std::size_t n) {
  if (n > 64) {
    if (n <= 128) {
      const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(from));
      const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(from + 32));
      const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(from + n - 64));
      const __m256i d = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(from + n - 32));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(to), a);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(to + 32), b);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(to + n - 64), c);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(to + n - 32), d);
    } else {
      for (std::size_t i = 0; i < n; i += 32) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(to + i),
                            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(from + i)));
      }
    }
  } else if (n > 32) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(from));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(from + n - 32));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(to), a);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(to + n - 32), b);
  } else {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(to),
                        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(from)));
  }
  return to + n;
}

}  // namespace tamis::runtime::avx2

namespace tamis::runtime {
TAMIS_TARGET_AVX2 inline char* KeptCells::put_avx2(char* p, std::uint64_t key) const {
  const Slot& slot = slots_[slot_of(key)];
  if (slot.key != key) return nullptr;  // an empty slot's key is never looked up there
  return avx2::copy_padded(p, bytes_.get() + slot.at, slot.size);
}
}  // namespace tamis::runtime
#endif
