// SPDX-License-Identifier: AGPL-3.0-or-later
// The job queue's promises on a real database (SQLite or PostgreSQL, per CM_TEST_BACKEND):
// transactional enqueue, exclusive leases, expiry, backoff, dead letters, operator actions.

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "jobs_fixture.hpp"

namespace cm::jobs::testing {
namespace {

using namespace std::chrono_literals;

std::int64_t count_rows(store::Database& db, std::string_view sql) {
  auto lease = db.acquire();
  return lease->query(sql).rows.at(0).int64(0);
}

TEST_F(JobsTest, AJobExistsOnlyIfItsTransactionCommits) {
  std::vector<std::string> notified;
  queue_->add_enqueue_listener([&](const std::string& kind) { notified.push_back(kind); });
  std::string rolled_back;
  {
    auto lease = db_->acquire();
    store::Transaction tx(*lease, store::Transaction::Mode::write);
    lease->query(
        "INSERT INTO organizations (id, name, contract_types, created_at) VALUES ('o1', 'Acme', "
        "'[]', 0)");
    rolled_back = queue_->enqueue(tx, job());
    // No commit: the organization and its job vanish together.
  }
  EXPECT_EQ(queue_->find(rolled_back), std::nullopt);
  EXPECT_EQ(count_rows(*db_, "SELECT COUNT(*) FROM organizations"), 0);
  EXPECT_TRUE(notified.empty()) << "a rolled-back job must not wake anyone";
  EXPECT_TRUE(queue_->claim(claim_by("w1")).empty());

  std::string committed;
  {
    auto lease = db_->acquire();
    store::Transaction tx(*lease, store::Transaction::Mode::write);
    lease->query(
        "INSERT INTO organizations (id, name, contract_types, created_at) VALUES ('o1', 'Acme', "
        "'[]', 0)");
    NewJob j = job();
    j.org_id = "o1";
    j.payload = R"({"organizationId":"o1"})";
    committed = queue_->enqueue(tx, j);
    EXPECT_TRUE(notified.empty()) << "listeners run after the commit, not before";
    tx.commit();
  }
  EXPECT_EQ(notified, std::vector<std::string>{"test.work"});
  const Job j = get(committed);
  EXPECT_EQ(j.status, JobStatus::queued);
  EXPECT_EQ(j.org_id, "o1");
  EXPECT_EQ(j.payload, R"({"organizationId":"o1"})");
  EXPECT_EQ(j.attempts, 0);
  EXPECT_EQ(j.max_attempts, 5);
  EXPECT_EQ(j.run_at, now_.load());
  EXPECT_EQ(count_rows(*db_, "SELECT COUNT(*) FROM organizations"), 1);
}

TEST_F(JobsTest, EnqueueRefusesWhatNoHandlerCouldRead) {
  NewJob bad_kind = job("Not A Kind");
  EXPECT_THROW(queue_->enqueue(bad_kind), std::invalid_argument);
  NewJob bad_payload = job();
  bad_payload.payload = "{not json";
  EXPECT_THROW(queue_->enqueue(bad_payload), std::invalid_argument);
  NewJob not_an_object = job();
  not_an_object.payload = "[1, 2]";
  EXPECT_THROW(queue_->enqueue(not_an_object), std::invalid_argument);
  NewJob huge = job();
  huge.payload = R"({"x":")" + std::string(kMaxJobPayloadBytes, 'x') + R"("})";
  EXPECT_THROW(queue_->enqueue(huge), std::invalid_argument);
  EXPECT_THROW(queue_->enqueue(job("test.work", 0)), std::invalid_argument);
  EXPECT_THROW(queue_->enqueue_unique(job()), std::invalid_argument);  // no unique key
  EXPECT_EQ(count_rows(*db_, "SELECT COUNT(*) FROM jobs"), 0);
}

TEST_F(JobsTest, ClaimLeasesDueJobsOldestFirstAndOnlyItsKinds) {
  NewJob older = job();
  older.run_at = now_.load() - 10;
  const auto a = queue_->enqueue(older);
  const auto b = queue_->enqueue(job());
  NewJob later = job();
  later.run_at = now_.load() + 5000;
  const auto c = queue_->enqueue(later);
  queue_->enqueue(job("other.kind"));

  const auto claimed = queue_->claim(claim_by("w1", 10, 1500ms));
  ASSERT_EQ(claimed.size(), 2u);
  EXPECT_EQ(claimed[0].id, a);
  EXPECT_EQ(claimed[1].id, b);
  for (const auto& j : claimed) {
    EXPECT_EQ(j.status, JobStatus::running);
    EXPECT_EQ(j.attempts, 1);
    EXPECT_EQ(j.locked_by, "w1");
    EXPECT_EQ(j.locked_until, now_.load() + 1500);
  }
  EXPECT_EQ(get(a).status, JobStatus::running);
  EXPECT_TRUE(queue_->claim(claim_by("w2", 10)).empty()) << "leased and future jobs stay put";

  advance(5000ms);  // c is due; a and b's leases have expired as well
  const auto next = queue_->claim(claim_by("w2", 10));
  std::set<std::string> ids;
  for (const auto& j : next) ids.insert(j.id);
  EXPECT_EQ(ids, (std::set<std::string>{a, b, c}));
}

TEST_F(JobsTest, ConcurrentClaimersNeverShareAJob) {
  constexpr int kJobs = 120;
  constexpr int kClaimers = 4;
  DatabaseJobQueue queue(*db_);  // real clock: the claimers race for real
  for (int i = 0; i < kJobs; ++i) queue.enqueue(job());

  std::mutex mutex;
  std::map<std::string, int> times_claimed;
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < kClaimers; ++t) {
    threads.emplace_back([&, t] {
      // Each claimer has its own pool, like a separate process.
      auto db = open(2);
      DatabaseJobQueue own(*db);
      int empty_in_a_row = 0;
      while (empty_in_a_row < 3) {
        std::vector<Job> got;
        try {
          got = own.claim({"claimer-" + std::to_string(t), {"test.work"}, 60s, 1 + t % 3});
        } catch (const std::exception& e) {
          ++errors;
          ADD_FAILURE() << e.what();
          return;
        }
        empty_in_a_row = got.empty() ? empty_in_a_row + 1 : 0;
        std::lock_guard lock(mutex);
        for (const auto& j : got) ++times_claimed[j.id];
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(times_claimed.size(), static_cast<std::size_t>(kJobs));
  for (const auto& [id, n] : times_claimed) EXPECT_EQ(n, 1) << "job " << id << " claimed twice";
  EXPECT_EQ(count_rows(*db_, "SELECT COUNT(*) FROM jobs WHERE status = 'running'"), kJobs);
}

TEST_F(JobsTest, AnExpiredLeaseIsClaimedAgainAndTheOldHolderCannotFinish) {
  const auto id = queue_->enqueue(job());
  const auto first = queue_->claim(claim_by("w1", 1, 1000ms));
  ASSERT_EQ(first.size(), 1u);

  advance(999ms);
  EXPECT_TRUE(queue_->claim(claim_by("w2")).empty()) << "the lease still holds";
  advance(2ms);
  const auto second = queue_->claim(claim_by("w2", 1, 1000ms));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].id, id);
  EXPECT_EQ(second[0].attempts, 2);
  EXPECT_EQ(second[0].locked_by, "w2");

  // w1 (back from a long pause) finds it lost everything.
  EXPECT_FALSE(queue_->extend_lease(first[0], 1000ms));
  EXPECT_FALSE(queue_->complete(first[0]));
  EXPECT_EQ(queue_->fail(first[0], "late", 1s), FailResult::lease_lost);
  EXPECT_FALSE(queue_->bury(first[0], "late"));
  EXPECT_EQ(get(id).status, JobStatus::running);

  EXPECT_TRUE(queue_->complete(second[0]));
  const Job done = get(id);
  EXPECT_EQ(done.status, JobStatus::succeeded);
  EXPECT_EQ(done.finished_at, now_.load());
  EXPECT_EQ(done.locked_until, std::nullopt);
}

TEST_F(JobsTest, HeartbeatsKeepTheLease) {
  queue_->enqueue(job());
  const auto claimed = queue_->claim(claim_by("w1", 1, 1000ms));
  ASSERT_EQ(claimed.size(), 1u);
  for (int i = 0; i < 5; ++i) {
    advance(900ms);
    EXPECT_TRUE(queue_->extend_lease(claimed[0], 1000ms));
    EXPECT_TRUE(queue_->claim(claim_by("w2")).empty());
  }
  advance(1001ms);  // heartbeats stopped (the worker died)
  EXPECT_EQ(queue_->claim(claim_by("w2")).size(), 1u);
}

TEST_F(JobsTest, FailedAttemptsWaitTheirBackoffThenBecomeADeadLetter) {
  const auto id = queue_->enqueue(job("test.work", 3));
  auto attempt = queue_->claim(claim_by("w1"));
  ASSERT_EQ(attempt.size(), 1u);
  EXPECT_EQ(queue_->fail(attempt[0], "timeout talking to S3", 500ms), FailResult::retrying);
  Job j = get(id);
  EXPECT_EQ(j.status, JobStatus::queued);
  EXPECT_EQ(j.run_at, now_.load() + 500);
  EXPECT_EQ(j.last_error, "timeout talking to S3");
  EXPECT_EQ(j.attempts, 1);
  EXPECT_EQ(j.locked_by, std::nullopt);

  advance(499ms);
  EXPECT_TRUE(queue_->claim(claim_by("w1")).empty()) << "not before the backoff";
  advance(1ms);
  attempt = queue_->claim(claim_by("w1"));
  ASSERT_EQ(attempt.size(), 1u);
  EXPECT_EQ(attempt[0].attempts, 2);
  EXPECT_EQ(queue_->fail(attempt[0], "again", 1000ms), FailResult::retrying);

  advance(1000ms);
  attempt = queue_->claim(claim_by("w1"));
  ASSERT_EQ(attempt.size(), 1u);
  EXPECT_EQ(attempt[0].attempts, 3);
  EXPECT_EQ(queue_->fail(attempt[0], "and again", 1000ms), FailResult::dead);
  j = get(id);
  EXPECT_EQ(j.status, JobStatus::dead);
  EXPECT_EQ(j.last_error, "and again");
  EXPECT_EQ(j.finished_at, now_.load());

  advance(24h);
  EXPECT_TRUE(queue_->claim(claim_by("w1")).empty()) << "dead letters never run by themselves";
  const auto counts = queue_->counts();
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].kind, "test.work");
  EXPECT_EQ(counts[0].status, JobStatus::dead);
  EXPECT_EQ(counts[0].count, 1);
}

TEST_F(JobsTest, GivingUpBuriesAtOnce) {
  const auto id = queue_->enqueue(job("test.work", 5));
  const auto claimed = queue_->claim(claim_by("w1"));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_TRUE(queue_->bury(claimed[0], "payload names no document"));
  EXPECT_EQ(get(id).status, JobStatus::dead);
  EXPECT_EQ(get(id).attempts, 1);
}

TEST_F(JobsTest, ALeaseThatExpiresOnTheLastAttemptIsADeadLetter) {
  const auto id = queue_->enqueue(job("test.work", 2));
  ASSERT_EQ(queue_->claim(claim_by("w1")).size(), 1u);
  advance(1001ms);
  ASSERT_EQ(queue_->claim(claim_by("w2")).size(), 1u);  // attempt 2 of 2
  advance(1001ms);
  EXPECT_TRUE(queue_->claim(claim_by("w3")).empty());
  const Job j = get(id);
  EXPECT_EQ(j.status, JobStatus::dead);
  ASSERT_TRUE(j.last_error.has_value());
  EXPECT_NE(j.last_error->find("lease expired"), std::string::npos) << *j.last_error;
}

TEST_F(JobsTest, ReleaseGivesTheJobBackWithoutUsingAnAttempt) {
  const auto id = queue_->enqueue(job());
  const auto claimed = queue_->claim(claim_by("w1"));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_TRUE(queue_->release(claimed[0]));
  const Job j = get(id);
  EXPECT_EQ(j.status, JobStatus::queued);
  EXPECT_EQ(j.attempts, 0);
  EXPECT_EQ(queue_->claim(claim_by("w2")).size(), 1u) << "claimable again at once";
}

TEST_F(JobsTest, OperatorsRetryAndCancel) {
  // A dead letter runs again, with fresh attempts.
  const auto dead = queue_->enqueue(job("test.work", 1));
  auto claimed = queue_->claim(claim_by("w1"));
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_EQ(queue_->fail(claimed[0], "boom", 1s), FailResult::dead);
  EXPECT_EQ(queue_->retry(dead), JobAdminResult::done);
  Job j = get(dead);
  EXPECT_EQ(j.status, JobStatus::queued);
  EXPECT_EQ(j.attempts, 0);
  EXPECT_EQ(j.finished_at, std::nullopt);
  EXPECT_EQ(j.last_error, "boom") << "the last error stays for the record";
  claimed = queue_->claim(claim_by("w1"));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_TRUE(queue_->complete(claimed[0]));

  // Succeeded jobs are final.
  EXPECT_EQ(queue_->retry(dead), JobAdminResult::wrong_status);
  EXPECT_EQ(queue_->cancel(dead), JobAdminResult::wrong_status);
  EXPECT_EQ(queue_->retry("01900000-0000-7000-8000-000000000000"), JobAdminResult::not_found);
  EXPECT_EQ(queue_->cancel("01900000-0000-7000-8000-000000000000"), JobAdminResult::not_found);

  // A queued job cancelled never runs, and can be revived.
  const auto queued = queue_->enqueue(job());
  EXPECT_EQ(queue_->cancel(queued), JobAdminResult::done);
  EXPECT_EQ(get(queued).status, JobStatus::cancelled);
  EXPECT_TRUE(queue_->claim(claim_by("w1")).empty());
  JobFilter cancelled;
  cancelled.status = JobStatus::cancelled;
  ASSERT_EQ(queue_->list(cancelled).size(), 1u);
  EXPECT_EQ(queue_->retry(queued), JobAdminResult::done);
  claimed = queue_->claim(claim_by("w1"));
  ASSERT_EQ(claimed.size(), 1u);

  // A running job cancelled: its holder loses the lease at the next heartbeat.
  EXPECT_EQ(queue_->cancel(queued), JobAdminResult::done);
  EXPECT_FALSE(queue_->extend_lease(claimed[0], 1s));
  EXPECT_FALSE(queue_->complete(claimed[0]));
  EXPECT_EQ(get(queued).status, JobStatus::cancelled);
}

TEST_F(JobsTest, AUniqueKeyIsEnqueuedOnce) {
  NewJob j = job();
  j.unique_key = "test.work:2026-11-26T03:00:00.000Z";
  const auto first = queue_->enqueue_unique(j);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(queue_->enqueue_unique(j), std::nullopt);
  // Also once it has run.
  const auto claimed = queue_->claim(claim_by("w1"));
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_TRUE(queue_->complete(claimed[0]));
  EXPECT_EQ(queue_->enqueue_unique(j), std::nullopt);
  EXPECT_EQ(get(*first).unique_key, j.unique_key);
  EXPECT_EQ(count_rows(*db_, "SELECT COUNT(*) FROM jobs"), 1);
}

TEST_F(JobsTest, ListFiltersNewestFirst) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(queue_->enqueue(job()));
    advance(1ms);
  }
  const auto other = queue_->enqueue(job("other.kind"));
  JobFilter all;
  auto listed = queue_->list(all);
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(listed[0].id, other);
  EXPECT_EQ(listed[3].id, ids[0]);
  JobFilter by_kind;
  by_kind.kind = "test.work";
  by_kind.limit = 2;
  listed = queue_->list(by_kind);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, ids[2]);
  EXPECT_EQ(listed[1].id, ids[1]);
  JobFilter running;
  running.status = JobStatus::running;
  EXPECT_TRUE(queue_->list(running).empty());
}

