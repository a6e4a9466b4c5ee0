#pragma once
// The compute pool: heavy requests (forecasts, pattern analyses) run on these threads, never on the
// I/O threads, so /health and the metric routes stay answered however long a forecast takes. The
// queue is bounded: a full queue is the caller's cue to answer 503 with Retry-After.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pmkpi::server {

class ComputePool {
 public:
  ComputePool(unsigned threads, std::size_t queue_limit);
  ~ComputePool();
  ComputePool(const ComputePool&) = delete;
  ComputePool& operator=(const ComputePool&) = delete;

  /** Queues `job`; false (and `job` is dropped) when the queue is full or the pool is stopping. */
  bool submit(std::function<void()> job);

  /**
   * Takes no more jobs, drops the queued ones (they must notice their request was cancelled),
   * waits until `deadline` for the running ones. True when every thread finished; otherwise the
   * busy threads are left to the process's exit.
   */
  bool stop(std::chrono::steady_clock::time_point deadline);

  std::size_t queued() const;
  std::size_t running() const;

 private:
  void work();

  const std::size_t limit_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::deque<std::function<void()>> queue_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace pmkpi::server
