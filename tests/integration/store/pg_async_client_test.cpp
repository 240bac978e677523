// SPDX-License-Identifier: AGPL-3.0-or-later
// The asynchronous PostgreSQL client: batching on one pipeline connection, errors that stay with
// their own query, the queue bound, and what happens when PostgreSQL goes away, stalls or never
// answers: queries fail as unavailable in bounded time, the I/O thread keeps working, and the
// client recovers by itself.

#include "store/pg/pg_async_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "store_fixture.hpp"
#include "support/pg_server.hpp"

namespace cm::store::testing {
namespace {

using namespace std::chrono_literals;

// Counts what the client reports (the server wires the same calls to its metrics).
struct CountingObserver final : PgAsyncObserver {
  void batch_sent(std::size_t queries) noexcept override {
    ++batches;
    batched_queries += queries;
  }
  void reconnected() noexcept override { ++reconnects_ok; }
  void reconnect_failed(const std::string&) noexcept override { ++reconnects_failed; }
  void query_timed_out() noexcept override { ++timeouts; }

  std::atomic<int> batches{0};
  std::atomic<std::size_t> batched_queries{0};
  std::atomic<int> reconnects_ok{0};
  std::atomic<int> reconnects_failed{0};
  std::atomic<int> timeouts{0};
};

// A TCP port whose kernel completes connections from the backlog but where nobody ever answers:
// a database host that hangs in the middle of the startup exchange.
class SilentListener {
 public:
  SilentListener() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      const int err = errno;
      ::close(fd_);
      throw std::system_error(err, std::generic_category(), "listen on 127.0.0.1");
    }
    port_ = ntohs(addr.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  int port() const noexcept { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

// Runs an io_context on a thread of its own, like the server's I/O threads.
class IoThread {
 public:
  explicit IoThread(boost::asio::io_context& io)
      : io_(io), guard_(boost::asio::make_work_guard(io)), thread_([&io] { io.run(); }) {}
  ~IoThread() {
    guard_.reset();
    io_.stop();  // a failed test may leave a query waiting
    thread_.join();
  }
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

 private:
  boost::asio::io_context& io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
};

class PgAsyncClientTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!is_postgres()) GTEST_SKIP() << "PostgreSQL only";
  }

  struct Outcome {
    bool called = false;
    std::exception_ptr error;
    QueryResult result;
  };

  static QueryCallback into(Outcome& out) {
    return [&out](std::exception_ptr error, QueryResult result) {
      EXPECT_FALSE(out.called) << "callback called twice";
      out.called = true;
      out.error = std::move(error);
      out.result = std::move(result);
    };
  }

  static DbError::Kind kind_of(const std::exception_ptr& error) {
    if (!error) return DbError::Kind::other;
    try {
      std::rethrow_exception(error);
    } catch (const DbError& e) {
      return e.kind();
    }
  }

  static std::string message_of(const std::exception_ptr& error) {
    if (!error) return "(no error)";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      return e.what();
    }
  }

  // Runs the loop until every query submitted so far is answered; bounded, so a client that
  // hangs fails the test instead of stalling the suite.
  static void drain(boost::asio::io_context& io) {
    io.restart();
    io.run_for(30s);
  }

  // For a client whose loop runs on an IoThread.
  static std::future<Outcome> ask(PgAsyncClient& client, std::string sql) {
    auto promise = std::make_shared<std::promise<Outcome>>();
    auto future = promise->get_future();
    client.query(std::move(sql), {}, [promise](std::exception_ptr error, QueryResult result) {
      promise->set_value(Outcome{true, std::move(error), std::move(result)});
    });
    return future;
  }

  static Outcome answer(std::future<Outcome>& future) {
    if (future.wait_for(30s) != std::future_status::ready) {
      ADD_FAILURE() << "no answer within 30 s";
      return {};
    }
    return future.get();
  }
};

TEST_F(PgAsyncClientTest, QueriesOfOneBatchAnswerInOrderAndAnErrorStaysWithItsQuery) {
  boost::asio::io_context io;
  PgAsyncClient client(io, PgAsyncOptions{url_, 1});
  std::vector<Outcome> out(40);
  // All submitted before the loop runs: one batch, one Sync. The failing query aborts the rest
  // of the batch on the server; the client sends those again.
  for (int i = 0; i < 40; ++i) {
    if (i == 15)
      client.query("SELECT $1::int", {std::string("not a number")}, into(out[i]));
    else
      client.query("SELECT $1::bigint * 2", {std::int64_t{i}}, into(out[i]));
  }
  io.run();
  for (int i = 0; i < 40; ++i) {
    SCOPED_TRACE(i);
    ASSERT_TRUE(out[i].called);
    if (i == 15) {
      ASSERT_TRUE(out[i].error);
      EXPECT_EQ(kind_of(out[i].error), DbError::Kind::other);
    } else {
      ASSERT_FALSE(out[i].error);
      EXPECT_EQ(out[i].result.rows.at(0).int64(0), 2 * i);
    }
  }
}

