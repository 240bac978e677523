// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// A throwaway PostgreSQL 15 server for tests, or an existing one named by CM_TEST_PG_URL.
//
// The local server lives in a fresh directory under /tmp, listens on 127.0.0.1 and a free port,
// runs without fsync, and is stopped and deleted by the destructor. As root (CI containers) it
// runs as the `postgres` user, because PostgreSQL refuses to run as root. Binaries come from
// CM_PG_BINDIR, default /usr/lib/postgresql/15/bin.

#include <filesystem>
#include <string>
#include <vector>

namespace cm::test {

class PgServer {
 public:
  // Starts the server (or checks CM_TEST_PG_URL); throws std::runtime_error with the server log
  // when it cannot.
  PgServer();
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // Creates an empty database with a unique name starting with the sanitized prefix and returns
  // its URL, e.g. postgresql://postgres@127.0.0.1:54321/store_1234_1.
  std::string create_database(std::string name_prefix);

  // Stops (fast shutdown, so clients see their connections drop) and starts again on the same
  // data and port. Only for a server this class started: check can_restart() first.
  void restart();
  bool can_restart() const noexcept { return external_url_.empty(); }
  // restart() in two halves, for tests that act while the server is down (an outage).
  void stop_for_outage();
  void start_after_outage();

 private:
  void start();
  void stop(const char* mode);
  // Runs a program to completion; throws if it cannot start or exits non-zero. With
  // `as_postgres` and euid 0 it runs under `runuser -u postgres --`.
  void run(std::vector<std::string> argv, bool as_postgres) const;
  std::string tool(const char* name) const;

  std::string external_url_;   // non-empty when CM_TEST_PG_URL names the server
  std::filesystem::path dir_;  // temp root: data/, sockets, logs
  std::string bindir_;
  int port_ = 0;
};

// One server per test binary, started on first use and stopped at exit.
PgServer& shared_pg_server();

}  // namespace cm::test
