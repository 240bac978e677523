// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/pg/pg_database.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/strings.hpp"
#include "store/connection_pool.hpp"
#include "store/pg/pg_wire.hpp"

namespace cm::store {

namespace {

// Repositories use a fixed set of SQL constants, so the cache stays small; the cap only guards
// against a caller that builds SQL dynamically.
constexpr std::size_t kMaxPreparedStatements = 256;
constexpr std::chrono::milliseconds kPingTimeout{1'000};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

using pg::error_text;
using pg::ResultPtr;

class PgConnection final : public Connection {
 public:
  PgConnection(const std::string& url, std::chrono::milliseconds connect_timeout) {
    // Keywords before "dbname" are defaults the URL may override (libpq keeps the last value).
    const std::string timeout_s =
        std::to_string(std::max<std::int64_t>(2, (connect_timeout.count() + 999) / 1000));
    const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {timeout_s.c_str(), "contractmgmt", url.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (conn_ == nullptr)
      throw DbError(DbError::Kind::unavailable, "cannot allocate a PostgreSQL connection");
    if (PQstatus(conn_) != CONNECTION_OK) {
      // libpq's message names host and port, never the password.
      std::string message = error_text(PQerrorMessage(conn_));
      PQfinish(conn_);
      throw DbError(DbError::Kind::unavailable, "cannot connect to PostgreSQL: " + message);
    }
    try {
      // UTC so timestamptz text is the same whatever the server's default; warnings only, so
      // routine NOTICEs (IF NOT EXISTS ...) do not spam stderr through libpq.
      execute_script("SET client_min_messages = warning; SET TimeZone = 'UTC'");
    } catch (const DbError&) {
      PQfinish(conn_);
      throw;
    }
  }

  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Dialect dialect() const noexcept override { return Dialect::postgres; }

  QueryResult execute(std::string_view sql, std::span<const Param> params) override {
    if (broken_) throw DbError(DbError::Kind::unavailable, "PostgreSQL connection lost");
    const std::string& name = prepare(sql);

    const pg::TextParams text(params);
    ResultPtr res(PQexecPrepared(conn_, name.c_str(), text.count(), text.values(), nullptr, nullptr,
                                 /*resultFormat=*/0));
    const ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail(res.get(), status);

    return pg::to_query_result(res.get());
  }

  void execute_script(std::string_view sql) override {
    if (broken_) throw DbError(DbError::Kind::unavailable, "PostgreSQL connection lost");
    // A COMMIT that failed has already ended the transaction on PostgreSQL; the Transaction
    // destructor's ROLLBACK would then only print "WARNING: there is no transaction in progress".
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE && iequals(trim(sql), "ROLLBACK")) return;
    const std::string text(sql);
    // PQexec runs several statements in one simple-protocol round trip and returns the last
    // result, or the first error.
    ResultPtr res(PQexec(conn_, text.c_str()));
    const ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
      fail(res.get(), status);
    // PostgreSQL answers COMMIT of a transaction that already failed with "ROLLBACK" and no
    // error; a caller that swallowed the statement error must not believe its writes landed.
    if ((iequals(trim(sql), "COMMIT") || iequals(trim(sql), "END")) &&
        std::string_view(PQcmdStatus(res.get())) == "ROLLBACK")
      throw DbError(DbError::Kind::other,
                    "COMMIT rolled back: an earlier statement in the transaction failed");
  }

  // Called when leased: an idle connection whose server went away (restart, failover, idle
  // timeout) still says CONNECTION_OK until libpq touches the socket, so look at the socket.
  bool healthy() noexcept {
    if (broken_ || PQstatus(conn_) != CONNECTION_OK) return false;
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) return false;
    pollfd pfd{PQsocket(conn_), POLLIN, 0};
    if (pfd.fd < 0) return false;
    const int n = ::poll(&pfd, 1, 0);
    // We never LISTEN, so an idle connection has nothing to read unless the server closed it or
    // sent a FATAL error before closing.
    return n == 0;
  }

  // Makes the connection ready for the next lease; false when it must be discarded.
  bool reset_for_reuse() noexcept {
    if (broken_ || PQstatus(conn_) != CONNECTION_OK) return false;
    switch (PQtransactionStatus(conn_)) {
      case PQTRANS_IDLE:
        return true;
      case PQTRANS_INTRANS:
      case PQTRANS_INERROR: {
        // Never hand an open transaction to the next user.
        ResultPtr res(PQexec(conn_, "ROLLBACK"));
        return PQtransactionStatus(conn_) == PQTRANS_IDLE;
      }
      default:  // a query still running, or unknown: the protocol state is not ours to fix
        return false;
    }
  }

  // SELECT 1 with a deadline: a server that accepts the connection but never answers must not
  // hang a readiness probe. A timed-out connection is left busy, so it is marked broken.
  bool ping(std::chrono::milliseconds timeout) noexcept {
    if (broken_) return false;
    if (!PQsendQuery(conn_, "SELECT 1")) return mark_broken();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (PQisBusy(conn_)) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return mark_broken();
      pollfd pfd{PQsocket(conn_), POLLIN, 0};
      const int n = ::poll(&pfd, 1, static_cast<int>(left.count()));
      if (n < 0 && errno != EINTR) return mark_broken();
      if (n > 0 && !PQconsumeInput(conn_)) return mark_broken();
    }
    bool ok = true;
    while (PGresult* r = PQgetResult(conn_)) {
      if (PQresultStatus(r) != PGRES_TUPLES_OK) ok = false;
      PQclear(r);
    }
    if (PQstatus(conn_) != CONNECTION_OK) broken_ = true;
    return ok && !broken_;
  }

