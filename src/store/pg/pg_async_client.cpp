// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/pg/pg_async_client.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "store/pg/pg_wire.hpp"

namespace cm::store {

namespace {

namespace asio = boost::asio;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;

using pg::error_text;
using pg::ResultPtr;
using pg::TextParams;

// What the blocking connection sets with SET (pg_database.cpp). One statement, because pipeline
// mode allows only one per query; it travels in the same round trip as the first queries.
constexpr const char* kSessionSetupSql =
    "SELECT set_config('client_min_messages', 'warning', false), "
    "set_config('TimeZone', 'UTC', false)";

std::exception_ptr unavailable(const std::string& message) {
  return std::make_exception_ptr(DbError(DbError::Kind::unavailable, message));
}

// The same translation as the blocking connection's (pg_wire.cpp).
std::exception_ptr error_from(const PGresult* res, PGconn* conn) {
  return std::make_exception_ptr(
      pg::translate_error(res, conn, res ? PQresultStatus(res) : PGRES_FATAL_ERROR));
}

std::string milliseconds_text(std::chrono::milliseconds ms) {
  return std::to_string(ms.count()) + " ms";
}

// Starts libpq's non-blocking connect; the caller drives it with PQconnectPoll.
PGconn* start_connection(const std::string& url) {
  const char* keys[] = {"fallback_application_name", "dbname", nullptr};
  const char* values[] = {"contractmgmt-async", url.c_str(), nullptr};
  return PQconnectStartParams(keys, values, /*expand_dbname=*/1);
}

// Start-up only (no event loop runs yet): drives the non-blocking connect with poll(2), so the
// whole connect, not each step, is bounded by `timeout` (libpq's own connect_timeout counts
// whole seconds, at least 2, per host). Throws DbError(unavailable).
PGconn* connect_blocking(const std::string& url, std::chrono::milliseconds timeout) {
  PGconn* conn = start_connection(url);
  if (conn == nullptr)
    throw DbError(DbError::Kind::unavailable, "cannot allocate a PostgreSQL connection");
  const auto deadline = Clock::now() + timeout;
  PostgresPollingStatusType status = PGRES_POLLING_WRITING;  // as libpq's docs say to start
  while (PQstatus(conn) != CONNECTION_BAD && status != PGRES_POLLING_OK &&
         status != PGRES_POLLING_FAILED) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      PQfinish(conn);
      throw DbError(DbError::Kind::unavailable,
                    "cannot connect to PostgreSQL: no answer within " + milliseconds_text(timeout));
    }
    pollfd pfd{PQsocket(conn),
               static_cast<short>(status == PGRES_POLLING_READING ? POLLIN : POLLOUT), 0};
    if (pfd.fd < 0) break;
    const int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) break;
    if (ready > 0) status = PQconnectPoll(conn);
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = error_text(PQerrorMessage(conn));
    PQfinish(conn);
    throw DbError(DbError::Kind::unavailable, "cannot connect to PostgreSQL: " + message);
  }
  return conn;
}

struct Job {
  std::string sql;
  std::vector<Param> params;
  QueryCallback done;
  Clock::time_point accepted{};  // when its connection took it; the query timeout counts from here
};

// One connection in pipeline mode, on one event loop. Queries submitted before the loop gets
// round to closing the batch form a batch: they are written back to back and closed by one Sync,
// so PostgreSQL reads them with one recv and answers them with one send. At most one batch is in
// flight: while one is out, the next gathers until its Sync comes back. Without that, a loop
// that wakes for one request at a time sends one query per round trip (docs/PERFORMANCE.md).
// Each query still runs in its own implicit transaction (these are single statements,
// autocommit). An error aborts the rest of its batch; the aborted queries (not the failed one)
// are sent again in the next batch.
//
// The loop is run by exactly one thread, and all state is touched only there (and by the
// constructor thread before any query). Answers are decoded and handed to their callbacks in
// handlers posted to the same loop, so a caller on that loop is answered on its own thread.
// Every asynchronous wait captures `generation_` (or `query_timer_token_`), so a wait that
// outlived its connection does nothing.
class Pipe {
 public:
  Pipe(asio::io_context& io, const PgAsyncOptions& options)
      : loop_(io.get_executor()), connect_timer_(io), query_timer_(io), options_(options) {}

