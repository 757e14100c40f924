// Runs a libFuzzer target's code without libFuzzer, with any compiler:
//   fuzz_X_replay FILE_OR_FOLDER...
// Every regular file (folders: recursively, sorted; README*, *.md and dot files
// skipped) is passed once to LLVMFuzzerTestOneInput. A crash or a violated
// invariant ends the process abnormally, which fails the CTest test.
// Inputs under a folder named `xfail` are known, not yet fixed crashes: each runs
// in a child process; its crash is reported as XFAIL, and an input that no longer
// crashes as XPASS (move it out of xfail/). Neither fails the run.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool is_input(const std::filesystem::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] != '.' && name.rfind("README", 0) != 0 && p.extension() != ".md";
}

bool known_crash(const std::filesystem::path& p) {
  for (const auto& part : p.parent_path()) {
    if (part == "xfail") return true;
  }
  return false;
}

void run(const std::string& bytes) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

// True when running `bytes` in a child process ends abnormally.
bool crashes_in_child(const std::string& bytes) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    run(bytes);
    std::fflush(nullptr);
    _exit(0);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return true;
  return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

}  // namespace

int main(int argc, char** argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::filesystem::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    if (std::filesystem::is_directory(arg)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(arg)) {
        if (e.is_regular_file() && is_input(e.path())) inputs.push_back(e.path());
      }
    } else if (std::filesystem::is_regular_file(arg)) {
      inputs.push_back(arg);
    } else {
      std::fprintf(stderr, "replay: %s: no such file or folder\n", argv[i]);
      return 2;
    }
  }
  std::sort(inputs.begin(), inputs.end());
  std::size_t xfail = 0;
  std::size_t xpass = 0;
  for (const auto& p : inputs) {
    std::ifstream in(p, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", p.string().c_str(), bytes.size());
    if (!known_crash(p)) {
      run(bytes);
    } else if (crashes_in_child(bytes)) {
      ++xfail;
      std::fprintf(stderr, "replay: XFAIL %s: still crashes (known defect)\n", p.string().c_str());
    } else {
      ++xpass;
      std::fprintf(stderr, "replay: XPASS %s: no longer crashes, move it out of xfail/\n",
                   p.string().c_str());
    }
  }
  std::printf("replayed %zu input(s): %zu known crash(es), %zu fixed\n", inputs.size(), xfail,
              xpass);
  return 0;
}
