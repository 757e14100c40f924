#pragma once
// Content hashes for the audit trail (rule files, campaign files), via OpenSSL's
// libcrypto: a maintained implementation rather than a hand-written one (its SHA256_*
// functions, not EVP: see sha256.cpp).
#include <istream>
#include <string>
#include <string_view>

namespace tamis {

std::string sha256_hex(std::string_view data);
// Hashes a whole stream (read in blocks); returns "" when the stream fails.
std::string sha256_hex(std::istream& in);

}  // namespace tamis
