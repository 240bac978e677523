// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jobs/scheduler.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/time.hpp"
#include "obs/logger.hpp"

namespace cm::jobs {

Scheduler::Scheduler(JobQueue& queue, const obs::Logger& log, SchedulerOptions options, Clock clock)
    : queue_(queue),
      log_(log),
      options_(options),
      clock_(clock ? std::move(clock) : Clock([] { return now_unix_ms(); })) {}

Scheduler::~Scheduler() {
  stop();
}

void Scheduler::add(PeriodicJob job) {
  if (!is_valid_job_kind(job.kind))
    throw std::invalid_argument("periodic job kind is invalid: \"" + job.kind + "\"");
  const bool duplicate = std::any_of(jobs_.begin(), jobs_.end(),
                                     [&](const PeriodicJob& j) { return j.kind == job.kind; });
  if (duplicate) throw std::invalid_argument("periodic job " + job.kind + " is added twice");
  jobs_.push_back(std::move(job));
}

int Scheduler::tick() {
  const std::int64_t now = clock_();
  int created = 0;
  for (const auto& job : jobs_) {
    const std::int64_t start = job.schedule.period_start(now);
    if (const auto it = last_period_.find(job.kind);
        it != last_period_.end() && it->second == start)
      continue;
    NewJob next;
    next.kind = job.kind;
    next.payload = job.payload;
    next.run_at = start;
    next.max_attempts = job.max_attempts;
    next.unique_key = period_key(job.kind, start);
    try {
      const auto id = queue_.enqueue_unique(next);
      last_period_[job.kind] = start;
      if (id) {
        ++created;
        log_.info("periodic job enqueued", {{"kind", job.kind},
                                            {"jobId", *id},
                                            {"period", format_rfc3339(start)},
                                            {"schedule", job.schedule.describe()}});
      }
    } catch (const std::exception& e) {
      log_.warn("cannot enqueue a periodic job; retrying at the next tick",
                {{"kind", job.kind}, {"error", e.what()}});
    }
  }
  return created;
}

void Scheduler::start() {
  if (jobs_.empty() || thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    tick();
    lock.lock();
    cv_.wait_for(lock, options_.tick, [this] { return stopping_; });
  }
}

}  // namespace cm::jobs