// The server's layout: one loop per I/O thread. A query made on a loop's thread goes to that
// loop's own connection and is answered on the same thread; other threads' queries are spread
// over the loops' connections.
TEST_F(PgAsyncClientTest, AQueryMadeOnALoopStaysOnThatLoopsConnectionAndThread) {
  boost::asio::io_context first_io(1), second_io(1);
  PgAsyncClient client({&first_io, &second_io}, PgAsyncOptions{url_, 1});
  IoThread first(first_io), second(second_io);  // destroyed (joined) before the client

  struct Seen {
    std::thread::id asked_on, answered_on;
    Outcome outcome;
  };
  const auto ask_on = [&client](boost::asio::io_context& io) {
    auto promise = std::make_shared<std::promise<Seen>>();
    auto future = promise->get_future();
    boost::asio::post(io, [&client, promise] {
      const auto asked_on = std::this_thread::get_id();
      client.query("SELECT pg_backend_pid()", {},
                   [promise, asked_on](std::exception_ptr error, QueryResult result) {
                     promise->set_value(Seen{asked_on, std::this_thread::get_id(),
                                             Outcome{true, std::move(error), std::move(result)}});
                   });
    });
    if (future.wait_for(30s) != std::future_status::ready) {
      ADD_FAILURE() << "no answer within 30 s";
      return Seen{};
    }
    return future.get();
  };

  std::string pid_of[2];
  boost::asio::io_context* loops[2] = {&first_io, &second_io};
  for (int loop = 0; loop < 2; ++loop) {
    for (int i = 0; i < 3; ++i) {
      SCOPED_TRACE("loop " + std::to_string(loop) + ", query " + std::to_string(i));
      const Seen seen = ask_on(*loops[loop]);
      ASSERT_TRUE(seen.outcome.called);
      ASSERT_FALSE(seen.outcome.error) << message_of(seen.outcome.error);
      EXPECT_EQ(seen.answered_on, seen.asked_on);
      const std::string pid = seen.outcome.result.rows.at(0).text(0);
      if (i == 0) pid_of[loop] = pid;
      EXPECT_EQ(pid, pid_of[loop]) << "a loop's queries go to its own connection";
    }
  }
  EXPECT_NE(pid_of[0], pid_of[1]);

  std::set<std::string> from_elsewhere;
  for (int i = 0; i < 4; ++i) {
    auto future = ask(client, "SELECT pg_backend_pid()");
    const Outcome outcome = answer(future);
    ASSERT_FALSE(outcome.error) << message_of(outcome.error);
    from_elsewhere.insert(outcome.result.rows.at(0).text(0));
  }
  EXPECT_EQ(from_elsewhere, (std::set<std::string>{pid_of[0], pid_of[1]}));
}

// At most one batch per connection is out at a time: queries that arrive meanwhile gather and go
// as one batch (one Sync, one round trip) when it comes back, instead of one round trip each.
TEST_F(PgAsyncClientTest, QueriesArrivingWhileABatchIsOutGoTogetherWhenItReturns) {
  CountingObserver seen;
  PgAsyncOptions options{url_, 1};
  options.observer = &seen;
  boost::asio::io_context io(1);
  PgAsyncClient client(io, options);
  IoThread loop(io);  // destroyed (joined) before the client

  auto slow = ask(client, "SELECT pg_sleep(0.3)");
  for (int i = 0; i < 500 && seen.batches.load() == 0; ++i) std::this_thread::sleep_for(2ms);
  ASSERT_EQ(seen.batches.load(), 1) << "the first query was not sent";
  std::vector<std::future<Outcome>> more;
  for (int i = 0; i < 10; ++i) more.push_back(ask(client, "SELECT " + std::to_string(i)));
  EXPECT_FALSE(answer(slow).error);
  for (int i = 0; i < 10; ++i) {
    const Outcome outcome = answer(more[i]);
    ASSERT_FALSE(outcome.error) << message_of(outcome.error);
    EXPECT_EQ(outcome.result.rows.at(0).text(0), std::to_string(i));
  }
  EXPECT_EQ(seen.batches.load(), 2);
  EXPECT_EQ(seen.batched_queries.load(), 11u);
}

