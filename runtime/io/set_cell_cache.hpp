#pragma once
// The cells of one set-valued field already decoded, by their exact bytes: the set each
// one gave (its bitset words) and where in the cell its labels naming nothing are.
// Exports repeat a few combinations of choices (153 distinct financing cells in the
// bench's 100,000 rows, 7,061 lever cells): a cell met again costs a hash, a probe and
// one comparison instead of splitting it and looking up each choice.
//
// Memory and time stay bounded whatever the campaign: at most kCells cells of at most
// kCellBytes bytes are kept, and a lookup reads at most kProbes slots (a cell that would
// land further is not kept). A slot holds the cell's size, so that a lookup reads the
// kept bytes of a cell of the same size and hash only.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "support/bytes.hpp"
#include "support/flat_string_map.hpp"

namespace tamis::io {

class SetCellCache {
 public:
  static constexpr std::size_t kCellBytes = 256;
  static constexpr std::size_t kCells = 10000;
  static constexpr std::size_t kProbes = 16;

  // Where a label naming nothing is in its cell.
  struct Place {
    std::uint16_t offset = 0;
    std::uint16_t size = 0;
  };
  // A cell found: its set (words() words) and its labels naming nothing.
  struct Entry {
    const std::uint64_t* words;
    const Place* unknown;
    std::uint32_t unknown_count;
  };

  // `words`: how many words each set takes (graph::words_for of the members).
  explicit SetCellCache(std::size_t words);

  std::size_t words() const { return words_; }
  std::size_t size() const { return count_; }

  // A cell as four words, overlapping, which hold its first and last 16 bytes (every byte
  // of a cell of up to 32), mixed by one multiplication: hash_bytes's loop and final mixes
  // cost about 30 instructions a set field more (measured). The bytes between, of a
  // longer cell, are added into the first two words 16 at a time (a lookup compares every
  // byte anyway; the hash only has to spread cells): through hash_bytes, about 4 times as
  // many instructions (RecordDecoder::decode 683 -> 669 a dossier, measured). The last two
  // words doubled and added to the first two (so that they do not cancel them when they
  // are the same words, a cell of 16 bytes: 3 * w, one-to-one), with the size, then one
  // mix of the pair, without wyhash's last step or secrets: a mix of each pair, xored, cost
  // 13 instructions a cell of 16 bytes or more (decode 557.5 -> 543.4 a dossier with the
  // short cells' secret dropped, measured). Simulated on the bench's 100,000 rows: its
  // 7,061 distinct lever cells and 153 financing cells all kept as before, 96.9 % of the
  // lever cells and 92.7 % of the financing cells met again found in their first slot
  // (97.4 % and 92.1 % before). Below 16 bytes, one mix of the first and last (up to)
  // eight bytes, the last with a constant, so that a cell of under four bytes (nothing
  // there) is not multiplied by zero.
  [[gnu::always_inline]] static std::uint64_t hash(std::string_view cell) {
    const std::size_t n = cell.size();
    const char* p = cell.data();
    if (n >= 16) {
      std::uint64_t w0 = load_word<std::uint64_t>(p);
      std::uint64_t w1 = load_word<std::uint64_t>(p + 8);
      // Bytes 16 to n - 16, the last step overlapping them (and reading below n).
      for (std::size_t i = 16; i + 16 < n; i += 16) {
        w0 += load_word<std::uint64_t>(p + i);
        w1 += load_word<std::uint64_t>(p + i + 8);
      }
      return mix(w0 + 2 * load_word<std::uint64_t>(p + n - 16) + n,
                 w1 + 2 * load_word<std::uint64_t>(p + n - 8));
    }
    std::uint64_t w0 = 0;
    std::uint64_t w1 = 0;
    if (n >= 8) {
      w0 = load_word<std::uint64_t>(p);
      w1 = load_word<std::uint64_t>(p + n - 8);
    } else if (n >= 4) {
      w0 = load_word<std::uint32_t>(p);
      w1 = load_word<std::uint32_t>(p + n - 4);
    } else {
      for (std::size_t i = 0; i < n; ++i) w0 = w0 << 8 | static_cast<unsigned char>(p[i]);
    }
    return mix(w0 + n, w1 ^ kWyhashSecret[1]);
  }
  // wyhash_mix (both halves of the 128-bit product, xored), on x86-64 as one mulq: GCC 12
  // stored the product of the 128-bit multiplication to the stack and loaded it back in
  // the decoder's loop, 3 instructions a set cell (measured: decode 669 -> 665).
  [[gnu::always_inline]] static std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
#if defined(__x86_64__)
    std::uint64_t high;
    asm("mulq %[b]" : "+a"(a), "=d"(high) : [b] "r"(b) : "cc");
    return a ^ high;
#else
    return wyhash_mix(a, b);
#endif
  }

