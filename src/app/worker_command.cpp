// SPDX-License-Identifier: AGPL-3.0-or-later
// `contractmgmt worker`: runs the job handlers and the scheduler (worker pods), with /health,
// /ready and /metrics on WORKER_PORT, until SIGTERM/SIGINT; then in-flight jobs finish within
// SHUTDOWN_TIMEOUT or are left to their leases.

#include <atomic>
#include <cstdlib>
#include <iostream>

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
#include "obs/logger.hpp"
#include "obs/metrics.hpp"

namespace cm::app {

int worker_command(const Config& config) {
  const obs::LogLevel level = obs::parse_log_level(config.log_level).value_or(obs::LogLevel::info);
  obs::Logger log(level);
  auto db = open_configured_database(config);
  if (!db) return 1;
  const auto schema = require_current_schema(*db);
  if (!schema) return 1;

  auto documents = open_document_storage(config);
  if (!documents) return 1;
  sweep_scratch(config, log);

  obs::Metrics metrics(obs::MetricsOptions{config.metrics_tenant_labels});
  workflow::OrgCalendar calendar;
  JobRuntime jobs(config, *db, log, metrics, calendar, documents->content.get());
  add_pool_scrape_hook(metrics, *db);
  jobs.add_scrape_hook(metrics);

  // Probes only: the same health handlers and pipeline as `serve`, no API routes.
  std::atomic<bool> draining{false};
  api::AuthCache auth_cache(std::chrono::milliseconds(0));
  const api::ApiDependencies deps{*db,      log,     metrics,      config.jwt_secret,
                                  draining, *schema, auth_cache,   calendar,
                                  nullptr,  {},      &jobs.queue()};
  OperationsServer probes(deps, config, config.worker_port, 2);
  http::Server& server = probes.server();
  try {
    server.listen();
  } catch (const std::exception& e) {
    log.error("cannot start", {{"error", e.what()}});
    std::cerr << "contractmgmt: WORKER_PORT: " << e.what() << "\n";
    return 1;
  }

  jobs.start();
  log.info(
      "worker listening for probes",
      {{"address", config.bind_address},
       {"port", std::int64_t{server.port()}},
       {"concurrency", std::int64_t{config.worker_concurrency}},
       {"database", std::string(db->dialect() == store::Dialect::sqlite ? "sqlite" : "postgres")}});
  server.run([&] {
    draining = true;
    jobs.stop_claiming();
    log.info("draining: finishing in-flight jobs");
  });
  if (!jobs.stop(config.shutdown_timeout)) {
    // Threads still run handlers; see JobRuntime::stop.
    log.info("stopped");
    std::_Exit(0);
  }
  log.info("stopped");
  return 0;
}

}  // namespace cm::app
