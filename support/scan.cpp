#include "support/scan.hpp"

namespace tamis::scan {

#if defined(TAMIS_AVX512_DISPATCH)
namespace avx2 {

namespace {

constexpr Utf8Constants make_utf8_constants() {
  Utf8Constants constants{};
  for (std::size_t i = 0; i < 32; ++i) {
    constants.to_lead2[i] = static_cast<std::int8_t>(-0x42);  // 0xBE
    constants.lead2_limit[i] = 98;
    constants.continuation_limit[i] = 64;
    constants.to_lead3[i] = static_cast<std::int8_t>(-0x61);  // 0x9F
    constants.lead3_limit[i] = 113;
    constants.lead3_not[i] = static_cast<std::int8_t>(-0x13);  // 0xED
  }
  return constants;
}

constexpr ChunkConstants make_chunk_constants() {
  ChunkConstants constants{};
  for (std::int8_t& byte : constants.quote) byte = '"';
  for (std::int8_t& byte : constants.ones) byte = -1;
  return constants;
}

}  // namespace

const Utf8Constants utf8_constants = make_utf8_constants();

const ChunkConstants chunk_constants = make_chunk_constants();

}  // namespace avx2
#endif

}  // namespace tamis::scan
