#pragma once
// Bytes appended through a pointer: a writer asks room() for an upper bound of what it
// is about to write, writes there with no capacity check or call per piece, and says
// where it stopped. The storage only grows, and is not zero-filled again when cleared:
// made for the result lines of a batch of dossiers, rebuilt for every batch.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tamis {

class ByteSink {
 public:
  // At least `n` writable bytes at the end; valid until the next room().
  char* room(std::size_t n) {
    if (used_ + n > bytes_.size()) bytes_.resize(std::max(2 * bytes_.size(), used_ + n));
    return bytes_.data() + used_;
  }
  // The bytes up to `end` (within the last room()) are now part of the sink.
  void commit(const char* end) { used_ = static_cast<std::size_t>(end - bytes_.data()); }

  void put(char c) {
    *room(1) = c;
    ++used_;
  }
  void append(std::string_view s) {
    std::memcpy(room(s.size()), s.data(), s.size());
    used_ += s.size();
  }

  std::string_view view() const { return {bytes_.data(), used_}; }
  std::size_t size() const { return used_; }
  void reserve(std::size_t n) { room(n); }
  void clear() { used_ = 0; }

 private:
  std::string bytes_;  // [0, used_) is written; the rest is room
  std::size_t used_ = 0;
};

// Copies `n` bytes to `to` and returns the end: short copies (cells, labels) inline, two
// overlapping loads and stores, rather than a call to memcpy.
inline char* copy_bytes(char* to, const char* from, std::size_t n) {
  if (n > 16) {
    std::memcpy(to, from, n);
  } else if (n >= 8) {
    std::uint64_t a, b;
    std::memcpy(&a, from, 8);
    std::memcpy(&b, from + n - 8, 8);
    std::memcpy(to, &a, 8);
    std::memcpy(to + n - 8, &b, 8);
  } else if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, from, 4);
    std::memcpy(&b, from + n - 4, 4);
    std::memcpy(to, &a, 4);
    std::memcpy(to + n - 4, &b, 4);
  } else {
    for (std::size_t i = 0; i < n; ++i) to[i] = from[i];
  }
  return to + n;
}

}  // namespace tamis
