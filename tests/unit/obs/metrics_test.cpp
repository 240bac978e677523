// SPDX-License-Identifier: AGPL-3.0-or-later
#include "obs/metrics.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "obs/db_async_metrics.hpp"

namespace cm::obs {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The sample line for `series` (name plus labels as rendered), or "" if absent.
std::string sample_line(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(series + " ", 0) == 0) return line;
  }
  return {};
}

double sample_value(const std::string& text, const std::string& series) {
  const auto line = sample_line(text, series);
  if (line.empty()) {
    ADD_FAILURE() << "missing series " << series << " in\n" << text;
    return -1;
  }
  return std::stod(line.substr(series.size() + 1));
}

TEST(Metrics, HttpRequestsAreCountedByMethodRouteAndStatus) {
  Metrics metrics;
  metrics.record_http_request("GET", "/api/v1/contracts/{id}", 200, 0.004);
  metrics.record_http_request("GET", "/api/v1/contracts/{id}", 200, 0.02);
  metrics.record_http_request("GET", "/api/v1/contracts/{id}", 404, 0.001);
  metrics.record_http_request("POST", "/api/v1/contracts", 201, 0.3);
  const auto text = metrics.render();

  EXPECT_TRUE(contains(text, "# TYPE http_requests_total counter"));
  EXPECT_TRUE(contains(text, "# HELP http_requests_total "));
  EXPECT_EQ(
      sample_value(
          text, R"(http_requests_total{method="GET",route="/api/v1/contracts/{id}",status="200"})"),
      2);
  EXPECT_EQ(
      sample_value(
          text, R"(http_requests_total{method="GET",route="/api/v1/contracts/{id}",status="404"})"),
      1);
  EXPECT_EQ(
      sample_value(text,
                   R"(http_requests_total{method="POST",route="/api/v1/contracts",status="201"})"),
      1);
}

TEST(Metrics, DurationHistogramHasTheConfiguredBuckets) {
  Metrics metrics;
  metrics.record_http_request("GET", "/health", 200, 0.004);
  metrics.record_http_request("GET", "/health", 200, 0.02);
  metrics.record_http_request("GET", "/health", 500, 7.0);
  const auto text = metrics.render();

  EXPECT_TRUE(contains(text, "# TYPE http_request_duration_seconds histogram"));
  const std::string prefix =
      R"(http_request_duration_seconds_bucket{method="GET",route="/health",le=")";
  // Cumulative counts per upper bound: 0.004 falls in le=0.005, 0.02 in le=0.025, 7 in le=10.
  const std::vector<std::pair<std::string, double>> expected = {
      {"0.001", 0}, {"0.0025", 0}, {"0.005", 1}, {"0.01", 1}, {"0.025", 2},
      {"0.05", 2},  {"0.1", 2},    {"0.25", 2},  {"0.5", 2},  {"1", 2},
      {"2.5", 2},   {"5", 2},      {"10", 3},    {"+Inf", 3}};
  for (const auto& [le, count] : expected) {
    EXPECT_EQ(sample_value(text, prefix + le + "\"}"), count) << "le=" << le;
  }
  EXPECT_EQ(
      sample_value(text, R"(http_request_duration_seconds_count{method="GET",route="/health"})"),
      3);
  EXPECT_NEAR(
      sample_value(text, R"(http_request_duration_seconds_sum{method="GET",route="/health"})"),
      7.024, 1e-9);
  // The histogram is per route, not per status.
  EXPECT_FALSE(
      contains(text, R"(http_request_duration_seconds_count{method="GET",route="/health",status)"));
}

TEST(Metrics, UnknownMethodsAreFoldedToBoundCardinality) {
  Metrics metrics;
  metrics.record_http_request("FROBNICATE", "/x", 405, 0.001);
  const auto text = metrics.render();
  EXPECT_EQ(sample_value(text, R"(http_requests_total{method="OTHER",route="/x",status="405"})"),
            1);
  EXPECT_FALSE(contains(text, "FROBNICATE"));
}

TEST(Metrics, AsyncDatabaseSeriesAppearOnlyWhenThatPathIsOn) {
  Metrics metrics;
  EXPECT_FALSE(contains(metrics.render(), "db_async_"));

  DbAsyncMetrics db_async(metrics);
  db_async.set_queue_depth(7);
  db_async.observe_batch(1);
  db_async.observe_batch(12);
  db_async.count_reconnect(true);
  db_async.count_reconnect(false);
  db_async.count_reconnect(false);
  db_async.count_timeout();
  const auto text = metrics.render();

  EXPECT_TRUE(contains(text, "# TYPE db_async_queue_depth gauge"));
  EXPECT_EQ(sample_value(text, "db_async_queue_depth"), 7);
  EXPECT_TRUE(contains(text, "# TYPE db_async_batch_size histogram"));
  EXPECT_EQ(sample_value(text, R"(db_async_batch_size_bucket{le="1"})"), 1);
  EXPECT_EQ(sample_value(text, R"(db_async_batch_size_bucket{le="8"})"), 1);
  EXPECT_EQ(sample_value(text, R"(db_async_batch_size_bucket{le="16"})"), 2);
  EXPECT_EQ(sample_value(text, "db_async_batch_size_sum"), 13);
  EXPECT_EQ(sample_value(text, R"(db_async_reconnects_total{result="ok"})"), 1);
  EXPECT_EQ(sample_value(text, R"(db_async_reconnects_total{result="failed"})"), 2);
  EXPECT_EQ(sample_value(text, "db_async_timeouts_total"), 1);
}

