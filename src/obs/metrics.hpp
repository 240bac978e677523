// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Prometheus metrics (prometheus-cpp core), rendered by our own /metrics handler in the text
// exposition format. Required series (docs/CONFIGURATION.md, conventions):
//   http_requests_total{method,route,status}, http_request_duration_seconds{method,route},
//   contracts_active_total (by org_id only when MetricsOptions::tenant_labels),
//   db_pool_connections{state}, process_* metrics;
//   jobs_enqueued_total{kind}, jobs_finished_total{kind,outcome}, job_duration_seconds{kind},
//   job_queue_depth{kind}, job_dead_letters{kind}.
// Values that live elsewhere (pool sizes, contract counts) are read at scrape time through
// hooks, so no background thread polls anything.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace prometheus {
class Registry;
}

namespace cm::obs {

struct MetricsOptions {
  // Organization ids as labels (contracts_active_total{org_id}). Off by default: a scrape
  // target must not list the tenants of an installation unless its operator chooses to.
  bool tenant_labels = false;
};

class Metrics {
 public:
  explicit Metrics(MetricsOptions options = {});
  ~Metrics();

  // `route` is the route template, never the raw path (bounded label cardinality).
  void record_http_request(std::string_view method, std::string_view route, int status,
                           double seconds);

  // Gauges set from scrape hooks.
  void set_db_pool(int idle, int in_use, int max);
  void set_contracts_active(const std::string& org_id, double count);
  void clear_contracts_active();

  // Background jobs (src/jobs). `kind` is a job kind (code-defined, so the label stays bounded);
  // `outcome` is succeeded, retried, dead, released or lease_lost.
  void record_job_enqueued(std::string_view kind);
  void record_job_finished(std::string_view kind, std::string_view outcome);
  void observe_job_duration(std::string_view kind, double seconds);
  // Gauges from a scrape hook: jobs waiting per kind (job_queue_depth) and dead letters per kind
  // (job_dead_letters). A kind reported earlier and absent now reads 0.
  void set_job_gauges(const std::map<std::string, double>& queued,
                      const std::map<std::string, double>& dead);

  // The registry, for layers that add their own families (jobs, websockets).
  prometheus::Registry& registry();

  // Runs before each render; hooks must be quick and must not throw.
  void add_scrape_hook(std::function<void(Metrics&)> hook);

  // Text exposition format 0.0.4, including process_* metrics read from /proc.
  std::string render();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cm::obs
