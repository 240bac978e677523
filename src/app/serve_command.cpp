// SPDX-License-Identifier: AGPL-3.0-or-later
// `contractmgmt serve`: wires configuration, storage, observability and the HTTP pipeline, then
// runs until SIGTERM/SIGINT and drains.

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "api/authenticator.hpp"
#include "api/handlers.hpp"
#include "api/pipeline.hpp"
#include "app/commands.hpp"
#include "app/database_setup.hpp"
#include "app/document_setup.hpp"
#include "app/job_setup.hpp"
#include "app/operations_server.hpp"
#include "app/scratch_directory.hpp"
#include "http/server.hpp"
#include "jobs/document_jobs.hpp"
#include "obs/db_async_metrics.hpp"
#include "obs/logger.hpp"
#include "obs/metrics.hpp"
#include "store/contract_repository.hpp"
#include "store/pg/pg_async_client.hpp"

namespace cm::app {

namespace {

// Gauges read at scrape time. A failing database must not break /metrics.
void add_scrape_hooks(obs::Metrics& metrics, store::Database& db, JobRuntime& jobs) {
  add_pool_scrape_hook(metrics, db);
  jobs.add_scrape_hook(metrics);
  metrics.add_scrape_hook([&db](obs::Metrics& m) {
    try {
      auto lease = db.acquire();
      const auto counts = store::ContractRepository(*lease).count_active_by_org();
      m.clear_contracts_active();
      for (const auto& [org, count] : counts)
        m.set_contracts_active(org, static_cast<double>(count));
    } catch (const std::exception&) {
      // Keep the last values; /ready reports the database problem.
    }
  });
}

// The asynchronous PostgreSQL client's reports (src/store knows no Prometheus) as metrics and
// log lines. Reconnects are rare by construction (backoff), so they may log.
class AsyncDbObserver final : public store::PgAsyncObserver {
 public:
  AsyncDbObserver(obs::Metrics& metrics, const obs::Logger& log) : metrics_(metrics), log_(log) {}

  void batch_sent(std::size_t queries) noexcept override {
    metrics_.observe_batch(static_cast<double>(queries));
  }
  void reconnected() noexcept override {
    metrics_.count_reconnect(true);
    log_.info("asynchronous PostgreSQL connection established");
  }
  void reconnect_failed(const std::string& reason) noexcept override {
    metrics_.count_reconnect(false);
    log_.warn("asynchronous PostgreSQL connection failed; retrying after a backoff",
              {{"error", reason}});
  }
  void query_timed_out() noexcept override {
    metrics_.count_timeout();
    log_.warn("PostgreSQL query timed out; its asynchronous connection was dropped");
  }

  void set_queue_depth(std::size_t queries) {
    metrics_.set_queue_depth(static_cast<double>(queries));
  }

