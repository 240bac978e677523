// SPDX-License-Identifier: AGPL-3.0-or-later
// The worker's decisions on a clock the test moves: what a retry, an exception, giving up and
// success do to the job (status, attempts, when it runs again, the error kept), and that two
// workers on one queue run every job exactly once.

#include "jobs/worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "jobs_unit_fixture.hpp"

namespace cm::jobs::testing {
namespace {

using namespace std::chrono_literals;

WorkerOptions fast(int concurrency = 2) {
  WorkerOptions o;
  o.concurrency = concurrency;
  o.lease = 10s;
  o.poll_min = 5ms;
  o.poll_max = 20ms;
  return o;
}

class WorkerUnitTest : public JobsUnitTest {
 protected:
  // Polls (real time) until `done` holds for the job; the worker runs on its own threads.
  Job wait_until(const std::string& id, const std::function<bool(const Job&)>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    Job j = get(id);
    while (!done(j) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(5ms);
      j = get(id);
    }
    EXPECT_TRUE(done(j)) << "job " << id << " is " << to_string(j.status);
    return j;
  }
  std::string enqueue(int max_attempts = 5) {
    NewJob j;
    j.kind = "test.work";
    j.max_attempts = max_attempts;
    return queue_->enqueue(j);
  }
};

TEST_F(WorkerUnitTest, ARetryWaitsTheTimeTheHandlerAskedForThenRunsAgain) {
  std::atomic<int> runs{0};
  HandlerRegistry handlers;
  handlers.add("test.work", [&](const Job&, JobContext&) {
    return ++runs == 1 ? JobOutcome::retry("rate limited", 1h) : JobOutcome::success();
  });
  Worker worker(*queue_, handlers, log_, nullptr, fast());
  const auto start = now_.load();
  const auto id = enqueue();
  worker.start();
  auto j = wait_until(id, [](const Job& j) { return j.status == JobStatus::queued && j.attempts; });
  EXPECT_EQ(j.attempts, 1);
  EXPECT_EQ(j.run_at, start + 3'600'000);
  EXPECT_EQ(j.last_error, "rate limited");
  std::this_thread::sleep_for(60ms);  // several polls: not due yet
  EXPECT_EQ(runs.load(), 1);

  advance(1h);
  worker.wake();
  j = wait_until(id, [](const Job& j) { return j.status == JobStatus::succeeded; });
  EXPECT_EQ(j.attempts, 2);
  EXPECT_EQ(runs.load(), 2);
  EXPECT_TRUE(worker.stop(2s));
}

TEST_F(WorkerUnitTest, AnExceptionIsARetryAfterTheKindsBackoffAndTheLastAttemptIsDead) {
  HandlerRegistry handlers;
  handlers.add(
      "test.work",
      [](const Job&, JobContext&) -> JobOutcome { throw std::runtime_error("smtp said 421"); },
      {RetryPolicy{1min, 1min}});
  Worker worker(*queue_, handlers, log_, nullptr, fast());
  const auto id = enqueue(2);
  worker.start();
  auto j = wait_until(id, [](const Job& j) { return j.status == JobStatus::queued && j.attempts; });
  EXPECT_EQ(j.last_error, "smtp said 421");
  // Jitter: a random point in [d/2, d], d = 1 min.
  EXPECT_GE(j.run_at - now_.load(), 30'000);
  EXPECT_LE(j.run_at - now_.load(), 60'000);
  advance(1min);
  worker.wake();
  j = wait_until(id, [](const Job& j) { return j.status == JobStatus::dead; });
  EXPECT_EQ(j.attempts, 2);
  EXPECT_EQ(j.last_error, "smtp said 421");
  EXPECT_TRUE(worker.stop(2s));
}

TEST_F(WorkerUnitTest, GivingUpIsADeadLetterAtOnceAndSuccessIsFinal) {
  HandlerRegistry handlers;
  handlers.add("test.work", [](const Job& job, JobContext&) {
    return job.payload == R"({"ok":true})" ? JobOutcome::success()
                                           : JobOutcome::give_up("no such document");
  });
  Worker worker(*queue_, handlers, log_, nullptr, fast());
  NewJob good;
  good.kind = "test.work";
  good.payload = R"({"ok":true})";
  const auto ok_id = queue_->enqueue(good);
  const auto bad_id = enqueue(5);
  worker.start();
  const auto dead = wait_until(bad_id, [](const Job& j) { return j.status == JobStatus::dead; });
  EXPECT_EQ(dead.attempts, 1);
  EXPECT_EQ(dead.last_error, "no such document");
  const auto done =
      wait_until(ok_id, [](const Job& j) { return j.status == JobStatus::succeeded; });
  EXPECT_EQ(done.attempts, 1);
  EXPECT_EQ(done.locked_by, worker.id());
  EXPECT_TRUE(done.finished_at);
  EXPECT_TRUE(worker.stop(2s));
}

TEST_F(WorkerUnitTest, TwoWorkersOnOneQueueRunEveryJobExactlyOnce) {
  std::mutex mutex;
  std::map<std::string, int> runs;
  HandlerRegistry handlers;
  handlers.add("test.work", [&](const Job& job, JobContext&) {
    std::this_thread::sleep_for(1ms);
    std::lock_guard lock(mutex);
    ++runs[job.id];
    return JobOutcome::success();
  });
  auto other_db = open();
  DatabaseJobQueue other_queue(*other_db, nullptr, clock());
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) ids.push_back(enqueue());
  Worker a(*queue_, handlers, log_, nullptr, fast(2));
  Worker b(other_queue, handlers, log_, nullptr, fast(2));
  a.start();
  b.start();
  for (const auto& id : ids)
    wait_until(id, [](const Job& j) { return j.status == JobStatus::succeeded; });
  EXPECT_TRUE(a.stop(2s));
  EXPECT_TRUE(b.stop(2s));
  std::lock_guard lock(mutex);
  ASSERT_EQ(runs.size(), ids.size());
  for (const auto& [id, n] : runs) EXPECT_EQ(n, 1) << id;
}

}  // namespace
}  // namespace cm::jobs::testing