 private:
  const std::string& prepare(std::string_view sql) {
    if (auto it = prepared_.find(sql); it != prepared_.end()) return it->second;
    if (prepared_.size() >= kMaxPreparedStatements) {
      // DEALLOCATE is not transactional, so this is safe inside a caller's transaction; if it
      // fails (aborted transaction) the names stay unique and only server memory is spent.
      ResultPtr res(PQexec(conn_, "DEALLOCATE ALL"));
      if (res && PQresultStatus(res.get()) == PGRES_COMMAND_OK) prepared_.clear();
    }
    std::string name = "s" + std::to_string(next_statement_++);
    const std::string text(sql);
    ResultPtr res(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr));
    const ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK) fail(res.get(), status);
    return prepared_.emplace(text, std::move(name)).first->second;
  }

  bool mark_broken() noexcept {
    broken_ = true;
    return false;
  }

  [[noreturn]] void fail(const PGresult* res, ExecStatusType status) {
    if (status != PGRES_FATAL_ERROR && status != PGRES_NONFATAL_ERROR && res &&
        PQstatus(conn_) == CONNECTION_OK) {
      // COPY or another protocol state we do not drive: the connection is unusable.
      broken_ = true;
      throw DbError(DbError::Kind::other,
                    "unexpected PostgreSQL result " + std::string(PQresStatus(status)));
    }
    DbError error = pg::translate_error(res, conn_, status);
    // release() discards a connection that failed at the transport level; the next acquire
    // opens a fresh one.
    if (error.kind() == DbError::Kind::unavailable) broken_ = true;
    throw error;
  }

  PGconn* conn_ = nullptr;
  bool broken_ = false;
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> prepared_;
  std::uint64_t next_statement_ = 1;
};

}  // namespace

struct PgDatabase::Impl {
  explicit Impl(const DatabaseOptions& o)
      : options(o),
        pool(
            o.pool_min, o.pool_max,
            [this] { return std::make_unique<PgConnection>(options.url, options.acquire_timeout); },
            [](PgConnection& c) { return c.healthy(); }) {}

  DatabaseOptions options;
  ConnectionPool<PgConnection> pool;
};

PgDatabase::PgDatabase(const DatabaseOptions& options) : impl_(std::make_unique<Impl>(options)) {}

PgDatabase::~PgDatabase() = default;

Database::Lease PgDatabase::acquire() {
  return Lease(this, impl_->pool.take(impl_->options.acquire_timeout));
}

void PgDatabase::release(std::unique_ptr<Connection> conn) noexcept {
  // Only this class creates the connections it gets back.
  std::unique_ptr<PgConnection> own(static_cast<PgConnection*>(conn.release()));
  const bool reusable = own->reset_for_reuse();
  impl_->pool.give_back(reusable ? std::move(own) : nullptr, reusable);
  // A discarded connection is closed here, outside the pool's lock.
}

PoolStats PgDatabase::stats() const {
  return impl_->pool.stats();
}

bool PgDatabase::ping() noexcept {
  const auto timeout = std::min(impl_->options.acquire_timeout, kPingTimeout);
  try {
    std::unique_ptr<PgConnection> conn = impl_->pool.take(timeout);
    PgConnection* raw = conn.get();
    Lease lease(this, std::move(conn));
    return raw->ping(timeout);
  } catch (const std::exception&) {
    // ping() answers readiness probes with a bool; the cause surfaces on the next real query.
    return false;
  }
}

}  // namespace cm::store
