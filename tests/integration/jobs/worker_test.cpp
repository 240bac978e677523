// SPDX-License-Identifier: AGPL-3.0-or-later
// The worker and the scheduler in this process, on a real database: handlers run, failures back
// off and end as dead letters, shutdown lets jobs finish, cancellation reaches a running
// handler, and periodic jobs are enqueued once per period however many schedulers run.

#include "jobs/worker.hpp"

#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "jobs/builtin_jobs.hpp"
#include "jobs/scheduler.hpp"
#include "jobs_fixture.hpp"
#include "obs/metrics.hpp"

namespace cm::jobs::testing {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

WorkerOptions fast_options(int concurrency = 2) {
  WorkerOptions o;
  o.concurrency = concurrency;
  o.lease = 10s;
  o.poll_min = 10ms;
  o.poll_max = 50ms;
  return o;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class WorkerTest : public JobsTest {
 protected:
  // The worker's queue runs on the real clock.
  void SetUp() override {
    JobsTest::SetUp();
    queue_ = std::make_unique<DatabaseJobQueue>(*db_, &metrics_);
  }
  obs::Metrics metrics_;
};

TEST_F(WorkerTest, RunsAJobAsSoonAsItsTransactionCommits) {
  std::atomic<int> runs{0};
  std::string seen_payload;
  HandlerRegistry handlers;
  handlers.add("test.work", [&](const Job& job, JobContext&) {
    seen_payload = job.payload;
    ++runs;
    return JobOutcome::success();
  });
  // Idle polling every 30 s: only the wake-up on commit can make this job run soon.
  WorkerOptions options = fast_options();
  options.poll_min = options.poll_max = 30s;
  Worker worker(*queue_, handlers, log_, &metrics_, options);
  queue_->add_enqueue_listener([&](const std::string&) { worker.wake(); });
  worker.start();
  std::this_thread::sleep_for(100ms);  // the first (empty) poll is over

  std::string id;
  {
    auto lease = db_->acquire();
    store::Transaction tx(*lease, store::Transaction::Mode::write);
    NewJob j = job();
    j.payload = R"({"n":1})";
    id = queue_->enqueue(tx, j);
    tx.commit();
  }
  const Job done = wait_for_status(*queue_, id, JobStatus::succeeded, 10s);
  EXPECT_EQ(done.attempts, 1);
  EXPECT_EQ(done.locked_by, worker.id());
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(seen_payload, R"({"n":1})");
  EXPECT_TRUE(worker.stop(5s));

  const auto text = metrics_.render();
  EXPECT_TRUE(contains(text, R"(jobs_enqueued_total{kind="test.work"} 1)")) << text;
  EXPECT_TRUE(contains(text, R"(jobs_finished_total{kind="test.work",outcome="succeeded"} 1)"));
  EXPECT_TRUE(contains(text, R"(job_duration_seconds_count{kind="test.work"} 1)"));
}

TEST_F(WorkerTest, FailuresBackOffExponentiallyUntilTheJobIsDead) {
  std::mutex mutex;
  std::vector<SteadyClock::time_point> attempts;
  HandlerRegistry handlers;
  handlers.add("test.work",
               [&](const Job&, JobContext&) -> JobOutcome {
                 {
                   std::lock_guard lock(mutex);
                   attempts.push_back(SteadyClock::now());
                 }
                 throw std::runtime_error("the mail server said 421");
               },
               {RetryPolicy{100ms, 10s}});
  Worker worker(*queue_, handlers, log_, &metrics_, fast_options());
  worker.start();
  const auto id = queue_->enqueue(job("test.work", 4));
  const Job dead = wait_for_status(*queue_, id, JobStatus::dead, 20s);
  EXPECT_TRUE(worker.stop(5s));

  EXPECT_EQ(dead.attempts, 4);
  EXPECT_EQ(dead.last_error, "the mail server said 421");
  std::lock_guard lock(mutex);
  ASSERT_EQ(attempts.size(), 4u);
  const auto gap = [&](std::size_t i) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(attempts[i + 1] - attempts[i]);
  };
  // Nominal delays 100, 200, 400 ms; each waits at least half of its nominal delay.
  EXPECT_GE(gap(0), 50ms);
  EXPECT_GE(gap(1), 100ms);
  EXPECT_GE(gap(2), 200ms);
  const auto text = metrics_.render();
  EXPECT_TRUE(contains(text, R"(jobs_finished_total{kind="test.work",outcome="retried"} 3)"))
      << text;
  EXPECT_TRUE(contains(text, R"(jobs_finished_total{kind="test.work",outcome="dead"} 1)"));
}

TEST_F(WorkerTest, AHandlerThatGivesUpMakesADeadLetterAtOnce) {
  HandlerRegistry handlers;
  handlers.add("test.work",
               [](const Job&, JobContext&) { return JobOutcome::give_up("no such document"); });
  Worker worker(*queue_, handlers, log_, &metrics_, fast_options());
  worker.start();
  const auto id = queue_->enqueue(job("test.work", 5));
  const Job dead = wait_for_status(*queue_, id, JobStatus::dead);
  EXPECT_TRUE(worker.stop(5s));
  EXPECT_EQ(dead.attempts, 1);
  EXPECT_EQ(dead.last_error, "no such document");
}

TEST_F(WorkerTest, StopLetsInFlightJobsFinish) {
  std::atomic<bool> started{false};
  HandlerRegistry handlers;
  handlers.add("test.work", [&](const Job&, JobContext& ctx) {
    started = true;
    return ctx.sleep_for(500ms) ? JobOutcome::success() : JobOutcome::retry("interrupted");
  });
  Worker worker(*queue_, handlers, log_, &metrics_, fast_options());
  worker.start();
  const auto id = queue_->enqueue(job());
  const auto deadline = SteadyClock::now() + 10s;
  while (!started && SteadyClock::now() < deadline) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(started);

  worker.stop_claiming();
  const auto not_run = queue_->enqueue(job());  // enqueued during shutdown: left for others
  EXPECT_TRUE(worker.stop(10s));
  EXPECT_EQ(get(id).status, JobStatus::succeeded);
  EXPECT_EQ(get(not_run).status, JobStatus::queued);
  EXPECT_EQ(worker.in_flight(), 0);
}

TEST_F(WorkerTest, AJobStillRunningAfterTheGraceIsInterruptedAndReturned) {
  std::atomic<bool> started{false};
  HandlerRegistry handlers;
  handlers.add("test.work", [&](const Job&, JobContext& ctx) {
    started = true;
    return ctx.sleep_for(60s) ? JobOutcome::success() : JobOutcome::retry("interrupted");
  });
  Worker worker(*queue_, handlers, log_, &metrics_, fast_options());
  worker.start();
  const auto id = queue_->enqueue(job());
  const auto deadline = SteadyClock::now() + 10s;
  while (!started && SteadyClock::now() < deadline) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(started);

  EXPECT_TRUE(worker.stop(200ms)) << "the handler honours should_stop(), so nothing is abandoned";
  const Job j = get(id);
  EXPECT_EQ(j.status, JobStatus::queued) << "released for another worker";
  EXPECT_EQ(j.attempts, 0) << "an interrupted shutdown does not use up an attempt";
  EXPECT_TRUE(
      contains(metrics_.render(), R"(jobs_finished_total{kind="test.work",outcome="released"} 1)"));
}

TEST_F(WorkerTest, CancellingARunningJobStopsItsHandler) {
  std::atomic<bool> started{false};
  std::atomic<bool> told_to_stop{false};
  HandlerRegistry handlers;
  handlers.add("test.work", [&](const Job&, JobContext& ctx) {
    started = true;
    if (ctx.sleep_for(30s)) return JobOutcome::success();
    told_to_stop = ctx.lease_lost();
    return JobOutcome::retry("cancelled");
  });
  WorkerOptions options = fast_options();
  options.lease = 600ms;  // heartbeats every 200 ms
  Worker worker(*queue_, handlers, log_, &metrics_, options);
  worker.start();
  const auto id = queue_->enqueue(job());
  const auto deadline = SteadyClock::now() + 10s;
  while (!started && SteadyClock::now() < deadline) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(started);

  ASSERT_EQ(queue_->cancel(id), JobAdminResult::done);
  while (!told_to_stop && SteadyClock::now() < deadline) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(told_to_stop.load());
  EXPECT_TRUE(worker.stop(5s));
  EXPECT_EQ(get(id).status, JobStatus::cancelled) << "the handler's retry is not recorded";
  EXPECT_TRUE(contains(metrics_.render(),
                       R"(jobs_finished_total{kind="test.work",outcome="lease_lost"} 1)"));
}

TEST_F(WorkerTest, TwoWorkersRunEachJobOnce) {
  constexpr int kJobs = 60;
  std::mutex mutex;
  std::map<std::string, int> runs;
  HandlerRegistry handlers;
  handlers.add("test.work", [&](const Job& job, JobContext&) {
    std::this_thread::sleep_for(2ms);
    std::lock_guard lock(mutex);
    ++runs[job.id];
    return JobOutcome::success();
  });
  // Separate pools and queues, as in two processes.
  auto db_a = open(6);
  auto db_b = open(6);
  DatabaseJobQueue queue_a(*db_a);
  DatabaseJobQueue queue_b(*db_b);
  Worker a(queue_a, handlers, log_, nullptr, fast_options(3));
  Worker b(queue_b, handlers, log_, nullptr, fast_options(3));
  std::vector<std::string> ids;
  for (int i = 0; i < kJobs; ++i) ids.push_back(queue_->enqueue(job()));
  a.start();
  b.start();
  for (const auto& id : ids) wait_for_status(*queue_, id, JobStatus::succeeded);
  EXPECT_TRUE(a.stop(5s));
  EXPECT_TRUE(b.stop(5s));

  std::lock_guard lock(mutex);
  EXPECT_EQ(runs.size(), static_cast<std::size_t>(kJobs));
  for (const auto& [id, n] : runs) EXPECT_EQ(n, 1) << id;
  std::set<std::string> holders;
  for (const auto& id : ids) holders.insert(get(id).locked_by.value_or(""));
  EXPECT_LE(holders.size(), 2u);
}

TEST_F(WorkerTest, EachPeriodIsEnqueuedOnceAcrossSchedulers) {
  // Two schedulers with their own pools and queues, on one clock, as in two worker pods.
  std::atomic<std::int64_t> clock{*parse_rfc3339("2026-11-26T04:12:00Z")};
  const auto now = [&clock] { return clock.load(); };
  auto db_a = open(2);
  auto db_b = open(2);
  DatabaseJobQueue queue_a(*db_a, nullptr, now);
  DatabaseJobQueue queue_b(*db_b, nullptr, now);
  Scheduler a(queue_a, log_, {}, now);
  Scheduler b(queue_b, log_, {}, now);
  for (auto* s : {&a, &b}) s->add({"test.tick", Schedule::every(std::chrono::minutes(15))});

  const auto tick_both = [&] {
    std::atomic<int> created{0};
    std::thread ta([&] { created += a.tick(); });
    std::thread tb([&] { created += b.tick(); });
    ta.join();
    tb.join();
    return created.load();
  };
  EXPECT_EQ(tick_both(), 1);  // the 04:00 period
  EXPECT_EQ(tick_both(), 0) << "same period";
  clock += 2 * 60'000;  // 04:14, still the 04:00 period
  EXPECT_EQ(tick_both(), 0);
  // Nothing ticked during the 04:15 period: it is skipped, the current one is enqueued.
  clock = *parse_rfc3339("2026-11-26T04:31:00Z");
  EXPECT_EQ(tick_both(), 1);
  // A scheduler that restarts (no memory of what it enqueued) still cannot enqueue twice.
  Scheduler restarted(queue_a, log_, {}, now);
  restarted.add({"test.tick", Schedule::every(std::chrono::minutes(15))});
  EXPECT_EQ(restarted.tick(), 0);

  JobFilter ticks;
  ticks.kind = "test.tick";
  const auto jobs = queue_->list(ticks);
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].unique_key, "test.tick:2026-11-26T04:30:00.000Z");
  EXPECT_EQ(jobs[0].run_at, *parse_rfc3339("2026-11-26T04:30:00Z"));
  EXPECT_EQ(jobs[1].unique_key, "test.tick:2026-11-26T04:00:00.000Z");
}

