// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Periodic jobs. Every process that runs a worker also runs a scheduler; each tick, for every
// periodic job, it enqueues the period that has begun with the unique key "<kind>:<period
// start>". The database accepts the first such insert and ignores the rest, so each period runs
// once however many schedulers there are. A period missed while nothing ran is not made up: the
// next tick enqueues the current one (periodic jobs here are sweeps, where "latest" suffices).
//
//   scheduler.add({"jobs.prune", Schedule::daily_at(3, 0)});

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/job.hpp"
#include "jobs/job_queue.hpp"

namespace cm::obs {
class Logger;
}

namespace cm::jobs {

struct PeriodicJob {
  std::string kind;
  Schedule schedule;
  std::string payload = "{}";
  int max_attempts = 3;
};

struct SchedulerOptions {
  std::chrono::milliseconds tick{10'000};
};

class Scheduler {
 public:
  using Clock = std::function<std::int64_t()>;  // Unix ms

  Scheduler(JobQueue& queue, const obs::Logger& log, SchedulerOptions options = {},
            Clock clock = {});
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Before start(). Throws std::invalid_argument for a bad kind or one added twice.
  void add(PeriodicJob job);
  const std::vector<PeriodicJob>& jobs() const noexcept { return jobs_; }

  // Enqueues the current period of each job unless this scheduler already did; returns how many
  // jobs this call created (0 when another scheduler was first). Database errors are logged and
  // retried at the next tick.
  int tick();

  // A thread that ticks now and then every `tick`. Does nothing when no job was added.
  void start();
  void stop();

 private:
  void loop();

  JobQueue& queue_;
  const obs::Logger& log_;
  SchedulerOptions options_;
  Clock clock_;
  std::vector<PeriodicJob> jobs_;
  std::map<std::string, std::int64_t> last_period_;  // kind -> period start already enqueued

  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cm::jobs
