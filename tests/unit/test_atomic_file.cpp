#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "runtime/io/atomic_file.hpp"

namespace fs = std::filesystem;
using tamis::io::AtomicFile;

namespace {

// A fresh, empty directory for one test case.
fs::path scratch_directory(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("tamis-atomic-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("an atomic file appears only when committed, whole") {
  const fs::path dir = scratch_directory("commit");
  const fs::path target = dir / "resultats.csv";
  {
    std::ofstream(target) << "ancien contenu\n";
    AtomicFile file(target.string());
    REQUIRE(file.ok());
    file.stream() << "nouveau contenu\n";
    CHECK(read_all(target) == "ancien contenu\n");  // untouched until commit
    REQUIRE(file.commit());
  }
  CHECK(read_all(target) == "nouveau contenu\n");
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  fs::remove_all(dir);
}

TEST_CASE("an atomic file not committed leaves neither target nor temporary file") {
  const fs::path dir = scratch_directory("abandon");
  {
    AtomicFile file((dir / "resultats.csv").string());
    file.stream() << "interrompu\n";
  }
  CHECK(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST_CASE("an atomic file writes in place into a target that is not a regular file") {
  // A named pipe stands for /dev/null or /dev/stdout: renaming a file over it would
  // replace it (as root, /dev/null itself).
  const fs::path dir = scratch_directory("fifo");
  const fs::path fifo = dir / "tube";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // The reading end, opened first without blocking: the writer's open then succeeds.
  const int reading_end = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reading_end >= 0);
  {
    AtomicFile file(fifo.string());
    REQUIRE(file.ok());
    file.stream() << "par le tube\n";
    REQUIRE(file.commit());
  }
  char buffer[64] = {};
  const auto received = ::read(reading_end, buffer, sizeof buffer);
  ::close(reading_end);
  CHECK(std::string(buffer, received > 0 ? static_cast<std::size_t>(received) : 0) ==
        "par le tube\n");
  CHECK(fs::is_fifo(fifo));
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  fs::remove_all(dir);
}
