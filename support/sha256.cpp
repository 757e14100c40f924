#include "support/sha256.hpp"

// OpenSSL's SHA256_* functions, deprecated in OpenSSL 3 in favour of EVP but kept by
// every 3.x release. EVP finds its implementation through the provider tables, which
// the static link brought in whole: 340 KB of pointers that every start of the
// program relocated, about 100 page faults and 1.3 ms on the development VM.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <array>

namespace tamis {

namespace {

struct Hasher {
  SHA256_CTX ctx{};
  Hasher() { SHA256_Init(&ctx); }
  void update(const char* data, std::size_t size) { SHA256_Update(&ctx, data, size); }
  std::string hex() {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256_Final(digest.data(), &ctx);
    static const char* kDigits = "0123456789abcdef";
    std::string out;
    for (const unsigned char byte : digest) {
      out += kDigits[byte >> 4];
      out += kDigits[byte & 0xF];
    }
    return out;
  }
};

}  // namespace

std::string sha256_hex(std::string_view data) {
  Hasher h;
  h.update(data.data(), data.size());
  return h.hex();
}

std::string sha256_hex(std::istream& in) {
  Hasher h;
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    h.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) return {};
  return h.hex();
}

}  // namespace tamis
