// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store_fixture.hpp"
#include "support/pg_server.hpp"
#include "support/test_env.hpp"

namespace cm::store::testing {
namespace {

using namespace std::chrono_literals;

// The portable table most tests use; the declared types give SQLite the right affinities.
constexpr std::string_view kCreateValues =
    "CREATE TABLE vals (id BIGINT PRIMARY KEY, i BIGINT, s TEXT, b BOOLEAN, d DOUBLE PRECISION)";

DbError::Kind kind_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const DbError& e) {
    return e.kind();
  }
  ADD_FAILURE() << "expected a DbError";
  return DbError::Kind::other;
}

// ---- Row accessors (no database needed) ----

TEST(RowTest, Int64IsStrict) {
  Row row({"42", "-9223372036854775808", "12abc", "", "1.5", "9223372036854775808", std::nullopt});
  EXPECT_EQ(row.int64(0), 42);
  EXPECT_EQ(row.int64(1), std::numeric_limits<std::int64_t>::min());
  EXPECT_THROW(row.int64(2), DbError);
  EXPECT_THROW(row.int64(3), DbError);
  EXPECT_THROW(row.int64(4), DbError);
  EXPECT_THROW(row.int64(5), DbError);
  EXPECT_THROW(row.int64(6), DbError);
  EXPECT_EQ(row.opt_int64(6), std::nullopt);
  EXPECT_EQ(row.opt_int64(0), 42);
}

TEST(RowTest, BooleanAcceptsBothDialects) {
  Row row({"1", "0", "t", "f", "true", "false", "yes", std::nullopt});
  EXPECT_TRUE(row.boolean(0));
  EXPECT_FALSE(row.boolean(1));
  EXPECT_TRUE(row.boolean(2));
  EXPECT_FALSE(row.boolean(3));
  EXPECT_TRUE(row.boolean(4));
  EXPECT_FALSE(row.boolean(5));
  EXPECT_THROW(row.boolean(6), DbError);
  EXPECT_THROW(row.boolean(7), DbError);
}

TEST(RowTest, TextAndReal) {
  Row row({"", std::nullopt, "0.1", "Infinity", "x"});
  EXPECT_EQ(row.text(0), "");
  EXPECT_FALSE(row.is_null(0));
  EXPECT_TRUE(row.is_null(1));
  EXPECT_THROW(row.text(1), DbError);
  EXPECT_EQ(row.opt_text(1), std::nullopt);
  EXPECT_EQ(row.real(2), 0.1);
  EXPECT_EQ(row.real(3), std::numeric_limits<double>::infinity());
  EXPECT_THROW(row.real(4), DbError);
  EXPECT_THROW(row.text(5), std::out_of_range);
}

// ---- open_database ----

TEST(OpenDatabaseTest, RejectsBadUrls) {
  for (const char* url : {"", "mysql://localhost/db", "sqlite://", "sqlite:relative.db",
                          "sqlite:///tmp/x.db?mode=ro", "file:///tmp/x.db"}) {
    DatabaseOptions options;
    options.url = url;
    EXPECT_THROW(open_database(options), std::invalid_argument) << url;
  }
}

TEST(OpenDatabaseTest, RejectsBadPoolSizes) {
  DatabaseOptions options;
  options.url = "sqlite::memory:";
  options.pool_max = 0;
  EXPECT_THROW(open_database(options), std::invalid_argument);
  options.pool_max = 2;
  options.pool_min = 3;
  EXPECT_THROW(open_database(options), std::invalid_argument);
}

TEST(OpenDatabaseTest, BadUrlMessageDoesNotLeakPassword) {
  DatabaseOptions options;
  options.url = "mysql://user:s3cret@host/db";
  try {
    open_database(options);
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
  }
}

TEST(OpenDatabaseTest, SqliteMemoryIsSharedByThePoolAndPrivatePerDatabase) {
  DatabaseOptions options;
  options.url = "sqlite::memory:";
  auto a = open_database(options);
  auto b = open_database(options);
  {
    auto first = a->acquire();
    auto second = a->acquire();  // another connection of the same pool sees the same data
    first->query("CREATE TABLE t (x INTEGER)");
    first->query("INSERT INTO t VALUES (1)");
    EXPECT_EQ(second->query("SELECT x FROM t").rows.at(0).int64(0), 1);
  }
  auto other = b->acquire();
  EXPECT_THROW(other->query("SELECT x FROM t"), DbError);
}

