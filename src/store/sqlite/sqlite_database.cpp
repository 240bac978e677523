// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "store/connection_pool.hpp"

namespace cm::store {

namespace {

// Repositories use a fixed set of SQL constants, so the cache stays small; the cap only guards
// against a caller that builds SQL dynamically.
constexpr std::size_t kMaxCachedStatements = 256;
constexpr std::chrono::milliseconds kPingTimeout{1'000};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

// "UNIQUE constraint failed: users.email" -> "users.email"
std::string constraint_from_message(std::string_view message) {
  constexpr std::string_view kMarker = "constraint failed: ";
  auto pos = message.find(kMarker);
  return pos == std::string_view::npos ? std::string{}
                                       : std::string(message.substr(pos + kMarker.size()));
}

[[noreturn]] void throw_sqlite_error(int rc, const std::string& message) {
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      throw DbError(DbError::Kind::unique_violation, message, constraint_from_message(message));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      throw DbError(DbError::Kind::foreign_key_violation, message);
    case SQLITE_CONSTRAINT_CHECK:
      throw DbError(DbError::Kind::check_violation, message, constraint_from_message(message));
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      // Another writer held the lock for longer than busy_timeout.
      throw DbError(DbError::Kind::unavailable, "database is busy");
    default:
      throw DbError(DbError::Kind::other, message);
  }
}

std::string format_double(double value) {
  char buf[32];
  // Shortest text that reads back to the same double; sqlite3_column_text would round to 15
  // significant digits.
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, end);
}

std::string format_int64(std::int64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, end);
}

// Resets a statement when a call is done with it, so a half-stepped SELECT never keeps a read
// transaction (and with it an old WAL snapshot) open, and bound text never dangles.
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementReset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

