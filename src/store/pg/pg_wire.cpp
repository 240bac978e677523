// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/pg/pg_wire.hpp"

#include <charconv>
#include <optional>
#include <type_traits>
#include <variant>

#include "core/strings.hpp"

namespace cm::store::pg {

namespace {

// PQcmdTuples also counts the rows of a SELECT; report only rows changed, as SQLite does.
std::int64_t affected_rows(const PGresult* res) {
  auto* r = const_cast<PGresult*>(res);  // libpq's accessors take non-const pointers
  const std::string_view tag = PQcmdStatus(r);
  if (!(tag.starts_with("INSERT") || tag.starts_with("UPDATE") || tag.starts_with("DELETE") ||
        tag.starts_with("MERGE")))
    return 0;
  const std::string_view count = PQcmdTuples(r);
  std::int64_t n = 0;
  std::from_chars(count.data(), count.data() + count.size(), n);
  return n;
}

}  // namespace

std::string error_text(std::string_view message) {
  return std::string(cm::trim(message));
}

TextParams::TextParams(std::span<const Param> params)
    : storage_(params.size()), values_(params.size(), nullptr) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    std::visit(
        [&](const auto& value) {
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>) {
            values_[i] = nullptr;
          } else if constexpr (std::is_same_v<T, bool>) {
            values_[i] = value ? "true" : "false";
          } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) {
            // Shortest round-trip text; PostgreSQL reads "inf"/"-inf"/"nan" too.
            char buf[32];
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
            storage_[i].assign(buf, end);
            values_[i] = storage_[i].c_str();
          } else {
            if (value.find('\0') != std::string::npos)
              throw DbError(DbError::Kind::other,
                            "text parameter $" + std::to_string(i + 1) + " contains a NUL byte");
            values_[i] = value.c_str();
          }
        },
        params[i]);
  }
}

QueryResult to_query_result(const PGresult* res) {
  auto* r = const_cast<PGresult*>(res);
  QueryResult result;
  const int rows = PQntuples(r);
  const int columns = PQnfields(r);
  result.rows.reserve(static_cast<std::size_t>(rows));
  for (int row = 0; row < rows; ++row) {
    std::vector<std::optional<std::string>> cells;
    cells.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(r, row, c)) {
        cells.emplace_back(std::nullopt);
      } else {
        cells.emplace_back(
            std::string(PQgetvalue(r, row, c), static_cast<std::size_t>(PQgetlength(r, row, c))));
      }
    }
    result.rows.emplace_back(std::move(cells));
  }
  result.affected = affected_rows(res);
  return result;
}

bool is_connection_sqlstate(std::string_view sqlstate) {
  return (sqlstate.starts_with("08") && sqlstate != "08P01") || sqlstate == "57P01" ||
         sqlstate == "57P02" || sqlstate == "57P03";
}

DbError translate_error(const PGresult* res, PGconn* conn, ExecStatusType status) {
  auto field = [&](int code) -> std::string {
    const char* v = res ? PQresultErrorField(res, code) : nullptr;
    return v ? v : "";
  };
  const std::string sqlstate = field(PG_DIAG_SQLSTATE);
  std::string message = field(PG_DIAG_MESSAGE_PRIMARY);
  if (message.empty()) message = error_text(PQerrorMessage(conn));
  if (message.empty()) message = PQresStatus(status);
  if (!sqlstate.empty()) message = "PostgreSQL error " + sqlstate + ": " + message;

  if (PQstatus(conn) != CONNECTION_OK || is_connection_sqlstate(sqlstate))
    return DbError(DbError::Kind::unavailable, "PostgreSQL connection lost: " + message);
  if (sqlstate == "23505")
    return DbError(DbError::Kind::unique_violation, message, field(PG_DIAG_CONSTRAINT_NAME));
  if (sqlstate == "23503")
    return DbError(DbError::Kind::foreign_key_violation, message, field(PG_DIAG_CONSTRAINT_NAME));
  if (sqlstate == "23514")
    return DbError(DbError::Kind::check_violation, message, field(PG_DIAG_CONSTRAINT_NAME));
  if (sqlstate == "40001" || sqlstate == "40P01")
    return DbError(DbError::Kind::serialization_failure, message);
  return DbError(DbError::Kind::other, message);
}

}  // namespace cm::store::pg