  // The cell as decoded before, if kept (`hash`: hash(cell)). found.words stays valid
  // as long as the cache; found.unknown until the next insert().
  bool find(std::string_view cell, std::uint64_t hash, Entry& found) const {
    // No cell longer than kCellBytes is kept: not looked for, so that no cell has an
    // unused slot's size (kUnused), and a slot that matches is used without a test of
    // `used` first. With slots no longer all zero when made (grow() fills them in a loop,
    // not by memset): 16 instructions a dossier fewer (measured: decode 707 -> 699,
    // memset 15 -> 0, grow 4 -> 7).
    const std::size_t size = cell.size();
    if (size > kCellBytes) return false;
    return probe_from(hash & mask_, 0, tag_of(hash, size), cell, found);
  }

  // find() past the slot where `cell` goes first, which find_at_home() found not to hold
  // it: that slot's hash and size not compared again.
  bool find_further(std::string_view cell, std::uint64_t hash, Entry& found) const {
    const std::size_t size = cell.size();
    if (size > kCellBytes) return false;  // as find()
    const std::size_t home = hash & mask_;
    if (!slots_[home].used) return false;
    return probe_from((home + 1) & mask_, 1, tag_of(hash, size), cell, found);
  }

  // find() in the one slot where `cell` goes first, where most cells kept are: inline in
  // the decoder's loop without the probe loop's count and state (find_further() out of line for
  // the others).
  bool find_at_home(std::string_view cell, std::uint64_t hash, Entry& found) const {
    const std::size_t size = cell.size();
    if (size > kCellBytes) return false;  // as find()
    return holds(slots_[hash & mask_], tag_of(hash, size), cell, found);
  }

  // Keeps what `cell` decoded to: `set` (words() words) and `unknown`, views into `cell`.
  // Nothing is kept past the limits. Inline: the decoder's way for a lever cell not met
  // before calls it once, with no frame of its own (2,023.9 -> 2,020.7 instructions per
  // dossier, measured).
  [[gnu::always_inline]] inline void insert(std::string_view cell, std::uint64_t hash,
                                            const std::uint64_t* set,
                                            const std::vector<std::string_view>& unknown);

