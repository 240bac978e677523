// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/job.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "core/time.hpp"

namespace cm {
namespace {

using std::chrono::milliseconds;

std::int64_t at(const char* rfc3339) {
  const auto ms = parse_rfc3339(rfc3339);
  EXPECT_TRUE(ms.has_value()) << rfc3339;
  return ms.value_or(0);
}

TEST(JobStatus, RoundTripsEveryName) {
  for (const auto s : {JobStatus::queued, JobStatus::running, JobStatus::succeeded, JobStatus::dead,
                       JobStatus::cancelled}) {
    EXPECT_EQ(parse_job_status(to_string(s)), s);
  }
  EXPECT_EQ(to_string(JobStatus::dead), "dead");
  EXPECT_EQ(parse_job_status("failed"), std::nullopt);
  EXPECT_EQ(parse_job_status("Queued"), std::nullopt);
}

TEST(JobKind, IsAShortLowerCaseName) {
  EXPECT_TRUE(is_valid_job_kind("jobs.prune"));
  EXPECT_TRUE(is_valid_job_kind("documents.extract_text"));
  EXPECT_TRUE(is_valid_job_kind("blob-gc.v2"));
  EXPECT_FALSE(is_valid_job_kind(""));
  EXPECT_FALSE(is_valid_job_kind("Jobs.Prune"));
  EXPECT_FALSE(is_valid_job_kind("jobs prune"));
  EXPECT_FALSE(is_valid_job_kind("jobs:prune"));  // ':' separates the period in unique keys
  EXPECT_FALSE(is_valid_job_kind("kind\"}"));
  EXPECT_TRUE(is_valid_job_kind(std::string(100, 'a')));
  EXPECT_FALSE(is_valid_job_kind(std::string(101, 'a')));
}

TEST(RetryDelay, DoublesPerAttemptWithinTheJitterRange) {
  const RetryPolicy policy{milliseconds(1000), milliseconds(60'000)};
  // Nominal delays 1 s, 2 s, 4 s, 8 s ...; the jitter picks from [nominal/2, nominal].
  EXPECT_EQ(retry_delay(1, policy, 0.0), milliseconds(500));
  EXPECT_EQ(retry_delay(1, policy, 0.999), milliseconds(999));
  EXPECT_EQ(retry_delay(2, policy, 0.0), milliseconds(1000));
  EXPECT_EQ(retry_delay(3, policy, 0.0), milliseconds(2000));
  EXPECT_EQ(retry_delay(4, policy, 0.5), milliseconds(6000));
  EXPECT_EQ(retry_delay(4, policy, 1.0), milliseconds(8000));
}

TEST(RetryDelay, StopsAtTheCap) {
  const RetryPolicy policy{milliseconds(1000), milliseconds(60'000)};
  EXPECT_EQ(retry_delay(7, policy, 1.0), milliseconds(60'000));  // 64 s nominal, capped
  EXPECT_EQ(retry_delay(7, policy, 0.0), milliseconds(30'000));
  // No overflow however many attempts.
  EXPECT_EQ(retry_delay(1'000'000, policy, 1.0), milliseconds(60'000));
  // Out-of-range randomness is clamped, attempts below 1 count as the first.
  EXPECT_EQ(retry_delay(1, policy, 7.0), milliseconds(1000));
  EXPECT_EQ(retry_delay(0, policy, -1.0), milliseconds(500));
}

TEST(Schedule, EveryNMinutesIsAlignedToTheEpoch) {
  const auto s = Schedule::every(std::chrono::minutes(15));
  EXPECT_EQ(s.period_start(at("2026-11-26T04:12:26.123Z")), at("2026-11-26T04:00:00Z"));
  EXPECT_EQ(s.period_start(at("2026-11-26T04:15:00Z")), at("2026-11-26T04:15:00Z"));
  EXPECT_EQ(s.period_start(at("2026-11-26T04:14:59.999Z")), at("2026-11-26T04:00:00Z"));
  EXPECT_EQ(s.next_start(at("2026-11-26T04:12:26Z")), at("2026-11-26T04:15:00Z"));
  EXPECT_EQ(s.describe(), "every 15m");
}

TEST(Schedule, DailyAtATimeOfDayUtc) {
  const auto s = Schedule::daily_at(3, 30);
  EXPECT_EQ(s.period_start(at("2026-11-26T04:12:00Z")), at("2026-11-26T03:30:00Z"));
  // Before 03:30 the current period began yesterday.
  EXPECT_EQ(s.period_start(at("2026-11-26T03:29:59.999Z")), at("2026-11-25T03:30:00Z"));
  EXPECT_EQ(s.period_start(at("2026-11-26T03:30:00Z")), at("2026-11-26T03:30:00Z"));
  EXPECT_EQ(s.next_start(at("2026-11-26T03:30:00Z")), at("2026-11-27T03:30:00Z"));
  // Across a year end.
  EXPECT_EQ(s.period_start(at("2027-01-01T01:00:00Z")), at("2026-12-31T03:30:00Z"));
  EXPECT_EQ(s.describe(), "daily 03:30 UTC");
}

TEST(Schedule, RefusesImpossiblePeriods) {
  EXPECT_THROW(Schedule::every(std::chrono::minutes(0)), std::invalid_argument);
  EXPECT_THROW(Schedule::every(std::chrono::minutes(7 * 1440 + 1)), std::invalid_argument);
  EXPECT_THROW(Schedule::daily_at(24, 0), std::invalid_argument);
  EXPECT_THROW(Schedule::daily_at(0, 60), std::invalid_argument);
  EXPECT_THROW(Schedule::daily_at(-1, 0), std::invalid_argument);
}

TEST(PeriodKey, NamesTheKindAndThePeriodStart) {
  EXPECT_EQ(period_key("jobs.prune", at("2026-11-26T03:00:00Z")),
            "jobs.prune:2026-11-26T03:00:00.000Z");
}

}  // namespace
}  // namespace cm
