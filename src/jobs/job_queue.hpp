// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The job queue seam. Today one implementation, DatabaseJobQueue (the `jobs` table, SQLite or
// PostgreSQL); the Redis issue adds a second behind the same interface. What every
// implementation promises:
//
// - enqueue(tx, job) joins the caller's database transaction: the job exists if and only if the
//   change that needed it commits. (A Redis queue keeps this by writing the job through the
//   transaction as an outbox row and moving it to Redis after the commit.)
// - claim() leases jobs: a job is held by one worker at a time until its lease ends; a worker
//   that dies simply stops extending its lease, and the job is claimed again elsewhere after it
//   expires. So a job may run more than once: handlers must be idempotent.
// - A failed attempt is retried at the time the worker asks (the backoff) until max_attempts is
//   used up; then the job is a dead letter (status `dead`) until an operator retries or cancels
//   it.
// - enqueue_unique() enqueues at most one job per unique key, across any number of processes
//   (scheduled periods).
//
// A leased job (as returned by claim) identifies its lease by `locked_by` and `attempts`; every
// lease call returns false once that lease is no longer held (expired and claimed again,
// cancelled), and the caller then drops its result.

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/job.hpp"
#include "store/database.hpp"

namespace cm::jobs {

struct ClaimRequest {
  std::string worker_id;
  std::vector<std::string> kinds;  // the kinds this worker has handlers for
  std::chrono::milliseconds lease{60'000};
  int max_jobs = 1;
};

// What became of a failed attempt.
enum class FailResult { retrying, dead, lease_lost };

class JobQueue {
 public:
  virtual ~JobQueue() = default;

  // Within the caller's write transaction; returns the job id. Throws std::invalid_argument for
  // a bad kind, a payload that is not a JSON object of at most 64 KiB, or bad max_attempts.
  virtual std::string enqueue(store::Transaction& tx, const NewJob& job) = 0;
  // In a transaction of its own.
  virtual std::string enqueue(const NewJob& job) = 0;
  // In a transaction of its own; job.unique_key is required. The new id, or nullopt when a job
  // with that key already exists (in any state).
  virtual std::optional<std::string> enqueue_unique(const NewJob& job) = 0;

  // Leases up to max_jobs due jobs (or jobs whose previous lease expired) for `lease`.
  virtual std::vector<Job> claim(const ClaimRequest& request) = 0;
  virtual bool extend_lease(const Job& leased, std::chrono::milliseconds lease) = 0;
  virtual bool complete(const Job& leased) = 0;
  // Retries after `delay` unless the attempts are used up, then dead-letters.
  virtual FailResult fail(const Job& leased, std::string_view error,
                          std::chrono::milliseconds delay) = 0;
  // Dead-letters at once (the handler knows retrying cannot help, e.g. a malformed payload).
  virtual bool bury(const Job& leased, std::string_view error) = 0;
  // Returns the job unrun, without using up an attempt (shutdown before it started).
  virtual bool release(const Job& leased) = 0;

  // Operators (`contractmgmt jobs ...`).
  virtual std::optional<Job> find(std::string_view id) = 0;
  virtual std::vector<Job> list(const JobFilter& filter) = 0;
  virtual JobAdminResult retry(std::string_view id) = 0;
  virtual JobAdminResult cancel(std::string_view id) = 0;
  // Queued, running and dead jobs per kind (metrics).
  virtual std::vector<JobCount> counts() = 0;
  // Deletes succeeded and cancelled jobs that finished before `cutoff` (Unix ms).
  virtual std::int64_t prune_finished_before(std::int64_t cutoff) = 0;

  // Called (after the commit) for every job enqueued through this object, e.g. to wake the
  // worker of this process at once. Listeners must be cheap and must not throw.
  void add_enqueue_listener(std::function<void(const std::string& kind)> listener) {
    std::lock_guard lock(listeners_mutex_);
    listeners_.push_back(std::move(listener));
  }

 protected:
  void notify_enqueued(const std::string& kind) {
    std::vector<std::function<void(const std::string&)>> listeners;
    {
      std::lock_guard lock(listeners_mutex_);
      listeners = listeners_;
    }
    for (const auto& l : listeners) l(kind);
  }

 private:
  std::mutex listeners_mutex_;
  std::vector<std::function<void(const std::string&)>> listeners_;
};

}  // namespace cm::jobs
