// SPDX-License-Identifier: AGPL-3.0-or-later
// The scheduler's periods on a clock the test sets, and the handler registry.

#include "jobs/scheduler.hpp"

#include <gtest/gtest.h>

#include "jobs/handler_registry.hpp"
#include "jobs_unit_fixture.hpp"

namespace cm::jobs::testing {
namespace {

using namespace std::chrono_literals;

class SchedulerTest : public JobsUnitTest {
 protected:
  std::vector<Job> jobs_of(const std::string& kind) {
    JobFilter f;
    f.kind = kind;
    return queue_->list(f);  // newest first
  }
};

TEST_F(SchedulerTest, ADailyJobsPeriodStartsAtItsTimeOfDay) {
  Scheduler scheduler(*queue_, log_, {}, clock());
  scheduler.add({"test.daily", Schedule::daily_at(3, 0), R"({"scope":"all"})", 2});
  // 02:59: the current period began yesterday at 03:00.
  EXPECT_EQ(scheduler.tick(), 1);
  advance(59s);  // 02:59:59
  EXPECT_EQ(scheduler.tick(), 0);
  advance(1s);  // 03:00:00 exactly: the next period
  EXPECT_EQ(scheduler.tick(), 1);
  advance(23h);
  EXPECT_EQ(scheduler.tick(), 0);

  const auto jobs = jobs_of("test.daily");
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].unique_key, "test.daily:2026-03-02T03:00:00.000Z");
  EXPECT_EQ(jobs[0].run_at, *parse_rfc3339("2026-03-02T03:00:00Z"));
  EXPECT_EQ(jobs[1].unique_key, "test.daily:2026-03-01T03:00:00.000Z");
  EXPECT_EQ(jobs[0].payload, R"({"scope":"all"})");
  EXPECT_EQ(jobs[0].max_attempts, 2);
  EXPECT_EQ(jobs[0].status, JobStatus::queued);
}

TEST_F(SchedulerTest, MissedPeriodsAreNotMadeUpAndEachPeriodIsEnqueuedOnce) {
  Scheduler first(*queue_, log_, {}, clock());
  Scheduler second(*queue_, log_, {}, clock());
  for (auto* s : {&first, &second}) s->add({"test.often", Schedule::every(15min)});
  EXPECT_EQ(first.tick() + second.tick(), 1);  // the 02:45 period, once
  advance(3h);                                 // nothing ran from 03:00 to 05:45
  EXPECT_EQ(second.tick() + first.tick(), 1);  // only the current (05:45) period
  const auto jobs = jobs_of("test.often");
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].unique_key, "test.often:2026-03-02T05:45:00.000Z");
  EXPECT_EQ(jobs[1].unique_key, "test.often:2026-03-02T02:45:00.000Z");
}

TEST_F(SchedulerTest, RefusesBadAndDuplicateKinds) {
  Scheduler scheduler(*queue_, log_, {}, clock());
  scheduler.add({"test.once", Schedule::every(60min)});
  EXPECT_THROW(scheduler.add({"test.once", Schedule::daily_at(1, 0)}), std::invalid_argument);
  EXPECT_THROW(scheduler.add({"Not A Kind", Schedule::every(60min)}), std::invalid_argument);
  EXPECT_EQ(scheduler.jobs().size(), 1u);
  Scheduler idle(*queue_, log_, {}, clock());
  EXPECT_EQ(idle.tick(), 0);
}

TEST(HandlerRegistryTest, FindsHandlersByKindWithTheirRetryPolicy) {
  HandlerRegistry registry;
  EXPECT_TRUE(registry.empty());
  registry.add("b.second", [](const Job&, JobContext&) { return JobOutcome::success(); });
  registry.add("a.first", [](const Job&, JobContext&) { return JobOutcome::give_up("no"); },
               {RetryPolicy{1s, 2s}});
  EXPECT_EQ(registry.kinds(), (std::vector<std::string>{"a.first", "b.second"}));
  const auto* first = registry.find("a.first");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->options.retry.base, 1s);
  EXPECT_EQ(first->options.retry.cap, 2s);
  JobContext ctx("w");
  EXPECT_EQ(first->handler(Job{}, ctx).kind, JobOutcome::Kind::give_up);
  EXPECT_EQ(registry.find("c.third"), nullptr);
}

TEST(HandlerRegistryTest, RefusesBadKindsMissingHandlersAndDuplicates) {
  HandlerRegistry registry;
  const JobHandler ok = [](const Job&, JobContext&) { return JobOutcome::success(); };
  registry.add("x.y", ok);
  EXPECT_THROW(registry.add("x.y", ok), std::invalid_argument);
  EXPECT_THROW(registry.add("", ok), std::invalid_argument);
  EXPECT_THROW(registry.add("UPPER", ok), std::invalid_argument);
  EXPECT_THROW(registry.add(std::string(101, 'a'), ok), std::invalid_argument);
  EXPECT_THROW(registry.add("no.handler", JobHandler{}), std::invalid_argument);
  EXPECT_EQ(registry.kinds().size(), 1u);
}

}  // namespace
}  // namespace cm::jobs::testing