TEST(OpenDatabaseTest, SqliteCreatesParentDirectories) {
  if (cm::test::test_backend() != "sqlite") GTEST_SKIP() << "SQLite-specific";
  // fresh_database_url gives an absolute path in a per-process temp dir; nest below it.
  const std::string base = cm::test::fresh_database_url("nested");
  const std::filesystem::path file =
      std::filesystem::path(base.substr(std::string("sqlite://").size())).parent_path() / "a" /
      "b" / "c.db";
  DatabaseOptions options;
  options.url = "sqlite://" + file.string();
  auto db = open_database(options);
  EXPECT_TRUE(db->ping());
  EXPECT_TRUE(std::filesystem::exists(file));
  EXPECT_EQ(db->acquire()->query("PRAGMA journal_mode").rows.at(0).text(0), "wal");
  EXPECT_EQ(db->acquire()->query("PRAGMA foreign_keys").rows.at(0).int64(0), 1);
}

TEST(OpenDatabaseTest, UnreachablePostgresIsUnavailable) {
  DatabaseOptions options;
  options.url = "postgresql://postgres@127.0.0.1:1/nowhere";
  try {
    open_database(options);
    FAIL() << "expected DbError";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::unavailable) << e.what();
  }
}

// ---- values ----

TEST_F(StoreTest, ParamsOfEveryTypeRoundTrip) {
  run(kCreateValues);
  const std::string unicode = "Grüße, 日本語, emoji 🎉, quotes ' \" \\ and a\ttab";
  const double tricky = 0.1 + 0.2;  // needs 17 significant digits to survive
  struct Case {
    std::int64_t id;
    Param i, s, b, d;
  };
  const std::vector<Case> cases = {
      {1, std::numeric_limits<std::int64_t>::max(), unicode, true, tricky},
      {2, std::numeric_limits<std::int64_t>::min(), std::string(""), false, -1.5e300},
      {3, std::int64_t{0}, std::string("plain"), true, 5e-324},
      {4, nullptr, nullptr, nullptr, nullptr},
  };
  {
    auto lease = db_->acquire();
    for (const auto& c : cases) {
      auto r = lease->query("INSERT INTO vals (id, i, s, b, d) VALUES ($1, $2, $3, $4, $5)",
                            {Param{c.id}, c.i, c.s, c.b, c.d});
      EXPECT_EQ(r.affected, 1);
    }
  }
  auto rows = run("SELECT i, s, b, d FROM vals ORDER BY id").rows;
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].int64(0), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(rows[0].text(1), unicode);
  EXPECT_TRUE(rows[0].boolean(2));
  EXPECT_EQ(rows[0].real(3), tricky);
  EXPECT_EQ(rows[1].int64(0), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(rows[1].text(1), "");  // empty string stays distinct from NULL
  EXPECT_FALSE(rows[1].is_null(1));
  EXPECT_FALSE(rows[1].boolean(2));
  EXPECT_EQ(rows[1].real(3), -1.5e300);
  EXPECT_EQ(rows[2].int64(0), 0);
  EXPECT_EQ(rows[2].real(3), 5e-324);
  for (std::size_t c = 0; c < 4; ++c) EXPECT_TRUE(rows[3].is_null(c)) << c;
  EXPECT_EQ(rows[3].opt_int64(0), std::nullopt);

  // NULL parameters also work in comparisons the portable way.
  auto nulls = run("SELECT id FROM vals WHERE s IS NOT DISTINCT FROM $1", {Param{nullptr}});
  ASSERT_EQ(nulls.rows.size(), 1u);
  EXPECT_EQ(nulls.rows[0].int64(0), 4);
}

TEST_F(StoreTest, OptHelpersBindNull) {
  run(kCreateValues);
  run("INSERT INTO vals (id, i, s) VALUES ($1, $2, $3)",
      {Param{std::int64_t{1}}, opt(std::optional<std::int64_t>{}),
       opt(std::optional<std::string>{"x"})});
  auto row = run("SELECT i, s FROM vals").rows.at(0);
  EXPECT_TRUE(row.is_null(0));
  EXPECT_EQ(row.text(1), "x");
}

TEST_F(StoreTest, PlaceholdersCanRepeatAndComeOutOfOrder) {
  run("CREATE TABLE p (id BIGINT PRIMARY KEY, a TEXT, b TEXT)");
  run("INSERT INTO p (id, a, b) VALUES ($2, $1, $1)",
      {Param{std::string("x")}, Param{std::int64_t{7}}});
  auto rows = run("SELECT a, b, id FROM p WHERE a = $2 AND b = $2 AND id = $1",
                  {Param{std::int64_t{7}}, Param{std::string("x")}})
                  .rows;
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].text(0), "x");
  EXPECT_EQ(rows[0].text(1), "x");
  EXPECT_EQ(rows[0].int64(2), 7);
}