TEST(Metrics, DbPoolGaugesHaveAllThreeStates) {
  Metrics metrics;
  metrics.set_db_pool(3, 2, 10);
  const auto text = metrics.render();
  EXPECT_TRUE(contains(text, "# TYPE db_pool_connections gauge"));
  EXPECT_EQ(sample_value(text, R"(db_pool_connections{state="idle"})"), 3);
  EXPECT_EQ(sample_value(text, R"(db_pool_connections{state="in_use"})"), 2);
  EXPECT_EQ(sample_value(text, R"(db_pool_connections{state="max"})"), 10);
}

TEST(Metrics, ContractsActiveIsOneTotalWithoutTenantLabels) {
  Metrics metrics;
  metrics.set_contracts_active("org-a", 12);
  metrics.set_contracts_active("org-b", 3);
  const auto text = metrics.render();
  EXPECT_EQ(sample_value(text, "contracts_active_total"), 15);
  EXPECT_FALSE(contains(text, "org-a")) << "an organization id leaked into a label";
  EXPECT_FALSE(contains(text, "org_id")) << text;
}

TEST(Metrics, ContractsActiveByOrganizationAndClearWhenOptedIn) {
  Metrics metrics(MetricsOptions{.tenant_labels = true});
  metrics.set_contracts_active("org-a", 12);
  metrics.set_contracts_active("org-b", 3);
  auto text = metrics.render();
  EXPECT_TRUE(contains(text, "# HELP contracts_active_total "));
  EXPECT_TRUE(contains(text, "# TYPE contracts_active_total"));
  EXPECT_EQ(sample_value(text, R"(contracts_active_total{org_id="org-a"})"), 12);
  EXPECT_EQ(sample_value(text, R"(contracts_active_total{org_id="org-b"})"), 3);

  metrics.clear_contracts_active();
  metrics.set_contracts_active("org-b", 4);
  text = metrics.render();
  EXPECT_TRUE(sample_line(text, R"(contracts_active_total{org_id="org-a"})").empty());
  EXPECT_EQ(sample_value(text, R"(contracts_active_total{org_id="org-b"})"), 4);
}

TEST(Metrics, ScrapeHooksRunBeforeEachRender) {
  Metrics metrics(MetricsOptions{.tenant_labels = true});
  int calls = 0;
  metrics.add_scrape_hook([&calls](Metrics& m) {
    ++calls;
    m.set_db_pool(calls, 0, 5);
    m.clear_contracts_active();
    m.set_contracts_active("org-" + std::to_string(calls), calls);
  });
  metrics.render();
  const auto text = metrics.render();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(sample_value(text, R"(db_pool_connections{state="idle"})"), 2);
  EXPECT_TRUE(sample_line(text, R"(contracts_active_total{org_id="org-1"})").empty());
  EXPECT_EQ(sample_value(text, R"(contracts_active_total{org_id="org-2"})"), 2);
}

TEST(Metrics, ProcessMetricsArePresentWithHelpAndType) {
  Metrics metrics;
  const auto text = metrics.render();
  for (const std::string name :
       {"process_resident_memory_bytes", "process_virtual_memory_bytes", "process_open_fds",
        "process_max_fds", "process_start_time_seconds"}) {
    EXPECT_TRUE(contains(text, "# HELP " + name + " ")) << name;
    EXPECT_TRUE(contains(text, "# TYPE " + name + " gauge")) << name;
    EXPECT_GT(sample_value(text, name), 0) << name;
  }
  EXPECT_TRUE(contains(text, "# TYPE process_cpu_seconds_total counter"));
  EXPECT_GE(sample_value(text, "process_cpu_seconds_total"), 0);
  // Started within the last day, not at the epoch or in the future.
  const double start = sample_value(text, "process_start_time_seconds");
  const double now = static_cast<double>(std::time(nullptr));
  EXPECT_LE(start, now + 1);
  EXPECT_GT(start, now - 86400);
}

TEST(Metrics, RegistryAcceptsFamiliesFromOtherLayers) {
  Metrics metrics;
  auto& family = prometheus::BuildCounter()
                     .Name("jobs_processed_total")
                     .Help("Jobs processed.")
                     .Register(metrics.registry());
  family.Add({{"kind", "email"}}).Increment(5);
  EXPECT_EQ(sample_value(metrics.render(), R"(jobs_processed_total{kind="email"})"), 5);
}