  ~Pipe() { close(); }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;

  // Blocking, bounded by connect_timeout; at start-up, before any query.
  void connect_now() {
    conn_ = connect_blocking(options_.url, options_.connect_timeout);
    if (std::string problem = enter_pipeline(); !problem.empty()) {
      close();
      throw DbError(DbError::Kind::unavailable, problem);
    }
  }

  void submit(Job job) {
    depth_.fetch_add(1, std::memory_order_relaxed);
    // On the loop's own thread (the hot path: a request on this loop) there is nothing to hand
    // over. Callers run in handlers of their own, never inside this pipe's methods.
    if (loop_.running_in_this_thread()) return accept(std::move(job));
    asio::post(loop_, [this, job = std::move(job)]() mutable { accept(std::move(job)); });
  }

  std::size_t depth() const noexcept { return depth_.load(std::memory_order_relaxed); }

 private:
  enum class State { disconnected, connecting, ready };

  // What libpq will hand back, in order: the session setup's result, a query's results, or the
  // Sync closing a batch.
  struct Item {
    enum class Kind { query, sync, setup };
    Kind kind = Kind::query;
    Job job;                        // the query, kept to send it again if its batch is aborted
    bool awaiting_prepare = false;  // a Prepare precedes the query
    std::string prepared_name;
    std::exception_ptr prepare_error;  // the Prepare failed: the query's own outcome
    Clock::time_point since{};         // for the query timeout
  };

  // ---- Accepting queries

  void accept(Job job) {
    if (queued_queries_ + waiting_.size() >= options_.max_queued)
      return fail(job, unavailable("too many queries waiting for PostgreSQL"));
    job.accepted = Clock::now();
    // An idle connection whose server went away (restart, failover) still looks fine until
    // libpq touches the socket: look at it first, as the blocking pool does on every lease.
    if (state_ == State::ready && queue_.empty() && !idle_connection_healthy()) close();
    if (state_ == State::disconnected) {
      if (job.accepted < retry_at_)
        return fail(job, unavailable(last_error_ + " (next attempt after a backoff)"));
      begin_connect();
      if (state_ == State::disconnected) return fail(job, unavailable(last_error_));
    }
    if (state_ == State::connecting) {
      waiting_.push_back(std::move(job));
      return;
    }
    send(std::move(job));
  }

  bool idle_connection_healthy() noexcept {
    if (PQstatus(conn_) != CONNECTION_OK) return false;
    pollfd pfd{PQsocket(conn_), POLLIN, 0};
    // Nothing is expected on an idle connection unless the server closed it or sent a FATAL.
    return pfd.fd >= 0 && ::poll(&pfd, 1, 0) == 0;
  }

  // ---- Connecting, without blocking: libpq's state machine driven by socket readiness

  void begin_connect() {
    PGconn* conn = start_connection(options_.url);
    if (conn == nullptr) return connect_failed("cannot allocate a PostgreSQL connection");
    if (PQstatus(conn) == CONNECTION_BAD) {
      std::string message = error_text(PQerrorMessage(conn));
      PQfinish(conn);
      return connect_failed(message);
    }
    conn_ = conn;
    state_ = State::connecting;
    ++generation_;
    connect_timer_.expires_after(options_.connect_timeout);
    connect_timer_.async_wait([this, gen = generation_](error_code ec) {
      if (ec || gen != generation_ || state_ != State::connecting) return;
      connect_failed("no answer within " + milliseconds_text(options_.connect_timeout));
    });
    await_connect(PGRES_POLLING_WRITING);  // as libpq's docs say to start
  }

