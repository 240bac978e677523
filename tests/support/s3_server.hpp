// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// A throwaway S3-compatible server for tests: s3rver (npm, pinned in tests/s3/package-lock.json)
// started through tests/s3/server.js on 127.0.0.1 and a free port, with its data in a fresh temp
// directory that the destructor removes. tests/s3/node_modules is installed with `npm ci` first
// when missing. The wrapper verifies SigV4 signatures, which s3rver itself does not (see
// docs/STORAGE.md). Node comes from PATH or CM_NODE.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cm::test {

class S3Server {
 public:
  // The only key pair s3rver accepts.
  static constexpr const char* kAccessKeyId = "S3RVER";
  static constexpr const char* kSecretAccessKey = "S3RVER";

  // Starts the server with these buckets; throws std::runtime_error with the log if it cannot.
  explicit S3Server(std::vector<std::string> buckets);
  ~S3Server();
  S3Server(const S3Server&) = delete;
  S3Server& operator=(const S3Server&) = delete;

  std::string endpoint() const;  // http://127.0.0.1:<port>
  int port() const noexcept { return port_; }
  std::string log_text() const;

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// One server per test binary with the bucket "cm-test", started on first use.
S3Server& shared_s3_server();

struct ProgramResult {
  int exit_code = -1;  // 128 + signal when killed; -1 after a timeout
  std::string output;  // stdout and stderr together
};

// Runs a program (searched in PATH, no shell) to completion with the environment of this process
// plus `env`, in `cwd` when given; killed after `timeout`.
ProgramResult run_program(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env = {},
                          const std::filesystem::path& cwd = {},
                          std::chrono::seconds timeout = std::chrono::seconds(300));

}  // namespace cm::test
