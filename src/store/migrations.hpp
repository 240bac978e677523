// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Numbered, forward-only schema migrations for both backends. Each migration has one SQL script
// per dialect; `migrate` applies the pending ones in order, each in its own transaction, and
// records them in `schema_migrations`. Running it twice is a no-op.

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace cm::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sqlite_sql;
  std::string_view postgres_sql;
};

// All migrations known to this binary, ascending by version.
const std::vector<Migration>& all_migrations();

struct MigrationState {
  int version = 0;
  std::string name;
  bool applied = false;
  std::string applied_at;  // RFC 3339, empty when pending
};

class Migrator {
 public:
  explicit Migrator(Database& db) : db_(db) {}
  // Every known migration with whether it is applied.
  std::vector<MigrationState> status();
  // Applies pending migrations (those up to `up_to`: tests of a migration's backfill stop before
  // it); returns how many were applied. Concurrent runs are safe (the PostgreSQL implementation
  // takes an advisory lock; SQLite serializes writers).
  int apply_pending(int up_to = std::numeric_limits<int>::max());
  // The highest applied version and the highest known one.
  int current_version();
  int latest_version() const;

 private:
  Database& db_;
};

}  // namespace cm::store
