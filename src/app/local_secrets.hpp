// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Secrets of an install that has not been given any (development and staging): a random
// JWT_SECRET and ENCRYPTION_KEY are generated once into DATA_DIR/secrets (mode 0600) and reused
// on every start, so no two installs share key material and documents are encrypted at rest by
// default. Production never gets here: it refuses to start without both (config.cpp).

#include <string>
#include <vector>

#include "app/config.hpp"
#include "core/result.hpp"

namespace cm::app {

// What provide_local_secrets did, for the caller to log (never the values).
struct LocalSecretsReport {
  std::vector<std::string> generated;  // e.g. "JWT_SECRET in ./var/secrets/jwt_secret"
  std::vector<std::string> reused;
};

// Fills config.jwt_secret / config.encryption_key when they are empty and APP_ENV is not
// production. Safe when several processes (serve, worker) start at once on the same DATA_DIR:
// the first to create a file wins and the others read it. Errors name the file.
Result<LocalSecretsReport> provide_local_secrets(Config& config);

}  // namespace cm::app
