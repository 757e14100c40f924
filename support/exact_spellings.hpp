#pragma once
// A fixed set of texts, each with a number, found by their exact bytes with one probe:
// a multiplicative hash of the text's size and its first and last bytes picks a slot,
// and one comparison confirms. Exports write an enumeration's values the few ways the
// rules spell them; a loop over the spellings of the same size mispredicts a branch a
// cell, this does not.
//
// For up to kPerfectUpTo texts (an enumeration's or a table's spellings), the multiplier
// is chosen at construction so that no two texts share a slot, with 2 to 32 slots a
// text. Beyond (a list of communes), or when no such multiplier is found, there are 2 to
// 4 slots a text and a slot holds the first text that falls in it. A text not held
// (there, or one of two texts with the same size and first and last eight bytes) is not
// found: the caller looks it up another way. A slot takes 40 bytes (32, its size a 32-bit number,
// measured 4 instructions a dossier more).
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/bytes.hpp"

namespace tamis {

class ExactSpellings {
  struct Slot;  // below

 public:
  // find()'s answer for a text not held. (A number, not a std::optional: GCC 12 builds
  // an optional<uint32_t> result in memory with two stores and reads it back as one
  // word, which stalls the load: measured 2.5 % of a campaign's run.)
  static constexpr std::uint32_t kAbsent = UINT32_MAX;
  static constexpr std::size_t kPerfectUpTo = 128;

  ExactSpellings() = default;
  // `spellings`: texts (not empty) and their numbers (below kAbsent: others are not
  // held); a text given twice keeps its first.
  explicit ExactSpellings(const std::vector<std::pair<std::string, std::uint32_t>>& spellings);
  // Slots point into texts_: a copy would point into the original's. A moved-from
  // object is only to be destroyed or assigned.
  ExactSpellings(const ExactSpellings&) = delete;
  ExactSpellings& operator=(const ExactSpellings&) = delete;
  ExactSpellings(ExactSpellings&&) = default;
  ExactSpellings& operator=(ExactSpellings&&) = default;

  std::uint32_t find(std::string_view text) const {
    return static_cast<std::uint32_t>(find_wide(text));
  }
  // find()'s answer as a 64-bit number (kAbsent for a text not held): what a caller
  // storing it in a word takes without zero-extending it (the decoder's enumeration
  // cells: 2,993 -> 2,991 instructions a dossier, measured).
  std::uint64_t find_wide(std::string_view text) const { return find_wide(probe(), text); }

  // What find_wide() reads of the table: a copy of it may be kept beside what its caller
  // reads anyway (the decoder's plan of a field), valid as long as the table.
  struct Probe {
    const Slot* slots;
    std::uint64_t multiplier;
    unsigned shift;
  };
  Probe probe() const { return {slots_.data(), multiplier_, shift_}; }
  static std::uint64_t find_wide(const Probe& probe, std::string_view text) {
    return find_wide(
        probe.slots, probe.shift,
        [multiplier = probe.multiplier](std::uint64_t fingerprint) {
          return fingerprint * multiplier;
        },
        text);
  }
  // The same, `multiply(fingerprint)` giving the fingerprint times the probe's multiplier:
  // a caller keeping the probe in memory may multiply by it there (the decoder: an imul
  // from its plan, not a load and an imul).
  template <typename Multiply>
  static std::uint64_t find_wide(const Slot* slots, unsigned shift, Multiply multiply,
                                 std::string_view text) {
    // No test of the text or the table: an empty text, or one an empty table gets, meets
    // a slot whose text differs from it or an empty slot, whose size is no text's.
    const Words w = words(text);
    const Slot& slot = slots[static_cast<std::size_t>(multiply(fingerprint(w)) >> shift)];
    // A text's number is below kAbsent (the constructor keeps no other), and so is an
    // empty slot's (whose size, kNoText, matches no text): the caller's test of the answer
    // is left out on the ways that find a text (2 instructions an enumeration cell,
    // measured), and GCC reads the number along with the slot's words.
    if (slot.id >= kAbsent) __builtin_unreachable();
    // The size and the first and last (up to) eight bytes are the whole of a text of
    // up to 16 bytes: compared as three words, without reading the slot's text (a
    // comparison of the bytes cost about 20 instructions an enumeration cell, measured).
    // A longer text's slot holds its size inverted (no text's size, nor an empty slot's
    // kNoText, whose inverse 0 is below 17), so that it matches no text here, and a text
    // of up to 16 bytes is found with one test, not two (2,146.7 -> 2,141.3 instructions
    // per dossier, measured).
    if (((slot.head ^ w.head) | (slot.tail ^ w.tail) | (slot.size ^ w.size)) == 0) return slot.id;
    // Beyond, the bytes 16 at a time (same_blocks, support/bytes.hpp), once the sizes are
    // equal.
    if (w.size <= 16 ||
        ((slot.head ^ w.head) | (slot.tail ^ w.tail) | (~slot.size ^ w.size)) != 0 ||
        !same_blocks(slot.text, text.data(), text.size()))
      return kAbsent;
    return slot.id;
  }

  // How many of the texts find() finds.
  std::size_t size() const { return held_; }

 private:
  // An empty slot's size: no text's, so that no text, the empty one included, matches it.
  static constexpr std::uint64_t kNoText = ~std::uint64_t{0};
  struct Slot {
    std::uint64_t head = 0;  // Words of the text held
    std::uint64_t tail = 0;
    std::uint64_t size = kNoText;
    const char* text = nullptr;  // into texts_
    // Below kAbsent, in every slot (an empty one's is never returned): find_wide() tells
    // GCC so before its comparisons.
    std::uint64_t id = 0;
  };
  // A text's size with its first and last (up to) eight bytes, read within the text;
  // below four bytes, its bytes in `head`. Together they are the text, up to 16 bytes.
  struct Words {
    std::uint64_t head;
    std::uint64_t tail;
    std::uint64_t size;
  };

  static Words words(std::string_view text) {
    const std::size_t n = text.size();
    const char* p = text.data();
    std::uint64_t head = 0;
    std::uint64_t tail = 0;
    if (n >= 8) {
      head = load_word<std::uint64_t>(p);
      tail = load_word<std::uint64_t>(p + n - 8);
    } else if (n >= 4) {
      head = load_word<std::uint32_t>(p);
      tail = load_word<std::uint32_t>(p + n - 4);
    } else {
      for (std::size_t i = 0; i < n; ++i) head = head << 8 | static_cast<unsigned char>(p[i]);
    }
    return {head, tail, n};
  }
  static std::uint64_t fingerprint(const Words& w) {
    // The tail doubled, so that it does not cancel the head when they are one word (a
    // text of eight bytes: 3 * head, one-to-one), and the size, so that long texts alike
    // at both ends differ: two additions (one lea), where the tail multiplied by an odd
    // constant and xored took four instructions; index()'s multiplication mixes them.
    // Every spelling of rules/cop2024 and of the bench's 10,000 rules is held as before.
    return w.head + 2 * w.tail + w.size;
  }
  static std::size_t index(std::uint64_t fingerprint, std::uint64_t multiplier, unsigned shift) {
    return static_cast<std::size_t>((fingerprint * multiplier) >> shift);
  }

  std::vector<char> texts_;                         // the texts held, one after another
  std::vector<Slot> slots_ = std::vector<Slot>(2);  // 2^(64 - shift_) slots, never none
  std::uint64_t multiplier_ = 1;
  unsigned shift_ = 63;
  std::size_t held_ = 0;
};

}  // namespace tamis
