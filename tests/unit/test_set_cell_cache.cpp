#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/io/set_cell_cache.hpp"

using tamis::io::SetCellCache;

namespace {

// The set and unknown labels `cache` kept for `cell`, as words and texts (`found` false
// when it kept nothing).
struct Kept {
  bool found = false;
  std::vector<std::uint64_t> words;
  std::vector<std::string> unknown;
};

Kept kept(const SetCellCache& cache, std::string_view cell) {
  SetCellCache::Entry entry{};
  Kept k;
  k.found = cache.find(cell, SetCellCache::hash(cell), entry);
  if (!k.found) return k;
  k.words.assign(entry.words, entry.words + cache.words());
  for (std::uint32_t i = 0; i < entry.unknown_count; ++i)
    k.unknown.emplace_back(cell.substr(entry.unknown[i].offset, entry.unknown[i].size));
  return k;
}

void keep(SetCellCache& cache, std::string_view cell, std::vector<std::uint64_t> set,
          const std::vector<std::string_view>& unknown = {}) {
  cache.insert(cell, SetCellCache::hash(cell), set.data(), unknown);
}

}  // namespace

TEST_CASE("SetCellCache: a cell kept is found with its set and unknown labels, by its bytes",
          "[set_cell_cache]") {
  SetCellCache cache(2);
  const std::string cell = "Vélo, Inconnu, Eau";
  keep(cache, cell, {0b101, 1}, {std::string_view(cell).substr(7, 7)});
  keep(cache, "", {0, 0});
  const Kept k = kept(cache, cell);
  REQUIRE(k.found);
  CHECK(k.words == std::vector<std::uint64_t>{0b101, 1});
  CHECK(k.unknown == std::vector<std::string>{"Inconnu"});
  // The places are read in the cell looked up, not in the one kept.
  const std::string same = cell;
  CHECK(kept(cache, same).unknown == std::vector<std::string>{"Inconnu"});
  CHECK(kept(cache, "").found);
  CHECK(kept(cache, "").words == std::vector<std::uint64_t>{0, 0});
  // Another size, or another byte: not found.
  CHECK_FALSE(kept(cache, cell + " ").found);
  CHECK_FALSE(kept(cache, "Vélo, Inconnu, Eaux").found);
  CHECK_FALSE(kept(cache, "vélo, Inconnu, Eau").found);
  CHECK(cache.size() == 2);
}

TEST_CASE("SetCellCache: keeps every cell across growth, up to its limits", "[set_cell_cache]") {
  SetCellCache cache(1);
  const auto cell = [](std::size_t i) { return "Levier " + std::to_string(i) + ", Eau"; };
  for (std::size_t i = 0; i < SetCellCache::kCells + 100; ++i) keep(cache, cell(i), {i});
  CHECK(cache.size() <= SetCellCache::kCells);
  std::size_t found = 0;
  for (std::size_t i = 0; i < SetCellCache::kCells + 100; ++i) {
    const Kept k = kept(cache, cell(i));
    if (!k.found) continue;
    ++found;
    CHECK(k.words == std::vector<std::uint64_t>{i});  // never another cell's set
  }
  // kCells cells at most (a cell whose slot a lookup could not reach in kProbes slots is
  // not kept, and does not count), nearly all of those offered.
  CHECK(found == cache.size());
  CHECK(found > SetCellCache::kCells * 99 / 100);

  // The same with cells of 33 to 80 bytes, whose middle bytes the hash adds up: they
  // spread as well as hash_bytes's (98.1 % of these kept with it; cells that differ only
  // there, in the numbers' digits, are nearly all kept).
  SetCellCache long_cells(1);
  const auto long_cell = [](std::size_t i) {
    return "Rénovation des bâtiments " + std::string(i % 48, '-') + std::to_string(i) +
           ", Eau potable";
  };
  for (std::size_t i = 0; i < SetCellCache::kCells; ++i) keep(long_cells, long_cell(i), {i});
  std::size_t long_found = 0;
  for (std::size_t i = 0; i < SetCellCache::kCells; ++i) {
    const Kept k = kept(long_cells, long_cell(i));
    if (!k.found) continue;
    ++long_found;
    CHECK(k.words == std::vector<std::uint64_t>{i});
  }
  CHECK(long_found == long_cells.size());
  CHECK(long_found > SetCellCache::kCells * 98 / 100);

  // A cell longer than kCellBytes is not kept: memory stays bounded whatever the cells.
  SetCellCache small(1);
  const std::string longest(SetCellCache::kCellBytes, 'a');
  keep(small, longest, {1});
  keep(small, longest + "a", {2});
  CHECK(kept(small, longest).found);
  CHECK_FALSE(kept(small, longest + "a").found);
}