TEST_F(StoreTest, WrongParameterCountIsAnErrorAndTheConnectionSurvives) {
  run("CREATE TABLE p (id BIGINT PRIMARY KEY)");
  auto lease = db_->acquire();
  EXPECT_EQ(kind_of([&] { lease->query("SELECT id FROM p WHERE id = $1"); }), DbError::Kind::other);
  EXPECT_EQ(kind_of([&] {
              lease->query("SELECT id FROM p WHERE id = $1",
                           {Param{std::int64_t{1}}, Param{std::int64_t{2}}});
            }),
            DbError::Kind::other);
  EXPECT_TRUE(lease->query("SELECT id FROM p WHERE id = $1", {Param{std::int64_t{1}}}).empty());
}

TEST_F(StoreTest, SeveralStatementsNeedExecuteScript) {
  auto lease = db_->acquire();
  EXPECT_THROW(lease->query("CREATE TABLE a (x INTEGER); CREATE TABLE b (x INTEGER)"), DbError);
  lease->execute_script("CREATE TABLE a (x INTEGER); CREATE TABLE b (x INTEGER);");
  EXPECT_EQ(lease->query("INSERT INTO b (x) VALUES (1)").affected, 1);
  EXPECT_THROW(lease->execute_script("CREATE TABLE c (x INTEGER); THIS IS NOT SQL"), DbError);
}

TEST_F(StoreTest, ReturningAndAffectedCounts) {
  run("CREATE TABLE r (id BIGINT PRIMARY KEY, name TEXT NOT NULL, n BIGINT NOT NULL DEFAULT 0)");
  auto inserted = run("INSERT INTO r (id, name) VALUES ($1, $2), ($3, $4) RETURNING id, name, n",
                      {Param{std::int64_t{1}}, Param{std::string("one")}, Param{std::int64_t{2}},
                       Param{std::string("two")}});
  EXPECT_EQ(inserted.affected, 2);
  ASSERT_EQ(inserted.rows.size(), 2u);
  EXPECT_EQ(inserted.rows[0].int64(2), 0);

  auto updated = run("UPDATE r SET n = n + 5 WHERE id = $1 RETURNING n", {Param{std::int64_t{2}}});
  EXPECT_EQ(updated.affected, 1);
  ASSERT_EQ(updated.rows.size(), 1u);
  EXPECT_EQ(updated.rows[0].int64(0), 5);

  EXPECT_EQ(run("UPDATE r SET n = 1 WHERE id = $1", {Param{std::int64_t{99}}}).affected, 0);
  auto selected = run("SELECT id FROM r ORDER BY id");
  EXPECT_EQ(selected.rows.size(), 2u);
  EXPECT_EQ(selected.affected, 0);  // only changed rows count, on both backends

  auto deleted = run("DELETE FROM r RETURNING id");
  EXPECT_EQ(deleted.affected, 2);
  EXPECT_EQ(deleted.rows.size(), 2u);
  EXPECT_TRUE(run("SELECT id FROM r").empty());
}

// ---- errors ----

TEST_F(StoreTest, ConstraintViolationsHaveTheirKinds) {
  {
    auto lease = db_->acquire();
    lease->execute_script(
        "CREATE TABLE parents (id BIGINT PRIMARY KEY, email TEXT NOT NULL UNIQUE);"
        "CREATE TABLE children (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL REFERENCES "
        "parents (id), qty BIGINT NOT NULL CONSTRAINT qty_positive CHECK (qty > 0));");
  }
  run("INSERT INTO parents (id, email) VALUES (1, 'a@example.com')");

  try {
    run("INSERT INTO parents (id, email) VALUES (2, $1)", {Param{std::string("a@example.com")}});
    FAIL() << "expected a unique violation";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::unique_violation) << e.what();
    EXPECT_EQ(e.constraint(), is_postgres() ? "parents_email_key" : "parents.email");
    EXPECT_EQ(std::string(e.what()).find("a@example.com"), std::string::npos)
        << "row values stay out of error messages: " << e.what();
  }
  EXPECT_EQ(kind_of([&] { run("INSERT INTO parents (id, email) VALUES (1, 'b@example.com')"); }),
            DbError::Kind::unique_violation);
  EXPECT_EQ(kind_of([&] { run("INSERT INTO children (id, parent_id, qty) VALUES (1, 42, 1)"); }),
            DbError::Kind::foreign_key_violation);
  try {
    run("INSERT INTO children (id, parent_id, qty) VALUES (1, 1, 0)");
    FAIL() << "expected a check violation";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::check_violation) << e.what();
    EXPECT_EQ(e.constraint(), "qty_positive");
  }
  EXPECT_EQ(kind_of([&] { run("SELECT * FROM no_such_table"); }), DbError::Kind::other);
  // The pool still works after every failure.
  EXPECT_EQ(run("SELECT COUNT(*) FROM parents").rows.at(0).int64(0), 1);
}

