// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/job_repository.hpp"

#include <algorithm>
#include <stdexcept>

#include "store/sql_builder.hpp"

namespace cm::store {

namespace {

const std::string kColumns =
    "id, org_id, kind, payload, status, run_at, attempts, max_attempts, locked_by, locked_until, "
    "last_error, unique_key, created_at, updated_at, finished_at";

constexpr std::string_view kInsert =
    "INSERT INTO jobs (id, org_id, kind, payload, status, run_at, attempts, max_attempts, "
    "locked_by, locked_until, last_error, unique_key, created_at, updated_at, finished_at) "
    "VALUES ($1, $2, $3, $4, 'queued', $5, 0, $6, NULL, NULL, NULL, $7, $8, $8, NULL)";

// A job is claimable when it is due, or when its worker's lease ran out and it has attempts
// left. $1 is now; the kind list follows.
constexpr std::string_view kClaimable =
    "((status = 'queued' AND run_at <= $1) OR "
    "(status = 'running' AND locked_until < $1 AND attempts < max_attempts))";

// A running job whose lease ran out on its last attempt: a dead letter to be. $1 is now.
constexpr std::string_view kExpiredLastAttempt =
    "(status = 'running' AND locked_until < $1 AND attempts >= max_attempts)";

// The lease checks of a worker's own writes: same worker, same attempt, still running.
constexpr std::string_view kLeaseHeld =
    "id = $1 AND locked_by = $2 AND attempts = $3 AND status = 'running'";

// Errors are stored for operators; a handler's exception text could be long.
constexpr std::size_t kMaxErrorBytes = 4000;

std::string clip_error(std::string_view error) {
  if (error.size() <= kMaxErrorBytes) return std::string(error);
  std::size_t n = kMaxErrorBytes;
  // Never cut a UTF-8 sequence in half: back up to the start of a character.
  while (n > 0 && (static_cast<unsigned char>(error[n]) & 0xC0) == 0x80) --n;
  return std::string(error.substr(0, n)) + "...";
}

Job from_row(const Row& row) {
  Job j;
  j.id = row.text(0);
  j.org_id = row.opt_text(1);
  j.kind = row.text(2);
  j.payload = row.text(3);
  const auto status = parse_job_status(row.text(4));
  if (!status) throw DbError(DbError::Kind::other, "jobs row has unknown status " + row.text(4));
  j.status = *status;
  j.run_at = row.int64(5);
  j.attempts = static_cast<int>(row.int64(6));
  j.max_attempts = static_cast<int>(row.int64(7));
  j.locked_by = row.opt_text(8);
  j.locked_until = row.opt_int64(9);
  j.last_error = row.opt_text(10);
  j.unique_key = row.opt_text(11);
  j.created_at = row.int64(12);
  j.updated_at = row.int64(13);
  j.finished_at = row.opt_int64(14);
  return j;
}

std::vector<Param> insert_params(const Job& job) {
  return {job.id,
          opt(job.org_id),
          job.kind,
          job.payload,
          job.run_at,
          std::int64_t{job.max_attempts},
          opt(job.unique_key),
          job.created_at};
}

std::vector<Param> lease_params(const Job& leased) {
  if (!leased.locked_by) throw std::invalid_argument("job " + leased.id + " is not leased");
  return {leased.id, *leased.locked_by, std::int64_t{leased.attempts}};
}

// "$first, $first+1, ..." for the kinds, which follow the fixed parameters.
std::string kind_list(SqlBuilder& b, const std::vector<std::string>& kinds) {
  if (kinds.empty()) throw std::invalid_argument("a job claim needs at least one kind");
  return b.bind_list(kinds);
}

}  // namespace

void JobRepository::insert(const Job& job) {
  conn_.query(kInsert, insert_params(job));
}

bool JobRepository::insert_unique(const Job& job) {
  if (!job.unique_key) throw std::invalid_argument("insert_unique needs a unique_key");
  return conn_
             .query(std::string(kInsert) + " ON CONFLICT (unique_key) DO NOTHING",
                    insert_params(job))
             .affected == 1;
}

std::optional<Job> JobRepository::find(std::string_view id) {
  auto r = conn_.query("SELECT " + kColumns + " FROM jobs WHERE id = $1", {std::string(id)});
  if (r.empty()) return std::nullopt;
  return from_row(r.rows.front());
}

std::vector<Job> JobRepository::list(const JobFilter& filter) {
  SqlBuilder b;
  if (filter.status) b.where("status = " + b.bind(std::string(to_string(*filter.status))));
  if (filter.kind) b.where("kind = " + b.bind(*filter.kind));
  const auto sql = "SELECT " + kColumns + " FROM jobs" + b.where_clause() +
                   " ORDER BY created_at DESC, id DESC LIMIT " +
                   b.bind(std::int64_t{std::clamp(filter.limit, 1, 10'000)});
  std::vector<Job> out;
  for (const auto& row : conn_.query(sql, b.params()).rows) out.push_back(from_row(row));
  return out;
}

bool JobRepository::has_claim_work(const JobClaim& claim) {
  SqlBuilder b;
  b.bind(claim.now);  // $1, used by kClaimable and kExpiredLastAttempt
  const auto sql = "SELECT 1 FROM jobs WHERE (" + std::string(kClaimable) + " AND kind IN (" +
                   kind_list(b, claim.kinds) + ")) OR " + std::string(kExpiredLastAttempt) +
                   " LIMIT 1";
  return !conn_.query(sql, b.params()).empty();
}

std::vector<Job> JobRepository::claim(const JobClaim& claim) {
  SqlBuilder b;
  b.bind(claim.now);  // $1
  const auto worker = b.bind(claim.worker_id);
  const auto until = b.bind(claim.locked_until);
  const auto limit = b.bind(std::int64_t{std::max(1, claim.max_jobs)});
  const auto kinds = kind_list(b, claim.kinds);
  // PostgreSQL: rows another claimer has locked are skipped rather than waited for, so N
  // workers take N different jobs in one round trip each. SQLite has no row locks; its write
  // transaction already excludes every other writer.
  const std::string lock =
      conn_.dialect() == Dialect::postgres ? " FOR UPDATE SKIP LOCKED" : std::string();
  const auto sql = "UPDATE jobs SET status = 'running', locked_by = " + worker +
                   ", locked_until = " + until +
                   ", attempts = attempts + 1, updated_at = $1 WHERE id IN (SELECT id FROM jobs "
                   "WHERE " +
                   std::string(kClaimable) + " AND kind IN (" + kinds +
                   ") ORDER BY run_at, id LIMIT " + limit + lock + ") RETURNING " + kColumns;
  std::vector<Job> out;
  for (const auto& row : conn_.query(sql, b.params()).rows) out.push_back(from_row(row));
  // RETURNING has no order; hand them out oldest first.
  std::sort(out.begin(), out.end(), [](const Job& a, const Job& b) {
    return a.run_at != b.run_at ? a.run_at < b.run_at : a.id < b.id;
  });
  return out;
}

std::vector<std::string> JobRepository::bury_expired(std::int64_t now) {
  const auto r = conn_.query(
      "UPDATE jobs SET status = 'dead', locked_until = NULL, finished_at = $1, updated_at = $1, "
      "last_error = 'lease expired on the last attempt (the worker stopped or was killed); "
      "previous error: ' || COALESCE(last_error, 'none') "
      "WHERE " +
          std::string(kExpiredLastAttempt) + " RETURNING kind",
      {now});
  std::vector<std::string> kinds;
  for (const auto& row : r.rows) kinds.push_back(row.text(0));
  return kinds;
}

bool JobRepository::extend_lease(const Job& leased, std::int64_t locked_until, std::int64_t now) {
  auto p = lease_params(leased);
  p.insert(p.end(), {locked_until, now});
  return conn_
             .query("UPDATE jobs SET locked_until = $4, updated_at = $5 WHERE " +
                        std::string(kLeaseHeld),
                    p)
             .affected == 1;
}

bool JobRepository::complete(const Job& leased, std::int64_t now) {
  auto p = lease_params(leased);
  p.emplace_back(now);
  return conn_
             .query(
                 "UPDATE jobs SET status = 'succeeded', locked_until = NULL, finished_at = $4, "
                 "updated_at = $4 WHERE " +
                     std::string(kLeaseHeld),
                 p)
             .affected == 1;
}

bool JobRepository::reschedule(const Job& leased, std::string_view error, std::int64_t run_at,
                               std::int64_t now) {
  auto p = lease_params(leased);
  p.insert(p.end(), {clip_error(error), run_at, now});
  return conn_
             .query(
                 "UPDATE jobs SET status = 'queued', locked_by = NULL, locked_until = NULL, "
                 "last_error = $4, run_at = $5, updated_at = $6 WHERE " +
                     std::string(kLeaseHeld),
                 p)
             .affected == 1;
}

bool JobRepository::bury(const Job& leased, std::string_view error, std::int64_t now) {
  auto p = lease_params(leased);
  p.insert(p.end(), {clip_error(error), now});
  return conn_
             .query(
                 "UPDATE jobs SET status = 'dead', locked_until = NULL, last_error = $4, "
                 "finished_at = $5, updated_at = $5 WHERE " +
                     std::string(kLeaseHeld),
                 p)
             .affected == 1;
}

bool JobRepository::release(const Job& leased, std::int64_t now) {
  auto p = lease_params(leased);
  p.emplace_back(now);
  return conn_
             .query(
                 "UPDATE jobs SET status = 'queued', locked_by = NULL, locked_until = NULL, "
                 "attempts = attempts - 1, run_at = $4, updated_at = $4 WHERE " +
                     std::string(kLeaseHeld),
                 p)
             .affected == 1;
}

JobAdminResult JobRepository::retry(std::string_view id, std::int64_t now) {
  const auto r = conn_.query(
      "UPDATE jobs SET status = 'queued', attempts = 0, run_at = $2, locked_by = NULL, "
      "locked_until = NULL, finished_at = NULL, updated_at = $2 "
      "WHERE id = $1 AND status IN ('dead', 'cancelled', 'queued')",
      {std::string(id), now});
  if (r.affected == 1) return JobAdminResult::done;
  return find(id) ? JobAdminResult::wrong_status : JobAdminResult::not_found;
}

JobAdminResult JobRepository::cancel(std::string_view id, std::int64_t now) {
  const auto r = conn_.query(
      "UPDATE jobs SET status = 'cancelled', locked_until = NULL, finished_at = $2, "
      "updated_at = $2 WHERE id = $1 AND status IN ('queued', 'running', 'dead')",
      {std::string(id), now});
  if (r.affected == 1) return JobAdminResult::done;
  return find(id) ? JobAdminResult::wrong_status : JobAdminResult::not_found;
}

std::vector<JobCount> JobRepository::count_unfinished() {
  const auto r = conn_.query(
      "SELECT kind, status, COUNT(*) FROM jobs WHERE status IN ('queued', 'running', 'dead') "
      "GROUP BY kind, status ORDER BY kind, status");
  std::vector<JobCount> out;
  for (const auto& row : r.rows) {
    const auto status = parse_job_status(row.text(1));
    if (!status) continue;
    out.push_back({row.text(0), *status, row.int64(2)});
  }
  return out;
}

std::int64_t JobRepository::delete_finished_before(std::int64_t cutoff) {
  return conn_
      .query("DELETE FROM jobs WHERE status IN ('succeeded', 'cancelled') AND finished_at < $1",
             {cutoff})
      .affected;
}

}  // namespace cm::store
