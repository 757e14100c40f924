#include "support/exact_spellings.hpp"

#include <bit>

namespace tamis {

namespace {

// The multipliers tried, in a fixed order (splitmix64's sequence, made odd): the same
// spellings always get the same table.
std::uint64_t next_multiplier(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return (z ^ (z >> 31)) | 1;
}

}  // namespace

ExactSpellings::ExactSpellings(
    const std::vector<std::pair<std::string, std::uint32_t>>& spellings) {
  struct Candidate {
    std::uint64_t fingerprint;
    const std::pair<std::string, std::uint32_t>* spelling;
  };
  std::vector<Candidate> held;
  for (const auto& spelling : spellings) {
    if (spelling.first.empty()) continue;
    const std::uint64_t f = fingerprint(spelling.first);
    bool clash = false;  // the same text, or one no slot can tell from a text held
    for (const Candidate& c : held) clash = clash || c.fingerprint == f;
    if (!clash) held.push_back({f, &spelling});
  }
  if (held.empty()) return;
  // Slots: at least twice the texts, so that a multiplier without collision is found
  // in a few tries; up to 256 times when the first sizes find none.
  const unsigned least_bits = static_cast<unsigned>(std::bit_width(held.size()));
  std::uint64_t state = 0;
  std::vector<std::uint32_t> owner;
  for (unsigned bits = least_bits + 1;; ++bits) {
    const unsigned shift = 64 - bits;
    const bool last_size = bits == least_bits + 8;
    for (int attempt = 0; attempt < 64; ++attempt) {
      const std::uint64_t multiplier = next_multiplier(state);
      owner.assign(std::size_t{1} << bits, UINT32_MAX);
      bool collision = false;
      for (std::uint32_t i = 0; i < held.size() && !collision; ++i) {
        std::uint32_t& o = owner[index(held[i].fingerprint, multiplier, shift)];
        collision = o != UINT32_MAX;
        if (!collision) o = i;
      }
      if (collision && !last_size) continue;
      // Without collision; or, after every size was tried, the first text of a slot
      // holds it and the others are left to the caller's other lookup.
      if (collision) {
        owner.assign(std::size_t{1} << bits, UINT32_MAX);
        for (std::uint32_t i = 0; i < held.size(); ++i) {
          std::uint32_t& o = owner[index(held[i].fingerprint, multiplier, shift)];
          if (o == UINT32_MAX) o = i;
        }
      }
      multiplier_ = multiplier;
      shift_ = shift;
      slots_.assign(owner.size(), Slot{});
      for (std::size_t s = 0; s < owner.size(); ++s) {
        if (owner[s] == UINT32_MAX) continue;
        slots_[s] = {held[owner[s]].spelling->first, held[owner[s]].spelling->second};
        ++held_;
      }
      return;
    }
  }
}

}  // namespace tamis