 private:
  static constexpr std::uint16_t kUnused = 0xFFFF;  // an unused slot's size: no cell's
  static_assert(kCellBytes < kUnused);
  // A slot's first word: the low 32 bits of its cell's hash (where it goes, and a quick
  // check) and the cell's size above them, compared as one word (two tests a probe, one
  // of a 16-bit size, before: RecordDecoder::decode 626.4 -> 622.8 instructions a
  // dossier, measured).
  static constexpr std::uint64_t tag_of(std::uint64_t hash, std::size_t size) {
    return static_cast<std::uint32_t>(hash) | std::uint64_t{size} << 32;
  }
  // Trivial, so that new slots are not filled twice (made, then set unused: grow()).
  // The set's words by address (in a block of data_ that never moves), so that a hit
  // reads one word for them, not an index and data_'s start (2 instructions a set cell).
  struct Slot {
    std::uint64_t tag;  // an unused slot's: tag_of(0, kUnused), no cell's size
    const std::uint64_t* words;
    std::uint32_t key_at;
    std::uint32_t unknown_at;
    std::uint16_t unknown_count;
    bool used;
  };
  // Whether `slot` keeps `cell` (of tag `tag`); if so, `found` is what it keeps.
  [[gnu::always_inline]] bool holds(const Slot& slot, std::uint64_t tag, std::string_view cell,
                                    Entry& found) const {
    if (slot.tag != tag || differ(keys_.get() + slot.key_at, cell.data(), cell.size()) != 0)
      return false;
    found = {slot.words, places_.data() + slot.unknown_at, slot.unknown_count};
    return true;
  }
  // The slots from `i`, the `probe`-th of the cell's (of tag `tag`), up to the last it may
  // be in (kProbes from the one where it goes first) or an unused one: find() from the
  // first, find_further() from the second.
  [[gnu::always_inline]] bool probe_from(std::size_t i, std::size_t probe, std::uint64_t tag,
                                         std::string_view cell, Entry& found) const {
    for (; probe < kProbes; ++probe, i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (holds(slot, tag, cell, found)) return true;
      if (!slot.used) return false;
    }
    return false;
  }
  // Not zero when the `n` bytes at `a` and `b` differ: same_bytes's comparison, with its
  // answer a word on every way, so that the decoder's loop tests it once (as a bool, GCC
  // made it a byte where the ways join and tested it again: 3 instructions a set cell).
  [[gnu::always_inline]] static std::uint64_t differ(const char* a, const char* b, std::size_t n) {
#if defined(__SSE2__)
    if (n >= 16) {
      const auto load = [](const char* p) {
        return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      };
      __m128i diff = _mm_xor_si128(load(a + n - 16), load(b + n - 16));
      for (std::size_t i = 0; i + 16 < n; i += 16)
        diff = _mm_or_si128(diff, _mm_xor_si128(load(a + i), load(b + i)));
      return static_cast<std::uint32_t>(
                 _mm_movemask_epi8(_mm_cmpeq_epi8(diff, _mm_setzero_si128()))) ^
             0xFFFFu;
    }
#endif
    return same_bytes(std::string_view(a, n), std::string_view(b, n)) ? 0 : 1;
  }
  // Copies a cell's `n` bytes without a call: from 16 bytes on, 16-byte blocks, the last
  // one ending at n (reading nothing past the cell); below, copy_bytes's words. std::string's
  // append called memcpy, and its growth copied the cells kept, byte by byte to valgrind
  // (rep movsb): 3,030 -> 3,017 instructions a dossier without them (measured: memcpy 25.5
  // -> 7.6).
  [[gnu::always_inline]] static void copy_cell(char* to, const char* from, std::size_t n) {
    if (n >= 16) {  // each fixed-size memcpy one load and one store
      for (std::size_t at = 0; at + 16 < n; at += 16) std::memcpy(to + at, from + at, 16);
      std::memcpy(to + n - 16, from + n - 16, 16);
      return;
    }
    copy_bytes(to, from, n);
  }
  // `count` unused slots.
  static std::unique_ptr<Slot[]> unused_slots(std::size_t count);

  void grow();
  void grow_keys(std::size_t more);  // room for `more` bytes after those used

  std::size_t words_;
  std::unique_ptr<Slot[]> slots_;  // mask_ + 1 of them
  std::size_t mask_;
  std::size_t count_ = 0;
  // The cells kept, end to end (keys_used_ bytes of keys_room_, which has 16 bytes more
  // after it), made without zeroes and grown by grow_keys(): a std::string's growth copied
  // them byte by byte to valgrind (rep movsb); room for the most they can take, made once
  // (kCells * kCellBytes), failed the address space limit of 256 threads' tests, 3,013
  // against 3,017 instructions a dossier.
  std::unique_ptr<char[]> keys_;
  std::size_t keys_room_ = 0;
  std::size_t keys_used_ = 0;
  // Their sets, words_ words each, in blocks that never move (data_room_ words left in
  // the last one, from data_end_).
  std::vector<std::unique_ptr<std::uint64_t[]>> data_;
  std::uint64_t* data_end_ = nullptr;
  std::size_t data_room_ = 0;
  std::vector<Place> places_;  // their labels naming nothing
};

inline void SetCellCache::insert(std::string_view cell, std::uint64_t hash,
                                 const std::uint64_t* set,
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

}  // namespace tamis::io
