// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// A migrated SQLite database in a temp file (a copy of one migrated once per process), whatever
// CM_TEST_BACKEND says: these are unit tests of the workflow services, which need the real store
// but no server. With one organization, its owner and two managers.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/contract.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "core/user.hpp"
#include "store/contract_repository.hpp"
#include "store/database.hpp"
#include "store/organization_repository.hpp"
#include "store/user_repository.hpp"
#include "support/migrated_sqlite.hpp"
#include "support/store_users.hpp"

namespace cm::workflow::testing {

class WorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::DatabaseOptions options;
    options.url = cm::test::fresh_migrated_sqlite_url("workflow");
    options.pool_min = 1;
    options.pool_max = 2;
    db_ = store::open_database(options);
    auto lease = db_->acquire();
    store::Transaction tx(*lease, store::Transaction::Mode::write);
    org_ = new_id();
    store::OrganizationRepository(*lease).insert(
        {org_, "Workflow " + org_, default_contract_types(), now_unix_ms()});
    owner_ = add_user(*lease, "owner", Role::member);
    ann_ = add_user(*lease, "ann", Role::manager);
    bob_ = add_user(*lease, "bob", Role::manager);
    tx.commit();
  }

  std::string add_user(store::Connection& conn, const std::string& name, Role role) {
    return cm::test::insert_user(conn, org_, name, role);
  }

  Contract insert_contract(const std::string& status = "draft") {
    Contract c;
    c.id = new_id();
    c.org_id = org_;
    c.title = "Supply " + c.id;
    c.type = "nda";
    c.status = status;
    c.owner_id = owner_;
    c.created_by = owner_;
    c.created_at = c.updated_at = now_unix_ms();
    auto lease = db_->acquire();
    store::ContractRepository(*lease).insert(c);
    return c;
  }

  void set_time_zone(const std::string& zone) {
    auto lease = db_->acquire();
    auto org = *store::OrganizationRepository(*lease).find_by_id(org_);
    org.time_zone = zone;
    store::OrganizationRepository(*lease).update_settings(org);
  }

  std::unique_ptr<store::Database> db_;
  std::string org_, owner_, ann_, bob_;
};

}  // namespace cm::workflow::testing