TEST_F(PgAsyncClientTest, BadStatementAndBadParameterAreErrorsAndTheConnectionCarriesOn) {
  boost::asio::io_context io;
  PgAsyncClient client(io, PgAsyncOptions{url_, 1});
  Outcome syntax, syntax_again, nul, fine;
  client.query("SELEC 1", {}, into(syntax));
  client.query("SELEC 1", {}, into(syntax_again));
  client.query("SELECT $1::text", {std::string("a\0b", 3)}, into(nul));
  client.query("SELECT 'ok', NULL::text", {}, into(fine));
  io.run();
  ASSERT_TRUE(syntax.error && syntax_again.error && nul.error);
  ASSERT_FALSE(fine.error);
  EXPECT_EQ(fine.result.rows.at(0).text(0), "ok");
  EXPECT_TRUE(fine.result.rows.at(0).is_null(1));
}

TEST_F(PgAsyncClientTest, ReconnectsAfterTheServerEndedAnIdleConnection) {
  boost::asio::io_context io;
  PgAsyncClient client(io, PgAsyncOptions{url_, 1});
  Outcome before;
  client.query("SELECT pg_backend_pid()", {}, into(before));
  io.run();
  ASSERT_FALSE(before.error);
  const std::string pid = before.result.rows.at(0).text(0);
  run("SELECT pg_terminate_backend($1::int)", {pid});
  // pg_terminate_backend only signals; wait until the backend has really closed the socket.
  for (int i = 0; i < 500; ++i) {
    if (run("SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int", {pid})
            .rows.at(0)
            .int64(0) == 0)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  Outcome after;
  io.restart();
  client.query("SELECT pg_backend_pid()", {}, into(after));
  io.run();
  ASSERT_FALSE(after.error);
  EXPECT_NE(after.result.rows.at(0).text(0), before.result.rows.at(0).text(0));
}

TEST_F(PgAsyncClientTest, FirstQueryConnectsWithoutBlockingAndGetsTheSessionSettings) {
  CountingObserver seen;
  PgAsyncOptions options{url_, 1};
  options.connect_now = false;
  options.observer = &seen;
  boost::asio::io_context io;
  PgAsyncClient client(io, options);
  Outcome settings;
  client.query("SELECT current_setting('TimeZone'), current_setting('client_min_messages')", {},
               into(settings));
  drain(io);
  ASSERT_TRUE(settings.called);
  ASSERT_FALSE(settings.error) << message_of(settings.error);
  EXPECT_EQ(settings.result.rows.at(0).text(0), "UTC");
  EXPECT_EQ(settings.result.rows.at(0).text(1), "warning");
  EXPECT_EQ(seen.reconnects_ok.load(), 1);
  EXPECT_EQ(seen.batches.load(), 1);
  EXPECT_EQ(seen.batched_queries.load(), 1u);
}

TEST_F(PgAsyncClientTest, QueriesBeyondTheQueueBoundAreUnavailable) {
  // Connected, or still connecting: the bound counts queries waiting for the connection too.
  for (const bool connect_now : {true, false}) {
    SCOPED_TRACE(connect_now ? "connected at start" : "connecting on first query");
    PgAsyncOptions options{url_, 1};
    options.max_queued = 4;
    options.connect_now = connect_now;
    boost::asio::io_context io;
    PgAsyncClient client(io, options);
    std::vector<Outcome> out(10);
    for (int i = 0; i < 10; ++i) client.query("SELECT $1::bigint", {std::int64_t{i}}, into(out[i]));
    EXPECT_EQ(client.queue_depth(), 10u);
    drain(io);
    EXPECT_EQ(client.queue_depth(), 0u);
    for (int i = 0; i < 10; ++i) {
      SCOPED_TRACE(i);
      ASSERT_TRUE(out[i].called);
      if (i < 4) {
        ASSERT_FALSE(out[i].error) << message_of(out[i].error);
        EXPECT_EQ(out[i].result.rows.at(0).int64(0), i);
      } else {
        EXPECT_EQ(kind_of(out[i].error), DbError::Kind::unavailable) << message_of(out[i].error);
      }
    }
  }
}

TEST_F(PgAsyncClientTest, QueryStalledByALockFailsAfterTheTimeoutAndTheConnectionRecovers) {
  run("CREATE TABLE stalled (id BIGINT)");
  CountingObserver seen;
  PgAsyncOptions options{url_, 1};
  options.query_timeout = 300ms;
  options.observer = &seen;
  boost::asio::io_context io;
  PgAsyncClient client(io, options);
  Outcome before;
  client.query("SELECT pg_backend_pid()", {}, into(before));
  drain(io);
  ASSERT_FALSE(before.error) << message_of(before.error);

  auto locker = db_->acquire();
  locker->begin(true);
  locker->query("LOCK TABLE stalled IN ACCESS EXCLUSIVE MODE");
  Outcome stalled, behind;
  client.query("SELECT count(*) FROM stalled", {}, into(stalled));
  client.query("SELECT 1", {}, into(behind));  // same connection, queued behind it
  drain(io);
  locker->rollback();

  ASSERT_TRUE(stalled.called) << "the stalled query was never answered";
  ASSERT_TRUE(behind.called);
  EXPECT_EQ(kind_of(stalled.error), DbError::Kind::unavailable) << message_of(stalled.error);
  EXPECT_EQ(kind_of(behind.error), DbError::Kind::unavailable) << message_of(behind.error);
  EXPECT_EQ(seen.timeouts.load(), 1);

  Outcome after;
  client.query("SELECT count(*), pg_backend_pid()::text FROM stalled", {}, into(after));
  drain(io);
  ASSERT_FALSE(after.error) << message_of(after.error);
  EXPECT_EQ(after.result.rows.at(0).int64(0), 0);
  EXPECT_NE(after.result.rows.at(0).text(1), before.result.rows.at(0).text(0))
      << "the timed-out connection was kept";
  EXPECT_EQ(seen.reconnects_ok.load(), 1);
}

TEST_F(PgAsyncClientTest, SlowQueryFailsAfterTheTimeoutAndTheNextOneSucceeds) {
  CountingObserver seen;
  PgAsyncOptions options{url_, 1};
  options.query_timeout = 300ms;
  options.observer = &seen;
  boost::asio::io_context io;
  PgAsyncClient client(io, options);
  Outcome slow;
  client.query("SELECT pg_sleep(10)", {}, into(slow));
  drain(io);
  ASSERT_TRUE(slow.called);
  EXPECT_EQ(kind_of(slow.error), DbError::Kind::unavailable) << message_of(slow.error);
  EXPECT_NE(message_of(slow.error).find("within 300 ms"), std::string::npos)
      << message_of(slow.error);
  EXPECT_EQ(seen.timeouts.load(), 1);

  Outcome next;
  client.query("SELECT 'ok'", {}, into(next));
  drain(io);
  ASSERT_FALSE(next.error) << message_of(next.error);
  EXPECT_EQ(next.result.rows.at(0).text(0), "ok");
}

TEST_F(PgAsyncClientTest, ConnectingToAServerThatNeverAnswersBlocksNoOtherWorkAndTimesOut) {
  SilentListener silent;
  CountingObserver seen;
  PgAsyncOptions options{
      "postgresql://postgres@127.0.0.1:" + std::to_string(silent.port()) + "/none", 1};
  options.connect_timeout = 500ms;
  options.backoff_min = options.backoff_max = 10min;
  options.observer = &seen;
  boost::asio::io_context io;

  // At start-up the connect blocks, but only up to connect_timeout, and says why it failed.
  try {
    PgAsyncClient client(io, options);
    ADD_FAILURE() << "connected to a server that never answers";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::unavailable);
    EXPECT_NE(std::string(e.what()).find("no answer within 500 ms"), std::string::npos) << e.what();
  }

  options.connect_now = false;
  PgAsyncClient client(io, options);
  int ticks = 0;
  int ticks_when_answered = -1;
  Outcome first;
  client.query("SELECT 1", {}, [&](std::exception_ptr error, QueryResult result) {
    ticks_when_answered = ticks;
    into(first)(std::move(error), std::move(result));
  });
  // Other work on the same, single I/O thread: a timer every 10 ms until the query is answered.
  boost::asio::steady_timer ticker(io);
  std::function<void()> tick = [&] {
    ticker.expires_after(10ms);
    ticker.async_wait([&](boost::system::error_code ec) {
      if (ec || first.called) return;
      ++ticks;
      tick();
    });
  };
  tick();
  drain(io);
  ASSERT_TRUE(first.called);
  EXPECT_EQ(kind_of(first.error), DbError::Kind::unavailable) << message_of(first.error);
  // A blocking connect would have held the only thread for the whole attempt.
  EXPECT_GE(ticks_when_answered, 10) << "the I/O thread was blocked while connecting";
  EXPECT_EQ(seen.reconnects_failed.load(), 1);

  // In the backoff that follows, queries fail at once, without another attempt.
  Outcome second;
  client.query("SELECT 1", {}, into(second));
  drain(io);
  ASSERT_TRUE(second.called);
  EXPECT_EQ(kind_of(second.error), DbError::Kind::unavailable) << message_of(second.error);
  EXPECT_EQ(seen.reconnects_failed.load(), 1) << "a query during the backoff tried to connect";
}

