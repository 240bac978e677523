// SPDX-License-Identifier: AGPL-3.0-or-later
// The transition services on a real (SQLite) store: a move saves the contract, its history row
// and its audit event together; a stale version changes nothing; submitting starts the approval
// and notifies the approvers; returning to draft voids it.

#include "workflow/transitions.hpp"

#include <gtest/gtest.h>

#include "core/audit.hpp"
#include "core/lifecycle.hpp"
#include "store/audit_repository.hpp"
#include "store/collaboration_repository.hpp"
#include "store/workflow_repository.hpp"
#include "workflow_fixture.hpp"

namespace cm::workflow::testing {
namespace {

using TransitionsTest = WorkflowTest;

const Transition& row(ContractState from, ContractState to) {
  const auto* t = find_transition(from, to);
  if (!t) throw std::logic_error("no such transition");
  return *t;
}

std::vector<AuditEvent> events_of(store::Connection& conn, const std::string& org,
                                  const std::string& contract) {
  store::AuditFilter f;
  f.entity_id = contract;
  f.limit = 100;
  auto events = store::AuditRepository(conn).list(org, f);
  std::reverse(events.begin(), events.end());  // oldest first
  return events;
}

TEST_F(TransitionsTest, AMoveSavesTheContractItsHistoryAndItsAuditEventTogether) {
  auto contract = insert_contract();
  const AuditActor actor{org_, owner_, "user", "req-1", "203.0.113.5"};
  {
    auto lease = db_->acquire();
    store::Transaction tx(*lease, store::Transaction::Mode::write);
    apply_transition(*lease, actor, contract, row(ContractState::draft, ContractState::cancelled),
                     owner_, std::string("no longer needed"));
    tx.commit();
  }
  EXPECT_EQ(contract.status, "cancelled");
  EXPECT_EQ(contract.version, 2);

  auto lease = db_->acquire();
  const auto stored = store::ContractRepository(*lease).find(org_, contract.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, "cancelled");
  EXPECT_EQ(stored->version, 2);
  const auto history = store::TransitionRepository(*lease).list(org_, contract.id);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].from_status, "draft");
  EXPECT_EQ(history[0].to_status, "cancelled");
  EXPECT_EQ(history[0].actor_id, owner_);
  EXPECT_EQ(history[0].comment, "no longer needed");
  const auto events = events_of(*lease, org_, contract.id);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].action, "contract.cancelled");
  EXPECT_EQ(events[0].request_id, "req-1");
  const auto& changes = events[0].changes.as_object();
  EXPECT_EQ(changes.at("from").as_string(), "draft");
  EXPECT_EQ(changes.at("to").as_string(), "cancelled");
  EXPECT_FALSE(changes.at("system").as_bool());
}

TEST_F(TransitionsTest, AStaleVersionIsAPreconditionFailureAndChangesNothing) {
  auto contract = insert_contract();
  contract.version = 7;  // someone else moved it on
  auto lease = db_->acquire();
  try {
    store::Transaction tx(*lease, store::Transaction::Mode::write);
    apply_transition(*lease, AuditActor::system(org_), contract,
                     row(ContractState::draft, ContractState::cancelled), std::nullopt,
                     std::nullopt);
    tx.commit();
    FAIL() << "a stale version was saved";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::precondition_failed);
  }
  EXPECT_EQ(store::ContractRepository(*lease).find(org_, contract.id)->status, "draft");
  EXPECT_TRUE(store::TransitionRepository(*lease).list(org_, contract.id).empty());
  EXPECT_TRUE(events_of(*lease, org_, contract.id).empty());
}

TEST_F(TransitionsTest, SubmittingStartsTheDefaultApprovalAndNotifiesTheManagers) {
  auto contract = insert_contract();
  const AuditActor actor{org_, owner_, "user", "req-2", ""};
  const CivilDate today{2026, 3, 2};
  auto lease = db_->acquire();
  {
    store::Transaction tx(*lease, store::Transaction::Mode::write);
    apply_transition(*lease, actor, contract, row(ContractState::draft, ContractState::in_review),
                     owner_, std::nullopt);
    start_contract_approval(*lease, actor, contract, today);
    tx.commit();
  }
  const auto approval = store::ApprovalRepository(*lease).latest(org_, contract.id);
  ASSERT_TRUE(approval);
  EXPECT_EQ(approval->approval.status, ApprovalStatus::pending);
  EXPECT_EQ(approval->approval.policy_name, default_approval_policy().name);
  ASSERT_EQ(approval->approval.stages.size(), 1u);
  EXPECT_EQ(approval->approval.stages[0].started_on, today);
  auto approvers = approval->approval.stages[0].approver_ids;
  std::sort(approvers.begin(), approvers.end());
  auto managers = std::vector<std::string>{ann_, bob_};
  std::sort(managers.begin(), managers.end());
  EXPECT_EQ(approvers, managers);

  store::NotificationRepository notifications(*lease);
  for (const auto& manager : managers) {
    const auto got = notifications.list(org_, manager, true, std::nullopt, 10);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].kind, NotificationKind::approval_requested);
    EXPECT_EQ(got[0].entity_id, contract.id);
  }
  EXPECT_EQ(notifications.unread_count(org_, owner_), 0);
  const auto watchers = store::WatcherRepository(*lease).user_ids(org_, contract.id);
  for (const auto& manager : managers)
    EXPECT_NE(std::find(watchers.begin(), watchers.end(), manager), watchers.end());

  std::vector<std::string> actions;
  for (const auto& e : events_of(*lease, org_, contract.id)) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"contract.submitted", "approval.started"}));
}

TEST_F(TransitionsTest, ReturningToDraftVoidsTheApprovalUnderWay) {
  auto contract = insert_contract();
  const AuditActor actor{org_, owner_, "user", "", ""};
  auto lease = db_->acquire();
  store::Transaction tx(*lease, store::Transaction::Mode::write);
  apply_transition(*lease, actor, contract, row(ContractState::draft, ContractState::in_review),
                   owner_, std::nullopt);
  start_contract_approval(*lease, actor, contract, {2026, 3, 2});
  const auto& back = row(ContractState::in_review, ContractState::draft);
  ASSERT_TRUE(back.voids_approval);
  apply_transition(*lease, actor, contract, back, owner_, std::string("terms changed"));
  tx.commit();
  const auto approval = store::ApprovalRepository(*lease).latest(org_, contract.id);
  ASSERT_TRUE(approval);
  EXPECT_EQ(approval->approval.status, ApprovalStatus::voided);
  EXPECT_EQ(approval->approval.void_reason, "terms changed");
  EXPECT_EQ(store::ContractRepository(*lease).find(org_, contract.id)->status, "draft");
  EXPECT_EQ(store::TransitionRepository(*lease).list(org_, contract.id).size(), 2u);
}

TEST_F(TransitionsTest, ARollbackLeavesNoTrace) {
  auto contract = insert_contract();
  auto lease = db_->acquire();
  {
    store::Transaction tx(*lease, store::Transaction::Mode::write);
    apply_transition(*lease, AuditActor::system(org_), contract,
                     row(ContractState::draft, ContractState::cancelled), std::nullopt,
                     std::nullopt);
    // no commit: the caller failed after the move
  }
  EXPECT_EQ(store::ContractRepository(*lease).find(org_, contract.id)->status, "draft");
  EXPECT_TRUE(store::TransitionRepository(*lease).list(org_, contract.id).empty());
  EXPECT_TRUE(events_of(*lease, org_, contract.id).empty());
  EXPECT_EQ(store::AuditRepository(*lease).head(org_).first, 0);
}

}  // namespace
}  // namespace cm::workflow::testing
