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
#include <limits>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace tamis::runtime {

template <typename Batch>
class BatchPipeline {
 public:
  using Process = std::function<void(std::size_t worker, Batch& batch)>;

  // Starts up to `workers` threads. When the system refuses one (too many threads, no
  // address space left for its stack), the pipeline runs with half of those it got:
  // the limit reached, the stacks of all of them would leave no memory for the work
  // itself (`ulimit -v 2000000` and 255 threads: std::bad_alloc). Throwing instead
  // would destroy started threads still joinable, which terminates the process.
  // threads() says how many run; with none, wait_helping() processes every batch.
  BatchPipeline(std::size_t workers, Process process) : process_(std::move(process)) {
    threads_.reserve(workers);
    for (std::size_t w = 0; w < workers; ++w) {
      try {
        threads_.emplace_back([this, w] { run(w); });
      } catch (const std::system_error&) {
        keep_threads(threads_.size() / 2);
        break;
      }
    }
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

  std::size_t threads() const { return threads_.size(); }

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
  // Needs a thread (threads() > 0): use wait_helping() otherwise.
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
        work_ready_.wait(
            lock, [this, worker] { return stopping_ || worker >= kept_ || !queue_.empty(); });
        if (stopping_ || worker >= kept_) return;
        batch = queue_.front();
        queue_.pop_front();
      }
      process_and_finish(worker, batch);
    }
  }

  // Stops and joins the threads after the first `count` (none has work yet).
  void keep_threads(std::size_t count) {
    {
      std::lock_guard lock(mutex_);
      kept_ = count;
    }
    work_ready_.notify_all();
    for (std::size_t w = count; w < threads_.size(); ++w) threads_[w].join();
    threads_.resize(count);
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
  std::size_t kept_ = std::numeric_limits<std::size_t>::max();  // threads from this index on stop
  std::vector<std::thread> threads_;
};

}  // namespace tamis::runtime
