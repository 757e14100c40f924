#include "runtime/io/atomic_file.hpp"

#include <unistd.h>
#include <cstdio>

namespace tamis::io {

AtomicFile::AtomicFile(std::string path)
    : path_(std::move(path)), temporary_(path_ + ".tmp-" + std::to_string(::getpid())) {
  out_.open(temporary_, std::ios::binary | std::ios::trunc);
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    out_.close();
    std::remove(temporary_.c_str());
  }
}

bool AtomicFile::commit() {
  out_.flush();
  out_.close();
  if (!out_) return false;
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0) return false;
  committed_ = true;
  return true;
}

}  // namespace tamis::io
