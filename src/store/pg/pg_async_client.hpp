#pragma once
// The asynchronous PostgreSQL client: a few libpq connections in pipeline mode, each watched by
// Asio on the server's io_context. Concurrent requests' queries are written back to back on one
// connection and their results read as they arrive, so no thread blocks on a round trip.
// libpq-fe.h and Asio stay in the .cpp; this header only forward-declares the io_context.

#include <chrono>
#include <memory>
#include <string>

#include "store/async_database.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace cm::store {

struct PgAsyncOptions {
  std::string url;               // handed to libpq unchanged
  int connections = 1;           // pipelines; queries go to them round-robin
  std::size_t max_queued = 512;  // per connection; beyond it queries fail as unavailable (503)
  std::chrono::milliseconds connect_timeout{5'000};
};

class PgAsyncClient final : public AsyncDatabase {
 public:
  // Connects now (blocking, at start-up); throws DbError(unavailable) when it cannot. Must be
  // destroyed before `io` and after the last query completed (the server has drained).
  PgAsyncClient(boost::asio::io_context& io, PgAsyncOptions options);
  ~PgAsyncClient() override;
  PgAsyncClient(const PgAsyncClient&) = delete;
  PgAsyncClient& operator=(const PgAsyncClient&) = delete;

  void query(std::string sql, std::vector<Param> params, QueryCallback done) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cm::store
