// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jobs/worker.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "obs/logger.hpp"
#include "obs/metrics.hpp"

namespace cm::jobs {

namespace {

using SteadyClock = std::chrono::steady_clock;

// After the shutdown grace, how long handlers asked to stop get before they are abandoned.
constexpr std::chrono::milliseconds kAbortGrace{1'000};

double unit_random() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

std::int64_t elapsed_ms(SteadyClock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - since).count();
}

}  // namespace

std::string default_worker_id() {
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0) std::snprintf(host.data(), 8, "unknown");
  std::random_device random;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(random()));
  return std::string(host.data()) + ":" + std::to_string(::getpid()) + ":" + suffix;
}

Worker::Worker(JobQueue& queue, const HandlerRegistry& handlers, const obs::Logger& log,
               obs::Metrics* metrics, WorkerOptions options)
    : queue_(queue),
      handlers_(handlers),
      log_(log),
      metrics_(metrics),
      options_(std::move(options)) {
  if (options_.worker_id.empty()) options_.worker_id = default_worker_id();
  options_.concurrency = std::max(1, options_.concurrency);
  options_.lease = std::max(options_.lease, std::chrono::milliseconds(100));
  if (options_.heartbeat_interval.count() <= 0) options_.heartbeat_interval = options_.lease / 3;
  options_.poll_min = std::max(options_.poll_min, std::chrono::milliseconds(1));
  options_.poll_max = std::max(options_.poll_max, options_.poll_min);
}

Worker::~Worker() {
  if (started_ && !stopped_) stop(std::chrono::milliseconds(0));
  // Abandoned threads still run handlers that use this object; the owner promised to end the
  // process instead of getting here. Detaching at least avoids std::terminate.
  for (auto& t : executors_)
    if (t.joinable()) t.detach();
}

void Worker::start() {
  kinds_ = handlers_.kinds();
  if (kinds_.empty()) throw std::logic_error("a worker needs at least one job handler");
  std::lock_guard lock(mutex_);
  if (started_) return;
  started_ = true;
  for (int i = 0; i < options_.concurrency; ++i)
    executors_.emplace_back([this] { execute_loop(); });
  heartbeat_ = std::thread([this] { heartbeat_loop(); });
  dispatcher_ = std::thread([this] { dispatch_loop(); });
  std::string kinds;
  for (const auto& k : kinds_) kinds += (kinds.empty() ? "" : ",") + k;
  log_.info("worker started", {{"workerId", options_.worker_id},
                               {"concurrency", std::int64_t{options_.concurrency}},
                               {"leaseMs", std::int64_t{options_.lease.count()}},
                               {"kinds", kinds}});
}

void Worker::wake() noexcept {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  dispatch_cv_.notify_one();
}

void Worker::stop_claiming() noexcept {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  dispatch_cv_.notify_all();
}

int Worker::in_flight() const {
  std::lock_guard lock(mutex_);
  return busy_;
}

bool Worker::stop(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(mutex_);
    if (!started_ || stopped_) return !abandoned_;
    stopped_ = true;
  }
  stop_claiming();
  if (dispatcher_.joinable()) dispatcher_.join();

  std::unique_lock lock(mutex_);
  if (busy_ > 0)
    log_.info("worker stopping: waiting for in-flight jobs",
              {{"workerId", options_.worker_id}, {"inFlight", std::int64_t{busy_}}});
  bool done = idle_cv_.wait_for(lock, grace, [this] { return busy_ == 0; });
  if (!done) {
    for (auto& [id, leased] : leased_) leased.ctx->abort();
    done = idle_cv_.wait_for(lock, kAbortGrace, [this] { return busy_ == 0; });
  }
  heartbeats_done_ = true;
  if (!done) {
    abandoned_ = true;
    std::string ids;
    for (const auto& [id, leased] : leased_) ids += (ids.empty() ? "" : ",") + id;
    lock.unlock();
    heartbeat_cv_.notify_all();
    if (heartbeat_.joinable()) heartbeat_.join();
    log_.warn(
        "worker stopped with jobs still running; their leases will expire and another "
        "worker will run them again",
        {{"workerId", options_.worker_id}, {"jobIds", ids}});
    return false;
  }
  exiting_ = true;
  lock.unlock();
  work_cv_.notify_all();
  heartbeat_cv_.notify_all();
  for (auto& t : executors_) t.join();
  executors_.clear();
  if (heartbeat_.joinable()) heartbeat_.join();
  log_.info("worker stopped", {{"workerId", options_.worker_id}});
  return true;
}

void Worker::dispatch_loop() {
  auto poll = options_.poll_min;
  bool failing = false;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const int free = options_.concurrency - busy_;
    if (free <= 0) {
      dispatch_cv_.wait(lock, [this] { return stopping_ || busy_ < options_.concurrency; });
      continue;
    }
    woken_ = false;
    lock.unlock();
    std::vector<Job> claimed;
    try {
      claimed = queue_.claim({options_.worker_id, kinds_, options_.lease, free});
      if (failing) log_.info("job queue reachable again", {{"workerId", options_.worker_id}});
      failing = false;
    } catch (const std::exception& e) {
      // Once per outage, not once per poll.
      if (!failing)
        log_.error("cannot claim jobs; retrying",
                   {{"workerId", options_.worker_id}, {"error", e.what()}});
      failing = true;
    }
    lock.lock();
    if (!claimed.empty()) {
      for (auto& job : claimed) {
        Leased leased{std::move(job), std::make_shared<JobContext>(options_.worker_id)};
        leased_.emplace(leased.job.id, leased);
        ready_.push_back(std::move(leased));
        ++busy_;
      }
      work_cv_.notify_all();
      poll = options_.poll_min;
      continue;  // more may be due
    }
    if (failing) poll = options_.poll_max;
    dispatch_cv_.wait_for(lock, poll, [this] { return stopping_ || woken_; });
    poll = woken_ ? options_.poll_min : std::min(poll * 2, options_.poll_max);
  }
}

