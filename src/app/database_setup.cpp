// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/database_setup.hpp"

#include <filesystem>
#include <iostream>

#include "obs/metrics.hpp"
#include "store/migrations.hpp"

namespace cm::app {

std::unique_ptr<store::Database> open_configured_database(const Config& config) {
  store::DatabaseOptions options;
  options.url = config.database_url;
  options.pool_min = config.db_pool_min;
  options.pool_max = config.db_pool_max;
  options.acquire_timeout = config.db_acquire_timeout;
  try {
    return store::open_database(options);
  } catch (const std::invalid_argument& e) {
    std::cerr << "contractmgmt: DATABASE_URL: " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "contractmgmt: cannot open the database: " << e.what() << "\n";
  }
  return nullptr;
}

std::optional<int> require_current_schema(store::Database& db) {
  store::Migrator migrator(db);
  const int current = migrator.current_version();
  const int latest = migrator.latest_version();
  if (current < latest) {
    std::cerr << "contractmgmt: the database schema is at version " << current
              << " but this binary needs " << latest << "; run `contractmgmt migrate` first.\n";
    return std::nullopt;
  }
  return latest;
}

void add_pool_scrape_hook(obs::Metrics& metrics, store::Database& db) {
  metrics.add_scrape_hook([&db](obs::Metrics& m) {
    const auto stats = db.stats();
    m.set_db_pool(stats.idle, stats.in_use, stats.max);
  });
}

}  // namespace cm::app