// One writer at a time per database file within this process. SQLite allows a single writer
// anyway; waiting on a mutex hands the lock over at once, where the busy handler would make
// the other writers poll and sleep (throughput collapsed to ~270 writes/s at 64 clients).
// A mutex and a condition variable rather than std::timed_mutex: libstdc++'s try_lock_for waits
// in pthread_mutex_clocklock, which ThreadSanitizer does not intercept, so it would see every
// release as an unlock of a mutex nobody locked, and nothing the gate orders.
class WriterGate {
 public:
  bool try_acquire_for(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!free_.wait_for(lock, timeout, [this] { return !held_; })) return false;
    held_ = true;
    return true;
  }
  void release() noexcept {
    {
      const std::lock_guard lock(mutex_);
      held_ = false;
    }
    free_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable free_;
  bool held_ = false;
};

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& filename, int flags, bool expect_wal,
                   std::chrono::milliseconds busy_timeout, std::shared_ptr<WriterGate> gate)
      : gate_(std::move(gate)), busy_timeout_(busy_timeout) {
    int rc = sqlite3_open_v2(filename.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      throw DbError(DbError::Kind::unavailable,
                    "cannot open SQLite database '" + filename + "': " + message);
    }
    sqlite3_extended_result_codes(db_, 1);
    try {
      // busy_timeout first: switching to WAL needs a lock another connection may hold briefly.
      execute_script("PRAGMA busy_timeout=" + std::to_string(busy_timeout.count()) +
                     "; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
      auto mode = execute("PRAGMA journal_mode=WAL", {});
      // journal_mode reports the mode it ended up in instead of failing; without WAL readers
      // block writers, so refuse to run silently degraded.
      if (expect_wal && (mode.rows.empty() || mode.rows[0].opt_text(0) != "wal"))
        throw DbError(DbError::Kind::other,
                      "cannot switch SQLite database '" + filename + "' to WAL journal mode");
    } catch (const DbError&) {
      close();
      throw;
    }
  }

  ~SqliteConnection() override {
    close();
    release_gate();
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const noexcept override { return Dialect::sqlite; }

  QueryResult execute(std::string_view sql, std::span<const Param> params) override {
    sqlite3_stmt* stmt = statement(sql);
    StatementReset reset(stmt);
    bind_all(stmt, params);

    QueryResult result;
    const sqlite3_int64 changes_before = sqlite3_total_changes64(db_);
    const int columns = sqlite3_column_count(stmt);
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(rc);
      std::vector<std::optional<std::string>> cells;
      cells.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) cells.push_back(read_cell(stmt, c));
      result.rows.emplace_back(std::move(cells));
    }
    // sqlite3_changes keeps the count of the last INSERT/UPDATE/DELETE, so a SELECT or DDL would
    // report a stale number; only trust it when this statement changed something.
    if (sqlite3_total_changes64(db_) != changes_before) result.affected = sqlite3_changes64(db_);
    return result;
  }

  void execute_script(std::string_view sql) override {
    const std::string text(sql);
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(rc);
  }

  // IMMEDIATE takes SQLite's write lock now; a deferred transaction that reads first and writes
  // later can fail with SQLITE_BUSY on the upgrade without the busy handler ever helping.
  void begin(bool write) override {
    if (!write) {
      execute_script("BEGIN");
      return;
    }
    if (!gate_->try_acquire_for(busy_timeout_))
      throw DbError(DbError::Kind::unavailable,
                    "database is busy (no write slot within the busy timeout)");
    holds_gate_ = true;
    try {
      execute_script("BEGIN IMMEDIATE");
    } catch (...) {
      release_gate();
      throw;
    }
  }

  void commit() override {
    execute_script("COMMIT");
    release_gate();
  }

  void rollback() override {
    execute_script("ROLLBACK");
    release_gate();
  }

  // Makes the connection ready for the next lease; false when it must be discarded.
  bool reset_for_reuse() noexcept {
    if (sqlite3_get_autocommit(db_)) {
      release_gate();
      return true;
    }
    // A lease returned inside a transaction (a bug or an unwinding exception whose ROLLBACK
    // failed): never hand an open transaction to the next user.
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    const bool clean = sqlite3_get_autocommit(db_) != 0;
    if (clean) release_gate();
    return clean;
  }

 private:
  sqlite3_stmt* statement(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    if (cache_.size() >= kMaxCachedStatements) clear_cache();

    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) fail(rc);
    if (stmt == nullptr)
      throw DbError(DbError::Kind::other, "SQL statement is empty: '" + std::string(sql) + "'");
    // Only the first statement would run; PostgreSQL rejects several statements in a prepared
    // query too, so fail the same way on both backends.
    std::string_view rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
    if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
      sqlite3_finalize(stmt);
      throw DbError(
          DbError::Kind::other,
          "several SQL statements in one query; use execute_script: '" + std::string(sql) + "'");
    }
    cache_.emplace(std::string(sql), stmt);
    return stmt;
  }

  void bind_all(sqlite3_stmt* stmt, std::span<const Param> params) {
    // $n placeholders are named parameters to SQLite: a name used twice shares one index, so
    // the count is the number of distinct placeholders, as in PostgreSQL.
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (expected != static_cast<int>(params.size()))
      throw DbError(DbError::Kind::other, "statement has " + std::to_string(expected) +
                                              " parameters but " + std::to_string(params.size()) +
                                              " were given: '" + sql_of(stmt) + "'");
    for (std::size_t i = 0; i < params.size(); ++i) {
      const std::string name = "$" + std::to_string(i + 1);
      const int index = sqlite3_bind_parameter_index(stmt, name.c_str());
      if (index == 0)
        throw DbError(
            DbError::Kind::other,
            "parameter " + name + " is not used by the statement: '" + sql_of(stmt) + "'");
      const int rc = std::visit(
          [&](const auto& value) -> int {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              return sqlite3_bind_null(stmt, index);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              return sqlite3_bind_int64(stmt, index, value);
            } else if constexpr (std::is_same_v<T, bool>) {
              return sqlite3_bind_int(stmt, index, value ? 1 : 0);
            } else if constexpr (std::is_same_v<T, double>) {
              return sqlite3_bind_double(stmt, index, value);
            } else {
              // SQLITE_STATIC: the parameter outlives the call and StatementReset clears the
              // binding before execute() returns.
              return sqlite3_bind_text64(stmt, index, value.data(), value.size(), SQLITE_STATIC,
                                         SQLITE_UTF8);
            }
          },
          params[i]);
      if (rc != SQLITE_OK) fail(rc);
    }
  }

  static std::optional<std::string> read_cell(sqlite3_stmt* stmt, int c) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_NULL:
        return std::nullopt;
      case SQLITE_INTEGER:
        return format_int64(sqlite3_column_int64(stmt, c));
      case SQLITE_FLOAT:
        return format_double(sqlite3_column_double(stmt, c));
      case SQLITE_BLOB: {
        const void* data = sqlite3_column_blob(stmt, c);
        const int size = sqlite3_column_bytes(stmt, c);
        return data ? std::string(static_cast<const char*>(data), static_cast<std::size_t>(size))
                    : std::string{};
      }
      default: {
        const auto* data = sqlite3_column_text(stmt, c);
        const int size = sqlite3_column_bytes(stmt, c);
        return data ? std::string(reinterpret_cast<const char*>(data),
                                  static_cast<std::size_t>(size))
                    : std::string{};
      }
    }
  }

  static std::string sql_of(sqlite3_stmt* stmt) {
    const char* sql = sqlite3_sql(stmt);
    return sql ? sql : "";
  }

  [[noreturn]] void fail(int rc) { throw_sqlite_error(rc, sqlite3_errmsg(db_)); }

  void clear_cache() noexcept {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }

  void close() noexcept {
    clear_cache();
    if (db_) sqlite3_close_v2(db_);
    db_ = nullptr;
  }

  void release_gate() noexcept {
    if (holds_gate_) {
      holds_gate_ = false;
      gate_->release();
    }
  }

  std::shared_ptr<WriterGate> gate_;
  std::chrono::milliseconds busy_timeout_;
  bool holds_gate_ = false;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*, StringHash, std::equal_to<>> cache_;
};