TEST_F(WorkerTest, ThePruneJobIsScheduledDailyAndDeletesOldFinishedJobs) {
  HandlerRegistry handlers;
  Scheduler scheduler(*queue_, log_);
  register_builtin_jobs(handlers, scheduler, *queue_, {std::chrono::hours(1)});
  ASSERT_EQ(scheduler.jobs().size(), 1u);
  EXPECT_EQ(scheduler.jobs()[0].kind, "jobs.prune");
  EXPECT_EQ(scheduler.jobs()[0].schedule.describe(), "daily 03:00 UTC");

  // A job that finished two hours ago (a queue whose clock is two hours behind) and one now.
  std::atomic<std::int64_t> past{now_unix_ms() - 2 * 3'600'000};
  DatabaseJobQueue old_queue(*db_, nullptr, [&past] { return past.load(); });
  const auto old_id = old_queue.enqueue(job());
  auto c = old_queue.claim(claim_by("w0"));
  ASSERT_EQ(c.size(), 1u);
  ASSERT_TRUE(old_queue.complete(c[0]));
  const auto recent_id = queue_->enqueue(job());
  c = queue_->claim(claim_by("w0"));
  ASSERT_EQ(c.size(), 1u);
  ASSERT_TRUE(queue_->complete(c[0]));

  Worker worker(*queue_, handlers, log_, &metrics_, fast_options());
  worker.start();
  EXPECT_EQ(scheduler.tick(), 1);
  JobFilter prunes;
  prunes.kind = "jobs.prune";
  const auto listed = queue_->list(prunes);
  ASSERT_EQ(listed.size(), 1u);
  wait_for_status(*queue_, listed[0].id, JobStatus::succeeded);
  EXPECT_TRUE(worker.stop(5s));
  EXPECT_EQ(queue_->find(old_id), std::nullopt);
  EXPECT_TRUE(queue_->find(recent_id).has_value());
}

}  // namespace
}  // namespace cm::jobs::testing
