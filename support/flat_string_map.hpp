#pragma once
// Strings to small values in one flat table: open addressing over a power-of-two
// array of slots, keys stored end to end in one buffer. A lookup is a hash, one or
// two slots and one key comparison; adding a key allocates nothing per key. Made for
// the campaign's per-row paths (the duplicate-identifier check, the decoding caches),
// where std::unordered_map's node chasing and prime modulo dominate. Boost 1.74, the
// Debian 12 version, has no flat map (boost::unordered_flat_map came in 1.81).
// `Allocator` holds the slots and the keys (HugePageAllocator for the largest table).
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "support/bytes.hpp"

namespace tamis {

// wyhash's building blocks, for the hashes of short byte strings here and in
// io::SetCellCache: its secret words, and its step, a 64×64→128-bit multiplication folded
// on itself.
inline constexpr std::uint64_t kWyhashSecret[4] = {0xa0761d6478bd642fu, 0xe7037ed1a0b428dbu,
                                                   0x8ebc6af09c88c6e3u, 0x589965cc75374cc3u};
inline std::uint64_t wyhash_mix(std::uint64_t a, std::uint64_t b) {
  __extension__ using Wide = unsigned __int128;
  const Wide product = Wide{a} * b;
  return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}

// A 64-bit hash of `key`, inlined: 16 bytes a step, mixed by wyhash's step. Keys are
// short (identifiers, labels, cells), and std::hash, an out-of-line byte-oriented
// murmur call, cost more than all the rest of a lookup.
inline std::uint64_t hash_bytes(std::string_view key) {
  constexpr std::uint64_t kSeed = kWyhashSecret[0];
  constexpr std::uint64_t kStep = kWyhashSecret[1];
  const char* p = key.data();
  std::size_t n = key.size();
  std::uint64_t h = kSeed ^ n;
  for (; n > 16; p += 16, n -= 16)
    h = wyhash_mix(load_word<std::uint64_t>(p) ^ kStep, load_word<std::uint64_t>(p + 8) ^ h);
  // The last 1 to 16 bytes as two words, overlapping when they are fewer.
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  if (n > 8) {
    a = load_word<std::uint64_t>(p);
    b = load_word<std::uint64_t>(p + n - 8);
  } else if (n >= 4) {
    a = load_word<std::uint32_t>(p);
    b = load_word<std::uint32_t>(p + n - 4);
  } else if (n > 0) {  // 1 to 3 bytes: the first, the middle and the last
    const auto byte = [&](std::size_t i) {
      return std::uint64_t{static_cast<unsigned char>(p[i])};
    };
    a = byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16;
  }
  return wyhash_mix(wyhash_mix(a ^ kStep, b ^ h), kSeed);
}

template <typename V, template <typename> class Allocator = std::allocator>
class FlatStringMap {
 public:
  // The hash find() and insert() take: computed once where the key is made (possibly
  // another thread than the one that looks it up). See hash_bytes().
  static std::uint64_t hash(std::string_view key) { return hash_bytes(key); }

  // The value stored for `key`, or nullptr. Valid until the next insert().
  const V* find(std::string_view key, std::uint64_t hash) const {
    if (slots_.empty()) return nullptr;
    const auto low = static_cast<std::uint32_t>(hash);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = low & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.offset == 0) return nullptr;
      if (slot.hash == low && same_bytes(key_at(slot.offset), key)) return &slot.value;
    }
  }
  const V* find(std::string_view key) const { return find(key, hash(key)); }

  // Adds `key` with `value`; false (and the stored value kept) when `key` is there.
  bool insert(std::string_view key, std::uint64_t hash, V value) {
    if ((count_ + 1) * 4 > slots_.size() * 3) grow();  // load factor at most 3/4
    const auto low = static_cast<std::uint32_t>(hash);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = low & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.offset == 0) {
        slot = {low, append_key(key), std::move(value)};
        ++count_;
        return true;
      }
      if (slot.hash == low && same_bytes(key_at(slot.offset), key)) return false;
    }
  }
  bool insert(std::string_view key, V value) { return insert(key, hash(key), std::move(value)); }

  // Starts loading the slot a lookup of `hash` reads first: for tables larger than
  // the processor's caches, looked up many times in a row. Always inline, as
  // FlatIntegerMap::prefetch (else GCC 12 removes its calls).
  [[gnu::always_inline]] void prefetch(std::uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  }

  std::size_t size() const { return count_; }

  // The bytes the keys take in the table (key_bytes() / size(): the average a key).
  std::size_t key_bytes() const { return keys_.size(); }

  // Makes room for `keys` keys taking `key_bytes` bytes in all (as key_bytes() counts
  // them), so that adding them does not grow the table: each growth moves every slot
  // into fresh memory, and the keys into a buffer twice as large.
  void reserve(std::size_t keys, std::size_t key_bytes) {
    std::size_t slots = slots_.empty() ? 64 : slots_.size();
    while (keys * 4 > slots * 3) slots *= 2;
    if (slots > slots_.size()) grow_to(slots);
    keys_.reserve(key_bytes);
  }

 private:
  struct Slot {
    std::uint32_t hash = 0;    // low bits of the key's hash: where it goes, and a quick check
    std::uint32_t offset = 0;  // 1 + where the key starts in keys_ (0: empty slot)
    [[no_unique_address]] V value{};
  };

  // Each key: its size (7 bits a byte, high bit: more bytes follow), then its bytes.
  std::uint32_t append_key(std::string_view key) {
    // 4 GiB of keys would not fit in memory anyway; say so rather than wrap.
    if (keys_.size() + key.size() + 10 >= UINT32_MAX)
      throw std::length_error("FlatStringMap: more than 4 GiB of keys");
    const auto offset = static_cast<std::uint32_t>(keys_.size() + 1);
    for (std::size_t size = key.size();; size >>= 7) {
      const auto bits = static_cast<char>(size & 0x7Fu);
      if (size < 0x80u) {
        keys_ += bits;
        break;
      }
      keys_ += static_cast<char>(bits | '\x80');
    }
    keys_ += key;
    return offset;
  }

  std::string_view key_at(std::uint32_t offset) const {
    std::size_t at = offset - 1;
    std::size_t size = 0;
    for (unsigned shift = 0;; shift += 7) {
      const auto byte = static_cast<unsigned char>(keys_[at++]);
      size |= static_cast<std::size_t>(byte & 0x7Fu) << shift;
      if ((byte & 0x80u) == 0) break;
    }
    return std::string_view(keys_).substr(at, size);
  }

  void grow() { grow_to(slots_.empty() ? 64 : slots_.size() * 2); }

  void grow_to(std::size_t slots) {
    Slots old = std::move(slots_);
    slots_.assign(slots, Slot{});
    const std::size_t mask = slots_.size() - 1;
    for (Slot& slot : old) {
      if (slot.offset == 0) continue;
      std::size_t i = slot.hash & mask;  // up to 2^32 slots: far beyond any campaign
      while (slots_[i].offset != 0) i = (i + 1) & mask;
      slots_[i] = std::move(slot);
    }
  }

  using Slots = std::vector<Slot, Allocator<Slot>>;
  Slots slots_;
  std::basic_string<char, std::char_traits<char>, Allocator<char>> keys_;
  std::size_t count_ = 0;
};

}  // namespace tamis
