#include "support/exact_spellings.hpp"

#include <bit>
#include <unordered_set>

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

constexpr std::uint32_t kNobody = UINT32_MAX;

}  // namespace

ExactSpellings::ExactSpellings(
    const std::vector<std::pair<std::string, std::uint32_t>>& spellings) {
  struct Candidate {
    std::uint64_t fingerprint;
    const std::pair<std::string, std::uint32_t>* spelling;
  };
  std::vector<Candidate> candidates;
  std::unordered_set<std::uint64_t> fingerprints;
  for (const auto& spelling : spellings) {
    if (spelling.first.empty() || spelling.second == kAbsent) continue;
    // A text met before, or one no slot can tell from a text kept: left to the caller.
    const std::uint64_t f = fingerprint(words(spelling.first));
    if (fingerprints.insert(f).second) candidates.push_back({f, &spelling});
  }
  if (candidates.empty()) return;

  // owner[slot]: the candidate holding it. Returns how many candidates hold a slot; with
  // `until_collision`, stops at the first that finds its slot taken.
  std::vector<std::uint32_t> owner;
  const auto place = [&](unsigned bits, std::uint64_t multiplier, bool until_collision) {
    owner.assign(std::size_t{1} << bits, kNobody);
    std::size_t placed = 0;
    for (std::uint32_t i = 0; i < candidates.size(); ++i) {
      std::uint32_t& o = owner[index(candidates[i].fingerprint, multiplier, 64 - bits)];
      if (o == kNobody) {
        o = i;
        ++placed;
      } else if (until_collision) {
        break;
      }
    }
    return placed;
  };

  // 2^least_bits is more than the count of candidates, and at most twice it.
  const auto least_bits = static_cast<unsigned>(std::bit_width(candidates.size()));
  std::uint64_t state = 0;
  unsigned bits = least_bits + 1;  // 2 to 4 slots a candidate
  std::uint64_t multiplier = 0;
  bool found = false;
  if (candidates.size() <= kPerfectUpTo) {
    // 2 to 32 slots a candidate, the first multiplier without collision.
    for (bits = least_bits + 1; bits <= least_bits + 4 && !found; ++bits) {
      for (int attempt = 0; attempt < 64 && !found; ++attempt) {
        multiplier = next_multiplier(state);
        found = place(bits, multiplier, true) == candidates.size();
      }
    }
    --bits;  // the loop counted one past the size that succeeded (or the last tried)
  }
  if (!found) {
    // Collisions are unavoidable: of 8 multipliers, the one that places the most.
    bits = least_bits + 1;
    std::size_t most = 0;
    for (int attempt = 0; attempt < 8; ++attempt) {
      const std::uint64_t m = next_multiplier(state);
      if (const std::size_t placed = place(bits, m, false); placed > most) {
        most = placed;
        multiplier = m;
      }
    }
  }
  place(bits, multiplier, false);
  multiplier_ = multiplier;
  shift_ = 64 - bits;

  std::size_t bytes = 0;
  for (const std::uint32_t o : owner)
    bytes += o == kNobody ? 0 : candidates[o].spelling->first.size();
  texts_.reserve(bytes);  // no reallocation below: the slots point into it
  slots_.assign(owner.size(), Slot{});
  for (std::size_t s = 0; s < owner.size(); ++s) {
    if (owner[s] == kNobody) continue;
    const auto& [text, id] = *candidates[owner[s]].spelling;
    const Words w = words(text);
    slots_[s] = {w.head, w.tail, w.size > 16 ? ~w.size : w.size, texts_.data() + texts_.size(), id};
    texts_.insert(texts_.end(), text.begin(), text.end());
    ++held_;
  }
}

}  // namespace tamis
