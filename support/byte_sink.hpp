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

#include "support/bytes.hpp"

namespace tamis {

class ByteSink {
 public:
  // At least `n` writable bytes at the end; valid until the next room().
  char* room(std::size_t n) {
    if (used_ + n > bytes_.size()) [[unlikely]]
      grow(used_ + n);
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
  // Takes back what was appended after the first `n` bytes.
  void truncate(std::size_t n) { used_ = std::min(used_, n); }

 private:
  // Out of line, so that room() is small enough to be inlined wherever a cell is written.
  [[gnu::noinline]] void grow(std::size_t n) { bytes_.resize(std::max(2 * bytes_.size(), n)); }

  std::string bytes_;  // [0, used_) is written; the rest is room
  std::size_t used_ = 0;
};

}  // namespace tamis
