#pragma once
// Prometheus metrics (prometheus-cpp core), rendered by our own /metrics handler in the text
// exposition format. Required series (docs/CONFIGURATION.md, conventions):
//   http_requests_total{method,route,status}, http_request_duration_seconds{method,route},
//   contracts_active_total{org_id}, db_pool_connections{state}, process_* metrics.
// Values that live elsewhere (pool sizes, contract counts) are read at scrape time through
// hooks, so no background thread polls anything.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace prometheus {
class Registry;
}

namespace cm::obs {

class Metrics {
 public:
  Metrics();
  ~Metrics();

  // `route` is the route template, never the raw path (bounded label cardinality).
  void record_http_request(std::string_view method, std::string_view route, int status,
                           double seconds);

  // Gauges set from scrape hooks.
  void set_db_pool(int idle, int in_use, int max);
  void set_contracts_active(const std::string& org_id, double count);
  void clear_contracts_active();

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
