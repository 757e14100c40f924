#pragma once
// Per-record scratch memory for computed sets: chunks are kept across records
// and reset in O(1), so evaluation allocates nothing in the steady state.
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
    if (count == 0) return nullptr;
    while (true) {
      if (current_ < chunks_.size()) {
        Chunk& c = chunks_[current_];
        if (c.used + count <= c.capacity) {
          T* p = c.data.get() + c.used;
          c.used += count;
          std::fill(p, p + count, T{});
          return p;
        }
        ++current_;
        continue;
      }
      const std::size_t capacity = std::max<std::size_t>(kChunk, count);
      chunks_.push_back({std::make_unique<T[]>(capacity), capacity, 0});
    }
  }

  void reset() {
    for (std::size_t i = 0; i <= current_ && i < chunks_.size(); ++i) chunks_[i].used = 0;
    current_ = 0;
  }

 private:
  static constexpr std::size_t kChunk = 4096;
  struct Chunk {
    std::unique_ptr<T[]> data;
    std::size_t capacity;
    std::size_t used;
  };
  std::vector<Chunk> chunks_;
  std::size_t current_ = 0;
};

}  // namespace tamis::runtime