 private:
  obs::DbAsyncMetrics metrics_;
  const obs::Logger& log_;
};

http::ServerOptions server_options(const Config& config) {
  http::ServerOptions o;
  o.bind_address = config.bind_address;
  o.port = config.port;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  o.io_threads = config.http_threads > 0 ? config.http_threads : cores;
  // Measured (docs/PERFORMANCE.md): a few more handler threads than cores overlap database
  // round trips; many more only add context switches (16 threads: -45% on 2 cores).
  o.handler_threads = config.handler_threads > 0 ? config.handler_threads : std::max(4, 2 * cores);
  o.max_body_bytes = config.max_body_bytes;
  o.shutdown_timeout = config.shutdown_timeout;
  o.spool_dir = scratch_directory(config);
  return o;
}

}  // namespace

int serve_command(const Config& config) {
  const obs::LogLevel level = obs::parse_log_level(config.log_level).value_or(obs::LogLevel::info);
  obs::Logger log(level);
  auto db = open_configured_database(config);
  if (!db) return 1;

  const auto schema = require_current_schema(*db);
  if (!schema) return 1;
  const int latest = *schema;
  if (config.jwt_secret_is_local || config.encryption_key_is_local)
    log.info("using secrets generated in DATA_DIR/secrets (development and staging only)");

  auto documents = open_document_storage(config);
  if (!documents) return 1;
  if (auto reachable = documents->blobs->check(); !reachable) {
    log.error("document storage unavailable", {{"error", reachable.error().detail()}});
    std::cerr << "contractmgmt: document storage: " << reachable.error().detail() << "\n";
    return 1;
  }
  sweep_scratch(config, log);
  // Loaded at start-up so missing fonts stop the server here, not a signer's last signature.
  const auto certificate_pdf = open_certificate_renderer();
  if (!certificate_pdf) return 1;

  obs::Metrics metrics(obs::MetricsOptions{config.metrics_tenant_labels});
  // The one cache of organizations' time zones, shared by the handlers and the jobs.
  workflow::OrgCalendar calendar;
  JobRuntime jobs(config, *db, log, metrics, calendar, documents->content.get());
  add_scrape_hooks(metrics, *db, jobs);
  std::atomic<bool> draining{false};
  api::AuthCache auth_cache(config.auth_cache_ttl);

  // The server first: the asynchronous PostgreSQL client runs on its event loops
  // (DB_ASYNC_CONNECTIONS pipelines on each), so a by-id request stays on its connection's
  // thread. The pipeline is built once both exist; the server only calls it from run().
  std::unique_ptr<api::Pipeline> pipeline;
  http::Server server(
      server_options(config), [&pipeline](http::Request& r) { return pipeline->handle(r); },
      [&pipeline](int status, std::string_view detail) {
        return pipeline->server_error(status, detail);
      });
  server.set_error_reporter(
      [&log](std::string_view what, std::string_view remote_ip, std::string_view error) {
        log.error(what, {{"ip", std::string(remote_ip)}, {"error", std::string(error)}});
      });
  std::unique_ptr<AsyncDbObserver> async_observer;
  std::unique_ptr<store::PgAsyncClient> async_db;
  if (db->dialect() == store::Dialect::postgres && config.db_async_connections > 0) {
    async_observer = std::make_unique<AsyncDbObserver>(metrics, log);
    store::PgAsyncOptions options;
    options.url = config.database_url;
    options.connections = config.db_async_connections;
    options.connect_timeout = config.db_acquire_timeout;
    options.query_timeout = config.db_async_query_timeout;
    options.observer = async_observer.get();
    try {
      async_db = std::make_unique<store::PgAsyncClient>(server.io_contexts(), options);
    } catch (const store::DbError& e) {
      // PostgreSQL slow or restarting just now: serve anyway (not ready, 503s with Retry-After)
      // and let each connection connect on its first query, as it reconnects after an outage.
      log.warn("asynchronous PostgreSQL connections not open yet; connecting on first use",
               {{"error", e.what()}});
      options.connect_now = false;
      async_db = std::make_unique<store::PgAsyncClient>(server.io_contexts(), std::move(options));
    } catch (const std::exception& e) {
      log.error("cannot set up the asynchronous PostgreSQL client", {{"error", e.what()}});
      std::cerr << "contractmgmt: " << e.what() << "\n";
      return 1;
    }
    metrics.add_scrape_hook(
        [observer = async_observer.get(), client = async_db.get()](obs::Metrics&) {
          observer->set_queue_depth(client->queue_depth());
        });
  }
  const api::ApiDependencies deps{
      *db,
      log,
      metrics,
      config.jwt_secret,
      draining,
      latest,
      auth_cache,
      calendar,
      async_db.get(),
      document_services(config, *documents, *certificate_pdf,
                        [&jobs](store::Transaction& tx, const std::string& org_id,
                                const std::string& document_id, int version) {
                          jobs::enqueue_text_extraction(jobs.queue(), tx, org_id, document_id,
                                                        version);
                        }),
      &jobs.queue(),
      config.app_env != AppEnv::development};
  pipeline = std::make_unique<api::Pipeline>(
      api::build_router(deps),
      api::Authenticator(*db, config.jwt_secret, auth_cache, async_db.get()), log, metrics,
      api::PipelineOptions{config.cors_origins, config.web_root});
  // /metrics and the probes on their own port, the scrape target: what it shows describes the
  // whole installation, so it is never served on the public port.
  OperationsServer operations(deps, config, config.metrics_port, 1);
  server.set_body_policy(
      [&pipeline, limit = config.max_body_bytes](std::string_view method, std::string_view path) {
        return pipeline->body_policy(method, path, limit);
      });
  if (async_db)
    server.set_async_application([&pipeline](http::Request& r, http::Respond respond) {
      return pipeline->handle_async(r, std::move(respond));
    });
  try {
    server.listen();
  } catch (const std::exception& e) {
    log.error("cannot start", {{"error", e.what()}});
    std::cerr << "contractmgmt: " << e.what() << "\n";
    return 1;
  }
  try {
    operations.listen();
  } catch (const std::exception& e) {
    log.error("cannot start", {{"error", e.what()}});
    std::cerr << "contractmgmt: METRICS_PORT: " << e.what() << "\n";
    return 1;
  }
  log.info("serving /metrics, /health and /ready",
           {{"address", config.bind_address}, {"port", std::int64_t{operations.port()}}});
  std::thread operations_thread([&operations] { operations.server().run(); });
  log.info(
      "listening",
      {{"address", config.bind_address},
       {"port", std::int64_t{server.port()}},
       {"env", std::string(to_string(config.app_env))},
       {"database", std::string(db->dialect() == store::Dialect::sqlite ? "sqlite" : "postgres")}});
  announce_first_run(*db, config, server.port());
  // The quick start's single process runs its own jobs; production runs `contractmgmt worker`.
  if (config.embedded_worker) jobs.start();
  std::atomic<std::chrono::steady_clock::rep> drain_started{0};
  server.run([&] {
    drain_started = std::chrono::steady_clock::now().time_since_epoch().count();
    draining = true;
    jobs.stop_claiming();
    operations.server().shutdown();
    log.info("draining: finishing in-flight requests");
  });
  operations_thread.join();
  // Jobs ran on while requests drained; they get what is left of SHUTDOWN_TIMEOUT.
  const auto drained_for = std::chrono::steady_clock::now().time_since_epoch() -
                           std::chrono::steady_clock::duration(drain_started.load());
  const auto grace = std::max(
      std::chrono::milliseconds(0),
      config.shutdown_timeout - std::chrono::duration_cast<std::chrono::milliseconds>(drained_for));
  if (!jobs.stop(grace)) {
    // Handler threads are still running jobs; unwinding would destroy what they use. Their
    // leases expire and other workers take the jobs over.
    log.info("stopped");
    std::_Exit(0);
  }
  log.info("stopped");
  return 0;
}

}  // namespace cm::app