  void await_connect(PostgresPollingStatusType direction) {
    // PQconnectPoll may close the socket and open another (next host, SSL retry), so each step
    // watches the descriptor it has now; release_socket() never closes it (libpq owns it).
    release_socket();
    const int fd = PQsocket(conn_);
    if (fd < 0) return connect_failed(error_text(PQerrorMessage(conn_)));
    try {
      socket_.emplace(loop_, fd);
    } catch (const boost::system::system_error& e) {
      return connect_failed(std::string("cannot watch the PostgreSQL socket: ") + e.what());
    }
    const auto wait = direction == PGRES_POLLING_READING
                          ? asio::posix::stream_descriptor::wait_read
                          : asio::posix::stream_descriptor::wait_write;
    socket_->async_wait(wait, [this, gen = generation_](error_code ec) {
      if (gen != generation_) return;
      if (ec) return connect_failed("PostgreSQL socket: " + ec.message());
      release_socket();
      switch (PQconnectPoll(conn_)) {
        case PGRES_POLLING_OK:
          return connected();
        case PGRES_POLLING_READING:
          return await_connect(PGRES_POLLING_READING);
        case PGRES_POLLING_WRITING:
          return await_connect(PGRES_POLLING_WRITING);
        default:
          return connect_failed(error_text(PQerrorMessage(conn_)));
      }
    });
  }

  void connected() {
    cancel_connect_timer();
    if (std::string problem = enter_pipeline(); !problem.empty()) return connect_failed(problem);
    backoff_ = {};
    retry_at_ = {};
    if (options_.observer) options_.observer->reconnected();
    auto waiting = std::exchange(waiting_, {});
    for (auto& job : waiting) {
      if (state_ == State::ready)
        send(std::move(job));
      else
        fail(job, unavailable(last_error_));
    }
  }

  // The connection is up: pipeline mode, its socket watched by Asio. Returns a problem or "".
  std::string enter_pipeline() {
    if (PQsetnonblocking(conn_, 1) != 0 || PQenterPipelineMode(conn_) != 1)
      return "cannot set up PostgreSQL pipeline: " + error_text(PQerrorMessage(conn_));
    release_socket();
    try {
      socket_.emplace(loop_, PQsocket(conn_));
    } catch (const boost::system::system_error& e) {
      return std::string("cannot watch the PostgreSQL socket: ") + e.what();
    }
    ++generation_;
    state_ = State::ready;
    needs_setup_ = true;
    prepared_.clear();
    return {};
  }

  // The attempt failed: whoever waited for it gets `unavailable`, and queries fail at once
  // until the backoff has passed.
  void connect_failed(const std::string& reason) {
    last_error_ = "cannot connect to PostgreSQL: " + reason;
    auto waiting = std::exchange(waiting_, {});
    close();
    backoff_ =
        backoff_.count() == 0 ? options_.backoff_min : std::min(backoff_ * 2, options_.backoff_max);
    retry_at_ = Clock::now() + backoff_;
    if (options_.observer) options_.observer->reconnect_failed(reason);
    for (auto& job : waiting) fail(job, unavailable(last_error_));
  }

  // ---- Sending