TEST(Metrics, ConcurrentRecordingAndRenderingIsSafe) {
  Metrics metrics;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < kPerThread; ++i) {
        metrics.record_http_request(i % 2 ? "GET" : "POST", "/r/" + std::to_string(i % 7),
                                    200 + (t % 2), 0.001 * i);
        if (i % 500 == 0) metrics.render();
      }
    });
  }
  for (auto& th : threads) th.join();
  const auto text = metrics.render();
  double total = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("http_requests_total{", 0) == 0)
      total += std::stod(line.substr(line.rfind(' ') + 1));
  }
  EXPECT_EQ(total, kThreads * kPerThread);
}

TEST(Metrics, JobCountersAndDurationsByKind) {
  Metrics metrics;
  metrics.record_job_enqueued("jobs.prune");
  metrics.record_job_enqueued("jobs.prune");
  metrics.record_job_finished("jobs.prune", "succeeded");
  metrics.record_job_finished("test.fail", "retried");
  metrics.record_job_finished("test.fail", "dead");
  metrics.observe_job_duration("jobs.prune", 0.2);
  const auto text = metrics.render();
  EXPECT_TRUE(contains(text, "# TYPE jobs_enqueued_total counter"));
  EXPECT_EQ(sample_value(text, R"(jobs_enqueued_total{kind="jobs.prune"})"), 2);
  EXPECT_EQ(sample_value(text, R"(jobs_finished_total{kind="jobs.prune",outcome="succeeded"})"), 1);
  EXPECT_EQ(sample_value(text, R"(jobs_finished_total{kind="test.fail",outcome="retried"})"), 1);
  EXPECT_EQ(sample_value(text, R"(jobs_finished_total{kind="test.fail",outcome="dead"})"), 1);
  EXPECT_TRUE(contains(text, "# TYPE job_duration_seconds histogram"));
  EXPECT_EQ(sample_value(text, R"(job_duration_seconds_count{kind="jobs.prune"})"), 1);
  EXPECT_EQ(sample_value(text, R"(job_duration_seconds_bucket{kind="jobs.prune",le="0.25"})"), 1);
  EXPECT_EQ(sample_value(text, R"(job_duration_seconds_bucket{kind="jobs.prune",le="0.1"})"), 0);
}

TEST(Metrics, JobGaugesReadZeroForKindsThatEmptied) {
  Metrics metrics;
  metrics.set_job_gauges({{"a.one", 3}, {"b.two", 1}}, {{"b.two", 2}});
  auto text = metrics.render();
  EXPECT_TRUE(contains(text, "# TYPE job_queue_depth gauge"));
  EXPECT_EQ(sample_value(text, R"(job_queue_depth{kind="a.one"})"), 3);
  EXPECT_EQ(sample_value(text, R"(job_queue_depth{kind="b.two"})"), 1);
  EXPECT_EQ(sample_value(text, R"(job_dead_letters{kind="a.one"})"), 0);
  EXPECT_EQ(sample_value(text, R"(job_dead_letters{kind="b.two"})"), 2);
  // The next scrape finds a.one drained and nothing dead: the series stay and read 0.
  metrics.set_job_gauges({{"b.two", 4}}, {});
  text = metrics.render();
  EXPECT_EQ(sample_value(text, R"(job_queue_depth{kind="a.one"})"), 0);
  EXPECT_EQ(sample_value(text, R"(job_queue_depth{kind="b.two"})"), 4);
  EXPECT_EQ(sample_value(text, R"(job_dead_letters{kind="b.two"})"), 0);
}

TEST(Metrics, OutputPassesPromtool) {
  const char* promtool = "/usr/bin/promtool";
  if (access(promtool, X_OK) != 0) GTEST_SKIP() << "promtool not installed";

  Metrics metrics;
  metrics.record_http_request("GET", "/api/v1/contracts", 200, 0.012);
  metrics.record_http_request("DELETE", "/api/v1/contracts/{id}", 204, 0.2);
  metrics.set_db_pool(1, 1, 10);
  metrics.set_contracts_active("org-\"quoted\"\\", 2);
  metrics.record_job_enqueued("jobs.prune");
  metrics.record_job_finished("jobs.prune", "succeeded");
  metrics.observe_job_duration("jobs.prune", 0.01);
  metrics.set_job_gauges({{"jobs.prune", 1}}, {{"jobs.prune", 0}});
  const auto text = metrics.render();

  const auto dir = std::filesystem::temp_directory_path();
  const auto in_path = dir / ("cm-metrics-" + std::to_string(getpid()) + ".txt");
  const auto out_path = dir / ("cm-promtool-" + std::to_string(getpid()) + ".txt");
  { std::ofstream(in_path) << text; }
  // No shell: promtool reads the exposition on stdin.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> argv = {const_cast<char*>(promtool), const_cast<char*>("check"),
                             const_cast<char*>("metrics"), nullptr};
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, promtool, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ASSERT_EQ(rc, 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  std::ifstream out_file(out_path);
  const std::string output((std::istreambuf_iterator<char>(out_file)),
                           std::istreambuf_iterator<char>());
  std::filesystem::remove(in_path);
  std::filesystem::remove(out_path);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "promtool output:\n" << output << "\nmetrics:\n" << text;
}

}  // namespace
}  // namespace cm::obs
