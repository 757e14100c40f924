#pragma once
// Per-record scratch memory for computed sets: chunks are kept across records
// and reset in O(1), so evaluation allocates nothing in the steady state.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace tamis::runtime {

template <typename T>
class Arena {
 public:
  // `count` contiguous, value-initialised elements valid until reset().
  T* allocate(std::size_t count) {
    T* p = allocate_for_writing(count);
    std::fill(p, p + count, T{});
    return p;
  }

  // The same, left as they were: for a caller that writes the elements it reads.
  T* allocate_for_writing(std::size_t count) {
    if (count == 0) return nullptr;
    used_ = true;
    if (current_ < chunks_.size()) {  // the usual case: room in the current chunk
      if (T* p = take(chunks_[current_], count)) return p;
    }
    return allocate_slowly(count);
  }

  // Inline, one test for the usual record, which allocated nothing (Interpreter::load,
  // every row: a loop over the chunks cost 30 instructions a dossier for two arenas; the
  // first chunk's emptied, 12; this, 4).
  void reset() {
    if (used_) [[unlikely]]
      reset_chunks();
  }

 private:
  struct Chunk;

  [[gnu::noinline]] void reset_chunks() {
    for (std::size_t i = 0; i <= current_ && i < chunks_.size(); ++i) chunks_[i].used = 0;
    current_ = 0;
    used_ = false;
  }

  // `count` elements of chunk `c`, or nullptr when it has no room for them.
  static T* take(Chunk& c, std::size_t count) {
    if (c.used + count > c.capacity) return nullptr;
    T* p = c.data.get() + c.used;
    c.used += count;
    return p;
  }

  T* allocate_slowly(std::size_t count) {
    while (true) {
      if (current_ < chunks_.size()) {
        if (T* p = take(chunks_[current_], count)) return p;
        ++current_;
        continue;
      }
      const std::size_t capacity = std::max<std::size_t>(kChunk, count);
      chunks_.push_back({std::make_unique<T[]>(capacity), capacity, 0});
    }
  }

  static constexpr std::size_t kChunk = 4096;
  struct Chunk {
    std::unique_ptr<T[]> data;
    std::size_t capacity;
    std::size_t used;
  };
  std::vector<Chunk> chunks_;
  std::size_t current_ = 0;
  // Whether anything was allocated since the last reset(): if not, every chunk is empty
  // and current_ is 0 already.
  bool used_ = false;
};

}  // namespace tamis::runtime
