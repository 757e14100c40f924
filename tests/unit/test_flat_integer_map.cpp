#include <cstdint>
#include <limits>
#include <random>
#include <unordered_map>

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
