// SPDX-License-Identifier: AGPL-3.0-or-later
#include "obs/metrics.hpp"

#include <fmt/format.h>
#include <prometheus/client_metric.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <sstream>
#include <unordered_map>

namespace cm::obs {
namespace {

// Label values are bounded: a client can send any method token, so unknown ones are folded.
std::string_view normalize_method(std::string_view method) noexcept {
  static constexpr std::array<std::string_view, 9> kKnown = {
      "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"};
  for (const auto known : kKnown) {
    if (method == known) return known;
  }
  return "OTHER";
}

// Jobs run from milliseconds (a prune) to many minutes (text extraction of a large scan).
const prometheus::Histogram::BucketBoundaries& job_duration_buckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800};
  return kBuckets;
}

// Transparent hashing so the hot path looks up a std::string key without re-allocating it twice.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

struct ProcStat {
  double cpu_seconds = 0;
  double start_ticks = 0;
  double virtual_bytes = 0;
  double resident_bytes = 0;
};

// /proc/self/stat: field 2 (comm) may contain spaces and parentheses, so parse after the last ')'.
std::optional<ProcStat> read_proc_stat() {
  std::ifstream in("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(text.substr(close + 2));
  // Fields from 3 (state) onwards; we need 14 utime, 15 stime, 22 starttime, 23 vsize, 24 rss.
  std::vector<std::string> f;
  std::string token;
  while (rest >> token && f.size() < 24) f.push_back(token);
  if (f.size() < 22) return std::nullopt;
  const auto at = [&](int field) { return std::stod(f.at(static_cast<std::size_t>(field - 3))); };
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  ProcStat s;
  s.cpu_seconds = (at(14) + at(15)) / ticks;
  s.start_ticks = at(22);
  s.virtual_bytes = at(23);
  s.resident_bytes = at(24) * page;
  return s;
}

std::optional<double> read_boot_time_seconds() {
  std::ifstream in("/proc/stat");
  std::string key;
  while (in >> key) {
    if (key == "btime") {
      double value = 0;
      if (in >> value) return value;
      return std::nullopt;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return std::nullopt;
}

std::optional<double> count_open_fds() {
  std::error_code ec;
  std::filesystem::directory_iterator it("/proc/self/fd", ec);
  if (ec) return std::nullopt;
  double count = 0;
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (ec) return std::nullopt;
    ++count;
  }
  // The iterator holds one descriptor of its own while listing.
  return count > 0 ? count - 1 : 0;
}

void append_process_metric(std::string& out, std::string_view name, std::string_view type,
                           std::string_view help, double value) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, value);
}

const prometheus::Histogram::BucketBoundaries& duration_buckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return kBuckets;
}

}  // namespace

struct Metrics::Impl {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();

  prometheus::Family<prometheus::Counter>& requests =
      prometheus::BuildCounter()
          .Name("http_requests_total")
          .Help("HTTP requests handled, by method, route template and status code.")
          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& durations =
      prometheus::BuildHistogram()
          .Name("http_request_duration_seconds")
          .Help("HTTP request latency in seconds, by method and route template.")
          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& pool =
      prometheus::BuildGauge()
          .Name("db_pool_connections")
          .Help("Database pool connections by state (idle, in_use, max).")
          .Register(*registry);
  prometheus::Gauge& pool_idle = pool.Add({{"state", "idle"}});
  prometheus::Gauge& pool_in_use = pool.Add({{"state", "in_use"}});
  prometheus::Gauge& pool_max = pool.Add({{"state", "max"}});

