// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/migrations.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <thread>

#include "store_fixture.hpp"

namespace cm::store::testing {
namespace {

const std::regex kRfc3339Ms(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");

TEST_F(StoreTest, FreshDatabaseHasNothingApplied) {
  Migrator migrator(*db_);
  EXPECT_EQ(migrator.current_version(), 0);
  EXPECT_EQ(migrator.latest_version(), all_migrations().back().version);
  const auto status = migrator.status();
  ASSERT_EQ(status.size(), all_migrations().size());
  for (std::size_t i = 0; i < status.size(); ++i) {
    EXPECT_EQ(status[i].version, all_migrations()[i].version);
    EXPECT_EQ(status[i].name, all_migrations()[i].name);
    EXPECT_FALSE(status[i].applied);
    EXPECT_TRUE(status[i].applied_at.empty());
  }
}

TEST_F(StoreTest, MigrationsApplyOnceAndReportStatus) {
  Migrator migrator(*db_);
  EXPECT_EQ(migrator.apply_pending(), static_cast<int>(all_migrations().size()));
  EXPECT_EQ(migrator.current_version(), migrator.latest_version());
  EXPECT_EQ(migrator.apply_pending(), 0);  // idempotent
  EXPECT_EQ(Migrator(*db_).apply_pending(), 0);

  for (const auto& s : migrator.status()) {
    EXPECT_TRUE(s.applied) << s.version;
    EXPECT_TRUE(std::regex_match(s.applied_at, kRfc3339Ms)) << s.applied_at;
  }
  // One bookkeeping row per migration, nothing more.
  auto lease = db_->acquire();
  EXPECT_EQ(lease->query("SELECT COUNT(*) FROM schema_migrations").rows.at(0).int64(0),
            static_cast<std::int64_t>(all_migrations().size()));
}

TEST_F(StoreTest, ConcurrentMigratorsBothSucceed) {
  // Two pools, as two processes starting at once would have.
  auto other = open(1, 2);
  int applied_a = -1;
  int applied_b = -1;
  std::string error_a;
  std::string error_b;
  std::thread a([&] {
    try {
      applied_a = Migrator(*db_).apply_pending();
    } catch (const std::exception& e) {
      error_a = e.what();
    }
  });
  std::thread b([&] {
    try {
      applied_b = Migrator(*other).apply_pending();
    } catch (const std::exception& e) {
      error_b = e.what();
    }
  });
  a.join();
  b.join();
  EXPECT_EQ(error_a, "");
  EXPECT_EQ(error_b, "");
  EXPECT_EQ(applied_a + applied_b, static_cast<int>(all_migrations().size()));
  EXPECT_EQ(Migrator(*db_).current_version(), Migrator(*db_).latest_version());
}

}  // namespace
}  // namespace cm::store::testing