  void send(Job job) {
    std::optional<TextParams> text;
    try {
      text.emplace(job.params);
    } catch (const DbError&) {
      return fail(job, std::current_exception());
    }
    if (needs_setup_ && !send_setup()) {
      const std::string message = "cannot send to PostgreSQL: " + error_text(PQerrorMessage(conn_));
      fail(job, unavailable(message));
      return broken(message);
    }
    Item item;
    item.since = job.accepted;
    auto it = prepared_.find(job.sql);
    if (it == prepared_.end()) {
      std::string name = "a" + std::to_string(next_statement_++);
      if (!PQsendPrepare(conn_, name.c_str(), job.sql.c_str(), 0, nullptr)) {
        const std::string message =
            "cannot send to PostgreSQL: " + error_text(PQerrorMessage(conn_));
        fail(job, unavailable(message));
        return broken(message);
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
    ++batch_queries_;
    if (!sent) return broken("cannot send to PostgreSQL: " + error_text(PQerrorMessage(conn_)));
    arm_query_timer();
    // While a batch is out, the next one gathers until its Sync comes back (see deliver()).
    if (syncs_in_flight_ == 0) schedule_end_batch();
  }

  // The batch closes in a handler of its own, after those already waiting on the loop: the
  // queries they submit join it.
  void schedule_end_batch() {
    if (sync_scheduled_) return;
    sync_scheduled_ = true;
    asio::post(loop_, [this, gen = generation_] {
      if (gen != generation_) return;
      sync_scheduled_ = false;
      end_batch();
    });
  }

  // The session settings, ahead of the first query of a new connection, in the same batch.
  bool send_setup() {
    if (PQsendQueryParams(conn_, kSessionSetupSql, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1)
      return false;
    needs_setup_ = false;
    Item item;
    item.kind = Item::Kind::setup;
    item.since = Clock::now();
    queue_.push_back(std::move(item));
    return true;
  }

  void end_batch() {
    if (PQpipelineSync(conn_) != 1)  // also tries to flush
      return broken("cannot send to PostgreSQL: " + error_text(PQerrorMessage(conn_)));
    Item sync;
    sync.kind = Item::Kind::sync;
    queue_.push_back(std::move(sync));
    ++syncs_in_flight_;
    if (options_.observer && batch_queries_ > 0) options_.observer->batch_sent(batch_queries_);
    batch_queries_ = 0;
    flush();
  }

  // Pushes what libpq could not write yet, reads what already arrived, waits for the rest.
  void flush() {
    const int r = PQflush(conn_);
    if (r < 0) return broken("cannot send to PostgreSQL: " + error_text(PQerrorMessage(conn_)));
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
    if (state_ == State::ready) wait_for_answers();
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
            return broken("PostgreSQL connection lost: " + error_text(PQerrorMessage(conn_)));
          deliver();
          if (state_ == State::ready) wait_for_answers();
        });
  }

  // ---- Receiving

  // Hands every complete answer to its caller, in order.
  void deliver() {
    int nulls = 0;
    std::vector<Job> again;
    // Those waiting to be sent again are answered too when the connection turns out broken.
    const auto give_up = [&](const std::string& message) {
      for (auto& job : again) fail(job, unavailable(message));
      broken(message);
    };
    while (!queue_.empty() && state_ == State::ready) {
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
      if ((front.kind == Item::Kind::sync) != (status == PGRES_PIPELINE_SYNC))
        return give_up("PostgreSQL pipeline out of step (" + std::string(PQresStatus(status)) +
                       ")");
      if (front.kind == Item::Kind::sync) {
        queue_.pop_front();
        // The batch is done: what gathered meanwhile (and what its callbacks submit) goes now.
        if (--syncs_in_flight_ == 0 && batch_queries_ > 0) schedule_end_batch();
        continue;
      }
      if (front.kind == Item::Kind::setup) {
        if (status != PGRES_TUPLES_OK) {
          std::string message = "cannot set up the PostgreSQL session";
          try {
            std::rethrow_exception(error_from(res.get(), conn_));
          } catch (const DbError& e) {
            message += std::string(": ") + e.what();
          }
          return give_up(message);
        }
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
        fail(item.job, item.prepare_error);
      } else if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        succeed(item.job, std::move(res));
      } else if (status == PGRES_PIPELINE_ABORTED) {
        again.push_back(std::move(item.job));
      } else {
        if (!item.prepared_name.empty()) forget_statement(item.prepared_name);
        fail(item.job, error_from(res.get(), conn_));
      }
    }
    if (state_ == State::ready && PQstatus(conn_) != CONNECTION_OK)
      return give_up("PostgreSQL connection lost: " + error_text(PQerrorMessage(conn_)));
    for (auto& job : again) {
      if (state_ == State::ready)
        send(std::move(job));
      else
        fail(job, unavailable(last_error_));
    }
    if (queue_.empty()) disarm_query_timer();
  }

  void forget_statement(const std::string& name) {
    const auto stale = std::find_if(prepared_.begin(), prepared_.end(),
                                    [&](const auto& e) { return e.second == name; });
    if (stale != prepared_.end()) prepared_.erase(stale);
  }

  // ---- Answering: in handlers of their own on this loop, after the reading is done (callbacks
  // may submit queries again)

