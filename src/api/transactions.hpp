// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Handlers' transactions: commit or roll back as a whole, retried on serialization failures.

#include <functional>

#include "store/database.hpp"

namespace cm::api {

// Runs `work` in a write transaction and commits, retrying a few times when the database
// reports a serialization failure or deadlock.
void in_write_transaction(store::Database& db, const std::function<void(store::Connection&)>& work);
void in_read_transaction(store::Database& db, const std::function<void(store::Connection&)>& work);
// The same, for work that also enqueues jobs (which join the transaction itself).
void in_write_transaction_tx(store::Database& db,
                             const std::function<void(store::Transaction&)>& work);

}  // namespace cm::api
