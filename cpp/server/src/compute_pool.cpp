#include "compute_pool.hpp"

#include <exception>

namespace pmkpi::server {

ComputePool::ComputePool(unsigned threads, std::size_t queue_limit) : limit_(queue_limit) {
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

ComputePool::~ComputePool() { stop(std::chrono::steady_clock::time_point::max()); }

bool ComputePool::submit(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // A job waits only when every thread is busy; the limit counts those waiting.
    const std::size_t idle =
        threads_.size() > running_ + queue_.size() ? threads_.size() - running_ - queue_.size() : 0;
    if (stopping_ || (idle == 0 && queue_.size() >= limit_)) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void ComputePool::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping
    std::function<void()> job = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    lock.unlock();
    try {
      job();
    } catch (const std::exception&) {
      // the job reports its own failures; nothing may escape a pool thread
    }
    job = nullptr;  // its captures (the session) are released before the pool counts it done
    lock.lock();
    --running_;
    idle_.notify_all();
  }
}

bool ComputePool::stop(std::chrono::steady_clock::time_point deadline) {
  std::deque<std::function<void()>> dropped;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (threads_.empty()) return true;
    stopping_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_all();
  dropped.clear();  // outside the lock: a job's destructor may post to its session
  bool clean = true;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (deadline == std::chrono::steady_clock::time_point::max())
      idle_.wait(lock, [this] { return running_ == 0; });
    else
      clean = idle_.wait_until(lock, deadline, [this] { return running_ == 0; });
  }
  for (auto& t : threads_) {
    if (clean)
      t.join();
    else
      t.detach();  // still computing: the process exits without waiting for it
  }
  threads_.clear();
  return clean;
}

std::size_t ComputePool::queued() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

std::size_t ComputePool::running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_;
}

}  // namespace pmkpi::server
