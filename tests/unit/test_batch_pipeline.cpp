#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <catch2/catch.hpp>

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
