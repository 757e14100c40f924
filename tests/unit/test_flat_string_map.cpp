#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <unordered_map>

#include <catch2/catch.hpp>

#include "support/flat_string_map.hpp"
#include "support/huge_page_allocator.hpp"

using tamis::FlatStringMap;

TEST_CASE("FlatStringMap: a key is added once, its first value kept", "[flat_string_map]") {
  FlatStringMap<int> map;
  CHECK(map.find("18203305") == nullptr);
  CHECK(map.insert("18203305", 1));
  CHECK(map.insert("18203329", 2));
  CHECK_FALSE(map.insert("18203305", 3));
  REQUIRE(map.find("18203305") != nullptr);
  CHECK(*map.find("18203305") == 1);
  CHECK(map.insert("", 4));
  CHECK_FALSE(map.insert("", 5));
  CHECK(*map.find("") == 4);
  const std::string long_key(300, 'x');  // a size written on two bytes
  CHECK(map.insert(long_key, 6));
  CHECK(*map.find(long_key) == 6);
  CHECK(map.find(long_key.substr(1)) == nullptr);
  CHECK(map.size() == 4);
}

TEST_CASE("FlatStringMap: agrees with std::unordered_map across growth", "[flat_string_map]") {
  std::mt19937 random(7);
  FlatStringMap<std::uint32_t> map;
  std::unordered_map<std::string, std::uint32_t> reference;
  for (std::uint32_t i = 0; i < 50000; ++i) {
    // Few distinct short keys and some long ones: many repeats, every size of key.
    const auto n = random() % 20000;
    std::string key = std::to_string(n);
    if (n % 7 == 0) key += std::string(n % 200, 'a');
    INFO("key " << key);
    REQUIRE(map.insert(key, FlatStringMap<std::uint32_t>::hash(key), i) ==
            reference.emplace(key, i).second);
    const std::uint32_t* found = map.find(key);
    REQUIRE(found != nullptr);
    CHECK(*found == reference.at(key));
  }
  CHECK(map.size() == reference.size());
}

TEST_CASE("FlatStringMap: on huge pages, keeps every key across growth beyond 2 MiB",
          "[flat_string_map]") {
  // 400,000 identifiers: slots and keys both grow past 2 MiB, so they move from
  // operator new to huge-page mappings, then from mapping to mapping.
  struct Nothing {};
  FlatStringMap<Nothing, tamis::HugePageAllocator> set;
  constexpr std::uint32_t kKeys = 400000;
  for (std::uint32_t i = 0; i < kKeys; ++i) REQUIRE(set.insert("HDF-" + std::to_string(i), {}));
  CHECK(set.size() == kKeys);
  for (std::uint32_t i = 0; i < kKeys; i += 997) {
    CHECK_FALSE(set.insert("HDF-" + std::to_string(i), {}));
    CHECK(set.find("HDF-" + std::to_string(i)) != nullptr);
  }
  CHECK(set.find("HDF-" + std::to_string(kKeys)) == nullptr);
}

TEST_CASE("HugePageAllocator: large blocks are aligned to 2 MiB and usable to the end",
          "[flat_string_map]") {
  tamis::HugePageAllocator<char> allocator;
  constexpr std::size_t kSize = (std::size_t{5} << 20) + 17;  // not a whole number of pages
  char* block = allocator.allocate(kSize);
  CHECK(reinterpret_cast<std::uintptr_t>(block) % tamis::huge_pages::kHugePage == 0);
  block[0] = 'a';
  block[kSize - 1] = 'z';
  CHECK(block[0] == 'a');
  CHECK(block[kSize - 1] == 'z');
  allocator.deallocate(block, kSize);
  char* small = allocator.allocate(100);  // below 2 MiB: operator new
  small[99] = 'x';
  CHECK(small[99] == 'x');
  allocator.deallocate(small, 100);
}

TEST_CASE("FlatStringMap: an empty value takes no room in a slot", "[flat_string_map]") {
  struct Nothing {};
  FlatStringMap<Nothing> set;
  CHECK(set.insert("a", {}));
  CHECK_FALSE(set.insert("a", {}));
  CHECK(set.find("a") != nullptr);
}

TEST_CASE("FlatStringMap: the hash tells apart keys of every size and spreads them",
          "[flat_string_map]") {
  // Dossier identifiers (8 digits, consecutive) and every prefix of a label: each size
  // from 0 to 40 bytes goes through its own branch of the hash.
  std::vector<std::string> keys;
  for (int i = 0; i < 100000; ++i) keys.push_back(std::to_string(18000000 + i));
  const std::string label = "Sobriété et isolation des bâtiments (tertiaire)";
  for (std::size_t n = 0; n <= 40; ++n) keys.push_back(label.substr(0, n));
  keys.push_back(std::string("a\0b", 3));  // differs from "a" + "b" by its middle byte only
  keys.push_back("ab");
  std::set<std::uint64_t> hashes;
  std::vector<int> buckets(1 << 12, 0);  // the low bits pick a slot
  for (const auto& key : keys) {
    const auto h = FlatStringMap<int>::hash(key);
    hashes.insert(h);
    ++buckets[h & (buckets.size() - 1)];
  }
  CHECK(hashes.size() == keys.size());
  // 100,143 keys in 4,096 buckets: about 24 each; a poor mix piles them up.
  CHECK(*std::max_element(buckets.begin(), buckets.end()) < 60);
  CHECK(*std::min_element(buckets.begin(), buckets.end()) > 5);
}

TEST_CASE("FlatStringMap: room reserved beforehand, or less than it holds, loses nothing",
          "[flat_string_map]") {
  FlatStringMap<int> map;
  CHECK(map.insert("avant", 1));
  map.reserve(5000, 5000 * 10);
  for (int i = 0; i < 6000; ++i) CHECK(map.insert(std::to_string(18000000 + i), i));
  map.reserve(10, 10);  // less than it holds: nothing changes
  CHECK(map.size() == 6001);
  CHECK(map.key_bytes() == 6 + 6000 * 9);  // a size byte, then the key
  REQUIRE(map.find("avant") != nullptr);
  CHECK(*map.find("avant") == 1);
  for (int i = 0; i < 6000; ++i) {
    const int* value = map.find(std::to_string(18000000 + i));
    REQUIRE(value != nullptr);
    CHECK(*value == i);
  }
  CHECK_FALSE(map.insert("18000042", 0));
}

TEST_CASE("FlatStringMap: keys of one hash are told apart by every byte, at every size",
          "[flat_string_map]") {
  // All under one hash, so that only the comparison of the keys decides.
  constexpr std::uint64_t kHash = 7;
  for (std::size_t n = 0; n <= 40; ++n) {
    FlatStringMap<int> map;
    std::string key(n, 'a');
    for (std::size_t i = 0; i < n; ++i) key[i] = static_cast<char>('a' + i % 26);
    REQUIRE(map.insert(key, kHash, -1));
    for (std::size_t i = 0; i < n; ++i) {
      std::string other = key;
      other[i] = static_cast<char>(other[i] ^ 0x40);
      INFO("size " << n << ", byte " << i);
      CHECK(map.find(other, kHash) == nullptr);
      CHECK(map.insert(other, kHash, static_cast<int>(i)));
      REQUIRE(map.find(other, kHash) != nullptr);
      CHECK(*map.find(other, kHash) == static_cast<int>(i));
    }
    CHECK(map.find(key + "a", kHash) == nullptr);
    if (n > 0) CHECK(map.find(key.substr(0, n - 1), kHash) == nullptr);
    REQUIRE(map.find(key, kHash) != nullptr);
    CHECK(*map.find(key, kHash) == -1);
  }
}
