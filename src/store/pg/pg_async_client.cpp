#include "store/pg/pg_async_client.hpp"

#include <libpq-fe.h>

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

namespace cm::store {

namespace {

namespace asio = boost::asio;
using error_code = boost::system::error_code;

struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

std::exception_ptr unavailable(std::string message) {
  return std::make_exception_ptr(DbError(DbError::Kind::unavailable, message));
}

// The same translation as the synchronous connection's, for the statement kinds this client runs.
std::exception_ptr error_from(const PGresult* res, PGconn* conn) {
  auto field = [&](int code) -> std::string {
    const char* v = res ? PQresultErrorField(res, code) : nullptr;
    return v ? v : "";
  };
  const std::string sqlstate = field(PG_DIAG_SQLSTATE);
  std::string message = field(PG_DIAG_MESSAGE_PRIMARY);
  if (message.empty()) message = trim(PQerrorMessage(conn));
  if (message.empty() && res) message = PQresStatus(PQresultStatus(res));
  if (!sqlstate.empty()) message = "PostgreSQL error " + sqlstate + ": " + message;
  if (PQstatus(conn) != CONNECTION_OK || (sqlstate.starts_with("08") && sqlstate != "08P01") ||
      sqlstate.starts_with("57P"))
    return unavailable("PostgreSQL connection lost: " + message);
  if (sqlstate == "40001" || sqlstate == "40P01")
    return std::make_exception_ptr(DbError(DbError::Kind::serialization_failure, message));
  return std::make_exception_ptr(DbError(DbError::Kind::other, message));
}

std::int64_t affected_rows(PGresult* res) {
  const std::string_view tag = PQcmdStatus(res);
  if (!(tag.starts_with("INSERT") || tag.starts_with("UPDATE") || tag.starts_with("DELETE") ||
        tag.starts_with("MERGE")))
    return 0;
  const std::string_view count = PQcmdTuples(res);
  std::int64_t n = 0;
  std::from_chars(count.data(), count.data() + count.size(), n);
  return n;
}

QueryResult to_query_result(PGresult* res) {
  QueryResult result;
  const int rows = PQntuples(res);
  const int columns = PQnfields(res);
  result.rows.reserve(static_cast<std::size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    std::vector<std::optional<std::string>> cells;
    cells.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(res, r, c)) {
        cells.emplace_back(std::nullopt);
      } else {
        cells.emplace_back(
            std::string(PQgetvalue(res, r, c), static_cast<std::size_t>(PQgetlength(res, r, c))));
      }
    }
    result.rows.emplace_back(std::move(cells));
  }
  result.affected = affected_rows(res);
  return result;
}

// Text-format parameters, as the synchronous connection sends them.
struct TextParams {
  std::vector<std::string> storage;
  std::vector<const char*> values;

  explicit TextParams(const std::vector<Param>& params)
      : storage(params.size()), values(params.size(), nullptr) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      std::visit(
          [&](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              values[i] = nullptr;
            } else if constexpr (std::is_same_v<T, bool>) {
              values[i] = value ? "true" : "false";
            } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) {
              char buf[32];
              auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
              storage[i].assign(buf, end);
              values[i] = storage[i].c_str();
            } else {
              if (value.find('\0') != std::string::npos)
                throw DbError(DbError::Kind::other,
                              "text parameter $" + std::to_string(i + 1) + " contains a NUL byte");
              values[i] = value.c_str();
            }
          },
          params[i]);
    }
  }
};

struct Job {
  std::string sql;
  std::vector<Param> params;
  QueryCallback done;
};

// One connection in pipeline mode. Every query is followed by a Sync, so each runs in its own
// implicit transaction and an error aborts only that query; the queries of concurrent requests
// still travel back to back without waiting for each other's answers. All state is touched only
// on `strand_`.
class Pipe {
 public:
  Pipe(asio::io_context& io, const PgAsyncOptions& options)
      : strand_(asio::make_strand(io)), options_(options) {}

  ~Pipe() { close(); }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;