  void succeed(Job& job, ResultPtr res) {
    depth_.fetch_sub(1, std::memory_order_relaxed);
    // A PGresult does not refer to its connection: it is decoded apart from the reading.
    asio::post(loop_, [done = std::move(job.done), res = std::move(res)] {
      QueryResult result;
      try {
        result = pg::to_query_result(res.get());
      } catch (const std::bad_alloc&) {
        return done(std::current_exception(), {});
      }
      done(nullptr, std::move(result));
    });
  }

  void fail(Job& job, std::exception_ptr error) {
    depth_.fetch_sub(1, std::memory_order_relaxed);
    asio::post(loop_, [done = std::move(job.done), error = std::move(error)] { done(error, {}); });
  }

  // ---- Query timeout: one timer per connection, armed while queries are outstanding

  const Item* oldest_outstanding() const noexcept {
    const Item* oldest = nullptr;
    for (const auto& item : queue_) {
      if (item.kind != Item::Kind::sync && (oldest == nullptr || item.since < oldest->since))
        oldest = &item;
    }
    return oldest;
  }

  void arm_query_timer() {
    if (query_timer_armed_) return;
    const Item* oldest = oldest_outstanding();
    if (oldest == nullptr) return;
    query_timer_armed_ = true;
    query_timer_.expires_at(oldest->since + options_.query_timeout);
    query_timer_.async_wait([this, token = ++query_timer_token_](error_code ec) {
      if (ec || token != query_timer_token_) return;
      query_timer_armed_ = false;
      check_query_timeout();
    });
  }

  void disarm_query_timer() noexcept {
    if (!query_timer_armed_) return;
    query_timer_armed_ = false;
    ++query_timer_token_;
    try {
      query_timer_.cancel();
    } catch (const boost::system::system_error&) {
      // The token already makes the pending wait a no-op.
    }
  }

  void check_query_timeout() {
    const Item* oldest = oldest_outstanding();
    if (oldest == nullptr) return;
    if (Clock::now() - oldest->since < options_.query_timeout) return arm_query_timer();
    // PQcancel would block on a new connection to the server; closing is enough, and the next
    // query reconnects.
    if (options_.observer) options_.observer->query_timed_out();
    broken("PostgreSQL did not answer within " + milliseconds_text(options_.query_timeout));
  }

  // ---- Failure

  // The connection is unusable: everyone waiting gets `unavailable`; the next query reconnects.
  void broken(const std::string& message) {
    auto outstanding = std::exchange(queue_, {});
    auto waiting = std::exchange(waiting_, {});
    queued_queries_ = 0;
    last_error_ = message;
    close();
    for (auto& item : outstanding)
      if (item.kind == Item::Kind::query) fail(item.job, unavailable(message));
    for (auto& job : waiting) fail(job, unavailable(message));
  }

  // A pending wait keeps the io_context running: cancel it as soon as it is pointless.
  void cancel_connect_timer() noexcept {
    try {
      connect_timer_.cancel();
    } catch (const boost::system::system_error&) {
      // The generation and state checks already make the pending wait a no-op.
    }
  }

  void release_socket() noexcept {
    if (!socket_) return;
    error_code ec;
    socket_->cancel(ec);
    (void)socket_->release();  // libpq owns the descriptor and closes it
    socket_.reset();
  }

  void close() noexcept {
    ++generation_;
    state_ = State::disconnected;
    reading_ = writing_ = sync_scheduled_ = needs_setup_ = false;
    batch_queries_ = 0;
    syncs_in_flight_ = 0;
    disarm_query_timer();
    cancel_connect_timer();
    release_socket();
    if (conn_ != nullptr) PQfinish(conn_);  // non-blocking mode: never waits to send Terminate
    conn_ = nullptr;
  }

  asio::io_context::executor_type loop_;
  asio::steady_timer connect_timer_;
  asio::steady_timer query_timer_;
  const PgAsyncOptions& options_;
  std::atomic<std::size_t> depth_{0};  // accepted, not yet answered (read by metrics)

