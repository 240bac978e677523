// SPDX-License-Identifier: AGPL-3.0-or-later
// The job system as operators run it: real `contractmgmt worker` and `serve` processes on one
// database, the test-only job kinds (CM_TEST_JOBS=1), SIGKILL and SIGTERM, and the `jobs`
// commands.

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "core/time.hpp"
#include "jobs/database_job_queue.hpp"
#include "jobs_fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace cm::jobs::testing {
namespace {

using namespace std::chrono_literals;
using cm::test::CliResult;
using cm::test::EnvMap;
using cm::test::kWorkerCommand;
using cm::test::run_cli;
using cm::test::ServerProcess;
using SteadyClock = std::chrono::steady_clock;

// A line of the test jobs' marker file: "<event> <job id> <pid> <attempt>".
struct Marker {
  std::string event;
  std::string job_id;
  pid_t pid = 0;
  int attempt = 0;
};

class ProcessTest : public JobsTest {
 protected:
  void SetUp() override {
    JobsTest::SetUp();
    real_time_ = std::make_unique<DatabaseJobQueue>(*db_);
    char dir[] = "/tmp/cm-jobs-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    data_dir_ = dir;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
  }

  // Short leases and quick polling, so a lost worker's job moves on within seconds.
  EnvMap env(EnvMap extra = {}) const {
    EnvMap e = {{"DATABASE_URL", url_},
                {"DATA_DIR", data_dir_.string()},
                {"CM_TEST_JOBS", "1"},
                {"JOB_LEASE_SECONDS", "2"},
                {"JOB_POLL_INTERVAL_MS", "100"}};
    for (auto& [k, v] : extra) e[k] = std::move(v);
    return e;
  }

  CliResult cli(std::vector<std::string> args) { return run_cli(std::move(args), env()); }

  // Enqueues through the command line, as an operator would; returns the id.
  std::string enqueue(const std::string& kind, const std::string& payload,
                      std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"jobs", "enqueue", kind, "--payload", payload};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string id = r.out;
    while (!id.empty() && (id.back() == '\n' || id.back() == '\r')) id.pop_back();
    return id;
  }

  std::vector<Marker> markers() const {
    std::ifstream in(data_dir_ / "test-jobs.log");
    std::vector<Marker> out;
    for (std::string line; std::getline(in, line);) {
      std::istringstream fields(line);
      Marker m;
      if (fields >> m.event >> m.job_id >> m.pid >> m.attempt) out.push_back(m);
    }
    return out;
  }

