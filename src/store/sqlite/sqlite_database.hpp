// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// SQLite backend: a pool of sqlite3 connections to one database file in WAL mode. sqlite3.h stays
// in the .cpp; this header only exposes the Database implementation for open_database().

#include <memory>
#include <string>

#include "store/database.hpp"

namespace cm::store {

enum class SqliteTarget {
  file,    // `path` is a file path; missing parent directories are created
  memory,  // a private shared-cache in-memory database, for tests; `path` is ignored
};

class SqliteDatabase final : public Database {
 public:
  // Opens options.pool_min connections now; throws DbError(unavailable) if the file cannot be
  // opened. All leases must be returned before the database is destroyed.
  SqliteDatabase(SqliteTarget target, std::string path, const DatabaseOptions& options);
  ~SqliteDatabase() override;
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  Dialect dialect() const noexcept override { return Dialect::sqlite; }
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
