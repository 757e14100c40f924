#pragma once
// The hot loops that dispatch on an enumeration (the decoder's readings, the interpreter's
// branches, the output columns) jump through a table of label addresses (GCC's computed
// goto), indexed by the enumerator. Nothing ties such a table to its enumeration: an
// enumerator moved, added or removed would jump to another case without a word, where a
// switch would have had -Wswitch-enum. So each table states the enumerators it lists, in
// its order, and in_enum_order() checks at compile time that they are all of them, each
// at its own value: list[i] has value i, and the last listed is the enumeration's last.
#include <cstddef>

namespace tamis {

template <class Enum, std::size_t N>
constexpr bool in_enum_order(const Enum (&listed)[N], Enum last) {
  if (static_cast<std::size_t>(last) + 1 != N) return false;
  for (std::size_t i = 0; i < N; ++i)
    if (static_cast<std::size_t>(listed[i]) != i) return false;
  return true;
}

}  // namespace tamis
