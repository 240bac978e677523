// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The job queue in the application database (`jobs` table, migration 2), on SQLite and
// PostgreSQL alike. Claims are one `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)
// RETURNING` on PostgreSQL and a short write transaction on SQLite.
//
// Lease times come from this process's clock (hosts are expected to run NTP; a lease is tens of
// seconds, skew is milliseconds).

#include <functional>

#include "jobs/job_queue.hpp"
#include "store/database.hpp"

namespace cm::obs {
class Metrics;
}

namespace cm::jobs {

class DatabaseJobQueue final : public JobQueue {
 public:
  using Clock = std::function<std::int64_t()>;  // Unix ms

  // `metrics` may be null (command-line tools); `clock` defaults to the system clock (tests
  // move time forward by hand).
  explicit DatabaseJobQueue(store::Database& db, obs::Metrics* metrics = nullptr, Clock clock = {});

  std::string enqueue(store::Transaction& tx, const NewJob& job) override;
  std::string enqueue(const NewJob& job) override;
  std::optional<std::string> enqueue_unique(const NewJob& job) override;

  std::vector<Job> claim(const ClaimRequest& request) override;
  bool extend_lease(const Job& leased, std::chrono::milliseconds lease) override;
  bool complete(const Job& leased) override;
  FailResult fail(const Job& leased, std::string_view error,
                  std::chrono::milliseconds delay) override;
  bool bury(const Job& leased, std::string_view error) override;
  bool release(const Job& leased) override;

  std::optional<Job> find(std::string_view id) override;
  std::vector<Job> list(const JobFilter& filter) override;
  JobAdminResult retry(std::string_view id) override;
  JobAdminResult cancel(std::string_view id) override;
  std::vector<JobCount> counts() override;
  std::int64_t prune_finished_before(std::int64_t cutoff) override;

 private:
  Job make_job(const NewJob& job) const;
  void after_enqueue(store::Transaction& tx, const std::string& kind);

  store::Database& db_;
  obs::Metrics* metrics_;
  Clock clock_;
};

}  // namespace cm::jobs
