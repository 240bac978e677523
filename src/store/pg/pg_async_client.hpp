// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The asynchronous PostgreSQL client: libpq connections in pipeline mode, each watched by Asio on
// one of the server's event loops (io_contexts, each run by exactly one thread). Concurrent
// requests' queries are written back to back on one connection (one batch in flight per
// connection; the next gathers meanwhile) and their results read as they arrive, so no thread
// blocks on a round trip. Every loop has its own connections: a query made
// on a loop's thread goes to one of that loop's connections and is answered on the same thread,
// so a request's whole path stays on one thread. Queries from other threads go to the
// connections round-robin and are answered on the connection's loop.
// libpq-fe.h and Asio stay in the .cpp; this header only forward-declares the io_context.
//
// Failure handling, all without blocking an I/O thread:
// - (re)connecting is libpq's non-blocking connect driven by Asio, bounded by connect_timeout;
//   queries that arrive meanwhile wait for it (bounded by max_queued);
// - a failed attempt starts an exponential backoff (backoff_min doubling to backoff_max) during
//   which queries fail at once as unavailable; the first query after it tries again;
// - when the oldest outstanding query of a connection is older than query_timeout, every query
//   on that connection fails as unavailable and the connection is closed (the next query
//   reconnects).

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "store/async_database.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace cm::store {

// What the client reports, for metrics and logs. Called on the loops' threads, several at once:
// implementations must be thread-safe and quick.
class PgAsyncObserver {
 public:
  virtual ~PgAsyncObserver() = default;
  // Queries closed by one Sync (one round trip).
  virtual void batch_sent(std::size_t queries) noexcept = 0;
  // A connection attempt made while serving (after a lost or timed-out connection, or the first
  // one without connect_now) succeeded or failed.
  virtual void reconnected() noexcept = 0;
  virtual void reconnect_failed(const std::string& reason) noexcept = 0;
  // A connection was dropped because its oldest query outlived query_timeout.
  virtual void query_timed_out() noexcept = 0;
};

struct PgAsyncOptions {
  std::string url;               // handed to libpq unchanged
  int connections = 1;           // pipelines per loop; a loop's queries go to its own round-robin
  std::size_t max_queued = 512;  // per connection; beyond it queries fail as unavailable (503)
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds query_timeout{5'000};
  std::chrono::milliseconds backoff_min{100};
  std::chrono::milliseconds backoff_max{5'000};
  // true: the constructor connects every connection (blocking, bounded by connect_timeout) and
  // throws when it cannot; false: the first query on each connection connects asynchronously.
  bool connect_now = true;
  PgAsyncObserver* observer = nullptr;  // optional; must outlive the client
};

class PgAsyncClient final : public AsyncDatabase {
 public:
  // `options.connections` pipelines on each loop of `loops`; each loop must be run by exactly one
  // thread. With options.connect_now, connects now (blocking, at start-up) and throws
  // DbError(unavailable) when it cannot. Must be destroyed before the loops and after the last
  // query completed with the loops no longer running (the server has drained).
  PgAsyncClient(std::vector<boost::asio::io_context*> loops, PgAsyncOptions options);
  // One loop.
  PgAsyncClient(boost::asio::io_context& io, PgAsyncOptions options);
  ~PgAsyncClient() override;
  PgAsyncClient(const PgAsyncClient&) = delete;
  PgAsyncClient& operator=(const PgAsyncClient&) = delete;

  void query(std::string sql, std::vector<Param> params, QueryCallback done) override;

  // Queries accepted and not yet answered, over all connections (any thread).
  std::size_t queue_depth() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cm::store
