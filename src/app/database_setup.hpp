// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>

#include "app/config.hpp"
#include "store/database.hpp"

namespace cm::obs {
class Metrics;
}  // namespace cm::obs

namespace cm::app {

// Opens the configured database, printing a clear message to stderr and returning null when it
// cannot (bad URL, server unreachable).
std::unique_ptr<store::Database> open_configured_database(const Config& config);

// The schema version this binary needs when the database has it, else nullopt after telling the
// operator (stderr) to run `contractmgmt migrate`. `serve` and `worker` refuse to start on an
// older schema.
std::optional<int> require_current_schema(store::Database& db);

// db_pool_connections{state}, read at scrape time.
void add_pool_scrape_hook(obs::Metrics& metrics, store::Database& db);

}  // namespace cm::app
