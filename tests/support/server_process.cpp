// SPDX-License-Identifier: AGPL-3.0-or-later
#include "support/server_process.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

#include "support/build_paths.hpp"
#include "support/http_client.hpp"

namespace cm::test {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Owns a file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  int get() const noexcept { return fd_; }
  void reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read;
  Fd write;
};

Pipe make_pipe() {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) throw_errno("pipe2");
  return {Fd(fds[0]), Fd(fds[1])};
}

// The child sees only what the test configures plus what tools need to run at all; a developer's
// own DATABASE_URL or ENCRYPTION_KEY must not leak into a test server.
EnvMap child_environment(const EnvMap& env) {
  static constexpr std::array<const char*, 13> kInherited = {"PATH",
                                                             "HOME",
                                                             "USER",
                                                             "LANG",
                                                             "LC_ALL",
                                                             "TZ",
                                                             "TMPDIR",
                                                             "LD_LIBRARY_PATH",
                                                             "ASAN_OPTIONS",
                                                             "UBSAN_OPTIONS",
                                                             "LSAN_OPTIONS",
                                                             "TSAN_OPTIONS",
                                                             "LLVM_PROFILE_FILE"};
  EnvMap out;
  for (const char* name : kInherited) {
    if (const char* value = std::getenv(name)) out[name] = value;
  }
  // The test matrix chooses the PostgreSQL read path: unset, the server's default (asynchronous);
  // ctest entry api_tests_postgres_blocking sets 0.
  if (const char* value = std::getenv("CM_TEST_DB_ASYNC_CONNECTIONS"))
    out["DB_ASYNC_CONNECTIONS"] = value;
  for (const auto& [k, v] : env) out[k] = v;
  return out;
}

int decode_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// fork/exec without a shell. Everything the child touches is prepared before fork(), because
// only async-signal-safe calls are allowed between fork and exec in a threaded process.
pid_t spawn(const std::vector<std::string>& args, const EnvMap& env, int stdin_fd, int stdout_fd,
            int stderr_fd) {
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : child_environment(env)) env_strings.push_back(k + "=" + v);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  // Reports a failed exec (e.g. binary not built) as an errno value instead of a mystery exit.
  Pipe exec_error = make_pipe();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork");
  if (pid == 0) {
    // Never outlive the test process, even if it crashes.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    if (::dup2(stdin_fd, 0) < 0 || ::dup2(stdout_fd, 1) < 0 || ::dup2(stderr_fd, 2) < 0) {
      const int e = errno;
      [[maybe_unused]] auto n = ::write(exec_error.write.get(), &e, sizeof e);
      ::_exit(127);
    }
    ::execve(argv[0], argv.data(), envp.data());
    const int e = errno;
    [[maybe_unused]] auto n = ::write(exec_error.write.get(), &e, sizeof e);
    ::_exit(127);
  }
  exec_error.write.reset();
  int child_errno = 0;
  ssize_t n = 0;
  do {
    n = ::read(exec_error.read.get(), &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof child_errno)) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    throw std::system_error(child_errno, std::generic_category(), "cannot execute " + args.at(0));
  }
  return pid;
}

std::vector<std::string> cli_argv(std::vector<std::string> args) {
  args.insert(args.begin(), cm::test::server_binary());
  return args;
}

std::filesystem::path make_temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/cm-server-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw_errno("mkdtemp " + tmpl);
  return tmpl;
}

