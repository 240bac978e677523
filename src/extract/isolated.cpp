// SPDX-License-Identifier: AGPL-3.0-or-later
#include "extract/isolated.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <new>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, for posix_spawn

namespace cm::extract {
namespace {

using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------------------------
// The frame the helper writes to stdout:
//   "CMX1 <status> <pages> <chars> <truncated 0|1> <reason bytes> <text bytes>\n"
//   <reason><text>
// status is ok, unsupported, failed, or error<N> for a cm::Error of ErrorKind N.

constexpr std::string_view kMagic = "CMX1";
constexpr std::size_t kMaxHeaderBytes = 256;
constexpr std::size_t kMaxReasonBytes = 4096;
constexpr std::size_t kMaxStderrBytes = 4096;

std::string frame_header(std::string_view status, const Extraction& e, std::size_t reason_size) {
  return std::string(kMagic) + " " + std::string(status) + " " + std::to_string(e.pages) + " " +
         std::to_string(e.chars) + " " + (e.truncated ? "1" : "0") + " " +
         std::to_string(reason_size) + " " + std::to_string(e.text.size()) + "\n";
}

// Parses a complete frame; false when `bytes` is not one.
bool parse_frame(std::string_view bytes, Result<Extraction>& out) {
  const auto newline = bytes.find('\n');
  if (newline == std::string_view::npos || newline > kMaxHeaderBytes) return false;
  const std::string header(bytes.substr(0, newline));
  std::array<char, 32> magic{};
  std::array<char, 32> status{};
  long long pages = 0;
  unsigned long long chars = 0;
  int truncated = 0;
  unsigned long long reason_size = 0;
  unsigned long long text_size = 0;
  if (std::sscanf(header.c_str(), "%31s %31s %lld %llu %d %llu %llu", magic.data(), status.data(),
                  &pages, &chars, &truncated, &reason_size, &text_size) != 7) {
    return false;
  }
  const std::string_view body = bytes.substr(newline + 1);
  if (kMagic != magic.data() || reason_size > kMaxReasonBytes ||
      body.size() != reason_size + text_size || pages < 0 || pages > INT_MAX) {
    return false;
  }
  const std::string_view st = status.data();
  std::string reason(body.substr(0, reason_size));
  if (st.substr(0, 5) == "error") {
    const int kind = std::atoi(status.data() + 5);
    if (kind < 0 || kind > static_cast<int>(ErrorKind::internal)) return false;
    out = Error(static_cast<ErrorKind>(kind), std::move(reason));
    return true;
  }
  Extraction e;
  if (st == "ok") {
    e.status = ExtractionStatus::ok;
  } else if (st == "unsupported") {
    e.status = ExtractionStatus::unsupported;
  } else if (st == "failed") {
    e.status = ExtractionStatus::failed;
  } else {
    return false;
  }
  e.pages = static_cast<int>(pages);
  e.chars = static_cast<std::size_t>(chars);
  e.truncated = truncated != 0;
  e.reason = std::move(reason);
  e.text = std::string(body.substr(reason_size));
  out = std::move(e);
  return true;
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

Extraction failed_extraction(std::string reason) {
  Extraction e;
  e.status = ExtractionStatus::failed;
  e.reason = std::move(reason);
  return e;
}

std::string format_duration(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

// ---------------------------------------------------------------------------------------------
// The parent side.

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const noexcept { return fd_; }
  void reset(int fd = -1) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

bool make_pipe(Fd& read_end, Fd& write_end) {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) return false;
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
  return true;
}

// The helper's command line; main.cpp's extract-text subcommand accepts exactly these options.
std::vector<std::string> helper_arguments(const std::string& executable, const std::string& path,
                                          const DocumentType& type, const ExtractLimits& limits) {
  return {executable,
          "extract-text",
          "--type",
          std::string(to_string(type.kind)),
          "--file",
          path,
          "--max-chars",
          std::to_string(limits.max_output_chars),
          "--max-pages",
          std::to_string(limits.max_pages),
          "--max-file-bytes",
          std::to_string(limits.max_file_bytes),
          "--max-entry-bytes",
          std::to_string(limits.max_entry_bytes),
          "--max-total-bytes",
          std::to_string(limits.max_total_bytes),
          "--max-depth",
          std::to_string(limits.max_nesting_depth),
          "--memory-limit",
          std::to_string(limits.max_memory_bytes),
          "--cpu-seconds",
          std::to_string(limits.max_cpu_seconds)};
}

bool mentions_memory_exhaustion(std::string_view stderr_text) {
  return stderr_text.find("bad_alloc") != std::string_view::npos ||
         stderr_text.find("ut of memory") != std::string_view::npos ||
         stderr_text.find("Cannot allocate memory") != std::string_view::npos;
}

class Spawned {
 public:
  explicit Spawned(pid_t pid) : pid_(pid) {}
  Spawned(const Spawned&) = delete;
  Spawned& operator=(const Spawned&) = delete;
  // Never leave a helper behind, whatever path leaves extract_text_isolated().
  ~Spawned() {
    if (!reaped_) {
      kill_group();
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }

  // The helper runs in its own process group (POSIX_SPAWN_SETPGROUP), so this also reaches
  // anything it started.
  void kill_group() noexcept {
    if (!reaped_) ::kill(-pid_, SIGKILL);
  }

  // Waits until the helper exits or the deadline passes (then kills it). Returns false when
  // it had to be killed.
  bool wait_until(Clock::time_point deadline, int& status, rusage& usage) {
    for (auto pause = std::chrono::microseconds(200);;) {
      const pid_t r = ::wait4(pid_, &status, WNOHANG, &usage);
      if (r == pid_ || (r < 0 && errno == ECHILD)) {
        reaped_ = true;
        return true;
      }
      if (Clock::now() >= deadline) {
        kill_group();
        while (::wait4(pid_, &status, 0, &usage) < 0 && errno == EINTR) {
        }
        reaped_ = true;
        return false;
      }
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::microseconds(20'000));
    }
  }

 private:
  pid_t pid_;
  bool reaped_ = false;
};

}  // namespace

Result<Extraction> extract_text_isolated(const std::string& executable, const std::string& path,
                                         const DocumentType& type, const ExtractLimits& limits) {
  if (type.kind == DocumentKind::doc || type.kind == DocumentKind::png ||
      type.kind == DocumentKind::jpeg) {
    return extract_text(path, type, limits);  // unsupported, without touching the file
  }

  Fd out_read, out_write, err_read, err_write;
  if (!make_pipe(out_read, out_write) || !make_pipe(err_read, err_write)) {
    return Error(ErrorKind::unavailable,
                 "cannot create pipes for the text extraction helper: " +
                     std::error_code(errno, std::system_category()).message());
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);  // no server sockets in the helper
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t signals;
  sigemptyset(&signals);
  posix_spawnattr_setsigmask(&attributes, &signals);
  sigfillset(&signals);
  posix_spawnattr_setsigdefault(&attributes, &signals);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

  std::vector<std::string> arguments = helper_arguments(executable, path, type, limits);
  std::vector<char*> argv;
  argv.reserve(arguments.size() + 1);
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, executable.c_str(), &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    return Error(ErrorKind::unavailable,
                 "cannot start the text extraction helper " + executable + ": " +
                     std::error_code(spawned, std::system_category()).message());
  }
  Spawned helper(pid);
  out_write.reset();
  err_write.reset();

  const auto deadline = Clock::now() + limits.timeout;
  const std::size_t max_output =
      kMaxHeaderBytes + kMaxReasonBytes + limits.max_output_chars * 4 + 16;
  std::string output;
  std::string errors;
  bool timed_out = false;
  bool overflow = false;
  bool out_open = true;
  bool err_open = true;
  std::array<char, 1 << 16> buffer{};
  while ((out_open || err_open) && !timed_out && !overflow) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    std::array<pollfd, 2> fds{
        {{out_open ? out_read.get() : -1, POLLIN, 0}, {err_open ? err_read.get() : -1, POLLIN, 0}}};
    const int ready =
        ::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left.count(), 60'000)));
    if (ready < 0 && errno != EINTR) break;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
        continue;
      }
      const std::string_view chunk(buffer.data(), static_cast<std::size_t>(n));
      if (i == 0) {
        output.append(chunk);
        overflow = output.size() > max_output;
      } else if (errors.size() < kMaxStderrBytes) {
        errors.append(chunk.substr(0, kMaxStderrBytes - errors.size()));
      }
    }
  }
  if (timed_out || overflow) helper.kill_group();

