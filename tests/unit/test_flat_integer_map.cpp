#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <unordered_map>
#include <vector>

#include <catch2/catch.hpp>

#include "support/flat_integer_map.hpp"
#include "support/huge_page_allocator.hpp"

using tamis::FlatIntegerMap;

TEST_CASE("FlatIntegerMap: a key is added once, its first value kept", "[flat_integer_map]") {
  FlatIntegerMap<int> map;
  CHECK(map.find(18203305) == nullptr);
  CHECK(map.insert(18203305, 1));
  CHECK(map.insert(18203329, 2));
  CHECK_FALSE(map.insert(18203305, 3));
  REQUIRE(map.find(18203305) != nullptr);
  CHECK(*map.find(18203305) == 1);
  // 0 (an empty slot's key), negative numbers and the extremes are keys like any other.
  for (const std::int64_t key :
       {std::int64_t{0}, std::int64_t{-1}, std::numeric_limits<std::int64_t>::min(),
        std::numeric_limits<std::int64_t>::max()}) {
    INFO("key " << key);
    CHECK(map.find(key) == nullptr);
    CHECK(map.insert(key, 4));
    CHECK_FALSE(map.insert(key, 5));
    CHECK(*map.find(key) == 4);
  }
  CHECK(map.size() == 6);
}

TEST_CASE("FlatIntegerMap: agrees with std::unordered_map across growth", "[flat_integer_map]") {
  std::mt19937_64 random(7);
  FlatIntegerMap<std::uint32_t, tamis::HugePageAllocator> map;
  std::unordered_map<std::int64_t, std::uint32_t> reference;
  for (std::uint32_t i = 0; i < 300000; ++i) {
    // Consecutive numbers (an export's identifiers), a few repeated, and random ones.
    const std::int64_t key = i % 3 == 0 ? static_cast<std::int64_t>(random())
                                        : 18200000 + static_cast<std::int64_t>(i % 150000);
    INFO("key " << key);
    REQUIRE(map.insert(key, i) == reference.emplace(key, i).second);
    const std::uint32_t* found = map.find(key);
    REQUIRE(found != nullptr);
    CHECK(*found == reference.at(key));
  }
  CHECK(map.size() == reference.size());
  map.reserve(4 * reference.size());  // moves every key
  for (const auto& [key, value] : reference) {
    REQUIRE(map.find(key) != nullptr);
    CHECK(*map.find(key) == value);
  }
}

namespace {

// An allocator whose blocks hold 0xA5 bytes in every other object, but those of
// allocate_zeroed: a table that takes a block for empty slots without making them so
// finds « full » slots in it, of key kPoisonKey (the others let its lookups end).
constexpr auto kPoisonKey = static_cast<std::int64_t>(0xA5A5A5A5A5A5A5A5u);
template <typename T>
struct PoisonedAllocator {
  using value_type = T;
  PoisonedAllocator() = default;
  template <typename U>
  PoisonedAllocator(const PoisonedAllocator<U>&) noexcept {}  // NOLINT: rebinding is implicit
  T* allocate(std::size_t n) {
    T* block = std::allocator<T>().allocate(n);
    for (std::size_t i = 1; i < n; i += 2)
      std::memset(static_cast<void*>(block + i), 0xA5, sizeof(T));
    return block;
  }
  void deallocate(T* p, std::size_t n) noexcept { std::allocator<T>().deallocate(p, n); }
  template <typename U>
  bool operator==(const PoisonedAllocator<U>&) const noexcept {
    return true;
  }
};

template <typename T>
struct PoisonedZeroingAllocator : PoisonedAllocator<T> {
  PoisonedZeroingAllocator() = default;
  template <typename U>
  PoisonedZeroingAllocator(const PoisonedZeroingAllocator<U>&) noexcept {}  // NOLINT
  T* allocate_zeroed(std::size_t n) {
    T* block = this->allocate(n);
    std::memset(static_cast<void*>(block), 0, n * sizeof(T));
    return block;
  }
};

template <typename Map>
void check_keys_across_growth(Map& map) {
  for (std::int64_t key = 0; key < 5000; ++key)
    REQUIRE(map.insert(key * 7919, static_cast<std::uint32_t>(key % 1000)));
  map.reserve(20000);
  for (std::int64_t key = 0; key < 5000; ++key) {
    REQUIRE(map.find(key * 7919) != nullptr);
    CHECK(*map.find(key * 7919) == key % 1000);
    CHECK(map.find(key * 7919 + 1) == nullptr);
  }
  CHECK(map.find(kPoisonKey) == nullptr);
}

}  // namespace

TEST_CASE("FlatIntegerMap: empty slots from zeroed blocks, or filled", "[flat_integer_map]") {
  SECTION("an allocator with allocate_zeroed: its zero bytes are empty slots") {
    FlatIntegerMap<std::uint32_t, PoisonedZeroingAllocator> map;
    check_keys_across_growth(map);
  }
  SECTION("an allocator without: the slots are filled") {
    FlatIntegerMap<std::uint32_t, PoisonedAllocator> map;
    check_keys_across_growth(map);
  }
  SECTION("a value that is not a number: filled, even with allocate_zeroed") {
    struct Value {
      std::int32_t number = 0;
    };
    FlatIntegerMap<Value, PoisonedZeroingAllocator> map;
    for (std::int64_t key = 0; key < 5000; ++key)
      REQUIRE(map.insert(key * 7919, {static_cast<std::int32_t>(key % 1000)}));
    map.reserve(20000);
    for (std::int64_t key = 0; key < 5000; ++key) {
      REQUIRE(map.find(key * 7919) != nullptr);
      CHECK(map.find(key * 7919)->number == key % 1000);
    }
    CHECK(map.find(1) == nullptr);
    CHECK(map.find(kPoisonKey) == nullptr);
  }
}

