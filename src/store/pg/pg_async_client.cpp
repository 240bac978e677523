#include "store/pg/pg_async_client.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <charconv>
#include <deque>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "store/pg/pg_wire.hpp"

namespace cm::store {

namespace {

namespace asio = boost::asio;
using error_code = boost::system::error_code;

using pg::ResultPtr;
using pg::TextParams;
using pg::trim;

std::exception_ptr unavailable(std::string message) {
  return std::make_exception_ptr(DbError(DbError::Kind::unavailable, message));
}

// The same translation as the blocking connection's (pg_wire.cpp).
std::exception_ptr error_from(const PGresult* res, PGconn* conn) {
  return std::make_exception_ptr(
      pg::translate_error(res, conn, res ? PQresultStatus(res) : PGRES_FATAL_ERROR));
}

struct Job {
  std::string sql;
  std::vector<Param> params;
  QueryCallback done;
};

// One connection in pipeline mode. Queries submitted while the connection's strand is busy form
// a batch: they are written back to back and closed by one Sync, so PostgreSQL reads them with
// one recv and answers them with one send. Each query still runs in its own implicit
// transaction (these are single statements, autocommit). An error aborts the rest of its batch;
// the aborted queries (not the failed one) are sent again in the next batch. All state is
// touched only on `strand_`.
class Pipe {
 public:
  Pipe(asio::io_context& io, const PgAsyncOptions& options)
      : strand_(asio::make_strand(io)), options_(options) {}

  ~Pipe() { close(); }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;

  // Blocking; at start-up, and (prototype) when a broken connection is replaced.
  void connect() {
    const std::string timeout_s =
        std::to_string(std::max<std::int64_t>(2, (options_.connect_timeout.count() + 999) / 1000));
    const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {timeout_s.c_str(), "contractmgmt-async", options_.url.c_str(), nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, 1);
    if (conn == nullptr)
      throw DbError(DbError::Kind::unavailable, "cannot allocate a PostgreSQL connection");
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string message = trim(PQerrorMessage(conn));
      PQfinish(conn);
      throw DbError(DbError::Kind::unavailable, "cannot connect to PostgreSQL: " + message);
    }
    ResultPtr res(PQexec(conn, "SET client_min_messages = warning; SET TimeZone = 'UTC'"));
    if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK || PQsetnonblocking(conn, 1) != 0 ||
        PQenterPipelineMode(conn) != 1) {
      std::string message = trim(PQerrorMessage(conn));
      PQfinish(conn);
      throw DbError(DbError::Kind::unavailable, "cannot set up PostgreSQL pipeline: " + message);
    }
    conn_ = conn;
    prepared_.clear();
    socket_.emplace(strand_, PQsocket(conn_));
    ++generation_;
  }

  void submit(Job job) {
    asio::post(strand_, [this, job = std::move(job)]() mutable { start(std::move(job)); });
  }

 private:
  // What libpq will hand back, in order: a query's results, or the Sync closing a batch.
  struct Item {
    bool sync = false;
    Job job;                        // the query, kept to send it again if its batch is aborted
    bool awaiting_prepare = false;  // a Prepare precedes the query
    std::string prepared_name;
    std::exception_ptr prepare_error;  // the Prepare failed: the query's own outcome
  };

