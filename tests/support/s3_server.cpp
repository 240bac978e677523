// SPDX-License-Identifier: AGPL-3.0-or-later
#include "support/s3_server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "support/build_paths.hpp"

extern char** environ;

namespace cm::test {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path make_temp_dir(const char* name) {
  const char* base = std::getenv("TMPDIR");  // NOLINT(concurrency-mt-unsafe): nobody sets it
  std::string tmpl =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/" + name + "-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr)
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + tmpl);
  return tmpl;
}

// fork + execvpe with output to `log`; the child dies with the test process. Everything the
// child uses is prepared before fork (only async-signal-safe calls in between).
pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            const fs::path& cwd, const fs::path& log) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) merged[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [k, v] : env) merged[k] = v;
  std::vector<std::string> env_strings;
  env_strings.reserve(merged.size());
  for (const auto& [k, v] : merged) {
    std::string entry = k;
    entry += '=';
    entry += v;
    env_strings.push_back(std::move(entry));
  }
  std::vector<char*> envp;
  envp.reserve(env_strings.size() + 1);
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (out < 0) throw std::system_error(errno, std::generic_category(), "open " + log.string());
  const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(out);
    ::close(in);
    throw std::system_error(err, std::generic_category(), "fork");
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(out, 2) < 0) ::_exit(127);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execvpe(args[0], args.data(), envp.data());
    static constexpr char kMessage[] = "exec failed\n";
    [[maybe_unused]] auto n = ::write(2, kMessage, sizeof kMessage - 1);
    ::_exit(127);
  }
  ::close(out);
  ::close(in);
  return pid;
}

int decode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

fs::path s3_tooling_dir() {
  return fs::path(cm::test::source_dir()) / "tests" / "s3";
}

std::string node_binary() {
  const char* node = std::getenv("CM_NODE");  // NOLINT(concurrency-mt-unsafe): read-only env
  return node != nullptr && *node != '\0' ? node : "node";
}

// tests/s3/node_modules, installed from the lock file when missing.
void ensure_s3rver_installed() {
  const fs::path dir = s3_tooling_dir();
  if (fs::exists(dir / "node_modules" / ".package-lock.json") &&
      fs::exists(dir / "node_modules" / "s3rver" / "package.json")) {
    return;
  }
  const auto result = run_program({"npm", "ci", "--no-audit", "--no-fund"}, {}, dir);
  if (result.exit_code != 0) {
    throw std::runtime_error("npm ci in " + dir.string() + " failed (exit " +
                             std::to_string(result.exit_code) + "); s3rver is needed for the S3 " +
                             "tests:\n" + result.output);
  }
}

}  // namespace

ProgramResult run_program(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env, const fs::path& cwd,
                          std::chrono::seconds timeout) {
  const fs::path dir = make_temp_dir("cm-run");
  const fs::path log = dir / "output";
  ProgramResult result;
  const pid_t pid = spawn(argv, env, cwd, log);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      result.exit_code = decode(status);
      break;
    }
    if (done < 0 && errno != EINTR) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      result.exit_code = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  result.output = read_file(log);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return result;
}

S3Server::S3Server(std::vector<std::string> buckets) {
  ensure_s3rver_installed();
  dir_ = make_temp_dir("cm-s3");
  try {
    fs::create_directories(dir_ / "data");
    // s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 keeps in its
    // legacy provider.
    std::vector<std::string> argv = {node_binary(), "--openssl-legacy-provider",
                                     (s3_tooling_dir() / "server.js").string(),
                                     (dir_ / "data").string()};
    argv.insert(argv.end(), buckets.begin(), buckets.end());
    pid_ = spawn(argv, {}, s3_tooling_dir(), dir_ / "server.log");

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (port_ == 0) {
      const std::string log = log_text();
      if (const auto at = log.find("listening "); at != std::string::npos) {
        port_ = std::atoi(log.c_str() + at + 10);
        if (port_ > 0) break;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("s3rver exited (status " + std::to_string(decode(status)) +
                                 "):\n" + log);
      }
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("s3rver did not start within 30 s:\n" + log);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  } catch (...) {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
    throw;
  }
}

S3Server::~S3Server() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    bool reaped = false;
    for (int i = 0; i < 100 && !reaped; ++i) {
      reaped = ::waitpid(pid_, &status, WNOHANG) == pid_;
      if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!reaped) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
  }
  if (std::getenv("CM_KEEP_TEST_DIRS") == nullptr) {  // NOLINT(concurrency-mt-unsafe)
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

std::string S3Server::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string S3Server::log_text() const {
  return read_file(dir_ / "server.log");
}

S3Server& shared_s3_server() {
  static S3Server server({"cm-test"});
  return server;
}

}  // namespace cm::test