  std::optional<Marker> wait_for_marker(const std::string& event, const std::string& job_id,
                                        std::chrono::seconds timeout) const {
    const auto deadline = SteadyClock::now() + timeout;
    while (SteadyClock::now() < deadline) {
      for (const auto& m : markers())
        if (m.event == event && m.job_id == job_id) return m;
      std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
  }

  Job wait_for_status(const std::string& id, JobStatus status, std::chrono::seconds timeout) {
    return JobsTest::wait_for_status(*real_time_, id, status, timeout);
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<DatabaseJobQueue> real_time_;  // reads what the processes wrote
};

TEST_F(ProcessTest, AKilledWorkersJobIsFinishedByAnotherAfterItsLeaseExpires) {
  ServerProcess a(env(), kWorkerCommand);
  ServerProcess b(env(), kWorkerCommand);
  const auto id = enqueue("test.sleep", R"({"ms": 3000})");

  const auto started = wait_for_marker("start", id, 20s);
  ASSERT_TRUE(started.has_value()) << a.log_text() << b.log_text();
  ASSERT_TRUE(started->pid == a.pid() || started->pid == b.pid());
  EXPECT_EQ(started->attempt, 1);
  ServerProcess& holder = started->pid == a.pid() ? a : b;
  ServerProcess& other = started->pid == a.pid() ? b : a;
  const pid_t other_pid = other.pid();
  holder.kill();  // SIGKILL mid-job: no cleanup, the lease is all that is left

  const auto done = wait_for_marker("done", id, 30s);
  ASSERT_TRUE(done.has_value()) << other.log_text();
  EXPECT_EQ(done->pid, other_pid);
  EXPECT_EQ(done->attempt, 2);
  const Job j = wait_for_status(id, JobStatus::succeeded, 10s);
  EXPECT_EQ(j.attempts, 2);
  EXPECT_EQ(
      j.locked_by.value_or("").find(":" + std::to_string(other_pid) + ":") != std::string::npos,
      true)
      << j.locked_by.value_or("");
  int done_lines = 0;
  for (const auto& m : markers()) done_lines += m.event == "done" && m.job_id == id;
  EXPECT_EQ(done_lines, 1) << "the killed worker never finished it";
  EXPECT_EQ(other.terminate(), 0);
}

TEST_F(ProcessTest, SigtermLetsTheInFlightJobFinish) {
  ServerProcess worker(env(), kWorkerCommand);
  const auto id = enqueue("test.sleep", R"({"ms": 1500})");
  ASSERT_TRUE(wait_for_marker("start", id, 20s).has_value()) << worker.log_text();
  const pid_t pid = worker.pid();
  EXPECT_EQ(worker.terminate(), 0) << worker.log_text();
  const auto done = wait_for_marker("done", id, 1s);
  ASSERT_TRUE(done.has_value()) << worker.log_text();
  EXPECT_EQ(done->pid, pid);
  const Job j = wait_for_status(id, JobStatus::succeeded, 5s);
  EXPECT_EQ(j.attempts, 1);
}

TEST_F(ProcessTest, ServeRunsJobsInProcessWhenTheEmbeddedWorkerIsOn) {
  ServerProcess server(env());  // development: EMBEDDED_WORKER defaults to on
  const auto id = enqueue("test.sleep", R"({"ms": 10})");
  wait_for_status(id, JobStatus::succeeded, 20s);
  const auto done = wait_for_marker("done", id, 5s);
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(done->pid, server.pid());

  cm::test::HttpClient http(server.metrics_url());
  const auto metrics = http.get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find(R"(jobs_finished_total{kind="test.sleep",outcome="succeeded"} 1)"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("# TYPE job_queue_depth gauge"), std::string::npos);
  EXPECT_EQ(server.terminate(), 0);
}

TEST_F(ProcessTest, ServeLeavesJobsToWorkersWhenTheEmbeddedWorkerIsOff) {
  ServerProcess server(env({{"EMBEDDED_WORKER", "false"}}));
  const auto id = enqueue("test.sleep", R"({"ms": 10})");
  std::this_thread::sleep_for(1500ms);  // fifteen poll intervals
  EXPECT_EQ(real_time_->find(id)->status, JobStatus::queued);

  cm::test::HttpClient http(server.metrics_url());
  const auto metrics = http.get("/metrics");
  EXPECT_NE(metrics.body.find(R"(job_queue_depth{kind="test.sleep"} 1)"), std::string::npos)
      << metrics.body;

  ServerProcess worker(env(), kWorkerCommand);
  wait_for_status(id, JobStatus::succeeded, 20s);
  // The worker answers its probes on WORKER_PORT.
  cm::test::HttpClient probes(worker.base_url());
  EXPECT_EQ(probes.get("/ready").status, 200);
  EXPECT_NE(probes.get("/metrics").body.find("job_duration_seconds"), std::string::npos);
}

TEST_F(ProcessTest, OperatorsListRetryAndCancelFromTheCommandLine) {
  ASSERT_EQ(cli({"migrate"}).exit_code, 0);
  const auto id = enqueue("test.sleep", R"({"ms": 10})", {"--delay", "3600"});
  ASSERT_FALSE(id.empty());

  auto r = cli({"jobs", "list"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(id), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("queued"), std::string::npos);
  EXPECT_NE(r.out.find("test.sleep"), std::string::npos);

  r = cli({"jobs", "cancel", id});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(real_time_->find(id)->status, JobStatus::cancelled);
  r = cli({"jobs", "list", "--status", "cancelled", "--kind", "test.sleep"});
  EXPECT_NE(r.out.find(id), std::string::npos) << r.out;
  r = cli({"jobs", "list", "--status", "queued"});
  EXPECT_EQ(r.out.find(id), std::string::npos) << r.out;
  r = cli({"jobs", "cancel", id});
  EXPECT_EQ(r.exit_code, 1) << "already cancelled";
  EXPECT_NE(r.err.find("is not queued, running or dead"), std::string::npos) << r.err;

  r = cli({"jobs", "retry", id});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const Job j = *real_time_->find(id);
  EXPECT_EQ(j.status, JobStatus::queued);
  EXPECT_EQ(j.attempts, 0);
  EXPECT_LE(j.run_at, now_unix_ms()) << "retry runs it now, not after the original delay";

  r = cli({"jobs", "retry", "01900000-0000-7000-8000-000000000000"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no job with id"), std::string::npos) << r.err;
  EXPECT_EQ(cli({"jobs", "list", "--status", "failed"}).exit_code, 2);
  EXPECT_EQ(cli({"jobs", "enqueue", "test.sleep", "--payload", "{oops"}).exit_code, 2);
  r = cli({"jobs", "list", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--status"), std::string::npos) << r.out;
  r = run_cli({"worker", "--help"}, {});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("WORKER_CONCURRENCY"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace cm::jobs::testing
