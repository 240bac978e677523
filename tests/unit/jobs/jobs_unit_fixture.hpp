// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// A migrated SQLite database in a temp file (a copy of one migrated once per process), whatever
// CM_TEST_BACKEND says: unit tests of the job machinery need the real queue but no server. And a
// queue on it whose clock the test moves by hand.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "core/time.hpp"
#include "jobs/database_job_queue.hpp"
#include "obs/logger.hpp"
#include "store/database.hpp"
#include "support/migrated_sqlite.hpp"

namespace cm::jobs::testing {

class JobsUnitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = cm::test::fresh_migrated_sqlite_url("jobs-unit");
    db_ = open();
    queue_ = std::make_unique<DatabaseJobQueue>(*db_, nullptr, clock());
  }

  std::unique_ptr<store::Database> open() const {
    store::DatabaseOptions options;
    options.url = url_;
    options.pool_min = 1;
    options.pool_max = 4;
    return store::open_database(options);
  }
  DatabaseJobQueue::Clock clock() {
    return [this] { return now_.load(); };
  }
  void advance(std::chrono::milliseconds d) { now_ += d.count(); }

  Job get(const std::string& id) {
    auto j = queue_->find(id);
    if (!j) throw std::runtime_error("no job " + id);
    return *j;
  }

  std::string url_;
  std::unique_ptr<store::Database> db_;
  std::atomic<std::int64_t> now_{*parse_rfc3339("2026-03-02T02:59:00Z")};
  std::unique_ptr<DatabaseJobQueue> queue_;
  obs::Logger log_{obs::LogLevel::off};
};

}  // namespace cm::jobs::testing
