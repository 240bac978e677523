// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// The storage seam: one small SQL interface with two implementations, SQLite (embedded default)
// and PostgreSQL (libpq). Repositories write portable SQL against it; where the dialects really
// differ they ask `dialect()`. No sqlite3 or libpq header leaks past src/store/{sqlite,pg}.
//
// SQL uses PostgreSQL-style numbered placeholders `$1, $2, ...` on both backends (SQLite binds
// them by name). Values travel as text on the wire for PostgreSQL and natively for SQLite; rows
// come back as optional strings with typed accessors.

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cm::store {

enum class Dialect { sqlite, postgres };

using Param = std::variant<std::nullptr_t, std::int64_t, std::string, bool, double>;

// Helpers so optional values bind as NULL.
inline Param opt(const std::optional<std::string>& v) {
  return v ? Param{*v} : Param{nullptr};
}
inline Param opt(const std::optional<std::int64_t>& v) {
  return v ? Param{*v} : Param{nullptr};
}

class Row {
 public:
  explicit Row(std::vector<std::optional<std::string>> cells) : cells_(std::move(cells)) {}
  std::size_t size() const noexcept { return cells_.size(); }
  bool is_null(std::size_t i) const { return !cells_.at(i).has_value(); }
  const std::string& text(std::size_t i) const;  // throws on NULL
  std::optional<std::string> opt_text(std::size_t i) const { return cells_.at(i); }
  std::int64_t int64(std::size_t i) const;  // throws on NULL or non-integer
  std::optional<std::int64_t> opt_int64(std::size_t i) const;
  bool boolean(std::size_t i) const;  // accepts 1/0, t/f, true/false
  double real(std::size_t i) const;

 private:
  std::vector<std::optional<std::string>> cells_;
};

struct QueryResult {
  std::vector<Row> rows;
  std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
  bool empty() const noexcept { return rows.empty(); }
};

// A database failure. Repositories translate the kinds they understand (a unique violation
// becomes a 409); everything else propagates and becomes a logged 500/503.
class DbError : public std::runtime_error {
 public:
  enum class Kind {
    unique_violation,
    foreign_key_violation,
    check_violation,
    serialization_failure,  // retry the transaction
    unavailable,            // connection lost, server down, pool exhausted, busy past timeout
    other,
  };
  DbError(Kind kind, const std::string& message, std::string constraint = {})
      : std::runtime_error(message), kind_(kind), constraint_(std::move(constraint)) {}
  Kind kind() const noexcept { return kind_; }
  const std::string& constraint() const noexcept { return constraint_; }

 private:
  Kind kind_;
  std::string constraint_;
};

// One connection, leased from the pool. Statements are prepared once per connection and cached
// by their SQL text.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const noexcept = 0;
  virtual QueryResult execute(std::string_view sql, std::span<const Param> params) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual void execute_script(std::string_view sql) = 0;

  // Transaction control, used by Transaction. Backends may override: SQLite serializes its
  // writers in-process instead of letting them spin on the file lock.
  virtual void begin(bool write) {
    execute_script("BEGIN");
    (void)write;
  }
  virtual void commit() { execute_script("COMMIT"); }
  virtual void rollback() { execute_script("ROLLBACK"); }

  QueryResult query(std::string_view sql, std::initializer_list<Param> params = {}) {
    return execute(sql, std::span<const Param>(params.begin(), params.size()));
  }
  QueryResult query(std::string_view sql, const std::vector<Param>& params) {
    return execute(sql, std::span<const Param>(params.data(), params.size()));
  }
};

struct PoolStats {
  int idle = 0;
  int in_use = 0;
  int max = 0;
  std::int64_t acquire_timeouts = 0;
};

// A pool of connections. Leases return their connection when destroyed; a connection that
// failed at the transport level is discarded and replaced on the next acquire, so the service
// recovers by itself after the database restarts.
class Database {
 public:
  class Lease {
   public:
    Lease(Database* owner, std::unique_ptr<Connection> conn)
        : owner_(owner), conn_(std::move(conn)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&& other) noexcept {
      if (this != &other) {
        if (owner_ && conn_) owner_->release(std::move(conn_));
        owner_ = other.owner_;
        conn_ = std::move(other.conn_);
      }
      return *this;
    }
    ~Lease() {
      if (owner_ && conn_) owner_->release(std::move(conn_));
    }
    Connection& operator*() const noexcept { return *conn_; }
    Connection* operator->() const noexcept { return conn_.get(); }

   private:
    Database* owner_;
    std::unique_ptr<Connection> conn_;
  };

  virtual ~Database() = default;
  virtual Dialect dialect() const noexcept = 0;
  // Waits up to the acquire timeout; throws DbError(unavailable) when none frees up.
  virtual Lease acquire() = 0;
  virtual PoolStats stats() const = 0;
  // A cheap round trip, for readiness.
  virtual bool ping() noexcept = 0;

 protected:
  virtual void release(std::unique_ptr<Connection> conn) noexcept = 0;
};

// RAII transaction: rolls back unless commit() was called. `write` transactions on SQLite take
// the write lock up front (BEGIN IMMEDIATE) so two writers never deadlock on lock upgrade.
class Transaction {
 public:
  enum class Mode { read, write };
  Transaction(Connection& conn, Mode mode);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();
  Connection& connection() noexcept { return conn_; }
  // Runs `fn` after a successful commit, never after a rollback: in-process notifications (wake
  // a worker, count an enqueued job) that must not fire for a change that did not happen. `fn`
  // must not throw.
  void after_commit(std::function<void()> fn) { after_commit_.push_back(std::move(fn)); }

 private:
  Connection& conn_;
  bool done_ = false;
  std::vector<std::function<void()>> after_commit_;
};

struct DatabaseOptions {
  std::string url;  // sqlite:///abs/path.db, sqlite://./rel.db, sqlite::memory:, postgresql://...
  int pool_min = 2;
  int pool_max = 10;
  std::chrono::milliseconds acquire_timeout{5'000};
  std::chrono::milliseconds busy_timeout{5'000};  // SQLite lock wait
};

// Opens the backend named by the URL scheme. Throws std::invalid_argument for a URL it cannot
// use and DbError(unavailable) when the database cannot be reached.
std::unique_ptr<Database> open_database(const DatabaseOptions& options);

}  // namespace cm::store