  prometheus::Family<prometheus::Counter>& jobs_enqueued =
      prometheus::BuildCounter()
          .Name("jobs_enqueued_total")
          .Help("Background jobs enqueued (counted when their transaction commits), by kind.")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& jobs_finished =
      prometheus::BuildCounter()
          .Name("jobs_finished_total")
          .Help(
              "Job attempts finished, by kind and outcome (succeeded, retried, dead, released, "
              "lease_lost).")
          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& job_durations =
      prometheus::BuildHistogram()
          .Name("job_duration_seconds")
          .Help("Time a job handler ran, in seconds, by kind.")
          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& job_depth =
      prometheus::BuildGauge()
          .Name("job_queue_depth")
          .Help("Jobs waiting to run (queued, due or scheduled for a retry), by kind.")
          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& job_dead =
      prometheus::BuildGauge()
          .Name("job_dead_letters")
          .Help(
              "Jobs that failed for good and wait for an operator (contractmgmt jobs retry), by "
              "kind.")
          .Register(*registry);
  std::mutex job_gauges_mutex;
  std::map<std::string, std::pair<prometheus::Gauge*, prometheus::Gauge*>> job_gauges;

  // Hot-path caches: Family::Add hashes the label map under its own lock; these map a flat key
  // to the metric pointer (stable for the family's lifetime, we never Remove them).
  std::shared_mutex cache_mutex;
  std::unordered_map<std::string, prometheus::Counter*, StringHash, std::equal_to<>> counters;
  std::unordered_map<std::string, prometheus::Histogram*, StringHash, std::equal_to<>> histograms;

  // contracts_active_total is a gauge by meaning, but its required name ends in `_total`, which
  // Prometheus lint (`promtool check metrics`) forbids for gauges. It is therefore exposed as
  // `untyped` from this map instead of as a prometheus-cpp Gauge family.
  std::mutex contracts_mutex;
  std::map<std::string, double> contracts_active;
  bool tenant_labels = false;

  std::mutex hooks_mutex;
  std::vector<std::function<void(Metrics&)>> hooks;

  // One scrape at a time, so hooks never run concurrently with each other.
  std::mutex render_mutex;

  std::optional<double> start_time_seconds;

  template <class Metric, class Factory>
  Metric& cached(std::unordered_map<std::string, Metric*, StringHash, std::equal_to<>>& cache,
                 const std::string& key, Factory&& make) {
    {
      std::shared_lock lock(cache_mutex);
      if (const auto it = cache.find(key); it != cache.end()) return *it->second;
    }
    std::unique_lock lock(cache_mutex);
    auto& slot = cache[key];
    if (slot == nullptr) slot = &make();
    return *slot;
  }
};

