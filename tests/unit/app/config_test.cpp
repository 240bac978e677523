// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/config.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace cm::app {
namespace {

// 32 zero bytes and 31/33 bytes, standard base64.
constexpr const char* kKey32 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
constexpr const char* kKey31 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
constexpr const char* kKey33 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
constexpr const char* kGoodSecret = "q3Zt8vN1xP0rL6yW2sK9mB4cF7hJ5dGa";  // 32 bytes

EnvLookup lookup(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

Config load_ok(std::map<std::string, std::string> vars) {
  auto result = load_config(lookup(std::move(vars)));
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().detail());
  return result.ok() ? *result : Config{};
}

// The error detail, or "" when loading succeeded.
std::string load_error(std::map<std::string, std::string> vars) {
  auto result = load_config(lookup(std::move(vars)));
  if (result.ok()) return {};
  EXPECT_EQ(result.error().kind(), ErrorKind::validation);
  return result.error().detail();
}

std::map<std::string, std::string> production(std::map<std::string, std::string> extra = {}) {
  std::map<std::string, std::string> vars = {
      {"APP_ENV", "production"}, {"JWT_SECRET", kGoodSecret}, {"ENCRYPTION_KEY", kKey32}};
  for (auto& [k, v] : extra) vars[k] = v;
  return vars;
}

TEST(Config, DefaultsInDevelopment) {
  const auto c = load_ok({});
  EXPECT_EQ(c.app_env, AppEnv::development);
  EXPECT_EQ(c.port, 8000);
  EXPECT_EQ(c.database_url, "sqlite://./var/contractmgmt.db");
  EXPECT_EQ(c.db_pool_min, 2);
  EXPECT_EQ(c.db_pool_max, 10);
  EXPECT_EQ(c.db_acquire_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(c.log_level, "info");
  EXPECT_TRUE(c.cors_origins.empty());
  EXPECT_EQ(c.max_body_bytes, 10u * 1024 * 1024);
  EXPECT_EQ(c.http_threads, 0);
  EXPECT_EQ(c.db_async_connections, 1);  // used on PostgreSQL only
  EXPECT_EQ(c.db_async_query_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(c.shutdown_timeout, std::chrono::milliseconds(30'000));
  EXPECT_EQ(c.web_root, "web/dist");
  EXPECT_EQ(c.data_dir, "./var");
  // Left for provide_local_secrets (local_secrets_test.cpp): no secret is compiled in.
  EXPECT_TRUE(c.encryption_key.empty());
  EXPECT_TRUE(c.jwt_secret.empty());
  EXPECT_EQ(c.bind_address, "127.0.0.1") << "development listens on loopback only";
  EXPECT_EQ(c.metrics_port, 9464);
  EXPECT_FALSE(c.metrics_tenant_labels);
}

TEST(Config, StagingAndProductionListenOnEveryInterfaceUnlessHostSaysOtherwise) {
  EXPECT_EQ(load_ok({{"APP_ENV", "staging"}}).bind_address, "0.0.0.0");
  EXPECT_EQ(load_ok({{"HOST", "10.1.2.3"}}).bind_address, "10.1.2.3");
  EXPECT_TRUE(load_error({{"HOST", "a b"}}).starts_with("HOST: "));
  EXPECT_TRUE(
      load_error({{"BIND_ADDRESS", "0.0.0.0"}}).starts_with("BIND_ADDRESS: is now called HOST"));
}

TEST(Config, MetricsPortAndTenantLabels) {
  const auto c = load_ok({{"METRICS_PORT", "9100"}, {"METRICS_TENANT_LABELS", "true"}});
  EXPECT_EQ(c.metrics_port, 9100);
  EXPECT_TRUE(c.metrics_tenant_labels);
  EXPECT_TRUE(load_error({{"METRICS_PORT", "70000"}}).starts_with("METRICS_PORT: "));
}

TEST(Config, ReadsEveryVariable) {
  const auto c = load_ok({{"APP_ENV", "staging"},
                          {"PORT", "9090"},
                          {"HOST", "127.0.0.1"},
                          {"DATABASE_URL", "postgresql://cm:pw@db:5432/cm"},
                          {"DB_POOL_MIN", "0"},
                          {"DB_POOL_MAX", "50"},
                          {"DB_ACQUIRE_TIMEOUT_MS", "250"},
                          {"LOG_LEVEL", "WARNING"},
                          {"CORS_ORIGINS", "https://app.example.com, http://localhost:5173"},
                          {"JWT_SECRET", kGoodSecret},
                          {"ENCRYPTION_KEY", kKey32},
                          {"MAX_BODY_BYTES", "1024"},
                          {"HTTP_THREADS", "4"},
                          {"DB_ASYNC_CONNECTIONS", "3"},
                          {"DB_ASYNC_QUERY_TIMEOUT_MS", "750"},
                          {"SHUTDOWN_TIMEOUT", "5"},
                          {"WEB_ROOT", "/srv/web"},
                          {"DATA_DIR", "/srv/data"}});
  EXPECT_EQ(c.app_env, AppEnv::staging);
  EXPECT_EQ(c.port, 9090);
  EXPECT_EQ(c.bind_address, "127.0.0.1");
  EXPECT_EQ(c.database_url, "postgresql://cm:pw@db:5432/cm");
  EXPECT_EQ(c.db_pool_min, 0);
  EXPECT_EQ(c.db_pool_max, 50);
  EXPECT_EQ(c.db_acquire_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(c.log_level, "warn");
  EXPECT_EQ(c.cors_origins,
            (std::vector<std::string>{"https://app.example.com", "http://localhost:5173"}));
  EXPECT_EQ(c.jwt_secret, kGoodSecret);
  EXPECT_EQ(c.encryption_key, kKey32);
  EXPECT_EQ(c.max_body_bytes, 1024u);
  EXPECT_EQ(c.http_threads, 4);
  EXPECT_EQ(c.db_async_connections, 3);
  EXPECT_EQ(c.db_async_query_timeout, std::chrono::milliseconds(750));
  EXPECT_EQ(c.shutdown_timeout, std::chrono::seconds(5));
  EXPECT_EQ(c.web_root, "/srv/web");
  EXPECT_EQ(c.data_dir, "/srv/data");
}

TEST(Config, EmptyValuesCountAsUnset) {
  const auto c = load_ok({{"PORT", ""}, {"LOG_LEVEL", ""}, {"CORS_ORIGINS", ""}});
  EXPECT_EQ(c.port, 8000);
  EXPECT_EQ(c.log_level, "info");
}

TEST(Config, PortIsStrictlyParsed) {
  EXPECT_EQ(load_ok({{"PORT", "1"}}).port, 1);
  EXPECT_EQ(load_ok({{"PORT", "65535"}}).port, 65535);
  EXPECT_EQ(load_ok({{"PORT", "0"}}).port, 0);
  for (const char* bad :
       {"65536", "-1", "80x", " 80", "80 ", "+80", "8.0", "abc", "99999999999999999999"}) {
    const auto error = load_error({{"PORT", bad}});
    EXPECT_TRUE(error.starts_with("PORT: must be an integer")) << bad << " -> " << error;
  }
}

TEST(Config, AppEnvMustBeKnown) {
  EXPECT_EQ(load_ok({{"APP_ENV", "Development"}}).app_env, AppEnv::development);
  EXPECT_TRUE(load_error({{"APP_ENV", "prod"}}).starts_with("APP_ENV: "));
  EXPECT_EQ(to_string(AppEnv::production), "production");
  EXPECT_EQ(to_string(AppEnv::staging), "staging");
  EXPECT_EQ(to_string(AppEnv::development), "development");
}

TEST(Config, PoolBounds) {
  EXPECT_TRUE(load_error({{"DB_POOL_MAX", "0"}}).starts_with("DB_POOL_MAX: "));
  EXPECT_TRUE(load_error({{"DB_POOL_MAX", "501"}}).starts_with("DB_POOL_MAX: "));
  EXPECT_EQ(load_ok({{"DB_POOL_MAX", "500"}}).db_pool_max, 500);
  EXPECT_TRUE(load_error({{"DB_POOL_MIN", "11"}}).starts_with("DB_POOL_MIN: "));
  EXPECT_TRUE(load_error({{"DB_POOL_MIN", "-1"}}).starts_with("DB_POOL_MIN: "));
  EXPECT_TRUE(
      load_error({{"DB_POOL_MIN", "5"}, {"DB_POOL_MAX", "4"}}).starts_with("DB_POOL_MIN: "));
  EXPECT_EQ(load_ok({{"DB_POOL_MIN", "4"}, {"DB_POOL_MAX", "4"}}).db_pool_min, 4);
  // The default minimum (2) adapts to a smaller explicit maximum.
  EXPECT_EQ(load_ok({{"DB_POOL_MAX", "1"}}).db_pool_min, 1);
}

TEST(Config, NumericRanges) {
  EXPECT_TRUE(load_error({{"DB_ACQUIRE_TIMEOUT_MS", "0"}}).starts_with("DB_ACQUIRE_TIMEOUT_MS: "));
  EXPECT_TRUE(
      load_error({{"DB_ACQUIRE_TIMEOUT_MS", "600001"}}).starts_with("DB_ACQUIRE_TIMEOUT_MS: "));
  EXPECT_EQ(load_ok({{"DB_ACQUIRE_TIMEOUT_MS", "600000"}}).db_acquire_timeout,
            std::chrono::minutes(10));
  EXPECT_TRUE(load_error({{"MAX_BODY_BYTES", "1023"}}).starts_with("MAX_BODY_BYTES: "));
  EXPECT_TRUE(load_error({{"MAX_BODY_BYTES", "1073741825"}}).starts_with("MAX_BODY_BYTES: "));
  EXPECT_EQ(load_ok({{"MAX_BODY_BYTES", "1073741824"}}).max_body_bytes, 1073741824u);
  EXPECT_TRUE(load_error({{"HTTP_THREADS", "257"}}).starts_with("HTTP_THREADS: "));
  EXPECT_TRUE(load_error({{"HTTP_THREADS", "-1"}}).starts_with("HTTP_THREADS: "));
  EXPECT_EQ(load_ok({{"HTTP_THREADS", "256"}}).http_threads, 256);
  EXPECT_EQ(load_ok({{"HANDLER_THREADS", "12"}}).handler_threads, 12);
  EXPECT_TRUE(load_error({{"HANDLER_THREADS", "1025"}}).starts_with("HANDLER_THREADS: "));
  EXPECT_EQ(load_ok({{"AUTH_CACHE_TTL_MS", "0"}}).auth_cache_ttl.count(), 0);
  EXPECT_EQ(load_ok({}).auth_cache_ttl.count(), 1000);
  EXPECT_TRUE(load_error({{"AUTH_CACHE_TTL_MS", "60001"}}).starts_with("AUTH_CACHE_TTL_MS: "));
  EXPECT_EQ(load_ok({{"DB_ASYNC_CONNECTIONS", "0"}}).db_async_connections, 0);
  EXPECT_EQ(load_ok({{"DB_ASYNC_CONNECTIONS", "64"}}).db_async_connections, 64);
  EXPECT_TRUE(load_error({{"DB_ASYNC_CONNECTIONS", "65"}}).starts_with("DB_ASYNC_CONNECTIONS: "));
  EXPECT_TRUE(load_error({{"DB_ASYNC_CONNECTIONS", "-1"}}).starts_with("DB_ASYNC_CONNECTIONS: "));
  EXPECT_EQ(load_ok({{"DB_ASYNC_QUERY_TIMEOUT_MS", "1"}}).db_async_query_timeout.count(), 1);
  EXPECT_TRUE(
      load_error({{"DB_ASYNC_QUERY_TIMEOUT_MS", "0"}}).starts_with("DB_ASYNC_QUERY_TIMEOUT_MS: "));
  EXPECT_TRUE(load_error({{"DB_ASYNC_QUERY_TIMEOUT_MS", "600001"}})
                  .starts_with("DB_ASYNC_QUERY_TIMEOUT_MS: "));
  EXPECT_TRUE(load_error({{"SHUTDOWN_TIMEOUT", "3601"}}).starts_with("SHUTDOWN_TIMEOUT: "));
  EXPECT_TRUE(load_error({{"SHUTDOWN_TIMEOUT", "30s"}}).starts_with("SHUTDOWN_TIMEOUT: "));
  EXPECT_EQ(load_ok({{"SHUTDOWN_TIMEOUT", "0"}}).shutdown_timeout, std::chrono::milliseconds(0));
}

TEST(Config, LogLevelUsesLoggerNames) {
  for (const char* name : {"trace", "debug", "info", "warn", "error", "off"}) {
    EXPECT_EQ(load_ok({{"LOG_LEVEL", name}}).log_level, name);
  }
  EXPECT_EQ(load_ok({{"LOG_LEVEL", "Debug"}}).log_level, "debug");
  EXPECT_TRUE(load_error({{"LOG_LEVEL", "verbose"}}).starts_with("LOG_LEVEL: "));
}

TEST(Config, DatabaseUrlScheme) {
  EXPECT_EQ(load_ok({{"DATABASE_URL", "sqlite::memory:"}}).database_url, "sqlite::memory:");
  EXPECT_EQ(load_ok({{"DATABASE_URL", "sqlite:///var/lib/cm.db"}}).database_url,
            "sqlite:///var/lib/cm.db");
  EXPECT_EQ(load_ok({{"DATABASE_URL", "postgres://u@h/d"}}).database_url, "postgres://u@h/d");
  const auto error = load_error({{"DATABASE_URL", "mysql://root:hunter2@h/d"}});
  EXPECT_TRUE(error.starts_with("DATABASE_URL: ")) << error;
  EXPECT_EQ(error.find("hunter2"), std::string::npos) << "must not echo credentials";
}

TEST(Config, CorsOriginsAreExactOrigins) {
  EXPECT_EQ(
      load_ok({{"CORS_ORIGINS", "HTTPS://App.Example.com:443,http://[::1]:8080"}}).cors_origins,
      (std::vector<std::string>{"https://app.example.com", "http://[::1]:8080"}));
  for (const char* bad :
       {"*", "https://a.example.com/", "https://a.example.com/app", "ftp://a.example.com",
        "a.example.com", "https://", "https://a.example.com:0", "https://a.example.com:99999",
        "https://a.example.com:", "https://user@a.example.com", "https://a.example.com?x=1",
        "https://a.example.com,,https://b.example.com", "https://a.example.com,"}) {
    const auto error = load_error({{"CORS_ORIGINS", bad}});
    EXPECT_TRUE(error.starts_with("CORS_ORIGINS: ")) << bad << " -> " << error;
  }
}

TEST(Config, EncryptionKeyMustBe32BytesOfBase64) {
  EXPECT_EQ(load_ok({{"ENCRYPTION_KEY", kKey32}}).encryption_key, kKey32);
  for (const char* bad :
       {kKey31, kKey33, "not base64!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=x",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_"}) {
    const auto error = load_error({{"ENCRYPTION_KEY", bad}});
    EXPECT_TRUE(error.starts_with("ENCRYPTION_KEY: ")) << bad << " -> " << error;
    EXPECT_EQ(error.find(bad), std::string::npos) << "must not echo the key";
  }
}

TEST(Config, JwtSecretLength) {
  EXPECT_TRUE(load_error({{"JWT_SECRET", "short"}}).starts_with("JWT_SECRET: "));
  EXPECT_TRUE(load_error({{"JWT_SECRET", std::string(31, 'x')}}).starts_with("JWT_SECRET: "));
  const auto c = load_ok({{"JWT_SECRET", std::string(32, 'x')}});
  EXPECT_EQ(c.jwt_secret, std::string(32, 'x'));
}

TEST(Config, ProductionRefusesTheFormerCompiledInSecret) {
  auto vars = production();
  vars["JWT_SECRET"] = "contractmgmt-development-jwt-secret-not-for-production";
  EXPECT_NE(load_error(vars).find("JWT_SECRET: "), std::string::npos);
}

TEST(Config, ProductionWithSecretsLoads) {
  const auto c = load_ok(production());
  EXPECT_EQ(c.app_env, AppEnv::production);
}

TEST(Config, ProductionRefusesMissingSecrets) {
  auto vars = production();
  vars.erase("JWT_SECRET");
  EXPECT_TRUE(load_error(vars).starts_with("JWT_SECRET: ")) << load_error(vars);
  vars = production();
  vars.erase("ENCRYPTION_KEY");
  EXPECT_TRUE(load_error(vars).starts_with("ENCRYPTION_KEY: ")) << load_error(vars);
  vars = production({{"JWT_SECRET", ""}});
  EXPECT_TRUE(load_error(vars).starts_with("JWT_SECRET: "));
}

TEST(Config, ProductionRefusesDefaultAndPlaceholderSecrets) {
  for (const char* placeholder :
       {"please-change-me-0123456789abcdefghij", "CHANGEME-0123456789abcdefghijklmnopqrstu",
        "your-jwt-secret-0123456789abcdefghijklm"}) {
    EXPECT_TRUE(load_error(production({{"JWT_SECRET", placeholder}})).starts_with("JWT_SECRET: "))
        << placeholder;
    // Outside production a placeholder is tolerated (local setups copy sample files).
    EXPECT_EQ(load_error({{"JWT_SECRET", placeholder}}), "");
  }
}

TEST(Config, JobDefaults) {
  const auto c = load_ok({});
  EXPECT_EQ(c.worker_concurrency, 2);
  EXPECT_TRUE(c.embedded_worker);  // the single-binary quick start runs its own jobs
  EXPECT_EQ(c.job_lease, std::chrono::seconds(60));
  EXPECT_EQ(c.job_poll_max, std::chrono::milliseconds(1000));
  EXPECT_EQ(c.job_retention, std::chrono::hours(24 * 7));
  EXPECT_EQ(c.worker_port, 8001);
  EXPECT_FALSE(c.test_jobs);
  EXPECT_TRUE(load_ok({{"APP_ENV", "staging"}}).embedded_worker);
  // Production runs `contractmgmt worker` pods instead.
  EXPECT_FALSE(load_ok(production()).embedded_worker);
}

TEST(Config, ReadsJobVariables) {
  const auto c = load_ok({{"WORKER_CONCURRENCY", "8"},
                          {"EMBEDDED_WORKER", "off"},
                          {"JOB_LEASE_SECONDS", "5"},
                          {"JOB_POLL_INTERVAL_MS", "250"},
                          {"JOB_RETENTION_DAYS", "30"},
                          {"WORKER_PORT", "0"},
                          {"CM_TEST_JOBS", "1"}});
  EXPECT_EQ(c.worker_concurrency, 8);
  EXPECT_FALSE(c.embedded_worker);
  EXPECT_EQ(c.job_lease, std::chrono::seconds(5));
  EXPECT_EQ(c.job_poll_max, std::chrono::milliseconds(250));
  EXPECT_EQ(c.job_retention, std::chrono::hours(30 * 24));
  EXPECT_EQ(c.worker_port, 0);
  EXPECT_TRUE(c.test_jobs);
  EXPECT_TRUE(load_ok(production({{"EMBEDDED_WORKER", "TRUE"}})).embedded_worker);
  for (const char* off : {"false", "0", "no", "Off"})
    EXPECT_FALSE(load_ok({{"EMBEDDED_WORKER", off}}).embedded_worker) << off;
}

TEST(Config, JobVariablesAreValidated) {
  EXPECT_TRUE(load_error({{"WORKER_CONCURRENCY", "0"}}).starts_with("WORKER_CONCURRENCY: "));
  EXPECT_TRUE(load_error({{"WORKER_CONCURRENCY", "257"}}).starts_with("WORKER_CONCURRENCY: "));
  EXPECT_TRUE(load_error({{"EMBEDDED_WORKER", "maybe"}}).starts_with("EMBEDDED_WORKER: "));
  EXPECT_TRUE(load_error({{"JOB_LEASE_SECONDS", "0"}}).starts_with("JOB_LEASE_SECONDS: "));
  EXPECT_TRUE(load_error({{"JOB_LEASE_SECONDS", "1.5"}}).starts_with("JOB_LEASE_SECONDS: "));
  EXPECT_TRUE(load_error({{"JOB_POLL_INTERVAL_MS", "5"}}).starts_with("JOB_POLL_INTERVAL_MS: "));
  EXPECT_TRUE(load_error({{"JOB_RETENTION_DAYS", "0"}}).starts_with("JOB_RETENTION_DAYS: "));
  EXPECT_TRUE(load_error({{"WORKER_PORT", "70000"}}).starts_with("WORKER_PORT: "));
  EXPECT_TRUE(load_error(production({{"CM_TEST_JOBS", "1"}})).starts_with("CM_TEST_JOBS: "));
}

TEST(Config, ReportsEveryBadVariable) {
  auto result = load_config(lookup({{"PORT", "x"}, {"LOG_LEVEL", "loud"}}));
  ASSERT_FALSE(result.ok());
  const auto& fields = result.error().fields();
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].field, "PORT");
  EXPECT_EQ(fields[1].field, "LOG_LEVEL");
  EXPECT_TRUE(result.error().detail().starts_with("PORT: "));
  EXPECT_NE(result.error().detail().find("; LOG_LEVEL: "), std::string::npos);
}

// The S3 variables a deployment sets, plus overrides.
std::map<std::string, std::string> s3_env(std::map<std::string, std::string> extra = {}) {
  std::map<std::string, std::string> vars = {{"S3_BUCKET", "contracts-prod"},
                                             {"AWS_ACCESS_KEY_ID", "AKIAEXAMPLE"},
                                             {"AWS_SECRET_ACCESS_KEY", "secret/value+1"}};
  for (auto& [k, v] : extra) vars[k] = v;
  return vars;
}

TEST(Config, BlobStoreDefaultsToLocalFilesUnderDataDir) {
  const auto c = load_ok({});
  EXPECT_EQ(c.blob.backend, blob::BlobBackend::local);
  EXPECT_EQ(c.blob.local_root, "./var/blobs");
  EXPECT_EQ(load_ok({{"DATA_DIR", "/srv/data"}}).blob.local_root, "/srv/data/blobs");
  EXPECT_EQ(load_ok({{"DATA_DIR", "/srv/data/"}}).blob.local_root, "/srv/data/blobs");
}

TEST(Config, S3BucketSelectsS3WithItsDefaults) {
  const auto c = load_ok(s3_env());
  EXPECT_EQ(c.blob.backend, blob::BlobBackend::s3);
  EXPECT_EQ(c.blob.s3.bucket, "contracts-prod");
  EXPECT_EQ(c.blob.s3.region, "us-east-1");
  EXPECT_EQ(c.blob.s3.endpoint, "");
  EXPECT_EQ(blob::effective_endpoint(c.blob.s3), "https://s3.us-east-1.amazonaws.com");
  EXPECT_FALSE(c.blob.s3.force_path_style);
  EXPECT_EQ(c.blob.s3.part_size, 8u * 1024 * 1024);
  EXPECT_EQ(c.blob.s3.credentials.access_key_id, "AKIAEXAMPLE");
  EXPECT_EQ(c.blob.s3.credentials.secret_access_key, "secret/value+1");
  EXPECT_EQ(c.blob.s3.credentials.session_token, "");
}

TEST(Config, S3Settings) {
  const auto c = load_ok(s3_env({{"S3_REGION", "eu-central-1"},
                                 {"S3_ENDPOINT", "http://127.0.0.1:9000/"},
                                 {"S3_FORCE_PATH_STYLE", "true"},
                                 {"S3_PART_SIZE_MB", "16"},
                                 {"AWS_SESSION_TOKEN", "token"}}));
  EXPECT_EQ(c.blob.s3.region, "eu-central-1");
  EXPECT_EQ(c.blob.s3.endpoint, "http://127.0.0.1:9000");
  EXPECT_TRUE(c.blob.s3.force_path_style);
  EXPECT_EQ(c.blob.s3.part_size, 16u * 1024 * 1024);
  EXPECT_EQ(c.blob.s3.credentials.session_token, "token");
  EXPECT_EQ(blob::effective_endpoint(load_ok(s3_env({{"S3_REGION", "eu-central-1"}})).blob.s3),
            "https://s3.eu-central-1.amazonaws.com");
  EXPECT_FALSE(load_ok(s3_env({{"S3_FORCE_PATH_STYLE", "0"}})).blob.s3.force_path_style);
}

TEST(Config, ExplicitBlobBackendWins) {
  EXPECT_EQ(load_ok(s3_env({{"BLOB_BACKEND", "local"}})).blob.backend, blob::BlobBackend::local);
  EXPECT_EQ(load_ok(s3_env({{"BLOB_BACKEND", "S3"}})).blob.backend, blob::BlobBackend::s3);
  EXPECT_EQ(load_error({{"BLOB_BACKEND", "gcs"}}),
            "BLOB_BACKEND: must be local or s3 (got \"gcs\")");
}

TEST(Config, S3BackendNeedsBucketAndCredentials) {
  EXPECT_EQ(load_error({{"BLOB_BACKEND", "s3"}}),
            "S3_BUCKET: is required when BLOB_BACKEND is s3; "
            "AWS_ACCESS_KEY_ID: is required when BLOB_BACKEND is s3; "
            "AWS_SECRET_ACCESS_KEY: is required when BLOB_BACKEND is s3");
  auto only_id = s3_env();
  only_id.erase("AWS_SECRET_ACCESS_KEY");
  EXPECT_EQ(load_error(only_id), "AWS_SECRET_ACCESS_KEY: is required when BLOB_BACKEND is s3");
}

TEST(Config, BadS3ValuesNameTheirVariableAndNeverEchoSecrets) {
  EXPECT_TRUE(load_error(s3_env({{"S3_BUCKET", "Bad_Bucket"}})).starts_with("S3_BUCKET: "));
  EXPECT_TRUE(load_error(s3_env({{"S3_BUCKET", "ab"}})).starts_with("S3_BUCKET: "));
  EXPECT_TRUE(load_error(s3_env({{"S3_BUCKET", "a..b"}})).starts_with("S3_BUCKET: "));
  EXPECT_TRUE(load_error(s3_env({{"S3_REGION", "EU West"}})).starts_with("S3_REGION: "));
  EXPECT_TRUE(load_error(s3_env({{"S3_ENDPOINT", "s3.example.com"}})).starts_with("S3_ENDPOINT: "));
  EXPECT_TRUE(load_error(s3_env({{"S3_ENDPOINT", "https://s3.example.com/path"}}))
                  .starts_with("S3_ENDPOINT: "));
  EXPECT_TRUE(
      load_error(s3_env({{"S3_FORCE_PATH_STYLE", "maybe"}})).starts_with("S3_FORCE_PATH_STYLE: "));
  EXPECT_TRUE(load_error(s3_env({{"S3_PART_SIZE_MB", "4"}})).starts_with("S3_PART_SIZE_MB: "));
  EXPECT_TRUE(load_error(s3_env({{"S3_PART_SIZE_MB", "5121"}})).starts_with("S3_PART_SIZE_MB: "));
  const std::string error = load_error(s3_env({{"S3_REGION", "!"}}));
  EXPECT_EQ(error.find("secret/value"), std::string::npos);
  EXPECT_EQ(error.find("AKIAEXAMPLE"), std::string::npos);
}

TEST(Config, ProcessEnvReadsTheEnvironment) {
  const auto env = process_env();
  ::setenv("CM_CONFIG_TEST_VAR", "value", 1);
  EXPECT_EQ(env("CM_CONFIG_TEST_VAR"), "value");
  ::unsetenv("CM_CONFIG_TEST_VAR");
  EXPECT_EQ(env("CM_CONFIG_TEST_VAR"), std::nullopt);
}

}  // namespace
}  // namespace cm::app
