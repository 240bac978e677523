// The asynchronous PostgreSQL client: batching on one pipeline connection, errors that stay with
// their own query, and recovery after the server ends the connection.

#include "store/pg/pg_async_client.hpp"

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "store_fixture.hpp"

namespace cm::store::testing {
namespace {

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
      out.error = error;
      out.result = std::move(result);
    };
  }

  static DbError::Kind kind_of(const std::exception_ptr& error) {
    try {
      std::rethrow_exception(error);
    } catch (const DbError& e) {
      return e.kind();
    }
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

}  // namespace
}  // namespace cm::store::testing
