// SPDX-License-Identifier: AGPL-3.0-or-later
#include "obs/db_async_metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "obs/metrics.hpp"

namespace cm::obs {

DbAsyncMetrics::DbAsyncMetrics(Metrics& metrics)
    : queue_depth_(prometheus::BuildGauge()
                       .Name("db_async_queue_depth")
                       .Help("Queries accepted by the asynchronous PostgreSQL client and not yet "
                             "answered.")
                       .Register(metrics.registry())
                       .Add({})),
      batch_size_(prometheus::BuildHistogram()
                      .Name("db_async_batch_size")
                      .Help("Queries sent to PostgreSQL in one round trip (one pipeline Sync).")
                      .Register(metrics.registry())
                      .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128,
                                                                       256, 512})),
      reconnects_(prometheus::BuildCounter()
                      .Name("db_async_reconnects_total")
                      .Help("Connection attempts of the asynchronous PostgreSQL client while "
                            "serving, by result.")
                      .Register(metrics.registry())),
      reconnects_ok_(reconnects_.Add({{"result", "ok"}})),
      reconnects_failed_(reconnects_.Add({{"result", "failed"}})),
      timeouts_(prometheus::BuildCounter()
                    .Name("db_async_timeouts_total")
                    .Help("Asynchronous PostgreSQL connections dropped because a query did not "
                          "answer within DB_ASYNC_QUERY_TIMEOUT_MS.")
                    .Register(metrics.registry())
                    .Add({})) {}

void DbAsyncMetrics::set_queue_depth(double queries) {
  queue_depth_.Set(queries);
}

void DbAsyncMetrics::observe_batch(double queries) {
  batch_size_.Observe(queries);
}

void DbAsyncMetrics::count_reconnect(bool ok) {
  (ok ? reconnects_ok_ : reconnects_failed_).Increment();
}

void DbAsyncMetrics::count_timeout() {
  timeouts_.Increment();
}

}  // namespace cm::obs
