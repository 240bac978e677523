// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Job handlers by kind. A module registers its handlers once, at start-up, from the composition
// root (src/app/job_setup.cpp), capturing what it needs:
//
//   registry.add("documents.extract_text", [&db, &blobs](const Job& job, JobContext& ctx) {
//     const auto id = payload_string(job, "documentId");
//     ...                                  // idempotent: the job may run more than once
//     return JobOutcome::success();
//   }, {.retry = {std::chrono::seconds(30), std::chrono::hours(1)}});
//
// A handler returns an outcome or throws (an exception counts as a retryable failure). Long
// handlers should check ctx.should_stop() between steps: it turns true when the job's lease was
// lost (cancelled, or claimed by another worker after this one stalled) or the worker's
// shutdown grace ran out.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/job.hpp"

namespace cm::jobs {

struct JobOutcome {
  enum class Kind {
    succeeded,
    retry,    // try again after the backoff (or `retry_after`), until max_attempts is used up
    give_up,  // dead letter now: retrying cannot help (e.g. the payload names nothing that exists)
  };
  Kind kind = Kind::succeeded;
  std::string error;
  std::optional<std::chrono::milliseconds> retry_after;

  static JobOutcome success() { return {}; }
  static JobOutcome retry(std::string error,
                          std::optional<std::chrono::milliseconds> after = std::nullopt) {
    return {Kind::retry, std::move(error), after};
  }
  static JobOutcome give_up(std::string error) { return {Kind::give_up, std::move(error), {}}; }
};

// What a running handler can ask of the worker.
class JobContext {
 public:
  explicit JobContext(std::string worker_id) : worker_id_(std::move(worker_id)) {}

  const std::string& worker_id() const noexcept { return worker_id_; }
  // True once the lease is lost or the worker's shutdown grace is over: stop, and return
  // JobOutcome::retry (the work is picked up again) unless it is already done.
  bool should_stop() const noexcept { return lease_lost_.load() || aborted_.load(); }
  bool lease_lost() const noexcept { return lease_lost_.load(); }
  // Sleeps up to `d`, returning early (false) when the handler should stop.
  bool sleep_for(std::chrono::milliseconds d) const;

  // For the worker.
  void mark_lease_lost() noexcept { lease_lost_ = true; }
  void abort() noexcept { aborted_ = true; }
  bool aborted() const noexcept { return aborted_.load(); }

 private:
  std::string worker_id_;
  std::atomic<bool> lease_lost_{false};
  std::atomic<bool> aborted_{false};
};

using JobHandler = std::function<JobOutcome(const Job& job, JobContext& ctx)>;

struct JobKindOptions {
  RetryPolicy retry;
};

struct RegisteredKind {
  JobHandler handler;
  JobKindOptions options;
};

class HandlerRegistry {
 public:
  // Throws std::invalid_argument for an invalid kind name or a kind registered twice.
  void add(std::string kind, JobHandler handler, JobKindOptions options = {});
  const RegisteredKind* find(std::string_view kind) const;
  std::vector<std::string> kinds() const;
  bool empty() const noexcept { return kinds_.empty(); }

 private:
  std::map<std::string, RegisteredKind, std::less<>> kinds_;
};

}  // namespace cm::jobs
