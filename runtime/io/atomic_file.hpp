#pragma once
// An output file that appears whole or not at all: written to a temporary file
// beside the target, renamed over it by commit(). An interrupted or failed run
// never leaves a half-written results file behind.
//
// A target that exists and is not a regular file (/dev/null, /dev/stdout, a named
// pipe) is written in place: renaming a file over it would replace the device.
#include <fstream>
#include <string>

namespace tamis::io {

class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();  // removes the temporary file unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  bool ok() const { return static_cast<bool>(out_); }
  std::ostream& stream() { return out_; }
  // Flushes, closes and renames; returns false (and leaves the target untouched) on failure.
  bool commit();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string temporary_;  // empty when writing in place
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace tamis::io
