// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The `jobs` table: the SQL of the database-backed job queue (src/jobs/database_job_queue.hpp
// adds transactions, clocks and notifications on top). Like every repository it works on the
// connection it is given, so an insert joins the caller's transaction and commits or rolls back
// with the change that needed the job.
//
// Leases: a claimed job carries `locked_by` (the worker) and `attempts` (which claim); every
// later write by that worker names both, so a worker whose lease expired and whose job was
// claimed again cannot complete, fail or extend the newer attempt. Those calls return false.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/job.hpp"
#include "store/database.hpp"

namespace cm::store {

struct JobClaim {
  std::string worker_id;
  std::vector<std::string> kinds;  // only these kinds (the worker's handlers); must not be empty
  std::int64_t now = 0;
  std::int64_t locked_until = 0;
  int max_jobs = 1;
};

class JobRepository {
 public:
  explicit JobRepository(Connection& conn) : conn_(conn) {}

  void insert(const Job& job);
  // False (and nothing written) when a job with the same unique_key exists.
  bool insert_unique(const Job& job);
  std::optional<Job> find(std::string_view id);
  // Newest first.
  std::vector<Job> list(const JobFilter& filter);

  // Whether claim() or bury_expired() would find anything; a plain read, so idle polling never
  // takes SQLite's write lock.
  bool has_claim_work(const JobClaim& claim);
  // Leases up to max_jobs jobs that are due (queued, run_at <= now) or whose lease expired with
  // attempts left, oldest run_at first. On PostgreSQL one statement with FOR UPDATE SKIP LOCKED,
  // so concurrent claimers take different rows; on SQLite the caller must hold a write
  // transaction (which serializes claimers).
  std::vector<Job> claim(const JobClaim& claim);
  // Running jobs whose lease expired with no attempts left become dead letters (their worker
  // died on every attempt). Returns their kinds, one entry per job.
  std::vector<std::string> bury_expired(std::int64_t now);

  // Lease-checked transitions; false when the lease is no longer this worker's.
  bool extend_lease(const Job& leased, std::int64_t locked_until, std::int64_t now);
  bool complete(const Job& leased, std::int64_t now);
  bool reschedule(const Job& leased, std::string_view error, std::int64_t run_at, std::int64_t now);
  bool bury(const Job& leased, std::string_view error, std::int64_t now);
  // Back to queued without using up an attempt (a worker shutting down before it ran the job).
  bool release(const Job& leased, std::int64_t now);

  // Operator actions. retry: a dead, cancelled or queued job runs again now with its attempts
  // reset. cancel: a queued, running or dead job is cancelled (a running handler finds out at
  // its next heartbeat).
  JobAdminResult retry(std::string_view id, std::int64_t now);
  JobAdminResult cancel(std::string_view id, std::int64_t now);

  // Jobs per kind that are queued, running or dead (the queue-depth gauges).
  std::vector<JobCount> count_unfinished();
  // Deletes succeeded and cancelled jobs that finished before `cutoff`; returns how many.
  std::int64_t delete_finished_before(std::int64_t cutoff);

 private:
  Connection& conn_;
};

}  // namespace cm::store
