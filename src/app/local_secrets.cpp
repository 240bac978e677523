// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/local_secrets.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "core/crypto.hpp"
#include "core/envelope.hpp"

namespace cm::app {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kJwtSecretBytes = 48;

Error secret_error(const fs::path& path, const std::string& what) {
  return {ErrorKind::internal, "cannot " + what + " " + path.string() + ": " +
                                   std::error_code(errno, std::generic_category()).message()};
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text;
}

Result<std::string> read_secret(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return secret_error(path, "read");
  std::ostringstream text;
  text << in.rdbuf();
  auto value = trimmed(std::move(text).str());
  if (value.empty())
    return Error(ErrorKind::internal, path.string() + " is empty; delete it to generate a new one");
  return value;
}

// Writes a complete file under a temporary name, then links it into place: link() fails with
// EEXIST when another process got there first, and nobody ever reads a half-written secret.
Result<bool> create_secret(const fs::path& path, const std::string& value) {
  const fs::path temp = path.string() + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return secret_error(temp, "create");
  const std::string line = value + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    ::unlink(temp.c_str());
    return secret_error(temp, "write");
  }
  const bool created = ::link(temp.c_str(), path.c_str()) == 0;
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (!created && link_errno != EEXIST) {
    errno = link_errno;
    return secret_error(path, "create");
  }
  return created;
}

// The secret in `file`, created with `generate()` when absent; `label` names it in the report.
Result<std::string> local_secret(const fs::path& dir, const std::string& file,
                                 const std::string& label, std::size_t bytes,
                                 LocalSecretsReport& report) {
  const fs::path path = dir / file;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    auto created = create_secret(path, crypto::base64_encode(crypto::random_bytes(bytes)));
    if (!created) return created.error();
    (*created ? report.generated : report.reused).push_back(label + " in " + path.string());
  } else {
    report.reused.push_back(label + " in " + path.string());
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
    return Error(
        ErrorKind::internal,
        path.string() + " is readable by other users; chmod 600 it (it holds " + label + ")");
  return read_secret(path);
}

}  // namespace

Result<LocalSecretsReport> provide_local_secrets(Config& config) {
  LocalSecretsReport report;
  if (config.app_env == AppEnv::production) return report;
  if (!config.jwt_secret.empty() && !config.encryption_key.empty()) return report;
  const fs::path dir = fs::path(config.data_dir) / "secrets";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error(ErrorKind::internal, "cannot create " + dir.string() + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (config.jwt_secret.empty()) {
    auto secret = local_secret(dir, "jwt_secret", "JWT_SECRET", kJwtSecretBytes, report);
    if (!secret) return secret.error();
    config.jwt_secret = std::move(*secret);
    config.jwt_secret_is_local = true;
  }
  if (config.encryption_key.empty()) {
    auto key = local_secret(dir, "encryption_key", "ENCRYPTION_KEY", envelope::kKeyBytes, report);
    if (!key) return key.error();
    config.encryption_key = std::move(*key);
    config.encryption_key_is_local = true;
  }
  return report;
}

}  // namespace cm::app
