// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/database.hpp"

#include <charconv>
#include <stdexcept>
#include <string>
#include <system_error>

#include "store/pg/pg_database.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace cm::store {

namespace {

[[noreturn]] void throw_bad_cell(std::size_t i, std::string_view what, std::string_view value) {
  // The value is included because a malformed cell is a schema/query bug the reader must see;
  // cells never carry secrets in this schema (password hashes are only read as text).
  throw DbError(DbError::Kind::other, "column " + std::to_string(i) + " is not " +
                                          std::string(what) + ": '" + std::string(value) + "'");
}

}  // namespace

const std::string& Row::text(std::size_t i) const {
  const auto& cell = cells_.at(i);
  if (!cell) throw DbError(DbError::Kind::other, "column " + std::to_string(i) + " is NULL");
  return *cell;
}

std::int64_t Row::int64(std::size_t i) const {
  const std::string& s = text(i);
  std::int64_t value = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, value);
  // Strict: the whole cell must be the number, so "12abc" or "1.5" never pass as 12 or 1.
  if (s.empty() || ec != std::errc{} || ptr != end) throw_bad_cell(i, "an integer", s);
  return value;
}

std::optional<std::int64_t> Row::opt_int64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return int64(i);
}

bool Row::boolean(std::size_t i) const {
  const std::string& s = text(i);
  // SQLite stores booleans as 0/1, PostgreSQL's text format renders them as t/f.
  if (s == "1" || s == "t" || s == "true") return true;
  if (s == "0" || s == "f" || s == "false") return false;
  throw_bad_cell(i, "a boolean", s);
}

double Row::real(std::size_t i) const {
  const std::string& s = text(i);
  double value = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, value);
  if (s.empty() || ec != std::errc{} || ptr != end) throw_bad_cell(i, "a number", s);
  return value;
}

Transaction::Transaction(Connection& conn, Mode mode) : conn_(conn) {
  conn_.begin(mode == Mode::write);
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    conn_.rollback();
  } catch (const std::exception&) {
    // A destructor must not throw, and this one usually runs while another exception unwinds.
    // A connection whose rollback failed is still inside a transaction; the pool checks that on
    // release and rolls back again or discards the connection.
  }
}

void Transaction::commit() {
  conn_.commit();
  // Only after success: a failed COMMIT on SQLite (e.g. busy) leaves the transaction open, and
  // the destructor must then roll it back.
  done_ = true;
  for (auto& fn : after_commit_) fn();
  after_commit_.clear();
}

namespace {

constexpr std::string_view kSqliteMemory = "sqlite::memory:";
constexpr std::string_view kSqlitePrefix = "sqlite://";

// The scheme only: URLs can carry passwords and must not end up in logs via an exception text.
std::string scheme_of(std::string_view url) {
  auto colon = url.find(':');
  return colon == std::string_view::npos ? std::string("(none)")
                                         : std::string(url.substr(0, colon));
}

}  // namespace

std::unique_ptr<Database> open_database(const DatabaseOptions& options) {
  if (options.pool_max < 1)
    throw std::invalid_argument("database pool_max must be at least 1, got " +
                                std::to_string(options.pool_max));
  if (options.pool_min < 0 || options.pool_min > options.pool_max)
    throw std::invalid_argument("database pool_min must be between 0 and pool_max (" +
                                std::to_string(options.pool_max) + "), got " +
                                std::to_string(options.pool_min));
  if (options.acquire_timeout.count() < 0 || options.busy_timeout.count() < 0)
    throw std::invalid_argument("database timeouts must not be negative");

  const std::string_view url = options.url;
  if (url == kSqliteMemory)
    return std::make_unique<SqliteDatabase>(SqliteTarget::memory, "", options);
  if (url.starts_with(kSqlitePrefix)) {
    std::string_view path = url.substr(kSqlitePrefix.size());
    if (path.empty())
      throw std::invalid_argument(
          "SQLite database URL has no path: use sqlite:///abs/path.db, sqlite://./rel/path.db "
          "or sqlite::memory:");
    if (path.find('?') != std::string_view::npos)
      throw std::invalid_argument("SQLite database URL must not have query parameters: '" +
                                  std::string(url) + "'");
    return std::make_unique<SqliteDatabase>(SqliteTarget::file, std::string(path), options);
  }
  if (url.starts_with("postgres://") || url.starts_with("postgresql://"))
    return std::make_unique<PgDatabase>(options);
  throw std::invalid_argument("unsupported database URL scheme '" + scheme_of(url) +
                              "': expected sqlite:///abs/path.db, sqlite://./rel/path.db, "
                              "sqlite::memory:, postgres:// or postgresql://");
}

}  // namespace cm::store
