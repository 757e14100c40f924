#include "runtime/io/set_cell_cache.hpp"

namespace tamis::io {

namespace {
constexpr std::size_t kFirstSlots = 64;
}  // namespace

SetCellCache::SetCellCache(std::size_t words)
    : words_(words), slots_(kFirstSlots), mask_(kFirstSlots - 1) {}

void SetCellCache::insert(std::string_view cell, std::uint64_t hash, const std::uint64_t* set,
                          const std::vector<std::string_view>& unknown) {
  if (count_ >= kCells || cell.size() > kCellBytes || unknown.size() > UINT16_MAX) return;
  if ((count_ + 1) * 4 > slots_.size() * 3) grow();  // load factor at most 3/4
  const auto low = static_cast<std::uint32_t>(hash);
  std::size_t i = low & mask_;
  for (std::size_t probe = 0; probe < kProbes; ++probe, i = (i + 1) & mask_) {
    Slot& slot = slots_[i];
    if (slot.used) continue;  // the caller found no slot holding `cell`
    slot = {low,
            static_cast<std::uint32_t>(keys_.size()),
            static_cast<std::uint32_t>(data_.size()),
            static_cast<std::uint32_t>(places_.size()),
            static_cast<std::uint16_t>(cell.size()),
            static_cast<std::uint16_t>(unknown.size()),
            true};
    keys_.append(cell);
    // Word by word: a range insert calls memmove for the one word most sets take.
    for (std::size_t w = 0; w < words_; ++w) data_.push_back(set[w]);
    for (const std::string_view label : unknown) {
      places_.push_back({static_cast<std::uint16_t>(label.data() - cell.data()),
                         static_cast<std::uint16_t>(label.size())});
    }
    ++count_;
    return;
  }
}

void SetCellCache::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  mask_ = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (!slot.used) continue;
    std::size_t i = slot.hash & mask_;
    while (slots_[i].used) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
}

}  // namespace tamis::io