  void start(Job job) {
    if (queued_queries_ >= options_.max_queued) {
      job.done(unavailable("too many queries waiting for PostgreSQL"), {});
      return;
    }
    // An idle connection whose server went away (restart, failover) still looks fine until
    // libpq touches the socket: look at it first, as the blocking pool does on every lease.
    if (conn_ != nullptr && queue_.empty() && !idle_connection_healthy()) close();
    if (conn_ == nullptr) {
      try {
        connect();
      } catch (const DbError&) {
        job.done(std::current_exception(), {});
        return;
      }
    }
    std::optional<TextParams> text;
    try {
      text.emplace(job.params);
    } catch (const DbError&) {
      job.done(std::current_exception(), {});
      return;
    }
    Item item;
    auto it = prepared_.find(job.sql);
    if (it == prepared_.end()) {
      std::string name = "a" + std::to_string(next_statement_++);
      if (!PQsendPrepare(conn_, name.c_str(), job.sql.c_str(), 0, nullptr)) {
        job.done(unavailable("cannot send to PostgreSQL: " + trim(PQerrorMessage(conn_))), {});
        return broken("cannot send to PostgreSQL: " + trim(PQerrorMessage(conn_)));
      }
      it = prepared_.emplace(job.sql, name).first;
      item.awaiting_prepare = true;
      item.prepared_name = std::move(name);
    }
    const bool sent = PQsendQueryPrepared(conn_, it->second.c_str(), text->count(), text->values(),
                                          nullptr, nullptr, 0) == 1;
    item.job = std::move(job);
    queue_.push_back(std::move(item));
    ++queued_queries_;
    if (!sent) return broken("cannot send to PostgreSQL: " + trim(PQerrorMessage(conn_)));
    if (!sync_scheduled_) {
      // Runs after the submissions already waiting on the strand: they join this batch.
      sync_scheduled_ = true;
      asio::post(strand_, [this, gen = generation_] {
        if (gen != generation_) return;
        sync_scheduled_ = false;
        end_batch();
      });
    }
  }

  bool idle_connection_healthy() noexcept {
    if (PQstatus(conn_) != CONNECTION_OK) return false;
    pollfd pfd{PQsocket(conn_), POLLIN, 0};
    // Nothing is expected on an idle connection unless the server closed it or sent a FATAL.
    return pfd.fd >= 0 && ::poll(&pfd, 1, 0) == 0;
  }

  void end_batch() {
    if (PQpipelineSync(conn_) != 1)  // also tries to flush
      return broken("cannot send to PostgreSQL: " + trim(PQerrorMessage(conn_)));
    queue_.push_back(Item{true, {}, false, {}, nullptr});
    flush();
  }

  // Pushes what libpq could not write yet, reads what already arrived, waits for the rest.
  void flush() {
    const int r = PQflush(conn_);
    if (r < 0) return broken("cannot send to PostgreSQL: " + trim(PQerrorMessage(conn_)));
    if (r == 1 && !writing_) {
      writing_ = true;
      socket_->async_wait(asio::posix::stream_descriptor::wait_write,
                          [this, gen = generation_](error_code ec) {
                            if (gen != generation_) return;
                            writing_ = false;
                            if (ec) return broken("PostgreSQL socket: " + ec.message());
                            flush();
                          });
    }
    // libpq reads the socket while flushing, so answers may already be buffered.
    deliver();
    if (conn_ != nullptr) wait_for_answers();
  }

  void wait_for_answers() {
    if (queue_.empty() || reading_) return;
    reading_ = true;
    socket_->async_wait(
        asio::posix::stream_descriptor::wait_read, [this, gen = generation_](error_code ec) {
          if (gen != generation_) return;
          reading_ = false;
          if (ec) return broken("PostgreSQL socket: " + ec.message());
          if (!PQconsumeInput(conn_))
            return broken("PostgreSQL connection lost: " + trim(PQerrorMessage(conn_)));
          deliver();
          if (conn_ != nullptr) wait_for_answers();
        });
  }