  State state_ = State::disconnected;
  PGconn* conn_ = nullptr;
  std::optional<asio::posix::stream_descriptor> socket_;
  std::deque<Item> queue_;   // sent, awaiting results
  std::deque<Job> waiting_;  // accepted while connecting
  std::size_t queued_queries_ = 0;
  std::size_t batch_queries_ = 0;    // sent since the last Sync
  std::size_t syncs_in_flight_ = 0;  // batches sent whose Sync has not come back (0 or 1)
  std::unordered_map<std::string, std::string> prepared_;
  std::uint64_t next_statement_ = 1;
  std::uint64_t generation_ = 0;  // outdated socket waits, batch ends and connect steps ignore
                                  // themselves
  std::uint64_t query_timer_token_ = 0;
  bool query_timer_armed_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool sync_scheduled_ = false;
  bool needs_setup_ = false;

  std::chrono::milliseconds backoff_{0};
  Clock::time_point retry_at_{};  // before it, queries fail at once
  std::string last_error_ = "PostgreSQL is unavailable";
};

constexpr std::size_t kNoLoop = static_cast<std::size_t>(-1);

// The last loop a thread was found to run, per client: one check instead of a search.
struct LoopCache {
  const void* client = nullptr;
  std::size_t index = kNoLoop;
};
thread_local LoopCache t_loop_cache;

}  // namespace

struct PgAsyncClient::Impl {
  // Touched only by its loop's thread; padded so loops do not share a cache line.
  struct alignas(64) LoopTurn {
    std::size_t next = 0;
  };

  PgAsyncOptions options;
  std::vector<asio::io_context*> loops;
  std::size_t per_loop = 1;
  std::vector<std::unique_ptr<Pipe>> pipes;  // loop i has pipes [i * per_loop, (i + 1) * per_loop)
  std::vector<LoopTurn> turns;               // per loop
  std::atomic<std::size_t> next{0};          // callers on no loop of ours: round-robin

  // Which of our loops the calling thread runs, kNoLoop when none.
  std::size_t loop_of_this_thread() const noexcept {
    const LoopCache cached = t_loop_cache;
    if (cached.client == this && cached.index < loops.size() &&
        loops[cached.index]->get_executor().running_in_this_thread())
      return cached.index;
    for (std::size_t i = 0; i < loops.size(); ++i) {
      if (loops[i]->get_executor().running_in_this_thread()) {
        t_loop_cache = {this, i};
        return i;
      }
    }
    return kNoLoop;
  }

  Pipe& pipe_for_this_thread() {
    const std::size_t loop = loop_of_this_thread();
    if (loop == kNoLoop) return *pipes[next.fetch_add(1, std::memory_order_relaxed) % pipes.size()];
    const std::size_t offset = per_loop == 1 ? 0 : turns[loop].next++ % per_loop;
    return *pipes[loop * per_loop + offset];
  }
};

PgAsyncClient::PgAsyncClient(asio::io_context& io, PgAsyncOptions options)
    : PgAsyncClient(std::vector<asio::io_context*>{&io}, std::move(options)) {}

PgAsyncClient::PgAsyncClient(std::vector<asio::io_context*> loops, PgAsyncOptions options)
    : impl_(std::make_unique<Impl>()) {
  if (loops.empty() || std::find(loops.begin(), loops.end(), nullptr) != loops.end())
    throw std::invalid_argument("PgAsyncClient needs at least one event loop");
  impl_->options = std::move(options);
  impl_->loops = std::move(loops);
  impl_->per_loop = static_cast<std::size_t>(std::max(1, impl_->options.connections));
  impl_->turns = std::vector<Impl::LoopTurn>(impl_->loops.size());
  for (auto* loop : impl_->loops) {
    for (std::size_t i = 0; i < impl_->per_loop; ++i) {
      impl_->pipes.push_back(std::make_unique<Pipe>(*loop, impl_->options));
      if (impl_->options.connect_now) impl_->pipes.back()->connect_now();
    }
  }
}

PgAsyncClient::~PgAsyncClient() = default;

void PgAsyncClient::query(std::string sql, std::vector<Param> params, QueryCallback done) {
  impl_->pipe_for_this_thread().submit(Job{std::move(sql), std::move(params), std::move(done), {}});
}

std::size_t PgAsyncClient::queue_depth() const noexcept {
  std::size_t total = 0;
  for (const auto& pipe : impl_->pipes) total += pipe->depth();
  return total;
}

}  // namespace cm::store