  int status = 0;
  rusage usage{};
  if (!helper.wait_until(timed_out || overflow ? Clock::now() : deadline, status, usage) &&
      !overflow) {
    timed_out = true;
  }
  if (timed_out) return failed_extraction("timed out after " + format_duration(limits.timeout));
  if (overflow) return failed_extraction("output exceeded the limit");

  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    const double cpu_seconds =
        static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
        static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    // SIGXCPU at the soft limit; SIGKILL at the hard one if SIGXCPU was caught or ignored.
    // The rusage figure lags the kernel's limit accounting by a few percent.
    if (signal == SIGXCPU || (signal == SIGKILL && limits.max_cpu_seconds > 0 &&
                              cpu_seconds >= 0.9 * limits.max_cpu_seconds)) {
      return failed_extraction("exceeded CPU time limit (" +
                               std::to_string(limits.max_cpu_seconds) + " s)");
    }
    if (mentions_memory_exhaustion(errors)) return failed_extraction("exceeded memory limit");
    if (signal == SIGKILL) return failed_extraction("killed (signal 9)");
    return failed_extraction("crashed (signal " + std::to_string(signal) + ")");
  }
  Result<Extraction> result = failed_extraction("");
  if (parse_frame(output, result)) return result;
  if (mentions_memory_exhaustion(errors)) return failed_extraction("exceeded memory limit");
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return failed_extraction(code == 0 ? "helper returned malformed output"
                                     : "helper exited with status " + std::to_string(code));
}

