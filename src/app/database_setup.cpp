#include "app/database_setup.hpp"

#include <filesystem>
#include <iostream>

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

}  // namespace cm::app
