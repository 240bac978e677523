// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Runs the real `contractmgmt` binary for integration tests, the way an operator would:
// `contractmgmt migrate`, then `contractmgmt serve`, configured only through environment
// variables. Every server gets its own temporary directory (SQLite file, DATA_DIR, log file)
// and a free loopback port. Children are killed if the test process dies.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

namespace cm::test {

using EnvMap = std::map<std::string, std::string>;

struct CliResult {
  int exit_code = -1;  // 128 + signal number if the process was killed
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs `contractmgmt <args...>` with exactly `env` (plus PATH, HOME, locale and sanitizer
// variables inherited from the test process), feeding `stdin_text`. Killed after `timeout`
// (exit_code -1 and a note in `err`). Throws only if the binary cannot be started.
CliResult run_cli(std::vector<std::string> args, EnvMap env, std::string stdin_text = {},
                  std::chrono::seconds timeout = std::chrono::seconds(120));

// A free TCP port on 127.0.0.1 (bound to 0 and released; good enough on a test machine).
int find_free_port();

// Which long-running subcommand a ServerProcess runs, and the variable that holds its HTTP port
// (the one probed for /health).
struct ProcessCommand {
  std::string subcommand = "serve";
  std::string port_variable = "PORT";
};
inline const ProcessCommand kWorkerCommand{"worker", "WORKER_PORT"};

class ServerProcess {
 public:
  // `env` overrides the defaults: PORT and METRICS_PORT (free ports), HOST=127.0.0.1,
  // APP_ENV=development,
  // LOG_LEVEL=info, JWT_SECRET (a test secret), WEB_ROOT (the source tree's web/dist if built,
  // else a stub), DATA_DIR and DATABASE_URL (SQLite) inside the temp dir.
  // Runs `migrate`, starts `serve` and waits until GET /health answers 200; throws
  // std::runtime_error with the log tail if either step fails or 15 s pass. The temp dir is
  // removed afterwards unless CM_KEEP_TEST_DIRS is set.
  explicit ServerProcess(EnvMap env = {}) : ServerProcess(std::move(env), ProcessCommand{}) {}
  // The same for another subcommand, e.g. ServerProcess(env, kWorkerCommand) runs
  // `contractmgmt worker` and waits for /health on WORKER_PORT (a free port by default).
  ServerProcess(EnvMap env, ProcessCommand command);
  // So `ServerProcess server({{"APP_ENV", "staging"}})` is not ambiguous with the copy constructor.
  ServerProcess(std::initializer_list<EnvMap::value_type> env) : ServerProcess(EnvMap(env)) {}
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& base_url() const noexcept { return base_url_; }  // http://127.0.0.1:<port>
  int port() const noexcept { return port_; }
  // `serve`'s operations port (METRICS_PORT): /metrics, /health, /ready.
  std::string metrics_url() const { return "http://127.0.0.1:" + env_.at("METRICS_PORT"); }
  pid_t pid() const noexcept { return pid_; }
  // The effective environment, e.g. for run_cli({"user", "create", ...}, server.env()).
  const EnvMap& env() const noexcept { return env_; }
  const std::filesystem::path& temp_dir() const noexcept { return temp_dir_; }
  // Everything the server wrote to stdout and stderr so far.
  std::string log_text() const;

  bool running();
  // SIGTERM and wait (SIGKILL after `timeout`); returns the exit code (128 + signal if killed).
  int terminate(std::chrono::seconds timeout = std::chrono::seconds(30));
  // SIGKILL and reap.
  void kill();

 private:
  void start(EnvMap env);
  void remove_temp_dir();
  void wait_until_healthy(std::chrono::seconds timeout);
  std::string log_tail(std::size_t max_bytes = 8000) const;

  ProcessCommand command_;
  EnvMap env_;
  std::filesystem::path temp_dir_;
  std::filesystem::path log_path_;
  std::string base_url_;
  int port_ = 0;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

}  // namespace cm::test