TEST_CASE("HugePageAllocator: allocate_zeroed gives zero bytes, mapped or not",
          "[flat_integer_map]") {
  tamis::HugePageAllocator<unsigned char> allocator;
  // Below, at and above the sizes that are mapped, and a huge-page one.
  for (const std::size_t size :
       {std::size_t{100}, tamis::huge_pages::kMappedFrom - 1, tamis::huge_pages::kMappedFrom,
        tamis::huge_pages::kMappedFrom + 4097, (std::size_t{2} << 20) + 17}) {
    INFO("size " << size);
    // A block of the same size written and given back first: operator new may hand it again.
    unsigned char* used = allocator.allocate(size);
    std::memset(used, 0xA5, size);
    allocator.deallocate(used, size);
    unsigned char* block = allocator.allocate_zeroed(size);
    std::size_t nonzero = 0;
    for (std::size_t i = 0; i < size; ++i) nonzero += block[i] != 0;
    CHECK(nonzero == 0);
    block[size - 1] = 1;  // usable to the end
    allocator.deallocate(block, size);
  }
}

TEST_CASE("FlatIntegerMap: keys inserted in room made before, as insert() would",
          "[flat_integer_map]") {
  // A ReservedInserter does not grow the table: reserved_inserter() makes room for that many
  // keys besides those there, batch after batch; done() counts those it added, and the keys
  // are then found like any other, with the first value each was inserted with.
  FlatIntegerMap<std::uint32_t, tamis::HugePageAllocator> reserved;
  FlatIntegerMap<std::uint32_t> inserted;
  std::mt19937_64 random(7);
  for (int batch = 0; batch < 40; ++batch) {
    auto inserter = reserved.reserved_inserter(1000);
    std::size_t added = 0;
    for (std::uint32_t i = 0; i < 1000; ++i) {
      const auto key = static_cast<std::int64_t>(random() % 30000) - 100;
      const std::uint32_t value = static_cast<std::uint32_t>(batch) * 1000 + i;
      using Map = FlatIntegerMap<std::uint32_t, tamis::HugePageAllocator>;
      inserter.prefetch_hashed(Map::hash(key + 1));  // only a hint
      const bool added_now = inserter.insert_hashed(Map::hash(key), value);
      CHECK(added_now == inserted.insert(key, value));
      added += added_now;
    }
    inserter.done(added);
    CHECK(reserved.size() == inserted.size());
  }
  for (std::int64_t key = -200; key < 30100; ++key) {
    const std::uint32_t* a = reserved.find(key);
    const std::uint32_t* b = inserted.find(key);
    REQUIRE((a == nullptr) == (b == nullptr));
    if (a != nullptr) CHECK(*a == *b);
  }
  // Then inserted into as usual: grown from the count done() kept, its keys kept.
  for (std::int64_t key = 40000; key < 140000; ++key) CHECK(reserved.insert(key, 1));
  CHECK(reserved.size() == inserted.size() + 100000);
  std::size_t different = 0;
  for (std::int64_t key = -200; key < 30100; ++key) {
    const std::uint32_t* a = reserved.find(key);
    const std::uint32_t* b = inserted.find(key);
    different += (a == nullptr) != (b == nullptr) || (a != nullptr && *a != *b);
  }
  CHECK(different == 0);
}

TEST_CASE("FlatIntegerMap: keys given by their hash are the same keys", "[flat_integer_map]") {
  using Map = FlatIntegerMap<std::uint32_t, tamis::HugePageAllocator>;
  Map map;
  std::mt19937_64 random(7);
  std::vector<std::int64_t> keys;
  for (int i = 0; i < 300; ++i) keys.push_back(static_cast<std::int64_t>(random()));
  keys.push_back(0);
  keys.push_back(-1);
  keys.push_back(std::numeric_limits<std::int64_t>::min());
  // Half through insert(), half through the reserved inserter with hashes: each found by
  // both find() and find_hashed(), none added twice by either way.
  const std::size_t half = keys.size() / 2;
  for (std::size_t i = 0; i < half; ++i) CHECK(map.insert(keys[i], static_cast<std::uint32_t>(i)));
  Map::ReservedInserter inserter = map.reserved_inserter(keys.size() - half);
  std::size_t added = 0;
  for (std::size_t i = half; i < keys.size(); ++i) {
    inserter.prefetch_hashed(Map::hash(keys[i]));
    CHECK(inserter.insert_hashed(Map::hash(keys[i]), static_cast<std::uint32_t>(i)));
    ++added;
    CHECK_FALSE(inserter.insert_hashed(Map::hash(keys[0]), 9999));
  }
  inserter.done(added);
  CHECK(map.size() == keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    INFO("key " << keys[i]);
    CHECK_FALSE(map.insert_hashed(Map::hash(keys[i]), 9999));
    CHECK_FALSE(map.insert(keys[i], 9999));
    REQUIRE(map.find(keys[i]) != nullptr);
    CHECK(*map.find(keys[i]) == i);
    REQUIRE(map.find_hashed(Map::hash(keys[i])) != nullptr);
    CHECK(*map.find_hashed(Map::hash(keys[i])) == i);
  }
  CHECK(map.find(12345) == nullptr);
}