  // Hands every complete answer to its caller, in order.
  void deliver() {
    int nulls = 0;
    std::vector<Job> again;
    while (!queue_.empty() && conn_ != nullptr) {
      if (PQisBusy(conn_)) break;
      ResultPtr res(PQgetResult(conn_));
      if (!res) {
        // The end of one query's results; two in a row: libpq has nothing more for now.
        if (++nulls > 1) break;
        continue;
      }
      nulls = 0;
      const ExecStatusType status = PQresultStatus(res.get());
      Item& front = queue_.front();
      if (front.sync != (status == PGRES_PIPELINE_SYNC))
        return broken("PostgreSQL pipeline out of step (" + std::string(PQresStatus(status)) + ")");
      if (front.sync) {
        queue_.pop_front();
        continue;
      }
      if (front.awaiting_prepare) {
        front.awaiting_prepare = false;
        if (status != PGRES_COMMAND_OK) {
          forget_statement(front.prepared_name);
          // A Prepare that failed on its own (bad SQL) is this query's error; one aborted by an
          // earlier failure in the batch is sent again with the query.
          if (status != PGRES_PIPELINE_ABORTED) front.prepare_error = error_from(res.get(), conn_);
        }
        continue;
      }
      Item item = std::move(front);
      queue_.pop_front();
      --queued_queries_;
      if (item.prepare_error) {
        item.job.done(item.prepare_error, {});
      } else if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        complete(item.job.done, res.get());
      } else if (status == PGRES_PIPELINE_ABORTED) {
        again.push_back(std::move(item.job));
      } else {
        if (!item.prepared_name.empty()) forget_statement(item.prepared_name);
        item.job.done(error_from(res.get(), conn_), {});
      }
    }
    if (conn_ != nullptr && PQstatus(conn_) != CONNECTION_OK) {
      for (auto& job : again) job.done(unavailable("PostgreSQL connection lost"), {});
      return broken("PostgreSQL connection lost: " + trim(PQerrorMessage(conn_)));
    }
    for (auto& job : again) start(std::move(job));
  }

  void forget_statement(const std::string& name) {
    const auto stale = std::find_if(prepared_.begin(), prepared_.end(),
                                    [&](const auto& e) { return e.second == name; });
    if (stale != prepared_.end()) prepared_.erase(stale);
  }

  static void complete(const QueryCallback& done, PGresult* res) {
    QueryResult result;
    try {
      result = pg::to_query_result(res);
    } catch (const std::bad_alloc&) {
      return done(std::current_exception(), {});
    }
    done(nullptr, std::move(result));
  }

  // The connection is unusable: everyone waiting gets `unavailable`; the next query reconnects.
  void broken(const std::string& message) {
    auto waiting = std::move(queue_);
    queue_.clear();
    queued_queries_ = 0;
    close();
    for (auto& item : waiting)
      if (!item.sync) item.job.done(unavailable(message), {});
  }

  void close() noexcept {
    ++generation_;
    reading_ = writing_ = sync_scheduled_ = false;
    if (socket_) {
      error_code ec;
      socket_->cancel(ec);
      (void)socket_->release();  // libpq owns the descriptor and closes it
      socket_.reset();
    }
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = nullptr;
  }

  asio::strand<asio::io_context::executor_type> strand_;
  const PgAsyncOptions& options_;
  PGconn* conn_ = nullptr;
  std::optional<asio::posix::stream_descriptor> socket_;
  std::deque<Item> queue_;
  std::size_t queued_queries_ = 0;
  std::unordered_map<std::string, std::string> prepared_;
  std::uint64_t next_statement_ = 1;
  std::uint64_t generation_ = 0;  // outdated socket waits and batch ends ignore themselves
  bool reading_ = false;
  bool writing_ = false;
  bool sync_scheduled_ = false;
};

}  // namespace

struct PgAsyncClient::Impl {
  PgAsyncOptions options;
  std::vector<std::unique_ptr<Pipe>> pipes;
  std::atomic<std::size_t> next{0};
};

PgAsyncClient::PgAsyncClient(asio::io_context& io, PgAsyncOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  const int n = std::max(1, impl_->options.connections);
  for (int i = 0; i < n; ++i) {
    impl_->pipes.push_back(std::make_unique<Pipe>(io, impl_->options));
    impl_->pipes.back()->connect();
  }
}

PgAsyncClient::~PgAsyncClient() = default;

void PgAsyncClient::query(std::string sql, std::vector<Param> params, QueryCallback done) {
  const std::size_t i = impl_->next.fetch_add(1, std::memory_order_relaxed) % impl_->pipes.size();
  impl_->pipes[i]->submit(Job{std::move(sql), std::move(params), std::move(done)});
}

}  // namespace cm::store
