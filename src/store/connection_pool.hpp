// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The bounded pool both backends use: at most `max` connections, `min` opened up front, LIFO
// reuse (the warmest connection first), waiting up to a timeout for a free one. Connections open
// outside the lock; a connection that fails its health check on checkout is replaced in its slot.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace cm::store {

template <class Conn>
class ConnectionPool {
 public:
  using Opener = std::function<std::unique_ptr<Conn>()>;
  using HealthCheck = std::function<bool(Conn&)>;

  ConnectionPool(int min, int max, Opener open, HealthCheck healthy = {})
      : max_(max), open_(std::move(open)), healthy_(std::move(healthy)) {
    // Reserved up front so give_back(), which is noexcept, never has to allocate.
    idle_.reserve(static_cast<std::size_t>(max));
    for (int i = 0; i < min; ++i) {
      idle_.push_back(open_());
      ++total_;
    }
  }

  // Throws DbError(unavailable) when no connection frees up within `timeout`.
  std::unique_ptr<Conn> take(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        ++in_use_;
        lock.unlock();
        if (!healthy_ || healthy_(*conn)) return conn;
        conn.reset();  // closes outside the lock; the slot (total_) is reused below
        return open_counted(lock);
      }
      if (total_ < max_) {
        ++total_;
        ++in_use_;
        lock.unlock();  // opening may be a network round trip: do not hold up other threads
        return open_counted(lock);
      }
      if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          total_ >= max_) {
        ++acquire_timeouts_;
        throw DbError(DbError::Kind::unavailable, "no database connection free within " +
                                                      std::to_string(timeout.count()) + " ms");
      }
    }
  }

  // A connection that is not reusable is dropped and its slot freed; it closes in the caller,
  // outside the lock.
  void give_back(std::unique_ptr<Conn> conn, bool reusable) noexcept {
    {
      std::lock_guard lock(mutex_);
      --in_use_;
      if (reusable) {
        idle_.push_back(std::move(conn));
      } else {
        --total_;
      }
    }
    freed_.notify_one();
  }

  PoolStats stats() const {
    std::lock_guard lock(mutex_);
    return PoolStats{static_cast<int>(idle_.size()), in_use_, max_, acquire_timeouts_};
  }

 private:
  // Opens a connection for a slot already counted; gives the slot back on failure. `lock` is
  // unlocked on entry.
  std::unique_ptr<Conn> open_counted(std::unique_lock<std::mutex>& lock) {
    try {
      return open_();
    } catch (...) {
      lock.lock();
      --total_;
      --in_use_;
      lock.unlock();
      freed_.notify_one();
      throw;
    }
  }

  const int max_;
  Opener open_;
  HealthCheck healthy_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int total_ = 0;   // open connections plus those being opened
  int in_use_ = 0;  // leased, or being opened for a lease
  std::int64_t acquire_timeouts_ = 0;
};

}  // namespace cm::store
