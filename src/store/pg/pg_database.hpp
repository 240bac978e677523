// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// PostgreSQL backend: a pool of libpq connections. libpq-fe.h stays in the .cpp; this header only
// exposes the Database implementation for open_database().

#include <memory>

#include "store/database.hpp"

namespace cm::store {

class PgDatabase final : public Database {
 public:
  // Connects options.pool_min connections now (options.url is handed to libpq unchanged);
  // throws DbError(unavailable) if the server cannot be reached. All leases must be returned
  // before the database is destroyed.
  explicit PgDatabase(const DatabaseOptions& options);
  ~PgDatabase() override;
  PgDatabase(const PgDatabase&) = delete;
  PgDatabase& operator=(const PgDatabase&) = delete;

  Dialect dialect() const noexcept override { return Dialect::postgres; }
  Lease acquire() override;
  PoolStats stats() const override;
  bool ping() noexcept override;

 protected:
  void release(std::unique_ptr<Connection> conn) noexcept override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cm::store
