// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/job_setup.hpp"

#include <map>

#include "app/scratch_directory.hpp"
#include "extract/isolated.hpp"
#include "jobs/approval_sla_jobs.hpp"
#include "jobs/builtin_jobs.hpp"
#include "jobs/document_jobs.hpp"
#include "jobs/obligation_jobs.hpp"
#include "jobs/renewal_jobs.hpp"
#include "obs/logger.hpp"
#include "obs/metrics.hpp"

namespace cm::app {

namespace {

// Every job kind this binary runs, and the periodic ones; a table of contents like routes.cpp.
// A module adds its handlers here, with the dependencies they capture.
void register_job_kinds(const Config& config, jobs::HandlerRegistry& handlers,
                        jobs::Scheduler& scheduler, jobs::JobQueue& queue, store::Database& db,
                        workflow::OrgCalendar& calendar, blob::ContentStore* documents) {
  jobs::register_builtin_jobs(handlers, scheduler, queue, {config.job_retention});  // jobs.prune
  if (documents)  // documents.extract_text, documents.purge, blobs.gc
    jobs::register_document_jobs(
        handlers, scheduler, db, *documents,
        {extract::self_executable(), scratch_directory(config), std::chrono::seconds(3600)});
  jobs::register_obligation_jobs(handlers, scheduler, db, calendar);          // obligations.daily
  jobs::register_renewal_jobs(handlers, scheduler, db, calendar);             // renewals.daily
  jobs::register_approval_sla_jobs(handlers, scheduler, db, calendar);        // approvals.sla
  if (config.test_jobs) jobs::register_test_jobs(handlers, config.data_dir);  // test.*
}

jobs::WorkerOptions worker_options(const Config& config) {
  jobs::WorkerOptions o;
  o.concurrency = config.worker_concurrency;
  o.lease = config.job_lease;
  o.poll_max = config.job_poll_max;
  return o;
}

}  // namespace

JobRuntime::JobRuntime(const Config& config, store::Database& db, const obs::Logger& log,
                       obs::Metrics& metrics, workflow::OrgCalendar& calendar,
                       blob::ContentStore* documents)
    : queue_(db, &metrics),
      scheduler_(queue_, log),
      worker_(queue_, handlers_, log, &metrics, worker_options(config)) {
  register_job_kinds(config, handlers_, scheduler_, queue_, db, calendar, documents);
}

void JobRuntime::start() {
  if (started_) return;
  started_ = true;
  queue_.add_enqueue_listener([this](const std::string&) { worker_.wake(); });
  worker_.start();
  scheduler_.start();
}

void JobRuntime::stop_claiming() {
  worker_.stop_claiming();
}

bool JobRuntime::stop(std::chrono::milliseconds grace) {
  if (!started_) return true;
  scheduler_.stop();
  return worker_.stop(grace);
}

void JobRuntime::add_scrape_hook(obs::Metrics& metrics) {
  metrics.add_scrape_hook([this, kinds = handlers_.kinds()](obs::Metrics& m) {
    try {
      std::map<std::string, double> queued;
      std::map<std::string, double> dead;
      for (const auto& kind : kinds) queued[kind] = dead[kind] = 0;
      for (const auto& c : queue_.counts()) {
        if (c.status == JobStatus::queued) queued[c.kind] = static_cast<double>(c.count);
        if (c.status == JobStatus::dead) dead[c.kind] = static_cast<double>(c.count);
      }
      m.set_job_gauges(queued, dead);
    } catch (const std::exception&) {
      // Keep the last values; /ready reports the database problem.
    }
  });
}

}  // namespace cm::app