TEST_F(JobsTest, PruneDeletesOnlyOldFinishedJobs) {
  const auto old_done = queue_->enqueue(job());
  auto c = queue_->claim(claim_by("w1"));
  ASSERT_EQ(c.size(), 1u);
  ASSERT_TRUE(queue_->complete(c[0]));
  const auto old_cancelled = queue_->enqueue(job());
  ASSERT_EQ(queue_->cancel(old_cancelled), JobAdminResult::done);
  const auto old_dead = queue_->enqueue(job("test.work", 1));
  c = queue_->claim(claim_by("w1"));
  ASSERT_EQ(c.size(), 1u);
  ASSERT_EQ(queue_->fail(c[0], "x", 1s), FailResult::dead);
  const std::int64_t cutoff = now_.load() + 1;

  advance(10ms);
  const auto recent_done = queue_->enqueue(job());
  c = queue_->claim(claim_by("w1"));
  ASSERT_EQ(c.size(), 1u);
  ASSERT_TRUE(queue_->complete(c[0]));
  const auto waiting = queue_->enqueue(job());

  EXPECT_EQ(queue_->prune_finished_before(cutoff), 2);
  EXPECT_EQ(queue_->find(old_done), std::nullopt);
  EXPECT_EQ(queue_->find(old_cancelled), std::nullopt);
  EXPECT_TRUE(queue_->find(old_dead).has_value()) << "dead letters wait for an operator";
  EXPECT_TRUE(queue_->find(recent_done).has_value());
  EXPECT_TRUE(queue_->find(waiting).has_value());
}

}  // namespace
}  // namespace cm::jobs::testing
