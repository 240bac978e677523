// SPDX-License-Identifier: AGPL-3.0-or-later
// Probes and metrics: /health (the process runs), /ready (it can serve: database answers,
// schema current, not draining), /metrics (Prometheus text format).

#include <boost/json.hpp>

#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "obs/metrics.hpp"
#include "store/migrations.hpp"

namespace cm::api {

namespace {

class HealthHandlers {
 public:
  explicit HealthHandlers(const ApiDependencies& deps)
      : db_(deps.db),
        metrics_(deps.metrics),
        draining_(deps.draining),
        expected_schema_(deps.expected_schema_version) {}

  http::Response health(http::Request&) {
    auto r = json_response(200, bj::object{{"status", "ok"}});
    r.headers.set("Cache-Control", "no-store");
    return r;
  }

  http::Response ready(http::Request&) {
    std::string reason;
    if (draining_.load())
      reason = "shutting down";
    else if (!db_.ping())
      reason = "database unreachable";
    else if (schema_version() < expected_schema_)
      reason = "database schema is behind; run `contractmgmt migrate`";
    auto r = reason.empty()
                 ? json_response(200, bj::object{{"status", "ready"}})
                 : json_response(503, bj::object{{"status", "not ready"}, {"reason", reason}});
    r.headers.set("Cache-Control", "no-store");
    return r;
  }

  http::Response metrics(http::Request&) {
    return http::Response::text(200, metrics_.render(), "text/plain; version=0.0.4; charset=utf-8");
  }

 private:
  int schema_version() {
    try {
      return store::Migrator(db_).current_version();
    } catch (const std::exception&) {
      return 0;
    }
  }

  store::Database& db_;
  obs::Metrics& metrics_;
  const std::atomic<bool>& draining_;
  int expected_schema_;
};

}  // namespace

void add_health_routes(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<HealthHandlers>(deps);
  using http::Access;
  router.add(
      "GET", "/health", [h](http::Request& r) { return h->health(r); }, Access::public_route);
  router.add(
      "GET", "/ready", [h](http::Request& r) { return h->ready(r); }, Access::public_route);
}

void add_metrics_route(http::Router& router, const ApiDependencies& deps) {
  auto h = std::make_shared<HealthHandlers>(deps);
  router.add(
      "GET", "/metrics", [h](http::Request& r) { return h->metrics(r); },
      http::Access::public_route);
}

}  // namespace cm::api
