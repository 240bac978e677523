// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Shared fixture for the job tests: a fresh, migrated database of the backend named by
// CM_TEST_BACKEND, a queue on it whose clock the test moves by hand, and helpers to wait for a
// job to reach a state.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "core/time.hpp"
#include "jobs/database_job_queue.hpp"
#include "obs/logger.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "support/test_env.hpp"

namespace cm::jobs::testing {

class JobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = cm::test::fresh_database_url("jobs");
    db_ = open();
    store::Migrator(*db_).apply_pending();
    queue_ = std::make_unique<DatabaseJobQueue>(*db_, nullptr, [this] { return now_.load(); });
  }

  std::unique_ptr<store::Database> open(int pool_max = 8) const {
    store::DatabaseOptions options;
    options.url = url_;
    options.pool_min = 1;
    options.pool_max = pool_max;
    return store::open_database(options);
  }

  bool is_postgres() const { return db_->dialect() == store::Dialect::postgres; }

  // Moves the queue's clock.
  void advance(std::chrono::milliseconds d) { now_ += d.count(); }

  NewJob job(std::string kind = "test.work", int max_attempts = 5) const {
    NewJob j;
    j.kind = std::move(kind);
    j.max_attempts = max_attempts;
    return j;
  }

  ClaimRequest claim_by(std::string worker, int max_jobs = 1,
                        std::chrono::milliseconds lease = std::chrono::milliseconds(1000)) const {
    return {std::move(worker), {"test.work"}, lease, max_jobs};
  }

  Job get(const std::string& id) {
    auto j = queue_->find(id);
    if (!j) throw std::runtime_error("no job " + id);
    return *j;
  }

  // Polls (real time) until the job has `status`; returns the job as last seen.
  Job wait_for_status(JobQueue& queue, const std::string& id, JobStatus status,
                      std::chrono::seconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::optional<Job> j;
    while (std::chrono::steady_clock::now() < deadline) {
      j = queue.find(id);
      if (j && j->status == status) return *j;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "job " << id << " did not become " << to_string(status) << " within "
                  << timeout.count() << " s; it is "
                  << (j ? std::string(to_string(j->status)) : std::string("missing"));
    return j.value_or(Job{});
  }

  std::string url_;
  std::unique_ptr<store::Database> db_;
  std::atomic<std::int64_t> now_{now_unix_ms()};
  std::unique_ptr<DatabaseJobQueue> queue_;
  obs::Logger log_{obs::LogLevel::off};
};

}  // namespace cm::jobs::testing
