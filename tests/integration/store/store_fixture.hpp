// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Shared fixture for the storage tests: every test gets a fresh database of the backend chosen
// by CM_TEST_BACKEND, so the same test body checks SQLite and PostgreSQL.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "store/database.hpp"
#include "support/test_env.hpp"

namespace cm::store::testing {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = cm::test::fresh_database_url("store");
    db_ = open();
  }

  std::unique_ptr<Database> open(
      int pool_min = 1, int pool_max = 4,
      std::chrono::milliseconds acquire_timeout = std::chrono::milliseconds{5'000}) const {
    DatabaseOptions options;
    options.url = url_;
    options.pool_min = pool_min;
    options.pool_max = pool_max;
    options.acquire_timeout = acquire_timeout;
    return open_database(options);
  }

  bool is_postgres() const { return db_->dialect() == Dialect::postgres; }

  // Runs a statement on a connection of its own; most tests do not care which one.
  QueryResult run(std::string_view sql, std::initializer_list<Param> params = {}) {
    auto lease = db_->acquire();
    return lease->query(sql, params);
  }

  std::string url_;
  std::unique_ptr<Database> db_;
};

}  // namespace cm::store::testing
