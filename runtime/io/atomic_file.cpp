#include "runtime/io/atomic_file.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace tamis::io {

namespace {

// True when `path` names something other than a regular file (a device, a pipe).
bool is_special_file(const std::string& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  return !error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status);
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  if (!is_special_file(path_)) temporary_ = path_ + ".tmp-" + std::to_string(::getpid());
  out_.open(temporary_.empty() ? path_ : temporary_, std::ios::binary | std::ios::trunc);
}

AtomicFile::~AtomicFile() {
  if (!committed_ && !temporary_.empty()) {
    out_.close();
    std::remove(temporary_.c_str());
  }
}

bool AtomicFile::commit() {
  out_.flush();
  out_.close();
  if (!out_) return false;
  if (!temporary_.empty() && std::rename(temporary_.c_str(), path_.c_str()) != 0) return false;
  committed_ = true;
  return true;
}

}  // namespace tamis::io
