// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// What the blocking connection (pg_database.cpp) and the pipeline client (pg_async_client.cpp)
// share about talking to PostgreSQL: parameters in text format, results as rows of optional
// strings, and SQLSTATEs translated into DbError kinds. Internal to the PostgreSQL backend; the
// only header besides those two .cpp files that includes libpq.

#include <libpq-fe.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace cm::store::pg {

struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// libpq's messages end in a newline; ours should not.
std::string error_text(std::string_view message);

// Parameters as libpq's text format wants them. Text values point into the caller's Params,
// which must outlive the call; a text value with a NUL byte is refused (it would be cut short).
class TextParams {
 public:
  explicit TextParams(std::span<const Param> params);
  const char* const* values() const noexcept { return values_.data(); }
  int count() const noexcept { return static_cast<int>(values_.size()); }

 private:
  std::vector<std::string> storage_;
  std::vector<const char*> values_;
};

QueryResult to_query_result(const PGresult* res);

// Connection class 08 (except 08P01, which PostgreSQL also uses for a wrong parameter count on a
// connection that stays fine) and 57P01-57P03 (server shutting down or starting).
bool is_connection_sqlstate(std::string_view sqlstate);

// The error of a failed statement. Connection failures are `unavailable` (the caller discards
// the connection); unique/foreign-key/check violations and serialization failures keep their
// kind. The DETAIL line is left out on purpose: it echoes row values (e-mail addresses, names).
DbError translate_error(const PGresult* res, PGconn* conn, ExecStatusType status);

}  // namespace cm::store::pg
