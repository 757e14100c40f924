#pragma once
// 64-bit integers to small values in one flat table: open addressing over a
// power-of-two array of 16-byte slots, the key in its slot. FlatStringMap's twin for
// keys that are numbers (the campaign's `entier` dossier identifiers): no key bytes to
// append, hash or compare, where FlatStringMap::insert with an 8-byte key cost ~110
// instructions a dossier and making its key and hash ~65 more.
#include <bit>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>

namespace tamis {

template <typename V, template <typename> class Allocator = std::allocator>
class FlatIntegerMap {
  struct Slot;  // below

 public:
  // Where a key goes: Fibonacci hashing, the multiplication spreading the key's bits
  // into the top ones (consecutive identifiers land far apart).
  static std::uint64_t hash(std::int64_t key) {
    return static_cast<std::uint64_t>(key) * 0x9e3779b97f4a7c15u;
  }

  // The value stored for `key`, or nullptr. Valid until the next insert().
  const V* find(std::int64_t key) const { return find_hashed(hash(key)); }
  // find() of the key whose hash() is `hashed`.
  const V* find_hashed(std::uint64_t hashed) const {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = slot_for(hashed, shift_);; i = (i + 1) & mask()) {
      const Slot& slot = slots_[i];
      if (!slot.full) return nullptr;
      if (slot.hashed == hashed) return &slot.value;
    }
  }

  // Adds `key` with `value`; false (and the stored value kept) when `key` is there.
  bool insert(std::int64_t key, V value) { return insert_hashed(hash(key), value); }
  // insert() of the key whose hash() is `hashed`.
  bool insert_hashed(std::uint64_t hashed, V value) {
    if ((count_ + 1) * 4 > slots_.size() * 3) grow();  // load factor at most 3/4
    if (!place(&slots_[0], mask(), slot_for(hashed, shift_), hashed, value)) return false;
    ++count_;
    return true;
  }

  // Makes room for `more` keys besides those there, so that a ReservedInserter may add them.
  void reserve_more(std::size_t more) { reserve(count_ + more); }

  // insert() and prefetch() for many keys in a row, room made for all of them
  // before (reserve_more), with the table's address and shift held where the compiler keeps
  // them in registers: through the map, each slot written (its `full` a bool, which may alias
  // anything to the compiler) made them be read again, and the count added in memory, at
  // each key. The map's count is brought up to date by done(), before any other use of it,
  // with the number of keys insert() added (the caller counts them: one register less).
  class ReservedInserter {
   public:
    explicit ReservedInserter(FlatIntegerMap& map)
        : map_(map), slots_(&map.slots_[0]), shift_(map.shift_), mask_(map.mask()) {}
    // Adds the key whose hash() is `hashed` with `value`; false (and the stored value kept)
    // when it is there.
    bool insert_hashed(std::uint64_t hashed, V value) {
      return place(slots_, mask_, slot_for(hashed, shift_), hashed, value);
    }
    // FlatIntegerMap::prefetch of the key whose hash() is `hashed`. Always inline, for the
    // same reason.
    [[gnu::always_inline]] void prefetch_hashed(std::uint64_t hashed) const {
      __builtin_prefetch(slots_ + slot_for(hashed, shift_));
    }
    void done(std::size_t added) { map_.count_ += added; }

   private:
    FlatIntegerMap& map_;
    Slot* slots_;
    unsigned shift_;
    std::size_t mask_;
  };
  // The inserter of `more` keys, room made for them.
  ReservedInserter reserved_inserter(std::size_t more) {
    reserve_more(more);
    return ReservedInserter(*this);
  }