std::string self_executable() {
  std::array<char, 4096> path{};
  const ssize_t n = ::readlink("/proc/self/exe", path.data(), path.size() - 1);
  return n > 0 ? std::string(path.data(), static_cast<std::size_t>(n)) : std::string();
}

// ---------------------------------------------------------------------------------------------
// The helper side.

namespace {

#if defined(CM_SANITIZED)
// AddressSanitizer and ThreadSanitizer reserve terabytes of address space at start, so any
// RLIMIT_AS would make their next mapping fail. Sanitizer builds are test builds; they rely on
// the CPU limit and the parent's timeout instead.
constexpr bool kLimitAddressSpace = false;
#else
constexpr bool kLimitAddressSpace = true;
#endif

void set_limit(int resource, rlim_t soft, rlim_t hard) {
  rlimit limit{soft, hard};
  ::setrlimit(resource, &limit);
}

}  // namespace

int run_extract_text_helper(const HelperOptions& options) {
  const auto kind = parse_document_kind(options.type);
  if (!kind) {
    std::fputs("extract-text: unknown --type\n", stderr);
    return 2;
  }
  const ExtractLimits& limits = options.limits;
  if (kLimitAddressSpace && limits.max_memory_bytes > 0) {
    set_limit(RLIMIT_AS, limits.max_memory_bytes, limits.max_memory_bytes);
  }
  if (limits.max_cpu_seconds > 0) {
    // SIGXCPU at the soft limit, SIGKILL a second later if it is ignored.
    set_limit(RLIMIT_CPU, limits.max_cpu_seconds, limits.max_cpu_seconds + 1);
  }
  // Extraction writes no files; only stdout may be one (a person debugging with "> out").
  const rlim_t max_frame = kMaxHeaderBytes + kMaxReasonBytes + limits.max_output_chars * 4 + 16;
  set_limit(RLIMIT_FSIZE, max_frame, max_frame);
  set_limit(RLIMIT_CORE, 0, 0);  // a crash on a hostile file leaves no core dump behind

  Result<Extraction> result = failed_extraction("");
  try {
    result = extract_text(options.file, document_type(*kind), limits);
  } catch (const std::bad_alloc&) {
    result = failed_extraction("exceeded memory limit");
  } catch (const Error& e) {
    result = e;
  } catch (const std::exception&) {
    result = failed_extraction("internal error in the extraction helper");
  }

  if (!result) {
    const Error& error = result.error();
    const std::string reason = error.detail().substr(0, kMaxReasonBytes);
    const std::string status = "error" + std::to_string(static_cast<int>(error.kind()));
    return write_all(1, frame_header(status, Extraction{}, reason.size()) + reason) ? 0 : 1;
  }
  const Extraction& e = *result;
  const std::string reason = e.reason.substr(0, kMaxReasonBytes);
  const bool written = write_all(1, frame_header(to_string(e.status), e, reason.size())) &&
                       write_all(1, reason) && write_all(1, e.text);
  return written ? 0 : 1;
}

}  // namespace cm::extract
