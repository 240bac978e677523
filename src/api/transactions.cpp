// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/transactions.hpp"

namespace cm::api {

namespace {

void in_transaction(store::Database& db, store::Transaction::Mode mode,
                    const std::function<void(store::Transaction&)>& work) {
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    try {
      auto lease = db.acquire();
      store::Transaction tx(*lease, mode);
      work(tx);
      tx.commit();
      return;
    } catch (const store::DbError& e) {
      if (e.kind() != store::DbError::Kind::serialization_failure || attempt == kAttempts) throw;
    }
  }
}

}  // namespace

void in_write_transaction(store::Database& db,
                          const std::function<void(store::Connection&)>& work) {
  in_transaction(db, store::Transaction::Mode::write,
                 [&](store::Transaction& tx) { work(tx.connection()); });
}

void in_read_transaction(store::Database& db, const std::function<void(store::Connection&)>& work) {
  in_transaction(db, store::Transaction::Mode::read,
                 [&](store::Transaction& tx) { work(tx.connection()); });
}

void in_write_transaction_tx(store::Database& db,
                             const std::function<void(store::Transaction&)>& work) {
  in_transaction(db, store::Transaction::Mode::write, work);
}

}  // namespace cm::api
