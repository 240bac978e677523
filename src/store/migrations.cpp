// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/migrations.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <stdexcept>
#include <string>

namespace cm::store {

namespace {

// Serializes migrators on PostgreSQL across processes; any constant unique to this application
// works ("cm-migr" in ASCII).
constexpr std::int64_t kMigrationLockKey = 0x636d2d6d696772;

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
constexpr std::string_view kSelectApplied =
    "SELECT version, name, applied_at FROM schema_migrations ORDER BY version";
constexpr std::string_view kIsApplied = "SELECT 1 FROM schema_migrations WHERE version = $1";
constexpr std::string_view kInsertApplied =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";
constexpr std::string_view kMaxVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
constexpr std::string_view kSqliteTableExists =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
constexpr std::string_view kPgTableExists =
    "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE 1 END";
constexpr std::string_view kPgLock = "SELECT pg_advisory_xact_lock($1)";

std::int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string rfc3339_utc_ms(std::int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[96];  // roomy enough that -Wformat-truncation can prove it fits
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(unix_ms % 1000));
  return buf;
}

const std::vector<Migration>& checked_migrations() {
  const auto& all = all_migrations();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].version <= 0 || (i > 0 && all[i].version <= all[i - 1].version))
      throw std::logic_error("migrations must have positive, strictly ascending versions (at " +
                             std::string(all[i].name) + ")");
  }
  return all;
}

bool table_exists(Connection& conn) {
  const auto sql = conn.dialect() == Dialect::sqlite ? kSqliteTableExists : kPgTableExists;
  return conn.query(sql).rows.at(0).int64(0) != 0;
}

// Opens a write transaction that excludes other migrators until it ends. SQLite's BEGIN
// IMMEDIATE already holds the database write lock; PostgreSQL needs the advisory lock.
void lock_for_migration(Connection& conn) {
  if (conn.dialect() == Dialect::postgres) conn.query(kPgLock, {Param{kMigrationLockKey}});
}

}  // namespace

std::vector<MigrationState> Migrator::status() {
  const auto& all = checked_migrations();
  std::map<std::int64_t, std::int64_t> applied_at;  // version -> unix ms
  {
    auto lease = db_.acquire();
    if (table_exists(*lease)) {
      for (const auto& row : lease->query(kSelectApplied).rows)
        applied_at.emplace(row.int64(0), row.int64(2));
    }
  }
  std::vector<MigrationState> states;
  states.reserve(all.size());
  for (const auto& m : all) {
    MigrationState s{m.version, std::string(m.name), false, {}};
    if (auto it = applied_at.find(m.version); it != applied_at.end()) {
      s.applied = true;
      s.applied_at = rfc3339_utc_ms(it->second);
    }
    states.push_back(std::move(s));
  }
  return states;
}

int Migrator::apply_pending(int up_to) {
  const auto& all = checked_migrations();
  auto lease = db_.acquire();
  Connection& conn = *lease;
  {
    // Under the lock: two PostgreSQL sessions racing on CREATE TABLE IF NOT EXISTS can both
    // pass the existence check and one then fails on the catalog's unique index.
    Transaction tx(conn, Transaction::Mode::write);
    lock_for_migration(conn);
    conn.execute_script(kCreateTable);
    tx.commit();
  }

  int applied = 0;
  for (const auto& m : all) {
    if (m.version > up_to) break;
    Transaction tx(conn, Transaction::Mode::write);
    lock_for_migration(conn);
    // Re-checked under the lock: a concurrent migrator may have applied it meanwhile.
    if (!conn.query(kIsApplied, {Param{std::int64_t{m.version}}}).empty()) continue;
    const std::string_view script =
        conn.dialect() == Dialect::sqlite ? m.sqlite_sql : m.postgres_sql;
    try {
      conn.execute_script(script);
    } catch (const DbError& e) {
      // Same kind, with the migration named: the operator needs to know which script failed.
      throw DbError(e.kind(),
                    "migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                        ") failed: " + e.what(),
                    e.constraint());
    }
    conn.query(kInsertApplied,
               {Param{std::int64_t{m.version}}, Param{std::string(m.name)}, Param{now_unix_ms()}});
    tx.commit();
    ++applied;
  }
  return applied;
}

int Migrator::current_version() {
  auto lease = db_.acquire();
  if (!table_exists(*lease)) return 0;
  return static_cast<int>(lease->query(kMaxVersion).rows.at(0).int64(0));
}

int Migrator::latest_version() const {
  const auto& all = checked_migrations();
  return all.empty() ? 0 : all.back().version;
}

}  // namespace cm::store