TEST_CASE("SetCellCache: an unused slot matches no cell, whatever the hash given",
          "[set_cell_cache]") {
  // find() tests a slot's hash and size before whether it is used: an unused slot's
  // hash is 0, so cells looked up with hash 0 meet it, the empty cell and a cell of
  // 0xFFFF bytes (an unused slot's size) included.
  SetCellCache cache(1);
  keep(cache, "Eau", {1});
  SetCellCache::Entry entry{};
  for (const std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{16},
                                 SetCellCache::kCellBytes, std::size_t{0xFFFF}}) {
    const std::string cell(size, 'a');
    CHECK_FALSE(SetCellCache(1).find(cell, 0, entry));
    CHECK_FALSE(cache.find(cell, 0, entry));
  }
  CHECK(cache.find("Eau", SetCellCache::hash("Eau"), entry));
}

TEST_CASE("SetCellCache: a cell's hash changes with any one of its bytes, at every size",
          "[set_cell_cache]") {
  // The hash reads a cell's first and last 16 bytes as four words, and adds the bytes
  // between into two of them: a byte no word held would leave cells differing there in
  // one probe chain. Sizes up to 100: cells with no bytes between, and with one to five
  // steps of them, the last one overlapping or not.
  for (std::size_t size = 1; size <= 100; ++size) {
    std::string cell(size, 'a');
    for (std::size_t i = 0; i < size; ++i) cell[i] = static_cast<char>('a' + i % 26);
    const std::uint64_t hash = SetCellCache::hash(cell);
    for (std::size_t i = 0; i < size; ++i) {
      std::string other = cell;
      other[i] = '#';
      INFO(other);
      CHECK(SetCellCache::hash(other) != hash);
    }
    CHECK(SetCellCache::hash(cell + "a") != hash);
  }
}

TEST_CASE("SetCellCache: keeps each byte of cells of every size, up to kCells of the longest",
          "[set_cell_cache]") {
  // The bytes are copied in 16-byte blocks, the last one ending at the cell's end (below
  // 16, as words): a cell found again compares them all.
  SetCellCache cache(1);
  const auto cell = [](std::size_t size, std::size_t seed) {
    std::string s(size, ' ');
    for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>('!' + (i * 7 + seed) % 90);
    return s;
  };
  for (std::size_t size = 0; size <= SetCellCache::kCellBytes; ++size)
    keep(cache, cell(size, size), {size});
  for (std::size_t size = 0; size <= SetCellCache::kCellBytes; ++size) {
    INFO(size);
    const Kept k = kept(cache, cell(size, size));
    REQUIRE(k.found);
    CHECK(k.words == std::vector<std::uint64_t>{size});
    for (std::size_t i = 0; i < size; ++i) {
      std::string other = cell(size, size);
      other[i] = '~';
      CHECK_FALSE(kept(cache, other).found);
    }
  }
  // Room for kCells cells of kCellBytes bytes, each kept as it was.
  const auto longest = [&](std::size_t i) {
    std::string number = std::to_string(i);
    number.insert(0, 5 - number.size(), '0');
    return cell(SetCellCache::kCellBytes - 5, i) + number;  // kCellBytes, distinct
  };
  SetCellCache full(1);
  for (std::size_t i = 0; i < SetCellCache::kCells; ++i) keep(full, longest(i), {i});
  std::size_t found = 0;
  for (std::size_t i = 0; i < SetCellCache::kCells; ++i) {
    const Kept k = kept(full, longest(i));
    found += k.found ? 1 : 0;
    if (k.found) CHECK(k.words == std::vector<std::uint64_t>{i});
  }
  CHECK(found == full.size());
  CHECK(found > SetCellCache::kCells * 98 / 100);
}

