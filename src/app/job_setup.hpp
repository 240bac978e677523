// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The job machinery of one process, built from the configuration: the queue (always: request
// handlers enqueue into it), the handler table, the scheduler and the worker. `serve` starts the
// worker when EMBEDDED_WORKER is on; `contractmgmt worker` always does.
//
// Handlers are registered in job_setup.cpp, in one table (register_job_kinds), the way routes
// are in src/api/routes.cpp.

#include <chrono>
#include <memory>

#include "app/config.hpp"
#include "blob/content_store.hpp"
#include "jobs/database_job_queue.hpp"
#include "jobs/handler_registry.hpp"
#include "jobs/scheduler.hpp"
#include "jobs/worker.hpp"
#include "store/database.hpp"
#include "workflow/org_calendar.hpp"

namespace cm::obs {
class Logger;
class Metrics;
}  // namespace cm::obs

namespace cm::app {

class JobRuntime {
 public:
  // `calendar`: the organizations' dates for the daily jobs (the process's one OrgCalendar).
  // `documents`: the content store the document jobs work on (null: no document jobs).
  JobRuntime(const Config& config, store::Database& db, const obs::Logger& log,
             obs::Metrics& metrics, workflow::OrgCalendar& calendar, blob::ContentStore* documents);
  JobRuntime(const JobRuntime&) = delete;
  JobRuntime& operator=(const JobRuntime&) = delete;

  jobs::JobQueue& queue() noexcept { return queue_; }

  // job_queue_depth and job_dead_letters, read from the database at scrape time; every kind
  // this binary handles is reported, 0 when it has no jobs.
  void add_scrape_hook(obs::Metrics& metrics);

  // Starts the worker and the scheduler; jobs enqueued through queue() wake the worker at once.
  void start();
  // SIGTERM: no new claims; in-flight jobs continue. Never blocks (runs on the server's drain).
  void stop_claiming();
  // Stops the scheduler and waits up to `grace` for in-flight jobs. False when some were abandoned
  // (their leases expire): the process must then end with std::_Exit rather than unwind
  // (worker.hpp).
  bool stop(std::chrono::milliseconds grace);

 private:
  jobs::DatabaseJobQueue queue_;
  jobs::HandlerRegistry handlers_;
  jobs::Scheduler scheduler_;
  jobs::Worker worker_;
  bool started_ = false;
};

}  // namespace cm::app
