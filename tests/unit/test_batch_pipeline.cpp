#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "runtime/parallel/batch_pipeline.hpp"

using tamis::runtime::BatchPipeline;

namespace {

struct Item {
  bool done = true;
  std::exception_ptr failure;
  std::atomic<int> runs{0};
};

}  // namespace

TEST_CASE("BatchPipeline: batches are processed and waited for in any order, failures rethrown",
          "[pipeline]") {
  std::array<Item, 16> items;
  BatchPipeline<Item> pipeline(3, [](std::size_t, Item& item) { ++item.runs; });
  for (auto& item : items) pipeline.submit(&item);
  for (auto& item : items) {
    pipeline.wait(&item);
    CHECK(item.runs == 1);
  }

  BatchPipeline<Item> failing(1, [](std::size_t, Item&) { throw std::runtime_error("boom"); });
  Item item;
  failing.submit(&item);
  CHECK_THROWS_WITH(failing.wait(&item), "boom");
}

// After an exception the caller leaves without waiting: the pipeline must not touch
// the batches it had not started, which the caller frees next.
TEST_CASE(
    "BatchPipeline: destroyed while busy, it finishes the batch in progress and starts no other",
    "[pipeline]") {
  std::array<Item, 4> items;
  std::mutex mutex;
  std::condition_variable changed;
  bool started = false;
  bool release = false;
  std::thread releaser;
  {
    BatchPipeline<Item> pipeline(1, [&](std::size_t, Item& item) {
      ++item.runs;
      std::unique_lock lock(mutex);
      started = true;
      changed.notify_all();
      changed.wait(lock, [&] { return release; });
    });
    for (auto& item : items) pipeline.submit(&item);
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return started; });
    }
    // Let the first batch finish only once the destructor below has begun.
    releaser = std::thread([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      std::lock_guard lock(mutex);
      release = true;
      changed.notify_all();
    });
  }
  releaser.join();
  CHECK(items[0].runs == 1);
  CHECK(items[1].runs == 0);
  CHECK(items[2].runs == 0);
  CHECK(items[3].runs == 0);
}

TEST_CASE("BatchPipeline: the waiting caller processes queued batches itself, as its own worker",
          "[pipeline]") {
  // The one worker is held on the first batch: the caller, waiting for it, takes the
  // three queued ones in order (as worker 1), and stores a failure in its batch.
  struct Tagged {
    bool done = true;
    std::exception_ptr failure;
    int by = -1;     // which worker processed it
    int order = -1;  // in which order the batches were processed
  };
  std::array<Tagged, 4> items;
  std::mutex mutex;
  std::condition_variable changed;
  bool started = false;
  bool release = false;
  int processed = 0;
  BatchPipeline<Tagged> pipeline(1, [&](std::size_t worker, Tagged& item) {
    std::unique_lock lock(mutex);
    item.by = static_cast<int>(worker);
    item.order = processed++;
    changed.notify_all();
    if (worker == 0) {
      started = true;
      changed.notify_all();
      changed.wait(lock, [&] { return release; });
    }
    if (&item == &items[2]) throw std::runtime_error("in the caller's batch");
  });
  pipeline.submit(&items[0]);
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return started; });
  }
  for (std::size_t i = 1; i < items.size(); ++i) pipeline.submit(&items[i]);
  // Released only once the caller has processed the queue: else the worker could take
  // a batch, and which one is the caller's would be a race.
  std::thread releaser([&] {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, std::chrono::seconds(10), [&] { return processed == 4; });
    release = true;
    changed.notify_all();
  });
  pipeline.wait_helping(&items[0], 1);
  releaser.join();
  CHECK(items[0].by == 0);
  CHECK(items[0].order == 0);
  for (std::size_t i = 1; i < items.size(); ++i) {
    CHECK(items[i].by == 1);
    CHECK(items[i].order == static_cast<int>(i));
    CHECK(items[i].done);
  }
  CHECK_NOTHROW(pipeline.wait_helping(&items[1], 1));
  CHECK_THROWS_WITH(pipeline.wait_helping(&items[2], 1), "in the caller's batch");
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TAMIS_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TAMIS_TEST_ASAN 1
#endif

namespace {

// In a child process whose address space is capped a little above what it uses: 64
// threads cannot all get a stack. Returns the child's exit status (0: the pipeline
// started fewer threads and every batch was still processed, once).
int run_with_little_address_space() {
  const pid_t child = ::fork();
  if (child != 0) {
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  std::size_t pages = 0;
  std::ifstream("/proc/self/statm") >> pages;
  const auto used = static_cast<rlim_t>(pages) * static_cast<rlim_t>(::sysconf(_SC_PAGESIZE));
  rlimit limit{};
  ::getrlimit(RLIMIT_AS, &limit);
  limit.rlim_cur = used + (rlim_t{64} << 20);
  ::setrlimit(RLIMIT_AS, &limit);
  std::array<Item, 32> items;
  std::size_t started = 0;
  {
    BatchPipeline<Item> pipeline(64, [](std::size_t, Item& item) { ++item.runs; });
    started = pipeline.threads();
    for (auto& item : items) pipeline.submit(&item);
    for (auto& item : items) pipeline.wait_helping(&item, 64);
  }
  bool once = true;
  for (const auto& item : items) once = once && item.runs == 1;
  ::_exit(started < 64 && once ? 0 : 1);
}

}  // namespace

// `tamis run --threads 300` under `ulimit -v 2000000` ended in "terminate called
// without an active exception": the constructor threw after starting some threads.
TEST_CASE("BatchPipeline: threads the system refuses to start are done without", "[pipeline]") {
#ifndef TAMIS_TEST_ASAN  // the sanitizer's allocator needs address space of its own
  CHECK(run_with_little_address_space() == 0);
#endif
}
