#include "runtime/explain/json_writer.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "support/text.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tamis::runtime::json_out {

using namespace std::string_view_literals;

void ByteBuffer::grow(std::size_t n) {
  const std::size_t used = size();
  const std::size_t capacity = static_cast<std::size_t>(end_ - begin_);
  const std::size_t wanted = std::max(capacity * 2, used + n);
  auto bigger = std::make_unique<char[]>(wanted);
  if (used != 0) std::memcpy(bigger.get(), begin_, used);
  data_ = std::move(bigger);
  begin_ = data_.get();
  cur_ = begin_ + used;
  end_ = begin_ + wanted;
}

// ---------------------------------------------------------------------------
// JSON strings, escaped as nlohmann's serializer escapes them (ensure_ascii off).

namespace {

[[noreturn]] void refuse(std::string_view s) {
  // Let nlohmann say it, so that the exception is the one dump() throws.
  (void)nlohmann::json(std::string(s)).dump();
  throw nlohmann::json::type_error::create(316, "invalid UTF-8", nullptr);  // not reached
}

#if !defined(__SSE2__)
constexpr bool plain(unsigned c) {
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}
#endif

// Bytes an escaped string may take: 6 per byte (\u00xx) and the 16 a vector store
// may write past the end.
constexpr std::size_t room_for(std::size_t n) {
  return 6 * n + 16;
}

// Writes the escaped bytes of [p, end) at `dst`, which has room_for(end - p) bytes.
// Returns the end of what it wrote, or nullptr when the bytes are not UTF-8.
char* escape(char* dst, const unsigned char* p, const unsigned char* const end) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (;;) {
    // Copy plain ASCII up to the next byte that needs a look.
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    for (;;) {
      const auto left = static_cast<std::size_t>(end - p);
      __m128i v;
      unsigned past = 0;  // the lanes after the end, when fewer than 16 bytes are left
      if (left >= 16) {
        v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      } else {
        if (left == 0) return dst;
        alignas(16) unsigned char tail[16] = {};
        std::memcpy(tail, p, left);
        v = _mm_load_si128(reinterpret_cast<const __m128i*>(tail));
        past = 0xFFFFU << left;
      }
      _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), v);  // room_for() leaves 16 spare
      // Signed compare: below 0x20 is a control character or a byte ≥ 0x80.
      const __m128i special =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                       _mm_cmplt_epi8(v, space));
      const unsigned mask = (static_cast<unsigned>(_mm_movemask_epi8(special)) | past) & 0xFFFFU;
      if (mask == 0) {
        p += 16;
        dst += 16;
        continue;
      }
      const auto skip = static_cast<unsigned>(__builtin_ctz(mask));
      p += skip;
      dst += skip;
      break;
    }
#else
    while (p < end && plain(*p)) *dst++ = static_cast<char>(*p++);
#endif
    if (p == end) return dst;
    const unsigned c = *p;
    if (c >= 0x80) {
      const std::size_t n = text::utf8_sequence_length(
          std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(end - p)), 0);
      if (n == 0) return nullptr;
      for (std::size_t i = 0; i < n; ++i) *dst++ = static_cast<char>(p[i]);
      p += n;
      continue;
    }
    ++p;
    *dst++ = '\\';
    switch (c) {
      case '"':
      case '\\':
        *dst++ = static_cast<char>(c);
        break;
      case '\b':
        *dst++ = 'b';
        break;
      case '\t':
        *dst++ = 't';
        break;
      case '\n':
        *dst++ = 'n';
        break;
      case '\f':
        *dst++ = 'f';
        break;
      case '\r':
        *dst++ = 'r';
        break;
      default:
        *dst++ = 'u';
        *dst++ = '0';
        *dst++ = '0';
        *dst++ = kHex[c >> 4];
        *dst++ = kHex[c & 0xF];
        break;
    }
  }
}

// Appends the escaped `s` between `open` and `close` (each empty or a quote).
void append_between(ByteBuffer& out, std::string_view s, std::string_view open,
                    std::string_view close) {
  char* dst = out.room(room_for(s.size()) + 2);
  std::memcpy(dst, open.data(), open.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  char* written = escape(dst + open.size(), p, p + s.size());
  if (written == nullptr) refuse(s);  // nothing committed: `out` is as it was
  std::memcpy(written, close.data(), close.size());
  out.commit(written + close.size());
}

}  // namespace

void append_string(ByteBuffer& out, std::string_view s) {
  append_between(out, s, "\""sv, "\""sv);
}

void append_escaped(ByteBuffer& out, std::string_view s) {
  append_between(out, s, ""sv, ""sv);
}

bool append_escaped_if_utf8(ByteBuffer& out, std::string_view s) {
  char* dst = out.room(room_for(s.size()));
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  char* written = escape(dst, p, p + s.size());
  if (written == nullptr) return false;
  out.commit(written);
  return true;
}

void append_string(std::string& out, std::string_view s) {
  thread_local ByteBuffer buffer;
  buffer.clear();
  append_string(buffer, s);
  out += buffer.view();
}

}  // namespace tamis::runtime::json_out
