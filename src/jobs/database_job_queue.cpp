// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jobs/database_job_queue.hpp"

#include <boost/json.hpp>
#include <stdexcept>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "obs/metrics.hpp"
#include "store/job_repository.hpp"

namespace cm::jobs {

namespace {

void validate(const NewJob& job) {
  if (!is_valid_job_kind(job.kind))
    throw std::invalid_argument("job kind must be 1-100 of a-z 0-9 . _ - (got \"" + job.kind +
                                "\")");
  if (job.max_attempts < 1 || job.max_attempts > kMaxJobAttempts)
    throw std::invalid_argument("job max_attempts must be 1-" + std::to_string(kMaxJobAttempts));
  if (job.payload.size() > kMaxJobPayloadBytes)
    throw std::invalid_argument(
        "job payload is larger than 64 KiB; store the data elsewhere and "
        "pass its id");
  boost::system::error_code ec;
  const auto payload = boost::json::parse(job.payload, ec);
  if (ec) throw std::invalid_argument("job payload is not JSON: " + ec.message());
  if (!payload.is_object()) throw std::invalid_argument("job payload must be a JSON object");
  if (job.unique_key && (job.unique_key->empty() || job.unique_key->size() > 300))
    throw std::invalid_argument("job unique_key must be 1-300 bytes");
}

}  // namespace

DatabaseJobQueue::DatabaseJobQueue(store::Database& db, obs::Metrics* metrics, Clock clock)
    : db_(db),
      metrics_(metrics),
      clock_(clock ? std::move(clock) : Clock([] { return now_unix_ms(); })) {}

Job DatabaseJobQueue::make_job(const NewJob& job) const {
  validate(job);
  Job j;
  j.created_at = j.updated_at = clock_();
  j.id = new_id_at(j.created_at);
  j.org_id = job.org_id;
  j.kind = job.kind;
  j.payload = job.payload;
  j.run_at = job.run_at.value_or(j.created_at);
  j.max_attempts = job.max_attempts;
  j.unique_key = job.unique_key;
  return j;
}

void DatabaseJobQueue::after_enqueue(store::Transaction& tx, const std::string& kind) {
  tx.after_commit([this, kind] {
    if (metrics_ != nullptr) metrics_->record_job_enqueued(kind);
    notify_enqueued(kind);
  });
}

std::string DatabaseJobQueue::enqueue(store::Transaction& tx, const NewJob& job) {
  const Job j = make_job(job);
  store::JobRepository(tx.connection()).insert(j);
  after_enqueue(tx, j.kind);
  return j.id;
}

std::string DatabaseJobQueue::enqueue(const NewJob& job) {
  auto lease = db_.acquire();
  store::Transaction tx(*lease, store::Transaction::Mode::write);
  auto id = enqueue(tx, job);
  tx.commit();
  return id;
}

std::optional<std::string> DatabaseJobQueue::enqueue_unique(const NewJob& job) {
  if (!job.unique_key) throw std::invalid_argument("enqueue_unique needs a unique_key");
  const Job j = make_job(job);
  auto lease = db_.acquire();
  store::Transaction tx(*lease, store::Transaction::Mode::write);
  if (!store::JobRepository(*lease).insert_unique(j)) return std::nullopt;
  after_enqueue(tx, j.kind);
  tx.commit();
  return j.id;
}

std::vector<Job> DatabaseJobQueue::claim(const ClaimRequest& request) {
  if (request.kinds.empty() || request.max_jobs < 1) return {};
  const std::int64_t now = clock_();
  const store::JobClaim claim{request.worker_id, request.kinds, now, now + request.lease.count(),
                              request.max_jobs};
  auto lease = db_.acquire();
  store::JobRepository jobs(*lease);
  // A read first: idle polling must not take SQLite's database-wide write lock, and on
  // PostgreSQL it keeps idle workers from writing at all.
  if (!jobs.has_claim_work(claim)) return {};
  store::Transaction tx(*lease, store::Transaction::Mode::write);
  const auto buried = jobs.bury_expired(now);
  auto claimed = jobs.claim(claim);
  tx.commit();
  if (metrics_ != nullptr)
    for (const auto& kind : buried) metrics_->record_job_finished(kind, "dead");
  return claimed;
}

bool DatabaseJobQueue::extend_lease(const Job& leased, std::chrono::milliseconds lease) {
  const auto now = clock_();
  auto conn = db_.acquire();
  return store::JobRepository(*conn).extend_lease(leased, now + lease.count(), now);
}

bool DatabaseJobQueue::complete(const Job& leased) {
  auto conn = db_.acquire();
  return store::JobRepository(*conn).complete(leased, clock_());
}

FailResult DatabaseJobQueue::fail(const Job& leased, std::string_view error,
                                  std::chrono::milliseconds delay) {
  const auto now = clock_();
  auto conn = db_.acquire();
  store::JobRepository jobs(*conn);
  if (leased.attempts >= leased.max_attempts)
    return jobs.bury(leased, error, now) ? FailResult::dead : FailResult::lease_lost;
  return jobs.reschedule(leased, error, now + delay.count(), now) ? FailResult::retrying
                                                                  : FailResult::lease_lost;
}

bool DatabaseJobQueue::bury(const Job& leased, std::string_view error) {
  auto conn = db_.acquire();
  return store::JobRepository(*conn).bury(leased, error, clock_());
}

bool DatabaseJobQueue::release(const Job& leased) {
  auto conn = db_.acquire();
  return store::JobRepository(*conn).release(leased, clock_());
}

std::optional<Job> DatabaseJobQueue::find(std::string_view id) {
  auto conn = db_.acquire();
  return store::JobRepository(*conn).find(id);
}

std::vector<Job> DatabaseJobQueue::list(const JobFilter& filter) {
  auto conn = db_.acquire();
  return store::JobRepository(*conn).list(filter);
}

JobAdminResult DatabaseJobQueue::retry(std::string_view id) {
  JobAdminResult result;
  std::string kind;
  {
    auto conn = db_.acquire();
    store::Transaction tx(*conn, store::Transaction::Mode::write);
    store::JobRepository jobs(*conn);
    result = jobs.retry(id, clock_());
    if (result == JobAdminResult::done) kind = jobs.find(id)->kind;
    tx.commit();
  }
  if (result == JobAdminResult::done) notify_enqueued(kind);
  return result;
}

JobAdminResult DatabaseJobQueue::cancel(std::string_view id) {
  auto conn = db_.acquire();
  return store::JobRepository(*conn).cancel(id, clock_());
}

std::vector<JobCount> DatabaseJobQueue::counts() {
  auto conn = db_.acquire();
  return store::JobRepository(*conn).count_unfinished();
}

std::int64_t DatabaseJobQueue::prune_finished_before(std::int64_t cutoff) {
  auto conn = db_.acquire();
  return store::JobRepository(*conn).delete_finished_before(cutoff);
}

}  // namespace cm::jobs
