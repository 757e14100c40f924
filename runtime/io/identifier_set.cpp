#include "runtime/io/identifier_set.hpp"

#include <functional>
#include <stdexcept>

namespace tamis::io {

std::uint64_t IdentifierSet::hash(std::string_view key) {
  return std::hash<std::string_view>{}(key);
}

std::string_view IdentifierSet::key_at(std::uint32_t offset) const {
  std::size_t at = offset - 1;
  std::size_t size = 0;
  for (unsigned shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(keys_[at++]);
    size |= static_cast<std::size_t>(byte & 0x7Fu) << shift;
    if ((byte & 0x80u) == 0) break;
  }
  return std::string_view(keys_).substr(at, size);
}

bool IdentifierSet::insert(std::string_view key, std::uint64_t full_hash) {
  if ((count_ + 1) * 4 > slots_.size() * 3) grow();  // load factor at most 3/4
  const auto low = static_cast<std::uint32_t>(full_hash);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = low & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.offset == 0) {
      // 4 GiB of identifiers would not fit in memory anyway; say so rather than wrap.
      if (keys_.size() + key.size() + 10 >= UINT32_MAX)
        throw std::length_error("trop d'identifiants de dossier pour une campagne");
      slot = {low, static_cast<std::uint32_t>(keys_.size() + 1)};
      for (std::size_t size = key.size();; size >>= 7) {
        const auto bits = static_cast<char>(size & 0x7Fu);
        if (size < 0x80u) {
          keys_ += bits;
          break;
        }
        keys_ += static_cast<char>(bits | '\x80');
      }
      keys_ += key;
      ++count_;
      return true;
    }
    if (slot.hash == low && key_at(slot.offset) == key) return false;
  }
}

void IdentifierSet::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.offset == 0) continue;
    std::size_t i = slot.hash & mask;  // up to 2^32 slots: far beyond any campaign
    while (slots_[i].offset != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

}  // namespace tamis::io