TEST_CASE("SetCellCache: find_at_home finds a cell in the slot where it goes first, only",
          "[set_cell_cache]") {
  // 30 cells in 64 slots: some are kept further than the slot they go to first, where
  // find_at_home does not look (the decoder then calls find).
  SetCellCache cache(1);
  std::vector<std::string> cells;
  for (std::uint64_t i = 0; i < 30; ++i) {
    cells.push_back("Vélo, Eau " + std::to_string(i));
    keep(cache, cells.back(), {i + 1});
  }
  std::size_t at_home = 0;
  for (const std::string& cell : cells) {
    INFO(cell);
    const Kept k = kept(cache, cell);
    REQUIRE(k.found);
    SetCellCache::Entry entry{};
    if (!cache.find_at_home(cell, SetCellCache::hash(cell), entry)) continue;
    ++at_home;
    CHECK(std::vector<std::uint64_t>(entry.words, entry.words + 1) == k.words);
  }
  CHECK(at_home > 0);
  CHECK(at_home < cells.size());
  SetCellCache::Entry entry{};
  CHECK_FALSE(cache.find_at_home("Vélo, Eau 30", SetCellCache::hash("Vélo, Eau 30"), entry));
  const std::string too_long(SetCellCache::kCellBytes + 1, 'a');
  CHECK_FALSE(cache.find_at_home(too_long, 0, entry));
}

TEST_CASE("SetCellCache: find_further finds the cells find_at_home does not find",
          "[set_cell_cache]") {
  // As the decoder calls it: after find_at_home failed, it answers as find() does.
  SetCellCache cache(1);
  std::size_t further = 0;
  for (std::uint64_t i = 0; i < 30; ++i) keep(cache, "Vélo, Eau " + std::to_string(i), {i + 1});
  for (std::uint64_t i = 0; i < 60; ++i) {
    const std::string cell = "Vélo, Eau " + std::to_string(i);
    INFO(cell);
    const std::uint64_t hash = SetCellCache::hash(cell);
    SetCellCache::Entry entry{};
    if (cache.find_at_home(cell, hash, entry)) continue;
    const Kept k = kept(cache, cell);
    REQUIRE(cache.find_further(cell, hash, entry) == k.found);
    if (!k.found) continue;
    ++further;
    CHECK(std::vector<std::uint64_t>(entry.words, entry.words + 1) == k.words);
  }
  CHECK(further > 0);
  SetCellCache::Entry entry{};
  const std::string too_long(SetCellCache::kCellBytes + 1, 'a');
  CHECK_FALSE(cache.find_further(too_long, SetCellCache::hash(too_long), entry));
  CHECK_FALSE(SetCellCache(1).find_further("Eau", SetCellCache::hash("Eau"), entry));
}

TEST_CASE("SetCellCache: a set found stays where it is while more cells are kept",
          "[set_cell_cache]") {
  // The decoder's records point at the sets kept: their words never move, sets of several
  // words included, however many cells are kept after them.
  SetCellCache cache(3);
  const auto cell = [](std::size_t i) { return "Levier " + std::to_string(i); };
  keep(cache, cell(0), {7, 8, 9});
  SetCellCache::Entry first{};
  REQUIRE(cache.find(cell(0), SetCellCache::hash(cell(0)), first));
  for (std::size_t i = 1; i < 2000; ++i) keep(cache, cell(i), {i, i + 1, i + 2});
  CHECK(std::vector<std::uint64_t>(first.words, first.words + 3) ==
        std::vector<std::uint64_t>{7, 8, 9});
  for (std::size_t i = 0; i < 2000; ++i) {
    SetCellCache::Entry entry{};
    REQUIRE(cache.find(cell(i), SetCellCache::hash(cell(i)), entry));
    if (i == 0) CHECK(entry.words == first.words);
    const std::vector<std::uint64_t> expected =
        i == 0 ? std::vector<std::uint64_t>{7, 8, 9} : std::vector<std::uint64_t>{i, i + 1, i + 2};
    CHECK(std::vector<std::uint64_t>(entry.words, entry.words + 3) == expected);
  }
}
