// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The job kinds the queue itself needs, and the test-only kinds.
//
// jobs.prune (daily 03:00 UTC): deletes succeeded and cancelled jobs that finished more than
// `retention` ago. Dead letters stay until an operator retries or cancels them.
//
// Test kinds (CM_TEST_JOBS=1, refused in production) for the end-to-end tests of the worker:
//   test.sleep {"ms": N}: appends "start <job id> <pid> <attempt>" to <marker_dir>/test-jobs.log,
//     sleeps N ms (stopping early if told to), then appends "done ...".
//   test.fail {"error": "..."}: always fails with that error (backoff, dead letters).

#include <chrono>
#include <filesystem>

#include "jobs/handler_registry.hpp"
#include "jobs/job_queue.hpp"
#include "jobs/scheduler.hpp"

namespace cm::jobs {

struct BuiltinJobOptions {
  std::chrono::hours retention{24 * 7};
};

void register_builtin_jobs(HandlerRegistry& handlers, Scheduler& scheduler, JobQueue& queue,
                           const BuiltinJobOptions& options);

void register_test_jobs(HandlerRegistry& handlers, const std::filesystem::path& marker_dir);

}  // namespace cm::jobs
