#pragma once
// Processes batches on worker threads while the caller reads the next ones and
// consumes finished ones in submission order. The caller owns the batches; a
// worker only touches the batch it was given, with its own per-worker state
// (`process(worker, batch)`), so no lock is held while work is done.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tamis::runtime {

template <typename Batch>
class BatchPipeline {
 public:
  using Process = std::function<void(std::size_t worker, Batch& batch)>;

  BatchPipeline(std::size_t workers, Process process) : process_(std::move(process)) {
    for (std::size_t w = 0; w < workers; ++w) threads_.emplace_back([this, w] { run(w); });
  }

  // Waits for the batches being processed; those not started yet are abandoned (the
  // caller is leaving, after an exception, and will not wait for them).
  ~BatchPipeline() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    for (auto& t : threads_) t.join();
  }

  BatchPipeline(const BatchPipeline&) = delete;
  BatchPipeline& operator=(const BatchPipeline&) = delete;

  void submit(Batch* batch) {
    {
      std::lock_guard lock(mutex_);
      batch->done = false;
      batch->failure = nullptr;
      queue_.push_back(batch);
    }
    work_ready_.notify_one();
  }

  // Blocks until `batch` has been processed; rethrows what its processing threw.
  void wait(Batch* batch) {
    std::unique_lock lock(mutex_);
    batch_done_.wait(lock, [batch] { return batch->done; });
    if (batch->failure) std::rethrow_exception(batch->failure);
  }

  // As wait(), but while `batch` is not done the caller processes batches not started
  // yet itself, as worker `helper` (a worker index of its own, beyond the threads'),
  // instead of sleeping.
  void wait_helping(Batch* batch, std::size_t helper) {
    std::unique_lock lock(mutex_);
    while (!batch->done) {
      if (queue_.empty()) {
        batch_done_.wait(lock);
        continue;
      }
      Batch* next = queue_.front();
      queue_.pop_front();
      lock.unlock();
      process_and_finish(helper, next);
      lock.lock();
    }
    if (batch->failure) std::rethrow_exception(batch->failure);
  }

 private:
  void run(std::size_t worker) {
    for (;;) {
      Batch* batch = nullptr;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        batch = queue_.front();
        queue_.pop_front();
      }
      process_and_finish(worker, batch);
    }
  }

  void process_and_finish(std::size_t worker, Batch* batch) {
    std::exception_ptr failure;
    try {
      process_(worker, *batch);
    } catch (...) {
      failure = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      batch->failure = failure;
      batch->done = true;
    }
    batch_done_.notify_all();
  }

  Process process_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable batch_done_;
  std::deque<Batch*> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace tamis::runtime
