// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Configuration from environment variables (12-factor), validated once at start-up. A bad value
// is reported with the variable's name and the process exits with code 2.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "blob/blob_factory.hpp"
#include "core/result.hpp"

namespace cm::app {

enum class AppEnv { development, staging, production };

struct Config {
  AppEnv app_env = AppEnv::development;
  std::uint16_t port = 8000;  // PORT
  // HOST: 127.0.0.1 in development (a laptop's server is not the network's), else 0.0.0.0.
  std::string bind_address = "127.0.0.1";
  std::uint16_t metrics_port = 9464;   // METRICS_PORT: /metrics, /health, /ready of `serve`
  bool metrics_tenant_labels = false;  // METRICS_TENANT_LABELS: organization ids in labels
  std::string database_url = "sqlite://./var/contractmgmt.db";  // DATABASE_URL
  int db_pool_min = 2;                                          // DB_POOL_MIN
  int db_pool_max = 10;                                         // DB_POOL_MAX
  std::chrono::milliseconds db_acquire_timeout{5'000};          // DB_ACQUIRE_TIMEOUT_MS
  std::string log_level = "info";                               // LOG_LEVEL
  std::vector<std::string> cors_origins;                        // CORS_ORIGINS (comma separated)
  std::string jwt_secret;                                       // JWT_SECRET
  std::string encryption_key;                                   // ENCRYPTION_KEY (base64, 32 bytes)
  std::string encryption_keys_old;  // ENCRYPTION_KEYS_OLD (comma-separated, during rotation)
  std::size_t max_body_bytes = std::size_t{10} * 1024 * 1024;    // MAX_BODY_BYTES
  std::size_t max_upload_bytes = std::size_t{10} * 1024 * 1024;  // MAX_UPLOAD_BYTES
  int retention_days = 30;  // RETENTION_DAYS (deleted documents kept before purge)
  int http_threads = 0;     // HTTP_THREADS (0: cores)
  int handler_threads = 0;  // HANDLER_THREADS (0: twice the cores, at least 4)
  std::chrono::milliseconds auth_cache_ttl{1'000};  // AUTH_CACHE_TTL_MS (0: off)
  // DB_ASYNC_CONNECTIONS: PostgreSQL connections in pipeline mode for the hot read routes, per
  // I/O thread (0: off; SQLite ignores it). DB_ASYNC_QUERY_TIMEOUT_MS bounds each of their queries.
  int db_async_connections = 1;
  std::chrono::milliseconds db_async_query_timeout{5'000};
  std::chrono::milliseconds shutdown_timeout{30'000};  // SHUTDOWN_TIMEOUT (seconds)
  std::string web_root = "web/dist";                   // WEB_ROOT
  // PUBLIC_URL: where people reach the app (the first-run setup URL names it); empty: derived
  // from HOST and PORT (public_base_url()).
  std::string public_url;
  std::string data_dir = "./var";  // DATA_DIR
  // Document storage: BLOB_BACKEND (local | s3; default s3 when S3_BUCKET is set, else local),
  // local root DATA_DIR/blobs, S3_BUCKET, S3_REGION, S3_ENDPOINT, S3_FORCE_PATH_STYLE,
  // S3_PART_SIZE_MB, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN.
  blob::BlobConfig blob;
  // Outside production, a JWT_SECRET or ENCRYPTION_KEY left unset is generated once into
  // DATA_DIR/secrets and reused (app/local_secrets.hpp); these say which were.
  bool jwt_secret_is_local = false;
  bool encryption_key_is_local = false;

  // Background jobs (src/jobs).
  int worker_concurrency = 2;                     // WORKER_CONCURRENCY
  bool embedded_worker = true;                    // EMBEDDED_WORKER (default: off in production)
  std::chrono::milliseconds job_lease{60'000};    // JOB_LEASE_SECONDS
  std::chrono::milliseconds job_poll_max{1'000};  // JOB_POLL_INTERVAL_MS (idle polling, at most)
  std::chrono::hours job_retention{24 * 7};       // JOB_RETENTION_DAYS
  std::uint16_t worker_port = 8001;               // WORKER_PORT (`contractmgmt worker` probes)
  bool test_jobs = false;                         // CM_TEST_JOBS (test kinds; never production)
};

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Reads the process environment.
EnvLookup process_env();

// Parses and validates. Errors name the variable, e.g. "PORT: must be an integer 1-65535".
// Outside production a missing JWT_SECRET or ENCRYPTION_KEY is left empty for
// provide_local_secrets(); production refuses missing secrets and known placeholders.
Result<Config> load_config(const EnvLookup& env);

std::string_view to_string(AppEnv env) noexcept;

// PUBLIC_URL, else http://HOST:PORT with a wildcard or loopback HOST shown as localhost.
std::string public_base_url(const Config& config);

}  // namespace cm::app