  // Starts loading the slot a lookup of `key` reads first: for tables larger than the
  // processor's caches, looked up many times in a row. Always inline: a function left out
  // of line whose only effect is a prefetch is taken by GCC 12 (its mod/ref analysis) for
  // one without effect, and its calls are removed (the Committer's were, until 2026-12-01).
  [[gnu::always_inline]] void prefetch(std::int64_t key) const { prefetch_hashed(hash(key)); }
  // prefetch() of the key whose hash() is `hashed`.
  [[gnu::always_inline]] void prefetch_hashed(std::uint64_t hashed) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[slot_for(hashed, shift_)]);
  }

  std::size_t size() const { return count_; }

  // Makes room for `keys` keys, so that adding them does not grow the table.
  void reserve(std::size_t keys) {
    std::size_t slots = slots_.empty() ? 64 : slots_.size();
    while (keys * 4 > slots * 3) slots *= 2;
    if (slots > slots_.size()) grow_to(slots);
  }

 private:
  // A key as its hash(), which tells keys apart as well (a product by an odd number, modulo
  // 2^64: one to one): a caller that has it already (the Committer's, from the workers) does
  // not multiply again, and growing does not either.
  struct Slot {
    std::uint64_t hashed = 0;
    V value{};
    bool full = false;
  };

  std::size_t mask() const { return slots_.size() - 1; }
  // The top bits of the hash, as many as the table has slots (a power of two, at least 64).
  static std::size_t slot_for(std::uint64_t hashed, unsigned shift) {
    return static_cast<std::size_t>(hashed >> shift);
  }
  // Puts the key hashed `hashed` with `value` in the first free slot from `i` on; false (nothing
  // changed) when it is there. There must be a free slot. The first slot tested before the loop:
  // GCC 12 made the loop's test the first, jumped to at each key (2,044.1 -> 2,043.3 instructions
  // per dossier).
  static bool place(Slot* slots, std::size_t mask, std::size_t i, std::uint64_t hashed, V value) {
    Slot* slot = slots + i;
    while (slot->full) [[unlikely]] {
        if (slot->hashed == hashed) return false;
        i = (i + 1) & mask;
        slot = slots + i;
      }
    *slot = {hashed, value, true};
    return true;
  }

  void grow() { grow_to(slots_.empty() ? 64 : slots_.size() * 2); }

  void grow_to(std::size_t slots) {
    Slots old = std::move(slots_);
    slots_ = Slots(slots);
    shift_ = 64 - static_cast<unsigned>(std::countr_zero(slots));
    for (const Slot& slot : old) {
      if (!slot.full) continue;
      std::size_t i = slot_for(slot.hashed, shift_);
      while (slots_[i].full) i = (i + 1) & mask();
      slots_[i] = slot;
    }
  }

  // An empty slot is zero bits: slots from a block of zero bytes need no fill.
  static constexpr bool kEmptyIsZero = std::is_arithmetic_v<V> && std::is_trivially_copyable_v<V>;

  // The slots, all empty when made: from Allocator::allocate_zeroed when it has one and an
  // empty slot is zero bits (HugePageAllocator: a mapped block, not written; the fill of a
  // table sized for the campaign was 18 instructions per dossier), else filled.
  class Slots {
   public:
    Slots() = default;
    explicit Slots(std::size_t size) : data_(make_empty(size)), size_(size) {}
    Slots(Slots&& other) noexcept
        : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
    Slots& operator=(Slots&& other) noexcept {
      if (this != &other) {
        release();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
      }
      return *this;
    }
    Slots(const Slots&) = delete;
    Slots& operator=(const Slots&) = delete;
    ~Slots() { release(); }

    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    Slot& operator[](std::size_t i) { return data_[i]; }
    const Slot& operator[](std::size_t i) const { return data_[i]; }
    const Slot* begin() const { return data_; }
    const Slot* end() const { return data_ + size_; }

   private:
    static Slot* make_empty(std::size_t size) {
      Allocator<Slot> allocator;
      if constexpr (kEmptyIsZero && requires { allocator.allocate_zeroed(size); }) {
        return allocator.allocate_zeroed(size);
      } else {
        Slot* slots = allocator.allocate(size);
        std::uninitialized_fill_n(slots, size, Slot{});
        return slots;
      }
    }
    void release() noexcept {
      if (data_ == nullptr) return;
      std::destroy_n(data_, size_);
      Allocator<Slot>().deallocate(data_, size_);
      data_ = nullptr;
      size_ = 0;
    }

    Slot* data_ = nullptr;
    std::size_t size_ = 0;
  };
  Slots slots_;
  unsigned shift_ = 64;
  std::size_t count_ = 0;
};

}  // namespace tamis
