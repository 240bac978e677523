// SPDX-License-Identifier: AGPL-3.0-or-later
#include "support/pg_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace cm::test {

namespace {

constexpr const char* kDefaultBindir = "/usr/lib/postgresql/15/bin";

std::string read_tail(const std::filesystem::path& file, std::size_t max_chars = 3000) {
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > max_chars ? s.substr(s.size() - max_chars) : s;
}

// Asks the kernel for a free port. Another process could take it before PostgreSQL binds it;
// start() retries with a new port when that happens.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int err = errno;
    ::close(fd);
    throw std::system_error(err, std::generic_category(), "bind 127.0.0.1:0");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

void chown_recursive(const std::filesystem::path& root, uid_t uid, gid_t gid) {
  if (::chown(root.c_str(), uid, gid) != 0)
    throw std::system_error(errno, std::generic_category(), "chown " + root.string());
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (::lchown(entry.path().c_str(), uid, gid) != 0)
      throw std::system_error(errno, std::generic_category(), "chown " + entry.path().string());
  }
}

// Database names: lowercase letters, digits and '_', so no quoting is ever needed.
std::string sanitize(std::string_view prefix) {
  std::string out;
  for (char c : prefix) {
    if (out.size() >= 24) break;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_';
  }
  if (out.empty() || (out[0] >= '0' && out[0] <= '9')) out.insert(0, "db_");
  return out;
}

// postgresql://u:p@h:1/old?x=y -> postgresql://u:p@h:1/<name>?x=y
std::string with_database(const std::string& url, const std::string& name) {
  const auto scheme_end = url.find("://");
  const auto authority = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const auto query = url.find('?', authority);
  const auto slash = url.find('/', authority);
  const auto path_start =
      (slash == std::string::npos || (query != std::string::npos && slash > query))
          ? (query == std::string::npos ? url.size() : query)
          : slash;
  const auto path_end = query == std::string::npos ? url.size() : query;
  return url.substr(0, path_start) + "/" + name +
         (path_end < url.size() ? url.substr(path_end) : std::string{});
}

}  // namespace

PgServer::PgServer() {
  if (const char* url = std::getenv("CM_TEST_PG_URL"); url && *url) {
    external_url_ = url;
    const char* bindir = std::getenv("CM_PG_BINDIR");
    bindir_ = bindir && *bindir ? bindir : kDefaultBindir;
    return;
  }
  const char* bindir = std::getenv("CM_PG_BINDIR");
  bindir_ = bindir && *bindir ? bindir : kDefaultBindir;
  if (!std::filesystem::exists(tool("initdb")))
    throw std::runtime_error("PostgreSQL binaries not found in " + bindir_ +
                             " (install postgresql-15, set CM_PG_BINDIR, or set CM_TEST_PG_URL)");

  char templ[] = "/tmp/cm-pg-XXXXXX";
  if (::mkdtemp(templ) == nullptr)
    throw std::system_error(errno, std::generic_category(), "mkdtemp");
  dir_ = templ;
  try {
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (pw == nullptr)
        throw std::runtime_error("running as root needs a 'postgres' user to run PostgreSQL");
      chown_recursive(dir_, pw->pw_uid, pw->pw_gid);
    }
    run({tool("initdb"), "-D", (dir_ / "data").string(), "-A", "trust", "-U", "postgres", "-E",
         "UTF8", "--no-locale", "--no-sync"},
        /*as_postgres=*/true);
    start();
  } catch (...) {
    // Nothing useful can be left behind: the directory belongs to this object only.
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw;
  }
}