TEST_F(PgAsyncClientTest, DuringAnOutageQueriesFailFastAndSucceedAfterRecovery) {
  auto& server = cm::test::shared_pg_server();
  if (!server.can_restart()) GTEST_SKIP() << "external server from CM_TEST_PG_URL";
  CountingObserver seen;
  PgAsyncOptions options{url_, 1};
  options.backoff_min = options.backoff_max = 2s;
  options.observer = &seen;
  boost::asio::io_context io;
  PgAsyncClient client(io, options);
  Outcome before;
  client.query("SELECT 1", {}, into(before));
  drain(io);
  ASSERT_FALSE(before.error) << message_of(before.error);

  server.stop_for_outage();
  // Whatever happens below, later tests get their server back.
  struct BringBack {
    cm::test::PgServer& server;
    bool done = false;
    void now() {
      done = true;
      server.start_after_outage();
    }
    ~BringBack() {
      if (done) return;
      try {
        server.start_after_outage();
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    }
  } bring_back{server};

  Outcome during;
  client.query("SELECT 1", {}, into(during));
  drain(io);
  ASSERT_TRUE(during.called);
  EXPECT_EQ(kind_of(during.error), DbError::Kind::unavailable) << message_of(during.error);
  EXPECT_EQ(seen.reconnects_failed.load(), 1);

  Outcome fast;
  client.query("SELECT 1", {}, into(fast));
  drain(io);
  ASSERT_TRUE(fast.called);
  EXPECT_EQ(kind_of(fast.error), DbError::Kind::unavailable) << message_of(fast.error);
  EXPECT_EQ(seen.reconnects_failed.load(), 1) << "a query during the backoff tried to connect";

  bring_back.now();
  // Once the backoff (2 s) has passed, the next query connects again.
  Outcome after;
  for (int attempt = 0; attempt < 100; ++attempt) {
    after = {};
    client.query("SELECT 'back'", {}, into(after));
    drain(io);
    if (after.called && !after.error) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(after.called);
  ASSERT_FALSE(after.error) << message_of(after.error);
  EXPECT_EQ(after.result.rows.at(0).text(0), "back");
  EXPECT_EQ(seen.reconnects_ok.load(), 1);
}

TEST_F(PgAsyncClientTest, QueryInFlightDuringARestartIsUnavailableAndTheNextOneReconnects) {
  auto& server = cm::test::shared_pg_server();
  if (!server.can_restart()) GTEST_SKIP() << "external server from CM_TEST_PG_URL";
  CountingObserver seen;
  PgAsyncOptions options{url_, 1};
  options.observer = &seen;
  boost::asio::io_context io;
  PgAsyncClient client(io, options);
  IoThread loop(io);  // destroyed (joined) before the client

  auto first = ask(client, "SELECT pg_backend_pid()");
  const Outcome before = answer(first);
  ASSERT_FALSE(before.error) << message_of(before.error);

  auto in_flight = ask(client, "SELECT pg_sleep(30)");
  std::this_thread::sleep_for(200ms);
  server.restart();
  const Outcome lost = answer(in_flight);
  EXPECT_EQ(kind_of(lost.error), DbError::Kind::unavailable) << message_of(lost.error);

  auto next = ask(client, "SELECT pg_backend_pid()");
  const Outcome after = answer(next);
  ASSERT_FALSE(after.error) << message_of(after.error);
  EXPECT_NE(after.result.rows.at(0).text(0), before.result.rows.at(0).text(0));
  EXPECT_EQ(seen.reconnects_ok.load(), 1);
}

}  // namespace
}  // namespace cm::store::testing