  // Blocking; at start-up, and (prototype) when a broken connection is replaced.
  void connect() {
    const std::string timeout_s = std::to_string(
        std::max<std::int64_t>(2, (options_.connect_timeout.count() + 999) / 1000));
    const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {timeout_s.c_str(), "contractmgmt-async", options_.url.c_str(),
                            nullptr};
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
  struct Pending {
    QueryCallback done;
    std::string prepared_name;  // non-empty: a Prepare precedes the query
    ResultPtr result;
    std::exception_ptr error;
  };

  void start(Job job) {
    if (queue_.size() >= options_.max_queued) {
      job.done(unavailable("too many queries waiting for PostgreSQL"), {});
      return;
    }
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
    Pending pending{std::move(job.done), {}, nullptr, nullptr};
    auto it = prepared_.find(job.sql);
    if (it == prepared_.end()) {
      std::string name = "a" + std::to_string(next_statement_++);
      if (!PQsendPrepare(conn_, name.c_str(), job.sql.c_str(), 0, nullptr)) {
        queue_.push_back(std::move(pending));
        return broken("cannot send to PostgreSQL: " + trim(PQerrorMessage(conn_)));
      }
      it = prepared_.emplace(job.sql, name).first;
      pending.prepared_name = std::move(name);
    }
    const bool sent =
        PQsendQueryPrepared(conn_, it->second.c_str(), static_cast<int>(text->values.size()),
                            text->values.data(), nullptr, nullptr, 0) == 1 &&
        PQpipelineSync(conn_) == 1;  // also tries to flush
    queue_.push_back(std::move(pending));
    if (!sent) return broken("cannot send to PostgreSQL: " + trim(PQerrorMessage(conn_)));
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
    socket_->async_wait(asio::posix::stream_descriptor::wait_read,
                        [this, gen = generation_](error_code ec) {
                          if (gen != generation_) return;
                          reading_ = false;
                          if (ec) return broken("PostgreSQL socket: " + ec.message());
                          if (!PQconsumeInput(conn_))
                            return broken("PostgreSQL connection lost: " +
                                          trim(PQerrorMessage(conn_)));
                          deliver();
                          if (conn_ != nullptr) wait_for_answers();
                        });
  }

  // Hands every complete answer to its caller, in order.
  void deliver() {
    int nulls = 0;
    while (!queue_.empty() && conn_ != nullptr) {
      if (PQisBusy(conn_)) break;
      ResultPtr res(PQgetResult(conn_));
      if (!res) {
        // The end of one query's results; two in a row: libpq has nothing more for now.
        if (++nulls > 1) break;
        continue;
      }
      nulls = 0;
      Pending& front = queue_.front();
      const ExecStatusType status = PQresultStatus(res.get());
      if (status == PGRES_PIPELINE_SYNC) {
        Pending done = std::move(queue_.front());
        queue_.pop_front();
        complete(done);
        continue;
      }
      if (!front.prepared_name.empty()) {
        if (status != PGRES_COMMAND_OK) {
          front.error = error_from(res.get(), conn_);
          // Prepare it again next time (the SQL may have been fine and the server briefly not).
          const auto stale = std::find_if(prepared_.begin(), prepared_.end(), [&](const auto& e) {
            return e.second == front.prepared_name;
          });
          if (stale != prepared_.end()) prepared_.erase(stale);
        }
        front.prepared_name.clear();
        continue;
      }
      if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        front.result = std::move(res);
      } else if (!front.error) {
        front.error = status == PGRES_PIPELINE_ABORTED
                          ? std::make_exception_ptr(DbError(DbError::Kind::other,
                                                            "PostgreSQL pipeline aborted"))
                          : error_from(res.get(), conn_);
      }
    }
    if (conn_ != nullptr && PQstatus(conn_) != CONNECTION_OK)
      broken("PostgreSQL connection lost: " + trim(PQerrorMessage(conn_)));
  }

  static void complete(Pending& p) {
    if (p.error) return p.done(p.error, {});
    if (!p.result) return p.done(unavailable("PostgreSQL sent no result"), {});
    QueryResult result;
    try {
      result = to_query_result(p.result.get());
    } catch (const std::bad_alloc&) {
      return p.done(std::current_exception(), {});
    }
    p.done(nullptr, std::move(result));
  }

  // The connection is unusable: everyone waiting gets `unavailable`; the next query reconnects.
  void broken(const std::string& message) {
    auto waiting = std::move(queue_);
    queue_.clear();
    close();
    for (auto& p : waiting) p.done(unavailable(message), {});
  }

  void close() noexcept {
    ++generation_;
    reading_ = writing_ = false;
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
  std::deque<Pending> queue_;
  std::unordered_map<std::string, std::string> prepared_;
  std::uint64_t next_statement_ = 1;
  std::uint64_t generation_ = 0;  // outdated socket waits ignore themselves
  bool reading_ = false;
  bool writing_ = false;
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
