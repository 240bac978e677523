// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jobs/builtin_jobs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <string>

#include "core/time.hpp"

namespace cm::jobs {

namespace {

// A test payload field, or `fallback` when absent; throws for a payload that is not an object.
std::int64_t int_field(const Job& job, std::string_view key, std::int64_t fallback) {
  const auto value = boost::json::parse(job.payload);
  const auto* field = value.as_object().if_contains(key);
  return field != nullptr ? field->to_number<std::int64_t>() : fallback;
}

std::string string_field(const Job& job, std::string_view key, std::string fallback) {
  const auto value = boost::json::parse(job.payload);
  const auto* field = value.as_object().if_contains(key);
  return field != nullptr && field->is_string() ? std::string(field->as_string())
                                                : std::move(fallback);
}

// One line per write with O_APPEND: lines from several processes never interleave.
void append_marker(const std::filesystem::path& file, const std::string& event, const Job& job) {
  const std::string line = event + " " + job.id + " " + std::to_string(::getpid()) + " " +
                           std::to_string(job.attempts) + "\n";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot open " + file.string());
  const auto written = ::write(fd, line.data(), line.size());
  ::close(fd);
  if (written != static_cast<ssize_t>(line.size()))
    throw std::runtime_error("cannot write " + file.string());
}

}  // namespace

void register_builtin_jobs(HandlerRegistry& handlers, Scheduler& scheduler, JobQueue& queue,
                           const BuiltinJobOptions& options) {
  const auto retention_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(options.retention).count();
  handlers.add("jobs.prune", [&queue, retention_ms](const Job&, JobContext&) {
    queue.prune_finished_before(now_unix_ms() - retention_ms);  // idempotent
    return JobOutcome::success();
  });
  scheduler.add({"jobs.prune", Schedule::daily_at(3, 0)});
}

void register_test_jobs(HandlerRegistry& handlers, const std::filesystem::path& marker_dir) {
  const auto marker = marker_dir / "test-jobs.log";
  // Short backoff, so tests see retries and dead letters in well under a second.
  const JobKindOptions fast_retry{
      RetryPolicy{std::chrono::milliseconds(100), std::chrono::milliseconds(400)}};
  handlers.add(
      "test.sleep",
      [marker](const Job& job, JobContext& ctx) {
        const auto ms = std::clamp<std::int64_t>(int_field(job, "ms", 1000), 0, 600'000);
        append_marker(marker, "start", job);
        if (!ctx.sleep_for(std::chrono::milliseconds(ms)))
          return JobOutcome::retry("interrupted before it finished");
        append_marker(marker, "done", job);
        return JobOutcome::success();
      },
      fast_retry);
  handlers.add(
      "test.fail",
      [](const Job& job, JobContext&) {
        return JobOutcome::retry(string_field(job, "error", "test.fail always fails"));
      },
      fast_retry);
}

}  // namespace cm::jobs