Metrics::Metrics(MetricsOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->tenant_labels = options.tenant_labels;
  const auto stat = read_proc_stat();
  const auto boot = read_boot_time_seconds();
  if (stat && boot) {
    impl_->start_time_seconds =
        *boot + stat->start_ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
}

Metrics::~Metrics() = default;

void Metrics::record_http_request(std::string_view method, std::string_view route, int status,
                                  double seconds) {
  const std::string_view m = normalize_method(method);
  std::string key;
  key.reserve(m.size() + route.size() + 6);
  key.append(m).push_back('\0');
  key.append(route);
  auto& histogram = impl_->cached(impl_->histograms, key, [&]() -> prometheus::Histogram& {
    return impl_->durations.Add({{"method", std::string(m)}, {"route", std::string(route)}},
                                duration_buckets());
  });
  const std::string status_text = std::to_string(status);
  key.push_back('\0');
  key.append(status_text);
  auto& counter = impl_->cached(impl_->counters, key, [&]() -> prometheus::Counter& {
    return impl_->requests.Add(
        {{"method", std::string(m)}, {"route", std::string(route)}, {"status", status_text}});
  });
  counter.Increment();
  histogram.Observe(seconds);
}

void Metrics::set_db_pool(int idle, int in_use, int max) {
  impl_->pool_idle.Set(idle);
  impl_->pool_in_use.Set(in_use);
  impl_->pool_max.Set(max);
}

void Metrics::set_contracts_active(const std::string& org_id, double count) {
  std::lock_guard lock(impl_->contracts_mutex);
  impl_->contracts_active[org_id] = count;
}

void Metrics::clear_contracts_active() {
  std::lock_guard lock(impl_->contracts_mutex);
  impl_->contracts_active.clear();
}

void Metrics::record_job_enqueued(std::string_view kind) {
  impl_->jobs_enqueued.Add({{"kind", std::string(kind)}}).Increment();
}

void Metrics::record_job_finished(std::string_view kind, std::string_view outcome) {
  impl_->jobs_finished.Add({{"kind", std::string(kind)}, {"outcome", std::string(outcome)}})
      .Increment();
}

void Metrics::observe_job_duration(std::string_view kind, double seconds) {
  impl_->job_durations.Add({{"kind", std::string(kind)}}, job_duration_buckets()).Observe(seconds);
}

void Metrics::set_job_gauges(const std::map<std::string, double>& queued,
                             const std::map<std::string, double>& dead) {
  std::lock_guard lock(impl_->job_gauges_mutex);
  auto& gauges = impl_->job_gauges;
  const auto ensure = [&](const std::string& kind) {
    auto& slot = gauges[kind];
    if (slot.first == nullptr) {
      slot.first = &impl_->job_depth.Add({{"kind", kind}});
      slot.second = &impl_->job_dead.Add({{"kind", kind}});
    }
  };
  for (const auto& [kind, n] : queued) ensure(kind);
  for (const auto& [kind, n] : dead) ensure(kind);
  for (auto& [kind, pair] : gauges) {
    const auto q = queued.find(kind);
    const auto d = dead.find(kind);
    pair.first->Set(q == queued.end() ? 0 : q->second);
    pair.second->Set(d == dead.end() ? 0 : d->second);
  }
}

prometheus::Registry& Metrics::registry() {
  return *impl_->registry;
}

void Metrics::add_scrape_hook(std::function<void(Metrics&)> hook) {
  std::lock_guard lock(impl_->hooks_mutex);
  impl_->hooks.push_back(std::move(hook));
}

std::string Metrics::render() {
  std::lock_guard render_lock(impl_->render_mutex);

  std::vector<std::function<void(Metrics&)>> hooks;
  {
    std::lock_guard lock(impl_->hooks_mutex);
    hooks = impl_->hooks;
  }
  for (auto& hook : hooks) hook(*this);

  auto families = impl_->registry->Collect();
  {
    prometheus::MetricFamily contracts;
    contracts.name = "contracts_active_total";
    contracts.help = impl_->tenant_labels
                         ? "Contracts currently active (gauge semantics), by organization."
                         : "Contracts currently active (gauge semantics).";
    contracts.type = prometheus::MetricType::Untyped;
    std::lock_guard lock(impl_->contracts_mutex);
    if (impl_->tenant_labels) {
      for (const auto& [org_id, count] : impl_->contracts_active) {
        prometheus::ClientMetric metric;
        metric.label.push_back({"org_id", org_id});
        metric.untyped.value = count;
        contracts.metric.push_back(std::move(metric));
      }
    } else {
      prometheus::ClientMetric metric;
      for (const auto& [org_id, count] : impl_->contracts_active) metric.untyped.value += count;
      contracts.metric.push_back(std::move(metric));
    }
    families.push_back(std::move(contracts));
  }

  std::ostringstream text;
  prometheus::TextSerializer().Serialize(text, families);
  std::string out = std::move(text).str();

  if (const auto stat = read_proc_stat()) {
    append_process_metric(out, "process_cpu_seconds_total", "counter",
                          "Total user and system CPU time spent in seconds.", stat->cpu_seconds);
    append_process_metric(out, "process_resident_memory_bytes", "gauge",
                          "Resident memory size in bytes.", stat->resident_bytes);
    append_process_metric(out, "process_virtual_memory_bytes", "gauge",
                          "Virtual memory size in bytes.", stat->virtual_bytes);
  }
  if (const auto fds = count_open_fds()) {
    append_process_metric(out, "process_open_fds", "gauge", "Number of open file descriptors.",
                          *fds);
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    append_process_metric(out, "process_max_fds", "gauge",
                          "Maximum number of open file descriptors.",
                          static_cast<double>(limit.rlim_cur));
  }
  if (impl_->start_time_seconds) {
    append_process_metric(out, "process_start_time_seconds", "gauge",
                          "Start time of the process since unix epoch in seconds.",
                          *impl_->start_time_seconds);
  }
  return out;
}

}  // namespace cm::obs
