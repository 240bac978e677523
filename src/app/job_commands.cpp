// SPDX-License-Identifier: AGPL-3.0-or-later
// Operator commands for the job queue: jobs list, retry, cancel, enqueue.

#include <cstdio>
#include <iostream>
#include <string>

#include "app/commands.hpp"
#include "app/database_setup.hpp"
#include "core/time.hpp"
#include "jobs/database_job_queue.hpp"

namespace cm::app {

namespace {

// One line, at most `max` bytes: errors can span lines and pages.
std::string one_line(std::string text, std::size_t max) {
  for (auto& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (text.size() > max) text = text.substr(0, max - 3) + "...";
  return text;
}

void print_jobs(const std::vector<Job>& jobs) {
  std::printf("%-36s  %-24s  %-9s  %-8s  %-24s  %s\n", "ID", "KIND", "STATUS", "ATTEMPTS", "RUN AT",
              "LAST ERROR");
  for (const auto& j : jobs) {
    const std::string attempts = std::to_string(j.attempts) + "/" + std::to_string(j.max_attempts);
    std::printf("%-36s  %-24s  %-9s  %-8s  %-24s  %s\n", j.id.c_str(), j.kind.c_str(),
                std::string(to_string(j.status)).c_str(), attempts.c_str(),
                format_rfc3339(j.run_at).c_str(), one_line(j.last_error.value_or(""), 100).c_str());
  }
}

// Shared by retry and cancel: the message for each result, and the exit code.
int report(JobAdminResult result, const std::string& id, std::string_view done,
           std::string_view allowed) {
  switch (result) {
    case JobAdminResult::done:
      std::cout << "job " << id << " " << done << "\n";
      return 0;
    case JobAdminResult::not_found:
      std::cerr << "contractmgmt: no job with id " << id << "\n";
      return 1;
    case JobAdminResult::wrong_status:
      std::cerr << "contractmgmt: job " << id << " is not " << allowed << "\n";
      return 1;
  }
  return 1;
}

// Runs `fn` with a queue on the configured database; failures are reported, exit code 1.
template <class Fn>
int with_queue(const Config& config, Fn&& fn) {
  auto db = open_configured_database(config);
  if (!db) return 1;
  try {
    jobs::DatabaseJobQueue queue(*db);
    return fn(queue);
  } catch (const std::invalid_argument& e) {
    std::cerr << "contractmgmt: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "contractmgmt: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

int jobs_list_command(const Config& config, const JobListOptions& options) {
  JobFilter filter;
  filter.limit = options.limit;
  filter.kind = options.kind;
  if (options.status) {
    filter.status = parse_job_status(*options.status);
    if (!filter.status) {
      std::cerr
          << "contractmgmt: --status: must be queued, running, succeeded, dead or cancelled\n";
      return 2;
    }
  }
  return with_queue(config, [&](jobs::JobQueue& queue) {
    print_jobs(queue.list(filter));
    return 0;
  });
}

int jobs_retry_command(const Config& config, const std::string& id) {
  return with_queue(config, [&](jobs::JobQueue& queue) {
    return report(queue.retry(id), id, "queued to run now (attempts reset)",
                  "dead, cancelled or queued (only those can be retried)");
  });
}

int jobs_cancel_command(const Config& config, const std::string& id) {
  return with_queue(config, [&](jobs::JobQueue& queue) {
    return report(queue.cancel(id), id, "cancelled",
                  "queued, running or dead (only those can be cancelled)");
  });
}

int jobs_enqueue_command(const Config& config, const JobEnqueueOptions& options) {
  return with_queue(config, [&](jobs::JobQueue& queue) {
    NewJob job;
    job.kind = options.kind;
    job.payload = options.payload;
    job.max_attempts = options.max_attempts;
    job.run_at = now_unix_ms() + std::int64_t{options.delay_seconds} * 1000;
    std::cout << queue.enqueue(job) << "\n";
    return 0;
  });
}

}  // namespace cm::app