// Blocks SIGPIPE for this thread while writing to a child that may already have exited, so the
// write fails with EPIPE instead of killing the test binary; a pending SIGPIPE is discarded.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_set_);
    sigaddset(&pipe_set_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set_, &old_);
  }
  ~SigpipeGuard() {
    const timespec zero{};
    while (sigtimedwait(&pipe_set_, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_set_{};
  sigset_t old_{};
};

}  // namespace

int find_free_port() {
  Fd sock(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (sock.get() < 0) throw_errno("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw_errno("bind");
  socklen_t len = sizeof addr;
  if (::getsockname(sock.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw_errno("getsockname");
  return ntohs(addr.sin_port);
}

CliResult run_cli(std::vector<std::string> args, EnvMap env, std::string stdin_text,
                  std::chrono::seconds timeout) {
  Pipe in = make_pipe();
  Pipe out = make_pipe();
  Pipe err = make_pipe();
  const pid_t pid =
      spawn(cli_argv(std::move(args)), env, in.read.get(), out.write.get(), err.write.get());
  in.read.reset();
  out.write.reset();
  err.write.reset();

  CliResult result;
  SigpipeGuard sigpipe_guard;
  if (stdin_text.empty()) {
    in.write.reset();
  } else if (::fcntl(in.write.get(), F_SETFL, O_NONBLOCK) != 0) {
    // A blocking write larger than the pipe buffer would wait for the child to read it all,
    // while the child waits for us to drain its stdout.
    throw_errno("fcntl");
  }
  std::size_t written = 0;
  const auto deadline = Clock::now() + timeout;
  bool timed_out = false;

  while (out.read.get() >= 0 || err.read.get() >= 0) {
    std::array<pollfd, 3> fds{};
    fds[0] = {out.read.get(), POLLIN, 0};
    fds[1] = {err.read.get(), POLLIN, 0};
    fds[2] = {in.write.get(), POLLOUT, 0};  // a negative fd is ignored by poll
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    const int ready =
        ::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll");
    }
    std::array<char, 65536> buffer{};
    const auto drain = [&buffer](Fd& fd, short revents, std::string& sink) {
      if (fd.get() < 0 || (revents & (POLLIN | POLLHUP | POLLERR)) == 0) return;
      const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
      if (n > 0) {
        sink.append(buffer.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fd.reset();
      }
    };
    drain(out.read, fds[0].revents, result.out);
    drain(err.read, fds[1].revents, result.err);
    if (in.write.get() >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      const ssize_t n =
          ::write(in.write.get(), stdin_text.data() + written, stdin_text.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      // Done, or the child closed its stdin (EPIPE): either way no more input.
      if (written == stdin_text.size() || (n < 0 && errno != EINTR && errno != EAGAIN))
        in.write.reset();
    }
  }

  if (timed_out) {
    ::kill(pid, SIGKILL);
    result.err += "\n[run_cli: killed after " + std::to_string(timeout.count()) + " s]\n";
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = timed_out ? -1 : decode_wait_status(status);
  return result;
}

ServerProcess::ServerProcess(EnvMap env, ProcessCommand command)
    : command_(std::move(command)), temp_dir_(make_temp_dir()) {
  try {
    start(std::move(env));
  } catch (...) {
    // The destructor does not run when a constructor throws.
    kill();
    remove_temp_dir();
    throw;
  }
}

void ServerProcess::start(EnvMap env) {
  log_path_ = temp_dir_ / "server.log";
  const auto data_dir = temp_dir_ / "data";
  std::filesystem::create_directories(data_dir);

  std::string web_root = cm::test::source_dir() + "/web/dist";
  if (!std::filesystem::exists(web_root + "/index.html")) {
    // A stub, so static-file routes have something to serve before the frontend is built.
    const auto stub = temp_dir_ / "web";
    std::filesystem::create_directories(stub);
    std::ofstream(stub / "index.html") << "<!doctype html><title>contractmgmt</title>\n";
    web_root = stub.string();
  }

  env_ = {
      {"PORT", std::to_string(find_free_port())},
      {"HOST", "127.0.0.1"},
      {"METRICS_PORT", std::to_string(find_free_port())},
      {"APP_ENV", "development"},
      {"LOG_LEVEL", "info"},
      {"JWT_SECRET", "integration-test-jwt-secret-0123456789abcdef"},
      {"WEB_ROOT", web_root},
      {"DATA_DIR", data_dir.string()},
      {"DATABASE_URL", "sqlite://" + (temp_dir_ / "contractmgmt.db").string()},
  };
  if (command_.port_variable != "PORT")
    env_[command_.port_variable] = std::to_string(find_free_port());
  for (auto& [k, v] : env) env_[k] = std::move(v);

  port_ = std::stoi(env_.at(command_.port_variable));
  if (port_ <= 0)
    throw std::invalid_argument("ServerProcess needs a concrete " + command_.port_variable +
                                ", not 0");
  base_url_ = "http://127.0.0.1:" + std::to_string(port_);

  const CliResult migrate = run_cli({"migrate"}, env_);
  {
    std::ofstream log(log_path_, std::ios::app);
    log << "=== contractmgmt migrate (exit " << migrate.exit_code << ")\n"
        << migrate.out << migrate.err << "=== contractmgmt " << command_.subcommand << "\n";
  }
  if (migrate.exit_code != 0) {
    throw std::runtime_error("contractmgmt migrate failed with exit code " +
                             std::to_string(migrate.exit_code) + ":\n" + log_tail());
  }

  Fd null_in(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  Fd log_fd(::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (null_in.get() < 0 || log_fd.get() < 0) throw_errno("open server log");
  pid_ = spawn(cli_argv({command_.subcommand}), env_, null_in.get(), log_fd.get(), log_fd.get());
  wait_until_healthy(std::chrono::seconds(15));
}

ServerProcess::~ServerProcess() {
  kill();
  remove_temp_dir();
}

void ServerProcess::remove_temp_dir() {
  // CM_KEEP_TEST_DIRS=1 keeps the database and full log for a post-mortem.
  if (std::getenv("CM_KEEP_TEST_DIRS") != nullptr) return;
  std::error_code ec;
  std::filesystem::remove_all(temp_dir_, ec);
}

void ServerProcess::wait_until_healthy(std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  HttpClient client(base_url_);
  client.set_timeout(std::chrono::milliseconds(1000));
  std::string last_problem = "no answer yet";
  while (Clock::now() < deadline) {
    if (!running()) {
      throw std::runtime_error("contractmgmt " + command_.subcommand + " exited with code " +
                               std::to_string(exit_code_) + " before becoming healthy:\n" +
                               log_tail());
    }
    try {
      const auto response = client.get("/health");
      if (response.status == 200) return;
      last_problem = "GET /health answered " + std::to_string(response.status);
    } catch (const std::runtime_error& e) {
      last_problem = e.what();  // not listening yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("contractmgmt " + command_.subcommand +
                           " did not become healthy within " + std::to_string(timeout.count()) +
                           " s (" + last_problem + "):\n" + log_tail());
}

std::string ServerProcess::log_text() const {
  std::ifstream in(log_path_, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string ServerProcess::log_tail(std::size_t max_bytes) const {
  std::string text = log_text();
  if (text.size() > max_bytes) text = "[...]\n" + text.substr(text.size() - max_bytes);
  return "--- server log (" + log_path_.string() + ") ---\n" + text;
}

bool ServerProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_code_ = decode_wait_status(status);
    pid_ = -1;
    return false;
  }
  return true;
}

int ServerProcess::terminate(std::chrono::seconds timeout) {
  if (!running()) return exit_code_;
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (!running()) return exit_code_;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill();
  return exit_code_;
}

void ServerProcess::kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exit_code_ = decode_wait_status(status);
  pid_ = -1;
}

}  // namespace cm::test