void Worker::execute_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_cv_.wait(lock, [this] { return !ready_.empty() || exiting_; });
    if (ready_.empty()) return;
    Leased leased = std::move(ready_.front());
    ready_.pop_front();
    lock.unlock();
    run(leased);
    lock.lock();
    leased_.erase(leased.job.id);
    --busy_;
    dispatch_cv_.notify_one();
    idle_cv_.notify_all();
  }
}

void Worker::heartbeat_loop() {
  std::unique_lock lock(mutex_);
  while (!heartbeats_done_) {
    heartbeat_cv_.wait_for(lock, options_.heartbeat_interval, [this] { return heartbeats_done_; });
    if (heartbeats_done_) break;
    std::vector<Leased> snapshot;
    snapshot.reserve(leased_.size());
    for (const auto& [id, leased] : leased_) snapshot.push_back(leased);
    lock.unlock();
    for (const auto& leased : snapshot) {
      if (leased.ctx->lease_lost()) continue;
      try {
        if (!queue_.extend_lease(leased.job, options_.lease)) {
          leased.ctx->mark_lease_lost();
          log_.warn("job lease lost (cancelled, or claimed again after it expired)",
                    {{"jobId", leased.job.id}, {"kind", leased.job.kind}});
        }
      } catch (const std::exception& e) {
        // The lease is still ours until it expires; the next heartbeat tries again.
        log_.warn("cannot extend a job lease", {{"jobId", leased.job.id}, {"error", e.what()}});
      }
    }
    lock.lock();
  }
}

void Worker::run(const Leased& leased) {
  const Job& job = leased.job;
  const RegisteredKind* kind = handlers_.find(job.kind);
  const auto started = SteadyClock::now();
  JobOutcome outcome;
  if (kind == nullptr) {
    outcome = JobOutcome::give_up("no handler for job kind " + job.kind);  // not claimed, ever
  } else {
    try {
      outcome = kind->handler(job, *leased.ctx);
    } catch (const std::exception& e) {
      outcome = JobOutcome::retry(e.what());
    } catch (...) {
      outcome = JobOutcome::retry("the handler threw a non-standard exception");
    }
  }
  const std::int64_t ms = elapsed_ms(started);
  if (metrics_ != nullptr) metrics_->observe_job_duration(job.kind, static_cast<double>(ms) / 1000);

  static const RegisteredKind kNoKind{};
  const std::string result = record(leased, kind ? *kind : kNoKind, outcome);
  if (metrics_ != nullptr) metrics_->record_job_finished(job.kind, result);

  std::vector<obs::LogField> fields = {{"jobId", job.id},
                                       {"kind", job.kind},
                                       {"attempt", std::int64_t{job.attempts}},
                                       {"maxAttempts", std::int64_t{job.max_attempts}},
                                       {"outcome", result},
                                       {"durationMs", ms},
                                       {"workerId", options_.worker_id}};
  if (job.org_id) fields.push_back({"orgId", *job.org_id});
  if (!outcome.error.empty()) fields.push_back({"error", outcome.error});
  if (result == "succeeded" || result == "released")
    log_.info("job finished", fields);
  else if (result == "dead")
    log_.error("job failed for good (dead letter)", fields);
  else
    log_.warn("job attempt failed", fields);
}

std::string Worker::record(const Leased& leased, const RegisteredKind& kind,
                           const JobOutcome& outcome) {
  const Job& job = leased.job;
  // Someone else owns the job now (or it was cancelled): whatever we did is not recorded.
  if (leased.ctx->lease_lost()) return "lease_lost";
  try {
    switch (outcome.kind) {
      case JobOutcome::Kind::succeeded:
        return queue_.complete(job) ? "succeeded" : "lease_lost";
      case JobOutcome::Kind::give_up:
        return queue_.bury(job, outcome.error) ? "dead" : "lease_lost";
      case JobOutcome::Kind::retry:
        break;
    }
    // Stopped by shutdown rather than by a failure: give the job back without using an attempt.
    if (leased.ctx->aborted()) return queue_.release(job) ? "released" : "lease_lost";
    const auto delay =
        outcome.retry_after.value_or(retry_delay(job.attempts, kind.options.retry, unit_random()));
    switch (queue_.fail(job, outcome.error, delay)) {
      case FailResult::retrying:
        return "retried";
      case FailResult::dead:
        return "dead";
      case FailResult::lease_lost:
        return "lease_lost";
    }
  } catch (const std::exception& e) {
    // The result cannot be written (database down): the lease runs out and the job runs again.
    log_.error("cannot record a job's outcome; it will run again after its lease expires",
               {{"jobId", job.id}, {"kind", job.kind}, {"error", e.what()}});
  }
  return "lease_lost";
}

}  // namespace cm::jobs
