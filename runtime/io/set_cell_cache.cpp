#include "runtime/io/set_cell_cache.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
    : words_(words), slots_(unused_slots(kFirstSlots)), mask_(kFirstSlots - 1) {}

void SetCellCache::insert(std::string_view cell, std::uint64_t hash, const std::uint64_t* set,
                          const std::vector<std::string_view>& unknown) {
  if (count_ >= kCells || cell.size() > kCellBytes || unknown.size() > UINT16_MAX) return;
  // Load factor at most 1/2: a cell not kept (looked for before each insert) probed about
  // 8 slots at 3/4, 2 or 3 at 1/2; hits a little fewer too (3,050 -> 3,042 instructions a
  // dossier, measured: decode 665 -> 659, insert 20.9 -> 19.4, grow 7.2 -> 12.6). Slots
  // take 32 bytes: at most 32,768 of them (kCells), 1 MB.
  if ((count_ + 1) * 2 > mask_ + 1) grow();
  std::size_t i = hash & mask_;
  for (std::size_t probe = 0; probe < kProbes; ++probe, i = (i + 1) & mask_) {
    Slot& slot = slots_[i];
    if (slot.used) continue;  // the caller found no slot holding `cell`
    if (data_room_ < words_) {
      data_room_ = std::max<std::size_t>(512, words_);
      data_.push_back(std::make_unique_for_overwrite<std::uint64_t[]>(data_room_));
      data_end_ = data_.back().get();
    }
    slot = {tag_of(hash, cell.size()),
            data_end_,
            static_cast<std::uint32_t>(keys_used_),
            static_cast<std::uint32_t>(places_.size()),
            static_cast<std::uint16_t>(unknown.size()),
            true};
    if (keys_used_ + cell.size() > keys_room_) grow_keys(cell.size());
    copy_cell(keys_.get() + keys_used_, cell.data(), cell.size());
    keys_used_ += cell.size();
    // Word by word: a range insert calls memmove for the one word most sets take.
    for (std::size_t w = 0; w < words_; ++w) data_end_[w] = set[w];
    data_end_ += words_;
    data_room_ -= words_;
    for (const std::string_view label : unknown) {
      places_.push_back({static_cast<std::uint16_t>(label.data() - cell.data()),
                         static_cast<std::uint16_t>(label.size())});
    }
    ++count_;
    return;
  }
}

std::unique_ptr<SetCellCache::Slot[]> SetCellCache::unused_slots(std::size_t count) {
  // Two slots at a time from a local copy of them, three 16-byte stores: default member
  // initialisers, or a vector's fill with a slot, stored their fields one by one (9
  // instructions a slot against 3: SetCellCache::grow 14.6 -> 10.5 a dossier, measured).
  // With SSE2, four at a time from the three blocks they are made of, kept in registers
  // (GCC loaded the local copy again at each step): grow 10.5 -> 8.2 a dossier, measured.
  static_assert(kFirstSlots % 4 == 0);  // counts are kFirstSlots doubled
  constexpr Slot kUnusedSlot{tag_of(0, kUnused), nullptr, 0, 0, 0, false};
  auto slots = std::make_unique_for_overwrite<Slot[]>(count);
#if defined(__SSE2__)
  static_assert(sizeof(Slot) == 32 && offsetof(Slot, tag) == 0);
  // An unused slot is its tag and then zeros (a null pointer's bytes): two blocks.
  const auto tag = static_cast<long long>(kUnusedSlot.tag);
  const __m128i tag_first = _mm_set_epi64x(0, tag);
  const __m128i zero = _mm_setzero_si128();
  for (std::size_t i = 0; i < count; i += 4) {
    auto* block = reinterpret_cast<__m128i*>(&slots[i]);
    for (int k = 0; k < 4; ++k) {
      _mm_storeu_si128(block++, tag_first);
      _mm_storeu_si128(block++, zero);
    }
  }
#else
  const Slot four[4] = {kUnusedSlot, kUnusedSlot, kUnusedSlot, kUnusedSlot};
  for (std::size_t i = 0; i < count; i += 4) std::memcpy(&slots[i], four, sizeof four);
#endif
  return slots;
}

void SetCellCache::grow() {
  const std::size_t old_count = mask_ + 1;
  std::unique_ptr<Slot[]> old = std::exchange(slots_, unused_slots(old_count * 2));
  mask_ = old_count * 2 - 1;
  for (std::size_t at = 0; at < old_count; ++at) {
    const Slot& slot = old[at];
    if (!slot.used) continue;
    std::size_t i = slot.tag & mask_;  // the hash's low bits
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
  // copy_blocks's 16-byte steps (reading and writing up to 15 bytes past), four to a step
  // first: about 5 instructions a block, against 11 for four (grow_keys copied about 64 KB
  // between the bench's 2,000th and 6,000th rows: 2,153.1 -> 2,150.8 instructions per
  // dossier, measured).
  std::size_t at = 0;
  for (; at + 64 <= keys_used_; at += 64) {
    for (std::size_t block = 0; block < 64; block += 16)
      std::memcpy(keys.get() + at + block, keys_.get() + at + block, 16);
  }
  copy_blocks(keys.get() + at, keys_.get() + at, keys_used_ - at);
  keys_ = std::move(keys);
  keys_room_ = room - 16;
}

}  // namespace tamis::io