// ---- transactions ----

TEST_F(StoreTest, TransactionRollsBackOnException) {
  run("CREATE TABLE t (id BIGINT PRIMARY KEY)");
  auto lease = db_->acquire();
  try {
    Transaction tx(*lease, Transaction::Mode::write);
    tx.connection().query("INSERT INTO t (id) VALUES (1)");
    throw std::runtime_error("boom");
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(lease->query("SELECT id FROM t").empty());
  // And the connection is usable for a new transaction afterwards.
  Transaction tx(*lease, Transaction::Mode::write);
  tx.connection().query("INSERT INTO t (id) VALUES (2)");
  tx.commit();
  EXPECT_EQ(run("SELECT id FROM t").rows.at(0).int64(0), 2);
}

TEST_F(StoreTest, CommitIsVisibleToOtherConnectionsOnlyAfterCommit) {
  run("CREATE TABLE t (id BIGINT PRIMARY KEY)");
  auto writer = db_->acquire();
  auto reader = db_->acquire();
  Transaction tx(*writer, Transaction::Mode::write);
  tx.connection().query("INSERT INTO t (id) VALUES (1)");
  EXPECT_TRUE(reader->query("SELECT id FROM t").empty());
  tx.commit();
  EXPECT_EQ(reader->query("SELECT id FROM t").rows.size(), 1u);
}

TEST_F(StoreTest, ReadTransactionSeesCommittedData) {
  run("CREATE TABLE t (id BIGINT PRIMARY KEY)");
  run("INSERT INTO t (id) VALUES (1)");
  auto lease = db_->acquire();
  Transaction tx(*lease, Transaction::Mode::read);
  EXPECT_EQ(tx.connection().query("SELECT COUNT(*) FROM t").rows.at(0).int64(0), 1);
  tx.commit();
}

TEST_F(StoreTest, LeaseReturnedInsideATransactionIsRolledBack) {
  auto db = open(1, 1);  // one connection, so the next lease gets the same one
  {
    auto lease = db->acquire();
    lease->query("CREATE TABLE t (id BIGINT PRIMARY KEY)");
    lease->execute_script("BEGIN");
    lease->query("INSERT INTO t (id) VALUES (1)");
  }
  auto lease = db->acquire();
  EXPECT_TRUE(lease->query("SELECT id FROM t").empty());
  Transaction tx(*lease, Transaction::Mode::write);  // BEGIN would fail inside a transaction
  tx.commit();
}

TEST_F(StoreTest, PostgresCommitAfterAFailedStatementThrows) {
  if (!is_postgres()) GTEST_SKIP() << "SQLite rolls back only the failed statement";
  run("CREATE TABLE t (id BIGINT PRIMARY KEY)");
  auto lease = db_->acquire();
  Transaction tx(*lease, Transaction::Mode::write);
  tx.connection().query("INSERT INTO t (id) VALUES (1)");
  EXPECT_THROW(tx.connection().query("INSERT INTO t (id) VALUES (1)"), DbError);
  // PostgreSQL would answer COMMIT with ROLLBACK and no error; we must not report success.
  EXPECT_THROW(tx.commit(), DbError);
}

// ---- pool ----

TEST_F(StoreTest, ExhaustedPoolTimesOutAsUnavailable) {
  auto db = open(0, 2, 200ms);
  auto a = db->acquire();
  auto b = db->acquire();
  EXPECT_EQ(db->stats().in_use, 2);
  const auto start = std::chrono::steady_clock::now();
  try {
    auto c = db->acquire();
    FAIL() << "expected the pool to be exhausted";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::unavailable);
    EXPECT_NE(std::string(e.what()).find("200 ms"), std::string::npos) << e.what();
  }
  EXPECT_GE(std::chrono::steady_clock::now() - start, 190ms);
  EXPECT_EQ(db->stats().acquire_timeouts, 1);
  EXPECT_FALSE(db->ping());  // no connection free: not ready
  { auto released = std::move(a); }
  auto c = db->acquire();
  EXPECT_EQ(c->query("SELECT 1").rows.at(0).int64(0), 1);
}

