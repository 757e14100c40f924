#pragma once
// A small JSON writer for the explanation documents, byte-compatible with nlohmann's
// compact `dump()`: strings escaped like its serializer (`"` `\` and \b \f \n \r \t
// as two-character escapes, other control characters as \u00xx in lower-case hex,
// everything else, non-ASCII included, as it is), integers in decimal. Invalid
// UTF-8 is refused exactly as `dump()` refuses it: the same nlohmann::json::type_error
// (316) with the same message.
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace tamis::runtime::json_out {

// A growable byte buffer whose appends are inlined (std::string's are calls): a
// document is a few hundred small appends, most of them constant.
class ByteBuffer {
 public:
  ByteBuffer() { grow(kInitialCapacity); }
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;

  std::size_t size() const { return static_cast<std::size_t>(cur_ - begin_); }
  std::string_view view() const { return {begin_, size()}; }
  std::string_view view(std::size_t from) const { return {begin_ + from, size() - from}; }
  void clear() { cur_ = begin_; }
  void truncate(std::size_t size) { cur_ = begin_ + size; }

  // Room for `n` more bytes: write them at the pointer returned, then commit() the end.
  [[gnu::always_inline]] char* room(std::size_t n) {
    if (static_cast<std::size_t>(end_ - cur_) < n) grow(n);
    return cur_;
  }
  void commit(char* end) { cur_ = end; }

  [[gnu::always_inline]] void append(const char* s, std::size_t n) {
    char* p = room(n);
    if (n != 0) std::memcpy(p, s, n);
    cur_ = p + n;
  }
  [[gnu::always_inline]] ByteBuffer& operator+=(std::string_view s) {
    append(s.data(), s.size());
    return *this;
  }
  [[gnu::always_inline]] ByteBuffer& operator+=(char c) {
    *room(1) = c;
    ++cur_;
    return *this;
  }

 private:
  static constexpr std::size_t kInitialCapacity = 16 * 1024;
  void grow(std::size_t n);  // makes room for at least `n` more bytes

  std::unique_ptr<char[]> data_;
  char* begin_ = nullptr;
  char* cur_ = nullptr;
  char* end_ = nullptr;
};

// Appends `s` as a JSON string, quotes included: the bytes of nlohmann::json(s).dump().
// On invalid UTF-8, throws what dump() throws and leaves `out` as it was.
void append_string(std::string& out, std::string_view s);
void append_string(ByteBuffer& out, std::string_view s);

// Appends the inside of that JSON string (no quotes), with the same checks.
void append_escaped(ByteBuffer& out, std::string_view s);
// … or returns false, `out` as it was, when `s` is not UTF-8.
bool append_escaped_if_utf8(ByteBuffer& out, std::string_view s);

// Appends an unsigned integer as nlohmann::json(v).dump() writes it.
inline void append_uint(std::string& out, std::uint64_t v) {
  char buffer[20];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, result.ptr);
}
inline void append_uint(ByteBuffer& out, std::uint64_t v) {
  char* p = out.room(20);
  out.commit(std::to_chars(p, p + 20, v).ptr);
}

inline void append_bool(std::string& out, bool v) {
  out += v ? std::string_view("true") : std::string_view("false");
}
inline void append_bool(ByteBuffer& out, bool v) {
  out += v ? std::string_view("true") : std::string_view("false");
}

}  // namespace tamis::runtime::json_out
