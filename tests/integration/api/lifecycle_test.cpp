// SPDX-License-Identifier: AGPL-3.0-or-later
// The server's life as an operator sees it: configuration errors at start, migrations, and a
// graceful shutdown that does not drop requests that are already on their way.

#include <atomic>
#include <iostream>
#include <mutex>
#include <thread>

#include "integration/api/api_fixture.hpp"

namespace cm::test::api {
namespace {

EnvMap base_env(const std::string& database_url) {
  return {{"DATABASE_URL", database_url},
          {"HOST", "127.0.0.1"},
          {"PORT", std::to_string(find_free_port())}};
}

TEST(LifecycleTest, InvalidConfigurationExitsWithUsageErrorNamingTheVariable) {
  auto env = base_env(fresh_database_url("config"));
  env["PORT"] = "abc";
  const auto bad_port = run_cli({"serve"}, env, {}, std::chrono::seconds(20));
  EXPECT_EQ(bad_port.exit_code, 2) << bad_port.err;
  EXPECT_NE(bad_port.err.find("PORT"), std::string::npos) << bad_port.err;

  auto production = base_env(fresh_database_url("config"));
  production["APP_ENV"] = "production";
  const auto no_secrets = run_cli({"serve"}, production, {}, std::chrono::seconds(20));
  EXPECT_EQ(no_secrets.exit_code, 2) << no_secrets.err;
  EXPECT_NE(no_secrets.err.find("JWT_SECRET"), std::string::npos) << no_secrets.err;

  auto bad_db = base_env("mysql://somewhere/db");
  const auto wrong_scheme = run_cli({"migrate"}, bad_db, {}, std::chrono::seconds(20));
  EXPECT_EQ(wrong_scheme.exit_code, 2) << wrong_scheme.err;
  EXPECT_NE(wrong_scheme.err.find("DATABASE_URL"), std::string::npos) << wrong_scheme.err;
}

TEST(LifecycleTest, ServeRefusesAnUnmigratedDatabaseAndMigrateIsRepeatable) {
  const auto env = base_env(fresh_database_url("unmigrated"));
  const auto serve = run_cli({"serve"}, env, {}, std::chrono::seconds(20));
  EXPECT_EQ(serve.exit_code, 1) << serve.out << serve.err;
  EXPECT_NE(serve.err.find("migrate"), std::string::npos) << serve.err;

  const auto first = run_cli({"migrate"}, env);
  EXPECT_EQ(first.exit_code, 0) << first.err;
  const auto second = run_cli({"migrate"}, env);
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("applied 0"), std::string::npos) << second.out;

  const auto status = run_cli({"migrate", "status"}, env);
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_TRUE(status.out.starts_with("1  applied")) << status.out;
  EXPECT_EQ(status.out.find("pending"), std::string::npos) << status.out;
}

// Eight clients keep sending keep-alive requests while the server is told to stop. Every request
// that got an answer must have been served properly; a request may only fail by not being able
// to connect any more (the server stopped listening), never by being cut off on a connection
// that was already open.
TEST(LifecycleTest, GracefulShutdownUnderLoadAnswersEveryRequestItAccepted) {
  auto server = start_server("shutdown");
  Org org = make_org(*server, {"member"});
  const auto token = org["member"].access_token;
  {
    auto c = client_for(*server, token);
    for (int i = 0; i < 7; ++i) create_contract(c, contract_input("Load " + std::to_string(i)));
  }

  constexpr int kThreads = 8;
  std::atomic<bool> stop{false};
  std::atomic<long> ok{0}, refused{0},
      ready_during_drain{0};  // 503 from /ready while draining is fine
  std::mutex mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  const auto fail = [&](std::string what) {
    std::lock_guard lock(mutex);
    if (failures.size() < 20) failures.push_back(std::move(what));
  };
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto client = client_for(*server, token);
      client.set_timeout(std::chrono::seconds(20));
      for (long n = 0; !stop.load(); ++n) {
        try {
          const bool probe = t == 0 && n % 4 == 3;
          const auto r = client.get(probe ? "/ready" : "/api/v1/contracts?limit=5");
          if (probe && r.status == 503) {
            ++ready_during_drain;
          } else if (r.status != 200) {
            fail("status " + std::to_string(r.status) + ": " + r.body);
          } else {
            ++ok;
          }
        } catch (const TransportError& e) {
          // Not being able to connect any more is how a stopped server says no; anything else
          // (reset or silence after the request went out) loses a request.
          if (e.connect_failed())
            ++refused;
          else
            fail(std::string(e.reused_connection() ? "on an open connection: "
                                                   : "on a new connection: ") +
                 e.what());
          return;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const long before = ok.load();
  const int exit_code = server->terminate();
  stop = true;
  for (auto& th : threads) th.join();

  std::cout << "[   INFO   ] " << ok.load() << " requests served (" << before
            << " before SIGTERM), " << refused.load() << " clients refused afterwards, "
            << ready_during_drain.load() << " /ready answered 503 while draining\n";
  EXPECT_EQ(exit_code, 0) << server->log_text().substr(0, 4000);
  EXPECT_GT(before, 50) << "the load did not get going";
  EXPECT_TRUE(failures.empty()) << failures.size() << " failures, first: "
                                << (failures.empty() ? "" : failures.front());
  EXPECT_GE(ok.load(), before);
}

}  // namespace
}  // namespace cm::test::api
