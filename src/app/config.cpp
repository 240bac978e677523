// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/config.hpp"

#include <sodium.h>

#include <array>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/envelope.hpp"
#include "core/strings.hpp"
#include "obs/logger.hpp"

namespace cm::app {
namespace {

// The fixed fallback of earlier versions: every such install signed tokens with it, so production
// refuses it like a placeholder.
constexpr std::string_view kDevelopmentJwtSecret =
    "contractmgmt-development-jwt-secret-not-for-production";

// Fragments of the placeholders found in sample .env files and tutorials.
constexpr std::array<std::string_view, 3> kPlaceholderSecretFragments = {"change-me", "changeme",
                                                                         "your-jwt-secret"};

constexpr std::size_t kMinJwtSecretBytes = 32;

// Collects every problem so an operator can fix the whole environment in one go.
class Problems {
 public:
  void add(const std::string& var, const std::string& what) { fields_.push_back({var, what}); }
  bool empty() const noexcept { return fields_.empty(); }
  Error to_error() && {
    std::string detail;
    for (const auto& f : fields_) {
      if (!detail.empty()) detail += "; ";
      detail += f.field + ": " + f.message;
    }
    return Error(ErrorKind::validation, std::move(detail), std::move(fields_));
  }

 private:
  std::vector<FieldError> fields_;
};

// An empty value counts as unset: `FOO=` in a compose file or `${FOO:-}` means "not configured".
std::optional<std::string> get(const EnvLookup& env, const std::string& name) {
  auto value = env(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

// Strict integer: optional '-', digits only, no spaces or '+', the whole string consumed.
std::optional<long long> parse_integer(std::string_view text) {
  long long value = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc{} || ptr != last) return std::nullopt;
  return value;
}

template <class T>
void read_int(const EnvLookup& env, Problems& problems, const std::string& var, long long min,
              long long max, const std::string& range_text, T& out) {
  const auto raw = get(env, var);
  if (!raw) return;
  const auto value = parse_integer(*raw);
  if (!value || *value < min || *value > max) {
    problems.add(var, "must be an integer " + range_text + " (got \"" + *raw + "\")");
    return;
  }
  out = static_cast<T>(*value);
}

// true/false, 1/0, on/off, yes/no, in any case.
void read_bool(const EnvLookup& env, Problems& problems, const std::string& var, bool& out) {
  const auto raw = get(env, var);
  if (!raw) return;
  const std::string v = to_lower(trim(*raw));
  if (v == "true" || v == "1" || v == "on" || v == "yes") {
    out = true;
  } else if (v == "false" || v == "0" || v == "off" || v == "no") {
    out = false;
  } else {
    problems.add(var, "must be true or false (also 1/0, on/off, yes/no; got \"" + *raw + "\")");
  }
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

// An origin as browsers send it: lower-case scheme and host, no default port, no path.
// Returns the canonical form, or nullopt with `error` saying what is wrong.
std::optional<std::string> parse_origin(std::string_view raw, std::string& error) {
  const auto fail = [&error](std::string why) -> std::optional<std::string> {
    error = std::move(why);
    return std::nullopt;
  };
  const std::string text = to_lower(raw);
  std::string_view s = text;
  std::string scheme;
  if (s.starts_with("https://")) {
    scheme = "https";
  } else if (s.starts_with("http://")) {
    scheme = "http";
  } else {
    return fail("must start with http:// or https://");
  }
  s.remove_prefix(scheme.size() + 3);
  if (s.find_first_of("/?#") != std::string_view::npos)
    return fail("must not have a path, query or fragment");
  if (s.find('@') != std::string_view::npos) return fail("must not contain user information");

  std::string_view host;
  std::string_view port;
  if (s.starts_with('[')) {  // IPv6 literal
    const auto close = s.find(']');
    if (close == std::string_view::npos || close == 1) return fail("has a malformed IPv6 host");
    for (const char c : s.substr(1, close - 1)) {
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.')) {
        return fail("has a malformed IPv6 host");
      }
    }
    host = s.substr(0, close + 1);
    s.remove_prefix(close + 1);
    if (!s.empty()) {
      if (!s.starts_with(':')) return fail("has characters after the host");
      port = s.substr(1);
      if (port.empty()) return fail("has an empty port");
    }
  } else {
    const auto colon = s.find(':');
    host = s.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = s.substr(colon + 1);
      if (port.empty()) return fail("has an empty port");
    }
    if (host.empty()) return fail("has no host");
    for (const char c : host) {
      if (!is_host_char(c)) return fail("has an invalid host");
    }
    if (host.front() == '.' || host.front() == '-' || host.back() == '.') {
      return fail("has an invalid host");
    }
  }
  std::string out = scheme + "://" + std::string(host);
  if (!port.empty()) {
    const auto n = parse_integer(port);
    if (!n || port.front() == '-' || *n < 1 || *n > 65535) return fail("has an invalid port");
    // Browsers omit the default port from Origin, so a configured ":443" would never match.
    const bool is_default = (scheme == "https" && *n == 443) || (scheme == "http" && *n == 80);
    if (!is_default) out += ":" + std::to_string(*n);
  }
  return out;
}

bool decodes_to_key(const std::string& b64) {
  std::array<unsigned char, envelope::kKeyBytes + 1> buffer{};
  std::size_t length = 0;
  const char* end = nullptr;
  // One spare byte in the buffer: an over-long key fails instead of being silently accepted.
  const int rc = sodium_base642bin(buffer.data(), buffer.size(), b64.data(), b64.size(), nullptr,
                                   &length, &end, sodium_base64_VARIANT_ORIGINAL);
  const bool ok = rc == 0 && end == b64.data() + b64.size() && length == envelope::kKeyBytes;
  sodium_memzero(buffer.data(), buffer.size());
  return ok;
}

// S3's bucket naming rules (the subset that matters for URLs): 3-63 of a-z 0-9 . -, starting and
// ending with a letter or digit, no "..".
bool is_bucket_name(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  for (const char c : name) {
    if (!alnum(c) && c != '.' && c != '-') return false;
  }
  return alnum(name.front()) && alnum(name.back()) && name.find("..") == std::string_view::npos;
}

bool is_region_name(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

std::optional<bool> parse_bool(std::string_view raw) {
  const std::string v = to_lower(trim(raw));
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  return std::nullopt;
}

void load_blob_config(const EnvLookup& env, Problems& problems, Config& config) {
  auto& blob = config.blob;
  blob.local_root = (std::filesystem::path(config.data_dir) / "blobs").string();

  const auto bucket = get(env, "S3_BUCKET");
  blob.backend = bucket ? blob::BlobBackend::s3 : blob::BlobBackend::local;
  if (const auto raw = get(env, "BLOB_BACKEND")) {
    const std::string v = to_lower(trim(*raw));
    if (v == "local") {
      blob.backend = blob::BlobBackend::local;
    } else if (v == "s3") {
      blob.backend = blob::BlobBackend::s3;
    } else {
      problems.add("BLOB_BACKEND", "must be local or s3 (got \"" + *raw + "\")");
    }
  }

  auto& s3 = blob.s3;
  if (bucket) {
    if (is_bucket_name(*bucket)) {
      s3.bucket = *bucket;
    } else {
      problems.add("S3_BUCKET",
                   "must be a bucket name: 3-63 characters a-z 0-9 . -, starting and ending with "
                   "a letter or digit (got \"" +
                       *bucket + "\")");
    }
  }
  if (const auto raw = get(env, "S3_REGION")) {
    if (is_region_name(*raw)) {
      s3.region = *raw;
    } else {
      problems.add("S3_REGION", "must be a region name such as eu-west-1 (got \"" + *raw + "\")");
    }
  }
  if (const auto raw = get(env, "S3_ENDPOINT")) {
    std::string why;
    std::string_view text = trim(*raw);
    if (text.ends_with('/')) text.remove_suffix(1);  // "https://host/" is a common spelling
    if (auto endpoint = parse_origin(text, why)) {
      s3.endpoint = std::move(*endpoint);
    } else {
      problems.add("S3_ENDPOINT", why + " (expected http(s)://host[:port])");
    }
  }
  if (const auto raw = get(env, "S3_FORCE_PATH_STYLE")) {
    if (const auto value = parse_bool(*raw)) {
      s3.force_path_style = *value;
    } else {
      problems.add("S3_FORCE_PATH_STYLE", "must be true or false (got \"" + *raw + "\")");
    }
  }
  long long part_mib = static_cast<long long>(s3.part_size / blob::kMiB);
  read_int(env, problems, "S3_PART_SIZE_MB", 5, 5120, "5-5120 (MiB; S3's part size limits)",
           part_mib);
  s3.part_size = static_cast<std::size_t>(part_mib) * blob::kMiB;

  // Secrets are never echoed.
  const auto key_id = get(env, "AWS_ACCESS_KEY_ID");
  const auto secret = get(env, "AWS_SECRET_ACCESS_KEY");
  if (key_id) s3.credentials.access_key_id = *key_id;
  if (secret) s3.credentials.secret_access_key = *secret;
  if (const auto token = get(env, "AWS_SESSION_TOKEN")) s3.credentials.session_token = *token;

  if (blob.backend != blob::BlobBackend::s3) return;
  if (!bucket) problems.add("S3_BUCKET", "is required when BLOB_BACKEND is s3");
  // Only static keys are read (no instance profile or web identity lookup).
  if (!key_id) problems.add("AWS_ACCESS_KEY_ID", "is required when BLOB_BACKEND is s3");
  if (!secret) problems.add("AWS_SECRET_ACCESS_KEY", "is required when BLOB_BACKEND is s3");
}

}  // namespace

std::string_view to_string(AppEnv env) noexcept {
  switch (env) {
    case AppEnv::development:
      return "development";
    case AppEnv::staging:
      return "staging";
    case AppEnv::production:
      return "production";
  }
  return "development";
}

std::string public_base_url(const Config& config) {
  if (!config.public_url.empty()) return config.public_url;
  const auto& host = config.bind_address;
  const bool local = host == "0.0.0.0" || host == "::" || host == "127.0.0.1" || host == "::1";
  const std::string shown = local                                 ? "localhost"
                            : host.find(':') != std::string::npos ? "[" + host + "]"
                                                                  : host;
  return "http://" + shown + ":" + std::to_string(config.port);
}

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    // getenv is safe here: configuration is read once, before any thread starts.
    const char* value = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe)
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<Config> load_config(const EnvLookup& env) {
  Config config;
  Problems problems;

  if (const auto raw = get(env, "APP_ENV")) {
    const std::string v = to_lower(*raw);
    if (v == "development") {
      config.app_env = AppEnv::development;
    } else if (v == "staging") {
      config.app_env = AppEnv::staging;
    } else if (v == "production") {
      config.app_env = AppEnv::production;
    } else {
      problems.add("APP_ENV", "must be development, staging or production (got \"" + *raw + "\")");
    }
  }

  // 0 binds an ephemeral port (tests read the actual port back from the server).
  read_int(env, problems, "PORT", 0, 65535, "1-65535 (or 0 for any free port)", config.port);

  if (config.app_env != AppEnv::development) config.bind_address = "0.0.0.0";
  if (get(env, "BIND_ADDRESS")) problems.add("BIND_ADDRESS", "is now called HOST");
  if (const auto raw = get(env, "HOST")) {
    if (raw->empty() || raw->find_first_of(" \t\r\n/") != std::string::npos) {
      problems.add("HOST", "must be an IP address to listen on (0.0.0.0: every interface)");
    } else {
      config.bind_address = *raw;
    }
  }
  read_int(env, problems, "METRICS_PORT", 0, 65535, "0-65535 (0 for any free port)",
           config.metrics_port);
  read_bool(env, problems, "METRICS_TENANT_LABELS", config.metrics_tenant_labels);

  if (const auto raw = get(env, "DATABASE_URL")) {
    if (raw->starts_with("sqlite:") || raw->starts_with("postgres://") ||
        raw->starts_with("postgresql://")) {
      config.database_url = *raw;
    } else {
      // The value may hold a password, so it is not echoed back.
      problems.add("DATABASE_URL", "must start with sqlite:, postgres:// or postgresql://");
    }
  }

  read_int(env, problems, "DB_POOL_MAX", 1, 500, "1-500", config.db_pool_max);
  if (const auto raw = get(env, "DB_POOL_MIN")) {
    const auto value = parse_integer(*raw);
    if (!value || *value < 0 || *value > config.db_pool_max) {
      problems.add("DB_POOL_MIN", "must be an integer 0-" + std::to_string(config.db_pool_max) +
                                      " (at most DB_POOL_MAX; got \"" + *raw + "\")");
    } else {
      config.db_pool_min = static_cast<int>(*value);
    }
  } else if (config.db_pool_min > config.db_pool_max) {
    // The default minimum must not exceed an explicitly small maximum.
    config.db_pool_min = config.db_pool_max;
  }

  long long acquire_ms = config.db_acquire_timeout.count();
  read_int(env, problems, "DB_ACQUIRE_TIMEOUT_MS", 1, 600'000, "1-600000", acquire_ms);
  config.db_acquire_timeout = std::chrono::milliseconds(acquire_ms);

  if (const auto raw = get(env, "LOG_LEVEL")) {
    if (const auto level = obs::parse_log_level(*raw)) {
      // Canonical spelling, so later code can compare strings ("WARNING" -> "warn").
      constexpr std::array<std::string_view, 6> kNames = {"trace", "debug", "info",
                                                          "warn",  "error", "off"};
      config.log_level = std::string(kNames.at(static_cast<std::size_t>(*level)));
    } else {
      problems.add("LOG_LEVEL",
                   "must be one of trace, debug, info, warn, error, off (got \"" + *raw + "\")");
    }
  }

  if (const auto raw = env("CORS_ORIGINS"); raw && !trim(*raw).empty()) {
    std::string_view rest = *raw;
    while (true) {
      const auto comma = rest.find(',');
      const auto item = trim(rest.substr(0, comma));
      if (item.empty()) {
        problems.add("CORS_ORIGINS", "has an empty entry (check for stray commas)");
        break;
      }
      if (item == "*") {
        problems.add("CORS_ORIGINS", "must list exact origins; \"*\" is not allowed");
        break;
      }
      std::string why;
      auto origin = parse_origin(item, why);
      if (!origin) {
        problems.add("CORS_ORIGINS",
                     "\"" + std::string(item) + "\" " + why + " (expected scheme://host[:port])");
        break;
      }
      config.cors_origins.push_back(std::move(*origin));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }

  long long max_body = static_cast<long long>(config.max_body_bytes);
  read_int(env, problems, "MAX_BODY_BYTES", 1024, 1024LL * 1024 * 1024,
           "1024-1073741824 (1 KiB-1 GiB)", max_body);
  config.max_body_bytes = static_cast<std::size_t>(max_body);
  long long max_upload = static_cast<long long>(config.max_upload_bytes);
  read_int(env, problems, "MAX_UPLOAD_BYTES", 1024, 5LL * 1024 * 1024 * 1024,
           "1024-5368709120 (1 KiB-5 GiB)", max_upload);
  config.max_upload_bytes = static_cast<std::size_t>(max_upload);
  read_int(env, problems, "RETENTION_DAYS", 0, 36'500, "0-36500 (days)", config.retention_days);

  read_int(env, problems, "HTTP_THREADS", 0, 256, "0-256 (0: one per core)", config.http_threads);
  read_int(env, problems, "HANDLER_THREADS", 0, 1024, "0-1024 (0: twice the cores, at least 4)",
           config.handler_threads);
  read_int(env, problems, "DB_ASYNC_CONNECTIONS", 0, 64, "0-64 per I/O thread (0: off)",
           config.db_async_connections);
  long long async_query_ms = config.db_async_query_timeout.count();
  read_int(env, problems, "DB_ASYNC_QUERY_TIMEOUT_MS", 1, 600'000, "1-600000", async_query_ms);
  config.db_async_query_timeout = std::chrono::milliseconds(async_query_ms);
  std::int64_t auth_cache_ms = config.auth_cache_ttl.count();
  read_int(env, problems, "AUTH_CACHE_TTL_MS", 0, 60'000, "0-60000 (0: off)", auth_cache_ms);
  config.auth_cache_ttl = std::chrono::milliseconds(auth_cache_ms);

  long long shutdown_s = config.shutdown_timeout.count() / 1000;
  read_int(env, problems, "SHUTDOWN_TIMEOUT", 0, 3600, "0-3600 (seconds)", shutdown_s);
  config.shutdown_timeout = std::chrono::seconds(shutdown_s);

  if (const auto raw = get(env, "WEB_ROOT")) config.web_root = *raw;
  if (const auto raw = get(env, "PUBLIC_URL")) {
    if (!(raw->starts_with("http://") || raw->starts_with("https://")) ||
        raw->find_first_of(" \t\r\n?#") != std::string::npos)
      problems.add("PUBLIC_URL", "must be an http:// or https:// URL without query or fragment");
    else
      config.public_url = *raw;
  }
  if (const auto raw = get(env, "DATA_DIR")) config.data_dir = *raw;
  load_blob_config(env, problems, config);

  const bool production = config.app_env == AppEnv::production;

  // Jobs. The single-binary quick start runs its jobs inside `serve`; production runs
  // `contractmgmt worker` pods instead, so the API pods' CPU stays with requests.
  read_int(env, problems, "WORKER_CONCURRENCY", 1, 256, "1-256", config.worker_concurrency);
  config.embedded_worker = !production;
  read_bool(env, problems, "EMBEDDED_WORKER", config.embedded_worker);
  long long lease_s = config.job_lease.count() / 1000;
  read_int(env, problems, "JOB_LEASE_SECONDS", 1, 3600, "1-3600", lease_s);
  config.job_lease = std::chrono::seconds(lease_s);
  long long poll_ms = config.job_poll_max.count();
  read_int(env, problems, "JOB_POLL_INTERVAL_MS", 10, 60'000, "10-60000", poll_ms);
  config.job_poll_max = std::chrono::milliseconds(poll_ms);
  long long retention_days = config.job_retention.count() / 24;
  read_int(env, problems, "JOB_RETENTION_DAYS", 1, 3650, "1-3650", retention_days);
  config.job_retention = std::chrono::hours(retention_days * 24);
  read_int(env, problems, "WORKER_PORT", 0, 65535, "0-65535 (0 for any free port)",
           config.worker_port);
  read_bool(env, problems, "CM_TEST_JOBS", config.test_jobs);
  if (production && config.test_jobs)
    problems.add("CM_TEST_JOBS", "enables test-only job kinds and is refused in production");

  // Secrets are never echoed in messages.
  if (const auto raw = get(env, "ENCRYPTION_KEY")) {
    if (decodes_to_key(*raw)) {
      config.encryption_key = *raw;
    } else {
      problems.add("ENCRYPTION_KEY",
                   "must be standard base64 of exactly 32 bytes "
                   "(generate one with: openssl rand -base64 32)");
    }
  } else if (production) {
    problems.add("ENCRYPTION_KEY",
                 "is required in production "
                 "(generate one with: openssl rand -base64 32)");
  }

  if (const auto raw = get(env, "ENCRYPTION_KEYS_OLD")) {
    if (config.encryption_key.empty()) {
      problems.add("ENCRYPTION_KEYS_OLD", "needs ENCRYPTION_KEY (the key they rotate to)");
    } else if (auto ring = envelope::parse_key_ring(config.encryption_key, *raw); !ring) {
      for (const auto& f : ring.error().fields()) problems.add(f.field, f.message);
    } else {
      config.encryption_keys_old = *raw;
    }
  }

  if (const auto raw = get(env, "JWT_SECRET")) {
    const std::string lower = to_lower(*raw);
    bool placeholder = false;
    for (const auto fragment : kPlaceholderSecretFragments) {
      placeholder = placeholder || lower.find(fragment) != std::string::npos;
    }
    if (raw->size() < kMinJwtSecretBytes) {
      problems.add("JWT_SECRET", "must be at least 32 bytes long");
    } else if (production && *raw == kDevelopmentJwtSecret) {
      problems.add("JWT_SECRET", "is the development default; set a random secret in production");
    } else if (production && placeholder) {
      problems.add("JWT_SECRET", "looks like a placeholder; set a random secret in production");
    } else {
      config.jwt_secret = *raw;
    }
  } else if (production) {
    problems.add("JWT_SECRET",
                 "is required in production "
                 "(generate one with: openssl rand -base64 48)");
  }

  if (!problems.empty()) return std::move(problems).to_error();
  return config;
}

}  // namespace cm::app
