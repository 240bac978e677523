// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Background jobs as plain data, and the pure rules around them: names of kinds, the retry
// backoff, and the periods of scheduled jobs. The queue (src/jobs, src/store/job_repository)
// stores and leases them; nothing here does I/O.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cm {

// queued: waiting for run_at (new, or failed and waiting for its retry);
// running: leased by a worker until locked_until; succeeded; dead: failed for good (the dead
// letter: max_attempts used up, or the handler gave up); cancelled by an operator.
enum class JobStatus { queued, running, succeeded, dead, cancelled };

std::string_view to_string(JobStatus status) noexcept;
std::optional<JobStatus> parse_job_status(std::string_view text) noexcept;

struct Job {
  std::string id;
  std::optional<std::string> org_id;  // the tenant the job works for; none for system jobs
  std::string kind;
  std::string payload = "{}";  // a JSON object; the handler of `kind` defines its shape
  JobStatus status = JobStatus::queued;
  std::int64_t run_at = 0;  // Unix ms: not before
  int attempts = 0;         // attempts started so far (a claim counts one)
  int max_attempts = 5;
  std::optional<std::string> locked_by;      // worker id holding the lease
  std::optional<std::int64_t> locked_until;  // lease end, Unix ms
  std::optional<std::string> last_error;
  std::optional<std::string> unique_key;  // at most one job per key (scheduled periods)
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> finished_at;
};

// What a caller asks for; the queue fills in id, status and timestamps.
struct NewJob {
  std::string kind;
  std::string payload = "{}";
  std::optional<std::string> org_id;
  std::optional<std::int64_t> run_at;  // Unix ms; default: now
  int max_attempts = 5;
  std::optional<std::string> unique_key;
};

struct JobFilter {
  std::optional<JobStatus> status;
  std::optional<std::string> kind;
  int limit = 50;
};

struct JobCount {
  std::string kind;
  JobStatus status = JobStatus::queued;
  std::int64_t count = 0;
};

// What an operator's retry or cancel did.
enum class JobAdminResult { done, not_found, wrong_status };

inline constexpr std::size_t kMaxJobKindLength = 100;
inline constexpr std::size_t kMaxJobPayloadBytes = std::size_t{64} * 1024;
inline constexpr int kMaxJobAttempts = 100;

// Kinds are code-defined names such as "jobs.prune" or "documents.extract_text": 1-100 of
// a-z 0-9 . _ - (they become metric labels, so the set stays small and printable).
bool is_valid_job_kind(std::string_view kind) noexcept;

// Exponential backoff with "equal jitter": the n-th failed attempt (n >= 1) waits a delay drawn
// from [d/2, d] where d = min(cap, base * 2^(n-1)); so retries spread out instead of arriving
// together, and never wait less than half the nominal delay.
struct RetryPolicy {
  std::chrono::milliseconds base{5'000};
  std::chrono::milliseconds cap{3'600'000};
};
// `unit_random` in [0, 1) picks the point in the jitter range (tests pass fixed values).
std::chrono::milliseconds retry_delay(int attempts, const RetryPolicy& policy,
                                      double unit_random) noexcept;

// When a periodic job runs: every N minutes (aligned to the Unix epoch, so 15 minutes means
// :00, :15, :30, :45 UTC), or daily at HH:MM UTC.
class Schedule {
 public:
  // Throws std::invalid_argument unless 1 <= minutes <= 1440 * 7.
  static Schedule every(std::chrono::minutes period);
  // Throws std::invalid_argument unless 0 <= hour < 24 and 0 <= minute < 60.
  static Schedule daily_at(int hour, int minute);

  // The start of the period that contains `unix_ms` (the latest start <= unix_ms).
  std::int64_t period_start(std::int64_t unix_ms) const noexcept;
  // The start of the next period after the one containing `unix_ms`.
  std::int64_t next_start(std::int64_t unix_ms) const noexcept;
  // "every 15m" or "daily 03:00 UTC", for logs.
  std::string describe() const;

 private:
  Schedule(std::int64_t length_ms, std::int64_t offset_ms)
      : length_ms_(length_ms), offset_ms_(offset_ms) {}
  std::int64_t length_ms_;
  std::int64_t offset_ms_;  // period starts are offset_ms + k * length_ms
};

// The unique key of one period of a periodic job: "<kind>:<RFC 3339 period start>". Every
// scheduler computes the same key, so the database lets exactly one of them enqueue it.
std::string period_key(std::string_view kind, std::int64_t period_start_ms);

}  // namespace cm
