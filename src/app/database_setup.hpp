#pragma once

#include <memory>

#include "app/config.hpp"
#include "store/database.hpp"

namespace cm::app {

// Opens the configured database, printing a clear message to stderr and returning null when it
// cannot (bad URL, server unreachable).
std::unique_ptr<store::Database> open_configured_database(const Config& config);

}  // namespace cm::app