PgServer::~PgServer() {
  if (!can_restart()) return;
  try {
    stop("immediate");
  } catch (const std::exception&) {
    // Best effort at exit; the data directory is removed below either way, which makes any
    // surviving postmaster exit on its own.
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string PgServer::tool(const char* name) const {
  return bindir_ + "/" + name;
}

void PgServer::start() {
  const auto conf = dir_ / "data" / "postgresql.conf";
  for (int attempt = 1;; ++attempt) {
    port_ = free_port();
    {
      // Appended settings win over the defaults above them; a retry appends a new port.
      std::ofstream out(conf, std::ios::app);
      out << "\nlisten_addresses = '127.0.0.1'\n"
          << "port = " << port_ << "\n"
          << "unix_socket_directories = '" << dir_.string() << "'\n"
          << "fsync = off\nfull_page_writes = off\nsynchronous_commit = off\n"
          << "max_connections = 200\n";
      if (!out) throw std::runtime_error("cannot write " + conf.string());
    }
    try {
      run({tool("pg_ctl"), "-D", (dir_ / "data").string(), "-l", (dir_ / "server.log").string(),
           "-w", "-t", "60", "start"},
          /*as_postgres=*/true);
      return;
    } catch (const std::runtime_error&) {
      if (attempt >= 3) throw;
    }
  }
}

void PgServer::stop(const char* mode) {
  run({tool("pg_ctl"), "-D", (dir_ / "data").string(), "-m", mode, "-w", "-t", "60", "stop"},
      /*as_postgres=*/true);
}

void PgServer::restart() {
  stop_for_outage();
  start_after_outage();
}

void PgServer::stop_for_outage() {
  if (!can_restart())
    throw std::logic_error("cannot stop the external PostgreSQL server from CM_TEST_PG_URL");
  stop("fast");
}

void PgServer::start_after_outage() {
  if (!can_restart())
    throw std::logic_error("cannot start the external PostgreSQL server from CM_TEST_PG_URL");
  run({tool("pg_ctl"), "-D", (dir_ / "data").string(), "-l", (dir_ / "server.log").string(), "-w",
       "-t", "60", "start"},
      /*as_postgres=*/true);
}

std::string PgServer::create_database(std::string name_prefix) {
  static std::atomic<int> counter{0};
  static const std::uint32_t salt = std::random_device{}();
  // pid + salt keep names unique when several test binaries share one external server.
  const std::string name = sanitize(name_prefix) + "_" + std::to_string(::getpid()) + "_" +
                           std::to_string(salt % 100000) + "_" + std::to_string(++counter);
  if (!external_url_.empty()) {
    // createdb takes a connection string as the maintenance database, so the URL is passed
    // through as one argument, never parsed or quoted by us.
    run({tool("createdb"), "--maintenance-db=" + external_url_, name}, /*as_postgres=*/false);
    return with_database(external_url_, name);
  }
  run({tool("createdb"), "-h", "127.0.0.1", "-p", std::to_string(port_), "-U", "postgres", name},
      /*as_postgres=*/false);
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + name;
}

void PgServer::run(std::vector<std::string> argv, bool as_postgres) const {
  if (as_postgres && ::geteuid() == 0)
    argv.insert(argv.begin(),
                {std::filesystem::exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser",
                 "-u", "postgres", "--"});

  // Output of the tools goes to a log that failures quote; the server's own log is server.log.
  const std::filesystem::path log =
      dir_.empty() ? std::filesystem::path("/dev/null") : dir_ / "tools.log";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  // PostgreSQL tools complain when they cannot read their working directory as `postgres`.
  if (!dir_.empty()) posix_spawn_file_actions_addchdir_np(&actions, dir_.c_str());

  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);

  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::system_error(rc, std::generic_category(), "cannot start " + argv[0]);

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;

  std::string command;
  for (const auto& a : argv) command += (command.empty() ? "" : " ") + a;
  std::string message = "command failed (status " + std::to_string(status) + "): " + command;
  if (!dir_.empty()) {
    message += "\n--- tools.log ---\n" + read_tail(dir_ / "tools.log");
    if (std::filesystem::exists(dir_ / "server.log"))
      message += "\n--- server.log ---\n" + read_tail(dir_ / "server.log");
  }
  throw std::runtime_error(message);
}

PgServer& shared_pg_server() {
  // A function-local static: started on first use, thread-safe, stopped by its destructor at
  // exit, so every suite in the binary shares one server start.
  static PgServer server;
  return server;
}

}  // namespace cm::test