TEST_F(StoreTest, WaiterGetsTheReleasedConnection) {
  auto db = open(1, 1, 5'000ms);
  auto held = std::make_unique<Database::Lease>(db->acquire());
  std::thread releaser([&] {
    std::this_thread::sleep_for(100ms);
    held.reset();
  });
  auto lease = db->acquire();
  releaser.join();
  EXPECT_EQ(lease->query("SELECT 1").rows.at(0).int64(0), 1);
  const PoolStats stats = db->stats();
  EXPECT_EQ(stats.in_use, 1);
  EXPECT_EQ(stats.idle, 0);
  EXPECT_EQ(stats.max, 1);
  EXPECT_EQ(stats.acquire_timeouts, 0);
}

TEST_F(StoreTest, PoolOpensMinEagerlyAndMaxLazily) {
  auto db = open(2, 3);
  EXPECT_EQ(db->stats().idle, 2);
  {
    auto a = db->acquire();
    auto b = db->acquire();
    auto c = db->acquire();
    EXPECT_EQ(db->stats().in_use, 3);
    EXPECT_EQ(db->stats().idle, 0);
  }
  EXPECT_EQ(db->stats().idle, 3);
  EXPECT_EQ(db->stats().in_use, 0);
  EXPECT_TRUE(db->ping());
}

TEST_F(StoreTest, ConcurrentWritersLoseNoUpdates) {
  run("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)");
  run("INSERT INTO counter (id, n) VALUES (1, 0)");
  constexpr int kThreads = 4;
  constexpr int kIncrements = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < kIncrements; ++i) {
          auto lease = db_->acquire();
          if ((i + t) % 2 == 0) {
            Transaction tx(*lease, Transaction::Mode::write);
            tx.connection().query("UPDATE counter SET n = n + 1 WHERE id = $1",
                                  {Param{std::int64_t{1}}});
            tx.commit();
          } else {
            lease->query("UPDATE counter SET n = n + 1 WHERE id = $1", {Param{std::int64_t{1}}});
          }
        }
      } catch (const std::exception& e) {
        ++failures;
        ADD_FAILURE() << "writer " << t << ": " << e.what();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(run("SELECT n FROM counter WHERE id = 1").rows.at(0).int64(0), kThreads * kIncrements);
}

// ---- PostgreSQL only ----

TEST_F(StoreTest, PostgresReconnectsAfterServerRestart) {
  if (!is_postgres()) GTEST_SKIP() << "PostgreSQL-specific";
  auto& server = cm::test::shared_pg_server();
  if (!server.can_restart()) GTEST_SKIP() << "external server from CM_TEST_PG_URL";
  auto db = open(2, 4);
  {
    auto a = db->acquire();
    auto b = db->acquire();
    a->query("CREATE TABLE t (id BIGINT PRIMARY KEY)");
    b->query("INSERT INTO t (id) VALUES (1)");
  }
  ASSERT_TRUE(db->ping());

  server.restart();

  // Both pooled connections are dead now; every lease must come back working.
  {
    auto a = db->acquire();
    auto b = db->acquire();
    EXPECT_EQ(a->query("SELECT COUNT(*) FROM t").rows.at(0).int64(0), 1);
    EXPECT_EQ(b->query("SELECT COUNT(*) FROM t").rows.at(0).int64(0), 1);
  }
  EXPECT_TRUE(db->ping());
  EXPECT_EQ(db->stats().in_use, 0);
}

TEST_F(StoreTest, PostgresConnectionLostMidLeaseIsUnavailableAndReplaced) {
  if (!is_postgres()) GTEST_SKIP() << "PostgreSQL-specific";
  auto db = open(1, 2);
  auto victim = db->acquire();
  const std::int64_t pid = victim->query("SELECT pg_backend_pid()").rows.at(0).int64(0);
  run("SELECT pg_terminate_backend($1)", {Param{pid}});
  EXPECT_EQ(kind_of([&] { victim->query("SELECT 1"); }), DbError::Kind::unavailable);
  { auto gone = std::move(victim); }  // released broken: discarded, not pooled
  auto lease = db->acquire();
  EXPECT_EQ(lease->query("SELECT 1").rows.at(0).int64(0), 1);
}

}  // namespace
}  // namespace cm::store::testing
