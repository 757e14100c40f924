#pragma once
// Shared by the fuzz targets: an output stream that discards what it is given
// (the formatting code still runs), and the check that stops the fuzzer.
#include <cstdio>
#include <ostream>
#include <streambuf>

namespace tamis::fuzz {

class NullBuffer : public std::streambuf {
 protected:
  int_type overflow(int_type c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

class NullStream : public std::ostream {
 public:
  NullStream() : std::ostream(&buffer_) {}

 private:
  NullBuffer buffer_;
};

// A broken invariant is a crash for libFuzzer (and for the replay test).
inline void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz: invariant violated: %s\n", what);
    std::fflush(stderr);
    __builtin_trap();
  }
}

}  // namespace tamis::fuzz