std::atomic<std::uint64_t> memory_database_counter{0};

}  // namespace

struct SqliteDatabase::Impl {
  DatabaseOptions options;
  std::string filename;  // what sqlite3_open_v2 gets
  int open_flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  bool memory = false;
  std::shared_ptr<WriterGate> gate = std::make_shared<WriterGate>();
  // A shared-cache memory database disappears with its last connection; this one keeps it alive
  // while the pool opens and discards connections.
  std::unique_ptr<SqliteConnection> memory_keeper;
  std::unique_ptr<ConnectionPool<SqliteConnection>> pool;  // made once the file name is known

  std::unique_ptr<SqliteConnection> open() const {
    return std::make_unique<SqliteConnection>(filename, open_flags, !memory, options.busy_timeout,
                                              gate);
  }
};

SqliteDatabase::SqliteDatabase(SqliteTarget target, std::string path,
                               const DatabaseOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  if (target == SqliteTarget::memory) {
    impl_->memory = true;
    impl_->open_flags |= SQLITE_OPEN_URI;
    impl_->filename =
        "file:cm-memory-" + std::to_string(++memory_database_counter) + "?mode=memory&cache=shared";
    impl_->memory_keeper = impl_->open();
  } else {
    const std::filesystem::path file(path);
    if (file.has_parent_path()) {
      std::error_code ec;
      std::filesystem::create_directories(file.parent_path(), ec);
      if (ec)
        throw DbError(DbError::Kind::unavailable, "cannot create directory '" +
                                                      file.parent_path().string() +
                                                      "' for the SQLite database: " + ec.message());
    }
    impl_->filename = std::move(path);
  }
  impl_->pool = std::make_unique<ConnectionPool<SqliteConnection>>(
      options.pool_min, options.pool_max, [impl = impl_.get()] { return impl->open(); });
}

SqliteDatabase::~SqliteDatabase() = default;

Database::Lease SqliteDatabase::acquire() {
  return Lease(this, impl_->pool->take(impl_->options.acquire_timeout));
}

void SqliteDatabase::release(std::unique_ptr<Connection> conn) noexcept {
  // Only this class creates the connections it gets back.
  std::unique_ptr<SqliteConnection> own(static_cast<SqliteConnection*>(conn.release()));
  const bool reusable = own->reset_for_reuse();
  impl_->pool->give_back(reusable ? std::move(own) : nullptr, reusable);
  // A discarded connection closes here, outside the pool's lock (closing may checkpoint the WAL).
}

PoolStats SqliteDatabase::stats() const {
  return impl_->pool->stats();
}

bool SqliteDatabase::ping() noexcept {
  try {
    Lease lease(this, impl_->pool->take(std::min(impl_->options.acquire_timeout, kPingTimeout)));
    return lease->query("SELECT 1").rows.size() == 1;
  } catch (const std::exception&) {
    // ping() answers readiness probes with a bool; the cause surfaces on the next real query.
    return false;
  }
}

}  // namespace cm::store
