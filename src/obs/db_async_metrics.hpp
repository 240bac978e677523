// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Metrics of the asynchronous PostgreSQL read path (DB_ASYNC_CONNECTIONS), registered on the
// process's Metrics only when that path is on:
//   db_async_queue_depth               gauge: queries accepted and not yet answered (at scrape)
//   db_async_batch_size                histogram: queries per round trip (one Sync)
//   db_async_reconnects_total{result}  counter: connection attempts while serving, ok | failed
//   db_async_timeouts_total            counter: connections dropped because a query outlived
//                                      DB_ASYNC_QUERY_TIMEOUT_MS
// The storage layer knows no Prometheus: src/app forwards the client's observer calls here.

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
template <typename T>
class Family;
}  // namespace prometheus

namespace cm::obs {

class Metrics;

class DbAsyncMetrics {
 public:
  // Registers the families on `metrics`, which must outlive this object.
  explicit DbAsyncMetrics(Metrics& metrics);

  void set_queue_depth(double queries);
  void observe_batch(double queries);
  void count_reconnect(bool ok);
  void count_timeout();

 private:
  prometheus::Gauge& queue_depth_;
  prometheus::Histogram& batch_size_;
  prometheus::Family<prometheus::Counter>& reconnects_;
  prometheus::Counter& reconnects_ok_;
  prometheus::Counter& reconnects_failed_;
  prometheus::Counter& timeouts_;
};

}  // namespace cm::obs
