// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Runs job handlers: one dispatcher thread claims due jobs (never more than there are free
// executor threads, so no job sits leased while nobody runs it), `concurrency` executor threads
// run them, and a heartbeat thread extends the leases of running jobs every lease/3.
//
// Idle polling backs off from poll_min to poll_max; wake() (called after a job is committed in
// this process) makes the dispatcher look at once.
//
// Shutdown: stop_claiming() at once (SIGTERM), then stop(grace) waits for in-flight jobs. When
// the grace runs out, handlers are asked to stop (JobContext::should_stop) and get one more
// second; a job that still runs is abandoned: its heartbeats stop and its lease expires, and
// another worker runs it again.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "jobs/handler_registry.hpp"
#include "jobs/job_queue.hpp"

namespace cm::obs {
class Logger;
class Metrics;
}  // namespace cm::obs

namespace cm::jobs {

struct WorkerOptions {
  std::string worker_id;  // empty: "<host>:<pid>:<random>"
  int concurrency = 2;
  std::chrono::milliseconds lease{60'000};
  std::chrono::milliseconds heartbeat_interval{0};  // 0: a third of the lease
  std::chrono::milliseconds poll_min{50};
  std::chrono::milliseconds poll_max{1'000};
};

// "<host>:<pid>:<8 hex digits>": readable in `jobs list`, unique per worker.
std::string default_worker_id();

class Worker {
 public:
  // `metrics` may be null. The queue, handlers and logger must outlive the worker.
  Worker(JobQueue& queue, const HandlerRegistry& handlers, const obs::Logger& log,
         obs::Metrics* metrics, WorkerOptions options);
  // Stops without grace if still running (tests); the app calls stop() itself.
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Starts the threads. Throws std::logic_error if there are no handlers.
  void start();
  // Look for work now (a job was enqueued in this process). Any thread; cheap.
  void wake() noexcept;
  // No new claims from now on; in-flight jobs continue. Any thread.
  void stop_claiming() noexcept;
  // stop_claiming(), then waits up to `grace` for in-flight jobs. True when all finished and
  // every thread has ended. False when jobs were abandoned: their threads still run, so the
  // caller must end the process (std::_Exit) rather than destroy the worker.
  bool stop(std::chrono::milliseconds grace);

  const std::string& id() const noexcept { return options_.worker_id; }
  // Jobs claimed and not yet finished.
  int in_flight() const;

 private:
  struct Leased {
    Job job;
    std::shared_ptr<JobContext> ctx;
  };

  void dispatch_loop();
  void execute_loop();
  void heartbeat_loop();
  void run(const Leased& leased);
  // Records the outcome in the queue; returns the outcome label for metrics and logs.
  std::string record(const Leased& leased, const RegisteredKind& kind, const JobOutcome& outcome);

  JobQueue& queue_;
  const HandlerRegistry& handlers_;
  const obs::Logger& log_;
  obs::Metrics* metrics_;
  WorkerOptions options_;
  std::vector<std::string> kinds_;

  mutable std::mutex mutex_;
  std::condition_variable dispatch_cv_;   // dispatcher: woken, slot freed, stopping
  std::condition_variable work_cv_;       // executors: job ready, exiting
  std::condition_variable idle_cv_;       // stop(): a job finished
  std::condition_variable heartbeat_cv_;  // heartbeat: stopping
  std::deque<Leased> ready_;
  std::map<std::string, Leased> leased_;  // claimed and not finished, by job id
  int busy_ = 0;
  bool woken_ = false;
  bool stopping_ = false;         // no more claims
  bool exiting_ = false;          // executors end once nothing is ready
  bool heartbeats_done_ = false;  // heartbeat thread ends
  bool started_ = false;
  bool stopped_ = false;
  bool abandoned_ = false;

  std::thread dispatcher_;
  std::thread heartbeat_;
  std::vector<std::thread> executors_;
};

}  // namespace cm::jobs
