#pragma once
// An allocator for the few tables that grow to tens of megabytes and are read at
// random: the identifiers of a campaign of a million dossiers. Blocks from 2 MiB up
// are mapped on their own, aligned to 2 MiB and marked for transparent huge pages
// (Debian's default THP mode, « madvise », gives huge pages only to memory that asks).
// With 4 KiB pages, filling that table was one page fault every 4 KiB (about 14,000
// faults, a tenth of a million-row run's time on the thread that commits) and each
// random lookup a TLB miss; with 2 MiB pages, a few dozen faults and no TLB misses.
// Blocks from 64 KiB up to 2 MiB are mapped on their own too, with no alignment: a
// mapping's pages are zero, so a table whose empty slot is zero bits is not filled
// (allocate_zeroed: FlatIntegerMap::grow_to's fill of the identifier table, sized from
// the input, was 18 instructions per dossier). Smaller blocks come from operator new,
// as with std::allocator.
#include <sys/mman.h>
#include <cstring>

#include <cstddef>
#include <cstdint>
#include <new>

namespace tamis {

namespace huge_pages {

inline constexpr std::size_t kHugePage = std::size_t{2} << 20;
// Blocks from this size up are mapped (zero pages); below, from operator new.
inline constexpr std::size_t kMappedFrom = std::size_t{64} << 10;
inline constexpr std::size_t kPage = std::size_t{4} << 10;

inline bool mapped(std::size_t bytes) {
  return bytes >= kMappedFrom;
}

// A mapped block's size: whole huge pages from 2 MiB up, whole pages below.
inline std::size_t mapped_size(std::size_t bytes) {
  const std::size_t unit = bytes < kHugePage ? kPage : kHugePage;
  return (bytes + unit - 1) & ~(unit - 1);
}

inline void* map_pages(std::size_t bytes) {
  void* block = ::mmap(nullptr, mapped_size(bytes), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (block == MAP_FAILED) throw std::bad_alloc();
  return block;
}

inline void* allocate(std::size_t bytes) {
  if (!mapped(bytes)) return ::operator new(bytes);
  if (bytes < kHugePage) return map_pages(bytes);
  const std::size_t size = mapped_size(bytes);
  // Map one huge page more than needed, then unmap what lies outside the aligned part.
  void* raw =
      ::mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
  if (aligned > start) ::munmap(raw, aligned - start);
  if (const std::uintptr_t end = start + size + kHugePage; end > aligned + size)
    ::munmap(reinterpret_cast<void*>(aligned + size), end - (aligned + size));
  // A hint: without THP (disabled, or another kernel), the block is ordinary memory.
  ::madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(aligned);
}

// A block of `bytes` zero bytes: mapped ones are (fresh anonymous pages), others are filled.
inline void* allocate_zeroed(std::size_t bytes) {
  void* block = allocate(bytes);
  if (!mapped(bytes)) std::memset(block, 0, bytes);
  return block;
}

inline void deallocate(void* p, std::size_t bytes) noexcept {
  if (!mapped(bytes)) {
    ::operator delete(p);
    return;
  }
  ::munmap(p, mapped_size(bytes));
}

}  // namespace huge_pages

template <typename T>
struct HugePageAllocator {
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT: rebinding is implicit

  T* allocate(std::size_t n) { return static_cast<T*>(huge_pages::allocate(n * sizeof(T))); }
  // `n` objects' room, all bytes zero.
  T* allocate_zeroed(std::size_t n) {
    return static_cast<T*>(huge_pages::allocate_zeroed(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { huge_pages::deallocate(p, n * sizeof(T)); }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace tamis
