#include <random>
#include <string>
#include <unordered_set>

#include <catch2/catch.hpp>

#include "runtime/io/identifier_set.hpp"

using tamis::io::IdentifierSet;

TEST_CASE("IdentifierSet: a key is refused the second time only", "[ids]") {
  IdentifierSet ids;
  CHECK(ids.insert("18203305"));
  CHECK(ids.insert("18203329"));
  CHECK_FALSE(ids.insert("18203305"));
  CHECK(ids.insert(""));
  CHECK_FALSE(ids.insert(""));
  const std::string long_key(300, 'x');  // a size written on two bytes
  CHECK(ids.insert(long_key));
  CHECK_FALSE(ids.insert(long_key));
  CHECK(ids.insert(long_key.substr(1)));
  CHECK(ids.size() == 5);
}

TEST_CASE("IdentifierSet: agrees with std::unordered_set across growth", "[ids]") {
  std::mt19937 random(7);
  IdentifierSet ids;
  std::unordered_set<std::string> reference;
  for (int i = 0; i < 50000; ++i) {
    // Few distinct short keys and some long ones: many repeats, every size of key.
    const auto n = random() % 20000;
    std::string key = std::to_string(n);
    if (n % 7 == 0) key += std::string(n % 200, 'a');
    INFO("key " << key);
    REQUIRE(ids.insert(key) == reference.insert(key).second);
  }
  CHECK(ids.size() == reference.size());
}
