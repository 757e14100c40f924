#pragma once
// The dossier identifiers met so far in a campaign (io::identifier_key), to refuse a
// second dossier with the same one. It holds every identifier of the campaign, so it
// is compact: the keys end to end in one buffer, found through an open-addressing
// table of 8-byte slots — about 20 bytes per dossier where a node-based set of
// std::string takes about 80 and one allocation per dossier. (Boost 1.74, the
// Debian 12 version, has no flat hash set; boost::unordered_flat_set came in 1.81.)
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tamis::io {

class IdentifierSet {
 public:
  // The hash insert() needs: computed where the key is made (a worker thread), so that
  // the thread that inserts only probes.
  static std::uint64_t hash(std::string_view key);
  // Adds `key`; false when it was already there.
  bool insert(std::string_view key, std::uint64_t hash);
  bool insert(std::string_view key) { return insert(key, hash(key)); }
  // Starts loading the slot `hash` probes first: the table is larger than the
  // processor's caches, and inserting a batch of keys is a row of cache misses.
  void prefetch(std::uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  }
  std::size_t size() const { return count_; }

 private:
  struct Slot {
    std::uint32_t hash = 0;    // low bits of the key's hash: where it goes, and a quick check
    std::uint32_t offset = 0;  // 1 + where the key starts in keys_ (0: empty slot)
  };
  void grow();
  std::string_view key_at(std::uint32_t offset) const;

  std::vector<Slot> slots_;
  std::string keys_;  // each key: its size (varint), then its bytes
  std::size_t count_ = 0;
};

}  // namespace tamis::io
