// SPDX-License-Identifier: AGPL-3.0-or-later
// Migration 10: audit events name the contract they belong to. Rows written before it are
// backfilled, a contract's trail then includes its documents' events, and the chain still
// verifies (contract_id is not hashed; verification checks that it matches the event).

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/audit.hpp"
#include "core/ids.hpp"
#include "store/audit_repository.hpp"
#include "store/migrations.hpp"
#include "store_fixture.hpp"

namespace cm::store::testing {
namespace {

namespace bj = boost::json;

class AuditContractTest : public StoreTest {
 protected:
  // Appends an event the way the code before migration 10 did (no contract_id column).
  // `changes_text`: the stored text when it is not the serialized changes (an edited row).
  void append_old(const std::string& action, const std::string& entity_type,
                  const std::string& entity_id, bj::value changes,
                  std::optional<std::string> changes_text = std::nullopt) {
    auto e = make_audit_event({org_, new_id(), "user", "req", "203.0.113.9"}, action, entity_type,
                              entity_id, std::move(changes));
    e.seq = ++seq_;
    e.prev_hash = prev_hash_;
    e.hash = compute_audit_hash(e);
    prev_hash_ = e.hash;
    const Param stored = changes_text          ? Param{*changes_text}
                         : e.changes.is_null() ? Param{nullptr}
                                               : Param{bj::serialize(e.changes)};
    run("INSERT INTO audit_events (id, org_id, seq, actor_id, actor_type, action, entity_type, "
        "entity_id, at, changes, request_id, ip, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, "
        "$7, $8, $9, $10, $11, $12, $13, $14)",
        {e.id, e.org_id, e.seq, e.actor_id, e.actor_type, e.action, e.entity_type, e.entity_id,
         e.at, stored, e.request_id, e.ip, e.prev_hash, e.hash});
    run("INSERT INTO audit_heads (org_id, last_seq, last_hash) VALUES ($1, $2, $3) ON CONFLICT "
        "(org_id) DO UPDATE SET last_seq = excluded.last_seq, last_hash = excluded.last_hash",
        {org_, seq_, prev_hash_});
  }

  std::vector<AuditEvent> trail(const std::string& entity_id, bool contract_events_only = false) {
    AuditFilter f;
    f.entity_id = entity_id;
    f.contract_events_only = contract_events_only;
    f.limit = 100;
    auto lease = db_->acquire();
    return AuditRepository(*lease).list(org_, f);
  }

  std::string org_ = new_id();
  std::int64_t seq_ = 0;
  std::string prev_hash_ = kGenesisHash;
};

TEST_F(AuditContractTest, OldEventsAreBackfilledAndTheChainStillVerifies) {
  ASSERT_EQ(Migrator(*db_).apply_pending(9), 9);
  const std::string contract = new_id();
  const std::string other = new_id();
  const std::string doc = new_id();
  append_old("contract.created", "contract", contract, bj::object{{"title", "A"}});
  append_old("document.uploaded", "document", doc,
             bj::object{{"contractId", contract}, {"version", 1}});
  append_old("user.created", "user", new_id(), bj::object{{"email", "a@example.com"}});
  append_old("contract.created", "contract", other, nullptr);
  // An edited row whose changes are no longer JSON: the migration must not fail on it.
  append_old("document.deleted", "document", new_id(), bj::string("{\"contractId\": broken"),
             std::string("{\"contractId\": broken"));

  ASSERT_EQ(Migrator(*db_).apply_pending(10), 1);  // migration 10 adds the column
  const auto events = trail(contract);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].action, "document.uploaded");
  EXPECT_EQ(events[0].contract_id, contract);
  EXPECT_EQ(events[1].action, "contract.created");
  EXPECT_EQ(events[1].contract_id, contract);
  ASSERT_EQ(trail(doc).size(), 1u);  // a document's own events stay its own

  auto lease = db_->acquire();
  AuditRepository audit(*lease);
  auto verified = audit.verify(org_);
  EXPECT_FALSE(verified.first_break) << verified.first_break->reason;
  EXPECT_EQ(verified.events_checked, 5);

  // New events get it at insert, and the chain goes on.
  record_audit(*lease, {org_, new_id(), "user", "req", ""}, "document.generated", "document",
               new_id(), bj::object{{"contractId", other}});
  const auto others = trail(other);
  ASSERT_EQ(others.size(), 2u);
  EXPECT_EQ(others[0].action, "document.generated");
  verified = audit.verify(org_);
  EXPECT_FALSE(verified.first_break) << verified.first_break->reason;
  EXPECT_EQ(verified.events_checked, 6);
}

TEST_F(AuditContractTest, TheColumnIsUnderTheAppendOnlyGuardAgain) {
  ASSERT_GT(Migrator(*db_).apply_pending(), 0);
  {
    auto lease = db_->acquire();
    record_audit(*lease, {org_, new_id(), "user", "req", ""}, "contract.created", "contract",
                 new_id());
  }
  EXPECT_THROW(run("UPDATE audit_events SET contract_id = NULL"), DbError);
  EXPECT_THROW(run("DELETE FROM audit_events"), DbError);
}

}  // namespace
}  // namespace cm::store::testing
