// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// A non-blocking way to run one statement, for the hot read paths. The caller starts the query
// and returns; `done` is called later, exactly once, on one of the server's I/O threads (never
// inline in query()), with the result or the DbError the synchronous Connection would have
// thrown. No thread ever waits for the database on this path.
//
// Each query runs alone in an implicit transaction (autocommit): use Database/Connection for
// anything that needs a transaction. Only PostgreSQL implements it (PgAsyncClient); on SQLite
// there is no AsyncDatabase and handlers take their synchronous path.

#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace cm::store {

// `error` is null on success. The callback must not block: it runs on an I/O thread.
using QueryCallback = std::function<void(std::exception_ptr error, QueryResult result)>;

class AsyncDatabase {
 public:
  virtual ~AsyncDatabase() = default;
  // `sql` should be a constant of the caller's (statements are prepared once per connection and
  // cached by their text). Throws nothing; overload and connection failures arrive in `done` as
  // DbError(unavailable).
  virtual void query(std::string sql, std::vector<Param> params, QueryCallback done) = 0;
};

}  // namespace cm::store
