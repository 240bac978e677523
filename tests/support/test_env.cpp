// SPDX-License-Identifier: AGPL-3.0-or-later
#include "support/test_env.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "support/pg_server.hpp"
#include "support/sqlite_url.hpp"

namespace cm::test {

namespace {

// The directory for this process's SQLite files, created on first use and removed at exit.
class TempDir {
 public:
  TempDir() {
    char templ[] = "/tmp/cm-test-XXXXXX";
    if (::mkdtemp(templ) == nullptr)
      throw std::system_error(errno, std::generic_category(), "mkdtemp");
    path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;  // best effort at exit; a leftover dir in /tmp is harmless
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

std::string file_name_part(std::string_view prefix) {
  std::string out;
  for (char c : prefix) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    out += ok ? c : '_';
  }
  return out.empty() ? "db" : out;
}

}  // namespace

std::string test_backend() {
  const char* value = std::getenv("CM_TEST_BACKEND");
  const std::string backend = value && *value ? value : "sqlite";
  if (backend != "sqlite" && backend != "postgres")
    throw std::invalid_argument("CM_TEST_BACKEND must be 'sqlite' or 'postgres', not '" + backend +
                                "'");
  return backend;
}

std::string fresh_database_url(std::string prefix) {
  if (test_backend() == "postgres") return shared_pg_server().create_database(std::move(prefix));
  return fresh_sqlite_url(std::move(prefix));
}

std::string fresh_sqlite_url(std::string prefix) {
  static TempDir dir;
  static std::atomic<int> counter{0};
  const auto file = dir.path() / (file_name_part(prefix) + "-" + std::to_string(++counter) + ".db");
  return "sqlite://" + file.string();  // file is absolute, so this is sqlite:///tmp/...
}

}  // namespace cm::test
