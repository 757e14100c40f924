#include "runtime/io/set_cell_cache.hpp"

#include <algorithm>
#include <cstring>

namespace tamis::io {

namespace {
constexpr std::size_t kFirstSlots = 64;

// Copies a cell's `n` bytes without a call: from 16 bytes on, 16-byte blocks, the last
// one ending at n (reading nothing past the cell); below, copy_bytes's words. std::string's
// append called memcpy, and its growth copied the cells kept, byte by byte to valgrind
// (rep movsb): 3,030 -> 3,017 instructions a dossier without them (measured: memcpy 25.5
// -> 7.6).
void copy_cell(char* to, const char* from, std::size_t n) {
  if (n >= 16) {  // each fixed-size memcpy one load and one store
    for (std::size_t at = 0; at + 16 < n; at += 16) std::memcpy(to + at, from + at, 16);
    std::memcpy(to + n - 16, from + n - 16, 16);
    return;
  }
  copy_bytes(to, from, n);
}

}  // namespace

SetCellCache::SetCellCache(std::size_t words)
    : words_(words), slots_(kFirstSlots), mask_(kFirstSlots - 1) {}

void SetCellCache::insert(std::string_view cell, std::uint64_t hash, const std::uint64_t* set,
                          const std::vector<std::string_view>& unknown) {
  if (count_ >= kCells || cell.size() > kCellBytes || unknown.size() > UINT16_MAX) return;
  // Load factor at most 1/2: a cell not kept (looked for before each insert) probed about
  // 8 slots at 3/4, 2 or 3 at 1/2; hits a little fewer too (3,050 -> 3,042 instructions a
  // dossier, measured: decode 665 -> 659, insert 20.9 -> 19.4, grow 7.2 -> 12.6). Slots
  // take 24 bytes: at most 32,768 of them (kCells), 768 KB.
  if ((count_ + 1) * 2 > slots_.size()) grow();
  const auto low = static_cast<std::uint32_t>(hash);
  std::size_t i = low & mask_;
  for (std::size_t probe = 0; probe < kProbes; ++probe, i = (i + 1) & mask_) {
    Slot& slot = slots_[i];
    if (slot.used) continue;  // the caller found no slot holding `cell`
    slot = {low,
            static_cast<std::uint32_t>(keys_used_),
            static_cast<std::uint32_t>(data_.size()),
            static_cast<std::uint32_t>(places_.size()),
            static_cast<std::uint16_t>(cell.size()),
            static_cast<std::uint16_t>(unknown.size()),
            true};
    if (keys_used_ + cell.size() > keys_room_) grow_keys(cell.size());
    copy_cell(keys_.get() + keys_used_, cell.data(), cell.size());
    keys_used_ += cell.size();
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
  // Filled with copies of an unused slot: default-constructed one by one, GCC stored
  // their fields apart (2,994 -> 2,993 instructions a dossier, grow 12.6 -> 11.6).
  std::vector<Slot> old(slots_.size() * 2, Slot{});
  old.swap(slots_);
  mask_ = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (!slot.used) continue;
    std::size_t i = slot.hash & mask_;
    while (slots_[i].used) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
}

void SetCellCache::grow_keys(std::size_t more) {
  // Twice the room (4 KB at first), with 16 bytes more than that so that copies may take
  // whole blocks.
  const std::size_t room =
      std::max(keys_room_ * 2, std::max<std::size_t>(4096, keys_used_ + more)) + 16;
  std::unique_ptr<char[]> keys(new char[room]);
  copy_blocks(keys.get(), keys_.get(), keys_used_);  // reads and writes up to 15 bytes past
  keys_ = std::move(keys);
  keys_room_ = room - 16;
}

}  // namespace tamis::io
